/* crm-sync-request.c — one request of the sync engine, with its retries
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A new SoupMessage per attempt, sent with soup_session_send_async() and its
 * body read a piece at a time, sent again after a wait when there was no
 * answer (a refused or dropped connection, a timeout) or a 500/502/503/504
 * (a 429 too where the caller allows). The waits are exponential from
 * first_delay to max_delay with full jitter (a random wait between 0 and the
 * cap, so that the clients cut off by one outage do not all come back at the
 * same moment), and never shorter than the answer's Retry-After (seconds or
 * an HTTP date). A wait is a timeout GSource on the task's main context
 * beside a GCancellable source, so a cancel ends it at once; nothing sleeps.
 *
 * Trust: the session's TLS database (the system's CAs, or the CA file the
 * client was given) and a pinned SHA-256 fingerprint of the certificate's
 * DER, checked in "accept-certificate". libsoup emits that signal only for
 * a certificate the database refused, so a pin never weakens the CAs; a
 * refused certificate is CRM_SYNC_ERROR_TLS at once, never retried.
 *
 * A hostile or broken server: SoupSession's "timeout" covers each read, so a
 * server that sends a byte now and then would hold an attempt for ever. Each
 * attempt has a deadline of its own (4 × the timeout, at least 60 s, plus a
 * second for every 8 KiB of the request's body and of the answer's
 * Content-Length, so that a large license on a slow line still goes); past
 * it the attempt is cut off (its own GCancellable, chained to the caller's)
 * and counts as no answer. An answer whose Content-Length is over
 * CRM_WIRE_MAX_BODY is cut off at its headers, and one without a length
 * (chunked) as soon as what was read is over it: CRM_SYNC_ERROR_SERVER, not
 * retried, since it would be as large again.
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
  /* this attempt's: cancelled by the task's, the deadline, or a body too large */
  GCancellable        *attempt_cancel;
  gulong               attempt_cancel_id;
  SoupMessage         *msg;
  GInputStream        *stream;          /* the answer's body, once its headers came */
  GByteArray          *received;
  GSource             *deadline_source;
  guint                deadline_ms;
  gboolean             too_large;
  gboolean             timed_out;
} Request;

/* what one read asks for */
#define READ_SIZE          (64 * 1024)
/* the slowest line the deadline allows for a body: bytes a second */
#define MIN_BYTES_PER_S    (8 * 1024)
#define MIN_DEADLINE_MS    (60 * 1000)

static void send_attempt (GTask *task);

static void
request_free (Request *r)
{
  g_assert (r->wait_source == NULL && r->cancel_source == NULL);
  g_free (r->method);
  g_free (r->url);
  g_free (r->content_type);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_assert (r->attempt_cancel == NULL && r->msg == NULL && r->stream == NULL);
  g_assert (r->deadline_source == NULL && r->received == NULL);
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

/* Milliseconds the deadline allows for @bytes more on the slowest line. */
static guint64
body_allowance_ms (guint64 bytes)
{
  return bytes / MIN_BYTES_PER_S * 1000;
}

static gboolean
on_deadline (gpointer data)
{
  Request *r = data;

  g_debug ("%s %s: no whole answer within %u ms", r->method, r->url, r->deadline_ms);
  r->timed_out = TRUE;
  g_cancellable_cancel (r->attempt_cancel);
  g_clear_pointer (&r->deadline_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* A later deadline for an answer of @bytes. */
static void
extend_deadline (Request *r,
                 guint64  bytes)
{
  guint64 extra = body_allowance_ms (bytes);

  if (r->deadline_source == NULL || extra == 0)
    return;
  extra = MIN (extra, (guint64) (G_MAXUINT - r->deadline_ms));
  r->deadline_ms += (guint) extra;
  g_source_set_ready_time (r->deadline_source,
                           g_source_get_ready_time (r->deadline_source)
                           + (gint64) extra * 1000);
}

static void
on_abandoned_closed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  /* an answer cut off: the connection is not kept, whatever close says */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
}

/* Ends the attempt: its deadline, its cancellable, an answer not read to
 * the end (closing it drops the connection, without reading the rest). */
static void
end_attempt (GTask *task)
{
  Request *r = g_task_get_task_data (task);

  if (r->deadline_source != NULL)
    {
      g_source_destroy (r->deadline_source);
      g_clear_pointer (&r->deadline_source, g_source_unref);
    }
  if (r->attempt_cancel_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), r->attempt_cancel_id);
  r->attempt_cancel_id = 0;
  g_clear_object (&r->attempt_cancel);
  if (r->stream != NULL && !g_input_stream_is_closed (r->stream))
    g_input_stream_close_async (r->stream, G_PRIORITY_DEFAULT, NULL,
                                on_abandoned_closed, NULL);
  g_clear_object (&r->stream);
  g_clear_pointer (&r->received, g_byte_array_unref);
  g_clear_object (&r->msg);
}

/* The attempt ended without an answer: @error says why, unless the body was
 * too large or the deadline passed. Takes @task. */
static void
attempt_failed (GTask        *task,
                const GError *error)
{
  CrmSyncClient *self = g_task_get_source_object (task);
  Request *r = g_task_get_task_data (task);
  g_autoptr (GError) timeout = NULL;

  end_attempt (task);
  if (r->too_large)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_SERVER, "%s",
                               _("The team server’s answer is too large."));
      g_object_unref (task);
      return;
    }
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task))
      || (!r->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }
  if (r->timed_out)
    {
      timeout = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             _("the whole answer did not come within %u s"),
                             (r->deadline_ms + 999) / 1000);
      error = timeout;
    }
  else if (error->domain == G_TLS_ERROR)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_TLS,
                               _("The team server’s certificate is not trusted: %s"),
                               error->message);
      g_object_unref (task);
      return;
    }
  if (r->failed != NULL)
    r->failed (self, error->message, r->failed_data);
  if ((r->flags & CRM_SYNC_REQUEST_RETRY) && r->attempt < self->max_attempts)
    {
      wait_then_retry (task, backoff_ms (self, r->attempt, -1));
      return;
    }
  g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE,
                           _("The team server cannot be reached: %s"), error->message);
  g_object_unref (task);
}

/* The whole answer is here. Takes @task. */
static void
attempt_answered (GTask *task)
{
  CrmSyncClient *self = g_task_get_source_object (task);
  Request *r = g_task_get_task_data (task);
  g_autoptr (SoupMessage) msg = g_object_ref (r->msg);
  g_autoptr (GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&r->received));
  g_autofree char *failure = NULL;
  CrmSyncResponse *response;
  guint status;
  gint64 retry_after;

  end_attempt (task);
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
          wait_then_retry (task, backoff_ms (self, r->attempt, retry_after));
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
  g_object_unref (task);
}

static void read_next (GTask *task);

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GTask *task = data;
  g_autoptr (GError) error = NULL;

  if (!g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error))
    {
      attempt_failed (task, error);
      return;
    }
  attempt_answered (task);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GTask *task = data;
  Request *r = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) piece = NULL;
  gsize size;

  piece = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (piece == NULL)
    {
      attempt_failed (task, error);
      return;
    }
  size = g_bytes_get_size (piece);
  if (size == 0)
    {
      /* the end: closing finishes the message (and keeps the connection) */
      g_input_stream_close_async (r->stream, G_PRIORITY_DEFAULT, r->attempt_cancel,
                                  on_closed, task);
      return;
    }
  if (size > CRM_WIRE_MAX_BODY - MIN (r->received->len, CRM_WIRE_MAX_BODY))
    {
      g_debug ("%s %s: more than %d bytes; cut off", r->method, r->url, CRM_WIRE_MAX_BODY);
      r->too_large = TRUE;
      attempt_failed (task, NULL);
      return;
    }
  g_byte_array_append (r->received, g_bytes_get_data (piece, NULL), size);
  read_next (task);
}

/* Takes @task. */
static void
read_next (GTask *task)
{
  Request *r = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (r->stream, READ_SIZE, G_PRIORITY_DEFAULT,
                                   r->attempt_cancel, on_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GTask *task = data;
  Request *r = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;
  goffset length = -1;

  r->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (r->stream == NULL)
    {
      attempt_failed (task, error);
      return;
    }
  /* an answer announcing more than any body of the protocol is not read */
  headers = soup_message_get_response_headers (r->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && g_strcmp0 (r->method, "HEAD") != 0)
    length = soup_message_headers_get_content_length (headers);
  if (length > CRM_WIRE_MAX_BODY)
    {
      r->too_large = TRUE;
      attempt_failed (task, NULL);
      return;
    }
  if (length > 0)
    extend_deadline (r, (guint64) length);
  r->received = g_byte_array_sized_new (length > 0 ? (guint) length : READ_SIZE);
  read_next (task);
}

/* The deadline of one attempt, before the answer's length is known. */
static guint
attempt_deadline_ms (CrmSyncClient *self,
                     Request       *r)
{
  guint64 ms = self->deadline_ms;

  if (ms == 0)
    ms = MAX ((guint64) self->timeout_s * 4 * 1000, MIN_DEADLINE_MS);
  if (r->body != NULL)
    ms += body_allowance_ms (g_bytes_get_size (r->body));
  return (guint) MIN (ms, G_MAXUINT / 2);
}

static void
send_attempt (GTask *task)
{
  CrmSyncClient *self = g_task_get_source_object (task);
  Request *r = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_cancellable_is_cancelled (cancellable))
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }
  r->attempt++;
  r->msg = soup_message_new (r->method, r->url);
  g_assert (r->msg != NULL);  /* the URL was checked when the client was made */
  if (r->body != NULL)
    soup_message_set_request_body_from_bytes (r->msg, r->content_type, r->body);
  /* a request this engine sends again by itself (a push: its mutation ids
   * make it idempotent) may go on a kept connection: libsoup opens a new
   * connection (and TLS handshake) for every POST otherwise */
  if (r->flags & CRM_SYNC_REQUEST_RETRY)
    soup_message_add_flags (r->msg, SOUP_MESSAGE_IDEMPOTENT);
  if ((r->flags & CRM_SYNC_REQUEST_AUTH) && self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (r->msg),
                                    "Authorization", value);
    }
  if (self->pinned != NULL)
    g_signal_connect_object (r->msg, "accept-certificate",
                             G_CALLBACK (on_accept_certificate), self, 0);
  r->too_large = FALSE;
  r->timed_out = FALSE;
  r->attempt_cancel = g_cancellable_new ();
  if (cancellable != NULL)
    r->attempt_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_task_cancelled),
                                                  r->attempt_cancel, NULL);
  /* the source holds no reference: end_attempt() destroys it first */
  r->deadline_ms = attempt_deadline_ms (self, r);
  r->deadline_source = g_timeout_source_new (r->deadline_ms);
  g_source_set_callback (r->deadline_source, on_deadline, r, NULL);
  g_source_attach (r->deadline_source, g_task_get_context (task));
  soup_session_send_async (self->session, r->msg, G_PRIORITY_DEFAULT, r->attempt_cancel,
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
