/* test-ui-pieces.c — the pieces the pages share: the undo queue and its
 * toast, the "Discard the Changes?" question
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "crm-discard-dialog.h"
#include "crm-undo.h"

#include "crm-test-ui.h"

static GObject *
named (const char *name)
{
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data_full (object, "name", g_strdup (name), g_free);
  return object;
}

/* The newest deletion comes back first; the twenty newest are kept; each
 * push says what was deleted, with Undo bound to the page's action. */
static void
test_undo_queue (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  CrmUndoQueue undo;

  gtk_window_set_child (GTK_WINDOW (window), overlay);
  crm_undo_queue_init (&undo, ADW_TOAST_OVERLAY (overlay), "page.undo");
  g_assert_true (crm_undo_queue_is_empty (&undo));
  g_assert_null (crm_undo_queue_pop (&undo));

  for (guint i = 1; i <= 21; i++)
    {
      g_autofree char *name = g_strdup_printf ("item %u", i);
      g_autoptr (GObject) item = named (name);
      g_autofree char *title = g_strdup_printf ("“%s” deleted", name);

      crm_undo_queue_push (&undo, item, name);
      g_assert_nonnull (undo.toast);
      g_assert_cmpstr (adw_toast_get_title (undo.toast), ==, title);
      g_assert_cmpstr (adw_toast_get_action_name (undo.toast), ==, "page.undo");
      g_assert_cmpstr (adw_toast_get_button_label (undo.toast), ==, "_Undo");
    }
  g_assert_false (crm_undo_queue_is_empty (&undo));

  for (guint i = 21; i >= 2; i--)
    {
      g_autoptr (GObject) item = crm_undo_queue_pop (&undo);
      g_autofree char *name = g_strdup_printf ("item %u", i);

      g_assert_nonnull (item);
      g_assert_cmpstr (g_object_get_data (item, "name"), ==, name);
    }
  /* the oldest went when the twenty-first came */
  g_assert_true (crm_undo_queue_is_empty (&undo));
  g_assert_null (crm_undo_queue_pop (&undo));

  crm_undo_queue_clear (&undo);
  g_assert_null (undo.toast);
  g_assert_true (crm_undo_queue_is_empty (&undo));
  gtk_window_destroy (GTK_WINDOW (window));
  crm_ui_iterate ();
}

typedef struct
{
  int answers;
  int discards;
  int thens;
} Counts;

static Counts counts;

static void
on_answer (GtkWidget *owner,
           gboolean   discard)
{
  counts.answers++;
  counts.discards += discard ? 1 : 0;
}

static void
on_then (GSimpleAction *action,
         GVariant      *param,
         gpointer       user_data)
{
  g_assert_cmpstr (g_variant_get_string (param, NULL), ==, "after");
  counts.thens++;
}

static void
wait_for_then (void)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (counts.thens == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

/* Keep Editing is the default and what closing means, Discard is
 * destructive; the owner hears the answer, and its next action follows a
 * discard only. */
static void
test_discard_dialog (void)
{
  static const GActionEntry entries[] = { { "then", on_then, "s", NULL, NULL, { 0 } } };
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *owner = gtk_label_new ("form");
  AdwMessageDialog *dialog;

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), NULL);
  gtk_widget_insert_action_group (window, "test", G_ACTION_GROUP (group));
  gtk_window_set_child (GTK_WINDOW (window), owner);
  gtk_window_present (GTK_WINDOW (window));
  counts = (Counts) { 0 };

  dialog = ADW_MESSAGE_DIALOG (crm_discard_dialog_ask (owner, "Nothing is saved.", on_answer,
                                                       "test.then",
                                                       g_variant_new_string ("after")));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Discard the Changes?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "Nothing is saved.");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "keep");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "keep"), ==, "_Keep Editing");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "discard"), ==, "_Discard");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "discard"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);

  /* closing it keeps: the owner is told, nothing follows */
  gtk_window_close (GTK_WINDOW (dialog));
  crm_ui_iterate ();
  g_assert_cmpint (counts.answers, ==, 1);
  g_assert_cmpint (counts.discards, ==, 0);
  g_assert_cmpint (counts.thens, ==, 0);

  dialog = ADW_MESSAGE_DIALOG (crm_discard_dialog_ask (owner, NULL, on_answer, "test.then",
                                                       g_variant_new_string ("after")));
  adw_message_dialog_response (dialog, "discard");
  /* the next action waits for the dialog's signal to be over */
  g_assert_cmpint (counts.discards, ==, 1);
  g_assert_cmpint (counts.thens, ==, 0);
  wait_for_then ();
  g_assert_cmpint (counts.answers, ==, 2);
  g_assert_cmpint (counts.thens, ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  crm_ui_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */
  g_setenv ("LANGUAGE", "en", TRUE);    /* the strings checked are the English ones */

  g_test_add_func ("/ui-pieces/undo-queue", test_undo_queue);
  g_test_add_func ("/ui-pieces/discard-dialog", test_discard_dialog);
  return g_test_run ();
}
