/* crm-store.c — the local SQLite database
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file, xiaohe-crm.sqlite3, in the data directory. WAL journal, foreign
 * keys on, synchronous=FULL (a saved contact survives a power cut), the schema
 * versioned by PRAGMA user_version and moved forward by the migrations below,
 * never backward. Every write happens in a transaction on the thread that owns
 * the store; searches may run on other threads through their own read-only
 * connections (WAL lets them read while the owner writes).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "crm-contact-private.h"
#include "crm-deal-private.h"
#include "crm-search-private.h"
#include "crm-store-health.h"
#include "crm-store-private.h"
#include "crm-uscc.h"
#include "crm-validate.h"

struct _CrmStore
{
  GObject   parent_instance;

  char     *data_dir;
  char     *path;
  sqlite3  *db;
  CrmStoreHealth *health;   /* damaged: writes refused (crm-store-health.c) */
};

G_DEFINE_FINAL_TYPE (CrmStore, crm_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (crm-store-error-quark, crm_store_error)

enum {
  CONTACT_CHANGED,
  CONTACTS_RESET,
  DEAL_CHANGED,
  DEALS_RESET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_DAMAGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* refuses the write when the store is damaged */
#define RETURN_IF_DAMAGED(self, error) \
  G_STMT_START { \
    if (!_crm_store_health_writable ((self)->health, (error))) \
      return FALSE; \
  } G_STMT_END

/* Forward-only migrations: migrations[i] takes user_version i to i + 1. */
static const char * const migrations[CRM_STORE_SCHEMA_VERSION] = {
  /* 1: contacts and a key-value table for the app's own facts */
  "CREATE TABLE contacts ("
  "  local_id INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  company TEXT NOT NULL DEFAULT '',"
  "  title TEXT NOT NULL DEFAULT '',"
  "  mobile TEXT NOT NULL DEFAULT '',"
  "  phone TEXT NOT NULL DEFAULT '',"
  "  email TEXT NOT NULL DEFAULT '',"
  "  wechat TEXT NOT NULL DEFAULT '',"
  "  address TEXT NOT NULL DEFAULT '',"
  "  tags TEXT NOT NULL DEFAULT '',"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  owner TEXT NOT NULL DEFAULT '',"
  "  sort_key TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  server_version INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX contacts_by_sort_key ON contacts (sort_key, id) WHERE deleted = 0;"
  "CREATE INDEX contacts_by_mobile ON contacts (mobile);"
  "CREATE INDEX contacts_by_email ON contacts (email COLLATE NOCASE);"
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",

  /* 2: the substring search index (see crm-search.c); tombstones are left out */
  "CREATE VIRTUAL TABLE contacts_fts USING fts5 ("
  "  name, company, mobile, phone, email, wechat,"
  "  content = 'contacts', content_rowid = 'local_id',"
  "  tokenize = '" CRM_SEARCH_TOKENIZER "', detail = full, columnsize = 0"
  ");"
  "CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts WHEN new.deleted = 0 BEGIN"
  "  INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)"
  "  VALUES (new.local_id, new.name, new.company, new.mobile, new.phone, new.email, new.wechat);"
  "END;"
  "CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts WHEN old.deleted = 0 BEGIN"
  "  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, mobile, phone, email, wechat)"
  "  VALUES ('delete', old.local_id, old.name, old.company, old.mobile, old.phone, old.email,"
  "          old.wechat);"
  "END;"
  "CREATE TRIGGER contacts_fts_update"
  "  AFTER UPDATE OF name, company, mobile, phone, email, wechat, deleted ON contacts BEGIN"
  "  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, mobile, phone, email, wechat)"
  "  SELECT 'delete', old.local_id, old.name, old.company, old.mobile, old.phone, old.email,"
  "         old.wechat WHERE old.deleted = 0;"
  "  INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)"
  "  SELECT new.local_id, new.name, new.company, new.mobile, new.phone, new.email, new.wechat"
  "  WHERE new.deleted = 0;"
  "END;"
  "INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)"
  "  SELECT local_id, name, company, mobile, phone, email, wechat FROM contacts"
  "  WHERE deleted = 0;",

  /* 3: the number of live contacts, kept by triggers: count(*) walks a
   * million index entries, and the list needs the number at start-up */
  "CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
  "INSERT INTO counters SELECT 'contacts', count(*) FROM contacts WHERE deleted = 0;"
  "CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts WHEN new.deleted = 0 BEGIN"
  "  UPDATE counters SET n = n + 1 WHERE name = 'contacts';"
  "END;"
  "CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts WHEN old.deleted = 0 BEGIN"
  "  UPDATE counters SET n = n - 1 WHERE name = 'contacts';"
  "END;"
  "CREATE TRIGGER contacts_count_update AFTER UPDATE OF deleted ON contacts"
  "  WHEN old.deleted <> new.deleted BEGIN"
  "  UPDATE counters SET n = n + old.deleted - new.deleted WHERE name = 'contacts';"
  "END;",

  /* 4: which terms of service were accepted, when, and in which language:
   * kept with the data, so exports carry it */
  "CREATE TABLE terms_acceptance ("
  "  version TEXT NOT NULL,"
  "  language TEXT NOT NULL,"
  "  accepted_at TEXT NOT NULL"
  ");",

  /* 5: content-addressed blobs (license scans) and the company's
   * certification, locked by triggers once certified */
  "CREATE TABLE blobs ("
  "  sha256 TEXT PRIMARY KEY CHECK (length (sha256) = 64),"
  "  mime_type TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  data BLOB NOT NULL,"
  "  created_at TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE certification ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  company_name TEXT NOT NULL DEFAULT '',"
  "  uscc TEXT NOT NULL DEFAULT '',"
  "  legal_representative TEXT NOT NULL DEFAULT '',"
  "  address TEXT NOT NULL DEFAULT '',"
  "  license_sha256 TEXT REFERENCES blobs (sha256),"
  "  license_mime_type TEXT,"
  "  license_name TEXT,"
  "  license_size INTEGER,"
  "  status TEXT NOT NULL DEFAULT 'draft'"
  "    CHECK (status IN ('draft', 'submitted', 'certified', 'rejected')),"
  "  reject_reason TEXT NOT NULL DEFAULT '',"
  "  updated_at TEXT NOT NULL,"
  "  server_version INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TRIGGER certification_locked BEFORE UPDATE ON certification"
  "  WHEN old.status = 'certified' AND ("
  "    new.company_name IS NOT old.company_name OR new.uscc IS NOT old.uscc"
  "    OR new.legal_representative IS NOT old.legal_representative"
  "    OR new.address IS NOT old.address OR new.license_sha256 IS NOT old.license_sha256"
  "    OR new.license_mime_type IS NOT old.license_mime_type"
  "    OR new.license_size IS NOT old.license_size OR new.status <> 'certified') BEGIN"
  "  SELECT RAISE (ABORT, 'crm: certified information cannot be changed');"
  "END;"
  "CREATE TRIGGER certification_locked_delete BEFORE DELETE ON certification"
  "  WHEN old.status = 'certified' BEGIN"
  "  SELECT RAISE (ABORT, 'crm: certified information cannot be changed');"
  "END;",

  /* 6: deals, amounts in fen; a contact with live deals cannot be deleted
   * (tombstoned) until its deals are dealt with: never orphaned silently */
  "CREATE TABLE deals ("
  "  local_id INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  title TEXT NOT NULL CHECK (title <> ''),"
  "  contact_id TEXT REFERENCES contacts (id) ON DELETE RESTRICT,"
  "  amount_fen INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),"
  "  currency TEXT NOT NULL DEFAULT 'CNY',"
  "  stage TEXT NOT NULL DEFAULT 'lead' CHECK (stage IN ('lead', 'qualified', 'proposal',"
  "    'negotiation', 'won', 'lost')),"
  "  probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),"
  "  expected_close TEXT,"
  "  lost_reason TEXT NOT NULL DEFAULT '' CHECK (stage <> 'lost' OR lost_reason <> ''),"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  won_at TEXT,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  server_version INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX deals_by_stage ON deals (stage, position, local_id) WHERE deleted = 0;"
  "CREATE INDEX deals_by_contact ON deals (contact_id) WHERE deleted = 0;"
  "CREATE TRIGGER contacts_keep_deals BEFORE UPDATE OF deleted ON contacts"
  "  WHEN new.deleted = 1 AND old.deleted = 0"
  "  AND EXISTS (SELECT 1 FROM deals WHERE contact_id = old.id AND deleted = 0) BEGIN"
  "  SELECT RAISE (ABORT, 'crm: the contact has deals');"
  "END;",

  /* 7: the deals header's figures kept by triggers (a GROUP BY over 100k
   * deals reads every row), won_at indexed for "won this month", and the
   * list's sort orders indexed; no expected close is NULL, never '' */
  "UPDATE deals SET expected_close = NULL WHERE expected_close = '';"
  "CREATE TABLE deal_totals ("
  "  stage TEXT PRIMARY KEY,"
  "  n INTEGER NOT NULL DEFAULT 0,"
  "  amount INTEGER NOT NULL DEFAULT 0,"
  "  weighted_x100 INTEGER NOT NULL DEFAULT 0"
  ") WITHOUT ROWID;"
  "INSERT INTO deal_totals (stage) VALUES ('lead'), ('qualified'), ('proposal'),"
  "  ('negotiation'), ('won'), ('lost');"
  "UPDATE deal_totals SET"
  "  n = (SELECT count(*) FROM deals WHERE deleted = 0 AND stage = deal_totals.stage),"
  "  amount = (SELECT coalesce (sum (amount_fen), 0) FROM deals"
  "            WHERE deleted = 0 AND stage = deal_totals.stage),"
  "  weighted_x100 = (SELECT coalesce (sum (amount_fen * probability), 0) FROM deals"
  "                   WHERE deleted = 0 AND stage = deal_totals.stage);"
  "CREATE TRIGGER deal_totals_insert AFTER INSERT ON deals WHEN new.deleted = 0 BEGIN"
  "  UPDATE deal_totals SET n = n + 1, amount = amount + new.amount_fen,"
  "    weighted_x100 = weighted_x100 + new.amount_fen * new.probability"
  "  WHERE stage = new.stage;"
  "END;"
  "CREATE TRIGGER deal_totals_delete AFTER DELETE ON deals WHEN old.deleted = 0 BEGIN"
  "  UPDATE deal_totals SET n = n - 1, amount = amount - old.amount_fen,"
  "    weighted_x100 = weighted_x100 - old.amount_fen * old.probability"
  "  WHERE stage = old.stage;"
  "END;"
  "CREATE TRIGGER deal_totals_update"
  "  AFTER UPDATE OF stage, amount_fen, probability, deleted ON deals BEGIN"
  "  UPDATE deal_totals SET n = n - 1, amount = amount - old.amount_fen,"
  "    weighted_x100 = weighted_x100 - old.amount_fen * old.probability"
  "  WHERE stage = old.stage AND old.deleted = 0;"
  "  UPDATE deal_totals SET n = n + 1, amount = amount + new.amount_fen,"
  "    weighted_x100 = weighted_x100 + new.amount_fen * new.probability"
  "  WHERE stage = new.stage AND new.deleted = 0;"
  "END;"
  "CREATE INDEX deals_won ON deals (won_at, amount_fen) WHERE deleted = 0 AND stage = 'won';"
  "CREATE INDEX deals_by_amount ON deals (amount_fen) WHERE deleted = 0;"
  "CREATE INDEX deals_by_updated ON deals (updated_at) WHERE deleted = 0;",
};

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

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _crm_store_set_error (error, db, rc, _("Database error"));
  return TRUE;
}

/* for the reads that answer without an error: a damaged file still makes
 * the store damaged (through _crm_store_set_error()) */
static void
note_failure (sqlite3 *db,
              int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    _crm_store_set_error (NULL, db, rc, "");
}

static int
get_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  note_failure (db, rc);
  return version;
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
  int current = get_user_version (db);

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
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (db, migrations[v], error) || !exec (db, bump, error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          g_prefix_error (error, _("Cannot update the database to version %d: "), v + 1);
          return FALSE;
        }
      if (!exec (db, "COMMIT", error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

static sqlite3 *
open_connection (const char  *path,
                 int          flags,
                 GError     **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"), path,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 5000);
  if (_crm_search_register_tokenizer (db) != SQLITE_OK)
    {
      _crm_store_set_error (error, db, sqlite3_errcode (db), _("Cannot set up search"));
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static void
crm_store_finalize (GObject *object)
{
  CrmStore *self = (CrmStore *)object;

  if (self->db != NULL && crm_store_is_damaged (self))
    {
      /* the file stays exactly as it is: no checkpoint, the WAL kept */
      sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
      sqlite3_close_v2 (self->db);
    }
  else if (self->db != NULL)
    {
      /* folds the WAL back into the database file */
      sqlite3_exec (self->db, "PRAGMA optimize", NULL, NULL, NULL);
      sqlite3_close_v2 (self->db);
    }
  g_clear_pointer (&self->health, _crm_store_health_free);
  g_free (self->data_dir);
  g_free (self->path);

  G_OBJECT_CLASS (crm_store_parent_class)->finalize (object);
}

static void
crm_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CrmStore *self = CRM_STORE (object);

  switch (prop_id)
    {
    case PROP_DAMAGED:
      g_value_set_boolean (value, crm_store_is_damaged (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_store_class_init (CrmStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_store_finalize;
  object_class->get_property = crm_store_get_property;

  /**
   * CrmStore:damaged:
   *
   * Whether SQLite found the file damaged: every write is refused from
   * then on. Notified on the main context of the thread that opened it.
   */
  properties[PROP_DAMAGED] =
    g_param_spec_boolean ("damaged", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmStore::contact-changed:
   * @before: (nullable): the contact as it was, %NULL if it is new or restored
   * @after: (nullable): the contact as it is now, %NULL if it was deleted
   *
   * Emitted after a change to one contact has been committed.
   */
  signals[CONTACT_CHANGED] =
    g_signal_new ("contact-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CRM_TYPE_CONTACT, CRM_TYPE_CONTACT);

  /**
   * CrmStore::contacts-reset:
   *
   * Emitted after many contacts changed at once (an import).
   */
  signals[CONTACTS_RESET] =
    g_signal_new ("contacts-reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CrmStore::deal-changed:
   * @before: (nullable): the deal as it was, %NULL if it is new or restored
   * @after: (nullable): the deal as it is now, %NULL if it was deleted
   *
   * Emitted after a change to one deal has been committed.
   */
  signals[DEAL_CHANGED] =
    g_signal_new ("deal-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CRM_TYPE_DEAL, CRM_TYPE_DEAL);

  /**
   * CrmStore::deals-reset:
   *
   * Emitted after many deals changed at once (an import, a contact deleted
   * with its deals, a contact's name that deals show).
   */
  signals[DEALS_RESET] =
    g_signal_new ("deals-reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
crm_store_init (CrmStore *self)
{
}

/**
 * crm_store_default_data_dir:
 *
 * Returns: (transfer full): `$XIAOHE_CRM_DATA_DIR` if set, else
 *   `$XDG_DATA_HOME/xiaohe-crm`.
 */
char *
crm_store_default_data_dir (void)
{
  const char *env = g_getenv ("XIAOHE_CRM_DATA_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "xiaohe-crm", NULL);
}

/**
 * crm_store_open:
 * @data_dir: (nullable): the folder of the database, or %NULL for the default
 *
 * Opens the database in @data_dir, creating the folder and the file when
 * needed and migrating an older schema.
 *
 * Returns: (transfer full): the store, or %NULL with @error set.
 */
CrmStore *
crm_store_open (const char  *data_dir,
                GError     **error)
{
  g_autoptr (CrmStore) self = g_object_new (CRM_TYPE_STORE, NULL);
  int rc;

  self->data_dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();
  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_OPEN,
                   _("Cannot create the data folder “%s”: %s"),
                   self->data_dir, g_strerror (saved_errno));
      return NULL;
    }
  self->path = g_build_filename (self->data_dir, CRM_STORE_FILE_NAME, NULL);
  if (!_crm_store_check_not_emptied (self->data_dir, self->path, error))
    return NULL;

  self->db = open_connection (self->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
  if (self->db == NULL)
    return NULL;

  /* the first statement that reads the file tells whether it is a database */
  rc = sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot open the database"));
      return NULL;
    }
  if (!exec (self->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
             " PRAGMA cache_size = -32768;", error))
    return NULL;
  if (!_crm_store_migrate_to (self->db, CRM_STORE_SCHEMA_VERSION, error))
    return NULL;
  _crm_store_write_marker (self->data_dir);
  self->health = _crm_store_health_new (self, self->db);

  return g_steal_pointer (&self);
}

/**
 * crm_store_is_damaged:
 *
 * Returns: whether SQLite found the file damaged (see CrmStore:damaged);
 *   true at once, on any thread, while the notification follows on the
 *   store's main context.
 */
gboolean
crm_store_is_damaged (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  return _crm_store_health_is_damaged (self->health);
}

/**
 * crm_store_get_damage:
 *
 * Returns: (nullable): what SQLite said about the damage, %NULL if none
 */
const char *
crm_store_get_damage (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  return _crm_store_health_get_reason (self->health);
}

const char *
crm_store_get_path (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  return self->path;
}

int
crm_store_get_schema_version (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), -1);
  return get_user_version (self->db);
}

sqlite3 *
_crm_store_get_db (CrmStore *self)
{
  return self->db;
}

/**
 * _crm_store_open_reader:
 *
 * Returns: a new read-only connection to the same file, for another thread.
 */
sqlite3 *
_crm_store_open_reader (CrmStore  *self,
                        GError   **error)
{
  sqlite3 *db = open_connection (self->path, SQLITE_OPEN_READONLY, error);

  if (db != NULL)
    sqlite3_exec (db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
  return db;
}

CrmContact *
_crm_store_contact_from_row (sqlite3_stmt *stmt)
{
  CrmContact *contact = crm_contact_new ();

  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    crm_contact_set_field (contact, i, (const char *)sqlite3_column_text (stmt, 7 + i));
  _crm_contact_set_stored (contact,
                           sqlite3_column_int64 (stmt, 0),
                           (const char *)sqlite3_column_text (stmt, 1),
                           (const char *)sqlite3_column_text (stmt, 2),
                           (const char *)sqlite3_column_text (stmt, 3),
                           (const char *)sqlite3_column_text (stmt, 4),
                           sqlite3_column_int (stmt, 5),
                           sqlite3_column_int64 (stmt, 6));
  return contact;
}

static char *
now_iso8601 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static CrmContact *
get_contact_where (CrmStore    *self,
                   const char  *column,
                   const char  *text,
                   gint64       number,
                   GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT " CRM_CONTACT_COLUMNS
                                          " FROM contacts WHERE %s = ?1", column);
  sqlite3_stmt *stmt = NULL;
  CrmContact *contact = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot read the contact"));
      return NULL;
    }
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, number);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    contact = _crm_store_contact_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                 _("The contact no longer exists"));
  else
    _crm_store_set_error (error, self->db, rc, _("Cannot read the contact"));
  sqlite3_finalize (stmt);
  return contact;
}

/**
 * crm_store_get_contact:
 * @id: the contact's UUID
 *
 * Returns: (transfer full): the contact, tombstone or not, or %NULL with
 *   %CRM_STORE_ERROR_NOT_FOUND.
 */
CrmContact *
crm_store_get_contact (CrmStore    *self,
                       const char  *id,
                       GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return get_contact_where (self, "id", id, 0, error);
}

static void
bind_fields (sqlite3_stmt *stmt,
             CrmContact   *contact,
             int           first)
{
  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    sqlite3_bind_text (stmt, first + i, crm_contact_get_field (contact, i), -1, SQLITE_STATIC);
}

#define INSERT_SQL \
  "INSERT INTO contacts (name, company, title, mobile, phone, email, wechat, address, tags," \
  " notes, owner, id, sort_key, created_at, updated_at) VALUES " \
  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)"

#define UPDATE_SQL \
  "UPDATE contacts SET name = ?1, company = ?2, title = ?3, mobile = ?4, phone = ?5," \
  " email = ?6, wechat = ?7, address = ?8, tags = ?9, notes = ?10, owner = ?11," \
  " sort_key = ?13, updated_at = ?14 WHERE id = ?12 AND deleted = 0"

/* Inserts one validated contact with the prepared INSERT_SQL statement and
 * records its new identity in it. */
static int
insert_one (sqlite3      *db,
            sqlite3_stmt *stmt,
            CrmContact   *contact,
            const char   *now)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *sort_key = _crm_contact_make_sort_key (crm_contact_get_name (contact));
  int rc;

  sqlite3_reset (stmt);
  bind_fields (stmt, contact, 1);
  sqlite3_bind_text (stmt, 12, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, sort_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    _crm_contact_set_stored (contact, sqlite3_last_insert_rowid (db), id, sort_key,
                             now, now, FALSE, 0);
  return rc;
}

/**
 * crm_store_save_contact:
 * @contact: a new contact, or one read from this store
 *
 * Validates @contact (normalising its fields in place) and writes it: a new
 * contact gets its id and timestamps, an existing one a new updated_at.
 *
 * Returns: %TRUE on success; %CRM_STORE_ERROR_INVALID wraps a validation
 *   error, whose message is meant for the person.
 */
gboolean
crm_store_save_contact (CrmStore    *self,
                        CrmContact  *contact,
                        GError     **error)
{
  g_autoptr (CrmContact) before = NULL;
  g_autoptr (GError) invalid = NULL;
  g_autofree char *now = now_iso8601 ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), FALSE);

  RETURN_IF_DAMAGED (self, error);

  if (!crm_validate_contact (contact, NULL, &invalid))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, invalid->message);
      return FALSE;
    }

  if (!crm_contact_is_saved (contact))
    {
      rc = sqlite3_prepare_v2 (self->db, INSERT_SQL, -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = insert_one (self->db, stmt, contact, now);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        return _crm_store_set_error (error, self->db, rc, _("Cannot save the contact"));
      g_signal_emit (self, signals[CONTACT_CHANGED], 0, NULL, contact);
      return TRUE;
    }

  before = get_contact_where (self, "local_id", NULL, _crm_contact_get_rowid (contact), error);
  if (before == NULL)
    return FALSE;
  if (crm_contact_get_deleted (before))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("The contact was deleted meanwhile"));
      return FALSE;
    }

  {
    g_autofree char *sort_key = _crm_contact_make_sort_key (crm_contact_get_name (contact));

    rc = sqlite3_prepare_v2 (self->db, UPDATE_SQL, -1, &stmt, NULL);
    if (rc == SQLITE_OK)
      {
        bind_fields (stmt, contact, 1);
        sqlite3_bind_text (stmt, 12, crm_contact_get_id (contact), -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 13, sort_key, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 14, now, -1, SQLITE_STATIC);
        rc = sqlite3_step (stmt);
      }
    sqlite3_finalize (stmt);
    if (rc != SQLITE_DONE)
      return _crm_store_set_error (error, self->db, rc, _("Cannot save the contact"));

    _crm_contact_set_stored (contact, _crm_contact_get_rowid (before),
                             crm_contact_get_id (before), sort_key,
                             crm_contact_get_created_at (before), now, FALSE,
                             crm_contact_get_server_version (before));
  }
  g_signal_emit (self, signals[CONTACT_CHANGED], 0, before, contact);
  /* the deals that show the name */
  if (g_strcmp0 (crm_contact_get_name (before), crm_contact_get_name (contact)) != 0
      && crm_store_count_contact_deals (self, contact) > 0)
    g_signal_emit (self, signals[DEALS_RESET], 0);
  return TRUE;
}

/**
 * crm_store_insert_contacts:
 * @contacts: (element-type CrmContact): new contacts
 *
 * Validates and inserts many contacts in one transaction: all of them or,
 * on any error, none. Emits #CrmStore::contacts-reset once.
 */
gboolean
crm_store_insert_contacts (CrmStore   *self,
                           GPtrArray  *contacts,
                           GError    **error)
{
  g_autofree char *now = now_iso8601 ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (contacts != NULL, FALSE);

  RETURN_IF_DAMAGED (self, error);

  for (guint i = 0; i < contacts->len; i++)
    {
      g_autoptr (GError) invalid = NULL;

      if (!crm_validate_contact (g_ptr_array_index (contacts, i), NULL, &invalid))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("Contact %u: %s"), i + 1, invalid->message);
          return FALSE;
        }
    }

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  rc = sqlite3_prepare_v2 (self->db, INSERT_SQL, -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < contacts->len; i++)
    {
      rc = insert_one (self->db, stmt, g_ptr_array_index (contacts, i), now);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot save the contacts"));
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      for (guint i = 0; i < contacts->len; i++)
        _crm_contact_set_stored (g_ptr_array_index (contacts, i), 0, NULL, NULL, NULL, NULL,
                                 FALSE, 0);
      return FALSE;
    }
  if (!exec (self->db, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  g_signal_emit (self, signals[CONTACTS_RESET], 0);
  return TRUE;
}

static gboolean
set_deleted (CrmStore    *self,
             CrmContact  *contact,
             gboolean     deleted,
             GError     **error)
{
  g_autofree char *now = now_iso8601 ();
  g_autoptr (CrmContact) before = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  RETURN_IF_DAMAGED (self, error);

  before = get_contact_where (self, "id", crm_contact_get_id (contact), 0, error);
  if (before == NULL)
    return FALSE;
  if (crm_contact_get_deleted (before) == deleted)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   deleted ? _("The contact was already deleted")
                           : _("The contact is not deleted"));
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (self->db,
                           "UPDATE contacts SET deleted = ?1, updated_at = ?2 WHERE id = ?3",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, deleted);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, crm_contact_get_id (contact), -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, self->db, rc,
                                 deleted ? _("Cannot delete the contact")
                                         : _("Cannot restore the contact"));

  _crm_contact_set_stored (contact, _crm_contact_get_rowid (before), crm_contact_get_id (before),
                           _crm_contact_get_sort_key (before),
                           crm_contact_get_created_at (before), now, deleted,
                           crm_contact_get_server_version (before));
  if (deleted)
    g_signal_emit (self, signals[CONTACT_CHANGED], 0, before, NULL);
  else
    g_signal_emit (self, signals[CONTACT_CHANGED], 0, NULL, contact);
  return TRUE;
}

/**
 * crm_store_delete_contact:
 *
 * Marks @contact deleted (a tombstone, kept for sync and for undo).
 */
gboolean
crm_store_delete_contact (CrmStore    *self,
                          CrmContact  *contact,
                          GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), FALSE);
  return set_deleted (self, contact, TRUE, error);
}

/**
 * crm_store_restore_contact:
 *
 * Brings a deleted contact back, as it was.
 */
gboolean
crm_store_restore_contact (CrmStore    *self,
                           CrmContact  *contact,
                           GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), FALSE);
  return set_deleted (self, contact, FALSE, error);
}

guint
crm_store_count_contacts (CrmStore *self)
{
  sqlite3_stmt *stmt = NULL;
  guint count = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  rc = sqlite3_prepare_v2 (self->db, "SELECT n FROM counters WHERE name = 'contacts'",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  note_failure (self->db, rc);
  return count;
}

static gboolean
collect_contacts (sqlite3      *db,
                  sqlite3_stmt *stmt,
                  GPtrArray    *out,
                  GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, _crm_store_contact_from_row (stmt));
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, db, rc, _("Cannot read the contacts"));
  return TRUE;
}

/**
 * crm_store_find_duplicates:
 * @contact: a contact being edited (saved or not)
 *
 * Returns: (transfer container) (element-type CrmContact): the other live
 *   contacts with the same mobile number or e-mail address, at most five.
 */
GPtrArray *
crm_store_find_duplicates (CrmStore    *self,
                           CrmContact  *contact,
                           GError     **error)
{
  static const struct { CrmContactField field; const char *sql; } checks[] = {
    { CRM_CONTACT_FIELD_MOBILE,
      "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
      " WHERE mobile = ?1 AND deleted = 0 AND id IS NOT ?2 LIMIT 5" },
    { CRM_CONTACT_FIELD_EMAIL,
      "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
      " WHERE email = ?1 COLLATE NOCASE AND deleted = 0 AND id IS NOT ?2 LIMIT 5" },
  };
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *value = NULL;
      sqlite3_stmt *stmt = NULL;
      gboolean ok;
      int rc;

      if (!crm_validate_field (checks[i].field, crm_contact_get_field (contact, checks[i].field),
                               &value, NULL) || *value == '\0')
        continue;

      rc = sqlite3_prepare_v2 (self->db, checks[i].sql, -1, &stmt, NULL);
      if (rc != SQLITE_OK)
        return _crm_store_set_error (error, self->db, rc, _("Cannot look for duplicates")),
               NULL;
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, crm_contact_get_id (contact), -1, SQLITE_STATIC);
      ok = collect_contacts (self->db, stmt, found, error);
      sqlite3_finalize (stmt);
      if (!ok)
        return NULL;
    }

  for (guint i = 0; i < found->len && result->len < 5; i++)
    {
      CrmContact *c = g_ptr_array_index (found, i);
      if (g_hash_table_add (seen, (gpointer)crm_contact_get_id (c)))
        g_ptr_array_add (result, g_object_ref (c));
    }
  return g_steal_pointer (&result);
}

static int
progress_cancelled (void *data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (data));
}

/**
 * _crm_store_watch_cancellable:
 * @cancellable: (nullable): interrupts the statements of @db once cancelled;
 *   %NULL stops watching
 */
void
_crm_store_watch_cancellable (sqlite3      *db,
                              GCancellable *cancellable)
{
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, progress_cancelled, cancellable);
  else
    sqlite3_progress_handler (db, 0, NULL, NULL);
}

/**
 * _crm_store_scan_done:
 * @rc: what the last sqlite3_step() of a scan returned
 *
 * Returns: %TRUE when the scan ran to its end; else %FALSE with @error set:
 *   %G_IO_ERROR_CANCELLED when it was interrupted by a watched cancellable.
 */
gboolean
_crm_store_scan_done (sqlite3     *db,
                      int          rc,
                      const char  *what,
                      GError     **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc == SQLITE_INTERRUPT)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Search cancelled"));
      return FALSE;
    }
  return _crm_store_set_error (error, db, rc, what);
}

static GArray *rowids_for_match (sqlite3            *db,
                                 const char         *match,
                                 gboolean            sorted,
                                 int                 limit,
                                 guint               probe,
                                 CrmStoreProbeFunc   probe_func,
                                 gpointer            probe_data,
                                 GCancellable       *cancellable,
                                 GError            **error);

/**
 * _crm_store_search_rowids:
 * @db: a connection (the store's own, or a reader)
 *
 * @limit: at most this many, or -1 for all
 *
 * Returns: (transfer full) (nullable): the local ids of the live contacts
 *   matching @query, in list order if @sorted, else in local id order; %NULL
 *   with no error when @query holds nothing to search for.
 */
GArray *
_crm_store_search_rowids (sqlite3       *db,
                          const char    *query,
                          gboolean       sorted,
                          int            limit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *match = crm_search_build_match (query);

  if (match == NULL)
    return NULL;
  return rowids_for_match (db, match, sorted, limit, 0, NULL, NULL, cancellable, error);
}

/**
 * _crm_store_search_rowids_probed:
 * @probe_func: called once, on this thread, when @probe ids have been found
 *   (in local id order) and the search goes on
 *
 * Like _crm_store_search_rowids() unsorted and unlimited, with a look at
 * the first matches on the way.
 */
GArray *
_crm_store_search_rowids_probed (sqlite3            *db,
                                 const char         *query,
                                 guint               probe,
                                 CrmStoreProbeFunc   probe_func,
                                 gpointer            probe_data,
                                 GCancellable       *cancellable,
                                 GError            **error)
{
  g_autofree char *match = crm_search_build_match (query);

  if (match == NULL)
    return NULL;
  return rowids_for_match (db, match, FALSE, -1, probe, probe_func, probe_data, cancellable,
                           error);
}

/* the local ids the index gives for the MATCH expression @match */
static GArray *
rowids_for_match (sqlite3            *db,
                  const char         *match,
                  gboolean            sorted,
                  int                 limit,
                  guint               probe,
                  CrmStoreProbeFunc   probe_func,
                  gpointer            probe_data,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr (GArray) rowids = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* the index holds live contacts only: unsorted, no row is read */
  rc = sqlite3_prepare_v2 (db,
                           sorted ? "SELECT c.local_id FROM contacts_fts f"
                                    " JOIN contacts c ON c.local_id = f.rowid"
                                    " WHERE contacts_fts MATCH ?1 AND c.deleted = 0"
                                    " ORDER BY c.sort_key, c.id LIMIT ?2"
                                  : "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1"
                                    " LIMIT ?2",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, db, rc, _("Cannot search"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, limit); /* negative: no limit */
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, cancellable);

  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rowids, rowid);
      if (probe_func != NULL && rowids->len == probe)
        probe_func (rowids, probe_data);
    }
  sqlite3_finalize (stmt);
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, NULL);

  if (!_crm_store_scan_done (db, rc, _("Cannot search"), error))
    return NULL;
  return g_steal_pointer (&rowids);
}

/**
 * _crm_store_filter_rowids:
 * @ids: local ids, in the order wanted
 * @out: where the matching ones are appended, in that order
 * @max_out: stop when @out holds this many
 *
 * Tests contacts against @pattern on their values, reading them 64 at a
 * time. Deleted contacts never match.
 */
gboolean
_crm_store_filter_rowids (sqlite3          *db,
                          CrmSearchPattern *pattern,
                          const gint64     *ids,
                          guint             n,
                          GArray           *out,
                          guint             max_out,
                          GError          **error)
{
  g_autoptr (GHashTable) matched = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                          g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT local_id, name, company, mobile, phone, email, wechat"
                           " FROM contacts WHERE deleted = 0 AND local_id IN ("
                           CRM_SQL_64_PARAMS ")",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _crm_store_set_error (error, db, rc, _("Cannot search"));

  for (guint first = 0; first < n && out->len < max_out; first += 64)
    {
      guint chunk = MIN (64, n - first);

      sqlite3_reset (stmt);
      for (guint i = 0; i < 64; i++)
        sqlite3_bind_int64 (stmt, i + 1, i < chunk ? ids[first + i] : 0);
      g_hash_table_remove_all (matched);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *fields[6];

          for (guint f = 0; f < 6; f++)
            fields[f] = (const char *)sqlite3_column_text (stmt, f + 1);
          if (_crm_search_pattern_match (pattern, fields, 6))
            {
              gint64 *rowid = g_new (gint64, 1);
              *rowid = sqlite3_column_int64 (stmt, 0);
              g_hash_table_add (matched, rowid);
            }
        }
      if (rc != SQLITE_DONE)
        {
          sqlite3_finalize (stmt);
          return _crm_store_set_error (error, db, rc, _("Cannot search"));
        }
      for (guint i = 0; i < chunk && out->len < max_out; i++)
        if (g_hash_table_contains (matched, &ids[first + i]))
          g_array_append_val (out, ids[first + i]);
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/**
 * crm_store_search_contacts:
 * @query: the search text
 * @limit: how many to return at most
 *
 * Returns: (transfer container) (element-type CrmContact): the first
 *   @limit live contacts, in list order, that hold every word of @query as a
 *   substring of their name, company, mobile, phone, e-mail or WeChat ID.
 */
GPtrArray *
crm_store_search_contacts (CrmStore    *self,
                           const char  *query,
                           guint        limit,
                           GError     **error)
{
  g_autofree char *match = NULL;
  g_autoptr (GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  gboolean ok;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  match = crm_search_build_match (query);
  if (match == NULL)
    rc = sqlite3_prepare_v2 (self->db,
                             "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
                             " WHERE deleted = 0 ORDER BY sort_key, id LIMIT ?2",
                             -1, &stmt, NULL);
  else
    rc = sqlite3_prepare_v2 (self->db,
                             "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
                             " WHERE local_id IN (SELECT rowid FROM contacts_fts"
                             "                    WHERE contacts_fts MATCH ?1)"
                             " AND deleted = 0 ORDER BY sort_key, id LIMIT ?2",
                             -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot search"));
      return NULL;
    }
  if (match != NULL)
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);
  ok = collect_contacts (self->db, stmt, result, error);
  sqlite3_finalize (stmt);
  if (!ok)
    return NULL;
  return g_steal_pointer (&result);
}

/**
 * crm_store_accept_terms:
 * @version: the version of the terms the person accepted
 * @language: the language they were shown in ("zh_CN", "en")
 *
 * Records the acceptance, with the time (UTC).
 */
gboolean
crm_store_accept_terms (CrmStore    *self,
                        const char  *version,
                        const char  *language,
                        GError     **error)
{
  g_autofree char *now = now_iso8601 ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (version != NULL && language != NULL, FALSE);

  RETURN_IF_DAMAGED (self, error);

  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT INTO terms_acceptance (version, language, accepted_at)"
                           " VALUES (?1, ?2, ?3)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, version, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, self->db, rc, _("Cannot record the acceptance"));
  return TRUE;
}

/**
 * crm_store_has_accepted_terms:
 *
 * Returns: whether the terms of @version were accepted in this store.
 */
gboolean
crm_store_has_accepted_terms (CrmStore   *self,
                              const char *version)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  rc = sqlite3_prepare_v2 (self->db, "SELECT 1 FROM terms_acceptance WHERE version = ?1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, version, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      found = rc == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  note_failure (self->db, rc);
  return found;
}

/**
 * crm_store_exists:
 * @data_dir: (nullable): the folder, or %NULL for the default
 *
 * Returns: whether a database file is there, without creating anything.
 */
gboolean
crm_store_exists (const char *data_dir)
{
  g_autofree char *dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/**
 * crm_store_put_blob:
 *
 * Keeps @file's content under its SHA-256 (once: the same content again
 * is a no-op).
 */
gboolean
crm_store_put_blob (CrmStore        *self,
                    CrmLicenseFile  *file,
                    GError         **error)
{
  g_autofree char *now = now_iso8601 ();
  g_autofree char *check = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (file != NULL && file->data != NULL, FALSE);

  RETURN_IF_DAMAGED (self, error);

  /* the name is the content's hash: verify it rather than trust it */
  check = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file->data);
  if (g_strcmp0 (check, file->sha256) != 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The file changed while it was read"));
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT OR IGNORE INTO blobs (sha256, mime_type, size, data, created_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, file->sha256, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, file->mime_type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, file->size);
      sqlite3_bind_blob64 (stmt, 4, g_bytes_get_data (file->data, NULL),
                           g_bytes_get_size (file->data), SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, self->db, rc, _("Cannot keep the file"));
  return TRUE;
}

/**
 * crm_store_get_blob:
 *
 * Returns: (transfer full) (nullable): the content kept under @sha256.
 */
GBytes *
crm_store_get_blob (CrmStore    *self,
                    const char  *sha256,
                    GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  rc = sqlite3_prepare_v2 (self->db, "SELECT data FROM blobs WHERE sha256 = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
    }
  sqlite3_finalize (stmt);
  if (bytes == NULL)
    {
      if (rc == SQLITE_DONE)
        g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                             _("The file is not in the store"));
      else
        _crm_store_set_error (error, self->db, rc, _("Cannot read the file"));
    }
  return bytes;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           i)
{
  return sqlite3_column_type (stmt, i) == SQLITE_NULL
         ? NULL : g_strdup ((const char *)sqlite3_column_text (stmt, i));
}

/**
 * crm_store_get_certification:
 *
 * Returns: (transfer full) (nullable): the company's certification, or
 *   %NULL without an error when there is none yet.
 */
CrmCertification *
crm_store_get_certification (CrmStore  *self,
                             GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  CrmCertification *cert = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT company_name, uscc, legal_representative, address,"
                           " license_sha256, license_mime_type, license_name, license_size,"
                           " status, reject_reason, updated_at FROM certification WHERE id = 1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      cert = g_new0 (CrmCertification, 1);
      cert->company_name = column_dup (stmt, 0);
      cert->uscc = column_dup (stmt, 1);
      cert->legal_representative = column_dup (stmt, 2);
      cert->address = column_dup (stmt, 3);
      cert->license_sha256 = column_dup (stmt, 4);
      cert->license_mime_type = column_dup (stmt, 5);
      cert->license_name = column_dup (stmt, 6);
      cert->license_size = sqlite3_column_int64 (stmt, 7);
      cert->status = crm_certification_status_from_string ((const char *)
                                                           sqlite3_column_text (stmt, 8));
      cert->reject_reason = column_dup (stmt, 9);
      cert->updated_at = column_dup (stmt, 10);
    }
  sqlite3_finalize (stmt);
  if (cert == NULL && rc != SQLITE_DONE)
    _crm_store_set_error (error, self->db, rc, _("Cannot read the certification"));
  return cert;
}

/**
 * crm_store_save_certification:
 * @cert: the form as the person filled it; its status is not taken
 *
 * Saves the company's certification as a draft, or keeps a submitted or
 * rejected one in its state with the new values. A certified one is
 * refused with %CRM_STORE_ERROR_LOCKED (by the triggers, whoever asks).
 * A USCC of a wrong format is refused; one whose check character fails is
 * kept (some real codes do).
 */
gboolean
crm_store_save_certification (CrmStore                *self,
                              const CrmCertification  *cert,
                              GError                 **error)
{
  g_autofree char *now = now_iso8601 ();
  g_autofree char *uscc = NULL;
  g_autoptr (GError) invalid = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (cert != NULL, FALSE);

  RETURN_IF_DAMAGED (self, error);

  if (cert->uscc != NULL && *cert->uscc != '\0'
      && !crm_uscc_validate (cert->uscc, &uscc, NULL, &invalid))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, invalid->message);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT INTO certification (id, company_name, uscc,"
                           " legal_representative, address, license_sha256, license_mime_type,"
                           " license_name, license_size, updated_at)"
                           " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                           " ON CONFLICT (id) DO UPDATE SET company_name = ?1, uscc = ?2,"
                           " legal_representative = ?3, address = ?4, license_sha256 = ?5,"
                           " license_mime_type = ?6, license_name = ?7, license_size = ?8,"
                           " updated_at = ?9",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, cert->company_name ? cert->company_name : "", -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, uscc ? uscc : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, cert->legal_representative ? cert->legal_representative : "",
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, cert->address ? cert->address : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, cert->license_sha256, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, cert->license_mime_type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, cert->license_name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 8, cert->license_size);
      sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, self->db, rc, _("Cannot save the certification"));
  return TRUE;
}

/**
 * crm_store_submit_certification:
 *
 * Moves a complete draft (or a corrected rejected one) to submitted, for
 * the server to review. It certifies nothing.
 */
gboolean
crm_store_submit_certification (CrmStore  *self,
                                GError   **error)
{
  g_autoptr (CrmCertification) cert = NULL;
  g_autofree char *now = now_iso8601 ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  RETURN_IF_DAMAGED (self, error);

  cert = crm_store_get_certification (self, error);
  if (cert == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                             _("Fill in the certification first"));
      return FALSE;
    }
  if (cert->status != CRM_CERTIFICATION_DRAFT && cert->status != CRM_CERTIFICATION_REJECTED)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The certification was submitted already"));
      return FALSE;
    }
  if (*cert->company_name == '\0' || *cert->uscc == '\0' || *cert->legal_representative == '\0'
      || *cert->address == '\0' || cert->license_sha256 == NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Fill in every field and add the business license before "
                             "submitting"));
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (self->db,
                           "UPDATE certification SET status = 'submitted', reject_reason = '',"
                           " updated_at = ?1 WHERE id = 1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, self->db, rc, _("Cannot submit the certification"));
  return TRUE;
}

/* the gap left between neighbours when a column is numbered afresh */
#define DEAL_POSITION_SPACING 1024

CrmDeal *
_crm_store_deal_from_row (sqlite3_stmt *stmt)
{
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, (const char *)sqlite3_column_text (stmt, 2));
  crm_deal_set_contact_id (deal, (const char *)sqlite3_column_text (stmt, 3));
  crm_deal_set_amount (deal, sqlite3_column_int64 (stmt, 4));
  crm_deal_set_stage (deal, crm_deal_stage_from_string ((const char *)
                                                        sqlite3_column_text (stmt, 5)));
  crm_deal_set_probability (deal, sqlite3_column_int (stmt, 6));
  crm_deal_set_expected_close (deal, (const char *)sqlite3_column_text (stmt, 7));
  crm_deal_set_lost_reason (deal, (const char *)sqlite3_column_text (stmt, 8));
  crm_deal_set_notes (deal, (const char *)sqlite3_column_text (stmt, 9));
  _crm_deal_set_stored (deal, sqlite3_column_int64 (stmt, 0),
                        (const char *)sqlite3_column_text (stmt, 1));
  _crm_deal_set_row (deal, sqlite3_column_int64 (stmt, 10),
                     (const char *)sqlite3_column_text (stmt, 15),
                     (const char *)sqlite3_column_text (stmt, 12),
                     (const char *)sqlite3_column_text (stmt, 13),
                     (const char *)sqlite3_column_text (stmt, 11));
  return deal;
}

/* The deal with @rowid (or, if @id is not %NULL, that id), tombstone or
 * not; *deleted says which. */
static CrmDeal *
read_deal (CrmStore    *self,
           gint64       rowid,
           const char  *id,
           gboolean    *deleted,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  CrmDeal *deal = NULL;
  int rc;

  rc = sqlite3_prepare_v3 (self->db,
                           id != NULL
                           ? "SELECT " CRM_DEAL_COLUMNS " FROM " CRM_DEAL_FROM " WHERE d.id = ?1"
                           : "SELECT " CRM_DEAL_COLUMNS " FROM " CRM_DEAL_FROM
                             " WHERE d.local_id = ?1",
                           -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot read the deal"));
      return NULL;
    }
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, rowid);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      deal = _crm_store_deal_from_row (stmt);
      *deleted = sqlite3_column_int (stmt, 14) != 0;
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                 _("The deal no longer exists"));
  else
    _crm_store_set_error (error, self->db, rc, _("Cannot read the deal"));
  sqlite3_finalize (stmt);
  return deal;
}

/* The live deal @deal was read as, or %NULL with NOT_FOUND. */
static CrmDeal *
read_live_deal (CrmStore  *self,
                CrmDeal   *deal,
                GError   **error)
{
  gboolean deleted = FALSE;
  g_autoptr (CrmDeal) row = read_deal (self, _crm_deal_get_rowid (deal), NULL, &deleted, error);

  if (row != NULL && deleted)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("The deal was deleted meanwhile"));
      return NULL;
    }
  return g_steal_pointer (&row);
}

/**
 * crm_store_get_deal:
 * @id: the deal's UUID
 *
 * Returns: (transfer full): the live deal, or %NULL with
 *   %CRM_STORE_ERROR_NOT_FOUND if there is none or it was deleted.
 */
CrmDeal *
crm_store_get_deal (CrmStore    *self,
                    const char  *id,
                    GError     **error)
{
  g_autoptr (CrmDeal) deal = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  deal = read_deal (self, 0, id, &deleted, error);
  if (deal != NULL && deleted)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("The deal no longer exists"));
      return NULL;
    }
  return g_steal_pointer (&deal);
}

/* Checks @deal as the store would write it, normalising the title and the
 * expected close in place; a message for the person in @error. */
static gboolean
validate_deal (CrmDeal  *deal,
               GError  **error)
{
  g_autofree char *title = g_strstrip (g_strdup (crm_deal_get_title (deal)));
  g_autofree char *close = NULL;
  g_autoptr (GError) date_error = NULL;

  if (*title == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A deal needs a title"));
      return FALSE;
    }
  if (crm_deal_get_amount (deal) < 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The amount of a deal cannot be negative"));
      return FALSE;
    }
  if (crm_deal_get_stage (deal) == CRM_DEAL_LOST && *crm_deal_get_lost_reason (deal) == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Say why the deal was lost"));
      return FALSE;
    }
  if (!crm_deal_parse_date (crm_deal_get_expected_close (deal), &close, &date_error))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, date_error->message);
      return FALSE;
    }
  crm_deal_set_title (deal, title);
  crm_deal_set_expected_close (deal, close);
  return TRUE;
}

static gboolean
deals_begin (CrmStore  *self,
             GError   **error)
{
  return exec (self->db, "SAVEPOINT deals", error);
}

static void
deals_rollback (CrmStore *self)
{
  sqlite3_exec (self->db, "ROLLBACK TO deals; RELEASE deals", NULL, NULL, NULL);
}

static gboolean
deals_commit (CrmStore  *self,
              GError   **error)
{
  if (exec (self->db, "RELEASE deals", error))
    return TRUE;
  deals_rollback (self);
  return FALSE;
}

/* The first (@top) or last position of the live deals of @stage other than
 * @except, or %FALSE with *position untouched for an empty column. */
static int
stage_edge (CrmStore     *self,
            CrmDealStage  stage,
            gboolean      top,
            gint64        except,
            gint64       *position)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v3 (self->db,
                           top
                           ? "SELECT min (position) FROM deals"
                             " WHERE stage = ?1 AND deleted = 0 AND local_id <> ?2"
                           : "SELECT max (position) FROM deals"
                             " WHERE stage = ?1 AND deleted = 0 AND local_id <> ?2",
                           -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text (stmt, 1, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, except);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        *position = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc;
}

/* a new deal, or one moved into a column, goes to its top */
static int
top_position (CrmStore     *self,
              CrmDealStage  stage,
              gint64        except,
              gint64       *position)
{
  gint64 first = 1;
  int rc = stage_edge (self, stage, TRUE, except, &first);

  *position = first - 1;
  return rc;
}

#define DEAL_INSERT_SQL \
  "INSERT INTO deals (id, title, contact_id, amount_fen, stage, probability, lost_reason," \
  " expected_close, notes, position, won_at, created_at, updated_at)" \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CASE WHEN ?5 = 'won' THEN ?11 END, ?11, ?11)"

#define DEAL_UPDATE_SQL \
  "UPDATE deals SET title = ?2, contact_id = ?3, amount_fen = ?4, stage = ?5, probability = ?6," \
  " lost_reason = ?7, expected_close = ?8, notes = ?9, position = ?10," \
  " won_at = CASE WHEN ?5 <> 'won' THEN NULL WHEN stage = 'won' THEN won_at ELSE ?11 END," \
  " updated_at = ?11 WHERE id = ?1 AND deleted = 0"

static void
bind_deal (sqlite3_stmt *stmt,
           CrmDeal      *deal,
           const char   *id,
           gint64        position,
           const char   *now)
{
  const char *close = crm_deal_get_expected_close (deal);

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, crm_deal_get_title (deal), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, crm_deal_get_contact_id (deal), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, crm_deal_get_amount (deal));
  sqlite3_bind_text (stmt, 5, crm_deal_stage_to_string (crm_deal_get_stage (deal)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, crm_deal_get_probability (deal));
  sqlite3_bind_text (stmt, 7, crm_deal_get_lost_reason (deal), -1, SQLITE_STATIC);
  if (*close != '\0')
    sqlite3_bind_text (stmt, 8, close, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 8);
  sqlite3_bind_text (stmt, 9, crm_deal_get_notes (deal), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, position);
  sqlite3_bind_text (stmt, 11, now, -1, SQLITE_STATIC);
}

/* Writes @deal at @position (a new row if it is not saved), then fills its
 * identity and stored columns from the row; inside a transaction. */
static int
write_deal (CrmStore   *self,
            CrmDeal    *deal,
            gint64      position,
            const char *now)
{
  g_autofree char *id = NULL;
  g_autoptr (CrmDeal) row = NULL;
  gboolean is_new = !crm_deal_is_saved (deal);
  gboolean deleted = FALSE;
  sqlite3_stmt *stmt = NULL;
  gint64 rowid;
  int rc;

  id = is_new ? g_uuid_string_random () : g_strdup (crm_deal_get_id (deal));
  rc = sqlite3_prepare_v3 (self->db, is_new ? DEAL_INSERT_SQL : DEAL_UPDATE_SQL, -1,
                           SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_deal (stmt, deal, id, position, now);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return rc;

  rowid = is_new ? sqlite3_last_insert_rowid (self->db) : _crm_deal_get_rowid (deal);
  row = read_deal (self, rowid, NULL, &deleted, NULL);
  if (row == NULL)
    return SQLITE_ERROR;
  _crm_deal_set_stored (deal, rowid, id);
  _crm_deal_set_row (deal, crm_deal_get_position (row), crm_deal_get_contact_name (row),
                     crm_deal_get_created_at (row), crm_deal_get_updated_at (row),
                     crm_deal_get_won_at (row));
  return SQLITE_DONE;
}

/**
 * crm_store_save_deal:
 * @deal: a new deal, or one read from this store
 *
 * Validates @deal (normalising its title and expected close in place) and
 * writes it. A new deal goes to the top of its stage's column, and so does
 * one whose stage changed; otherwise it keeps its place. Notes when it was
 * won. The deal's position, timestamps and contact name are filled in.
 */
gboolean
crm_store_save_deal (CrmStore  *self,
                     CrmDeal   *deal,
                     GError   **error)
{
  g_autofree char *now = now_iso8601 ();
  g_autoptr (CrmDeal) before = NULL;
  gboolean is_new;
  gint64 position = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);

  RETURN_IF_DAMAGED (self, error);

  if (!validate_deal (deal, error))
    return FALSE;

  is_new = !crm_deal_is_saved (deal);
  if (!is_new && (before = read_live_deal (self, deal, error)) == NULL)
    return FALSE;

  if (!deals_begin (self, error))
    return FALSE;
  if (before != NULL && crm_deal_get_stage (before) == crm_deal_get_stage (deal))
    {
      position = crm_deal_get_position (before);
      rc = SQLITE_OK;
    }
  else
    rc = top_position (self, crm_deal_get_stage (deal), _crm_deal_get_rowid (deal), &position);
  if (rc == SQLITE_OK)
    rc = write_deal (self, deal, position, now);
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot save the deal"));
      deals_rollback (self);
      if (is_new)
        _crm_deal_set_stored (deal, 0, NULL);
      return FALSE;
    }
  if (!deals_commit (self, error))
    {
      if (is_new)
        _crm_deal_set_stored (deal, 0, NULL);
      return FALSE;
    }

  g_signal_emit (self, signals[DEAL_CHANGED], 0, before, deal);
  return TRUE;
}

/* Numbers the live deals of @stage other than @except afresh, 1024 apart,
 * in their order. */
static int
renumber_stage (CrmStore     *self,
                CrmDealStage  stage,
                gint64        except)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "WITH r AS (SELECT local_id,"
                           "  row_number () OVER (ORDER BY position, local_id) AS n"
                           "  FROM deals WHERE stage = ?1 AND deleted = 0 AND local_id <> ?2)"
                           " UPDATE deals SET position = r.n * ?3 FROM r"
                           " WHERE deals.local_id = r.local_id",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, except);
      sqlite3_bind_int64 (stmt, 3, DEAL_POSITION_SPACING);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The position of @anchor, a live deal of @stage, and of the deal before it
 * in that column other than @except (*has_prev %FALSE if it is the first). */
static int
anchor_positions (CrmStore     *self,
                  CrmDealStage  stage,
                  gint64        anchor,
                  gint64        except,
                  gint64       *anchor_position,
                  gboolean     *found,
                  gint64       *prev_position,
                  gboolean     *has_prev)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *found = *has_prev = FALSE;
  rc = sqlite3_prepare_v3 (self->db,
                           "SELECT position FROM deals"
                           " WHERE local_id = ?1 AND stage = ?2 AND deleted = 0",
                           -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_int64 (stmt, 1, anchor);
  sqlite3_bind_text (stmt, 2, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *anchor_position = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE ? SQLITE_OK : rc;

  rc = sqlite3_prepare_v3 (self->db,
                           "SELECT position FROM deals"
                           " WHERE stage = ?1 AND deleted = 0 AND local_id <> ?4"
                           " AND (position, local_id) < (?2, ?3)"
                           " ORDER BY position DESC, local_id DESC LIMIT 1",
                           -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text (stmt, 1, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, *anchor_position);
  sqlite3_bind_int64 (stmt, 3, anchor);
  sqlite3_bind_int64 (stmt, 4, except);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *has_prev = TRUE;
      *prev_position = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Where @rowid goes in @stage: just before @anchor, or at the end for 0. */
static int
place_position (CrmStore      *self,
                CrmDealStage   stage,
                gint64         rowid,
                gint64         anchor,
                gint64        *position,
                gboolean      *anchor_found)
{
  gint64 anchor_position = 0, prev_position = 0;
  gboolean has_prev = FALSE;
  int rc;

  *anchor_found = TRUE;
  if (anchor == 0)
    {
      gint64 last = -DEAL_POSITION_SPACING;

      rc = stage_edge (self, stage, FALSE, rowid, &last);
      *position = last + DEAL_POSITION_SPACING;
      return rc;
    }

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      rc = anchor_positions (self, stage, anchor, rowid, &anchor_position, anchor_found,
                             &prev_position, &has_prev);
      if (rc != SQLITE_OK || !*anchor_found)
        return rc;
      if (!has_prev)
        {
          *position = anchor_position - DEAL_POSITION_SPACING;
          return SQLITE_OK;
        }
      if (anchor_position - prev_position >= 2)
        {
          *position = prev_position + (anchor_position - prev_position) / 2;
          return SQLITE_OK;
        }
      /* no room between the two: number the column afresh and look again */
      rc = renumber_stage (self, stage, rowid);
      if (rc != SQLITE_OK)
        return rc;
    }
  g_assert_not_reached ();
}

/**
 * crm_store_move_deal:
 * @deal: a saved deal
 * @stage: its new stage (or its own, to reorder the column)
 * @before: (nullable): the deal of @stage to put @deal just before, or
 *   %NULL for the end of the column
 *
 * What a drop on the board does: crm_deal_move_to_stage(), then the deal
 * is saved at its new place. Moving to "lost" needs a lost reason set on
 * @deal first (%CRM_STORE_ERROR_INVALID, and @deal unchanged, without one).
 */
gboolean
crm_store_move_deal (CrmStore      *self,
                     CrmDeal       *deal,
                     CrmDealStage   stage,
                     CrmDeal       *before,
                     GError       **error)
{
  g_autofree char *now = now_iso8601 ();
  g_autoptr (CrmDeal) was = NULL;
  g_autoptr (CrmDeal) moved = NULL;
  gint64 rowid, anchor = 0, position = 0;
  gboolean anchor_found = TRUE;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);
  g_return_val_if_fail (crm_deal_is_saved (deal), FALSE);
  g_return_val_if_fail (stage < CRM_DEAL_N_STAGES, FALSE);
  g_return_val_if_fail (before == NULL || CRM_IS_DEAL (before), FALSE);

  RETURN_IF_DAMAGED (self, error);

  rowid = _crm_deal_get_rowid (deal);
  if (before != NULL)
    anchor = _crm_deal_get_rowid (before);

  /* the stage rules on a copy: a refused move leaves @deal as it was */
  moved = crm_deal_copy (deal);
  crm_deal_move_to_stage (moved, stage);
  if (!validate_deal (moved, error))
    return FALSE;
  if ((was = read_live_deal (self, deal, error)) == NULL)
    return FALSE;

  if (!deals_begin (self, error))
    return FALSE;
  if (anchor == rowid)
    {
      /* before itself: where it is, if it stays in its column */
      if (crm_deal_get_stage (was) == stage)
        {
          position = crm_deal_get_position (was);
          rc = SQLITE_OK;
        }
      else
        rc = place_position (self, stage, rowid, 0, &position, &anchor_found);
    }
  else
    rc = place_position (self, stage, rowid, anchor, &position, &anchor_found);
  if (rc == SQLITE_OK && !anchor_found)
    {
      deals_rollback (self);
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("The deal to put it before was moved or deleted meanwhile"));
      return FALSE;
    }
  if (rc == SQLITE_OK)
    rc = write_deal (self, moved, position, now);
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot move the deal"));
      deals_rollback (self);
      return FALSE;
    }
  if (!deals_commit (self, error))
    return FALSE;

  /* now the same on @deal itself */
  crm_deal_move_to_stage (deal, stage);
  validate_deal (deal, NULL);
  _crm_deal_set_row (deal, crm_deal_get_position (moved), crm_deal_get_contact_name (moved),
                     crm_deal_get_created_at (moved), crm_deal_get_updated_at (moved),
                     crm_deal_get_won_at (moved));
  g_signal_emit (self, signals[DEAL_CHANGED], 0, was, deal);
  return TRUE;
}

static gboolean
set_deal_deleted (CrmStore    *self,
                  CrmDeal     *deal,
                  gboolean     deleted,
                  GError     **error)
{
  g_autofree char *now = now_iso8601 ();
  g_autoptr (CrmDeal) row = NULL;
  gboolean was_deleted = FALSE;
  sqlite3_stmt *stmt = NULL;
  int rc;

  RETURN_IF_DAMAGED (self, error);

  row = read_deal (self, _crm_deal_get_rowid (deal), NULL, &was_deleted, error);
  if (row == NULL)
    return FALSE;
  if (was_deleted == deleted)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           deleted ? _("The deal was already deleted")
                                   : _("The deal is not deleted"));
      return FALSE;
    }

  /* a deal restored after its contact was deleted comes back without one:
   * never linked to a contact that is gone */
  rc = sqlite3_prepare_v2 (self->db,
                           "UPDATE deals SET deleted = ?1, updated_at = ?2,"
                           " contact_id = CASE WHEN ?1 = 0 AND contact_id IS NOT NULL"
                           "   AND NOT EXISTS (SELECT 1 FROM contacts c"
                           "                   WHERE c.id = deals.contact_id AND c.deleted = 0)"
                           "   THEN NULL ELSE contact_id END"
                           " WHERE local_id = ?3",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, deleted);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, _crm_deal_get_rowid (deal));
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, self->db, rc,
                                 deleted ? _("Cannot delete the deal")
                                         : _("Cannot restore the deal"));

  if (deleted)
    {
      _crm_deal_set_row (deal, crm_deal_get_position (row), crm_deal_get_contact_name (row),
                         crm_deal_get_created_at (row), now, crm_deal_get_won_at (row));
      g_signal_emit (self, signals[DEAL_CHANGED], 0, row, NULL);
      return TRUE;
    }
  /* the row as restored (its contact may have been dropped), whatever
   * unsaved edits @deal carries */
  g_clear_object (&row);
  row = read_deal (self, _crm_deal_get_rowid (deal), NULL, &was_deleted, error);
  if (row == NULL)
    return FALSE;
  crm_deal_set_contact_id (deal, crm_deal_get_contact_id (row));
  _crm_deal_set_row (deal, crm_deal_get_position (row), crm_deal_get_contact_name (row),
                     crm_deal_get_created_at (row), crm_deal_get_updated_at (row),
                     crm_deal_get_won_at (row));
  g_signal_emit (self, signals[DEAL_CHANGED], 0, NULL, row);
  return TRUE;
}

/**
 * crm_store_delete_deal:
 *
 * Marks @deal deleted (a tombstone, kept for sync and for undo).
 */
gboolean
crm_store_delete_deal (CrmStore  *self,
                       CrmDeal   *deal,
                       GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);
  g_return_val_if_fail (crm_deal_is_saved (deal), FALSE);
  return set_deal_deleted (self, deal, TRUE, error);
}

/**
 * crm_store_restore_deal:
 *
 * Brings a deleted deal back as it was, at its old place in its column.
 */
gboolean
crm_store_restore_deal (CrmStore  *self,
                        CrmDeal   *deal,
                        GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);
  g_return_val_if_fail (crm_deal_is_saved (deal), FALSE);
  return set_deal_deleted (self, deal, FALSE, error);
}

/**
 * crm_store_list_contact_deals:
 * @contact_id: a contact's UUID
 * @open_total: (out) (optional): the sum of the open deals' amounts, in fen
 *
 * Returns: (transfer full) (element-type CrmDeal): the contact's live
 *   deals, the most recently updated first, or %NULL with @error set.
 */
GPtrArray *
crm_store_list_contact_deals (CrmStore    *self,
                              const char  *contact_id,
                              gint64      *open_total,
                              GError     **error)
{
  g_autoptr (GPtrArray) deals = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  gint64 total = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  if (open_total != NULL)
    *open_total = 0;
  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT " CRM_DEAL_COLUMNS " FROM " CRM_DEAL_FROM
                           " WHERE d.contact_id = ?1 AND d.deleted = 0"
                           " ORDER BY d.updated_at DESC, d.local_id DESC",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CrmDeal *deal = _crm_store_deal_from_row (stmt);

          if (crm_deal_stage_is_open (crm_deal_get_stage (deal)))
            total += crm_deal_get_amount (deal);
          g_ptr_array_add (deals, deal);
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot read the deals"));
      return NULL;
    }
  if (open_total != NULL)
    *open_total = total;
  return g_steal_pointer (&deals);
}

/**
 * crm_store_insert_deals:
 * @deals: (element-type CrmDeal): new deals
 *
 * Validates and inserts many deals in one transaction: all of them or, on
 * any error, none. They go to the top of their columns, in the order given.
 * Emits #CrmStore::deals-reset once.
 */
gboolean
crm_store_insert_deals (CrmStore   *self,
                        GPtrArray  *deals,
                        GError    **error)
{
  g_autofree char *now = now_iso8601 ();
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint in_stage[CRM_DEAL_N_STAGES] = { 0 };
  guint placed[CRM_DEAL_N_STAGES] = { 0 };
  gint64 first[CRM_DEAL_N_STAGES];
  sqlite3_stmt *stmt = NULL;
  sqlite3_stmt *name_stmt = NULL;
  int rc = SQLITE_OK;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (deals != NULL, FALSE);

  RETURN_IF_DAMAGED (self, error);

  for (guint i = 0; i < deals->len; i++)
    {
      g_autoptr (GError) invalid = NULL;
      CrmDeal *deal = g_ptr_array_index (deals, i);

      g_return_val_if_fail (!crm_deal_is_saved (deal), FALSE);
      if (!validate_deal (deal, &invalid))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("Deal %u: %s"), i + 1, invalid->message);
          return FALSE;
        }
      in_stage[crm_deal_get_stage (deal)]++;
    }

  if (!deals_begin (self, error))
    return FALSE;
  /* each column's new deals above its old ones, 1024 apart */
  for (guint s = 0; rc == SQLITE_OK && s < CRM_DEAL_N_STAGES; s++)
    {
      gint64 top = G_MININT64;

      rc = stage_edge (self, s, TRUE, 0, &top);
      first[s] = top == G_MININT64 ? 0 : top - (gint64)in_stage[s] * DEAL_POSITION_SPACING;
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->db, DEAL_INSERT_SQL, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->db, "SELECT name FROM contacts WHERE id = ?1", -1,
                             &name_stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < deals->len; i++)
    {
      CrmDeal *deal = g_ptr_array_index (deals, i);
      CrmDealStage stage = crm_deal_get_stage (deal);
      gint64 position = first[stage] + (gint64)placed[stage]++ * DEAL_POSITION_SPACING;
      const char *contact_id = crm_deal_get_contact_id (deal);
      const char *name = NULL;
      g_autofree char *id = g_uuid_string_random ();

      sqlite3_reset (stmt);
      bind_deal (stmt, deal, id, position, now);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        break;
      rc = SQLITE_OK;
      _crm_deal_set_stored (deal, sqlite3_last_insert_rowid (self->db), id);

      if (contact_id != NULL && (name = g_hash_table_lookup (names, contact_id)) == NULL)
        {
          sqlite3_reset (name_stmt);
          sqlite3_bind_text (name_stmt, 1, contact_id, -1, SQLITE_STATIC);
          if (sqlite3_step (name_stmt) == SQLITE_ROW)
            {
              name = g_strdup ((const char *)sqlite3_column_text (name_stmt, 0));
              g_hash_table_insert (names, g_strdup (contact_id), (char *)name);
            }
        }
      _crm_deal_set_row (deal, position, name, now, now, stage == CRM_DEAL_WON ? now : "");
    }
  sqlite3_finalize (stmt);
  sqlite3_finalize (name_stmt);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot save the deals"));
      deals_rollback (self);
      for (guint i = 0; i < deals->len; i++)
        _crm_deal_set_stored (g_ptr_array_index (deals, i), 0, NULL);
      return FALSE;
    }
  if (!deals_commit (self, error))
    {
      for (guint i = 0; i < deals->len; i++)
        _crm_deal_set_stored (g_ptr_array_index (deals, i), 0, NULL);
      return FALSE;
    }

  g_signal_emit (self, signals[DEALS_RESET], 0);
  return TRUE;
}

/**
 * crm_store_count_contact_deals:
 *
 * Returns: how many live deals name @contact.
 */
guint
crm_store_count_contact_deals (CrmStore   *self,
                               CrmContact *contact)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  rc = sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM deals WHERE contact_id = ?1"
                           " AND deleted = 0", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, crm_contact_get_id (contact), -1, SQLITE_STATIC);
      if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        n = sqlite3_column_int (stmt, 0);
    }
  sqlite3_finalize (stmt);
  note_failure (self->db, rc);
  return n;
}

/**
 * crm_store_delete_contact_with_deals:
 * @policy: what becomes of the contact's deals
 *
 * Deletes @contact and, in the same transaction, unlinks its live deals
 * (they stay, with no contact) or deletes them too: the answer to "this
 * contact has deals: what now?".
 */
gboolean
crm_store_delete_contact_with_deals (CrmStore              *self,
                                     CrmContact            *contact,
                                     CrmContactDealsPolicy  policy,
                                     GError               **error)
{
  g_autofree char *now = now_iso8601 ();
  sqlite3_stmt *stmt = NULL;
  int changed = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), FALSE);

  RETURN_IF_DAMAGED (self, error);

  if (!exec (self->db, "SAVEPOINT delete_contact", error))
    return FALSE;
  rc = sqlite3_prepare_v2 (self->db,
                           policy == CRM_CONTACT_DEALS_DELETE
                           ? "UPDATE deals SET deleted = 1, updated_at = ?2"
                             " WHERE contact_id = ?1 AND deleted = 0"
                           : "UPDATE deals SET contact_id = NULL, updated_at = ?2"
                             " WHERE contact_id = ?1 AND deleted = 0",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, crm_contact_get_id (contact), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      changed = sqlite3_changes (self->db);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite3_exec (self->db, "ROLLBACK TO delete_contact; RELEASE delete_contact", NULL, NULL,
                    NULL);
      return _crm_store_set_error (error, self->db, rc, _("Cannot delete the contact"));
    }
  if (!crm_store_delete_contact (self, contact, error))
    {
      sqlite3_exec (self->db, "ROLLBACK TO delete_contact; RELEASE delete_contact", NULL, NULL,
                    NULL);
      return FALSE;
    }
  if (!exec (self->db, "RELEASE delete_contact", error))
    {
      sqlite3_exec (self->db, "ROLLBACK TO delete_contact; RELEASE delete_contact", NULL, NULL,
                    NULL);
      return FALSE;
    }
  if (changed > 0)
    g_signal_emit (self, signals[DEALS_RESET], 0);
  return TRUE;
}

/**
 * crm_store_get_deal_totals:
 * @month_start_utc: the first instant of the current month, as stored
 *
 * The figures of the deals header: open pipeline, weighted forecast
 * (Σ amount × probability / 100, rounded down once, at the end), won this
 * month, and a count and total for each stage. Integers throughout.
 */
gboolean
crm_store_get_deal_totals (CrmStore       *self,
                           const char     *month_start_utc,
                           CrmDealTotals  *totals,
                           GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (totals != NULL, FALSE);

  /* the per-stage figures are kept by triggers (migration 7); won this
   * month walks the won deals' index from the month's start */
  memset (totals, 0, sizeof *totals);
  rc = sqlite3_prepare_v3 (self->db, "SELECT stage, n, amount, weighted_x100 FROM deal_totals",
                           -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CrmDealStage stage = crm_deal_stage_from_string ((const char *)
                                                           sqlite3_column_text (stmt, 0));
          gint64 sum = sqlite3_column_int64 (stmt, 2);

          totals->count[stage] = sqlite3_column_int (stmt, 1);
          totals->total[stage] = sum;
          if (crm_deal_stage_is_open (stage))
            {
              totals->open_total += sum;
              totals->weighted_x100 += sqlite3_column_int64 (stmt, 3);
            }
        }
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    rc = sqlite3_prepare_v3 (self->db,
                             "SELECT coalesce (sum (amount_fen), 0) FROM deals"
                             " WHERE deleted = 0 AND stage = 'won' AND won_at >= ?1",
                             -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  else
    stmt = NULL;
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, month_start_utc, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          totals->won_this_month = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_DONE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, self->db, rc, _("Cannot add up the deals"));
  totals->weighted = totals->weighted_x100 / 100;
  return TRUE;
}
