/* crm-store-apply-private.h — what crm-store-apply.c and crm-store-apply-index.c share
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state of one pulled page being applied (ApplyRun) and its cache of
 * prepared statements, and the search index's helpers that
 * crm_store_apply_pull() calls (crm-store-apply-index.c).
 */
#pragma once

#include "crm-store-sync-private.h"

G_BEGIN_DECLS

typedef struct
{
  CrmStore    *store;
  char        *now;
  GHashTable  *statements;   /* SQL text → sqlite3_stmt, prepared once a page */
  char        *echo_sql;     /* apply_echo()'s query, made once a page */
  GHashTable  *indexed;      /* ids of the contacts whose search text is written again */
  GPtrArray   *arrived;      /* the contacts written by this page: their deals may wait */
  gboolean     any_pending;  /* whether the outbox has pending rows at all */
  gboolean     contacts_changed;
  gboolean     deals_changed;
  gboolean     followups_changed;
  gboolean     certification_changed;
} ApplyRun;

/* crm-store-apply.c */
sqlite3_stmt *_crm_apply_prepare            (ApplyRun           *run,
                                             const char         *sql,
                                             int                *rc);
int           _crm_apply_step               (sqlite3_stmt       *stmt);
sqlite3_stmt *_crm_apply_row                (ApplyRun           *run,
                                             const char         *sql,
                                             const char         *id,
                                             int                *rc);

/* crm-store-apply-index.c */
int           _crm_apply_unindex_if_written (ApplyRun           *run,
                                             const char         *id,
                                             GPtrArray          *columns,
                                             gboolean            flag_changes);
int           _crm_apply_collect_indexed    (ApplyRun           *run,
                                             const CrmWirePull  *pull);
char         *_crm_apply_indexed_ids        (ApplyRun           *run);
gboolean      _crm_apply_index_contacts     (CrmStore           *self,
                                             const char         *ids_json,
                                             gboolean            remove,
                                             GError            **error);

G_END_DECLS
