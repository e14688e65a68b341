/* crm-store-sync.c — the store's side of sync: the sync state, the outbox
 * (batches, answers, failures, rejections), conflicts kept from answers,
 * and resync; the conflicts and rejections read and closed are in
 * crm-store-conflicts.c
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox rows themselves are written by the triggers of migration 8
 * (sql/0008-sync.sql), in the transaction of each edit; applying a pulled
 * page is crm-store-apply.c. The protocol is docs/sync-protocol.md.
 *
 * A store that has never synced: its records were made before it knew a
 * company, and queued nothing for them (since migration 13,
 * 0013-outbox-quiet.sql, the triggers wait for a company, and what older
 * versions had queued before one was dropped).
 * The first sign-in to a company (crm_store_set_sync_company() while the
 * company is NULL) replaces the pending queue with one whole-record upsert
 * per live record: contacts first, then deals (which name them), then
 * follow-ups (which name both; those of a deleted contact stay here, or
 * they would bring it back on the server), then the certification, so the
 * server gets everything, in an order it accepts.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-sync-private.h"

void
crm_sync_info_free (CrmSyncInfo *self)
{
  if (self == NULL)
    return;
  g_free (self->server_epoch);
  g_free (self->client_id);
  g_free (self->company_id);
  g_free (self);
}

void
crm_outbox_rejection_free (CrmOutboxRejection *self)
{
  if (self == NULL)
    return;
  g_free (self->mutation_id);
  g_free (self->record_id);
  g_free (self->fields_json);
  g_free (self->last_error);
  g_free (self);
}

gboolean
_crm_store_sync_set_applying (CrmStore  *self,
                              gboolean   applying,
                              GError   **error)
{
  return _crm_store_exec (self->db,
                          applying ? "UPDATE sync_state SET applying = 1"
                                   : "UPDATE sync_state SET applying = 0",
                          error);
}

static CrmWireKind
column_kind (sqlite3_stmt *stmt,
             int           column)
{
  CrmWireKind kind = CRM_WIRE_KIND_CONTACT;

  crm_wire_kind_from_string ((const char *)sqlite3_column_text (stmt, column), &kind);
  return kind;
}

/* A client id that is not a UUID (a damaged file) would have every push
 * refused as malformed, for ever: a new one is made instead. That is safe.
 * The server keeps mutation ids per client id, and the pending rows keep
 * theirs, so under the new id a mutation the server already applied under
 * the old one would be applied again; but a push with an invalid client id
 * was never accepted at all, so none of them was applied under it. */
static gboolean
renew_client_id (CrmStore     *self,
                 CrmSyncInfo  *info,
                 GError      **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *client_id = crm_wire_new_uuid ();
  const char *was = info->client_id != NULL ? info->client_id : "(none)";
  g_autofree char *old = g_utf8_make_valid (was, MIN (strlen (was), 64));

  g_message ("The sync state's client id “%s” is damaged: this computer is now client %s",
             old, client_id);
  stmt = _crm_store_prepare (self->db, "UPDATE sync_state SET client_id = ?1", 0,
                             _("Cannot save the sync state"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  if (!_crm_store_step_done (stmt, _("Cannot save the sync state"), error))
    return FALSE;
  g_free (info->client_id);
  info->client_id = g_steal_pointer (&client_id);
  return TRUE;
}

/**
 * crm_store_get_sync_info:
 *
 * A damaged client id (not a UUID) is replaced by a new one first.
 *
 * Returns: (transfer full): the cursor, epoch, client id and company.
 */
CrmSyncInfo *
crm_store_get_sync_info (CrmStore  *self,
                         GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  CrmSyncInfo *info;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  stmt = _crm_store_prepare (self->db,
                             "SELECT cursor, server_epoch, client_id, company_id FROM sync_state",
                             0, _("Cannot read the sync state"), error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _crm_store_set_error (error, self->db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                            _("Cannot read the sync state"));
      return NULL;
    }
  info = g_new0 (CrmSyncInfo, 1);
  info->cursor = sqlite3_column_int64 (stmt, 0);
  info->server_epoch = _crm_store_column_dup (stmt, 1);
  info->client_id = _crm_store_column_dup (stmt, 2);
  info->company_id = _crm_store_column_dup (stmt, 3);
  sqlite3_reset (stmt);
  if (!crm_wire_is_uuid (info->client_id) && !renew_client_id (self, info, error))
    {
      crm_sync_info_free (info);
      return NULL;
    }
  return info;
}

/* the first sign-in: the pending queue becomes one whole upsert per live
 * record (see the top of this file); in the caller's transaction */
static gboolean
queue_everything (CrmStore  *self,
                  GError   **error)
{
  return _crm_store_exec (self->db,
                          "DELETE FROM outbox WHERE state = 'pending';"
                          "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version,"
                          " fields_json)"
                          " SELECT " CRM_SYNC_UUID_SQL ", 'contact', id, 'upsert',"
                          " server_version, " CRM_SYNC_CONTACT_JSON
                          " FROM contacts WHERE deleted = 0 ORDER BY local_id;"
                          "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version,"
                          " fields_json)"
                          " SELECT " CRM_SYNC_UUID_SQL ", 'deal', id, 'upsert',"
                          " server_version, " CRM_SYNC_DEAL_JSON
                          " FROM deals WHERE deleted = 0 ORDER BY local_id;"
                          "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version,"
                          " fields_json)"
                          " SELECT " CRM_SYNC_UUID_SQL ", 'followup', id, 'upsert',"
                          " server_version, " CRM_SYNC_FOLLOWUP_JSON
                          " FROM followups f WHERE deleted = 0 AND NOT EXISTS"
                          " (SELECT 1 FROM contacts c WHERE c.id = f.contact_id"
                          "  AND c.deleted = 1) ORDER BY local_id;"
                          "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version,"
                          " fields_json)"
                          " SELECT " CRM_SYNC_UUID_SQL ", 'certification', '',"
                          " 'upsert', server_version, " CRM_SYNC_CERTIFICATION_JSON
                          " FROM certification WHERE status IN ('draft', 'submitted');",
                          error);
}

/**
 * crm_store_set_sync_company:
 * @company_id: the company signed in to
 *
 * Keeps the company of this store's records. The first one (while none
 * was set) queues every live record as a whole upsert, replacing the
 * pending queue: what was made before sync pushes on the first sync. The
 * same company again changes nothing; another company is refused with
 * %CRM_STORE_ERROR_INVALID (this store's records are the first one's).
 */
gboolean
crm_store_set_sync_company (CrmStore    *self,
                            const char  *company_id,
                            GError     **error)
{
  g_autoptr (CrmSyncInfo) info = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (company_id != NULL, FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  info = crm_store_get_sync_info (self, error);
  ok = info != NULL;
  if (ok && g_strcmp0 (info->company_id, company_id) == 0)
    return _crm_store_end (self, TRUE, error);
  if (ok && info->company_id != NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("This computer’s records belong to another company"));
      ok = FALSE;
    }
  if (ok)
    {
      stmt = _crm_store_prepare (self->db, "UPDATE sync_state SET company_id = ?1", 0,
                                 _("Cannot save the sync state"), error);
      if (stmt != NULL)
        sqlite3_bind_text (stmt, 1, company_id, -1, SQLITE_STATIC);
      ok = _crm_store_step_done (stmt, _("Cannot save the sync state"), error);
    }
  if (ok)
    ok = queue_everything (self, error);
  return _crm_store_end (self, ok, error);
}

/* One outbox row that cannot be read: its local_seq (its mutation id may
 * be what is damaged) and why */
typedef struct
{
  gint64  local_seq;
  char   *why;
} DamagedRow;

static void
damaged_row_free (DamagedRow *self)
{
  g_free (self->why);
  g_free (self);
}

/* The mutation of the current row of crm_store_outbox_batch()'s query, or
 * NULL with why it cannot be read. The triggers write every row, but the
 * file may have been damaged since: nothing here trusts it (its JSON goes
 * through the wire's guarded parser, which never recurses deeper than the
 * protocol does). */
static CrmWireMutation *
read_mutation (sqlite3_stmt  *stmt,
               char         **why)
{
  g_autoptr (CrmWireMutation) mutation = crm_wire_mutation_new ();
  g_autoptr (GError) bad = NULL;
  const char *kind = (const char *)sqlite3_column_text (stmt, 2);
  const char *op = (const char *)sqlite3_column_text (stmt, 4);
  JsonObject *fields;

  mutation->mutation_id = _crm_store_column_dup (stmt, 1);
  if (!crm_wire_is_uuid (mutation->mutation_id))
    {
      *why = g_strdup ("the mutation id is not a UUID");
      return NULL;
    }
  if (!crm_wire_kind_from_string (kind, &mutation->kind))
    {
      *why = g_strdup ("an unknown kind");
      return NULL;
    }
  if (!crm_wire_op_from_string (op, &mutation->op))
    {
      *why = g_strdup ("an unknown operation");
      return NULL;
    }
  mutation->id = _crm_store_column_dup (stmt, 3);
  mutation->base_version = sqlite3_column_int64 (stmt, 5);
  fields = crm_wire_parse_object ((const char *)sqlite3_column_blob (stmt, 6),
                                  sqlite3_column_bytes (stmt, 6), &bad);
  if (fields == NULL)
    {
      *why = g_strdup_printf ("the fields: %s", bad->message);
      return NULL;
    }
  json_object_unref (mutation->fields);
  mutation->fields = fields;
  return g_steal_pointer (&mutation);
}

/* Rows that cannot be read are neither sent (what would the server get?)
 * nor dropped (the edit would be lost without a word): they are marked
 * rejected, "damaged: …", and so stay in crm_store_outbox_rejections() for
 * the person to see, out of the queue. */
static gboolean
reject_damaged (CrmStore   *self,
                GPtrArray  *damaged,
                GError    **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *what = _("Cannot save the sync state");
  gboolean ok;

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db,
                             "UPDATE outbox SET state = 'rejected', last_error = ?2"
                             " WHERE local_seq = ?1 AND state = 'pending'",
                             0, what, error);
  ok = stmt != NULL;
  for (guint i = 0; ok && i < damaged->len; i++)
    {
      DamagedRow *row = g_ptr_array_index (damaged, i);
      g_autofree char *message = g_strdup_printf ("damaged: %s", row->why);

      g_message ("Outbox row %" G_GINT64_FORMAT " cannot be read and is not sent: %s",
                 row->local_seq, row->why);
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, row->local_seq);
      sqlite3_bind_text (stmt, 2, message, -1, SQLITE_STATIC);
      ok = _crm_store_step_done (stmt, what, error);
    }
  return _crm_store_end (self, ok, error);
}

/**
 * crm_store_outbox_batch:
 * @limit: at most this many
 *
 * Rows that cannot be read (a damaged file) are marked rejected with a
 * last_error of "damaged: …" instead, and the batch goes on past them.
 *
 * Returns: (transfer full) (element-type CrmWireMutation): the pending
 *   mutations in outbox order; certification rows wait until a company is
 *   set, then carry its id.
 */
GPtrArray *
crm_store_outbox_batch (CrmStore  *self,
                        guint      limit,
                        GError   **error)
{
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GPtrArray) damaged = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  stmt = _crm_store_prepare (self->db,
                             "SELECT o.local_seq, o.mutation_id, o.kind,"
                             " CASE WHEN o.kind = 'certification' THEN s.company_id"
                             " ELSE o.record_id END, o.op, o.base_version, o.fields_json"
                             /* CROSS JOIN: outbox first, read in local_seq order up to
                              * the limit (else SQLite builds an index of the whole queue
                              * and sorts it, for each batch) */
                             " FROM outbox o CROSS JOIN sync_state s WHERE o.state = 'pending'"
                             " AND (o.kind <> 'certification' OR s.company_id IS NOT NULL)"
                             " ORDER BY o.local_seq LIMIT ?1",
                             0, _("Cannot read the changes to send"), error);
  if (stmt == NULL)
    return NULL;
  /* each pass marks at least one damaged row, or is the last */
  do
    {
      batch = g_ptr_array_new_with_free_func ((GDestroyNotify)crm_wire_mutation_free);
      damaged = g_ptr_array_new_with_free_func ((GDestroyNotify)damaged_row_free);
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, limit);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          char *why = NULL;
          CrmWireMutation *mutation = read_mutation (stmt, &why);

          if (mutation != NULL)
            g_ptr_array_add (batch, mutation);
          else
            {
              DamagedRow *row = g_new0 (DamagedRow, 1);

              row->local_seq = sqlite3_column_int64 (stmt, 0);
              row->why = why;
              g_ptr_array_add (damaged, row);
            }
        }
      if (rc != SQLITE_DONE)
        {
          _crm_store_set_error (error, self->db, rc, _("Cannot read the changes to send"));
          return NULL;
        }
      sqlite3_reset (stmt);
      if (damaged->len > 0 && !reject_damaged (self, damaged, error))
        return NULL;
      if (damaged->len > 0)
        g_clear_pointer (&batch, g_ptr_array_unref);
      g_clear_pointer (&damaged, g_ptr_array_unref);
    }
  while (batch == NULL);
  return g_steal_pointer (&batch);
}

/**
 * crm_store_outbox_count:
 *
 * Returns: how many mutations wait to be sent (rejected ones not counted).
 */
guint
crm_store_outbox_count (CrmStore *self)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint n = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  rc = sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM outbox WHERE state = 'pending'",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  _crm_store_note_failure (self->db, rc);
  return n;
}

/* the JSON text of @node, NULL for none */
static char *
node_to_text (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : NULL;
}

/* The statements of crm_store_outbox_apply_results(), each prepared once
 * for the whole answer (not once per result: the UPDATE of contacts alone
 * compiles its triggers) and reset before each use. */
typedef struct
{
  CrmStore     *store;
  const char   *now;
  sqlite3_stmt *find;
  sqlite3_stmt *reject;
  sqlite3_stmt *remove;
  sqlite3_stmt *version[4];   /* contact, deal, certification, follow-up */
  sqlite3_stmt *conflict;
} Answer;

static void
answer_clear (Answer *answer)
{
  sqlite3_finalize (answer->find);
  sqlite3_finalize (answer->reject);
  sqlite3_finalize (answer->remove);
  for (guint i = 0; i < G_N_ELEMENTS (answer->version); i++)
    sqlite3_finalize (answer->version[i]);
  sqlite3_finalize (answer->conflict);
}

/* *@slot, prepared on its first use, else reset and unbound */
static sqlite3_stmt *
answer_statement (Answer        *answer,
                  sqlite3_stmt **slot,
                  const char    *sql,
                  const char    *what,
                  GError       **error)
{
  if (*slot == NULL)
    *slot = _crm_store_prepare (answer->store->db, sql, SQLITE_PREPARE_PERSISTENT, what, error);
  else
    {
      sqlite3_reset (*slot);
      sqlite3_clear_bindings (*slot);
    }
  return *slot;
}

/* member @field of @object (NULL: none) when a string, else NULL */
static const char *
meta_string (JsonObject *object,
             const char *field)
{
  JsonNode *node = object ? json_object_get_member (object, field) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* the conflicts of one applied mutation, from its own fields (what was
 * kept) and the server's conflict_values (what lost), conflict_by and
 * conflict_at (who set it and when; NULL when the server did not say) */
static gboolean
keep_conflicts (Answer         *answer,
                CrmWireResult  *result,
                const char     *kind,
                const char     *record_id,
                const char     *fields_json,
                GError        **error)
{
  g_autoptr (JsonObject) fields = NULL;

  /* read when the batch was made, so not damaged; checked again all the same */
  fields = crm_wire_parse_object (fields_json, fields_json ? strlen (fields_json) : 0, NULL);

  for (guint i = 0; result->conflicts[i] != NULL; i++)
    {
      const char *field = result->conflicts[i];
      g_autofree char *lost = NULL;
      g_autofree char *kept = NULL;
      sqlite3_stmt *stmt;

      if (g_strcmp0 (field, "deleted") == 0)
        {
          /* our edit brought back a record someone had deleted */
          lost = g_strdup ("true");
          kept = g_strdup ("false");
        }
      else
        {
          if (result->conflict_values != NULL)
            lost = node_to_text (json_object_get_member (result->conflict_values, field));
          if (fields != NULL)
            kept = node_to_text (json_object_get_member (fields, field));
        }
      stmt = answer_statement (answer, &answer->conflict,
                               "INSERT INTO conflicts (kind, record_id, field, lost_value,"
                               " kept_value, created_at, other_user, other_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                               _("Cannot keep the conflicts"), error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, lost, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, kept, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, answer->now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, meta_string (result->conflict_by, field), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, meta_string (result->conflict_at, field), -1, SQLITE_STATIC);
      if (!_crm_store_step_done (stmt, _("Cannot keep the conflicts"), error))
        return FALSE;
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* the record's server_version, never back: an answer may come after a
 * pull that saw a newer version */
static gboolean
note_version (Answer      *answer,
              const char  *kind,
              const char  *record_id,
              gint64       version,
              GError     **error)
{
  static const char * const sql[] = {
    "UPDATE contacts SET server_version = max (server_version, ?2) WHERE id = ?1",
    "UPDATE deals SET server_version = max (server_version, ?2) WHERE id = ?1",
    "UPDATE certification SET server_version = max (server_version, ?2) WHERE ?1 = ''",
    "UPDATE followups SET server_version = max (server_version, ?2) WHERE id = ?1",
  };
  const char *what = _("Cannot save the server’s answer");
  sqlite3_stmt *stmt;
  guint i;

  if (g_strcmp0 (kind, "contact") == 0)
    i = 0;
  else if (g_strcmp0 (kind, "deal") == 0)
    i = 1;
  else if (g_strcmp0 (kind, "certification") == 0)
    i = 2;
  else if (g_strcmp0 (kind, "followup") == 0)
    i = 3;
  else
    return TRUE;
  stmt = answer_statement (answer, &answer->version[i], sql[i], what, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, version);
  if (!_crm_store_step_done (stmt, what, error))
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
apply_result (Answer         *answer,
              CrmWireResult  *result,
              GError        **error)
{
  sqlite3_stmt *find;
  sqlite3_stmt *stmt;
  g_autofree char *kind = NULL;
  g_autofree char *record_id = NULL;
  g_autofree char *fields_json = NULL;
  const char *what = _("Cannot save the server’s answer");
  int rc;

  find = answer_statement (answer, &answer->find,
                           "SELECT kind, record_id, fields_json FROM outbox"
                           " WHERE mutation_id = ?1 AND state = 'pending'",
                           what, error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, result->mutation_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (find);
  if (rc == SQLITE_DONE)
    {
      /* answered twice, or not ours: nothing left to do */
      g_debug ("No pending outbox row for the answer to %s", result->mutation_id);
      sqlite3_reset (find);
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    return _crm_store_set_error (error, answer->store->db, rc, what);
  kind = _crm_store_column_dup (find, 0);
  record_id = _crm_store_column_dup (find, 1);
  fields_json = _crm_store_column_dup (find, 2);
  sqlite3_reset (find);

  /* a repeat of a mutation that was refused the first time stays refused */
  if (result->status == CRM_WIRE_STATUS_REJECTED || result->error != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s",
                                                  result->error ? result->error : "rejected",
                                                  result->message ? result->message : "");

      stmt = answer_statement (answer, &answer->reject,
                               "UPDATE outbox SET state = 'rejected', attempts = attempts + 1,"
                               " last_error = ?2 WHERE mutation_id = ?1",
                               what, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, result->mutation_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, message, -1, SQLITE_STATIC);
      if (!_crm_store_step_done (stmt, what, error))
        return FALSE;
      sqlite3_reset (stmt);
      return TRUE;
    }

  stmt = answer_statement (answer, &answer->remove, "DELETE FROM outbox WHERE mutation_id = ?1",
                           what, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, result->mutation_id, -1, SQLITE_STATIC);
  if (!_crm_store_step_done (stmt, what, error))
    return FALSE;
  sqlite3_reset (stmt);
  if (!note_version (answer, kind, record_id, result->version, error))
    return FALSE;
  if (result->conflicts != NULL && result->conflicts[0] != NULL)
    {
      /* the certification's conflicts under the id the server knows */
      g_autoptr (CrmSyncInfo) info = NULL;
      const char *id = record_id;

      if (*record_id == '\0' && (info = crm_store_get_sync_info (answer->store, NULL)) != NULL
          && info->company_id != NULL)
        id = info->company_id;
      return keep_conflicts (answer, result, kind, id, fields_json, error);
    }
  return TRUE;
}

/**
 * crm_store_outbox_apply_results:
 * @results: (element-type CrmWireResult): the server's answers
 *
 * In one transaction: applied and duplicate mutations leave the outbox and
 * raise their record's server version; their conflicts are kept; rejected
 * ones stay, marked with the server's code and message, out of the queue.
 * Writes no outbox row.
 */
gboolean
crm_store_outbox_apply_results (CrmStore   *self,
                                GPtrArray  *results,
                                GError    **error)
{
  g_autofree char *now = _crm_store_now ();
  Answer answer = { self, now, };
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  ok = _crm_store_sync_set_applying (self, TRUE, error);
  for (guint i = 0; ok && i < results->len; i++)
    {
      CrmWireResult *result = g_ptr_array_index (results, i);

      if (result->mutation_id != NULL)
        ok = apply_result (&answer, result, error);
    }
  if (ok)
    ok = _crm_store_sync_set_applying (self, FALSE, error);
  /* before the end: a statement left running would keep the transaction */
  answer_clear (&answer);
  return _crm_store_end (self, ok, error);
}

/**
 * crm_store_outbox_note_failure:
 * @mutation_ids: the mutations of a push that got no answer
 * @message: why, for the person
 *
 * Counts an attempt on each; they stay in the queue.
 */
gboolean
crm_store_outbox_note_failure (CrmStore            *self,
                               const char * const  *mutation_ids,
                               const char          *message,
                               GError             **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *what = _("Cannot save the sync state");
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (mutation_ids != NULL, FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db,
                             "UPDATE outbox SET attempts = attempts + 1, last_error = ?2"
                             " WHERE mutation_id = ?1",
                             0, what, error);
  ok = stmt != NULL;
  for (guint i = 0; ok && mutation_ids[i] != NULL; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, mutation_ids[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, message, -1, SQLITE_STATIC);
      ok = _crm_store_step_done (stmt, what, error);
    }
  return _crm_store_end (self, ok, error);
}

/**
 * crm_store_outbox_rejections:
 *
 * Returns: (transfer full) (element-type CrmOutboxRejection): the
 *   mutations the server refused, oldest first.
 */
GPtrArray *
crm_store_outbox_rejections (CrmStore  *self,
                             GError   **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)crm_outbox_rejection_free);
  stmt = _crm_store_prepare (self->db,
                             "SELECT local_seq, mutation_id, kind, record_id, op, fields_json,"
                             " last_error FROM outbox WHERE state = 'rejected'"
                             " ORDER BY local_seq",
                             0, _("Cannot read the refused changes"), error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmOutboxRejection *row = g_new0 (CrmOutboxRejection, 1);

      row->local_seq = sqlite3_column_int64 (stmt, 0);
      row->mutation_id = _crm_store_column_dup (stmt, 1);
      row->kind = column_kind (stmt, 2);
      row->record_id = _crm_store_column_dup (stmt, 3);
      crm_wire_op_from_string ((const char *)sqlite3_column_text (stmt, 4), &row->op);
      row->fields_json = _crm_store_column_dup (stmt, 5);
      row->last_error = _crm_store_column_dup (stmt, 6);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot read the refused changes"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* The resync's queue (crm_store_begin_resync()), with ?1 the epoch base:
 * the records acknowledged above it (the server lost them) are queued
 * again whole, their older pending rows folded in (the record holds their
 * values). Order: their live contacts first (deals may name them); then
 * the other pending rows as they were; then their deals, the
 * certification, their follow-ups, and last their contact deletes (after
 * the deals and follow-ups that name those contacts). Numbers above the
 * base are the old epoch's and mean other things in the new one: the
 * records' server_version and the kept rows' base_version come down to the
 * base, which is right, as a record seen above the base was seen at the
 * base too. */
#define RESYNC_SQL \
  "DROP TABLE IF EXISTS temp.resync_keep;" \
  "CREATE TEMP TABLE resync_keep AS SELECT * FROM outbox o WHERE state = 'pending'" \
  " AND NOT (kind = 'contact' AND record_id IN" \
  "          (SELECT id FROM contacts WHERE server_version > ?1))" \
  " AND NOT (kind = 'deal' AND record_id IN" \
  "          (SELECT id FROM deals WHERE server_version > ?1))" \
  " AND NOT (kind = 'followup' AND record_id IN" \
  "          (SELECT id FROM followups WHERE server_version > ?1))" \
  " AND NOT (kind = 'certification' AND EXISTS" \
  "          (SELECT 1 FROM certification WHERE server_version > ?1" \
  "           AND status IN ('draft', 'submitted')));" \
  "DELETE FROM outbox WHERE state = 'pending';" \
  "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)" \
  " SELECT " CRM_SYNC_UUID_SQL ", 'contact', id, 'upsert', ?1, " \
  CRM_SYNC_CONTACT_JSON " FROM contacts WHERE server_version > ?1 AND deleted = 0" \
  " ORDER BY local_id;" \
  "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json," \
  " attempts, last_error)" \
  " SELECT mutation_id, kind, record_id, op, min (base_version, ?1), fields_json, attempts," \
  " last_error FROM resync_keep ORDER BY local_seq;" \
  "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)" \
  " SELECT " CRM_SYNC_UUID_SQL ", 'deal', id," \
  " CASE deleted WHEN 0 THEN 'upsert' ELSE 'delete' END, ?1," \
  " CASE deleted WHEN 0 THEN " CRM_SYNC_DEAL_JSON " ELSE '{}' END" \
  " FROM deals WHERE server_version > ?1 ORDER BY local_id;" \
  "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)" \
  " SELECT " CRM_SYNC_UUID_SQL ", 'certification', '', 'upsert', ?1, " \
  CRM_SYNC_CERTIFICATION_JSON " FROM certification WHERE server_version > ?1" \
  " AND status IN ('draft', 'submitted');" \
  "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)" \
  " SELECT " CRM_SYNC_UUID_SQL ", 'followup', id," \
  " CASE deleted WHEN 0 THEN 'upsert' ELSE 'delete' END, ?1," \
  " CASE deleted WHEN 0 THEN " CRM_SYNC_FOLLOWUP_JSON " ELSE '{}' END" \
  " FROM followups WHERE server_version > ?1 ORDER BY local_id;" \
  "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)" \
  " SELECT " CRM_SYNC_UUID_SQL ", 'contact', id, 'delete', ?1, '{}'" \
  " FROM contacts WHERE server_version > ?1 AND deleted = 1 ORDER BY local_id;" \
  "DROP TABLE temp.resync_keep;" \
  "UPDATE contacts SET server_version = ?1 WHERE server_version > ?1;" \
  "UPDATE deals SET server_version = ?1 WHERE server_version > ?1;" \
  "UPDATE followups SET server_version = ?1 WHERE server_version > ?1;" \
  "UPDATE certification SET server_version = ?1 WHERE server_version > ?1;" \
  "DELETE FROM sync_parked;" \
  "UPDATE sync_state SET cursor = 0, server_epoch = ?2;"

/* runs each statement of @sql with ?1 and ?2 bound */
static gboolean
exec_bound (CrmStore    *self,
            const char  *sql,
            gint64       number,
            const char  *text,
            const char  *what,
            GError     **error)
{
  const char *next = sql;

  while (next != NULL && *next != '\0')
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;
      const char *tail = NULL;
      int rc = sqlite3_prepare_v2 (self->db, next, -1, &stmt, &tail);

      if (rc != SQLITE_OK)
        return _crm_store_set_error (error, self->db, rc, what);
      next = tail;
      if (stmt == NULL)
        continue;
      if (sqlite3_bind_parameter_count (stmt) >= 1)
        sqlite3_bind_int64 (stmt, 1, number);
      if (sqlite3_bind_parameter_count (stmt) >= 2)
        sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
      if (!_crm_store_step_done (stmt, what, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * crm_store_begin_resync:
 * @server_epoch: the server's new epoch
 * @epoch_base: what the restored server still has: the company's last seq
 *   when the epoch began
 *
 * The cursor goes back to 0 (the next pull reads everything again), the
 * outbox stays, and each record acknowledged above @epoch_base is queued
 * again whole (RESYNC_SQL says in which order and why). Parked deals are
 * dropped: the pull from 0 brings them again.
 */
gboolean
crm_store_begin_resync (CrmStore    *self,
                        const char  *server_epoch,
                        gint64       epoch_base,
                        GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (server_epoch != NULL, FALSE);
  g_return_val_if_fail (epoch_base >= 0, FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  ok = _crm_store_sync_set_applying (self, TRUE, error)
       && exec_bound (self, RESYNC_SQL, epoch_base, server_epoch,
                      _("Cannot start syncing again"), error)
       && _crm_store_sync_set_applying (self, FALSE, error);
  return _crm_store_end (self, ok, error);
}
