/* test-validate.c — the checks on typed fields, as tables
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crm-core-enums.h"
#include "crm-deal-private.h"
#include "crm-test-util.h"
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
          g_autofree char *again = NULL;

          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (normalized, ==, cases[i].normalized);
          /* the stored form is accepted again, unchanged */
          g_assert_true (validate (normalized, &again, &error));
          g_assert_no_error (error);
          g_assert_cmpstr (again, ==, normalized);
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
  { "(+86) 138-0013-8000", "13800138000" },
  { "（＋８６）１３８００１３８０００", "13800138000" },
  { "0086 138 0013 8000", "13800138000" },
  { "14712345678", "14712345678" },
  { "13812345678 转 8001", NULL },
  { "010-62345678", NULL },
  { "95588", NULL },             /* a service number is no mobile */
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
  /* issue 9: each of these changed on every save */
  { "+44 20 7946 0958 x12", "+442079460958-12" },
  { "0755-8888666 #1", "0755-8888666-1" },
  { "400-123-4567 x89", "400-123-4567-89" },
  /* 00 is the international prefix: +1, then every digit as typed, then the
   * extension; libphonenumber took a 1 for a trunk prefix and dropped it */
  { "00-11126345677-801", "+11126345677-801" },
  /* as earlier versions stored them: the extension stays an extension */
  { "+442079460958-12", "+442079460958-12" },
  { "0755-8888666-1", "0755-8888666-1" },
  { "400-123-4567-89", "400-123-4567-89" },
  { "021-61234567-8001", "021-61234567-8001" },
  /* real numbers, as printed on cards and letterheads */
  { "(+86) 138-0013-8000", "13800138000" },
  { "+86 (0)755 8888 8888", "0755-88888888" },
  { "021-61234567 转 8001", "021-61234567-8001" },
  { "021-61234567转8001", "021-61234567-8001" },
  { "021-61234567 分机 8001", "021-61234567-8001" },
  { "021-61234567 分机号：8001", "021-61234567-8001" },
  { "021-61234567 ext. 8001", "021-61234567-8001" },
  { "021-61234567 Ext 8001", "021-61234567-8001" },
  { "021-61234567 x8001", "021-61234567-8001" },
  { "0755 8888 8888-123", "0755-88888888-123" },
  { "(0755) 8888 8888", "0755-88888888" },
  { "010-62345678", "010-62345678" },
  { "010-6234-5678", "010-62345678" },
  { "86-10-62345678", "010-62345678" },
  { "+86 10 6234 5678", "010-62345678" },
  { "０２１－６１２３４５６７", "021-61234567" },
  { "（０２１）６１２３４５６７", "021-61234567" },
  { "０７５５－８８８８ ８８８８ 转 ８００１", "0755-88888888-8001" },
  { "95588", "95588" },
  { "12315", "12315" },
  { "12345", "12345" },
  { "10086", "10086" },
  { "10010", "10010" },
  { "10000", "10000" },
  { "95588-1", "95588-1" },
  { "800 123 4567", "800-123-4567" },
  { "+86 400 123 4567", "400-123-4567" },
  { "19912345678", "19912345678" },
  { "16612345678", "16612345678" },
  { "14712345678", "14712345678" },
  { "+44 (0)20 7946 0958", "+442079460958" },
  { "+852 9123-4567", "+85291234567" },    /* one number, not 9123 with 4567 */
  { "+1-650-253-0000", "+16502530000" },
  { "+16502530000-12", "+16502530000-12" },
  { "+44 020 7946 0958", "+442079460958" }, /* a trunk 0 goes, as libphonenumber says */
  { "+39 06 1234 5678", "+390612345678" },  /* but Italy keeps its 0 */
  { "+1 112 634 5677", "+11126345677" },    /* no 1 taken for a trunk prefix */
  /* read past the end of the buffer before */
  { "07", NULL },
  { "02", NULL },
  { "071", NULL },
  { "+86 7", NULL },
  { "055;4433765346", NULL },
  { "031-.-2788301", NULL },
  { "0", NULL },
  { "+86", NULL },
  { "x12", NULL },
  { "010-62345678 转", NULL },        /* a marker with no extension */
  { "010-62345678 转 1234567", NULL }, /* seven digits */
  { "010-62345678 x 12a", NULL },
  { "95589 123", NULL },
  { "9558", NULL },
  { "40012345678", NULL },
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
  { "A@XN--FIQS8S.CN", "A@xn--fiqs8s.cn" },
  { "li@例子.ΣΧΟΛΗ", "li@例子.σχολη" },
  { "li@İ.com", NULL },       /* lowers to i and a combining dot */
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

/* Bytes that are not UTF-8 are refused at the entry of every check, however
 * they end: a truncated sequence at the end of the buffer was read past. */
static void
test_validate_invalid_utf8 (void)
{
  static const char *const inputs[] = {
    "\xef", "138\xef", "\xff\xfe", "0755-8888666 \xe8\xbd", "a@b.c\xc3", "\xe8\xbd\xac" "\xe8",
  };
  static const Validator validators[] = {
    crm_validate_email, crm_validate_mobile, crm_validate_phone,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      for (gsize v = 0; v < G_N_ELEMENTS (validators); v++)
        {
          g_autoptr (GError) error = NULL;
          g_autofree char *normalized = NULL;

          g_assert_false (validators[v] (inputs[i], &normalized, &error));
          g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT);
          g_assert_null (normalized);
        }
      for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
        {
          g_autoptr (GError) error = NULL;

          g_assert_false (crm_validate_field (f, inputs[i], NULL, &error));
          g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT);
        }
    }
}

/* A megabyte in any field is refused as too long, by its length. */
static void
test_validate_huge (void)
{
  g_autofree char *digits = g_strnfill (1024 * 1024, '8');
  g_autofree char *email = g_strnfill (1024 * 1024, 'a');

  email[1000] = '@';
  memcpy (email + 1024 * 1024 - 4, ".com", 4);
  for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
    {
      g_autoptr (GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      g_assert_false (crm_validate_field (f, f == CRM_CONTACT_FIELD_EMAIL ? email : digits,
                                          NULL, &error));
      g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG);
      g_test_message ("field %u: %" G_GINT64_FORMAT " us", f, g_get_monotonic_time () - start);
    }
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (crm_validate_phone (digits, NULL, &error));
    g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG);
  }
}

/* normalize (normalize (x)) == normalize (x), field by field */
static void
assert_fixed_point (CrmContactField  field,
                    const char      *input)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *once = NULL;
  g_autofree char *twice = NULL;

  if (!crm_validate_field (field, input, &once, &error))
    {
      g_assert_nonnull (error);
      g_assert_null (once);
      return;
    }
  g_assert_no_error (error);
  if (!crm_validate_field (field, once, &twice, &error))
    g_error ("field %u: “%s” gave “%s”, which is refused: %s",
             field, input, once, error->message);
  if (g_strcmp0 (once, twice) != 0)
    g_error ("field %u: “%s” gave “%s”, then “%s”", field, input, once, twice);
}

static const char *const fragments[] = {
  "-", "+", "(", ")", " ", ".", "#", "x", "X", "转", "分机", "ext", "ext.", ",", ";", ":", "@",
  "０", "５", "９", "－", "（", "）", "＋", "　", "＃", "ｘ", "\xe2\x80\x94", "\xc2\xa0",
  "00", "86", "+86", "010", "021", "0755", "400", "800", "95", "12", "100", "(0)",
  "a", "Z", "İ", "Σ", "ß", "é", "\xcc\x87", "\xe2\x80\x8b", "\t", "\n", "\x01", "..",
  "例", "qq", "com", "cn", "xn--", "\xf0\x9f\x98\x80",
};

/* A string of digits, separators, full-width forms, letters, random
 * Unicode and (rarely) random bytes. */
static char *
random_text (GRand *rand)
{
  GString *s = g_string_new (NULL);
  int n = g_rand_int_range (rand, 0, 24);

  for (int i = 0; i < n; i++)
    {
      int kind = g_rand_int_range (rand, 0, 10);

      if (kind < 4)
        g_string_append_c (s, (char)('0' + g_rand_int_range (rand, 0, 10)));
      else if (kind < 8)
        g_string_append (s, fragments[g_rand_int_range (rand, 0, G_N_ELEMENTS (fragments))]);
      else if (kind < 9)
        {
          gunichar c = g_rand_int_range (rand, 1, 0x30000);
          if (g_unichar_validate (c))
            g_string_append_unichar (s, c);
        }
      else
        g_string_append_c (s, (char)g_rand_int_range (rand, 1, 256));
    }
  return g_string_free (s, FALSE);
}

/* A number that is mostly valid, written in one of the ways people do. */
static char *
random_number (GRand *rand)
{
  static const char *const heads[] = {
    "138", "199", "166", "147", "010", "021", "0755", "0571", "400", "800", "95", "12",
    "100", "+86 ", "(+86) ", "0086", "+44 20", "+1 650", "+852 ", "00-1", "86-", "+86 (0)",
    "+44 (0)",
  };
  static const char *const seps[] = { "", "", "-", " ", "-", "－", "　", ".", "(", ")" };
  static const char *const marks[] = {
    "-", " x", " ext. ", "#", " 转 ", "转", " 分机 ", ",", ";", "Ext", " X ",
  };
  GString *s = g_string_new (heads[g_rand_int_range (rand, 0, G_N_ELEMENTS (heads))]);
  int n = g_rand_int_range (rand, 2, 13);

  for (int i = 0; i < n; i++)
    {
      if (g_rand_int_range (rand, 0, 4) == 0)
        g_string_append (s, seps[g_rand_int_range (rand, 0, G_N_ELEMENTS (seps))]);
      if (g_rand_int_range (rand, 0, 8) == 0)
        g_string_append_unichar (s, 0xff10 + g_rand_int_range (rand, 0, 10));
      else
        g_string_append_c (s, (char)('0' + g_rand_int_range (rand, 0, 10)));
    }
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      int digits = g_rand_int_range (rand, 1, 8);

      g_string_append (s, marks[g_rand_int_range (rand, 0, G_N_ELEMENTS (marks))]);
      for (int i = 0; i < digits; i++)
        g_string_append_c (s, (char)('0' + g_rand_int_range (rand, 0, 10)));
    }
  return g_string_free (s, FALSE);
}

/* An address with letters whose case matters: the domain is lowered. */
static char *
random_email (GRand *rand)
{
  static const char *const parts[] = {
    "a", "Z", "Wang", "销售", "İ", "I", "Σ", "ς", "ß", "\xe1\xba\x9e", "\xe2\x84\xaa", "É",
    "Ǆ", "ǅ", "-", ".", "+", "_", "0", "9", "XN--", "例", "ΑΒΓ", "ﬁ", "Ⅻ", "ⓐ",
  };
  GString *s = g_string_new (NULL);
  int labels = g_rand_int_range (rand, 1, 4);

  for (int i = g_rand_int_range (rand, 1, 4); i > 0; i--)
    g_string_append (s, parts[g_rand_int_range (rand, 0, G_N_ELEMENTS (parts))]);
  g_string_append_c (s, '@');
  for (int l = 0; l < labels; l++)
    {
      if (l > 0)
        g_string_append_c (s, '.');
      for (int i = g_rand_int_range (rand, 1, 4); i > 0; i--)
        g_string_append (s, parts[g_rand_int_range (rand, 0, G_N_ELEMENTS (parts))]);
    }
  g_string_append (s, g_rand_boolean (rand) ? ".COM" : ".Cn");
  return g_string_free (s, FALSE);
}

static void
test_validate_fixed_point (void)
{
  const char *env = g_getenv ("CRM_TEST_SEED");
  guint32 seed = env ? (guint32)g_ascii_strtoull (env, NULL, 10) : 20261129;
  const char *env_n = g_getenv ("CRM_TEST_ITERATIONS");
  guint n = env_n ? (guint)g_ascii_strtoull (env_n, NULL, 10) : 20000;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  guint accepted = 0;
  guint emails = 0;
  const struct { const Case *cases; gsize n; } tables[] = {
    { mobile_cases, G_N_ELEMENTS (mobile_cases) },
    { phone_cases, G_N_ELEMENTS (phone_cases) },
    { email_cases, G_N_ELEMENTS (email_cases) },
  };

  g_test_message ("seed %u (CRM_TEST_SEED), %u inputs (CRM_TEST_ITERATIONS)", seed, n);
  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    for (gsize i = 0; i < tables[t].n; i++)
      for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
        assert_fixed_point (f, tables[t].cases[i].input);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;

      switch (i % 3)
        {
        case 0:
          text = random_text (rand);
          break;
        case 1:
          text = random_number (rand);
          break;
        default:
          text = random_email (rand);
          break;
        }
      for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
        assert_fixed_point (f, text);
      if (crm_validate_field (CRM_CONTACT_FIELD_PHONE, text, NULL, NULL))
        accepted++;
      if (crm_validate_field (CRM_CONTACT_FIELD_EMAIL, text, NULL, NULL) && *text)
        emails++;
    }
  /* the generators reach the parsing that matters, not only refusals */
  g_test_message ("accepted: %u as a phone number, %u as an e-mail address", accepted, emails);
  g_assert_cmpuint (accepted, >, n / 30);
  g_assert_cmpuint (emails, >, n / 30);
}

/* A contact saved, read back and saved again keeps every field byte for
 * byte; so it does when only its title changes. */
static void
test_validate_store_resave (void)
{
  static const char *const phones[] = {
    "+44 20 7946 0958 x12", "0755-8888666 #1", "400-123-4567 x89", "00-11126345677-801",
    "+442079460958-12", "0755-8888666-1", "400-123-4567-89", "021-61234567 转 8001",
    "0755 8888 8888-123", "（０２１）６１２３４５６７", "95588",
  };
  CrmTestStore *ts = crm_test_store_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (phones); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmContact) contact = crm_contact_new ();
      g_autoptr (CrmContact) first = NULL;
      g_autoptr (CrmContact) second = NULL;
      g_autoptr (CrmContact) third = NULL;
      g_autofree char *expected = NULL;

      crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, " 王小禾 ");
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_MOBILE, "(+86) 138-0013-8000");
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_PHONE, phones[i]);
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_EMAIL, "Wang@Example.COM");
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_NOTES, "一\n二");
      g_assert_true (crm_validate_phone (phones[i], &expected, &error));
      g_assert_no_error (error);

      g_assert_true (crm_store_save_contact (ts->store, contact, &error));
      g_assert_no_error (error);
      first = crm_store_get_contact (ts->store, crm_contact_get_id (contact), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (crm_contact_get_field (first, CRM_CONTACT_FIELD_PHONE), ==, expected);

      /* saved again unchanged */
      g_assert_true (crm_store_save_contact (ts->store, first, &error));
      g_assert_no_error (error);
      second = crm_store_get_contact (ts->store, crm_contact_get_id (contact), &error);
      g_assert_no_error (error);
      for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
        g_assert_cmpstr (crm_contact_get_field (second, f), ==,
                         crm_contact_get_field (first, f));

      /* only the title changed */
      crm_contact_set_field (second, CRM_CONTACT_FIELD_TITLE, "销售总监");
      g_assert_true (crm_store_save_contact (ts->store, second, &error));
      g_assert_no_error (error);
      third = crm_store_get_contact (ts->store, crm_contact_get_id (contact), &error);
      g_assert_no_error (error);
      for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
        if (f != CRM_CONTACT_FIELD_TITLE)
          g_assert_cmpstr (crm_contact_get_field (third, f), ==,
                           crm_contact_get_field (first, f));
      g_assert_cmpstr (crm_contact_get_field (third, CRM_CONTACT_FIELD_TITLE), ==, "销售总监");
    }
  crm_test_store_free (ts);
}

/* A deal that passes every rule, filled the way the editor fills it. */
static CrmDeal *
valid_deal (void)
{
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, "年度采购");
  crm_deal_set_amount (deal, 1234567);
  crm_deal_set_stage (deal, CRM_DEAL_PROPOSAL);
  crm_deal_set_expected_close (deal, "2026-12-31");
  crm_deal_set_notes (deal, "第一行\n\t第二行");
  return deal;
}

static void
set_deal_text (CrmDeal      *deal,
               CrmDealField  field,
               const char   *text)
{
  if (field == CRM_DEAL_FIELD_TITLE)
    crm_deal_set_title (deal, text);
  else if (field == CRM_DEAL_FIELD_EXPECTED_CLOSE)
    crm_deal_set_expected_close (deal, text);
  else if (field == CRM_DEAL_FIELD_NOTES)
    crm_deal_set_notes (deal, text);
  else
    {
      crm_deal_set_stage (deal, CRM_DEAL_LOST);
      crm_deal_set_lost_reason (deal, text);
    }
}

/* @deal passes (@code -1) or is refused in @field with @code, by the
 * whole rule and by the rule of the field alone; nothing is normalised
 * when it is refused. */
static void
assert_deal (CrmDeal      *deal,
             CrmDealField  field,
             int           code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) field_error = NULL;
  g_autofree char *title = g_strdup (crm_deal_get_title (deal));
  CrmDealField failed = CRM_DEAL_N_FIELDS;
  gboolean ok = crm_validate_deal (deal, &failed, &error);

  g_test_message ("field %d: %s", field, ok ? "accepted" : error->message);
  g_assert_cmpint (crm_validate_deal_field (deal, field, &field_error), ==, code < 0);
  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_no_error (field_error);
      g_assert_true (ok);
      return;
    }
  g_assert_false (ok);
  g_assert_error (error, CRM_VALIDATE_ERROR, code);
  g_assert_error (field_error, CRM_VALIDATE_ERROR, code);
  g_assert_cmpstr (error->message, ==, field_error->message);
  g_assert_cmpint (failed, ==, field);
  g_assert_cmpstr (crm_deal_get_title (deal), ==, title);
}

/* The value of @type whose nick is @nick; -1 for "" (a deal accepted). */
static int
enum_by_nick (GType       type,
              const char *nick)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *value = *nick ? g_enum_get_value_by_nick (klass, nick) : NULL;

  g_assert_true (value != NULL || *nick == '\0');
  return value ? value->value : -1;
}

/* Each rule of crm_validate_deal() refuses its bad value with its field
 * and accepts its boundary. Fields and errors by their nicks. */
static void
test_validate_deal_rules (void)
{
  static const struct {
    const char *field;
    const char *unit;   /* @count times, then @tail */
    guint       count;
    const char *tail;
    const char *error;  /* "": accepted */
  } cases[] = {
    { "title", "", 0, "", "required" },
    { "title", " ", 3, "", "required" },
    { "title", "禾", 200, "", "" },
    { "title", "a", 200, "  ", "" },
    { "title", "禾", 201, "", "too-long" },
    { "title", "a", 1, "\tb", "invalid-text" },
    { "title", "a", 1, "\nb", "invalid-text" },
    { "title", "a", 1, "\xe8\xbd", "invalid-text" },
    { "title", "a", 1, "\x7f", "invalid-text" },
    { "title", "a", 1, "\xc2\x85" "b", "invalid-text" },  /* U+0085, a C1 control */
    { "title", "a", 1, "\xc2\x9f", "invalid-text" },
    { "title", "a", 1, "\xc2\xa0" "b\xe2\x80\xa8", "" },  /* no-break space, U+2028 */
    { "expected-close", "", 0, "", "" },
    { "expected-close", "", 0, " 2026年2月28日 ", "" },
    { "expected-close", "", 0, "2026-02-29", "invalid-date" },
    { "expected-close", "", 0, "tomorrow", "invalid-date" },
    { "expected-close", "", 0, "2026-\xff", "invalid-date" },
    { "lost-reason", "", 0, "", "required" },
    { "lost-reason", " ", 2, "", "required" },
    { "lost-reason", "价", 500, "", "" },
    { "lost-reason", "价", 501, "", "too-long" },
    { "lost-reason", "价", 1, "\n格", "invalid-text" },
    { "lost-reason", "价", 1, "\x01", "invalid-text" },
    { "lost-reason", "价", 1, "\xc3", "invalid-text" },
    { "notes", "备\n", 10000, "", "" },
    { "notes", "备注", 10000, "!", "too-long" },
    { "notes", "a\tb\n", 3, "", "" },
    { "notes", "a", 1, "\x07", "invalid-text" },
    { "notes", "a", 1, "\x1b[0m", "invalid-text" },
    { "notes", "a", 1, "\xe8\xbd", "invalid-text" },
  };
  /* stages: 0 lead, 1 qualified, 4 won, 6 past the last */
  static const struct {
    const char *field;
    gint64      amount;
    int         stage;
    int         probability;
    const char *error;
  } numbers[] = {
    { "amount", 0, 0, 10, "" },
    { "amount", G_MAXINT64, 0, 10, "" },
    { "amount", -1, 0, 10, "out-of-range" },
    { "amount", G_MININT64, 0, 10, "out-of-range" },
    { "probability", 1, 1, 0, "" },
    { "probability", 1, 1, 100, "" },
    { "probability", 1, 1, -1, "out-of-range" },
    { "probability", 1, 1, 101, "out-of-range" },
    { "stage", 1, 4, 100, "" },
    { "stage", 1, 6, 10, "out-of-range" },
    { "stage", 1, -1, 10, "out-of-range" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CrmDeal) deal = valid_deal ();
      g_autoptr (GString) text = g_string_new (NULL);
      CrmDealField field = enum_by_nick (CRM_TYPE_DEAL_FIELD, cases[i].field);

      for (guint n = 0; n < cases[i].count; n++)
        g_string_append (text, cases[i].unit);
      g_string_append (text, cases[i].tail);
      set_deal_text (deal, field, text->str);
      assert_deal (deal, field, enum_by_nick (CRM_TYPE_VALIDATE_ERROR, cases[i].error));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr (CrmDeal) deal = valid_deal ();

      crm_deal_set_amount (deal, numbers[i].amount);
      _crm_deal_set_unchecked (deal, numbers[i].stage, numbers[i].probability);
      assert_deal (deal, enum_by_nick (CRM_TYPE_DEAL_FIELD, numbers[i].field),
                   enum_by_nick (CRM_TYPE_VALIDATE_ERROR, numbers[i].error));
    }
  /* every stage, a lost deal with its reason */
  for (guint s = 0; s < CRM_DEAL_N_STAGES; s++)
    {
      g_autoptr (CrmDeal) deal = valid_deal ();

      crm_deal_set_stage (deal, s);
      crm_deal_set_lost_reason (deal, s == CRM_DEAL_LOST ? "预算取消" : "");
      assert_deal (deal, CRM_DEAL_FIELD_STAGE, -1);
    }
}

/* The first field that fails is the one reported, and the editor's
 * message strings are the rule's (their translations exist). */
static void
test_validate_deal_reports_field (void)
{
  g_autoptr (CrmDeal) deal = valid_deal ();
  g_autoptr (GError) error = NULL;
  g_autofree char *long_title = g_strnfill (201, 'a');
  CrmDealField failed = CRM_DEAL_N_FIELDS;

  crm_deal_set_title (deal, long_title);
  crm_deal_set_notes (deal, "\x07");
  crm_deal_set_expected_close (deal, "2026/2/3");
  g_assert_false (crm_validate_deal (deal, &failed, &error));
  g_assert_cmpint (failed, ==, CRM_DEAL_FIELD_TITLE);
  g_assert_cmpstr (error->message, ==, "A title can have at most 200 characters");
  g_assert_cmpstr (crm_deal_get_expected_close (deal), ==, "2026/2/3");
  g_clear_error (&error);

  crm_deal_set_title (deal, "");
  g_assert_false (crm_validate_deal (deal, &failed, &error));
  g_assert_cmpstr (error->message, ==, "A deal needs a title");
  g_clear_error (&error);

  crm_deal_set_title (deal, "年度采购");
  g_assert_false (crm_validate_deal (deal, &failed, &error));
  g_assert_cmpint (failed, ==, CRM_DEAL_FIELD_NOTES);
  g_clear_error (&error);

  crm_deal_set_notes (deal, "");
  crm_deal_set_stage (deal, CRM_DEAL_LOST);
  g_assert_false (crm_validate_deal (deal, &failed, &error));
  g_assert_cmpint (failed, ==, CRM_DEAL_FIELD_LOST_REASON);
  g_assert_cmpstr (error->message, ==, "Say why the deal was lost");
  g_clear_error (&error);

  crm_deal_set_amount (deal, -100);
  g_assert_false (crm_validate_deal (deal, &failed, &error));
  g_assert_cmpint (failed, ==, CRM_DEAL_FIELD_AMOUNT);
  g_assert_cmpstr (error->message, ==, "The amount of a deal cannot be negative");
}

/* A megabyte in a text field is refused as too long, by its length, and
 * quickly. */
static void
test_validate_deal_huge (void)
{
  static const CrmDealField fields[] = {
    CRM_DEAL_FIELD_TITLE, CRM_DEAL_FIELD_EXPECTED_CLOSE, CRM_DEAL_FIELD_LOST_REASON,
    CRM_DEAL_FIELD_NOTES,
  };
  g_autofree char *megabyte = g_strnfill (1024 * 1024, 'x');

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr (CrmDeal) deal = valid_deal ();
      g_autoptr (GError) error = NULL;
      CrmDealField failed = CRM_DEAL_N_FIELDS;
      gint64 start, took;

      set_deal_text (deal, fields[i], megabyte);
      start = g_get_monotonic_time ();
      g_assert_false (crm_validate_deal (deal, &failed, &error));
      took = g_get_monotonic_time () - start;
      g_test_message ("field %d: %" G_GINT64_FORMAT " us", fields[i], took);
      g_assert_cmpint (failed, ==, fields[i]);
      if (fields[i] == CRM_DEAL_FIELD_EXPECTED_CLOSE)
        g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_DATE);
      else
        g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG);
      /* read up to a few times the limit in bytes, never the megabyte
       * through g_utf8_strlen and a copy: well under 100 ms */
      g_assert_cmpint (took, <, 100000);
    }
}

/* What the editor accepts, the rule accepts, in the form the store kept
 * before: title and reason trimmed, the date as YYYY-MM-DD, the notes as
 * typed. */
static void
test_validate_deal_editor_accepts (void)
{
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *title = g_strnfill (200, 'T');
  g_autofree char *padded = g_strconcat (" ", title, " ", NULL);

  crm_deal_set_title (deal, padded);
  crm_deal_set_amount (deal, G_MAXINT64);
  crm_deal_set_stage (deal, CRM_DEAL_LOST);
  crm_deal_set_lost_reason (deal, " 价格太高 ");
  crm_deal_set_expected_close (deal, " 2026/1/5 ");
  crm_deal_set_notes (deal, "  第一行\n\t第二行\n");
  g_assert_true (crm_validate_deal (deal, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_deal_get_title (deal), ==, title);
  g_assert_cmpstr (crm_deal_get_lost_reason (deal), ==, "价格太高");
  g_assert_cmpstr (crm_deal_get_expected_close (deal), ==, "2026-01-05");
  g_assert_cmpstr (crm_deal_get_notes (deal), ==, "  第一行\n\t第二行\n");
  g_assert_cmpint (crm_deal_get_probability (deal), ==, 0);

  /* a fixed point: what it hands back passes unchanged */
  g_assert_true (crm_validate_deal (deal, NULL, &error));
  g_assert_cmpstr (crm_deal_get_expected_close (deal), ==, "2026-01-05");
  g_assert_cmpstr (crm_deal_get_title (deal), ==, title);
}

/* The enums of core have GTypes; a stage's nick is its stored name. */
static void
test_validate_enum_types (void)
{
  g_autoptr (GEnumClass) stages = g_type_class_ref (CRM_TYPE_DEAL_STAGE);
  g_autoptr (GEnumClass) fields = g_type_class_ref (CRM_TYPE_DEAL_FIELD);
  g_autoptr (GEnumClass) errors = g_type_class_ref (CRM_TYPE_VALIDATE_ERROR);
  g_autoptr (GEnumClass) contact_fields = g_type_class_ref (CRM_TYPE_CONTACT_FIELD);

  for (guint s = 0; s < CRM_DEAL_N_STAGES; s++)
    g_assert_cmpstr (g_enum_get_value (stages, s)->value_nick, ==,
                     crm_deal_stage_to_string (s));
  g_assert_cmpstr (g_enum_get_value (fields, CRM_DEAL_FIELD_LOST_REASON)->value_nick, ==,
                   "lost-reason");
  g_assert_cmpstr (g_enum_get_value (errors, CRM_VALIDATE_ERROR_OUT_OF_RANGE)->value_nick, ==,
                   "out-of-range");
  g_assert_cmpstr (g_enum_get_value (contact_fields, CRM_CONTACT_FIELD_EMAIL)->value_nick, ==,
                   "email");
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
  g_test_add_func ("/validate/invalid-utf8", test_validate_invalid_utf8);
  g_test_add_func ("/validate/huge", test_validate_huge);
  g_test_add_func ("/validate/fixed-point", test_validate_fixed_point);
  g_test_add_func ("/validate/store-resave", test_validate_store_resave);
  g_test_add_func ("/validate/deal-rules", test_validate_deal_rules);
  g_test_add_func ("/validate/deal-reports-field", test_validate_deal_reports_field);
  g_test_add_func ("/validate/deal-huge", test_validate_deal_huge);
  g_test_add_func ("/validate/deal-editor-accepts", test_validate_deal_editor_accepts);
  g_test_add_func ("/validate/enum-types", test_validate_enum_types);

  return g_test_run ();
}
