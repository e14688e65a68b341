/* crm-deal-column.h — one stage of the board
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-deal-list.h"

G_BEGIN_DECLS

#define CRM_TYPE_DEAL_COLUMN (crm_deal_column_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealColumn, crm_deal_column, CRM, DEAL_COLUMN, GtkWidget)

GtkWidget    *crm_deal_column_new          (CrmDealStage   stage);
CrmDealStage  crm_deal_column_get_stage    (CrmDealColumn *self);
void          crm_deal_column_set_model    (CrmDealColumn *self,
                                            CrmDealList   *deals);
CrmDealList  *crm_deal_column_get_model    (CrmDealColumn *self);
CrmDeal      *crm_deal_column_get_selected (CrmDealColumn *self);
guint         crm_deal_column_get_selected_position (CrmDealColumn *self);
void          crm_deal_column_unselect     (CrmDealColumn *self);
void          crm_deal_column_set_summary  (CrmDealColumn *self,
                                            guint          count,
                                            gint64         total);
gboolean      crm_deal_column_focus_position (CrmDealColumn *self,
                                            guint          position);
void          crm_deal_column_cancel_focus (CrmDealColumn *self);
gboolean      crm_deal_column_has_focus    (CrmDealColumn *self);

G_END_DECLS
