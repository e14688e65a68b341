/* test-store-damage.c — a damaged store: pages overwritten, an emptied file
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real SQLite files in temporary folders, damaged the way a failing disk or
 * a stray tool does it: 4096-byte pages overwritten with garbage in the
 * middle of the contacts (or deals), or the last page of the file; a file
 * emptied to 0 bytes.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "crm-contact-list.h"
#include "crm-deal-list.h"
#include "crm-store-health.h"
#include "crm-store-private.h"
#include "crm-test-damage.h"
#include "crm-test-util.h"

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static gboolean
notified_once (gpointer count)
{
  return *(guint *)count > 0;
}

/* runs the main loop until CrmStore:damaged was notified, with a deadline */
static void
wait_damaged_notify (guint *notified)
{
  crm_test_wait_until (notified_once, notified, 20);
}

/* every write is refused as CORRUPT with a message naming the file, and the
 * file's bytes stay as they are */
static void
assert_writes_refused (CrmStore   *store,
                       const char *dir)
{
  g_autofree char *before = crm_test_files_checksum (dir);
  g_autoptr (CrmContact) contact = crm_test_contact ("新客户", "", "");
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_store_is_damaged (store));
  g_assert_false (crm_store_save_contact (store, contact, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, crm_store_get_path (store)));
  g_assert_false (crm_contact_is_saved (contact));
  g_clear_error (&error);

  crm_deal_set_title (deal, "新项目");
  g_assert_false (crm_store_save_deal (store, deal, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  g_assert_false (crm_store_accept_terms (store, "2027.1", "en", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  crm_test_assert_files_same (dir, before);
}

static void
test_contact_list_middle_pages (void)
{
  g_autofree char *dir = crm_test_make_store (FALSE);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *closed = NULL;
  CrmStore *store;
  CrmContactList *list;
  guint n, placeholders = 0, notified = 0;

  crm_test_damage_middle_of (dir, "contacts");
  before = crm_test_files_checksum (dir);

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_false (crm_store_is_damaged (store));
  g_signal_connect (store, "notify::damaged", G_CALLBACK (on_notify), &notified);

  list = crm_contact_list_new (store);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, N_ROWS);
  /* every position has an item; fatal-warnings makes any critical fail */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CrmContact) contact = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_nonnull (contact);
      g_assert_true (CRM_IS_CONTACT (contact));
      if (crm_contact_list_is_placeholder (contact))
        placeholders++;
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));
  g_test_message ("%u placeholders", placeholders);
  g_assert_cmpuint (placeholders, >, 0);
  g_assert_cmpuint (placeholders, <, N_ROWS);

  /* the first damaged read made the store damaged; the notification follows
   * on the main loop */
  g_assert_true (crm_store_is_damaged (store));
  g_assert_nonnull (crm_store_get_damage (store));
  wait_damaged_notify (&notified);
  g_assert_cmpuint (notified, ==, 1);
  assert_writes_refused (store, dir);

  crm_test_wait_finalize (list);
  crm_test_wait_finalize (store);
  /* closing does not fold anything into the damaged file either */
  closed = crm_test_files_checksum (dir);
  g_assert_cmpstr (closed, ==, before);
  crm_test_rm_rf (dir);
}

/* every item of @list; returns how many are placeholders */
static guint
iterate_deals (CrmDealList *list)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  guint placeholders = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CrmDeal) deal = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_nonnull (deal);
      g_assert_true (CRM_IS_DEAL (deal));
      if (crm_deal_list_is_placeholder (deal))
        placeholders++;
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));
  return placeholders;
}

static void
test_deal_list_middle_pages (void)
{
  g_autofree char *dir = crm_test_make_store (TRUE);
  g_autoptr (GError) error = NULL;
  CrmStore *store;
  guint n = 0, placeholders = 0, notified = 0;

  crm_test_damage_middle_of (dir, "deals");

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_signal_connect (store, "notify::damaged", G_CALLBACK (on_notify), &notified);

  /* the board's columns: their order comes from an index, intact, and the
   * rows from the damaged pages */
  for (int stage = CRM_DEAL_LEAD; stage < CRM_DEAL_N_STAGES; stage++)
    {
      CrmDealList *list = crm_deal_list_new (store, stage);

      n += g_list_model_get_n_items (G_LIST_MODEL (list));
      placeholders += iterate_deals (list);
      crm_test_wait_finalize (list);
    }
  g_test_message ("%u deals in the columns, %u placeholders", n, placeholders);
  g_assert_cmpuint (n, ==, N_ROWS);
  g_assert_cmpuint (placeholders, >, 0);
  g_assert_cmpuint (placeholders, <, N_ROWS);
  g_assert_true (crm_store_is_damaged (store));

  /* the table sorts every row: what could be read before the damage, or
   * nothing, but never a hole */
  for (CrmDealSort sort = CRM_DEAL_SORT_POSITION; sort <= CRM_DEAL_SORT_UPDATED; sort++)
    {
      CrmDealList *list = crm_deal_list_new (store, CRM_DEAL_LIST_ALL_STAGES);

      crm_deal_list_set_sort (list, sort, FALSE);
      iterate_deals (list);
      crm_test_wait_finalize (list);
    }

  wait_damaged_notify (&notified);
  assert_writes_refused (store, dir);

  crm_test_wait_finalize (store);
  crm_test_rm_rf (dir);
}

static void
on_check_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (crm_store_check_finish (result, error));
}

static void
test_quick_check_last_page (void)
{
  g_autofree char *dir = crm_test_make_store (TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) check_error = NULL;
  g_autoptr (CrmContact) first = NULL;
  CrmStore *store;
  CrmContactList *list;
  guint notified = 0;

  crm_test_damage_last_page (dir);

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_signal_connect (store, "notify::damaged", G_CALLBACK (on_notify), &notified);
  /* what the window reads at start is fine: nothing tells of the damage */
  list = crm_contact_list_new (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_ROWS);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_false (crm_contact_list_is_placeholder (first));
  g_assert_false (crm_store_is_damaged (store));

  crm_store_check_async (store, NULL, on_check_done, &check_error);
  wait_damaged_notify (&notified);
  g_assert_true (crm_store_is_damaged (store));
  g_test_message ("quick_check: %s", crm_store_get_damage (store));
  assert_writes_refused (store, dir);

  /* the callback ran with the error */
  while (check_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (check_error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);

  crm_test_wait_finalize (list);
  crm_test_wait_finalize (store);
  crm_test_rm_rf (dir);
}

static void
on_check_ok (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  gboolean *done = user_data;

  g_assert_true (crm_store_check_finish (result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* the same check on a sound file finds nothing, and writes go on */
static void
test_quick_check_sound (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) contact = NULL;
  gboolean done = FALSE;

  contact = crm_test_add (ts->store, "张三", "", "");
  crm_store_check_async (ts->store, NULL, on_check_ok, &done);
  crm_test_wait_flag (&done, 20);
  g_assert_false (crm_store_is_damaged (ts->store));
  g_assert_null (crm_store_get_damage (ts->store));
  g_object_unref (crm_test_add (ts->store, "李四", "", ""));
  crm_test_store_free (ts);
}

static void
truncate_store (const char *dir)
{
  g_autofree char *path = crm_test_db_path (dir);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* a folder the app has used: the emptied file is refused and kept */
static void
test_empty_file_used_before (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autofree char *dir = g_strdup (ts->dir);
  g_autofree char *path = crm_test_db_path (dir);
  g_autofree char *marker = g_build_filename (dir, CRM_STORE_MARKER_NAME, NULL);
  g_autofree char *aside = NULL;
  g_autoptr (GError) error = NULL;
  CrmStore *store;
  GStatBuf st;
  guint files;

  g_object_unref (crm_test_add (ts->store, "王五", "", ""));
  crm_test_wait_finalize (g_steal_pointer (&ts->store));
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  truncate_store (dir);
  files = count_files (dir);

  store = crm_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  /* kept as it is: still there, still empty, nothing added */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
  g_assert_cmpuint (count_files (dir), ==, files);
  g_assert_true (crm_store_exists (dir));

  /* "Start with an empty database": the empty file is set aside, not deleted */
  g_assert_true (crm_store_set_aside_empty (dir, &aside, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (aside, path));
  g_assert_cmpint (g_stat (aside, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_count_contacts (store), ==, 0);
  g_assert_finalize_object (store);
  g_assert_true (g_file_test (aside, G_FILE_TEST_EXISTS));

  /* a file that is not empty is never set aside */
  g_assert_false (crm_store_set_aside_empty (dir, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);

  crm_test_rm_rf (dir);
  g_free (ts->dir);
  g_free (ts);
}

/* a first start: a 0-byte file and no marker is a new store (SQLite's own
 * way of making one), and the marker is left for next time */
static void
test_empty_file_first_start (void)
{
  g_autofree char *dir = g_dir_make_tmp ("crm-test-XXXXXX", NULL);
  g_autofree char *marker = g_build_filename (dir, CRM_STORE_MARKER_NAME, NULL);
  g_autoptr (GError) error = NULL;
  CrmStore *store;

  truncate_store (dir);
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_finalize_object (store);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* a store made before the marker existed gets it when opened */
  g_assert_cmpint (g_unlink (marker), ==, 0);
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (store);
  crm_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-damage/contact-list-middle-pages", test_contact_list_middle_pages);
  g_test_add_func ("/store-damage/deal-list-middle-pages", test_deal_list_middle_pages);
  g_test_add_func ("/store-damage/quick-check-last-page", test_quick_check_last_page);
  g_test_add_func ("/store-damage/quick-check-sound", test_quick_check_sound);
  g_test_add_func ("/store-damage/empty-file-used-before", test_empty_file_used_before);
  g_test_add_func ("/store-damage/empty-file-first-start", test_empty_file_first_start);

  return g_test_run ();
}
