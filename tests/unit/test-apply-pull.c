/* test-apply-pull.c — applying a pulled page: new and changed records,
 * pending local fields kept, deletes kept or applied, parked deals, the
 * certification, and a hostile page that cannot wedge the client
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No server: the pages are built in C as the sync engine hands them over.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "crm-store-sync-private.h"
#include "crm-test-util.h"

#define EPOCH "0e7c1a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b"
#define C1 "6f1c6bd0-0000-4000-8000-000000000001"
#define C2 "6f1c6bd0-0000-4000-8000-000000000002"
#define C3 "6f1c6bd0-0000-4000-8000-000000000003"
#define D1 "6f1c6bd0-0000-4000-8000-00000000000d"
#define D2 "6f1c6bd0-0000-4000-8000-00000000000e"
#define F1 "6f1c6bd0-0000-4000-8000-0000000000f1"
#define F2 "6f1c6bd0-0000-4000-8000-0000000000f2"

/* the store's expected warnings and messages, counted and kept quiet (the
 * tests run with fatal warnings) */
static guint n_skipped, n_never_came, n_not_here, n_unreadable;

static GLogWriterOutput
count_messages (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  if (g_strcmp0 (domain, "crm-store") == 0 && message != NULL)
    {
      if ((level & G_LOG_LEVEL_WARNING) && g_str_has_prefix (message, "Skipping "))
        {
          n_skipped++;
          return G_LOG_WRITER_HANDLED;
        }
      if ((level & G_LOG_LEVEL_MESSAGE) && strstr (message, "never came") != NULL)
        {
          n_never_came++;
          return G_LOG_WRITER_HANDLED;
        }
      if ((level & G_LOG_LEVEL_MESSAGE) && strstr (message, "cannot be read") != NULL)
        {
          n_unreadable++;
          return G_LOG_WRITER_HANDLED;
        }
      if ((level & G_LOG_LEVEL_MESSAGE) && strstr (message, "not here yet") != NULL)
        {
          n_not_here++;
          return G_LOG_WRITER_HANDLED;
        }
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

typedef struct
{
  guint contacts_reset;
  guint deals_reset;
  guint followups_reset;
} Resets;

static void
on_contacts_reset (CrmStore *store,
                   Resets   *resets)
{
  resets->contacts_reset++;
}

static void
on_deals_reset (CrmStore *store,
                Resets   *resets)
{
  resets->deals_reset++;
}

static void
on_followups_reset (CrmStore *store,
                    Resets   *resets)
{
  resets->followups_reset++;
}

static CrmWirePull *
page (gint64    next_cursor,
      gboolean  has_more)
{
  CrmWirePull *pull = crm_wire_pull_new ();

  pull->server_epoch = g_strdup (EPOCH);
  pull->next_cursor = next_cursor;
  pull->has_more = has_more;
  return pull;
}

static void
add_change (CrmWirePull *pull,
            CrmWireKind  kind,
            const char  *id,
            gint64       version,
            gboolean     deleted,
            const char  *fields_json)
{
  CrmWireChange *change = crm_wire_change_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (fields_json, &error);

  g_assert_no_error (error);
  change->seq = version;
  change->kind = kind;
  change->id = g_strdup (id);
  change->version = version;
  change->deleted = deleted;
  json_object_unref (change->fields);
  change->fields = json_object_ref (json_node_get_object (node));
  change->updated_by = g_strdup ("wang");
  change->updated_at = g_strdup ("2026-11-29T08:00:00Z");
  g_ptr_array_add (pull->changes, change);
}

static char *
contact_json (const char *name,
              const char *mobile)
{
  return g_strdup_printf ("{\"name\": \"%s\", \"company\": \"\", \"title\": \"\","
                          " \"mobile\": \"%s\", \"phone\": \"\", \"email\": \"\","
                          " \"wechat\": \"\", \"address\": \"\", \"tags\": \"\","
                          " \"notes\": \"\", \"owner\": \"\"}", name, mobile);
}

static char *
deal_json (const char *title,
           const char *contact_id,
           gint64      fen)
{
  g_autofree char *contact = contact_id ? g_strdup_printf ("\"%s\"", contact_id)
                                        : g_strdup ("null");

  return g_strdup_printf ("{\"title\": \"%s\", \"contact_id\": %s, \"amount_fen\": %"
                          G_GINT64_FORMAT ", \"currency\": \"CNY\", \"stage\": \"lead\","
                          " \"probability\": 10, \"expected_close\": null,"
                          " \"lost_reason\": \"\", \"notes\": \"\", \"position\": 0,"
                          " \"won_at\": null}", title, contact, fen);
}

static void
apply (CrmStore    *store,
       CrmWirePull *pull)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_store_apply_pull (store, pull, &error));
  g_assert_no_error (error);
}

static char *
followup_json (const char *contact_id,
               const char *notes,
               const char *kind)
{
  return g_strdup_printf ("{\"contact_id\": \"%s\", \"deal_id\": null,"
                          " \"happened_at\": \"2026-11-28T09:00:00Z\", \"kind\": \"%s\","
                          " \"notes\": \"%s\", \"next_step\": \"寄样品\","
                          " \"next_at\": \"2026-12-01T02:00:00Z\", \"done_at\": null}",
                          contact_id, kind, notes);
}

/* follow-ups: stored before their contact arrives, merged field by field
 * with a pending local edit, deleted, a bad one skipped; snoozed_until is
 * this computer's own and stays */
static void
test_apply_followups (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmWirePull) pull = page (3, TRUE);
  g_autofree char *f1 = followup_json (C1, "电话沟通", "call");
  g_autofree char *f1_theirs = followup_json (C1, "他们改的", "visit");
  g_autofree char *bad = followup_json (C1, "坏的", "phone");
  g_autofree char *zhang = contact_json ("张三", "");
  g_autofree char *last = NULL;
  Resets resets = { 0, 0, 0 };

  g_signal_connect (ts->store, "contacts-reset", G_CALLBACK (on_contacts_reset), &resets);
  g_signal_connect (ts->store, "followups-reset", G_CALLBACK (on_followups_reset), &resets);
  add_change (pull, CRM_WIRE_KIND_FOLLOWUP, F1, 2, FALSE, f1);
  add_change (pull, CRM_WIRE_KIND_FOLLOWUP, F2, 3, FALSE, bad);
  n_skipped = 0;
  apply (ts->store, pull);
  g_assert_cmpuint (n_skipped, ==, 1);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM followups"), ==, 1);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT server_version FROM followups"
                                       " WHERE id = '" F1 "' AND deleted = 0"
                                       " AND contact_id = '" C1 "' AND kind = 'call'"
                                       " AND next_at = '2026-12-01T02:00:00Z'"
                                       " AND deal_id IS NULL AND done_at IS NULL"), ==, 2);
  g_assert_cmpuint (resets.contacts_reset, ==, 1);
  g_assert_cmpuint (resets.followups_reset, ==, 1);

  /* its contact comes: the follow-up is its last one */
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (4, FALSE);
  add_change (pull, CRM_WIRE_KIND_CONTACT, C1, 4, FALSE, zhang);
  apply (ts->store, pull);
  last = crm_test_query_text (ts->store, "SELECT last_followup_at FROM contacts");
  g_assert_cmpstr (last, ==, "2026-11-28T09:00:00Z");
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);

  /* the notes edited and snoozed here, the server's kind and notes pulled */
  crm_test_exec (ts->store, "UPDATE followups SET notes = '我们改的',"
                 " snoozed_until = '2026-12-01T03:00:00Z' WHERE id = '" F1 "'");
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1);
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (5, FALSE);
  add_change (pull, CRM_WIRE_KIND_FOLLOWUP, F1, 5, FALSE, f1_theirs);
  apply (ts->store, pull);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT server_version FROM followups"
                                       " WHERE notes = '我们改的' AND kind = 'visit'"
                                       " AND snoozed_until = '2026-12-01T03:00:00Z'"), ==, 5);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT base_version FROM outbox"), ==, 2);

  /* pushed; then deleted on the server: a tombstone, no longer its contact's last */
  crm_test_exec (ts->store, "DELETE FROM outbox");
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (6, FALSE);
  add_change (pull, CRM_WIRE_KIND_FOLLOWUP, F1, 6, TRUE, "{}");
  apply (ts->store, pull);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT deleted FROM followups"), ==, 1);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM contacts"
                                       " WHERE last_followup_at IS NULL"), ==, 1);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);
  crm_test_store_free (ts);
}

static void
test_apply_new_records (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmWirePull) pull = page (6, FALSE);
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *zhang = contact_json ("张三", "13800138000");
  g_autofree char *renamed = contact_json ("张三丰", "13800138000");
  g_autofree char *deal1 = deal_json ("年度采购", C1, 1234500);
  Resets resets = { 0, 0 };

  g_signal_connect (ts->store, "contacts-reset", G_CALLBACK (on_contacts_reset), &resets);
  g_signal_connect (ts->store, "deals-reset", G_CALLBACK (on_deals_reset), &resets);
  add_change (pull, CRM_WIRE_KIND_CONTACT, C1, 5, FALSE, zhang);
  add_change (pull, CRM_WIRE_KIND_DEAL, D1, 6, FALSE, deal1);
  apply (ts->store, pull);

  contact = crm_store_get_contact (ts->store, C1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_name (contact), ==, "张三");
  g_assert_cmpint (crm_contact_get_server_version (contact), ==, 5);
  g_assert_false (crm_contact_get_deleted (contact));
  found = crm_store_search_contacts (ts->store, "张三", 10, &error);  /* indexed */
  g_assert_cmpuint (found->len, ==, 1);
  deal = crm_store_get_deal (ts->store, D1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_deal_get_amount (deal), ==, 1234500);
  g_assert_cmpstr (crm_deal_get_contact_name (deal), ==, "张三");
  g_assert_cmpstr (crm_deal_get_expected_close (deal), ==, "");
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT server_version FROM deals"), ==, 6);

  /* nothing queued; the cursor and epoch kept; one reset each */
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);
  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_cmpint (info->cursor, ==, 6);
  g_assert_cmpstr (info->server_epoch, ==, EPOCH);
  g_assert_cmpuint (resets.contacts_reset, ==, 1);
  g_assert_cmpuint (resets.deals_reset, ==, 1);

  /* a change of it: applied; an empty page: no reset, the cursor moves */
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (7, FALSE);
  add_change (pull, CRM_WIRE_KIND_CONTACT, C1, 7, FALSE, renamed);
  apply (ts->store, pull);
  g_clear_object (&contact);
  contact = crm_store_get_contact (ts->store, C1, &error);
  g_assert_cmpstr (crm_contact_get_name (contact), ==, "张三丰");
  g_assert_cmpint (crm_contact_get_server_version (contact), ==, 7);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);
  g_assert_cmpuint (resets.contacts_reset, ==, 2);
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (9, FALSE);
  apply (ts->store, pull);
  g_assert_cmpuint (resets.contacts_reset, ==, 2);
  g_assert_cmpuint (resets.deals_reset, ==, 2);
  g_clear_pointer (&info, crm_sync_info_free);
  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_cmpint (info->cursor, ==, 9);
  crm_test_store_free (ts);
}

static void
test_apply_keeps_pending_fields (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) mine = crm_test_add (ts->store, "张三", "13800138000", "");
  g_autoptr (CrmContact) read = NULL;
  g_autoptr (CrmWirePull) pull = page (8, FALSE);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = g_strdup (crm_contact_get_id (mine));
  g_autofree char *theirs = contact_json ("张三丰", "13700137000");

  /* sent and acknowledged at 3, then the mobile edited here */
  crm_test_exec (ts->store, "DELETE FROM outbox; UPDATE contacts SET server_version = 3");
  crm_contact_set_field (mine, CRM_CONTACT_FIELD_MOBILE, "13900139000");
  g_assert_true (crm_store_save_contact (ts->store, mine, &error));
  g_assert_no_error (error);

  add_change (pull, CRM_WIRE_KIND_CONTACT, id, 8, FALSE, theirs);
  apply (ts->store, pull);
  read = crm_store_get_contact (ts->store, id, &error);
  g_assert_cmpstr (crm_contact_get_name (read), ==, "张三丰");           /* theirs */
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_MOBILE), ==,
                   "13900139000");                                      /* ours, pending */
  g_assert_cmpint (crm_contact_get_server_version (read), ==, 8);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1);           /* still to push */
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT base_version FROM outbox"), ==, 3);
  crm_test_store_free (ts);
}

static void
test_apply_deletes (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) edited = crm_test_add (ts->store, "编辑中", "", "");
  g_autoptr (CrmContact) plain = crm_test_add (ts->store, "普通", "", "");
  g_autoptr (CrmContact) with_deal = crm_test_add (ts->store, "有商机", "", "");
  g_autoptr (CrmContact) read = NULL;
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  g_autoptr (CrmDeal) read_deal = NULL;
  g_autoptr (CrmWirePull) pull = page (20, FALSE);
  g_autoptr (GError) error = NULL;
  Resets resets = { 0, 0 };

  crm_deal_set_title (deal, "一期");
  crm_deal_set_contact_id (deal, crm_contact_get_id (with_deal));
  g_assert_true (crm_store_save_deal (ts->store, deal, &error));
  crm_test_exec (ts->store, "DELETE FROM outbox; UPDATE contacts SET server_version = 2;"
        " UPDATE deals SET server_version = 2");
  crm_contact_set_field (edited, CRM_CONTACT_FIELD_NOTES, "正在改");
  g_assert_true (crm_store_save_contact (ts->store, edited, &error));
  g_assert_no_error (error);

  g_signal_connect (ts->store, "contacts-reset", G_CALLBACK (on_contacts_reset), &resets);
  add_change (pull, CRM_WIRE_KIND_CONTACT, crm_contact_get_id (edited), 10, TRUE, "{}");
  add_change (pull, CRM_WIRE_KIND_CONTACT, crm_contact_get_id (plain), 11, TRUE, "{}");
  add_change (pull, CRM_WIRE_KIND_CONTACT, crm_contact_get_id (with_deal), 12, TRUE, "{}");
  add_change (pull, CRM_WIRE_KIND_CONTACT, C2, 13, TRUE, "{}");       /* never here */
  add_change (pull, CRM_WIRE_KIND_DEAL, D2, 14, TRUE, "{}");          /* never here */
  {
    /* never here, with its fields: a tombstone as on every other copy */
    g_autofree char *gone = contact_json ("墓碑", "13800138000");

    add_change (pull, CRM_WIRE_KIND_CONTACT, C3, 15, TRUE, gone);
  }
  n_skipped = 0;
  apply (ts->store, pull);
  g_assert_cmpuint (n_skipped, ==, 0);

  /* pending edit: kept, live; the push will bring it back */
  read = crm_store_get_contact (ts->store, crm_contact_get_id (edited), &error);
  g_assert_false (crm_contact_get_deleted (read));
  g_assert_cmpint (crm_contact_get_server_version (read), ==, 10);
  g_clear_object (&read);
  /* nothing pending: a tombstone */
  read = crm_store_get_contact (ts->store, crm_contact_get_id (plain), &error);
  g_assert_true (crm_contact_get_deleted (read));
  g_assert_cmpint (crm_contact_get_server_version (read), ==, 11);
  g_clear_object (&read);
  /* live deals here: kept */
  read = crm_store_get_contact (ts->store, crm_contact_get_id (with_deal), &error);
  g_assert_false (crm_contact_get_deleted (read));
  g_assert_cmpint (crm_contact_get_server_version (read), ==, 12);
  g_clear_object (&read);
  g_assert_true (crm_store_get_contact (ts->store, C2, NULL) == NULL);
  read = crm_store_get_contact (ts->store, C3, &error);
  g_assert_no_error (error);
  g_assert_true (crm_contact_get_deleted (read));
  g_assert_cmpstr (crm_contact_get_name (read), ==, "墓碑");
  g_assert_cmpint (crm_contact_get_server_version (read), ==, 15);
  g_clear_object (&read);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 2);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1);
  g_assert_cmpuint (resets.contacts_reset, ==, 1);

  /* a tombstone that comes back from the server: live again */
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (21, FALSE);
  {
    g_autofree char *back = contact_json ("普通", "");

    add_change (pull, CRM_WIRE_KIND_CONTACT, crm_contact_get_id (plain), 21, FALSE, back);
  }
  apply (ts->store, pull);
  read = crm_store_get_contact (ts->store, crm_contact_get_id (plain), &error);
  g_assert_false (crm_contact_get_deleted (read));
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1);

  /* a deal deleted there: a tombstone here */
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (22, FALSE);
  add_change (pull, CRM_WIRE_KIND_DEAL, crm_deal_get_id (deal), 22, TRUE, "{}");
  apply (ts->store, pull);
  read_deal = crm_store_get_deal (ts->store, crm_deal_get_id (deal), &error);
  g_assert_null (read_deal);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  crm_test_store_free (ts);
}

static void
test_apply_parked_deal (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmWirePull) pull = page (5, TRUE);
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *deal1 = deal_json ("一期", C1, 100);
  g_autofree char *deal2 = deal_json ("二期", C3, 200);
  g_autofree char *contact = contact_json ("张三", "");

  /* the deal before its contact: it waits */
  add_change (pull, CRM_WIRE_KIND_DEAL, D1, 5, FALSE, deal1);
  apply (ts->store, pull);
  g_assert_null (crm_store_get_deal (ts->store, D1, NULL));
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM sync_parked"), ==, 1);
  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_cmpint (info->cursor, ==, 5);

  /* the contact comes: so does the deal */
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (6, FALSE);
  add_change (pull, CRM_WIRE_KIND_CONTACT, C1, 6, FALSE, contact);
  apply (ts->store, pull);
  deal = crm_store_get_deal (ts->store, D1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_deal_get_contact_name (deal), ==, "张三");
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM sync_parked"), ==, 0);
  g_clear_object (&deal);

  /* the deal before its contact in the same page: it comes too */
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (7, TRUE);
  {
    g_autofree char *deal3 = deal_json ("三期", C2, 300);
    g_autofree char *li = contact_json ("李四", "");

    add_change (pull, CRM_WIRE_KIND_DEAL, D1, 7, FALSE, deal3);
    add_change (pull, CRM_WIRE_KIND_CONTACT, C2, 8, FALSE, li);
  }
  apply (ts->store, pull);
  deal = crm_store_get_deal (ts->store, D1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_deal_get_title (deal), ==, "三期");
  g_assert_cmpstr (crm_deal_get_contact_name (deal), ==, "李四");
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM sync_parked"), ==, 0);
  g_clear_object (&deal);

  /* the feed ends without the contact: the deal comes without one */
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (9, FALSE);
  add_change (pull, CRM_WIRE_KIND_DEAL, D2, 9, FALSE, deal2);
  n_never_came = 0;
  apply (ts->store, pull);
  g_assert_cmpuint (n_never_came, ==, 1);
  deal = crm_store_get_deal (ts->store, D2, &error);
  g_assert_no_error (error);
  g_assert_null (crm_deal_get_contact_id (deal));
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM sync_parked"), ==, 0);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);
  crm_test_store_free (ts);
}

/* JSON text nested 100,000 deep, as a damaged file may hold */
static char *
deep_json_sql (const char *table,
               const char *where)
{
  g_autoptr (GString) sql = g_string_new (NULL);

  g_string_printf (sql, "UPDATE %s SET fields_json = '", table);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (sql, '[');
  g_string_append_printf (sql, "' WHERE %s", where);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* the JSON kept in the file (a pending edit's fields, a parked deal) is
 * damaged, nested deeper than json-glib can recurse: read through the
 * wire's guarded parser, never a crash; a parked deal that cannot be read
 * is left out, not made empty, and dropped at the end of the feed */
static void
test_apply_damaged_stored_json (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) mine = crm_test_add (ts->store, "张三", "13800138000", "");
  g_autoptr (CrmContact) read = NULL;
  g_autoptr (CrmWirePull) pull = page (5, TRUE);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = g_strdup (crm_contact_get_id (mine));
  g_autofree char *theirs = contact_json ("张三丰", "13700137000");
  g_autofree char *deal1 = deal_json ("一期", C1, 100);
  g_autofree char *contact = contact_json ("李四", "");
  g_autofree char *deep_outbox = deep_json_sql ("outbox", "1");
  g_autofree char *deep_parked = deep_json_sql ("sync_parked", "1");

  /* a pending edit whose fields cannot be read keeps none of them */
  crm_test_exec (ts->store, deep_outbox);
  add_change (pull, CRM_WIRE_KIND_CONTACT, id, 4, FALSE, theirs);
  /* and a deal parked before its contact, then damaged */
  add_change (pull, CRM_WIRE_KIND_DEAL, D1, 5, FALSE, deal1);
  apply (ts->store, pull);
  read = crm_store_get_contact (ts->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_MOBILE), ==, "13700137000");
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM sync_parked"), ==, 1);
  crm_test_exec (ts->store, deep_parked);

  /* its contact comes: the deal cannot be read, so it is not made */
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (6, TRUE);
  add_change (pull, CRM_WIRE_KIND_CONTACT, C1, 6, FALSE, contact);
  n_unreadable = 0;
  apply (ts->store, pull);
  g_assert_cmpuint (n_unreadable, ==, 1);
  g_assert_null (crm_store_get_deal (ts->store, D1, NULL));

  /* the end of the feed: not kept waiting for ever */
  g_clear_pointer (&pull, crm_wire_pull_free);
  pull = page (7, FALSE);
  apply (ts->store, pull);
  g_assert_null (crm_store_get_deal (ts->store, D1, NULL));
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM sync_parked"), ==, 0);
  crm_test_store_free (ts);
}

/* what a hostile or broken server may send is skipped, the rest applied,
 * the cursor moved on */
static void
test_apply_hostile_page (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmWirePull) pull = page (50, FALSE);
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) good = NULL;
  g_autofree char *nameless = contact_json ("", "");
  g_autofree char *fine = contact_json ("正常", "");
  g_autofree char *huge_name = g_strnfill (300000, 'x');
  g_autofree char *huge = contact_json (huge_name, "");

  add_change (pull, CRM_WIRE_KIND_CONTACT, C1, 41, FALSE, nameless);
  add_change (pull, CRM_WIRE_KIND_CONTACT, "not-a-uuid", 42, FALSE, fine);
  add_change (pull, CRM_WIRE_KIND_DEAL, D1, 43, FALSE,
              "{\"title\": \"负数\", \"amount_fen\": -5, \"stage\": \"lead\"}");
  add_change (pull, CRM_WIRE_KIND_DEAL, D2, 44, FALSE,
              "{\"title\": \"丢单\", \"stage\": \"lost\", \"lost_reason\": \"\"}");
  add_change (pull, CRM_WIRE_KIND_CONTACT, C2, 45, FALSE, "{\"name\": \"张三\", \"x\": 1}");
  add_change (pull, CRM_WIRE_KIND_CONTACT, C2, 46, FALSE, huge);
  add_change (pull, CRM_WIRE_KIND_CONTACT, C2, 47, FALSE, fine);
  n_skipped = 0;
  apply (ts->store, pull);
  g_assert_cmpuint (n_skipped, ==, 6);

  good = crm_store_get_contact (ts->store, C2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_name (good), ==, "正常");
  g_assert_null (crm_store_get_contact (ts->store, C1, NULL));
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM deals"), ==, 0);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM contacts"), ==, 1);
  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_cmpint (info->cursor, ==, 50);
  crm_test_store_free (ts);
}

static void
test_apply_certification (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmLicenseFile) license = crm_test_license_png (40, 30, 0xc01c28ff);
  g_autoptr (CrmCertification) cert = crm_test_certification (license);
  g_autoptr (CrmCertification) read = NULL;
  g_autoptr (CrmWirePull) pull = page (30, FALSE);
  g_autoptr (GError) error = NULL;
  g_autofree char *certified = NULL;
  g_autofree char *other_license = NULL;

  g_assert_true (crm_store_put_blob (ts->store, license, &error));
  g_assert_true (crm_store_save_certification (ts->store, cert, &error));
  g_assert_true (crm_store_submit_certification (ts->store, &error));
  g_assert_no_error (error);
  crm_test_exec (ts->store, "DELETE FROM outbox");

  /* the server's review arrives over the submitted draft */
  certified = g_strdup_printf ("{\"company_name\": \"郑州小禾信息科技有限公司\","
                               " \"uscc\": \"91110000600037341L\","
                               " \"legal_representative\": \"张三\","
                               " \"address\": \"河南省郑州市金水区\","
                               " \"license_sha256\": \"%s\", \"license_mime_type\": \"%s\","
                               " \"license_name\": \"营业执照.png\", \"license_size\": %"
                               G_GSIZE_FORMAT ", \"status\": \"certified\","
                               " \"reject_reason\": \"\"}",
                               license->sha256, license->mime_type, (gsize)license->size);
  add_change (pull, CRM_WIRE_KIND_CERTIFICATION, "5b0f3c1e-7a2d-4c8e-9f10-2a3b4c5d6e7f", 30,
              FALSE, certified);
  apply (ts->store, pull);
  read = crm_store_get_certification (ts->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->status, ==, CRM_CERTIFICATION_CERTIFIED);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT server_version FROM certification"),
                   ==, 30);

  /* still locked against the person's edits */
  g_free (cert->address);
  cert->address = g_strdup ("北京市");
  g_assert_false (crm_store_save_certification (ts->store, cert, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* a license whose file is not here yet: the license stays as it was */
  g_clear_pointer (&pull, crm_wire_pull_free);
  g_clear_pointer (&read, crm_certification_free);
  pull = page (31, FALSE);
  other_license = g_strdup_printf ("{\"company_name\": \"郑州小禾\", \"uscc\": \"\","
                                   " \"legal_representative\": \"\", \"address\": \"\","
                                   " \"license_sha256\": \"%s\","
                                   " \"license_mime_type\": \"image/png\","
                                   " \"license_name\": \"新.png\", \"license_size\": 10,"
                                   " \"status\": \"rejected\", \"reject_reason\": \"看不清\"}",
                                   "00000000000000000000000000000000"
                                   "00000000000000000000000000000000");
  add_change (pull, CRM_WIRE_KIND_CERTIFICATION, "5b0f3c1e-7a2d-4c8e-9f10-2a3b4c5d6e7f", 31,
              FALSE, other_license);
  n_not_here = 0;
  apply (ts->store, pull);
  g_assert_cmpuint (n_not_here, ==, 1);
  read = crm_store_get_certification (ts->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->status, ==, CRM_CERTIFICATION_REJECTED);
  g_assert_cmpstr (read->reject_reason, ==, "看不清");
  g_assert_cmpstr (read->company_name, ==, "郑州小禾");
  g_assert_cmpstr (read->license_sha256, ==, license->sha256);
  g_assert_cmpstr (read->license_name, ==, "营业执照.png");
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);
  crm_test_store_free (ts);
}

/* with -m perf: 100,000 new contacts in pages of 1,000, as a first sync */
/* 100,000 contacts, or 100,000 follow-ups of 1,000 contacts (each one
 * moving its contact's last_followup_at), in pages of 1,000 */
static void
test_apply_perf (gconstpointer data)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  gboolean followups = GPOINTER_TO_INT (data);
  guint base = followups ? 1000 : 0;
  gint64 start;
  double seconds;

  if (followups)
    {
      g_autoptr (CrmWirePull) pull = page (base, TRUE);

      for (guint n = 0; n < base; n++)
        {
          g_autofree char *id = g_strdup_printf ("6f1c6bd0-0000-4000-8000-%012u", n);
          g_autofree char *json = contact_json ("客户", "13800138000");

          add_change (pull, CRM_WIRE_KIND_CONTACT, id, n + 1, FALSE, json);
        }
      apply (ts->store, pull);
    }
  start = g_get_monotonic_time ();
  for (guint p = 0; p < 100; p++)
    {
      g_autoptr (CrmWirePull) pull = page (base + (p + 1) * 1000, p < 99);

      for (guint i = 0; i < 1000; i++)
        {
          guint n = p * 1000 + i;
          g_autofree char *id = g_strdup_printf ("6f1c6bd0-0000-4000-%s-%012u",
                                                 followups ? "9000" : "8000", n);
          g_autofree char *name = g_strdup_printf ("客户%u", n);
          g_autofree char *contact = g_strdup_printf ("6f1c6bd0-0000-4000-8000-%012u", n % 1000);
          g_autofree char *json = followups ? followup_json (contact, name, "call")
                                            : contact_json (name, "13800138000");

          add_change (pull, followups ? CRM_WIRE_KIND_FOLLOWUP : CRM_WIRE_KIND_CONTACT, id,
                      base + n + 1, FALSE, json);
        }
      apply (ts->store, pull);
    }
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  g_test_minimized_result (seconds, "100,000 %s applied in %.2f s (%.0f/s)",
                           followups ? "follow-ups" : "contacts", seconds, 100000 / seconds);
  g_assert_cmpint (crm_test_query_int (ts->store, followups
                                       ? "SELECT count(*) FROM followups"
                                       : "SELECT count(*) FROM contacts"), ==, 100000);
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (count_messages, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/apply-pull/new-records", test_apply_new_records);
  g_test_add_func ("/apply-pull/keeps-pending-fields", test_apply_keeps_pending_fields);
  g_test_add_func ("/apply-pull/deletes", test_apply_deletes);
  g_test_add_func ("/apply-pull/parked-deal", test_apply_parked_deal);
  g_test_add_func ("/apply-pull/hostile-page", test_apply_hostile_page);
  g_test_add_func ("/apply-pull/certification", test_apply_certification);
  g_test_add_func ("/apply-pull/followups", test_apply_followups);
  g_test_add_func ("/apply-pull/damaged-stored-json", test_apply_damaged_stored_json);
  if (g_test_perf ())
    {
      g_test_add_data_func ("/apply-pull/perf", GINT_TO_POINTER (FALSE), test_apply_perf);
      g_test_add_data_func ("/apply-pull/perf-followups", GINT_TO_POINTER (TRUE),
                            test_apply_perf);
    }

  return g_test_run ();
}
