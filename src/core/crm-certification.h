/* crm-certification.h — the company's enterprise certification
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CRM_CERTIFICATION_DRAFT,
  CRM_CERTIFICATION_SUBMITTED,
  CRM_CERTIFICATION_CERTIFIED,
  CRM_CERTIFICATION_REJECTED,
} CrmCertificationStatus;

typedef struct
{
  char                   *company_name;
  char                   *uscc;
  char                   *legal_representative;
  char                   *address;
  char                   *license_sha256;  /* NULL: no license yet */
  char                   *license_mime_type;
  char                   *license_name;
  gint64                  license_size;
  CrmCertificationStatus  status;
  char                   *reject_reason;
  char                   *updated_at;
} CrmCertification;

CrmCertification       *crm_certification_new          (void);
void                    crm_certification_free         (CrmCertification       *self);
const char             *crm_certification_status_to_string (CrmCertificationStatus status);
CrmCertificationStatus  crm_certification_status_from_string (const char        *text);
gboolean                crm_certification_is_locked    (const CrmCertification *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCertification, crm_certification_free)

G_END_DECLS
