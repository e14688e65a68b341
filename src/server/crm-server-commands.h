/* crm-server-commands.h — the server's command line (a contract, see
 * docs/server.md): init, add-company, add-user, serve, certify, notice,
 * expire, export-company; and the retention job `serve` runs
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-server-storage.h"

G_BEGIN_DECLS

/* The whole command line: returns the exit status (0; 1 with a translated
 * message on standard error; 2 for a usage error). */
int       crm_server_main                (int                argc,
                                          char             **argv);

/* Deletes the data of every company whose paid account ended more than
 * three months before @today (YYYY-MM-DD). Returns how many were purged,
 * or -1 with @error. */
int       crm_server_purge_expired       (CrmServerStorage  *storage,
                                          const char        *today,
                                          GError           **error);

/* Today's date (YYYY-MM-DD, UTC), or the one a test gave with the hidden
 * --today option of serve and notice. */
char     *crm_server_today               (void);

/* TRUE when @company's paid account has ended by @today: sync calls answer
 * 403 account_expired (export-company still works until the purge). */
gboolean  crm_server_company_expired     (const CrmServerCompany *company,
                                          const char        *today);

G_END_DECLS
