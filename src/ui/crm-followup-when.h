/* crm-followup-when.h — the times of a follow-up as people type them
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  crm_followup_when_parse  (const char  *text,
                                    GDateTime   *now_local,
                                    GDateTime  **when_local,
                                    GError     **error);
char     *crm_followup_when_format (const char  *utc_iso);
char     *crm_followup_when_to_utc (GDateTime   *local);

G_END_DECLS
