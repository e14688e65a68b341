/* crm-export.h — contacts, deals and follow-ups out as CSV, XLSX and vCard
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_EXPORT_FORMAT_CSV,
  CRM_EXPORT_FORMAT_XLSX,
  CRM_EXPORT_FORMAT_VCARD,     /* vCard 4.0 */
  CRM_EXPORT_FORMAT_VCARD_30,  /* vCard 3.0, for older address books */
} CrmExportFormat;

typedef enum
{
  CRM_EXPORT_CONTACTS,
  CRM_EXPORT_DEALS,
  CRM_EXPORT_ALL,   /* CSV: two files (NAME-contacts.csv, NAME-deals.csv); XLSX: two sheets */
  CRM_EXPORT_FOLLOWUPS,   /* CSV or XLSX: those of live contacts, newest first */
} CrmExportWhat;

typedef enum
{
  CRM_EXPORT_FLAGS_NONE = 0,
  CRM_EXPORT_FLAGS_NO_BOM = 1 << 0,   /* CSV without the UTF-8 byte order mark */
} CrmExportFlags;

/* called every 256 rows and at the end, on the exporting thread */
typedef void (*CrmExportProgress) (guint    done,
                                   guint    total,
                                   gpointer user_data);

/* the column headers of each export, in the UI language (the importer also
 * maps the English ones) */
typedef enum
{
  CRM_EXPORT_COLUMN_TEXT,
  CRM_EXPORT_COLUMN_PHONE,     /* text, never a number */
  CRM_EXPORT_COLUMN_MONEY,     /* fen, written as yuan with two decimals */
  CRM_EXPORT_COLUMN_INTEGER,
  CRM_EXPORT_COLUMN_DATE,      /* YYYY-MM-DD, or empty */
  CRM_EXPORT_COLUMN_TIME,      /* a stored UTC timestamp, shown in local time */
} CrmExportColumnType;

gboolean  crm_export              (CrmStore          *store,
                                   GFile             *file,
                                   CrmExportFormat    format,
                                   CrmExportWhat      what,
                                   CrmExportFlags     flags,
                                   CrmExportProgress  progress,
                                   gpointer           progress_data,
                                   GCancellable      *cancellable,
                                   GError           **error);
gboolean  crm_export_format_from_name (const char      *name,
                                       CrmExportFormat *format);
GFile    *crm_export_part_file    (GFile             *file,
                                   CrmExportWhat      part);
char     *crm_export_money_text   (gint64             fen);
double    crm_export_money_value  (gint64             fen);
gboolean  crm_export_needs_guard  (const char        *text);
char     *crm_export_local_time   (const char        *utc);

G_END_DECLS
