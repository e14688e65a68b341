/* crm-store-notice.c — the message at the top of the window when the data file is damaged
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A revealer (AdwBanner is libadwaita 1.3) that shows itself once the store
 * is damaged (CrmStore:damaged): what happened, that nothing more will be
 * saved, that the file was kept as it is, and where it is. An alert to
 * assistive technologies, named "The Data File Is Damaged".
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-notice.h"

static void
on_damaged (CrmStore    *store,
            GParamSpec  *pspec,
            GtkRevealer *revealer)
{
  GtkWidget *box = gtk_revealer_get_child (revealer);
  GtkLabel *body = g_object_get_data (G_OBJECT (revealer), "crm-body");
  g_autofree char *text = NULL;

  if (!crm_store_is_damaged (store) || gtk_revealer_get_reveal_child (revealer))
    return;

  text = g_strdup_printf (_("Nothing more will be saved: changes are refused from now on. "
                            "The file was kept as it is, for recovery from a backup. "
                            "It is here: %s"), crm_store_get_path (store));
  gtk_label_set_text (body, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (revealer), TRUE);
  gtk_revealer_set_reveal_child (revealer, TRUE);
}

/**
 * crm_store_notice_new:
 *
 * Returns: (transfer floating): the message, hidden until @store is damaged
 */
GtkWidget *
crm_store_notice_new (CrmStore *store)
{
  GtkWidget *revealer = gtk_revealer_new ();
  GtkWidget *box, *icon, *texts, *title, *body, *restore;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  box = g_object_new (GTK_TYPE_BOX,
                      "orientation", GTK_ORIENTATION_HORIZONTAL,
                      "spacing", 12,
                      "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT,
                      NULL);
  gtk_widget_add_css_class (box, "crm-store-damaged");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("The Data File Is Damaged"),
                                  -1);

  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"),
                                  -1);
  gtk_box_append (GTK_BOX (box), icon);

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_hexpand (texts, TRUE);
  title = gtk_label_new (_("The Data File Is Damaged"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  body = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), body);
  gtk_box_append (GTK_BOX (box), texts);
  /* the way back: the Backups window (crm-backups-dialog.c) */
  restore = gtk_button_new_with_mnemonic (_("_Restore from Backup…"));
  gtk_widget_set_valign (restore, GTK_ALIGN_START);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (restore), "app.backups");
  gtk_accessible_update_property (GTK_ACCESSIBLE (restore), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Restore from Backup"), -1);
  gtk_box_append (GTK_BOX (box), restore);

  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  gtk_revealer_set_transition_type (GTK_REVEALER (revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_revealer_set_reveal_child (GTK_REVEALER (revealer), FALSE);
  gtk_widget_set_visible (revealer, FALSE);
  g_object_set_data (G_OBJECT (revealer), "crm-body", body);

  g_signal_connect_object (store, "notify::damaged", G_CALLBACK (on_damaged), revealer, 0);
  on_damaged (store, NULL, GTK_REVEALER (revealer));
  return revealer;
}
