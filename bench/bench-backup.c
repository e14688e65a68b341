/* bench-backup.c — a verified backup at 100k and 1M contacts, and the main loop meanwhile
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-backup [--runs R] [--no-vacuum] [--no-normal] [--sizes 100000,1000000]
 *   bench-backup [--runs R] [--no-vacuum] [--no-normal] DIR   of the database in DIR
 *   bench-backup --fill N DIR                   fills DIR with N contacts (kept)
 *
 * For each size, R runs (3 by default) of three phases while the main loop
 * does what the app's does, on the same store: a 1 ms timer whose every
 * tick reads a random contact through the store's connection (a list
 * scrolled), and a contact saved every 500 ms (an edit: a commit, fsynced).
 * "backup": crm_store_backup_async(), the app's backup (the backup API,
 * integrity_check, the counts) on its thread at background priority;
 * "baseline": the same loop as long with no backup, in the same run, as
 * the machine's own noise sets a floor no backup can go under; "normal":
 * crm_backup_file() on a GTask pool thread at normal priority, the way the
 * app ran it before (the priority is all that differs).
 *
 * The figure is the longest gap between the end of one tick and the start
 * of the next (target: one frame, 16.7 ms), beside the baseline's; also its
 * 99th percentile and the gaps over one frame per 10,000 ticks, steadier
 * on a loaded machine. The longest gap is taken apart with the main
 * thread's /proc schedstat: on the CPU, waiting for a CPU, and off it by
 * itself (in poll(); on a virtual machine also time its CPU was not run,
 * which the guest cannot see). A tick's own read and save are timed apart
 * (the longest, and the part of it the thread was blocked: I/O, a lock).
 * The median and the worst over the runs end each size. For comparison,
 * VACUUM INTO of the same database followed by the same check, on this
 * thread: the reason crm-store-backup.c uses the backup API.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm-bench.h"
#include "crm-gen.h"
#include "crm-store-backup-private.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

#define SEED 20261129
#define BATCH 10000
#define FRAME_MS 16.7
#define SAVE_EVERY_US (500 * 1000)

/* the main thread's CPU time and run-queue wait so far, ns */
typedef struct
{
  gint64 run;
  gint64 wait;
} Sched;

/* what the loop saw in one phase */
typedef struct
{
  CrmStore     *store;
  sqlite3_stmt *read;
  sqlite3_stmt *pick;
  gint64        n_contacts;
  gint64        last;
  gint64        last_save;
  Sched         last_sched;
  GRand        *rand;
  /* the figures */
  gint64        longest;        /* µs */
  gint64        longest_run;    /* µs of it on the CPU */
  gint64        longest_wait;   /* µs of it waiting for a CPU */
  guint         over_frame;     /* gaps over one frame */
  guint         ticks;
  gint64        wait_total;     /* µs */
  gint64        read_max;       /* µs */
  gint64        read_max_off;   /* µs of it off the CPU by itself: blocked */
  gint64        save_max;       /* µs */
  gint64        save_max_off;
  guint         saves;
  guint         busy;           /* SQLite busy waits of the store's connection */
  gint64        disk_reads;     /* bytes the main thread read from the disk */
  guint64       running_sum;    /* the machine's runnable threads, sampled */
  guint         running_samples;
  GArray       *gaps;           /* ms, doubles */
  gboolean      done;
  GAsyncResult *result;
} Watch;

/* the machine's runnable threads now (/proc/loadavg's 4th field), this
 * process's included */
static guint
running_now (void)
{
  g_autofree char *text = NULL;
  double avg[3];
  guint running = 0, total = 0;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    sscanf (text, "%lf %lf %lf %u/%u", &avg[0], &avg[1], &avg[2], &running, &total);
  return running;
}

/* bytes this thread made the kernel fetch from storage (/proc, "read_bytes") */
static gint64
disk_read_now (void)
{
  g_autofree char *text = NULL;
  const char *at;

  if (!g_file_get_contents ("/proc/thread-self/io", &text, NULL, NULL)
      || (at = strstr (text, "\nread_bytes: ")) == NULL)
    return 0;
  return g_ascii_strtoll (at + strlen ("\nread_bytes: "), NULL, 10);
}

/* the store's busy timeout (5 s), counting its waits: whether the loop's
 * reads and saves ever wait for a lock the backup holds */
static int
count_busy (gpointer data,
            int      tries)
{
  Watch *watch = data;

  watch->busy++;
  g_usleep (1000);
  return tries < 5000;
}

static Sched
sched_now (void)
{
  Sched s = { 0, 0 };
  g_autofree char *text = NULL;

  if (g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL))
    sscanf (text, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &s.run, &s.wait);
  return s;
}

/* a random contact read through the store's connection, as a list page does */
/* @start's time off the CPU by itself (blocked: I/O, a lock, a sleep) since
 * @since, µs */
static gint64
blocked_since (gint64 start,
               Sched  since)
{
  Sched now = sched_now ();

  return MAX (0, g_get_monotonic_time () - start - (now.run - since.run) / 1000
              - (now.wait - since.wait) / 1000);
}

static void
read_one (Watch *watch)
{
  gint64 start = g_get_monotonic_time ();
  Sched sched = sched_now ();

  sqlite3_bind_int64 (watch->read, 1, g_rand_int_range (watch->rand, 1,
                                                        (gint32)watch->n_contacts + 1));
  while (sqlite3_step (watch->read) == SQLITE_ROW)
    ;
  sqlite3_reset (watch->read);
  if (g_get_monotonic_time () - start > watch->read_max)
    {
      watch->read_max = g_get_monotonic_time () - start;
      watch->read_max_off = blocked_since (start, sched);
    }
}

/* a random contact edited and saved: a commit on the main thread */
static void
save_one (Watch *watch)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) contact = NULL;
  g_autofree char *id = NULL;
  g_autofree char *notes = NULL;
  gint64 start = g_get_monotonic_time ();
  Sched sched = sched_now ();

  sqlite3_bind_int64 (watch->pick, 1, g_rand_int_range (watch->rand, 1,
                                                        (gint32)watch->n_contacts + 1));
  if (sqlite3_step (watch->pick) == SQLITE_ROW)
    id = g_strdup ((const char *)sqlite3_column_text (watch->pick, 0));
  sqlite3_reset (watch->pick);
  if (id == NULL)
    return;
  contact = crm_store_get_contact (watch->store, id, &error);
  if (contact == NULL)
    g_error ("%s", error->message);
  notes = g_strdup_printf ("bench save %u", watch->saves);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_NOTES, notes);
  if (!crm_store_save_contact (watch->store, contact, &error))
    g_error ("%s", error->message);
  watch->saves++;
  if (g_get_monotonic_time () - start > watch->save_max)
    {
      watch->save_max = g_get_monotonic_time () - start;
      watch->save_max_off = blocked_since (start, sched);
    }
}

static gboolean
tick (gpointer data)
{
  Watch *watch = data;
  gint64 now = g_get_monotonic_time ();
  Sched sched = sched_now ();

  if (watch->last != 0)
    {
      gint64 gap = now - watch->last;
      gint64 wait = (sched.wait - watch->last_sched.wait) / 1000;

      watch->ticks++;
      if (watch->ticks % 100 == 0)
        {
          watch->running_sum += running_now ();
          watch->running_samples++;
        }
      g_array_append_val (watch->gaps, (double){ gap / 1000.0 });
      watch->wait_total += wait;
      if (gap > FRAME_MS * 1000)
        watch->over_frame++;
      if (gap > watch->longest)
        {
          watch->longest = gap;
          watch->longest_run = (sched.run - watch->last_sched.run) / 1000;
          watch->longest_wait = wait;
        }
    }
  read_one (watch);
  if (now - watch->last_save >= SAVE_EVERY_US)
    {
      save_one (watch);
      watch->last_save = now;
    }
  watch->last = g_get_monotonic_time ();
  watch->last_sched = sched_now ();
  return G_SOURCE_CONTINUE;
}

static void
on_backup (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Watch *watch = data;

  watch->result = g_object_ref (result);
  watch->done = TRUE;
}

static void
fill (const char *dir,
      guint       n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autoptr (CrmGen) gen = crm_gen_new (SEED);

  if (store == NULL)
    g_error ("%s", error->message);
  for (guint done = 0; done < n; done += BATCH)
    {
      g_autoptr (GPtrArray) batch = crm_gen_batch (gen, MIN (BATCH, n - done));
      if (!crm_store_insert_contacts (store, batch, &error))
        g_error ("%s", error->message);
    }
}

static void
watch_init (Watch    *watch,
            CrmStore *store)
{
  memset (watch, 0, sizeof *watch);
  watch->store = store;
  watch->rand = g_rand_new_with_seed (SEED);
  watch->gaps = g_array_new (FALSE, FALSE, sizeof (double));
  watch->n_contacts = crm_store_count_contacts (store);
  if (sqlite3_prepare_v2 (store->db, "SELECT * FROM contacts WHERE local_id = ?1", -1,
                          &watch->read, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (store->db, "SELECT id FROM contacts WHERE local_id = ?1", -1,
                             &watch->pick, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (store->db));
  watch->last_save = g_get_monotonic_time ();
  watch->disk_reads = disk_read_now ();
  sqlite3_busy_handler (store->db, count_busy, watch);
}

static void
watch_clear (Watch *watch)
{
  sqlite3_busy_timeout (watch->store->db, 5000);
  sqlite3_finalize (watch->read);
  sqlite3_finalize (watch->pick);
  g_rand_free (watch->rand);
  g_array_unref (watch->gaps);
}

static void
print_phase (const char  *what,
             const Watch *watch,
             double       seconds)
{
  printf ("    %-9s %.1f s: longest gap %.1f ms (CPU %.1f, waiting for a CPU %.1f, off it %.1f),"
          " 99th percentile %.1f ms; gaps > 1 frame %u of %u; CPU waits %.0f ms;"
          " longest read %.1f ms (blocked %.1f), save %.0f ms (blocked %.0f);"
          " lock waits %u, disk reads %.1f MB; runnable threads on the machine %.1f on"
          " average\n",
          what, seconds, watch->longest / 1000.0, watch->longest_run / 1000.0,
          watch->longest_wait / 1000.0,
          MAX (0, watch->longest - watch->longest_run - watch->longest_wait) / 1000.0,
          crm_bench_percentile (watch->gaps, 99), watch->over_frame, watch->ticks,
          watch->wait_total / 1000.0, watch->read_max / 1000.0, watch->read_max_off / 1000.0,
          watch->save_max / 1000.0, watch->save_max_off / 1000.0, watch->busy,
          (disk_read_now () - watch->disk_reads) / 1e6,
          watch->running_sum / (double)MAX (watch->running_samples, 1));
}

/* what a backup is measured against, or with */
typedef enum
{
  PHASE_BACKUP,     /* crm_store_backup_async(): the app's */
  PHASE_BASELINE,   /* no backup, as long as the one before */
  PHASE_NORMAL,     /* crm_backup_file() on a GTask pool thread at normal priority */
  N_PHASES
} Phase;

static const char * const phase_names[N_PHASES] = { "backup:", "baseline:", "normal:" };

/* each phase's figures over the runs, doubles */
typedef struct
{
  GArray *longest;
  GArray *p99;
  GArray *over_frame;   /* per 10,000 ticks */
  GArray *save;
  GArray *seconds;
} Figures;

static void
normal_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  CrmStore *store = data;
  GError *error = NULL;
  CrmBackupInfo *info = crm_backup_file (crm_store_get_path (store),
                                         crm_store_get_backup_dir (store), NULL, NULL, &error);

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify)crm_backup_info_free);
}

/* one phase, the loop watched; the backup's time returned */
static double
bench_phase (CrmStore *store,
             Phase     phase,
             double    seconds,
             Figures  *figures)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmBackupInfo) info = NULL;
  g_autofree char *json = NULL;
  Watch watch;
  gint64 start = g_get_monotonic_time ();
  gint64 until = start + (gint64)(seconds * G_USEC_PER_SEC);
  guint timer;

  watch_init (&watch, store);
  timer = g_timeout_add (1, tick, &watch);
  if (phase == PHASE_BACKUP)
    crm_store_backup_async (store, NULL, NULL, on_backup, &watch);
  else if (phase == PHASE_NORMAL)
    {
      g_autoptr (GTask) task = g_task_new (NULL, NULL, on_backup, &watch);

      g_task_set_task_data (task, store, NULL);
      g_task_run_in_thread (task, normal_thread);
    }
  while (phase == PHASE_BASELINE ? g_get_monotonic_time () < until : !watch.done)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  g_source_remove (timer);
  if (phase != PHASE_BASELINE)
    {
      info = g_task_propagate_pointer (G_TASK (watch.result), &error);
      g_object_unref (watch.result);
      if (info == NULL)
        g_error ("%s", error->message);
      if (phase == PHASE_BACKUP)
        printf ("    backup API + integrity_check + counts %.2f s (%.1f MB, %" G_GINT64_FORMAT
                " contacts)\n", seconds, info->size / 1e6,
                info->counts[CRM_BACKUP_COUNT_CONTACTS]);
      /* the next one copies into an empty folder again */
      json = _crm_backup_json_path (info->path);
      g_unlink (info->path);
      g_unlink (json);
    }
  crm_bench_sort (watch.gaps);
  print_phase (phase_names[phase], &watch, seconds);
  g_array_append_val (figures->longest, (double){ watch.longest / 1000.0 });
  g_array_append_val (figures->p99, (double){ crm_bench_percentile (watch.gaps, 99) });
  g_array_append_val (figures->over_frame, (double){ watch.over_frame * 1e4 / MAX (watch.ticks,
                                                                                   1) });
  g_array_append_val (figures->save, (double){ watch.save_max / 1000.0 });
  g_array_append_val (figures->seconds, seconds);
  watch_clear (&watch);
  return seconds;
}

/* "median M UNIT, worst W UNIT" of @values (sorted here) */
static char *
median_worst (GArray     *values,
              int         digits,
              const char *unit)
{
  crm_bench_sort (values);
  return g_strdup_printf ("median %.*f%s, worst %.*f%s",
                          digits, crm_bench_percentile (values, 50), unit,
                          digits, crm_bench_percentile (values, 100), unit);
}

static void
bench_backup_api (const char *dir,
                  guint       runs,
                  gboolean    normal)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  Figures figures[N_PHASES];
  double gap, base;

  if (store == NULL)
    g_error ("%s", error->message);
  for (guint p = 0; p < N_PHASES; p++)
    {
      figures[p].longest = g_array_new (FALSE, FALSE, sizeof (double));
      figures[p].p99 = g_array_new (FALSE, FALSE, sizeof (double));
      figures[p].over_frame = g_array_new (FALSE, FALSE, sizeof (double));
      figures[p].save = g_array_new (FALSE, FALSE, sizeof (double));
      figures[p].seconds = g_array_new (FALSE, FALSE, sizeof (double));
    }
  for (guint r = 1; r <= runs; r++)
    {
      double seconds;

      printf ("  run %u:\n", r);
      seconds = bench_phase (store, PHASE_BACKUP, 0, &figures[PHASE_BACKUP]);
      bench_phase (store, PHASE_BASELINE, seconds, &figures[PHASE_BASELINE]);
      if (normal)
        bench_phase (store, PHASE_NORMAL, 0, &figures[PHASE_NORMAL]);
      fflush (stdout);
    }
  printf ("  over %u runs (the median and the worst run):\n", runs);
  for (guint p = 0; p < (normal ? N_PHASES : PHASE_NORMAL); p++)
    {
      g_autofree char *longest = median_worst (figures[p].longest, 1, " ms");
      g_autofree char *p99 = median_worst (figures[p].p99, 1, " ms");
      g_autofree char *over = median_worst (figures[p].over_frame, 1, "");
      g_autofree char *save = median_worst (figures[p].save, 0, " ms");
      g_autofree char *secs = median_worst (figures[p].seconds, 1, " s");

      printf ("    %-9s longest gap %s; 99th percentile %s; gaps > 1 frame per 10,000 ticks"
              " %s; longest save %s; %s\n", phase_names[p], longest, p99, over, save, secs);
    }
  gap = crm_bench_percentile (figures[PHASE_BACKUP].longest, 50);
  base = crm_bench_percentile (figures[PHASE_BASELINE].longest, 50);
  printf ("  longest main-loop gap during the backup: median %.1f ms, worst %.1f ms"
          "  (target ≤ %.1f ms) %s; with no backup %.1f ms, worst %.1f ms: the backup adds"
          " %+.1f ms (medians)\n", gap, crm_bench_percentile (figures[PHASE_BACKUP].longest, 100),
          FRAME_MS, gap <= FRAME_MS ? "PASS" : "MISS", base,
          crm_bench_percentile (figures[PHASE_BASELINE].longest, 100), gap - base);
  fflush (stdout);
  for (guint p = 0; p < N_PHASES; p++)
    {
      g_array_unref (figures[p].longest);
      g_array_unref (figures[p].p99);
      g_array_unref (figures[p].over_frame);
      g_array_unref (figures[p].save);
      g_array_unref (figures[p].seconds);
    }
}

/* VACUUM INTO and the same check, for comparison */
static void
bench_vacuum_into (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autofree char *copy = g_build_filename (dir, "vacuum-into.sqlite3", NULL);
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;
  char *sql;
  gint64 start, copied;
  gint64 counts[CRM_BACKUP_N_COUNTS];

  g_unlink (copy);
  sql = sqlite3_mprintf ("VACUUM INTO %Q", copy);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  start = g_get_monotonic_time ();
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  copied = g_get_monotonic_time ();
  if (!crm_backup_check_file (copy, counts, &error))
    g_error ("%s", error->message);
  printf ("  VACUUM INTO + integrity_check + counts: %.2f s (copy %.2f s)\n",
          (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC,
          (copied - start) / (double)G_USEC_PER_SEC);
  fflush (stdout);
  sqlite3_free (sql);
  sqlite3_close (db);
  g_unlink (copy);
}

int
main (int    argc,
      char **argv)
{
  g_auto (GStrv) sizes = NULL;
  const char *dir = NULL;
  const char *size_list = "100000,1000000";
  gboolean vacuum = TRUE;
  gboolean normal = TRUE;
  guint runs = 3;

  if (argc == 4 && g_str_equal (argv[1], "--fill"))
    {
      gint64 start = g_get_monotonic_time ();

      fill (argv[3], (guint)strtoul (argv[2], NULL, 10));
      printf ("filled %s in %.0f s\n", argv[3],
              (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);
      return 0;
    }
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
        runs = (guint)strtoul (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--sizes") && i + 1 < argc)
        size_list = argv[++i];
      else if (g_str_equal (argv[i], "--no-vacuum"))
        vacuum = FALSE;
      else if (g_str_equal (argv[i], "--no-normal"))
        normal = FALSE;
      else if (argv[i][0] != '-')
        dir = argv[i];
      else
        {
          fprintf (stderr, "usage: %s [--runs R] [--no-vacuum] [--no-normal] [--sizes N,…|DIR]\n"
                   "       %s --fill N DIR\n", argv[0], argv[0]);
          return 2;
        }
    }
  runs = MAX (runs, 1);
  if (dir != NULL)
    {
      printf ("Backup of the database in %s:\n", dir);
      bench_backup_api (dir, runs, normal);
      if (vacuum)
        bench_vacuum_into (dir);
      return 0;
    }
  sizes = g_strsplit (size_list, ",", -1);
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint n = (guint)strtoul (sizes[i], NULL, 10);
      g_autofree char *tmp = crm_test_make_tmp_dir ();
      gint64 start = g_get_monotonic_time ();

      fill (tmp, n);
      printf ("Backup of %u contacts (filled in %.0f s):\n", n,
              (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);
      fflush (stdout);
      bench_backup_api (tmp, runs, normal);
      if (vacuum)
        bench_vacuum_into (tmp);
      crm_test_rm_rf (tmp);
    }
  return 0;
}
