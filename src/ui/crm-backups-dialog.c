/* crm-backups-dialog.c — the Backups window: the copies, Back Up Now, Restore, the settings
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The verified copies of the chosen folder and of DATA_DIR/backups, newest
 * first, each with its date, why it was made and its record counts, and a
 * Restore button that asks first (AdwMessageDialog, libadwaita 1.2) and
 * then hands the copy to app.restore-backup (crm-application.c closes the
 * store, keeps the current data as a "before restore" copy and reopens).
 * Back Up Now goes through the CrmBackupController, whose "finished"
 * refreshes the list (or shows its failure). The folder and the rotation
 * are GSettings keys, bound to the widgets; AdwSpinRow is libadwaita 1.4,
 * so a row carries a GtkSpinButton.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-backups-dialog.h"

struct _CrmBackupsDialog
{
  AdwWindow            parent_instance;

  CrmBackupController *controller;

  GtkListBox          *list;
  GtkLabel            *status_label;
  GtkButton           *back_up_button;
  AdwActionRow        *folder_row;
  AdwPreferencesGroup *settings_group;
};

G_DEFINE_FINAL_TYPE (CrmBackupsDialog, crm_backups_dialog, ADW_TYPE_WINDOW)

static char *
describe_reason (const char *reason)
{
  if (reason == NULL)
    return g_strdup (_("Regular copy"));
  if (g_str_equal (reason, "before-restore"))
    return g_strdup (_("Before a restore"));
  if (g_str_equal (reason, "before-migration"))
    return g_strdup (_("Before an update of the database"));
  if (g_str_equal (reason, "before-import"))
    return g_strdup (_("Before an import"));
  if (g_str_equal (reason, "manual"))
    return g_strdup (_("Made with Back Up Now"));
  if (g_str_equal (reason, "before-delete-all"))
    return g_strdup (_("Before deleting all data"));
  return g_strdup (reason);
}

static char *
describe_counts (const CrmBackupInfo *info)
{
  g_autofree char *contacts = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               info->counts[CRM_BACKUP_COUNT_CONTACTS]);
  g_autofree char *deals = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            info->counts[CRM_BACKUP_COUNT_DEALS]);
  g_autofree char *outbox = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             info->counts[CRM_BACKUP_COUNT_OUTBOX]);

  /* Translators: the record counts of a backup */
  return g_strdup_printf (_("%s contacts, %s deals, %s changes waiting to be sent"),
                          contacts, deals, outbox);
}

typedef struct
{
  GtkApplication *app;
  char           *path;
} RestoreRequest;

/* after the question has closed itself: the restore closes every window */
static gboolean
request_restore (gpointer data)
{
  RestoreRequest *request = data;

  g_action_group_activate_action (G_ACTION_GROUP (request->app), "restore-backup",
                                  g_variant_new_string (request->path));
  g_object_unref (request->app);
  g_free (request->path);
  g_free (request);
  return G_SOURCE_REMOVE;
}

static void
on_restore_response (GtkWidget  *parent,
                     const char *response,
                     GtkWidget  *message)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (parent));
  RestoreRequest *request;

  if (g_strcmp0 (response, "restore") != 0 || app == NULL)
    return;
  request = g_new0 (RestoreRequest, 1);
  request->app = g_object_ref (app);
  request->path = g_strdup (g_object_get_data (G_OBJECT (message), "crm-path"));
  g_idle_add (request_restore, request);
}

static void
on_restore_clicked (GtkButton *button,
                    gpointer   user_data)
{
  CrmBackupsDialog *self = CRM_BACKUPS_DIALOG (gtk_widget_get_root (GTK_WIDGET (button)));
  const CrmBackupInfo *info = g_object_get_data (G_OBJECT (button), "crm-info");
  g_autoptr (GDateTime) local = g_date_time_to_local (info->time);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autofree char *counts = describe_counts (info);
  GtkWidget *message;

  message = adw_message_dialog_new (GTK_WINDOW (self), _("Restore This Backup?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (message),
                                  _("Your data will be as it was on %s (%s). What is there "
                                    "now is kept first, as a “before restore” backup."),
                                  when, counts);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message), "restore",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (message), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message), "cancel");
  g_object_set_data_full (G_OBJECT (message), "crm-path", g_strdup (info->path), g_free);
  g_signal_connect_object (message, "response", G_CALLBACK (on_restore_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (message));
}

static GtkWidget *
backup_row (const CrmBackupInfo *info)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (info->time);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autofree char *reason = describe_reason (info->reason);
  g_autofree char *title = g_strdup_printf ("%s · %s", when, reason);
  g_autofree char *counts = describe_counts (info);
  g_autofree char *button_name = g_strdup_printf (_("Restore the Backup of %s"), when);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Restore…"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), counts);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  button_name, -1);
  g_object_set_data_full (G_OBJECT (button), "crm-info", crm_backup_info_copy (info),
                          (GDestroyNotify)crm_backup_info_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_restore_clicked), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, counts, -1);
  return row;
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const CrmBackupInfo *x = *(CrmBackupInfo * const *)a;
  const CrmBackupInfo *y = *(CrmBackupInfo * const *)b;

  return g_date_time_compare (y->time, x->time);
}

static void
refresh (CrmBackupsDialog *self)
{
  g_auto (GStrv) folders = crm_backup_controller_get_folders (self->controller);
  g_autofree char *folder = crm_backup_controller_get_folder (self->controller);
  g_autoptr (GPtrArray) all = NULL;
  GtkWidget *child;

  all = g_ptr_array_new_with_free_func ((GDestroyNotify)crm_backup_info_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; folders[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) list = crm_backup_list (folders[i], &error);

      if (list == NULL)
        {
          gtk_label_set_text (self->status_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
          continue;
        }
      for (guint j = 0; j < list->len; j++)
        g_ptr_array_add (all, crm_backup_info_copy (g_ptr_array_index (list, j)));
    }
  g_ptr_array_sort (all, newest_first);
  for (guint i = 0; i < all->len; i++)
    gtk_list_box_append (self->list, backup_row (g_ptr_array_index (all, i)));
  if (all->len == 0)
    {
      GtkWidget *empty = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty), _("No Backups Yet"));
      gtk_list_box_append (self->list, empty);
    }
  adw_action_row_set_subtitle (self->folder_row, folder);
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_up_button),
                            !crm_backup_controller_is_busy (self->controller));
}

static void
on_finished (CrmBackupsDialog *self,
             gpointer          info,
             const char       *message)
{
  if (message != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The backup failed: %s"), message);

      gtk_label_set_text (self->status_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
    }
  else
    {
      gtk_label_set_text (self->status_label, _("The backup was made and checked."));
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
    }
  refresh (self);
}

static void
on_back_up_clicked (CrmBackupsDialog *self)
{
  /* a copy of its own, kept like a "before …" one: not in place of today's */
  crm_backup_controller_back_up (self->controller, "manual");
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_up_button),
                            !crm_backup_controller_is_busy (self->controller));
  gtk_label_set_text (self->status_label, _("Backing up…"));
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
}

static void
on_folder_chosen (GtkNativeDialog  *chooser,
                  int               response,
                  CrmBackupsDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      GSettings *settings = crm_backup_controller_get_settings (self->controller);

      if (path != NULL && settings != NULL)
        g_settings_set_string (settings, "backup-folder", path);
      refresh (self);
    }
  g_object_unref (chooser);
}

static void
on_folder_clicked (CrmBackupsDialog *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose the Backup Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_folder_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_default_folder_clicked (CrmBackupsDialog *self)
{
  GSettings *settings = crm_backup_controller_get_settings (self->controller);

  if (settings != NULL)
    g_settings_set_string (settings, "backup-folder", "");
  refresh (self);
}

/* a row with a number from GSettings */
static void
add_count_row (CrmBackupsDialog *self,
               const char       *key,
               const char       *title,
               guint             min,
               guint             max)
{
  GSettings *settings = crm_backup_controller_get_settings (self->controller);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  if (settings != NULL)
    g_settings_bind (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  else
    gtk_widget_set_sensitive (spin, FALSE);
  adw_preferences_group_add (self->settings_group, row);
}

static void
crm_backups_dialog_dispose (GObject *object)
{
  CrmBackupsDialog *self = (CrmBackupsDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_BACKUPS_DIALOG);
  g_clear_object (&self->controller);

  G_OBJECT_CLASS (crm_backups_dialog_parent_class)->dispose (object);
}

static void
crm_backups_dialog_class_init (CrmBackupsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_backups_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-backups-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsDialog, list);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsDialog, back_up_button);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, CrmBackupsDialog, settings_group);
  gtk_widget_class_bind_template_callback (widget_class, on_back_up_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_folder_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_default_folder_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_backups_dialog_init (CrmBackupsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * crm_backups_dialog_new:
 *
 * Returns: (transfer floating): the Backups window, modal over @parent
 */
GtkWidget *
crm_backups_dialog_new (CrmBackupController *controller,
                        GtkWindow           *parent)
{
  CrmBackupsDialog *self = g_object_new (CRM_TYPE_BACKUPS_DIALOG,
                                         "transient-for", parent,
                                         "application", parent
                                           ? gtk_window_get_application (parent) : NULL,
                                         NULL);

  self->controller = g_object_ref (controller);
  add_count_row (self, "backup-keep-daily", _("Days That Keep a Copy"), 1, 365);
  add_count_row (self, "backup-keep-weekly", _("Weeks That Keep a Copy"), 0, 520);
  add_count_row (self, "backup-keep-monthly", _("Months That Keep a Copy"), 0, 1200);
  add_count_row (self, "backup-keep-before-days",
                 _("Days to Keep a Copy Made Before a Restore or an Import"), 1, 3650);
  g_signal_connect_object (controller, "finished", G_CALLBACK (on_finished), self,
                           G_CONNECT_SWAPPED);
  refresh (self);
  return GTK_WIDGET (self);
}
