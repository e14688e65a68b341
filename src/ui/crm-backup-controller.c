/* crm-backup-controller.c — the app's automatic backups, their settings and failures
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A backup is made when the newest one is over a day old: checked a few
 * seconds after start (after the window's first frames and the file's
 * quick_check) and then every hour, so an app left open for days still
 * makes one a day. The copy itself runs on a worker thread
 * (crm_store_backup_async()); afterwards the folder is rotated with the
 * counts from GSettings. A failure is never swallowed: it is shown in a
 * banner at the top of the active window (AdwBanner and AdwToast's
 * successors are libadwaita 1.3+; a revealer works on 1.2) with SQLite's
 * reason, and logged. The folder is the user's choice (backup-folder) or
 * DATA_DIR/backups; copies made before a migration always go to the latter,
 * so both are searched when a backup is looked for.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-backup-controller.h"

#define FIRST_CHECK_SECONDS 3
#define CHECK_EVERY_SECONDS 3600

struct _CrmBackupController
{
  GObject         parent_instance;

  GtkApplication *app;          /* unowned: the app owns the controller */
  char           *data_dir;
  CrmStore       *store;
  GSettings      *settings;     /* NULL when the schema is not installed */
  GCancellable   *cancellable;
  guint           timer;
  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (CrmBackupController, crm_backup_controller, G_TYPE_OBJECT)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "backup-folder"))
    return NULL;
  return g_settings_new (APP_ID);
}

static void
on_hide_banner (GtkButton   *button,
                GtkRevealer *revealer)
{
  gtk_revealer_set_reveal_child (revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (revealer), FALSE);
}

/**
 * crm_backup_banner_show:
 *
 * Shows @title and @message at the top of @window (an alert to assistive
 * technologies, named @title) until dismissed.
 */
void
crm_backup_banner_show (GtkWindow  *window,
                        const char *title,
                        const char *message)
{
  GtkWidget *content;
  GtkRevealer *revealer;
  GtkWidget *box;

  if (!ADW_IS_APPLICATION_WINDOW (window))
    return;
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  if (!GTK_IS_BOX (content))
    return;
  revealer = g_object_get_data (G_OBJECT (window), "crm-backup-banner");
  if (revealer == NULL)
    {
      GtkWidget *texts, *icon, *close, *heading, *body;

      revealer = GTK_REVEALER (gtk_revealer_new ());
      box = g_object_new (GTK_TYPE_BOX, "orientation", GTK_ORIENTATION_HORIZONTAL,
                          "spacing", 12, "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT, NULL);
      gtk_widget_add_css_class (box, "crm-store-damaged");
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Warning"), -1);
      texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      gtk_widget_set_hexpand (texts, TRUE);
      heading = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      body = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (body), 0);
      gtk_label_set_wrap (GTK_LABEL (body), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
      gtk_box_append (GTK_BOX (texts), heading);
      gtk_box_append (GTK_BOX (texts), body);
      close = gtk_button_new_from_icon_name ("window-close-symbolic");
      gtk_widget_set_valign (close, GTK_ALIGN_START);
      gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Dismiss"), -1);
      g_signal_connect (close, "clicked", G_CALLBACK (on_hide_banner), revealer);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), texts);
      gtk_box_append (GTK_BOX (box), close);
      gtk_revealer_set_child (revealer, box);
      gtk_box_prepend (GTK_BOX (content), GTK_WIDGET (revealer));
      g_object_set_data (G_OBJECT (window), "crm-backup-banner", revealer);
      g_object_set_data (G_OBJECT (revealer), "crm-heading", heading);
      g_object_set_data (G_OBJECT (revealer), "crm-body", body);
    }
  box = gtk_revealer_get_child (revealer);
  gtk_label_set_text (g_object_get_data (G_OBJECT (revealer), "crm-heading"), title);
  gtk_label_set_text (g_object_get_data (G_OBJECT (revealer), "crm-body"), message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  gtk_widget_set_visible (GTK_WIDGET (revealer), TRUE);
  gtk_revealer_set_reveal_child (revealer, TRUE);
}

/* adds "Backups…" to @widget's main menus, once each */
static void
add_to_menus (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    {
      GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));

      if (G_IS_MENU (menu) && g_object_get_data (G_OBJECT (menu), "crm-backups-item") == NULL)
        {
          g_autoptr (GMenu) section = g_menu_new ();
          int n = g_menu_model_get_n_items (menu);

          g_menu_append (section, _("_Backups…"), "app.backups");
          /* above the last section (shortcuts, terms, about) */
          g_menu_insert_section (G_MENU (menu), MAX (n - 1, 0), NULL, G_MENU_MODEL (section));
          g_object_set_data (G_OBJECT (menu), "crm-backups-item", GINT_TO_POINTER (1));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_to_menus (child);
}

/**
 * crm_backup_add_menu_item:
 *
 * Adds "Backups…" (app.backups) to every main menu under @root.
 */
void
crm_backup_add_menu_item (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));
  add_to_menus (root);
}

char *
crm_backup_controller_get_folder (CrmBackupController *self)
{
  g_autofree char *chosen = NULL;

  g_return_val_if_fail (CRM_IS_BACKUP_CONTROLLER (self), NULL);
  if (self->settings != NULL)
    chosen = g_settings_get_string (self->settings, "backup-folder");
  if (chosen != NULL && *chosen != '\0')
    return g_steal_pointer (&chosen);
  return crm_backup_default_dir (self->data_dir);
}

/**
 * crm_backup_controller_get_folders:
 *
 * Returns: (transfer full): the folders a backup is looked for in: the
 *   chosen one, and DATA_DIR/backups
 */
char **
crm_backup_controller_get_folders (CrmBackupController *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *folder = crm_backup_controller_get_folder (self);
  g_autofree char *fallback = crm_backup_default_dir (self->data_dir);

  g_strv_builder_add (builder, folder);
  if (g_strcmp0 (folder, fallback) != 0)
    g_strv_builder_add (builder, fallback);
  return g_strv_builder_end (builder);
}

void
crm_backup_controller_rotation (CrmBackupController *self,
                                CrmBackupRotation   *rotation)
{
  CrmBackupRotation defaults = CRM_BACKUP_ROTATION_DEFAULT;

  *rotation = defaults;
  if (self->settings == NULL)
    return;
  rotation->days = g_settings_get_uint (self->settings, "backup-keep-daily");
  rotation->weeks = g_settings_get_uint (self->settings, "backup-keep-weekly");
  rotation->months = g_settings_get_uint (self->settings, "backup-keep-monthly");
  rotation->before_days = g_settings_get_uint (self->settings, "backup-keep-before-days");
}

static void
on_backup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (CrmBackupController) self = user_data;
  g_autoptr (CrmBackupInfo) info = NULL;
  g_autoptr (GError) error = NULL;

  self->busy = FALSE;
  info = crm_store_backup_finish (result, &error);
  if (info == NULL)
    {
      GtkWindow *window;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("The backup failed: %s", error->message);
      window = self->app ? gtk_application_get_active_window (self->app) : NULL;
      if (window != NULL)
        crm_backup_banner_show (window, _("The Backup Failed"), error->message);
      g_signal_emit (self, signals[FINISHED], 0, NULL, error->message);
      return;
    }
  {
    g_autofree char *folder = crm_backup_controller_get_folder (self);
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    g_autoptr (GError) rotate_error = NULL;
    CrmBackupRotation rotation;

    crm_backup_controller_rotation (self, &rotation);
    crm_backup_rotate (folder, now, &rotation, &rotate_error);
    if (rotate_error != NULL)
      g_message ("%s", rotate_error->message);
  }
  g_signal_emit (self, signals[FINISHED], 0, info, NULL);
}

/**
 * crm_backup_controller_back_up:
 * @reason: (nullable): as for crm_store_backup_async()
 *
 * Makes a backup now (unless one is under way); CrmBackupController::finished
 * says how it went.
 */
void
crm_backup_controller_back_up (CrmBackupController *self,
                               const char          *reason)
{
  g_return_if_fail (CRM_IS_BACKUP_CONTROLLER (self));

  if (self->busy || self->store == NULL)
    return;
  self->busy = TRUE;
  crm_store_backup_async (self->store, reason, self->cancellable, on_backup_done,
                          g_object_ref (self));
}

gboolean
crm_backup_controller_is_busy (CrmBackupController *self)
{
  return self->busy;
}

static gboolean
check_due (gpointer user_data)
{
  CrmBackupController *self = user_data;
  g_auto (GStrv) folders = crm_backup_controller_get_folders (self);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  if (self->store != NULL && !crm_store_is_damaged (self->store)
      && crm_backup_is_due ((const char * const *)folders, now))
    crm_backup_controller_back_up (self, NULL);
  if (self->timer != 0)
    g_source_remove (self->timer);
  self->timer = g_timeout_add_seconds_full (G_PRIORITY_LOW, CHECK_EVERY_SECONDS, check_due,
                                            self, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_folder_changed (CrmBackupController *self)
{
  g_autofree char *folder = crm_backup_controller_get_folder (self);

  if (self->store != NULL)
    crm_store_set_backup_dir (self->store, folder);
}

/**
 * crm_backup_controller_set_store:
 * @store: (nullable): the open store; %NULL while it is closed (a restore)
 *
 * Backs up @store when due, from a few seconds from now and every hour.
 */
void
crm_backup_controller_set_store (CrmBackupController *self,
                                 CrmStore            *store)
{
  g_return_if_fail (CRM_IS_BACKUP_CONTROLLER (self));

  g_clear_handle_id (&self->timer, g_source_remove);
  if (store == NULL)
    {
      /* a copy under way reads its own connection: let it finish */
      g_clear_object (&self->store);
      return;
    }
  g_set_object (&self->store, store);
  on_folder_changed (self);
  self->timer = g_timeout_add_seconds_full (G_PRIORITY_LOW, FIRST_CHECK_SECONDS, check_due,
                                            self, NULL);
}

GSettings *
crm_backup_controller_get_settings (CrmBackupController *self)
{
  g_return_val_if_fail (CRM_IS_BACKUP_CONTROLLER (self), NULL);
  return self->settings;
}

static void
crm_backup_controller_dispose (GObject *object)
{
  CrmBackupController *self = (CrmBackupController *)object;

  g_clear_handle_id (&self->timer, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_backup_controller_parent_class)->dispose (object);
}

static void
crm_backup_controller_finalize (GObject *object)
{
  CrmBackupController *self = (CrmBackupController *)object;

  g_clear_object (&self->cancellable);
  g_free (self->data_dir);

  G_OBJECT_CLASS (crm_backup_controller_parent_class)->finalize (object);
}

static void
crm_backup_controller_class_init (CrmBackupControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_backup_controller_dispose;
  object_class->finalize = crm_backup_controller_finalize;

  /**
   * CrmBackupController::finished:
   * @info: (nullable): the new backup (a CrmBackupInfo), %NULL if it failed
   * @message: (nullable): why it failed
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_STRING);
}

static void
crm_backup_controller_init (CrmBackupController *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * crm_backup_controller_new:
 * @data_dir: (nullable): the data folder, %NULL for the default
 */
CrmBackupController *
crm_backup_controller_new (GtkApplication *app,
                           const char     *data_dir)
{
  CrmBackupController *self = g_object_new (CRM_TYPE_BACKUP_CONTROLLER, NULL);

  self->app = app;
  self->data_dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();
  self->settings = lookup_settings ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::backup-folder",
                             G_CALLBACK (on_folder_changed), self, G_CONNECT_SWAPPED);
  return self;
}

/**
 * crm_backup_can_recover:
 *
 * Returns: whether the sqlite3 program is installed and can .recover
 */
gboolean
crm_backup_can_recover (void)
{
  return crm_backup_recover_available ();
}

static char **
start_up_folders (const char *data_dir)
{
  g_autoptr (CrmBackupController) self = crm_backup_controller_new (NULL, data_dir);

  return crm_backup_controller_get_folders (self);
}

/**
 * crm_backup_start_up_offer:
 * @backup: (out): the newest backup, %NULL if there is none
 *
 * Returns: (transfer full): what can be done about a damaged file at start
 */
char *
crm_backup_start_up_offer (const char  *data_dir,
                           char       **backup)
{
  g_auto (GStrv) folders = start_up_folders (data_dir);
  g_autoptr (CrmBackupInfo) latest = crm_backup_latest ((const char * const *)folders);

  *backup = NULL;
  if (latest != NULL)
    {
      g_autoptr (GDateTime) local = g_date_time_to_local (latest->time);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
      g_autofree char *contacts = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   latest->counts[CRM_BACKUP_COUNT_CONTACTS]);
      g_autofree char *deals = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                latest->counts[CRM_BACKUP_COUNT_DEALS]);

      *backup = g_strdup (latest->path);
      return g_strdup_printf (_("The most recent backup is from %s (%s contacts, %s deals). "
                                "Restoring it keeps the damaged file aside, with its date."),
                              when, contacts, deals);
    }
  if (crm_backup_can_recover ())
    return g_strdup (_("There is no backup. SQLite can try to recover what can still be read "
                       "in the file; the damaged file is kept aside, with its date."));
  return g_strdup (_("There is no backup, and no sqlite3 program here can try to recover the "
                     "file (the “sqlite3” package, built with the sqlite_dbpage table that its "
                     ".recover needs)."));
}

/**
 * crm_backup_start_up_repair:
 * @backup: (nullable): the backup to restore, %NULL to recover the file
 *
 * Returns: (transfer full): what was done, for the window; %NULL with
 *   @error set when nothing was
 */
char *
crm_backup_start_up_repair (const char  *data_dir,
                            const char  *backup,
                            GError     **error)
{
  g_autofree char *kept = NULL;

  if (backup != NULL)
    {
      g_autofree char *name = g_path_get_basename (backup);

      if (!crm_backup_restore (data_dir, backup, NULL, &kept, error))
        return NULL;
      return g_strdup_printf (_("Restored from the backup %s. The damaged file was kept as "
                                "%s."), name, kept ? kept : "—");
    }
  if (!crm_backup_recover (data_dir, &kept, error))
    return NULL;
  return g_strdup_printf (_("What could still be read in the damaged file was recovered; some "
                            "records may be missing. The damaged file was kept as %s."), kept);
}

typedef struct
{
  char *data_dir;
  char *backup;
  char *folder;
} RestoreJob;

static void
restore_job_free (RestoreJob *job)
{
  g_free (job->data_dir);
  g_free (job->backup);
  g_free (job->folder);
  g_free (job);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RestoreJob *job = task_data;
  g_autofree char *kept = NULL;
  g_autofree char *name = g_path_get_basename (job->backup);
  GError *error = NULL;

  if (!crm_backup_restore (job->data_dir, job->backup, job->folder, &kept, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task,
                         g_strdup_printf (_("Restored from the backup %s. What was there "
                                            "before is kept as %s."), name,
                                          kept ? kept : "—"), g_free);
}

/**
 * crm_backup_restore_in_thread:
 * @task: returns the message (a string) or the error
 * @store: the app's reference, dropped here
 *
 * Drops @store and waits (up to 10 s, the main context running) until it
 * is finalized, its connection closed; then restores @backup on a worker
 * thread.
 */
void
crm_backup_restore_in_thread (GTask       *task,
                              CrmStore   **store,
                              const char  *data_dir,
                              const char  *backup,
                              const char  *folder)
{
  RestoreJob *job = g_new0 (RestoreJob, 1);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GWeakRef weak;
  GObject *alive;

  g_weak_ref_init (&weak, *store);
  g_clear_object (store);
  while ((alive = g_weak_ref_get (&weak)) != NULL)
    {
      g_object_unref (alive);
      if (g_get_monotonic_time () > deadline)
        {
          g_weak_ref_clear (&weak);
          restore_job_free (job);
          g_task_return_new_error (task, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_FAILED,
                                   _("The data is still in use: nothing was restored. Try "
                                     "again in a moment."));
          return;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_weak_ref_clear (&weak);

  job->data_dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();
  job->backup = g_strdup (backup);
  job->folder = g_strdup (folder);
  g_task_set_task_data (task, job, (GDestroyNotify)restore_job_free);
  g_task_run_in_thread (task, restore_thread);
}
