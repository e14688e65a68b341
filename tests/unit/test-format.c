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
#include "crm-money.h"
#include "crm-validate.h"

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

/* "3 days ago" in the contact list: calendar days of the zone of now */
static void
test_format_last_followup (void)
{
  g_autoptr (GTimeZone) beijing = g_time_zone_new_identifier ("+08:00");
  g_autoptr (GDateTime) now = g_date_time_new (beijing, 2026, 11, 29, 10, 0, 0);
  /* 11-27 00:30 in Beijing, though still 11-26 in UTC */
  g_autofree char *two = crm_format_last_followup ("2026-11-26T16:30:00Z", now);
  g_autofree char *one = crm_format_last_followup ("2026-11-28T15:59:59Z", now);
  g_autofree char *today = crm_format_last_followup ("2026-11-28T16:00:00Z", now);
  g_autofree char *ahead = crm_format_last_followup ("2026-12-01T00:00:00Z", now);
  g_autofree char *never = crm_format_last_followup (NULL, now);
  g_autofree char *bad = crm_format_last_followup ("yesterday", now);

  g_assert_cmpstr (two, ==, chinese () ? "2天前" : "2 days ago");
  g_assert_cmpstr (one, ==, chinese () ? "1天前" : "1 day ago");
  g_assert_cmpstr (today, ==, chinese () ? "今天已跟进" : "Followed up today");
  g_assert_cmpstr (ahead, ==, today);
  g_assert_cmpstr (never, ==, chinese () ? "从未跟进" : "Never followed up");
  g_assert_cmpstr (bad, ==, never);
}

static void
test_format_date (void)
{
  g_autoptr (GDateTime) date = g_date_time_new_utc (2027, 1, 5, 0, 0, 0);
  g_autofree char *text = crm_format_date (date);

  g_assert_cmpstr (text, ==, chinese () ? "2027年1月5日" : "Jan 5, 2027");
}

static void
test_format_date_short (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_utc (2026, 11, 29, 12, 0, 0);
  g_autoptr (GDateTime) new_year = g_date_time_new_utc (2027, 1, 1, 0, 0, 0);
  g_autofree char *this_year = crm_format_date_short ("2026-12-31", now);
  g_autofree char *next_year = crm_format_date_short ("2027-01-05", now);
  g_autofree char *last_year = crm_format_date_short ("2026-12-31", new_year);
  g_autofree char *clock = crm_format_date_short ("2026-12-31", NULL);
  const char *bad[] = { NULL, "", "2026-1-5", "2026-13-01", "2026-02-30", "2026-12-31T00:00",
                        " 2026-1-05", "yesterday" };

  g_assert_cmpstr (this_year, ==, chinese () ? "12月31日" : "Dec 31");
  g_assert_cmpstr (next_year, ==, chinese () ? "2027年1月5日" : "Jan 5, 2027");
  g_assert_cmpstr (last_year, ==, chinese () ? "2026年12月31日" : "Dec 31, 2026");
  g_assert_nonnull (clock);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = crm_format_date_short (bad[i], now);

      g_assert_null (text);
    }
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

static void
test_format_phone (void)
{
  static const struct { const char *canonical; const char *text; } cases[] = {
    { "13812345678", "138 1234 5678" },
    { "010-62345678", "010-6234 5678" },
    { "0755-88886666", "0755-8888 6666" },
    { "021-5551234", "021-555 1234" },
    { "0755-8888666", "0755-888 8666" },
    { "021-61234567-8001", "021-6123 4567-8001" },
    { "0755-8888666-1", "0755-888 8666-1" },
    { "13812345678-12", "138 1234 5678-12" },
    { "400-123-4567", "400-123-4567" },
    { "400-123-4567-89", "400-123-4567-89" },
    { "95588", "95588" },
    { "+442079460958", "+442079460958" },
    { "+442079460958-12", "+442079460958-12" },
    { "", "" },
    { "not a number", "not a number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_format_phone (cases[i].canonical);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_null (crm_format_phone (NULL));
}

/* Every canonical form of the validation tables (test-validate.c) goes
 * through the display form and back unchanged: the editor may show it. */
static void
test_format_phone_fixed_point (void)
{
  static const char *mobiles[] = {
    "13812345678", "19912345678", "16612345678", "+16502530000", "+442079460958",
    "+85291234567", "13800138000", "14712345678",
  };
  static const char *phones[] = {
    "010-12345678", "021-5555123", "0755-88888888", "0571-87654321",
    "010-12345678-801", "400-123-4567", "13812345678", "+16502530000",
    "+442079460958-12", "0755-8888666-1", "400-123-4567-89", "+11126345677-801",
    "021-61234567-8001", "0755-88888888-123", "010-62345678", "021-61234567",
    "0755-88888888-8001", "95588", "12315", "12345", "10086", "0755-8888666",
  };

  for (guint i = 0; i < G_N_ELEMENTS (mobiles) + G_N_ELEMENTS (phones); i++)
    {
      gboolean mobile = i < G_N_ELEMENTS (mobiles);
      const char *canonical = mobile ? mobiles[i] : phones[i - G_N_ELEMENTS (mobiles)];
      g_autofree char *shown = crm_format_phone (canonical);
      g_autofree char *back = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_true (crm_validate_field (mobile ? CRM_CONTACT_FIELD_MOBILE
                                                : CRM_CONTACT_FIELD_PHONE,
                                         shown, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (back, ==, canonical);
    }
}

static void
test_format_money_short (void)
{
  static const struct { gint64 fen; const char *zh; const char *en; } cases[] = {
    { 0, "¥0.00", "¥0.00" },
    { 999999, "¥9,999.99", "¥9,999.99" },
    { 1000000, "¥1.0万", "¥10,000.00" },
    { 1234567, "¥1.2万", "¥12,345.67" },
    { 1250000, "¥1.3万", "¥12,500.00" },
    { 8289200497, "¥8,289.2万", "¥82,892,004.97" },
    { 9999949999, "¥9,999.9万", "¥99,999,499.99" },
    { 9999950000, "¥1.0亿", "¥99,999,500.00" },
    { 828920049700, "¥82.9亿", "¥8,289,200,497.00" },
    { -1234567, "-¥1.2万", "-¥12,345.67" },
    { G_MAXINT64, "¥922,337,203.7亿", "¥92,233,720,368,547,758.07" },
    { G_MININT64, "-¥922,337,203.7亿", "-¥92,233,720,368,547,758.08" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_format_money_short (cases[i].fen);
      g_assert_cmpstr (text, ==, chinese () ? cases[i].zh : cases[i].en);
    }
}

static void
test_format_money_edit (void)
{
  static const struct { gint64 fen; const char *text; } cases[] = {
    { 0, "0.00" },
    { 5, "0.05" },
    { 1757100, "17,571.00" },
    { 100000000, "1,000,000.00" },
    { -123456789, "-1,234,567.89" },
  };
  static const gint64 edges[] = { 0, 1, 99, 100, 101, 99999, 100000, 1757100, -1, -100,
                                  G_MAXINT64 / 10, G_MAXINT64, G_MININT64 + 1 };
  gint64 x = 1;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_format_money_edit (cases[i].fen);
      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* parse (format_for_edit (x)) == x: the edges, then every power of ten
   * and a spread of values between them */
  for (guint i = 0; i < G_N_ELEMENTS (edges) + 19 * 7; i++)
    {
      gint64 fen;
      g_autofree char *text = NULL;
      g_autoptr (GError) error = NULL;
      gint64 back = -42;

      if (i < G_N_ELEMENTS (edges))
        fen = edges[i];
      else
        {
          guint k = (i - G_N_ELEMENTS (edges)) % 7;

          if (k == 0 && i > G_N_ELEMENTS (edges))
            x *= 10;
          fen = x * (k + 1) + (gint64)k * 37;
          if (k % 2)
            fen = -fen;
        }
      text = crm_format_money_edit (fen);
      g_assert_true (crm_money_parse (text, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, fen);
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
  g_test_add_func ("/format/last-followup", test_format_last_followup);
  g_test_add_func ("/format/money", test_format_money);
  g_test_add_func ("/format/count", test_format_count);
  g_test_add_func ("/format/phone", test_format_phone);
  g_test_add_func ("/format/phone-fixed-point", test_format_phone_fixed_point);
  g_test_add_func ("/format/money-short", test_format_money_short);
  g_test_add_func ("/format/money-edit", test_format_money_edit);
  g_test_add_func ("/format/date-short", test_format_date_short);
  return g_test_run ();
}
