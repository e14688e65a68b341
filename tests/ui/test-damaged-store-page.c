/* test-damaged-store-page.c — the contacts page and the window's notice over a damaged file
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 3000 contacts, three pages of the file overwritten in the middle of the
 * contacts: scrolling the real list view from top to bottom binds every
 * row (any critical is fatal here: G_DEBUG=fatal-warnings), the notice at
 * the top shows itself, and a contact typed then is refused and stays in
 * the form as typed.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-contacts-page.h"
#include "crm-store-notice.h"
#include "crm-test-damage.h"
#include "crm-test-ui.h"

#define iterate crm_ui_iterate

static void
count_paint (GdkFrameClock *clock,
             guint         *painted)
{
  (*painted)++;
}

/* runs the main loop until the window painted a new frame, with a deadline */
static void
wait_paint (GtkWidget *window,
            guint     *painted)
{
  guint before = *painted;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  gtk_widget_queue_draw (window);
  while (*painted == before)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate ();
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *prefix)
{
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, prefix);
      if (found)
        return found;
    }
  return NULL;
}

static void
test_scroll_and_edit (void)
{
  g_autofree char *dir = crm_test_make_store (FALSE);
  g_autofree char *before = NULL;
  CrmStore *store;
  GtkWidget *window, *box, *notice, *page, *list_view, *scrolled, *name;
  GtkAdjustment *adjustment;
  guint painted = 0;
  gint64 deadline;

  store = crm_test_open_damaged (dir);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  notice = crm_store_notice_new (store);
  page = g_object_new (CRM_TYPE_CONTACTS_PAGE, NULL);
  gtk_widget_set_vexpand (page, TRUE);
  crm_contacts_page_set_store (CRM_CONTACTS_PAGE (page), store);
  gtk_box_append (GTK_BOX (box), notice);
  gtk_box_append (GTK_BOX (box), page);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (count_paint), &painted);
  wait_paint (window, &painted);
  g_assert_false (gtk_widget_get_visible (notice));

  /* from the top to the bottom, a screenful at a time: every row bound */
  list_view = crm_ui_find (page, "list_view");
  g_assert_nonnull (list_view);
  scrolled = gtk_widget_get_ancestor (list_view, GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
                      gtk_list_view_get_model (GTK_LIST_VIEW (list_view)))), ==, N_ROWS);
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (gtk_adjustment_get_value (adjustment)
         < gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                            + gtk_adjustment_get_page_size (adjustment));
      wait_paint (window, &painted);
    }

  /* the damage was found while scrolling: the notice says it, with the path */
  g_assert_true (crm_store_is_damaged (store));
  g_assert_true (gtk_widget_get_visible (notice));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (notice)));
  g_assert_cmpint (gtk_accessible_get_accessible_role (
                     GTK_ACCESSIBLE (gtk_revealer_get_child (GTK_REVEALER (notice)))),
                   ==, GTK_ACCESSIBLE_ROLE_ALERT);
  g_assert_nonnull (find_label (notice, "The Data File Is Damaged"));
  g_assert_nonnull (find_label (notice, "Nothing more will be saved"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find_label (notice, "Nothing"))),
                            crm_store_get_path (store)));

  /* a new contact is refused and stays as typed */
  before = crm_test_files_checksum (dir);
  g_assert_true (gtk_widget_activate_action (page, "contacts.new", NULL));
  iterate ();
  name = crm_ui_find (page, "name_input");
  g_assert_nonnull (name);
  gtk_editable_set_text (GTK_EDITABLE (name), "赵六");
  iterate ();
  g_assert_true (gtk_widget_activate_action (page, "contacts.save", NULL));
  iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "赵六");
  g_assert_true (gtk_widget_get_mapped (name));
  g_assert_nonnull (find_type (page, ADW_TYPE_TOAST_OVERLAY));
  crm_test_assert_files_same (dir, before);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  crm_test_close_and_remove (store, dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_func ("/damaged-store-page/scroll-and-edit", test_scroll_and_edit);

  return g_test_run ();
}
