/* test-server-input.c — xiaohe-crm-server refuses bad input whole: every
 * malformed push, login, pull and blob gets its status and a JSON error with
 * its code, and nothing of it is stored; the server never crashes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One real server for the whole suite: after each request the company's
 * whole feed (the pull's answer, byte for byte), its blob and /v1/health
 * are what they were before.
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "crm-test-pg.h"
#include "crm-test-server.h"
#include "crm-test-util.h"

#define CID  "0f8fad5b-d9cb-469f-a165-70867728950e"   /* a client */
#define MID  "7c9e6679-7425-40de-944b-e07fc1f90ae7"   /* a mutation */
#define MID2 "1b4e28ba-2fa1-41d2-883f-0016d3cca427"
#define RID  "9a2f1c3e-5b7d-4e8f-9a1b-2c3d4e5f6a7b"   /* a new record */

/* one mutation, new record RID, with the given kind, member text and fields */
#define MUT(kind, fields) \
  "{\"mutation_id\": \"" MID "\", \"kind\": \"" kind "\", \"id\": \"" RID "\", " \
  "\"op\": \"upsert\", \"base_version\": 0, \"fields\": " fields "}"
#define PUSH(mutations) "{\"client_id\": \"" CID "\", \"mutations\": [" mutations "]}"
#define DEAL(extra) \
  PUSH (MUT ("deal", "{\"title\": \"坏数据\", \"stage\": \"lead\"" extra "}"))
#define FOLLOWUP(extra) \
  PUSH (MUT ("followup", "{\"contact_id\": \"" RID "\", \"notes\": \"坏数据\"" extra "}"))

static struct
{
  CrmTestServer *server;
  char          *token;
  char          *feed;          /* the pull's answer before */
  char          *blob_path;     /* the blob there before */
  char          *counts;        /* the rows of each table of the storage before */
} the;

typedef GBytes *(*MakeBody) (void);

typedef struct
{
  const char *name;
  const char *method;
  const char *path;
  const char *body;           /* or */
  MakeBody    make;
  guint       status;
  const char *code;
} Case;

static GBytes *
huge_name (void)
{
  GString *s = g_string_new ("{\"client_id\": \"" CID "\", \"mutations\": ["
                             "{\"mutation_id\": \"" MID "\", \"kind\": \"contact\", "
                             "\"id\": \"" RID "\", \"op\": \"upsert\", \"base_version\": 0, "
                             "\"fields\": {\"name\": \"");

  for (guint i = 0; i < 1024 * 1024 / 3; i++)
    g_string_append (s, "名");
  g_string_append (s, "\"}}]}");
  return g_string_free_to_bytes (s);
}

static GBytes *
invalid_utf8 (void)
{
  const char *text = PUSH (MUT ("contact", "{\"name\": \"张\xff\xfe三\"}"));

  return g_bytes_new (text, strlen (text));
}

static GBytes *
invalid_utf8_member (void)
{
  const char *text = PUSH (MUT ("contact", "{\"name\": \"张三\", \"\xc3\x28\": \"x\"}"));

  return g_bytes_new (text, strlen (text));
}

static GBytes *
nul_byte (void)
{
  static const char text[] = PUSH (MUT ("contact", "{\"name\": \"张\0三\"}"));

  return g_bytes_new (text, sizeof text - 1);
}

static GBytes *
deep (void)
{
  GString *s = g_string_new ("{\"client_id\": \"" CID "\", \"mutations\": ["
                             "{\"mutation_id\": \"" MID "\", \"kind\": \"contact\", "
                             "\"id\": \"" RID "\", \"op\": \"upsert\", \"base_version\": 0, "
                             "\"fields\": {\"name\": ");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, ']');
  g_string_append (s, "}}]}");
  return g_string_free_to_bytes (s);
}

static GBytes *
deep_objects (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append (s, "{\"a\":");
  g_string_append (s, "1");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, '}');
  return g_string_free_to_bytes (s);
}

/* @n new contacts, each its own mutation id (or all the same one) */
static GBytes *
mutations (guint    n,
           gboolean same_id)
{
  GString *s = g_string_new ("{\"client_id\": \"" CID "\", \"mutations\": [");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      g_autofree char *id = g_uuid_string_random ();

      g_string_append_printf (s, "%s{\"mutation_id\": \"%s\", \"kind\": \"contact\", "
                              "\"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0, "
                              "\"fields\": {\"name\": \"客户%u\"}}",
                              i ? ", " : "", same_id ? MID : mutation_id, id, i);
    }
  g_string_append (s, "]}");
  return g_string_free_to_bytes (s);
}

static GBytes *
mutations_1001 (void)
{
  return mutations (1001, FALSE);
}

static GBytes *
duplicated_id (void)
{
  return mutations (2, TRUE);
}

static GBytes *
over_16_mib (void)
{
  GString *s = g_string_new ("{\"client_id\": \"" CID "\", \"mutations\": [], \"x\": \"");
  gsize size = 16 * 1024 * 1024 + 1024;

  while (s->len < size)
    g_string_append (s, "0123456789abcdef");
  g_string_append (s, "\"}");
  return g_string_free_to_bytes (s);
}

/* 600,000 tiny values in 1.2 MB: json-glib would spend hundreds of MiB on
 * them (16 MiB of them: gigabytes) */
static GBytes *
many_values (void)
{
  GString *s = g_string_new ("{\"client_id\": \"" CID "\", \"mutations\": [], \"x\": [1");

  for (guint i = 1; i < 600000; i++)
    g_string_append (s, ",1");
  g_string_append (s, "]}");
  return g_string_free_to_bytes (s);
}

/* 100 KiB where no route reads a body */
static GBytes *
hundred_kib (void)
{
  return g_bytes_new_take (g_strnfill (100 * 1024, 'x'), 100 * 1024);
}

/* a login of 2 MiB: no one signing in sends that much */
static GBytes *
login_2_mib (void)
{
  GString *s = g_string_new ("{\"company\": \"acme\", \"user\": \"wang\", \"password\": "
                             "\"x\", \"device\": \"d\", \"x\": [");

  while (s->len < 2 * 1024 * 1024)
    g_string_append (s, "\"0123456789abcdef0123456789abcdef\",");
  g_string_append (s, "1]}");
  return g_string_free_to_bytes (s);
}

static GBytes *
eleven_mib (void)
{
  GBytes *bytes = g_bytes_new_take (g_malloc0 (11 * 1024 * 1024), 11 * 1024 * 1024);

  return bytes;
}

static const Case cases[] = {
  /* push */
  { "push/not-json", "POST", "/v1/sync/push", "{\"client_id\": \"", NULL, 400, "malformed" },
  { "push/empty", "POST", "/v1/sync/push", "", NULL, 400, "malformed" },
  { "push/array", "POST", "/v1/sync/push", "[" MUT ("contact", "{\"name\": \"x\"}") "]", NULL,
    400, "malformed" },
  { "push/string", "POST", "/v1/sync/push", "\"push\"", NULL, 400, "malformed" },
  { "push/no-client-id", "POST", "/v1/sync/push",
    "{\"mutations\": [" MUT ("contact", "{\"name\": \"x\"}") "]}", NULL, 400, "malformed" },
  { "push/no-mutations", "POST", "/v1/sync/push", "{\"client_id\": \"" CID "\"}", NULL,
    400, "malformed" },
  { "push/mutations-object", "POST", "/v1/sync/push",
    "{\"client_id\": \"" CID "\", \"mutations\": {}}", NULL, 400, "malformed" },
  { "push/bad-client-uuid", "POST", "/v1/sync/push",
    "{\"client_id\": \"not-a-uuid\", \"mutations\": ["
    MUT ("contact", "{\"name\": \"x\"}") "]}", NULL, 400, "malformed" },
  { "push/bad-record-uuid", "POST", "/v1/sync/push",
    PUSH ("{\"mutation_id\": \"" MID "\", \"kind\": \"contact\", \"id\": \"12345\", "
          "\"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"name\": \"x\"}}"),
    NULL, 400, "malformed" },
  { "push/bad-mutation-uuid", "POST", "/v1/sync/push",
    PUSH ("{\"mutation_id\": \"7c9e6679-7425-40de-944b-e07fc1f90aeZ\", \"kind\": \"contact\", "
          "\"id\": \"" RID "\", \"op\": \"upsert\", \"base_version\": 0, "
          "\"fields\": {\"name\": \"x\"}}"),
    NULL, 400, "malformed" },
  { "push/unknown-member", "POST", "/v1/sync/push",
    "{\"client_id\": \"" CID "\", \"mutations\": [" MUT ("contact", "{\"name\": \"x\"}") "], "
    "\"admin\": true}", NULL, 400, "malformed" },
  { "push/unknown-mutation-member", "POST", "/v1/sync/push",
    PUSH ("{\"mutation_id\": \"" MID "\", \"kind\": \"contact\", \"id\": \"" RID "\", "
          "\"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"name\": \"x\"}, "
          "\"company_id\": \"" CID "\"}"),
    NULL, 400, "malformed" },
  { "push/unknown-kind", "POST", "/v1/sync/push", PUSH (MUT ("invoice", "{\"name\": \"x\"}")),
    NULL, 400, "malformed" },
  { "push/unknown-op", "POST", "/v1/sync/push",
    PUSH ("{\"mutation_id\": \"" MID "\", \"kind\": \"contact\", \"id\": \"" RID "\", "
          "\"op\": \"merge\", \"base_version\": 0, \"fields\": {\"name\": \"x\"}}"),
    NULL, 400, "malformed" },
  { "push/unknown-field", "POST", "/v1/sync/push",
    PUSH (MUT ("contact", "{\"name\": \"x\", \"shoe_size\": \"42\"}")), NULL, 400, "malformed" },
  { "push/field-wrong-type", "POST", "/v1/sync/push", PUSH (MUT ("contact", "{\"name\": 42}")),
    NULL, 400, "malformed" },
  { "push/fields-array", "POST", "/v1/sync/push", PUSH (MUT ("contact", "[\"name\"]")),
    NULL, 400, "malformed" },
  { "push/base-version-string", "POST", "/v1/sync/push",
    PUSH ("{\"mutation_id\": \"" MID "\", \"kind\": \"contact\", \"id\": \"" RID "\", "
          "\"op\": \"upsert\", \"base_version\": \"0\", \"fields\": {\"name\": \"x\"}}"),
    NULL, 400, "malformed" },
  { "push/base-version-negative", "POST", "/v1/sync/push",
    PUSH ("{\"mutation_id\": \"" MID "\", \"kind\": \"contact\", \"id\": \"" RID "\", "
          "\"op\": \"upsert\", \"base_version\": -1, \"fields\": {\"name\": \"x\"}}"),
    NULL, 400, "malformed" },
  { "push/amount-fraction", "POST", "/v1/sync/push", DEAL (", \"amount_fen\": 1.5"), NULL,
    400, "malformed" },
  { "push/amount-string", "POST", "/v1/sync/push", DEAL (", \"amount_fen\": \"100\""), NULL,
    400, "malformed" },
  { "push/amount-exponent", "POST", "/v1/sync/push", DEAL (", \"amount_fen\": 1e3"), NULL,
    400, "malformed" },
  { "push/amount-negative", "POST", "/v1/sync/push", DEAL (", \"amount_fen\": -1"), NULL,
    400, "malformed" },
  { "push/amount-overflow", "POST", "/v1/sync/push",
    DEAL (", \"amount_fen\": 99999999999999999999999"), NULL, 400, "malformed" },
  { "push/stage", "POST", "/v1/sync/push",
    PUSH (MUT ("deal", "{\"title\": \"坏数据\", \"stage\": \"won2\"}")), NULL, 400, "malformed" },
  { "push/currency", "POST", "/v1/sync/push", DEAL (", \"currency\": \"USD\""), NULL,
    400, "malformed" },
  { "push/probability", "POST", "/v1/sync/push", DEAL (", \"probability\": 101"), NULL,
    400, "malformed" },
  { "push/contact-id", "POST", "/v1/sync/push", DEAL (", \"contact_id\": \"nobody\""), NULL,
    400, "malformed" },
  { "push/expected-close", "POST", "/v1/sync/push", DEAL (", \"expected_close\": \"2026-13-45\""),
    NULL, 400, "malformed" },
  { "push/certification-status", "POST", "/v1/sync/push",
    PUSH (MUT ("certification", "{\"company_name\": \"x\", \"status\": \"approved!\"}")), NULL,
    400, "malformed" },
  { "push/followup-kind", "POST", "/v1/sync/push", FOLLOWUP (", \"kind\": \"phone\""), NULL,
    400, "malformed" },
  { "push/followup-next-at", "POST", "/v1/sync/push",
    FOLLOWUP (", \"next_step\": \"x\", \"next_at\": \"tomorrow\""), NULL, 400, "malformed" },
  { "push/followup-happened-at", "POST", "/v1/sync/push",
    FOLLOWUP (", \"happened_at\": \"2026-11-29 08:00\""), NULL, 400, "malformed" },
  { "push/followup-contact-null", "POST", "/v1/sync/push",
    PUSH (MUT ("followup", "{\"contact_id\": null, \"notes\": \"x\"}")), NULL, 400,
    "malformed" },
  { "push/followup-deal-id", "POST", "/v1/sync/push", FOLLOWUP (", \"deal_id\": 7"), NULL,
    400, "malformed" },
  { "push/followup-snoozed", "POST", "/v1/sync/push",
    FOLLOWUP (", \"snoozed_until\": \"2026-11-29T08:00:00Z\""), NULL, 400, "malformed" },
  { "push/name-1mb", "POST", "/v1/sync/push", NULL, huge_name, 400, "malformed" },
  { "push/invalid-utf8", "POST", "/v1/sync/push", NULL, invalid_utf8, 400, "malformed" },
  { "push/invalid-utf8-member", "POST", "/v1/sync/push", NULL, invalid_utf8_member, 400,
    "malformed" },
  { "push/nul-byte", "POST", "/v1/sync/push", NULL, nul_byte, 400, "malformed" },
  { "push/depth-100k", "POST", "/v1/sync/push", NULL, deep, 400, "malformed" },
  { "push/depth-100k-objects", "POST", "/v1/sync/push", NULL, deep_objects, 400, "malformed" },
  { "push/1001-mutations", "POST", "/v1/sync/push", NULL, mutations_1001, 413, "too_large" },
  { "push/duplicated-mutation-id", "POST", "/v1/sync/push", NULL, duplicated_id, 400,
    "malformed" },
  { "push/over-16-mib", "POST", "/v1/sync/push", NULL, over_16_mib, 413, "too_large" },
  { "push/600k-values", "POST", "/v1/sync/push", NULL, many_values, 413, "too_large" },

  /* login */
  { "login/not-json", "POST", "/v1/auth/login", "company=acme&user=wang", NULL, 400,
    "malformed" },
  { "login/empty-object", "POST", "/v1/auth/login", "{}", NULL, 400, "malformed" },
  { "login/no-password", "POST", "/v1/auth/login",
    "{\"company\": \"acme\", \"user\": \"wang\", \"device\": \"d\"}", NULL, 400, "malformed" },
  { "login/no-user", "POST", "/v1/auth/login",
    "{\"company\": \"acme\", \"password\": \"x\", \"device\": \"d\"}", NULL, 400, "malformed" },
  { "login/company-number", "POST", "/v1/auth/login",
    "{\"company\": 1, \"user\": \"wang\", \"password\": \"x\", \"device\": \"d\"}", NULL,
    400, "malformed" },
  { "login/user-array", "POST", "/v1/auth/login",
    "{\"company\": \"acme\", \"user\": [\"wang\"], \"password\": \"x\", \"device\": \"d\"}",
    NULL, 400, "malformed" },
  { "login/password-null", "POST", "/v1/auth/login",
    "{\"company\": \"acme\", \"user\": \"wang\", \"password\": null, \"device\": \"d\"}",
    NULL, 400, "malformed" },
  { "login/array", "POST", "/v1/auth/login", "[\"acme\", \"wang\"]", NULL, 400, "malformed" },
  { "login/over-1-mib", "POST", "/v1/auth/login", NULL, login_2_mib, 413, "too_large" },
  { "pull/body-100-kib", "GET", "/v1/sync/pull", NULL, hundred_kib, 413, "too_large" },

  /* pull */
  { "pull/cursor-negative", "GET", "/v1/sync/pull?cursor=-1&limit=10", NULL, NULL, 400,
    "malformed" },
  { "pull/cursor-letters", "GET", "/v1/sync/pull?cursor=abc&limit=10", NULL, NULL, 400,
    "malformed" },
  { "pull/cursor-exponent", "GET", "/v1/sync/pull?cursor=1e3&limit=10", NULL, NULL, 400,
    "malformed" },
  { "pull/cursor-empty", "GET", "/v1/sync/pull?cursor=&limit=10", NULL, NULL, 400,
    "malformed" },
  { "pull/cursor-overflow", "GET", "/v1/sync/pull?cursor=99999999999999999999999&limit=10",
    NULL, NULL, 400, "malformed" },
  { "pull/limit-zero", "GET", "/v1/sync/pull?cursor=0&limit=0", NULL, NULL, 400, "malformed" },
  { "pull/limit-1001", "GET", "/v1/sync/pull?cursor=0&limit=1001", NULL, NULL, 400,
    "malformed" },
  { "pull/limit-letters", "GET", "/v1/sync/pull?cursor=0&limit=many", NULL, NULL, 400,
    "malformed" },
  { "pull/cursor-ahead", "GET", "/v1/sync/pull?cursor=1000000&limit=10", NULL, NULL, 410,
    "cursor_expired" },

  /* blobs */
  { "blob/bad-hash", "PUT", "/v1/blobs/xyz", "data", NULL, 400, "malformed" },
  { "blob/short-hash", "PUT",
    "/v1/blobs/3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b", "data", NULL,
    400, "malformed" },
  { "blob/mismatch", "PUT",
    "/v1/blobs/3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7", "not data",
    NULL, 400, "malformed" },
  { "blob/over-10-mib", "PUT", NULL /* its own hash */, NULL, eleven_mib, 413, "too_large" },
  { "blob/get-bad-hash", "GET", "/v1/blobs/xyz", NULL, NULL, 400, "malformed" },
  { "blob/get-uppercase-hash", "GET",
    "/v1/blobs/3A6EB0790F39AC87C94F3856B2DD2C5D110E6811602261A9A923D3BB23ADC8B7", NULL, NULL,
    400, "malformed" },
  { "blob/get-traversal", "GET", "/v1/blobs/..%2f..%2fserver.sqlite3", NULL, NULL, 400,
    "malformed" },
  { "blob/delete", "DELETE",
    "/v1/blobs/3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7", NULL, NULL,
    405, "method_not_allowed" },

  /* no such path, no such method */
  { "route/unknown-path", "GET", "/v1/nothing-here", NULL, NULL, 404, "not_found" },
  { "route/push-get", "GET", "/v1/sync/push", NULL, NULL, 405, "method_not_allowed" },
  { "route/pull-delete", "DELETE", "/v1/sync/pull?cursor=0", NULL, NULL, 405,
    "method_not_allowed" },
};

/* "table rows; …" of every table of the server's SQLite file(s), read
 * beside the running server: a refused request leaves no row anywhere (an
 * idempotency row of a refused push would turn its retry into "duplicate") */
static char *
storage_counts (void)
{
  g_autoptr (GDir) dir = g_dir_open (crm_test_server_get_dir (the.server), 0, NULL);
  g_autoptr (GString) counts = g_string_new (NULL);
  const char *name;
  guint files = 0;

  /* on PostgreSQL: every table of the database */
  if (crm_test_server_get_database (the.server) != NULL)
    return crm_test_pg_counts (crm_test_server_get_database (the.server));
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr (GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      if (!g_str_has_suffix (name, ".sqlite3") && !g_str_has_suffix (name, ".db"))
        continue;
      files++;
      path = g_build_filename (crm_test_server_get_dir (the.server), name, NULL);
      g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      sqlite3_busy_timeout (db, 10000);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master "
                                               "WHERE type = 'table' ORDER BY name",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (tables, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
      g_assert_cmpuint (tables->len, >, 0);
      for (guint i = 0; i < tables->len; i++)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"",
                                                  (char *)tables->pdata[i]);

          g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          g_string_append_printf (counts, "%s/%s %lld; ", name, (char *)tables->pdata[i],
                                  (long long)sqlite3_column_int64 (stmt, 0));
          sqlite3_finalize (stmt);
        }
      sqlite3_close (db);
    }
  g_assert_cmpuint (files, >, 0);
  return g_string_free (g_steal_pointer (&counts), FALSE);
}

static void
assert_unchanged (void)
{
  g_autofree char *counts = NULL;
  g_autofree char *feed = NULL;
  g_autofree char *health = NULL;

  g_assert_cmpuint (crm_test_http_json (the.server, "GET", "/v1/health", NULL, NULL, &health),
                    ==, 200);
  g_assert_true (crm_test_server_is_running (the.server));
  g_assert_cmpuint (crm_test_http_json (the.server, "GET", "/v1/sync/pull?cursor=0&limit=1000",
                                        the.token, NULL, &feed), ==, 200);
  g_assert_cmpstr (feed, ==, the.feed);
  g_assert_cmpuint (crm_test_http (the.server, "HEAD", the.blob_path, the.token, NULL, NULL,
                                   NULL, NULL), ==, 200);
  counts = storage_counts ();
  g_assert_cmpstr (counts, ==, the.counts);
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GBytes) answer = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = g_strdup (c->path);
  gboolean login = g_str_has_prefix (c->name, "login/");
  guint status;

  if (c->make != NULL)
    body = c->make ();
  else if (c->body != NULL)
    body = g_bytes_new_static (c->body, strlen (c->body));
  if (path == NULL)
    {
      g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);

      path = g_strconcat ("/v1/blobs/", hash, NULL);
    }

  status = crm_test_http (the.server, c->method, path, login ? NULL : the.token,
                          body ? "application/json" : NULL, body, &answer, NULL);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  if (strlen (text) > 300)
    text[300] = '\0';
  crm_test_assert_error (status, text, c->status, c->code);

  if (c->status == 410)
    {
      g_autoptr (JsonObject) error = crm_test_json_object (text);

      g_assert_true (json_object_has_member (error, "server_epoch"));
      g_assert_true (json_object_has_member (error, "epoch_base"));
    }

  assert_unchanged ();
  /* a blob that was refused is not there */
  if (g_str_has_prefix (c->name, "blob/") && strlen (path) == strlen ("/v1/blobs/") + 64)
    {
      guint head = crm_test_http (the.server, "HEAD", path, the.token, NULL, NULL, NULL, NULL);

      g_assert_true (head == 404 || head == 400);
    }
  /* nor a new record of the push */
  if (g_str_has_prefix (c->name, "push/"))
    {
      g_autoptr (JsonObject) pull = crm_test_server_pull (the.server, the.token, 0);

      g_assert_null (crm_test_pull_find (pull, RID));
    }
}


/* Raw connections, for what libsoup's client never sends: a chunked body
 * without end, a header without end, bytes that are not HTTP. The server's
 * memory (VmRSS, sampled while sending) must not grow with what is sent. */

#define RAW_SEND  (64 * 1024 * 1024)   /* four times the largest body */
#define RAW_GROWTH_KIB (48 * 1024)     /* 16 MiB body limit, plus slack */

static gint64
server_rss_kib (void)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  const char *line;

  path = g_strdup_printf ("/proc/%d/status", crm_test_server_get_pid (the.server));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

static GSocketConnection *
raw_connect (void)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GUri) uri = g_uri_parse (crm_test_server_get_url (the.server), G_URI_FLAGS_NONE,
                                      NULL);
  g_autoptr (GError) error = NULL;
  GSocketConnection *connection;

  g_assert_nonnull (uri);
  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);
  return connection;
}

/* the status of the answer, 0 when the server closed without one */
static guint
raw_status (GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  char buffer[4096];
  gsize got = 0;
  gssize n;
  guint64 status = 0;

  while (got < sizeof buffer - 1
         && (n = g_input_stream_read (in, buffer + got, sizeof buffer - 1 - got, NULL,
                                      NULL)) > 0)
    {
      got += n;
      buffer[got] = '\0';
      if (strstr (buffer, "\r\n") != NULL)
        break;
    }
  buffer[got] = '\0';
  if ((g_str_has_prefix (buffer, "HTTP/1.1 ") || g_str_has_prefix (buffer, "HTTP/1.0 "))
      && got >= 12)
    {
      char code[4] = { buffer[9], buffer[10], buffer[11], '\0' };

      g_ascii_string_to_unsigned (code, 10, 100, 599, &status, NULL);
    }
  g_test_message ("raw answer: %.60s", buffer);
  return status;
}

/* writes @head, then @filler in pieces until RAW_SEND bytes or the server
 * stops taking them, then @tail; returns the largest growth of the
 * server's memory seen meanwhile */
static gint64
raw_send (GSocketConnection *connection,
          const char        *head,
          const char        *piece_head,
          const char        *piece_tail,
          const char        *tail)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree char *filler = g_malloc (64 * 1024);
  gint64 base = server_rss_kib ();
  gint64 growth = 0;
  gsize sent = 0;
  gboolean open;

  memset (filler, 'a', 64 * 1024);
  open = g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  while (open && sent < RAW_SEND)
    {
      open = g_output_stream_write_all (out, piece_head, strlen (piece_head), NULL, NULL, NULL)
             && g_output_stream_write_all (out, filler, 64 * 1024, NULL, NULL, NULL)
             && g_output_stream_write_all (out, piece_tail, strlen (piece_tail), NULL, NULL,
                                           NULL);
      sent += 64 * 1024;
      if (sent % (1024 * 1024) == 0)
        growth = MAX (growth, server_rss_kib () - base);
    }
  if (open)
    g_output_stream_write_all (out, tail, strlen (tail), NULL, NULL, NULL);
  g_test_message ("sent %" G_GSIZE_FORMAT " bytes (%s); the server grew by %" G_GINT64_FORMAT
                  " KiB at most", sent, open ? "all" : "then it closed", growth);
  return growth;
}

static void
test_raw_endless_chunks (void)
{
  g_autoptr (GSocketConnection) connection = raw_connect ();
  g_autofree char *head = NULL;
  gint64 growth;
  guint status;

  head = g_strdup_printf ("POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n", the.token);
  growth = raw_send (connection, head, "10000\r\n", "\r\n", "0\r\n\r\n");
  status = raw_status (connection);
  g_assert_true (status == 413 || status == 0);
  g_assert_cmpint (growth, <, RAW_GROWTH_KIB);
  assert_unchanged ();
}

static void
test_raw_endless_header (void)
{
  g_autoptr (GSocketConnection) connection = raw_connect ();
  gint64 growth;
  guint status;

  growth = raw_send (connection, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: ",
                     "", "", "\r\n\r\n");
  status = raw_status (connection);
  g_assert_true (status == 0 || (status >= 400 && status < 500));
  g_assert_cmpint (growth, <, RAW_GROWTH_KIB);
  assert_unchanged ();
}

static void
test_raw_not_http (void)
{
  /* a TLS hello to the plain port, then a request line that is no HTTP */
  static const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\0\0\0\r\n\r\n";
  const char *lines[] = { hello, "GET\r\n\r\n", "PUSH /v1/sync/push HTTP/9.9\r\n\r\n",
                          "GET /v1/health HTTP/1.1\r\nContent-Length: -5\r\n\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr (GSocketConnection) connection = raw_connect ();
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      gsize size = i == 0 ? sizeof hello - 1 : strlen (lines[i]);
      guint status;

      g_output_stream_write_all (out, lines[i], size, NULL, NULL, NULL);
      status = raw_status (connection);
      g_assert_true (status == 0 || (status >= 400 && status < 600));
      g_assert_cmpuint (status, !=, 500);
      assert_unchanged ();
    }
}

/* the login still works (malformed logins are no failures that lock the
 * user out: GTest runs this before or after the cases) and a good push
 * still applies */
static void
test_still_serves (void)
{
  g_autofree char *token = crm_test_server_login (the.server, "acme", "wang", "acme-Pw-1");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *mutation = crm_test_mutation_json ("contact", id, "upsert", 0,
                                                      "{\"name\": \"最后的客户\"}");
  g_autoptr (JsonObject) push = crm_test_server_push (the.server, token, CID, mutation, NULL);

  g_assert_cmpstr (json_object_get_string_member (crm_test_push_result (push, 0), "status"),
                   ==, "applied");
  /* the feed the other cases compare with (GTest may run this one first) */
  g_clear_pointer (&the.feed, g_free);
  g_assert_cmpuint (crm_test_http_json (the.server, "GET", "/v1/sync/pull?cursor=0&limit=1000",
                                        the.token, NULL, &the.feed), ==, 200);
  g_assert_nonnull (strstr (the.feed, "最后的客户"));
  g_free (the.counts);
  the.counts = storage_counts ();
}

static void
set_up (void)
{
  g_autofree char *contact = g_uuid_string_random ();
  g_autofree char *deal = g_uuid_string_random ();
  g_autofree char *contact_mutation = NULL;
  g_autofree char *deal_mutation = NULL;
  g_autofree char *deal_fields = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (GBytes) blob = g_bytes_new_static ("licence", 7);
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
  g_autofree char *asan = NULL;
  guint status;

  the.server = crm_test_server_new ();
  /* a server built with -Db_sanitize=address keeps what it frees in a
   * quarantine, which the memory bounds of the raw tests would count */
  asan = g_strconcat (g_getenv ("ASAN_OPTIONS") ? g_getenv ("ASAN_OPTIONS") : "",
                      g_getenv ("ASAN_OPTIONS") ? ":" : "", "quarantine_size_mb=0", NULL);
  crm_test_server_setenv (the.server, "ASAN_OPTIONS", asan);
  crm_test_server_add_company (the.server, "acme", "禾苗科技");
  crm_test_server_add_user (the.server, "acme", "wang", "acme-Pw-1");
  crm_test_server_start (the.server);
  the.token = crm_test_server_login (the.server, "acme", "wang", "acme-Pw-1");

  contact_mutation = crm_test_mutation_json ("contact", contact, "upsert", 0,
                                             "{\"name\": \"基准客户\", "
                                             "\"mobile\": \"13800138000\"}");
  deal_fields = g_strdup_printf ("{\"title\": \"基准生意\", \"contact_id\": \"%s\", "
                                 "\"amount_fen\": 1234500, \"stage\": \"proposal\", "
                                 "\"probability\": 60}", contact);
  deal_mutation = crm_test_mutation_json ("deal", deal, "upsert", 0, deal_fields);
  push = crm_test_server_push (the.server, the.token, CID, contact_mutation, deal_mutation,
                               NULL);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (crm_test_push_result (push, i), "status"),
                     ==, "applied");

  the.blob_path = g_strconcat ("/v1/blobs/", hash, NULL);
  status = crm_test_http (the.server, "PUT", the.blob_path, the.token, "image/png", blob, NULL,
                          NULL);
  g_assert_true (status == 200 || status == 201 || status == 204);

  g_assert_cmpuint (crm_test_http_json (the.server, "GET", "/v1/sync/pull?cursor=0&limit=1000",
                                        the.token, NULL, &the.feed), ==, 200);
  the.counts = storage_counts ();
  g_test_message ("the storage: %s", the.counts);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/server/input/", cases[i].name, NULL);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/server/input/still-serves", test_still_serves);
  g_test_add_func ("/server/input/raw/endless-chunks", test_raw_endless_chunks);
  g_test_add_func ("/server/input/raw/endless-header", test_raw_endless_header);
  g_test_add_func ("/server/input/raw/not-http", test_raw_not_http);

  set_up ();
  status = g_test_run ();
  crm_test_server_free (the.server);
  g_free (the.token);
  g_free (the.feed);
  g_free (the.blob_path);
  g_free (the.counts);
  return status;
}
