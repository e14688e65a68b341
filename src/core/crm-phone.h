/* crm-phone.h — phone numbers as people write them, and the one form we keep
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CRM_PHONE_KIND_MOBILE, /* a mainland mobile or an international number, no extension */
  CRM_PHONE_KIND_ANY,    /* also landlines, service numbers and extensions */
} CrmPhoneKind;

/* The longest text crm_phone_normalize() looks at, in bytes. */
#define CRM_PHONE_MAX_INPUT 256

char *crm_phone_normalize (const char   *text,
                           CrmPhoneKind  kind);

G_END_DECLS
