/* crm-format.c — dates and times as the person reads them
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store keeps UTC ISO 8601; people read local time in their language's
 * own shape: 2026年11月24日 17:03, Nov 24, 2026, 17:03. The shapes are
 * translatable strftime formats, as GNOME apps do, so that they follow the
 * language of the interface even where no locale for it is generated.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-format.h"

/**
 * crm_format_date:
 *
 * Returns: (transfer full): the date of @date_time, e.g. "Nov 24, 2026".
 */
char *
crm_format_date (GDateTime *date_time)
{
  g_return_val_if_fail (date_time != NULL, NULL);

  /* Translators: a date, as strftime() writes it: "Nov 24, 2026" */
  return g_date_time_format (date_time, _("%b %-d, %Y"));
}

/**
 * crm_format_timestamp:
 * @iso8601_utc: a time as the store keeps it
 * @zone: (nullable): the time zone to show it in, %NULL for the local one
 *
 * Returns: (transfer full) (nullable): the date and time in @zone, e.g.
 *   "Nov 24, 2026, 17:03"; %NULL when @iso8601_utc is not a time.
 */
char *
crm_format_timestamp (const char *iso8601_utc,
                      GTimeZone  *zone)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GTimeZone) local_zone = NULL;

  if (iso8601_utc == NULL)
    return NULL;
  utc = g_date_time_new_from_iso8601 (iso8601_utc, NULL);
  if (utc == NULL)
    return NULL;
  if (zone == NULL)
    zone = local_zone = g_time_zone_new_local ();
  local = g_date_time_to_timezone (utc, zone);

  /* Translators: a date and a time, as strftime() writes it: "Nov 24, 2026, 17:03" */
  return g_date_time_format (local, _("%b %-d, %Y, %H:%M"));
}

/**
 * crm_format_money:
 * @fen: an amount in the currency's smallest unit (分 for CNY)
 * @currency: an ISO 4217 code; "CNY" shows as ¥
 *
 * Returns: (transfer full): the amount with its sign and the grouping of
 *   the interface's language: "¥12,345.67", "-¥0.05", "USD 1,000.00".
 *   Integer arithmetic only: no amount passes through floating point.
 */
static void
append_grouped (GString    *out,
                guint64     value,
                const char *group)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  guint len = strlen (digits);

  for (guint i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, group);
      g_string_append_c (out, digits[i]);
    }
}

/**
 * crm_format_count:
 *
 * Returns: (transfer full): @n with the grouping of amounts: "100,000".
 */
char *
crm_format_count (guint n)
{
  GString *out = g_string_new (NULL);

  /* the same separator as in amounts (translated there) */
  append_grouped (out, n, _(","));
  return g_string_free (out, FALSE);
}

char *
crm_format_money (gint64      fen,
                  const char *currency)
{
  /* Translators: the separator between groups of three digits in amounts:
   * 12,345.67 */
  const char *group = _(",");
  /* Translators: the separator of the fractional part of amounts: 12,345.67 */
  const char *decimal = _(".");
  g_autoptr (GString) out = g_string_new (NULL);
  guint64 magnitude;

  g_return_val_if_fail (currency != NULL, NULL);

  /* G_MININT64 has no positive twin: go through unsigned */
  magnitude = fen < 0 ? (guint64)(-(fen + 1)) + 1 : (guint64)fen;

  if (fen < 0)
    g_string_append_c (out, '-');
  if (g_str_equal (currency, "CNY"))
    g_string_append (out, "¥");
  else
    g_string_append_printf (out, "%s ", currency);

  append_grouped (out, magnitude / 100, group);
  g_string_append_printf (out, "%s%02u", decimal, (guint)(magnitude % 100));
  return g_string_free (g_steal_pointer (&out), FALSE);
}
