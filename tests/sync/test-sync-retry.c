/* test-sync-retry.c — the sync engine when the network or the server fails:
 * backoff until a stopped server is back, giving up after the last attempt,
 * an answer lost on the way (the same batch again, applied once), a cancel
 * during a wait, a second call joining the round, a row the server refuses;
 * a hostile server: an answer that never ends, one that drips a byte at a
 * time, a change feed that always has more
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against a real xiaohe-crm-server; the lost answer through tests/lib's
 * TCP relay (crm-test-proxy.c), which closes the connection when the
 * server's answer starts; 429 and 5xx with Retry-After, and the hostile
 * answers, from a small loopback SoupServer, since the real server gives
 * none of them.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "crm-store-private.h"
#include "crm-store-sync.h"
#include "crm-sync-client-private.h"
#include "crm-test-client.h"
#include "crm-test-proxy.h"

#define SLUG     "acme"
#define USER     "wang"
#define PASSWORD "correct horse 电池"

static CrmTestServer *
new_server (void)
{
  CrmTestServer *server = crm_test_server_new ();

  crm_test_server_add_company (server, SLUG, "Acme 小禾");
  crm_test_server_add_user (server, SLUG, USER, PASSWORD);
  crm_test_server_start (server);
  return server;
}

static guint
outbox_pending (CrmTestClient *client)
{
  return crm_test_client_count_rows (client,
                                     "SELECT count(*) FROM outbox WHERE state = 'pending'");
}

static guint
outbox_attempts (CrmTestClient *client)
{
  return crm_test_client_count_rows (client, "SELECT coalesce (max (attempts), 0) FROM outbox");
}

typedef struct
{
  CrmTestClient *client;
  guint          attempts;
} AttemptsAtLeast;

static gboolean
attempts_at_least (gpointer data)
{
  AttemptsAtLeast *wait = data;

  return outbox_attempts (wait->client) >= wait->attempts;
}

static void
test_back_after_restart (void)
{
  g_autoptr (CrmTestServer) server = new_server ();
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmTestClient) b = crm_test_client_new (server, SLUG, USER, PASSWORD, "b");
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  AttemptsAtLeast wait = { a, 2 };
  CrmTestWaiter waiter = { FALSE, NULL };

  crm_test_server_kill (server);
  contact = crm_test_add (a->store, "王五", "13800138002", NULL);
  crm_sync_client_set_retry (a->sync, 50, 20, 200);
  crm_sync_client_sync_async (a->sync, NULL, crm_test_waiter_done, &waiter);
  g_assert_cmpint (crm_sync_client_get_state (a->sync), ==, CRM_SYNC_STATUS_SYNCING);

  /* it keeps trying while the server is down */
  crm_test_wait_until (attempts_at_least, &wait, 30);
  g_assert_false (waiter.done);
  g_assert_cmpint (crm_sync_client_get_state (a->sync), ==, CRM_SYNC_STATUS_SYNCING);

  crm_test_server_start (server);
  crm_test_wait_flag (&waiter.done, 60);
  g_assert_true (crm_sync_client_sync_finish (a->sync, waiter.result, &error));
  g_assert_no_error (error);
  g_object_unref (waiter.result);
  g_assert_cmpint (crm_sync_client_get_state (a->sync), ==, CRM_SYNC_STATUS_IDLE);
  g_assert_cmpuint (outbox_pending (a), ==, 0);

  crm_test_client_sync (b);
  g_clear_object (&contact);
  contact = crm_test_client_find (b, "王五");
  g_assert_nonnull (contact);
}

static void
test_give_up (void)
{
  g_autoptr (CrmTestServer) server = new_server ();
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error = NULL;

  crm_test_server_kill (server);
  contact = crm_test_add (a->store, "赵六", "13800138003", NULL);
  crm_sync_client_set_retry (a->sync, 3, 10, 40);
  g_assert_false (crm_test_client_try_sync (a, &error));
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE);
  g_assert_cmpint (crm_sync_client_get_state (a->sync), ==, CRM_SYNC_STATUS_OFFLINE);
  g_assert_cmpstr (crm_sync_client_get_error_message (a->sync), ==, error->message);
  /* exactly max_attempts */
  g_assert_cmpuint (outbox_attempts (a), ==, 3);
  g_assert_cmpuint (outbox_pending (a), ==, 1);
}

static void
test_lost_answer (void)
{
  g_autoptr (CrmTestServer) server = new_server ();
  g_autoptr (CrmTestProxy) proxy = crm_test_proxy_new (crm_test_server_get_url (server));
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmTestClient) b = crm_test_client_new (server, SLUG, USER, PASSWORD, "b");
  g_autoptr (CrmSyncClient) relayed = crm_sync_client_new (a->store,
                                                           crm_test_proxy_get_url (proxy));
  g_autoptr (CrmContact) first = NULL;
  g_autoptr (CrmContact) second = NULL;
  g_autoptr (GError) error = NULL;
  CrmTestWaiter waiter = { FALSE, NULL };

  crm_sync_client_set_token (relayed, crm_sync_client_get_token (a->sync));
  crm_sync_client_set_retry (relayed, 4, 10, 40);
  /* the relay may leave a dropped connection open rather than closing it:
   * then the lost answer is a timeout, which is no answer just the same */
  crm_sync_client_set_timeout (relayed, 2);
  first = crm_test_add (a->store, "孙七", "13800138004", NULL);
  second = crm_test_add (a->store, "周八", "13800138005", NULL);
  crm_test_proxy_drop_answers (proxy, "POST /v1/sync/push", 2);

  crm_sync_client_sync_async (relayed, NULL, crm_test_waiter_done, &waiter);
  crm_test_wait_flag (&waiter.done, 60);
  g_assert_true (crm_sync_client_sync_finish (relayed, waiter.result, &error));
  g_assert_no_error (error);
  g_object_unref (waiter.result);
  g_assert_cmpuint (crm_test_proxy_get_dropped (proxy), ==, 2);
  g_assert_cmpuint (outbox_pending (a), ==, 0);

  /* applied once each: one copy of each on the other computer */
  crm_test_client_sync (b);
  g_assert_cmpuint (crm_test_client_count_rows (b, "SELECT count(*) FROM contacts"), ==, 2);
  g_clear_object (&first);
  first = crm_test_client_find (b, "孙七");
  g_assert_nonnull (first);
  g_assert_cmpint (crm_contact_get_server_version (first), >, 0);
}

static void
test_cancel_while_waiting (void)
{
  g_autoptr (CrmTestServer) server = new_server ();
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  AttemptsAtLeast wait = { a, 1 };
  CrmTestWaiter waiter = { FALSE, NULL };

  crm_test_server_kill (server);
  contact = crm_test_add (a->store, "吴九", "13800138006", NULL);
  /* waits of 10 minutes: only the cancel can end this within the deadline */
  crm_sync_client_set_retry (a->sync, 6, 600000, 600000);
  crm_sync_client_sync_async (a->sync, cancellable, crm_test_waiter_done, &waiter);
  crm_test_wait_until (attempts_at_least, &wait, 30);
  g_assert_false (waiter.done);

  g_cancellable_cancel (cancellable);
  crm_test_wait_flag (&waiter.done, 10);
  g_assert_false (crm_sync_client_sync_finish (a->sync, waiter.result, &error));
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED);
  g_object_unref (waiter.result);
  g_assert_cmpint (crm_sync_client_get_state (a->sync), ==, CRM_SYNC_STATUS_IDLE);
  g_assert_cmpuint (outbox_attempts (a), ==, 1);
  g_assert_cmpuint (outbox_pending (a), ==, 1);
}

static void
test_join (void)
{
  g_autoptr (CrmTestServer) server = new_server ();
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error1 = NULL;
  g_autoptr (GError) error2 = NULL;
  CrmTestWaiter first = { FALSE, NULL };
  CrmTestWaiter second = { FALSE, NULL };

  crm_test_server_kill (server);
  contact = crm_test_add (a->store, "郑十", "13800138007", NULL);
  crm_sync_client_set_retry (a->sync, 3, 10, 40);
  crm_sync_client_sync_async (a->sync, NULL, crm_test_waiter_done, &first);
  crm_sync_client_sync_async (a->sync, NULL, crm_test_waiter_done, &second);
  crm_test_wait_flag (&first.done, 60);
  crm_test_wait_flag (&second.done, 60);
  g_assert_false (crm_sync_client_sync_finish (a->sync, first.result, &error1));
  g_assert_false (crm_sync_client_sync_finish (a->sync, second.result, &error2));
  g_assert_error (error1, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE);
  g_assert_error (error2, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE);
  g_object_unref (first.result);
  g_object_unref (second.result);
  /* one round: three attempts, not six */
  g_assert_cmpuint (outbox_attempts (a), ==, 3);
}

/* a row that no longer passes the server's parser (say, written by a
 * version that knew a field this server does not) */
static void
insert_bad_row (CrmTestClient *client)
{
  g_autofree char *mutation = crm_wire_new_uuid ();
  g_autofree char *record = crm_wire_new_uuid ();
  g_autofree char *sql = NULL;
  char *message = NULL;

  sql = g_strdup_printf ("INSERT INTO outbox (mutation_id, kind, record_id, op, fields_json) "
                         "VALUES ('%s', 'contact', '%s', 'upsert', "
                         "'{\"name\": \"坏\", \"no_such_field\": 1}')", mutation, record);
  g_assert_cmpint (sqlite3_exec (_crm_store_get_db (client->store), sql, NULL, NULL, &message),
                   ==, SQLITE_OK);
  g_assert_null (message);
}

static void
test_refused_row (void)
{
  g_autoptr (CrmTestServer) server = new_server ();
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmTestClient) b = crm_test_client_new (server, SLUG, USER, PASSWORD, "b");
  g_autoptr (CrmContact) c1 = NULL;
  g_autoptr (CrmContact) c2 = NULL;
  g_autoptr (GPtrArray) rejected = NULL;
  g_autoptr (GError) error = NULL;
  CrmOutboxRejection *r;

  c1 = crm_test_add (a->store, "甲", "13800138008", NULL);
  insert_bad_row (a);
  c2 = crm_test_add (a->store, "乙", "13800138009", NULL);
  g_assert_cmpuint (outbox_pending (a), ==, 3);

  /* the batch of three is refused whole; one by one, two go */
  crm_test_client_sync (a);
  g_assert_cmpuint (outbox_pending (a), ==, 0);
  rejected = crm_store_outbox_rejections (a->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, ==, 1);
  r = g_ptr_array_index (rejected, 0);
  g_assert_nonnull (strstr (r->last_error, "malformed"));

  crm_test_client_sync (b);
  g_assert_cmpuint (crm_test_client_count_rows (b, "SELECT count(*) FROM contacts"), ==, 2);
}

/* rows far over what one push may carry: the batch is halved until each
 * goes alone, and one that is still too large is marked, not retried */
static void
test_too_large (void)
{
  g_autoptr (CrmTestServer) server = new_server ();
  g_autoptr (CrmTestClient) a = crm_test_client_new (server, SLUG, USER, PASSWORD, "a");
  g_autoptr (CrmTestClient) b = crm_test_client_new (server, SLUG, USER, PASSWORD, "b");
  g_autoptr (CrmContact) last = NULL;
  g_autoptr (GPtrArray) rejected = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *notes = g_strnfill (6 * 1024 * 1024, 'x');

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *mutation = crm_wire_new_uuid ();
      g_autofree char *record = crm_wire_new_uuid ();
      g_autofree char *sql = NULL;

      sql = g_strdup_printf ("INSERT INTO outbox (mutation_id, kind, record_id, op, fields_json)"
                             " VALUES ('%s', 'contact', '%s', 'upsert',"
                             " '{\"name\": \"大\", \"notes\": \"%s\"}')",
                             mutation, record, notes);
      g_assert_cmpint (sqlite3_exec (_crm_store_get_db (a->store), sql, NULL, NULL, NULL),
                       ==, SQLITE_OK);
    }
  last = crm_test_add (a->store, "小", "13800138012", NULL);
  g_assert_cmpuint (outbox_pending (a), ==, 4);

  crm_test_client_sync (a);
  g_assert_cmpuint (outbox_pending (a), ==, 0);
  rejected = crm_store_outbox_rejections (a->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, ==, 3);

  crm_test_client_sync (b);
  g_clear_object (&last);
  last = crm_test_client_find (b, "小");
  g_assert_nonnull (last);
}

/* A loopback HTTP server that answers the first @fail requests with
 * @status and "Retry-After: 1", then 401: the faults a real server gives
 * only under load. Or, as @mode says, a hostile server. */
typedef enum
{
  FAULT_STATUS,
  FAULT_HUGE,       /* 200 with a Content-Length over the protocol's limit */
  FAULT_ENDLESS,    /* 200, chunked, pieces until 4 × the limit, then nothing */
  FAULT_DRIP,       /* 200, Content-Length 1,000, a byte every 50 ms */
  FAULT_FOREVER,    /* pull pages of one change, the cursor moved by one, has_more */
  FAULT_SKIP,       /* a last pull page with no change and next_cursor 1000 */
} FaultMode;

#define ENDLESS_CAP  (4 * (guint64) CRM_WIRE_MAX_BODY)
#define DRIP_LENGTH  1000
#define EPOCH        "0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c01"
#define RECORD       "0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c03"

typedef struct
{
  guint      requests;
  guint      fail;
  guint      status;
  FaultMode  mode;
  /* the client's limits for the round (0: as they are) and the rounds */
  guint      deadline_ms;
  guint      max_pages;
  guint      rounds;
  /* what the server saw or did */
  guint64    sent;        /* ENDLESS: body bytes queued */
  GArray    *cursors;     /* (element-type gint64) FOREVER: the cursors asked for */
  GPtrArray *drips;       /* (element-type Drip) */
  GBytes    *piece;
} Faults;

typedef struct
{
  SoupServerMessage *msg;
  guint              timer;
  guint              sent;
} Drip;

static void
drip_stop (Drip *drip)
{
  g_clear_handle_id (&drip->timer, g_source_remove);
  if (drip->msg != NULL)
    g_signal_handlers_disconnect_by_data (drip->msg, drip);
  g_clear_object (&drip->msg);
}

static void
drip_free (Drip *drip)
{
  drip_stop (drip);
  g_free (drip);
}

static gboolean
on_drip (gpointer data)
{
  Drip *drip = data;

  soup_message_body_append (soup_server_message_get_response_body (drip->msg),
                            SOUP_MEMORY_STATIC, " ", 1);
  soup_server_message_unpause (drip->msg);
  if (++drip->sent < DRIP_LENGTH)
    return G_SOURCE_CONTINUE;
  drip->timer = 0;
  return G_SOURCE_REMOVE;
}

static void
on_drip_finished (SoupServerMessage *msg,
                  gpointer           data)
{
  drip_stop (data);
}

static void
on_endless_chunk (SoupServerMessage *msg,
                  gpointer           data)
{
  Faults *faults = data;

  /* past the cap, nothing more: the server waits for ever */
  if (faults->sent >= ENDLESS_CAP)
    return;
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), faults->piece);
  faults->sent += g_bytes_get_size (faults->piece);
}

/* one page of one change just after @cursor, with more to come */
static char *
forever_page (gint64 cursor)
{
  return g_strdup_printf ("{\"server_epoch\": \"" EPOCH "\", \"epoch_base\": 0, "
                          "\"changes\": [{\"seq\": %" G_GINT64_FORMAT ", "
                          "\"kind\": \"contact\", \"id\": \"" RECORD "\", "
                          "\"version\": %" G_GINT64_FORMAT ", \"deleted\": false, "
                          "\"fields\": {\"name\": \"张三\"}, \"updated_by\": \"wang\", "
                          "\"updated_at\": \"2026-11-29T08:00:00Z\"}], "
                          "\"next_cursor\": %" G_GINT64_FORMAT ", \"has_more\": true}",
                          cursor + 1, cursor + 1, cursor + 1);
}

static void
on_fault_request (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           data)
{
  static const char busy[] = "{\"error\": \"throttled\", \"message\": \"busy\"}";
  static const char gone[] = "{\"error\": \"unauthorized\", \"message\": \"no token\"}";
  static const char skip[] = "{\"server_epoch\": \"" EPOCH "\", \"changes\": [], "
                             "\"next_cursor\": 1000, \"has_more\": false}";
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Faults *faults = data;

  faults->requests++;
  switch (faults->mode)
    {
    case FAULT_HUGE:
      {
        gsize size = CRM_WIRE_MAX_BODY + 1024 * 1024;

        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                          g_strnfill (size, ' '), size);
        return;
      }

    case FAULT_ENDLESS:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_endless_chunk), faults);
      on_endless_chunk (msg, faults);
      return;

    case FAULT_DRIP:
      {
        Drip *drip = g_new0 (Drip, 1);

        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_message_headers_set_content_type (headers, "application/json", NULL);
        soup_message_headers_set_content_length (headers, DRIP_LENGTH);
        drip->msg = g_object_ref (msg);
        drip->timer = g_timeout_add (50, on_drip, drip);
        g_signal_connect (msg, "finished", G_CALLBACK (on_drip_finished), drip);
        g_ptr_array_add (faults->drips, drip);
        return;
      }

    case FAULT_FOREVER:
      if (g_str_equal (path, "/v1/sync/pull"))
        {
          const char *text = query != NULL ? g_hash_table_lookup (query, "cursor") : NULL;
          gint64 cursor = text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
          char *page = forever_page (cursor);

          g_array_append_val (faults->cursors, cursor);
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                            page, strlen (page));
          return;
        }
      break;

    case FAULT_SKIP:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        skip, strlen (skip));
      return;

    case FAULT_STATUS:
      if (faults->requests <= faults->fail)
        {
          soup_server_message_set_status (msg, faults->status, NULL);
          soup_message_headers_replace (headers, "Retry-After", "1");
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                            busy, strlen (busy));
          return;
        }
      break;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    gone, strlen (gone));
}

/* @faults->rounds rounds (at least one) against @faults, each of which must
 * fail; the error the last ends with, and the seconds they all took; the
 * stored cursor after them in @cursor if not NULL */
static GError *
sync_with_faults_full (Faults  *faults,
                       guint    max_attempts,
                       double  *seconds,
                       gint64  *cursor)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSyncClient) sync = NULL;
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autofree char *url = NULL;
  g_autofree char *piece = g_strnfill (64 * 1024, '[');
  CrmTestStore *ts = crm_test_store_new ();
  GSList *uris;
  GError *result_error = NULL;
  gint64 start;

  faults->cursors = g_array_new (FALSE, FALSE, sizeof (gint64));
  faults->drips = g_ptr_array_new_with_free_func ((GDestroyNotify) drip_free);
  faults->piece = g_bytes_new (piece, 64 * 1024);
  soup_server_add_handler (server, NULL, on_fault_request, faults, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  sync = crm_sync_client_new (ts->store, url);
  crm_sync_client_set_token (sync, "not-a-token");
  /* waits of at most 20 ms, unless the answer asks for more */
  crm_sync_client_set_retry (sync, max_attempts, 10, 20);
  if (faults->deadline_ms != 0 || faults->max_pages != 0)
    _crm_sync_client_set_limits (sync, faults->deadline_ms,
                                 faults->max_pages != 0 ? faults->max_pages : 10000);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < MAX (faults->rounds, 1); i++)
    {
      CrmTestWaiter waiter = { FALSE, NULL };

      g_clear_error (&result_error);
      crm_sync_client_sync_async (sync, NULL, crm_test_waiter_done, &waiter);
      /* a round that does not end fails here */
      crm_test_wait_flag (&waiter.done, 30);
      g_assert_false (crm_sync_client_sync_finish (sync, waiter.result, &result_error));
      g_object_unref (waiter.result);
    }
  *seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  info = crm_store_get_sync_info (ts->store, &error);
  g_assert_no_error (error);
  if (cursor != NULL)
    *cursor = info->cursor;
  g_clear_object (&sync);
  soup_server_disconnect (server);
  g_clear_pointer (&faults->drips, g_ptr_array_unref);
  g_clear_pointer (&faults->piece, g_bytes_unref);
  crm_test_store_free (ts);
  return result_error;
}

static GError *
sync_with_faults (Faults  *faults,
                  guint    max_attempts,
                  double  *seconds)
{
  GError *error = sync_with_faults_full (faults, max_attempts, seconds, NULL);

  g_clear_pointer (&faults->cursors, g_array_unref);
  return error;
}

static void
test_retry_after (void)
{
  const guint statuses[] = { 429, 500, 502, 503, 504 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      Faults faults = { 0, 2, statuses[i], FAULT_STATUS };
      g_autoptr (GError) error = NULL;
      double seconds;

      g_test_message ("%u", statuses[i]);
      /* two faults, each answer asking for a second: retried after at least 2 s */
      error = sync_with_faults (&faults, 6, &seconds);
      g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED);
      g_assert_cmpuint (faults.requests, ==, 3);
      g_assert_cmpfloat (seconds, >=, 2.0);
    }
}

static void
test_retry_exhausted (void)
{
  Faults throttled = { 0, 100, 429, FAULT_STATUS };
  Faults broken = { 0, 100, 503, FAULT_STATUS };
  g_autoptr (GError) error = NULL;
  double seconds;

  error = sync_with_faults (&throttled, 2, &seconds);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_THROTTLED);
  g_assert_cmpuint (throttled.requests, ==, 2);
  g_clear_error (&error);

  error = sync_with_faults (&broken, 2, &seconds);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER);
  g_assert_cmpuint (broken.requests, ==, 2);
}

/* an answer over the protocol's limit is cut off at its headers, not read
 * (and not retried: it would be as large again) */
static void
test_huge_answer (void)
{
  Faults huge = { 0, 0, 0, FAULT_HUGE };
  g_autoptr (GError) error = NULL;
  double seconds;

  error = sync_with_faults (&huge, 6, &seconds);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "The team server’s answer is too large.");
  g_assert_cmpuint (huge.requests, ==, 1);
}

/* a chunked answer that does not end: reading stops just past the limit
 * (the server stops at four times it and then waits for ever, so without a
 * count the round would not end), and it is not retried */
static void
test_endless_answer (void)
{
  Faults endless = { 0, 0, 0, FAULT_ENDLESS };
  g_autoptr (GError) error = NULL;
  double seconds;

  error = sync_with_faults (&endless, 6, &seconds);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "The team server’s answer is too large.");
  g_assert_cmpuint (endless.requests, ==, 1);
  /* what the server could queue before the client let go (socket buffers) */
  g_assert_cmpuint (endless.sent, <, 2 * (guint64) CRM_WIRE_MAX_BODY);
  g_test_message ("cut off after %.1f s, %" G_GUINT64_FORMAT " bytes queued",
                  seconds, endless.sent);
}

/* a byte every 50 ms of 1,000: each read is in time, the whole answer is
 * not; each attempt ends at its deadline (1 s here), counted as no answer:
 * retried, then offline */
static void
test_slow_drip (void)
{
  Faults drip = { 0, 0, 0, FAULT_DRIP, 1000 };
  g_autoptr (GError) error = NULL;
  double seconds;

  error = sync_with_faults (&drip, 2, &seconds);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, "the whole answer did not come within 1 s"));
  g_assert_cmpuint (drip.requests, ==, 2);
  g_assert_cmpfloat (seconds, >=, 2.0);
  g_assert_cmpfloat (seconds, <, 20.0);
}

/* a feed that always has more, one change a page: the round stops after
 * max_pages (20 here) with an error, the pages it applied kept; the next
 * round goes on from there */
static void
test_endless_feed (void)
{
  Faults forever = { 0, 0, 0, FAULT_FOREVER, 0, 20, 2 };
  g_autoptr (GError) error = NULL;
  double seconds;
  gint64 cursor;

  error = sync_with_faults_full (&forever, 6, &seconds, &cursor);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "The team server’s change feed does not end after 20 "
                   "pages; the next sync goes on from here.");
  g_assert_cmpuint (forever.requests, ==, 40);
  g_assert_cmpuint (forever.cursors->len, ==, 40);
  g_assert_cmpint (g_array_index (forever.cursors, gint64, 0), ==, 0);
  g_assert_cmpint (g_array_index (forever.cursors, gint64, 19), ==, 19);
  /* the second round starts where the first stopped */
  g_assert_cmpint (g_array_index (forever.cursors, gint64, 20), ==, 20);
  g_assert_cmpint (cursor, ==, 40);
  g_array_unref (forever.cursors);
}

/* a last page that carries nothing yet moves the cursor: it would skip the
 * changes in between; refused, the cursor kept */
static void
test_feed_skips (void)
{
  Faults skip = { 0, 0, 0, FAULT_SKIP };
  g_autoptr (GError) error = NULL;
  double seconds;
  gint64 cursor;

  error = sync_with_faults_full (&skip, 6, &seconds, &cursor);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "The team server’s change feed does not move on.");
  g_assert_cmpint (cursor, ==, 0);
  g_array_unref (skip.cursors);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/retry/back-after-restart", test_back_after_restart);
  g_test_add_func ("/sync/retry/give-up", test_give_up);
  g_test_add_func ("/sync/retry/lost-answer", test_lost_answer);
  g_test_add_func ("/sync/retry/cancel-while-waiting", test_cancel_while_waiting);
  g_test_add_func ("/sync/retry/join", test_join);
  g_test_add_func ("/sync/retry/refused-row", test_refused_row);
  g_test_add_func ("/sync/retry/too-large", test_too_large);
  g_test_add_func ("/sync/retry/retry-after", test_retry_after);
  g_test_add_func ("/sync/retry/exhausted", test_retry_exhausted);
  g_test_add_func ("/sync/retry/huge-answer", test_huge_answer);
  g_test_add_func ("/sync/retry/endless-answer", test_endless_answer);
  g_test_add_func ("/sync/retry/slow-drip", test_slow_drip);
  g_test_add_func ("/sync/retry/endless-feed", test_endless_feed);
  g_test_add_func ("/sync/retry/feed-skips", test_feed_skips);
  return g_test_run ();
}
