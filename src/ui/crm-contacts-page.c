/* crm-contacts-page.c — the contact list and the editor beside it
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keyboard first: Ctrl+N starts a new contact with the focus in its name,
 * Ctrl+Enter saves, Shift+Ctrl+Enter saves and starts the next one, Escape
 * drops the change (asking first when something was typed) and returns to
 * the list, Ctrl+Delete deletes with an undo toast (from inside the form's
 * fields too), Ctrl+Z undoes, Ctrl+F searches, Ctrl+J then a letter jumps
 * to the first contact of that letter (the A–Z index, crm-letter-index.c,
 * which a click also does), Shift+Ctrl+F logs a follow-up of the contact
 * (its timeline is under the form, crm-followup-timeline.c). A change is
 * never dropped without the person asking: selecting another contact saves
 * it first, or stays when it cannot be saved.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-contact-editor.h"
#include "crm-contact-letters.h"
#include "crm-contact-list.h"
#include "crm-format.h"
#include "crm-letter-index.h"
#include "crm-contacts-page.h"
#include "crm-contacts-sort.h"
#include "crm-discard-dialog.h"
#include "crm-followup-timeline.h"
#include "crm-undo.h"


struct _CrmContactsPage
{
  GtkWidget           parent_instance;

  CrmStore           *store;
  CrmContactList     *contacts;
  GtkSingleSelection *selection;
  CrmUndoQueue        undo;         /* CrmContact */
  GtkWidget          *leave_dialog;  /* "Discard the Changes?" while open */

  AdwToastOverlay    *toast_overlay;
  AdwLeaflet         *leaflet;
  GtkWidget          *list_pane;
  GtkWidget          *editor_pane;
  AdwWindowTitle     *list_title;
  AdwViewSwitcherTitle *editor_title;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  CrmLetterIndex     *letter_index;
  GtkMenuButton      *sort_button;
  CrmContactsSort    *sort;          /* the order and filter: crm-contacts-sort.c */
  GtkStack           *editor_stack;
  CrmContactEditor   *editor;

  guint               selecting : 1;
  guint               activate_pending : 1;
  guint               list_changing : 1;  /* inside the list's items-changed */
};

G_DEFINE_FINAL_TYPE (CrmContactsPage, crm_contacts_page, GTK_TYPE_WIDGET)

static void
update_actions (CrmContactsPage *self)
{
  CrmContact *editing = crm_contact_editor_get_contact (self->editor);
  gboolean saved = editing != NULL && crm_contact_is_saved (editing);

  /* Save only when there is something to save: a field differs from the
   * stored contact, or something is typed into a new one */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.save",
                                 editing != NULL
                                 && crm_contact_editor_is_dirty (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.save-and-new", editing != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.cancel", editing != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.delete", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.log-followup", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.undo",
                                 !crm_undo_queue_is_empty (&self->undo));
}

static void
update_titles (CrmContactsPage *self)
{
  CrmContact *editing = crm_contact_editor_get_contact (self->editor);
  guint n = self->contacts ? g_list_model_get_n_items (G_LIST_MODEL (self->contacts)) : 0;
  g_autofree char *count = NULL;
  const char *query = self->contacts ? crm_contact_list_get_query (self->contacts) : NULL;

  if (query != NULL)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact", "%u contacts", n), n);
  adw_window_title_set_subtitle (self->list_title, count);

  if (editing == NULL)
    adw_view_switcher_title_set_title (self->editor_title, "");
  else if (!crm_contact_is_saved (editing))
    adw_view_switcher_title_set_title (self->editor_title, _("New Contact"));
  else
    adw_view_switcher_title_set_title (self->editor_title, crm_contact_get_name (editing));
  adw_view_switcher_title_set_subtitle (self->editor_title,
                                 crm_contact_editor_is_dirty (self->editor)
                                 ? _("Unsaved changes") : "");
}

static void
update_list_state (CrmContactsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (crm_contact_list_get_query (self->contacts) != NULL)
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else if (crm_contact_list_get_owner (self->contacts) != NULL)
    gtk_stack_set_visible_child_name (self->list_stack, "no-customers");
  else if (crm_contact_list_get_stale_days (self->contacts) > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "all-followed-up");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  update_titles (self);
}

static void
show_contact (CrmContactsPage *self,
              CrmContact      *contact)
{
  crm_contact_editor_set_contact (self->editor, contact);
  gtk_stack_set_visible_child_name (self->editor_stack, contact ? "editor" : "none");
  update_actions (self);
  update_titles (self);
}

static void
show_toast (CrmContactsPage *self,
            const char      *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Selects @contact in the list, scrolled into view; FALSE when it isn't
 * listed (filtered out by the search). */
static gboolean
select_contact (CrmContactsPage *self,
                CrmContact      *contact)
{
  guint pos = crm_contact_list_find (self->contacts, contact);

  if (pos == G_MAXUINT)
    return FALSE;
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, pos);
  self->selecting = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", pos);
  return TRUE;
}

/* The A–Z index: the first contact of @letter (or of the next letter that
 * has one) is selected, as a click on it would, and scrolled to. */
static void
on_letter_activated (CrmContactsPage *self,
                     int              letter,
                     CrmLetterIndex  *index)
{
  guint pos;

  if (self->contacts == NULL)
    return;
  pos = crm_contact_list_find_letter (self->contacts, (char)letter);
  if (pos == G_MAXUINT)
    return;
  gtk_single_selection_set_selected (self->selection, pos);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", pos);
}

/* Ctrl+J: the focus to the index, on the letter of the selected contact */
static void
jump_letter_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (widget);
  CrmContact *selected = self->selection
                         ? gtk_single_selection_get_selected_item (self->selection) : NULL;

  if (self->contacts == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->contacts)) == 0)
    return;
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  crm_letter_index_focus_letter (self->letter_index,
                                 selected ? crm_contact_get_letter (selected) : 'A');
}

static void
focus_list (CrmContactsPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->contacts)) > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* Saves what the editor holds, if anything changed. FALSE leaves the
 * editor as it is, with @error saying why: a field that is not valid (shown
 * on the field too, @field_error set) or the store refusing. */
static gboolean
try_commit (CrmContactsPage  *self,
            gboolean          select_saved,
            gboolean         *field_error,
            GError          **error)
{
  CrmContact *editing = crm_contact_editor_get_contact (self->editor);
  g_autoptr (CrmContact) applied = NULL;

  *field_error = FALSE;
  if (editing == NULL || !crm_contact_editor_is_dirty (self->editor))
    return TRUE;

  applied = crm_contact_editor_apply (self->editor, error);
  if (applied == NULL)
    {
      *field_error = TRUE;
      return FALSE;
    }

  if (!crm_store_save_contact (self->store, applied, error))
    return FALSE;

  show_contact (self, applied);
  if (select_saved)
    select_contact (self, applied);
  return TRUE;
}

/* As try_commit(), showing why on the field, or in a toast for the store. */
static gboolean
commit_edit_full (CrmContactsPage *self,
                  gboolean         select_saved)
{
  g_autoptr (GError) error = NULL;
  gboolean field_error;

  if (try_commit (self, select_saved, &field_error, &error))
    return TRUE;
  if (!field_error && error != NULL)
    show_toast (self, error->message);
  return FALSE;
}

static gboolean
commit_edit (CrmContactsPage *self)
{
  return commit_edit_full (self, TRUE);
}

gboolean
crm_contacts_page_finish_editing (CrmContactsPage *self)
{
  g_return_val_if_fail (CRM_IS_CONTACTS_PAGE (self), TRUE);
  return self->store == NULL || commit_edit (self);
}

static void
start_new (CrmContactsPage *self)
{
  g_autoptr (CrmContact) contact = crm_contact_new ();
  const char *user = self->sort ? crm_contacts_sort_get_user (self->sort) : NULL;

  /* signed in, a new contact is the user's own customer until changed */
  if (user != NULL)
    crm_contact_set_field (contact, CRM_CONTACT_FIELD_OWNER, user);

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
  show_contact (self, contact);
  adw_leaflet_set_visible_child (self->leaflet, self->editor_pane);
  crm_contact_editor_focus_first (self->editor);
}

/* The edited contact's row was replaced under the selection (a follow-up
 * moved its "last followed up", a sync changed it): it stays selected, and
 * shown as it is now unless something is typed into it. */
static gboolean
keep_edited_selected (CrmContactsPage *self)
{
  CrmContact *editing = crm_contact_editor_get_contact (self->editor);
  g_autoptr (CrmContact) now = NULL;
  guint pos;

  if (editing == NULL || !crm_contact_is_saved (editing))
    return FALSE;
  now = crm_store_get_contact (self->store, crm_contact_get_id (editing), NULL);
  pos = now != NULL ? crm_contact_list_find (self->contacts, now) : G_MAXUINT;
  if (pos == G_MAXUINT)
    return FALSE;
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, pos);
  self->selecting = FALSE;
  if (!crm_contact_editor_is_dirty (self->editor))
    show_contact (self, now);
  return TRUE;
}

static void
on_selection_changed (CrmContactsPage *self)
{
  g_autoptr (CrmContact) selected = NULL;
  CrmContact *editing = crm_contact_editor_get_contact (self->editor);

  if (self->selecting)
    return;

  selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected != NULL)
    g_object_ref (selected);
  else if (self->list_changing && keep_edited_selected (self))
    return;

  if (!commit_edit_full (self, FALSE))
    {
      /* cannot save the change: stay on it */
      self->selecting = TRUE;
      if (editing && crm_contact_is_saved (editing))
        select_contact (self, editing);
      else
        gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      self->selecting = FALSE;
      return;
    }

  if (selected != NULL)
    {
      /* saving may have moved rows: find the chosen one again */
      select_contact (self, selected);
      show_contact (self, selected);
    }
  else if (editing != NULL && crm_contact_is_saved (editing))
    show_contact (self, NULL);
}

static void
on_items_changing (CrmContactsPage *self)
{
  self->list_changing = TRUE;
}

static void
on_items_changed (CrmContactsPage *self)
{
  CrmContact *editing = crm_contact_editor_get_contact (self->editor);

  self->list_changing = FALSE;

  update_list_state (self);

  /* the list changed under the selection: keep it on what is edited */
  if (editing != NULL && crm_contact_is_saved (editing)
      && gtk_single_selection_get_selected_item (self->selection) != NULL)
    {
      CrmContact *selected = gtk_single_selection_get_selected_item (self->selection);
      if (g_strcmp0 (crm_contact_get_id (selected), crm_contact_get_id (editing)) != 0)
        select_contact (self, editing);
    }
}

static void
on_editor_changed (CrmContactsPage *self)
{
  update_actions (self);
  update_titles (self);
}

static void
on_search_changed (CrmContactsPage *self)
{
  crm_contact_list_set_query (self->contacts, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
select_first_result (CrmContactsPage *self)
{
  self->activate_pending = FALSE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->contacts)) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
    }
}

static void
on_searching_changed (CrmContactsPage *self)
{
  if (self->activate_pending && !crm_contact_list_get_searching (self->contacts))
    select_first_result (self);
}

/* Enter in the search entry opens the first result: of what was typed, even
 * when the search has not started (search-delay) or not finished yet. */
static void
on_search_activate (CrmContactsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *typed = g_strstrip (g_strdup (text));
  const char *query = crm_contact_list_get_query (self->contacts);

  if (g_strcmp0 (query ? query : "", typed) != 0)
    crm_contact_list_set_query (self->contacts, text);
  if (crm_contact_list_get_searching (self->contacts))
    self->activate_pending = TRUE;
  else
    select_first_result (self);
}

static void
on_search_stop (CrmContactsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  crm_contact_list_set_query (self->contacts, NULL);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  focus_list (self);
}

static void
on_list_activate (CrmContactsPage *self,
                  guint            position)
{
  if (gtk_single_selection_get_selected (self->selection) != position)
    gtk_single_selection_set_selected (self->selection, position);
  if (crm_contact_editor_get_contact (self->editor) != NULL)
    {
      adw_leaflet_set_visible_child (self->leaflet, self->editor_pane);
      crm_contact_editor_focus_first (self->editor);
    }
}

/* contacts.new and contacts.save-and-new: keep what is being edited, then
 * start an empty form */
static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (widget);

  if (commit_edit (self))
    start_new (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (widget);
  CrmContact *editing = crm_contact_editor_get_contact (self->editor);

  if (editing == NULL || !commit_edit (self))
    return;
  if (!crm_contact_is_saved (crm_contact_editor_get_contact (self->editor)))
    {
      /* nothing typed into a new contact: nothing to keep */
      show_contact (self, NULL);
    }
  focus_list (self);
}

static void
drop_edit (CrmContactsPage *self)
{
  CrmContact *editing = crm_contact_editor_get_contact (self->editor);
  CrmContact *selected = gtk_single_selection_get_selected_item (self->selection);

  if (editing == NULL)
    return;
  g_object_ref (editing);
  /* leave the form first: its fields are about to be hidden or reloaded */
  focus_list (self);
  /* drop the change: show the contact as stored, or nothing for a new one */
  if (crm_contact_is_saved (editing))
    show_contact (self, editing); /* reloads the fields from the contact */
  else
    show_contact (self, selected);
  g_object_unref (editing);
}

static void
on_discard_answer (GtkWidget *owner,
                   gboolean   discard)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (owner);

  if (discard)
    drop_edit (self);
  else
    crm_contact_editor_focus_first (self->editor);
}

/* Escape: what was typed is not dropped without asking (as in the deal
 * editor); with nothing typed, straight back to the list. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (widget);

  if (crm_contact_editor_get_contact (self->editor) == NULL)
    return;
  if (!crm_contact_editor_is_dirty (self->editor))
    {
      drop_edit (self);
      return;
    }
  crm_discard_dialog_ask (widget, _("What was typed into this contact is not saved."),
                          on_discard_answer, NULL, NULL);
}

static void
on_leave_answer (GtkWidget *owner,
                 gboolean   discard)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (owner);

  self->leave_dialog = NULL;
  /* Keep Editing: the form stays as typed, the focus back where it was
   * (the field that stops the saving) */
  if (discard)
    drop_edit (self);
}

static void
on_leave_dialog_destroy (CrmContactsPage *self)
{
  self->leave_dialog = NULL;
}

/**
 * crm_contacts_page_finish_editing_or_ask:
 * @then_action: (nullable): the action to activate (from the page) once the
 *   person has chosen to discard what cannot be saved, e.g. "window.close"
 * @then_param: (nullable): its parameter
 *
 * Saves the contact being edited if it changed. When it cannot be saved (a
 * field that is not valid, a store that refuses), asks whether to keep
 * editing or discard the change, and returns %FALSE: the caller stops;
 * @then_action follows a discard. Asked again while the question is open,
 * shows the same question.
 *
 * Returns: %TRUE when nothing is left unsaved.
 */
gboolean
crm_contacts_page_finish_editing_or_ask (CrmContactsPage *self,
                                         const char      *then_action,
                                         GVariant        *then_param)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) param = then_param ? g_variant_ref_sink (then_param) : NULL;
  g_autofree char *body = NULL;
  gboolean field_error;

  g_return_val_if_fail (CRM_IS_CONTACTS_PAGE (self), TRUE);

  if (self->leave_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->leave_dialog));
      return FALSE;
    }
  if (self->store == NULL || try_commit (self, TRUE, &field_error, &error))
    return TRUE;

  body = g_strdup_printf (_("The contact cannot be saved: %s"),
                          error != NULL ? error->message : "");
  /* as the certification page and the deal editor ask */
  self->leave_dialog = crm_discard_dialog_ask (GTK_WIDGET (self), body, on_leave_answer,
                                               then_action, param);
  g_signal_connect_object (self->leave_dialog, "destroy", G_CALLBACK (on_leave_dialog_destroy),
                           self, G_CONNECT_SWAPPED);
  return FALSE;
}

/* The focus moves to the next contact, where the deleted one was. */
static void
select_after_delete (CrmContactsPage *self,
                     guint            pos)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));

  show_contact (self, NULL);
  if (n > 0 && pos != GTK_INVALID_LIST_POSITION)
    {
      self->selecting = TRUE;
      gtk_single_selection_set_selected (self->selection, MIN (pos, n - 1));
      self->selecting = FALSE;
      show_contact (self, gtk_single_selection_get_selected_item (self->selection));
    }
  focus_list (self);
}

typedef struct
{
  CrmContactsPage *page;
  CrmContact      *contact;
  guint            pos;
} DeleteRequest;

static void
delete_request_free (gpointer data)
{
  DeleteRequest *request = data;

  g_object_unref (request->page);
  g_object_unref (request->contact);
  g_free (request);
}

static void
on_delete_with_deals_response (AdwMessageDialog *dialog,
                               const char       *response,
                               DeleteRequest    *request)
{
  CrmContactsPage *self = request->page;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  CrmContactDealsPolicy policy;

  if (g_strcmp0 (response, "unlink") == 0)
    policy = CRM_CONTACT_DEALS_UNLINK;
  else if (g_strcmp0 (response, "delete") == 0)
    policy = CRM_CONTACT_DEALS_DELETE;
  else
    {
      focus_list (self);
      return;
    }
  if (!crm_store_delete_contact_with_deals (self->store, request->contact, policy, &error))
    {
      show_toast (self, error->message);
      return;
    }
  message = g_strdup_printf (policy == CRM_CONTACT_DEALS_UNLINK
                             ? _("“%s” deleted; the deals were kept without a customer")
                             : _("“%s” and the deals deleted"),
                             crm_contact_get_name (request->contact));
  show_toast (self, message);
  select_after_delete (self, request->pos);
}

/* A contact with deals: ask what becomes of them, never orphan or delete
 * them silently. */
static void
ask_delete_with_deals (CrmContactsPage *self,
                       CrmContact      *contact,
                       guint            n_deals,
                       guint            pos)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  DeleteRequest *request = g_new0 (DeleteRequest, 1);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"),
                                     crm_contact_get_name (contact));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "This contact has %u deal. Keep it without a customer, or delete it with the contact?",
                                               "This contact has %u deals. Keep them without a customer, or delete them with the contact?",
                                               n_deals),
                                  n_deals);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "unlink", _("_Keep the Deals"),
                                    "delete", _("_Delete the Deals Too"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  request->page = g_object_ref (self);
  request->contact = g_object_ref (contact);
  request->pos = pos;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_with_deals_response),
                         request, (GClosureNotify)(void (*) (void))delete_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (widget);
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  guint pos = gtk_single_selection_get_selected (self->selection);
  guint n_deals;

  if (crm_contact_editor_get_contact (self->editor) == NULL
      || !crm_contact_is_saved (crm_contact_editor_get_contact (self->editor)))
    return;
  contact = g_object_ref (crm_contact_editor_get_contact (self->editor));

  n_deals = crm_store_count_contact_deals (self->store, contact);
  if (n_deals > 0)
    {
      ask_delete_with_deals (self, contact, n_deals, pos);
      return;
    }

  if (!crm_store_delete_contact (self->store, contact, &error))
    {
      show_toast (self, error->message);
      return;
    }

  crm_undo_queue_push (&self->undo, contact, crm_contact_get_name (contact));

  select_after_delete (self, pos);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (widget);
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error = NULL;

  if (crm_undo_queue_is_empty (&self->undo) || !commit_edit (self))
    return;

  contact = crm_undo_queue_pop (&self->undo);
  if (!crm_store_restore_contact (self->store, contact, &error))
    {
      show_toast (self, error->message);
      update_actions (self);
      return;
    }
  show_contact (self, contact);
  select_contact (self, contact);
  focus_list (self);
}

/* Ctrl+Shift+F: a follow-up of the contact shown (crm-followup-dialog.c) */
static void
log_followup_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (widget);
  CrmContact *editing = crm_contact_editor_get_contact (self->editor);

  if (editing != NULL && crm_contact_is_saved (editing))
    crm_followup_timeline_log (crm_contact_editor_get_timeline (self->editor));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmContactsPage *self = CRM_CONTACTS_PAGE (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  /* a query already typed is selected: typing replaces it */
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/**
 * crm_contacts_page_open_contact:
 *
 * Shows @contact in the editor, selected in the list (the search is
 * cleared when it hides it), the focus on the list: Today's Return and a
 * reminder's notification open a contact this way.
 */
void
crm_contacts_page_open_contact (CrmContactsPage *self,
                                CrmContact      *contact)
{
  g_return_if_fail (CRM_IS_CONTACTS_PAGE (self));
  g_return_if_fail (CRM_IS_CONTACT (contact));

  if (self->contacts == NULL || !crm_contacts_page_finish_editing (self))
    return;
  if (!select_contact (self, contact) && crm_contact_list_get_query (self->contacts) != NULL)
    {
      on_search_stop (self);
      select_contact (self, contact);
    }
  show_contact (self, contact);
  focus_list (self);
}

void
crm_contacts_page_set_store (CrmContactsPage *self,
                             CrmStore        *store)
{
  g_return_if_fail (CRM_IS_CONTACTS_PAGE (self));
  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  crm_contact_editor_set_store (self->editor, store);
  self->contacts = crm_contact_list_new (store);
  /* before the selection's own handler: see keep_edited_selected() */
  g_signal_connect_object (self->contacts, "items-changed",
                           G_CALLBACK (on_items_changing), self, G_CONNECT_SWAPPED);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->contacts)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->contacts, "items-changed",
                           G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->contacts, "notify::searching",
                           G_CALLBACK (on_searching_changed), self, G_CONNECT_SWAPPED);
  self->sort = crm_contacts_sort_new (GTK_WIDGET (self), self->contacts, self->list_view,
                                      GTK_WIDGET (self->letter_index), self->sort_button);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  update_list_state (self);
  update_actions (self);
}

/**
 * crm_contacts_page_set_sync_controller:
 * @controller: the app's team account
 *
 * Signed in, a new contact's owner is the user, and the sort menu offers
 * "My Customers" (crm-contacts-sort.c follows the account); signed out,
 * neither. After crm_contacts_page_set_store().
 */
void
crm_contacts_page_set_sync_controller (CrmContactsPage   *self,
                                       CrmSyncController *controller)
{
  g_return_if_fail (CRM_IS_CONTACTS_PAGE (self));
  g_return_if_fail (self->sort != NULL);

  crm_contacts_sort_set_sync_controller (self->sort, controller);
}

static void
crm_contacts_page_dispose (GObject *object)
{
  CrmContactsPage *self = (CrmContactsPage *)object;

  crm_undo_queue_clear (&self->undo);
  g_clear_object (&self->sort);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONTACTS_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->contacts);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_contacts_page_parent_class)->dispose (object);
}

/* the row's phone as people read it (crm-contact-row.ui): 138 1234 5678 */
static char *
format_phone (GtkListItem *item,
              const char  *canonical)
{
  return crm_format_phone (canonical);
}

static void
crm_contacts_page_class_init (CrmContactsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_contacts_page_dispose;

  g_type_ensure (CRM_TYPE_CONTACT);
  g_type_ensure (CRM_TYPE_CONTACT_EDITOR);
  g_type_ensure (CRM_TYPE_LETTER_INDEX);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-contacts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, editor_pane);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, list_title);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, editor_title);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, letter_index);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, sort_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsPage, editor);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_letter_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_changed);
  gtk_widget_class_bind_template_callback (widget_class, format_phone);
  gtk_widget_class_bind_template_callback_full (widget_class, "format_last_followup",
                                                G_CALLBACK (crm_contacts_sort_format_hidden));

  gtk_widget_class_install_action (widget_class, "contacts.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "contacts.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "contacts.save-and-new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "contacts.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "contacts.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "contacts.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "contacts.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "contacts.log-followup", NULL,
                                   log_followup_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "contacts.log-followup", NULL);
  gtk_widget_class_install_action (widget_class, "contacts.jump-letter", NULL,
                                   jump_letter_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "contacts.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "contacts.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, GDK_CONTROL_MASK,
                                       "contacts.jump-letter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "contacts.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                       "contacts.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, GDK_CONTROL_MASK,
                                       "contacts.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "contacts.undo", NULL);
}

/* Ctrl+Enter and Shift+Ctrl+Enter save from any field, the notes too: a
 * text view would take them as a new line, so they are caught on the way
 * down (capture phase) rather than on the way up like the other keys. */
static void
add_form_shortcuts (CrmContactsPage *self)
{
  static const struct { guint key; GdkModifierType mods; const char *action; } keys[] = {
    { GDK_KEY_Return, GDK_CONTROL_MASK, "contacts.save" },
    { GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "contacts.save" },
    { GDK_KEY_Return, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "contacts.save-and-new" },
    { GDK_KEY_KP_Enter, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "contacts.save-and-new" },
  };
  static const guint delete_keys[] = { GDK_KEY_Delete, GDK_KEY_KP_Delete };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key,
                                                                                    keys[i].mods),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  /* Ctrl+Delete deletes the contact from any field of the form: an entry
   * or the notes would take it as "delete the next word". Only in the
   * form: in the search entry it stays the entry's own key. When there is
   * no saved contact to delete, the action is disabled and the field keeps
   * the key. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (delete_keys); i++)
    {
      GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (delete_keys[i], GDK_CONTROL_MASK);
      GtkShortcutAction *action = gtk_named_action_new ("contacts.delete");

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                            gtk_shortcut_new (trigger, action));
    }
  gtk_widget_add_controller (self->editor_pane, controller);
}

static void
crm_contacts_page_init (CrmContactsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  crm_undo_queue_init (&self->undo, self->toast_overlay, "contacts.undo");
  add_form_shortcuts (self);
  crm_followup_timeline_add_host_keys (crm_contact_editor_get_timeline (self->editor),
                                       GTK_WIDGET (self));
  gtk_search_bar_set_key_capture_widget (self->search_bar, self->list_pane);
  show_contact (self, NULL);
}
