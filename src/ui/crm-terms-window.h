/* crm-terms-window.h — the terms of service, to accept or to read
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRM_TYPE_TERMS_WINDOW (crm_terms_window_get_type ())

G_DECLARE_FINAL_TYPE (CrmTermsWindow, crm_terms_window, CRM, TERMS_WINDOW, AdwWindow)

GtkWidget  *crm_terms_window_new          (gboolean        read_only);
const char *crm_terms_window_get_language (CrmTermsWindow *self);
void        crm_terms_window_set_language (CrmTermsWindow *self,
                                           const char     *language);
char       *crm_terms_get_version         (void);
void        crm_terms_window_set_revision (CrmTermsWindow *self,
                                           const char     *version,
                                           const char     *title,
                                           const char     *body);
char       *crm_terms_window_get_version  (CrmTermsWindow *self);

G_END_DECLS
