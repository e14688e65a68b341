/* test-server-security.c — xiaohe-crm-server keeps each company's data to
 * itself, refuses every call without a live token (or of an expired paid
 * account), lets no client review its own certification, throttles guessed
 * passwords for the window and keeps no password or token in plain anywhere
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real server over loopback HTTP (tests/lib/crm-test-server.h), two
 * companies A and B with a user each; "nothing changed" is read back through
 * B's own pull. The throttle's window passes under libfaketime, in the
 * server's process only.
 */
#include "config.h"

#include <string.h>

#include "crm-test-pg.h"
#include "crm-test-server.h"
#include "crm-test-util.h"

#define A_PASSWORD "alpha-Pw-5c1e9a77"
#define B_PASSWORD "beta-Pw-0d8f3b21"
#define B_SECRET   "乙公司的秘密客户"   /* a name only B may ever read */

typedef struct
{
  CrmTestServer *server;
  char          *a_token;
  char          *b_token;
  char          *a_company_id;
  char          *b_company_id;
  char          *b_contact;     /* B's contact, pushed by B */
  gint64         b_version;
} Fixture;

static guint try_login (CrmTestServer *s, const char *slug, const char *user,
                        const char *password, guint *retry_after);

/* logs in and returns the company id of the session */
static char *
login_company (CrmTestServer *s,
               const char    *slug,
               const char    *user,
               const char    *password,
               char         **token)
{
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autoptr (JsonObject) session = NULL;

  body = g_strdup_printf ("{\"company\": \"%s\", \"user\": \"%s\", \"password\": \"%s\", "
                          "\"device\": \"security-test\"}", slug, user, password);
  g_assert_cmpuint (crm_test_http_json (s, "POST", "/v1/auth/login", NULL, body, &answer),
                    ==, 200);
  session = crm_test_json_object (answer);
  g_assert_nonnull (session);
  *token = g_strdup (json_object_get_string_member (session, "token"));
  g_assert_nonnull (*token);
  return g_strdup (json_object_get_string_member (session, "company_id"));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *mutation = NULL;
  g_autoptr (JsonObject) push = NULL;
  JsonObject *result;

  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, "alpha", "甲公司");
  crm_test_server_add_company (f->server, "beta", "乙公司");
  crm_test_server_add_user (f->server, "alpha", "wang", A_PASSWORD);
  crm_test_server_add_user (f->server, "beta", "li", B_PASSWORD);
  crm_test_server_start (f->server);
  f->a_company_id = login_company (f->server, "alpha", "wang", A_PASSWORD, &f->a_token);
  f->b_company_id = login_company (f->server, "beta", "li", B_PASSWORD, &f->b_token);
  g_assert_cmpstr (f->a_company_id, !=, f->b_company_id);

  f->b_contact = g_uuid_string_random ();
  mutation = crm_test_mutation_json ("contact", f->b_contact, "upsert", 0,
                                     "{\"name\": \"" B_SECRET "\", "
                                     "\"mobile\": \"13800138000\"}");
  push = crm_test_server_push (f->server, f->b_token, client, mutation, NULL);
  result = crm_test_push_result (push, 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  f->b_version = json_object_get_int_member (result, "version");
  g_assert_cmpint (f->b_version, >, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  crm_test_server_free (f->server);
  g_free (f->a_token);
  g_free (f->b_token);
  g_free (f->a_company_id);
  g_free (f->b_company_id);
  g_free (f->b_contact);
}

/* B's contact is exactly as B pushed it */
static void
assert_b_intact (Fixture *f)
{
  g_autoptr (JsonObject) pull = crm_test_server_pull (f->server, f->b_token, 0);
  JsonObject *change = crm_test_pull_find (pull, f->b_contact);
  JsonObject *fields;

  g_assert_nonnull (change);
  g_assert_cmpint (json_object_get_int_member (change, "version"), ==, f->b_version);
  g_assert_false (json_object_get_boolean_member (change, "deleted"));
  fields = json_object_get_object_member (change, "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "name"), ==, B_SECRET);
  g_assert_cmpstr (json_object_get_string_member (fields, "mobile"), ==, "13800138000");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pull, "changes")),
                    ==, 1);
}

/* nothing of B's in A's feed, whatever A did */
static void
assert_a_sees_nothing_of_b (Fixture *f)
{
  g_autofree char *answer = NULL;

  g_assert_cmpuint (crm_test_http_json (f->server, "GET", "/v1/sync/pull?cursor=0&limit=1000",
                                        f->a_token, NULL, &answer), ==, 200);
  g_assert_null (strstr (answer, B_SECRET));
  g_assert_null (strstr (answer, "13800138000"));
}

static void
test_pull_scoped (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *a_contact = g_uuid_string_random ();
  g_autofree char *mutation = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (JsonObject) pull = NULL;
  g_autoptr (JsonObject) b_pull = NULL;

  pull = crm_test_server_pull (f->server, f->a_token, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pull, "changes")),
                    ==, 0);
  g_clear_pointer (&pull, json_object_unref);

  mutation = crm_test_mutation_json ("contact", a_contact, "upsert", 0,
                                     "{\"name\": \"甲的客户\"}");
  push = crm_test_server_push (f->server, f->a_token, client, mutation, NULL);
  g_assert_cmpstr (json_object_get_string_member (crm_test_push_result (push, 0), "status"),
                   ==, "applied");

  pull = crm_test_server_pull (f->server, f->a_token, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pull, "changes")),
                    ==, 1);
  g_assert_nonnull (crm_test_pull_find (pull, a_contact));
  g_assert_null (crm_test_pull_find (pull, f->b_contact));
  assert_a_sees_nothing_of_b (f);

  /* and the other way round */
  b_pull = crm_test_server_pull (f->server, f->b_token, 0);
  g_assert_null (crm_test_pull_find (b_pull, a_contact));
  assert_b_intact (f);
}

/* A pushes with B's record id: B's record stays B's; A gets its own record
 * or a rejection, never B's values */
static void
test_push_foreign_id (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *upsert = NULL;
  g_autofree char *edit = NULL;
  g_autofree char *remove = NULL;
  g_autofree char *deal = NULL;
  g_autofree char *deal_id = g_uuid_string_random ();
  g_autofree char *deal_fields = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autoptr (JsonObject) pull = NULL;
  JsonObject *change;

  /* an edit on B's version, as if A had seen it; a new record; a delete;
   * a deal that names B's contact */
  edit = crm_test_mutation_json ("contact", f->b_contact, "upsert", f->b_version,
                                 "{\"mobile\": \"13900139000\"}");
  upsert = crm_test_mutation_json ("contact", f->b_contact, "upsert", 0,
                                   "{\"name\": \"甲改的名字\"}");
  remove = crm_test_mutation_json ("contact", f->b_contact, "delete", f->b_version, NULL);
  deal_fields = g_strdup_printf ("{\"title\": \"甲的生意\", \"contact_id\": \"%s\", "
                                 "\"amount_fen\": 100, \"stage\": \"lead\"}", f->b_contact);
  deal = crm_test_mutation_json ("deal", deal_id, "upsert", 0, deal_fields);

  for (guint i = 0; i < 4; i++)
    {
      const char *mutation = (const char *[]) { edit, upsert, remove, deal }[i];
      g_autoptr (JsonObject) push = NULL;
      JsonObject *result;
      const char *status;

      push = crm_test_server_push (f->server, f->a_token, client, mutation, NULL);
      result = crm_test_push_result (push, 0);
      status = json_object_get_string_member (result, "status");
      g_test_message ("A's mutation %u on B's id: %s %s", i, status,
                      json_object_get_string_member_with_default (result, "error", ""));
      g_assert_true (g_strcmp0 (status, "applied") == 0
                     || g_strcmp0 (status, "rejected") == 0);
      /* never a conflict with B's values */
      if (json_object_has_member (result, "conflict_values"))
        {
          g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (),
                                                             result);
          g_autofree char *text = json_to_string (node, FALSE);

          g_assert_null (strstr (text, B_SECRET));
          g_assert_null (strstr (text, "13800138000"));
        }
      assert_b_intact (f);
      assert_a_sees_nothing_of_b (f);
    }

  /* what A has under that id is A's own */
  pull = crm_test_server_pull (f->server, f->a_token, 0);
  change = crm_test_pull_find (pull, f->b_contact);
  if (change != NULL)
    {
      JsonObject *fields = json_object_get_object_member (change, "fields");

      g_assert_cmpstr (json_object_get_string_member_with_default (fields, "name", ""), !=,
                       B_SECRET);
    }

  /* the raw answers say nothing of B either */
  body = g_strdup_printf ("{\"client_id\": \"%s\", \"mutations\": [%s]}", client, edit);
  crm_test_http_json (f->server, "POST", "/v1/sync/push", f->a_token, body, &answer);
  g_assert_null (strstr (answer, B_SECRET));
  g_assert_null (strstr (answer, "13800138000"));
  assert_b_intact (f);
}

#if defined(__x86_64__)
#define MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define MULTIARCH "aarch64-linux-gnu"
#else
#define MULTIARCH "unknown"
#endif
#define FAKETIME_LIB "/usr/lib/" MULTIARCH "/faketime/libfaketimeMT.so.1"

/* the window ends: the server runs under libfaketime (its monotonic clock
 * too), moved forward by the test; the right password stays 429 until the
 * Retry-After has passed, and then works */
static void
test_throttle_window (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *clock_dir = NULL;
  g_autofree char *clock_file = NULL;
  g_autofree char *offset = NULL;
  g_autofree char *asan = NULL;
  guint retry = 0;

  if (!g_file_test (FAKETIME_LIB, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("libfaketime is not installed");
      return;
    }
  clock_dir = crm_test_make_tmp_dir ();
  clock_file = g_build_filename (clock_dir, "faketime", NULL);
  g_assert_true (g_file_set_contents (clock_file, "+0", -1, NULL));
  crm_test_server_stop (f->server);
  crm_test_server_setenv (f->server, "LD_PRELOAD", FAKETIME_LIB);
  crm_test_server_setenv (f->server, "FAKETIME_TIMESTAMP_FILE", clock_file);
  crm_test_server_setenv (f->server, "FAKETIME_NO_CACHE", "1");
  /* a server built with -Db_sanitize=address: libfaketime comes first */
  asan = g_strconcat (g_getenv ("ASAN_OPTIONS") ? g_getenv ("ASAN_OPTIONS") : "",
                      g_getenv ("ASAN_OPTIONS") ? ":" : "", "verify_asan_link_order=0", NULL);
  crm_test_server_setenv (f->server, "ASAN_OPTIONS", asan);
  crm_test_server_start (f->server);

  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (try_login (f->server, "alpha", "wang", "wrong", &retry), ==, 401);
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", A_PASSWORD, &retry), ==, 429);
  g_assert_cmpuint (retry, >, 60);

  /* a minute before the end: still throttled */
  offset = g_strdup_printf ("+%u", retry - 60);
  g_assert_true (g_file_set_contents (clock_file, offset, -1, NULL));
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", A_PASSWORD, &retry), ==, 429);
  g_assert_cmpuint (retry, <=, 60);

  /* after it: the right password works, and clears the count */
  g_free (offset);
  offset = g_strdup_printf ("+%u", 15 * 60 + 5);
  g_assert_true (g_file_set_contents (clock_file, offset, -1, NULL));
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", A_PASSWORD, &retry), ==, 200);
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", "wrong", &retry), ==, 401);
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", A_PASSWORD, &retry), ==, 200);

  crm_test_server_stop (f->server);
  crm_test_rm_rf (clock_dir);
}

static gboolean
bytes_contain (const char *data,
               gsize       size,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; data != NULL && i + n <= size; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static char *
blob_path (const char *data)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data, -1);

  return g_strconcat ("/v1/blobs/", hash, NULL);
}

static void
test_blob_foreign (Fixture       *f,
                   gconstpointer  data)
{
  const char *content = "B's business licence, not A's";
  g_autoptr (GBytes) body = g_bytes_new_static (content, strlen (content));
  g_autoptr (GBytes) got = NULL;
  g_autofree char *path = blob_path (content);
  guint status;

  status = crm_test_http (f->server, "PUT", path, f->b_token, "image/png", body, NULL, NULL);
  g_assert_true (status == 200 || status == 201 || status == 204);
  g_assert_cmpuint (crm_test_http (f->server, "HEAD", path, f->b_token, NULL, NULL, NULL, NULL),
                    ==, 200);

  /* A: the same hash is not found, not forbidden (which would tell it exists) */
  g_assert_cmpuint (crm_test_http (f->server, "HEAD", path, f->a_token, NULL, NULL, NULL, NULL),
                    ==, 404);
  status = crm_test_http (f->server, "GET", path, f->a_token, NULL, NULL, &got, NULL);
  g_assert_cmpuint (status, ==, 404);
  g_assert_false (bytes_contain (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                                 "licence"));
  g_clear_pointer (&got, g_bytes_unref);

  /* B still reads its own */
  g_assert_cmpuint (crm_test_http (f->server, "GET", path, f->b_token, NULL, NULL, &got, NULL),
                    ==, 200);
  g_assert_true (g_bytes_equal (got, body));
}

static void
test_certification_foreign (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *mutation = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (JsonObject) a_pull = NULL;
  g_autoptr (JsonObject) b_pull = NULL;
  JsonObject *result;

  mutation = crm_test_mutation_json ("certification", f->b_company_id, "upsert", 0,
                                     "{\"company_name\": \"乙公司\", "
                                     "\"uscc\": \"91110000600037341L\", "
                                     "\"legal_representative\": \"张三\", "
                                     "\"address\": \"北京市朝阳区\", "
                                     "\"status\": \"draft\"}");
  push = crm_test_server_push (f->server, f->a_token, client, mutation, NULL);
  result = crm_test_push_result (push, 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");

  b_pull = crm_test_server_pull (f->server, f->b_token, 0);
  g_assert_null (crm_test_pull_find (b_pull, f->b_company_id));
  a_pull = crm_test_server_pull (f->server, f->a_token, 0);
  g_assert_null (crm_test_pull_find (a_pull, f->b_company_id));
  assert_b_intact (f);
}

/* what a client may not set on its own certification: a status of the
 * review's (certified, rejected) or the review's reason */
static void
test_certification_privileges (Fixture       *f,
                               gconstpointer  data)
{
  const char *refused[] = {
    "\"status\": \"certified\"",
    "\"status\": \"rejected\"",
    "\"status\": \"draft\", \"reject_reason\": \"我自己批准\"",
  };
  g_autofree char *client = g_uuid_string_random ();
  g_autoptr (JsonObject) pull = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autofree char *mutation = NULL;
  JsonObject *change;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *fields = NULL;
      g_autofree char *attempt = NULL;
      g_autoptr (JsonObject) answer = NULL;
      JsonObject *result;

      fields = g_strdup_printf ("{\"company_name\": \"甲公司\", "
                                "\"uscc\": \"91110000600037341L\", "
                                "\"legal_representative\": \"王五\", "
                                "\"address\": \"北京市海淀区\", %s}", refused[i]);
      attempt = crm_test_mutation_json ("certification", f->a_company_id, "upsert", 0, fields);
      answer = crm_test_server_push (f->server, f->a_token, client, attempt, NULL);
      result = crm_test_push_result (answer, 0);
      g_test_message ("certification with %s: %s", refused[i],
                      json_object_get_string_member (result, "status"));
      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
      g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");
      pull = crm_test_server_pull (f->server, f->a_token, 0);
      g_assert_null (crm_test_pull_find (pull, f->a_company_id));
      g_clear_pointer (&pull, json_object_unref);
    }

  /* what it may: submit it for the review */
  mutation = crm_test_mutation_json ("certification", f->a_company_id, "upsert", 0,
                                     "{\"company_name\": \"甲公司\", "
                                     "\"uscc\": \"91110000600037341L\", "
                                     "\"legal_representative\": \"王五\", "
                                     "\"address\": \"北京市海淀区\", "
                                     "\"status\": \"submitted\"}");
  push = crm_test_server_push (f->server, f->a_token, client, mutation, NULL);
  g_assert_cmpstr (json_object_get_string_member (crm_test_push_result (push, 0), "status"),
                   ==, "applied");
  pull = crm_test_server_pull (f->server, f->a_token, 0);
  change = crm_test_pull_find (pull, f->a_company_id);
  g_assert_nonnull (change);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change,
                                                                                 "fields"),
                                                  "status"), ==, "submitted");
}

/* a company whose paid account ended: its token syncs nothing (403
 * account_expired) from the next request on; the other company goes on */
static void
test_account_expired (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) before = g_date_time_add_days (now, -2);
  g_autofree char *day = g_date_time_format (before, "%Y-%m-%d");
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *mutation = crm_test_mutation_json ("contact", id, "upsert", 0,
                                                      "{\"name\": \"过期后的客户\"}");
  g_autofree char *body = g_strdup_printf ("{\"client_id\": \"%s\", \"mutations\": [%s]}",
                                           client, mutation);
  g_autofree char *out = NULL;
  g_autofree char *answer = NULL;
  int status = -1;

  out = crm_test_server_run (f->server, &status, NULL, "expire", "alpha", day, NULL);
  g_test_message ("expire alpha %s: %d %s", day, status, out);
  g_assert_cmpint (status, ==, 0);

  status = crm_test_http_json (f->server, "POST", "/v1/sync/push", f->a_token, body, &answer);
  crm_test_assert_error (status, answer, 403, "account_expired");
  g_clear_pointer (&answer, g_free);
  status = crm_test_http_json (f->server, "GET", "/v1/sync/pull?cursor=0&limit=10", f->a_token,
                               NULL, &answer);
  crm_test_assert_error (status, answer, 403, "account_expired");
  assert_b_intact (f);

  /* nothing of the refused push was kept: once paid again, it is not there */
  g_free (out);
  out = crm_test_server_run (f->server, &status, NULL, "expire", "alpha", "2999-12-31", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr (JsonObject) pull = crm_test_server_pull (f->server, f->a_token, 0);

    g_assert_null (crm_test_pull_find (pull, id));
  }
}

typedef struct
{
  const char *method;
  const char *path;
  gboolean    body;
} Call;

static const Call calls[] = {
  { "POST", "/v1/sync/push", TRUE },
  { "GET", "/v1/sync/pull?cursor=0&limit=10", FALSE },
  { "HEAD", "/v1/blobs/" "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    FALSE },
  { "GET", "/v1/blobs/" "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    FALSE },
  { "PUT", "/v1/blobs/" "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    TRUE },
  { "GET", "/v1/notices", FALSE },
  { "POST", "/v1/auth/logout", FALSE },
};

/* every call but login and health with @token (NULL: none) is 401 */
static void
assert_all_401 (Fixture    *f,
                const char *token,
                const char *what)
{
  g_autofree char *push = g_strdup_printf ("{\"client_id\": \"%s\", \"mutations\": []}",
                                           "6b1e4f3a-9c2d-4e8f-a1b2-c3d4e5f60718");

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr (GBytes) body = NULL;
      g_autoptr (GBytes) answer = NULL;
      g_autofree char *text = NULL;
      guint status;

      if (calls[i].body)
        body = g_str_equal (calls[i].method, "PUT") ? g_bytes_new_static ("", 0)
                                                   : g_bytes_new (push, strlen (push));
      status = crm_test_http (f->server, calls[i].method, calls[i].path, token,
                              calls[i].body ? "application/json" : NULL, body, &answer, NULL);
      g_test_message ("%s: %s %s -> %u", what, calls[i].method, calls[i].path, status);
      text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
      if (g_str_equal (calls[i].method, "HEAD"))
        g_assert_cmpuint (status, ==, 401);
      else
        crm_test_assert_error (status, text, 401, "unauthorized");
    }
  /* nothing came of it */
  assert_b_intact (f);
}

static void
test_no_token (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *token = NULL;

  assert_all_401 (f, NULL, "no token");
  assert_all_401 (f, "", "empty token");
  assert_all_401 (f, "garbage", "garbage token");
  assert_all_401 (f, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "unknown token");
  /* B's token with its last character changed */
  token = g_strdup (f->b_token);
  token[strlen (token) - 1] = token[strlen (token) - 1] == 'A' ? 'B' : 'A';
  assert_all_401 (f, token, "altered token");
  g_clear_pointer (&token, g_free);

  /* logged out: at once, everywhere; the other token still works */
  token = crm_test_server_login (f->server, "beta", "li", B_PASSWORD);
  g_assert_cmpuint (crm_test_http (f->server, "GET", "/v1/notices", token, NULL, NULL, NULL,
                                   NULL), ==, 200);
  g_assert_cmpuint (crm_test_http (f->server, "POST", "/v1/auth/logout", token, NULL, NULL,
                                   NULL, NULL), ==, 204);
  assert_all_401 (f, token, "logged-out token");
}

/* a user of B with B's password is nobody at A; a token of A is A's */
static void
test_login_cross_company (Fixture       *f,
                          gconstpointer  data)
{
  guint retry = 0;

  g_assert_cmpuint (try_login (f->server, "alpha", "li", B_PASSWORD, &retry), ==, 401);
  g_assert_cmpuint (try_login (f->server, "gamma", "li", B_PASSWORD, &retry), ==, 401);
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", B_PASSWORD, &retry), ==, 401);
  assert_a_sees_nothing_of_b (f);
}

/* a login's status and, for 429, the Retry-After in seconds */
static guint
try_login (CrmTestServer *s,
           const char    *slug,
           const char    *user,
           const char    *password,
           guint         *retry_after)
{
  g_autofree char *body = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GHashTable) headers = NULL;
  g_autofree char *text = NULL;
  guint status;

  body = g_strdup_printf ("{\"company\": \"%s\", \"user\": \"%s\", \"password\": \"%s\", "
                          "\"device\": \"security-test\"}", slug, user, password);
  bytes = g_bytes_new (body, strlen (body));
  status = crm_test_http (s, "POST", "/v1/auth/login", NULL, "application/json", bytes,
                          &answer, &headers);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  if (status == 401)
    crm_test_assert_error (status, text, 401, "unauthorized");
  if (status == 429)
    {
      const char *value = g_hash_table_lookup (headers, "retry-after");
      guint64 seconds = 0;

      crm_test_assert_error (status, text, 429, "throttled");
      g_assert_nonnull (value);
      g_assert_true (g_ascii_string_to_unsigned (value, 10, 1, 15 * 60, &seconds, NULL));
      *retry_after = seconds;
    }
  return status;
}

static void
test_throttle_user (Fixture       *f,
                    gconstpointer  data)
{
  guint retry = 0;
  g_autofree char *token = NULL;

  crm_test_server_add_user (f->server, "alpha", "zhao", "zhao-Pw-77aa");
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (try_login (f->server, "alpha", "wang", "wrong", &retry), ==, 401);
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", "wrong", &retry), ==, 429);
  g_assert_cmpuint (retry, >, 0);
  /* the right password is throttled too, until the window has passed */
  retry = 0;
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", A_PASSWORD, &retry), ==, 429);
  g_assert_cmpuint (retry, >, 0);

  /* another user from the same address is not */
  g_assert_cmpuint (try_login (f->server, "alpha", "zhao", "zhao-Pw-77aa", &retry), ==, 200);
  /* a success clears the user's own count: four failures pass */
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (try_login (f->server, "alpha", "zhao", "wrong", &retry), ==, 401);
  g_assert_cmpuint (try_login (f->server, "alpha", "zhao", "zhao-Pw-77aa", &retry), ==, 200);
  /* the token A had before still works: a throttle is not a logout */
  g_assert_cmpuint (crm_test_http (f->server, "GET", "/v1/notices", f->a_token, NULL, NULL,
                                   NULL, NULL), ==, 200);
}

static void
test_throttle_address (Fixture       *f,
                       gconstpointer  data)
{
  guint retry = 0;

  /* 20 failures from one address, each for another (unknown) user */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *user = g_strdup_printf ("nobody%u", i);

      g_assert_cmpuint (try_login (f->server, "alpha", user, "wrong", &retry), ==, 401);
    }
  /* then anyone from there, with the right password */
  g_assert_cmpuint (try_login (f->server, "beta", "li", B_PASSWORD, &retry), ==, 429);
  g_assert_cmpuint (retry, >, 0);
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", A_PASSWORD, &retry), ==, 429);
}

/* whether a file under @dir holds @needle */
static gboolean
tree_holds (const char *dir,
            const char *needle)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize size = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR) ? tree_holds (path, needle)
          : g_file_get_contents (path, &data, &size, NULL)
            && bytes_contain (data, size, needle))
        return TRUE;
    }
  return FALSE;
}

/* greps the bytes of every file under @dir for each of @secrets */
static guint
grep_tree (const char  *dir,
           const char **secrets)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize size = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          files += grep_tree (path, secrets);
          continue;
        }
      g_assert_true (g_file_get_contents (path, &data, &size, NULL));
      files++;
      for (guint i = 0; secrets[i] != NULL; i++)
        {
          if (bytes_contain (data, size, secrets[i]))
            g_test_message ("%s holds \"%s\"", path, secrets[i]);
          g_assert_false (bytes_contain (data, size, secrets[i]));
        }
    }
  return files;
}

static gboolean
has_wal_or_db (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, "-wal") || g_str_has_suffix (name, ".db")
        || g_str_has_suffix (name, ".sqlite") || g_str_has_suffix (name, ".sqlite3"))
      return TRUE;
  return FALSE;
}

static void
test_secrets_nowhere (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *log = NULL;
  g_autofree char *out = NULL;
  const char *secrets[5] = { A_PASSWORD, B_PASSWORD, "wrong-Pw-31f0", NULL, NULL };
  guint retry = 0;
  int status = -1;

  /* a wrong password tried too, and a user added while serving */
  g_assert_cmpuint (try_login (f->server, "alpha", "wang", "wrong-Pw-31f0", &retry), ==, 401);
  out = crm_test_server_run (f->server, &status, "late-Pw-9e2b\n", "add-user", "beta", "zhou",
                             NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (out, "late-Pw-9e2b"));
  token = crm_test_server_login (f->server, "beta", "zhou", "late-Pw-9e2b");
  secrets[3] = f->a_token;

  /* on PostgreSQL: every row of the database, which holds the users'
   * Argon2id hashes; DIR (its config and epoch guard) too */
  if (crm_test_server_get_database (f->server) != NULL)
    {
      g_autofree char *dump = crm_test_pg_dump (crm_test_server_get_database (f->server));
      const char *more[] = { "late-Pw-9e2b", f->b_token, token, NULL };

      g_assert_nonnull (strstr (dump, "$argon2id$"));
      for (guint i = 0; secrets[i] != NULL; i++)
        g_assert_null (strstr (dump, secrets[i]));
      for (guint i = 0; more[i] != NULL; i++)
        g_assert_null (strstr (dump, more[i]));
      grep_tree (crm_test_server_get_dir (f->server), secrets);
    }
  else
    {
      /* while serving (the WAL as it is); the files grepped are those that
       * hold the users: their Argon2id hashes are there */
      g_assert_true (has_wal_or_db (crm_test_server_get_dir (f->server)));
      g_assert_true (tree_holds (crm_test_server_get_dir (f->server), "$argon2id$"));
      g_assert_cmpuint (grep_tree (crm_test_server_get_dir (f->server), secrets), >, 0);
    }
  {
    const char *more[] = { "late-Pw-9e2b", f->b_token, token, NULL };

    grep_tree (crm_test_server_get_dir (f->server), more);
  }

  /* and after a clean stop (checkpointed) */
  crm_test_server_stop (f->server);
  grep_tree (crm_test_server_get_dir (f->server), secrets);
  {
    const char *more[] = { "late-Pw-9e2b", f->b_token, token, NULL };

    grep_tree (crm_test_server_get_dir (f->server), more);
  }

  /* the log neither */
  log = crm_test_server_get_log (f->server);
  g_assert_cmpstr (log, !=, "");
  for (guint i = 0; secrets[i] != NULL; i++)
    g_assert_null (strstr (log, secrets[i]));
  g_assert_null (strstr (log, "late-Pw-9e2b"));
  g_assert_null (strstr (log, f->b_token));
  g_assert_null (strstr (log, token));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/security/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("pull-scoped", test_pull_scoped);
  ADD ("push-foreign-id", test_push_foreign_id);
  ADD ("blob-foreign", test_blob_foreign);
  ADD ("certification-foreign", test_certification_foreign);
  ADD ("certification-privileges", test_certification_privileges);
  ADD ("account-expired", test_account_expired);
  ADD ("no-token", test_no_token);
  ADD ("login-cross-company", test_login_cross_company);
  ADD ("throttle-user", test_throttle_user);
  ADD ("throttle-address", test_throttle_address);
  ADD ("throttle-window", test_throttle_window);
  ADD ("secrets-nowhere", test_secrets_nowhere);
#undef ADD

  return g_test_run ();
}
