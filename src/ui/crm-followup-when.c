/* crm-followup-when.c — the times of a follow-up as people type them
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The follow-up form takes "when" and the next step's due time as text in
 * local time, because typing 2026-12-31 14:30 (or 明天, tomorrow 9:00) is
 * quicker than any picker and works by keys alone. The date part is the deal
 * editor's parser (crm_deal_parse_date()), so a date reads the same in every
 * form; the store keeps UTC ISO 8601, which crm_followup_when_format() turns
 * back into what the form shows and reads again. Kept apart from the dialog
 * so that the rules are tested without a window.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "crm-deal.h"
#include "crm-followup-when.h"

#define MAX_WHEN_BYTES 256
#define DEFAULT_HOUR 9

static gboolean
skip_prefix_ci (const char **p,
                const char  *word)
{
  gsize n = strlen (word);

  if (g_ascii_strncasecmp (*p, word, n) != 0)
    return FALSE;
  *p += n;
  return TRUE;
}

/* "今天", "明天", "后天", "today", "tomorrow": the days from today */
static gboolean
read_relative_day (const char **p,
                   int         *days)
{
  static const struct { const char *word; int days; } words[] = {
    { "今天", 0 }, { "明天", 1 }, { "后天", 2 },
    { "today", 0 }, { "tomorrow", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (skip_prefix_ci (p, words[i].word))
      {
        *days = words[i].days;
        return TRUE;
      }
  return FALSE;
}

static gboolean
read_uint (const char **p,
           guint        max_digits,
           guint       *value)
{
  guint n = 0, v = 0;

  while (n < max_digits && g_ascii_isdigit (**p))
    {
      v = v * 10 + (guint)(**p - '0');
      (*p)++;
      n++;
    }
  *value = v;
  return n > 0;
}

/* "14:30", "14：30", "9:05:00", "9点", "9点半", "9点30分", "" (none) */
static gboolean
parse_time (const char *text,
            int        *hour,
            int        *minute)
{
  const char *p = text;
  guint h, m = 0, s = 0;

  while (*p == ' ')
    p++;
  if (*p == '\0')
    {
      *hour = -1;
      return TRUE;
    }
  if (!read_uint (&p, 2, &h))
    return FALSE;
  if (*p == ':' || g_str_has_prefix (p, "："))
    {
      p += *p == ':' ? 1 : strlen ("：");
      if (!read_uint (&p, 2, &m))
        return FALSE;
      if (*p == ':' && (p++, !read_uint (&p, 2, &s)))
        return FALSE;
    }
  else if (skip_prefix_ci (&p, "点") || skip_prefix_ci (&p, "时"))
    {
      if (skip_prefix_ci (&p, "半"))
        m = 30;
      else if (read_uint (&p, 2, &m))
        skip_prefix_ci (&p, "分");
    }
  else
    return FALSE;
  while (*p == ' ')
    p++;
  if (*p != '\0' || h > 23 || m > 59 || s > 59)
    return FALSE;
  *hour = (int)h;
  *minute = (int)m;
  return TRUE;
}

static void
set_when_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Type a date and time like 2026-12-31 14:30, or “tomorrow 9:00”"));
}

/**
 * crm_followup_when_parse:
 * @text: what the person typed
 * @now_local: now, in the time zone the text is read in
 * @when_local: (out) (transfer full) (optional): the time, %NULL for ""
 *
 * Reads a local date and time: a date as the deal editor takes it
 * (2026-12-31, 2026/12/31, 2026年12月31日) or a day from today (今天 明天
 * 后天, today, tomorrow), then an optional time (14:30, 9点半); a time alone
 * is today's. A date without a time is at 09:00. Blanks around are
 * ignored, "" is no time at all.
 *
 * Returns: %FALSE with %G_IO_ERROR_INVALID_DATA and a message for the
 *   person when it is not a time.
 */
gboolean
crm_followup_when_parse (const char  *text,
                                GDateTime   *now_local,
                                GDateTime  **when_local,
                                GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *iso_date = NULL;
  g_autoptr (GDateTime) day = NULL;
  const char *p, *rest;
  int days = 0, hour = -1, minute = 0;
  guint year, month, mday;

  g_return_val_if_fail (now_local != NULL, FALSE);

  if (when_local != NULL)
    *when_local = NULL;
  if (text == NULL || strnlen (text, MAX_WHEN_BYTES + 1) > MAX_WHEN_BYTES
      || !g_utf8_validate (text, -1, NULL))
    {
      set_when_error (error);
      return FALSE;
    }
  stripped = g_strstrip (g_strdup (text));
  /* the ideographic space (U+3000) reads as a blank */
  for (char *q; (q = strstr (stripped, "\xe3\x80\x80")) != NULL;)
    {
      *q = ' ';
      memmove (q + 1, q + 3, strlen (q + 3) + 1);
    }
  if (*stripped == '\0')
    return TRUE;

  p = stripped;
  if (read_relative_day (&p, &days))
    {
      day = g_date_time_add_days (now_local, days);
      rest = p;
    }
  else if (parse_time (stripped, &hour, &minute))
    {
      day = g_date_time_ref (now_local);
      rest = "";
    }
  else
    {
      const char *end = strchr (stripped, ' ');
      const char *ri = strstr (stripped, "日");
      const char *t = strchr (stripped, 'T');

      if (end == NULL && ri != NULL)
        end = ri + strlen ("日");
      if (end == NULL && t != NULL && t > stripped && g_ascii_isdigit (t[-1]))
        end = t;
      date_text = end ? g_strndup (stripped, end - stripped) : g_strdup (stripped);
      rest = end ? (*end == 'T' ? end + 1 : end) : "";
      if (!crm_deal_parse_date (date_text, &iso_date, NULL) || *iso_date == '\0'
          || sscanf (iso_date, "%4u-%2u-%2u", &year, &month, &mday) != 3)
        {
          set_when_error (error);
          return FALSE;
        }
      day = g_date_time_new (g_date_time_get_timezone (now_local), year, month, mday, 0, 0, 0);
    }
  if (hour < 0 && !parse_time (rest, &hour, &minute))
    {
      set_when_error (error);
      return FALSE;
    }
  if (hour < 0)
    {
      hour = DEFAULT_HOUR;
      minute = 0;
    }
  if (day == NULL)
    {
      set_when_error (error);
      return FALSE;
    }
  if (when_local != NULL)
    *when_local = g_date_time_new (g_date_time_get_timezone (now_local),
                                   g_date_time_get_year (day), g_date_time_get_month (day),
                                   g_date_time_get_day_of_month (day), hour, minute, 0);
  return when_local == NULL || *when_local != NULL;
}

/**
 * crm_followup_when_format:
 * @utc_iso: (nullable): a time as the store keeps it
 *
 * Returns: (transfer full): the time in local time as the form shows it and
 *   reads it back, "2026-12-31 14:30"; "" for none.
 */
char *
crm_followup_when_format (const char *utc_iso)
{
  g_autoptr (GDateTime) utc = utc_iso ? g_date_time_new_from_iso8601 (utc_iso, NULL) : NULL;
  g_autoptr (GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");
}

/**
 * crm_followup_when_to_utc:
 * @local: a time read by crm_followup_when_parse()
 *
 * Returns: (transfer full): it as the store keeps it, "2026-12-31T06:30:00Z"
 */
char *
crm_followup_when_to_utc (GDateTime *local)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (local);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}
