/* test-format.c — dates and times in the language of the interface
 *
 * Run twice by meson: with LANGUAGE=en and with LANGUAGE=zh_CN (the
 * catalogue from the build tree).
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "crm-format.h"

static gboolean
chinese (void)
{
  return g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "zh");
}

static void
test_format_timestamp (void)
{
  g_autoptr (GTimeZone) beijing = g_time_zone_new_identifier ("+08:00");
  g_autofree char *text = crm_format_timestamp ("2026-11-24T09:03:07.123456Z", beijing);
  g_autofree char *bad = crm_format_timestamp ("yesterday", beijing);

  /* UTC 09:03 is 17:03 in Beijing */
  g_assert_cmpstr (text, ==, chinese () ? "2026年11月24日 17:03" : "Nov 24, 2026, 17:03");
  g_assert_null (bad);
}

static void
test_format_date (void)
{
  g_autoptr (GDateTime) date = g_date_time_new_utc (2027, 1, 5, 0, 0, 0);
  g_autofree char *text = crm_format_date (date);

  g_assert_cmpstr (text, ==, chinese () ? "2027年1月5日" : "Jan 5, 2027");
}

static void
test_format_money (void)
{
  static const struct { gint64 fen; const char *currency; const char *text; } cases[] = {
    { 0, "CNY", "¥0.00" },
    { 5, "CNY", "¥0.05" },
    { 1234567, "CNY", "¥12,345.67" },
    { 100000000, "CNY", "¥1,000,000.00" },
    { -5, "CNY", "-¥0.05" },
    { -123456789, "CNY", "-¥1,234,567.89" },
    { 100000, "USD", "USD 1,000.00" },
    { G_MAXINT64, "CNY", "¥92,233,720,368,547,758.07" },
    { G_MININT64, "CNY", "-¥92,233,720,368,547,758.08" },
  };

  /* zh_CN and en group alike; the test runs in both */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_format_money (cases[i].fen, cases[i].currency);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_count (void)
{
  static const struct { guint n; const char *text; } cases[] = {
    { 0, "0" },
    { 999, "999" },
    { 1000, "1,000" },
    { 49999, "49,999" },
    { 100000, "100,000" },
    { G_MAXUINT, "4,294,967,295" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_format_count (cases[i].n);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("XIAOHE_CRM_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/timestamp", test_format_timestamp);
  g_test_add_func ("/format/date", test_format_date);
  g_test_add_func ("/format/money", test_format_money);
  g_test_add_func ("/format/count", test_format_count);
  return g_test_run ();
}
