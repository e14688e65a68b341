/* crm-format.c — dates, times, amounts and phone numbers as the person reads them
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
#include <stdlib.h>
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
 * crm_format_date_short:
 * @iso_date: a date as the store keeps it, "2026-12-31"
 * @now: (nullable): the current time, %NULL for the clock's
 *
 * Returns: (transfer full) (nullable): the date in few letters, e.g.
 *   "Dec 31", with the year only when it is not the year of @now:
 *   "Jan 5, 2027"; %NULL when @iso_date is not a date.
 */
char *
crm_format_date_short (const char *iso_date,
                       GDateTime  *now)
{
  g_autoptr (GDateTime) date = NULL;
  g_autoptr (GDateTime) clock = NULL;
  int year, month, day;

  if (iso_date == NULL || strlen (iso_date) != 10 || iso_date[4] != '-' || iso_date[7] != '-')
    return NULL;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso_date[i]))
      return NULL;
  year = atoi (iso_date);
  month = atoi (iso_date + 5);
  day = atoi (iso_date + 8);
  if (year < 1 || month < 1 || month > 12 || !g_date_valid_dmy (day, month, year))
    return NULL;
  date = g_date_time_new_utc (year, month, day, 0, 0, 0);
  if (date == NULL)
    return NULL;
  if (now == NULL)
    now = clock = g_date_time_new_now_local ();
  if (g_date_time_get_year (now) != year)
    return crm_format_date (date);

  /* Translators: a date of this year, as strftime() writes it: "Dec 31" */
  return g_date_time_format (date, _("%b %-d"));
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
 * crm_format_last_followup:
 * @iso8601_utc: (nullable): when a contact was last followed up, as the
 *   store keeps it; %NULL for never
 * @now: the current time, in the time zone the days are counted in
 *
 * Returns: (transfer full): how long ago, in days of the calendar of
 *   @now's zone: "Today", "3 days ago", or "Never followed up" (also for
 *   a time that cannot be read).
 */
char *
crm_format_last_followup (const char *iso8601_utc,
                          GDateTime  *now)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) then = NULL;
  GDate day_then, day_now;
  int days;

  g_return_val_if_fail (now != NULL, NULL);

  if (iso8601_utc != NULL)
    utc = g_date_time_new_from_iso8601 (iso8601_utc, NULL);
  if (utc == NULL)
    return g_strdup (_("Never followed up"));
  then = g_date_time_to_timezone (utc, g_date_time_get_timezone (now));
  g_date_clear (&day_then, 1);
  g_date_clear (&day_now, 1);
  g_date_set_dmy (&day_then, g_date_time_get_day_of_month (then),
                  g_date_time_get_month (then), g_date_time_get_year (then));
  g_date_set_dmy (&day_now, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
  days = g_date_days_between (&day_then, &day_now);
  /* a time ahead of the clock (another computer's) is today too */
  if (days <= 0)
    return g_strdup (_("Followed up today"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", days),
                          days);
}

/* |@fen|; G_MININT64 has no positive twin: go through unsigned */
static guint64
magnitude_of (gint64 fen)
{
  return fen < 0 ? (guint64)(-(fen + 1)) + 1 : (guint64)fen;
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

  magnitude = magnitude_of (fen);

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

/* @magnitude / @unit in tenths, rounded half up, as "8,289.2" */
static void
append_tenths (GString *out,
               guint64  magnitude,
               guint64  unit)
{
  guint64 tenths = magnitude / (unit / 10) + (magnitude % (unit / 10) >= unit / 20 ? 1 : 0);

  /* Translators: the separator between groups of three digits in amounts */
  append_grouped (out, tenths / 10, _(","));
  /* Translators: the separator of the fractional part of amounts: 12,345.67 */
  g_string_append_printf (out, "%s%u", _("."), (guint)(tenths % 10));
}

/**
 * crm_format_money_short:
 * @fen: an amount in 分
 *
 * Returns: (transfer full): a CNY amount as a header shows it. Where the
 *   language counts in 万 and 亿 (Chinese): from 1亿 in 亿 with one
 *   decimal, "¥82.9亿", from 1万 in 万 with one decimal, "¥8,289.2万",
 *   below exactly, "¥9,999.99". Elsewhere exactly: "¥82,892,004.97".
 */
char *
crm_format_money_short (gint64 fen)
{
  /* Translators: the unit of 10⁸ in short amounts (¥82.9亿); keep "-" if
   * your language writes large amounts in full */
  const char *yi = C_("short amount", "-");
  /* Translators: the unit of 10⁴ in short amounts (¥8,289.2万); keep "-" if
   * your language writes large amounts in full */
  const char *wan = C_("short amount ten thousand", "-");
  const guint64 fen_per_yi = G_GUINT64_CONSTANT (10000000000);
  const guint64 fen_per_wan = G_GUINT64_CONSTANT (1000000);
  g_autoptr (GString) out = NULL;
  guint64 magnitude;
  guint64 unit;
  const char *suffix;

  magnitude = magnitude_of (fen);
  if (g_str_equal (yi, "-") || g_str_equal (wan, "-"))
    return crm_format_money (fen, "CNY");

  /* 9,999.96万 rounds to 10,000.0万: say 1.0亿 instead */
  if (magnitude >= fen_per_yi - fen_per_wan / 20)
    unit = fen_per_yi, suffix = yi;
  else if (magnitude >= fen_per_wan)
    unit = fen_per_wan, suffix = wan;
  else
    return crm_format_money (fen, "CNY");

  out = g_string_new (fen < 0 ? "-¥" : "¥");
  append_tenths (out, magnitude, unit);
  g_string_append (out, suffix);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * crm_format_money_edit:
 * @fen: an amount in 分
 *
 * Returns: (transfer full): the amount as a person types it into the amount
 *   field, without the currency: "17,571.00", "-0.05". crm_money_parse()
 *   reads it back to @fen.
 */
char *
crm_format_money_edit (gint64 fen)
{
  g_autoptr (GString) out = g_string_new (NULL);
  guint64 magnitude = magnitude_of (fen);

  if (fen < 0)
    g_string_append_c (out, '-');
  /* the separators of the parser (crm-money.c), not translated: it reads
   * these in every language */
  append_grouped (out, magnitude / 100, ",");
  g_string_append_printf (out, ".%02u", (guint)(magnitude % 100));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
all_digits (const char *text,
            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return len > 0;
}

/**
 * crm_format_phone:
 * @canonical: (nullable): a phone number in the form the store keeps it
 *   (crm-phone.c)
 *
 * Returns: (transfer full) (nullable): the number grouped as people read
 *   it: "138 1234 5678", "010-6234 5678", "021-555 1234", with an
 *   extension after a hyphen, "021-6123 4567-8001". 400 numbers, service
 *   numbers, international numbers and anything unexpected are shown as
 *   stored. crm_phone_normalize() reads the result back to @canonical.
 */
char *
crm_format_phone (const char *canonical)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) out = NULL;
  guint n_parts;
  guint rest;
  gsize len0, len1;

  if (canonical == NULL)
    return NULL;
  if (*canonical == '\0')
    return g_strdup (canonical);
  parts = g_strsplit (canonical, "-", -1);
  n_parts = g_strv_length (parts);
  for (guint i = 0; i < n_parts; i++)
    if (!all_digits (parts[i], strlen (parts[i])))
      return g_strdup (canonical);

  len0 = strlen (parts[0]);
  len1 = n_parts > 1 ? strlen (parts[1]) : 0;
  out = g_string_new (NULL);
  if (len0 == 11 && parts[0][0] == '1')
    {
      /* mobile: 138 1234 5678 */
      g_string_append_printf (out, "%.3s %.4s %.4s", parts[0], parts[0] + 3, parts[0] + 7);
      rest = 1;
    }
  else if (parts[0][0] == '0' && (len0 == 3 || len0 == 4) && (len1 == 7 || len1 == 8))
    {
      /* landline: 010-6234 5678, 021-555 1234 */
      gsize head = len1 - 4;

      g_string_append_printf (out, "%s-%.*s %s", parts[0], (int)head, parts[1],
                              parts[1] + head);
      rest = 2;
    }
  else
    return g_strdup (canonical);

  for (guint i = rest; i < n_parts; i++)
    g_string_append_printf (out, "-%s", parts[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
