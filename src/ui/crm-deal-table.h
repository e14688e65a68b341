/* crm-deal-table.h — the deals as a list with sortable columns
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-deal-view.h"

G_BEGIN_DECLS

#define CRM_TYPE_DEAL_TABLE (crm_deal_table_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealTable, crm_deal_table, CRM, DEAL_TABLE, GtkWidget)

G_END_DECLS
