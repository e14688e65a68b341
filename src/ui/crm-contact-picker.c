/* crm-contact-picker.c — choose a contact by typing part of it
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An entry with the matching contacts listed under it as one types: the
 * same search as the contact list (a worker thread, any part of a name,
 * phone or e-mail), fast on a million contacts. The keys stay in the
 * entry: Down and Up move through the matches, Enter or Tab takes the
 * highlighted one, Escape closes the list. Emptying the entry means no
 * contact.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-contact-list.h"
#include "crm-contact-picker.h"
#include "crm-contacts-sort.h"
#include "crm-format.h"

struct _CrmContactPicker
{
  GtkWidget           parent_instance;

  CrmStore           *store;
  CrmContactList     *contacts;
  GtkSingleSelection *selection;
  char               *contact_id;
  char               *contact_name;
  guint               setting_text : 1;
  guint               choose_pending : 1;

  GtkEntry           *entry;
  GtkRevealer        *revealer;
  GtkListView        *list_view;
  GtkLabel           *status_label;
};

G_DEFINE_FINAL_TYPE (CrmContactPicker, crm_contact_picker, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_matches (CrmContactPicker *self,
              gboolean          show)
{
  gtk_revealer_set_reveal_child (self->revealer, show);
  gtk_widget_set_visible (GTK_WIDGET (self->revealer), show);
}

static void
update_status (CrmContactPicker *self)
{
  guint n;

  if (self->contacts == NULL || !gtk_revealer_get_reveal_child (self->revealer))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
      return;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));
  if (n == 0 && !crm_contact_list_get_searching (self->contacts))
    {
      gtk_label_set_text (self->status_label, _("No contact matches"));
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
}

static void
on_matches_changed (CrmContactPicker *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));

  /* the first match is the one Enter takes until another is chosen */
  if (n > 0 && gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, 0);
  update_status (self);
}

static void
set_entry_text (CrmContactPicker *self,
                const char       *text)
{
  self->setting_text = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  self->setting_text = FALSE;
}

static void
choose (CrmContactPicker *self,
        CrmContact       *contact)
{
  g_free (self->contact_id);
  g_free (self->contact_name);
  self->contact_id = g_strdup (crm_contact_get_id (contact));
  self->contact_name = g_strdup (crm_contact_get_name (contact));
  set_entry_text (self, self->contact_name);
  show_matches (self, FALSE);
  update_status (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
choose_selected (CrmContactPicker *self)
{
  CrmContact *contact;

  if (!gtk_revealer_get_reveal_child (self->revealer))
    return FALSE;
  contact = gtk_single_selection_get_selected_item (self->selection);
  if (contact == NULL)
    return FALSE;
  choose (self, contact);
  return TRUE;
}

static void
on_entry_changed (CrmContactPicker *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *query = g_strstrip (g_strdup (text));

  if (self->setting_text || self->contacts == NULL)
    return;

  if (self->contact_id != NULL)
    {
      g_clear_pointer (&self->contact_id, g_free);
      g_clear_pointer (&self->contact_name, g_free);
      g_signal_emit (self, signals[CHANGED], 0);
    }
  self->choose_pending = FALSE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  if (*query == '\0')
    {
      show_matches (self, FALSE);
      update_status (self);
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }
  crm_contact_list_set_query (self->contacts, query);
  show_matches (self, TRUE);
  on_matches_changed (self);
}

/* Enter takes the highlighted match; typed faster than the search, it
 * takes the first match of what was typed once the search is done. */
static void
on_entry_activate (CrmContactPicker *self)
{
  if (self->contacts != NULL && gtk_revealer_get_reveal_child (self->revealer)
      && crm_contact_list_get_searching (self->contacts))
    {
      self->choose_pending = TRUE;
      return;
    }
  if (!choose_selected (self))
    gtk_widget_activate_default (GTK_WIDGET (self));
}

static void
on_searching_changed (CrmContactPicker *self)
{
  if (self->choose_pending && !crm_contact_list_get_searching (self->contacts))
    {
      self->choose_pending = FALSE;
      if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION
          && g_list_model_get_n_items (G_LIST_MODEL (self->contacts)) > 0)
        gtk_single_selection_set_selected (self->selection, 0);
      choose_selected (self);
    }
  update_status (self);
}

static void
on_list_activate (CrmContactPicker *self,
                  guint             position)
{
  g_autoptr (CrmContact) contact = g_list_model_get_item (G_LIST_MODEL (self->contacts), position);

  if (contact != NULL)
    {
      choose (self, contact);
      gtk_widget_grab_focus (GTK_WIDGET (self->entry));
    }
}

static void
move_selection (CrmContactPicker *self,
                int               delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));
  guint pos = gtk_single_selection_get_selected (self->selection);

  if (n == 0)
    return;
  if (pos == GTK_INVALID_LIST_POSITION)
    pos = delta > 0 ? 0 : n - 1;
  else if (delta < 0)
    pos = pos > 0 ? pos - 1 : 0;
  else
    pos = MIN (pos + 1, n - 1);
  gtk_single_selection_set_selected (self->selection, pos);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", pos);
}

static gboolean
on_key_pressed (CrmContactPicker      *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  gboolean open = gtk_revealer_get_reveal_child (self->revealer);

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (!open)
        {
          const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
          if (self->contact_id != NULL || *text == '\0')
            return FALSE;
          show_matches (self, TRUE);
        }
      move_selection (self, 1);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (!open)
        return FALSE;
      move_selection (self, -1);
      return TRUE;
    case GDK_KEY_Page_Down:
      if (!open)
        return FALSE;
      move_selection (self, 8);
      return TRUE;
    case GDK_KEY_Page_Up:
      if (!open)
        return FALSE;
      move_selection (self, -8);
      return TRUE;
    case GDK_KEY_Tab:
      /* take the highlighted match, then go on to the next field */
      choose_selected (self);
      return FALSE;
    case GDK_KEY_Escape:
      if (!open)
        return FALSE;
      show_matches (self, FALSE);
      update_status (self);
      return TRUE;
    default:
      return FALSE;
    }
}

void
crm_contact_picker_set_contact (CrmContactPicker *self,
                                const char       *id,
                                const char       *name)
{
  g_return_if_fail (CRM_IS_CONTACT_PICKER (self));

  g_free (self->contact_id);
  g_free (self->contact_name);
  self->contact_id = id && *id ? g_strdup (id) : NULL;
  self->contact_name = self->contact_id ? g_strdup (name ? name : "") : NULL;
  set_entry_text (self, self->contact_name);
  show_matches (self, FALSE);
  update_status (self);
}

/**
 * crm_contact_picker_take_highlighted:
 *
 * Takes the match highlighted in the open suggestions, as Enter would
 * (for a save key pressed while they are open).
 */
void
crm_contact_picker_take_highlighted (CrmContactPicker *self)
{
  g_return_if_fail (CRM_IS_CONTACT_PICKER (self));
  choose_selected (self);
}

const char *
crm_contact_picker_get_contact_id (CrmContactPicker *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_PICKER (self), NULL);
  return self->contact_id;
}

/* Text typed that names no chosen contact yet. */
gboolean
crm_contact_picker_is_pending (CrmContactPicker *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (CRM_IS_CONTACT_PICKER (self), FALSE);

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  return self->contact_id == NULL && *text != '\0';
}

GtkWidget *
crm_contact_picker_get_entry (CrmContactPicker *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_PICKER (self), NULL);
  return GTK_WIDGET (self->entry);
}

void
crm_contact_picker_set_store (CrmContactPicker *self,
                              CrmStore         *store)
{
  g_return_if_fail (CRM_IS_CONTACT_PICKER (self));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->contacts = crm_contact_list_new (store);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->contacts)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->contacts, "items-changed",
                           G_CALLBACK (on_matches_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->contacts, "notify::searching",
                           G_CALLBACK (on_searching_changed), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

static void
crm_contact_picker_dispose (GObject *object)
{
  CrmContactPicker *self = (CrmContactPicker *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONTACT_PICKER);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->contacts);
  g_clear_object (&self->store);
  g_clear_pointer (&self->contact_id, g_free);
  g_clear_pointer (&self->contact_name, g_free);

  G_OBJECT_CLASS (crm_contact_picker_parent_class)->dispose (object);
}

static gboolean
crm_contact_picker_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (CRM_CONTACT_PICKER (widget)->entry));
}

/* the row's phone as people read it (crm-contact-row.ui): 138 1234 5678 */
static char *
format_phone (GtkListItem *item,
              const char  *canonical)
{
  return crm_format_phone (canonical);
}

static void
crm_contact_picker_class_init (CrmContactPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_contact_picker_dispose;
  widget_class->grab_focus = crm_contact_picker_grab_focus;

  /**
   * CrmContactPicker::changed:
   *
   * The chosen contact, or the typed text, changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (CRM_TYPE_CONTACT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/co/xiaohe/Crm/crm-contact-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmContactPicker, entry);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPicker, revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPicker, list_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPicker, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, format_phone);
  /* the shared row (crm-contact-row.ui) says how long ago only in the contacts view */
  gtk_widget_class_bind_template_callback_full (widget_class, "format_last_followup",
                                                G_CALLBACK (crm_contacts_sort_format_hidden));
}

static void
crm_contact_picker_init (CrmContactPicker *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  show_matches (self, FALSE);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
}
