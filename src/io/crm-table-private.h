/* crm-table-private.h — what the readers share: building a CrmTable within its limits
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every reader (crm-csv-reader.c, crm-xlsx-reader.c, crm-xls-reader.c,
 * crm-vcard-reader.c) appends its rows through _crm_table_add_row(), so the
 * limits of crm-table.h and the promise "UTF-8, no NUL" are checked in one
 * place whatever the format.
 */
#pragma once

#include "crm-io.h"
#include "crm-table.h"

G_BEGIN_DECLS

CrmTable *_crm_table_new          (CrmTableFormat format,
                                   const char    *encoding);
char     *_crm_table_where        (CrmTableFormat format,
                                   guint          line);
gboolean  _crm_table_check_cell   (CrmTableFormat format,
                                   const char    *cell,
                                   gsize          length,
                                   guint          line,
                                   GError       **error);
gboolean  _crm_table_add_row      (CrmTable      *table,
                                   GStrv          row,
                                   guint          line,
                                   GError       **error);
gboolean  _crm_table_check_cancel (GCancellable  *cancellable,
                                   GError       **error);
char     *_crm_table_format_number (double        value);
CrmTable *_crm_table_first_sheet  (CrmTable      *table,
                                   GError       **error);

G_END_DECLS
