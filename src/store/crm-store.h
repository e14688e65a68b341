/* crm-store.h — the local SQLite database
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "crm-certification.h"
#include "crm-contact.h"
#include "crm-deal.h"
#include "crm-followup.h"
#include "crm-license-file.h"

G_BEGIN_DECLS

#define CRM_STORE_ERROR (crm_store_error_quark ())

typedef enum
{
  CRM_STORE_ERROR_OPEN,        /* the file cannot be opened or created */
  CRM_STORE_ERROR_CORRUPT,     /* the file is not a database, or is damaged */
  CRM_STORE_ERROR_TOO_NEW,     /* written by a newer version of the app */
  CRM_STORE_ERROR_BUSY,        /* another process holds the database */
  CRM_STORE_ERROR_FULL,        /* the disk is full */
  CRM_STORE_ERROR_NOT_FOUND,   /* no such record */
  CRM_STORE_ERROR_INVALID,     /* the record does not pass validation */
  CRM_STORE_ERROR_FAILED,      /* anything else SQLite reports */
  CRM_STORE_ERROR_LOCKED,      /* certified information cannot change */
  CRM_STORE_ERROR_HAS_DEALS,   /* a contact with deals: say what becomes of them */
  CRM_STORE_ERROR_NOT_EMPTY,   /* an archive is loaded only into an empty store */
} CrmStoreError;

#define CRM_STORE_SCHEMA_VERSION 13
#define CRM_STORE_FILE_NAME "xiaohe-crm.sqlite3"

typedef enum
{
  CRM_CONTACT_DEALS_UNLINK,   /* the deals stay, with no contact */
  CRM_CONTACT_DEALS_DELETE,   /* the deals are deleted with the contact */
} CrmContactDealsPolicy;

typedef struct
{
  gint64 open_total;          /* fen, the stages before won and lost */
  gint64 weighted;            /* fen: Σ amount × probability / 100 */
  gint64 weighted_x100;
  gint64 won_this_month;
  guint  count[CRM_DEAL_N_STAGES];
  gint64 total[CRM_DEAL_N_STAGES];
} CrmDealTotals;

/* crm-store-import.c: many contacts in one transaction, with 查重 */
typedef enum
{
  CRM_STORE_DUPLICATES_SKIP,     /* a duplicate row is left out */
  CRM_STORE_DUPLICATES_UPDATE,   /* its non-empty cells are written over the contact */
  CRM_STORE_DUPLICATES_KEEP,     /* it becomes a new contact all the same */
} CrmStoreDuplicates;

typedef enum
{
  CRM_STORE_IMPORT_ADDED,
  CRM_STORE_IMPORT_UPDATED,
  CRM_STORE_IMPORT_SKIPPED,      /* a duplicate, left out */
  CRM_STORE_IMPORT_UNCHANGED,    /* a duplicate with nothing new in it */
  CRM_STORE_IMPORT_INVALID,      /* does not pass crm_validate_contact() */
} CrmStoreImportOutcome;

typedef struct
{
  CrmContact            *contact;       /* in: a new contact, "" for an empty cell */
  const char            *uid;           /* in, nullable: a vCard's UID */
  CrmStoreImportOutcome  outcome;       /* out */
  CrmContactField        failed_field;  /* out, when invalid */
  GError                *error;         /* out, when invalid: the reason */
  char                  *id;            /* out: the contact added, updated or matched */
} CrmStoreImportRow;

typedef struct
{
  GPtrArray *added;      /* (element-type utf8): the ids the import added */
  GPtrArray *previous;   /* (element-type CrmContact): those it changed, as they were */
} CrmStoreImportUndo;

typedef void (*CrmStoreImportProgress) (guint    done,
                                        guint    total,
                                        gpointer user_data);

#define CRM_TYPE_STORE (crm_store_get_type ())

G_DECLARE_FINAL_TYPE (CrmStore, crm_store, CRM, STORE, GObject)

GQuark       crm_store_error_quark          (void);

char        *crm_store_default_data_dir     (void);
CrmStore    *crm_store_open                 (const char   *data_dir,
                                             GError      **error);
const char  *crm_store_get_path             (CrmStore     *self);
int          crm_store_get_schema_version   (CrmStore     *self);

CrmContact  *crm_store_get_contact          (CrmStore     *self,
                                             const char   *id,
                                             GError      **error);
gboolean     crm_store_save_contact         (CrmStore     *self,
                                             CrmContact   *contact,
                                             GError      **error);
gboolean     crm_store_insert_contacts      (CrmStore     *self,
                                             GPtrArray    *contacts,
                                             GError      **error);
gboolean     crm_store_insert_contacts_full (CrmStore         *self,
                                             GPtrArray        *contacts,
                                             guint            *failed_index,
                                             CrmContactField  *failed_field,
                                             GError          **error);
gboolean     crm_store_delete_contact       (CrmStore     *self,
                                             CrmContact   *contact,
                                             GError      **error);
gboolean     crm_store_restore_contact      (CrmStore     *self,
                                             CrmContact   *contact,
                                             GError      **error);
guint        crm_store_count_contacts       (CrmStore     *self);
GPtrArray   *crm_store_find_duplicates      (CrmStore     *self,
                                             CrmContact   *contact,
                                             GError      **error);
GPtrArray   *crm_store_search_contacts      (CrmStore     *self,
                                             const char   *query,
                                             guint         limit,
                                             GError      **error);

gboolean     crm_store_import_contacts      (CrmStore               *self,
                                             CrmStoreImportRow      *rows,
                                             guint                   n_rows,
                                             CrmStoreDuplicates      policy,
                                             CrmStoreImportProgress  progress,
                                             gpointer                progress_data,
                                             GCancellable           *cancellable,
                                             CrmStoreImportUndo     *undo,
                                             GError                **error);
gboolean     crm_store_import_undo          (CrmStore               *self,
                                             CrmStoreImportUndo     *undo,
                                             GError                **error);
void         crm_store_import_undo_init     (CrmStoreImportUndo     *undo);
void         crm_store_import_undo_clear    (CrmStoreImportUndo     *undo);
void         crm_store_import_row_clear     (CrmStoreImportRow      *row);

gboolean     crm_store_exists               (const char   *data_dir);
gboolean     crm_store_set_aside_empty      (const char   *data_dir,
                                             char        **aside,
                                             GError      **error);

gboolean     crm_store_is_damaged           (CrmStore     *self);
const char  *crm_store_get_damage           (CrmStore     *self);
void         crm_store_check_async          (CrmStore            *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     crm_store_check_finish         (GAsyncResult *result,
                                             GError      **error);
gboolean     crm_store_accept_terms         (CrmStore     *self,
                                             const char   *version,
                                             const char   *language,
                                             GError      **error);
gboolean     crm_store_has_accepted_terms   (CrmStore     *self,
                                             const char   *version);

gboolean          crm_store_put_blob             (CrmStore               *self,
                                                  CrmLicenseFile         *file,
                                                  GError                **error);
GBytes           *crm_store_get_blob             (CrmStore               *self,
                                                  const char             *sha256,
                                                  GError                **error);
CrmCertification *crm_store_get_certification   (CrmStore               *self,
                                                  GError                **error);
gboolean          crm_store_save_certification  (CrmStore               *self,
                                                  const CrmCertification *cert,
                                                  GError                **error);
gboolean          crm_store_submit_certification (CrmStore              *self,
                                                  GError                **error);

CrmDeal     *crm_store_get_deal             (CrmStore              *self,
                                             const char            *id,
                                             GError               **error);
gboolean     crm_store_save_deal            (CrmStore              *self,
                                             CrmDeal               *deal,
                                             GError               **error);
gboolean     crm_store_move_deal            (CrmStore              *self,
                                             CrmDeal               *deal,
                                             CrmDealStage           stage,
                                             CrmDeal               *before,
                                             GError               **error);
gboolean     crm_store_delete_deal          (CrmStore              *self,
                                             CrmDeal               *deal,
                                             GError               **error);
gboolean     crm_store_restore_deal         (CrmStore              *self,
                                             CrmDeal               *deal,
                                             GError               **error);
GPtrArray   *crm_store_list_contact_deals   (CrmStore              *self,
                                             const char            *contact_id,
                                             gint64                *open_total,
                                             GError               **error);
gboolean     crm_store_insert_deals         (CrmStore              *self,
                                             GPtrArray             *deals,
                                             GError               **error);
gboolean     crm_store_insert_deals_full    (CrmStore              *self,
                                             GPtrArray             *deals,
                                             guint                 *failed_index,
                                             CrmDealField          *failed_field,
                                             GError               **error);
guint        crm_store_count_contact_deals  (CrmStore              *self,
                                             CrmContact            *contact);
gboolean     crm_store_delete_contact_with_deals (CrmStore         *self,
                                             CrmContact            *contact,
                                             CrmContactDealsPolicy  policy,
                                             GError               **error);
gboolean     crm_store_get_deal_totals      (CrmStore              *self,
                                             const char            *month_start_utc,
                                             CrmDealTotals         *totals,
                                             GError               **error);

/* crm-store-followups.c: follow-ups (跟进记录) and their next steps.
 * Saving one with a deal and a stage different from the deal's moves the
 * deal in the same transaction (stage is CRM_DEAL_N_STAGES to leave it).
 * Lists are newest first (happened_at DESC). */
gboolean     crm_store_save_followup        (CrmStore              *self,
                                             CrmFollowup           *followup,
                                             CrmDealStage           move_deal_to,
                                             GError               **error);
CrmFollowup *crm_store_get_followup         (CrmStore              *self,
                                             const char            *id,
                                             GError               **error);
gboolean     crm_store_delete_followup      (CrmStore              *self,
                                             CrmFollowup           *followup,
                                             GError               **error);
gboolean     crm_store_restore_followup     (CrmStore              *self,
                                             CrmFollowup           *followup,
                                             GError               **error);
GPtrArray   *crm_store_list_contact_followups (CrmStore            *self,
                                             const char            *contact_id,
                                             guint                  offset,
                                             guint                  limit,
                                             GError               **error);
GPtrArray   *crm_store_list_deal_followups  (CrmStore              *self,
                                             const char            *deal_id,
                                             guint                  offset,
                                             guint                  limit,
                                             GError               **error);
guint        crm_store_count_contact_followups (CrmStore           *self,
                                             const char            *contact_id);
/* Open next steps (not done, next_at set, contact alive) due before
 * before_utc (NULL: all), ordered by next_at, at most limit. */
GPtrArray   *crm_store_list_due_followups   (CrmStore              *self,
                                             const char            *before_utc,
                                             guint                  limit,
                                             GError               **error);
/* Open next steps whose reminder time (max(next_at, snoozed_until)) lies
 * in (after_utc, until_utc]; after_utc NULL for all before until_utc. */
GPtrArray   *crm_store_list_reminders       (CrmStore              *self,
                                             const char            *after_utc,
                                             const char            *until_utc,
                                             GError               **error);
/* Marks the next step done (done_at = now) and, when next is given,
 * saves it as a new follow-up of the same contact, together. */
gboolean     crm_store_complete_followup    (CrmStore              *self,
                                             CrmFollowup           *followup,
                                             CrmFollowup           *next,
                                             GError               **error);
gboolean     crm_store_snooze_followup      (CrmStore              *self,
                                             CrmFollowup           *followup,
                                             const char            *until_utc,
                                             GError               **error);
/* The contact's newest happened_at, NULL when never followed up. */
char        *crm_store_get_last_followup_at (CrmStore              *self,
                                             const char            *contact_id);

/* crm-store-export.c: records out in a stream, an archive's rows in, delete all */
typedef enum
{
  CRM_STORE_TABLE_CONTACTS,
  CRM_STORE_TABLE_DEALS,
  CRM_STORE_TABLE_FOLLOWUPS,
  CRM_STORE_TABLE_BLOBS,
  CRM_STORE_TABLE_CERTIFICATION,
  CRM_STORE_TABLE_TERMS,
  CRM_STORE_N_TABLES /*< skip >*/
} CrmStoreTable;

typedef struct _CrmStoreLoader CrmStoreLoader;

typedef gboolean (*CrmStoreContactFunc) (CrmContact  *contact,
                                         guint        index,
                                         guint        total,
                                         gpointer     user_data,
                                         GError     **error);
typedef gboolean (*CrmStoreDealFunc)    (CrmDeal     *deal,
                                         guint        index,
                                         guint        total,
                                         gpointer     user_data,
                                         GError     **error);
typedef gboolean (*CrmStoreRowFunc)     (CrmStoreTable table,
                                         JsonObject  *row,
                                         GBytes      *data,
                                         guint        index,
                                         guint        total,
                                         gpointer     user_data,
                                         GError     **error);
typedef gboolean (*CrmStoreLoadFunc)    (CrmStoreLoader *loader,
                                         gpointer        user_data,
                                         GError        **error);

gboolean     crm_store_foreach_contact      (CrmStore              *self,
                                             CrmStoreContactFunc    func,
                                             gpointer               user_data,
                                             GCancellable          *cancellable,
                                             GError               **error);
gboolean     crm_store_foreach_deal         (CrmStore              *self,
                                             CrmStoreDealFunc       func,
                                             gpointer               user_data,
                                             GCancellable          *cancellable,
                                             GError               **error);
/* The live follow-ups of live contacts, newest first, each as a JSON
 * object: id, contact_id, contact_name, deal_id, deal_title (null when
 * none or deleted), happened_at, kind, notes, next_step, next_at, done_at,
 * created_at, updated_at; the table given to @func is FOLLOWUPS */
gboolean     crm_store_foreach_followup_row (CrmStore              *self,
                                             CrmStoreRowFunc        func,
                                             gpointer               user_data,
                                             GCancellable          *cancellable,
                                             GError               **error);
gboolean     crm_store_dump                 (CrmStore              *self,
                                             CrmStoreRowFunc        func,
                                             gpointer               user_data,
                                             GCancellable          *cancellable,
                                             GError               **error);
const char  *crm_store_table_get_name       (CrmStoreTable          table);
gboolean     crm_store_load_into_empty      (CrmStore              *self,
                                             CrmStoreLoadFunc       func,
                                             gpointer               user_data,
                                             GError               **error);
gboolean     crm_store_loader_add_row       (CrmStoreLoader        *loader,
                                             CrmStoreTable          table,
                                             JsonObject            *row,
                                             GBytes                *data,
                                             GError               **error);
guint        crm_store_loader_get_count     (CrmStoreLoader        *loader,
                                             CrmStoreTable          table);
gboolean     crm_store_delete_all           (CrmStore              *self,
                                             GError               **error);
void         crm_store_delete_all_async     (CrmStore              *self,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
gboolean     crm_store_delete_all_finish    (CrmStore              *self,
                                             GAsyncResult          *result,
                                             GError               **error);

G_END_DECLS
