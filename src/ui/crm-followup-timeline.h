/* crm-followup-timeline.h — a contact's or a deal's follow-ups, newest first
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_FOLLOWUP_TIMELINE (crm_followup_timeline_get_type ())

G_DECLARE_FINAL_TYPE (CrmFollowupTimeline, crm_followup_timeline, CRM, FOLLOWUP_TIMELINE,
                      GtkWidget)

GtkWidget *crm_followup_timeline_new          (void);
void       crm_followup_timeline_set_store    (CrmFollowupTimeline *self,
                                               CrmStore            *store);
void       crm_followup_timeline_show_contact (CrmFollowupTimeline *self,
                                               const char          *contact_id);
void       crm_followup_timeline_show_deal    (CrmFollowupTimeline *self,
                                               const char          *deal_id);
void       crm_followup_timeline_reload       (CrmFollowupTimeline *self);
void       crm_followup_timeline_logged       (CrmFollowupTimeline *self,
                                               CrmFollowup         *followup);
gboolean   crm_followup_timeline_undo         (CrmFollowupTimeline *self);
gboolean   crm_followup_timeline_can_undo     (CrmFollowupTimeline *self);
guint      crm_followup_timeline_get_n_shown  (CrmFollowupTimeline *self);
gboolean   crm_followup_timeline_load_more    (CrmFollowupTimeline *self);
void       crm_followup_timeline_log          (CrmFollowupTimeline *self);
gboolean   crm_followup_timeline_delete_focused (CrmFollowupTimeline *self);
void       crm_followup_timeline_add_host_keys (CrmFollowupTimeline *self,
                                                GtkWidget           *host);

G_END_DECLS
