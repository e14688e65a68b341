/* bench-followups.c — a contact's timeline and Today, at 100k follow-ups
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-followups [--keep]   the whole report; --keep leaves the store
 *                              folder behind (its path is printed)
 *
 * 10,000 contacts and 100,000 follow-ups from a fixed seed, over the two
 * years before a fixed "now": 10,000 of them on one contact (the one whose
 * page must open in one frame), the rest spread over the others. About
 * 40 % have a next step, due 1 to 14 days after the follow-up; 95 % of
 * the steps already due are done, as a team that works its Today list
 * leaves them. The follow-ups are written with one prepared INSERT in one
 * transaction, so the triggers of migration 10 (the contacts'
 * last_followup_at, the sync outbox) run for every row as they do in use.
 * Each query the app makes goes through the store's own function; the
 * statement it ran is caught with sqlite3_trace_v2() and its plan printed
 * (EXPLAIN QUERY PLAN), so the plan shown is the plan timed. Beside the
 * wall-clock time (judged) the thread's CPU time is printed: on a shared
 * machine the two differ by the time spent waiting for a core.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm-bench.h"
#include "crm-followup-private.h"
#include "crm-gen.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

#define SEED 20261129
#define N_CONTACTS 10000
#define N_FOLLOWUPS 100000
#define N_ON_BIG 10000
#define PAGE 50
#define RUNS 51
#define FRAME_MS 16.7
#define TODAY_MS 50.0
/* a fixed now: 12:00 in Shanghai */
#define NOW_UNIX G_GINT64_CONSTANT (1795924800)   /* 2026-11-29T04:00:00Z */

static const char *notes_words[] = {
  "谈了报价，客户嫌贵", "送了样品", "约了下周拜访", "微信沟通需求", "发了合同草稿",
  "电话没人接", "会议确认了交付时间", "Follow-up on the renewal", "客户在比价",
};

static char *
utc_text (gint64 unix_time)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static void
fill (CrmStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmGen) gen = crm_gen_new (SEED);
  g_autoptr (GPtrArray) contacts = crm_gen_batch (gen, N_CONTACTS);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 start = g_get_monotonic_time ();
  int rc = SQLITE_OK;

  if (!crm_store_insert_contacts (store, contacts, &error))
    g_error ("%s", error->message);
  if (!_crm_store_begin (store, &error))
    g_error ("%s", error->message);
  stmt = _crm_store_prepare (_crm_store_get_db (store),
                             "INSERT INTO followups (id, contact_id, happened_at, kind, notes,"
                             " next_step, next_at, done_at, created_at, updated_at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?3, ?3)",
                             0, "insert", &error);
  if (stmt == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; rc == SQLITE_OK && i < N_FOLLOWUPS; i++)
    {
      CrmContact *contact = contacts->pdata[i < N_ON_BIG ? 0
                                            : crm_gen_int (gen, 1, N_CONTACTS)];
      gint64 happened = NOW_UNIX - crm_gen_int (gen, 0, 2 * 365 * 24 * 3600);
      gint64 next = happened + crm_gen_int (gen, 1, 15) * 24 * 3600;
      gboolean has_step = crm_gen_int (gen, 0, 100) < 40;
      gboolean done = has_step && next < NOW_UNIX && crm_gen_int (gen, 0, 100) < 95;
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *happened_at = utc_text (happened);
      g_autofree char *next_at = has_step ? utc_text (next) : NULL;
      g_autofree char *done_at = done ? utc_text (next + 3600) : NULL;

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, crm_contact_get_id (contact), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, happened_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, crm_followup_kind_to_string (crm_gen_int (gen, 0, 6)), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, notes_words[crm_gen_int (gen, 0, G_N_ELEMENTS (notes_words))],
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, has_step ? "回访" : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, next_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, done_at, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
  if (!_crm_store_end (store, rc == SQLITE_OK, &error) || rc != SQLITE_OK)
    g_error ("cannot write the follow-ups: %s",
             error ? error->message : sqlite3_errmsg (_crm_store_get_db (store)));
  sqlite3_exec (_crm_store_get_db (store), "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)",
                NULL, NULL, NULL);
  printf ("set-up: %u contacts, %u follow-ups (%u on one contact) in %.1f s\n",
          N_CONTACTS, N_FOLLOWUPS, N_ON_BIG, crm_bench_ms_since (start) / 1000.0);
}

/* the last statement the store ran, with its values */
static char *traced_sql;

static int
on_trace (unsigned int  type,
          void         *data,
          void         *stmt,
          void         *sql)
{
  char *expanded = sqlite3_expanded_sql (stmt);

  g_free (traced_sql);
  traced_sql = g_strdup (expanded);
  sqlite3_free (expanded);
  return 0;
}

/* Prints the plan of the statement last traced; whether it names @index. */
static gboolean
print_plan (CrmStore   *store,
            const char *index)
{
  g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", traced_sql, NULL);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean uses = FALSE;

  stmt = _crm_store_prepare (_crm_store_get_db (store), sql, 0, "plan", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *detail = (const char *)sqlite3_column_text (stmt, 3);

      printf ("      %s\n", detail);
      uses |= strstr (detail, index) != NULL;
    }
  printf ("    uses %s: %s\n", index, uses ? "yes" : "NO");
  return uses;
}

/* one timed run: wall clock and this thread's CPU, in ms */
typedef struct
{
  GArray *wall;
  GArray *cpu;
  gint64  wall_start;
  double  cpu_start;
} Timing;

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
timing_init (Timing *timing)
{
  timing->wall = g_array_new (FALSE, FALSE, sizeof (double));
  timing->cpu = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
timing_start (Timing *timing)
{
  timing->cpu_start = cpu_ms ();
  timing->wall_start = g_get_monotonic_time ();
}

/* keeps the run unless it is @run 0, which warms the caches */
static void
timing_stop (Timing *timing,
             guint   run)
{
  double wall = crm_bench_ms_since (timing->wall_start);
  double cpu = cpu_ms () - timing->cpu_start;

  if (run == 0)
    return;
  g_array_append_val (timing->wall, wall);
  g_array_append_val (timing->cpu, cpu);
}

/* p50 and p95 (judged) of the wall clock beside @target_ms, then the CPU
 * time's; frees the timing */
static void
report (const char *what,
        Timing     *timing,
        double      target_ms,
        guint       rows)
{
  double p95;

  crm_bench_sort (timing->wall);
  crm_bench_sort (timing->cpu);
  p95 = crm_bench_percentile (timing->wall, 95);
  printf ("%s (%u rows): figure p50 %.2f ms, p95 %.2f ms (CPU p50 %.2f ms, p95 %.2f ms)"
          " — target p95 <= %.1f ms %s\n",
          what, rows, crm_bench_percentile (timing->wall, 50), p95,
          crm_bench_percentile (timing->cpu, 50), crm_bench_percentile (timing->cpu, 95),
          target_ms, p95 <= target_ms ? "PASS" : "FAIL");
  fflush (stdout);
  g_array_unref (timing->wall);
  g_array_unref (timing->cpu);
}

/* (a) the contact with 10,000 follow-ups: its count and first page */
static void
bench_timeline (CrmStore   *store,
                const char *contact_id)
{
  Timing first, last;
  guint count = 0, rows = 0;

  timing_init (&first);
  timing_init (&last);
  for (guint run = 0; run <= RUNS; run++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) page = NULL;

      timing_start (&first);
      count = crm_store_count_contact_followups (store, contact_id);
      page = crm_store_list_contact_followups (store, contact_id, 0, PAGE, &error);
      timing_stop (&first, run);
      if (page == NULL)
        g_error ("%s", error->message);
      rows = page->len;

      g_clear_pointer (&page, g_ptr_array_unref);
      timing_start (&last);
      page = crm_store_list_contact_followups (store, contact_id, count - PAGE, PAGE, NULL);
      timing_stop (&last, run);
    }
  g_assert (count == N_ON_BIG && rows == PAGE);
  report ("(a) a contact's 10,000 follow-ups: count + first page of 50", &first, FRAME_MS,
          rows);
  print_plan (store, "followups_by_contact");
  report ("    its last page of 50 (OFFSET 9,950), reported", &last, FRAME_MS, PAGE);
}

/* (b) Today: the open next steps until the end of the 7th day from
 * today; (c) the reminders a start after a long absence catches up on */
static void
bench_today (CrmStore *store)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (NOW_UNIX);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (now, tz);
  g_autoptr (GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (local),
                                                    g_date_time_get_month (local),
                                                    g_date_time_get_day_of_month (local),
                                                    0, 0, 0);
  g_autoptr (GDateTime) end = g_date_time_add_days (midnight, 8);
  g_autofree char *before = g_date_time_format_iso8601 (end);
  g_autofree char *until = utc_text (NOW_UNIX);
  Timing today, reminders;
  guint rows = 0, missed = 0;

  timing_init (&today);
  timing_init (&reminders);
  for (guint run = 0; run <= RUNS; run++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) due = NULL;

      timing_start (&today);
      due = crm_store_list_due_followups (store, before, 0, &error);
      timing_stop (&today, run);
      if (due == NULL)
        g_error ("%s", error->message);
      rows = due->len;
    }
  report ("(b) Today: open next steps until the end of today + 7 days", &today, TODAY_MS, rows);
  print_plan (store, "followups_due");

  for (guint run = 0; run <= RUNS; run++)
    {
      g_autoptr (GPtrArray) due = NULL;

      timing_start (&reminders);
      due = crm_store_list_reminders (store, NULL, until, NULL);
      timing_stop (&reminders, run);
      missed = due->len;
    }
  report ("(c) reminders missed while the app was closed (all up to now)", &reminders,
          TODAY_MS, missed);
  print_plan (store, "followups_due");
}

/* (d) logging one follow-up through the store's whole write path
 * (synchronous = FULL: the commit waits for the disk) */
static void
bench_save (CrmStore   *store,
            const char *contact_id)
{
  Timing save;

  timing_init (&save);
  for (guint run = 0; run <= RUNS; run++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmFollowup) followup = crm_followup_new ();

      crm_followup_set_contact_id (followup, contact_id);
      crm_followup_set_notes (followup, "电话沟通了报价");
      timing_start (&save);
      if (!crm_store_save_followup (store, followup, CRM_DEAL_N_STAGES, &error))
        g_error ("%s", error->message);
      timing_stop (&save, run);
    }
  report ("(d) log one follow-up on that contact (one transaction)", &save, FRAME_MS, 1);
}

int
main (int   argc,
      char *argv[])
{
  gboolean keep = argc > 1 && g_str_equal (argv[1], "--keep");
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autofree char *big = NULL;

  if (store == NULL)
    g_error ("%s", error->message);
  fill (store);
  big = crm_test_query_text (store, "SELECT contact_id FROM followups GROUP BY contact_id"
                             " ORDER BY count (*) DESC LIMIT 1");

  sqlite3_trace_v2 (_crm_store_get_db (store), SQLITE_TRACE_STMT, on_trace, NULL);
  bench_timeline (store, big);
  bench_today (store);
  sqlite3_trace_v2 (_crm_store_get_db (store), 0, NULL, NULL);
  bench_save (store, big);

  g_clear_object (&store);
  g_clear_pointer (&traced_sql, g_free);
  if (keep)
    printf ("the store: %s\n", dir);
  else
    crm_test_rm_rf (dir);
  return 0;
}
