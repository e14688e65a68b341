/* crm-backup-controller.h — the app's automatic backups, their settings and failures
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store-backup.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_BACKUP_CONTROLLER (crm_backup_controller_get_type ())

G_DECLARE_FINAL_TYPE (CrmBackupController, crm_backup_controller, CRM, BACKUP_CONTROLLER,
                      GObject)

CrmBackupController *crm_backup_controller_new         (GtkApplication      *app,
                                                        const char          *data_dir);
void                 crm_backup_controller_set_store   (CrmBackupController *self,
                                                        CrmStore            *store);
GSettings           *crm_backup_controller_get_settings (CrmBackupController *self);
char               **crm_backup_controller_get_folders (CrmBackupController *self);
char                *crm_backup_controller_get_folder  (CrmBackupController *self);
gboolean             crm_backup_controller_is_busy     (CrmBackupController *self);
void                 crm_backup_controller_back_up     (CrmBackupController *self,
                                                        const char          *reason);
void                 crm_backup_controller_rotation    (CrmBackupController *self,
                                                        CrmBackupRotation   *rotation);

void                 crm_backup_banner_show            (GtkWindow           *window,
                                                        const char          *title,
                                                        const char          *message);
void                 crm_backup_add_menu_item          (GtkWidget           *root);

gboolean             crm_backup_can_recover            (void);
char                *crm_backup_start_up_offer         (const char          *data_dir,
                                                        char               **backup);
char                *crm_backup_start_up_repair        (const char          *data_dir,
                                                        const char          *backup,
                                                        GError             **error);
void                 crm_backup_restore_in_thread      (GTask               *task,
                                                        CrmStore           **store,
                                                        const char          *data_dir,
                                                        const char          *backup,
                                                        const char          *folder);

G_END_DECLS
