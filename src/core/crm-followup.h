/* crm-followup.h — one follow-up (跟进记录): what was said to a contact, and the next step
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How the follow-up was made. The nick is what the store and sync write:
 * crm_followup_kind_to_string(). */
typedef enum
{
  CRM_FOLLOWUP_CALL,      /*< nick=call >*/
  CRM_FOLLOWUP_VISIT,     /*< nick=visit >*/
  CRM_FOLLOWUP_WECHAT,    /*< nick=wechat >*/
  CRM_FOLLOWUP_EMAIL,     /*< nick=email >*/
  CRM_FOLLOWUP_MEETING,   /*< nick=meeting >*/
  CRM_FOLLOWUP_OTHER,     /*< nick=other >*/
  CRM_FOLLOWUP_N_KINDS    /*< skip >*/
} CrmFollowupKind;

/* What a person edits in a follow-up, in the order the form shows it. */
typedef enum
{
  CRM_FOLLOWUP_FIELD_CONTACT,
  CRM_FOLLOWUP_FIELD_DEAL,
  CRM_FOLLOWUP_FIELD_HAPPENED_AT,
  CRM_FOLLOWUP_FIELD_KIND,
  CRM_FOLLOWUP_FIELD_NOTES,
  CRM_FOLLOWUP_FIELD_NEXT_STEP,
  CRM_FOLLOWUP_FIELD_NEXT_AT,
  CRM_FOLLOWUP_N_FIELDS /*< skip >*/
} CrmFollowupField;

#define CRM_TYPE_FOLLOWUP (crm_followup_get_type ())

G_DECLARE_FINAL_TYPE (CrmFollowup, crm_followup, CRM, FOLLOWUP, GObject)

/* Times are UTC ISO 8601 with seconds, "2026-11-29T08:30:00Z" (the store's
 * and the wire's form); the UI converts to and from local time with
 * GDateTime. happened_at defaults to now in crm_followup_new(). next_at is
 * NULL when there is no next step; done_at is set when the next step was
 * done (crm_store_complete_followup()); snoozed_until postpones only the
 * reminder, not the due time shown in Today. */
CrmFollowup     *crm_followup_new                (void);
const char      *crm_followup_get_id             (CrmFollowup     *self);
const char      *crm_followup_get_contact_id     (CrmFollowup     *self);
void             crm_followup_set_contact_id     (CrmFollowup     *self,
                                                  const char      *contact_id);
const char      *crm_followup_get_contact_name   (CrmFollowup     *self);  /* filled by the store's reads */
const char      *crm_followup_get_deal_id        (CrmFollowup     *self);  /* nullable */
void             crm_followup_set_deal_id        (CrmFollowup     *self,
                                                  const char      *deal_id);
const char      *crm_followup_get_deal_title     (CrmFollowup     *self);  /* filled by the store's reads */
const char      *crm_followup_get_happened_at    (CrmFollowup     *self);
void             crm_followup_set_happened_at    (CrmFollowup     *self,
                                                  const char      *utc_iso);
CrmFollowupKind  crm_followup_get_kind           (CrmFollowup     *self);
void             crm_followup_set_kind           (CrmFollowup     *self,
                                                  CrmFollowupKind  kind);
const char      *crm_followup_get_notes          (CrmFollowup     *self);
void             crm_followup_set_notes          (CrmFollowup     *self,
                                                  const char      *notes);
const char      *crm_followup_get_next_step      (CrmFollowup     *self);
void             crm_followup_set_next_step      (CrmFollowup     *self,
                                                  const char      *next_step);
const char      *crm_followup_get_next_at        (CrmFollowup     *self);  /* nullable */
void             crm_followup_set_next_at        (CrmFollowup     *self,
                                                  const char      *utc_iso);
const char      *crm_followup_get_done_at        (CrmFollowup     *self);  /* nullable */
const char      *crm_followup_get_snoozed_until  (CrmFollowup     *self);  /* nullable */
const char      *crm_followup_get_created_at     (CrmFollowup     *self);
const char      *crm_followup_get_updated_at     (CrmFollowup     *self);
gboolean         crm_followup_is_saved           (CrmFollowup     *self);
CrmFollowup     *crm_followup_copy               (CrmFollowup     *self);
gboolean         crm_followup_equal              (CrmFollowup     *a,
                                                  CrmFollowup     *b);

const char      *crm_followup_kind_to_string     (CrmFollowupKind  kind);
CrmFollowupKind  crm_followup_kind_from_string   (const char      *text);  /* OTHER when unknown */
const char      *crm_followup_kind_get_label     (CrmFollowupKind  kind);  /* translated, with its mnemonic: "_Call" */
guint            crm_followup_field_get_max_length (CrmFollowupField field);

/* The rules (the editor, the store and the server use the same ones):
 * a contact, a valid happened_at, a known kind, notes or a next step not
 * both empty, lengths within bounds, next_at valid when given, a next
 * step's text needs a date and the other way round. */
gboolean         crm_followup_validate           (CrmFollowup     *self,
                                                  CrmFollowupField *failed_field,
                                                  GError          **error);

/* The due-time logic, pure and testable: "now" is passed in. */
typedef enum
{
  CRM_FOLLOWUP_DUE_NONE,       /* no next step, or it is done */
  CRM_FOLLOWUP_DUE_OVERDUE,    /* before the start of today (local) */
  CRM_FOLLOWUP_DUE_TODAY,      /* today, local time, including earlier today */
  CRM_FOLLOWUP_DUE_THIS_WEEK,  /* the next 7 days after today */
  CRM_FOLLOWUP_DUE_LATER,
} CrmFollowupDue;

CrmFollowupDue   crm_followup_due_bucket         (const char      *next_at_utc,
                                                  const char      *done_at_utc,
                                                  GDateTime       *now_local);
/* When the reminder fires: next_at, or snoozed_until when later; NULL
 * when done or no next step. */
GDateTime       *crm_followup_reminder_time      (CrmFollowup     *self);

G_END_DECLS
