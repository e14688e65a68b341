/* crm-test-ui.c — widget tests: finding template children, dialogs, the main loop
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-test-ui.h"

/* the descendant of @root whose id in its .ui template is @id */
GtkWidget *
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

/* the same, which must be there */
GtkWidget *
crm_ui_get (GtkWidget  *root,
            const char *id)
{
  GtkWidget *widget = crm_ui_find (root, id);

  g_assert_nonnull (widget);
  return widget;
}

/* runs what is pending on the main loop, without waiting */
void
crm_ui_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* GTK and libadwaita for a widget test; FALSE, with a TAP plan that skips
 * everything said, when there is no display (outside build-aux/test-session):
 * return 0 then (meson reads a TAP test's non-zero exit as an error, 77
 * included) */
gboolean
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

/* the message dialog on screen, or NULL */
AdwMessageDialog *
crm_ui_find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* answers the dialog as a click would, and closes it (a response made by
 * code does not close it in libadwaita 1.2) */
void
crm_ui_respond (AdwMessageDialog *dialog,
                const char       *response)
{
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  crm_ui_iterate ();
}

/* whether a label under @root (itself included) shows exactly @text */
gboolean
crm_ui_has_label (GtkWidget  *root,
                  const char *text)
{
  if (GTK_IS_LABEL (root) && g_str_equal (gtk_label_get_text (GTK_LABEL (root)), text))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (crm_ui_has_label (child, text))
      return TRUE;
  return FALSE;
}

/* the first button under @root (itself included) whose label is @label, as
 * written (with its underline), or NULL */
GtkWidget *
crm_ui_find_button (GtkWidget  *root,
                    const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = crm_ui_find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}
