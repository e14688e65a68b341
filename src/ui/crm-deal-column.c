/* crm-deal-column.c — one stage of the board
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stage's name, its count and total, and its deals as cards in a lazy
 * list (a CrmDealList: 50,000 deals in a column cost their ids, not their
 * rows). Cards can be dragged to another column; dropping one on a card
 * puts it before that card, on the empty part of a column at its end.
 *
 * The selected card is the focused one: however the focus moves to a card
 * (Tab into the column, Ctrl+Up/Down, a focus the list gave back to the
 * row it remembered), the selection follows it, so the board never shows
 * a selected card beside a focus ring on another (see also the board,
 * which clears the other columns' selection).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-deal-card.h"
#include "crm-deal-column.h"
#include "crm-format.h"
#include "crm-row-focus.h"

struct _CrmDealColumn
{
  GtkWidget           parent_instance;

  CrmDealStage        stage;
  CrmDealList        *deals;
  GtkSingleSelection *selection;
  CrmRowFocus         row_focus;

  GtkLabel           *stage_label;
  GtkLabel           *summary_label;
  GtkStack           *stack;
  GtkGridView        *list_view;  /* one column: GTK 4.8 keeps 33 rows of a grid, 200 of a list */
  GtkRoot            *root;       /* whose focus-widget is watched */
};

/* a row of the grid: the list item it shows (see bind_card()) */
#define ROW_ITEM_KEY "crm-deal-column-item"

G_DEFINE_FINAL_TYPE (CrmDealColumn, crm_deal_column, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STAGE,
  N_PROPS
};

enum {
  ACTIVATE_DEAL,
  DROP_DEAL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_state (CrmDealColumn *self)
{
  /* no model yet: blank, not “No deals” */
  guint n = self->deals ? g_list_model_get_n_items (G_LIST_MODEL (self->deals)) : 1;

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
on_list_activate (CrmDealColumn *self,
                  guint          position)
{
  g_autoptr (CrmDeal) deal = g_list_model_get_item (G_LIST_MODEL (self->deals), position);

  if (deal != NULL)
    g_signal_emit (self, signals[ACTIVATE_DEAL], 0, deal);
}

static CrmDealCard *
card_at (CrmDealColumn *self,
         GtkWidget     *widget,
         double         x,
         double         y)
{
  GtkWidget *picked = gtk_widget_pick (widget, x, y, GTK_PICK_DEFAULT);

  while (picked != NULL && !CRM_IS_DEAL_CARD (picked) && picked != widget)
    picked = gtk_widget_get_parent (picked);
  return picked != NULL && CRM_IS_DEAL_CARD (picked) ? CRM_DEAL_CARD (picked) : NULL;
}

/* one drag source for the column's cards, not one a card */
static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 CrmDealColumn *self)
{
  CrmDealCard *card = card_at (self, GTK_WIDGET (self->list_view), x, y);
  CrmDeal *deal = card ? crm_deal_card_get_deal (card) : NULL;

  if (deal == NULL)
    return NULL;
  g_object_set_data_full (G_OBJECT (source), "crm-card", g_object_ref (card), g_object_unref);
  return gdk_content_provider_new_typed (G_TYPE_STRING, crm_deal_get_id (deal));
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               CrmDealColumn *self)
{
  GtkWidget *card = g_object_get_data (G_OBJECT (source), "crm-card");
  g_autoptr (GdkPaintable) icon = card ? gtk_widget_paintable_new (card) : NULL;

  if (icon != NULL)
    gtk_drag_source_set_icon (source, icon, 0, 0);
}

static void
setup_card (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            CrmDealColumn            *self)
{
  GtkWidget *card = crm_deal_card_new ();

  gtk_list_item_set_child (item, card);
}

static void
bind_card (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           CrmDealColumn            *self)
{
  GtkWidget *card = gtk_list_item_get_child (item);
  GtkWidget *row = gtk_widget_get_parent (card);

  crm_deal_card_set_deal (CRM_DEAL_CARD (card), gtk_list_item_get_item (item));
  /* the row is what has the focus: it says the deal */
  if (row != NULL)
    {
      g_autofree char *spoken = crm_deal_card_describe (gtk_list_item_get_item (item));

      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      spoken, -1);
      crm_row_focus_mark_row (row, item);
      g_object_set_data (G_OBJECT (row), ROW_ITEM_KEY, item);
    }
}

static void
unbind_card (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CrmDealColumn            *self)
{
  crm_deal_card_set_deal (CRM_DEAL_CARD (gtk_list_item_get_child (item)), NULL);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CrmDealColumn *self)
{
  CrmDealCard *card = card_at (self, GTK_WIDGET (self), x, y);
  CrmDeal *before = card ? crm_deal_card_get_deal (card) : NULL;
  gboolean accepted = FALSE;

  if (!G_VALUE_HOLDS_STRING (value) || g_value_get_string (value) == NULL)
    return FALSE;
  if (before != NULL && g_strcmp0 (crm_deal_get_id (before), g_value_get_string (value)) == 0)
    return FALSE; /* dropped on itself */
  g_signal_emit (self, signals[DROP_DEAL], 0, g_value_get_string (value), before, &accepted);
  return accepted;
}

/* Forgets a focus still on its way (see crm-row-focus.c): another column,
 * or another card, is to have it now. */
void
crm_deal_column_cancel_focus (CrmDealColumn *self)
{
  g_return_if_fail (CRM_IS_DEAL_COLUMN (self));
  crm_row_focus_cancel (&self->row_focus);
}

gboolean
crm_deal_column_focus_position (CrmDealColumn *self,
                                guint          position)
{
  guint n;

  g_return_val_if_fail (CRM_IS_DEAL_COLUMN (self), FALSE);

  n = self->deals ? g_list_model_get_n_items (G_LIST_MODEL (self->deals)) : 0;
  if (n == 0)
    return FALSE;
  position = MIN (position, n - 1);
  gtk_single_selection_set_selected (self->selection, position);
  crm_row_focus_start (&self->row_focus, GTK_WIDGET (self->list_view), position);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
  return TRUE;
}

gboolean
crm_deal_column_has_focus (CrmDealColumn *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
}

CrmDealStage
crm_deal_column_get_stage (CrmDealColumn *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_COLUMN (self), CRM_DEAL_LEAD);
  return self->stage;
}

CrmDealList *
crm_deal_column_get_model (CrmDealColumn *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_COLUMN (self), NULL);
  return self->deals;
}

CrmDeal *
crm_deal_column_get_selected (CrmDealColumn *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_COLUMN (self), NULL);
  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

void
crm_deal_column_unselect (CrmDealColumn *self)
{
  g_return_if_fail (CRM_IS_DEAL_COLUMN (self));
  if (self->selection != NULL)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

guint
crm_deal_column_get_selected_position (CrmDealColumn *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_COLUMN (self), GTK_INVALID_LIST_POSITION);
  return self->selection ? gtk_single_selection_get_selected (self->selection)
                         : GTK_INVALID_LIST_POSITION;
}

void
crm_deal_column_set_summary (CrmDealColumn *self,
                             guint          count,
                             gint64         total)
{
  g_autofree char *money = crm_format_money (total, "CNY");
  g_autofree char *number = crm_format_count (count);
  g_autofree char *deals = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (CRM_IS_DEAL_COLUMN (self));

  /* TRANSLATORS: under a stage's name: how many deals (%s is the number,
   * grouped: 50,000) */
  deals = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s deal", "%s deals", count), number);
  summary = g_strconcat (deals, "\n", money, NULL);
  gtk_label_set_text (self->summary_label, summary);
  /* TRANSLATORS: a board column read aloud: stage, count, total */
  name = g_strdup_printf (_("%s: %s · %s"), crm_deal_stage_get_label (self->stage), deals, money);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

void
crm_deal_column_set_model (CrmDealColumn *self,
                           CrmDealList   *deals)
{
  g_return_if_fail (CRM_IS_DEAL_COLUMN (self));
  g_return_if_fail (CRM_IS_DEAL_LIST (deals));

  g_set_object (&self->deals, deals);
  g_clear_object (&self->selection);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (deals)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (deals, "items-changed", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  update_state (self);
}

GtkWidget *
crm_deal_column_new (CrmDealStage stage)
{
  return g_object_new (CRM_TYPE_DEAL_COLUMN, "stage", stage, NULL);
}

static void
crm_deal_column_constructed (GObject *object)
{
  CrmDealColumn *self = CRM_DEAL_COLUMN (object);

  G_OBJECT_CLASS (crm_deal_column_parent_class)->constructed (object);
  gtk_label_set_text (self->stage_label, crm_deal_stage_get_label (self->stage));
  crm_deal_column_set_summary (self, 0, 0);
}

static void
crm_deal_column_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmDealColumn *self = CRM_DEAL_COLUMN (object);

  switch (prop_id)
    {
    case PROP_STAGE:
      self->stage = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_deal_column_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmDealColumn *self = CRM_DEAL_COLUMN (object);

  switch (prop_id)
    {
    case PROP_STAGE:
      g_value_set_int (value, self->stage);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The focus moved in the window: a card of this column that has it is the
 * selected one. Not while crm-row-focus.c is still taking the focus to a
 * row (the list may show it first on the row it remembers). */
static void
on_root_focus_changed (CrmDealColumn *self)
{
  GtkWidget *focus = self->root ? gtk_root_get_focus (self->root) : NULL;
  GtkWidget *row = focus;
  GtkListItem *item;
  guint position;

  if (focus == NULL || self->selection == NULL || self->row_focus.tick != 0)
    return;
  while (row != NULL && gtk_widget_get_parent (row) != GTK_WIDGET (self->list_view))
    row = gtk_widget_get_parent (row);
  item = row ? g_object_get_data (G_OBJECT (row), ROW_ITEM_KEY) : NULL;
  if (item == NULL)
    return;
  position = gtk_list_item_get_position (item);
  if (position != GTK_INVALID_LIST_POSITION
      && position != gtk_single_selection_get_selected (self->selection))
    gtk_single_selection_set_selected (self->selection, position);
}

static void
crm_deal_column_root (GtkWidget *widget)
{
  CrmDealColumn *self = CRM_DEAL_COLUMN (widget);

  GTK_WIDGET_CLASS (crm_deal_column_parent_class)->root (widget);
  self->root = gtk_widget_get_root (widget);
  g_signal_connect_object (self->root, "notify::focus-widget",
                           G_CALLBACK (on_root_focus_changed), self, G_CONNECT_SWAPPED);
}

static void
crm_deal_column_unroot (GtkWidget *widget)
{
  CrmDealColumn *self = CRM_DEAL_COLUMN (widget);

  if (self->root != NULL)
    g_signal_handlers_disconnect_by_func (self->root, on_root_focus_changed, self);
  self->root = NULL;
  GTK_WIDGET_CLASS (crm_deal_column_parent_class)->unroot (widget);
}

static void
crm_deal_column_dispose (GObject *object)
{
  CrmDealColumn *self = (CrmDealColumn *)object;

  crm_row_focus_cancel (&self->row_focus);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_DEAL_COLUMN);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->deals);

  G_OBJECT_CLASS (crm_deal_column_parent_class)->dispose (object);
}

static void
crm_deal_column_class_init (CrmDealColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_deal_column_constructed;
  object_class->set_property = crm_deal_column_set_property;
  object_class->get_property = crm_deal_column_get_property;
  object_class->dispose = crm_deal_column_dispose;
  widget_class->root = crm_deal_column_root;
  widget_class->unroot = crm_deal_column_unroot;

  properties[PROP_STAGE] =
    g_param_spec_int ("stage", NULL, NULL, 0, CRM_DEAL_N_STAGES - 1, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmDealColumn::activate-deal:
   * @deal: the deal Enter or a double click was on
   */
  signals[ACTIVATE_DEAL] =
    g_signal_new ("activate-deal", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CRM_TYPE_DEAL);

  /**
   * CrmDealColumn::drop-deal:
   * @id: the id of the deal dropped on this column
   * @before: (nullable): the card it was dropped on, %NULL for the end
   *
   * Returns: whether the move was made
   */
  signals[DROP_DEAL] =
    g_signal_new ("drop-deal", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_first_wins, NULL, NULL,
                  G_TYPE_BOOLEAN, 2, G_TYPE_STRING, CRM_TYPE_DEAL);

  gtk_widget_class_set_template_from_resource (widget_class, "/co/xiaohe/Crm/crm-deal-column.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDealColumn, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealColumn, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealColumn, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmDealColumn, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
}

static void
crm_deal_column_init (CrmDealColumn *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  GtkDragSource *drag = gtk_drag_source_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_card), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card), self);
  gtk_grid_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
