/* test-sync-faults.c — sync under faults, against a real xiaohe-crm-server
 * process: killed with SIGKILL at random points of pushes and restarted,
 * the same push sent twice and at once, an answer lost after the commit,
 * the server's database replaced by an older copy. Nothing is lost and
 * nothing is applied twice.
 *
 * "Applied twice" is read from the server's own file: its company sequence
 * counts every change it committed, and must equal the mutations sent.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "crm-store-sync.h"
#include "crm-test-client.h"
#include "crm-test-proxy.h"

#define SLUG "team"
#define PASSWORD "correct horse 1"

typedef struct
{
  CrmTestServer *server;
  CrmTestClient *a;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, SLUG, "Team");
  crm_test_server_add_user (f->server, SLUG, "wang", PASSWORD);
  crm_test_server_add_user (f->server, SLUG, "li", PASSWORD);
  crm_test_server_start (f->server);
  f->a = crm_test_client_new (f->server, SLUG, "wang", PASSWORD, "a");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  crm_test_client_free (f->a);
  crm_test_server_free (f->server);
}

static void
sync_until_done (CrmTestClient *client)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (GError) error = NULL;

      if (crm_test_client_try_sync (client, &error))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

typedef struct
{
  CrmTestServer *server;
  gboolean       killed;
} Killer;

static gboolean
kill_now (gpointer data)
{
  Killer *killer = data;

  crm_test_server_kill (killer->server);
  killer->killed = TRUE;
  return G_SOURCE_REMOVE;
}

/* 50 times: queue work, start a sync, kill the server at a random moment
 * of it, restart; at the end every change is there once */
static void
test_sigkill (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autoptr (CrmContact) counter = crm_test_add (f->a->store, "计数", NULL, NULL);
  g_autoptr (CrmTestClient) b = NULL;
  g_autoptr (CrmContact) counter_on_b = NULL;
  guint mutations = 1;
  const guint rounds = 50, per_round = 20;

  crm_sync_client_set_batch_size (f->a->sync, 7);   /* several commits a round */
  for (guint round = 0; round < rounds; round++)
    {
      Killer killer = { f->server, FALSE };
      CrmTestWaiter waiter = { FALSE, NULL };
      g_autoptr (CrmContact) fresh = NULL;
      g_autofree char *notes = g_strdup_printf ("round %u", round);
      g_autoptr (GError) error = NULL;

      for (guint i = 0; i < per_round; i++)
        {
          g_autofree char *name = g_strdup_printf ("客户 %02u-%02u", round, i);
          g_autoptr (CrmContact) added = crm_test_add (f->a->store, name, NULL, NULL);
        }
      fresh = crm_store_get_contact (f->a->store, crm_contact_get_id (counter), &error);
      g_assert_no_error (error);
      crm_contact_set_field (fresh, CRM_CONTACT_FIELD_NOTES, notes);
      crm_store_save_contact (f->a->store, fresh, &error);
      g_assert_no_error (error);
      mutations += per_round + 1;

      crm_sync_client_sync_async (f->a->sync, NULL, crm_test_waiter_done, &waiter);
      g_timeout_add (g_rand_int_range (rand, 0, 60), kill_now, &killer);
      crm_test_wait_flag (&killer.killed, 30);
      crm_test_server_start (f->server);
      crm_test_wait_flag (&waiter.done, 120);
      crm_sync_client_sync_finish (f->a->sync, waiter.result, NULL);   /* either way */
      g_object_unref (waiter.result);
    }
  sync_until_done (f->a);
  g_assert_cmpuint (crm_store_outbox_count (f->a->store), ==, 0);

  b = crm_test_client_new (f->server, SLUG, "li", PASSWORD, "b");
  crm_test_client_sync (b);
  g_assert_cmpuint (crm_store_count_contacts (b->store), ==, rounds * per_round + 1);
  for (guint round = 0; round < rounds; round++)
    for (guint i = 0; i < per_round; i++)
      {
        g_autofree char *name = g_strdup_printf ("客户 %02u-%02u", round, i);
        g_autoptr (CrmContact) found = crm_test_client_find (b, name);   /* exactly one */

        g_assert_nonnull (found);
      }
  counter_on_b = crm_test_client_find (b, "计数");
  g_assert_cmpstr (crm_contact_get_field (counter_on_b, CRM_CONTACT_FIELD_NOTES), ==,
                   "round 49");

  crm_test_server_stop (f->server);
  g_assert_cmpint (crm_test_server_company_seq (f->server, "team"), ==, mutations);
}

static char *
status_of (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *result;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), NULL));
  result = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                  "results"), 0);
  return g_strdup (json_object_get_string_member (result, "status"));
}

/* the same push body, twice at once and once more: applied once */
static void
test_same_push_twice (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autofree char *url = g_strdup_printf ("%s/v1/sync/push", crm_test_server_get_url (f->server));
  g_autofree char *client_id = crm_wire_new_uuid ();
  g_autofree char *record_id = crm_wire_new_uuid ();
  g_autofree char *mutation_id = crm_wire_new_uuid ();
  g_autofree char *body = g_strdup_printf (
    "{\"client_id\": \"%s\", \"mutations\": [{\"mutation_id\": \"%s\", \"kind\": \"contact\","
    " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
    " \"fields\": {\"name\": \"同时\"}}]}", client_id, mutation_id, record_id);
  g_autofree char *token = crm_test_server_login (f->server, SLUG, "li", PASSWORD);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr (GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  gint64 before;

  crm_test_server_stop (f->server);
  before = crm_test_server_company_seq (f->server, "team");
  crm_test_server_start (f->server);

  for (guint round = 0; round < 2; round++)
    {
      CrmTestWaiter waiters[2] = { { FALSE, NULL }, { FALSE, NULL } };
      SoupMessage *messages[2];
      guint n = round == 0 ? 2 : 1;   /* at once, then again */

      for (guint i = 0; i < n; i++)
        {
          g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

          messages[i] = soup_message_new ("POST", url);
          soup_message_headers_replace (soup_message_get_request_headers (messages[i]),
                                        "Authorization", auth);
          soup_message_set_request_body_from_bytes (messages[i], "application/json", bytes);
          soup_session_send_and_read_async (session, messages[i], G_PRIORITY_DEFAULT, NULL,
                                            crm_test_waiter_done, &waiters[i]);
        }
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (GBytes) answer = NULL;
          g_autoptr (GError) error = NULL;

          crm_test_wait_flag (&waiters[i].done, 30);
          answer = soup_session_send_and_read_finish (session, waiters[i].result, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (soup_message_get_status (messages[i]), ==, 200);
          g_ptr_array_add (statuses, status_of (answer));
          g_object_unref (waiters[i].result);
          g_object_unref (messages[i]);
        }
    }

  /* one of the three applied it, the others were told it was a repeat */
  g_assert_cmpuint (statuses->len, ==, 3);
  g_assert_true ((g_strcmp0 (statuses->pdata[0], "applied") == 0)
                 != (g_strcmp0 (statuses->pdata[1], "applied") == 0));
  g_assert_cmpstr (statuses->pdata[2], ==, "duplicate");

  crm_test_server_stop (f->server);
  g_assert_cmpint (crm_test_server_company_seq (f->server, "team"), ==, before + 1);
}

/* the server commits, the answer never arrives: the retry applies nothing
 * more, and the client learns the result */
static void
test_answer_lost (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (CrmTestProxy) proxy = NULL;
  g_autoptr (CrmSyncClient) through = NULL;
  g_autoptr (CrmTestClient) b = NULL;
  g_autoptr (CrmContact) seen = NULL;
  CrmTestWaiter waiter = { FALSE, NULL };
  g_autoptr (GError) error = NULL;
  gint64 before;

  crm_test_server_stop (f->server);
  before = crm_test_server_company_seq (f->server, "team");
  crm_test_server_start (f->server);

  proxy = crm_test_proxy_new (crm_test_server_get_url (f->server));
  through = crm_sync_client_new (f->a->store, crm_test_proxy_get_url (proxy));
  crm_sync_client_set_token (through, crm_sync_client_get_token (f->a->sync));
  crm_sync_client_set_retry (through, 8, 20, 400);

  crm_test_add (f->a->store, "丢失的回答", "13800138000", NULL);
  crm_test_add (f->a->store, "第二位", NULL, NULL);
  crm_test_proxy_drop_answers (proxy, "POST /v1/sync/push", 1);
  crm_sync_client_sync_async (through, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  g_assert_true (crm_sync_client_sync_finish (through, waiter.result, &error));
  g_assert_no_error (error);
  g_object_unref (waiter.result);
  g_assert_cmpuint (crm_test_proxy_get_dropped (proxy), ==, 1);
  g_assert_cmpuint (crm_store_outbox_count (f->a->store), ==, 0);

  b = crm_test_client_new (f->server, SLUG, "li", PASSWORD, "b");
  crm_test_client_sync (b);
  seen = crm_test_client_find (b, "丢失的回答");
  g_assert_nonnull (seen);
  g_assert_cmpuint (crm_store_count_contacts (b->store), ==, 2);

  crm_test_server_stop (f->server);
  g_assert_cmpint (crm_test_server_company_seq (f->server, "team"), ==, before + 2);
}

/* the server's database is replaced by an older copy: clients see a new
 * epoch, resync, and give back what the server lost; pending edits stay */
static void
test_restored_server (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (CrmTestClient) b = crm_test_client_new (f->server, SLUG, "li", PASSWORD, "b");
  g_autoptr (CrmContact) first = crm_test_add (f->a->store, "早的", NULL, NULL);
  g_autoptr (CrmContact) later = NULL;
  g_autoptr (CrmContact) fresh = NULL;
  g_autoptr (CrmContact) on_b = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *epoch_before = NULL;
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autofree char *da = NULL;
  g_autofree char *db_dump = NULL;

  crm_test_client_sync (f->a);
  crm_test_client_sync (b);
  crm_test_server_stop (f->server);
  crm_test_server_save_copy (f->server);       /* the backup: knows "早的" only */
  crm_test_server_start (f->server);

  later = crm_test_add (f->a->store, "晚的", NULL, NULL);
  crm_test_client_sync (f->a);                 /* acknowledged, then lost */
  crm_test_client_sync (b);
  info = crm_store_get_sync_info (f->a->store, &error);
  g_assert_no_error (error);
  epoch_before = g_strdup (info->server_epoch);
  g_clear_pointer (&info, crm_sync_info_free);

  crm_test_server_stop (f->server);
  crm_test_server_restore_copy (f->server);    /* restored from the older copy */
  crm_test_server_start (f->server);

  /* a pending edit made meanwhile on a */
  fresh = crm_store_get_contact (f->a->store, crm_contact_get_id (first), &error);
  g_assert_no_error (error);
  crm_contact_set_field (fresh, CRM_CONTACT_FIELD_TITLE, "恢复后编辑");
  crm_store_save_contact (f->a->store, fresh, &error);
  g_assert_no_error (error);

  crm_test_client_sync (f->a);
  info = crm_store_get_sync_info (f->a->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->server_epoch, !=, epoch_before);   /* a new epoch */
  crm_test_client_sync (b);
  crm_test_client_sync (f->a);

  on_b = crm_test_client_find (b, "晚的");        /* given back by a */
  g_assert_nonnull (on_b);
  g_clear_object (&on_b);
  on_b = crm_test_client_find (b, "早的");
  g_assert_nonnull (on_b);
  g_assert_cmpstr (crm_contact_get_field (on_b, CRM_CONTACT_FIELD_TITLE), ==, "恢复后编辑");
  da = crm_test_client_dump (f->a);
  db_dump = crm_test_client_dump (b);
  g_assert_cmpstr (da, ==, db_dump);
  g_assert_cmpuint (crm_store_outbox_count (f->a->store), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sync/faults/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("sigkill", test_sigkill);
  ADD ("same-push-twice", test_same_push_twice);
  ADD ("answer-lost", test_answer_lost);
  ADD ("restored-server", test_restored_server);
#undef ADD

  return g_test_run ();
}
