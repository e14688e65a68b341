/* test-sync-conflicts.c — the conflicts list: both values shown, who made
 * the other one and when, either kept; the changes the server refused
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * keep-either: two conflicts are made as a push's answer makes them (the
 * server named a field both sides changed, with the value that lost), on a
 * real store. The controller counts them (the badge); the dialog shows both
 * values; "Use the Other Value" writes the other value back as a new edit
 * (queued for the server) and "Keep This Value" leaves the record as it
 * is; both close the conflict.
 *
 * server: two computers signed in to a real xiaohe-crm-server as wang and
 * li change a deal's amount and stage; li's arrive later and win, so li's
 * dialog names wang and when, shows the amounts as money and the stages by
 * name, puts wang's amount back (which reaches wang's computer through the
 * server) and keeps li's stage. li also deleted a contact whose new deal
 * li had not seen: the server refused it, and the dialog lists it with the
 * reason until dismissed. Needs the test session and XIAOHE_CRM_SERVER.
 *
 * certification: the other value of the certification is offered while it
 * is a draft and put back; once certified only "keep" is, and the row says
 * why.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-conflicts-dialog.h"
#include "crm-format.h"
#include "crm-store-sync.h"
#include "crm-sync-controller.h"
#include "crm-test-client.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"

#define SLUG "team"
#define PASSWORD "correct horse 1"

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static CrmWireResult *
conflict_answer (const char *mutation_id,
                 const char *field,
                 const char *lost)
{
  CrmWireResult *r = crm_wire_result_new ();

  r->mutation_id = g_strdup (mutation_id);
  r->status = CRM_WIRE_STATUS_APPLIED;
  r->version = 7;
  r->conflicts = g_strsplit (field, ",", -1);
  r->conflict_values = json_object_new ();
  json_object_set_string_member (r->conflict_values, field, lost);
  return r;
}

static guint
open_conflicts (CrmStore *store)
{
  g_autoptr (GPtrArray) conflicts = crm_store_list_conflicts (store, NULL);

  g_assert_nonnull (conflicts);
  return conflicts->len;
}

static void
test_conflicts_keep_either (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) wang = crm_test_add (ts->store, "Wang Wu", "13800138000", NULL);
  g_autoptr (CrmContact) zhao = crm_test_add (ts->store, "Zhao Liu", "13700137000", NULL);
  g_autoptr (CrmContact) read = NULL;
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func
    ((GDestroyNotify) crm_wire_result_free);
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSyncController) controller = NULL;
  GtkWidget *dialog, *button;
  CrmWireMutation *m;

  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 2);
  g_ptr_array_add (results, conflict_answer (((CrmWireMutation *) batch->pdata[0])->mutation_id,
                                             "mobile", "13900139000"));
  g_ptr_array_add (results, conflict_answer (((CrmWireMutation *) batch->pdata[1])->mutation_id,
                                             "mobile", "13600136000"));
  g_assert_true (crm_store_outbox_apply_results (ts->store, results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 0);

  /* the badge's count */
  controller = crm_sync_controller_new (ts->store);
  g_assert_cmpuint (crm_sync_controller_get_n_conflicts (controller), ==, 2);

  /* both values of each, Wang's first */
  dialog = crm_conflicts_dialog_new (ts->store);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (crm_ui_has_label (dialog, "Wang Wu · Mobile"));
  g_assert_true (crm_ui_has_label (dialog, "You · kept now"));
  g_assert_true (crm_ui_has_label (dialog, "13800138000"));
  /* an answer that named no one (an older server) */
  g_assert_true (crm_ui_has_label (dialog, "Changed on another computer"));
  g_assert_true (crm_ui_has_label (dialog, "13900139000"));
  g_assert_true (crm_ui_has_label (dialog, "Zhao Liu · Mobile"));

  /* Wang: the other value, written back as an edit queued for the server */
  button = find_button (dialog, "Use the _Other Value");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  read = crm_store_get_contact (ts->store, crm_contact_get_id (wang), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_MOBILE), ==, "13900139000");
  g_assert_cmpuint (open_conflicts (ts->store), ==, 1);
  pending = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  m = pending->pdata[0];
  g_assert_cmpstr (m->id, ==, crm_contact_get_id (wang));
  g_assert_cmpstr (json_object_get_string_member (m->fields, "mobile"), ==, "13900139000");
  g_assert_false (crm_ui_has_label (dialog, "Wang Wu · Mobile"));

  /* Zhao: this computer's value stays */
  button = find_button (dialog, "_Keep This Value");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_clear_object (&read);
  read = crm_store_get_contact (ts->store, crm_contact_get_id (zhao), &error);
  g_assert_cmpstr (crm_contact_get_field (read, CRM_CONTACT_FIELD_MOBILE), ==, "13700137000");
  g_assert_cmpuint (open_conflicts (ts->store), ==, 0);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1);
  g_assert_true (crm_ui_has_label (dialog, "No conflicts: every change was merged."));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_run_dispose (G_OBJECT (controller));
  g_clear_object (&controller);
  crm_test_store_free (ts);
}

/* the row (a box) under @root holding a label @title */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (GTK_IS_LIST_BOX_ROW (root) && crm_ui_has_label (root, title))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* clicks the button @label of the row titled @title */
static void
click_in_row (GtkWidget  *dialog,
              const char *title,
              const char *label)
{
  GtkWidget *row = find_row (dialog, title);
  GtkWidget *button;

  g_assert_nonnull (row);
  button = find_button (row, label);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  crm_ui_iterate ();
}

static CrmConflict *
find_conflict (GPtrArray  *conflicts,
               const char *field)
{
  for (guint i = 0; i < conflicts->len; i++)
    if (g_strcmp0 (((CrmConflict *) conflicts->pdata[i])->field, field) == 0)
      return conflicts->pdata[i];
  return NULL;
}

static CrmDeal *
add_deal (CrmStore   *store,
          const char *title,
          const char *contact_id)
{
  CrmDeal *deal = crm_deal_new ();
  g_autoptr (GError) error = NULL;

  crm_deal_set_title (deal, title);
  crm_deal_set_contact_id (deal, contact_id);
  crm_deal_set_amount (deal, 100000);
  crm_deal_set_stage (deal, CRM_DEAL_QUALIFIED);
  g_assert_true (crm_store_save_deal (store, deal, &error));
  g_assert_no_error (error);
  return deal;
}

/* the deal @id of @store with a new amount and stage, saved (queued) */
static void
edit_deal (CrmStore     *store,
           const char   *id,
           gint64        fen,
           CrmDealStage  stage)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDeal) deal = crm_store_get_deal (store, id, &error);

  g_assert_nonnull (deal);
  crm_deal_set_amount (deal, fen);
  crm_deal_set_stage (deal, stage);
  g_assert_true (crm_store_save_deal (store, deal, &error));
  g_assert_no_error (error);
}

static void
assert_deal (CrmStore     *store,
             const char   *id,
             gint64        fen,
             CrmDealStage  stage)
{
  g_autoptr (CrmDeal) deal = crm_store_get_deal (store, id, NULL);

  g_assert_nonnull (deal);
  g_assert_cmpint (crm_deal_get_amount (deal), ==, fen);
  g_assert_cmpint (crm_deal_get_stage (deal), ==, stage);
}

static void
test_conflicts_server (void)
{
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  g_autoptr (CrmTestClient) a = NULL;
  g_autoptr (CrmTestClient) b = NULL;
  g_autoptr (CrmContact) zhang = NULL;
  g_autoptr (CrmContact) li_si = NULL;
  g_autoptr (CrmContact) li_si_on_b = NULL;
  g_autoptr (CrmDeal) pump = NULL;
  g_autoptr (CrmDeal) old_deal = NULL;
  g_autoptr (CrmDeal) new_deal = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GPtrArray) refused = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *who = NULL;
  g_autofree char *when = NULL;
  CrmConflict *amount;
  CrmWireMutation *m;
  GtkWidget *dialog;

  crm_test_server_add_company (server, SLUG, "Team");
  crm_test_server_add_user (server, SLUG, "wang", PASSWORD);
  crm_test_server_add_user (server, SLUG, "li", PASSWORD);
  crm_test_server_start (server);
  a = crm_test_client_new (server, SLUG, "wang", PASSWORD, "a");
  b = crm_test_client_new (server, SLUG, "li", PASSWORD, "b");

  zhang = crm_test_add (a->store, "张三", "13800138000", NULL);
  li_si = crm_test_add (a->store, "李四", "13900139000", NULL);
  pump = add_deal (a->store, "水泵", crm_contact_get_id (zhang));
  old_deal = add_deal (a->store, "旧单", crm_contact_get_id (li_si));
  crm_test_client_sync (a);
  crm_test_client_sync (b);

  /* both change the pump's amount and stage; wang also adds a deal for 李四,
   * and li, who has not seen it, deletes 李四 with the deals li knows */
  edit_deal (a->store, crm_deal_get_id (pump), 200000, CRM_DEAL_PROPOSAL);
  new_deal = add_deal (a->store, "新单", crm_contact_get_id (li_si));
  edit_deal (b->store, crm_deal_get_id (pump), 300000, CRM_DEAL_NEGOTIATION);
  li_si_on_b = crm_test_client_find (b, "李四");
  g_assert_nonnull (li_si_on_b);
  g_assert_true (crm_store_delete_contact_with_deals (b->store, li_si_on_b,
                                                      CRM_CONTACT_DEALS_DELETE, &error));
  g_assert_no_error (error);
  crm_test_client_sync (a);
  crm_test_client_sync (b);     /* arrives later: li's values win */

  conflicts = crm_store_list_conflicts (b->store, &error);
  g_assert_no_error (error);
  amount = find_conflict (conflicts, "amount_fen");
  g_assert_nonnull (amount);
  g_assert_nonnull (find_conflict (conflicts, "stage"));
  g_assert_cmpstr (amount->other_user, ==, "wang");
  g_assert_nonnull (amount->other_at);
  when = crm_format_timestamp (amount->other_at, NULL);
  g_assert_nonnull (when);
  who = g_strdup_printf ("Changed by wang · %s", when);
  refused = crm_store_outbox_rejections (b->store, &error);
  g_assert_cmpuint (refused->len, ==, 1);

  dialog = crm_conflicts_dialog_new (b->store);
  gtk_window_present (GTK_WINDOW (dialog));
  /* who and when, money as money, stages by name */
  g_assert_true (crm_ui_has_label (dialog, "水泵 · Amount"));
  g_assert_true (crm_ui_has_label (dialog, who));
  g_assert_true (crm_ui_has_label (dialog, "¥2,000.00"));
  g_assert_true (crm_ui_has_label (dialog, "¥3,000.00"));
  g_assert_true (crm_ui_has_label (dialog, "水泵 · Stage"));
  g_assert_true (crm_ui_has_label (dialog, crm_deal_stage_get_label (CRM_DEAL_PROPOSAL)));
  g_assert_true (crm_ui_has_label (dialog, crm_deal_stage_get_label (CRM_DEAL_NEGOTIATION)));
  /* the refused delete, with its reason */
  g_assert_true (crm_ui_has_label (dialog, "Deleting 李四"));
  g_assert_true (crm_ui_has_label (dialog, "The contact still has deals on the server, so it "
                                           "was not deleted."));

  /* wang's amount back, as an edit queued for the server; li's stage kept */
  click_in_row (dialog, "水泵 · Amount", "Use the _Other Value");
  g_assert_false (crm_ui_has_label (dialog, "水泵 · Amount"));
  assert_deal (b->store, crm_deal_get_id (pump), 200000, CRM_DEAL_NEGOTIATION);
  pending = crm_store_outbox_batch (b->store, 10, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  m = pending->pdata[0];
  g_assert_cmpstr (m->id, ==, crm_deal_get_id (pump));
  g_assert_cmpint (json_object_get_int_member (m->fields, "amount_fen"), ==, 200000);
  click_in_row (dialog, "水泵 · Stage", "_Keep This Value");
  assert_deal (b->store, crm_deal_get_id (pump), 200000, CRM_DEAL_NEGOTIATION);
  g_assert_null (find_row (dialog, "水泵 · Stage"));

  /* the refusal, read and dismissed */
  click_in_row (dialog, "Deleting 李四", "_Dismiss");
  g_clear_pointer (&refused, g_ptr_array_unref);
  refused = crm_store_outbox_rejections (b->store, &error);
  g_assert_cmpuint (refused->len, ==, 0);
  g_assert_false (crm_ui_has_label (dialog, "Deleting 李四"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* li's choice reaches wang's computer; 李四 came back to li's */
  crm_test_client_sync (b);
  crm_test_client_sync (a);
  assert_deal (a->store, crm_deal_get_id (pump), 200000, CRM_DEAL_NEGOTIATION);
  g_clear_object (&li_si_on_b);
  li_si_on_b = crm_test_client_find (b, "李四");
  g_assert_nonnull (li_si_on_b);
}

/* the certification saved with @kept as its legal representative, and the
 * server's answer: @lost lost to it (the outbox emptied) */
static void
certification_conflict (CrmStore   *store,
                        const char *kept,
                        const char *lost)
{
  g_autoptr (CrmCertification) cert = crm_store_get_certification (store, NULL);
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_result_free);
  g_autoptr (GError) error = NULL;

  if (cert == NULL)
    cert = crm_certification_new ();
  g_free (cert->legal_representative);
  cert->legal_representative = g_strdup (kept);
  g_assert_true (crm_store_save_certification (store, cert, &error));
  g_assert_no_error (error);
  batch = crm_store_outbox_batch (store, 10, &error);
  g_assert_cmpuint (batch->len, >=, 1);
  for (guint i = 0; i < batch->len; i++)
    g_ptr_array_add (results,
                     conflict_answer (((CrmWireMutation *) batch->pdata[i])->mutation_id,
                                      "legal_representative", lost));
  g_assert_true (crm_store_outbox_apply_results (store, results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (crm_store_outbox_count (store), ==, 0);
}

static void
test_conflicts_certification (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmCertification) read = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog;

  /* the certification is sent under the company's id: signed in first */
  g_assert_true (crm_store_set_sync_company (ts->store, "c0ffee00-0000-4000-8000-000000000001",
                                             &error));
  g_assert_no_error (error);
  certification_conflict (ts->store, "张三", "李四");
  g_assert_cmpuint (open_conflicts (ts->store), ==, 1);

  /* a draft takes the other value */
  dialog = crm_conflicts_dialog_new (ts->store);
  g_assert_true (crm_ui_has_label (dialog, "Certification · Legal representative"));
  click_in_row (dialog, "Certification · Legal representative", "Use the _Other Value");
  read = crm_store_get_certification (ts->store, &error);
  g_assert_cmpstr (read->legal_representative, ==, "李四");
  g_assert_cmpuint (open_conflicts (ts->store), ==, 0);
  g_assert_cmpuint (crm_store_outbox_count (ts->store), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* certified: only "keep", saying why */
  certification_conflict (ts->store, "王五", "赵六");
  crm_test_exec (ts->store, "UPDATE sync_state SET applying = 1;"
                            " UPDATE certification SET status = 'certified';"
                            " UPDATE sync_state SET applying = 0");
  dialog = crm_conflicts_dialog_new (ts->store);
  g_assert_true (crm_ui_has_label (dialog, "赵六"));
  g_assert_null (find_button (dialog, "Use the _Other Value"));
  g_assert_nonnull (find_button (dialog, "_Keep This Value"));
  g_assert_true (crm_ui_has_label (dialog, "The certification is approved and locked, so only "
                                           "the value kept now can stay."));
  gtk_window_destroy (GTK_WINDOW (dialog));
  crm_test_store_free (ts);
}

/* a follow-up's notes and kind changed on two computers: shown by name,
 * the other notes put back through the follow-up's save */
static void
test_conflicts_followup (void)
{
  CrmTestStore *ts = crm_test_store_new_signed_in ();
  g_autoptr (CrmContact) zhang = crm_test_add (ts->store, "张三", "13800138000", NULL);
  g_autoptr (CrmFollowup) followup = crm_followup_new ();
  g_autoptr (CrmFollowup) read = NULL;
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_result_free);
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog;
  CrmWireResult *r;
  CrmWireMutation *m = NULL;

  crm_followup_set_contact_id (followup, crm_contact_get_id (zhang));
  crm_followup_set_notes (followup, "谈了价格");
  g_assert_true (crm_store_save_followup (ts->store, followup, CRM_DEAL_N_STAGES, &error));
  g_assert_no_error (error);
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  for (guint i = 0; i < batch->len; i++)
    {
      m = batch->pdata[i];
      r = crm_wire_result_new ();
      r->mutation_id = g_strdup (m->mutation_id);
      r->status = CRM_WIRE_STATUS_APPLIED;
      r->version = 3 + i;
      if (m->kind == CRM_WIRE_KIND_FOLLOWUP)
        {
          r->conflicts = g_strsplit ("notes,kind", ",", -1);
          r->conflict_values = json_object_new ();
          json_object_set_string_member (r->conflict_values, "notes", "谈了交期");
          json_object_set_string_member (r->conflict_values, "kind", "visit");
          r->conflict_by = json_object_new ();
          json_object_set_string_member (r->conflict_by, "notes", "zhao");
        }
      g_ptr_array_add (results, r);
    }
  g_assert_true (crm_store_outbox_apply_results (ts->store, results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (open_conflicts (ts->store), ==, 2);

  dialog = crm_conflicts_dialog_new (ts->store);
  g_assert_true (crm_ui_has_label (dialog, "Follow-up of 张三 · Notes"));
  g_assert_true (crm_ui_has_label (dialog, "Changed by zhao"));
  g_assert_true (crm_ui_has_label (dialog, "谈了交期"));
  g_assert_true (crm_ui_has_label (dialog, "Follow-up of 张三 · How"));
  g_assert_true (crm_ui_has_label (dialog, "Visit"));
  g_assert_true (crm_ui_has_label (dialog, "Call"));
  click_in_row (dialog, "Follow-up of 张三 · Notes", "Use the _Other Value");
  read = crm_store_get_followup (ts->store, crm_followup_get_id (followup), &error);
  g_assert_cmpstr (crm_followup_get_notes (read), ==, "谈了交期");
  g_assert_cmpint (crm_followup_get_kind (read), ==, CRM_FOLLOWUP_CALL);
  g_assert_cmpuint (open_conflicts (ts->store), ==, 1);
  g_clear_pointer (&batch, g_ptr_array_unref);
  batch = crm_store_outbox_batch (ts->store, 10, &error);
  g_assert_cmpuint (batch->len, ==, 1);
  m = batch->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (m->fields, "notes"), ==, "谈了交期");
  gtk_window_destroy (GTK_WINDOW (dialog));
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;
  g_test_add_func ("/sync-conflicts/keep-either", test_conflicts_keep_either);
  g_test_add_func ("/sync-conflicts/certification", test_conflicts_certification);
  g_test_add_func ("/sync-conflicts/followup", test_conflicts_followup);
  g_test_add_func ("/sync-conflicts/server", test_conflicts_server);
  return g_test_run ();
}
