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

/* Drops the last reference to @object and waits, with a deadline, until it
 * is finalized: a search thread's task may hold the list (and so the store)
 * for a moment after its result was delivered. */
static inline void
crm_test_wait_finalize (gpointer object)
{
  GWeakRef weak;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GObject *alive;

  g_weak_ref_init (&weak, object);
  g_object_unref (object);
  while ((alive = g_weak_ref_get (&weak)) != NULL)
    {
      g_object_unref (alive);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_weak_ref_clear (&weak);
}

static inline void
crm_test_store_free (CrmTestStore *ts)
{
  crm_test_wait_finalize (ts->store);
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
