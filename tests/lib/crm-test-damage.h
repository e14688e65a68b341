/* crm-test-damage.h — stores with damaged files, for the unit and widget tests
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real SQLite files in temporary folders, damaged the way a failing disk or
 * a stray tool does it: 4096-byte pages overwritten with garbage in the
 * middle of a table, or the last page of the file.
 */
#pragma once

#include "crm-test-util.h"

G_BEGIN_DECLS

#define N_ROWS 3000
#define DB_PAGE 4096

char     *crm_test_db_path           (const char *dir);
char     *crm_test_make_store        (gboolean    deals);
GArray   *crm_test_leaf_pages        (const char *dir,
                                      const char *table);
void      crm_test_overwrite_pages   (const char *dir,
                                      gint64      first,
                                      guint       n);
void      crm_test_damage_middle_of  (const char *dir,
                                      const char *table);
void      crm_test_damage_last_page  (const char *dir);
char     *crm_test_files_checksum    (const char *dir);
void      crm_test_assert_files_same (const char *dir,
                                      const char *checksum);
CrmStore *crm_test_open_damaged      (const char *dir);
void      crm_test_close_and_remove  (CrmStore   *store,
                                      const char *dir);

char     *crm_test_make_store_copy      (gboolean    deals);
void      crm_test_drop_store_templates (void);

typedef void (*CrmTestDamageFunc) (const char *dir);

void      crm_test_damage_header     (const char *dir);
void      crm_test_damage_contacts   (const char *dir);
void      crm_test_truncate_half     (const char *dir);
void      crm_test_empty_file        (const char *dir);
void      crm_test_foreign_wal       (const char *dir);

G_END_DECLS
