/* uscc-check.c — our verdict on unified social credit codes, one a line
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests/unit/uscc-stdnum.py, which compares it with python-stdnum.
 * Reads one code (or 17-character body) a line on stdin and writes, for
 * each, the check character crm_uscc_check_character() gives its first 17
 * characters ("-" when there is none), a space and crm_uscc_validate()'s
 * verdict: "valid", "warning" (a check character fails) or "error N" with
 * N the CrmUsccError code.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "crm-uscc.h"

int
main (int   argc,
      char *argv[])
{
  char line[1024];

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_autoptr (GError) error = NULL;
      gboolean checks_pass = FALSE;
      char check;

      line[strcspn (line, "\r\n")] = '\0';
      check = crm_uscc_check_character (line);
      printf ("%c ", check != '\0' ? check : '-');
      if (!crm_uscc_validate (line, NULL, &checks_pass, &error))
        printf ("error %d\n", error->code);
      else
        printf ("%s\n", checks_pass ? "valid" : "warning");
    }
  return ferror (stdin) ? 1 : 0;
}
