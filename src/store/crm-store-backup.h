/* crm-store-backup.h — verified copies of the database, their rotation, restore
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_BACKUP_ERROR (crm_backup_error_quark ())

typedef enum
{
  CRM_BACKUP_ERROR_FAILED,      /* reading the database or writing the copy failed */
  CRM_BACKUP_ERROR_FULL,        /* no room for the copy (ENOSPC, EFBIG, SQLITE_FULL) */
  CRM_BACKUP_ERROR_VERIFY,      /* the copy failed its check: it was deleted */
  CRM_BACKUP_ERROR_NOT_FOUND,   /* no such backup, or none at all */
  CRM_BACKUP_ERROR_DAMAGED,     /* the database (or a backup to restore) is damaged */
  CRM_BACKUP_ERROR_NO_RECOVER,  /* the sqlite3 program for .recover is not installed */
} CrmBackupError;

/* the record counts a copy is checked against, and a list shows */
typedef enum
{
  CRM_BACKUP_COUNT_CONTACTS,
  CRM_BACKUP_COUNT_DEALS,
  CRM_BACKUP_COUNT_OUTBOX,
  CRM_BACKUP_COUNT_BLOBS,
  CRM_BACKUP_COUNT_SYNC_STATE,
  CRM_BACKUP_N_COUNTS
} CrmBackupCount;

/* the folder's name in the data folder */
#define CRM_BACKUP_DIR_NAME "backups"

typedef struct
{
  char      *path;         /* the copy */
  GDateTime *time;         /* when it was made (UTC) */
  char      *reason;       /* "before-restore", …; NULL for a regular copy */
  int        schema;       /* its schema version */
  gint64     counts[CRM_BACKUP_N_COUNTS];
  gint64     size;         /* bytes */
} CrmBackupInfo;

/* rotation: the newest regular copy of each of the last @days days, @weeks
 * ISO weeks and @months months; every "before …" copy for @before_days days */
typedef struct
{
  guint days;
  guint weeks;
  guint months;
  guint before_days;
} CrmBackupRotation;

#define CRM_BACKUP_ROTATION_DEFAULT { 7, 4, 12, 30 }

GQuark         crm_backup_error_quark      (void);

const char    *crm_backup_count_name       (CrmBackupCount           count);
char          *crm_backup_default_dir      (const char              *data_dir);
CrmBackupInfo *crm_backup_info_copy        (const CrmBackupInfo     *info);
void           crm_backup_info_free        (CrmBackupInfo           *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmBackupInfo, crm_backup_info_free)

void           crm_store_set_backup_dir    (CrmStore                *store,
                                            const char              *folder);
const char    *crm_store_get_backup_dir    (CrmStore                *store);

CrmBackupInfo *crm_backup_file             (const char              *db_path,
                                            const char              *folder,
                                            const char              *reason,
                                            GCancellable            *cancellable,
                                            GError                 **error);
void           crm_store_backup_async      (CrmStore                *store,
                                            const char              *reason,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
CrmBackupInfo *crm_store_backup_finish     (GAsyncResult            *result,
                                            GError                 **error);
void           crm_store_backup_before     (CrmStore                *store,
                                            const char              *reason,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);

GPtrArray     *crm_backup_list             (const char              *folder,
                                            GError                 **error);
gboolean       crm_backup_delete_all       (const char              *folder,
                                            GError                 **error);
CrmBackupInfo *crm_backup_latest           (const char * const      *folders);
gboolean       crm_backup_is_due           (const char * const      *folders,
                                            GDateTime               *now);
gboolean      *crm_backup_rotation_keep    (GDateTime * const       *times,
                                            const char * const      *reasons,
                                            guint                    n,
                                            GDateTime               *now,
                                            const CrmBackupRotation *rotation);
guint          crm_backup_rotate           (const char              *folder,
                                            GDateTime               *now,
                                            const CrmBackupRotation *rotation,
                                            GError                 **error);

gboolean       crm_backup_check_file       (const char              *db_path,
                                            gint64                  *counts,
                                            GError                 **error);
gboolean       crm_backup_restore          (const char              *data_dir,
                                            const char              *backup_path,
                                            const char              *folder,
                                            char                   **kept_as,
                                            GError                 **error);
gboolean       crm_store_set_aside_damaged (const char              *data_dir,
                                            char                   **aside,
                                            GError                 **error);
gboolean       crm_backup_recover_available (void);
gboolean       crm_backup_recover          (const char              *data_dir,
                                            char                   **aside,
                                            GError                 **error);

/* for the tests: called with the temporary copy before it is checked */
typedef void (*CrmBackupTestHook) (const char *tmp_path,
                                   gpointer    user_data);
void           _crm_backup_set_test_hook   (CrmBackupTestHook        hook,
                                            gpointer                 user_data);

G_END_DECLS
