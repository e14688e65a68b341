/* crm-conflicts-dialog.c — "Sync Conflicts": fields edited on two computers,
 * both values, who and when, keep one; and the changes the server refused,
 * with why
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store keeps each field both sides changed (crm-store-sync.h): the
 * value kept (this computer's, which reached the server last and won) and
 * the one that lost, with who set it and when as the server said. One row
 * per conflict shows both, readably (crm-conflict-values.c: money as
 * money, a stage by its name, times in local time). "Keep This Value"
 * marks it seen; "Use the Other Value" writes the other value back as a new
 * edit of the record through its save function (so it goes to the server
 * with the next round, like any edit) and then marks it seen. Contacts,
 * deals and follow-ups take it for every field a person edits; the
 * certification while it can be edited (a locked or submitted one says
 * why only "keep" is offered).
 *
 * The changes the server refused (the outbox's rejected rows) are listed
 * below, each with its reason in words and "Dismiss", which drops the row:
 * the one place a person sees them, so nothing refused is dropped unseen.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-conflicts-dialog.h"
#include "crm-conflicts-dialog-private.h"
#include "crm-form.h"

struct _CrmConflictsDialog
{
  AdwWindow   parent_instance;

  CrmStore   *store;
  GtkListBox *list;
  GtkWidget  *rejections_box;
  GtkListBox *rejections_list;
  GtkLabel   *error_label;
};

G_DEFINE_FINAL_TYPE (CrmConflictsDialog, crm_conflicts_dialog, ADW_TYPE_WINDOW)

static void fill (CrmConflictsDialog *self);

static void
show_error (CrmConflictsDialog *self,
            const GError       *error)
{
  gtk_label_set_text (self->error_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

/* the conflict a button acts on (a copy, owned by the button) */
static CrmConflict *
button_conflict (GtkButton *button)
{
  return g_object_get_data (G_OBJECT (button), "conflict");
}

static void
on_keep_clicked (GtkButton          *button,
                 CrmConflictsDialog *self)
{
  g_autoptr (GError) error = NULL;

  crm_store_resolve_conflict (self->store, button_conflict (button)->id, &error);
  show_error (self, error);
  fill (self);
}

static void
on_use_other_clicked (GtkButton          *button,
                      CrmConflictsDialog *self)
{
  g_autoptr (GError) error = NULL;

  /* a new edit of the record (its outbox row in the same transaction),
   * then the conflict marked seen */
  _crm_conflict_use_other (self->store, button_conflict (button), &error);
  show_error (self, error);
  fill (self);
}

static void
on_dismiss_clicked (GtkButton          *button,
                    CrmConflictsDialog *self)
{
  gint64 local_seq = *(gint64 *) g_object_get_data (G_OBJECT (button), "local-seq");
  g_autoptr (GError) error = NULL;

  crm_store_outbox_dismiss_rejection (self->store, local_seq, &error);
  show_error (self, error);
  fill (self);
}

static GtkWidget *
text_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* one side of a conflict: who (dim), then the value */
static void
append_side (GtkWidget  *box,
             const char *who,
             const char *value)
{
  GtkWidget *label = text_label (value, NULL);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), text_label (who, "dim-label"));
  gtk_box_append (GTK_BOX (box), label);
}

static GtkWidget *
row_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  return box;
}

static CrmConflict *
conflict_copy (const CrmConflict *conflict)
{
  CrmConflict *copy = g_new0 (CrmConflict, 1);

  copy->id = conflict->id;
  copy->kind = conflict->kind;
  copy->record_id = g_strdup (conflict->record_id);
  copy->field = g_strdup (conflict->field);
  copy->lost_value = g_strdup (conflict->lost_value);
  copy->kept_value = g_strdup (conflict->kept_value);
  copy->created_at = g_strdup (conflict->created_at);
  copy->other_user = g_strdup (conflict->other_user);
  copy->other_at = g_strdup (conflict->other_at);
  return copy;
}

static GtkWidget *
conflict_button (CrmConflictsDialog *self,
                 const CrmConflict  *conflict,
                 const char         *mnemonic,
                 const char         *description,
                 GCallback           callback)
{
  GtkWidget *button = crm_form_button_new_with_mnemonic (mnemonic, description);

  g_object_set_data_full (G_OBJECT (button), "conflict", conflict_copy (conflict),
                          (GDestroyNotify) crm_conflict_free);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static GtkWidget *
conflict_row (CrmConflictsDialog *self,
              const CrmConflict  *conflict)
{
  GtkWidget *box = row_box ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *title = _crm_conflict_title (self->store, conflict->kind,
                                                conflict->record_id, conflict->field);
  g_autofree char *kept = _crm_conflict_readable (self->store, conflict->kind, conflict->field,
                                                  conflict->kept_value);
  g_autofree char *lost = _crm_conflict_readable (self->store, conflict->kind, conflict->field,
                                                  conflict->lost_value);
  g_autofree char *who = _crm_conflict_who (conflict->other_user, conflict->other_at);
  g_autofree char *why = NULL;

  gtk_box_append (GTK_BOX (box), text_label (title, "heading"));
  /* Translators: above the value of a conflict this computer set, kept now */
  append_side (box, _("You · kept now"), kept);
  append_side (box, who, lost);

  gtk_widget_set_margin_top (buttons, 6);
  gtk_box_append (GTK_BOX (buttons),
                  conflict_button (self, conflict, _("_Keep This Value"), title,
                                   G_CALLBACK (on_keep_clicked)));
  if (_crm_conflict_can_use_other (self->store, conflict, &why))
    gtk_box_append (GTK_BOX (buttons),
                    conflict_button (self, conflict, _("Use the _Other Value"), title,
                                     G_CALLBACK (on_use_other_clicked)));
  gtk_box_append (GTK_BOX (box), buttons);
  if (why != NULL)
    gtk_box_append (GTK_BOX (box), text_label (why, "dim-label"));
  return box;
}

static GtkWidget *
rejection_row (CrmConflictsDialog       *self,
               const CrmOutboxRejection *rejection)
{
  GtkWidget *box = row_box ();
  GtkWidget *dismiss;
  g_autofree char *record = _crm_conflict_title (self->store, rejection->kind,
                                                 rejection->record_id, NULL);
  g_autofree char *title = NULL;
  g_autofree char *reason = _crm_rejection_reason (rejection->last_error);
  g_autofree char *values = NULL;

  if (rejection->op == CRM_WIRE_OP_DELETE)
    /* Translators: a refused change that deleted "%s" (a contact's name…) */
    title = g_strdup_printf (_("Deleting %s"), record);
  else
    /* Translators: a refused change to "%s" (a contact's name…) */
    title = g_strdup_printf (_("Changes to %s"), record);
  gtk_box_append (GTK_BOX (box), text_label (title, "heading"));
  gtk_box_append (GTK_BOX (box), text_label (reason, NULL));
  if (rejection->op == CRM_WIRE_OP_UPSERT)
    {
      values = _crm_rejection_values (self->store, rejection->kind, rejection->fields_json);
      if (*values != '\0')
        gtk_box_append (GTK_BOX (box), text_label (values, "dim-label"));
    }

  dismiss = crm_form_button_new_with_mnemonic (_("_Dismiss"), title);
  gtk_widget_set_halign (dismiss, GTK_ALIGN_START);
  gtk_widget_set_margin_top (dismiss, 6);
  g_object_set_data_full (G_OBJECT (dismiss), "local-seq",
                          g_memdup2 (&rejection->local_seq, sizeof rejection->local_seq),
                          g_free);
  g_signal_connect (dismiss, "clicked", G_CALLBACK (on_dismiss_clicked), self);
  gtk_box_append (GTK_BOX (box), dismiss);
  return box;
}

static void
clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
fill_rejections (CrmConflictsDialog *self)
{
  g_autoptr (GPtrArray) rejections = NULL;
  g_autoptr (GError) error = NULL;

  clear (self->rejections_list);
  rejections = crm_store_outbox_rejections (self->store, &error);
  if (rejections == NULL)
    {
      show_error (self, error);
      return;
    }
  for (guint i = 0; i < rejections->len; i++)
    gtk_list_box_append (self->rejections_list,
                         rejection_row (self, g_ptr_array_index (rejections, i)));
  gtk_widget_set_visible (self->rejections_box, rejections->len > 0);
}

static void
fill (CrmConflictsDialog *self)
{
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;

  clear (self->list);
  fill_rejections (self);
  conflicts = crm_store_list_conflicts (self->store, &error);
  if (conflicts == NULL)
    {
      show_error (self, error);
      return;
    }
  for (guint i = 0; i < conflicts->len; i++)
    gtk_list_box_append (self->list, conflict_row (self, g_ptr_array_index (conflicts, i)));
  if (conflicts->len == 0)
    {
      GtkWidget *none = gtk_label_new (_("No conflicts: every change was merged."));

      gtk_widget_set_margin_top (none, 18);
      gtk_widget_set_margin_bottom (none, 18);
      gtk_list_box_append (self->list, none);
    }
}

static void
crm_conflicts_dialog_dispose (GObject *object)
{
  CrmConflictsDialog *self = (CrmConflictsDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONFLICTS_DIALOG);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_conflicts_dialog_parent_class)->dispose (object);
}

static void
crm_conflicts_dialog_class_init (CrmConflictsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_conflicts_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-conflicts-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmConflictsDialog, list);
  gtk_widget_class_bind_template_child (widget_class, CrmConflictsDialog, rejections_box);
  gtk_widget_class_bind_template_child (widget_class, CrmConflictsDialog, rejections_list);
  gtk_widget_class_bind_template_child (widget_class, CrmConflictsDialog, error_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_conflicts_dialog_init (CrmConflictsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * crm_conflicts_dialog_new:
 * @store: the store whose open conflicts and refused changes are listed
 */
GtkWidget *
crm_conflicts_dialog_new (CrmStore *store)
{
  CrmConflictsDialog *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_CONFLICTS_DIALOG, NULL);
  self->store = g_object_ref (store);
  fill (self);
  return GTK_WIDGET (self);
}
