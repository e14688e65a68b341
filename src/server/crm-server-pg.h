/* crm-server-pg.h — the PostgreSQL backend of CrmServerStorage, for when
 * several `serve` processes share one database (`--database postgresql://…`)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-server-storage.h"

G_BEGIN_DECLS

#define CRM_SERVER_PG_SCHEMA_VERSION 1

#define CRM_TYPE_SERVER_PG (crm_server_pg_get_type ())

G_DECLARE_FINAL_TYPE (CrmServerPg, crm_server_pg, CRM, SERVER_PG, GObject)

/* Connects to @conninfo (a postgresql:// URL, given to libpq as it is) and
 * brings the schema forward under an advisory lock, so that processes
 * started together migrate once. @create: make the schema when it is
 * missing; else a database without it is CRM_SERVER_STORAGE_ERROR_NOT_FOUND.
 * A database that cannot be reached is CRM_SERVER_STORAGE_ERROR_UNAVAILABLE.
 * Later calls reconnect by themselves (with backoff) after the connection
 * is lost; while they cannot, they fail at once with _UNAVAILABLE. */
CrmServerPg *crm_server_pg_open (const char  *conninfo,
                                 gboolean     create,
                                 GError     **error);

/* "database NAME on HOST:PORT", for the log: never the password */
char        *crm_server_pg_describe (CrmServerPg *self);

G_END_DECLS
