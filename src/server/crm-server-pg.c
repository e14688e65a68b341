/* crm-server-pg.c — CrmServerStorage on a PostgreSQL database, for several
 * `serve` processes sharing one (`--database postgresql://…`)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same answers as the SQLite backend (crm-server-sqlite.c), byte for
 * byte: ids, JSON and timestamps are text, stored as the server made them;
 * lists sort with COLLATE "C" (SQLite's byte order). This file: opening,
 * the schema, companies, users and tokens; crm-server-pg-records.c has the
 * writes and the change feed, crm-server-pg-connection.c the one
 * connection (a lost one is UNAVAILABLE, 503, and made again after a
 * backoff). The schema goes forward by meta's schema_version, in one
 * transaction under an advisory lock, so that processes started together
 * migrate once.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>
#include <string.h>

#include "crm-server-pg-private.h"

static void crm_server_pg_storage_init (CrmServerStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmServerPg, crm_server_pg, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRM_TYPE_SERVER_STORAGE,
                                                      crm_server_pg_storage_init))

/* pg_advisory_xact_lock's key while the schema goes forward: "XiaoheCR" */
#define MIGRATE_LOCK G_GINT64_CONSTANT (0x5869616f68654352)

/* Each entry takes the schema from version i to i + 1. Never edit one that
 * has shipped: add the next. The tables are those of the SQLite backend;
 * notices get an identity column for SQLite's rowid order. The index on
 * contact_id parses fields_json as json (not jsonb: the text stays as
 * stored, and json accepts what jsonb refuses, such as \u0000). */
static const char *const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE meta ("
  "  key   text PRIMARY KEY,"
  "  value text NOT NULL);"
  "CREATE TABLE companies ("
  "  id         text PRIMARY KEY,"
  "  slug       text NOT NULL UNIQUE,"
  "  name       text NOT NULL,"
  "  expires_on text,"
  "  seq        bigint NOT NULL DEFAULT 0,"
  "  epoch_base bigint NOT NULL DEFAULT 0,"
  "  created_at text NOT NULL);"
  "CREATE TABLE users ("
  "  id            text PRIMARY KEY,"
  "  company_id    text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  name          text NOT NULL,"
  "  password_hash text NOT NULL,"
  "  created_at    text NOT NULL,"
  "  UNIQUE (company_id, name));"
  "CREATE TABLE tokens ("
  "  hash         text PRIMARY KEY,"
  "  user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  company_id   text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  device       text NOT NULL,"
  "  created_at   text NOT NULL,"
  "  last_used_at text);"
  "CREATE INDEX tokens_by_user ON tokens (user_id);"
  "CREATE INDEX tokens_by_company ON tokens (company_id);"
  "CREATE TABLE records ("
  "  company_id          text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  kind                text NOT NULL,"
  "  id                  text NOT NULL,"
  "  version             bigint NOT NULL,"
  "  deleted             boolean NOT NULL DEFAULT false,"
  "  fields_json         text NOT NULL,"
  "  field_versions_json text NOT NULL,"
  "  updated_by          text,"
  "  updated_at          text NOT NULL,"
  "  PRIMARY KEY (company_id, kind, id));"
  "CREATE INDEX records_feed ON records (company_id, version);"
  "CREATE INDEX records_by_contact"
  "  ON records (company_id, kind, ((fields_json::json ->> 'contact_id')));"
  "CREATE TABLE mutations ("
  "  company_id  text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  client_id   text NOT NULL,"
  "  mutation_id text NOT NULL,"
  "  result_json text NOT NULL,"
  "  PRIMARY KEY (company_id, client_id, mutation_id));"
  "CREATE TABLE blobs ("
  "  company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,"
  "  sha256     text NOT NULL,"
  "  data       bytea NOT NULL,"
  "  size       bigint NOT NULL,"
  "  created_at text NOT NULL,"
  "  PRIMARY KEY (company_id, sha256));"
  "CREATE TABLE notices ("
  "  n             bigint GENERATED ALWAYS AS IDENTITY,"
  "  id            text NOT NULL UNIQUE,"
  "  kind          text NOT NULL CHECK (kind IN ('pricing', 'terms')),"
  "  title         text NOT NULL,"
  "  body          text NOT NULL,"
  "  published_at  text NOT NULL,"
  "  effective_at  text NOT NULL,"
  "  terms_version text);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CRM_SERVER_PG_SCHEMA_VERSION);

/* the tables of the schema: one of them without meta is no storage of ours */
#define OUR_TABLES \
  "'companies', 'users', 'tokens', 'records', 'mutations', 'blobs', 'notices'"

/* The schema */

/* The schema, made or brought up to date, in one transaction under an
 * advisory lock: a second process started at the same time waits, then
 * finds it made. A database without meta gets the schema only with
 * @create, and only when it holds none of our tables (else it is ours with
 * its number lost, or another program's: nothing is touched). */
static gboolean
migrate (CrmServerPg  *self,
         gboolean      create,
         GError      **error)
{
  g_autofree char *lock = g_strdup_printf ("SELECT pg_advisory_xact_lock (%" G_GINT64_FORMAT
                                           ")", MIGRATE_LOCK);
  g_autoptr (PGresult) result = NULL;
  int version = 0;

  if (!_crm_server_pg_begin_sql (self, error))
    return FALSE;
  if (!_crm_server_pg_exec (self, lock, error))
    goto failed;
  result = query (self, "SELECT to_regclass ('meta') IS NOT NULL, "
                        "  (SELECT count(*) FROM pg_catalog.pg_tables "
                        "   WHERE schemaname = current_schema () "
                        "     AND tablename IN (" OUR_TABLES "))", 0, NULL, error);
  if (result == NULL)
    goto failed;
  if (value_bool (result, 0, 0))
    {
      g_autoptr (PGresult) meta = query (self, "SELECT value FROM meta "
                                               "WHERE key = 'schema_version'", 0, NULL, error);
      char *end = NULL;
      gint64 number;

      if (meta == NULL)
        goto failed;
      number = PQntuples (meta) == 1 ? g_ascii_strtoll (PQgetvalue (meta, 0, 0), &end, 10) : -1;
      if (end == NULL || *end != '\0' || number < 1 || number > G_MAXINT)
        {
          g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                       _("The database %s on %s:%s is damaged, or not a xiaohe-crm-server "
                         "storage: it has no valid schema number; nothing was changed"),
                       self->db_name, self->host, self->port);
          goto failed;
        }
      version = (int) number;
    }
  else if (value_int64 (result, 0, 1) > 0)
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   _("The database %s on %s:%s is not a xiaohe-crm-server storage, or "
                     "it is damaged: it holds tables but no schema number; nothing was "
                     "changed"), self->db_name, self->host, self->port);
      goto failed;
    }
  else if (!create)
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND,
                   _("The database %s on %s:%s holds no server data (run "
                     "“xiaohe-crm-server init DIR --database URL” first)"),
                   self->db_name, self->host, self->port);
      goto failed;
    }

  if (version > CRM_SERVER_PG_SCHEMA_VERSION)
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   _("The server's data was written by a newer version (schema %d)"),
                   version);
      goto failed;
    }
  if (version < CRM_SERVER_PG_SCHEMA_VERSION)
    {
      g_autofree char *number = g_strdup_printf ("%d", CRM_SERVER_PG_SCHEMA_VERSION);
      const char *params[] = { number };
      g_autoptr (PGresult) bump = NULL;

      for (; version < CRM_SERVER_PG_SCHEMA_VERSION; version++)
        if (!_crm_server_pg_exec (self, migrations[version], error))
          goto failed;
      bump = query (self, "INSERT INTO meta (key, value) VALUES ('schema_version', $1) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    1, params, error);
      if (bump == NULL)
        goto failed;
    }
  return _crm_server_pg_commit (self, error);

failed:
  _crm_server_pg_rollback (self);
  return FALSE;
}

/* Companies, users, tokens */

static CrmServerCompany *
company_from_row (PGresult *result,
                  int       row)
{
  CrmServerCompany *company = g_new0 (CrmServerCompany, 1);

  company->id = value_dup (result, row, 0);
  company->slug = value_dup (result, row, 1);
  company->name = value_dup (result, row, 2);
  company->expires_on = value_dup (result, row, 3);
  company->seq = value_int64 (result, row, 4);
  company->epoch_base = value_int64 (result, row, 5);
  return company;
}

#define COMPANY_COLUMNS "id, slug, name, expires_on, seq, epoch_base"

static CrmServerUser *
user_from_row (PGresult *result,
               int       row)
{
  CrmServerUser *user = g_new0 (CrmServerUser, 1);

  user->id = value_dup (result, row, 0);
  user->company_id = value_dup (result, row, 1);
  user->name = value_dup (result, row, 2);
  user->password_hash = value_dup (result, row, 3);
  return user;
}

static char *
pg_get_epoch (CrmServerStorage  *storage,
              GError           **error)
{
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT value FROM meta WHERE key = 'epoch'",
                                       0, NULL, error);

  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return value_dup (result, 0, 0);
}

static gboolean
pg_set_epoch (CrmServerStorage  *storage,
              const char        *epoch,
              GError           **error)
{
  CrmServerPg *self = CRM_SERVER_PG (storage);
  const char *params[] = { epoch };
  g_autoptr (PGresult) set = NULL;
  g_autoptr (PGresult) bases = NULL;

  if (!_crm_server_pg_write_begin (self, error))
    return FALSE;
  set = query (self, "INSERT INTO meta (key, value) VALUES ('epoch', $1) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               1, params, error);
  if (set != NULL)
    bases = query (self, "UPDATE companies SET epoch_base = seq", 0, NULL, error);
  return _crm_server_pg_write_end (self, bases != NULL, error);
}

static gint64
pg_max_seq (CrmServerStorage  *storage,
            GError           **error)
{
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT COALESCE (MAX (seq), 0) FROM companies",
                                       0, NULL, error);

  return result != NULL ? value_int64 (result, 0, 0) : -1;
}

static CrmServerCompany *
pg_find_company (CrmServerStorage  *storage,
                 const char        *slug_or_id,
                 GError           **error)
{
  const char *params[] = { slug_or_id };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT " COMPANY_COLUMNS " FROM companies "
                                       "WHERE slug = $1 OR id = $1", 1, params, error);

  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      set_not_found (error, _("No such company"));
      return NULL;
    }
  return company_from_row (result, 0);
}

static CrmServerCompany *
pg_add_company (CrmServerStorage  *storage,
                const char        *slug,
                const char        *name,
                GError           **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = now_iso ();
  const char *params[] = { id, slug, name, now };
  g_autoptr (PGresult) result = NULL;
  GError *local = NULL;

  result = query (CRM_SERVER_PG (storage),
                  "INSERT INTO companies (id, slug, name, created_at) "
                  "VALUES ($1, $2, $3, $4)", 4, params, &local);
  if (result == NULL)
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
  return pg_find_company (storage, id, error);
}

static GPtrArray *
pg_list_companies (CrmServerStorage  *storage,
                   GError           **error)
{
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT " COMPANY_COLUMNS " FROM companies "
                                       "ORDER BY slug COLLATE \"C\"", 0, NULL, error);
  GPtrArray *companies;

  if (result == NULL)
    return NULL;
  companies = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_server_company_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (companies, company_from_row (result, i));
  return companies;
}

static gboolean
pg_set_expiry (CrmServerStorage  *storage,
               const char        *company_id,
               const char        *expires_on,
               GError           **error)
{
  const char *params[] = { company_id, expires_on };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "UPDATE companies SET expires_on = $2 WHERE id = $1",
                                       2, params, error);

  if (result == NULL)
    return FALSE;
  if (changes (result) == 0)
    {
      set_not_found (error, _("No such company"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_purge_company (CrmServerStorage  *storage,
                  const char        *company_id,
                  GError           **error)
{
  CrmServerPg *self = CRM_SERVER_PG (storage);
  static const char *const statements[] = {
    "DELETE FROM tokens WHERE company_id = $1",
    "DELETE FROM mutations WHERE company_id = $1",
    "DELETE FROM records WHERE company_id = $1",
    "DELETE FROM blobs WHERE company_id = $1",
    "DELETE FROM users WHERE company_id = $1",
    "DELETE FROM companies WHERE id = $1",
  };
  const char *params[] = { company_id };
  gboolean ok = TRUE;

  if (!_crm_server_pg_write_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr (PGresult) result = query (self, statements[i], 1, params, error);

      ok = result != NULL;
      if (ok && i == G_N_ELEMENTS (statements) - 1 && changes (result) == 0)
        {
          set_not_found (error, _("No such company"));
          ok = FALSE;
        }
    }
  return _crm_server_pg_write_end (self, ok, error);
}

static CrmServerUser *
pg_find_user (CrmServerStorage  *storage,
              const char        *company_id,
              const char        *name,
              GError           **error)
{
  const char *params[] = { company_id, name };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT id, company_id, name, password_hash "
                                       "FROM users WHERE company_id = $1 AND name = $2",
                                       2, params, error);

  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      set_not_found (error, _("No such user"));
      return NULL;
    }
  return user_from_row (result, 0);
}

static CrmServerUser *
pg_add_user (CrmServerStorage  *storage,
             const char        *company_id,
             const char        *name,
             const char        *password_hash,
             GError           **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = now_iso ();
  const char *params[] = { id, company_id, name, password_hash, now };
  g_autoptr (PGresult) result = NULL;
  GError *local = NULL;

  result = query (CRM_SERVER_PG (storage),
                  "INSERT INTO users (id, company_id, name, password_hash, created_at) "
                  "SELECT $1, id, $3, $4, $5 FROM companies WHERE id = $2", 5, params, &local);
  if (result == NULL)
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
  if (changes (result) == 0)
    {
      set_not_found (error, _("No such company"));
      return NULL;
    }
  return pg_find_user (storage, company_id, name, error);
}

static gboolean
pg_add_token (CrmServerStorage     *storage,
              const char           *token_hash,
              const CrmServerUser  *user,
              const char           *device,
              GError              **error)
{
  g_autofree char *now = now_iso ();
  const char *params[] = { token_hash, user->id, user->company_id, device, now };
  g_autoptr (PGresult) result = NULL;

  /* the user must be the company's: the SELECT makes sure */
  result = query (CRM_SERVER_PG (storage),
                  "INSERT INTO tokens (hash, user_id, company_id, device, created_at, "
                  "                    last_used_at) "
                  "SELECT $1, id, company_id, $4, $5, $5 FROM users "
                  "WHERE id = $2 AND company_id = $3", 5, params, error);
  if (result == NULL)
    return FALSE;
  if (changes (result) == 0)
    {
      set_not_found (error, _("No such user"));
      return FALSE;
    }
  return TRUE;
}

static CrmServerTokenOwner *
pg_find_token (CrmServerStorage  *storage,
               const char        *token_hash,
               GError           **error)
{
  const char *params[] = { token_hash };
  g_autoptr (PGresult) result = NULL;
  CrmServerTokenOwner *owner;

  result = query (CRM_SERVER_PG (storage),
                  "SELECT t.user_id, t.company_id, u.name, t.device "
                  "FROM tokens t JOIN users u "
                  "  ON u.id = t.user_id AND u.company_id = t.company_id "
                  "WHERE t.hash = $1", 1, params, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      set_not_found (error, "No such token");
      return NULL;
    }
  owner = g_new0 (CrmServerTokenOwner, 1);
  owner->user_id = value_dup (result, 0, 0);
  owner->company_id = value_dup (result, 0, 1);
  owner->user_name = value_dup (result, 0, 2);
  owner->device = value_dup (result, 0, 3);
  return owner;
}

static gboolean
pg_delete_token (CrmServerStorage  *storage,
                 const char        *token_hash,
                 GError           **error)
{
  const char *params[] = { token_hash };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "DELETE FROM tokens WHERE hash = $1", 1, params, error);

  return result != NULL;
}

static GPtrArray *
pg_list_users (CrmServerStorage  *storage,
               const char        *company_id,
               GError           **error)
{
  const char *params[] = { company_id };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT id, company_id, name, password_hash "
                                       "FROM users WHERE company_id = $1 "
                                       "ORDER BY name COLLATE \"C\"", 1, params, error);
  GPtrArray *users;

  if (result == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_server_user_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (users, user_from_row (result, i));
  return users;
}

static void
crm_server_pg_storage_init (CrmServerStorageInterface *iface)
{
  iface->get_epoch = pg_get_epoch;
  iface->set_epoch = pg_set_epoch;
  iface->max_seq = pg_max_seq;
  iface->add_company = pg_add_company;
  iface->find_company = pg_find_company;
  iface->list_companies = pg_list_companies;
  iface->set_expiry = pg_set_expiry;
  iface->purge_company = pg_purge_company;
  iface->add_user = pg_add_user;
  iface->find_user = pg_find_user;
  iface->add_token = pg_add_token;
  iface->find_token = pg_find_token;
  iface->delete_token = pg_delete_token;
  iface->list_users = pg_list_users;
  _crm_server_pg_records_init (iface);
}

static void
crm_server_pg_finalize (GObject *object)
{
  CrmServerPg *self = CRM_SERVER_PG (object);

  if (self->open_sql)
    _crm_server_pg_rollback (self);
  if (self->conn != NULL)
    PQfinish (self->conn);
  g_hash_table_unref (self->statements);
  if (self->conninfo != NULL)
    explicit_bzero (self->conninfo, strlen (self->conninfo));
  g_free (self->conninfo);
  g_free (self->db_name);
  g_free (self->host);
  g_free (self->port);
  g_free (self->description);
  g_free (self->last_error);
  G_OBJECT_CLASS (crm_server_pg_parent_class)->finalize (object);
}

static void
crm_server_pg_class_init (CrmServerPgClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_server_pg_finalize;
}

static void
crm_server_pg_init (CrmServerPg *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->backoff_ms = CRM_SERVER_PG_BACKOFF_FIRST_MS;
}

/**
 * crm_server_pg_open:
 * @conninfo: a postgresql:// URL (or a libpq connection string)
 * @create: make the schema when the database has none
 *
 * Returns: (transfer full): the storage, or %NULL with @error set
 */
CrmServerPg *
crm_server_pg_open (const char  *conninfo,
                    gboolean     create,
                    GError     **error)
{
  g_autoptr (CrmServerPg) self = NULL;
  g_autofree char *why = NULL;
  PQconninfoOption *options;
  char *parse_error = NULL;

  g_return_val_if_fail (conninfo != NULL, NULL);

  /* a URL libpq cannot read is no outage: say so, without the URL */
  options = PQconninfoParse (conninfo, &parse_error);
  if (options == NULL)
    {
      g_autofree char *detail = _crm_server_pg_clean_message (parse_error);

      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   _("The database URL is not valid: %s"), detail);
      PQfreemem (parse_error);
      return NULL;
    }
  PQconninfoFree (options);

  self = g_object_new (CRM_TYPE_SERVER_PG, NULL);
  self->conninfo = g_strdup (conninfo);
  if (!_crm_server_pg_connect (self, &why))
    {
      _crm_server_pg_set_unavailable (error, why);
      return NULL;
    }
  if (!migrate (self, create, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * crm_server_pg_describe:
 *
 * Returns: (transfer full): "database NAME on HOST:PORT", for the log
 */
char *
crm_server_pg_describe (CrmServerPg *self)
{
  g_return_val_if_fail (CRM_IS_SERVER_PG (self), NULL);
  return g_strdup (self->description);
}
