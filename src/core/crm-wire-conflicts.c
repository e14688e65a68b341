/* crm-wire-conflicts.c — a push result's extension members conflict_by and
 * conflict_at: who set each losing value, and when
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/sync-protocol.md, "push", rule 3. Both are objects keyed by the
 * result's own conflicts, so a member naming a field the result does not
 * name in "conflicts" is refused, as is a value of the wrong type or a
 * time that is not UTC ISO 8601: what is kept from here ends up in the
 * client's conflicts table and is shown to a person. An answer without
 * them (an older server) parses as before, with NULL members. Kept apart
 * from crm-wire.c so the push result's reader stays one screen.
 */
#include "config.h"

#include <string.h>

#include "crm-wire-private.h"

/* a user name as the server's commands accept it, in bytes at most */
#define MAX_USER_BYTES 1024

static gboolean
is_result_conflict (const CrmWireResult *r,
                    const char          *name)
{
  return r->conflicts != NULL && g_strv_contains ((const char *const *) r->conflicts, name);
}

/* member @name of @object, an object of strings keyed by @r's conflicts;
 * @times: each value is a UTC time. *@out stays NULL when absent or null. */
static gboolean
parse_meta (JsonObject           *object,
            const char           *where,
            const char           *name,
            const CrmWireResult  *r,
            gboolean              times,
            JsonObject          **out,
            GError              **error)
{
  JsonObject *meta;
  g_autoptr (GList) members = NULL;
  g_autofree char *path = _crm_wire_path_of (where, name);

  meta = _crm_wire_get_object (object, where, name, CRM_WIRE_NULLABLE, error);
  if (meta == NULL)
    return !(json_object_has_member (object, name)
             && !JSON_NODE_HOLDS_NULL (json_object_get_member (object, name)));

  members = json_object_get_members (meta);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonNode *node = json_object_get_member (meta, field);
      const char *text;

      if (!is_result_conflict (r, field))
        {
          _crm_wire_set_malformed (error, path, "%s is not one of the conflicts", field);
          return FALSE;
        }
      if (!_crm_wire_node_is_string (node))
        {
          _crm_wire_set_malformed (error, path, "%s: not a string (%s)", field,
                                   _crm_wire_node_type_name (node));
          return FALSE;
        }
      text = json_node_get_string (node);
      if (times ? !_crm_wire_is_utc_date_time (text)
                : (*text == '\0' || strlen (text) > MAX_USER_BYTES))
        {
          _crm_wire_set_malformed (error, path, "%s: not %s", field,
                                   times ? "a UTC ISO 8601 time" : "a user name");
          return FALSE;
        }
    }
  *out = json_object_ref (meta);
  return TRUE;
}

/* conflict_by and conflict_at of the result @object at @where into @r,
 * whose conflicts are read already */
gboolean
_crm_wire_parse_conflict_meta (JsonObject     *object,
                               const char     *where,
                               CrmWireResult  *r,
                               GError        **error)
{
  g_assert (r->conflict_by == NULL && r->conflict_at == NULL);

  return parse_meta (object, where, "conflict_by", r, FALSE, &r->conflict_by, error)
         && parse_meta (object, where, "conflict_at", r, TRUE, &r->conflict_at, error);
}

/* ,"conflict_by":{…},"conflict_at":{…} for those @r has */
void
_crm_wire_append_conflict_meta (GString             *out,
                                const CrmWireResult *r)
{
  if (r->conflict_by != NULL)
    {
      g_string_append (out, ",\"conflict_by\":");
      _crm_wire_append_object (out, r->conflict_by);
    }
  if (r->conflict_at != NULL)
    {
      g_string_append (out, ",\"conflict_at\":");
      _crm_wire_append_object (out, r->conflict_at);
    }
}
