/* crm-validate.c — checks on what a person types into a contact or a deal
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each check takes the text as typed and, when it is acceptable, hands back
 * the form the store keeps: trimmed, and for phone numbers in one canonical
 * shape (13812345678, 010-12345678, 021-61234567-8001, +16502530000; see
 * crm-phone.c), so that a duplicate is found however it was typed and a
 * search for the last digits finds it. Empty optional fields are valid.
 *
 * Every check is a fixed point: what it hands back, it accepts again and
 * hands back unchanged, as every save checks every field again. Text that is
 * not UTF-8 or is far too long is refused at the entry of each check, before
 * any parsing.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-phone.h"
#include "crm-validate.h"

G_DEFINE_QUARK (crm-validate-error-quark, crm_validate_error)

static char *
trimmed (const char *text)
{
  return g_strstrip (g_strdup (text ? text : ""));
}

static void
set_too_long (GError **error,
              guint    max_length)
{
  g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too long: at most %u character",
                            "Too long: at most %u characters", max_length),
               max_length);
}

/* The gate every check passes first: @text is UTF-8, and not longer than
 * @max_length characters once trimmed. A huge paste is refused by its byte
 * length alone, before it is even decoded. */
static gboolean
check_text (const char  *text,
            guint        max_length,
            GError     **error)
{
  gsize limit = (gsize)max_length * 4 + 64;
  gsize len = strnlen (text, 4 * limit + 1);

  if (len > 4 * limit)
    {
      set_too_long (error, max_length);
      return FALSE;
    }
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT,
                   _("The text is not valid UTF-8"));
      return FALSE;
    }
  /* no more bytes than characters allowed: nothing to count */
  if (len > max_length + 16
      && (len > limit || (guint)g_utf8_strlen (text, len) > max_length + 16))
    {
      g_autofree char *trimmed_text = trimmed (text);

      if ((guint)g_utf8_strlen (trimmed_text, -1) > max_length)
        {
          set_too_long (error, max_length);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
is_email_local_char (gunichar c)
{
  return g_unichar_isalnum (c) || (c < 0x80 && strchr ("!#$%&'*+/=?^_`{|}~.-", (int)c));
}

/* The domain is lowered before it is checked, so that the form handed back
 * is the one that was checked: a capital whose small letter is not a letter
 * or digit (İ becomes i and a combining dot) is refused, not stored. */
static char *
normalize_email (const char *value)
{
  g_autofree char *domain = NULL;
  g_auto (GStrv) labels = NULL;
  const char *at;
  guint n_labels;

  at = strchr (value, '@');
  if (at == NULL || at == value || strchr (at + 1, '@') != NULL)
    return NULL;
  if (at - value > 64 || value[0] == '.' || at[-1] == '.' || strstr (value, "..") != NULL)
    return NULL;
  for (const char *p = value; p < at; p = g_utf8_next_char (p))
    if (!is_email_local_char (g_utf8_get_char (p)))
      return NULL;

  domain = g_utf8_strdown (at + 1, -1);
  labels = g_strsplit (domain, ".", -1);
  n_labels = g_strv_length (labels);
  if (n_labels < 2)
    return NULL;
  for (guint i = 0; i < n_labels; i++)
    {
      const char *label = labels[i];
      glong len = g_utf8_strlen (label, -1);

      if (len == 0 || len > 63 || label[0] == '-' || label[strlen (label) - 1] == '-')
        return NULL;
      for (const char *p = label; *p; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          if (!g_unichar_isalnum (c) && c != '-')
            return NULL;
        }
    }
  /* the top-level domain has letters only: "a@b.1" is a typo */
  for (const char *p = labels[n_labels - 1]; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isalpha (g_utf8_get_char (p)))
      return NULL;

  return g_strdup_printf ("%.*s@%s", (int)(at - value), value, domain);
}

/* E-mail, mobile and phone: "" or a form that normalises; hands back that
 * form. */
static gboolean
validate_formatted (CrmContactField   field,
                    const char       *text,
                    char            **normalized,
                    GError          **error)
{
  g_autofree char *value = trimmed (text);
  char *result = NULL;

  if (*value == '\0')
    result = g_steal_pointer (&value);
  else if (field == CRM_CONTACT_FIELD_EMAIL)
    result = normalize_email (value);
  else
    result = crm_phone_normalize (value, field == CRM_CONTACT_FIELD_MOBILE
                                         ? CRM_PHONE_KIND_MOBILE : CRM_PHONE_KIND_ANY);

  if (result == NULL && field == CRM_CONTACT_FIELD_EMAIL)
    g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_EMAIL,
                 _("Enter an e-mail address such as name@example.com"));
  else if (result == NULL && field == CRM_CONTACT_FIELD_MOBILE)
    g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_MOBILE,
                 _("Enter a mobile number: 11 digits starting with 13 to 19, "
                   "or an international number starting with +"));
  else if (result == NULL)
    g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_PHONE,
                 _("Enter a phone number with its area code, such as 010-62345678 or "
                   "021-61234567-8001, a mobile number, a service number such as "
                   "400-123-4567 or 95588, or an international number starting with +"));
  if (result == NULL)
    return FALSE;

  if (normalized)
    *normalized = result;
  else
    g_free (result);
  return TRUE;
}

gboolean
crm_validate_email (const char  *text,
                    char       **normalized,
                    GError     **error)
{
  return crm_validate_field (CRM_CONTACT_FIELD_EMAIL, text, normalized, error);
}

gboolean
crm_validate_mobile (const char  *text,
                     char       **normalized,
                     GError     **error)
{
  return crm_validate_field (CRM_CONTACT_FIELD_MOBILE, text, normalized, error);
}

gboolean
crm_validate_phone (const char  *text,
                    char       **normalized,
                    GError     **error)
{
  return crm_validate_field (CRM_CONTACT_FIELD_PHONE, text, normalized, error);
}

/* Free text, after check_text(): one line, or with @multi_line line breaks
 * and tabs too, but no other control character (Cc: U+0000 to U+001F and
 * U+007F to U+009F), and at most @max_length characters once trimmed;
 * hands back the trimmed form. One pass over the text, without a copy
 * unless @normalized is wanted: every deal of an import passes here. */
static gboolean
validate_plain (const char  *text,
                guint        max_length,
                gboolean     multi_line,
                char       **normalized,
                GError     **error)
{
  const char *start = text;
  const char *end;
  guint n_chars = 0;

  while (g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  /* by bytes (the text is valid UTF-8): C1 controls are C2 80 to C2 9F */
  for (const guchar *p = (const guchar *)start; p < (const guchar *)end; p++)
    {
      if ((*p & 0xc0) != 0x80)
        n_chars++;
      if ((*p < 0x20 && !(multi_line && (*p == '\n' || *p == '\t')))
          || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0))
        {
          g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT,
                       _("The text holds control characters"));
          return FALSE;
        }
    }
  if (n_chars > max_length)
    {
      set_too_long (error, max_length);
      return FALSE;
    }
  if (normalized)
    *normalized = g_strndup (start, end - start);
  return TRUE;
}

/**
 * crm_validate_field:
 * @field: which field
 * @text: what was typed
 * @normalized: (out) (optional): the form to store
 * @error: the reason, for the person, when it is not acceptable
 *
 * Returns: whether @text may be saved in @field.
 */
gboolean
crm_validate_field (CrmContactField   field,
                    const char       *text,
                    char            **normalized,
                    GError          **error)
{
  g_autofree char *value = NULL;
  guint max_length;
  gboolean ok = TRUE;

  g_return_val_if_fail (field < CRM_CONTACT_N_FIELDS, FALSE);

  if (text == NULL)
    text = "";
  max_length = crm_contact_field_get_max_length (field);
  if (!check_text (text, max_length, error))
    return FALSE;

  switch (field)
    {
    case CRM_CONTACT_FIELD_EMAIL:
    case CRM_CONTACT_FIELD_MOBILE:
    case CRM_CONTACT_FIELD_PHONE:
      ok = validate_formatted (field, text, &value, error);
      /* on the form that is kept: lowering a domain may lengthen it
       * (validate_plain() counts what it keeps) */
      if (ok && (guint)g_utf8_strlen (value, -1) > max_length)
        {
          set_too_long (error, max_length);
          return FALSE;
        }
      break;
    case CRM_CONTACT_FIELD_NOTES:
    case CRM_CONTACT_FIELD_ADDRESS:
      ok = validate_plain (text, max_length, TRUE, &value, error);
      break;
    case CRM_CONTACT_FIELD_NAME:
    case CRM_CONTACT_FIELD_COMPANY:
    case CRM_CONTACT_FIELD_TITLE:
    case CRM_CONTACT_FIELD_WECHAT:
    case CRM_CONTACT_FIELD_TAGS:
    case CRM_CONTACT_FIELD_OWNER:
    case CRM_CONTACT_N_FIELDS:
    default:
      ok = validate_plain (text, max_length, FALSE, &value, error);
      break;
    }
  if (!ok)
    return FALSE;

  if (field == CRM_CONTACT_FIELD_NAME && *value == '\0')
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED,
                   _("A contact needs a name"));
      return FALSE;
    }
  if (normalized)
    *normalized = g_steal_pointer (&value);
  return TRUE;
}

/**
 * crm_validate_contact:
 * @contact: a contact about to be saved; its fields are replaced by their
 *   normalised forms when all are valid
 * @failed_field: (out) (optional): the first field that is not valid
 *
 * Returns: whether the contact may be saved.
 */
gboolean
crm_validate_contact (CrmContact      *contact,
                      CrmContactField *failed_field,
                      GError         **error)
{
  char *normalized[CRM_CONTACT_N_FIELDS] = { NULL, };

  g_return_val_if_fail (CRM_IS_CONTACT (contact), FALSE);

  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    {
      if (!crm_validate_field (i, crm_contact_get_field (contact, i), &normalized[i], error))
        {
          if (failed_field)
            *failed_field = i;
          for (guint j = 0; j < i; j++)
            g_free (normalized[j]);
          return FALSE;
        }
    }
  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    {
      crm_contact_set_field (contact, i, normalized[i]);
      g_free (normalized[i]);
    }
  return TRUE;
}

/* The deal's text @field as the rules read it: at most its length, with
 * line breaks only in the notes; the trimmed form in @normalized. */
static gboolean
validate_deal_text (const char    *text,
                    CrmDealField   field,
                    char         **normalized,
                    GError       **error)
{
  guint max_length = crm_deal_field_get_max_length (field);

  return check_text (text, max_length, error)
         && validate_plain (text, max_length, field == CRM_DEAL_FIELD_NOTES, normalized, error);
}

static gboolean
validate_deal_title (CrmDeal  *deal,
                     char    **normalized,
                     GError  **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *title = NULL;

  if (!validate_deal_text (crm_deal_get_title (deal), CRM_DEAL_FIELD_TITLE, &title,
                           &local_error))
    {
      if (g_error_matches (local_error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG))
        g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG,
                     _("A title can have at most 200 characters"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (*title == '\0')
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED,
                   _("A deal needs a title"));
      return FALSE;
    }
  if (normalized)
    *normalized = g_steal_pointer (&title);
  return TRUE;
}

static gboolean
validate_deal_close (CrmDeal  *deal,
                     char    **normalized,
                     GError  **error)
{
  g_autoptr (GError) local_error = NULL;

  if (crm_deal_parse_date (crm_deal_get_expected_close (deal), normalized, &local_error))
    return TRUE;
  g_set_error_literal (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_DATE,
                       local_error->message);
  return FALSE;
}

static gboolean
validate_deal_reason (CrmDeal  *deal,
                      char    **normalized,
                      GError  **error)
{
  g_autofree char *reason = NULL;

  if (!validate_deal_text (crm_deal_get_lost_reason (deal), CRM_DEAL_FIELD_LOST_REASON,
                           &reason, error))
    return FALSE;
  if (crm_deal_get_stage (deal) == CRM_DEAL_LOST && *reason == '\0')
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED,
                   _("Say why the deal was lost"));
      return FALSE;
    }
  if (normalized)
    *normalized = g_steal_pointer (&reason);
  return TRUE;
}

/* One rule of crm_validate_deal(); the form to keep in @normalized for
 * the fields it normalises (title, expected close and lost reason). */
static gboolean
validate_deal_field (CrmDeal       *deal,
                     CrmDealField   field,
                     char         **normalized,
                     GError       **error)
{
  int probability = crm_deal_get_probability (deal);

  switch (field)
    {
    case CRM_DEAL_FIELD_TITLE:
      return validate_deal_title (deal, normalized, error);
    case CRM_DEAL_FIELD_AMOUNT:
      /* gint64 fen: crm_money_parse() refuses anything larger */
      if (crm_deal_get_amount (deal) >= 0)
        return TRUE;
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_OUT_OF_RANGE,
                   _("The amount of a deal cannot be negative"));
      return FALSE;
    case CRM_DEAL_FIELD_STAGE:
      if ((guint)crm_deal_get_stage (deal) < CRM_DEAL_N_STAGES)
        return TRUE;
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_OUT_OF_RANGE,
                   _("Choose one of the stages"));
      return FALSE;
    case CRM_DEAL_FIELD_PROBABILITY:
      if (probability >= 0 && probability <= 100)
        return TRUE;
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_OUT_OF_RANGE,
                   _("The probability is a percentage from 0 to 100"));
      return FALSE;
    case CRM_DEAL_FIELD_EXPECTED_CLOSE:
      return validate_deal_close (deal, normalized, error);
    case CRM_DEAL_FIELD_LOST_REASON:
      return validate_deal_reason (deal, normalized, error);
    case CRM_DEAL_FIELD_NOTES:
      return validate_deal_text (crm_deal_get_notes (deal), field, NULL, error);
    case CRM_DEAL_FIELD_CONTACT:   /* the store finds it, or says it is gone */
    case CRM_DEAL_N_FIELDS:
    default:
      return TRUE;
    }
}

/**
 * crm_validate_deal_field:
 * @deal: a deal about to be saved
 * @field: the rule to check
 * @error: the reason, for the person, in %CRM_VALIDATE_ERROR
 *
 * What the editor checks to show each message beside its own field.
 *
 * Returns: whether @field of @deal may be saved.
 */
gboolean
crm_validate_deal_field (CrmDeal       *deal,
                         CrmDealField   field,
                         GError       **error)
{
  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);
  g_return_val_if_fail (field < CRM_DEAL_N_FIELDS, FALSE);

  return validate_deal_field (deal, field, NULL, error);
}

/**
 * crm_validate_deal:
 * @deal: a deal about to be saved; when it passes, its title and lost
 *   reason are trimmed and its expected close becomes "YYYY-MM-DD" (or "")
 * @failed_field: (out) (optional): the first field, in #CrmDealField
 *   order, that does not pass
 * @error: the reason, for the person, in %CRM_VALIDATE_ERROR
 *
 * The rules every deal passes before it is stored, whoever writes it (the
 * editor, the store, an import, sync): a title of 1 to 200 characters, an
 * amount of at least 0 fen, one of the stages, a probability from 0 to
 * 100, an expected close that is a day or none, the reason of a lost deal
 * (at most 500 characters) and notes of at most 20,000 characters; all
 * text UTF-8 without control characters (the notes may hold line breaks
 * and tabs). Text far over its limit is refused by its length in bytes,
 * before it is read.
 *
 * Returns: whether @deal may be saved.
 */
gboolean
crm_validate_deal (CrmDeal       *deal,
                   CrmDealField  *failed_field,
                   GError       **error)
{
  g_autofree char *title = NULL;
  g_autofree char *close = NULL;
  g_autofree char *reason = NULL;
  char **normalized[CRM_DEAL_N_FIELDS] = {
    [CRM_DEAL_FIELD_TITLE] = &title,
    [CRM_DEAL_FIELD_EXPECTED_CLOSE] = &close,
    [CRM_DEAL_FIELD_LOST_REASON] = &reason,
  };

  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);

  for (guint i = 0; i < CRM_DEAL_N_FIELDS; i++)
    if (!validate_deal_field (deal, i, normalized[i], error))
      {
        if (failed_field)
          *failed_field = i;
        return FALSE;
      }
  /* most are kept as they are: not copied again */
  if (!g_str_equal (title, crm_deal_get_title (deal)))
    crm_deal_set_title (deal, title);
  if (!g_str_equal (close, crm_deal_get_expected_close (deal)))
    crm_deal_set_expected_close (deal, close);
  if (!g_str_equal (reason, crm_deal_get_lost_reason (deal)))
    crm_deal_set_lost_reason (deal, reason);
  return TRUE;
}
