/* crm-store-health.c — a damaged store: detection, write refusal, the empty file
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first SQLITE_CORRUPT or SQLITE_NOTADB that any statement on any
 * connection to the file returns (they all pass through
 * _crm_store_set_error()), or a failed PRAGMA quick_check run on a worker
 * thread, makes the store "damaged": from then on every write is refused
 * with CRM_STORE_ERROR_CORRUPT and the file is left exactly as it is (no
 * write, no checkpoint on close, no repair: recovery from a backup is
 * another matter).
 *
 * Connections are matched to their store by the file's full name
 * (sqlite3_db_filename()), so the read-only connections of the list models
 * and the searches report to the store without knowing it. The damage is
 * flagged at once (any thread) and notified as CrmStore:damaged on the
 * store's own main context.
 *
 * A 0-byte database file is refused when the folder has a marker file
 * (CRM_STORE_MARKER_NAME, written when a store is opened there): the app
 * has kept data in it before, so the file was emptied, not new. The marker
 * is a file next to the database because that is what travels with the
 * folder (a copy, a backup, --data-dir) and what a tool emptying the
 * database leaves alone; the WAL and SHM files are removed on every clean
 * close, and a GSettings key would belong to the user, not to the folder.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-store-backup-private.h"
#include "crm-store-health.h"
#include "crm-store-private.h"

struct _CrmStoreHealth
{
  guint64       serial;
  char         *file;       /* the main connection's full file name */
  char         *path;       /* as the store shows it */
  GWeakRef      store;
  GMainContext *context;    /* where CrmStore:damaged is notified */
  int           damaged;    /* atomic */
  char         *reason;     /* set once, before damaged */
};

static GMutex registry_lock;
static GPtrArray *registry;   /* of CrmStoreHealth, a few at most */
static guint64 last_serial;

CrmStoreHealth *
_crm_store_health_new (CrmStore *store,
                       sqlite3  *db)
{
  CrmStoreHealth *health = g_new0 (CrmStoreHealth, 1);
  const char *file = sqlite3_db_filename (db, "main");

  health->file = g_strdup (file ? file : "");
  health->path = g_strdup (crm_store_get_path (store));
  g_weak_ref_init (&health->store, store);
  health->context = g_main_context_ref_thread_default ();

  g_mutex_lock (&registry_lock);
  health->serial = ++last_serial;
  if (registry == NULL)
    registry = g_ptr_array_new ();
  g_ptr_array_add (registry, health);
  g_mutex_unlock (&registry_lock);
  return health;
}

void
_crm_store_health_free (CrmStoreHealth *health)
{
  if (health == NULL)
    return;
  g_mutex_lock (&registry_lock);
  g_ptr_array_remove_fast (registry, health);
  g_mutex_unlock (&registry_lock);

  g_weak_ref_clear (&health->store);
  g_main_context_unref (health->context);
  g_free (health->file);
  g_free (health->path);
  g_free (health->reason);
  g_free (health);
}

gboolean
_crm_store_health_is_damaged (CrmStoreHealth *health)
{
  return health != NULL && g_atomic_int_get (&health->damaged);
}

/* Returns: (nullable): what SQLite said about the damage */
const char *
_crm_store_health_get_reason (CrmStoreHealth *health)
{
  return _crm_store_health_is_damaged (health) ? health->reason : NULL;
}

gboolean
_crm_store_health_writable (CrmStoreHealth  *health,
                            GError         **error)
{
  if (!_crm_store_health_is_damaged (health))
    return TRUE;
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT,
               _("The data file “%s” is damaged: nothing more will be saved. "
                 "The file was kept as it is."), health->path);
  return FALSE;
}

/* on the store's context, once */
static gboolean
notify_damaged (gpointer data)
{
  guint64 serial = *(guint64 *)data;
  CrmStore *store = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *path = NULL;

  g_mutex_lock (&registry_lock);
  for (guint i = 0; registry != NULL && i < registry->len; i++)
    {
      CrmStoreHealth *health = g_ptr_array_index (registry, i);

      if (health->serial == serial)
        {
          store = g_weak_ref_get (&health->store);
          reason = g_strdup (health->reason);
          path = g_strdup (health->path);
          break;
        }
    }
  g_mutex_unlock (&registry_lock);

  if (store != NULL)
    {
      /* a second lock: whatever statement might still try, the connection
       * no longer writes */
      sqlite3_exec (_crm_store_get_db (store), "PRAGMA query_only = 1", NULL, NULL, NULL);
      g_message ("The data file %s is damaged (%s): writes are refused from now on",
                 path, reason);
      g_object_notify (G_OBJECT (store), "damaged");
      g_object_unref (store);
    }
  return G_SOURCE_REMOVE;
}

/**
 * _crm_store_health_report:
 * @db: any connection to a store's file, on any thread
 * @detail: what SQLite said
 *
 * Marks the store of @db's file damaged, if it was not already.
 */
void
_crm_store_health_report (sqlite3    *db,
                          const char *detail)
{
  const char *file = db ? sqlite3_db_filename (db, "main") : NULL;

  if (file == NULL || *file == '\0')
    return;

  g_mutex_lock (&registry_lock);
  for (guint i = 0; registry != NULL && i < registry->len; i++)
    {
      CrmStoreHealth *health = g_ptr_array_index (registry, i);
      g_autoptr (GSource) source = NULL;

      if (g_strcmp0 (health->file, file) != 0 || g_atomic_int_get (&health->damaged))
        continue;
      health->reason = g_strdup (detail);
      g_atomic_int_set (&health->damaged, 1);

      source = g_idle_source_new ();
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, notify_damaged,
                             g_memdup2 (&health->serial, sizeof health->serial), g_free);
      g_source_set_static_name (source, "[crm] store damaged");
      g_source_attach (source, health->context);
    }
  g_mutex_unlock (&registry_lock);
}

/* The background check: PRAGMA quick_check on its own read-only connection.
 * It holds no reference to the store, so quitting never waits for it. */
static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  sqlite3 *db = task_data;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *problem = NULL;
  int rc;

  _crm_store_watch_cancellable (db, cancellable);
  /* the first problem found is enough, and says what it is */
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check (1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *line = (const char *)sqlite3_column_text (stmt, 0);

          if (problem == NULL && g_strcmp0 (line, "ok") != 0)
            problem = g_strdelimit (g_strdup (line ? line : "?"), "\n", ' ');
        }
    }
  sqlite3_finalize (stmt);
  _crm_store_watch_cancellable (db, NULL);

  if (rc == SQLITE_INTERRUPT || g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The check of the data file was cancelled"));
      return;
    }
  if (problem == NULL && rc != SQLITE_DONE)
    {
      GError *error = NULL;

      /* a CORRUPT or NOTADB here reports the damage itself */
      _crm_store_set_error (&error, db, rc, _("Cannot check the data file"));
      g_task_return_error (task, error);
      return;
    }
  if (problem != NULL)
    {
      _crm_store_health_report (db, problem);
      g_task_return_new_error (task, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT,
                               _("The database file is damaged (%s)"), problem);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * crm_store_check_async:
 * @cancellable: (nullable): stops the check
 * @callback: (nullable): called on this thread's main context when it is done
 *
 * Runs SQLite's quick_check over the whole file on a worker thread with its
 * own connection; a failure makes the store damaged (CrmStore:damaged).
 * The callback gets no source object.
 */
void
crm_store_check_async (CrmStore            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  sqlite3 *db;

  g_return_if_fail (CRM_IS_STORE (self));

  g_task_set_source_tag (task, crm_store_check_async);
  g_task_set_name (task, "[crm] quick_check");
  db = _crm_store_open_reader (self, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, db, (GDestroyNotify)sqlite3_close_v2);
  g_task_run_in_thread (task, check_thread);
}

/**
 * crm_store_check_finish:
 *
 * Returns: %TRUE when the file passed the check; else %FALSE with @error
 *   set (%CRM_STORE_ERROR_CORRUPT when it is damaged).
 */
gboolean
crm_store_check_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
marker_path (const char *data_dir)
{
  return g_build_filename (data_dir, CRM_STORE_MARKER_NAME, NULL);
}

/**
 * _crm_store_check_not_emptied:
 *
 * Returns: %FALSE with a %CRM_STORE_ERROR_CORRUPT error when @path is a
 *   0-byte file in a folder the app has used before; it is left as it is.
 */
gboolean
_crm_store_check_not_emptied (const char  *data_dir,
                              const char  *path,
                              GError     **error)
{
  g_autofree char *marker = marker_path (data_dir);
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size != 0)
    return TRUE;
  if (!g_file_test (marker, G_FILE_TEST_EXISTS))
    return TRUE; /* a first start: SQLite makes the database */

  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT,
               _("The data file “%s” is empty (0 bytes), but Xiaohe CRM has kept data in "
                 "this folder before: another program or a failed copy emptied it. The file "
                 "was kept as it is; restore it from a backup."), path);
  return FALSE;
}

/* Leaves the marker in @data_dir, once; a failure only costs the check of
 * an emptied file later, so it is logged, not reported. */
void
_crm_store_write_marker (const char *data_dir)
{
  g_autofree char *marker = marker_path (data_dir);
  g_autoptr (GError) error = NULL;
  static const char text[] =
    "Xiaohe CRM keeps its data in this folder. Leave this file here: it tells the app\n"
    "that an empty database file next to it was emptied, not new.\n";

  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    return;
  if (!g_file_set_contents_full (marker, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    g_message ("Cannot write %s: %s", marker, error->message);
}

/**
 * crm_store_set_aside_empty:
 * @data_dir: (nullable): the folder, %NULL for the default
 * @aside: (out) (optional): the file's new name
 *
 * Renames a 0-byte database file (and its WAL and SHM files, if any) to
 * `xiaohe-crm.sqlite3.empty-TIME`, so that the next crm_store_open() starts
 * a new database without losing what there was. Nothing is deleted.
 */
gboolean
crm_store_set_aside_empty (const char  *data_dir,
                           char       **aside,
                           GError     **error)
{
  g_autofree char *dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  GStatBuf st;

  if (g_stat (path, &st) == 0 && st.st_size != 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("The data file “%s” is not empty: it was left as it is"), path);
      return FALSE;
    }
  /* the same renaming as a damaged file's (crm-store-backup-list.c) */
  return _crm_backup_set_aside (path, "empty", aside, error);
}
