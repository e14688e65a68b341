/* test-server-ops.c — running xiaohe-crm-server: one log line a request
 * (method, path, status, time) that holds no body, token or password;
 * SIGTERM stops it at once with status 0, a push in flight is applied whole
 * or not at all, and the data is there after a restart, after a SIGKILL
 * too; passwords never go through argv
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "crm-test-server.h"
#include "crm-test-util.h"

#define PASSWORD "ops-Pw-6a0c2e94"
#define SECRET   "保密的客户名字"

typedef struct
{
  CrmTestServer *server;
  char          *token;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, "acme", "禾苗科技");
  crm_test_server_add_user (f->server, "acme", "wang", PASSWORD);
  crm_test_server_start (f->server);
  f->token = crm_test_server_login (f->server, "acme", "wang", PASSWORD);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  crm_test_server_free (f->server);
  g_free (f->token);
}

/* the log's lines that name @method and @path (the path up to its query) */
static guint
count_lines (const char *log,
             const char *method,
             const char *path)
{
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], path);
      char after;

      if (at == NULL || strstr (lines[i], method) == NULL)
        continue;
      /* "/v1/sync/pull" is not "/v1/sync/push", nor "/v1/auth/login" "/v1/auth/logout" */
      after = at[strlen (path)];
      if (after == '\0' || after == ' ' || after == '?' || after == '"' || after == '\t')
        n++;
    }
  return n;
}

/* the line that names @method, @path and @status has a time too */
static gboolean
has_line (const char *log,
          const char *method,
          const char *path,
          guint       status)
{
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  g_autoptr (GRegex) time = g_regex_new ("(\\b[0-9]+(\\.[0-9]+)?\\s*(ms|µs|us|s)\\b)"
                                         "|([0-9]{2}:[0-9]{2}:[0-9]{2})", 0, 0, NULL);
  g_autofree char *code = g_strdup_printf ("%u", status);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *word = NULL;
      g_autoptr (GRegex) status_word = NULL;

      if (strstr (lines[i], path) == NULL || strstr (lines[i], method) == NULL)
        continue;
      word = g_strdup_printf ("\\b%s\\b", code);
      status_word = g_regex_new (word, 0, 0, NULL);
      if (g_regex_match (status_word, lines[i], 0, NULL)
          && g_regex_match (time, lines[i], 0, NULL))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  CrmTestServer *server;
  const char    *method;
  const char    *path;
  guint          lines;
} LogWait;

static gboolean
logged (gpointer data)
{
  LogWait *w = data;
  g_autofree char *log = crm_test_server_get_log (w->server);

  return count_lines (log, w->method, w->path) >= w->lines;
}

/* waits (with a deadline) until the log has @lines lines for the request */
static void
wait_logged (CrmTestServer *server,
             const char    *method,
             const char    *path,
             guint          lines)
{
  LogWait w = { server, method, path, lines };

  crm_test_wait_until (logged, &w, 10);
}

static void
test_log_lines (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf ("{\"name\": \"%s\", \"mobile\": \"13700137000\"}",
                                             SECRET);
  g_autofree char *mutation = crm_test_mutation_json ("contact", id, "upsert", 0, fields);
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (JsonObject) pull = NULL;
  g_autoptr (GBytes) blob = g_bytes_new_static ("licence bytes", 13);
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
  g_autofree char *blob_path = g_strconcat ("/v1/blobs/", hash, NULL);
  g_autofree char *log = NULL;
  g_autofree char *before = crm_test_server_get_log (f->server);
  guint health_before = count_lines (before, "GET", "/v1/health");

  push = crm_test_server_push (f->server, f->token, client, mutation, NULL);
  pull = crm_test_server_pull (f->server, f->token, 0);
  g_assert_cmpuint (crm_test_http (f->server, "GET", "/v1/health", NULL, NULL, NULL, NULL,
                                   NULL), ==, 200);
  g_assert_cmpuint (crm_test_http (f->server, "GET", "/v1/nothing-here", f->token, NULL, NULL,
                                   NULL, NULL), ==, 404);
  g_assert_cmpuint (crm_test_http (f->server, "PUT", blob_path, f->token, "image/png", blob,
                                   NULL, NULL) / 100, ==, 2);
  g_assert_cmpuint (crm_test_http (f->server, "GET", "/v1/notices", NULL, NULL, NULL, NULL,
                                   NULL), ==, 401);
  g_assert_cmpuint (crm_test_http (f->server, "POST", "/v1/auth/logout", f->token, NULL, NULL,
                                   NULL, NULL), ==, 204);
  wait_logged (f->server, "POST", "/v1/auth/logout", 1);

  log = crm_test_server_get_log (f->server);
  g_test_message ("log:\n%s", log);
  /* one line each */
  g_assert_cmpuint (count_lines (log, "POST", "/v1/auth/login"), ==, 1);
  g_assert_cmpuint (count_lines (log, "POST", "/v1/sync/push"), ==, 1);
  g_assert_cmpuint (count_lines (log, "GET", "/v1/sync/pull"), ==, 1);
  g_assert_cmpuint (count_lines (log, "GET", "/v1/health"), ==, health_before + 1);
  g_assert_cmpuint (count_lines (log, "GET", "/v1/nothing-here"), ==, 1);
  g_assert_cmpuint (count_lines (log, "PUT", blob_path), ==, 1);
  g_assert_cmpuint (count_lines (log, "GET", "/v1/notices"), ==, 1);
  g_assert_cmpuint (count_lines (log, "POST", "/v1/auth/logout"), ==, 1);
  /* with its status and a time */
  g_assert_true (has_line (log, "POST", "/v1/auth/login", 200));
  g_assert_true (has_line (log, "POST", "/v1/sync/push", 200));
  g_assert_true (has_line (log, "GET", "/v1/sync/pull", 200));
  g_assert_true (has_line (log, "GET", "/v1/nothing-here", 404));
  g_assert_true (has_line (log, "GET", "/v1/notices", 401));
  g_assert_true (has_line (log, "POST", "/v1/auth/logout", 204));

  /* and nothing of the bodies, the token or the password */
  g_assert_null (strstr (log, PASSWORD));
  g_assert_null (strstr (log, f->token));
  g_assert_null (strstr (log, SECRET));
  g_assert_null (strstr (log, "13700137000"));
  g_assert_null (strstr (log, "licence bytes"));
  g_assert_null (strstr (log, "Bearer"));
}

/* a failed login is logged as such, without what was typed */
static void
test_log_failed_login (Fixture       *f,
                       gconstpointer  data)
{
  const char *body = "{\"company\": \"acme\", \"user\": \"wang\", "
                     "\"password\": \"typo-Pw-0f1e\", \"device\": \"ops\"}";
  g_autofree char *answer = NULL;
  g_autofree char *log = NULL;

  g_assert_cmpuint (crm_test_http_json (f->server, "POST", "/v1/auth/login", NULL, body,
                                        &answer), ==, 401);
  wait_logged (f->server, "POST", "/v1/auth/login", 2);
  log = crm_test_server_get_log (f->server);
  g_assert_true (has_line (log, "POST", "/v1/auth/login", 401));
  g_assert_null (strstr (log, "typo-Pw-0f1e"));
  g_assert_null (strstr (log, PASSWORD));
}

/* Requests the client gave up on (closed halfway through the headers, or
 * through the body) are logged as such: not as a 500, which says that the
 * server's storage failed. */
static void
test_log_abandoned (Fixture       *f,
                    gconstpointer  data)
{
  const char *requests[] = {
    "GET /v1/notices HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    "Content-Length: 100\r\n\r\n{\"client_id\": ",
  };
  g_autoptr (GUri) uri = g_uri_parse (crm_test_server_get_url (f->server), G_URI_FLAGS_NONE,
                                      NULL);
  g_autofree char *log = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GRegex) aborted = NULL;
  guint seen = 0;

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketConnection) connection = NULL;
      g_autoptr (GError) error = NULL;

      connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri),
                                                    NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (
                                                  G_IO_STREAM (connection)),
                                                requests[i], strlen (requests[i]), NULL, NULL,
                                                &error));
      g_assert_no_error (error);
      /* the server has it when it answers a request after it */
      g_assert_cmpuint (crm_test_http (f->server, "GET", "/v1/health", NULL, NULL, NULL, NULL,
                                       NULL), ==, 200);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  wait_logged (f->server, "GET", "/v1/notices", 1);
  wait_logged (f->server, "POST", "/v1/sync/push", 1);

  log = crm_test_server_get_log (f->server);
  g_test_message ("log:\n%s", log);
  /* one line each, like any request */
  g_assert_cmpuint (count_lines (log, "GET", "/v1/notices"), ==, 1);
  g_assert_cmpuint (count_lines (log, "POST", "/v1/sync/push"), ==, 1);
  /* as given up on, with a time: "METHOD PATH aborted Nms", never a 500 */
  aborted = g_regex_new ("^(GET /v1/notices|POST /v1/sync/push) aborted [0-9]+ms$", 0, 0,
                         NULL);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "/v1/notices") || strstr (lines[i], "/v1/sync/push"))
      {
        g_assert_null (strstr (lines[i], " 500 "));
        g_assert_true (g_regex_match (aborted, lines[i], 0, NULL));
        seen++;
      }
  g_assert_cmpuint (seen, ==, 2);
}

/* SIGTERM with a connection still open: exit 0 at once; the data is there
 * after a restart on the same port, and the token still works */
static void
test_sigterm_restart (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *mutation = crm_test_mutation_json ("contact", id, "upsert", 0,
                                                      "{\"name\": \"重启前的客户\"}");
  g_autoptr (JsonObject) push = crm_test_server_push (f->server, f->token, client, mutation,
                                                      NULL);
  g_autoptr (JsonObject) before = crm_test_server_pull (f->server, f->token, 0);
  g_autoptr (JsonObject) after = NULL;
  g_autofree char *url = g_strdup (crm_test_server_get_url (f->server));
  gint64 asked;
  JsonObject *change;

  asked = g_get_monotonic_time ();
  crm_test_server_stop (f->server);   /* asserts exit status 0 */
  g_assert_cmpint (g_get_monotonic_time () - asked, <, 5 * G_USEC_PER_SEC);
  g_assert_false (crm_test_server_is_running (f->server));

  crm_test_server_start (f->server);
  g_assert_cmpstr (crm_test_server_get_url (f->server), ==, url);
  after = crm_test_server_pull (f->server, f->token, 0);
  change = crm_test_pull_find (after, id);
  g_assert_nonnull (change);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change,
                                                                                 "fields"),
                                                  "name"), ==, "重启前的客户");
  /* a clean stop is no restore from a backup: the history goes on */
  g_assert_cmpstr (json_object_get_string_member (after, "server_epoch"), ==,
                   json_object_get_string_member (before, "server_epoch"));
}

typedef struct
{
  gboolean  done;
  guint     status;
  GBytes   *answer;
} Sent;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Sent *sent = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  sent->answer = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  sent->status = sent->answer ? soup_message_get_status (msg) : 0;
  sent->done = TRUE;
}

/* SIGTERM while a push of 1,000 records is on its way: the push is
 * applied whole or not at all, and whole if it was answered 200 */
static void
test_sigterm_in_flight (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr (GString) body = g_string_new ("{\"client_id\": \"");
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *url = g_strconcat (crm_test_server_get_url (f->server), "/v1/sync/push",
                                      NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", f->token, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonObject) pull = NULL;
  Sent sent = { 0 };
  guint found = 0;

  g_string_append_printf (body, "%s\", \"mutations\": [", client);
  for (guint i = 0; i < 1000; i++)
    {
      char *id = g_uuid_string_random ();
      g_autofree char *fields = g_strdup_printf ("{\"name\": \"客户%u\", \"notes\": \"%0400u\"}",
                                                 i, i);
      g_autofree char *mutation = crm_test_mutation_json ("contact", id, "upsert", 0, fields);

      g_string_append_printf (body, "%s%s", i ? ", " : "", mutation);
      g_ptr_array_add (ids, id);
    }
  g_string_append (body, "]}");
  bytes = g_bytes_new (body->str, body->len);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &sent);
  /* until the server has the request, at most, then stop it */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  crm_test_server_stop (f->server);
  crm_test_wait_flag (&sent.done, 30);
  g_test_message ("the push in flight got %u", sent.status);

  crm_test_server_start (f->server);
  pull = crm_test_server_pull (f->server, f->token, 0);
  for (guint i = 0; i < ids->len; i++)
    if (crm_test_pull_find (pull, ids->pdata[i]) != NULL)
      found++;
  g_test_message ("%u of the 1000 records are there", found);
  g_assert_true (found == 0 || found == 1000);
  if (sent.status == 200)
    g_assert_cmpuint (found, ==, 1000);
  g_clear_pointer (&sent.answer, g_bytes_unref);
}

/* SIGKILL right after an answered push: the push is there after a restart */
static void
test_sigkill_durable (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *client = g_uuid_string_random ();
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonObject) before = crm_test_server_pull (f->server, f->token, 0);
  g_autoptr (JsonObject) after = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *fields = g_strdup_printf ("{\"name\": \"客户%u\"}", i);
      char *id = g_uuid_string_random ();
      g_autofree char *mutation = crm_test_mutation_json ("contact", id, "upsert", 0, fields);
      g_autoptr (JsonObject) push = crm_test_server_push (f->server, f->token, client,
                                                          mutation, NULL);

      g_assert_cmpstr (json_object_get_string_member (crm_test_push_result (push, 0),
                                                      "status"), ==, "applied");
      g_ptr_array_add (ids, id);
    }
  crm_test_server_kill (f->server);
  crm_test_server_start (f->server);
  after = crm_test_server_pull (f->server, f->token, 0);
  for (guint i = 0; i < ids->len; i++)
    g_assert_nonnull (crm_test_pull_find (after, ids->pdata[i]));
  /* nothing went back: the same history */
  g_assert_cmpstr (json_object_get_string_member (after, "server_epoch"), ==,
                   json_object_get_string_member (before, "server_epoch"));
}

/* add-user takes the password from standard input only */
static void
test_password_not_argv (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *answer = NULL;
  int status = -1;

  /* a password on the command line is a usage error, and no user is made */
  out = crm_test_server_run (f->server, &status, NULL, "add-user", "acme", "li", "argv-Pw-1",
                             NULL);
  g_test_message ("add-user with a password in argv: %d %s", status, out);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpuint (crm_test_http_json (f->server, "POST", "/v1/auth/login", NULL,
                                        "{\"company\": \"acme\", \"user\": \"li\", "
                                        "\"password\": \"argv-Pw-1\", \"device\": \"ops\"}",
                                        &answer), ==, 401);
  g_clear_pointer (&answer, g_free);

  /* nothing on standard input: no user with an empty password */
  out = crm_test_server_run (f->server, &status, "", "add-user", "acme", "zhou", NULL);
  g_test_message ("add-user with an empty standard input: %d %s", status, out);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpuint (crm_test_http_json (f->server, "POST", "/v1/auth/login", NULL,
                                        "{\"company\": \"acme\", \"user\": \"zhou\", "
                                        "\"password\": \"\", \"device\": \"ops\"}",
                                        &answer), ==, 401);
  g_clear_pointer (&out, g_free);

  /* the password given is not echoed */
  out = crm_test_server_run (f->server, &status, "stdin-Pw-2\n", "add-user", "acme", "zhou",
                             NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (out, "stdin-Pw-2"));
  g_free (crm_test_server_login (f->server, "acme", "zhou", "stdin-Pw-2"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/ops/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("log-lines", test_log_lines);
  ADD ("log-failed-login", test_log_failed_login);
  ADD ("log-abandoned", test_log_abandoned);
  ADD ("sigterm-restart", test_sigterm_restart);
  ADD ("sigterm-in-flight", test_sigterm_in_flight);
  ADD ("sigkill-durable", test_sigkill_durable);
  ADD ("password-not-argv", test_password_not_argv);
#undef ADD

  return g_test_run ();
}
