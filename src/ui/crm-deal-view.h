/* crm-deal-view.h — what the deals page asks of the board and of the list
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_DEAL_VIEW (crm_deal_view_get_type ())

G_DECLARE_INTERFACE (CrmDealView, crm_deal_view, CRM, DEAL_VIEW, GtkWidget)

struct _CrmDealViewInterface
{
  GTypeInterface parent_iface;

  void      (*load)                  (CrmDealView *self,
                                      CrmStore    *store);
  gboolean  (*is_loaded)             (CrmDealView *self);
  CrmDeal  *(*get_selected)          (CrmDealView *self);
  guint     (*get_selected_position) (CrmDealView *self);
  gboolean  (*focus_deal)            (CrmDealView *self,
                                      CrmDeal     *deal);
  void      (*focus_near)            (CrmDealView *self,
                                      guint        position);
  void      (*focus)                 (CrmDealView *self);
  void      (*cancel_focus)          (CrmDealView *self);
  gboolean  (*move_sideways)         (CrmDealView *self,
                                      int          direction);
};

void      crm_deal_view_load                  (CrmDealView *self,
                                               CrmStore    *store);
gboolean  crm_deal_view_is_loaded             (CrmDealView *self);
CrmDeal  *crm_deal_view_get_selected          (CrmDealView *self);
guint     crm_deal_view_get_selected_position (CrmDealView *self);
gboolean  crm_deal_view_focus_deal            (CrmDealView *self,
                                               CrmDeal     *deal);
void      crm_deal_view_focus_near            (CrmDealView *self,
                                               guint        position);
void      crm_deal_view_focus                 (CrmDealView *self);
void      crm_deal_view_cancel_focus          (CrmDealView *self);
gboolean  crm_deal_view_move_sideways         (CrmDealView *self,
                                               int          direction);

G_END_DECLS
