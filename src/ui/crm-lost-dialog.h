/* crm-lost-dialog.h — "Mark the Deal as Lost?", asking why
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-deal.h"

G_BEGIN_DECLS

/**
 * CrmLostFunc:
 * @reason: why the deal was lost, stripped, never empty
 * @user_data: as given
 */
typedef void (*CrmLostFunc) (const char *reason,
                             gpointer    user_data);

void crm_lost_dialog_ask (GtkWidget      *owner,
                          CrmDeal        *deal,
                          CrmLostFunc     callback,
                          gpointer        user_data,
                          GDestroyNotify  notify);

G_END_DECLS
