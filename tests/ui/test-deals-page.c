/* test-deals-page.c — the deals page's widgets under a real display
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The board's columns and header figures, stage moves through the page's
 * actions (the focus follows the deal), the lost-reason question, a drop on
 * a column (the handler behind drag and drop; the pointer gesture itself is
 * not driven here), and the list presentation sorted by its column headers.
 */
#include "config.h"

#include <adwaita.h>

#include "crm-deal-card.h"
#include "crm-deal-column.h"
#include "crm-deal-editor.h"
#include "crm-deal-list.h"
#include "crm-deals-page.h"

#include "crm-test-ui.h"
#include "crm-test-util.h"

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  GtkWidget    *page;
  CrmDeal      *deals[4];
} Fixture;

#define iterate crm_ui_iterate
#define get(f, id) crm_ui_get ((f)->page, (id))

static CrmDeal *
add_deal (Fixture      *f,
          const char   *title,
          gint64        fen,
          CrmDealStage  stage)
{
  g_autoptr (GError) error = NULL;
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, title);
  crm_deal_set_amount (deal, fen);
  crm_deal_move_to_stage (deal, stage);
  g_assert_true (crm_store_save_deal (f->ts->store, deal, &error));
  g_assert_no_error (error);
  return deal;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The page fills its board (or list) after the first frame it is shown in:
 * wait for that, with a deadline. */
static void
wait_shown (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint source = g_timeout_add (10, tick, NULL);

  while (!crm_deals_page_is_shown (CRM_DEALS_PAGE (f->page)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (source);
  iterate ();
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = crm_test_store_new ();
  f->deals[0] = add_deal (f, "Alpha", 100000, CRM_DEAL_LEAD);          /* ¥1,000.00 at 10 % */
  f->deals[1] = add_deal (f, "Bravo", 250050, CRM_DEAL_PROPOSAL);      /* ¥2,500.50 at 50 % */
  f->deals[2] = add_deal (f, "Charlie", 999, CRM_DEAL_PROPOSAL);       /* ¥9.99 at 50 % */
  f->deals[3] = add_deal (f, "Delta", 7000000, CRM_DEAL_WON);          /* ¥70,000.00 */

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1400, 800);
  f->page = g_object_new (CRM_TYPE_DEALS_PAGE, NULL);
  crm_deals_page_set_store (CRM_DEALS_PAGE (f->page), f->ts->store);
  gtk_window_set_child (f->window, f->page);
  gtk_window_present (f->window);
  wait_shown (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  iterate ();
  for (guint i = 0; i < G_N_ELEMENTS (f->deals); i++)
    g_clear_object (&f->deals[i]);
  crm_test_store_free (f->ts);
}

static const char *
label_text (Fixture    *f,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (get (f, id)));
}

static CrmDealColumn *
column (Fixture    *f,
        const char *id)
{
  return CRM_DEAL_COLUMN (get (f, id));
}

static guint
n_cards (Fixture    *f,
         const char *id)
{
  return g_list_model_get_n_items (G_LIST_MODEL (crm_deal_column_get_model (column (f, id))));
}

static CrmDealStage
stored_stage (Fixture *f,
              CrmDeal *deal)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDeal) stored = crm_store_get_deal (f->ts->store, crm_deal_get_id (deal), &error);

  g_assert_no_error (error);
  return crm_deal_get_stage (stored);
}

static void
test_board_totals (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_cmpuint (n_cards (f, "column_lead"), ==, 1);
  g_assert_cmpuint (n_cards (f, "column_proposal"), ==, 2);
  g_assert_cmpuint (n_cards (f, "column_won"), ==, 1);
  g_assert_cmpuint (n_cards (f, "column_lost"), ==, 0);

  /* open: 1,000.00 + 2,500.50 + 9.99; forecast: 100.00 + 1,250.25 + 4.995 = 1,355.245, rounded down once → 1,355.24 */
  g_assert_cmpstr (label_text (f, "open_value"), ==, "¥3,510.49");
  g_assert_cmpstr (label_text (f, "forecast_value"), ==, "¥1,355.24");
  g_assert_cmpstr (label_text (f, "won_value"), ==, "¥70,000.00");
  /* the exact amount in the tooltip too, where Chinese shows ¥7.0万 */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (get (f, "won_value")), ==, "¥70,000.00");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (get (f, "open_value")), ==, "¥3,510.49");
  g_assert_cmpstr (label_text (f, "summary_label") /* the first column's */, ==,
                   "1 deal\n¥1,000.00");
}

static void
test_stage_keys_follow (Fixture       *f,
                        gconstpointer  data)
{
  g_assert_true (crm_deal_column_focus_position (column (f, "column_lead"), 0));
  iterate ();

  g_assert_true (gtk_widget_activate_action (f->page, "deals.next-stage", NULL));
  iterate ();
  g_assert_cmpint (stored_stage (f, f->deals[0]), ==, CRM_DEAL_QUALIFIED);
  g_assert_cmpuint (n_cards (f, "column_lead"), ==, 0);
  g_assert_cmpuint (n_cards (f, "column_qualified"), ==, 1);
  /* the selection followed the deal: the next key moves it again */
  g_assert_cmpstr (crm_deal_get_id (crm_deal_column_get_selected (column (f, "column_qualified"))),
                   ==, crm_deal_get_id (f->deals[0]));
  g_assert_true (gtk_widget_activate_action (f->page, "deals.next-stage", NULL));
  iterate ();
  g_assert_cmpint (stored_stage (f, f->deals[0]), ==, CRM_DEAL_PROPOSAL);
  /* a moved deal goes to the top of its new column */
  g_assert_cmpuint (crm_deal_column_get_selected_position (column (f, "column_proposal")), ==, 0);

  g_assert_true (gtk_widget_activate_action (f->page, "deals.previous-stage", NULL));
  iterate ();
  g_assert_cmpint (stored_stage (f, f->deals[0]), ==, CRM_DEAL_QUALIFIED);

  g_assert_true (gtk_widget_activate_action (f->page, "deals.won", NULL));
  iterate ();
  g_assert_cmpint (stored_stage (f, f->deals[0]), ==, CRM_DEAL_WON);
  g_assert_cmpstr (label_text (f, "won_value"), ==, "¥71,000.00");
  g_assert_cmpstr (label_text (f, "open_value"), ==, "¥2,510.49");
}

/* Shift+Ctrl+L's action on the card at @position of a column: the dialog
 * that asks why */
static AdwMessageDialog *
ask_lost (Fixture    *f,
          const char *column_id,
          guint       position)
{
  AdwMessageDialog *dialog;

  g_assert_true (crm_deal_column_focus_position (column (f, column_id), position));
  iterate ();
  g_assert_true (gtk_widget_activate_action (f->page, "deals.lost", NULL));
  iterate ();
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  return dialog;
}

static void
test_lost_needs_reason (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDeal) stored = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  /* the newest deal is on top of its column: Charlie */
  dialog = ask_lost (f, "column_proposal", 0);
  g_assert_cmpstr (crm_deal_get_title (crm_deal_column_get_selected (column (f, "column_proposal"))),
                   ==, "Charlie");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "lost"));
  entry = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "lost"));
  gtk_editable_set_text (GTK_EDITABLE (entry), " 价格太高 ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "lost"));
  adw_message_dialog_response (dialog, "lost");
  iterate ();

  stored = crm_store_get_deal (f->ts->store, crm_deal_get_id (f->deals[2]), &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_deal_get_stage (stored), ==, CRM_DEAL_LOST);
  g_assert_cmpstr (crm_deal_get_lost_reason (stored), ==, "价格太高");
  g_assert_cmpint (crm_deal_get_probability (stored), ==, 0);
  g_assert_cmpuint (n_cards (f, "column_lost"), ==, 1);
}

/* Enter in the reason's field answers the dialog and closes it */
static void
test_lost_reason_enter (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDeal) stored = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ask_lost (f, "column_lead", 0);
  entry = adw_message_dialog_get_extra_child (dialog);
  g_signal_emit_by_name (entry, "activate");     /* empty: nothing happens */
  iterate ();
  g_assert_true (crm_ui_find_message_dialog () == dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), "预算取消");
  g_signal_emit_by_name (entry, "activate");
  iterate ();
  g_assert_null (crm_ui_find_message_dialog ());
  stored = crm_store_get_deal (f->ts->store, crm_deal_get_id (f->deals[0]), &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_deal_get_stage (stored), ==, CRM_DEAL_LOST);
  g_assert_cmpstr (crm_deal_get_lost_reason (stored), ==, "预算取消");
}

/* the editor: a probability typed and not yet taken by its spin button
 * (no Enter, no Tab) is saved by Ctrl+Enter */
static void
test_editor_typed_probability (Fixture       *f,
                               gconstpointer  data)
{
  CrmDealEditor *editor = crm_deal_editor_new (f->window, f->ts->store);
  GtkWidget *spin;
  CrmDeal *saved = NULL;

  crm_deal_editor_start_new (editor, NULL, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  iterate ();
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (GTK_WIDGET (editor), "title_input")), "Typed");
  spin = crm_ui_find (GTK_WIDGET (editor), "probability_input");
  gtk_editable_set_text (GTK_EDITABLE (spin), "55");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 10);
  g_signal_connect_swapped (editor, "saved", G_CALLBACK (g_set_object), &saved);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "deal.save", NULL));
  iterate ();
  g_assert_nonnull (saved);
  g_assert_cmpstr (crm_deal_get_title (saved), ==, "Typed");
  g_assert_cmpint (crm_deal_get_probability (saved), ==, 55);
  g_clear_object (&saved);
}

/* Escape on a changed form asks before dropping what was typed; on an
 * unchanged one it just closes */
static void
test_editor_discard_asks (Fixture       *f,
                          gconstpointer  data)
{
  CrmDealEditor *editor = crm_deal_editor_new (f->window, f->ts->store);
  AdwMessageDialog *dialog;

  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *)&editor);
  crm_deal_editor_start_new (editor, NULL, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  iterate ();
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (GTK_WIDGET (editor), "title_input")), "Half typed");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "deal.cancel", NULL));
  iterate ();
  g_assert_nonnull (editor);
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "keep");
  gtk_window_close (GTK_WINDOW (dialog));
  iterate ();
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (crm_ui_find (GTK_WIDGET (editor), "title_input"))),
                   ==, "Half typed");

  /* the window's close button asks too; Discard closes */
  gtk_window_close (GTK_WINDOW (editor));
  iterate ();
  g_assert_nonnull (editor);
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  gtk_window_close (GTK_WINDOW (dialog));
  iterate ();
  g_assert_null (editor);

  /* nothing changed: Escape closes at once */
  editor = crm_deal_editor_new (f->window, f->ts->store);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *)&editor);
  crm_deal_editor_edit (editor, f->deals[1]);
  gtk_window_present (GTK_WINDOW (editor));
  iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "deal.cancel", NULL));
  iterate ();
  g_assert_null (editor);
  g_assert_null (crm_ui_find_message_dialog ());
}

/* the picker's matches show a mobile as people read it */
static void
test_editor_picker_phone (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (CrmContact) contact = crm_test_add (f->ts->store, "周八", "13912345678", "");
  CrmDealEditor *editor = crm_deal_editor_new (f->window, f->ts->store);
  GtkWidget *picker;
  gint64 deadline;

  crm_deal_editor_start_new (editor, NULL, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  iterate ();
  picker = crm_ui_get (GTK_WIDGET (editor), "contact_picker");
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_get (picker, "entry")), "周八");
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!crm_ui_has_label (picker, "139 1234 5678") && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (crm_ui_has_label (picker, "139 1234 5678"));
  g_assert_false (crm_ui_has_label (picker, "13912345678"));
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* the amount field shows the amount as people type it, saves it back
 * unchanged, and a too large amount says what the largest is */
static void
test_editor_amount (Fixture       *f,
                    gconstpointer  data)
{
  CrmDealEditor *editor = crm_deal_editor_new (f->window, f->ts->store);
  GtkWidget *amount;
  GtkWidget *error;
  CrmDeal *saved = NULL;

  crm_deal_editor_edit (editor, f->deals[1]);
  gtk_window_present (GTK_WINDOW (editor));
  iterate ();
  amount = crm_ui_find (GTK_WIDGET (editor), "amount_input");
  error = crm_ui_find (GTK_WIDGET (editor), "amount_error");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount)), ==, "2,500.50");

  gtk_editable_set_text (GTK_EDITABLE (amount), "92,233,720,368,547,758.08");
  g_signal_connect_swapped (editor, "saved", G_CALLBACK (g_set_object), &saved);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "deal.save", NULL));
  iterate ();
  g_assert_null (saved);
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), ==,
                   "The amount is too large: at most ¥92,233,720,368,547,758.07");

  /* the amount as loaded, another title: the amount is saved unchanged */
  gtk_editable_set_text (GTK_EDITABLE (amount), "2,500.50");
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (GTK_WIDGET (editor), "title_input")),
                         "Bravo II");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "deal.save", NULL));
  iterate ();
  g_assert_nonnull (saved);
  g_assert_cmpint (crm_deal_get_amount (saved), ==, 250050);
  g_clear_object (&saved);
}

static void
test_drop_on_column (Fixture       *f,
                     gconstpointer  data)
{
  gboolean accepted = FALSE;
  g_autoptr (CrmDeal) first = NULL;

  /* Alpha dropped on Bravo's card in proposal: just before it */
  g_signal_emit_by_name (column (f, "column_proposal"), "drop-deal",
                         crm_deal_get_id (f->deals[0]), f->deals[1], &accepted);
  iterate ();
  g_assert_true (accepted);
  g_assert_cmpint (stored_stage (f, f->deals[0]), ==, CRM_DEAL_PROPOSAL);
  g_assert_cmpuint (n_cards (f, "column_proposal"), ==, 3);
  g_assert_cmpuint (crm_deal_list_find (crm_deal_column_get_model (column (f, "column_proposal")),
                                        f->deals[0]) + 1,
                    ==,
                    crm_deal_list_find (crm_deal_column_get_model (column (f, "column_proposal")),
                                        f->deals[1]));

  /* on the empty part of a column: at its end */
  accepted = FALSE;
  g_signal_emit_by_name (column (f, "column_won"), "drop-deal",
                         crm_deal_get_id (f->deals[2]), NULL, &accepted);
  iterate ();
  g_assert_true (accepted);
  first = g_list_model_get_item (G_LIST_MODEL (crm_deal_column_get_model (column (f, "column_won"))), 1);
  g_assert_cmpstr (crm_deal_get_id (first), ==, crm_deal_get_id (f->deals[2]));
}

static CrmDeal *
list_item (GtkColumnView *view,
           guint          i)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  return g_list_model_get_item (model, i);
}

static void
test_list_sorting (Fixture       *f,
                   gconstpointer  data)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (get (f, "column_view"));
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr (GtkColumnViewColumn) title = g_list_model_get_item (columns, 0);
  g_autoptr (GtkColumnViewColumn) amount = g_list_model_get_item (columns, 2);
  g_autoptr (CrmDeal) top = NULL;
  g_autoptr (CrmDeal) last = NULL;
  g_autoptr (CrmDeal) alpha = NULL;
  gboolean descending = FALSE;
  CrmDealList *all;

  g_assert_true (gtk_widget_activate_action (f->page, "deals.presentation", "s", "list"));
  wait_shown (f);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (get (f, "presentation_stack"))),
                   ==, "list");
  all = CRM_DEAL_LIST (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (gtk_column_view_get_model (view))));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (all)), ==, 4);

  /* a click on a header, as GTK does it: the page reads it back and sorts in SQL */
  gtk_column_view_sort_by_column (view, amount, GTK_SORT_DESCENDING);
  iterate ();
  g_assert_cmpint (crm_deal_list_get_sort (all, &descending), ==, CRM_DEAL_SORT_AMOUNT);
  g_assert_true (descending);
  top = list_item (view, 0);
  last = list_item (view, 3);
  g_assert_cmpstr (crm_deal_get_title (top), ==, "Delta");
  g_assert_cmpstr (crm_deal_get_title (last), ==, "Charlie");

  gtk_column_view_sort_by_column (view, title, GTK_SORT_ASCENDING);
  iterate ();
  g_assert_cmpint (crm_deal_list_get_sort (all, &descending), ==, CRM_DEAL_SORT_TITLE);
  g_assert_false (descending);
  alpha = list_item (view, 0);
  g_assert_cmpstr (crm_deal_get_title (alpha), ==, "Alpha");
}

/* A card shows the expected close short, "Dec 31", never a cut "2026-1…" */
static void
test_card_short_date (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *this_year = g_strdup_printf ("%04d-12-31", g_date_time_get_year (now));
  g_autofree char *next_year = g_strdup_printf ("%04d-01-05", g_date_time_get_year (now) + 1);
  g_autofree char *next_shown = g_strdup_printf ("Jan 5, %d", g_date_time_get_year (now) + 1);
  GtkWidget *card = g_object_ref_sink (crm_deal_card_new ());
  GtkWidget *label;

  crm_deal_set_expected_close (f->deals[0], this_year);
  crm_deal_card_set_deal (CRM_DEAL_CARD (card), f->deals[0]);
  label = gtk_widget_get_first_child (card);
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "· Dec 31"));
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (label)), "-12-31"));

  crm_deal_set_expected_close (f->deals[0], next_year);
  crm_deal_card_set_deal (CRM_DEAL_CARD (card), f->deals[0]);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), next_shown));
  g_object_unref (card);
}

/* Ctrl+L with no deals: a status page, not an empty grid; it goes once
 * there is a deal and comes back when the last one is deleted */
static void
test_list_empty_state (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  GtkStack *stack;
  GtkWidget *empty;
  const char *name;
  gint64 deadline;

  for (guint i = 0; i < G_N_ELEMENTS (f->deals); i++)
    {
      g_assert_true (crm_store_delete_deal (f->ts->store, f->deals[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (gtk_widget_activate_action (f->page, "deals.presentation", "s", "list"));
  wait_shown (f);
  stack = GTK_STACK (get (f, "table_stack"));
  empty = get (f, "empty_page");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_true (gtk_widget_get_mapped (empty));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Deals Yet");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty)), ==,
                   "Press Ctrl+N to add one");

  g_clear_object (&f->deals[0]);
  f->deals[0] = add_deal (f, "Echo", 5000, CRM_DEAL_LEAD);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_strcmp0 ((name = gtk_stack_get_visible_child_name (stack)), "deals") != 0
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (name, ==, "deals");
  g_assert_true (gtk_widget_get_mapped (get (f, "column_view")));

  g_assert_true (crm_store_delete_deal (f->ts->store, f->deals[0], &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_strcmp0 ((name = gtk_stack_get_visible_child_name (stack)), "empty") != 0
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (name, ==, "empty");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add ("/deals-page/board-totals", Fixture, NULL, fixture_setup, test_board_totals,
              fixture_teardown);
  g_test_add ("/deals-page/stage-keys-follow", Fixture, NULL, fixture_setup,
              test_stage_keys_follow, fixture_teardown);
  g_test_add ("/deals-page/lost-needs-reason", Fixture, NULL, fixture_setup,
              test_lost_needs_reason, fixture_teardown);
  g_test_add ("/deals-page/lost-reason-enter", Fixture, NULL, fixture_setup,
              test_lost_reason_enter, fixture_teardown);
  g_test_add ("/deals-page/editor-typed-probability", Fixture, NULL, fixture_setup,
              test_editor_typed_probability, fixture_teardown);
  g_test_add ("/deals-page/editor-picker-phone", Fixture, NULL, fixture_setup,
              test_editor_picker_phone, fixture_teardown);
  g_test_add ("/deals-page/editor-amount", Fixture, NULL, fixture_setup,
              test_editor_amount, fixture_teardown);
  g_test_add ("/deals-page/editor-discard-asks", Fixture, NULL, fixture_setup,
              test_editor_discard_asks, fixture_teardown);
  g_test_add ("/deals-page/drop-on-column", Fixture, NULL, fixture_setup, test_drop_on_column,
              fixture_teardown);
  g_test_add ("/deals-page/list-sorting", Fixture, NULL, fixture_setup, test_list_sorting,
              fixture_teardown);
  g_test_add ("/deals-page/card-short-date", Fixture, NULL, fixture_setup,
              test_card_short_date, fixture_teardown);
  g_test_add ("/deals-page/list-empty-state", Fixture, NULL, fixture_setup,
              test_list_empty_state, fixture_teardown);
  return g_test_run ();
}
