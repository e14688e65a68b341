/* crm-certification-page.h — the company's enterprise certification
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CERTIFICATION_PAGE (crm_certification_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmCertificationPage, crm_certification_page, CRM, CERTIFICATION_PAGE,
                      GtkWidget)

void     crm_certification_page_set_store    (CrmCertificationPage *self,
                                              CrmStore             *store);
gboolean crm_certification_page_take_license (CrmCertificationPage *self,
                                              CrmLicenseFile       *file,
                                              const char           *name);
gboolean crm_certification_page_is_dirty    (CrmCertificationPage *self);
gboolean crm_certification_page_finish_editing (CrmCertificationPage *self,
                                                const char           *then_action,
                                                GVariant             *then_param);

G_END_DECLS
