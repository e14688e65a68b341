/* test-store-conflicts.c — who made the value that lost, and a refused
 * change dismissed, on a real store file
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A push's answer names, per conflict, the user who set the losing value
 * and when (conflict_by, conflict_at): the store keeps them with the
 * conflict (other_user, other_at), NULL for a field the server did not
 * name. A rejected outbox row is dropped by dismissing it; a pending one
 * never is.
 */
#include "config.h"

#include "crm-store-sync.h"
#include "crm-test-util.h"

static CrmWireResult *
result (const char    *mutation_id,
        CrmWireStatus  status)
{
  CrmWireResult *r = crm_wire_result_new ();

  r->mutation_id = g_strdup (mutation_id);
  r->status = status;
  r->version = status == CRM_WIRE_STATUS_APPLIED ? 12 : 0;
  return r;
}

static void
test_other_user (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "13800138000", NULL);
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_result_free);
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  CrmWireResult *r;
  CrmConflict *c;

  crm_contact_set_field (zhang, CRM_CONTACT_FIELD_EMAIL, "zhang@example.com");
  g_assert_true (crm_store_save_contact (ts->store, zhang, &error));
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, >=, 1);

  r = result (((CrmWireMutation *) batch->pdata[0])->mutation_id, CRM_WIRE_STATUS_APPLIED);
  r->conflicts = g_strsplit ("mobile,name", ",", -1);
  r->conflict_values = json_object_new ();
  json_object_set_string_member (r->conflict_values, "mobile", "13900139000");
  json_object_set_string_member (r->conflict_values, "name", "张三丰");
  r->conflict_by = json_object_new ();
  json_object_set_string_member (r->conflict_by, "mobile", "wang");
  r->conflict_at = json_object_new ();
  json_object_set_string_member (r->conflict_at, "mobile", "2026-11-29T09:03:00Z");
  g_ptr_array_add (results, r);
  g_assert_true (crm_store_outbox_apply_results (ts->store, results, &error));
  g_assert_no_error (error);

  conflicts = crm_store_list_conflicts (ts->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 2);
  c = conflicts->pdata[0];
  g_assert_cmpstr (c->field, ==, "mobile");
  g_assert_cmpstr (c->other_user, ==, "wang");
  g_assert_cmpstr (c->other_at, ==, "2026-11-29T09:03:00Z");
  /* a field the server named no one for (a record older than the server's
   * who and when) */
  c = conflicts->pdata[1];
  g_assert_cmpstr (c->field, ==, "name");
  g_assert_null (c->other_user);
  g_assert_null (c->other_at);
  crm_test_store_free (ts);
}

static void
test_dismiss_rejection (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "13800138000", NULL);
  g_autoptr (CrmContact) wang = crm_test_add (ts->store, "王五", "13700137000", NULL);
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_result_free);
  g_autoptr (GPtrArray) rejections = NULL;
  g_autoptr (GError) error = NULL;
  CrmOutboxRejection *rejected;
  CrmWireResult *r;
  gint64 pending_seq;

  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_cmpuint (batch->len, ==, 2);
  r = result (((CrmWireMutation *) batch->pdata[0])->mutation_id, CRM_WIRE_STATUS_REJECTED);
  r->error = g_strdup ("forbidden");
  r->message = g_strdup ("not yours");
  g_ptr_array_add (results, r);
  g_assert_true (crm_store_outbox_apply_results (ts->store, results, &error));
  g_assert_no_error (error);

  rejections = crm_store_outbox_rejections (ts->store, &error);
  g_assert_cmpuint (rejections->len, ==, 1);
  rejected = rejections->pdata[0];
  g_assert_cmpstr (rejected->record_id, ==, crm_contact_get_id (li));

  /* the pending row (王五's) is not a rejection: never dropped here */
  pending_seq = crm_test_query_int (ts->store,
                                    "SELECT local_seq FROM outbox WHERE state = 'pending'");
  g_assert_false (crm_store_outbox_dismiss_rejection (ts->store, pending_seq, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1);

  g_assert_true (crm_store_outbox_dismiss_rejection (ts->store, rejected->local_seq, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rejections, g_ptr_array_unref);
  rejections = crm_store_outbox_rejections (ts->store, &error);
  g_assert_cmpuint (rejections->len, ==, 0);
  /* the record stays as it is, the pending row too */
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM contacts"), ==, 2);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1);
  g_assert_false (crm_store_outbox_dismiss_rejection (ts->store, rejected->local_seq, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store-conflicts/other-user", test_other_user);
  g_test_add_func ("/store-conflicts/dismiss-rejection", test_dismiss_rejection);
  return g_test_run ();
}
