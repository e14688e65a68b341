/* test-server-retention.c — what the terms promise about time, kept by a real
 * xiaohe-crm-server: a company's data is purged three months after its paid
 * account ended, and not a day before (terms §2.2); a pricing change is
 * published one month before it applies at the earliest (terms §6.2).
 *
 * The server's clock is its hidden --today option: nothing here waits for
 * a date to come.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crm-test-server.h"
#include "crm-test-util.h"

#define SLUG "team"
#define PASSWORD "correct horse 1"

static gboolean
log_says_purged (gpointer data)
{
  g_autofree char *log = crm_test_server_get_log (data);

  return strstr (log, "Purged the data of " SLUG) != NULL;
}

static gboolean
exported_has (CrmTestServer *server,
              const char    *dir,
              const char    *text)
{
  g_autofree char *out = g_build_filename (dir, "export.json", NULL);
  g_autofree char *printed = NULL;
  g_autofree char *contents = NULL;
  int status = -1;

  g_remove (out);
  printed = crm_test_server_run (server, &status, NULL, "export-company", SLUG, out, NULL);
  if (status != 0)
    return FALSE;
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  return strstr (contents, text) != NULL;
}

static void
test_purge_after_three_months (void)
{
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  g_autofree char *tmp = crm_test_make_tmp_dir ();
  g_autofree char *token = NULL;
  g_autofree char *client_id = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *mutation = NULL;
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  g_autofree char *answer = NULL;
  g_autoptr (JsonObject) pushed = NULL;
  int status = -1;

  crm_test_server_add_company (server, SLUG, "Team");
  crm_test_server_add_user (server, SLUG, "wang", PASSWORD);
  crm_test_server_set_today (server, "2026-01-10");
  crm_test_server_start (server);
  token = crm_test_server_login (server, SLUG, "wang", PASSWORD);
  mutation = crm_test_mutation_json ("contact", id, "upsert", 0, "{\"name\": \"留存客户\"}");
  pushed = crm_test_server_push (server, token, client_id, mutation, NULL);
  g_assert_cmpstr (json_object_get_string_member (crm_test_push_result (pushed, 0), "status"),
                   ==, "applied");
  crm_test_server_stop (server);

  /* the paid account ends on 31 January */
  out = crm_test_server_run (server, &status, NULL, "expire", SLUG, "2026-01-31", NULL);
  g_assert_cmpint (status, ==, 0);

  /* the last day of the three months: the data is kept, and exportable */
  crm_test_server_set_today (server, "2026-04-30");
  crm_test_server_start (server);
  g_assert_cmpuint (crm_test_http_json (server, "GET", "/v1/sync/pull?cursor=0", token, NULL,
                                        &answer), ==, 403);
  crm_test_assert_error (403, answer, 403, "account_expired");
  crm_test_server_stop (server);
  log = crm_test_server_get_log (server);
  g_assert_null (strstr (log, "Purged the data of"));
  g_assert_true (exported_has (server, tmp, "留存客户"));

  /* the day after: purged at start, with a line in the log */
  crm_test_server_set_today (server, "2026-05-01");
  crm_test_server_start (server);
  crm_test_wait_until (log_says_purged, server, 30);
  crm_test_server_stop (server);
  g_assert_false (exported_has (server, tmp, "留存客户"));
  g_free (out);
  out = crm_test_server_run (server, &status, NULL, "export-company", SLUG, "/dev/null", NULL);
  g_assert_cmpint (status, !=, 0);   /* no such company any more */

  crm_test_rm_rf (tmp);
}

static void
test_pricing_one_month_ahead (void)
{
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  g_autofree char *tmp = crm_test_make_tmp_dir ();
  g_autofree char *body = g_build_filename (tmp, "body.txt", NULL);
  g_autofree char *token = NULL;
  g_autofree char *answer = NULL;
  g_autoptr (JsonObject) notices = NULL;
  struct {
    const char *today;
    const char *kind;
    const char *effective;
    int         status;
  } cases[] = {
    { "2026-11-29", "pricing", "2026-12-28", 1 },   /* a day short */
    { "2026-11-29", "pricing", "2026-12-29", 0 },   /* one month */
    { "2027-01-31", "pricing", "2027-02-27", 1 },   /* February has no 31st */
    { "2027-01-31", "pricing", "2027-02-28", 0 },
    { "2026-11-29", "pricing", "2026-11-29", 1 },
    { "2026-11-29", "terms", "2026-12-01", 0 },     /* terms: asked again at once */
  };

  crm_test_server_add_company (server, SLUG, "Team");
  crm_test_server_add_user (server, SLUG, "wang", PASSWORD);
  g_assert_true (g_file_set_contents (body, "标准版每用户每月 30 元。", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      int status = -1;

      out = crm_test_server_run (server, &status, NULL, "notice", "--today", cases[i].today,
                                 "--kind", cases[i].kind, "--title", cases[i].effective,
                                 "--body-file", body, "--effective", cases[i].effective, NULL);
      g_test_message ("%s %s %s: %s", cases[i].today, cases[i].kind, cases[i].effective, out);
      g_assert_cmpint (status, ==, cases[i].status);
      if (status != 0)
        g_assert_nonnull (strstr (out, "one month"));
    }

  crm_test_server_start (server);
  token = crm_test_server_login (server, SLUG, "wang", PASSWORD);
  g_assert_cmpuint (crm_test_http_json (server, "GET", "/v1/notices", token, NULL, &answer),
                    ==, 200);
  notices = crm_test_json_object (answer);
  g_assert_nonnull (notices);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (notices, "notices")),
                    ==, 3);
  g_assert_null (strstr (answer, "2026-12-28"));
  g_assert_nonnull (strstr (answer, "2026-12-29"));
  crm_test_rm_rf (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/retention/purge-after-three-months", test_purge_after_three_months);
  g_test_add_func ("/server/retention/pricing-one-month-ahead", test_pricing_one_month_ahead);
  return g_test_run ();
}
