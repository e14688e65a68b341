/* crm-uscc.c — the unified social credit code (统一社会信用代码)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GB 32100-2015: 18 characters from 0-9 and A-Z without I, O, S, V and Z.
 *
 *   1      the registration authority (登记管理部门): 1–9, A, N or Y
 *   2      the type of organisation (机构类别), whose values depend on 1
 *   3–8    the administrative division of the registering office (GB/T 2260):
 *          six digits, a province prefix (11–15, 21–23, 31–37, 41–46, 50–54,
 *          61–65, 71, 81, 82) or 100000 for the central level
 *   9–17   the organisation code (GB 11714) with its own check character:
 *          weights 3 7 9 10 5 8 4 2 on the first eight, 11 - Σ mod 11, 10
 *          written X and 11 written 0
 *   18     the check character: charset[(31 - Σ value(c_i)·w_i mod 31) mod 31]
 *          with w_i = 3^(i-1) mod 31
 *
 * A wrong length, character or structure is an error. A failed check is
 * only a warning: some early codes really issued fail it
 * (91350100M0001TGQXM).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-uscc.h"

G_DEFINE_QUARK (crm-uscc-error-quark, crm_uscc_error)

/* No code, even written in full width with blanks between the characters,
 * comes near this many bytes: longer input is refused before it is read. */
#define MAX_INPUT_BYTES 256

static const char charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* GB 32100-2015, table 1: the types of organisation each registration
 * authority gives. */
static const struct {
  char        authority;
  const char *types;
} authorities[] = {
  { '1', "1239" },    /* 机构编制: 机关, 事业单位, 群众团体, 其他 */
  { '2', "19" },      /* 外交: 外国常驻新闻机构, 其他 */
  { '3', "123459" },  /* 司法行政: 律师事务所, 公证处, 法律服务所, 司法鉴定, 仲裁委 */
  { '4', "19" },      /* 文化: 外国在华文化中心, 其他 */
  { '5', "1239" },    /* 民政: 社会团体, 民办非企业单位, 基金会, 其他 */
  { '6', "129" },     /* 旅游: 外国及港澳台旅游部门常驻代表机构, 其他 */
  { '7', "129" },     /* 宗教: 宗教活动场所, 宗教院校, 其他 */
  { '8', "19" },      /* 工会: 基层工会, 其他 */
  { '9', "123" },     /* 工商: 企业, 个体工商户, 农民专业合作社 */
  { 'A', "19" },      /* 中央军委改革和编制办公室: 军队事业单位, 其他 */
  { 'N', "1239" },    /* 农业: 组级, 村级, 乡镇级集体经济组织, 其他 */
  { 'Y', "1" },       /* 其他 */
};

/* GB/T 2260: the provinces, autonomous regions and municipalities */
static const char provinces[][3] = {
  "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
  "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
  "65", "71", "81", "82",
};

/**
 * crm_uscc_normalize:
 *
 * Returns: (transfer full): @text in upper case, without spaces, full-width
 *   letters and digits made narrow. Reading stops at the first byte that is
 *   not UTF-8.
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
 * crm_uscc_check_character:
 * @body: the first 17 characters of a code (more are ignored)
 *
 * Returns: the 18th character GB 32100 gives @body, or '\0' when @body has
 *   fewer than 17 characters or one outside the code's character set.
 */
char
crm_uscc_check_character (const char *body)
{
  int sum = 0;
  int weight = 1;

  g_return_val_if_fail (body != NULL, '\0');

  for (int i = 0; i < 17; i++)
    {
      const char *found = body[i] != '\0' ? strchr (charset, body[i]) : NULL;

      if (found == NULL)
        return '\0';
      sum += (int)(found - charset) * weight;
      weight = weight * 3 % 31;
    }
  return charset[(31 - sum % 31) % 31];
}

static gboolean
region_is_valid (const char *region)
{
  for (int i = 0; i < 6; i++)
    if (!g_ascii_isdigit (region[i]))
      return FALSE;
  if (strncmp (region, "100000", 6) == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (provinces); i++)
    if (strncmp (region, provinces[i], 2) == 0)
      return TRUE;
  return FALSE;
}

/* Sets @error when @code (18 characters of the charset) does not have the
 * structure of GB 32100. */
static gboolean
check_structure (const char  *code,
                 GError     **error)
{
  const char *types = NULL;
  g_autofree char *region = g_strndup (code + 2, 6);

  for (guint i = 0; i < G_N_ELEMENTS (authorities); i++)
    if (code[0] == authorities[i].authority)
      types = authorities[i].types;
  if (types == NULL)
    {
      g_set_error (error, CRM_USCC_ERROR, CRM_USCC_ERROR_AUTHORITY,
                   _("The first character of a unified social credit code is the "
                     "registration authority: 1 to 9, A, N or Y, not “%c”"), code[0]);
      return FALSE;
    }
  if (strchr (types, code[1]) == NULL)
    {
      g_autoptr (GString) list = g_string_new (NULL);

      for (const char *t = types; *t; t++)
        g_string_append_printf (list, "%s%c", t == types ? "" : ", ", *t);
      g_set_error (error, CRM_USCC_ERROR, CRM_USCC_ERROR_TYPE,
                   _("The second character of a unified social credit code is the type of "
                     "organisation: after “%c” it is one of %s, not “%c”"),
                   code[0], list->str, code[1]);
      return FALSE;
    }
  if (!region_is_valid (region))
    {
      g_set_error (error, CRM_USCC_ERROR, CRM_USCC_ERROR_REGION,
                   _("Characters 3–8 of a unified social credit code must be a region code, "
                     "six digits such as 110000 or 440300; “%s” is not one"), region);
      return FALSE;
    }
  return TRUE;
}

/**
 * crm_uscc_validate:
 * @normalized: (out) (optional): the code as it is to be kept
 * @checks_pass: (out) (optional): whether both check characters match
 *
 * Returns: %FALSE with @error set when @text cannot be a code at all: not
 *   UTF-8, a wrong length or character, or not the structure of GB 32100.
 */
gboolean
crm_uscc_validate (const char  *text,
                   char       **normalized,
                   gboolean    *checks_pass,
                   GError     **error)
{
  static const int org_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
  g_autofree char *code = NULL;
  gsize n_bytes = text != NULL ? strnlen (text, MAX_INPUT_BYTES + 1) : 0;
  glong length;
  int org_sum = 0;
  int org_check;
  char expected_org;

  if (n_bytes > MAX_INPUT_BYTES)
    {
      g_set_error_literal (error, CRM_USCC_ERROR, CRM_USCC_ERROR_LENGTH,
                           _("This is far too long for a unified social credit code, "
                             "which has 18 characters"));
      return FALSE;
    }
  if (text != NULL && !g_utf8_validate_len (text, n_bytes, NULL))
    {
      g_set_error_literal (error, CRM_USCC_ERROR, CRM_USCC_ERROR_ENCODING,
                           _("The unified social credit code contains bytes that are not "
                             "text (not UTF-8)"));
      return FALSE;
    }

  code = crm_uscc_normalize (text);
  length = g_utf8_strlen (code, -1);
  if (length == 0)
    {
      g_set_error_literal (error, CRM_USCC_ERROR, CRM_USCC_ERROR_EMPTY,
                           _("Enter the unified social credit code from the business license"));
      return FALSE;
    }
  for (const char *p = code; *p; p = g_utf8_next_char (p))
    if ((guchar)*p >= 0x80 || strchr (charset, *p) == NULL)
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
  if (!check_structure (code, error))
    return FALSE;

  for (int i = 0; i < 8; i++)
    org_sum += org_value (code[8 + i]) * org_weights[i];
  org_check = 11 - org_sum % 11;
  expected_org = org_check == 10 ? 'X' : org_check == 11 ? '0' : '0' + org_check;

  if (checks_pass)
    *checks_pass = code[17] == crm_uscc_check_character (code) && code[16] == expected_org;
  if (normalized)
    *normalized = g_steal_pointer (&code);
  return TRUE;
}
