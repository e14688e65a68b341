/* crm-import-dialog.h — the main menu's "Import…" (Ctrl+I): a file into the contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-import.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_IMPORT_DIALOG (crm_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrmImportDialog, crm_import_dialog, CRM, IMPORT_DIALOG, AdwWindow)

CrmImportDialog       *crm_import_dialog_new            (GtkWindow        *parent,
                                                         CrmStore         *store,
                                                         AdwToastOverlay  *overlay);
void                   crm_import_dialog_open_file      (CrmImportDialog  *self,
                                                         GFile            *file);
const char            *crm_import_dialog_get_state      (CrmImportDialog  *self);
gboolean               crm_import_dialog_is_busy        (CrmImportDialog  *self);
const CrmImportResult *crm_import_dialog_get_check      (CrmImportDialog  *self);
const CrmImportResult *crm_import_dialog_get_result     (CrmImportDialog  *self);
void                   crm_import_dialog_set_column_target (CrmImportDialog *self,
                                                         guint             column,
                                                         int               target);
gboolean               crm_import_dialog_save_bad_rows  (CrmImportDialog  *self,
                                                         GFile            *file,
                                                         GError          **error);

void                   crm_import_add_menu_item         (GtkWidget        *root);

G_END_DECLS
