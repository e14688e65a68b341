/* crm-today-page.h — Today: the next steps overdue, due today and in the coming week
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* at most this many overdue next steps are listed (the earliest first) */
#define CRM_TODAY_OVERDUE_LIMIT 200
/* and at most this many of today and the next 7 days */
#define CRM_TODAY_COMING_LIMIT 300
/* the rows made at once; the others are made in idle chunks of as many */
#define CRM_TODAY_CHUNK 24

#define CRM_TYPE_TODAY_PAGE (crm_today_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmTodayPage, crm_today_page, CRM, TODAY_PAGE, GtkWidget)

void  crm_today_page_set_store (CrmTodayPage *self,
                                CrmStore     *store);
void  crm_today_page_reload    (CrmTodayPage *self);
void  crm_today_page_focus     (CrmTodayPage *self);
guint crm_today_page_count     (CrmTodayPage *self,
                                CrmFollowupDue bucket);

G_END_DECLS
