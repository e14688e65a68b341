/* test-outbox-quiet.c — the outbox before and after the first sign-in
 * (0013-outbox-quiet.sql): nothing queued until a company is set, the
 * sign-in queueing what it always did, and the migration from schema 12
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Beside test-outbox.c (what a store signed in queues, path by path): the
 * rows queued before a sign-in were replaced by it unread, so they are no
 * longer written; these tests show that nothing a first sync pushes
 * changes by it, and that a store signed in queues every edit as before.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "crm-search-private.h"
#include "crm-store-sync-private.h"
#include "crm-test-util.h"

#define COMPANY CRM_TEST_COMPANY_ID

/* the outbox of @db, one line per row in order: "kind record op base
 * fields state", after the mutation id if @ids */
static GStrv
outbox_of (sqlite3  *db,
           gboolean  ids)
{
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT iif (?1, mutation_id || ' ', '') ||"
                                       " kind || ' ' || record_id || ' ' || op || ' ' ||"
                                       " base_version || ' ' || fields_json || ' ' || state"
                                       " FROM outbox ORDER BY local_seq",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, ids);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (lines, (const char *)sqlite3_column_text (stmt, 0));
  return g_strv_builder_end (lines);
}

static GStrv
outbox (CrmStore *store)
{
  return outbox_of (_crm_store_get_db (store), FALSE);
}

static guint
n_rows (CrmStore *store)
{
  g_auto (GStrv) lines = outbox (store);

  return g_strv_length (lines);
}

static CrmDeal *
add_deal (CrmStore    *store,
          const char  *title,
          CrmContact  *contact,
          gint64       fen)
{
  g_autoptr (GError) error = NULL;
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, title);
  crm_deal_set_contact_id (deal, crm_contact_get_id (contact));
  crm_deal_set_amount (deal, fen);
  g_assert_true (crm_store_save_deal (store, deal, &error));
  g_assert_no_error (error);
  return deal;
}

/* before a company is set no path queues anything (0013-outbox-quiet.sql,
 * and the import's own statement); the sign-in queues every live record
 * whole, which is what it queued when the rows before it were written and
 * then replaced; after it, every edit is queued as before */
static void
test_outbox_quiet_until_company (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "13800138000", "");
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmContact) gone = crm_test_add (ts->store, "王五", "", "");
  g_autoptr (CrmDeal) deal = add_deal (ts->store, "一期", zhang, 100);
  g_autoptr (CrmDeal) dropped = add_deal (ts->store, "二期", li, 200);
  g_autoptr (CrmFollowup) called = crm_followup_new ();
  g_autoptr (CrmLicenseFile) license = crm_test_license_png (40, 30, 0xc01c28ff);
  g_autoptr (CrmCertification) cert = crm_test_certification (license);
  g_autoptr (GPtrArray) bulk = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *expected = NULL;
  CrmStoreImportRow rows[2] = { { 0 } };
  const char *imported_id;

  crm_followup_set_contact_id (called, crm_contact_get_id (zhang));
  crm_followup_set_notes (called, "回访");
  g_assert_true (crm_store_save_followup (ts->store, called, CRM_DEAL_N_STAGES, &error));
  crm_contact_set_field (li, CRM_CONTACT_FIELD_NOTES, "老客户");
  g_assert_true (crm_store_save_contact (ts->store, li, &error));
  g_assert_true (crm_store_move_deal (ts->store, deal, CRM_DEAL_PROPOSAL, NULL, &error));
  g_assert_true (crm_store_delete_contact (ts->store, gone, &error));
  g_assert_true (crm_store_delete_deal (ts->store, dropped, &error));
  g_assert_true (crm_store_put_blob (ts->store, license, &error));
  g_assert_true (crm_store_save_certification (ts->store, cert, &error));
  g_ptr_array_add (bulk, crm_test_contact ("赵六", "", ""));
  g_assert_true (crm_store_insert_contacts (ts->store, bulk, &error));
  /* an import: a new contact, and 张三 updated */
  rows[0].contact = crm_test_contact ("钱七", "13900139000", "");
  rows[1].contact = crm_test_contact ("张三", "13800138000", "zhang@example.com");
  g_assert_true (crm_store_import_contacts (ts->store, rows, 2, CRM_STORE_DUPLICATES_UPDATE,
                                            NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rows[1].outcome, ==, CRM_STORE_IMPORT_UPDATED);
  imported_id = rows[0].id;
  g_assert_cmpuint (n_rows (ts->store), ==, 0);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);

  /* the sign-in: the live contacts, deals, follow-ups, the certification */
  crm_test_sign_in (ts->store);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  expected = g_strdup_printf ("contact %s upsert 0 {\"name\":\"张三\",\"company\":\"\","
                              "\"title\":\"\",\"mobile\":\"13800138000\",\"phone\":\"\","
                              "\"email\":\"zhang@example.com\",", crm_contact_get_id (zhang));
  g_assert_true (g_str_has_prefix (lines[0], expected));
  g_assert_true (strstr (lines[1], crm_contact_get_id (li)) != NULL);
  g_assert_true (strstr (lines[1], "\"notes\":\"老客户\"") != NULL);
  g_assert_true (strstr (lines[2], "\"name\":\"赵六\"") != NULL);
  g_assert_true (strstr (lines[3], imported_id) != NULL);
  g_assert_true (g_str_has_prefix (lines[4], "deal "));
  g_assert_true (strstr (lines[4], crm_deal_get_id (deal)) != NULL);
  g_assert_true (strstr (lines[4], "\"stage\":\"proposal\"") != NULL);
  g_assert_true (g_str_has_prefix (lines[5], "followup "));
  g_assert_true (g_str_has_prefix (lines[6], "certification  upsert 0 {\"company_name\":"));
  for (guint i = 0; i < 7; i++)
    g_assert_true (strstr (lines[i], " upsert 0 {") != NULL);

  /* signed in: each edit queued as before, the import's new rows too */
  crm_contact_set_field (li, CRM_CONTACT_FIELD_NOTES, "大客户");
  g_assert_true (crm_store_save_contact (ts->store, li, &error));
  g_assert_true (crm_store_delete_deal (ts->store, deal, &error));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_clear_object (&rows[i].contact);
      crm_store_import_row_clear (&rows[i]);
    }
  rows[0].contact = crm_test_contact ("孙八", "13700137000", "");
  g_assert_true (crm_store_import_contacts (ts->store, rows, 1, CRM_STORE_DUPLICATES_UPDATE,
                                            NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_strfreev (lines);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 10);
  g_free (expected);
  expected = g_strdup_printf ("contact %s upsert 0 {\"notes\":\"大客户\"} pending",
                              crm_contact_get_id (li));
  g_assert_cmpstr (lines[7], ==, expected);
  g_free (expected);
  expected = g_strdup_printf ("deal %s delete 0 {} pending", crm_deal_get_id (deal));
  g_assert_cmpstr (lines[8], ==, expected);
  g_free (expected);
  expected = g_strdup_printf ("contact %s upsert 0 {\"name\":\"孙八\",", rows[0].id);
  g_assert_true (g_str_has_prefix (lines[9], expected));
  g_clear_object (&rows[0].contact);
  crm_store_import_row_clear (&rows[0]);
  crm_test_store_free (ts);
}

#define AT "'2026-01-01T00:00:00Z'"
#define V12_C1 "6f1c6bd0-0000-4000-8000-000000000001"

/* A store of schema 12 in a new folder, with @company (or none), then
 * records written, edited and deleted through its triggers of 12; the
 * outbox they queued, with the mutation ids, in *@queued. */
static char *
make_version_12 (const char  *company,
                 GStrv       *queued)
{
  char *dir = crm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE sync_state SET company_id = %s%s%s",
                                          company ? "'" : "", company ? company : "NULL",
                                          company ? "'" : "");
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (_crm_search_register_tokenizer (db), ==, SQLITE_OK);
  g_assert_true (_crm_store_migrate_to (db, 12, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO contacts (id, name, mobile, sort_key, created_at,"
                                 " updated_at) VALUES ('" V12_C1 "', '欧阳修', '13712345678',"
                                 " '欧阳修', " AT ", " AT "),"
                                 " ('6f1c6bd0-0000-4000-8000-000000000002', '苏轼', '', '苏轼',"
                                 " " AT ", " AT "),"
                                 " ('6f1c6bd0-0000-4000-8000-000000000004', '王安石', '',"
                                 " '王安石', " AT ", " AT ");"
                                 "INSERT INTO deals (id, title, contact_id, amount_fen, stage,"
                                 " probability, created_at, updated_at) VALUES"
                                 " ('6f1c6bd0-0000-4000-8000-000000000003', '年度采购', '"
                                 V12_C1 "', 123456, 'proposal', 50, " AT ", " AT ");"
                                 "INSERT INTO followups (id, contact_id, happened_at, notes,"
                                 " created_at, updated_at) VALUES"
                                 " ('6f1c6bd0-0000-4000-8000-000000000005', '" V12_C1 "', "
                                 AT ", '回访', " AT ", " AT ");"
                                 "UPDATE contacts SET notes = '老客户' WHERE id = '" V12_C1 "';"
                                 "UPDATE contacts SET deleted = 1 WHERE name = '王安石';",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  *queued = outbox_of (db, TRUE);
  /* three contacts, a deal, a follow-up, an edit, a delete */
  g_assert_cmpuint (g_strv_length (*queued), ==, 7);
  sqlite3_close (db);
  return dir;
}

/* the migration to 13 drops what a store of 12 queued before any sign-in,
 * and that changes nothing the first sign-in queues (it replaces the
 * queue); what a store signed in queued stays, mutation ids and all */
static void
test_outbox_from_version_12 (void)
{
  g_auto (GStrv) queued = NULL;
  g_auto (GStrv) queued_kept = NULL;
  g_auto (GStrv) queued_replaced = NULL;
  g_autofree char *quiet_dir = make_version_12 (NULL, &queued);
  g_autofree char *kept_dir = make_version_12 (COMPANY, &queued_kept);
  /* as if the migration had kept them: a company for it, none after */
  g_autofree char *replaced_dir = make_version_12 (COMPANY, &queued_replaced);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) quiet = crm_store_open (quiet_dir, &error);
  g_autoptr (CrmStore) kept = crm_store_open (kept_dir, &error);
  g_autoptr (CrmStore) replaced = crm_store_open (replaced_dir, &error);
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) lines_replaced = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (quiet), ==, 13);
  g_assert_cmpuint (n_rows (quiet), ==, 0);
  lines = outbox_of (_crm_store_get_db (kept), TRUE);
  g_assert_cmpstrv (lines, queued_kept);
  g_clear_pointer (&lines, g_strfreev);

  /* the first sign-in queues the same, whatever was queued before it */
  crm_test_exec (replaced, "UPDATE sync_state SET company_id = NULL");
  g_assert_cmpuint (n_rows (replaced), ==, 7);
  crm_test_sign_in (replaced);
  crm_test_sign_in (quiet);
  lines = outbox (quiet);
  lines_replaced = outbox (replaced);
  g_assert_cmpstrv (lines, lines_replaced);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "contact " V12_C1 " upsert 0 {\"name\":\"欧阳修\","
                   "\"company\":\"\",\"title\":\"\",\"mobile\":\"13712345678\",\"phone\":\"\","
                   "\"email\":\"\",\"wechat\":\"\",\"address\":\"\",\"tags\":\"\","
                   "\"notes\":\"老客户\",\"owner\":\"\"} pending");
  g_assert_true (strstr (lines[1], "\"name\":\"苏轼\"") != NULL);
  g_assert_true (g_str_has_prefix (lines[2], "deal "));
  g_assert_true (g_str_has_prefix (lines[3], "followup "));

  /* and each queues its edits */
  crm_test_exec (quiet, "UPDATE contacts SET notes = '' WHERE id = '" V12_C1 "'");
  crm_test_exec (kept, "UPDATE contacts SET notes = '' WHERE id = '" V12_C1 "'");
  g_assert_cmpuint (n_rows (quiet), ==, 5);
  g_assert_cmpuint (n_rows (kept), ==, 8);

  g_assert_finalize_object (g_steal_pointer (&quiet));
  g_assert_finalize_object (g_steal_pointer (&kept));
  g_assert_finalize_object (g_steal_pointer (&replaced));
  crm_test_rm_rf (quiet_dir);
  crm_test_rm_rf (kept_dir);
  crm_test_rm_rf (replaced_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outbox-quiet/until-company", test_outbox_quiet_until_company);
  g_test_add_func ("/outbox-quiet/from-version-12", test_outbox_from_version_12);

  return g_test_run ();
}
