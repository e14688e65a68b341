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
  g_autoptr (CrmApplication) app = crm_application_new ();
  CrmTestStore *ts = crm_test_store_new ();
  CrmWindow *window;
  int display_length = metainfo_display_length ();
  int minimum = 0;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
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

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_func ("/window-width/metainfo", test_window_width);
  return g_test_run ();
}
