/* crm-sync-client.h — the app's sync engine: push the outbox, pull the
 * change feed, over libsoup 3; no GTK
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"
#include "crm-wire.h"

G_BEGIN_DECLS

#define CRM_SYNC_ERROR (crm_sync_error_quark ())

typedef enum
{
  CRM_SYNC_ERROR_OFFLINE,        /* no connection, a timeout, a dropped answer */
  CRM_SYNC_ERROR_UNAUTHORIZED,   /* 401: sign in again */
  CRM_SYNC_ERROR_FORBIDDEN,      /* 403 */
  CRM_SYNC_ERROR_TLS,            /* the certificate is not trusted */
  CRM_SYNC_ERROR_THROTTLED,      /* 429 after the retries */
  CRM_SYNC_ERROR_SERVER,         /* 5xx after the retries, or an answer that is not the protocol */
  CRM_SYNC_ERROR_BAD_LOGIN,      /* wrong company, user or password */
  CRM_SYNC_ERROR_CANCELLED,
} CrmSyncError;

typedef enum
{
  CRM_SYNC_STATUS_IDLE,           /*< nick=idle >*/
  CRM_SYNC_STATUS_SYNCING,        /*< nick=syncing >*/
  CRM_SYNC_STATUS_OFFLINE,        /*< nick=offline >*/
  CRM_SYNC_STATUS_ERROR,          /*< nick=error >*/
} CrmSyncStatus;

#define CRM_TYPE_SYNC_CLIENT (crm_sync_client_get_type ())

G_DECLARE_FINAL_TYPE (CrmSyncClient, crm_sync_client, CRM, SYNC_CLIENT, GObject)

GQuark          crm_sync_error_quark            (void);

/* @server_url: "https://host:port" (or "http://127.0.0.1:port", loopback only) */
CrmSyncClient  *crm_sync_client_new             (CrmStore            *store,
                                                 const char          *server_url);
CrmStore       *crm_sync_client_get_store       (CrmSyncClient       *self);
const char     *crm_sync_client_get_server_url  (CrmSyncClient       *self);

/* Trust: by default the system's CAs; a CA file (PEM) for a self-signed
 * server, or the SHA-256 fingerprint (hex) of its certificate the user
 * approved. */
gboolean        crm_sync_client_set_ca_file     (CrmSyncClient       *self,
                                                 const char          *path,
                                                 GError             **error);
void            crm_sync_client_set_pinned_sha256 (CrmSyncClient     *self,
                                                 const char          *fingerprint);
/* the token of a signed-in device (the app keeps it in the keyring) */
void            crm_sync_client_set_token       (CrmSyncClient       *self,
                                                 const char          *token);
const char     *crm_sync_client_get_token       (CrmSyncClient       *self);
/* seconds per request; and the retry policy (tests shorten it) */
void            crm_sync_client_set_timeout     (CrmSyncClient       *self,
                                                 guint                seconds);
void            crm_sync_client_set_retry       (CrmSyncClient       *self,
                                                 guint                max_attempts,
                                                 guint                first_delay_ms,
                                                 guint                max_delay_ms);
void            crm_sync_client_set_batch_size  (CrmSyncClient       *self,
                                                 guint                mutations);

/* POST /v1/auth/login; on success the token is set and the company kept
 * in the store's sync state. The password is only sent, never kept. */
void            crm_sync_client_login_async     (CrmSyncClient       *self,
                                                 const char          *company,
                                                 const char          *user,
                                                 const char          *password,
                                                 const char          *device,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
CrmWireSession *crm_sync_client_login_finish    (CrmSyncClient       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void            crm_sync_client_logout_async    (CrmSyncClient       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        crm_sync_client_logout_finish   (CrmSyncClient       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* One round: blobs up, the whole outbox pushed in batches, then every page
 * pulled. Retries transient failures with backoff; a second call while one
 * runs joins it. */
void            crm_sync_client_sync_async      (CrmSyncClient       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        crm_sync_client_sync_finish     (CrmSyncClient       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* GET /v1/notices (element-type CrmWireNotice) */
void            crm_sync_client_notices_async   (CrmSyncClient       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray      *crm_sync_client_notices_finish  (CrmSyncClient       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* GET /v1/users, an extension (element-type CrmWireUser), by name
 * (crm-sync-client-users.c) */
void            crm_sync_client_users_async     (CrmSyncClient       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray      *crm_sync_client_users_finish    (CrmSyncClient       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* properties: "state" (CrmSyncStatus), "done" and "total" (mutations or
 * changes of the current step), "error-message" (translated; NULL unless
 * state is error or offline) */
CrmSyncStatus   crm_sync_client_get_state       (CrmSyncClient       *self);
guint           crm_sync_client_get_done        (CrmSyncClient       *self);
guint           crm_sync_client_get_total       (CrmSyncClient       *self);
const char     *crm_sync_client_get_error_message (CrmSyncClient     *self);

G_END_DECLS
