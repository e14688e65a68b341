/* crm-deals-page.c — the sales pipeline: a board and a list of deals
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header adds up the open pipeline, the weighted forecast and what was
 * won this month; the board has a lazy column per stage, the list a
 * GtkColumnView sorted in SQL. Keys: Ctrl+N new deal, Enter opens, arrows
 * move through cards and columns, Ctrl+Right and Ctrl+Left move the
 * selected deal to the next or previous stage, Shift+Ctrl+W marks it won,
 * Shift+Ctrl+L lost (asking why), Ctrl+Delete deletes with an undo toast,
 * Ctrl+B and Ctrl+L switch between board and list. Cards can also be
 * dragged between columns.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-deal-card.h"
#include "crm-deal-column.h"
#include "crm-deal-editor.h"
#include "crm-deal-list.h"
#include "crm-deals-page.h"
#include "crm-format.h"
#include "crm-row-focus.h"

#define MAX_UNDO 20

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

struct _CrmDealsPage
{
  GtkWidget           parent_instance;

  CrmStore           *store;
  CrmDealColumn      *columns[CRM_DEAL_N_STAGES];
  CrmDealColumn      *current_column;
  CrmDealList        *all;
  GtkSingleSelection *all_selection;
  GtkSorter          *field_sorters[N_FIELDS];
  int                 probed_field;
  char               *presentation;
  GPtrArray          *deleted;      /* CrmDeal, most recent last, for undo */
  AdwToast           *undo_toast;
  guint               totals_idle;
  CrmRowFocus         row_focus;    /* in the list */
  guint               models_idle;
  gboolean            focus_pending;
  gboolean            paint_handler;

  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkLabel           *open_value;
  GtkLabel           *forecast_value;
  GtkLabel           *won_value;
  GtkStack           *presentation_stack;
  GtkColumnView      *column_view;
  GtkScrolledWindow  *board_scroller;
  GtkWidget          *board;
  CrmDealColumn      *column_lead;
  CrmDealColumn      *column_qualified;
  CrmDealColumn      *column_proposal;
  CrmDealColumn      *column_negotiation;
  CrmDealColumn      *column_won;
  CrmDealColumn      *column_lost;
};

G_DEFINE_FINAL_TYPE (CrmDealsPage, crm_deals_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void     ensure_models      (CrmDealsPage *self);
static gboolean ensure_models_idle (gpointer      data);
static void     wait_for_first_frame (CrmDealsPage *self);

static gboolean
showing_list (CrmDealsPage *self)
{
  return g_strcmp0 (self->presentation, "list") == 0;
}

static void
show_toast (CrmDealsPage *self,
            const char   *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static char *
month_start_utc (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) start = g_date_time_new_local (g_date_time_get_year (now),
                                                       g_date_time_get_month (now), 1, 0, 0, 0);
  g_autoptr (GDateTime) utc = g_date_time_to_utc (start);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static void
set_figure (GtkLabel   *label,
            const char *name,
            gint64      fen)
{
  g_autofree char *money = crm_format_money (fen, "CNY");
  /* TRANSLATORS: a header figure read aloud, e.g. “Open pipeline: ¥1,200.00” */
  g_autofree char *spoken = g_strdup_printf (_("%s: %s"), name, money);

  gtk_label_set_text (label, money);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static gboolean
update_totals (gpointer user_data)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (user_data);
  g_autofree char *month = month_start_utc ();
  g_autoptr (GError) error = NULL;
  g_autofree char *count = NULL;
  CrmDealTotals totals;
  guint n = 0;

  self->totals_idle = 0;
  if (!crm_store_get_deal_totals (self->store, month, &totals, &error))
    {
      show_toast (self, error->message);
      return G_SOURCE_REMOVE;
    }
  set_figure (self->open_value, _("Open pipeline"), totals.open_total);
  set_figure (self->forecast_value, _("Weighted forecast"), totals.weighted);
  set_figure (self->won_value, _("Won this month"), totals.won_this_month);
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    {
      crm_deal_column_set_summary (self->columns[i], totals.count[i], totals.total[i]);
      n += totals.count[i];
    }
  {
    g_autofree char *number = crm_format_count (n);
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s deal", "%s deals", n), number);
  }
  adw_window_title_set_subtitle (self->window_title, count);
  return G_SOURCE_REMOVE;
}

static void
queue_totals (CrmDealsPage *self)
{
  if (self->totals_idle == 0)
    self->totals_idle = g_idle_add_full (G_PRIORITY_DEFAULT, update_totals, self, NULL);
}

/* The board scrolled sideways so that @column is in view (a focus given
 * while another window was active does not scroll it). */
static void
reveal_column (CrmDealsPage  *self,
               CrmDealColumn *column)
{
  GtkAdjustment *hadjustment = gtk_scrolled_window_get_hadjustment (self->board_scroller);
  graphene_rect_t bounds;

  if (gtk_widget_compute_bounds (GTK_WIDGET (column), GTK_WIDGET (self->board), &bounds))
    gtk_adjustment_clamp_page (hadjustment, bounds.origin.x,
                               bounds.origin.x + bounds.size.width);
}

/* Only the newest request for the focus counts: a column still waiting
 * for its row to be laid out must not take the focus back later. */
static gboolean
focus_column_position (CrmDealsPage  *self,
                       CrmDealColumn *column,
                       guint          position)
{
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    crm_deal_column_cancel_focus (self->columns[i]);
  crm_row_focus_cancel (&self->row_focus);
  if (!crm_deal_column_focus_position (column, position))
    return FALSE;
  self->current_column = column;
  reveal_column (self, column);
  return TRUE;
}

/* The rows of the list are the children of the column view's inner list. */
static GtkWidget *
rows_widget (CrmDealsPage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
focus_list_position (CrmDealsPage *self,
                     guint         position)
{
  GtkWidget *rows = rows_widget (self);

  gtk_single_selection_set_selected (self->all_selection, position);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  if (rows != NULL)
    crm_row_focus_start (&self->row_focus, rows, position);
}

static CrmDeal *
current_deal (CrmDealsPage *self)
{
  ensure_models (self);
  if (showing_list (self))
    return self->all_selection ? gtk_single_selection_get_selected_item (self->all_selection)
                               : NULL;
  if (self->current_column == NULL)
    return NULL;
  return crm_deal_column_get_selected (self->current_column);
}

/* The deal, wherever it is now, selected and focused. */
static void
focus_deal (CrmDealsPage *self,
            CrmDeal      *deal)
{
  ensure_models (self);
  if (showing_list (self))
    {
      guint pos = crm_deal_list_find (self->all, deal);

      if (pos == G_MAXUINT)
        return;
      focus_list_position (self, pos);
      return;
    }
  {
    CrmDealColumn *column = self->columns[crm_deal_get_stage (deal)];
    guint pos = crm_deal_list_find (crm_deal_column_get_model (column), deal);

    if (pos != G_MAXUINT)
      focus_column_position (self, column, pos);
  }
}

static void
on_editor_saved (CrmDealsPage *self,
                 CrmDeal      *deal)
{
  g_autofree char *message = g_strdup_printf (_("“%s” saved"), crm_deal_get_title (deal));

  show_toast (self, message);
  focus_deal (self, deal);
}

static CrmDealEditor *
make_editor (CrmDealsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  CrmDealEditor *editor = crm_deal_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               self->store);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self,
                           G_CONNECT_SWAPPED);
  return editor;
}

void
crm_deals_page_new_deal (CrmDealsPage *self,
                         const char   *contact_id,
                         const char   *contact_name)
{
  CrmDealEditor *editor;

  g_return_if_fail (CRM_IS_DEALS_PAGE (self));

  editor = make_editor (self);
  crm_deal_editor_start_new (editor, contact_id, contact_name);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
open_deal (CrmDealsPage *self,
           CrmDeal      *deal)
{
  CrmDealEditor *editor = make_editor (self);

  crm_deal_editor_edit (editor, deal);
  gtk_window_present (GTK_WINDOW (editor));
}

void
crm_deals_page_open_deal (CrmDealsPage *self,
                          const char   *deal_id)
{
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (CRM_IS_DEALS_PAGE (self));

  deal = crm_store_get_deal (self->store, deal_id, &error);
  if (deal == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  focus_deal (self, deal);
  open_deal (self, deal);
}

static gboolean
models_ready (CrmDealsPage *self)
{
  return showing_list (self) ? self->all != NULL
                             : crm_deal_column_get_model (self->columns[0]) != NULL;
}

static void
focus_now (CrmDealsPage *self)
{
  guint pos;

  if (showing_list (self))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
      return;
    }
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

/* The focus goes to the selected card, or the first; when the cards are
 * still to come (see wait_for_first_frame()), once they are there. */
void
crm_deals_page_focus (CrmDealsPage *self)
{
  g_return_if_fail (CRM_IS_DEALS_PAGE (self));

  if (!models_ready (self) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->focus_pending = TRUE;
      return;
    }
  ensure_models (self);
  focus_now (self);
}

static void
on_activate_deal (CrmDealsPage *self,
                  CrmDeal      *deal)
{
  open_deal (self, deal);
}

static void
on_column_view_activate (CrmDealsPage *self,
                         guint         position)
{
  g_autoptr (CrmDeal) deal = g_list_model_get_item (G_LIST_MODEL (self->all), position);

  if (deal != NULL)
    open_deal (self, deal);
}

/* Saves @deal in @stage (at the top of its column), then follows it. */
static void
move_to_stage (CrmDealsPage *self,
               CrmDeal      *deal,
               CrmDealStage  stage,
               const char   *lost_reason)
{
  g_autoptr (CrmDeal) moved = crm_deal_copy (deal);
  g_autoptr (GError) error = NULL;

  crm_deal_move_to_stage (moved, stage);
  if (lost_reason != NULL)
    crm_deal_set_lost_reason (moved, lost_reason);
  if (!crm_store_save_deal (self->store, moved, &error))
    {
      show_toast (self, error->message);
      return;
    }
  focus_deal (self, moved);
}

typedef struct
{
  CrmDealsPage *page;
  CrmDeal      *deal;
  CrmDeal      *before;
  gboolean      drop;
  GtkEntry     *entry;
} LostRequest;

static void
lost_request_free (gpointer data)
{
  LostRequest *request = data;

  g_object_unref (request->page);
  g_object_unref (request->deal);
  g_clear_object (&request->before);
  g_free (request);
}

static void
on_lost_reason_changed (GtkEditable      *entry,
                        AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "lost", *text != '\0');
}

static void
on_lost_entry_activate (GtkEntry         *entry,
                        AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  /* a response made by code does not close the dialog (libadwaita 1.2) */
  if (*text != '\0')
    {
      adw_message_dialog_response (dialog, "lost");
      gtk_window_close (GTK_WINDOW (dialog));
    }
}

static void
on_lost_response (AdwMessageDialog *dialog,
                  const char       *response,
                  LostRequest      *request)
{
  g_autofree char *reason = NULL;
  g_autoptr (GError) error = NULL;
  CrmDealsPage *self = request->page;

  if (g_strcmp0 (response, "lost") != 0)
    return;
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (request->entry))));
  if (!request->drop)
    {
      move_to_stage (self, request->deal, CRM_DEAL_LOST, reason);
      return;
    }
  crm_deal_set_lost_reason (request->deal, reason);
  if (!crm_store_move_deal (self->store, request->deal, CRM_DEAL_LOST, request->before, &error))
    show_toast (self, error->message);
  else
    focus_deal (self, request->deal);
}

/* A lost deal needs its reason: asked in a dialog, the move made after. */
static void
ask_lost_reason (CrmDealsPage *self,
                 CrmDeal      *deal,
                 gboolean      drop,
                 CrmDeal      *before)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  LostRequest *request = g_new0 (LostRequest, 1);
  GtkWidget *dialog;
  GtkWidget *entry;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Mark the Deal as Lost?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Why was “%s” lost? The reason is kept with the deal."),
                                  crm_deal_get_title (deal));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("For example: the price, a competitor"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Lost reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "lost", _("_Mark as Lost"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "lost",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "lost", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "lost");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  request->page = g_object_ref (self);
  request->deal = crm_deal_copy (deal);
  request->before = before ? g_object_ref (before) : NULL;
  request->drop = drop;
  request->entry = GTK_ENTRY (entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_lost_reason_changed), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (on_lost_entry_activate), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_lost_response), request,
                         (GClosureNotify)(void (*) (void))lost_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static gboolean
on_drop_deal (CrmDealsPage  *self,
              const char    *id,
              CrmDeal       *before,
              CrmDealColumn *column)
{
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (GError) error = NULL;
  CrmDealStage stage = crm_deal_column_get_stage (column);

  deal = crm_store_get_deal (self->store, id, &error);
  if (deal == NULL)
    {
      show_toast (self, error->message);
      return FALSE;
    }
  if (stage == CRM_DEAL_LOST && crm_deal_get_stage (deal) != CRM_DEAL_LOST)
    {
      ask_lost_reason (self, deal, TRUE, before);
      return TRUE;
    }
  if (!crm_store_move_deal (self->store, deal, stage, before, &error))
    {
      show_toast (self, error->message);
      return FALSE;
    }
  focus_deal (self, deal);
  return TRUE;
}

static void
step_stage (CrmDealsPage *self,
            int           direction)
{
  CrmDeal *deal = current_deal (self);
  CrmDealStage stage;

  if (deal == NULL)
    return;
  stage = crm_deal_get_stage (deal);
  if (direction > 0)
    {
      /* lead → qualified → proposal → negotiation → won; won and lost end it */
      if (!crm_deal_stage_is_open (stage))
        return;
      stage++;
    }
  else
    {
      /* back one stage; a won or lost deal reopens in negotiation */
      if (stage == CRM_DEAL_LEAD)
        return;
      stage = crm_deal_stage_is_open (stage) ? stage - 1 : CRM_DEAL_NEGOTIATION;
    }
  move_to_stage (self, deal, stage, NULL);
}

static void
next_stage_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  step_stage (CRM_DEALS_PAGE (widget), 1);
}

static void
previous_stage_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  step_stage (CRM_DEALS_PAGE (widget), -1);
}

static void
won_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (widget);
  CrmDeal *deal = current_deal (self);

  if (deal != NULL && crm_deal_get_stage (deal) != CRM_DEAL_WON)
    move_to_stage (self, deal, CRM_DEAL_WON, NULL);
}

static void
lost_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (widget);
  CrmDeal *deal = current_deal (self);

  if (deal != NULL && crm_deal_get_stage (deal) != CRM_DEAL_LOST)
    ask_lost_reason (self, deal, FALSE, NULL);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  crm_deals_page_new_deal (CRM_DEALS_PAGE (widget), NULL, NULL);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (widget);
  CrmDeal *deal = current_deal (self);

  if (deal != NULL)
    open_deal (self, deal);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (widget);
  CrmDeal *current = current_deal (self);
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  CrmDealColumn *column = self->current_column;
  guint pos;

  if (current == NULL)
    return;
  deal = g_object_ref (current);
  pos = showing_list (self) ? gtk_single_selection_get_selected (self->all_selection)
                            : crm_deal_column_get_selected_position (column);
  if (!crm_store_delete_deal (self->store, deal, &error))
    {
      show_toast (self, error->message);
      return;
    }
  g_ptr_array_add (self->deleted, g_object_ref (deal));
  if (self->deleted->len > MAX_UNDO)
    g_ptr_array_remove_index (self->deleted, 0);

  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  title = g_strdup_printf (_("“%s” deleted"), crm_deal_get_title (deal));
  self->undo_toast = adw_toast_new (title);
  g_object_add_weak_pointer (G_OBJECT (self->undo_toast), (gpointer *)&self->undo_toast);
  adw_toast_set_button_label (self->undo_toast, _("_Undo"));
  adw_toast_set_action_name (self->undo_toast, "deals.undo");
  adw_toast_set_priority (self->undo_toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (self->undo_toast, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, self->undo_toast);
  gtk_widget_action_set_enabled (widget, "deals.undo", TRUE);

  /* the focus stays where the deleted deal was */
  if (showing_list (self))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->all));
      if (n > 0 && pos != GTK_INVALID_LIST_POSITION)
        focus_list_position (self, MIN (pos, n - 1));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
    }
  else if (column != NULL && !focus_column_position (self, column, pos))
    gtk_widget_grab_focus (GTK_WIDGET (column));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (widget);
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (GError) error = NULL;

  if (self->deleted->len == 0)
    return;
  deal = g_ptr_array_steal_index (self->deleted, self->deleted->len - 1);
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  gtk_widget_action_set_enabled (widget, "deals.undo", self->deleted->len > 0);
  if (!crm_store_restore_deal (self->store, deal, &error))
    {
      show_toast (self, error->message);
      return;
    }
  focus_deal (self, deal);
}

/* Left and Right go from column to column on the board, to the card at
 * the same height; Ctrl+Left and Ctrl+Right move the deal itself. Caught
 * before the list, which would take them. */
static gboolean
on_key_captured (CrmDealsPage          *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);
  int direction;
  int index = -1;

  if (keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left)
    direction = -1;
  else if (keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right)
    direction = 1;
  else
    return FALSE;

  if (mods == GDK_CONTROL_MASK)
    {
      if (current_deal (self) == NULL)
        return FALSE;
      step_stage (self, direction);
      return TRUE;
    }
  if (mods != 0 || showing_list (self))
    return FALSE;

  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (crm_deal_column_has_focus (self->columns[i]))
      index = i;
  if (index < 0)
    return FALSE;

  {
    guint pos = crm_deal_column_get_selected_position (self->columns[index]);

    if (pos == GTK_INVALID_LIST_POSITION)
      pos = 0;
    /* the next column with cards in that direction */
    for (int i = index + direction; i >= 0 && i < CRM_DEAL_N_STAGES; i += direction)
      if (focus_column_position (self, self->columns[i], pos))
        return TRUE;
  }
  return TRUE;
}

/* One card selected on the board: the one in the column with the focus. */
static void
on_column_focus_enter (GtkEventControllerFocus *controller,
                       CrmDealsPage            *self)
{
  self->current_column = CRM_DEAL_COLUMN (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (self->columns[i] != self->current_column)
      crm_deal_column_unselect (self->columns[i]);
}

static void
on_deals_changed (CrmDealsPage *self)
{
  queue_totals (self);
}

/* The list presentation ------------------------------------------------ */

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

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Field field = GPOINTER_TO_INT (user_data);
  CrmDeal *deal = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch (field)
    {
    case FIELD_TITLE:
      text = g_strdup (crm_deal_get_title (deal));
      break;
    case FIELD_CONTACT:
      text = g_strdup (crm_deal_get_contact_name (deal));
      break;
    case FIELD_AMOUNT:
      text = crm_format_money (crm_deal_get_amount (deal), "CNY");
      break;
    case FIELD_STAGE:
      text = g_strdup (crm_deal_stage_get_label (crm_deal_get_stage (deal)));
      break;
    case FIELD_PROBABILITY:
      text = g_strdup_printf ("%d%%", crm_deal_get_probability (deal));
      break;
    case FIELD_CLOSE:
      text = g_strdup (crm_deal_get_expected_close (deal));
      break;
    case FIELD_UPDATED:
      text = crm_format_timestamp (crm_deal_get_updated_at (deal), NULL);
      break;
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
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
  CrmDealsPage *self = g_object_get_data (G_OBJECT (a), "crm-deals-page");

  if (self != NULL && self->probed_field < 0)
    self->probed_field = field;
  return -1;
}

static void
on_sorter_changed (GtkSorter    *sorter,
                   GtkSorterChange change,
                   CrmDealsPage *self)
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
  g_object_set_data (a, "crm-deals-page", self);
  self->probed_field = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (self->probed_field < 0 || order == GTK_ORDERING_EQUAL)
    crm_deal_list_set_sort (self->all, CRM_DEAL_SORT_UPDATED, TRUE);
  else
    crm_deal_list_set_sort (self->all, sorts[self->probed_field], order == GTK_ORDERING_LARGER);
}

static void
add_columns (CrmDealsPage *self)
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
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Deals"), -1);
}

/* ---------------------------------------------------------------------- */

static void
set_presentation (CrmDealsPage *self,
                  const char   *presentation)
{
  if (g_strcmp0 (presentation, "list") != 0)
    presentation = "board";
  if (g_strcmp0 (self->presentation, presentation) == 0)
    return;
  g_free (self->presentation);
  self->presentation = g_strdup (presentation);
  gtk_stack_set_visible_child_name (self->presentation_stack, presentation);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
  if (self->store != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      wait_for_first_frame (self);
      crm_deals_page_focus (self);
    }
}

/* The models are made when first shown: GTK 4.8 makes some 200 row
 * widgets for each list as soon as it has a model, so a start on the
 * contacts pays nothing for the board, and the board nothing for the list. */
static void
ensure_board (CrmDealsPage *self)
{
  if (self->store == NULL || crm_deal_column_get_model (self->columns[0]) != NULL)
    return;
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    {
      g_autoptr (CrmDealList) deals = crm_deal_list_new (self->store, i);
      crm_deal_column_set_model (self->columns[i], deals);
    }
}

static void
ensure_list (CrmDealsPage *self)
{
  if (self->store == NULL || self->all != NULL)
    return;
  self->all = crm_deal_list_new (self->store, CRM_DEAL_LIST_ALL_STAGES);
  crm_deal_list_set_sort (self->all, CRM_DEAL_SORT_UPDATED, TRUE);
  self->all_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->all)));
  gtk_single_selection_set_autoselect (self->all_selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->all_selection));
}

static void
ensure_models (CrmDealsPage *self)
{
  if (showing_list (self))
    ensure_list (self);
  else
    ensure_board (self);
}

void
crm_deals_page_set_store (CrmDealsPage *self,
                          CrmStore     *store)
{
  g_return_if_fail (CRM_IS_DEALS_PAGE (self));
  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  g_signal_connect_object (store, "deal-changed", G_CALLBACK (on_deals_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "deals-reset", G_CALLBACK (on_deals_changed), self,
                           G_CONNECT_SWAPPED);
  update_totals (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_models (self);
}

static gboolean
ensure_models_idle (gpointer data)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (data);

  self->models_idle = 0;
  ensure_models (self);
  if (self->focus_pending)
    {
      self->focus_pending = FALSE;
      focus_now (self);
    }
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock,
                CrmDealsPage  *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, self);
  self->paint_handler = FALSE;
  if (self->store != NULL && !models_ready (self) && self->models_idle == 0)
    self->models_idle = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, ensure_models_idle, self,
                                         NULL);
}

/* The models wait for the first frame painted after the page is shown:
 * that frame has the columns empty, their size known, and the cards follow
 * in the next (a start on the board: 196 ms to the cards, against 239 ms
 * with the models given at map; bench/bench-startup.py --deals). */
static void
wait_for_first_frame (CrmDealsPage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->paint_handler || self->store == NULL || models_ready (self) || clock == NULL)
    return;
  self->paint_handler = TRUE;
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_after_paint), self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
crm_deals_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (crm_deals_page_parent_class)->map (widget);
  wait_for_first_frame (CRM_DEALS_PAGE (widget));
}

/**
 * crm_deals_page_is_shown:
 *
 * Returns: whether the deals of the visible presentation are in it (for
 *   the start-up benchmark's probe)
 */
gboolean
crm_deals_page_is_shown (CrmDealsPage *self)
{
  g_return_val_if_fail (CRM_IS_DEALS_PAGE (self), FALSE);
  return models_ready (self);
}

static void
crm_deals_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      g_value_set_string (value, self->presentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_deals_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      set_presentation (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_deals_page_dispose (GObject *object)
{
  CrmDealsPage *self = (CrmDealsPage *)object;

  if (self->undo_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->undo_toast), (gpointer *)&self->undo_toast);
  self->undo_toast = NULL;
  g_clear_handle_id (&self->totals_idle, g_source_remove);
  crm_row_focus_cancel (&self->row_focus);
  g_clear_handle_id (&self->models_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_DEALS_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->all_selection);
  g_clear_object (&self->all);
  g_clear_object (&self->store);
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_object (&self->field_sorters[i]);
  g_clear_pointer (&self->deleted, g_ptr_array_unref);
  g_clear_pointer (&self->presentation, g_free);

  G_OBJECT_CLASS (crm_deals_page_parent_class)->dispose (object);
}

static void
crm_deals_page_class_init (CrmDealsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = crm_deals_page_get_property;
  object_class->set_property = crm_deals_page_set_property;
  object_class->dispose = crm_deals_page_dispose;
  widget_class->map = crm_deals_page_map;

  properties[PROP_PRESENTATION] =
    g_param_spec_string ("presentation", NULL, NULL, "board",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRM_TYPE_DEAL_COLUMN);
  gtk_widget_class_set_template_from_resource (widget_class, "/co/xiaohe/Crm/crm-deals-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, open_value);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, forecast_value);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, won_value);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, presentation_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, board_scroller);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, board);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, column_lead);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, column_qualified);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, column_proposal);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, column_negotiation);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, column_won);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, column_lost);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);

  gtk_widget_class_install_action (widget_class, "deals.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "deals.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "deals.next-stage", NULL, next_stage_action);
  gtk_widget_class_install_action (widget_class, "deals.previous-stage", NULL,
                                   previous_stage_action);
  gtk_widget_class_install_action (widget_class, "deals.won", NULL, won_action);
  gtk_widget_class_install_action (widget_class, "deals.lost", NULL, lost_action);
  gtk_widget_class_install_action (widget_class, "deals.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "deals.undo", NULL, undo_action);
  gtk_widget_class_install_property_action (widget_class, "deals.presentation", "presentation");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "deals.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "deals.won", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "deals.lost", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                       "deals.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "deals.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "deals.presentation", "s", "board");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "deals.presentation", "s", "list");
}

static void
crm_deals_page_init (CrmDealsPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->presentation = g_strdup ("board");
  self->deleted = g_ptr_array_new_with_free_func (g_object_unref);
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
  add_columns (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deals.undo", FALSE);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_captured), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
