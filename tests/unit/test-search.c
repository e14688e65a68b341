/* test-search.c — substring search: Chinese, phone fragments, e-mail parts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-contact-list.h"
#include "crm-search-private.h"
#include "crm-test-util.h"

static CrmTestStore *ts;

static void
add_full (const char *name,
          const char *company,
          const char *mobile,
          const char *phone,
          const char *email,
          const char *wechat)
{
  g_autoptr (CrmContact) c = crm_test_contact (name, mobile, email);
  g_autoptr (GError) error = NULL;

  crm_contact_set_field (c, CRM_CONTACT_FIELD_COMPANY, company);
  crm_contact_set_field (c, CRM_CONTACT_FIELD_PHONE, phone);
  crm_contact_set_field (c, CRM_CONTACT_FIELD_WECHAT, wechat);
  crm_contact_set_field (c, CRM_CONTACT_FIELD_NOTES, "备注里的字不参与搜索 zzzz");
  crm_store_save_contact (ts->store, c, &error);
  g_assert_no_error (error);
}

/* the names found for @query, in list order, joined by "," */
static char *
found (const char *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) result = crm_store_search_contacts (ts->store, query, 100, &error);
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  g_auto (GStrv) strv = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < result->len; i++)
    g_strv_builder_add (names, crm_contact_get_name (g_ptr_array_index (result, i)));
  strv = g_strv_builder_end (names);
  return g_strjoinv (",", strv);
}

static void
setup (void)
{
  ts = crm_test_store_new ();
  add_full ("张三丰", "武当贸易有限公司", "13812345678", "", "sanfeng@wudang.cn", "zsf_wd");
  add_full ("张三", "北京科技", "13900008888", "010-62345678", "zhangsan@qq.com", "");
  add_full ("李张", "", "", "021-55551234", "", "lizhang88");
  add_full ("Wang Wei", "Acme Trading", "+1 650 253 0000", "", "wei.wang@acme.com", "");
  add_full ("王伟", "上海三丰电子", "15011112222", "", "wangwei@163.com", "");
}

static void
teardown (void)
{
  crm_test_store_free (ts);
  ts = NULL;
}

/* the names whose values pass the in-memory test for @query: what the
 * list's first page walk uses instead of the index */
static char *
found_by_pattern (const char *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = crm_store_search_contacts (ts->store, NULL, 100, &error);
  g_autoptr (CrmSearchPattern) pattern = _crm_search_pattern_new (query);
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  g_auto (GStrv) strv = NULL;

  for (guint i = 0; pattern != NULL && i < all->len; i++)
    {
      CrmContact *c = g_ptr_array_index (all, i);
      const char *fields[] = {
        crm_contact_get_field (c, CRM_CONTACT_FIELD_NAME),
        crm_contact_get_field (c, CRM_CONTACT_FIELD_COMPANY),
        crm_contact_get_field (c, CRM_CONTACT_FIELD_MOBILE),
        crm_contact_get_field (c, CRM_CONTACT_FIELD_PHONE),
        crm_contact_get_field (c, CRM_CONTACT_FIELD_EMAIL),
        crm_contact_get_field (c, CRM_CONTACT_FIELD_WECHAT),
      };
      if (_crm_search_pattern_match (pattern, fields, G_N_ELEMENTS (fields)))
        g_strv_builder_add (names, crm_contact_get_name (c));
    }
  strv = g_strv_builder_end (names);
  return g_strjoinv (",", strv);
}

/* the names the contact list shows for @query: its search thread takes
 * other ways than the index alone (an in-memory order, domains cut short) */
static char *
found_by_list (const char *query)
{
  g_autoptr (CrmContactList) list = crm_contact_list_new (ts->store);
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  g_auto (GStrv) strv = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  crm_contact_list_set_query (list, query);
  while (crm_contact_list_get_searching (list))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (CrmContact) c = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_strv_builder_add (names, crm_contact_get_name (c));
    }
  strv = g_strv_builder_end (names);
  return g_strjoinv (",", strv);
}

static void
check (const char *query,
       const char *expected)
{
  g_autofree char *names = found (query);
  g_autofree char *by_pattern = found_by_pattern (query);
  g_autofree char *match = crm_search_build_match (query);

  g_test_message ("%s -> %s", query, names);
  g_assert_cmpstr (names, ==, expected);
  /* the index and the in-memory test agree */
  g_assert_cmpstr (by_pattern, ==, expected);
  /* and so does the list (which shows everyone for a query of no words) */
  if (match != NULL)
    {
      g_autofree char *by_list = found_by_list (query);
      g_assert_cmpstr (by_list, ==, expected);
    }
}

static void
test_search_chinese (void)
{
  setup ();
  /* list order is by name's code points: 张 (U+5F20) < 李 (U+674E) < 王 (U+738B) */
  check ("张三", "张三,张三丰");          /* two characters, inside a longer name */
  check ("三丰", "张三丰,王伟");          /* middle of a name, and of a company */
  check ("张", "张三,张三丰,李张");       /* one character, also at the end */
  check ("丰", "张三丰,王伟");
  check ("武当", "张三丰");               /* company */
  check ("有限公司", "张三丰");
  check ("张三丰啊", "");                 /* longer than any value */
  check ("三张", "");                     /* the characters, but not in that order */
  check ("备注", "");                     /* notes are not searched */
  teardown ();
}

static void
test_search_phone (void)
{
  setup ();
  check ("5678", "张三,张三丰");          /* last four digits, landline and mobile */
  check ("8888", "张三");
  check ("138", "张三丰");
  check ("1381234", "张三丰");
  check ("138-1234-5678", "张三丰");      /* typed with hyphens */
  check ("138 1234", "张三丰");           /* two words, both inside */
  check ("62345678", "张三");
  check ("010-6234", "张三");
  check ("6502530000", "Wang Wei");       /* stored as +16502530000 */
  check ("99999", "");
  teardown ();
}

static void
test_search_email_latin (void)
{
  setup ();
  check ("qq.com", "张三");
  check ("wudang.cn", "张三丰");          /* a domain, searched without its .cn first */
  check ("acme.com", "Wang Wei");
  check ("sanfeng@wudang.cn", "张三丰");
  check ("ng.cn", "张三丰");
  check ("x.com", "");
  check ("@163", "王伟");
  check ("wudang", "张三丰");
  check ("WANG", "Wang Wei,王伟");        /* case-folded; name and e-mail */
  check ("wei.w", "Wang Wei");
  check ("acme", "Wang Wei");
  check ("wang wei", "Wang Wei,王伟");    /* both words */
  check ("lizhang", "李张");              /* WeChat ID */
  check ("ＡＣＭＥ", "Wang Wei");         /* full-width letters */
  check ("\"", "");
  check ("*", "");
  check ("a OR b NEAR", "");
  teardown ();
}

static void
test_search_follows_edits (void)
{
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  CrmContact *c;

  setup ();
  all = crm_store_search_contacts (ts->store, "张三丰", 10, &error);
  c = g_ptr_array_index (all, 0);
  crm_contact_set_field (c, CRM_CONTACT_FIELD_NAME, "张无忌");
  crm_store_save_contact (ts->store, c, &error);
  g_assert_no_error (error);
  check ("三丰", "王伟");
  check ("无忌", "张无忌");
  crm_store_delete_contact (ts->store, c, &error);
  g_assert_no_error (error);
  check ("无忌", "");
  check ("5678", "张三");
  teardown ();
}

static void
test_search_trim_domains (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "ruifengsu.com", "ruifengsu" },
    { "wudang.CN", "wudang" },
    { "xiaohe.co.com.cn", "xiaohe.co" },
    { "张三 huawei.net", "张三 huawei" },
    { "qq.com", NULL },       /* too little left to be cheaper */
    { "gmail.com", NULL },
    { ".com", NULL },
    { "wudang", NULL },
    { "com", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = _crm_search_trim_domains (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_search_match_expression (void)
{
  g_autofree char *m1 = crm_search_build_match ("  ");
  g_autofree char *m2 = crm_search_build_match ("张");
  g_autofree char *m3 = crm_search_build_match ("a\"b c");
  g_autofree char *m4 = crm_search_build_match ("张三\u3000李四");

  g_assert_null (m1);
  g_assert_cmpstr (m2, ==, "\"张\" *");
  g_assert_cmpstr (m3, ==, "\"a\"\"b\" AND \"c\" *");
  g_assert_cmpstr (m4, ==, "\"张三\" AND \"李四\"");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/chinese", test_search_chinese);
  g_test_add_func ("/search/phone", test_search_phone);
  g_test_add_func ("/search/email-latin", test_search_email_latin);
  g_test_add_func ("/search/follows-edits", test_search_follows_edits);
  g_test_add_func ("/search/match-expression", test_search_match_expression);
  g_test_add_func ("/search/trim-domains", test_search_trim_domains);

  return g_test_run ();
}
