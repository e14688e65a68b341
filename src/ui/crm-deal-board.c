/* crm-deal-board.c — the deals as a board, a column per stage
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Six lazy columns (CrmDealColumn), lead to lost, side by side, sharing the
 * width: at least 150 px each, so all six fit the default 1000 px window
 * (8 px between and around them: 6 × 150 + 56 = 956); narrower, the board
 * scrolls sideways and follows the focus, so the column with the focus is
 * always wholly in view (Left/Right, Tab, a click). One card is selected,
 * in the column with the focus. Left and Right (caught by the
 * page) go from column to column, to the card at the same height. Cards
 * dragged onto a column are handed on as ::drop-deal. One of the deals
 * page's two views (CrmDealView). The write-only "query" property (the
 * page's search) filters every column, now or when they are loaded.
 */
#include "config.h"

#include "crm-deal-board.h"
#include "crm-deal-column.h"

struct _CrmDealBoard
{
  GtkWidget          parent_instance;

  CrmDealColumn     *columns[CRM_DEAL_N_STAGES];
  CrmDealColumn     *current_column;
  char              *query;         /* the search, or NULL */
  guint              reveal_tick;   /* revealing the current column after layout */

  GtkScrolledWindow *board_scroller;
  GtkWidget         *board;
  CrmDealColumn     *column_lead;
  CrmDealColumn     *column_qualified;
  CrmDealColumn     *column_proposal;
  CrmDealColumn     *column_negotiation;
  CrmDealColumn     *column_won;
  CrmDealColumn     *column_lost;
};

enum {
  DROP_DEAL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void crm_deal_board_view_init (CrmDealViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmDealBoard, crm_deal_board, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CRM_TYPE_DEAL_VIEW,
                                                      crm_deal_board_view_init))

/**
 * crm_deal_board_set_totals:
 * @totals: the count and total of each stage, for the column headers
 */
void
crm_deal_board_set_totals (CrmDealBoard        *self,
                           const CrmDealTotals *totals)
{
  g_return_if_fail (CRM_IS_DEAL_BOARD (self));

  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    crm_deal_column_set_summary (self->columns[i], totals->count[i], totals->total[i]);
}

/* the board scrolled sideways as little as puts @column wholly in view,
 * with the gap beside it (bounds in the viewport's coordinates, which
 * scroll: the adjustment's value added gives the board's) */
static void
scroll_to (CrmDealBoard  *self,
           CrmDealColumn *column)
{
  GtkAdjustment *hadjustment = gtk_scrolled_window_get_hadjustment (self->board_scroller);
  GtkWidget *viewport = gtk_widget_get_parent (self->board);
  double gap = gtk_box_get_spacing (GTK_BOX (self->board));
  graphene_rect_t bounds;
  double x;

  if (viewport == NULL || gtk_widget_get_width (GTK_WIDGET (column)) == 0
      || !gtk_widget_compute_bounds (GTK_WIDGET (column), viewport, &bounds))
    return;
  x = bounds.origin.x + gtk_adjustment_get_value (hadjustment);
  gtk_adjustment_clamp_page (hadjustment, x - gap, x + bounds.size.width + gap);
}

static gboolean
reveal_after_layout (GtkWidget     *widget,
                     GdkFrameClock *clock,
                     gpointer       data)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (widget);

  self->reveal_tick = 0;
  if (self->current_column != NULL)
    scroll_to (self, self->current_column);
  return G_SOURCE_REMOVE;
}

/* The board scrolled sideways so that @column is in view (a focus given
 * while another window was active does not scroll it); again once the
 * next frame is laid out, as the focus may come before the first layout
 * or a resize. */
static void
reveal_column (CrmDealBoard  *self,
               CrmDealColumn *column)
{
  scroll_to (self, column);
  if (self->reveal_tick == 0)
    self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_after_layout,
                                                      NULL, NULL);
}

/* Only the newest request for the focus counts: a column still waiting
 * for its row to be laid out must not take the focus back later. */
static gboolean
focus_column_position (CrmDealBoard  *self,
                       CrmDealColumn *column,
                       guint          position)
{
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    crm_deal_column_cancel_focus (self->columns[i]);
  if (!crm_deal_column_focus_position (column, position))
    return FALSE;
  self->current_column = column;
  reveal_column (self, column);
  return TRUE;
}

/* One card selected on the board: the one in the column with the focus. */
static void
on_column_focus_enter (GtkEventControllerFocus *controller,
                       CrmDealBoard            *self)
{
  GtkWidget *column = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  self->current_column = CRM_DEAL_COLUMN (column);
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (self->columns[i] != self->current_column)
      crm_deal_column_unselect (self->columns[i]);
  /* however the focus came (Tab, a click), its column is in view */
  reveal_column (self, self->current_column);
}

static void
on_activate_deal (CrmDealBoard *self,
                  CrmDeal      *deal)
{
  g_signal_emit_by_name (self, "activate-deal", deal);
}

static gboolean
on_drop_deal (CrmDealBoard  *self,
              const char    *id,
              CrmDeal       *before,
              CrmDealColumn *column)
{
  gboolean accepted = FALSE;

  g_signal_emit (self, signals[DROP_DEAL], 0, id, before, crm_deal_column_get_stage (column),
                 &accepted);
  return accepted;
}

/* CrmDealView ----------------------------------------------------------- */

static void
crm_deal_board_load (CrmDealView *view,
                     CrmStore    *store)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (view);

  if (crm_deal_column_get_model (self->columns[0]) != NULL)
    return;
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    {
      g_autoptr (CrmDealList) deals = crm_deal_list_new (store, i);
      crm_deal_list_set_query (deals, self->query);
      crm_deal_column_set_model (self->columns[i], deals);
    }
}

static gboolean
crm_deal_board_is_loaded (CrmDealView *view)
{
  return crm_deal_column_get_model (CRM_DEAL_BOARD (view)->columns[0]) != NULL;
}

static CrmDeal *
crm_deal_board_get_selected (CrmDealView *view)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (view);

  if (self->current_column == NULL)
    return NULL;
  return crm_deal_column_get_selected (self->current_column);
}

static guint
crm_deal_board_get_selected_position (CrmDealView *view)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (view);

  if (self->current_column == NULL)
    return GTK_INVALID_LIST_POSITION;
  return crm_deal_column_get_selected_position (self->current_column);
}

static gboolean
crm_deal_board_focus_deal (CrmDealView *view,
                           CrmDeal     *deal)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (view);
  CrmDealColumn *column = self->columns[crm_deal_get_stage (deal)];
  CrmDealList *deals = crm_deal_column_get_model (column);
  guint pos = deals ? crm_deal_list_find (deals, deal) : G_MAXUINT;

  return pos != G_MAXUINT && focus_column_position (self, column, pos);
}

static void
crm_deal_board_focus_near (CrmDealView *view,
                           guint        position)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (view);
  CrmDealColumn *column = self->current_column;

  if (column != NULL && !focus_column_position (self, column, position))
    gtk_widget_grab_focus (GTK_WIDGET (column));
}

static void
crm_deal_board_focus (CrmDealView *view)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (view);
  guint pos;

  if (self->current_column == NULL)
    self->current_column = self->columns[0];
  pos = crm_deal_column_get_selected_position (self->current_column);
  if (focus_column_position (self, self->current_column,
                             pos == GTK_INVALID_LIST_POSITION ? 0 : pos))
    return;
  /* an empty column: the first with cards */
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (focus_column_position (self, self->columns[i], 0))
      return;
  gtk_widget_grab_focus (GTK_WIDGET (self->current_column));
}

static void
crm_deal_board_cancel_focus (CrmDealView *view)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (view);

  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    crm_deal_column_cancel_focus (self->columns[i]);
}

/* Left and Right go from column to column, to the card at the same height
 * in the next column with cards in that direction. */
static gboolean
crm_deal_board_move_sideways (CrmDealView *view,
                              int          direction)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (view);
  int index = -1;
  guint pos;

  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (crm_deal_column_has_focus (self->columns[i]))
      index = i;
  if (index < 0)
    return FALSE;

  pos = crm_deal_column_get_selected_position (self->columns[index]);
  if (pos == GTK_INVALID_LIST_POSITION)
    pos = 0;
  for (int i = index + direction; i >= 0 && i < CRM_DEAL_N_STAGES; i += direction)
    if (focus_column_position (self, self->columns[i], pos))
      return TRUE;
  return TRUE;
}

static void
crm_deal_board_view_init (CrmDealViewInterface *iface)
{
  iface->load = crm_deal_board_load;
  iface->is_loaded = crm_deal_board_is_loaded;
  iface->get_selected = crm_deal_board_get_selected;
  iface->get_selected_position = crm_deal_board_get_selected_position;
  iface->focus_deal = crm_deal_board_focus_deal;
  iface->focus_near = crm_deal_board_focus_near;
  iface->focus = crm_deal_board_focus;
  iface->cancel_focus = crm_deal_board_cancel_focus;
  iface->move_sideways = crm_deal_board_move_sideways;
}

/* ---------------------------------------------------------------------- */

static void
crm_deal_board_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (object);

  if (prop_id != 1)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_free (self->query);
  self->query = g_value_dup_string (value);
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (self->columns[i] != NULL && crm_deal_column_get_model (self->columns[i]) != NULL)
      crm_deal_list_set_query (crm_deal_column_get_model (self->columns[i]), self->query);
}

static void
crm_deal_board_dispose (GObject *object)
{
  CrmDealBoard *self = CRM_DEAL_BOARD (object);

  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_tick);
  self->reveal_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (object), CRM_TYPE_DEAL_BOARD);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);

  g_clear_pointer (&CRM_DEAL_BOARD (object)->query, g_free);

  G_OBJECT_CLASS (crm_deal_board_parent_class)->dispose (object);
}

static void
crm_deal_board_class_init (CrmDealBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_deal_board_dispose;
  object_class->set_property = crm_deal_board_set_property;
  g_object_class_install_property (object_class, 1,
                                   g_param_spec_string ("query", NULL, NULL, NULL,
                                                        G_PARAM_WRITABLE
                                                        | G_PARAM_STATIC_STRINGS));

  /**
   * CrmDealBoard::drop-deal:
   * @id: the id of the deal dropped
   * @before: (nullable): the card it was dropped on, %NULL for the end
   * @stage: the stage of the column it was dropped on
   *
   * Returns: whether the move was made
   */
  signals[DROP_DEAL] =
    g_signal_new ("drop-deal", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_first_wins, NULL, NULL,
                  G_TYPE_BOOLEAN, 3, G_TYPE_STRING, CRM_TYPE_DEAL, G_TYPE_UINT);

  g_type_ensure (CRM_TYPE_DEAL_COLUMN);
  gtk_widget_class_set_template_from_resource (widget_class, "/co/xiaohe/Crm/crm-deal-board.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDealBoard, board_scroller);
  gtk_widget_class_bind_template_child (widget_class, CrmDealBoard, board);
  gtk_widget_class_bind_template_child (widget_class, CrmDealBoard, column_lead);
  gtk_widget_class_bind_template_child (widget_class, CrmDealBoard, column_qualified);
  gtk_widget_class_bind_template_child (widget_class, CrmDealBoard, column_proposal);
  gtk_widget_class_bind_template_child (widget_class, CrmDealBoard, column_negotiation);
  gtk_widget_class_bind_template_child (widget_class, CrmDealBoard, column_won);
  gtk_widget_class_bind_template_child (widget_class, CrmDealBoard, column_lost);
}

static void
crm_deal_board_init (CrmDealBoard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->columns[CRM_DEAL_LEAD] = self->column_lead;
  self->columns[CRM_DEAL_QUALIFIED] = self->column_qualified;
  self->columns[CRM_DEAL_PROPOSAL] = self->column_proposal;
  self->columns[CRM_DEAL_NEGOTIATION] = self->column_negotiation;
  self->columns[CRM_DEAL_WON] = self->column_won;
  self->columns[CRM_DEAL_LOST] = self->column_lost;
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();

      g_signal_connect (focus, "enter", G_CALLBACK (on_column_focus_enter), self);
      gtk_widget_add_controller (GTK_WIDGET (self->columns[i]), focus);
      g_signal_connect_object (self->columns[i], "activate-deal",
                               G_CALLBACK (on_activate_deal), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->columns[i], "drop-deal",
                               G_CALLBACK (on_drop_deal), self, G_CONNECT_SWAPPED);
    }
}
