/* crm-preferences-window.c — Preferences: reminders, and the days without a follow-up
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwPreferencesWindow (app.preferences, Ctrl+comma) whose rows are
 * bound to GSettings: reminders-enabled (crm-reminder-controller.c reads it
 * as it changes) and stale-days (the contact list's "not followed up for N
 * days" filter). The backup settings stay in the Backups window, beside the
 * copies they make. A build run without the installed schema shows the
 * rows insensitive rather than failing.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-preferences-window.h"
#include "crm-reminder-controller.h"

struct _CrmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwActionRow         *reminders_row;
  GtkSwitch            *reminders_switch;
  AdwActionRow         *stale_row;
  GtkSpinButton        *stale_input;
};

G_DEFINE_FINAL_TYPE (CrmPreferencesWindow, crm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
crm_preferences_window_dispose (GObject *object)
{
  CrmPreferencesWindow *self = (CrmPreferencesWindow *)object;

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (crm_preferences_window_parent_class)->dispose (object);
}

static void
crm_preferences_window_class_init (CrmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, reminders_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, reminders_switch);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, stale_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, stale_input);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_preferences_window_init (CrmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = crm_reminder_settings_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->reminders_row), self->settings != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stale_row), self->settings != NULL);
  if (self->settings == NULL)
    return;
  g_settings_bind (self->settings, "reminders-enabled", self->reminders_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "stale-days",
                   gtk_spin_button_get_adjustment (self->stale_input), "value",
                   G_SETTINGS_BIND_DEFAULT);
}

/**
 * crm_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 */
GtkWidget *
crm_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (CRM_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
}

/* the main menus: "Preferences" above their last section, once each */
static void
add_item (GtkMenuButton *button)
{
  GMenuModel *model = gtk_menu_button_get_menu_model (button);
  g_autoptr (GMenu) section = NULL;

  if (!gtk_menu_button_get_primary (button) || !G_IS_MENU (model)
      || g_object_get_data (G_OBJECT (model), "crm-preferences-item") != NULL)
    return;
  section = g_menu_new ();
  g_menu_append (section, _("_Preferences"), "app.preferences");
  g_menu_insert_section (G_MENU (model), MAX (g_menu_model_get_n_items (model) - 1, 0), NULL,
                         G_MENU_MODEL (section));
  g_object_set_data (G_OBJECT (model), "crm-preferences-item", GINT_TO_POINTER (TRUE));
}

/**
 * crm_preferences_add_menu_item:
 *
 * Adds "Preferences" (app.preferences) to every main menu under @root.
 */
void
crm_preferences_add_menu_item (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_MENU_BUTTON (root))
    add_item (GTK_MENU_BUTTON (root));
  for (GtkWidget *child = gtk_widget_get_last_child (root); child != NULL;
       child = gtk_widget_get_prev_sibling (child))
    crm_preferences_add_menu_item (child);
}
