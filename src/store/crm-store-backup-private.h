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

G_END_DECLS
