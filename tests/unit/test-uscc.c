/* test-uscc.c — unified social credit codes, as a table
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

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
    /* the structure of GB 32100, each code with both check characters right */
    { "11100000600037341Q", "11100000600037341Q", TRUE, 0 },  /* central level */
    { "A1110000600037341K", "A1110000600037341K", TRUE, 0 },
    { "N31100006000373411", "N31100006000373411", TRUE, 0 },
    { "Y1110000600037341Y", "Y1110000600037341Y", TRUE, 0 },
    { "591100006000373410", "591100006000373410", TRUE, 0 },
    { "92440300600037341H", "92440300600037341H", TRUE, 0 },
    { "93820000600037341H", "93820000600037341H", TRUE, 0 },  /* Macao */
    /* issue 9: both check characters agree, nothing else does */
    { "PNNAX890PQKXRLYY2M", NULL, FALSE, CRM_USCC_ERROR_AUTHORITY },
    { "B1110000600037341J", NULL, FALSE, CRM_USCC_ERROR_AUTHORITY },
    { "94110000600037341B", NULL, FALSE, CRM_USCC_ERROR_TYPE },  /* 9: 1, 2, 3 */
    { "Y2110000600037341U", NULL, FALSE, CRM_USCC_ERROR_TYPE },  /* Y: 1 */
    { "54110000600037341F", NULL, FALSE, CRM_USCC_ERROR_TYPE },  /* 5: 1, 2, 3, 9 */
    { "91A100006000373411", NULL, FALSE, CRM_USCC_ERROR_REGION },  /* not a digit */
    { "91110A006000373418", NULL, FALSE, CRM_USCC_ERROR_REGION },
    { "91910000600037341A", NULL, FALSE, CRM_USCC_ERROR_REGION },  /* first digit 9 */
    { "91010000600037341X", NULL, FALSE, CRM_USCC_ERROR_REGION },  /* first digit 0 */
    { "91190000600037341M", NULL, FALSE, CRM_USCC_ERROR_REGION },  /* no province 19 */
    { "91380000600037341Y", NULL, FALSE, CRM_USCC_ERROR_REGION },  /* no province 38 */
    /* bytes that are not UTF-8, whole or cut short */
    { "\xef", NULL, FALSE, CRM_USCC_ERROR_ENCODING },
    { "\xe5\xb9", NULL, FALSE, CRM_USCC_ERROR_ENCODING },
    { "91110000600037341L\xff", NULL, FALSE, CRM_USCC_ERROR_ENCODING },
    { "91110000600037341L\xe5\xb9", NULL, FALSE, CRM_USCC_ERROR_ENCODING },
    { "\xd6\xd0\xce\xc4 91110000600037341L", NULL, FALSE, CRM_USCC_ERROR_ENCODING },  /* GBK */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *normalized = NULL;
      g_autofree char *escaped = g_utf8_validate (cases[i].input, -1, NULL)
                                 ? g_strdup (cases[i].input) : g_strescape (cases[i].input, NULL);
      gboolean checks_pass = !cases[i].checks_pass;
      gboolean ok = crm_uscc_validate (cases[i].input, &normalized, &checks_pass, &error);

      g_test_message ("“%s” -> %s", escaped, ok ? normalized : error->message);
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

/* The messages say what is wrong, in the person's terms */
static void
test_uscc_messages (void)
{
  static const struct { const char *input; const char *says; } cases[] = {
    { "PNNAX890PQKXRLYY2M", "1 to 9, A, N or Y, not “P”" },
    { "94110000600037341B", "after “9” it is one of 1, 2, 3, not “4”" },
    { "91A100006000373411", "Characters 3–8" },
    { "91A100006000373411", "“A10000”" },
    { "9111000060003734\xe5\xb9", "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (crm_uscc_validate (cases[i].input, NULL, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }
}

/* Far more than any code is refused by its length, whatever it holds */
static void
test_uscc_huge (void)
{
  gsize size = 1024 * 1024;
  g_autofree char *text = g_malloc (size + 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *normalized = NULL;

  /* blanks, then a good code: normalising would keep only the code */
  memset (text, ' ', size);
  memcpy (text + size - 18, "91110000600037341L", 18);
  text[size] = '\0';
  g_assert_false (crm_uscc_validate (text, &normalized, NULL, &error));
  g_assert_error (error, CRM_USCC_ERROR, CRM_USCC_ERROR_LENGTH);
  g_assert_null (normalized);
  g_clear_error (&error);

  memset (text, '9', size);
  g_assert_false (crm_uscc_validate (text, NULL, NULL, &error));
  g_assert_error (error, CRM_USCC_ERROR, CRM_USCC_ERROR_LENGTH);
}

static void
test_uscc_check_character (void)
{
  g_assert_cmpint (crm_uscc_check_character ("91110000600037341"), ==, 'L');
  g_assert_cmpint (crm_uscc_check_character ("91110000600037341L"), ==, 'L');
  g_assert_cmpint (crm_uscc_check_character ("PNNAX890PQKXRLYY2"), ==, 'M');
  g_assert_cmpint (crm_uscc_check_character ("9111000060003734"), ==, '\0');
  g_assert_cmpint (crm_uscc_check_character ("9111000060003734I"), ==, '\0');
  g_assert_cmpint (crm_uscc_check_character ("91110000600037341l"), ==, 'L');
  g_assert_cmpint (crm_uscc_check_character ("9111000060003734l"), ==, '\0');
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uscc/table", test_uscc_table);
  g_test_add_func ("/uscc/messages", test_uscc_messages);
  g_test_add_func ("/uscc/huge", test_uscc_huge);
  g_test_add_func ("/uscc/check-character", test_uscc_check_character);
  return g_test_run ();
}
