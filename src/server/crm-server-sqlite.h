/* crm-server-sqlite.h — the SQLite backend of CrmServerStorage
 * (DIR/server.sqlite3), the embedded default
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-server-storage.h"

G_BEGIN_DECLS

#define CRM_SERVER_SQLITE_FILE "server.sqlite3"
#define CRM_SERVER_SQLITE_SCHEMA_VERSION 1

#define CRM_TYPE_SERVER_SQLITE (crm_server_sqlite_get_type ())

G_DECLARE_FINAL_TYPE (CrmServerSqlite, crm_server_sqlite, CRM, SERVER_SQLITE, GObject)

/* Opens DIR/server.sqlite3 (WAL, synchronous=FULL, foreign keys), brings its
 * schema forward; @create: make the file when it is missing, else a missing
 * file is CRM_SERVER_STORAGE_ERROR_NOT_FOUND. */
CrmServerSqlite *crm_server_sqlite_open (const char  *dir,
                                         gboolean     create,
                                         GError     **error);

G_END_DECLS
