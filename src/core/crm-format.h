/* crm-format.h — dates, times, amounts and phone numbers as the person reads them
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *crm_format_date      (GDateTime  *date_time);
char *crm_format_date_short (const char *iso_date,
                             GDateTime  *now);
char *crm_format_timestamp (const char *iso8601_utc,
                            GTimeZone  *zone);
char *crm_format_count     (guint       n);
char *crm_format_money     (gint64      fen,
                            const char *currency);
char *crm_format_money_short (gint64    fen);
char *crm_format_money_edit  (gint64    fen);
char *crm_format_phone     (const char *canonical);
char *crm_format_last_followup (const char *iso8601_utc,
                                GDateTime  *now);

G_END_DECLS
