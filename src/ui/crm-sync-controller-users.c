/* crm-sync-controller-users.c — the company's users (GET /v1/users), kept in the store
 * for the owner (负责人) chooser and the "My customers" filter
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After each round that succeeded the controller asks the server for the
 * company's users and keeps them (crm_store_set_team_users(): replaced
 * whole, written and signalled only when the list changed). The contact
 * editor reads the kept list and follows CrmStore::team-users-changed, so
 * nothing here talks to a widget. Signing out keeps the list: a person
 * working offline still picks owners by name. A failure is only logged:
 * the round's status stays what the round said, and the next round asks
 * again.
 */
#include "config.h"

#include "crm-store-team.h"
#include "crm-sync-controller-private.h"

static void
on_users (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (CrmSyncController) self = user_data;
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GError) error = NULL;

  users = crm_sync_client_users_finish (CRM_SYNC_CLIENT (source), result, &error);
  if (users == NULL)
    {
      if (!g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Users: %s", error->message);
      return;
    }
  /* signed out (or into another account) meanwhile: not this store's team */
  if (self->client != CRM_SYNC_CLIENT (source) || self->store == NULL)
    return;
  if (!crm_store_set_team_users (self->store, users, &error))
    g_message ("Users: %s", error->message);
}

void
_crm_sync_controller_fetch_users (CrmSyncController *self)
{
  g_return_if_fail (CRM_IS_SYNC_CONTROLLER (self));

  if (self->client == NULL)
    return;
  crm_sync_client_users_async (self->client, self->cancellable, on_users,
                               g_object_ref (self));
}
