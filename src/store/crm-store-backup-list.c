/* crm-store-backup-list.c — the backups in a folder, their rotation, restore and recovery
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A backup is a copy xiaohe-crm-*.sqlite3 WITH its description (.json):
 * crm-store-backup.c writes the description only after the copy passed its
 * check, so a copy without one (a crash halfway) is not listed, not
 * offered, and not deleted either.
 *
 * The rotation is a pure function of the copies' times and reasons and of
 * "now" (crm_backup_rotation_keep(), tested with dates): the newest regular
 * copy of each of the last N days, ISO weeks and months that have one (so a
 * computer left off for a month still has its last week), every copy with a
 * reason ("before-restore", "manual", …) for a number of days, the newest copy always, and a copy from the
 * future (a clock set back) left alone. Days are those of @now's time zone.
 *
 * A restore never deletes the current database: a healthy one is first
 * copied as a "before-restore" backup, a damaged one renamed aside with its
 * date. The backup is checked, copied to a temporary name in the data
 * folder, fsynced, the old WAL and SHM removed (their pages belong to the
 * old file) and renamed over the database; the caller has closed the store
 * and holds the folder's lock.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "crm-store-backup-private.h"

#define NAME_PREFIX "xiaohe-crm-"
#define NAME_SUFFIX ".sqlite3"

static CrmBackupInfo *
read_description (const char *folder,
                  const char *name)
{
  g_autoptr (CrmBackupInfo) info = g_new0 (CrmBackupInfo, 1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *json_path = NULL;
  JsonObject *object, *counts;
  JsonNode *root;
  const char *created;

  info->path = g_build_filename (folder, name, NULL);
  json_path = _crm_backup_json_path (info->path);
  if (!json_parser_load_from_mapped_file (parser, json_path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  created = json_object_get_string_member_with_default (object, "created", NULL);
  info->time = created ? g_date_time_new_from_iso8601 (created, NULL) : NULL;
  if (info->time == NULL)
    return NULL;
  if (json_object_has_member (object, "reason")
      && !json_object_get_null_member (object, "reason"))
    info->reason = g_strdup (json_object_get_string_member_with_default (object, "reason",
                                                                         NULL));
  info->schema = json_object_get_int_member_with_default (object, "schema", 0);
  info->size = json_object_get_int_member_with_default (object, "size", 0);
  counts = json_object_get_object_member (object, "counts");
  for (guint i = 0; counts != NULL && i < CRM_BACKUP_N_COUNTS; i++)
    info->counts[i] = json_object_get_int_member_with_default (counts,
                                                               crm_backup_count_name (i), 0);
  return g_steal_pointer (&info);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const CrmBackupInfo *x = *(CrmBackupInfo * const *)a;
  const CrmBackupInfo *y = *(CrmBackupInfo * const *)b;
  int by_time = g_date_time_compare (y->time, x->time);

  return by_time != 0 ? by_time : g_strcmp0 (y->path, x->path);
}

/**
 * crm_backup_list:
 * @folder: a backup folder; a missing one has no backups
 *
 * Returns: (transfer full) (element-type CrmBackupInfo): the verified
 *   backups in @folder, newest first; %NULL with @error set when the folder
 *   cannot be read
 */
GPtrArray *
crm_backup_list (const char  *folder,
                 GError     **error)
{
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) local = NULL;
  const char *name;

  g_return_val_if_fail (folder != NULL, NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify)crm_backup_info_free);
  dir = g_dir_open (folder, 0, &local);
  if (dir == NULL)
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&list);
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                   _("Cannot read the backup folder: %s"), local->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      CrmBackupInfo *info;

      if (!g_str_has_prefix (name, NAME_PREFIX) || !g_str_has_suffix (name, NAME_SUFFIX))
        continue;
      info = read_description (folder, name);
      if (info != NULL)
        g_ptr_array_add (list, info);
    }
  g_ptr_array_sort (list, newest_first);
  return g_steal_pointer (&list);
}

/**
 * crm_backup_latest:
 * @folders: (array zero-terminated=1): backup folders (the same one twice is fine)
 *
 * Returns: (transfer full) (nullable): the newest backup in any of @folders
 */
CrmBackupInfo *
crm_backup_latest (const char * const *folders)
{
  CrmBackupInfo *latest = NULL;

  for (guint i = 0; folders != NULL && folders[i] != NULL; i++)
    {
      g_autoptr (GPtrArray) list = crm_backup_list (folders[i], NULL);
      CrmBackupInfo *first;

      if (list == NULL || list->len == 0)
        continue;
      first = g_ptr_array_index (list, 0);
      if (latest == NULL || g_date_time_compare (first->time, latest->time) > 0)
        {
          crm_backup_info_free (latest);
          latest = crm_backup_info_copy (first);
        }
    }
  return latest;
}

/**
 * crm_backup_is_due:
 *
 * Returns: whether the newest backup in @folders is over a day older than
 *   @now (or there is none)
 */
gboolean
crm_backup_is_due (const char * const *folders,
                   GDateTime          *now)
{
  g_autoptr (CrmBackupInfo) latest = crm_backup_latest (folders);

  return latest == NULL || g_date_time_difference (now, latest->time) > G_TIME_SPAN_DAY;
}

static int
later_first (gconstpointer a,
             gconstpointer b,
             gpointer      times)
{
  GDateTime * const *t = times;

  return g_date_time_compare (t[*(const guint *)b], t[*(const guint *)a]);
}

/* keeps @i when it is the first of a new bucket (@key) among the first @max */
static void
bucket (GDateTime  *local,
        const char *format,
        char      **last,
        guint      *seen,
        guint       max,
        gboolean   *keep)
{
  g_autofree char *key = g_date_time_format (local, format);

  if (g_strcmp0 (key, *last) == 0)
    return;
  g_free (*last);
  *last = g_steal_pointer (&key);
  if (++*seen <= max)
    *keep = TRUE;
}

/**
 * crm_backup_rotation_keep:
 * @times: (array length=n): when each copy was made
 * @reasons: (array length=n) (nullable): each copy's reason, %NULL for a regular one
 * @now: the time; its time zone says where a day begins
 *
 * The rotation (see the top of the file), without touching a file.
 *
 * Returns: (transfer full) (array length=n): for each copy, whether to keep it
 */
gboolean *
crm_backup_rotation_keep (GDateTime * const       *times,
                          const char * const      *reasons,
                          guint                    n,
                          GDateTime               *now,
                          const CrmBackupRotation *rotation)
{
  gboolean *keep = g_new0 (gboolean, n + 1);
  g_autofree guint *order = g_new (guint, n + 1);
  GTimeZone *tz = g_date_time_get_timezone (now);
  g_autofree char *day = NULL, *week = NULL, *month = NULL;
  guint days = 0, weeks = 0, months = 0;
  gboolean newest = TRUE;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof *order, later_first, (gpointer)times);

  for (guint k = 0; k < n; k++)
    {
      guint i = order[k];
      g_autoptr (GDateTime) local = NULL;

      if (g_date_time_compare (times[i], now) > 0)
        {
          keep[i] = TRUE;
          continue;
        }
      if (reasons != NULL && reasons[i] != NULL)
        {
          keep[i] = g_date_time_difference (now, times[i])
                    < (GTimeSpan)rotation->before_days * G_TIME_SPAN_DAY;
          continue;
        }
      local = g_date_time_to_timezone (times[i], tz);
      keep[i] = newest;
      newest = FALSE;
      bucket (local, "%Y-%m-%d", &day, &days, rotation->days, &keep[i]);
      bucket (local, "%G-W%V", &week, &weeks, rotation->weeks, &keep[i]);
      bucket (local, "%Y-%m", &month, &months, rotation->months, &keep[i]);
    }
  return keep;
}

static void
remove_backup (const char *path)
{
  g_autofree char *json = _crm_backup_json_path (path);

  /* the description first: without it the copy is no longer a backup */
  if (g_unlink (json) != 0 || g_unlink (path) != 0)
    g_message ("Cannot remove the old backup %s: %s", path, g_strerror (errno));
}

/**
 * crm_backup_delete_all:
 * @folder: a backup folder
 *
 * Removes every backup of @folder (each copy with its description), as
 * "Delete All My Data" must: a copy left behind would still hold the data.
 * Files that are not backups are left alone.
 *
 * Returns: %TRUE when none is left; %FALSE with @error naming the first copy
 *   that could not be removed
 */
gboolean
crm_backup_delete_all (const char  *folder,
                       GError     **error)
{
  g_autoptr (GPtrArray) list = NULL;

  g_return_val_if_fail (folder != NULL, FALSE);

  list = crm_backup_list (folder, error);
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      CrmBackupInfo *info = g_ptr_array_index (list, i);
      g_autofree char *json = _crm_backup_json_path (info->path);

      if ((g_unlink (json) != 0 && errno != ENOENT) || g_unlink (info->path) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                       _("Cannot remove the backup “%s”: %s"), info->path,
                       g_strerror (saved_errno));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * crm_backup_rotate:
 *
 * Removes the backups of @folder that the rotation does not keep.
 *
 * Returns: how many were removed; 0 with @error set when the folder
 *   cannot be read
 */
guint
crm_backup_rotate (const char              *folder,
                   GDateTime               *now,
                   const CrmBackupRotation *rotation,
                   GError                 **error)
{
  g_autoptr (GPtrArray) list = crm_backup_list (folder, error);
  g_autofree GDateTime **times = NULL;
  g_autofree const char **reasons = NULL;
  g_autofree gboolean *keep = NULL;
  guint removed = 0;

  if (list == NULL)
    return 0;
  times = g_new0 (GDateTime *, list->len + 1);
  reasons = g_new0 (const char *, list->len + 1);
  for (guint i = 0; i < list->len; i++)
    {
      CrmBackupInfo *info = g_ptr_array_index (list, i);

      times[i] = info->time;
      reasons[i] = info->reason;
    }
  keep = crm_backup_rotation_keep (times, reasons, list->len, now, rotation);
  for (guint i = 0; i < list->len; i++)
    if (!keep[i])
      {
        remove_backup (((CrmBackupInfo *)g_ptr_array_index (list, i))->path);
        removed++;
      }
  return removed;
}

/* @from copied to a new file @to, fsynced */
static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autofree char *buffer = g_malloc (1 << 20);
  int in = g_open (from, O_RDONLY, 0);
  int out = in < 0 ? -1 : g_open (to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int saved_errno = 0;
  const char *failed = from;
  ssize_t n = 0;

  if (in < 0 || out < 0)
    {
      saved_errno = errno;
      failed = in < 0 ? from : to;
    }
  while (saved_errno == 0 && (n = read (in, buffer, 1 << 20)) > 0)
    {
      for (ssize_t done = 0; done < n;)
        {
          ssize_t w = write (out, buffer + done, n - done);

          if (w < 0 && errno == EINTR)
            continue;
          if (w <= 0)
            {
              saved_errno = w < 0 ? errno : ENOSPC;
              failed = to;
              break;
            }
          done += w;
        }
    }
  if (saved_errno == 0 && n < 0)
    saved_errno = errno;
  if (saved_errno == 0 && fsync (out) != 0)
    {
      saved_errno = errno;
      failed = to;
    }
  if (in >= 0)
    close (in);
  if (out >= 0 && close (out) != 0 && saved_errno == 0)
    {
      saved_errno = errno;
      failed = to;
    }
  if (saved_errno == 0)
    return TRUE;
  if (out >= 0)
    g_unlink (to);
  if (saved_errno == ENOSPC || saved_errno == EFBIG || saved_errno == EDQUOT)
    _crm_backup_set_full_error (error, to, g_strerror (saved_errno));
  else
    g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                 _("Cannot copy “%s”: %s"), failed, g_strerror (saved_errno));
  return FALSE;
}

/* renames @path and its WAL and SHM to PATH.@what-TIME */
gboolean
_crm_backup_set_aside (const char  *path,
           const char  *what,
           char       **aside,
           GError     **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *target = g_strdup_printf ("%s.%s-%s", path, what, stamp);
  static const char * const companions[] = { "-wal", "-shm" };
  int saved_errno = 0;

  if (g_file_test (target, G_FILE_TEST_EXISTS))
    saved_errno = EEXIST;
  else if (g_rename (path, target) != 0)
    saved_errno = errno;
  if (saved_errno != 0)
    {
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                   _("Cannot set the data file “%s” aside: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (path, companions[i], NULL);
      g_autofree char *to = g_strconcat (target, companions[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS) && g_rename (from, to) != 0)
        g_message ("Cannot set %s aside: %s", from, g_strerror (errno));
    }
  if (aside != NULL)
    *aside = g_steal_pointer (&target);
  return TRUE;
}

/* puts a set-aside file (and its WAL) back, after a restore that failed */
static void
put_back (const char *aside,
          const char *path)
{
  static const char * const companions[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (aside, companions[i], NULL);
      g_autofree char *to = g_strconcat (path, companions[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS) && g_rename (from, to) != 0)
        g_message ("Cannot put %s back: %s", from, g_strerror (errno));
    }
}

/**
 * crm_store_set_aside_damaged:
 * @data_dir: (nullable): the folder, %NULL for the default
 * @aside: (out) (optional): the file's new name
 *
 * Renames the database (damaged, whatever its size) and its WAL and SHM to
 * `xiaohe-crm.sqlite3.damaged-TIME`. Nothing is deleted.
 */
gboolean
crm_store_set_aside_damaged (const char  *data_dir,
                             char       **aside,
                             GError     **error)
{
  g_autofree char *dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);

  return _crm_backup_set_aside (path, "damaged", aside, error);
}

/* the current database kept before a restore: a verified copy when it is
 * healthy, else renamed aside; %NULL @kept when there was none */
static gboolean
keep_current (const char  *dir,
              const char  *path,
              const char  *folder,
              char       **kept,
              gboolean    *renamed,
              GError     **error)
{
  g_autoptr (CrmBackupInfo) info = NULL;
  g_autoptr (GError) local = NULL;
  GStatBuf st;

  *renamed = FALSE;
  if (g_stat (path, &st) != 0)
    return TRUE;
  if (st.st_size > 0)
    {
      info = crm_backup_file (path, folder, "before-restore", NULL, &local);
      if (info != NULL)
        {
          *kept = g_strdup (info->path);
          return TRUE;
        }
      /* a copy of a damaged file is no backup: the file itself is kept */
      if (!g_error_matches (local, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED)
          && !g_error_matches (local, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_VERIFY))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local),
                                      _("Nothing was restored: the current data could not "
                                        "be kept first. "));
          return FALSE;
        }
    }
  *renamed = TRUE;
  return _crm_backup_set_aside (path, st.st_size > 0 ? "damaged" : "empty", kept, error);
}

/**
 * crm_backup_restore:
 * @data_dir: (nullable): the data folder, %NULL for the default
 * @backup_path: the backup to restore
 * @folder: (nullable): where the "before-restore" copy goes, %NULL for
 *   `DATA_DIR/backups`
 * @kept_as: (out) (optional): where the current database was kept
 *   (the copy, or the damaged file renamed), %NULL if there was none
 *
 * Replaces the database of @data_dir with @backup_path (see the top of the
 * file). The store must be closed and the folder's lock held.
 */
gboolean
crm_backup_restore (const char  *data_dir,
                    const char  *backup_path,
                    const char  *folder,
                    char       **kept_as,
                    GError     **error)
{
  g_autofree char *dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autofree char *tmp = g_strconcat (path, ".restoring", NULL);
  g_autofree char *default_folder = crm_backup_default_dir (dir);
  g_autofree char *kept = NULL;
  g_autoptr (GError) local = NULL;
  gboolean renamed;
  static const char * const companions[] = { "-wal", "-shm" };

  g_return_val_if_fail (backup_path != NULL, FALSE);

  if (!crm_backup_check_file (backup_path, NULL, &local))
    {
      g_set_error (error, CRM_BACKUP_ERROR,
                   local->domain == CRM_BACKUP_ERROR ? local->code : CRM_BACKUP_ERROR_FAILED,
                   _("The backup cannot be restored, nothing was changed: %s"),
                   local->message);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                   _("Cannot create the data folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (!keep_current (dir, path, folder ? folder : default_folder, &kept, &renamed, error))
    return FALSE;
  if (!copy_file (backup_path, tmp, error))
    {
      if (renamed)
        put_back (kept, path);
      return FALSE;
    }
  /* the old WAL's pages belong to the old file: never to be applied to this one */
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (path, companions[i], NULL);

      if (g_unlink (companion) != 0 && errno != ENOENT)
        g_message ("Cannot remove %s: %s", companion, g_strerror (errno));
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmp);
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                   _("Cannot put the backup in place of “%s”: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (!_crm_backup_fsync (dir, TRUE, &local))
    g_message ("%s", local->message);
  if (kept_as != NULL)
    *kept_as = g_steal_pointer (&kept);
  return TRUE;
}

/* the user_version in a file's header (bytes 60–63), or 0 */
static int
header_user_version (const char *path)
{
  guchar header[100];
  FILE *f = g_fopen (path, "rb");
  int version = 0;

  if (f == NULL)
    return 0;
  if (fread (header, 1, sizeof header, f) == sizeof header
      && memcmp (header, "SQLite format 3", 16) == 0)
    version = (header[60] << 24) | (header[61] << 16) | (header[62] << 8) | header[63];
  fclose (f);
  return version;
}

static gboolean
run_sqlite3 (const char  *program,
             const char  *db,
             const char  *input,
             const char  *command,
             char       **output,
             GError     **error)
{
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GBytes) in = input ? g_bytes_new_static (input, strlen (input)) : NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE
                           | (input ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0);

  process = g_subprocess_new (flags, error, program, "-batch", "-bail", db, command, NULL);
  if (process == NULL || !g_subprocess_communicate (process, in, NULL, &out, &err, error))
    return FALSE;
  if (!g_subprocess_get_successful (process))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));

      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED,
                   _("SQLite could not recover the file: %s"), g_strstrip (text));
      return FALSE;
    }
  if (output != NULL)
    *output = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  return TRUE;
}

/**
 * crm_backup_recover_available:
 *
 * Returns: whether the sqlite3 program is installed and its .recover works:
 *   it needs the sqlite_dbpage table, which Debian 12's sqlite3 3.40.1 is
 *   built without (.recover then fails with "SQL logic error")
 */
gboolean
crm_backup_recover_available (void)
{
  g_autofree char *program = g_find_program_in_path ("sqlite3");
  g_autoptr (GSubprocess) probe = NULL;

  if (program == NULL)
    return FALSE;
  probe = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            NULL, program, "-batch", "-bail", ":memory:",
                            "SELECT count(*) FROM sqlite_dbpage", NULL);
  return probe != NULL && g_subprocess_wait_check (probe, NULL, NULL);
}

/**
 * crm_backup_recover:
 * @aside: (out) (optional): where the damaged file was kept
 *
 * For a damaged database without a backup: sets it aside, then rebuilds a
 * database from what can still be read in it with the `sqlite3` program's
 * `.recover` (CRM_BACKUP_ERROR_NO_RECOVER when it is not installed; nothing
 * is changed then). The store must be closed and the folder's lock held.
 */
gboolean
crm_backup_recover (const char  *data_dir,
                    char       **aside,
                    GError     **error)
{
  g_autofree char *program = g_find_program_in_path ("sqlite3");
  g_autofree char *dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autofree char *tmp = g_strconcat (path, ".recovering", NULL);
  g_autofree char *kept = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *bump = NULL;
  g_autofree char *script = NULL;
  g_autoptr (GError) local = NULL;
  int version = header_user_version (path);

  if (program == NULL)
    {
      g_set_error_literal (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NO_RECOVER,
                           _("The sqlite3 program is not installed, so the damaged file cannot "
                             "be recovered here. Install it (the “sqlite3” package) and try "
                             "again, or restore a backup."));
      return FALSE;
    }
  if (!crm_backup_recover_available ())
    {
      g_set_error_literal (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NO_RECOVER,
                           _("The installed sqlite3 program cannot recover files (it was built "
                             "without the sqlite_dbpage table its .recover needs). Nothing was "
                             "changed; restore a backup instead."));
      return FALSE;
    }
  if (!crm_store_set_aside_damaged (dir, &kept, error))
    return FALSE;
  g_unlink (tmp);
  bump = g_strdup_printf ("PRAGMA user_version = %d;", version);
  if (!run_sqlite3 (program, kept, NULL, ".recover", &sql, &local)
      || !run_sqlite3 (program, tmp, (script = g_strconcat (sql, "\n", bump, "\n", NULL)),
                       NULL, NULL, &local)
      || !crm_backup_check_file (tmp, NULL, &local)
      || !_crm_backup_fsync (tmp, FALSE, &local)
      || g_rename (tmp, path) != 0)
    {
      g_unlink (tmp);
      put_back (kept, path);
      if (local == NULL)
        g_set_error (&local, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED, "%s",
                     g_strerror (errno));
      g_propagate_prefixed_error (error, g_steal_pointer (&local),
                                  _("The damaged file was left as it is. "));
      return FALSE;
    }
  if (aside != NULL)
    *aside = g_steal_pointer (&kept);
  return TRUE;
}
