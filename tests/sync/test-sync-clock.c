/* test-sync-clock.c — computers whose clocks are hours off sync exactly like
 * the others: the server's sequence orders changes, never a wall clock
 *
 * Runs under libfaketime (tests/meson.build preloads it for this test only,
 * with FAKETIME_TIMESTAMP_FILE and FAKETIME_NO_CACHE), so this process's
 * clock is moved by rewriting that file: one computer six hours ahead,
 * the other six hours behind. The server is started without the preload
 * and keeps the true time.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crm-store-sync.h"
#include "crm-test-client.h"

#define SLUG "team"
#define PASSWORD "correct horse 1"

static void
set_clock (const char *offset)
{
  const char *path = g_getenv ("FAKETIME_TIMESTAMP_FILE");
  g_autofree char *spec = g_strdup_printf ("%s\n", offset);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, spec, -1, &error);
  g_assert_no_error (error);
}

static gint64
updated_at_unix (CrmTestClient *client,
                 CrmContact    *contact)
{
  g_autoptr (CrmContact) fresh = crm_store_get_contact (client->store,
                                                        crm_contact_get_id (contact), NULL);
  g_autoptr (GDateTime) when = g_date_time_new_from_iso8601 (
    crm_contact_get_updated_at (fresh), NULL);

  g_assert_nonnull (when);
  return g_date_time_to_unix (when);
}

static void
test_clocks_off (void)
{
  g_autoptr (CrmTestServer) server = NULL;
  g_autoptr (CrmTestClient) ahead = NULL;
  g_autoptr (CrmTestClient) behind = NULL;
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (CrmContact) on_ahead = NULL;
  g_autofree char *dump_ahead = NULL;
  g_autofree char *dump_behind = NULL;
  gint64 now;

  set_clock ("+0");
  /* the server keeps the true time: it is started without the preload */
  g_unsetenv ("LD_PRELOAD");
  server = crm_test_server_new ();
  crm_test_server_add_company (server, SLUG, "Team");
  crm_test_server_add_user (server, SLUG, "wang", PASSWORD);
  crm_test_server_add_user (server, SLUG, "li", PASSWORD);
  crm_test_server_start (server);
  ahead = crm_test_client_new (server, SLUG, "wang", PASSWORD, "ahead");
  behind = crm_test_client_new (server, SLUG, "li", PASSWORD, "behind");

  contact = crm_test_add (ahead->store, "时差", NULL, NULL);
  crm_test_client_sync (ahead);
  crm_test_client_sync (behind);

  now = g_get_real_time () / G_USEC_PER_SEC;
  set_clock ("+6h");
  crm_test_client_edit (ahead, contact, CRM_CONTACT_FIELD_TITLE, "快六小时");
  g_assert_cmpint (updated_at_unix (ahead, contact), >, now + 5 * 3600);   /* really off */
  set_clock ("-6h");
  crm_test_client_edit (behind, contact, CRM_CONTACT_FIELD_TITLE, "慢六小时");
  crm_test_client_edit (behind, contact, CRM_CONTACT_FIELD_NOTES, "慢的备注");
  g_assert_cmpint (updated_at_unix (behind, contact), <, now - 5 * 3600);

  /* the one behind arrives later: its value wins, whatever the clocks say */
  set_clock ("+6h");
  crm_test_client_sync (ahead);
  set_clock ("-6h");
  crm_test_client_sync (behind);
  set_clock ("+6h");
  crm_test_client_sync (ahead);

  on_ahead = crm_store_get_contact (ahead->store, crm_contact_get_id (contact), NULL);
  g_assert_cmpstr (crm_contact_get_field (on_ahead, CRM_CONTACT_FIELD_TITLE), ==, "慢六小时");
  g_assert_cmpstr (crm_contact_get_field (on_ahead, CRM_CONTACT_FIELD_NOTES), ==, "慢的备注");

  /* and the other way round: the one ahead arrives last and wins */
  crm_test_client_edit (ahead, contact, CRM_CONTACT_FIELD_COMPANY, "快的公司");
  set_clock ("-6h");
  crm_test_client_edit (behind, contact, CRM_CONTACT_FIELD_COMPANY, "慢的公司");
  crm_test_client_sync (behind);
  set_clock ("+6h");
  crm_test_client_sync (ahead);
  set_clock ("-6h");
  crm_test_client_sync (behind);

  set_clock ("+0");
  dump_ahead = crm_test_client_dump (ahead);
  dump_behind = crm_test_client_dump (behind);
  g_assert_cmpstr (dump_ahead, ==, dump_behind);
  g_assert_nonnull (strstr (dump_ahead, "快的公司"));
  g_assert_cmpuint (crm_store_outbox_count (ahead->store), ==, 0);
  g_assert_cmpuint (crm_store_outbox_count (behind->store), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("FAKETIME_TIMESTAMP_FILE") == NULL)
    {
      g_print ("1..0 # SKIP needs libfaketime: run it through meson test\n");
      return 0;
    }
  g_test_add_func ("/sync/clock/hours-off", test_clocks_off);
  return g_test_run ();
}
