/* test-certification-page.c — the certification page in each state
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-certification-page.h"
#include "crm-license-dialog.h"
#include "crm-store-private.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  GtkWidget    *page;
} Fixture;

static void
set_state (CrmStore   *store,
           const char *status,
           const char *reason)
{
  g_autoptr (CrmCertification) cert = crm_certification_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE certification SET status = '%s',"
                                          " reject_reason = '%s'", status, reason);

  g_free (cert->company_name);
  cert->company_name = g_strdup ("小禾科技");
  g_free (cert->uscc);
  cert->uscc = g_strdup ("913301087458306077");
  crm_store_save_certification (store, cert, &error);
  g_assert_no_error (error);
  /* the verdict, as the sync client will write it */
  g_assert_cmpint (sqlite3_exec (_crm_store_get_db (store), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
}

static void
open_page (Fixture *f)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  f->page = g_object_new (CRM_TYPE_CERTIFICATION_PAGE, NULL);
  crm_certification_page_set_store (CRM_CERTIFICATION_PAGE (f->page), f->ts->store);
  gtk_window_set_child (f->window, f->page);
  gtk_window_present (f->window);
  crm_ui_iterate ();
}

static void
close_page (Fixture *f)
{
  gtk_window_destroy (f->window);
  crm_ui_iterate ();
  crm_test_store_free (f->ts);
}

static gboolean
enabled (Fixture    *f,
         const char *action)
{
  /* an action that is disabled does nothing when activated */
  return gtk_widget_is_sensitive (crm_ui_find (f->page, action));
}

static void
type_into (Fixture    *f,
           const char *id,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (f->page, id)), text);
  crm_ui_iterate ();
}

static CrmCertification *
stored (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  CrmCertification *cert = crm_store_get_certification (f->ts->store, &error);

  g_assert_no_error (error);
  return cert;
}

/* Leaving the page (the view stack hides it) keeps the draft: nothing is
 * dropped because the person went to another view. */
static void
test_page_left_saves_draft (void)
{
  Fixture f = { crm_test_store_new (), };
  GtkWidget *stack = gtk_stack_new ();
  g_autoptr (CrmCertification) cert = NULL;

  f.window = GTK_WINDOW (gtk_window_new ());
  f.page = g_object_new (CRM_TYPE_CERTIFICATION_PAGE, NULL);
  crm_certification_page_set_store (CRM_CERTIFICATION_PAGE (f.page), f.ts->store);
  gtk_stack_add_named (GTK_STACK (stack), f.page, "certification");
  gtk_stack_add_named (GTK_STACK (stack), gtk_label_new ("other"), "other");
  gtk_window_set_child (f.window, stack);
  gtk_window_present (f.window);
  crm_ui_iterate ();

  type_into (&f, "company_entry", "小禾科技");
  g_assert_null (stored (&f));
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "other");
  crm_ui_iterate ();
  cert = stored (&f);
  g_assert_nonnull (cert);
  g_assert_cmpstr (cert->company_name, ==, "小禾科技");
  g_assert_cmpint (cert->status, ==, CRM_CERTIFICATION_DRAFT);
  close_page (&f);
}

static void
on_then (GSimpleAction *action,
         GVariant      *param,
         gpointer       user_data)
{
  (*(int *)user_data)++;
}

/* What cannot be saved (a wrong code) is not dropped: the page asks; Keep
 * Editing keeps it, Discard reloads the form and then does what was asked
 * (closing, another view). Nothing typed: nothing to ask. */
static void
test_page_invalid_asks (void)
{
  Fixture f = { crm_test_store_new (), };
  CrmCertificationPage *page;
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr (GSimpleAction) then = g_simple_action_new ("done", NULL);
  AdwMessageDialog *dialog;
  int done = 0;

  open_page (&f);
  page = CRM_CERTIFICATION_PAGE (f.page);
  g_signal_connect (then, "activate", G_CALLBACK (on_then), &done);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (then));
  gtk_widget_insert_action_group (GTK_WIDGET (f.window), "test", G_ACTION_GROUP (group));

  g_assert_false (crm_certification_page_is_dirty (page));
  g_assert_true (crm_certification_page_finish_editing (page, "test.done", NULL));
  g_assert_null (crm_ui_find_message_dialog ());

  type_into (&f, "company_entry", "小禾科技");
  type_into (&f, "uscc_entry", "9111000060003734IL");
  g_assert_true (crm_certification_page_is_dirty (page));
  g_assert_false (crm_certification_page_finish_editing (page, "test.done", NULL));
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");
  crm_ui_respond (dialog, "keep");
  g_assert_cmpint (done, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (crm_ui_find (f.page, "uscc_entry"))), ==,
                   "9111000060003734IL");
  g_assert_true (crm_certification_page_is_dirty (page));

  g_assert_false (crm_certification_page_finish_editing (page, "test.done", NULL));
  crm_ui_respond (crm_ui_find_message_dialog (), "discard");
  crm_ui_iterate ();
  g_assert_cmpint (done, ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (crm_ui_find (f.page, "company_entry"))),
                   ==, "");
  g_assert_false (crm_certification_page_is_dirty (page));

  /* a valid draft is simply saved */
  type_into (&f, "company_entry", "小禾科技");
  g_assert_true (crm_certification_page_finish_editing (page, "test.done", NULL));
  g_assert_null (crm_ui_find_message_dialog ());
  {
    g_autoptr (CrmCertification) cert = stored (&f);
    g_assert_cmpstr (cert->company_name, ==, "小禾科技");
  }
  close_page (&f);
}

/* Submitting locks the form: it asks first, Cancel (the default) leaves a
 * draft; Submit submits, and the fields then look read-only. */
static void
test_page_submit_asks (void)
{
  Fixture f = { crm_test_store_new (), };
  AdwMessageDialog *dialog;
  GtkWidget *company;

  open_page (&f);
  type_into (&f, "company_entry", "小禾科技");
  type_into (&f, "uscc_entry", "91110000600037341L");
  type_into (&f, "legal_entry", "张三");
  type_into (&f, "address_entry", "郑州市金水区");
  g_assert_true (crm_certification_page_take_license (CRM_CERTIFICATION_PAGE (f.page),
                                                      crm_test_license_png (64, 48, 0x808080ff),
                                                      "license.png"));
  crm_ui_iterate ();
  g_assert_true (enabled (&f, "submit_button"));

  g_assert_true (gtk_widget_activate_action (f.page, "certification.submit", NULL));
  crm_ui_iterate ();
  dialog = crm_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  crm_ui_respond (dialog, "cancel");
  {
    g_autoptr (CrmCertification) cert = stored (&f);
    g_assert_cmpint (cert->status, ==, CRM_CERTIFICATION_DRAFT);
    g_assert_nonnull (cert->license_sha256);
  }
  company = crm_ui_find (f.page, "company_entry");
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (company)));
  g_assert_false (gtk_widget_get_visible (crm_ui_find (f.page, "locked_caption")));

  g_assert_true (gtk_widget_activate_action (f.page, "certification.submit", NULL));
  crm_ui_iterate ();
  crm_ui_respond (crm_ui_find_message_dialog (), "submit");
  {
    g_autoptr (CrmCertification) cert = stored (&f);
    g_assert_cmpint (cert->status, ==, CRM_CERTIFICATION_SUBMITTED);
  }
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (company)));
  g_assert_false (gtk_entry_get_has_frame (GTK_ENTRY (company)));
  g_assert_true (gtk_widget_has_css_class (company, "crm-locked"));
  g_assert_true (gtk_widget_get_visible (crm_ui_find (f.page, "locked_caption")));
  g_assert_false (crm_certification_page_is_dirty (CRM_CERTIFICATION_PAGE (f.page)));
  close_page (&f);
}

/* the main menu is on this page too, opened by F10 (a primary menu button) */
static void
test_page_has_main_menu (void)
{
  Fixture f = { crm_test_store_new (), };
  GtkWidget *button;

  open_page (&f);
  button = crm_ui_find (f.page, "menu_button");
  g_assert_nonnull (button);
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)));
  g_assert_nonnull (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)));
  close_page (&f);
}

static void
test_page_empty_then_typed (void)
{
  Fixture f = { crm_test_store_new (), };
  GtkWidget *message;

  open_page (&f);
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (crm_ui_find (f.page, "uscc_entry"))));
  g_assert_false (enabled (&f, "submit_button"));

  /* a wrong character is an error; a failed check only a warning */
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (f.page, "uscc_entry")), "9111000060003734IL");
  message = crm_ui_find (f.page, "uscc_message");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_true (gtk_widget_has_css_class (message, "error"));
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (f.page, "uscc_entry")), "91350100M0001TGQXM");
  g_assert_true (gtk_widget_has_css_class (message, "warning"));
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (f.page, "uscc_entry")), "91110000600037341L");
  g_assert_false (gtk_widget_get_visible (message));
  close_page (&f);
}

static void
test_page_certified_is_locked (void)
{
  Fixture f = { crm_test_store_new (), };

  set_state (f.ts->store, "certified", "");
  open_page (&f);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (crm_ui_find (f.page, "status_label"))), ==,
                   "Certified");
  for (const char *const *id = (const char *const[]) { "company_entry", "uscc_entry",
                                                        "legal_entry", "address_entry", NULL };
       *id; id++)
    {
      GtkWidget *entry = crm_ui_find (f.page, *id);

      g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (entry)));
      /* read-only to the eye too, and still there to read and copy */
      g_assert_false (gtk_entry_get_has_frame (GTK_ENTRY (entry)));
      g_assert_cmpstr (gtk_entry_get_icon_name (GTK_ENTRY (entry), GTK_ENTRY_ICON_SECONDARY), ==,
                       "changes-prevent-symbolic");
      g_assert_true (gtk_widget_get_sensitive (entry));
    }
  g_assert_true (gtk_widget_get_visible (crm_ui_find (f.page, "locked_caption")));
  g_assert_false (enabled (&f, "choose_button"));
  g_assert_false (enabled (&f, "save_button"));
  g_assert_false (enabled (&f, "submit_button"));
  close_page (&f);
}

static void
test_page_rejected_shows_reason (void)
{
  Fixture f = { crm_test_store_new (), };
  const char *detail;

  set_state (f.ts->store, "rejected", "营业执照模糊");
  open_page (&f);
  detail = gtk_label_get_text (GTK_LABEL (crm_ui_find (f.page, "status_detail")));
  g_assert_nonnull (strstr (detail, "营业执照模糊"));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (crm_ui_find (f.page, "legal_entry"))));
  g_assert_true (enabled (&f, "choose_button"));
  close_page (&f);
}

/* Coming to the page puts the cursor in the company name (issue 9 did it) */
static void
test_page_focus_starts_in_company (void)
{
  Fixture f = { crm_test_store_new (), };

  open_page (&f);
  gtk_window_set_focus (f.window, NULL);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f.window), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f.window)),
                                         crm_ui_find (f.page, "company_entry")));
  close_page (&f);
}

static const char *
choose_label (Fixture *f)
{
  return gtk_label_get_label (GTK_LABEL (crm_ui_find (f->page, "choose_label")));
}

/* Once a license is there, its button replaces it; removed, it uploads one. */
static void
test_page_replace_license_label (void)
{
  Fixture f = { crm_test_store_new (), };

  open_page (&f);
  g_assert_cmpstr (choose_label (&f), ==, "Upload L_icense…");
  g_assert_true (crm_certification_page_take_license (CRM_CERTIFICATION_PAGE (f.page),
                                                      crm_test_license_png (64, 48, 0x808080ff),
                                                      "license.png"));
  crm_ui_iterate ();
  g_assert_cmpstr (choose_label (&f), ==, "Replace L_icense…");
  g_assert_true (gtk_widget_activate_action (f.page, "certification.remove-license", NULL));
  crm_ui_iterate ();
  g_assert_cmpstr (choose_label (&f), ==, "Upload L_icense…");
  close_page (&f);
}

/* The label says what the file is; its SHA-256 is only in the tooltip. */
static void
test_page_hides_checksum (void)
{
  Fixture f = { crm_test_store_new (), };
  CrmLicenseFile *file = crm_test_license_png (64, 48, 0x808080ff);
  g_autofree char *sha = g_strdup (file->sha256);
  g_autofree char *start = g_strndup (sha, 8);
  GtkWidget *label;

  open_page (&f);
  g_assert_true (crm_certification_page_take_license (CRM_CERTIFICATION_PAGE (f.page), file,
                                                      "license.png"));
  crm_ui_iterate ();
  label = crm_ui_find (f.page, "license_label");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "license.png"));
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (label)), start));
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (label)), "SHA"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (label));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (label), sha));
  close_page (&f);
}

static CrmLicenseDialog *
find_license_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (CRM_IS_LICENSE_DIALOG (window))
        return CRM_LICENSE_DIALOG (window);
    }
  return NULL;
}

static CrmLicenseDialog *
open_license_dialog (Fixture *f)
{
  CrmLicenseDialog *dialog;

  g_assert_true (gtk_widget_activate_action (f->page, "certification.upload-license", NULL));
  crm_ui_iterate ();
  dialog = find_license_dialog ();
  g_assert_nonnull (dialog);
  return dialog;
}

/* The dialog's Remove is there only when there is a license to remove. */
static void
test_page_dialog_remove_needs_license (void)
{
  Fixture f = { crm_test_store_new (), };
  CrmLicenseDialog *dialog;

  open_page (&f);
  dialog = open_license_dialog (&f);
  g_assert_false (gtk_widget_is_sensitive (crm_ui_find (GTK_WIDGET (dialog), "remove_button")));
  gtk_window_destroy (GTK_WINDOW (dialog));
  crm_ui_iterate ();

  g_assert_true (crm_certification_page_take_license (CRM_CERTIFICATION_PAGE (f.page),
                                                      crm_test_license_png (64, 48, 0x808080ff),
                                                      "license.png"));
  crm_ui_iterate ();
  dialog = open_license_dialog (&f);
  g_assert_true (gtk_widget_is_sensitive (crm_ui_find (GTK_WIDGET (dialog), "remove_button")));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "license.remove", NULL);
  crm_ui_iterate ();
  g_assert_null (find_license_dialog ());
  g_assert_cmpstr (choose_label (&f), ==, "Upload L_icense…");
  close_page (&f);
}

static gboolean
no_license_dialog (gpointer data)
{
  return find_license_dialog () == NULL;
}

static gboolean
dialog_shows_file (gpointer data)
{
  return gtk_widget_get_visible (crm_ui_find (data, "info_label"));
}

/* Use This License is the dialog's default: once a file is judged, Enter
 * (the default widget, where the focus now is) takes it, not Cancel. */
static void
test_page_dialog_default_is_use (void)
{
  Fixture f = { crm_test_store_new (), };
  g_autoptr (CrmLicenseFile) png = crm_test_license_png (64, 48, 0x808080ff);
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "scan.png", NULL);
  g_autoptr (GError) error = NULL;
  CrmLicenseDialog *dialog;
  GtkWidget *use;

  g_file_set_contents (path, g_bytes_get_data (png->data, NULL),
                       g_bytes_get_size (png->data), &error);
  g_assert_no_error (error);
  open_page (&f);
  dialog = open_license_dialog (&f);
  use = crm_ui_find (GTK_WIDGET (dialog), "use_button");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == use);

  crm_license_dialog_load_path (dialog, path);
  crm_test_wait_until (dialog_shows_file, dialog, 10);
  g_assert_true (gtk_widget_is_sensitive (use));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (dialog)) == use);
  /* what Enter does (a button clicks once its activation is shown) */
  g_assert_true (gtk_widget_activate (gtk_root_get_focus (GTK_ROOT (dialog))));
  crm_test_wait_until (no_license_dialog, NULL, 10);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (crm_ui_find (f.page, "license_label"))),
                            "scan.png"));
  close_page (&f);
  crm_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_func ("/certification-page/empty-then-typed", test_page_empty_then_typed);
  g_test_add_func ("/certification-page/certified-is-locked", test_page_certified_is_locked);
  g_test_add_func ("/certification-page/rejected-shows-reason", test_page_rejected_shows_reason);
  g_test_add_func ("/certification-page/left-saves-draft", test_page_left_saves_draft);
  g_test_add_func ("/certification-page/invalid-asks", test_page_invalid_asks);
  g_test_add_func ("/certification-page/submit-asks", test_page_submit_asks);
  g_test_add_func ("/certification-page/has-main-menu", test_page_has_main_menu);
  g_test_add_func ("/certification-page/focus-starts-in-company",
                   test_page_focus_starts_in_company);
  g_test_add_func ("/certification-page/replace-license-label",
                   test_page_replace_license_label);
  g_test_add_func ("/certification-page/hides-checksum", test_page_hides_checksum);
  g_test_add_func ("/certification-page/dialog-remove-needs-license",
                   test_page_dialog_remove_needs_license);
  g_test_add_func ("/certification-page/dialog-default-is-use", test_page_dialog_default_is_use);
  return g_test_run ();
}
