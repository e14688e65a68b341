/* crm-today-page.c — Today: the next steps overdue, due today and in the coming week
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a salesperson opens first in the morning (Ctrl+4): the open next
 * steps of follow-ups, in three sections by crm_followup_due_bucket()
 * (Overdue, Today, Next 7 Days), each row the contact, the next step, its
 * due time in local time and the deal. Return opens the contact
 * (win.open-contact); Ctrl+D marks the step done: the follow-up form
 * (crm-followup-dialog.c, in its completing mode) asks for the outcome and
 * offers the next step, and crm_store_complete_followup() stores both.
 *
 * Two queries walk the store's index of open steps: the overdue ones
 * (crm_store_list_due_followups(), the earliest CRM_TODAY_OVERDUE_LIMIT)
 * and the week's (crm_store_list_reminders() from the start of today, at
 * most CRM_TODAY_COMING_LIMIT), so a backlog of overdue steps never hides
 * today's and a store with 100,000 follow-ups lists as fast as one with
 * ten. The rows are a GtkListBox, which keeps each in the accessibility
 * tree (screen readers and the tests read them); making a row takes about
 * a third of a millisecond, so the first CRM_TODAY_CHUNK are made at once
 * and the others in idle chunks after the first frame (measured with
 * bench-followups' store: 500 rows at once took 125-200 ms).
 * The list is reloaded when the store changes, but only while it is shown
 * (a hidden page is marked stale and reloads when mapped), and at local
 * midnight, when today's steps become overdue.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-followup-dialog.h"
#include "crm-format.h"
#include "crm-reminder-controller.h"
#include "crm-today-page.h"

struct _CrmTodayPage
{
  GtkWidget        parent_instance;

  CrmStore        *store;
  guint            midnight;      /* the timer that reloads when the day changes */
  guint            stale : 1;     /* the store changed while the page was hidden */
  guint            counts[CRM_FOLLOWUP_DUE_LATER + 1];
  GPtrArray       *pending;       /* CrmFollowup: what the list shows, in order */
  GArray          *buckets;       /* CrmFollowupDue, parallel to pending */
  guint            built;         /* how many of pending have their row yet */
  guint            build_idle;
  char            *reselect_id;   /* the selected step, selected again once listed */
  gboolean         reselect_focus;

  AdwToastOverlay *toast_overlay;
  AdwViewSwitcherTitle *window_title;
  GtkStack        *stack;
  GtkListBox      *list;
  GtkLabel        *more_label;
};

G_DEFINE_FINAL_TYPE (CrmTodayPage, crm_today_page, GTK_TYPE_WIDGET)

static CrmFollowup *
row_followup (GtkListBoxRow *row)
{
  return row ? g_object_get_data (G_OBJECT (row), "crm-followup") : NULL;
}

static CrmFollowupDue
row_bucket (GtkListBoxRow *row)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "crm-bucket"));
}

static const char *
bucket_title (CrmFollowupDue bucket)
{
  switch (bucket)
    {
    case CRM_FOLLOWUP_DUE_OVERDUE:
      return _("Overdue");
    case CRM_FOLLOWUP_DUE_TODAY:
      return _("Today");
    case CRM_FOLLOWUP_DUE_THIS_WEEK:
      return _("Next 7 Days");
    case CRM_FOLLOWUP_DUE_NONE:
    case CRM_FOLLOWUP_DUE_LATER:
    default:
      return "";
    }
}

/* a section's heading above its first row */
static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  CrmTodayPage *self = user_data;
  CrmFollowupDue bucket = row_bucket (row);
  g_autofree char *text = NULL;
  GtkWidget *label;

  if (before != NULL && row_bucket (before) == bucket)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  /* Translators: a section of Today and how many next steps it has */
  text = g_strdup_printf (_("%s (%u)"), bucket_title (bucket), self->counts[bucket]);
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, before ? 18 : 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_add_css_class (label, "heading");
  if (bucket == CRM_FOLLOWUP_DUE_OVERDUE)
    gtk_widget_add_css_class (label, "error");
  gtk_list_box_row_set_header (row, label);
}

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* the due time as read in its section: a time today, a date otherwise */
static char *
format_due (CrmFollowup    *followup,
            CrmFollowupDue  bucket)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (crm_followup_get_next_at (followup),
                                                            NULL);
  g_autoptr (GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  if (bucket == CRM_FOLLOWUP_DUE_TODAY)
    return g_date_time_format (local, "%H:%M");
  return crm_format_timestamp (crm_followup_get_next_at (followup), NULL);
}

static GtkWidget *
new_row (CrmFollowup    *followup,
         CrmFollowupDue  bucket)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *due_label;
  const char *deal = crm_followup_get_deal_title (followup);
  g_autofree char *due = format_due (followup, bucket);
  g_autofree char *name = NULL;
  g_autofree char *accessible = NULL;

  if (deal != NULL && *deal != '\0')
    /* Translators: a contact's name and one of their deals */
    name = g_strdup_printf (_("%s · %s"), crm_followup_get_contact_name (followup), deal);
  else
    name = g_strdup (crm_followup_get_contact_name (followup));
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), new_label (name, "heading"));
  gtk_box_append (GTK_BOX (texts), new_label (crm_followup_get_next_step (followup), NULL));
  due_label = new_label (due, "numeric");
  gtk_widget_set_valign (due_label, GTK_ALIGN_CENTER);
  if (bucket == CRM_FOLLOWUP_DUE_OVERDUE)
    gtk_widget_add_css_class (due_label, "error");
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), due_label);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* Translators: a row of Today as a screen reader says it: the contact
   * (and deal), the next step, when it is due */
  accessible = g_strdup_printf (_("%s: %s, due %s"), name,
                                crm_followup_get_next_step (followup), due);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data_full (G_OBJECT (row), "crm-followup", g_object_ref (followup),
                          g_object_unref);
  g_object_set_data (G_OBJECT (row), "crm-bucket", GINT_TO_POINTER (bucket));
  return row;
}

static gboolean on_midnight (gpointer user_data);

/* the reload when the local day changes, a second after midnight */
static void
arm_midnight (CrmTodayPage *self,
              GDateTime    *now_local)
{
  g_autoptr (GDateTime) today = g_date_time_new_local (g_date_time_get_year (now_local),
                                                       g_date_time_get_month (now_local),
                                                       g_date_time_get_day_of_month (now_local),
                                                       0, 0, 0);
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (today, 1);
  GTimeSpan wait = g_date_time_difference (tomorrow, now_local);

  g_clear_handle_id (&self->midnight, g_source_remove);
  /* at most an hour: the monotonic clock stands still while the computer sleeps */
  wait = CLAMP (wait / G_USEC_PER_SEC + 1, 1, 3600);
  self->midnight = g_timeout_add_seconds (wait, on_midnight, self);
}

static void
update_title (CrmTodayPage *self)
{
  guint due = self->counts[CRM_FOLLOWUP_DUE_OVERDUE] + self->counts[CRM_FOLLOWUP_DUE_TODAY];
  g_autofree char *subtitle = NULL;

  if (due > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u next step due",
                                             "%u next steps due", due), due);
  adw_view_switcher_title_set_subtitle (self->window_title, subtitle ? subtitle : "");
}

/* the rows of the next @n entries of the pending list */
static void
build_rows (CrmTodayPage *self,
            guint         n)
{
  for (; n > 0 && self->built < self->pending->len; n--, self->built++)
    {
      CrmFollowup *followup = g_ptr_array_index (self->pending, self->built);
      CrmFollowupDue bucket = g_array_index (self->buckets, CrmFollowupDue, self->built);
      GtkWidget *row = new_row (followup, bucket);

      gtk_list_box_append (self->list, row);
      if (self->reselect_id != NULL
          && g_str_equal (self->reselect_id, crm_followup_get_id (followup)))
        {
          gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
          if (self->reselect_focus)
            gtk_widget_grab_focus (row);
          g_clear_pointer (&self->reselect_id, g_free);
        }
    }
}

static gboolean
on_build_idle (gpointer user_data)
{
  CrmTodayPage *self = user_data;

  build_rows (self, CRM_TODAY_CHUNK);
  if (self->built < self->pending->len)
    return G_SOURCE_CONTINUE;
  self->build_idle = 0;
  g_clear_pointer (&self->reselect_id, g_free);
  return G_SOURCE_REMOVE;
}

static int
compare_next_at (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (crm_followup_get_next_at (*(CrmFollowup **) a),
                    crm_followup_get_next_at (*(CrmFollowup **) b));
}

/* Two queries, each walking the index of open steps: the overdue ones
 * (the earliest first), and today's and the week's (by their reminder
 * time, which is the due time unless snoozed: an overdue step snoozed into
 * today is still overdue, and is listed once). Each is limited, so that a
 * backlog of overdue steps never hides today's. */
static GPtrArray *
list_due (CrmTodayPage  *self,
          GDateTime     *now,
          gboolean      *cut,
          GError       **error)
{
  g_autoptr (GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                       g_date_time_get_month (now),
                                                       g_date_time_get_day_of_month (now),
                                                       0, 0, 0);
  g_autoptr (GDateTime) after = g_date_time_add_seconds (today, -1);
  g_autoptr (GDateTime) week_end = g_date_time_add_days (today, 8);
  g_autoptr (GDateTime) until = g_date_time_add_seconds (week_end, -1);
  g_autofree char *today_iso = crm_reminder_format_utc (today);
  g_autofree char *after_iso = crm_reminder_format_utc (after);
  g_autofree char *until_iso = crm_reminder_format_utc (until);
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) coming = NULL;
  guint n_coming = 0;

  due = crm_store_list_due_followups (self->store, today_iso, CRM_TODAY_OVERDUE_LIMIT + 1,
                                      error);
  if (due == NULL)
    return NULL;
  *cut = due->len > CRM_TODAY_OVERDUE_LIMIT;
  if (*cut)
    g_ptr_array_set_size (due, CRM_TODAY_OVERDUE_LIMIT);
  coming = crm_store_list_reminders (self->store, after_iso, until_iso, error);
  if (coming == NULL)
    return NULL;
  g_ptr_array_sort (coming, compare_next_at);
  for (guint i = 0; i < coming->len; i++)
    {
      CrmFollowup *followup = g_ptr_array_index (coming, i);

      /* in the first list already */
      if (g_strcmp0 (crm_followup_get_next_at (followup), today_iso) < 0)
        continue;
      if (n_coming++ == CRM_TODAY_COMING_LIMIT)
        {
          *cut = TRUE;
          break;
        }
      g_ptr_array_add (due, g_object_ref (followup));
    }
  return g_steal_pointer (&due);
}

/**
 * crm_today_page_reload:
 *
 * Lists the open next steps again, keeping the selected one selected. The
 * first rows are made at once, the others in idle chunks (a few hundred
 * rows take longer than a frame to make).
 */
void
crm_today_page_reload (CrmTodayPage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GError) error = NULL;
  CrmFollowup *selected;
  GtkWidget *child;
  GtkRoot *root;
  gboolean cut = FALSE;
  gint64 start = g_get_monotonic_time ();

  g_return_if_fail (CRM_IS_TODAY_PAGE (self));

  self->stale = FALSE;
  arm_midnight (self, now);
  if (self->store == NULL)
    return;

  due = list_due (self, now, &cut, &error);
  if (due == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  /* what was selected stays selected, once its row is made */
  selected = row_followup (gtk_list_box_get_selected_row (self->list));
  g_free (self->reselect_id);
  self->reselect_id = selected != NULL ? g_strdup (crm_followup_get_id (selected)) : NULL;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  child = root != NULL ? gtk_root_get_focus (root) : NULL;
  self->reselect_focus = child != NULL && gtk_widget_is_ancestor (child,
                                                                  GTK_WIDGET (self->list));

  g_clear_handle_id (&self->build_idle, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  memset (self->counts, 0, sizeof self->counts);
  g_ptr_array_set_size (self->pending, 0);
  g_array_set_size (self->buckets, 0);
  self->built = 0;

  for (guint i = 0; i < due->len; i++)
    {
      CrmFollowup *followup = g_ptr_array_index (due, i);
      CrmFollowupDue bucket = crm_followup_due_bucket (crm_followup_get_next_at (followup),
                                                       crm_followup_get_done_at (followup),
                                                       now);

      if (bucket != CRM_FOLLOWUP_DUE_OVERDUE && bucket != CRM_FOLLOWUP_DUE_TODAY
          && bucket != CRM_FOLLOWUP_DUE_THIS_WEEK)
        continue;
      self->counts[bucket]++;
      g_ptr_array_add (self->pending, g_object_ref (followup));
      g_array_append_val (self->buckets, bucket);
    }

  build_rows (self, CRM_TODAY_CHUNK);
  if (self->built < self->pending->len)
    self->build_idle = g_idle_add_full (G_PRIORITY_LOW, on_build_idle, self, NULL);
  else
    g_clear_pointer (&self->reselect_id, g_free);
  if (gtk_list_box_get_selected_row (self->list) == NULL
      && gtk_list_box_get_row_at_index (self->list, 0) != NULL)
    gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, 0));

  gtk_widget_set_visible (GTK_WIDGET (self->more_label), cut);
  if (cut)
    {
      g_autofree char *more = g_strdup_printf (_("Only the first %u next steps are listed: "
                                                 "mark some done to see the others."),
                                               self->pending->len);
      gtk_label_set_text (self->more_label, more);
    }
  gtk_stack_set_visible_child_name (self->stack, self->pending->len > 0 ? "list" : "empty");
  update_title (self);
  /* G_MESSAGES_DEBUG=crm-ui: the figure of README's Performance table */
  g_debug ("Today: %u next steps, the first %u rows shown in %.1f ms", self->pending->len,
           self->built, (g_get_monotonic_time () - start) / 1000.0);
}

static gboolean
on_midnight (gpointer user_data)
{
  CrmTodayPage *self = user_data;

  self->midnight = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    crm_today_page_reload (self);
  else
    self->stale = TRUE;
  if (self->midnight == 0)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      arm_midnight (self, now);
    }
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (CrmTodayPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    crm_today_page_reload (self);
  else
    self->stale = TRUE;
}

static void
on_row_activated (CrmTodayPage  *self,
                  GtkListBoxRow *row)
{
  CrmFollowup *followup = row_followup (row);

  if (followup != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-contact", "s",
                                crm_followup_get_contact_id (followup));
}

static void
on_done_saved (CrmTodayPage      *self,
               CrmFollowup       *next,
               CrmFollowupDialog *dialog)
{
  crm_today_page_reload (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Marked done")));
  crm_today_page_focus (self);
}

/* today.done (Ctrl+D): the outcome and the next step, in the follow-up form */
static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmTodayPage *self = CRM_TODAY_PAGE (widget);
  CrmFollowup *followup = row_followup (gtk_list_box_get_selected_row (self->list));
  g_autoptr (CrmFollowup) template = NULL;
  CrmFollowupDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (followup == NULL || self->store == NULL)
    return;
  /* the outcome is a new follow-up of the same contact, deal and kind */
  template = crm_followup_new ();
  crm_followup_set_contact_id (template, crm_followup_get_contact_id (followup));
  crm_followup_set_deal_id (template, crm_followup_get_deal_id (followup));
  crm_followup_set_kind (template, crm_followup_get_kind (followup));
  dialog = crm_followup_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    self->store, template,
                                    crm_followup_get_contact_id (followup),
                                    crm_followup_get_deal_id (followup));
  crm_followup_dialog_set_completing (dialog, followup);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_done_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
crm_today_page_map (GtkWidget *widget)
{
  CrmTodayPage *self = CRM_TODAY_PAGE (widget);

  GTK_WIDGET_CLASS (crm_today_page_parent_class)->map (widget);
  if (self->stale)
    crm_today_page_reload (self);
}

static void
crm_today_page_dispose (GObject *object)
{
  CrmTodayPage *self = (CrmTodayPage *)object;

  g_clear_handle_id (&self->midnight, g_source_remove);
  g_clear_handle_id (&self->build_idle, g_source_remove);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->buckets, g_array_unref);
  g_clear_pointer (&self->reselect_id, g_free);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_TODAY_PAGE);

  G_OBJECT_CLASS (crm_today_page_parent_class)->dispose (object);
}

static void
crm_today_page_class_init (CrmTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_today_page_dispose;
  widget_class->map = crm_today_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-today-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, list);
  gtk_widget_class_bind_template_child (widget_class, CrmTodayPage, more_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "today.done", NULL, done_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "today.done", NULL);
}

static void
crm_today_page_init (CrmTodayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_header_func (self->list, update_header, self, NULL);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->buckets = g_array_new (FALSE, FALSE, sizeof (CrmFollowupDue));
  self->stale = TRUE;
}

/**
 * crm_today_page_set_store:
 *
 * Lists @store's next steps, and again whenever it changes.
 */
void
crm_today_page_set_store (CrmTodayPage *self,
                          CrmStore     *store)
{
  static const char * const changes[] = {
    "contact-changed", "contacts-reset", "deal-changed", "deals-reset",
    "followup-changed", "followups-reset",
  };

  g_return_if_fail (CRM_IS_TODAY_PAGE (self));
  g_return_if_fail (CRM_IS_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  /* a follow-up's writes tell the contact (its last_followup_at) */
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    if (g_signal_lookup (changes[i], CRM_TYPE_STORE) != 0)
      g_signal_connect_object (store, changes[i], G_CALLBACK (on_store_changed), self,
                               G_CONNECT_SWAPPED);
  on_store_changed (self);
}

/**
 * crm_today_page_focus:
 *
 * The focus to the selected next step (the first one when none is), or to
 * the page when nothing is due.
 */
void
crm_today_page_focus (CrmTodayPage *self)
{
  GtkListBoxRow *row;

  g_return_if_fail (CRM_IS_TODAY_PAGE (self));

  if (self->stale)
    crm_today_page_reload (self);
  row = gtk_list_box_get_selected_row (self->list);
  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->list, 0);
  if (row != NULL)
    {
      gtk_list_box_select_row (self->list, row);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
  else
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

/**
 * crm_today_page_count:
 *
 * Returns: how many next steps the section @bucket lists
 */
guint
crm_today_page_count (CrmTodayPage   *self,
                      CrmFollowupDue  bucket)
{
  g_return_val_if_fail (CRM_IS_TODAY_PAGE (self), 0);
  g_return_val_if_fail (bucket <= CRM_FOLLOWUP_DUE_LATER, 0);
  return self->counts[bucket];
}
