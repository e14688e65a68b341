/* test-window-width.c — the main window fits the display width the
 * metainfo promises (<requires><display_length>)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include <adwaita.h>

#include "crm-application.h"
#include "crm-window.h"

#include "crm-test-ui.h"
#include "crm-test-util.h"

/* one application for the whole process: a second one cannot register */
static CrmApplication *the_app;

/* the number in <display_length compare="ge">N</display_length> */
static int
metainfo_display_length (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                 APP_ID ".metainfo.xml.in", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GRegex) regex = NULL;
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *number = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  regex = g_regex_new ("<display_length compare=\"ge\">([0-9]+)</display_length>",
                       G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match (regex, text, G_REGEX_MATCH_DEFAULT, &match));
  number = g_match_info_fetch (match, 1);
  return atoi (number);
}

/* The window's minimum width (every view counts: the stack is homogeneous)
 * is at most what the metainfo requires of the display. */
static void
test_window_width (void)
{
  CrmApplication *app = the_app;
  CrmTestStore *ts = crm_test_store_new ();
  CrmWindow *window;
  int display_length = metainfo_display_length ();
  int minimum = 0;

  window = crm_window_new (app, ts->store);
  gtk_window_present (GTK_WINDOW (window));
  crm_ui_iterate ();

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_test_message ("minimum width %d, display_length %d", minimum, display_length);
  g_assert_cmpint (minimum, >, 0);
  g_assert_cmpint (minimum, <=, display_length);

  gtk_window_destroy (GTK_WINDOW (window));
  crm_ui_iterate ();
  crm_test_store_free (ts);
}

typedef struct
{
  AdwViewSwitcherBar   *bar;
  AdwViewSwitcherTitle *title;
  gboolean              in_header;   /* what the wait waits for */
} Switcher;

static gboolean
switcher_settled (gpointer data)
{
  Switcher *s = data;

  crm_ui_iterate ();
  return adw_view_switcher_bar_get_reveal (s->bar) == !s->in_header
         && adw_view_switcher_title_get_title_visible (s->title) == !s->in_header;
}

static void
check_switcher (CrmApplication *app,
                int             width,
                gboolean        in_header)
{
  CrmTestStore *ts = crm_test_store_new ();
  CrmWindow *window;
  Switcher s = { .in_header = in_header };

  window = crm_window_new (app, ts->store);
  gtk_window_set_default_size (GTK_WINDOW (window), width, 700);
  gtk_window_present (GTK_WINDOW (window));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (crm_ui_get (GTK_WIDGET (window),
                                                                     "views")),
                                         "deals");
  s.bar = ADW_VIEW_SWITCHER_BAR (crm_ui_get (GTK_WIDGET (window), "switcher_bar"));
  s.title = ADW_VIEW_SWITCHER_TITLE (crm_ui_get (crm_ui_get (GTK_WIDGET (window), "deals_page"),
                                                 "window_title"));
  crm_test_wait_until (switcher_settled, &s, 10);
  g_test_message ("width %d: switcher in the header %d, bar revealed %d", width,
                  !adw_view_switcher_title_get_title_visible (s.title),
                  adw_view_switcher_bar_get_reveal (s.bar));

  gtk_window_destroy (GTK_WINDOW (window));
  crm_ui_iterate ();
  crm_test_store_free (ts);
}

/* The views switch from the header bar when it has room (the deals view's
 * AdwViewSwitcherTitle), and from the bar at the bottom only when it has
 * not: wide, the switcher is in the header and the bar hidden; narrow, the
 * other way round. */
static void
test_switcher (void)
{
  check_switcher (the_app, 1100, TRUE);
  check_switcher (the_app, 500, FALSE);
}

static gboolean
pane_laid_out (gpointer pane)
{
  crm_ui_iterate ();
  return gtk_widget_get_width (pane) > 0;
}

/* The contacts list keeps its width whatever its rows hold: empty, and
 * with a contact whose name and e-mail are long, it is the same. */
static void
test_sidebar_width (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  CrmWindow *window;
  GtkWidget *pane;
  int empty, full;

  window = crm_window_new (the_app, ts->store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  gtk_window_present (GTK_WINDOW (window));
  pane = crm_ui_get (crm_ui_get (GTK_WIDGET (window), "contacts_page"), "list_pane");
  crm_test_wait_until (pane_laid_out, pane, 10);
  empty = gtk_widget_get_width (pane);
  g_object_unref (crm_test_add (ts->store, "Maximilian Alexander Hohenzollern-Sigmaringen",
                                "13800138000",
                                "maximilian.alexander.hohenzollern@sigmaringen-example.com"));
  /* enough names for the A–Z index beside the list */
  for (char c = 'A'; c <= 'Z'; c++)
    {
      char name[] = { c, 'n', 'n', 'a', '\0' };
      g_object_unref (crm_test_add (ts->store, name, "", ""));
    }
  for (int i = 0; i < 20; i++)
    crm_ui_iterate ();
  full = gtk_widget_get_width (pane);
  g_test_message ("list width: empty %d, with a long contact %d", empty, full);
  g_assert_cmpint (empty, ==, 360);
  g_assert_cmpint (full, ==, empty);

  gtk_window_destroy (GTK_WINDOW (window));
  crm_ui_iterate ();
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  the_app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, NULL));
  g_test_add_func ("/window-width/metainfo", test_window_width);
  g_test_add_func ("/window-width/switcher", test_switcher);
  g_test_add_func ("/window-width/sidebar", test_sidebar_width);
  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
