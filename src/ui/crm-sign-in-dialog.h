/* crm-sign-in-dialog.h — "Sign In to Team Server": the address, the
 * company, the user and the password, the certificate question
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-sync-controller.h"

G_BEGIN_DECLS

#define CRM_TYPE_SIGN_IN_DIALOG (crm_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrmSignInDialog, crm_sign_in_dialog, CRM, SIGN_IN_DIALOG, AdwWindow)

GtkWidget *crm_sign_in_dialog_new (CrmSyncController *controller);

G_END_DECLS
