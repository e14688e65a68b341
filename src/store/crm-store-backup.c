/* crm-store-backup.c — verified copies of the database, and restoring one
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A backup is made with SQLite's online backup API on a connection of its
 * own (crm_store_backup_async() runs it on a thread of its own at
 * background priority, crm-store-backup-worker.c: the app's main loop never
 * waits for it, and it runs on the CPU time the app leaves): one read
 * transaction on the source
 * holds the snapshot while the record counts are read and every page is
 * copied, so the counts and the copy agree whatever the app writes
 * meanwhile (WAL lets it). The copy is made under a temporary name
 * (NAME.sqlite3.part), turned into a single self-contained file
 * (journal_mode DELETE), fsynced, checked with PRAGMA integrity_check and
 * its counts compared with the source's; only then does its description
 * (NAME.json: time, reason, schema, counts) appear and the copy get its
 * final name, xiaohe-crm-YYYYMMDD-HHMMSS[-reason].sqlite3. A copy that
 * fails is deleted and the failure returned as a CRM_BACKUP_ERROR; a full
 * disk (ENOSPC, EFBIG, EDQUOT, SQLITE_FULL) is CRM_BACKUP_ERROR_FULL, and
 * the database itself is only ever read.
 *
 * Why the backup API and not VACUUM INTO: bench-backup measures both on
 * 100k contacts; the backup API copies pages as they are (no index is
 * rebuilt), which is several times faster, and it can be stepped, so a
 * cancellation is noticed between steps.
 *
 * The outbox and the sync cursor are tables of the same file, so a restored
 * copy pushes nothing stale. Listing, rotation and restore are in
 * crm-store-backup-list.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "crm-store-backup-private.h"
#include "crm-store-private.h"

G_DEFINE_QUARK (crm-backup-error-quark, crm_backup_error)

/* pages copied per sqlite3_backup_step(): 4 MiB, a cancellation is
 * noticed within a few milliseconds */
#define PAGES_PER_STEP 1024

static const char * const count_tables[CRM_BACKUP_N_COUNTS] = {
  "contacts", "deals", "outbox", "blobs", "sync_state",
};

static CrmBackupTestHook test_hook;
static gpointer test_hook_data;

/**
 * crm_backup_count_name:
 *
 * Returns: the table @count counts ("contacts"), as the JSON names it
 */
const char *
crm_backup_count_name (CrmBackupCount count)
{
  g_return_val_if_fail (count < CRM_BACKUP_N_COUNTS, NULL);
  return count_tables[count];
}

/**
 * crm_backup_default_dir:
 * @data_dir: (nullable): the data folder, %NULL for the default
 *
 * Returns: (transfer full): `DATA_DIR/backups`
 */
char *
crm_backup_default_dir (const char *data_dir)
{
  g_autofree char *dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();

  return g_build_filename (dir, CRM_BACKUP_DIR_NAME, NULL);
}

CrmBackupInfo *
crm_backup_info_copy (const CrmBackupInfo *info)
{
  CrmBackupInfo *copy = g_memdup2 (info, sizeof *info);

  copy->path = g_strdup (info->path);
  copy->reason = g_strdup (info->reason);
  copy->time = info->time ? g_date_time_ref (info->time) : NULL;
  return copy;
}

void
crm_backup_info_free (CrmBackupInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->reason);
  g_clear_pointer (&info->time, g_date_time_unref);
  g_free (info);
}

/* whether @errno_value says there is no room left */
static gboolean
is_no_space (int errno_value)
{
  return errno_value == ENOSPC || errno_value == EFBIG || errno_value == EDQUOT;
}

void
_crm_backup_set_full_error (GError     **error,
                            const char  *path,
                            const char  *detail)
{
  g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FULL,
               _("There is no room for the backup in “%s” (%s): the disk is full or the file "
                 "too large. Your data was not changed; free some space or choose another "
                 "backup folder."), path, detail);
}

/* SQLite's failure on @db as a CRM_BACKUP_ERROR; the source's own damage
 * is also reported to its store (_crm_store_set_error) when @source */
static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  gboolean     source,
                  const char  *what)
{
  const char *detail = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  int sys = db ? sqlite3_system_errno (db) : 0;

  if (source)
    _crm_store_note_failure (db, rc);
  if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && is_no_space (sys)))
    {
      _crm_backup_set_full_error (error, db ? sqlite3_db_filename (db, "main") : "",
                                  is_no_space (sys) ? g_strerror (sys) : detail);
      return FALSE;
    }
  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
    {
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED,
                   _("%s: the database file is damaged (%s)"), what, detail);
      return FALSE;
    }
  g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED, "%s: %s", what, detail);
  return FALSE;
}

/* the record counts of @db, in its current transaction; a table an older
 * schema does not have counts 0 */
static gboolean
read_counts (sqlite3  *db,
             gboolean  source,
             gint64   *counts,
             GError  **error)
{
  for (guint i = 0; i < CRM_BACKUP_N_COUNTS; i++)
    {
      g_autoptr (sqlite3_stmt) exists = NULL;
      g_autoptr (sqlite3_stmt) stmt = NULL;
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", count_tables[i]);
      int rc;

      counts[i] = 0;
      rc = sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table'"
                               " AND name = ?1", -1, &exists, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (exists, 1, count_tables[i], -1, SQLITE_STATIC);
          rc = sqlite3_step (exists);
        }
      if (rc == SQLITE_DONE)
        continue;
      if (rc == SQLITE_ROW)
        rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        return set_sqlite_error (error, db, rc, source, _("Cannot count the records"));
      counts[i] = sqlite3_column_int64 (stmt, 0);
    }
  return TRUE;
}

static sqlite3 *
open_db (const char  *path,
         int          flags,
         gboolean     source,
         GError     **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, 1);
      sqlite3_busy_timeout (db, 5000);
      return db;
    }
  set_sqlite_error (error, db, rc, source, _("Cannot open the database"));
  sqlite3_close (db);
  return NULL;
}

static gboolean
fsync_path (const char  *path,
            gboolean     directory,
            GError     **error)
{
  int fd = g_open (path, O_RDONLY | (directory ? O_DIRECTORY : 0), 0);
  int saved_errno = 0;

  if (fd < 0 || fsync (fd) != 0)
    saved_errno = errno;
  if (fd >= 0)
    close (fd);
  if (saved_errno == 0)
    return TRUE;
  if (is_no_space (saved_errno))
    _crm_backup_set_full_error (error, path, g_strerror (saved_errno));
  else
    g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                 _("Cannot write “%s” to the disk: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

gboolean
_crm_backup_fsync (const char  *path,
                   gboolean     directory,
                   GError     **error)
{
  return fsync_path (path, directory, error);
}

/**
 * crm_backup_check_file:
 * @counts: (out caller-allocates) (optional): CRM_BACKUP_N_COUNTS record counts
 *
 * Runs PRAGMA integrity_check over the copy @db_path and reads its counts.
 *
 * Returns: %TRUE when the check said "ok"; else %FALSE with
 *   %CRM_BACKUP_ERROR_DAMAGED (or another code when it cannot be read)
 */
gboolean
crm_backup_check_file (const char  *db_path,
                       gint64      *counts,
                       GError     **error)
{
  sqlite3 *db;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *problem = NULL;
  gint64 n[CRM_BACKUP_N_COUNTS];
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (db_path != NULL, FALSE);

  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NOT_FOUND,
                   _("There is no file “%s”"), db_path);
      return FALSE;
    }
  db = open_db (db_path, SQLITE_OPEN_READONLY, FALSE, error);
  if (db == NULL)
    return FALSE;
  rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check (10)", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *)sqlite3_column_text (stmt, 0);

      if (problem == NULL && g_strcmp0 (line, "ok") != 0)
        problem = g_strdelimit (g_strdup (line ? line : "?"), "\n", ' ');
      rc = SQLITE_OK;
    }
  if (problem != NULL)
    {
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED,
                   _("The file “%s” is damaged (%s)"), db_path, problem);
      ok = FALSE;
    }
  else if (rc != SQLITE_DONE)
    ok = set_sqlite_error (error, db, rc, FALSE, _("Cannot check the file"));
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (ok)
    ok = read_counts (db, FALSE, n, error);
  if (ok && counts != NULL)
    memcpy (counts, n, sizeof n);
  sqlite3_close_v2 (db);
  return ok;
}

/* copies every page of @src (in its open read transaction) into @tmp */
static gboolean
copy_pages (sqlite3       *src,
            const char    *tmp,
            int            writeback,
            GCancellable  *cancellable,
            GError       **error)
{
  sqlite3 *dest = open_db (tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, FALSE, error);
  sqlite3_backup *backup;
  gint64 written = 0;
  int rc;

  if (dest == NULL)
    return FALSE;
  /* the copy is fsynced once whole (crm_backup_file()), not at each commit */
  backup = sqlite3_exec (dest, "PRAGMA synchronous = OFF", NULL, NULL, NULL) == SQLITE_OK
           ? sqlite3_backup_init (dest, "main", src, "main") : NULL;
  if (backup == NULL)
    {
      set_sqlite_error (error, dest, sqlite3_errcode (dest), FALSE, _("Cannot start the backup"));
      sqlite3_close_v2 (dest);
      return FALSE;
    }
  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_backup_finish (backup);
          sqlite3_close_v2 (dest);
          return FALSE;
        }
      rc = sqlite3_backup_step (backup, PAGES_PER_STEP);
      _crm_backup_writeback_step (writeback, &written);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      /* the error is on the connection it came from */
      if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB
          || sqlite3_errcode (dest) == SQLITE_OK)
        set_sqlite_error (error, src, rc, TRUE, _("Cannot copy the database"));
      else
        set_sqlite_error (error, dest, rc, FALSE, _("Cannot copy the database"));
      sqlite3_close_v2 (dest);
      return FALSE;
    }
  /* one self-contained file: no WAL beside it */
  rc = sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, dest, rc, FALSE, _("Cannot copy the database"));
      sqlite3_close_v2 (dest);
      return FALSE;
    }
  rc = sqlite3_close (dest);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, NULL, rc, FALSE, _("Cannot copy the database"));
      sqlite3_close_v2 (dest);
      return FALSE;
    }
  return TRUE;
}

/* a free name in @folder for a copy made @now with @reason */
static char *
final_name (const char *folder,
            GDateTime  *now,
            const char *reason)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (now);
  g_autofree char *stamp = g_date_time_format (local, "%Y%m%d-%H%M%S");
  g_autofree char *base = reason ? g_strdup_printf ("xiaohe-crm-%s-%s", stamp, reason)
                                 : g_strdup_printf ("xiaohe-crm-%s", stamp);

  for (guint i = 1;; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup_printf ("%s.sqlite3", base)
                                     : g_strdup_printf ("%s-%u.sqlite3", base, i);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *part = g_strconcat (path, ".part", NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (part, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
}

char *
_crm_backup_json_path (const char *db_path)
{
  g_autofree char *base = g_str_has_suffix (db_path, ".sqlite3")
                          ? g_strndup (db_path, strlen (db_path) - strlen (".sqlite3"))
                          : g_strdup (db_path);

  return g_strconcat (base, ".json", NULL);
}

static gboolean
write_description (const CrmBackupInfo  *info,
                   GError              **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *created = g_date_time_format_iso8601 (info->time);
  g_autofree char *text = NULL;
  g_autofree char *path = _crm_backup_json_path (info->path);
  g_autoptr (GError) local = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "reason");
  if (info->reason != NULL)
    json_builder_add_string_value (builder, info->reason);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, info->schema);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, info->size);
  json_builder_set_member_name (builder, "check");
  json_builder_add_string_value (builder, "integrity_check ok");
  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  for (guint i = 0; i < CRM_BACKUP_N_COUNTS; i++)
    {
      json_builder_set_member_name (builder, count_tables[i]);
      json_builder_add_int_value (builder, info->counts[i]);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  if (g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local))
    return TRUE;
  if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOSPC))
    _crm_backup_set_full_error (error, path, local->message);
  else
    g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                 _("Cannot write the backup’s description: %s"), local->message);
  return FALSE;
}

static void
remove_partial (const char *tmp)
{
  g_autofree char *journal = g_strconcat (tmp, "-journal", NULL);
  g_autofree char *wal = g_strconcat (tmp, "-wal", NULL);
  g_autofree char *shm = g_strconcat (tmp, "-shm", NULL);

  g_unlink (tmp);
  g_unlink (journal);
  g_unlink (wal);
  g_unlink (shm);
}

static gboolean
valid_reason (const char *reason)
{
  if (reason == NULL)
    return TRUE;
  if (*reason == '\0' || strlen (reason) > 40)
    return FALSE;
  for (const char *p = reason; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/* the snapshot's counts and every page, under the temporary name @tmp */
static gboolean
snapshot (const char    *db_path,
          const char    *tmp,
          int            writeback,
          gint64        *counts,
          int           *schema,
          GCancellable  *cancellable,
          GError       **error)
{
  sqlite3 *src = open_db (db_path, SQLITE_OPEN_READONLY, TRUE, error);
  gboolean ok;

  if (src == NULL)
    return FALSE;
  /* one read transaction: the counts and the pages are the same snapshot */
  ok = _crm_store_exec (src, "BEGIN", NULL);
  ok = ok && read_counts (src, TRUE, counts, error);
  if (ok)
    {
      *schema = _crm_store_get_user_version (src);
      ok = copy_pages (src, tmp, writeback, cancellable, error);
    }
  else if (error != NULL && *error == NULL)
    set_sqlite_error (error, src, sqlite3_errcode (src), TRUE, _("Cannot read the database"));
  sqlite3_exec (src, "COMMIT", NULL, NULL, NULL);
  sqlite3_close_v2 (src);
  return ok;
}

/* crm_backup_file() in @folder, which exists */
static CrmBackupInfo *
backup_into (const char    *db_path,
             const char    *folder,
             const char    *reason,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr (CrmBackupInfo) info = g_new0 (CrmBackupInfo, 1);
  g_autofree char *tmp = NULL;
  g_autoptr (GError) local = NULL;
  gint64 copied[CRM_BACKUP_N_COUNTS];
  GStatBuf st;
  int writeback;
  gboolean ok;

  info->time = g_date_time_new_now_utc ();
  info->reason = g_strdup (reason);
  info->path = final_name (folder, info->time, reason);
  tmp = g_strconcat (info->path, ".part", NULL);

  /* made here, only its owner may read it; and its bytes sent to the disk
   * as they are copied */
  writeback = g_open (tmp, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
  ok = snapshot (db_path, tmp, writeback, info->counts, &info->schema, cancellable, error);
  /* after SQLite closed it: a close() drops the process's locks on a file */
  if (writeback >= 0)
    close (writeback);
  if (!ok)
    {
      remove_partial (tmp);
      return NULL;
    }
  if (test_hook != NULL)
    test_hook (tmp, test_hook_data);
  if (!fsync_path (tmp, FALSE, error))
    {
      remove_partial (tmp);
      return NULL;
    }

  /* the copy counts as a backup only once it passed its check */
  if (!crm_backup_check_file (tmp, copied, &local)
      || memcmp (copied, info->counts, sizeof copied) != 0)
    {
      remove_partial (tmp);
      if (local == NULL)
        {
          g_autofree char *got = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  copied[CRM_BACKUP_COUNT_CONTACTS]);
          g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   info->counts[CRM_BACKUP_COUNT_CONTACTS]);

          g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_VERIFY,
                       _("The backup copy failed its check and was deleted: its record "
                         "counts differ from the database’s (%s contacts instead of %s)"),
                       got, want);
        }
      else
        g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_VERIFY,
                     _("The backup copy failed its check and was deleted: %s"), local->message);
      return NULL;
    }
  if (g_stat (tmp, &st) == 0)
    info->size = st.st_size;
  if (!write_description (info, error))
    {
      remove_partial (tmp);
      return NULL;
    }
  if (g_rename (tmp, info->path) != 0)
    {
      int saved_errno = errno;
      g_autofree char *json = _crm_backup_json_path (info->path);

      remove_partial (tmp);
      g_unlink (json);
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                   _("Cannot name the backup “%s”: %s"), info->path, g_strerror (saved_errno));
      return NULL;
    }
  if (!fsync_path (folder, TRUE, &local))
    g_message ("%s", local->message);
  /* read again only by a restore: not worth the app's page cache */
  _crm_backup_drop_cache (info->path);
  return g_steal_pointer (&info);
}

/**
 * crm_backup_file:
 * @db_path: the database to copy (only read)
 * @folder: where the copy goes; made if missing
 * @reason: (nullable): "before-restore" and the like (lower-case letters,
 *   digits and dashes), %NULL for a regular copy
 *
 * Makes a verified copy of @db_path in @folder, on this thread (see the
 * top of the file). Blocks: the app calls crm_store_backup_async().
 *
 * Returns: (transfer full): the new copy, or %NULL with @error set
 */
CrmBackupInfo *
crm_backup_file (const char    *db_path,
                 const char    *folder,
                 const char    *reason,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CrmBackupInfo *info;
  int lock;

  g_return_val_if_fail (db_path != NULL && folder != NULL, NULL);
  g_return_val_if_fail (valid_reason (reason), NULL);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                   _("Cannot create the backup folder “%s”: %s"), folder,
                   g_strerror (saved_errno));
      return NULL;
    }
  /* a backup under way there, what an unfinished one left deleted first */
  lock = _crm_backup_folder_enter (folder);
  info = backup_into (db_path, folder, reason, cancellable, error);
  _crm_backup_folder_leave (lock);
  return info;
}

/**
 * crm_store_set_backup_dir:
 * @folder: (nullable): where backups go, %NULL for `DATA_DIR/backups`
 */
void
crm_store_set_backup_dir (CrmStore   *store,
                          const char *folder)
{
  g_return_if_fail (CRM_IS_STORE (store));
  g_object_set_data_full (G_OBJECT (store), "crm-backup-dir",
                          folder && *folder ? g_strdup (folder) : NULL, g_free);
}

/**
 * crm_store_get_backup_dir:
 *
 * Returns: where @store's backups go
 */
const char *
crm_store_get_backup_dir (CrmStore *store)
{
  const char *folder;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  folder = g_object_get_data (G_OBJECT (store), "crm-backup-dir");
  if (folder != NULL)
    return folder;
  folder = g_object_get_data (G_OBJECT (store), "crm-backup-default-dir");
  if (folder == NULL)
    {
      char *dir = crm_backup_default_dir (store->data_dir);

      g_object_set_data_full (G_OBJECT (store), "crm-backup-default-dir", dir, g_free);
      folder = dir;
    }
  return folder;
}

typedef struct
{
  char *db_path;
  char *folder;
  char *reason;
} BackupJob;

static void
backup_job_free (BackupJob *job)
{
  g_free (job->db_path);
  g_free (job->folder);
  g_free (job->reason);
  g_free (job);
}

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BackupJob *job = task_data;
  GError *error = NULL;
  CrmBackupInfo *info;

  info = crm_backup_file (job->db_path, job->folder, job->reason, cancellable, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify)crm_backup_info_free);
}

/**
 * crm_store_backup_async:
 * @reason: (nullable): as for crm_backup_file()
 * @callback: called on this thread's main context; it gets no source object
 *
 * Makes a verified copy of @store's file in crm_store_get_backup_dir() on a
 * worker thread with its own connection: the store may be used (and
 * written) meanwhile, and dropped (the job does not hold it).
 */
void
crm_store_backup_async (CrmStore            *store,
                        const char          *reason,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  BackupJob *job;

  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (valid_reason (reason));

  g_task_set_source_tag (task, crm_store_backup_async);
  g_task_set_name (task, "[crm] backup");
  if (crm_store_is_damaged (store))
    {
      g_task_return_new_error (task, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED,
                               _("The data file is damaged: it cannot be backed up. Restore "
                                 "it from a backup instead."));
      return;
    }
  job = g_new0 (BackupJob, 1);
  job->db_path = g_strdup (crm_store_get_path (store));
  job->folder = g_strdup (crm_store_get_backup_dir (store));
  job->reason = g_strdup (reason);
  g_task_set_task_data (task, job, (GDestroyNotify)backup_job_free);
  /* a thread of its own, at background priority (crm-store-backup-worker.c) */
  _crm_backup_run_in_low_thread (task, backup_thread,
                                 reason != NULL && g_str_has_prefix (reason, "before-"));
}

/**
 * crm_store_backup_finish:
 *
 * Returns: (transfer full): the new copy, or %NULL with @error set
 */
CrmBackupInfo *
crm_store_backup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * crm_store_backup_before:
 * @reason: what is about to happen: "restore", "delete-all", "import",
 *   "migration" (the copy is named "before-@reason")
 *
 * The copy to make before a destructive operation: call the operation from
 * @callback once crm_store_backup_finish() succeeded.
 */
void
crm_store_backup_before (CrmStore            *store,
                         const char          *reason,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *full = g_strconcat ("before-", reason, NULL);

  g_return_if_fail (reason != NULL);
  crm_store_backup_async (store, full, cancellable, callback, user_data);
}

void
_crm_backup_set_test_hook (CrmBackupTestHook hook,
                           gpointer          user_data)
{
  test_hook = hook;
  test_hook_data = user_data;
}
