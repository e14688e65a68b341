/* crm-server-http-private.h — what the HTTP front (crm-server-http.c: the
 * listener, limits, log, tokens) shares with its routes
 * (crm-server-routes.c: one handler per call of docs/sync-protocol.md)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "crm-server-auth.h"
#include "crm-server-storage.h"

G_BEGIN_DECLS

typedef struct
{
  CrmServerStorage  *storage;
  char              *dir;
  SoupServer        *server;
  CrmServerThrottle *throttle;
  char              *dummy_hash;  /* verified when the user is unknown: same work */
  GMainLoop         *loop;
  guint              in_flight;   /* requests whose headers arrived, not yet answered */
  gboolean           stopping;
  guint              grace_id;    /* the stop's deadline */
  guint              idle_timeout; /* seconds a connection may stay silent */
  int                max_fd;      /* a connection's descriptor is under it */
  guint              refused;     /* connections refused since the last log line */
  gint64             refused_logged;
  guint              verifying;   /* Argon2id checks running (64 MiB each) */
  GQueue             logins;      /* logins waiting for a check to end */
  GHashTable        *checking;    /* "u:company/user", "a:address" → logins being
                                   * checked, so that parallel guesses cannot
                                   * outrun the throttle */
} CrmServerHttp;

/* What the front keeps about one request (on the message). */
typedef struct
{
  gint64   started;               /* g_get_monotonic_time () */
  goffset  body_limit;
  goffset  received;
  guint    answered;              /* the status crm_server_http_reply_json () set */
  gboolean counted;               /* in in_flight */
  gboolean done;                  /* answered or aborted: never unpause it again */
  gboolean refused;               /* its connection was over the limit, and shut */
} CrmServerRequest;

CrmServerRequest *crm_server_http_request      (SoupServerMessage *msg);

/* Sets the status and a JSON body (@json is taken) with
 * Content-Type: application/json. */
void     crm_server_http_reply_json   (SoupServerMessage *msg,
                                       guint              status,
                                       char              *json,
                                       gsize              length);
/* {"error": @code, "message": @message} plus @extra's members */
void     crm_server_http_reply_error  (SoupServerMessage *msg,
                                       guint              status,
                                       const char        *code,
                                       const char        *message,
                                       JsonObject        *extra);
/* 500 internal or, for CRM_SERVER_STORAGE_ERROR_BUSY, 503 "busy" with
 * Retry-After: 1, for _UNAVAILABLE (the database is down), 503
 * "unavailable" with Retry-After: 2; the details go to the log, not to
 * the client */
void     crm_server_http_reply_storage_error (SoupServerMessage *msg,
                                              const GError      *error);

/* The token's owner, or NULL after answering 401 (no or unknown token),
 * 403 account_expired (unless @allow_expired) or 500 itself. @token_hash
 * (may be NULL) receives the hash the token is stored under. */
CrmServerTokenOwner *crm_server_http_authenticate (CrmServerHttp     *self,
                                                   SoupServerMessage *msg,
                                                   gboolean           allow_expired,
                                                   char             **token_hash);

/* the routes (crm-server-routes.c): answers every request that reached a
 * handler, by path and method */
void     crm_server_routes_dispatch   (CrmServerHttp     *self,
                                       SoupServerMessage *msg,
                                       const char        *path,
                                       GHashTable        *query);
/* GET /v1/users (crm-server-users.c) */
void     crm_server_routes_users      (CrmServerHttp     *self,
                                       SoupServerMessage *msg);
/* drops the logins still waiting at the end of `serve` */
void     crm_server_routes_finish     (CrmServerHttp     *self);
/* the body limit of a request, known from its headers */
goffset  crm_server_routes_body_limit (const char        *method,
                                       const char        *path);
/* whether the body is read only once a token is checked (push, blob PUT) */
gboolean crm_server_routes_body_needs_token (const char  *method,
                                             const char  *path);

G_END_DECLS
