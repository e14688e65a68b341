/* test-import-dialog.c — the import dialog's steps, on real files and a real store
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window with a toast overlay, as the main window has, and the dialog on
 * it. Each case writes its file (UTF-8 and GBK CSVs with Chinese headers,
 * a damaged XLSX), opens it as the chooser would, waits for the workers
 * (reading, the preview's check, the import) with a deadline, and looks at
 * the dialog's widgets and at the store: the preview's counts, a column
 * mapped again through its dropdown, duplicates skipped or updated, the
 * reader's message for a damaged file with nothing changed, Cancel in the
 * middle leaving the store identical, Undo from the window's toast, the
 * bad rows saved as a CSV, and the verified copy before a large import;
 * and "Import…" in the main menus, beside "Export…".
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-export-dialog.h"
#include "crm-import-dialog.h"
#include "crm-store-backup.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"

typedef struct
{
  CrmTestStore    *ts;
  GtkWidget       *window;
  AdwToastOverlay *overlay;
  CrmImportDialog *dialog;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ts = crm_test_store_new ();
  f->window = gtk_window_new ();
  f->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (f->overlay, gtk_label_new ("contacts"));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->overlay));
  gtk_window_present (GTK_WINDOW (f->window));
  f->dialog = crm_import_dialog_new (GTK_WINDOW (f->window), f->ts->store, f->overlay);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  gtk_window_present (GTK_WINDOW (f->dialog));
  crm_ui_iterate ();
}

static gboolean
dialog_gone (gpointer data)
{
  return ((Fixture *) data)->dialog == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dialog != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->dialog));
      crm_test_wait_until (dialog_gone, f, 20);
    }
  gtk_window_destroy (GTK_WINDOW (f->window));
  crm_ui_iterate ();
  crm_test_store_free (f->ts);
}

/* a file of @len bytes (-1: a string) in the store's folder */
static GFile *
write_file (Fixture    *f,
            const char *name,
            const char *bytes,
            gssize      len)
{
  g_autofree char *path = g_build_filename (f->ts->dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, bytes, len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static gboolean
idle (gpointer data)
{
  return !crm_import_dialog_is_busy (data);
}

/* opens @file and waits for the preview (or the message) */
static void
open_file (Fixture *f,
           GFile   *file)
{
  crm_import_dialog_open_file (f->dialog, file);
  crm_test_wait_until (idle, f->dialog, 60);
}

static GtkWidget *
get (Fixture    *f,
     const char *id)
{
  return crm_ui_get (GTK_WIDGET (f->dialog), id);
}

/* clicks Import and waits for the summary (or the preview again) */
static void
import (Fixture *f)
{
  GtkWidget *button = get (f, "import_button");

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (crm_import_dialog_get_state (f->dialog), ==, "progress");
  crm_test_wait_until (idle, f->dialog, 120);
}

static CrmContact *
find (Fixture    *f,
      const char *query)
{
  g_autoptr (GPtrArray) found = crm_store_search_contacts (f->ts->store, query, 10, NULL);

  g_assert_nonnull (found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_object_ref (g_ptr_array_index (found, 0));
}

/* the contacts, the outbox and the counters, as one text */
static char *
dump (Fixture *f)
{
  return crm_test_query_text (f->ts->store,
                              "SELECT (SELECT group_concat (id || name || company || mobile"
                              " || notes || deleted || updated_at, ';') FROM contacts)"
                              " || '|' || (SELECT count (*) FROM outbox)"
                              " || '|' || (SELECT group_concat (n) FROM counters)");
}

static void
test_utf8_csv (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GFile) file = write_file (f, "utf8.csv",
                                       "\xef\xbb\xbf姓名,手机,邮箱,备注\r\n"
                                       "张三,13812345678,zs@example.com,老客户\r\n"
                                       "李四,13912345678,,\"两行\n备注\"\r\n", -1);
  g_autoptr (CrmContact) zhang = NULL;
  const CrmImportResult *check;
  const CrmImportResult *result;

  open_file (f, file);
  g_assert_cmpstr (crm_import_dialog_get_state (f->dialog), ==, "preview");
  /* the first rows as read, and the counts of the check */
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->dialog), "姓名"));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->dialog), "zs@example.com"));
  check = crm_import_dialog_get_check (f->dialog);
  g_assert_nonnull (check);
  g_test_message ("checked: %u new, %u duplicates, %u bad", check->added, check->skipped,
                  check->bad);
  for (guint i = 0; i < check->bad_rows->len; i++)
    g_test_message ("bad: %s", ((CrmImportBadRow *) check->bad_rows->pdata[i])->reason);
  g_assert_cmpuint (check->added, ==, 2);
  g_assert_cmpuint (check->bad, ==, 0);
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->dialog), "2 rows: 2 new, 0 duplicates, 0 bad."));
  /* the check changed nothing */
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 0);
  /* Enter imports: Import is the default widget and has the focus */
  g_assert_true (gtk_widget_has_focus (get (f, "import_button")));
  /* Alt+C (the columns' mnemonic) goes to the first column's drop-down */
  {
    GtkWidget *label = get (f, "columns_label");
    GtkWidget *first = gtk_grid_get_child_at (GTK_GRID (get (f, "preview_grid")), 0, 0);
    GtkWidget *focus;

    g_assert_true (gtk_widget_mnemonic_activate (gtk_label_get_mnemonic_widget (GTK_LABEL (label)),
                                                 FALSE));
    focus = gtk_root_get_focus (GTK_ROOT (f->dialog));
    g_assert_true (focus == first || gtk_widget_is_ancestor (focus, first));
  }

  import (f);
  g_assert_cmpstr (crm_import_dialog_get_state (f->dialog), ==, "summary");
  result = crm_import_dialog_get_result (f->dialog);
  g_assert_cmpuint (result->added, ==, 2);
  g_assert_false (gtk_widget_get_visible (get (f, "save_bad_button")));
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 2);
  zhang = find (f, "13812345678");
  g_assert_cmpstr (crm_contact_get_name (zhang), ==, "张三");
  g_assert_cmpstr (crm_contact_get_field (zhang, CRM_CONTACT_FIELD_NOTES), ==, "老客户");
}

static void
test_gbk_csv (Fixture       *f,
              gconstpointer  data)
{
  const char *text = "姓名,公司,手机,职务\r\n王五,北京小禾科技有限公司,13700000001,经理\r\n"
                     "赵六,上海某某贸易公司,13700000002,\r\n";
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  g_autofree char *gbk = g_convert (text, -1, "GB18030", "UTF-8", NULL, &len, &error);
  g_autoptr (GFile) file = NULL;
  g_autoptr (CrmContact) wang = NULL;

  g_assert_no_error (error);
  file = write_file (f, "gbk.csv", gbk, (gssize) len);
  open_file (f, file);
  g_assert_cmpstr (crm_import_dialog_get_state (f->dialog), ==, "preview");
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->dialog), "公司"));
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->dialog), "北京小禾科技有限公司"));
  import (f);
  g_assert_cmpuint (crm_import_dialog_get_result (f->dialog)->added, ==, 2);
  wang = find (f, "13700000001");
  g_assert_cmpstr (crm_contact_get_field (wang, CRM_CONTACT_FIELD_COMPANY), ==, "北京小禾科技有限公司");
  g_assert_cmpstr (crm_contact_get_field (wang, CRM_CONTACT_FIELD_TITLE), ==, "经理");
}

/* the dropdowns of the preview, in column order */
static GPtrArray *
dropdowns (Fixture *f)
{
  GPtrArray *found = g_ptr_array_new ();
  GtkWidget *grid = get (f, "preview_grid");

  for (guint c = 0;; c++)
    {
      GtkWidget *child = gtk_grid_get_child_at (GTK_GRID (grid), (int) c, 0);

      if (child == NULL)
        break;
      g_assert_true (GTK_IS_DROP_DOWN (child));
      g_ptr_array_add (found, child);
    }
  return found;
}

static void
test_remap (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (GFile) file = write_file (f, "remap.csv",
                                       "姓名,手机,客户来源\n孙七,13600000001,展会\n", -1);
  g_autoptr (GPtrArray) drops = NULL;
  g_autoptr (CrmContact) sun = NULL;

  open_file (f, file);
  drops = dropdowns (f);
  g_assert_cmpuint (drops->len, ==, 3);
  /* pre-filled from the headers: Name, Mobile, Do Not Import */
  g_assert_cmpuint (gtk_drop_down_get_selected (drops->pdata[0]), ==, CRM_CONTACT_FIELD_NAME + 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (drops->pdata[1]), ==,
                    CRM_CONTACT_FIELD_MOBILE + 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (drops->pdata[2]), ==, 0);
  /* the third column becomes the notes, as a person would choose it */
  gtk_drop_down_set_selected (drops->pdata[2], CRM_CONTACT_FIELD_NOTES + 1);
  crm_test_wait_until (idle, f->dialog, 60);
  /* a field is one column's: taking the name from the first leaves it none,
   * and the check says that no column holds the names */
  gtk_drop_down_set_selected (drops->pdata[1], CRM_CONTACT_FIELD_NAME + 1);
  crm_test_wait_until (idle, f->dialog, 60);
  g_assert_cmpuint (gtk_drop_down_get_selected (drops->pdata[0]), ==, 0);
  gtk_drop_down_set_selected (drops->pdata[0], CRM_CONTACT_FIELD_NAME + 1);
  gtk_drop_down_set_selected (drops->pdata[1], CRM_CONTACT_FIELD_MOBILE + 1);
  crm_test_wait_until (idle, f->dialog, 60);
  g_assert_nonnull (crm_import_dialog_get_check (f->dialog));
  import (f);
  sun = find (f, "13600000001");
  g_assert_cmpstr (crm_contact_get_name (sun), ==, "孙七");
  g_assert_cmpstr (crm_contact_get_field (sun, CRM_CONTACT_FIELD_NOTES), ==, "展会");
}

static void
test_no_names (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GFile) file = write_file (f, "nonames.csv", "手机,备注\n13600000001,无名\n", -1);

  open_file (f, file);
  g_assert_cmpstr (crm_import_dialog_get_state (f->dialog), ==, "preview");
  g_assert_null (crm_import_dialog_get_check (f->dialog));
  g_assert_true (gtk_widget_get_visible (get (f, "preview_message")));
  g_assert_false (gtk_widget_is_sensitive (get (f, "import_button")));
}

static const char duplicates_csv[] = "姓名,手机,公司\n张三,13812345678,新公司\n赵六,13700000006,\n";

static void
test_duplicates (Fixture       *f,
                 gconstpointer  data)
{
  gboolean update = GPOINTER_TO_INT (data);
  g_autoptr (CrmContact) zhang = crm_test_add (f->ts->store, "张三", "13812345678", "");
  g_autoptr (GFile) file = write_file (f, "dup.csv", duplicates_csv, -1);
  g_autoptr (CrmContact) after = NULL;
  const CrmImportResult *result;

  open_file (f, file);
  g_assert_cmpuint (crm_import_dialog_get_check (f->dialog)->skipped, ==, 1);
  g_assert_cmpuint (crm_import_dialog_get_check (f->dialog)->added, ==, 1);
  g_assert_true (crm_ui_has_label (GTK_WIDGET (f->dialog), "2 rows: 1 new, 1 duplicate, 0 bad."));
  if (update)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (get (f, "update_button")), TRUE);
  import (f);
  result = crm_import_dialog_get_result (f->dialog);
  g_assert_cmpuint (result->added, ==, 1);
  g_assert_cmpuint (result->updated, ==, update ? 1 : 0);
  g_assert_cmpuint (result->skipped, ==, update ? 0 : 1);
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 2);
  after = crm_store_get_contact (f->ts->store, crm_contact_get_id (zhang), NULL);
  g_assert_cmpstr (crm_contact_get_field (after, CRM_CONTACT_FIELD_COMPANY), ==,
                   update ? "新公司" : "");
}

static void
test_damaged_xlsx (Fixture       *f,
                   gconstpointer  data)
{
  static const char damaged[] = "PK\003\004\024\000\000\000\010\000garbage, not a workbook";
  g_autoptr (CrmContact) zhang = crm_test_add (f->ts->store, "张三", "13812345678", "");
  g_autoptr (GFile) good = write_file (f, "good.csv", duplicates_csv, -1);
  g_autoptr (GFile) file = write_file (f, "damaged.xlsx", damaged, sizeof damaged - 1);
  g_autofree char *before = dump (f);
  g_autofree char *after = NULL;
  GtkWidget *message = get (f, "choose_message");

  open_file (f, file);
  g_assert_cmpstr (crm_import_dialog_get_state (f->dialog), ==, "choose");
  g_assert_true (gtk_widget_get_visible (message));
  g_test_message ("said: %s", gtk_label_get_text (GTK_LABEL (message)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), !=, "");
  /* a good file after it is previewed, and the message goes */
  open_file (f, good);
  g_assert_cmpstr (crm_import_dialog_get_state (f->dialog), ==, "preview");
  g_assert_false (gtk_widget_get_visible (message));
  open_file (f, file);
  g_assert_cmpstr (crm_import_dialog_get_state (f->dialog), ==, "choose");
  after = dump (f);
  g_assert_cmpstr (before, ==, after);
}

static gboolean
progress_shown (gpointer data)
{
  Fixture *f = data;

  return gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (get (f, "progress_bar"))) > 0
         || !crm_import_dialog_is_busy (f->dialog);
}

/* a CSV of @n rows: 用户N, 150NNNNNNNN */
static GFile *
big_csv (Fixture *f,
         guint    n)
{
  g_autoptr (GString) text = g_string_new ("姓名,手机,公司\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "用户%u,150%08u,公司%u\n", i, i, i % 7);
  return write_file (f, "big.csv", text->str, (gssize) text->len);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (GFile) file = big_csv (f, 60000);
  g_autofree char *before = dump (f);
  g_autofree char *after = NULL;
  GtkWidget *message = get (f, "preview_message");

  open_file (f, file);
  g_signal_emit_by_name (get (f, "import_button"), "clicked");
  /* Cancel once the rows are going in */
  crm_test_wait_until (progress_shown, f, 60);
  g_assert_true (crm_import_dialog_is_busy (f->dialog));
  g_signal_emit_by_name (get (f, "cancel_button"), "clicked");
  crm_test_wait_until (idle, f->dialog, 60);
  g_assert_cmpstr (crm_import_dialog_get_state (f->dialog), ==, "preview");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==,
                   "The import was cancelled; nothing was changed");
  g_assert_null (crm_import_dialog_get_result (f->dialog));
  after = dump (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 0);
}

typedef struct
{
  Fixture *f;
  guint    count;
} Count;

static gboolean
count_is (gpointer data)
{
  Count *c = data;

  return crm_store_count_contacts (c->f->ts->store) == c->count;
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr (CrmContact) zhang = crm_test_add (f->ts->store, "张三", "13812345678", "");
  g_autoptr (GFile) file = write_file (f, "dup.csv", duplicates_csv, -1);
  g_autoptr (CrmContact) after = NULL;
  GtkWidget *undo;
  Count back = { f, 1 };

  open_file (f, file);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (get (f, "update_button")), TRUE);
  import (f);
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 2);
  /* closed: the window's toast offers Undo Import */
  gtk_window_close (GTK_WINDOW (f->dialog));
  crm_test_wait_until (dialog_gone, f, 20);
  undo = crm_ui_find_button (GTK_WIDGET (f->overlay), "_Undo Import");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  crm_test_wait_until (count_is, &back, 60);
  /* the contact it updated is as it was */
  after = crm_store_get_contact (f->ts->store, crm_contact_get_id (zhang), NULL);
  g_assert_cmpstr (crm_contact_get_field (after, CRM_CONTACT_FIELD_COMPANY), ==, "");
}

static void
test_bad_rows (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GFile) file = write_file (f, "bad.csv",
                                       "姓名,手机\n周八,13500000008\n吴九,12345\n", -1);
  g_autofree char *path = g_build_filename (f->ts->dir, "bad-rows.csv", NULL);
  g_autoptr (GFile) out = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  open_file (f, file);
  g_assert_cmpuint (crm_import_dialog_get_check (f->dialog)->bad, ==, 1);
  /* the preview names the bad row's line and field */
  g_assert_true (gtk_widget_get_visible (get (f, "bad_label")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (get (f, "bad_label"))),
                            "Line 3: Mobile: "));
  import (f);
  g_assert_cmpuint (crm_import_dialog_get_result (f->dialog)->added, ==, 1);
  g_assert_cmpuint (crm_import_dialog_get_result (f->dialog)->bad, ==, 1);
  g_assert_true (gtk_widget_get_visible (get (f, "save_bad_button")));
  g_assert_true (crm_import_dialog_save_bad_rows (f->dialog, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbf姓名,手机,Problem\r\n"));
  g_assert_nonnull (strstr (text, "吴九,12345,"));
  g_assert_null (strstr (text, "周八"));
}

static void
test_backup_first (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (CrmContact) zhang = crm_test_add (f->ts->store, "张三", "13812345678", "");
  g_autoptr (GFile) file = big_csv (f, 1500);
  g_autoptr (GPtrArray) copies = NULL;
  g_autoptr (GError) error = NULL;

  open_file (f, file);
  import (f);
  g_assert_cmpuint (crm_store_count_contacts (f->ts->store), ==, 1501);
  copies = crm_backup_list (crm_store_get_backup_dir (f->ts->store), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copies->len, ==, 1);
}

/* the item of a menu model's @section, @index: its label and action */
static void
assert_item (GMenuModel *menu,
             int         index,
             const char *label,
             const char *action)
{
  g_autofree char *got_label = NULL;
  g_autofree char *got_action = NULL;

  g_assert_true (g_menu_model_get_item_attribute (menu, index, G_MENU_ATTRIBUTE_LABEL, "s",
                                                  &got_label));
  g_assert_true (g_menu_model_get_item_attribute (menu, index, G_MENU_ATTRIBUTE_ACTION, "s",
                                                  &got_action));
  g_assert_cmpstr (got_label, ==, label);
  g_assert_cmpstr (got_action, ==, action);
}

/* "Import…" goes into every main menu once, beside "Export…" */
static void
test_menu_item (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GMenu) menu = g_menu_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *window = gtk_window_new ();
  g_autoptr (GMenuModel) section = NULL;

  for (int i = 0; i < 2; i++)
    {
      GtkWidget *button = gtk_menu_button_new ();

      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
      gtk_menu_button_set_primary (GTK_MENU_BUTTON (button), TRUE);
      gtk_box_append (GTK_BOX (box), button);
    }
  g_menu_append (menu, "_About", "app.about");
  gtk_window_set_child (GTK_WINDOW (window), box);
  crm_export_dialog_attach (GTK_WINDOW (window), ts->store);
  crm_import_add_menu_item (window);
  crm_import_add_menu_item (window);

  g_assert_cmpint (g_menu_model_get_n_items (G_MENU_MODEL (menu)), ==, 2);
  section = g_menu_model_get_item_link (G_MENU_MODEL (menu), 0, G_MENU_LINK_SECTION);
  g_assert_nonnull (section);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, 3);
  assert_item (section, 0, "I_mport…", "win.import");
  assert_item (section, 1, "_Export…", "data.export");
  gtk_window_destroy (GTK_WINDOW (window));
  crm_ui_iterate ();
  crm_test_store_free (ts);
}

int
main (int    argc,
      char **argv)
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;

#define ADD(path, func, data) \
  g_test_add ("/import-dialog/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("utf8-csv", test_utf8_csv, NULL);
  ADD ("gbk-csv", test_gbk_csv, NULL);
  ADD ("remap", test_remap, NULL);
  ADD ("no-names", test_no_names, NULL);
  ADD ("duplicates-skipped", test_duplicates, GINT_TO_POINTER (FALSE));
  ADD ("duplicates-updated", test_duplicates, GINT_TO_POINTER (TRUE));
  ADD ("damaged-xlsx", test_damaged_xlsx, NULL);
  ADD ("cancel", test_cancel, NULL);
  ADD ("undo", test_undo, NULL);
  ADD ("bad-rows", test_bad_rows, NULL);
  ADD ("backup-first", test_backup_first, NULL);
#undef ADD
  g_test_add_func ("/import-dialog/menu-item", test_menu_item);

  return g_test_run ();
}
