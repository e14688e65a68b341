/* crm-discard-dialog.h — "Discard the Changes?", asked the same everywhere
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/**
 * CrmDiscardFunc:
 * @owner: the widget that asked
 * @discard: %TRUE for Discard, %FALSE for Keep Editing (or the dialog closed)
 */
typedef void (*CrmDiscardFunc) (GtkWidget *owner,
                                gboolean   discard);

GtkWidget *crm_discard_dialog_ask (GtkWidget      *owner,
                                   const char     *body,
                                   CrmDiscardFunc  callback,
                                   const char     *then_action,
                                   GVariant       *then_param);

G_END_DECLS
