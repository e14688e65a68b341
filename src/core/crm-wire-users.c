/* crm-wire-users.c — the sync protocol's codec for the company's users
 * (GET /v1/users, an extension: docs/sync-protocol.md)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answer names the people a contact's owner (负责人) is chosen from,
 * and the client keeps the list with each name as the key (team_users in
 * the store), so the parser refuses what the list could not hold: a name
 * that is empty or blank, longer than the server lets a user's name be
 * (200 characters), holding control characters, or given twice; an id
 * that is not a UUID. Like every answer the client reads, unknown members
 * are tolerated (a newer server may add some), a known member of the
 * wrong type is not. Split from crm-wire.c, which is near its size.
 */
#include "config.h"

#include <string.h>

#include "crm-wire-private.h"

/* as xiaohe-crm-server add-user allows (crm-server-commands.c, MAX_NAME) */
#define MAX_USER_NAME 200

void
crm_wire_user_free (CrmWireUser *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->name);
  g_free (self);
}

/**
 * crm_wire_build_users:
 * @users: (element-type CrmWireUser): in the order to send (by name)
 * @length: (out) (optional): the text's length
 *
 * Returns: (transfer full): {"users": [{"id", "name"}, …]}
 */
char *
crm_wire_build_users (GPtrArray *users,
                      gsize     *length)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (users != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len; i++)
    {
      const CrmWireUser *u = g_ptr_array_index (users, i);

      json_builder_begin_object (builder);
      _crm_wire_add_string (builder, "id", u->id);
      _crm_wire_add_string (builder, "name", u->name);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return _crm_wire_generate (builder, length);
}

/* 1 to MAX_USER_NAME characters, no control character, not only spaces
 * (the text is UTF-8 already: the body passed the gate) */
static gboolean
is_user_name (const char *name)
{
  glong n = 0;
  gboolean blank = TRUE;

  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || ++n > MAX_USER_NAME)
        return FALSE;
      if (!g_unichar_isspace (c))
        blank = FALSE;
    }
  return !blank;
}

static CrmWireUser *
parse_user (JsonObject  *object,
            const char  *where,
            GError     **error)
{
  g_autoptr (CrmWireUser) u = g_new0 (CrmWireUser, 1);

  if (!_crm_wire_get_string (object, where, "id", CRM_WIRE_REQUIRED | CRM_WIRE_UUID, &u->id,
                             error)
      || !_crm_wire_get_string (object, where, "name", CRM_WIRE_REQUIRED, &u->name, error))
    return NULL;
  if (!is_user_name (u->name))
    {
      _crm_wire_set_malformed (error, where,
                               "name: not text of 1 to %d characters", MAX_USER_NAME);
      return NULL;
    }
  return g_steal_pointer (&u);
}

/**
 * crm_wire_parse_users:
 *
 * Returns: (transfer container) (element-type CrmWireUser): the users in
 *   the order the server sent them, or %NULL with a CRM_WIRE_ERROR.
 */
GPtrArray *
crm_wire_parse_users (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr (JsonObject) root = NULL;
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GHashTable) seen = NULL;
  JsonArray *array;

  root = _crm_wire_load_object (data, length, error);
  if (root == NULL)
    return NULL;
  array = _crm_wire_get_array (root, NULL, "users", CRM_WIRE_REQUIRED, CRM_WIRE_MAX_USERS,
                               error);
  if (array == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_user_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("users[%u]", i);
      JsonObject *object = _crm_wire_get_element (array, i, where, error);
      CrmWireUser *u;

      if (object == NULL || (u = parse_user (object, where, error)) == NULL)
        return NULL;
      g_ptr_array_add (users, u);
      if (!g_hash_table_add (seen, u->name))
        {
          _crm_wire_set_malformed (error, where, "name: given twice");
          return NULL;
        }
    }
  return g_steal_pointer (&users);
}
