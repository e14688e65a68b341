/* crm-window.h
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-application.h"
#include "crm-store.h"
#include "crm-sync-controller.h"

G_BEGIN_DECLS

#define CRM_TYPE_WINDOW (crm_window_get_type ())

G_DECLARE_FINAL_TYPE (CrmWindow, crm_window, CRM, WINDOW, AdwApplicationWindow)

CrmWindow *crm_window_new (CrmApplication *application,
                           CrmStore       *store);
/* the team account, for the views that follow it (the contacts' owners) */
void       crm_window_set_sync_controller (CrmWindow         *self,
                                           CrmSyncController *controller);

G_END_DECLS
