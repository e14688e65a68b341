/* test-followup.c — a follow-up's rules and its due-time logic, in two time zones
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Now" is handed to crm_followup_due_bucket(), so the day edges are
 * checked exactly, in Shanghai (no DST) and New York (with DST), without
 * touching the clock or TZ of the process.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "crm-followup-private.h"
#include "crm-validate.h"

static GDateTime *
local_time (const char *zone,
            int         year,
            int         month,
            int         day,
            int         hour,
            int         minute)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (zone);

  g_assert_nonnull (tz);
  return g_date_time_new (tz, year, month, day, hour, minute, 0);
}

static void
test_followup_new (void)
{
  g_autoptr (CrmFollowup) followup = crm_followup_new ();
  g_autoptr (CrmFollowup) other = crm_followup_new ();
  g_autoptr (GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) happened = NULL;
  const char *at = crm_followup_get_happened_at (followup);

  g_assert_true (g_uuid_string_is_valid (crm_followup_get_id (followup)));
  g_assert_cmpstr (crm_followup_get_id (followup), !=, crm_followup_get_id (other));
  /* now, UTC, whole seconds: "2026-11-29T08:30:00Z" */
  g_assert_cmpuint (strlen (at), ==, 20);
  g_assert_true (g_str_has_suffix (at, "Z"));
  happened = g_date_time_new_from_iso8601 (at, NULL);
  g_assert_nonnull (happened);
  g_assert_cmpint (ABS (g_date_time_difference (before, happened)), <, 5 * G_TIME_SPAN_SECOND);
  g_assert_false (crm_followup_is_saved (followup));
  g_assert_null (crm_followup_get_deal_id (followup));
  g_assert_null (crm_followup_get_next_at (followup));
  g_assert_null (crm_followup_get_done_at (followup));
}

static void
test_followup_kinds (void)
{
  const char *nicks[] = { "call", "visit", "wechat", "email", "meeting", "other" };

  for (guint i = 0; i < CRM_FOLLOWUP_N_KINDS; i++)
    {
      const char *label = crm_followup_kind_get_label (i);

      g_assert_cmpstr (crm_followup_kind_to_string (i), ==, nicks[i]);
      g_assert_cmpint (crm_followup_kind_from_string (nicks[i]), ==, i);
      /* a mnemonic each, and no two the same */
      g_assert_nonnull (strchr (label, '_'));
      for (guint j = 0; j < i; j++)
        g_assert_cmpint (g_unichar_tolower (g_utf8_get_char (strchr (label, '_') + 1)), !=,
                         g_unichar_tolower (g_utf8_get_char (
                           strchr (crm_followup_kind_get_label (j), '_') + 1)));
    }
  g_assert_cmpint (crm_followup_kind_from_string ("fax"), ==, CRM_FOLLOWUP_OTHER);
  g_assert_cmpint (crm_followup_kind_from_string (NULL), ==, CRM_FOLLOWUP_OTHER);
  g_assert_cmpuint (crm_followup_field_get_max_length (CRM_FOLLOWUP_FIELD_NOTES), ==, 20000);
  g_assert_cmpuint (crm_followup_field_get_max_length (CRM_FOLLOWUP_FIELD_NEXT_STEP), ==, 500);
  g_assert_cmpuint (crm_followup_field_get_max_length (CRM_FOLLOWUP_FIELD_KIND), ==, 0);
}

static CrmFollowup *
valid_followup (void)
{
  CrmFollowup *followup = crm_followup_new ();

  crm_followup_set_contact_id (followup, "6f1c6bd0-0000-4000-8000-000000000001");
  crm_followup_set_notes (followup, "  谈了报价\n下周再约  ");
  return followup;
}

/* @followup fails validation at @field with @code. */
static void
assert_invalid (CrmFollowup      *followup,
                CrmFollowupField  field,
                int               code)
{
  g_autoptr (GError) error = NULL;
  CrmFollowupField failed = CRM_FOLLOWUP_N_FIELDS;

  g_assert_false (crm_followup_validate (followup, &failed, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, code);
  g_assert_cmpint (failed, ==, field);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_followup_validate (void)
{
  g_autoptr (CrmFollowup) followup = valid_followup ();
  g_autoptr (GError) error = NULL;
  g_autofree char *long_notes = g_strnfill (20001, 'a');
  g_autofree char *long_step = g_strnfill (501, 'a');
  g_autofree char *huge = g_strnfill (10 * 1024 * 1024, 'a');

  /* passes, trimmed, its times in UTC with whole seconds */
  crm_followup_set_happened_at (followup, "2026-11-29T16:30:00+08:00");
  crm_followup_set_next_step (followup, " 送样品 ");
  crm_followup_set_next_at (followup, "2026-12-01T09:00:00.250+08:00");
  g_assert_true (crm_followup_validate (followup, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_followup_get_notes (followup), ==, "谈了报价\n下周再约");
  g_assert_cmpstr (crm_followup_get_next_step (followup), ==, "送样品");
  g_assert_cmpstr (crm_followup_get_happened_at (followup), ==, "2026-11-29T08:30:00Z");
  g_assert_cmpstr (crm_followup_get_next_at (followup), ==, "2026-12-01T01:00:00Z");
  /* a fixed point */
  g_assert_true (crm_followup_validate (followup, NULL, NULL));
  g_assert_cmpstr (crm_followup_get_next_at (followup), ==, "2026-12-01T01:00:00Z");

  crm_followup_set_contact_id (followup, "  ");
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_CONTACT, CRM_VALIDATE_ERROR_REQUIRED);
  crm_followup_set_contact_id (followup, "\xc4\xe3\xba\xc3");   /* GBK */
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_CONTACT, CRM_VALIDATE_ERROR_REQUIRED);
  crm_followup_set_contact_id (followup, huge);
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_CONTACT, CRM_VALIDATE_ERROR_REQUIRED);
  crm_followup_set_contact_id (followup, "6f1c6bd0-0000-4000-8000-000000000001");

  crm_followup_set_deal_id (followup, "\xff\xfe");
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_DEAL, CRM_VALIDATE_ERROR_INVALID_TEXT);
  crm_followup_set_deal_id (followup, NULL);

  for (guint i = 0; i < 4; i++)
    {
      const char *bad[] = { "", "2026-02-30T10:00:00Z", "昨天", "2026-11-29T10:00:00" };

      crm_followup_set_happened_at (followup, bad[i]);
      assert_invalid (followup, CRM_FOLLOWUP_FIELD_HAPPENED_AT, CRM_VALIDATE_ERROR_INVALID_DATE);
    }
  crm_followup_set_happened_at (followup, "2026-11-29T08:30:00Z");

  crm_followup_set_kind (followup, CRM_FOLLOWUP_N_KINDS);
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_KIND, CRM_VALIDATE_ERROR_OUT_OF_RANGE);
  crm_followup_set_kind (followup, CRM_FOLLOWUP_WECHAT);

  crm_followup_set_notes (followup, long_notes);
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NOTES, CRM_VALIDATE_ERROR_TOO_LONG);
  crm_followup_set_notes (followup, huge);
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NOTES, CRM_VALIDATE_ERROR_TOO_LONG);
  crm_followup_set_notes (followup, "报价\xe4\xb8");   /* GBK-ish bytes, cut UTF-8 */
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NOTES, CRM_VALIDATE_ERROR_INVALID_TEXT);
  crm_followup_set_notes (followup, "报价\x07");
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NOTES, CRM_VALIDATE_ERROR_INVALID_TEXT);
  crm_followup_set_notes (followup, "第一行\n\t第二行");
  g_assert_true (crm_followup_validate (followup, NULL, NULL));

  crm_followup_set_next_step (followup, long_step);
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NEXT_STEP, CRM_VALIDATE_ERROR_TOO_LONG);
  crm_followup_set_next_step (followup, "送\n样品");   /* one line */
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NEXT_STEP, CRM_VALIDATE_ERROR_INVALID_TEXT);

  /* a step needs its time, a time its step */
  crm_followup_set_next_step (followup, "送样品");
  crm_followup_set_next_at (followup, NULL);
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NEXT_AT, CRM_VALIDATE_ERROR_REQUIRED);
  crm_followup_set_next_at (followup, "下周一");
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NEXT_AT, CRM_VALIDATE_ERROR_INVALID_DATE);
  crm_followup_set_next_step (followup, " ");
  crm_followup_set_next_at (followup, "2026-12-01T01:00:00Z");
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NEXT_STEP, CRM_VALIDATE_ERROR_REQUIRED);

  /* something was said, or there is a next step */
  crm_followup_set_next_at (followup, "");
  crm_followup_set_notes (followup, " \n ");
  assert_invalid (followup, CRM_FOLLOWUP_FIELD_NOTES, CRM_VALIDATE_ERROR_REQUIRED);
  crm_followup_set_next_step (followup, "送样品");
  crm_followup_set_next_at (followup, "2026-12-01T01:00:00Z");
  g_assert_true (crm_followup_validate (followup, NULL, NULL));
}

static void
test_followup_copy_equal (void)
{
  g_autoptr (CrmFollowup) followup = valid_followup ();
  g_autoptr (CrmFollowup) copy = NULL;

  crm_followup_set_deal_id (followup, "6f1c6bd0-0000-4000-8000-000000000003");
  crm_followup_set_next_step (followup, "回访");
  crm_followup_set_next_at (followup, "2026-12-01T01:00:00Z");
  _crm_followup_set_row (followup, "张三", "年度采购", NULL, "2026-12-01T02:00:00Z", "c", "u");
  copy = crm_followup_copy (followup);
  g_assert_cmpstr (crm_followup_get_id (copy), ==, crm_followup_get_id (followup));
  g_assert_cmpstr (crm_followup_get_contact_name (copy), ==, "张三");
  g_assert_cmpstr (crm_followup_get_deal_title (copy), ==, "年度采购");
  g_assert_cmpstr (crm_followup_get_snoozed_until (copy), ==, "2026-12-01T02:00:00Z");
  g_assert_true (crm_followup_equal (copy, followup));
  crm_followup_set_next_at (copy, "2026-12-01T01:00:01Z");
  g_assert_false (crm_followup_equal (copy, followup));
  crm_followup_set_next_at (copy, "2026-12-01T01:00:00Z");
  crm_followup_set_deal_id (copy, "");   /* "" is none */
  g_assert_null (crm_followup_get_deal_id (copy));
  g_assert_false (crm_followup_equal (copy, followup));
}

typedef struct
{
  const char     *next_at;
  CrmFollowupDue  due;
} DueCase;

static void
check_cases (GDateTime     *now,
             const DueCase *cases,
             guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      CrmFollowupDue due = crm_followup_due_bucket (cases[i].next_at, NULL, now);

      if (due != cases[i].due)
        g_error ("%s: due %d, expected %d", cases[i].next_at, due, cases[i].due);
    }
}

static void
test_followup_due_shanghai (void)
{
  /* 09:00 on 29 November in Shanghai (UTC+8) is 01:00Z */
  g_autoptr (GDateTime) now = local_time ("Asia/Shanghai", 2026, 11, 29, 9, 0);
  static const DueCase cases[] = {
    { "2026-11-20T02:00:00Z", CRM_FOLLOWUP_DUE_OVERDUE },
    { "2026-11-28T15:59:59Z", CRM_FOLLOWUP_DUE_OVERDUE },   /* 23:59:59 yesterday */
    { "2026-11-28T16:00:00Z", CRM_FOLLOWUP_DUE_TODAY },     /* midnight */
    { "2026-11-29T00:30:00Z", CRM_FOLLOWUP_DUE_TODAY },     /* 08:30, passed while away */
    { "2026-11-29T15:59:59Z", CRM_FOLLOWUP_DUE_TODAY },
    { "2026-11-29T16:00:00Z", CRM_FOLLOWUP_DUE_THIS_WEEK }, /* tomorrow */
    { "2026-12-06T15:59:59Z", CRM_FOLLOWUP_DUE_THIS_WEEK }, /* the 7th day after today */
    { "2026-12-06T16:00:00Z", CRM_FOLLOWUP_DUE_LATER },
    { "2026-12-06T23:00:00+08:00", CRM_FOLLOWUP_DUE_THIS_WEEK },
    { "2027-06-01T00:00:00Z", CRM_FOLLOWUP_DUE_LATER },
  };

  check_cases (now, cases, G_N_ELEMENTS (cases));
  /* done, none, or unreadable: nothing due */
  g_assert_cmpint (crm_followup_due_bucket ("2026-11-20T02:00:00Z", "2026-11-21T00:00:00Z", now),
                   ==, CRM_FOLLOWUP_DUE_NONE);
  g_assert_cmpint (crm_followup_due_bucket ("2026-11-20T02:00:00Z", "", now),
                   ==, CRM_FOLLOWUP_DUE_OVERDUE);
  g_assert_cmpint (crm_followup_due_bucket (NULL, NULL, now), ==, CRM_FOLLOWUP_DUE_NONE);
  g_assert_cmpint (crm_followup_due_bucket ("", NULL, now), ==, CRM_FOLLOWUP_DUE_NONE);
  g_assert_cmpint (crm_followup_due_bucket ("\xff明天", NULL, now), ==, CRM_FOLLOWUP_DUE_NONE);
}

static void
test_followup_due_new_york (void)
{
  /* the same instant, 14:00Z, is 09:00 in New York but 22:00 in Shanghai */
  g_autoptr (GDateTime) ny = local_time ("America/New_York", 2026, 11, 29, 9, 0);
  g_autoptr (GDateTime) sh = local_time ("Asia/Shanghai", 2026, 11, 29, 22, 0);
  /* the day clocks go forward (8 March 2026): 23 hours long */
  g_autoptr (GDateTime) dst = local_time ("America/New_York", 2026, 3, 8, 12, 0);
  static const DueCase ny_cases[] = {
    { "2026-11-29T04:59:59Z", CRM_FOLLOWUP_DUE_OVERDUE },   /* 23:59:59 yesterday */
    { "2026-11-29T05:00:00Z", CRM_FOLLOWUP_DUE_TODAY },
    { "2026-11-30T04:59:59Z", CRM_FOLLOWUP_DUE_TODAY },
    { "2026-11-30T05:00:00Z", CRM_FOLLOWUP_DUE_THIS_WEEK },
    { "2026-12-07T04:59:59Z", CRM_FOLLOWUP_DUE_THIS_WEEK },
    { "2026-12-07T05:00:00Z", CRM_FOLLOWUP_DUE_LATER },
  };
  static const DueCase dst_cases[] = {
    { "2026-03-08T04:59:59Z", CRM_FOLLOWUP_DUE_OVERDUE },   /* midnight EST is 05:00Z */
    { "2026-03-08T05:00:00Z", CRM_FOLLOWUP_DUE_TODAY },
    { "2026-03-09T03:59:59Z", CRM_FOLLOWUP_DUE_TODAY },     /* midnight EDT is 04:00Z */
    { "2026-03-09T04:00:00Z", CRM_FOLLOWUP_DUE_THIS_WEEK },
    { "2026-03-16T03:59:59Z", CRM_FOLLOWUP_DUE_THIS_WEEK },
    { "2026-03-16T04:00:00Z", CRM_FOLLOWUP_DUE_LATER },
  };

  g_assert_cmpint (g_date_time_to_unix (ny), ==, g_date_time_to_unix (sh));
  check_cases (ny, ny_cases, G_N_ELEMENTS (ny_cases));
  check_cases (dst, dst_cases, G_N_ELEMENTS (dst_cases));
  /* 04:59:59Z: yesterday in New York, today in Shanghai */
  g_assert_cmpint (crm_followup_due_bucket ("2026-11-29T04:59:59Z", NULL, sh),
                   ==, CRM_FOLLOWUP_DUE_TODAY);
  /* 16:30Z: today in New York, tomorrow in Shanghai */
  g_assert_cmpint (crm_followup_due_bucket ("2026-11-29T16:30:00Z", NULL, ny),
                   ==, CRM_FOLLOWUP_DUE_TODAY);
  g_assert_cmpint (crm_followup_due_bucket ("2026-11-29T16:30:00Z", NULL, sh),
                   ==, CRM_FOLLOWUP_DUE_THIS_WEEK);
}

static void
assert_reminder (CrmFollowup *followup,
                 const char  *expected)
{
  g_autoptr (GDateTime) time = crm_followup_reminder_time (followup);
  g_autofree char *text = NULL;

  if (time != NULL)
    text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  g_assert_cmpstr (text, ==, expected);
}

static void
test_followup_reminder (void)
{
  g_autoptr (CrmFollowup) followup = valid_followup ();

  assert_reminder (followup, NULL);                    /* no next step */
  crm_followup_set_next_step (followup, "回访");
  crm_followup_set_next_at (followup, "2026-12-01T09:00:00+08:00");
  assert_reminder (followup, "2026-12-01T01:00:00Z");  /* in UTC */

  /* a snooze later than the step delays the reminder, an earlier one not */
  _crm_followup_set_row (followup, "", "", NULL, "2026-12-01T02:00:00Z", "", "");
  assert_reminder (followup, "2026-12-01T02:00:00Z");
  _crm_followup_set_row (followup, "", "", "", "2026-11-30T02:00:00Z", "", "");
  assert_reminder (followup, "2026-12-01T01:00:00Z");
  _crm_followup_set_row (followup, "", "", NULL, "not a time", "", "");
  assert_reminder (followup, "2026-12-01T01:00:00Z");

  /* done: never */
  _crm_followup_set_row (followup, "", "", "2026-12-01T00:30:00Z", "2026-12-01T02:00:00Z",
                         "", "");
  assert_reminder (followup, NULL);
}

/* The kinds in Chinese, from the build tree's catalogue, with their
 * mnemonics after the word as Chinese menus write them. */
static void
test_followup_kinds_zh (void)
{
  const char *labels[] = { "电话(_C)", "拜访(_V)", "微信(_W)", "邮件(_E)", "会议(_M)",
                           "其他(_O)" };

  /* gettext looks at LANGUAGE again once textdomain() is called */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  textdomain (GETTEXT_PACKAGE);
  for (guint i = 0; i < CRM_FOLLOWUP_N_KINDS; i++)
    g_assert_cmpstr (crm_followup_kind_get_label (i), ==, labels[i]);
  /* the contact editor's "_E-mail" is another word */
  g_assert_cmpstr (_("_E-mail"), !=, labels[CRM_FOLLOWUP_EMAIL]);
  g_setenv ("LANGUAGE", "en", TRUE);
  textdomain (GETTEXT_PACKAGE);
  g_assert_cmpstr (crm_followup_kind_get_label (CRM_FOLLOWUP_CALL), ==, "_Call");
}

int
main (int   argc,
      char *argv[])
{
  const char *locale = setlocale (LC_ALL, "");

  /* LANGUAGE counts in any locale but C */
  if (locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX"))
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("XIAOHE_CRM_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/followup/new", test_followup_new);
  g_test_add_func ("/followup/kinds", test_followup_kinds);
  g_test_add_func ("/followup/kinds-zh", test_followup_kinds_zh);
  g_test_add_func ("/followup/validate", test_followup_validate);
  g_test_add_func ("/followup/copy-equal", test_followup_copy_equal);
  g_test_add_func ("/followup/due-shanghai", test_followup_due_shanghai);
  g_test_add_func ("/followup/due-new-york", test_followup_due_new_york);
  g_test_add_func ("/followup/reminder", test_followup_reminder);

  return g_test_run ();
}
