/* crm-store-notices.h — the server's pricing and terms notices, kept in the store
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"
#include "crm-wire.h"

G_BEGIN_DECLS

/* A notice is read back as the server sent it (CrmWireNotice, freed with
 * crm_wire_notice_free()); a terms notice's terms_version is never NULL
 * then: its id when the server gave none. When it was seen stays in the
 * store (the table's seen_at). */

/* The server's list (element-type CrmWireNotice), in one transaction: a
 * new notice is added, a changed one updated; when each was seen stays.
 * Emits CrmStore::notices-changed when anything changed; @n_changed (may
 * be NULL) says how many. */
gboolean       crm_store_save_notices                (CrmStore   *self,
                                                      GPtrArray  *notices,
                                                      guint      *n_changed,
                                                      GError    **error);
/* every notice, newest first (element-type CrmWireNotice) */
GPtrArray     *crm_store_list_notices                (CrmStore   *self,
                                                      GError    **error);
/* the newest pricing notice not yet seen, or NULL */
CrmWireNotice *crm_store_get_unseen_pricing_notice   (CrmStore   *self,
                                                      GError    **error);
/* the newest terms notice whose version this store never accepted
 * (crm_store_accept_terms()), or NULL */
CrmWireNotice *crm_store_get_unaccepted_terms_notice (CrmStore   *self,
                                                      GError    **error);
/* marks every notice seen now (the list was opened) */
gboolean       crm_store_mark_notices_seen           (CrmStore   *self,
                                                      GError    **error);

G_END_DECLS
