/* test-import.c — the import engine: mapping, 查重, bad rows, cancel, undo
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tables are built in memory, as a reader would give them, and imported
 * into a real SQLite store; "the store is as it was" is checked on a dump of
 * every table of the file (contacts, the search index, the outbox, the
 * counters), read through a second connection.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "crm-import.h"
#include "crm-io.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

/* a table from "a|b|c" lines; line numbers start at 1, one per row, or as
 * given by a leading "@N:" */
static CrmTable *
table_new (const char * const *lines)
{
  CrmTable *table = g_new0 (CrmTable, 1);

  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  table->encoding = g_strdup ("UTF-8");
  table->format = CRM_TABLE_FORMAT_CSV;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *text = lines[i];
      guint line = i + 1;

      if (text[0] == '@')
        {
          line = (guint) g_ascii_strtoull (text + 1, (char **) &text, 10);
          text++;
        }
      g_ptr_array_add (table->rows, g_strsplit (text, "|", -1));
      g_array_append_val (table->lines, line);
    }
  return table;
}

/* every row of every table of the store's file, through its own connection */
static char *
dump_store (CrmStore *store)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (crm_store_get_path (store), &db, SQLITE_OPEN_READONLY,
                                    NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                       " AND name NOT LIKE 'sqlite_%' ORDER BY name", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1", name);

      /* the FTS5 virtual table itself is read through its shadow tables */
      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          g_string_append_printf (out, "[%s unreadable]\n", name);
          continue;
        }
      g_string_append_printf (out, "[%s]\n", name);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const void *blob = sqlite3_column_blob (stmt, c);
              int n = sqlite3_column_bytes (stmt, c);
              g_autofree char *hex = NULL;

              if (sqlite3_column_type (stmt, c) == SQLITE_BLOB)
                {
                  g_autoptr (GBytes) bytes = g_bytes_new (blob, n);
                  hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, bytes);
                  g_string_append_printf (out, "%s|", hex);
                }
              else
                g_string_append_printf (out, "%s|", (const char *) sqlite3_column_text (stmt, c));
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static CrmImportResult *
run_import (CrmStore           *store,
            const CrmTable     *table,
            CrmStoreDuplicates  policy)
{
  g_autoptr (CrmImport) import = crm_import_new (table);
  g_autoptr (GError) error = NULL;
  CrmImportResult *result = NULL;

  g_assert_true (crm_import_run (import, store, policy, NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static CrmContact *
find_by_mobile (CrmStore   *store,
                const char *mobile)
{
  g_autoptr (GPtrArray) found = crm_store_search_contacts (store, mobile, 10, NULL);

  g_assert_nonnull (found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_object_ref (g_ptr_array_index (found, 0));
}

static void
test_import_mapping (void)
{
  static const struct { const char *header; int target; } cases[] = {
    { "姓名", CRM_CONTACT_FIELD_NAME },
    { " Name ", CRM_CONTACT_FIELD_NAME },
    { "联系人", CRM_CONTACT_FIELD_NAME },
    { "ＮＡＭＥ", CRM_CONTACT_FIELD_NAME },
    { "公司", CRM_CONTACT_FIELD_COMPANY },
    { "company", CRM_CONTACT_FIELD_COMPANY },
    { "单位", CRM_CONTACT_FIELD_COMPANY },
    { "职务", CRM_CONTACT_FIELD_TITLE },
    { "Job Title", CRM_CONTACT_FIELD_TITLE },
    { "职位", CRM_CONTACT_FIELD_TITLE },
    { "手机", CRM_CONTACT_FIELD_MOBILE },
    { "MOBILE", CRM_CONTACT_FIELD_MOBILE },
    { "手机号码", CRM_CONTACT_FIELD_MOBILE },
    { "电话", CRM_CONTACT_FIELD_PHONE },
    { "Phone", CRM_CONTACT_FIELD_PHONE },
    { "座机", CRM_CONTACT_FIELD_PHONE },
    { "邮箱", CRM_CONTACT_FIELD_EMAIL },
    { "E-mail", CRM_CONTACT_FIELD_EMAIL },
    { "Email", CRM_CONTACT_FIELD_EMAIL },
    { "Ｅ－ｍａｉｌ", CRM_CONTACT_FIELD_EMAIL },
    { "e mail", CRM_CONTACT_FIELD_EMAIL },
    { "电子邮件", CRM_CONTACT_FIELD_EMAIL },
    { "微信", CRM_CONTACT_FIELD_WECHAT },
    { "WeChat", CRM_CONTACT_FIELD_WECHAT },
    { "地址", CRM_CONTACT_FIELD_ADDRESS },
    { "Address", CRM_CONTACT_FIELD_ADDRESS },
    { "标签", CRM_CONTACT_FIELD_TAGS },
    { "Tags", CRM_CONTACT_FIELD_TAGS },
    { "备注", CRM_CONTACT_FIELD_NOTES },
    { "Notes", CRM_CONTACT_FIELD_NOTES },
    { "负责人", CRM_CONTACT_FIELD_OWNER },
    { "Owner", CRM_CONTACT_FIELD_OWNER },
    { "UID", CRM_IMPORT_TARGET_UID },
    { "\xef\xbb\xbf姓名", CRM_CONTACT_FIELD_NAME },
    { "手机\u3000", CRM_CONTACT_FIELD_MOBILE },
    { "姓名：", CRM_CONTACT_FIELD_NAME },
    { "生日", CRM_IMPORT_TARGET_NONE },
    { "", CRM_IMPORT_TARGET_NONE },
    { "\xff\xfe", CRM_IMPORT_TARGET_NONE },
  };
  const char * const lines[] = { "姓名|手机|生日|Mobile|", "张三|13800000001|1990|13900000002|",
                                 NULL };
  g_autoptr (CrmTable) table = table_new (lines);
  g_autoptr (CrmImport) import = NULL;
  g_auto (GStrv) unmapped = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = g_utf8_make_valid (cases[i].header, -1);

      g_test_message ("header “%s”", shown);
      g_assert_cmpint (crm_import_target_from_header (cases[i].header), ==, cases[i].target);
    }

  import = crm_import_new (table);
  g_assert_cmpuint (crm_import_get_n_columns (import), ==, 5);
  g_assert_cmpuint (crm_import_get_n_rows (import), ==, 1);
  g_assert_cmpint (crm_import_get_column_target (import, 0), ==, CRM_CONTACT_FIELD_NAME);
  g_assert_cmpint (crm_import_get_column_target (import, 1), ==, CRM_CONTACT_FIELD_MOBILE);
  g_assert_cmpint (crm_import_get_column_target (import, 2), ==, CRM_IMPORT_TARGET_NONE);
  /* a second column naming the same field is not imported */
  g_assert_cmpint (crm_import_get_column_target (import, 3), ==, CRM_IMPORT_TARGET_NONE);
  unmapped = crm_import_get_unmapped (import);
  g_assert_cmpuint (g_strv_length (unmapped), ==, 2);
  g_assert_cmpstr (unmapped[0], ==, "生日");
  g_assert_cmpstr (unmapped[1], ==, "Mobile");

  /* the caller moves the mobile to the fourth column; the second loses it */
  crm_import_set_column_target (import, 3, CRM_CONTACT_FIELD_MOBILE);
  g_assert_cmpint (crm_import_get_column_target (import, 1), ==, CRM_IMPORT_TARGET_NONE);
  g_assert_cmpint (crm_import_get_column_target (import, 3), ==, CRM_CONTACT_FIELD_MOBILE);

  g_assert_cmpstr (crm_import_target_get_label (CRM_CONTACT_FIELD_EMAIL), ==, "E-mail");
}

static void
test_import_moved_mapping (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  const char * const lines[] = { "姓名|手机|Mobile", "张三|13800000001|13900000002", NULL };
  g_autoptr (CrmTable) table = table_new (lines);
  g_autoptr (CrmImport) import = crm_import_new (table);
  g_autoptr (CrmImportResult) result = NULL;
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error = NULL;

  crm_import_set_column_target (import, 2, CRM_CONTACT_FIELD_MOBILE);
  g_assert_true (crm_import_run (import, ts->store, CRM_STORE_DUPLICATES_SKIP, NULL, NULL, NULL,
                                 &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->added, ==, 1);
  contact = find_by_mobile (ts->store, "13900000002");
  g_assert_cmpstr (crm_contact_get_name (contact), ==, "张三");
  crm_test_store_free (ts);
}

/* the store holds 王五 (13800000001, wang@a.cn, title 经理); the file has a
 * row for each of their keys and a new one */
static const char * const dup_lines[] = {
  "Name|Company|Title|Mobile|E-mail",
  "王五|新公司||138 0000 0001|",
  "王五五|||  |WANG@A.CN",
  "赵六|六合|||zhao@b.cn",
  NULL,
};

static void
test_import_duplicates_store (void)
{
  for (CrmStoreDuplicates policy = CRM_STORE_DUPLICATES_SKIP;
       policy <= CRM_STORE_DUPLICATES_KEEP; policy++)
    {
      CrmTestStore *ts = crm_test_store_new ();
      g_autoptr (CrmContact) wang = crm_test_add (ts->store, "王五", "13800000001", "wang@a.cn");
      g_autoptr (CrmContact) read = NULL;
      g_autoptr (CrmTable) table = table_new (dup_lines);
      g_autoptr (CrmImportResult) result = NULL;
      g_autoptr (GError) error = NULL;

      g_test_message ("policy %d", policy);
      crm_contact_set_field (wang, CRM_CONTACT_FIELD_TITLE, "经理");
      g_assert_true (crm_store_save_contact (ts->store, wang, &error));

      result = run_import (ts->store, table, policy);
      read = crm_store_get_contact (ts->store, crm_contact_get_id (wang), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (result->bad, ==, 0);
      switch (policy)
        {
        case CRM_STORE_DUPLICATES_SKIP:
          g_assert_cmpuint (result->added, ==, 1);
          g_assert_cmpuint (result->updated, ==, 0);
          g_assert_cmpuint (result->skipped, ==, 2);
          g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 2);
          g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_COMPANY), ==, "");
          break;
        case CRM_STORE_DUPLICATES_UPDATE:
          g_assert_cmpuint (result->added, ==, 1);
          g_assert_cmpuint (result->updated, ==, 2);
          g_assert_cmpuint (result->skipped, ==, 0);
          g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 2);
          /* non-empty cells only: the title the file left empty stays */
          g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_COMPANY), ==, "新公司");
          g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_TITLE), ==, "经理");
          g_assert_cmpstr (crm_contact_get_name (read), ==, "王五五");
          g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_EMAIL), ==,
                           "WANG@a.cn");
          g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_MOBILE), ==,
                           "13800000001");
          /* the undo keeps 王五 once, as he was before the first change */
          g_assert_cmpuint (result->undo.previous->len, ==, 1);
          g_assert_cmpstr (crm_contact_get_name (g_ptr_array_index (result->undo.previous, 0)),
                           ==, "王五");
          break;
        case CRM_STORE_DUPLICATES_KEEP:
        default:
          g_assert_cmpuint (result->added, ==, 3);
          g_assert_cmpuint (result->updated, ==, 0);
          g_assert_cmpuint (result->skipped, ==, 0);
          g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 4);
          g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_COMPANY), ==, "");
          break;
        }
      crm_test_store_free (ts);
    }
}

static const char * const in_file_lines[] = {
  "手机|姓名|公司|备注",
  "13900000009|孙七|七星||",
  "139-0000-0009|孙七|七星贸易|第二行",
  "|周八|||",
  "|周八|||",
  NULL,
};

static void
test_import_duplicates_in_file (void)
{
  for (CrmStoreDuplicates policy = CRM_STORE_DUPLICATES_SKIP;
       policy <= CRM_STORE_DUPLICATES_KEEP; policy++)
    {
      CrmTestStore *ts = crm_test_store_new ();
      g_autoptr (CrmTable) table = table_new (in_file_lines);
      g_autoptr (CrmImportResult) result = NULL;
      g_autoptr (CrmContact) sun = NULL;

      g_test_message ("policy %d", policy);
      result = run_import (ts->store, table, policy);
      switch (policy)
        {
        case CRM_STORE_DUPLICATES_SKIP:
          g_assert_cmpuint (result->added, ==, 2);
          g_assert_cmpuint (result->skipped, ==, 2);
          sun = find_by_mobile (ts->store, "13900000009");
          g_assert_cmpstr (crm_contact_get_field (sun, CRM_CONTACT_FIELD_COMPANY), ==, "七星");
          break;
        case CRM_STORE_DUPLICATES_UPDATE:
          /* the second 孙七 updates the first; the second 周八 has nothing new */
          g_assert_cmpuint (result->added, ==, 2);
          g_assert_cmpuint (result->updated, ==, 1);
          g_assert_cmpuint (result->skipped, ==, 1);
          sun = find_by_mobile (ts->store, "13900000009");
          g_assert_cmpstr (crm_contact_get_field (sun, CRM_CONTACT_FIELD_COMPANY), ==,
                           "七星贸易");
          g_assert_cmpstr (crm_contact_get_field (sun, CRM_CONTACT_FIELD_NOTES), ==, "第二行");
          /* it was added by this import: the undo deletes it, restores nothing */
          g_assert_cmpuint (result->undo.previous->len, ==, 0);
          g_assert_cmpuint (result->undo.added->len, ==, 2);
          break;
        case CRM_STORE_DUPLICATES_KEEP:
        default:
          g_assert_cmpuint (result->added, ==, 4);
          g_assert_cmpuint (result->skipped, ==, 0);
          break;
        }
      g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, result->added);
      crm_test_store_free (ts);
    }
}

static const char * const reimport_lines[] = {
  "姓名|公司|手机|邮箱|UID|标签",
  "钱一|钱庄|13700000001||",
  "孙二|||sun@c.cn||",
  "李三|李记|||5f0c1d7e-3b8e-4c44-9a55-0f6a1f0e2b11|VIP",
  "周四|周家||||",
  NULL,
};

static void
test_import_reimport (void)
{
  for (CrmStoreDuplicates policy = CRM_STORE_DUPLICATES_SKIP;
       policy <= CRM_STORE_DUPLICATES_UPDATE; policy++)
    {
      CrmTestStore *ts = crm_test_store_new ();
      g_autoptr (CrmTable) table = table_new (reimport_lines);
      g_autoptr (CrmImportResult) first = NULL;
      g_autoptr (CrmImportResult) second = NULL;
      g_autoptr (CrmContact) li = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      g_test_message ("policy %d", policy);
      first = run_import (ts->store, table, policy);
      g_assert_cmpuint (first->added, ==, 4);
      /* a vCard's UID that is a UUID becomes the contact's id */
      li = crm_store_get_contact (ts->store, "5f0c1d7e-3b8e-4c44-9a55-0f6a1f0e2b11", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (crm_contact_get_name (li), ==, "李三");

      before = dump_store (ts->store);
      second = run_import (ts->store, table, policy);
      after = dump_store (ts->store);
      g_assert_cmpuint (second->added, ==, 0);
      g_assert_cmpuint (second->updated, ==, 0);
      g_assert_cmpuint (second->skipped, ==, 4);
      g_assert_cmpstr (before, ==, after);
      crm_test_store_free (ts);
    }
}

static void
test_import_bad_rows (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  const char * const lines[] = {
    "姓名|公司|手机|邮箱|备注",
    "吴一|吴氏|13600000001||ok",
    "@4:吴二|吴氏|12345||quote \" here",
    "@7:|无名|13600000003||",
    "@8:吴四||13600000004|not-an-email|",
    "@9:吴五|||\"a\"@x.cn|",
    NULL,
  };
  g_autoptr (CrmTable) table = table_new (lines);
  g_autoptr (CrmImportResult) result = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  CrmImportBadRow *bad;

  result = run_import (ts->store, table, CRM_STORE_DUPLICATES_SKIP);
  g_assert_cmpuint (result->added, ==, 1);
  g_assert_cmpuint (result->bad, ==, 4);
  g_assert_cmpuint (result->bad_rows->len, ==, 4);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1);

  bad = g_ptr_array_index (result->bad_rows, 0);
  g_assert_cmpuint (bad->line, ==, 4);
  g_assert_cmpint (bad->target, ==, CRM_CONTACT_FIELD_MOBILE);
  g_assert_true (strstr (bad->reason, "mobile") != NULL);
  g_assert_cmpstr (bad->cells[2], ==, "12345");
  bad = g_ptr_array_index (result->bad_rows, 1);
  g_assert_cmpuint (bad->line, ==, 7);
  g_assert_cmpint (bad->target, ==, CRM_CONTACT_FIELD_NAME);
  bad = g_ptr_array_index (result->bad_rows, 2);
  g_assert_cmpuint (bad->line, ==, 8);
  g_assert_cmpint (bad->target, ==, CRM_CONTACT_FIELD_EMAIL);
  g_assert_true (strstr (bad->reason, "e-mail") != NULL);

  file = g_file_new_for_path (path);
  g_assert_true (crm_import_result_write_bad_rows (result, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbf姓名,公司,手机,邮箱,备注,Problem\r\n"));
  g_assert_true (strstr (contents, "\r\n吴二,吴氏,12345,,\"quote \"\" here\",\"Mobile: ") != NULL);
  g_assert_true (strstr (contents, "\r\n吴四,,13600000004,not-an-email,,E-mail: ") != NULL);
  g_assert_true (strstr (contents, "吴一") == NULL);

  /* read back by the CSV reader, fixed and imported again: the Problem
   * column is not a field, the fixed rows go in */
  {
    g_autoptr (CrmTable) again = crm_table_read (file, CRM_TABLE_FORMAT_CSV, NULL, &error);
    g_autoptr (CrmImportResult) fixed = NULL;
    g_autoptr (CrmImport) import = NULL;
    g_auto (GStrv) unmapped = NULL;
    GStrv wu_er;

    g_assert_no_error (error);
    g_assert_cmpuint (again->rows->len, ==, 5);
    wu_er = g_ptr_array_index (again->rows, 1);
    g_assert_cmpstr (wu_er[4], ==, "quote \" here");
    g_free (wu_er[2]);
    wu_er[2] = g_strdup ("13600000002");
    import = crm_import_new (again);
    unmapped = crm_import_get_unmapped (import);
    g_assert_cmpstr (unmapped[0], ==, "Problem");
    g_assert_true (crm_import_run (import, ts->store, CRM_STORE_DUPLICATES_SKIP, NULL, NULL,
                                   NULL, &fixed, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (fixed->added, ==, 1);
    g_assert_cmpuint (fixed->bad, ==, 3);
    g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 2);
  }

  crm_test_rm_rf (dir);
  crm_test_store_free (ts);
}

static void
test_import_no_names (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  const char * const lines[] = { "公司|手机", "某公司|13600000001", NULL };
  const char * const empty[] = { NULL };
  g_autoptr (CrmTable) table = table_new (lines);
  g_autoptr (CrmTable) empty_table = table_new (empty);
  g_autoptr (CrmImport) import = crm_import_new (table);
  g_autoptr (CrmImport) empty_import = crm_import_new (empty_table);
  g_autoptr (CrmImportResult) result = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (crm_import_run (import, ts->store, CRM_STORE_DUPLICATES_SKIP, NULL, NULL,
                                  NULL, &result, &error));
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
  g_assert_null (result);
  g_clear_error (&error);
  g_assert_false (crm_import_run (empty_import, ts->store, CRM_STORE_DUPLICATES_SKIP, NULL,
                                  NULL, NULL, &result, &error));
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 0);
  crm_test_store_free (ts);
}

/* a table of @n rows: 用户N, mobile 150NNNNNNNN */
static CrmTable *
big_table (guint n)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (lines, g_strdup ("姓名|手机|公司"));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (lines, g_strdup_printf ("用户%u|150%08u|公司%u", i, i, i % 7));
  g_ptr_array_add (lines, NULL);
  return table_new ((const char * const *) lines->pdata);
}

typedef struct
{
  GCancellable *cancellable;
  guint         cancel_at;
  guint         calls;
  guint         last;
} Progress;

static void
progress_cb (guint    done,
             guint    total,
             gpointer data)
{
  Progress *p = data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, p->last);
  p->last = done;
  p->calls++;
  if (p->cancellable != NULL && done >= p->cancel_at)
    g_cancellable_cancel (p->cancellable);
}

static void
test_import_cancel (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();  /* its outbox written too */
  g_autoptr (CrmContact) wang = crm_test_add (ts->store, "王五", "15000000003", "");
  g_autoptr (CrmTable) table = big_table (2000);
  g_autoptr (CrmImport) import = crm_import_new (table);
  g_autoptr (CrmImportResult) result = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *before = dump_store (ts->store);
  g_autofree char *after = NULL;
  Progress progress = { cancellable, 1500, 0, 0 };

  /* cancelled in the middle, with 王五 updated by then: all rolled back */
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM outbox"), ==, 1);
  g_assert_false (crm_import_run (import, ts->store, CRM_STORE_DUPLICATES_UPDATE, progress_cb,
                                  &progress, cancellable, &result, &error));
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_CANCELLED);
  g_assert_null (result);
  g_assert_cmpuint (progress.calls, >, 2);
  after = dump_store (ts->store);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1);

  /* the same import, not cancelled, goes in whole */
  g_clear_error (&error);
  progress = (Progress) { NULL, 0, 0, 0 };
  g_assert_true (crm_import_run (import, ts->store, CRM_STORE_DUPLICATES_UPDATE, progress_cb,
                                 &progress, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.last, ==, 2000);
  g_assert_cmpuint (result->added, ==, 1999);
  g_assert_cmpuint (result->updated, ==, 1);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 2000);
  crm_test_store_free (ts);
}

/* the live contacts, every column */
static char *
dump_live_contacts (CrmStore *store)
{
  g_autoptr (GPtrArray) all = crm_store_search_contacts (store, "", G_MAXINT, NULL);
  g_autoptr (GString) out = g_string_new (NULL);

  g_assert_nonnull (all);
  for (guint i = 0; i < all->len; i++)
    {
      CrmContact *c = g_ptr_array_index (all, i);

      g_string_append_printf (out, "%s %s %s:", crm_contact_get_id (c),
                              crm_contact_get_created_at (c), crm_contact_get_updated_at (c));
      for (guint f = 0; f < CRM_CONTACT_N_FIELDS; f++)
        g_string_append_printf (out, "%s|", crm_contact_get_field (c, f));
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_import_undo (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) a = crm_test_add (ts->store, "甲", "13500000001", "");
  g_autoptr (CrmContact) b = crm_test_add (ts->store, "乙", "", "yi@d.cn");
  g_autoptr (CrmContact) c = crm_test_add (ts->store, "丙", "13500000003", "");
  const char * const lines[] = {
    "姓名|手机|邮箱|公司",
    "甲|13500000001||甲公司",
    "乙二||yi@d.cn|",
    "丁|13500000004||",
    "戊|13500000005||",
    NULL,
  };
  g_autoptr (CrmTable) table = table_new (lines);
  g_autoptr (CrmImportResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = dump_live_contacts (ts->store);
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GPtrArray) found = NULL;

  result = run_import (ts->store, table, CRM_STORE_DUPLICATES_UPDATE);
  g_assert_cmpuint (result->added, ==, 2);
  g_assert_cmpuint (result->updated, ==, 2);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 5);
  during = dump_live_contacts (ts->store);
  g_assert_cmpstr (before, !=, during);

  g_assert_true (crm_import_result_undo (result, ts->store, &error));
  g_assert_no_error (error);
  after = dump_live_contacts (ts->store);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 3);
  found = crm_store_search_contacts (ts->store, "13500000004", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  /* once only: a second undo changes nothing */
  g_assert_true (crm_import_result_undo (result, ts->store, &error));
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 3);
  crm_test_store_free (ts);
}

/* one column of the outbox rows of @store, in order */
static char *
dump_outbox (CrmStore *store)
{
  g_autoptr (GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (crm_store_get_path (store), &db, SQLITE_OPEN_READONLY,
                                    NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT kind, op, base_version, fields_json,"
                                       " length (mutation_id), state FROM outbox"
                                       " ORDER BY local_seq", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < 6; c++)
      g_string_append_printf (out, "%s%s", sqlite3_column_text (stmt, c), c < 5 ? "|" : "\n");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count (DISTINCT mutation_id) = count (*)"
                                       " FROM outbox", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* the index and the outbox an import writes at its end are those the
 * triggers write for the same contacts saved one by one */
static void
test_import_like_saves (void)
{
  CrmTestStore *imported = crm_test_store_new_signed_in ();
  CrmTestStore *saved = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) before = crm_test_add (imported->store, "老客户", "13300000009", "");
  g_autoptr (CrmContact) before_too = crm_test_add (saved->store, "老客户", "13300000009", "");
  const char * const lines[] = {
    "姓名|公司|手机|邮箱|微信|备注",
    "冯一|冯记商行|13300000001|feng@e.cn|wxfeng88|第一",
    "陈二||13300000002|||",
    "老客户|新单位|13300000009|||",
    "褚三|褚氏|+1 650 253 0000|chu@f.cn||",
    NULL,
  };
  g_autoptr (CrmTable) table = table_new (lines);
  g_autoptr (CrmImportResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *outbox_imported = NULL;
  g_autofree char *outbox_saved = NULL;
  static const char * const queries[] = { "冯记", "0002", "chu@f", "wxfeng", "新单位", "老客户" };

  result = run_import (imported->store, table, CRM_STORE_DUPLICATES_UPDATE);
  g_assert_cmpuint (result->added, ==, 3);
  g_assert_cmpuint (result->updated, ==, 1);

  /* the same by the editor's path */
  for (guint r = 1; r < table->rows->len; r++)
    {
      GStrv cells = g_ptr_array_index (table->rows, r);
      g_autoptr (CrmContact) contact = NULL;
      static const CrmContactField fields[] = {
        CRM_CONTACT_FIELD_NAME, CRM_CONTACT_FIELD_COMPANY, CRM_CONTACT_FIELD_MOBILE,
        CRM_CONTACT_FIELD_EMAIL, CRM_CONTACT_FIELD_WECHAT, CRM_CONTACT_FIELD_NOTES,
      };

      contact = g_str_equal (cells[0], "老客户") ? g_object_ref (before_too)
                                                 : crm_contact_new ();
      for (guint c = 0; c < G_N_ELEMENTS (fields); c++)
        if (*cells[c] != '\0')
          crm_contact_set_field (contact, fields[c], cells[c]);
      g_assert_true (crm_store_save_contact (saved->store, contact, &error));
      g_assert_no_error (error);
    }

  /* the update comes first in the import's outbox (it is written as it
   * happens, the new rows at the end): compare them as sets of lines */
  outbox_imported = dump_outbox (imported->store);
  outbox_saved = dump_outbox (saved->store);
  {
    g_auto (GStrv) a = g_strsplit (outbox_imported, "\n", -1);
    g_auto (GStrv) b = g_strsplit (outbox_saved, "\n", -1);

    /* 老客户 added, then updated; three new ones; and the last line's end */
    g_assert_cmpuint (g_strv_length (a), ==, 6);
    g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
    for (guint i = 0; a[i] != NULL; i++)
      g_assert_true (g_strv_contains ((const char * const *) b, a[i]));
  }

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr (GPtrArray) found_imported = crm_store_search_contacts (imported->store,
                                                                          queries[q], 10, NULL);
      g_autoptr (GPtrArray) found_saved = crm_store_search_contacts (saved->store, queries[q],
                                                                       10, NULL);

      g_test_message ("search “%s”", queries[q]);
      g_assert_cmpuint (found_imported->len, ==, 1);
      g_assert_cmpuint (found_imported->len, ==, found_saved->len);
    }

  /* and the undo goes through the triggers: the index is still whole */
  g_assert_true (crm_import_result_undo (result, imported->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (_crm_store_get_db (imported->store),
                                 "INSERT INTO contacts_fts (contacts_fts) VALUES "
                                 "('integrity-check')", NULL, NULL, NULL), ==, SQLITE_OK);
  {
    g_autoptr (GPtrArray) gone = crm_store_search_contacts (imported->store, "冯记", 10, NULL);
    g_assert_cmpuint (gone->len, ==, 0);
  }
  crm_test_store_free (imported);
  crm_test_store_free (saved);
}

/* crm_import_check(): what the import would do, every row checked, and the
 * store exactly as it was; the sizes about the store's looks at its
 * cancellable (every 256 rows) */
static void
test_import_check (void)
{
  static const guint sizes[] = { 1, 2, 255, 256, 257, 511, 512, 513, 600 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      CrmTestStore *ts = crm_test_store_new ();
      g_autoptr (CrmContact) first = crm_test_add (ts->store, "老用户", "15000000000", "");
      g_autoptr (CrmTable) table = big_table (sizes[s]);
      g_autoptr (CrmImport) import = crm_import_new (table);
      g_autoptr (CrmImportResult) check = NULL;
      g_autoptr (CrmImportResult) result = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *before = dump_store (ts->store);
      g_autofree char *after = NULL;

      g_test_message ("%u rows", sizes[s]);
      /* the last row is bad: it is checked too */
      g_strfreev (g_ptr_array_steal_index (table->rows, table->rows->len - 1));
      g_ptr_array_add (table->rows, g_strsplit ("坏行|12345|公司", "|", -1));
      g_assert_true (crm_import_check (import, ts->store, NULL, &check, &error));
      g_assert_no_error (error);
      after = dump_store (ts->store);
      g_assert_cmpstr (before, ==, after);
      g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1);
      g_assert_cmpuint (check->bad, ==, 1);
      g_assert_cmpuint (check->skipped, ==, sizes[s] > 1 ? 1 : 0);
      g_assert_cmpuint (check->added, ==, sizes[s] > 1 ? sizes[s] - 2 : 0);
      g_assert_cmpuint (check->undo.added->len, ==, 0);

      /* the import does what the check said */
      g_assert_true (crm_import_run (import, ts->store, CRM_STORE_DUPLICATES_SKIP, NULL, NULL,
                                     NULL, &result, &error));
      g_assert_cmpuint (result->added, ==, check->added);
      g_assert_cmpuint (result->skipped, ==, check->skipped);
      g_assert_cmpuint (result->bad, ==, check->bad);
      g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1 + check->added);
      crm_test_store_free (ts);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/mapping", test_import_mapping);
  g_test_add_func ("/import/moved-mapping", test_import_moved_mapping);
  g_test_add_func ("/import/duplicates-store", test_import_duplicates_store);
  g_test_add_func ("/import/duplicates-in-file", test_import_duplicates_in_file);
  g_test_add_func ("/import/reimport", test_import_reimport);
  g_test_add_func ("/import/bad-rows", test_import_bad_rows);
  g_test_add_func ("/import/no-names", test_import_no_names);
  g_test_add_func ("/import/cancel", test_import_cancel);
  g_test_add_func ("/import/undo", test_import_undo);
  g_test_add_func ("/import/check", test_import_check);
  g_test_add_func ("/import/like-saves", test_import_like_saves);

  return g_test_run ();
}
