/* crm-test-damage.c — stores with damaged files, for the unit and widget tests
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

#include "crm-deal.h"
#include "crm-test-damage.h"

char *
crm_test_db_path (const char *dir)
{
  return g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
}

/* A closed store of N_ROWS contacts, and N_ROWS deals if @deals: closing
 * folds the WAL into the file, which is then all there is. */
char *
crm_test_make_store (gboolean deals)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  char *dir = crm_test_make_tmp_dir ();
  CrmStore *store;

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_ROWS; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户%04u Wang", i);
      g_autofree char *email = g_strdup_printf ("c%04u@example.cn", i);

      g_ptr_array_add (contacts, crm_test_contact (name, "", email));
    }
  g_assert_true (crm_store_insert_contacts (store, contacts, &error));
  g_assert_no_error (error);
  if (deals)
    {
      g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < N_ROWS; i++)
        {
          g_autofree char *title = g_strdup_printf ("项目 %04u with a longer title", i);
          CrmDeal *deal = crm_deal_new ();

          crm_deal_set_title (deal, title);
          crm_deal_set_amount (deal, 100 * (i + 1));
          crm_deal_set_stage (deal, i % 4);
          crm_deal_set_notes (deal, "备注 notes that take a little room in the row");
          g_ptr_array_add (batch, deal);
        }
      g_assert_true (crm_store_insert_deals (store, batch, &error));
      g_assert_no_error (error);
    }
  g_assert_true (crm_store_accept_terms (store, "2026.1", "zh_CN", &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);
  return dir;
}

/* the page numbers (from 1) of @table's leaves, from SQLite's own map */
GArray *
crm_test_leaf_pages (const char *dir,
                     const char *table)
{
  g_autofree char *path = crm_test_db_path (dir);
  GArray *pages = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pageno FROM dbstat WHERE name = ?1"
                                       " AND pagetype = 'leaf' ORDER BY pageno",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 page = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (pages, page);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return pages;
}

/* writes garbage over @n pages from @first (counted from 1) */
void
crm_test_overwrite_pages (const char *dir,
                          gint64      first,
                          guint       n)
{
  g_autofree char *path = crm_test_db_path (dir);
  g_autoptr (GRand) rand = g_rand_new_with_seed (9);
  guint8 garbage[DB_PAGE];
  FILE *file = fopen (path, "r+b");

  g_assert_nonnull (file);
  for (guint p = 0; p < n; p++)
    {
      for (guint i = 0; i < DB_PAGE; i++)
        garbage[i] = g_rand_int_range (rand, 0, 256);
      g_assert_cmpint (fseek (file, (first - 1 + p) * DB_PAGE, SEEK_SET), ==, 0);
      g_assert_cmpuint (fwrite (garbage, 1, DB_PAGE, file), ==, DB_PAGE);
    }
  g_assert_cmpint (fclose (file), ==, 0);
}

/* overwrites 3 pages from the middle leaf of @table */
void
crm_test_damage_middle_of (const char *dir,
                           const char *table)
{
  g_autoptr (GArray) pages = crm_test_leaf_pages (dir, table);

  g_assert_cmpuint (pages->len, >, 10);
  crm_test_overwrite_pages (dir, g_array_index (pages, gint64, pages->len / 2), 3);
}

void
crm_test_damage_last_page (const char *dir)
{
  g_autofree char *path = crm_test_db_path (dir);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size % DB_PAGE, ==, 0);
  crm_test_overwrite_pages (dir, st.st_size / DB_PAGE, 1);
}

/* what is on disk: the database file and its WAL, where a write would go */
char *
crm_test_files_checksum (const char *dir)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  static const char * const suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (dir, "/" CRM_STORE_FILE_NAME, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL))
        g_checksum_update (sum, (const guchar *)contents, length);
      g_checksum_update (sum, (const guchar *)"|", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* the files in @dir are as they were when crm_test_files_checksum() gave
 * @checksum */
void
crm_test_assert_files_same (const char *dir,
                            const char *checksum)
{
  g_autofree char *now = crm_test_files_checksum (dir);

  g_assert_cmpstr (now, ==, checksum);
}

/* the store in @dir (from crm_test_make_store()) opened after 3 pages in
 * the middle of its contacts were overwritten */
CrmStore *
crm_test_open_damaged (const char *dir)
{
  g_autoptr (GError) error = NULL;
  CrmStore *store;

  crm_test_damage_middle_of (dir, "contacts");
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  return store;
}

/* drops the last reference to @store, waits until it is finalized, and
 * removes @dir */
void
crm_test_close_and_remove (CrmStore   *store,
                           const char *dir)
{
  crm_test_wait_finalize (store);
  crm_test_rm_rf (dir);
}

/* crm_test_make_store()'s folder, made once per run (a store of N_ROWS rows
 * takes seconds to write on a busy disk) and copied into a new folder;
 * crm_test_drop_store_templates() removes the originals */
static char *store_templates[2];

char *
crm_test_make_store_copy (gboolean deals)
{
  g_autoptr (GDir) from = NULL;
  char *dir = crm_test_make_tmp_dir ();
  const char *name;

  deals = !!deals;
  if (store_templates[deals] == NULL)
    store_templates[deals] = crm_test_make_store (deals);
  from = g_dir_open (store_templates[deals], 0, NULL);
  g_assert_nonnull (from);
  while ((name = g_dir_read_name (from)) != NULL)
    {
      g_autofree char *src = g_build_filename (store_templates[deals], name, NULL);
      g_autofree char *dest = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (src, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (dest, contents, length, NULL));
    }
  return dir;
}

void
crm_test_drop_store_templates (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (store_templates); i++)
    {
      if (store_templates[i] != NULL)
        crm_test_rm_rf (store_templates[i]);
      g_clear_pointer (&store_templates[i], g_free);
    }
}

/* the damages the backup tests repair (test-backup.c, test-backup-cli.c) */

/* the first page, with the header: no longer an SQLite file */
void
crm_test_damage_header (const char *dir)
{
  crm_test_overwrite_pages (dir, 1, 1);
}

void
crm_test_damage_contacts (const char *dir)
{
  crm_test_damage_middle_of (dir, "contacts");
}

/* a copy or a transfer cut off halfway */
void
crm_test_truncate_half (const char *dir)
{
  g_autofree char *path = crm_test_db_path (dir);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (truncate (path, st.st_size / 2 / DB_PAGE * DB_PAGE), ==, 0);
}

void
crm_test_empty_file (const char *dir)
{
  g_autofree char *path = crm_test_db_path (dir);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
}

/* the WAL of another database, whole and valid: SQLite applies its pages,
 * which belong to a different file */
void
crm_test_foreign_wal (const char *dir)
{
  g_autofree char *other = crm_test_make_store (TRUE);
  g_autofree char *other_path = crm_test_db_path (other);
  g_autofree char *other_wal = g_strconcat (other_path, "-wal", NULL);
  g_autofree char *wal = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  sqlite3 *db = NULL;

  wal = g_strconcat (dir, "/" CRM_STORE_FILE_NAME "-wal", NULL);
  g_assert_cmpint (sqlite3_open (other_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_autocheckpoint = 0;"
                                 " UPDATE deals SET notes = notes || ' and more';"
                                 " DELETE FROM deals WHERE local_id % 3 = 0",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (g_file_get_contents (other_wal, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 32);
  sqlite3_close (db);
  g_assert_true (g_file_set_contents (wal, contents, length, NULL));
  crm_test_rm_rf (other);
}
