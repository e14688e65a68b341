/* test-store-followups.c — follow-ups in a real store: save, lists, undo, due, reminders, sync
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test works on a real SQLite file in a temporary folder; the
 * triggers of migration 10 (last_followup_at, the outbox) are checked by
 * reading the tables they write.
 */
#include "config.h"

#include <sqlite3.h>

#include "crm-followup-private.h"
#include "crm-search-private.h"
#include "crm-store-private.h"
#include "crm-test-util.h"
#include "crm-validate.h"

static CrmFollowup *
make_followup (CrmContact *contact,
               const char *happened_at,
               const char *notes,
               const char *next_at)
{
  CrmFollowup *followup = crm_followup_new ();

  crm_followup_set_contact_id (followup, crm_contact_get_id (contact));
  crm_followup_set_happened_at (followup, happened_at);
  crm_followup_set_notes (followup, notes);
  if (next_at != NULL)
    {
      crm_followup_set_next_step (followup, "回访");
      crm_followup_set_next_at (followup, next_at);
    }
  return followup;
}

static CrmFollowup *
add_followup (CrmStore   *store,
              CrmContact *contact,
              const char *happened_at,
              const char *notes,
              const char *next_at)
{
  g_autoptr (GError) error = NULL;
  CrmFollowup *followup = make_followup (contact, happened_at, notes, next_at);

  g_assert_true (crm_store_save_followup (store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
  g_assert_true (crm_followup_is_saved (followup));
  return followup;
}

static CrmDeal *
add_deal (CrmStore   *store,
          CrmContact *contact,
          const char *title)
{
  g_autoptr (GError) error = NULL;
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, title);
  crm_deal_set_contact_id (deal, crm_contact_get_id (contact));
  g_assert_true (crm_store_save_deal (store, deal, &error));
  g_assert_no_error (error);
  return deal;
}

/* the notes of @followups, in order, joined by "," */
static char *
notes_of (GPtrArray *followups)
{
  GString *text = g_string_new ("");

  g_assert_nonnull (followups);
  for (guint i = 0; i < followups->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "," : "",
                            crm_followup_get_notes (followups->pdata[i]));
  return g_string_free (text, FALSE);
}

static void
assert_list (GPtrArray  *followups,
             const char *expected)
{
  g_autoptr (GPtrArray) owned = followups;
  g_autofree char *notes = notes_of (followups);

  g_assert_cmpstr (notes, ==, expected);
}

static gint64
outbox_count (CrmStore   *store,
              const char *op)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM outbox"
                                          " WHERE kind = 'followup' AND op = '%s'", op);

  return crm_test_query_int (store, sql);
}

static void
test_save_get_list (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmDeal) deal = add_deal (ts->store, zhang, "年度采购");
  g_autoptr (CrmFollowup) a = add_followup (ts->store, zhang, "2026-11-01T01:00:00Z", "a", NULL);
  g_autoptr (CrmFollowup) c = add_followup (ts->store, zhang, "2026-11-03T01:00:00Z", "c", NULL);
  g_autoptr (CrmFollowup) b = make_followup (zhang, "2026-11-02T01:00:00Z", "b", NULL);
  g_autoptr (CrmFollowup) other = add_followup (ts->store, li, "2026-11-05T01:00:00Z", "x", NULL);
  g_autoptr (CrmFollowup) got = NULL;
  g_autoptr (GError) error = NULL;

  crm_followup_set_deal_id (b, crm_deal_get_id (deal));
  crm_followup_set_kind (b, CRM_FOLLOWUP_VISIT);
  g_assert_true (crm_store_save_followup (ts->store, b, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_followup_get_contact_name (b), ==, "张三");
  g_assert_cmpstr (crm_followup_get_deal_title (b), ==, "年度采购");
  g_assert_cmpstr (crm_followup_get_created_at (b), !=, "");

  got = crm_store_get_followup (ts->store, crm_followup_get_id (b), &error);
  g_assert_no_error (error);
  g_assert_true (crm_followup_equal (got, b));
  g_assert_cmpint (crm_followup_get_kind (got), ==, CRM_FOLLOWUP_VISIT);
  g_assert_cmpstr (crm_followup_get_deal_title (got), ==, "年度采购");
  g_clear_object (&got);
  got = crm_store_get_followup (ts->store, "6f1c6bd0-0000-4000-8000-00000000ffff", &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);

  /* newest first, in pages */
  assert_list (crm_store_list_contact_followups (ts->store, crm_contact_get_id (zhang), 0, 0,
                                                 &error), "c,b,a");
  assert_list (crm_store_list_contact_followups (ts->store, crm_contact_get_id (zhang), 0, 2,
                                                 &error), "c,b");
  assert_list (crm_store_list_contact_followups (ts->store, crm_contact_get_id (zhang), 2, 2,
                                                 &error), "a");
  assert_list (crm_store_list_contact_followups (ts->store, crm_contact_get_id (zhang), 3, 2,
                                                 &error), "");
  assert_list (crm_store_list_deal_followups (ts->store, crm_deal_get_id (deal), 0, 0, &error),
               "b");
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_count_contact_followups (ts->store, crm_contact_get_id (zhang)),
                    ==, 3);
  g_assert_cmpuint (crm_store_count_contact_followups (ts->store, crm_contact_get_id (li)),
                    ==, 1);

  /* an edit keeps its row; the same time twice keeps the order stable */
  crm_followup_set_notes (a, "a2");
  crm_followup_set_happened_at (a, "2026-11-03T01:00:00Z");
  g_assert_true (crm_store_save_followup (ts->store, a, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
  assert_list (crm_store_list_contact_followups (ts->store, crm_contact_get_id (zhang), 0, 0,
                                                 &error), "c,a2,b");
  g_assert_cmpuint (crm_store_count_contact_followups (ts->store, crm_contact_get_id (zhang)),
                    ==, 3);
  g_assert_cmpstr (crm_followup_get_notes (other), ==, "x");
  crm_test_store_free (ts);
}

static void
test_save_refused (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmDeal) lis_deal = add_deal (ts->store, li, "李四的商机");
  g_autoptr (CrmFollowup) followup = make_followup (zhang, "2026-11-01T01:00:00Z", "", NULL);
  g_autoptr (GError) error = NULL;

  /* the core's rule, passed on as it is */
  g_assert_false (crm_store_save_followup (ts->store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED);
  g_clear_error (&error);
  crm_followup_set_notes (followup, "谈了报价");

  crm_followup_set_contact_id (followup, "6f1c6bd0-0000-4000-8000-00000000ffff");
  g_assert_false (crm_store_save_followup (ts->store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* another contact's deal, a deal that is not there */
  crm_followup_set_contact_id (followup, crm_contact_get_id (zhang));
  crm_followup_set_deal_id (followup, crm_deal_get_id (lis_deal));
  g_assert_false (crm_store_save_followup (ts->store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  crm_followup_set_deal_id (followup, "6f1c6bd0-0000-4000-8000-00000000fffe");
  g_assert_false (crm_store_save_followup (ts->store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  crm_followup_set_deal_id (followup, NULL);

  /* a deleted contact */
  g_assert_true (crm_store_delete_contact (ts->store, zhang, &error));
  g_assert_no_error (error);
  g_assert_false (crm_store_save_followup (ts->store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (crm_followup_is_saved (followup));
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count (*) FROM followups"), ==, 0);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count (*) FROM outbox"
                                       " WHERE kind = 'followup'"), ==, 0);
  crm_test_store_free (ts);
}

static void
test_delete_restore (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  const char *zhang_id = crm_contact_get_id (zhang);
  g_autoptr (CrmFollowup) a = add_followup (ts->store, zhang, "2026-11-01T01:00:00Z", "a", NULL);
  g_autoptr (CrmFollowup) b = add_followup (ts->store, zhang, "2026-11-02T01:00:00Z", "b",
                                            "2026-11-10T01:00:00Z");
  g_autoptr (CrmFollowup) got = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_store_delete_followup (ts->store, b, &error));
  g_assert_no_error (error);
  assert_list (crm_store_list_contact_followups (ts->store, zhang_id, 0, 0, NULL), "a");
  assert_list (crm_store_list_due_followups (ts->store, NULL, 0, NULL), "");
  g_assert_cmpuint (crm_store_count_contact_followups (ts->store, zhang_id), ==, 1);
  got = crm_store_get_followup (ts->store, crm_followup_get_id (b), &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (crm_store_delete_followup (ts->store, b, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* an edit of a tombstone is refused, not written */
  crm_followup_set_notes (b, "b2");
  g_assert_false (crm_store_save_followup (ts->store, b, CRM_DEAL_N_STAGES, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* undo */
  g_assert_true (crm_store_restore_followup (ts->store, b, &error));
  g_assert_no_error (error);
  assert_list (crm_store_list_contact_followups (ts->store, zhang_id, 0, 0, NULL), "b,a");
  assert_list (crm_store_list_due_followups (ts->store, NULL, 0, NULL), "b");
  g_assert_false (crm_store_restore_followup (ts->store, b, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  crm_test_store_free (ts);
}

static void
test_deleted_contact_hidden (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmFollowup) a = add_followup (ts->store, zhang, "2026-11-01T01:00:00Z", "a",
                                            "2026-11-02T01:00:00Z");
  g_autoptr (CrmFollowup) b = add_followup (ts->store, li, "2026-11-01T01:00:00Z", "b",
                                            "2026-11-03T01:00:00Z");
  g_autoptr (GError) error = NULL;

  assert_list (crm_store_list_due_followups (ts->store, NULL, 0, NULL), "a,b");
  assert_list (crm_store_list_reminders (ts->store, NULL, "2026-11-04T00:00:00Z", NULL), "a,b");

  g_assert_true (crm_store_delete_contact (ts->store, zhang, &error));
  g_assert_no_error (error);
  assert_list (crm_store_list_due_followups (ts->store, NULL, 0, NULL), "b");
  assert_list (crm_store_list_reminders (ts->store, NULL, "2026-11-04T00:00:00Z", NULL), "b");
  assert_list (crm_store_list_contact_followups (ts->store, crm_contact_get_id (zhang), 0, 0,
                                                 NULL), "");

  g_assert_true (crm_store_restore_contact (ts->store, zhang, &error));
  g_assert_no_error (error);
  assert_list (crm_store_list_due_followups (ts->store, NULL, 0, NULL), "a,b");
  assert_list (crm_store_list_reminders (ts->store, NULL, "2026-11-04T00:00:00Z", NULL), "a,b");
  assert_list (crm_store_list_contact_followups (ts->store, crm_contact_get_id (zhang), 0, 0,
                                                 NULL), "a");
  crm_test_store_free (ts);
}

static void
assert_last (CrmStore   *store,
             CrmContact *contact,
             const char *expected)
{
  g_autofree char *last = crm_store_get_last_followup_at (store, crm_contact_get_id (contact));

  g_assert_cmpstr (last, ==, expected);
}

static void
test_last_followup_at (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmContact) li = crm_test_add (ts->store, "李四", "", "");
  g_autoptr (CrmFollowup) a = NULL;
  g_autoptr (CrmFollowup) b = NULL;
  g_autoptr (CrmFollowup) old = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *updated = g_strdup (crm_contact_get_updated_at (zhang));
  g_autofree char *stored_updated = NULL;

  assert_last (ts->store, zhang, NULL);
  a = add_followup (ts->store, zhang, "2026-11-01T01:00:00Z", "a", NULL);
  assert_last (ts->store, zhang, "2026-11-01T01:00:00Z");
  b = add_followup (ts->store, zhang, "2026-11-05T01:00:00Z", "b", NULL);
  assert_last (ts->store, zhang, "2026-11-05T01:00:00Z");
  /* an older one logged later leaves it */
  old = add_followup (ts->store, zhang, "2026-10-01T01:00:00Z", "old", NULL);
  assert_last (ts->store, zhang, "2026-11-05T01:00:00Z");

  g_assert_true (crm_store_delete_followup (ts->store, b, &error));
  assert_last (ts->store, zhang, "2026-11-01T01:00:00Z");
  g_assert_true (crm_store_restore_followup (ts->store, b, &error));
  assert_last (ts->store, zhang, "2026-11-05T01:00:00Z");

  /* an edit of the time, and a move to another contact */
  crm_followup_set_happened_at (b, "2026-09-01T01:00:00Z");
  g_assert_true (crm_store_save_followup (ts->store, b, CRM_DEAL_N_STAGES, &error));
  assert_last (ts->store, zhang, "2026-11-01T01:00:00Z");
  crm_followup_set_contact_id (a, crm_contact_get_id (li));
  g_assert_true (crm_store_save_followup (ts->store, a, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
  assert_last (ts->store, zhang, "2026-10-01T01:00:00Z");
  assert_last (ts->store, li, "2026-11-01T01:00:00Z");
  g_assert_true (crm_store_delete_followup (ts->store, old, &error));
  assert_last (ts->store, zhang, "2026-09-01T01:00:00Z");
  g_assert_true (crm_store_delete_followup (ts->store, b, &error));
  g_assert_no_error (error);
  assert_last (ts->store, zhang, NULL);

  /* derived: the contact itself did not change, for the user or for sync */
  stored_updated = crm_test_query_text (ts->store, "SELECT updated_at FROM contacts"
                                        " WHERE name = '张三'");
  g_assert_cmpstr (stored_updated, ==, updated);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count (*) FROM outbox"
                                       " WHERE kind = 'contact' AND fields_json"
                                       " LIKE '%last_followup%'"), ==, 0);
  crm_test_store_free (ts);
}

static void
test_outbox (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmFollowup) a = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *fields = NULL;

  a = add_followup (ts->store, zhang, "2026-11-01T01:00:00Z", "a", "2026-11-10T01:00:00Z");
  g_assert_cmpint (outbox_count (ts->store, "upsert"), ==, 1);
  fields = crm_test_query_text (ts->store, "SELECT json_extract (fields_json, '$.next_step')"
                                " FROM outbox WHERE kind = 'followup'");
  g_assert_cmpstr (fields, ==, "回访");
  g_clear_pointer (&fields, g_free);

  /* an edit sends what changed; saving it unchanged sends nothing */
  crm_followup_set_notes (a, "a2");
  g_assert_true (crm_store_save_followup (ts->store, a, CRM_DEAL_N_STAGES, &error));
  g_assert_cmpint (outbox_count (ts->store, "upsert"), ==, 2);
  fields = crm_test_query_text (ts->store, "SELECT fields_json FROM outbox"
                                " WHERE kind = 'followup' ORDER BY local_seq DESC LIMIT 1");
  g_assert_cmpstr (fields, ==, "{\"notes\":\"a2\"}");
  g_assert_true (crm_store_save_followup (ts->store, a, CRM_DEAL_N_STAGES, &error));
  g_assert_cmpint (outbox_count (ts->store, "upsert"), ==, 2);

  /* a snooze is this computer's: nothing queued */
  g_assert_true (crm_store_snooze_followup (ts->store, a, "2026-11-10T02:00:00Z", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (crm_followup_get_snoozed_until (a), ==, "2026-11-10T02:00:00Z");
  g_assert_cmpint (outbox_count (ts->store, "upsert"), ==, 2);

  /* done is synced; a delete is */
  g_assert_true (crm_store_complete_followup (ts->store, a, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outbox_count (ts->store, "upsert"), ==, 3);
  g_clear_pointer (&fields, g_free);
  fields = crm_test_query_text (ts->store, "SELECT json_extract (fields_json, '$.done_at')"
                                " FROM outbox WHERE kind = 'followup'"
                                " ORDER BY local_seq DESC LIMIT 1");
  g_assert_cmpstr (fields, ==, crm_followup_get_done_at (a));
  g_assert_true (crm_store_delete_followup (ts->store, a, &error));
  g_assert_cmpint (outbox_count (ts->store, "delete"), ==, 1);
  g_assert_true (crm_store_restore_followup (ts->store, a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outbox_count (ts->store, "upsert"), ==, 4);
  crm_test_store_free (ts);
}

static void
test_due_and_reminders (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmFollowup) late = add_followup (ts->store, zhang, "2026-11-01T01:00:00Z", "late",
                                               "2026-11-20T01:00:00Z");
  g_autoptr (CrmFollowup) soon = add_followup (ts->store, zhang, "2026-11-01T01:00:00Z", "soon",
                                               "2026-11-10T01:00:00Z");
  g_autoptr (CrmFollowup) none = add_followup (ts->store, zhang, "2026-11-01T01:00:00Z", "none",
                                               NULL);
  g_autoptr (GError) error = NULL;

  /* by their time, up to a bound (excluded), at most a limit */
  assert_list (crm_store_list_due_followups (ts->store, NULL, 0, &error), "soon,late");
  assert_list (crm_store_list_due_followups (ts->store, "2026-11-20T01:00:00Z", 0, &error),
               "soon");
  assert_list (crm_store_list_due_followups (ts->store, "2026-11-20T09:00:01+08:00", 0, &error),
               "soon,late");
  assert_list (crm_store_list_due_followups (ts->store, NULL, 1, &error), "soon");
  g_assert_no_error (error);
  g_assert_null (crm_store_list_due_followups (ts->store, "明天", 0, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* reminders in (after, until]: the app was closed over both */
  assert_list (crm_store_list_reminders (ts->store, NULL, "2026-11-30T00:00:00Z", &error),
               "soon,late");
  assert_list (crm_store_list_reminders (ts->store, "2026-11-10T01:00:00Z",
                                         "2026-11-30T00:00:00Z", &error), "late");
  assert_list (crm_store_list_reminders (ts->store, NULL, "2026-11-10T01:00:00.500Z", &error),
               "soon");
  assert_list (crm_store_list_reminders (ts->store, NULL, "2026-11-10T00:59:59Z", &error), "");

  /* snoozed past its step: later, but still due in Today */
  g_assert_true (crm_store_snooze_followup (ts->store, soon, "2026-11-10T02:00:00Z", &error));
  g_assert_no_error (error);
  assert_list (crm_store_list_reminders (ts->store, NULL, "2026-11-10T01:30:00Z", &error), "");
  assert_list (crm_store_list_reminders (ts->store, "2026-11-10T01:00:00Z",
                                         "2026-11-10T02:00:00Z", &error), "soon");
  assert_list (crm_store_list_reminders (ts->store, "2026-11-10T02:00:00Z",
                                         "2026-11-30T00:00:00Z", &error), "late");
  assert_list (crm_store_list_due_followups (ts->store, "2026-11-11T00:00:00Z", 0, &error),
               "soon");
  /* a new time for the step forgets the snooze */
  crm_followup_set_next_at (soon, "2026-11-12T01:00:00Z");
  g_assert_true (crm_store_save_followup (ts->store, soon, CRM_DEAL_N_STAGES, &error));
  g_assert_null (crm_followup_get_snoozed_until (soon));
  assert_list (crm_store_list_reminders (ts->store, "2026-11-10T02:00:00Z",
                                         "2026-11-12T01:00:00Z", &error), "soon");

  /* done: out of both */
  g_assert_true (crm_store_complete_followup (ts->store, late, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (crm_followup_get_done_at (late));
  assert_list (crm_store_list_due_followups (ts->store, NULL, 0, &error), "soon");
  assert_list (crm_store_list_reminders (ts->store, NULL, "2026-11-30T00:00:00Z", &error),
               "soon");
  g_assert_cmpstr (crm_followup_get_notes (none), ==, "none");
  crm_test_store_free (ts);
}

static void
test_complete_with_next (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmFollowup) step = add_followup (ts->store, zhang, "2026-11-01T01:00:00Z", "step",
                                               "2026-11-10T01:00:00Z");
  g_autoptr (CrmFollowup) next = crm_followup_new ();
  g_autoptr (CrmFollowup) bad = crm_followup_new ();
  g_autoptr (GError) error = NULL;

  /* a next one that cannot be saved: the step is not done either */
  crm_followup_set_next_step (bad, "签合同");   /* no date */
  g_assert_false (crm_store_complete_followup (ts->store, step, bad, &error));
  g_assert_error (error, CRM_VALIDATE_ERROR, CRM_VALIDATE_ERROR_REQUIRED);
  g_clear_error (&error);
  crm_followup_set_next_at (bad, "2026-11-15T01:00:00Z");
  crm_followup_set_contact_id (bad, "6f1c6bd0-0000-4000-8000-00000000ffff");
  g_assert_false (crm_store_complete_followup (ts->store, step, bad, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (crm_followup_get_done_at (step));
  g_assert_false (crm_followup_is_saved (bad));
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count (*) FROM followups"
                                       " WHERE done_at IS NOT NULL"), ==, 0);
  assert_list (crm_store_list_due_followups (ts->store, NULL, 0, NULL), "step");

  /* done, and the next one for the same contact */
  crm_followup_set_notes (next, "next");
  crm_followup_set_next_step (next, "签合同");
  crm_followup_set_next_at (next, "2026-11-15T01:00:00Z");
  g_assert_true (crm_store_complete_followup (ts->store, step, next, &error));
  g_assert_no_error (error);
  g_assert_nonnull (crm_followup_get_done_at (step));
  g_assert_true (crm_followup_is_saved (next));
  g_assert_cmpstr (crm_followup_get_contact_id (next), ==, crm_contact_get_id (zhang));
  assert_list (crm_store_list_due_followups (ts->store, NULL, 0, NULL), "next");
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count (*) FROM followups"
                                       " WHERE done_at IS NOT NULL"), ==, 1);
  crm_test_store_free (ts);
}

static void
test_move_deal (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmDeal) deal = add_deal (ts->store, zhang, "年度采购");
  g_autoptr (CrmFollowup) followup = make_followup (zhang, "2026-11-01T01:00:00Z", "报价", NULL);
  g_autoptr (CrmFollowup) lost = make_followup (zhang, "2026-11-02T01:00:00Z", "丢了", NULL);
  g_autoptr (CrmFollowup) broken = make_followup (zhang, "2026-11-03T01:00:00Z", "坏了", NULL);
  g_autoptr (CrmDeal) got = NULL;
  g_autoptr (GError) error = NULL;
  const char *deal_id = crm_deal_get_id (deal);

  crm_followup_set_deal_id (followup, deal_id);
  g_assert_true (crm_store_save_followup (ts->store, followup, CRM_DEAL_PROPOSAL, &error));
  g_assert_no_error (error);
  got = crm_store_get_deal (ts->store, deal_id, &error);
  g_assert_cmpint (crm_deal_get_stage (got), ==, CRM_DEAL_PROPOSAL);
  g_assert_cmpint (crm_deal_get_probability (got), ==, 50);
  g_clear_object (&got);

  /* lost needs its reason: neither the deal nor the follow-up is written */
  crm_followup_set_deal_id (lost, deal_id);
  g_assert_false (crm_store_save_followup (ts->store, lost, CRM_DEAL_LOST, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);
  g_assert_false (crm_followup_is_saved (lost));

  /* the move made, the follow-up refused by the database: both rolled back */
  crm_test_exec (ts->store, "CREATE TEMP TRIGGER refuse BEFORE INSERT ON followups"
                 " WHEN new.notes = '坏了' BEGIN SELECT RAISE (ABORT, 'refused'); END");
  crm_followup_set_deal_id (broken, deal_id);
  g_assert_false (crm_store_save_followup (ts->store, broken, CRM_DEAL_WON, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (crm_followup_is_saved (broken));

  got = crm_store_get_deal (ts->store, deal_id, &error);
  g_assert_cmpint (crm_deal_get_stage (got), ==, CRM_DEAL_PROPOSAL);
  g_clear_object (&got);
  assert_list (crm_store_list_deal_followups (ts->store, deal_id, 0, 0, NULL), "报价");
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count (*) FROM outbox"
                                       " WHERE kind = 'deal'"
                                       " AND json_extract (fields_json, '$.stage') = 'proposal'"),
                   ==, 1);
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count (*) FROM outbox"
                                       " WHERE kind = 'deal'"
                                       " AND json_extract (fields_json, '$.stage') = 'won'"),
                   ==, 0);

  /* leaving the stage as it is (or N_STAGES) moves nothing */
  crm_followup_set_notes (followup, "报价2");
  g_assert_true (crm_store_save_followup (ts->store, followup, CRM_DEAL_PROPOSAL, &error));
  g_assert_no_error (error);
  got = crm_store_get_deal (ts->store, deal_id, &error);
  g_assert_cmpint (crm_deal_get_stage (got), ==, CRM_DEAL_PROPOSAL);
  crm_test_store_free (ts);
}

typedef struct
{
  guint        followup_changed;
  guint        contact_changed;
  guint        resets;
  CrmFollowup *before;   /* of the last followup-changed */
  CrmFollowup *after;
} Told;

static void
on_followup_changed (CrmStore    *store,
                     CrmFollowup *before,
                     CrmFollowup *after,
                     Told        *told)
{
  told->followup_changed++;
  g_set_object (&told->before, before);
  g_set_object (&told->after, after);
}

static void
on_contact_changed (CrmStore   *store,
                    CrmContact *before,
                    CrmContact *after,
                    Told       *told)
{
  g_assert_cmpstr (crm_contact_get_last_followup_at (before), !=,
                   crm_contact_get_last_followup_at (after));
  told->contact_changed++;
}

static void
on_reset (CrmStore *store,
          Told     *told)
{
  told->resets++;
}

static void
test_signals (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "", "");
  g_autoptr (CrmFollowup) a = make_followup (zhang, "2026-11-01T01:00:00Z", "a",
                                             "2026-11-10T01:00:00Z");
  g_autoptr (CrmFollowup) bad = make_followup (zhang, "2026-11-01T01:00:00Z", "", NULL);
  g_autoptr (GError) error = NULL;
  Told told = { 0, };

  g_signal_connect (ts->store, "followup-changed", G_CALLBACK (on_followup_changed), &told);
  g_signal_connect (ts->store, "contact-changed", G_CALLBACK (on_contact_changed), &told);
  g_signal_connect (ts->store, "followups-reset", G_CALLBACK (on_reset), &told);

  /* new: the follow-up, and its contact's last_followup_at */
  g_assert_true (crm_store_save_followup (ts->store, a, CRM_DEAL_N_STAGES, &error));
  g_assert_cmpuint (told.followup_changed, ==, 1);
  g_assert_null (told.before);
  g_assert_true (told.after == a);
  g_assert_cmpuint (told.contact_changed, ==, 1);

  /* an edit that keeps the time: the follow-up only */
  crm_followup_set_notes (a, "a2");
  g_assert_true (crm_store_save_followup (ts->store, a, CRM_DEAL_N_STAGES, &error));
  g_assert_cmpuint (told.followup_changed, ==, 2);
  g_assert_cmpstr (crm_followup_get_notes (told.before), ==, "a");
  g_assert_cmpuint (told.contact_changed, ==, 1);
  g_assert_true (crm_store_snooze_followup (ts->store, a, "2026-11-10T02:00:00Z", &error));
  g_assert_cmpuint (told.followup_changed, ==, 3);
  g_assert_cmpuint (told.contact_changed, ==, 1);

  /* refused: nothing told */
  g_assert_false (crm_store_save_followup (ts->store, bad, CRM_DEAL_N_STAGES, NULL));
  g_assert_cmpuint (told.followup_changed, ==, 3);

  /* deleted and restored */
  g_assert_true (crm_store_delete_followup (ts->store, a, &error));
  g_assert_cmpuint (told.followup_changed, ==, 4);
  g_assert_nonnull (told.before);
  g_assert_null (told.after);
  g_assert_cmpuint (told.contact_changed, ==, 2);
  g_assert_true (crm_store_restore_followup (ts->store, a, &error));
  g_assert_no_error (error);
  g_assert_null (told.before);
  g_assert_true (told.after == a);
  g_assert_cmpuint (told.contact_changed, ==, 3);
  g_assert_cmpuint (told.resets, ==, 0);

  g_signal_handlers_disconnect_by_data (ts->store, &told);
  g_clear_object (&told.before);
  g_clear_object (&told.after);
  crm_test_store_free (ts);
}

static void
test_migrate_from_9 (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (CrmFollowup) followup = NULL;
  g_autofree char *last = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (_crm_search_register_tokenizer (db), ==, SQLITE_OK);
  g_assert_true (_crm_store_migrate_to (db, 9, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO contacts (id, name, sort_key, created_at,"
                                 " updated_at) VALUES ('6f1c6bd0-0000-4000-8000-000000000001',"
                                 " '欧阳修', 'ouyangxiu', '2026-01-01T00:00:00Z',"
                                 " '2026-01-01T00:00:00Z');"
                                 "INSERT INTO deals (id, title, contact_id, amount_fen, stage,"
                                 " probability, created_at, updated_at) VALUES"
                                 " ('6f1c6bd0-0000-4000-8000-000000000003', '年度采购',"
                                 " '6f1c6bd0-0000-4000-8000-000000000001', 123456, 'proposal',"
                                 " 50, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  contact = crm_store_get_contact (store, "6f1c6bd0-0000-4000-8000-000000000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_name (contact), ==, "欧阳修");
  deal = crm_store_get_deal (store, "6f1c6bd0-0000-4000-8000-000000000003", &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_deal_get_amount (deal), ==, 123456);
  g_assert_null (crm_store_get_last_followup_at (store, crm_contact_get_id (contact)));

  /* and follow-ups work on what was there */
  followup = make_followup (contact, "2026-11-01T01:00:00Z", "迁移后", "2026-11-02T01:00:00Z");
  crm_followup_set_deal_id (followup, crm_deal_get_id (deal));
  g_assert_true (crm_store_save_followup (store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
  last = crm_store_get_last_followup_at (store, crm_contact_get_id (contact));
  g_assert_cmpstr (last, ==, "2026-11-01T01:00:00Z");
  assert_list (crm_store_list_due_followups (store, NULL, 0, NULL), "迁移后");
  g_clear_object (&store);
  crm_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-followups/save-get-list", test_save_get_list);
  g_test_add_func ("/store-followups/save-refused", test_save_refused);
  g_test_add_func ("/store-followups/delete-restore", test_delete_restore);
  g_test_add_func ("/store-followups/deleted-contact-hidden", test_deleted_contact_hidden);
  g_test_add_func ("/store-followups/last-followup-at", test_last_followup_at);
  g_test_add_func ("/store-followups/outbox", test_outbox);
  g_test_add_func ("/store-followups/due-and-reminders", test_due_and_reminders);
  g_test_add_func ("/store-followups/complete-with-next", test_complete_with_next);
  g_test_add_func ("/store-followups/move-deal", test_move_deal);
  g_test_add_func ("/store-followups/signals", test_signals);
  g_test_add_func ("/store-followups/migrate-from-9", test_migrate_from_9);

  return g_test_run ();
}
