/* crm-deal.h — one sales opportunity (商机)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The nick of each stage (CRM_TYPE_DEAL_STAGE) is the name the store and
 * sync write: crm_deal_stage_to_string(). */
typedef enum
{
  CRM_DEAL_LEAD,          /*< nick=lead >*/
  CRM_DEAL_QUALIFIED,     /*< nick=qualified >*/
  CRM_DEAL_PROPOSAL,      /*< nick=proposal >*/
  CRM_DEAL_NEGOTIATION,   /*< nick=negotiation >*/
  CRM_DEAL_WON,           /*< nick=won >*/
  CRM_DEAL_LOST,          /*< nick=lost >*/
  CRM_DEAL_N_STAGES       /*< skip >*/
} CrmDealStage;

#define CRM_TYPE_DEAL (crm_deal_get_type ())

G_DECLARE_FINAL_TYPE (CrmDeal, crm_deal, CRM, DEAL, GObject)

/* What a person edits in a deal, in the order the editor shows it. */
typedef enum
{
  CRM_DEAL_FIELD_TITLE,
  CRM_DEAL_FIELD_CONTACT,
  CRM_DEAL_FIELD_AMOUNT,
  CRM_DEAL_FIELD_STAGE,
  CRM_DEAL_FIELD_PROBABILITY,
  CRM_DEAL_FIELD_EXPECTED_CLOSE,
  CRM_DEAL_FIELD_LOST_REASON,
  CRM_DEAL_FIELD_NOTES,
  CRM_DEAL_N_FIELDS /*< skip >*/
} CrmDealField;

CrmDeal      *crm_deal_new                      (void);
const char   *crm_deal_get_id                   (CrmDeal      *self);
const char   *crm_deal_get_title                (CrmDeal      *self);
void          crm_deal_set_title                (CrmDeal      *self,
                                                 const char   *title);
const char   *crm_deal_get_contact_id           (CrmDeal      *self);
void          crm_deal_set_contact_id           (CrmDeal      *self,
                                                 const char   *contact_id);
gint64        crm_deal_get_amount               (CrmDeal      *self);
void          crm_deal_set_amount               (CrmDeal      *self,
                                                 gint64        fen);
CrmDealStage  crm_deal_get_stage                (CrmDeal      *self);
void          crm_deal_set_stage                (CrmDeal      *self,
                                                 CrmDealStage  stage);
int           crm_deal_get_probability          (CrmDeal      *self);
void          crm_deal_set_probability          (CrmDeal      *self,
                                                 int           percent);
const char   *crm_deal_get_lost_reason          (CrmDeal      *self);
void          crm_deal_set_lost_reason          (CrmDeal      *self,
                                                 const char   *reason);
const char   *crm_deal_get_expected_close       (CrmDeal      *self);
void          crm_deal_set_expected_close       (CrmDeal      *self,
                                                 const char   *iso_date);
const char   *crm_deal_get_notes                (CrmDeal      *self);
void          crm_deal_set_notes                (CrmDeal      *self,
                                                 const char   *notes);
gboolean      crm_deal_is_saved                 (CrmDeal      *self);
gint64        crm_deal_get_position             (CrmDeal      *self);
const char   *crm_deal_get_contact_name         (CrmDeal      *self);
const char   *crm_deal_get_created_at           (CrmDeal      *self);
const char   *crm_deal_get_updated_at           (CrmDeal      *self);
const char   *crm_deal_get_won_at               (CrmDeal      *self);
CrmDeal      *crm_deal_copy                     (CrmDeal      *self);
gboolean      crm_deal_equal                    (CrmDeal      *a,
                                                 CrmDeal      *b);
void          crm_deal_move_to_stage            (CrmDeal      *self,
                                                 CrmDealStage  stage);

const char   *crm_deal_stage_to_string          (CrmDealStage  stage);
CrmDealStage  crm_deal_stage_from_string        (const char   *text);
int           crm_deal_stage_default_probability (CrmDealStage stage);
gboolean      crm_deal_stage_is_open            (CrmDealStage  stage);
const char   *crm_deal_stage_get_label          (CrmDealStage  stage);
int           crm_deal_stage_next_probability   (CrmDealStage  from,
                                                 CrmDealStage  to,
                                                 int           probability);

guint         crm_deal_field_get_max_length     (CrmDealField  field);

gboolean      crm_deal_parse_date               (const char   *text,
                                                 char        **iso_date,
                                                 GError      **error);

G_END_DECLS
