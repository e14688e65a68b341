/* crm-cli-export.c — `xiaohe-crm-cli export FILE [--format csv|xlsx|vcf|archive]
 * [--what contacts|deals|followups|all]`
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format comes from --format, else from FILE's extension (.csv, .xlsx,
 * .vcf, .zip for the archive). `--what all` writes contacts and deals: two
 * sheets of one XLSX, or two CSV files beside FILE (NAME-contacts.csv and
 * NAME-deals.csv); vCard holds contacts only; the archive always holds
 * everything. Export only reads, on a snapshot of the store: no lock, so it
 * works while the app is open. docs/cli.md is the whole command line.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-archive.h"
#include "crm-cli.h"
#include "crm-export.h"

typedef struct
{
  guint done;
} Count;

static void
count_progress (guint    done,
                guint    total,
                gpointer data)
{
  ((Count *)data)->done = done;
}

static gboolean
parse_what (const char    *text,
            CrmExportWhat *what)
{
  if (text == NULL || g_str_equal (text, "contacts"))
    *what = CRM_EXPORT_CONTACTS;
  else if (g_str_equal (text, "deals"))
    *what = CRM_EXPORT_DEALS;
  else if (g_str_equal (text, "followups"))
    *what = CRM_EXPORT_FOLLOWUPS;
  else if (g_str_equal (text, "all"))
    *what = CRM_EXPORT_ALL;
  else
    return FALSE;
  return TRUE;
}

/**
 * crm_cli_export:
 *
 * `export FILE`: see the top of this file.
 */
int
crm_cli_export (CrmCli  *cli,
                int      argc,
                char   **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *what_name = NULL;
  CrmExportFormat format = CRM_EXPORT_FORMAT_CSV;
  CrmExportWhat what = CRM_EXPORT_CONTACTS;
  gboolean archive = FALSE;
  Count count = { 0 };
  const GOptionEntry entries[] = {
    { "format", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &format_name,
      N_("csv, xlsx, vcf or archive (by default from FILE’s extension)"), N_("FORMAT") },
    { "what", 'w', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &what_name,
      N_("contacts (the default), deals, followups or all"), N_("WHAT") },
    { NULL }
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Writes the contacts, deals or follow-ups to a CSV, "
                                           "XLSX or vCard file, or everything to an archive."));
  if (!crm_cli_parse (context, "export", &argc, &argv))
    return CRM_CLI_EXIT_USAGE;
  if (argc != 2)
    return crm_cli_usage_error ("export", _("Give one file to write"));

  if (format_name != NULL)
    archive = g_ascii_strcasecmp (format_name, "archive") == 0;
  else
    archive = g_str_has_suffix (argv[1], ".zip") || g_str_has_suffix (argv[1], ".ZIP");
  if (!archive && !crm_export_format_from_name (format_name ? format_name : argv[1], &format))
    return crm_cli_usage_error ("export", format_name != NULL
                                ? _("Unknown format: use csv, xlsx, vcf or archive")
                                : _("Cannot tell the format from the file name: "
                                    "use --format"));
  if (!parse_what (what_name, &what))
    return crm_cli_usage_error ("export",
                                _("Unknown --what: use contacts, deals, followups or all"));
  if (format == CRM_EXPORT_FORMAT_VCARD && what != CRM_EXPORT_CONTACTS && !archive)
    return crm_cli_usage_error ("export", _("vCard holds contacts only"));

  store = crm_cli_open_store (cli, FALSE, NULL, &error);
  if (store == NULL)
    return crm_cli_fail (error);
  file = g_file_new_for_commandline_arg (argv[1]);
  if (archive ? !crm_archive_export (store, file, count_progress, &count, NULL, &error)
              : !crm_export (store, file, format, what, CRM_EXPORT_FLAGS_NONE, count_progress,
                             &count, NULL, &error))
    return crm_cli_fail (error);
  if (format == CRM_EXPORT_FORMAT_CSV && what == CRM_EXPORT_ALL && !archive)
    {
      g_autoptr (GFile) contacts = crm_export_part_file (file, CRM_EXPORT_CONTACTS);
      g_autoptr (GFile) deals = crm_export_part_file (file, CRM_EXPORT_DEALS);
      g_autofree char *c = g_file_get_parse_name (contacts);
      g_autofree char *d = g_file_get_parse_name (deals);

      /* Translators: the number of records, then the two files written */
      g_print (ngettext ("%u record written to %s and %s\n",
                         "%u records written to %s and %s\n", count.done), count.done, c, d);
    }
  else
    {
      g_autofree char *name = g_file_get_parse_name (file);

      /* Translators: the number of records, then the file written */
      g_print (ngettext ("%u record written to %s\n", "%u records written to %s\n",
                         count.done), count.done, name);
    }
  return CRM_CLI_EXIT_OK;
}
