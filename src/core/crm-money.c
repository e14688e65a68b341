/* crm-money.c — amounts as people type them, kept in fen
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accepted: 12345, 12,345.67, ¥12,345.67, ￥1,000, RMB 500, 12元, 1.2万,
 * 3亿, -50, full-width digits. Commas must group by three. The amount is
 * computed in integers: digits times a power of ten, checked for overflow,
 * so no amount ever passes through floating point. A fraction finer than a
 * fen (0.001, 1.0000001万) is refused rather than rounded.
 *
 * The importer and the sync server hand over bytes as they come: anything
 * that is not UTF-8, or far longer than any amount, is refused before it
 * is read.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-money.h"

G_DEFINE_QUARK (crm-money-error-quark, crm_money_error)

/* No amount as people write it, blanks included, comes near this */
#define MAX_INPUT_BYTES 256

static gboolean
invalid (GError **error)
{
  g_set_error_literal (error, CRM_MONEY_ERROR, CRM_MONEY_ERROR_INVALID,
                       _("Enter an amount such as 12345, 12,345.67, ¥12,345.67, 1.2万 or 3亿"));
  return FALSE;
}

/* full-width forms made narrow, spaces dropped; @text is valid UTF-8 */
static char *
narrow (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xFF01 && c <= 0xFF5E && c != 0xFFE5)
        c -= 0xFEE0;
      if (c == 0xFFE5) /* ￥ */
        c = 0xA5;
      if (g_unichar_isspace (c))
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * crm_money_parse:
 * @fen: (out): the amount in fen (0.01 yuan)
 *
 * Returns: whether @text is an amount; else @error says why, for the person.
 */
gboolean
crm_money_parse (const char  *text,
                 gint64      *fen,
                 GError     **error)
{
  g_autofree char *s = NULL;
  const char *p;
  const char *end;
  gboolean negative = FALSE;
  guint64 digits = 0;
  int decimals = -1;   /* digits after the point, -1 before it */
  int exponent = 2;    /* fen per unit: 10^2 for yuan */
  int group = -1;      /* digits since the last comma, -1 before any */
  int n_digits = 0;
  guint64 magnitude;

  g_return_val_if_fail (fen != NULL, FALSE);

  if (text != NULL && strnlen (text, MAX_INPUT_BYTES + 1) > MAX_INPUT_BYTES)
    {
      g_set_error_literal (error, CRM_MONEY_ERROR, CRM_MONEY_ERROR_TOO_LONG,
                           _("This is far too long for an amount"));
      return FALSE;
    }
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, CRM_MONEY_ERROR, CRM_MONEY_ERROR_ENCODING,
                           _("The amount contains bytes that are not text (not UTF-8)"));
      return FALSE;
    }

  s = narrow (text ? text : "");
  if (*s == '\0')
    {
      g_set_error_literal (error, CRM_MONEY_ERROR, CRM_MONEY_ERROR_EMPTY, _("Enter an amount"));
      return FALSE;
    }

  p = s;
  end = s + strlen (s);
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (g_str_has_prefix (p, "¥"))
    p += strlen ("¥");
  else if (g_ascii_strncasecmp (p, "RMB", 3) == 0 || g_ascii_strncasecmp (p, "CNY", 3) == 0)
    p += 3;
  if (!negative && *p == '-')
    {
      negative = TRUE;
      p++;
    }

  /* a unit at the end: 元, 万 (10^4), 亿 (10^8), 万元, 亿元 */
  if (g_str_has_suffix (p, "元"))
    {
      end -= strlen ("元");
      s[end - s] = '\0';
    }
  if (g_str_has_suffix (p, "万"))
    {
      end -= strlen ("万");
      exponent = 6;
    }
  else if (g_str_has_suffix (p, "亿"))
    {
      end -= strlen ("亿");
      exponent = 10;
    }

  for (; p < end; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (__builtin_mul_overflow (digits, 10, &digits)
              || __builtin_add_overflow (digits, (guint64)(*p - '0'), &digits))
            goto overflow;
          n_digits++;
          if (decimals >= 0)
            decimals++;
          else if (group >= 0)
            group++;
        }
      else if (*p == ',' && decimals < 0)
        {
          /* groups of three: 12,345,678 */
          if (n_digits == 0 || (group >= 0 && group != 3) || (group < 0 && n_digits > 3))
            return invalid (error);
          group = 0;
        }
      else if (*p == '.' && decimals < 0)
        {
          if (group >= 0 && group != 3)
            return invalid (error);
          decimals = 0;
          group = -1;
        }
      else
        return invalid (error);
    }
  if (n_digits == 0 || (group >= 0 && group != 3) || decimals == 0)
    return invalid (error);
  if (decimals < 0)
    decimals = 0;
  if (decimals > exponent)
    {
      g_set_error_literal (error, CRM_MONEY_ERROR, CRM_MONEY_ERROR_PRECISION,
                           _("The amount is finer than a fen (0.01)"));
      return FALSE;
    }

  magnitude = digits;
  for (int i = decimals; i < exponent; i++)
    if (__builtin_mul_overflow (magnitude, 10, &magnitude))
      goto overflow;
  if (magnitude > (guint64)G_MAXINT64)
    goto overflow;

  *fen = negative ? -(gint64)magnitude : (gint64)magnitude;
  return TRUE;

overflow:
  g_set_error_literal (error, CRM_MONEY_ERROR, CRM_MONEY_ERROR_OVERFLOW,
                       _("The amount is too large"));
  return FALSE;
}
