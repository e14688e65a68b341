/* crm-phone.c — phone numbers as people write them, and the one form we keep
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The canonical form, which the store keeps and the editor shows:
 *
 *   mainland mobile     13800138000
 *   landline            010-62345678, 0755-8888666   (0 + area code, a hyphen, 7 or 8 digits)
 *   400 and 800         400-123-4567
 *   short service       95588, 12315, 10086           (95xxx, 12xxx, 100xx)
 *   international       +442079460958                 (+, country code, every digit typed)
 *   with an extension   the number, a hyphen, 1 to 6 digits:
 *                       021-61234567-8001, 400-123-4567-89, +442079460958-12
 *
 * The hyphen before an extension is unambiguous: what comes before it is a
 * complete number by itself (an area code has a fixed length, a local number
 * 7 or 8 digits, a 400 number 10, an international number is one run of
 * digits), and none of the forms without an extension is a complete number
 * followed by a hyphen. It is also how Chinese cards write an extension.
 *
 * What is read: the text is folded (full-width digits and punctuation, other
 * dashes and spaces), then cut into runs of digits between spaces, hyphens,
 * dots and brackets, with a leading + (also "(+86)"), or 00, or a first run
 * "86" for the country code, "(0)" after the country code dropped, and an
 * extension after a marker: x, ext, ext., extn, #, a comma or semicolon, 转,
 * 分机, 分机号. Without a marker, a last run after a hyphen is an extension
 * when the runs before it are a complete mainland number (0755-8888666-1, as
 * earlier versions stored it) or a single international run
 * (+442079460958-12); "+852 9123-4567" stays one number. Every digit is kept
 * but a trunk 0 after a country code: libebook-contacts (libphonenumber) tells
 * the country code, but its own normal form drops any digit it takes for a
 * trunk prefix (+1 112… lost a 1 on every save).
 */
#include "config.h"

#include <glib.h>
#include <string.h>

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook-contacts/libebook-contacts.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "crm-phone.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EPhoneNumber, e_phone_number_free)

#define MAX_EXTENSION 6

typedef struct
{
  char     *digits;
  gboolean  after_hyphen; /* a hyphen among the separators before it */
  gboolean  in_brackets;  /* written "(0)" */
} Run;

typedef struct
{
  gboolean   plus;
  GPtrArray *runs;      /* of Run */
  GString   *extension; /* after a marker; NULL without one */
} Parsed;

#define RUN(ps, i) ((Run *)g_ptr_array_index ((ps)->runs, (i)))

static void
run_free (gpointer data)
{
  Run *run = data;

  g_free (run->digits);
  g_free (run);
}

static void
parsed_clear (Parsed *ps)
{
  g_clear_pointer (&ps->runs, g_ptr_array_unref);
  if (ps->extension)
    g_string_free (g_steal_pointer (&ps->extension), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parsed, parsed_clear)

/* Full-width ASCII (０-９ （ ） － ＋ ＃ ｘ), ideographic and other spaces, and
 * the other dashes, as their ASCII counterparts. */
static gunichar
fold (gunichar c)
{
  if (c >= 0xff01 && c <= 0xff5e)
    return c - 0xfee0;
  if (c == 0x3000 || c == 0x00a0 || (c >= 0x2000 && c <= 0x200a) || c == 0x202f
      || c == 0x205f)
    return ' ';
  if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xfe58 || c == 0xfe63)
    return '-';
  return c;
}

static gunichar
folded_char (const char *p)
{
  return fold (g_utf8_get_char (p));
}

/* The length in bytes of the extension marker at @s, or 0. */
static gsize
marker_length (const char *s)
{
  static const char *const words[] = { "x", "ext", "extn", "extension" };
  gunichar c = folded_char (s);
  const char *next = g_utf8_next_char (s);
  char word[12];
  gsize n = 0;
  const char *q;

  if (c == '#' || c == ',' || c == ';' || c == 0x8f6c /* 转 */)
    return next - s;
  if (c == 0x5206 /* 分 */ && g_utf8_get_char (next) == 0x673a /* 机 */)
    {
      next = g_utf8_next_char (next);
      if (g_utf8_get_char (next) == 0x53f7 /* 号 */)
        next = g_utf8_next_char (next);
      return next - s;
    }
  for (q = s; (c = folded_char (q)) < 0x80 && g_ascii_isalpha (c); q = g_utf8_next_char (q))
    {
      if (n + 1 >= sizeof word)
        return 0;
      word[n++] = g_ascii_tolower (c);
    }
  word[n] = '\0';
  for (gsize i = 0; n > 0 && i < G_N_ELEMENTS (words); i++)
    if (strcmp (word, words[i]) == 0)
      return q - s;
  return 0;
}

/* After a marker: separators, then 1 to 6 digits, then nothing but spaces. */
static gboolean
read_extension (const char *p,
                GString    *extension)
{
  gboolean done = FALSE;

  for (; *p; p = g_utf8_next_char (p))
    {
      gunichar c = folded_char (p);

      if (c >= '0' && c <= '9' && !done)
        g_string_append_c (extension, (char)c);
      else if (c == ' ' || (extension->len == 0 && (c == ':' || c == '.' || c == '-')))
        done = extension->len > 0;
      else
        return FALSE;
    }
  return extension->len > 0 && extension->len <= MAX_EXTENSION;
}

/* Cuts valid UTF-8 @text into runs of digits; FALSE for anything that is no
 * part of a phone number. */
static gboolean
parse (const char *text,
       Parsed     *ps)
{
  Run *run = NULL;
  GString *digits = NULL;
  gboolean hyphen = FALSE;
  gunichar prev = 0;

  ps->runs = g_ptr_array_new_with_free_func (run_free);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = folded_char (p);
      gsize marker;

      if (c >= '0' && c <= '9')
        {
          if (run == NULL)
            {
              run = g_new0 (Run, 1);
              run->after_hyphen = hyphen;
              run->in_brackets = prev == '(';
              digits = g_string_new (NULL);
              hyphen = FALSE;
            }
          g_string_append_c (digits, (char)c);
          prev = c;
          continue;
        }
      if (run != NULL)
        {
          run->in_brackets = run->in_brackets && c == ')';
          run->digits = g_string_free (g_steal_pointer (&digits), FALSE);
          g_ptr_array_add (ps->runs, g_steal_pointer (&run));
        }
      prev = c;
      if (c == '+' && ps->runs->len == 0 && !ps->plus)
        ps->plus = TRUE;
      else if (c == '-')
        hyphen = TRUE;
      else if (c == ' ' || c == '.' || c == '(' || c == ')')
        continue;
      else if (ps->runs->len > 0 && (marker = marker_length (p)) > 0)
        {
          ps->extension = g_string_new (NULL);
          return read_extension (p + marker, ps->extension);
        }
      else
        return FALSE;
    }
  if (run != NULL)
    {
      run->in_brackets = FALSE;
      run->digits = g_string_free (g_steal_pointer (&digits), FALSE);
      g_ptr_array_add (ps->runs, g_steal_pointer (&run));
    }
  return ps->runs->len > 0;
}

/* The digits of runs [from, to). */
static char *
joined (Parsed *ps,
        guint   from,
        guint   to)
{
  GString *s = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    g_string_append (s, RUN (ps, i)->digits);
  return g_string_free (s, FALSE);
}

/* Removes @n digits from the front (a country code, an international
 * prefix), and the runs they empty. */
static void
drop_leading (Parsed *ps,
              gsize   n)
{
  while (n > 0 && ps->runs->len > 0)
    {
      Run *first = RUN (ps, 0);
      gsize len = strlen (first->digits);

      if (len > n)
        {
          memmove (first->digits, first->digits + n, len - n + 1);
          return;
        }
      n -= len;
      g_ptr_array_remove_index (ps->runs, 0);
    }
}

static gboolean
is_cn_mobile (const char *digits)
{
  return strlen (digits) == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

/* @national without its trunk 0. Area codes: 10 and 2x have two digits, the
 * others three; the local number has 7 or 8 digits and does not start with 0. */
static char *
cn_landline (const char *national)
{
  gsize len = strlen (national);
  gsize area_len;

  if (len >= 2 && national[0] == '1' && national[1] == '0')
    area_len = 2;
  else if (len >= 1 && national[0] == '2')
    area_len = 2;
  else if (len >= 1 && national[0] >= '3' && national[0] <= '9')
    area_len = 3;
  else
    return NULL;

  if (len < area_len + 7 || len > area_len + 8 || national[area_len] == '0')
    return NULL;
  return g_strdup_printf ("0%.*s-%s", (int)area_len, national, national + area_len);
}

/* 400-123-4567, 800-…; 95xxx (banks, insurers), 12xxx (government
 * hotlines), 100xx (carriers), as printed on cards and invoices. */
static char *
cn_service (const char *digits)
{
  gsize len = strlen (digits);

  if (len == 10 && (g_str_has_prefix (digits, "400") || g_str_has_prefix (digits, "800")))
    return g_strdup_printf ("%.3s-%.3s-%s", digits, digits + 3, digits + 6);
  if (len == 5 && (g_str_has_prefix (digits, "95") || g_str_has_prefix (digits, "12")
                   || g_str_has_prefix (digits, "100")))
    return g_strdup (digits);
  return NULL;
}

/* @intl: the country code 86 came first, so a landline may lack its trunk 0
 * (+86 10 62345678). */
static char *
cn_number (const char   *national,
           gboolean      intl,
           CrmPhoneKind  kind)
{
  char *result;

  if (is_cn_mobile (national))
    return g_strdup (national);
  if (kind == CRM_PHONE_KIND_MOBILE)
    return NULL;
  if (national[0] == '0')
    return cn_landline (national + 1);
  if ((result = cn_service (national)) != NULL || !intl)
    return result;
  return cn_landline (national);
}

/* libphonenumber's E.164 form of "+@digits", when it is its own E.164 form. */
static char *
libphonenumber_e164 (const char *plus)
{
  g_autoptr (EPhoneNumber) number = e_phone_number_from_string (plus, NULL, NULL);
  g_autoptr (EPhoneNumber) again = NULL;
  g_autofree char *e164 = NULL;
  g_autofree char *e164_again = NULL;

  if (number == NULL)
    return NULL;
  e164 = e_phone_number_to_string (number, E_PHONE_NUMBER_FORMAT_E164);
  if (e164 == NULL || (again = e_phone_number_from_string (e164, NULL, NULL)) == NULL)
    return NULL;
  e164_again = e_phone_number_to_string (again, E_PHONE_NUMBER_FORMAT_E164);
  return g_strcmp0 (e164, e164_again) == 0 ? g_steal_pointer (&e164) : NULL;
}

/* A number with a country code other than 86: libebook-contacts tells the
 * country code; 4 to 14 national digits, 15 in all as E.164 allows. Every
 * digit typed is kept, but for a trunk 0 written after the country code
 * (+44 020 7946 0958), which libphonenumber drops where the country does
 * (not in Italy): its E.164 form is taken then, and only then, as it also
 * takes a 1 after +1 for a trunk prefix, one more on each pass. */
static char *
international_number (const char *digits)
{
  g_autofree char *plus = g_strconcat ("+", digits, NULL);
  g_autoptr (EPhoneNumber) number = NULL;
  g_autofree char *code = NULL;
  g_autofree char *e164 = NULL;
  gsize code_len;
  gsize len = strlen (digits);
  int country_code;

  if (len < 5 || len > 15)
    return NULL;
  number = e_phone_number_from_string (plus, NULL, NULL);
  if (number == NULL)
    return NULL;
  country_code = e_phone_number_get_country_code (number, NULL);
  code = g_strdup_printf ("%d", country_code);
  code_len = strlen (code);
  if (country_code <= 0 || country_code == 86 || !g_str_has_prefix (digits, code))
    return NULL;

  if (digits[code_len] == '0' && (e164 = libphonenumber_e164 (plus)) != NULL
      && g_str_has_prefix (e164 + 1, code)
      && strcmp (e164 + 1 + code_len, digits + code_len + 1) == 0)
    {
      g_free (plus);
      plus = g_steal_pointer (&e164);
      len--;
    }
  if (len - code_len < 4 || len - code_len > 14)
    return NULL;
  return g_steal_pointer (&plus);
}

static char *
with_extension (char         *number,
                const char   *extension,
                CrmPhoneKind  kind)
{
  g_autofree char *owned = number;

  if (number == NULL || extension == NULL)
    return g_steal_pointer (&owned);
  if (kind == CRM_PHONE_KIND_MOBILE || *extension == '\0'
      || strlen (extension) > MAX_EXTENSION)
    return NULL;
  return g_strconcat (number, "-", extension, NULL);
}

static gboolean
last_run_may_be_extension (Parsed *ps)
{
  guint n = ps->runs->len;

  return ps->extension == NULL && n > 1 && RUN (ps, n - 1)->after_hyphen
         && strlen (RUN (ps, n - 1)->digits) <= MAX_EXTENSION;
}

static char *
mainland (Parsed       *ps,
          gboolean      intl,
          CrmPhoneKind  kind)
{
  guint n = ps->runs->len;
  const char *extension = ps->extension ? ps->extension->str : NULL;
  g_autofree char *number = NULL;

  if (n == 0)
    return NULL;
  if (last_run_may_be_extension (ps))
    {
      g_autofree char *head = joined (ps, 0, n - 1);

      number = cn_number (head, intl, kind);
      if (number != NULL)
        extension = RUN (ps, n - 1)->digits;
    }
  if (number == NULL)
    {
      g_autofree char *whole = joined (ps, 0, n);

      number = cn_number (whole, intl, kind);
    }
  return with_extension (g_steal_pointer (&number), extension, kind);
}

static char *
international (Parsed       *ps,
               CrmPhoneKind  kind)
{
  guint n = ps->runs->len;
  const char *extension = ps->extension ? ps->extension->str : NULL;
  g_autofree char *number = NULL;

  if (n == 2 && last_run_may_be_extension (ps))
    {
      number = international_number (RUN (ps, 0)->digits);
      if (number != NULL)
        extension = RUN (ps, 1)->digits;
    }
  if (number == NULL)
    {
      g_autofree char *whole = joined (ps, 0, n);

      number = international_number (whole);
    }
  return with_extension (g_steal_pointer (&number), extension, kind);
}

/**
 * crm_phone_normalize:
 * @text: a phone number as typed, trimmed, valid UTF-8
 * @kind: what the field takes
 *
 * Returns: (transfer full) (nullable): the canonical form described at the
 *   top of this file, or %NULL when @text is not such a number. The canonical
 *   form gives itself back.
 */
char *
crm_phone_normalize (const char   *text,
                     CrmPhoneKind  kind)
{
  g_auto (Parsed) ps = { FALSE, NULL, NULL };
  g_autofree char *all = NULL;
  gboolean intl;

  g_return_val_if_fail (text != NULL, NULL);

  if (strnlen (text, CRM_PHONE_MAX_INPUT + 1) > CRM_PHONE_MAX_INPUT
      || !g_utf8_validate (text, -1, NULL) || !parse (text, &ps))
    return NULL;

  intl = ps.plus;
  all = joined (&ps, 0, ps.runs->len);
  if (!intl && g_str_has_prefix (all, "00"))
    {
      intl = TRUE;
      drop_leading (&ps, 2);
    }
  else if (!intl && ps.runs->len > 1 && strcmp (RUN (&ps, 0)->digits, "86") == 0)
    intl = TRUE; /* 86-10-62345678 on a letterhead */
  if (intl && ps.runs->len > 1 && RUN (&ps, 1)->in_brackets
      && strcmp (RUN (&ps, 1)->digits, "0") == 0)
    g_ptr_array_remove_index (ps.runs, 1); /* +44 (0)20 …, +86 (0)755 … */
  if (!intl)
    return mainland (&ps, FALSE, kind);

  g_free (all);
  all = joined (&ps, 0, ps.runs->len);
  if (!g_str_has_prefix (all, "86"))
    return international (&ps, kind);
  drop_leading (&ps, 2);
  return mainland (&ps, TRUE, kind);
}
