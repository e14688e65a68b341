/* crm-sync-round.c — one sync round: the blobs a batch names, the outbox
 * pushed in batches, the change feed pulled page by page
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/sync-protocol.md, "The client's round". The outbox is read a batch at
 * a time (crm_store_outbox_batch) and each answer applied in one
 * transaction, so a round cut off anywhere leaves the outbox exactly as
 * far as the server acknowledged it; a batch that got no answer is sent
 * again as it was (same mutation ids: the server answers "duplicate" for
 * those it had applied). Blobs go up just before the first batch that names
 * them (HEAD, then PUT when the server answers 404), so they are never
 * read for mutations that are not being sent.
 *
 * A 400 for a batch of several is sent again one mutation at a time, and a
 * mutation that alone gets a 400 (or a 413) is marked rejected with the
 * server's message: a broken row never blocks the queue. A 413 halves the
 * batch.
 *
 * Epochs: a pulled page whose server_epoch differs from the stored one, or
 * a 410, makes the store resync (crm_store_begin_resync with the page's or
 * the 410 body's epoch_base: the records acknowledged after it are queued
 * again) and the round starts over at the push, so that the re-queued
 * records go up, then the feed is pulled from 0. At most two resyncs per
 * round: a server that changes its epoch on every page is broken.
 *
 * Pulling: a page naming a license this computer does not have gets it first
 * (GET, its hash checked, then the same checks as a file the person picks),
 * since the store keeps a certification's license fields as they were until
 * the file is here. A license the server does not have (404) leaves them so.
 *
 * A feed that does not end: each page must move the cursor by at least as
 * many changes as it carries (its first seq after the cursor; none only on
 * the last page, which leaves the cursor where it is), and a round pulls at
 * most max_pages pages (10,000: five times what a company of 1,000,000
 * records needs at 500 a page), then ends with an error; the pages applied
 * stay, so the next round goes on from the cursor they left.
 *
 * Progress ("done" of "total"): mutations pushed of those pending at the
 * start of the round; then changes pulled, with a total of 0 (unknown).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "crm-license-file.h"
#include "crm-store-sync.h"
#include "crm-sync-client-private.h"

/* the protocol's largest page: half the pages, transactions and search
 * index flushes of 500 (the server makes a page of long records shorter) */
#define PULL_LIMIT   1000
/* every request of a round: with the token, retried on no answer, 5xx and 429 */
#define ROUND_REQUEST \
  (CRM_SYNC_REQUEST_AUTH | CRM_SYNC_REQUEST_RETRY | CRM_SYNC_REQUEST_RETRY_THROTTLED)
#define MAX_RESYNCS  2

typedef struct
{
  char       *client_id;
  guint       batch_limit;    /* halved by a 413 */
  guint       alone;          /* after a 400: mutations still to send one at a time */
  GPtrArray  *batch;          /* (element-type CrmWireMutation) the batch being sent */
  GHashTable *blobs_done;     /* hashes the server has (or that cannot be sent) */
  GHashTable *blobs_here;     /* hashes pulled pages named, looked for here */
  GHashTable *blob_types;     /* hash → media type, from the batch */
  GPtrArray  *blob_queue;     /* hashes of the batch still to check */
  char       *last_first;     /* the first mutation id of the last batch answered */
  CrmWirePull *page;          /* the pulled page being applied */
  GPtrArray  *fetch_queue;    /* licenses it names that are to come down first */
  guint       pushed;
  guint       total;
  guint       pulled;
  guint       pages;          /* pulled and applied in this round */
  guint       resyncs;
  gint64      cursor;         /* of the page asked for */
} Round;

static void push_next (GTask *task);
static void pull_next (GTask *task);
static void fetch_next (GTask *task);

static void
round_free (Round *round)
{
  g_free (round->client_id);
  g_clear_pointer (&round->batch, g_ptr_array_unref);
  g_hash_table_unref (round->blobs_done);
  g_hash_table_unref (round->blobs_here);
  g_hash_table_unref (round->blob_types);
  g_ptr_array_unref (round->blob_queue);
  g_free (round->last_first);
  g_clear_pointer (&round->page, crm_wire_pull_free);
  g_ptr_array_unref (round->fetch_queue);
  g_free (round);
}

static CrmStore *
task_store (GTask *task)
{
  return crm_sync_client_get_store (g_task_get_source_object (task));
}

static gboolean
is_sha256_hex (const char *text)
{
  gsize i;

  for (i = 0; text[i] != '\0'; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return i == 64;
}

static const char *
fields_string (JsonObject *fields,
               const char *name)
{
  JsonNode *node = json_object_get_member (fields, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The blobs the batch names that the round has not seen yet. */
static void
queue_blobs (Round *round)
{
  for (guint i = 0; i < round->batch->len; i++)
    {
      CrmWireMutation *m = g_ptr_array_index (round->batch, i);
      const char *hash;
      const char *type;

      if (m->kind != CRM_WIRE_KIND_CERTIFICATION || m->op != CRM_WIRE_OP_UPSERT)
        continue;
      hash = fields_string (m->fields, "license_sha256");
      /* a hash that is not one goes as it is: the server rejects the mutation */
      if (hash == NULL || !is_sha256_hex (hash)
          || g_hash_table_contains (round->blobs_done, hash)
          || g_hash_table_contains (round->blob_types, hash))
        continue;
      type = fields_string (m->fields, "license_mime_type");
      g_hash_table_insert (round->blob_types, g_strdup (hash),
                           g_strdup (type != NULL ? type : "application/octet-stream"));
      g_ptr_array_add (round->blob_queue, g_strdup (hash));
    }
}

static void
blob_done (GTask *task)
{
  Round *round = g_task_get_task_data (task);
  char *hash = g_ptr_array_steal_index (round->blob_queue, round->blob_queue->len - 1);

  g_hash_table_add (round->blobs_done, hash);
}

static void blob_next (GTask *task);

static void
on_blob_put (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr (GTask) task = data;
  g_autoptr (CrmSyncResponse) response = NULL;
  GError *error = NULL;

  response = _crm_sync_request_finish (CRM_SYNC_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* 400 (the file here no longer matches its hash) and 413 (too large)
   * will not change: the mutation goes and the server rejects it
   * (blob_missing), which the person sees */
  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status)
      && response->status != SOUP_STATUS_BAD_REQUEST
      && response->status != SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    {
      g_task_return_error (task, _crm_sync_status_error (response));
      return;
    }
  blob_done (task);
  blob_next (g_steal_pointer (&task));
}

static void
on_blob_head (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr (GTask) task = data;
  CrmSyncClient *self = CRM_SYNC_CLIENT (source);
  Round *round = g_task_get_task_data (task);
  g_autoptr (CrmSyncResponse) response = NULL;
  g_autoptr (GBytes) blob = NULL;
  g_autofree char *path = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  const char *hash;

  response = _crm_sync_request_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      blob_done (task);
      blob_next (g_steal_pointer (&task));
      return;
    }
  if (response->status != SOUP_STATUS_NOT_FOUND)
    {
      g_task_return_error (task, _crm_sync_status_error (response));
      return;
    }
  hash = g_ptr_array_index (round->blob_queue, round->blob_queue->len - 1);
  blob = crm_store_get_blob (crm_sync_client_get_store (self), hash, &error);
  if (blob == NULL)
    {
      /* not here either: the server will reject the mutation (blob_missing) */
      g_debug ("blob %s: %s", hash, error != NULL ? error->message : "missing");
      g_clear_error (&error);
      blob_done (task);
      blob_next (g_steal_pointer (&task));
      return;
    }
  path = g_strconcat ("/v1/blobs/", hash, NULL);
  cancellable = g_task_get_cancellable (task);
  _crm_sync_request_async (self, "PUT", path, g_hash_table_lookup (round->blob_types, hash),
                           blob, ROUND_REQUEST, NULL, NULL, cancellable, on_blob_put,
                           g_steal_pointer (&task));
}

static void
on_push_failed (CrmSyncClient *self,
                const char    *message,
                gpointer       data)
{
  Round *round = data;
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < round->batch->len; i++)
    g_ptr_array_add (ids, ((CrmWireMutation *) g_ptr_array_index (round->batch, i))->mutation_id);
  g_ptr_array_add (ids, NULL);
  if (!crm_store_outbox_note_failure (crm_sync_client_get_store (self),
                                      (const char * const *) ids->pdata, message, &error))
    g_warning ("Could not count a failed push: %s", error->message);
}

/* Applies @results to the outbox and moves on to the next batch. */
static void
apply_results (GTask     *task,
               GPtrArray *results)
{
  CrmSyncClient *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  GError *error = NULL;

  if (!crm_store_outbox_apply_results (task_store (task), results, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  round->pushed += round->batch->len;
  round->total = MAX (round->total, round->pushed);
  round->alone = round->alone > round->batch->len ? round->alone - round->batch->len : 0;
  g_free (round->last_first);
  round->last_first =
    g_strdup (((CrmWireMutation *) g_ptr_array_index (round->batch, 0))->mutation_id);
  _crm_sync_client_set_progress (self, round->pushed, round->total);
  push_next (task);
}

/* The answer the server would give if it judged the mutation alone. */
static void
reject_alone (GTask      *task,
              const char *code,
              const char *message)
{
  Round *round = g_task_get_task_data (task);
  CrmWireMutation *m = g_ptr_array_index (round->batch, 0);
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_result_free);
  CrmWireResult *result = crm_wire_result_new ();

  g_assert (round->batch->len == 1);
  result->mutation_id = g_strdup (m->mutation_id);
  result->status = CRM_WIRE_STATUS_REJECTED;
  result->error = g_strdup (code);
  result->message = g_strdup (message);
  g_ptr_array_add (results, result);
  apply_results (task, results);
}

/* One result per mutation, in order: anything else is not the protocol
 * (and applying it could leave a row in the queue for ever). */
static gboolean
results_match (GPtrArray *batch,
               GPtrArray *results)
{
  if (results->len != batch->len)
    return FALSE;
  for (guint i = 0; i < batch->len; i++)
    {
      CrmWireMutation *m = g_ptr_array_index (batch, i);
      CrmWireResult *r = g_ptr_array_index (results, i);

      if (g_strcmp0 (m->mutation_id, r->mutation_id) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
on_push_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr (GTask) task = data;
  Round *round = g_task_get_task_data (task);
  g_autoptr (CrmSyncResponse) response = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;
  const char *body;
  gsize length;

  response = _crm_sync_request_finish (CRM_SYNC_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  switch (response->status)
    {
    case SOUP_STATUS_OK:
      body = g_bytes_get_data (response->body, &length);
      if (!crm_wire_parse_push_response (body, length, &results, &error))
        {
          g_task_return_error (task, _crm_sync_protocol_error (error));
          return;
        }
      if (!results_match (round->batch, results))
        {
          g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER, "%s",
                                   _("The team server’s answer does not match the changes "
                                     "sent."));
          return;
        }
      apply_results (g_steal_pointer (&task), results);
      return;

    case SOUP_STATUS_BAD_REQUEST:
      if (round->batch->len > 1)
        {
          g_debug ("a batch of %u refused (%s); again one by one", round->batch->len,
                   response->error_message);
          round->alone = round->batch->len;
          g_clear_pointer (&round->last_first, g_free);
          push_next (g_steal_pointer (&task));
          return;
        }
      reject_alone (g_steal_pointer (&task), "malformed",
                    response->error_message != NULL ? response->error_message
                                                    : "malformed");
      return;

    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      if (round->batch->len > 1)
        {
          g_debug ("a batch of %u too large; halved", round->batch->len);
          round->batch_limit = MAX (round->batch->len / 2, 1);
          g_clear_pointer (&round->last_first, g_free);
          push_next (g_steal_pointer (&task));
          return;
        }
      reject_alone (g_steal_pointer (&task), "too_large",
                    response->error_message != NULL ? response->error_message
                                                    : "too large");
      return;

    default:
      g_task_return_error (task, _crm_sync_status_error (response));
      return;
    }
}

static void
send_batch (GTask *task)
{
  CrmSyncClient *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autoptr (GBytes) body = NULL;
  char *text;
  gsize length;

  text = crm_wire_build_push_request (round->client_id, round->batch, &length);
  body = g_bytes_new_take (text, length);
  _crm_sync_request_async (self, "POST", "/v1/sync/push", "application/json", body,
                           ROUND_REQUEST,
                           on_push_failed, round, g_task_get_cancellable (task),
                           on_push_answer, task);
}

/* Takes @task. */
static void
blob_next (GTask *task)
{
  Round *round = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (round->blob_queue->len == 0)
    {
      send_batch (task);
      return;
    }
  path = g_strconcat ("/v1/blobs/",
                      (char *) g_ptr_array_index (round->blob_queue,
                                                  round->blob_queue->len - 1), NULL);
  _crm_sync_request_async (g_task_get_source_object (task), "HEAD", path, NULL, NULL,
                           ROUND_REQUEST, NULL, NULL,
                           g_task_get_cancellable (task), on_blob_head, task);
}

/* Takes @task. */
static void
push_next (GTask *task)
{
  Round *round = g_task_get_task_data (task);
  CrmWireMutation *first;
  GError *error = NULL;

  g_clear_pointer (&round->batch, g_ptr_array_unref);
  round->batch = crm_store_outbox_batch (task_store (task),
                                         round->alone > 0 ? 1 : round->batch_limit, &error);
  if (round->batch == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (round->batch->len == 0)
    {
      round->cursor = -1;
      pull_next (task);
      return;
    }
  first = g_ptr_array_index (round->batch, 0);
  if (g_strcmp0 (first->mutation_id, round->last_first) == 0)
    {
      /* answered, yet still first in the queue: the store did not drop it */
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER,
                               _("A change stays in the queue after the team server "
                                 "answered it (%s)."), first->mutation_id);
      g_object_unref (task);
      return;
    }
  queue_blobs (round);
  blob_next (task);
}

/* The store goes back to cursor 0 of @epoch; the round starts over. Takes
 * @task. */
static void
resync (GTask      *task,
        const char *epoch,
        gint64      epoch_base)
{
  Round *round = g_task_get_task_data (task);
  GError *error = NULL;

  if (++round->resyncs > MAX_RESYNCS)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER, "%s",
                               _("The team server keeps changing its history; try again "
                                 "later."));
      g_object_unref (task);
      return;
    }
  g_debug ("resync: epoch %s from %" G_GINT64_FORMAT, epoch, epoch_base);
  if (!crm_store_begin_resync (task_store (task), epoch, epoch_base, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_clear_pointer (&round->last_first, g_free);
  round->total = round->pushed + crm_store_outbox_count (task_store (task));
  push_next (task);
}

/* A 410: its body names the new epoch and its base (an extension); without
 * them, the stored epoch and 0, which queues every acknowledged record. */
static void
resync_gone (GTask                 *task,
             const CrmSyncResponse *response)
{
  g_autoptr (CrmSyncInfo) info = NULL;
  const char *epoch = NULL;
  gint64 base = 0;
  GError *error = NULL;

  info = crm_store_get_sync_info (task_store (task), &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (response->error_extra != NULL)
    {
      JsonNode *node = json_object_get_member (response->error_extra, "server_epoch");

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING
          && crm_wire_is_uuid (json_node_get_string (node)))
        epoch = json_node_get_string (node);
      node = json_object_get_member (response->error_extra, "epoch_base");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_INT64)
        base = MAX (json_node_get_int (node), 0);
    }
  if (epoch == NULL && info->server_epoch == NULL)
    {
      /* nothing pulled yet, so the cursor cannot be ahead: not the protocol */
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER,
                               _("The team server answered with an error (%u %s)."),
                               response->status,
                               response->error_code != NULL ? response->error_code : "");
      g_object_unref (task);
      return;
    }
  resync (task, epoch != NULL ? epoch : info->server_epoch, epoch != NULL ? base : 0);
}

/* The licenses a pulled page names that this computer does not have: the
 * store keeps a certification's license fields as they were until its file
 * is here, so they come down before the page is applied. */
static void
queue_pulled_blobs (Round    *round,
                    CrmStore *store)
{
  for (guint i = 0; i < round->page->changes->len; i++)
    {
      CrmWireChange *change = g_ptr_array_index (round->page->changes, i);
      g_autoptr (GBytes) here = NULL;
      const char *hash;

      if (change->kind != CRM_WIRE_KIND_CERTIFICATION || change->deleted)
        continue;
      hash = fields_string (change->fields, "license_sha256");
      if (hash == NULL || !is_sha256_hex (hash)
          || g_hash_table_contains (round->blobs_here, hash))
        continue;
      here = crm_store_get_blob (store, hash, NULL);
      if (here == NULL)
        g_ptr_array_add (round->fetch_queue, g_strdup (hash));
      g_hash_table_add (round->blobs_here, g_strdup (hash));
    }
}

/* Applies the page and asks for the next one. Takes @task. */
static void
apply_page (GTask *task)
{
  CrmSyncClient *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  GError *error = NULL;

  if (!crm_store_apply_pull (crm_sync_client_get_store (self), round->page, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  round->pulled += round->page->changes->len;
  round->pages++;
  _crm_sync_client_set_progress (self, round->pulled, 0);
  if (!round->page->has_more)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (round->pages >= self->max_pages)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER,
                               _("The team server’s change feed does not end after %u "
                                 "pages; the next sync goes on from here."), round->pages);
      g_object_unref (task);
      return;
    }
  pull_next (task);
}

static void
on_blob_got (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr (GTask) task = data;
  CrmSyncClient *self = CRM_SYNC_CLIENT (source);
  Round *round = g_task_get_task_data (task);
  g_autoptr (CrmSyncResponse) response = NULL;
  g_autoptr (CrmLicenseFile) file = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *got = NULL;
  GError *error = NULL;

  hash = g_ptr_array_steal_index (round->fetch_queue, round->fetch_queue->len - 1);
  response = _crm_sync_request_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (response->status != SOUP_STATUS_OK)
    {
      /* 404: the page's license fields wait, as the store does without it */
      if (response->status != SOUP_STATUS_NOT_FOUND)
        {
          g_task_return_error (task, _crm_sync_status_error (response));
          return;
        }
      g_debug ("blob %s: not on the server", hash);
      fetch_next (g_steal_pointer (&task));
      return;
    }
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, response->body);
  if (g_strcmp0 (got, hash) != 0)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER, "%s",
                               _("The team server sent a file that does not match its "
                                 "name."));
      return;
    }
  /* the same checks as a file the person picks: type, size, decoding */
  file = crm_license_file_new_from_bytes (response->body, &error);
  if (file == NULL || !crm_store_put_blob (crm_sync_client_get_store (self), file, &error))
    {
      g_debug ("blob %s not kept: %s", hash, error->message);
      g_clear_error (&error);
    }
  fetch_next (g_steal_pointer (&task));
}

/* Takes @task. */
static void
fetch_next (GTask *task)
{
  Round *round = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (round->fetch_queue->len == 0)
    {
      apply_page (task);
      return;
    }
  path = g_strconcat ("/v1/blobs/",
                      (char *) g_ptr_array_index (round->fetch_queue,
                                                  round->fetch_queue->len - 1), NULL);
  _crm_sync_request_async (g_task_get_source_object (task), "GET", path, NULL, NULL,
                           ROUND_REQUEST, NULL, NULL, g_task_get_cancellable (task),
                           on_blob_got, task);
}

static void
on_pull_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr (GTask) task = data;
  CrmSyncClient *self = CRM_SYNC_CLIENT (source);
  Round *round = g_task_get_task_data (task);
  g_autoptr (CrmSyncResponse) response = NULL;
  g_autoptr (CrmWirePull) pull = NULL;
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  const char *body;
  gsize length;

  response = _crm_sync_request_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (response->status == SOUP_STATUS_GONE)
    {
      resync_gone (g_steal_pointer (&task), response);
      return;
    }
  if (response->status != SOUP_STATUS_OK)
    {
      g_task_return_error (task, _crm_sync_status_error (response));
      return;
    }
  body = g_bytes_get_data (response->body, &length);
  pull = crm_wire_parse_pull_response (body, length, &error);
  if (pull == NULL)
    {
      g_task_return_error (task, _crm_sync_protocol_error (error));
      return;
    }
  info = crm_store_get_sync_info (crm_sync_client_get_store (self), &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (info->server_epoch != NULL && g_strcmp0 (info->server_epoch, pull->server_epoch) != 0)
    {
      resync (g_steal_pointer (&task), pull->server_epoch, pull->epoch_base);
      return;
    }
  /* the cursor moves by at least one seq per change; a page without any
   * is the last and leaves it where it is (so the round ends) */
  if (pull->changes->len == 0
      ? pull->has_more || pull->next_cursor != round->cursor
      : ((CrmWireChange *) g_ptr_array_index (pull->changes, 0))->seq <= round->cursor)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER, "%s",
                               _("The team server’s change feed does not move on."));
      return;
    }
  g_clear_pointer (&round->page, crm_wire_pull_free);
  round->page = g_steal_pointer (&pull);
  queue_pulled_blobs (round, crm_sync_client_get_store (self));
  fetch_next (g_steal_pointer (&task));
}

/* Takes @task. */
static void
pull_next (GTask *task)
{
  CrmSyncClient *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  info = crm_store_get_sync_info (crm_sync_client_get_store (self), &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (round->cursor < 0)
    _crm_sync_client_set_progress (self, 0, 0);
  round->cursor = info->cursor;
  path = g_strdup_printf ("/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=%d",
                          info->cursor, PULL_LIMIT);
  _crm_sync_request_async (self, "GET", path, NULL, NULL,
                           ROUND_REQUEST, NULL, NULL,
                           g_task_get_cancellable (task), on_pull_answer, task);
}

void
_crm_sync_round_async (CrmSyncClient       *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  CrmStore *store = crm_sync_client_get_store (self);
  g_autoptr (CrmSyncInfo) info = NULL;
  GError *error = NULL;
  GTask *task;
  Round *round;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _crm_sync_round_async);
  g_task_set_check_cancellable (task, FALSE);

  info = crm_store_get_sync_info (store, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  round = g_new0 (Round, 1);
  round->client_id = g_strdup (info->client_id);
  round->batch_limit = _crm_sync_client_get_batch_size (self);
  round->blobs_done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  round->blobs_here = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  round->blob_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  round->blob_queue = g_ptr_array_new_with_free_func (g_free);
  round->fetch_queue = g_ptr_array_new_with_free_func (g_free);
  round->total = crm_store_outbox_count (store);
  g_task_set_task_data (task, round, (GDestroyNotify) round_free);
  _crm_sync_client_set_progress (self, 0, round->total);
  push_next (task);
}

gboolean
_crm_sync_round_finish (CrmSyncClient  *self,
                        GAsyncResult   *result,
                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
