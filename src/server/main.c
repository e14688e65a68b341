/* main.c — xiaohe-crm-server: the team's sync server (docs/server.md); the
 * whole command line is crm_server_main () in libcrm-server
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "crm-server-commands.h"

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("XIAOHE_CRM_LOCALEDIR"); /* a build tree's */

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return crm_server_main (argc, argv);
}
