/* test-io-util.h — a temporary folder for the reader tests (test-io-*.c)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers link neither the store nor tests/lib (which does), so their
 * tests keep their files in a flat folder of their own; and the checks of
 * a table's rows every one of them makes; the start and end of their main().
 */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "crm-table.h"

static inline char *
test_io_make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *path = g_dir_make_tmp ("crm-test-io-XXXXXX", &error);

  g_assert_no_error (error);
  return path;
}

/* Removes @path and the files in it */
static inline void
test_io_remove_tmp_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

/* What each reader test's main() does first: English messages (the tests
 * compare them), GTest, and a fresh temporary folder, returned */
static inline char *
test_io_init (int    *argc,
              char ***argv)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (argc, argv, NULL);
  return test_io_make_tmp_dir ();
}

/* Runs the tests, then removes @tmp_dir and the files in it; returns what
 * g_test_run() returns */
static inline int
test_io_run (const char *tmp_dir)
{
  int status = g_test_run ();

  test_io_remove_tmp_dir (tmp_dir);
  return status;
}

/* @length bytes of @data in a file @name in @dir, read back as the importer
 * reads it (the format by content, then by name) */
static inline CrmTable *
test_io_read_file (const char *dir,
                   const char *name,
                   const char *data,
                   gsize       length,
                   GError    **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);

  g_assert_true (g_file_set_contents (path, data, length, NULL));
  return crm_table_read (file, CRM_TABLE_FORMAT_AUTO, NULL, error);
}

/* Row @index of @table is @expected (its cells joined by '|') and starts on @line */
static inline void
test_io_assert_row (CrmTable   *table,
                    guint       index,
                    const char *expected,
                    guint       line)
{
  g_autofree char *joined = NULL;

  g_assert_cmpuint (index, <, table->rows->len);
  joined = g_strjoinv ("|", g_ptr_array_index (table->rows, index));
  g_assert_cmpstr (joined, ==, expected);
  g_assert_cmpuint (g_array_index (table->lines, guint, index), ==, line);
}
