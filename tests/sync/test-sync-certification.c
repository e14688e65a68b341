/* test-sync-certification.c — the certification's round trip through a real
 * server: submitted with its license, rejected with a reason by the
 * operator (`xiaohe-crm-server certify`), corrected and submitted again,
 * approved; then locked in the app's store and on the server, and the same
 * on a colleague's computer
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-store-sync.h"
#include "crm-test-client.h"

#define SLUG "team"
#define PASSWORD "correct horse 1"

static CrmCertification *
read_certification (CrmTestClient *client)
{
  g_autoptr (GError) error = NULL;
  CrmCertification *cert = crm_store_get_certification (client->store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cert);
  return cert;
}

static void
certify (CrmTestServer *server,
         const char    *verdict,
         const char    *reason)
{
  g_autofree char *out = NULL;
  int status = -1;

  out = crm_test_server_run (server, &status, NULL, "certify", SLUG, verdict, reason, NULL);
  g_test_message ("certify %s: %s", verdict, out);
  g_assert_cmpint (status, ==, 0);
}

static void
test_round_trip (void)
{
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  g_autoptr (CrmTestClient) a = NULL;
  g_autoptr (CrmTestClient) b = NULL;
  g_autoptr (CrmLicenseFile) license = crm_test_license_png (400, 300, 0x2050a0ff);
  g_autoptr (CrmCertification) cert = crm_test_certification (license);
  g_autoptr (CrmCertification) seen = NULL;
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *client_id = g_uuid_string_random ();
  g_autofree char *mutation = NULL;
  g_autoptr (JsonObject) pushed = NULL;
  JsonObject *result;

  crm_test_server_add_company (server, SLUG, "Team");
  crm_test_server_add_user (server, SLUG, "wang", PASSWORD);
  crm_test_server_add_user (server, SLUG, "li", PASSWORD);
  crm_test_server_start (server);
  a = crm_test_client_new (server, SLUG, "wang", PASSWORD, "a");

  g_assert_true (crm_store_put_blob (a->store, license, &error));
  g_assert_true (crm_store_save_certification (a->store, cert, &error));
  g_assert_true (crm_store_submit_certification (a->store, &error));
  g_assert_no_error (error);
  crm_test_client_sync (a);

  /* rejected, with the operator's reason */
  certify (server, "--reject", "营业执照照片不清晰");
  crm_test_client_sync (a);
  seen = read_certification (a);
  g_assert_cmpint (seen->status, ==, CRM_CERTIFICATION_REJECTED);
  g_assert_cmpstr (seen->reject_reason, ==, "营业执照照片不清晰");
  g_assert_false (crm_certification_is_locked (seen));

  /* corrected and submitted again */
  g_free (seen->address);
  seen->address = g_strdup ("河南省郑州市金水区经三路 1 号");
  g_assert_true (crm_store_save_certification (a->store, seen, &error));
  g_assert_true (crm_store_submit_certification (a->store, &error));
  g_assert_no_error (error);
  crm_test_client_sync (a);
  g_clear_pointer (&seen, crm_certification_free);
  seen = read_certification (a);
  g_assert_cmpint (seen->status, ==, CRM_CERTIFICATION_SUBMITTED);

  /* approved: locked in the app's store */
  certify (server, "--approve", NULL);
  crm_test_client_sync (a);
  g_clear_pointer (&seen, crm_certification_free);
  seen = read_certification (a);
  g_assert_cmpint (seen->status, ==, CRM_CERTIFICATION_CERTIFIED);
  g_assert_true (crm_certification_is_locked (seen));
  g_assert_cmpstr (seen->address, ==, "河南省郑州市金水区经三路 1 号");
  g_free (seen->company_name);
  seen->company_name = g_strdup ("别的公司");
  g_assert_false (crm_store_save_certification (a->store, seen, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* and on the server, whatever a client sends */
  info = crm_store_get_sync_info (a->store, &error);
  g_assert_no_error (error);
  token = crm_test_server_login (server, SLUG, "li", PASSWORD);
  mutation = crm_test_mutation_json ("certification", info->company_id, "upsert", 0,
                                     "{\"company_name\": \"别的公司\"}");
  pushed = crm_test_server_push (server, token, client_id, mutation, NULL);
  result = crm_test_push_result (pushed, 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "locked");

  /* a colleague's computer gets the certified record and its license */
  b = crm_test_client_new (server, SLUG, "li", PASSWORD, "b");
  crm_test_client_sync (b);
  g_clear_pointer (&seen, crm_certification_free);
  seen = read_certification (b);
  g_assert_cmpint (seen->status, ==, CRM_CERTIFICATION_CERTIFIED);
  g_assert_cmpstr (seen->company_name, ==, "郑州小禾信息科技有限公司");
  g_assert_cmpstr (seen->license_sha256, ==, license->sha256);
  {
    g_autoptr (GBytes) blob = crm_store_get_blob (b->store, license->sha256, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (blob), ==, license->size);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/certification/round-trip", test_round_trip);
  return g_test_run ();
}
