/* crm-store-private.h — the store's insides: for its own files (crm-store-*.c),
 * the list models, the tests and the benchmarks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "crm-search-private.h"
#include "crm-store-health.h"
#include "crm-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _CrmStore
{
  GObject   parent_instance;

  char     *data_dir;
  char     *path;
  sqlite3  *db;
  CrmStoreHealth *health;   /* damaged: writes refused (crm-store-health.c) */
  guint     depth;          /* open _crm_store_begin()s: 0 outside a transaction */
};

enum {
  CRM_STORE_CONTACT_CHANGED,
  CRM_STORE_CONTACTS_RESET,
  CRM_STORE_DEAL_CHANGED,
  CRM_STORE_DEALS_RESET,
  CRM_STORE_FOLLOWUP_CHANGED,
  CRM_STORE_FOLLOWUPS_RESET,
  CRM_STORE_CERTIFICATION_CHANGED,
  CRM_STORE_NOTICES_CHANGED,
  CRM_STORE_TEAM_USERS_CHANGED,
  CRM_STORE_N_SIGNALS
};

extern guint _crm_store_signals[CRM_STORE_N_SIGNALS];

/* refuses a write that does work before its transaction when the store is
 * damaged (_crm_store_begin() refuses the others) */
#define CRM_STORE_RETURN_IF_DAMAGED(self, error) \
  G_STMT_START { \
    if (!_crm_store_health_writable ((self)->health, (error))) \
      return FALSE; \
  } G_STMT_END

/* the columns every contact query selects, in the order _crm_store_contact_from_row() reads */
#define CRM_CONTACT_COLUMNS \
  "rowid, id, sort_key, created_at, updated_at, deleted, server_version, " \
  "name, company, title, mobile, phone, email, wechat, address, tags, notes, owner, " \
  "last_followup_at"

/* the columns every deal query selects, in the order _crm_store_deal_from_row() reads,
 * from CRM_DEAL_FROM */
#define CRM_DEAL_COLUMNS \
  "d.local_id, d.id, d.title, d.contact_id, d.amount_fen, d.stage, d.probability, " \
  "d.expected_close, d.lost_reason, d.notes, d.position, d.won_at, d.created_at, " \
  "d.updated_at, d.deleted, c.name"
#define CRM_DEAL_FROM "deals d LEFT JOIN contacts c ON c.id = d.contact_id"

/* the 64 parameters of a "local_id IN (...)": pages and chunks of 64 rows */
#define CRM_SQL_64_PARAMS \
  "?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24," \
  "?25,?26,?27,?28,?29,?30,?31,?32,?33,?34,?35,?36,?37,?38,?39,?40,?41,?42,?43,?44,?45,?46," \
  "?47,?48,?49,?50,?51,?52,?53,?54,?55,?56,?57,?58,?59,?60,?61,?62,?63,?64"

typedef void (*CrmStoreProbeFunc) (GArray   *first_rowids,
                                   gpointer  user_data);

sqlite3     *_crm_store_get_db            (CrmStore      *self);
sqlite3     *_crm_store_open_reader       (CrmStore      *self,
                                           GError       **error);
sqlite3     *_crm_store_open_writer       (CrmStore      *self,
                                           GError       **error);
CrmContact  *_crm_store_contact_from_row  (sqlite3_stmt  *stmt);
CrmDeal     *_crm_store_deal_from_row     (sqlite3_stmt  *stmt);
gboolean     _crm_store_set_error         (GError       **error,
                                           sqlite3       *db,
                                           int            rc,
                                           const char    *what);
GArray      *_crm_store_search_rowids     (sqlite3       *db,
                                           const char    *query,
                                           gboolean       sorted,
                                           int            limit,
                                           GCancellable  *cancellable,
                                           GError       **error);
GArray      *_crm_store_search_rowids_probed (sqlite3           *db,
                                             const char        *query,
                                             guint              probe,
                                             CrmStoreProbeFunc  probe_func,
                                             gpointer           probe_data,
                                             GCancellable      *cancellable,
                                             GError           **error);
gboolean     _crm_store_filter_rowids     (sqlite3          *db,
                                           CrmSearchPattern *pattern,
                                           const gint64     *ids,
                                           guint             n,
                                           GArray           *out,
                                           guint             max_out,
                                           GError          **error);
gint64       _crm_store_search_indexed_upto (sqlite3     *db);
void         _crm_store_watch_cancellable (sqlite3       *db,
                                           GCancellable  *cancellable);
gboolean     _crm_store_scan_done         (sqlite3       *db,
                                           int            rc,
                                           const char    *what,
                                           GError       **error);
gboolean     _crm_store_migrate_to        (sqlite3       *db,
                                           int            version,
                                           GError       **error);

/* crm-store-sql.c: statements and transactions */
gboolean      _crm_store_exec             (sqlite3       *db,
                                           const char    *sql,
                                           GError       **error);
sqlite3_stmt *_crm_store_prepare          (sqlite3       *db,
                                           const char    *sql,
                                           unsigned int   prep_flags,
                                           const char    *what,
                                           GError       **error);
gboolean      _crm_store_step_done        (sqlite3_stmt  *stmt,
                                           const char    *what,
                                           GError       **error);
void          _crm_store_note_failure     (sqlite3       *db,
                                           int            rc);
int           _crm_store_get_user_version (sqlite3       *db);
char         *_crm_store_now              (void);
char         *_crm_store_column_dup       (sqlite3_stmt  *stmt,
                                           int            column);
gboolean      _crm_store_sql_begin        (sqlite3       *db,
                                           guint          depth,
                                           GError       **error);
gboolean      _crm_store_sql_end          (sqlite3       *db,
                                           guint          depth,
                                           gboolean       ok,
                                           GError       **error);
gboolean      _crm_store_begin            (CrmStore      *self,
                                           GError       **error);
gboolean      _crm_store_end              (CrmStore      *self,
                                           gboolean       ok,
                                           GError       **error);

/* crm-store-deal-order.c: a deal's place in its column, in the caller's
 * transaction; SQLite codes */
#define CRM_DEAL_POSITION_SPACING 1024   /* between neighbours numbered afresh */

int           _crm_store_deal_stage_edge     (CrmStore      *self,
                                              CrmDealStage   stage,
                                              gboolean       top,
                                              gint64         except,
                                              gint64        *position);
int           _crm_store_deal_top_position   (CrmStore      *self,
                                              CrmDealStage   stage,
                                              gint64         except,
                                              gint64        *position);
int           _crm_store_deal_place_position (CrmStore      *self,
                                              CrmDealStage   stage,
                                              gint64         rowid,
                                              gint64         anchor,
                                              gint64        *position,
                                              gboolean      *anchor_found);

/* crm-store-contacts.c (and crm-store-import.c): a contact's INSERT and
 * UPDATE, its fields ?1 to ?11 in CrmContactField order, ?12 the id, ?13 the
 * sort key, ?14 the time */
#define CRM_CONTACT_INSERT_SQL \
  "INSERT INTO contacts (name, company, title, mobile, phone, email, wechat, address, tags," \
  " notes, owner, id, sort_key, created_at, updated_at) VALUES " \
  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)"
#define CRM_CONTACT_UPDATE_SQL \
  "UPDATE contacts SET name = ?1, company = ?2, title = ?3, mobile = ?4, phone = ?5," \
  " email = ?6, wechat = ?7, address = ?8, tags = ?9, notes = ?10, owner = ?11," \
  " sort_key = ?13, updated_at = ?14 WHERE id = ?12 AND deleted = 0"

void          _crm_store_bind_contact_fields (sqlite3_stmt *stmt,
                                              CrmContact   *contact,
                                              int           first);
gboolean      _crm_store_collect_contacts (sqlite3       *db,
                                           sqlite3_stmt  *stmt,
                                           GPtrArray     *out,
                                           GError       **error);

G_END_DECLS
