/* test-server-pg.c — several `serve` processes on one PostgreSQL database
 * (tests/lib's throw-away cluster, whatever XIAOHE_CRM_TEST_BACKEND says):
 * the fixture itself; computers signed in to different processes converge;
 * the same push sent to both processes at once is applied once; the change
 * feed read through either process misses nothing under 8 concurrent
 * writers; PostgreSQL restarted in the middle of a sync loses nothing and
 * crashes no server.
 *
 * What "applied once" and "nothing lost" are measured with is read from the
 * database itself (crm_test_pg_query): the company's sequence counts every
 * change the backend committed, the records table what it holds.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "crm-store-sync.h"
#include "crm-test-client.h"
#include "crm-test-pg.h"

#define SLUG "team"
#define PASSWORD "correct horse 1"

/* the PostgreSQL backend's schema (crm-server-pg.c): the company's last
 * seq, and its live contacts */
#define SQL_COMPANY_SEQ "SELECT seq FROM companies WHERE slug = '" SLUG "'"
#define SQL_LIVE_CONTACTS \
  "SELECT count(*) FROM records r JOIN companies c ON c.id = r.company_id " \
  "WHERE c.slug = '" SLUG "' AND r.kind = 'contact' AND NOT r.deleted"

#define N_WRITERS 8
#define WRITER_BATCHES 40
#define BATCH_SIZE 5
#define SAME_PUSH_ROUNDS 20
#define RESTART_CONTACTS 3000

typedef struct
{
  CrmTestServer *one;
  CrmTestServer *two;
  const char    *database;   /* one's: both processes use it */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *database = crm_test_pg_new_database (crm_test_pg_get ());

  f->one = crm_test_server_new_on (database);
  f->database = crm_test_server_get_database (f->one);
  g_assert_cmpstr (f->database, ==, database);
  crm_test_server_add_company (f->one, SLUG, "Team");
  crm_test_server_add_user (f->one, SLUG, "wang", PASSWORD);
  crm_test_server_add_user (f->one, SLUG, "li", PASSWORD);
  crm_test_server_start (f->one);
  /* a second data folder on the same database: nothing added through it */
  f->two = crm_test_server_new_on (f->database);
  crm_test_server_start (f->two);
  g_assert_cmpstr (crm_test_server_get_url (f->one), !=, crm_test_server_get_url (f->two));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  crm_test_server_free (f->two);
  crm_test_server_free (f->one);
}

static gint64
query_int (const char *database,
           const char *sql)
{
  g_autofree char *text = crm_test_pg_query (database, sql);

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

/* the company's sequence: every change the backend committed */
static gint64
company_seq (Fixture *f)
{
  return query_int (f->database, SQL_COMPANY_SEQ);
}

static void
assert_same (CrmTestClient *x,
             CrmTestClient *y)
{
  g_autofree char *dx = crm_test_client_dump (x);
  g_autofree char *dy = crm_test_client_dump (y);

  g_assert_cmpstr (dx, ==, dy);
}

static void
test_fixture (void)
{
  CrmTestPg *pg = crm_test_pg_get ();
  g_autofree char *first = crm_test_pg_new_database (pg);
  g_autofree char *second = crm_test_pg_new_database (pg);
  g_autofree char *kept = NULL;
  g_autofree char *other = NULL;
  int port = crm_test_pg_get_port (pg);

  g_assert_true (crm_test_pg_is_running (pg));
  g_assert_cmpstr (first, !=, second);
  g_free (crm_test_pg_query (first, "CREATE TABLE t (v text)"));
  g_free (crm_test_pg_query (first, "INSERT INTO t VALUES ('小禾')"));
  /* each database is new: the other has no such table */
  other = crm_test_pg_query (second, "SELECT count(*) FROM pg_tables WHERE tablename = 't'");
  g_assert_cmpstr (other, ==, "0");

  crm_test_pg_stop (pg);
  g_assert_false (crm_test_pg_is_running (pg));
  crm_test_pg_start (pg);
  g_assert_true (crm_test_pg_is_running (pg));
  g_assert_cmpint (crm_test_pg_get_port (pg), ==, port);
  kept = crm_test_pg_query (first, "SELECT v FROM t");
  g_assert_cmpstr (kept, ==, "小禾");
}

/* computers signed in to different processes reach the same data */
static void
test_converge (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (CrmTestClient) a = crm_test_client_new (f->one, SLUG, "wang", PASSWORD, "a");
  g_autoptr (CrmTestClient) b = crm_test_client_new (f->two, SLUG, "li", PASSWORD, "b");
  g_autoptr (CrmContact) on_a = crm_test_add (a->store, "张三", "13800138000", NULL);
  g_autoptr (CrmContact) on_b = crm_test_add (b->store, "李四", "13900139000", NULL);
  g_autoptr (CrmContact) seen_a = NULL;
  g_autoptr (CrmContact) seen_b = NULL;
  gint64 before = company_seq (f);

  crm_test_client_sync (a);
  crm_test_client_sync (b);
  crm_test_client_sync (a);
  g_assert_cmpuint (crm_store_count_contacts (a->store), ==, 2);

  /* each edits the other's contact, through its own process */
  crm_test_client_edit (a, on_b, CRM_CONTACT_FIELD_TITLE, "经理");
  crm_test_client_edit (b, on_a, CRM_CONTACT_FIELD_COMPANY, "小禾科技");
  for (guint i = 0; i < 2; i++)
    {
      crm_test_client_sync (a);
      crm_test_client_sync (b);
    }

  assert_same (a, b);
  seen_a = crm_test_client_find (b, "张三");
  seen_b = crm_test_client_find (a, "李四");
  g_assert_nonnull (seen_a);
  g_assert_nonnull (seen_b);
  g_assert_cmpstr (crm_contact_get_field (seen_a, CRM_CONTACT_FIELD_COMPANY), ==, "小禾科技");
  g_assert_cmpstr (crm_contact_get_field (seen_b, CRM_CONTACT_FIELD_TITLE), ==, "经理");
  g_assert_cmpuint (crm_store_outbox_count (a->store), ==, 0);
  g_assert_cmpuint (crm_store_outbox_count (b->store), ==, 0);
  g_assert_cmpint (company_seq (f), ==, before + 4);   /* two creates, two edits */
}

/* ---- the same push to both processes at once ---- */

static SoupMessage *
new_message (CrmTestServer *server,
             const char    *method,
             const char    *path,
             const char    *auth,
             const char    *json)
{
  g_autofree char *url = g_strconcat (crm_test_server_get_url (server), path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (json != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

/* the first result of a push's answer: its status and version */
static void
first_result (const char  *answer,
              char       **status,
              gint64      *version)
{
  g_autoptr (JsonObject) push = crm_test_json_object (answer);
  JsonObject *result;

  g_assert_nonnull (push);
  result = crm_test_push_result (push, 0);
  *status = g_strdup (json_object_get_string_member_with_default (result, "status", ""));
  *version = json_object_get_int_member_with_default (result, "version", -1);
}

static guint
count_changes_of (JsonObject *pull,
                  const char *id)
{
  JsonArray *changes = json_object_get_array_member (pull, "changes");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (
                     json_array_get_object_element (changes, i), "id", NULL), id) == 0)
      n++;
  return n;
}

/* Both processes get the same mutation in flight together, 20 times. Each
 * must answer 200 with the same version; one applied it, the other says
 * duplicate; the record is in the feed once and the company's seq went up
 * by exactly one. A backend that checked for the mutation id before taking
 * the company's lock (or without the unique key) applies it twice here. */
static void
test_same_mutation_once (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autofree char *token = crm_test_server_login (f->one, SLUG, "li", PASSWORD);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  CrmTestServer *servers[2] = { f->one, f->two };

  for (guint round = 0; round < SAME_PUSH_ROUNDS; round++)
    {
      g_autofree char *client_id = g_uuid_string_random ();
      g_autofree char *record_id = g_uuid_string_random ();
      g_autofree char *mutation_id = g_uuid_string_random ();
      g_autofree char *body = g_strdup_printf (
        "{\"client_id\": \"%s\", \"mutations\": [{\"mutation_id\": \"%s\", "
        "\"kind\": \"contact\", \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0, "
        "\"fields\": {\"name\": \"同时 %u\"}}]}", client_id, mutation_id, record_id, round);
      CrmTestWaiter waiters[2] = { { FALSE, NULL }, { FALSE, NULL } };
      SoupMessage *messages[2] = { NULL, NULL };
      char *statuses[2] = { NULL, NULL };
      gint64 versions[2] = { -1, -1 };
      g_autoptr (JsonObject) pull = NULL;
      gint64 before = company_seq (f);

      /* both sent before either answer is read: in flight together */
      for (guint i = 0; i < 2; i++)
        {
          messages[i] = new_message (servers[i], "POST", "/v1/sync/push", auth, body);
          soup_session_send_and_read_async (session, messages[i], G_PRIORITY_DEFAULT, NULL,
                                            crm_test_waiter_done, &waiters[i]);
        }
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr (GBytes) answer = NULL;
          g_autoptr (GError) error = NULL;
          g_autofree char *text = NULL;

          crm_test_wait_flag (&waiters[i].done, 30);
          answer = soup_session_send_and_read_finish (session, waiters[i].result, &error);
          g_clear_object (&waiters[i].result);
          g_assert_no_error (error);
          text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
          if (soup_message_get_status (messages[i]) != 200)
            g_test_message ("process %u: %u %s", i + 1, soup_message_get_status (messages[i]),
                            text);
          g_assert_cmpuint (soup_message_get_status (messages[i]), ==, 200);
          first_result (text, &statuses[i], &versions[i]);
          g_object_unref (messages[i]);
        }

      g_assert_cmpint (versions[0], ==, versions[1]);
      g_assert_cmpint (versions[0], ==, before + 1);
      g_assert_true ((g_strcmp0 (statuses[0], "applied") == 0
                      && g_strcmp0 (statuses[1], "duplicate") == 0)
                     || (g_strcmp0 (statuses[0], "duplicate") == 0
                         && g_strcmp0 (statuses[1], "applied") == 0));
      pull = crm_test_server_pull (servers[round % 2], token, before);
      g_assert_cmpuint (count_changes_of (pull, record_id), ==, 1);
      g_assert_cmpint (company_seq (f), ==, before + 1);
      g_free (statuses[0]);
      g_free (statuses[1]);
    }
}

/* ---- the feed under 8 concurrent writers ---- */

typedef struct
{
  guint       index;
  const char *urls[2];
  const char *auth;
  gint       *running;    /* writers not finished yet (atomic) */
  GPtrArray  *ids;        /* the records it made */
  GHashTable *final;      /* id → the version of its last change */
  GArray     *versions;   /* every version it was answered (gint64) */
  char       *error;      /* what went wrong, or NULL */
} Writer;

/* one push, repeated while the server answers 503 (busy: the protocol's
 * "try again"); the answer's text, or NULL with w->error set */
static char *
writer_push (Writer      *w,
             SoupSession *session,
             const char  *url,
             const char  *body)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autoptr (GBytes) answer = NULL;
      g_autoptr (GError) error = NULL;
      guint status;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    w->auth);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      answer = soup_session_send_and_read (session, msg, NULL, &error);
      status = soup_message_get_status (msg);
      if (answer != NULL && status == 200)
        return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
      if (answer == NULL || status != 503 || g_get_monotonic_time () > deadline)
        {
          w->error = g_strdup_printf ("writer %u: push to %s: %u %s", w->index, url, status,
                                      error ? error->message : "");
          return NULL;
        }
      g_usleep (20 * 1000);   /* a short back-off before the same push again */
    }
}

/* WRITER_BATCHES pushes of BATCH_SIZE mutations, alternating between the
 * processes: new contacts, and in each batch one update of a contact it
 * made earlier (so that the reader also sees records move forward) */
static gpointer
writer_run (gpointer data)
{
  Writer *w = data;
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *client_id = g_uuid_string_random ();

  for (guint batch = 0; batch < WRITER_BATCHES && w->error == NULL; batch++)
    {
      g_autoptr (GString) body = g_string_new (NULL);
      g_autoptr (GPtrArray) batch_ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (JsonObject) push = NULL;
      g_autofree char *url = g_strconcat (w->urls[(batch + w->index) % 2], "/v1/sync/push",
                                          NULL);
      g_autofree char *answer = NULL;

      g_string_append_printf (body, "{\"client_id\": \"%s\", \"mutations\": [", client_id);
      for (guint j = 0; j < BATCH_SIZE; j++)
        {
          g_autofree char *mutation = NULL;
          char *id;

          if (j == BATCH_SIZE - 1 && w->ids->len > 0)
            {
              id = g_strdup (g_ptr_array_index (w->ids, (batch * 7) % w->ids->len));
              mutation = g_strdup_printf ("{\"kind\": \"contact\", \"id\": \"%s\", "
                                          "\"op\": \"upsert\", \"base_version\": %d, "
                                          "\"fields\": {\"notes\": \"batch %u\"}, ", id,
                                          GPOINTER_TO_INT (g_hash_table_lookup (w->final, id)),
                                          batch);
            }
          else
            {
              id = g_uuid_string_random ();
              mutation = g_strdup_printf ("{\"kind\": \"contact\", \"id\": \"%s\", "
                                          "\"op\": \"upsert\", \"base_version\": 0, "
                                          "\"fields\": {\"name\": \"写者 %u-%u-%u\"}, ",
                                          id, w->index, batch, j);
            }
          {
            g_autofree char *mutation_id = g_uuid_string_random ();

            g_string_append_printf (body, "%s%s\"mutation_id\": \"%s\"}", j ? ", " : "",
                                    mutation, mutation_id);
          }
          g_ptr_array_add (batch_ids, id);
        }
      g_string_append (body, "]}");

      answer = writer_push (w, session, url, body->str);
      if (answer == NULL)
        break;
      push = crm_test_json_object (answer);
      for (guint j = 0; push != NULL && j < BATCH_SIZE; j++)
        {
          JsonObject *result = crm_test_push_result (push, j);
          const char *id = g_ptr_array_index (batch_ids, j);
          gint64 version = json_object_get_int_member_with_default (result, "version", -1);

          if (g_strcmp0 (json_object_get_string_member_with_default (result, "status", ""),
                         "applied") != 0 || version <= 0)
            {
              w->error = g_strdup_printf ("writer %u: not applied: %s", w->index, answer);
              break;
            }
          if (!g_hash_table_contains (w->final, id))
            g_ptr_array_add (w->ids, g_strdup (id));
          g_hash_table_replace (w->final, g_strdup (id), GINT_TO_POINTER ((int) version));
          g_array_append_val (w->versions, version);
        }
      if (push == NULL)
        w->error = g_strdup_printf ("writer %u: not JSON: %s", w->index, answer);
    }
  g_atomic_int_add (w->running, -1);
  return NULL;
}

typedef struct
{
  gint64      cursor;
  gint64      last_seq;   /* the highest seq returned so far */
  GHashTable *seen;       /* id → the highest version pulled */
  guint       pulls;
} Reader;

/* one incremental pull (limit 50, to read in many small pages while the
 * writers write) through @server; FALSE when the feed is caught up */
static gboolean
reader_pull (Reader        *r,
             CrmTestServer *server,
             const char    *token)
{
  g_autofree char *path = g_strdup_printf ("/v1/sync/pull?cursor=%" G_GINT64_FORMAT
                                           "&limit=50", r->cursor);
  g_autofree char *answer = NULL;
  g_autoptr (JsonObject) pull = NULL;
  JsonArray *changes;
  guint status = crm_test_http_json (server, "GET", path, token, NULL, &answer);
  guint n;

  if (status == 503)
    return TRUE;   /* busy: again */
  if (status != 200)
    g_test_message ("pull: %u %s", status, answer);
  g_assert_cmpuint (status, ==, 200);
  pull = crm_test_json_object (answer);
  g_assert_nonnull (pull);
  changes = json_object_get_array_member (pull, "changes");
  n = json_array_get_length (changes);
  r->pulls++;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      gint64 seq = json_object_get_int_member (change, "seq");
      const char *id = json_object_get_string_member (change, "id");

      /* in order, after the cursor, never twice */
      g_assert_cmpint (seq, >, r->last_seq);
      g_assert_cmpint (seq, >, r->cursor);
      g_assert_cmpint (json_object_get_int_member (change, "version"), ==, seq);
      r->last_seq = seq;
      g_hash_table_replace (r->seen, g_strdup (id), GINT_TO_POINTER ((int) seq));
    }
  /* the cursor moves to the last change returned, never past it */
  g_assert_cmpint (json_object_get_int_member (pull, "next_cursor"), ==,
                   n > 0 ? r->last_seq : r->cursor);
  r->cursor = json_object_get_int_member (pull, "next_cursor");
  return n > 0 || json_object_get_boolean_member (pull, "has_more");
}

static int
compare_versions (gconstpointer a,
                  gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* 8 writers push at once through both processes while a reader pulls
 * incrementally, alternating processes. At the end every record pushed was
 * pulled, at its final version, and the versions answered to the writers
 * are exactly before+1 … before+N.
 *
 * Why this catches a skipped change: a backend that numbers changes
 * outside the company's lock (a PostgreSQL SEQUENCE, say) can commit seq 10
 * after seq 11. A reader that pulled in between got 11 and moved its
 * cursor to 11; seq 10 then sits behind the cursor and is never sent.
 * Most changes here are creates, whose record never changes again, so the
 * record of a skipped seq is missing from what the reader pulled (the
 * union check), and a skipped last update leaves an older version seen
 * (the final-version check). The reader pulls in pages of 50 all the while
 * the writers write, so such a window is crossed many times. */
static void
test_feed_no_gaps (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *token = crm_test_server_login (f->one, SLUG, "wang", PASSWORD);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  CrmTestServer *servers[2] = { f->one, f->two };
  Writer writers[N_WRITERS];
  GThread *threads[N_WRITERS];
  gint running = N_WRITERS;
  Reader r = { 0 };
  gint64 before = company_seq (f);
  gint64 deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  guint records = 0;
  guint while_writing;

  r.cursor = r.last_seq = before;
  r.seen = seen;
  for (guint i = 0; i < N_WRITERS; i++)
    {
      writers[i] = (Writer) {
        .index = i,
        .urls = { crm_test_server_get_url (f->one), crm_test_server_get_url (f->two) },
        .auth = auth,
        .running = &running,
        .ids = g_ptr_array_new_with_free_func (g_free),
        .final = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
        .versions = g_array_new (FALSE, FALSE, sizeof (gint64)),
      };
      threads[i] = g_thread_new ("writer", writer_run, &writers[i]);
    }

  /* while they write, and then until caught up */
  while (g_atomic_int_get (&running) > 0)
    {
      reader_pull (&r, servers[r.pulls % 2], token);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  while_writing = r.pulls;
  while (reader_pull (&r, servers[r.pulls % 2], token))
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
  g_test_message ("%u pulls, %u of them while the writers wrote", r.pulls, while_writing);

  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_thread_join (threads[i]);
      if (writers[i].error != NULL)
        g_test_message ("%s", writers[i].error);
      g_assert_null (writers[i].error);
    }

  for (guint i = 0; i < N_WRITERS; i++)
    {
      GHashTableIter iter;
      gpointer id, version;

      g_array_append_vals (all, writers[i].versions->data, writers[i].versions->len);
      g_hash_table_iter_init (&iter, writers[i].final);
      while (g_hash_table_iter_next (&iter, &id, &version))
        {
          if (!g_hash_table_contains (seen, id))
            g_test_message ("never pulled: %s (version %d)", (char *) id,
                            GPOINTER_TO_INT (version));
          g_assert_true (g_hash_table_contains (seen, id));
          g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (seen, id)), ==,
                           GPOINTER_TO_INT (version));
          records++;
        }
      g_ptr_array_unref (writers[i].ids);
      g_hash_table_unref (writers[i].final);
      g_array_unref (writers[i].versions);
    }
  /* nothing pulled that nobody pushed */
  g_assert_cmpuint (g_hash_table_size (seen), ==, records);

  /* the versions answered: each once, no gap */
  g_assert_cmpuint (all->len, ==, N_WRITERS * WRITER_BATCHES * BATCH_SIZE);
  g_array_sort (all, compare_versions);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (g_array_index (all, gint64, i), ==, before + 1 + i);
  g_assert_cmpint (company_seq (f), ==, before + all->len);
  g_assert_cmpint (r.last_seq, ==, before + all->len);
}

/* ---- PostgreSQL restarted in the middle of a sync ---- */

static gboolean
log_has (CrmTestServer *server,
         const char    *text)
{
  g_autofree char *log = crm_test_server_get_log (server);

  return strstr (log, text) != NULL;
}

typedef struct
{
  CrmTestServer *server;
  gboolean      *sync_done;
} PushWait;

static gboolean
first_push_or_done (gpointer data)
{
  PushWait *w = data;

  return *w->sync_done || log_has (w->server, "POST /v1/sync/push 200");
}

static gboolean
refused_or_done (gpointer data)
{
  PushWait *w = data;

  return *w->sync_done || log_has (w->server, "POST /v1/sync/push 503");
}

/* sync rounds until one succeeds; a failure must be one worth retrying */
static void
sync_until_done (CrmTestClient *client)
{
  gint64 deadline = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (GError) error = NULL;

      if (crm_test_client_try_sync (client, &error))
        return;
      g_test_message ("%s: sync failed, again: %s", client->label, error->message);
      g_assert_true (g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER)
                     || g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static void
assert_unavailable (CrmTestServer *server,
                    const char    *token)
{
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GHashTable) headers = NULL;
  guint status = crm_test_http (server, "GET", "/v1/sync/pull?cursor=0&limit=10", token,
                                NULL, NULL, &answer, &headers);

  g_assert_cmpuint (status, ==, 503);
  g_assert_nonnull (g_hash_table_lookup (headers, "retry-after"));
}

/* 3,000 contacts pushed in batches of 10; PostgreSQL is stopped after the
 * first batch is in, and started again once a push got 503. The sync
 * finishes by retrying, a computer on the other process gets the same
 * data, the database holds 3,000 contacts, and neither process crashed nor
 * answered 500 (a failure that is not the database being away). */
static void
test_restart_mid_sync (Fixture       *f,
                       gconstpointer  data)
{
  CrmTestPg *pg = crm_test_pg_get ();
  g_autoptr (CrmTestClient) a = crm_test_client_new (f->one, SLUG, "wang", PASSWORD, "a");
  g_autoptr (CrmTestClient) b = NULL;
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *token = crm_test_server_login (f->two, SLUG, "li", PASSWORD);
  g_autoptr (GError) error = NULL;
  CrmTestWaiter waiter = { FALSE, NULL };
  PushWait w = { f->one, &waiter.done };

  for (guint i = 0; i < RESTART_CONTACTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户 %04u", i);

      g_ptr_array_add (contacts, crm_test_contact (name, NULL, NULL));
    }
  crm_store_insert_contacts (a->store, contacts, &error);
  g_assert_no_error (error);
  crm_sync_client_set_batch_size (a->sync, 10);

  crm_sync_client_sync_async (a->sync, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_until (first_push_or_done, &w, 60);
  g_assert_false (waiter.done);   /* in the middle of it */
  crm_test_pg_stop (pg);

  /* the sync's next push is refused as "try again", not failed */
  crm_test_wait_until (refused_or_done, &w, 60);
  g_assert_true (log_has (f->one, "POST /v1/sync/push 503"));
  /* the other process too, when asked during the outage */
  assert_unavailable (f->two, token);
  g_assert_true (crm_test_server_is_running (f->one));
  g_assert_true (crm_test_server_is_running (f->two));

  crm_test_pg_start (pg);
  crm_test_wait_flag (&waiter.done, 120);
  if (!crm_sync_client_sync_finish (a->sync, waiter.result, &error))
    g_test_message ("the interrupted sync: %s", error->message);
  g_clear_error (&error);
  g_object_unref (waiter.result);
  sync_until_done (a);
  g_assert_cmpuint (crm_store_outbox_count (a->store), ==, 0);

  b = crm_test_client_new (f->two, SLUG, "li", PASSWORD, "b");
  sync_until_done (b);
  g_assert_cmpuint (crm_store_count_contacts (b->store), ==, RESTART_CONTACTS);
  assert_same (a, b);
  g_assert_cmpint (query_int (f->database, SQL_LIVE_CONTACTS), ==, RESTART_CONTACTS);

  g_assert_true (crm_test_server_is_running (f->one));
  g_assert_true (crm_test_server_is_running (f->two));
  g_assert_false (log_has (f->one, " 500 "));
  g_assert_false (log_has (f->two, " 500 "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg/fixture/restart", test_fixture);
#define ADD(path, func) \
  g_test_add ("/pg/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("two-processes/converge", test_converge);
  ADD ("two-processes/same-mutation-once", test_same_mutation_once);
  ADD ("feed/no-gaps", test_feed_no_gaps);
  ADD ("restart-mid-sync", test_restart_mid_sync);
#undef ADD

  return g_test_run ();
}
