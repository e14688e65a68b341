/* crm-test-client.c — one computer of a team, for the sync tests
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-store-private.h"
#include "crm-test-client.h"

CrmTestClient *
crm_test_client_new (CrmTestServer *server,
                     const char    *slug,
                     const char    *user,
                     const char    *password,
                     const char    *label)
{
  CrmTestClient *client = g_new0 (CrmTestClient, 1);
  g_autoptr (CrmWireSession) session = NULL;
  g_autoptr (GError) error = NULL;
  CrmTestWaiter waiter = { FALSE, NULL };

  client->ts = crm_test_store_new ();
  client->store = client->ts->store;
  client->label = g_strdup (label);
  client->sync = crm_sync_client_new (client->store, crm_test_server_get_url (server));
  crm_sync_client_set_retry (client->sync, 8, 20, 400);
  crm_sync_client_set_timeout (client->sync, 10);
  if (crm_test_server_get_ca_file (server) != NULL)
    {
      crm_sync_client_set_ca_file (client->sync, crm_test_server_get_ca_file (server), &error);
      g_assert_no_error (error);
    }

  crm_sync_client_login_async (client->sync, slug, user, password, label, NULL,
                               crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  session = crm_sync_client_login_finish (client->sync, waiter.result, &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  return client;
}

gboolean
crm_test_client_try_sync (CrmTestClient  *client,
                          GError        **error)
{
  CrmTestWaiter waiter = { FALSE, NULL };
  gboolean ok;

  crm_sync_client_sync_async (client->sync, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 120);
  ok = crm_sync_client_sync_finish (client->sync, waiter.result, error);
  g_object_unref (waiter.result);
  return ok;
}

void
crm_test_client_sync (CrmTestClient *client)
{
  g_autoptr (GError) error = NULL;

  if (!crm_test_client_try_sync (client, &error))
    g_error ("%s: sync failed: %s", client->label, error->message);
}

void
crm_test_client_edit (CrmTestClient   *client,
                      CrmContact      *contact,
                      CrmContactField  field,
                      const char      *value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) fresh = crm_store_get_contact (client->store,
                                                        crm_contact_get_id (contact), &error);

  g_assert_no_error (error);
  crm_contact_set_field (fresh, field, value);
  crm_store_save_contact (client->store, fresh, &error);
  g_assert_no_error (error);
}

static void
dump_rows (sqlite3    *db,
           const char *sql,
           GString    *out)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", text ? text : "∅");
        }
      g_string_append_c (out, '\n');
    }
}

char *
crm_test_client_dump (CrmTestClient *client)
{
  sqlite3 *db = _crm_store_get_db (client->store);
  GString *out = g_string_new (NULL);

  dump_rows (db, "SELECT id, deleted, name, company, title, mobile, phone, email, wechat, "
                 "address, tags, notes, owner FROM contacts ORDER BY id", out);
  dump_rows (db, "SELECT id, deleted, title, contact_id, amount_fen, currency, stage, "
                 "probability, expected_close, lost_reason, notes, won_at "
                 "FROM deals ORDER BY id", out);
  dump_rows (db, "SELECT id, deleted, contact_id, deal_id, happened_at, kind, notes, "
                 "next_step, next_at, done_at FROM followups ORDER BY id", out);
  dump_rows (db, "SELECT company_name, uscc, legal_representative, address, license_sha256, "
                 "status FROM certification", out);
  return g_string_free (out, FALSE);
}

CrmContact *
crm_test_client_find (CrmTestClient *client,
                      const char    *name)
{
  sqlite3 *db = _crm_store_get_db (client->store);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *id = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM contacts WHERE name = ?1 "
                                           "AND deleted = 0", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);   /* one only */
  return crm_store_get_contact (client->store, id, NULL);
}

guint
crm_test_client_count_rows (CrmTestClient *client,
                            const char    *sql)
{
  sqlite3 *db = _crm_store_get_db (client->store);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

void
crm_test_client_free (CrmTestClient *client)
{
  if (client == NULL)
    return;
  g_clear_object (&client->sync);
  crm_test_store_free (client->ts);
  g_free (client->label);
  g_free (client);
}
