/* test-server-followups.c — follow-ups through the server's sync logic,
 * called directly on a real SQLite storage: stored normalised and in the
 * feed, refused for another company's contact, an unknown deal, a wrong
 * kind, a time that is not one, over-long notes; a deleted contact brought
 * back; a conflict on the notes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "server-sync-fixture.h"

/* a follow-up is a record as any: stored normalised and in the feed, its
 * contact and deal the company's own, the core's rules, rule 3 per field */
static void
test_followups (Fixture       *f,
                gconstpointer  data)
{
  static const char *const refused[][2] = {
    { "{" WHEN "\"contact_id\": \"" CONTACT2 "\", \"notes\": \"x\"}", "unknown_contact" },
    { "{" WHEN "\"contact_id\": \"" CONTACT "\", \"deal_id\": \"" DEAL2 "\", \"notes\": \"x\"}",
      "unknown_deal" },
    { "{" WHEN "\"contact_id\": \"" CONTACT "\", \"kind\": \"phone\", \"notes\": \"x\"}",
      "invalid" },
    { "{" WHEN "\"contact_id\": \"" CONTACT "\", \"next_step\": \"x\", \"next_at\": \"明天\"}",
      "invalid" },
    { "{" WHEN "\"contact_id\": \"" CONTACT "\", \"next_step\": \"寄样品\"}", "invalid" },
    { "{" WHEN "\"contact_id\": \"" CONTACT "\", \"notes\": \"\"}", "invalid" },
  };
  g_autofree char *huge = g_strdup_printf ("{" WHEN "\"contact_id\": \"" CONTACT "\", \"notes\": "
                                           "\"%0*d\"}", 20001, 0);
  g_autoptr (CrmServerRecord) stored = NULL;
  g_autoptr (CrmServerRecord) contact = NULL;
  g_autoptr (CrmWireResult) conflict = NULL;
  g_autoptr (CrmWirePull) page = NULL;
  g_autoptr (CrmWirePull) other = NULL;
  CrmWireChange *change;
  gint64 v1, seq;

  v1 = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("contact", CONTACT, "upsert", 0, "{\"name\": \"张三\"}"));
  /* B has a contact CONTACT2, A does not */
  push_applied (f, &f->actor_b, CLIENT_Y,
                mutation ("contact", CONTACT2, "upsert", 0, "{\"name\": \"B 的客户\"}"));
  seq = company_seq (f, f->a->id);
  for (guint i = 0; i <= G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (CrmWireResult) result = NULL;
      g_autoptr (CrmServerRecord) none = NULL;

      result = push_one (f, &f->actor_a, CLIENT_X,
                         mutation ("followup", FOLLOWUP, "upsert", 0,
                                   i < G_N_ELEMENTS (refused) ? refused[i][0] : huge));
      assert_rejected (result, i < G_N_ELEMENTS (refused) ? refused[i][1] : "invalid");
      none = get_record (f, f->a->id, "followup", FOLLOWUP);
      g_assert_null (none);
    }
  g_assert_cmpint (company_seq (f, f->a->id), ==, seq);

  /* a deleted contact comes back with its new follow-up, as with a deal */
  push_applied (f, &f->actor_a, CLIENT_Y, mutation ("contact", CONTACT, "delete", v1, NULL));
  v1 = push_applied (f, &f->actor_a, CLIENT_X,
                     mutation ("followup", FOLLOWUP, "upsert", 0,
                               "{" WHEN "\"contact_id\": \"" CONTACT "\", \"kind\": \"visit\","
                               " \"happened_at\": \"2026-11-29T08:00:00+00:00\","
                               " \"notes\": \"  拜访 \", \"next_step\": \"寄样品\","
                               " \"next_at\": \"2026-12-01T02:00:00Z\", \"deal_id\": null}"));
  contact = get_record (f, f->a->id, "contact", CONTACT);
  g_assert_false (contact->deleted);
  assert_field (f, f->a->id, "followup", FOLLOWUP, "happened_at", "2026-11-29T08:00:00Z");
  assert_field (f, f->a->id, "followup", FOLLOWUP, "notes", "拜访");
  assert_field (f, f->a->id, "followup", FOLLOWUP, "kind", "visit");
  page = pull (f, f->a->id, seq, 1000);
  change = find_change (page, FOLLOWUP);
  g_assert_nonnull (change);
  g_assert_cmpint (change->kind, ==, CRM_WIRE_KIND_FOLLOWUP);
  g_assert_cmpstr (json_object_get_string_member (change->fields, "next_at"), ==,
                   "2026-12-01T02:00:00Z");
  g_assert_true (json_object_get_null_member (change->fields, "done_at"));
  other = pull (f, f->b->id, 0, 1000);
  g_assert_null (find_change (other, FOLLOWUP));

  /* both clients edit the notes on the same version */
  push_applied (f, &f->actor_a, CLIENT_Y,
                mutation ("followup", FOLLOWUP, "upsert", v1, "{\"notes\": \"说要报价\"}"));
  conflict = push_one (f, &f->actor_a, CLIENT_X,
                       mutation ("followup", FOLLOWUP, "upsert", v1, "{\"notes\": \"说再联系\"}"));
  g_assert_cmpint (conflict->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_cmpstr (conflict->conflicts[0], ==, "notes");
  g_assert_cmpstr (json_object_get_string_member (conflict->conflict_values, "notes"), ==,
                   "说要报价");
  stored = get_record (f, f->a->id, "followup", FOLLOWUP);
  g_assert_cmpint (stored->version, ==, conflict->version);
  assert_field (f, f->a->id, "followup", FOLLOWUP, "notes", "说再联系");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server-followups/followups", Fixture, NULL, fixture_set_up, test_followups,
              fixture_tear_down);

  return g_test_run ();
}
