/* fuzz-deal-date.c — crm_deal_parse_date () on any bytes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Properties: an accepted date is "" or a day of the calendar as
 * YYYY-MM-DD, and that form parses back to itself.
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "crm-deal.h"
#include "fuzz-common.h"

static gboolean
is_iso_day (const char *iso)
{
  guint year, month, day;
  char end;

  if (strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso[i]))
      return FALSE;
  if (sscanf (iso, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3)
    return FALSE;
  return year >= 1 && month >= 1 && month <= 12 && day >= 1
         && g_date_valid_dmy (day, month, year);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_string (data, size);
  g_autofree char *iso = NULL;
  g_autofree char *again = NULL;
  g_autoptr (GError) error = NULL;

  fuzz_init ();
  if (!crm_deal_parse_date (text, &iso, &error))
    {
      if (error == NULL)
        fuzz_fail ("crm_deal_parse_date refused without an error");
      return 0;
    }
  if (iso == NULL || (*iso != '\0' && !is_iso_day (iso)))
    {
      g_autofree char *e_text = fuzz_escape (text);
      g_autofree char *e_iso = fuzz_escape (iso);

      fuzz_fail ("\"%s\" accepted as \"%s\", not a day as YYYY-MM-DD", e_text, e_iso);
    }
  if (!crm_deal_parse_date (iso, &again, &error) || g_strcmp0 (again, iso) != 0)
    {
      g_autofree char *e_text = fuzz_escape (text);
      g_autofree char *e_iso = fuzz_escape (iso);
      g_autofree char *e_again = fuzz_escape (again);

      fuzz_fail ("\"%s\" accepted as \"%s\", which %s \"%s\"", e_text, e_iso,
                 error != NULL ? error->message : "parses as", e_again);
    }
  return 0;
}
