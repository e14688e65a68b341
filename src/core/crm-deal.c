/* crm-deal.c — one sales opportunity (商机)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lead → qualified → proposal → negotiation → won | lost. The amount is an
 * integer number of fen; a probability (0–100) comes with each stage and
 * can be changed per deal; a lost deal needs its reason (the store's CHECK
 * enforces it too).
 */
#include "config.h"

#include "crm-deal-private.h"

struct _CrmDeal
{
  GObject       parent_instance;

  gint64        rowid;
  char         *id;
  char         *title;
  char         *contact_id;
  gint64        amount;
  CrmDealStage  stage;
  int           probability;
  char         *lost_reason;
};

G_DEFINE_FINAL_TYPE (CrmDeal, crm_deal, G_TYPE_OBJECT)

static const struct {
  const char *name;
  int         probability;
} stages[CRM_DEAL_N_STAGES] = {
  [CRM_DEAL_LEAD] = { "lead", 10 },
  [CRM_DEAL_QUALIFIED] = { "qualified", 25 },
  [CRM_DEAL_PROPOSAL] = { "proposal", 50 },
  [CRM_DEAL_NEGOTIATION] = { "negotiation", 75 },
  [CRM_DEAL_WON] = { "won", 100 },
  [CRM_DEAL_LOST] = { "lost", 0 },
};

const char *
crm_deal_stage_to_string (CrmDealStage stage)
{
  g_return_val_if_fail (stage < CRM_DEAL_N_STAGES, "lead");
  return stages[stage].name;
}

CrmDealStage
crm_deal_stage_from_string (const char *text)
{
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (g_strcmp0 (text, stages[i].name) == 0)
      return i;
  return CRM_DEAL_LEAD;
}

int
crm_deal_stage_default_probability (CrmDealStage stage)
{
  g_return_val_if_fail (stage < CRM_DEAL_N_STAGES, 0);
  return stages[stage].probability;
}

gboolean
crm_deal_stage_is_open (CrmDealStage stage)
{
  return stage != CRM_DEAL_WON && stage != CRM_DEAL_LOST;
}

static void
crm_deal_finalize (GObject *object)
{
  CrmDeal *self = (CrmDeal *)object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->contact_id);
  g_free (self->lost_reason);

  G_OBJECT_CLASS (crm_deal_parent_class)->finalize (object);
}

static void
crm_deal_class_init (CrmDealClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_deal_finalize;
}

static void
crm_deal_init (CrmDeal *self)
{
  self->title = g_strdup ("");
  self->lost_reason = g_strdup ("");
  self->stage = CRM_DEAL_LEAD;
  self->probability = stages[CRM_DEAL_LEAD].probability;
}

CrmDeal *
crm_deal_new (void)
{
  return g_object_new (CRM_TYPE_DEAL, NULL);
}

#define GETTER(type, name, field) \
  type crm_deal_get_##name (CrmDeal *self) \
  { \
    g_return_val_if_fail (CRM_IS_DEAL (self), (type)0); \
    return self->field; \
  }

GETTER (const char *, id, id)
GETTER (const char *, title, title)
GETTER (const char *, contact_id, contact_id)
GETTER (gint64, amount, amount)
GETTER (CrmDealStage, stage, stage)
GETTER (int, probability, probability)
GETTER (const char *, lost_reason, lost_reason)

void
crm_deal_set_title (CrmDeal    *self,
                    const char *title)
{
  g_return_if_fail (CRM_IS_DEAL (self));
  g_free (self->title);
  self->title = g_strdup (title ? title : "");
}

void
crm_deal_set_contact_id (CrmDeal    *self,
                         const char *contact_id)
{
  g_return_if_fail (CRM_IS_DEAL (self));
  g_free (self->contact_id);
  self->contact_id = g_strdup (contact_id);
}

void
crm_deal_set_amount (CrmDeal *self,
                     gint64   fen)
{
  g_return_if_fail (CRM_IS_DEAL (self));
  self->amount = fen;
}

/**
 * crm_deal_set_stage:
 *
 * Moves the deal to @stage with that stage's default probability.
 */
void
crm_deal_set_stage (CrmDeal      *self,
                    CrmDealStage  stage)
{
  g_return_if_fail (CRM_IS_DEAL (self));
  g_return_if_fail (stage < CRM_DEAL_N_STAGES);
  self->stage = stage;
  self->probability = stages[stage].probability;
}

void
crm_deal_set_probability (CrmDeal *self,
                          int      percent)
{
  g_return_if_fail (CRM_IS_DEAL (self));
  self->probability = CLAMP (percent, 0, 100);
}

void
crm_deal_set_lost_reason (CrmDeal    *self,
                          const char *reason)
{
  g_return_if_fail (CRM_IS_DEAL (self));
  g_free (self->lost_reason);
  self->lost_reason = g_strdup (reason ? reason : "");
}

gboolean
crm_deal_is_saved (CrmDeal *self)
{
  g_return_val_if_fail (CRM_IS_DEAL (self), FALSE);
  return self->rowid > 0;
}

gint64
_crm_deal_get_rowid (CrmDeal *self)
{
  return self->rowid;
}

void
_crm_deal_set_stored (CrmDeal    *self,
                      gint64      rowid,
                      const char *id)
{
  self->rowid = rowid;
  g_free (self->id);
  self->id = g_strdup (id);
}
