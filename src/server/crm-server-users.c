/* crm-server-users.c — GET /v1/users (an extension of the sync protocol,
 * docs/sync-protocol.md): the caller's company's users, by name
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app chooses a contact's owner (负责人) from these names. Only the
 * token's company is read (the storage lists one company's users), and
 * only the id and the name leave the server: never a password's hash.
 * Checked like the other calls: the method (405), then the token (401,
 * 403 account_expired: choosing owners is work on the data). Its own file
 * beside crm-server-routes.c, which holds the protocol's first calls.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "crm-server-http-private.h"
#include "crm-wire.h"

void
crm_server_routes_users (CrmServerHttp     *self,
                         SoupServerMessage *msg)
{
  g_autoptr(CrmServerTokenOwner) owner = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  char *json;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET");
      crm_server_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                   "This method is not allowed here", NULL);
      return;
    }
  owner = crm_server_http_authenticate (self, msg, FALSE, NULL);
  if (owner == NULL)
    return;

  /* by name, as the storage sorts them (byte order: the same on every server) */
  stored = crm_server_storage_list_users (self->storage, owner->company_id, &error);
  if (stored == NULL)
    {
      crm_server_http_reply_storage_error (msg, error);
      return;
    }
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_user_free);
  for (guint i = 0; i < stored->len; i++)
    {
      const CrmServerUser *s = g_ptr_array_index (stored, i);
      CrmWireUser *u = g_new0 (CrmWireUser, 1);

      u->id = g_strdup (s->id);
      u->name = g_strdup (s->name);
      g_ptr_array_add (users, u);
    }
  json = crm_wire_build_users (users, &length);
  crm_server_http_reply_json (msg, SOUP_STATUS_OK, json, length);
}
