/* test-server-users.c — GET /v1/users on a real xiaohe-crm-server: each
 * company sees its own users only, by name, and nothing of them but the id
 * and the name; the usual auth (401, 403 account_expired, 405); and the
 * codec that reads the answer (crm_wire_parse_users) refuses what the
 * client could not keep.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crm-test-server.h"
#include "crm-test-util.h"
#include "crm-wire.h"

#define PASSWORD "correct horse 1"

/* the names in a 200 answer to GET /v1/users, as one "a,b,c" text; each
 * user's members are exactly id (a UUID) and name */
static char *
get_user_names (CrmTestServer *server,
                const char    *token)
{
  g_autofree char *answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GString) names = g_string_new (NULL);
  g_autoptr (JsonObject) root = NULL;
  JsonArray *array;

  g_assert_cmpuint (crm_test_http_json (server, "GET", "/v1/users", token, NULL, &answer),
                    ==, 200);
  users = crm_wire_parse_users (answer, strlen (answer), &error);
  g_assert_no_error (error);
  root = crm_test_json_object (answer);
  array = json_object_get_array_member (root, "users");
  g_assert_cmpuint (json_array_get_length (array), ==, users->len);
  for (guint i = 0; i < users->len; i++)
    {
      const CrmWireUser *u = users->pdata[i];
      JsonObject *object = json_array_get_object_element (array, i);

      g_assert_cmpuint (json_object_get_size (object), ==, 2);   /* no hash, no company */
      g_assert_true (crm_wire_is_uuid (u->id));
      g_string_append_printf (names, "%s%s", i ? "," : "", u->name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
test_each_company_its_own (void)
{
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *names_a = NULL;
  g_autofree char *names_b = NULL;
  g_autofree char *answer = NULL;

  crm_test_server_add_company (server, "alpha", "Alpha");
  crm_test_server_add_company (server, "beta", "Beta");
  crm_test_server_add_user (server, "alpha", "wang", PASSWORD);
  crm_test_server_add_user (server, "alpha", "li", PASSWORD);
  crm_test_server_add_user (server, "alpha", "zhao", PASSWORD);
  crm_test_server_add_user (server, "beta", "chen", PASSWORD);
  crm_test_server_start (server);

  token_a = crm_test_server_login (server, "alpha", "wang", PASSWORD);
  token_b = crm_test_server_login (server, "beta", "chen", PASSWORD);
  names_a = get_user_names (server, token_a);
  names_b = get_user_names (server, token_b);
  g_assert_cmpstr (names_a, ==, "li,wang,zhao");   /* sorted by name */
  g_assert_cmpstr (names_b, ==, "chen");

  /* no token, a wrong one: 401 */
  g_assert_cmpuint (crm_test_http_json (server, "GET", "/v1/users", NULL, NULL, &answer),
                    ==, 401);
  crm_test_assert_error (401, answer, 401, "unauthorized");
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (crm_test_http_json (server, "GET", "/v1/users", "not-a-token", NULL,
                                        &answer), ==, 401);
  crm_test_assert_error (401, answer, 401, "unauthorized");
  g_clear_pointer (&answer, g_free);

  /* a read only: POST is 405 */
  g_assert_cmpuint (crm_test_http_json (server, "POST", "/v1/users", token_a, "{}", &answer),
                    ==, 405);
  crm_test_assert_error (405, answer, 405, "method_not_allowed");
  g_clear_pointer (&answer, g_free);

  /* after a logout the token no longer lists anyone */
  g_assert_cmpuint (crm_test_http_json (server, "POST", "/v1/auth/logout", token_b, NULL,
                                        NULL), ==, 204);
  g_assert_cmpuint (crm_test_http_json (server, "GET", "/v1/users", token_b, NULL, &answer),
                    ==, 401);
  crm_test_server_stop (server);
}

static void
test_expired_account (void)
{
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  g_autofree char *token = NULL;
  g_autofree char *out = NULL;
  g_autofree char *answer = NULL;
  int status = -1;

  crm_test_server_add_company (server, "team", "Team");
  crm_test_server_add_user (server, "team", "wang", PASSWORD);
  crm_test_server_set_today (server, "2026-03-01");
  crm_test_server_start (server);
  token = crm_test_server_login (server, "team", "wang", PASSWORD);
  crm_test_server_stop (server);
  out = crm_test_server_run (server, &status, NULL, "expire", "team", "2026-02-28", NULL);
  g_assert_cmpint (status, ==, 0);
  crm_test_server_start (server);
  g_assert_cmpuint (crm_test_http_json (server, "GET", "/v1/users", token, NULL, &answer),
                    ==, 403);
  crm_test_assert_error (403, answer, 403, "account_expired");
  crm_test_server_stop (server);
}

static void
test_codec_strict (void)
{
  const char *good = "{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\","
                     "\"name\":\"王芳\",\"since\":\"later\"}],\"more\":1}";
  const char *bad[] = {
    "{}",
    "{\"users\":{}}",
    "{\"users\":[{\"id\":\"x\",\"name\":\"li\"}]}",
    "{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\"}]}",
    "{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\",\"name\":\"  \"}]}",
    "{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\",\"name\":\"a\\u0001\"}]}",
    "{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\",\"name\":7}]}",
    "{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\",\"name\":\"li\"},"
    "{\"id\":\"5e0f7c1a-8d2b-4a3e-b6c9-1e2f3a4b5c6d\",\"name\":\"li\"}]}",
    "{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\",\"name\":\"\xff\"}]}",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) users = crm_wire_parse_users (good, strlen (good), &error);
  g_autofree char *built = NULL;

  /* a newer server's extra members are read past */
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
  g_assert_cmpstr (((CrmWireUser *) users->pdata[0])->name, ==, "王芳");
  built = crm_wire_build_users (users, NULL);
  g_assert_cmpstr (built, ==,
                   "{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\","
                   "\"name\":\"王芳\"}]}");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GPtrArray) refused = crm_wire_parse_users (bad[i], strlen (bad[i]), &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (refused);
      g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
      g_clear_error (&error);
    }

  /* 200 characters is a name, 201 is not */
  {
    g_autofree char *n200 = g_strnfill (200, 'x');
    g_autofree char *n201 = g_strnfill (201, 'x');
    g_autofree char *ok_text = NULL;
    g_autofree char *long_text = NULL;
    g_autoptr (GPtrArray) ok = NULL;
    g_autoptr (GPtrArray) refused = NULL;

    ok_text = g_strdup_printf ("{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\","
                               "\"name\":\"%s\"}]}", n200);
    long_text = g_strdup_printf ("{\"users\":[{\"id\":\"0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10\","
                                 "\"name\":\"%s\"}]}", n201);
    ok = crm_wire_parse_users (ok_text, strlen (ok_text), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ok->len, ==, 1);
    refused = crm_wire_parse_users (long_text, strlen (long_text), &error);
    g_assert_null (refused);
    g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/users/each-company-its-own", test_each_company_its_own);
  g_test_add_func ("/server/users/expired-account", test_expired_account);
  g_test_add_func ("/server/users/codec-strict", test_codec_strict);
  return g_test_run ();
}
