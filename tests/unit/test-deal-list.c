/* test-deal-list.c — the deals' lazily paged list model: order, paging, signals
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "crm-deal-list.h"
#include "crm-store-private.h"
#include "crm-test-mirror.h"
#include "crm-test-util.h"

#define DEAL_ID ((CrmTestIdFunc) crm_deal_get_id)
#define id_at(model, position) crm_test_row_id ((model), (position), DEAL_ID)

/* a mirror of a new list of @stage's deals, checked in every signal */
static CrmTestMirror *
mirror_new (CrmStore *store,
            int       stage)
{
  return crm_test_mirror_new (G_LIST_MODEL (crm_deal_list_new (store, stage)), DEAL_ID, TRUE);
}

static CrmDealList *
list_of (CrmTestMirror *mirror)
{
  return CRM_DEAL_LIST (mirror->model);
}

static void
mirror_free (CrmTestMirror *mirror)
{
  GListModel *list = mirror->model;

  crm_test_mirror_free (mirror);
  g_assert_finalize_object (list);
}

/* The expected order, by SQL written here independently of the model */
static GPtrArray *
expected_ids (CrmStore    *store,
              int          stage,
              CrmDealSort  sort,
              gboolean     desc)
{
  static const char *const order[][2] = {
    [CRM_DEAL_SORT_POSITION] = {
      "instr ('lead qualified proposal negotiation won lost', d.stage), d.position, d.local_id",
      "instr ('lead qualified proposal negotiation won lost', d.stage) DESC,"
      " d.position DESC, d.local_id DESC" },
    [CRM_DEAL_SORT_TITLE] = { "d.title, d.local_id", "d.title DESC, d.local_id DESC" },
    [CRM_DEAL_SORT_CONTACT] = {
      "c.sort_key IS NULL, c.sort_key, d.local_id",
      "c.sort_key IS NULL, c.sort_key DESC, d.local_id DESC" },
    [CRM_DEAL_SORT_AMOUNT] = { "d.amount_fen, d.local_id",
                               "d.amount_fen DESC, d.local_id DESC" },
    [CRM_DEAL_SORT_STAGE] = {
      "instr ('lead qualified proposal negotiation won lost', d.stage), d.local_id",
      "instr ('lead qualified proposal negotiation won lost', d.stage) DESC, d.local_id DESC" },
    [CRM_DEAL_SORT_PROBABILITY] = { "d.probability, d.local_id",
                                    "d.probability DESC, d.local_id DESC" },
    [CRM_DEAL_SORT_EXPECTED_CLOSE] = {
      "coalesce (d.expected_close, '9999'), d.local_id",
      "d.expected_close IS NULL, d.expected_close DESC, d.local_id DESC" },
    [CRM_DEAL_SORT_UPDATED] = { "d.updated_at, d.local_id",
                                "d.updated_at DESC, d.local_id DESC" },
  };
  g_autofree char *sql = g_strdup_printf ("SELECT d.id FROM deals d"
                                          " LEFT JOIN contacts c ON c.id = d.contact_id"
                                          " WHERE d.deleted = 0 AND (?1 IS NULL OR d.stage = ?1)"
                                          " ORDER BY %s", order[sort][desc ? 1 : 0]);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_crm_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (stage >= 0)
    sqlite3_bind_text (stmt, 1, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return ids;
}

/* the model, the mirror and the store's own order agree */
static void
assert_consistent (CrmTestMirror *mirror,
                   CrmStore      *store)
{
  GListModel *model = mirror->model;
  CrmDealList *list = CRM_DEAL_LIST (model);
  gboolean desc = FALSE;
  CrmDealSort sort = crm_deal_list_get_sort (list, &desc);
  g_autoptr (GPtrArray) expected = expected_ids (store, crm_deal_list_get_stage (list),
                                                 sort, desc);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  g_assert_cmpuint (mirror->ids->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autofree char *id = id_at (model, i);
      g_assert_cmpstr (id, ==, g_ptr_array_index (expected, i));
      g_assert_cmpstr (g_ptr_array_index (mirror->ids, i), ==, g_ptr_array_index (expected, i));
    }
  g_assert_null (g_list_model_get_item (model, expected->len));
  g_assert_cmpuint (crm_deal_list_get_n_cached_pages (list), <=, 32);
}

static CrmDeal *
make_deal (GRand      *rand,
           guint       serial,
           GPtrArray  *contacts,
           int         stage)
{
  CrmDeal *deal = crm_deal_new ();
  g_autofree char *title = g_strdup_printf ("商机%03d", g_rand_int_range (rand, 0, 500));
  g_autofree char *close = NULL;

  crm_deal_set_title (deal, title);
  /* few distinct amounts and probabilities: many ties */
  crm_deal_set_amount (deal, g_rand_int_range (rand, 0, 20) * 100000);
  crm_deal_set_stage (deal, stage >= 0 ? stage : g_rand_int_range (rand, 0, CRM_DEAL_N_STAGES));
  if (g_rand_boolean (rand))
    crm_deal_set_probability (deal, g_rand_int_range (rand, 0, 5) * 25);
  crm_deal_set_lost_reason (deal, "原因");
  if (g_rand_int_range (rand, 0, 3) > 0)
    {
      close = g_strdup_printf ("2026-%02d-%02d", g_rand_int_range (rand, 1, 13),
                               g_rand_int_range (rand, 1, 29));
      crm_deal_set_expected_close (deal, close);
    }
  if (contacts != NULL && g_rand_int_range (rand, 0, 4) > 0)
    crm_deal_set_contact_id (deal, crm_contact_get_id (g_ptr_array_index (contacts,
                                                       g_rand_int_range (rand, 0,
                                                                         contacts->len))));
  return deal;
}

static GPtrArray *
live_deals (CrmStore *store)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *deals = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (_crm_store_get_db (store), "SELECT id FROM deals WHERE deleted = 0"
                      " ORDER BY local_id", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CrmDeal *deal = crm_store_get_deal (store, (const char *)sqlite3_column_text (stmt, 0),
                                          &error);
      g_assert_no_error (error);
      g_ptr_array_add (deals, deal);
    }
  sqlite3_finalize (stmt);
  return deals;
}

static void
test_deal_list_changes (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) deleted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  CrmTestMirror *columns[CRM_DEAL_N_STAGES];
  CrmTestMirror *all;
  GRand *rand = g_rand_new_with_seed (2026);
  static const char *names[] = { "张三", "李四", "王五", "赵六", "Alice", "Bob", "欧阳修" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (contacts, crm_test_add (ts->store, names[i], "", ""));
  for (guint i = 0; i < 400; i++)
    g_ptr_array_add (batch, make_deal (rand, i, contacts, -1));
  g_assert_true (crm_store_insert_deals (ts->store, batch, &error));
  g_assert_no_error (error);

  for (int s = 0; s < CRM_DEAL_N_STAGES; s++)
    {
      columns[s] = mirror_new (ts->store, s);
      assert_consistent (columns[s], ts->store);
    }
  all = mirror_new (ts->store, CRM_DEAL_LIST_ALL_STAGES);
  assert_consistent (all, ts->store);
  g_assert_cmpuint (g_list_model_get_n_items (all->model), ==, 400);

  /* an insert: the top of its column, one signal */
  {
    g_autoptr (CrmDeal) deal = make_deal (rand, 0, contacts, CRM_DEAL_PROPOSAL);
    guint n = columns[CRM_DEAL_PROPOSAL]->n_signals;

    g_assert_true (crm_store_save_deal (ts->store, deal, &error));
    crm_test_mirror_assert_signal (columns[CRM_DEAL_PROPOSAL], n + 1, 0, 0, 1);
    g_assert_cmpuint (crm_deal_list_find (list_of (columns[CRM_DEAL_PROPOSAL]), deal), ==, 0);
  }
  /* an edit that keeps the order: items-changed (i, 1, 1) */
  {
    g_autoptr (CrmDeal) deal = g_list_model_get_item (columns[CRM_DEAL_LEAD]->model, 3);
    g_autoptr (CrmDeal) edited = crm_deal_copy (deal);
    g_autoptr (CrmDeal) shown = NULL;
    guint n = columns[CRM_DEAL_LEAD]->n_signals;

    crm_deal_set_notes (edited, "新的备注");
    g_assert_true (crm_store_save_deal (ts->store, edited, &error));
    crm_test_mirror_assert_signal (columns[CRM_DEAL_LEAD], n + 1, 3, 1, 1);
    shown = g_list_model_get_item (columns[CRM_DEAL_LEAD]->model, 3);
    g_assert_cmpstr (crm_deal_get_notes (shown), ==, "新的备注");
  }
  /* a move between columns: out of one, into the other's end */
  {
    g_autoptr (CrmDeal) deal = g_list_model_get_item (columns[CRM_DEAL_LEAD]->model, 5);
    guint n_lead = columns[CRM_DEAL_LEAD]->n_signals;
    guint n_won = columns[CRM_DEAL_WON]->n_signals;
    guint len_won = g_list_model_get_n_items (columns[CRM_DEAL_WON]->model);

    g_assert_true (crm_store_move_deal (ts->store, deal, CRM_DEAL_WON, NULL, &error));
    crm_test_mirror_assert_signal (columns[CRM_DEAL_LEAD], n_lead + 1, 5, 1, 0);
    crm_test_mirror_assert_signal (columns[CRM_DEAL_WON], n_won + 1, len_won, 0, 1);
    g_assert_cmpuint (crm_deal_list_find (list_of (columns[CRM_DEAL_WON]), deal), ==, len_won);
    g_assert_cmpuint (crm_deal_list_find (list_of (columns[CRM_DEAL_LEAD]), deal), ==, G_MAXUINT);
  }
  for (int s = 0; s < CRM_DEAL_N_STAGES; s++)
    assert_consistent (columns[s], ts->store);
  assert_consistent (all, ts->store);

  /* random changes under every order of the table */
  for (guint round = 0; round < 16; round++)
    {
      CrmDealSort sort = round / 2;
      gboolean desc = round % 2;
      g_autoptr (GPtrArray) live = NULL;

      crm_deal_list_set_sort (list_of (all), sort, desc);
      assert_consistent (all, ts->store);
      live = live_deals (ts->store);

      for (guint k = 0; k < 12; k++)
        {
          CrmDeal *deal = g_ptr_array_index (live, g_rand_int_range (rand, 0, live->len));
          guint what = g_rand_int_range (rand, 0, 7);

          if (what == 0)
            {
              g_autoptr (CrmDeal) added = make_deal (rand, 0, contacts, -1);
              g_assert_true (crm_store_save_deal (ts->store, added, &error));
            }
          else if (what == 1)
            {
              crm_deal_set_amount (deal, g_rand_int_range (rand, 0, 20) * 100000);
              crm_deal_set_title (deal, g_rand_boolean (rand) ? "甲" : "乙");
              crm_deal_set_expected_close (deal, g_rand_boolean (rand) ? "" : "2026-06-01");
              crm_deal_set_contact_id (deal, g_rand_boolean (rand) ? NULL
                                       : crm_contact_get_id (g_ptr_array_index (contacts, 0)));
              crm_store_save_deal (ts->store, deal, &error);
            }
          else if (what == 2 || what == 3)
            {
              CrmDealStage stage = g_rand_int_range (rand, 0, CRM_DEAL_N_STAGES);
              GListModel *column = columns[stage]->model;
              guint n = g_list_model_get_n_items (column);
              g_autoptr (CrmDeal) before = NULL;

              if (n > 0 && what == 2)
                before = g_list_model_get_item (column, g_rand_int_range (rand, 0, n));
              crm_deal_set_lost_reason (deal, "原因");
              crm_store_move_deal (ts->store, deal, stage, before, &error);
            }
          else if (what == 4)
            {
              if (crm_store_delete_deal (ts->store, deal, &error))
                g_ptr_array_add (deleted, g_object_ref (deal));
            }
          else if (what == 5 && deleted->len > 0)
            {
              crm_store_restore_deal (ts->store, g_ptr_array_index (deleted, 0), &error);
              g_ptr_array_remove_index (deleted, 0);
            }
          else
            {
              crm_deal_set_probability (deal, g_rand_int_range (rand, 0, 101));
              crm_store_save_deal (ts->store, deal, &error);
            }
          g_clear_error (&error); /* a deal deleted earlier in the round */

          for (int s = 0; s < CRM_DEAL_N_STAGES; s++)
            assert_consistent (columns[s], ts->store);
          assert_consistent (all, ts->store);
        }
    }

  /* a contact renamed: everything read again, the new name shown */
  crm_deal_list_set_sort (list_of (all), CRM_DEAL_SORT_CONTACT, FALSE);
  {
    CrmContact *zhang = g_ptr_array_index (contacts, 0);
    g_autoptr (CrmDeal) first = NULL;
    guint n = all->n_signals;
    guint len = g_list_model_get_n_items (all->model);

    crm_contact_set_field (zhang, CRM_CONTACT_FIELD_NAME, "AAA");
    g_assert_true (crm_store_save_contact (ts->store, zhang, &error));
    crm_test_mirror_assert_signal (all, n + 1, 0, len, len);
    first = g_list_model_get_item (all->model, 0);
    g_assert_cmpstr (crm_deal_get_contact_name (first), ==, "AAA");
  }
  for (int s = 0; s < CRM_DEAL_N_STAGES; s++)
    assert_consistent (columns[s], ts->store);
  assert_consistent (all, ts->store);

  /* a bulk insert: one reset */
  {
    g_autoptr (GPtrArray) more = g_ptr_array_new_with_free_func (g_object_unref);
    guint n = all->n_signals;

    for (guint i = 0; i < 50; i++)
      g_ptr_array_add (more, make_deal (rand, i, contacts, -1));
    g_assert_true (crm_store_insert_deals (ts->store, more, &error));
    g_assert_cmpuint (all->n_signals, ==, n + 1);
  }
  for (int s = 0; s < CRM_DEAL_N_STAGES; s++)
    {
      assert_consistent (columns[s], ts->store);
      mirror_free (columns[s]);
    }
  assert_consistent (all, ts->store);
  mirror_free (all);
  g_rand_free (rand);
  crm_test_store_free (ts);
}

/* a column of 50,000 deals: not read whole, and changes are precise */
static void
test_deal_list_big_column (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (CrmDealList) list = NULL;
  g_autoptr (CrmDeal) moved = NULL;
  g_autoptr (CrmDeal) anchor = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *model;
  GRand *rand = g_rand_new_with_seed (5);
  const guint n = 50000;
  CrmTestMirror *mirror;

  for (guint i = 0; i < n; i++)
    {
      CrmDeal *deal = crm_deal_new ();
      g_autofree char *title = g_strdup_printf ("D%05u", i);

      crm_deal_set_title (deal, title);
      crm_deal_set_stage (deal, i < 10 ? CRM_DEAL_WON : CRM_DEAL_QUALIFIED);
      g_ptr_array_add (batch, deal);
    }
  g_assert_true (crm_store_insert_deals (ts->store, batch, &error));
  g_assert_no_error (error);

  list = crm_deal_list_new (ts->store, CRM_DEAL_QUALIFIED);
  model = G_LIST_MODEL (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n - 10);
  g_assert_cmpuint (crm_deal_list_get_n_cached_pages (list), ==, 0);
  /* the given order is the column's order */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (CrmDeal) deal = g_list_model_get_item (model, i);
      g_autofree char *want = g_strdup_printf ("D%05u", i + 10);
      g_assert_cmpstr (crm_deal_get_title (deal), ==, want);
    }
  g_assert_cmpuint (crm_deal_list_get_n_cached_pages (list), ==, 1);
  g_object_unref (g_list_model_get_item (model, n - 11));
  g_assert_cmpuint (crm_deal_list_get_n_cached_pages (list), ==, 2);
  for (guint k = 0; k < 2000; k++)
    {
      guint i = g_rand_int_range (rand, 0, n - 10);
      g_autoptr (CrmDeal) deal = g_list_model_get_item (model, i);
      g_autofree char *want = g_strdup_printf ("D%05u", i + 10);
      g_assert_cmpstr (crm_deal_get_title (deal), ==, want);
    }
  g_assert_cmpuint (crm_deal_list_get_n_cached_pages (list), <=, 32);

  /* a won deal dropped in the middle of the column */
  g_clear_object (&list);
  mirror = mirror_new (ts->store, CRM_DEAL_QUALIFIED);
  model = mirror->model;
  moved = crm_store_get_deal (ts->store, crm_deal_get_id (g_ptr_array_index (batch, 3)), &error);
  anchor = g_list_model_get_item (model, 25000);
  g_assert_true (crm_store_move_deal (ts->store, moved, CRM_DEAL_QUALIFIED, anchor, &error));
  g_assert_no_error (error);
  crm_test_mirror_assert_signal (mirror, 1, 25000, 0, 1);
  g_assert_cmpuint (crm_deal_list_find (CRM_DEAL_LIST (model), moved), ==, 25000);
  g_assert_cmpuint (crm_deal_list_find (CRM_DEAL_LIST (model), anchor), ==, 25001);
  assert_consistent (mirror, ts->store);

  mirror_free (mirror);
  g_rand_free (rand);
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/deal-list/changes", test_deal_list_changes);
  g_test_add_func ("/deal-list/big-column", test_deal_list_big_column);
  return g_test_run ();
}
