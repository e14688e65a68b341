/* test-apply-unchanged.c — a pulled change writes only the columns whose
 * value differs from the local one (crm-store-apply.c, drop_unchanged()):
 * the pull of a computer's own pushed changes rewrites no search index,
 * while a value the server changed (normalised, or another's edit) is
 * still written, and the version and the server's updated_at always are
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No server: the pages are built in C as the sync engine hands them over.
 * Temporary triggers count which columns each UPDATE names.
 */
#include "config.h"

#include "crm-store-sync-private.h"
#include "crm-test-util.h"

#define EPOCH "0e7c1a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b"
#define C1 "6f1c6bd0-0000-4000-8000-000000000001"
#define C2 "6f1c6bd0-0000-4000-8000-000000000002"
#define D1 "6f1c6bd0-0000-4000-8000-00000000000d"

static void
add_change (CrmWirePull *pull,
            CrmWireKind  kind,
            const char  *id,
            gint64       version,
            gboolean     deleted,
            const char  *fields_json,
            const char  *updated_at)
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
  change->updated_at = g_strdup (updated_at);
  if (pull->changes == NULL)
    pull->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_change_free);
  g_ptr_array_add (pull->changes, change);
}

static void
apply (CrmStore    *store,
       CrmWirePull *pull)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_store_apply_pull (store, pull, &error));
  g_assert_no_error (error);
}

static CrmWirePull *
page (gint64 next_cursor)
{
  CrmWirePull *pull = crm_wire_pull_new ();

  pull->server_epoch = g_strdup (EPOCH);
  pull->next_cursor = next_cursor;
  return pull;
}

static char *
contact_json (const char *name,
              const char *mobile)
{
  return g_strdup_printf ("{\"name\": \"%s\", \"company\": \"禾苗\", \"title\": \"\","
                          " \"mobile\": \"%s\", \"phone\": \"\", \"email\": \"\","
                          " \"wechat\": \"\", \"address\": \"\", \"tags\": \"\","
                          " \"notes\": \"\", \"owner\": \"\"}", name, mobile);
}

static char *
deal_json (gint64 fen)
{
  return g_strdup_printf ("{\"title\": \"年度采购\", \"contact_id\": \"" C1 "\","
                          " \"amount_fen\": %" G_GINT64_FORMAT ", \"currency\": \"CNY\","
                          " \"stage\": \"lead\", \"probability\": 10,"
                          " \"expected_close\": null, \"lost_reason\": \"\", \"notes\": \"\","
                          " \"position\": 0, \"won_at\": null}", fen);
}

/* temp.written gets one row per UPDATE naming a watched column */
static void
watch (CrmStore *store)
{
  crm_test_exec (store,
                 "CREATE TEMP TABLE written (what TEXT NOT NULL);"
                 "CREATE TEMP TRIGGER watch_name AFTER UPDATE OF name ON main.contacts BEGIN"
                 "  INSERT INTO written VALUES ('name'); END;"
                 "CREATE TEMP TRIGGER watch_mobile AFTER UPDATE OF mobile ON main.contacts BEGIN"
                 "  INSERT INTO written VALUES ('mobile'); END;"
                 "CREATE TEMP TRIGGER watch_deleted AFTER UPDATE OF deleted ON main.contacts BEGIN"
                 "  INSERT INTO written VALUES ('deleted'); END;"
                 "CREATE TEMP TRIGGER watch_amount AFTER UPDATE OF amount_fen ON main.deals BEGIN"
                 "  INSERT INTO written VALUES ('amount_fen'); END;"
                 "CREATE TEMP TRIGGER watch_close AFTER UPDATE OF expected_close"
                 " ON main.deals BEGIN"
                 "  INSERT INTO written VALUES ('expected_close'); END;");
}

static gint64
n_written (CrmStore   *store,
           const char *what)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM temp.written"
                                          " WHERE what = '%s'", what);

  return crm_test_query_int (store, sql);
}

/* the search index holds exactly what the contacts hold */
static void
assert_index_sound (CrmStore *store)
{
  crm_test_exec (store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')");
}

static void
test_unchanged_writes_version_only (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmWirePull) first = page (2);
  g_autoptr (CrmWirePull) again = page (4);
  g_autofree char *zhang = contact_json ("张三", "13800138000");
  g_autofree char *deal = deal_json (1234500);
  g_autofree char *updated_at = NULL;

  add_change (first, CRM_WIRE_KIND_CONTACT, C1, 1, FALSE, zhang, "2026-11-29T08:00:00Z");
  add_change (first, CRM_WIRE_KIND_DEAL, D1, 2, FALSE, deal, "2026-11-29T08:00:00Z");
  apply (ts->store, first);
  watch (ts->store);

  /* the same values at new versions: nothing but the version and the
   * server's time is written */
  add_change (again, CRM_WIRE_KIND_CONTACT, C1, 3, FALSE, zhang, "2026-11-29T09:00:00Z");
  add_change (again, CRM_WIRE_KIND_DEAL, D1, 4, FALSE, deal, "2026-11-29T09:00:00Z");
  apply (ts->store, again);

  g_assert_cmpint (n_written (ts->store, "name"), ==, 0);
  g_assert_cmpint (n_written (ts->store, "mobile"), ==, 0);
  g_assert_cmpint (n_written (ts->store, "deleted"), ==, 0);
  g_assert_cmpint (n_written (ts->store, "amount_fen"), ==, 0);
  g_assert_cmpint (n_written (ts->store, "expected_close"), ==, 0);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT server_version FROM contacts"
                                       " WHERE id = '" C1 "'"), ==, 3);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT server_version FROM deals"
                                       " WHERE id = '" D1 "'"), ==, 4);
  updated_at = crm_test_query_text (ts->store,
                                    "SELECT updated_at FROM contacts WHERE id = '" C1 "'");
  g_assert_cmpstr (updated_at, ==, "2026-11-29T09:00:00Z");
  g_assert_cmpint (crm_store_outbox_count (ts->store), ==, 0);
  assert_index_sound (ts->store);
  crm_test_store_free (ts);
}

static void
test_changed_values_written (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmWirePull) first = page (2);
  g_autoptr (CrmWirePull) next = page (5);
  g_autofree char *zhang = contact_json ("张三", "13800138000");
  g_autofree char *renamed = contact_json ("张三丰", "13800138000");
  g_autofree char *li = contact_json ("李四", "13900139000");
  g_autofree char *deal = deal_json (1234500);
  g_autofree char *more = deal_json (2000000);
  g_autofree char *name = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *old_sort_key = NULL;

  add_change (first, CRM_WIRE_KIND_CONTACT, C1, 1, FALSE, zhang, "2026-11-29T08:00:00Z");
  add_change (first, CRM_WIRE_KIND_CONTACT, C2, 2, FALSE, li, "2026-11-29T08:00:00Z");
  add_change (first, CRM_WIRE_KIND_DEAL, D1, 3, FALSE, deal, "2026-11-29T08:00:00Z");
  apply (ts->store, first);
  old_sort_key = crm_test_query_text (ts->store,
                                      "SELECT sort_key FROM contacts WHERE id = '" C1 "'");
  watch (ts->store);

  /* a changed name (its sort key too), a changed amount, a delete */
  add_change (next, CRM_WIRE_KIND_CONTACT, C1, 4, FALSE, renamed, "2026-11-29T09:00:00Z");
  add_change (next, CRM_WIRE_KIND_DEAL, D1, 5, FALSE, more, "2026-11-29T09:00:00Z");
  add_change (next, CRM_WIRE_KIND_CONTACT, C2, 6, TRUE, li, "2026-11-29T09:00:00Z");
  apply (ts->store, next);

  name = crm_test_query_text (ts->store, "SELECT name FROM contacts WHERE id = '" C1 "'");
  g_assert_cmpstr (name, ==, "张三丰");
  sort_key = crm_test_query_text (ts->store, "SELECT sort_key FROM contacts WHERE id = '" C1 "'");
  g_assert_cmpstr (sort_key, !=, old_sort_key);
  g_assert_cmpint (n_written (ts->store, "name"), ==, 1);
  g_assert_cmpint (n_written (ts->store, "mobile"), ==, 0);
  g_assert_cmpint (n_written (ts->store, "amount_fen"), ==, 1);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT amount_fen FROM deals WHERE id = '"
                                       D1 "'"), ==, 2000000);
  g_assert_cmpint (n_written (ts->store, "deleted"), ==, 1);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT deleted FROM contacts WHERE id = '"
                                       C2 "'"), ==, 1);
  g_assert_cmpuint (crm_store_count_contacts (ts->store), ==, 1);
  /* the index is written per page (0008-sync.sql): the new name is found,
   * the deleted contact is not */
  {
    g_autoptr (GPtrArray) found = crm_store_search_contacts (ts->store, "三丰", 10, NULL);
    g_autoptr (GPtrArray) gone = crm_store_search_contacts (ts->store, "李四", 10, NULL);

    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpuint (gone->len, ==, 0);
  }
  assert_index_sound (ts->store);

  /* the same tombstone again: the flag is not written twice */
  {
    g_autoptr (CrmWirePull) tomb = page (7);

    add_change (tomb, CRM_WIRE_KIND_CONTACT, C2, 7, TRUE, li, "2026-11-29T10:00:00Z");
    apply (ts->store, tomb);
  }
  g_assert_cmpint (n_written (ts->store, "deleted"), ==, 1);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT server_version FROM contacts"
                                       " WHERE id = '" C2 "'"), ==, 7);
  assert_index_sound (ts->store);
  crm_test_store_free (ts);
}

/* how many contacts the search index finds by @text in the mobile column */
#define MATCHES(text) \
  "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'mobile: \"" text "\"'"

/* A stored value that is not in the form the rules keep, pulled as it is
 * while the contact has a pending edit (of another field): compared before
 * the rules, it looks unchanged; normalised, it is written, and the search
 * index must follow it. (Without a pending edit, a contact pulled exactly
 * as it is here is left as it is: apply_echo().) */
static void
test_normalised_value_indexed (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmWirePull) first = page (1);
  g_autoptr (CrmWirePull) again = page (3);
  g_autofree char *zhang = contact_json ("张三", "13800138000");
  g_autofree char *spaced = contact_json ("张三", "+86 138 0013 8000");
  g_autofree char *mobile = NULL;

  add_change (first, CRM_WIRE_KIND_CONTACT, C1, 1, FALSE, zhang, "2026-11-29T08:00:00Z");
  apply (ts->store, first);
  /* an older copy's form, as if saved before the rules normalised it */
  crm_test_exec (ts->store, "UPDATE sync_state SET applying = 1;"
                            "UPDATE contacts SET mobile = '+86 138 0013 8000' WHERE id = '" C1 "';"
                            "INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');"
                            "UPDATE sync_state SET applying = 0;"
                            "UPDATE contacts SET title = '经理' WHERE id = '" C1 "';");
  g_assert_cmpint (crm_store_outbox_count (ts->store), ==, 1);
  assert_index_sound (ts->store);
  g_assert_cmpint (crm_test_query_int (ts->store, MATCHES ("86")), ==, 1);

  add_change (again, CRM_WIRE_KIND_CONTACT, C1, 3, FALSE, spaced, "2026-11-29T09:00:00Z");
  apply (ts->store, again);
  mobile = crm_test_query_text (ts->store, "SELECT mobile FROM contacts WHERE id = '" C1 "'");
  g_assert_cmpstr (mobile, ==, "13800138000");
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT server_version FROM contacts"
                                       " WHERE id = '" C1 "'"), ==, 3);
  assert_index_sound (ts->store);
  /* the index holds the new text, not the old (FTS5 3.40's integrity-check
   * does not compare an external content table with its index) */
  g_assert_cmpint (crm_test_query_int (ts->store, MATCHES ("86")), ==, 0);
  g_assert_cmpint (crm_test_query_int (ts->store, MATCHES ("13800138000")), ==, 1);
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/apply-unchanged/version-only", test_unchanged_writes_version_only);
  g_test_add_func ("/apply-unchanged/changed-written", test_changed_values_written);
  g_test_add_func ("/apply-unchanged/normalised-indexed", test_normalised_value_indexed);

  return g_test_run ();
}
