/* crm-backups-dialog.h — the Backups window: the copies, Back Up Now, Restore, the settings
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-backup-controller.h"

G_BEGIN_DECLS

#define CRM_TYPE_BACKUPS_DIALOG (crm_backups_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrmBackupsDialog, crm_backups_dialog, CRM, BACKUPS_DIALOG, AdwWindow)

GtkWidget *crm_backups_dialog_new (CrmBackupController *controller,
                                   GtkWindow           *parent);

G_END_DECLS
