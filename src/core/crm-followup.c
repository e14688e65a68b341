/* crm-followup.c — one follow-up (跟进记录) and its due-time logic
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A follow-up records what was said to a contact (optionally about one of
 * its deals) and the next step with its due time. Every time is kept as
 * UTC ISO 8601 with whole seconds ("2026-11-29T08:30:00Z"): it sorts as
 * text in SQLite and crosses the wire unchanged; only the UI and the due
 * buckets look at local time, and they are handed "now" so the rules can
 * be tested in any time zone. The id is a UUID v4 from the start, so a
 * form can name the follow-up it is about before it is saved. The rules
 * (crm_followup_validate()) live here, next to the object, because the
 * editor, the store and the server all call them.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "crm-core-enums.h"
#include "crm-followup-private.h"
#include "crm-validate.h"

struct _CrmFollowup
{
  GObject          parent_instance;

  gint64           rowid;
  char            *id;
  char            *contact_id;
  char            *deal_id;        /* NULL: no deal */
  char            *happened_at;
  CrmFollowupKind  kind;
  char            *notes;
  char            *next_step;
  char            *next_at;        /* NULL: no next step */

  /* as stored: read-only for the app */
  char            *done_at;
  char            *snoozed_until;
  char            *contact_name;
  char            *deal_title;
  char            *created_at;
  char            *updated_at;
};

G_DEFINE_FINAL_TYPE (CrmFollowup, crm_followup, G_TYPE_OBJECT)

/* The context keeps these apart from the same words elsewhere (the contact
 * editor's "_E-mail" is a field, not a way of following up). */
#define KIND_CONTEXT "follow-up kind"

static const char * const kind_labels[CRM_FOLLOWUP_N_KINDS] = {
  [CRM_FOLLOWUP_CALL] = NC_("follow-up kind", "_Call"),
  [CRM_FOLLOWUP_VISIT] = NC_("follow-up kind", "_Visit"),
  [CRM_FOLLOWUP_WECHAT] = NC_("follow-up kind", "_WeChat"),
  [CRM_FOLLOWUP_EMAIL] = NC_("follow-up kind", "_E-mail"),
  [CRM_FOLLOWUP_MEETING] = NC_("follow-up kind", "_Meeting"),
  [CRM_FOLLOWUP_OTHER] = NC_("follow-up kind", "_Other"),
};

/* The longest text, in characters, of each field; 0 for one that is not
 * free text. */
static const guint field_max_length[CRM_FOLLOWUP_N_FIELDS] = {
  [CRM_FOLLOWUP_FIELD_NOTES] = 20000,
  [CRM_FOLLOWUP_FIELD_NEXT_STEP] = 500,
};

/* The kinds' stored names are the nicks of their GType (crm-followup.h). */
static GEnumClass *
kind_class (void)
{
  static gsize klass = 0;

  if (g_once_init_enter (&klass))
    g_once_init_leave (&klass, (gsize)g_type_class_ref (CRM_TYPE_FOLLOWUP_KIND));
  return (GEnumClass *)klass;
}

static char *
format_utc (GDateTime *time)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* An ISO 8601 time with its zone ("…Z" or "…+08:00"), or NULL. Text
 * longer than any such time is refused before it is parsed. */
static GDateTime *
parse_time (const char *text)
{
  if (text == NULL || *text == '\0' || strnlen (text, 65) > 64
      || !g_utf8_validate (text, -1, NULL))
    return NULL;
  return g_date_time_new_from_iso8601 (text, NULL);
}

static void
set_text (char       **field,
          const char  *text)
{
  if (*field == text)
    return;
  g_free (*field);
  *field = g_strdup (text ? text : "");
}

/* For the fields where "" means none, as NULL does. */
static void
set_nullable (char       **field,
              const char  *text)
{
  if (*field == text)
    return;
  g_free (*field);
  *field = text && *text ? g_strdup (text) : NULL;
}

static void
crm_followup_finalize (GObject *object)
{
  CrmFollowup *self = (CrmFollowup *)object;

  g_free (self->id);
  g_free (self->contact_id);
  g_free (self->deal_id);
  g_free (self->happened_at);
  g_free (self->notes);
  g_free (self->next_step);
  g_free (self->next_at);
  g_free (self->done_at);
  g_free (self->snoozed_until);
  g_free (self->contact_name);
  g_free (self->deal_title);
  g_free (self->created_at);
  g_free (self->updated_at);

  G_OBJECT_CLASS (crm_followup_parent_class)->finalize (object);
}

static void
crm_followup_class_init (CrmFollowupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_followup_finalize;
}

static void
crm_followup_init (CrmFollowup *self)
{
  self->contact_id = g_strdup ("");
  self->happened_at = g_strdup ("");
  self->kind = CRM_FOLLOWUP_CALL;
  self->notes = g_strdup ("");
  self->next_step = g_strdup ("");
  self->contact_name = g_strdup ("");
  self->deal_title = g_strdup ("");
  self->created_at = g_strdup ("");
  self->updated_at = g_strdup ("");
}

/**
 * crm_followup_new:
 *
 * Returns: (transfer full): a new follow-up with a fresh UUID, made now
 *   (happened_at is the current time, UTC, to the second), by call.
 */
CrmFollowup *
crm_followup_new (void)
{
  CrmFollowup *self = g_object_new (CRM_TYPE_FOLLOWUP, NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  self->id = g_uuid_string_random ();
  g_free (self->happened_at);
  self->happened_at = format_utc (now);
  return self;
}

#define GETTER(type, name) \
  type crm_followup_get_##name (CrmFollowup *self) \
  { \
    g_return_val_if_fail (CRM_IS_FOLLOWUP (self), (type)0); \
    return self->name; \
  }

GETTER (const char *, id)
GETTER (const char *, contact_id)
GETTER (const char *, contact_name)
GETTER (const char *, deal_id)
GETTER (const char *, deal_title)
GETTER (const char *, happened_at)
GETTER (CrmFollowupKind, kind)
GETTER (const char *, notes)
GETTER (const char *, next_step)
GETTER (const char *, next_at)
GETTER (const char *, done_at)
GETTER (const char *, snoozed_until)
GETTER (const char *, created_at)
GETTER (const char *, updated_at)

void
crm_followup_set_contact_id (CrmFollowup *self,
                             const char  *contact_id)
{
  g_return_if_fail (CRM_IS_FOLLOWUP (self));
  set_text (&self->contact_id, contact_id);
}

/**
 * crm_followup_set_deal_id:
 * @deal_id: (nullable): the deal, or "" or %NULL for none
 */
void
crm_followup_set_deal_id (CrmFollowup *self,
                          const char  *deal_id)
{
  g_return_if_fail (CRM_IS_FOLLOWUP (self));
  set_nullable (&self->deal_id, deal_id);
}

void
crm_followup_set_happened_at (CrmFollowup *self,
                              const char  *utc_iso)
{
  g_return_if_fail (CRM_IS_FOLLOWUP (self));
  set_text (&self->happened_at, utc_iso);
}

/* Any value: what a decoder hands over is checked by
 * crm_followup_validate(), as the store does before each save. */
void
crm_followup_set_kind (CrmFollowup     *self,
                       CrmFollowupKind  kind)
{
  g_return_if_fail (CRM_IS_FOLLOWUP (self));
  self->kind = kind;
}

void
crm_followup_set_notes (CrmFollowup *self,
                        const char  *notes)
{
  g_return_if_fail (CRM_IS_FOLLOWUP (self));
  set_text (&self->notes, notes);
}

void
crm_followup_set_next_step (CrmFollowup *self,
                            const char  *next_step)
{
  g_return_if_fail (CRM_IS_FOLLOWUP (self));
  set_text (&self->next_step, next_step);
}

/**
 * crm_followup_set_next_at:
 * @utc_iso: (nullable): when the next step is due, or "" or %NULL for none
 */
void
crm_followup_set_next_at (CrmFollowup *self,
                          const char  *utc_iso)
{
  g_return_if_fail (CRM_IS_FOLLOWUP (self));
  set_nullable (&self->next_at, utc_iso);
}

gboolean
crm_followup_is_saved (CrmFollowup *self)
{
  g_return_val_if_fail (CRM_IS_FOLLOWUP (self), FALSE);
  return self->rowid > 0;
}

/**
 * crm_followup_copy:
 *
 * Returns: (transfer full): a deep copy with the same identity: saving it
 *   updates the same row.
 */
CrmFollowup *
crm_followup_copy (CrmFollowup *self)
{
  CrmFollowup *copy;

  g_return_val_if_fail (CRM_IS_FOLLOWUP (self), NULL);

  copy = g_object_new (CRM_TYPE_FOLLOWUP, NULL);
  copy->rowid = self->rowid;
  copy->id = g_strdup (self->id);
  set_text (&copy->contact_id, self->contact_id);
  copy->deal_id = g_strdup (self->deal_id);
  set_text (&copy->happened_at, self->happened_at);
  copy->kind = self->kind;
  set_text (&copy->notes, self->notes);
  set_text (&copy->next_step, self->next_step);
  copy->next_at = g_strdup (self->next_at);
  _crm_followup_set_row (copy, self->contact_name, self->deal_title, self->done_at,
                         self->snoozed_until, self->created_at, self->updated_at);
  return copy;
}

/**
 * crm_followup_equal:
 *
 * Returns: whether @a and @b agree in what a person edits: contact, deal,
 *   time, kind, notes, next step and its time (not identity, done or
 *   snoozed, nor timestamps).
 */
gboolean
crm_followup_equal (CrmFollowup *a,
                    CrmFollowup *b)
{
  g_return_val_if_fail (CRM_IS_FOLLOWUP (a), FALSE);
  g_return_val_if_fail (CRM_IS_FOLLOWUP (b), FALSE);

  return g_str_equal (a->contact_id, b->contact_id)
         && g_strcmp0 (a->deal_id, b->deal_id) == 0
         && g_str_equal (a->happened_at, b->happened_at)
         && a->kind == b->kind
         && g_str_equal (a->notes, b->notes)
         && g_str_equal (a->next_step, b->next_step)
         && g_strcmp0 (a->next_at, b->next_at) == 0;
}

const char *
crm_followup_kind_to_string (CrmFollowupKind kind)
{
  g_return_val_if_fail ((guint)kind < CRM_FOLLOWUP_N_KINDS, "other");
  return kind_class ()->values[kind].value_nick;
}

CrmFollowupKind
crm_followup_kind_from_string (const char *text)
{
  GEnumValue *value;

  if (text == NULL)
    return CRM_FOLLOWUP_OTHER;
  value = g_enum_get_value_by_nick (kind_class (), text);
  return value != NULL ? (CrmFollowupKind)value->value : CRM_FOLLOWUP_OTHER;
}

/**
 * crm_followup_kind_get_label:
 *
 * Returns: the kind's name for people, translated, with its mnemonic
 *   ("_Call"; "电话(_C)" in Chinese).
 */
const char *
crm_followup_kind_get_label (CrmFollowupKind kind)
{
  g_return_val_if_fail ((guint)kind < CRM_FOLLOWUP_N_KINDS, "");
  return g_dpgettext2 (GETTEXT_PACKAGE, KIND_CONTEXT, kind_labels[kind]);
}

/**
 * crm_followup_field_get_max_length:
 *
 * Returns: the longest value, in characters, crm_followup_validate()
 *   accepts for the text field @field; 0 for the others.
 */
guint
crm_followup_field_get_max_length (CrmFollowupField field)
{
  g_return_val_if_fail ((guint)field < CRM_FOLLOWUP_N_FIELDS, 0);
  return field_max_length[field];
}

/* Free text of @field: UTF-8, no control character but (in the notes)
 * line breaks and tabs, at most its length once trimmed. Hands back the
 * trimmed form. A paste far over the limit is refused by its bytes. */
static gboolean
check_free_text (const char        *text,
                 CrmFollowupField   field,
                 char             **trimmed,
                 GError           **error)
{
  guint max_length = field_max_length[field];
  gboolean multi_line = field == CRM_FOLLOWUP_FIELD_NOTES;
  gsize byte_limit = (gsize)max_length * 4 + 64;
  g_autofree char *copy = NULL;
  const char *p;

  if (strnlen (text, byte_limit + 1) > byte_limit)
    goto too_long;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT,
                           _("The text is not valid UTF-8"));
      return FALSE;
    }
  copy = g_strstrip (g_strdup (text));
  for (p = copy; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_CONTROL
          && !(multi_line && (c == '\n' || c == '\t')))
        {
          g_set_error_literal (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT,
                               _("The text holds control characters"));
          return FALSE;
        }
    }
  if ((guint)g_utf8_strlen (copy, -1) > max_length)
    goto too_long;
  *trimmed = g_steal_pointer (&copy);
  return TRUE;

too_long:
  g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too long: at most %u character",
                            "Too long: at most %u characters", max_length),
               max_length);
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  while (g_ascii_isspace (*text))
    text++;
  return *text == '\0';
}

/* An id as the store and the wire keep them (a UUID, in practice): short
 * text, whatever a decoder was handed. */
static gboolean
is_id (const char *text)
{
  return strnlen (text, 257) <= 256 && g_utf8_validate (text, -1, NULL);
}

/* A time field: a valid ISO 8601 time with a zone; its UTC form with whole
 * seconds in @utc. */
static gboolean
check_time (const char  *text,
            char       **utc,
            GError     **error)
{
  g_autoptr (GDateTime) time = parse_time (text);

  if (time == NULL)
    {
      g_set_error_literal (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_DATE,
                           _("Not a valid date and time"));
      return FALSE;
    }
  *utc = format_utc (time);
  return TRUE;
}

/**
 * crm_followup_validate:
 * @self: a follow-up about to be saved; when it passes, its text is
 *   trimmed and its times become UTC with whole seconds
 * @failed_field: (out) (optional): the first field, in #CrmFollowupField
 *   order, that does not pass
 * @error: the reason, for the person, in %CRM_VALIDATE_ERROR
 *
 * The rules every follow-up passes before it is stored, whoever writes it
 * (the form, the store, sync and the server): a contact; a valid time it
 * happened; one of the kinds; notes of at most 20,000 characters (line
 * breaks and tabs allowed) and a next step of at most 500 on one line,
 * not both empty; a next step's text comes with its date and the other
 * way round. Whether the contact and the deal exist is the store's to say.
 *
 * Returns: whether @self may be saved.
 */
gboolean
crm_followup_validate (CrmFollowup       *self,
                       CrmFollowupField  *failed_field,
                       GError           **error)
{
  g_autofree char *happened_at = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *next_step = NULL;
  g_autofree char *next_at = NULL;
  CrmFollowupField field;
  const char *message;

  g_return_val_if_fail (CRM_IS_FOLLOWUP (self), FALSE);

  field = CRM_FOLLOWUP_FIELD_CONTACT;
  if (is_blank (self->contact_id) || !is_id (self->contact_id))
    {
      message = _("A follow-up needs a contact");
      goto required;
    }
  field = CRM_FOLLOWUP_FIELD_DEAL;
  if (self->deal_id != NULL && !is_id (self->deal_id))
    {
      g_set_error_literal (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT,
                           _("Choose one of the contact’s deals"));
      goto failed;
    }
  field = CRM_FOLLOWUP_FIELD_HAPPENED_AT;
  if (!check_time (self->happened_at, &happened_at, error))
    goto failed;
  field = CRM_FOLLOWUP_FIELD_KIND;
  if ((guint)self->kind >= CRM_FOLLOWUP_N_KINDS)
    {
      g_set_error_literal (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_OUT_OF_RANGE,
                           _("Choose how you followed up"));
      goto failed;
    }
  field = CRM_FOLLOWUP_FIELD_NOTES;
  if (!check_free_text (self->notes, field, &notes, error))
    goto failed;
  field = CRM_FOLLOWUP_FIELD_NEXT_STEP;
  if (!check_free_text (self->next_step, field, &next_step, error))
    goto failed;
  if (*notes == '\0' && *next_step == '\0')
    {
      field = CRM_FOLLOWUP_FIELD_NOTES;
      message = _("Write what was said, or the next step");
      goto required;
    }
  if (*next_step != '\0' && self->next_at == NULL)
    {
      field = CRM_FOLLOWUP_FIELD_NEXT_AT;
      message = _("A next step needs its date and time");
      goto required;
    }
  field = CRM_FOLLOWUP_FIELD_NEXT_AT;
  if (self->next_at != NULL && !check_time (self->next_at, &next_at, error))
    goto failed;
  if (next_at != NULL && *next_step == '\0')
    {
      field = CRM_FOLLOWUP_FIELD_NEXT_STEP;
      message = _("Say what the next step is, or clear its date");
      goto required;
    }

  /* most are kept as they are: not copied again */
  if (!g_str_equal (happened_at, self->happened_at))
    set_text (&self->happened_at, happened_at);
  if (!g_str_equal (notes, self->notes))
    set_text (&self->notes, notes);
  if (!g_str_equal (next_step, self->next_step))
    set_text (&self->next_step, next_step);
  if (g_strcmp0 (next_at, self->next_at) != 0)
    set_nullable (&self->next_at, next_at);
  return TRUE;

required:
  g_set_error_literal (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED, message);
failed:
  if (failed_field)
    *failed_field = field;
  return FALSE;
}

/* The start of the day @days after @now's, in @now's time zone. */
static GDateTime *
day_start (GDateTime *now,
           int        days)
{
  g_autoptr (GDateTime) midnight = g_date_time_new (g_date_time_get_timezone (now),
                                                    g_date_time_get_year (now),
                                                    g_date_time_get_month (now),
                                                    g_date_time_get_day_of_month (now),
                                                    0, 0, 0);

  return g_date_time_add_days (midnight, days);
}

/**
 * crm_followup_due_bucket:
 * @next_at_utc: (nullable): when the next step is due
 * @done_at_utc: (nullable): when it was done; "" or %NULL when not
 * @now_local: now, in the time zone whose days count
 *
 * Returns: where a next step goes in Today: overdue before the start of
 *   today, today until midnight, this week for the 7 days after today,
 *   later after that; none without a next step (or an unreadable one) or
 *   once it is done.
 */
CrmFollowupDue
crm_followup_due_bucket (const char *next_at_utc,
                         const char *done_at_utc,
                         GDateTime  *now_local)
{
  g_autoptr (GDateTime) next = NULL;
  g_autoptr (GDateTime) today = NULL;
  g_autoptr (GDateTime) tomorrow = NULL;
  g_autoptr (GDateTime) week_end = NULL;

  g_return_val_if_fail (now_local != NULL, CRM_FOLLOWUP_DUE_NONE);

  if (done_at_utc != NULL && *done_at_utc != '\0')
    return CRM_FOLLOWUP_DUE_NONE;
  next = parse_time (next_at_utc);
  if (next == NULL)
    return CRM_FOLLOWUP_DUE_NONE;

  today = day_start (now_local, 0);
  tomorrow = day_start (now_local, 1);
  week_end = day_start (now_local, 8);
  if (g_date_time_compare (next, today) < 0)
    return CRM_FOLLOWUP_DUE_OVERDUE;
  if (g_date_time_compare (next, tomorrow) < 0)
    return CRM_FOLLOWUP_DUE_TODAY;
  if (g_date_time_compare (next, week_end) < 0)
    return CRM_FOLLOWUP_DUE_THIS_WEEK;
  return CRM_FOLLOWUP_DUE_LATER;
}

/**
 * crm_followup_reminder_time:
 *
 * Returns: (transfer full) (nullable): when the reminder fires, in UTC:
 *   the next step's time, or the snooze when it is later; %NULL when the
 *   step is done or there is none.
 */
GDateTime *
crm_followup_reminder_time (CrmFollowup *self)
{
  g_autoptr (GDateTime) next = NULL;
  g_autoptr (GDateTime) snoozed = NULL;

  g_return_val_if_fail (CRM_IS_FOLLOWUP (self), NULL);

  if (self->done_at != NULL)
    return NULL;
  next = parse_time (self->next_at);
  if (next == NULL)
    return NULL;
  snoozed = parse_time (self->snoozed_until);
  if (snoozed != NULL && g_date_time_compare (snoozed, next) > 0)
    return g_date_time_to_utc (snoozed);
  return g_date_time_to_utc (next);
}

gint64
_crm_followup_get_rowid (CrmFollowup *self)
{
  return self->rowid;
}

/* @id NULL keeps the follow-up's own. */
void
_crm_followup_set_stored (CrmFollowup *self,
                          gint64       rowid,
                          const char  *id)
{
  self->rowid = rowid;
  if (id != NULL && id != self->id)
    {
      g_free (self->id);
      self->id = g_strdup (id);
    }
}

/* What the store keeps beside the editable fields; done_at and
 * snoozed_until may be NULL or "" for none. */
void
_crm_followup_set_row (CrmFollowup *self,
                       const char  *contact_name,
                       const char  *deal_title,
                       const char  *done_at,
                       const char  *snoozed_until,
                       const char  *created_at,
                       const char  *updated_at)
{
  set_text (&self->contact_name, contact_name);
  set_text (&self->deal_title, deal_title);
  set_nullable (&self->done_at, done_at);
  set_nullable (&self->snoozed_until, snoozed_until);
  set_text (&self->created_at, created_at);
  set_text (&self->updated_at, updated_at);
}

/* The current time as the follow-ups keep it: UTC, whole seconds. */
char *
_crm_followup_now_utc (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return format_utc (now);
}
