/* crm-server-http.h — `xiaohe-crm-server serve`: the HTTP(S) front of the
 * server (libsoup 3 SoupServer): routes, tokens, limits, one log line a
 * request, a clean stop on SIGTERM
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-server-storage.h"

G_BEGIN_DECLS

typedef struct
{
  const char *dir;        /* the data directory (the epoch guard lives there) */
  const char *listen;     /* "HOST:PORT"; port 0 picks a free one; NULL: 127.0.0.1:8080 */
  const char *tls_cert;   /* PEM files; both or neither. Without them, only a */
  const char *tls_key;    /* loopback address may be served (plain HTTP) */
  guint       idle_timeout; /* seconds a connection may send and read nothing
                             * before it is closed; 0: 60 */
} CrmServerHttpOptions;

/* Serves until SIGTERM or SIGINT. Takes the caller's reference to
 * @storage and drops it before returning, whatever happens (a clean stop
 * closes the storage). Once listening, prints one line on
 * standard output, "Listening on URL" (URL as http(s)://HOST:PORT, the
 * port the system gave), and flushes it; the log goes to standard error.
 * Returns the process's exit status (0 after a clean stop; 1 with a
 * message when it cannot listen). */
int crm_server_http_serve (CrmServerStorage           *storage,
                           const CrmServerHttpOptions *options);

G_END_DECLS
