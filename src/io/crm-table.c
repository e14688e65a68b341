/* crm-table.c — a file read as a table of text, whatever its format
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one entry point of the readers (crm-table.h): it tells the format by the
 * file's first bytes (a zip is an XLSX, an OLE2 compound file an XLS, a
 * "BEGIN:VCARD" a vCard) and only then by the name's extension, because
 * people rename files and mail programs add ".txt"; everything else is read
 * as CSV, the one text format with no signature. The readers build their
 * tables through the helpers here, so the limits of crm-table.h and "UTF-8,
 * no NUL" hold for every format alike.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "crm-csv-reader.h"
#include "crm-table-private.h"
#include "crm-vcard-reader.h"
#include "crm-xls-reader.h"
#include "crm-xlsx-reader.h"

/* a file larger than this is not loaded at all: 2M rows of a few hundred
 * bytes each, with room to spare */
#define CRM_TABLE_MAX_FILE_BYTES ((goffset) 1024 * 1024 * 1024)

static const guint8 zip_magic[] = { 'P', 'K', 0x03, 0x04 };
static const guint8 zip_empty_magic[] = { 'P', 'K', 0x05, 0x06 };
static const guint8 ole2_magic[] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };

static gboolean
has_prefix (const guint8 *data,
            gsize         length,
            const guint8 *prefix,
            gsize         prefix_length)
{
  return length >= prefix_length && memcmp (data, prefix, prefix_length) == 0;
}

/* "BEGIN:VCARD" at the start, after a BOM and blank space, in UTF-8 or
 * UTF-16 (the NUL bytes of UTF-16's ASCII are skipped) */
static gboolean
looks_like_vcard (const guint8 *data,
                  gsize         length)
{
  char start[32];
  gsize n = 0;

  for (gsize i = 0; i < length && i < 256 && n < sizeof start - 1; i++)
    {
      guint8 c = data[i];

      if (c == 0 || c >= 0x80 || (n == 0 && g_ascii_isspace (c)))
        continue;
      start[n++] = (char) c;
    }
  start[n] = '\0';
  return g_ascii_strncasecmp (start, "BEGIN:VCARD", 11) == 0;
}

static CrmTableFormat
format_from_content (const guint8 *data,
                     gsize         length)
{
  if (has_prefix (data, length, zip_magic, sizeof zip_magic)
      || has_prefix (data, length, zip_empty_magic, sizeof zip_empty_magic))
    return CRM_TABLE_FORMAT_XLSX;
  if (has_prefix (data, length, ole2_magic, sizeof ole2_magic))
    return CRM_TABLE_FORMAT_XLS;
  if (looks_like_vcard (data, length))
    return CRM_TABLE_FORMAT_VCARD;
  return CRM_TABLE_FORMAT_AUTO;
}

static CrmTable *
read_bytes (GBytes         *bytes,
            CrmTableFormat  format,
            const char     *name,
            const char     *path,
            GCancellable   *cancellable,
            GError        **error)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  if (length == 0)
    {
      g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT, _("The file is empty"));
      return NULL;
    }
  if (format == CRM_TABLE_FORMAT_AUTO)
    format = format_from_content (data, length);
  if (format == CRM_TABLE_FORMAT_AUTO && name != NULL)
    format = crm_table_format_from_name (name);

  switch (format)
    {
    case CRM_TABLE_FORMAT_XLSX:
      return crm_xlsx_reader_read (bytes, cancellable, error);
    case CRM_TABLE_FORMAT_XLS:
      return crm_xls_reader_read (bytes, path, cancellable, error);
    case CRM_TABLE_FORMAT_VCARD:
      return crm_vcard_reader_read (bytes, cancellable, error);
    case CRM_TABLE_FORMAT_AUTO:
    case CRM_TABLE_FORMAT_CSV:
    default:
      return crm_csv_reader_read (bytes, cancellable, error);
    }
}

/* Helpers for the readers (crm-table-private.h) */

CrmTable *
_crm_table_new (CrmTableFormat format,
                const char    *encoding)
{
  CrmTable *table = g_new0 (CrmTable, 1);

  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  table->encoding = g_strdup (encoding);
  table->format = format;
  return table;
}

/* Where a row is, as a person looks for it in the file: "Line 3" of a CSV
 * file, "Row 3" of a sheet, "Card 3" of a vCard file */
char *
_crm_table_where (CrmTableFormat format,
                  guint          line)
{
  switch (format)
    {
    case CRM_TABLE_FORMAT_XLSX:
    case CRM_TABLE_FORMAT_XLS:
      return g_strdup_printf (_("Row %u"), line);
    case CRM_TABLE_FORMAT_VCARD:
      return g_strdup_printf (_("Card %u"), line);
    case CRM_TABLE_FORMAT_AUTO:
    case CRM_TABLE_FORMAT_CSV:
    default:
      return g_strdup_printf (_("Line %u"), line);
    }
}

/* A cell the importer may take as it is: valid UTF-8, no NUL, not too long */
gboolean
_crm_table_check_cell (CrmTableFormat format,
                       const char    *cell,
                       gsize          length,
                       guint          line,
                       GError       **error)
{
  g_autofree char *where = NULL;

  if (length > CRM_TABLE_MAX_CELL_BYTES)
    {
      where = _crm_table_where (format, line);
      /* TRANSLATORS: %s is where in the file: "Line 3", "Row 3" or "Card 3" */
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                   _("%s: a field is longer than %u MB"),
                   where, CRM_TABLE_MAX_CELL_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (memchr (cell, '\0', length) != NULL)
    {
      where = _crm_table_where (format, line);
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_ENCODING,
                   _("%s: a field contains a NUL character"), where);
      return FALSE;
    }
  if (!g_utf8_validate_len (cell, length, NULL))
    {
      where = _crm_table_where (format, line);
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_ENCODING,
                   _("%s: a field is not valid text"), where);
      return FALSE;
    }
  return TRUE;
}

/* Takes @row (checked cell by cell by the caller); refuses past the limits */
gboolean
_crm_table_add_row (CrmTable *table,
                    GStrv     row,
                    guint     line,
                    GError  **error)
{
  g_autofree char *where = NULL;

  if (g_strv_length (row) > CRM_TABLE_MAX_COLUMNS)
    {
      where = _crm_table_where (table->format, line);
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                   _("%s: more than %u columns"), where, CRM_TABLE_MAX_COLUMNS);
      g_strfreev (row);
      return FALSE;
    }
  if (table->rows->len >= CRM_TABLE_MAX_ROWS)
    {
      where = _crm_table_where (table->format, line);
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                   _("%s: more than %u rows"), where, CRM_TABLE_MAX_ROWS);
      g_strfreev (row);
      return FALSE;
    }
  if (table->n_cells + g_strv_length (row) > CRM_TABLE_MAX_CELLS)
    {
      where = _crm_table_where (table->format, line);
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                   _("%s: more than %u cells in all"), where, CRM_TABLE_MAX_CELLS);
      g_strfreev (row);
      return FALSE;
    }
  table->n_cells += g_strv_length (row);
  g_ptr_array_add (table->rows, row);
  g_array_append_val (table->lines, line);
  return TRUE;
}

gboolean
_crm_table_check_cancel (GCancellable *cancellable,
                         GError      **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return TRUE;
  g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_CANCELLED,
                       _("The import was cancelled"));
  return FALSE;
}

/* @table (taken) as the first sheet of a workbook a reader read: %NULL with
 * @error set if it has no row, the readers' one message for that */
CrmTable *
_crm_table_first_sheet (CrmTable  *table,
                        GError   **error)
{
  if (table->rows->len > 0)
    return table;
  crm_table_free (table);
  g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                       _("The first sheet of the workbook is empty"));
  return NULL;
}

/* A number as a person typed it: an integral double (a phone number Excel
 * stored as 1.3812345678E10) as its exact digits, never with an exponent;
 * anything else with the 15 significant digits Excel shows. */
char *
_crm_table_format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return g_strdup ("");
  if (value == floor (value) && fabs (value) < 1e17)
    return g_strdup_printf ("%.0f", value == 0 ? 0.0 : value);
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
}

/* Public API */

/**
 * crm_table_format_from_name:
 * @name: a file name
 *
 * Returns: the format its extension names, or %CRM_TABLE_FORMAT_AUTO
 */
CrmTableFormat
crm_table_format_from_name (const char *name)
{
  const char *dot;
  g_autofree char *extension = NULL;

  g_return_val_if_fail (name != NULL, CRM_TABLE_FORMAT_AUTO);

  dot = strrchr (name, '.');
  if (dot == NULL || strchr (dot, '/') != NULL)
    return CRM_TABLE_FORMAT_AUTO;
  extension = g_ascii_strdown (dot + 1, -1);
  if (g_str_equal (extension, "csv") || g_str_equal (extension, "tsv")
      || g_str_equal (extension, "txt"))
    return CRM_TABLE_FORMAT_CSV;
  if (g_str_equal (extension, "xlsx") || g_str_equal (extension, "xlsm"))
    return CRM_TABLE_FORMAT_XLSX;
  if (g_str_equal (extension, "xls") || g_str_equal (extension, "et"))
    return CRM_TABLE_FORMAT_XLS;
  if (g_str_equal (extension, "vcf") || g_str_equal (extension, "vcard"))
    return CRM_TABLE_FORMAT_VCARD;
  return CRM_TABLE_FORMAT_AUTO;
}

/**
 * crm_table_read_bytes:
 * @bytes: a file's content
 * @format: its format, or %CRM_TABLE_FORMAT_AUTO to tell it by the content
 * @cancellable: (nullable): cancels the read (%CRM_IO_ERROR_CANCELLED)
 * @error: a %CRM_IO_ERROR with a translated message
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
CrmTable *
crm_table_read_bytes (GBytes         *bytes,
                      CrmTableFormat  format,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_bytes (bytes, format, NULL, NULL, cancellable, error);
}

/**
 * crm_table_read:
 * @file: the file to read
 * @format: its format, or %CRM_TABLE_FORMAT_AUTO (the content, then the name)
 * @cancellable: (nullable): cancels the read (%CRM_IO_ERROR_CANCELLED)
 * @error: a %CRM_IO_ERROR with a translated message
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
CrmTable *
crm_table_read (GFile          *file,
                CrmTableFormat  format,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_basename (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &local_error);
  if (info != NULL && g_file_info_get_size (info) > CRM_TABLE_MAX_FILE_BYTES)
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                   _("“%s” is larger than %u MB"), name,
                   (guint) (CRM_TABLE_MAX_FILE_BYTES / (1024 * 1024)));
      return NULL;
    }
  if (info != NULL)
    bytes = g_file_load_bytes (file, cancellable, NULL, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          _crm_table_check_cancel (cancellable, error);
          return NULL;
        }
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN,
                   _("Cannot read “%s”: %s"), name, local_error->message);
      return NULL;
    }
  path = g_file_get_path (file);
  return read_bytes (bytes, format, name, path, cancellable, error);
}

/**
 * crm_table_free:
 * @table: (nullable): a table
 */
void
crm_table_free (CrmTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_array_unref (table->lines);
  g_free (table->encoding);
  g_free (table);
}
