/* crm-store-backup-private.h — what crm-store-backup.c and crm-store-backup-list.c share
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store-backup.h"

G_BEGIN_DECLS

void      _crm_backup_set_full_error (GError     **error,
                                      const char  *path,
                                      const char  *detail);
gboolean  _crm_backup_fsync          (const char  *path,
                                      gboolean     directory,
                                      GError     **error);
char     *_crm_backup_json_path      (const char  *db_path);
gboolean  _crm_backup_set_aside      (const char  *path,
                                      const char  *what,
                                      char       **aside,
                                      GError     **error);

/* crm-store-backup-worker.c */
void      _crm_backup_lower_priority    (gboolean          waited_for);
void      _crm_backup_run_in_low_thread (GTask            *task,
                                         GTaskThreadFunc   func,
                                         gboolean          waited_for);
int       _crm_backup_writeback_start   (const char       *path);
void      _crm_backup_writeback_step    (int               fd,
                                         gint64           *written);
void      _crm_backup_drop_cache        (const char       *path);
int       _crm_backup_folder_enter      (const char       *folder);
void      _crm_backup_folder_leave      (int               fd);

G_END_DECLS
