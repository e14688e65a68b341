/* crm-cli.c — xiaohe-crm-cli's command line: global options, dispatch, and
 * what every command shares (opening the store, errors, exit statuses)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The command line is a contract (../shared/DESIGN.md, "The command line of
 * the app's data"): `xiaohe-crm-cli [--data-dir DIR] COMMAND ...`, exit 0 on
 * success, 1 with a translated message on standard error, 2 for a usage error.
 * Global options stop at the command's name (strict POSIX parsing); each
 * command parses the rest with its own GOptionContext, so `COMMAND --help`
 * says what that command takes.
 *
 * A command that writes takes the data folder's lock first (crm-store-lock.c),
 * so it refuses to run while the app has the store open, and changes nothing.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "crm-cli.h"

typedef struct
{
  const char    *name;
  CrmCliCommand  run;
} CrmCliEntry;

/* each command's file adds its line here */
static const CrmCliEntry commands[] = {
  { "export", crm_cli_export },
  { "import", crm_cli_import },
  { "search", crm_cli_search },
  { "backup", crm_cli_backup },
  { "backups", crm_cli_backups },
  { "restore", crm_cli_restore },
  { "check", crm_cli_check },
  { NULL, NULL },
};

static const char *
usage_text (void)
{
  return _("Commands:\n"
           "  import FILE [--format csv|xlsx|xls|vcf|archive] "
           "[--on-duplicate skip|update|keep]\n"
           "  export FILE [--format csv|xlsx|vcf|archive] [--what contacts|deals|all]\n"
           "  search QUERY\n"
           "  backup | backups | restore BACKUP | check\n");
}

/**
 * crm_cli_open_store:
 * @for_writing: take the folder's lock first (refused while the app runs)
 * @lock_out: (out) (optional): the lock, held until released by the caller
 *
 * Returns: (transfer full) (nullable): the store of the CLI's data folder
 */
CrmStore *
crm_cli_open_store (CrmCli        *cli,
                    gboolean       for_writing,
                    CrmStoreLock **lock_out,
                    GError       **error)
{
  g_autoptr (CrmStoreLock) lock = NULL;
  CrmStore *store;

  if (for_writing)
    {
      lock = crm_store_lock_acquire (cli->data_dir, error);
      if (lock == NULL)
        return NULL;
    }
  store = crm_store_open (cli->data_dir, error);
  if (store == NULL)
    return NULL;
  if (lock_out != NULL)
    *lock_out = g_steal_pointer (&lock);
  return store;
}

/**
 * crm_cli_fail:
 *
 * Prints @error's (translated) message on standard error.
 *
 * Returns: %CRM_CLI_EXIT_FAILED
 */
int
crm_cli_fail (const GError *error)
{
  g_printerr ("xiaohe-crm-cli: %s\n", error ? error->message : _("Failed"));
  return CRM_CLI_EXIT_FAILED;
}

/**
 * crm_cli_usage_error:
 * @command: (nullable): the command, or %NULL for the whole program
 *
 * Returns: %CRM_CLI_EXIT_USAGE
 */
int
crm_cli_usage_error (const char *command,
                     const char *message)
{
  if (command != NULL)
    g_printerr ("xiaohe-crm-cli %s: %s\n", command, message);
  else
    g_printerr ("xiaohe-crm-cli: %s\n", message);
  g_printerr (_("Try “xiaohe-crm-cli --help”.\n"));
  return CRM_CLI_EXIT_USAGE;
}

/**
 * crm_cli_parse:
 *
 * Parses a command's options; prints a usage error on failure.
 *
 * Returns: %TRUE when the options parsed
 */
gboolean
crm_cli_parse (GOptionContext   *context,
               const char       *command,
               int              *argc,
               char           ***argv)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      crm_cli_usage_error (command, error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * crm_cli_main:
 *
 * The whole command line (main.c only sets up the locale).
 *
 * Returns: the exit status
 */
int
crm_cli_main (int    argc,
              char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autofree char *data_dir = NULL;
  gboolean version = FALSE;
  CrmCli cli = { NULL };
  const GOptionEntry entries[] = {
    { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &data_dir,
      N_("The folder of the data (the app’s own by default)"), N_("DIR") },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Xiaohe CRM’s data from a terminal."));
  g_option_context_set_description (context, usage_text ());
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, TRUE);
  if (!crm_cli_parse (context, NULL, &argc, &argv))
    return CRM_CLI_EXIT_USAGE;

  if (version)
    {
      g_print ("xiaohe-crm-cli %s\n", PACKAGE_VERSION);
      return CRM_CLI_EXIT_OK;
    }
  if (argc < 2)
    return crm_cli_usage_error (NULL, _("No command given"));

  cli.data_dir = data_dir;
  for (const CrmCliEntry *e = commands; e->name != NULL; e++)
    if (g_str_equal (e->name, argv[1]))
      return e->run (&cli, argc - 1, argv + 1);

  {
    g_autofree char *message = g_strdup_printf (_("Unknown command “%s”"), argv[1]);
    return crm_cli_usage_error (NULL, message);
  }
}
