/* bench-deals.c — how the deals board, its figures and its list perform at 100k deals
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-deals [--dir DIR]   the whole report; DIR is filled first if it
 *                             has no deals, and kept (else a temporary
 *                             folder, removed at the end)
 *
 * 10,000 contacts and 100,000 deals from a fixed seed, half of them in one
 * column (leads). Each figure is printed beside its target. The store is a
 * real file; the lists are the CrmDealList models the board and the table
 * use; the page cache is warm (one run before the timed ones).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "crm-deal-list.h"
#include "crm-bench.h"
#include "crm-test-util.h"
#include "crm-gen.h"
#include "crm-store-private.h"

#define SEED 20261124
#define N_CONTACTS 10000
#define N_DEALS 100000
#define RUNS 21

/* deals per stage, lead to lost: one column of 50,000 */
static const guint per_stage[CRM_DEAL_N_STAGES] = { 50000, 15000, 10000, 8000, 10000, 7000 };

static const char *deal_words[] = {
  "年度采购", "设备升级", "系统集成", "软件授权", "运维服务", "办公用品", "云服务器",
  "数据中心", "安防改造", "培训项目", "咨询服务", "物流外包", "Renewal", "Pilot",
};

/* median and p95 beside the target (p95 is judged); 0: none */
static void
report (const char *what,
        GArray     *times,
        double      target)
{
  crm_bench_sort (times);
  if (target > 0)
    printf ("%s: p50 %.2f ms, p95 %.2f ms (target: p95 <= %.0f ms) %s\n", what,
            crm_bench_percentile (times, 50), crm_bench_percentile (times, 95), target,
            crm_bench_percentile (times, 95) <= target ? "PASS" : "FAIL");
  else
    printf ("%s: p50 %.2f ms, p95 %.2f ms (target: none, reported)\n", what,
            crm_bench_percentile (times, 50), crm_bench_percentile (times, 95));
  fflush (stdout);
}

static double
fill (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autoptr (CrmGen) gen = crm_gen_new (SEED);
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (GPtrArray) deals = g_ptr_array_new_with_free_func (g_object_unref);
  guint stage_of[N_DEALS];
  guint k = 0;
  gint64 start;

  if (store == NULL)
    g_error ("%s", error->message);
  start = g_get_monotonic_time ();
  contacts = crm_gen_batch (gen, N_CONTACTS);
  if (!crm_store_insert_contacts (store, contacts, &error))
    g_error ("%s", error->message);

  for (guint s = 0; s < CRM_DEAL_N_STAGES; s++)
    for (guint i = 0; i < per_stage[s]; i++)
      stage_of[k++] = s;
  g_assert (k == N_DEALS);
  /* shuffled, so that the stages' rows are interleaved in the file */
  for (guint i = N_DEALS - 1; i > 0; i--)
    {
      guint j = crm_gen_int (gen, 0, i + 1);
      guint t = stage_of[i];
      stage_of[i] = stage_of[j];
      stage_of[j] = t;
    }

  for (guint i = 0; i < N_DEALS; i++)
    {
      CrmDeal *deal = crm_deal_new ();
      g_autofree char *title = g_strdup_printf ("%s %u", deal_words[crm_gen_int (gen, 0,
                                                G_N_ELEMENTS (deal_words))], i + 1);

      crm_deal_set_title (deal, title);
      crm_deal_set_stage (deal, stage_of[i]);
      /* 1,000.00 to 2,000,000.00 yuan, in fen */
      crm_deal_set_amount (deal, (gint64)crm_gen_int (gen, 1000, 2000000) * 100);
      if (crm_gen_int (gen, 0, 4) == 0)
        crm_deal_set_probability (deal, crm_gen_int (gen, 0, 101));
      if (stage_of[i] == CRM_DEAL_LOST)
        crm_deal_set_lost_reason (deal, "价格太高");
      if (crm_gen_int (gen, 0, 3) > 0)
        {
          g_autofree char *close = g_strdup_printf ("2026-%02d-%02d", crm_gen_int (gen, 1, 13),
                                                    crm_gen_int (gen, 1, 29));
          crm_deal_set_expected_close (deal, close);
        }
      if (crm_gen_int (gen, 0, 10) > 0)
        crm_deal_set_contact_id (deal, crm_contact_get_id (g_ptr_array_index (contacts,
                                                           crm_gen_int (gen, 0, N_CONTACTS))));
      g_ptr_array_add (deals, deal);
    }
  if (!crm_store_insert_deals (store, deals, &error))
    g_error ("%s", error->message);
  /* most won deals were won in earlier months */
  sqlite3_exec (_crm_store_get_db (store),
                "UPDATE deals SET won_at = '2025-' || printf ('%02d', local_id % 12 + 1)"
                " || '-15T08:00:00.000000Z' WHERE stage = 'won' AND local_id % 10 <> 0",
                NULL, NULL, NULL);
  sqlite3_exec (_crm_store_get_db (store), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  return (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}

static guint
count_deals (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  CrmDealTotals totals;
  guint n = 0;

  if (store == NULL || !crm_store_get_deal_totals (store, "2000-01-01", &totals, &error))
    g_error ("%s", error->message);
  for (guint s = 0; s < CRM_DEAL_N_STAGES; s++)
    n += totals.count[s];
  return n;
}

static void
read_first (CrmDealList *list,
            guint        n)
{
  n = MIN (n, g_list_model_get_n_items (G_LIST_MODEL (list)));
  for (guint i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
}

/* (a) open the store, make the six columns, show their first 20 cards */
static void
bench_open_board (const char *dir)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint cached = 0;

  for (guint run = 0; run <= RUNS; run++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmStore) store = NULL;
      CrmDealList *columns[CRM_DEAL_N_STAGES];
      gint64 start = g_get_monotonic_time ();
      double t;

      store = crm_store_open (dir, &error);
      if (store == NULL)
        g_error ("%s", error->message);
      for (guint s = 0; s < CRM_DEAL_N_STAGES; s++)
        {
          columns[s] = crm_deal_list_new (store, s);
          read_first (columns[s], 20);
        }
      t = crm_bench_ms_since (start);
      cached = 0;
      for (guint s = 0; s < CRM_DEAL_N_STAGES; s++)
        {
          cached += crm_deal_list_get_n_cached_pages (columns[s]);
          g_object_unref (columns[s]);
        }
      if (run > 0) /* the first warms the page cache */
        g_array_append_val (times, t);
    }
  report ("(a) open the store + six columns + first 20 cards each", times, 100);
  printf ("    pages of 64 rows read: %u for %u deals\n", cached, N_DEALS);
}

/* (e) the biggest column scrolled anywhere: a jump of the scroll bar reads
 * the 20 cards of the new view; the page cache stays bounded */
static void
bench_scroll (CrmStore *store)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (CrmDealList) column = crm_deal_list_new (store, CRM_DEAL_LEAD);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (column));

  for (guint run = 0; run < 2000; run++)
    {
      guint first = g_rand_int_range (rand, 0, n - 20);
      gint64 start = g_get_monotonic_time ();
      double t;

      for (guint i = first; i < first + 20; i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (column), i));
      t = crm_bench_ms_since (start);
      g_array_append_val (times, t);
    }
  printf ("(e) the %u-card column: 2,000 jumps to a random place, its 20 cards read\n", n);
  report ("    a jump", times, 16);
  printf ("    pages cached after: %u (of 64 rows; at most 32)\n",
          crm_deal_list_get_n_cached_pages (column));
}

static char *
month_start (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) first = g_date_time_new_utc (g_date_time_get_year (now),
                                                     g_date_time_get_month (now), 1, 0, 0, 0);
  return g_date_time_format (first, "%Y-%m-%dT%H:%M:%S.000000Z");
}

/* (b) the header's figures */
static void
bench_totals (CrmStore *store)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *since = month_start ();
  CrmDealTotals totals;

  for (guint run = 0; run <= 50; run++)
    {
      g_autoptr (GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double t;

      if (!crm_store_get_deal_totals (store, since, &totals, &error))
        g_error ("%s", error->message);
      t = crm_bench_ms_since (start);
      if (run > 0)
        g_array_append_val (times, t);
    }
  report ("(b) crm_store_get_deal_totals", times, 50);
  printf ("    open %" G_GINT64_FORMAT " fen, weighted %" G_GINT64_FORMAT " fen,"
          " won this month %" G_GINT64_FORMAT " fen\n",
          totals.open_total, totals.weighted, totals.won_this_month);
}

/* (c) a card dragged from one column to another: the store's move and the
 * columns' (and the table's) updates, which run in the store's signal */
static void
bench_move (CrmStore *store)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) reset_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (CrmGen) pick = crm_gen_new (SEED + 3);
  g_autoptr (CrmDealList) all = crm_deal_list_new (store, CRM_DEAL_LIST_ALL_STAGES);
  CrmDealList *columns[CRM_DEAL_N_STAGES];

  crm_deal_list_set_sort (all, CRM_DEAL_SORT_AMOUNT, TRUE);
  for (guint s = 0; s < CRM_DEAL_N_STAGES; s++)
    {
      columns[s] = crm_deal_list_new (store, s);
      read_first (columns[s], 20);
    }

  for (guint run = 0; run <= 40; run++)
    {
      g_autoptr (GError) error = NULL;
      /* lead → proposal and back, into the middle of the other column */
      CrmDealStage from = run % 2 ? CRM_DEAL_PROPOSAL : CRM_DEAL_LEAD;
      CrmDealStage to = run % 2 ? CRM_DEAL_LEAD : CRM_DEAL_PROPOSAL;
      GListModel *source = G_LIST_MODEL (columns[from]);
      GListModel *target = G_LIST_MODEL (columns[to]);
      g_autoptr (CrmDeal) deal = g_list_model_get_item (source,
                                                        crm_gen_int (pick, 0, g_list_model_get_n_items (source)));
      g_autoptr (CrmDeal) before = g_list_model_get_item (target,
                                                          crm_gen_int (pick, 0, g_list_model_get_n_items (target)));
      gint64 start = g_get_monotonic_time ();
      double t;

      if (!crm_store_move_deal (store, deal, to, before, &error))
        g_error ("%s", error->message);
      read_first (columns[from], 20);
      read_first (columns[to], 20);
      t = crm_bench_ms_since (start);
      if (crm_deal_list_find (columns[to], deal) == G_MAXUINT)
        g_error ("the moved deal is not in its new column");
      if (run > 0)
        g_array_append_val (times, t);
    }
  report ("(c) move a deal between columns (save + columns and table updated)", times, 0);

  /* what a reset costs: every list reads its whole order again */
  for (guint run = 0; run <= 10; run++)
    {
      gint64 start = g_get_monotonic_time ();
      double t;

      g_signal_emit_by_name (store, "deals-reset");
      t = crm_bench_ms_since (start);
      if (run > 0)
        g_array_append_val (reset_times, t);
    }
  report ("    a deals-reset: six columns + the table by amount read again", reset_times, 0);

  g_array_set_size (reset_times, 0);
  for (guint run = 0; run <= 10; run++)
    {
      gint64 start = g_get_monotonic_time ();
      double t;

      crm_deal_list_set_sort (columns[CRM_DEAL_LEAD], CRM_DEAL_SORT_POSITION, run % 2);
      t = crm_bench_ms_since (start);
      if (run > 0)
        g_array_append_val (reset_times, t);
    }
  report ("    the 50,000-card column's order read again", reset_times, 20);

  for (guint s = 0; s < CRM_DEAL_N_STAGES; s++)
    g_object_unref (columns[s]);
}

/* (d) the table of all deals, sorted: the order read, the first 50 rows */
static void
bench_table (CrmStore *store)
{
  static const struct { CrmDealSort sort; const char *name; } sorts[] = {
    { CRM_DEAL_SORT_AMOUNT, "amount" },
    { CRM_DEAL_SORT_UPDATED, "updated" },
    { CRM_DEAL_SORT_TITLE, "title" },
    { CRM_DEAL_SORT_CONTACT, "contact" },
    { CRM_DEAL_SORT_STAGE, "stage" },
    { CRM_DEAL_SORT_PROBABILITY, "probability" },
    { CRM_DEAL_SORT_EXPECTED_CLOSE, "expected close" },
    { CRM_DEAL_SORT_POSITION, "board order" },
  };
  g_autoptr (CrmDealList) all = crm_deal_list_new (store, CRM_DEAL_LIST_ALL_STAGES);

  for (guint k = 0; k < G_N_ELEMENTS (sorts); k++)
    {
      g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *what = g_strdup_printf ("%s all %u deals sorted by %s: set_sort + "
                                               "first 50 rows", k ? "   " : "(d)",
                                               g_list_model_get_n_items (G_LIST_MODEL (all)),
                                               sorts[k].name);

      for (guint run = 0; run <= (k == 0 ? 20 : 6); run++)
        {
          gint64 start;
          double t;

          /* from another order each time */
          crm_deal_list_set_sort (all, sorts[(k + 1) % G_N_ELEMENTS (sorts)].sort, FALSE);
          start = g_get_monotonic_time ();
          crm_deal_list_set_sort (all, sorts[k].sort, run % 2);
          read_first (all, 50);
          t = crm_bench_ms_since (start);
          if (run > 0)
            g_array_append_val (times, t);
        }
      report (what, times, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  gboolean temporary = FALSE;

  if (argc == 3 && g_str_equal (argv[1], "--dir"))
    dir = g_strdup (argv[2]);
  else if (argc != 1)
    {
      g_printerr ("usage: %s [--dir DIR]\n", argv[0]);
      return 2;
    }
  else
    {
      dir = g_dir_make_tmp ("xiaohe-crm-bench-XXXXXX", NULL);
      temporary = TRUE;
    }

  printf ("== %u deals, %u contacts; %u in the biggest column ==\n", N_DEALS, N_CONTACTS,
          per_stage[CRM_DEAL_LEAD]);
  if (count_deals (dir) == 0)
    {
      double seconds = fill (dir);
      printf ("insert %u contacts and %u deals: %.1f s (target: none, reported)\n",
              N_CONTACTS, N_DEALS, seconds);
    }
  else
    printf ("using the %u deals already in %s\n", count_deals (dir), dir);
  fflush (stdout);

  bench_open_board (dir);
  store = crm_store_open (dir, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  bench_totals (store);
  bench_move (store);
  bench_table (store);
  bench_scroll (store);
  g_clear_object (&store);

  if (temporary)
    crm_test_rm_rf (dir);
  return 0;
}
