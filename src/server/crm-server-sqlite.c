/* crm-server-sqlite.c — CrmServerStorage on one SQLite file,
 * DIR/server.sqlite3: the embedded default of xiaohe-crm-server
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WAL with synchronous=FULL: a push answered "applied" survives a power cut.
 * A write (begin … end) is BEGIN IMMEDIATE, so two writers never deadlock
 * halfway; busy_timeout lets a command (certify, add-user) wait for `serve`.
 * Every statement about a company's data has the company id in its WHERE
 * (or its primary key), whatever ids the caller passes. The schema goes
 * forward by PRAGMA user_version, one step per entry of `migrations`.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "crm-server-sqlite-private.h"

static void crm_server_sqlite_storage_init (CrmServerStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmServerSqlite, crm_server_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRM_TYPE_SERVER_STORAGE,
                                                      crm_server_sqlite_storage_init))

/* Each entry takes the schema from version i to i + 1. Never edit one that
 * has shipped: add the next. */
static const char *const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE companies ("
  "  id         TEXT PRIMARY KEY,"
  "  slug       TEXT NOT NULL UNIQUE,"
  "  name       TEXT NOT NULL,"
  "  expires_on TEXT,"
  "  seq        INTEGER NOT NULL DEFAULT 0,"
  "  epoch_base INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL);"
  "CREATE TABLE users ("
  "  id            TEXT PRIMARY KEY,"
  "  company_id    TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  name          TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  created_at    TEXT NOT NULL,"
  "  UNIQUE (company_id, name));"
  "CREATE TABLE tokens ("
  "  hash         TEXT PRIMARY KEY,"
  "  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  company_id   TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  device       TEXT NOT NULL,"
  "  created_at   TEXT NOT NULL,"
  "  last_used_at TEXT);"
  "CREATE INDEX tokens_by_user ON tokens (user_id);"
  "CREATE TABLE records ("
  "  company_id          TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  kind                TEXT NOT NULL,"
  "  id                  TEXT NOT NULL,"
  "  version             INTEGER NOT NULL,"
  "  deleted             INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  fields_json         TEXT NOT NULL,"
  "  field_versions_json TEXT NOT NULL,"
  "  updated_by          TEXT,"
  "  updated_at          TEXT NOT NULL,"
  "  PRIMARY KEY (company_id, kind, id)) WITHOUT ROWID;"
  "CREATE INDEX records_feed ON records (company_id, version);"
  "CREATE INDEX records_by_contact"
  "  ON records (company_id, kind, json_extract (fields_json, '$.contact_id'));"
  "CREATE TABLE mutations ("
  "  company_id  TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  client_id   TEXT NOT NULL,"
  "  mutation_id TEXT NOT NULL,"
  "  result_json TEXT NOT NULL,"
  "  PRIMARY KEY (company_id, client_id, mutation_id)) WITHOUT ROWID;"
  "CREATE TABLE blobs ("
  "  company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  sha256     TEXT NOT NULL,"
  "  data       BLOB NOT NULL,"
  "  size       INTEGER NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  PRIMARY KEY (company_id, sha256));"
  "CREATE TABLE notices ("
  "  id            TEXT NOT NULL UNIQUE,"
  "  kind          TEXT NOT NULL CHECK (kind IN ('pricing', 'terms')),"
  "  title         TEXT NOT NULL,"
  "  body          TEXT NOT NULL,"
  "  published_at  TEXT NOT NULL,"
  "  effective_at  TEXT NOT NULL,"
  "  terms_version TEXT);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CRM_SERVER_SQLITE_SCHEMA_VERSION);

/* the first column of the first row of @sql, an integer */
static gboolean
get_int (CrmServerSqlite  *self,
         const char       *sql,
         int              *value,
         GError          **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (sqlite3_stmt) stmt = prepare (self, sql, &local_error);

  if (stmt == NULL || !step_row (stmt, &local_error))
    {
      if (local_error == NULL)
        set_error (&local_error, self->db, SQLITE_ERROR, sql);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* The schema, made or brought up to date. Schema number 0 is a file with
 * nothing in it yet: only a file just made, or one with no table at all
 * while @create (`init` again after one that stopped half-way), gets the
 * schema. An older file with tables but schema number 0 is another
 * program's SQLite file, or ours with its number lost: given the schema it
 * would run as a new, empty server, its data silently gone. A negative
 * number is no schema of ours either. */
static gboolean
migrate (CrmServerSqlite  *self,
         gboolean          created,
         gboolean          create,
         GError          **error)
{
  const char *path = sqlite3_db_filename (self->db, "main");
  int version = 0;
  int n_tables = 0;

  if (!get_int (self, "PRAGMA user_version", &version, error))
    return FALSE;
  if (version < 0)
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   _("%s is damaged, or not a xiaohe-crm-server storage: its schema "
                     "number is %d"), path, version);
      return FALSE;
    }
  if (version == 0 && !created)
    {
      if (!get_int (self, "SELECT count(*) FROM sqlite_schema", &n_tables, error))
        return FALSE;
      if (n_tables > 0)
        {
          g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                       _("%s is not a xiaohe-crm-server storage, or it is damaged: it holds "
                         "tables but no schema number; nothing was changed"), path);
          return FALSE;
        }
      if (!create)
        {
          g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                       _("%s holds no server data: it is damaged, or not a "
                         "xiaohe-crm-server storage; nothing was changed"), path);
          return FALSE;
        }
    }
  if (version > CRM_SERVER_SQLITE_SCHEMA_VERSION)
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   _("The server's data was written by a newer version (schema %d)"),
                   version);
      return FALSE;
    }
  for (; version < CRM_SERVER_SQLITE_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[version], error) || !exec (self, bump, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

static CrmServerCompany *
company_from_row (sqlite3_stmt *stmt)
{
  CrmServerCompany *company = g_new0 (CrmServerCompany, 1);

  company->id = column_dup (stmt, 0);
  company->slug = column_dup (stmt, 1);
  company->name = column_dup (stmt, 2);
  company->expires_on = column_dup (stmt, 3);
  company->seq = sqlite3_column_int64 (stmt, 4);
  company->epoch_base = sqlite3_column_int64 (stmt, 5);
  return company;
}

#define COMPANY_COLUMNS "id, slug, name, expires_on, seq, epoch_base"

static CrmServerUser *
user_from_row (sqlite3_stmt *stmt)
{
  CrmServerUser *user = g_new0 (CrmServerUser, 1);

  user->id = column_dup (stmt, 0);
  user->company_id = column_dup (stmt, 1);
  user->name = column_dup (stmt, 2);
  user->password_hash = column_dup (stmt, 3);
  return user;
}

/* CrmServerStorage */

static char *
sqlite_get_epoch (CrmServerStorage  *storage,
                  GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = cached (self, "SELECT value FROM meta WHERE key = 'epoch'",
                                           error);

  if (stmt != NULL && step_row (stmt, error))
    return column_dup (stmt, 0);
  return NULL;
}

static gboolean
sqlite_set_epoch (CrmServerStorage  *storage,
                  const char        *epoch,
                  GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  if (!write_begin (self, error))
    return FALSE;
  stmt = prepare (self, "INSERT INTO meta (key, value) VALUES ('epoch', ?1) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  ok = stmt != NULL;
  if (ok)
    {
      bind_text (stmt, 1, epoch);
      ok = step_done (stmt, error)
           && exec (self, "UPDATE companies SET epoch_base = seq", error);
    }
  return write_end (self, ok, error);
}

static gint64
sqlite_max_seq (CrmServerStorage  *storage,
                GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "SELECT COALESCE (MAX (seq), 0) FROM companies",
                                           error);

  if (stmt != NULL && step_row (stmt, error))
    return sqlite3_column_int64 (stmt, 0);
  return -1;
}

static CrmServerCompany *
sqlite_find_company (CrmServerStorage  *storage,
                     const char        *slug_or_id,
                     GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = cached (self, "SELECT " COMPANY_COLUMNS " FROM companies "
                                                 "WHERE slug = ?1 OR id = ?1", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, slug_or_id);
  return step_found (stmt, _("No such company"), error) ? company_from_row (stmt) : NULL;
}

static CrmServerCompany *
sqlite_add_company (CrmServerStorage  *storage,
                    const char        *slug,
                    const char        *name,
                    GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = now_iso ();
  GError *local = NULL;

  stmt = prepare (self, "INSERT INTO companies (id, slug, name, created_at) "
                        "VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, slug);
  bind_text (stmt, 3, name);
  bind_text (stmt, 4, now);
  if (!step_done (stmt, &local))
    {
      if (g_error_matches (local, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_EXISTS))
        {
          g_clear_error (&local);
          g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_EXISTS,
                       _("A company named “%s” exists already"), slug);
        }
      else
        g_propagate_error (error, local);
      return NULL;
    }
  return sqlite_find_company (storage, id, error);
}

static GPtrArray *
sqlite_list_companies (CrmServerStorage  *storage,
                       GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "SELECT " COMPANY_COLUMNS " FROM companies "
                                                 "ORDER BY slug", error);
  g_autoptr (GPtrArray) companies = NULL;
  GError *local = NULL;

  if (stmt == NULL)
    return NULL;
  companies = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_server_company_free);
  while (step_row (stmt, &local))
    g_ptr_array_add (companies, company_from_row (stmt));
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&companies);
}

/* runs @sql with ?1 = @company_id (and ?2 = @text); FALSE with NOT_FOUND
 * when it changed no row and @must_change */
static gboolean
run_for_company (CrmServerSqlite  *self,
                 const char       *sql,
                 const char       *company_id,
                 const char       *text,
                 gboolean          must_change,
                 GError          **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, company_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    bind_text (stmt, 2, text);
  if (!step_done (stmt, error))
    return FALSE;
  if (must_change && sqlite3_changes (self->db) == 0)
    {
      set_not_found (error, _("No such company"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_set_expiry (CrmServerStorage  *storage,
                   const char        *company_id,
                   const char        *expires_on,
                   GError           **error)
{
  return run_for_company (CRM_SERVER_SQLITE (storage),
                          "UPDATE companies SET expires_on = ?2 WHERE id = ?1",
                          company_id, expires_on, TRUE, error);
}

static gboolean
sqlite_purge_company (CrmServerStorage  *storage,
                      const char        *company_id,
                      GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  static const char *const statements[] = {
    "DELETE FROM tokens WHERE company_id = ?1",
    "DELETE FROM mutations WHERE company_id = ?1",
    "DELETE FROM records WHERE company_id = ?1",
    "DELETE FROM blobs WHERE company_id = ?1",
    "DELETE FROM users WHERE company_id = ?1",
    "DELETE FROM companies WHERE id = ?1",
  };
  gboolean ok = TRUE;

  if (!write_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && i < G_N_ELEMENTS (statements); i++)
    ok = run_for_company (self, statements[i], company_id, NULL,
                          i == G_N_ELEMENTS (statements) - 1, error);
  return write_end (self, ok, error);
}

static CrmServerUser *
sqlite_find_user (CrmServerStorage  *storage,
                  const char        *company_id,
                  const char        *name,
                  GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "SELECT id, company_id, name, password_hash "
                                                 "FROM users "
                                                 "WHERE company_id = ?1 AND name = ?2", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, company_id);
  bind_text (stmt, 2, name);
  return step_found (stmt, _("No such user"), error) ? user_from_row (stmt) : NULL;
}

static CrmServerUser *
sqlite_add_user (CrmServerStorage  *storage,
                 const char        *company_id,
                 const char        *name,
                 const char        *password_hash,
                 GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = now_iso ();
  GError *local = NULL;

  stmt = prepare (self, "INSERT INTO users (id, company_id, name, password_hash, created_at) "
                        "SELECT ?1, id, ?3, ?4, ?5 FROM companies WHERE id = ?2", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, company_id);
  bind_text (stmt, 3, name);
  bind_text (stmt, 4, password_hash);
  bind_text (stmt, 5, now);
  if (!step_done (stmt, &local))
    {
      if (g_error_matches (local, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_EXISTS))
        {
          g_clear_error (&local);
          g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_EXISTS,
                       _("A user named “%s” exists already"), name);
        }
      else
        g_propagate_error (error, local);
      return NULL;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      set_not_found (error, _("No such company"));
      return NULL;
    }
  return sqlite_find_user (storage, company_id, name, error);
}

static gboolean
sqlite_add_token (CrmServerStorage     *storage,
                  const char           *token_hash,
                  const CrmServerUser  *user,
                  const char           *device,
                  GError              **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *now = now_iso ();

  /* the user must be the company's: the SELECT makes sure */
  stmt = prepare (self, "INSERT INTO tokens (hash, user_id, company_id, device, created_at, "
                        "                    last_used_at) "
                        "SELECT ?1, id, company_id, ?4, ?5, ?5 FROM users "
                        "WHERE id = ?2 AND company_id = ?3", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  bind_text (stmt, 2, user->id);
  bind_text (stmt, 3, user->company_id);
  bind_text (stmt, 4, device);
  bind_text (stmt, 5, now);
  if (!step_done (stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      set_not_found (error, _("No such user"));
      return FALSE;
    }
  return TRUE;
}

static CrmServerTokenOwner *
sqlite_find_token (CrmServerStorage  *storage,
                   const char        *token_hash,
                   GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = NULL;
  CrmServerTokenOwner *owner;

  stmt = cached (self, "SELECT t.user_id, t.company_id, u.name, t.device "
                       "FROM tokens t JOIN users u "
                       "  ON u.id = t.user_id AND u.company_id = t.company_id "
                       "WHERE t.hash = ?1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, token_hash);
  if (!step_found (stmt, "No such token", error))
    return NULL;
  owner = g_new0 (CrmServerTokenOwner, 1);
  owner->user_id = column_dup (stmt, 0);
  owner->company_id = column_dup (stmt, 1);
  owner->user_name = column_dup (stmt, 2);
  owner->device = column_dup (stmt, 3);
  return owner;
}

static gboolean
sqlite_delete_token (CrmServerStorage  *storage,
                     const char        *token_hash,
                     GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "DELETE FROM tokens WHERE hash = ?1", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  return step_done (stmt, error);
}

static GPtrArray *
sqlite_list_users (CrmServerStorage  *storage,
                   const char        *company_id,
                   GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "SELECT id, company_id, name, password_hash "
                                                 "FROM users WHERE company_id = ?1 "
                                                 "ORDER BY name", error);
  g_autoptr (GPtrArray) users = NULL;
  GError *local = NULL;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, company_id);
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_server_user_free);
  while (step_row (stmt, &local))
    g_ptr_array_add (users, user_from_row (stmt));
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&users);
}

static void
crm_server_sqlite_storage_init (CrmServerStorageInterface *iface)
{
  iface->get_epoch = sqlite_get_epoch;
  iface->set_epoch = sqlite_set_epoch;
  iface->max_seq = sqlite_max_seq;
  iface->add_company = sqlite_add_company;
  iface->find_company = sqlite_find_company;
  iface->list_companies = sqlite_list_companies;
  iface->set_expiry = sqlite_set_expiry;
  iface->purge_company = sqlite_purge_company;
  iface->add_user = sqlite_add_user;
  iface->find_user = sqlite_find_user;
  iface->add_token = sqlite_add_token;
  iface->find_token = sqlite_find_token;
  iface->delete_token = sqlite_delete_token;
  iface->list_users = sqlite_list_users;
  _crm_server_sqlite_records_init (iface);
}

static void
crm_server_sqlite_finalize (GObject *object)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (object);

  if (self->db != NULL)
    {
      if (self->in_transaction)
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_hash_table_remove_all (self->statements);
      sqlite3_close_v2 (self->db);
    }
  g_hash_table_unref (self->statements);
  G_OBJECT_CLASS (crm_server_sqlite_parent_class)->finalize (object);
}

static void
crm_server_sqlite_class_init (CrmServerSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_server_sqlite_finalize;
}

static void
crm_server_sqlite_init (CrmServerSqlite *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

/**
 * crm_server_sqlite_open:
 * @dir: the server's data directory
 * @create: make DIR/server.sqlite3 when it is missing
 *
 * Returns: (transfer full): the storage, or %NULL with @error set
 */
CrmServerSqlite *
crm_server_sqlite_open (const char  *dir,
                        gboolean     create,
                        GError     **error)
{
  g_autoptr (CrmServerSqlite) self = NULL;
  g_autofree char *path = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
  int rc;

  g_return_val_if_fail (dir != NULL, NULL);

  path = g_build_filename (dir, CRM_SERVER_SQLITE_FILE, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!create)
        {
          g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND,
                       _("%s is not a server directory (run “xiaohe-crm-server init” "
                         "first)"), dir);
          return NULL;
        }
      flags |= SQLITE_OPEN_CREATE;
    }

  self = g_object_new (CRM_TYPE_SERVER_SQLITE, NULL);
  rc = sqlite3_open_v2 (path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   _("Cannot open %s: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  /* the WAL and shared-memory files take the main file's mode */
  if ((flags & SQLITE_OPEN_CREATE) && g_chmod (path, 0600) != 0)
    g_warning ("Cannot make %s private: %s", path, g_strerror (errno));
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);
  if (!exec (self, "PRAGMA journal_mode = WAL", error)
      || !exec (self, "PRAGMA synchronous = FULL", error)
      || !exec (self, "PRAGMA foreign_keys = ON", error)
      /* a push of 1,000 mutations dirties more pages than the default 2 MiB
       * cache holds: SQLite would write them to the WAL before the commit,
       * page by page; a pull page reads the feed's pages again */
      || !exec (self, "PRAGMA cache_size = -65536", error)
      || !exec (self, "PRAGMA temp_store = MEMORY", error)
      || !exec (self, "PRAGMA wal_autocheckpoint = 8192", error)
      || !migrate (self, (flags & SQLITE_OPEN_CREATE) != 0, create, error))
    return NULL;
  return g_steal_pointer (&self);
}
