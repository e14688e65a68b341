/* test-followup-dialog.c — the follow-up form and the timeline under a real display
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The times people type (read in a fixed zone, UTC+8), the form saving into
 * a real store (the cursor starts in the notes, the kind by its mnemonic,
 * local time stored as UTC), a wrong due date kept with its message and
 * nothing stored, a deal moved in the same save, and the timeline: newest
 * first, 50 rows of a contact with 10,000 follow-ups and the next 50 as the
 * page scrolls (the time to show the first page is printed, not asserted),
 * Ctrl+Delete on a row and its Undo.
 */
#include "config.h"

#include <adwaita.h>

#include "crm-followup-dialog.h"
#include "crm-followup-timeline.h"
#include "crm-followup-when.h"

#include "crm-test-ui.h"
#include "crm-test-util.h"

#define iterate crm_ui_iterate

typedef struct
{
  CrmTestStore *ts;
  CrmContact   *contact;
  GtkWindow    *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = crm_test_store_new ();
  f->contact = crm_test_add (f->ts->store, "韩梅梅", "13800138000", NULL);
  f->window = GTK_WINDOW (gtk_window_new ());
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  iterate ();
  g_clear_object (&f->contact);
  crm_test_store_free (f->ts);
}

/* ---- the times people type ------------------------------------------ */

static void
test_parse_when (void)
{
  static const struct { const char *text; const char *local; } cases[] = {
    { "2026-12-31 14:30", "2026-12-31 14:30" },
    { "  2026/1/5 9:05  ", "2026-01-05 09:05" },
    { "2026.12.31 23:59:59", "2026-12-31 23:59" },
    { "2026-12-31T08:00", "2026-12-31 08:00" },
    { "2026年12月31日 9点半", "2026-12-31 09:30" },
    { "2026年12月31日14：30", "2026-12-31 14:30" },
    { "2026年1月2日", "2026-01-02 09:00" },
    { "2026-12-31", "2026-12-31 09:00" },
    { "2026-12-31\xe3\x80\x80" "10:00", "2026-12-31 10:00" },
    { "明天", "2026-11-30 09:00" },
    { "明天 15点", "2026-11-30 15:00" },
    { "后天 8:15", "2026-12-01 08:15" },
    { "tomorrow 18:00", "2026-11-30 18:00" },
    { "Today 7:05", "2026-11-29 07:05" },
    { "今天", "2026-11-29 09:00" },
    { "16:45", "2026-11-29 16:45" },
    { "2028-02-29 12:00", "2028-02-29 12:00" },
    /* not times */
    { "2026-13-45", NULL },
    { "2027-02-29", NULL },
    { "2026-12-31 25:00", NULL },
    { "2026-12-31 10:60", NULL },
    { "tomorrow 9:77", NULL },
    { "soon", NULL },
    { "2026-12-31 14:30 extra", NULL },
    { "\xff\xfe", NULL },
  };
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("+08:00");
  g_autoptr (GDateTime) now = g_date_time_new (zone, 2026, 11, 29, 20, 15, 0);
  g_autofree char *huge = g_strnfill (100000, '1');
  g_autoptr (GDateTime) none = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) when = NULL;
      g_autoptr (GError) local_error = NULL;
      gboolean ok = crm_followup_when_parse (cases[i].text, now, &when, &local_error);
      g_autofree char *shown = g_strescape (cases[i].text, NULL);

      g_test_message ("“%s”", shown);
      if (cases[i].local == NULL)
        {
          g_assert_false (ok);
          g_assert_error (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          g_assert_null (when);
        }
      else
        {
          g_autofree char *text = NULL;

          g_assert_no_error (local_error);
          g_assert_true (ok);
          text = g_date_time_format (when, "%Y-%m-%d %H:%M");
          g_assert_cmpstr (text, ==, cases[i].local);
          g_assert_cmpint (g_date_time_get_utc_offset (when), ==, 8 * G_TIME_SPAN_HOUR);
        }
    }
  /* nothing typed is no time; far too much is refused, not read */
  g_assert_true (crm_followup_when_parse ("  ", now, &none, &error));
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_false (crm_followup_when_parse (huge, now, &none, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* ---- the form ------------------------------------------------------- */

static void
on_saved (CrmFollowupDialog *dialog,
          CrmFollowup       *followup,
          CrmFollowup      **out)
{
  g_set_object (out, followup);
}

static gboolean
window_closed (gpointer data)
{
  return *(gpointer *)data == NULL;
}

static void
set_text (GtkWidget  *dialog,
          const char *id,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_get (dialog, id)), text);
}

static GPtrArray *
stored (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *list = crm_store_list_contact_followups (f->ts->store,
                                                      crm_contact_get_id (f->contact), 0, 100,
                                                      &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static CrmFollowupDialog *
open_form (Fixture    *f,
           const char *deal_id)
{
  CrmFollowupDialog *dialog = crm_followup_dialog_new (f->window, f->ts->store, NULL,
                                                       crm_contact_get_id (f->contact),
                                                       deal_id);

  gtk_window_present (GTK_WINDOW (dialog));
  iterate ();
  return dialog;
}

static void
test_form_saves (Fixture       *f,
                 gconstpointer  data)
{
  CrmFollowupDialog *dialog = open_form (f, NULL);
  GtkWidget *w = GTK_WIDGET (dialog);
  GtkWidget *notes = crm_ui_get (w, "notes_input");
  g_autoptr (CrmFollowup) saved = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GDateTime) due = NULL;
  g_autofree char *due_utc = NULL;
  gpointer alive = dialog;
  CrmFollowup *stored_one;

  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);

  /* the contact is chosen, the cursor is in the notes */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (crm_ui_get (w, "contact_label"))), ==,
                   "韩梅梅");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (dialog)) == notes);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Log Follow-up");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)),
                            "谈了价格\n要一个演示", -1);
  /* Alt+V: the mnemonic of the visit button */
  {
    GtkWidget *box = crm_ui_get (w, "kind_box");
    GtkWidget *visit = gtk_widget_get_next_sibling (gtk_widget_get_first_child (box));

    g_assert_true (gtk_widget_mnemonic_activate (visit, FALSE));
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (visit)));
    g_assert_true (gtk_root_get_focus (GTK_ROOT (dialog)) == notes);
  }
  set_text (w, "next_step_input", "发报价");
  set_text (w, "next_at_input", "2030-01-15 10:30");
  gtk_widget_activate_action (w, "followup.save", NULL);
  crm_test_wait_until (window_closed, &alive, 5);

  g_assert_nonnull (saved);
  list = stored (f);
  g_assert_cmpuint (list->len, ==, 1);
  stored_one = g_ptr_array_index (list, 0);
  g_assert_cmpstr (crm_followup_get_id (stored_one), ==, crm_followup_get_id (saved));
  g_assert_cmpint (crm_followup_get_kind (stored_one), ==, CRM_FOLLOWUP_VISIT);
  g_assert_cmpstr (crm_followup_get_notes (stored_one), ==, "谈了价格\n要一个演示");
  g_assert_cmpstr (crm_followup_get_next_step (stored_one), ==, "发报价");
  /* typed in local time, kept in UTC */
  due = g_date_time_new_local (2030, 1, 15, 10, 30, 0);
  {
    g_autoptr (GDateTime) utc = g_date_time_to_utc (due);
    due_utc = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  }
  g_assert_cmpstr (crm_followup_get_next_at (stored_one), ==, due_utc);
  g_assert_null (crm_followup_get_deal_id (stored_one));
}

static void
test_form_keeps_bad_date (Fixture       *f,
                          gconstpointer  data)
{
  CrmFollowupDialog *dialog = open_form (f, NULL);
  GtkWidget *w = GTK_WIDGET (dialog);
  GtkWidget *notes = crm_ui_get (w, "notes_input");
  GtkWidget *due = crm_ui_get (w, "next_at_input");
  GtkWidget *error_label = crm_ui_get (w, "next_at_error");
  g_autoptr (CrmFollowup) saved = NULL;
  g_autoptr (GPtrArray) list = NULL;
  GtkTextIter start, end;
  g_autofree char *kept = NULL;

  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Call", -1);
  set_text (w, "next_step_input", "Send the contract");
  set_text (w, "next_at_input", "next week sometime");
  gtk_widget_activate_action (w, "followup.save", NULL);
  iterate ();

  /* still open, the field marked and saying why, nothing lost or stored */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_null (saved);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (error_label)),
                                   "Type a date and time like"));
  g_assert_true (gtk_widget_has_css_class (due, "error"));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)), due));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (due)), ==, "next week sometime");
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), &start, &end);
  kept = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (kept, ==, "Call");
  list = stored (f);
  g_assert_cmpuint (list->len, ==, 0);

  /* a next step without its date: core's rule, said beside the date */
  set_text (w, "next_at_input", "");
  gtk_widget_activate_action (w, "followup.save", NULL);
  iterate ();
  g_assert_null (saved);
  g_assert_true (gtk_widget_get_visible (error_label));

  /* corrected, the message goes as the field changes, and it saves */
  set_text (w, "next_at_input", "2031-03-01");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (due, "error"));
  gtk_widget_activate_action (w, "followup.save", NULL);
  iterate ();
  g_assert_nonnull (saved);
}

static void
test_form_moves_deal (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  g_autoptr (CrmDeal) after = NULL;
  g_autoptr (CrmFollowup) saved = NULL;
  g_autoptr (GError) error = NULL;
  CrmFollowupDialog *dialog;
  GtkWidget *w, *stage, *notes;

  crm_deal_set_title (deal, "ERP");
  crm_deal_set_contact_id (deal, crm_contact_get_id (f->contact));
  g_assert_true (crm_store_save_deal (f->ts->store, deal, &error));
  g_assert_no_error (error);

  dialog = open_form (f, crm_deal_get_id (deal));
  w = GTK_WIDGET (dialog);
  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (crm_ui_get (w, "deal_input"))),
                    ==, 1);
  stage = crm_ui_get (w, "stage_input");
  g_assert_true (gtk_widget_get_visible (stage));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (stage)), ==, CRM_DEAL_LEAD);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (stage), CRM_DEAL_PROPOSAL);
  notes = crm_ui_get (w, "notes_input");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Sent the proposal",
                            -1);
  gtk_widget_activate_action (w, "followup.save", NULL);
  iterate ();

  g_assert_nonnull (saved);
  g_assert_cmpstr (crm_followup_get_deal_id (saved), ==, crm_deal_get_id (deal));
  after = crm_store_get_deal (f->ts->store, crm_deal_get_id (deal), &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_deal_get_stage (after), ==, CRM_DEAL_PROPOSAL);
}

/* ---- the timeline --------------------------------------------------- */

/* @n follow-ups of the contact, the i-th i hours after 2020-01-01, in one
 * statement (the store's own path takes a transaction each) */
static void
add_many (Fixture *f,
          guint    n)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO followups (id, contact_id, happened_at, kind, notes, next_step, next_at,"
    " created_at, updated_at)"
    " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    " SELECT printf ('f%%06d', i), '%s',"
    " strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2020-01-01', '+' || i || ' hours'), 'call',"
    " 'note ' || i, '', NULL, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z' FROM n",
    n, crm_contact_get_id (f->contact));

  crm_test_exec (f->ts->store, sql);
}

static GtkWidget *
show_timeline (Fixture *f)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *timeline = crm_followup_timeline_new ();
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), timeline);
  adw_toast_overlay_set_child (overlay, scrolled);
  gtk_window_set_child (f->window, GTK_WIDGET (overlay));
  gtk_window_set_default_size (f->window, 600, 500);
  crm_followup_timeline_set_store (CRM_FOLLOWUP_TIMELINE (timeline), f->ts->store);
  gtk_window_present (f->window);
  iterate ();
  return timeline;
}

static const char *
row_name (GtkWidget *timeline,
          guint      index)
{
  GtkListBox *list = GTK_LIST_BOX (crm_ui_get (timeline, "list"));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);
  CrmFollowup *followup;

  g_assert_nonnull (row);
  followup = g_object_get_data (G_OBJECT (row), "crm-followup");
  return crm_followup_get_notes (followup);
}

static gboolean
has_more_rows (gpointer data)
{
  return crm_followup_timeline_get_n_shown (data) > 50;
}

static void
test_timeline_pages (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *timeline = show_timeline (f);
  GtkStack *stack = GTK_STACK (crm_ui_get (timeline, "stack"));
  GtkAdjustment *adjustment;
  gint64 start, took;

  crm_followup_timeline_show_contact (CRM_FOLLOWUP_TIMELINE (timeline),
                                      crm_contact_get_id (f->contact));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_true (crm_ui_has_label (timeline, "No follow-ups yet — Ctrl+Shift+F logs one"));

  add_many (f, 10000);
  {
    g_autoptr (GPtrArray) page = NULL;
    guint n;

    start = g_get_monotonic_time ();
    page = crm_store_list_contact_followups (f->ts->store, crm_contact_get_id (f->contact), 0,
                                             51, NULL);
    took = g_get_monotonic_time () - start;
    start = g_get_monotonic_time ();
    n = crm_store_count_contact_followups (f->ts->store, crm_contact_get_id (f->contact));
    g_test_message ("the store: 51 rows in %.2f ms, the count (%u) in %.2f ms", took / 1000.0,
                    n, (g_get_monotonic_time () - start) / 1000.0);
  }
  start = g_get_monotonic_time ();
  crm_followup_timeline_show_contact (CRM_FOLLOWUP_TIMELINE (timeline),
                                      crm_contact_get_id (f->contact));
  took = g_get_monotonic_time () - start;
  g_test_message ("a contact with 10,000 follow-ups: the first page shown in %.2f ms "
                  "(one frame at 60 Hz: 16.7 ms)", took / 1000.0);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  g_assert_cmpuint (crm_followup_timeline_get_n_shown (CRM_FOLLOWUP_TIMELINE (timeline)), ==, 50);
  g_assert_cmpstr (row_name (timeline, 0), ==, "note 10000");   /* newest first */
  g_assert_cmpstr (row_name (timeline, 49), ==, "note 9951");
  g_assert_true (gtk_widget_get_visible (crm_ui_get (timeline, "more_button")));
  g_assert_true (crm_ui_has_label (timeline, "10,000 follow-ups")
                 || crm_ui_has_label (timeline, "10000 follow-ups"));

  /* scrolled near the end: the next page comes */
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (timeline, GTK_TYPE_SCROLLED_WINDOW)));
  iterate ();
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  crm_test_wait_until (has_more_rows, timeline, 5);
  g_assert_cmpuint (crm_followup_timeline_get_n_shown (CRM_FOLLOWUP_TIMELINE (timeline)), ==, 100);
  g_assert_cmpstr (row_name (timeline, 50), ==, "note 9950");
}

static void
test_timeline_delete_undo (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *timeline = show_timeline (f);
  CrmFollowupTimeline *t = CRM_FOLLOWUP_TIMELINE (timeline);
  GtkListBox *list = GTK_LIST_BOX (crm_ui_get (timeline, "list"));
  g_autoptr (GPtrArray) left = NULL;
  g_autoptr (GPtrArray) back = NULL;

  add_many (f, 3);
  crm_followup_timeline_show_contact (t, crm_contact_get_id (f->contact));
  g_assert_cmpuint (crm_followup_timeline_get_n_shown (t), ==, 3);

  /* not on a row: nothing deleted */
  gtk_widget_grab_focus (crm_ui_get (timeline, "log_button"));
  g_assert_false (crm_followup_timeline_delete_focused (t));

  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 1)));
  g_assert_true (crm_followup_timeline_delete_focused (t));
  left = stored (f);
  g_assert_cmpuint (left->len, ==, 2);
  g_assert_cmpstr (crm_followup_get_notes (g_ptr_array_index (left, 1)), ==, "note 1");
  g_assert_cmpuint (crm_followup_timeline_get_n_shown (t), ==, 2);
  /* the Undo toast shows: Ctrl+Z is the timeline's */
  g_assert_true (crm_followup_timeline_can_undo (t));
  /* the focus stays in the list, on the row that took the deleted one's place */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window))
                 == GTK_WIDGET (gtk_list_box_get_row_at_index (list, 1)));

  g_assert_true (crm_followup_timeline_undo (t));
  back = stored (f);
  g_assert_cmpuint (back->len, ==, 3);
  g_assert_cmpstr (row_name (timeline, 1), ==, "note 2");
  g_assert_false (crm_followup_timeline_can_undo (t));
  g_assert_false (crm_followup_timeline_undo (t));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_func ("/followup-dialog/parse-when", test_parse_when);
  g_test_add ("/followup-dialog/saves", Fixture, NULL, fixture_setup, test_form_saves,
              fixture_teardown);
  g_test_add ("/followup-dialog/keeps-bad-date", Fixture, NULL, fixture_setup,
              test_form_keeps_bad_date, fixture_teardown);
  g_test_add ("/followup-dialog/moves-deal", Fixture, NULL, fixture_setup,
              test_form_moves_deal, fixture_teardown);
  g_test_add ("/followup-timeline/pages", Fixture, NULL, fixture_setup, test_timeline_pages,
              fixture_teardown);
  g_test_add ("/followup-timeline/delete-undo", Fixture, NULL, fixture_setup,
              test_timeline_delete_undo, fixture_teardown);
  return g_test_run ();
}
