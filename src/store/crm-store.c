/* crm-store.c — the local SQLite database: open, close, signals, terms
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file, xiaohe-crm.sqlite3, in the data directory. WAL journal, foreign
 * keys on, synchronous=FULL (a saved contact survives a power cut), the schema
 * versioned by PRAGMA user_version and moved forward by the migrations
 * (crm-store-migrations.c), never backward. Every write happens in a
 * transaction (_crm_store_begin(), crm-store-sql.c) on the thread that owns
 * the store; searches may run on other threads through their own read-only
 * connections (WAL lets them read while the owner writes).
 *
 * The store is split by entity behind crm-store-private.h: contacts
 * (crm-store-contacts.c), deals (crm-store-deals.c, their places in the
 * columns in crm-store-deal-order.c), the certification and its blobs
 * (crm-store-certification.c), search (crm-store-search.c), the migrations
 * and the SQL helpers.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-store-backup.h"
#include "crm-store-health.h"
#include "crm-store-private.h"

G_DEFINE_FINAL_TYPE (CrmStore, crm_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (crm-store-error-quark, crm_store_error)

guint _crm_store_signals[CRM_STORE_N_SIGNALS];

enum {
  PROP_0,
  PROP_DAMAGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  _crm_store_signals[CRM_STORE_CONTACT_CHANGED] =
    g_signal_new ("contact-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CRM_TYPE_CONTACT, CRM_TYPE_CONTACT);

  /**
   * CrmStore::contacts-reset:
   *
   * Emitted after many contacts changed at once (an import).
   */
  _crm_store_signals[CRM_STORE_CONTACTS_RESET] =
    g_signal_new ("contacts-reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CrmStore::deal-changed:
   * @before: (nullable): the deal as it was, %NULL if it is new or restored
   * @after: (nullable): the deal as it is now, %NULL if it was deleted
   *
   * Emitted after a change to one deal has been committed.
   */
  _crm_store_signals[CRM_STORE_DEAL_CHANGED] =
    g_signal_new ("deal-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CRM_TYPE_DEAL, CRM_TYPE_DEAL);

  /**
   * CrmStore::deals-reset:
   *
   * Emitted after many deals changed at once (an import, a contact deleted
   * with its deals, a contact's name that deals show).
   */
  _crm_store_signals[CRM_STORE_DEALS_RESET] =
    g_signal_new ("deals-reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CrmStore::followup-changed:
   * @before: (nullable): the follow-up as it was, %NULL if it is new or restored
   * @after: (nullable): the follow-up as it is now, %NULL if it was deleted
   *
   * Emitted after a change to one follow-up has been committed.
   */
  _crm_store_signals[CRM_STORE_FOLLOWUP_CHANGED] =
    g_signal_new ("followup-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CRM_TYPE_FOLLOWUP, CRM_TYPE_FOLLOWUP);

  /**
   * CrmStore::followups-reset:
   *
   * Emitted after many follow-ups changed at once (a contact deleted or
   * restored with its follow-ups, a sync, a restore).
   */
  _crm_store_signals[CRM_STORE_FOLLOWUPS_RESET] =
    g_signal_new ("followups-reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CrmStore::certification-changed:
   *
   * Emitted after the certification changed: saved or submitted here, its
   * review or a colleague's edit pulled from the server, all data deleted.
   */
  _crm_store_signals[CRM_STORE_CERTIFICATION_CHANGED] =
    g_signal_new ("certification-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CrmStore::notices-changed:
   *
   * Emitted after the server's notices were kept (a new or changed one) or
   * marked seen (crm-store-notices.c).
   */
  _crm_store_signals[CRM_STORE_NOTICES_CHANGED] =
    g_signal_new ("notices-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CrmStore::team-users-changed:
   *
   * Emitted after the company's users (the owners a contact may have) were
   * replaced by a different list, or cleared with all data
   * (crm-store-team.c).
   */
  _crm_store_signals[CRM_STORE_TEAM_USERS_CHANGED] =
    g_signal_new ("team-users-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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

/* A file of an older schema is copied (a verified backup, "before-migration",
 * in DATA_DIR/backups) before the migrations change it: a migration that
 * goes wrong, or a newer app given up, still leaves the data as it was. */
static gboolean
backup_before_migration (CrmStore  *self,
                         GError   **error)
{
  int version = _crm_store_get_user_version (self->db);
  g_autofree char *folder = NULL;
  g_autoptr (CrmBackupInfo) info = NULL;

  if (version <= 0 || version >= CRM_STORE_SCHEMA_VERSION)
    return TRUE;
  folder = crm_backup_default_dir (self->data_dir);
  info = crm_backup_file (self->path, folder, "before-migration", NULL, error);
  if (info == NULL)
    {
      g_prefix_error (error, _("The database was not updated, because it could not be "
                               "copied first: "));
      return FALSE;
    }
  return TRUE;
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
  if (!_crm_store_exec (self->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
             " PRAGMA cache_size = -32768;", error))
    return NULL;
  if (!backup_before_migration (self, error)
      || !_crm_store_migrate_to (self->db, CRM_STORE_SCHEMA_VERSION, error))
    return NULL;
  _crm_store_write_marker (self->data_dir);
  self->health = _crm_store_health_new (self, self->db);
  /* a build of the search index cut short (crm-search-build.c) goes on */
  _crm_search_build_after_bulk (self, TRUE);

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
  return _crm_store_get_user_version (self->db);
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

/**
 * _crm_store_open_writer:
 *
 * Returns: a new read-write connection to the same file, for a worker
 *   thread that writes (the search index's build, crm-search-build.c).
 */
sqlite3 *
_crm_store_open_writer (CrmStore  *self,
                        GError   **error)
{
  sqlite3 *db = open_connection (self->path, SQLITE_OPEN_READWRITE, error);

  if (db != NULL)
    sqlite3_exec (db, "PRAGMA synchronous = FULL; PRAGMA cache_size = -32768",
                  NULL, NULL, NULL);
  return db;
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
  g_autofree char *now = _crm_store_now ();
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (version != NULL && language != NULL, FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db,
                             "INSERT INTO terms_acceptance (version, language, accepted_at)"
                             " VALUES (?1, ?2, ?3)",
                             0, _("Cannot record the acceptance"), error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, version, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
    }
  ok = _crm_store_step_done (stmt, _("Cannot record the acceptance"), error);
  return _crm_store_end (self, ok, error);
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
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  rc = sqlite3_prepare_v2 (self->db, "SELECT 1 FROM terms_acceptance WHERE version = ?1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, version, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  _crm_store_note_failure (self->db, rc);
  return rc == SQLITE_ROW;
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

