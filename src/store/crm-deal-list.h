/* crm-deal-list.h — deals as a lazily paged list model
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_DEAL_SORT_POSITION,        /* the board's order: position within the stage */
  CRM_DEAL_SORT_TITLE,
  CRM_DEAL_SORT_CONTACT,
  CRM_DEAL_SORT_AMOUNT,
  CRM_DEAL_SORT_STAGE,
  CRM_DEAL_SORT_PROBABILITY,
  CRM_DEAL_SORT_EXPECTED_CLOSE,
  CRM_DEAL_SORT_UPDATED,
} CrmDealSort;

#define CRM_DEAL_LIST_ALL_STAGES (-1)

#define CRM_TYPE_DEAL_LIST (crm_deal_list_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealList, crm_deal_list, CRM, DEAL_LIST, GObject)

CrmDealList *crm_deal_list_new            (CrmStore     *store,
                                           int           stage);
int          crm_deal_list_get_stage      (CrmDealList  *self);
void         crm_deal_list_set_sort       (CrmDealList  *self,
                                           CrmDealSort   sort,
                                           gboolean      descending);
CrmDealSort  crm_deal_list_get_sort       (CrmDealList  *self,
                                           gboolean     *descending);
void         crm_deal_list_set_query      (CrmDealList  *self,
                                           const char   *query);
const char  *crm_deal_list_get_query      (CrmDealList  *self);
guint        crm_deal_list_find           (CrmDealList  *self,
                                           CrmDeal      *deal);
guint        crm_deal_list_get_n_cached_pages (CrmDealList *self);
gboolean     crm_deal_list_is_placeholder (CrmDeal      *deal);

G_END_DECLS
