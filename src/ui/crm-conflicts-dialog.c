/* crm-conflicts-dialog.c — "Sync Conflicts": fields edited on two computers,
 * both values, keep one
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store keeps each field both sides changed (crm-store-sync.h): the
 * value kept (this computer's, which reached the server last and won) and
 * the one that lost, with when it happened. One row per conflict shows
 * both. "Keep This Value" marks it seen; "Use the Other Value" writes the
 * other value back as a new edit of the record (so it goes to the server
 * with the next round, like any edit) and then marks it seen. A contact's
 * fields are all text and can be put back; for a deal or the certification
 * only the kept value is offered here (their fields are typed: edit them in
 * their editor).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "crm-conflicts-dialog.h"
#include "crm-store-sync.h"

struct _CrmConflictsDialog
{
  AdwWindow   parent_instance;

  CrmStore   *store;
  GtkListBox *list;
  GtkLabel   *error_label;
};

G_DEFINE_FINAL_TYPE (CrmConflictsDialog, crm_conflicts_dialog, ADW_TYPE_WINDOW)

static const char *const contact_labels[CRM_CONTACT_N_FIELDS] = {
  N_("Name"), N_("Company"), N_("Title"), N_("Mobile"), N_("Phone"), N_("E-mail"),
  N_("WeChat"), N_("Address"), N_("Tags"), N_("Notes"), N_("Owner"),
};

/* a contact's field by its protocol name; -1 when none */
static int
contact_field (const char *name)
{
  const char *const *names = crm_wire_kind_fields (CRM_WIRE_KIND_CONTACT);

  for (int i = 0; names[i] != NULL && i < CRM_CONTACT_N_FIELDS; i++)
    if (g_str_equal (names[i], name))
      return i;
  return -1;
}

/* a stored JSON text as a person reads it */
static char *
readable_value (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return g_strdup (json ? json : "");
  root = json_parser_get_root (parser);
  if (root == NULL || JSON_NODE_HOLDS_NULL (root))
    return g_strdup (_("(empty)"));
  if (JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (root);

      return g_strdup (*text != '\0' ? text : _("(empty)"));
    }
  return json_to_string (root, FALSE);
}

static char *
record_title (CrmConflictsDialog *self,
              const CrmConflict  *conflict)
{
  if (conflict->kind == CRM_WIRE_KIND_CONTACT)
    {
      g_autoptr (CrmContact) contact = crm_store_get_contact (self->store, conflict->record_id,
                                                              NULL);
      int field = contact_field (conflict->field);
      const char *label = field >= 0 ? _(contact_labels[field]) : conflict->field;

      return g_strdup_printf (_("%s · %s"), contact ? crm_contact_get_name (contact)
                                                    : _("A deleted contact"), label);
    }
  if (conflict->kind == CRM_WIRE_KIND_DEAL)
    {
      g_autoptr (CrmDeal) deal = crm_store_get_deal (self->store, conflict->record_id, NULL);

      return g_strdup_printf (_("%s · %s"), deal ? crm_deal_get_title (deal)
                                                 : _("A deleted deal"), conflict->field);
    }
  if (conflict->kind == CRM_WIRE_KIND_FOLLOWUP)
    {
      g_autoptr (CrmFollowup) followup = crm_store_get_followup (self->store,
                                                                 conflict->record_id, NULL);
      const char *name = followup ? crm_followup_get_contact_name (followup) : NULL;
      /* Translators: a follow-up's conflict: "Follow-up of 张三 · notes" */
      g_autofree char *what = name && *name ? g_strdup_printf (_("Follow-up of %s"), name)
                                            : g_strdup (_("A deleted follow-up"));

      return g_strdup_printf (_("%s · %s"), what, conflict->field);
    }
  return g_strdup_printf (_("%s · %s"), _("Certification"), conflict->field);
}

static void fill (CrmConflictsDialog *self);

static void
show_error (CrmConflictsDialog *self,
            const GError       *error)
{
  gtk_label_set_text (self->error_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

static void
on_keep_clicked (GtkButton          *button,
                 CrmConflictsDialog *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "conflict-id");
  g_autoptr (GError) error = NULL;

  if (!crm_store_resolve_conflict (self->store, id, &error))
    show_error (self, error);
  fill (self);
}

static void
on_use_other_clicked (GtkButton          *button,
                      CrmConflictsDialog *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "conflict-id");
  const char *record_id = g_object_get_data (G_OBJECT (button), "record-id");
  const char *value = g_object_get_data (G_OBJECT (button), "value");
  int field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "field"));
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error = NULL;

  /* a new edit of the record (its outbox row in the same transaction),
   * then the conflict marked seen */
  contact = crm_store_get_contact (self->store, record_id, &error);
  if (contact != NULL)
    {
      crm_contact_set_field (contact, field, value);
      if (crm_store_save_contact (self->store, contact, &error))
        crm_store_resolve_conflict (self->store, id, &error);
    }
  show_error (self, error);
  fill (self);
}

static GtkWidget *
value_label (char *text)
{
  GtkWidget *label = gtk_label_new (text);

  g_free (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

static GtkWidget *
conflict_row (CrmConflictsDialog *self,
              const CrmConflict  *conflict)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title, *keep, *when;
  g_autofree char *title_text = record_title (self, conflict);
  g_autofree char *kept = readable_value (conflict->kept_value);
  g_autofree char *lost = readable_value (conflict->lost_value);
  g_autofree char *when_text = g_strdup_printf (_("Changed on both sides; seen %s"),
                                                conflict->created_at);
  int field = conflict->kind == CRM_WIRE_KIND_CONTACT ? contact_field (conflict->field) : -1;

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  title = gtk_label_new (title_text);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  when = gtk_label_new (when_text);
  gtk_label_set_xalign (GTK_LABEL (when), 0);
  gtk_widget_add_css_class (when, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box),
                  value_label (g_strdup_printf (_("Kept now (this computer’s): %s"), kept)));
  gtk_box_append (GTK_BOX (box),
                  value_label (g_strdup_printf (_("The other computer’s: %s"), lost)));
  gtk_box_append (GTK_BOX (box), when);

  keep = gtk_button_new_with_mnemonic (_("_Keep This Value"));
  g_object_set_data_full (G_OBJECT (keep), "conflict-id", g_memdup2 (&conflict->id,
                                                                     sizeof conflict->id),
                          g_free);
  g_signal_connect (keep, "clicked", G_CALLBACK (on_keep_clicked), self);
  gtk_box_append (GTK_BOX (buttons), keep);
  if (field >= 0 && conflict->lost_value != NULL)
    {
      GtkWidget *other = gtk_button_new_with_mnemonic (_("Use the _Other Value"));
      g_autoptr (JsonParser) parser = json_parser_new ();
      const char *text = "";

      if (json_parser_load_from_data (parser, conflict->lost_value, -1, NULL)
          && JSON_NODE_HOLDS_VALUE (json_parser_get_root (parser))
          && json_node_get_value_type (json_parser_get_root (parser)) == G_TYPE_STRING)
        text = json_node_get_string (json_parser_get_root (parser));
      g_object_set_data_full (G_OBJECT (other), "conflict-id",
                              g_memdup2 (&conflict->id, sizeof conflict->id), g_free);
      g_object_set_data_full (G_OBJECT (other), "record-id", g_strdup (conflict->record_id),
                              g_free);
      g_object_set_data_full (G_OBJECT (other), "value", g_strdup (text), g_free);
      g_object_set_data (G_OBJECT (other), "field", GINT_TO_POINTER (field));
      g_signal_connect (other, "clicked", G_CALLBACK (on_use_other_clicked), self);
      gtk_box_append (GTK_BOX (buttons), other);
    }
  gtk_box_append (GTK_BOX (box), buttons);
  return box;
}

static void
fill (CrmConflictsDialog *self)
{
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
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
 * @store: the store whose open conflicts are listed
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
