/* crm-table.h — a file read as a table of text: what every importer reads
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers (CSV, XLSX, XLS, vCard) all give the importer the same thing:
 * rows of UTF-8 cells, the first row the header as the file has it, each row
 * with the line (CSV), row (sheets) or card number (vCard) a person would look
 * for in the file. A vCard's header row is made by the reader from the fields
 * it found, named as the English column names of the mapping (crm-import.c:
 * "Name", "Company", "Title", "Mobile", "Phone", "E-mail", "WeChat",
 * "Address", "Tags", "Notes", "UID"); its line is 0, as it is in no card.
 * Sheets leave out rows with nothing in them (the numbers of the others
 * stay as in the sheet) and end a row at its last non-empty cell; CSV rows
 * are kept as ragged as the file has them.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CRM_TABLE_FORMAT_AUTO,   /* by content, then by the file name's extension */
  CRM_TABLE_FORMAT_CSV,
  CRM_TABLE_FORMAT_XLSX,
  CRM_TABLE_FORMAT_XLS,
  CRM_TABLE_FORMAT_VCARD,
} CrmTableFormat;

/* limits every reader enforces (CRM_IO_ERROR_TOO_LARGE past them) */
#define CRM_TABLE_MAX_CELL_BYTES (2 * 1024 * 1024)
#define CRM_TABLE_MAX_COLUMNS    1024
#define CRM_TABLE_MAX_ROWS       (2 * 1000 * 1000)
/* cells in all (an empty cell costs ~40 bytes: a sheet's gaps, or 1,000
 * commas a line, must not unpack to gigabytes) */
#define CRM_TABLE_MAX_CELLS      (20 * 1000 * 1000)

typedef struct
{
  GPtrArray *rows;        /* of GStrv (NULL-terminated, UTF-8, NUL-free); [0] = header */
  GArray    *lines;       /* guint: where each row starts in the file, 1-based */
  char      *encoding;    /* the encoding the text was read in ("UTF-8", "GB18030", …) */
  CrmTableFormat format;  /* what was read */
  gsize      n_cells;     /* the cells of all rows (against CRM_TABLE_MAX_CELLS) */
} CrmTable;

CrmTable       *crm_table_read        (GFile          *file,
                                       CrmTableFormat  format,
                                       GCancellable   *cancellable,
                                       GError        **error);
CrmTable       *crm_table_read_bytes  (GBytes         *bytes,
                                       CrmTableFormat  format,
                                       GCancellable   *cancellable,
                                       GError        **error);
CrmTableFormat  crm_table_format_from_name (const char *name);
void            crm_table_free        (CrmTable       *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTable, crm_table_free)

G_END_DECLS
