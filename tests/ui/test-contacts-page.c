/* test-contacts-page.c — the contacts page's widgets under a real display
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "crm-contact-editor.h"
#include "crm-contacts-page.h"
#include <string.h>

#include "crm-test-damage.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"
#include "crm-validate.h"
#include "crm-window.h"

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  GtkWidget    *page;
} Fixture;

#define iterate crm_ui_iterate
#define get(f, id) crm_ui_get ((f)->page, (id))

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

  /* nothing typed: Escape goes straight back, no question */
  activate (f, "contacts.cancel");
  g_assert_null (crm_ui_find_message_dialog ());
  g_assert_cmpstr (visible_child (f, "editor_stack"), ==, "none");

  /* something typed: dropped only once the person says so */
  activate (f, "contacts.new");
  type_into (f, "name_input", "王五");
  activate (f, "contacts.cancel");
  crm_ui_respond (crm_ui_find_message_dialog (), "discard");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 1);
  g_assert_cmpstr (visible_child (f, "editor_stack"), ==, "none");
}

/* Escape on a filled new contact asks (as the deal editor does); Keep
 * Editing keeps every field, and the contact can be saved after. */
static void
test_page_escape_asks (Fixture       *f,
                       gconstpointer  data)
{
  AdwMessageDialog *dialog;

  activate (f, "contacts.new");
  type_into (f, "name_input", "王五");
  type_into (f, "company_input", "五金商行");
  activate (f, "contacts.cancel");
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Discard the Changes?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "keep");
  /* the question is all that happened so far */
  g_assert_cmpstr (visible_child (f, "editor_stack"), ==, "editor");
  crm_ui_respond (dialog, "keep");

  g_assert_cmpstr (visible_child (f, "editor_stack"), ==, "editor");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), ==, "王五");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "company_input"))), ==,
                   "五金商行");
  activate (f, "contacts.save");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 1);
}

/* Opening a contact puts the cursor at the end of its name, nothing
 * selected: a stray key cannot replace the name. */
static void
test_page_open_keeps_name (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (CrmContact) a = crm_test_add (f->ts->store, "张三丰", "13812345678", "");
  GtkEditable *name;
  int start, end;

  iterate ();
  g_signal_emit_by_name (get (f, "list_view"), "activate", 0);
  iterate ();
  name = GTK_EDITABLE (get (f, "name_input"));
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "张三丰");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         GTK_WIDGET (name)));
  g_assert_false (gtk_editable_get_selection_bounds (name, &start, &end));
  g_assert_cmpint (gtk_editable_get_position (name), ==, 3);

  /* and nothing changed: Escape asks nothing */
  activate (f, "contacts.cancel");
  g_assert_null (crm_ui_find_message_dialog ());
}

/* the list shows a mobile as people read it; the store keeps it canonical */
static void
test_page_row_phone (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (CrmContact) a = crm_test_add (f->ts->store, "张三丰", "13812345678", "");

  iterate ();
  g_assert_true (crm_ui_has_label (get (f, "list_view"), "138 1234 5678"));
  g_assert_false (crm_ui_has_label (get (f, "list_view"), "13812345678"));
}

/* A save refused for an invalid field puts the cursor at the end of that
 * field, nothing selected: the next key adds to what was typed. */
static void
test_page_invalid_keeps_text (Fixture       *f,
                              gconstpointer  data)
{
  GtkEditable *mobile;
  int start, end;

  activate (f, "contacts.new");
  type_into (f, "name_input", "张三丰");
  type_into (f, "mobile_input", "138 12");
  gtk_widget_grab_focus (get (f, "name_input"));
  activate (f, "contacts.save");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 0);
  mobile = GTK_EDITABLE (get (f, "mobile_input"));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         GTK_WIDGET (mobile)));
  g_assert_false (gtk_editable_get_selection_bounds (mobile, &start, &end));
  g_assert_cmpint (gtk_editable_get_position (mobile), ==, 6);
  g_assert_cmpstr (gtk_editable_get_text (mobile), ==, "138 12");
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

static gboolean
is_folded (gpointer leaflet)
{
  return adw_leaflet_get_folded (ADW_LEAFLET (leaflet));
}

/* In a narrow window the editor hides the list and its menu button: the
 * editor's header has the main menu then (F10 opens a primary menu). */
static void
test_page_folded_has_menu (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *leaflet = get (f, "leaflet");
  GtkWidget *button = get (f, "editor_menu_button");

  g_assert_false (gtk_widget_get_visible (button));
  gtk_window_set_default_size (f->window, 380, 700);
  crm_test_wait_until (is_folded, leaflet, 10);
  activate (f, "contacts.new");
  g_assert_true (adw_leaflet_get_visible_child (ADW_LEAFLET (leaflet)) == get (f, "editor_pane"));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)));
  g_assert_nonnull (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)));
}

/* The application's window over @store, as Ctrl+Q or its close button
 * closes it: gtk_window_close() asks it through close-request. */
typedef struct
{
  GtkWindow *window;
  GtkWidget *page;
} WindowFixture;

/* whether the window is still one of the application's toplevels: closing
 * destroys it, which only drops GTK's reference (the test keeps its own) */
static gboolean
is_open (WindowFixture *w)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);
      if (window == G_OBJECT (w->window))
        return TRUE;
    }
  return FALSE;
}

static void
open_window (WindowFixture *w,
             CrmStore      *store)
{
  w->window = g_object_ref (GTK_WINDOW (g_object_new (CRM_TYPE_WINDOW, "store", store, NULL)));
  gtk_window_present (w->window);
  iterate ();
  w->page = crm_ui_find (GTK_WIDGET (w->window), "contacts_page");
  g_assert_nonnull (w->page);
  g_assert_true (gtk_widget_activate_action (w->page, "contacts.new", NULL));
  iterate ();
}

static GtkEditable *
window_field (WindowFixture *w,
              const char    *id)
{
  GtkWidget *widget = crm_ui_find (w->page, id);

  g_assert_nonnull (widget);
  return GTK_EDITABLE (widget);
}

static gboolean
is_closed (gpointer w)
{
  return !is_open (w);
}

/* the window is closed (the close continues from an idle), with a deadline */
static void
wait_closed (WindowFixture *w)
{
  crm_test_wait_until (is_closed, w, 10);
  g_clear_object (&w->window);
}

/* Closing asks "Discard the Changes?" with @reason in the body; Keep
 * Editing (the default, and Escape) keeps the window and the form as typed;
 * asked again, Discard closes it. */
static void
assert_close_asks (WindowFixture *w,
                   const char    *reason)
{
  AdwMessageDialog *dialog;
  g_autofree char *name = g_strdup (gtk_editable_get_text (window_field (w, "name_input")));
  g_autofree char *mobile = g_strdup (gtk_editable_get_text (window_field (w, "mobile_input")));

  g_assert_null (crm_ui_find_message_dialog ());
  gtk_window_close (w->window);
  iterate ();
  g_assert_true (is_open (w));
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == w->window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Discard the Changes?");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog),
                                   "The contact cannot be saved: "));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), reason));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "keep");
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));

  /* closing again while it asks (Ctrl+Q twice): the same question, once */
  gtk_window_close (w->window);
  iterate ();
  g_assert_true (is_open (w));
  g_assert_true (crm_ui_find_message_dialog () == dialog);

  crm_ui_respond (dialog, "keep");
  iterate ();
  g_assert_true (is_open (w));
  g_assert_null (crm_ui_find_message_dialog ());
  g_assert_cmpstr (gtk_editable_get_text (window_field (w, "name_input")), ==, name);
  g_assert_cmpstr (gtk_editable_get_text (window_field (w, "mobile_input")), ==, mobile);
  g_assert_true (crm_contact_editor_is_dirty (CRM_CONTACT_EDITOR (crm_ui_find (w->page,
                                                                                "editor"))));

  gtk_window_close (w->window);
  iterate ();
  g_assert_true (is_open (w));
  crm_ui_respond (crm_ui_find_message_dialog (), "discard");
  wait_closed (w);
  g_assert_null (crm_ui_find_message_dialog ());
}

/* Ctrl+Q or the close button with a field that is not valid asks, with the
 * field's message as the reason, instead of staying open on the error. */
static void
test_page_close_invalid_asks (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  WindowFixture w = { NULL, };
  GtkWidget *error_label;

  open_window (&w, ts->store);
  gtk_editable_set_text (window_field (&w, "name_input"), "张三丰");
  gtk_editable_set_text (window_field (&w, "mobile_input"), "12");
  iterate ();
  error_label = crm_ui_find (w.page, "mobile_error");
  g_assert_nonnull (error_label);
  {
    g_autoptr (GError) error = NULL;
    g_assert_false (crm_validate_field (CRM_CONTACT_FIELD_MOBILE, "12", NULL, &error));
    assert_close_asks (&w, error->message);
  }
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 0);

  /* what can be saved is saved, and the window closes without a word */
  open_window (&w, ts->store);
  gtk_editable_set_text (window_field (&w, "name_input"), "张三丰");
  gtk_editable_set_text (window_field (&w, "mobile_input"), "138 1234 5678");
  iterate ();
  gtk_window_close (w.window);
  wait_closed (&w);
  g_assert_null (crm_ui_find_message_dialog ());
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1);
  crm_test_store_free (ts);
}

static void
on_damaged (CrmStore   *store,
            GParamSpec *pspec,
            gboolean   *damaged)
{
  *damaged = crm_store_is_damaged (store);
}

/* A store that refuses every write (damaged): closing asks, with the
 * store's message, instead of staying open on a toast; the file is left as
 * it was. */
static void
test_page_close_damaged_asks (void)
{
  g_autofree char *dir = crm_test_make_store (FALSE);
  g_autofree char *before = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) probe = NULL;
  WindowFixture w = { NULL, };
  CrmStore *store;
  gboolean damaged = FALSE;

  store = crm_test_open_damaged (dir);
  g_signal_connect (store, "notify::damaged", G_CALLBACK (on_damaged), &damaged);
  crm_store_check_async (store, NULL, NULL, NULL);
  crm_test_wait_flag (&damaged, 60);
  /* the store's own words for a refused write */
  probe = crm_test_contact ("probe", "", "");
  g_assert_false (crm_store_save_contact (store, probe, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  before = crm_test_files_checksum (dir);

  open_window (&w, store);
  gtk_editable_set_text (window_field (&w, "name_input"), "赵六");
  gtk_editable_set_text (window_field (&w, "mobile_input"), "138 1234 5678");
  iterate ();
  assert_close_asks (&w, error->message);

  crm_test_assert_files_same (dir, before);
  crm_test_close_and_remove (store, dir);
}

/* Ctrl+F with a query already typed selects it: typing replaces it */
static void
test_page_search_selects (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *entry = get (f, "search_entry");
  int start = -1, end = -1;

  /* typed into the entry, the cursor at its end, the focus still there */
  activate (f, "contacts.search");
  type_into (f, "search_entry", "李四");
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
  iterate ();
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry));
  g_assert_false (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), NULL, NULL));

  activate (f, "contacts.search");
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (get (f, "search_bar"))));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "李四");
  g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, 2);
}

static gboolean
window_inactive (gpointer window)
{
  iterate ();
  return !gtk_window_is_active (window);
}

/* Another window coming up takes the keyboard from the new contact's empty
 * name: the field was not left, and "a name is required" is not shown */
static void
test_page_other_window_no_error (Fixture       *f,
                                 gconstpointer  data)
{
  GtkWidget *error;
  GtkWindow *other;

  /* the keyboard is the X server's to give: beside the other widget tests
   * of a parallel run, it may stay with one of their windows */
  for (gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
       !gtk_window_is_active (f->window) && g_get_monotonic_time () < end;)
    {
      iterate ();
      g_usleep (10000);
    }
  if (!gtk_window_is_active (f->window))
    {
      g_test_skip ("another window kept the keyboard");
      return;
    }
  activate (f, "contacts.new");
  error = get (f, "name_error");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         get (f, "name_input")));
  other = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (other);
  crm_test_wait_until (window_inactive, f->window, 10);
  g_assert_false (gtk_widget_get_visible (error));
  gtk_window_destroy (other);
  iterate ();
}

/* Text cut by a field's max length says so beside the field */
static void
test_page_long_input_said (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (10000, 'a');
  GtkWidget *name = NULL;
  GtkWidget *error = NULL;

  activate (f, "contacts.new");
  name = get (f, "name_input");
  error = get (f, "name_error");
  g_assert_false (gtk_widget_get_visible (error));

  type_into (f, "name_input", long_name);
  g_assert_cmpuint (strlen (gtk_editable_get_text (GTK_EDITABLE (name))), ==, 100);
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), ==,
                   "Only the first 100 characters were kept");

  /* a key refused at the limit says so too; a correction clears it */
  type_into (f, "name_input", "张三丰");
  g_assert_false (gtk_widget_get_visible (error));
  gtk_editable_set_text (GTK_EDITABLE (name), long_name + 9900);
  iterate ();
  g_assert_false (gtk_widget_get_visible (error));
  gtk_editable_set_position (GTK_EDITABLE (name), -1);
  {
    int pos = 100;

    gtk_editable_insert_text (GTK_EDITABLE (name), "b", -1, &pos);
  }
  iterate ();
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, long_name + 9900);

  /* what was kept can be saved */
  activate (f, "contacts.save");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 1);
}

/* The Save button is enabled only when there is something to save */
static void
test_page_save_only_changed (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (CrmContact) a = crm_test_add (f->ts->store, "张三丰", "13812345678", "");
  GtkWidget *save = NULL;

  iterate ();
  save = get (f, "save_button");

  /* a new contact: once something is typed */
  activate (f, "contacts.new");
  g_assert_false (gtk_widget_get_sensitive (save));
  type_into (f, "name_input", "李四");
  g_assert_true (gtk_widget_get_sensitive (save));
  type_into (f, "name_input", "");
  g_assert_false (gtk_widget_get_sensitive (save));
  activate (f, "contacts.cancel");

  /* an opened contact: once a field differs from the stored one */
  gtk_single_selection_set_selected (
    GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (get (f, "list_view")))), 0);
  iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, "name_input"))), ==, "张三丰");
  g_assert_false (gtk_widget_get_sensitive (save));
  type_into (f, "name_input", "张三");
  g_assert_true (gtk_widget_get_sensitive (save));
  type_into (f, "name_input", "张三丰");
  g_assert_false (gtk_widget_get_sensitive (save));
  type_into (f, "name_input", "张三");
  activate (f, "contacts.save");
  g_assert_false (gtk_widget_get_sensitive (save));
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
  ADD ("/contacts-page/escape-asks", test_page_escape_asks);
  ADD ("/contacts-page/open-keeps-name", test_page_open_keeps_name);
  ADD ("/contacts-page/row-phone", test_page_row_phone);
  ADD ("/contacts-page/invalid-keeps-text", test_page_invalid_keeps_text);
  ADD ("/contacts-page/folded-has-menu", test_page_folded_has_menu);
  ADD ("/contacts-page/search-selects", test_page_search_selects);
  ADD ("/contacts-page/long-input-said", test_page_long_input_said);
  ADD ("/contacts-page/save-only-changed", test_page_save_only_changed);
  ADD ("/contacts-page/other-window-no-error", test_page_other_window_no_error);
#undef ADD
  g_test_add_func ("/contacts-page/close-invalid-asks", test_page_close_invalid_asks);
  g_test_add_func ("/contacts-page/close-damaged-asks", test_page_close_damaged_asks);

  return g_test_run ();
}
