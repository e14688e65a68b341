/* crm-server-sqlite-private.h — what the two halves of the SQLite backend
 * share (crm-server-sqlite.c, crm-server-sqlite-records.c): the instance
 * and small statement helpers (static inline: no symbols of their own)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "crm-server-sqlite.h"
#include "crm-server-storage-private.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _CrmServerSqlite
{
  GObject   parent_instance;

  sqlite3    *db;
  gboolean    in_transaction; /* between begin and end */
  GHashTable *statements;     /* SQL text → its sqlite3_stmt, for cached() */
};

/* sets the vfuncs of crm-server-sqlite-records.c */
void _crm_server_sqlite_records_init (CrmServerStorageInterface *iface);

static inline gboolean
set_error (GError     **error,
           sqlite3     *db,
           int          rc,
           const char  *what)
{
  const char *detail = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_BUSY,
                   _("The server's storage is busy: try again (%s)"), detail);
      break;
    case SQLITE_CONSTRAINT:
      if ((rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY))
        {
          g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_EXISTS,
                       "%s: %s", what, detail);
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   "%s: %s", what, detail);
      break;
    }
  return FALSE;
}

static inline sqlite3_stmt *
prepare (CrmServerSqlite  *self,
         const char       *sql,
         GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      set_error (error, self->db, rc, "prepare");
      return NULL;
    }
  return stmt;
}

/* A statement of the cache: prepared once per connection (a push prepared
 * five per mutation otherwise), reset and unbound when its g_autoptr goes
 * out of scope, finalized with the storage. The storage is used from one
 * thread (the server's main loop), as in_transaction already requires, and
 * no statement is used twice at once (none of these calls nests). */
typedef sqlite3_stmt CrmCachedStmt;

static inline void
cached_release (CrmCachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCachedStmt, cached_release)

static inline CrmCachedStmt *
cached (CrmServerSqlite  *self,
        const char       *sql,
        GError          **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL && (stmt = prepare (self, sql, error)) != NULL)
    g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

static inline gboolean
step_done (sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    return TRUE;
  return set_error (error, sqlite3_db_handle (stmt), rc, "step");
}

/* SQLITE_ROW → TRUE; SQLITE_DONE → FALSE, no error; else FALSE with @error */
static inline gboolean
step_row (sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    set_error (error, sqlite3_db_handle (stmt), rc, "step");
  return FALSE;
}

static inline gboolean
exec (CrmServerSqlite  *self,
      const char       *sql,
      GError          **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_error (error, self->db, rc, "exec");
  return TRUE;
}

static inline void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static inline char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL
         ? NULL : g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* a lookup of one row: SQLITE_ROW → TRUE; no row → FALSE with NOT_FOUND
 * (@missing); else FALSE with the step's error */
static inline gboolean
step_found (sqlite3_stmt  *stmt,
            const char    *missing,
            GError       **error)
{
  GError *local = NULL;

  if (step_row (stmt, &local))
    return TRUE;
  if (local != NULL)
    g_propagate_error (error, local);
  else
    set_not_found (error, missing);
  return FALSE;
}

/* a write outside begin/end is its own transaction */
static inline gboolean
write_begin (CrmServerSqlite  *self,
             GError          **error)
{
  return self->in_transaction || exec (self, "BEGIN IMMEDIATE", error);
}

static inline gboolean
write_end (CrmServerSqlite  *self,
           gboolean          ok,
           GError          **error)
{
  if (self->in_transaction)
    return ok;
  if (ok && exec (self, "COMMIT", error))
    return TRUE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

G_END_DECLS
