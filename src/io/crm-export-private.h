/* crm-export-private.h — what the export's format files share
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * crm-export.c turns records into rows of typed cells; a sink (CSV in
 * crm-export.c, XLSX in crm-export-xlsx.c) writes them; vCard
 * (crm-export-vcard.c) writes contacts itself. Every file is written under
 * a temporary name beside its destination and renamed only on success.
 */
#pragma once

#include "crm-export.h"

G_BEGIN_DECLS

typedef struct
{
  const char          *header;   /* translated */
  CrmExportColumnType  type;
} CrmExportColumn;

typedef struct
{
  const char *text;     /* TEXT, PHONE, DATE, TIME; NULL as empty */
  gint64      number;   /* MONEY (fen), INTEGER */
} CrmExportCell;

typedef struct _CrmExportSink CrmExportSink;

struct _CrmExportSink
{
  gboolean (*begin_sheet) (CrmExportSink          *sink,
                           const char             *sheet_name,
                           const CrmExportColumn  *columns,
                           guint                   n_columns,
                           GError                **error);
  gboolean (*row)         (CrmExportSink          *sink,
                           const CrmExportCell    *cells,
                           GError                **error);
  gboolean (*finish)      (CrmExportSink          *sink,
                           GError                **error);
  void     (*free)        (CrmExportSink          *sink);
};

CrmExportSink *_crm_export_xlsx_sink_new   (const char     *path,
                                            GError        **error);
gboolean       _crm_export_vcard           (CrmStore          *store,
                                            const char        *path,
                                            gboolean           version_4,
                                            CrmExportProgress  progress,
                                            gpointer           progress_data,
                                            GCancellable      *cancellable,
                                            GError           **error);
GDateTime     *_crm_export_parse_utc       (const char        *utc);
GDateTime     *_crm_export_local_datetime  (const char        *utc);
gboolean       _crm_export_write_error     (GError           **error,
                                            const char        *path);
char          *_crm_export_temp_path       (GFile             *file,
                                            GError           **error);
gboolean       _crm_export_commit          (const char        *temp_path,
                                            GFile             *file,
                                            gboolean           ok,
                                            GError           **error);

G_END_DECLS
