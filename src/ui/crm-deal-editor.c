/* crm-deal-editor.c — the window to create or change one deal
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every field has a mnemonic; the customer is chosen by typing part of a
 * name, phone or company (CrmContactPicker). The amount takes what people
 * type (12,345.67, ¥12,345.67, 1.2万, 3亿) and is kept in fen. Ctrl+Enter
 * saves and closes, Shift+Ctrl+Enter saves and starts the next deal (for
 * the same customer when it was opened for one), Escape closes without
 * saving. A field that cannot be saved says why beside itself as it is
 * typed (once it was changed, or left by the focus), and keeps what was
 * typed; Save stays disabled while any field is wrong, and Ctrl+Enter then
 * shows every message and moves to the first wrong field. The checks are
 * core's (crm_validate_deal_field(), crm_money_parse()), run on every
 * change: a handful of string tests, far below a key press's budget. A
 * saved deal shows its follow-ups under the form
 * (crm-followup-timeline.c); Shift+Ctrl+F logs one, and a stage it moves
 * the deal to shows in the form at once.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-contact-picker.h"
#include "crm-deal-editor.h"
#include "crm-followup-timeline.h"
#include "crm-form.h"
#include "crm-format.h"
#include "crm-money.h"
#include "crm-validate.h"

struct _CrmDealEditor
{
  AdwWindow         parent_instance;

  CrmStore         *store;
  CrmDeal          *deal;          /* what is edited, NULL for a new deal */
  char             *preset_id;     /* the customer a new deal starts with */
  char             *preset_name;
  CrmDealStage      stage;
  gboolean          loading;
  gboolean          dirty;         /* changed since loaded */
  guint             touched;       /* bits of CrmDealField: checked as typed */
  gboolean          can_save;      /* deal.save is enabled */
  gboolean          can_save_new;  /* deal.save-and-new is enabled */
  guint             left;          /* bits of fields the focus left, to look at */
  guint             left_idle;

  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  GtkEntry         *title_input;
  GtkLabel         *title_error;
  GtkLabel         *customer_label;
  CrmContactPicker *contact_picker;
  GtkLabel         *customer_error;
  GtkEntry         *amount_input;
  GtkLabel         *amount_error;
  GtkDropDown      *stage_input;
  GtkSpinButton    *probability_input;
  GtkLabel         *probability_error;
  GtkEntry         *close_input;
  GtkLabel         *close_error;
  GtkLabel         *reason_label;
  GtkEntry         *reason_input;
  GtkLabel         *reason_error;
  GtkTextView      *notes_input;
  CrmFollowupTimeline *timeline;
};

G_DEFINE_FINAL_TYPE (CrmDealEditor, crm_deal_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define FIELD_BIT(field) (1u << (field))

/* the field an input edits, kept on the input (plus one: 0 is no field) */
#define FIELD_KEY "crm-deal-field"

static void     check_as_typed (CrmDealEditor *self);
static CrmDeal *apply          (CrmDealEditor *self);

/* The error line and the input of @field; the line is NULL for a field
 * that has none (the stage, the notes: a toast says it). */
static GtkWidget *
field_widgets (CrmDealEditor  *self,
               CrmDealField    field,
               GtkLabel      **label)
{
  switch (field)
    {
    case CRM_DEAL_FIELD_TITLE:
      *label = self->title_error;
      return GTK_WIDGET (self->title_input);
    case CRM_DEAL_FIELD_CONTACT:
      *label = self->customer_error;
      return crm_contact_picker_get_entry (self->contact_picker);
    case CRM_DEAL_FIELD_AMOUNT:
      *label = self->amount_error;
      return GTK_WIDGET (self->amount_input);
    case CRM_DEAL_FIELD_PROBABILITY:
      *label = self->probability_error;
      return GTK_WIDGET (self->probability_input);
    case CRM_DEAL_FIELD_EXPECTED_CLOSE:
      *label = self->close_error;
      return GTK_WIDGET (self->close_input);
    case CRM_DEAL_FIELD_LOST_REASON:
      *label = self->reason_error;
      return GTK_WIDGET (self->reason_input);
    case CRM_DEAL_FIELD_STAGE:
      *label = NULL;
      return GTK_WIDGET (self->stage_input);
    case CRM_DEAL_FIELD_NOTES:
    case CRM_DEAL_N_FIELDS:
    default:
      *label = NULL;
      return GTK_WIDGET (self->notes_input);
    }
}

static void
clear_errors (CrmDealEditor *self)
{
  for (CrmDealField field = 0; field < CRM_DEAL_N_FIELDS; field++)
    {
      GtkLabel *label;
      GtkWidget *input = field_widgets (self, field, &label);

      if (label != NULL)
        crm_form_show_error (label, input, NULL);
    }
}

static void
mark_dirty (CrmDealEditor *self)
{
  if (!self->loading)
    self->dirty = TRUE;
}

/* A change in a field: from now on it is checked as it is typed */
static void
on_field_changed (GtkEditable   *editable,
                  CrmDealEditor *self)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (editable), FIELD_KEY));

  if (self->loading)
    return;
  mark_dirty (self);
  if (field > 0)
    self->touched |= FIELD_BIT (field - 1);
  check_as_typed (self);
}

/* Enter in a field saves (the Save button is the default widget); while
 * Save is disabled, Enter shows every message and goes to the first
 * wrong field instead of doing nothing */
static void
on_field_activate (GtkEntry      *entry,
                   CrmDealEditor *self)
{
  g_autoptr (CrmDeal) deal = NULL;

  if (self->can_save || self->can_save_new)
    return;
  deal = apply (self);
  gtk_widget_error_bell (GTK_WIDGET (self));
}

/* The notes: too long a text says so on saving, in a toast */
static void
on_notes_changed (CrmDealEditor *self)
{
  if (self->loading)
    return;
  mark_dirty (self);
  check_as_typed (self);
}

/* Once the focus has settled: a field it left for another field of this
 * window counts as touched. Not when the window only stopped being the
 * active one (a dialog over it, another window): GTK sends the same
 * "leave" then, and the field keeps the focus. */
static gboolean
look_at_left_fields (gpointer data)
{
  CrmDealEditor *self = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  self->left_idle = 0;
  for (CrmDealField field = 0; field < CRM_DEAL_N_FIELDS; field++)
    {
      GtkLabel *label;
      GtkWidget *input = field_widgets (self, field, &label);

      if ((self->left & FIELD_BIT (field)) != 0 && gtk_window_is_active (GTK_WINDOW (self))
          && focus != NULL && focus != input && !gtk_widget_is_ancestor (focus, input)
          && gtk_widget_get_visible (input))
        self->touched |= FIELD_BIT (field);
    }
  self->left = 0;
  check_as_typed (self);
  return G_SOURCE_REMOVE;
}

/* The focus left a field: a field passed over empty says so too */
static void
on_field_left (GtkEventControllerFocus *controller,
               CrmDealEditor           *self)
{
  GtkWidget *input = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (input), FIELD_KEY));

  if (self->loading || field == 0)
    return;
  self->left |= FIELD_BIT (field - 1);
  if (self->left_idle == 0)
    self->left_idle = g_idle_add (look_at_left_fields, self);
}

static void
update_reason (CrmDealEditor *self)
{
  gboolean lost = self->stage == CRM_DEAL_LOST;

  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), lost);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_input), lost);
  if (!lost)
    gtk_widget_set_visible (GTK_WIDGET (self->reason_error), FALSE);
}

/* The probability as typed (the spin button takes it only on Enter or
 * when the focus leaves): FALSE when it is not a number from 0 to 100. */
static gboolean
read_probability (CrmDealEditor *self,
                  int           *percent)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->probability_input))));
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  *percent = 0;
  if (*text == '\0' || end == NULL || *end != '\0' || !(value >= 0 && value <= 100))
    return FALSE;
  *percent = (int)(value + 0.5);
  return TRUE;
}

/* The probability follows the stage unless it was set by hand. */
static void
on_stage_changed (CrmDealEditor *self)
{
  CrmDealStage stage = gtk_drop_down_get_selected (self->stage_input);
  int probability, next;

  if (stage >= CRM_DEAL_N_STAGES || stage == self->stage)
    return;
  /* a typed value counts only once the spin button has taken it; one that
   * is out of range stays as typed, beside its message */
  if (read_probability (self, &probability))
    {
      next = crm_deal_stage_next_probability (self->stage, stage, probability);
      if (next != probability)
        gtk_spin_button_set_value (self->probability_input, next);
    }
  mark_dirty (self);
  self->stage = stage;
  update_reason (self);
  /* a deal marked lost asks for its reason at once */
  if (stage == CRM_DEAL_LOST && !self->loading)
    self->touched |= FIELD_BIT (CRM_DEAL_FIELD_LOST_REASON);
  check_as_typed (self);
}

static void
set_notes (CrmDealEditor *self,
           const char    *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_input), text ? text : "", -1);
}

static char *
get_notes (CrmDealEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_input);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
load (CrmDealEditor *self,
      CrmDeal       *deal)
{
  g_autofree char *amount = NULL;

  self->loading = TRUE;
  self->touched = 0;
  self->left = 0;
  clear_errors (self);
  if (deal != NULL && crm_deal_get_amount (deal) > 0)
    {
      /* 17,571.00, which the amount field reads back exactly */
      amount = crm_format_money_edit (crm_deal_get_amount (deal));
    }
  gtk_editable_set_text (GTK_EDITABLE (self->title_input), deal ? crm_deal_get_title (deal) : "");
  if (deal != NULL)
    crm_contact_picker_set_contact (self->contact_picker, crm_deal_get_contact_id (deal),
                                    crm_deal_get_contact_name (deal));
  else
    crm_contact_picker_set_contact (self->contact_picker, self->preset_id, self->preset_name);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_input), amount ? amount : "");
  self->stage = deal ? crm_deal_get_stage (deal) : CRM_DEAL_LEAD;
  gtk_drop_down_set_selected (self->stage_input, self->stage);
  gtk_spin_button_set_value (self->probability_input,
                             deal ? crm_deal_get_probability (deal)
                                  : crm_deal_stage_default_probability (CRM_DEAL_LEAD));
  gtk_editable_set_text (GTK_EDITABLE (self->close_input),
                         deal ? crm_deal_get_expected_close (deal) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->reason_input),
                         deal ? crm_deal_get_lost_reason (deal) : "");
  set_notes (self, deal ? crm_deal_get_notes (deal) : "");
  update_reason (self);

  adw_window_title_set_title (self->window_title, deal ? _("Edit Deal") : _("New Deal"));
  adw_window_title_set_subtitle (self->window_title, deal ? crm_deal_get_title (deal) : "");
  gtk_window_set_title (GTK_WINDOW (self), deal ? _("Edit Deal") : _("New Deal"));
  crm_followup_timeline_show_deal (self->timeline, deal ? crm_deal_get_id (deal) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->timeline), deal != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deal.log-followup", deal != NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_input));
  self->loading = FALSE;
  self->dirty = FALSE;
  check_as_typed (self);
}

void
crm_deal_editor_edit (CrmDealEditor *self,
                      CrmDeal       *deal)
{
  g_return_if_fail (CRM_IS_DEAL_EDITOR (self));
  g_return_if_fail (CRM_IS_DEAL (deal));

  g_clear_object (&self->deal);
  self->deal = crm_deal_copy (deal);
  load (self, self->deal);
}

void
crm_deal_editor_start_new (CrmDealEditor *self,
                           const char    *contact_id,
                           const char    *contact_name)
{
  g_return_if_fail (CRM_IS_DEAL_EDITOR (self));

  g_clear_object (&self->deal);
  g_free (self->preset_id);
  g_free (self->preset_name);
  self->preset_id = g_strdup (contact_id);
  self->preset_name = g_strdup (contact_name);
  load (self, NULL);
}

/* Shows @message beside @field, or in a toast for a field that has no
 * place for it (the notes); NULL clears the field's line. */
static void
show_field_error (CrmDealEditor *self,
                  CrmDealField   field,
                  const char    *message)
{
  GtkLabel *label;
  GtkWidget *input = field_widgets (self, field, &label);

  if (label != NULL)
    crm_form_show_error (label, input, message);
  else if (message != NULL)
    {
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_timeout (toast, 6);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

/* Reads the form into a deal, as typed; what the amount field holds when
 * it does not read as an amount goes to @amount_message instead. */
static CrmDeal *
read_form (CrmDealEditor  *self,
           char          **amount_message)
{
  g_autoptr (CrmDeal) deal = self->deal ? crm_deal_copy (self->deal) : crm_deal_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *amount_text = g_strstrip (g_strdup (gtk_editable_get_text (
                                               GTK_EDITABLE (self->amount_input))));
  g_autofree char *notes = get_notes (self);
  gint64 fen = 0;
  int probability;

  *amount_message = NULL;
  if (*amount_text != '\0' && !crm_money_parse (amount_text, &fen, &error))
    {
      g_autofree char *limit = crm_format_money (G_MAXINT64, "CNY");

      if (g_error_matches (error, CRM_MONEY_ERROR, CRM_MONEY_ERROR_OVERFLOW))
        /* TRANSLATORS: %s is the largest amount, ¥92,233,720,368,547,758.07 */
        *amount_message = g_strdup_printf (_("The amount is too large: at most %s"), limit);
      else
        *amount_message = g_strdup (error->message);
    }
  read_probability (self, &probability);
  crm_deal_set_title (deal, gtk_editable_get_text (GTK_EDITABLE (self->title_input)));
  crm_deal_set_contact_id (deal, crm_contact_picker_get_contact_id (self->contact_picker));
  crm_deal_set_amount (deal, fen);
  crm_deal_set_stage (deal, self->stage);
  crm_deal_set_probability (deal, probability);
  crm_deal_set_expected_close (deal, gtk_editable_get_text (GTK_EDITABLE (self->close_input)));
  crm_deal_set_lost_reason (deal, self->stage != CRM_DEAL_LOST ? ""
                                  : gtk_editable_get_text (GTK_EDITABLE (self->reason_input)));
  crm_deal_set_notes (deal, notes);
  return g_steal_pointer (&deal);
}

/* What is wrong with @field of the form (read into @deal), or NULL. The
 * rules are core's (crm_validate_deal_field()); the editor adds what only
 * a form has: a customer typed but not chosen, an amount that does not
 * read as one, a probability typed out of its range. */
static char *
field_message (CrmDealEditor *self,
               CrmDeal       *deal,
               CrmDealField   field,
               const char    *amount_message)
{
  g_autoptr (GError) error = NULL;
  int probability;

  if (field == CRM_DEAL_FIELD_CONTACT && crm_contact_picker_is_pending (self->contact_picker))
    return g_strdup (_("Choose a contact from the list, or empty the field for a "
                       "deal without a customer"));
  if (field == CRM_DEAL_FIELD_AMOUNT && amount_message != NULL)
    return g_strdup (amount_message);
  if (field == CRM_DEAL_FIELD_PROBABILITY && !read_probability (self, &probability))
    return g_strdup (_("The probability is a percentage from 0 to 100"));
  if (!crm_validate_deal_field (deal, field, &error))
    return g_strdup (error->message);
  return NULL;
}

/* Checks every field of the form; shows the message of each wrong field
 * in @show (FIELD_BIT()s) and clears the line of each right one.
 *
 * Returns: the FIELD_BIT()s of the wrong fields */
static guint
check_fields (CrmDealEditor *self,
              CrmDeal       *deal,
              const char    *amount_message,
              guint          show)
{
  guint wrong = 0;

  for (CrmDealField field = 0; field < CRM_DEAL_N_FIELDS; field++)
    {
      g_autofree char *message = field_message (self, deal, field, amount_message);

      if (message != NULL)
        wrong |= FIELD_BIT (field);
      if (message == NULL || (show & FIELD_BIT (field)) != 0)
        show_field_error (self, field, message);
    }
  return wrong;
}

/* After each change: the fields touched say what is wrong with them, and
 * Save is enabled only when the form can be saved and holds a change (a
 * customer still being looked for is not counted: Ctrl+Enter takes the
 * one highlighted, and a save says it when there is none). */
static void
check_as_typed (CrmDealEditor *self)
{
  g_autofree char *amount_message = NULL;
  g_autoptr (CrmDeal) deal = NULL;
  guint show = self->touched & ~(FIELD_BIT (CRM_DEAL_FIELD_CONTACT)
                                 | FIELD_BIT (CRM_DEAL_FIELD_NOTES));
  guint wrong;
  gboolean ok;

  if (self->loading)   /* load() checks once it is done; dispose() sets it for good */
    return;
  deal = read_form (self, &amount_message);
  wrong = check_fields (self, deal, amount_message, show);
  ok = (wrong & ~FIELD_BIT (CRM_DEAL_FIELD_CONTACT)) == 0;

  self->can_save = ok && (self->deal == NULL || self->dirty);
  self->can_save_new = ok;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deal.save", self->can_save);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deal.save-and-new", self->can_save_new);
}

/* Reads the form into a deal; NULL when a field is wrong, with the first
 * wrong field focused and every message shown. */
static CrmDeal *
apply (CrmDealEditor *self)
{
  g_autofree char *amount_message = NULL;
  g_autoptr (CrmDeal) deal = read_form (self, &amount_message);
  g_autoptr (GError) error = NULL;
  guint wrong = check_fields (self, deal, amount_message, ~0u);
  GtkLabel *label;

  /* trims the title and the reason, and writes the date as YYYY-MM-DD */
  if (wrong == 0 && !crm_validate_deal (deal, NULL, &error))
    {
      show_field_error (self, CRM_DEAL_N_FIELDS, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->notes_input));
      return NULL;
    }
  for (CrmDealField field = 0; field < CRM_DEAL_N_FIELDS; field++)
    if ((wrong & FIELD_BIT (field)) != 0)
      {
        self->touched |= wrong;
        gtk_widget_grab_focus (field_widgets (self, field, &label));
        return NULL;
      }
  return g_steal_pointer (&deal);
}

static gboolean
save (CrmDealEditor *self)
{
  g_autoptr (CrmDeal) deal = apply (self);
  g_autoptr (GError) error = NULL;

  if (deal == NULL)
    return FALSE;
  if (self->deal != NULL && crm_deal_equal (deal, self->deal))
    return TRUE;
  if (!crm_store_save_deal (self->store, deal, &error))
    {
      AdwToast *toast = adw_toast_new (error->message);
      adw_toast_set_timeout (toast, 6);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return FALSE;
    }
  g_signal_emit (self, signals[SAVED], 0, deal);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmDealEditor *self = CRM_DEAL_EDITOR (widget);

  if (save (self))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_and_new_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CrmDealEditor *self = CRM_DEAL_EDITOR (widget);
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;

  if (!save (self))
    return;
  id = g_strdup (self->preset_id);
  name = g_strdup (self->preset_name);
  crm_deal_editor_start_new (self, id, name);
}

/* Escape and the close button: what was typed is not dropped without asking */
static gboolean
ask_first (CrmDealEditor *self)
{
  return crm_form_ask_before_closing (GTK_WINDOW (self), self->dirty,
                                      _("What was typed into this deal is not saved."));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  if (!ask_first (CRM_DEAL_EDITOR (widget)))
    gtk_window_destroy (GTK_WINDOW (widget));
}

static gboolean
crm_deal_editor_close_request (GtkWindow *window)
{
  return ask_first (CRM_DEAL_EDITOR (window))
         || GTK_WINDOW_CLASS (crm_deal_editor_parent_class)->close_request (window);
}

/* Ctrl+Enter saves from any field, the notes included (a text view would
 * take the Enter otherwise): caught before the field sees it. */
static gboolean
on_key_captured (CrmDealEditor         *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (!crm_form_is_save_key (keyval, state))
    return FALSE;
  /* a customer highlighted in the suggestions is the one meant */
  crm_contact_picker_take_highlighted (self->contact_picker);
  if ((state & GDK_SHIFT_MASK) && self->can_save_new)
    gtk_widget_activate_action (GTK_WIDGET (self), "deal.save-and-new", NULL);
  else if (!(state & GDK_SHIFT_MASK) && self->can_save)
    gtk_widget_activate_action (GTK_WIDGET (self), "deal.save", NULL);
  else if (self->can_save_new)
    /* Ctrl+Enter on an unchanged deal: nothing to save, the editor closes */
    gtk_window_destroy (GTK_WINDOW (self));
  else
    {
      /* Save is disabled: every message, and the first wrong field */
      g_autoptr (CrmDeal) deal = apply (self);

      gtk_widget_error_bell (GTK_WIDGET (self));
    }
  return TRUE;
}

/* A follow-up logged here may move the deal (its stage drop-down): the
 * form follows, unless the stage was changed by hand. */
static void
on_store_deal_changed (CrmDealEditor *self,
                       CrmDeal       *before,
                       CrmDeal       *after)
{
  CrmDealStage old;

  if (self->deal == NULL || after == NULL
      || g_strcmp0 (crm_deal_get_id (after), crm_deal_get_id (self->deal)) != 0)
    return;
  old = crm_deal_get_stage (self->deal);
  g_object_unref (self->deal);
  self->deal = crm_deal_copy (after);
  if (crm_deal_get_stage (after) == old || self->stage != old)
    return;
  self->loading = TRUE;
  self->stage = crm_deal_get_stage (after);
  gtk_drop_down_set_selected (self->stage_input, self->stage);
  gtk_spin_button_set_value (self->probability_input, crm_deal_get_probability (after));
  update_reason (self);
  self->loading = FALSE;
  check_as_typed (self);
}

/* Shift+Ctrl+F: a follow-up of this deal and its customer */
static void
log_followup_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  crm_followup_timeline_log (CRM_DEAL_EDITOR (widget)->timeline);
}

CrmDealEditor *
crm_deal_editor_new (GtkWindow *parent,
                     CrmStore  *store)
{
  CrmDealEditor *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_DEAL_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  crm_contact_picker_set_store (self->contact_picker, store);
  crm_followup_timeline_set_store (self->timeline, store);
  g_signal_connect_object (store, "deal-changed", G_CALLBACK (on_store_deal_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
}

static void
crm_deal_editor_dispose (GObject *object)
{
  CrmDealEditor *self = (CrmDealEditor *)object;

  self->loading = TRUE;   /* the fields' last "changed" signals are not checked */
  g_clear_handle_id (&self->left_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_DEAL_EDITOR);
  g_clear_object (&self->deal);
  g_clear_object (&self->store);
  g_clear_pointer (&self->preset_id, g_free);
  g_clear_pointer (&self->preset_name, g_free);

  G_OBJECT_CLASS (crm_deal_editor_parent_class)->dispose (object);
}

static void
crm_deal_editor_class_init (CrmDealEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_deal_editor_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = crm_deal_editor_close_request;

  /**
   * CrmDealEditor::saved:
   * @deal: the deal as stored
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CRM_TYPE_DEAL);

  g_type_ensure (CRM_TYPE_CONTACT_PICKER);
  g_type_ensure (CRM_TYPE_FOLLOWUP_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/co/xiaohe/Crm/crm-deal-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, title_input);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, title_error);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, customer_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, contact_picker);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, customer_error);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, amount_input);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, amount_error);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, stage_input);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, probability_input);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, probability_error);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, close_input);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, close_error);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, reason_input);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, reason_error);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, notes_input);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, timeline);
  gtk_widget_class_bind_template_callback (widget_class, on_stage_changed);

  gtk_widget_class_install_action (widget_class, "deal.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "deal.save-and-new", NULL, save_and_new_action);
  gtk_widget_class_install_action (widget_class, "deal.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "deal.cancel", NULL);
  gtk_widget_class_install_action (widget_class, "deal.log-followup", NULL, log_followup_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "deal.log-followup", NULL);
}

static void
crm_deal_editor_init (CrmDealEditor *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_autoptr (GtkStringList) stages = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    gtk_string_list_append (stages, crm_deal_stage_get_label (i));
  gtk_drop_down_set_model (self->stage_input, G_LIST_MODEL (stages));
  /* GTK 4.8 leaves the drop-down's own button unnamed for screen readers */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stage_input));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Stage"), -1);
  gtk_label_set_mnemonic_widget (self->customer_label,
                                 crm_contact_picker_get_entry (self->contact_picker));

  for (CrmDealField field = 0; field < CRM_DEAL_N_FIELDS; field++)
    {
      GtkLabel *label;
      GtkWidget *input = field_widgets (self, field, &label);
      GtkEventController *focus;

      if (label == NULL)
        continue;
      g_object_set_data (G_OBJECT (input), FIELD_KEY, GUINT_TO_POINTER (field + 1));
      g_signal_connect (input, "changed", G_CALLBACK (on_field_changed), self);
      if (field == CRM_DEAL_FIELD_CONTACT)   /* said on saving: it is a search as typed */
        continue;
      if (GTK_IS_ENTRY (input))
        g_signal_connect (input, "activate", G_CALLBACK (on_field_activate), self);
      focus = gtk_event_controller_focus_new ();
      g_signal_connect (focus, "leave", G_CALLBACK (on_field_left), self);
      gtk_widget_add_controller (input, focus);
    }
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->notes_input), "changed",
                            G_CALLBACK (on_notes_changed), self);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_captured), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  crm_followup_timeline_add_host_keys (self->timeline, GTK_WIDGET (self));
}
