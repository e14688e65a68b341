/* test-io-xlsx.c — XLSX workbooks read as tables: the first sheet, as shown
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workbooks are written by the test: through libxlsxwriter, as Excel
 * would save them (shared strings, or inline strings in its constant-memory
 * mode), and by hand through libarchive for what libxlsxwriter never
 * writes (phonetic guides, _x000D_ escapes) and for damaged ones: a
 * truncated zip, a sheet cut in the middle, a zip bomb.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "crm-io.h"
#include "crm-table.h"
#include "test-io-util.h"
#include "crm-xlsx-reader.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static CrmTable *
read_path (const char *path,
           GError    **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);

  return crm_table_read (file, CRM_TABLE_FORMAT_AUTO, NULL, error);
}

/* A workbook as Excel or WPS saves a customer list; @constant_memory makes
 * libxlsxwriter write inline strings instead of shared ones */
static char *
write_workbook (const char *name,
                gboolean    constant_memory)
{
  char *path = tmp_path (name);
  lxw_workbook_options options = { .constant_memory = constant_memory };
  lxw_workbook *workbook = workbook_new_opt (path, &options);
  lxw_worksheet *sheet = workbook_add_worksheet (workbook, "客户");
  lxw_worksheet *second = workbook_add_worksheet (workbook, "Other");
  lxw_format *iso = workbook_add_format (workbook);
  lxw_format *builtin = workbook_add_format (workbook);
  lxw_format *chinese = workbook_add_format (workbook);
  lxw_format *date_time = workbook_add_format (workbook);
  lxw_format *bold = workbook_add_format (workbook);
  lxw_datetime signed_on = { 2024, 3, 15, 0, 0, 0 };
  lxw_datetime met_at = { 2025, 12, 31, 9, 30, 0 };
  lxw_rich_string_tuple run1 = { .format = NULL, .string = "小禾" };
  lxw_rich_string_tuple run2 = { .format = bold, .string = "科技" };
  lxw_rich_string_tuple *rich[] = { &run1, &run2, NULL };

  format_set_num_format (iso, "yyyy-mm-dd");
  format_set_num_format_index (builtin, 14);
  format_set_num_format (chinese, "yyyy\"年\"m\"月\"d\"日\"");
  format_set_num_format (date_time, "yyyy-mm-dd hh:mm");
  format_set_bold (bold);

  worksheet_write_string (sheet, 0, 0, "姓名", NULL);
  worksheet_write_string (sheet, 0, 1, "手机", NULL);
  worksheet_write_string (sheet, 0, 2, "公司", NULL);
  worksheet_write_string (sheet, 0, 3, "签约", NULL);
  worksheet_write_string (sheet, 0, 4, "金额", NULL);

  worksheet_write_string (sheet, 1, 0, "张三", NULL);
  worksheet_write_number (sheet, 1, 1, 13812345678.0, NULL);
  if (constant_memory)
    worksheet_write_string (sheet, 1, 2, "小禾科技", NULL);
  else
    worksheet_write_rich_string (sheet, 1, 2, rich, NULL);
  worksheet_write_datetime (sheet, 1, 3, &signed_on, iso);
  worksheet_write_number (sheet, 1, 4, 1234.5, NULL);

  /* a gap (no company), a date in a built-in and a Chinese format */
  worksheet_write_string (sheet, 2, 0, "李四", NULL);
  worksheet_write_number (sheet, 2, 1, 1.38123e10, NULL);
  worksheet_write_datetime (sheet, 2, 3, &signed_on, builtin);
  worksheet_write_number (sheet, 2, 4, 0.1, NULL);

  /* a row left empty (only a styled blank), then one further down */
  worksheet_write_blank (sheet, 3, 0, bold);
  worksheet_write_string (sheet, 5, 0, "王五", NULL);
  worksheet_write_datetime (sheet, 5, 3, &signed_on, chinese);
  worksheet_write_datetime (sheet, 5, 4, &met_at, date_time);
  worksheet_write_boolean (sheet, 5, 5, 1, NULL);

  worksheet_write_string (second, 0, 0, "not read", NULL);
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);
  return path;
}

static void
check_workbook (CrmTable *table)
{
  g_assert_cmpint (table->format, ==, CRM_TABLE_FORMAT_XLSX);
  g_assert_cmpuint (table->rows->len, ==, 4);
  test_io_assert_row (table, 0, "姓名|手机|公司|签约|金额", 1);
  test_io_assert_row (table, 1, "张三|13812345678|小禾科技|2024-03-15|1234.5", 2);
  test_io_assert_row (table, 2, "李四|13812300000||2024-03-15|0.1", 3);
  test_io_assert_row (table, 3, "王五|||2024-03-15|2025-12-31 09:30:00|TRUE", 6);
}

static void
test_xlsx_shared_strings (void)
{
  g_autofree char *path = write_workbook ("shared.xlsx", FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = read_path (path, &error);

  g_assert_no_error (error);
  check_workbook (table);
}

static void
test_xlsx_inline_strings (void)
{
  g_autofree char *path = write_workbook ("inline.xlsx", TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = read_path (path, &error);

  g_assert_no_error (error);
  check_workbook (table);
}

static void
test_xlsx_renamed (void)
{
  /* the content decides, not the name */
  g_autofree char *path = write_workbook ("客户.csv", FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = read_path (path, &error);

  g_assert_no_error (error);
  check_workbook (table);
}

static void
test_xlsx_empty_sheet (void)
{
  g_autofree char *path = tmp_path ("empty.xlsx");
  lxw_workbook *workbook = workbook_new (path);
  lxw_worksheet *second;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = NULL;

  workbook_add_worksheet (workbook, NULL);
  second = workbook_add_worksheet (workbook, NULL);
  worksheet_write_string (second, 0, 0, "only on the second sheet", NULL);
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);

  table = read_path (path, &error);
  g_assert_null (table);
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==, "The first sheet of the workbook is empty");
}

/* A zip of @n_entries (name, content) pairs, made with libarchive */
static char *
write_zip (const char        *name,
           const char *const *entries,
           gsize              n_entries)
{
  char *path = tmp_path (name);
  struct archive *zip = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (zip), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (zip, path), ==, ARCHIVE_OK);
  for (gsize i = 0; i + 1 < n_entries * 2; i += 2)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize length = strlen (entries[i + 1]);

      archive_entry_set_pathname (entry, entries[i]);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, length);
      g_assert_cmpint (archive_write_header (zip, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (zip, entries[i + 1], length), ==, length);
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (zip), ==, ARCHIVE_OK);
  archive_write_free (zip);
  return path;
}

#define WORKBOOK_XML \
  "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/" \
  "spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/" \
  "2006/relationships\"><sheets><sheet name=\"A\" sheetId=\"1\" r:id=\"rId7\"/>" \
  "<sheet name=\"B\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS_XML \
  "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/" \
  "package/2006/relationships\"><Relationship Id=\"rId1\" Target=\"worksheets/b.xml\"/>" \
  "<Relationship Id=\"rId7\" Target=\"/xl/worksheets/a.xml\"/></Relationships>"
#define SHARED_XML \
  "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><r><t>東京</t>" \
  "</r><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh></si><si><t xml:space=\"preserve\">" \
  " two_x000D_\nlines </t></si></sst>"
#define SHEET_XML \
  "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
  "<sheetData><row r=\"2\"><c r=\"B2\" t=\"s\"><v>0</v></c><c r=\"D2\" t=\"s\"><v>1</v></c>" \
  "<c r=\"E2\" t=\"str\"><f>A1</f><v>formula text</v></c></row>" \
  "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>inline</t></is></c><c><v>7</v></c></row>" \
  "</sheetData></worksheet>"

static void
test_xlsx_by_hand (void)
{
  const char *entries[] = {
    "xl/worksheets/b.xml", "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>second"
                           "</t></is></c></row></sheetData></worksheet>",
    "xl/worksheets/a.xml", SHEET_XML,
    "xl/workbook.xml", WORKBOOK_XML,
    "xl/_rels/workbook.xml.rels", RELS_XML,
    "xl/sharedStrings.xml", SHARED_XML,
  };
  g_autofree char *path = write_zip ("by-hand.xlsx", entries, G_N_ELEMENTS (entries) / 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = read_path (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (table->rows->len, ==, 2);
  test_io_assert_row (table, 0, "|東京|| two\r\nlines |formula text", 2);
  test_io_assert_row (table, 1, "inline|7", 3);
}

static void
assert_damaged (const char *path,
                GQuark      domain,
                int         code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = read_path (path, &error);

  g_assert_null (table);
  g_assert_error (error, domain, code);
  g_test_message ("%s: %s", path, error->message);
}

static void
test_xlsx_damaged (void)
{
  g_autofree char *good = write_workbook ("good.xlsx", FALSE);
  g_autofree char *truncated = tmp_path ("truncated.xlsx");
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autofree char *cut_sheet = g_strndup (SHEET_XML, strlen (SHEET_XML) / 2);
  const char *cut_entries[] = {
    "xl/workbook.xml", WORKBOOK_XML,
    "xl/_rels/workbook.xml.rels", RELS_XML,
    "xl/sharedStrings.xml", SHARED_XML,
    "xl/worksheets/a.xml", cut_sheet,
  };
  const char *no_workbook[] = { "xl/worksheets/a.xml", SHEET_XML };
  const char *bad_index[] = {
    "xl/workbook.xml", WORKBOOK_XML,
    "xl/_rels/workbook.xml.rels", RELS_XML,
    "xl/worksheets/a.xml", SHEET_XML,
  };
  g_autofree char *cut = write_zip ("cut.xlsx", cut_entries, 4);
  g_autofree char *missing = write_zip ("missing.xlsx", no_workbook, 1);
  g_autofree char *no_strings = write_zip ("no-strings.xlsx", bad_index, 3);

  g_assert_true (g_file_get_contents (good, &data, &length, NULL));
  for (gsize keep = length / 4; keep < length; keep += length / 4)
    {
      g_assert_true (g_file_set_contents (truncated, data, keep, NULL));
      assert_damaged (truncated, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
    }
  assert_damaged (cut, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
  assert_damaged (missing, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
  assert_damaged (no_strings, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
}

/* A zip of a few hundred kilobytes whose shared strings unpack to more than
 * CRM_XLSX_MAX_PART_BYTES: refused before it is all unpacked */
static void
test_xlsx_zip_bomb (void)
{
  const char *parts[] = {
    "xl/workbook.xml", WORKBOOK_XML,
    "xl/_rels/workbook.xml.rels", RELS_XML,
    "xl/worksheets/a.xml", SHEET_XML,
  };
  g_autofree char *path = write_zip ("bomb.xlsx", parts, 3);
  g_autofree char *spaces = g_malloc (1024 * 1024);
  struct archive *zip = archive_write_new ();
  struct archive_entry *entry = archive_entry_new ();
  gint64 size = CRM_XLSX_MAX_PART_BYTES + 1024 * 1024;
  GStatBuf st;

  /* written again with the bomb last, a megabyte at a time, compressed fast */
  memset (spaces, ' ', 1024 * 1024);
  g_assert_cmpint (archive_write_set_format_zip (zip), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_set_options (zip, "zip:compression-level=1"), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (zip, path), ==, ARCHIVE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i += 2)
    {
      archive_entry_clear (entry);
      archive_entry_set_pathname (entry, parts[i]);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, strlen (parts[i + 1]));
      g_assert_cmpint (archive_write_header (zip, entry), ==, ARCHIVE_OK);
      archive_write_data (zip, parts[i + 1], strlen (parts[i + 1]));
    }
  archive_entry_clear (entry);
  archive_entry_set_pathname (entry, "xl/sharedStrings.xml");
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, size);
  g_assert_cmpint (archive_write_header (zip, entry), ==, ARCHIVE_OK);
  for (gint64 written = 0; written < size; written += 1024 * 1024)
    g_assert_cmpint (archive_write_data (zip, spaces, 1024 * 1024), ==, 1024 * 1024);
  g_assert_cmpint (archive_write_close (zip), ==, ARCHIVE_OK);
  archive_entry_free (entry);
  archive_write_free (zip);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, <, 2 * 1024 * 1024);
  assert_damaged (path, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE);
}

int
main (int   argc,
      char *argv[])
{
  tmp_dir = test_io_init (&argc, &argv);

  g_test_add_func ("/io/xlsx/shared-strings", test_xlsx_shared_strings);
  g_test_add_func ("/io/xlsx/inline-strings", test_xlsx_inline_strings);
  g_test_add_func ("/io/xlsx/renamed", test_xlsx_renamed);
  g_test_add_func ("/io/xlsx/empty-sheet", test_xlsx_empty_sheet);
  g_test_add_func ("/io/xlsx/by-hand", test_xlsx_by_hand);
  g_test_add_func ("/io/xlsx/damaged", test_xlsx_damaged);
  g_test_add_func ("/io/xlsx/zip-bomb", test_xlsx_zip_bomb);

  return test_io_run (tmp_dir);
}
