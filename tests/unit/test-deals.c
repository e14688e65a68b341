/* test-deals.c — deals in the store: fen, stages, totals, and contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "crm-store-private.h"
#include "crm-test-util.h"
#include "crm-validate.h"

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
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED);
  g_clear_error (&error);

  crm_deal_set_title (deal, "年度采购");
  crm_deal_set_stage (deal, CRM_DEAL_LOST);
  g_assert_false (crm_store_save_deal (ts->store, deal, &error));   /* no reason */
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED);
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

/* the titles of a column of the board, in its order: "C,B,A" */
static char *
column (CrmStore     *store,
        CrmDealStage  stage)
{
  g_autoptr (GString) out = g_string_new ("");
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (_crm_store_get_db (store),
                      "SELECT title FROM deals WHERE stage = ?1 AND deleted = 0"
                      " ORDER BY position, local_id", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s%s", out->len ? "," : "", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_column(store, stage, want) \
  G_STMT_START { \
    g_autofree char *got_ = column ((store), (stage)); \
    g_assert_cmpstr (got_, ==, (want)); \
  } G_STMT_END

static void
test_deals_fields (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  g_autoptr (CrmDeal) read = NULL;
  g_autoptr (CrmDeal) copy = NULL;
  g_autoptr (CrmDeal) plain = NULL;
  g_autoptr (GError) error = NULL;

  crm_deal_set_title (deal, "  年度采购  ");
  crm_deal_set_contact_id (deal, crm_contact_get_id (zhang));
  crm_deal_set_amount (deal, 12345678);
  crm_deal_set_stage (deal, CRM_DEAL_PROPOSAL);
  crm_deal_set_probability (deal, 60);
  crm_deal_set_expected_close (deal, "2026年3月5日");
  crm_deal_set_notes (deal, "第一行\n第二行");
  g_assert_true (crm_store_save_deal (ts->store, deal, &error));
  g_assert_no_error (error);

  /* normalised in place, and the stored columns filled in */
  g_assert_cmpstr (crm_deal_get_title (deal), ==, "年度采购");
  g_assert_cmpstr (crm_deal_get_expected_close (deal), ==, "2026-03-05");
  g_assert_cmpstr (crm_deal_get_contact_name (deal), ==, "张三");
  g_assert_cmpstr (crm_deal_get_created_at (deal), !=, "");
  g_assert_cmpstr (crm_deal_get_updated_at (deal), ==, crm_deal_get_created_at (deal));
  g_assert_cmpstr (crm_deal_get_won_at (deal), ==, "");
  g_assert_cmpint (crm_deal_get_position (deal), ==, 0);

  read = crm_store_get_deal (ts->store, crm_deal_get_id (deal), &error);
  g_assert_no_error (error);
  g_assert_true (crm_deal_equal (read, deal));
  g_assert_cmpstr (crm_deal_get_notes (read), ==, "第一行\n第二行");
  g_assert_cmpstr (crm_deal_get_contact_name (read), ==, "张三");
  g_assert_cmpstr (crm_deal_get_created_at (read), ==, crm_deal_get_created_at (deal));
  g_assert_cmpint (crm_deal_get_probability (read), ==, 60);

  /* equal compares what people edit, each field */
  copy = crm_deal_copy (read);
  g_assert_true (crm_deal_equal (copy, read));
  crm_deal_set_notes (copy, "改了");
  g_assert_false (crm_deal_equal (copy, read));
  crm_deal_set_notes (copy, crm_deal_get_notes (read));
  crm_deal_set_expected_close (copy, "");
  g_assert_false (crm_deal_equal (copy, read));
  crm_deal_set_expected_close (copy, "2026-03-05");
  crm_deal_set_contact_id (copy, NULL);
  g_assert_false (crm_deal_equal (copy, read));
  g_assert_cmpstr (crm_deal_get_contact_name (copy), ==, "张三"); /* as stored */

  /* the copy keeps the identity: saving it updates the same row */
  crm_deal_set_stage (copy, CRM_DEAL_WON);
  g_assert_true (crm_store_save_deal (ts->store, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_deal_get_id (copy), ==, crm_deal_get_id (deal));
  g_assert_cmpstr (crm_deal_get_contact_name (copy), ==, "");
  g_assert_cmpstr (crm_deal_get_won_at (copy), ==, crm_deal_get_updated_at (copy));
  g_clear_object (&read);
  read = crm_store_get_deal (ts->store, crm_deal_get_id (deal), &error);
  g_assert_no_error (error);
  g_assert_true (crm_deal_equal (read, copy));
  g_assert_null (crm_deal_get_contact_id (read));

  /* an expected close that is not a date is refused, nothing written */
  crm_deal_set_expected_close (copy, "2026-02-30");
  g_assert_false (crm_store_save_deal (ts->store, copy, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_DATE);
  g_clear_error (&error);

  /* no date, no notes, no contact */
  plain = add_deal (ts->store, "简单", NULL, 0, CRM_DEAL_LEAD);
  g_clear_object (&read);
  read = crm_store_get_deal (ts->store, crm_deal_get_id (plain), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_deal_get_expected_close (read), ==, "");
  g_assert_cmpstr (crm_deal_get_notes (read), ==, "");
  g_assert_cmpstr (crm_deal_get_contact_name (read), ==, "");

  g_assert_null (crm_store_get_deal (ts->store, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  crm_test_store_free (ts);
}

static void
test_deals_new_at_top (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmDeal) a = add_deal (ts->store, "A", NULL, 1, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) b = add_deal (ts->store, "B", NULL, 1, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) c = add_deal (ts->store, "C", NULL, 1, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) x = add_deal (ts->store, "X", NULL, 1, CRM_DEAL_PROPOSAL);
  g_autoptr (GError) error = NULL;
  gint64 position;

  assert_column (ts->store, CRM_DEAL_LEAD, "C,B,A");
  g_assert_cmpint (crm_deal_get_position (c), <, crm_deal_get_position (b));

  /* an edit in the same stage keeps its place */
  position = crm_deal_get_position (b);
  crm_deal_set_amount (b, 999);
  g_assert_true (crm_store_save_deal (ts->store, b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_deal_get_position (b), ==, position);
  assert_column (ts->store, CRM_DEAL_LEAD, "C,B,A");

  /* a new stage: the top of that column */
  crm_deal_set_stage (a, CRM_DEAL_PROPOSAL);
  g_assert_true (crm_store_save_deal (ts->store, a, &error));
  g_assert_no_error (error);
  assert_column (ts->store, CRM_DEAL_PROPOSAL, "A,X");
  assert_column (ts->store, CRM_DEAL_LEAD, "C,B");
  crm_deal_set_stage (a, CRM_DEAL_LEAD);
  g_assert_true (crm_store_save_deal (ts->store, a, &error));
  assert_column (ts->store, CRM_DEAL_LEAD, "A,C,B");
  crm_test_store_free (ts);
}

static void
test_deals_move_to_stage_rule (void)
{
  static const struct {
    CrmDealStage from;
    int          probability;   /* -1: the stage's default */
    CrmDealStage to;
    int          want;
  } cases[] = {
    { CRM_DEAL_LEAD, -1, CRM_DEAL_QUALIFIED, 25 },        /* default follows */
    { CRM_DEAL_QUALIFIED, -1, CRM_DEAL_NEGOTIATION, 75 },
    { CRM_DEAL_NEGOTIATION, -1, CRM_DEAL_LEAD, 10 },      /* backwards too */
    { CRM_DEAL_LEAD, 40, CRM_DEAL_PROPOSAL, 40 },         /* the person's kept */
    { CRM_DEAL_PROPOSAL, 10, CRM_DEAL_NEGOTIATION, 10 },  /* another stage's default is custom */
    { CRM_DEAL_LEAD, 40, CRM_DEAL_WON, 100 },             /* won is won */
    { CRM_DEAL_NEGOTIATION, 90, CRM_DEAL_LOST, 0 },       /* lost is lost */
    { CRM_DEAL_WON, -1, CRM_DEAL_NEGOTIATION, 75 },       /* back from won */
    { CRM_DEAL_LOST, -1, CRM_DEAL_QUALIFIED, 25 },        /* back from lost */
    { CRM_DEAL_LOST, 5, CRM_DEAL_QUALIFIED, 5 },
    { CRM_DEAL_PROPOSAL, 50, CRM_DEAL_PROPOSAL, 50 },     /* nowhere */
    { CRM_DEAL_PROPOSAL, 33, CRM_DEAL_PROPOSAL, 33 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CrmDeal) deal = crm_deal_new ();

      crm_deal_set_stage (deal, cases[i].from);
      if (cases[i].probability >= 0)
        crm_deal_set_probability (deal, cases[i].probability);
      if (cases[i].from == CRM_DEAL_LOST)
        crm_deal_set_lost_reason (deal, "太贵");
      crm_deal_move_to_stage (deal, cases[i].to);
      g_assert_cmpint (crm_deal_get_stage (deal), ==, cases[i].to);
      g_assert_cmpint (crm_deal_get_probability (deal), ==, cases[i].want);
      /* leaving lost forgets why */
      g_assert_cmpstr (crm_deal_get_lost_reason (deal), ==,
                       cases[i].from == CRM_DEAL_LOST && cases[i].to != CRM_DEAL_LOST
                       ? "" : cases[i].from == CRM_DEAL_LOST ? "太贵" : "");
    }

  g_assert_cmpstr (crm_deal_stage_get_label (CRM_DEAL_LEAD), ==, "Lead");
  g_assert_cmpstr (crm_deal_stage_get_label (CRM_DEAL_LOST), ==, "Lost");
}

static void
move (CrmStore     *store,
      CrmDeal      *deal,
      CrmDealStage  stage,
      CrmDeal      *before)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_store_move_deal (store, deal, stage, before, &error));
  g_assert_no_error (error);
}

static void
test_deals_move (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmDeal) a = add_deal (ts->store, "A", NULL, 1, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) b = add_deal (ts->store, "B", NULL, 1, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) c = add_deal (ts->store, "C", NULL, 1, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) x = add_deal (ts->store, "X", NULL, 1, CRM_DEAL_PROPOSAL);
  g_autoptr (CrmDeal) y = add_deal (ts->store, "Y", NULL, 1, CRM_DEAL_PROPOSAL);
  g_autoptr (GPtrArray) many = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GString) want = g_string_new ("Y");
  g_autoptr (GError) error = NULL;

  assert_column (ts->store, CRM_DEAL_LEAD, "C,B,A");
  assert_column (ts->store, CRM_DEAL_PROPOSAL, "Y,X");

  /* within a column: before a deal, at the end */
  move (ts->store, a, CRM_DEAL_LEAD, c);
  assert_column (ts->store, CRM_DEAL_LEAD, "A,C,B");
  move (ts->store, a, CRM_DEAL_LEAD, b);
  assert_column (ts->store, CRM_DEAL_LEAD, "C,A,B");
  move (ts->store, c, CRM_DEAL_LEAD, NULL);
  assert_column (ts->store, CRM_DEAL_LEAD, "A,B,C");
  move (ts->store, a, CRM_DEAL_LEAD, a);                 /* before itself: stays */
  assert_column (ts->store, CRM_DEAL_LEAD, "A,B,C");

  /* to another column, with the probability rule */
  crm_deal_set_probability (b, 15);
  move (ts->store, b, CRM_DEAL_PROPOSAL, x);
  assert_column (ts->store, CRM_DEAL_PROPOSAL, "Y,B,X");
  assert_column (ts->store, CRM_DEAL_LEAD, "A,C");
  g_assert_cmpint (crm_deal_get_stage (b), ==, CRM_DEAL_PROPOSAL);
  g_assert_cmpint (crm_deal_get_probability (b), ==, 15);
  move (ts->store, a, CRM_DEAL_PROPOSAL, NULL);
  assert_column (ts->store, CRM_DEAL_PROPOSAL, "Y,B,X,A");
  g_assert_cmpint (crm_deal_get_probability (a), ==, 50);
  {
    g_autoptr (CrmDeal) read = crm_store_get_deal (ts->store, crm_deal_get_id (a), &error);
    g_assert_no_error (error);
    g_assert_true (crm_deal_equal (read, a));
    g_assert_cmpint (crm_deal_get_position (read), ==, crm_deal_get_position (a));
  }
  move (ts->store, c, CRM_DEAL_NEGOTIATION, NULL);       /* into an empty column */
  assert_column (ts->store, CRM_DEAL_NEGOTIATION, "C");
  assert_column (ts->store, CRM_DEAL_LEAD, "");

  /* the deal before it gone: refused */
  g_assert_true (crm_store_delete_deal (ts->store, x, &error));
  g_assert_false (crm_store_move_deal (ts->store, c, CRM_DEAL_PROPOSAL, x, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (crm_store_move_deal (ts->store, c, CRM_DEAL_LEAD, y, &error)); /* not there */
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_column (ts->store, CRM_DEAL_NEGOTIATION, "C");
  g_assert_true (crm_store_restore_deal (ts->store, x, &error));

  /* forty deals, each dropped between the same two neighbours: the gap
   * halves each time until the column has to be numbered afresh */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *title = g_strdup_printf ("M%02u", i);
      CrmDeal *m = add_deal (ts->store, title, NULL, 1, CRM_DEAL_LEAD);

      g_ptr_array_add (many, m);
      move (ts->store, m, CRM_DEAL_PROPOSAL, i == 0 ? b : g_ptr_array_index (many, i - 1));
      /* Y, M39, M38, ..., M00, B, X, A: each new one before the last */
    }
  for (guint i = 40; i-- > 0;)
    g_string_append_printf (want, ",M%02u", i);
  g_string_append (want, ",B,X,A");
  assert_column (ts->store, CRM_DEAL_PROPOSAL, want->str);

  /* positions made adjacent by hand (1, 2, 3, ...): the move renumbers,
   * keeping the order */
  g_assert_cmpint (raw (ts->store, "WITH r AS (SELECT local_id, row_number () OVER"
                                   " (ORDER BY position, local_id) AS n FROM deals"
                                   " WHERE stage = 'proposal' AND deleted = 0)"
                                   " UPDATE deals SET position = r.n FROM r"
                                   " WHERE deals.local_id = r.local_id"), ==, SQLITE_OK);
  assert_column (ts->store, CRM_DEAL_PROPOSAL, want->str);
  move (ts->store, y, CRM_DEAL_PROPOSAL, x);
  g_string_erase (want, 0, 2);
  {
    char *bx = strstr (want->str, "B,X");
    gsize at = bx - want->str;

    g_string_insert (want, at + 2, "Y,");
  }
  assert_column (ts->store, CRM_DEAL_PROPOSAL, want->str);
  {
    sqlite3_stmt *stmt = NULL;

    /* distinct positions, with gaps again */
    sqlite3_prepare_v2 (_crm_store_get_db (ts->store),
                        "SELECT count (DISTINCT position), min (position), max (position)"
                        " FROM deals WHERE stage = 'proposal' AND deleted = 0", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 44);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 2) - sqlite3_column_int64 (stmt, 1), >=,
                     43 * 2);
    sqlite3_finalize (stmt);
  }
  crm_test_store_free (ts);
}

static void
test_deals_move_lost (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmDeal) deal = add_deal (ts->store, "D", NULL, 100, CRM_DEAL_NEGOTIATION);
  g_autoptr (CrmDeal) read = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (crm_store_move_deal (ts->store, deal, CRM_DEAL_LOST, NULL, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED);
  g_clear_error (&error);
  /* nothing changed, in the deal or the store */
  g_assert_cmpint (crm_deal_get_stage (deal), ==, CRM_DEAL_NEGOTIATION);
  g_assert_cmpint (crm_deal_get_probability (deal), ==, 75);
  assert_column (ts->store, CRM_DEAL_NEGOTIATION, "D");

  crm_deal_set_lost_reason (deal, "预算取消");
  move (ts->store, deal, CRM_DEAL_LOST, NULL);
  g_assert_cmpint (crm_deal_get_probability (deal), ==, 0);
  read = crm_store_get_deal (ts->store, crm_deal_get_id (deal), &error);
  g_assert_cmpstr (crm_deal_get_lost_reason (read), ==, "预算取消");

  /* out of lost: the reason goes; to won: won_at */
  move (ts->store, deal, CRM_DEAL_WON, NULL);
  g_assert_cmpstr (crm_deal_get_lost_reason (deal), ==, "");
  g_assert_cmpint (crm_deal_get_probability (deal), ==, 100);
  g_assert_cmpstr (crm_deal_get_won_at (deal), !=, "");
  g_clear_object (&read);
  read = crm_store_get_deal (ts->store, crm_deal_get_id (deal), &error);
  g_assert_cmpstr (crm_deal_get_lost_reason (read), ==, "");
  g_assert_cmpstr (crm_deal_get_won_at (read), ==, crm_deal_get_won_at (deal));
  crm_test_store_free (ts);
}

typedef struct
{
  guint inserted, updated, deleted, reset;
} Signals;

static void
on_deal_changed (CrmStore *store,
                 CrmDeal  *before,
                 CrmDeal  *after,
                 Signals  *s)
{
  g_assert_true (before != NULL || after != NULL);
  if (before == NULL)
    s->inserted++;
  else if (after == NULL)
    s->deleted++;
  else
    s->updated++;
}

static void
on_deals_reset (CrmStore *store,
                Signals  *s)
{
  s->reset++;
}

static void
test_deals_delete_restore (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmDeal) a = add_deal (ts->store, "A", NULL, 100, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) b = add_deal (ts->store, "B", NULL, 200, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) c = add_deal (ts->store, "C", NULL, 300, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) gone = NULL;
  g_autoptr (GError) error = NULL;
  CrmDealTotals totals;
  Signals s = { 0 };

  g_signal_connect (ts->store, "deal-changed", G_CALLBACK (on_deal_changed), &s);
  g_signal_connect (ts->store, "deals-reset", G_CALLBACK (on_deals_reset), &s);

  g_assert_true (crm_store_delete_deal (ts->store, b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.deleted, ==, 1);
  assert_column (ts->store, CRM_DEAL_LEAD, "C,A");
  gone = crm_store_get_deal (ts->store, crm_deal_get_id (b), &error);
  g_assert_null (gone);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (crm_store_get_deal_totals (ts->store, "2000-01-01", &totals, &error));
  g_assert_cmpint (totals.open_total, ==, 400);
  g_assert_cmpuint (totals.count[CRM_DEAL_LEAD], ==, 2);

  /* twice: refused; a deleted deal cannot be saved or moved either */
  g_assert_false (crm_store_delete_deal (ts->store, b, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (crm_store_save_deal (ts->store, b, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (crm_store_move_deal (ts->store, b, CRM_DEAL_WON, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (crm_store_restore_deal (ts->store, a, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* back where it was */
  g_assert_true (crm_store_restore_deal (ts->store, b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.inserted, ==, 1);
  assert_column (ts->store, CRM_DEAL_LEAD, "C,B,A");
  g_assert_true (crm_store_get_deal_totals (ts->store, "2000-01-01", &totals, &error));
  g_assert_cmpint (totals.open_total, ==, 600);

  /* an edit */
  crm_deal_set_amount (c, 301);
  g_assert_true (crm_store_save_deal (ts->store, c, &error));
  g_assert_cmpuint (s.updated, ==, 1);
  g_assert_cmpuint (s.reset, ==, 0);
  crm_test_store_free (ts);
}

static void
test_deals_contact (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmDeal) a = add_deal (ts->store, "A", zhang, 100, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) b = add_deal (ts->store, "B", zhang, 20000, CRM_DEAL_PROPOSAL);
  g_autoptr (CrmDeal) won = add_deal (ts->store, "W", zhang, 5000, CRM_DEAL_WON);
  g_autoptr (CrmDeal) lost = add_deal (ts->store, "L", zhang, 7000, CRM_DEAL_LOST);
  g_autoptr (CrmDeal) other = add_deal (ts->store, "O", li, 1, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) gone = add_deal (ts->store, "G", zhang, 9, CRM_DEAL_LEAD);
  g_autoptr (GPtrArray) deals = NULL;
  g_autoptr (GError) error = NULL;
  gint64 open_total = -1;
  Signals s = { 0 };

  g_assert_true (crm_store_delete_deal (ts->store, gone, &error));
  deals = crm_store_list_contact_deals (ts->store, crm_contact_get_id (zhang), &open_total,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (deals->len, ==, 4);
  g_assert_cmpint (open_total, ==, 20100);
  /* the most recently updated first */
  g_assert_cmpstr (crm_deal_get_title (g_ptr_array_index (deals, 0)), ==, "L");
  g_assert_cmpstr (crm_deal_get_title (g_ptr_array_index (deals, 3)), ==, "A");
  g_assert_cmpstr (crm_deal_get_contact_name (g_ptr_array_index (deals, 0)), ==, "张三");
  g_clear_pointer (&deals, g_ptr_array_unref);
  crm_deal_set_notes (a, "更新");
  g_assert_true (crm_store_save_deal (ts->store, a, &error));
  deals = crm_store_list_contact_deals (ts->store, crm_contact_get_id (zhang), NULL, &error);
  g_assert_cmpstr (crm_deal_get_title (g_ptr_array_index (deals, 0)), ==, "A");
  g_clear_pointer (&deals, g_ptr_array_unref);

  /* renaming a contact with deals resets the deals; one without does not */
  g_signal_connect (ts->store, "deals-reset", G_CALLBACK (on_deals_reset), &s);
  crm_contact_set_field (zhang, CRM_CONTACT_FIELD_NAME, "张三丰");
  g_assert_true (crm_store_save_contact (ts->store, zhang, &error));
  g_assert_cmpuint (s.reset, ==, 1);
  crm_contact_set_field (zhang, CRM_CONTACT_FIELD_MOBILE, "13800138000");
  g_assert_true (crm_store_save_contact (ts->store, zhang, &error));
  g_assert_cmpuint (s.reset, ==, 1);
  deals = crm_store_list_contact_deals (ts->store, crm_contact_get_id (zhang), NULL, &error);
  g_assert_cmpstr (crm_deal_get_contact_name (g_ptr_array_index (deals, 0)), ==, "张三丰");
  g_clear_pointer (&deals, g_ptr_array_unref);
  {
    g_autoptr (CrmContact) nobody = crm_test_add (ts->store, "王五", "", "");

    crm_contact_set_field (nobody, CRM_CONTACT_FIELD_NAME, "王六");
    g_assert_true (crm_store_save_contact (ts->store, nobody, &error));
    g_assert_cmpuint (s.reset, ==, 1);
  }

  /* deleting the contact with its deals resets them too */
  g_assert_true (crm_store_delete_contact_with_deals (ts->store, li, CRM_CONTACT_DEALS_UNLINK,
                                                      &error));
  g_assert_cmpuint (s.reset, ==, 2);
  deals = crm_store_list_contact_deals (ts->store, crm_contact_get_id (li), &open_total, &error);
  g_assert_cmpuint (deals->len, ==, 0);
  g_assert_cmpint (open_total, ==, 0);
  crm_test_store_free (ts);
}

/* the trigger-kept totals agree with adding up the rows, after every kind
 * of change */
/* a deal deleted, then its contact (allowed: no live deal names it), then
 * the deal restored: it comes back without the contact, not linked to one
 * that is gone */
static void
test_deals_restore_after_contact (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) wang = crm_test_add (ts->store, "王五", "", "");
  g_autoptr (CrmDeal) deal = add_deal (ts->store, "D", wang, 100, CRM_DEAL_LEAD);
  g_autoptr (CrmDeal) back = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (crm_store_delete_contact (ts->store, wang, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_HAS_DEALS);
  g_clear_error (&error);
  g_assert_true (crm_store_delete_deal (ts->store, deal, &error));
  g_assert_true (crm_store_delete_contact (ts->store, wang, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_restore_deal (ts->store, deal, &error));
  g_assert_no_error (error);
  g_assert_null (crm_deal_get_contact_id (deal));
  back = crm_store_get_deal (ts->store, crm_deal_get_id (deal), &error);
  g_assert_no_error (error);
  g_assert_null (crm_deal_get_contact_id (back));
  g_assert_cmpstr (crm_deal_get_contact_name (back), ==, "");
  crm_test_store_free (ts);
}

static void
test_deals_totals_kept (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) deals = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (11);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *title = g_strdup_printf ("D%u", i);
      CrmDealStage stage = g_rand_int_range (rand, 0, CRM_DEAL_N_STAGES);
      CrmDeal *deal = crm_deal_new ();

      crm_deal_set_title (deal, title);
      crm_deal_set_amount (deal, g_rand_int_range (rand, 0, 10000000));
      crm_deal_set_stage (deal, stage);
      crm_deal_set_probability (deal, g_rand_int_range (rand, 0, 101));
      crm_deal_set_lost_reason (deal, "原因");
      g_ptr_array_add (deals, deal);
    }
  g_assert_true (crm_store_insert_deals (ts->store, deals, &error));
  g_assert_no_error (error);

  for (guint k = 0; k <= 200; k++)
    {
      CrmDeal *deal = g_ptr_array_index (deals, g_rand_int_range (rand, 0, deals->len));
      CrmDealTotals totals;
      gint64 open = 0, weighted = 0, won = 0;
      sqlite3_stmt *stmt = NULL;

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          crm_deal_set_amount (deal, g_rand_int_range (rand, 0, 10000000));
          crm_deal_set_probability (deal, g_rand_int_range (rand, 0, 101));
          crm_store_save_deal (ts->store, deal, NULL);
          break;
        case 1:
          crm_deal_set_lost_reason (deal, "原因");
          crm_store_move_deal (ts->store, deal, g_rand_int_range (rand, 0, CRM_DEAL_N_STAGES),
                               NULL, NULL);
          break;
        case 2:
          crm_store_delete_deal (ts->store, deal, NULL);
          break;
        default:
          crm_store_restore_deal (ts->store, deal, NULL);
          break;
        }

      g_assert_true (crm_store_get_deal_totals (ts->store, "2000-01-01", &totals, &error));
      g_assert_no_error (error);
      sqlite3_prepare_v2 (_crm_store_get_db (ts->store),
                          "SELECT coalesce (sum (amount_fen) FILTER (WHERE stage NOT IN"
                          " ('won', 'lost')), 0), coalesce (sum (amount_fen * probability)"
                          " FILTER (WHERE stage NOT IN ('won', 'lost')), 0) / 100,"
                          " coalesce (sum (amount_fen) FILTER (WHERE stage = 'won'), 0)"
                          " FROM deals WHERE deleted = 0", -1, &stmt, NULL);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      open = sqlite3_column_int64 (stmt, 0);
      weighted = sqlite3_column_int64 (stmt, 1);
      won = sqlite3_column_int64 (stmt, 2);
      sqlite3_finalize (stmt);
      g_assert_cmpint (totals.open_total, ==, open);
      g_assert_cmpint (totals.weighted, ==, weighted);
      g_assert_cmpint (totals.won_this_month, ==, won);
    }
  g_rand_free (rand);
  crm_test_store_free (ts);
}

static void
test_deals_parse_date (void)
{
  static const struct {
    const char *text;
    const char *want;   /* NULL: refused */
  } cases[] = {
    { "", "" },
    { "   ", "" },
    { "2026-12-31", "2026-12-31" },
    { "2026/12/31", "2026-12-31" },
    { "2026.12.31", "2026-12-31" },
    { "2026年12月31日", "2026-12-31" },
    { "2026年1月5日", "2026-01-05" },
    { "2026年1月5", "2026-01-05" },
    { " 2026-1-5 ", "2026-01-05" },
    { "2026/3/05", "2026-03-05" },
    { "2028-02-29", "2028-02-29" },      /* a leap year */
    { "2026-02-29", NULL },
    { "2026-02-30", NULL },
    { "2026-13-01", NULL },
    { "2026-00-10", NULL },
    { "2026-12-00", NULL },
    { "2026-12-32", NULL },
    { "abc", NULL },
    { "2026", NULL },
    { "2026-12", NULL },
    { "2026-12-31-1", NULL },
    { "2026-12/31", NULL },              /* mixed separators */
    { "26-12-31", NULL },
    { "20261-12-31", NULL },
    { "2026-123-1", NULL },
    { "2026-12-31x", NULL },
    { "2026年12月31日日", NULL },
    { "-2026-12-31", NULL },
    { "\xd6\xd0\xce\xc4", NULL },        /* 中文 in GBK: not UTF-8 */
    { "2026\xc4\xea" "12\xd4\xc2" "31\xc8\xd5", NULL },
    { "2026-12-3\xff", NULL },
    { "\xe5\xb9", NULL },                /* a cut UTF-8 sequence */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *iso = NULL;
      gboolean ok = crm_deal_parse_date (cases[i].text, &iso, &error);

      if (cases[i].want != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (iso, ==, cases[i].want);
        }
      else
        {
          g_assert_false (ok);
          g_assert_null (iso);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          g_assert_nonnull (strstr (error->message, "2026-12-31"));
        }
    }
  g_assert_true (crm_deal_parse_date ("2026-1-2", NULL, NULL));
  g_assert_false (crm_deal_parse_date (NULL, NULL, NULL));
}

/* issue 9: bytes that are not UTF-8 are named as such; far more than any
 * date is refused by its length, whatever it holds */
static void
test_deals_parse_date_bytes (void)
{
  static const char *not_utf8[] = {
    "\xef", "\xe5\xb9", "2026-12-31\xe5\xb9", "2026\xe5\xb9\xb4" "12\xe6\x9c" "31",
    "2026-12-31\xff", "\xc0\xb2" "026-12-31",
  };
  gsize size = 1024 * 1024;
  g_autofree char *huge = g_malloc (size + 1);

  for (guint i = 0; i < G_N_ELEMENTS (not_utf8); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *iso = NULL;

      g_assert_false (crm_deal_parse_date (not_utf8[i], &iso, &error));
      g_assert_null (iso);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, "UTF-8"));
      g_assert_nonnull (strstr (error->message, "2026-12-31"));
    }

  /* blanks, then a good date: stripping would leave the date */
  memset (huge, ' ', size);
  memcpy (huge + size - 10, "2026-12-31", 10);
  huge[size] = '\0';
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *iso = NULL;

    g_assert_false (crm_deal_parse_date (huge, &iso, &error));
    g_assert_null (iso);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "2026-12-31"));
  }
  /* 256 bytes are still read */
  memcpy (huge + 246, "2026-12-31", 11);
  g_assert_true (crm_deal_parse_date (huge, NULL, NULL));
}

/* the deal rules hold in the store, whoever writes: not the editor alone */
static void
test_deals_store_rules (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmDeal) huge = crm_deal_new ();
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *big = g_strnfill (1024 * 1024, 'x');
  g_autoptr (GError) error = NULL;
  CrmDealField field = CRM_DEAL_N_FIELDS;
  guint index = G_MAXUINT;
  CrmDealTotals totals;
  CrmDeal *deal;

  crm_deal_set_title (huge, big);
  g_assert_false (crm_store_save_deal (ts->store, huge, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_false (crm_deal_is_saved (huge));

  deal = crm_deal_new ();
  crm_deal_set_title (deal, "好的");
  g_ptr_array_add (batch, deal);
  deal = crm_deal_new ();
  crm_deal_set_title (deal, "坏的");
  crm_deal_set_stage (deal, CRM_DEAL_LOST);   /* without a reason */
  g_ptr_array_add (batch, deal);
  g_assert_false (crm_store_insert_deals_full (ts->store, batch, &index, &field, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED);
  g_assert_nonnull (strstr (error->message, "2"));
  g_assert_cmpuint (index, ==, 1);
  g_assert_cmpint (field, ==, CRM_DEAL_FIELD_LOST_REASON);
  g_assert_false (crm_deal_is_saved (g_ptr_array_index (batch, 0)));
  g_assert_true (crm_store_get_deal_totals (ts->store, "2026-01-01T00:00:00Z", &totals, NULL));
  g_assert_cmpuint (totals.count[CRM_DEAL_LEAD], ==, 0);

  crm_test_store_free (ts);
}

/* The names the store and sync write for the stages (the nicks of
 * CRM_TYPE_DEAL_STAGE), read back; anything else reads as a lead. */
static void
test_deals_stage_names (void)
{
  static const char *const names[CRM_DEAL_N_STAGES] = {
    "lead", "qualified", "proposal", "negotiation", "won", "lost",
  };

  for (guint s = 0; s < CRM_DEAL_N_STAGES; s++)
    {
      g_assert_cmpstr (crm_deal_stage_to_string (s), ==, names[s]);
      g_assert_cmpint (crm_deal_stage_from_string (names[s]), ==, s);
    }
  g_assert_cmpint (crm_deal_stage_from_string ("n-stages"), ==, CRM_DEAL_LEAD);
  g_assert_cmpint (crm_deal_stage_from_string ("Won"), ==, CRM_DEAL_LEAD);
  g_assert_cmpint (crm_deal_stage_from_string (""), ==, CRM_DEAL_LEAD);
  g_assert_cmpint (crm_deal_stage_from_string (NULL), ==, CRM_DEAL_LEAD);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/deals/save-rules", test_deals_save_rules);
  g_test_add_func ("/deals/contact-policy", test_deals_contact_policy);
  g_test_add_func ("/deals/totals", test_deals_totals);
  g_test_add_func ("/deals/fields", test_deals_fields);
  g_test_add_func ("/deals/new-at-top", test_deals_new_at_top);
  g_test_add_func ("/deals/move-to-stage-rule", test_deals_move_to_stage_rule);
  g_test_add_func ("/deals/move", test_deals_move);
  g_test_add_func ("/deals/move-lost", test_deals_move_lost);
  g_test_add_func ("/deals/delete-restore", test_deals_delete_restore);
  g_test_add_func ("/deals/contact", test_deals_contact);
  g_test_add_func ("/deals/restore-after-contact", test_deals_restore_after_contact);
  g_test_add_func ("/deals/totals-kept", test_deals_totals_kept);
  g_test_add_func ("/deals/parse-date", test_deals_parse_date);
  g_test_add_func ("/deals/parse-date-bytes", test_deals_parse_date_bytes);
  g_test_add_func ("/deals/stage-names", test_deals_stage_names);
  g_test_add_func ("/deals/store-rules", test_deals_store_rules);
  return g_test_run ();
}
