/* test-io-xls.c — legacy .xls workbooks (Excel 97–2003, WPS) read as tables
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No library here writes .xls, so the test writes the smallest file Excel
 * would read: a compound file (CFB version 3, 512-byte sectors, one FAT
 * sector, one directory sector) holding a BIFF8 "Workbook" stream — the
 * globals (code page, XF records, the sheet, the shared strings) then one
 * sheet of cells: shared strings, a phone number as a double, a date (a
 * number in an XF with the built-in date format 14), a gap and an empty row.
 */
#include "config.h"

#include <string.h>

#include "crm-io.h"
#include "crm-table.h"
#include "test-io-util.h"

static char *tmp_dir;

static void
put16 (GByteArray *buffer,
       guint16     value)
{
  guint8 bytes[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (buffer, bytes, 2);
}

static void
put32 (GByteArray *buffer,
       guint32     value)
{
  put16 (buffer, value & 0xffff);
  put16 (buffer, value >> 16);
}

static void
put_record (GByteArray *stream,
            guint16     type,
            GByteArray *body)
{
  put16 (stream, type);
  put16 (stream, body != NULL ? body->len : 0);
  if (body != NULL)
    {
      g_byte_array_append (stream, body->data, body->len);
      g_byte_array_set_size (body, 0);
    }
}

/* LABELSST (a shared string) or NUMBER, at @row, @column in XF @xf */
static void
put_cell (GByteArray *stream,
          GByteArray *body,
          guint16     row,
          guint16     column,
          guint16     xf,
          int         string,
          double      number)
{
  put16 (body, row);
  put16 (body, column);
  put16 (body, xf);
  if (string >= 0)
    put32 (body, string);
  else
    g_byte_array_append (body, (const guint8 *) &number, 8);
  put_record (stream, string >= 0 ? 0x00fd : 0x0203, body);
}

/* The BIFF8 workbook stream, padded to 4096 bytes (so that it lives in
 * ordinary sectors, not the mini stream) */
static GByteArray *
workbook_stream (void)
{
  static const char *const strings[] = { "姓名", "手机", "张三" };
  static const guint8 bof_globals[16] = { 0x00, 0x06, 0x05, 0x00, 0, 0, 0xcd, 0x07 };
  static const guint8 bof_sheet[16] = { 0x00, 0x06, 0x10, 0x00, 0, 0, 0xcd, 0x07 };
  GByteArray *stream = g_byte_array_new ();
  g_autoptr (GByteArray) body = g_byte_array_new ();
  guint offset_at;
  guint32 offset;

  g_byte_array_append (body, bof_globals, sizeof bof_globals);
  put_record (stream, 0x0809, body);
  put16 (body, 1200);  /* CODEPAGE: UTF-16 */
  put_record (stream, 0x0042, body);
  /* 16 style XFs, cell XF 16 (General) and 17 (format 14, a date) */
  for (guint i = 0; i < 18; i++)
    {
      guint8 xf[20] = { 0 };

      xf[2] = i == 17 ? 14 : 0;
      xf[4] = i < 16 ? 0xf5 : 0x01;
      xf[5] = i < 16 ? 0xff : 0x00;
      g_byte_array_append (body, xf, sizeof xf);
      put_record (stream, 0x00e0, body);
    }
  put32 (body, 0);  /* BOUNDSHEET: its offset, written below */
  g_byte_array_append (body, (const guint8 *) "\0\0\x02\0" "A1", 6);
  offset_at = stream->len + 4;
  put_record (stream, 0x0085, body);
  put32 (body, G_N_ELEMENTS (strings));  /* SST */
  put32 (body, G_N_ELEMENTS (strings));
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      glong n = 0;
      g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (strings[i], -1, NULL, &n, NULL);

      put16 (body, n);
      g_byte_array_append (body, (const guint8 *) "\x01", 1);
      g_byte_array_append (body, (const guint8 *) utf16, n * 2);
    }
  put_record (stream, 0x00fc, body);
  put_record (stream, 0x000a, NULL);

  offset = GUINT32_TO_LE (stream->len);
  memcpy (stream->data + offset_at, &offset, 4);
  g_byte_array_append (body, bof_sheet, sizeof bof_sheet);
  put_record (stream, 0x0809, body);
  put32 (body, 0);  /* DIMENSIONS: rows 0–4, columns 0–3 */
  put32 (body, 5);
  put16 (body, 0);
  put16 (body, 3);
  put16 (body, 0);
  put_record (stream, 0x0200, body);
  put_cell (stream, body, 0, 0, 16, 0, 0);
  put_cell (stream, body, 0, 1, 16, 1, 0);
  put_cell (stream, body, 0, 2, 16, -1, 2024);
  put_cell (stream, body, 1, 0, 16, 2, 0);
  put_cell (stream, body, 1, 1, 16, -1, 13812345678.0);
  put_cell (stream, body, 3, 1, 16, -1, 1234.5);
  put_cell (stream, body, 3, 2, 17, -1, 45366);
  put_record (stream, 0x000a, NULL);
  while (stream->len < 4096)
    g_byte_array_append (stream, (const guint8 *) "", 1);
  return stream;
}

static void
put_at (guint8 *sector,
        guint   at,
        guint32 value)
{
  value = GUINT32_TO_LE (value);
  memcpy (sector + at, &value, 4);
}

/* A compound file of the one stream "Workbook" */
static GByteArray *
compound_file (GByteArray *stream)
{
  static const guint8 magic[] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
  static const char *const names[] = { "Root Entry", "Workbook" };
  GByteArray *file = g_byte_array_new ();
  guint n_sectors = (stream->len + 511) / 512;
  guint8 sector[512];

  memset (sector, 0, sizeof sector);  /* the header */
  memcpy (sector, magic, sizeof magic);
  sector[24] = 0x3e;   /* minor version */
  sector[26] = 3;      /* major version: 512-byte sectors */
  sector[28] = 0xfe;   /* little-endian */
  sector[29] = 0xff;
  sector[30] = 9;      /* sector shift */
  sector[32] = 6;      /* mini sector shift */
  put_at (sector, 44, 1);            /* one FAT sector */
  put_at (sector, 48, 1);            /* the directory in sector 1 */
  put_at (sector, 56, 4096);         /* the mini stream cutoff */
  put_at (sector, 60, 0xfffffffe);   /* no mini FAT */
  put_at (sector, 68, 0xfffffffe);   /* no DIFAT sector */
  memset (sector + 76, 0xff, 436);
  put_at (sector, 76, 0);            /* the FAT in sector 0 */
  g_byte_array_append (file, sector, sizeof sector);

  memset (sector, 0xff, sizeof sector);  /* sector 0: the FAT */
  put_at (sector, 0, 0xfffffffd);
  put_at (sector, 4, 0xfffffffe);
  for (guint i = 0; i < n_sectors; i++)
    put_at (sector, 4 * (2 + i), i + 1 < n_sectors ? 3 + i : 0xfffffffe);
  g_byte_array_append (file, sector, sizeof sector);

  memset (sector, 0, sizeof sector);  /* sector 1: the directory */
  for (guint e = 0; e < 4; e++)
    for (guint at = 68; at <= 76; at += 4)
      put_at (sector, e * 128 + at, 0xffffffff);
  for (guint e = 0; e < G_N_ELEMENTS (names); e++)
    {
      glong n = 0;
      g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (names[e], -1, NULL, &n, NULL);

      memcpy (sector + e * 128, utf16, n * 2);
      sector[e * 128 + 64] = (n + 1) * 2;
      sector[e * 128 + 66] = e == 0 ? 5 : 2;  /* root storage, stream */
      sector[e * 128 + 67] = 1;               /* black */
    }
  put_at (sector, 76, 1);                     /* the root's child: the stream */
  put_at (sector, 116, 0xfffffffe);
  put_at (sector, 128 + 116, 2);              /* the stream from sector 2 */
  put_at (sector, 128 + 120, stream->len);
  g_byte_array_append (file, sector, sizeof sector);

  g_byte_array_append (file, stream->data, stream->len);
  while (file->len % 512 != 0)
    g_byte_array_append (file, (const guint8 *) "", 1);
  return file;
}

static void
check_table (CrmTable *table)
{
  g_assert_cmpint (table->format, ==, CRM_TABLE_FORMAT_XLS);
  g_assert_cmpuint (table->rows->len, ==, 3);
  test_io_assert_row (table, 0, "姓名|手机|2024", 1);
  test_io_assert_row (table, 1, "张三|13812345678", 2);
  /* row 3 is empty: left out; the gap in row 4 kept */
  test_io_assert_row (table, 2, "|1234.5|2024-03-15", 4);
}

static void
test_xls_first_sheet (void)
{
  g_autoptr (GByteArray) stream = workbook_stream ();
  g_autoptr (GByteArray) data = compound_file (stream);
  g_autofree char *path = g_build_filename (tmp_dir, "客户.xls", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) bytes = g_bytes_new (data->data, data->len);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) from_file = NULL;
  g_autoptr (CrmTable) from_bytes = NULL;

  g_assert_true (g_file_set_contents (path, (const char *) data->data, data->len, NULL));
  from_file = crm_table_read (file, CRM_TABLE_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  check_table (from_file);

  /* without a path: through a temporary file, removed after */
  from_bytes = crm_table_read_bytes (bytes, CRM_TABLE_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  check_table (from_bytes);
}

/* An OLE2 file that is no workbook, and a workbook cut short */
static void
test_xls_damaged (void)
{
  g_autoptr (GByteArray) stream = workbook_stream ();
  g_autoptr (GByteArray) good = compound_file (stream);
  g_autoptr (GByteArray) junk = g_byte_array_new ();
  GByteArray *cases[] = { junk, good };

  g_byte_array_append (junk, good->data, 8);
  for (guint i = 0; i < 4096; i++)
    g_byte_array_append (junk, (const guint8 *) "\x3e\x00\x03", 1 + i % 3);
  g_byte_array_set_size (good, 1024 + 512);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (cases[i]->data, cases[i]->len);
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmTable) table = crm_table_read_bytes (bytes, CRM_TABLE_FORMAT_AUTO, NULL,
                                                         &error);

      g_assert_null (table);
      g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
      g_assert_cmpstr (error->message, ==, "The workbook is damaged or is not an XLS file");
    }
}

int
main (int   argc,
      char *argv[])
{
  tmp_dir = test_io_init (&argc, &argv);

  g_test_add_func ("/io/xls/first-sheet", test_xls_first_sheet);
  g_test_add_func ("/io/xls/damaged", test_xls_damaged);

  return test_io_run (tmp_dir);
}
