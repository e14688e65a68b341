/* test-sync-basic.c — the sync engine against a real xiaohe-crm-server:
 * sign-in, a contact pushed by one computer and pulled by another, an edit
 * made offline, a logged-out token, refused plain HTTP, pinned certificates
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts its own server (tests/lib/crm-test-server.c) on a
 * loopback port and gives each computer its own store in its own folder.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "crm-store-private.h"
#include "crm-store-sync.h"
#include "crm-test-client.h"

#define SLUG     "acme"
#define USER     "wang"
#define PASSWORD "correct horse 电池"

static CrmTestServer *
new_server (gboolean tls)
{
  CrmTestServer *server = crm_test_server_new ();

  crm_test_server_add_company (server, SLUG, "Acme 小禾");
  crm_test_server_add_user (server, SLUG, USER, PASSWORD);
  if (tls)
    crm_test_server_start_tls (server);
  else
    crm_test_server_start (server);
  return server;
}

static guint
outbox_pending (CrmTestClient *client)
{
  return crm_test_client_count_rows (client,
                                     "SELECT count(*) FROM outbox WHERE state = 'pending'");
}

/* a login with a new store and a client on @url; the error, or NULL */
static GError *
try_login (CrmTestStore  *ts,
           const char    *url,
           const char    *ca_file,
           const char    *pin,
           const char    *password,
           CrmSyncClient **out)
{
  g_autoptr (CrmSyncClient) sync = crm_sync_client_new (ts->store, url);
  g_autoptr (CrmWireSession) session = NULL;
  GError *error = NULL;
  CrmTestWaiter waiter = { FALSE, NULL };

  crm_sync_client_set_retry (sync, 1, 10, 10);
  crm_sync_client_set_timeout (sync, 10);
  if (ca_file != NULL)
    {
      crm_sync_client_set_ca_file (sync, ca_file, &error);
      g_assert_no_error (error);
    }
  crm_sync_client_set_pinned_sha256 (sync, pin);
  crm_sync_client_login_async (sync, SLUG, USER, password, "test", NULL,
                               crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  session = crm_sync_client_login_finish (sync, waiter.result, &error);
  g_object_unref (waiter.result);
  if (session != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (crm_sync_client_get_token (sync), ==, session->token);
      g_assert_cmpstr (session->user_name, ==, USER);
    }
  else
    g_assert_nonnull (error);
  if (out != NULL)
    *out = g_steal_pointer (&sync);
  return error;
}

static void
test_login (void)
{
  g_autoptr (CrmTestServer) server = new_server (FALSE);
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmSyncClient) sync = NULL;
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (GError) error = NULL;

  /* a wrong password: BAD_LOGIN, nothing kept */
  error = try_login (ts, crm_test_server_get_url (server), NULL, NULL, "wrong", &sync);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_BAD_LOGIN);
  g_assert_null (crm_sync_client_get_token (sync));
  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_nonnull (info);
  g_assert_null (info->company_id);
  g_clear_pointer (&info, crm_sync_info_free);
  g_clear_error (&error);
  g_clear_object (&sync);

  /* the right one: a token, and the company kept in the store */
  error = try_login (ts, crm_test_server_get_url (server), NULL, NULL, PASSWORD, &sync);
  g_assert_no_error (error);
  g_assert_nonnull (crm_sync_client_get_token (sync));
  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_no_error (error);
  g_assert_true (crm_wire_is_uuid (info->company_id));
  g_assert_true (crm_wire_is_uuid (info->client_id));

  g_clear_object (&sync);
  crm_test_store_free (ts);
}

static void
test_login_throttled (void)
{
  g_autoptr (CrmTestServer) server = new_server (FALSE);
  CrmTestStore *ts = crm_test_store_new ();
  GError *error;

  for (guint i = 0; i < 5; i++)
    {
      error = try_login (ts, crm_test_server_get_url (server), NULL, NULL, "wrong", NULL);
      g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_BAD_LOGIN);
      g_clear_error (&error);
    }
  /* now even the right password waits; the message says how long */
  error = try_login (ts, crm_test_server_get_url (server), NULL, NULL, PASSWORD, NULL);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_THROTTLED);
  g_assert_nonnull (strpbrk (error->message, "0123456789"));
  g_clear_error (&error);
  crm_test_store_free (ts);
}

/* the push's progress, as "done/total " each time it moves */
static void
on_notify_done (GObject    *object,
                GParamSpec *pspec,
                gpointer    data)
{
  CrmSyncClient *sync = CRM_SYNC_CLIENT (object);

  if (crm_sync_client_get_total (sync) > 0)
    g_string_append_printf (data, "%u/%u ", crm_sync_client_get_done (sync),
                            crm_sync_client_get_total (sync));
}

static void
test_push_pull (void)
{
  g_autoptr (CrmTestServer) server = new_server (FALSE);
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmTestClient) b = crm_test_client_new (server, SLUG, USER, PASSWORD, "b");
  g_autoptr (CrmContact) added = NULL;
  g_autoptr (CrmContact) pulled = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;
  g_autoptr (GString) progress = g_string_new (NULL);

  added = crm_test_add (a->store, "张三", "13800138000", "zhang@example.com");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户 %u", i);
      g_autoptr (CrmContact) other = crm_test_add (a->store, name, NULL, NULL);
    }
  g_assert_cmpuint (outbox_pending (a), ==, 5);
  g_assert_null (crm_test_client_find (b, "张三"));

  /* three batches: 2, 2, 1; "done" of "total" as they go */
  crm_sync_client_set_batch_size (a->sync, 2);
  g_signal_connect (a->sync, "notify::done", G_CALLBACK (on_notify_done), progress);
  crm_test_client_sync (a);
  g_assert_cmpuint (outbox_pending (a), ==, 0);
  g_assert_cmpint (crm_sync_client_get_state (a->sync), ==, CRM_SYNC_STATUS_IDLE);
  g_assert_null (crm_sync_client_get_error_message (a->sync));
  g_assert_cmpstr (progress->str, ==, "2/5 4/5 5/5 ");

  crm_test_client_sync (b);
  pulled = crm_test_client_find (b, "张三");
  g_assert_nonnull (pulled);
  g_assert_cmpstr (crm_contact_get_id (pulled), ==, crm_contact_get_id (added));
  /* the pulled record queues nothing to send back */
  g_assert_cmpuint (outbox_pending (b), ==, 0);
  dump_a = crm_test_client_dump (a);
  dump_b = crm_test_client_dump (b);
  g_assert_cmpstr (dump_a, ==, dump_b);
}

static void
on_notify_state (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    data)
{
  GArray *states = data;
  CrmSyncStatus state = crm_sync_client_get_state (CRM_SYNC_CLIENT (object));

  g_array_append_val (states, state);
}

static void
test_offline_edit (void)
{
  g_autoptr (CrmTestServer) server = new_server (FALSE);
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmTestClient) b = crm_test_client_new (server, SLUG, USER, PASSWORD, "b");
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (CrmContact) pulled = NULL;
  g_autoptr (GArray) states = g_array_new (FALSE, FALSE, sizeof (CrmSyncStatus));
  g_autoptr (GError) error = NULL;

  contact = crm_test_add (a->store, "李四", "13800138001", NULL);
  crm_test_client_sync (a);
  crm_test_client_sync (b);

  crm_test_server_stop (server);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_TITLE, "经理");
  g_assert_true (crm_store_save_contact (a->store, contact, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_pending (a), ==, 1);

  crm_sync_client_set_retry (a->sync, 2, 10, 20);
  g_signal_connect (a->sync, "notify::state", G_CALLBACK (on_notify_state), states);
  g_assert_false (crm_test_client_try_sync (a, &error));
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_cmpint (crm_sync_client_get_state (a->sync), ==, CRM_SYNC_STATUS_OFFLINE);
  g_assert_nonnull (crm_sync_client_get_error_message (a->sync));
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, CrmSyncStatus, 0), ==, CRM_SYNC_STATUS_SYNCING);
  g_assert_cmpint (g_array_index (states, CrmSyncStatus, 1), ==, CRM_SYNC_STATUS_OFFLINE);
  /* kept, with its attempts counted */
  g_assert_cmpuint (outbox_pending (a), ==, 1);
  g_assert_cmpuint (crm_test_client_count_rows (a, "SELECT attempts FROM outbox"), ==, 2);

  crm_test_server_start (server);
  crm_test_client_sync (a);
  g_assert_cmpint (crm_sync_client_get_state (a->sync), ==, CRM_SYNC_STATUS_IDLE);
  g_assert_null (crm_sync_client_get_error_message (a->sync));
  g_assert_cmpuint (outbox_pending (a), ==, 0);

  crm_test_client_sync (b);
  pulled = crm_test_client_find (b, "李四");
  g_assert_nonnull (pulled);
  g_assert_cmpstr (crm_contact_get_field (pulled, CRM_CONTACT_FIELD_TITLE), ==, "经理");
}

static char *
epoch_of (CrmTestClient *client)
{
  g_autoptr (CrmSyncInfo) info = crm_store_get_sync_info (client->store, NULL);

  g_assert_nonnull (info);
  return g_strdup (info->server_epoch);
}

/* The server's storage goes back to an older copy: B (its cursor within
 * what the copy has) sees a new epoch on its next page; A (its cursor
 * ahead of the copy) gets a 410; A's contact and follow-up the copy lost
 * go up again. */
static void
test_restored_server (void)
{
  g_autoptr (CrmTestServer) server = new_server (FALSE);
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmTestClient) b = crm_test_client_new (server, SLUG, USER, PASSWORD, "b");
  g_autoptr (CrmContact) x = NULL;
  g_autoptr (CrmContact) y = NULL;
  g_autoptr (CrmFollowup) logged = crm_followup_new ();
  g_autoptr (CrmFollowup) seen = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *first_epoch = NULL;
  g_autofree char *epoch_a = NULL;
  g_autofree char *epoch_b = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;

  x = crm_test_add (a->store, "旧", "13800138010", NULL);
  crm_test_client_sync (a);
  crm_test_client_sync (b);
  first_epoch = epoch_of (b);
  g_assert_nonnull (first_epoch);

  crm_test_server_stop (server);
  crm_test_server_save_copy (server);
  crm_test_server_start (server);

  y = crm_test_add (a->store, "新", "13800138011", NULL);
  crm_followup_set_contact_id (logged, crm_contact_get_id (x));
  crm_followup_set_notes (logged, "回访");
  g_assert_true (crm_store_save_followup (a->store, logged, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
  crm_test_client_sync (a);
  g_assert_cmpuint (outbox_pending (a), ==, 0);

  /* back to the copy that never saw 新 */
  crm_test_server_stop (server);
  crm_test_server_restore_copy (server);
  crm_test_server_start (server);

  crm_test_client_sync (b);
  epoch_b = epoch_of (b);
  g_assert_cmpstr (epoch_b, !=, first_epoch);
  g_assert_null (crm_test_client_find (b, "新"));

  crm_test_client_sync (a);
  epoch_a = epoch_of (a);
  g_assert_cmpstr (epoch_a, ==, epoch_b);
  g_assert_cmpuint (outbox_pending (a), ==, 0);

  crm_test_client_sync (b);
  g_clear_object (&y);
  y = crm_test_client_find (b, "新");
  g_assert_nonnull (y);
  seen = crm_store_get_followup (b->store, crm_followup_get_id (logged), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_followup_get_notes (seen), ==, "回访");
  dump_a = crm_test_client_dump (a);
  dump_b = crm_test_client_dump (b);
  g_assert_cmpstr (dump_a, ==, dump_b);
}

/* The certification names its license: the blob goes up before it. */
static void
test_license_blob (void)
{
  g_autoptr (CrmTestServer) server = new_server (FALSE);
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmTestClient) b = crm_test_client_new (server, SLUG, USER, PASSWORD, "b");
  g_autoptr (CrmLicenseFile) license = crm_test_license_png (400, 300, 0xc01c28ff);
  g_autoptr (CrmCertification) cert = crm_test_certification (license);
  g_autoptr (CrmCertification) pulled = NULL;
  g_autoptr (GPtrArray) rejected = NULL;
  g_autoptr (GBytes) blob = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strconcat ("/v1/blobs/", license->sha256, NULL);
  guint status;

  g_assert_true (crm_store_put_blob (a->store, license, &error));
  g_assert_true (crm_store_save_certification (a->store, cert, &error));
  g_assert_true (crm_store_submit_certification (a->store, &error));
  g_assert_no_error (error);

  status = crm_test_http (server, "HEAD", path, crm_sync_client_get_token (a->sync),
                          NULL, NULL, NULL, NULL);
  g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);

  crm_test_client_sync (a);
  rejected = crm_store_outbox_rejections (a->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, ==, 0);
  g_assert_cmpuint (outbox_pending (a), ==, 0);
  status = crm_test_http (server, "HEAD", path, crm_sync_client_get_token (a->sync),
                          NULL, NULL, NULL, NULL);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);

  crm_test_client_sync (b);
  pulled = crm_store_get_certification (b->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pulled);
  g_assert_cmpstr (pulled->license_sha256, ==, license->sha256);
  g_assert_cmpint (pulled->status, ==, CRM_CERTIFICATION_SUBMITTED);
  /* its file came down with it */
  blob = crm_store_get_blob (b->store, license->sha256, &error);
  g_assert_no_error (error);
  g_assert_nonnull (blob);
  g_assert_cmpuint (g_bytes_get_size (blob), ==, license->size);
}

static void
test_notices (void)
{
  g_autoptr (CrmTestServer) server = new_server (FALSE);
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autofree char *body_file = g_build_filename (crm_test_server_get_dir (server),
                                                 "notice.txt", NULL);
  g_autofree char *out = NULL;
  g_autoptr (GPtrArray) notices = NULL;
  g_autoptr (GError) error = NULL;
  CrmTestWaiter waiter = { FALSE, NULL };
  CrmWireNotice *notice;
  int status;

  g_assert_true (g_file_set_contents (body_file, "标准版每用户每月 30 元。", -1, &error));
  out = crm_test_server_run (server, &status, NULL, "notice", "--kind", "pricing",
                             "--title", "新价格", "--body-file", body_file,
                             "--effective", "2099-01-01", NULL);
  g_assert_cmpint (status, ==, 0);

  crm_sync_client_notices_async (a->sync, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  notices = crm_sync_client_notices_finish (a->sync, waiter.result, &error);
  g_object_unref (waiter.result);
  g_assert_no_error (error);
  g_assert_cmpuint (notices->len, ==, 1);
  notice = g_ptr_array_index (notices, 0);
  g_assert_cmpstr (notice->kind, ==, "pricing");
  g_assert_cmpstr (notice->title, ==, "新价格");
  g_assert_cmpstr (notice->body, ==, "标准版每用户每月 30 元。");
  g_assert_cmpstr (notice->effective_at, ==, "2099-01-01");
}

static void
test_logged_out (void)
{
  g_autoptr (CrmTestServer) server = new_server (FALSE);
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autofree char *token = g_strdup (crm_sync_client_get_token (a->sync));
  g_autoptr (GError) error = NULL;
  CrmTestWaiter waiter = { FALSE, NULL };

  crm_test_client_sync (a);

  crm_sync_client_logout_async (a->sync, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  g_assert_true (crm_sync_client_logout_finish (a->sync, waiter.result, &error));
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
  g_assert_null (crm_sync_client_get_token (a->sync));

  /* the old token no longer works: at once, no retry */
  crm_sync_client_set_token (a->sync, token);
  crm_sync_client_set_retry (a->sync, 6, 10000, 10000);
  g_assert_false (crm_test_client_try_sync (a, &error));
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED);
  g_assert_cmpint (crm_sync_client_get_state (a->sync), ==, CRM_SYNC_STATUS_ERROR);
  g_assert_nonnull (crm_sync_client_get_error_message (a->sync));
}

static void
test_plain_http (void)
{
  const char *refused[] = {
    "http://192.0.2.1:8080", "http://example.com", "http://10.0.0.1",
    "http://127.0.0.1.example.com:80", "ftp://127.0.0.1", "not a url",
  };
  CrmTestStore *ts = crm_test_store_new ();

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmSyncClient) sync = NULL;

      g_test_message ("%s", refused[i]);
      error = try_login (ts, refused[i], NULL, NULL, PASSWORD, &sync);
      g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_TLS);
      g_assert_nonnull (error->message);
    }

  /* a loopback address is allowed: nobody listens there, so no answer */
  {
    const char *allowed[] = { "http://127.0.0.1:9", "http://[::1]:9", "http://localhost:9" };

    for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
      {
        g_autoptr (GError) error = try_login (ts, allowed[i], NULL, NULL, PASSWORD, NULL);

        g_test_message ("%s", allowed[i]);
        g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE);
      }
  }
  crm_test_store_free (ts);
}

static void
test_tls (void)
{
  g_autoptr (CrmTestServer) server = new_server (TRUE);
  g_autofree char *fingerprint = crm_test_server_get_cert_sha256 (server);
  g_autofree char *upper = g_ascii_strup (fingerprint, -1);
  g_autofree char *wrong = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "other", -1);
  const char *url = crm_test_server_get_url (server);
  CrmTestStore *ts = crm_test_store_new ();
  GError *error;

  g_assert_true (g_str_has_prefix (url, "https://"));

  /* self-signed: not trusted by the system's CAs */
  error = try_login (ts, url, NULL, NULL, PASSWORD, NULL);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_TLS);
  g_clear_error (&error);

  /* a fingerprint that is not the certificate's */
  error = try_login (ts, url, NULL, wrong, PASSWORD, NULL);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_TLS);
  g_clear_error (&error);

  /* the certificate's own, in either case */
  error = try_login (ts, url, NULL, fingerprint, PASSWORD, NULL);
  g_assert_no_error (error);
  error = try_login (ts, url, NULL, upper, PASSWORD, NULL);
  g_assert_no_error (error);

  /* its CA file */
  error = try_login (ts, url, crm_test_server_get_ca_file (server), NULL, PASSWORD, NULL);
  g_assert_no_error (error);

  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/login", test_login);
  g_test_add_func ("/sync/login-throttled", test_login_throttled);
  g_test_add_func ("/sync/push-pull", test_push_pull);
  g_test_add_func ("/sync/offline-edit", test_offline_edit);
  g_test_add_func ("/sync/restored-server", test_restored_server);
  g_test_add_func ("/sync/license-blob", test_license_blob);
  g_test_add_func ("/sync/notices", test_notices);
  g_test_add_func ("/sync/logged-out", test_logged_out);
  g_test_add_func ("/sync/plain-http", test_plain_http);
  g_test_add_func ("/sync/tls", test_tls);
  return g_test_run ();
}
