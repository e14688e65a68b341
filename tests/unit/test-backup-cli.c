/* test-backup-cli.c — `xiaohe-crm-cli backup | backups | restore | check`, the real binary
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The program ($XIAOHE_CRM_CLI) run as a process on real folders: its
 * output, its exit statuses (0, 1, 2), its refusal while the folder's lock
 * is held (as the app holds it), and a damaged database (header, pages,
 * truncated, emptied, another file's WAL) found by `check` and brought back
 * by `restore latest`, the damaged file kept aside.
 */
#include "config.h"

#include <string.h>

#include "crm-store-backup.h"
#include "crm-store-lock.h"
#include "crm-test-damage.h"
#include "crm-test-util.h"

/* runs the CLI on @dir; Returns: its exit status */
static int
run (const char  *dir,
     char       **out,
     char       **err,
     ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "LANGUAGE", "en", TRUE);
  g_autoptr (GError) error = NULL;
  const char *arg;
  int status = -1;
  va_list args;

  g_ptr_array_add (argv, (gpointer)g_getenv ("XIAOHE_CRM_CLI"));
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, (gpointer)dir);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s → %d\n%s%s", (char *)argv->pdata[3], status, *out, *err);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static guint
n_backups (const char *dir)
{
  g_autofree char *folder = crm_backup_default_dir (dir);
  g_autoptr (GPtrArray) list = crm_backup_list (folder, NULL);

  return list ? list->len : 0;
}

static void
test_commands (void)
{
  g_autofree char *dir = crm_test_make_store_copy (TRUE);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *expected = g_strdup_printf ("ok\ncontacts\t%d\ndeals\t%d\n", N_ROWS, N_ROWS);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  CrmStoreLock *lock;

  g_assert_cmpint (run (dir, &out, &err, "check", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, expected));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (dir, &out, &err, "backup", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_true (g_str_has_suffix (lines[0], ".sqlite3"));
  g_assert_true (g_file_test (lines[0], G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (n_backups (dir), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (dir, &out, &err, "backups", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\t-\t3000\t3000\t"));
  g_assert_nonnull (strstr (out, lines[0]));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the app holds the lock: backup and restore refuse, nothing changes */
  sum = crm_test_files_checksum (dir);
  lock = crm_store_lock_acquire (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run (dir, &out, &err, "backup", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "open in Xiaohe CRM"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (dir, &out, &err, "restore", "latest", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "open in Xiaohe CRM"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  crm_store_lock_release (lock);
  g_assert_cmpuint (n_backups (dir), ==, 1);
  crm_test_assert_files_same (dir, sum);

  /* usage errors */
  g_assert_cmpint (run (dir, &out, &err, "restore", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (dir, &out, &err, "backups", "extra", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (dir, &out, &err, "restore", "no-such-backup.sqlite3", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "There is no backup"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  crm_test_assert_files_same (dir, sum);
  crm_test_rm_rf (dir);
}

static void
test_no_database (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (dir, &out, &err, "backup", NULL), ==, 1);
  g_assert_false (crm_store_exists (dir));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (dir, &out, &err, "check", NULL), ==, 1);
  g_assert_false (crm_store_exists (dir));
  crm_test_rm_rf (dir);
}

static void
test_damaged (gconstpointer data)
{
  CrmTestDamageFunc damage = (CrmTestDamageFunc)data;
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *expected = g_strdup_printf ("ok\ncontacts\t%d\n", N_ROWS);

  g_assert_cmpint (run (dir, &out, &err, "backup", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  damage (dir);

  g_assert_cmpint (run (dir, &out, &err, "check", NULL), ==, 1);
  g_assert_true (strstr (err, "damaged") || strstr (err, "empty"));
  g_assert_nonnull (strstr (err, "restore latest"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (dir, &out, &err, "restore", "latest", NULL), ==, 0);
  g_assert_true (strstr (out, "xiaohe-crm.sqlite3.damaged-")
                 || strstr (out, "xiaohe-crm.sqlite3.empty-"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (dir, &out, &err, "check", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, expected));
  crm_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("XIAOHE_CRM_CLI") == NULL)
    {
      g_test_skip ("XIAOHE_CRM_CLI is not set");
      return g_test_run ();
    }
  g_test_add_func ("/backup-cli/commands", test_commands);
  g_test_add_func ("/backup-cli/no-database", test_no_database);
  g_test_add_data_func ("/backup-cli/damaged/header", crm_test_damage_header, test_damaged);
  g_test_add_data_func ("/backup-cli/damaged/pages", crm_test_damage_contacts, test_damaged);
  g_test_add_data_func ("/backup-cli/damaged/truncated", crm_test_truncate_half, test_damaged);
  g_test_add_data_func ("/backup-cli/damaged/emptied", crm_test_empty_file, test_damaged);
  g_test_add_data_func ("/backup-cli/damaged/foreign-wal", crm_test_foreign_wal, test_damaged);

  status = g_test_run ();
  crm_test_drop_store_templates ();
  return status;
}
