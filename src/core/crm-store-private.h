/* crm-store-private.h — for the list model, the tests and the benchmarks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "crm-search-private.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* the columns every contact query selects, in the order _crm_store_contact_from_row() reads */
#define CRM_CONTACT_COLUMNS \
  "rowid, id, sort_key, created_at, updated_at, deleted, server_version, " \
  "name, company, title, mobile, phone, email, wechat, address, tags, notes, owner"

sqlite3     *_crm_store_get_db            (CrmStore      *self);
sqlite3     *_crm_store_open_reader       (CrmStore      *self,
                                           GError       **error);
CrmContact  *_crm_store_contact_from_row  (sqlite3_stmt  *stmt);
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
gboolean     _crm_store_filter_rowids     (sqlite3          *db,
                                           CrmSearchPattern *pattern,
                                           const gint64     *ids,
                                           guint             n,
                                           GArray           *out,
                                           guint             max_out,
                                           GError          **error);
gboolean     _crm_store_migrate_to        (sqlite3       *db,
                                           int            version,
                                           GError       **error);

G_END_DECLS
