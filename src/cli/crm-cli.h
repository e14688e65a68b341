/* crm-cli.h — xiaohe-crm-cli: the app's data from a terminal
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store-lock.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* the exit statuses of ../shared/DESIGN.md */
enum
{
  CRM_CLI_EXIT_OK = 0,
  CRM_CLI_EXIT_FAILED = 1,   /* with a translated message on standard error */
  CRM_CLI_EXIT_USAGE = 2,
};

typedef struct
{
  char *data_dir;            /* --data-dir, or NULL for the app's own folder */
} CrmCli;

/* One command: @argv[0] is the command's name ("import"), the rest its own
 * arguments and options, which it parses itself (a GOptionContext). */
typedef int (*CrmCliCommand) (CrmCli  *cli,
                              int      argc,
                              char   **argv);

CrmStore *crm_cli_open_store  (CrmCli        *cli,
                               gboolean       for_writing,
                               CrmStoreLock **lock_out,
                               GError       **error);
int       crm_cli_fail        (const GError  *error);
int       crm_cli_usage_error (const char    *command,
                               const char    *message);
gboolean  crm_cli_parse       (GOptionContext *context,
                               const char     *command,
                               int            *argc,
                               char         ***argv);

/* the commands, one file each (crm-cli-NAME.c) */
int       crm_cli_export      (CrmCli         *cli,
                               int             argc,
                               char          **argv);
int       crm_cli_import      (CrmCli         *cli,
                               int             argc,
                               char          **argv);
int       crm_cli_search      (CrmCli         *cli,
                               int             argc,
                               char          **argv);

int       crm_cli_backup      (CrmCli         *cli,
                               int             argc,
                               char          **argv);
int       crm_cli_backups     (CrmCli         *cli,
                               int             argc,
                               char          **argv);
int       crm_cli_restore     (CrmCli         *cli,
                               int             argc,
                               char          **argv);
int       crm_cli_check       (CrmCli         *cli,
                               int             argc,
                               char          **argv);

int       crm_cli_main        (int             argc,
                               char          **argv);

G_END_DECLS
