/* crm-reminder-controller.h — desktop notifications when a follow-up's next step comes due
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* the longest wait between two looks at the store: a change the controller
 * was not told about, or a clock moved, is caught within it */
#define CRM_REMINDER_MAX_WAIT_MS (60 * 1000)
/* more missed reminders than this come as one notification */
#define CRM_REMINDER_SUMMARY_OVER 3
/* missed reminders older than this are not notified (Today lists them) */
#define CRM_REMINDER_MISSED_DAYS 7
#define CRM_REMINDER_SNOOZE_SECONDS 3600

#define CRM_TYPE_REMINDER_CONTROLLER (crm_reminder_controller_get_type ())

G_DECLARE_FINAL_TYPE (CrmReminderController, crm_reminder_controller, CRM,
                      REMINDER_CONTROLLER, GObject)

CrmReminderController *crm_reminder_controller_new       (GApplication          *app);
void                   crm_reminder_controller_set_store (CrmReminderController *self,
                                                          CrmStore              *store);
void                   crm_reminder_controller_check     (CrmReminderController *self);
gboolean               crm_reminder_controller_snooze    (CrmReminderController *self,
                                                          const char            *followup_id,
                                                          GError               **error);
void                   crm_reminder_controller_quit      (CrmReminderController *self);
gboolean               crm_reminder_controller_is_holding (CrmReminderController *self);

GSettings             *crm_reminder_settings_new         (void);

/* The scheduling, pure (now is passed in), for the tests */
char                  *crm_reminder_format_utc           (GDateTime             *time);
char                  *crm_reminder_checked_from         (const char            *stored,
                                                          GDateTime             *now_utc);
GDateTime             *crm_reminder_next_time            (GPtrArray             *followups,
                                                          GDateTime             *now_utc);
guint                  crm_reminder_delay_ms             (GDateTime             *now_utc,
                                                          GDateTime             *next);

G_END_DECLS
