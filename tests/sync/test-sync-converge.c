/* test-sync-converge.c — two and three computers of one team reach the same
 * data through a real xiaohe-crm-server process: creates, merged edits,
 * conflicting edits (the later arrival wins, the other value kept), deletes,
 * an edit after a delete, a deal whose contact was deleted elsewhere,
 * offline edits, follow-ups (logged, edited on both sides, deleted, and one
 * naming another company's contact), and a long random mix
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-store-sync.h"
#include "crm-test-client.h"

#define SLUG "team"
#define PASSWORD "correct horse 1"

typedef struct
{
  CrmTestServer *server;
  CrmTestClient *a;
  CrmTestClient *b;
  CrmTestClient *c;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, SLUG, "Team");
  crm_test_server_add_user (f->server, SLUG, "wang", PASSWORD);
  crm_test_server_add_user (f->server, SLUG, "li", PASSWORD);
  crm_test_server_add_user (f->server, SLUG, "zhao", PASSWORD);
  crm_test_server_start (f->server);
  f->a = crm_test_client_new (f->server, SLUG, "wang", PASSWORD, "a");
  f->b = crm_test_client_new (f->server, SLUG, "li", PASSWORD, "b");
  f->c = crm_test_client_new (f->server, SLUG, "zhao", PASSWORD, "c");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  crm_test_client_free (f->a);
  crm_test_client_free (f->b);
  crm_test_client_free (f->c);
  crm_test_server_free (f->server);
}

static CrmContact *
add_contact (CrmTestClient *client,
             const char    *name,
             const char    *mobile)
{
  return crm_test_add (client->store, name, mobile, NULL);
}

static CrmContact *
get (CrmTestClient *client,
     CrmContact    *contact)
{
  g_autoptr (GError) error = NULL;
  CrmContact *found = crm_store_get_contact (client->store, crm_contact_get_id (contact),
                                             &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static void
assert_same (CrmTestClient *x,
             CrmTestClient *y)
{
  g_autofree char *dx = crm_test_client_dump (x);
  g_autofree char *dy = crm_test_client_dump (y);

  g_assert_cmpstr (dx, ==, dy);
}

static guint
count_conflicts (CrmTestClient *client,
                 const char    *field)
{
  g_autoptr (GPtrArray) conflicts = crm_store_list_conflicts (client->store, NULL);
  guint n = 0;

  g_assert_nonnull (conflicts);
  for (guint i = 0; i < conflicts->len; i++)
    {
      CrmConflict *conflict = g_ptr_array_index (conflicts, i);

      if (g_strcmp0 (conflict->field, field) == 0)
        n++;
    }
  return n;
}

static void
test_creates (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (CrmContact) one = add_contact (f->a, "张三", "13800138000");
  g_autoptr (CrmContact) two = add_contact (f->b, "李四", "13900139000");
  g_autoptr (CrmContact) seen = NULL;

  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);
  crm_test_client_sync (f->a);
  g_assert_cmpuint (crm_store_count_contacts (f->a->store), ==, 2);
  g_assert_cmpuint (crm_store_outbox_count (f->a->store), ==, 0);
  g_assert_cmpuint (crm_store_outbox_count (f->b->store), ==, 0);
  seen = crm_test_client_find (f->b, "张三");
  g_assert_nonnull (seen);
  g_assert_cmpstr (crm_contact_get_field (seen, CRM_CONTACT_FIELD_MOBILE), ==, "13800138000");
  assert_same (f->a, f->b);
}

static void
test_merge_fields (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (CrmContact) contact = add_contact (f->a, "王五", NULL);
  g_autoptr (CrmContact) on_a = NULL;

  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);

  crm_test_client_edit (f->a, contact, CRM_CONTACT_FIELD_TITLE, "经理");
  crm_test_client_edit (f->b, contact, CRM_CONTACT_FIELD_COMPANY, "小禾科技");
  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);
  crm_test_client_sync (f->a);

  on_a = get (f->a, contact);
  g_assert_cmpstr (crm_contact_get_field (on_a, CRM_CONTACT_FIELD_TITLE), ==, "经理");
  g_assert_cmpstr (crm_contact_get_field (on_a, CRM_CONTACT_FIELD_COMPANY), ==, "小禾科技");
  g_assert_cmpuint (count_conflicts (f->a, "title") + count_conflicts (f->b, "title"), ==, 0);
  g_assert_cmpuint (count_conflicts (f->a, "company") + count_conflicts (f->b, "company"),
                    ==, 0);
  assert_same (f->a, f->b);
}

static void
test_same_field (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (CrmContact) contact = add_contact (f->a, "赵六", NULL);
  g_autoptr (CrmContact) on_a = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  CrmConflict *conflict;

  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);

  crm_test_client_edit (f->a, contact, CRM_CONTACT_FIELD_TITLE, "总监");
  crm_test_client_edit (f->b, contact, CRM_CONTACT_FIELD_TITLE, "副总");
  crm_test_client_sync (f->a);     /* arrives first */
  crm_test_client_sync (f->b);     /* arrives later: wins */
  crm_test_client_sync (f->a);

  on_a = get (f->a, contact);
  g_assert_cmpstr (crm_contact_get_field (on_a, CRM_CONTACT_FIELD_TITLE), ==, "副总");
  assert_same (f->a, f->b);

  /* the losing value is kept where the conflict was found */
  conflicts = crm_store_list_conflicts (f->b->store, NULL);
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, "title");
  g_assert_cmpstr (conflict->record_id, ==, crm_contact_get_id (contact));
  g_assert_cmpstr (conflict->lost_value, ==, "\"总监\"");
  g_assert_cmpstr (conflict->kept_value, ==, "\"副总\"");
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (CrmContact) contact = add_contact (f->a, "钱七", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) on_b = NULL;

  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);
  g_assert_cmpuint (crm_store_count_contacts (f->b->store), ==, 1);

  crm_store_delete_contact (f->a->store, contact, &error);
  g_assert_no_error (error);
  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);

  g_assert_cmpuint (crm_store_count_contacts (f->b->store), ==, 0);
  on_b = get (f->b, contact);
  g_assert_true (crm_contact_get_deleted (on_b));
  assert_same (f->a, f->b);
}

static void
test_edit_after_delete (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (CrmContact) contact = add_contact (f->a, "孙八", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) on_a = NULL;

  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);

  crm_store_delete_contact (f->a->store, contact, &error);
  g_assert_no_error (error);
  crm_test_client_edit (f->b, contact, CRM_CONTACT_FIELD_NOTES, "下周回访");
  crm_test_client_sync (f->a);     /* the delete arrives first */
  crm_test_client_sync (f->b);     /* the edit brings it back */
  crm_test_client_sync (f->a);

  on_a = get (f->a, contact);
  g_assert_false (crm_contact_get_deleted (on_a));
  g_assert_cmpstr (crm_contact_get_field (on_a, CRM_CONTACT_FIELD_NOTES), ==, "下周回访");
  g_assert_cmpuint (crm_store_count_contacts (f->a->store), ==, 1);
  g_assert_cmpuint (count_conflicts (f->b, "deleted"), ==, 1);   /* flagged */
  assert_same (f->a, f->b);
}

static void
test_deal_of_deleted_contact (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (CrmContact) contact = add_contact (f->a, "周九", NULL);
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDeal) on_a = NULL;
  g_autoptr (CrmContact) contact_on_a = NULL;

  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);

  /* a deletes the contact while b, offline, opens a deal with it */
  crm_store_delete_contact (f->a->store, contact, &error);
  g_assert_no_error (error);
  crm_deal_set_title (deal, "年度采购");
  crm_deal_set_contact_id (deal, crm_contact_get_id (contact));
  crm_deal_set_amount (deal, 1234500);
  crm_deal_set_probability (deal, 40);
  crm_store_save_deal (f->b->store, deal, &error);
  g_assert_no_error (error);

  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);
  crm_test_client_sync (f->a);

  /* no orphan: the deal keeps its contact, which is back on both sides */
  on_a = crm_store_get_deal (f->a->store, crm_deal_get_id (deal), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_deal_get_contact_id (on_a), ==, crm_contact_get_id (contact));
  g_assert_cmpint (crm_deal_get_amount (on_a), ==, 1234500);
  contact_on_a = get (f->a, contact);
  g_assert_false (crm_contact_get_deleted (contact_on_a));
  assert_same (f->a, f->b);
}

static void
test_offline_queue (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (CrmContact) contact = add_contact (f->a, "吴十", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) on_b = NULL;

  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);

  crm_test_server_stop (f->server);
  crm_sync_client_set_retry (f->a->sync, 2, 10, 20);
  for (guint i = 1; i <= 1000; i++)
    {
      g_autofree char *notes = g_strdup_printf ("第 %u 次", i);

      crm_test_client_edit (f->a, contact, CRM_CONTACT_FIELD_NOTES, notes);
    }
  g_assert_cmpuint (crm_store_outbox_count (f->a->store), ==, 1000);
  g_assert_false (crm_test_client_try_sync (f->a, &error));   /* offline: kept */
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE);
  g_assert_cmpint (crm_sync_client_get_state (f->a->sync), ==, CRM_SYNC_STATUS_OFFLINE);
  g_assert_cmpuint (crm_store_outbox_count (f->a->store), ==, 1000);

  crm_test_server_start (f->server);
  crm_sync_client_set_retry (f->a->sync, 8, 20, 400);
  crm_sync_client_set_batch_size (f->a->sync, 128);   /* several batches, in order */
  crm_test_client_sync (f->a);
  g_assert_cmpuint (crm_store_outbox_count (f->a->store), ==, 0);
  g_assert_cmpint (crm_sync_client_get_state (f->a->sync), ==, CRM_SYNC_STATUS_IDLE);
  crm_test_client_sync (f->b);
  on_b = get (f->b, contact);
  g_assert_cmpstr (crm_contact_get_field (on_b, CRM_CONTACT_FIELD_NOTES), ==, "第 1000 次");
  assert_same (f->a, f->b);
}

/* a long random mix on three computers, synced in a random order, then
 * twice all round: everyone agrees */
static void
test_three_random (Fixture       *f,
                   gconstpointer  data)
{
  CrmTestClient *clients[3] = { f->a, f->b, f->c };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261129);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint round = 0; round < 12; round++)
    {
      for (guint step = 0; step < 10; step++)
        {
          CrmTestClient *client = clients[g_rand_int_range (rand, 0, 3)];
          guint what = g_rand_int_range (rand, 0, 10);
          g_autoptr (CrmContact) contact = NULL;
          g_autoptr (GError) error = NULL;

          if (ids->len > 0)
            contact = crm_store_get_contact (client->store,
                                             g_ptr_array_index (ids,
                                               g_rand_int_range (rand, 0, ids->len)),
                                             NULL);
          if (what < 3 || contact == NULL)
            {
              g_autofree char *name = g_strdup_printf ("客户%u-%u", round, step);
              g_autoptr (CrmContact) added = add_contact (client, name, NULL);

              g_ptr_array_add (ids, g_strdup (crm_contact_get_id (added)));
            }
          else if (what < 9)
            {
              static const CrmContactField fields[] = {
                CRM_CONTACT_FIELD_TITLE, CRM_CONTACT_FIELD_COMPANY, CRM_CONTACT_FIELD_NOTES,
                CRM_CONTACT_FIELD_TAGS,
              };
              g_autofree char *value = g_strdup_printf ("%c%u", 'a' + (int) what, round);

              if (crm_contact_get_deleted (contact))
                crm_store_restore_contact (client->store, contact, &error);
              else
                crm_test_client_edit (client, contact,
                                      fields[g_rand_int_range (rand, 0, 4)], value);
            }
          else if (!crm_contact_get_deleted (contact))
            crm_store_delete_contact (client->store, contact, &error);
          g_assert_no_error (error);
        }
      crm_test_client_sync (clients[g_rand_int_range (rand, 0, 3)]);
    }

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < 3; i++)
      crm_test_client_sync (clients[i]);

  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (crm_store_outbox_count (clients[i]->store), ==, 0);
  assert_same (f->a, f->b);
  assert_same (f->b, f->c);
  g_assert_cmpuint (crm_test_client_count_rows (f->a, "SELECT count(*) FROM contacts"),
                    ==, ids->len);
}

static CrmFollowup *
get_followup (CrmTestClient *client,
              const char    *id)
{
  g_autoptr (GError) error = NULL;
  CrmFollowup *found = crm_store_get_followup (client->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static void
save_followup (CrmTestClient *client,
               CrmFollowup   *followup)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_store_save_followup (client->store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
}

/* a follow-up travels as every record: logged on a, seen on b; the notes
 * edited on both, the later arrival kept and the other value in a
 * conflict; a snooze stays on its computer; a delete reaches the other */
static void
test_followups (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (CrmContact) contact = add_contact (f->a, "孙八", NULL);
  g_autoptr (CrmFollowup) logged = crm_followup_new ();
  g_autoptr (CrmFollowup) on_a = NULL;
  g_autoptr (CrmFollowup) on_b = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  CrmConflict *conflict;
  const char *id;

  crm_followup_set_contact_id (logged, crm_contact_get_id (contact));
  crm_followup_set_kind (logged, CRM_FOLLOWUP_VISIT);
  crm_followup_set_notes (logged, "拜访，谈了报价");
  crm_followup_set_next_step (logged, "寄样品");
  crm_followup_set_next_at (logged, "2026-12-01T02:00:00Z");
  save_followup (f->a, logged);
  id = crm_followup_get_id (logged);
  crm_test_client_sync (f->a);
  crm_test_client_sync (f->b);
  g_assert_cmpuint (crm_store_outbox_count (f->b->store), ==, 0);
  on_b = get_followup (f->b, id);
  g_assert_cmpstr (crm_followup_get_contact_name (on_b), ==, "孙八");
  g_assert_cmpint (crm_followup_get_kind (on_b), ==, CRM_FOLLOWUP_VISIT);
  g_assert_cmpstr (crm_followup_get_notes (on_b), ==, "拜访，谈了报价");
  g_assert_cmpstr (crm_followup_get_next_step (on_b), ==, "寄样品");
  g_assert_cmpstr (crm_followup_get_next_at (on_b), ==, "2026-12-01T02:00:00Z");
  assert_same (f->a, f->b);

  on_a = get_followup (f->a, id);
  crm_followup_set_notes (on_a, "说要报价");
  save_followup (f->a, on_a);
  crm_followup_set_notes (on_b, "说再联系");
  save_followup (f->b, on_b);
  g_assert_true (crm_store_snooze_followup (f->b->store, on_b, "2026-12-01T03:00:00Z", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_outbox_count (f->b->store), ==, 1);   /* the snooze: none */
  crm_test_client_sync (f->a);     /* arrives first */
  crm_test_client_sync (f->b);     /* arrives later: wins */
  crm_test_client_sync (f->a);
  g_clear_object (&on_a);
  on_a = get_followup (f->a, id);
  g_assert_cmpstr (crm_followup_get_notes (on_a), ==, "说再联系");
  g_assert_null (crm_followup_get_snoozed_until (on_a));
  assert_same (f->a, f->b);
  conflicts = crm_store_list_conflicts (f->b->store, NULL);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (conflict->kind, ==, CRM_WIRE_KIND_FOLLOWUP);
  g_assert_cmpstr (conflict->record_id, ==, id);
  g_assert_cmpstr (conflict->field, ==, "notes");
  g_assert_cmpstr (conflict->lost_value, ==, "\"说要报价\"");
  g_assert_cmpstr (conflict->kept_value, ==, "\"说再联系\"");

  g_assert_true (crm_store_delete_followup (f->b->store, on_b, &error));
  g_assert_no_error (error);
  crm_test_client_sync (f->b);
  crm_test_client_sync (f->a);
  g_assert_null (crm_store_get_followup (f->a->store, id, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  assert_same (f->a, f->b);
}

/* a follow-up naming another company's contact (written past the store's
 * own check) is refused by the server and kept here, marked, stored nowhere */
static void
test_followup_other_company (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (CrmTestClient) other = NULL;
  g_autoptr (CrmContact) theirs = NULL;
  g_autoptr (GPtrArray) rejections = NULL;
  g_autofree char *sql = NULL;
  CrmOutboxRejection *rejection;

  crm_test_server_add_company (f->server, "other", "Other");
  crm_test_server_add_user (f->server, "other", "qian", PASSWORD);
  other = crm_test_client_new (f->server, "other", "qian", PASSWORD, "other");
  theirs = add_contact (other, "别家的客户", NULL);
  crm_test_client_sync (other);

  sql = g_strdup_printf ("INSERT INTO followups (id, contact_id, happened_at, kind, notes,"
                         " created_at, updated_at) VALUES ('%s', '%s', '2026-11-29T08:00:00Z',"
                         " 'call', '打听', '2026-11-29T08:00:00Z', '2026-11-29T08:00:00Z')",
                         "6f1c6bd0-0000-4000-8000-0000000000f1", crm_contact_get_id (theirs));
  crm_test_exec (f->a->store, sql);
  g_assert_cmpuint (crm_store_outbox_count (f->a->store), ==, 1);
  crm_test_client_sync (f->a);
  g_assert_cmpuint (crm_store_outbox_count (f->a->store), ==, 0);
  rejections = crm_store_outbox_rejections (f->a->store, NULL);
  g_assert_cmpuint (rejections->len, ==, 1);
  rejection = g_ptr_array_index (rejections, 0);
  g_assert_true (g_str_has_prefix (rejection->last_error, "unknown_contact"));

  crm_test_client_sync (f->b);
  crm_test_client_sync (other);
  g_assert_cmpuint (crm_test_client_count_rows (f->b, "SELECT count(*) FROM followups"), ==, 0);
  g_assert_cmpuint (crm_test_client_count_rows (other, "SELECT count(*) FROM followups"), ==,
                    0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sync/converge/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("creates", test_creates);
  ADD ("merge-fields", test_merge_fields);
  ADD ("same-field", test_same_field);
  ADD ("delete", test_delete);
  ADD ("edit-after-delete", test_edit_after_delete);
  ADD ("deal-of-deleted-contact", test_deal_of_deleted_contact);
  ADD ("offline-queue", test_offline_queue);
  ADD ("followups", test_followups);
  ADD ("followup-other-company", test_followup_other_company);
  ADD ("three-random", test_three_random);
#undef ADD

  return g_test_run ();
}
