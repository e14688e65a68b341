/* crm-store-migrations.c — the schema, moved forward one version at a time
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each schema version is one SQL file, sql/NNNN-name.sql, compiled into the
 * store's GResource as NNNN.sql (crm-store.gresource.xml): the file for
 * version N takes user_version N - 1 to N. Never edit a released file: add
 * the next one and raise CRM_STORE_SCHEMA_VERSION.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-private.h"
#include "crm-store-resources.h"

#define MIGRATIONS_PATH "/co/xiaohe/Crm/store/sql/"

/* the SQL that takes user_version @version - 1 to @version */
static GBytes *
load_migration (int version)
{
  g_autofree char *path = g_strdup_printf (MIGRATIONS_PATH "%04d.sql", version);
  g_autoptr (GError) error = NULL;
  GBytes *sql;

  sql = g_resource_lookup_data (_crm_store_get_resource (), path,
                                G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  /* built in: missing is a packaging mistake, never the user's data */
  if (sql == NULL)
    g_error ("No migration to schema version %d: %s", version, error->message);
  return sql;
}

/* one version, with its user_version, in one transaction */
static gboolean
migrate_one (sqlite3  *db,
             int       version,
             GError  **error)
{
  g_autoptr (GBytes) sql = load_migration (version);
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version);
  gboolean ok;

  if (!_crm_store_sql_begin (db, 0, error))
    return FALSE;
  /* resources are NUL-terminated */
  ok = _crm_store_exec (db, g_bytes_get_data (sql, NULL), error)
       && _crm_store_exec (db, bump, error);
  if (!_crm_store_sql_end (db, 0, ok, error))
    {
      if (!ok)
        g_prefix_error (error, _("Cannot update the database to version %d: "), version);
      return FALSE;
    }
  return TRUE;
}

/**
 * _crm_store_migrate_to:
 * @version: the schema version to reach, at most %CRM_STORE_SCHEMA_VERSION
 *
 * Applies the migrations from the database's version up to @version, each in
 * its own transaction together with the new user_version. The tests use it to
 * make databases of every earlier version.
 */
gboolean
_crm_store_migrate_to (sqlite3  *db,
                       int       version,
                       GError  **error)
{
  int current = _crm_store_get_user_version (db);

  g_return_val_if_fail (version <= CRM_STORE_SCHEMA_VERSION, FALSE);

  if (current < 0)
    return _crm_store_set_error (error, db, sqlite3_errcode (db), _("Cannot read the database"));
  if (current > CRM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_TOO_NEW,
                   _("The database was written by a newer version of Xiaohe CRM "
                     "(schema %d, this version knows %d). Update the app to open it."),
                   current, CRM_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = current; v < version; v++)
    if (!migrate_one (db, v + 1, error))
      return FALSE;
  return TRUE;
}
