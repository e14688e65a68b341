/* crm-sync-client-private.h — what the sync engine's files share: the object
 * (crm-sync-client.c), one HTTP request with its retries (crm-sync-request.c)
 * and the round (crm-sync-round.c)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "crm-sync-client.h"

G_BEGIN_DECLS

/* not in libsoup 3.2's SoupStatus */
#define STATUS_TOO_MANY_REQUESTS 429

struct _CrmSyncClient
{
  GObject        parent_instance;

  CrmStore      *store;
  char          *server_url;    /* without a trailing slash */
  char          *url_error;     /* translated; set when the URL may not be used */
  SoupSession   *session;
  char          *pinned;        /* lowercase hex, no colons, or NULL */
  char          *token;

  guint          timeout_s;
  guint          max_attempts;
  guint          first_delay_ms;
  guint          max_delay_ms;
  guint          batch_size;
  guint          deadline_ms;   /* of one attempt; 0: 4 × timeout_s, at least 60 s */
  guint          max_pages;     /* pulled pages in one round */

  CrmSyncStatus  state;
  guint          done;
  guint          total;
  char          *error_message;

  gboolean       running;
  GPtrArray     *waiters;       /* (element-type GTask) the calls the round answers */
};

/* what a request may retry, and whether it carries the token */
typedef enum
{
  CRM_SYNC_REQUEST_AUTH            = 1 << 0,
  CRM_SYNC_REQUEST_RETRY           = 1 << 1,  /* no answer, 500, 502, 503, 504 */
  CRM_SYNC_REQUEST_RETRY_THROTTLED = 1 << 2,  /* 429 too */
} CrmSyncRequestFlags;

/* An answer, whatever its status; the error body parsed when there is one. */
typedef struct
{
  guint       status;
  GBytes     *body;
  char       *error_code;     /* NULL unless the body is the protocol's error */
  char       *error_message;
  JsonObject *error_extra;    /* members beside error and message (410), or NULL */
  gint64      retry_after;    /* seconds; -1 when the answer had none */
} CrmSyncResponse;

void             _crm_sync_response_free     (CrmSyncResponse *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSyncResponse, _crm_sync_response_free)

/* Called after each attempt that got no answer (the message says why), before
 * the request is sent again. */
typedef void (*CrmSyncFailedFunc) (CrmSyncClient *self,
                                   const char    *message,
                                   gpointer       data);

/* One request to @path (below the server's URL, with its query), sent again
 * with backoff as @flags allow. Finishes with an answer of any status, or
 * with a CRM_SYNC_ERROR: OFFLINE (no answer after the last attempt), TLS,
 * CANCELLED. */
void             _crm_sync_request_async     (CrmSyncClient        *self,
                                              const char           *method,
                                              const char           *path,
                                              const char           *content_type,
                                              GBytes               *body,
                                              CrmSyncRequestFlags   flags,
                                              CrmSyncFailedFunc     failed,
                                              gpointer              failed_data,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CrmSyncResponse *_crm_sync_request_finish    (CrmSyncClient        *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* The error for an answer that is not a success: 401 UNAUTHORIZED, 403
 * FORBIDDEN, 429 THROTTLED, anything else SERVER; translated. */
GError          *_crm_sync_status_error      (const CrmSyncResponse *response);
/* A body the codec refused: SERVER, with the codec's reason. */
GError          *_crm_sync_protocol_error    (const GError         *wire_error);

guint            _crm_sync_client_get_batch_size (CrmSyncClient    *self);
/* The bounds a hostile server meets (tests shorten them): @deadline_ms for
 * one attempt of a request, its answer read whole (0: 4 × the timeout, at
 * least 60 s), and @max_pages pulled in one round (10,000). */
void             _crm_sync_client_set_limits     (CrmSyncClient    *self,
                                                  guint             deadline_ms,
                                                  guint             max_pages);
void             _crm_sync_client_set_progress   (CrmSyncClient    *self,
                                                  guint             done,
                                                  guint             total);

/* The round itself (crm-sync-round.c): blobs, push, pull. */
void             _crm_sync_round_async       (CrmSyncClient        *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean         _crm_sync_round_finish      (CrmSyncClient        *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
