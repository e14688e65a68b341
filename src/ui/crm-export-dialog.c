/* crm-export-dialog.c — the main menu's "Export…" and "Delete All My Data…"
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both are AdwMessageDialogs (HACKING.md). Export asks for a format, then a
 * file (GtkFileChooserNative: GTK 4.8 has no GtkFileDialog), then writes it
 * on a worker thread (crm_export() and crm_archive_export() read on
 * connections of their own) while a dialog shows the progress and offers
 * Cancel, which leaves no file behind.
 *
 * Deleting all the data offers "Export Everything First…", then asks the
 * person to type a word shown in the dialog (translated: 删除 in Chinese)
 * before Delete All is enabled, destructive. crm_store_delete_all_async()
 * keeps the terms acceptance (see crm-store-export.c) and runs on a worker,
 * a dialog with a moving bar shown meanwhile.
 *
 * The menu items go into every main menu of the window, as a section of
 * their own (the same way as the team's section, crm-sync-status.c), and
 * their actions into the window as the "data" group.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-archive.h"
#include "crm-export-dialog.h"
#include "crm-export.h"
#include "crm-io.h"
#include "crm-store-backup.h"

typedef enum
{
  CHOICE_CONTACTS_CSV,
  CHOICE_DEALS_CSV,
  CHOICE_FOLLOWUPS_CSV,
  CHOICE_ALL_XLSX,
  CHOICE_CONTACTS_VCARD,
  CHOICE_CONTACTS_VCARD_30,
  CHOICE_ARCHIVE,
  N_CHOICES
} Choice;

static const struct
{
  const char      *label;
  const char      *suffix;
  CrmExportFormat  format;
  CrmExportWhat    what;
} choices[N_CHOICES] = {
  { N_("Contacts as C_SV (Excel, WPS)"), "csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_CONTACTS },
  { N_("_Deals as CSV"), "csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_DEALS },
  { N_("_Follow-ups as CSV"), "csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_FOLLOWUPS },
  { N_("Contacts and Deals as _XLSX"), "xlsx", CRM_EXPORT_FORMAT_XLSX, CRM_EXPORT_ALL },
  { N_("Contacts as _vCard 4.0"), "vcf", CRM_EXPORT_FORMAT_VCARD, CRM_EXPORT_CONTACTS },
  { N_("Contacts as vCard _3.0 (older address books)"), "vcf", CRM_EXPORT_FORMAT_VCARD_30,
    CRM_EXPORT_CONTACTS },
  { N_("_Everything as an archive (.zip)"), "zip", 0, CRM_EXPORT_ALL },
};

/* one export under way */
typedef struct
{
  GtkWindow        *window;
  CrmStore         *store;
  Choice            choice;
  GFile            *file;
  GCancellable     *cancellable;
  AdwMessageDialog *progress_dialog;
  GtkProgressBar   *bar;
  gboolean          then_delete;    /* "Export Everything First…": ask again after */
  /* written by the worker, read on the main thread */
  gint              done;
  gint              total;
  guint             pulse;
} Job;

static void ask_delete_all (GtkWindow *window, CrmStore *store);

static void
job_free (Job *job)
{
  g_clear_object (&job->window);
  g_clear_object (&job->store);
  g_clear_object (&job->file);
  g_clear_object (&job->cancellable);
  g_clear_handle_id (&job->pulse, g_source_remove);
  g_free (job);
}

static void
tell (GtkWindow  *window,
      const char *heading,
      const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (window, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* the worker's progress, shown every 100 ms */
static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  Job *job = user_data;

  g_atomic_int_set (&job->done, done);
  g_atomic_int_set (&job->total, total);
}

static gboolean
show_progress (gpointer user_data)
{
  Job *job = user_data;
  int done = g_atomic_int_get (&job->done);
  int total = g_atomic_int_get (&job->total);

  if (total > 0)
    {
      g_autofree char *text = g_strdup_printf (_("%d of %d"), done, total);

      gtk_progress_bar_set_fraction (job->bar, (double)done / total);
      gtk_progress_bar_set_text (job->bar, text);
    }
  return G_SOURCE_CONTINUE;
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  gboolean ok;

  if (job->choice == CHOICE_ARCHIVE)
    ok = crm_archive_export (job->store, job->file, on_progress, job, cancellable, &error);
  else
    ok = crm_export (job->store, job->file, choices[job->choice].format,
                     choices[job->choice].what, CRM_EXPORT_FLAGS_NONE, on_progress, job,
                     cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (job->file);

  g_clear_handle_id (&job->pulse, g_source_remove);
  gtk_window_destroy (GTK_WINDOW (job->progress_dialog));
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, CRM_IO_ERROR, CRM_IO_ERROR_CANCELLED))
        tell (job->window, _("Export Failed"), error->message);
      return;
    }
  if (job->then_delete)
    {
      ask_delete_all (job->window, job->store);
      return;
    }
  {
    g_autofree char *body = NULL;

    if (choices[job->choice].format == CRM_EXPORT_FORMAT_CSV
        && choices[job->choice].what == CRM_EXPORT_ALL)
      body = g_strdup_printf (_("Written beside “%s”."), name);
    else
      body = g_strdup_printf (_("Written to “%s”."), name);
    tell (job->window, _("Export Finished"), body);
  }
}

/* the progress dialog closes when the export is over, not before */
static gboolean
refuse_close (GtkWindow *window)
{
  return TRUE;
}

static void
on_progress_response (AdwMessageDialog *dialog,
                      const char       *response,
                      GCancellable     *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
start_export (Job *job)
{
  g_autoptr (GTask) task = NULL;
  GtkWidget *dialog;
  GtkWidget *bar;

  job->cancellable = g_cancellable_new ();
  dialog = adw_message_dialog_new (job->window, _("Exporting…"), NULL);
  bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Export progress"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), bar);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* Cancel only asks: the dialog stays until the worker is done */
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_progress_response),
                           job->cancellable, 0);
  job->progress_dialog = ADW_MESSAGE_DIALOG (dialog);
  job->bar = GTK_PROGRESS_BAR (bar);
  g_signal_connect (dialog, "close-request", G_CALLBACK (refuse_close), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  job->pulse = g_timeout_add (100, show_progress, job);

  task = g_task_new (NULL, job->cancellable, on_export_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                Job             *job)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      job->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      start_export (job);
    }
  else
    job_free (job);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_file (Job *job)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  const char *what = job->choice == CHOICE_ARCHIVE ? _("everything")
                     : choices[job->choice].what == CRM_EXPORT_DEALS ? _("deals")
                     : choices[job->choice].what == CRM_EXPORT_FOLLOWUPS ? _("follow-ups")
                     : choices[job->choice].what == CRM_EXPORT_ALL ? _("contacts and deals")
                     : _("contacts");
  g_autofree char *name = g_strdup_printf ("%s-%s-%s.%s", _("Xiaohe CRM"), what, date,
                                           choices[job->choice].suffix);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export"), job->window,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static Job *
job_new (GtkWindow *window,
         CrmStore  *store,
         Choice     choice)
{
  Job *job = g_new0 (Job, 1);

  job->window = g_object_ref (window);
  job->store = g_object_ref (store);
  job->choice = choice;
  return job;
}

typedef struct
{
  GtkWindow   *window;
  CrmStore    *store;
  GtkCheckButton *buttons[N_CHOICES];
} ExportAsk;

static void
export_ask_free (gpointer data)
{
  ExportAsk *ask = data;

  g_object_unref (ask->window);
  g_object_unref (ask->store);
  g_free (ask);
}

static void
on_export_response (AdwMessageDialog *dialog,
                    const char       *response,
                    ExportAsk        *ask)
{
  if (g_strcmp0 (response, "export") != 0)
    return;
  for (Choice c = 0; c < N_CHOICES; c++)
    if (gtk_check_button_get_active (ask->buttons[c]))
      choose_file (job_new (ask->window, ask->store, c));
}

static void
export_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  GtkWindow *window = user_data;
  CrmStore *store = g_object_get_data (G_OBJECT (window), "crm-export-store");
  ExportAsk *ask = g_new0 (ExportAsk, 1);
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  ask->window = g_object_ref (window);
  ask->store = g_object_ref (store);
  dialog = adw_message_dialog_new (window, _("Export"),
                                   _("Choose what to export and in which format. Files "
                                     "open in Excel, WPS and address books."));
  for (Choice c = 0; c < N_CHOICES; c++)
    {
      GtkWidget *button = gtk_check_button_new_with_mnemonic (_(choices[c].label));

      if (c > 0)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (button), ask->buttons[0]);
      ask->buttons[c] = GTK_CHECK_BUTTON (button);
      gtk_box_append (GTK_BOX (box), button);
    }
  gtk_check_button_set_active (ask->buttons[CHOICE_CONTACTS_CSV], TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("C_hoose File…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "export");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_export_response), ask,
                         (GClosureNotify)(void (*) (void))export_ask_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Delete All My Data */

typedef struct
{
  GtkWindow   *window;
  CrmStore    *store;
  GtkEditable *entry;
  char        *word;
} DeleteAsk;

static void
delete_ask_free (gpointer data)
{
  DeleteAsk *ask = data;

  g_object_unref (ask->window);
  g_object_unref (ask->store);
  g_free (ask->word);
  g_free (ask);
}

static gboolean
typed_right (DeleteAsk *ask)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (ask->entry)));
  g_autofree char *a = g_utf8_casefold (text, -1);
  g_autofree char *b = g_utf8_casefold (ask->word, -1);

  return g_str_equal (a, b);
}

static void
on_word_changed (GtkEditable *entry,
                 DeleteAsk   *ask)
{
  GtkRoot *dialog = gtk_widget_get_root (GTK_WIDGET (entry));

  if (ADW_IS_MESSAGE_DIALOG (dialog))
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "delete",
                                             typed_right (ask));
}

/* the app's backups hold the same data: in the data folder's backups/ and in
 * the folder chosen in Backups (crm_store_get_backup_dir() is the former
 * when none is chosen) */
static gboolean
delete_backups (CrmStore  *store,
                GError   **error)
{
  g_autofree char *data_dir = g_path_get_dirname (crm_store_get_path (store));
  g_autofree char *folder = crm_backup_default_dir (data_dir);
  const char *chosen = crm_store_get_backup_dir (store);

  if (!crm_backup_delete_all (folder, error))
    return FALSE;
  return g_str_equal (chosen, folder) || crm_backup_delete_all (chosen, error);
}

/* the deletion under way (crm_store_delete_all_async(): minutes for a
 * large file): a dialog with a moving bar until it is over */
typedef struct
{
  GtkWindow      *window;
  CrmStore       *store;
  GtkWidget      *dialog;
  GtkProgressBar *bar;
  guint           pulse;
} Deleting;

static gboolean
pulse_bar (gpointer user_data)
{
  gtk_progress_bar_pulse (((Deleting *)user_data)->bar);
  return G_SOURCE_CONTINUE;
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Deleting *deleting = user_data;
  g_autoptr (GError) error = NULL;

  g_clear_handle_id (&deleting->pulse, g_source_remove);
  gtk_window_destroy (GTK_WINDOW (deleting->dialog));
  if (!crm_store_delete_all_finish (deleting->store, result, &error)
      || !delete_backups (deleting->store, &error))
    tell (deleting->window, _("The Data Could Not Be Deleted"), error->message);
  else
    tell (deleting->window, _("All Your Data Was Deleted"),
          _("No contact, deal, certification, license file or backup of them is left on "
            "this computer."));
  g_object_unref (deleting->window);
  g_object_unref (deleting->store);
  g_free (deleting);
}

static void
start_delete (GtkWindow *window,
              CrmStore  *store)
{
  Deleting *deleting = g_new0 (Deleting, 1);
  GtkWidget *bar = gtk_progress_bar_new ();

  deleting->window = g_object_ref (window);
  deleting->store = g_object_ref (store);
  deleting->dialog = adw_message_dialog_new (window, _("Deleting All Your Data…"),
                                             _("The data file is written anew so that "
                                               "nothing of the data is left in it: with "
                                               "many records this takes a while."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Deletion progress"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (deleting->dialog), bar);
  deleting->bar = GTK_PROGRESS_BAR (bar);
  /* it closes when the deletion is over, not before */
  g_signal_connect (deleting->dialog, "close-request", G_CALLBACK (refuse_close), NULL);
  gtk_window_present (GTK_WINDOW (deleting->dialog));
  deleting->pulse = g_timeout_add (100, pulse_bar, deleting);
  crm_store_delete_all_async (store, on_deleted, deleting);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DeleteAsk        *ask)
{
  if (g_strcmp0 (response, "export") == 0)
    {
      Job *job = job_new (ask->window, ask->store, CHOICE_ARCHIVE);

      job->then_delete = TRUE;
      choose_file (job);
      return;
    }
  if (g_strcmp0 (response, "delete") != 0 || !typed_right (ask))
    return;
  start_delete (ask->window, ask->store);
}

static void
ask_delete_all (GtkWindow *window,
                CrmStore  *store)
{
  DeleteAsk *ask = g_new0 (DeleteAsk, 1);
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label;
  GtkWidget *entry = gtk_entry_new ();
  g_autofree char *prompt = NULL;

  ask->window = g_object_ref (window);
  ask->store = g_object_ref (store);
  /* Translators: the word the person types to confirm deleting all the data */
  ask->word = g_strdup (C_("confirmation word", "delete"));
  ask->entry = GTK_EDITABLE (entry);
  dialog = adw_message_dialog_new (window, _("Delete All Your Data?"),
                                   _("Every contact and deal, the certification and its "
                                     "license file, and the backups of them will be deleted "
                                     "from this computer, and cannot be brought back. Export "
                                     "everything first to keep a copy."));
  prompt = g_strdup_printf (_("To confirm, type “%s”:"), ask->word);
  label = gtk_label_new (prompt);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  prompt, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("_Export Everything First…"),
                                    "delete", _("_Delete All"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "delete", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (entry, "changed", G_CALLBACK (on_word_changed), ask);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_response), ask,
                         (GClosureNotify)(void (*) (void))delete_ask_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
delete_all_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  GtkWindow *window = user_data;

  ask_delete_all (window, g_object_get_data (G_OBJECT (window), "crm-export-store"));
}

/* the menu section, in every primary menu under @widget (once a menu) */
static void
attach_menus (GtkWidget *widget,
              GMenu     *section)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    {
      GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));

      if (G_IS_MENU (menu) && g_object_get_data (G_OBJECT (menu), "crm-data-section") == NULL)
        {
          g_menu_prepend_section (G_MENU (menu), NULL, G_MENU_MODEL (section));
          g_object_set_data (G_OBJECT (menu), "crm-data-section", section);
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    attach_menus (child, section);
}

/**
 * crm_export_dialog_attach:
 * @window: the main window
 * @store: its store
 *
 * Adds "Export…" and "Delete All My Data…" to the window's main menus, as
 * the actions data.export and data.delete-all.
 */
void
crm_export_dialog_attach (GtkWindow *window,
                          CrmStore  *store)
{
  static const GActionEntry entries[] = {
    { "export", export_action, NULL, NULL, NULL, { 0 } },
    { "delete-all", delete_all_action, NULL, NULL, NULL, { 0 } },
  };
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr (GMenu) section = g_menu_new ();

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (CRM_IS_STORE (store));

  g_object_set_data_full (G_OBJECT (window), "crm-export-store", g_object_ref (store),
                          g_object_unref);
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries),
                                   window);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "data", G_ACTION_GROUP (group));
  g_menu_append (section, _("_Export…"), "data.export");
  g_menu_append (section, _("_Delete All My Data…"), "data.delete-all");
  attach_menus (GTK_WIDGET (window), section);
}
