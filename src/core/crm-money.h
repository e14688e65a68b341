/* crm-money.h — amounts as people type them, kept in fen
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_MONEY_ERROR (crm_money_error_quark ())

typedef enum
{
  CRM_MONEY_ERROR_EMPTY,
  CRM_MONEY_ERROR_INVALID,
  CRM_MONEY_ERROR_PRECISION,
  CRM_MONEY_ERROR_OVERFLOW,
  CRM_MONEY_ERROR_ENCODING,  /* bytes that are not UTF-8 */
  CRM_MONEY_ERROR_TOO_LONG,
} CrmMoneyError;

GQuark   crm_money_error_quark (void);
gboolean crm_money_parse       (const char  *text,
                                gint64      *fen,
                                GError     **error);

G_END_DECLS
