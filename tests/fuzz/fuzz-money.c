/* fuzz-money.c — crm_money_parse () on any bytes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Property: an amount that parses, formatted as the app shows it, parses
 * back to the same number of fen.
 */
#include "config.h"

#include "crm-format.h"
#include "crm-money.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_string (data, size);
  g_autofree char *shown = NULL;
  g_autoptr (GError) error = NULL;
  gint64 fen = 0;
  gint64 again = 0;

  fuzz_init ();
  if (!crm_money_parse (text, &fen, &error))
    {
      if (error == NULL || error->domain != CRM_MONEY_ERROR)
        fuzz_fail ("crm_money_parse refused without a CRM_MONEY_ERROR");
      return 0;
    }

  shown = crm_format_money (fen, "CNY");
  g_clear_error (&error);
  if (!crm_money_parse (shown, &again, &error) || again != fen)
    {
      g_autofree char *e_text = fuzz_escape (text);
      g_autofree char *e_shown = fuzz_escape (shown);

      fuzz_fail ("\"%s\" parses to %" G_GINT64_FORMAT " fen, shown as \"%s\", which %s %"
                 G_GINT64_FORMAT, e_text, fen, e_shown,
                 error != NULL ? error->message : "parses to", again);
    }
  return 0;
}
