/* crm-export-xlsx.c — the XLSX sink of crm-export.c (libxlsxwriter)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libxlsxwriter in constant-memory mode: each row goes to a temporary file
 * as it comes, so 100k contacts never sit in memory. Phone numbers are
 * written as text (a number would lose a leading 0 and show 1.38E+10),
 * amounts as numbers in yuan with the "#,##0.00" format so the sheet can
 * sum them, dates and times as real dates. Text is only ever written as a
 * string, never as a formula, so nothing in it runs (no guard needed, and
 * the text stays exactly as typed).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <xlsxwriter.h>

#include "crm-export-private.h"
#include "crm-io.h"

#define XLSX_MAX_ROWS 1048576u
#define XLSX_MAX_CHARS 32767

typedef struct
{
  CrmExportSink    sink;
  lxw_workbook    *workbook;
  lxw_worksheet   *sheet;
  lxw_format      *header;
  lxw_format      *money;
  lxw_format      *date;
  lxw_format      *time;
  char            *tmpdir;
  const CrmExportColumn *columns;
  guint            n_columns;
  guint            row;
} XlsxSink;

static gboolean
xlsx_failed (lxw_error   rc,
             GError    **error)
{
  if (rc == LXW_NO_ERROR)
    return TRUE;
  if (rc == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
    g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                 _("More rows than a sheet holds (%u): export as CSV instead"),
                 XLSX_MAX_ROWS - 1);
  else
    g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FAILED, _("Cannot write the XLSX file: %s"),
                 lxw_strerror (rc));
  return FALSE;
}

static gboolean
xlsx_begin_sheet (CrmExportSink          *sink,
                  const char             *sheet_name,
                  const CrmExportColumn  *columns,
                  guint                   n_columns,
                  GError                **error)
{
  XlsxSink *self = (XlsxSink *)sink;

  self->sheet = workbook_add_worksheet (self->workbook, sheet_name);
  if (self->sheet == NULL)
    return xlsx_failed (LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED, error);
  self->columns = columns;
  self->n_columns = n_columns;
  self->row = 0;
  worksheet_freeze_panes (self->sheet, 1, 0);
  for (guint i = 0; i < n_columns; i++)
    {
      double width = columns[i].type == CRM_EXPORT_COLUMN_TIME ? 20 : 14;

      worksheet_set_column (self->sheet, i, i, width, NULL);
      if (!xlsx_failed (worksheet_write_string (self->sheet, 0, i, columns[i].header,
                                                self->header), error))
        return FALSE;
    }
  self->row = 1;
  return TRUE;
}

static gboolean
parse_time (const char   *text,
            gboolean      is_date,
            lxw_datetime *out)
{
  g_autoptr (GDateTime) local = NULL;
  int y, m, d;

  if (is_date)
    {
      if (sscanf (text, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
        return FALSE;
      *out = (lxw_datetime) { y, m, d, 0, 0, 0 };
      return y >= 1900;
    }
  local = _crm_export_local_datetime (text);
  if (local == NULL)
    return FALSE;
  *out = (lxw_datetime) { g_date_time_get_year (local), g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local),
                          g_date_time_get_hour (local), g_date_time_get_minute (local),
                          g_date_time_get_second (local) };
  return out->year >= 1900;
}

static lxw_error
write_text (XlsxSink   *self,
            guint       column,
            const char *text)
{
  lxw_error rc = worksheet_write_string (self->sheet, self->row, column, text, NULL);

  if (rc == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
    {
      /* a cell holds 32,767 characters at most: the rest is cut, as Excel would */
      g_autofree char *cut = g_utf8_substring (text, 0, XLSX_MAX_CHARS);
      rc = worksheet_write_string (self->sheet, self->row, column, cut, NULL);
    }
  return rc;
}

static gboolean
xlsx_row (CrmExportSink        *sink,
          const CrmExportCell  *cells,
          GError              **error)
{
  XlsxSink *self = (XlsxSink *)sink;

  if (self->row >= XLSX_MAX_ROWS)
    return xlsx_failed (LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, error);
  for (guint i = 0; i < self->n_columns; i++)
    {
      const CrmExportCell *cell = &cells[i];
      lxw_datetime when;
      lxw_error rc = LXW_NO_ERROR;

      switch (self->columns[i].type)
        {
        case CRM_EXPORT_COLUMN_MONEY:
          rc = worksheet_write_number (self->sheet, self->row, i,
                                       crm_export_money_value (cell->number), self->money);
          break;
        case CRM_EXPORT_COLUMN_INTEGER:
          rc = worksheet_write_number (self->sheet, self->row, i, (double)cell->number, NULL);
          break;
        case CRM_EXPORT_COLUMN_DATE:
        case CRM_EXPORT_COLUMN_TIME:
          if (cell->text == NULL || *cell->text == '\0')
            break;
          if (parse_time (cell->text, self->columns[i].type == CRM_EXPORT_COLUMN_DATE, &when))
            rc = worksheet_write_datetime (self->sheet, self->row, i, &when,
                                           self->columns[i].type == CRM_EXPORT_COLUMN_DATE
                                           ? self->date : self->time);
          else
            rc = write_text (self, i, cell->text);
          break;
        case CRM_EXPORT_COLUMN_TEXT:
        case CRM_EXPORT_COLUMN_PHONE:
        default:
          if (cell->text != NULL && *cell->text != '\0')
            rc = write_text (self, i, cell->text);
          break;
        }
      if (!xlsx_failed (rc, error))
        return FALSE;
    }
  self->row++;
  return TRUE;
}

static gboolean
xlsx_finish (CrmExportSink  *sink,
             GError        **error)
{
  XlsxSink *self = (XlsxSink *)sink;
  lxw_error rc = workbook_close (self->workbook);

  self->workbook = NULL;
  return xlsx_failed (rc, error);
}

static void
xlsx_free (CrmExportSink *sink)
{
  XlsxSink *self = (XlsxSink *)sink;

  if (self->workbook != NULL)
    lxw_workbook_free (self->workbook);   /* abandoned: nothing written */
  g_free (self->tmpdir);
  g_free (self);
}

CrmExportSink *
_crm_export_xlsx_sink_new (const char  *path,
                           GError     **error)
{
  XlsxSink *self = g_new0 (XlsxSink, 1);
  lxw_workbook_options options = { 0 };

  self->sink = (CrmExportSink) { xlsx_begin_sheet, xlsx_row, xlsx_finish, xlsx_free };
  /* its row files beside the result: same disk, and /tmp may be small */
  self->tmpdir = g_path_get_dirname (path);
  options.constant_memory = LXW_TRUE;
  options.tmpdir = self->tmpdir;
  options.use_zip64 = LXW_TRUE;
  self->workbook = workbook_new_opt (path, &options);
  if (self->workbook == NULL)
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN, _("Cannot write “%s”"), path);
      xlsx_free (&self->sink);
      return NULL;
    }
  self->header = workbook_add_format (self->workbook);
  format_set_bold (self->header);
  self->money = workbook_add_format (self->workbook);
  format_set_num_format (self->money, "#,##0.00");
  self->date = workbook_add_format (self->workbook);
  format_set_num_format (self->date, "yyyy-mm-dd");
  self->time = workbook_add_format (self->workbook);
  format_set_num_format (self->time, "yyyy-mm-dd hh:mm:ss");
  return &self->sink;
}
