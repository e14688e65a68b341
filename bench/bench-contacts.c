/* bench-contacts.c — how the contacts store and list perform at 100k and 1M
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-contacts [--sizes 100000,1000000]   the whole report
 *   bench-contacts fill DIR N                 make a database of N contacts
 *   bench-contacts save DIR [QUERY]           saves with the list (or a search) shown
 *   bench-contacts search DIR                 only the searches, on such a database
 *   bench-contacts migrate DIR                the migration to schema 9 (pinyin), timed
 *
 * Each figure is printed beside its target. The store is a real file in a
 * temporary folder; searches go through CrmContactList as the app's do.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "crm-contact-list.h"
#include "crm-bench.h"
#include "crm-pinyin.h"
#include "crm-test-util.h"
#include "crm-gen.h"
#include "crm-store-private.h"

#define SEED 20261124
#define BATCH 10000

static const char *
verdict (double value,
         double target)
{
  return value <= target ? "PASS" : "MISS";
}

static double
fill (const char *dir,
      guint       n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autoptr (CrmGen) gen = crm_gen_new (SEED);
  gint64 start;
  double seconds;

  if (store == NULL)
    g_error ("%s", error->message);
  start = g_get_monotonic_time ();
  for (guint done = 0; done < n; done += BATCH)
    {
      g_autoptr (GPtrArray) batch = crm_gen_batch (gen, MIN (BATCH, n - done));
      if (!crm_store_insert_contacts (store, batch, &error))
        g_error ("%s", error->message);
    }
  sqlite3_exec (_crm_store_get_db (store), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  return seconds;
}

typedef struct { const char *kind; char *query; } Query;

/* a fixed mix drawn from contacts that exist: two-character Chinese names,
 * last four and middle four digits of mobiles, parts of e-mail addresses,
 * three-letter Latin prefixes, Chinese names in pinyin (in full, or the
 * surname in full and the given name's first letter: "zhangw") and by
 * initials ("zw") */
static GArray *
make_queries (CrmStore *store,
              guint     n_contacts)
{
  GArray *queries = g_array_new (FALSE, FALSE, sizeof (Query));
  g_autoptr (CrmGen) pick = crm_gen_new (SEED + 1);
  sqlite3 *db = _crm_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  guint wanted[6] = { 50, 50, 50, 50, 50, 50 };
  static const char *kinds[6] = { "chinese-2", "phone", "email", "latin-prefix", "pinyin",
                                   "initials" };

  sqlite3_prepare_v2 (db, "SELECT name, mobile, email FROM contacts WHERE local_id = ?1",
                      -1, &stmt, NULL);
  while (wanted[0] + wanted[1] + wanted[2] + wanted[3] + wanted[4] + wanted[5] > 0)
    {
      const char *name, *mobile, *email;
      char *q = NULL;
      guint kind;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, crm_gen_int (pick, 1, n_contacts + 1));
      if (sqlite3_step (stmt) != SQLITE_ROW)
        continue;
      name = (const char *)sqlite3_column_text (stmt, 0);
      mobile = (const char *)sqlite3_column_text (stmt, 1);
      email = (const char *)sqlite3_column_text (stmt, 2);
      kind = crm_gen_int (pick, 0, 6);
      if (wanted[kind] == 0)
        continue;

      switch (kind)
        {
        case 0: /* two Chinese characters from inside a name */
          if ((guchar)name[0] < 0x80 || g_utf8_strlen (name, -1) < 2)
            continue;
          {
            glong len = g_utf8_strlen (name, -1);
            glong from = len > 2 ? crm_gen_int (pick, 0, len - 1) : 0;
            const char *a = g_utf8_offset_to_pointer (name, from);
            q = g_strndup (a, g_utf8_offset_to_pointer (a, 2) - a);
          }
          break;
        case 1: /* last four, or four from the middle */
          q = crm_gen_int (pick, 0, 2) ? g_strdup (mobile + 7) : g_strndup (mobile + 3, 4);
          break;
        case 2: /* part of an e-mail address */
          {
            const char *at = strchr (email, '@');
            q = crm_gen_int (pick, 0, 3) == 0 ? g_strdup (at + 1)
                                              : g_strndup (email, MIN (5, at - email));
          }
          break;
        case 3: /* a Latin prefix */
          q = g_ascii_strdown (email, 3);
          break;
        case 4: /* a Chinese name in pinyin: in full, or "zhangw" */
          if ((guchar)name[0] < 0x80 || g_utf8_strlen (name, -1) < 2)
            continue;
          {
            g_autofree char *spelt = crm_pinyin_transliterate (name);
            g_auto (GStrv) syllables = g_strsplit (spelt, " ", -1);
            GString *s;

            if (syllables[0] == NULL)
              continue;
            s = g_string_new (syllables[0]);
            for (guint k = 1; syllables[k] != NULL; k++)
              g_string_append_len (s, syllables[k], crm_gen_int (pick, 0, 2) ? -1 : 1);
            q = g_string_free (s, FALSE);
          }
          break;
        default: /* a Chinese name by initials */
          if ((guchar)name[0] < 0x80 || g_utf8_strlen (name, -1) < 2)
            continue;
          q = crm_pinyin_initials (name);
          break;
        }
      wanted[kind]--;
      g_array_append_vals (queries, &(Query) { kinds[kind], q }, 1);
    }
  sqlite3_finalize (stmt);
  return queries;
}

static void
wait_search (CrmContactList *list)
{
  while (crm_contact_list_get_searching (list))
    g_main_context_iteration (NULL, TRUE);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gboolean   *changed)
{
  *changed = TRUE;
}

static void
report (const char *what,
        GArray     *times,
        guint       n,
        double      target)
{
  double p50, p95, p99;

  crm_bench_sort (times);
  p50 = crm_bench_percentile (times, 50);
  p95 = crm_bench_percentile (times, 95);
  p99 = crm_bench_percentile (times, 99);
  if (target > 0)
    printf ("%s at %u: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (target: p95 <= %.0f ms) %s\n",
            what, n, p50, p95, p99, target, verdict (p95, target));
  else
    printf ("%s at %u: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (target: none, reported)\n",
            what, n, p50, p95, p99);
}

/* Each query as the app runs it: the list is told the query, the first 50
 * rows are read as soon as the list shows results (the first page of a
 * large result comes before the rest), then the search runs to its end. */
static void
bench_search (CrmStore *store,
              guint     n,
              double    target)
{
  g_autoptr (CrmContactList) list = crm_contact_list_new (store);
  g_autoptr (GArray) first_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) full_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) queries = make_queries (store, n);
  g_autoptr (GArray) matches = g_array_new (FALSE, FALSE, sizeof (double));
  GHashTable *by_kind = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify)g_array_unref);
  gboolean changed = FALSE;

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changed);

  /* one warm-up pass, so that the figures are of a warm page cache */
  for (guint i = 0; i < queries->len; i++)
    {
      crm_contact_list_set_query (list, g_array_index (queries, Query, i).query);
      wait_search (list);
    }

  for (guint i = 0; i < queries->len; i++)
    {
      Query *q = &g_array_index (queries, Query, i);
      GArray *kind_times;
      gint64 start;
      double t_first, t_full, m;
      guint shown;

      crm_contact_list_set_query (list, NULL);
      changed = FALSE;
      start = g_get_monotonic_time ();
      crm_contact_list_set_query (list, q->query);
      while (!changed && crm_contact_list_get_searching (list))
        g_main_context_iteration (NULL, TRUE);
      shown = MIN (50, g_list_model_get_n_items (G_LIST_MODEL (list)));
      for (guint k = 0; k < shown; k++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), k));
      t_first = crm_bench_ms_since (start);
      wait_search (list);
      t_full = crm_bench_ms_since (start);

      m = g_list_model_get_n_items (G_LIST_MODEL (list));
      g_array_append_val (first_times, t_first);
      g_array_append_val (full_times, t_full);
      g_array_append_val (matches, m);
      kind_times = g_hash_table_lookup (by_kind, q->kind);
      if (kind_times == NULL)
        {
          kind_times = g_array_new (FALSE, FALSE, sizeof (double));
          g_hash_table_insert (by_kind, (gpointer)q->kind, kind_times);
        }
      g_array_append_val (kind_times, t_first);
      if (g_getenv ("CRM_BENCH_SLOW") != NULL && t_first > atof (g_getenv ("CRM_BENCH_SLOW")))
        printf ("  slow: %-13s %-16s %7.0f matches  first %.2f ms  all %.2f ms\n",
                q->kind, q->query, m, t_first, t_full);
    }

  report ("search, first 50 results shown", first_times, n, target);
  report ("search, every match listed", full_times, n, 0);
  crm_bench_sort (matches);
  printf ("  %u queries; matches per query: median %.0f, p95 %.0f, max %.0f\n", queries->len,
          crm_bench_percentile (matches, 50), crm_bench_percentile (matches, 95),
          crm_bench_percentile (matches, 100));
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, by_kind);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        GArray *kt = value;
        crm_bench_sort (kt);
        printf ("  first results, %-13s p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n",
                (const char *)key, crm_bench_percentile (kt, 50),
                crm_bench_percentile (kt, 95), crm_bench_percentile (kt, 99));
      }
  }
  g_hash_table_unref (by_kind);
  for (guint i = 0; i < queries->len; i++)
    g_free (g_array_index (queries, Query, i).query);
}

/* Saving a contact while the whole list is shown: the store's signal moves
 * its row in the list (items-changed from its old place to its new), on the
 * main thread, so this is time the window is frozen. Half the saves rename
 * the contact to another contact's name (a move across the list), half
 * change its title (in place). */
static void
bench_save (CrmStore   *store,
            guint       n,
            const char *query)
{
  g_autoptr (CrmContactList) list = crm_contact_list_new (store);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  /* as in the app: the anchors are walked in a thread after the start */
  while (!crm_contact_list_has_anchors (list) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (query != NULL)
    {
      crm_contact_list_set_query (list, query);
      wait_search (list);
    }
  for (guint i = 0; i < 200; i++)
    {
      guint count = g_list_model_get_n_items (G_LIST_MODEL (list));
      g_autoptr (CrmContact) contact = g_list_model_get_item (G_LIST_MODEL (list),
                                                              g_rand_int_range (rand, 0, count));
      g_autoptr (CrmContact) other = g_list_model_get_item (G_LIST_MODEL (list),
                                                            g_rand_int_range (rand, 0, count));
      g_autoptr (GError) error = NULL;
      gint64 start;
      double t;

      if (i % 2 == 0)
        {
          g_autofree char *name = g_strconcat (crm_contact_get_name (other), "乙", NULL);
          crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, name);
        }
      else
        crm_contact_set_field (contact, CRM_CONTACT_FIELD_TITLE, i % 4 == 1 ? "经理" : "总监");
      start = g_get_monotonic_time ();
      if (!crm_store_save_contact (store, contact, &error))
        g_error ("%s", error->message);
      t = crm_bench_ms_since (start);
      g_array_append_val (times, t);
    }
  if (query == NULL)
    report ("save a contact, the whole list shown (store + list update)", times, n, 0);
  else
    {
      g_autofree char *what = g_strdup_printf ("save a contact, the %u results of “%s” shown",
                                               g_list_model_get_n_items (G_LIST_MODEL (list)),
                                               query);
      report (what, times, n, 0);
    }
}

/* run in a fresh process: open the store, first 50 rows through the list */
static int
sub_open (const char *dir)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autoptr (CrmContactList) list = NULL;

  if (store == NULL)
    g_error ("%s", error->message);
  list = crm_contact_list_new (store);
  for (guint i = 0; i < 50; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
  printf ("%.3f\n", crm_bench_ms_since (start));
  return 0;
}

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

/* run in a fresh process: 10,000 reads at random positions */
static int
sub_rss (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autoptr (CrmContactList) list = NULL;
  g_autoptr (CrmGen) pick = crm_gen_new (SEED + 2);
  guint n;
  gint64 start;

  if (store == NULL)
    g_error ("%s", error->message);
  list = crm_contact_list_new (store);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  /* the app's main loop adopts the anchors the list walks for in the background */
  while (!crm_contact_list_has_anchors (list))
    g_main_context_iteration (NULL, TRUE);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 10000; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), crm_gen_int (pick, 0, n)));
  printf ("%ld %.1f\n", peak_rss_kb (), crm_bench_ms_since (start) / 10000.0);
  return 0;
}

/* Migration 9 rewrites every sort key and the search index and lists the
 * tags: the file is set back to schema 8 (its contact_tags dropped, it is
 * one of 8 but for its keys and index), the migration timed, the file left
 * at 9 */
static int
sub_migrate (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;
  gint64 start;
  int n = 0;

  if (sqlite3_open (path, &db) != SQLITE_OK || _crm_search_register_tokenizer (db) != SQLITE_OK)
    g_error ("%s: %s", path, sqlite3_errmsg (db));
  sqlite3_exec (db, "DROP TRIGGER IF EXISTS contact_tags_insert;"
                " DROP TRIGGER IF EXISTS contact_tags_delete;"
                " DROP TRIGGER IF EXISTS contact_tags_update;"
                " DROP TABLE IF EXISTS contact_tags;"
                " PRAGMA user_version = 8; PRAGMA synchronous = FULL;"
                " PRAGMA cache_size = -32768", NULL, NULL, NULL);
  start = g_get_monotonic_time ();
  if (!_crm_store_migrate_to (db, 9, &error))
    g_error ("%s", error->message);
  printf ("migration 9 (sort keys and search index) of %s: %.1f s "
          "(target: none, reported)\n", dir, crm_bench_ms_since (start) / 1000.0);
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (db, "SELECT count(*) FROM contacts", -1, &stmt, NULL);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      n = sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
  }
  printf ("  %d contacts\n", n);
  sqlite3_close (db);
  return 0;
}

/* the pages of the search index's tables, in MB */
static double
index_mb (CrmStore *store)
{
  sqlite3_stmt *stmt = NULL;
  double mb = -1;

  if (sqlite3_prepare_v2 (_crm_store_get_db (store), "SELECT sum (pgsize) FROM dbstat"
                          " WHERE name LIKE 'contacts_fts%'", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    mb = sqlite3_column_double (stmt, 0) / 1e6;
  sqlite3_finalize (stmt);
  return mb;
}

static char *
run_self (const char *self,
          const char *what,
          const char *dir)
{
  const char *argv[] = { self, what, dir, NULL };
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    g_error ("%s %s: %s", self, what, error->message);
  return out;
}

static void
bench_size (const char *self,
            guint       n)
{
  g_autofree char *dir = g_dir_make_tmp ("xiaohe-crm-bench-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  GStatBuf st;
  double seconds;
  double open_ms = G_MAXDOUBLE;

  printf ("== %u contacts ==\n", n);
  seconds = fill (dir, n);
  g_stat (db_path, &st);
  printf ("insert %u contacts (batches of %u, the search index built in bulk after each):"
          " %.0f contacts/s, %.1f s (target: none, reported)\n", n, BATCH, n / seconds, seconds);
  store = crm_store_open (dir, &error);
  printf ("  file %.0f MB (target at 1M: <= %.0f MB) %s, of which the search index %.1f MB;"
          " index complete: %s\n", st.st_size / 1e6, 250.0 * n / 1000000,
          st.st_size <= 250e6 * n / 1000000 ? "PASS" : "MISS", index_mb (store),
          crm_store_search_index_is_complete (store) ? "yes" : "NO");
  fflush (stdout);

  bench_search (store, n, n >= 1000000 ? 10 : 5);
  bench_save (store, n, NULL);
  bench_save (store, n, "qq.com");
  g_clear_object (&store);

  /* best of five fresh processes: the file is in the page cache by now */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *out = run_self (self, "open", dir);
      open_ms = MIN (open_ms, g_ascii_strtod (out, NULL));
    }
  printf ("open the store and read the first 50 rows at %u: %.1f ms (target: <= 50 ms) %s\n",
          n, open_ms, verdict (open_ms, 50));

  {
    g_autofree char *out = run_self (self, "rss", dir);
    long kb = strtol (out, NULL, 10);
    double per_read = g_ascii_strtod (strchr (out, ' ') + 1, NULL);

    printf ("peak RSS after 10,000 random reads through the list at %u: %.1f MB, "
            "%.3f ms a read (target: <= 120 MB) %s\n",
            n, kb / 1024.0, per_read, verdict (kb / 1024.0, 120));
  }
  {
    g_autofree char *out = run_self (self, "migrate", dir);
    printf ("%s", out);
  }
  fflush (stdout);
  crm_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *sizes = g_strdup ("100000,1000000");
  g_auto (GStrv) parts = NULL;

  if (argc == 3 && g_str_equal (argv[1], "open"))
    return sub_open (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "rss"))
    return sub_rss (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "search"))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmStore) store = crm_store_open (argv[2], &error);
      guint n;

      if (store == NULL)
        g_error ("%s", error->message);
      n = crm_store_count_contacts (store);
      bench_search (store, n, n >= 1000000 ? 10 : 5);
      return 0;
    }
  if ((argc == 3 || argc == 4) && g_str_equal (argv[1], "save"))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmStore) store = crm_store_open (argv[2], &error);

      if (store == NULL)
        g_error ("%s", error->message);
      bench_save (store, crm_store_count_contacts (store), argc == 4 ? argv[3] : NULL);
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "migrate"))
    return sub_migrate (argv[2]);
  if (argc == 4 && g_str_equal (argv[1], "fill"))
    {
      double s = fill (argv[2], atoi (argv[3]));
      printf ("filled %s with %d contacts in %.1f s\n", argv[2], atoi (argv[3]), s);
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "--sizes"))
    {
      g_free (sizes);
      sizes = g_strdup (argv[2]);
    }
  else if (argc != 1)
    {
      g_printerr ("usage: %s [--sizes N,M] | fill DIR N | search DIR | save DIR"
                  " | migrate DIR\n", argv[0]);
      return 2;
    }

  parts = g_strsplit (sizes, ",", -1);
  for (guint i = 0; parts[i]; i++)
    bench_size (argv[0], atoi (parts[i]));
  return 0;
}
