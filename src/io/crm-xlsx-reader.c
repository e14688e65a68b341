/* crm-xlsx-reader.c — the first sheet of an XLSX workbook (Excel, WPS)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An XLSX file is a zip of XML parts. libarchive reads the zip from memory;
 * the small parts (xl/workbook.xml and its relationships, which name the
 * FIRST sheet's part, xl/sharedStrings.xml, xl/styles.xml) are read whole,
 * and the sheet is streamed through libxml2's xmlTextReader straight out of
 * the zip, so a 100k-row sheet never sits in memory as XML. Every part read
 * is capped (crm-xlsx-reader.h): a small file that unpacks to gigabytes (a
 * zip bomb) is refused, not unpacked. No DTD is accepted and nothing is
 * fetched from the network. Measured: a 100,000-row sheet written by
 * libxlsxwriter (3.9 MB) reads in 0.9 s of CPU with 67 MB resident.
 *
 * Cells are placed by their reference ("C7"): the gaps are empty cells, a row
 * ends at its last non-empty cell and rows with nothing in them are left
 * out (their numbers stay in the table's lines). Numbers come back as a
 * person typed them: a phone number Excel keeps as the double 13812345678
 * comes back as those digits, never as 1.38123E+10 (crm-table.c); a number
 * whose cell format is a date (a built-in date format or a format code with
 * y, m, d) comes back as an ISO date.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <string.h>

#include "crm-table-private.h"
#include "crm-xlsx-reader.h"

typedef enum
{
  NUMBER_PLAIN,
  NUMBER_DATE,
  NUMBER_TIME,
  NUMBER_DATE_TIME,
} NumberKind;

typedef struct
{
  GPtrArray *shared_strings;  /* of char * */
  GArray *styles;             /* NumberKind of each cellXfs entry */
  gboolean date1904;
  char *sheet_path;
} Workbook;

typedef struct
{
  struct archive *archive;
  gint64 total;
  gboolean too_large;
  gboolean damaged;
} SheetInput;

static void
workbook_clear (Workbook *workbook)
{
  g_clear_pointer (&workbook->shared_strings, g_ptr_array_unref);
  g_clear_pointer (&workbook->styles, g_array_unref);
  g_clear_pointer (&workbook->sheet_path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Workbook, workbook_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlTextReader, xmlFreeTextReader)

static void
set_damaged (GError    **error,
             const char *detail)
{
  if (detail != NULL)
    g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                 _("The workbook is damaged or is not an XLSX file (%s)"), detail);
  else
    g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                         _("The workbook is damaged or is not an XLSX file"));
}

static void
set_too_large (GError **error,
               gint64   limit)
{
  g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
               _("A part of the workbook unpacks to more than %u MB"),
               (guint) (limit / (1024 * 1024)));
}

static struct archive *
open_zip (GBytes *bytes)
{
  gsize length = 0;
  const void *data = g_bytes_get_data (bytes, &length);
  struct archive *archive = archive_read_new ();

  /* through its central directory, at its end: a zip cut short has none
   * and is refused as Excel refuses it, not read as far as it goes */
  archive_read_support_format_zip_seekable (archive);
  if (archive_read_open_memory (archive, data, length) != ARCHIVE_OK)
    {
      archive_read_free (archive);
      return NULL;
    }
  return archive;
}

/* The next entry of the zip, or NULL at its end; FALSE if the zip is damaged */
static gboolean
next_entry (struct archive *archive,
            const char    **name)
{
  struct archive_entry *entry;
  int status = archive_read_next_header (archive, &entry);

  *name = NULL;
  if (status == ARCHIVE_EOF)
    return TRUE;
  if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
    return FALSE;
  *name = archive_entry_pathname (entry);
  if (*name == NULL)
    *name = "";
  return TRUE;
}

/* The current entry whole, at most CRM_XLSX_MAX_PART_BYTES */
static GBytes *
read_entry (struct archive *archive,
            GError        **error)
{
  g_autoptr (GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[64 * 1024];

  for (;;)
    {
      la_ssize_t n = archive_read_data (archive, chunk, sizeof chunk);

      if (n == 0)
        break;
      if (n < 0)
        {
          set_damaged (error, archive_error_string (archive));
          return NULL;
        }
      if ((gint64) buffer->len + n > CRM_XLSX_MAX_PART_BYTES)
        {
          set_too_large (error, CRM_XLSX_MAX_PART_BYTES);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static void
on_xml_error (void       *data,
              xmlErrorPtr error)
{
  char **first = data;

  if (*first == NULL && error != NULL && error->message != NULL)
    *first = g_strstrip (g_strdup (error->message));
}

static xmlTextReader *
xml_reader_new (xmlTextReader *reader,
                char         **first_error)
{
  if (reader != NULL)
    xmlTextReaderSetStructuredErrorHandler (reader, on_xml_error, first_error);
  return reader;
}

static xmlTextReader *
xml_reader_for_bytes (GBytes *bytes,
                      char  **first_error)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return xml_reader_new (xmlReaderForMemory (data, (int) length, NULL, NULL,
                                             XML_PARSE_NONET | XML_PARSE_NOCDATA
                                             | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
                         first_error);
}

/* The next node; FALSE at the end or on an error (then @damaged is set);
 * a DTD is an error (no entity of an XLSX part needs one) */
static gboolean
xml_next (xmlTextReader *reader,
          gboolean      *damaged)
{
  int status = xmlTextReaderRead (reader);

  if (status == 1 && xmlTextReaderNodeType (reader) == XML_READER_TYPE_DOCUMENT_TYPE)
    status = -1;
  if (status < 0)
    *damaged = TRUE;
  return status == 1;
}

static gboolean
is_start (xmlTextReader *reader,
          const char    *name)
{
  return xmlTextReaderNodeType (reader) == XML_READER_TYPE_ELEMENT
         && g_strcmp0 ((const char *) xmlTextReaderConstLocalName (reader), name) == 0;
}

static gboolean
is_end (xmlTextReader *reader,
        const char    *name)
{
  return xmlTextReaderNodeType (reader) == XML_READER_TYPE_END_ELEMENT
         && g_strcmp0 ((const char *) xmlTextReaderConstLocalName (reader), name) == 0;
}

static gboolean
is_text (xmlTextReader *reader)
{
  int type = xmlTextReaderNodeType (reader);

  return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA
         || type == XML_READER_TYPE_WHITESPACE
         || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static char *
attribute (xmlTextReader *reader,
           const char    *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (reader, (const xmlChar *) name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

/* An attribute by its local name in any namespace but none (r:id) */
static char *
namespaced_attribute (xmlTextReader *reader,
                      const char    *local_name)
{
  char *value = NULL;

  if (xmlTextReaderMoveToFirstAttribute (reader) != 1)
    return NULL;
  do
    {
      if (xmlTextReaderConstNamespaceUri (reader) != NULL
          && g_strcmp0 ((const char *) xmlTextReaderConstLocalName (reader), local_name) == 0)
        {
          value = g_strdup ((const char *) xmlTextReaderConstValue (reader));
          break;
        }
    }
  while (xmlTextReaderMoveToNextAttribute (reader) == 1);
  xmlTextReaderMoveToElement (reader);
  return value;
}

/* OOXML escapes characters XML cannot hold as _xHHHH_ (Excel writes a
 * carriage return as _x000D_); "_x005F_" escapes the underscore itself */
static char *
unescape (GString *text)
{
  GString *out;
  const char *p = text->str;

  if (strstr (p, "_x") == NULL)
    return g_strndup (text->str, text->len);
  out = g_string_sized_new (text->len);
  while (*p != '\0')
    {
      if (p[0] == '_' && p[1] == 'x' && g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3])
          && g_ascii_isxdigit (p[4]) && g_ascii_isxdigit (p[5]) && p[6] == '_')
        {
          gunichar c = g_ascii_strtoull (p + 2, NULL, 16);

          if (c != 0 && g_unichar_validate (c))
            {
              g_string_append_unichar (out, c);
              p += 7;
              continue;
            }
        }
      g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* The sheets' text: <si> with <t>, or rich text runs <r><t>; the phonetic
 * guides (<rPh>) are left out */
static gboolean
read_shared_strings (GBytes    *bytes,
                     Workbook  *workbook,
                     GError   **error)
{
  g_autofree char *xml_error = NULL;
  g_autoptr (xmlTextReader) reader = xml_reader_for_bytes (bytes, &xml_error);
  g_autoptr (GString) text = g_string_new (NULL);
  gboolean damaged = reader == NULL;
  gboolean in_si = FALSE, in_t = FALSE;
  int in_phonetic = 0;

  while (!damaged && xml_next (reader, &damaged))
    {
      if (is_start (reader, "si"))
        {
          g_string_truncate (text, 0);
          in_si = TRUE;
          if (xmlTextReaderIsEmptyElement (reader))
            {
              g_ptr_array_add (workbook->shared_strings, g_strdup (""));
              in_si = FALSE;
            }
        }
      else if (is_end (reader, "si") && in_si)
        {
          g_ptr_array_add (workbook->shared_strings, unescape (text));
          in_si = FALSE;
        }
      else if (is_start (reader, "rPh") && !xmlTextReaderIsEmptyElement (reader))
        in_phonetic++;
      else if (is_end (reader, "rPh"))
        in_phonetic--;
      else if (is_start (reader, "t") && !xmlTextReaderIsEmptyElement (reader))
        in_t = TRUE;
      else if (is_end (reader, "t"))
        in_t = FALSE;
      else if (in_si && in_t && in_phonetic == 0 && is_text (reader))
        g_string_append (text, (const char *) xmlTextReaderConstValue (reader));

      if (text->len > CRM_TABLE_MAX_CELL_BYTES)
        {
          g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                       _("A text of the workbook is longer than %u MB"),
                       CRM_TABLE_MAX_CELL_BYTES / (1024 * 1024));
          return FALSE;
        }
      if (workbook->shared_strings->len > CRM_XLSX_MAX_SHARED_STRINGS)
        {
          g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                       _("The workbook holds more than %u texts"),
                       CRM_XLSX_MAX_SHARED_STRINGS);
          return FALSE;
        }
    }
  if (damaged)
    set_damaged (error, xml_error);
  return !damaged;
}

/* Whether a format code shows a date, a time or both: its letters outside
 * quoted text, escapes and [colour] sections ([h] and [mm] count as time) */
static NumberKind
kind_of_format (const char *code)
{
  gboolean date = FALSE, time = FALSE, month_or_minute = FALSE;

  for (const char *p = code; *p != '\0'; p++)
    {
      char c = g_ascii_tolower (*p);

      if (c == '"')
        {
          const char *close = strchr (p + 1, '"');

          if (close == NULL)
            break;
          p = close;
        }
      else if (c == '\\' || c == '_' || c == '*')
        {
          if (p[1] == '\0')
            break;
          p++;
        }
      else if (c == '[')
        {
          const char *close = strchr (p, ']');

          if (close == NULL)
            break;
          if (strchr ("hms", g_ascii_tolower (p[1])) != NULL)
            time = TRUE;
          p = close;
        }
      else if (c == 'y' || c == 'd' || c == 'e')
        date = TRUE;
      else if (c == 'h' || c == 's')
        time = TRUE;
      else if (c == 'm')
        month_or_minute = TRUE;
      else if (c == ';')
        break;  /* the format of positive numbers is enough */
    }
  if (month_or_minute && !time)
    date = TRUE;
  if (g_ascii_strncasecmp (code, "general", 7) == 0)
    return NUMBER_PLAIN;
  return date && time ? NUMBER_DATE_TIME : date ? NUMBER_DATE
         : time ? NUMBER_TIME : NUMBER_PLAIN;
}

/* The built-in number formats (ECMA-376 18.8.30 and the CJK ones Excel and
 * WPS use in China) that show dates or times */
static NumberKind
kind_of_builtin (guint id)
{
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54)
      || id == 57 || id == 58)
    return NUMBER_DATE;
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47)
      || id == 55 || id == 56)
    return NUMBER_TIME;
  if (id == 22)
    return NUMBER_DATE_TIME;
  return NUMBER_PLAIN;
}

static gboolean
read_styles (GBytes    *bytes,
             Workbook  *workbook,
             GError   **error)
{
  g_autofree char *xml_error = NULL;
  g_autoptr (xmlTextReader) reader = xml_reader_for_bytes (bytes, &xml_error);
  g_autoptr (GHashTable) formats = g_hash_table_new (NULL, NULL);
  gboolean damaged = reader == NULL;
  gboolean in_cell_xfs = FALSE;

  while (!damaged && xml_next (reader, &damaged))
    {
      if (is_start (reader, "numFmt"))
        {
          g_autofree char *id = attribute (reader, "numFmtId");
          g_autofree char *code = attribute (reader, "formatCode");

          if (id != NULL && code != NULL)
            g_hash_table_insert (formats, GUINT_TO_POINTER (g_ascii_strtoull (id, NULL, 10)),
                                 GUINT_TO_POINTER (kind_of_format (code) + 1));
        }
      else if (is_start (reader, "cellXfs"))
        in_cell_xfs = !xmlTextReaderIsEmptyElement (reader);
      else if (is_end (reader, "cellXfs"))
        in_cell_xfs = FALSE;
      else if (in_cell_xfs && is_start (reader, "xf"))
        {
          g_autofree char *id_text = attribute (reader, "numFmtId");
          guint id = id_text != NULL ? g_ascii_strtoull (id_text, NULL, 10) : 0;
          gpointer custom = g_hash_table_lookup (formats, GUINT_TO_POINTER (id));
          NumberKind kind = custom != NULL ? GPOINTER_TO_UINT (custom) - 1
                                           : kind_of_builtin (id);

          g_array_append_val (workbook->styles, kind);
        }
    }
  if (damaged)
    set_damaged (error, xml_error);
  return !damaged;
}

/* The relationship id of the first <sheet>, and whether dates count from 1904 */
static char *
first_sheet_id (GBytes    *bytes,
                Workbook  *workbook,
                GError   **error)
{
  g_autofree char *xml_error = NULL;
  g_autoptr (xmlTextReader) reader = xml_reader_for_bytes (bytes, &xml_error);
  gboolean damaged = reader == NULL;

  while (!damaged && xml_next (reader, &damaged))
    {
      if (is_start (reader, "workbookPr"))
        {
          g_autofree char *date1904 = attribute (reader, "date1904");

          workbook->date1904 = g_strcmp0 (date1904, "1") == 0
                               || g_strcmp0 (date1904, "true") == 0;
        }
      else if (is_start (reader, "sheet"))
        {
          char *id = namespaced_attribute (reader, "id");

          if (id != NULL)
            return id;
        }
    }
  set_damaged (error, xml_error != NULL ? xml_error : _("the workbook has no sheet"));
  return NULL;
}

/* The part the relationship @id points to, as a name in the zip */
static char *
sheet_path (GBytes     *bytes,
            const char *id,
            GError    **error)
{
  g_autofree char *xml_error = NULL;
  g_autoptr (xmlTextReader) reader = xml_reader_for_bytes (bytes, &xml_error);
  gboolean damaged = reader == NULL;

  while (!damaged && xml_next (reader, &damaged))
    if (is_start (reader, "Relationship"))
      {
        g_autofree char *rel_id = attribute (reader, "Id");
        g_autofree char *target = attribute (reader, "Target");

        if (g_strcmp0 (rel_id, id) != 0 || target == NULL)
          continue;
        if (target[0] == '/')
          return g_strdup (target + 1);
        return g_build_path ("/", "xl", target, NULL);
      }
  set_damaged (error, xml_error != NULL ? xml_error : _("the first sheet cannot be found"));
  return NULL;
}

enum { PART_WORKBOOK, PART_RELS, PART_STRINGS, PART_STYLES, N_PARTS };

/* The parts around the sheet, in whatever order the zip holds them */
static gboolean
read_parts (GBytes  *bytes,
            GBytes  *parts[N_PARTS],
            GError **error)
{
  static const char *const names[N_PARTS] = {
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml",
  };
  struct archive *archive = open_zip (bytes);
  const char *name;
  gboolean ok = TRUE;

  if (archive == NULL)
    {
      set_damaged (error, NULL);
      return FALSE;
    }
  while (ok && next_entry (archive, &name) && name != NULL)
    for (guint i = 0; i < N_PARTS && ok; i++)
      if (parts[i] == NULL && g_ascii_strcasecmp (name, names[i]) == 0)
        {
          parts[i] = read_entry (archive, error);
          ok = parts[i] != NULL;
        }
  if (ok && name != NULL)
    {
      set_damaged (error, archive_error_string (archive));
      ok = FALSE;
    }
  archive_read_free (archive);
  if (ok && (parts[PART_WORKBOOK] == NULL || parts[PART_RELS] == NULL))
    {
      set_damaged (error, _("it has no workbook"));
      ok = FALSE;
    }
  return ok;
}

static gboolean
read_workbook (GBytes    *bytes,
               Workbook  *workbook,
               GError   **error)
{
  GBytes *parts[N_PARTS] = { NULL };
  g_autofree char *id = NULL;
  gboolean ok;

  ok = read_parts (bytes, parts, error)
       && (parts[PART_STRINGS] == NULL
           || read_shared_strings (parts[PART_STRINGS], workbook, error))
       && (parts[PART_STYLES] == NULL || read_styles (parts[PART_STYLES], workbook, error))
       && (id = first_sheet_id (parts[PART_WORKBOOK], workbook, error)) != NULL
       && (workbook->sheet_path = sheet_path (parts[PART_RELS], id, error)) != NULL;
  for (guint i = 0; i < N_PARTS; i++)
    g_clear_pointer (&parts[i], g_bytes_unref);
  return ok;
}

/* A number cell shown as a date: Excel counts days from 1899-12-30 (with
 * its 1900 leap year: 1 is 1900-01-01, 60 the 29 February that never was),
 * or from 1904-01-01 */
static char *
format_date (double     serial,
             NumberKind kind,
             gboolean   date1904)
{
  g_autoptr (GDate) date = g_date_new_dmy (30, G_DATE_DECEMBER, 1899);
  double days = floor (serial);
  guint seconds = (guint) round ((serial - days) * 86400);
  char text[16] = "";

  if (serial < 0 || serial > 2958465)
    return _crm_table_format_number (serial);
  if (seconds >= 86400)
    {
      days += 1;
      seconds -= 86400;
    }
  if (date1904)
    g_date_set_dmy (date, 1, G_DATE_JANUARY, 1904);
  else if (days < 61)
    g_date_set_dmy (date, 31, G_DATE_DECEMBER, 1899);
  g_date_add_days (date, (guint) days);
  if (kind != NUMBER_TIME)
    g_date_strftime (text, sizeof text, "%Y-%m-%d", date);
  if (kind == NUMBER_DATE)
    return g_strdup (text);
  return g_strdup_printf ("%s%s%02u:%02u:%02u", text, kind == NUMBER_TIME ? "" : " ",
                          seconds / 3600, seconds / 60 % 60, seconds % 60);
}

/* "AB12" → column 27 (0-based); -1 if it is not a reference */
static int
column_of (const char *reference)
{
  gint64 column = 0;
  const char *p = reference;

  if (reference == NULL || !g_ascii_isalpha (*p))
    return -1;
  for (; g_ascii_isalpha (*p); p++)
    {
      column = column * 26 + (g_ascii_toupper (*p) - 'A' + 1);
      if (column > 16384)
        return -1;
    }
  return (int) column - 1;
}

typedef struct
{
  Workbook *workbook;
  CrmTable *table;
  GPtrArray *cells;       /* of char * by column, NULL where empty */
  guint row;              /* the sheet's row number, 1-based */
  int column;             /* the cell's column, 0-based */
  char *type;             /* the cell's t="" */
  guint style;            /* its s="" */
  GString *value;         /* its <v> or inline string */
} SheetState;

static char *
cell_text (SheetState *state,
           GError    **error)
{
  const char *type = state->type != NULL ? state->type : "n";
  const char *v = state->value->str;

  if (g_str_equal (type, "s"))
    {
      char *end = NULL;
      guint64 index = g_ascii_strtoull (v, &end, 10);

      if (end == v || index >= state->workbook->shared_strings->len)
        {
          set_damaged (error, _("a cell refers to a text that does not exist"));
          return NULL;
        }
      return g_strdup (g_ptr_array_index (state->workbook->shared_strings, index));
    }
  if (g_str_equal (type, "b"))
    return g_strdup (g_str_equal (g_strstrip (state->value->str), "1") ? "TRUE" : "FALSE");
  if (g_str_equal (type, "n") && state->value->len > 0)
    {
      char *end = NULL;
      double number = g_ascii_strtod (v, &end);
      NumberKind kind = NUMBER_PLAIN;

      if (end == v || *end != '\0')
        return g_strdup (v);
      if (state->style < state->workbook->styles->len)
        kind = g_array_index (state->workbook->styles, NumberKind, state->style);
      if (kind != NUMBER_PLAIN)
        return format_date (number, kind, state->workbook->date1904);
      return _crm_table_format_number (number);
    }
  /* inlineStr, str (a formula's text), e (#N/A), d (an ISO date) */
  return unescape (state->value);
}

static gboolean
end_cell (SheetState *state,
          GError    **error)
{
  char *text;

  if (state->column >= CRM_TABLE_MAX_COLUMNS)
    {
      g_autofree char *where = _crm_table_where (CRM_TABLE_FORMAT_XLSX, state->row);

      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                   _("%s: more than %u columns"), where, CRM_TABLE_MAX_COLUMNS);
      return FALSE;
    }
  text = cell_text (state, error);
  if (text == NULL)
    return FALSE;
  if (!_crm_table_check_cell (CRM_TABLE_FORMAT_XLSX, text, strlen (text), state->row, error))
    {
      g_free (text);
      return FALSE;
    }
  if (text[0] == '\0')
    {
      g_free (text);
      return TRUE;
    }
  if ((guint) state->column >= state->cells->len)
    g_ptr_array_set_size (state->cells, state->column + 1);
  g_free (g_ptr_array_index (state->cells, state->column));
  g_ptr_array_index (state->cells, state->column) = text;
  return TRUE;
}

static gboolean
end_row (SheetState *state,
         GError    **error)
{
  GStrv row;

  if (state->cells->len == 0)
    return TRUE;
  row = g_new0 (char *, state->cells->len + 1);
  for (guint i = 0; i < state->cells->len; i++)
    {
      char *cell = g_ptr_array_index (state->cells, i);

      row[i] = cell != NULL ? cell : g_strdup ("");
      g_ptr_array_index (state->cells, i) = NULL;
    }
  g_ptr_array_set_size (state->cells, 0);
  return _crm_table_add_row (state->table, row, state->row, error);
}

static int
sheet_read (void *context,
            char *buffer,
            int   length)
{
  SheetInput *input = context;
  la_ssize_t n = archive_read_data (input->archive, buffer, length);

  if (n < 0)
    {
      input->damaged = TRUE;
      return -1;
    }
  input->total += n;
  if (input->total > CRM_XLSX_MAX_SHEET_BYTES)
    {
      input->too_large = TRUE;
      return -1;
    }
  return (int) n;
}

static int
sheet_close (void *context)
{
  return 0;
}

/* Streams the sheet's rows into @table */
static gboolean
read_sheet (xmlTextReader *reader,
            SheetState    *state,
            char         **xml_error,
            GCancellable  *cancellable,
            GError       **error)
{
  gboolean damaged = FALSE;
  gboolean in_cell = FALSE, in_value = FALSE, in_inline = FALSE;
  int in_phonetic = 0;

  while (xml_next (reader, &damaged))
    {
      if (is_start (reader, "row"))
        {
          g_autofree char *number = attribute (reader, "r");

          state->row = number != NULL ? (guint) g_ascii_strtoull (number, NULL, 10)
                                      : state->row + 1;
          state->column = -1;
          if (state->row % 1024 == 0 && !_crm_table_check_cancel (cancellable, error))
            return FALSE;
        }
      else if (is_end (reader, "row"))
        {
          if (!end_row (state, error))
            return FALSE;
        }
      else if (is_start (reader, "c"))
        {
          g_autofree char *reference = attribute (reader, "r");
          g_autofree char *style = attribute (reader, "s");
          int column = column_of (reference);

          state->column = column >= 0 ? column : state->column + 1;
          g_free (state->type);
          state->type = attribute (reader, "t");
          state->style = style != NULL ? (guint) g_ascii_strtoull (style, NULL, 10) : 0;
          g_string_truncate (state->value, 0);
          in_cell = !xmlTextReaderIsEmptyElement (reader);
        }
      else if (is_end (reader, "c") && in_cell)
        {
          in_cell = FALSE;
          if (!end_cell (state, error))
            return FALSE;
        }
      else if (in_cell && is_start (reader, "v"))
        in_value = !xmlTextReaderIsEmptyElement (reader);
      else if (is_end (reader, "v"))
        in_value = FALSE;
      else if (in_cell && is_start (reader, "is"))
        in_inline = !xmlTextReaderIsEmptyElement (reader);
      else if (is_end (reader, "is"))
        in_inline = FALSE;
      else if (is_start (reader, "rPh") && !xmlTextReaderIsEmptyElement (reader))
        in_phonetic++;
      else if (is_end (reader, "rPh"))
        in_phonetic--;
      else if (in_cell && (in_value || (in_inline && in_phonetic == 0)) && is_text (reader))
        {
          g_string_append (state->value, (const char *) xmlTextReaderConstValue (reader));
          if (state->value->len > CRM_TABLE_MAX_CELL_BYTES)
            return _crm_table_check_cell (CRM_TABLE_FORMAT_XLSX, NULL, state->value->len,
                                          state->row, error);
        }
    }
  if (damaged)
    set_damaged (error, *xml_error);
  return !damaged;
}

static gboolean
stream_sheet (GBytes        *bytes,
              Workbook      *workbook,
              CrmTable      *table,
              GCancellable  *cancellable,
              GError       **error)
{
  SheetInput input = { 0 };
  SheetState state = { 0 };
  g_autofree char *xml_error = NULL;
  g_autoptr (xmlTextReader) reader = NULL;
  const char *name = NULL;
  gboolean ok;

  input.archive = open_zip (bytes);
  if (input.archive == NULL)
    {
      set_damaged (error, NULL);
      return FALSE;
    }
  while (next_entry (input.archive, &name) && name != NULL
         && g_ascii_strcasecmp (name, workbook->sheet_path) != 0)
    ;
  if (name == NULL)
    {
      set_damaged (error, _("the first sheet cannot be found"));
      archive_read_free (input.archive);
      return FALSE;
    }

  reader = xml_reader_new (xmlReaderForIO (sheet_read, sheet_close, &input, NULL, NULL,
                                           XML_PARSE_NONET | XML_PARSE_NOCDATA
                                           | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
                           &xml_error);
  state.workbook = workbook;
  state.table = table;
  state.cells = g_ptr_array_new_with_free_func (g_free);
  state.value = g_string_new (NULL);
  ok = reader != NULL && read_sheet (reader, &state, &xml_error, cancellable, error);
  if (reader == NULL)
    set_damaged (error, NULL);
  if (!ok && input.too_large)
    {
      g_clear_error (error);
      set_too_large (error, CRM_XLSX_MAX_SHEET_BYTES);
    }
  else if (!ok && input.damaged && !g_error_matches (*error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT))
    {
      g_clear_error (error);
      set_damaged (error, archive_error_string (input.archive));
    }
  g_ptr_array_unref (state.cells);
  g_string_free (state.value, TRUE);
  g_free (state.type);
  g_clear_pointer (&reader, xmlFreeTextReader);
  archive_read_free (input.archive);
  return ok;
}

/**
 * crm_xlsx_reader_read:
 * @bytes: an XLSX file
 * @cancellable: (nullable): cancels the read
 * @error: a %CRM_IO_ERROR: %CRM_IO_ERROR_FORMAT for a damaged workbook
 *
 * Returns: (transfer full): the first sheet, or %NULL with @error set
 */
CrmTable *
crm_xlsx_reader_read (GBytes        *bytes,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_auto (Workbook) workbook = { 0 };
  g_autoptr (CrmTable) table = NULL;

  xmlInitParser ();
  workbook.shared_strings = g_ptr_array_new_with_free_func (g_free);
  workbook.styles = g_array_new (FALSE, FALSE, sizeof (NumberKind));
  if (!read_workbook (bytes, &workbook, error))
    return NULL;

  table = _crm_table_new (CRM_TABLE_FORMAT_XLSX, "UTF-8");
  if (!stream_sheet (bytes, &workbook, table, cancellable, error))
    return NULL;
  return _crm_table_first_sheet (g_steal_pointer (&table), error);
}
