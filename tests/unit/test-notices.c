/* test-notices.c — the server's notices in the store (crm-store-notices.c)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On a real store: the server's list is kept (new ones added, a changed one
 * updated, an unchanged list writing nothing and emitting nothing), seen_at
 * survives a save, the list reads newest first, the unseen pricing notice
 * and the unaccepted terms notice are found and stop being found once seen
 * or accepted, a terms notice without a version stands for itself, and
 * deleting all data clears the notices.
 */
#include "config.h"

#include "crm-store-notices.h"
#include "crm-test-util.h"

static CrmWireNotice *
wire_notice (const char *id,
             const char *kind,
             const char *title,
             const char *published_at,
             const char *terms_version)
{
  CrmWireNotice *n = g_new0 (CrmWireNotice, 1);

  n->id = g_strdup (id);
  n->kind = g_strdup (kind);
  n->title = g_strdup (title);
  n->body = g_strdup_printf ("正文：%s", title);
  n->published_at = g_strdup (published_at);
  n->effective_at = g_strdup ("2027-03-01");
  n->terms_version = g_strdup (terms_version);
  return n;
}

static GPtrArray *
server_list (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_notice_free);

  /* as the server sends them: newest first */
  g_ptr_array_add (list, wire_notice ("n-terms", "terms", "服务条款修订", "2026-11-29T10:00:00Z",
                                      "2027.1"));
  g_ptr_array_add (list, wire_notice ("n-price", "pricing", "价格调整", "2026-11-28T10:00:00Z",
                                      NULL));
  return list;
}

static void
on_changed (CrmStore *store,
            guint    *count)
{
  (*count)++;
}

static void
test_notices_save (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) list = server_list ();
  g_autoptr (GPtrArray) read = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *title = NULL;
  CrmWireNotice *first;
  guint signals = 0, changed = 99;

  g_signal_connect (ts->store, "notices-changed", G_CALLBACK (on_changed), &signals);

  g_assert_true (crm_store_save_notices (ts->store, list, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (signals, ==, 1);

  read = crm_store_list_notices (ts->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read->len, ==, 2);
  first = g_ptr_array_index (read, 0);
  g_assert_cmpstr (first->id, ==, "n-terms");
  g_assert_cmpstr (first->kind, ==, "terms");
  g_assert_cmpstr (first->title, ==, "服务条款修订");
  g_assert_cmpstr (first->body, ==, "正文：服务条款修订");
  g_assert_cmpstr (first->effective_at, ==, "2027-03-01");
  g_assert_cmpstr (first->terms_version, ==, "2027.1");
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM notices"
                                                 " WHERE seen_at IS NOT NULL"), ==, 0);
  g_assert_cmpstr (((CrmWireNotice *) g_ptr_array_index (read, 1))->id, ==, "n-price");
  g_clear_pointer (&read, g_ptr_array_unref);

  /* the same list again: nothing written, nothing announced */
  g_assert_true (crm_store_save_notices (ts->store, list, &changed, &error));
  g_assert_cmpuint (changed, ==, 0);
  g_assert_cmpuint (signals, ==, 1);

  /* seen, then corrected by the server: updated, still seen */
  g_assert_true (crm_store_mark_notices_seen (ts->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (signals, ==, 2);
  seen = crm_test_query_text (ts->store, "SELECT seen_at FROM notices WHERE id = 'n-price'");
  g_assert_nonnull (seen);
  g_free (((CrmWireNotice *) g_ptr_array_index (list, 1))->title);
  ((CrmWireNotice *) g_ptr_array_index (list, 1))->title = g_strdup ("价格调整（更正）");
  g_assert_true (crm_store_save_notices (ts->store, list, &changed, &error));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (signals, ==, 3);
  title = crm_test_query_text (ts->store, "SELECT title FROM notices WHERE id = 'n-price'");
  g_assert_cmpstr (title, ==, "价格调整（更正）");
  g_free (title);
  title = crm_test_query_text (ts->store, "SELECT seen_at FROM notices WHERE id = 'n-price'");
  g_assert_cmpstr (title, ==, seen);

  /* marking seen again changes nothing */
  g_assert_true (crm_store_mark_notices_seen (ts->store, &error));
  g_assert_cmpuint (signals, ==, 3);

  /* all data deleted: the notices too */
  g_assert_true (crm_store_delete_all (ts->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM notices"), ==, 0);
  crm_test_store_free (ts);
}

static void
test_notices_pricing_unseen (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) list = server_list ();
  g_autoptr (CrmWireNotice) notice = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_null (crm_store_get_unseen_pricing_notice (ts->store, &error));
  g_assert_no_error (error);
  g_ptr_array_add (list, wire_notice ("n-old", "pricing", "旧的价格调整", "2026-10-01T10:00:00Z",
                                      NULL));
  g_assert_true (crm_store_save_notices (ts->store, list, NULL, &error));

  /* the newest unseen one */
  notice = crm_store_get_unseen_pricing_notice (ts->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (notice);
  g_assert_cmpstr (notice->id, ==, "n-price");
  g_clear_pointer (&notice, crm_wire_notice_free);

  g_assert_true (crm_store_mark_notices_seen (ts->store, &error));
  g_assert_null (crm_store_get_unseen_pricing_notice (ts->store, &error));
  g_assert_no_error (error);
  crm_test_store_free (ts);
}

static void
test_notices_terms_unaccepted (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) list = server_list ();
  g_autoptr (CrmWireNotice) notice = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_store_save_notices (ts->store, list, NULL, &error));
  notice = crm_store_get_unaccepted_terms_notice (ts->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (notice);
  g_assert_cmpstr (notice->terms_version, ==, "2027.1");
  g_assert_cmpstr (notice->body, ==, "正文：服务条款修订");
  g_clear_pointer (&notice, crm_wire_notice_free);

  /* seeing the list does not accept the terms */
  g_assert_true (crm_store_mark_notices_seen (ts->store, &error));
  notice = crm_store_get_unaccepted_terms_notice (ts->store, &error);
  g_assert_nonnull (notice);
  g_clear_pointer (&notice, crm_wire_notice_free);

  /* another version accepted: still asked */
  g_assert_true (crm_store_accept_terms (ts->store, "2026.1", "zh_CN", &error));
  notice = crm_store_get_unaccepted_terms_notice (ts->store, &error);
  g_assert_nonnull (notice);
  g_clear_pointer (&notice, crm_wire_notice_free);

  g_assert_true (crm_store_accept_terms (ts->store, "2027.1", "zh_CN", &error));
  g_assert_null (crm_store_get_unaccepted_terms_notice (ts->store, &error));
  g_assert_no_error (error);

  /* a newer revision without a version asks again, under its id */
  g_ptr_array_add (list, wire_notice ("n-terms-2", "terms", "再次修订", "2026-12-01T10:00:00Z",
                                      NULL));
  g_assert_true (crm_store_save_notices (ts->store, list, NULL, &error));
  notice = crm_store_get_unaccepted_terms_notice (ts->store, &error);
  g_assert_nonnull (notice);
  g_assert_cmpstr (notice->id, ==, "n-terms-2");
  g_assert_cmpstr (notice->terms_version, ==, "n-terms-2");
  g_assert_true (crm_store_accept_terms (ts->store, notice->terms_version, "en", &error));
  g_assert_null (crm_store_get_unaccepted_terms_notice (ts->store, &error));
  crm_test_store_free (ts);
}

/* a notice the table cannot hold (an unknown kind) is left out, the rest kept */
static void
test_notices_unknown_kind (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GPtrArray) list = server_list ();
  g_autoptr (GError) error = NULL;
  guint changed = 0;

  g_ptr_array_insert (list, 0, wire_notice ("n-x", "holiday", "假期", "2026-12-01T10:00:00Z",
                                            NULL));
  g_assert_true (crm_store_save_notices (ts->store, list, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM notices"), ==, 2);
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/notices/save", test_notices_save);
  g_test_add_func ("/notices/pricing-unseen", test_notices_pricing_unseen);
  g_test_add_func ("/notices/terms-unaccepted", test_notices_terms_unaccepted);
  g_test_add_func ("/notices/unknown-kind", test_notices_unknown_kind);
  return g_test_run ();
}
