/* crm-form.h — what every editor form does the same way
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void     crm_form_show_error   (GtkLabel        *label,
                                GtkWidget       *input,
                                const char      *message);
gboolean crm_form_is_save_key  (guint            keyval,
                                GdkModifierType  state);
void     crm_form_close_later  (GtkWindow       *window);
gboolean crm_form_ask_before_closing (GtkWindow  *window,
                                      gboolean    dirty,
                                      const char *body);
GtkWidget *crm_form_button_new_with_mnemonic (const char *mnemonic,
                                              const char *description);

G_END_DECLS
