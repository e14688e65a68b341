/* crm-application.c — start-up, the store, app-wide actions
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-application.h"
#include "crm-backup-controller.h"
#include "crm-backups-dialog.h"
#include "crm-notices-bar.h"
#include "crm-preferences-window.h"
#include "crm-reminder-controller.h"
#include "crm-store-lock.h"
#include "crm-store-notices.h"
#include "crm-sync-controller.h"
#include "crm-sync-status.h"
#include "crm-terms-window.h"
#include "crm-window.h"

struct _CrmApplication
{
  AdwApplication  parent_instance;

  char           *data_dir;
  CrmStoreLock   *lock;              /* the folder's writer lock, held while the app runs */
  CrmStore       *store;
  GCancellable   *check_cancellable; /* the background check of the file */
  guint           check_source;
  CrmSyncController *sync;           /* the team account, once the store is open */
  CrmBackupController *backups;      /* automatic backups, restore (crm-backup-controller.c) */
  char           *restored;          /* what a restore at start did, for the window */
  CrmReminderController *reminders;  /* follow-ups' notifications (crm-reminder-controller.c) */
};

G_DEFINE_FINAL_TYPE (CrmApplication, crm_application, ADW_TYPE_APPLICATION)

CrmApplication *
crm_application_new (void)
{
  return g_object_new (CRM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

CrmStore *
crm_application_get_store (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);
  return self->store;
}

static int
crm_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  CrmApplication *self = CRM_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "xiaohe-crm", PACKAGE_VERSION);
      return 0;
    }
  /* another data folder is another app: don't hand it to a running one */
  if (self->data_dir != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static void show_store_error (CrmApplication *self,
                              const GError   *error);

/* a 0-byte data file the store refused: the app was used here before */
static gboolean
is_emptied_file (CrmApplication *self,
                 const GError   *error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GStatBuf st;

  if (!g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT))
    return FALSE;
  dir = self->data_dir ? g_strdup (self->data_dir) : crm_store_default_data_dir ();
  path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  return g_stat (path, &st) == 0 && st.st_size == 0;
}

static void
on_store_error_response (CrmApplication *self,
                         const char     *response,
                         GtkWidget      *dialog)
{
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (response, "restore") == 0 || g_strcmp0 (response, "recover") == 0)
    {
      const char *backup = g_object_get_data (G_OBJECT (dialog), "crm-backup");

      /* the damaged file is kept aside (crm_backup_restore, crm_backup_recover),
       * under the lock open_store() took */
      g_application_hold (G_APPLICATION (self));
      g_clear_pointer (&self->restored, g_free);
      self->restored = crm_backup_start_up_repair (self->data_dir, backup, &error);
      gtk_window_destroy (GTK_WINDOW (dialog));
      if (self->restored != NULL)
        g_application_activate (G_APPLICATION (self));
      else
        show_store_error (self, error);
      g_application_release (G_APPLICATION (self));
      return;
    }
  if (g_strcmp0 (response, "empty") != 0)
    {
      gtk_window_destroy (GTK_WINDOW (dialog));
      return;
    }

  /* the emptied file is set aside, never deleted; then a first start */
  g_application_hold (G_APPLICATION (self));
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (crm_store_set_aside_empty (self->data_dir, NULL, &error))
    g_application_activate (G_APPLICATION (self));
  else
    show_store_error (self, error);
  g_application_release (G_APPLICATION (self));
}

static void
show_store_error (CrmApplication *self,
                  const GError   *error)
{
  GtkWidget *dialog;
  gboolean emptied = is_emptied_file (self, error);
  gboolean damaged = g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  g_autofree char *backup = NULL;
  g_autofree char *offer = NULL;

  /* a damaged or emptied file: the newest backup is offered, else .recover */
  if (damaged)
    offer = crm_backup_start_up_offer (self->data_dir, &backup);
  /* no window can show data we could not open: say why, then quit */
  dialog = adw_message_dialog_new (NULL, emptied ? _("Your Data File Is Empty")
                                   : damaged ? _("Your Data File Is Damaged")
                                   : _("Cannot Open Your Data"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "%s%s%s", error->message,
                                  offer ? "\n\n" : "", offer ? offer : "");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Quit"));
  if (backup != NULL)
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "restore",
                                     _("_Restore the Latest Backup"));
  else if (damaged && !emptied && crm_backup_can_recover ())
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "recover",
                                     _("_Try to Recover"));
  g_object_set_data_full (G_OBJECT (dialog), "crm-backup", g_steal_pointer (&backup), g_free);
  if (emptied)
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "empty",
                                     _("_Start with an Empty Database"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_set_title (GTK_WINDOW (dialog), _("Xiaohe CRM"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_store_error_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_check_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  /* a damaged file is told by the window (CrmStore:damaged) */
  if (!crm_store_check_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT))
    g_message ("The check of the data file: %s", error->message);
}

static gboolean
start_check (gpointer user_data)
{
  CrmApplication *self = user_data;

  self->check_source = 0;
  if (self->store != NULL)
    crm_store_check_async (self->store, self->check_cancellable, on_check_done, NULL);
  return G_SOURCE_REMOVE;
}

/* Once a run, a moment after the window is up: the check reads the whole
 * file on a worker thread, and must not compete with the first frames. */
static void
schedule_check (CrmApplication *self)
{
  if (self->check_cancellable != NULL)
    return;
  self->check_cancellable = g_cancellable_new ();
  self->check_source = g_timeout_add_seconds_full (G_PRIORITY_LOW, 1, start_check, self, NULL);
}

static gboolean
open_store (CrmApplication *self)
{
  g_autoptr (GError) error = NULL;

  if (self->store != NULL)
    return TRUE;
  /* one writer per folder: xiaohe-crm-cli refuses to write while we run */
  if (self->lock == NULL)
    self->lock = crm_store_lock_acquire (self->data_dir, &error);
  if (self->lock == NULL)
    {
      show_store_error (self, error);
      return FALSE;
    }
  self->store = crm_store_open (self->data_dir, &error);
  if (self->store == NULL)
    {
      g_warning ("%s", error->message);
      show_store_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* The main window, with the team's status and menu items; on the first
 * start (just after the terms) it offers to sign in, without taking the
 * focus from the window. */
static void
present_main_window (CrmApplication *self,
                     gboolean        first_start)
{
  GtkWindow *window = GTK_WINDOW (crm_window_new (self, self->store));

  if (self->sync == NULL)
    {
      self->sync = crm_sync_controller_new (self->store);
      crm_sync_controller_add_actions (self->sync, GTK_APPLICATION (self));
      crm_sync_controller_start (self->sync);
    }
  crm_sync_status_attach (window, self->sync, first_start);
  crm_window_set_sync_controller (CRM_WINDOW (window), self->sync);
  crm_notices_attach (window, self->store);
  if (self->backups == NULL)
    self->backups = crm_backup_controller_new (GTK_APPLICATION (self), self->data_dir);
  crm_backup_controller_set_store (self->backups, self->store);
  crm_backup_add_menu_item (GTK_WIDGET (window));
  /* reminders, also once the window is closed: the app stays in the background */
  if (self->reminders == NULL)
    self->reminders = crm_reminder_controller_new (G_APPLICATION (self));
  crm_reminder_controller_set_store (self->reminders, self->store);
  gtk_window_present (window);
  if (self->restored != NULL)
    crm_backup_banner_show (window, _("Your Data Was Restored"), self->restored);
  g_clear_pointer (&self->restored, g_free);
}

static gboolean show_terms_revision (CrmApplication *self);

static void
on_terms_response (CrmApplication *self,
                   gboolean        agreed,
                   CrmTermsWindow *terms)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *version = crm_terms_window_get_version (terms);
  g_autofree char *shipped = crm_terms_get_version ();

  if (!agreed)
    {
      /* no entry without the terms: the app quits with its last window,
       * and on a first start leaves nothing behind */
      gtk_window_destroy (GTK_WINDOW (terms));
      return;
    }

  if (!open_store (self))
    {
      gtk_window_destroy (GTK_WINDOW (terms));
      return;
    }
  if (!crm_store_accept_terms (self->store, version, crm_terms_window_get_language (terms),
                               &error))
    {
      show_store_error (self, error);
      gtk_window_destroy (GTK_WINDOW (terms));
      return;
    }
  /* a revision from the team's server is asked for next, if there is one */
  if (show_terms_revision (self))
    {
      gtk_window_destroy (GTK_WINDOW (terms));
      return;
    }
  /* the main window first: the app must not be left without a window */
  present_main_window (self, g_strcmp0 (version, shipped) == 0);
  gtk_window_destroy (GTK_WINDOW (terms));
  schedule_check (self);
}

static void
show_terms_gate (CrmApplication *self)
{
  GtkWidget *terms = crm_terms_window_new (FALSE);

  gtk_window_set_application (GTK_WINDOW (terms), GTK_APPLICATION (self));
  g_signal_connect_object (terms, "response", G_CALLBACK (on_terms_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (terms));
}

/* A terms revision the team's server published and this store has not
 * accepted (kept from an earlier sync, so offline too): asked for before
 * the main window, like the terms the app ships. */
static gboolean
show_terms_revision (CrmApplication *self)
{
  g_autoptr (CrmWireNotice) notice = crm_store_get_unaccepted_terms_notice (self->store, NULL);
  GtkWidget *terms;

  if (notice == NULL)
    return FALSE;
  terms = crm_terms_window_new (FALSE);
  crm_terms_window_set_revision (CRM_TERMS_WINDOW (terms), notice->terms_version,
                                 notice->title, notice->body);
  gtk_window_set_application (GTK_WINDOW (terms), GTK_APPLICATION (self));
  g_signal_connect_object (terms, "response", G_CALLBACK (on_terms_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (terms));
  return TRUE;
}

static void
crm_application_activate (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *version = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  /* Before any data is shown or written, the terms: on a first start no
   * file is created until they are accepted. */
  version = crm_terms_get_version ();
  if (self->store == NULL && !crm_store_exists (self->data_dir))
    {
      show_terms_gate (self);
      return;
    }
  if (!open_store (self))
    return;
  if (!crm_store_has_accepted_terms (self->store, version))
    {
      show_terms_gate (self);
      return;
    }
  if (show_terms_revision (self))
    return;
  present_main_window (self, FALSE);
  schedule_check (self);
}

static void
terms_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  CrmApplication *self = user_data;
  GtkWidget *terms = crm_terms_window_new (TRUE);

  gtk_window_set_transient_for (GTK_WINDOW (terms),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_set_modal (GTK_WINDOW (terms), TRUE);
  gtk_window_present (GTK_WINDOW (terms));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  CrmApplication *self = user_data;
  static const char *developers[] = { "Xiaohe CRM developers", NULL };
  GtkWindow *about;

  about = GTK_WINDOW (adw_about_window_new ());
  g_object_set (about,
                "application-name", _("Xiaohe CRM"),
                "application-icon", APP_ID,
                "version", PACKAGE_VERSION,
                "developer-name", _("Xiaohe CRM developers"),
                "developers", developers,
                "copyright", "© 2026 Xiaohe CRM developers",
                "license-type", GTK_LICENSE_GPL_3_0,
                "comments", _("A keyboard-first customer relationship manager for small sales teams"),
                "translator-credits", _("translator-credits"),
                NULL);
  gtk_window_set_transient_for (about, gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_set_modal (about, TRUE);
  gtk_window_present (about);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  CrmApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Quit really quits: no staying in the background for reminders */
  if (self->reminders != NULL)
    crm_reminder_controller_quit (self->reminders);
  /* closing each window lets it save what it shows */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
backups_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  CrmApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->backups == NULL)
    self->backups = crm_backup_controller_new (GTK_APPLICATION (self), self->data_dir);
  gtk_window_present (GTK_WINDOW (crm_backups_dialog_new (self->backups, parent)));
}

static void
on_restored (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrmApplication *self = CRM_APPLICATION (object);
  g_autoptr (GError) error = NULL;
  g_autofree char *done = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWindow *window;

  /* the restored file, or the old one if the restore changed nothing */
  if (open_store (self))
    {
      present_main_window (self, FALSE);
      schedule_check (self);
      window = gtk_application_get_active_window (GTK_APPLICATION (self));
      if (window != NULL)
        crm_backup_banner_show (window, done ? _("Your Data Was Restored")
                                             : _("The Backup Was Not Restored"),
                                done ? done : error->message);
    }
  g_application_release (G_APPLICATION (self));
}

/* app.restore-backup (s): the windows close, the store is dropped and
 * finalized (its connection closed: the old WAL must not outlive it), the
 * backup restored on a worker thread (crm_backup_restore keeps the current
 * data first), and the store reopened in a new window */
static void
restore_backup_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  CrmApplication *self = user_data;
  g_autoptr (GTask) task = NULL;
  g_autofree char *folder = NULL;
  GList *windows;

  if (self->store == NULL || self->backups == NULL)
    return;
  task = g_task_new (self, NULL, on_restored, NULL);
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  g_application_hold (G_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  crm_backup_controller_set_store (self->backups, NULL);
  if (self->reminders != NULL)
    crm_reminder_controller_set_store (self->reminders, NULL);
  g_clear_object (&self->sync);
  folder = crm_backup_controller_get_folder (self->backups);
  crm_backup_restore_in_thread (task, &self->store, self->data_dir,
                                g_variant_get_string (param, NULL), folder);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  CrmApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (crm_preferences_window_new (parent)));
}

/* the main window, made if the app runs in the background without one */
static GtkWidget *
main_window (CrmApplication *self)
{
  g_application_activate (G_APPLICATION (self));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (CRM_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* app.open-followup (s), a reminder's default action: its contact, or
 * Today for "" (the summary of many) */
static void
open_followup_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  CrmApplication *self = user_data;
  const char *id = g_variant_get_string (param, NULL);
  g_autoptr (CrmFollowup) followup = NULL;
  GtkWidget *window = main_window (self);

  if (window == NULL || self->store == NULL)
    return;
  if (*id != '\0')
    followup = crm_store_get_followup (self->store, id, NULL);
  if (followup != NULL)
    gtk_widget_activate_action (window, "win.open-contact", "s",
                                crm_followup_get_contact_id (followup));
  else
    gtk_widget_activate_action (window, "win.view", "s", "today");
}

/* app.snooze-followup (s), a reminder's button "Snooze 1 Hour" */
static void
snooze_followup_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  CrmApplication *self = user_data;
  g_autoptr (GError) error = NULL;

  if (self->reminders != NULL
      && !crm_reminder_controller_snooze (self->reminders, g_variant_get_string (param, NULL),
                                          &error))
    g_message ("Snoozing a reminder: %s", error->message);
}

static const GActionEntry app_actions[] = {
  { "backups", backups_action },
  { "preferences", preferences_action },
  { "open-followup", open_followup_action, "s" },
  { "snooze-followup", snooze_followup_action, "s" },
  { "restore-backup", restore_backup_action, "s" },
  { "about", about_action },
  { "terms", terms_action },
  { "quit", quit_action },
};

static void
crm_application_startup (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (crm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_window_set_default_icon_name (APP_ID);
}

static void
crm_application_shutdown (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);

  /* the check holds no reference to the store: it is simply stopped */
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  /* rounds and keyring calls still under way are cancelled */
  g_clear_object (&self->sync);
  g_clear_object (&self->backups);
  g_clear_object (&self->reminders);

  G_APPLICATION_CLASS (crm_application_parent_class)->shutdown (app);
}

static void
crm_application_finalize (GObject *object)
{
  CrmApplication *self = (CrmApplication *)object;

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->lock, crm_store_lock_release);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->restored, g_free);

  G_OBJECT_CLASS (crm_application_parent_class)->finalize (object);
}

static void
crm_application_class_init (CrmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = crm_application_finalize;
  app_class->activate = crm_application_activate;
  app_class->startup = crm_application_startup;
  app_class->shutdown = crm_application_shutdown;
  app_class->handle_local_options = crm_application_handle_local_options;
}

static void
crm_application_init (CrmApplication *self)
{
  const GOptionEntry entries[] = {
    { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &self->data_dir,
      N_("Keep the data in DIR instead of the user’s data folder"), N_("DIR") },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Xiaohe CRM — customers for small sales teams"));
}
