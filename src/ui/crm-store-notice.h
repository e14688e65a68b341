/* crm-store-notice.h — the message at the top of the window when the data file is damaged
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-store.h"

G_BEGIN_DECLS

GtkWidget *crm_store_notice_new (CrmStore *store);

G_END_DECLS
