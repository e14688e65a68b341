/* crm-validate.c — checks on what a person types into a contact
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each check takes the text as typed and, when it is acceptable, hands back
 * the form the store keeps: trimmed, and for phone numbers in one canonical
 * shape (13812345678, 010-12345678, +16502530000), so that a duplicate is
 * found however it was typed and a search for the last digits finds it.
 * Empty optional fields are valid.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook-contacts/libebook-contacts.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "crm-validate.h"

G_DEFINE_QUARK (crm-validate-error-quark, crm_validate_error)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EPhoneNumber, e_phone_number_free)

static char *
trimmed (const char *text)
{
  return g_strstrip (g_strdup (text ? text : ""));
}

static gboolean
is_email_local_char (gunichar c)
{
  return g_unichar_isalnum (c) || (c < 0x80 && strchr ("!#$%&'*+/=?^_`{|}~.-", (int)c));
}

gboolean
crm_validate_email (const char  *text,
                    char       **normalized,
                    GError     **error)
{
  g_autofree char *value = trimmed (text);
  g_autofree char *domain_lower = NULL;
  const char *at;
  const char *domain;
  g_auto (GStrv) labels = NULL;
  guint n_labels;

  if (*value == '\0')
    goto valid;

  at = strchr (value, '@');
  if (at == NULL || at == value || strchr (at + 1, '@') != NULL)
    goto invalid;
  if (at - value > 64 || value[0] == '.' || at[-1] == '.' || strstr (value, "..") != NULL)
    goto invalid;
  for (const char *p = value; p < at; p = g_utf8_next_char (p))
    if (!is_email_local_char (g_utf8_get_char (p)))
      goto invalid;

  domain = at + 1;
  labels = g_strsplit (domain, ".", -1);
  n_labels = g_strv_length (labels);
  if (n_labels < 2)
    goto invalid;
  for (guint i = 0; i < n_labels; i++)
    {
      const char *label = labels[i];
      glong len = g_utf8_strlen (label, -1);

      if (len == 0 || len > 63 || label[0] == '-' || label[strlen (label) - 1] == '-')
        goto invalid;
      for (const char *p = label; *p; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          if (!g_unichar_isalnum (c) && c != '-')
            goto invalid;
        }
    }
  /* the top-level domain has letters only: "a@b.1" is a typo */
  for (const char *p = labels[n_labels - 1]; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isalpha (g_utf8_get_char (p)))
      goto invalid;

  domain_lower = g_utf8_strdown (domain, -1);
  {
    g_autofree char *local = g_strndup (value, at - value);
    g_free (value);
    value = g_strconcat (local, "@", domain_lower, NULL);
  }

valid:
  if (normalized)
    *normalized = g_steal_pointer (&value);
  return TRUE;

invalid:
  g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_EMAIL,
               _("Enter an e-mail address such as name@example.com"));
  return FALSE;
}

/* Keeps the digits of @text, noting a leading "+" or "00"; returns NULL when
 * it holds anything but digits, spaces, hyphens, dots and brackets. */
static char *
phone_digits (const char *text,
              gboolean   *international,
              char      **extension)
{
  g_autoptr (GString) digits = g_string_new (NULL);
  const char *p = text;

  *international = FALSE;
  *extension = NULL;
  if (*p == '+' || g_str_has_prefix (p, "\xef\xbc\x8b")) /* + or full-width ＋ */
    {
      *international = TRUE;
      p += *p == '+' ? 1 : 3;
    }
  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')')
        continue;
      else if ((*p == '#' || *p == 'x' || *p == 'X' || *p == ',' || *p == ';')
               && digits->len > 0)
        {
          /* an extension: 010-12345678-801 is handled by the caller; here
           * only "#801", "x801" */
          const char *ext = p + 1;
          while (*ext == ' ')
            ext++;
          if (*ext == '\0')
            return NULL;
          for (const char *q = ext; *q; q++)
            if (!g_ascii_isdigit (*q))
              return NULL;
          *extension = g_strdup (ext);
          break;
        }
      else
        return NULL;
    }
  if (!*international && g_str_has_prefix (digits->str, "00"))
    {
      *international = TRUE;
      g_string_erase (digits, 0, 2);
    }
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

static gboolean
is_cn_mobile (const char *digits)
{
  return strlen (digits) == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

/* Mainland area codes: 010 and 02x have two digits after the 0, the rest
 * three; the local number has 7 or 8 digits and does not start with 0. */
static char *
format_cn_landline (const char *national)
{
  guint area_len;
  const char *local;
  gsize local_len;

  if (national[0] == '1' && national[1] == '0')
    area_len = 2;
  else if (national[0] == '2')
    area_len = 2;
  else if (national[0] >= '3' && national[0] <= '9')
    area_len = 3;
  else
    return NULL;

  local = national + area_len;
  local_len = strlen (local);
  if (local_len < 7 || local_len > 8 || local[0] == '0')
    return NULL;
  return g_strdup_printf ("0%.*s-%s", area_len, national, local);
}

/* 400 and 800 service numbers: 400-123-4567 */
static char *
format_cn_service (const char *digits)
{
  if (strlen (digits) == 10 && (g_str_has_prefix (digits, "400") || g_str_has_prefix (digits, "800")))
    return g_strdup_printf ("%.3s-%.3s-%s", digits, digits + 3, digits + 6);
  return NULL;
}

/* A number with a country code other than 86: libebook-contacts
 * (libphonenumber) splits it; we accept 4 to 14 national digits, as E.164
 * allows 15 in all. */
static char *
format_international (const char *digits)
{
  g_autofree char *plus = g_strconcat ("+", digits, NULL);
  g_autoptr (EPhoneNumber) number = NULL;
  g_autofree char *national = NULL;
  gsize n;

  number = e_phone_number_from_string (plus, "CN", NULL);
  if (number == NULL)
    return NULL;
  national = e_phone_number_get_national_number (number);
  n = national ? strlen (national) : 0;
  if (n < 4 || n > 14 || strlen (digits) > 15)
    return NULL;
  return e_phone_number_to_string (number, E_PHONE_NUMBER_FORMAT_E164);
}

typedef enum { PHONE_MOBILE, PHONE_ANY } PhoneKind;

static char *
normalize_phone (const char *text,
                 PhoneKind   kind)
{
  g_autofree char *digits = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *result = NULL;
  gboolean international;
  const char *national;

  digits = phone_digits (text, &international, &extension);
  if (digits == NULL || *digits == '\0')
    return NULL;

  if (international && !g_str_has_prefix (digits, "86"))
    result = format_international (digits);
  else
    {
      national = international ? digits + 2 : digits;
      if (is_cn_mobile (national))
        result = g_strdup (national);
      else if (kind == PHONE_MOBILE)
        return NULL;
      else if (national[0] == '0')
        {
          result = format_cn_landline (national + 1);
          /* 010-12345678-801: the extension came as trailing digits */
          if (result == NULL && extension == NULL)
            {
              g_auto (GStrv) parts = g_strsplit (text, "-", -1);
              guint n_parts = g_strv_length (parts);

              if (n_parts == 3)
                {
                  g_autofree char *head = g_strconcat (parts[0], parts[1], NULL);
                  g_autofree char *head_digits = NULL;
                  g_autofree char *unused = NULL;
                  gboolean intl;

                  head_digits = phone_digits (head, &intl, &unused);
                  if (head_digits && !intl && head_digits[0] == '0')
                    {
                      result = format_cn_landline (head_digits + 1);
                      extension = g_strstrip (g_strdup (parts[2]));
                      for (const char *q = extension; *q; q++)
                        if (!g_ascii_isdigit (*q))
                          g_clear_pointer (&result, g_free);
                      if (*extension == '\0')
                        g_clear_pointer (&result, g_free);
                    }
                }
            }
        }
      else if (international) /* +86 drops the trunk 0: +86 10 12345678 */
        {
          result = format_cn_landline (national);
          if (result == NULL)
            result = format_cn_service (national);
        }
      else
        result = format_cn_service (national);
    }

  if (result == NULL)
    return NULL;
  if (extension != NULL)
    {
      if (kind == PHONE_MOBILE || strlen (extension) > 6)
        return NULL;
      return g_strconcat (result, "-", extension, NULL);
    }
  return g_steal_pointer (&result);
}

gboolean
crm_validate_mobile (const char  *text,
                     char       **normalized,
                     GError     **error)
{
  g_autofree char *value = trimmed (text);
  char *result;

  if (*value == '\0')
    result = g_steal_pointer (&value);
  else if ((result = normalize_phone (value, PHONE_MOBILE)) == NULL)
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

gboolean
crm_validate_phone (const char  *text,
                    char       **normalized,
                    GError     **error)
{
  g_autofree char *value = trimmed (text);
  char *result;

  if (*value == '\0')
    result = g_steal_pointer (&value);
  else if ((result = normalize_phone (value, PHONE_ANY)) == NULL)
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_PHONE,
                   _("Enter a phone number with its area code, such as 010-12345678, "
                     "a mobile number, or an international number starting with +"));
      return FALSE;
    }

  if (normalized)
    *normalized = result;
  else
    g_free (result);
  return TRUE;
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
  guint max_length;

  g_return_val_if_fail (field < CRM_CONTACT_N_FIELDS, FALSE);

  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_INVALID_TEXT,
                   _("The text is not valid UTF-8"));
      return FALSE;
    }

  /* check the length before any parsing, so a huge paste costs nothing */
  max_length = crm_contact_field_get_max_length (field);
  if (strlen (text) > (gsize)max_length * 4 + 64 || g_utf8_strlen (text, -1) > max_length + 16)
    {
      g_autofree char *trimmed_text = trimmed (text);
      if (g_utf8_strlen (trimmed_text, -1) > max_length)
        {
          g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Too long: at most %u character",
                                    "Too long: at most %u characters", max_length),
                       max_length);
          return FALSE;
        }
    }

  switch (field)
    {
    case CRM_CONTACT_FIELD_EMAIL:
      return crm_validate_email (text, normalized, error);
    case CRM_CONTACT_FIELD_MOBILE:
      return crm_validate_mobile (text, normalized, error);
    case CRM_CONTACT_FIELD_PHONE:
      return crm_validate_phone (text, normalized, error);
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

  if (field == CRM_CONTACT_FIELD_NAME && *value == '\0')
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED,
                   _("A contact needs a name"));
      return FALSE;
    }
  if ((guint)g_utf8_strlen (value, -1) > max_length)
    {
      g_set_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_TOO_LONG,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too long: at most %u character",
                                "Too long: at most %u characters", max_length),
                   max_length);
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
