/* crm-uscc.c — the unified social credit code (统一社会信用代码)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GB 32100-2015: 18 characters from 0-9 and A-Z without I, O, S, V and Z.
 * The 18th is a check character: charset[(31 - Σ value(c_i)·w_i mod 31)
 * mod 31] with w_i = 3^(i-1) mod 31. Characters 9 to 17 are an
 * organisation code (GB 11714) with its own check character: weights
 * 3 7 9 10 5 8 4 2 on the first eight, 11 - Σ mod 11, 10 written X and 11
 * written 0.
 *
 * A wrong length or character is an error. A failed check is only a
 * warning: some early codes really issued fail it (91350100M0001TGQXM).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-uscc.h"

G_DEFINE_QUARK (crm-uscc-error-quark, crm_uscc_error)

static const char charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/**
 * crm_uscc_normalize:
 *
 * Returns: (transfer full): @text in upper case, without spaces, full-width
 *   letters and digits made narrow.
 */
char *
crm_uscc_normalize (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar)-1 || c == (gunichar)-2)
        break;
      if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFEE0;
      if (g_unichar_isspace (c) || c == '-')
        continue;
      if (c < 0x80)
        g_string_append_c (out, g_ascii_toupper (c));
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static int
org_value (char c)
{
  return g_ascii_isdigit (c) ? c - '0' : c - 'A' + 10;
}

/**
 * crm_uscc_validate:
 * @normalized: (out) (optional): the code as it is to be kept
 * @checks_pass: (out) (optional): whether both check characters match
 *
 * Returns: %FALSE with @error set when @text cannot be a code at all.
 */
gboolean
crm_uscc_validate (const char  *text,
                   char       **normalized,
                   gboolean    *checks_pass,
                   GError     **error)
{
  static const int org_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
  g_autofree char *code = crm_uscc_normalize (text);
  glong length = g_utf8_strlen (code, -1);
  int sum = 0;
  int weight = 1;
  int org_sum = 0;
  int org_check;
  char expected_org;

  if (length == 0)
    {
      g_set_error_literal (error, CRM_USCC_ERROR, CRM_USCC_ERROR_EMPTY,
                           _("Enter the unified social credit code from the business license"));
      return FALSE;
    }
  for (const char *p = code; *p; p = g_utf8_next_char (p))
    if (*p == '\0' || (guchar)*p >= 0x80 || strchr (charset, *p) == NULL)
      {
        gunichar c = g_utf8_get_char (p);
        char utf8[7] = { 0, };

        g_unichar_to_utf8 (c, utf8);
        g_set_error (error, CRM_USCC_ERROR, CRM_USCC_ERROR_CHARACTER,
                     _("“%s” cannot appear in a unified social credit code: it uses the "
                       "digits and the capital letters except I, O, S, V and Z"), utf8);
        return FALSE;
      }
  if (length != 18)
    {
      g_set_error (error, CRM_USCC_ERROR, CRM_USCC_ERROR_LENGTH,
                   _("A unified social credit code has 18 characters; this one has %ld"),
                   length);
      return FALSE;
    }

  for (int i = 0; i < 17; i++)
    {
      sum += (int)(strchr (charset, code[i]) - charset) * weight;
      weight = weight * 3 % 31;
    }
  for (int i = 0; i < 8; i++)
    org_sum += org_value (code[8 + i]) * org_weights[i];
  org_check = 11 - org_sum % 11;
  expected_org = org_check == 10 ? 'X' : org_check == 11 ? '0' : '0' + org_check;

  if (checks_pass)
    *checks_pass = code[17] == charset[(31 - sum % 31) % 31] && code[16] == expected_org;
  if (normalized)
    *normalized = g_steal_pointer (&code);
  return TRUE;
}
