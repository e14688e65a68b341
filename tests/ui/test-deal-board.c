/* test-deal-board.c — the board's six columns fit the window, or follow the focus
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real main window (crm_window_new()) under a real display, its deals
 * view with two deals in every stage. At the default 1000×700 and at
 * 1400 px (asked: the test display is 1280 px wide, which the window then
 * gets; wider only widens the columns), all six columns are wholly inside
 * the board's viewport at once, there is nothing to scroll, and no card is
 * cut (its label as wide as its text wants fits its column); in a
 * narrower window the board scrolls, and the column the focus moves to
 * (Right, column after column, and back with Left) is wholly in view each
 * time. Bounds are the widgets' own (gtk_widget_compute_bounds()), after
 * the layout of a real frame. And one selection on the board, on the
 * focused card: a focus moved to another card without selecting it (as
 * Ctrl+Down or Tab do) takes the selection along, and a move to the next
 * column leaves no selection behind.
 */
#include "config.h"

#include <adwaita.h>

#include "crm-deal-column.h"
#include "crm-deal-view.h"
#include "crm-deals-page.h"
#include "crm-window.h"

#include "crm-test-ui.h"
#include "crm-test-util.h"

static const char *const column_ids[CRM_DEAL_N_STAGES] = {
  "column_lead", "column_qualified", "column_proposal",
  "column_negotiation", "column_won", "column_lost",
};

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  GtkWidget    *board;
  GtkWidget    *scroller;
  GtkWidget    *columns[CRM_DEAL_N_STAGES];
} Fixture;

static void
add_deal (Fixture      *f,
          const char   *title,
          CrmDealStage  stage)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDeal) deal = crm_deal_new ();

  crm_deal_set_title (deal, title);
  crm_deal_set_amount (deal, 1757100);
  crm_deal_set_expected_close (deal, "2026-12-31");
  crm_deal_move_to_stage (deal, stage);
  if (stage == CRM_DEAL_LOST)
    crm_deal_set_lost_reason (deal, "Price");
  g_assert_true (crm_store_save_deal (f->ts->store, deal, &error));
  g_assert_no_error (error);
}

static gboolean
page_shown (gpointer data)
{
  Fixture *f = data;

  return crm_deals_page_is_shown (CRM_DEALS_PAGE (crm_ui_get (GTK_WIDGET (f->window),
                                                              "deals_page")));
}

static void
open_board (Fixture *f,
            int      width)
{
  f->ts = crm_test_store_new ();
  for (CrmDealStage stage = 0; stage < CRM_DEAL_N_STAGES; stage++)
    {
      g_autofree char *first = g_strdup_printf ("Deal %u", 2 * stage + 1);
      g_autofree char *second = g_strdup_printf ("Deal %u", 2 * stage + 2);

      add_deal (f, first, stage);
      add_deal (f, second, stage);
    }
  f->window = GTK_WINDOW (crm_window_new (NULL, f->ts->store));
  gtk_window_set_default_size (f->window, width, 700);
  gtk_window_present (f->window);
  crm_ui_iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.view", "s", "deals"));
  crm_test_wait_until (page_shown, f, 10);

  f->board = crm_ui_get (GTK_WIDGET (f->window), "board_view");
  f->scroller = crm_ui_get (f->board, "board_scroller");
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    f->columns[i] = crm_ui_get (f->board, column_ids[i]);
}

static void
close_board (Fixture *f)
{
  gtk_window_destroy (f->window);
  crm_ui_iterate ();
  crm_test_store_free (f->ts);
}

/* whether @column is laid out and wholly inside the board's viewport */
static gboolean
in_view (Fixture   *f,
         GtkWidget *column)
{
  graphene_rect_t bounds;

  if (gtk_widget_get_width (column) <= 0
      || !gtk_widget_compute_bounds (column, f->scroller, &bounds))
    return FALSE;
  return bounds.origin.x >= -0.5
         && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (f->scroller) + 0.5;
}

typedef struct
{
  Fixture   *f;
  GtkWidget *column;
} Wanted;

/* the column has the focus and is wholly in view */
static gboolean
focused_in_view (gpointer data)
{
  Wanted *w = data;

  return crm_deal_column_has_focus (CRM_DEAL_COLUMN (w->column)) && in_view (w->f, w->column);
}

/* Right from the first column to the last, then Left back: the focused
 * column is in view each time */
static void
walk_columns (Fixture *f)
{
  Wanted w = { f, f->columns[0] };

  crm_deal_view_focus (CRM_DEAL_VIEW (f->board));
  crm_test_wait_until (focused_in_view, &w, 10);
  for (int i = 1; i < CRM_DEAL_N_STAGES; i++)
    {
      g_assert_true (crm_deal_view_move_sideways (CRM_DEAL_VIEW (f->board), 1));
      w.column = f->columns[i];
      crm_test_wait_until (focused_in_view, &w, 10);
    }
  for (int i = CRM_DEAL_N_STAGES - 2; i >= 0; i--)
    {
      g_assert_true (crm_deal_view_move_sideways (CRM_DEAL_VIEW (f->board), -1));
      w.column = f->columns[i];
      crm_test_wait_until (focused_in_view, &w, 10);
    }
}

/* whether a card of @column is wider than its grid leaves it: the card's
 * label as wide as its text wants (its natural width, margins included)
 * plus the 6 px each side of a grid child (style.css) */
static gboolean
a_card_cut (GtkWidget *column)
{
  GtkWidget *grid = crm_ui_get (column, "list_view");

  for (GtkWidget *row = gtk_widget_get_first_child (grid); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *card = gtk_widget_get_first_child (row);
      GtkWidget *label = card ? gtk_widget_get_first_child (card) : NULL;
      int natural = 0;

      if (!GTK_IS_LABEL (label))
        continue;
      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      if (natural + 12 > gtk_widget_get_width (grid))
        {
          g_test_message ("cut: %d px wanted, %d px there: %s", natural + 12,
                          gtk_widget_get_width (grid), gtk_label_get_text (GTK_LABEL (label)));
          return TRUE;
        }
    }
  return FALSE;
}

/* no card of the board cut, once laid out */
static gboolean
all_cards_fit (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (a_card_cut (f->columns[i]))
      return FALSE;
  return TRUE;
}

/* at @width, every column at once, and nothing to scroll; no card cut
 * (¥17,571.00 on its line, then "10% · Dec 31") */
static void
test_all_fit (gconstpointer data)
{
  Fixture f = { 0 };
  GtkAdjustment *hadjustment;

  open_board (&f, GPOINTER_TO_INT (data));
  walk_columns (&f);
  hadjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (f.scroller));
  g_test_message ("board %d px wide, content %.0f px",
                  gtk_widget_get_width (f.scroller), gtk_adjustment_get_upper (hadjustment));
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), <=,
                     gtk_adjustment_get_page_size (hadjustment) + 0.5);
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    g_assert_true (in_view (&f, f.columns[i]));
  crm_test_wait_until (all_cards_fit, &f, 10);
  close_board (&f);
}

/* narrower than six columns: the board scrolls with the focus */
static void
test_scroll_follows_focus (void)
{
  Fixture f = { 0 };

  open_board (&f, 640);
  g_assert_false (in_view (&f, f.columns[CRM_DEAL_LOST]));
  walk_columns (&f);
  /* back at the first column, the last is out of view again */
  g_assert_false (in_view (&f, f.columns[CRM_DEAL_LOST]));
  close_board (&f);
}

/* the row of @column's grid showing the card at @position (the column
 * marks each row with its list item as it binds it) */
static GtkWidget *
row_at (GtkWidget *column,
        guint      position)
{
  for (GtkWidget *row = gtk_widget_get_first_child (crm_ui_get (column, "list_view"));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkListItem *item = g_object_get_data (G_OBJECT (row), "crm-deal-column-item");

      if (item != NULL && gtk_list_item_get_position (item) == position)
        return row;
    }
  return NULL;
}

static gboolean
first_card_focused (gpointer data)
{
  GtkWidget *column = data;
  GtkWidget *row = row_at (column, 0);

  return row != NULL && gtk_widget_has_focus (row);
}

static guint
n_selected_columns (Fixture *f)
{
  guint n = 0;

  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (crm_deal_column_get_selected_position (CRM_DEAL_COLUMN (f->columns[i]))
        != GTK_INVALID_LIST_POSITION)
      n++;
  return n;
}

/* the selected card is the focused one, in one column only */
static void
test_one_selection (void)
{
  Fixture f = { 0 };
  Wanted w = { &f, NULL };
  CrmDealColumn *lead;

  open_board (&f, 1000);
  lead = CRM_DEAL_COLUMN (f.columns[CRM_DEAL_LEAD]);
  w.column = f.columns[CRM_DEAL_LEAD];
  crm_deal_view_focus (CRM_DEAL_VIEW (f.board));
  crm_test_wait_until (focused_in_view, &w, 10);
  crm_test_wait_until (first_card_focused, f.columns[CRM_DEAL_LEAD], 10);
  g_assert_cmpuint (crm_deal_column_get_selected_position (lead), ==, 0);

  /* the focus to the second card's row, as Tab or Ctrl+Down move it:
   * the row, without selecting it */
  g_assert_nonnull (row_at (f.columns[CRM_DEAL_LEAD], 1));
  g_assert_true (gtk_widget_grab_focus (row_at (f.columns[CRM_DEAL_LEAD], 1)));
  crm_ui_iterate ();
  g_assert_cmpuint (crm_deal_column_get_selected_position (lead), ==, 1);
  g_assert_cmpuint (n_selected_columns (&f), ==, 1);

  /* Right: the next column's card, the only one selected */
  g_assert_true (crm_deal_view_move_sideways (CRM_DEAL_VIEW (f.board), 1));
  w.column = f.columns[CRM_DEAL_QUALIFIED];
  crm_test_wait_until (focused_in_view, &w, 10);
  crm_ui_iterate ();
  g_assert_cmpuint (crm_deal_column_get_selected_position (lead), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (n_selected_columns (&f), ==, 1);
  close_board (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_data_func ("/deal-board/all-fit/1000", GINT_TO_POINTER (1000), test_all_fit);
  g_test_add_data_func ("/deal-board/all-fit/1400", GINT_TO_POINTER (1400), test_all_fit);
  g_test_add_func ("/deal-board/scroll-follows-focus", test_scroll_follows_focus);
  g_test_add_func ("/deal-board/one-selection", test_one_selection);
  return g_test_run ();
}
