/* crm-import.h — a table read from a file, brought into the store as contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"
#include "crm-table.h"

G_BEGIN_DECLS

/* what a column of the file becomes: a CrmContactField, the UID, or nothing */
#define CRM_IMPORT_TARGET_NONE (-1)
#define CRM_IMPORT_TARGET_UID  ((int) CRM_CONTACT_N_FIELDS)
#define CRM_IMPORT_N_TARGETS   (CRM_IMPORT_TARGET_UID + 1)

typedef struct _CrmImport CrmImport;

/* a row that was not imported: where it is, which field, and why */
typedef struct
{
  guint  line;      /* in the file, 1-based (the reader's line, row or card) */
  int    target;    /* the field at fault, or CRM_IMPORT_TARGET_NONE */
  char  *reason;    /* translated */
  GStrv  cells;     /* the row as the file had it */
} CrmImportBadRow;

typedef struct
{
  guint      added;
  guint      updated;
  guint      skipped;     /* duplicates left out, or with nothing new in them */
  guint      bad;
  GPtrArray *bad_rows;    /* (element-type CrmImportBadRow) */
  GStrv      header;      /* the file's header, for crm_import_result_write_bad_rows() */
  CrmStoreImportUndo undo;
  gboolean   undone;
} CrmImportResult;

int          crm_import_target_from_header  (const char      *header);
const char  *crm_import_target_get_label    (int              target);
gboolean     crm_import_duplicates_from_string (const char   *text,
                                             CrmStoreDuplicates *policy);

CrmImport   *crm_import_new                 (const CrmTable  *table);
void         crm_import_free                (CrmImport       *self);
guint        crm_import_get_n_columns       (CrmImport       *self);
guint        crm_import_get_n_rows          (CrmImport       *self);
const char  *crm_import_get_column_name     (CrmImport       *self,
                                             guint            column);
int          crm_import_get_column_target   (CrmImport       *self,
                                             guint            column);
void         crm_import_set_column_target   (CrmImport       *self,
                                             guint            column,
                                             int              target);
GStrv        crm_import_get_unmapped        (CrmImport       *self);
gboolean     crm_import_run                 (CrmImport              *self,
                                             CrmStore               *store,
                                             CrmStoreDuplicates      policy,
                                             CrmStoreImportProgress  progress,
                                             gpointer                progress_data,
                                             GCancellable           *cancellable,
                                             CrmImportResult       **result,
                                             GError                **error);
gboolean     crm_import_check               (CrmImport              *self,
                                             CrmStore               *store,
                                             GCancellable           *cancellable,
                                             CrmImportResult       **result,
                                             GError                **error);

gboolean     crm_import_result_undo         (CrmImportResult *result,
                                             CrmStore        *store,
                                             GError         **error);
gboolean     crm_import_result_write_bad_rows (CrmImportResult *result,
                                             GFile           *file,
                                             GError         **error);
void         crm_import_result_free         (CrmImportResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmImport, crm_import_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmImportResult, crm_import_result_free)

G_END_DECLS
