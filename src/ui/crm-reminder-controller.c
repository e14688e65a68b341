/* crm-reminder-controller.c — desktop notifications when a follow-up's next step comes due
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One object of the application, alive while the app runs, with or without
 * a window. Each look at the store delivers the reminders whose time
 * (max (next_at, snoozed_until), crm_followup_reminder_time()) lies in
 * (checked-until, now], then remembers now in GSettings
 * reminders-checked-until: a reminder due while the app was not running is
 * delivered at the next start (those of the last CRM_REMINDER_MISSED_DAYS;
 * Today lists every open step anyway), more than CRM_REMINDER_SUMMARY_OVER
 * as one notification. The next look is a GTimeout set to the next
 * reminder's time, at most CRM_REMINDER_MAX_WAIT_MS away: GLib's timeouts
 * run on the monotonic clock, which stands still while the computer sleeps
 * and ignores a changed wall clock, so the wait is kept short, and logind's
 * PrepareForSleep (when there is a system bus) brings a look right after a
 * resume. A change in the store brings one at once (coalesced in an idle).
 *
 * reminders-checked-until is written when reminders were delivered, not
 * at each look (no write to dconf every minute).
 *
 * Notifications go through g_application_send_notification(): GLib picks
 * org.gtk.Notifications (GNOME Shell), the portal, or
 * org.freedesktop.Notifications; their actions are app.open-followup and
 * app.snooze-followup (crm-application.c), so they work from the desktop
 * with no window open. While reminders are on and an open next step
 * exists, the app holds itself (g_application_hold()): closing the window
 * leaves it running in the background; app.quit lets go first.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-reminder-controller.h"

struct _CrmReminderController
{
  GObject          parent_instance;

  GApplication    *app;            /* unowned: the app owns the controller */
  CrmStore        *store;
  GSettings       *settings;       /* NULL when the schema is not installed */
  char            *checked_until;  /* without settings: kept in memory */
  guint            timer;
  guint            idle;
  gboolean         held;
  gboolean         quitting;
  GCancellable    *cancellable;
  GDBusConnection *system_bus;
  guint            sleep_watch;
};

G_DEFINE_FINAL_TYPE (CrmReminderController, crm_reminder_controller, G_TYPE_OBJECT)

/**
 * crm_reminder_settings_new:
 *
 * Returns: (transfer full) (nullable): the app's settings, %NULL when the
 *   schema (with the reminder keys) is not installed: a build run without
 *   it has reminders on and remembers nothing.
 */
GSettings *
crm_reminder_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema =
    source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  if (schema != NULL && g_settings_schema_has_key (schema, "reminders-enabled"))
    return g_settings_new_full (schema, NULL, NULL);
  return NULL;
}

/**
 * crm_reminder_format_utc:
 *
 * Returns: (transfer full): @time as the store writes times,
 *   "2026-11-29T08:30:00Z"
 */
char *
crm_reminder_format_utc (GDateTime *time)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * crm_reminder_checked_from:
 * @stored: (nullable): reminders-checked-until as kept
 *
 * Returns: (transfer full): the time after which reminders are still to be
 *   delivered: @stored, but never more than CRM_REMINDER_MISSED_DAYS back
 *   (nor for a first start, an empty or unreadable value), nor after
 *   @now_utc (a clock set back: nothing is delivered twice).
 */
char *
crm_reminder_checked_from (const char *stored,
                           GDateTime  *now_utc)
{
  g_autoptr (GDateTime) oldest = g_date_time_add_days (now_utc, -CRM_REMINDER_MISSED_DAYS);
  g_autoptr (GDateTime) from = NULL;

  if (stored != NULL && *stored != '\0')
    from = g_date_time_new_from_iso8601 (stored, NULL);
  if (from == NULL || g_date_time_compare (from, oldest) < 0)
    return crm_reminder_format_utc (oldest);
  if (g_date_time_compare (from, now_utc) > 0)
    return crm_reminder_format_utc (now_utc);
  return crm_reminder_format_utc (from);
}

/**
 * crm_reminder_next_time:
 * @followups: (element-type CrmFollowup): open next steps
 *
 * Returns: (transfer full) (nullable): the earliest reminder time among
 *   @followups that lies after @now_utc, %NULL when none does
 */
GDateTime *
crm_reminder_next_time (GPtrArray *followups,
                        GDateTime *now_utc)
{
  GDateTime *next = NULL;

  for (guint i = 0; followups != NULL && i < followups->len; i++)
    {
      GDateTime *time = crm_followup_reminder_time (g_ptr_array_index (followups, i));

      if (time != NULL && g_date_time_compare (time, now_utc) > 0
          && (next == NULL || g_date_time_compare (time, next) < 0))
        {
          g_clear_pointer (&next, g_date_time_unref);
          next = g_steal_pointer (&time);
        }
      g_clear_pointer (&time, g_date_time_unref);
    }
  return next;
}

/**
 * crm_reminder_delay_ms:
 * @next: (nullable): the next reminder's time
 *
 * Returns: how long to wait from @now_utc for @next: 0 when it is due,
 *   just past its second otherwise (the store's times have whole seconds,
 *   and a look delivers what is due up to now), and never more than
 *   CRM_REMINDER_MAX_WAIT_MS.
 */
guint
crm_reminder_delay_ms (GDateTime *now_utc,
                       GDateTime *next)
{
  GTimeSpan wait;

  if (next == NULL)
    return CRM_REMINDER_MAX_WAIT_MS;
  wait = g_date_time_difference (next, now_utc);
  if (wait <= 0)
    return 0;
  /* microseconds to milliseconds, rounded up, plus a little margin */
  wait = (wait + 999) / 1000 + 100;
  return (guint) MIN (wait, (GTimeSpan) CRM_REMINDER_MAX_WAIT_MS);
}

static char *
get_checked_until (CrmReminderController *self)
{
  if (self->settings != NULL)
    return g_settings_get_string (self->settings, "reminders-checked-until");
  return g_strdup (self->checked_until);
}

static void
set_checked_until (CrmReminderController *self,
                   const char            *utc_iso)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "reminders-checked-until", utc_iso);
  g_free (self->checked_until);
  self->checked_until = g_strdup (utc_iso);
}

static gboolean
reminders_enabled (CrmReminderController *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "reminders-enabled");
}

static void
set_held (CrmReminderController *self,
          gboolean               held)
{
  held = held && !self->quitting;
  if (held == self->held)
    return;
  self->held = held;
  if (held)
    g_application_hold (self->app);
  else
    g_application_release (self->app);
}

static char *
notification_id (CrmFollowup *followup)
{
  return g_strconcat ("followup-", crm_followup_get_id (followup), NULL);
}

static void
send_one (CrmReminderController *self,
          CrmFollowup           *followup)
{
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *id = notification_id (followup);
  const char *name = crm_followup_get_contact_name (followup);

  notification = g_notification_new (name != NULL && *name != '\0' ? name : _("Follow-up"));
  g_notification_set_body (notification, crm_followup_get_next_step (followup));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.open-followup", "s",
                                                crm_followup_get_id (followup));
  g_notification_add_button_with_target (notification, _("Snooze 1 Hour"),
                                         "app.snooze-followup", "s",
                                         crm_followup_get_id (followup));
  g_application_send_notification (self->app, id, notification);
}

/* more than a few at once (a start after days away): one notification,
 * which opens Today */
static void
send_summary (CrmReminderController *self,
              GPtrArray             *due)
{
  g_autoptr (GNotification) notification = NULL;
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u follow-up is due",
                                        "%u follow-ups are due", due->len), due->len);
  for (guint i = 0; i < due->len && i < CRM_REMINDER_SUMMARY_OVER; i++)
    {
      CrmFollowup *followup = g_ptr_array_index (due, i);

      if (body->len > 0)
        g_string_append_c (body, '\n');
      /* Translators: a contact's name and the next step, in a list */
      g_string_append_printf (body, _("%s: %s"), crm_followup_get_contact_name (followup),
                              crm_followup_get_next_step (followup));
    }
  if (due->len > CRM_REMINDER_SUMMARY_OVER)
    g_string_append (body, "\n…");
  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.open-followup", "s", "");
  g_application_send_notification (self->app, "followups-due", notification);
}

static void
deliver (CrmReminderController *self,
         GPtrArray             *due)
{
  if (due->len == 0 || !g_application_get_is_registered (self->app))
    return;
  if (due->len > CRM_REMINDER_SUMMARY_OVER)
    send_summary (self, due);
  else
    for (guint i = 0; i < due->len; i++)
      send_one (self, g_ptr_array_index (due, i));
}

static gboolean on_timer (gpointer user_data);

static void
arm (CrmReminderController *self,
     guint                  delay_ms)
{
  g_clear_handle_id (&self->timer, g_source_remove);
  self->timer = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, on_timer, self, NULL);
}

/**
 * crm_reminder_controller_check:
 *
 * Delivers the reminders due since the last look, and sets the timer for
 * the next one. Does nothing but stop while reminders are off.
 */
void
crm_reminder_controller_check (CrmReminderController *self)
{
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GDateTime) horizon = NULL;
  g_autoptr (GDateTime) next = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) upcoming = NULL;
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *from = NULL;
  g_autofree char *now_iso = NULL;
  g_autofree char *horizon_iso = NULL;

  g_return_if_fail (CRM_IS_REMINDER_CONTROLLER (self));

  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->store == NULL || !reminders_enabled (self))
    {
      set_held (self, FALSE);
      return;
    }

  now = g_date_time_new_now_utc ();
  now_iso = crm_reminder_format_utc (now);
  stored = get_checked_until (self);
  from = crm_reminder_checked_from (stored, now);
  due = crm_store_list_reminders (self->store, from, now_iso, &error);
  if (due == NULL)
    {
      /* a damaged or busy file: tried again at the next look */
      g_message ("Reminders: %s", error->message);
      arm (self, CRM_REMINDER_MAX_WAIT_MS);
      return;
    }
  deliver (self, due);
  /* written when something was delivered (or on a first start), not at
   * every look: what comes due after the value written is delivered when it
   * comes, which writes again, so a start delivers only what it missed */
  if (due->len > 0 || stored == NULL || *stored == '\0')
    set_checked_until (self, now_iso);

  horizon = g_date_time_add (now, (GTimeSpan) CRM_REMINDER_MAX_WAIT_MS * 1000);
  horizon_iso = crm_reminder_format_utc (horizon);
  upcoming = crm_store_list_reminders (self->store, now_iso, horizon_iso, NULL);
  next = crm_reminder_next_time (upcoming, now);
  arm (self, crm_reminder_delay_ms (now, next));

  /* in the background only while there is something to remind of */
  open = crm_store_list_due_followups (self->store, NULL, 1, NULL);
  set_held (self, open != NULL && open->len > 0);
}

static gboolean
on_timer (gpointer user_data)
{
  CrmReminderController *self = user_data;

  self->timer = 0;
  crm_reminder_controller_check (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_idle (gpointer user_data)
{
  CrmReminderController *self = user_data;

  self->idle = 0;
  crm_reminder_controller_check (self);
  return G_SOURCE_REMOVE;
}

/* a change in the store, the settings, or a resume: look again soon, once */
static void
schedule_check (CrmReminderController *self)
{
  if (self->idle == 0)
    self->idle = g_idle_add_full (G_PRIORITY_LOW, on_idle, self, NULL);
}

/* a step done or deleted (in Today, on another computer): its notification
 * goes away from the desktop */
static void
on_followup_changed (CrmReminderController *self,
                     CrmFollowup           *before,
                     CrmFollowup           *after)
{
  CrmFollowup *followup = after != NULL ? after : before;
  const char *done_at = after != NULL ? crm_followup_get_done_at (after) : NULL;
  g_autofree char *id = NULL;

  schedule_check (self);
  if (followup == NULL || (after != NULL && (done_at == NULL || *done_at == '\0'))
      || !g_application_get_is_registered (self->app))
    return;
  id = notification_id (followup);
  g_application_withdraw_notification (self->app, id);
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  gboolean going_to_sleep = TRUE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep)
    schedule_check (user_data);
}

static void
on_system_bus (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  CrmReminderController *self;

  if (bus == NULL)
    {
      /* no system bus (a container, the tests): the short wait does it */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No resume signal: %s", error->message);
      return;
    }
  self = user_data;
  self->system_bus = bus;
  self->sleep_watch =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager", "PrepareForSleep",
                                        "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep,
                                        self, NULL);
}

static void
crm_reminder_controller_dispose (GObject *object)
{
  CrmReminderController *self = (CrmReminderController *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->sleep_watch != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_watch);
  self->sleep_watch = 0;
  g_clear_object (&self->system_bus);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  set_held (self, FALSE);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_reminder_controller_parent_class)->dispose (object);
}

static void
crm_reminder_controller_finalize (GObject *object)
{
  CrmReminderController *self = (CrmReminderController *)object;

  g_free (self->checked_until);

  G_OBJECT_CLASS (crm_reminder_controller_parent_class)->finalize (object);
}

static void
crm_reminder_controller_class_init (CrmReminderControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_reminder_controller_dispose;
  object_class->finalize = crm_reminder_controller_finalize;
}

static void
crm_reminder_controller_init (CrmReminderController *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * crm_reminder_controller_new:
 * @app: the application, which keeps the controller (and outlives it)
 */
CrmReminderController *
crm_reminder_controller_new (GApplication *app)
{
  CrmReminderController *self;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);

  self = g_object_new (CRM_TYPE_REMINDER_CONTROLLER, NULL);
  self->app = app;
  self->settings = crm_reminder_settings_new ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::reminders-enabled",
                             G_CALLBACK (schedule_check), self, G_CONNECT_SWAPPED);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus, self);
  return self;
}

/**
 * crm_reminder_controller_set_store:
 * @store: (nullable): the open store, %NULL while there is none (a restore)
 *
 * Reminders are looked for in @store at once, and again whenever it changes.
 */
void
crm_reminder_controller_set_store (CrmReminderController *self,
                                   CrmStore              *store)
{
  static const char * const changes[] = {
    "contact-changed", "contacts-reset", "deal-changed", "deals-reset", "followups-reset",
  };

  g_return_if_fail (CRM_IS_REMINDER_CONTROLLER (self));
  g_return_if_fail (store == NULL || CRM_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  for (guint i = 0; store != NULL && i < G_N_ELEMENTS (changes); i++)
    if (g_signal_lookup (changes[i], CRM_TYPE_STORE) != 0)
      g_signal_connect_object (store, changes[i], G_CALLBACK (schedule_check), self,
                               G_CONNECT_SWAPPED);
  if (store != NULL && g_signal_lookup ("followup-changed", CRM_TYPE_STORE) != 0)
    g_signal_connect_object (store, "followup-changed", G_CALLBACK (on_followup_changed), self,
                             G_CONNECT_SWAPPED);
  crm_reminder_controller_check (self);
}

/**
 * crm_reminder_controller_snooze:
 *
 * Postpones the reminder of the follow-up @followup_id by an hour
 * (snoozed_until; its due time in Today stays) and takes its notification
 * away.
 */
gboolean
crm_reminder_controller_snooze (CrmReminderController *self,
                                const char            *followup_id,
                                GError               **error)
{
  g_autoptr (CrmFollowup) followup = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) until = g_date_time_add_seconds (now, CRM_REMINDER_SNOOZE_SECONDS);
  g_autofree char *until_iso = crm_reminder_format_utc (until);
  g_autofree char *id = NULL;

  g_return_val_if_fail (CRM_IS_REMINDER_CONTROLLER (self), FALSE);
  g_return_val_if_fail (followup_id != NULL, FALSE);

  if (self->store == NULL)
    return TRUE;
  followup = crm_store_get_followup (self->store, followup_id, error);
  if (followup == NULL)
    return FALSE;
  if (!crm_store_snooze_followup (self->store, followup, until_iso, error))
    return FALSE;
  id = notification_id (followup);
  if (g_application_get_is_registered (self->app))
    g_application_withdraw_notification (self->app, id);
  schedule_check (self);
  return TRUE;
}

/**
 * crm_reminder_controller_quit:
 *
 * The app is quitting (app.quit): it no longer stays in the background.
 */
void
crm_reminder_controller_quit (CrmReminderController *self)
{
  g_return_if_fail (CRM_IS_REMINDER_CONTROLLER (self));

  set_held (self, FALSE);
  self->quitting = TRUE;
}

gboolean
crm_reminder_controller_is_holding (CrmReminderController *self)
{
  g_return_val_if_fail (CRM_IS_REMINDER_CONTROLLER (self), FALSE);
  return self->held;
}
