/* test-money.c — amounts as typed, to fen
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crm-money.h"

static void
test_money_parse (void)
{
  static const struct { const char *text; gint64 fen; int error; } cases[] = {
    { "12345", 1234500, -1 },
    { "12,345.67", 1234567, -1 },
    { "¥12,345.67", 1234567, -1 },
    { "￥1,000", 100000, -1 },
    { "RMB 500", 50000, -1 },
    { "cny 500.5", 50050, -1 },
    { "12元", 1200, -1 },
    { "1.2万", 1200000, -1 },
    { "1.5万元", 1500000, -1 },
    { "3亿", 30000000000, -1 },
    { "0.000001亿", 10000, -1 },
    { "1.234567万", 1234567, -1 },
    { "-50", -5000, -1 },
    { "¥-50", -5000, -1 },
    { "１２３．４", 12340, -1 },
    { " 1 234 ", 123400, -1 },
    { "0.05", 5, -1 },
    { ".5", 50, -1 },
    { "1,234,567.8", 123456780, -1 },
    { "92233720368547758.07", G_MAXINT64, -1 },
    { "-92233720368547758.07", -G_MAXINT64, -1 },
    { "", 0, CRM_MONEY_ERROR_EMPTY },
    { "   ", 0, CRM_MONEY_ERROR_EMPTY },
    { "abc", 0, CRM_MONEY_ERROR_INVALID },
    { "12,34", 0, CRM_MONEY_ERROR_INVALID },
    { "1,2345", 0, CRM_MONEY_ERROR_INVALID },
    { "1234,567", 0, CRM_MONEY_ERROR_INVALID },
    { "12,345,67", 0, CRM_MONEY_ERROR_INVALID },
    { "12.", 0, CRM_MONEY_ERROR_INVALID },
    { "1.2.3", 0, CRM_MONEY_ERROR_INVALID },
    { "1e5", 0, CRM_MONEY_ERROR_INVALID },
    { "--5", 0, CRM_MONEY_ERROR_INVALID },
    { "12万亿", 0, CRM_MONEY_ERROR_INVALID },
    { "万", 0, CRM_MONEY_ERROR_INVALID },
    { "$12", 0, CRM_MONEY_ERROR_INVALID },
    { "0.001", 0, CRM_MONEY_ERROR_PRECISION },
    { "1.0000001万", 0, CRM_MONEY_ERROR_PRECISION },
    { "92233720368547758.08", 0, CRM_MONEY_ERROR_OVERFLOW },
    { "99999999999亿", 0, CRM_MONEY_ERROR_OVERFLOW },
    { "1000000000000000000000000000000", 0, CRM_MONEY_ERROR_OVERFLOW },
    /* issue 9: bytes that are not UTF-8, whole or cut short, anywhere */
    { "\xef", 0, CRM_MONEY_ERROR_ENCODING },
    { "\xe5\xb9", 0, CRM_MONEY_ERROR_ENCODING },
    { "\xff", 0, CRM_MONEY_ERROR_ENCODING },
    { "12\xef", 0, CRM_MONEY_ERROR_ENCODING },
    { "12\xe4\xb8", 0, CRM_MONEY_ERROR_ENCODING },      /* 万 cut short */
    { "\xa3\xa4" "12", 0, CRM_MONEY_ERROR_ENCODING },   /* ￥ in GBK */
    { "12\xcd\xf2", 0, CRM_MONEY_ERROR_ENCODING },      /* 万 in GBK */
    { "\xc0\xb1", 0, CRM_MONEY_ERROR_ENCODING },        /* an overlong "1" */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *escaped = g_utf8_validate (cases[i].text, -1, NULL)
                                 ? g_strdup (cases[i].text) : g_strescape (cases[i].text, NULL);
      gint64 fen = 12345;
      gboolean ok = crm_money_parse (cases[i].text, &fen, &error);

      g_test_message ("“%s” -> %s %" G_GINT64_FORMAT, escaped,
                      ok ? "ok" : error->message, fen);
      if (cases[i].error < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (fen, ==, cases[i].fen);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CRM_MONEY_ERROR, cases[i].error);
          g_assert_cmpint (fen, ==, 12345); /* untouched */
        }
    }
}

/* Far more than any amount is refused by its length, whatever it holds */
static void
test_money_huge (void)
{
  gsize size = 1024 * 1024;
  g_autofree char *text = g_malloc (size + 1);
  g_autoptr (GError) error = NULL;
  gint64 fen = 12345;

  /* blanks, then an amount: dropping the blanks would leave 5 yuan */
  memset (text, ' ', size);
  text[size - 1] = '5';
  text[size] = '\0';
  g_assert_false (crm_money_parse (text, &fen, &error));
  g_assert_error (error, CRM_MONEY_ERROR, CRM_MONEY_ERROR_TOO_LONG);
  g_assert_cmpint (fen, ==, 12345);
  g_clear_error (&error);

  /* a megabyte of cut sequences */
  for (gsize i = 0; i < size; i++)
    text[i] = i % 2 ? '\xb9' : '\xe5';
  g_assert_false (crm_money_parse (text, &fen, &error));
  g_assert_error (error, CRM_MONEY_ERROR, CRM_MONEY_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* the longest accepted is still parsed */
  memset (text, ' ', 256);
  text[255] = '5';
  text[256] = '\0';
  g_assert_true (crm_money_parse (text, &fen, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fen, ==, 500);
}

static void
test_money_messages (void)
{
  g_autoptr (GError) error = NULL;
  gint64 fen = 0;

  g_assert_false (crm_money_parse ("12\xe4\xb8", &fen, &error));
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "UTF-8"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/money/parse", test_money_parse);
  g_test_add_func ("/money/huge", test_money_huge);
  g_test_add_func ("/money/messages", test_money_messages);
  return g_test_run ();
}
