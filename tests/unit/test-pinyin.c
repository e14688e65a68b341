/* test-pinyin.c — pinyin of names, and the list order (crm-pinyin.c)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tables of names in the order a phone's address book lists them, shuffled
 * and sorted by their keys; the readings of polyphonic surnames; the
 * transliteration and initials; the keys from many threads at once.
 */
#include "config.h"

#include <string.h>

#include "crm-pinyin.h"

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  char *const *ka = a;
  char *const *kb = b;

  return strcmp (*ka, *kb);
}

/* sorts @names (in their expected order) by key, from reversed and rotated
 * starts, and checks the order */
static void
check_order (const char *const *names,
             guint              n)
{
  for (guint start = 0; start < n; start++)
    {
      g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GHashTable) name_of = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < n; i++)
        {
          const char *name = names[(start + n - i) % n];
          char *key = crm_pinyin_sort_key (name);

          g_ptr_array_add (keys, key);
          g_hash_table_insert (name_of, key, (gpointer)name);
        }
      g_ptr_array_sort (keys, compare_keys);
      for (guint i = 0; i < n; i++)
        {
          const char *got = g_hash_table_lookup (name_of, keys->pdata[i]);
          if (g_strcmp0 (got, names[i]) != 0)
            g_test_message ("position %u: %s, key %s", i, got, (char *)keys->pdata[i]);
          g_assert_cmpstr (got, ==, names[i]);
        }
    }
}

static void
test_order_mixed (void)
{
  /* the issue's own list, and Latin and Chinese names mixed by letter */
  const char *names[] = {
    "安娜", "Anna", "白雪", "陈静", "David", "Émile", "方芳", "Grace", "黄磊", "李娜",
    "李宁", "Li Ning", "刘洋", "Mike", "王芳", "吴磊", "张伟", "Zhang Wei", "张伟明", "赵敏",
    "周杰", "😀", "123 Company",
  };

  check_order (names, G_N_ELEMENTS (names));
}

static void
test_order_issue (void)
{
  /* 刘, 张, 李, 王, 陈 by code point; by pinyin: */
  const char *names[] = { "陈静", "李娜", "刘洋", "王芳", "张伟" };

  check_order (names, G_N_ELEMENTS (names));
}

static void
test_order_surnames (void)
{
  /* each polyphonic surname by its surname reading, between its neighbours */
  const char *names[] = {
    "大卫",     /* da wei */
    "丁一",     /* ding */
    "甘宁",     /* gan */
    "盖聂",     /* ge nie, not gai */
    "郭靖",     /* guo */
    "区志明",   /* ou zhi ming, not qu */
    "朴树",     /* piao shu, not pu */
    "平安",     /* ping */
    "钱多",     /* qian */
    "仇英",     /* qiu ying, not chou */
    "曲波",     /* qu */
    "单田芳",   /* shan tian fang, not dan */
    "孙悟空",   /* sun */
    "吴用",     /* wu */
    "解缙",     /* xie jin, not jie */
    "杨过",     /* yang */
    "尉迟恭",   /* yu chi gong, not wei chi */
    "曾国藩",   /* zeng guo fan, not ceng */
    "查良镛",   /* zha liang yong, not cha */
    "张三",     /* zhang */
  };

  check_order (names, G_N_ELEMENTS (names));
}

static void
test_surname_readings (void)
{
  struct { const char *name; const char *reading; gsize len; } table[] = {
    { "单田芳", "shan", 3 }, { "曾国藩", "zeng", 3 }, { "区志明", "ou", 3 },
    { "仇英", "qiu", 3 },    { "解缙", "xie", 3 },    { "朴树", "piao", 3 },
    { "查良镛", "zha", 3 },  { "盖聂", "ge", 3 },     { "尉迟恭", "yuchi", 6 },
    { "张三", NULL, 0 },     { "", NULL, 0 },         { "Shan", NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      gsize len = 0;
      const char *reading = crm_pinyin_surname (table[i].name, &len);

      g_assert_cmpstr (reading, ==, table[i].reading);
      g_assert_cmpuint (len, ==, table[i].len);
    }
  g_assert_null (crm_pinyin_surname (NULL, NULL));
}

static void
test_transliterate (void)
{
  struct { const char *text; const char *pinyin; const char *initials; } table[] = {
    { "张伟", "zhang wei", "zw" },
    { "李娜", "li na", "ln" },
    { "女", "nu", "n" },
    { "绿", "lu", "l" },
    { "Anna 李", "anna li", "al" },
    { "阿里巴巴（中国）", "a li ba ba zhong guo", "albbzg" },
    { "Émile", "emile", "e" },
    { "ＡＢＣ张", "abc zhang", "az" },
    { "138 1234", "138 1234", "11" },
    { "", "", "" },
    { "Иван", "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *pinyin = crm_pinyin_transliterate (table[i].text);
      g_autofree char *initials = crm_pinyin_initials (table[i].text);

      g_assert_cmpstr (pinyin, ==, table[i].pinyin);
      g_assert_cmpstr (initials, ==, table[i].initials);
    }

  g_assert_cmpstr (crm_pinyin_syllable (0x5F20 /* 张 */), ==, "zhang");
  g_assert_null (crm_pinyin_syllable ('a'));
  g_assert_null (crm_pinyin_syllable (0x3002 /* 。 */));
}

static void
test_letters (void)
{
  struct { const char *name; char letter; } table[] = {
    { "张伟", 'Z' }, { "Anna", 'A' }, { "anna", 'A' }, { "单田芳", 'S' }, { "曾国藩", 'Z' },
    { "Émile", 'E' }, { "  李娜", 'L' }, { "123", '#' }, { "", '#' }, { "Иван", '#' },
    { "😀", '#' }, { "（陈）", 'C' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *key = crm_pinyin_sort_key (table[i].name);

      g_assert_cmpint (crm_pinyin_key_letter (key), ==, table[i].letter);
      /* plain ASCII, no control character */
      for (const char *p = key; *p; p++)
        g_assert_true (*p >= 0x20 && *p < 0x7F);
    }
  g_assert_cmpint (crm_pinyin_key_letter (NULL), ==, '#');
}

static void
test_bad_input (void)
{
  g_autofree char *invalid = crm_pinyin_sort_key ("\xff\xfe张\xc0伟");
  g_autofree char *null_key = crm_pinyin_sort_key (NULL);
  g_autofree char *huge_name = g_strnfill (100000, 'a');
  g_autofree char *huge = NULL;
  g_autofree char *pinyin = crm_pinyin_transliterate ("\xff张");

  g_assert_cmpint (crm_pinyin_key_letter (invalid), ==, 'Z');
  g_assert_cmpint (crm_pinyin_key_letter (null_key), ==, '#');
  huge = crm_pinyin_sort_key (huge_name);
  g_assert_cmpuint (strlen (huge), <, 1024);
  g_assert_nonnull (pinyin);
}

static gpointer
keys_thread (gpointer data)
{
  const char *names[] = { "张伟", "李娜", "曾国藩", "欧阳修", "诸葛亮", "龘" };
  g_autofree char *expected = data;

  for (guint round = 0; round < 200; round++)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *key = crm_pinyin_sort_key (names[i]);
        if (i == 0 && strcmp (key, expected) != 0)
          return GINT_TO_POINTER (FALSE);
      }
  return GINT_TO_POINTER (TRUE);
}

static void
test_threads (void)
{
  g_autofree char *expected = NULL;
  GThread *threads[4];

  /* computed on this thread first, so each thread's own collator and the
   * shared syllable cache must agree with it */
  expected = crm_pinyin_sort_key ("张伟");
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("keys", keys_thread, g_strdup (expected));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pinyin/order/issue", test_order_issue);
  g_test_add_func ("/pinyin/order/mixed", test_order_mixed);
  g_test_add_func ("/pinyin/order/surnames", test_order_surnames);
  g_test_add_func ("/pinyin/surname-readings", test_surname_readings);
  g_test_add_func ("/pinyin/transliterate", test_transliterate);
  g_test_add_func ("/pinyin/letters", test_letters);
  g_test_add_func ("/pinyin/bad-input", test_bad_input);
  g_test_add_func ("/pinyin/threads", test_threads);
  return g_test_run ();
}
