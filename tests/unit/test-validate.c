/* test-validate.c — the checks on typed fields, as tables
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crm-validate.h"

typedef struct
{
  const char *input;
  const char *normalized; /* NULL: invalid */
} Case;

typedef gboolean (*Validator) (const char *, char **, GError **);

static void
run_table (Validator   validate,
           const Case *cases,
           gsize       n_cases,
           int         error_code)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *normalized = NULL;
      gboolean ok = validate (cases[i].input, &normalized, &error);

      g_test_message ("“%s” -> %s", cases[i].input, ok ? normalized : error->message);
      if (cases[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (normalized, ==, cases[i].normalized);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CRM_VALIDATE_ERROR, error_code);
          g_assert_null (normalized);
          g_assert_cmpuint (strlen (error->message), >, 10);
        }
    }
}

static const Case mobile_cases[] = {
  { "", "" },
  { "   ", "" },
  { "13812345678", "13812345678" },
  { "138 1234 5678", "13812345678" },
  { "138-1234-5678", "13812345678" },
  { "+86 138 1234 5678", "13812345678" },
  { "+8613812345678", "13812345678" },
  { "008613812345678", "13812345678" },
  { "19912345678", "19912345678" },
  { "16612345678", "16612345678" },
  { "+1 650 253 0000", "+16502530000" },
  { "+44 20 7946 0958", "+442079460958" },
  { "+852 9123 4567", "+85291234567" },
  { "12812345678", NULL },      /* 12x is no mobile prefix */
  { "1381234567", NULL },       /* ten digits */
  { "138123456789", NULL },     /* twelve */
  { "010-12345678", NULL },     /* a landline in the mobile field */
  { "abc", NULL },
  { "1381234567a", NULL },
  { "+", NULL },
  { "+1 2", NULL },
  { "13812345678#12", NULL },   /* no extensions on a mobile */
};

static const Case phone_cases[] = {
  { "", "" },
  { "010-12345678", "010-12345678" },
  { "(010) 1234 5678", "010-12345678" },
  { "01012345678", "010-12345678" },
  { "021-5555123", "021-5555123" },
  { "0755-88888888", "0755-88888888" },
  { "0571 8765 4321", "0571-87654321" },
  { "+86 10 12345678", "010-12345678" },
  { "+86-755-88888888", "0755-88888888" },
  { "010-12345678-801", "010-12345678-801" },
  { "010-12345678#801", "010-12345678-801" },
  { "400-123-4567", "400-123-4567" },
  { "4001234567", "400-123-4567" },
  { "13812345678", "13812345678" },    /* a mobile is a phone too */
  { "+1 650 253 0000", "+16502530000" },
  { "12345678", NULL },                /* no area code */
  { "010-0234567", NULL },             /* local number starts with 0 */
  { "010-123456", NULL },              /* six digits */
  { "0755-888888888", NULL },          /* nine */
  { "phone", NULL },
  { "010-12345678-", "010-12345678" }, /* a stray hyphen is forgiven */
};

static const Case email_cases[] = {
  { "", "" },
  { "zhangsan@qq.com", "zhangsan@qq.com" },
  { "  Zhang.San@Example.COM ", "Zhang.San@example.com" },
  { "a+tag@sub.example.cn", "a+tag@sub.example.cn" },
  { "销售@例子.中国", "销售@例子.中国" },
  { "zhangsan", NULL },
  { "zhangsan@", NULL },
  { "@qq.com", NULL },
  { "zhang@@qq.com", NULL },
  { "zhang@qq", NULL },
  { "zhang@qq..com", NULL },
  { "zhang..san@qq.com", NULL },
  { ".zhang@qq.com", NULL },
  { "zhang san@qq.com", NULL },
  { "zhang@-qq.com", NULL },
  { "zhang@qq.123", NULL },
  { "zhang@qq.com.", NULL },
};

static void
test_validate_mobile (void)
{
  run_table (crm_validate_mobile, mobile_cases, G_N_ELEMENTS (mobile_cases),
             CRM_VALIDATE_ERROR_INVALID_MOBILE);
}

static void
test_validate_phone (void)
{
  run_table (crm_validate_phone, phone_cases, G_N_ELEMENTS (phone_cases),
             CRM_VALIDATE_ERROR_INVALID_PHONE);
}

static void
test_validate_email (void)
{
  run_table (crm_validate_email, email_cases, G_N_ELEMENTS (email_cases),
             CRM_VALIDATE_ERROR_INVALID_EMAIL);
}

static void
test_validate_fields (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *long_name = g_strnfill (101, 'a');
  g_autofree char *max_name = NULL;
  g_autofree char *megabyte = g_strnfill (1024 * 1024, 'x');
  GString *chinese = g_string_new (NULL);

  g_assert_false (crm_validate_field (CRM_CONTACT_FIELD_NAME, "  ", &value, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED);
  g_clear_error (&error);

  g_assert_false (crm_validate_field (CRM_CONTACT_FIELD_NAME, long_name, &value, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG);
  g_clear_error (&error);

  g_assert_false (crm_validate_field (CRM_CONTACT_FIELD_NAME, megabyte, &value, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* the limit counts characters, not bytes: 100 Chinese characters pass */
  for (guint i = 0; i < 100; i++)
    g_string_append (chinese, "张");
  max_name = g_string_free (chinese, FALSE);
  g_assert_true (crm_validate_field (CRM_CONTACT_FIELD_NAME, max_name, &value, &error));
  g_assert_no_error (error);
  g_clear_pointer (&value, g_free);

  g_assert_false (crm_validate_field (CRM_CONTACT_FIELD_COMPANY, "a\x01" "b", &value, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT);
  g_clear_error (&error);

  g_assert_false (crm_validate_field (CRM_CONTACT_FIELD_COMPANY, "\xff\xfe", &value, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT);
  g_clear_error (&error);

  g_assert_true (crm_validate_field (CRM_CONTACT_FIELD_NOTES, " 一\n二\t三 ", &value, &error));
  g_assert_cmpstr (value, ==, "一\n二\t三");
  g_clear_pointer (&value, g_free);

  g_assert_false (crm_validate_field (CRM_CONTACT_FIELD_COMPANY, "一\n二", &value, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT);
  g_clear_error (&error);
}

static void
test_validate_contact_reports_field (void)
{
  g_autoptr (CrmContact) c = crm_contact_new ();
  g_autoptr (GError) error = NULL;
  CrmContactField failed = CRM_CONTACT_N_FIELDS;

  crm_contact_set_field (c, CRM_CONTACT_FIELD_NAME, "张三");
  crm_contact_set_field (c, CRM_CONTACT_FIELD_MOBILE, "138 1234 5678");
  crm_contact_set_field (c, CRM_CONTACT_FIELD_EMAIL, "bad@");
  g_assert_false (crm_validate_contact (c, &failed, &error));
  g_assert_cmpint (failed, ==, CRM_CONTACT_FIELD_EMAIL);
  /* nothing normalised when anything fails */
  g_assert_cmpstr (crm_contact_get_field (c, CRM_CONTACT_FIELD_MOBILE), ==, "138 1234 5678");
  g_clear_error (&error);

  crm_contact_set_field (c, CRM_CONTACT_FIELD_EMAIL, "");
  g_assert_true (crm_validate_contact (c, &failed, &error));
  g_assert_cmpstr (crm_contact_get_field (c, CRM_CONTACT_FIELD_MOBILE), ==, "13812345678");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/mobile", test_validate_mobile);
  g_test_add_func ("/validate/phone", test_validate_phone);
  g_test_add_func ("/validate/email", test_validate_email);
  g_test_add_func ("/validate/fields", test_validate_fields);
  g_test_add_func ("/validate/contact-reports-field", test_validate_contact_reports_field);

  return g_test_run ();
}
