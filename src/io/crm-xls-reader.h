/* crm-xls-reader.h — the first sheet of a legacy .xls workbook as a CrmTable
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-table.h"

G_BEGIN_DECLS

CrmTable *crm_xls_reader_read (GBytes        *bytes,
                               const char    *path,
                               GCancellable  *cancellable,
                               GError       **error);

G_END_DECLS
