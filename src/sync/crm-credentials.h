/* crm-credentials.h — the device token of a signed-in computer, kept in the
 * desktop's keyring (the Secret Service, through libsecret's async calls)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One item per server address, in the schema "co.xiaohe.Crm" with the
 * attributes "server" (the server's URL), "company" (its slug) and "user".
 * Nothing here blocks: the app calls it from the UI thread. A cancelled call
 * fails with G_IO_ERROR_CANCELLED; every other failure is a
 * CRM_CREDENTIALS_ERROR with a translated message a person can act on.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRM_CREDENTIALS_ERROR (crm_credentials_error_quark ())

typedef enum
{
  CRM_CREDENTIALS_ERROR_NO_SERVICE,   /* no keyring (Secret Service) on the session bus */
  CRM_CREDENTIALS_ERROR_LOCKED,       /* the keyring is locked and was not unlocked */
  CRM_CREDENTIALS_ERROR_INVALID,      /* an empty or not UTF-8 server, company, user or token */
  CRM_CREDENTIALS_ERROR_FAILED,       /* anything else the keyring answered */
} CrmCredentialsError;

/* What lookup finds: crm_credentials_free() wipes the token's bytes. */
typedef struct
{
  char *company;
  char *user;
  char *token;
} CrmCredentials;

GQuark          crm_credentials_error_quark     (void);
void            crm_credentials_free            (CrmCredentials      *credentials);

/* Keeps @token for @server, replacing whatever was kept for @server (another
 * company or user included): one item per server. */
void            crm_credentials_store_async     (const char          *server,
                                                 const char          *company,
                                                 const char          *user,
                                                 const char          *token,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        crm_credentials_store_finish    (GAsyncResult        *result,
                                                 GError             **error);

/* What is kept for @server (unlocking the keyring if needed), or NULL with
 * no error when nothing is. */
void            crm_credentials_lookup_async    (const char          *server,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
CrmCredentials *crm_credentials_lookup_finish   (GAsyncResult        *result,
                                                 GError             **error);

/* Removes what is kept for @server; TRUE also when there was nothing. */
void            crm_credentials_clear_async     (const char          *server,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        crm_credentials_clear_finish    (GAsyncResult        *result,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCredentials, crm_credentials_free)

G_END_DECLS
