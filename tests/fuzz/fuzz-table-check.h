/* fuzz-table-check.h — the properties every reader's table keeps (fuzz-csv,
 * fuzz-xlsx, fuzz-vcard)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reader either refuses with a CRM_IO_ERROR or gives a table whose every
 * cell is valid UTF-8 without NUL within the limits of crm-table.h, with a
 * line for each row. EVCard (libebook-contacts) warns about odd cards it
 * still reads; those warnings are not failures of ours, every other
 * warning or critical is.
 */
#pragma once

#include <string.h>

#include "crm-io.h"
#include "crm-table.h"
#include "fuzz-common.h"

static GLogWriterOutput
fuzz_table_log_writer (GLogLevelFlags   level,
                       const GLogField *fields,
                       gsize            n_fields,
                       gpointer         data)
{
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
  if ((level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "libebook-contacts") == 0)
    return G_LOG_WRITER_HANDLED;
  g_log_writer_default (level, fields, n_fields, data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    fuzz_fail ("a warning or critical was logged");
  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_table_init (void)
{
  static gsize done;

  fuzz_init ();
  if (g_once_init_enter (&done))
    {
      /* warnings are judged by the writer above, criticals stay fatal */
      g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
      g_log_set_writer_func (fuzz_table_log_writer, NULL, NULL);
      g_setenv ("LANGUAGE", "en", TRUE);
      g_once_init_leave (&done, 1);
    }
}

/* Returns the number of cells of the widest row */
static inline guint
fuzz_table_check (CrmTable       *table,
                  GError         *error,
                  CrmTableFormat  format)
{
  guint widest = 0;

  if (table == NULL)
    {
      if (error == NULL || error->domain != CRM_IO_ERROR || error->message == NULL
          || !g_utf8_validate (error->message, -1, NULL))
        fuzz_fail ("refused without a CRM_IO_ERROR");
      return 0;
    }
  if (error != NULL)
    fuzz_fail ("a table and an error: %s", error->message);
  if (table->format != format || table->encoding == NULL)
    fuzz_fail ("format %d, encoding %s", table->format, table->encoding);
  if (table->rows->len == 0 || table->rows->len != table->lines->len
      || table->rows->len > CRM_TABLE_MAX_ROWS)
    fuzz_fail ("%u rows, %u lines", table->rows->len, table->lines->len);
  for (guint i = 0; i < table->rows->len; i++)
    {
      GStrv row = g_ptr_array_index (table->rows, i);
      guint n = row != NULL ? g_strv_length (row) : 0;

      if (row == NULL || n > CRM_TABLE_MAX_COLUMNS)
        fuzz_fail ("row %u: %u cells", i, n);
      widest = MAX (widest, n);
      for (guint c = 0; c < n; c++)
        {
          gsize length = strlen (row[c]);

          if (length > CRM_TABLE_MAX_CELL_BYTES || !g_utf8_validate_len (row[c], length, NULL))
            {
              g_autofree char *escaped = fuzz_escape (row[c]);

              fuzz_fail ("row %u, cell %u is not valid: %s", i, c, escaped);
            }
        }
    }
  return widest;
}
