/* fuzz-csv.c — the CSV reader on any bytes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any bytes: any encoding guess (BOM, UTF-16, UTF-8, GB18030, Big5), any
 * quoting and line breaks. Properties (fuzz-table-check.h): refused with a
 * CRM_IO_ERROR or every cell valid UTF-8 without NUL, a line per row; and
 * the rows start on lines that only go forward.
 */
#include "config.h"

#include "fuzz-table-check.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CrmTable) table = NULL;

  fuzz_table_init ();
  bytes = g_bytes_new (data, size);
  table = crm_table_read_bytes (bytes, CRM_TABLE_FORMAT_CSV, NULL, &error);
  fuzz_table_check (table, error, CRM_TABLE_FORMAT_CSV);
  if (table == NULL)
    return 0;
  for (guint i = 1; i < table->lines->len; i++)
    if (g_array_index (table->lines, guint, i) <= g_array_index (table->lines, guint, i - 1))
      fuzz_fail ("row %u starts on line %u, after row %u on line %u", i,
                 g_array_index (table->lines, guint, i), i - 1,
                 g_array_index (table->lines, guint, i - 1));
  return 0;
}
