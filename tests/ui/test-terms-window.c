/* test-terms-window.c — the terms window's widgets
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "crm-terms-window.h"
#include <string.h>

#include "crm-test-ui.h"

static char *
shown_text (GtkWidget *window)
{
  GtkTextBuffer *buffer =
    gtk_text_view_get_buffer (GTK_TEXT_VIEW (crm_ui_find (window, "text_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
on_response (CrmTermsWindow *window,
             gboolean        agreed,
             int            *answer)
{
  *answer = agreed;
}

static void
test_terms_accept (void)
{
  GtkWidget *window = crm_terms_window_new (FALSE);
  GtkWidget *agree = crm_ui_find (window, "agree_button");
  GtkWidget *check = crm_ui_find (window, "agree_check");
  g_autofree char *zh = NULL;
  g_autofree char *en = NULL;
  g_autofree char *version = crm_terms_get_version ();
  int answer = -1;

  g_signal_connect (window, "response", G_CALLBACK (on_response), &answer);
  gtk_window_present (GTK_WINDOW (window));
  crm_ui_iterate ();

  g_assert_true (gtk_widget_get_visible (crm_ui_find (window, "accept_box")));
  g_assert_cmpstr (version, ==, "2026.1");

  /* both languages, the whole text, reflowed into paragraphs */
  crm_terms_window_set_language (CRM_TERMS_WINDOW (window), "zh_CN");
  zh = shown_text (window);
  g_assert_true (g_str_has_prefix (zh, "欢迎您使用小禾CRM的服务\n"));
  g_assert_nonnull (strstr (zh, "不会以任何方式向用户索要登录密码"));
  crm_terms_window_set_language (CRM_TERMS_WINDOW (window), "en");
  g_assert_cmpstr (crm_terms_window_get_language (CRM_TERMS_WINDOW (window)), ==, "en");
  en = shown_text (window);
  g_assert_true (g_str_has_prefix (en, "Welcome to use Xiaohe CRM service\n"));
  /* the seed's hard line breaks inside a sentence are gone */
  g_assert_nonnull (strstr (en, "Xiaohe operating company Zhengzhou"));
  g_assert_nonnull (strstr (en, "will not ask the user for the login password"));

  /* Agree needs the tick */
  g_assert_false (gtk_widget_get_sensitive (agree));
  gtk_widget_activate (agree);
  g_assert_cmpint (answer, ==, -1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (gtk_widget_get_sensitive (agree));
  g_signal_emit_by_name (agree, "clicked");
  g_assert_cmpint (answer, ==, TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_terms_close_declines (void)
{
  GtkWidget *window = crm_terms_window_new (FALSE);
  int answer = -1;

  g_signal_connect (window, "response", G_CALLBACK (on_response), &answer);
  gtk_window_present (GTK_WINDOW (window));
  crm_ui_iterate ();
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (answer, ==, FALSE);
  crm_ui_iterate ();
}

static void
test_terms_read_only (void)
{
  GtkWidget *window = crm_terms_window_new (TRUE);
  int answer = -1;

  g_signal_connect (window, "response", G_CALLBACK (on_response), &answer);
  gtk_window_present (GTK_WINDOW (window));
  crm_ui_iterate ();
  /* from the menu: only the text, nothing to accept or decline */
  g_assert_false (gtk_widget_get_visible (crm_ui_find (window, "accept_box")));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (answer, ==, -1);
  crm_ui_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_func ("/terms-window/accept", test_terms_accept);
  g_test_add_func ("/terms-window/close-declines", test_terms_close_declines);
  g_test_add_func ("/terms-window/read-only", test_terms_read_only);
  return g_test_run ();
}
