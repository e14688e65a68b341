/* crm-ui-test-util.h — finding template children in widget tests
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

/* the descendant of @root whose id in its .ui template is @id */
static inline GtkWidget *
crm_ui_find (GtkWidget  *root,
             const char *id)
{
  const char *bid = GTK_IS_BUILDABLE (root) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (root))
                                            : NULL;

  if (g_strcmp0 (bid, id) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = crm_ui_find (child, id);
      if (found)
        return found;
    }
  return NULL;
}

static inline void
crm_ui_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* GTK and libadwaita for a widget test; FALSE, with a TAP plan that skips
 * everything said, when there is no display (outside build-aux/test-session):
 * return 0 then (meson reads a TAP test's non-zero exit as an error, 77
 * included) */
static inline gboolean
crm_ui_test_init (int    *argc,
                  char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display: run inside build-aux/test-session\n");
      return FALSE;
    }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  return TRUE;
}
