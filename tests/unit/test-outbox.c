/* test-outbox.c — the outbox: what every write path queues (migration 8's
 * triggers), batches, the server's answers, conflicts, resync, the first
 * sign-in, and a store migrated from version 7
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No server: the answers are built in C as the sync engine hands them over.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "crm-search-private.h"
#include "crm-store-sync-private.h"
#include "crm-test-util.h"

#define COMPANY CRM_TEST_COMPANY_ID

/* the outbox, one line per row in order: "kind record op base fields state" */
static GStrv
outbox (CrmStore *store)
{
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_crm_store_get_db (store),
                                       "SELECT kind || ' ' || record_id || ' ' || op || ' ' ||"
                                       " base_version || ' ' || fields_json || ' ' || state"
                                       " FROM outbox ORDER BY local_seq",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (lines, (const char *)sqlite3_column_text (stmt, 0));
  return g_strv_builder_end (lines);
}

static guint
n_rows (CrmStore *store)
{
  g_auto (GStrv) lines = outbox (store);

  return g_strv_length (lines);
}

#define ZHANG_ALL(name, mobile) \
  "{\"name\":\"" name "\",\"company\":\"\",\"title\":\"\",\"mobile\":\"" mobile "\"," \
  "\"phone\":\"\",\"email\":\"\",\"wechat\":\"\",\"address\":\"\",\"tags\":\"\"," \
  "\"notes\":\"\",\"owner\":\"\"}"

static CrmDeal *
add_deal (CrmStore    *store,
          const char  *title,
          CrmContact  *contact,
          gint64       fen)
{
  g_autoptr (GError) error = NULL;
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, title);
  crm_deal_set_contact_id (deal, contact ? crm_contact_get_id (contact) : NULL);
  crm_deal_set_amount (deal, fen);
  g_assert_true (crm_store_save_deal (store, deal, &error));
  g_assert_no_error (error);
  return deal;
}

static void
test_outbox_contact_paths (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "13800138000", "");
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *id = g_strdup (crm_contact_get_id (zhang));

  /* new: a whole upsert on base 0 */
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  expected = g_strdup_printf ("contact %s upsert 0 " ZHANG_ALL ("张三", "13800138000")
                              " pending", id);
  g_assert_cmpstr (lines[0], ==, expected);

  /* one field edited: that field alone, on the version last seen */
  crm_test_exec (ts->store, "UPDATE contacts SET server_version = 12");
  g_assert_cmpuint (n_rows (ts->store), ==, 1);  /* not a synced field */
  g_clear_object (&zhang);
  zhang = crm_store_get_contact (ts->store, id, &error);
  g_assert_no_error (error);
  crm_contact_set_field (zhang, CRM_CONTACT_FIELD_MOBILE, "13900139000");
  g_assert_true (crm_store_save_contact (ts->store, zhang, &error));
  g_assert_no_error (error);
  g_strfreev (lines);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_free (expected);
  expected = g_strdup_printf ("contact %s upsert 12 {\"mobile\":\"13900139000\"} pending", id);
  g_assert_cmpstr (lines[1], ==, expected);

  /* saved unchanged: nothing (updated_at and sort_key are not synced) */
  g_assert_true (crm_store_save_contact (ts->store, zhang, &error));
  g_assert_cmpuint (n_rows (ts->store), ==, 2);

  /* delete, then restore: a delete with no fields, then every field */
  g_assert_true (crm_store_delete_contact (ts->store, zhang, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_restore_contact (ts->store, zhang, &error));
  g_assert_no_error (error);
  g_strfreev (lines);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_free (expected);
  expected = g_strdup_printf ("contact %s delete 12 {} pending", id);
  g_assert_cmpstr (lines[2], ==, expected);
  g_free (expected);
  expected = g_strdup_printf ("contact %s upsert 12 " ZHANG_ALL ("张三", "13900139000")
                              " pending", id);
  g_assert_cmpstr (lines[3], ==, expected);

  crm_test_store_free (ts);
}

static void
test_outbox_bulk_and_rollback (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (CrmContact) li = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户%u", i);
      g_ptr_array_add (contacts, crm_test_contact (name, "", ""));
    }
  g_assert_true (crm_store_insert_contacts (ts->store, contacts, &error));
  g_assert_no_error (error);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *start = g_strdup_printf ("contact %s upsert 0 {\"name\":\"客户%u\"",
                                                crm_contact_get_id (contacts->pdata[i]), i);
      g_assert_true (g_str_has_prefix (lines[i], start));
    }

  /* a bulk insert that fails writes nothing, outbox included */
  g_ptr_array_set_size (contacts, 0);
  g_ptr_array_add (contacts, crm_test_contact ("王五", "", ""));
  g_ptr_array_add (contacts, crm_test_contact ("", "", ""));
  g_assert_false (crm_store_insert_contacts (ts->store, contacts, &error));
  g_clear_error (&error);
  g_assert_cmpuint (n_rows (ts->store), ==, 3);

  /* an edit rolled back with the transaction around it leaves no row */
  g_assert_true (_crm_store_begin (ts->store, &error));
  li = crm_test_add (ts->store, "李四", "", "");
  g_assert_cmpuint (n_rows (ts->store), ==, 4);
  g_assert_false (_crm_store_end (ts->store, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows (ts->store), ==, 3);

  /* while applying (the server's changes), nothing is queued */
  g_assert_true (_crm_store_begin (ts->store, &error));
  g_assert_true (_crm_store_sync_set_applying (ts->store, TRUE, &error));
  g_clear_object (&li);
  li = crm_test_add (ts->store, "李四", "", "");
  g_assert_true (_crm_store_sync_set_applying (ts->store, FALSE, &error));
  g_assert_true (_crm_store_end (ts->store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows (ts->store), ==, 3);
  /* and after it, again */
  crm_contact_set_field (li, CRM_CONTACT_FIELD_NOTES, "老客户");
  g_assert_true (crm_store_save_contact (ts->store, li, &error));
  g_assert_cmpuint (n_rows (ts->store), ==, 4);

  crm_test_store_free (ts);
}

static void
test_outbox_deal_paths (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (CrmDeal) other = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) batch = NULL;
  CrmWireMutation *m;
  g_auto (GStrv) lines = NULL;
  g_autofree char *expected = NULL;
  guint before;

  crm_test_exec (ts->store, "DELETE FROM outbox");
  deal = add_deal (ts->store, "年度采购", zhang, 1234500);
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);
  m = batch->pdata[0];
  g_assert_true (crm_wire_is_uuid (m->mutation_id));
  g_assert_cmpint (m->kind, ==, CRM_WIRE_KIND_DEAL);
  g_assert_cmpint (m->op, ==, CRM_WIRE_OP_UPSERT);
  g_assert_cmpstr (m->id, ==, crm_deal_get_id (deal));
  g_assert_cmpint (m->base_version, ==, 0);
  /* integers stay integers, no date is null */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (m->fields, "amount_fen")),
                   ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (m->fields, "amount_fen"), ==, 1234500);
  g_assert_cmpint (json_object_get_int_member (m->fields, "probability"), ==, 10);
  g_assert_true (json_object_get_null_member (m->fields, "expected_close"));
  g_assert_true (json_object_get_null_member (m->fields, "won_at"));
  g_assert_cmpstr (json_object_get_string_member (m->fields, "contact_id"), ==,
                   crm_contact_get_id (zhang));
  g_assert_cmpuint (json_object_get_size (m->fields), ==, 11);

  /* a move on the board: the stage, its probability and the position */
  other = add_deal (ts->store, "二期", zhang, 100);
  before = n_rows (ts->store);
  g_assert_true (crm_store_move_deal (ts->store, deal, CRM_DEAL_PROPOSAL, NULL, &error));
  g_assert_no_error (error);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, before + 1);
  g_assert_true (strstr (lines[before], "\"stage\":\"proposal\"") != NULL);
  g_assert_true (strstr (lines[before], "\"probability\":") != NULL);
  g_assert_true (strstr (lines[before], "\"title\"") == NULL);
  g_assert_true (strstr (lines[before], "\"amount_fen\"") == NULL);

  /* delete and restore */
  g_assert_true (crm_store_delete_deal (ts->store, other, &error));
  g_assert_true (crm_store_restore_deal (ts->store, other, &error));
  g_assert_no_error (error);
  g_strfreev (lines);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, before + 3);
  expected = g_strdup_printf ("deal %s delete 0 {} pending", crm_deal_get_id (other));
  g_assert_cmpstr (lines[before + 1], ==, expected);
  g_assert_true (strstr (lines[before + 2], "\"title\":\"二期\"") != NULL);

  crm_test_store_free (ts);
}

/* the deals' changes go before the contact's delete: the server refuses
 * to delete a contact that still has live deals */
static void
test_outbox_contact_delete_with_deals (gconstpointer data)
{
  CrmContactDealsPolicy policy = GPOINTER_TO_INT (data);
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmDeal) one = add_deal (ts->store, "一期", zhang, 100);
  g_autoptr (CrmDeal) two = add_deal (ts->store, "二期", zhang, 200);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *deleted = NULL;
  const char *deal_change = policy == CRM_CONTACT_DEALS_DELETE ? "delete 0 {}"
                                                               : "upsert 0 {\"contact_id\":null}";

  crm_test_exec (ts->store, "DELETE FROM outbox");
  g_assert_true (crm_store_delete_contact_with_deals (ts->store, zhang, policy, &error));
  g_assert_no_error (error);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (g_str_has_prefix (lines[i], "deal "));
      g_assert_true (strstr (lines[i], deal_change) != NULL);
    }
  deleted = g_strdup_printf ("contact %s delete 0 {} pending", crm_contact_get_id (zhang));
  g_assert_cmpstr (lines[2], ==, deleted);
  crm_test_store_free (ts);
}

static void
test_outbox_certification (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  CrmTestStore *first = crm_test_store_new_signed_in ();
  g_autoptr (CrmLicenseFile) license = crm_test_license_png (40, 30, 0xc01c28ff);
  g_autoptr (CrmCertification) cert = crm_test_certification (license);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) batch = NULL;
  g_auto (GStrv) lines = NULL;
  CrmWireMutation *m;

  /* saved signed in: the trigger queues it whole */
  g_assert_true (crm_store_put_blob (first->store, license, &error));
  g_assert_true (crm_store_save_certification (first->store, cert, &error));
  g_assert_no_error (error);
  lines = outbox (first->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (g_str_has_prefix (lines[0], "certification  upsert 0 {\"company_name\":"));
  g_assert_true (strstr (lines[0], "\"status\":\"draft\"") != NULL);
  g_assert_true (strstr (lines[0], "reject_reason") == NULL);  /* the server's */
  g_clear_pointer (&lines, g_strfreev);
  crm_test_store_free (first);

  /* no company yet: nothing queued, nothing sent */
  g_assert_true (crm_store_put_blob (ts->store, license, &error));
  g_assert_true (crm_store_save_certification (ts->store, cert, &error));
  g_assert_no_error (error);
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_cmpuint (batch->len, ==, 0);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);
  g_clear_pointer (&batch, g_ptr_array_unref);

  /* the sign-in queues it whole, then its submission */
  g_assert_true (crm_store_set_sync_company (ts->store, COMPANY, &error));
  g_assert_no_error (error);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (g_str_has_prefix (lines[0], "certification  upsert 0 {\"company_name\":"));
  g_assert_true (strstr (lines[0], "\"status\":\"draft\"") != NULL);
  g_assert_true (strstr (lines[0], "reject_reason") == NULL);
  g_assert_true (crm_store_submit_certification (ts->store, &error));
  g_assert_no_error (error);
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 2);
  m = batch->pdata[1];
  g_assert_cmpint (m->kind, ==, CRM_WIRE_KIND_CERTIFICATION);
  g_assert_cmpstr (m->id, ==, COMPANY);
  g_assert_cmpuint (json_object_get_size (m->fields), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (m->fields, "status"), ==, "submitted");
  crm_test_store_free (ts);
}

static void
test_outbox_first_sign_in (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmDeal) deal = add_deal (ts->store, "一期", li, 100);
  g_autoptr (CrmDeal) deal2 = add_deal (ts->store, "二期", li, 200);
  g_autoptr (CrmContact) wang = crm_test_add (ts->store, "王五", "", "");
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto (GStrv) lines = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (CrmFollowup) gone = crm_followup_new ();
  g_autoptr (CrmFollowup) called = crm_followup_new ();

  /* made before sync: a deleted one (with a follow-up), an edit, a
   * follow-up; none of it queued yet (0013-outbox-quiet.sql) */
  crm_followup_set_contact_id (gone, crm_contact_get_id (zhang));
  crm_followup_set_notes (gone, "走了");
  crm_followup_set_contact_id (called, crm_contact_get_id (li));
  crm_followup_set_notes (called, "回访");
  g_assert_true (crm_store_save_followup (ts->store, gone, CRM_DEAL_N_STAGES, &error));
  g_assert_true (crm_store_save_followup (ts->store, called, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_delete_contact (ts->store, zhang, &error));
  crm_contact_set_field (li, CRM_CONTACT_FIELD_MOBILE, "13800138000");
  g_assert_true (crm_store_save_contact (ts->store, li, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows (ts->store), ==, 0);

  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_no_error (error);
  g_assert_null (info->company_id);
  g_assert_true (crm_wire_is_uuid (info->client_id));
  g_assert_cmpint (info->cursor, ==, 0);
  g_assert_null (info->server_epoch);

  /* the first sign-in: every live record, whole, contacts first, the
   * follow-ups after the deals; none of a deleted contact */
  g_assert_true (crm_store_set_sync_company (ts->store, COMPANY, &error));
  g_assert_no_error (error);
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  expected = g_strdup_printf ("contact %s upsert 0 " ZHANG_ALL ("李四", "13800138000")
                              " pending", crm_contact_get_id (li));
  g_assert_cmpstr (lines[0], ==, expected);
  g_assert_true (strstr (lines[1], crm_contact_get_id (wang)) != NULL);
  g_assert_true (g_str_has_prefix (lines[2], "deal "));
  g_assert_true (strstr (lines[2], "\"title\":\"一期\"") != NULL);
  g_assert_true (strstr (lines[3], "\"title\":\"二期\"") != NULL);
  g_assert_true (g_str_has_prefix (lines[4], "followup "));
  g_assert_true (strstr (lines[4], "\"notes\":\"回访\"") != NULL);
  /* each row its own mutation id */
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_cmpuint (batch->len, ==, 5);
  for (guint i = 0; i < batch->len; i++)
    g_assert_true (g_hash_table_add (ids, ((CrmWireMutation *)batch->pdata[i])->mutation_id));

  /* the same company again: nothing; another one: refused */
  g_assert_true (crm_store_set_sync_company (ts->store, COMPANY, &error));
  g_assert_cmpuint (n_rows (ts->store), ==, 5);
  g_assert_false (crm_store_set_sync_company (ts->store, "0b0f3c1e-7a2d-4c8e-9f10-2a3b4c5d6e7f",
                                              &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_pointer (&info, crm_sync_info_free);
  info = crm_store_get_sync_info (ts->store, NULL);
  g_assert_cmpstr (info->company_id, ==, COMPANY);
  crm_test_store_free (ts);
}

/* 1,000 queued edits come out in order, in batches */
static void
test_outbox_batch_order (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 start;

  crm_test_exec (ts->store, "DELETE FROM outbox");
  g_assert_true (_crm_store_begin (ts->store, &error));
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *notes = g_strdup_printf ("第%u次", i);

      crm_contact_set_field (zhang, CRM_CONTACT_FIELD_NOTES, notes);
      g_assert_true (crm_store_save_contact (ts->store, zhang, &error));
    }
  g_assert_true (_crm_store_end (ts->store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1000);

  start = g_get_monotonic_time ();
  batch = crm_store_outbox_batch (ts->store, 1000, &error);
  g_test_message ("1,000 mutations read in %" G_GINT64_FORMAT " µs",
                  g_get_monotonic_time () - start);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1000);
  for (guint i = 0; i < 1000; i++)
    {
      CrmWireMutation *m = batch->pdata[i];
      g_autofree char *notes = g_strdup_printf ("第%u次", i);

      g_assert_cmpstr (json_object_get_string_member (m->fields, "notes"), ==, notes);
      g_assert_cmpuint (json_object_get_size (m->fields), ==, 1);
      g_assert_true (g_hash_table_add (ids, m->mutation_id));  /* each its own */
    }
  g_clear_pointer (&batch, g_ptr_array_unref);
  batch = crm_store_outbox_batch (ts->store, 7, &error);
  g_assert_cmpuint (batch->len, ==, 7);
  g_assert_cmpstr (json_object_get_string_member (((CrmWireMutation *)batch->pdata[6])->fields,
                                                  "notes"), ==, "第6次");
  crm_test_store_free (ts);
}

static CrmWireResult *
result (const char    *mutation_id,
        CrmWireStatus  status,
        gint64         version)
{
  CrmWireResult *r = crm_wire_result_new ();

  r->mutation_id = g_strdup (mutation_id);
  r->status = status;
  r->version = version;
  return r;
}

static void
test_outbox_results (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "13800138000", "");
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmContact) wang = crm_test_add (ts->store, "王五", "", "");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  crm_wire_result_free);
  g_autoptr (GPtrArray) rejections = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (CrmContact) read = NULL;
  const char *ids[4] = { NULL };
  CrmWireResult *r;
  CrmConflict *c;
  CrmOutboxRejection *rej;

  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_cmpuint (batch->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    ids[i] = ((CrmWireMutation *)batch->pdata[i])->mutation_id;

  /* a push without an answer: an attempt counted, still queued */
  g_assert_true (crm_store_outbox_note_failure (ts->store, ids, "timeout", &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT sum (attempts) FROM outbox"), ==, 3);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 3);

  r = result (ids[0], CRM_WIRE_STATUS_APPLIED, 57);
  r->conflicts = g_strsplit ("mobile", ",", -1);
  r->conflict_values = json_object_new ();
  json_object_set_string_member (r->conflict_values, "mobile", "13900139000");
  g_ptr_array_add (results, r);
  g_ptr_array_add (results, result (ids[1], CRM_WIRE_STATUS_DUPLICATE, 58));
  r = result (ids[2], CRM_WIRE_STATUS_REJECTED, 0);
  r->error = g_strdup ("invalid");
  r->message = g_strdup ("name: required");
  g_ptr_array_add (results, r);
  g_assert_true (crm_store_outbox_apply_results (ts->store, results, &error));
  g_assert_no_error (error);

  /* applied and duplicate: gone, versions noted, nothing queued by it */
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);
  g_assert_cmpuint (n_rows (ts->store), ==, 1);
  read = crm_store_get_contact (ts->store, crm_contact_get_id (zhang), &error);
  g_assert_cmpint (crm_contact_get_server_version (read), ==, 57);
  g_clear_object (&read);
  read = crm_store_get_contact (ts->store, crm_contact_get_id (li), &error);
  g_assert_cmpint (crm_contact_get_server_version (read), ==, 58);

  /* the same answers again (a retry): nothing more happens; an older
   * version never lowers the record's */
  g_ptr_array_remove_index (results, 2);
  ((CrmWireResult *)results->pdata[1])->version = 3;
  g_assert_true (crm_store_outbox_apply_results (ts->store, results, &error));
  g_clear_object (&read);
  read = crm_store_get_contact (ts->store, crm_contact_get_id (li), &error);
  g_assert_cmpint (crm_contact_get_server_version (read), ==, 58);

  /* an answer that comes after a pull saw a newer version: kept newer */
  crm_contact_set_field (li, CRM_CONTACT_FIELD_NOTES, "后来的修改");
  g_assert_true (crm_store_save_contact (ts->store, li, &error));
  g_assert_no_error (error);
  crm_test_exec (ts->store, "UPDATE contacts SET server_version = 70 WHERE name = '李四'");
  g_clear_pointer (&batch, g_ptr_array_unref);
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_cmpuint (batch->len, ==, 1);
  g_ptr_array_set_size (results, 0);
  g_ptr_array_add (results, result (((CrmWireMutation *)batch->pdata[0])->mutation_id,
                                    CRM_WIRE_STATUS_APPLIED, 65));
  g_assert_true (crm_store_outbox_apply_results (ts->store, results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);
  g_clear_object (&read);
  read = crm_store_get_contact (ts->store, crm_contact_get_id (li), &error);
  g_assert_cmpint (crm_contact_get_server_version (read), ==, 70);

  /* the conflict: the server's old value lost, ours kept */
  conflicts = crm_store_list_conflicts (ts->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = conflicts->pdata[0];
  g_assert_cmpint (c->kind, ==, CRM_WIRE_KIND_CONTACT);
  g_assert_cmpstr (c->record_id, ==, crm_contact_get_id (zhang));
  g_assert_cmpstr (c->field, ==, "mobile");
  g_assert_cmpstr (c->lost_value, ==, "\"13900139000\"");
  g_assert_cmpstr (c->kept_value, ==, "\"13800138000\"");
  g_assert_true (crm_store_resolve_conflict (ts->store, c->id, &error));
  g_assert_false (crm_store_resolve_conflict (ts->store, c->id, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = crm_store_list_conflicts (ts->store, &error);
  g_assert_cmpuint (conflicts->len, ==, 0);

  /* rejected: kept with its reason, out of the queue */
  rejections = crm_store_outbox_rejections (ts->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejections->len, ==, 1);
  rej = rejections->pdata[0];
  g_assert_cmpstr (rej->record_id, ==, crm_contact_get_id (wang));
  g_assert_cmpint (rej->op, ==, CRM_WIRE_OP_UPSERT);
  g_assert_cmpstr (rej->last_error, ==, "invalid: name: required");
  g_assert_true (strstr (rej->fields_json, "王五") != NULL);
  g_clear_pointer (&batch, g_ptr_array_unref);
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_cmpuint (batch->len, ==, 0);
  crm_test_store_free (ts);
}

static void
test_outbox_resync (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) old = crm_test_add (ts->store, "老客户", "", "");
  g_autoptr (CrmContact) lost = crm_test_add (ts->store, "新客户", "", "");
  g_autoptr (CrmContact) lost2 = crm_test_add (ts->store, "新客户二", "", "");
  g_autoptr (CrmContact) gone = crm_test_add (ts->store, "删掉的", "", "");
  g_autoptr (CrmContact) fresh = crm_test_add (ts->store, "未发送", "", "");
  g_autoptr (CrmDeal) deal = add_deal (ts->store, "一期", lost, 100);
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *sql = NULL;

  /* acknowledged: "old" at 10 (the restored server has it), "lost", "gone"
   * and the deal above 20 (it lost them); "fresh" never sent */
  crm_test_exec (ts->store, "DELETE FROM outbox");
  sql = g_strdup_printf ("UPDATE contacts SET server_version = CASE id WHEN '%s' THEN 10"
                         " WHEN '%s' THEN 30 WHEN '%s' THEN 31 WHEN '%s' THEN 33 ELSE 0 END;"
                         " UPDATE deals SET server_version = 32;"
                         " UPDATE sync_state SET cursor = 40, server_epoch = 'old'",
                         crm_contact_get_id (old), crm_contact_get_id (lost),
                         crm_contact_get_id (gone), crm_contact_get_id (lost2));
  crm_test_exec (ts->store, sql);
  g_assert_true (crm_store_delete_contact (ts->store, gone, &error));
  crm_contact_set_field (fresh, CRM_CONTACT_FIELD_NOTES, "待发送");
  g_assert_true (crm_store_save_contact (ts->store, fresh, &error));
  crm_contact_set_field (lost, CRM_CONTACT_FIELD_NOTES, "丢失的修改");
  g_assert_true (crm_store_save_contact (ts->store, lost, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows (ts->store), ==, 3);

  g_assert_true (crm_store_begin_resync (ts->store, "new-epoch", 20, &error));
  g_assert_no_error (error);
  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_cmpint (info->cursor, ==, 0);
  g_assert_cmpstr (info->server_epoch, ==, "new-epoch");

  /* "lost" whole first (its pending edit folded in); the unsent edit as
   * it was; then the deal; the delete last, each on base 20 */
  lines = outbox (ts->store);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_true (g_str_has_prefix (lines[0], "contact "));
  g_assert_true (strstr (lines[0], crm_contact_get_id (lost)) != NULL);
  g_assert_true (strstr (lines[0], " upsert 20 {\"name\":\"新客户\"") != NULL);
  g_assert_true (strstr (lines[0], "\"notes\":\"丢失的修改\"") != NULL);
  g_assert_true (strstr (lines[1], crm_contact_get_id (lost2)) != NULL);
  g_assert_true (strstr (lines[2], crm_contact_get_id (fresh)) != NULL);
  g_assert_true (strstr (lines[2], " upsert 0 {\"notes\":\"待发送\"}") != NULL);
  g_assert_true (g_str_has_prefix (lines[3], "deal "));
  g_assert_true (strstr (lines[3], " upsert 20 {\"title\":\"一期\"") != NULL);
  g_assert_true (strstr (lines[4], crm_contact_get_id (gone)) != NULL);
  g_assert_true (strstr (lines[4], " delete 20 {}") != NULL);
  /* twice in a row (a second 410): the same queue, with fresh ids */
  g_assert_true (crm_store_begin_resync (ts->store, "new-epoch", 20, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows (ts->store), ==, 5);

  /* no version above the base is left: they meant other things */
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT max (server_version) FROM contacts"), ==,
                   20);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT max (server_version) FROM deals"), ==,
                   20);
  g_clear_object (&old);
  crm_test_store_free (ts);
}

/* a store of version 7, with data, moves to 8 queueing nothing; its first
 * sign-in queues its records */
static void
test_outbox_from_version_7 (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (CrmSyncInfo) info = NULL;
  g_auto (GStrv) lines = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (_crm_search_register_tokenizer (db), ==, SQLITE_OK);
  g_assert_true (_crm_store_migrate_to (db, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO contacts (id, name, mobile, sort_key, created_at,"
                                 " updated_at) VALUES ('6f1c6bd0-0000-4000-8000-000000000001',"
                                 " '欧阳修', '13712345678', '欧阳修',"
                                 " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
                                 "INSERT INTO deals (id, title, contact_id, amount_fen, stage,"
                                 " probability, created_at, updated_at) VALUES"
                                 " ('6f1c6bd0-0000-4000-8000-000000000003', '年度采购',"
                                 " '6f1c6bd0-0000-4000-8000-000000000001', 123456, 'proposal',"
                                 " 50, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (n_rows (store), ==, 0);
  info = crm_store_get_sync_info (store, &error);
  g_assert_no_error (error);
  g_assert_true (crm_wire_is_uuid (info->client_id));

  g_assert_true (crm_store_set_sync_company (store, COMPANY, &error));
  g_assert_no_error (error);
  lines = outbox (store);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[0], ==, "contact 6f1c6bd0-0000-4000-8000-000000000001 upsert 0 "
                   ZHANG_ALL ("欧阳修", "13712345678") " pending");
  g_assert_cmpstr (lines[1], ==, "deal 6f1c6bd0-0000-4000-8000-000000000003 upsert 0 "
                   "{\"title\":\"年度采购\",\"contact_id\":\"6f1c6bd0-0000-4000-8000-"
                   "000000000001\",\"amount_fen\":123456,\"currency\":\"CNY\","
                   "\"stage\":\"proposal\",\"probability\":50,\"expected_close\":null,"
                   "\"lost_reason\":\"\",\"notes\":\"\",\"position\":0,\"won_at\":null} pending");

  g_assert_finalize_object (g_steal_pointer (&store));
  crm_test_rm_rf (dir);
}

/* the UUIDs made in SQL are version 4, variant 1 */
static void
test_outbox_uuids (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GRegex) v4 = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                                       "-[0-9a-f]{12}$", 0, 0, NULL);
  g_autoptr (GHashTable) variants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (_crm_store_get_db (ts->store),
                                       "SELECT uuid FROM sync_new_uuid", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  for (guint i = 0; i < 400; i++)
    {
      const char *uuid;

      sqlite3_reset (stmt);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      uuid = (const char *)sqlite3_column_text (stmt, 0);
      g_assert_true (g_regex_match (v4, uuid, 0, NULL));
      g_assert_true (crm_wire_is_uuid (uuid));
      g_hash_table_add (variants, g_strndup (uuid + 19, 1));
    }
  g_assert_cmpuint (g_hash_table_size (variants), ==, 4);
  crm_test_store_free (ts);
}

/* rows damaged in the file (broken JSON, JSON nested 100,000 deep that
 * json-glib would recurse into, an empty text, a mutation id or kind that
 * is not one) are neither sent nor dropped: rejected as "damaged: …", and
 * the batch goes on past them up to its limit */
static void
test_outbox_damaged_rows (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GPtrArray) rejected = NULL;
  g_autoptr (GString) deep = g_string_new ("UPDATE outbox SET fields_json = '");
  g_autofree char *sql = NULL;
  gint64 first;

  crm_test_exec (ts->store, "DELETE FROM outbox");
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户%u", i);
      g_autoptr (CrmContact) contact = crm_test_add (ts->store, name, "", "");
    }
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 7);
  first = crm_test_query_int (ts->store, "SELECT min (local_seq) FROM outbox");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_string_append_printf (deep, "' WHERE local_seq = %" G_GINT64_FORMAT, first + 1);
  crm_test_exec (ts->store, deep->str);
  sql = g_strdup_printf ("UPDATE outbox SET fields_json = '{not json' WHERE local_seq = %"
                         G_GINT64_FORMAT ";"
                         "UPDATE outbox SET fields_json = '' WHERE local_seq = %"
                         G_GINT64_FORMAT ";"
                         "UPDATE outbox SET mutation_id = 'not-a-uuid' WHERE local_seq = %"
                         G_GINT64_FORMAT ";"
                         /* as another program writing the file could */
                         "PRAGMA ignore_check_constraints = 1;"
                         "UPDATE outbox SET kind = 'planet' WHERE local_seq = %"
                         G_GINT64_FORMAT ";"
                         "PRAGMA ignore_check_constraints = 0;",
                         first, first + 2, first + 4, first + 5);
  crm_test_exec (ts->store, sql);

  /* two asked for: the two readable rows, past the damaged ones */
  batch = crm_store_outbox_batch (ts->store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (((CrmWireMutation *)batch->pdata[0])->fields,
                                                  "name"), ==, "客户3");
  g_assert_cmpstr (json_object_get_string_member (((CrmWireMutation *)batch->pdata[1])->fields,
                                                  "name"), ==, "客户6");
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 2);

  /* kept, for the person to see */
  rejected = crm_store_outbox_rejections (ts->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, ==, 5);
  for (guint i = 0; i < rejected->len; i++)
    {
      CrmOutboxRejection *row = rejected->pdata[i];

      g_assert_true (g_str_has_prefix (row->last_error, "damaged: "));
    }
  g_assert_nonnull (strstr (((CrmOutboxRejection *)rejected->pdata[1])->last_error,
                            "nested deeper"));
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM outbox"), ==, 7);

  /* and asked again, the same two */
  g_clear_pointer (&batch, g_ptr_array_unref);
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 2);
  crm_test_store_free (ts);
}

/* a client id that is not a UUID is never handed out: a new one is made
 * and kept */
static void
test_outbox_damaged_client_id (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (CrmSyncInfo) again = NULL;

  crm_test_exec (ts->store, "UPDATE sync_state SET client_id = 'not-a-uuid'");
  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_no_error (error);
  g_assert_true (crm_wire_is_uuid (info->client_id));
  again = crm_store_get_sync_info (ts->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->client_id, ==, info->client_id);
  g_clear_pointer (&again, crm_sync_info_free);

  /* a UUID with capitals is not one the protocol takes either */
  crm_test_exec (ts->store, "UPDATE sync_state SET client_id = upper (client_id)");
  again = crm_store_get_sync_info (ts->store, &error);
  g_assert_no_error (error);
  g_assert_true (crm_wire_is_uuid (again->client_id));
  g_assert_cmpstr (again->client_id, !=, info->client_id);
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outbox/contact-paths", test_outbox_contact_paths);
  g_test_add_func ("/outbox/bulk-and-rollback", test_outbox_bulk_and_rollback);
  g_test_add_func ("/outbox/deal-paths", test_outbox_deal_paths);
  g_test_add_data_func ("/outbox/contact-delete-unlinking-deals",
                        GINT_TO_POINTER (CRM_CONTACT_DEALS_UNLINK),
                        test_outbox_contact_delete_with_deals);
  g_test_add_data_func ("/outbox/contact-delete-deleting-deals",
                        GINT_TO_POINTER (CRM_CONTACT_DEALS_DELETE),
                        test_outbox_contact_delete_with_deals);
  g_test_add_func ("/outbox/certification", test_outbox_certification);
  g_test_add_func ("/outbox/first-sign-in", test_outbox_first_sign_in);
  g_test_add_func ("/outbox/batch-order", test_outbox_batch_order);
  g_test_add_func ("/outbox/results", test_outbox_results);
  g_test_add_func ("/outbox/resync", test_outbox_resync);
  g_test_add_func ("/outbox/from-version-7", test_outbox_from_version_7);
  g_test_add_func ("/outbox/uuids", test_outbox_uuids);
  g_test_add_func ("/outbox/damaged-rows", test_outbox_damaged_rows);
  g_test_add_func ("/outbox/damaged-client-id", test_outbox_damaged_client_id);

  return g_test_run ();
}
