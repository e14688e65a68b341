/* crm-notices-dialog.h — every notice of the team's server, to read
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store-notices.h"

G_BEGIN_DECLS

#define CRM_TYPE_NOTICES_DIALOG (crm_notices_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrmNoticesDialog, crm_notices_dialog, CRM, NOTICES_DIALOG, AdwWindow)

GtkWidget *crm_notices_dialog_new (CrmStore  *store,
                                   GtkWindow *parent);
/* a day ("2027-01-30") or a UTC time as the person reads dates, or NULL */
char      *crm_notices_format_day (const char *iso);

G_END_DECLS
