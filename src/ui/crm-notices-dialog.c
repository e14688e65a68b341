/* crm-notices-dialog.c — every notice of the team's server, to read
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The notices the store keeps (crm-store-notices.c), newest first, each with
 * its title, kind, the day it was published and the day it takes effect
 * (in the person's way of writing dates, crm_format_date()) and its whole
 * text, selectable. Opened from the main menu (Notices…) or from the bar of
 * a new pricing notice; opening it marks every notice seen, so the bar
 * does not come back. It reads the store, so it works offline.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-format.h"
#include "crm-notices-dialog.h"

struct _CrmNoticesDialog
{
  AdwWindow   parent_instance;

  CrmStore   *store;

  GtkStack   *stack;
  GtkListBox *list;
  GtkLabel   *error_label;
};

G_DEFINE_FINAL_TYPE (CrmNoticesDialog, crm_notices_dialog, ADW_TYPE_WINDOW)

/**
 * crm_notices_format_day:
 * @iso: "YYYY-MM-DD", or a UTC time in ISO 8601
 *
 * Returns: (transfer full) (nullable): the day as the person reads dates
 *   (a time in the local time zone), or %NULL when @iso is not one
 */
char *
crm_notices_format_day (const char *iso)
{
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (iso == NULL)
    return NULL;
  if (strlen (iso) == 10)
    {
      g_autofree char *midnight = g_strconcat (iso, "T00:00:00Z", NULL);

      /* a day is a day wherever one is: not moved to the local zone */
      when = g_date_time_new_from_iso8601 (midnight, NULL);
      return when ? crm_format_date (when) : NULL;
    }
  when = g_date_time_new_from_iso8601 (iso, NULL);
  if (when == NULL)
    return NULL;
  local = g_date_time_to_local (when);
  return crm_format_date (local);
}

static GtkWidget *
label_new (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
notice_row (CrmWireNotice *notice)
{
  gboolean terms = g_strcmp0 (notice->kind, "terms") == 0;
  g_autofree char *published = crm_notices_format_day (notice->published_at);
  g_autofree char *effective = crm_notices_format_day (notice->effective_at);
  g_autofree char *dates = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = label_new (notice->title, "heading");
  GtkWidget *meta, *body;

  /* Translators: a notice's kind, its publication day and the day it applies:
   * "Pricing · Published Nov 29, 2026 · Takes effect Jan 30, 2027" */
  dates = g_strdup_printf (_("%s · Published %s · Takes effect %s"),
                           terms ? _("Terms of Service") : _("Pricing"),
                           published ? published : notice->published_at,
                           effective ? effective : notice->effective_at);
  meta = label_new (dates, "dim-label");
  body = label_new (notice->body, NULL);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), meta);
  gtk_box_append (GTK_BOX (box), body);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, notice->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, dates, -1);
  return row;
}

static void
show_error (CrmNoticesDialog *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
fill (CrmNoticesDialog *self)
{
  g_autoptr (GPtrArray) notices = NULL;
  g_autoptr (GError) error = NULL;

  notices = crm_store_list_notices (self->store, &error);
  if (notices == NULL)
    {
      show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < notices->len; i++)
    gtk_list_box_append (self->list, notice_row (g_ptr_array_index (notices, i)));
  gtk_stack_set_visible_child_name (self->stack, notices->len > 0 ? "list" : "empty");
  /* read now: the bar of a new pricing notice goes */
  if (notices->len > 0 && !crm_store_mark_notices_seen (self->store, &error))
    show_error (self, error->message);
}

static void
crm_notices_dialog_dispose (GObject *object)
{
  CrmNoticesDialog *self = CRM_NOTICES_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_NOTICES_DIALOG);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (crm_notices_dialog_parent_class)->dispose (object);
}

static void
crm_notices_dialog_class_init (CrmNoticesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_notices_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-notices-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmNoticesDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmNoticesDialog, list);
  gtk_widget_class_bind_template_child (widget_class, CrmNoticesDialog, error_label);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0,
                                (GtkShortcutFunc) gtk_window_close, NULL);
}

static void
crm_notices_dialog_init (CrmNoticesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * crm_notices_dialog_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: a dialog listing the notices; showing them marks them seen.
 */
GtkWidget *
crm_notices_dialog_new (CrmStore  *store,
                        GtkWindow *parent)
{
  CrmNoticesDialog *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_NOTICES_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  fill (self);
  return GTK_WIDGET (self);
}
