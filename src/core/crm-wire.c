/* crm-wire.c — the sync protocol's JSON codec (v1): the bodies
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builders write with JsonBuilder and JsonGenerator; parsers first refuse
 * what json-glib should never see (a body over CRM_WIRE_MAX_BODY, bytes
 * that are not UTF-8, nesting deeper than CRM_WIRE_MAX_DEPTH: its parser
 * recurses; what JSON is not but json-glib accepts; a member named twice),
 * then read the tree member by member. Requests the server
 * reads (push, login) are strict: an unknown member is refused. Answers
 * the client reads tolerate unknown members, so that a newer server can
 * add some, but not a known member of the wrong type. The field tables
 * and the field checks are in crm-wire-fields.c, the gate before
 * json-glib and the member readers in crm-wire-json.c.
 */
#include "config.h"

#include <string.h>

#include "crm-wire-private.h"

G_DEFINE_QUARK (crm-wire-error-quark, crm_wire_error)

CrmWireMutation *
crm_wire_mutation_new (void)
{
  CrmWireMutation *self = g_new0 (CrmWireMutation, 1);

  self->fields = json_object_new ();
  return self;
}

void
crm_wire_mutation_free (CrmWireMutation *self)
{
  if (self == NULL)
    return;
  g_free (self->mutation_id);
  g_free (self->id);
  g_clear_pointer (&self->fields, json_object_unref);
  g_free (self);
}

CrmWireResult *
crm_wire_result_new (void)
{
  return g_new0 (CrmWireResult, 1);
}

void
crm_wire_result_free (CrmWireResult *self)
{
  if (self == NULL)
    return;
  g_free (self->mutation_id);
  g_strfreev (self->conflicts);
  g_clear_pointer (&self->conflict_values, json_object_unref);
  g_clear_pointer (&self->conflict_by, json_object_unref);
  g_clear_pointer (&self->conflict_at, json_object_unref);
  g_free (self->error);
  g_free (self->message);
  g_free (self);
}

CrmWireChange *
crm_wire_change_new (void)
{
  CrmWireChange *self = g_new0 (CrmWireChange, 1);

  self->fields = json_object_new ();
  return self;
}

void
crm_wire_change_free (CrmWireChange *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_clear_pointer (&self->fields, json_object_unref);
  g_free (self->updated_by);
  g_free (self->updated_at);
  g_free (self->fields_json);
  g_free (self);
}

CrmWirePull *
crm_wire_pull_new (void)
{
  CrmWirePull *self = g_new0 (CrmWirePull, 1);

  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify)crm_wire_change_free);
  return self;
}

void
crm_wire_pull_free (CrmWirePull *self)
{
  if (self == NULL)
    return;
  g_free (self->server_epoch);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_free (self);
}

void
crm_wire_login_free (CrmWireLogin *self)
{
  if (self == NULL)
    return;
  g_free (self->company);
  g_free (self->user);
  if (self->password != NULL)
    {
      explicit_bzero (self->password, strlen (self->password));
      g_free (self->password);
    }
  g_free (self->device);
  g_free (self);
}

void
crm_wire_session_free (CrmWireSession *self)
{
  if (self == NULL)
    return;
  if (self->token != NULL)
    {
      explicit_bzero (self->token, strlen (self->token));
      g_free (self->token);
    }
  g_free (self->user_id);
  g_free (self->company_id);
  g_free (self->user_name);
  g_free (self);
}

void
crm_wire_notice_free (CrmWireNotice *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->kind);
  g_free (self->title);
  g_free (self->body);
  g_free (self->published_at);
  g_free (self->effective_at);
  g_free (self->terms_version);
  g_free (self);
}

/* Push */

/**
 * crm_wire_build_push_request:
 * @client_id: the client's CRM_WIRE_UUID
 * @mutations: (element-type CrmWireMutation): the mutations, in order
 * @length: (out) (optional): the length of the text
 *
 * Returns: (transfer full): the body of POST /v1/sync/push. A delete is
 *   written with "fields": {}.
 */
char *
crm_wire_build_push_request (const char *client_id,
                             GPtrArray  *mutations,
                             gsize      *length)
{
  /* by hand, as the pull page (what json-glib's generator writes) */
  GString *out;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (mutations != NULL, NULL);

  out = g_string_sized_new (512 * (mutations->len + 1));
  g_string_append (out, "{\"client_id\":");
  _crm_wire_append_string (out, client_id);
  g_string_append (out, ",\"mutations\":[");
  for (guint i = 0; i < mutations->len; i++)
    {
      CrmWireMutation *m = g_ptr_array_index (mutations, i);

      g_string_append (out, i > 0 ? ",{\"mutation_id\":" : "{\"mutation_id\":");
      _crm_wire_append_string (out, m->mutation_id);
      g_string_append (out, ",\"kind\":");
      _crm_wire_append_string (out, crm_wire_kind_to_string (m->kind));
      g_string_append (out, ",\"id\":");
      _crm_wire_append_string (out, m->id);
      g_string_append (out, ",\"op\":");
      _crm_wire_append_string (out, crm_wire_op_to_string (m->op));
      g_string_append_printf (out, ",\"base_version\":%" G_GINT64_FORMAT ",\"fields\":",
                              m->base_version);
      _crm_wire_append_object (out, m->op == CRM_WIRE_OP_DELETE ? NULL : m->fields);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

static const char *const push_request_members[] = { "client_id", "mutations", NULL };
static const char *const mutation_members[] = {
  "mutation_id", "kind", "id", "op", "base_version", "fields", NULL
};

static CrmWireMutation *
parse_mutation (JsonObject   *object,
                const char   *where,
                GError      **error)
{
  g_autoptr (CrmWireMutation) m = crm_wire_mutation_new ();
  g_autofree char *kind = NULL;
  g_autofree char *op = NULL;
  g_autofree char *path = NULL;
  JsonObject *fields;

  if (!_crm_wire_check_known (object, where, mutation_members, error)
      || !_crm_wire_get_string (object, where, "mutation_id", CRM_WIRE_REQUIRED | CRM_WIRE_UUID,
                                &m->mutation_id, error)
      || !_crm_wire_get_string (object, where, "kind", CRM_WIRE_REQUIRED, &kind, error))
    return NULL;
  if (!crm_wire_kind_from_string (kind, &m->kind))
    {
      path = _crm_wire_path_of (where, "kind");
      _crm_wire_set_malformed (error, path, "not a kind");
      return NULL;
    }
  if (!_crm_wire_get_string (object, where, "id", CRM_WIRE_REQUIRED | CRM_WIRE_UUID, &m->id, error)
      || !_crm_wire_get_string (object, where, "op", CRM_WIRE_REQUIRED, &op, error))
    return NULL;
  if (!crm_wire_op_from_string (op, &m->op))
    {
      path = _crm_wire_path_of (where, "op");
      _crm_wire_set_malformed (error, path, "not an op (upsert or delete)");
      return NULL;
    }
  if (!_crm_wire_get_int (object, where, "base_version", CRM_WIRE_REQUIRED, 0, &m->base_version,
                          error))
    return NULL;

  path = _crm_wire_path_of (where, "fields");
  fields = _crm_wire_get_object (object, where, "fields",
                                 m->op == CRM_WIRE_OP_UPSERT ? CRM_WIRE_REQUIRED
                                                             : CRM_WIRE_OPTIONAL,
                                 error);
  if (fields == NULL)
    return json_object_has_member (object, "fields") || m->op == CRM_WIRE_OP_UPSERT
           ? NULL : g_steal_pointer (&m);
  if (m->op == CRM_WIRE_OP_DELETE && json_object_get_size (fields) > 0)
    {
      _crm_wire_set_malformed (error, path, "a delete carries no fields");
      return NULL;
    }
  if (!crm_wire_check_fields (m->kind, fields, error))
    {
      g_prefix_error (error, "%s.", path);
      return NULL;
    }
  json_object_unref (m->fields);
  m->fields = json_object_ref (fields);
  return g_steal_pointer (&m);
}

/**
 * crm_wire_parse_push_request:
 * @client_id: (out) (transfer full): the client's CRM_WIRE_UUID
 * @mutations: (out) (transfer container) (element-type CrmWireMutation)
 *
 * Strict: refuses an unknown member anywhere, a wrong type, a bad CRM_WIRE_UUID,
 * kind, op or field, a negative base_version, a mutation_id repeated in
 * the body (CRM_WIRE_ERROR_MALFORMED, the place named in the message);
 * a body over CRM_WIRE_MAX_BODY or over CRM_WIRE_MAX_MUTATIONS mutations
 * is CRM_WIRE_ERROR_TOO_LARGE.
 *
 * Returns: whether the body is a push request.
 */
gboolean
crm_wire_parse_push_request (const char  *data,
                             gsize        length,
                             char       **client_id,
                             GPtrArray  **mutations,
                             GError     **error)
{
  g_autoptr (JsonObject) root = NULL;
  g_autoptr (GPtrArray) result = NULL;
  g_autoptr (GHashTable) seen = NULL;
  g_autofree char *id = NULL;
  JsonArray *array;

  g_return_val_if_fail (client_id != NULL, FALSE);
  g_return_val_if_fail (mutations != NULL, FALSE);

  *client_id = NULL;
  *mutations = NULL;
  root = _crm_wire_load_object (data, length, error);
  if (root == NULL
      || !_crm_wire_check_known (root, NULL, push_request_members, error)
      || !_crm_wire_get_string (root, NULL, "client_id", CRM_WIRE_REQUIRED | CRM_WIRE_UUID, &id,
                                error))
    return FALSE;
  array = _crm_wire_get_array (root, NULL, "mutations", CRM_WIRE_REQUIRED, CRM_WIRE_MAX_MUTATIONS,
                               error);
  if (array == NULL)
    return FALSE;

  result = g_ptr_array_new_full (json_array_get_length (array),
                                 (GDestroyNotify)crm_wire_mutation_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("mutations[%u]", i);
      JsonObject *object = _crm_wire_get_element (array, i, where, error);
      CrmWireMutation *m;
      gpointer first;

      if (object == NULL)
        return FALSE;
      m = parse_mutation (object, where, error);
      if (m == NULL)
        return FALSE;
      g_ptr_array_add (result, m);
      if (g_hash_table_lookup_extended (seen, m->mutation_id, NULL, &first))
        {
          _crm_wire_set_malformed (error, where, "mutation_id repeated (mutations[%u])",
                                   GPOINTER_TO_UINT (first));
          return FALSE;
        }
      g_hash_table_insert (seen, m->mutation_id, GUINT_TO_POINTER (i));
    }
  *client_id = g_steal_pointer (&id);
  *mutations = g_steal_pointer (&result);
  return TRUE;
}

/**
 * crm_wire_build_push_response:
 * @results: (element-type CrmWireResult): one per mutation, in order
 *
 * Returns: (transfer full): the answer to a push. "conflicts" is written
 *   when there are some, "conflict_values", "conflict_by", "conflict_at",
 *   "error" and "message" when set.
 */
char *
crm_wire_build_push_response (GPtrArray *results,
                              gsize     *length)
{
  /* by hand, as the pull page (what json-glib's generator writes) */
  GString *out;

  g_return_val_if_fail (results != NULL, NULL);

  out = g_string_sized_new (128 * (results->len + 1));
  g_string_append (out, "{\"results\":[");
  for (guint i = 0; i < results->len; i++)
    {
      CrmWireResult *r = g_ptr_array_index (results, i);

      g_string_append (out, i > 0 ? ",{\"mutation_id\":" : "{\"mutation_id\":");
      _crm_wire_append_string (out, r->mutation_id);
      g_string_append (out, ",\"status\":");
      _crm_wire_append_string (out, crm_wire_status_to_string (r->status));
      g_string_append_printf (out, ",\"version\":%" G_GINT64_FORMAT, r->version);
      if (r->conflicts != NULL && r->conflicts[0] != NULL)
        {
          g_string_append (out, ",\"conflicts\":[");
          for (guint j = 0; r->conflicts[j] != NULL; j++)
            {
              if (j > 0)
                g_string_append_c (out, ',');
              _crm_wire_append_string (out, r->conflicts[j]);
            }
          g_string_append_c (out, ']');
        }
      if (r->conflict_values != NULL)
        {
          g_string_append (out, ",\"conflict_values\":");
          _crm_wire_append_object (out, r->conflict_values);
        }
      _crm_wire_append_conflict_meta (out, r);
      if (r->error != NULL)
        {
          g_string_append (out, ",\"error\":");
          _crm_wire_append_string (out, r->error);
        }
      if (r->message != NULL)
        {
          g_string_append (out, ",\"message\":");
          _crm_wire_append_string (out, r->message);
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/* "deleted", or a field of some kind: what a push result's conflicts name
 * (a result does not say its kind); anything else would end up in the
 * client's conflicts table, shown to a person */
static gboolean
is_conflict_name (const char *name)
{
  if (strcmp (name, "deleted") == 0)
    return TRUE;
  for (guint k = 0; k < CRM_WIRE_N_KINDS; k++)
    {
      const char *const *fields = crm_wire_kind_fields ((CrmWireKind) k);

      for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
        if (strcmp (name, fields[i]) == 0)
          return TRUE;
    }
  return FALSE;
}

static CrmWireResult *
parse_result (JsonObject   *object,
              const char   *where,
              GError      **error)
{
  g_autoptr (CrmWireResult) r = crm_wire_result_new ();
  g_autofree char *status = NULL;
  g_autofree char *path = NULL;
  JsonObject *values;
  JsonArray *conflicts;

  if (!_crm_wire_get_string (object, where, "mutation_id", CRM_WIRE_REQUIRED | CRM_WIRE_UUID,
                             &r->mutation_id, error)
      || !_crm_wire_get_string (object, where, "status", CRM_WIRE_REQUIRED, &status, error))
    return NULL;
  if (!crm_wire_status_from_string (status, &r->status))
    {
      path = _crm_wire_path_of (where, "status");
      _crm_wire_set_malformed (error, path, "not a status");
      return NULL;
    }
  if (!_crm_wire_get_int (object, where, "version", CRM_WIRE_OPTIONAL, 0, &r->version, error)
      || !_crm_wire_get_string (object, where, "error", CRM_WIRE_NULLABLE, &r->error, error)
      || !_crm_wire_get_string (object, where, "message", CRM_WIRE_NULLABLE, &r->message, error))
    return NULL;

  conflicts = _crm_wire_get_array (object, where, "conflicts", CRM_WIRE_OPTIONAL, 64, error);
  if (conflicts == NULL && json_object_has_member (object, "conflicts"))
    return NULL;
  if (conflicts != NULL && json_array_get_length (conflicts) > 0)
    {
      guint n = json_array_get_length (conflicts);

      r->conflicts = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (conflicts, i);

          if (!_crm_wire_node_is_string (node)
              || !is_conflict_name (json_node_get_string (node)))
            {
              g_autofree char *place = g_strdup_printf ("%s.conflicts[%u]", where, i);

              _crm_wire_set_malformed (error, place, "not a field name");
              return NULL;
            }
          r->conflicts[i] = g_strdup (json_node_get_string (node));
        }
    }

  values = _crm_wire_get_object (object, where, "conflict_values", CRM_WIRE_NULLABLE, error);
  if (values == NULL && json_object_has_member (object, "conflict_values")
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "conflict_values")))
    return NULL;
  if (values != NULL)
    r->conflict_values = json_object_ref (values);
  if (!_crm_wire_parse_conflict_meta (object, where, r, error))
    return NULL;
  return g_steal_pointer (&r);
}

/**
 * crm_wire_parse_push_response:
 * @results: (out) (transfer container) (element-type CrmWireResult)
 *
 * Tolerates unknown members; refuses a known one of the wrong type.
 *
 * Returns: whether the body is a push answer.
 */
gboolean
crm_wire_parse_push_response (const char  *data,
                              gsize        length,
                              GPtrArray  **results,
                              GError     **error)
{
  g_autoptr (JsonObject) root = NULL;
  g_autoptr (GPtrArray) result = NULL;
  JsonArray *array;

  g_return_val_if_fail (results != NULL, FALSE);

  *results = NULL;
  root = _crm_wire_load_object (data, length, error);
  if (root == NULL)
    return FALSE;
  array = _crm_wire_get_array (root, NULL, "results", CRM_WIRE_REQUIRED, CRM_WIRE_MAX_MUTATIONS,
                               error);
  if (array == NULL)
    return FALSE;
  result = g_ptr_array_new_full (json_array_get_length (array),
                                 (GDestroyNotify)crm_wire_result_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("results[%u]", i);
      JsonObject *object = _crm_wire_get_element (array, i, where, error);
      CrmWireResult *r;

      if (object == NULL || (r = parse_result (object, where, error)) == NULL)
        return FALSE;
      g_ptr_array_add (result, r);
    }
  *results = g_steal_pointer (&result);
  return TRUE;
}

/* Pull */

/**
 * crm_wire_build_pull_response:
 *
 * Returns: (transfer full): the answer to GET /v1/sync/pull, "epoch_base"
 *   always written.
 */
char *
crm_wire_build_pull_response (const CrmWirePull *pull,
                              gsize             *length)
{
  /* written by hand, not through a JsonBuilder: a change's fields may be
   * text already (fields_json), and a page of 500 records is most of what
   * the server writes; the output is what json-glib's generator writes */
  GString *out;

  g_return_val_if_fail (pull != NULL, NULL);

  out = g_string_sized_new (4096);
  g_string_append (out, "{\"server_epoch\":");
  _crm_wire_append_string (out, pull->server_epoch);
  g_string_append_printf (out, ",\"epoch_base\":%" G_GINT64_FORMAT ",\"changes\":[",
                          pull->epoch_base);
  for (guint i = 0; pull->changes != NULL && i < pull->changes->len; i++)
    {
      CrmWireChange *c = g_ptr_array_index (pull->changes, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"kind\":", c->seq);
      _crm_wire_append_string (out, crm_wire_kind_to_string (c->kind));
      g_string_append (out, ",\"id\":");
      _crm_wire_append_string (out, c->id);
      g_string_append_printf (out, ",\"version\":%" G_GINT64_FORMAT ",\"deleted\":%s"
                              ",\"fields\":", c->version, c->deleted ? "true" : "false");
      if (c->fields_json != NULL)
        g_string_append (out, c->fields_json);
      else
        _crm_wire_append_object (out, c->fields);
      g_string_append (out, ",\"updated_by\":");
      _crm_wire_append_string (out, c->updated_by);
      if (c->updated_at != NULL)
        {
          g_string_append (out, ",\"updated_at\":");
          _crm_wire_append_string (out, c->updated_at);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_printf (out, "],\"next_cursor\":%" G_GINT64_FORMAT ",\"has_more\":%s}",
                          pull->next_cursor, pull->has_more ? "true" : "false");
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

static CrmWireChange *
parse_change (JsonObject   *object,
              const char   *where,
              GError      **error)
{
  g_autoptr (CrmWireChange) c = crm_wire_change_new ();
  g_autofree char *kind = NULL;
  g_autofree char *path = NULL;
  JsonObject *fields;

  if (!_crm_wire_get_int (object, where, "seq", CRM_WIRE_REQUIRED, 0, &c->seq, error)
      || !_crm_wire_get_string (object, where, "kind", CRM_WIRE_REQUIRED, &kind, error))
    return NULL;
  if (!crm_wire_kind_from_string (kind, &c->kind))
    {
      path = _crm_wire_path_of (where, "kind");
      _crm_wire_set_malformed (error, path, "not a kind");
      return NULL;
    }
  if (!_crm_wire_get_string (object, where, "id", CRM_WIRE_REQUIRED | CRM_WIRE_UUID, &c->id, error)
      || !_crm_wire_get_int (object, where, "version", CRM_WIRE_REQUIRED, 0, &c->version, error)
      || !_crm_wire_get_bool (object, where, "deleted", CRM_WIRE_REQUIRED, &c->deleted, error)
      || !_crm_wire_get_string (object, where, "updated_by",
                                CRM_WIRE_REQUIRED | CRM_WIRE_NULLABLE, &c->updated_by, error)
      || !_crm_wire_get_string (object, where, "updated_at", CRM_WIRE_NULLABLE, &c->updated_at,
                                error))
    return NULL;
  fields = _crm_wire_get_object (object, where, "fields", CRM_WIRE_REQUIRED, error);
  if (fields == NULL)
    return NULL;
  if (!crm_wire_check_fields (c->kind, fields, error))
    {
      path = _crm_wire_path_of (where, "fields");
      g_prefix_error (error, "%s.", path);
      return NULL;
    }
  json_object_unref (c->fields);
  c->fields = json_object_ref (fields);
  return g_steal_pointer (&c);
}

/**
 * crm_wire_parse_pull_response:
 *
 * Tolerates unknown members; refuses a known one of the wrong type, a
 * field that is not of its kind, over CRM_WIRE_MAX_CHANGES changes
 * (CRM_WIRE_ERROR_TOO_LARGE). "epoch_base" is 0 when absent.
 *
 * Returns: (transfer full): the page, or %NULL.
 */
CrmWirePull *
crm_wire_parse_pull_response (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr (JsonObject) root = NULL;
  g_autoptr (CrmWirePull) pull = crm_wire_pull_new ();
  JsonArray *array;

  root = _crm_wire_load_object (data, length, error);
  if (root == NULL
      || !_crm_wire_get_string (root, NULL, "server_epoch", CRM_WIRE_REQUIRED | CRM_WIRE_UUID,
                                &pull->server_epoch, error)
      || !_crm_wire_get_int (root, NULL, "epoch_base", CRM_WIRE_OPTIONAL, 0, &pull->epoch_base,
                             error)
      || !_crm_wire_get_int (root, NULL, "next_cursor", CRM_WIRE_REQUIRED, 0, &pull->next_cursor,
                             error)
      || !_crm_wire_get_bool (root, NULL, "has_more", CRM_WIRE_REQUIRED, &pull->has_more, error))
    return NULL;
  array = _crm_wire_get_array (root, NULL, "changes", CRM_WIRE_REQUIRED, CRM_WIRE_MAX_CHANGES,
                               error);
  if (array == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("changes[%u]", i);
      JsonObject *object = _crm_wire_get_element (array, i, where, error);
      CrmWireChange *c;

      if (object == NULL || (c = parse_change (object, where, error)) == NULL)
        return NULL;
      /* a page is in order of seq, and next_cursor is its last seq: a
       * server that skips ahead would make the client miss changes */
      if (i > 0 && c->seq <= ((CrmWireChange *) g_ptr_array_index (pull->changes, i - 1))->seq)
        {
          g_autofree char *place = _crm_wire_path_of (where, "seq");

          crm_wire_change_free (c);
          _crm_wire_set_malformed (error, place, "not after the change before it");
          return NULL;
        }
      g_ptr_array_add (pull->changes, c);
    }
  if (pull->changes->len > 0
      && pull->next_cursor != ((CrmWireChange *) g_ptr_array_index (pull->changes,
                                                                   pull->changes->len - 1))->seq)
    {
      _crm_wire_set_malformed (error, "next_cursor", "not the last change's seq");
      return NULL;
    }
  return g_steal_pointer (&pull);
}

/* Login and session */

char *
crm_wire_build_login_request (const CrmWireLogin *login,
                              gsize              *length)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (login != NULL, NULL);

  json_builder_begin_object (builder);
  _crm_wire_add_string (builder, "company", login->company ? login->company : "");
  _crm_wire_add_string (builder, "user", login->user ? login->user : "");
  _crm_wire_add_string (builder, "password", login->password ? login->password : "");
  _crm_wire_add_string (builder, "device", login->device ? login->device : "");
  json_builder_end_object (builder);
  return _crm_wire_generate (builder, length);
}

static const char *const login_members[] = { "company", "user", "password", "device", NULL };

/* Wipes the password in the parsed tree before it is freed */
static void
wipe_member (JsonObject *object,
             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (_crm_wire_node_is_string (node))
    {
      char *text = (char *)json_node_get_string (node);

      explicit_bzero (text, strlen (text));
    }
}

/**
 * crm_wire_parse_login_request:
 *
 * Strict: the four members, strings, nothing else.
 *
 * Returns: (transfer full): the login, or %NULL.
 */
CrmWireLogin *
crm_wire_parse_login_request (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr (JsonObject) root = NULL;
  g_autoptr (CrmWireLogin) login = g_new0 (CrmWireLogin, 1);
  gboolean ok;

  root = _crm_wire_load_object (data, length, error);
  if (root == NULL)
    return NULL;
  ok = _crm_wire_check_known (root, NULL, login_members, error)
       && _crm_wire_get_string (root, NULL, "company", CRM_WIRE_REQUIRED, &login->company, error)
       && _crm_wire_get_string (root, NULL, "user", CRM_WIRE_REQUIRED, &login->user, error)
       && _crm_wire_get_string (root, NULL, "password", CRM_WIRE_REQUIRED, &login->password, error)
       && _crm_wire_get_string (root, NULL, "device", CRM_WIRE_REQUIRED, &login->device, error);
  wipe_member (root, "password");
  return ok ? g_steal_pointer (&login) : NULL;
}

char *
crm_wire_build_session (const CrmWireSession *session,
                        gsize                *length)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (session != NULL, NULL);

  json_builder_begin_object (builder);
  _crm_wire_add_string (builder, "token", session->token);
  _crm_wire_add_string (builder, "user_id", session->user_id);
  _crm_wire_add_string (builder, "company_id", session->company_id);
  _crm_wire_add_string (builder, "user_name", session->user_name);
  json_builder_end_object (builder);
  return _crm_wire_generate (builder, length);
}

/**
 * crm_wire_parse_session:
 *
 * Tolerates unknown members; the four known ones are required strings,
 * company_id a CRM_WIRE_UUID (it is the certification's id).
 *
 * Returns: (transfer full): the session, or %NULL.
 */
CrmWireSession *
crm_wire_parse_session (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr (JsonObject) root = NULL;
  g_autoptr (CrmWireSession) session = g_new0 (CrmWireSession, 1);

  root = _crm_wire_load_object (data, length, error);
  if (root == NULL
      || !_crm_wire_get_string (root, NULL, "token", CRM_WIRE_REQUIRED, &session->token, error)
      || !_crm_wire_get_string (root, NULL, "user_id", CRM_WIRE_REQUIRED, &session->user_id, error)
      || !_crm_wire_get_string (root, NULL, "company_id", CRM_WIRE_REQUIRED | CRM_WIRE_UUID,
                                &session->company_id, error)
      || !_crm_wire_get_string (root, NULL, "user_name", CRM_WIRE_REQUIRED, &session->user_name,
                                error))
    {
      wipe_member (root, "token");
      return NULL;
    }
  wipe_member (root, "token");
  return g_steal_pointer (&session);
}

/* Notices */

char *
crm_wire_build_notices (GPtrArray *notices,
                        gsize     *length)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (notices != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "notices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < notices->len; i++)
    {
      CrmWireNotice *n = g_ptr_array_index (notices, i);

      json_builder_begin_object (builder);
      _crm_wire_add_string (builder, "id", n->id);
      _crm_wire_add_string (builder, "kind", n->kind);
      _crm_wire_add_string (builder, "title", n->title);
      _crm_wire_add_string (builder, "body", n->body);
      _crm_wire_add_string (builder, "published_at", n->published_at);
      _crm_wire_add_string (builder, "effective_at", n->effective_at);
      _crm_wire_add_string (builder, "terms_version", n->terms_version);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return _crm_wire_generate (builder, length);
}

static CrmWireNotice *
parse_notice (JsonObject   *object,
              const char   *where,
              GError      **error)
{
  CrmWireNotice *n = g_new0 (CrmWireNotice, 1);

  if (!_crm_wire_get_string (object, where, "id", CRM_WIRE_REQUIRED, &n->id, error)
      || !_crm_wire_get_string (object, where, "kind", CRM_WIRE_REQUIRED, &n->kind, error)
      || !_crm_wire_get_string (object, where, "title", CRM_WIRE_REQUIRED, &n->title, error)
      || !_crm_wire_get_string (object, where, "body", CRM_WIRE_REQUIRED, &n->body, error)
      || !_crm_wire_get_string (object, where, "published_at", CRM_WIRE_REQUIRED,
                                &n->published_at, error)
      || !_crm_wire_get_string (object, where, "effective_at",
                                CRM_WIRE_REQUIRED | CRM_WIRE_NULLABLE, &n->effective_at, error)
      || !_crm_wire_get_string (object, where, "terms_version", CRM_WIRE_NULLABLE,
                                &n->terms_version, error))
    {
      crm_wire_notice_free (n);
      return NULL;
    }
  return n;
}

/**
 * crm_wire_parse_notices:
 *
 * Tolerates unknown members and kinds of notice (the caller shows the
 * ones it knows).
 *
 * Returns: (transfer container) (element-type CrmWireNotice): the
 *   notices, newest first, or %NULL.
 */
GPtrArray *
crm_wire_parse_notices (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr (JsonObject) root = NULL;
  g_autoptr (GPtrArray) notices = NULL;
  JsonArray *array;

  root = _crm_wire_load_object (data, length, error);
  if (root == NULL)
    return NULL;
  array = _crm_wire_get_array (root, NULL, "notices", CRM_WIRE_REQUIRED, CRM_WIRE_MAX_CHANGES,
                               error);
  if (array == NULL)
    return NULL;
  notices = g_ptr_array_new_with_free_func ((GDestroyNotify)crm_wire_notice_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("notices[%u]", i);
      JsonObject *object = _crm_wire_get_element (array, i, where, error);
      CrmWireNotice *n;

      if (object == NULL || (n = parse_notice (object, where, error)) == NULL)
        return NULL;
      g_ptr_array_add (notices, n);
    }
  return g_steal_pointer (&notices);
}

/* Errors */

/**
 * crm_wire_build_error:
 * @code: the stable code (docs/sync-protocol.md)
 * @message: a sentence, in English
 * @extra: (nullable): more members (server_epoch and epoch_base for 410)
 *
 * Returns: (transfer full): {"error": code, "message": text, ...}
 */
char *
crm_wire_build_error (const char *code,
                      const char *message,
                      JsonObject *extra,
                      gsize      *length)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (code != NULL, NULL);

  json_builder_begin_object (builder);
  _crm_wire_add_string (builder, "error", code);
  _crm_wire_add_string (builder, "message", message ? message : "");
  if (extra != NULL)
    {
      g_autoptr (GList) members = json_object_get_members (extra);

      for (GList *l = members; l != NULL; l = l->next)
        if (strcmp (l->data, "error") != 0 && strcmp (l->data, "message") != 0)
          {
            json_builder_set_member_name (builder, l->data);
            json_builder_add_value (builder,
                                    json_node_copy (json_object_get_member (extra, l->data)));
          }
    }
  json_builder_end_object (builder);
  return _crm_wire_generate (builder, length);
}

/**
 * crm_wire_parse_error:
 * @code: (out) (transfer full): the code
 * @message: (out) (optional) (transfer full): the message ("" if none)
 * @extra: (out) (optional) (transfer full): the other members, in a new
 *   object (empty if none)
 *
 * Returns: whether the body is an error body: an object whose "error" is
 *   a string.
 */
gboolean
crm_wire_parse_error (const char  *data,
                      gsize        length,
                      char       **code,
                      char       **message,
                      JsonObject **extra)
{
  g_autoptr (JsonObject) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *said = NULL;
  g_autoptr (GList) members = NULL;

  g_return_val_if_fail (code != NULL, FALSE);

  *code = NULL;
  if (message != NULL)
    *message = NULL;
  if (extra != NULL)
    *extra = NULL;
  root = _crm_wire_load_object (data, length, NULL);
  if (root == NULL
      || !_crm_wire_get_string (root, NULL, "error", CRM_WIRE_REQUIRED, &text, NULL)
      || !_crm_wire_get_string (root, NULL, "message", CRM_WIRE_NULLABLE, &said, NULL))
    return FALSE;

  if (extra != NULL)
    {
      *extra = json_object_new ();
      members = json_object_get_members (root);
      for (GList *l = members; l != NULL; l = l->next)
        if (strcmp (l->data, "error") != 0 && strcmp (l->data, "message") != 0)
          json_object_set_member (*extra, l->data,
                                  json_node_copy (json_object_get_member (root, l->data)));
    }
  *code = g_steal_pointer (&text);
  if (message != NULL)
    *message = said != NULL ? g_steal_pointer (&said) : g_strdup ("");
  return TRUE;
}

/**
 * crm_wire_parse_object:
 * @data: (nullable): JSON text kept somewhere, such as an outbox row's fields
 * @length: its length in bytes
 *
 * Parses @data as the other parsers do (the checks before json-glib sees
 * it: size, UTF-8, nesting, number of values; a member named twice), for
 * JSON that did not come from the network but may still be damaged.
 *
 * Returns: (transfer full): the top-level object, or %NULL with
 *   %CRM_WIRE_ERROR_MALFORMED or %CRM_WIRE_ERROR_TOO_LARGE.
 */
JsonObject *
crm_wire_parse_object (const char  *data,
                       gsize        length,
                       GError     **error)
{
  return _crm_wire_load_object (data, length, error);
}
