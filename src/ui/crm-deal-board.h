/* crm-deal-board.h — the deals as a board, a column per stage
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-deal-view.h"

G_BEGIN_DECLS

#define CRM_TYPE_DEAL_BOARD (crm_deal_board_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealBoard, crm_deal_board, CRM, DEAL_BOARD, GtkWidget)

void crm_deal_board_set_totals (CrmDealBoard        *self,
                                const CrmDealTotals *totals);

G_END_DECLS
