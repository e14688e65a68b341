/* test-today.c — Today's sections and the reminders' scheduling, on a real store
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reminder controller's scheduling is pure (now is passed in): where
 * the missed reminders start, the next reminder's time (a snooze counts),
 * how long the timer waits; and the window of crm_store_list_reminders()
 * it is used with. Today's page, shown in a window, lists a real store's
 * next steps in their sections (not a done one, not a deleted contact's,
 * not one due later than the week) and follows the store's changes;
 * Preferences' rows are bound to their GSettings keys. The
 * notifications themselves are observed over D-Bus by e2e-today-notify.
 */
#include "config.h"

#include <adwaita.h>

#include "crm-preferences-window.h"
#include "crm-reminder-controller.h"
#include "crm-today-page.h"

#include "crm-test-ui.h"
#include "crm-test-util.h"

#define iterate crm_ui_iterate

static GDateTime *
utc (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

static void
test_checked_from (void)
{
  g_autoptr (GDateTime) now = utc ("2026-11-29T08:00:00Z");
  g_autofree char *first = crm_reminder_checked_from ("", now);
  g_autofree char *missing = crm_reminder_checked_from (NULL, now);
  g_autofree char *garbage = crm_reminder_checked_from ("yesterday", now);
  g_autofree char *recent = crm_reminder_checked_from ("2026-11-29T07:00:00Z", now);
  g_autofree char *old = crm_reminder_checked_from ("2026-10-01T00:00:00Z", now);
  g_autofree char *future = crm_reminder_checked_from ("2026-11-30T00:00:00Z", now);
  g_autofree char *zoned = crm_reminder_checked_from ("2026-11-29T15:00:00+08:00", now);

  /* a first start, or a value that cannot be read: the last week's */
  g_assert_cmpstr (first, ==, "2026-11-22T08:00:00Z");
  g_assert_cmpstr (missing, ==, "2026-11-22T08:00:00Z");
  g_assert_cmpstr (garbage, ==, "2026-11-22T08:00:00Z");
  /* the app was closed for an hour: from then on */
  g_assert_cmpstr (recent, ==, "2026-11-29T07:00:00Z");
  /* closed for two months: a week back at most */
  g_assert_cmpstr (old, ==, "2026-11-22T08:00:00Z");
  /* the clock was set back: nothing delivered twice, nothing before now */
  g_assert_cmpstr (future, ==, "2026-11-29T08:00:00Z");
  g_assert_cmpstr (zoned, ==, "2026-11-29T07:00:00Z");
}

static void
test_delay (void)
{
  g_autoptr (GDateTime) now = utc ("2026-11-29T08:00:00.250Z");
  g_autoptr (GDateTime) past = utc ("2026-11-29T07:59:59Z");
  g_autoptr (GDateTime) soon = utc ("2026-11-29T08:00:02Z");
  g_autoptr (GDateTime) later = utc ("2026-11-29T10:00:00Z");
  guint wait;

  g_assert_cmpuint (crm_reminder_delay_ms (now, NULL), ==, CRM_REMINDER_MAX_WAIT_MS);
  g_assert_cmpuint (crm_reminder_delay_ms (now, past), ==, 0);
  g_assert_cmpuint (crm_reminder_delay_ms (now, now), ==, 0);
  /* just past the reminder's second, never before it */
  wait = crm_reminder_delay_ms (now, soon);
  g_assert_cmpuint (wait, >=, 1750);
  g_assert_cmpuint (wait, <=, 2000);
  /* far away: looked at again within the longest wait */
  g_assert_cmpuint (crm_reminder_delay_ms (now, later), ==, CRM_REMINDER_MAX_WAIT_MS);
}

static CrmFollowup *
add_followup_full (CrmStore   *store,
                   CrmContact *contact,
                   const char *deal_id,
                   const char *next_step,
                   GDateTime  *next_at)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *iso = crm_reminder_format_utc (next_at);
  CrmFollowup *followup = crm_followup_new ();

  crm_followup_set_contact_id (followup, crm_contact_get_id (contact));
  crm_followup_set_deal_id (followup, deal_id);
  crm_followup_set_notes (followup, "Called");
  crm_followup_set_next_step (followup, next_step);
  crm_followup_set_next_at (followup, iso);
  g_assert_true (crm_store_save_followup (store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
  return followup;
}

static CrmFollowup *
add_followup (CrmStore   *store,
              CrmContact *contact,
              const char *next_step,
              GDateTime  *next_at)
{
  return add_followup_full (store, contact, NULL, next_step, next_at);
}

/* the next reminder among the store's, a snooze included, and the window of
 * reminders a look delivers */
static void
test_next_time (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) contact = crm_test_add (ts->store, "王芳", NULL, NULL);
  /* whole seconds, as the store keeps times */
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr (GDateTime) missed_at = g_date_time_add_minutes (now, -2);
  g_autoptr (GDateTime) soon_at = g_date_time_add_seconds (now, 30);
  g_autoptr (GDateTime) later_at = g_date_time_add_minutes (now, 20);
  g_autoptr (GDateTime) snooze_at = g_date_time_add_minutes (now, 10);
  g_autoptr (CrmFollowup) missed = add_followup (ts->store, contact, "Send the quote", missed_at);
  g_autoptr (CrmFollowup) soon = add_followup (ts->store, contact, "Call back", soon_at);
  g_autoptr (CrmFollowup) later = add_followup (ts->store, contact, "Visit", later_at);
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) upcoming = NULL;
  g_autoptr (GPtrArray) after_snooze = NULL;
  g_autoptr (GDateTime) next = NULL;
  g_autoptr (GDateTime) next_after_snooze = NULL;
  g_autoptr (GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autoptr (GDateTime) horizon = g_date_time_add_hours (now, 1);
  g_autofree char *from = crm_reminder_format_utc (hour_ago);
  g_autofree char *now_iso = crm_reminder_format_utc (now);
  g_autofree char *horizon_iso = crm_reminder_format_utc (horizon);
  g_autofree char *snooze_iso = crm_reminder_format_utc (snooze_at);
  g_autoptr (GError) error = NULL;

  /* what a look delivers now: the one missed, not the ones to come */
  due = crm_store_list_reminders (ts->store, from, now_iso, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpstr (crm_followup_get_id (g_ptr_array_index (due, 0)), ==,
                   crm_followup_get_id (missed));
  g_assert_cmpstr (crm_followup_get_contact_name (g_ptr_array_index (due, 0)), ==, "王芳");

  /* the timer is set for the soonest */
  upcoming = crm_store_list_reminders (ts->store, now_iso, horizon_iso, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (upcoming->len, ==, 2);
  next = crm_reminder_next_time (upcoming, now);
  g_assert_nonnull (next);
  g_assert_cmpint (g_date_time_compare (next, soon_at), ==, 0);
  g_assert_null (crm_reminder_next_time (due, now));

  /* snoozed for 10 minutes: the soonest is now the snooze */
  g_assert_true (crm_store_snooze_followup (ts->store, soon, snooze_iso, &error));
  g_assert_no_error (error);
  after_snooze = crm_store_list_reminders (ts->store, now_iso, horizon_iso, &error);
  g_assert_no_error (error);
  next_after_snooze = crm_reminder_next_time (after_snooze, now);
  g_assert_nonnull (next_after_snooze);
  g_assert_cmpint (g_date_time_compare (next_after_snooze, snooze_at), ==, 0);

  crm_test_store_free (ts);
}

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  CrmTodayPage *page;
  CrmContact   *contacts[3];
  CrmFollowup  *followups[6];
  CrmDeal      *deal;
} Fixture;

/* noon of a local day @days from today: the same section whatever the time
 * the test runs */
static GDateTime *
local_noon (int days)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) noon = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now),
                                                      12, 0, 0);

  return g_date_time_add_days (noon, days);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GDateTime) yesterday = local_noon (-1);
  g_autoptr (GDateTime) today = local_noon (0);
  g_autoptr (GDateTime) in_three_days = local_noon (3);
  g_autoptr (GDateTime) in_twenty_days = local_noon (20);
  g_autoptr (GError) error = NULL;

  f->ts = crm_test_store_new ();
  f->contacts[0] = crm_test_add (f->ts->store, "张伟", NULL, NULL);
  f->contacts[1] = crm_test_add (f->ts->store, "Li Na", NULL, NULL);
  f->contacts[2] = crm_test_add (f->ts->store, "Gone Contact", NULL, NULL);
  f->followups[0] = add_followup (f->ts->store, f->contacts[0], "Send the quote", yesterday);
  f->followups[1] = add_followup (f->ts->store, f->contacts[1], "Call about the order", today);
  f->deal = crm_deal_new ();
  crm_deal_set_title (f->deal, "年度采购");
  crm_deal_set_contact_id (f->deal, crm_contact_get_id (f->contacts[0]));
  g_assert_true (crm_store_save_deal (f->ts->store, f->deal, &error));
  g_assert_no_error (error);
  f->followups[2] = add_followup_full (f->ts->store, f->contacts[0], crm_deal_get_id (f->deal),
                                       "Visit the factory", in_three_days);
  f->followups[3] = add_followup (f->ts->store, f->contacts[1], "Renewal", in_twenty_days);
  f->followups[4] = add_followup (f->ts->store, f->contacts[1], "Already done", yesterday);
  g_assert_true (crm_store_complete_followup (f->ts->store, f->followups[4], NULL, &error));
  g_assert_no_error (error);
  f->followups[5] = add_followup (f->ts->store, f->contacts[2], "Deleted contact's", today);
  g_assert_true (crm_store_delete_contact (f->ts->store, f->contacts[2], &error));
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 800, 600);
  f->page = g_object_new (CRM_TYPE_TODAY_PAGE, NULL);
  crm_today_page_set_store (f->page, f->ts->store);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  iterate ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  iterate ();
  for (guint i = 0; i < G_N_ELEMENTS (f->followups); i++)
    g_clear_object (&f->followups[i]);
  for (guint i = 0; i < G_N_ELEMENTS (f->contacts); i++)
    g_clear_object (&f->contacts[i]);
  g_clear_object (&f->deal);
  crm_test_store_free (f->ts);
}

static guint
n_rows (Fixture *f)
{
  GtkListBox *list = GTK_LIST_BOX (crm_ui_get (GTK_WIDGET (f->page), "list"));
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static void
test_sections (Fixture       *f,
               gconstpointer  data)
{
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  g_assert_cmpuint (crm_today_page_count (f->page, CRM_FOLLOWUP_DUE_OVERDUE), ==, 1);
  g_assert_cmpuint (crm_today_page_count (f->page, CRM_FOLLOWUP_DUE_TODAY), ==, 1);
  g_assert_cmpuint (crm_today_page_count (f->page, CRM_FOLLOWUP_DUE_THIS_WEEK), ==, 1);
  g_assert_cmpuint (n_rows (f), ==, 3);
  /* each row: the contact, the next step (as a screen reader reads it too) */
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->page), "张伟"));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->page), "Send the quote"));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->page), "Call about the order"));
  /* a step of a deal: the contact and the deal */
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->page), "张伟 · 年度采购"));
  g_assert_false (crm_ui_has_label (GTK_WIDGET (f->page), "Renewal"));
  g_assert_false (crm_ui_has_label (GTK_WIDGET (f->page), "Already done"));
  g_assert_false (crm_ui_has_label (GTK_WIDGET (f->page), "Deleted contact's"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (crm_ui_get (GTK_WIDGET (f->page),
                                                                            "stack"))),
                   ==, "list");
}

static gboolean
today_count_is (gpointer data)
{
  Fixture *f = data;
  guint want = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->page), "want"));

  return crm_today_page_count (f->page, CRM_FOLLOWUP_DUE_TODAY) == want;
}

/* done in the store (another window, a pulled change): the page follows */
static void
test_follows_store (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) today = local_noon (0);
  g_autoptr (CrmFollowup) added = NULL;

  if (g_signal_lookup ("followup-changed", CRM_TYPE_STORE) == 0)
    {
      g_test_skip ("the store tells no follow-up change");
      return;
    }
  added = add_followup (f->ts->store, f->contacts[0], "Second call", today);
  g_object_set_data (G_OBJECT (f->page), "want", GUINT_TO_POINTER (2));
  crm_test_wait_until (today_count_is, f, 5);
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->page), "Second call"));

  g_assert_true (crm_store_complete_followup (f->ts->store, f->followups[1], NULL, &error));
  g_assert_no_error (error);
  g_object_set_data (G_OBJECT (f->page), "want", GUINT_TO_POINTER (1));
  crm_test_wait_until (today_count_is, f, 5);
  g_assert_false (crm_ui_has_label (GTK_WIDGET (f->page), "Call about the order"));
}

/* everything done: the empty state says what the view is for */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (crm_store_complete_followup (f->ts->store, f->followups[i], NULL, &error));
      g_assert_no_error (error);
    }
  crm_today_page_reload (f->page);
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (crm_ui_get (GTK_WIDGET (f->page),
                                                                            "stack"))),
                   ==, "empty");
}

/* Preferences: each row changes its key, and shows what the key holds */
static void
test_preferences (void)
{
  g_autoptr (GSettings) settings = crm_reminder_settings_new ();
  GtkWidget *window;
  GtkSwitch *reminders;
  GtkSpinButton *days;

  g_assert_nonnull (settings);   /* GSETTINGS_SCHEMA_DIR: the build's schema */
  g_settings_set_uint (settings, "stale-days", 45);
  window = crm_preferences_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  reminders = GTK_SWITCH (crm_ui_get (window, "reminders_switch"));
  days = GTK_SPIN_BUTTON (crm_ui_get (window, "stale_input"));
  g_assert_true (gtk_switch_get_active (reminders));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (days), ==, 45);

  gtk_switch_set_active (reminders, FALSE);
  gtk_spin_button_set_value (days, 14);
  g_assert_false (g_settings_get_boolean (settings, "reminders-enabled"));
  g_assert_cmpuint (g_settings_get_uint (settings, "stale-days"), ==, 14);
  g_settings_reset (settings, "reminders-enabled");
  g_settings_reset (settings, "stale-days");
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_func ("/reminders/checked-from", test_checked_from);
  g_test_add_func ("/reminders/delay", test_delay);
  g_test_add_func ("/reminders/next-time", test_next_time);
  g_test_add ("/today/sections", Fixture, NULL, fixture_setup, test_sections,
              fixture_teardown);
  g_test_add ("/today/follows-store", Fixture, NULL, fixture_setup, test_follows_store,
              fixture_teardown);
  g_test_add ("/today/empty", Fixture, NULL, fixture_setup, test_empty, fixture_teardown);
  g_test_add_func ("/preferences/bound", test_preferences);
  return g_test_run ();
}
