/* crm-export-dialog.h — the main menu's "Export…" and "Delete All My Data…"
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

void crm_export_dialog_attach (GtkWindow *window,
                               CrmStore  *store);

G_END_DECLS
