/* crm-server-sync-private.h — between the server's sync logic
 * (crm-server-sync.c) and its epoch guard (crm-server-epoch.c)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-server-sync.h"

G_BEGIN_DECLS

/* After a commit: the guard in @dir (NULL: none) moves forward, unless it
 * shows that the storage went back (then it stays, for `serve` to see at
 * its next start). A failure is only logged: the commit stands. */
void _crm_server_sync_advance_guard (CrmServerStorage *storage,
                                     const char       *dir);

G_END_DECLS
