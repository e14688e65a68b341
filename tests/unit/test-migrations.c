/* test-migrations.c — a database of every earlier schema version opens
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-contact-private.h"
#include "crm-pinyin.h"
#include "crm-search-private.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

static sqlite3 *
open_raw (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (_crm_search_register_tokenizer (db), ==, SQLITE_OK);
  return db;
}

static void
test_migrate_from (gconstpointer data)
{
  int from = GPOINTER_TO_INT (data);
  g_autofree char *dir = g_dir_make_tmp ("crm-test-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GPtrArray) found = NULL;
  sqlite3 *db = open_raw (dir);

  /* make the old database, with a contact in it once there are contacts */
  g_assert_true (_crm_store_migrate_to (db, from, &error));
  g_assert_no_error (error);
  if (from >= 1) /* one live contact and one tombstone */
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO contacts (id, name, sort_key, created_at,"
                                   " updated_at, deleted) VALUES ('6f1c6bd0-0000-4000-8000-"
                                   "000000000002', '已删除', '已删除', '2026-01-01T00:00:00Z',"
                                   " '2026-01-01T00:00:00Z', 1)", NULL, NULL, NULL),
                     ==, SQLITE_OK);
  if (from >= 1)
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO contacts (id, name, mobile, tags, sort_key,"
                                   " created_at, updated_at) VALUES"
                                   " ('6f1c6bd0-0000-4000-8000-000000000001', '欧阳修',"
                                   " '13712345678', '重点客户，VIP', '欧阳修',"
                                   " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
  if (from >= 1) /* names as version 8 and before sorted them: code point, Latin first */
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO contacts (id, name, sort_key, created_at,"
                                   " updated_at) VALUES"
                                   " ('6f1c6bd0-0000-4000-8000-000000000011', 'Anna', 'anna',"
                                   " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
                                   " ('6f1c6bd0-0000-4000-8000-000000000012', '陈静', '陈静',"
                                   " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
                                   " ('6f1c6bd0-0000-4000-8000-000000000013', 'David', 'david',"
                                   " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
                                   " ('6f1c6bd0-0000-4000-8000-000000000014', '李娜', '李娜',"
                                   " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
  if (from >= 6) /* a deal, with its totals to add up in migration 7 */
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO deals (id, title, contact_id, amount_fen, stage,"
                                   " probability, expected_close, created_at, updated_at) VALUES"
                                   " ('6f1c6bd0-0000-4000-8000-000000000003', '年度采购',"
                                   " '6f1c6bd0-0000-4000-8000-000000000001', 123456, 'proposal',"
                                   " 50, '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
  if (from >= 9) /* sort keys as version 9 and after write them */
    g_assert_cmpint (sqlite3_exec (db, "UPDATE contacts SET sort_key = crm_sort_key (name)",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
  sqlite3_close (db);

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);

  if (from >= 1)
    {
      /* the old row is kept, and the new index knows it */
      g_autoptr (CrmContact) old = crm_store_get_contact (store,
                                                          "6f1c6bd0-0000-4000-8000-000000000001",
                                                          &error);
      g_assert_no_error (error);
      g_assert_cmpstr (crm_contact_get_name (old), ==, "欧阳修");
      found = crm_store_search_contacts (store, "5678", 10, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 1);
      g_clear_pointer (&found, g_ptr_array_unref);

      /* by pinyin, and by its tags (migration 9) */
      for (guint i = 0; i < 3; i++)
        {
          const char *queries[] = { "ouyang", "#vip", "#重点" };

          found = crm_store_search_contacts (store, queries[i], 10, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (found->len, ==, 1);
          g_clear_pointer (&found, g_ptr_array_unref);
        }

      /* in pinyin order, Latin and Chinese mixed (migration 9) */
      found = crm_store_search_contacts (store, "", 10, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 5);
      for (guint i = 0; i < found->len; i++)
        {
          const char *expected[] = { "Anna", "陈静", "David", "李娜", "欧阳修" };
          g_autofree char *key = crm_pinyin_sort_key (expected[i]);

          g_assert_cmpstr (crm_contact_get_name (found->pdata[i]), ==, expected[i]);
          g_assert_cmpstr (_crm_contact_get_sort_key (found->pdata[i]), ==, key);
        }
      g_clear_pointer (&found, g_ptr_array_unref);
    }
  g_assert_cmpuint (crm_store_count_contacts (store), ==, from >= 1 ? 5 : 0);
  if (from >= 6)
    {
      g_autoptr (CrmDeal) deal = crm_store_get_deal (store, "6f1c6bd0-0000-4000-8000-000000000003",
                                                     &error);
      CrmDealTotals totals;

      g_assert_no_error (error);
      g_assert_cmpstr (crm_deal_get_contact_name (deal), ==, "欧阳修");
      g_assert_cmpstr (crm_deal_get_expected_close (deal), ==, "");
      g_assert_true (crm_store_get_deal_totals (store, "2000-01-01", &totals, &error));
      g_assert_cmpuint (totals.count[CRM_DEAL_PROPOSAL], ==, 1);
      g_assert_cmpint (totals.open_total, ==, 123456);
      g_assert_cmpint (totals.weighted, ==, 61728);
    }

  g_assert_finalize_object (g_steal_pointer (&store));
  crm_test_rm_rf (dir);
}

static void
test_migrate_too_new (void)
{
  g_autofree char *dir = g_dir_make_tmp ("crm-test-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  CrmStore *store;
  sqlite3 *db = open_raw (dir);
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                          CRM_STORE_SCHEMA_VERSION + 1);

  sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_close (db);

  store = crm_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_TOO_NEW);
  crm_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (int v = 0; v < CRM_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *path = g_strdup_printf ("/migrations/from-version-%d", v);
      g_test_add_data_func (path, GINT_TO_POINTER (v), test_migrate_from);
    }
  g_test_add_func ("/migrations/too-new", test_migrate_too_new);

  return g_test_run ();
}
