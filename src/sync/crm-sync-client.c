/* crm-sync-client.c — the sync engine's object: its state and settings, the
 * HTTP session, sign-in, sign-out, notices, a call joining a running round
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain http:// is allowed only for a loopback host, checked when the client
 * is made (every request is then refused before it is sent). Requests and
 * their retries are crm-sync-request.c; the round (blobs, push, pull) is
 * crm-sync-round.c. Every callback runs on the main context of the caller,
 * so the properties are notified there.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "crm-store-sync.h"
#include "crm-sync-client-private.h"
#include "crm-sync-enums.h"

#define DEFAULT_TIMEOUT_S        30
#define DEFAULT_MAX_ATTEMPTS     6
#define DEFAULT_FIRST_DELAY_MS   500
#define DEFAULT_MAX_DELAY_MS     60000
#define DEFAULT_BATCH_SIZE       500
/* 1,000,000 records at 500 a page are 2,000 pages: five times that */
#define DEFAULT_MAX_PAGES        10000

G_DEFINE_FINAL_TYPE (CrmSyncClient, crm_sync_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SERVER_URL,
  PROP_STATE,
  PROP_DONE,
  PROP_TOTAL,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (crm-sync-error-quark, crm_sync_error)

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Whether @url may be used; a translated reason when not. */
static char *
check_server_url (const char *url)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return g_strdup_printf (_("“%s” is not a server address."), url);
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return NULL;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (host_is_loopback (g_uri_get_host (uri)))
        return NULL;
      return g_strdup (_("An unencrypted address (http://) is only allowed for a server "
                         "on this computer; use https://."));
    }
  return g_strdup_printf (_("“%s” is not a server address."), url);
}

guint
_crm_sync_client_get_batch_size (CrmSyncClient *self)
{
  return self->batch_size;
}

void
_crm_sync_client_set_limits (CrmSyncClient *self,
                             guint          deadline_ms,
                             guint          max_pages)
{
  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));
  g_return_if_fail (max_pages > 0);

  self->deadline_ms = deadline_ms;
  self->max_pages = max_pages;
}

void
_crm_sync_client_set_progress (CrmSyncClient *self,
                               guint          done,
                               guint          total)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->done != done)
    {
      self->done = done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
    }
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_state (CrmSyncClient *self,
           CrmSyncStatus  state,
           const char    *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->error_message, message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* the password is in the login body: wiped before it is freed */
static void
wipe_free (gpointer data)
{
  char *text = data;

  memset (text, 0, strlen (text));
  g_free (text);
}

static void
on_login_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr (GTask) task = data;
  CrmSyncClient *self = CRM_SYNC_CLIENT (source);
  g_autoptr (CrmSyncResponse) response = NULL;
  g_autoptr (CrmWireSession) session = NULL;
  g_autoptr (GError) error = NULL;
  const char *body;
  gsize length;

  response = _crm_sync_request_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (response->status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_BAD_LOGIN, "%s",
                               _("Wrong company, user name or password."));
      return;
    }
  if (response->status == STATUS_TOO_MANY_REQUESTS)
    {
      guint minutes = response->retry_after > 0 ? (response->retry_after + 59) / 60 : 15;

      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_THROTTLED,
                               g_dngettext (NULL,
                                            "Too many failed sign-ins: try again in %u minute.",
                                            "Too many failed sign-ins: try again in %u minutes.",
                                            minutes),
                               minutes);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      g_task_return_error (task, _crm_sync_status_error (response));
      return;
    }
  body = g_bytes_get_data (response->body, &length);
  session = crm_wire_parse_session (body, length, &error);
  if (session == NULL)
    {
      g_task_return_error (task, _crm_sync_protocol_error (error));
      return;
    }
  if (!crm_store_set_sync_company (self->store, session->company_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  crm_sync_client_set_token (self, session->token);
  g_task_return_pointer (task, g_steal_pointer (&session),
                         (GDestroyNotify) crm_wire_session_free);
}

static void
on_logout_answer (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr (GTask) task = data;
  CrmSyncClient *self = CRM_SYNC_CLIENT (source);
  g_autoptr (CrmSyncResponse) response = NULL;
  GError *error = NULL;

  response = _crm_sync_request_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* 401: the token no longer works, which is what was asked */
  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status)
      && response->status != SOUP_STATUS_UNAUTHORIZED)
    {
      g_task_return_error (task, _crm_sync_status_error (response));
      return;
    }
  crm_sync_client_set_token (self, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
on_notices_answer (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr (GTask) task = data;
  CrmSyncClient *self = CRM_SYNC_CLIENT (source);
  g_autoptr (CrmSyncResponse) response = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *notices;
  const char *body;
  gsize length;

  response = _crm_sync_request_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      g_task_return_error (task, _crm_sync_status_error (response));
      return;
    }
  body = g_bytes_get_data (response->body, &length);
  notices = crm_wire_parse_notices (body, length, &error);
  if (notices == NULL)
    {
      g_task_return_error (task, _crm_sync_protocol_error (error));
      return;
    }
  g_task_return_pointer (task, notices, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_round_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  CrmSyncClient *self = CRM_SYNC_CLIENT (source);
  g_autoptr (GPtrArray) waiters = NULL;
  g_autoptr (GError) error = NULL;

  _crm_sync_round_finish (self, result, &error);
  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = FALSE;

  if (error == NULL)
    set_state (self, CRM_SYNC_STATUS_IDLE, NULL);
  else if (g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE))
    set_state (self, CRM_SYNC_STATUS_OFFLINE, error->message);
  else if (g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED))
    set_state (self, CRM_SYNC_STATUS_IDLE, NULL);
  else
    set_state (self, CRM_SYNC_STATUS_ERROR, error->message);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error == NULL)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  g_object_unref (self);
}

static void
crm_sync_client_dispose (GObject *object)
{
  CrmSyncClient *self = CRM_SYNC_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (crm_sync_client_parent_class)->dispose (object);
}

static void
crm_sync_client_finalize (GObject *object)
{
  CrmSyncClient *self = CRM_SYNC_CLIENT (object);

  g_free (self->server_url);
  g_free (self->url_error);
  g_free (self->pinned);
  if (self->token != NULL)
    wipe_free (g_steal_pointer (&self->token));
  g_free (self->error_message);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  G_OBJECT_CLASS (crm_sync_client_parent_class)->finalize (object);
}

static void
crm_sync_client_constructed (GObject *object)
{
  CrmSyncClient *self = CRM_SYNC_CLIENT (object);
  g_autofree char *agent = g_strdup_printf ("xiaohe-crm/%s", PACKAGE_VERSION);
  gsize len;

  G_OBJECT_CLASS (crm_sync_client_parent_class)->constructed (object);

  len = strlen (self->server_url);
  while (len > 0 && self->server_url[len - 1] == '/')
    self->server_url[--len] = '\0';
  self->url_error = check_server_url (self->server_url);
  self->session = soup_session_new_with_options ("timeout", self->timeout_s,
                                                 "idle-timeout", self->timeout_s,
                                                 "user-agent", agent,
                                                 NULL);
}

static void
crm_sync_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmSyncClient *self = CRM_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmSyncClient *self = CRM_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SERVER_URL:
      self->server_url = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_client_class_init (CrmSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_sync_client_dispose;
  object_class->finalize = crm_sync_client_finalize;
  object_class->constructed = crm_sync_client_constructed;
  object_class->get_property = crm_sync_client_get_property;
  object_class->set_property = crm_sync_client_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CRM_TYPE_SYNC_STATUS, CRM_SYNC_STATUS_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DONE] =
    g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_sync_client_init (CrmSyncClient *self)
{
  self->timeout_s = DEFAULT_TIMEOUT_S;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->first_delay_ms = DEFAULT_FIRST_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->batch_size = DEFAULT_BATCH_SIZE;
  self->max_pages = DEFAULT_MAX_PAGES;
  self->state = CRM_SYNC_STATUS_IDLE;
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * crm_sync_client_new:
 * @store: the local store to sync
 * @server_url: "https://host:port", or "http://127.0.0.1:port" (loopback only)
 *
 * Returns: (transfer full): a client; with a URL it may not use, every call
 * fails with CRM_SYNC_ERROR_TLS before sending anything
 */
CrmSyncClient *
crm_sync_client_new (CrmStore   *store,
                     const char *server_url)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  return g_object_new (CRM_TYPE_SYNC_CLIENT, "store", store, "server-url", server_url, NULL);
}

CrmStore *
crm_sync_client_get_store (CrmSyncClient *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CLIENT (self), NULL);
  return self->store;
}

const char *
crm_sync_client_get_server_url (CrmSyncClient *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CLIENT (self), NULL);
  return self->server_url;
}

/**
 * crm_sync_client_set_ca_file:
 *
 * Trusts the certificates of the PEM file @path (in place of the system's).
 */
gboolean
crm_sync_client_set_ca_file (CrmSyncClient  *self,
                             const char     *path,
                             GError        **error)
{
  g_autoptr (GTlsDatabase) database = NULL;

  g_return_val_if_fail (CRM_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  database = g_tls_file_database_new (path, error);
  if (database == NULL)
    return FALSE;
  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

/**
 * crm_sync_client_set_pinned_sha256:
 * @fingerprint: (nullable): hex, upper or lower case, colons allowed
 *
 * Accepts a certificate the CAs refuse when the SHA-256 of its DER is
 * @fingerprint; NULL forgets the pin.
 */
void
crm_sync_client_set_pinned_sha256 (CrmSyncClient *self,
                                   const char    *fingerprint)
{
  GString *hex;

  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));

  g_clear_pointer (&self->pinned, g_free);
  if (fingerprint == NULL)
    return;
  hex = g_string_new (NULL);
  for (const char *p = fingerprint; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (hex, g_ascii_tolower (*p));
    else if (*p != ':' && *p != ' ')
      break;
  /* anything but 64 hex digits pins nothing that could match */
  self->pinned = g_string_free (hex, FALSE);
}

void
crm_sync_client_set_token (CrmSyncClient *self,
                           const char    *token)
{
  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));

  if (self->token != NULL)
    wipe_free (g_steal_pointer (&self->token));
  self->token = g_strdup (token);
}

const char *
crm_sync_client_get_token (CrmSyncClient *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CLIENT (self), NULL);
  return self->token;
}

/**
 * crm_sync_client_set_timeout:
 *
 * Seconds a request may wait for the server (connecting, or between two
 * reads) before it counts as no answer; also how long an idle connection
 * is kept. 30 by default. An attempt whose whole answer is not read within
 * 4 times this (at least 60 s, more for a large body) counts as no answer
 * too.
 */
void
crm_sync_client_set_timeout (CrmSyncClient *self,
                             guint          seconds)
{
  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->timeout_s = seconds;
  g_object_set (self->session, "timeout", seconds, "idle-timeout", seconds, NULL);
}

/**
 * crm_sync_client_set_retry:
 * @max_attempts: attempts of one request, the first included (6)
 * @first_delay_ms: the cap of the first wait (500)
 * @max_delay_ms: the largest cap (60,000); a Retry-After may ask for more
 */
void
crm_sync_client_set_retry (CrmSyncClient *self,
                           guint          max_attempts,
                           guint          first_delay_ms,
                           guint          max_delay_ms)
{
  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));
  g_return_if_fail (max_attempts > 0);

  self->max_attempts = max_attempts;
  self->first_delay_ms = first_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, first_delay_ms);
}

void
crm_sync_client_set_batch_size (CrmSyncClient *self,
                                guint          mutations)
{
  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));
  g_return_if_fail (mutations > 0);

  self->batch_size = MIN (mutations, CRM_WIRE_MAX_MUTATIONS);
}

/**
 * crm_sync_client_login_async:
 *
 * POST /v1/auth/login. On success the token is set and the company id
 * kept in the store. Errors: BAD_LOGIN (401), THROTTLED (429, the wait in
 * the message; not retried), OFFLINE, TLS, SERVER.
 */
void
crm_sync_client_login_async (CrmSyncClient       *self,
                             const char          *company,
                             const char          *user,
                             const char          *password,
                             const char          *device,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  CrmWireLogin login = {
    (char *) company, (char *) user, (char *) password, (char *) device
  };
  g_autoptr (GBytes) body = NULL;
  GTask *task;
  char *text;
  gsize length;

  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));
  g_return_if_fail (company != NULL && user != NULL && password != NULL);

  if (login.device == NULL)
    login.device = (char *) g_get_host_name ();
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_client_login_async);
  g_task_set_check_cancellable (task, FALSE);
  text = crm_wire_build_login_request (&login, &length);
  body = g_bytes_new_with_free_func (text, length, wipe_free, text);
  _crm_sync_request_async (self, "POST", "/v1/auth/login", "application/json", body,
                           CRM_SYNC_REQUEST_RETRY, NULL, NULL, cancellable,
                           on_login_answer, task);
}

/**
 * crm_sync_client_login_finish:
 *
 * Returns: (transfer full): the session (its token is the client's now)
 */
CrmWireSession *
crm_sync_client_login_finish (CrmSyncClient  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * crm_sync_client_logout_async:
 *
 * POST /v1/auth/logout; the token is forgotten once the server has
 * dropped it (or says it no longer knows it).
 */
void
crm_sync_client_logout_async (CrmSyncClient       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_client_logout_async);
  g_task_set_check_cancellable (task, FALSE);
  _crm_sync_request_async (self, "POST", "/v1/auth/logout", NULL, NULL,
                           CRM_SYNC_REQUEST_AUTH | CRM_SYNC_REQUEST_RETRY
                           | CRM_SYNC_REQUEST_RETRY_THROTTLED, NULL, NULL,
                           cancellable, on_logout_answer, task);
}

gboolean
crm_sync_client_logout_finish (CrmSyncClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * crm_sync_client_sync_async:
 *
 * One round: blobs up, the outbox pushed in batches, every page pulled.
 * While it runs, "state" is syncing; it ends idle, offline or error (with
 * "error-message"). A call while a round runs joins it: its task completes
 * with that round (and its @cancellable is not watched: the first call's is).
 */
void
crm_sync_client_sync_async (CrmSyncClient       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_client_sync_async);
  g_task_set_check_cancellable (task, FALSE);
  g_ptr_array_add (self->waiters, task);
  if (self->running)
    return;

  self->running = TRUE;
  set_state (self, CRM_SYNC_STATUS_SYNCING, NULL);
  _crm_sync_client_set_progress (self, 0, 0);
  _crm_sync_round_async (self, cancellable, on_round_done, g_object_ref (self));
}

gboolean
crm_sync_client_sync_finish (CrmSyncClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
crm_sync_client_notices_async (CrmSyncClient       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CRM_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_client_notices_async);
  g_task_set_check_cancellable (task, FALSE);
  _crm_sync_request_async (self, "GET", "/v1/notices", NULL, NULL,
                           CRM_SYNC_REQUEST_AUTH | CRM_SYNC_REQUEST_RETRY
                           | CRM_SYNC_REQUEST_RETRY_THROTTLED, NULL, NULL,
                           cancellable, on_notices_answer, task);
}

/**
 * crm_sync_client_notices_finish:
 *
 * Returns: (transfer container) (element-type CrmWireNotice): newest first
 */
GPtrArray *
crm_sync_client_notices_finish (CrmSyncClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

CrmSyncStatus
crm_sync_client_get_state (CrmSyncClient *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CLIENT (self), CRM_SYNC_STATUS_IDLE);
  return self->state;
}

guint
crm_sync_client_get_done (CrmSyncClient *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CLIENT (self), 0);
  return self->done;
}

guint
crm_sync_client_get_total (CrmSyncClient *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CLIENT (self), 0);
  return self->total;
}

const char *
crm_sync_client_get_error_message (CrmSyncClient *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_CLIENT (self), NULL);
  return self->error_message;
}
