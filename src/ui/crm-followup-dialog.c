/* crm-followup-dialog.c — the compact form that logs one follow-up (跟进记录)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logging a follow-up is a keystroke, so the form opens with the contact
 * already chosen and the cursor in the notes; the kind is a row of toggle
 * buttons each with its mnemonic (Alt+C call … Alt+O other), which leave
 * the cursor where it is. Times are typed as text in local time
 * ("2026-12-31 14:30", "2026年12月31日 9点", "tomorrow 9:00", "明天") and kept
 * as UTC, the store's form (crm-followup-when.c). With a deal
 * chosen, a stage drop-down moves the deal in the same save
 * (crm_store_save_followup()'s move_deal_to). Ctrl+Enter saves from any
 * field, the notes included; Escape asks before dropping what was typed
 * (crm_discard_dialog_ask(), as every editor). A field that cannot be saved
 * says why beside itself and keeps what was typed; the rules are core's
 * (crm_followup_validate()).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-followup-dialog.h"
#include "crm-followup-when.h"
#include "crm-form.h"

struct _CrmFollowupDialog
{
  AdwWindow        parent_instance;

  CrmStore        *store;
  CrmFollowup     *followup;     /* what the form started from (a copy) */
  CrmFollowup     *completing;   /* the follow-up whose next step is done, or NULL */
  GPtrArray       *deals;        /* CrmDeal, parallel to the deal drop-down after "none" */
  GArray          *stages;       /* CrmDealStage, parallel to the stage drop-down */
  CrmFollowupKind  kind;
  gboolean         loading;
  gboolean         dirty;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkLabel        *contact_label;
  GtkLabel        *contact_error;
  GtkLabel        *deal_label;
  GtkDropDown     *deal_input;
  GtkLabel        *stage_label;
  GtkDropDown     *stage_input;
  GtkEntry        *when_input;
  GtkLabel        *when_error;
  GtkBox          *kind_box;
  GtkToggleButton *kind_buttons[CRM_FOLLOWUP_N_KINDS];
  GtkTextView     *notes_input;
  GtkLabel        *notes_error;
  GtkEntry        *next_step_input;
  GtkLabel        *next_step_error;
  GtkEntry        *next_at_input;
  GtkLabel        *next_at_error;
};

G_DEFINE_FINAL_TYPE (CrmFollowupDialog, crm_followup_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the form ------------------------------------------------------- */

static GtkWidget *
notes_widget (CrmFollowupDialog *self)
{
  return gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->notes_input)));
}

static void
clear_errors (CrmFollowupDialog *self)
{
  crm_form_show_error (self->contact_error, GTK_WIDGET (self->contact_label), NULL);
  crm_form_show_error (self->when_error, GTK_WIDGET (self->when_input), NULL);
  crm_form_show_error (self->notes_error, GTK_WIDGET (self->notes_input), NULL);
  gtk_widget_remove_css_class (notes_widget (self), "error");
  crm_form_show_error (self->next_step_error, GTK_WIDGET (self->next_step_input), NULL);
  crm_form_show_error (self->next_at_error, GTK_WIDGET (self->next_at_input), NULL);
}

static void
mark_dirty (CrmFollowupDialog *self)
{
  if (!self->loading)
    self->dirty = TRUE;
}

/* An error beside a field goes once the field is changed. */
static void
on_field_changed (GtkEditable       *editable,
                  CrmFollowupDialog *self)
{
  GtkLabel *error = g_object_get_data (G_OBJECT (editable), "crm-error");

  mark_dirty (self);
  if (error != NULL && gtk_widget_get_visible (GTK_WIDGET (error)))
    crm_form_show_error (error, GTK_WIDGET (editable), NULL);
}

static void
on_notes_changed (CrmFollowupDialog *self)
{
  mark_dirty (self);
  if (gtk_widget_get_visible (GTK_WIDGET (self->notes_error)))
    {
      crm_form_show_error (self->notes_error, GTK_WIDGET (self->notes_input), NULL);
      gtk_widget_remove_css_class (notes_widget (self), "error");
    }
}

static void
on_kind_toggled (GtkToggleButton   *button,
                 CrmFollowupDialog *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  self->kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "crm-kind"));
  mark_dirty (self);
}

/* Alt+C … Alt+O choose the kind at once and leave the cursor where it is
 * (a button's own mnemonic would take the focus and click a moment later) */
static gboolean
on_kind_mnemonic (GtkWidget *button,
                  gboolean   group_cycling,
                  gpointer   user_data)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  return TRUE;
}

static void
set_kind (CrmFollowupDialog *self,
          CrmFollowupKind    kind)
{
  if (kind >= CRM_FOLLOWUP_N_KINDS)
    kind = CRM_FOLLOWUP_OTHER;
  self->kind = kind;
  gtk_toggle_button_set_active (self->kind_buttons[kind], TRUE);
}

static CrmDeal *
chosen_deal (CrmFollowupDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->deal_input);

  if (self->deals == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION
      || selected > self->deals->len)
    return NULL;
  return g_ptr_array_index (self->deals, selected - 1);
}

/* The stages a deal can be moved to from here: the open ones and won (lost
 * needs its reason: the deal editor asks for it), and the deal's own. */
static void
update_stages (CrmFollowupDialog *self)
{
  CrmDeal *deal = chosen_deal (self);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  gboolean show = deal != NULL && self->completing == NULL;
  gboolean was_loading = self->loading;

  self->loading = TRUE;
  g_array_set_size (self->stages, 0);
  if (deal != NULL)
    for (CrmDealStage stage = 0; stage < CRM_DEAL_N_STAGES; stage++)
      if (stage != CRM_DEAL_LOST || crm_deal_get_stage (deal) == CRM_DEAL_LOST)
        {
          g_array_append_val (self->stages, stage);
          gtk_string_list_append (labels, crm_deal_stage_get_label (stage));
        }
  gtk_drop_down_set_model (self->stage_input, G_LIST_MODEL (labels));
  for (guint i = 0; deal != NULL && i < self->stages->len; i++)
    if (g_array_index (self->stages, CrmDealStage, i) == crm_deal_get_stage (deal))
      gtk_drop_down_set_selected (self->stage_input, i);
  gtk_widget_set_visible (GTK_WIDGET (self->stage_label), show);
  gtk_widget_set_visible (GTK_WIDGET (self->stage_input), show);
  self->loading = was_loading;
}

static void
on_deal_changed (CrmFollowupDialog *self)
{
  mark_dirty (self);
  update_stages (self);
}

/* GTK 4.8 leaves a drop-down's own button unnamed for screen readers */
static void
name_drop_down (GtkDropDown *drop_down,
                const char  *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
}

/* The contact's open deals (and @deal_id's, open or not), "No deal" first. */
static void
load_deals (CrmFollowupDialog *self,
            const char        *contact_id,
            const char        *deal_id)
{
  g_autoptr (GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  guint selected = 0;

  g_clear_pointer (&self->deals, g_ptr_array_unref);
  self->deals = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_string_list_append (titles, _("No deal"));
  if (contact_id != NULL)
    all = crm_store_list_contact_deals (self->store, contact_id, NULL, &error);
  if (all == NULL && error != NULL)
    g_warning ("Cannot list the contact's deals: %s", error->message);
  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      CrmDeal *deal = g_ptr_array_index (all, i);
      gboolean wanted = g_strcmp0 (crm_deal_get_id (deal), deal_id) == 0;

      if (!wanted && !crm_deal_stage_is_open (crm_deal_get_stage (deal)))
        continue;
      g_ptr_array_add (self->deals, g_object_ref (deal));
      gtk_string_list_append (titles, crm_deal_get_title (deal));
      if (wanted)
        selected = self->deals->len;
    }
  /* a deal of no contact, or not found among the contact's */
  if (deal_id != NULL && *deal_id != '\0' && selected == 0)
    {
      g_autoptr (CrmDeal) deal = crm_store_get_deal (self->store, deal_id, NULL);

      if (deal != NULL)
        {
          gtk_string_list_append (titles, crm_deal_get_title (deal));
          g_ptr_array_add (self->deals, g_steal_pointer (&deal));
          selected = self->deals->len;
        }
    }
  gtk_drop_down_set_model (self->deal_input, G_LIST_MODEL (titles));
  gtk_drop_down_set_selected (self->deal_input, selected);
  name_drop_down (self->deal_input, _("Deal"));
  update_stages (self);
}

static void
set_notes (CrmFollowupDialog *self,
           const char        *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_input), text ? text : "", -1);
}

static char *
get_notes (CrmFollowupDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_input);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_title (CrmFollowupDialog *self)
{
  const char *title;

  if (self->completing != NULL)
    title = _("Done — Next Follow-up");
  else if (crm_followup_is_saved (self->followup))
    title = _("Edit Follow-up");
  else
    title = _("Log Follow-up");
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title,
                                 gtk_label_get_text (self->contact_label));
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
load (CrmFollowupDialog *self)
{
  CrmFollowup *f = self->followup;
  const char *contact_id = crm_followup_get_contact_id (f);
  g_autoptr (CrmContact) contact = NULL;
  g_autofree char *when = NULL;
  g_autofree char *next_at = NULL;

  self->loading = TRUE;
  clear_errors (self);
  if (contact_id != NULL && *contact_id != '\0')
    contact = crm_store_get_contact (self->store, contact_id, NULL);
  gtk_label_set_text (self->contact_label,
                      contact != NULL ? crm_contact_get_name (contact)
                      : crm_followup_get_contact_name (f) ? crm_followup_get_contact_name (f)
                      : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->contact_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (self->contact_label), -1);
  load_deals (self, contact_id, crm_followup_get_deal_id (f));
  if (crm_followup_get_happened_at (f) != NULL)
    when = crm_followup_when_format (crm_followup_get_happened_at (f));
  else
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      when = g_date_time_format (now, "%Y-%m-%d %H:%M");
    }
  gtk_editable_set_text (GTK_EDITABLE (self->when_input), when);
  set_kind (self, crm_followup_get_kind (f));
  set_notes (self, crm_followup_get_notes (f));
  gtk_editable_set_text (GTK_EDITABLE (self->next_step_input),
                         crm_followup_get_next_step (f) ? crm_followup_get_next_step (f) : "");
  next_at = crm_followup_when_format (crm_followup_get_next_at (f));
  gtk_editable_set_text (GTK_EDITABLE (self->next_at_input), next_at);
  update_title (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->notes_input));
  self->loading = FALSE;
  self->dirty = FALSE;
}

/* The input and the error line of @field. */
static GtkWidget *
field_widgets (CrmFollowupDialog  *self,
               CrmFollowupField    field,
               GtkLabel          **error_label)
{
  switch (field)
    {
    case CRM_FOLLOWUP_FIELD_CONTACT:
      *error_label = self->contact_error;
      return GTK_WIDGET (self->contact_label);
    case CRM_FOLLOWUP_FIELD_HAPPENED_AT:
      *error_label = self->when_error;
      return GTK_WIDGET (self->when_input);
    case CRM_FOLLOWUP_FIELD_NEXT_STEP:
      *error_label = self->next_step_error;
      return GTK_WIDGET (self->next_step_input);
    case CRM_FOLLOWUP_FIELD_NEXT_AT:
      *error_label = self->next_at_error;
      return GTK_WIDGET (self->next_at_input);
    case CRM_FOLLOWUP_FIELD_DEAL:
    case CRM_FOLLOWUP_FIELD_KIND:
    case CRM_FOLLOWUP_FIELD_NOTES:
    case CRM_FOLLOWUP_N_FIELDS:
    default:
      *error_label = self->notes_error;
      return GTK_WIDGET (self->notes_input);
    }
}

static GtkWidget *
show_field_error (CrmFollowupDialog *self,
                  CrmFollowupField   field,
                  const char        *message)
{
  GtkLabel *label;
  GtkWidget *input = field_widgets (self, field, &label);

  crm_form_show_error (label, input, message);
  if (input == GTK_WIDGET (self->notes_input))
    gtk_widget_add_css_class (notes_widget (self), "error");
  return input == GTK_WIDGET (self->contact_label) ? GTK_WIDGET (self->notes_input) : input;
}

/* Reads a time field; FALSE with the error shown beside it. */
static gboolean
read_time_field (CrmFollowupDialog  *self,
                 GtkEntry           *entry,
                 GtkLabel           *error_label,
                 GDateTime          *now,
                 char              **utc_iso)
{
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GError) error = NULL;

  *utc_iso = NULL;
  if (!crm_followup_when_parse (gtk_editable_get_text (GTK_EDITABLE (entry)), now, &local,
                                       &error))
    {
      crm_form_show_error (error_label, GTK_WIDGET (entry), error->message);
      return FALSE;
    }
  if (local != NULL)
    *utc_iso = crm_followup_when_to_utc (local);
  return TRUE;
}

/* The form as a follow-up; NULL when a field is wrong, with the first
 * wrong field focused and its message shown. */
static CrmFollowup *
apply (CrmFollowupDialog *self)
{
  g_autoptr (CrmFollowup) f = crm_followup_is_saved (self->followup)
                              ? crm_followup_copy (self->followup) : crm_followup_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GError) error = NULL;
  g_autofree char *notes = get_notes (self);
  g_autofree char *happened = NULL;
  g_autofree char *next_at = NULL;
  CrmFollowupField failed = CRM_FOLLOWUP_N_FIELDS;
  CrmDeal *deal = chosen_deal (self);
  GtkWidget *first_invalid = NULL;
  gboolean when_ok, next_ok;

  clear_errors (self);
  when_ok = read_time_field (self, self->when_input, self->when_error, now, &happened);
  next_ok = read_time_field (self, self->next_at_input, self->next_at_error, now, &next_at);
  if (when_ok && happened == NULL)
    {
      crm_form_show_error (self->when_error, GTK_WIDGET (self->when_input),
                           _("Say when the follow-up was made"));
      when_ok = FALSE;
    }
  if (!when_ok)
    first_invalid = GTK_WIDGET (self->when_input);
  else if (!next_ok)
    first_invalid = GTK_WIDGET (self->next_at_input);

  crm_followup_set_contact_id (f, crm_followup_get_contact_id (self->followup));
  crm_followup_set_deal_id (f, deal ? crm_deal_get_id (deal) : NULL);
  if (happened != NULL)
    crm_followup_set_happened_at (f, happened);
  crm_followup_set_kind (f, self->kind);
  crm_followup_set_notes (f, notes);
  crm_followup_set_next_step (f, gtk_editable_get_text (GTK_EDITABLE (self->next_step_input)));
  if (next_ok)
    crm_followup_set_next_at (f, next_at);

  if (first_invalid == NULL && !crm_followup_validate (f, &failed, &error))
    first_invalid = show_field_error (self, failed, error->message);
  if (first_invalid != NULL)
    {
      gtk_widget_grab_focus (first_invalid);
      return NULL;
    }
  return g_steal_pointer (&f);
}

static void
show_toast (CrmFollowupDialog *self,
            const char        *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
save (CrmFollowupDialog *self)
{
  g_autoptr (CrmFollowup) f = apply (self);
  g_autoptr (GError) error = NULL;
  CrmDealStage move_to = CRM_DEAL_N_STAGES;
  CrmDeal *deal = chosen_deal (self);
  guint selected = gtk_drop_down_get_selected (self->stage_input);
  gboolean ok;

  if (f == NULL)
    return FALSE;
  if (deal != NULL && self->completing == NULL && selected < self->stages->len
      && g_array_index (self->stages, CrmDealStage, selected) != crm_deal_get_stage (deal))
    move_to = g_array_index (self->stages, CrmDealStage, selected);

  if (self->completing != NULL)
    ok = crm_store_complete_followup (self->store, self->completing, f, &error);
  else
    ok = crm_store_save_followup (self->store, f, move_to, &error);
  if (!ok)
    {
      show_toast (self, error->message);
      return FALSE;
    }
  self->dirty = FALSE;
  g_signal_emit (self, signals[SAVED], 0, f);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmFollowupDialog *self = CRM_FOLLOWUP_DIALOG (widget);

  if (save (self))
    gtk_window_destroy (GTK_WINDOW (self));
}

/* Escape and the close button: what was typed is not dropped without asking */
static gboolean
ask_first (CrmFollowupDialog *self)
{
  return crm_form_ask_before_closing (GTK_WINDOW (self), self->dirty,
                                      _("What was typed into this follow-up is not saved."));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  if (!ask_first (CRM_FOLLOWUP_DIALOG (widget)))
    gtk_window_destroy (GTK_WINDOW (widget));
}

static gboolean
crm_followup_dialog_close_request (GtkWindow *window)
{
  return ask_first (CRM_FOLLOWUP_DIALOG (window))
         || GTK_WINDOW_CLASS (crm_followup_dialog_parent_class)->close_request (window);
}

/* Ctrl+Enter saves from any field, the notes included (the text view would
 * take the Enter otherwise): caught before the field sees it. */
static gboolean
on_key_captured (CrmFollowupDialog     *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (!crm_form_is_save_key (keyval, state))
    return FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), "followup.save", NULL);
  return TRUE;
}

static void
crm_followup_dialog_dispose (GObject *object)
{
  CrmFollowupDialog *self = (CrmFollowupDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_FOLLOWUP_DIALOG);
  g_clear_object (&self->followup);
  g_clear_object (&self->completing);
  g_clear_object (&self->store);
  g_clear_pointer (&self->deals, g_ptr_array_unref);
  g_clear_pointer (&self->stages, g_array_unref);

  G_OBJECT_CLASS (crm_followup_dialog_parent_class)->dispose (object);
}

static void
crm_followup_dialog_class_init (CrmFollowupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_followup_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = crm_followup_dialog_close_request;

  /**
   * CrmFollowupDialog::saved:
   * @followup: the follow-up as stored
   *
   * Emitted once the follow-up is in the store, just before the dialog
   * closes.
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CRM_TYPE_FOLLOWUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-followup-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, contact_label);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, contact_error);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, deal_label);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, deal_input);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, stage_input);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, when_input);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, when_error);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, kind_box);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, notes_input);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, notes_error);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, next_step_input);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, next_step_error);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, next_at_input);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupDialog, next_at_error);
  gtk_widget_class_bind_template_callback (widget_class, on_deal_changed);
  gtk_widget_class_bind_template_callback (widget_class, mark_dirty);

  gtk_widget_class_install_action (widget_class, "followup.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "followup.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "followup.cancel", NULL);
}

static void
crm_followup_dialog_init (CrmFollowupDialog *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkToggleButton *group = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->stages = g_array_new (FALSE, FALSE, sizeof (CrmDealStage));

  for (CrmFollowupKind kind = 0; kind < CRM_FOLLOWUP_N_KINDS; kind++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_mnemonic (crm_followup_kind_get_label (kind));
      g_autofree char *plain = g_strdup (crm_followup_kind_get_label (kind));
      char *u;

      /* the name without its underline: "Call", "电话(_C)" → "电话(C)" */
      while ((u = strchr (plain, '_')) != NULL)
        memmove (u, u + 1, strlen (u));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      plain, -1);
      g_object_set_data (G_OBJECT (button), "crm-kind", GUINT_TO_POINTER (kind));
      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      group = GTK_TOGGLE_BUTTON (button);
      self->kind_buttons[kind] = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (on_kind_toggled), self);
      g_signal_connect (button, "mnemonic-activate", G_CALLBACK (on_kind_mnemonic), NULL);
      gtk_box_append (self->kind_box, button);
    }
  name_drop_down (self->stage_input, _("Move the Deal to Stage"));

  {
    struct { GtkEntry *entry; GtkLabel *error; } fields[] = {
      { self->when_input, self->when_error },
      { self->next_step_input, self->next_step_error },
      { self->next_at_input, self->next_at_error },
    };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      {
        g_object_set_data (G_OBJECT (fields[i].entry), "crm-error", fields[i].error);
        g_signal_connect (fields[i].entry, "changed", G_CALLBACK (on_field_changed), self);
        gtk_accessible_update_relation (GTK_ACCESSIBLE (fields[i].entry),
                                        GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, fields[i].error,
                                        NULL, -1);
      }
  }
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->notes_input), "changed",
                            G_CALLBACK (on_notes_changed), self);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_captured), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/**
 * crm_followup_dialog_new:
 * @parent: (nullable): the window it is over (modal)
 * @template_or_null: (nullable): a saved follow-up to edit, or an unsaved
 *   one whose fields start the form; %NULL for an empty form at now
 * @contact_id: (nullable): the contact, unless @template_or_null has one
 * @deal_id: (nullable): the deal, chosen in the form
 *
 * The caller presents it; "saved" tells what was stored.
 *
 * Returns: (transfer none): the dialog
 */
CrmFollowupDialog *
crm_followup_dialog_new (GtkWindow   *parent,
                         CrmStore    *store,
                         CrmFollowup *template_or_null,
                         const char  *contact_id,
                         const char  *deal_id)
{
  CrmFollowupDialog *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (template_or_null == NULL || CRM_IS_FOLLOWUP (template_or_null), NULL);

  self = g_object_new (CRM_TYPE_FOLLOWUP_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  if (template_or_null != NULL)
    self->followup = crm_followup_copy (template_or_null);
  else
    {
      self->followup = crm_followup_new ();
      crm_followup_set_kind (self->followup, CRM_FOLLOWUP_CALL);
    }
  if (contact_id != NULL)
    crm_followup_set_contact_id (self->followup, contact_id);
  if (deal_id != NULL)
    crm_followup_set_deal_id (self->followup, *deal_id != '\0' ? deal_id : NULL);
  load (self);
  return self;
}

/**
 * crm_followup_dialog_set_completing:
 * @done: the follow-up whose next step was done
 *
 * "Done → next step": saving marks @done done and stores the form as a new
 * follow-up, together (crm_store_complete_followup()). The deal's stage is
 * not offered then.
 */
void
crm_followup_dialog_set_completing (CrmFollowupDialog *self,
                                    CrmFollowup       *done)
{
  g_return_if_fail (CRM_IS_FOLLOWUP_DIALOG (self));
  g_return_if_fail (CRM_IS_FOLLOWUP (done));

  g_set_object (&self->completing, done);
  if (crm_followup_is_saved (self->followup))
    {
      /* the next one is a new follow-up, never the done one saved over */
      g_autoptr (CrmFollowup) fresh = crm_followup_new ();

      crm_followup_set_contact_id (fresh, crm_followup_get_contact_id (self->followup));
      crm_followup_set_deal_id (fresh, crm_followup_get_deal_id (self->followup));
      crm_followup_set_kind (fresh, crm_followup_get_kind (self->followup));
      g_set_object (&self->followup, fresh);
      load (self);
    }
  update_stages (self);
  update_title (self);
}

typedef struct
{
  CrmStore    *store;
  CrmFollowup *followup;
} LoggedUndo;

static void
logged_undo_free (gpointer data,
                  GClosure *closure)
{
  LoggedUndo *undo = data;

  g_object_unref (undo->store);
  g_object_unref (undo->followup);
  g_free (undo);
}

static void
on_logged_undo (AdwToast   *toast,
                LoggedUndo *undo)
{
  g_autoptr (GError) error = NULL;

  if (!crm_store_delete_followup (undo->store, undo->followup, &error))
    g_warning ("Cannot take back the follow-up: %s", error->message);
}

/**
 * crm_followup_dialog_toast_logged:
 * @overlay: where the toast shows
 * @followup: a follow-up just stored
 *
 * "Follow-up logged", with an Undo button that deletes it: for a view that
 * logs one but shows no timeline (the deals board; a timeline offers its
 * own, crm_followup_timeline_logged()).
 */
void
crm_followup_dialog_toast_logged (AdwToastOverlay *overlay,
                                  CrmStore        *store,
                                  CrmFollowup     *followup)
{
  AdwToast *toast;
  LoggedUndo *undo;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (CRM_IS_FOLLOWUP (followup));

  toast = adw_toast_new (_("Follow-up logged"));
  undo = g_new0 (LoggedUndo, 1);
  undo->store = g_object_ref (store);
  undo->followup = g_object_ref (followup);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_logged_undo), undo,
                         logged_undo_free, 0);
  adw_toast_overlay_add_toast (overlay, toast);
}
