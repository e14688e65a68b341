/* crm-server-sync.c — the server's side of sync: a push applied once per
 * mutation and merged field by field, a pull page, the review of a
 * certification
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/sync-protocol.md is the spec ("push", rules 1–6; pull; epochs): the
 * comments below name its rules. Nothing here knows SQL: it works through
 * CrmServerStorage only, so the PostgreSQL backend inherits it unchanged.
 *
 * A stored record keeps, per field, the version that last changed it and
 * the client that changed it (field_versions_json: field → [version,
 * "client_id", "user name", "UTC time"]; the last two since conflict_by and
 * conflict_at, so older records have pairs and their conflicts name no
 * one). Rule 3's conflict is exactly: that version is above the
 * mutation's base_version, that client is not this one, and the values
 * differ. The server's own writes (certify) count as the client and user
 * "server". Who and when live beside the version, in the same JSON text,
 * so no backend needs a column for them.
 *
 * The epoch guard is crm-server-epoch.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-server-sync-private.h"

#define SERVER_CLIENT "server"   /* the client id of the server's own writes */
#define MAX_REASON    1000       /* characters of a certification's reject reason */
/* a pull page's stored text at most, about: half the body a client reads */
#define MAX_PAGE_BYTES (CRM_WIRE_MAX_BODY / 2)

G_DEFINE_QUARK (crm-server-sync-error-quark, crm_server_sync_error)

typedef struct
{
  CrmServerStorage     *storage;
  const CrmServerActor *actor;
  const char           *client_id;
  gint64                seq;      /* the company's last seq, inside the write */
  char                 *now;
} Push;

/* JSON helpers */

static JsonObject *
parse_object (const char  *text,
              GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text ? text : "{}", -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                           "a stored record is not a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* a copy whose members can be replaced without touching @object (the
 * members' values are only ever replaced, never changed in place) */
static JsonObject *
copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  g_autoptr (GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            json_node_copy (json_object_get_member (object, l->data)));
  return copy;
}

static char *
object_to_string (JsonObject *object)
{
  return crm_wire_object_to_text (object, NULL);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
now_iso (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* the stored record's field @name: was it last changed after @base_version
 * by a client other than @client_id? */
static gboolean
changed_by_other (JsonObject *versions,
                  const char *name,
                  gint64      base_version,
                  const char *client_id)
{
  JsonNode *node = json_object_get_member (versions, name);
  JsonArray *pair;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  pair = json_node_get_array (node);
  if (json_array_get_length (pair) < 2)
    return FALSE;
  return json_array_get_int_element (pair, 0) > base_version
         && g_strcmp0 (json_array_get_string_element (pair, 1), client_id) != 0;
}

static void
set_field_version (JsonObject *versions,
                   const char *name,
                   gint64      version,
                   const char *client_id,
                   const char *user_name,
                   const char *at)
{
  JsonArray *entry = json_array_sized_new (4);

  json_array_add_int_element (entry, version);
  json_array_add_string_element (entry, client_id);
  json_array_add_string_element (entry, user_name);
  json_array_add_string_element (entry, at);
  json_object_set_array_member (versions, name, entry);
}

/* conflict_by and conflict_at: who set the stored field @name, and when,
 * when its entry says (a string each; older entries do not) */
static void
note_who (JsonObject *versions,
          const char *name,
          JsonObject *by,
          JsonObject *at)
{
  JsonNode *node = json_object_get_member (versions, name);
  JsonArray *entry;
  JsonNode *user, *when;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  entry = json_node_get_array (node);
  if (json_array_get_length (entry) < 4)
    return;
  user = json_array_get_element (entry, 2);
  when = json_array_get_element (entry, 3);
  if (JSON_NODE_HOLDS_VALUE (user) && json_node_get_value_type (user) == G_TYPE_STRING
      && *json_node_get_string (user) != '\0')
    json_object_set_string_member (by, name, json_node_get_string (user));
  if (JSON_NODE_HOLDS_VALUE (when) && json_node_get_value_type (when) == G_TYPE_STRING)
    json_object_set_string_member (at, name, json_node_get_string (when));
}

/* results */

static void
reject (CrmWireResult *result,
        const char    *code,
        const char    *message)
{
  result->status = CRM_WIRE_STATUS_REJECTED;
  result->version = 0;
  g_clear_pointer (&result->conflicts, g_strfreev);
  g_clear_pointer (&result->conflict_values, json_object_unref);
  g_clear_pointer (&result->conflict_by, json_object_unref);
  g_clear_pointer (&result->conflict_at, json_object_unref);
  g_free (result->error);
  result->error = g_strdup (code);
  g_free (result->message);
  result->message = g_strdup (message);
}

static char *
result_to_json (CrmWireResult *result)
{
  g_autoptr (GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, result);
  return crm_wire_build_push_response (one, NULL);
}

static CrmWireResult *
result_from_json (const char  *text,
                  GError     **error)
{
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) local = NULL;

  if (!crm_wire_parse_push_response (text, strlen (text), &results, &local)
      || results == NULL || results->len != 1)
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   "a stored result cannot be read: %s", local ? local->message : "");
      return NULL;
    }
  return g_ptr_array_steal_index (results, 0);
}

/* writes */

static gboolean
put (Push             *push,
     CrmServerRecord  *record,
     GError          **error)
{
  record->version = ++push->seq;
  return crm_server_storage_put_record (push->storage, push->actor->company_id, record, error);
}

/* A rejected mutation of a record the server has: the record goes into the
 * feed again (a new seq, nothing else changed), so that the client that
 * sent it returns to the server's copy. */
static gboolean
re_emit (Push             *push,
         CrmServerRecord  *record,
         GError          **error)
{
  return record == NULL || put (push, record, error);
}

/* the company's record of @kind named by @merged's field @name, in
 * *@found (NULL when it names none or one the company does not have);
 * FALSE only when the storage failed */
static gboolean
find_reference (Push              *push,
                JsonObject        *merged,
                const char        *name,
                CrmWireKind        kind,
                CrmServerRecord  **found,
                GError           **error)
{
  const char *id = get_string (merged, name);
  GError *local = NULL;

  *found = NULL;
  if (id == NULL)
    return TRUE;
  *found = crm_server_storage_get_record (push->storage, push->actor->company_id,
                                          crm_wire_kind_to_string (kind), id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* rule 5: a deal or a follow-up naming a deleted contact brings it back,
 * as a change of its own; FALSE with @code when the contact is unknown */
static gboolean
check_contact (Push         *push,
               JsonObject   *merged,
               const char  **code,
               GError      **error)
{
  g_autoptr (CrmServerRecord) contact = NULL;

  *code = NULL;
  if (!find_reference (push, merged, "contact_id", CRM_WIRE_KIND_CONTACT, &contact, error))
    return FALSE;
  if (contact == NULL && get_string (merged, "contact_id") == NULL)
    return TRUE;
  if (contact == NULL)
    {
      *code = "unknown_contact";
      return FALSE;
    }
  if (!contact->deleted)
    return TRUE;
  contact->deleted = FALSE;
  g_free (contact->updated_by);
  contact->updated_by = g_strdup (push->actor->user_name);
  g_free (contact->updated_at);
  contact->updated_at = g_strdup (push->now);
  return put (push, contact, error);
}

/* rule 5: a follow-up's deal_id names a deal of the company (a deleted one
 * too: the follow-up keeps its history); FALSE with @code when unknown */
static gboolean
check_deal (Push         *push,
            JsonObject   *followup,
            const char  **code,
            GError      **error)
{
  g_autoptr (CrmServerRecord) deal = NULL;

  *code = NULL;
  if (!find_reference (push, followup, "deal_id", CRM_WIRE_KIND_DEAL, &deal, error))
    return FALSE;
  if (deal == NULL && get_string (followup, "deal_id") != NULL)
    {
      *code = "unknown_deal";
      return FALSE;
    }
  return TRUE;
}

/* rule 6, before anything else of a certification */
static const char *
check_certification (Push                   *push,
                     const CrmWireMutation  *mutation,
                     CrmServerRecord        *record,
                     JsonObject             *stored,
                     const char            **message,
                     GError                **error)
{
  const char *status;
  const char *sha256;

  if (g_strcmp0 (mutation->id, push->actor->company_id) != 0)
    {
      *message = "a certification's id is its company's id";
      return "forbidden";
    }
  if (stored != NULL && g_strcmp0 (get_string (stored, "status"), "certified") == 0)
    {
      *message = "the certification is certified and cannot change";
      return "locked";
    }
  if (mutation->op == CRM_WIRE_OP_DELETE)
    {
      *message = "a certification cannot be deleted";
      return "forbidden";
    }
  /* the server's own values may come back unchanged (a whole record sent
   * again after a resync): only a change is refused */
  status = get_string (mutation->fields, "status");
  if (json_object_has_member (mutation->fields, "status")
      && g_strcmp0 (status, "draft") != 0 && g_strcmp0 (status, "submitted") != 0
      && (stored == NULL || g_strcmp0 (status, get_string (stored, "status")) != 0))
    {
      *message = "a client may set the status to draft or submitted only";
      return "forbidden";
    }
  if (json_object_has_member (mutation->fields, "reject_reason")
      && g_strcmp0 (get_string (mutation->fields, "reject_reason"),
                    stored ? get_string (stored, "reject_reason") : "") != 0)
    {
      *message = "reject_reason is set by the server only";
      return "forbidden";
    }
  sha256 = get_string (mutation->fields, "license_sha256");
  if (sha256 != NULL)
    {
      GError *local = NULL;

      if (!crm_server_storage_has_blob (push->storage, push->actor->company_id, sha256, NULL,
                                        &local))
        {
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return NULL;
            }
          *message = "license_sha256 names no uploaded blob";
          return "blob_missing";
        }
    }
  return NULL;
}

static gboolean
apply_delete (Push                   *push,
              const CrmWireMutation  *mutation,
              CrmServerRecord        *record,
              CrmWireResult          *result,
              GError                **error)
{
  if (record == NULL)
    {
      /* nothing to delete: the record never reached the server */
      result->status = CRM_WIRE_STATUS_APPLIED;
      result->version = 0;
      return TRUE;
    }
  if (record->deleted)
    {
      result->status = CRM_WIRE_STATUS_APPLIED;
      result->version = record->version;
      return TRUE;
    }
  if (mutation->kind == CRM_WIRE_KIND_CONTACT)
    {
      g_autoptr (GPtrArray) deals = NULL;
      GError *local = NULL;

      deals = crm_server_storage_find_records (push->storage, push->actor->company_id,
                                               crm_wire_kind_to_string (CRM_WIRE_KIND_DEAL),
                                               "contact_id", mutation->id, &local);
      if (deals == NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      for (guint i = 0; i < deals->len; i++)
        if (!((CrmServerRecord *) deals->pdata[i])->deleted)
          {
            reject (result, "contact_has_deals", "the contact still has deals on the server");
            return re_emit (push, record, error);
          }
    }
  record->deleted = TRUE;
  g_free (record->updated_by);
  record->updated_by = g_strdup (push->actor->user_name);
  g_free (record->updated_at);
  record->updated_at = g_strdup (push->now);
  if (!put (push, record, error))
    return FALSE;
  result->status = CRM_WIRE_STATUS_APPLIED;
  result->version = record->version;
  return TRUE;
}

/* rules 2–5 for an upsert; @record and @stored may be NULL (a new record) */
static gboolean
apply_upsert (Push                   *push,
              const CrmWireMutation  *mutation,
              CrmServerRecord        *record,
              JsonObject             *stored,
              CrmWireResult          *result,
              GError                **error)
{
  g_autoptr (JsonObject) merged = stored ? copy_object (stored) : json_object_new ();
  g_autoptr (JsonObject) versions = NULL;
  g_autoptr (JsonObject) lost = json_object_new ();
  g_autoptr (JsonObject) lost_by = json_object_new ();
  g_autoptr (JsonObject) lost_at = json_object_new ();
  g_autoptr (GPtrArray) conflicts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) changed = g_ptr_array_new ();
  g_autoptr (GList) names = NULL;
  g_autoptr (GError) invalid = NULL;
  g_autofree char *failed_field = NULL;
  g_autoptr (CrmServerRecord) fresh = NULL;
  const char *code = NULL;

  if (record != NULL)
    {
      versions = parse_object (record->field_versions_json, error);
      if (versions == NULL)
        return FALSE;
    }
  else
    versions = json_object_new ();

  names = json_object_get_members (mutation->fields);
  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (merged, l->data,
                            json_node_copy (json_object_get_member (mutation->fields, l->data)));

  /* a resubmitted certification: the last review's reason goes */
  if (mutation->kind == CRM_WIRE_KIND_CERTIFICATION
      && g_strcmp0 (get_string (mutation->fields, "status"), "submitted") == 0
      && json_object_has_member (merged, "reject_reason"))
    json_object_set_string_member (merged, "reject_reason", "");

  /* rule 2: the core's rules judge the merged record, stored normalised */
  if (!crm_wire_validate_record (mutation->kind, merged, &failed_field, &invalid))
    {
      reject (result, "invalid", invalid ? invalid->message : "invalid");
      return re_emit (push, record, error);
    }

  /* rule 5: references (a follow-up's deal first: nothing is brought back
   * for a follow-up that is refused) */
  if (mutation->kind == CRM_WIRE_KIND_DEAL || mutation->kind == CRM_WIRE_KIND_FOLLOWUP)
    {
      GError *local = NULL;

      if ((mutation->kind == CRM_WIRE_KIND_FOLLOWUP && !check_deal (push, merged, &code, &local))
          || !check_contact (push, merged, &code, &local))
        {
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          reject (result, code, g_str_equal (code, "unknown_deal")
                                ? "deal_id names no deal of the company"
                                : "contact_id names no contact of the company");
          return re_emit (push, record, error);
        }
    }

  /* rule 3: what changed, and what both sides changed */
  g_clear_pointer (&names, g_list_free);
  names = json_object_get_members (merged);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *now = json_object_get_member (merged, name);
      JsonNode *old = stored ? json_object_get_member (stored, name) : NULL;

      if (old != NULL && json_node_equal (old, now))
        continue;
      g_ptr_array_add (changed, (gpointer) name);
      if (old != NULL && json_object_has_member (mutation->fields, name)
          && changed_by_other (versions, name, mutation->base_version, push->client_id))
        {
          g_ptr_array_add (conflicts, g_strdup (name));
          json_object_set_member (lost, name, json_node_copy (old));
          note_who (versions, name, lost_by, lost_at);
        }
    }
  /* rule 4: an upsert brings a deleted record back */
  if (record != NULL && record->deleted)
    g_ptr_array_add (conflicts, g_strdup ("deleted"));

  if (record != NULL && !record->deleted && changed->len == 0)
    {
      result->status = CRM_WIRE_STATUS_APPLIED;
      result->version = record->version;
      return TRUE;
    }

  fresh = g_new0 (CrmServerRecord, 1);
  fresh->kind = g_strdup (crm_wire_kind_to_string (mutation->kind));
  fresh->id = g_strdup (mutation->id);
  fresh->deleted = FALSE;
  fresh->updated_by = g_strdup (push->actor->user_name);
  fresh->updated_at = g_strdup (push->now);
  for (guint i = 0; i < changed->len; i++)
    set_field_version (versions, changed->pdata[i], push->seq + 1, push->client_id,
                       push->actor->user_name, push->now);
  fresh->fields_json = object_to_string (merged);
  fresh->field_versions_json = object_to_string (versions);
  if (!put (push, fresh, error))
    return FALSE;

  result->status = CRM_WIRE_STATUS_APPLIED;
  result->version = fresh->version;
  if (conflicts->len > 0)
    {
      g_ptr_array_add (conflicts, NULL);
      result->conflicts = (GStrv) g_ptr_array_steal (conflicts, NULL);
    }
  if (json_object_get_size (lost) > 0)
    result->conflict_values = g_steal_pointer (&lost);
  if (json_object_get_size (lost_by) > 0)
    result->conflict_by = g_steal_pointer (&lost_by);
  if (json_object_get_size (lost_at) > 0)
    result->conflict_at = g_steal_pointer (&lost_at);
  return TRUE;
}

/* one mutation, not yet applied: fills @result; FALSE only when the
 * storage failed */
static gboolean
apply_mutation (Push                   *push,
                const CrmWireMutation  *mutation,
                CrmWireResult          *result,
                GError                **error)
{
  g_autoptr (CrmServerRecord) record = NULL;
  g_autoptr (JsonObject) stored = NULL;
  const char *message = NULL;
  const char *code;
  GError *local = NULL;

  result->mutation_id = g_strdup (mutation->mutation_id);
  record = crm_server_storage_get_record (push->storage, push->actor->company_id,
                                          crm_wire_kind_to_string (mutation->kind),
                                          mutation->id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (record != NULL)
    {
      stored = parse_object (record->fields_json, error);
      if (stored == NULL)
        return FALSE;
    }

  if (mutation->kind == CRM_WIRE_KIND_CERTIFICATION)
    {
      code = check_certification (push, mutation, record, stored, &message, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      if (code != NULL)
        {
          reject (result, code, message);
          return re_emit (push, record, error);
        }
    }

  if (mutation->op == CRM_WIRE_OP_DELETE)
    return apply_delete (push, mutation, record, result, error);
  return apply_upsert (push, mutation, record, stored, result, error);
}

/* public */

/**
 * crm_server_push:
 *
 * See crm-server-sync.h.
 */
GPtrArray *
crm_server_push (CrmServerStorage      *storage,
                 const char            *dir,
                 const CrmServerActor  *actor,
                 const char            *client_id,
                 GPtrArray             *mutations,
                 GError               **error)
{
  g_autoptr (GPtrArray) results = NULL;
  g_autofree char *now = now_iso ();
  Push push = { storage, actor, client_id, 0, now };

  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (storage), NULL);
  g_return_val_if_fail (actor != NULL && actor->company_id != NULL, NULL);
  g_return_val_if_fail (client_id != NULL && mutations != NULL, NULL);

  if (!crm_server_storage_begin (storage, actor->company_id, &push.seq, error))
    return NULL;

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_result_free);
  for (guint i = 0; i < mutations->len; i++)
    {
      const CrmWireMutation *mutation = mutations->pdata[i];
      g_autoptr (CrmWireResult) result = NULL;
      g_autofree char *stored = NULL;
      g_autofree char *json = NULL;
      GError *local = NULL;

      /* rule 1: once */
      stored = crm_server_storage_find_result (storage, actor->company_id, client_id,
                                               mutation->mutation_id, &local);
      if (local != NULL)
        goto failed;
      if (stored != NULL)
        {
          result = result_from_json (stored, &local);
          if (result == NULL)
            goto failed;
          result->status = CRM_WIRE_STATUS_DUPLICATE;
          g_ptr_array_add (results, g_steal_pointer (&result));
          continue;
        }

      result = crm_wire_result_new ();
      if (!apply_mutation (&push, mutation, result, &local))
        goto failed;
      json = result_to_json (result);
      if (!crm_server_storage_put_result (storage, actor->company_id, client_id,
                                          mutation->mutation_id, json, &local))
        goto failed;
      g_ptr_array_add (results, g_steal_pointer (&result));
      continue;

    failed:
      crm_server_storage_end (storage, FALSE, NULL);
      g_propagate_error (error, local);
      return NULL;
    }

  if (!crm_server_storage_end (storage, TRUE, error))
    return NULL;
  _crm_server_sync_advance_guard (storage, dir);
  return g_steal_pointer (&results);
}

/* a pull page; @stored_text: the fields left as the stored text */
static CrmWirePull *
pull_page (CrmServerStorage  *storage,
           const char        *company_id,
           gint64             cursor,
           guint              limit,
           gboolean           stored_text,
           gint64            *epoch_base,
           GError           **error)
{
  g_autoptr (CrmServerCompany) company = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (CrmWirePull) pull = NULL;
  g_autofree char *epoch = NULL;
  GError *local = NULL;
  gsize page_bytes = 0;
  guint n;

  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (storage), NULL);
  g_return_val_if_fail (company_id != NULL, NULL);

  if (limit < 1 || limit > CRM_WIRE_MAX_CHANGES || cursor < 0)
    {
      g_set_error (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_INVALID,
                   "the cursor must be 0 or more and the limit 1 to %d", CRM_WIRE_MAX_CHANGES);
      return NULL;
    }
  company = crm_server_storage_find_company (storage, company_id, error);
  if (company == NULL)
    return NULL;
  epoch = crm_server_storage_get_epoch (storage, &local);
  if (epoch == NULL)
    {
      if (local == NULL)
        g_set_error_literal (&local, CRM_SERVER_STORAGE_ERROR,
                             CRM_SERVER_STORAGE_ERROR_FAILED, "the storage has no epoch");
      g_propagate_error (error, local);
      return NULL;
    }
  if (cursor > company->seq)
    {
      if (epoch_base != NULL)
        *epoch_base = company->seq;
      g_set_error (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_CURSOR_EXPIRED,
                   "the cursor %" G_GINT64_FORMAT " is ahead of the server's last change %"
                   G_GINT64_FORMAT, cursor, company->seq);
      return NULL;
    }

  records = crm_server_storage_pull (storage, company_id, cursor, limit + 1, error);
  if (records == NULL)
    return NULL;

  pull = crm_wire_pull_new ();
  g_free (pull->server_epoch);
  pull->server_epoch = g_steal_pointer (&epoch);
  pull->epoch_base = company->epoch_base;
  if (pull->changes == NULL)
    pull->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_change_free);
  pull->has_more = records->len > limit;
  pull->next_cursor = cursor;
  n = MIN (records->len, limit);
  for (guint i = 0; i < n; i++)
    {
      const CrmServerRecord *record = records->pdata[i];

      g_autoptr (CrmWireChange) change = NULL;
      JsonObject *fields;

      /* a page stays well under the body limit a client reads (a page of
       * 1,000 records with long notes could pass it): the rest is the next
       * page's, and a page always has its first record */
      page_bytes += (record->fields_json ? strlen (record->fields_json) : 0) + 256;
      if (i > 0 && page_bytes > MAX_PAGE_BYTES)
        {
          pull->has_more = TRUE;
          break;
        }
      change = crm_wire_change_new ();

      if (!crm_wire_kind_from_string (record->kind, &change->kind))
        {
          g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                       "a stored record has the kind %s", record->kind);
          return NULL;
        }
      if (stored_text)
        {
          /* written by this server after the rules judged it: only what a
           * damaged file could hold is looked for */
          g_autoptr (GError) local_error = NULL;
          CrmServerRecord *mutable = records->pdata[i];

          if (mutable->fields_json == NULL
              || !crm_wire_check_object_text (mutable->fields_json,
                                              strlen (mutable->fields_json), &local_error))
            {
              g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                           "a stored record is not a JSON object: %s",
                           local_error ? local_error->message : "none");
              return NULL;
            }
          change->fields_json = g_steal_pointer (&mutable->fields_json);
        }
      else
        {
          fields = parse_object (record->fields_json, error);
          if (fields == NULL)
            return NULL;
          g_clear_pointer (&change->fields, json_object_unref);
          change->fields = fields;
        }
      change->seq = record->version;
      change->version = record->version;
      change->id = g_strdup (record->id);
      change->deleted = record->deleted;
      change->updated_by = g_strdup (record->updated_by);
      change->updated_at = g_strdup (record->updated_at);
      pull->next_cursor = record->version;
      g_ptr_array_add (pull->changes, g_steal_pointer (&change));
    }
  return g_steal_pointer (&pull);
}

/**
 * crm_server_pull:
 *
 * See crm-server-sync.h. @limit is 1 to CRM_WIRE_MAX_CHANGES; @epoch_base
 * is set only with CRM_SERVER_SYNC_ERROR_CURSOR_EXPIRED (the company's last
 * seq); the page's own epoch_base is the company's since the epoch began.
 */
CrmWirePull *
crm_server_pull (CrmServerStorage  *storage,
                 const char        *company_id,
                 gint64             cursor,
                 guint              limit,
                 gint64            *epoch_base,
                 GError           **error)
{
  return pull_page (storage, company_id, cursor, limit, FALSE, epoch_base, error);
}

/**
 * crm_server_pull_stored:
 *
 * See crm-server-sync.h: crm_server_pull() with the fields left as text.
 */
CrmWirePull *
crm_server_pull_stored (CrmServerStorage  *storage,
                        const char        *company_id,
                        gint64             cursor,
                        guint              limit,
                        gint64            *epoch_base,
                        GError           **error)
{
  return pull_page (storage, company_id, cursor, limit, TRUE, epoch_base, error);
}

/**
 * crm_server_certify:
 *
 * See crm-server-sync.h. Only a submitted certification is reviewed; a
 * rejection needs its reason.
 */
gboolean
crm_server_certify (CrmServerStorage  *storage,
                    const char        *dir,
                    const char        *company_id,
                    gboolean           approve,
                    const char        *reason,
                    GError           **error)
{
  g_autoptr (CrmServerRecord) record = NULL;
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (JsonObject) versions = NULL;
  g_autofree char *trimmed = g_strdup (reason);
  GError *local = NULL;
  gint64 seq = 0;

  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (storage), FALSE);
  g_return_val_if_fail (company_id != NULL, FALSE);

  if (!approve && (reason == NULL || *g_strstrip (trimmed) == '\0'))
    {
      g_set_error_literal (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_INVALID,
                           _("A rejection needs a reason"));
      return FALSE;
    }
  if (!approve && (!g_utf8_validate (reason, -1, NULL)
                   || g_utf8_strlen (reason, -1) > MAX_REASON))
    {
      g_set_error (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_INVALID,
                   _("The reason must be valid text of at most %d characters"), MAX_REASON);
      return FALSE;
    }

  if (!crm_server_storage_begin (storage, company_id, &seq, error))
    return FALSE;
  record = crm_server_storage_get_record (storage, company_id,
                                          crm_wire_kind_to_string (CRM_WIRE_KIND_CERTIFICATION),
                                          company_id, &local);
  if (record != NULL)
    {
      fields = parse_object (record->fields_json, &local);
      if (fields != NULL)
        versions = parse_object (record->field_versions_json, &local);
    }
  if (local == NULL
      && (versions == NULL || record->deleted
          || g_strcmp0 (get_string (fields, "status"), "submitted") != 0))
    g_set_error_literal (&local, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_INVALID,
                         _("The company has no submitted certification to review"));
  if (local != NULL)
    {
      crm_server_storage_end (storage, FALSE, NULL);
      g_propagate_error (error, local);
      return FALSE;
    }

  g_free (record->updated_at);
  record->updated_at = now_iso ();
  json_object_set_string_member (fields, "status", approve ? "certified" : "rejected");
  set_field_version (versions, "status", seq + 1, SERVER_CLIENT, SERVER_CLIENT,
                     record->updated_at);
  json_object_set_string_member (fields, "reject_reason", approve ? "" : reason);
  set_field_version (versions, "reject_reason", seq + 1, SERVER_CLIENT, SERVER_CLIENT,
                     record->updated_at);
  g_free (record->fields_json);
  record->fields_json = object_to_string (fields);
  g_free (record->field_versions_json);
  record->field_versions_json = object_to_string (versions);
  g_free (record->updated_by);
  record->updated_by = g_strdup (SERVER_CLIENT);
  record->version = seq + 1;
  if (!crm_server_storage_put_record (storage, company_id, record, &local)
      || !crm_server_storage_end (storage, TRUE, &local))
    {
      crm_server_storage_end (storage, FALSE, NULL);
      g_propagate_error (error, local);
      return FALSE;
    }
  _crm_server_sync_advance_guard (storage, dir);
  return TRUE;
}
