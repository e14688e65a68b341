/* crm-deal-view.c — what the deals page asks of the board and of the list
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The deals page shows its deals one way at a time, as a board
 * (CrmDealBoard) or as a list (CrmDealTable), and asks the one shown: its
 * models made when first shown, the selected deal, the focus on a deal or
 * near where one was deleted. Each emits ::activate-deal when a deal is
 * opened (Enter, a double click).
 */
#include "config.h"

#include "crm-deal-view.h"

G_DEFINE_INTERFACE (CrmDealView, crm_deal_view, GTK_TYPE_WIDGET)

static void
crm_deal_view_default_init (CrmDealViewInterface *iface)
{
  /**
   * CrmDealView::activate-deal:
   * @deal: the deal to open
   */
  g_signal_new ("activate-deal", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, CRM_TYPE_DEAL);
}

/* The models are made here, when first shown: GTK 4.8 makes some 200 row
 * widgets for each list as soon as it has a model. */
void
crm_deal_view_load (CrmDealView *self,
                    CrmStore    *store)
{
  g_return_if_fail (CRM_IS_DEAL_VIEW (self));
  CRM_DEAL_VIEW_GET_IFACE (self)->load (self, store);
}

/* Returns: whether the deals are in it */
gboolean
crm_deal_view_is_loaded (CrmDealView *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_VIEW (self), FALSE);
  return CRM_DEAL_VIEW_GET_IFACE (self)->is_loaded (self);
}

/* Returns: (transfer none) (nullable): the deal selected */
CrmDeal *
crm_deal_view_get_selected (CrmDealView *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_VIEW (self), NULL);
  return CRM_DEAL_VIEW_GET_IFACE (self)->get_selected (self);
}

/* Returns: its position (in its column, on the board), or
 *   %GTK_INVALID_LIST_POSITION */
guint
crm_deal_view_get_selected_position (CrmDealView *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_VIEW (self), GTK_INVALID_LIST_POSITION);
  return CRM_DEAL_VIEW_GET_IFACE (self)->get_selected_position (self);
}

/* The deal, wherever it is now, selected and focused. Returns: whether it
 * was found */
gboolean
crm_deal_view_focus_deal (CrmDealView *self,
                          CrmDeal     *deal)
{
  g_return_val_if_fail (CRM_IS_DEAL_VIEW (self), FALSE);
  return CRM_DEAL_VIEW_GET_IFACE (self)->focus_deal (self, deal);
}

/* After a delete: the focus stays where the deal at @position was. */
void
crm_deal_view_focus_near (CrmDealView *self,
                          guint        position)
{
  g_return_if_fail (CRM_IS_DEAL_VIEW (self));
  CRM_DEAL_VIEW_GET_IFACE (self)->focus_near (self, position);
}

/* The focus on the selected deal, or the first. */
void
crm_deal_view_focus (CrmDealView *self)
{
  g_return_if_fail (CRM_IS_DEAL_VIEW (self));
  CRM_DEAL_VIEW_GET_IFACE (self)->focus (self);
}

/* A focus still waiting for its row to be laid out is given up. */
void
crm_deal_view_cancel_focus (CrmDealView *self)
{
  g_return_if_fail (CRM_IS_DEAL_VIEW (self));
  CRM_DEAL_VIEW_GET_IFACE (self)->cancel_focus (self);
}

/* Left (@direction -1) or Right (1) pressed: Returns: whether the view
 * took it (the board goes to the next column with cards; the list leaves
 * the key to the row) */
gboolean
crm_deal_view_move_sideways (CrmDealView *self,
                             int          direction)
{
  g_return_val_if_fail (CRM_IS_DEAL_VIEW (self), FALSE);
  return CRM_DEAL_VIEW_GET_IFACE (self)->move_sideways (self, direction);
}
