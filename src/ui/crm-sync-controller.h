/* crm-sync-controller.h — the app's team account: signing in and out, the
 * sync schedule and the status the header bar shows
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-store.h"
#include "crm-sync-client.h"

G_BEGIN_DECLS

#define CRM_SYNC_CONTROLLER_ERROR (crm_sync_controller_error_quark ())

typedef enum
{
  /* the server's certificate is not trusted; its fingerprint is known and
   * may be approved by the person (sign in again with it pinned) */
  CRM_SYNC_CONTROLLER_ERROR_UNKNOWN_CERTIFICATE,
  CRM_SYNC_CONTROLLER_ERROR_INVALID,    /* an empty field, a bad address */
  CRM_SYNC_CONTROLLER_ERROR_BUSY,       /* a sign-in or sign-out is under way */
} CrmSyncControllerError;

#define CRM_TYPE_SYNC_CONTROLLER (crm_sync_controller_get_type ())

G_DECLARE_FINAL_TYPE (CrmSyncController, crm_sync_controller, CRM, SYNC_CONTROLLER, GObject)

GQuark             crm_sync_controller_error_quark  (void);

CrmSyncController *crm_sync_controller_new          (CrmStore           *store);
/* reads the account kept with the data, finds its token in the keyring
 * and syncs; nothing blocks */
void               crm_sync_controller_start        (CrmSyncController  *self);
/* app.sign-in, app.sync-now (Ctrl+R, F5), app.sign-out, app.conflicts */
void               crm_sync_controller_add_actions  (CrmSyncController  *self,
                                                     GtkApplication     *app);

gboolean           crm_sync_controller_get_signed_in (CrmSyncController *self);
/* the account remembered (for the sign-in dialog); NULL when none */
const char        *crm_sync_controller_get_server   (CrmSyncController  *self);
const char        *crm_sync_controller_get_company  (CrmSyncController  *self);
const char        *crm_sync_controller_get_user     (CrmSyncController  *self);
/* properties "status-text" (short, for the header bar) and "status-detail"
 * (the reason, the time; for the tooltip), both translated */
CrmSyncStatus      crm_sync_controller_get_state    (CrmSyncController  *self);
const char        *crm_sync_controller_get_status_text (CrmSyncController *self);
const char        *crm_sync_controller_get_status_detail (CrmSyncController *self);
guint              crm_sync_controller_get_n_conflicts (CrmSyncController *self);

void               crm_sync_controller_sync_now     (CrmSyncController  *self);

/* @pinned_sha256: NULL, or the fingerprint the person approved. The
 * password is only handed to the engine, never copied here. */
void               crm_sync_controller_sign_in_async (CrmSyncController *self,
                                                     const char         *server,
                                                     const char         *company,
                                                     const char         *user,
                                                     const char         *password,
                                                     const char         *pinned_sha256,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
/* on CRM_SYNC_CONTROLLER_ERROR_UNKNOWN_CERTIFICATE, @fingerprint gets the
 * certificate's SHA-256 (hex pairs with colons) */
gboolean           crm_sync_controller_sign_in_finish (CrmSyncController *self,
                                                      GAsyncResult      *result,
                                                      char             **fingerprint,
                                                      GError           **error);
void               crm_sync_controller_sign_out_async (CrmSyncController *self,
                                                      GCancellable      *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer           user_data);
gboolean           crm_sync_controller_sign_out_finish (CrmSyncController *self,
                                                       GAsyncResult      *result,
                                                       GError           **error);

G_END_DECLS
