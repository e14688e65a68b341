/* crm-test-ui.h — widget tests: finding template children, dialogs, the main loop
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

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
/* real keys and clicks: xdotool with these arguments, the main loop
 * running meanwhile; the test fails when it does */
void              crm_ui_xdotool             (const char       *first,
                                              ...) G_GNUC_NULL_TERMINATED;
/* the X window of the shown window titled @title, given the keyboard */
char             *crm_ui_x_window            (const char       *title);
/* a window titled @title (1000 × 700) showing the contacts page of
 * @store, mapped and given the keyboard; *@page (may be NULL) is set to
 * the page and *@wid (may be NULL) to the X window, for xdotool */
GtkWindow        *crm_ui_contacts_window     (CrmStore         *store,
                                              const char       *title,
                                              GtkWidget       **page,
                                              char            **wid);

G_END_DECLS
