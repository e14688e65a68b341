/* test-deals.c — deals in the store: fen, stages, totals, and contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "crm-store-private.h"
#include "crm-test-util.h"

static CrmDeal *
add_deal (CrmStore    *store,
          const char  *title,
          CrmContact  *contact,
          gint64       fen,
          CrmDealStage stage)
{
  g_autoptr (GError) error = NULL;
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, title);
  crm_deal_set_contact_id (deal, contact ? crm_contact_get_id (contact) : NULL);
  crm_deal_set_amount (deal, fen);
  crm_deal_set_stage (deal, stage);
  if (stage == CRM_DEAL_LOST)
    crm_deal_set_lost_reason (deal, "价格太高");
  crm_store_save_deal (store, deal, &error);
  g_assert_no_error (error);
  return deal;
}

static int
raw (CrmStore   *store,
     const char *sql)
{
  return sqlite3_exec (_crm_store_get_db (store), sql, NULL, NULL, NULL) & 0xff;
}

static void
test_deals_save_rules (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (crm_deal_get_probability (deal), ==, 10);  /* a lead's default */
  crm_deal_set_stage (deal, CRM_DEAL_NEGOTIATION);
  g_assert_cmpint (crm_deal_get_probability (deal), ==, 75);
  crm_deal_set_probability (deal, 80);                        /* per deal */
  g_assert_cmpint (crm_deal_get_probability (deal), ==, 80);

  g_assert_false (crm_store_save_deal (ts->store, deal, &error));   /* no title */
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  crm_deal_set_title (deal, "年度采购");
  crm_deal_set_stage (deal, CRM_DEAL_LOST);
  g_assert_false (crm_store_save_deal (ts->store, deal, &error));   /* no reason */
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  crm_deal_set_lost_reason (deal, "预算取消");
  g_assert_true (crm_store_save_deal (ts->store, deal, &error));
  g_assert_no_error (error);

  /* the database refuses it too, and negative amounts */
  g_assert_cmpint (raw (ts->store, "UPDATE deals SET lost_reason = ''"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw (ts->store, "UPDATE deals SET amount_fen = -1"), ==, SQLITE_CONSTRAINT);
  crm_test_store_free (ts);
}

static void
test_deals_contact_policy (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmDeal) a = add_deal (ts->store, "A", zhang, 100, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) b = add_deal (ts->store, "B", li, 200, CRM_DEAL_LEAD);
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpuint (crm_store_count_contact_deals (ts->store, zhang), ==, 1);

  /* a plain delete is refused: nothing changes */
  g_assert_false (crm_store_delete_contact (ts->store, zhang, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_HAS_DEALS);
  g_clear_error (&error);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 2);
  /* raw SQL too */
  g_assert_cmpint (raw (ts->store, "UPDATE contacts SET deleted = 1 WHERE name = '张三'"), ==,
                   SQLITE_CONSTRAINT);

  /* unlink: the deal stays, without a contact */
  g_assert_true (crm_store_delete_contact_with_deals (ts->store, zhang,
                                                      CRM_CONTACT_DEALS_UNLINK, &error));
  g_assert_no_error (error);
  sqlite3_prepare_v2 (_crm_store_get_db (ts->store),
                      "SELECT contact_id IS NULL, deleted FROM deals WHERE title = 'A'",
                      -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 0);
  sqlite3_finalize (stmt);

  /* delete: the deal goes with the contact */
  g_assert_true (crm_store_delete_contact_with_deals (ts->store, li, CRM_CONTACT_DEALS_DELETE,
                                                      &error));
  g_assert_no_error (error);
  sqlite3_prepare_v2 (_crm_store_get_db (ts->store), "SELECT deleted FROM deals WHERE title = 'B'",
                      -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 0);

  /* a hard DELETE of a contact row that deals name is refused by the key */
  g_assert_cmpint (raw (ts->store, "DELETE FROM contacts WHERE name = '李四'"), ==,
                   SQLITE_CONSTRAINT);
  crm_test_store_free (ts);
}

static void
test_deals_totals (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmDeal) lead = add_deal (ts->store, "lead", NULL, 1000000, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) proposal = add_deal (ts->store, "proposal", NULL, 234567,
                                           CRM_DEAL_PROPOSAL);
  g_autoptr (CrmDeal) won = add_deal (ts->store, "won", NULL, 500000, CRM_DEAL_WON);
  g_autoptr (CrmDeal) lost = add_deal (ts->store, "lost", NULL, 77700, CRM_DEAL_LOST);
  g_autoptr (GError) error = NULL;
  CrmDealTotals totals;

  crm_deal_set_probability (proposal, 55);
  crm_store_save_deal (ts->store, proposal, &error);
  g_assert_no_error (error);

  g_assert_true (crm_store_get_deal_totals (ts->store, "2000-01-01T00:00:00Z", &totals, &error));
  g_assert_no_error (error);
  /* by hand: open = 10,000.00 + 2,345.67; weighted = (1000000×10 + 234567×55) / 100 */
  g_assert_cmpint (totals.open_total, ==, 1234567);
  g_assert_cmpint (totals.weighted, ==, 229011);
  g_assert_cmpint (totals.won_this_month, ==, 500000);
  g_assert_cmpuint (totals.count[CRM_DEAL_LEAD], ==, 1);
  g_assert_cmpuint (totals.count[CRM_DEAL_LOST], ==, 1);
  g_assert_cmpint (totals.total[CRM_DEAL_LOST], ==, 77700);
  g_assert_cmpuint (totals.count[CRM_DEAL_NEGOTIATION], ==, 0);

  /* won before this month: not counted; moved back from won: no longer */
  g_assert_true (crm_store_get_deal_totals (ts->store, "2999-01-01T00:00:00Z", &totals, &error));
  g_assert_cmpint (totals.won_this_month, ==, 0);
  crm_deal_set_stage (won, CRM_DEAL_NEGOTIATION);
  crm_store_save_deal (ts->store, won, &error);
  g_assert_true (crm_store_get_deal_totals (ts->store, "2000-01-01T00:00:00Z", &totals, &error));
  g_assert_cmpint (totals.won_this_month, ==, 0);
  g_assert_cmpint (totals.open_total, ==, 1734567);
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/deals/save-rules", test_deals_save_rules);
  g_test_add_func ("/deals/contact-policy", test_deals_contact_policy);
  g_test_add_func ("/deals/totals", test_deals_totals);
  return g_test_run ();
}
