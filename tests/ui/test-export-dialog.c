/* test-export-dialog.c — the main menu's "Export…" and "Delete All My Data…"
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window with a main menu like the pages' and a real store: the items
 * are added to the menu, Delete All is enabled only once the word is typed,
 * and then deletes; Export offers every format.
 */
#include "config.h"

#include <adwaita.h>

#include "crm-export-dialog.h"
#include "crm-store-backup.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"

typedef struct
{
  CrmTestStore *ts;
  GtkWidget    *window;
  GMenu        *menu;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *button = gtk_menu_button_new ();
  g_autoptr (CrmContact) contact = NULL;

  f->ts = crm_test_store_new ();
  contact = crm_test_add (f->ts->store, "张三", "13812345678", "");
  f->menu = g_menu_new ();
  g_menu_append (f->menu, "_About", "app.about");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (f->menu));
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (button), TRUE);
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), button);
  crm_export_dialog_attach (GTK_WINDOW (f->window), f->ts->store);
  gtk_window_present (GTK_WINDOW (f->window));
  crm_ui_iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  AdwMessageDialog *dialog;

  while ((dialog = crm_ui_find_message_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (f->window));
  crm_ui_iterate ();
  g_object_unref (f->menu);
  crm_test_store_free (f->ts);
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type,
           guint     *count)
{
  GtkWidget *found = NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      (*count)++;
      found = root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *in_child = find_type (child, type, count);

      if (found == NULL)
        found = in_child;
    }
  return found;
}

static void
test_menu (Fixture       *f,
           gconstpointer  data)
{
  GMenuModel *section;
  g_autofree char *export_action = NULL;
  g_autofree char *delete_action = NULL;

  /* the section first, then what the menu had */
  g_assert_cmpint (g_menu_model_get_n_items (G_MENU_MODEL (f->menu)), ==, 2);
  section = g_menu_model_get_item_link (G_MENU_MODEL (f->menu), 0, G_MENU_LINK_SECTION);
  g_assert_nonnull (section);
  g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_ACTION, "s", &export_action);
  g_menu_model_get_item_attribute (section, 1, G_MENU_ATTRIBUTE_ACTION, "s", &delete_action);
  g_assert_cmpstr (export_action, ==, "data.export");
  g_assert_cmpstr (delete_action, ==, "data.delete-all");
  g_object_unref (section);
}

static gboolean
deleted_dialog_shown (gpointer data)
{
  AdwMessageDialog *dialog = crm_ui_find_message_dialog ();

  return dialog != NULL
         && g_strcmp0 (adw_message_dialog_get_heading (dialog), "All Your Data Was Deleted") == 0;
}

static void
test_delete_all (Fixture       *f,
                 gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  guint n = 0;
  const char *folder;
  g_autoptr (CrmBackupInfo) copy = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *other = NULL;

  gtk_widget_activate_action (f->window, "data.delete-all", NULL);
  crm_ui_iterate ();
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete All Your Data?");
  g_assert_true (adw_message_dialog_has_response (dialog, "export"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (dialog), "To confirm, type “delete”:"));

  entry = find_type (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, &n);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "delet");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  gtk_editable_set_text (GTK_EDITABLE (entry), " Delete ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "delete"));

  /* nothing is deleted by cancelling */
  crm_ui_respond (dialog, "cancel");
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 1);

  /* a backup holds the same data: it goes too; a file of the user's stays */
  folder = crm_store_get_backup_dir (f->ts->store);
  copy = crm_backup_file (crm_store_get_path (f->ts->store), folder, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  other = g_build_filename (folder, "notes.txt", NULL);
  g_assert_true (g_file_set_contents (other, "mine", -1, NULL));
  list = crm_backup_list (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  gtk_widget_activate_action (f->window, "data.delete-all", NULL);
  crm_ui_iterate ();
  dialog = crm_ui_find_message_dialog ();
  n = 0;
  entry = find_type (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, &n);
  gtk_editable_set_text (GTK_EDITABLE (entry), "delete");
  crm_ui_respond (dialog, "delete");
  /* on a worker (crm_store_delete_all_async), a dialog shown meanwhile */
  crm_test_wait_until (deleted_dialog_shown, NULL, 60);
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 0);
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "All Your Data Was Deleted");
  list = crm_backup_list (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_false (g_file_test (copy->path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
}

static void
test_export_formats (Fixture       *f,
                     gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GtkWidget *first;
  guint n = 0;

  gtk_widget_activate_action (f->window, "data.export", NULL);
  crm_ui_iterate ();
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Export");
  first = find_type (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, &n);
  g_assert_cmpuint (n, ==, 7);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (first)));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (dialog), "Everything as an archive (.zip)"));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (dialog), "Follow-ups as CSV"));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (dialog), "Contacts as vCard 3.0 (older address "
                                                        "books)"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "export"), ==,
                   ADW_RESPONSE_SUGGESTED);
  crm_ui_respond (dialog, "cancel");
  g_assert_null (crm_ui_find_message_dialog ());
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */
  g_setenv ("LANGUAGE", "en", TRUE);    /* the strings checked are the English ones */

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/export-dialog/menu", test_menu);
  ADD ("/export-dialog/delete-all", test_delete_all);
  ADD ("/export-dialog/export-formats", test_export_formats);
#undef ADD
  return g_test_run ();
}
