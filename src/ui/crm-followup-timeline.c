/* crm-followup-timeline.c — a contact's or a deal's follow-ups, newest first
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shown on a contact's page and in a deal's editor. A contact may have
 * thousands of follow-ups, and its page must still open in one frame, so
 * the rows come from the store a page of PAGE_SIZE at a time (LIMIT/OFFSET
 * on the store's (contact_id, happened_at) index): the first page when the
 * contact is shown, the next ones as the enclosing scrolled window nears
 * its end, or by the "Show Older Follow-ups" button for the keyboard. The
 * open next step (the soonest due among those loaded) is written above the
 * rows, overdue ones in the error colour.
 *
 * It reads the first page again when the store tells of a change to one
 * of its follow-ups (#CrmStore::followup-changed: logged here, done in
 * Today, pulled by sync). Logging (Ctrl+Shift+F, crm_followup_timeline_log())
 * opens the CrmFollowupDialog; a logged follow-up and a deleted one
 * (Ctrl+Delete on its row) can be taken back by the toast's Undo, or by
 * Ctrl+Z while the toast shows (the owner routes the key:
 * crm_followup_timeline_undo()).
 * The toast goes to the nearest AdwToastOverlay above the timeline, so the
 * page's own toasts and ours share one place; its button is connected
 * directly, since the page's actions cannot see the timeline's.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-followup-dialog.h"
#include "crm-followup-timeline.h"
#include "crm-format.h"

#define PAGE_SIZE 50
#define NOTES_LINES 3
#define MAX_UNDO 20

typedef struct
{
  CrmFollowup *followup;
  gboolean     logged;    /* TRUE: undo deletes it; FALSE: undo restores it */
} UndoItem;

struct _CrmFollowupTimeline
{
  GtkWidget       parent_instance;

  CrmStore       *store;
  char           *contact_id;   /* one of the two is set */
  char           *deal_id;
  guint           n_shown;
  gboolean        has_more;
  char           *next_at;      /* the soonest open next step shown, UTC */
  GArray         *undo;         /* UndoItem, newest last */
  AdwToast       *toast;        /* the Undo toast while shown (weak) */
  GtkAdjustment  *vadjustment;  /* the enclosing scrolled window's (weak) */

  GtkLabel       *count_label;
  GtkWidget      *next_box;
  GtkLabel       *next_label;
  GtkStack       *stack;
  GtkListBox     *list;
  GtkButton      *more_button;
};

G_DEFINE_FINAL_TYPE (CrmFollowupTimeline, crm_followup_timeline, GTK_TYPE_WIDGET)

static const char *
kind_icon (CrmFollowupKind kind)
{
  static const char *icons[] = {
    [CRM_FOLLOWUP_CALL] = "call-start-symbolic",
    [CRM_FOLLOWUP_VISIT] = "find-location-symbolic",
    [CRM_FOLLOWUP_WECHAT] = "chat-message-new-symbolic",
    [CRM_FOLLOWUP_EMAIL] = "mail-unread-symbolic",
    [CRM_FOLLOWUP_MEETING] = "emoji-people-symbolic",
    [CRM_FOLLOWUP_OTHER] = "document-edit-symbolic",
  };

  return kind < G_N_ELEMENTS (icons) ? icons[kind] : icons[CRM_FOLLOWUP_OTHER];
}

/* "_Call" → "Call", "电话(_C)" → "电话" */
static char *
kind_name (CrmFollowupKind kind)
{
  g_autofree char *label = g_strdup (crm_followup_kind_get_label (kind));
  char *paren = strstr (label, "(_");
  char *u;

  if (paren != NULL)
    *paren = '\0';
  while ((u = strchr (label, '_')) != NULL)
    memmove (u, u + 1, strlen (u));
  return g_strstrip (g_steal_pointer (&label));
}

/* The first NOTES_LINES lines of @notes, "…" when there is more. */
static char *
first_lines (const char *notes)
{
  g_auto (GStrv) lines = g_strsplit (notes ? notes : "", "\n", NOTES_LINES + 1);
  guint n = g_strv_length (lines);

  if (n <= NOTES_LINES)
    return g_strjoinv ("\n", lines);
  g_free (lines[NOTES_LINES]);
  lines[NOTES_LINES] = NULL;
  {
    g_autofree char *text = g_strjoinv ("\n", lines);
    return g_strconcat (text, "…", NULL);
  }
}

static GtkWidget *
add_label (GtkBox     *box,
           const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
  return label;
}

/* "Next: call back · due Nov 30, 2026, 09:00", or "… · done" */
static char *
next_step_text (CrmFollowup *f)
{
  g_autofree char *due = crm_format_timestamp (crm_followup_get_next_at (f), NULL);
  const char *step = crm_followup_get_next_step (f);

  if (crm_followup_get_done_at (f) != NULL)
    /* TRANSLATORS: a next step and when it was due, done */
    return g_strdup_printf (_("Next: %s · due %s · done"), step ? step : "", due ? due : "");
  /* TRANSLATORS: a next step and when it is due */
  return g_strdup_printf (_("Next: %s · due %s"), step ? step : "", due ? due : "");
}

static GtkWidget *
make_row (CrmFollowupTimeline *self,
          CrmFollowup         *f,
          GDateTime           *now)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon = gtk_image_new_from_icon_name (kind_icon (crm_followup_get_kind (f)));
  g_autofree char *kind = kind_name (crm_followup_get_kind (f));
  g_autofree char *when = crm_format_timestamp (crm_followup_get_happened_at (f), NULL);
  /* TRANSLATORS: a follow-up's heading: how · when, "Call · Nov 29, 2026, 14:30" */
  g_autofree char *heading = g_strdup_printf (_("%s · %s"), kind, when ? when : "");
  g_autofree char *notes = first_lines (crm_followup_get_notes (f));
  g_autofree char *next = NULL;
  g_autofree char *name = NULL;
  GString *deal = NULL;

  gtk_widget_set_margin_top (hbox, 8);
  gtk_widget_set_margin_bottom (hbox, 8);
  gtk_widget_set_margin_start (hbox, 12);
  gtk_widget_set_margin_end (hbox, 12);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (hbox), icon);
  gtk_widget_set_hexpand (vbox, TRUE);
  gtk_box_append (GTK_BOX (hbox), vbox);

  add_label (GTK_BOX (vbox), heading, "heading");
  if (self->deal_id == NULL && crm_followup_get_deal_title (f) != NULL
      && *crm_followup_get_deal_title (f) != '\0')
    {
      deal = g_string_new (NULL);
      /* TRANSLATORS: the deal a follow-up is about */
      g_string_printf (deal, _("Deal: %s"), crm_followup_get_deal_title (f));
      add_label (GTK_BOX (vbox), deal->str, "dim-label");
    }
  if (*notes != '\0')
    add_label (GTK_BOX (vbox), notes, NULL);
  if (crm_followup_get_next_at (f) != NULL)
    {
      CrmFollowupDue due = crm_followup_due_bucket (crm_followup_get_next_at (f),
                                                    crm_followup_get_done_at (f), now);
      GtkWidget *label;

      next = next_step_text (f);
      label = add_label (GTK_BOX (vbox), next, "caption");
      if (due == CRM_FOLLOWUP_DUE_OVERDUE)
        gtk_widget_add_css_class (label, "error");
      else if (due == CRM_FOLLOWUP_DUE_TODAY)
        gtk_widget_add_css_class (label, "warning");
      else if (crm_followup_get_done_at (f) != NULL)
        gtk_widget_add_css_class (label, "dim-label");
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), hbox);

  /* one sentence for a screen reader (and for the tests) */
  {
    GString *sentence = g_string_new (heading);

    if (*notes != '\0')
      g_string_append_printf (sentence, "; %s", notes);
    if (next != NULL)
      g_string_append_printf (sentence, "; %s", next);
    name = g_string_free (sentence, FALSE);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (row), "crm-followup", g_object_ref (f), g_object_unref);
  if (deal != NULL)
    g_string_free (deal, TRUE);
  return row;
}

static void
update_next_label (CrmFollowupTimeline *self,
                   CrmFollowup         *soonest,
                   GDateTime           *now)
{
  g_autofree char *text = NULL;
  CrmFollowupDue due;

  gtk_widget_set_visible (self->next_box, soonest != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->next_label), "error");
  if (soonest == NULL)
    return;
  text = next_step_text (soonest);
  gtk_label_set_text (self->next_label, text);
  due = crm_followup_due_bucket (crm_followup_get_next_at (soonest), NULL, now);
  if (due == CRM_FOLLOWUP_DUE_OVERDUE)
    gtk_widget_add_css_class (GTK_WIDGET (self->next_label), "error");
}

static void
update_count (CrmFollowupTimeline *self)
{
  g_autofree char *text = NULL;

  if (self->contact_id != NULL && self->store != NULL)
    {
      guint n = crm_store_count_contact_followups (self->store, self->contact_id);

      if (n > 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u follow-up", "%u follow-ups",
                                             n), n);
    }
  gtk_label_set_text (self->count_label, text ? text : "");
}

static void
update_state (CrmFollowupTimeline *self)
{
  gtk_stack_set_visible_child_name (self->stack, self->n_shown > 0 ? "list" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->has_more);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.more", self->has_more);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.log",
                                 self->store != NULL
                                 && (self->contact_id != NULL || self->deal_id != NULL));
}

/* Appends the next page of rows; FALSE when there was none or it failed. */
static gboolean
load_page (CrmFollowupTimeline *self)
{
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  CrmFollowup *soonest = NULL;
  guint shown;

  if (self->store == NULL || (self->contact_id == NULL && self->deal_id == NULL))
    return FALSE;
  /* one more than shown, to know whether there are older ones */
  if (self->contact_id != NULL)
    page = crm_store_list_contact_followups (self->store, self->contact_id, self->n_shown,
                                             PAGE_SIZE + 1, &error);
  else
    page = crm_store_list_deal_followups (self->store, self->deal_id, self->n_shown,
                                          PAGE_SIZE + 1, &error);
  if (page == NULL)
    {
      g_warning ("Cannot list the follow-ups: %s", error ? error->message : "?");
      self->has_more = FALSE;
      update_state (self);
      return FALSE;
    }
  shown = MIN (page->len, PAGE_SIZE);
  for (guint i = 0; i < shown; i++)
    {
      CrmFollowup *f = g_ptr_array_index (page, i);
      const char *next_at = crm_followup_get_next_at (f);

      gtk_list_box_append (self->list, make_row (self, f, now));
      if (next_at != NULL && crm_followup_get_done_at (f) == NULL
          && (self->next_at == NULL || strcmp (next_at, self->next_at) < 0))
        {
          g_free (self->next_at);
          self->next_at = g_strdup (next_at);
          soonest = f;
        }
    }
  if (soonest != NULL)
    update_next_label (self, soonest, now);
  self->n_shown += shown;
  self->has_more = page->len > PAGE_SIZE;
  update_state (self);
  return shown > 0;
}

/**
 * crm_followup_timeline_reload:
 *
 * Reads the first page again (after a change made elsewhere).
 */
void
crm_followup_timeline_reload (CrmFollowupTimeline *self)
{
  GtkWidget *row;

  g_return_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self));

  while ((row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, 0))) != NULL)
    gtk_list_box_remove (self->list, row);
  self->n_shown = 0;
  self->has_more = FALSE;
  g_clear_pointer (&self->next_at, g_free);
  update_next_label (self, NULL, NULL);
  load_page (self);
  update_count (self);
  update_state (self);
}

/**
 * crm_followup_timeline_load_more:
 *
 * Returns: whether older follow-ups were added
 */
gboolean
crm_followup_timeline_load_more (CrmFollowupTimeline *self)
{
  g_return_val_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self), FALSE);
  return self->has_more && load_page (self);
}

guint
crm_followup_timeline_get_n_shown (CrmFollowupTimeline *self)
{
  g_return_val_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self), 0);
  return self->n_shown;
}

/* ---- undo ----------------------------------------------------------- */

static void
undo_item_clear (gpointer data)
{
  UndoItem *item = data;

  g_clear_object (&item->followup);
}

static void
dismiss_toast (CrmFollowupTimeline *self)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
}

static void on_toast_undo (CrmFollowupTimeline *self);

static void
push_undo (CrmFollowupTimeline *self,
           CrmFollowup         *followup,
           gboolean             logged)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  UndoItem item = { g_object_ref (followup), logged };

  g_array_append_val (self->undo, item);
  if (self->undo->len > MAX_UNDO)
    g_array_remove_index (self->undo, 0);

  dismiss_toast (self);
  if (overlay == NULL)
    return;
  self->toast = adw_toast_new (logged ? _("Follow-up logged") : _("Follow-up deleted"));
  g_object_add_weak_pointer (G_OBJECT (self->toast), (gpointer *)&self->toast);
  adw_toast_set_button_label (self->toast, _("_Undo"));
  adw_toast_set_priority (self->toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (self->toast, 10);
  g_signal_connect_object (self->toast, "button-clicked", G_CALLBACK (on_toast_undo), self,
                           G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), self->toast);
}

static void
show_toast (CrmFollowupTimeline *self,
            const char          *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_warning ("%s", message);
      return;
    }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/**
 * crm_followup_timeline_can_undo:
 *
 * Returns: whether the Undo toast of a logged or deleted follow-up shows:
 *   while it does, Ctrl+Z is the timeline's (crm_followup_timeline_undo()).
 */
gboolean
crm_followup_timeline_can_undo (CrmFollowupTimeline *self)
{
  g_return_val_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self), FALSE);
  return self->toast != NULL && self->undo->len > 0;
}

/**
 * crm_followup_timeline_undo:
 *
 * Takes back the newest logging (deletes the follow-up) or deletion
 * (restores it).
 *
 * Returns: whether there was something to take back
 */
gboolean
crm_followup_timeline_undo (CrmFollowupTimeline *self)
{
  g_autoptr (GError) error = NULL;
  UndoItem item;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self), FALSE);

  if (self->undo->len == 0 || self->store == NULL)
    return FALSE;
  item = g_array_index (self->undo, UndoItem, self->undo->len - 1);
  item.followup = g_object_ref (item.followup);
  g_array_remove_index (self->undo, self->undo->len - 1);
  dismiss_toast (self);
  if (item.logged)
    ok = crm_store_delete_followup (self->store, item.followup, &error);
  else
    ok = crm_store_restore_followup (self->store, item.followup, &error);
  if (!ok)
    show_toast (self, error->message);
  crm_followup_timeline_reload (self);
  undo_item_clear (&item);
  return TRUE;
}

static void
on_toast_undo (CrmFollowupTimeline *self)
{
  crm_followup_timeline_undo (self);
}

/**
 * crm_followup_timeline_logged:
 * @followup: a follow-up just stored
 *
 * Shows it (the first page read again) and offers Undo.
 */
void
crm_followup_timeline_logged (CrmFollowupTimeline *self,
                              CrmFollowup         *followup)
{
  g_return_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self));
  g_return_if_fail (CRM_IS_FOLLOWUP (followup));

  crm_followup_timeline_reload (self);
  push_undo (self, followup, TRUE);
}

/* ---- actions -------------------------------------------------------- */

static void
on_dialog_saved (CrmFollowupTimeline *self,
                 CrmFollowup         *followup,
                 CrmFollowupDialog   *dialog)
{
  if (g_object_get_data (G_OBJECT (dialog), "crm-editing") != NULL)
    crm_followup_timeline_reload (self);
  else
    crm_followup_timeline_logged (self, followup);
}

static void
open_dialog (CrmFollowupTimeline *self,
             CrmFollowup         *template)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (CrmDeal) deal = NULL;
  const char *contact_id = self->contact_id;
  CrmFollowupDialog *dialog;

  if (self->store == NULL || (self->contact_id == NULL && self->deal_id == NULL))
    return;
  if (contact_id == NULL && template == NULL)
    {
      deal = crm_store_get_deal (self->store, self->deal_id, NULL);
      contact_id = deal ? crm_deal_get_contact_id (deal) : NULL;
      if (contact_id == NULL || *contact_id == '\0')
        {
          show_toast (self, _("This deal has no customer: choose one before logging a follow-up"));
          return;
        }
    }
  dialog = crm_followup_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    self->store, template,
                                    template ? NULL : contact_id,
                                    template ? NULL : self->deal_id);
  if (template != NULL)
    g_object_set_data (G_OBJECT (dialog), "crm-editing", GINT_TO_POINTER (TRUE));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_dialog_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * crm_followup_timeline_log:
 *
 * Opens the form for a new follow-up of the contact (or the deal and its
 * contact) shown; what is saved appears here with an Undo toast.
 */
void
crm_followup_timeline_log (CrmFollowupTimeline *self)
{
  g_return_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self));
  open_dialog (self, NULL);
}

static void
log_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  open_dialog (CRM_FOLLOWUP_TIMELINE (widget), NULL);
}

static void
more_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmFollowupTimeline *self = CRM_FOLLOWUP_TIMELINE (widget);
  GtkListBoxRow *first_new;
  guint before = self->n_shown;

  if (!crm_followup_timeline_load_more (self))
    return;
  /* the keyboard goes on from the first row just added */
  first_new = gtk_list_box_get_row_at_index (self->list, before);
  if (first_new != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (first_new));
}

static void
on_row_activated (CrmFollowupTimeline *self,
                  GtkListBoxRow       *row)
{
  CrmFollowup *f = g_object_get_data (G_OBJECT (row), "crm-followup");

  if (f != NULL)
    open_dialog (self, f);
}

/* Ctrl+Delete on a focused row: deleted at once, with Undo. */
static gboolean
delete_focused (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  CrmFollowupTimeline *self = CRM_FOLLOWUP_TIMELINE (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  GtkWidget *row = focus ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;
  g_autoptr (GError) error = NULL;
  CrmFollowup *f;
  int index;

  if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (self->list))
    return FALSE;
  f = g_object_get_data (G_OBJECT (row), "crm-followup");
  if (f == NULL || self->store == NULL)
    return FALSE;
  g_object_ref (f);
  index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  if (!crm_store_delete_followup (self->store, f, &error))
    show_toast (self, error->message);
  else
    {
      GtkListBoxRow *next;

      crm_followup_timeline_reload (self);
      push_undo (self, f, FALSE);
      next = gtk_list_box_get_row_at_index (self->list, MAX (index, 0));
      if (next == NULL && index > 0)
        next = gtk_list_box_get_row_at_index (self->list, index - 1);
      if (next != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (next));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self));
    }
  g_object_unref (f);
  return TRUE;
}

/**
 * crm_followup_timeline_delete_focused:
 *
 * Deletes the follow-up of the focused row, with Undo.
 *
 * Returns: whether the focus was on a row of the timeline
 */
gboolean
crm_followup_timeline_delete_focused (CrmFollowupTimeline *self)
{
  g_return_val_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self), FALSE);
  return delete_focused (GTK_WIDGET (self), NULL, NULL);
}

static gboolean
on_host_delete (GtkWidget *host,
                GVariant  *args,
                gpointer   timeline)
{
  return crm_followup_timeline_delete_focused (timeline);
}

static gboolean
on_host_undo (GtkWidget *host,
              GVariant  *args,
              gpointer   timeline)
{
  return crm_followup_timeline_can_undo (timeline) && crm_followup_timeline_undo (timeline);
}

/**
 * crm_followup_timeline_add_host_keys:
 * @host: the page or window that shows the timeline
 *
 * The follow-ups' keys on @host, before its form's own (capture phase):
 * Ctrl+Delete on a follow-up's row deletes that follow-up, not what @host
 * shows; Ctrl+Z takes back a logged or deleted follow-up while its Undo
 * toast shows. Otherwise the keys go on to @host's widgets.
 */
void
crm_followup_timeline_add_host_keys (CrmFollowupTimeline *self,
                                     GtkWidget           *host)
{
  static const struct { guint key; GtkShortcutFunc func; } keys[] = {
    { GDK_KEY_Delete, on_host_delete }, { GDK_KEY_KP_Delete, on_host_delete },
    { GDK_KEY_z, on_host_undo },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  g_return_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self));
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, GDK_CONTROL_MASK),
                        gtk_callback_action_new (keys[i].func, self, NULL)));
  gtk_widget_add_controller (host, controller);
}

/* ---- paging as the page scrolls ------------------------------------- */

static void
on_scrolled (CrmFollowupTimeline *self,
             GtkAdjustment       *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);

  /* within a screen of the end: the next page, before it is reached */
  if (self->has_more && value + 2 * page >= upper)
    crm_followup_timeline_load_more (self);
}

static void
watch_scrolling (CrmFollowupTimeline *self)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = NULL;

  if (scrolled != NULL)
    adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  if (adjustment == self->vadjustment)
    return;
  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->vadjustment, self);
      g_object_remove_weak_pointer (G_OBJECT (self->vadjustment),
                                    (gpointer *)&self->vadjustment);
    }
  self->vadjustment = adjustment;
  if (adjustment != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (adjustment), (gpointer *)&self->vadjustment);
      g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_scrolled), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
crm_followup_timeline_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (crm_followup_timeline_parent_class)->root (widget);
  watch_scrolling (CRM_FOLLOWUP_TIMELINE (widget));
}

static void
crm_followup_timeline_dispose (GObject *object)
{
  CrmFollowupTimeline *self = (CrmFollowupTimeline *)object;

  if (self->toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->toast), (gpointer *)&self->toast);
  self->toast = NULL;
  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->vadjustment, self);
      g_object_remove_weak_pointer (G_OBJECT (self->vadjustment),
                                    (gpointer *)&self->vadjustment);
      self->vadjustment = NULL;
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_FOLLOWUP_TIMELINE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->undo, g_array_unref);

  G_OBJECT_CLASS (crm_followup_timeline_parent_class)->dispose (object);
}

static void
crm_followup_timeline_finalize (GObject *object)
{
  CrmFollowupTimeline *self = (CrmFollowupTimeline *)object;

  g_free (self->contact_id);
  g_free (self->deal_id);
  g_free (self->next_at);

  G_OBJECT_CLASS (crm_followup_timeline_parent_class)->finalize (object);
}

static void
crm_followup_timeline_class_init (CrmFollowupTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_followup_timeline_dispose;
  object_class->finalize = crm_followup_timeline_finalize;
  widget_class->root = crm_followup_timeline_root;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-followup-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupTimeline, count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupTimeline, next_box);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupTimeline, next_label);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupTimeline, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupTimeline, list);
  gtk_widget_class_bind_template_child (widget_class, CrmFollowupTimeline, more_button);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "timeline.log", NULL, log_action);
  gtk_widget_class_install_action (widget_class, "timeline.more", NULL, more_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                delete_focused, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Delete, GDK_CONTROL_MASK,
                                delete_focused, NULL);
}

static void
crm_followup_timeline_init (CrmFollowupTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->undo = g_array_new (FALSE, TRUE, sizeof (UndoItem));
  g_array_set_clear_func (self->undo, undo_item_clear);
  update_state (self);
}

GtkWidget *
crm_followup_timeline_new (void)
{
  return g_object_new (CRM_TYPE_FOLLOWUP_TIMELINE, NULL);
}

/* A change made elsewhere (Today, a sync) to one of the follow-ups shown */
static gboolean
concerns_us (CrmFollowupTimeline *self,
             CrmFollowup         *followup)
{
  if (followup == NULL)
    return FALSE;
  if (self->contact_id != NULL)
    return g_strcmp0 (crm_followup_get_contact_id (followup), self->contact_id) == 0;
  return self->deal_id != NULL
         && g_strcmp0 (crm_followup_get_deal_id (followup), self->deal_id) == 0;
}

static void
on_followup_changed (CrmFollowupTimeline *self,
                     CrmFollowup         *before,
                     CrmFollowup         *after)
{
  if (concerns_us (self, before) || concerns_us (self, after))
    crm_followup_timeline_reload (self);
}

void
crm_followup_timeline_set_store (CrmFollowupTimeline *self,
                                 CrmStore            *store)
{
  g_return_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  /* by name when they exist, as Today does: the timeline reloads itself
   * after its own writes in any case */
  if (store != NULL && g_signal_lookup ("followup-changed", CRM_TYPE_STORE) != 0)
    g_signal_connect_object (store, "followup-changed", G_CALLBACK (on_followup_changed), self,
                             G_CONNECT_SWAPPED);
  if (store != NULL && g_signal_lookup ("followups-reset", CRM_TYPE_STORE) != 0)
    g_signal_connect_object (store, "followups-reset", G_CALLBACK (crm_followup_timeline_reload),
                             self, G_CONNECT_SWAPPED);
  crm_followup_timeline_reload (self);
}

static void
show_owner (CrmFollowupTimeline *self,
            const char          *contact_id,
            const char          *deal_id)
{
  g_free (self->contact_id);
  g_free (self->deal_id);
  self->contact_id = contact_id && *contact_id ? g_strdup (contact_id) : NULL;
  self->deal_id = deal_id && *deal_id ? g_strdup (deal_id) : NULL;
  crm_followup_timeline_reload (self);
}

/**
 * crm_followup_timeline_show_contact:
 * @contact_id: (nullable): the contact whose follow-ups are shown
 */
void
crm_followup_timeline_show_contact (CrmFollowupTimeline *self,
                                    const char          *contact_id)
{
  g_return_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self));
  show_owner (self, contact_id, NULL);
}

/**
 * crm_followup_timeline_show_deal:
 * @deal_id: (nullable): the deal whose follow-ups are shown
 */
void
crm_followup_timeline_show_deal (CrmFollowupTimeline *self,
                                 const char          *deal_id)
{
  g_return_if_fail (CRM_IS_FOLLOWUP_TIMELINE (self));
  show_owner (self, NULL, deal_id);
}
