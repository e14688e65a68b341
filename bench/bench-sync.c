/* bench-sync.c — sync on loopback, against a real xiaohe-crm-server process
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-sync      the whole report, each figure beside its target
 *
 * 1. 10,000 contacts made on one computer: its sync (push in batches of
 *    500, then the pull of its own changes) plus the pull on a second
 *    computer. Target: <= 2 s in all.
 * 2. The first sync of an empty computer when the company has 100,000
 *    records. Target: <= 10 s.
 * 3. The server's pull pages (limit 500) per second with 50 clients asking
 *    at once, for 5 s; and the server's memory (VmRSS, VmHWM) after it.
 * Contacts come from the benchmarks' generator (fixed seed); stores and the
 * server's data live in temporary folders, removed at the end.
 *
 * Beside each timed sync, the CPU time it took in this process and in the
 * server: on a shared machine the wall clock varies with the others' work.
 * For profiling a smaller run: BENCH_SYNC_FIRST and BENCH_SYNC_TOTAL change
 * the two counts (the targets are for the defaults), BENCH_SYNC_PARTS=1 or 2
 * stops after that part.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "crm-bench.h"
#include "crm-gen.h"
#include "crm-store-sync.h"
#include "crm-test-client.h"

#define SEED 20261129
#define SLUG "bench"
#define PASSWORD "bench password"
#define N_FIRST_DEFAULT 10000
#define N_TOTAL_DEFAULT 100000
#define N_CLIENTS 50
#define LOAD_SECONDS 5

static void
fill (CrmTestClient *client,
      CrmGen        *gen,
      guint          n)
{
  g_autoptr (GError) error = NULL;

  for (guint done = 0; done < n; done += 10000)
    {
      g_autoptr (GPtrArray) batch = crm_gen_batch (gen, MIN (10000, n - done));

      crm_store_insert_contacts (client->store, batch, &error);
      g_assert_no_error (error);
    }
}

static guint
env_count (const char *name,
           guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT32, &value, NULL))
    return fallback;
  return (guint) value;
}

/* CPU time (user and system) in ms: this process's, and the server's
 * (from /proc); beside the wall clock, a figure that a machine busy with
 * other work inflates much less */
static double
cpu_ms_self (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static double
cpu_ms_server (CrmTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", crm_test_server_get_pid (server));
  g_autofree char *stat = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return 0;
  /* after the name: state is field 3, utime 14 and stime 15 */
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         * 1000.0 / sysconf (_SC_CLK_TCK);
}

static void
print_cpu (const char    *what,
           double         client_start,
           double         server_start,
           CrmTestServer *server)
{
  printf ("  %s, CPU time: client %.0f ms, server %.0f ms\n", what, cpu_ms_self () - client_start,
          cpu_ms_server (server) - server_start);
  fflush (stdout);
}

static void
verdict (const char *what,
         double      ms,
         double      target_ms)
{
  printf ("%s: %.0f ms (target: <= %.0f ms) %s\n", what, ms, target_ms,
          ms <= target_ms ? "PASS" : "FAIL");
  fflush (stdout);
}

typedef struct
{
  SoupSession *session;
  char        *base;
  char        *auth;
  gint64       max_cursor;
  gint64       deadline;
  GRand       *rand;
  guint        completed;
  guint        failed;
  guint        in_flight;
} Load;

static void ask (Load *load);

static void
on_page (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Load *load = data;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (load->session, result, NULL);
  SoupMessage *message = soup_session_get_async_result_message (load->session, result);

  load->in_flight--;
  if (body != NULL && soup_message_get_status (message) == 200)
    load->completed++;
  else
    load->failed++;
  if (g_get_monotonic_time () < load->deadline)
    ask (load);
}

static void
ask (Load *load)
{
  gint64 cursor = g_rand_int_range (load->rand, 0, (gint32) MAX (1, load->max_cursor - 500));
  g_autofree char *url = g_strdup_printf ("%s/v1/sync/pull?cursor=%" G_GINT64_FORMAT
                                          "&limit=500", load->base, cursor);
  g_autoptr (SoupMessage) message = soup_message_new ("GET", url);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                load->auth);
  load->in_flight++;
  soup_session_send_and_read_async (load->session, message, G_PRIORITY_DEFAULT, NULL,
                                    on_page, load);
}

static gboolean
load_done (gpointer data)
{
  Load *load = data;

  return g_get_monotonic_time () >= load->deadline && load->in_flight == 0;
}

static void
print_memory (CrmTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", crm_test_server_get_pid (server));
  g_autofree char *status = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "VmRSS:") || g_str_has_prefix (lines[i], "VmHWM:"))
      printf ("server %s (target: none, reported)\n", g_strstrip (lines[i]));
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (CrmGen) gen = crm_gen_new (SEED);
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  g_autoptr (CrmTestClient) a = NULL;
  g_autoptr (CrmTestClient) b = NULL;
  g_autoptr (CrmTestClient) c = NULL;
  g_autofree char *token = NULL;
  Load load = { 0, };
  gint64 start;
  double a_ms, b_ms;
  double cpu_client, cpu_server;
  guint n_first = env_count ("BENCH_SYNC_FIRST", N_FIRST_DEFAULT);
  guint n_total = MAX (n_first, env_count ("BENCH_SYNC_TOTAL", N_TOTAL_DEFAULT));
  guint parts = env_count ("BENCH_SYNC_PARTS", 3);

  crm_test_server_add_company (server, SLUG, "Bench");
  crm_test_server_add_user (server, SLUG, "a", PASSWORD);
  crm_test_server_add_user (server, SLUG, "b", PASSWORD);
  crm_test_server_add_user (server, SLUG, "c", PASSWORD);
  crm_test_server_start (server);
  a = crm_test_client_new (server, SLUG, "a", PASSWORD, "a");
  b = crm_test_client_new (server, SLUG, "b", PASSWORD, "b");
  crm_sync_client_set_batch_size (a->sync, 500);

  /* 1 */
  fill (a, gen, n_first);
  g_assert_cmpuint (crm_store_outbox_count (a->store), ==, n_first);
  cpu_client = cpu_ms_self ();
  cpu_server = cpu_ms_server (server);
  start = g_get_monotonic_time ();
  crm_test_client_sync (a);
  a_ms = crm_bench_ms_since (start);
  start = g_get_monotonic_time ();
  crm_test_client_sync (b);
  b_ms = crm_bench_ms_since (start);
  print_cpu ("both computers' syncs", cpu_client, cpu_server, server);
  g_assert_cmpuint (crm_store_count_contacts (b->store), ==, n_first);
  printf ("push %u changes (and pull them back): %.0f ms; pull them on a second "
          "computer: %.0f ms\n", n_first, a_ms, b_ms);
  verdict ("10k changes pushed and pulled, in all", a_ms + b_ms, 2000);
  if (parts < 2)
    return 0;

  /* 2 */
  fill (a, gen, n_total - n_first);
  start = g_get_monotonic_time ();
  crm_test_client_sync (a);
  printf ("push %u more changes: %.0f ms (target: none, reported)\n", n_total - n_first,
          crm_bench_ms_since (start));
  c = crm_test_client_new (server, SLUG, "c", PASSWORD, "c");
  cpu_client = cpu_ms_self ();
  cpu_server = cpu_ms_server (server);
  start = g_get_monotonic_time ();
  crm_test_client_sync (c);
  print_cpu ("the first sync", cpu_client, cpu_server, server);
  g_assert_cmpuint (crm_store_count_contacts (c->store), ==, n_total);
  verdict ("first pull of 100k records into an empty computer", crm_bench_ms_since (start),
           10000);
  if (parts < 3)
    return 0;

  /* 3 */
  token = crm_test_server_login (server, SLUG, "b", PASSWORD);
  load.session = soup_session_new_with_options ("max-conns", N_CLIENTS + 4,
                                                "max-conns-per-host", N_CLIENTS + 4,
                                                "timeout", 30, NULL);
  load.base = g_strdup (crm_test_server_get_url (server));
  load.auth = g_strdup_printf ("Bearer %s", token);
  load.max_cursor = n_total;
  load.rand = g_rand_new_with_seed (SEED);
  start = g_get_monotonic_time ();
  load.deadline = start + LOAD_SECONDS * G_USEC_PER_SEC;
  for (guint i = 0; i < N_CLIENTS; i++)
    ask (&load);
  crm_test_wait_until (load_done, &load, LOAD_SECONDS + 60);
  /* the issue sets no target for this one: reported, failures counted */
  printf ("server: %.0f pull pages of 500 per second with %u clients at once, %u failed "
          "(target: none, reported)\n",
          load.completed / (crm_bench_ms_since (start) / 1000.0), N_CLIENTS, load.failed);
  print_memory (server);

  g_object_unref (load.session);
  g_free (load.base);
  g_free (load.auth);
  g_rand_free (load.rand);
  return 0;
}
