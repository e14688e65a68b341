/* crm-application.h
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_APPLICATION (crm_application_get_type ())

G_DECLARE_FINAL_TYPE (CrmApplication, crm_application, CRM, APPLICATION, AdwApplication)

CrmApplication *crm_application_new       (void);
CrmStore       *crm_application_get_store (CrmApplication *self);

G_END_DECLS
