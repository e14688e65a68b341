/* test-app-icon.c — the application's icon is found when running from the
 * build tree (as `make run` and the tests do), so About shows it
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "crm-application.h"

#include "crm-test-ui.h"

/* Nothing of the build or source tree is in the icon theme's search path
 * here: the icons must come with the application's resources. */
static void
test_app_icon_in_theme (void)
{
  g_autoptr (CrmApplication) app = crm_application_new ();
  g_autoptr (GError) error = NULL;
  GtkIconTheme *theme;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID "-symbolic"));
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_func ("/app-icon/in-theme", test_app_icon_in_theme);
  return g_test_run ();
}
