/* crm-test-ui.h — widget tests: finding template children, dialogs, the main loop
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

gboolean          crm_ui_test_init           (int              *argc,
                                              char           ***argv);
GtkWidget        *crm_ui_find                (GtkWidget        *root,
                                              const char       *id);
GtkWidget        *crm_ui_get                 (GtkWidget        *root,
                                              const char       *id);
void              crm_ui_iterate             (void);
AdwMessageDialog *crm_ui_find_message_dialog (void);
void              crm_ui_respond             (AdwMessageDialog *dialog,
                                              const char       *response);
gboolean          crm_ui_has_label           (GtkWidget        *root,
                                              const char       *text);
GtkWidget        *crm_ui_find_button         (GtkWidget        *root,
                                              const char       *label);

G_END_DECLS
