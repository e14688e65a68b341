/* crm-sync-controller.c — the app's team account: signing in and out, the
 * sync schedule and the status the header bar shows
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One object per app, owning the CrmSyncClient of the signed-in account.
 * Signing in and out is in crm-sync-controller-account.c (the two share
 * crm-sync-controller-private.h).
 * Everything is asynchronous on the main context: the engine (libsoup) and
 * the keyring (libsecret, crm-credentials.c) never block the window, and
 * the app works the same with no server at all.
 *
 * What is kept where: the device token only in the keyring; the account
 * (server address, company, user and the certificate fingerprint the
 * person approved, none of them secret) in `team-account.ini` beside the
 * data file, because the store's sync state (cursor, company id) belongs
 * to that folder: another --data-dir is another account. The password is
 * handed to the engine once and never copied here.
 *
 * The schedule: a round a few seconds after the last local change (the
 * store's contact-changed and deal-changed; pulled pages emit only the
 * resets, so a pull does not schedule another round), one every five
 * minutes, and Sync Now. A change made during a round runs one more.
 * XIAOHE_CRM_SYNC_DELAY (seconds, tests) shortens the debounce.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-conflicts-dialog.h"
#include "crm-credentials.h"
#include "crm-sign-in-dialog.h"
#include "crm-store-sync.h"
#include "crm-sync-controller-private.h"

#define ACCOUNT_FILE_NAME   "team-account.ini"
#define ACCOUNT_GROUP       "Account"
#define DEBOUNCE_SECONDS    3
#define PERIOD_SECONDS      (5 * 60)
/* the engine's own defaults, given back after a sign-in that fails fast */
#define SYNC_TIMEOUT_S      30
#define SYNC_MAX_ATTEMPTS   6
#define SYNC_FIRST_DELAY_MS 500
#define SYNC_MAX_DELAY_MS   60000


G_DEFINE_FINAL_TYPE (CrmSyncController, crm_sync_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIGNED_IN,
  PROP_STATUS_TEXT,
  PROP_STATUS_DETAIL,
  PROP_N_CONFLICTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (crm-sync-controller-error-quark, crm_sync_controller_error)

/* The account file */

static void
load_account (CrmSyncController *self)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();

  if (!g_key_file_load_from_file (file, self->account_path, G_KEY_FILE_NONE, NULL))
    return;
  g_free (self->server);
  g_free (self->company);
  g_free (self->user);
  g_free (self->pinned);
  self->server = g_key_file_get_string (file, ACCOUNT_GROUP, "Server", NULL);
  self->company = g_key_file_get_string (file, ACCOUNT_GROUP, "Company", NULL);
  self->user = g_key_file_get_string (file, ACCOUNT_GROUP, "User", NULL);
  self->pinned = g_key_file_get_string (file, ACCOUNT_GROUP, "CertificateSha256", NULL);
}

gboolean
_crm_sync_controller_save_account (CrmSyncController  *self,
                                   GError            **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();

  g_key_file_set_comment (file, NULL, NULL,
                          " The team server this data folder syncs with. No secret here:\n"
                          " the device token is in the desktop's keyring.", NULL);
  g_key_file_set_string (file, ACCOUNT_GROUP, "Server", self->server);
  g_key_file_set_string (file, ACCOUNT_GROUP, "Company", self->company);
  g_key_file_set_string (file, ACCOUNT_GROUP, "User", self->user);
  if (self->pinned != NULL)
    g_key_file_set_string (file, ACCOUNT_GROUP, "CertificateSha256", self->pinned);
  return g_key_file_save_to_file (file, self->account_path, error);
}

/* The status */

static void
set_status (CrmSyncController *self,
            char              *text,
            char              *detail)
{
  if (g_strcmp0 (text, self->status_text) != 0)
    {
      g_free (self->status_text);
      self->status_text = text;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
    }
  else
    g_free (text);
  if (g_strcmp0 (detail, self->status_detail) != 0)
    {
      g_free (self->status_detail);
      self->status_detail = detail;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_DETAIL]);
    }
  else
    g_free (detail);
}

static void
update_status (CrmSyncController *self)
{
  CrmSyncStatus state;
  const char *reason;

  if (self->client == NULL)
    {
      if (self->start_error != NULL)
        set_status (self, g_strdup (_("Not Signed In")), g_strdup (self->start_error));
      else
        set_status (self, NULL, NULL);
      return;
    }
  state = crm_sync_client_get_state (self->client);
  reason = crm_sync_client_get_error_message (self->client);
  switch (state)
    {
    case CRM_SYNC_STATUS_SYNCING:
      {
        guint done = crm_sync_client_get_done (self->client);
        guint total = crm_sync_client_get_total (self->client);

        set_status (self,
                    total > 0 ? g_strdup_printf (_("Syncing %u/%u"), MIN (done, total), total)
                              : g_strdup (_("Syncing…")),
                    g_strdup_printf (_("Syncing with %s"), self->server));
      }
      break;
    case CRM_SYNC_STATUS_OFFLINE:
      set_status (self, g_strdup (_("Offline")),
                  g_strdup_printf (_("Working offline; changes are sent when the server can "
                                     "be reached. %s"), reason ? reason : ""));
      break;
    case CRM_SYNC_STATUS_ERROR:
      set_status (self, g_strdup_printf (_("Sync Error: %s"), reason ? reason : ""),
                  g_strdup (reason ? reason : _("Sync failed.")));
      break;
    case CRM_SYNC_STATUS_IDLE:
    default:
      if (self->last_synced != NULL)
        {
          g_autofree char *time = g_date_time_format (self->last_synced, "%H:%M");
          g_autofree char *when = g_date_time_format (self->last_synced, "%Y-%m-%d %H:%M:%S");

          set_status (self, g_strdup_printf (_("Synced %s"), time),
                      g_strdup_printf (_("Last synced with %s at %s"), self->server, when));
        }
      else
        set_status (self, g_strdup (_("Signed In")),
                    g_strdup_printf (_("Signed in to %s as %s"), self->server, self->user));
      break;
    }
}

static void
update_actions (CrmSyncController *self)
{
  gboolean signed_in = self->client != NULL;

  g_simple_action_set_enabled (self->sign_in_action, !signed_in && !self->busy);
  g_simple_action_set_enabled (self->sync_action, signed_in && !self->busy);
  g_simple_action_set_enabled (self->sign_out_action, signed_in && !self->busy);
}

void
_crm_sync_controller_set_busy (CrmSyncController *self,
                               gboolean           busy)
{
  self->busy = busy;
  update_actions (self);
}

static void
update_conflicts (CrmSyncController *self)
{
  g_autoptr (GPtrArray) conflicts = crm_store_list_conflicts (self->store, NULL);
  g_autoptr (GPtrArray) refused = crm_store_outbox_rejections (self->store, NULL);
  guint n = conflicts ? conflicts->len : 0;

  /* the dialog also lists the changes the server refused */
  g_simple_action_set_enabled (self->conflicts_action,
                               n > 0 || (refused != NULL && refused->len > 0));
  if (n == self->n_conflicts)
    return;
  self->n_conflicts = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONFLICTS]);
}

static void
on_client_notify (CrmSyncController *self)
{
  update_status (self);
}

/* The client and the schedule */


void
_crm_sync_controller_set_client (CrmSyncController *self,
                                 CrmSyncClient     *client)
{
  gboolean was = self->client != NULL;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    {
      crm_sync_client_set_timeout (client, SYNC_TIMEOUT_S);
      crm_sync_client_set_retry (client, SYNC_MAX_ATTEMPTS, SYNC_FIRST_DELAY_MS,
                                 SYNC_MAX_DELAY_MS);
      g_signal_connect_swapped (client, "notify", G_CALLBACK (on_client_notify), self);
      g_clear_pointer (&self->start_error, g_free);
    }
  else
    {
      g_clear_handle_id (&self->debounce_source, g_source_remove);
      g_clear_pointer (&self->last_synced, g_date_time_unref);
    }
  update_status (self);
  update_actions (self);
  if (was != (client != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

static void
on_round_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (CrmSyncController) self = user_data;
  g_autoptr (GError) error = NULL;

  self->syncing = FALSE;
  if (CRM_SYNC_CLIENT (source) != self->client)
    return;     /* signed out meanwhile */
  if (crm_sync_client_sync_finish (CRM_SYNC_CLIENT (source), result, &error))
    {
      g_clear_pointer (&self->last_synced, g_date_time_unref);
      self->last_synced = g_date_time_new_now_local ();
      _crm_sync_controller_fetch_users (self);
      _crm_sync_controller_fetch_notices (self);
    }
  else if (!g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED))
    g_message ("Sync: %s", error->message);
  update_status (self);
  update_conflicts (self);
  if (self->again)
    {
      self->again = FALSE;
      _crm_sync_controller_schedule_round (self, 0);
    }
}

static void
run_round (CrmSyncController *self)
{
  if (self->client == NULL)
    return;
  if (self->syncing)
    {
      self->again = TRUE;
      return;
    }
  self->syncing = TRUE;
  crm_sync_client_sync_async (self->client, self->cancellable, on_round_done,
                              g_object_ref (self));
}

static gboolean
on_debounce (gpointer user_data)
{
  CrmSyncController *self = user_data;

  self->debounce_source = 0;
  run_round (self);
  return G_SOURCE_REMOVE;
}

void
_crm_sync_controller_schedule_round (CrmSyncController *self,
                                    guint              seconds)
{
  g_clear_handle_id (&self->debounce_source, g_source_remove);
  if (self->client == NULL)
    return;
  if (seconds == 0)
    self->debounce_source = g_idle_add (on_debounce, self);
  else
    self->debounce_source = g_timeout_add_seconds (seconds, on_debounce, self);
}

static guint
debounce_seconds (void)
{
  const char *env = g_getenv ("XIAOHE_CRM_SYNC_DELAY");
  guint64 value;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 600, &value, NULL))
    return (guint) value;
  return DEBOUNCE_SECONDS;
}

static void
on_local_change (CrmSyncController *self)
{
  _crm_sync_controller_schedule_round (self, debounce_seconds ());
}

static gboolean
on_period (gpointer user_data)
{
  run_round (user_data);
  return G_SOURCE_CONTINUE;
}

/* Start: the token from the keyring */

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (CrmSyncController) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCredentials) credentials = NULL;
  g_autoptr (CrmSyncClient) client = NULL;

  self->busy = FALSE;
  credentials = crm_credentials_lookup_finish (result, &error);
  if (credentials == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_message ("The keyring: %s", error->message);
          g_free (self->start_error);
          self->start_error = g_strdup (error->message);
        }
      update_status (self);
      update_actions (self);
      return;
    }
  client = crm_sync_client_new (self->store, self->server);
  if (self->pinned != NULL)
    crm_sync_client_set_pinned_sha256 (client, self->pinned);
  crm_sync_client_set_token (client, credentials->token);
  _crm_sync_controller_set_client (self, client);
  _crm_sync_controller_schedule_round (self, 0);
}

/* Actions */

static GtkWindow *
active_window (void)
{
  GApplication *app = g_application_get_default ();

  return GTK_IS_APPLICATION (app) ? gtk_application_get_active_window (GTK_APPLICATION (app))
                                  : NULL;
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  CrmSyncController *self = user_data;
  GtkWidget *dialog = crm_sign_in_dialog_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), active_window ());
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
conflicts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  CrmSyncController *self = user_data;
  GtkWidget *dialog = crm_conflicts_dialog_new (self->store);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), active_window ());
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (update_conflicts), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sync_now_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  crm_sync_controller_sync_now (user_data);
}

static void
on_sign_out_finished (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  if (!crm_sync_controller_sign_out_finish (CRM_SYNC_CONTROLLER (source), result, &error))
    {
      CrmSyncController *self = CRM_SYNC_CONTROLLER (source);

      g_free (self->start_error);
      self->start_error = g_strdup (error->message);
      update_status (self);
    }
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  crm_sync_controller_sign_out_async (user_data, NULL, on_sign_out_finished, NULL);
}

/* GObject */

static void
crm_sync_controller_dispose (GObject *object)
{
  CrmSyncController *self = (CrmSyncController *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->debounce_source, g_source_remove);
  g_clear_handle_id (&self->period_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_sync_controller_parent_class)->dispose (object);
}

static void
crm_sync_controller_finalize (GObject *object)
{
  CrmSyncController *self = (CrmSyncController *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->sign_in_action);
  g_clear_object (&self->sync_action);
  g_clear_object (&self->sign_out_action);
  g_clear_object (&self->conflicts_action);
  g_clear_pointer (&self->last_synced, g_date_time_unref);
  g_free (self->account_path);
  g_free (self->server);
  g_free (self->company);
  g_free (self->user);
  g_free (self->pinned);
  g_free (self->status_text);
  g_free (self->status_detail);
  g_free (self->start_error);

  G_OBJECT_CLASS (crm_sync_controller_parent_class)->finalize (object);
}

static void
crm_sync_controller_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CrmSyncController *self = CRM_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->client != NULL);
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    case PROP_STATUS_DETAIL:
      g_value_set_string (value, self->status_detail);
      break;
    case PROP_N_CONFLICTS:
      g_value_set_uint (value, self->n_conflicts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_controller_class_init (CrmSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_sync_controller_dispose;
  object_class->finalize = crm_sync_controller_finalize;
  object_class->get_property = crm_sync_controller_get_property;

  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_DETAIL] =
    g_param_spec_string ("status-detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CONFLICTS] =
    g_param_spec_uint ("n-conflicts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_sync_controller_init (CrmSyncController *self)
{
  self->cancellable = g_cancellable_new ();
  self->sign_in_action = g_simple_action_new ("sign-in", NULL);
  self->sync_action = g_simple_action_new ("sync-now", NULL);
  self->sign_out_action = g_simple_action_new ("sign-out", NULL);
  self->conflicts_action = g_simple_action_new ("conflicts", NULL);
  g_signal_connect (self->sign_in_action, "activate", G_CALLBACK (sign_in_action), self);
  g_signal_connect (self->sync_action, "activate", G_CALLBACK (sync_now_action), self);
  g_signal_connect (self->sign_out_action, "activate", G_CALLBACK (sign_out_action), self);
  g_signal_connect (self->conflicts_action, "activate", G_CALLBACK (conflicts_action), self);
  g_simple_action_set_enabled (self->conflicts_action, FALSE);
  update_actions (self);
}

/* Public API */

/**
 * crm_sync_controller_new:
 * @store: the app's store; the account is kept beside its file
 */
CrmSyncController *
crm_sync_controller_new (CrmStore *store)
{
  CrmSyncController *self;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_SYNC_CONTROLLER, NULL);
  self->store = g_object_ref (store);
  dir = g_path_get_dirname (crm_store_get_path (store));
  self->account_path = g_build_filename (dir, ACCOUNT_FILE_NAME, NULL);
  g_signal_connect_swapped (store, "contact-changed", G_CALLBACK (on_local_change), self);
  g_signal_connect_swapped (store, "deal-changed", G_CALLBACK (on_local_change), self);
  update_conflicts (self);
  return self;
}

/**
 * crm_sync_controller_start:
 *
 * Reads the account kept with the data and looks its token up in the
 * keyring; signed in, syncs at once and then every five minutes.
 */
void
crm_sync_controller_start (CrmSyncController *self)
{
  g_return_if_fail (CRM_IS_SYNC_CONTROLLER (self));

  if (self->period_source == 0)
    self->period_source = g_timeout_add_seconds (PERIOD_SECONDS, on_period, self);
  load_account (self);
  if (self->server == NULL || self->client != NULL || self->busy)
    return;
  self->busy = TRUE;
  update_actions (self);
  crm_credentials_lookup_async (self->server, self->cancellable, on_lookup_done,
                                g_object_ref (self));
}

/**
 * crm_sync_controller_add_actions:
 *
 * app.sign-in, app.sync-now (Ctrl+R and F5) and app.sign-out, each enabled
 * only when it applies (the menu hides the others).
 */
void
crm_sync_controller_add_actions (CrmSyncController *self,
                                 GtkApplication    *app)
{
  static const char *sync_accels[] = { "<Control>r", "F5", NULL };

  g_return_if_fail (CRM_IS_SYNC_CONTROLLER (self));

  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (self->sign_in_action));
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (self->sync_action));
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (self->sign_out_action));
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (self->conflicts_action));
  gtk_application_set_accels_for_action (app, "app.sync-now", sync_accels);
}

gboolean
crm_sync_controller_get_signed_in (CrmSyncController *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (self), FALSE);
  return self->client != NULL;
}

const char *
crm_sync_controller_get_server (CrmSyncController *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (self), NULL);
  return self->server;
}

const char *
crm_sync_controller_get_company (CrmSyncController *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (self), NULL);
  return self->company;
}

const char *
crm_sync_controller_get_user (CrmSyncController *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (self), NULL);
  return self->user;
}

CrmSyncStatus
crm_sync_controller_get_state (CrmSyncController *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (self), CRM_SYNC_STATUS_IDLE);
  return self->client ? crm_sync_client_get_state (self->client) : CRM_SYNC_STATUS_IDLE;
}

const char *
crm_sync_controller_get_status_text (CrmSyncController *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (self), NULL);
  return self->status_text;
}

/**
 * crm_sync_controller_get_n_conflicts:
 *
 * The conflicts not yet looked at (property "n-conflicts"), counted after
 * each round and when the conflicts dialog closes.
 */
guint
crm_sync_controller_get_n_conflicts (CrmSyncController *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (self), 0);
  return self->n_conflicts;
}

const char *
crm_sync_controller_get_status_detail (CrmSyncController *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (self), NULL);
  return self->status_detail;
}

/**
 * crm_sync_controller_sync_now:
 *
 * A round at once (or right after the one running); nothing when signed out.
 */
void
crm_sync_controller_sync_now (CrmSyncController *self)
{
  g_return_if_fail (CRM_IS_SYNC_CONTROLLER (self));
  _crm_sync_controller_schedule_round (self, 0);
}
