/* crm-deal-table.c — the deals as a list with sortable columns
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView of every deal, newest first; a click on a header sorts by
 * that column, in SQL (CrmDealList). Each row says its deal when it has
 * the focus. One of the deals page's two views (CrmDealView).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-deal-card.h"
#include "crm-deal-list.h"
#include "crm-deal-table.h"
#include "crm-format.h"
#include "crm-row-focus.h"

typedef enum
{
  FIELD_TITLE,
  FIELD_CONTACT,
  FIELD_AMOUNT,
  FIELD_STAGE,
  FIELD_PROBABILITY,
  FIELD_CLOSE,
  FIELD_UPDATED,
  N_FIELDS
} Field;

struct _CrmDealTable
{
  GtkWidget           parent_instance;

  CrmDealList        *all;
  char               *query;       /* the search, or NULL */
  GtkSingleSelection *selection;
  GtkSorter          *field_sorters[N_FIELDS];
  int                 probed_field;
  CrmRowFocus         row_focus;

  GtkStack           *table_stack;
  GtkColumnView      *column_view;
};

static void crm_deal_table_view_init (CrmDealViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmDealTable, crm_deal_table, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CRM_TYPE_DEAL_VIEW,
                                                      crm_deal_table_view_init))

/* The rows of the list are the children of the column view's inner list. */
static GtkWidget *
rows_widget (CrmDealTable *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
focus_position (CrmDealTable *self,
                guint         position)
{
  GtkWidget *rows = rows_widget (self);

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  if (rows != NULL)
    crm_row_focus_start (&self->row_focus, rows, position);
}

static void
on_column_view_activate (CrmDealTable *self,
                         guint         position)
{
  g_autoptr (CrmDeal) deal = g_list_model_get_item (G_LIST_MODEL (self->all), position);

  if (deal != NULL)
    g_signal_emit_by_name (self, "activate-deal", deal);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Field field = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label),
                        field == FIELD_AMOUNT || field == FIELD_PROBABILITY ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (field == FIELD_AMOUNT || field == FIELD_PROBABILITY || field == FIELD_CLOSE)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static char *
field_text (CrmDeal *deal,
            Field    field)
{
  switch (field)
    {
    case FIELD_TITLE:
      return g_strdup (crm_deal_get_title (deal));
    case FIELD_CONTACT:
      return g_strdup (crm_deal_get_contact_name (deal));
    case FIELD_AMOUNT:
      return crm_format_money (crm_deal_get_amount (deal), "CNY");
    case FIELD_STAGE:
      return g_strdup (crm_deal_stage_get_label (crm_deal_get_stage (deal)));
    case FIELD_PROBABILITY:
      return g_strdup_printf ("%d%%", crm_deal_get_probability (deal));
    case FIELD_CLOSE:
      return g_strdup (crm_deal_get_expected_close (deal));
    case FIELD_UPDATED:
      return crm_format_timestamp (crm_deal_get_updated_at (deal), NULL);
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Field field = GPOINTER_TO_INT (user_data);
  CrmDeal *deal = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = field_text (deal, field);

  gtk_label_set_text (label, text ? text : "");
  if (field == FIELD_TITLE)
    {
      /* the row is what has the focus: it says the deal */
      g_autofree char *spoken = crm_deal_card_describe (deal);
      GtkWidget *cell = gtk_widget_get_parent (GTK_WIDGET (label));
      GtkWidget *row = cell ? gtk_widget_get_parent (cell) : NULL;

      gtk_accessible_update_property (GTK_ACCESSIBLE (row ? row : GTK_WIDGET (label)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
      if (row != NULL)
        crm_row_focus_mark_row (row, item);
    }
}

/* GTK 4.8's GtkColumnViewSorter cannot say which column it sorts by. Each
 * column's sorter notes when it is asked; asking the view's sorter to
 * compare two objects then reveals the first sort column and, by the sign
 * of the answer, its direction. The rows are sorted in SQL. */
static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  Field field = GPOINTER_TO_INT (user_data);
  CrmDealTable *self = g_object_get_data (G_OBJECT (a), "crm-deal-table");

  if (self != NULL && self->probed_field < 0)
    self->probed_field = field;
  return -1;
}

static void
on_sorter_changed (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   CrmDealTable    *self)
{
  static const CrmDealSort sorts[N_FIELDS] = {
    [FIELD_TITLE] = CRM_DEAL_SORT_TITLE,
    [FIELD_CONTACT] = CRM_DEAL_SORT_CONTACT,
    [FIELD_AMOUNT] = CRM_DEAL_SORT_AMOUNT,
    [FIELD_STAGE] = CRM_DEAL_SORT_STAGE,
    [FIELD_PROBABILITY] = CRM_DEAL_SORT_PROBABILITY,
    [FIELD_CLOSE] = CRM_DEAL_SORT_EXPECTED_CLOSE,
    [FIELD_UPDATED] = CRM_DEAL_SORT_UPDATED,
  };
  g_autoptr (GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  if (self->all == NULL)
    return;
  g_object_set_data (a, "crm-deal-table", self);
  self->probed_field = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (self->probed_field < 0 || order == GTK_ORDERING_EQUAL)
    crm_deal_list_set_sort (self->all, CRM_DEAL_SORT_UPDATED, TRUE);
  else
    crm_deal_list_set_sort (self->all, sorts[self->probed_field], order == GTK_ORDERING_LARGER);
}

static void
add_columns (CrmDealTable *self)
{
  static const struct { const char *title; gboolean expand; } fields[N_FIELDS] = {
    [FIELD_TITLE] = { N_("Title"), TRUE },
    [FIELD_CONTACT] = { N_("Customer"), TRUE },
    [FIELD_AMOUNT] = { N_("Amount"), FALSE },
    [FIELD_STAGE] = { N_("Stage"), FALSE },
    [FIELD_PROBABILITY] = { N_("Probability"), FALSE },
    [FIELD_CLOSE] = { N_("Expected Close"), FALSE },
    [FIELD_UPDATED] = { N_("Updated"), FALSE },
  };
  GtkWidget *rows;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(fields[i].title), factory);
      gtk_column_view_column_set_expand (column, fields[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      self->field_sorters[i] = GTK_SORTER (gtk_custom_sorter_new (probe_compare,
                                                                  GINT_TO_POINTER (i), NULL));
      gtk_column_view_column_set_sorter (column, self->field_sorters[i]);
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed), self, 0);
  /* newest first, and the header says so */
  {
    g_autoptr (GtkColumnViewColumn) updated =
      g_list_model_get_item (gtk_column_view_get_columns (self->column_view), FIELD_UPDATED);
    gtk_column_view_sort_by_column (self->column_view, updated, GTK_SORT_DESCENDING);
  }

  /* the rows are an inner list of the column view: name it too */
  rows = rows_widget (self);
  if (rows != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (rows), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Deals"), -1);
}

/* No deals: a status page says how to add one, instead of an empty grid */
static void
update_empty (CrmDealTable *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->all)) == 0;

  gtk_stack_set_visible_child_name (self->table_stack, empty ? "empty" : "deals");
}

static void
on_items_changed (CrmDealTable *self)
{
  update_empty (self);
}

/* CrmDealView ----------------------------------------------------------- */

static void
crm_deal_table_load (CrmDealView *view,
                     CrmStore    *store)
{
  CrmDealTable *self = CRM_DEAL_TABLE (view);

  if (self->all != NULL)
    return;
  self->all = crm_deal_list_new (store, CRM_DEAL_LIST_ALL_STAGES);
  crm_deal_list_set_sort (self->all, CRM_DEAL_SORT_UPDATED, TRUE);
  crm_deal_list_set_query (self->all, self->query);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->all)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->all, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);
  update_empty (self);
}

static gboolean
crm_deal_table_is_loaded (CrmDealView *view)
{
  return CRM_DEAL_TABLE (view)->all != NULL;
}

static CrmDeal *
crm_deal_table_get_selected (CrmDealView *view)
{
  CrmDealTable *self = CRM_DEAL_TABLE (view);

  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

static guint
crm_deal_table_get_selected_position (CrmDealView *view)
{
  CrmDealTable *self = CRM_DEAL_TABLE (view);

  return self->selection ? gtk_single_selection_get_selected (self->selection)
                         : GTK_INVALID_LIST_POSITION;
}

static gboolean
crm_deal_table_focus_deal (CrmDealView *view,
                           CrmDeal     *deal)
{
  CrmDealTable *self = CRM_DEAL_TABLE (view);
  guint pos = self->all ? crm_deal_list_find (self->all, deal) : G_MAXUINT;

  if (pos == G_MAXUINT)
    return FALSE;
  focus_position (self, pos);
  return TRUE;
}

static void
crm_deal_table_focus_near (CrmDealView *view,
                           guint        position)
{
  CrmDealTable *self = CRM_DEAL_TABLE (view);
  guint n = self->all ? g_list_model_get_n_items (G_LIST_MODEL (self->all)) : 0;

  if (n > 0 && position != GTK_INVALID_LIST_POSITION)
    focus_position (self, MIN (position, n - 1));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
crm_deal_table_focus (CrmDealView *view)
{
  gtk_widget_grab_focus (GTK_WIDGET (CRM_DEAL_TABLE (view)->column_view));
}

static void
crm_deal_table_cancel_focus (CrmDealView *view)
{
  crm_row_focus_cancel (&CRM_DEAL_TABLE (view)->row_focus);
}

/* Left and Right are the row's */
static gboolean
crm_deal_table_move_sideways (CrmDealView *view,
                              int          direction)
{
  return FALSE;
}

static void
crm_deal_table_view_init (CrmDealViewInterface *iface)
{
  iface->load = crm_deal_table_load;
  iface->is_loaded = crm_deal_table_is_loaded;
  iface->get_selected = crm_deal_table_get_selected;
  iface->get_selected_position = crm_deal_table_get_selected_position;
  iface->focus_deal = crm_deal_table_focus_deal;
  iface->focus_near = crm_deal_table_focus_near;
  iface->focus = crm_deal_table_focus;
  iface->cancel_focus = crm_deal_table_cancel_focus;
  iface->move_sideways = crm_deal_table_move_sideways;
}

/* ---------------------------------------------------------------------- */

/* the write-only "query" property: the deals page's search */
static void
crm_deal_table_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrmDealTable *self = CRM_DEAL_TABLE (object);

  if (prop_id != 1)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_free (self->query);
  self->query = g_value_dup_string (value);
  if (self->all != NULL)
    crm_deal_list_set_query (self->all, self->query);
}

static void
crm_deal_table_dispose (GObject *object)
{
  CrmDealTable *self = (CrmDealTable *)object;

  crm_row_focus_cancel (&self->row_focus);
  /* the column view re-sorts as it goes: no status page to update by then */
  if (self->all != NULL)
    g_signal_handlers_disconnect_by_func (self->all, on_items_changed, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_DEAL_TABLE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->all);
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_object (&self->field_sorters[i]);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (crm_deal_table_parent_class)->dispose (object);
}

static void
crm_deal_table_class_init (CrmDealTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_deal_table_dispose;
  object_class->set_property = crm_deal_table_set_property;
  g_object_class_install_property (object_class, 1,
                                   g_param_spec_string ("query", NULL, NULL, NULL,
                                                        G_PARAM_WRITABLE
                                                        | G_PARAM_STATIC_STRINGS));

  gtk_widget_class_set_template_from_resource (widget_class, "/co/xiaohe/Crm/crm-deal-table.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDealTable, table_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmDealTable, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);
}

static void
crm_deal_table_init (CrmDealTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_columns (self);
}
