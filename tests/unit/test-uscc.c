/* test-uscc.c — unified social credit codes, as a table
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-uscc.h"

static void
test_uscc_table (void)
{
  static const struct {
    const char *input;
    const char *normalized;  /* NULL: an error */
    gboolean    checks_pass;
    int         error;
  } cases[] = {
    { "91110000600037341L", "91110000600037341L", TRUE, 0 },
    { "913301087458306077", "913301087458306077", TRUE, 0 },
    /* normalised: lower case, spaces, hyphens, full width */
    { "91110000600037341l", "91110000600037341L", TRUE, 0 },
    { " 9111 0000 6000 3734 1L ", "91110000600037341L", TRUE, 0 },
    { "911100006-00037341L", "91110000600037341L", TRUE, 0 },
    { "９１１１００００６０００３７３４１Ｌ", "91110000600037341L", TRUE, 0 },
    /* a real early code that fails the check: a warning only */
    { "91350100M0001TGQXM", "91350100M0001TGQXM", FALSE, 0 },
    /* wrong check character, wrong organisation check: warnings */
    { "91110000600037341M", "91110000600037341M", FALSE, 0 },
    { "91110000600037342L", "91110000600037342L", FALSE, 0 },
    /* errors */
    { "", NULL, FALSE, CRM_USCC_ERROR_EMPTY },
    { "   ", NULL, FALSE, CRM_USCC_ERROR_EMPTY },
    { "91110000600037341", NULL, FALSE, CRM_USCC_ERROR_LENGTH },
    { "91110000600037341LL", NULL, FALSE, CRM_USCC_ERROR_LENGTH },
    { "9111000060003734IL", NULL, FALSE, CRM_USCC_ERROR_CHARACTER },
    { "9111000060003734OL", NULL, FALSE, CRM_USCC_ERROR_CHARACTER },
    { "9111000060003734SL", NULL, FALSE, CRM_USCC_ERROR_CHARACTER },
    { "9111000060003734VL", NULL, FALSE, CRM_USCC_ERROR_CHARACTER },
    { "9111000060003734ZL", NULL, FALSE, CRM_USCC_ERROR_CHARACTER },
    { "9111000060003734*L", NULL, FALSE, CRM_USCC_ERROR_CHARACTER },
    { "91110000统一信用代码341L", NULL, FALSE, CRM_USCC_ERROR_CHARACTER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *normalized = NULL;
      gboolean checks_pass = !cases[i].checks_pass;
      gboolean ok = crm_uscc_validate (cases[i].input, &normalized, &checks_pass, &error);

      g_test_message ("“%s” -> %s", cases[i].input, ok ? normalized : error->message);
      if (cases[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (normalized, ==, cases[i].normalized);
          g_assert_cmpint (checks_pass, ==, cases[i].checks_pass);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CRM_USCC_ERROR, cases[i].error);
          g_assert_null (normalized);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uscc/table", test_uscc_table);
  return g_test_run ();
}
