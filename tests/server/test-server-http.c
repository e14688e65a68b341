/* test-server-http.c — a smoke test of the server's HTTP front: the real
 * xiaohe-crm-server on a loopback port, one pass through every call
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * health, a wrong and a right login, a contact pushed and pulled back, a
 * blob stored and read, the errors of the front itself (404, 405, 400 for a
 * bad cursor, 413 from the headers), the log line of each request, and a
 * logout after which the token is refused. The thorough security, input,
 * TLS and operations suites are test-server-{security,input,tls,ops}.c.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

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

  return g_test_run ();
}
