/* crm-server-http.c — `xiaohe-crm-server serve`: the HTTP(S) front of the
 * server (libsoup 3 SoupServer): listening, body limits, one log line a
 * request, tokens, a clean stop on SIGTERM
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything runs on the main loop, storage calls included (the storage is
 * not shared between threads); only the Argon2id check of a login runs in
 * a worker thread (crm-server-routes.c). A body over its limit is refused
 * from its headers (Content-Length) before it is read; a chunked body is
 * counted as it comes and dropped, not kept, once over. A connection that
 * sends or reads nothing for the idle timeout (60 s, `serve --idle-timeout`)
 * is closed: half-sent requests and idle keep-alives do not hold a file
 * descriptor for ever. The log says who asked what and how it went —
 * method, path, status, time, or "aborted" for a request the client gave up
 * on or that timed out — and never a body, a header's value, a password or
 * a token.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "crm-server-commands.h"
#include "crm-server-http-private.h"
#include "crm-server-http.h"
#include "crm-wire.h"

#define DEFAULT_LISTEN  "127.0.0.1:8080"
#define DEFAULT_PORT    8080
/* connections the kernel keeps waiting while the main loop is busy */
#define LISTEN_BACKLOG 512
/* how long a stop waits for the requests under way */
#define STOP_GRACE_SECONDS 10
/* seconds a connection may stay silent (nothing read or written) */
#define DEFAULT_IDLE_TIMEOUT 60
/* file descriptors kept for the storage, the epoch guard and the rest when
 * connections take all the others */
#define FD_RESERVE      32
/* seconds between two log lines about refused connections */
#define REFUSED_LOG_SECONDS 10
/* the limit of open files is raised up to this, when the hard limit allows */
#define OPEN_FILES_WANTED 65536
#define LOG_FIELD_MAX   200

#define REQUEST_KEY "crm-server-request"

CrmServerRequest *
crm_server_http_request (SoupServerMessage *msg)
{
  CrmServerRequest *r = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);

  if (r == NULL)
    {
      r = g_new0 (CrmServerRequest, 1);
      r->started = g_get_monotonic_time ();
      r->body_limit = CRM_WIRE_MAX_BODY;
      g_object_set_data_full (G_OBJECT (msg), REQUEST_KEY, r, g_free);
    }
  return r;
}

void
crm_server_http_reply_json (SoupServerMessage *msg,
                            guint              status,
                            char              *json,
                            gsize              length)
{
  const char *reason = status == 429 ? "Too Many Requests" : NULL;

  crm_server_http_request (msg)->answered = status;
  soup_server_message_set_status (msg, status, reason);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    json, length);
}

void
crm_server_http_reply_error (SoupServerMessage *msg,
                             guint              status,
                             const char        *code,
                             const char        *message,
                             JsonObject        *extra)
{
  gsize length = 0;
  char *json = crm_wire_build_error (code, message, extra, &length);

  crm_server_http_reply_json (msg, status, json, length);
}

void
crm_server_http_reply_storage_error (SoupServerMessage *msg,
                                     const GError      *error)
{
  if (g_error_matches (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_BUSY))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      crm_server_http_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                                   "The server is busy; try again", NULL);
      return;
    }

  if (g_error_matches (error, CRM_SERVER_STORAGE_ERROR,
                       CRM_SERVER_STORAGE_ERROR_UNAVAILABLE))
    {
      /* the database is restarting or out of reach: the backend reconnects
       * by itself, the client tries again later */
      g_message ("Storage unavailable: %s", error->message);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "2");
      crm_server_http_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                                   "The server's database cannot be reached; try again",
                                   NULL);
      return;
    }

  g_message ("Storage failed: %s", error != NULL ? error->message : "unknown error");
  crm_server_http_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                               "The server's storage failed; nothing was applied", NULL);
}

/* the token of "Authorization: Bearer TOKEN", or NULL */
static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *value =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                  "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;
  if (*value == '\0' || strlen (value) > 512)
    return NULL;
  return value;
}

CrmServerTokenOwner *
crm_server_http_authenticate (CrmServerHttp     *self,
                              SoupServerMessage *msg,
                              gboolean           allow_expired,
                              char             **token_hash)
{
  const char *token = bearer_token (msg);
  g_autofree char *hash = NULL;
  g_autofree char *today = NULL;
  g_autoptr(CrmServerTokenOwner) owner = NULL;
  g_autoptr(CrmServerCompany) company = NULL;
  g_autoptr(GError) error = NULL;

  if (token == NULL)
    {
      crm_server_http_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                   "No token: sign in first", NULL);
      return NULL;
    }

  hash = crm_server_auth_hash_token (token);
  owner = crm_server_storage_find_token (self->storage, hash, &error);
  if (owner == NULL)
    {
      if (error == NULL ||
          g_error_matches (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND))
        crm_server_http_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                     "Unknown or signed-out token: sign in again", NULL);
      else
        crm_server_http_reply_storage_error (msg, error);
      return NULL;
    }

  if (!allow_expired)
    {
      company = crm_server_storage_find_company (self->storage, owner->company_id, &error);
      if (company == NULL)
        {
          if (error == NULL ||
              g_error_matches (error, CRM_SERVER_STORAGE_ERROR,
                               CRM_SERVER_STORAGE_ERROR_NOT_FOUND))
            crm_server_http_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                         "Unknown or signed-out token: sign in again",
                                         NULL);
          else
            crm_server_http_reply_storage_error (msg, error);
          return NULL;
        }

      today = crm_server_today ();
      if (crm_server_company_expired (company, today))
        {
          crm_server_http_reply_error (msg, SOUP_STATUS_FORBIDDEN, "account_expired",
                                       "The company's paid account has ended", NULL);
          return NULL;
        }
    }

  if (token_hash != NULL)
    *token_hash = g_steal_pointer (&hash);
  return g_steal_pointer (&owner);
}

/* ---- the log ---- */

/* @text without control characters, cut to a sane length: a path may hold
 * anything once percent-decoded, and one request is one line */
static char *
log_field (const char *text)
{
  GString *out;

  if (text == NULL || *text == '\0')
    return g_strdup ("-");

  out = g_string_new (NULL);
  for (const char *p = text; *p && out->len < LOG_FIELD_MAX; p++)
    {
      guchar c = (guchar) *p;

      g_string_append_c (out, (c < 0x20 || c == 0x7f || c == ' ') ? '?' : (char) c);
    }
  if (!g_utf8_validate (out->str, -1, NULL))
    {
      char *valid = g_utf8_make_valid (out->str, -1);

      g_string_free (out, TRUE);
      return valid;
    }
  return g_string_free (out, FALSE);
}

static void
request_done (CrmServerHttp     *self,
              SoupServerMessage *msg,
              gboolean           aborted)
{
  CrmServerRequest *r = crm_server_http_request (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *method = log_field (soup_server_message_get_method (msg));
  g_autofree char *path = log_field (uri != NULL ? g_uri_get_path (uri) : NULL);
  gint64 ms = (g_get_monotonic_time () - r->started) / 1000;
  guint status = soup_server_message_get_status (msg);

  if (r->done)
    return;
  r->done = TRUE;

  /* libsoup reports a read or write that failed (the client closed the
   * connection, or it timed out) as a 500 and calls the request aborted,
   * as it does for a 500 a route answered; only the latter is a 500 in the
   * log, where it means that the storage failed */
  if (r->refused)
    ;  /* the line of refuse_connection () says it */
  else if (aborted && r->answered != SOUP_STATUS_INTERNAL_SERVER_ERROR)
    fprintf (stderr, "%s %s aborted %" G_GINT64_FORMAT "ms\n", method, path, ms);
  else
    fprintf (stderr, "%s %s %u %" G_GINT64_FORMAT "ms\n", method, path, status, ms);
  fflush (stderr);

  if (r->counted)
    {
      r->counted = FALSE;
      self->in_flight--;
      if (self->stopping && self->in_flight == 0)
        g_main_loop_quit (self->loop);
    }
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  request_done (user_data, msg, FALSE);
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  request_done (user_data, msg, TRUE);
}

/* ---- limits ---- */

static void
refuse_too_large (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  /* whatever still comes is read and dropped, and the connection closed */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  crm_server_http_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                               "The request's body is over the limit", NULL);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  CrmServerRequest *r = crm_server_http_request (msg);

  r->received += g_bytes_get_size (chunk);
  if (r->received > r->body_limit && soup_server_message_get_status (msg) == 0)
    refuse_too_large (msg);
  else if (r->received > r->body_limit)
    soup_message_body_truncate (soup_server_message_get_request_body (msg));
}

/* runs after SoupServer's own check of the headers: a request it refused
 * (a path with "..", a wrong scheme) gets a JSON error like any other */
static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  guint status = soup_server_message_get_status (msg);

  if (status == SOUP_STATUS_BAD_REQUEST &&
      soup_server_message_get_response_body (msg)->length == 0)
    crm_server_http_reply_error (msg, status, "malformed", "Malformed request", NULL);
}

/* A connection over the limit is shut at once (its client sees the
 * connection closed, and tries again later): libsoup stops accepting for
 * good when an accept () fails, with EMFILE say, so that it must never run
 * out of file descriptors. The descriptor of a new connection is the
 * lowest free one; as every connection kept has one under max_fd, there are
 * never more than max_fd of them, and FD_RESERVE descriptors stay free. */
static void
refuse_connection (CrmServerHttp *self,
                   GSocket       *socket)
{
  gint64 now = g_get_monotonic_time ();

  g_socket_shutdown (socket, TRUE, TRUE, NULL);
  self->refused++;
  if (self->refused_logged == 0 ||
      now - self->refused_logged >= REFUSED_LOG_SECONDS * G_USEC_PER_SEC)
    {
      fprintf (stderr, "Too many connections (at most %d): %u refused since the last "
               "line like this\n", self->max_fd, self->refused);
      fflush (stderr);
      self->refused = 0;
      self->refused_logged = now;
    }
}

/* A new connection's first request starts as it is accepted, before a
 * byte (or a TLS handshake) is read, and each next request of a keep-alive
 * connection when its first byte arrives: the socket's timeout bounds every
 * wait, for the handshake, the headers, the body, the client reading the
 * answer and the next request alike. A message paused while the server
 * works (a login's password check) waits for no socket and is not cut. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  CrmServerHttp *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    {
      g_socket_set_timeout (socket, self->idle_timeout);
      if (g_socket_get_fd (socket) >= self->max_fd)
        {
          refuse_connection (self, socket);
          crm_server_http_request (msg)->refused = TRUE;
        }
    }
  crm_server_http_request (msg);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
}

/* called once the headers are in, before the body is read */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CrmServerHttp *self = user_data;
  CrmServerRequest *r = crm_server_http_request (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  r->started = g_get_monotonic_time ();
  r->counted = TRUE;
  self->in_flight++;

  /* what a refused connection sent before it was shut goes nowhere */
  if (self->stopping || r->refused)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      crm_server_http_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                                   self->stopping ? "The server is stopping; try again"
                                                  : "The server is busy; try again", NULL);
      return;
    }

  r->body_limit = crm_server_routes_body_limit (soup_server_message_get_method (msg), path);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > r->body_limit)
    {
      refuse_too_large (msg);
      return;
    }

  /* a push or a blob without a valid token is answered before its body
   * (up to 16 MiB) is read, and the connection closed */
  if (crm_server_routes_body_needs_token (soup_server_message_get_method (msg), path))
    {
      g_autoptr(CrmServerTokenOwner) owner = crm_server_http_authenticate (self, msg, TRUE,
                                                                           NULL);

      if (owner == NULL)
        {
          soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Connection", "close");
        }
    }
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  crm_server_routes_dispatch (user_data, msg, path, query);
}

/* ---- listening ---- */

static gboolean
stop_grace_over_cb (gpointer user_data)
{
  CrmServerHttp *self = user_data;

  self->grace_id = 0;
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer user_data)
{
  CrmServerHttp *self = user_data;

  if (self->stopping)
    {
      g_main_loop_quit (self->loop);  /* a second signal: stop now */
      return G_SOURCE_CONTINUE;
    }

  /* no new request is taken; those under way get some time */
  self->stopping = TRUE;
  if (self->in_flight == 0)
    g_main_loop_quit (self->loop);
  else
    self->grace_id = g_timeout_add_seconds (STOP_GRACE_SECONDS, stop_grace_over_cb, self);
  return G_SOURCE_CONTINUE;
}

/* HOST:PORT → an address to bind; a name is resolved once, here */
static GInetSocketAddress *
parse_listen (const char  *listen,
              GError     **error)
{
  g_autoptr(GSocketConnectable) parsed = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;
  guint16 port;

  parsed = g_network_address_parse (listen, DEFAULT_PORT, error);
  if (parsed == NULL)
    return NULL;

  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed));
  port = g_network_address_get_port (G_NETWORK_ADDRESS (parsed));
  address = g_inet_address_new_from_string (host);
  if (address == NULL && g_ascii_strcasecmp (host, "localhost") == 0)
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  if (address == NULL)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      GList *found = g_resolver_lookup_by_name (resolver, host, NULL, error);

      if (found == NULL)
        return NULL;
      address = g_object_ref (found->data);
      g_resolver_free_addresses (found);
    }

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, port));
}

/* the URL of the first listening socket, with the port the system gave */
static char *
listening_url (SoupServer *server,
               gboolean    https)
{
  GSList *listeners = soup_server_get_listeners (server);
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *ip = NULL;
  GInetAddress *address;
  guint16 port;
  char *url;

  if (listeners == NULL)
    return NULL;
  local = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (local == NULL || !G_IS_INET_SOCKET_ADDRESS (local))
    return NULL;

  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  ip = g_inet_address_to_string (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    url = g_strdup_printf ("%s://[%s]:%u", https ? "https" : "http", ip, port);
  else
    url = g_strdup_printf ("%s://%s:%u", https ? "https" : "http", ip, port);
  return url;
}

/* The highest file descriptor a connection may have: the soft limit of
 * open files, raised towards the hard one (up to OPEN_FILES_WANTED), less
 * FD_RESERVE. */
static int
connection_fd_limit (void)
{
  struct rlimit limit;
  rlim_t open_max;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024 - FD_RESERVE;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < OPEN_FILES_WANTED &&
      (limit.rlim_max == RLIM_INFINITY || limit.rlim_cur < limit.rlim_max))
    {
      struct rlimit raised = { OPEN_FILES_WANTED, limit.rlim_max };

      if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < OPEN_FILES_WANTED)
        raised.rlim_cur = limit.rlim_max;

      if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
        limit = raised;
    }

  open_max = limit.rlim_cur;
  if (open_max == RLIM_INFINITY || open_max > G_MAXINT)
    open_max = G_MAXINT;
  return open_max > 2 * FD_RESERVE ? (int) (open_max - FD_RESERVE) : (int) open_max / 2;
}

static void
http_clear (CrmServerHttp *self)
{
  g_clear_object (&self->server);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->throttle, crm_server_throttle_free);
  g_clear_pointer (&self->checking, g_hash_table_unref);
  g_clear_pointer (&self->dummy_hash, g_free);
  g_clear_pointer (&self->dir, g_free);
}

/* soup_server_listen () with a listen backlog of LISTEN_BACKLOG: libsoup's
 * own is 10, and 50 clients connecting at once to a busy process (its
 * main loop in a push) overflowed it: resets and SYN retries (measured with
 * bench-server-pg and nstat) */
static gboolean
listen_on (SoupServer          *server,
           GInetSocketAddress  *address,
           gboolean             https,
           GError             **error)
{
  g_autoptr (GSocket) socket = NULL;

  socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, G_SOCKET_ADDRESS (address), TRUE, error)
      || !g_socket_listen (socket, error))
    return FALSE;
  return soup_server_listen_socket (server, socket, https ? SOUP_SERVER_LISTEN_HTTPS : 0,
                                    error);
}

int
crm_server_http_serve (CrmServerStorage           *storage,
                       const CrmServerHttpOptions *options)
{
  /* the caller's reference: closed here, on every way out */
  g_autoptr(CrmServerStorage) owned = storage;
  CrmServerHttp self = { 0 };
  const char *listen = options->listen != NULL ? options->listen : DEFAULT_LISTEN;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dummy = NULL;
  gboolean https = options->tls_cert != NULL || options->tls_key != NULL;
  guint term_id, int_id;
  guchar random[16];

  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (storage), 1);

  if ((options->tls_cert == NULL) != (options->tls_key == NULL))
    {
      g_printerr (_("Give both --tls-cert and --tls-key, or neither\n"));
      return 1;
    }

  address = parse_listen (listen, &error);
  if (address == NULL)
    {
      g_printerr (_("Cannot listen on “%s”: %s\n"), listen, error->message);
      return 1;
    }
  if (!https &&
      !g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)))
    {
      g_printerr (_("Plain HTTP is served only on a loopback address: give --tls-cert "
                    "and --tls-key to listen on “%s”\n"), listen);
      return 1;
    }

  if (https)
    {
      certificate = g_tls_certificate_new_from_files (options->tls_cert, options->tls_key,
                                                      &error);
      if (certificate == NULL)
        {
          g_printerr (_("Cannot read the TLS certificate or key: %s\n"), error->message);
          return 1;
        }
    }

  if (!crm_server_auth_init ())
    {
      g_printerr (_("The cryptography library cannot start\n"));
      return 1;
    }

  /* a hash to verify against when the user is unknown, so that a wrong
   * user name costs the same time as a wrong password */
  randombytes_buf (random, sizeof random);
  dummy = g_base64_encode (random, sizeof random);

  self.storage = storage;
  self.dir = g_strdup (options->dir);
  self.idle_timeout = options->idle_timeout > 0 ? options->idle_timeout : DEFAULT_IDLE_TIMEOUT;
  self.max_fd = connection_fd_limit ();
  self.throttle = crm_server_throttle_new ();
  self.checking = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.dummy_hash = crm_server_auth_hash_password (dummy, &error);
  if (self.dummy_hash == NULL)
    {
      g_printerr ("%s\n", error->message);
      http_clear (&self);
      return 1;
    }
  self.loop = g_main_loop_new (NULL, FALSE);
  self.server = soup_server_new ("server-header", "xiaohe-crm-server",
                                 "tls-certificate", certificate,
                                 NULL);

  soup_server_add_early_handler (self.server, NULL, early_handler, &self, NULL);
  soup_server_add_handler (self.server, NULL, handler, &self, NULL);
  g_signal_connect (self.server, "request-started", G_CALLBACK (request_started_cb), &self);
  g_signal_connect (self.server, "request-finished", G_CALLBACK (request_finished_cb), &self);
  g_signal_connect (self.server, "request-aborted", G_CALLBACK (request_aborted_cb), &self);

  if (!listen_on (self.server, address, https, &error) ||
      (url = listening_url (self.server, https)) == NULL)
    {
      g_printerr (_("Cannot listen on “%s”: %s\n"), listen,
                  error != NULL ? error->message : _("no socket"));
      http_clear (&self);
      return 1;
    }

  term_id = g_unix_signal_add (SIGTERM, stop_cb, &self);
  int_id = g_unix_signal_add (SIGINT, stop_cb, &self);

  /* a line for scripts and tests: not translated */
  fprintf (stdout, "Listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (self.loop);

  g_clear_handle_id (&self.grace_id, g_source_remove);
  g_source_remove (term_id);
  g_source_remove (int_id);
  soup_server_disconnect (self.server);
  crm_server_routes_finish (&self);
  g_signal_handlers_disconnect_by_data (self.server, &self);
  http_clear (&self);

  return 0;
}
