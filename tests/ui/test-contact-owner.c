/* test-contact-owner.c — the contact editor's owner (负责人) chosen from the team,
 * from a real xiaohe-crm-server
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A store with a contact whose owner was typed before any sign-in ("张经理",
 * nobody on the server). A sync controller signs in to a real server as
 * "li" (the test session's keyring keeps its token); after its round the
 * store knows the company's users (GET /v1/users). The main window, handed
 * the controller as the app does, shows the contact: the owner is now a
 * drop-down ("No Owner", the users, and the typed owner kept as one more
 * entry, chosen), the label's mnemonic points at it, and nothing is
 * "unsaved". Choosing a user is an edit; choosing the typed owner again
 * undoes it. A new contact gets the signed-in user as its owner. Signed
 * out, the kept users still make the drop-down. Without team users the
 * owner is the free-text entry it always was. The sort menu offers "My
 * Customers" only while signed in; chosen, it keeps the user's contacts,
 * says so when there are none, and signed out every contact shows again.
 * Needs the test session and XIAOHE_CRM_SERVER.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-contact-editor.h"
#include "crm-contacts-page.h"
#include "crm-store-team.h"
#include "crm-sync-controller.h"
#include "crm-test-server.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"
#include "crm-window.h"

#define PASSWORD "Li-pw-5c2e81d0"

typedef struct
{
  CrmTestStore      *ts;
  CrmTestServer     *server;
  CrmSyncController *controller;
  GtkWindow         *window;
  CrmContact        *typed;      /* saved before sign-in, owner "张经理" */
  const char        *want_state; /* what list_settled() waits for */
  guint              want_n;
} Fixture;

static gboolean
signed_in (gpointer data)
{
  return crm_sync_controller_get_signed_in (data);
}

static gboolean
signed_out (gpointer data)
{
  return !crm_sync_controller_get_signed_in (data);
}

static gboolean
knows_team (gpointer data)
{
  g_autoptr (GPtrArray) users = crm_store_list_team_users (data, NULL);

  return users != NULL && users->len == 2;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->ts = crm_test_store_new ();
  f->typed = crm_test_contact ("老客户", "13800138000", "");
  crm_contact_set_field (f->typed, CRM_CONTACT_FIELD_OWNER, "张经理");
  g_assert_true (crm_store_save_contact (f->ts->store, f->typed, &error));
  g_assert_no_error (error);

  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, "acme", "Acme Trading");
  crm_test_server_add_user (f->server, "acme", "wang", PASSWORD);
  crm_test_server_add_user (f->server, "acme", "li", PASSWORD);
  crm_test_server_start (f->server);

  f->window = GTK_WINDOW (crm_window_new (NULL, f->ts->store));
  f->controller = crm_sync_controller_new (f->ts->store);
  crm_window_set_sync_controller (CRM_WINDOW (f->window), f->controller);
  gtk_window_present (f->window);
  crm_ui_iterate ();
}

static void
sign_in (Fixture *f)
{
  CrmTestWaiter waiter = { 0 };
  g_autoptr (GError) error = NULL;

  crm_sync_controller_sign_in_async (f->controller, crm_test_server_get_url (f->server), "acme",
                                     "li", PASSWORD, NULL, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  g_assert_true (crm_sync_controller_sign_in_finish (f->controller, waiter.result, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (waiter.result);
  crm_test_wait_until (signed_in, f->controller, 30);
  /* the first round, then the users */
  crm_test_wait_until (knows_team, f->ts->store, 60);
  crm_ui_iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  crm_ui_iterate ();
  g_object_run_dispose (G_OBJECT (f->controller));
  g_clear_object (&f->controller);
  g_clear_object (&f->typed);
  crm_test_server_free (f->server);
  crm_test_store_free (f->ts);
}

static GtkWidget *
editor_part (Fixture    *f,
             const char *id)
{
  return crm_ui_get (crm_ui_get (GTK_WIDGET (f->window), "editor"), id);
}

/* the owner's drop-down, or NULL when the editor has none (shown or not) */
static GtkDropDown *
owner_choice (Fixture *f)
{
  for (GtkWidget *child = gtk_widget_get_first_child (editor_part (f, "owner_box"));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_DROP_DOWN (child))
      return GTK_DROP_DOWN (child);
  return NULL;
}

/* the drop-down's entries as one "a|b|c" text */
static char *
choices (GtkDropDown *choice)
{
  GListModel *model = gtk_drop_down_get_model (choice);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_string_append_printf (text, "%s%s", i ? "|" : "",
                            gtk_string_list_get_string (GTK_STRING_LIST (model), i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
owner_text (Fixture *f)
{
  return gtk_editable_get_text (GTK_EDITABLE (editor_part (f, "owner_input")));
}

static CrmContactEditor *
editor (Fixture *f)
{
  return CRM_CONTACT_EDITOR (crm_ui_get (GTK_WIDGET (f->window), "editor"));
}

static void
open_typed (Fixture *f)
{
  crm_contacts_page_open_contact (CRM_CONTACTS_PAGE (crm_ui_get (GTK_WIDGET (f->window),
                                                                 "contacts_page")),
                                  f->typed);
  crm_ui_iterate ();
}

static void
test_typed_owner_kept (Fixture       *f,
                       gconstpointer  data)
{
  GtkDropDown *choice;
  g_autofree char *listed = NULL;
  g_autofree char *accessible = NULL;

  /* signed out, no team known: the free-text entry, as always */
  open_typed (f);
  g_assert_true (gtk_widget_get_visible (editor_part (f, "owner_input")));
  g_assert_true (owner_choice (f) == NULL
                 || !gtk_widget_get_visible (GTK_WIDGET (owner_choice (f))));
  g_assert_cmpstr (owner_text (f), ==, "张经理");

  sign_in (f);
  /* the team arrived while the contact was open: the drop-down replaces the
   * entry at once, "No Owner" first, the users by name, the typed owner kept */
  choice = owner_choice (f);
  g_assert_nonnull (choice);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (choice)));
  g_assert_false (gtk_widget_get_visible (editor_part (f, "owner_input")));
  listed = choices (choice);
  g_assert_cmpstr (listed, ==, "No Owner|li|wang|张经理");
  g_assert_cmpuint (gtk_drop_down_get_selected (choice), ==, 3);
  g_assert_cmpstr (owner_text (f), ==, "张经理");
  g_assert_false (crm_contact_editor_is_dirty (editor (f)));
  /* the label's mnemonic (Alt+R) reaches it */
  g_assert_true (gtk_label_get_mnemonic_widget (GTK_LABEL (editor_part (f, "owner_label")))
                 == GTK_WIDGET (choice));

  /* a user chosen is an edit of the owner; the typed one chosen again is not */
  gtk_drop_down_set_selected (choice, 2);
  g_assert_cmpstr (owner_text (f), ==, "wang");
  g_assert_true (crm_contact_editor_is_dirty (editor (f)));
  gtk_drop_down_set_selected (choice, 3);
  g_assert_cmpstr (owner_text (f), ==, "张经理");
  g_assert_false (crm_contact_editor_is_dirty (editor (f)));
  gtk_drop_down_set_selected (choice, 0);
  g_assert_cmpstr (owner_text (f), ==, "");
  gtk_drop_down_set_selected (choice, 3);

  /* signed out, the kept users still make the drop-down (offline work) */
  {
    CrmTestWaiter waiter = { 0 };

    crm_sync_controller_sign_out_async (f->controller, NULL, crm_test_waiter_done, &waiter);
    crm_test_wait_flag (&waiter.done, 60);
    g_assert_true (crm_sync_controller_sign_out_finish (f->controller, waiter.result, NULL));
    g_object_unref (waiter.result);
    crm_test_wait_until (signed_out, f->controller, 30);
  }
  open_typed (f);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (owner_choice (f))));
  g_clear_pointer (&listed, g_free);
  listed = choices (owner_choice (f));
  g_assert_cmpstr (listed, ==, "No Owner|li|wang|张经理");
}

static void
test_new_contact_is_mine (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *page = crm_ui_get (GTK_WIDGET (f->window), "contacts_page");
  GtkDropDown *choice;

  sign_in (f);
  g_assert_true (gtk_widget_activate_action (page, "contacts.new", NULL));
  crm_ui_iterate ();
  choice = owner_choice (f);
  g_assert_nonnull (choice);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (choice)));
  /* li signed in: li's, and no extra entry */
  g_assert_cmpstr (owner_text (f), ==, "li");
  g_assert_cmpuint (gtk_drop_down_get_selected (choice), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (choice)), ==, 3);
  /* nothing typed yet: nothing to save or discard */
  g_assert_false (crm_contact_editor_is_dirty (editor (f)));
}

static gboolean
list_settled (gpointer data)
{
  Fixture *f = data;
  GtkWidget *list_view = crm_ui_get (GTK_WIDGET (f->window), "list_view");
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  GtkStack *stack = GTK_STACK (crm_ui_get (GTK_WIDGET (f->window), "list_stack"));

  crm_ui_iterate ();
  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), f->want_state) == 0
         && g_list_model_get_n_items (model) == f->want_n;
}

/* "My Customers" in the sort menu only while signed in; chosen, the list
 * keeps the user's contacts and, having none, says so; signed out, all
 * contacts show again */
static void
test_my_customers (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *page = crm_ui_get (GTK_WIDGET (f->window), "contacts_page");
  GMenuModel *menu = gtk_menu_button_get_menu_model (
    GTK_MENU_BUTTON (crm_ui_get (page, "sort_button")));
  CrmTestWaiter waiter = { 0 };

  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);   /* order, stale */
  sign_in (f);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 3);   /* and Show */

  g_assert_true (gtk_widget_activate_action (page, "sort.owner", "s", "mine"));
  f->want_state = "no-customers";
  f->want_n = 0;
  crm_test_wait_until (list_settled, f, 30);

  /* one of li's: listed */
  {
    g_autoptr (CrmContact) mine = crm_test_contact ("新客户", "", "");
    g_autoptr (GError) error = NULL;

    crm_contact_set_field (mine, CRM_CONTACT_FIELD_OWNER, "li");
    g_assert_true (crm_store_save_contact (f->ts->store, mine, &error));
    f->want_state = "list";
    f->want_n = 1;
    crm_test_wait_until (list_settled, f, 30);
  }

  /* signed out: no Show section, every contact */
  crm_sync_controller_sign_out_async (f->controller, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  g_assert_true (crm_sync_controller_sign_out_finish (f->controller, waiter.result, NULL));
  g_object_unref (waiter.result);
  crm_test_wait_until (signed_out, f->controller, 30);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  f->want_n = 2;
  crm_test_wait_until (list_settled, f, 30);
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;
  g_test_add ("/contact-owner/typed-owner-kept", Fixture, NULL, fixture_set_up,
              test_typed_owner_kept, fixture_tear_down);
  g_test_add ("/contact-owner/new-contact-is-mine", Fixture, NULL, fixture_set_up,
              test_new_contact_is_mine, fixture_tear_down);
  g_test_add ("/contact-owner/my-customers", Fixture, NULL, fixture_set_up,
              test_my_customers, fixture_tear_down);
  return g_test_run ();
}
