/* test-cli.c — xiaohe-crm-cli's import and search, run as a real process
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The binary is XIAOHE_CRM_CLI (tests/meson.build), run on a temporary data
 * folder: its exit statuses (0, 1, 2), what it prints, its refusal while
 * another process holds the folder's lock, the readers behind it (vCard,
 * GBK CSV, XLSX written by libxlsxwriter), and /cli/kill: a large import
 * killed with SIGKILL at twenty-four moments, each leaving an intact store
 * with all of that import or none of it. The moments are conditions on the
 * child's own progress (/proc/PID/io: what it has read and written so far),
 * polled, never a fixed sleep. /cli/kill runs as its own test (cli-kill).
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <xlsxwriter.h>

#include "crm-store-lock.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

typedef struct
{
  int   status;   /* the exit status */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char **
child_environ (void)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "LANGUAGE", "en", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  return env;
}

/* xiaohe-crm-cli --data-dir @dir ARGS… (NULL-terminated) */
static char **
cli_argv (const char *dir,
          const char *first,
          va_list     args)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  const char *cli = g_getenv ("XIAOHE_CRM_CLI");

  g_assert_nonnull (cli);
  g_strv_builder_add_many (builder, cli, "--data-dir", dir, NULL);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  return g_strv_builder_end (builder);
}

static void
run_cli (Run        *run,
         const char *dir,
         const char *first,
         ...)
{
  g_auto (GStrv) argv = NULL;
  g_auto (GStrv) env = child_environ ();
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  va_list args;

  va_start (args, first);
  argv = cli_argv (dir, first, args);
  va_end (args);
  g_assert_true (g_spawn_sync (NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &run->out,
                               &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  g_test_message ("%s → %d\n%s%s", argv[3], run->status, run->out, run->err);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
  return path;
}

static guint
count_contacts (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (dir, &error);

  g_assert_no_error (error);
  return crm_store_count_contacts (store);
}

static const char contacts_csv[] =
  "\xef\xbb\xbf姓名,手机,邮箱,公司,生日\r\n"
  "张三,138 0000 0001,zs@a.cn,甲公司,1990\r\n"
  "李四,12345,,乙公司,\r\n"
  "王五,13800000003,,\"丙,公司\",\r\n"
  "赵六,,zhao@b.cn,甲公司,\r\n";

static void
test_cli_import_search (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *csv = write_file (dir, "contacts.csv", contacts_csv, -1);
  g_auto (Run) import = { 0 };
  g_auto (Run) again = { 0 };
  g_auto (Run) search = { 0 };
  g_auto (Run) none = { 0 };
  g_auto (Run) words = { 0 };

  run_cli (&import, data, "import", csv, NULL);
  g_assert_cmpint (import.status, ==, 0);
  g_assert_cmpstr (import.out, ==, "3 added, 0 updated, 0 skipped as duplicates, 1 bad\n");
  g_assert_nonnull (strstr (import.err, "Line 3: Mobile: Enter a mobile number"));
  g_assert_nonnull (strstr (import.err, "Column “生日” was not imported"));
  g_assert_cmpuint (count_contacts (data), ==, 3);

  /* the same file again changes nothing */
  run_cli (&again, data, "import", "--on-duplicate", "update", csv, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpstr (again.out, ==, "0 added, 0 updated, 3 skipped as duplicates, 1 bad\n");
  g_assert_cmpuint (count_contacts (data), ==, 3);

  /* one line a match, in list order */
  run_cli (&search, data, "search", "公司", NULL);
  g_assert_cmpint (search.status, ==, 0);
  g_assert_cmpstr (search.out, ==,
                   "王五\t13800000003\t\t丙,公司\n"
                   "张三\t13800000001\tzs@a.cn\t甲公司\n"
                   "赵六\t\tzhao@b.cn\t甲公司\n");
  run_cli (&words, data, "search", "甲", "zhao", NULL);
  g_assert_cmpint (words.status, ==, 0);
  g_assert_cmpstr (words.out, ==, "赵六\t\tzhao@b.cn\t甲公司\n");
  run_cli (&none, data, "search", "没有这个人", NULL);
  g_assert_cmpint (none.status, ==, 0);
  g_assert_cmpstr (none.out, ==, "");

  crm_test_rm_rf (dir);
}

/* A large import (over 1,000 rows) into a store that has contacts makes a
 * verified backup first; a small one, or one into an empty store, does not. */
static void
test_cli_backup_before_large_import (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *backups = g_build_filename (data, "backups", NULL);
  g_autofree char *small = write_file (dir, "small.csv", contacts_csv, -1);
  g_autoptr (GString) big = g_string_new ("姓名,手机\n");
  g_autofree char *big_path = NULL;
  g_auto (Run) first = { 0 };
  g_auto (Run) second = { 0 };
  g_auto (Run) list = { 0 };

  for (guint i = 0; i < 1200; i++)
    g_string_append_printf (big, "客户%u,139%08u\n", i, i);
  big_path = write_file (dir, "big.csv", big->str, big->len);

  run_cli (&first, data, "import", small, NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_false (g_file_test (backups, G_FILE_TEST_EXISTS));

  run_cli (&second, data, "import", big_path, NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_cmpuint (count_contacts (data), ==, 3 + 1200);

  /* the copy holds the data as it was before the import */
  run_cli (&list, data, "backups", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "before-import\t3\t"));

  crm_test_rm_rf (dir);
}

static void
test_cli_exit_statuses (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *csv = write_file (dir, "contacts.csv", contacts_csv, -1);
  g_autofree char *empty = write_file (dir, "empty.csv", "", 0);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autofree char *no_names = write_file (dir, "no-names.csv", "公司,手机\n甲,13800000001\n",
                                          -1);
  static const struct { const char *args[4]; int status; } cases[] = {
    { { "import", NULL }, 2 },
    { { "import", "--format", "docx", NULL }, 2 },
    { { "import", "--on-duplicate", "merge", NULL }, 2 },
    { { "import", "--no-such-option", NULL }, 2 },
    { { "search", NULL }, 2 },
    { { "no-such-command", NULL }, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) run = { 0 };
      const char * const *a = cases[i].args;

      /* the file last, where one is needed */
      if (g_str_equal (a[0], "import") && a[1] != NULL)
        run_cli (&run, data, a[0], a[1], a[2] ? a[2] : csv, a[2] ? csv : NULL, NULL);
      else
        run_cli (&run, data, a[0], NULL);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_nonnull (strstr (run.err, "xiaohe-crm-cli"));
    }

  {
    g_auto (Run) run_missing = { 0 };
    g_auto (Run) run_empty = { 0 };
    g_auto (Run) run_no_names = { 0 };
    g_auto (Run) run_ok = { 0 };

    run_cli (&run_missing, data, "import", missing, NULL);
    g_assert_cmpint (run_missing.status, ==, 1);
    run_cli (&run_empty, data, "import", empty, NULL);
    g_assert_cmpint (run_empty.status, ==, 1);
    run_cli (&run_no_names, data, "import", no_names, NULL);
    g_assert_cmpint (run_no_names.status, ==, 1);
    g_assert_nonnull (strstr (run_no_names.err, "No column holds the names"));
    g_assert_cmpuint (count_contacts (data), ==, 0);
    run_cli (&run_ok, data, "import", "--format", "csv", csv, NULL);
    g_assert_cmpint (run_ok.status, ==, 0);
  }
  crm_test_rm_rf (dir);
}

static const char vcards[] =
  "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:0b7b6a7e-5a5e-4c0e-9a11-2d0f3c1b9e01\r\n"
  "FN:张伟\r\nORG:星河科技\r\nTEL;TYPE=CELL:13912345678\r\nEMAIL:zw@xinghe.cn\r\n"
  "END:VCARD\r\n"
  "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:只有名字\r\nNOTE:没有号码\r\nEND:VCARD\r\n";

/* the readers behind the command: a vCard, a GBK CSV, an XLSX (a mobile
 * stored as a number), each imported twice, the second time changing
 * nothing */
static void
test_cli_formats (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *vcf = write_file (dir, "cards.vcf", vcards, -1);
  g_autofree char *gbk_text = g_convert ("姓名,手机,公司\r\n李雷,13700000001,韩梅梅贸易\r\n", -1,
                                         "GB18030", "UTF-8", NULL, NULL, NULL);
  g_autofree char *gbk = write_file (dir, "gbk.csv", gbk_text, -1);
  g_autofree char *xlsx = g_build_filename (dir, "book.xlsx", NULL);
  lxw_workbook *workbook = workbook_new (xlsx);
  lxw_worksheet *sheet = workbook_add_worksheet (workbook, NULL);
  static const struct { const char *query; const char *line; } cases[] = {
    { "星河", "张伟\t13912345678\tzw@xinghe.cn\t星河科技\n" },
    { "韩梅梅", "李雷\t13700000001\t\t韩梅梅贸易\n" },
    { "13800000002", "王芳\t13800000002\t\t\n" },
  };
  const char *files[3];

  worksheet_write_string (sheet, 0, 0, "Name", NULL);
  worksheet_write_string (sheet, 0, 1, "Mobile", NULL);
  worksheet_write_string (sheet, 1, 0, "王芳", NULL);
  worksheet_write_number (sheet, 1, 1, 13800000002.0, NULL);
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);
  files[0] = vcf;
  files[1] = gbk;
  files[2] = xlsx;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) first = { 0 };
      g_auto (Run) second = { 0 };
      g_auto (Run) search = { 0 };
      guint before = count_contacts (data);
      guint added;

      run_cli (&first, data, "import", files[i], NULL);
      g_assert_cmpint (first.status, ==, 0);
      added = count_contacts (data) - before;
      g_assert_cmpuint (added, >=, 1);
      run_cli (&second, data, "import", files[i], NULL);
      g_assert_cmpint (second.status, ==, 0);
      g_assert_true (g_str_has_prefix (second.out, "0 added, 0 updated"));
      g_assert_cmpuint (count_contacts (data), ==, before + added);
      run_cli (&search, data, "search", cases[i].query, NULL);
      g_assert_cmpstr (search.out, ==, cases[i].line);
    }
  crm_test_rm_rf (dir);
}

static void
test_cli_locked (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *csv = write_file (dir, "contacts.csv", contacts_csv, -1);
  g_autoptr (GError) error = NULL;
  g_auto (Run) refused = { 0 };
  g_auto (Run) search = { 0 };
  g_auto (Run) after = { 0 };
  CrmStoreLock *lock;

  /* this process stands for the app: the lock is per open file (flock) */
  lock = crm_store_lock_acquire (data, &error);
  g_assert_no_error (error);
  run_cli (&refused, data, "import", csv, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_cmpstr (refused.out, ==, "");
  g_assert_nonnull (strstr (refused.err, "xiaohe-crm-cli: "));
  g_assert_cmpuint (count_contacts (data), ==, 0);
  /* reading needs no lock */
  run_cli (&search, data, "search", "张三", NULL);
  g_assert_cmpint (search.status, ==, 0);
  crm_store_lock_release (lock);

  run_cli (&after, data, "import", csv, NULL);
  g_assert_cmpint (after.status, ==, 0);
  g_assert_cmpuint (count_contacts (data), ==, 3);
  crm_test_rm_rf (dir);
}

/* ---- /cli/kill ---- */

#define KILL_ROWS  3000
#define KILL_RUNS  24

/* what the process has read or written so far (/proc/PID/io), or -1 when
 * it is gone */
static gint64
proc_io (GPid        pid,
         const char *key)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/io", pid);
  g_autofree char *text = NULL;
  const char *found;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  found = strstr (text, key);
  if (found == NULL)
    return -1;
  return g_ascii_strtoll (found + strlen (key), NULL, 10);
}

static gboolean
child_exited (GPid  pid,
              int  *status)
{
  return waitpid (pid, status, WNOHANG) == pid;
}

static char *
kill_csv (const char *dir,
          guint       run)
{
  g_autoptr (GString) csv = g_string_new ("姓名,手机,邮箱,公司\n");
  g_autofree char *name = g_strdup_printf ("run-%u.csv", run);

  for (guint i = 0; i < KILL_ROWS; i++)
    g_string_append_printf (csv, "客户%u-%u,1%02u%08u,c%u.%u@example.com,公司%u\n", run, i,
                            30 + run, i, run, i, i % 13);
  return write_file (dir, name, csv->str, csv->len);
}

/* the store opens, passes both integrity checks and holds @expected or
 * @expected + KILL_ROWS contacts; returns the count */
static guint
check_store (const char *data,
             guint       expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = crm_store_open (data, &error);
  sqlite3_stmt *stmt = NULL;
  guint count;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (sqlite3_prepare_v2 (_crm_store_get_db (store), "PRAGMA integrity_check", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (_crm_store_get_db (store),
                                 "INSERT INTO contacts_fts (contacts_fts) VALUES "
                                 "('integrity-check')", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (_crm_store_get_db (store),
                                       "SELECT count(*) FROM contacts WHERE deleted = 0", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpuint (crm_store_count_contacts (store), ==, count);
  if (count != expected)
    g_assert_cmpuint (count, ==, expected + KILL_ROWS);
  return count;
}

/* Waits until the child has got as far as @key ≥ @threshold, or has
 * exited; then kills it. Returns whether it was killed before it ended. */
static gboolean
kill_when (GPid        pid,
           const char *key,
           gint64      threshold)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  int status = 0;

  for (;;)
    {
      gint64 value;

      if (child_exited (pid, &status))
        {
          g_assert_true (WIFEXITED (status));
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          return FALSE;
        }
      value = key != NULL ? proc_io (pid, key) : 0;
      if (value >= threshold)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200);   /* a poll of the condition, not a wait for time */
    }
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return WIFSIGNALED (status);
}

static void
test_cli_kill (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_auto (GStrv) env = child_environ ();
  const char *cli = g_getenv ("XIAOHE_CRM_CLI");
  guint expected = 0;
  guint killed = 0;
  guint none = 0;
  guint all = 0;
  gint64 read_total;
  gint64 written_total;

  g_assert_nonnull (cli);
  /* how far a whole import gets (what it reads and writes, watched as it
   * runs): the kill points are fractions of that */
  {
    g_autofree char *csv = kill_csv (dir, 0);
    g_autofree char *calibration = g_build_filename (dir, "calibration", NULL);
    const char * const argv[] = { cli, "--data-dir", calibration, "import", csv, NULL };
    g_autoptr (GError) error = NULL;
    GPid pid = 0;
    int status = 0;

    g_assert_true (g_spawn_async (NULL, (char **) argv, env,
                                  G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                  NULL, NULL, &pid, &error));
    g_assert_no_error (error);
    read_total = written_total = 0;
    while (!child_exited (pid, &status))
      {
        read_total = MAX (read_total, proc_io (pid, "rchar: "));
        written_total = MAX (written_total, proc_io (pid, "wchar: "));
        g_usleep (200);
      }
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    g_test_message ("a whole import read %" G_GINT64_FORMAT " and wrote %" G_GINT64_FORMAT
                    " bytes", read_total, written_total);
    g_assert_cmpint (written_total, >, 0);
  }

  for (guint i = 1; i <= KILL_RUNS; i++)
    {
      g_autofree char *csv = kill_csv (dir, i);
      const char * const argv[] = { cli, "--data-dir", data, "import", csv, NULL };
      g_autoptr (GError) error = NULL;
      g_autofree char *last = g_strdup_printf ("1%02u%08u", 30 + i, KILL_ROWS - 1);
      g_autoptr (CrmStore) store = NULL;
      g_autoptr (GPtrArray) found = NULL;
      GPid pid = 0;
      gboolean was_killed;
      guint count;

      g_assert_true (g_spawn_async (NULL, (char **) argv, env,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                                    | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
      g_assert_no_error (error);
      /* a third of the runs by what it has read, two thirds by what it has
       * written (the transaction's pages, the commit, the checkpoint); the
       * first at once */
      if (i == 1)
        was_killed = kill_when (pid, NULL, 0);
      else if (i % 3 == 0)
        was_killed = kill_when (pid, "rchar: ", read_total * i / (KILL_RUNS + 1));
      else
        was_killed = kill_when (pid, "wchar: ", written_total * i / (KILL_RUNS + 1));

      count = check_store (data, expected);
      killed += was_killed;
      if (count == expected)
        none++;
      else
        all++;
      if (!was_killed)
        g_assert_cmpuint (count, ==, expected + KILL_ROWS);

      /* what the count says, the search says: the last row is there or not */
      store = crm_store_open (data, &error);
      g_assert_no_error (error);
      found = crm_store_search_contacts (store, last, 10, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, count == expected ? 0 : 1);
      g_test_message ("run %u: %s, %s", i, was_killed ? "killed" : "finished",
                      count == expected ? "none" : "all");
      expected = count;
    }
  g_test_message ("%u of %u runs killed; %u left none, %u all", killed, KILL_RUNS, none, all);
  g_assert_cmpuint (killed, >=, 20);
  crm_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/import-search", test_cli_import_search);
  g_test_add_func ("/cli/exit-statuses", test_cli_exit_statuses);
  g_test_add_func ("/cli/formats", test_cli_formats);
  g_test_add_func ("/cli/locked", test_cli_locked);
  g_test_add_func ("/cli/backup-before-large-import", test_cli_backup_before_large_import);
  g_test_add_func ("/cli/kill", test_cli_kill);

  return g_test_run ();
}
