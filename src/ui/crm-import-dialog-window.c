/* crm-import-dialog-window.c — what the import dialog leaves on the main
 * window: its item in the main menus and the toast with Undo Import
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Split from crm-import-dialog.c (the steps of the dialog), as the toast
 * outlives the dialog. Undo runs on a worker with a store of its own, as
 * the import did (see there why), and the app's store is told once that
 * the contacts changed. While the toast shows, Ctrl+Z is caught on the
 * window in the capture phase, so that it undoes the import even when the
 * focus is in a page whose own Ctrl+Z would undo an earlier deletion.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-import-dialog-private.h"

/* ---- Undo, on the main window after the dialog ------------------------- */

/* what Undo takes back; shared (atomic reference count) by the toast, the
 * Ctrl+Z shortcut and the worker */
typedef struct
{
  CrmStore           *store;
  CrmImportResult    *result;
  char               *data_dir;
  AdwToastOverlay    *overlay;    /* weak */
  GtkWidget          *window;     /* weak: where Ctrl+Z is caught */
  GtkEventController *keys;       /* on @window while the toast shows */
  AdwToast           *toast;      /* weak */
  gboolean            running;
} Undo;

static void
undo_clear (gpointer data)
{
  Undo *undo = data;

  g_clear_object (&undo->store);
  g_clear_pointer (&undo->result, crm_import_result_free);
  g_free (undo->data_dir);
  g_clear_weak_pointer (&undo->overlay);
  g_clear_weak_pointer (&undo->window);
  g_clear_weak_pointer (&undo->toast);
}

static void
undo_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, undo_clear);
}

static void
undo_toast (Undo       *undo,
            const char *title)
{
  AdwToast *toast;

  if (undo->overlay == NULL)
    return;
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (undo->overlay, toast);
}

static void
undo_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Undo *undo = task_data;
  GError *error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (undo->data_dir, &error);

  if (store == NULL || !crm_import_result_undo (undo->result, store, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_undo_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Undo *undo = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      undo->running = FALSE;
      undo_toast (undo, error->message);
      return;
    }
  g_signal_emit_by_name (undo->store, "contacts-reset");
  undo_toast (undo, _("The import was undone"));
}

static void
run_undo (Undo *undo)
{
  g_autoptr (GTask) task = NULL;

  if (undo->running || undo->result->undone)
    return;
  undo->running = TRUE;
  if (undo->toast != NULL)
    adw_toast_dismiss (undo->toast);
  task = g_task_new (NULL, NULL, on_undo_done, NULL);
  g_task_set_task_data (task, g_atomic_rc_box_acquire (undo), undo_release);
  g_task_run_in_thread (task, undo_thread);
}

static gboolean
on_undo_key (GtkWidget *widget,
             GVariant  *args,
             gpointer   data)
{
  run_undo (data);
  return TRUE;
}

static void
on_undo_toast_dismissed (AdwToast *toast,
                         Undo     *undo)
{
  if (undo->window != NULL && undo->keys != NULL)
    gtk_widget_remove_controller (undo->window, undo->keys);
  undo->keys = NULL;
}

/**
 * _crm_import_offer_undo:
 * @store: the app's store
 * @result: (transfer full): what the import did
 * @overlay: the main window's toasts
 *
 * Shows the toast with Undo Import on @overlay, Ctrl+Z caught on its window
 * while it shows.
 */
void
_crm_import_offer_undo (CrmStore        *store,
                        CrmImportResult *result,
                        AdwToastOverlay *overlay)
{
  Undo *undo;
  AdwToast *toast;
  GtkShortcut *shortcut;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (overlay));
  g_autofree char *title = NULL;

  undo = g_atomic_rc_box_new0 (Undo);
  undo->store = g_object_ref (store);
  undo->result = result;
  undo->data_dir = g_path_get_dirname (crm_store_get_path (store));
  g_set_weak_pointer (&undo->overlay, overlay);
  if (root != NULL)
    g_set_weak_pointer (&undo->window, GTK_WIDGET (root));

  /* Translators: the toast after an import, with its Undo button */
  title = g_strdup_printf (_("Imported: %u added, %u updated"), undo->result->added,
                           undo->result->updated);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo Import"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  g_set_weak_pointer (&undo->toast, toast);
  g_signal_connect_swapped (toast, "button-clicked", G_CALLBACK (run_undo), undo);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed),
                         g_atomic_rc_box_acquire (undo),
                         (GClosureNotify) (void (*) (void)) undo_release, 0);

  if (undo->window != NULL)
    {
      undo->keys = gtk_shortcut_controller_new ();
      gtk_event_controller_set_propagation_phase (undo->keys, GTK_PHASE_CAPTURE);
      shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                   gtk_callback_action_new (on_undo_key,
                                                            g_atomic_rc_box_acquire (undo),
                                                            undo_release));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (undo->keys), shortcut);
      gtk_widget_add_controller (undo->window, undo->keys);
    }
  adw_toast_overlay_add_toast (overlay, toast);
  undo_release (undo);
}

/* ---- the main menu ----------------------------------------------------- */

static void
add_to_menus (GtkWidget *widget,
              GMenuItem *item)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    {
      GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));
      /* beside Export… (crm-export-dialog.c) when it is there */
      GMenu *section = G_IS_MENU (menu) ? g_object_get_data (G_OBJECT (menu),
                                                             "crm-data-section") : NULL;

      if (G_IS_MENU (menu) && g_object_get_data (G_OBJECT (menu), "crm-import-item") == NULL)
        {
          if (section != NULL && g_object_get_data (G_OBJECT (section), "crm-import-item") == NULL)
            {
              g_menu_prepend_item (section, item);
              g_object_set_data (G_OBJECT (section), "crm-import-item", item);
            }
          else if (section == NULL)
            {
              g_autoptr (GMenu) own = g_menu_new ();

              g_menu_append_item (own, item);
              g_menu_prepend_section (G_MENU (menu), NULL, G_MENU_MODEL (own));
            }
          g_object_set_data (G_OBJECT (menu), "crm-import-item", item);
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_to_menus (child, item);
}

/**
 * crm_import_add_menu_item:
 * @root: the main window
 *
 * Adds "Import…" (win.import) to every main menu under @root, beside
 * "Export…" when that is there (call after crm_export_dialog_attach()).
 */
void
crm_import_add_menu_item (GtkWidget *root)
{
  g_autoptr (GMenuItem) item = g_menu_item_new (_("I_mport…"), "win.import");

  g_return_if_fail (GTK_IS_WIDGET (root));
  add_to_menus (root, item);
}
