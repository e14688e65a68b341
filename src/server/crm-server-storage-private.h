/* crm-server-storage-private.h — what every storage backend writes the same
 * way (crm-server-sqlite*.c, crm-server-pg*.c): the time a row is stamped
 * with, and the NOT_FOUND error (static inline: no symbols of their own)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-server-storage.h"

G_BEGIN_DECLS

/* now, UTC, as the text both backends store (byte-identical answers) */
static inline char *
now_iso (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static inline void
set_not_found (GError     **error,
               const char  *what)
{
  g_set_error_literal (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND,
                       what);
}

G_END_DECLS
