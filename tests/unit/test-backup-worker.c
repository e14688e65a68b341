/* test-backup-worker.c — the backup's thread at background priority, and its leftovers
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * crm-store-backup-worker.c: the backup runs on a thread of its own whose
 * scheduling policy (SCHED_IDLE; a nice of 10 for a copy made "before-…",
 * which someone waits for) and I/O class (idle; best-effort) are read back
 * from /proc and ioprio_get() inside the backup, while the caller's thread
 * keeps its own; a process that quits in the middle of a backup (a subprocess
 * that _exit()s from the test hook) leaves a NAME.sqlite3.part that the
 * next backup deletes, but never one a backup still under way (the
 * folder's flock) is writing. Real SQLite files in temporary folders.
 */
#define _GNU_SOURCE /* SCHED_IDLE */
#include "config.h"

#include <fcntl.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "crm-store-backup.h"
#include "crm-test-damage.h"
#include "crm-test-util.h"

/* a thread's scheduling, as /proc/thread-self/stat and ioprio_get() say */
typedef struct
{
  int    tid;
  int    policy;    /* field 41: SCHED_OTHER 0, SCHED_IDLE 5 */
  int    nice;      /* field 19 */
  int    ioclass;
} Sched;

static Sched
sched_of_this_thread (void)
{
  Sched s = { -1, -1, 0, -1 };
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *end;
  long ioprio;

  s.tid = (int)syscall (SYS_gettid);
  g_assert_true (g_file_get_contents ("/proc/thread-self/stat", &text, NULL, NULL));
  /* the name in brackets may hold spaces: the fields after its ')' */
  end = strrchr (text, ')');
  g_assert_nonnull (end);
  fields = g_strsplit (end + 2, " ", -1);
  /* fields[0] is field 3 (the state) */
  g_assert_cmpuint (g_strv_length (fields), >, 41 - 3);
  s.nice = atoi (fields[19 - 3]);
  s.policy = atoi (fields[41 - 3]);
  ioprio = syscall (SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
  g_assert_cmpint (ioprio, >=, 0);
  s.ioclass = (int)IOPRIO_PRIO_CLASS (ioprio);
  return s;
}

static void
record_sched (const char *tmp_path,
              gpointer    data)
{
  *(Sched *)data = sched_of_this_thread ();
}

/* a backup made for @reason, its worker's scheduling into @worker */
static void
backup_recording (const char *reason,
                  Sched      *worker)
{
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autoptr (CrmBackupInfo) info = NULL;
  CrmTestWaiter waiter = { 0 };
  Sched before = sched_of_this_thread ();
  Sched after;

  g_assert_no_error (error);
  /* the test's own thread is at normal priority, or nothing is shown */
  g_assert_cmpint (before.policy, ==, SCHED_OTHER);
  g_assert_cmpint (before.ioclass, !=, IOPRIO_CLASS_IDLE);

  _crm_backup_set_test_hook (record_sched, worker);
  crm_store_backup_async (store, reason, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  _crm_backup_set_test_hook (NULL, NULL);
  info = crm_store_backup_finish (waiter.result, &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  /* the copy was made on another thread */
  g_assert_cmpint (worker->tid, >, 0);
  g_assert_cmpint (worker->tid, !=, before.tid);

  /* and the caller's thread was left as it was */
  after = sched_of_this_thread ();
  g_assert_cmpint (after.policy, ==, before.policy);
  g_assert_cmpint (after.nice, ==, before.nice);
  g_assert_cmpint (after.ioclass, ==, before.ioclass);

  crm_test_close_and_remove (g_steal_pointer (&store), dir);
}

/* a regular backup: only what nothing else wants */
static void
test_priority (void)
{
  Sched worker = { -1, -1, 0, -1 };

  backup_recording (NULL, &worker);
  g_assert_cmpint (worker.policy, ==, SCHED_IDLE);
  g_assert_cmpint (worker.nice, ==, 19);
  g_assert_cmpint (worker.ioclass, ==, IOPRIO_CLASS_IDLE);
}

/* one someone waits for: behind the app, but not starved by a busy machine */
static void
test_priority_waited_for (void)
{
  Sched worker = { -1, -1, 0, -1 };

  backup_recording ("before-import", &worker);
  g_assert_cmpint (worker.policy, ==, SCHED_OTHER);
  g_assert_cmpint (worker.nice, ==, 10);
  g_assert_cmpint (worker.ioclass, ==, IOPRIO_CLASS_BE);
}

/* --- what a quit in the middle leaves, and the next backup deletes --- */

static void
quit_now (const char *tmp_path,
          gpointer    data)
{
  _exit (3);
}

/* the subprocess: a backup quit after its copy was made, before its check */
static void
test_quit_child (void)
{
  const char *dir = g_getenv ("CRM_TEST_QUIT_DIR");
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;

  if (!g_test_subprocess ())
    {
      g_test_skip ("only run by /backup-worker/leftovers");
      return;
    }
  path = crm_test_db_path (dir);
  folder = g_build_filename (dir, CRM_BACKUP_DIR_NAME, NULL);
  _crm_backup_set_test_hook (quit_now, NULL);
  crm_backup_file (path, folder, NULL, NULL, NULL);
  g_assert_not_reached ();
}

/* a folder where a backup was quit in the middle, beside a finished one */
static char *
quit_during_backup (const char  *dir,
                    char       **kept)
{
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *folder = g_build_filename (dir, CRM_BACKUP_DIR_NAME, NULL);
  g_autoptr (CrmBackupInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *other = NULL;
  g_autofree char *other_json = NULL;
  g_autofree char *notes = NULL;

  info = crm_backup_file (path, folder, NULL, NULL, &error);
  g_assert_no_error (error);
  *kept = g_strdup (info->path);

  g_setenv ("CRM_TEST_QUIT_DIR", dir, TRUE);
  g_test_trap_subprocess ("/backup-worker/quit-child", 120 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_unsetenv ("CRM_TEST_QUIT_DIR");
  g_assert_cmpuint (crm_test_count_files (folder, ".sqlite3.part"), ==, 1);

  /* a quit after the description was written, before the rename, and a
   * file of someone else's that only looks alike */
  other = g_build_filename (folder, "xiaohe-crm-20200101-000000.sqlite3.part", NULL);
  other_json = g_build_filename (folder, "xiaohe-crm-20200101-000000.json", NULL);
  g_assert_true (g_file_set_contents (other, "half a copy", -1, NULL));
  g_assert_true (g_file_set_contents (other_json, "{}", -1, NULL));
  notes = g_build_filename (folder, "notes.sqlite3.part", NULL);
  g_assert_true (g_file_set_contents (notes, "mine", -1, NULL));
  g_assert_cmpuint (crm_test_count_files (folder, ".sqlite3.part"), ==, 3);
  return g_steal_pointer (&folder);
}

/* the leftovers stay while a backup is under way there (another
 * process's: it holds the folder shared), and go with the next backup after */
static void
test_leftovers_deleted (void)
{
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *kept = NULL;
  g_autofree char *folder = quit_during_backup (dir, &kept);
  g_autofree char *notes = g_build_filename (folder, "notes.sqlite3.part", NULL);
  g_autofree char *orphan = g_build_filename (folder, "xiaohe-crm-20200101-000000.json", NULL);
  g_autoptr (CrmBackupInfo) info = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  int other = open (folder, O_RDONLY | O_DIRECTORY);

  g_assert_cmpint (other, >=, 0);
  g_assert_cmpint (flock (other, LOCK_SH), ==, 0);
  info = crm_backup_file (path, folder, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpuint (crm_test_count_files (folder, ".sqlite3.part"), ==, 3);
  g_assert_true (g_file_test (orphan, G_FILE_TEST_EXISTS));

  /* that one is over: the next backup cleans up */
  close (other);
  g_clear_pointer (&info, crm_backup_info_free);
  info = crm_backup_file (path, folder, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  /* the leftovers gone (the orphan description too); what is not the
   * app's, the finished backups and the new one kept */
  g_assert_cmpuint (crm_test_count_files (folder, ".sqlite3.part"), ==, 1);
  g_assert_true (g_file_test (notes, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));
  list = crm_backup_list (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (info->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (crm_test_count_files (folder, ".json"), ==, 3);

  crm_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/backup-worker/priority", test_priority);
  g_test_add_func ("/backup-worker/priority-waited-for", test_priority_waited_for);
  g_test_add_func ("/backup-worker/quit-child", test_quit_child);
  g_test_add_func ("/backup-worker/leftovers", test_leftovers_deleted);
  return g_test_run ();
}
