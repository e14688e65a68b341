/* crm-uscc.h — the unified social credit code (统一社会信用代码)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_USCC_ERROR (crm_uscc_error_quark ())

typedef enum
{
  CRM_USCC_ERROR_EMPTY,
  CRM_USCC_ERROR_LENGTH,
  CRM_USCC_ERROR_CHARACTER,
  CRM_USCC_ERROR_ENCODING,   /* bytes that are not UTF-8 */
  CRM_USCC_ERROR_AUTHORITY,  /* character 1 */
  CRM_USCC_ERROR_TYPE,       /* character 2, for the authority */
  CRM_USCC_ERROR_REGION,     /* characters 3–8 */
} CrmUsccError;

GQuark   crm_uscc_error_quark     (void);
char    *crm_uscc_normalize       (const char  *text);
gboolean crm_uscc_validate        (const char  *text,
                                   char       **normalized,
                                   gboolean    *checks_pass,
                                   GError     **error);
char     crm_uscc_check_character (const char  *body);

G_END_DECLS
