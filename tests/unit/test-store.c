/* test-store.c — contacts in the SQLite store
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

static void
test_store_create_read (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) contact = crm_contact_new ();
  g_autoptr (CrmContact) read = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GRegex) uuid = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                                         "-[0-9a-f]{12}$", 0, 0, NULL);
  g_autoptr (GDateTime) created = NULL;

  crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, "  张三丰 ");
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_COMPANY, "武当山贸易有限公司");
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_MOBILE, "+86 138-1234-5678");
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_EMAIL, "Zhang@WuDang.CN");
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_NOTES, "第一行\n第二行");
  g_assert_false (crm_contact_is_saved (contact));

  g_assert_true (crm_store_save_contact (ts->store, contact, &error));
  g_assert_no_error (error);
  g_assert_true (crm_contact_is_saved (contact));
  g_assert_true (g_regex_match (uuid, crm_contact_get_id (contact), 0, NULL));
  created = g_date_time_new_from_iso8601 (crm_contact_get_created_at (contact), NULL);
  g_assert_nonnull (created);
  g_assert_cmpstr (crm_contact_get_created_at (contact), ==, crm_contact_get_updated_at (contact));

  read = crm_store_get_contact (ts->store, crm_contact_get_id (contact), &error);
  g_assert_no_error (error);
  /* stored normalised */
  g_assert_cmpstr (crm_contact_get_name (read), ==, "张三丰");
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_MOBILE), ==, "13812345678");
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_EMAIL), ==, "Zhang@wudang.cn");
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_NOTES), ==, "第一行\n第二行");
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_COMPANY), ==,
                   "武当山贸易有限公司");
  g_assert_false (crm_contact_get_deleted (read));
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1);

  crm_test_store_free (ts);
}

static void
test_store_update (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) contact = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmContact) read = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *created = g_strdup (crm_contact_get_created_at (contact));
  g_autofree char *id = g_strdup (crm_contact_get_id (contact));

  g_usleep (2000);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_TITLE, "销售总监");
  g_assert_true (crm_store_save_contact (ts->store, contact, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_id (contact), ==, id);
  g_assert_cmpstr (crm_contact_get_created_at (contact), ==, created);
  g_assert_cmpstr (crm_contact_get_updated_at (contact), >, created);

  read = crm_store_get_contact (ts->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_TITLE), ==, "销售总监");
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1);

  crm_test_store_free (ts);
}

static void
test_store_invalid_keeps_nothing (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) contact = crm_test_contact ("王五", "12345", "");
  g_autoptr (CrmContact) nameless = crm_test_contact ("   ", "", "");
  g_autoptr (CrmContact) huge = crm_contact_new ();
  g_autofree char *big = g_strnfill (1024 * 1024, 'x');
  g_autoptr (GError) error = NULL;

  g_assert_false (crm_store_save_contact (ts->store, contact, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_MOBILE);
  g_clear_error (&error);
  g_assert_false (crm_contact_is_saved (contact));

  g_assert_false (crm_store_save_contact (ts->store, nameless, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED);
  g_clear_error (&error);

  crm_contact_set_field (huge, CRM_CONTACT_FIELD_NAME, big);
  g_assert_false (crm_store_save_contact (ts->store, huge, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG);
  g_clear_error (&error);

  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 0);
  crm_test_store_free (ts);
}

static void
test_store_sql_metacharacters (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) contact =
    crm_test_add (ts->store, "Robert'); DROP TABLE contacts;--", "", "");
  g_autoptr (CrmContact) read = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;

  read = crm_store_get_contact (ts->store, crm_contact_get_id (contact), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_name (read), ==, "Robert'); DROP TABLE contacts;--");

  found = crm_store_search_contacts (ts->store, "'); DROP \"x\" OR *", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = crm_store_search_contacts (ts->store, "DROP", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  crm_test_store_free (ts);
}

typedef struct
{
  guint n;
  CrmContact *before;
  CrmContact *after;
} Changes;

static void
on_changed (CrmStore   *store,
            CrmContact *before,
            CrmContact *after,
            Changes    *changes)
{
  changes->n++;
  g_set_object (&changes->before, before);
  g_set_object (&changes->after, after);
}

static void
test_store_delete_restore (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) contact = crm_test_add (ts->store, "赵六", "13900001111", "");
  g_autoptr (CrmContact) read = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;
  Changes changes = { 0, };

  g_signal_connect (ts->store, "contact-changed", G_CALLBACK (on_changed), &changes);

  g_assert_true (crm_store_delete_contact (ts->store, contact, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes.n, ==, 1);
  g_assert_nonnull (changes.before);
  g_assert_null (changes.after);
  g_assert_true (crm_contact_get_deleted (contact));
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 0);

  /* a tombstone: still in the file, gone from search */
  read = crm_store_get_contact (ts->store, crm_contact_get_id (contact), &error);
  g_assert_no_error (error);
  g_assert_true (crm_contact_get_deleted (read));
  found = crm_store_search_contacts (ts->store, "赵六", 10, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* deleting twice is an error that says so */
  g_assert_false (crm_store_delete_contact (ts->store, contact, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (crm_store_restore_contact (ts->store, contact, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes.n, ==, 2);
  g_assert_null (changes.before);
  g_assert_true (changes.after == contact);
  g_assert_false (crm_contact_get_deleted (contact));
  found = crm_store_search_contacts (ts->store, "1111", 10, &error);
  g_assert_cmpuint (found->len, ==, 1);

  g_clear_object (&changes.before);
  g_clear_object (&changes.after);
  crm_test_store_free (ts);
}

static void
test_store_duplicates (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) a = crm_test_add (ts->store, "陈一", "13800138000", "chen@qq.com");
  g_autoptr (CrmContact) b = crm_test_add (ts->store, "陈二", "", "other@qq.com");
  g_autoptr (CrmContact) typed = crm_test_contact ("陈三", "138 0013 8000", "");
  g_autoptr (CrmContact) by_mail = crm_test_contact ("陈四", "", "CHEN@QQ.COM");
  g_autoptr (CrmContact) neither = crm_test_contact ("陈五", "13900000000", "x@qq.com");
  g_autoptr (GPtrArray) dups = NULL;
  g_autoptr (GError) error = NULL;

  dups = crm_store_find_duplicates (ts->store, typed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dups->len, ==, 1);
  g_assert_cmpstr (crm_contact_get_id (g_ptr_array_index (dups, 0)), ==, crm_contact_get_id (a));
  g_clear_pointer (&dups, g_ptr_array_unref);

  dups = crm_store_find_duplicates (ts->store, by_mail, &error);
  g_assert_cmpuint (dups->len, ==, 1);
  g_clear_pointer (&dups, g_ptr_array_unref);

  dups = crm_store_find_duplicates (ts->store, neither, &error);
  g_assert_cmpuint (dups->len, ==, 0);
  g_clear_pointer (&dups, g_ptr_array_unref);

  /* a contact is no duplicate of itself */
  dups = crm_store_find_duplicates (ts->store, a, &error);
  g_assert_cmpuint (dups->len, ==, 0);
  g_clear_pointer (&dups, g_ptr_array_unref);

  /* a duplicate does not block saving */
  g_assert_true (crm_store_save_contact (ts->store, typed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 3);
  (void)b;

  crm_test_store_free (ts);
}

static void
test_store_persists_and_pragmas (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("crm-test-XXXXXX", NULL);
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (CrmContact) read = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected_path = g_build_filename (dir, "xiaohe-crm.sqlite3", NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (crm_store_get_path (store), ==, expected_path);
  contact = crm_test_add (store, "孙七", "", "");
  id = g_strdup (crm_contact_get_id (contact));

  sqlite3_prepare_v2 (_crm_store_get_db (store), "PRAGMA journal_mode", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_prepare_v2 (_crm_store_get_db (store), "PRAGMA foreign_keys", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);

  g_assert_finalize_object (g_steal_pointer (&store));
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  read = crm_store_get_contact (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_name (read), ==, "孙七");

  g_assert_finalize_object (g_steal_pointer (&store));
  crm_test_rm_rf (dir);
}

static void
test_store_not_a_database (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("crm-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "xiaohe-crm.sqlite3", NULL);
  g_autofree char *junk = g_strnfill (8192, 'Z');
  g_autofree char *after = NULL;
  CrmStore *store;

  g_file_set_contents (path, junk, -1, NULL);
  store = crm_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  /* the damaged file is left as it was */
  g_file_get_contents (path, &after, NULL, NULL);
  g_assert_cmpstr (after, ==, junk);
  crm_test_rm_rf (dir);
}

static void
test_store_env_data_dir (void)
{
  g_autofree char *dir = g_dir_make_tmp ("crm-test-XXXXXX", NULL);
  g_autofree char *def = NULL;

  g_setenv ("XIAOHE_CRM_DATA_DIR", dir, TRUE);
  def = crm_store_default_data_dir ();
  g_assert_cmpstr (def, ==, dir);
  g_unsetenv ("XIAOHE_CRM_DATA_DIR");
  g_free (def);
  def = crm_store_default_data_dir ();
  g_assert_true (g_str_has_suffix (def, "/xiaohe-crm"));
  crm_test_rm_rf (dir);
}

static void
count_signal (GObject *object,
              guint   *count)
{
  (*count)++;
}

static void
test_store_bulk_insert (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  guint resets = 0;

  g_signal_connect (ts->store, "contacts-reset", G_CALLBACK (count_signal), &resets);

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *name = g_strdup_printf ("批量%03u", i);
      g_ptr_array_add (batch, crm_test_contact (name, "", ""));
    }
  g_assert_true (crm_store_insert_contacts (ts->store, batch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (resets, ==, 1);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 500);

  /* one bad row: nothing is written */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, crm_test_contact ("好的", "", ""));
  g_ptr_array_add (batch, crm_test_contact ("坏的", "", "not-an-email"));
  g_assert_false (crm_store_insert_contacts (ts->store, batch, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_EMAIL);
  g_assert_nonnull (strstr (error->message, "2"));
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 500);

  crm_test_store_free (ts);
}

static void
test_store_terms (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *missing = g_build_filename (ts->dir, "nothing-here", NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_true (crm_store_exists (ts->dir));
  g_assert_false (crm_store_exists (missing));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS)); /* nothing made */

  g_assert_false (crm_store_has_accepted_terms (ts->store, "2026.1"));
  g_assert_true (crm_store_accept_terms (ts->store, "2026.1", "zh_CN", &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_has_accepted_terms (ts->store, "2026.1"));
  g_assert_false (crm_store_has_accepted_terms (ts->store, "2027.1"));

  sqlite3_prepare_v2 (_crm_store_get_db (ts->store),
                      "SELECT language, accepted_at FROM terms_acceptance", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "zh_CN");
  g_assert_true (g_str_has_suffix ((const char *)sqlite3_column_text (stmt, 1), "Z"));
  sqlite3_finalize (stmt);

  crm_test_store_free (ts);
}

/* an importer learns which row and which field were refused */
static void
test_store_bulk_insert_names_the_field (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  CrmContactField field = CRM_CONTACT_N_FIELDS;
  guint index = G_MAXUINT;

  g_ptr_array_add (batch, crm_test_contact ("好的", "", ""));
  g_ptr_array_add (batch, crm_test_contact ("也好", "", ""));
  g_ptr_array_add (batch, crm_test_contact ("坏的", "", "not-an-email"));
  g_assert_false (crm_store_insert_contacts_full (ts->store, batch, &index, &field, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_EMAIL);
  g_assert_nonnull (strstr (error->message, "3"));
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 0);
  g_assert_cmpuint (index, ==, 2);
  g_assert_cmpint (field, ==, CRM_CONTACT_FIELD_EMAIL);

  crm_test_store_free (ts);
}

/* writes nest: a write inside another is a savepoint of its transaction,
 * undone with it */
static void
test_store_nested_writes (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  sqlite3 *db = _crm_store_get_db (ts->store);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) kept = crm_test_contact ("留下", "", "");
  g_autoptr (CrmContact) undone = crm_test_contact ("撤销", "", "");
  g_autoptr (CrmContact) bad = crm_test_contact ("坏的", "12345", "");

  g_assert_true (_crm_store_begin (ts->store, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_save_contact (ts->store, kept, &error));
  g_assert_no_error (error);
  g_assert_false (sqlite3_get_autocommit (db));        /* still inside the outer one */
  g_assert_true (_crm_store_begin (ts->store, &error));
  g_assert_true (crm_store_save_contact (ts->store, undone, &error));
  g_assert_false (_crm_store_end (ts->store, FALSE, &error)); /* the inner one undone */
  g_assert_no_error (error);
  g_assert_false (crm_store_save_contact (ts->store, bad, &error));
  g_clear_error (&error);
  g_assert_true (_crm_store_end (ts->store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (sqlite3_get_autocommit (db));
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1);

  /* the outer one rolled back takes what was written inside it */
  g_assert_true (_crm_store_begin (ts->store, &error));
  g_assert_true (crm_store_delete_contact (ts->store, kept, &error));
  g_assert_no_error (error);
  g_assert_false (_crm_store_end (ts->store, FALSE, &error));
  g_assert_true (sqlite3_get_autocommit (db));
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1);

  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/create-read", test_store_create_read);
  g_test_add_func ("/store/update", test_store_update);
  g_test_add_func ("/store/invalid-keeps-nothing", test_store_invalid_keeps_nothing);
  g_test_add_func ("/store/sql-metacharacters", test_store_sql_metacharacters);
  g_test_add_func ("/store/delete-restore", test_store_delete_restore);
  g_test_add_func ("/store/duplicates", test_store_duplicates);
  g_test_add_func ("/store/persists-and-pragmas", test_store_persists_and_pragmas);
  g_test_add_func ("/store/not-a-database", test_store_not_a_database);
  g_test_add_func ("/store/env-data-dir", test_store_env_data_dir);
  g_test_add_func ("/store/bulk-insert", test_store_bulk_insert);
  g_test_add_func ("/store/terms", test_store_terms);
  g_test_add_func ("/store/bulk-insert-names-the-field", test_store_bulk_insert_names_the_field);
  g_test_add_func ("/store/nested-writes", test_store_nested_writes);

  return g_test_run ();
}
