/* test-mnemonics.c — no two mnemonics on screen at once share a key
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each window in the states a person sees it (the main window on the
 * contacts view, empty, with the editor on a new contact beside the empty
 * state and on a saved one; on the deals board and list; on certification;
 * the deal editor on a new and on a lost deal; the license dialog; the terms
 * window; the lost-reason question), walks the mapped widgets, collects the
 * mnemonic keys of the labels that use an underline (buttons and check
 * buttons show theirs through such a label) and fails listing every key used
 * twice with its labels. Each case runs in English and in Chinese
 * (LANGUAGE=zh_CN, from the build tree's catalogue).
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "crm-deal-editor.h"
#include "crm-deals-page.h"
#include "crm-import-dialog.h"
#include "crm-license-dialog.h"
#include "crm-lost-dialog.h"
#include "crm-terms-window.h"
#include "crm-window.h"

#include "crm-test-ui.h"
#include "crm-test-util.h"

static gint
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return (gint) GPOINTER_TO_UINT (a) - (gint) GPOINTER_TO_UINT (b);
}

static void
collect (GtkWidget  *widget,
         GHashTable *keys)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint keyval = gtk_label_get_mnemonic_keyval (GTK_LABEL (widget));

      if (keyval != GDK_KEY_VoidSymbol)
        {
          gpointer key = GUINT_TO_POINTER (gdk_keyval_to_lower (keyval));
          GPtrArray *labels = g_hash_table_lookup (keys, key);

          if (labels == NULL)
            {
              labels = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (keys, key, labels);
            }
          g_ptr_array_add (labels, g_strdup (gtk_label_get_label (GTK_LABEL (widget))));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect (child, keys);
}

/* the clashes among the @n mnemonics shown in @root, one line each, or "" */
static char *
clashes (GtkWidget *root,
         guint     *n_out)
{
  g_autoptr (GHashTable) keys = g_hash_table_new_full (NULL, NULL, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GString) out = g_string_new ("");
  g_autoptr (GList) sorted = NULL;
  guint n = 0;

  collect (root, keys);
  sorted = g_list_sort (g_hash_table_get_keys (keys), compare_keys);
  for (GList *l = sorted; l; l = l->next)
    {
      GPtrArray *labels = g_hash_table_lookup (keys, l->data);

      n += labels->len;
      if (labels->len < 2)
        continue;
      g_string_append_printf (out, "Alt+%s:", gdk_keyval_name (GPOINTER_TO_UINT (l->data)));
      for (guint i = 0; i < labels->len; i++)
        g_string_append_printf (out, " “%s”", (char *) labels->pdata[i]);
      g_string_append_c (out, '\n');
    }
  *n_out = n;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* returns how many mnemonics @root shows */
static guint
assert_no_clash (GtkWidget  *root,
                 const char *what)
{
  g_autofree char *found = NULL;
  guint n;

  crm_ui_iterate ();
  found = clashes (root, &n);
  g_test_message ("%s: %u mnemonics", what, n);
  /* every clash of every state is listed before the case fails */
  if (*found != '\0')
    {
      g_test_message ("mnemonic clash in %s (%s):\n%s", what, g_getenv ("LANGUAGE"), found);
      g_test_fail ();
    }
  return n;
}

static GtkWindow *
host (GtkWidget *page)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_set_child (window, page);
  gtk_window_present (window);
  crm_ui_iterate ();
  return window;
}

/* the main window (without an application) showing @view */
static GtkWindow *
main_window (CrmTestStore *ts,
             const char   *view)
{
  GtkWindow *window = GTK_WINDOW (crm_window_new (NULL, ts->store));
  AdwViewStack *views;

  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);
  crm_ui_iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", view));
  crm_ui_iterate ();
  views = ADW_VIEW_STACK (crm_ui_get (GTK_WIDGET (window), "views"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (views), ==, view);
  return window;
}

static void
close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  crm_ui_iterate ();
}

/* gettext looks at LANGUAGE again once textdomain() is called */
static void
use_language (const char *language)
{
  const char *msgid = "Mark the Deal as Lost?";

  g_setenv ("LANGUAGE", language, TRUE);
  textdomain (GETTEXT_PACKAGE);
  if (g_str_equal (language, "en"))
    g_assert_cmpstr (_(msgid), ==, msgid);
  else /* the catalogue is built (po/zh_CN.mo) and found */
    g_assert_cmpstr (_(msgid), !=, msgid);
}

static void
test_contacts_page (gconstpointer language)
{
  CrmTestStore *ts = crm_test_store_new ();
  GtkWindow *window = main_window (ts, "contacts");
  GtkWidget *page = crm_ui_get (GTK_WIDGET (window), "contacts_page");

  assert_no_clash (GTK_WIDGET (window), "contacts, empty");

  /* the first contact typed: the empty state is still shown beside it */
  g_assert_true (gtk_widget_activate_action (page, "contacts.new", NULL));
  /* the editor's fields, at least: the walk does see them */
  g_assert_cmpuint (assert_no_clash (GTK_WIDGET (window), "contacts, editor on a new contact"),
                    >=, 10);

  /* saved: the list instead of the empty state, and the new deal button */
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_get (page, "name_input")), "张三");
  g_assert_true (gtk_widget_activate_action (page, "contacts.save", NULL));
  crm_ui_iterate ();
  g_assert_cmpint (crm_store_count_contacts (ts->store), ==, 1);
  assert_no_clash (GTK_WIDGET (window), "contacts, editor on a saved contact");

  close_window (window);
  crm_test_store_free (ts);
}

static gboolean
deals_shown (gpointer page)
{
  return crm_deals_page_is_shown (CRM_DEALS_PAGE (page));
}

/* the page fills its board after the first frame it is shown in */
static void
wait_deals_shown (CrmDealsPage *page)
{
  crm_test_wait_until (deals_shown, page, 10);
  crm_ui_iterate ();
}

static CrmDeal *
add_deal (CrmTestStore *ts,
          const char   *title)
{
  g_autoptr (GError) error = NULL;
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, title);
  crm_deal_set_amount (deal, 100000);
  crm_deal_move_to_stage (deal, CRM_DEAL_PROPOSAL);
  g_assert_true (crm_store_save_deal (ts->store, deal, &error));
  g_assert_no_error (error);
  return deal;
}

static void
test_deals_page (gconstpointer language)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmDeal) deal = add_deal (ts, "Alpha");
  GtkWindow *window = main_window (ts, "deals");
  GtkWidget *page = crm_ui_get (GTK_WIDGET (window), "deals_page");

  wait_deals_shown (CRM_DEALS_PAGE (page));
  assert_no_clash (GTK_WIDGET (window), "deals, board");

  g_assert_true (gtk_widget_activate_action (page, "deals.presentation", "s", "list"));
  crm_ui_iterate ();
  assert_no_clash (GTK_WIDGET (window), "deals, list");

  close_window (window);
  crm_test_store_free (ts);
}

static void
test_certification_page (gconstpointer language)
{
  CrmTestStore *ts = crm_test_store_new ();
  GtkWindow *window = main_window (ts, "certification");

  assert_no_clash (GTK_WIDGET (window), "certification");

  close_window (window);
  crm_test_store_free (ts);
}

static void
test_deal_editor (gconstpointer language)
{
  CrmTestStore *ts = crm_test_store_new ();
  GtkWindow *parent = host (gtk_label_new (""));
  CrmDealEditor *editor = crm_deal_editor_new (parent, ts->store);
  g_autoptr (CrmDeal) lost = crm_deal_new ();

  crm_deal_editor_start_new (editor, NULL, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  assert_no_clash (GTK_WIDGET (editor), "deal editor, new deal");

  /* a lost deal shows its reason too */
  crm_deal_set_title (lost, "Lost");
  crm_deal_move_to_stage (lost, CRM_DEAL_LOST);
  crm_deal_set_lost_reason (lost, "price");
  crm_deal_editor_edit (editor, lost);
  crm_ui_iterate ();
  g_assert_true (gtk_widget_get_mapped (crm_ui_get (GTK_WIDGET (editor), "reason_input")));
  assert_no_clash (GTK_WIDGET (editor), "deal editor, lost deal");

  gtk_window_destroy (GTK_WINDOW (editor));
  close_window (parent);
  crm_test_store_free (ts);
}

static void
test_license_dialog (gconstpointer language)
{
  GtkWindow *parent = host (gtk_label_new (""));
  GtkWidget *dialog = crm_license_dialog_new (parent);

  gtk_window_present (GTK_WINDOW (dialog));
  assert_no_clash (dialog, "license dialog");

  gtk_window_destroy (GTK_WINDOW (dialog));
  close_window (parent);
}

static void
test_terms_window (gconstpointer language)
{
  GtkWidget *window = crm_terms_window_new (FALSE);

  gtk_window_present (GTK_WINDOW (window));
  assert_no_clash (window, "terms window");
  close_window (GTK_WINDOW (window));
}

static void
ignore_reason (const char *reason,
               gpointer    user_data)
{
}

static void
test_lost_dialog (gconstpointer language)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmDeal) deal = add_deal (ts, "Alpha");
  GtkWidget *owner = gtk_label_new ("");
  GtkWindow *parent = host (owner);
  AdwMessageDialog *dialog;

  crm_lost_dialog_ask (owner, deal, ignore_reason, NULL, NULL);
  crm_ui_iterate ();
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  assert_no_clash (GTK_WIDGET (dialog), "lost reason");

  crm_ui_respond (dialog, "cancel");
  close_window (parent);
  crm_test_store_free (ts);
}

static gboolean
import_idle (gpointer dialog)
{
  return !crm_import_dialog_is_busy (dialog);
}

/* the import dialog on its first step, then on a file's preview */
static void
test_import_dialog (gconstpointer language)
{
  CrmTestStore *ts = crm_test_store_new ();
  GtkWindow *parent = host (gtk_label_new (""));
  CrmImportDialog *dialog = crm_import_dialog_new (parent, ts->store, NULL);
  g_autofree char *path = g_build_filename (ts->dir, "import.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);

  g_assert_true (g_file_set_contents (path, "姓名,手机,备注\n张三,13812345678,x\n", -1, NULL));
  gtk_window_present (GTK_WINDOW (dialog));
  assert_no_clash (GTK_WIDGET (dialog), "import dialog");
  crm_import_dialog_open_file (dialog, file);
  crm_test_wait_until (import_idle, dialog, 60);
  g_assert_cmpstr (crm_import_dialog_get_state (dialog), ==, "preview");
  g_assert_cmpuint (assert_no_clash (GTK_WIDGET (dialog), "import preview"), >=, 6);

  gtk_window_destroy (GTK_WINDOW (dialog));
  close_window (parent);
  crm_test_store_free (ts);
}

static const char *const languages[] = { "en", "zh_CN" };

static const struct
{
  const char    *name;
  GTestDataFunc  func;
} cases[] = {
  { "contacts-page", test_contacts_page },
  { "deals-page", test_deals_page },
  { "certification-page", test_certification_page },
  { "deal-editor", test_deal_editor },
  { "license-dialog", test_license_dialog },
  { "terms-window", test_terms_window },
  { "lost-dialog", test_lost_dialog },
  { "import-dialog", test_import_dialog },
};

typedef struct
{
  const char    *language;
  GTestDataFunc  func;
} Run;

/* the widgets take their strings when built: the language comes first */
static void
run_case (gconstpointer data)
{
  const Run *run = data;

  use_language (run->language);
  run->func (run->language);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func (g_free);
  const char *locale = setlocale (LC_ALL, "");

  /* LANGUAGE counts in any locale but C */
  if (locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX"))
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("XIAOHE_CRM_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!crm_ui_test_init (&argc, &argv))
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
      {
        g_autofree char *path = g_strdup_printf ("/mnemonics/%s/%s", languages[i],
                                                 cases[j].name);
        Run *run = g_new (Run, 1);

        run->language = languages[i];
        run->func = cases[j].func;
        g_ptr_array_add (runs, run);
        g_test_add_data_func (path, run, run_case);
      }
  return g_test_run ();
}
