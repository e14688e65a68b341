/* crm-import-dialog-preview.c — the import dialog's file and preview: the file
 * read, the first rows shown with each column's field in a drop-down, and
 * the check of every row behind the preview's counts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Split from crm-import-dialog.c (see there for why the work runs on a
 * worker with a store of its own). The counts come from crm_import_check():
 * every row checked as the import would (the editor's rules, 查重 against
 * the store and the earlier rows) in a transaction rolled back, so what the
 * preview says is what Import does. A new mapping checks again; a check
 * made stale (another mapping, another file, Import) is cancelled and its
 * answer dropped. The drop-downs list "Do Not Import", then the fields in
 * the engine's order (crm_import_target_get_label()).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-import-dialog-private.h"

/* the rows of the file shown in the preview */
#define PREVIEW_ROWS 5
/* the bad rows named in the preview and the summary */
#define BAD_ROWS_SHOWN 3

/* "Line 4: Mobile: …", for the first bad rows; NULL when none */
char *
_crm_import_describe_bad_rows (const CrmImportResult *result)
{
  g_autoptr (GString) text = NULL;

  if (result == NULL || result->bad == 0)
    return NULL;
  text = g_string_new (NULL);
  g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u bad row, not imported:",
                                      "%u bad rows, not imported:", result->bad),
                   result->bad);
  for (guint i = 0; i < result->bad_rows->len && i < BAD_ROWS_SHOWN; i++)
    {
      CrmImportBadRow *bad = g_ptr_array_index (result->bad_rows, i);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Line %u: %s: %s"), bad->line,
                              crm_import_target_get_label (bad->target), bad->reason);
    }
  if (result->bad > BAD_ROWS_SHOWN)
    g_string_append (text, "\n…");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- the preview's check ----------------------------------------------- */

static void
on_check_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  Work *work = g_task_get_task_data (G_TASK (res));
  CrmImportDialog *self = work->self;
  g_autoptr (GError) error = NULL;
  CrmImportResult *check = g_task_propagate_pointer (G_TASK (res), &error);
  g_autofree char *bad = NULL;
  g_autofree char *counts = NULL;
  guint n_rows;

  /* a check made stale by another mapping, a file or the import */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    {
      g_clear_pointer (&check, crm_import_result_free);
      return;
    }
  g_clear_pointer (&self->check, crm_import_result_free);
  self->check = check;
  n_rows = crm_import_get_n_rows (self->import);
  if (check == NULL)
    {
      /* no column of names, or the store refused: said, and Import stays off */
      counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row.", "%u rows.", n_rows),
                                n_rows);
      _crm_import_set_message (self->preview_message, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
    }
  else
    {
      g_autofree char *rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row",
                                                            "%u rows", n_rows), n_rows);
      g_autofree char *fresh = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new",
                                                             "%u new", check->added),
                                                check->added);
      g_autofree char *dups = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u duplicate",
                                                            "%u duplicates", check->skipped),
                                               check->skipped);
      g_autofree char *bads = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bad",
                                                            "%u bad", check->bad),
                                               check->bad);

      /* Translators: "120 rows: 100 new, 15 duplicates, 5 bad." */
      counts = g_strdup_printf (_("%s: %s, %s, %s."), rows, fresh, dups, bads);
      bad = _crm_import_describe_bad_rows (check);
      _crm_import_set_message (self->preview_message, NULL);
      gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), TRUE);
    }
  gtk_label_set_text (self->counts_label, counts);
  _crm_import_set_message (self->bad_label, bad);
}

void
_crm_import_start_check (CrmImportDialog *self)
{
  g_autoptr (GTask) task = _crm_import_work_new (self, on_check_done);
  Work *work = g_task_get_task_data (task);

  gtk_label_set_text (self->counts_label, _("Checking the rows…"));
  _crm_import_set_message (self->bad_label, NULL);
  _crm_import_set_message (self->preview_message, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), TRUE);
  g_clear_pointer (&self->check, crm_import_result_free);
  work->check_only = TRUE;
  g_task_run_in_thread (task, _crm_import_work_thread);
}

/* ---- the preview ------------------------------------------------------- */

/* the dropdown's positions: "Do Not Import", then the targets in order */
static guint
target_to_position (int target)
{
  return target == CRM_IMPORT_TARGET_NONE ? 0 : (guint) target + 1;
}

void
_crm_import_sync_dropdowns (CrmImportDialog *self)
{
  self->syncing = TRUE;
  for (guint i = 0; i < self->dropdowns->len; i++)
    gtk_drop_down_set_selected (g_ptr_array_index (self->dropdowns, i),
                                target_to_position (crm_import_get_column_target (self->import,
                                                                                  i)));
  self->syncing = FALSE;
}

static void
on_target_chosen (GtkDropDown     *dropdown,
                  GParamSpec      *pspec,
                  CrmImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "column"));
  guint position = gtk_drop_down_get_selected (dropdown);

  if (self->syncing || position == GTK_INVALID_LIST_POSITION)
    return;
  crm_import_dialog_set_column_target (self, column,
                                       position == 0 ? CRM_IMPORT_TARGET_NONE
                                                     : (int) position - 1);
}

static GtkWidget *
cell_label (const char *text,
            gboolean    header)
{
  g_autofree char *line = g_strdelimit (g_strndup (text, 200), "\r\n\t", ' ');
  GtkWidget *label = gtk_label_new (line);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_width_chars (GTK_LABEL (label), 8);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
build_preview (CrmImportDialog *self)
{
  g_autoptr (GtkStringList) targets = gtk_string_list_new (NULL);
  GtkWidget *child;
  guint n_columns = crm_import_get_n_columns (self->import);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_grid))) != NULL)
    gtk_grid_remove (self->preview_grid, child);
  g_ptr_array_set_size (self->dropdowns, 0);

  gtk_string_list_append (targets, _("Do Not Import"));
  for (int t = 0; t < CRM_IMPORT_N_TARGETS; t++)
    gtk_string_list_append (targets, crm_import_target_get_label (t));
  for (guint c = 0; c < n_columns; c++)
    {
      const char *name = crm_import_get_column_name (self->import, c);
      g_autofree char *accessible = g_strdup_printf (_("Field of column “%s”"), name);
      GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (targets)), NULL);

      g_object_set_data (G_OBJECT (dropdown), "column", GUINT_TO_POINTER (c));
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      /* GTK 4.8 leaves the drop-down's own button unnamed */
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (dropdown)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      gtk_grid_attach (self->preview_grid, dropdown, (int) c, 0, 1, 1);
      gtk_grid_attach (self->preview_grid, cell_label (name, TRUE), (int) c, 1, 1, 1);
      g_ptr_array_add (self->dropdowns, dropdown);
    }
  for (guint r = 1; r < self->table->rows->len && r <= PREVIEW_ROWS; r++)
    {
      const char * const *cells = g_ptr_array_index (self->table->rows, r);

      for (guint c = 0; c < n_columns && cells[c] != NULL; c++)
        gtk_grid_attach (self->preview_grid, cell_label (cells[c], FALSE), (int) c,
                         (int) r + 1, 1, 1);
    }
  _crm_import_sync_dropdowns (self);
  for (guint c = 0; c < n_columns; c++)
    g_signal_connect (g_ptr_array_index (self->dropdowns, c), "notify::selected",
                      G_CALLBACK (on_target_chosen), self);
}

/* the columns' mnemonic names the grid (so that the first drop-down keeps
 * its own accessible name): it goes on to the first drop-down */
gboolean
_crm_import_on_columns_mnemonic (CrmImportDialog *self,
                                 gboolean         group_cycling)
{
  if (self->dropdowns->len == 0)
    return FALSE;
  return gtk_widget_grab_focus (g_ptr_array_index (self->dropdowns, 0));
}

/* ---- reading the file -------------------------------------------------- */

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;
  CrmTable *table = crm_table_read (work->file, CRM_TABLE_FORMAT_AUTO, cancellable, &error);

  if (table == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, table, (GDestroyNotify) crm_table_free);
}

static void
on_read_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Work *work = g_task_get_task_data (G_TASK (res));
  CrmImportDialog *self = work->self;
  g_autoptr (GError) error = NULL;
  CrmTable *table = g_task_propagate_pointer (G_TASK (res), &error);
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  /* another file chosen meanwhile, or the dialog closed */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    {
      g_clear_pointer (&table, crm_table_free);
      return;
    }
  gtk_spinner_stop (self->read_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->read_spinner), FALSE);
  if (table == NULL)
    {
      /* the engine's message; what was chosen before stays as it was */
      _crm_import_show_step (self, "choose");
      _crm_import_set_message (self->choose_message, error->message);
      return;
    }
  g_clear_pointer (&self->import, crm_import_free);
  g_clear_pointer (&self->shared, _crm_import_shared_table_release);
  g_set_object (&self->file, work->file);
  self->shared = g_atomic_rc_box_new0 (SharedTable);
  self->shared->table = table;
  self->table = table;
  self->import = crm_import_new (table);
  name = g_file_get_basename (self->file);
  gtk_label_set_text (self->file_label, name);
  /* the title says the file, and that the preview is shown */
  title = g_strdup_printf (_("Import “%s”"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  _crm_import_set_message (self->choose_message, NULL);
  build_preview (self);
  _crm_import_show_step (self, "preview");
  gtk_widget_grab_focus (GTK_WIDGET (self->import_button));
  _crm_import_start_check (self);
}

/* reads @file on a worker, then shows its preview (crm_import_dialog_open_file()) */
void
_crm_import_read_file (CrmImportDialog *self,
                       GFile           *file)
{
  g_autoptr (GTask) task = NULL;
  Work *work;

  if (self->importing)
    return;
  task = _crm_import_work_new (self, on_read_done);
  work = g_task_get_task_data (task);
  work->file = g_object_ref (file);
  _crm_import_show_step (self, "choose");
  _crm_import_set_message (self->choose_message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->read_spinner), TRUE);
  gtk_spinner_start (self->read_spinner);
  g_task_run_in_thread (task, read_thread);
}
