/* crm-xls-reader.c — the first sheet of a legacy .xls workbook (Excel 97–2003, WPS)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Through freexl, which reads BIFF5/BIFF8 and hands every text back in
 * UTF-8 and every date as ISO text. freexl opens a path only, so bytes that
 * come without one are written to a private temporary file first. Rows are
 * built as the XLSX reader builds them: a row ends at its last non-empty
 * cell, empty rows are left out (their numbers stay in the table's lines),
 * integral numbers come back as their digits (a phone number).
 */
#include "config.h"

#include <freexl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-table-private.h"
#include "crm-xls-reader.h"

static void
set_damaged (GError **error)
{
  g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                       _("The workbook is damaged or is not an XLS file"));
}

static char *
cell_text (const FreeXL_CellValue *value)
{
  switch (value->type)
    {
    case FREEXL_CELL_INT:
      return g_strdup_printf ("%d", value->value.int_value);
    case FREEXL_CELL_DOUBLE:
      return _crm_table_format_number (value->value.double_value);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
      return g_strdup (value->value.text_value != NULL ? value->value.text_value : "");
    case FREEXL_CELL_NULL:
    default:
      return g_strdup ("");
    }
}

static gboolean
read_sheet (const void   *handle,
            CrmTable     *table,
            GCancellable *cancellable,
            GError      **error)
{
  unsigned int n_rows = 0;
  unsigned short n_columns = 0;

  if (freexl_select_active_worksheet (handle, 0) != FREEXL_OK
      || freexl_worksheet_dimensions (handle, &n_rows, &n_columns) != FREEXL_OK)
    {
      set_damaged (error);
      return FALSE;
    }
  for (unsigned int r = 0; r < n_rows; r++)
    {
      g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      guint last = 0;

      if (r % 1024 == 1023 && !_crm_table_check_cancel (cancellable, error))
        return FALSE;
      for (unsigned short c = 0; c < n_columns; c++)
        {
          FreeXL_CellValue value;
          char *text;

          if (freexl_get_cell_value (handle, r, c, &value) != FREEXL_OK)
            {
              set_damaged (error);
              return FALSE;
            }
          text = cell_text (&value);
          g_ptr_array_add (cells, text);
          if (!_crm_table_check_cell (CRM_TABLE_FORMAT_XLS, text, strlen (text), r + 1, error))
            return FALSE;
          if (text[0] != '\0')
            last = c + 1;
        }
      if (last == 0)
        continue;
      g_ptr_array_set_size (cells, last);
      g_ptr_array_add (cells, NULL);
      if (!_crm_table_add_row (table, (GStrv) g_ptr_array_steal (cells, NULL), r + 1, error))
        return FALSE;
    }
  return TRUE;
}

static CrmTable *
read_path (const char   *path,
           GCancellable *cancellable,
           GError      **error)
{
  const void *handle = NULL;
  unsigned int info = 0;
  g_autoptr (CrmTable) table = NULL;
  gboolean ok;

  if (freexl_open (path, &handle) != FREEXL_OK)
    {
      freexl_close (handle);
      set_damaged (error);
      return NULL;
    }
  if (freexl_get_info (handle, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK
      && info == FREEXL_BIFF_OBFUSCATED)
    {
      freexl_close (handle);
      g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                           _("The workbook is protected by a password: save it without one "
                             "and import it again"));
      return NULL;
    }
  if (freexl_get_info (handle, FREEXL_BIFF_SHEET_COUNT, &info) != FREEXL_OK || info == 0)
    {
      freexl_close (handle);
      set_damaged (error);
      return NULL;
    }

  table = _crm_table_new (CRM_TABLE_FORMAT_XLS, "UTF-8");
  ok = read_sheet (handle, table, cancellable, error);
  freexl_close (handle);
  if (!ok)
    return NULL;
  return _crm_table_first_sheet (g_steal_pointer (&table), error);
}

/**
 * crm_xls_reader_read:
 * @bytes: an .xls file
 * @path: (nullable): where it is, if it is a local file
 * @cancellable: (nullable): cancels the read
 * @error: a %CRM_IO_ERROR: %CRM_IO_ERROR_FORMAT for a damaged workbook
 *
 * Returns: (transfer full): the first sheet, or %NULL with @error set
 */
CrmTable *
crm_xls_reader_read (GBytes        *bytes,
                     const char    *path,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *tmp_path = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  CrmTable *table;
  int fd;

  if (path != NULL)
    return read_path (path, cancellable, error);

  fd = g_file_open_tmp ("xiaohe-crm-XXXXXX.xls", &tmp_path, &local_error);
  if (fd < 0)
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN,
                   _("Cannot make a temporary file: %s"), local_error->message);
      return NULL;
    }
  close (fd);
  if (!g_file_set_contents_full (tmp_path, data, length, G_FILE_SET_CONTENTS_NONE, 0600,
                                 &local_error))
    {
      g_unlink (tmp_path);
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN,
                   _("Cannot make a temporary file: %s"), local_error->message);
      return NULL;
    }
  table = read_path (tmp_path, cancellable, error);
  g_unlink (tmp_path);
  return table;
}
