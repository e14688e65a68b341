/* crm-csv-reader.h — CSV (and tab- or semicolon-separated text) as a CrmTable
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-table.h"

G_BEGIN_DECLS

CrmTable   *crm_csv_reader_read           (GBytes        *bytes,
                                           GCancellable  *cancellable,
                                           GError       **error);

/* shared with the vCard reader: the encoding of a text file, and its text
 * as the readers parse it (UTF-16 converted, the rest as it is) */
char       *crm_csv_reader_guess_encoding (const guint8  *data,
                                           gsize          length,
                                           gsize         *bom_length);
const char *crm_csv_reader_text           (const guint8  *data,
                                           gsize          length,
                                           char         **encoding,
                                           char         **converted,
                                           gsize         *text_length,
                                           GError       **error);

G_END_DECLS
