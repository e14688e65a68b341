/* test-delete-all.c — Delete All on a worker: the same deletion, the caller's loop free
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * crm_store_delete_all_async() (crm-store-export.c) does what
 * crm_store_delete_all() does (test-archive.c checks that one) on a
 * connection of its own: every record gone, nothing of their text left in
 * the file's bytes or its WAL, the terms acceptance kept, the lists told
 * (their *-reset signals) before the caller's callback, the store usable
 * after. A damaged store refuses, deleting nothing. Real SQLite files.
 */
#define _GNU_SOURCE /* memmem() */
#include "config.h"

#include <string.h>

#include "crm-contact.h"
#include "crm-test-damage.h"
#include "crm-test-util.h"

#define UNIQUE "删除标记-delete-all-marker-7f3a"

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *bytes = NULL;
  gsize length = 0;

  return g_file_get_contents (path, &bytes, &length, NULL)
         && memmem (bytes, length, needle, strlen (needle)) != NULL;
}

typedef struct
{
  CrmTestWaiter waiter;
  guint         resets;            /* contacts, deals, follow-ups */
  guint         resets_at_done;
} Seen;

static void
on_reset (CrmStore *store,
          Seen     *seen)
{
  seen->resets++;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Seen *seen = data;

  seen->resets_at_done = seen->resets;
  crm_test_waiter_done (source, result, &seen->waiter);
}

static CrmStore *
store_with_marker (const char *dir)
{
  g_autoptr (GError) error = NULL;
  CrmStore *store = crm_store_open (dir, &error);
  g_autoptr (CrmContact) contact = crm_test_contact ("标记 联系人", "", "");

  g_assert_no_error (error);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_NOTES, UNIQUE);
  g_assert_true (crm_store_save_contact (store, contact, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_accept_terms (store, "2026-03", "zh_CN", &error));
  g_assert_no_error (error);
  return store;
}

static void
test_async (void)
{
  g_autofree char *dir = crm_test_make_store_copy (TRUE);
  g_autoptr (CrmStore) store = store_with_marker (dir);
  g_autofree char *path = g_strdup (crm_store_get_path (store));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (CrmContact) again = crm_test_contact ("新的 联系人", "", "");
  Seen seen = { { 0 } };
  static const char * const signals[] = {
    "contacts-reset", "deals-reset", "followups-reset",
  };

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    g_signal_connect (store, signals[i], G_CALLBACK (on_reset), &seen);
  /* the text is there before: the checks below could fail */
  crm_test_sign_in (store);  /* a queue to clear */
  crm_test_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)");
  g_assert_true (file_contains (path, UNIQUE));
  g_assert_cmpuint (crm_store_count_contacts (store), >, 0);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM outbox"), >, 0);

  crm_store_delete_all_async (store, on_done, &seen);
  /* nothing told before the loop runs: the work is the worker's */
  g_assert_false (seen.waiter.done);
  g_assert_cmpuint (seen.resets, ==, 0);
  crm_test_wait_flag (&seen.waiter.done, 120);
  g_assert_true (crm_store_delete_all_finish (store, seen.waiter.result, &error));
  g_clear_object (&seen.waiter.result);
  g_assert_no_error (error);

  /* the lists were told before the caller */
  g_assert_cmpuint (seen.resets_at_done, ==, 3);
  g_assert_cmpuint (crm_store_count_contacts (store), ==, 0);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM contacts"), ==, 0);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM deals"), ==, 0);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM blobs"), ==, 0);
  found = crm_store_search_contacts (store, "标记", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_true (crm_store_has_accepted_terms (store, "2026-03"));
  /* nothing of it in the file's bytes (free pages included) or its WAL */
  g_assert_false (file_contains (path, UNIQUE));
  g_assert_false (file_contains (wal, UNIQUE));

  /* the store's own connection works on */
  g_assert_true (crm_store_save_contact (store, again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_count_contacts (store), ==, 1);

  crm_test_close_and_remove (g_steal_pointer (&store), dir);
}

static void
test_damaged_refused (void)
{
  g_autofree char *dir = crm_test_make_store_copy (FALSE);
  g_autoptr (CrmStore) store = crm_test_open_damaged (dir);
  g_autofree char *before = NULL;
  g_autoptr (GError) error = NULL;
  CrmTestWaiter check = { 0 };
  Seen seen = { { 0 } };

  crm_store_check_async (store, NULL, crm_test_waiter_done, &check);
  crm_test_wait_flag (&check.done, 60);
  g_clear_object (&check.result);
  g_assert_true (crm_store_is_damaged (store));
  before = crm_test_files_checksum (dir);

  crm_store_delete_all_async (store, on_done, &seen);
  crm_test_wait_flag (&seen.waiter.done, 60);
  g_assert_false (crm_store_delete_all_finish (store, seen.waiter.result, &error));
  g_clear_object (&seen.waiter.result);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT);
  g_assert_cmpuint (seen.resets_at_done, ==, 0);
  /* the damaged file kept exactly as it was */
  crm_test_assert_files_same (dir, before);

  crm_test_close_and_remove (g_steal_pointer (&store), dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/delete-all/async", test_async);
  g_test_add_func ("/delete-all/damaged-refused", test_damaged_refused);
  return g_test_run ();
}
