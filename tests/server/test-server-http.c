/* test-server-http.c — a smoke test of the server's HTTP front: the real
 * xiaohe-crm-server on a loopback port, one pass through every call
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * health, a wrong and a right login, a contact pushed and pulled back, a
 * blob stored and read, the errors of the front itself (404, 405, 400 for a
 * bad cursor, 413 from the headers), the log line of each request, and a
 * logout after which the token is refused; connections: one that sends
 * half a request (or nothing, or half a TLS hello) is closed after the idle
 * timeout, a slow client that keeps sending is not, and a flood of
 * connections over the limit of open files leaves the server serving. The thorough security,
 * input, TLS and operations suites are test-server-{security,input,tls,ops}.c.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "crm-test-server.h"
#include "crm-test-util.h"

#define PASSWORD   "correct horse 9"
#define CLIENT_ID  "7d0f2c56-4a1e-4c1b-9a53-1b2f0c7e6a11"
#define CONTACT_ID "3b6a1f0e-95c4-4d2e-8f7a-0c1d2e3f4a5b"

typedef struct
{
  CrmTestServer *server;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, "acme", "Acme 小禾");
  crm_test_server_add_user (f->server, "acme", "wang", PASSWORD);
  crm_test_server_start (f->server);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  crm_test_server_stop (f->server);
  crm_test_server_free (f->server);
}

static char *
login_body (const char *password)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) g = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "company");
  json_builder_add_string_value (b, "acme");
  json_builder_set_member_name (b, "user");
  json_builder_add_string_value (b, "wang");
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, "smoke test");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (g, root);
  return json_generator_to_data (g, NULL);
}

static void
test_health (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  status = crm_test_http (f->server, "GET", "/v1/health", NULL, NULL, NULL, &body, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (g_hash_table_lookup (headers, "content-type"), ==, "application/json");
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  answer = crm_test_json_object (text);
  g_assert_nonnull (answer);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (answer, "version"), ==, PACKAGE_VERSION);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *wrong = login_body ("not the password");
  g_autofree char *text = NULL;
  g_autofree char *token = NULL;
  g_autofree char *mutation = NULL;
  g_autoptr(JsonObject) push = NULL;
  g_autoptr(JsonObject) pull = NULL;
  JsonObject *result, *change, *fields;
  guint status;

  /* a wrong password: 401, and no token */
  status = crm_test_http_json (f->server, "POST", "/v1/auth/login", NULL, wrong, &text);
  crm_test_assert_error (status, text, 401, "unauthorized");
  g_clear_pointer (&text, g_free);

  token = crm_test_server_login (f->server, "acme", "wang", PASSWORD);
  g_assert_nonnull (token);
  /* 32 bytes in base64url, no padding */
  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_null (strpbrk (token, "+/="));

  mutation = crm_test_mutation_json ("contact", CONTACT_ID, "upsert", 0,
                                     "{\"name\": \"张三\", \"mobile\": \"13800138000\"}");
  push = crm_test_server_push (f->server, token, CLIENT_ID, mutation, NULL);
  result = crm_test_push_result (push, 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (result, "version"), >, 0);

  pull = crm_test_server_pull (f->server, token, 0);
  change = crm_test_pull_find (pull, CONTACT_ID);
  g_assert_nonnull (change);
  g_assert_cmpstr (json_object_get_string_member (change, "kind"), ==, "contact");
  g_assert_false (json_object_get_boolean_member (change, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (change, "updated_by"), ==, "wang");
  fields = json_object_get_object_member (change, "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "name"), ==, "张三");
  g_assert_cmpint (json_object_get_int_member (pull, "next_cursor"), ==,
                   json_object_get_int_member (result, "version"));

  /* the same push again: the stored result, as duplicate */
  g_clear_pointer (&push, json_object_unref);
  push = crm_test_server_push (f->server, token, CLIENT_ID, mutation, NULL);
  result = crm_test_push_result (push, 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "duplicate");

  /* logout: 204, and the token stops working at once */
  status = crm_test_http (f->server, "POST", "/v1/auth/logout", token, NULL, NULL, NULL,
                          NULL);
  g_assert_cmpuint (status, ==, 204);
  status = crm_test_http_json (f->server, "GET", "/v1/sync/pull", token, NULL, &text);
  crm_test_assert_error (status, text, 401, "unauthorized");
  g_clear_pointer (&text, g_free);
  status = crm_test_http_json (f->server, "POST", "/v1/auth/logout", token, NULL, &text);
  crm_test_assert_error (status, text, 401, "unauthorized");
}

static void
test_blob (Fixture       *f,
           gconstpointer  data)
{
  static const char content[] = "%PDF-1.4 not really a license";
  g_autofree char *token = crm_test_server_login (f->server, "acme", "wang", PASSWORD);
  g_autoptr(GBytes) blob = g_bytes_new_static (content, sizeof content - 1);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
  g_autofree char *path = g_strconcat ("/v1/blobs/", sha, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GHashTable) headers = NULL;
  guint status;

  status = crm_test_http (f->server, "HEAD", path, token, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (status, ==, 404);
  status = crm_test_http (f->server, "GET", path, token, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (status, ==, 404);

  /* a body that is not the hash of the path: 400, nothing stored */
  status = crm_test_http (f->server, "PUT", "/v1/blobs/"
                          "0000000000000000000000000000000000000000000000000000000000000000",
                          token, "application/pdf", blob, &got, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&got, g_bytes_unref);

  status = crm_test_http (f->server, "PUT", path, token, "application/pdf", blob, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  status = crm_test_http (f->server, "HEAD", path, token, NULL, NULL, NULL, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (g_hash_table_lookup (headers, "content-length"), ==, "29");
  status = crm_test_http (f->server, "GET", path, token, NULL, NULL, &got, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (got, blob));

  /* not a hash at all */
  status = crm_test_http_json (f->server, "GET", "/v1/blobs/ABC", token, NULL, &text);
  crm_test_assert_error (status, text, 400, "malformed");
}

static void
test_front_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *token = crm_test_server_login (f->server, "acme", "wang", PASSWORD);
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(GBytes) big = NULL;
  char *text = NULL;
  guint status;

  status = crm_test_http_json (f->server, "GET", "/v1/nowhere", token, NULL, &text);
  crm_test_assert_error (status, text, 404, "not_found");
  g_free (text);
  status = crm_test_http_json (f->server, "GET", "/v1/sync/push", token, NULL, &text);
  crm_test_assert_error (status, text, 405, "method_not_allowed");
  g_free (text);
  status = crm_test_http_json (f->server, "POST", "/v1/sync/pull", token, "{}", &text);
  crm_test_assert_error (status, text, 405, "method_not_allowed");
  g_free (text);

  /* no token: 401 before anything else */
  status = crm_test_http_json (f->server, "POST", "/v1/sync/push", NULL, "{}", &text);
  crm_test_assert_error (status, text, 401, "unauthorized");
  g_free (text);

  /* cursor and limit strictly */
  status = crm_test_http_json (f->server, "GET", "/v1/sync/pull?cursor=-1", token, NULL,
                               &text);
  crm_test_assert_error (status, text, 400, "malformed");
  g_free (text);
  status = crm_test_http_json (f->server, "GET", "/v1/sync/pull?cursor=1e3", token, NULL,
                               &text);
  crm_test_assert_error (status, text, 400, "malformed");
  g_free (text);
  status = crm_test_http_json (f->server, "GET", "/v1/sync/pull?limit=0", token, NULL,
                               &text);
  crm_test_assert_error (status, text, 400, "malformed");
  g_free (text);
  status = crm_test_http_json (f->server, "GET", "/v1/sync/pull?limit=1001", token, NULL,
                               &text);
  crm_test_assert_error (status, text, 400, "malformed");
  g_free (text);
  /* a cursor ahead of the server: 410 with the epoch */
  status = crm_test_http_json (f->server, "GET", "/v1/sync/pull?cursor=999", token, NULL,
                               &text);
  crm_test_assert_error (status, text, 410, "cursor_expired");
  {
    g_autoptr(JsonObject) answer = crm_test_json_object (text);

    g_assert_true (json_object_has_member (answer, "server_epoch"));
    g_assert_cmpint (json_object_get_int_member (answer, "epoch_base"), ==, 0);
  }
  g_free (text);

  /* a blob over 10 MiB: 413 */
  big = g_bytes_new_take (g_malloc0 (10 * 1024 * 1024 + 1), 10 * 1024 * 1024 + 1);
  status = crm_test_http (f->server, "PUT", "/v1/blobs/"
                          "0000000000000000000000000000000000000000000000000000000000000000",
                          token, "application/pdf", big, NULL, &headers);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpstr (g_hash_table_lookup (headers, "content-type"), ==, "application/json");
}

static GRegex *pull_line;

/* the log is read from the server's pipe as it comes: wait for the line */
static gboolean
log_has_pull_line (gpointer data)
{
  g_autofree char *log = crm_test_server_get_log (data);

  return g_regex_match (pull_line, log, 0, NULL);
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *token = crm_test_server_login (f->server, "acme", "wang", PASSWORD);
  g_autofree char *log = NULL;
  guint status;

  status = crm_test_http (f->server, "GET", "/v1/sync/pull?cursor=0&limit=7", token, NULL,
                          NULL, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  /* one line a request, written after the answer */
  pull_line = g_regex_new ("^GET /v1/sync/pull 200 [0-9]+ms$", G_REGEX_MULTILINE, 0, NULL);
  crm_test_wait_until (log_has_pull_line, f->server, 10);
  g_clear_pointer (&pull_line, g_regex_unref);

  log = crm_test_server_get_log (f->server);
  g_assert_nonnull (strstr (log, "POST /v1/auth/login 200 "));
  /* the query, the password and the token are in no line */
  g_assert_null (strstr (log, "cursor="));
  g_assert_null (strstr (log, PASSWORD));
  g_assert_null (strstr (log, token));
}

typedef struct
{
  guint answered;
  guint checked;    /* 401: the guess was checked */
  guint throttled;  /* 429 */
} Guesses;

static void
guess_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Guesses *g = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              NULL);
  guint status = soup_message_get_status (msg);

  if (status == 401)
    g->checked++;
  else if (status == 429)
    {
      g->throttled++;
      g_assert_nonnull (soup_message_headers_get_one (
                          soup_message_get_response_headers (msg), "Retry-After"));
    }
  else
    g_error ("a wrong password got %u", status);
  g->answered++;
  g_object_unref (msg);
}

static gboolean
all_answered (gpointer data)
{
  return ((Guesses *) data)->answered == 20;
}

/* Twenty wrong passwords for one user sent at once: a guess counts as a
 * failure only once its hash is checked, so without care they would all
 * be checked before the throttle saw the first. At most 5 may be. */
static void
test_parallel_guesses (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64,
                                                                  "max-conns-per-host", 32,
                                                                  "timeout", 60, NULL);
  g_autofree char *url = g_strconcat (crm_test_server_get_url (f->server),
                                      "/v1/auth/login", NULL);
  Guesses g = { 0 };

  for (int i = 0; i < 20; i++)
    {
      g_autofree char *password = g_strdup_printf ("wrong guess %d", i);
      g_autofree char *body = login_body (password);
      SoupMessage *msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, guess_done,
                                        &g);
    }
  crm_test_wait_until (all_answered, &g, 60);

  g_assert_cmpuint (g.checked, >=, 1);
  g_assert_cmpuint (g.checked, <=, 5);
  g_assert_cmpuint (g.checked + g.throttled, ==, 20);
}

/* ---- connections: `serve --idle-timeout` and the limit of open files ---- */

#define IDLE_TIMEOUT "2"
#define NOFILE       64

/* a `serve` of its own, with options the fixture's does not give */
typedef struct
{
  GSubprocess *process;
  char        *log_dir;
  char        *log_path;
  guint16      port;
} Serve;

static void
serve_child_setup (gpointer data)
{
  int nofile = GPOINTER_TO_INT (data);

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (nofile > 0)
    {
      struct rlimit limit = { nofile, nofile };

      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* a self-signed certificate and its key in @dir */
static void
make_certificate (const char *dir,
                  char      **cert,
                  char      **key)
{
  g_autoptr (GSubprocess) openssl = NULL;
  g_autoptr (GError) error = NULL;

  *cert = g_build_filename (dir, "cert.pem", NULL);
  *key = g_build_filename (dir, "key.pem", NULL);
  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                              | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openssl", "req", "-x509", "-newkey", "ec",
                              "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-days", "2", "-subj", "/CN=localhost",
                              "-addext", "subjectAltName=IP:127.0.0.1",
                              "-keyout", *key, "-out", *cert, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (openssl, NULL, &error);
  g_assert_no_error (error);
}

/* `serve DIR --listen 127.0.0.1:0 --idle-timeout IDLE_TIMEOUT`, with at
 * most @nofile open files (0: as the test), over HTTPS if @tls; returns
 * once it listens */
static Serve *
serve_start (CrmTestServer *server,
             int            nofile,
             gboolean       tls)
{
  Serve *serve = g_new0 (Serve, 1);
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GUri) uri = NULL;
  CrmTestWaiter waiter = { 0 };

  serve->log_dir = crm_test_make_tmp_dir ();
  serve->log_path = g_build_filename (serve->log_dir, "serve.log", NULL);
  g_ptr_array_add (argv, g_strdup (g_getenv ("XIAOHE_CRM_SERVER")));
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup (crm_test_server_get_dir (server)));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  g_ptr_array_add (argv, g_strdup ("--idle-timeout"));
  g_ptr_array_add (argv, g_strdup (IDLE_TIMEOUT));
  if (tls)
    {
      make_certificate (serve->log_dir, &cert, &key);
      g_ptr_array_add (argv, g_strdup ("--tls-cert"));
      g_ptr_array_add (argv, g_strdup (cert));
      g_ptr_array_add (argv, g_strdup ("--tls-key"));
      g_ptr_array_add (argv, g_strdup (key));
    }
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, serve->log_path);
  g_subprocess_launcher_set_child_setup (launcher, serve_child_setup,
                                         GINT_TO_POINTER (nofile), NULL);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  serve->process = g_subprocess_launcher_spawnv (launcher,
                                                 (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve->process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, crm_test_waiter_done,
                                       &waiter);
  crm_test_wait_flag (&waiter.done, 30);
  line = g_data_input_stream_read_line_finish_utf8 (out, waiter.result, NULL, &error);
  g_object_unref (waiter.result);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, tls ? "Listening on https://127.0.0.1:"
                                              : "Listening on http://127.0.0.1:"));
  uri = g_uri_parse (line + strlen ("Listening on "), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  serve->port = g_uri_get_port (uri);
  return serve;
}

static char *
serve_log (Serve *serve)
{
  char *log = NULL;

  if (!g_file_get_contents (serve->log_path, &log, NULL, NULL))
    return g_strdup ("");
  return log;
}

static void
serve_stop (Serve *serve)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *log = serve_log (serve);

  g_test_message ("the log of serve --idle-timeout " IDLE_TIMEOUT ":\n%s", log);
  g_subprocess_send_signal (serve->process, SIGTERM);
  g_assert_true (g_subprocess_wait (serve->process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (serve->process));
  g_assert_cmpint (g_subprocess_get_exit_status (serve->process), ==, 0);
  g_object_unref (serve->process);
  crm_test_rm_rf (serve->log_dir);
  g_free (serve->log_dir);
  g_free (serve->log_path);
  g_free (serve);
}

/* a raw TCP connection whose reads and writes give up after @seconds */
static GSocketConnection *
raw_connect (Serve *serve,
             guint  seconds)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, seconds);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", serve->port, NULL,
                                                &error);
  g_assert_no_error (error);
  return connection;
}

static gboolean
raw_send (GSocketConnection *connection,
          const char        *text)
{
  return g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                    text, strlen (text), NULL, NULL, NULL);
}

/* one answer of HTTP/1.1: its status, its body read whole; 0 when the
 * connection closed or timed out first */
static guint
raw_answer (gpointer connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr (GString) head = g_string_new (NULL);
  g_autofree char *body = NULL;
  const char *length;
  guint64 content_length = 0;
  guint status = 0;
  char c;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1 || head->len > 16384)
        return 0;
      g_string_append_c (head, c);
    }
  if (sscanf (head->str, "HTTP/1.1 %u ", &status) != 1)
    return 0;
  length = strstr (head->str, "Content-Length: ");
  if (length != NULL)
    content_length = g_ascii_strtoull (length + strlen ("Content-Length: "), NULL, 10);
  g_assert_cmpuint (content_length, <, 65536);
  body = g_malloc (content_length + 1);
  if (!g_input_stream_read_all (in, body, content_length, NULL, NULL, NULL))
    return 0;
  return status;
}

/* waits (the connection's timeout is the deadline) until the server closes
 * the connection: a read that ends, not one that times out */
static void
assert_closed_by_server (GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr (GError) error = NULL;
  char buffer[256];
  gssize n;

  n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);
  if (n < 0)
    g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  else
    g_assert_cmpint (n, ==, 0);
}

static const char *half_requests[] = {
  "",
  "GET /v1/notices HTTP/1.1\r\nHost: 127.0.0.1\r\n",
  "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
  "Content-Length: 100\r\n\r\n{\"client_id\": ",
};

static gboolean
push_logged (gpointer data)
{
  g_autofree char *log = serve_log (data);

  return strstr (log, "POST /v1/sync/push ") != NULL;
}

/* nothing sent, half the headers, half the body: each connection is closed
 * once it has been silent for the idle timeout, and the request is logged
 * as aborted; the server goes on serving */
static void
test_idle_timeout (Fixture       *f,
                   gconstpointer  data)
{
  GSocketConnection *connections[G_N_ELEMENTS (half_requests)];
  gint64 connected[G_N_ELEMENTS (half_requests)];
  g_autoptr (GSocketConnection) fresh = NULL;
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  Serve *serve;
  int status = -1;

  /* SECONDS is 1 to 86400 */
  out = crm_test_server_run (f->server, &status, NULL, "serve", "--idle-timeout", "0", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  out = crm_test_server_run (f->server, &status, NULL, "serve", "--idle-timeout", "soon",
                             NULL);
  g_assert_cmpint (status, ==, 2);

  serve = serve_start (f->server, 0, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (half_requests); i++)
    {
      /* the reads' deadline: far over the idle timeout */
      connections[i] = raw_connect (serve, 15);
      connected[i] = g_get_monotonic_time ();
      g_assert_true (raw_send (connections[i], half_requests[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (half_requests); i++)
    {
      gint64 held;

      assert_closed_by_server (connections[i]);
      held = g_get_monotonic_time () - connected[i];
      g_test_message ("\"%.20s...\" closed after %" G_GINT64_FORMAT " ms", half_requests[i],
                      held / 1000);
      /* by the timeout, not at once */
      g_assert_cmpint (held, >=, 1500 * 1000);
      g_object_unref (connections[i]);
    }

  /* still serving */
  fresh = raw_connect (serve, 15);
  g_assert_true (raw_send (fresh, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  g_assert_cmpuint (raw_answer (fresh), ==, 200);

  crm_test_wait_until (push_logged, serve, 10);
  log = serve_log (serve);
  g_assert_nonnull (strstr (log, "POST /v1/sync/push aborted "));
  g_assert_null (strstr (log, " 500 "));
  serve_stop (serve);
}

static gboolean
accept_any (GTlsConnection       *connection,
            GTlsCertificate      *certificate,
            GTlsCertificateFlags  errors,
            gpointer              data)
{
  return TRUE;
}

/* Over HTTPS, where a server off the loopback is served: a connection
 * that never starts its TLS handshake, one that stops halfway through its
 * hello, and one that sends half a request after the handshake are each
 * closed after the idle timeout */
static void
test_idle_timeout_tls (Fixture       *f,
                       gconstpointer  data)
{
  Serve *serve = serve_start (f->server, 0, TRUE);
  g_autoptr (GSocketConnection) silent = raw_connect (serve, 15);
  g_autoptr (GSocketConnection) hello = raw_connect (serve, 15);
  g_autoptr (GSocketConnection) tcp = raw_connect (serve, 15);
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GSocketConnection) fresh = NULL;
  g_autoptr (GIOStream) fresh_tls = NULL;
  g_autoptr (GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  /* the first bytes of a TLS record holding a ClientHello */
  g_assert_true (raw_send (hello, "\x16\x03\x01\x02\x00\x01"));
  tls = g_tls_client_connection_new (G_IO_STREAM (tcp), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any), NULL);
  g_assert_true (g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (tls),
                                            half_requests[1], strlen (half_requests[1]),
                                            NULL, NULL, &error));
  g_assert_no_error (error);

  assert_closed_by_server (silent);
  assert_closed_by_server (hello);
  {
    char buffer[64];
    gssize n = g_input_stream_read (g_io_stream_get_input_stream (tls), buffer, sizeof buffer,
                                    NULL, &error);

    /* the end of the connection (with or without a close_notify), not a timeout */
    if (n < 0)
      g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
    else
      g_assert_cmpint (n, ==, 0);
    g_clear_error (&error);
  }
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 1500 * 1000);

  /* still serving */
  fresh = raw_connect (serve, 15);
  fresh_tls = g_tls_client_connection_new (G_IO_STREAM (fresh), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (fresh_tls, "accept-certificate", G_CALLBACK (accept_any), NULL);
  g_assert_true (g_tls_connection_handshake (G_TLS_CONNECTION (fresh_tls), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (fresh_tls),
                                            "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                            strlen ("GET /v1/health HTTP/1.1\r\n"
                                                    "Host: 127.0.0.1\r\n\r\n"),
                                            NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (raw_answer (fresh_tls), ==, 200);
  serve_stop (serve);
}

/* a client slower than the timeout in all, but never silent as long, is
 * not cut; nor is a keep-alive connection between two requests */
static void
test_idle_keep_alive (Fixture       *f,
                      gconstpointer  data)
{
  const char *pieces[] = { "GET /v1/health HTTP/1.1\r\n", "Host: 127.0.0.1\r\n",
                           "Accept: application/json\r\n", "User-Agent: slow\r\n", "\r\n" };
  Serve *serve = serve_start (f->server, 0, FALSE);
  g_autoptr (GSocketConnection) connection = raw_connect (serve, 15);
  gint64 started = g_get_monotonic_time ();

  /* the pacing is what is tested: 0.8 s between pieces, 3.2 s in all,
   * against an idle timeout of 2 s */
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      if (i > 0)
        g_usleep (800 * 1000);
      g_assert_true (raw_send (connection, pieces[i]));
    }
  g_assert_cmpuint (raw_answer (connection), ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - started, >, 2 * G_USEC_PER_SEC);

  /* a second request on the same connection a second later */
  g_usleep (G_USEC_PER_SEC);
  g_assert_true (raw_send (connection, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  g_assert_cmpuint (raw_answer (connection), ==, 200);
  serve_stop (serve);
}

static gboolean
health_answers (gpointer data)
{
  Serve *serve = data;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;

  /* refused, or not even accepted yet, while the flood holds on */
  g_socket_client_set_timeout (client, 2);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", serve->port, NULL, NULL);
  return connection != NULL
         && raw_send (connection, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Connection: close\r\n\r\n")
         && raw_answer (connection) == 200;
}

/* More connections than the server may open files, each sending half a
 * request and held open by the client: once they time out, the server
 * answers again (libsoup stops accepting for good after an accept () that
 * fails: the server must never run out of descriptors) */
static void
test_fd_limit (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GPtrArray) flood = g_ptr_array_new_with_free_func (g_object_unref);
  Serve *serve = serve_start (f->server, NOFILE, FALSE);
  g_autofree char *log = NULL;

  for (guint i = 0; i < NOFILE + 16; i++)
    {
      GSocketConnection *connection = raw_connect (serve, 15);

      /* a connection over the limit may be shut already: no matter */
      raw_send (connection, half_requests[1]);
      g_ptr_array_add (flood, connection);
    }
  crm_test_wait_until (health_answers, serve, 30);
  log = serve_log (serve);
  g_assert_nonnull (strstr (log, "Too many connections"));
  g_clear_pointer (&flood, g_ptr_array_unref);
  serve_stop (serve);
}

static void
fixture_setup_stopped (Fixture       *f,
                       gconstpointer  data)
{
  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, "acme", "Acme 小禾");
}

static void
fixture_teardown_stopped (Fixture       *f,
                          gconstpointer  data)
{
  crm_test_server_free (f->server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server-http/health", Fixture, NULL, fixture_setup, test_health,
              fixture_teardown);
  g_test_add ("/server-http/round-trip", Fixture, NULL, fixture_setup, test_round_trip,
              fixture_teardown);
  g_test_add ("/server-http/blob", Fixture, NULL, fixture_setup, test_blob,
              fixture_teardown);
  g_test_add ("/server-http/front-errors", Fixture, NULL, fixture_setup, test_front_errors,
              fixture_teardown);
  g_test_add ("/server-http/log", Fixture, NULL, fixture_setup, test_log,
              fixture_teardown);
  g_test_add ("/server-http/parallel-guesses", Fixture, NULL, fixture_setup,
              test_parallel_guesses, fixture_teardown);
  g_test_add ("/server-http/idle-timeout", Fixture, NULL, fixture_setup_stopped,
              test_idle_timeout, fixture_teardown_stopped);
  g_test_add ("/server-http/idle-timeout-tls", Fixture, NULL, fixture_setup_stopped,
              test_idle_timeout_tls, fixture_teardown_stopped);
  g_test_add ("/server-http/idle-keep-alive", Fixture, NULL, fixture_setup_stopped,
              test_idle_keep_alive, fixture_teardown_stopped);
  g_test_add ("/server-http/fd-limit", Fixture, NULL, fixture_setup_stopped,
              test_fd_limit, fixture_teardown_stopped);

  return g_test_run ();
}
