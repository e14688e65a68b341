/* crm-cli-backup.c — `xiaohe-crm-cli backup | backups | restore BACKUP | check`
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same verified copies the app makes (crm-store-backup.c), from a
 * terminal:
 *
 *   backup [--folder DIR]    a verified copy now; prints its name and counts
 *   backups [--folder DIR]   one backup a line, newest first: time, reason
 *                            ("-" for a regular copy), contacts, deals,
 *                            outbox, file, tab-separated
 *   restore BACKUP           BACKUP is a file, a name in the backup folder,
 *                            or "latest"; what was there is kept first
 *   check                    PRAGMA integrity_check and the record counts
 *
 * backup takes the folder's writer lock through crm_cli_open_store(), and
 * restore takes the same lock directly (crm_store_lock_acquire): a damaged
 * database does not open as a store, and that is when a restore is needed.
 * So both refuse while the app runs, with the lock's message and nothing
 * changed. check only reads and never creates a file. Exit 0, 1 (with the
 * message on standard error; for check, a damaged file), 2 (usage).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-store-backup.h"

static char *
data_dir_of (CrmCli *cli)
{
  return cli->data_dir ? g_strdup (cli->data_dir) : crm_store_default_data_dir ();
}

static void
print_counts (const gint64 *counts)
{
  for (guint i = 0; i < CRM_BACKUP_N_COUNTS; i++)
    g_print ("%s\t%" G_GINT64_FORMAT "\n", crm_backup_count_name (i), counts[i]);
}

/* a command without arguments but its options */
static gboolean
parse (const char      *command,
       const char      *summary,
       GOptionEntry    *entries,
       int             *argc,
       char          ***argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return crm_cli_parse (context, command, argc, argv);
}

/**
 * crm_cli_backup:
 *
 * `backup [--folder DIR]`
 */
int
crm_cli_backup (CrmCli  *cli,
                int      argc,
                char   **argv)
{
  g_autofree char *folder = NULL;
  g_autofree char *dir = data_dir_of (cli);
  g_autoptr (CrmStoreLock) lock = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (CrmBackupInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  GOptionEntry entries[] = {
    { "folder", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &folder,
      N_("Put the copy in DIR (the data folder’s “backups” by default)"), N_("DIR") },
    { NULL }
  };

  if (!parse ("backup", _("Makes a verified copy of the database."), entries, &argc, &argv))
    return CRM_CLI_EXIT_USAGE;
  if (argc > 1)
    return crm_cli_usage_error ("backup", _("backup takes no arguments"));

  /* a backup never makes a database where there was none */
  if (!crm_store_exists (dir))
    {
      g_set_error (&error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NOT_FOUND,
                   _("There is no database in “%s”"), dir);
      return crm_cli_fail (error);
    }
  store = crm_cli_open_store (cli, TRUE, &lock, &error);
  if (store == NULL)
    return crm_cli_fail (error);
  if (folder == NULL)
    folder = crm_backup_default_dir (dir);
  info = crm_backup_file (crm_store_get_path (store), folder, NULL, NULL, &error);
  if (info == NULL)
    return crm_cli_fail (error);
  g_print ("%s\n", info->path);
  print_counts (info->counts);
  return CRM_CLI_EXIT_OK;
}

/**
 * crm_cli_backups:
 *
 * `backups [--folder DIR]`
 */
int
crm_cli_backups (CrmCli  *cli,
                 int      argc,
                 char   **argv)
{
  g_autofree char *folder = NULL;
  g_autofree char *dir = data_dir_of (cli);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  GOptionEntry entries[] = {
    { "folder", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &folder,
      N_("List the copies in DIR (the data folder’s “backups” by default)"), N_("DIR") },
    { NULL }
  };

  if (!parse ("backups", _("Lists the verified backups, newest first: time, reason, "
                           "contacts, deals, outbox, file, tab-separated."),
              entries, &argc, &argv))
    return CRM_CLI_EXIT_USAGE;
  if (argc > 1)
    return crm_cli_usage_error ("backups", _("backups takes no arguments"));
  if (folder == NULL)
    folder = crm_backup_default_dir (dir);
  list = crm_backup_list (folder, &error);
  if (list == NULL)
    return crm_cli_fail (error);
  for (guint i = 0; i < list->len; i++)
    {
      CrmBackupInfo *info = g_ptr_array_index (list, i);
      g_autoptr (GDateTime) local = g_date_time_to_local (info->time);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");

      g_print ("%s\t%s\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\n",
               when, info->reason ? info->reason : "-",
               info->counts[CRM_BACKUP_COUNT_CONTACTS], info->counts[CRM_BACKUP_COUNT_DEALS],
               info->counts[CRM_BACKUP_COUNT_OUTBOX], info->path);
    }
  return CRM_CLI_EXIT_OK;
}

/* BACKUP as the user named it: "latest", a file, or a name in @folder */
static char *
find_backup (const char  *name,
             const char  *folder,
             GError     **error)
{
  g_autofree char *in_folder = NULL;

  if (g_str_equal (name, "latest"))
    {
      const char *folders[] = { folder, NULL };
      g_autoptr (CrmBackupInfo) latest = crm_backup_latest (folders);

      if (latest != NULL)
        return g_strdup (latest->path);
      g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NOT_FOUND,
                   _("There is no backup in “%s”"), folder);
      return NULL;
    }
  if (g_file_test (name, G_FILE_TEST_IS_REGULAR))
    return g_strdup (name);
  in_folder = g_build_filename (folder, name, NULL);
  if (!strchr (name, G_DIR_SEPARATOR) && g_file_test (in_folder, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&in_folder);
  g_set_error (error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NOT_FOUND,
               _("There is no backup “%s” (see “xiaohe-crm-cli backups”)"), name);
  return NULL;
}

/**
 * crm_cli_restore:
 *
 * `restore BACKUP [--folder DIR]`
 */
int
crm_cli_restore (CrmCli  *cli,
                 int      argc,
                 char   **argv)
{
  g_autofree char *folder = NULL;
  g_autofree char *dir = data_dir_of (cli);
  g_autofree char *path = NULL;
  g_autofree char *kept = NULL;
  g_autoptr (CrmStoreLock) lock = NULL;
  g_autoptr (GError) error = NULL;
  GOptionEntry entries[] = {
    { "folder", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &folder,
      N_("The backup folder (the data folder’s “backups” by default)"), N_("DIR") },
    { NULL }
  };

  if (!parse ("restore", _("Replaces the database with BACKUP (a file, a name from "
                           "“backups”, or “latest”); what was there is kept first."),
              entries, &argc, &argv))
    return CRM_CLI_EXIT_USAGE;
  if (argc != 2)
    return crm_cli_usage_error ("restore", _("Say which backup to restore"));
  if (folder == NULL)
    folder = crm_backup_default_dir (dir);

  lock = crm_store_lock_acquire (cli->data_dir, &error);
  if (lock == NULL)
    return crm_cli_fail (error);
  path = find_backup (argv[1], folder, &error);
  if (path == NULL || !crm_backup_restore (dir, path, folder, &kept, &error))
    return crm_cli_fail (error);
  g_print (_("Restored %s\n"), path);
  if (kept != NULL)
    g_print (_("What was there is kept as %s\n"), kept);
  return CRM_CLI_EXIT_OK;
}

/**
 * crm_cli_check:
 *
 * `check`: exit 0 and the counts when the database is whole, 1 when not
 */
int
crm_cli_check (CrmCli  *cli,
               int      argc,
               char   **argv)
{
  g_autofree char *dir = data_dir_of (cli);
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autoptr (GError) error = NULL;
  gint64 counts[CRM_BACKUP_N_COUNTS];
  GStatBuf st;

  if (!parse ("check", _("Checks the whole database (PRAGMA integrity_check) and prints "
                         "its record counts."), NULL, &argc, &argv))
    return CRM_CLI_EXIT_USAGE;
  if (argc > 1)
    return crm_cli_usage_error ("check", _("check takes no arguments"));
  if (g_stat (path, &st) != 0)
    {
      g_set_error (&error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_NOT_FOUND,
                   _("There is no database in “%s”"), dir);
      return crm_cli_fail (error);
    }
  if (st.st_size == 0)
    {
      g_set_error (&error, CRM_BACKUP_ERROR, CRM_BACKUP_ERROR_DAMAGED,
                   _("The data file “%s” is empty (0 bytes). Restore it with "
                     "“xiaohe-crm-cli restore latest”."), path);
      return crm_cli_fail (error);
    }
  if (!crm_backup_check_file (path, counts, &error))
    {
      g_autoptr (GError) full = g_error_new (error->domain, error->code,
                                             _("%s. Restore it with “xiaohe-crm-cli restore "
                                               "latest”."), error->message);
      return crm_cli_fail (full);
    }
  g_print ("ok\n");
  print_counts (counts);
  return CRM_CLI_EXIT_OK;
}
