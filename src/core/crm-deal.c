/* crm-deal.c — one sales opportunity (商机)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lead → qualified → proposal → negotiation → won | lost. The amount is an
 * integer number of fen; a probability (0–100) comes with each stage and
 * can be changed per deal; a lost deal needs its reason (the store's CHECK
 * enforces it too). crm_validate_deal() (crm-validate.c) holds the rules
 * a deal must pass to be saved.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "crm-core-enums.h"
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
  char         *expected_close;
  char         *notes;

  /* as stored: read-only for the app */
  gint64        position;
  char         *contact_name;
  char         *created_at;
  char         *updated_at;
  char         *won_at;
};

G_DEFINE_FINAL_TYPE (CrmDeal, crm_deal, G_TYPE_OBJECT)

static const struct {
  int         probability;
  const char *label;
} stages[CRM_DEAL_N_STAGES] = {
  [CRM_DEAL_LEAD] = { 10, N_("Lead") },
  [CRM_DEAL_QUALIFIED] = { 25, N_("Qualified") },
  [CRM_DEAL_PROPOSAL] = { 50, N_("Proposal") },
  [CRM_DEAL_NEGOTIATION] = { 75, N_("Negotiation") },
  [CRM_DEAL_WON] = { 100, N_("Won") },
  [CRM_DEAL_LOST] = { 0, N_("Lost") },
};

/* The stages' stored names are the nicks of their GType (crm-deal.h). */
static GEnumClass *
stage_class (void)
{
  static gsize klass = 0;

  if (g_once_init_enter (&klass))
    g_once_init_leave (&klass, (gsize)g_type_class_ref (CRM_TYPE_DEAL_STAGE));
  return (GEnumClass *)klass;
}

const char *
crm_deal_stage_to_string (CrmDealStage stage)
{
  g_return_val_if_fail (stage < CRM_DEAL_N_STAGES, "lead");
  /* the values in the order of the enum: every row read and written asks */
  return stage_class ()->values[stage].value_nick;
}

CrmDealStage
crm_deal_stage_from_string (const char *text)
{
  GEnumClass *klass = stage_class ();

  for (guint i = 0; i < klass->n_values; i++)
    if (g_strcmp0 (text, klass->values[i].value_nick) == 0)
      return klass->values[i].value;
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

/**
 * crm_deal_stage_next_probability:
 * @from: the stage a deal leaves
 * @to: the stage it goes to
 * @probability: its probability in @from
 *
 * The rule of the board and of the editor: won is 100 %, lost 0 %;
 * otherwise a probability still at @from's default follows to @to's
 * default, and one the person set is kept.
 *
 * Returns: the deal's probability in @to.
 */
int
crm_deal_stage_next_probability (CrmDealStage from,
                                 CrmDealStage to,
                                 int          probability)
{
  g_return_val_if_fail (from < CRM_DEAL_N_STAGES, probability);
  g_return_val_if_fail (to < CRM_DEAL_N_STAGES, probability);

  if (to == CRM_DEAL_WON || to == CRM_DEAL_LOST || probability == stages[from].probability)
    return stages[to].probability;
  return probability;
}

/* The longest text, in characters, a deal keeps in each field; 0 for a
 * field that is not text. */
static const guint field_max_length[CRM_DEAL_N_FIELDS] = {
  [CRM_DEAL_FIELD_TITLE] = 200,
  [CRM_DEAL_FIELD_LOST_REASON] = 500,
  [CRM_DEAL_FIELD_NOTES] = 20000,
};

/**
 * crm_deal_field_get_max_length:
 *
 * Returns: the longest value, in characters, crm_validate_deal() accepts
 *   for the text field @field; 0 for the others.
 */
guint
crm_deal_field_get_max_length (CrmDealField field)
{
  g_return_val_if_fail (field < CRM_DEAL_N_FIELDS, 0);
  return field_max_length[field];
}

/**
 * crm_deal_stage_get_label:
 *
 * Returns: the stage's name for people, translated.
 */
const char *
crm_deal_stage_get_label (CrmDealStage stage)
{
  g_return_val_if_fail (stage < CRM_DEAL_N_STAGES, "");
  return _(stages[stage].label);
}

static void
crm_deal_finalize (GObject *object)
{
  CrmDeal *self = (CrmDeal *)object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->contact_id);
  g_free (self->lost_reason);
  g_free (self->expected_close);
  g_free (self->notes);
  g_free (self->contact_name);
  g_free (self->created_at);
  g_free (self->updated_at);
  g_free (self->won_at);

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
  self->expected_close = g_strdup ("");
  self->notes = g_strdup ("");
  self->contact_name = g_strdup ("");
  self->created_at = g_strdup ("");
  self->updated_at = g_strdup ("");
  self->won_at = g_strdup ("");
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
GETTER (const char *, expected_close, expected_close)
GETTER (const char *, notes, notes)
GETTER (gint64, position, position)
GETTER (const char *, contact_name, contact_name)
GETTER (const char *, created_at, created_at)
GETTER (const char *, updated_at, updated_at)
GETTER (const char *, won_at, won_at)

static void
set_text (char       **field,
          const char  *text)
{
  if (*field == text)
    return;
  g_free (*field);
  *field = g_strdup (text ? text : "");
}

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
  /* "" is no contact, as NULL: the column is a foreign key */
  if (self->contact_id == contact_id)
    return;
  g_free (self->contact_id);
  self->contact_id = contact_id && *contact_id ? g_strdup (contact_id) : NULL;
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
  set_text (&self->lost_reason, reason);
}

/**
 * crm_deal_set_expected_close:
 * @iso_date: (nullable): "YYYY-MM-DD", or "" or %NULL for none
 *
 * See crm_deal_parse_date() for what people type; the store refuses a
 * date that is not one.
 */
void
crm_deal_set_expected_close (CrmDeal    *self,
                             const char *iso_date)
{
  g_return_if_fail (CRM_IS_DEAL (self));
  set_text (&self->expected_close, iso_date);
}

void
crm_deal_set_notes (CrmDeal    *self,
                    const char *notes)
{
  g_return_if_fail (CRM_IS_DEAL (self));
  set_text (&self->notes, notes);
}

/**
 * crm_deal_move_to_stage:
 *
 * Moves the deal to @stage as a drag on the board does: won is 100 %, lost
 * 0 %; otherwise a probability still at the old stage's default follows to
 * the new stage's default, and one the person set is kept. Leaving "lost"
 * forgets the lost reason.
 */
void
crm_deal_move_to_stage (CrmDeal      *self,
                        CrmDealStage  stage)
{
  CrmDealStage old;

  g_return_if_fail (CRM_IS_DEAL (self));
  g_return_if_fail (stage < CRM_DEAL_N_STAGES);

  old = self->stage;
  self->probability = crm_deal_stage_next_probability (old, stage, self->probability);
  if (old == CRM_DEAL_LOST && stage != CRM_DEAL_LOST)
    set_text (&self->lost_reason, "");
  self->stage = stage;
}

/**
 * crm_deal_copy:
 *
 * Returns: (transfer full): a deep copy, with the stored identity: saving
 *   the copy updates the same row.
 */
CrmDeal *
crm_deal_copy (CrmDeal *self)
{
  CrmDeal *copy;

  g_return_val_if_fail (CRM_IS_DEAL (self), NULL);

  copy = crm_deal_new ();
  copy->rowid = self->rowid;
  copy->id = g_strdup (self->id);
  set_text (&copy->title, self->title);
  copy->contact_id = g_strdup (self->contact_id);
  copy->amount = self->amount;
  copy->stage = self->stage;
  copy->probability = self->probability;
  set_text (&copy->lost_reason, self->lost_reason);
  set_text (&copy->expected_close, self->expected_close);
  set_text (&copy->notes, self->notes);
  _crm_deal_set_row (copy, self->position, self->contact_name, self->created_at,
                     self->updated_at, self->won_at);
  return copy;
}

/**
 * crm_deal_equal:
 *
 * Returns: whether @a and @b agree in what a person can edit: title,
 *   contact, amount, stage, probability, lost reason, expected close and
 *   notes (not identity, position or timestamps).
 */
gboolean
crm_deal_equal (CrmDeal *a,
                CrmDeal *b)
{
  g_return_val_if_fail (CRM_IS_DEAL (a), FALSE);
  g_return_val_if_fail (CRM_IS_DEAL (b), FALSE);

  return g_str_equal (a->title, b->title)
         && g_strcmp0 (a->contact_id, b->contact_id) == 0
         && a->amount == b->amount
         && a->stage == b->stage
         && a->probability == b->probability
         && g_str_equal (a->lost_reason, b->lost_reason)
         && g_str_equal (a->expected_close, b->expected_close)
         && g_str_equal (a->notes, b->notes);
}

/* No date as people write it, blanks included, comes near this: longer
 * text is refused before it is read. */
#define MAX_DATE_BYTES 256

/* Reads 1 to @max_digits ASCII digits at *p; advances *p past them. */
static gboolean
read_number (const char **p,
             guint        max_digits,
             guint       *value)
{
  guint n = 0;

  *value = 0;
  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      *value = *value * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  return n > 0 && !g_ascii_isdigit (**p);
}

static gboolean
skip (const char **p,
      const char  *text)
{
  gsize len = strlen (text);

  if (strncmp (*p, text, len) != 0)
    return FALSE;
  *p += len;
  return TRUE;
}

/**
 * crm_deal_parse_date:
 * @text: what the person typed
 * @iso_date: (out) (transfer full) (optional): "YYYY-MM-DD", or "" for none
 *
 * Accepts "" (no date), 2026-12-31, 2026/12/31, 2026.12.31 and
 * 2026年12月31日, with one-digit months and days too, around blanks.
 * Bytes that are not UTF-8 and text longer than 256 bytes are refused.
 *
 * Returns: %TRUE for a day of the calendar; else %FALSE with
 *   %G_IO_ERROR_INVALID_DATA and a message for the person.
 */
gboolean
crm_deal_parse_date (const char  *text,
                     char       **iso_date,
                     GError     **error)
{
  g_autofree char *stripped = NULL;
  const char *p;
  guint year, month, day;
  gboolean chinese;

  if (iso_date != NULL)
    *iso_date = NULL;
  if (text == NULL || strnlen (text, MAX_DATE_BYTES + 1) > MAX_DATE_BYTES)
    goto not_a_date;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The date contains bytes that are not text (not UTF-8): "
                             "type a date like 2026-12-31"));
      return FALSE;
    }

  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    {
      if (iso_date != NULL)
        *iso_date = g_strdup ("");
      return TRUE;
    }

  p = stripped;
  if (!read_number (&p, 4, &year) || p - stripped != 4)
    goto not_a_date;
  chinese = skip (&p, "年");
  if (!chinese && *p != '-' && *p != '/' && *p != '.')
    goto not_a_date;
  if (!chinese)
    {
      char separator = *p++;

      if (!read_number (&p, 2, &month) || *p++ != separator)
        goto not_a_date;
    }
  else if (!read_number (&p, 2, &month) || !skip (&p, "月"))
    goto not_a_date;
  if (!read_number (&p, 2, &day))
    goto not_a_date;
  if (chinese)
    skip (&p, "日");
  if (*p != '\0')
    goto not_a_date;

  if (year < 1000 || !g_date_valid_dmy (day, month, year))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("There is no such day: type a date like 2026-12-31"));
      return FALSE;
    }
  if (iso_date != NULL)
    *iso_date = g_strdup_printf ("%04u-%02u-%02u", year, month, day);
  return TRUE;

not_a_date:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Type a date like 2026-12-31"));
  return FALSE;
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

/* Sets what the public setters guard, unchecked: what a decoder of outside
 * data could hand crm_validate_deal(). For tests. */
void
_crm_deal_set_unchecked (CrmDeal      *self,
                         CrmDealStage  stage,
                         int           probability)
{
  self->stage = stage;
  self->probability = probability;
}

void
_crm_deal_set_row (CrmDeal    *self,
                   gint64      position,
                   const char *contact_name,
                   const char *created_at,
                   const char *updated_at,
                   const char *won_at)
{
  self->position = position;
  set_text (&self->contact_name, contact_name);
  set_text (&self->created_at, created_at);
  set_text (&self->updated_at, updated_at);
  set_text (&self->won_at, won_at);
}
