/* crm-validate.c — checks on what a person types into a contact
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
  if (len > limit || (guint)g_utf8_strlen (text, len) > max_length + 16)
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

static gboolean
validate_email (const char  *text,
                char       **normalized,
                GError     **error)
{
  g_autofree char *value = trimmed (text);
  char *result;

  if (*value == '\0')
    result = g_steal_pointer (&value);
  else if ((result = normalize_email (value)) == NULL)
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_EMAIL,
                   _("Enter an e-mail address such as name@example.com"));
      return FALSE;
    }

  if (normalized)
    *normalized = result;
  else
    g_free (result);
  return TRUE;
}

static gboolean
validate_mobile (const char  *text,
                 char       **normalized,
                 GError     **error)
{
  g_autofree char *value = trimmed (text);
  char *result;

  if (*value == '\0')
    result = g_steal_pointer (&value);
  else if ((result = crm_phone_normalize (value, CRM_PHONE_KIND_MOBILE)) == NULL)
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_MOBILE,
                   _("Enter a mobile number: 11 digits starting with 13 to 19, "
                     "or an international number starting with +"));
      return FALSE;
    }

  if (normalized)
    *normalized = result;
  else
    g_free (result);
  return TRUE;
}

static gboolean
validate_phone (const char  *text,
                char       **normalized,
                GError     **error)
{
  g_autofree char *value = trimmed (text);
  char *result;

  if (*value == '\0')
    result = g_steal_pointer (&value);
  else if ((result = crm_phone_normalize (value, CRM_PHONE_KIND_ANY)) == NULL)
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_PHONE,
                   _("Enter a phone number with its area code, such as 010-62345678 or "
                     "021-61234567-8001, a mobile number, a service number such as "
                     "400-123-4567 or 95588, or an international number starting with +"));
      return FALSE;
    }

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

static gboolean
has_control_chars (const char *text,
                   gboolean    multi_line)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (multi_line && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c))
        return TRUE;
    }
  return FALSE;
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
  g_autoptr (GError) local_error = NULL;
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
      ok = validate_email (text, &value, &local_error);
      break;
    case CRM_CONTACT_FIELD_MOBILE:
      ok = validate_mobile (text, &value, &local_error);
      break;
    case CRM_CONTACT_FIELD_PHONE:
      ok = validate_phone (text, &value, &local_error);
      break;
    case CRM_CONTACT_FIELD_NOTES:
    case CRM_CONTACT_FIELD_ADDRESS:
      value = g_strstrip (g_strdup (text));
      if (has_control_chars (value, TRUE))
        goto control;
      break;
    case CRM_CONTACT_FIELD_NAME:
    case CRM_CONTACT_FIELD_COMPANY:
    case CRM_CONTACT_FIELD_TITLE:
    case CRM_CONTACT_FIELD_WECHAT:
    case CRM_CONTACT_FIELD_TAGS:
    case CRM_CONTACT_FIELD_OWNER:
    case CRM_CONTACT_N_FIELDS:
    default:
      value = trimmed (text);
      if (has_control_chars (value, FALSE))
        goto control;
      break;
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (field == CRM_CONTACT_FIELD_NAME && *value == '\0')
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED,
                   _("A contact needs a name"));
      return FALSE;
    }
  /* on the form that is kept: lowering a domain may lengthen it */
  if ((guint)g_utf8_strlen (value, -1) > max_length)
    {
      set_too_long (error, max_length);
      return FALSE;
    }

  if (normalized)
    *normalized = g_steal_pointer (&value);
  return TRUE;

control:
  g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT,
               _("The text holds control characters"));
  return FALSE;
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
