/* crm-sync-request.c — one request of the sync engine, with its retries
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A new SoupMessage per attempt, read whole with
 * soup_session_send_and_read_async(), sent again after a wait when there
 * was no answer (a refused or dropped connection, a timeout: SoupSession's
 * "timeout") or a 500/502/503/504 (a 429 too where the caller allows). The
 * waits are exponential from first_delay to max_delay with full jitter (a
 * random wait between 0 and the cap, so that the clients cut off by one
 * outage do not all come back at the same moment), and never shorter than
 * the answer's Retry-After (seconds or an HTTP date). A wait is a timeout
 * GSource on the task's main context beside a GCancellable source, so a
 * cancel ends it at once; nothing sleeps.
 *
 * Trust: the session's TLS database (the system's CAs, or the CA file the
 * client was given) and a pinned SHA-256 fingerprint of the certificate's
 * DER, checked in "accept-certificate". libsoup emits that signal only for
 * a certificate the database refused, so a pin never weakens the CAs; a
 * refused certificate is CRM_SYNC_ERROR_TLS at once, never retried.
 *
 * An answer whose Content-Length is over CRM_WIRE_MAX_BODY is cut off at its
 * headers (its own GCancellable, chained to the caller's); any other body is
 * read whole and judged by the codec, which refuses what is over the limit.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "crm-sync-client-private.h"

typedef struct
{
  char                *method;
  char                *url;
  char                *content_type;
  GBytes              *body;
  CrmSyncRequestFlags  flags;
  CrmSyncFailedFunc    failed;
  gpointer             failed_data;
  guint                attempt;
  GSource             *wait_source;
  GSource             *cancel_source;
  GCancellable        *attempt_cancel;  /* this attempt's: the task's, or an answer too large */
  gulong               attempt_cancel_id;
  gboolean             too_large;
} Request;

static void send_attempt (GTask *task);

static void
request_free (Request *r)
{
  g_assert (r->wait_source == NULL && r->cancel_source == NULL);
  g_free (r->method);
  g_free (r->url);
  g_free (r->content_type);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_assert (r->attempt_cancel == NULL);
  g_free (r);
}

static void
request_stop_waiting (Request *r)
{
  if (r->wait_source != NULL)
    {
      g_source_destroy (r->wait_source);
      g_clear_pointer (&r->wait_source, g_source_unref);
    }
  if (r->cancel_source != NULL)
    {
      g_source_destroy (r->cancel_source);
      g_clear_pointer (&r->cancel_source, g_source_unref);
    }
}

static void
return_cancelled (GTask *task)
{
  g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED,
                           "%s", _("Sync was cancelled."));
}

/* Seconds of a Retry-After (a number of seconds or an HTTP date); -1: none. */
static gint64
parse_retry_after (const char *value)
{
  g_autofree char *text = NULL;
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) now = NULL;
  guint64 seconds;
  GTimeSpan span;

  if (value == NULL)
    return -1;
  text = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (text, 10, 0, 7 * 24 * 3600, &seconds, NULL))
    return (gint64) seconds;
  when = soup_date_time_new_from_http_string (text);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (when, now);
  if (span <= 0)
    return 0;
  return MIN ((span + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 7 * 24 * 3600);
}

/* The wait before attempt @attempt + 1: full jitter below an exponential
 * cap, and at least @retry_after seconds. */
static guint
backoff_ms (CrmSyncClient *self,
            guint          attempt,
            gint64         retry_after)
{
  guint64 cap = MAX (self->first_delay_ms, 1);
  guint64 wait;

  for (guint i = 1; i < attempt && cap < self->max_delay_ms; i++)
    cap *= 2;
  cap = MIN (cap, MAX (self->max_delay_ms, 1));
  wait = (guint64) g_random_int_range (0, (gint32) MIN (cap, G_MAXINT32 - 1) + 1);
  if (retry_after >= 0)
    wait = MAX (wait, (guint64) retry_after * 1000);
  return (guint) MIN (wait, G_MAXUINT);
}

static gboolean
on_wait_over (gpointer data)
{
  GTask *task = data;
  Request *r = g_task_get_task_data (task);

  /* the source's reference goes when it is destroyed: the attempt takes its own */
  request_stop_waiting (r);
  send_attempt (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  GTask *task = data;
  Request *r = g_task_get_task_data (task);

  request_stop_waiting (r);
  return_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* Takes @task: it comes back in on_wait_over() or on_wait_cancelled(). */
static void
wait_then_retry (GTask *task,
                 guint  ms)
{
  Request *r = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);

  g_debug ("attempt %u of %s %s failed; again in %u ms", r->attempt, r->method, r->url, ms);
  r->wait_source = g_timeout_source_new (ms);
  /* each source holds a reference to the task; whichever fires first
   * destroys both */
  g_source_set_callback (r->wait_source, on_wait_over, task, g_object_unref);
  if (cancellable != NULL)
    {
      r->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (r->cancel_source, (GSourceFunc) (void (*) (void)) on_wait_cancelled,
                             g_object_ref (task), g_object_unref);
      g_source_attach (r->cancel_source, context);
    }
  g_source_attach (r->wait_source, context);
}

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              data)
{
  CrmSyncClient *self = data;
  g_autoptr (GByteArray) der = NULL;
  g_autofree char *hash = NULL;

  if (self->pinned == NULL)
    return FALSE;
  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return FALSE;
  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return g_strcmp0 (hash, self->pinned) == 0;
}

static gboolean
status_is_retried (guint               status,
                   CrmSyncRequestFlags flags)
{
  if (status == STATUS_TOO_MANY_REQUESTS)
    return (flags & CRM_SYNC_REQUEST_RETRY_THROTTLED) != 0;
  if (status == 500 || status == 502 || status == 503 || status == 504)
    return (flags & CRM_SYNC_REQUEST_RETRY) != 0;
  return FALSE;
}

static void
on_task_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  g_cancellable_cancel (data);
}

/* An answer announcing more than any body of the protocol is not read. */
static void
on_got_headers (SoupMessage *msg,
                gpointer     data)
{
  Request *r = data;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > CRM_WIRE_MAX_BODY)
    {
      r->too_large = TRUE;
      g_cancellable_cancel (r->attempt_cancel);
    }
}

static void
end_attempt (GTask *task)
{
  Request *r = g_task_get_task_data (task);

  if (r->attempt_cancel_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), r->attempt_cancel_id);
  r->attempt_cancel_id = 0;
  g_clear_object (&r->attempt_cancel);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr (GTask) task = data;
  SoupSession *session = SOUP_SESSION (source);
  CrmSyncClient *self = g_task_get_source_object (task);
  Request *r = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *failure = NULL;
  CrmSyncResponse *response;
  SoupMessage *msg;
  guint status;
  gint64 retry_after;

  bytes = soup_session_send_and_read_finish (session, result, &error);
  msg = soup_session_get_async_result_message (session, result);
  end_attempt (task);
  if (bytes == NULL && r->too_large)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER, "%s",
                               _("The team server’s answer is too large."));
      return;
    }
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          return_cancelled (task);
          return;
        }
      if (error->domain == G_TLS_ERROR)
        {
          g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_TLS,
                                   _("The team server’s certificate is not trusted: %s"),
                                   error->message);
          return;
        }
      if (r->failed != NULL)
        r->failed (self, error->message, r->failed_data);
      if ((r->flags & CRM_SYNC_REQUEST_RETRY) && r->attempt < self->max_attempts)
        {
          wait_then_retry (g_steal_pointer (&task), backoff_ms (self, r->attempt, -1));
          return;
        }
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE,
                               _("The team server cannot be reached: %s"), error->message);
      return;
    }

  status = soup_message_get_status (msg);
  retry_after = parse_retry_after (
    soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
  if (status_is_retried (status, r->flags))
    {
      if (status != STATUS_TOO_MANY_REQUESTS && r->failed != NULL)
        {
          failure = g_strdup_printf ("HTTP %u", status);
          r->failed (self, failure, r->failed_data);
        }
      if (r->attempt < self->max_attempts)
        {
          wait_then_retry (g_steal_pointer (&task),
                           backoff_ms (self, r->attempt, retry_after));
          return;
        }
    }

  response = g_new0 (CrmSyncResponse, 1);
  response->status = status;
  response->retry_after = retry_after;
  response->body = g_steal_pointer (&bytes);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      gsize length;
      const char *body = g_bytes_get_data (response->body, &length);

      if (!crm_wire_parse_error (body, length, &response->error_code,
                                 &response->error_message, &response->error_extra))
        {
          g_clear_pointer (&response->error_code, g_free);
          g_clear_pointer (&response->error_message, g_free);
          g_clear_pointer (&response->error_extra, json_object_unref);
        }
    }
  g_task_return_pointer (task, response, (GDestroyNotify) _crm_sync_response_free);
}

static void
send_attempt (GTask *task)
{
  CrmSyncClient *self = g_task_get_source_object (task);
  Request *r = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (SoupMessage) msg = NULL;

  if (g_cancellable_is_cancelled (cancellable))
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }
  r->attempt++;
  msg = soup_message_new (r->method, r->url);
  g_assert (msg != NULL);  /* the URL was checked when the client was made */
  if (r->body != NULL)
    soup_message_set_request_body_from_bytes (msg, r->content_type, r->body);
  if ((r->flags & CRM_SYNC_REQUEST_AUTH) && self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", value);
    }
  if (self->pinned != NULL)
    g_signal_connect_object (msg, "accept-certificate",
                             G_CALLBACK (on_accept_certificate), self, 0);
  r->too_large = FALSE;
  r->attempt_cancel = g_cancellable_new ();
  if (cancellable != NULL)
    r->attempt_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_task_cancelled),
                                                  r->attempt_cancel, NULL);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), r);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, r->attempt_cancel,
                                    on_sent, task);
}

void
_crm_sync_response_free (CrmSyncResponse *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->error_code);
  g_free (self->error_message);
  g_clear_pointer (&self->error_extra, json_object_unref);
  g_free (self);
}

void
_crm_sync_request_async (CrmSyncClient        *self,
                         const char           *method,
                         const char           *path,
                         const char           *content_type,
                         GBytes               *body,
                         CrmSyncRequestFlags   flags,
                         CrmSyncFailedFunc     failed,
                         gpointer              failed_data,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  GTask *task;
  Request *r;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _crm_sync_request_async);
  g_task_set_check_cancellable (task, FALSE);
  if (self->url_error != NULL)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_TLS,
                               "%s", self->url_error);
      g_object_unref (task);
      return;
    }
  r = g_new0 (Request, 1);
  r->method = g_strdup (method);
  r->url = g_strconcat (self->server_url, path, NULL);
  r->content_type = g_strdup (content_type);
  r->body = body != NULL ? g_bytes_ref (body) : NULL;
  r->flags = flags;
  r->failed = failed;
  r->failed_data = failed_data;
  g_task_set_task_data (task, r, (GDestroyNotify) request_free);
  send_attempt (task);
}

CrmSyncResponse *
_crm_sync_request_finish (CrmSyncClient  *self,
                          GAsyncResult   *result,
                          GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GError *
_crm_sync_status_error (const CrmSyncResponse *response)
{
  switch (response->status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new_literal (CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED,
                                  _("This computer is signed out of the team server: "
                                    "sign in again to sync."));
    case SOUP_STATUS_FORBIDDEN:
      if (g_strcmp0 (response->error_code, "account_expired") == 0)
        return g_error_new_literal (CRM_SYNC_ERROR, CRM_SYNC_ERROR_FORBIDDEN,
                                    _("The company’s paid account on the team server has "
                                      "ended."));
      return g_error_new_literal (CRM_SYNC_ERROR, CRM_SYNC_ERROR_FORBIDDEN,
                                  _("The team server refused access to this company’s "
                                    "data."));
    case STATUS_TOO_MANY_REQUESTS:
      return g_error_new_literal (CRM_SYNC_ERROR, CRM_SYNC_ERROR_THROTTLED,
                                  _("The team server is busy; try again later."));
    default:
      /* the server's message is English: the code and status only */
      return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER,
                          _("The team server answered with an error (%u %s)."),
                          response->status,
                          response->error_code != NULL ? response->error_code : "");
    }
}

GError *
_crm_sync_protocol_error (const GError *wire_error)
{
  return g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER,
                      _("The team server’s answer is not understood: %s"),
                      wire_error->message);
}
