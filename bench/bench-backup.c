/* bench-backup.c — a verified backup at 100k and 1M contacts, and the main loop meanwhile
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-backup [--sizes 100000,1000000]   the whole report
 *   bench-backup DIR                         only the backups, of the database in DIR
 *
 * For each size: crm_store_backup_async() (the backup API, then
 * integrity_check and the counts) timed while the main loop runs a 1 ms
 * timer; the longest gap between two of its ticks is how long the UI's
 * loop would have been blocked (target: one frame, 16.7 ms). For
 * comparison, VACUUM INTO of the same database followed by the same check,
 * on this thread: the reason crm-store-backup.c uses the backup API.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "crm-bench.h"
#include "crm-gen.h"
#include "crm-store-backup.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

#define SEED 20261129
#define BATCH 10000
#define FRAME_MS 16.7

typedef struct
{
  gint64   last;
  gint64   longest;   /* µs */
  gboolean done;
  GAsyncResult *result;
} Watch;

static gboolean
tick (gpointer data)
{
  Watch *watch = data;
  gint64 now = g_get_monotonic_time ();

  if (watch->last != 0)
    watch->longest = MAX (watch->longest, now - watch->last);
  watch->last = now;
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

/* the backup API on a worker thread, the main loop watched */
static void
bench_backup_api (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autoptr (CrmBackupInfo) info = NULL;
  Watch watch = { 0 };
  gint64 start;
  guint timer;
  double seconds, stall_ms;

  if (store == NULL)
    g_error ("%s", error->message);
  timer = g_timeout_add (1, tick, &watch);
  start = g_get_monotonic_time ();
  crm_store_backup_async (store, NULL, NULL, on_backup, &watch);
  while (!watch.done)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  g_source_remove (timer);
  info = crm_store_backup_finish (watch.result, &error);
  g_object_unref (watch.result);
  if (info == NULL)
    g_error ("%s", error->message);

  stall_ms = watch.longest / 1000.0;
  /* the same timer with nothing running: what the machine's load alone costs */
  {
    Watch idle = { 0 };
    gint64 until = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);

    timer = g_timeout_add (1, tick, &idle);
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (timer);
    printf ("  longest main-loop gap with nothing running, as long: %.1f ms\n",
            idle.longest / 1000.0);
  }
  printf ("  backup API + integrity_check + counts: %.2f s (%.1f MB, %" G_GINT64_FORMAT
          " contacts)\n", seconds, info->size / 1e6, info->counts[CRM_BACKUP_COUNT_CONTACTS]);
  printf ("  longest main-loop gap meanwhile: %.1f ms  (target ≤ %.1f ms) %s\n",
          stall_ms, FRAME_MS, stall_ms <= FRAME_MS ? "PASS" : "MISS");
  fflush (stdout);
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

static void
bench_dir (const char *dir)
{
  bench_backup_api (dir);
  bench_vacuum_into (dir);
}

int
main (int    argc,
      char **argv)
{
  g_auto (GStrv) sizes = NULL;

  if (argc == 2 && argv[1][0] != '-')
    {
      bench_dir (argv[1]);
      return 0;
    }
  sizes = g_strsplit (argc == 3 && g_str_equal (argv[1], "--sizes") ? argv[2]
                      : "100000,1000000", ",", -1);
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint n = (guint)strtoul (sizes[i], NULL, 10);
      g_autofree char *dir = crm_test_make_tmp_dir ();
      gint64 start = g_get_monotonic_time ();

      fill (dir, n);
      printf ("Backup of %u contacts (filled in %.0f s):\n", n,
              (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);
      fflush (stdout);
      bench_dir (dir);
      crm_test_rm_rf (dir);
    }
  return 0;
}
