/* crm-test-ui.c — widget tests: finding template children, dialogs, the main loop
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crm-contacts-page.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"

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

typedef struct
{
  gboolean  done;
  GError   *error;
} XdotoolRun;

static void
xdotool_done (GObject      *process,
              GAsyncResult *result,
              gpointer      data)
{
  XdotoolRun *run = data;

  g_subprocess_wait_check_finish (G_SUBPROCESS (process), result, &run->error);
  run->done = TRUE;
}

/**
 * crm_ui_xdotool:
 *
 * Runs xdotool with these arguments (NULL-terminated) while this process's
 * main loop goes on: xdotool maps a character no key has (Chinese) to a
 * spare keycode only while it types it, so the key must be read then, not
 * after xdotool returned (tests/e2e/crmtest.py type_text).
 */
void
crm_ui_xdotool (const char *first,
                ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  XdotoolRun run = { FALSE, NULL };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  va_list args;

  g_ptr_array_add (argv, (gpointer)"xdotool");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *)argv->pdata, G_SUBPROCESS_FLAGS_NONE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, xdotool_done, &run);
  while (!run.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_no_error (run.error);
}

/**
 * crm_ui_x_window:
 * @title: the whole title of a shown window
 *
 * Returns: (transfer full): its X window id, for xdotool; the window has
 *   the keyboard (windowfocus --sync).
 */
char *
crm_ui_x_window (const char *title)
{
  g_autofree char *pattern = g_strdup_printf ("^%s$", title);
  const char *argv[] = { "xdotool", "search", "--sync", "--onlyvisible", "--name", pattern,
                         NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  char *wid;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, NULL, &error));
  g_assert_no_error (error);
  wid = g_strdup (g_strstrip (out));
  g_assert_cmpstr (wid, !=, "");
  if (strchr (wid, '\n') != NULL)
    *strchr (wid, '\n') = '\0';
  crm_ui_xdotool ("windowfocus", "--sync", wid, NULL);
  return wid;
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/**
 * crm_ui_contacts_window:
 *
 * Returns: (transfer none): the window, destroyed by gtk_window_destroy()
 */
GtkWindow *
crm_ui_contacts_window (CrmStore    *store,
                        const char  *title,
                        GtkWidget  **page,
                        char       **wid)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *contacts = g_object_new (CRM_TYPE_CONTACTS_PAGE, NULL);
  char *x_window;

  gtk_window_set_title (window, title);
  gtk_window_set_default_size (window, 1000, 700);
  crm_contacts_page_set_store (CRM_CONTACTS_PAGE (contacts), store);
  gtk_window_set_child (window, contacts);
  gtk_window_present (window);
  crm_test_wait_until (is_mapped, contacts, 10);
  crm_ui_iterate ();
  x_window = crm_ui_x_window (title);
  if (page != NULL)
    *page = contacts;
  if (wid != NULL)
    *wid = x_window;
  else
    g_free (x_window);
  return window;
}
