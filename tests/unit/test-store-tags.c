/* test-store-tags.c — the tags the store's contacts already have
 * (crm_store_list_tags), which the tag field completes from
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real SQLite store, written through the store's own API, so the
 * contact_tags triggers of every write path are what is read.
 */
#include "config.h"

#include <string.h>

#include "crm-store-tags.h"
#include "crm-test-util.h"

typedef struct
{
  CrmTestStore *ts;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = crm_test_store_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  crm_test_store_free (f->ts);
}

static CrmContact *
add_tagged (Fixture    *f,
            const char *name,
            const char *tags)
{
  g_autoptr (GError) error = NULL;
  CrmContact *contact = crm_test_contact (name, "", "");

  crm_contact_set_field (contact, CRM_CONTACT_FIELD_TAGS, tags);
  crm_store_save_contact (f->ts->store, contact, &error);
  g_assert_no_error (error);
  return contact;
}

/* the tags listed for @prefix, joined by "|" */
static char *
listed (Fixture    *f,
        const char *prefix,
        guint       limit)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tags = crm_store_list_tags (f->ts->store, prefix, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tags);
  g_ptr_array_add (tags, NULL);
  return g_strjoinv ("|", (char **)tags->pdata);
}

#define assert_listed(f, prefix, limit, expected) \
  G_STMT_START { \
    g_autofree char *got_ = listed ((f), (prefix), (limit)); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

/* Chinese and Latin tags, split on every separator; a prefix finds those
 * that start with it, the most used first, ties in the order of names */
static void
test_prefixes (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (CrmContact) a = add_tagged (f, "张伟", "重点客户，VIP、北京");
  g_autoptr (CrmContact) b = add_tagged (f, "王芳", "重点客户; 重复购买");
  g_autoptr (CrmContact) c = add_tagged (f, "李娜", "重要，vip客户 ;Beijing");
  g_autoptr (CrmContact) d = add_tagged (f, "刘洋", "重点客户,重要");

  /* 重点客户 ×3, 重要 ×2, 重复购买 ×1 */
  assert_listed (f, "重", 0, "重点客户|重要|重复购买");
  assert_listed (f, "重点", 0, "重点客户");
  assert_listed (f, "重点客户", 0, "重点客户");
  assert_listed (f, "重点客户x", 0, "");
  assert_listed (f, "客户", 0, "");
  /* Latin: by case, as the contact wrote it; the spaces of a prefix are
   * left out as the search leaves them out */
  assert_listed (f, "v", 0, "VIP|vip客户");
  assert_listed (f, "VIP", 0, "VIP|vip客户");
  assert_listed (f, "vip 客", 0, "vip客户");
  assert_listed (f, "ＶＩＰ", 0, "VIP|vip客户");
  assert_listed (f, "b", 0, "Beijing");
  assert_listed (f, "北", 0, "北京");
  /* no prefix: every tag, the most used first */
  {
    g_autofree char *all = listed (f, NULL, 0);
    g_auto (GStrv) parts = g_strsplit (all, "|", -1);

    g_assert_cmpuint (g_strv_length (parts), ==, 7);
    g_assert_cmpstr (parts[0], ==, "重点客户");
    g_assert_cmpstr (parts[1], ==, "重要");
  }
}

/* ties of the count are in the order of names (pinyin), not of code
 * points: 安 an < 北 bei < 陈 chen < 张 zhang */
static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (CrmContact) a = add_tagged (f, "甲", "张家口，陈列，北方，安徽");
  g_autoptr (CrmContact) b = add_tagged (f, "乙", "陈列");

  assert_listed (f, "", 0, "陈列|安徽|北方|张家口");
}

/* a deleted contact's tags are not offered; its restore brings them back;
 * a changed contact's old tags go */
static void
test_deleted (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) a = add_tagged (f, "张伟", "重点客户");
  g_autoptr (CrmContact) b = add_tagged (f, "王芳", "重复购买，重点客户");
  g_autoptr (CrmContact) stored = NULL;

  assert_listed (f, "重", 0, "重点客户|重复购买");
  crm_store_delete_contact (f->ts->store, b, &error);
  g_assert_no_error (error);
  assert_listed (f, "重", 0, "重点客户");
  crm_store_delete_contact (f->ts->store, a, &error);
  g_assert_no_error (error);
  assert_listed (f, "重", 0, "");
  crm_store_restore_contact (f->ts->store, b, &error);
  g_assert_no_error (error);
  /* one each: 重点 zhongdian before 重复 zhongfu */
  assert_listed (f, "重", 0, "重点客户|重复购买");

  stored = crm_store_get_contact (f->ts->store, crm_contact_get_id (b), &error);
  g_assert_no_error (error);
  crm_contact_set_field (stored, CRM_CONTACT_FIELD_TAGS, "重要");
  crm_store_save_contact (f->ts->store, stored, &error);
  g_assert_no_error (error);
  assert_listed (f, "重", 0, "重要");
}

/* at most @limit, the most used kept; a tie at the limit is decided by the
 * order of names, not by which row SQLite read first */
static void
test_limit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (kept, add_tagged (f, "甲", "客户5"));
  /* 张 (zhang) is before 陈 (chen) by code point, after it by pinyin */
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (kept, add_tagged (f, "乙", "客户张，客户陈"));
  g_ptr_array_add (kept, add_tagged (f, "丙", "客户B，客户A"));

  assert_listed (f, "客户", 1, "客户5");
  assert_listed (f, "客户", 2, "客户5|客户陈");
  assert_listed (f, "客户", 3, "客户5|客户陈|客户张");
  assert_listed (f, "客户", 4, "客户5|客户陈|客户张|客户A");
  assert_listed (f, "客户", 0, "客户5|客户陈|客户张|客户A|客户B");
  assert_listed (f, "客户", 100, "客户5|客户陈|客户张|客户A|客户B");
}

/* bytes that are not UTF-8 are dropped as the search drops them (nothing
 * left: every tag); a prefix is a value, never SQL nor a pattern; empty
 * tags are not tags */
static void
test_odd_prefixes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (CrmContact) a = add_tagged (f, "张伟", "，，重点客户,,");

  assert_listed (f, "\xff\xfe", 0, "重点客户");
  assert_listed (f, "重\xff", 0, "重点客户");
  assert_listed (f, "'; DROP TABLE contacts; --", 0, "");
  assert_listed (f, "%", 0, "");
  assert_listed (f, "重", 0, "重点客户");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store-tags/prefixes", test_prefixes);
  ADD ("/store-tags/order", test_order);
  ADD ("/store-tags/deleted", test_deleted);
  ADD ("/store-tags/limit", test_limit);
  ADD ("/store-tags/odd-prefixes", test_odd_prefixes);
#undef ADD
  return g_test_run ();
}
