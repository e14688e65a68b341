/* crm-license-dialog.c — choose, check and preview the business license
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opened from the certification page (Ctrl+O, or its button). A file comes
 * from the file chooser (Ctrl+O here too; GTK 4.8 has no GtkFileDialog, so
 * GtkFileChooserNative), from a drop, or from the clipboard as an image
 * (Ctrl+V). It is judged by its content on a worker thread, then shown:
 * a preview (an image, a PDF's first page; else a document icon), the name,
 * the kind and size (the SHA-256 only in a tooltip). What is wrong with a
 * file is said here, and the license chosen before stays. "Use This
 * License" hands the file to the page, and is the default: Enter takes a
 * judged file. "Remove" asks the page to drop its license, when it has one.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-license-dialog.h"
#include "crm-chooser.h"

struct _CrmLicenseDialog
{
  AdwWindow       parent_instance;

  CrmLicenseFile *file;
  char           *name;
  GCancellable   *loading;

  GtkStack       *preview_stack;
  GtkPicture     *preview;
  GtkLabel       *info_label;
  GtkLabel       *error_label;
  GtkWidget      *use_button;
};

G_DEFINE_FINAL_TYPE (CrmLicenseDialog, crm_license_dialog, ADW_TYPE_WINDOW)

enum {
  CHOSEN,
  REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (CrmLicenseDialog *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
show_file (CrmLicenseDialog *self)
{
  g_autofree char *text = NULL;
  g_autofree char *sha_tooltip = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "license.use", self->file != NULL);
  if (self->file == NULL)
    {
      gtk_stack_set_visible_child_name (self->preview_stack, "empty");
      gtk_widget_set_visible (GTK_WIDGET (self->info_label), FALSE);
      return;
    }

  if (self->file->preview != NULL)
    {
      /* the preview decoded while judging (a PDF's first page too), not the
       * whole image again */
      g_autoptr (GdkTexture) texture = gdk_texture_new_for_pixbuf (self->file->preview);
      gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (texture));
    }
  else
    {
      g_autoptr (GtkIconPaintable) icon =
        gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                    "x-office-document-symbolic", NULL, 128, 1,
                                    GTK_TEXT_DIR_NONE, 0);
      gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (icon));
    }
  text = crm_license_file_describe (self->name, self->file->mime_type, self->file->size,
                                    self->file->n_pages);
  sha_tooltip = g_strdup_printf (_("SHA-256: %s"), self->file->sha256);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->info_label), sha_tooltip);
  gtk_stack_set_visible_child_name (self->preview_stack, "preview");
  gtk_label_set_text (self->info_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->info_label), TRUE);
}

static void
take (CrmLicenseDialog *self,
      CrmLicenseFile   *file,
      const char       *name)
{
  g_clear_pointer (&self->file, crm_license_file_free);
  self->file = file;
  g_free (self->name);
  self->name = g_strdup (name);
  show_error (self, NULL);
  show_file (self);
  /* a judged file is what the dialog is for: Enter now uses it */
  gtk_widget_grab_focus (self->use_button);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  CrmLicenseFile *file = crm_license_file_load (task_data, &error);

  if (file != NULL)
    g_task_return_pointer (task, file, (GDestroyNotify)crm_license_file_free);
  else
    g_task_return_error (task, error);
}

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CrmLicenseDialog *self = CRM_LICENSE_DIALOG (object);
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_path_get_basename (g_task_get_task_data (G_TASK (result)));
  CrmLicenseFile *file = g_task_propagate_pointer (G_TASK (result), &error);

  if (file != NULL)
    take (self, file, name);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error->message);
}

/**
 * crm_license_dialog_load_path:
 *
 * Judges the file at @path on a worker thread, then shows it (or what is
 * wrong with it).
 */
void
crm_license_dialog_load_path (CrmLicenseDialog *self,
                              const char       *path)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CRM_IS_LICENSE_DIALOG (self));

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  task = g_task_new (self, self->loading, load_done, NULL);
  g_task_set_source_tag (task, crm_license_dialog_load_path);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

static void
on_chooser_response (GtkNativeDialog  *chooser,
                     int               response,
                     CrmLicenseDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        crm_license_dialog_load_path (self, path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose the Business License"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Business license (PNG, JPEG, PDF)"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  crm_chooser_open_in_documents (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
paste_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (CrmLicenseDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object),
                                                                      result, &error);
  g_autoptr (GBytes) png = NULL;
  CrmLicenseFile *file;

  if (texture == NULL)
    {
      show_error (self, _("The clipboard holds no image"));
      return;
    }
  png = gdk_texture_save_to_png_bytes (texture);
  file = crm_license_file_new_from_bytes (png, &error);
  if (file == NULL)
    show_error (self, error->message);
  else
    take (self, file, _("Pasted image"));
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  gdk_clipboard_read_texture_async (gtk_widget_get_clipboard (widget), NULL, paste_done,
                                    g_object_ref (widget));
}

static void
use_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  CrmLicenseDialog *self = CRM_LICENSE_DIALOG (widget);

  if (self->file == NULL)
    return;
  g_signal_emit (self, signals[CHOSEN], 0, self->file, self->name);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  g_signal_emit (widget, signals[REMOVED], 0);
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static gboolean
on_file_drop (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              gpointer       user_data)
{
  CrmFileDropFunc func = (CrmFileDropFunc) g_object_get_data (G_OBJECT (target),
                                                               "crm-drop-func");
  GFile *file = g_value_get_object (value);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  return path != NULL && func (user_data, path);
}

/**
 * crm_license_dialog_add_drop:
 * @widget: where a file may be dropped
 * @func: given the path of a local file dropped
 * @user_data: for @func
 */
void
crm_license_dialog_add_drop (GtkWidget       *widget,
                             CrmFileDropFunc  func,
                             gpointer         user_data)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  g_object_set_data (G_OBJECT (drop), "crm-drop-func", (gpointer) func);
  g_signal_connect (drop, "drop", G_CALLBACK (on_file_drop), user_data);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drop));
}

static gboolean
load_dropped (gpointer    user_data,
              const char *path)
{
  crm_license_dialog_load_path (CRM_LICENSE_DIALOG (user_data), path);
  return TRUE;
}

static void
crm_license_dialog_dispose (GObject *object)
{
  CrmLicenseDialog *self = (CrmLicenseDialog *)object;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->file, crm_license_file_free);
  g_clear_pointer (&self->name, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_LICENSE_DIALOG);

  G_OBJECT_CLASS (crm_license_dialog_parent_class)->dispose (object);
}

static void
crm_license_dialog_class_init (CrmLicenseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_license_dialog_dispose;

  /**
   * CrmLicenseDialog::chosen:
   * @file: (type gpointer): the judged CrmLicenseFile, owned by the dialog:
   *   copy what you keep
   * @name: its file name
   */
  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                  G_TYPE_POINTER, G_TYPE_STRING);
  signals[REMOVED] = g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-license-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmLicenseDialog, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmLicenseDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, CrmLicenseDialog, info_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLicenseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLicenseDialog, use_button);

  gtk_widget_class_install_action (widget_class, "license.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "license.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "license.use", NULL, use_action);
  gtk_widget_class_install_action (widget_class, "license.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "license.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "license.choose", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "license.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "license.cancel", NULL);
}

static void
crm_license_dialog_init (CrmLicenseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* nothing to remove until told there is a license */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "license.remove", FALSE);
  crm_license_dialog_add_drop (GTK_WIDGET (self), load_dropped, self);
  show_file (self);
}

GtkWidget *
crm_license_dialog_new (GtkWindow *parent)
{
  return g_object_new (CRM_TYPE_LICENSE_DIALOG, "transient-for", parent, NULL);
}

/**
 * crm_license_dialog_set_removable:
 * @removable: whether there is a license to remove
 *
 * Enables Remove only when there is a license for it to remove.
 */
void
crm_license_dialog_set_removable (CrmLicenseDialog *self,
                                  gboolean          removable)
{
  g_return_if_fail (CRM_IS_LICENSE_DIALOG (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "license.remove", removable);
}
