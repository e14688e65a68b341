/* crm-chooser.c — where the app's file choosers open
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A chooser given no folder opens GTK 4.8's "Recent" list once the
 * session has recent files, which for a license scan or a spreadsheet to
 * import is seldom where the file is. The file choosers that open such a
 * file therefore start in a folder: Documents when the user has one, else
 * the home folder. Recent stays one click away in the sidebar.
 */
#include "config.h"

#include "crm-chooser.h"

/**
 * crm_chooser_open_in_documents:
 * @chooser: a chooser that opens a file, not shown yet
 *
 * Starts @chooser in the user's Documents folder, or the home folder when
 * there is none.
 */
void
crm_chooser_open_in_documents (GtkFileChooser *chooser)
{
  const char *path = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr (GFile) folder = NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_DIR))
    path = g_get_home_dir ();
  folder = g_file_new_for_path (path);
  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}
