/* crm-import-dialog-private.h — the import dialog's insides, shared by its files:
 * crm-import-dialog.c (the window, the import, the public API),
 * crm-import-dialog-preview.c (reading the file, the preview and its check)
 * and crm-import-dialog-window.c (the menu item, Undo on the main window)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-import-dialog.h"
#include "crm-table.h"

G_BEGIN_DECLS

/* a table read, shared (atomic reference count) by the dialog and its
 * workers: another file read while a check runs does not free the table
 * under the check's feet */
typedef struct
{
  CrmTable *table;
} SharedTable;

struct _CrmImportDialog
{
  AdwWindow         parent_instance;

  CrmStore         *store;
  AdwToastOverlay  *overlay;      /* weak: the main window's, for Undo */

  GtkStack         *stack;
  GtkButton        *import_button;
  GtkSpinner       *read_spinner;
  GtkLabel         *choose_message;
  GtkLabel         *file_label;
  GtkLabel         *columns_label;
  GtkGrid          *preview_grid;
  GtkLabel         *counts_label;
  GtkLabel         *bad_label;
  GtkCheckButton   *skip_button;
  GtkCheckButton   *update_button;
  GtkCheckButton   *keep_button;
  GtkLabel         *preview_message;
  AdwStatusPage    *progress_page;
  GtkProgressBar   *progress_bar;
  GtkButton        *cancel_button;
  AdwStatusPage    *summary_page;
  GtkLabel         *summary_bad_label;
  GtkButton        *save_bad_button;
  GtkButton        *done_button;

  GFile            *file;
  SharedTable      *shared;
  CrmTable         *table;        /* shared's */
  CrmImport        *import;
  GPtrArray        *dropdowns;    /* GtkDropDown, one a column */
  gboolean          syncing;      /* the dropdowns being set from the mapping */
  GCancellable     *cancellable;  /* the worker's: reading, checking or importing */
  CrmImportResult  *check;        /* the preview's counts */
  CrmImportResult  *result;       /* what the import did */
  gboolean          importing;
  gint              done;         /* written by the worker */
  gint              total;
  guint             pulse;
};

/* what a worker needs: nothing of the dialog's widgets */
typedef struct
{
  CrmImportDialog    *self;       /* a reference */
  SharedTable        *shared;     /* a reference, when a file was read */
  char               *data_dir;
  GFile              *file;
  int                *targets;
  CrmStoreDuplicates  policy;
  gboolean            check_only;  /* crm_import_check(), not the import */
} Work;

void      _crm_import_shared_table_release (SharedTable         *shared);
GTask    *_crm_import_work_new             (CrmImportDialog     *self,
                                            GAsyncReadyCallback  callback);
CrmStore *_crm_import_work_open            (Work                *work,
                                            CrmImport          **import,
                                            GError             **error);
void      _crm_import_work_thread          (GTask               *task,
                                            gpointer             source,
                                            gpointer             task_data,
                                            GCancellable        *cancellable);
void      _crm_import_set_message          (GtkLabel            *label,
                                            const char          *text);
void      _crm_import_show_step            (CrmImportDialog     *self,
                                            const char          *name);

char     *_crm_import_describe_bad_rows    (const CrmImportResult *result);
void      _crm_import_start_check          (CrmImportDialog     *self);
void      _crm_import_sync_dropdowns       (CrmImportDialog     *self);
gboolean  _crm_import_on_columns_mnemonic  (CrmImportDialog     *self,
                                            gboolean             group_cycling);
void      _crm_import_read_file            (CrmImportDialog     *self,
                                            GFile               *file);

void      _crm_import_offer_undo           (CrmStore            *store,
                                            CrmImportResult     *result,
                                            AdwToastOverlay     *overlay);

G_END_DECLS
