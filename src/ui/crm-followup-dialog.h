/* crm-followup-dialog.h — the compact form that logs one follow-up (跟进记录)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_FOLLOWUP_DIALOG (crm_followup_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrmFollowupDialog, crm_followup_dialog, CRM, FOLLOWUP_DIALOG, AdwWindow)

CrmFollowupDialog *crm_followup_dialog_new            (GtkWindow         *parent,
                                                       CrmStore          *store,
                                                       CrmFollowup       *template_or_null,
                                                       const char        *contact_id,
                                                       const char        *deal_id);
void               crm_followup_dialog_set_completing (CrmFollowupDialog *self,
                                                       CrmFollowup       *done);
void               crm_followup_dialog_toast_logged   (AdwToastOverlay   *overlay,
                                                       CrmStore          *store,
                                                       CrmFollowup       *followup);

G_END_DECLS
