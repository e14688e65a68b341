/* test-deal-search.c — the deals' search: crm_deal_list_set_query()
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A deal is found by its title or its contact's name, by the contact
 * search's rule (crm-search.c): Chinese as a substring, Latin words, pinyin
 * in full and by initials. A real store file; the lists are read back by
 * title. The last case times a search over 100k deals and prints it (not
 * asserted: machines differ).
 */
#include "config.h"

#include "crm-deal-list.h"
#include "crm-test-util.h"

static char *
titles_of (GListModel *model)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (CrmDeal) deal = g_list_model_get_item (model, i);

      g_string_append_printf (out, "%s%s", i ? "|" : "", crm_deal_get_title (deal));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static CrmContact *
add_contact (CrmStore   *store,
             const char *name)
{
  g_autoptr (GError) error = NULL;
  CrmContact *contact = crm_contact_new ();

  crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, name);
  g_assert_true (crm_store_save_contact (store, contact, &error));
  g_assert_no_error (error);
  return contact;
}

static CrmDeal *
add_deal (CrmStore   *store,
          const char *title,
          CrmContact *contact,
          int         stage)
{
  g_autoptr (GError) error = NULL;
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, title);
  crm_deal_set_stage (deal, stage);
  if (contact != NULL)
    crm_deal_set_contact_id (deal, crm_contact_get_id (contact));
  g_assert_true (crm_store_save_deal (store, deal, &error));
  g_assert_no_error (error);
  return deal;
}

static void
assert_query (CrmDealList *list,
              const char  *query,
              const char  *want)
{
  g_autofree char *got = NULL;

  crm_deal_list_set_query (list, query);
  got = titles_of (G_LIST_MODEL (list));
  g_test_message ("%s -> %s", query, got);
  g_assert_cmpstr (got, ==, want);
}

static void
test_deal_search_rules (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = add_contact (ts->store, "张伟");
  g_autoptr (CrmContact) anna = add_contact (ts->store, "Anna Lee");
  g_autoptr (CrmDeal) d1 = add_deal (ts->store, "华东区年度框架合同", zhang, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) d2 = add_deal (ts->store, "Server renewal", anna, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) d3 = add_deal (ts->store, "办公家具采购", NULL, CRM_DEAL_WON);
  g_autoptr (CrmDealList) all = crm_deal_list_new (ts->store, CRM_DEAL_LIST_ALL_STAGES);
  g_autoptr (CrmDealList) lead = crm_deal_list_new (ts->store, CRM_DEAL_LEAD);
  g_autoptr (GError) error = NULL;

  crm_deal_list_set_sort (all, CRM_DEAL_SORT_TITLE, FALSE);
  assert_query (all, NULL, "Server renewal|办公家具采购|华东区年度框架合同");
  /* Chinese: a substring of the title, or of the contact's name */
  assert_query (all, "框架", "华东区年度框架合同");
  assert_query (all, "伟", "华东区年度框架合同");
  assert_query (all, "家具", "办公家具采购");
  /* Latin words, of the title and of the contact's name; case folded */
  assert_query (all, "serv", "Server renewal");
  assert_query (all, "LEE", "Server renewal");
  /* pinyin of the contact's name, in full and by initials */
  assert_query (all, "zhangwei", "华东区年度框架合同");
  assert_query (all, "zw", "华东区年度框架合同");
  /* pinyin of the title */
  assert_query (all, "bangong", "办公家具采购");
  /* two words: both must match, each anywhere */
  assert_query (all, "zhang 合同", "华东区年度框架合同");
  /* no match, and no words: every deal again */
  assert_query (all, "不存在", "");
  assert_query (all, "xyzzy", "");
  assert_query (all, "  ", "Server renewal|办公家具采购|华东区年度框架合同");
  g_assert_null (crm_deal_list_get_query (all));

  /* a column of the board keeps its stage */
  assert_query (lead, "采购", "");
  assert_query (lead, "合同", "华东区年度框架合同");

  /* a deal changed while searching comes and goes by the rule */
  crm_deal_list_set_query (all, "合同");
  crm_deal_set_title (d3, "家具采购合同");
  g_assert_true (crm_store_save_deal (ts->store, d3, &error));
  g_assert_no_error (error);
  {
    g_autofree char *got = titles_of (G_LIST_MODEL (all));
    g_assert_cmpstr (got, ==, "华东区年度框架合同|家具采购合同");
  }
  crm_deal_set_title (d1, "华东区年度框架");
  g_assert_true (crm_store_save_deal (ts->store, d1, &error));
  g_assert_no_error (error);
  {
    g_autofree char *got = titles_of (G_LIST_MODEL (all));
    g_assert_cmpstr (got, ==, "家具采购合同");
  }

  (void) d2;
  g_clear_object (&all);
  g_clear_object (&lead);
  crm_test_store_free (ts);
}

static void
test_deal_search_100k (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (CrmDealList) list = NULL;
  g_autoptr (GError) error = NULL;
  static const char *const surnames[] = { "张", "王", "李", "刘", "陈", "杨", "赵", "黄" };
  static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "强", "磊", "洋" };
  static const char *const queries[] = { "合同", "zhangwei", "zw", "Server", "l" };
  const guint n = 100000;

  for (guint i = 0; i < 1000; i++)
    {
      CrmContact *contact = crm_contact_new ();
      g_autofree char *name = g_strdup_printf ("%s%s%u", surnames[i % 8], given[i / 8 % 8], i);

      crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, name);
      g_ptr_array_add (contacts, contact);
    }
  g_assert_true (crm_store_insert_contacts (ts->store, contacts, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      CrmDeal *deal = crm_deal_new ();
      g_autofree char *title = g_strdup_printf (i % 3 ? "年度框架合同 %u" : "Server renewal %u",
                                                i);

      crm_deal_set_title (deal, title);
      crm_deal_set_stage (deal, i % CRM_DEAL_N_STAGES);
      crm_deal_set_lost_reason (deal, "原因");
      crm_deal_set_contact_id (deal, crm_contact_get_id (g_ptr_array_index (contacts, i % 1000)));
      g_ptr_array_add (batch, deal);
    }
  g_assert_true (crm_store_insert_deals (ts->store, batch, &error));
  g_assert_no_error (error);

  list = crm_deal_list_new (ts->store, CRM_DEAL_LIST_ALL_STAGES);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      gint64 start = g_get_monotonic_time ();

      crm_deal_list_set_query (list, queries[q]);
      g_test_message ("100k deals, \"%s\": %u found in %.1f ms", queries[q],
                      g_list_model_get_n_items (G_LIST_MODEL (list)),
                      (g_get_monotonic_time () - start) / 1000.0);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);
    }
  crm_deal_list_set_query (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  g_clear_object (&list);
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/deal-search/rules", test_deal_search_rules);
  g_test_add_func ("/deal-search/100k", test_deal_search_100k);
  return g_test_run ();
}
