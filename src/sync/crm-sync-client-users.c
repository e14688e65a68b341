/* crm-sync-client-users.c — GET /v1/users (an extension of the sync
 * protocol): the company's users, whom a contact's owner (负责人) is
 * chosen from
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One call like the notices (crm-sync-client.c): authenticated, retried
 * like any request, the answer parsed strictly by the codec
 * (crm_wire_parse_users). Kept apart from the round: the caller (the app's
 * sync controller) asks after a round that succeeded and keeps the list in
 * the store itself, so that a failure here never touches the round's state.
 */
#include "config.h"

#include <libsoup/soup.h>

#include "crm-sync-client-private.h"

static void
on_users_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr (GTask) task = data;
  g_autoptr (CrmSyncResponse) response = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *users = NULL;

  response = _crm_sync_request_finish (CRM_SYNC_CLIENT (source), result, &error);
  if (response != NULL && SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      gsize length;
      const char *body = g_bytes_get_data (response->body, &length);
      g_autoptr (GError) wire_error = NULL;

      users = crm_wire_parse_users (body, length, &wire_error);
      if (users == NULL)
        error = _crm_sync_protocol_error (wire_error);
    }
  else if (response != NULL)
    error = _crm_sync_status_error (response);

  if (users != NULL)
    g_task_return_pointer (task, users, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * crm_sync_client_users_async:
 *
 * Asks the server for the company's users (GET /v1/users).
 */
void
crm_sync_client_users_async (CrmSyncClient       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_client_users_async);
  g_task_set_check_cancellable (task, FALSE);
  _crm_sync_request_async (self, "GET", "/v1/users", NULL, NULL,
                           CRM_SYNC_REQUEST_AUTH | CRM_SYNC_REQUEST_RETRY
                           | CRM_SYNC_REQUEST_RETRY_THROTTLED, NULL, NULL,
                           cancellable, on_users_answer, task);
}

/**
 * crm_sync_client_users_finish:
 *
 * Returns: (transfer container) (element-type CrmWireUser): by name, as
 *   the server sorts them; %NULL with a CRM_SYNC_ERROR
 */
GPtrArray *
crm_sync_client_users_finish (CrmSyncClient  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, crm_sync_client_users_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
