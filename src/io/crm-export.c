/* crm-export.c — contacts, deals and follow-ups out as CSV, XLSX and vCard
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Records are read one at a time from the store's snapshot
 * (crm_store_foreach_contact/deal/followup_row: 100k contacts never make
 * 100k objects),
 * turned into a row of typed cells, and handed to a sink: CSV here, XLSX in
 * crm-export-xlsx.c. vCard is crm-export-vcard.c.
 *
 * CSV is what Excel and WPS open by double-click: UTF-8 with a byte order
 * mark (without one they read it as GBK and show mojibake), RFC 4180
 * quoting, CRLF line ends. Headers are in the UI language; the importer maps
 * both the Chinese and the English names back. A text cell that starts
 * with =, +, -, @, a tab or a CR would be run as a formula by a spreadsheet
 * (CSV injection), so it gets a leading apostrophe; amounts, dates and times
 * are ours and never start so.
 *
 * A file is written under a temporary name beside its destination and
 * renamed over it only when complete: a failed or cancelled export leaves
 * no half file and the old file, if any, as it was.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-export-private.h"
#include "crm-io.h"

#define PROGRESS_EVERY 256

/* helpers */

/**
 * crm_export_money_text:
 * @fen: an amount in fen
 *
 * Returns: (transfer full): the amount in yuan with two decimals, exact
 */
char *
crm_export_money_text (gint64 fen)
{
  guint64 magnitude = fen < 0 ? -(guint64)fen : (guint64)fen;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", fen < 0 ? "-" : "",
                          magnitude / 100, (guint)(magnitude % 100));
}

/**
 * crm_export_money_value:
 *
 * Returns: the amount in yuan as the double nearest to its exact decimal
 *   value, what a spreadsheet keeps when the amount is typed in: the text
 *   of crm_export_money_text() parsed back, so no rounding of our own
 */
double
crm_export_money_value (gint64 fen)
{
  g_autofree char *text = crm_export_money_text (fen);

  return g_ascii_strtod (text, NULL);
}

/**
 * crm_export_needs_guard:
 *
 * Returns: whether a spreadsheet would take @text for a formula
 */
gboolean
crm_export_needs_guard (const char *text)
{
  return text != NULL && text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL;
}

/* the stored form, "YYYY-MM-DDTHH:MM:SS[.ffffff]Z", read without the
 * general ISO 8601 parser: two of them a row made CSV export twice as slow;
 * NULL for a NULL or empty @utc (a field never set) */
GDateTime *
_crm_export_parse_utc (const char *utc)
{
  int y, mo, d, h, mi;
  double sec;
  int used = 0;

  if (utc == NULL || *utc == '\0')
    return NULL;
  if (sscanf (utc, "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h, &mi, &sec, &used) == 6
      && utc[used] == 'Z' && utc[used + 1] == '\0')
    return g_date_time_new_utc (y, mo, d, h, mi, sec);
  return g_date_time_new_from_iso8601 (utc, NULL);
}

/**
 * crm_export_local_time:
 * @utc: a stored timestamp (ISO 8601, UTC)
 *
 * Returns: (transfer full) (nullable): "YYYY-MM-DD HH:MM:SS" in local time,
 *   or %NULL when @utc is not a timestamp
 */
char *
crm_export_local_time (const char *utc)
{
  g_autoptr (GDateTime) local = _crm_export_local_datetime (utc);

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : NULL;
}

/* @utc in local time (the zone looked up once), or NULL */
GDateTime *
_crm_export_local_datetime (const char *utc)
{
  static GTimeZone *local_zone;
  g_autoptr (GDateTime) t = _crm_export_parse_utc (utc);

  if (t == NULL)
    return NULL;
  if (g_once_init_enter (&local_zone))
    g_once_init_leave (&local_zone, g_time_zone_new_local ());
  return g_date_time_to_timezone (t, local_zone);
}

/**
 * crm_export_format_from_name:
 * @name: a file name ("客户.xlsx") or a format's name ("csv", "vcf")
 *
 * Returns: whether @name says a format
 */
gboolean
crm_export_format_from_name (const char      *name,
                             CrmExportFormat *format)
{
  static const struct { const char *suffix; CrmExportFormat format; } known[] = {
    { "csv", CRM_EXPORT_FORMAT_CSV },
    { "xlsx", CRM_EXPORT_FORMAT_XLSX },
    { "vcf", CRM_EXPORT_FORMAT_VCARD },
    { "vcard", CRM_EXPORT_FORMAT_VCARD },
  };
  const char *dot;

  g_return_val_if_fail (name != NULL, FALSE);

  dot = strrchr (name, '.');
  dot = dot != NULL ? dot + 1 : name;
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (dot, known[i].suffix) == 0)
      {
        *format = known[i].format;
        return TRUE;
      }
  return FALSE;
}

/**
 * crm_export_part_file:
 * @part: %CRM_EXPORT_CONTACTS or %CRM_EXPORT_DEALS
 *
 * Returns: (transfer full): where a CSV export of everything writes @part:
 *   "NAME-contacts.csv" or "NAME-deals.csv" beside @file ("NAME.csv")
 */
GFile *
crm_export_part_file (GFile         *file,
                      CrmExportWhat  part)
{
  g_autofree char *base = g_file_get_basename (file);
  g_autoptr (GFile) parent = g_file_get_parent (file);
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');
  const char *suffix = dot != NULL ? dot : "";

  if (dot != NULL)
    *dot = '\0';
  name = g_strdup_printf ("%s-%s%s", base, part == CRM_EXPORT_DEALS ? "deals" : "contacts",
                          dot != NULL ? ".csv" : suffix);
  return parent != NULL ? g_file_get_child (parent, name) : g_file_new_for_path (name);
}

/* the temporary file beside @file, made (empty) so that no one else takes it */
char *
_crm_export_temp_path (GFile   *file,
                       GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmpl = NULL;
  int fd;

  if (path == NULL)
    {
      g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN,
                           _("Export can only write to a local file"));
      return NULL;
    }
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmpl = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmpl, O_RDWR, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN, _("Cannot write in “%s”: %s"),
                   dir, g_strerror (saved));
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&tmpl);
}

/* renames @temp_path over @file when @ok, else removes it */
gboolean
_crm_export_commit (const char  *temp_path,
                    GFile       *file,
                    gboolean     ok,
                    GError     **error)
{
  g_autofree char *path = g_file_get_path (file);

  if (ok && g_rename (temp_path, path) != 0)
    {
      _crm_export_write_error (error, path);
      ok = FALSE;
    }
  if (!ok)
    g_unlink (temp_path);
  return ok;
}

/* the last system call's failure writing @path, as a CRM_IO_ERROR_OPEN */
gboolean
_crm_export_write_error (GError     **error,
                         const char  *path)
{
  int saved = errno;

  g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN, _("Cannot write “%s”: %s"), path,
               g_strerror (saved));
  return FALSE;
}

static gboolean
cancelled_error (GCancellable  *cancellable,
                 GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_CANCELLED,
                       _("The export was cancelled; no file was written"));
  return TRUE;
}

/* CSV */

typedef struct
{
  CrmExportSink  sink;
  FILE          *fp;
  char          *path;
  const CrmExportColumn *columns;
  guint          n_columns;
  GString       *line;
} CsvSink;

static void
csv_append_field (GString    *line,
                  const char *text,
                  gboolean    guard)
{
  gboolean quote;

  if (text == NULL)
    return;
  quote = strpbrk (text, ",\"\r\n") != NULL;
  if (quote)
    g_string_append_c (line, '"');
  if (guard && crm_export_needs_guard (text))
    g_string_append_c (line, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  if (quote)
    g_string_append_c (line, '"');
}

static gboolean
csv_write_line (CsvSink  *self,
                GError  **error)
{
  g_string_append (self->line, "\r\n");
  if (fwrite (self->line->str, 1, self->line->len, self->fp) != self->line->len)
    return _crm_export_write_error (error, self->path);
  g_string_truncate (self->line, 0);
  return TRUE;
}

static gboolean
csv_begin_sheet (CrmExportSink          *sink,
                 const char             *sheet_name,
                 const CrmExportColumn  *columns,
                 guint                   n_columns,
                 GError                **error)
{
  CsvSink *self = (CsvSink *)sink;

  self->columns = columns;
  self->n_columns = n_columns;
  for (guint i = 0; i < n_columns; i++)
    {
      if (i > 0)
        g_string_append_c (self->line, ',');
      csv_append_field (self->line, columns[i].header, TRUE);
    }
  return csv_write_line (self, error);
}

static gboolean
csv_row (CrmExportSink        *sink,
         const CrmExportCell  *cells,
         GError              **error)
{
  CsvSink *self = (CsvSink *)sink;

  for (guint i = 0; i < self->n_columns; i++)
    {
      if (i > 0)
        g_string_append_c (self->line, ',');
      switch (self->columns[i].type)
        {
        case CRM_EXPORT_COLUMN_MONEY:
          {
            g_autofree char *yuan = crm_export_money_text (cells[i].number);
            g_string_append (self->line, yuan);
          }
          break;
        case CRM_EXPORT_COLUMN_INTEGER:
          g_string_append_printf (self->line, "%" G_GINT64_FORMAT, cells[i].number);
          break;
        case CRM_EXPORT_COLUMN_TIME:
          {
            g_autofree char *local = crm_export_local_time (cells[i].text);
            csv_append_field (self->line, local, TRUE);
          }
          break;
        case CRM_EXPORT_COLUMN_TEXT:
        case CRM_EXPORT_COLUMN_PHONE:
        case CRM_EXPORT_COLUMN_DATE:
        default:
          csv_append_field (self->line, cells[i].text, TRUE);
          break;
        }
    }
  return csv_write_line (self, error);
}

static gboolean
csv_finish (CrmExportSink  *sink,
            GError        **error)
{
  CsvSink *self = (CsvSink *)sink;
  int rc = fclose (self->fp);

  self->fp = NULL;
  if (rc != 0)
    return _crm_export_write_error (error, self->path);
  return TRUE;
}

static void
csv_free (CrmExportSink *sink)
{
  CsvSink *self = (CsvSink *)sink;

  if (self->fp != NULL)
    fclose (self->fp);
  g_string_free (self->line, TRUE);
  g_free (self->path);
  g_free (self);
}

static CrmExportSink *
csv_sink_new (const char      *path,
              CrmExportFlags   flags,
              GError         **error)
{
  CsvSink *self;
  FILE *fp = g_fopen (path, "wb");

  if (fp == NULL)
    {
      _crm_export_write_error (error, path);
      return NULL;
    }
  setvbuf (fp, NULL, _IOFBF, 1 << 16);
  self = g_new0 (CsvSink, 1);
  self->sink = (CrmExportSink) { csv_begin_sheet, csv_row, csv_finish, csv_free };
  self->fp = fp;
  self->path = g_strdup (path);
  self->line = g_string_sized_new (1024);
  if (!(flags & CRM_EXPORT_FLAGS_NO_BOM))
    g_string_append (self->line, "\xef\xbb\xbf");
  return &self->sink;
}

/* records as rows */

static const char *const contact_headers[CRM_CONTACT_N_FIELDS] = {
  [CRM_CONTACT_FIELD_NAME] = NC_("column", "Name"),
  [CRM_CONTACT_FIELD_COMPANY] = NC_("column", "Company"),
  [CRM_CONTACT_FIELD_TITLE] = NC_("column", "Title"),
  [CRM_CONTACT_FIELD_MOBILE] = NC_("column", "Mobile"),
  [CRM_CONTACT_FIELD_PHONE] = NC_("column", "Phone"),
  [CRM_CONTACT_FIELD_EMAIL] = NC_("column", "E-mail"),
  [CRM_CONTACT_FIELD_WECHAT] = NC_("column", "WeChat"),
  [CRM_CONTACT_FIELD_ADDRESS] = NC_("column", "Address"),
  [CRM_CONTACT_FIELD_TAGS] = NC_("column", "Tags"),
  [CRM_CONTACT_FIELD_NOTES] = NC_("column", "Notes"),
  [CRM_CONTACT_FIELD_OWNER] = NC_("column", "Owner"),
};

enum
{
  CONTACT_COL_CREATED = CRM_CONTACT_N_FIELDS,
  CONTACT_COL_UPDATED,
  CONTACT_COL_UID,
  CONTACT_N_COLUMNS
};

static void
contact_columns (CrmExportColumn *columns)
{
  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    {
      columns[i].header = g_dpgettext2 (GETTEXT_PACKAGE, "column", contact_headers[i]);
      columns[i].type = (i == CRM_CONTACT_FIELD_MOBILE || i == CRM_CONTACT_FIELD_PHONE)
                        ? CRM_EXPORT_COLUMN_PHONE : CRM_EXPORT_COLUMN_TEXT;
    }
  columns[CONTACT_COL_CREATED] = (CrmExportColumn) { C_("column", "Created"),
                                                     CRM_EXPORT_COLUMN_TIME };
  columns[CONTACT_COL_UPDATED] = (CrmExportColumn) { C_("column", "Updated"),
                                                     CRM_EXPORT_COLUMN_TIME };
  /* the importer matches a contact by it (查重) */
  columns[CONTACT_COL_UID] = (CrmExportColumn) { "UID", CRM_EXPORT_COLUMN_TEXT };
}

enum
{
  DEAL_COL_TITLE,
  DEAL_COL_CONTACT,
  DEAL_COL_AMOUNT,
  DEAL_COL_STAGE,
  DEAL_COL_PROBABILITY,
  DEAL_COL_EXPECTED_CLOSE,
  DEAL_COL_LOST_REASON,
  DEAL_COL_NOTES,
  DEAL_COL_WON_AT,
  DEAL_COL_CREATED,
  DEAL_COL_UPDATED,
  DEAL_COL_UID,
  DEAL_COL_CONTACT_UID,
  DEAL_N_COLUMNS
};

/* the deals' columns: a context (NULL: not translated), a name, a type */
static const struct
{
  const char          *context;
  const char          *name;
  CrmExportColumnType  type;
} deal_headers[DEAL_N_COLUMNS] = {
  [DEAL_COL_TITLE] = { "deal column", NC_("deal column", "Title"), CRM_EXPORT_COLUMN_TEXT },
  [DEAL_COL_CONTACT] = { "column", NC_("column", "Contact"), CRM_EXPORT_COLUMN_TEXT },
  [DEAL_COL_AMOUNT] = { "column", NC_("column", "Amount (yuan)"), CRM_EXPORT_COLUMN_MONEY },
  [DEAL_COL_STAGE] = { "column", NC_("column", "Stage"), CRM_EXPORT_COLUMN_TEXT },
  [DEAL_COL_PROBABILITY] = { "column", NC_("column", "Probability (%)"),
                             CRM_EXPORT_COLUMN_INTEGER },
  [DEAL_COL_EXPECTED_CLOSE] = { "column", NC_("column", "Expected close"),
                                CRM_EXPORT_COLUMN_DATE },
  [DEAL_COL_LOST_REASON] = { "column", NC_("column", "Lost reason"), CRM_EXPORT_COLUMN_TEXT },
  [DEAL_COL_NOTES] = { "column", NC_("column", "Notes"), CRM_EXPORT_COLUMN_TEXT },
  [DEAL_COL_WON_AT] = { "column", NC_("column", "Won"), CRM_EXPORT_COLUMN_TIME },
  [DEAL_COL_CREATED] = { "column", NC_("column", "Created"), CRM_EXPORT_COLUMN_TIME },
  [DEAL_COL_UPDATED] = { "column", NC_("column", "Updated"), CRM_EXPORT_COLUMN_TIME },
  [DEAL_COL_UID] = { NULL, "UID", CRM_EXPORT_COLUMN_TEXT },
  [DEAL_COL_CONTACT_UID] = { "column", NC_("column", "Contact UID"), CRM_EXPORT_COLUMN_TEXT },
};

static void
deal_columns (CrmExportColumn *columns)
{
  for (guint i = 0; i < DEAL_N_COLUMNS; i++)
    {
      columns[i].header = deal_headers[i].context == NULL ? deal_headers[i].name
                          : g_dpgettext2 (GETTEXT_PACKAGE, deal_headers[i].context,
                                          deal_headers[i].name);
      columns[i].type = deal_headers[i].type;
    }
}

enum
{
  FOLLOWUP_COL_HAPPENED_AT,
  FOLLOWUP_COL_CONTACT,
  FOLLOWUP_COL_DEAL,
  FOLLOWUP_COL_KIND,
  FOLLOWUP_COL_NOTES,
  FOLLOWUP_COL_NEXT_STEP,
  FOLLOWUP_COL_NEXT_AT,
  FOLLOWUP_COL_DONE_AT,
  FOLLOWUP_COL_CREATED,
  FOLLOWUP_COL_UPDATED,
  FOLLOWUP_COL_UID,
  FOLLOWUP_COL_CONTACT_UID,
  FOLLOWUP_COL_DEAL_UID,
  FOLLOWUP_N_COLUMNS
};

/* the follow-ups' columns, each with its row member (crm_store_foreach_followup_row()) */
static const struct
{
  const char          *name;     /* context "column"; NULL: "UID" */
  CrmExportColumnType  type;
  const char          *member;
} followup_headers[FOLLOWUP_N_COLUMNS] = {
  [FOLLOWUP_COL_HAPPENED_AT] = { NC_("column", "Followed up"), CRM_EXPORT_COLUMN_TIME,
                                 "happened_at" },
  [FOLLOWUP_COL_CONTACT] = { NC_("column", "Contact"), CRM_EXPORT_COLUMN_TEXT,
                             "contact_name" },
  [FOLLOWUP_COL_DEAL] = { NC_("column", "Deal"), CRM_EXPORT_COLUMN_TEXT, "deal_title" },
  [FOLLOWUP_COL_KIND] = { NC_("column", "How"), CRM_EXPORT_COLUMN_TEXT, "kind" },
  [FOLLOWUP_COL_NOTES] = { NC_("column", "Notes"), CRM_EXPORT_COLUMN_TEXT, "notes" },
  [FOLLOWUP_COL_NEXT_STEP] = { NC_("column", "Next step"), CRM_EXPORT_COLUMN_TEXT,
                               "next_step" },
  [FOLLOWUP_COL_NEXT_AT] = { NC_("column", "Next step due"), CRM_EXPORT_COLUMN_TIME,
                             "next_at" },
  [FOLLOWUP_COL_DONE_AT] = { NC_("column", "Done"), CRM_EXPORT_COLUMN_TIME, "done_at" },
  [FOLLOWUP_COL_CREATED] = { NC_("column", "Created"), CRM_EXPORT_COLUMN_TIME, "created_at" },
  [FOLLOWUP_COL_UPDATED] = { NC_("column", "Updated"), CRM_EXPORT_COLUMN_TIME, "updated_at" },
  [FOLLOWUP_COL_UID] = { NULL, CRM_EXPORT_COLUMN_TEXT, "id" },
  [FOLLOWUP_COL_CONTACT_UID] = { NC_("column", "Contact UID"), CRM_EXPORT_COLUMN_TEXT,
                                 "contact_id" },
  [FOLLOWUP_COL_DEAL_UID] = { NC_("column", "Deal UID"), CRM_EXPORT_COLUMN_TEXT, "deal_id" },
};

static void
followup_columns (CrmExportColumn *columns)
{
  for (guint i = 0; i < FOLLOWUP_N_COLUMNS; i++)
    {
      columns[i].header = followup_headers[i].name == NULL ? "UID"
                          : g_dpgettext2 (GETTEXT_PACKAGE, "column", followup_headers[i].name);
      columns[i].type = followup_headers[i].type;
    }
}

#define MAX_COLUMNS 16
G_STATIC_ASSERT ((int)CONTACT_N_COLUMNS <= MAX_COLUMNS && (int)DEAL_N_COLUMNS <= MAX_COLUMNS
                 && (int)FOLLOWUP_N_COLUMNS <= MAX_COLUMNS);

typedef struct
{
  CrmExportSink     *sink;
  CrmExportProgress  progress;
  gpointer           progress_data;
  guint              done;        /* rows of the earlier sheets */
  guint              total;       /* of every sheet, as far as known */
  guint              rows;        /* of this sheet */
} WriteData;

static void
report (WriteData *wd,
        guint      index,
        guint      total)
{
  wd->rows = index + 1;
  wd->total = MAX (wd->total, wd->done + total);
  if (wd->progress != NULL && index % PROGRESS_EVERY == 0)
    wd->progress (wd->done + index, wd->total, wd->progress_data);
}

static gboolean
write_contact (CrmContact  *contact,
               guint        index,
               guint        total,
               gpointer     user_data,
               GError     **error)
{
  WriteData *wd = user_data;
  CrmExportCell cells[CONTACT_N_COLUMNS] = { { NULL } };

  report (wd, index, total);
  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    cells[i].text = crm_contact_get_field (contact, i);
  cells[CONTACT_COL_CREATED].text = crm_contact_get_created_at (contact);
  cells[CONTACT_COL_UPDATED].text = crm_contact_get_updated_at (contact);
  cells[CONTACT_COL_UID].text = crm_contact_get_id (contact);
  return wd->sink->row (wd->sink, cells, error);
}

static gboolean
write_deal (CrmDeal     *deal,
            guint        index,
            guint        total,
            gpointer     user_data,
            GError     **error)
{
  WriteData *wd = user_data;
  CrmExportCell cells[DEAL_N_COLUMNS] = { { NULL } };

  report (wd, index, total);
  cells[DEAL_COL_TITLE].text = crm_deal_get_title (deal);
  cells[DEAL_COL_CONTACT].text = crm_deal_get_contact_name (deal);
  cells[DEAL_COL_AMOUNT].number = crm_deal_get_amount (deal);
  cells[DEAL_COL_STAGE].text = crm_deal_stage_get_label (crm_deal_get_stage (deal));
  cells[DEAL_COL_PROBABILITY].number = crm_deal_get_probability (deal);
  cells[DEAL_COL_EXPECTED_CLOSE].text = crm_deal_get_expected_close (deal);
  cells[DEAL_COL_LOST_REASON].text = crm_deal_get_lost_reason (deal);
  cells[DEAL_COL_NOTES].text = crm_deal_get_notes (deal);
  cells[DEAL_COL_WON_AT].text = crm_deal_get_won_at (deal);
  cells[DEAL_COL_CREATED].text = crm_deal_get_created_at (deal);
  cells[DEAL_COL_UPDATED].text = crm_deal_get_updated_at (deal);
  cells[DEAL_COL_UID].text = crm_deal_get_id (deal);
  cells[DEAL_COL_CONTACT_UID].text = crm_deal_get_contact_id (deal);
  return wd->sink->row (wd->sink, cells, error);
}

/* a kind's label for people, without its mnemonic: "电话(_C)" → "电话", "_Call" → "Call" */
static char *
kind_text (const char *kind)
{
  CrmFollowupKind value = crm_followup_kind_from_string (kind);
  GString *text = g_string_new (crm_followup_kind_get_label (value));
  const char *open = strstr (text->str, "(_");

  if (open != NULL && g_str_has_suffix (text->str, ")"))
    g_string_truncate (text, open - text->str);
  g_string_replace (text, "_", "", 0);
  return g_string_free (text, FALSE);
}

static gboolean
write_followup (CrmStoreTable   table,
                JsonObject     *row,
                GBytes         *data,
                guint           index,
                guint           total,
                gpointer        user_data,
                GError        **error)
{
  WriteData *wd = user_data;
  CrmExportCell cells[FOLLOWUP_N_COLUMNS] = { { NULL } };
  g_autofree char *kind = NULL;

  report (wd, index, total);
  for (guint i = 0; i < FOLLOWUP_N_COLUMNS; i++)
    cells[i].text = json_object_get_string_member_with_default (row, followup_headers[i].member,
                                                                NULL);
  kind = kind_text (cells[FOLLOWUP_COL_KIND].text);
  cells[FOLLOWUP_COL_KIND].text = kind;
  return wd->sink->row (wd->sink, cells, error);
}

static gboolean
write_sheet (CrmStore       *store,
             WriteData      *wd,
             CrmExportWhat   what,
             GCancellable   *cancellable,
             GError        **error)
{
  CrmExportColumn columns[MAX_COLUMNS];
  gboolean ok;

  wd->rows = 0;
  if (what == CRM_EXPORT_CONTACTS)
    {
      contact_columns (columns);
      ok = wd->sink->begin_sheet (wd->sink, _("Contacts"), columns, CONTACT_N_COLUMNS, error)
           && crm_store_foreach_contact (store, write_contact, wd, cancellable, error);
    }
  else if (what == CRM_EXPORT_FOLLOWUPS)
    {
      followup_columns (columns);
      ok = wd->sink->begin_sheet (wd->sink, _("Follow-ups"), columns, FOLLOWUP_N_COLUMNS,
                                  error)
           && crm_store_foreach_followup_row (store, write_followup, wd, cancellable, error);
    }
  else
    {
      deal_columns (columns);
      ok = wd->sink->begin_sheet (wd->sink, _("Deals"), columns, DEAL_N_COLUMNS, error)
           && crm_store_foreach_deal (store, write_deal, wd, cancellable, error);
    }
  if (ok)
    {
      wd->done += wd->rows;
      wd->total = MAX (wd->total, wd->done);
      if (wd->progress != NULL)
        wd->progress (wd->done, wd->total, wd->progress_data);
    }
  return ok;
}

/* the rows of @what (one or two sheets) into a new @sink's file @file */
static gboolean
export_sheets (CrmStore           *store,
               GFile              *file,
               CrmExportFormat     format,
               CrmExportWhat       what,
               CrmExportFlags      flags,
               WriteData          *wd,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autofree char *temp = _crm_export_temp_path (file, error);
  g_autoptr (GError) local_error = NULL;
  CrmExportSink *sink;
  gboolean ok;

  if (temp == NULL)
    return FALSE;
  sink = format == CRM_EXPORT_FORMAT_XLSX ? _crm_export_xlsx_sink_new (temp, &local_error)
                                          : csv_sink_new (temp, flags, &local_error);
  ok = sink != NULL;
  wd->sink = sink;
  if (what == CRM_EXPORT_FOLLOWUPS)
    ok = ok && write_sheet (store, wd, what, cancellable, &local_error);
  for (CrmExportWhat part = CRM_EXPORT_CONTACTS; ok && part <= CRM_EXPORT_DEALS; part++)
    if (what == CRM_EXPORT_ALL || what == part)
      ok = write_sheet (store, wd, part, cancellable, &local_error);
  ok = ok && sink->finish (sink, &local_error);
  if (sink != NULL)
    sink->free (sink);
  if (!ok && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&local_error);
      g_cancellable_cancel (cancellable);
      cancelled_error (cancellable, &local_error);
    }
  if (!ok)
    {
      _crm_export_commit (temp, file, FALSE, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return _crm_export_commit (temp, file, TRUE, error);
}

/**
 * crm_export:
 * @file: the file to write (a local path); with %CRM_EXPORT_ALL and CSV,
 *   the two files of crm_export_part_file()
 * @what: contacts, deals, both, or follow-ups (vCard: contacts only)
 * @progress: (nullable): called every 256 rows, on this thread
 * @cancellable: (nullable): cancelling leaves no file written
 *
 * Writes the live records of @store. Reads on connections of its own, so it
 * may run on a worker thread while the app keeps working.
 */
gboolean
crm_export (CrmStore           *store,
            GFile              *file,
            CrmExportFormat     format,
            CrmExportWhat       what,
            CrmExportFlags      flags,
            CrmExportProgress   progress,
            gpointer            progress_data,
            GCancellable       *cancellable,
            GError            **error)
{
  WriteData wd = { NULL, progress, progress_data, 0, 0, 0 };

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (cancelled_error (cancellable, error))
    return FALSE;

  if (format == CRM_EXPORT_FORMAT_VCARD || format == CRM_EXPORT_FORMAT_VCARD_30)
    {
      g_autofree char *temp = NULL;
      g_autoptr (GError) local_error = NULL;
      gboolean ok;

      if (what != CRM_EXPORT_CONTACTS)
        {
          g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_FAILED,
                               _("vCard holds contacts only: export deals as CSV or XLSX"));
          return FALSE;
        }
      temp = _crm_export_temp_path (file, error);
      if (temp == NULL)
        return FALSE;
      ok = _crm_export_vcard (store, temp, format == CRM_EXPORT_FORMAT_VCARD, progress,
                              progress_data, cancellable, &local_error);
      if (!ok && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&local_error);
          cancelled_error (cancellable, &local_error);
        }
      if (!ok)
        {
          _crm_export_commit (temp, file, FALSE, NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return _crm_export_commit (temp, file, TRUE, error);
    }

  if (format == CRM_EXPORT_FORMAT_CSV && what == CRM_EXPORT_ALL)
    {
      g_autoptr (GFile) contacts = crm_export_part_file (file, CRM_EXPORT_CONTACTS);
      g_autoptr (GFile) deals = crm_export_part_file (file, CRM_EXPORT_DEALS);

      if (!export_sheets (store, contacts, format, CRM_EXPORT_CONTACTS, flags, &wd,
                          cancellable, error))
        return FALSE;
      if (export_sheets (store, deals, format, CRM_EXPORT_DEALS, flags, &wd, cancellable,
                         error))
        return TRUE;
      g_file_delete (contacts, NULL, NULL);   /* both files or neither */
      return FALSE;
    }
  return export_sheets (store, file, format, what, flags, &wd, cancellable, error);
}
