/* crm-server-routes.c — the calls of the sync protocol (docs/sync-protocol.md,
 * "HTTP"): health, login, logout, push, pull, blobs, notices
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each handler checks, in this order: the method (405), the token (401,
 * 403 account_expired), the path and query (400), the body (413, 400),
 * and only then touches the data. Bodies are parsed by crm-wire, strictly;
 * the work is done by crm-server-sync.c through the storage interface.
 * A login verifies the password's Argon2id hash in a worker thread with
 * the message paused, and verifies against a dummy hash when the company
 * or user is unknown, so that every wrong login costs the same. At most
 * MAX_VERIFYING checks run at once, and one user (or address) has at most
 * MAX_CHECKING_USER (_ADDRESS) under check: a guess counts as a failure
 * only once checked, so guesses sent in parallel would otherwise all be
 * checked before the throttle saw the first (429 with Retry-After: 1).
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "crm-license-file.h"
#include "crm-server-commands.h"
#include "crm-server-http-private.h"
#include "crm-server-sync.h"
#include "crm-wire.h"

#define PULL_DEFAULT_LIMIT 500
#define PULL_MAX_LIMIT     1000
#define SHA256_HEX_LENGTH  64
/* Argon2id checks at once (each takes 64 MiB and most of a core), and
 * logins that may wait for one; beyond that a login gets 503 */
#define MAX_VERIFYING      2
#define MAX_WAITING_LOGINS 64
/* logins under check at once for one user, and from one address: a guess
 * counts as a failure only once checked, so parallel guesses must wait */
#define MAX_CHECKING_USER    1
#define MAX_CHECKING_ADDRESS 4

static void
reply_method_not_allowed (SoupServerMessage *msg,
                          const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Allow", allow);
  crm_server_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                               "This method is not allowed here", NULL);
}

static void
reply_wire_error (SoupServerMessage *msg,
                  const GError      *error)
{
  if (g_error_matches (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_TOO_LARGE))
    crm_server_http_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                 error->message, NULL);
  else
    crm_server_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                 error != NULL ? error->message : "Malformed body", NULL);
}

static GBytes *
request_body (SoupServerMessage *msg)
{
  return soup_message_body_flatten (soup_server_message_get_request_body (msg));
}

/* Best effort: overwrites the bytes of a login's body (the password) in
 * libsoup's buffers, the chunks as received and @flat, their copy. */
static void
wipe_request_body (SoupServerMessage *msg,
                   GBytes            *flat)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  goffset offset = 0;
  gsize size;
  const void *data;

  for (;;)
    {
      g_autoptr(GBytes) chunk = soup_message_body_get_chunk (body, offset);

      if (chunk == NULL)
        break;
      data = g_bytes_get_data (chunk, &size);
      if (size == 0)
        break;
      sodium_memzero ((void *) data, size);
      offset += size;
    }

  data = g_bytes_get_data (flat, &size);
  if (data != NULL && size > 0)
    sodium_memzero ((void *) data, size);
}

/* ---- health ---- */

static void
route_health (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  char *json;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &length);
  crm_server_http_reply_json (msg, SOUP_STATUS_OK, json, length);
}

/* ---- login ---- */

typedef struct
{
  CrmServerHttp     *http;
  SoupServerMessage *msg;
  char              *hash;       /* the user's, or the dummy */
  char              *password;   /* wiped */
  CrmServerUser     *user;       /* NULL: unknown company or user */
  char              *user_key;   /* "company/user", for the throttle */
  char              *address;
  char              *checking_keys[2];  /* in CrmServerHttp.checking */
  char              *device;
  gboolean           expired;
} Login;

static void
login_free (Login *login)
{
  g_object_unref (login->msg);
  g_free (login->hash);
  if (login->password != NULL)
    {
      sodium_memzero (login->password, strlen (login->password));
      g_free (login->password);
    }
  g_clear_pointer (&login->user, crm_server_user_free);
  g_free (login->user_key);
  g_free (login->address);
  g_free (login->checking_keys[0]);
  g_free (login->checking_keys[1]);
  g_free (login->device);
  g_free (login);
}

static void
login_verify_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Login *login = task_data;
  gboolean ok = crm_server_auth_verify_password (login->hash, login->password);

  sodium_memzero (login->password, strlen (login->password));
  g_task_return_boolean (task, ok);
}

static void
login_answer (Login   *login,
              gboolean password_ok)
{
  CrmServerHttp *self = login->http;
  SoupServerMessage *msg = login->msg;
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autoptr(GError) error = NULL;
  CrmWireSession session = { 0 };
  gsize length = 0;
  char *json;

  if (!password_ok || login->user == NULL)
    {
      crm_server_throttle_failed (self->throttle, login->user_key, login->address, now);
      crm_server_http_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                   "Wrong company, user or password", NULL);
      return;
    }

  crm_server_throttle_succeeded (self->throttle, login->user_key);
  if (login->expired)
    {
      crm_server_http_reply_error (msg, SOUP_STATUS_FORBIDDEN, "account_expired",
                                   "The company's paid account has ended", NULL);
      return;
    }

  token = crm_server_auth_new_token (&token_hash);
  if (!crm_server_storage_add_token (self->storage, token_hash, login->user,
                                     login->device, &error))
    {
      crm_server_http_reply_storage_error (msg, error);
      sodium_memzero (token, strlen (token));
      return;
    }

  session.token = token;
  session.user_id = login->user->id;
  session.company_id = login->user->company_id;
  session.user_name = login->user->name;
  json = crm_wire_build_session (&session, &length);
  sodium_memzero (token, strlen (token));
  crm_server_http_reply_json (msg, SOUP_STATUS_OK, json, length);
}

static guint
checking_count (CrmServerHttp *self,
                const char    *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->checking, key));
}

static void
checking_remove (CrmServerHttp *self,
                 Login         *login)
{
  for (guint i = 0; i < G_N_ELEMENTS (login->checking_keys); i++)
    {
      const char *key = login->checking_keys[i];
      guint count = checking_count (self, key);

      if (count <= 1)
        g_hash_table_remove (self->checking, key);
      else
        g_hash_table_insert (self->checking, g_strdup (key), GUINT_TO_POINTER (count - 1));
    }
}

static void
checking_add (CrmServerHttp *self,
              Login         *login)
{
  for (guint i = 0; i < G_N_ELEMENTS (login->checking_keys); i++)
    {
      const char *key = login->checking_keys[i];

      g_hash_table_insert (self->checking, g_strdup (key),
                           GUINT_TO_POINTER (checking_count (self, key) + 1));
    }
}

static void login_verified_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);

/* starts the checks waiting, as far as MAX_VERIFYING allows */
static void
login_start_checks (CrmServerHttp *self)
{
  while (self->verifying < MAX_VERIFYING && !g_queue_is_empty (&self->logins))
    {
      Login *login = g_queue_pop_head (&self->logins);
      g_autoptr(GTask) task = g_task_new (NULL, NULL, login_verified_cb, self);

      self->verifying++;
      g_task_set_task_data (task, login, (GDestroyNotify) login_free);
      g_task_run_in_thread (task, login_verify_thread);
    }
}

static void
login_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CrmServerHttp *self = user_data;
  Login *login = g_task_get_task_data (G_TASK (result));
  CrmServerRequest *r = crm_server_http_request (login->msg);
  gboolean ok = g_task_propagate_boolean (G_TASK (result), NULL);

  self->verifying--;
  checking_remove (self, login);
  login_start_checks (self);

  /* the client went away meanwhile: no token for nobody */
  if (r->done)
    return;

  login_answer (login, ok);
  soup_server_message_unpause (login->msg);
}

static void
route_login (CrmServerHttp     *self,
             SoupServerMessage *msg)
{
  const char *address = soup_server_message_get_remote_host (msg);
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(CrmWireLogin) request = NULL;
  g_autoptr(CrmServerCompany) company = NULL;
  g_autoptr(CrmServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = NULL;
  g_autofree char *user_key = NULL;
  Login *login;
  guint wait;
  char retry_after[16];

  if (address == NULL)
    address = "-";

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      reply_method_not_allowed (msg, "POST");
      return;
    }

  /* an address over its limit is refused before anything, body included */
  wait = crm_server_throttle_check (self->throttle, NULL, address, now);
  if (wait == 0)
    {
      gsize size;
      const char *data;

      body = request_body (msg);
      data = g_bytes_get_data (body, &size);
      request = crm_wire_parse_login_request (data != NULL ? data : "", size, &error);
      wipe_request_body (msg, body);
      if (request == NULL)
        {
          reply_wire_error (msg, error);
          return;
        }
      user_key = g_strdup_printf ("%s/%s", request->company, request->user);
      wait = crm_server_throttle_check (self->throttle, user_key, address, now);
    }
  if (wait == 0)
    {
      g_autofree char *by_user = g_strconcat ("u:", user_key, NULL);
      g_autofree char *by_address = g_strconcat ("a:", address, NULL);

      if (checking_count (self, by_user) >= MAX_CHECKING_USER ||
          checking_count (self, by_address) >= MAX_CHECKING_ADDRESS)
        wait = 1;
    }
  if (wait > 0)
    {
      g_snprintf (retry_after, sizeof retry_after, "%u", wait);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", retry_after);
      crm_server_http_reply_error (msg, 429, "throttled",
                                   "Too many failed logins; try again later", NULL);
      return;
    }

  if (g_queue_get_length (&self->logins) >= MAX_WAITING_LOGINS)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      crm_server_http_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                                   "Too many logins at once; try again", NULL);
      return;
    }

  company = crm_server_storage_find_company (self->storage, request->company, &error);
  if (company == NULL && error != NULL &&
      !g_error_matches (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND))
    {
      crm_server_http_reply_storage_error (msg, error);
      return;
    }
  g_clear_error (&error);
  if (company != NULL)
    {
      user = crm_server_storage_find_user (self->storage, company->id, request->user, &error);
      if (user == NULL && error != NULL &&
          !g_error_matches (error, CRM_SERVER_STORAGE_ERROR,
                            CRM_SERVER_STORAGE_ERROR_NOT_FOUND))
        {
          crm_server_http_reply_storage_error (msg, error);
          return;
        }
    }

  login = g_new0 (Login, 1);
  login->http = self;
  login->msg = g_object_ref (msg);
  login->hash = g_strdup (user != NULL ? user->password_hash : self->dummy_hash);
  login->password = g_strdup (request->password);
  login->user_key = g_steal_pointer (&user_key);
  login->address = g_strdup (address);
  login->device = g_strdup (request->device);
  if (company != NULL)
    {
      today = crm_server_today ();
      login->expired = crm_server_company_expired (company, today);
    }
  login->user = g_steal_pointer (&user);
  login->checking_keys[0] = g_strconcat ("u:", login->user_key, NULL);
  login->checking_keys[1] = g_strconcat ("a:", login->address, NULL);
  checking_add (self, login);

  /* Argon2id takes a good part of a second and 64 MiB: not on the main
   * loop. The thread sees only the hash and the password, never the
   * storage. */
  soup_server_message_pause (msg);
  g_queue_push_tail (&self->logins, login);
  login_start_checks (self);
}

void
crm_server_routes_finish (CrmServerHttp *self)
{
  g_queue_clear_full (&self->logins, (GDestroyNotify) login_free);
}

/* ---- logout ---- */

static void
route_logout (CrmServerHttp     *self,
              SoupServerMessage *msg)
{
  g_autoptr(CrmServerTokenOwner) owner = NULL;
  g_autofree char *token_hash = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      reply_method_not_allowed (msg, "POST");
      return;
    }

  /* signing out works even after the paid account's end */
  owner = crm_server_http_authenticate (self, msg, TRUE, &token_hash);
  if (owner == NULL)
    return;

  if (!crm_server_storage_delete_token (self->storage, token_hash, &error))
    {
      crm_server_http_reply_storage_error (msg, error);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* ---- push and pull ---- */

static void
route_push (CrmServerHttp     *self,
            SoupServerMessage *msg)
{
  g_autoptr(CrmServerTokenOwner) owner = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *client_id = NULL;
  g_autoptr(GPtrArray) mutations = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  CrmServerActor actor;
  const char *data;
  gsize size, length = 0;
  char *json;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      reply_method_not_allowed (msg, "POST");
      return;
    }
  owner = crm_server_http_authenticate (self, msg, FALSE, NULL);
  if (owner == NULL)
    return;

  body = request_body (msg);
  data = g_bytes_get_data (body, &size);
  if (!crm_wire_parse_push_request (data != NULL ? data : "", size, &client_id, &mutations,
                                    &error))
    {
      reply_wire_error (msg, error);
      return;
    }

  actor.company_id = owner->company_id;
  actor.user_id = owner->user_id;
  actor.user_name = owner->user_name;
  results = crm_server_push (self->storage, self->dir, &actor, client_id, mutations, &error);
  if (results == NULL)
    {
      if (error != NULL && error->domain == CRM_SERVER_SYNC_ERROR)
        crm_server_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                     error->message, NULL);
      else
        crm_server_http_reply_storage_error (msg, error);
      return;
    }

  json = crm_wire_build_push_response (results, &length);
  crm_server_http_reply_json (msg, SOUP_STATUS_OK, json, length);
}

/* a non-negative decimal integer, nothing else (no sign, space, exponent) */
static gboolean
parse_count (const char *text,
             guint64     max,
             guint64    *value)
{
  if (text == NULL || *text == '\0' || strlen (text) > 20)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return g_ascii_string_to_unsigned (text, 10, 0, max, value, NULL);
}

static void
route_pull (CrmServerHttp     *self,
            SoupServerMessage *msg,
            GHashTable        *query)
{
  g_autoptr(CrmServerTokenOwner) owner = NULL;
  g_autoptr(CrmWirePull) pull = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  guint64 cursor = 0, limit = PULL_DEFAULT_LIMIT;
  gint64 epoch_base = 0;
  gsize length = 0;
  char *json;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      reply_method_not_allowed (msg, "GET");
      return;
    }
  owner = crm_server_http_authenticate (self, msg, FALSE, NULL);
  if (owner == NULL)
    return;

  text = query != NULL ? g_hash_table_lookup (query, "cursor") : NULL;
  if (query != NULL && g_hash_table_contains (query, "cursor") &&
      !parse_count (text, G_MAXINT64, &cursor))
    {
      crm_server_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                   "cursor: not a non-negative integer", NULL);
      return;
    }
  text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  if (query != NULL && g_hash_table_contains (query, "limit") &&
      (!parse_count (text, PULL_MAX_LIMIT, &limit) || limit < 1))
    {
      crm_server_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                   "limit: not an integer from 1 to 1000", NULL);
      return;
    }

  pull = crm_server_pull_stored (self->storage, owner->company_id, (gint64) cursor,
                                 (guint) limit, &epoch_base, &error);
  if (pull == NULL)
    {
      if (g_error_matches (error, CRM_SERVER_SYNC_ERROR, CRM_SERVER_SYNC_ERROR_CURSOR_EXPIRED))
        {
          g_autoptr(JsonObject) extra = json_object_new ();
          g_autoptr(GError) epoch_error = NULL;
          g_autofree char *epoch = crm_server_storage_get_epoch (self->storage,
                                                                 &epoch_error);

          if (epoch == NULL)
            {
              crm_server_http_reply_storage_error (msg, epoch_error);
              return;
            }
          json_object_set_string_member (extra, "server_epoch", epoch);
          json_object_set_int_member (extra, "epoch_base", epoch_base);
          crm_server_http_reply_error (msg, SOUP_STATUS_GONE, "cursor_expired",
                                       "The cursor is ahead of the server: resync", extra);
        }
      else if (error != NULL && error->domain == CRM_SERVER_SYNC_ERROR)
        crm_server_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                     error->message, NULL);
      else
        crm_server_http_reply_storage_error (msg, error);
      return;
    }

  json = crm_wire_build_pull_response (pull, &length);
  crm_server_http_reply_json (msg, SOUP_STATUS_OK, json, length);
}

/* ---- blobs ---- */

static gboolean
is_sha256_hex (const char *text)
{
  if (strlen (text) != SHA256_HEX_LENGTH)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static void
route_blob (CrmServerHttp     *self,
            SoupServerMessage *msg,
            const char        *sha256)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(CrmServerTokenOwner) owner = NULL;
  g_autoptr(GError) error = NULL;

  if (method != SOUP_METHOD_HEAD && method != SOUP_METHOD_GET && method != SOUP_METHOD_PUT)
    {
      reply_method_not_allowed (msg, "HEAD, GET, PUT");
      return;
    }
  owner = crm_server_http_authenticate (self, msg, FALSE, NULL);
  if (owner == NULL)
    return;

  if (!is_sha256_hex (sha256))
    {
      crm_server_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                   "A blob's path is its SHA-256 in 64 lowercase hex digits",
                                   NULL);
      return;
    }

  if (method == SOUP_METHOD_HEAD)
    {
      gint64 size = 0;

      if (!crm_server_storage_has_blob (self->storage, owner->company_id, sha256, &size,
                                        &error))
        {
          if (error == NULL ||
              g_error_matches (error, CRM_SERVER_STORAGE_ERROR,
                               CRM_SERVER_STORAGE_ERROR_NOT_FOUND))
            soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
          else
            crm_server_http_reply_storage_error (msg, error);
          return;
        }
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                             "application/octet-stream", NULL);
      soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg),
                                               size);
    }
  else if (method == SOUP_METHOD_GET)
    {
      g_autoptr(GBytes) data = crm_server_storage_get_blob (self->storage, owner->company_id,
                                                            sha256, &error);

      if (data == NULL)
        {
          if (error == NULL ||
              g_error_matches (error, CRM_SERVER_STORAGE_ERROR,
                               CRM_SERVER_STORAGE_ERROR_NOT_FOUND))
            crm_server_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                                         "No such blob", NULL);
          else
            crm_server_http_reply_storage_error (msg, error);
          return;
        }
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (data, NULL),
                                        g_bytes_get_size (data));
    }
  else
    {
      g_autoptr(GBytes) body = request_body (msg);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *actual = NULL;
      gsize size = g_bytes_get_size (body), length = 0;
      char *json;

      if (size > CRM_LICENSE_MAX_SIZE)
        {
          crm_server_http_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                       "A blob is at most 10 MiB", NULL);
          return;
        }
      actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
      if (strcmp (actual, sha256) != 0)
        {
          crm_server_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                                       "The body's SHA-256 is not the one in the path", NULL);
          return;
        }
      if (!crm_server_storage_put_blob (self->storage, owner->company_id, sha256, body,
                                        &error))
        {
          crm_server_http_reply_storage_error (msg, error);
          return;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, sha256);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) size);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json = json_generator_to_data (generator, &length);
      crm_server_http_reply_json (msg, SOUP_STATUS_OK, json, length);
    }
}

/* ---- notices ---- */

static int
notice_newest_first (gconstpointer a,
                     gconstpointer b)
{
  const CrmWireNotice *x = *(CrmWireNotice * const *) a;
  const CrmWireNotice *y = *(CrmWireNotice * const *) b;

  return -g_strcmp0 (x->published_at, y->published_at);
}

static void
route_notices (CrmServerHttp     *self,
               SoupServerMessage *msg)
{
  g_autoptr(CrmServerTokenOwner) owner = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  char *json;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      reply_method_not_allowed (msg, "GET");
      return;
    }
  /* the terms and prices concern an expired account too */
  owner = crm_server_http_authenticate (self, msg, TRUE, NULL);
  if (owner == NULL)
    return;

  stored = crm_server_storage_list_notices (self->storage, &error);
  if (stored == NULL)
    {
      crm_server_http_reply_storage_error (msg, error);
      return;
    }

  notices = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_notice_free);
  for (guint i = 0; i < stored->len; i++)
    {
      const CrmServerNotice *n = g_ptr_array_index (stored, i);
      CrmWireNotice *w = g_new0 (CrmWireNotice, 1);

      w->id = g_strdup (n->id);
      w->kind = g_strdup (n->kind);
      w->title = g_strdup (n->title);
      w->body = g_strdup (n->body);
      w->published_at = g_strdup (n->published_at);
      w->effective_at = g_strdup (n->effective_at);
      w->terms_version = g_strdup (n->terms_version);
      g_ptr_array_add (notices, w);
    }
  g_ptr_array_sort (notices, notice_newest_first);

  json = crm_wire_build_notices (notices, &length);
  crm_server_http_reply_json (msg, SOUP_STATUS_OK, json, length);
}

/* ---- dispatch ---- */

#define BLOBS_PREFIX "/v1/blobs/"
/* a login is four short strings: no one signing in needs 16 MiB of the
 * server's memory before the throttle has had a say */
#define LOGIN_MAX_BODY (1024 * 1024)
/* a request whose body no route reads (a wrong method or path) */
#define OTHER_MAX_BODY (64 * 1024)

/* The most a request's body may hold, known from its headers: a push or a
 * blob's PUT their limits, a login 1 MiB, anything else (whose body no
 * route reads) 64 KiB. */
goffset
crm_server_routes_body_limit (const char *method,
                              const char *path)
{
  if (path == NULL || method == NULL)
    return OTHER_MAX_BODY;
  if (g_str_has_prefix (path, BLOBS_PREFIX) && strcmp (method, SOUP_METHOD_PUT) == 0)
    return CRM_LICENSE_MAX_SIZE;
  if (strcmp (path, "/v1/sync/push") == 0 && strcmp (method, SOUP_METHOD_POST) == 0)
    return CRM_WIRE_MAX_BODY;
  if (strcmp (path, "/v1/auth/login") == 0 && strcmp (method, SOUP_METHOD_POST) == 0)
    return LOGIN_MAX_BODY;
  return OTHER_MAX_BODY;
}

/* Whether a request's body is only read with a valid token: the large
 * ones (a push, a blob), so that no one without one makes the server keep
 * megabytes per connection. */
gboolean
crm_server_routes_body_needs_token (const char *method,
                                    const char *path)
{
  return crm_server_routes_body_limit (method, path) > LOGIN_MAX_BODY;
}

void
crm_server_routes_dispatch (CrmServerHttp     *self,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query)
{
  if (g_strcmp0 (path, "/v1/health") == 0)
    {
      if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
        reply_method_not_allowed (msg, "GET");
      else
        route_health (msg);
    }
  else if (g_strcmp0 (path, "/v1/auth/login") == 0)
    route_login (self, msg);
  else if (g_strcmp0 (path, "/v1/auth/logout") == 0)
    route_logout (self, msg);
  else if (g_strcmp0 (path, "/v1/sync/push") == 0)
    route_push (self, msg);
  else if (g_strcmp0 (path, "/v1/sync/pull") == 0)
    route_pull (self, msg, query);
  else if (g_strcmp0 (path, "/v1/notices") == 0)
    route_notices (self, msg);
  else if (g_strcmp0 (path, "/v1/users") == 0)
    crm_server_routes_users (self, msg);
  else if (path != NULL && g_str_has_prefix (path, BLOBS_PREFIX))
    route_blob (self, msg, path + strlen (BLOBS_PREFIX));
  else
    crm_server_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such path",
                                 NULL);
}
