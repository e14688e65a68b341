/* test-io-csv.c — CSV files as Excel, WPS and people save them, read as tables
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file is made by the test (GBK and UTF-16 through g_convert), written
 * to a temporary folder and read back through crm_table_read(), as the
 * importer does.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "crm-io.h"
#include "crm-table.h"
#include "test-io-util.h"

static char *tmp_dir;

static CrmTable *
read_text (const char *text)
{
  g_autoptr (GError) error = NULL;
  CrmTable *table = test_io_read_file (tmp_dir, "test.csv", text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  g_assert_cmpint (table->format, ==, CRM_TABLE_FORMAT_CSV);
  return table;
}

/* @expected: rows of cells separated by '|', rows by '\n' in the C string
 * array; the lines each row starts on in @lines */
static void
assert_table (CrmTable          *table,
              const char *const *expected,
              const guint       *lines)
{
  guint n = g_strv_length ((GStrv) expected);

  g_assert_cmpuint (table->rows->len, ==, n);
  g_assert_cmpuint (table->lines->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      GStrv row = g_ptr_array_index (table->rows, i);
      g_autofree char *joined = g_strjoinv ("|", row);

      g_assert_cmpstr (joined, ==, expected[i]);
      if (lines != NULL)
        g_assert_cmpuint (g_array_index (table->lines, guint, i), ==, lines[i]);
    }
}

static void
test_csv_utf8 (void)
{
  static const char *const rows[] = { "姓名|手机|公司", "张三|13812345678|小禾科技", NULL };
  static const guint lines[] = { 1, 2 };
  g_autoptr (CrmTable) plain = read_text ("姓名,手机,公司\n张三,13812345678,小禾科技\n");
  g_autoptr (CrmTable) bom = read_text ("\xef\xbb\xbf姓名,手机,公司\r\n张三,13812345678,小禾科技");

  assert_table (plain, rows, lines);
  g_assert_cmpstr (plain->encoding, ==, "UTF-8");
  /* the BOM is not part of the first header */
  assert_table (bom, rows, lines);
  g_assert_cmpstr (bom->encoding, ==, "UTF-8");
}

static void
test_csv_gbk (void)
{
  static const char *const rows[] = {
    "姓名|手机|地址", "王小明|13900001111|北京市海淀区中关村大街1号", "李四|139|广州", NULL,
  };
  const char *utf8 = "姓名,手机,地址\r\n"
                     "王小明,13900001111,北京市海淀区中关村大街1号\r\n"
                     "李四,139,广州\r\n";
  gsize length = 0;
  g_autofree char *gbk = g_convert (utf8, -1, "GBK", "UTF-8", NULL, &length, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = test_io_read_file (tmp_dir, "gbk.csv", gbk, length, &error);

  g_assert_no_error (error);
  assert_table (table, rows, NULL);
  g_assert_cmpstr (table->encoding, ==, "GB18030");
}

/* Traditional Chinese without a BOM: uchardet tells Big5 from GBK */
static void
test_csv_big5 (void)
{
  static const char *const rows[] = { "姓名|電話|地址", "陳大文|0912345678|臺北市信義區", NULL };
  const char *utf8 = "姓名,電話,地址\n陳大文,0912345678,臺北市信義區\n";
  gsize length = 0;
  g_autofree char *big5 = g_convert (utf8, -1, "BIG5", "UTF-8", NULL, &length, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = test_io_read_file (tmp_dir, "big5.csv", big5, length, &error);

  g_assert_no_error (error);
  assert_table (table, rows, NULL);
  g_assert_cmpstr (table->encoding, ==, "BIG5");
}

static void
test_csv_utf16 (void)
{
  static const char *const rows[] = { "姓名|邮箱", "赵六|zhao@example.com", NULL };
  const char *utf8 = "姓名\t邮箱\r\n赵六\tzhao@example.com\r\n";
  const char *encodings[][2] = { { "UTF-16LE", "\xff\xfe" }, { "UTF-16BE", "\xfe\xff" } };

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    {
      gsize length = 0;
      g_autofree char *body = g_convert (utf8, -1, encodings[i][0], "UTF-8", NULL, &length, NULL);
      g_autofree char *data = g_malloc (length + 2);
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmTable) table = NULL;
      g_autoptr (CrmTable) no_bom = NULL;

      memcpy (data, encodings[i][1], 2);
      memcpy (data + 2, body, length);
      table = test_io_read_file (tmp_dir, "utf16.csv", data, length + 2, &error);
      g_assert_no_error (error);
      assert_table (table, rows, NULL);
      g_assert_cmpstr (table->encoding, ==, encodings[i][0]);

      /* without its BOM, as some tools write it */
      no_bom = test_io_read_file (tmp_dir, "utf16.txt", body, length, &error);
      g_assert_no_error (error);
      assert_table (no_bom, rows, NULL);
      g_assert_cmpstr (no_bom->encoding, ==, encodings[i][0]);
    }
}

static void
test_csv_quotes (void)
{
  static const char *const rows[] = {
    "Name|Notes|Phone",
    "A \"quoted\" name|first line\nsecond line\r\nthird|1",
    "B|a, comma|2",
    "C||",
    "two\nlines|x|y",
    NULL,
  };
  /* a row starts on the line it begins on, whatever the line breaks in
   * the cells before it */
  static const guint lines[] = { 1, 2, 5, 7, 8 };
  g_autoptr (CrmTable) table = read_text (
    "Name,Notes,Phone\r\n"
    "\"A \"\"quoted\"\" name\",\"first line\nsecond line\r\nthird\",1\r\n"
    "B,\"a, comma\",2\r\n"
    "\r\n"
    "C,,\r\n"
    "\"two\nlines\",x,y");

  assert_table (table, rows, lines);
}

static void
test_csv_ragged (void)
{
  static const char *const rows[] = { "a|b|c", "1", "1|2|3|4|5", " spaced | x ", NULL };
  static const guint lines[] = { 1, 2, 3, 4 };
  g_autoptr (CrmTable) table = read_text ("a,b,c\n1\n1,2,3,4,5\n spaced , x \n");

  assert_table (table, rows, lines);
}

static void
test_csv_delimiters (void)
{
  static const char *const rows[] = { "Name|Amount", "A|1,5", "B|2,25", NULL };
  g_autoptr (CrmTable) semicolon = read_text ("Name;Amount\nA;1,5\nB;2,25\n");
  g_autoptr (CrmTable) tab = read_text ("Name\tAmount\nA\t1,5\nB\t2,25\n");
  g_autoptr (CrmTable) comma = read_text ("Name,Amount\nA,\"1,5\"\nB,\"2,25\"\n");

  assert_table (semicolon, rows, NULL);
  assert_table (tab, rows, NULL);
  assert_table (comma, rows, NULL);
}

static void
test_csv_empty (void)
{
  const char *empties[] = { "", "\xef\xbb\xbf", "\n\r\n\n" };

  for (guint i = 0; i < G_N_ELEMENTS (empties); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmTable) table = test_io_read_file (tmp_dir, "empty.csv", empties[i],
                                                      strlen (empties[i]), &error);

      g_assert_null (table);
      g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
      g_assert_cmpstr (error->message, ==, "The file is empty");
    }
}

static void
test_csv_large_field (void)
{
  gsize accepted = 1024 * 1024;
  gsize refused = CRM_TABLE_MAX_CELL_BYTES + 1;
  g_autoptr (GString) text = g_string_new ("Name,Notes\nA,\"");
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = NULL;
  g_autoptr (CrmTable) too_large = NULL;
  GStrv row;

  for (gsize i = 0; i < accepted; i++)
    g_string_append_c (text, i % 64 == 63 ? '\n' : 'x');
  g_string_append (text, "\"\nB,short\n");
  table = test_io_read_file (tmp_dir, "large.csv", text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->rows->len, ==, 3);
  row = g_ptr_array_index (table->rows, 1);
  g_assert_cmpuint (strlen (row[1]), ==, accepted);
  g_assert_cmpuint (g_array_index (table->lines, guint, 2), ==, 2 + accepted / 64 + 1);

  /* over the limit: refused, with the line its row starts on, quoted or not */
  g_string_assign (text, "Name,Notes\nA,b\nC,\"");
  for (gsize i = 0; i < refused; i++)
    g_string_append_c (text, i % 64 == 63 ? '\n' : 'x');
  g_string_append (text, "\"\n");
  too_large = test_io_read_file (tmp_dir, "too-large.csv", text->str, text->len, &error);
  g_assert_null (too_large);
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "Line 3: a field is longer than 2 MB");
  g_clear_error (&error);

  g_string_assign (text, "Name,Notes\nA,");
  for (gsize i = 0; i < refused; i++)
    g_string_append_c (text, 'x');
  too_large = test_io_read_file (tmp_dir, "too-large.csv", text->str, text->len, &error);
  g_assert_null (too_large);
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "Line 2: a field is longer than 2 MB");
}

static void
test_csv_bad_bytes (void)
{
  /* a NUL in UTF-8 text, and a byte GB18030 has no character for */
  static const struct { const char *data; gsize length; const char *message; } cases[] = {
    { "Name\nA\nB\0C\n", 11, "Line 3: a field contains a NUL character" },
    { "Name\n\xd5\xc5\xc8\xfd\n\xff\xfe\xfd\n", 12, "Line 3: a field is not valid GB18030 text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmTable) table = test_io_read_file (tmp_dir, "bad.csv", cases[i].data,
                                                      cases[i].length, &error);

      g_assert_null (table);
      g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_ENCODING);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_csv_too_many_columns (void)
{
  g_autoptr (GString) text = g_string_new ("a\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = NULL;

  for (guint i = 0; i <= CRM_TABLE_MAX_COLUMNS; i++)
    g_string_append (text, i == 0 ? "x" : ",x");
  g_string_append_c (text, '\n');
  table = test_io_read_file (tmp_dir, "wide.csv", text->str, text->len, &error);
  g_assert_null (table);
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "Line 2: more than 1024 columns");
}

static void
test_csv_cancel (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = NULL;
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "x,y\n");
  bytes = g_bytes_new (text->str, text->len);
  g_cancellable_cancel (cancellable);
  table = crm_table_read_bytes (bytes, CRM_TABLE_FORMAT_AUTO, cancellable, &error);
  g_assert_null (table);
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_CANCELLED);
}

static void
test_format_from_name (void)
{
  g_assert_cmpint (crm_table_format_from_name ("客户.CSV"), ==, CRM_TABLE_FORMAT_CSV);
  g_assert_cmpint (crm_table_format_from_name ("a.b/客户.xlsx"), ==, CRM_TABLE_FORMAT_XLSX);
  g_assert_cmpint (crm_table_format_from_name ("old.xls"), ==, CRM_TABLE_FORMAT_XLS);
  g_assert_cmpint (crm_table_format_from_name ("cards.vcf"), ==, CRM_TABLE_FORMAT_VCARD);
  g_assert_cmpint (crm_table_format_from_name ("a.b/noext"), ==, CRM_TABLE_FORMAT_AUTO);
}

int
main (int   argc,
      char *argv[])
{
  tmp_dir = test_io_init (&argc, &argv);

  g_test_add_func ("/io/csv/utf8", test_csv_utf8);
  g_test_add_func ("/io/csv/gbk", test_csv_gbk);
  g_test_add_func ("/io/csv/big5", test_csv_big5);
  g_test_add_func ("/io/csv/utf16", test_csv_utf16);
  g_test_add_func ("/io/csv/quotes", test_csv_quotes);
  g_test_add_func ("/io/csv/ragged", test_csv_ragged);
  g_test_add_func ("/io/csv/delimiters", test_csv_delimiters);
  g_test_add_func ("/io/csv/empty", test_csv_empty);
  g_test_add_func ("/io/csv/large-field", test_csv_large_field);
  g_test_add_func ("/io/csv/bad-bytes", test_csv_bad_bytes);
  g_test_add_func ("/io/csv/too-many-columns", test_csv_too_many_columns);
  g_test_add_func ("/io/csv/cancel", test_csv_cancel);
  g_test_add_func ("/io/format-from-name", test_format_from_name);

  return test_io_run (tmp_dir);
}
