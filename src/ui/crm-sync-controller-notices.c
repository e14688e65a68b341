/* crm-sync-controller-notices.c — pricing and terms notices (GET /v1/notices), kept in
 * the store, announced once; a terms revision asks again
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After each round that succeeded the controller asks the server for its
 * notices and keeps them (crm_store_save_notices(): the whole list each
 * time, written only when something is new or changed). The announcing is
 * not done here: the store's CrmStore::notices-changed reaches the window
 * (crm-notices-bar.c: the bar of a pricing notice, the terms window of a
 * revision), which also reads the kept notices at start, offline. A failure
 * here is only logged: the round's status stays what the round said, and
 * the next round asks again.
 */
#include "config.h"

#include "crm-store-notices.h"
#include "crm-sync-controller-private.h"

static void
on_notices (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (CrmSyncController) self = user_data;
  g_autoptr (GPtrArray) notices = NULL;
  g_autoptr (GError) error = NULL;
  guint changed = 0;

  notices = crm_sync_client_notices_finish (CRM_SYNC_CLIENT (source), result, &error);
  if (notices == NULL)
    {
      if (!g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Notices: %s", error->message);
      return;
    }
  /* signed out (or another account) meanwhile: not this store's news */
  if (self->client != CRM_SYNC_CLIENT (source) || self->store == NULL)
    return;
  if (!crm_store_save_notices (self->store, notices, &changed, &error))
    g_message ("Notices: %s", error->message);
  else if (changed > 0)
    g_debug ("Notices: %u new or changed", changed);
}

void
_crm_sync_controller_fetch_notices (CrmSyncController *self)
{
  g_return_if_fail (CRM_IS_SYNC_CONTROLLER (self));

  if (self->client == NULL)
    return;
  crm_sync_client_notices_async (self->client, self->cancellable, on_notices,
                                 g_object_ref (self));
}
