/* crm-sync-controller-account.c — signing in and out of the team server
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The second half of CrmSyncController (crm-sync-controller.c has the
 * status, the schedule and the actions), split to keep each file short.
 *
 * Signing in: the engine posts the login (the password is handed to it
 * once, never copied here), the token goes to the keyring
 * (crm-credentials.c), the account beside the data, then a round. A server
 * the system's CAs do not vouch for makes the engine fail with
 * CRM_SYNC_ERROR_TLS without saying which certificate it saw (libsoup asks
 * only when a pin is set), so a TLS handshake of our own looks at the
 * certificate and refuses it: its SHA-256 fingerprint is what the person is
 * asked about, and what is pinned when they trust it. Signing out revokes
 * the token on the server and removes it from the keyring, even when the
 * server cannot be reached.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-credentials.h"
#include "crm-sync-controller-private.h"

/* Signing in */

typedef struct
{
  CrmSyncClient *client;
  char          *server;
  char          *company;
  char          *user;
  char          *pinned;
  char          *fingerprint;
  GError        *tls_error;
} SignIn;

static void
sign_in_free (SignIn *s)
{
  g_clear_object (&s->client);
  g_free (s->server);
  g_free (s->company);
  g_free (s->user);
  g_free (s->pinned);
  g_free (s->fingerprint);
  g_clear_error (&s->tls_error);
  g_free (s);
}

static void
finish_busy (GTask *task)
{
  _crm_sync_controller_set_busy (g_task_get_source_object (task), FALSE);
}

/* "server.example.com:8443" → "https://server.example.com:8443" */
static char *
normalize_server (const char *text)
{
  g_autofree char *url = g_strstrip (g_strdup (text));
  gsize len;

  if (*url == '\0')
    return NULL;
  if (strstr (url, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("https://", url, NULL);

      g_free (url);
      url = with_scheme;
    }
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return g_steal_pointer (&url);
}

static gboolean
is_https (const char *url)
{
  return g_ascii_strncasecmp (url, "https://", 8) == 0;
}

static char *
format_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  GString *text = g_string_new (NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return g_string_free (text, TRUE);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &length);
  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (text, FALSE);
}

static gboolean
on_probe_accept_certificate (GTlsConnection       *connection,
                             GTlsCertificate      *certificate,
                             GTlsCertificateFlags  errors,
                             gpointer              user_data)
{
  SignIn *s = user_data;

  g_free (s->fingerprint);
  s->fingerprint = format_fingerprint (certificate);
  return FALSE;   /* only looked at: the sign-in goes through the engine */
}

static void
on_probe_event (GSocketClient      *client,
                GSocketClientEvent  event,
                GSocketConnectable *connectable,
                GIOStream          *connection,
                gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION (connection))
    g_signal_connect (connection, "accept-certificate",
                      G_CALLBACK (on_probe_accept_certificate), user_data);
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SignIn *s = g_task_get_task_data (task);
  g_autoptr (GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (source), result, NULL);
  if (connection != NULL)
    g_io_stream_close_async (G_IO_STREAM (connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  finish_busy (task);
  if (s->fingerprint == NULL || *s->fingerprint == '\0')
    {
      g_task_return_error (task, g_steal_pointer (&s->tls_error));
      return;
    }
  g_task_return_new_error (task, CRM_SYNC_CONTROLLER_ERROR,
                           CRM_SYNC_CONTROLLER_ERROR_UNKNOWN_CERTIFICATE,
                           _("This computer does not know the team server’s certificate."));
}

/* Which certificate the server shows, to ask the person about it: a TLS
 * handshake of our own, whose certificate is looked at and refused. */
static void
probe_certificate (GTask *task)
{
  SignIn *s = g_task_get_task_data (task);
  g_autoptr (GSocketClient) client = g_socket_client_new ();

  g_socket_client_set_tls (client, TRUE);
  g_socket_client_set_timeout (client, 15);
  g_signal_connect (client, "event", G_CALLBACK (on_probe_event), s);
  g_socket_client_connect_to_uri_async (client, s->server, 443, g_task_get_cancellable (task),
                                        on_probe_done, g_object_ref (task));
}

static void
on_token_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  CrmSyncController *self = g_task_get_source_object (task);
  SignIn *s = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  finish_busy (task);
  if (!crm_credentials_store_finish (result, &error))
    {
      /* a token nobody keeps is given back to the server at once */
      crm_sync_client_logout_async (s->client, NULL, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (self->server);
  g_free (self->company);
  g_free (self->user);
  g_free (self->pinned);
  self->server = g_strdup (s->server);
  self->company = g_strdup (s->company);
  self->user = g_strdup (s->user);
  self->pinned = g_strdup (s->pinned);
  if (!_crm_sync_controller_save_account (self, &error))
    g_warning ("The team account could not be saved: %s", error->message);
  _crm_sync_controller_set_client (self, s->client);
  _crm_sync_controller_schedule_round (self, 0);
  g_task_return_boolean (task, TRUE);
}

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SignIn *s = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmWireSession) session = NULL;
  GCancellable *cancellable;

  session = crm_sync_client_login_finish (CRM_SYNC_CLIENT (source), result, &error);
  if (session == NULL)
    {
      if (g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_TLS) && s->pinned == NULL
          && is_https (s->server))
        {
          s->tls_error = g_steal_pointer (&error);
          probe_certificate (task);
          return;
        }
      finish_busy (task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  crm_credentials_store_async (s->server, s->company, s->user, session->token, cancellable,
                               on_token_stored, g_steal_pointer (&task));
}

/* Signing out */

static void
on_token_cleared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  finish_busy (task);
  if (!crm_credentials_clear_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_logout_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  CrmSyncController *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;

  /* signed out on this computer whatever the server said: the token
   * leaves the keyring; a server that could not be told is said */
  if (!crm_sync_client_logout_finish (CRM_SYNC_CLIENT (source), result, &error))
    g_message ("Sign out: %s", error->message);
  _crm_sync_controller_set_client (self, NULL);
  crm_credentials_clear_async (self->server, NULL, on_token_cleared, g_steal_pointer (&task));
}

/**
 * crm_sync_controller_sign_in_async:
 *
 * Logs in through the engine (the password goes once to /v1/auth/login),
 * keeps the device token in the keyring and the account beside the data,
 * then syncs. A server address without a scheme is https://.
 */
void
crm_sync_controller_sign_in_async (CrmSyncController   *self,
                                   const char          *server,
                                   const char          *company,
                                   const char          *user,
                                   const char          *password,
                                   const char          *pinned_sha256,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  SignIn *s;

  g_return_if_fail (CRM_IS_SYNC_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_controller_sign_in_async);
  s = g_new0 (SignIn, 1);
  g_task_set_task_data (task, s, (GDestroyNotify) sign_in_free);
  if (self->busy)
    {
      g_task_return_new_error (task, CRM_SYNC_CONTROLLER_ERROR, CRM_SYNC_CONTROLLER_ERROR_BUSY,
                               _("Signing in or out is already under way."));
      return;
    }
  s->server = normalize_server (server ? server : "");
  s->company = g_strstrip (g_strdup (company ? company : ""));
  s->user = g_strstrip (g_strdup (user ? user : ""));
  if (s->server == NULL || *s->company == '\0' || *s->user == '\0'
      || password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, CRM_SYNC_CONTROLLER_ERROR,
                               CRM_SYNC_CONTROLLER_ERROR_INVALID,
                               _("Fill in the server address, the company, the user name "
                                 "and the password."));
      return;
    }
  if (pinned_sha256 != NULL && *pinned_sha256 != '\0')
    s->pinned = g_strdup (pinned_sha256);
  s->client = crm_sync_client_new (self->store, s->server);
  if (s->pinned != NULL)
    crm_sync_client_set_pinned_sha256 (s->client, s->pinned);
  /* a person is waiting: a server that is down is said within seconds */
  crm_sync_client_set_timeout (s->client, 15);
  crm_sync_client_set_retry (s->client, 2, 500, 2000);
  _crm_sync_controller_set_busy (self, TRUE);
  crm_sync_client_login_async (s->client, s->company, s->user, password, NULL, cancellable,
                               on_login_done, g_steal_pointer (&task));
}

gboolean
crm_sync_controller_sign_in_finish (CrmSyncController  *self,
                                    GAsyncResult       *result,
                                    char              **fingerprint,
                                    GError            **error)
{
  SignIn *s;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  s = g_task_get_task_data (G_TASK (result));
  if (fingerprint != NULL)
    *fingerprint = s && s->fingerprint && *s->fingerprint ? g_strdup (s->fingerprint) : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * crm_sync_controller_sign_out_async:
 *
 * Revokes the token on the server (POST /v1/auth/logout) and removes it
 * from the keyring; this computer is signed out even when the server
 * cannot be reached. The data stays.
 */
void
crm_sync_controller_sign_out_async (CrmSyncController   *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (CrmSyncClient) client = NULL;

  g_return_if_fail (CRM_IS_SYNC_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_controller_sign_out_async);
  if (self->client == NULL || self->busy)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  _crm_sync_controller_set_busy (self, TRUE);
  client = g_object_ref (self->client);
  crm_sync_client_set_retry (client, 1, 500, 500);
  crm_sync_client_set_timeout (client, 10);
  crm_sync_client_logout_async (client, NULL, on_logout_done, g_steal_pointer (&task));
}

gboolean
crm_sync_controller_sign_out_finish (CrmSyncController  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
