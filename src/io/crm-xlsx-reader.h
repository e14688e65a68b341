/* crm-xlsx-reader.h — the first sheet of an XLSX workbook as a CrmTable
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-table.h"

G_BEGIN_DECLS

/* the most a workbook may unpack to: each part read whole (the shared
 * strings, the styles, …) and the sheet, streamed */
#define CRM_XLSX_MAX_PART_BYTES  ((gint64) 256 * 1024 * 1024)
#define CRM_XLSX_MAX_SHEET_BYTES ((gint64) 2048 * 1024 * 1024)
/* and the most shared strings it may hold (each costs memory even empty) */
#define CRM_XLSX_MAX_SHARED_STRINGS (16 * 1000 * 1000)

CrmTable *crm_xlsx_reader_read (GBytes        *bytes,
                                GCancellable  *cancellable,
                                GError       **error);

G_END_DECLS
