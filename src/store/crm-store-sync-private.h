/* crm-store-sync-private.h — what crm-store-sync.c and crm-store-apply.c share
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store-private.h"
#include "crm-store-sync.h"

G_BEGIN_DECLS

/* A whole record as the JSON object of its synced fields, in SQL over the
 * table's own columns (as the triggers of 0008-sync.sql write them). The
 * certification's reject_reason is the server's and never sent; a
 * follow-up's snoozed_until is this computer's own. */
#define CRM_SYNC_CONTACT_JSON \
  "json_object ('name', name, 'company', company, 'title', title, 'mobile', mobile," \
  " 'phone', phone, 'email', email, 'wechat', wechat, 'address', address, 'tags', tags," \
  " 'notes', notes, 'owner', owner)"
#define CRM_SYNC_DEAL_JSON \
  "json_object ('title', title, 'contact_id', contact_id, 'amount_fen', amount_fen," \
  " 'currency', currency, 'stage', stage, 'probability', probability," \
  " 'expected_close', expected_close, 'lost_reason', lost_reason, 'notes', notes," \
  " 'position', position, 'won_at', won_at)"
#define CRM_SYNC_FOLLOWUP_JSON \
  "json_object ('contact_id', contact_id, 'deal_id', deal_id, 'happened_at', happened_at," \
  " 'kind', kind, 'notes', notes, 'next_step', next_step, 'next_at', next_at," \
  " 'done_at', done_at)"
#define CRM_SYNC_CERTIFICATION_JSON \
  "json_object ('company_name', company_name, 'uscc', uscc," \
  " 'legal_representative', legal_representative, 'address', address, 'status', status," \
  " 'license_sha256', license_sha256, 'license_mime_type', license_mime_type," \
  " 'license_name', license_name, 'license_size', license_size)"

/* A new UUID v4 for each row of an INSERT … SELECT (as the view
 * sync_new_uuid of 0008-sync.sql, which the triggers use: a scalar
 * subquery of it would be computed once per statement, not per row) */
#define CRM_SYNC_UUID_SQL \
  "(lower (hex (randomblob (4))) || '-' || lower (hex (randomblob (2))) || '-4'" \
  " || substr (lower (hex (randomblob (2))), 2) || '-'" \
  " || substr ('89ab', 1 + (random () & 3), 1) || substr (lower (hex (randomblob (2))), 2)" \
  " || '-' || lower (hex (randomblob (6))))"

/* sync_state.applying: the outbox triggers queue nothing while it is 1;
 * set and reset inside the caller's transaction */
gboolean _crm_store_sync_set_applying (CrmStore  *self,
                                       gboolean   applying,
                                       GError   **error);

G_END_DECLS
