/* test-certification-review.c — the review of the certification, from a real
 * xiaohe-crm-server to the certification page
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window on the store of a computer signed in to a real server
 * (tests/lib's CrmTestClient). The form is filled in the page with a license
 * and submitted (the question answered), synced; the operator rejects it
 * (`xiaohe-crm-server certify --reject`); after the next round the page
 * shows the reason and can be edited again, without being reloaded by hand
 * (CrmStore::certification-changed). The person corrects the address and
 * submits again: the server has it submitted again (only a submitted
 * certification can be approved). Approved, synced: the page says certified,
 * its fields are read-only and the store refuses a change. Each review is
 * told as a toast in the view shown, the window being active (focused by
 * xdotool: the test session has no window manager).
 * Needs the test session and XIAOHE_CRM_SERVER.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-certification-page.h"
#include "crm-test-client.h"
#include "crm-test-ui.h"
#include "crm-window.h"

#define SLUG "team"
#define PASSWORD "correct horse 1"
#define REASON "营业执照照片不清晰"
#define TITLE "certification-review-window"

typedef struct
{
  CrmTestServer *server;
  CrmTestClient *client;
  GtkWindow     *window;
  GtkWidget     *page;
} Fixture;

static int
certify (Fixture    *f,
         const char *verdict,
         const char *reason)
{
  g_autofree char *out = NULL;
  int status = -1;

  out = crm_test_server_run (f->server, &status, NULL, "certify", SLUG, verdict, reason, NULL);
  g_test_message ("certify %s: %d %s", verdict, status, out);
  return status;
}

static void
type_into (Fixture    *f,
           const char *id,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_get (f->page, id)), text);
  crm_ui_iterate ();
}

static const char *
label_text (Fixture    *f,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (crm_ui_get (f->page, id)));
}

static gboolean
editable (Fixture    *f,
          const char *id)
{
  return gtk_editable_get_editable (GTK_EDITABLE (crm_ui_get (f->page, id)));
}

static void
submit (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (f->page, "certification.submit", NULL));
  crm_ui_iterate ();
  crm_ui_respond (crm_ui_find_message_dialog (), "submit");
  crm_ui_iterate ();
  g_assert_cmpstr (label_text (f, "status_label"), ==, "Submitted for Review");
}

static gboolean
is_active (gpointer window)
{
  return gtk_window_is_active (window);
}

/* the keyboard focus to the window, as a person's click gives it (there is
 * no window manager in the test session): its reviews are then toasts */
static void
focus_window (Fixture *f)
{
  const char *search[] = { "xdotool", "search", "--sync", "--onlyvisible", "--name",
                           "^" TITLE "$", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto (GStrv) ids = NULL;

  gtk_window_set_title (f->window, TITLE);
  crm_ui_iterate ();
  g_assert_true (g_spawn_sync (NULL, (char **) search, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, NULL, &error));
  g_assert_no_error (error);
  ids = g_strsplit (g_strstrip (out), "\n", 2);
  g_assert_nonnull (ids[0]);
  {
    const char *focus[] = { "xdotool", "windowfocus", "--sync", ids[0], NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) focus, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, NULL, &error));
  }
  crm_test_wait_until (is_active, f->window, 10);
}

/* the toast of a review, in the view shown (the window is active) */
static void
assert_told (Fixture    *f,
             const char *text)
{
  crm_ui_iterate ();
  g_assert_true (gtk_window_is_active (f->window));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->window), text));
}

static void
test_review_round_trip (void)
{
  Fixture f = { 0 };
  g_autoptr (CrmCertification) cert = NULL;
  g_autoptr (GError) error = NULL;

  f.server = crm_test_server_new ();
  crm_test_server_add_company (f.server, SLUG, "Team");
  crm_test_server_add_user (f.server, SLUG, "wang", PASSWORD);
  crm_test_server_start (f.server);
  f.client = crm_test_client_new (f.server, SLUG, "wang", PASSWORD, "a");
  f.window = GTK_WINDOW (crm_window_new (NULL, f.client->store));
  f.page = crm_ui_get (GTK_WIDGET (f.window), "certification_page");
  gtk_window_present (f.window);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.view", "s", "certification");
  crm_ui_iterate ();

  /* filled and submitted in the page, with a license */
  type_into (&f, "company_entry", "郑州小禾信息科技有限公司");
  type_into (&f, "uscc_entry", "91110000600037341L");
  type_into (&f, "legal_entry", "张三");
  type_into (&f, "address_entry", "河南省郑州市金水区");
  g_assert_true (crm_certification_page_take_license (CRM_CERTIFICATION_PAGE (f.page),
                                                      crm_test_license_png (400, 300, 0x2050a0ff),
                                                      "营业执照.png"));
  submit (&f);
  crm_test_client_sync (f.client);

  /* rejected with the reason: shown, editable again, on another view too */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.view", "s", "contacts");
  g_assert_cmpint (certify (&f, "--reject", REASON), ==, 0);
  focus_window (&f);   /* the question of Submit had it */
  crm_test_client_sync (f.client);
  crm_ui_iterate ();
  g_assert_cmpstr (label_text (&f, "status_label"), ==, "Rejected");
  g_assert_nonnull (strstr (label_text (&f, "status_detail"), REASON));
  g_assert_true (editable (&f, "address_entry"));
  assert_told (&f, "Certification rejected: " REASON);

  /* corrected and submitted again: the server has it submitted */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.view", "s", "certification");
  crm_ui_iterate ();
  type_into (&f, "address_entry", "河南省郑州市金水区经三路 1 号");
  submit (&f);
  g_assert_cmpint (certify (&f, "--approve", NULL), ==, 1);   /* not yet sent */
  crm_test_client_sync (f.client);

  /* approved: certified, read-only, refused by the store */
  g_assert_cmpint (certify (&f, "--approve", NULL), ==, 0);
  focus_window (&f);
  crm_test_client_sync (f.client);
  crm_ui_iterate ();
  g_assert_cmpstr (label_text (&f, "status_label"), ==, "Certified");
  g_assert_false (editable (&f, "company_entry"));
  g_assert_false (editable (&f, "address_entry"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (crm_ui_get (f.page, "address_entry"))),
                   ==, "河南省郑州市金水区经三路 1 号");
  g_assert_true (gtk_widget_get_visible (crm_ui_get (f.page, "locked_caption")));
  assert_told (&f, "Certification approved");
  cert = crm_store_get_certification (f.client->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cert->status, ==, CRM_CERTIFICATION_CERTIFIED);
  g_free (cert->company_name);
  cert->company_name = g_strdup ("别的公司");
  g_assert_false (crm_store_save_certification (f.client->store, cert, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED);

  gtk_window_destroy (f.window);
  crm_ui_iterate ();
  crm_test_client_free (f.client);
  crm_test_server_free (f.server);
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;
  g_test_add_func ("/certification-review/round-trip", test_review_round_trip);
  return g_test_run ();
}
