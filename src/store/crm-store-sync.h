/* crm-store-sync.h — the store's side of sync: the outbox, the sync state,
 * applying what the server sends, conflicts
 *
 * The outbox row of an edit is written by SQLite triggers (migration
 * 0008-sync.sql) in the same transaction as the edit, for every write path
 * (editors, bulk inserts, deletes, moves); a change applied from the server
 * writes none, and nothing is queued before a company is set (0013: the
 * first sign-in queues every record whole). The sync engine (src/sync)
 * reads batches from here, pushes them, and hands the answers and the
 * pulled pages back.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"
#include "crm-wire.h"

G_BEGIN_DECLS

typedef struct
{
  gint64   cursor;        /* the last seq applied; 0: nothing yet */
  char    *server_epoch;  /* NULL before the first pull */
  char    *client_id;     /* made on first use, kept for ever */
  char    *company_id;    /* NULL until signed in */
} CrmSyncInfo;

typedef struct
{
  gint64       local_seq;
  char        *mutation_id;
  CrmWireKind  kind;
  char        *record_id;
  CrmWireOp    op;
  char        *fields_json;
  char        *last_error;  /* the server's code and message */
} CrmOutboxRejection;

typedef struct
{
  gint64       id;
  CrmWireKind  kind;
  char        *record_id;
  char        *field;        /* "deleted": an edit brought a deleted record back */
  char        *lost_value;   /* JSON text of the value that lost */
  char        *kept_value;   /* JSON text of the value kept */
  char        *created_at;
  char        *other_user;   /* who set the value that lost (the server's
                                conflict_by); NULL when it did not say */
  char        *other_at;     /* when, UTC ISO 8601 (conflict_at); may be NULL */
} CrmConflict;

void          crm_sync_info_free             (CrmSyncInfo        *self);
void          crm_outbox_rejection_free      (CrmOutboxRejection *self);
void          crm_conflict_free              (CrmConflict        *self);

CrmSyncInfo  *crm_store_get_sync_info        (CrmStore           *self,
                                              GError            **error);
gboolean      crm_store_set_sync_company     (CrmStore           *self,
                                              const char         *company_id,
                                              GError            **error);

/* Pending mutations in outbox order (element-type CrmWireMutation), at most
 * @limit, rejected ones left out; certification records carry the
 * company id as their id. */
GPtrArray    *crm_store_outbox_batch         (CrmStore           *self,
                                              guint               limit,
                                              GError            **error);
guint         crm_store_outbox_count         (CrmStore           *self);
/* The server's answers (element-type CrmWireResult), in one transaction:
 * applied and duplicate drop their row and set the record's server
 * version; conflicts are kept (crm_store_list_conflicts); rejected rows
 * stay, marked, out of the queue. */
gboolean      crm_store_outbox_apply_results (CrmStore           *self,
                                              GPtrArray          *results,
                                              GError            **error);
/* A push that got no answer: counts an attempt on each of @mutation_ids. */
gboolean      crm_store_outbox_note_failure  (CrmStore           *self,
                                              const char * const *mutation_ids,
                                              const char         *message,
                                              GError            **error);
GPtrArray    *crm_store_outbox_rejections    (CrmStore           *self,
                                              GError            **error);
/* Drops the rejected row @local_seq (crm-store-conflicts.c) once its
 * person has read why; the record itself is not touched.
 * CRM_STORE_ERROR_NOT_FOUND when there is no such rejected row. */
gboolean      crm_store_outbox_dismiss_rejection (CrmStore          *self,
                                                  gint64             local_seq,
                                                  GError           **error);

/* One pulled page, with its cursor and epoch, in one transaction. A field
 * with a pending local edit keeps the local value (the push that follows
 * decides); a pulled delete of a record edited locally, or of a contact
 * whose local deals are not pushed yet, keeps the record. Emits
 * contacts-reset and deals-reset when anything changed. */
gboolean      crm_store_apply_pull           (CrmStore           *self,
                                              const CrmWirePull  *pull,
                                              GError            **error);
/* The server has a new epoch (restored from an older copy) or answered
 * 410: the cursor goes back to 0, the outbox stays, and each record whose
 * server version is above @epoch_base (acknowledged by a server that has
 * since lost it) is queued again as a whole-record upsert. */
gboolean      crm_store_begin_resync         (CrmStore           *self,
                                              const char         *server_epoch,
                                              gint64              epoch_base,
                                              GError            **error);

/* The open conflicts (crm-store-conflicts.c), oldest first */
GPtrArray    *crm_store_list_conflicts       (CrmStore           *self,
                                              GError            **error);
gboolean      crm_store_resolve_conflict     (CrmStore           *self,
                                              gint64              id,
                                              GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSyncInfo, crm_sync_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmOutboxRejection, crm_outbox_rejection_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmConflict, crm_conflict_free)

G_END_DECLS
