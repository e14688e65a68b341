/* crm-format.h — dates and times as the person reads them
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *crm_format_date      (GDateTime  *date_time);
char *crm_format_timestamp (const char *iso8601_utc,
                            GTimeZone  *zone);
char *crm_format_count     (guint       n);
char *crm_format_money     (gint64      fen,
                            const char *currency);

G_END_DECLS
