/* crm-store-sql.c — small SQL helpers: errors, statements, transactions
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every failed statement passes _crm_store_set_error(), which turns SQLite's
 * code into a CRM_STORE_ERROR and notices a damaged file. Every write runs
 * between _crm_store_begin() and _crm_store_end(): the outermost pair is a
 * BEGIN IMMEDIATE transaction, the ones inside it savepoints, so a write may
 * call another (and sync can add its outbox row in the same transaction).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-store-private.h"

gboolean
_crm_store_set_error (GError    **error,
                      sqlite3    *db,
                      int         rc,
                      const char *what)
{
  int code;
  const char *detail = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = CRM_STORE_ERROR_CORRUPT;
      /* the one place every failed statement passes: the store stops writing */
      _crm_store_health_report (db, detail);
      g_set_error (error, CRM_STORE_ERROR, code,
                   _("The database file is damaged (%s)"), detail);
      return FALSE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = CRM_STORE_ERROR_BUSY;
      g_set_error (error, CRM_STORE_ERROR, code,
                   _("The database is in use by another program (%s)"), detail);
      return FALSE;
    case SQLITE_FULL:
      code = CRM_STORE_ERROR_FULL;
      g_set_error (error, CRM_STORE_ERROR, code,
                   _("The disk is full: nothing was saved (%s)"), detail);
      return FALSE;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      code = CRM_STORE_ERROR_OPEN;
      break;
    case SQLITE_CONSTRAINT:
      if (db != NULL && strstr (sqlite3_errmsg (db), "crm: the contact has deals") != NULL)
        {
          g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_HAS_DEALS,
                               _("The contact has deals: say what becomes of them first"));
          return FALSE;
        }
      if (db != NULL && strstr (sqlite3_errmsg (db), "crm: certified") != NULL)
        {
          g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED,
                               _("The company is certified: its certification information "
                                 "cannot be changed"));
          return FALSE;
        }
      code = CRM_STORE_ERROR_FAILED;
      break;
    default:
      code = CRM_STORE_ERROR_FAILED;
      break;
    }
  g_set_error (error, CRM_STORE_ERROR, code, "%s: %s", what, detail);
  return FALSE;
}


/**
 * _crm_store_exec:
 * @sql: one or more statements, without results
 */
gboolean
_crm_store_exec (sqlite3     *db,
                 const char  *sql,
                 GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _crm_store_set_error (error, db, rc, _("Database error"));
  return TRUE;
}

/**
 * _crm_store_prepare:
 * @prep_flags: 0, or SQLITE_PREPARE_PERSISTENT for a statement prepared often
 * @what: what failed, for @error ("Cannot read the deal")
 *
 * Returns: (transfer full): the statement (g_autoptr (sqlite3_stmt) finalizes
 *   it), or %NULL with @error set.
 */
sqlite3_stmt *
_crm_store_prepare (sqlite3       *db,
                    const char    *sql,
                    unsigned int   prep_flags,
                    const char    *what,
                    GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v3 (db, sql, -1, prep_flags, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      _crm_store_set_error (error, db, rc, what);
      return NULL;
    }
  return stmt;
}

/**
 * _crm_store_step_done:
 * @stmt: (nullable): a bound statement without results; %NULL when its
 *   preparation failed (and @error is set)
 *
 * Runs @stmt to its end.
 *
 * Returns: %TRUE when it did, else %FALSE with @error set as @what.
 */
gboolean
_crm_store_step_done (sqlite3_stmt  *stmt,
                      const char    *what,
                      GError       **error)
{
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  return _crm_store_set_error (error, sqlite3_db_handle (stmt), rc, what);
}

/* for the reads that answer without an error: a damaged file still makes
 * the store damaged (through _crm_store_set_error()) */
void
_crm_store_note_failure (sqlite3 *db,
                         int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    _crm_store_set_error (NULL, db, rc, "");
}

/* the schema version, or -1 when the file cannot be read */
int
_crm_store_get_user_version (sqlite3 *db)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int version = -1;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  _crm_store_note_failure (db, rc);
  return version;
}

/* the time as stored: UTC, ISO 8601 with microseconds */
char *
_crm_store_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* a text column, %NULL for NULL */
char *
_crm_store_column_dup (sqlite3_stmt *stmt,
                       int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL
         ? NULL : g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

/**
 * _crm_store_sql_begin:
 * @depth: how many transactions of @db are open: 0 begins one (BEGIN
 *   IMMEDIATE: the write lock at once, never a deadlock halfway), more
 *   sets savepoint number @depth inside it
 */
gboolean
_crm_store_sql_begin (sqlite3  *db,
                      guint     depth,
                      GError  **error)
{
  g_autofree char *savepoint = NULL;

  if (depth == 0)
    return _crm_store_exec (db, "BEGIN IMMEDIATE", error);
  savepoint = g_strdup_printf ("SAVEPOINT crm_%u", depth);
  return _crm_store_exec (db, savepoint, error);
}

/**
 * _crm_store_sql_end:
 * @depth: as given to the _crm_store_sql_begin() it ends
 * @ok: commit (or release the savepoint) if %TRUE, else roll back
 * @error: set when the commit fails; left as the caller set it when @ok
 *   is %FALSE
 *
 * Returns: %TRUE when committed; %FALSE when rolled back.
 */
gboolean
_crm_store_sql_end (sqlite3   *db,
                    guint      depth,
                    gboolean   ok,
                    GError   **error)
{
  g_autofree char *sql = NULL;

  if (ok)
    {
      if (depth == 0)
        sql = g_strdup ("COMMIT");
      else
        sql = g_strdup_printf ("RELEASE crm_%u", depth);
      if (_crm_store_exec (db, sql, error))
        return TRUE;
      g_clear_pointer (&sql, g_free);
    }
  /* SQLite may have rolled the whole transaction back already (a full
   * disk, a damaged file): then there is nothing left to undo */
  if (sqlite3_get_autocommit (db))
    return FALSE;
  if (depth == 0)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO crm_%u; RELEASE crm_%u", depth, depth);
  sqlite3_exec (db, sql, NULL, NULL, NULL);
  return FALSE;
}

/**
 * _crm_store_begin:
 *
 * Begins a write: refused with %CRM_STORE_ERROR_CORRUPT when the store is
 * damaged. Nests: a write inside another one is a savepoint of it (sync's
 * outbox row goes in the same transaction as the edit). Every
 * _crm_store_begin() that returns %TRUE is ended by one _crm_store_end().
 * The writes inside emit their signals as they end: a caller that rolls
 * back after a write that succeeded inside it says so with a reset signal.
 */
gboolean
_crm_store_begin (CrmStore  *self,
                  GError   **error)
{
  if (!_crm_store_health_writable (self->health, error))
    return FALSE;
  if (!_crm_store_sql_begin (self->db, self->depth, error))
    return FALSE;
  self->depth++;
  return TRUE;
}

/**
 * _crm_store_end:
 * @ok: whether the write succeeded: commit it, else roll it back
 * @error: set when the commit fails; left as the caller set it when @ok
 *   is %FALSE
 *
 * Returns: %TRUE when the write is kept (committed, or released into the
 *   outer transaction).
 */
gboolean
_crm_store_end (CrmStore  *self,
                gboolean   ok,
                GError   **error)
{
  g_return_val_if_fail (self->depth > 0, FALSE);

  self->depth--;
  return _crm_store_sql_end (self->db, self->depth, ok, error);
}
