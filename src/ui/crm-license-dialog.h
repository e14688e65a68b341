/* crm-license-dialog.h — choose, check and preview the business license
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-license-file.h"

G_BEGIN_DECLS

#define CRM_TYPE_LICENSE_DIALOG (crm_license_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrmLicenseDialog, crm_license_dialog, CRM, LICENSE_DIALOG, AdwWindow)

GtkWidget *crm_license_dialog_new       (GtkWindow        *parent);
void       crm_license_dialog_load_path (CrmLicenseDialog *self,
                                         const char       *path);
void       crm_license_dialog_set_removable (CrmLicenseDialog *self,
                                             gboolean          removable);

/**
 * CrmFileDropFunc:
 * @user_data: as given
 * @path: the local path of the file dropped
 *
 * Returns: whether the file was taken
 */
typedef gboolean (*CrmFileDropFunc) (gpointer    user_data,
                                     const char *path);

void       crm_license_dialog_add_drop  (GtkWidget        *widget,
                                         CrmFileDropFunc   func,
                                         gpointer          user_data);

G_END_DECLS
