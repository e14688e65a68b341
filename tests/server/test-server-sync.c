/* test-server-sync.c — the server's storage and sync logic, called directly
 * (no HTTP) on a real SQLite storage in a temporary folder
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/sync-protocol.md's push rules 1–6, pull paging and 410, tenant
 * scoping and the epoch guard with a really restored (copied) storage file.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "crm-server-commands.h"
#include "crm-test-pg.h"
#include "crm-test-util.h"
#include "server-sync-fixture.h"

/* rule 1: a repeat gets the stored result, as duplicate, and changes nothing */
static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  CrmWireMutation *first = mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"张三\"}");
  g_autofree char *first_id = g_strdup (first->mutation_id);
  g_autoptr (GPtrArray) mutations = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_mutation_free);
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (CrmWireResult) later = NULL;
  g_autoptr (CrmWireResult) other = NULL;
  g_autoptr (CrmWirePull) page = NULL;
  g_autoptr (GError) error = NULL;
  CrmWireMutation *original, *repeat, *again, *elsewhere;
  gint64 version;

  version = push_applied (f, &f->actor_a, CLIENT_X, first);

  /* the same body twice in one push, the second with other values */
  original = mutation ("contact", CONTACT2, "upsert", 0, "{\"name\": \"王五\"}");
  repeat = mutation ("contact", CONTACT2, "upsert", 0, "{\"name\": \"赵六\"}");
  g_free (repeat->mutation_id);
  repeat->mutation_id = g_strdup (original->mutation_id);
  g_ptr_array_add (mutations, original);
  g_ptr_array_add (mutations, repeat);
  results = crm_server_push (f->storage, f->dir, &f->actor_a, CLIENT_X, mutations, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpint (((CrmWireResult *) results->pdata[0])->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_cmpint (((CrmWireResult *) results->pdata[1])->status, ==,
                   CRM_WIRE_STATUS_DUPLICATE);
  g_assert_cmpint (((CrmWireResult *) results->pdata[1])->version, ==,
                   ((CrmWireResult *) results->pdata[0])->version);
  assert_field (f, f->a->id, "contact", CONTACT2, "name", "王五");

  /* and in a later push, after an answer that was lost */
  again = mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"李四\"}");
  g_free (again->mutation_id);
  again->mutation_id = g_strdup (first_id);
  later = push_one (f, &f->actor_a, CLIENT_X, again);
  g_assert_cmpint (later->status, ==, CRM_WIRE_STATUS_DUPLICATE);
  g_assert_cmpint (later->version, ==, version);
  assert_field (f, f->a->id, "contact", CONTACT, "name", "张三");

  /* another client's mutation with the same id is its own */
  elsewhere = mutation ("contact", CONTACT, "upsert", version, "{\"name\": \"李四\"}");
  g_free (elsewhere->mutation_id);
  elsewhere->mutation_id = g_strdup (first_id);
  other = push_one (f, &f->actor_a, CLIENT_Y, elsewhere);
  g_assert_cmpint (other->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_cmpint (other->version, >, version);
  assert_field (f, f->a->id, "contact", CONTACT, "name", "李四");

  page = pull (f, f->a->id, 0, 100);
  g_assert_cmpuint (page->changes->len, ==, 2);
  g_assert_cmpint (company_seq (f, f->a->id), ==, 3);
}

/* rule 3: fields changed on one side only merge */
static void
test_merge_fields (Fixture       *f,
                   gconstpointer  data)
{
  gint64 v1, v2, v3;
  g_autoptr (CrmWireResult) result = NULL;

  v1 = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"张三\"}"));
  v2 = push_applied (f, &f->actor_a, CLIENT_Y,
                     mutation ("contact", CONTACT, "upsert", v1,
                               "{\"mobile\": \"13900139000\"}"));
  result = push_one (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", v1,
                               "{\"email\": \"zhang@example.com\"}"));
  g_assert_cmpint (result->status, ==, CRM_WIRE_STATUS_APPLIED);
  v3 = result->version;
  g_assert_cmpint (v3, >, v2);
  g_assert_true (result->conflicts == NULL || result->conflicts[0] == NULL);
  g_assert_null (result->conflict_values);
  assert_field (f, f->a->id, "contact", CONTACT, "mobile", "13900139000");
  assert_field (f, f->a->id, "contact", CONTACT, "email", "zhang@example.com");
  assert_field (f, f->a->id, "contact", CONTACT, "name", "张三");
}

/* rule 3: a field changed on both sides: the later arrival wins, the value
 * that lost is named */
static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (CrmWireResult) result = NULL;
  g_autoptr (CrmWireResult) own = NULL;
  g_autoptr (CrmWireResult) same = NULL;
  gint64 v1;

  v1 = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", 0,
                               "{\"name\": \"张三\", \"mobile\": \"13800138000\"}"));
  push_applied (f, &f->actor_a, CLIENT_Y,
                mutation ("contact", CONTACT, "upsert", v1, "{\"mobile\": \"13900139000\"}"));
  result = push_one (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", v1,
                               "{\"mobile\": \"13700137000\"}"));
  g_assert_cmpint (result->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_nonnull (result->conflicts);
  g_assert_cmpstr (result->conflicts[0], ==, "mobile");
  g_assert_null (result->conflicts[1]);
  g_assert_nonnull (result->conflict_values);
  g_assert_cmpstr (json_object_get_string_member (result->conflict_values, "mobile"), ==,
                   "13900139000");
  assert_field (f, f->a->id, "contact", CONTACT, "mobile", "13700137000");

  /* the same client changing its own field again, on an old base: no conflict */
  own = push_one (f, &f->actor_a, CLIENT_X,
                  mutation ("contact", CONTACT, "upsert", v1, "{\"mobile\": \"13600136000\"}"));
  g_assert_cmpint (own->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_true (own->conflicts == NULL || own->conflicts[0] == NULL);

  /* another client setting the value it already has: no conflict */
  same = push_one (f, &f->actor_a, CLIENT_Y,
                   mutation ("contact", CONTACT, "upsert", v1,
                             "{\"mobile\": \"13600136000\"}"));
  g_assert_cmpint (same->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_true (same->conflicts == NULL || same->conflicts[0] == NULL);
  g_assert_cmpint (same->version, ==, own->version);
}

/* rule 3, extension conflict_by and conflict_at: the result names who set
 * the value that lost, and when; so does its stored copy (a duplicate) */
static void
test_conflict_who (Fixture       *f,
                   gconstpointer  data)
{
  CrmServerActor li = { f->a->id, "user-li", "li" };
  g_autoptr (GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) after = NULL;
  g_autoptr (GDateTime) at = NULL;
  g_autoptr (CrmWireResult) result = NULL;
  g_autoptr (CrmWireResult) again = NULL;
  g_autoptr (GPtrArray) mutations = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_mutation_free);
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;
  CrmWireMutation *m;
  gint64 v1;

  /* li makes the contact; wang (actor_a) changes the mobile; li, on the
   * first version, changes it too and wins */
  v1 = push_applied (f, &li, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", 0,
                               "{\"name\": \"张三\", \"mobile\": \"13800138000\"}"));
  push_applied (f, &f->actor_a, CLIENT_Y,
                mutation ("contact", CONTACT, "upsert", v1, "{\"mobile\": \"13900139000\"}"));
  m = mutation ("contact", CONTACT, "upsert", v1,
                "{\"mobile\": \"13700137000\", \"name\": \"张三丰\"}");
  g_ptr_array_add (mutations, m);
  results = crm_server_push (f->storage, f->dir, &li, CLIENT_X, mutations, &error);
  g_assert_no_error (error);
  result = g_ptr_array_steal_index (results, 0);
  after = g_date_time_new_now_utc ();
  g_assert_cmpint (result->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_cmpstrv (result->conflicts, ((const char *[]) { "mobile", NULL }));
  g_assert_nonnull (result->conflict_by);
  g_assert_cmpuint (json_object_get_size (result->conflict_by), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (result->conflict_by, "mobile"), ==, "wang");
  g_assert_nonnull (result->conflict_at);
  at = g_date_time_new_from_iso8601 (json_object_get_string_member (result->conflict_at,
                                                                    "mobile"), NULL);
  g_assert_nonnull (at);
  /* the server's clock, in whole seconds */
  g_assert_cmpint (g_date_time_to_unix (at), >=, g_date_time_to_unix (before));
  g_assert_cmpint (g_date_time_to_unix (at), <=, g_date_time_to_unix (after));

  /* the same mutation again: its stored answer, who and when included */
  g_clear_pointer (&results, g_ptr_array_unref);
  results = crm_server_push (f->storage, f->dir, &li, CLIENT_X, mutations, &error);
  g_assert_no_error (error);
  again = g_ptr_array_steal_index (results, 0);
  g_assert_cmpint (again->status, ==, CRM_WIRE_STATUS_DUPLICATE);
  g_assert_cmpstr (json_object_get_string_member (again->conflict_by, "mobile"), ==, "wang");
  g_assert_cmpstr (json_object_get_string_member (again->conflict_at, "mobile"), ==,
                   json_object_get_string_member (result->conflict_at, "mobile"));
}

/* rule 4: deletes are tombstones; an edit brings the record back, flagged */
static void
test_delete_and_back (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (CrmWirePull) page = NULL;
  g_autoptr (CrmWireResult) result = NULL;
  g_autoptr (CrmServerRecord) record = NULL;
  CrmWireChange *change;
  gint64 v1, v2;

  v1 = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"张三\"}"));
  v2 = push_applied (f, &f->actor_a, CLIENT_Y, mutation ("contact", CONTACT, "delete", v1,
                                                         NULL));
  page = pull (f, f->a->id, v1, 100);
  g_assert_cmpuint (page->changes->len, ==, 1);
  change = page->changes->pdata[0];
  g_assert_true (change->deleted);
  g_assert_cmpint (change->seq, ==, v2);
  g_assert_cmpstr (json_object_get_string_member (change->fields, "name"), ==, "张三");

  result = push_one (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", v1, "{\"title\": \"经理\"}"));
  g_assert_cmpint (result->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_nonnull (result->conflicts);
  g_assert_true (g_strv_contains ((const char *const *) result->conflicts, "deleted"));
  record = get_record (f, f->a->id, "contact", CONTACT);
  g_assert_false (record->deleted);
  g_assert_cmpint (record->version, ==, result->version);
  assert_field (f, f->a->id, "contact", CONTACT, "title", "经理");
}

/* rule 5: a contact with live deals is not deleted, and comes back in the feed */
static void
test_contact_with_deals (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (CrmWireResult) result = NULL;
  g_autoptr (CrmWirePull) page = NULL;
  g_autoptr (CrmServerRecord) contact = NULL;
  gint64 vc, vd, seq;

  vc = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"张三\"}"));
  vd = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("deal", DEAL, "upsert", 0, DEAL_FIELDS ("\"" CONTACT "\"")));
  seq = company_seq (f, f->a->id);
  result = push_one (f, &f->actor_a, CLIENT_Y, mutation ("contact", CONTACT, "delete", vc,
                                                         NULL));
  assert_rejected (result, "contact_has_deals");
  contact = get_record (f, f->a->id, "contact", CONTACT);
  g_assert_false (contact->deleted);
  g_assert_cmpint (contact->version, >, seq);
  page = pull (f, f->a->id, vd, 100);
  g_assert_nonnull (find_change (page, CONTACT));
  g_assert_false (find_change (page, CONTACT)->deleted);
  assert_field (f, f->a->id, "contact", CONTACT, "name", "张三");

  /* with the deal deleted first, the contact goes */
  push_applied (f, &f->actor_a, CLIENT_Y, mutation ("deal", DEAL, "delete", vd, NULL));
  push_applied (f, &f->actor_a, CLIENT_Y, mutation ("contact", CONTACT, "delete",
                                                    contact->version, NULL));
  g_clear_pointer (&contact, crm_server_record_free);
  contact = get_record (f, f->a->id, "contact", CONTACT);
  g_assert_true (contact->deleted);
}

/* rule 5: a deal naming a deleted contact brings it back; an unknown one is refused */
static void
test_deal_restores_contact (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr (CrmWireResult) unknown = NULL;
  g_autoptr (CrmServerRecord) contact = NULL;
  g_autoptr (CrmServerRecord) missing = NULL;
  gint64 vc, vd, seq;

  vc = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"张三\"}"));
  push_applied (f, &f->actor_a, CLIENT_Y, mutation ("contact", CONTACT, "delete", vc, NULL));
  vd = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("deal", DEAL, "upsert", 0, DEAL_FIELDS ("\"" CONTACT "\"")));
  contact = get_record (f, f->a->id, "contact", CONTACT);
  g_assert_false (contact->deleted);
  /* a change of its own, before the deal's */
  g_assert_cmpint (contact->version, ==, vd - 1);

  seq = company_seq (f, f->a->id);
  unknown = push_one (f, &f->actor_a, CLIENT_X,
                      mutation ("deal", DEAL2, "upsert", 0, DEAL_FIELDS ("\"" CONTACT2 "\"")));
  assert_rejected (unknown, "unknown_contact");
  missing = get_record (f, f->a->id, "deal", DEAL2);
  g_assert_null (missing);
  g_assert_cmpint (company_seq (f, f->a->id), ==, seq);
}

/* rule 2: the core's rules judge the merged record; a refused edit of a
 * record the server has sends that record again */
static void
test_rules (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (CrmWireResult) empty = NULL;
  g_autoptr (CrmWireResult) edit = NULL;
  g_autoptr (CrmServerRecord) record = NULL;
  g_autoptr (CrmServerRecord) none = NULL;
  gint64 v1;

  empty = push_one (f, &f->actor_a, CLIENT_X,
                    mutation ("contact", CONTACT2, "upsert", 0, "{\"name\": \"\"}"));
  assert_rejected (empty, "invalid");
  none = get_record (f, f->a->id, "contact", CONTACT2);
  g_assert_null (none);

  /* stored normalised */
  v1 = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", 0,
                               "{\"name\": \"张三\", \"mobile\": \"138 0013 8000\"}"));
  assert_field (f, f->a->id, "contact", CONTACT, "mobile", "13800138000");

  edit = push_one (f, &f->actor_a, CLIENT_X,
                   mutation ("contact", CONTACT, "upsert", v1, "{\"name\": \"  \"}"));
  assert_rejected (edit, "invalid");
  record = get_record (f, f->a->id, "contact", CONTACT);
  g_assert_cmpint (record->version, >, v1);
  assert_field (f, f->a->id, "contact", CONTACT, "name", "张三");
}

/* every call is scoped by the company: B's ids through A's calls find
 * nothing and change nothing */
static void
test_tenant_scoping (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (CrmServerRecord) before = NULL;
  g_autoptr (CrmServerRecord) after = NULL;
  g_autoptr (CrmServerRecord) own = NULL;
  g_autoptr (CrmWireResult) deleted = NULL;
  g_autoptr (CrmWireResult) cert = NULL;
  g_autoptr (CrmWireResult) blob = NULL;
  g_autoptr (CrmWireResult) deal = NULL;
  g_autoptr (CrmWirePull) page = NULL;
  g_autoptr (GBytes) data_b = g_bytes_new_static ("", 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *fields = NULL;

  push_applied (f, &f->actor_b, CLIENT_Y,
                mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"B 的客户\"}"));
  g_assert_true (crm_server_storage_put_blob (f->storage, f->b->id, SHA, data_b, &error));
  g_assert_no_error (error);
  before = get_record (f, f->b->id, "contact", CONTACT);

  /* A's pull sees nothing of B */
  page = pull (f, f->a->id, 0, 1000);
  g_assert_cmpuint (page->changes->len, ==, 0);

  /* A's delete of B's id finds nothing */
  deleted = push_one (f, &f->actor_a, CLIENT_X, mutation ("contact", CONTACT, "delete", 1,
                                                          NULL));
  g_assert_cmpint (deleted->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_cmpint (deleted->version, ==, 0);

  /* A's deal cannot name B's contact */
  deal = push_one (f, &f->actor_a, CLIENT_X,
                   mutation ("deal", DEAL, "upsert", 0, DEAL_FIELDS ("\"" CONTACT "\"")));
  assert_rejected (deal, "unknown_contact");

  /* A's upsert with B's id makes A's own record */
  push_applied (f, &f->actor_a, CLIENT_X,
                mutation ("contact", CONTACT, "upsert", 1, "{\"name\": \"A 的客户\"}"));
  own = get_record (f, f->a->id, "contact", CONTACT);
  g_assert_nonnull (own);
  assert_field (f, f->a->id, "contact", CONTACT, "name", "A 的客户");

  after = get_record (f, f->b->id, "contact", CONTACT);
  g_assert_false (after->deleted);
  g_assert_cmpint (after->version, ==, before->version);
  g_assert_cmpstr (after->fields_json, ==, before->fields_json);
  g_assert_cmpint (company_seq (f, f->b->id), ==, 1);

  /* B's certification id, B's blob */
  fields = g_strdup ("{\"company_name\": \"阿尔法\", \"status\": \"draft\"}");
  cert = push_one (f, &f->actor_a, CLIENT_X,
                   mutation ("certification", f->b->id, "upsert", 0, fields));
  assert_rejected (cert, "forbidden");
  blob = push_one (f, &f->actor_a, CLIENT_X,
                   mutation ("certification", f->a->id, "upsert", 0,
                             "{\"status\": \"draft\", \"license_sha256\": \"" SHA "\","
                             " \"license_mime_type\": \"image/png\", \"license_size\": 0,"
                             " \"license_name\": \"l.png\"}"));
  assert_rejected (blob, "blob_missing");
  g_assert_false (crm_server_storage_has_blob (f->storage, f->a->id, SHA, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (crm_server_storage_get_blob (f->storage, f->a->id, SHA, &error));
  g_assert_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND);
}

/* the storage itself: each call with A's id sees nothing of B */
static void
test_storage_scoping (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = g_bytes_new_static ("PNG!", 4);
  g_autoptr (GPtrArray) deals = NULL;
  g_autoptr (GPtrArray) blobs = NULL;
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (CrmServerUser) li = NULL;
  g_autoptr (CrmServerUser) nobody = NULL;
  g_autofree char *result = NULL;
  CrmServerUser forged = { 0 };

  push_applied (f, &f->actor_b, CLIENT_Y,
                mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"B 的客户\"}"));
  push_applied (f, &f->actor_b, CLIENT_Y,
                mutation ("deal", DEAL, "upsert", 0, DEAL_FIELDS ("\"" CONTACT "\"")));
  g_assert_true (crm_server_storage_put_blob (f->storage, f->b->id, SHA, png, &error));
  li = crm_server_storage_add_user (f->storage, f->b->id, "li", "$argon2id$x", &error);
  g_assert_no_error (error);

  deals = crm_server_storage_find_records (f->storage, f->a->id, "deal", "contact_id", CONTACT,
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (deals->len, ==, 0);
  page = crm_server_storage_pull (f->storage, f->a->id, 0, 100, &error);
  g_assert_cmpuint (page->len, ==, 0);
  blobs = crm_server_storage_list_blobs (f->storage, f->a->id, &error);
  g_assert_cmpuint (blobs->len, ==, 0);
  users = crm_server_storage_list_users (f->storage, f->a->id, &error);
  g_assert_cmpuint (users->len, ==, 0);
  g_assert_false (crm_server_storage_has_blob (f->storage, f->a->id, SHA, NULL, &error));
  g_assert_no_error (error);
  nobody = crm_server_storage_find_user (f->storage, f->a->id, "li", &error);
  g_assert_null (nobody);
  g_assert_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a token for B's user under A's company is refused */
  forged = (CrmServerUser) { li->id, f->a->id, li->name, NULL };
  g_assert_false (crm_server_storage_add_token (f->storage, "hash", &forged, "d", &error));
  g_assert_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* B's applied mutations are not A's */
  g_assert_true (crm_server_storage_begin (f->storage, f->b->id, NULL, &error));
  g_assert_true (crm_server_storage_put_result (f->storage, f->b->id, CLIENT_Y, CONTACT, "{}",
                                                &error));
  g_assert_true (crm_server_storage_end (f->storage, TRUE, &error));
  g_assert_true (crm_server_storage_begin (f->storage, f->a->id, NULL, &error));
  result = crm_server_storage_find_result (f->storage, f->a->id, CLIENT_Y, CONTACT, &error);
  g_assert_no_error (error);
  g_assert_null (result);
  g_assert_true (crm_server_storage_end (f->storage, FALSE, &error));
  g_assert_no_error (error);
}

/* rule 6: the certification: statuses a client may set, the review, the lock */
static void
test_certification (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (CrmWireResult) certified = NULL;
  g_autoptr (CrmWireResult) reason = NULL;
  g_autoptr (CrmWireResult) locked = NULL;
  g_autoptr (CrmWireResult) deleted = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerRecord) record = NULL;
  gint64 v1, v2;

  certified = push_one (f, &f->actor_a, CLIENT_X,
                        mutation ("certification", f->a->id, "upsert", 0,
                                  "{\"company_name\": \"阿尔法\", \"status\": \"certified\"}"));
  assert_rejected (certified, "forbidden");
  reason = push_one (f, &f->actor_a, CLIENT_X,
                     mutation ("certification", f->a->id, "upsert", 0,
                               "{\"company_name\": \"阿尔法\", \"reject_reason\": \"x\"}"));
  assert_rejected (reason, "forbidden");

  /* nothing submitted yet: nothing to review */
  g_assert_false (crm_server_certify (f->storage, f->dir, f->a->id, TRUE, NULL, &error));
  g_assert_error (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_INVALID);
  g_clear_error (&error);

  v1 = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("certification", f->a->id, "upsert", 0,
                               "{\"company_name\": \"阿尔法\", \"status\": \"submitted\"}"));
  g_assert_true (crm_server_certify (f->storage, f->dir, f->a->id, FALSE, "执照不清楚",
                                     &error));
  g_assert_no_error (error);
  assert_field (f, f->a->id, "certification", f->a->id, "status", "rejected");
  assert_field (f, f->a->id, "certification", f->a->id, "reject_reason", "执照不清楚");

  /* the server's values sent back unchanged (a resync) are no change */
  v1 = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("certification", f->a->id, "upsert", 0,
                               "{\"company_name\": \"阿尔法公司\", \"status\": \"rejected\","
                               " \"reject_reason\": \"执照不清楚\"}"));
  assert_field (f, f->a->id, "certification", f->a->id, "company_name", "阿尔法公司");
  g_clear_pointer (&reason, crm_wire_result_free);
  reason = push_one (f, &f->actor_a, CLIENT_X,
                     mutation ("certification", f->a->id, "upsert", v1,
                               "{\"reject_reason\": \"没问题\"}"));
  assert_rejected (reason, "forbidden");

  /* submitted again: the old reason goes; then approved */
  v2 = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("certification", f->a->id, "upsert", v1,
                               "{\"status\": \"submitted\"}"));
  assert_field (f, f->a->id, "certification", f->a->id, "reject_reason", "");
  g_assert_true (crm_server_certify (f->storage, f->dir, f->a->id, TRUE, NULL, &error));
  g_assert_no_error (error);
  assert_field (f, f->a->id, "certification", f->a->id, "status", "certified");

  locked = push_one (f, &f->actor_a, CLIENT_X,
                     mutation ("certification", f->a->id, "upsert", v2,
                               "{\"company_name\": \"别的公司\"}"));
  assert_rejected (locked, "locked");
  deleted = push_one (f, &f->actor_a, CLIENT_X,
                      mutation ("certification", f->a->id, "delete", v2, NULL));
  assert_rejected (deleted, "locked");
  assert_field (f, f->a->id, "certification", f->a->id, "company_name", "阿尔法公司");
  record = get_record (f, f->a->id, "certification", f->a->id);
  g_assert_false (record->deleted);

  /* reviewed once: not again */
  g_assert_false (crm_server_certify (f->storage, f->dir, f->a->id, TRUE, NULL, &error));
  g_assert_error (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_INVALID);
}

/* pull: pages by version, next_cursor, has_more, the limit, 410 */
static void
test_pull_paging (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 cursor = 0;
  gint64 base = -1;
  guint pages = 0, seen = 0;
  CrmWirePull *page;

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("c0000000-0000-4000-8000-00000000010%d", i);
      push_applied (f, &f->actor_a, CLIENT_X,
                    mutation ("contact", id, "upsert", 0, "{\"name\": \"客户\"}"));
    }
  do
    {
      page = pull (f, f->a->id, cursor, 2);
      g_assert_cmpuint (page->changes->len, <=, 2);
      for (guint i = 0; i < page->changes->len; i++)
        {
          CrmWireChange *change = page->changes->pdata[i];

          g_assert_cmpint (change->seq, ==, cursor + i + 1);
          g_assert_cmpint (change->version, ==, change->seq);
          g_assert_cmpstr (change->updated_by, ==, "wang");
          g_assert_nonnull (change->updated_at);
        }
      seen += page->changes->len;
      g_assert_cmpint (page->next_cursor, ==, cursor + page->changes->len);
      g_assert_true (page->has_more == (page->next_cursor < 5));
      g_assert_nonnull (page->server_epoch);
      g_assert_cmpint (page->epoch_base, ==, 0);
      cursor = page->next_cursor;
      pages++;
      crm_wire_pull_free (page);
    }
  while (cursor < 5);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (seen, ==, 5);

  /* at the end: nothing, the cursor stays */
  page = pull (f, f->a->id, 5, 500);
  g_assert_cmpuint (page->changes->len, ==, 0);
  g_assert_cmpint (page->next_cursor, ==, 5);
  g_assert_false (page->has_more);
  crm_wire_pull_free (page);

  /* an edited record appears once, at its newest version */
  push_applied (f, &f->actor_a, CLIENT_X,
                mutation ("contact", "c0000000-0000-4000-8000-000000000100", "upsert", 1,
                          "{\"name\": \"新名字\"}"));
  page = pull (f, f->a->id, 0, 1000);
  g_assert_cmpuint (page->changes->len, ==, 5);
  g_assert_cmpint (((CrmWireChange *) page->changes->pdata[4])->seq, ==, 6);
  g_assert_cmpstr (((CrmWireChange *) page->changes->pdata[4])->id, ==,
                   "c0000000-0000-4000-8000-000000000100");
  crm_wire_pull_free (page);

  g_assert_null (crm_server_pull (f->storage, f->a->id, 7, 500, &base, &error));
  g_assert_error (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_CURSOR_EXPIRED);
  g_assert_cmpint (base, ==, 6);
  g_clear_error (&error);
  g_assert_null (crm_server_pull (f->storage, f->a->id, 0, 0, &base, &error));
  g_assert_error (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (crm_server_pull (f->storage, f->a->id, 0, 1001, &base, &error));
  g_assert_error (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_INVALID);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (to, contents, length, &error));
  g_assert_no_error (error);
}

/* the storage file really copied back from an older copy: a new epoch, and
 * each company's epoch_base is what it still has (on PostgreSQL: the
 * database made again from a copy) */
static void
test_epoch_guard (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (f->dir, CRM_SERVER_SQLITE_FILE, NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *backup = g_build_filename (f->dir, "backup.sqlite3", NULL);
  g_autofree char *epoch = NULL;
  g_autofree char *same = NULL;
  g_autofree char *restored = NULL;
  CrmWirePull *page;
  gint64 base = -1;

  push_applied (f, &f->actor_a, CLIENT_X,
                mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"张三\"}"));
  push_applied (f, &f->actor_a, CLIENT_X,
                mutation ("contact", CONTACT2, "upsert", 0, "{\"name\": \"李四\"}"));
  epoch = crm_server_storage_get_epoch (f->storage, &error);
  g_assert_no_error (error);

  /* a restart without a restore keeps the epoch */
  g_assert_true (crm_server_sync_check_epoch (f->storage, f->dir, &error));
  g_assert_no_error (error);
  same = crm_server_storage_get_epoch (f->storage, &error);
  g_assert_cmpstr (same, ==, epoch);

  /* the copy, taken while no writer runs (closing checkpoints the WAL) */
  g_clear_object (&f->storage);
  if (crm_test_pg_wanted ())
    {
      g_autofree char *url = crm_server_storage_read_config (f->dir, NULL);

      crm_test_pg_copy_database (url, FALSE);
    }
  else
    {
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
      copy_file (db, backup);
    }
  fixture_open (f);
  push_applied (f, &f->actor_a, CLIENT_X,
                mutation ("contact", CONTACT, "upsert", 1, "{\"title\": \"经理\"}"));
  push_applied (f, &f->actor_a, CLIENT_X,
                mutation ("contact", CONTACT2, "upsert", 2, "{\"title\": \"总监\"}"));
  g_assert_cmpint (company_seq (f, f->a->id), ==, 4);

  /* the restore */
  g_clear_object (&f->storage);
  if (crm_test_pg_wanted ())
    {
      g_autofree char *url = crm_server_storage_read_config (f->dir, NULL);

      crm_test_pg_copy_database (url, TRUE);
    }
  else
    {
      g_remove (wal);
      g_remove (shm);
      copy_file (backup, db);
    }
  fixture_open (f);
  g_assert_cmpint (company_seq (f, f->a->id), ==, 2);
  g_assert_true (crm_server_sync_check_epoch (f->storage, f->dir, &error));
  g_assert_no_error (error);
  restored = crm_server_storage_get_epoch (f->storage, &error);
  g_assert_nonnull (restored);
  g_assert_cmpstr (restored, !=, epoch);

  /* a client at 4 hears 410 with what the server still has */
  g_assert_null (crm_server_pull (f->storage, f->a->id, 4, 500, &base, &error));
  g_assert_error (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_CURSOR_EXPIRED);
  g_assert_cmpint (base, ==, 2);
  g_clear_error (&error);
  page = pull (f, f->a->id, 0, 500);
  g_assert_cmpstr (page->server_epoch, ==, restored);
  g_assert_cmpint (page->epoch_base, ==, 2);
  g_assert_cmpuint (page->changes->len, ==, 2);
  crm_wire_pull_free (page);

  /* the new history goes on; the next start keeps the new epoch */
  push_applied (f, &f->actor_a, CLIENT_X,
                mutation ("contact", CONTACT, "upsert", 1, "{\"title\": \"经理\"}"));
  g_assert_true (crm_server_sync_check_epoch (f->storage, f->dir, &error));
  g_free (same);
  same = crm_server_storage_get_epoch (f->storage, &error);
  g_assert_cmpstr (same, ==, restored);
}

/* the paid account's end, and the purge three months later */
static void
test_expiry (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerCompany) a = NULL;
  g_autoptr (CrmServerCompany) gone = NULL;
  g_autoptr (CrmServerRecord) b_record = NULL;

  push_applied (f, &f->actor_a, CLIENT_X,
                mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"张三\"}"));
  push_applied (f, &f->actor_b, CLIENT_Y,
                mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"李四\"}"));
  g_assert_true (crm_server_storage_set_expiry (f->storage, f->a->id, "2026-01-31", &error));
  g_assert_no_error (error);
  a = crm_server_storage_find_company (f->storage, "alpha", &error);
  g_assert_cmpstr (a->expires_on, ==, "2026-01-31");
  g_assert_false (crm_server_company_expired (a, "2026-01-30"));
  g_assert_true (crm_server_company_expired (a, "2026-01-31"));
  g_assert_false (crm_server_company_expired (f->b, "2099-01-01"));

  /* three months: to 2026-04-30 (the end of a shorter month) */
  g_assert_cmpint (crm_server_purge_expired (f->storage, "2026-04-30", &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (crm_server_purge_expired (f->storage, "2026-05-01", &error), ==, 1);
  g_assert_no_error (error);
  gone = crm_server_storage_find_company (f->storage, f->a->id, &error);
  g_assert_null (gone);
  g_assert_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND);
  b_record = get_record (f, f->b->id, "contact", CONTACT);
  g_assert_nonnull (b_record);
}

/* a page of long records is cut short of the body a client reads, and
 * the next page goes on from it; the page's fields are the stored text */
static void
test_pull_page_bytes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GPtrArray) mutations = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_mutation_free);
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) notes = g_string_new (NULL);
  gint64 cursor = 0;
  guint pages = 0, total = 0;
  const guint n = 160;   /* some 60 KB each: 9.6 MB in all */

  for (guint i = 0; i < 20000; i++)
    g_string_append (notes, "张");
  for (guint i = 0; i < n; i++)
    {
      CrmWireMutation *m = mutation ("contact", NULL, "upsert", 0, NULL);

      m->id = g_uuid_string_random ();
      json_object_set_string_member (m->fields, "name", "长备注");
      json_object_set_string_member (m->fields, "notes", notes->str);
      g_ptr_array_add (mutations, m);
    }
  results = crm_server_push (f->storage, f->dir, &f->actor_a, CLIENT_X, mutations, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, n);

  do
    {
      g_autoptr (CrmWirePull) page = crm_server_pull_stored (f->storage, f->a->id, cursor,
                                                             1000, NULL, &error);
      g_autoptr (CrmWirePull) parsed = NULL;
      g_autofree char *body = NULL;
      CrmWireChange *last;
      gsize length;

      g_assert_no_error (error);
      g_assert_cmpuint (page->changes->len, >, 0);
      last = g_ptr_array_index (page->changes, page->changes->len - 1);
      g_assert_cmpint (page->next_cursor, ==, last->seq);
      g_assert_nonnull (last->fields_json);
      body = crm_wire_build_pull_response (page, &length);
      g_assert_cmpuint (length, <, CRM_WIRE_MAX_BODY);
      parsed = crm_wire_parse_pull_response (body, length, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (
                         ((CrmWireChange *) parsed->changes->pdata[0])->fields, "notes"),
                       ==, notes->str);
      g_assert_true (page->has_more == (total + page->changes->len < n));
      total += page->changes->len;
      cursor = page->next_cursor;
      pages++;
    }
  while (total < n);
  g_assert_cmpuint (total, ==, n);
  g_assert_cmpuint (pages, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/server-sync/duplicate", test_duplicate);
  ADD ("/server-sync/merge-fields", test_merge_fields);
  ADD ("/server-sync/conflict", test_conflict);
  ADD ("/server-sync/conflict-who", test_conflict_who);
  ADD ("/server-sync/delete-and-back", test_delete_and_back);
  ADD ("/server-sync/contact-with-deals", test_contact_with_deals);
  ADD ("/server-sync/deal-restores-contact", test_deal_restores_contact);
  ADD ("/server-sync/rules", test_rules);
  ADD ("/server-sync/tenant-scoping", test_tenant_scoping);
  ADD ("/server-sync/storage-scoping", test_storage_scoping);
  ADD ("/server-sync/certification", test_certification);
  ADD ("/server-sync/pull-paging", test_pull_paging);
  ADD ("/server-sync/pull-page-bytes", test_pull_page_bytes);
  ADD ("/server-sync/epoch-guard", test_epoch_guard);
  ADD ("/server-sync/expiry", test_expiry);
#undef ADD

  return g_test_run ();
}
