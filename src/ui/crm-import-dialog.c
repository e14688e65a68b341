/* crm-import-dialog.c — the main menu's "Import…" (Ctrl+I): a file into the contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three steps in one window (a GtkStack): the file (GtkFileChooserNative,
 * GTK 4.8 has no GtkFileDialog; Ctrl+O; or dropped on the window), its
 * preview (the first rows as read, each column's field in a GtkDropDown,
 * the 查重 choice, the counts of rows, duplicates and bad rows), then the
 * import with its progress and Cancel, and what it did, with Save Bad
 * Rows…. The work is the engine's (crm-table.h, crm-import.h); this file
 * only asks and shows.
 *
 * Everything slow runs on a worker (GTask): reading the file, the preview's
 * check (crm_import_check(): every row checked in a transaction rolled back)
 * and the import itself. The store writes only on the thread that opened
 * it, and the window's list reads through the app's connection meanwhile,
 * so the worker opens a store of its own on the same file (as a restore
 * does); its one transaction commits or rolls back whole, so Cancel leaves
 * the data exactly as it was. When it committed, the app's store is told
 * once (CrmStore::contacts-reset), and the list reloads once, whatever the
 * number of rows: 100,000 rows do not stall the window.
 *
 * A large import into existing data (more than LARGE_IMPORT_ROWS rows, as
 * the command line's rule) first makes a verified copy through the backup
 * API (crm_store_backup_before(): "before-import"); no copy, no import.
 *
 * When the window closes after an import that changed something, the main
 * window shows a toast with Undo (Ctrl+Z too, while it shows), which takes
 * the import back through the engine's undo record, on a worker as well. *
 * The class is split over three files behind crm-import-dialog-private.h:
 * this one (the window, the import, the public API), -preview.c (the file
 * read, the preview and its check) and -window.c (the menu item, Undo).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-import-dialog-private.h"
#include "crm-chooser.h"
#include "crm-io.h"
#include "crm-store-backup.h"

/* as the command line (crm-cli-import.c): more rows than this into a store
 * that has contacts is made safe by a verified copy first */
#define LARGE_IMPORT_ROWS 1000

G_DEFINE_FINAL_TYPE (CrmImportDialog, crm_import_dialog, ADW_TYPE_WINDOW)

static void
shared_table_clear (gpointer data)
{
  g_clear_pointer (&((SharedTable *) data)->table, crm_table_free);
}

void
_crm_import_shared_table_release (SharedTable *shared)
{
  if (shared != NULL)
    g_atomic_rc_box_release_full (shared, shared_table_clear);
}

static void
work_free (gpointer data)
{
  Work *work = data;

  g_object_unref (work->self);
  _crm_import_shared_table_release (work->shared);
  g_free (work->data_dir);
  g_clear_object (&work->file);
  g_free (work->targets);
  g_free (work);
}

GTask *
_crm_import_work_new (CrmImportDialog     *self,
          GAsyncReadyCallback  callback)
{
  Work *work = g_new0 (Work, 1);
  GTask *task;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  work->self = g_object_ref (self);
  work->data_dir = g_path_get_dirname (crm_store_get_path (self->store));
  if (self->import != NULL)
    {
      guint n = crm_import_get_n_columns (self->import);

      work->shared = g_atomic_rc_box_acquire (self->shared);
      work->targets = g_new (int, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        work->targets[i] = crm_import_get_column_target (self->import, i);
    }
  task = g_task_new (NULL, self->cancellable, callback, NULL);
  /* the worker's own answer, the engine's message for a cancelled import */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, work, work_free);
  return task;
}

/* the worker's own store on the same file, and an import with the mapping
 * the dialog had when the work began */
CrmStore *
_crm_import_work_open (Work       *work,
           CrmImport **import,
           GError    **error)
{
  CrmStore *store = crm_store_open (work->data_dir, error);

  if (store != NULL && import != NULL)
    {
      *import = crm_import_new (work->shared->table);
      for (guint i = 0; i < crm_import_get_n_columns (*import); i++)
        crm_import_set_column_target (*import, i, work->targets[i]);
    }
  return store;
}

void
_crm_import_set_message (GtkLabel   *label,
             const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

void
_crm_import_show_step (CrmImportDialog *self,
           const char      *name)
{
  gboolean preview = g_str_equal (name, "preview");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), preview);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.choose",
                                 g_str_equal (name, "choose") || preview);
  if (preview)
    gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->import_button));
}

static CrmStoreDuplicates
chosen_policy (CrmImportDialog *self)
{
  if (gtk_check_button_get_active (self->update_button))
    return CRM_STORE_DUPLICATES_UPDATE;
  if (gtk_check_button_get_active (self->keep_button))
    return CRM_STORE_DUPLICATES_KEEP;
  return CRM_STORE_DUPLICATES_SKIP;
}

/* ---- the import -------------------------------------------------------- */

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  CrmImportDialog *self = user_data;

  g_atomic_int_set (&self->done, (gint) done);
  g_atomic_int_set (&self->total, (gint) total);
}

static gboolean
show_progress (gpointer user_data)
{
  CrmImportDialog *self = user_data;
  int done = g_atomic_int_get (&self->done);
  int total = g_atomic_int_get (&self->total);

  if (total > 0)
    {
      g_autofree char *text = g_strdup_printf (_("%d of %d"), done, total);

      gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
      gtk_progress_bar_set_text (self->progress_bar, text);
    }
  else
    gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

/* the preview's check or the import, on a worker with a store of its own */
void
_crm_import_work_thread (GTask        *task,
                         gpointer      source,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr (CrmImport) import = NULL;
  g_autoptr (CrmStore) store = NULL;
  CrmImportResult *result = NULL;
  GError *error = NULL;

  store = _crm_import_work_open (work, &import, &error);
  if (store == NULL
      || !(work->check_only
           ? crm_import_check (import, store, cancellable, &result, &error)
           : crm_import_run (import, store, work->policy, on_progress, work->self,
                             cancellable, &result, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) crm_import_result_free);
}

static void
show_summary (CrmImportDialog *self)
{
  const CrmImportResult *result = self->result;
  g_autofree char *bad = _crm_import_describe_bad_rows (result);
  g_autofree char *text = NULL;

  /* Translators: the import's summary */
  text = g_strdup_printf (_("%u added, %u updated, %u skipped as duplicates, %u bad rows."),
                          result->added, result->updated, result->skipped, result->bad);
  adw_status_page_set_description (self->summary_page, text);
  _crm_import_set_message (self->summary_bad_label, bad);
  gtk_widget_set_visible (GTK_WIDGET (self->save_bad_button), result->bad > 0);
  _crm_import_show_step (self, "summary");
  gtk_window_set_title (GTK_WINDOW (self), _("Import Finished"));
  /* Enter: Done; Save Bad Rows… is a Tab away */
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->done_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
}

static void
on_import_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Work *work = g_task_get_task_data (G_TASK (res));
  CrmImportDialog *self = work->self;
  g_autoptr (GError) error = NULL;
  CrmImportResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  self->importing = FALSE;
  g_clear_handle_id (&self->pulse, g_source_remove);
  /* the app's store did not see the worker's writes: its views reload once */
  if (result != NULL && (result->added > 0 || result->updated > 0))
    g_signal_emit_by_name (self->store, "contacts-reset");
  /* destroyed meanwhile (only a program does that while importing) */
  if (self->stack == NULL)
    {
      g_clear_pointer (&result, crm_import_result_free);
      return;
    }
  if (result == NULL)
    {
      /* cancelled or refused: nothing was changed; back to the preview */
      _crm_import_show_step (self, "preview");
      _crm_import_set_message (self->preview_message, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->import_button));
      return;
    }
  self->result = result;
  show_summary (self);
}

static void
start_import (CrmImportDialog *self)
{
  g_autoptr (GTask) task = _crm_import_work_new (self, on_import_done);
  Work *work = g_task_get_task_data (task);

  work->policy = chosen_policy (self);
  adw_status_page_set_title (self->progress_page, _("Importing…"));
  g_atomic_int_set (&self->done, 0);
  g_atomic_int_set (&self->total, 0);
  g_clear_handle_id (&self->pulse, g_source_remove);
  self->pulse = g_timeout_add (100, show_progress, self);
  g_task_run_in_thread (task, _crm_import_work_thread);
}

static void
on_backup_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr (CrmImportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmBackupInfo) info = crm_store_backup_finish (res, &error);

  if (self->stack == NULL)
    return;
  if (info == NULL)
    {
      g_autofree char *message = NULL;

      self->importing = FALSE;
      _crm_import_show_step (self, "preview");
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        message = g_strdup (_("The import was cancelled; nothing was changed"));
      else
        message = g_strdup_printf (_("Nothing was imported: the copy to make first failed: %s"),
                                   error->message);
      _crm_import_set_message (self->preview_message, message);
      return;
    }
  start_import (self);
}

static void
on_import_clicked (CrmImportDialog *self)
{
  if (self->import == NULL || self->importing)
    return;
  self->importing = TRUE;
  _crm_import_set_message (self->preview_message, NULL);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  _crm_import_show_step (self, "progress");
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
  if (crm_import_get_n_rows (self->import) > LARGE_IMPORT_ROWS
      && crm_store_count_contacts (self->store) > 0)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      adw_status_page_set_title (self->progress_page, _("Making a Verified Copy First…"));
      crm_store_backup_before (self->store, "import", self->cancellable, on_backup_done,
                               g_object_ref (self));
      return;
    }
  start_import (self);
}

static void
on_cancel_clicked (CrmImportDialog *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* ---- saving the bad rows ----------------------------------------------- */

static void
on_bad_rows_file (GtkNativeDialog *chooser,
                  int              response,
                  CrmImportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr (GError) error = NULL;

      if (!crm_import_dialog_save_bad_rows (self, file, &error))
        _crm_import_set_message (self->summary_bad_label, error->message);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
on_save_bad_clicked (CrmImportDialog *self)
{
  g_autofree char *base = self->file != NULL ? g_file_get_basename (self->file) : NULL;
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (base != NULL && strrchr (base, '.') != NULL)
    *strrchr (base, '.') = '\0';
  stem = g_strdup (base != NULL ? base : _("contacts"));
  /* Translators: the file of the rows not imported, "FILE-bad-rows.csv" */
  name = g_strdup_printf (_("%s-bad-rows.csv"), stem);
  chooser = gtk_file_chooser_native_new (_("Save Bad Rows"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_bad_rows_file), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- choosing the file ------------------------------------------------- */

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                CrmImportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      crm_import_dialog_open_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *patterns)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_auto (GStrv) each = g_strsplit (patterns, " ", -1);

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; each[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, each[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (widget);
  GtkFileChooserNative *chooser;

  if (self->importing)
    return;
  chooser = gtk_file_chooser_native_new (_("Choose a File to Import"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                         _("_Cancel"));
  crm_chooser_open_in_documents (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Spreadsheets and vCards"),
              "*.csv *.CSV *.txt *.TXT *.xlsx *.XLSX *.xls *.XLS *.vcf *.VCF *.vcard");
  add_filter (GTK_FILE_CHOOSER (chooser), _("CSV"), "*.csv *.CSV *.txt *.TXT");
  add_filter (GTK_FILE_CHOOSER (chooser), _("Excel and WPS (XLSX, XLS)"),
              "*.xlsx *.XLSX *.xls *.XLS");
  add_filter (GTK_FILE_CHOOSER (chooser), _("vCard"), "*.vcf *.VCF *.vcard");
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         CrmImportDialog *self)
{
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE) || self->importing)
    return FALSE;
  crm_import_dialog_open_file (self, g_value_get_object (value));
  return TRUE;
}

/* Escape: Cancel while importing, else close */
static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (widget);

  if (self->importing)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* ---- GObject ----------------------------------------------------------- */

static gboolean
crm_import_dialog_close_request (GtkWindow *window)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (window);

  /* the import finishes or is cancelled first: never half of it */
  if (self->importing)
    return TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->overlay != NULL && self->result != NULL
      && (self->result->added > 0 || self->result->updated > 0))
    _crm_import_offer_undo (self->store, g_steal_pointer (&self->result), self->overlay);
  return GTK_WINDOW_CLASS (crm_import_dialog_parent_class)->close_request (window);
}

static void
crm_import_dialog_dispose (GObject *object)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_IMPORT_DIALOG);
  g_clear_weak_pointer (&self->overlay);

  G_OBJECT_CLASS (crm_import_dialog_parent_class)->dispose (object);
}

static void
crm_import_dialog_finalize (GObject *object)
{
  CrmImportDialog *self = CRM_IMPORT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->check, crm_import_result_free);
  g_clear_pointer (&self->result, crm_import_result_free);
  g_clear_pointer (&self->import, crm_import_free);
  g_clear_pointer (&self->shared, _crm_import_shared_table_release);
  g_clear_pointer (&self->dropdowns, g_ptr_array_unref);
  g_clear_object (&self->file);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_import_dialog_parent_class)->finalize (object);
}

static void
crm_import_dialog_class_init (CrmImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = crm_import_dialog_dispose;
  object_class->finalize = crm_import_dialog_finalize;
  window_class->close_request = crm_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, read_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, choose_message);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, columns_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, counts_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, bad_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, skip_button);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, update_button);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, keep_button);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, preview_message);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, summary_page);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, summary_bad_label);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, save_bad_button);
  gtk_widget_class_bind_template_child (widget_class, CrmImportDialog, done_button);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_bad_clicked);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_close);

  gtk_widget_class_install_action (widget_class, "import.choose", NULL, choose_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "import.choose", NULL);
  gtk_widget_class_install_action (widget_class, "import.escape", NULL, escape_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.escape", NULL);
}

static void
crm_import_dialog_init (CrmImportDialog *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->dropdowns = g_ptr_array_new ();
  g_signal_connect_swapped (self->preview_grid, "mnemonic-activate",
                            G_CALLBACK (_crm_import_on_columns_mnemonic), self);
  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  _crm_import_show_step (self, "choose");
}

/* ---- public ------------------------------------------------------------ */

/**
 * crm_import_dialog_new:
 * @parent: the main window
 * @store: the app's store
 * @overlay: (nullable): where the toast with Undo shows after the import
 *
 * Returns: (transfer none): the dialog, shown on the step of the file
 */
CrmImportDialog *
crm_import_dialog_new (GtkWindow       *parent,
                       CrmStore        *store,
                       AdwToastOverlay *overlay)
{
  CrmImportDialog *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  g_set_weak_pointer (&self->overlay, overlay);
  return self;
}

/**
 * crm_import_dialog_open_file:
 *
 * Reads @file on a worker, then shows its preview (or the reader's message,
 * leaving the file shown before, if any, as it was).
 */
void
crm_import_dialog_open_file (CrmImportDialog *self,
                             GFile           *file)
{
  g_return_if_fail (CRM_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  _crm_import_read_file (self, file);
}

/**
 * crm_import_dialog_get_state:
 *
 * Returns: the step shown: "choose", "preview", "progress" or "summary"
 */
const char *
crm_import_dialog_get_state (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * crm_import_dialog_is_busy:
 *
 * Returns: whether a worker is reading, checking or importing
 */
gboolean
crm_import_dialog_is_busy (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), FALSE);
  return self->importing || gtk_widget_get_visible (GTK_WIDGET (self->read_spinner))
         || (g_str_equal (crm_import_dialog_get_state (self), "preview")
             && self->check == NULL
             && !gtk_widget_get_visible (GTK_WIDGET (self->preview_message)));
}

/**
 * crm_import_dialog_get_check:
 *
 * Returns: (nullable): the preview's counts, once checked
 */
const CrmImportResult *
crm_import_dialog_get_check (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);
  return self->check;
}

/**
 * crm_import_dialog_get_result:
 *
 * Returns: (nullable): what the import did, once done (until the dialog
 *   closes and hands it to Undo)
 */
const CrmImportResult *
crm_import_dialog_get_result (CrmImportDialog *self)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), NULL);
  return self->result;
}

/**
 * crm_import_dialog_set_column_target:
 *
 * Maps @column to @target (as its dropdown does), and checks the rows again.
 */
void
crm_import_dialog_set_column_target (CrmImportDialog *self,
                                     guint            column,
                                     int              target)
{
  g_return_if_fail (CRM_IS_IMPORT_DIALOG (self));
  g_return_if_fail (self->import != NULL && !self->importing);

  crm_import_set_column_target (self->import, column, target);
  _crm_import_sync_dropdowns (self);
  _crm_import_start_check (self);
}

/**
 * crm_import_dialog_save_bad_rows:
 *
 * Writes the import's bad rows, with their reasons, to @file as a CSV
 * (the engine's crm_import_result_write_bad_rows()).
 */
gboolean
crm_import_dialog_save_bad_rows (CrmImportDialog  *self,
                                 GFile            *file,
                                 GError          **error)
{
  g_return_val_if_fail (CRM_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (self->result != NULL, FALSE);
  return crm_import_result_write_bad_rows (self->result, file, error);
}
