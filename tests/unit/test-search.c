/* test-search.c — substring search: Chinese, phone fragments, e-mail parts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

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

/* @text for a message: control characters and invalid bytes as escapes */
static char *
escape (const char *text)
{
  static char high[129];

  for (guint i = 0; i < 128; i++)
    high[i] = (char)(0x80 + i);
  return g_strescape (text, g_utf8_validate (text, -1, NULL) ? high : NULL);
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

  /* a query of no words: everyone, as the list shows */
  for (guint i = 0; pattern == NULL && i < all->len; i++)
    g_strv_builder_add (names, crm_contact_get_name (g_ptr_array_index (all, i)));
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
        crm_contact_get_field (c, CRM_CONTACT_FIELD_TAGS),
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
  g_autofree char *by_list = found_by_list (query);
  g_autofree char *escaped = escape (query);

  g_test_message ("%s -> %s", escaped, names);
  g_assert_cmpstr (names, ==, expected);
  /* the index and the in-memory test agree */
  g_assert_cmpstr (by_pattern, ==, expected);
  /* and so does the list (which shows everyone for a query of no words) */
  g_assert_cmpstr (by_list, ==, expected);
}

static void
test_search_chinese (void)
{
  setup ();
  /* list order is by pinyin: 李 li < 王 wang < 张 zhang */
  check ("张三", "张三,张三丰");          /* two characters, inside a longer name */
  check ("三丰", "王伟,张三丰");          /* middle of a name, and of a company */
  check ("张", "李张,张三,张三丰");       /* one character, also at the end */
  check ("丰", "王伟,张三丰");
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
  check ("WANG", "王伟,Wang Wei");        /* case-folded; name and e-mail */
  check ("wei.w", "Wang Wei");
  check ("acme", "Wang Wei");
  check ("wang wei", "王伟,Wang Wei");    /* both words */
  check ("lizhang", "李张");              /* WeChat ID */
  check ("ＡＣＭＥ", "Wang Wei");         /* full-width letters */
  check ("\"", "");
  check ("*", "");
  check ("a OR b NEAR", "");
  teardown ();
}

/* Control and format characters, marks, white space of every kind and
 * invalid bytes are skipped alike by the index and by the value test; a
 * query of nothing else shows everyone. */
static void
test_search_control_format (void)
{
  static const char *nothing[] = {
    "\v", "-\v", "\f", "\x01", "\x7f", "\xc2\x85", "\u200b", "\u200d", "\u2060",
    "\ufeff", "\u202e", "\u2066", "\u00ad", "\u00a0", "\u3000", "\u2028", "\u0301",
    "\xff", "\xe5\xbc", "－", "\u2013", "\v-\u200b \u3000\xc3",
  };
  static const char *zhang_san[] = {
    "张\v三", "张\u200b三", "\ufeff张三", "张三\u202c", "张\u00ad三", "张\xff三",
    "\x1f张三\x7f", "张\u0301三", "张\xc2\x85三", "张三\u200e",
  };
  g_autofree char *everyone = NULL;

  setup ();
  everyone = found (NULL);
  g_assert_cmpstr (everyone, ==, "李张,王伟,Wang Wei,张三,张三丰");
  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    check (nothing[i], everyone);
  for (guint i = 0; i < G_N_ELEMENTS (zhang_san); i++)
    check (zhang_san[i], "张三,张三丰");
  check ("138\v1234", "张三丰");             /* a word break, like a space */
  check ("138\u00a05678", "张三丰");
  check ("1381234\u2060", "张三丰");
  check ("ｌｉｚｈａｎｇ\u200b８８", "李张");
  check ("\vqq.com\v", "张三");
  check ("\u200b\u200b", everyone);
  /* a word of one character; by pinyin also 子 zi of 王伟's company */
  check ("\v\x01z", "李张,王伟,张三,张三丰");
  check ("\v\x01ж\u200b", "");
  teardown ();
}

static void
test_search_pinyin (void)
{
  ts = crm_test_store_new ();
  add_full ("张伟", "阿里巴巴", "", "", "", "");
  add_full ("赵伟", "", "", "", "", "");
  add_full ("单田芳", "", "", "", "", "");
  add_full ("曾国藩", "", "", "", "", "");
  add_full ("王芳", "", "", "", "", "");
  add_full ("尉迟恭", "", "", "", "", "");
  add_full ("Zhang Wei", "", "", "", "", "");
  add_full ("欧阳修", "", "", "", "", "");

  g_assert_cmpstr (found (NULL), ==, "欧阳修,单田芳,王芳,尉迟恭,曾国藩,张伟,Zhang Wei,赵伟");
  check ("zhangwei", "张伟,Zhang Wei");   /* full pinyin */
  check ("zhang wei", "张伟,Zhang Wei");  /* syllables as words */
  check ("zw", "张伟,赵伟");              /* initials */
  check ("ZW", "张伟,赵伟");
  check ("zhangw", "张伟,Zhang Wei");     /* mixed */
  check ("zhaow", "赵伟");
  check ("wei", "尉迟恭,张伟,Zhang Wei,赵伟"); /* 尉 wei, and from the second character */
  check ("ｚｗ", "张伟,赵伟");            /* full-width */
  check ("alibaba", "张伟");              /* a company */
  check ("ouyang", "欧阳修");
  check ("oyx", "欧阳修");
  check ("shantian", "单田芳");           /* a surname by its surname reading */
  check ("dantian", "单田芳");            /* and by the common one */
  check ("stf", "单田芳");
  check ("zengguo", "曾国藩");
  check ("cengguo", "曾国藩");
  check ("yuchigong", "尉迟恭");
  check ("wf", "王芳");
  check ("f", "单田芳,王芳,曾国藩");      /* one letter: a syllable's start */
  check ("zhangweiming", "");             /* longer than the name */
  check ("weizhang", "");                 /* not in that order */
  check ("zhang伟", "");                  /* not pinyin: letters and Han mixed */
  check ("zhang 伟", "张伟");
  check ("xyz", "");
  teardown ();
}

static void
add_tagged (const char *name,
            const char *tags)
{
  g_autoptr (CrmContact) c = crm_test_contact (name, "", "");
  g_autoptr (GError) error = NULL;

  crm_contact_set_field (c, CRM_CONTACT_FIELD_TAGS, tags);
  crm_store_save_contact (ts->store, c, &error);
  g_assert_no_error (error);
}

static void
test_search_tags (void)
{
  g_autoptr (GPtrArray) split = _crm_search_split_tags ("重点客户，VIP、老客户; a ;;A；Ｂ");
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  const char *expected[] = { "重点客户", "vip", "老客户", "a", "b" };

  g_assert_cmpuint (split->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (split, i), ==, expected[i]);

  ts = crm_test_store_new ();
  add_tagged ("张伟", "重点客户，VIP");
  add_tagged ("李娜", "重点;老客户");
  add_tagged ("王芳", "客户、供应商");
  add_tagged ("Anna", "");
  add_tagged ("赵敏", "vip , 重点客户");

  check ("#重点客户", "张伟,赵敏");
  check ("#重点", "李娜,张伟,赵敏");      /* a tag that starts so */
  check ("#客户", "王芳");                /* not 老客户 */
  check ("#vip", "张伟,赵敏");            /* case-folded */
  check ("#ＶＩＰ", "张伟,赵敏");         /* full-width */
  check ("＃vip", "张伟,赵敏");
  check ("#供应商", "王芳");              /* after 、 */
  check ("#重点 zhang", "张伟");          /* a tag and a word */
  check ("#重点客户 #vip", "张伟,赵敏");
  check ("#老客户 #vip", "");
  check ("#nope", "");
  check ("重点客户", "");                 /* only tag words look at the tags */
  check ("#", "");

  /* edits and deletions follow */
  all = crm_store_search_contacts (ts->store, "王芳", 10, &error);
  g_assert_no_error (error);
  crm_contact_set_field (g_ptr_array_index (all, 0), CRM_CONTACT_FIELD_TAGS, "重点客户");
  crm_store_save_contact (ts->store, g_ptr_array_index (all, 0), &error);
  g_assert_no_error (error);
  check ("#重点客户", "王芳,张伟,赵敏");
  check ("#供应商", "");
  g_clear_pointer (&all, g_ptr_array_unref);
  all = crm_store_search_contacts (ts->store, "张伟", 10, &error);
  crm_store_delete_contact (ts->store, g_ptr_array_index (all, 0), &error);
  g_assert_no_error (error);
  check ("#重点客户", "王芳,赵敏");
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
  g_autofree char *m5 = crm_search_build_match ("ZhangW \x01w");
  g_autofree char *p3 = _crm_search_build_match_for ("a\"b c", CRM_SEARCH_LAYOUT_PAIRS, NULL);
  g_autofree char *p5 = _crm_search_build_match_for ("ZhangW \x01w", CRM_SEARCH_LAYOUT_PAIRS,
                                                     NULL);

  g_assert_null (m1);
  g_assert_cmpstr (m2, ==, "\"张\" *");
  g_assert_cmpstr (m3, ==, "\"a\"\"b\" AND (\"c\" * OR \"\001c\" *)");
  g_assert_cmpstr (m4, ==, "\"张三\" AND \"李四\"");
  /* letters only: also by pinyin; a control character typed is dropped */
  g_assert_cmpstr (m5, ==, "(\"zhangw\" OR \"\001zhangw\" *) AND (\"w\" * OR \"\001w\" *)");
  /* without positions, three characters and more: the AND of their pairs */
  g_assert_cmpstr (p3, ==, "(\"a\"\"\" AND \"\"\"b\") AND (\"c\" * OR \"\001c\" *)");
  g_assert_cmpstr (p5, ==, "((\"zh\" AND \"ha\" AND \"an\" AND \"ng\" AND \"gw\")"
                   " OR \"\001zhangw\" *) AND (\"w\" * OR \"\001w\" *)");
}

/* the characters the property test draws from, by class */
static const char *const letters[] = {
  "a", "b", "Z", "1", "3", "8", "@", ".", "\"", "*", "张", "三", "丰", "李", "王", "é",
  /* pinyin: pieces of the syllables above, and polyphonic surnames */
  "zh", "ang", "w", "s", "l", "i", "单", "曾", "尉迟",
};
static const char *const odd[] = {
  /* C0, DEL, C1 */
  "\x01", "\x08", "\v", "\f", "\x1b", "\x1f", "\x7f", "\xc2\x80", "\xc2\x85", "\xc2\x9f",
  /* format: zero widths, joiners, marks of direction, BOM, soft hyphen */
  "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u202a", "\u202e",
  "\u2066", "\u2069", "\u061c", "\u00ad",
  /* combining marks: non-spacing, spacing, enclosing, variation selector */
  "\u0301", "\u0308", "\u0903", "\u20dd", "\ufe0f",
  /* white space of every kind */
  " ", "\t", "\n", "\r", "\u00a0", "\u3000", "\u2003", "\u202f", "\u2028", "\u2029",
  /* full-width forms, hyphens and dashes */
  "Ａ", "ｚ", "１", "－", "＂", "＊", "-", "\u2010", "\u2013", "\u2212",
  /* invalid UTF-8: a lone continuation, a cut sequence, bytes never used */
  "\x80", "\xc3", "\xe5\xbc", "\xff", "\xc0\xaf",
};

static void
append_random (GString *s,
               GRand   *rand,
               guint    length)
{
  for (guint i = 0; i < length; i++)
    {
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_string_append (s, odd[g_rand_int_range (rand, 0, G_N_ELEMENTS (odd))]);
      else
        g_string_append (s, letters[g_rand_int_range (rand, 0, G_N_ELEMENTS (letters))]);
    }
}

/* Property: for random values and queries made of letters, digits, Chinese
 * and every class of character skipped, the FTS5 index with the crm_bigram
 * tokenizer, in both layouts (with positions, as the store's; and without),
 * finds every value the C rule matches, exactly those when
 * _crm_search_build_match_for() says it is exact, and a few more when it is
 * not (the AND of the pairs, which would be checked by the rule). */
static void
test_search_index_agrees (gconstpointer data)
{
  CrmSearchLayout layout = GPOINTER_TO_INT (data);
  enum { N_ROWS = 48, N_QUERIES = 3000 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261129);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL, *select = NULL;
  guint n_found = 0, n_empty = 0, n_pinyin = 0, n_checked = 0, n_false = 0;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (_crm_search_register_tokenizer (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, layout == CRM_SEARCH_LAYOUT_PAIRS
                                 ? "CREATE VIRTUAL TABLE t USING fts5 (a, b, tokenize = '"
                                   CRM_SEARCH_TOKENIZER "', detail = none, columnsize = 0)"
                                 : "CREATE VIRTUAL TABLE t USING fts5 (a, b, tokenize = '"
                                   CRM_SEARCH_TOKENIZER "', detail = full, columnsize = 0)",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO t (rowid, a, b) VALUES (?1, ?2, ?3)",
                                       -1, &insert, NULL), ==, SQLITE_OK);
  for (guint r = 0; r < N_ROWS; r++)
    {
      for (guint f = 0; f < 2; f++)
        {
          GString *v = g_string_new (NULL);
          append_random (v, rand, g_rand_int_range (rand, 0, 12));
          g_ptr_array_add (values, g_string_free (v, FALSE));
        }
      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, r + 1);
      sqlite3_bind_text (insert, 2, g_ptr_array_index (values, 2 * r), -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, g_ptr_array_index (values, 2 * r + 1), -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
    }
  sqlite3_finalize (insert);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &select,
                                       NULL), ==, SQLITE_OK);

  for (guint q = 0; q < N_QUERIES; q++)
    {
      g_autoptr (GString) query = g_string_new (NULL);
      g_autofree char *match = NULL;
      g_autoptr (CrmSearchPattern) pattern = NULL;
      gboolean by_index[N_ROWS + 1] = { FALSE, };
      g_autofree char *escaped = NULL;
      gboolean exact = TRUE;
      int rc;

      /* half the queries are a piece of a value with characters thrown in */
      if (q % 2 == 0)
        {
          const char *v = g_ptr_array_index (values, g_rand_int_range (rand, 0, 2 * N_ROWS));
          gsize len = strlen (v), from = len ? g_rand_int_range (rand, 0, len) : 0;
          gsize to = from + (len - from ? g_rand_int_range (rand, 0, len - from + 1) : 0);

          g_string_append_len (query, v + from, to - from);
          for (guint k = g_rand_int_range (rand, 0, 3); k > 0; k--)
            g_string_insert (query, g_rand_int_range (rand, 0, query->len + 1),
                             odd[g_rand_int_range (rand, 0, G_N_ELEMENTS (odd))]);
        }
      else
        {
          append_random (query, rand, g_rand_int_range (rand, 0, 5));
        }
      escaped = escape (query->str);
      match = _crm_search_build_match_for (query->str, layout, &exact);
      pattern = _crm_search_pattern_new (query->str);
      /* a query of no words is one for both: everyone is shown */
      if ((match == NULL) != (pattern == NULL))
        g_error ("“%s”: match %s, but the value test %s", escaped, match ? match : "none",
                 pattern ? "has words" : "none");
      if (match == NULL)
        {
          n_empty++;
          continue;
        }

      sqlite3_reset (select);
      sqlite3_bind_text (select, 1, match, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (select)) == SQLITE_ROW)
        by_index[sqlite3_column_int64 (select, 0)] = TRUE;
      if (rc != SQLITE_DONE)
        g_error ("“%s” (%s): %s", escaped, match, sqlite3_errmsg (db));

      for (guint r = 0; r < N_ROWS; r++)
        {
          const char *fields[] = { g_ptr_array_index (values, 2 * r),
                                   g_ptr_array_index (values, 2 * r + 1) };
          gboolean by_value = _crm_search_pattern_match (pattern, fields, 2);

          /* a candidate of a query that is not exact: the rule decides */
          if (!exact && by_index[r + 1] && !by_value)
            {
              n_false++;
              continue;
            }
          if (by_value != by_index[r + 1])
            {
              g_autofree char *a = escape (fields[0]);
              g_autofree char *b = escape (fields[1]);
              g_error ("“%s” (%s): the index %s “%s” / “%s”, the value test %s", escaped,
                       match, by_index[r + 1] ? "finds" : "misses", a, b,
                       by_value ? "matches" : "does not");
            }
          n_found += by_value;
          n_checked += by_value && !exact;
          /* found by pinyin: a query of letters that no value holds */
          if (by_value && g_regex_match_simple ("^[a-zA-Z]+$", query->str, 0, 0))
            {
              g_autofree char *lower = g_ascii_strdown (query->str, -1);
              g_autofree char *a = g_ascii_strdown (fields[0], -1);
              g_autofree char *b = g_ascii_strdown (fields[1], -1);

              n_pinyin += strstr (a, lower) == NULL && strstr (b, lower) == NULL;
            }
        }
    }
  sqlite3_finalize (select);
  sqlite3_close (db);
  g_test_message ("%u queries, %u of no words, %u matches, %u by pinyin, %u checked by the"
                  " rule, %u candidates it took out", N_QUERIES, n_empty, n_found, n_pinyin,
                  n_checked, n_false);
  g_assert_cmpuint (n_pinyin, >, 20);
  /* without positions: queries of three characters and more, and pairs
   * found out of order; with them, every answer exact */
  if (layout == CRM_SEARCH_LAYOUT_PAIRS)
    {
      g_assert_cmpuint (n_checked, >, 100);
      g_assert_cmpuint (n_false, >, 0);
    }
  else
    g_assert_cmpuint (n_checked + n_false, ==, 0);
  /* the draw is not degenerate: queries that find something, and empty ones */
  g_assert_cmpuint (n_found, >, N_QUERIES);
  g_assert_cmpuint (n_empty, >, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/chinese", test_search_chinese);
  g_test_add_func ("/search/phone", test_search_phone);
  g_test_add_func ("/search/email-latin", test_search_email_latin);
  g_test_add_func ("/search/control-format", test_search_control_format);
  g_test_add_data_func ("/search/index-agrees-with-values",
                        GINT_TO_POINTER (CRM_SEARCH_LAYOUT_POSITIONS), test_search_index_agrees);
  g_test_add_data_func ("/search/index-agrees-with-values-without-positions",
                        GINT_TO_POINTER (CRM_SEARCH_LAYOUT_PAIRS), test_search_index_agrees);
  g_test_add_func ("/search/pinyin", test_search_pinyin);
  g_test_add_func ("/search/tags", test_search_tags);
  g_test_add_func ("/search/follows-edits", test_search_follows_edits);
  g_test_add_func ("/search/match-expression", test_search_match_expression);
  g_test_add_func ("/search/trim-domains", test_search_trim_domains);

  return g_test_run ();
}
