/* bench-server-pg.c — the server's pull and push throughput with 1, 2 and 4
 * `serve` processes on one PostgreSQL database, beside the SQLite backend
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-server-pg      the whole report (XIAOHE_CRM_SERVER names the binary)
 *
 * A company of 20,000 contacts (the benchmarks' generator, fixed seed,
 * synced up by a computer of the team), then 50 clients at once — each
 * asks again as soon as it has its answer, round-robin over the processes —
 * for 5 s each:
 *   pull  GET /v1/sync/pull of a random page of 500 of those records;
 *   push  POST /v1/sync/push of 20 new contacts (each push a transaction).
 * Printed: answered requests per second and the 95th percentile of their
 * latency. First SQLite (its one process: SQLite has one writer), then
 * PostgreSQL with 1, 2 and 4 processes. All pulls are measured before any
 * push, so every pull figure is on the same 20,000 records.
 *
 * The PostgreSQL cluster is tests/lib's throw-away one, with durability on
 * (XIAOHE_CRM_TEST_PG_FAST=0: fsync and synchronous commit, as a real
 * server has them): the push figures pay for a flush per commit, as
 * SQLite's do. The issue gives no target: the figures are for comparison,
 * and on a machine whose cores the database, the server processes and this
 * load generator share, more processes help only as far as there are cores.
 * BENCH_PG_SECONDS and BENCH_PG_RECORDS change the 5 s and the 20,000.
 *
 * Each client opens its connection before the clock starts and keeps it,
 * pushes included (SOUP_MESSAGE_IDEMPOTENT: libsoup otherwise opens a new
 * connection for every POST). Measured without that: `serve` listens with
 * libsoup's default backlog of 10 (`ss -ltn`), 50 connections opened at
 * once to one busy process overflow it (nstat's ListenOverflows), and
 * pushes see "Connection reset by peer" and SYN retries of a second and
 * more. Requests per second count the answers that arrived within the 5 s
 * (not those drained after it: with latencies of seconds, they would skew
 * it); a request without an answer is counted as failed.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-bench.h"
#include "crm-gen.h"
#include "crm-store-sync.h"
#include "crm-test-client.h"
#include "crm-test-pg.h"

#define SEED 20261130
#define SLUG "bench"
#define PASSWORD "bench password"
#define N_CLIENTS 50
#define MAX_PROCESSES 4
#define PUSH_BATCH 20
#define PULL_LIMIT 500

typedef struct
{
  SoupSession    *session;
  CrmTestServer **servers;
  guint           n_servers;
  guint           next_server;
  char           *auth;
  gboolean        push;
  gint64          max_cursor;
  gint64          deadline;
  GRand          *rand;
  GArray         *times;      /* ms of each request answered 200 */
  guint           in_window;  /* of those, answered before the deadline */
  guint           failed;
  guint           failures[600];  /* by status (0: no answer) */
  char           *first_error;    /* why the first request without an answer had none */
  guint           in_flight;
  guint           pushed;     /* contacts, for their names */
  char           *client_ids[N_CLIENTS];
} Load;

typedef struct
{
  Load  *load;
  guint  client;
  gint64 started;
} Ask;

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

static char *
push_body (Load  *load,
           guint  client)
{
  GString *body = g_string_new (NULL);

  g_string_append_printf (body, "{\"client_id\": \"%s\", \"mutations\": [",
                          load->client_ids[client]);
  for (guint i = 0; i < PUSH_BATCH; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      g_autofree char *id = g_uuid_string_random ();

      g_string_append_printf (body, "%s{\"mutation_id\": \"%s\", \"kind\": \"contact\", "
                              "\"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0, "
                              "\"fields\": {\"name\": \"压测 %u\"}}", i ? ", " : "",
                              mutation_id, id, load->pushed++);
    }
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

static void ask (Load *load, guint client);

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Ask *a = data;
  Load *load = a->load;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (load->session, result, &error);
  SoupMessage *message = soup_session_get_async_result_message (load->session, result);
  double ms = crm_bench_ms_since (a->started);
  guint status = body != NULL ? soup_message_get_status (message) : 0;

  load->in_flight--;
  if (status == 200)
    {
      g_array_append_val (load->times, ms);
      if (g_get_monotonic_time () < load->deadline)
        load->in_window++;
    }
  else
    {
      load->failed++;
      load->failures[MIN (status, G_N_ELEMENTS (load->failures) - 1)]++;
      if (error != NULL && load->first_error == NULL)
        load->first_error = g_strdup (error->message);
    }
  if (g_get_monotonic_time () < load->deadline)
    ask (load, a->client);
  g_free (a);
}

/* one request of client @client, to the next process in turn */
static void
ask (Load  *load,
     guint  client)
{
  CrmTestServer *server = load->servers[load->next_server++ % load->n_servers];
  g_autoptr (SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  Ask *a = g_new0 (Ask, 1);

  if (load->push)
    {
      g_autofree char *body = push_body (load, client);
      g_autoptr (GBytes) bytes = NULL;
      gsize length = strlen (body);

      url = g_strdup_printf ("%s/v1/sync/push", crm_test_server_get_url (server));
      message = soup_message_new ("POST", url);
      bytes = g_bytes_new_take (g_steal_pointer (&body), length);
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
      /* a push is idempotent (by its mutation ids): on a kept connection,
       * where libsoup would open a new one for every POST */
      soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
    }
  else
    {
      gint64 cursor = g_rand_int_range (load->rand, 0,
                                        (gint32) MAX (1, load->max_cursor - PULL_LIMIT));

      url = g_strdup_printf ("%s/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=%d",
                             crm_test_server_get_url (server), cursor, PULL_LIMIT);
      message = soup_message_new ("GET", url);
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                load->auth);
  a->load = load;
  a->client = client;
  a->started = g_get_monotonic_time ();
  load->in_flight++;
  soup_session_send_and_read_async (load->session, message, G_PRIORITY_DEFAULT, NULL,
                                    on_answer, a);
}

static gboolean
load_done (gpointer data)
{
  Load *load = data;

  return g_get_monotonic_time () >= load->deadline && load->in_flight == 0;
}

typedef struct
{
  guint pending;
  guint reset;    /* answered without a status: opened again */
} WarmUp;

static void
on_warm (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  WarmUp *w = data;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               NULL);
  if (body == NULL)
    w->reset++;
  w->pending--;
}

static gboolean
warm_done (gpointer data)
{
  return ((WarmUp *) data)->pending == 0;
}

/* one connection per client, opened before the clock starts: the figures
 * are for clients that keep theirs, as the app's engine does. Connections
 * reset on the way are tried again, up to 10 rounds; returns how many
 * were reset. */
static guint
warm_up (Load *load)
{
  WarmUp w = { 0 };
  guint missing = N_CLIENTS;

  for (guint round = 0; round < 10 && missing > 0; round++)
    {
      guint reset_before = w.reset;

      for (guint i = 0; i < missing; i++)
        {
          CrmTestServer *server = load->servers[i % load->n_servers];
          g_autofree char *url = g_strdup_printf ("%s/v1/health",
                                                  crm_test_server_get_url (server));
          g_autoptr (SoupMessage) message = soup_message_new ("GET", url);

          w.pending++;
          soup_session_send_and_read_async (load->session, message, G_PRIORITY_DEFAULT, NULL,
                                            on_warm, &w);
        }
      crm_test_wait_until (warm_done, &w, 120);
      missing = w.reset - reset_before;
    }
  return w.reset;
}

/* 50 clients for @seconds against @servers; prints the figure */
static void
run_load (const char     *backend,
          CrmTestServer **servers,
          guint           n_servers,
          gboolean        push,
          gint64          max_cursor,
          guint           seconds,
          const char     *token)
{
  Load load = { 0 };
  GString *failures;
  guint warm_resets;
  gint64 start;

  load.session = soup_session_new_with_options ("max-conns", N_CLIENTS + 4,
                                                "max-conns-per-host", N_CLIENTS + 4,
                                                "timeout", 60, NULL);
  load.servers = servers;
  load.n_servers = n_servers;
  load.auth = g_strdup_printf ("Bearer %s", token);
  load.push = push;
  load.max_cursor = max_cursor;
  load.rand = g_rand_new_with_seed (SEED);
  load.times = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < N_CLIENTS; i++)
    load.client_ids[i] = g_uuid_string_random ();

  warm_resets = warm_up (&load);
  start = g_get_monotonic_time ();
  load.deadline = start + seconds * G_USEC_PER_SEC;
  for (guint i = 0; i < N_CLIENTS; i++)
    ask (&load, i);
  crm_test_wait_until (load_done, &load, seconds + 120);

  crm_bench_sort (load.times);
  failures = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (load.failures); i++)
    {
      if (load.failures[i] == 0)
        continue;
      g_string_append (failures, failures->len ? ", " : " (");
      if (i == 0)
        g_string_append_printf (failures, "%u× no answer", load.failures[i]);
      else
        g_string_append_printf (failures, "%u× %u", load.failures[i], i);
    }
  printf ("%-10s %u process%s %s: %6.0f requests/s, p95 %5.0f ms; %u failed%s%s "
          "(no target: compare)\n", backend, n_servers, n_servers == 1 ? "  " : "es",
          push ? "push of 20 " : "pull of 500", (double) load.in_window / seconds,
          load.times->len > 0 ? crm_bench_percentile (load.times, 95) : 0.0, load.failed,
          failures->str, failures->len ? ")" : "");
  if (load.first_error != NULL)
    printf ("  (the first request without an answer: %s)\n", load.first_error);
  if (warm_resets > 0)
    printf ("  (opening the 50 connections first, before the clock: %u were reset and "
            "opened again)\n", warm_resets);
  fflush (stdout);
  g_string_free (failures, TRUE);
  g_free (load.first_error);

  for (guint i = 0; i < N_CLIENTS; i++)
    g_free (load.client_ids[i]);
  g_array_unref (load.times);
  g_rand_free (load.rand);
  g_free (load.auth);
  g_object_unref (load.session);
}

/* the company's records, made on a computer of the team and synced up */
static void
fill (CrmTestServer *server,
      guint          records)
{
  g_autoptr (CrmGen) gen = crm_gen_new (SEED);
  g_autoptr (CrmTestClient) client = crm_test_client_new (server, SLUG, "a", PASSWORD, "a");
  g_autoptr (GError) error = NULL;

  for (guint done = 0; done < records; done += 10000)
    {
      g_autoptr (GPtrArray) batch = crm_gen_batch (gen, MIN (10000, records - done));

      crm_store_insert_contacts (client->store, batch, &error);
      g_assert_no_error (error);
    }
  crm_sync_client_set_batch_size (client->sync, 500);
  crm_test_client_sync (client);
  g_assert_cmpuint (crm_store_outbox_count (client->store), ==, 0);
}

/* @n processes on one data: the first made with its company, the others
 * `init`ed on its database */
static void
start_servers (CrmTestServer **servers,
               guint           n,
               const char     *database)
{
  servers[0] = crm_test_server_new_on (database);
  crm_test_server_add_company (servers[0], SLUG, "Bench");
  crm_test_server_add_user (servers[0], SLUG, "a", PASSWORD);
  crm_test_server_add_user (servers[0], SLUG, "b", PASSWORD);
  crm_test_server_start (servers[0]);
  for (guint i = 1; i < n; i++)
    {
      servers[i] = crm_test_server_new_on (database);
      crm_test_server_start (servers[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  guint seconds = env_count ("BENCH_PG_SECONDS", 5);
  guint records = env_count ("BENCH_PG_RECORDS", 20000);
  const guint counts[] = { 1, 2, MAX_PROCESSES };
  CrmTestServer *sqlite[1] = { NULL };
  CrmTestServer *pg[MAX_PROCESSES] = { NULL };
  g_autofree char *database = NULL;
  g_autofree char *token = NULL;
  g_autofree char *fsync = NULL;
  g_autofree char *commit = NULL;
  g_autofree char *version = NULL;

  /* SQLite for the first, whatever the tests' switch says; PostgreSQL
   * durable unless asked otherwise */
  g_unsetenv ("XIAOHE_CRM_TEST_BACKEND");
  g_setenv ("XIAOHE_CRM_TEST_PG_FAST", "0", FALSE);

  printf ("%u clients at once for %u s each, on a company of %u contacts; pull: a random "
          "page of %d, push: %d new contacts in one transaction; processes in turn\n",
          N_CLIENTS, seconds, records, PULL_LIMIT, PUSH_BATCH);
  printf ("(%ld cores here, shared by the database, the server processes and this "
          "load)\n", sysconf (_SC_NPROCESSORS_ONLN));
  fflush (stdout);

  start_servers (sqlite, 1, NULL);
  fill (sqlite[0], records);
  token = crm_test_server_login (sqlite[0], SLUG, "b", PASSWORD);
  run_load ("SQLite", sqlite, 1, FALSE, records, seconds, token);
  run_load ("SQLite", sqlite, 1, TRUE, records, seconds, token);
  crm_test_server_free (sqlite[0]);
  g_clear_pointer (&token, g_free);

  database = crm_test_pg_new_database (crm_test_pg_get ());
  fsync = crm_test_pg_query (database, "SHOW fsync");
  commit = crm_test_pg_query (database, "SHOW synchronous_commit");
  version = crm_test_pg_query (database, "SHOW server_version");
  printf ("PostgreSQL %s: fsync %s, synchronous_commit %s\n", version, fsync, commit);
  start_servers (pg, MAX_PROCESSES, database);
  fill (pg[0], records);
  /* one token: every process knows it, the database is theirs in common */
  token = crm_test_server_login (pg[0], SLUG, "b", PASSWORD);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    run_load ("PostgreSQL", pg, counts[i], FALSE, records, seconds, token);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    run_load ("PostgreSQL", pg, counts[i], TRUE, records, seconds, token);
  printf ("requests/s: answers (200) that arrived within the %u s; p95: 95%% of the answers "
          "took at most that long\n(push: x %d for records/s); each client on a connection "
          "of its own, kept.\n", seconds, PUSH_BATCH);

  for (guint i = 0; i < MAX_PROCESSES; i++)
    crm_test_server_free (pg[i]);
  return 0;
}
