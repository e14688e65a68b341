/* test-contacts-sort.c — the contacts page's sort menu and "not followed up" filter
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real page on a real store under the test session: the actions the
 * menu shows, the order kept in GSettings, the A–Z index hidden in the
 * follow-up order, and the rows saying how long ago.
 */
#include "config.h"

#include <adwaita.h>

#include "crm-contact-list.h"
#include "crm-contacts-page.h"

#include "crm-test-ui.h"
#include "crm-test-util.h"

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  GtkWidget    *page;
} Fixture;

#define iterate crm_ui_iterate
#define get(f, id) crm_ui_get ((f)->page, (id))

static char *
days_ago (int days)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) then = g_date_time_add_days (now, -days);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static void
add_followup (CrmStore   *store,
              CrmContact *contact,
              int         days)
{
  g_autofree char *when = days_ago (days);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *sql = g_strdup_printf ("INSERT INTO followups (id, contact_id, happened_at,"
                                          " notes, created_at, updated_at)"
                                          " VALUES ('%s', '%s', '%s', 'x', '%s', '%s')",
                                          id, crm_contact_get_id (contact), when, when, when);
  crm_test_exec (store, sql);
}

static GtkWidget *
new_page (CrmStore  *store,
          GtkWindow *window)
{
  GtkWidget *page = g_object_new (CRM_TYPE_CONTACTS_PAGE, NULL);

  crm_contacts_page_set_store (CRM_CONTACTS_PAGE (page), store);
  gtk_window_set_child (window, page);
  gtk_window_present (window);
  iterate ();
  return page;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (CrmContact) a = NULL;
  g_autoptr (CrmContact) b = NULL;
  g_autoptr (CrmContact) c = NULL;

  f->ts = crm_test_store_new ();
  /* by name A, B, C; by follow-up B (never), C (40 days), A (2 days) */
  a = crm_test_add (f->ts->store, "Aaron", "", "");
  b = crm_test_add (f->ts->store, "Bob", "", "");
  c = crm_test_add (f->ts->store, "Carl", "", "");
  add_followup (f->ts->store, a, 2);
  add_followup (f->ts->store, c, 40);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 700);
  f->page = new_page (f->ts->store, f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "contacts-order");
  gtk_window_destroy (f->window);
  iterate ();
  crm_test_store_free (f->ts);
}

static CrmContactList *
list_of (GtkWidget *page)
{
  GtkListView *view = GTK_LIST_VIEW (crm_ui_get (page, "list_view"));
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (view));

  return CRM_CONTACT_LIST (gtk_single_selection_get_model (selection));
}

static gboolean
settled (gpointer list)
{
  crm_ui_iterate ();
  return !crm_contact_list_get_searching (list);
}

/* the names in the list, in order, joined by spaces */
static char *
names (GtkWidget *page)
{
  GListModel *model = G_LIST_MODEL (list_of (page));
  g_autoptr (GString) out = g_string_new (NULL);

  crm_test_wait_until (settled, model, 10);
  iterate ();
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (CrmContact) contact = g_list_model_get_item (model, i);
      g_string_append_printf (out, "%s%s", i ? " " : "", crm_contact_get_name (contact));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_sort_menu (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *button = get (f, "sort_button");
  GtkWidget *list_view = get (f, "list_view");
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_autofree char *by_name = NULL;
  g_autofree char *by_followup = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *label = NULL;
  g_autofree char *back = NULL;
  g_autofree char *saved = NULL;

  /* the menu: two orders, then the filter with N from the settings */
  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  g_menu_model_get_item_attribute (g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION),
                                   0, G_MENU_ATTRIBUTE_LABEL, "s", &label);
  g_assert_cmpstr (label, ==, "Not _Followed Up for 30 Days");

  by_name = names (f->page);
  g_assert_cmpstr (by_name, ==, "Aaron Bob Carl");
  g_assert_true (gtk_widget_get_visible (get (f, "letter_index")));
  g_assert_false (crm_ui_has_label (list_view, "2 days ago"));

  g_assert_true (gtk_widget_activate_action (f->page, "sort.order", "s", "last-followup"));
  by_followup = names (f->page);
  g_assert_cmpstr (by_followup, ==, "Bob Carl Aaron");
  g_assert_false (gtk_widget_get_visible (get (f, "letter_index")));
  g_assert_true (crm_ui_has_label (list_view, "Never followed up"));
  g_assert_true (crm_ui_has_label (list_view, "40 days ago"));
  g_assert_true (crm_ui_has_label (list_view, "2 days ago"));
  /* kept for the next start */
  saved = g_settings_get_string (settings, "contacts-order");
  g_assert_cmpstr (saved, ==, "last-followup");

  /* the filter: not followed up for 30 days */
  g_assert_true (gtk_widget_activate_action (f->page, "sort.stale", NULL));
  stale = names (f->page);
  g_assert_cmpstr (stale, ==, "Bob Carl");

  /* by name again, filtered still: the rows still say how long ago */
  g_assert_true (gtk_widget_activate_action (f->page, "sort.order", "s", "name"));
  g_clear_pointer (&stale, g_free);
  stale = names (f->page);
  g_assert_cmpstr (stale, ==, "Bob Carl");
  g_assert_true (gtk_widget_get_visible (get (f, "letter_index")));
  g_assert_true (crm_ui_has_label (list_view, "40 days ago"));
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (settings, "contacts-order");
  g_assert_cmpstr (saved, ==, "name");

  /* the filter off: everyone, no "ago" */
  g_assert_true (gtk_widget_activate_action (f->page, "sort.stale", NULL));
  back = names (f->page);
  g_assert_cmpstr (back, ==, "Aaron Bob Carl");
  g_assert_false (crm_ui_has_label (list_view, "40 days ago"));
}

/* a page made later (the next start) lists in the order kept */
static void
test_sort_kept (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *order = NULL;

  g_settings_set_string (settings, "contacts-order", "last-followup");
  iterate ();
  /* the page shown follows the settings too */
  g_clear_pointer (&order, g_free);
  order = names (f->page);
  g_assert_cmpstr (order, ==, "Bob Carl Aaron");

  f->page = new_page (f->ts->store, f->window);
  g_clear_pointer (&order, g_free);
  order = names (f->page);
  g_assert_cmpstr (order, ==, "Bob Carl Aaron");
  g_assert_false (gtk_widget_get_visible (get (f, "letter_index")));
}

/* the filter keeping no one says so, not "No Contacts" */
static void
test_sort_all_followed_up (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (GPtrArray) all = crm_store_search_contacts (f->ts->store, NULL, 10, NULL);
  g_autofree char *none = NULL;

  for (guint i = 0; i < all->len; i++)
    add_followup (f->ts->store, g_ptr_array_index (all, i), 1);
  g_assert_true (gtk_widget_activate_action (f->page, "sort.stale", NULL));
  none = names (f->page);
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (get (f, "list_stack"))), ==,
                   "all-followed-up");
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;

  g_test_add ("/contacts-sort/menu", Fixture, NULL, fixture_setup, test_sort_menu,
              fixture_teardown);
  g_test_add ("/contacts-sort/kept", Fixture, NULL, fixture_setup, test_sort_kept,
              fixture_teardown);
  g_test_add ("/contacts-sort/all-followed-up", Fixture, NULL, fixture_setup,
              test_sort_all_followed_up, fixture_teardown);
  return g_test_run ();
}
