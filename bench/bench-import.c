/* bench-import.c — importing 100k contacts through xiaohe-crm-cli, beside
 * sqlite3's own .import
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-import [--rows N]
 *
 * Writes a CSV and an XLSX (libxlsxwriter, shared strings as Excel writes
 * them) of N realistic contacts (crm-gen.c, each with its own mobile and
 * e-mail), then, each as a child process on a fresh data folder:
 *   - the sqlite3 shell's `.import` of the CSV into a plain table (the
 *     yardstick: no validation, no index, no trigger);
 *   - `xiaohe-crm-cli import` of the CSV, and of the XLSX: rows per second
 *     from the spawn to the exit (reading, checking, 查重, the one commit);
 *   - the time from the import's start until `xiaohe-crm-cli search` finds
 *     the file's last row;
 *   - when the rows were committed and how long the search index took to
 *     build after them (issue 19: the store's debug message, from
 *     crm-search-build.c), and the file's size.
 * Targets: the CLI's CSV rate (rows committed) at least half of .import's;
 * the index built in <= 10 s and a file <= 250 MB at a million, scaled.
 *
 * The CLI is XIAOHE_CRM_CLI, or the build tree's next to this program.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <xlsxwriter.h>

#include "crm-bench.h"
#include "crm-gen.h"
#include "crm-test-util.h"

#define SEED 20261129

static const CrmContactField columns[] = {
  CRM_CONTACT_FIELD_NAME, CRM_CONTACT_FIELD_COMPANY, CRM_CONTACT_FIELD_TITLE,
  CRM_CONTACT_FIELD_MOBILE, CRM_CONTACT_FIELD_EMAIL, CRM_CONTACT_FIELD_ADDRESS,
  CRM_CONTACT_FIELD_NOTES,
};
static const char * const headers[] = {
  "姓名", "公司", "职务", "手机", "邮箱", "地址", "备注",
};

static void
append_csv_cell (GString    *out,
                 const char *cell)
{
  g_string_append_c (out, '"');
  for (const char *p = cell; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* the N rows, as cells; the last row's mobile in @last_mobile */
static GPtrArray *
make_rows (guint   n,
           char  **last_mobile)
{
  g_autoptr (CrmGen) gen = crm_gen_new (SEED);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CrmContact) contact = crm_gen_contact (gen);
      char **cells = g_new0 (char *, G_N_ELEMENTS (columns) + 1);

      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        cells[c] = g_strdup (crm_contact_get_field (contact, columns[c]));
      /* one contact a row: no row is a duplicate of another */
      g_free (cells[3]);
      cells[3] = g_strdup_printf ("1%d%09u", 3 + (int) (i % 7), i);
      g_free (cells[4]);
      cells[4] = g_strdup_printf ("c%u@example.com", i);
      g_ptr_array_add (rows, cells);
    }
  *last_mobile = g_strdup (((char **) g_ptr_array_index (rows, n - 1))[3]);
  return rows;
}

static void
write_csv (GPtrArray  *rows,
           const char *path)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    g_string_append_printf (out, "%s%s", c ? "," : "", headers[c]);
  g_string_append (out, "\r\n");
  for (guint r = 0; r < rows->len; r++)
    {
      char **cells = g_ptr_array_index (rows, r);

      for (guint c = 0; cells[c] != NULL; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          append_csv_cell (out, cells[c]);
        }
      g_string_append (out, "\r\n");
    }
  if (!g_file_set_contents (path, out->str, out->len, &error))
    g_error ("%s", error->message);
}

static void
write_xlsx (GPtrArray  *rows,
            const char *path)
{
  lxw_workbook *workbook = workbook_new (path);
  lxw_worksheet *sheet = workbook_add_worksheet (workbook, NULL);

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    worksheet_write_string (sheet, 0, c, headers[c], NULL);
  for (guint r = 0; r < rows->len; r++)
    {
      char **cells = g_ptr_array_index (rows, r);

      for (guint c = 0; cells[c] != NULL; c++)
        if (*cells[c] != '\0')
          worksheet_write_string (sheet, r + 1, c, cells[c], NULL);
    }
  if (workbook_close (workbook) != LXW_NO_ERROR)
    g_error ("cannot write %s", path);
}

/* runs @argv to its end; its standard output in @out (optional), its
 * standard error in @err_out (optional), with the store's debug messages;
 * the milliseconds it took */
static double
run_full (const char * const  *argv,
          char               **out,
          char               **err_out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "G_MESSAGES_DEBUG", "crm-store",
                                         TRUE);
  gint64 start = g_get_monotonic_time ();
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, err_out ? env : NULL, G_SPAWN_SEARCH_PATH, NULL,
                     NULL, out, &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s %s failed: %s", argv[0], argv[1], err);
  if (err_out != NULL)
    *err_out = g_steal_pointer (&err);
  return crm_bench_ms_since (start);
}

static double
run (const char * const  *argv,
     char               **out)
{
  return run_full (argv, out, NULL);
}

/* the seconds the store said its search index took to build after the
 * rows were committed (crm-search-build.c's debug message), 0 if none */
static double
index_seconds (const char *err)
{
  const char *line = err ? strstr (err, "search index built past ") : NULL;
  const char *in = line ? strstr (line, " in ") : NULL;

  return in ? g_ascii_strtod (in + 4, NULL) : 0;
}

/* imports @file into a fresh folder of @dir; prints its rate and when the
 * search found the last row */
static double
import (const char *cli,
        const char *dir,
        const char *name,
        const char *file,
        guint       n,
        const char *last_mobile)
{
  g_autofree char *data = g_build_filename (dir, name, NULL);
  const char * const argv[] = { cli, "--data-dir", data, "import", file, NULL };
  const char * const search[] = { cli, "--data-dir", data, "search", last_mobile, NULL };
  g_autofree char *summary = NULL;
  g_autofree char *err = NULL;
  g_autofree char *path = g_build_filename (data, "xiaohe-crm.sqlite3", NULL);
  gint64 start = g_get_monotonic_time ();
  double ms = run_full (argv, &summary, &err);
  /* GLib writes debug messages to standard output, among the summary */
  double index_s = index_seconds (err) > 0 ? index_seconds (err) : index_seconds (summary);
  double committed_s = ms / 1000 - index_s;
  GStatBuf st = { 0, };
  double found_ms;
  guint searches = 0;

  for (;;)
    {
      g_autofree char *found = NULL;

      run (search, &found);
      searches++;
      if (*found != '\0')
        break;
      if (crm_bench_ms_since (start) > 600 * 1000)
        g_error ("the search never found %s", last_mobile);
    }
  found_ms = crm_bench_ms_since (start);
  g_strchomp (summary);
  /* the summary is the last line; the debug lines come before it */
  if (strrchr (summary, '\n') != NULL)
    memmove (summary, strrchr (summary, '\n') + 1, strlen (strrchr (summary, '\n')));
  printf ("  %-5s xiaohe-crm-cli import   %8.0f rows/s  (%.2f s: %s)\n", name,
          n / (ms / 1000), ms / 1000, summary);
  printf ("  %-5s search finds the last row %.2f s after the import began (%u searches)\n",
          name, found_ms / 1000, searches);
  g_stat (path, &st);
  printf ("  %-5s rows committed after %.2f s (%.0f rows/s), the search index built in bulk"
          " after them in %.2f s (target at 1M: <= 10 s) %s; file %.0f MB"
          " (target at 1M: <= %.0f MB) %s\n", name, committed_s, n / committed_s, index_s,
          index_s * 1000000.0 / n <= 10 ? "PASS" : "MISS", st.st_size / 1e6,
          250.0 * n / 1000000, st.st_size <= 250e6 * n / 1000000 ? "PASS" : "MISS");
  return n / committed_s;
}

static char *
find_cli (const char *argv0)
{
  const char *env = g_getenv ("XIAOHE_CRM_CLI");
  g_autofree char *here = NULL;

  if (env != NULL)
    return g_strdup (env);
  here = g_path_get_dirname (argv0);
  return g_build_filename (here, "..", "src", "cli", "xiaohe-crm-cli", NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *cli = find_cli (argv[0]);
  g_autofree char *csv = g_build_filename (dir, "contacts.csv", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "contacts.xlsx", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.sqlite3", NULL);
  g_autofree char *import_cmd = g_strdup_printf (".import %s contacts", csv);
  g_autofree char *last_mobile = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  const char * const sqlite3_argv[] = { "sqlite3", plain, ".mode csv", import_cmd, NULL };
  guint n = 100000;
  double sqlite_rate;
  double csv_rate;

  if (argc == 3 && g_str_equal (argv[1], "--rows"))
    n = MAX (1, (guint) g_ascii_strtoull (argv[2], NULL, 10));

  printf ("bench-import: %u contacts (crm-gen, seed %u)\n", n, SEED);
  rows = make_rows (n, &last_mobile);
  write_csv (rows, csv);
  write_xlsx (rows, xlsx);

  sqlite_rate = n / (run (sqlite3_argv, NULL) / 1000);
  printf ("  csv   sqlite3 .import          %8.0f rows/s  (a plain table: the yardstick)\n",
          sqlite_rate);
  csv_rate = import (cli, dir, "csv", csv, n, last_mobile);
  import (cli, dir, "xlsx", xlsx, n, last_mobile);
  printf ("  csv   import (rows committed) / .import  %.2f×  target ≥ 0.50×  %s\n",
          csv_rate / sqlite_rate, csv_rate >= 0.5 * sqlite_rate ? "PASS" : "MISS");

  crm_test_rm_rf (dir);
  return 0;
}
