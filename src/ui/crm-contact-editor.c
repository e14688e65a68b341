/* crm-contact-editor.c — the form that edits one contact
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A label with a mnemonic, an input and an error line per field. A field is
 * checked when the focus leaves it and again, once it shows an error, as it
 * is corrected; crm_contact_editor_apply() checks them all. Only real errors
 * block saving: a possible duplicate (the same mobile or e-mail already in
 * the store) is shown above the form and does not.
 *
 * The owner (负责人) is typed as text until the store knows the team's
 * users (crm-store-team.c, kept after each sync). Then it is chosen from
 * them in a drop-down: "No Owner" first, the users by name, and the
 * contact's current owner as one more entry when it is not one of them, so
 * that an owner typed before signing in is never lost by opening the
 * contact. The drop-down writes its choice into the (hidden) text entry,
 * which stays the one place the form reads, checks and compares, so saving,
 * "unsaved changes" and the errors work as for any field. The label's
 * mnemonic follows whichever of the two is shown. The drop-down is made
 * only when first needed: a GtkDropDown brings a popover with a search
 * entry of its own, which a form that never shows it need not carry.
 *
 * The Tags field completes the tag being typed from the tags the contacts
 * already have (crm-tag-completion.c).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-contact-editor.h"
#include "crm-followup-timeline.h"
#include "crm-format.h"
#include "crm-store-team.h"
#include "crm-tag-completion.h"
#include "crm-validate.h"

struct _CrmContactEditor
{
  GtkWidget    parent_instance;

  CrmStore    *store;
  CrmContact  *contact;   /* what is being edited; a new one has no id */

  GtkWidget   *inputs[CRM_CONTACT_N_FIELDS];
  GtkWidget   *labels[CRM_CONTACT_N_FIELDS];
  GtkWidget   *errors[CRM_CONTACT_N_FIELDS];
  GtkRevealer *duplicate_revealer;
  GtkLabel    *duplicate_label;
  GtkLabel    *timestamps_label;
  GtkWidget   *deals_box;
  GtkLabel    *deals_total;
  GtkListBox  *deals_list;
  GtkButton   *new_deal_button;
  CrmFollowupTimeline *timeline;
  GtkWidget   *owner_box;
  GtkDropDown *owner_choice;  /* made once the store knows the team's users */
  GPtrArray   *owner_values;  /* the owner each entry of owner_choice stands for */
  CrmTagCompletion *tag_completion;  /* the tags field's list of existing tags */

  gboolean     cut[CRM_CONTACT_N_FIELDS];  /* the last insertion was cut */
  guint        loading : 1;
  guint        choosing : 1;  /* owner_choice is being filled */
};

G_DEFINE_FINAL_TYPE (CrmContactEditor, crm_contact_editor, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void on_deal_row_activated (CrmContactEditor *self,
                                   GtkListBoxRow    *row);

static char *
get_input_text (CrmContactEditor *self,
                CrmContactField   field)
{
  GtkWidget *input = self->inputs[field];

  if (GTK_IS_TEXT_VIEW (input))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (input));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (input)));
}

static void
set_input_text (CrmContactEditor *self,
                CrmContactField   field,
                const char       *text)
{
  GtkWidget *input = self->inputs[field];

  if (GTK_IS_TEXT_VIEW (input))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (input), text);
}

void
crm_contact_editor_show_error (CrmContactEditor *self,
                               CrmContactField   field,
                               const char       *message)
{
  GtkWidget *input;

  g_return_if_fail (CRM_IS_CONTACT_EDITOR (self));
  g_return_if_fail (field < CRM_CONTACT_N_FIELDS);

  input = self->inputs[field];
  gtk_label_set_text (GTK_LABEL (self->errors[field]), message ? message : "");
  gtk_widget_set_visible (self->errors[field], message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (input, "error");
  else
    gtk_widget_remove_css_class (input, "error");

  gtk_accessible_update_state (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_STATE_INVALID,
                               message ? GTK_ACCESSIBLE_INVALID_TRUE
                                       : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (input),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* shows on the field what is wrong with it, and tells @error too */
static gboolean
check_field (CrmContactEditor  *self,
             CrmContactField    field,
             char             **normalized,
             GError           **error)
{
  g_autofree char *text = get_input_text (self, field);
  g_autoptr (GError) local_error = NULL;
  gboolean ok;

  ok = crm_validate_field (field, text, normalized, &local_error);
  if (ok && self->cut[field])
    {
      guint max = crm_contact_field_get_max_length (field);
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Only the first %u character "
                                                               "was kept",
                                                               "Only the first %u characters "
                                                               "were kept", max),
                                                  max);

      /* what was kept is valid: the message says what was not */
      crm_contact_editor_show_error (self, field, message);
    }
  else
    crm_contact_editor_show_error (self, field, ok ? NULL : local_error->message);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

static void
update_duplicates (CrmContactEditor *self)
{
  g_autoptr (CrmContact) probe = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GString) text = NULL;
  g_autoptr (GError) error = NULL;

  if (self->store == NULL || self->contact == NULL)
    return;

  probe = crm_contact_copy (self->contact);
  for (guint f = CRM_CONTACT_FIELD_MOBILE; f <= CRM_CONTACT_FIELD_EMAIL; f++)
    {
      g_autofree char *value = get_input_text (self, f);
      crm_contact_set_field (probe, f, value);
    }
  found = crm_store_find_duplicates (self->store, probe, &error);
  if (found == NULL || found->len == 0)
    {
      if (error != NULL)
        g_warning ("Cannot look for duplicates: %s", error->message);
      gtk_revealer_set_reveal_child (self->duplicate_revealer, FALSE);
      return;
    }

  text = g_string_new (NULL);
  g_string_append (text, g_dngettext (GETTEXT_PACKAGE,
                                      "A contact with the same mobile number or e-mail "
                                      "address already exists:",
                                      "Contacts with the same mobile number or e-mail "
                                      "address already exist:",
                                      found->len));
  for (guint i = 0; i < found->len; i++)
    {
      CrmContact *other = g_ptr_array_index (found, i);
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      g_auto (GStrv) parts = NULL;
      g_autofree char *line = NULL;

      for (guint f = CRM_CONTACT_FIELD_NAME; f <= CRM_CONTACT_FIELD_EMAIL; f++)
        if (f != CRM_CONTACT_FIELD_TITLE && f != CRM_CONTACT_FIELD_PHONE
            && *crm_contact_get_field (other, f) != '\0')
          g_strv_builder_add (builder, crm_contact_get_field (other, f));
      parts = g_strv_builder_end (builder);
      line = g_strjoinv (" · ", parts);
      g_string_append_printf (text, "\n%s", line);
    }
  g_string_append_c (text, '\n');
  g_string_append (text, _("You can still save this one."));
  gtk_label_set_text (self->duplicate_label, text->str);
  gtk_revealer_set_reveal_child (self->duplicate_revealer, TRUE);
}

static void
on_input_changed (CrmContactEditor *self)
{
  if (self->loading)
    return;
  /* once a field shows an error, recheck as it is corrected */
  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    if (self->cut[f] || gtk_widget_get_visible (self->errors[f]))
      check_field (self, f, NULL, NULL);
  /* an indexed lookup: cheap enough to run as the number is typed, so the
   * warning shows as soon as the number is complete */
  update_duplicates (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Before the entry inserts: whether its max-length cuts the text (a paste,
 * or a key refused at the limit), so that the field says so. */
static void
on_insert_text (GtkEditable      *delegate,
                const char       *text,
                int               length,
                int              *position,
                CrmContactEditor *self)
{
  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    {
      GtkEntry *entry;
      guint max;

      if (!GTK_IS_ENTRY (self->inputs[f])
          || gtk_editable_get_delegate (GTK_EDITABLE (self->inputs[f])) != delegate)
        continue;
      entry = GTK_ENTRY (self->inputs[f]);
      max = crm_contact_field_get_max_length (f);
      self->cut[f] = !self->loading && max > 0
                     && gtk_entry_buffer_get_length (gtk_entry_get_buffer (entry))
                        + g_utf8_strlen (text, length) > max;
      /* a refused key changes nothing: show it now */
      if (self->cut[f])
        check_field (self, f, NULL, NULL);
    }
}

static void
on_delete_text (GtkEditable      *delegate,
                int               start_pos,
                int               end_pos,
                CrmContactEditor *self)
{
  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    if (GTK_IS_ENTRY (self->inputs[f])
        && gtk_editable_get_delegate (GTK_EDITABLE (self->inputs[f])) == delegate)
      self->cut[f] = FALSE;
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                CrmContactEditor        *self)
{
  GtkWidget *input = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (input);

  if (self->contact == NULL)
    return;
  /* the window lost the keyboard (another window came up): the field was
   * not left, and an empty name is no error yet */
  if (GTK_IS_WINDOW (root) && !gtk_window_is_active (GTK_WINDOW (root)))
    return;
  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    if (self->inputs[f] == input)
      {
        check_field (self, f, NULL, NULL);
        if (f == CRM_CONTACT_FIELD_MOBILE || f == CRM_CONTACT_FIELD_EMAIL)
          update_duplicates (self);
      }
}

/* a choice in the drop-down: into the entry, as if typed */
static void
on_owner_chosen (CrmContactEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->owner_choice);
  g_autofree char *current = NULL;

  if (self->choosing || selected >= self->owner_values->len)
    return;
  current = get_input_text (self, CRM_CONTACT_FIELD_OWNER);
  if (g_strcmp0 (current, g_ptr_array_index (self->owner_values, selected)) != 0)
    set_input_text (self, CRM_CONTACT_FIELD_OWNER,
                    g_ptr_array_index (self->owner_values, selected));
}

/* The owner drop-down, rebuilt from the store's team users and the owner
 * in the entry; shown instead of the entry when there are team users. */
static void
update_owner_choice (CrmContactEditor *self)
{
  GtkWidget *entry = self->inputs[CRM_CONTACT_FIELD_OWNER];
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkStringList) labels = NULL;
  g_autofree char *current = get_input_text (self, CRM_CONTACT_FIELD_OWNER);
  guint max = crm_contact_field_get_max_length (CRM_CONTACT_FIELD_OWNER);
  guint selected = 0;

  if (self->store != NULL)
    users = crm_store_list_team_users (self->store, &error);
  if (error != NULL)
    g_warning ("Cannot read the team's users: %s", error->message);

  self->choosing = TRUE;
  g_ptr_array_set_size (self->owner_values, 0);
  labels = gtk_string_list_new (NULL);
  if (users != NULL && users->len > 0)
    {
      g_ptr_array_add (self->owner_values, g_strdup (""));
      gtk_string_list_append (labels, _("No Owner"));
      for (guint i = 0; i < users->len; i++)
        {
          const char *name = ((CrmWireUser *) users->pdata[i])->name;

          /* a server's name longer than an owner may be could never be saved */
          if (g_utf8_strlen (name, -1) > (glong) max)
            continue;
          if (g_strcmp0 (name, current) == 0)
            selected = self->owner_values->len;
          g_ptr_array_add (self->owner_values, g_strdup (name));
          gtk_string_list_append (labels, name);
        }
      if (*current != '\0' && selected == 0)
        {
          /* typed before the team was known: kept, and chosen */
          selected = self->owner_values->len;
          g_ptr_array_add (self->owner_values, g_strdup (current));
          gtk_string_list_append (labels, current);
        }
    }
  if (self->owner_choice == NULL && self->owner_values->len > 0)
    {
      self->owner_choice = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
      gtk_widget_set_hexpand (GTK_WIDGET (self->owner_choice), TRUE);
      /* named by the field's label (its mnemonic widget: labelled-by); the
       * button inside it, which takes the focus, by name */
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->owner_choice));
           child != NULL; child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_BUTTON (child))
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Owner"), -1);
      gtk_box_append (GTK_BOX (self->owner_box), GTK_WIDGET (self->owner_choice));
      g_signal_connect_object (self->owner_choice, "notify::selected",
                               G_CALLBACK (on_owner_chosen), self, G_CONNECT_SWAPPED);
    }
  if (self->owner_choice != NULL)
    {
      gtk_drop_down_set_model (self->owner_choice, G_LIST_MODEL (labels));
      gtk_drop_down_set_selected (self->owner_choice, selected);
      gtk_widget_set_visible (GTK_WIDGET (self->owner_choice), self->owner_values->len > 0);
    }
  self->choosing = FALSE;

  gtk_widget_set_visible (entry, self->owner_values->len == 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->labels[CRM_CONTACT_FIELD_OWNER]),
                                 self->owner_values->len > 0
                                 ? GTK_WIDGET (self->owner_choice) : entry);
}

static void
crm_contact_editor_dispose (GObject *object)
{
  CrmContactEditor *self = (CrmContactEditor *)object;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->tag_completion);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONTACT_EDITOR);
  self->owner_choice = NULL;   /* went with owner_box */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->contact);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_contact_editor_parent_class)->dispose (object);
}

static void
crm_contact_editor_finalize (GObject *object)
{
  CrmContactEditor *self = (CrmContactEditor *)object;

  g_ptr_array_unref (self->owner_values);

  G_OBJECT_CLASS (crm_contact_editor_parent_class)->finalize (object);
}

static void
crm_contact_editor_class_init (CrmContactEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_contact_editor_dispose;
  object_class->finalize = crm_contact_editor_finalize;

  /**
   * CrmContactEditor::changed:
   *
   * Emitted when the person changes a field.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (CRM_TYPE_FOLLOWUP_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-contact-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, duplicate_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, duplicate_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, timestamps_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, deals_box);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, deals_total);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, deals_list);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, new_deal_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, timeline);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, owner_box);
  gtk_widget_class_bind_template_callback (widget_class, on_deal_row_activated);
  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    {
      const char *column = crm_contact_field_get_column (f);
      g_autofree char *input = g_strconcat (column, "_input", NULL);
      g_autofree char *label = g_strconcat (column, "_label", NULL);
      g_autofree char *error = g_strconcat (column, "_error", NULL);

      gtk_widget_class_bind_template_child_full (widget_class, input, FALSE,
                                                 G_STRUCT_OFFSET (CrmContactEditor, inputs)
                                                 + f * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, label, FALSE,
                                                 G_STRUCT_OFFSET (CrmContactEditor, labels)
                                                 + f * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, error, FALSE,
                                                 G_STRUCT_OFFSET (CrmContactEditor, errors)
                                                 + f * sizeof (gpointer));
    }
}

static void
crm_contact_editor_init (CrmContactEditor *self)
{
  self->owner_values = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    {
      GtkWidget *input = self->inputs[f];
      GtkEventController *focus = gtk_event_controller_focus_new ();
      guint max = crm_contact_field_get_max_length (f);

      g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), self);
      gtk_widget_add_controller (input, focus);

      if (GTK_IS_TEXT_VIEW (input))
        g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), "changed",
                                 G_CALLBACK (on_input_changed), self, G_CONNECT_SWAPPED);
      else
        {
          g_signal_connect_object (input, "changed", G_CALLBACK (on_input_changed), self,
                                   G_CONNECT_SWAPPED);
          /* a paste cannot make a field longer than the store accepts, and
           * the field says when it cut one */
          gtk_entry_set_max_length (GTK_ENTRY (input), max);
          g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (input)),
                                   "insert-text", G_CALLBACK (on_insert_text), self, 0);
          g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (input)),
                                   "delete-text", G_CALLBACK (on_delete_text), self, 0);
        }

      /* the error line describes its field for screen readers */
      gtk_accessible_update_relation (GTK_ACCESSIBLE (input),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->errors[f],
                                      NULL, -1);
    }
  /* the tag being typed is completed from the contacts' tags */
  self->tag_completion = crm_tag_completion_new (GTK_ENTRY (self->inputs[CRM_CONTACT_FIELD_TAGS]));
}

GtkWidget *
crm_contact_editor_new (void)
{
  return g_object_new (CRM_TYPE_CONTACT_EDITOR, NULL);
}

#define MAX_DEALS_SHOWN 50

/* The contact's deals, newest first, with the total of the open ones, and
 * the button for a new one; only for a saved contact. */
static void
update_deals (CrmContactEditor *self)
{
  g_autoptr (GPtrArray) deals = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *total = NULL;
  g_autofree char *total_text = NULL;
  gint64 open_total = 0;
  GtkWidget *row;

  while ((row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->deals_list, 0))) != NULL)
    gtk_list_box_remove (self->deals_list, row);

  if (self->store == NULL || self->contact == NULL || !crm_contact_is_saved (self->contact))
    {
      gtk_widget_set_visible (self->deals_box, FALSE);
      return;
    }
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->new_deal_button), "s",
                                    crm_contact_get_id (self->contact));
  deals = crm_store_list_contact_deals (self->store, crm_contact_get_id (self->contact),
                                        &open_total, &error);
  if (deals == NULL)
    {
      g_warning ("Cannot list the contact's deals: %s", error->message);
      deals = g_ptr_array_new ();
    }
  for (guint i = 0; i < deals->len && i < MAX_DEALS_SHOWN; i++)
    {
      CrmDeal *deal = g_ptr_array_index (deals, i);
      g_autofree char *money = crm_format_money (crm_deal_get_amount (deal), "CNY");
      /* TRANSLATORS: a deal under its contact: stage · amount */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s"),
                                                   crm_deal_stage_get_label (crm_deal_get_stage (deal)),
                                                   money);
      g_autofree char *escaped = g_markup_escape_text (crm_deal_get_title (deal), -1);
      AdwActionRow *action_row = ADW_ACTION_ROW (adw_action_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), escaped);
      adw_action_row_set_subtitle (action_row, subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (action_row), TRUE);
      adw_action_row_add_suffix (action_row, gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (action_row), "crm-deal-id",
                              g_strdup (crm_deal_get_id (deal)), g_free);
      gtk_list_box_append (self->deals_list, GTK_WIDGET (action_row));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->deals_list), deals->len > 0);
  total = crm_format_money (open_total, "CNY");
  if (deals->len == 0)
    total_text = g_strdup (_("No deals yet"));
  else if (deals->len > MAX_DEALS_SHOWN)
    /* TRANSLATORS: the newest 50 of more deals are listed */
    total_text = g_strdup_printf (_("%u deals, the newest %u shown · open %s"),
                                  deals->len, MAX_DEALS_SHOWN, total);
  else
    total_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u deal · open %s",
                                               "%u deals · open %s", deals->len),
                                  deals->len, total);
  gtk_label_set_text (self->deals_total, total_text);
  gtk_widget_set_visible (self->deals_box, TRUE);
}

static void
on_deal_changed (CrmContactEditor *self,
                 CrmDeal          *before,
                 CrmDeal          *after)
{
  const char *id = self->contact ? crm_contact_get_id (self->contact) : NULL;

  if (id == NULL)
    return;
  if ((before != NULL && g_strcmp0 (crm_deal_get_contact_id (before), id) == 0)
      || (after != NULL && g_strcmp0 (crm_deal_get_contact_id (after), id) == 0))
    update_deals (self);
}

static void
on_deal_row_activated (CrmContactEditor *self,
                       GtkListBoxRow    *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "crm-deal-id");

  if (id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-deal", "s", id);
}

void
crm_contact_editor_set_store (CrmContactEditor *self,
                              CrmStore         *store)
{
  g_return_if_fail (CRM_IS_CONTACT_EDITOR (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      g_signal_connect_swapped (store, "deal-changed", G_CALLBACK (on_deal_changed), self);
      g_signal_connect_swapped (store, "deals-reset", G_CALLBACK (update_deals), self);
      g_signal_connect_swapped (store, "team-users-changed",
                                G_CALLBACK (update_owner_choice), self);
    }
  crm_followup_timeline_set_store (self->timeline, store);
  crm_tag_completion_set_store (self->tag_completion, store);
  update_deals (self);
  update_owner_choice (self);
}

/* The follow-ups of a saved contact (crm-followup-timeline.c) */
static void
update_timeline (CrmContactEditor *self)
{
  gboolean saved = self->contact != NULL && crm_contact_is_saved (self->contact);

  crm_followup_timeline_show_contact (self->timeline,
                                      saved ? crm_contact_get_id (self->contact) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->timeline), saved && self->store != NULL);
}

/* "Added Nov 24, 2026, 17:03 · Changed …", in local time */
static void
update_timestamps (CrmContactEditor *self)
{
  g_autofree char *added = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *added_text = NULL;
  g_autofree char *changed_text = NULL;
  g_autofree char *text = NULL;

  if (self->contact == NULL || !crm_contact_is_saved (self->contact))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->timestamps_label), FALSE);
      return;
    }
  added = crm_format_timestamp (crm_contact_get_created_at (self->contact), NULL);
  changed = crm_format_timestamp (crm_contact_get_updated_at (self->contact), NULL);
  added_text = g_strdup_printf (_("Added %s"), added ? added : "");
  changed_text = g_strdup_printf (_("Changed %s"), changed ? changed : "");
  text = g_strcmp0 (added, changed) == 0 ? g_strdup (added_text)
                                         : g_strconcat (added_text, " · ", changed_text, NULL);
  gtk_label_set_text (self->timestamps_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->timestamps_label), TRUE);
}

/**
 * crm_contact_editor_set_contact:
 * @contact: (nullable): the contact to edit; a new (unsaved) contact starts
 *   an empty form; %NULL clears the form
 */
void
crm_contact_editor_set_contact (CrmContactEditor *self,
                                CrmContact       *contact)
{
  g_return_if_fail (CRM_IS_CONTACT_EDITOR (self));

  g_set_object (&self->contact, contact);
  self->loading = TRUE;
  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    {
      self->cut[f] = FALSE;
      set_input_text (self, f, contact ? crm_contact_get_field (contact, f) : "");
      crm_contact_editor_show_error (self, f, NULL);
    }
  self->loading = FALSE;
  crm_tag_completion_hide (self->tag_completion);
  update_owner_choice (self);
  gtk_revealer_set_reveal_child (self->duplicate_revealer, FALSE);
  update_timestamps (self);
  update_deals (self);
  update_timeline (self);
}

CrmContact *
crm_contact_editor_get_contact (CrmContactEditor *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_EDITOR (self), NULL);
  return self->contact;
}

/**
 * crm_contact_editor_is_dirty:
 *
 * Returns: whether any field differs from the contact being edited.
 */
gboolean
crm_contact_editor_is_dirty (CrmContactEditor *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_EDITOR (self), FALSE);

  if (self->contact == NULL)
    return FALSE;
  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    {
      g_autofree char *text = get_input_text (self, f);
      if (g_strcmp0 (text, crm_contact_get_field (self->contact, f)) != 0)
        return TRUE;
    }
  return FALSE;
}

/* The cursor at the end of the field, nothing selected: a stray key adds to
 * what was typed instead of replacing it. */
static void
focus_keeping_text (GtkWidget *input)
{
  /* the owner's entry hidden behind its drop-down: the drop-down */
  if (!gtk_widget_get_visible (input) && GTK_IS_BOX (gtk_widget_get_parent (input)))
    gtk_widget_child_focus (gtk_widget_get_parent (input), GTK_DIR_TAB_FORWARD);
  else if (GTK_IS_ENTRY (input))
    {
      gtk_entry_grab_focus_without_selecting (GTK_ENTRY (input));
      gtk_editable_set_position (GTK_EDITABLE (input), -1);
    }
  else
    gtk_widget_grab_focus (input);
}

/**
 * crm_contact_editor_apply:
 * @error: (nullable): what is wrong with the first field that is not valid
 *
 * Checks every field, showing what is wrong on each.
 *
 * Returns: (transfer full) (nullable): a copy of the contact with the typed
 *   values, normalised, ready to save; %NULL when a field is not valid, with
 *   the focus moved to the first such field.
 */
CrmContact *
crm_contact_editor_apply (CrmContactEditor  *self,
                          GError           **error)
{
  g_autoptr (CrmContact) copy = NULL;
  GtkWidget *first_invalid = NULL;

  g_return_val_if_fail (CRM_IS_CONTACT_EDITOR (self), NULL);

  if (self->contact == NULL)
    return NULL;

  copy = crm_contact_copy (self->contact);
  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    {
      g_autofree char *normalized = NULL;

      if (check_field (self, f, &normalized, first_invalid == NULL ? error : NULL))
        crm_contact_set_field (copy, f, normalized);
      else if (first_invalid == NULL)
        first_invalid = self->inputs[f];
    }

  if (first_invalid != NULL)
    {
      focus_keeping_text (first_invalid);
      return NULL;
    }
  return g_steal_pointer (&copy);
}

/* The cursor in the name, at its end, nothing selected: a stray key adds
 * to the name instead of replacing it. */
void
crm_contact_editor_focus_first (CrmContactEditor *self)
{
  g_return_if_fail (CRM_IS_CONTACT_EDITOR (self));
  focus_keeping_text (self->inputs[CRM_CONTACT_FIELD_NAME]);
}

/**
 * crm_contact_editor_get_timeline:
 *
 * Returns: (transfer none): the contact's follow-ups, shown under the form
 */
CrmFollowupTimeline *
crm_contact_editor_get_timeline (CrmContactEditor *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_EDITOR (self), NULL);
  return self->timeline;
}
