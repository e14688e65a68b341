/* main.c — xiaohe-crm-cli: the app's data from a terminal; the whole command
 * line is crm_cli_main () in crm-cli.c
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "crm-cli.h"

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("XIAOHE_CRM_LOCALEDIR"); /* a build tree's */

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return crm_cli_main (argc, argv);
}
