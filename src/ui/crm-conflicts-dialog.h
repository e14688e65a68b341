/* crm-conflicts-dialog.h — "Sync Conflicts": fields edited on two computers,
 * both values, who and when, keep one; the changes the server refused
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONFLICTS_DIALOG (crm_conflicts_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrmConflictsDialog, crm_conflicts_dialog, CRM, CONFLICTS_DIALOG, AdwWindow)

GtkWidget *crm_conflicts_dialog_new (CrmStore *store);

G_END_DECLS
