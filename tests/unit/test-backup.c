/* test-backup.c — verified backups, their rotation, restore, and a damaged file brought back
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real SQLite files in temporary folders. A backup made while another
 * thread writes; the rotation as a pure function of dates; a restore that
 * gives back exactly the backed-up rows (the outbox and the sync cursor
 * too); a copy that fails its check deleted and reported; a full disk made
 * by RLIMIT_FSIZE in a child process (EFBIG, SIGXFSZ ignored); and the
 * damage a disk or a tool does (header, pages, truncation, an emptied file,
 * a WAL that is not this file's) detected and repaired from the newest
 * backup.
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "crm-store-backup.h"
#include "crm-test-damage.h"
#include "crm-test-util.h"

static char *
backups_of (const char *dir)
{
  return g_build_filename (dir, CRM_BACKUP_DIR_NAME, NULL);
}

/* every row of the tables a restore must give back, as text */
static char *
dump (const char *db_path)
{
  static const char * const tables[] = {
    "contacts", "deals", "outbox", "sync_state", "blobs", "counters", "terms_acceptance",
  };
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", tables[t]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_string_append_printf (out, "[%s]\n", tables[t]);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c)
                                    ? (const char *)sqlite3_column_text (stmt, c) : "∅");
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static CrmBackupInfo *
backup_now (const char *dir,
            const char *reason)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *folder = backups_of (dir);
  CrmBackupInfo *info = crm_backup_file (path, folder, reason, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

/* --- a backup while another thread writes --- */

typedef struct
{
  char     *dir;
  gint      batches;   /* atomic: committed so far */
  gint      stop;      /* atomic */
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (w->dir, &error);

  g_assert_no_error (error);
  for (guint b = 0; !g_atomic_int_get (&w->stop); b++)
    {
      g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < 50; i++)
        {
          g_autofree char *name = g_strdup_printf ("写者 %u-%u", b, i);
          g_ptr_array_add (batch, crm_test_contact (name, "", ""));
        }
      g_assert_true (crm_store_insert_contacts (store, batch, &error));
      g_assert_no_error (error);
      g_atomic_int_inc (&w->batches);
    }
  return NULL;
}

/* the test hook: the copy is taken; the writer commits twice more before
 * the copy is checked, so the source moved on under the backup */
static void
wait_two_batches (const char *tmp_path,
                  gpointer    data)
{
  Writer *w = data;
  int start = g_atomic_int_get (&w->batches);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&w->batches) < start + 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

static gboolean
has_batches (gpointer data)
{
  return g_atomic_int_get (&((Writer *)data)->batches) > 0;
}

static void
test_backup_while_writing (void)
{
  g_autofree char *dir = crm_test_make_store_copy (TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autoptr (CrmBackupInfo) info = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *folder = backups_of (dir);
  Writer w = { dir, 0, 0 };
  CrmTestWaiter waiter = { 0 };
  gint64 counts[CRM_BACKUP_N_COUNTS];
  GThread *thread;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  crm_test_sign_in (store);  /* the writer's rows queued for sync too */
  thread = g_thread_new ("writer", writer_thread, &w);
  crm_test_wait_until (has_batches, &w, 30);

  _crm_backup_set_test_hook (wait_two_batches, &w);
  crm_store_backup_async (store, NULL, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  _crm_backup_set_test_hook (NULL, NULL);
  g_atomic_int_set (&w.stop, 1);
  g_thread_join (thread);

  info = crm_store_backup_finish (waiter.result, &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_true (g_str_has_prefix (info->path, folder));
  g_assert_null (info->reason);

  /* the copy: whole, its counts the snapshot's, behind the source's */
  g_assert_true (crm_backup_check_file (info->path, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (counts, sizeof counts, info->counts, sizeof info->counts);
  g_assert_cmpint (counts[CRM_BACKUP_COUNT_CONTACTS], >, N_ROWS);
  g_assert_cmpint (counts[CRM_BACKUP_COUNT_DEALS], ==, N_ROWS);
  g_assert_cmpint (counts[CRM_BACKUP_COUNT_CONTACTS] % 50, ==, N_ROWS % 50);
  g_assert_cmpint (counts[CRM_BACKUP_COUNT_OUTBOX], >, 0);
  g_assert_cmpuint (crm_store_count_contacts (store), >=,
                    counts[CRM_BACKUP_COUNT_CONTACTS] + 100);
  /* derived data of the same snapshot: the live-contact counter */
  g_assert_cmpint (sqlite3_open_v2 (info->path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT (SELECT n FROM counters WHERE name ="
                                       " 'contacts') - (SELECT count(*) FROM contacts"
                                       " WHERE deleted = 0)", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* listed, with its description; nothing temporary left */
  list = crm_backup_list (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((CrmBackupInfo *)list->pdata[0])->counts[CRM_BACKUP_COUNT_CONTACTS], ==,
                   counts[CRM_BACKUP_COUNT_CONTACTS]);
  g_assert_cmpuint (crm_test_count_files (folder, ".part"), ==, 0);
  g_assert_cmpuint (crm_test_count_files (folder, NULL), ==, 2);

  crm_test_close_and_remove (g_steal_pointer (&store), dir);
}

/* --- the rotation, a pure function of dates --- */

static GDateTime *
utc (int y, int m, int d, int h)
{
  return g_date_time_new_utc (y, m, d, h, 0, 0);
}

static void
test_rotation (void)
{
  g_autoptr (GDateTime) now = utc (2026, 11, 29, 12);  /* a Sunday */
  g_autoptr (GPtrArray) times = g_ptr_array_new_with_free_func ((GDestroyNotify)g_date_time_unref);
  g_autoptr (GPtrArray) reasons = g_ptr_array_new ();
  g_autoptr (GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gboolean *keep = NULL;
  CrmBackupRotation rotation = CRM_BACKUP_ROTATION_DEFAULT;
  static const char * const kept_days[] = {
    /* the last 7 days */
    "2026-11-29T03", "2026-11-28T20", "2026-11-27T03", "2026-11-26T03", "2026-11-25T03",
    "2026-11-24T03", "2026-11-23T03",
    /* the newest of each of the 3 weeks before (the 4th is this one) */
    "2026-11-22T03", "2026-11-15T03", "2026-11-08T03",
    /* the newest of each of the 11 months before (the 12th is this one) */
    "2026-10-31T03", "2026-09-30T03", "2026-08-31T03", "2026-07-31T03", "2026-06-30T03",
    "2026-05-31T03", "2026-04-30T03", "2026-03-31T03", "2026-02-28T03", "2026-01-31T03",
    "2025-12-31T03",
    /* "before …" copies: 10 days old, and one from the future */
    "2026-11-19T09", "2026-12-01T09",
  };
  guint n_kept = 0;

  /* one regular copy a day at 03:00 for 400 days, a second one on the 28th */
  for (int day = 0; day < 400; day++)
    {
      g_ptr_array_add (times, g_date_time_add_days (utc (2026, 11, 29, 3), -day));
      g_ptr_array_add (reasons, NULL);
    }
  g_ptr_array_add (times, utc (2026, 11, 28, 20));
  g_ptr_array_add (reasons, NULL);
  /* before-… copies: 10 and 40 days old, and one dated after now */
  g_ptr_array_add (times, utc (2026, 11, 19, 9));
  g_ptr_array_add (reasons, "before-restore");
  g_ptr_array_add (times, utc (2026, 10, 20, 9));
  g_ptr_array_add (reasons, "before-migration");
  g_ptr_array_add (times, utc (2026, 12, 1, 9));
  g_ptr_array_add (reasons, "before-import");

  for (guint i = 0; i < G_N_ELEMENTS (kept_days); i++)
    g_hash_table_add (expected, (gpointer)kept_days[i]);
  keep = crm_backup_rotation_keep ((GDateTime * const *)times->pdata,
                                   (const char * const *)reasons->pdata, times->len, now,
                                   &rotation);
  for (guint i = 0; i < times->len; i++)
    {
      g_autofree char *key = g_date_time_format (times->pdata[i], "%Y-%m-%dT%H");

      if (keep[i] != g_hash_table_contains (expected, key))
        g_error ("%s: kept %d", key, keep[i]);
      n_kept += keep[i];
    }
  g_assert_cmpuint (n_kept, ==, G_N_ELEMENTS (kept_days));
}

static void
test_rotation_time_zone (void)
{
  g_autoptr (GTimeZone) beijing = g_time_zone_new_identifier ("+08:00");
  g_autoptr (GDateTime) now_utc = utc (2026, 11, 29, 12);
  g_autoptr (GDateTime) now_beijing = g_date_time_to_timezone (now_utc, beijing);
  /* 23:00 and 01:00 in Beijing: two days there, one day in UTC */
  GDateTime *times[] = { utc (2026, 11, 28, 15), utc (2026, 11, 28, 17), utc (2026, 11, 27, 3) };
  CrmBackupRotation two_days = { 2, 0, 0, 0 };
  g_autofree gboolean *there = crm_backup_rotation_keep (times, NULL, 3, now_beijing, &two_days);
  g_autofree gboolean *in_utc = crm_backup_rotation_keep (times, NULL, 3, now_utc, &two_days);

  g_assert_true (there[0] && there[1] && !there[2]);
  g_assert_true (!in_utc[0] && in_utc[1] && in_utc[2]);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    g_date_time_unref (times[i]);
}

static void
test_rotate_folder (void)
{
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autofree char *folder = backups_of (dir);
  g_autoptr (CrmBackupInfo) first = backup_now (dir, NULL);
  g_autoptr (CrmBackupInfo) second = backup_now (dir, NULL);
  g_autoptr (CrmBackupInfo) before = backup_now (dir, "before-restore");
  g_autoptr (GDateTime) later = g_date_time_add_days (first->time, 60);
  CrmBackupRotation rotation = CRM_BACKUP_ROTATION_DEFAULT;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;

  /* three copies within a second: names stay apart */
  g_assert_cmpstr (first->path, !=, second->path);
  g_assert_nonnull (strstr (before->path, "-before-restore"));
  list = crm_backup_list (folder, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* 60 days on: the newest regular copy stays, the other two go */
  g_assert_cmpuint (crm_backup_rotate (folder, later, &rotation, &error), ==, 2);
  g_assert_no_error (error);
  list = crm_backup_list (folder, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_null (((CrmBackupInfo *)list->pdata[0])->reason);
  g_assert_cmpuint (crm_test_count_files (folder, NULL), ==, 2);
  crm_test_rm_rf (dir);
}

/* --- restore --- */

static void
test_restore_exact (void)
{
  g_autofree char *dir = crm_test_make_store_copy (TRUE);
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *later = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *kept = NULL;
  g_autoptr (CrmBackupInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  CrmStore *store;
  gint64 counts[CRM_BACKUP_N_COUNTS];

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  crm_test_add (store, "备份前 Before", "13800138000", "before@example.cn");
  saved = dump (path);
  info = backup_now (dir, NULL);

  /* changes after the backup, left in the WAL of a store still open */
  crm_test_add (store, "备份后 After", "", "after@example.cn");
  later = dump (path);
  g_assert_cmpstr (later, !=, saved);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (store);

  g_assert_true (crm_backup_restore (dir, info->path, NULL, &kept, &error));
  g_assert_no_error (error);
  restored = dump (path);
  g_assert_cmpstr (restored, ==, saved);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* what was there is the "before restore" copy */
  g_assert_nonnull (kept);
  g_assert_nonnull (strstr (kept, "-before-restore"));
  {
    g_autofree char *kept_dump = dump (kept);
    g_assert_cmpstr (kept_dump, ==, later);
  }

  /* the store opens on it, the way the app does */
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_count_contacts (store), ==, N_ROWS + 1);
  g_assert_true (crm_backup_check_file (path, counts, &error));
  g_assert_cmpint (counts[CRM_BACKUP_COUNT_DEALS], ==, N_ROWS);
  crm_test_close_and_remove (store, dir);
}

static void
test_restore_damaged_backup_refused (void)
{
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autoptr (CrmBackupInfo) info = backup_now (dir, NULL);
  g_autofree char *sum = crm_test_files_checksum (dir);
  g_autoptr (GError) error = NULL;
  FILE *f = fopen (info->path, "r+b");

  g_assert_nonnull (f);
  fseek (f, 0, SEEK_SET);
  fwrite ("garbage garbage garbage garbage ", 1, 32, f);
  fclose (f);
  g_assert_false (crm_backup_restore (dir, info->path, NULL, NULL, &error));
  g_assert_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "nothing was changed"));
  crm_test_assert_files_same (dir, sum);
  crm_test_rm_rf (dir);
}

/* --- a copy that fails its check --- */

static void
damage_copy (const char *tmp_path,
             gpointer    data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  guint8 garbage[DB_PAGE];
  FILE *f = fopen (tmp_path, "r+b");

  g_assert_nonnull (f);
  for (guint p = 4; p < 12; p++)
    {
      for (guint i = 0; i < DB_PAGE; i++)
        garbage[i] = g_rand_int_range (rand, 0, 256);
      fseek (f, (long)p * DB_PAGE, SEEK_SET);
      g_assert_cmpuint (fwrite (garbage, 1, DB_PAGE, f), ==, DB_PAGE);
    }
  fclose (f);
  *(gboolean *)data = TRUE;
}

static void
test_failed_check_discarded (void)
{
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autofree char *folder = backups_of (dir);
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *sum = crm_test_files_checksum (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  CrmBackupInfo *info;
  gboolean damaged = FALSE;

  _crm_backup_set_test_hook (damage_copy, &damaged);
  info = crm_backup_file (path, folder, NULL, NULL, &error);
  _crm_backup_set_test_hook (NULL, NULL);
  g_assert_true (damaged);
  g_assert_null (info);
  g_assert_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_VERIFY);
  g_assert_nonnull (strstr (error->message, "deleted"));
  /* nothing left in the folder, the database as it was */
  g_assert_cmpuint (crm_test_count_files (folder, NULL), ==, 0);
  list = crm_backup_list (folder, &error);
  g_assert_cmpuint (list->len, ==, 0);
  crm_test_assert_files_same (dir, sum);
  crm_test_rm_rf (dir);
}

/* --- a full disk: writes past 256 KiB fail with EFBIG in a child --- */

static void
test_disk_full (void)
{
  g_autofree char *made = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *sum = NULL;

  if (g_test_subprocess ())
    {
      /* the parent's store: the child starts afresh, from main () */
      g_autofree char *env_dir = g_strdup_printf ("%s/crm-test-full-%d", g_get_tmp_dir (),
                                                  (int)getppid ());
      struct rlimit limit = { 256 * 1024, 256 * 1024 };
      g_autofree char *path = crm_test_db_path (env_dir);
      g_autofree char *out = backups_of (env_dir);
      g_autoptr (GError) error = NULL;
      CrmBackupInfo *info;

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      info = crm_backup_file (path, out, NULL, NULL, &error);
      g_assert_null (info);
      g_assert_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FULL);
      g_print ("%s\n", error->message);
      return;
    }

  made = crm_test_make_store_copy (TRUE);
  dir = g_strdup_printf ("%s/crm-test-full-%d", g_get_tmp_dir (), (int)getpid ());
  g_assert_cmpint (g_rename (made, dir), ==, 0);
  folder = backups_of (dir);
  sum = crm_test_files_checksum (dir);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*There is no room for the backup*Your data was not changed*");
  crm_test_assert_files_same (dir, sum);
  g_assert_cmpuint (crm_test_count_files (folder, NULL), ==, 0);
  crm_test_rm_rf (dir);
}

/* --- damage found at start, the newest backup restored --- */

/* Returns: whether the store of @dir is found damaged: it does not open,
 * or the background check fails */
static gboolean
found_damaged (const char *dir)
{
  g_autoptr (GError) error = NULL;
  CrmStore *store = crm_store_open (dir, &error);
  CrmTestWaiter waiter = { 0 };
  gboolean damaged;

  if (store == NULL)
    {
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
      return TRUE;
    }
  crm_store_check_async (store, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  damaged = !crm_store_check_finish (waiter.result, &error);
  g_clear_object (&waiter.result);
  if (damaged)
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  crm_test_wait_finalize (store);
  return damaged;
}

static void
test_damaged_restored (gconstpointer data)
{
  CrmTestDamageFunc damage = (CrmTestDamageFunc)data;
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *folder = backups_of (dir);
  const char *folders[] = { folder, NULL };
  g_autofree char *saved = dump (path);
  g_autofree char *restored = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_sum = NULL;
  g_autoptr (CrmBackupInfo) older = backup_now (dir, NULL);
  g_autoptr (CrmBackupInfo) newest = backup_now (dir, "before-import");
  g_autoptr (CrmBackupInfo) latest = NULL;
  g_autoptr (GError) error = NULL;
  CrmStore *store;

  damage (dir);
  kept_sum = crm_test_files_checksum (dir);
  g_assert_true (found_damaged (dir));

  latest = crm_backup_latest (folders);
  g_assert_nonnull (latest);
  g_assert_cmpstr (latest->path, ==, newest->path);
  g_assert_true (crm_backup_restore (dir, latest->path, NULL, &kept, &error));
  g_assert_no_error (error);

  /* the damaged file kept aside, as it was */
  g_assert_nonnull (kept);
  g_assert_true (strstr (kept, ".damaged-") || strstr (kept, ".empty-"));
  {
    g_autofree char *aside_dir = g_path_get_dirname (kept);
    g_autofree char *check = g_build_filename (aside_dir, "check", NULL);
    g_autofree char *link_path = crm_test_db_path (check);
    g_autofree char *wal = g_strconcat (kept, "-wal", NULL);
    g_autofree char *link_wal = g_strconcat (link_path, "-wal", NULL);

    g_assert_cmpint (g_mkdir (check, 0700), ==, 0);
    g_assert_cmpint (link (kept, link_path), ==, 0);
    if (g_file_test (wal, G_FILE_TEST_EXISTS))
      g_assert_cmpint (link (wal, link_wal), ==, 0);
    crm_test_assert_files_same (check, kept_sum);
  }

  restored = dump (path);
  g_assert_cmpstr (restored, ==, saved);
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_count_contacts (store), ==, N_ROWS);
  g_assert_false (crm_store_is_damaged (store));
  crm_test_wait_finalize (store);
  g_assert_false (found_damaged (dir));
  crm_test_rm_rf (dir);
}

/* a WAL of random bytes is no WAL to SQLite: ignored, nothing lost, no alarm */
static void
test_garbage_wal_harmless (void)
{
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *saved = dump (path);
  g_autofree char *garbage = g_malloc (64 * 1024);
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autoptr (GError) error = NULL;
  CrmStore *store;

  for (guint i = 0; i < 64 * 1024; i++)
    garbage[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (wal, garbage, 64 * 1024, NULL));
  g_assert_false (found_damaged (dir));
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_count_contacts (store), ==, N_ROWS);
  crm_test_wait_finalize (store);
  {
    g_autofree char *after = dump (path);
    g_assert_cmpstr (after, ==, saved);
  }
  crm_test_rm_rf (dir);
}

/* no backup: .recover through the sqlite3 program rebuilds what can be read;
 * the damaged file is kept aside as it was */
static void
test_recover (void)
{
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autofree char *aside = NULL;
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *sum = NULL;
  g_autoptr (GError) error = NULL;
  CrmStore *store;
  guint n;

  crm_test_damage_contacts (dir);
  sum = crm_test_files_checksum (dir);
  if (!crm_backup_recover_available ())
    {
      /* refused, with the reason, and nothing changed */
      g_assert_false (crm_backup_recover (dir, &aside, &error));
      g_assert_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NO_RECOVER);
      g_assert_null (aside);
      crm_test_assert_files_same (dir, sum);
      g_test_skip ("no sqlite3 program with a working .recover (sqlite_dbpage) here");
      crm_test_rm_rf (dir);
      return;
    }
  g_assert_true (crm_backup_recover (dir, &aside, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (aside, ".damaged-"));
  {
    g_autofree char *check = g_build_filename (dir, "check", NULL);
    g_autofree char *link_path = crm_test_db_path (check);

    g_assert_cmpint (g_mkdir (check, 0700), ==, 0);
    g_assert_cmpint (link (aside, link_path), ==, 0);
    crm_test_assert_files_same (check, sum);
  }
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  n = crm_store_count_contacts (store);
  g_test_message ("%u of %u contacts recovered", n, N_ROWS);
  g_assert_cmpuint (n, >, N_ROWS / 2);
  g_assert_cmpuint (n, <=, N_ROWS);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  crm_test_wait_finalize (store);
  g_assert_true (crm_backup_check_file (path, NULL, &error));
  crm_test_rm_rf (dir);
}

/* an older schema is copied before it is migrated */
static void
test_before_migration (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *folder = backups_of (dir);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  CrmStore *store;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
  /* a database at schema version 1 */
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  crm_test_wait_finalize (store);
  list = crm_backup_list (folder, &error);
  g_assert_cmpuint (list->len, ==, 0);   /* a new file is not copied */
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 7", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
  /* the migration to 8 would fail on a file already at 8: what matters is
   * that the copy was made first */
  store = crm_store_open (dir, &error);
  g_clear_error (&error);
  if (store != NULL)
    crm_test_wait_finalize (store);
  list = crm_backup_list (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((CrmBackupInfo *)list->pdata[0])->reason, ==, "before-migration");
  g_assert_cmpint (((CrmBackupInfo *)list->pdata[0])->schema, ==, 7);
  crm_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/backup/while-writing", test_backup_while_writing);
  g_test_add_func ("/backup/rotation", test_rotation);
  g_test_add_func ("/backup/rotation-time-zone", test_rotation_time_zone);
  g_test_add_func ("/backup/rotate-folder", test_rotate_folder);
  g_test_add_func ("/backup/restore-exact", test_restore_exact);
  g_test_add_func ("/backup/restore-damaged-backup", test_restore_damaged_backup_refused);
  g_test_add_func ("/backup/failed-check", test_failed_check_discarded);
  g_test_add_func ("/backup/disk-full", test_disk_full);
  g_test_add_data_func ("/backup/damaged/header", crm_test_damage_header,
                        test_damaged_restored);
  g_test_add_data_func ("/backup/damaged/pages", crm_test_damage_contacts,
                        test_damaged_restored);
  g_test_add_data_func ("/backup/damaged/truncated", crm_test_truncate_half,
                        test_damaged_restored);
  g_test_add_data_func ("/backup/damaged/emptied", crm_test_empty_file,
                        test_damaged_restored);
  g_test_add_data_func ("/backup/damaged/foreign-wal", crm_test_foreign_wal,
                        test_damaged_restored);
  g_test_add_func ("/backup/garbage-wal", test_garbage_wal_harmless);
  g_test_add_func ("/backup/before-migration", test_before_migration);
  g_test_add_func ("/backup/recover", test_recover);

  status = g_test_run ();
  crm_test_drop_store_templates ();
  return status;
}
