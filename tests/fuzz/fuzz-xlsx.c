/* fuzz-xlsx.c — the XLSX reader on any bytes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks what the rest is: 0, a whole file (the seeds are
 * small workbooks, some stored uncompressed); 1, 2 or 3, the sheet, the
 * shared strings or the styles of a workbook the target zips around it, so
 * that mutations reach the XML past the zip's checksums. Properties
 * (fuzz-table-check.h): refused with a CRM_IO_ERROR or every cell valid
 * UTF-8 without NUL, a row number per row, no row empty or ending with an
 * empty cell.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>

#include "fuzz-table-check.h"

#define WORKBOOK \
  "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" \
  "<sheets><sheet name=\"A\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS \
  "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
#define STRINGS "<sst><si><t>a</t></si><si><r><t>b</t></r><rPh><t>c</t></rPh></si></sst>"
#define STYLES \
  "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/></numFmts>" \
  "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>" \
  "<xf numFmtId=\"22\"/><xf numFmtId=\"20\"/></cellXfs></styleSheet>"
#define SHEET \
  "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c><c r=\"B1\" s=\"2\">" \
  "<v>45366.5</v></c></row></sheetData></worksheet>"

static void
add_entry (struct archive *zip,
           const char     *name,
           const void     *data,
           gsize           length)
{
  struct archive_entry *entry = archive_entry_new ();

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, length);
  archive_write_header (zip, entry);
  archive_write_data (zip, data, length);
  archive_entry_free (entry);
}

/* A stored zip of the workbook's parts, @part replaced by @data */
static GBytes *
wrap (guint         part,
      const uint8_t *data,
      size_t         size)
{
  gsize capacity = size + 64 * 1024;
  guint8 *buffer = g_malloc (capacity);
  size_t used = 0;
  struct archive *zip = archive_write_new ();

  archive_write_set_format_zip (zip);
  archive_write_set_options (zip, "zip:compression=store");
  archive_write_open_memory (zip, buffer, capacity, &used);
  add_entry (zip, "xl/workbook.xml", WORKBOOK, strlen (WORKBOOK));
  add_entry (zip, "xl/_rels/workbook.xml.rels", RELS, strlen (RELS));
  add_entry (zip, "xl/sharedStrings.xml", part == 2 ? (const char *) data : STRINGS,
             part == 2 ? size : strlen (STRINGS));
  add_entry (zip, "xl/styles.xml", part == 3 ? (const char *) data : STYLES,
             part == 3 ? size : strlen (STYLES));
  add_entry (zip, "xl/worksheets/sheet1.xml", part == 1 ? (const char *) data : SHEET,
             part == 1 ? size : strlen (SHEET));
  archive_write_close (zip);
  archive_write_free (zip);
  return g_bytes_new_take (buffer, used);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CrmTable) table = NULL;
  guint mode;

  fuzz_table_init ();
  if (size == 0)
    return 0;
  mode = data[0] % 4;
  bytes = mode == 0 ? g_bytes_new (data + 1, size - 1) : wrap (mode, data + 1, size - 1);
  table = crm_table_read_bytes (bytes, CRM_TABLE_FORMAT_XLSX, NULL, &error);
  fuzz_table_check (table, error, CRM_TABLE_FORMAT_XLSX);
  for (guint i = 0; table != NULL && i < table->rows->len; i++)
    {
      GStrv row = g_ptr_array_index (table->rows, i);
      guint n = g_strv_length (row);

      /* a row ends at its last non-empty cell */
      if (n == 0 || row[n - 1][0] == '\0')
        fuzz_fail ("row %u is empty or ends with an empty cell", i);
    }
  return 0;
}
