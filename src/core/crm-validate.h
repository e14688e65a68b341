/* crm-validate.h — checks on what a person types into a contact or a deal
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "crm-contact.h"
#include "crm-deal.h"

G_BEGIN_DECLS

#define CRM_VALIDATE_ERROR (crm_validate_error_quark ())

typedef enum
{
  CRM_VALIDATE_ERROR_REQUIRED,
  CRM_VALIDATE_ERROR_TOO_LONG,
  CRM_VALIDATE_ERROR_INVALID_EMAIL,
  CRM_VALIDATE_ERROR_INVALID_MOBILE,
  CRM_VALIDATE_ERROR_INVALID_PHONE,
  CRM_VALIDATE_ERROR_INVALID_TEXT,
  CRM_VALIDATE_ERROR_INVALID_DATE,
  CRM_VALIDATE_ERROR_OUT_OF_RANGE,
} CrmValidateError;

GQuark    crm_validate_error_quark (void);

gboolean  crm_validate_email       (const char      *text,
                                    char           **normalized,
                                    GError         **error);
gboolean  crm_validate_mobile      (const char      *text,
                                    char           **normalized,
                                    GError         **error);
gboolean  crm_validate_phone       (const char      *text,
                                    char           **normalized,
                                    GError         **error);
gboolean  crm_validate_field       (CrmContactField  field,
                                    const char      *text,
                                    char           **normalized,
                                    GError         **error);
gboolean  crm_validate_contact     (CrmContact      *contact,
                                    CrmContactField *failed_field,
                                    GError         **error);
gboolean  crm_validate_deal_field  (CrmDeal         *deal,
                                    CrmDealField     field,
                                    GError         **error);
gboolean  crm_validate_deal        (CrmDeal         *deal,
                                    CrmDealField    *failed_field,
                                    GError         **error);

G_END_DECLS
