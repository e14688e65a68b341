/* crm-deal-private.h — store-side access to a deal
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-deal.h"

G_BEGIN_DECLS

gint64 _crm_deal_get_rowid  (CrmDeal    *self);
void   _crm_deal_set_stored (CrmDeal    *self,
                             gint64      rowid,
                             const char *id);
void   _crm_deal_set_unchecked (CrmDeal      *self,
                                CrmDealStage  stage,
                                int           probability);
void   _crm_deal_set_row    (CrmDeal    *self,
                             gint64      position,
                             const char *contact_name,
                             const char *created_at,
                             const char *updated_at,
                             const char *won_at);

G_END_DECLS
