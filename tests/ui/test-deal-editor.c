/* test-deal-editor.c — the deal editor checks each field as it is typed
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under a real display, with a real store: each field says what is wrong
 * beside itself as it is changed (the title required, the amount read by
 * crm_money_parse(), the probability from 0 to 100, a day that exists, a
 * lost deal's reason), Save is disabled while a field is wrong and, for a
 * deal already saved, until something changes; a title passed over with
 * Tab says it is required; Enter while Save is disabled shows every
 * message; what was typed stays as it was typed. Once in
 * English and once in Chinese (the build tree's catalogue), where the
 * messages are the ones a native reader asked for (金额最小单位为分,
 * 该日期不存在).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "crm-deal-editor.h"

#include "crm-test-ui.h"
#include "crm-test-util.h"

typedef struct
{
  CrmTestStore  *ts;
  GtkWindow     *window;
  CrmDealEditor *editor;
  CrmDeal       *saved;
} Fixture;

#define iterate crm_ui_iterate

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = crm_test_store_new ();
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (f->window);
  f->editor = crm_deal_editor_new (f->window, f->ts->store);
  g_signal_connect_swapped (f->editor, "saved", G_CALLBACK (g_set_object), &f->saved);
  g_object_add_weak_pointer (G_OBJECT (f->editor), (gpointer *)&f->editor);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (f->editor));
  gtk_window_destroy (f->window);
  iterate ();
  g_clear_object (&f->saved);
  crm_test_store_free (f->ts);
}

static GtkWidget *
get (Fixture    *f,
     const char *id)
{
  return crm_ui_get (GTK_WIDGET (f->editor), id);
}

static void
type (Fixture    *f,
      const char *id,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (get (f, id)), text);
  iterate ();
}

static gboolean
can_save (Fixture *f)
{
  return gtk_widget_get_sensitive (get (f, "save_button"));
}

/* the message beside a field, NULL when it shows none */
static const char *
error_of (Fixture    *f,
          const char *id)
{
  GtkWidget *label = get (f, id);

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static void
assert_text (Fixture    *f,
             const char *id,
             const char *text)
{
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (f, id))), ==, text);
}

/* gettext looks at LANGUAGE again once textdomain() is called */
static void
use_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  textdomain (GETTEXT_PACKAGE);
}

typedef struct
{
  const char *language;
  const char *title_required;
  const char *finer_than_fen;
  const char *too_large;
  const char *probability;
  const char *no_such_day;
  const char *lost_reason;
} Messages;

static const Messages english = {
  "en",
  "A deal needs a title",
  "The amount is finer than a fen (0.01)",
  "The amount is too large: at most ¥92,233,720,368,547,758.07",
  "The probability is a percentage from 0 to 100",
  "There is no such day: type a date like 2026-12-31",
  "Say why the deal was lost",
};

static const Messages chinese = {
  "zh_CN",
  "商机必须填写名称",
  "金额最小单位为分（0.01）",
  "金额过大：不能超过 ¥92,233,720,368,547,758.07",
  "赢率是 0 到 100 之间的百分数",
  "该日期不存在：请按 2026-12-31 的格式输入日期",
  "请填写输单原因",
};

/* a new deal, field by field: each message comes as the field is typed
 * and goes as it is corrected; Save follows; nothing typed is changed */
static void
test_as_typed (Fixture       *f,
               gconstpointer  data)
{
  const Messages *m = data;
  g_autoptr (CrmDeal) stored = NULL;
  g_autoptr (GError) error = NULL;

  use_language (m->language);
  crm_deal_editor_start_new (f->editor, NULL, NULL);
  gtk_window_present (GTK_WINDOW (f->editor));
  iterate ();

  /* nothing typed: nothing to save, and no message yet */
  g_assert_false (can_save (f));
  g_assert_null (error_of (f, "title_error"));

  type (f, "title_input", "ERP");
  g_assert_true (can_save (f));
  type (f, "title_input", "");
  g_assert_cmpstr (error_of (f, "title_error"), ==, m->title_required);
  g_assert_false (can_save (f));
  type (f, "title_input", "ERP upgrade");
  g_assert_null (error_of (f, "title_error"));
  g_assert_true (can_save (f));

  type (f, "amount_input", "12.345");
  g_assert_cmpstr (error_of (f, "amount_error"), ==, m->finer_than_fen);
  g_assert_false (can_save (f));
  assert_text (f, "amount_input", "12.345");
  type (f, "amount_input", "92,233,720,368,547,758.08");
  g_assert_cmpstr (error_of (f, "amount_error"), ==, m->too_large);
  g_assert_false (can_save (f));
  type (f, "amount_input", "1.2万");
  g_assert_null (error_of (f, "amount_error"));
  g_assert_true (can_save (f));

  type (f, "probability_input", "150");
  g_assert_cmpstr (error_of (f, "probability_error"), ==, m->probability);
  g_assert_false (can_save (f));
  assert_text (f, "probability_input", "150");
  type (f, "probability_input", "60");
  g_assert_null (error_of (f, "probability_error"));
  g_assert_true (can_save (f));

  type (f, "close_input", "2026-02-30");
  g_assert_cmpstr (error_of (f, "close_error"), ==, m->no_such_day);
  g_assert_false (can_save (f));
  assert_text (f, "close_input", "2026-02-30");
  type (f, "close_input", "2026-02-28");
  g_assert_null (error_of (f, "close_error"));
  g_assert_true (can_save (f));

  /* marked lost: the reason is asked for at once */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (get (f, "stage_input")), CRM_DEAL_LOST);
  iterate ();
  g_assert_cmpstr (error_of (f, "reason_error"), ==, m->lost_reason);
  g_assert_false (can_save (f));
  type (f, "reason_input", "Price");
  g_assert_null (error_of (f, "reason_error"));
  g_assert_true (can_save (f));

  /* what was typed is what is saved */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "deal.save", NULL));
  iterate ();
  g_assert_nonnull (f->saved);
  stored = crm_store_get_deal (f->ts->store, crm_deal_get_id (f->saved), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_deal_get_title (stored), ==, "ERP upgrade");
  g_assert_cmpint (crm_deal_get_amount (stored), ==, 1200000);
  g_assert_cmpint (crm_deal_get_stage (stored), ==, CRM_DEAL_LOST);
  g_assert_cmpstr (crm_deal_get_expected_close (stored), ==, "2026-02-28");
  g_assert_cmpstr (crm_deal_get_lost_reason (stored), ==, "Price");
  use_language ("en");
}

/* a deal already saved: Save only once something changed; a field left
 * wrong by the focus says so (the title passed over empty) */
static void
test_edit_needs_change (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  g_autoptr (GError) error = NULL;

  crm_deal_set_title (deal, "Support");
  crm_deal_set_amount (deal, 50000);
  g_assert_true (crm_store_save_deal (f->ts->store, deal, &error));
  g_assert_no_error (error);

  crm_deal_editor_edit (f->editor, deal);
  gtk_window_present (GTK_WINDOW (f->editor));
  iterate ();
  assert_text (f, "amount_input", "500.00");
  g_assert_false (can_save (f));
  g_assert_null (error_of (f, "amount_error"));

  type (f, "amount_input", "600");
  g_assert_true (can_save (f));

  /* emptied: the title is required, and Save waits for it */
  type (f, "title_input", "");
  g_assert_nonnull (error_of (f, "title_error"));
  g_assert_false (can_save (f));
}

static gboolean
title_error_shown (gpointer data)
{
  return error_of (data, "title_error") != NULL;
}

static gboolean
editor_has_focus (gpointer data)
{
  Fixture *f = data;
  GtkWidget *focus;

  iterate ();
  focus = gtk_root_get_focus (GTK_ROOT (f->editor));
  return focus != NULL && gtk_widget_has_focus (focus);
}

/* a new deal's title passed over with Tab, untouched: it says it is
 * required once the focus is in the next field */
static void
test_passed_over (Fixture       *f,
                  gconstpointer  data)
{
  crm_deal_editor_start_new (f->editor, NULL, NULL);
  gtk_window_present (GTK_WINDOW (f->editor));
  /* the window has the keyboard once the X server says so: under load,
   * later than the first iteration */
  crm_test_wait_until (editor_has_focus, f, 10);
  g_assert_null (error_of (f, "title_error"));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->editor), GTK_DIR_TAB_FORWARD));
  crm_test_wait_until (title_error_shown, f, 10);
  g_assert_cmpstr (error_of (f, "title_error"), ==, "A deal needs a title");
  /* and the customer still empty is no error: a deal may have none */
  g_assert_null (error_of (f, "customer_error"));
}

/* Enter while Save is disabled: every message at once, and the focus to
 * the first wrong field, what was typed kept */
static void
test_enter_shows_all (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *focus;

  crm_deal_editor_start_new (f->editor, NULL, NULL);
  gtk_window_present (GTK_WINDOW (f->editor));
  iterate ();
  gtk_editable_set_text (GTK_EDITABLE (get (f, "close_input")), "2026-13-01");
  gtk_editable_set_text (GTK_EDITABLE (get (f, "amount_input")), "abc");
  iterate ();
  /* typed, not yet left: the amount and the date say so, the title not */
  g_assert_null (error_of (f, "title_error"));
  g_assert_false (can_save (f));

  gtk_widget_grab_focus (get (f, "close_input"));
  g_signal_emit_by_name (get (f, "close_input"), "activate");
  iterate ();
  g_assert_cmpstr (error_of (f, "title_error"), ==, "A deal needs a title");
  g_assert_nonnull (error_of (f, "amount_error"));
  g_assert_nonnull (error_of (f, "close_error"));
  focus = gtk_root_get_focus (GTK_ROOT (f->editor));
  g_assert_true (focus == get (f, "title_input")
                 || gtk_widget_is_ancestor (focus, get (f, "title_input")));
  assert_text (f, "amount_input", "abc");
  assert_text (f, "close_input", "2026-13-01");
  g_assert_null (f->saved);
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
  use_language ("en");
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add ("/deal-editor/as-typed/en", Fixture, &english, fixture_setup, test_as_typed,
              fixture_teardown);
  g_test_add ("/deal-editor/as-typed/zh_CN", Fixture, &chinese, fixture_setup, test_as_typed,
              fixture_teardown);
  g_test_add ("/deal-editor/edit-needs-change", Fixture, NULL, fixture_setup,
              test_edit_needs_change, fixture_teardown);
  g_test_add ("/deal-editor/passed-over", Fixture, NULL, fixture_setup, test_passed_over,
              fixture_teardown);
  g_test_add ("/deal-editor/enter-shows-all", Fixture, NULL, fixture_setup,
              test_enter_shows_all, fixture_teardown);
  return g_test_run ();
}
