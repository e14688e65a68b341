/* crm-server-sync.h — the server's side of sync: apply a push (once per
 * mutation, merged field by field), answer a pull, keep the epoch honest
 *
 * Backend-neutral: it works only through CrmServerStorage. The HTTP layer
 * (crm-server-http.c) parses bodies with crm-wire and calls these.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-server-storage.h"
#include "crm-wire.h"

G_BEGIN_DECLS

#define CRM_SERVER_SYNC_ERROR (crm_server_sync_error_quark ())

typedef enum
{
  CRM_SERVER_SYNC_ERROR_CURSOR_EXPIRED,  /* 410: the cursor is ahead of the server */
  CRM_SERVER_SYNC_ERROR_LOCKED,          /* 409: certified information cannot change */
  CRM_SERVER_SYNC_ERROR_INVALID,         /* 400 */
} CrmServerSyncError;

/* who is writing: from the token */
typedef struct
{
  const char *company_id;
  const char *user_id;
  const char *user_name;
} CrmServerActor;

GQuark       crm_server_sync_error_quark (void);

/* Applies @mutations (element-type CrmWireMutation, already shape-checked
 * by crm_wire_parse_push_request) for @actor's company in one storage
 * transaction, in order, each once: a mutation already applied for
 * (company, @client_id, mutation_id) gets its stored result as duplicate.
 * Returns (element-type CrmWireResult) one result per mutation, or NULL with
 * @error when the storage failed (nothing applied). After the commit, the
 * epoch guard in @dir is moved forward (crm_server_sync_check_epoch). */
GPtrArray   *crm_server_push             (CrmServerStorage     *storage,
                                          const char           *dir,
                                          const CrmServerActor *actor,
                                          const char           *client_id,
                                          GPtrArray            *mutations,
                                          GError              **error);

/* The page of changes after @cursor for @company_id, at most @limit.
 * A cursor beyond the last change: CRM_SERVER_SYNC_ERROR_CURSOR_EXPIRED,
 * with the current epoch and last seq in @epoch_base. */
CrmWirePull *crm_server_pull             (CrmServerStorage     *storage,
                                          const char           *company_id,
                                          gint64                cursor,
                                          guint                 limit,
                                          gint64               *epoch_base,
                                          GError              **error);
/* The same page for an answer written at once: each change's fields are
 * left as the stored text (CrmWireChange.fields_json, @fields empty),
 * after the cheap checks of crm_wire_check_object_text(), never parsed and
 * written again */
CrmWirePull *crm_server_pull_stored      (CrmServerStorage     *storage,
                                          const char           *company_id,
                                          gint64                cursor,
                                          guint                 limit,
                                          gint64               *epoch_base,
                                          GError              **error);

/* At `serve` start: compares the storage with DIR/epoch-guard (the epoch
 * and the highest seq ever committed). A storage that went back in time
 * (restored from an older copy) gets a new epoch, so clients resync. */
gboolean     crm_server_sync_check_epoch (CrmServerStorage     *storage,
                                          const char           *dir,
                                          GError              **error);

/* The `certify` command: approve or reject a submitted certification; a
 * change in the feed like any other. */
gboolean     crm_server_certify          (CrmServerStorage     *storage,
                                          const char           *dir,
                                          const char           *company_id,
                                          gboolean              approve,
                                          const char           *reason,
                                          GError              **error);

G_END_DECLS
