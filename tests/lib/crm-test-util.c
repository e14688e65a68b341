/* crm-test-util.c — the store fixture and small helpers for the tests and benchmarks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <sqlite3.h>

#include "crm-store-private.h"
#include "crm-store-sync.h"
#include "crm-test-util.h"

/* removes @path, a file or a folder with everything in it */
void
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
  if (dir)
    g_rmdir (path);
  else
    g_unlink (path);
}

/* how many files in @folder end in @suffix (all of them for %NULL) */
guint
crm_test_count_files (const char *folder,
                      const char *suffix)
{
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (suffix == NULL || g_str_has_suffix (name, suffix))
      n++;
  return n;
}

/* a new empty folder under the temporary folder, for crm_test_rm_rf() */
char *
crm_test_make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("crm-test-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

/* a wake-up for g_main_context_iteration (NULL, TRUE), so that the deadline
 * is checked while a thread works */
static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* runs the main loop until @done (@data) is TRUE, failing the test after
 * @seconds */
void
crm_test_wait_until (CrmTestCondition done,
                     gpointer         data,
                     guint            seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint ticker = g_timeout_add (50, tick, NULL);

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

/* runs the main loop until *@flag, failing the test after @seconds */
void
crm_test_wait_flag (gboolean *flag,
                    guint     seconds)
{
  crm_test_wait_until (flag_is_set, flag, seconds);
}

/* a GAsyncReadyCallback that keeps the result in the CrmTestWaiter @waiter */
void
crm_test_waiter_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      waiter)
{
  CrmTestWaiter *self = waiter;

  self->result = g_object_ref (result);
  self->done = TRUE;
}

/* Drops the last reference to @object and waits, with a deadline, until it
 * is finalized: a search thread's task may hold the list (and so the store)
 * for a moment after its result was delivered. */
void
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

CrmTestStore *
crm_test_store_new (void)
{
  g_autoptr (GError) error = NULL;
  CrmTestStore *ts = g_new0 (CrmTestStore, 1);

  ts->dir = crm_test_make_tmp_dir ();
  ts->store = crm_store_open (ts->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ts->store);
  return ts;
}

/* crm_store_set_sync_company() with CRM_TEST_COMPANY_ID: on an empty
 * store it queues nothing, and every edit after it is queued */
void
crm_test_sign_in (CrmStore *store)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_store_set_sync_company (store, CRM_TEST_COMPANY_ID, &error));
  g_assert_no_error (error);
}

/* a new store, signed in before anything is written to it */
CrmTestStore *
crm_test_store_new_signed_in (void)
{
  CrmTestStore *ts = crm_test_store_new ();

  crm_test_sign_in (ts->store);
  return ts;
}

void
crm_test_store_free (CrmTestStore *ts)
{
  crm_test_wait_finalize (ts->store);
  crm_test_rm_rf (ts->dir);
  g_free (ts->dir);
  g_free (ts);
}

CrmContact *
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

CrmContact *
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

/* a license file: a PNG of @width × @height filled with @rgba */
CrmLicenseFile *
crm_test_license_png (int     width,
                      int     height,
                      guint32 rgba)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  CrmLicenseFile *file;
  char *buffer = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", &error, NULL));
  g_assert_no_error (error);
  bytes = g_bytes_new_take (buffer, length);
  file = crm_license_file_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return file;
}

CrmCertification *
crm_test_certification (CrmLicenseFile *license)
{
  CrmCertification *cert = crm_certification_new ();

  g_free (cert->company_name);
  cert->company_name = g_strdup ("郑州小禾信息科技有限公司");
  g_free (cert->uscc);
  cert->uscc = g_strdup ("91110000600037341L");
  g_free (cert->legal_representative);
  cert->legal_representative = g_strdup ("张三");
  g_free (cert->address);
  cert->address = g_strdup ("河南省郑州市金水区");
  cert->license_sha256 = g_strdup (license->sha256);
  cert->license_mime_type = g_strdup (license->mime_type);
  cert->license_name = g_strdup ("营业执照.png");
  cert->license_size = license->size;
  return cert;
}

/* runs @sql (one or more statements) on @store's database, as a test
 * setting up or breaking a state the store's API would not make */
void
crm_test_exec (CrmStore   *store,
               const char *sql)
{
  g_assert_cmpint (sqlite3_exec (_crm_store_get_db (store), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
}

/* @sql stepped to its first row, which it must have: the statement on it,
 * for the caller to read and finalize */
static sqlite3_stmt *
query_row (CrmStore   *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_crm_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return stmt;
}

/* the first column of @sql's first row, which it must have */
gint64
crm_test_query_int (CrmStore   *store,
                    const char *sql)
{
  g_autoptr (sqlite3_stmt) stmt = query_row (store, sql);

  return sqlite3_column_int64 (stmt, 0);
}

/* the same as text (NULL for SQL's NULL); free it */
char *
crm_test_query_text (CrmStore   *store,
                     const char *sql)
{
  g_autoptr (sqlite3_stmt) stmt = query_row (store, sql);

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}
