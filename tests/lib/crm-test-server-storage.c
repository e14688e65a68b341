/* crm-test-server-storage.c — the test server's storage as an operator
 * handles it: a copy kept and put back (a backup and its restore), and the
 * company's sequence as stored, on SQLite and on PostgreSQL alike
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server must be stopped: SQLite's file is then whole (no WAL), and a
 * PostgreSQL database is copied with CREATE DATABASE … TEMPLATE, which
 * needs it without connections. Apart from crm-test-server.c so that each
 * file stays readable; it uses only the fixture's public calls.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "crm-test-pg.h"
#include "crm-test-server.h"

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr (GFile) source = g_file_new_for_path (from);
  g_autoptr (GFile) target = g_file_new_for_path (to);
  g_autoptr (GError) error = NULL;

  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/**
 * crm_test_server_save_copy:
 *
 * See crm-test-server.h. SQLite: the file (a stopped server leaves no WAL)
 * to DIR/server.sqlite3.copy. PostgreSQL: CREATE DATABASE NAME_copy
 * TEMPLATE NAME (which needs the database without connections: the server
 * is stopped).
 */
void
crm_test_server_save_copy (CrmTestServer *s)
{
  g_assert_false (crm_test_server_is_running (s));
  if (crm_test_server_get_database (s) != NULL)
    crm_test_pg_copy_database (crm_test_server_get_database (s), FALSE);
  else
    {
      g_autofree char *db = g_build_filename (crm_test_server_get_dir (s), "server.sqlite3", NULL);
      g_autofree char *copy = g_strconcat (db, ".copy", NULL);

      copy_file (db, copy);
    }
}

void
crm_test_server_restore_copy (CrmTestServer *s)
{
  g_assert_false (crm_test_server_is_running (s));
  if (crm_test_server_get_database (s) != NULL)
    crm_test_pg_copy_database (crm_test_server_get_database (s), TRUE);
  else
    {
      g_autofree char *db = g_build_filename (crm_test_server_get_dir (s), "server.sqlite3", NULL);
      g_autofree char *copy = g_strconcat (db, ".copy", NULL);
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_remove (wal);
      g_remove (shm);
      copy_file (copy, db);
    }
}

gint64
crm_test_server_company_seq (CrmTestServer *s,
                             const char    *slug)
{
  g_autofree char *sql = g_strdup_printf ("SELECT seq FROM companies WHERE slug = '%s'", slug);
  gint64 seq;

  g_assert_true (g_regex_match_simple ("^[a-z0-9-]+$", slug, 0, 0));
  if (crm_test_server_get_database (s) != NULL)
    {
      g_autofree char *text = crm_test_pg_query (crm_test_server_get_database (s), sql);

      g_assert_nonnull (text);
      seq = g_ascii_strtoll (text, NULL, 10);
    }
  else
    {
      g_autofree char *path = g_build_filename (crm_test_server_get_dir (s), "server.sqlite3", NULL);
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      sqlite3_busy_timeout (db, 10000);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      seq = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
  return seq;
}
