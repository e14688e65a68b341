/* test-notices-window.c — the team server's notices in the main window, from a
 * real xiaohe-crm-server
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sync controller signed in to a real server (the test session's keyring
 * keeps its token) and the main window with crm_notices_attach(). The
 * operator's `notice` refuses a pricing change less than a month ahead (exit
 * status 1); one two months ahead arrives with the next round: the bar says
 * its title and the day it takes effect as the person reads dates; Notices…
 * (win.notices) lists it with its dates and text, and opening the list marks
 * it seen, so the bar goes. A terms revision then opens the terms window,
 * modal over the main window, with the revision's text and version; Agree
 * records that version in the store, and the window does not come back.
 * Needs the test session and XIAOHE_CRM_SERVER.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-notices-bar.h"
#include "crm-notices-dialog.h"
#include "crm-store-notices.h"
#include "crm-sync-controller.h"
#include "crm-terms-window.h"
#include "crm-test-server.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"
#include "crm-window.h"

#define PASSWORD "Wang-pw-7f3a91c2"
#define PRICING_TITLE "2027 年价格调整"
#define TERMS_BODY "第一条 新的条款正文。\n\n第二条 数据保留三个月。"

typedef struct
{
  CrmTestStore      *ts;
  CrmTestServer     *server;
  CrmSyncController *controller;
  GtkWindow         *window;
} Fixture;

/* the day @months from today, as `notice --effective` takes it */
static char *
months_ahead (int months)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) then = g_date_time_add_days (now, months * 31);

  return g_date_time_format (then, "%Y-%m-%d");
}

static int
publish (Fixture    *f,
         const char *kind,
         const char *title,
         const char *body,
         const char *effective,
         const char *version)
{
  g_autofree char *path = g_build_filename (f->ts->dir, "notice.txt", NULL);
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (g_file_set_contents (path, body, -1, NULL));
  out = crm_test_server_run (f->server, &status, NULL, "notice", "--kind", kind, "--title", title,
                             "--body-file", path, "--effective", effective,
                             version ? "--terms-version" : NULL, version, NULL);
  g_test_message ("notice --kind %s --effective %s: %d %s", kind, effective, status, out);
  return status;
}

static gboolean
signed_in (gpointer data)
{
  return crm_sync_controller_get_signed_in (data);
}

/* the label under @root showing text that starts with @prefix, if on screen */
static GtkLabel *
shown_label (GtkWidget  *root,
             const char *prefix)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix))
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = shown_label (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
bar_shown (gpointer data)
{
  Fixture *f = data;

  return shown_label (GTK_WIDGET (f->window), PRICING_TITLE) != NULL;
}

static gboolean
bar_gone (gpointer data)
{
  crm_ui_iterate ();
  return !bar_shown (data);
}

/* the shown toplevel of @type, or NULL */
static GtkWindow *
toplevel_of (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type)
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
terms_shown (gpointer data)
{
  return toplevel_of (CRM_TYPE_TERMS_WINDOW) != NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  CrmTestWaiter waiter = { 0 };
  g_autoptr (GError) error = NULL;

  f->ts = crm_test_store_new ();
  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, "acme", "Acme Trading");
  crm_test_server_add_user (f->server, "acme", "wang", PASSWORD);
  crm_test_server_start (f->server);
  f->controller = crm_sync_controller_new (f->ts->store);
  crm_sync_controller_sign_in_async (f->controller, crm_test_server_get_url (f->server), "acme",
                                     "wang", PASSWORD, NULL, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  g_assert_true (crm_sync_controller_sign_in_finish (f->controller, waiter.result, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (waiter.result);
  crm_test_wait_until (signed_in, f->controller, 30);

  f->window = GTK_WINDOW (crm_window_new (NULL, f->ts->store));
  crm_notices_attach (f->window, f->ts->store);
  gtk_window_present (f->window);
  crm_ui_iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *terms = toplevel_of (CRM_TYPE_TERMS_WINDOW);

  if (terms != NULL)
    gtk_window_destroy (terms);
  gtk_window_destroy (f->window);
  g_object_run_dispose (G_OBJECT (f->controller));
  g_clear_object (&f->controller);
  crm_test_server_free (f->server);
  crm_test_store_free (f->ts);
}

static void
test_pricing_bar_and_list (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *soon = NULL;
  g_autofree char *effective = months_ahead (2);
  g_autofree char *day = crm_notices_format_day (effective);
  g_autoptr (CrmWireNotice) unseen = NULL;
  GtkWindow *dialog;
  GtkLabel *bar;

  /* terms §6.2: less than a month ahead is refused, nothing published */
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr (GDateTime) week = g_date_time_add_days (now, 7);

    soon = g_date_time_format (week, "%Y-%m-%d");
  }
  g_assert_cmpint (publish (f, "pricing", "太早的调价", "下周起涨价。", soon, NULL), ==, 1);

  g_assert_cmpint (publish (f, "pricing", PRICING_TITLE, "自 2027 年起，每人每月 30 元。",
                            effective, NULL), ==, 0);
  crm_sync_controller_sync_now (f->controller);
  crm_test_wait_until (bar_shown, f, 60);
  bar = shown_label (GTK_WIDGET (f->window), PRICING_TITLE);
  g_test_message ("the bar says: %s", gtk_label_get_text (bar));
  g_assert_nonnull (day);
  g_assert_nonnull (strstr (gtk_label_get_text (bar), day));
  g_assert_null (shown_label (GTK_WIDGET (f->window), "太早的调价"));

  /* Notices… lists it with its dates and text; reading it marks it seen */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.notices", NULL));
  crm_ui_iterate ();
  dialog = toplevel_of (CRM_TYPE_NOTICES_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == f->window);
  g_assert_true (crm_ui_has_label (GTK_WIDGET (dialog), PRICING_TITLE));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (dialog), "自 2027 年起，每人每月 30 元。"));
  g_assert_nonnull (shown_label (GTK_WIDGET (dialog), "Pricing · Published "));
  g_assert_nonnull (strstr (gtk_label_get_text (shown_label (GTK_WIDGET (dialog), "Pricing")),
                            day));
  g_assert_false (crm_ui_has_label (GTK_WIDGET (dialog), "太早的调价"));
  unseen = crm_store_get_unseen_pricing_notice (f->ts->store, NULL);
  g_assert_null (unseen);
  crm_test_wait_until (bar_gone, f, 10);
  gtk_window_destroy (dialog);
}

static void
test_terms_revision (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *effective = months_ahead (2);
  g_autofree char *text = NULL;
  g_autofree char *version = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  GtkWindow *terms;

  g_assert_cmpint (publish (f, "terms", "服务条款修订", TERMS_BODY, effective, "2027.1"), ==, 0);
  crm_sync_controller_sync_now (f->controller);
  crm_test_wait_until (terms_shown, NULL, 60);
  terms = toplevel_of (CRM_TYPE_TERMS_WINDOW);
  g_assert_true (gtk_window_get_transient_for (terms) == f->window);
  g_assert_true (gtk_window_get_modal (terms));
  version = crm_terms_window_get_version (CRM_TERMS_WINDOW (terms));
  g_assert_cmpstr (version, ==, "2027.1");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (crm_ui_get (GTK_WIDGET (terms),
                                                                "text_view")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_true (g_str_has_prefix (text, "服务条款修订\n"));
  g_assert_nonnull (strstr (text, "第一条 新的条款正文。"));
  g_assert_nonnull (strstr (text, "第二条 数据保留三个月。"));
  g_assert_false (crm_store_has_accepted_terms (f->ts->store, "2027.1"));

  /* Agree, with the tick it needs */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (crm_ui_get (GTK_WIDGET (terms), "agree_check")),
                               TRUE);
  g_signal_emit_by_name (crm_ui_get (GTK_WIDGET (terms), "agree_button"), "clicked");
  crm_ui_iterate ();
  g_assert_true (crm_store_has_accepted_terms (f->ts->store, "2027.1"));
  g_assert_null (toplevel_of (CRM_TYPE_TERMS_WINDOW));
  g_assert_null (crm_store_get_unaccepted_terms_notice (f->ts->store, NULL));

  /* another round: not asked again */
  crm_sync_controller_sync_now (f->controller);
  crm_ui_iterate ();
  g_assert_null (toplevel_of (CRM_TYPE_TERMS_WINDOW));
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;
  g_test_add ("/notices-window/pricing", Fixture, NULL, fixture_set_up,
              test_pricing_bar_and_list, fixture_tear_down);
  g_test_add ("/notices-window/terms", Fixture, NULL, fixture_set_up, test_terms_revision,
              fixture_tear_down);
  return g_test_run ();
}
