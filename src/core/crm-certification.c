/* crm-certification.c — the company's enterprise certification
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * draft → submitted → certified | rejected; a rejected one can be corrected
 * and submitted again. Only the sync server's verdict certifies or rejects:
 * the store offers no call that does. Once certified, the identity fields
 * and the license are locked, by SQLite triggers (crm-store.c).
 */
#include "config.h"

#include "crm-certification.h"

static const char *status_names[] = { "draft", "submitted", "certified", "rejected" };

CrmCertification *
crm_certification_new (void)
{
  CrmCertification *self = g_new0 (CrmCertification, 1);

  self->company_name = g_strdup ("");
  self->uscc = g_strdup ("");
  self->legal_representative = g_strdup ("");
  self->address = g_strdup ("");
  self->reject_reason = g_strdup ("");
  self->status = CRM_CERTIFICATION_DRAFT;
  return self;
}

void
crm_certification_free (CrmCertification *self)
{
  g_free (self->company_name);
  g_free (self->uscc);
  g_free (self->legal_representative);
  g_free (self->address);
  g_free (self->license_sha256);
  g_free (self->license_mime_type);
  g_free (self->license_name);
  g_free (self->reject_reason);
  g_free (self->updated_at);
  g_free (self);
}

const char *
crm_certification_status_to_string (CrmCertificationStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), "draft");
  return status_names[status];
}

CrmCertificationStatus
crm_certification_status_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      return i;
  return CRM_CERTIFICATION_DRAFT;
}

/**
 * crm_certification_is_locked:
 *
 * Returns: whether the identity fields and the license can no longer change.
 */
gboolean
crm_certification_is_locked (const CrmCertification *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->status == CRM_CERTIFICATION_CERTIFIED;
}
