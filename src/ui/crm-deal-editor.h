/* crm-deal-editor.h — the window to create or change one deal
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_DEAL_EDITOR (crm_deal_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealEditor, crm_deal_editor, CRM, DEAL_EDITOR, AdwWindow)

CrmDealEditor *crm_deal_editor_new       (GtkWindow     *parent,
                                          CrmStore      *store);
void           crm_deal_editor_edit      (CrmDealEditor *self,
                                          CrmDeal       *deal);
void           crm_deal_editor_start_new (CrmDealEditor *self,
                                          const char    *contact_id,
                                          const char    *contact_name);

G_END_DECLS
