/* test-contacts-page.c — the contacts page's widgets under a real display
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "crm-contacts-page.h"
#include <string.h>

#include "crm-test-util.h"
#include "crm-ui-test-util.h"

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  GtkWidget    *page;
} Fixture;

static GtkWidget *
get (Fixture    *f,
     const char *id)
{
  GtkWidget *widget = crm_ui_find (f->page, id);
  g_assert_nonnull (widget);
  return widget;
}

#define iterate crm_ui_iterate

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (f->page, action, NULL));
  iterate ();
}

static void
type_into (Fixture    *f,
           const char *id,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (get (f, id)), text);
  iterate ();
}

static const char *
visible_child (Fixture    *f,
               const char *stack)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (get (f, stack)));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = crm_test_store_new ();
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 700);
  f->page = g_object_new (CRM_TYPE_CONTACTS_PAGE, NULL);
  crm_contacts_page_set_store (CRM_CONTACTS_PAGE (f->page), f->ts->store);
  gtk_window_set_child (f->window, f->page);
  gtk_window_present (f->window);
  iterate ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  iterate ();
  crm_test_store_free (f->ts);
}

static void
test_page_new_save (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *mobile;

  g_assert_cmpstr (visible_child (f, "list_stack"), ==, "empty");
  g_assert_cmpstr (visible_child (f, "editor_stack"), ==, "none");
  g_assert_false (gtk_widget_activate_action (f->page, "contacts.delete", NULL) &&
                  crm_store_count_contacts (f->ts->store) != 0);

  activate (f, "contacts.new");
  g_assert_cmpstr (visible_child (f, "editor_stack"), ==, "editor");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) != NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         get (f, "name_input")));

  /* a real error blocks saving, shows on its field and takes the focus */
  type_into (f, "name_input", "张三丰");
  type_into (f, "mobile_input", "12345");
  activate (f, "contacts.save");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 0);
  mobile = get (f, "mobile_input");
  g_assert_true (gtk_widget_get_visible (get (f, "mobile_error")));
  g_assert_true (gtk_widget_has_css_class (mobile, "error"));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), mobile));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), ==, "张三丰");

  /* corrected as typed */
  type_into (f, "mobile_input", "138 1234 5678");
  g_assert_false (gtk_widget_get_visible (get (f, "mobile_error")));
  g_assert_false (gtk_widget_has_css_class (mobile, "error"));

  activate (f, "contacts.save");
  all = crm_store_search_contacts (f->ts->store, NULL, 10, &error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (crm_contact_get_name (g_ptr_array_index (all, 0)), ==, "张三丰");
  g_assert_cmpstr (crm_contact_get_field (g_ptr_array_index (all, 0), CRM_CONTACT_FIELD_MOBILE),
                   ==, "13812345678");
  g_assert_cmpstr (visible_child (f, "list_stack"), ==, "list");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (get (f, "list_title"))), ==,
                   "1 contact");
  /* the saved contact is selected and shown, normalised */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (mobile)), ==, "13812345678");
  g_assert_cmpuint (gtk_single_selection_get_selected (
                      GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (get (f, "list_view"))))),
                    ==, 0);
}

static void
test_page_save_and_new_cancel (Fixture       *f,
                               gconstpointer  data)
{
  activate (f, "contacts.new");
  type_into (f, "name_input", "Li Si");
  activate (f, "contacts.save-and-new");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 1);
  /* a fresh, empty form with the focus in its name */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), ==, "");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         get (f, "name_input")));

  type_into (f, "name_input", "王五");
  activate (f, "contacts.cancel");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 1);
  g_assert_cmpstr (visible_child (f, "editor_stack"), ==, "none");
}

static void
test_page_duplicate_warns (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (CrmContact) existing = crm_test_add (f->ts->store, "张三", "13812345678", "");
  GtkWidget *revealer;

  activate (f, "contacts.new");
  type_into (f, "name_input", "张三 (new)");
  type_into (f, "mobile_input", "+86 138 1234 5678");
  gtk_widget_grab_focus (get (f, "email_input"));   /* leaving the field checks it */
  iterate ();
  revealer = get (f, "duplicate_revealer");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (get (f, "duplicate_label"))), "张三"));

  /* a warning, not an error: it saves */
  activate (f, "contacts.save");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 2);
}

static void
test_page_delete_undo (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (CrmContact) a = crm_test_add (f->ts->store, "Aaa", "", "");
  g_autoptr (CrmContact) b = crm_test_add (f->ts->store, "Bbb", "", "");
  GtkSingleSelection *selection;

  iterate ();
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (get (f, "list_view"))));
  gtk_single_selection_set_selected (selection, 0);
  iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), ==, "Aaa");

  activate (f, "contacts.delete");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 1);
  /* the next contact takes its place */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), ==, "Bbb");

  activate (f, "contacts.undo");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), ==, "Aaa");
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  g_assert_false (gtk_widget_activate_action (f->page, "contacts.undo", NULL)
                  && crm_store_count_contacts (f->ts->store) != 2);
}

static void
test_page_switch_saves_edit (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (CrmContact) a = crm_test_add (f->ts->store, "Aaa", "", "");
  g_autoptr (CrmContact) b = crm_test_add (f->ts->store, "Bbb", "", "");
  g_autoptr (CrmContact) read = NULL;
  g_autoptr (GError) error = NULL;
  GtkSingleSelection *selection;

  iterate ();
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (get (f, "list_view"))));
  gtk_single_selection_set_selected (selection, 0);
  iterate ();
  type_into (f, "title_input", "经理");

  /* selecting another contact keeps the change */
  gtk_single_selection_set_selected (selection, 1);
  iterate ();
  read = crm_store_get_contact (f->ts->store, crm_contact_get_id (a), &error);
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_TITLE), ==, "经理");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), ==, "Bbb");

  /* an invalid change is not dropped: the selection stays */
  type_into (f, "email_input", "not-an-address");
  gtk_single_selection_set_selected (selection, 0);
  iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), ==, "Bbb");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "email_input"))), ==,
                   "not-an-address");
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
  g_assert_true (gtk_widget_get_visible (get (f, "email_error")));
}

static void
wait_for_n_items (GListModel *model,
                  guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (model) != n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_page_search (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (CrmContact) a = crm_test_add (f->ts->store, "张三丰", "13812345678", "");
  g_autoptr (CrmContact) b = crm_test_add (f->ts->store, "李四", "13900001111", "");
  GListModel *model;

  iterate ();
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (get (f, "list_view"))));
  activate (f, "contacts.search");
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (get (f, "search_bar"))));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         get (f, "search_entry")));

  type_into (f, "search_entry", "1111");
  wait_for_n_items (model, 1);
  type_into (f, "search_entry", "不存在");
  wait_for_n_items (model, 0);
  g_assert_cmpstr (visible_child (f, "list_stack"), ==, "no-results");
  type_into (f, "search_entry", "");
  wait_for_n_items (model, 2);
  g_assert_cmpstr (visible_child (f, "list_stack"), ==, "list");

  /* Enter right after typing, before the search has even started, opens
   * the first result of what was typed */
  gtk_editable_set_text (GTK_EDITABLE (get (f, "search_entry")), "1111");
  g_signal_emit_by_name (get (f, "search_entry"), "activate");
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), "李四") != 0)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         get (f, "list_view")));
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/contacts-page/new-save", test_page_new_save);
  ADD ("/contacts-page/save-and-new-cancel", test_page_save_and_new_cancel);
  ADD ("/contacts-page/duplicate-warns", test_page_duplicate_warns);
  ADD ("/contacts-page/delete-undo", test_page_delete_undo);
  ADD ("/contacts-page/switch-saves-edit", test_page_switch_saves_edit);
  ADD ("/contacts-page/search", test_page_search);
#undef ADD

  return g_test_run ();
}
