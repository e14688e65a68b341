/* crm-notices-bar.h — the team server's notices in the main window: the bar of
 * a new pricing notice, Notices… in the main menu, a terms revision asked for
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* Gives @window (the main window) the notices of @store: win.notices and its
 * item in each main menu, the bar of an unseen pricing notice, and the terms
 * window over it when a terms revision is not accepted; both follow
 * CrmStore::notices-changed. */
void crm_notices_attach (GtkWindow *window,
                         CrmStore  *store);

G_END_DECLS
