/* crm-sync-status.h — the team status in a header bar (synced · syncing n/m ·
 * offline · error), the Team section of the main menu, the sign-in offer
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-sync-controller.h"

G_BEGIN_DECLS

/* the widget: CrmSyncStatus is the engine's enum of states */
#define CRM_TYPE_SYNC_STATUS_BUTTON (crm_sync_status_button_get_type ())

G_DECLARE_FINAL_TYPE (CrmSyncStatusButton, crm_sync_status_button, CRM, SYNC_STATUS_BUTTON,
                      GtkWidget)

GtkWidget *crm_sync_status_button_new      (CrmSyncController *controller);

/* A status in the header bar of each view of @window and the Team items in
 * each main menu; with @offer_sign_in, a bar at the top offering to sign in
 * (the first start), gone once signed in or closed. */
void       crm_sync_status_attach          (GtkWindow         *window,
                                            CrmSyncController *controller,
                                            gboolean           offer_sign_in);

G_END_DECLS
