/* crm-store-backup-worker.c — the backup's thread: out of the app's way, and its leftovers
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A regular backup is background work nobody waits on, so its thread takes
 * only what the app and the desktop leave: SCHED_IDLE (a nice of 19 where
 * that is refused) and the idle I/O class. Measured with bench-backup at
 * 100k contacts on a shared 2-core machine (load 8-12, 5 runs): the main
 * loop's long gaps are its thread waiting for a CPU (its /proc schedstat),
 * never for a SQLite lock; at normal priority the backup raised the loop's
 * 99th-percentile gap from 6.5 to 9.6 ms and its gaps over a frame 13-fold;
 * at SCHED_IDLE the longest gap was the no-backup baseline's (33.7 against
 * 36.1 ms) and the 99th percentile 7.6 ms. But on a machine kept busy
 * SCHED_IDLE gets next to nothing (at 1M contacts and a load of 10-16 the
 * copy and its check took 9 minutes instead of 3.5), so a copy someone waits
 * for (its reason "before-…": before an import, a restore) runs at a nice
 * of 10 and the lowest best-effort I/O level instead, still behind the
 * app's threads. The priority is set on a thread of its own, made for the
 * job and ended with it: a thread cannot raise its priority again without
 * CAP_SYS_NICE, so a lowered GTask pool thread would stay slow for whatever
 * ran on it next.
 *
 * The copy's bytes go to the disk as they are made (sync_file_range every
 * step, waiting for the step before) rather than all at the final fsync,
 * so the copy never holds more than two steps (8 MiB) of dirty pages: on
 * ext4 (data=ordered) a journal commit writes the dirty data of the files
 * in it first, and a commit of the app's own database is fsynced on the
 * main thread; a 1.3 GB copy left to the kernel's writeback would be
 * there for it to wait behind. (Reasoned, not measured apart: bench-backup
 * shows the saves' times, which this machine's disk makes noisy.)
 *
 * A quit (or a crash) during a backup leaves NAME.sqlite3.part behind. Each
 * backup holds a shared flock on its folder while it works; the next one
 * that gets the folder exclusively, so no backup is under way there (the
 * app's, xiaohe-crm-cli's), deletes the leftovers before it starts.
 */
#define _GNU_SOURCE /* sync_file_range(), gettid() */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/ioprio.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "crm-store-backup-private.h"

/* the leftovers of a copy that never finished, beside NAME.sqlite3 */
static const char * const part_suffixes[] = {
  ".part", ".part-journal", ".part-wal", ".part-shm",
};

/**
 * _crm_backup_lower_priority:
 * @waited_for: someone waits for the backup (one made before …)
 *
 * Makes the calling thread (only it) background work: SCHED_IDLE, or a nice
 * of 19 where that is refused, and the idle I/O class; when @waited_for, a
 * nice of 10 and the lowest best-effort I/O level. A failure is not one:
 * the backup still runs, at the priority it had.
 */
void
_crm_backup_lower_priority (gboolean waited_for)
{
  struct sched_param param = { 0 };
  int rc;

  /* the nice first: where SCHED_IDLE is refused (a sandbox) it is what stays */
  if (setpriority (PRIO_PROCESS, (id_t)gettid (), waited_for ? 10 : 19) != 0)
    g_debug ("Cannot lower the backup's CPU priority: %s", g_strerror (errno));
  rc = waited_for ? 0 : pthread_setschedparam (pthread_self (), SCHED_IDLE, &param);
  if (rc != 0)
    g_debug ("Cannot make the backup SCHED_IDLE: %s", g_strerror (rc));
  if (syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
               waited_for ? IOPRIO_PRIO_VALUE (IOPRIO_CLASS_BE, 7)
                          : IOPRIO_PRIO_VALUE (IOPRIO_CLASS_IDLE, 0)) != 0)
    g_debug ("Cannot lower the backup's I/O priority: %s", g_strerror (errno));
}

typedef struct
{
  GTask           *task;
  GTaskThreadFunc  func;
  gboolean         waited_for;
} Job;

static gpointer
low_thread (gpointer data)
{
  Job *job = data;

  _crm_backup_lower_priority (job->waited_for);
  job->func (job->task, g_task_get_source_object (job->task), g_task_get_task_data (job->task),
             g_task_get_cancellable (job->task));
  g_object_unref (job->task);
  g_free (job);
  return NULL;
}

/**
 * _crm_backup_run_in_low_thread:
 * @task: returned by @func (which must return it)
 * @waited_for: as for _crm_backup_lower_priority()
 *
 * As g_task_run_in_thread(), but on a thread of its own at background
 * priority (_crm_backup_lower_priority()) that ends with @func.
 */
void
_crm_backup_run_in_low_thread (GTask           *task,
                               GTaskThreadFunc  func,
                               gboolean         waited_for)
{
  Job *job = g_new0 (Job, 1);

  job->task = g_object_ref (task);
  job->func = func;
  job->waited_for = waited_for;
  g_thread_unref (g_thread_new ("crm-backup", low_thread, job));
}

/* --- the copy written as it is made --- */

/**
 * _crm_backup_writeback_start:
 * @path: the copy being written
 *
 * Returns: what _crm_backup_writeback_step() needs: a file descriptor of
 *   @path, or -1 (then the steps do nothing, the final fsync does it all)
 */
int
_crm_backup_writeback_start (const char *path)
{
  return g_open (path, O_RDONLY | O_CLOEXEC, 0);
}

/**
 * _crm_backup_writeback_step:
 * @fd: from _crm_backup_writeback_start()
 * @written: (inout): the bytes already sent to the disk
 *
 * Sends what the copy wrote since the last step to the disk, and waits until
 * the previous step's bytes are there: the copy never holds more than two
 * steps of dirty pages.
 */
void
_crm_backup_writeback_step (int     fd,
                            gint64 *written)
{
  struct stat st;

  if (fd < 0 || fstat (fd, &st) != 0 || st.st_size <= *written)
    return;
  /* the previous steps' bytes: wait for them (their writeback was started) */
  if (*written > 0)
    sync_file_range (fd, 0, *written, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE
                     | SYNC_FILE_RANGE_WAIT_AFTER);
  /* this step's: started, not waited for */
  sync_file_range (fd, *written, st.st_size - *written, SYNC_FILE_RANGE_WRITE);
  *written = st.st_size;
}

/**
 * _crm_backup_drop_cache:
 *
 * Tells the kernel the copy @path (fsynced, checked) is not read again: its
 * pages leave the page cache rather than the app's.
 */
void
_crm_backup_drop_cache (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
  close (fd);
}

/* --- the folder: leftovers of copies that never finished --- */

/* whether @name is a leftover; its NAME.sqlite3 into @base */
static gboolean
is_leftover (const char  *name,
             char       **base)
{
  for (guint i = 0; i < G_N_ELEMENTS (part_suffixes); i++)
    {
      g_autofree char *suffix = g_strconcat (".sqlite3", part_suffixes[i], NULL);

      if (g_str_has_prefix (name, "xiaohe-crm-") && g_str_has_suffix (name, suffix))
        {
          *base = g_strndup (name, strlen (name) - strlen (part_suffixes[i]));
          return TRUE;
        }
    }
  return FALSE;
}

/* deletes the leftovers in @folder (no backup is under way in it); a
 * description written for a copy that was never renamed goes too */
static guint
remove_leftovers (const char *folder)
{
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr (GPtrArray) doomed = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint removed = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *base = NULL;

      if (is_leftover (name, &base))
        {
          g_autofree char *copy = g_build_filename (folder, base, NULL);

          g_ptr_array_add (doomed, g_build_filename (folder, name, NULL));
          if (g_str_has_suffix (name, ".part") && !g_file_test (copy, G_FILE_TEST_EXISTS))
            g_ptr_array_add (doomed, _crm_backup_json_path (copy));
        }
    }
  for (guint i = 0; i < doomed->len; i++)
    if (g_unlink (doomed->pdata[i]) == 0)
      {
        g_message ("Deleted what an unfinished backup left: %s", (char *)doomed->pdata[i]);
        removed++;
      }
  return removed;
}

/**
 * _crm_backup_folder_enter:
 * @folder: where a backup is about to be made (it exists)
 *
 * Marks a backup under way in @folder (a shared flock, held until
 * _crm_backup_folder_leave()), deleting first what an unfinished one left
 * there when no other is under way.
 *
 * Returns: what _crm_backup_folder_leave() takes (-1 when @folder cannot be
 *   locked: then nothing is deleted)
 */
int
_crm_backup_folder_enter (const char *folder)
{
  int fd = g_open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return -1;
  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    remove_leftovers (folder);
  else if (errno != EWOULDBLOCK)
    {
      /* no flock here (some network file systems): nothing is known stale */
      close (fd);
      return -1;
    }
  /* from exclusive, or waiting for a cleaner that holds it exclusively */
  if (flock (fd, LOCK_SH) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/**
 * _crm_backup_folder_leave:
 * @fd: from _crm_backup_folder_enter()
 */
void
_crm_backup_folder_leave (int fd)
{
  if (fd >= 0)
    close (fd);
}
