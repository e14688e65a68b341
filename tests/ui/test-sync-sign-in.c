/* test-sync-sign-in.c — the sign-in dialog against a real xiaohe-crm-server
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each refusal (an http:// address that is not this computer, an empty
 * field, a wrong password, too many attempts, a server that is down) is
 * said inside the dialog with the fields kept and nothing kept anywhere. A
 * self-signed server shows the SHA-256 fingerprint of its certificate and is
 * trusted only on "Trust and Sign In"; then the token is in the keyring,
 * the fingerprint (and no secret) with the account, and signing out revokes
 * the token and clears the keyring. Needs the test session (a display and
 * an unlocked keyring) and XIAOHE_CRM_SERVER.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-credentials.h"
#include "crm-sign-in-dialog.h"
#include "crm-sync-controller.h"
#include "crm-test-server.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"

#define PASSWORD "Wang-pw-7f3a91c2"

typedef struct
{
  CrmTestStore      *ts;
  CrmTestServer     *server;
  CrmSyncController *controller;
  GtkWidget         *dialog;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ts = crm_test_store_new ();
  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, "acme", "Acme Trading");
  crm_test_server_add_user (f->server, "acme", "wang", PASSWORD);
  f->controller = crm_sync_controller_new (f->ts->store);
  f->dialog = crm_sign_in_dialog_new (f->controller);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  gtk_window_present (GTK_WINDOW (f->dialog));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  g_object_run_dispose (G_OBJECT (f->controller));
  g_clear_object (&f->controller);
  crm_test_server_free (f->server);
  crm_test_store_free (f->ts);
}

static void
fill (Fixture    *f,
      const char *server,
      const char *company,
      const char *user,
      const char *password)
{
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_get (f->dialog, "server_entry")), server);
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_get (f->dialog, "company_entry")), company);
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_get (f->dialog, "user_entry")), user);
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_get (f->dialog, "password_entry")), password);
}

static const char *
text_of (Fixture    *f,
         const char *id)
{
  GtkWidget *widget = crm_ui_get (f->dialog, id);

  return GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget))
                               : gtk_editable_get_text (GTK_EDITABLE (widget));
}

static gboolean
answered (gpointer data)
{
  Fixture *f = data;

  /* pressing it shows the spinner at once; the answer stops it */
  return f->dialog == NULL || !gtk_spinner_get_spinning (GTK_SPINNER (crm_ui_get (f->dialog,
                                                                                 "spinner")));
}

/* presses Sign In (Enter in a field does the same) and waits for the answer */
static void
sign_in (Fixture *f)
{
  gtk_widget_activate_action (f->dialog, "sign-in.sign-in", NULL);
  crm_test_wait_until (answered, f, 60);
}

static CrmCredentials *
kept_for (const char *server)
{
  CrmTestWaiter waiter = { 0 };
  g_autoptr (GError) error = NULL;
  CrmCredentials *credentials;

  crm_credentials_lookup_async (server, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 30);
  credentials = crm_credentials_lookup_finish (waiter.result, &error);
  g_object_unref (waiter.result);
  g_assert_no_error (error);
  return credentials;
}

static char *
account_file (Fixture *f)
{
  return g_build_filename (f->ts->dir, "team-account.ini", NULL);
}

/* the message shown, every field as typed, nothing kept */
static void
assert_refused (Fixture    *f,
                const char *message_start,
                const char *server,
                const char *password)
{
  g_autofree char *path = account_file (f);
  g_autoptr (CrmCredentials) kept = NULL;

  g_assert_nonnull (f->dialog);
  g_test_message ("said: %s", text_of (f, "error_label"));
  g_assert_true (g_str_has_prefix (text_of (f, "error_label"), message_start));
  g_assert_cmpstr (text_of (f, "server_entry"), ==, server);
  g_assert_cmpstr (text_of (f, "password_entry"), ==, password);
  g_assert_false (crm_sync_controller_get_signed_in (f->controller));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  kept = kept_for (server);
  g_assert_null (kept);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  const char *url;
  g_autofree char *log = NULL;

  crm_test_server_start (f->server);
  url = crm_test_server_get_url (f->server);

  /* plain http beyond this computer: refused before anything is sent */
  fill (f, "http://192.0.2.1:8080", "acme", "wang", PASSWORD);
  sign_in (f);
  assert_refused (f, "An unencrypted address (http://) is only allowed", "http://192.0.2.1:8080",
                  PASSWORD);

  fill (f, url, "acme", "", PASSWORD);
  sign_in (f);
  assert_refused (f, "Fill in the server address", url, PASSWORD);

  /* a wrong password, five times: then the server's wait is said */
  for (guint i = 0; i < 5; i++)
    {
      fill (f, url, "acme", "wang", "not-the-password");
      sign_in (f);
      assert_refused (f, "Wrong company, user name or password.", url, "not-the-password");
    }
  fill (f, url, "acme", "wang", PASSWORD);
  sign_in (f);
  assert_refused (f, "Too many failed sign-ins: try again in ", url, PASSWORD);

  /* the server down */
  crm_test_server_stop (f->server);
  sign_in (f);
  assert_refused (f, "The team server cannot be reached", url, PASSWORD);

  /* the password never reached the log */
  log = crm_test_server_get_log (f->server);
  g_assert_null (strstr (log, PASSWORD));
}

static gboolean
synced (gpointer data)
{
  Fixture *f = data;
  const char *text = crm_sync_controller_get_status_text (f->controller);

  return text != NULL && g_str_has_prefix (text, "Synced ");
}

static gboolean
offline (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (crm_sync_controller_get_status_text (f->controller), "Offline") == 0;
}

static gboolean
signed_out (gpointer data)
{
  Fixture *f = data;

  return !crm_sync_controller_get_signed_in (f->controller);
}

static void
test_certificate (Fixture       *f,
                  gconstpointer  data)
{
  const char *url;
  g_autofree char *want = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *path = account_file (f);
  g_autofree char *account = NULL;
  g_autoptr (CrmCredentials) kept = NULL;
  g_autoptr (GString) hex = g_string_new (NULL);
  CrmTestWaiter waiter = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;

  crm_test_server_start_tls (f->server);
  url = crm_test_server_get_url (f->server);
  want = crm_test_server_get_cert_sha256 (f->server);
  g_assert_true (g_str_has_prefix (url, "https://"));

  /* not trusted: the fingerprint is shown, nothing is kept */
  fill (f, url, "acme", "wang", PASSWORD);
  sign_in (f);
  g_assert_nonnull (f->dialog);
  g_assert_true (gtk_widget_get_visible (crm_ui_get (f->dialog, "certificate_box")));
  shown = g_strdup (text_of (f, "fingerprint_label"));
  for (const char *p = shown; *p != '\0'; p++)
    if (*p != ':')
      g_string_append_c (hex, g_ascii_tolower (*p));
  g_test_message ("fingerprint %s", shown);
  g_assert_cmpstr (hex->str, ==, want);
  g_assert_cmpstr (text_of (f, "sign_in_label"), ==, "Trust and Sign In");
  g_assert_false (crm_sync_controller_get_signed_in (f->controller));
  kept = kept_for (url);
  g_assert_null (kept);

  /* another address forgets it */
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_get (f->dialog, "server_entry")), "https://x.test");
  g_assert_false (gtk_widget_get_visible (crm_ui_get (f->dialog, "certificate_box")));
  g_assert_cmpstr (text_of (f, "sign_in_label"), ==, "Sign In");
  fill (f, url, "acme", "wang", PASSWORD);
  sign_in (f);
  g_assert_true (gtk_widget_get_visible (crm_ui_get (f->dialog, "certificate_box")));

  /* trusted: signed in, the dialog closes, the token in the keyring, the
   * fingerprint (and no secret) with the account */
  sign_in (f);
  g_assert_null (f->dialog);
  g_assert_true (crm_sync_controller_get_signed_in (f->controller));
  kept = kept_for (url);
  g_assert_nonnull (kept);
  g_assert_cmpstr (kept->company, ==, "acme");
  g_assert_cmpstr (kept->user, ==, "wang");
  token = g_strdup (kept->token);
  g_assert_true (g_file_get_contents (path, &account, NULL, NULL));
  g_test_message ("%s", account);
  g_assert_nonnull (strstr (account, shown));
  g_assert_null (strstr (account, token));
  g_assert_null (strstr (account, PASSWORD));
  g_assert_cmpuint (crm_test_http_json (f->server, "GET", "/v1/sync/pull?cursor=0", token,
                                        NULL, NULL), ==, 200);

  /* the pinned server syncs; without it the app says it is offline, and
   * syncs again once it is back */
  crm_test_wait_until (synced, f, 60);
  crm_test_server_stop (f->server);
  crm_sync_controller_sync_now (f->controller);
  crm_test_wait_until (offline, f, 120);
  g_test_message ("%s: %s", crm_sync_controller_get_status_text (f->controller),
                  crm_sync_controller_get_status_detail (f->controller));
  crm_test_server_start_tls (f->server);
  crm_sync_controller_sync_now (f->controller);
  crm_test_wait_until (synced, f, 120);

  /* signing out revokes the token and clears the keyring */
  crm_sync_controller_sign_out_async (f->controller, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  g_assert_true (crm_sync_controller_sign_out_finish (f->controller, waiter.result, &error));
  g_assert_no_error (error);
  g_object_unref (waiter.result);
  crm_test_wait_until (signed_out, f, 5);
  g_clear_pointer (&kept, crm_credentials_free);
  kept = kept_for (url);
  g_assert_null (kept);
  g_assert_cmpuint (crm_test_http_json (f->server, "GET", "/v1/sync/pull?cursor=0", token,
                                        NULL, NULL), ==, 401);
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;
  if (g_getenv ("XIAOHE_CRM_SERVER") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_print ("1..0 # SKIP needs XIAOHE_CRM_SERVER and the test session's keyring\n");
      return 0;
    }

  g_test_add ("/sync-sign-in/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);
  g_test_add ("/sync-sign-in/certificate", Fixture, NULL, fixture_set_up, test_certificate,
              fixture_tear_down);
  return g_test_run ();
}
