/* crm-deals-page.c — the sales pipeline: a board and a list of deals
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header adds up the open pipeline, the weighted forecast and what was
 * won this month; the board (CrmDealBoard) has a lazy column per stage,
 * the list (CrmDealTable) a GtkColumnView sorted in SQL. Keys: Ctrl+N new
 * deal, Enter opens, arrows move through cards and columns, Ctrl+Right and
 * Ctrl+Left move the selected deal to the next or previous stage,
 * Shift+Ctrl+W marks it won, Shift+Ctrl+L lost (asking why), Ctrl+Delete
 * deletes with an undo toast, Ctrl+B and Ctrl+L switch between board and
 * list, Ctrl+F searches the deals by title and customer (both views, by the
 * contact search's rule: crm_deal_list_set_query()), Escape ends it,
 * Shift+Ctrl+F logs a follow-up of the selected deal and its customer
 * (crm-followup-dialog.c). Cards can also be dragged between columns.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-deal-board.h"
#include "crm-deal-editor.h"
#include "crm-deal-table.h"
#include "crm-deals-page.h"
#include "crm-followup-dialog.h"
#include "crm-format.h"
#include "crm-lost-dialog.h"
#include "crm-undo.h"

struct _CrmDealsPage
{
  GtkWidget           parent_instance;

  CrmStore           *store;
  char               *presentation;
  CrmUndoQueue        undo;         /* CrmDeal */
  guint               totals_idle;
  guint               models_idle;
  gboolean            focus_pending;
  gboolean            paint_handler;
  CrmDeal            *saved_elsewhere;  /* saved from an editor over another view */

  AdwToastOverlay    *toast_overlay;
  AdwViewSwitcherTitle *window_title;
  GtkLabel           *open_value;
  GtkLabel           *forecast_value;
  GtkLabel           *won_value;
  GtkStack           *presentation_stack;
  CrmDealBoard       *board_view;
  CrmDealTable       *table_view;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
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

/* the presentation shown: the board or the list */
static CrmDealView *
shown_view (CrmDealsPage *self)
{
  if (g_strcmp0 (self->presentation, "list") == 0)
    return CRM_DEAL_VIEW (self->table_view);
  return CRM_DEAL_VIEW (self->board_view);
}

static void
toast_on (AdwToastOverlay *overlay,
          const char      *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (overlay, toast);
}

static void
show_toast (CrmDealsPage *self,
            const char   *message)
{
  toast_on (self->toast_overlay, message);
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
  /* ¥8,289.2万 in Chinese, the exact amount in the tooltip and read aloud */
  g_autofree char *shown = crm_format_money_short (fen);
  /* TRANSLATORS: a header figure read aloud, e.g. “Open pipeline: ¥1,200.00” */
  g_autofree char *spoken = g_strdup_printf (_("%s: %s"), name, money);

  gtk_label_set_text (label, shown);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), money);
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
  crm_deal_board_set_totals (self->board_view, &totals);
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    n += totals.count[i];
  {
    g_autofree char *number = crm_format_count (n);
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s deal", "%s deals", n), number);
  }
  adw_view_switcher_title_set_subtitle (self->window_title, count);
  return G_SOURCE_REMOVE;
}

static void
queue_totals (CrmDealsPage *self)
{
  if (self->totals_idle == 0)
    self->totals_idle = g_idle_add_full (G_PRIORITY_DEFAULT, update_totals, self, NULL);
}

static CrmDeal *
current_deal (CrmDealsPage *self)
{
  ensure_models (self);
  return crm_deal_view_get_selected (shown_view (self));
}

/* The deal, wherever it is now, selected and focused. */
static void
focus_deal (CrmDealsPage *self,
            CrmDeal      *deal)
{
  ensure_models (self);
  crm_deal_view_focus_deal (shown_view (self), deal);
}

/* A deal saved: said, and focused on the board. An editor opened over
 * another view (Alt+L in Contacts) leaves that view as it was: the toast
 * shows in the window's overlay, and the deal has the focus once the
 * deals are shown (view_focus()). */
static void
on_editor_saved (CrmDealsPage *self,
                 CrmDeal      *deal)
{
  g_autofree char *message = g_strdup_printf (_("“%s” saved"), crm_deal_get_title (deal));
  GtkWidget *outer = NULL;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      show_toast (self, message);
      focus_deal (self, deal);
      return;
    }
  g_set_object (&self->saved_elsewhere, deal);
  if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    outer = gtk_widget_get_ancestor (gtk_widget_get_parent (GTK_WIDGET (self)),
                                     ADW_TYPE_TOAST_OVERLAY);
  if (outer != NULL)
    toast_on (ADW_TOAST_OVERLAY (outer), message);
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
  return crm_deal_view_is_loaded (shown_view (self));
}

/* The focus to the deal last saved from an editor over another view, or
 * else to the selected card, or the first */
static void
view_focus (CrmDealsPage *self)
{
  g_autoptr (CrmDeal) saved = g_steal_pointer (&self->saved_elsewhere);

  if (saved == NULL || !crm_deal_view_focus_deal (shown_view (self), saved))
    crm_deal_view_focus (shown_view (self));
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
  view_focus (self);
}

static void
on_activate_deal (CrmDealsPage *self,
                  CrmDeal      *deal)
{
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
on_lost_reason (const char *reason,
                gpointer    user_data)
{
  LostRequest *request = user_data;
  CrmDealsPage *self = request->page;
  g_autoptr (GError) error = NULL;

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
  LostRequest *request = g_new0 (LostRequest, 1);

  request->page = g_object_ref (self);
  request->deal = crm_deal_copy (deal);
  request->before = before ? g_object_ref (before) : NULL;
  request->drop = drop;
  crm_lost_dialog_ask (GTK_WIDGET (self), deal, on_lost_reason, request, lost_request_free);
}

static gboolean
on_drop_deal (CrmDealsPage *self,
              const char   *id,
              CrmDeal      *before,
              CrmDealStage  stage)
{
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (GError) error = NULL;

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

/* the search: both views, so that switching keeps it */
static void
set_query (CrmDealsPage *self,
           const char   *query)
{
  g_object_set (self->board_view, "query", query, NULL);
  g_object_set (self->table_view, "query", query, NULL);
}

static void
on_search_changed (CrmDealsPage *self)
{
  set_query (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_search_stop (CrmDealsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  set_query (self, NULL);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  crm_deal_view_focus (shown_view (self));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  /* a query already typed is selected: typing replaces it */
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
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
on_followup_saved (CrmDealsPage *self,
                   CrmFollowup  *followup)
{
  crm_followup_dialog_toast_logged (self->toast_overlay, self->store, followup);
}

/* Shift+Ctrl+F: a follow-up of the selected deal and its customer */
static void
log_followup_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (widget);
  CrmDeal *deal = current_deal (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *contact_id;
  CrmFollowupDialog *dialog;

  if (deal == NULL)
    return;
  contact_id = crm_deal_get_contact_id (deal);
  if (contact_id == NULL || *contact_id == '\0')
    {
      show_toast (self, _("This deal has no customer: choose one before logging a follow-up"));
      return;
    }
  dialog = crm_followup_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store,
                                    NULL, contact_id, crm_deal_get_id (deal));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_followup_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
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
  guint pos;

  if (current == NULL)
    return;
  deal = g_object_ref (current);
  pos = crm_deal_view_get_selected_position (shown_view (self));
  if (!crm_store_delete_deal (self->store, deal, &error))
    {
      show_toast (self, error->message);
      return;
    }
  crm_undo_queue_push (&self->undo, deal, crm_deal_get_title (deal));
  gtk_widget_action_set_enabled (widget, "deals.undo", TRUE);

  /* the focus stays where the deleted deal was */
  crm_deal_view_focus_near (shown_view (self), pos);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmDealsPage *self = CRM_DEALS_PAGE (widget);
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (GError) error = NULL;

  deal = crm_undo_queue_pop (&self->undo);
  if (deal == NULL)
    return;
  gtk_widget_action_set_enabled (widget, "deals.undo", !crm_undo_queue_is_empty (&self->undo));
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
  GtkWidget *focus;
  int direction;

  if (keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left)
    direction = -1;
  else if (keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right)
    direction = 1;
  else
    return FALSE;

  /* in the search entry they move the cursor */
  focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->search_bar)))
    return FALSE;
  if (mods == GDK_CONTROL_MASK)
    {
      if (current_deal (self) == NULL)
        return FALSE;
      step_stage (self, direction);
      return TRUE;
    }
  if (mods != 0)
    return FALSE;
  return crm_deal_view_move_sideways (shown_view (self), direction);
}

static void
on_deals_changed (CrmDealsPage *self)
{
  queue_totals (self);
}

static void
set_presentation (CrmDealsPage *self,
                  const char   *presentation)
{
  if (g_strcmp0 (presentation, "list") != 0)
    presentation = "board";
  if (g_strcmp0 (self->presentation, presentation) == 0)
    return;
  /* the view left must not take the focus back later */
  crm_deal_view_cancel_focus (shown_view (self));
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
ensure_models (CrmDealsPage *self)
{
  if (self->store != NULL)
    crm_deal_view_load (shown_view (self), self->store);
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
      view_focus (self);
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

  crm_undo_queue_clear (&self->undo);
  g_clear_handle_id (&self->totals_idle, g_source_remove);
  g_clear_handle_id (&self->models_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_DEALS_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->saved_elsewhere);
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

  g_type_ensure (CRM_TYPE_DEAL_BOARD);
  g_type_ensure (CRM_TYPE_DEAL_TABLE);
  gtk_widget_class_set_template_from_resource (widget_class, "/co/xiaohe/Crm/crm-deals-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, open_value);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, forecast_value);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, won_value);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, presentation_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, board_view);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, table_view);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmDealsPage, search_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_deal);
  gtk_widget_class_bind_template_callback (widget_class, on_drop_deal);

  gtk_widget_class_install_action (widget_class, "deals.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "deals.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "deals.next-stage", NULL, next_stage_action);
  gtk_widget_class_install_action (widget_class, "deals.previous-stage", NULL,
                                   previous_stage_action);
  gtk_widget_class_install_action (widget_class, "deals.won", NULL, won_action);
  gtk_widget_class_install_action (widget_class, "deals.lost", NULL, lost_action);
  gtk_widget_class_install_action (widget_class, "deals.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "deals.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "deals.search", NULL, search_action);
  gtk_widget_class_install_property_action (widget_class, "deals.presentation", "presentation");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "deals.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "deals.won", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "deals.lost", NULL);
  gtk_widget_class_install_action (widget_class, "deals.log-followup", NULL, log_followup_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "deals.log-followup", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                       "deals.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "deals.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "deals.search", NULL);
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
  gtk_widget_init_template (GTK_WIDGET (self));
  crm_undo_queue_init (&self->undo, self->toast_overlay, "deals.undo");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deals.undo", FALSE);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_captured), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
