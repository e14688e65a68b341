/* crm-deals-page.h — the sales pipeline: a board and a list of deals
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_DEALS_PAGE (crm_deals_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealsPage, crm_deals_page, CRM, DEALS_PAGE, GtkWidget)

void crm_deals_page_set_store (CrmDealsPage *self,
                               CrmStore     *store);
void crm_deals_page_new_deal  (CrmDealsPage *self,
                               const char   *contact_id,
                               const char   *contact_name);
void crm_deals_page_open_deal (CrmDealsPage *self,
                               const char   *deal_id);
void crm_deals_page_focus     (CrmDealsPage *self);
gboolean crm_deals_page_is_shown (CrmDealsPage *self);

G_END_DECLS
