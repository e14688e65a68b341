/* crm-test-client.h — one computer of a team, for the sync tests: a store in
 * its own temporary folder and a sync engine signed in to a test server
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-sync-client.h"
#include "crm-test-server.h"
#include "crm-test-util.h"

G_BEGIN_DECLS

typedef struct
{
  CrmTestStore  *ts;
  CrmStore      *store;      /* ts->store */
  CrmSyncClient *sync;
  char          *label;
} CrmTestClient;

/* a new store, signed in to @server's company @slug as @user (the server
 * must be running); retries shortened so fault tests stay quick */
CrmTestClient *crm_test_client_new         (CrmTestServer  *server,
                                            const char     *slug,
                                            const char     *user,
                                            const char     *password,
                                            const char     *label);
/* one sync round, waited for with a deadline: TRUE, or FALSE with @error */
gboolean       crm_test_client_try_sync    (CrmTestClient  *client,
                                            GError        **error);
/* one sync round that must succeed */
void           crm_test_client_sync        (CrmTestClient  *client);
/* sets one field of the stored contact and saves it (queued for sync) */
void           crm_test_client_edit        (CrmTestClient  *client,
                                            CrmContact     *contact,
                                            CrmContactField field,
                                            const char     *value);
/* the client's whole data (contacts, deals, follow-ups, certification) as text, the
 * same on two computers that agree; local-only columns left out */
char          *crm_test_client_dump        (CrmTestClient  *client);
/* the live contact named @name, or NULL */
CrmContact    *crm_test_client_find        (CrmTestClient  *client,
                                            const char     *name);
guint          crm_test_client_count_rows  (CrmTestClient  *client,
                                            const char     *sql);
void           crm_test_client_free        (CrmTestClient  *client);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTestClient, crm_test_client_free)

G_END_DECLS
