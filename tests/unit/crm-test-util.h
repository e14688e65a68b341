/* crm-test-util.h — shared helpers for the unit tests
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gstdio.h>

#include "crm-store.h"
#include "crm-contact.h"

/* A store in a new temporary folder; the folder is removed by
 * crm_test_store_free(). */
typedef struct
{
  char     *dir;
  CrmStore *store;
} CrmTestStore;

static inline void
crm_test_rm_rf (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        crm_test_rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static inline CrmTestStore *
crm_test_store_new (void)
{
  g_autoptr (GError) error = NULL;
  CrmTestStore *ts = g_new0 (CrmTestStore, 1);

  ts->dir = g_dir_make_tmp ("crm-test-XXXXXX", &error);
  g_assert_no_error (error);
  ts->store = crm_store_open (ts->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ts->store);
  return ts;
}

static inline void
crm_test_store_free (CrmTestStore *ts)
{
  g_assert_finalize_object (ts->store);
  crm_test_rm_rf (ts->dir);
  g_free (ts->dir);
  g_free (ts);
}

static inline CrmContact *
crm_test_contact (const char *name,
                  const char *mobile,
                  const char *email)
{
  CrmContact *contact = crm_contact_new ();

  crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, name);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_MOBILE, mobile);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_EMAIL, email);
  return contact;
}

static inline CrmContact *
crm_test_add (CrmStore   *store,
              const char *name,
              const char *mobile,
              const char *email)
{
  g_autoptr (GError) error = NULL;
  CrmContact *contact = crm_test_contact (name, mobile, email);

  crm_store_save_contact (store, contact, &error);
  g_assert_no_error (error);
  return contact;
}
