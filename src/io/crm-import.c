/* crm-import.c — a table read from a file, brought into the store as contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers (crm-table.h) give rows of text; this file decides what each
 * column is and hands every row to crm_store_import_contacts(), which checks
 * each one with the editor's own rules (crm_validate_contact), looks for its
 * duplicate (查重) and writes them all in one transaction. So a file is
 * imported entirely or not at all, and Cancel leaves the store as it was.
 *
 * A column is known by its header, in Chinese or English, whatever its case,
 * spaces, hyphens or full-width forms (NFKC, then case-folded): "Ｅ－ｍａｉｌ",
 * "e mail" and "电子邮件" are all the e-mail. The caller may change the
 * mapping (the dialog's preview) before running the import.
 *
 * A row that does not pass is not imported but kept, with its line, field
 * and reason, so that it can be written out as a CSV (UTF-8 with a BOM, for
 * Excel and WPS), fixed and imported again; the good rows still go in.
 *
 * crm_import_check() hands the same rows to the store in a transaction that
 * is rolled back, for the import dialog's preview: what it counts (new rows,
 * duplicates, bad rows with their reasons) is what the import would do.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-import.h"
#include "crm-io.h"

struct _CrmImport
{
  const CrmTable *table;
  guint           n_columns;
  int            *targets;    /* per column */
};

/* the header names of each target, in their normalised form (see
 * normalize_header()): lower case, no spaces, hyphens, dots or colons */
static const struct
{
  int         target;
  const char *names;          /* separated by "|" */
} aliases[] = {
  { CRM_CONTACT_FIELD_NAME, "姓名|name|联系人|名字|姓名称呼|客户姓名|联系人姓名|fullname|contact"
                            "|contactname" },
  { CRM_CONTACT_FIELD_COMPANY, "公司|company|单位|公司名称|单位名称|企业|企业名称|客户名称"
                               "|organization|organisation|org" },
  { CRM_CONTACT_FIELD_TITLE, "职务|title|职位|职称|jobtitle|position" },
  { CRM_CONTACT_FIELD_MOBILE, "手机|mobile|手机号码|手机号|移动电话|mobilephone|cell|cellphone"
                              "|mobilenumber" },
  { CRM_CONTACT_FIELD_PHONE, "电话|phone|座机|固定电话|办公电话|联系电话|电话号码|telephone|tel"
                             "|workphone|phonenumber" },
  { CRM_CONTACT_FIELD_EMAIL, "邮箱|email|电子邮件|电子邮箱|邮件|mail|emailaddress" },
  { CRM_CONTACT_FIELD_WECHAT, "微信|wechat|微信号|weixin|wechatid" },
  { CRM_CONTACT_FIELD_ADDRESS, "地址|address|联系地址|通讯地址|公司地址" },
  { CRM_CONTACT_FIELD_TAGS, "标签|tags|tag|分类" },
  { CRM_CONTACT_FIELD_NOTES, "备注|notes|note|remark|remarks|说明" },
  { CRM_CONTACT_FIELD_OWNER, "负责人|owner|跟进人|销售|所有者" },
  { CRM_IMPORT_TARGET_UID, "uid" },
};

/* The header as compared: NFKC (full-width letters and the ideographic
 * space become ASCII), case-folded, without white space, hyphens,
 * underscores, dots, colons, stars (a required column's mark) or a BOM. */
static char *
normalize_header (const char *header)
{
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  GString *out;

  if (header == NULL || !g_utf8_validate (header, -1, NULL))
    return g_strdup ("");
  nfkc = g_utf8_normalize (header, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (nfkc, -1);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0xfeff || c == 0x200b
          || (c < 0x80 && strchr ("-_.:*", (int) c) != NULL))
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * crm_import_target_from_header:
 * @header: a column's header as the file has it
 *
 * Returns: the field it names, %CRM_IMPORT_TARGET_UID, or
 *   %CRM_IMPORT_TARGET_NONE
 */
int
crm_import_target_from_header (const char *header)
{
  g_autofree char *key = normalize_header (header);

  if (*key == '\0')
    return CRM_IMPORT_TARGET_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      g_auto (GStrv) names = g_strsplit (aliases[i].names, "|", -1);

      if (g_strv_contains ((const char * const *) names, key))
        return aliases[i].target;
    }
  return CRM_IMPORT_TARGET_NONE;
}

/**
 * crm_import_target_get_label:
 *
 * Returns: the translated name of @target, as the editor and the preview say it
 */
const char *
crm_import_target_get_label (int target)
{
  switch (target)
    {
    case CRM_CONTACT_FIELD_NAME: return _("Name");
    case CRM_CONTACT_FIELD_COMPANY: return _("Company");
    case CRM_CONTACT_FIELD_TITLE: return C_("column", "Title");
    case CRM_CONTACT_FIELD_MOBILE: return _("Mobile");
    case CRM_CONTACT_FIELD_PHONE: return _("Phone");
    case CRM_CONTACT_FIELD_EMAIL: return _("E-mail");
    case CRM_CONTACT_FIELD_WECHAT: return _("WeChat");
    case CRM_CONTACT_FIELD_ADDRESS: return _("Address");
    case CRM_CONTACT_FIELD_TAGS: return _("Tags");
    case CRM_CONTACT_FIELD_NOTES: return _("Notes");
    case CRM_CONTACT_FIELD_OWNER: return _("Owner");
    case CRM_IMPORT_TARGET_UID: return _("UID");
    default: return _("Not imported");
    }
}

/**
 * crm_import_duplicates_from_string:
 * @text: "skip", "update" or "keep"
 *
 * Returns: whether @text names a policy
 */
gboolean
crm_import_duplicates_from_string (const char         *text,
                                   CrmStoreDuplicates *policy)
{
  static const char * const names[] = { "skip", "update", "keep" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *policy = (CrmStoreDuplicates) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * crm_import_new:
 * @table: what a reader read; it must outlive the import
 *
 * Returns: (transfer full): an import of @table, each column mapped by its
 *   header (the first column naming a field has it; the others none)
 */
CrmImport *
crm_import_new (const CrmTable *table)
{
  CrmImport *self;
  const char * const *header;
  gboolean used[CRM_IMPORT_N_TARGETS] = { FALSE, };

  g_return_val_if_fail (table != NULL && table->rows != NULL, NULL);

  self = g_new0 (CrmImport, 1);
  self->table = table;
  header = table->rows->len > 0 ? g_ptr_array_index (table->rows, 0) : NULL;
  self->n_columns = header != NULL ? g_strv_length ((GStrv) header) : 0;
  self->targets = g_new (int, MAX (self->n_columns, 1));
  for (guint i = 0; i < self->n_columns; i++)
    {
      int target = crm_import_target_from_header (header[i]);

      if (target != CRM_IMPORT_TARGET_NONE && used[target])
        target = CRM_IMPORT_TARGET_NONE;
      if (target != CRM_IMPORT_TARGET_NONE)
        used[target] = TRUE;
      self->targets[i] = target;
    }
  return self;
}

void
crm_import_free (CrmImport *self)
{
  if (self == NULL)
    return;
  g_free (self->targets);
  g_free (self);
}

guint
crm_import_get_n_columns (CrmImport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_columns;
}

/**
 * crm_import_get_n_rows:
 *
 * Returns: how many rows the file has below its header
 */
guint
crm_import_get_n_rows (CrmImport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->table->rows->len > 0 ? self->table->rows->len - 1 : 0;
}

const char *
crm_import_get_column_name (CrmImport *self,
                            guint      column)
{
  g_return_val_if_fail (self != NULL && column < self->n_columns, NULL);
  return ((GStrv) g_ptr_array_index (self->table->rows, 0))[column];
}

int
crm_import_get_column_target (CrmImport *self,
                              guint      column)
{
  g_return_val_if_fail (self != NULL && column < self->n_columns, CRM_IMPORT_TARGET_NONE);
  return self->targets[column];
}

/**
 * crm_import_set_column_target:
 * @target: a CrmContactField, %CRM_IMPORT_TARGET_UID or %CRM_IMPORT_TARGET_NONE
 *
 * Maps @column to @target; a column that had @target before has none now.
 */
void
crm_import_set_column_target (CrmImport *self,
                              guint      column,
                              int        target)
{
  g_return_if_fail (self != NULL && column < self->n_columns);
  g_return_if_fail (target >= CRM_IMPORT_TARGET_NONE && target < CRM_IMPORT_N_TARGETS);

  if (target != CRM_IMPORT_TARGET_NONE)
    for (guint i = 0; i < self->n_columns; i++)
      if (self->targets[i] == target)
        self->targets[i] = CRM_IMPORT_TARGET_NONE;
  self->targets[column] = target;
}

/**
 * crm_import_get_unmapped:
 *
 * Returns: (transfer full): the headers of the columns that are not
 *   imported (empty headers left out)
 */
GStrv
crm_import_get_unmapped (CrmImport *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; i < self->n_columns; i++)
    {
      const char *name = crm_import_get_column_name (self, i);

      if (self->targets[i] == CRM_IMPORT_TARGET_NONE && name[strspn (name, " \t")] != '\0')
        g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

static gboolean
row_is_blank (const char * const *cells)
{
  for (guint i = 0; cells[i] != NULL; i++)
    for (const char *p = cells[i]; *p; p++)
      if (!g_ascii_isspace (*p))
        return FALSE;
  return TRUE;
}

static void
bad_row_free (gpointer data)
{
  CrmImportBadRow *bad = data;

  g_free (bad->reason);
  g_strfreev (bad->cells);
  g_free (bad);
}

static void
add_bad_row (CrmImportResult    *result,
             guint               line,
             int                 target,
             const char         *reason,
             const char * const *cells)
{
  CrmImportBadRow *bad = g_new0 (CrmImportBadRow, 1);

  bad->line = line;
  bad->target = target;
  bad->reason = g_strdup (reason);
  bad->cells = g_strdupv ((GStrv) cells);
  g_ptr_array_add (result->bad_rows, bad);
  result->bad++;
}

static CrmImportResult *
result_new (const CrmTable *table)
{
  CrmImportResult *result = g_new0 (CrmImportResult, 1);

  result->bad_rows = g_ptr_array_new_with_free_func (bad_row_free);
  result->header = g_strdupv (table->rows->len > 0 ? g_ptr_array_index (table->rows, 0) : NULL);
  if (result->header == NULL)
    result->header = g_new0 (char *, 1);
  crm_store_import_undo_init (&result->undo);
  return result;
}

/* the store's rows for the table's (blank rows left out); @table_rows gets
 * the index in the table of each */
static CrmStoreImportRow *
build_rows (CrmImport *self,
            GArray    *table_rows,
            guint     *n_rows)
{
  const CrmTable *table = self->table;
  CrmStoreImportRow *rows = g_new0 (CrmStoreImportRow, MAX (table->rows->len, 1));
  guint n = 0;

  for (guint r = 1; r < table->rows->len; r++)
    {
      const char * const *cells = g_ptr_array_index (table->rows, r);
      guint n_cells = g_strv_length ((GStrv) cells);
      CrmContact *contact;

      if (row_is_blank (cells))
        continue;
      contact = crm_contact_new ();
      for (guint c = 0; c < self->n_columns && c < n_cells; c++)
        {
          int target = self->targets[c];

          if (target == CRM_IMPORT_TARGET_UID)
            rows[n].uid = cells[c];
          else if (target != CRM_IMPORT_TARGET_NONE)
            crm_contact_set_field (contact, target, cells[c]);
        }
      rows[n].contact = contact;
      g_array_append_val (table_rows, r);
      n++;
    }
  *n_rows = n;
  return rows;
}

/* the mapping can be imported: a header, and a column of names */
static gboolean
check_mapping (CrmImport  *self,
               GError    **error)
{
  gboolean has_name = FALSE;

  if (self->n_columns == 0)
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                   _("The file is empty: it has no header row"));
      return FALSE;
    }
  for (guint i = 0; i < self->n_columns; i++)
    has_name |= self->targets[i] == CRM_CONTACT_FIELD_NAME;
  if (!has_name)
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                   _("No column holds the names: give a column a header such as "
                     "“Name” or “姓名”"));
      return FALSE;
    }
  return TRUE;
}

/* counts the outcome of each row into @res, keeping the bad ones */
static void
tally (CrmImport         *self,
       CrmImportResult   *res,
       CrmStoreImportRow *rows,
       GArray            *table_rows,
       guint              n_rows)
{
  for (guint i = 0; i < n_rows; i++)
    {
      guint r = g_array_index (table_rows, guint, i);
      guint line = r < self->table->lines->len ? g_array_index (self->table->lines, guint, r)
                                               : r + 1;

      switch (rows[i].outcome)
        {
        case CRM_STORE_IMPORT_ADDED:
          res->added++;
          break;
        case CRM_STORE_IMPORT_UPDATED:
          res->updated++;
          break;
        case CRM_STORE_IMPORT_SKIPPED:
        case CRM_STORE_IMPORT_UNCHANGED:
          res->skipped++;
          break;
        case CRM_STORE_IMPORT_INVALID:
        default:
          add_bad_row (res, line, rows[i].failed_field, rows[i].error->message,
                       g_ptr_array_index (self->table->rows, r));
          break;
        }
    }
}

static void
free_rows (CrmStoreImportRow *rows,
           guint              n_rows)
{
  for (guint i = 0; i < n_rows; i++)
    {
      crm_store_import_row_clear (&rows[i]);
      g_object_unref (rows[i].contact);
    }
  g_free (rows);
}

/**
 * crm_import_run:
 * @store: where the contacts go
 * @policy: what becomes of a duplicate (查重)
 * @progress: (nullable): called on this thread every few hundred rows
 * @cancellable: (nullable): cancelling leaves @store as it was
 * @result: (out): the counts, the bad rows and what undoes the import
 *
 * Imports every row of the table in one transaction. A row that does not
 * pass the editor's rules is left out and listed in the result; the others
 * are imported.
 *
 * Returns: %TRUE when the import committed; else nothing was changed, with
 *   %CRM_IO_ERROR_CANCELLED for a cancel, %CRM_IO_ERROR_FORMAT when the file
 *   has no header or no column of names, or the store's error
 */
gboolean
crm_import_run (CrmImport               *self,
                CrmStore                *store,
                CrmStoreDuplicates       policy,
                CrmStoreImportProgress   progress,
                gpointer                 progress_data,
                GCancellable            *cancellable,
                CrmImportResult        **result,
                GError                 **error)
{
  g_autoptr (CrmImportResult) res = NULL;
  g_autoptr (GArray) table_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GError) local_error = NULL;
  CrmStoreImportRow *rows;
  guint n_rows = 0;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  if (!check_mapping (self, error))
    return FALSE;

  res = result_new (self->table);
  rows = build_rows (self, table_rows, &n_rows);
  ok = crm_store_import_contacts (store, rows, n_rows, policy, progress, progress_data,
                                  cancellable, &res->undo, &local_error);
  if (ok)
    tally (self, res, rows, table_rows, n_rows);
  free_rows (rows, n_rows);

  if (!ok)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_CANCELLED,
                     _("The import was cancelled; nothing was changed"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *result = g_steal_pointer (&res);
  return TRUE;
}

/* a dry run: the store's import is cancelled at its last look at the
 * cancellable before its end (it looks every CHECK_EVERY rows of
 * crm-store-import.c, then once after the last row, before it commits), so
 * every row is checked and nothing is committed. The test import
 * (/import/check) fails if the store looks otherwise. */
#define STORE_LOOKS_EVERY 256

static void
dry_run_progress (guint    done,
                  guint    total,
                  gpointer stop)
{
  if (done + STORE_LOOKS_EVERY >= total)
    g_cancellable_cancel (stop);
}

static void
stop_dry_run (GCancellable *cancellable,
              GCancellable *stop)
{
  g_cancellable_cancel (stop);
}

/**
 * crm_import_check:
 * @store: where the contacts would go
 * @cancellable: (nullable): stops the check
 * @result: (out): what crm_import_run() with %CRM_STORE_DUPLICATES_SKIP
 *   would do: the rows it would add, the duplicates it would skip, the bad
 *   rows with their reasons (the undo record is empty)
 *
 * Checks every row as the import would, in a transaction that is rolled
 * back: nothing in @store changes. For the import dialog's preview.
 *
 * Returns: %TRUE with @result; else %CRM_IO_ERROR_FORMAT (see
 *   crm_import_run()), %G_IO_ERROR_CANCELLED when @cancellable was
 *   cancelled, or the store's error
 */
gboolean
crm_import_check (CrmImport        *self,
                  CrmStore         *store,
                  GCancellable     *cancellable,
                  CrmImportResult **result,
                  GError          **error)
{
  g_autoptr (CrmImportResult) res = NULL;
  g_autoptr (GArray) table_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  CrmStoreImportRow *rows;
  guint n_rows = 0;
  gulong handler = 0;
  gboolean complete;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  if (!check_mapping (self, error))
    return FALSE;

  res = result_new (self->table);
  rows = build_rows (self, table_rows, &n_rows);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (stop_dry_run), stop, NULL);
  if (crm_store_import_contacts (store, rows, n_rows, CRM_STORE_DUPLICATES_SKIP,
                                 dry_run_progress, stop, stop, NULL, &local_error))
    g_clear_error (&local_error);
  g_cancellable_disconnect (cancellable, handler);
  /* the last row has its outcome: every row was checked */
  complete = n_rows == 0 || rows[n_rows - 1].id != NULL || rows[n_rows - 1].error != NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      free_rows (rows, n_rows);
      return FALSE;
    }
  if (local_error != NULL
      && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      free_rows (rows, n_rows);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!complete)
    {
      free_rows (rows, n_rows);
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_CANCELLED,
                   _("The rows could not all be checked"));
      return FALSE;
    }
  tally (self, res, rows, table_rows, n_rows);
  free_rows (rows, n_rows);
  *result = g_steal_pointer (&res);
  return TRUE;
}

/**
 * crm_import_result_undo:
 *
 * Takes back what the import of @result did (once).
 */
gboolean
crm_import_result_undo (CrmImportResult  *result,
                        CrmStore         *store,
                        GError          **error)
{
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (result->undone)
    return TRUE;
  if (!crm_store_import_undo (store, &result->undo, error))
    return FALSE;
  result->undone = TRUE;
  return TRUE;
}

static void
append_csv_cell (GString    *out,
                 const char *cell)
{
  if (strpbrk (cell, ",\"\r\n") == NULL)
    {
      g_string_append (out, cell);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = cell; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_row (GString            *out,
                const char * const *cells,
                guint               n_columns,
                const char         *last)
{
  guint n_cells = g_strv_length ((GStrv) cells);

  for (guint i = 0; i < MAX (n_cells, n_columns); i++)
    {
      append_csv_cell (out, i < n_cells ? cells[i] : "");
      g_string_append_c (out, ',');
    }
  append_csv_cell (out, last);
  g_string_append (out, "\r\n");
}

/**
 * crm_import_result_write_bad_rows:
 * @file: where to write (replaced whole, or left as it was on an error)
 *
 * Writes the rows that were not imported as a CSV (UTF-8 with a BOM, so
 * that Excel and WPS open it right): the file's header and cells, with a
 * last column saying what is wrong, ready to fix and import again.
 */
gboolean
crm_import_result_write_bad_rows (CrmImportResult  *result,
                                  GFile            *file,
                                  GError          **error)
{
  g_autoptr (GString) out = g_string_new ("\xef\xbb\xbf");
  g_autoptr (GError) local_error = NULL;
  guint n_columns;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  n_columns = g_strv_length (result->header);
  append_csv_row (out, (const char * const *) result->header, n_columns, _("Problem"));
  for (guint i = 0; i < result->bad_rows->len; i++)
    {
      CrmImportBadRow *bad = g_ptr_array_index (result->bad_rows, i);
      g_autofree char *problem = g_strdup_printf ("%s: %s",
                                                  crm_import_target_get_label (bad->target),
                                                  bad->reason);

      append_csv_row (out, (const char * const *) bad->cells, n_columns, problem);
    }
  if (!g_file_replace_contents (file, out->str, out->len, NULL, FALSE, G_FILE_CREATE_NONE,
                                NULL, NULL, &local_error))
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN, _("Cannot save the rows: %s"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

void
crm_import_result_free (CrmImportResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->bad_rows);
  g_strfreev (result->header);
  crm_store_import_undo_clear (&result->undo);
  g_free (result);
}
