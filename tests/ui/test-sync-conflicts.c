/* test-sync-conflicts.c — the conflicts list: both values shown, either kept
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two conflicts are made as a push's answer makes them (the server named a
 * field both sides changed, with the value that lost), on a real store. The
 * controller counts them (the badge); the dialog shows both values; "Use the
 * Other Value" writes the other value back as a new edit (queued for the
 * server) and "Keep This Value" leaves the record as it is; both close the
 * conflict.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-conflicts-dialog.h"
#include "crm-store-sync.h"
#include "crm-sync-controller.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"

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
  CrmTestStore *ts = crm_test_store_new ();
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
  g_assert_true (crm_ui_has_label (dialog, "Kept now (this computer’s): 13800138000"));
  g_assert_true (crm_ui_has_label (dialog, "The other computer’s: 13900139000"));
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

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;
  g_test_add_func ("/sync-conflicts/keep-either", test_conflicts_keep_either);
  return g_test_run ();
}
