/* crm-cli-import.c — `xiaohe-crm-cli import FILE`: a spreadsheet or vCard
 * file into the store
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same path as the app's import dialog: a reader (crm-table.h) and the
 * import engine (crm-import.c), whose one transaction makes a killed or
 * interrupted run leave all of the file or none of it. The data folder's
 * lock is taken before anything else, so that the command refuses, having
 * read and changed nothing, while the app has the store open.
 *
 * `--format archive` is the export-everything archive (crm-archive.c):
 * loaded whole into an empty store by crm_archive_import(), not mapped.
 *
 * The summary goes to standard output (one line, for scripts); the columns
 * that were not imported and the bad rows (line, field, reason) to standard
 * error. Exit 1 when the file could not be read or the store refused the
 * import; bad rows alone do not fail it, as the good rows went in.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-archive.h"
#include "crm-cli.h"
#include "crm-import.h"
#include "crm-io.h"
#include "crm-store-backup.h"

/* an import of more rows than this into a store with contacts is a "large
 * import": a verified backup is made first (issue 14, terms §4.3) */
#define LARGE_IMPORT_ROWS 1000

static gboolean
parse_format (const char     *text,
              CrmTableFormat *format)
{
  static const struct { const char *name; CrmTableFormat format; } formats[] = {
    { "csv", CRM_TABLE_FORMAT_CSV },
    { "xlsx", CRM_TABLE_FORMAT_XLSX },
    { "xls", CRM_TABLE_FORMAT_XLS },
    { "vcf", CRM_TABLE_FORMAT_VCARD },
  };

  if (text == NULL)
    {
      *format = CRM_TABLE_FORMAT_AUTO;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (text, formats[i].name))
      {
        *format = formats[i].format;
        return TRUE;
      }
  return FALSE;
}

static void
report (CrmImport       *import,
        CrmImportResult *result)
{
  g_auto (GStrv) unmapped = crm_import_get_unmapped (import);

  for (guint i = 0; unmapped[i] != NULL; i++)
    g_printerr (_("Column “%s” was not imported: its header names no field\n"), unmapped[i]);
  for (guint i = 0; i < result->bad_rows->len; i++)
    {
      CrmImportBadRow *bad = g_ptr_array_index (result->bad_rows, i);

      g_printerr (_("Line %u: %s: %s\n"), bad->line,
                  crm_import_target_get_label (bad->target), bad->reason);
    }
  g_print (_("%u added, %u updated, %u skipped as duplicates, %u bad\n"),
           result->added, result->updated, result->skipped, result->bad);
}

/**
 * crm_cli_import:
 *
 * `import FILE [--format csv|xlsx|xls|vcf|archive] [--on-duplicate skip|update|keep]`
 */
int
crm_cli_import (CrmCli  *cli,
                int      argc,
                char   **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (CrmStoreLock) lock = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (CrmTable) table = NULL;
  g_autoptr (CrmImport) import = NULL;
  g_autoptr (CrmImportResult) result = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *duplicates = NULL;
  CrmStoreDuplicates policy = CRM_STORE_DUPLICATES_SKIP;
  CrmTableFormat format = CRM_TABLE_FORMAT_AUTO;
  const GOptionEntry entries[] = {
    { "format", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &format_name,
      N_("The file’s format (by its content and name otherwise)"),
      "csv|xlsx|xls|vcf|archive" },
    { "on-duplicate", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &duplicates,
      N_("What becomes of a row whose mobile or e-mail is already there (skip by default)"),
      "skip|update|keep" },
    { NULL }
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Imports contacts from a CSV, Excel, WPS or vCard "
                                           "file, all of them or none."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!crm_cli_parse (context, "import", &argc, &argv))
    return CRM_CLI_EXIT_USAGE;
  if (argc != 2)
    return crm_cli_usage_error ("import", argc < 2 ? _("No file given")
                                                   : _("Give one file at a time"));
  if (g_strcmp0 (format_name, "archive") != 0 && !parse_format (format_name, &format))
    return crm_cli_usage_error ("import", _("Unknown format: give csv, xlsx, xls, vcf or "
                                            "archive"));
  if (duplicates != NULL && !crm_import_duplicates_from_string (duplicates, &policy))
    return crm_cli_usage_error ("import", _("Unknown --on-duplicate: give skip, update or "
                                            "keep"));

  store = crm_cli_open_store (cli, TRUE, &lock, &error);
  if (store == NULL)
    return crm_cli_fail (error);

  file = g_file_new_for_commandline_arg (argv[1]);
  /* an "Export everything" archive: all of it, into an empty store */
  if (g_strcmp0 (format_name, "archive") == 0)
    {
      if (!crm_archive_import (store, file, NULL, &error))
        return crm_cli_fail (error);
      g_print (_("The archive was imported: %u contacts\n"), crm_store_count_contacts (store));
      return CRM_CLI_EXIT_OK;
    }
  table = crm_table_read (file, format, NULL, &error);
  if (table == NULL)
    return crm_cli_fail (error);
  /* a large import into data that is already there: a verified copy first */
  if (table->rows->len > LARGE_IMPORT_ROWS && crm_store_count_contacts (store) > 0)
    {
      g_autofree char *folder = crm_backup_default_dir (cli->data_dir);
      g_autoptr (CrmBackupInfo) copy = crm_backup_file (crm_store_get_path (store), folder,
                                                        "before-import", NULL, &error);

      if (copy == NULL)
        return crm_cli_fail (error);
    }
  import = crm_import_new (table);
  if (!crm_import_run (import, store, policy, NULL, NULL, NULL, &result, &error))
    return crm_cli_fail (error);
  report (import, result);
  return CRM_CLI_EXIT_OK;
}
