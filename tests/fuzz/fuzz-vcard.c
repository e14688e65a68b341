/* fuzz-vcard.c — the vCard reader on any bytes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Properties (fuzz-table-check.h): refused with a CRM_IO_ERROR or every
 * cell valid UTF-8 without NUL; and the table is a header of known column
 * names then a row per card, every row as wide as the header, the cards
 * numbered 1, 2, 3 … in order.
 */
#include "config.h"

#include "fuzz-table-check.h"

/* libebook-contacts 3.46's parser loses a GString on some malformed lines
 * (found by this target: e_vcard_get_attributes () → g_string_sized_new,
 * inside the library; "a.b" without a colon is one, the reader drops those).
 * That leak is the library's, not the reader's: LeakSanitizer is told so,
 * and unwinds fully to see which library an allocation came from (GLib is
 * built without frame pointers). */
const char *__lsan_default_suppressions (void);
const char *__asan_default_options (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libebook-contacts-1.2.so\n";
}

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

static const char *const known[] = {
  "Name", "Company", "Title", "Mobile", "Phone", "E-mail", "WeChat", "Address", "Tags",
  "Notes", "UID", NULL,
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CrmTable) table = NULL;
  GStrv header;
  guint width;

  fuzz_table_init ();
  bytes = g_bytes_new (data, size);
  table = crm_table_read_bytes (bytes, CRM_TABLE_FORMAT_VCARD, NULL, &error);
  fuzz_table_check (table, error, CRM_TABLE_FORMAT_VCARD);
  if (table == NULL)
    return 0;

  header = g_ptr_array_index (table->rows, 0);
  width = g_strv_length (header);
  for (guint c = 0; c < width; c++)
    if (!g_strv_contains (known, header[c]))
      fuzz_fail ("unknown column %s", header[c]);
  if (g_array_index (table->lines, guint, 0) != 0)
    fuzz_fail ("the header has a card number");
  for (guint i = 1; i < table->rows->len; i++)
    {
      if (g_strv_length (g_ptr_array_index (table->rows, i)) != width)
        fuzz_fail ("row %u is not as wide as the header", i);
      if (g_array_index (table->lines, guint, i) != i)
        fuzz_fail ("row %u has card number %u", i, g_array_index (table->lines, guint, i));
    }
  return 0;
}
