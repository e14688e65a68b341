/* crm-preferences-window.h — Preferences: reminders, and the days without a follow-up
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRM_TYPE_PREFERENCES_WINDOW (crm_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CrmPreferencesWindow, crm_preferences_window, CRM, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *crm_preferences_window_new    (GtkWindow *parent);
void       crm_preferences_add_menu_item (GtkWidget *root);

G_END_DECLS
