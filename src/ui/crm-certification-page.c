/* crm-certification-page.c — the company's enterprise certification
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The status (none, draft, submitted, certified, rejected with the reason)
 * and what it means; the form (company name, USCC checked as typed,
 * legal representative, address) and the business license, through the
 * license dialog (Ctrl+O, its button, or a file dropped on the page).
 * Draft and rejected certifications can be edited; a
 * submitted one waits for the review; a certified one is locked, here and
 * in the store.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-certification-page.h"
#include "crm-license-dialog.h"
#include "crm-uscc.h"

struct _CrmCertificationPage
{
  GtkWidget         parent_instance;

  CrmStore         *store;
  CrmCertification *saved;          /* NULL: none yet */
  CrmLicenseFile   *pending;        /* a license chosen, not yet stored */
  char             *pending_name;

  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *title;
  GtkImage         *status_icon;
  GtkLabel         *status_label;
  GtkLabel         *status_detail;
  GtkWidget        *form;
  GtkEditable      *company_entry;
  GtkEditable      *uscc_entry;
  GtkEditable      *legal_entry;
  GtkEditable      *address_entry;
  GtkLabel         *uscc_message;
  GtkPicture       *license_preview;
  GtkLabel         *license_label;
};

G_DEFINE_FINAL_TYPE (CrmCertificationPage, crm_certification_page, GTK_TYPE_WIDGET)

static gboolean
is_editable (CrmCertificationPage *self)
{
  return self->saved == NULL || self->saved->status == CRM_CERTIFICATION_DRAFT
         || self->saved->status == CRM_CERTIFICATION_REJECTED;
}

static const char *
license_sha (CrmCertificationPage *self)
{
  if (self->pending != NULL)
    return self->pending->sha256;
  return self->saved ? self->saved->license_sha256 : NULL;
}

static void
toast (CrmCertificationPage *self,
       const char           *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
update_license (CrmCertificationPage *self)
{
  g_autofree char *text = NULL;
  const char *name, *mime, *sha;
  gint64 bytes;
  guint pages = 0;

  if (self->pending != NULL)
    {
      name = self->pending_name;
      mime = self->pending->mime_type;
      bytes = self->pending->size;
      pages = self->pending->n_pages;
    }
  else if (self->saved != NULL && self->saved->license_sha256 != NULL)
    {
      name = self->saved->license_name;
      mime = self->saved->license_mime_type;
      bytes = self->saved->license_size;
    }
  else
    {
      gtk_label_set_text (self->license_label, _("No license yet: choose a scan or photo "
                                                 "(PNG or JPEG) or a PDF, 10 MB at most"));
      gtk_widget_set_visible (GTK_WIDGET (self->license_preview), FALSE);
      return;
    }

  sha = license_sha (self);
  text = crm_license_file_describe (name, mime, bytes, pages, sha);
  gtk_label_set_text (self->license_label, text);

  /* a preview of an image; a PDF shows a document icon */
  if (mime != NULL && g_str_has_prefix (mime, "image/"))
    {
      g_autoptr (GBytes) data = self->pending ? g_bytes_ref (self->pending->data)
                                              : crm_store_get_blob (self->store, sha, NULL);
      g_autoptr (GdkTexture) texture = data ? gdk_texture_new_from_bytes (data, NULL) : NULL;

      gtk_picture_set_paintable (self->license_preview, GDK_PAINTABLE (texture));
      gtk_widget_set_visible (GTK_WIDGET (self->license_preview), texture != NULL);
    }
  else
    {
      g_autoptr (GtkIconPaintable) icon =
        gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                    "x-office-document-symbolic", NULL, 64, 1,
                                    GTK_TEXT_DIR_NONE, 0);
      gtk_picture_set_paintable (self->license_preview, GDK_PAINTABLE (icon));
      gtk_widget_set_visible (GTK_WIDGET (self->license_preview), TRUE);
    }
}

static gboolean
form_complete (CrmCertificationPage *self)
{
  GtkEditable *fields[] = { self->company_entry, self->uscc_entry, self->legal_entry,
                            self->address_entry };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (fields[i])));
      if (*text == '\0')
        return FALSE;
    }
  return license_sha (self) != NULL
         && crm_uscc_validate (gtk_editable_get_text (self->uscc_entry), NULL, NULL, NULL);
}

static void
update_state (CrmCertificationPage *self)
{
  CrmCertificationStatus status = self->saved ? self->saved->status : CRM_CERTIFICATION_DRAFT;
  gboolean editable = is_editable (self);
  const char *icon, *label, *detail;
  g_autofree char *rejected = NULL;

  if (self->saved == NULL)
    {
      icon = "dialog-information-symbolic";
      label = _("Not certified");
      detail = _("Every user of your company acts under its certification. Enter the "
                 "company’s details as they stand on its business license and add a real, "
                 "valid scan of the license. Once the company is certified, this "
                 "information is locked and can no longer be changed.");
    }
  else
    switch (status)
      {
      case CRM_CERTIFICATION_SUBMITTED:
        icon = "document-send-symbolic";
        label = _("Submitted for review");
        detail = _("Xiaohe is reviewing the certification. The information cannot be "
                   "changed meanwhile.");
        break;
      case CRM_CERTIFICATION_CERTIFIED:
        icon = "emblem-ok-symbolic";
        label = _("Certified");
        detail = _("The company is certified. Its certification information is locked and "
                   "cannot be changed.");
        break;
      case CRM_CERTIFICATION_REJECTED:
        icon = "dialog-warning-symbolic";
        label = _("Rejected");
        rejected = g_strdup_printf (_("The reviewer gave this reason: %s. Correct the "
                                      "information and submit it again."),
                                    *self->saved->reject_reason ? self->saved->reject_reason
                                                                : _("none given"));
        detail = rejected;
        break;
      case CRM_CERTIFICATION_DRAFT:
      default:
        icon = "document-edit-symbolic";
        label = _("Draft");
        detail = _("The draft is kept on this computer. Submit it for review when every "
                   "field and the license are there. Once the company is certified, this "
                   "information is locked and can no longer be changed.");
        break;
      }

  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_text (self->status_label, label);
  gtk_label_set_text (self->status_detail, detail);
  adw_window_title_set_subtitle (self->title, label);

  gtk_editable_set_editable (self->company_entry, editable);
  gtk_editable_set_editable (self->uscc_entry, editable);
  gtk_editable_set_editable (self->legal_entry, editable);
  gtk_editable_set_editable (self->address_entry, editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certification.upload-license", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certification.remove-license",
                                 editable && license_sha (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certification.save", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certification.submit",
                                 editable && form_complete (self));
  update_license (self);
}

static void
on_field_changed (CrmCertificationPage *self)
{
  g_autoptr (GError) error = NULL;
  const char *text = gtk_editable_get_text (self->uscc_entry);
  gboolean checks_pass = TRUE;

  if (*text == '\0')
    gtk_widget_set_visible (GTK_WIDGET (self->uscc_message), FALSE);
  else if (!crm_uscc_validate (text, NULL, &checks_pass, &error))
    {
      gtk_label_set_text (self->uscc_message, error->message);
      gtk_widget_remove_css_class (GTK_WIDGET (self->uscc_message), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->uscc_message), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->uscc_message), TRUE);
    }
  else if (!checks_pass)
    {
      gtk_label_set_text (self->uscc_message,
                          _("The check character does not match: please compare the code "
                            "with the license. Some early codes do not match; such a code "
                            "can still be submitted."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->uscc_message), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->uscc_message), "warning");
      gtk_widget_set_visible (GTK_WIDGET (self->uscc_message), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->uscc_message), FALSE);

  if (self->store != NULL)
    update_state (self);
}

static void
load_form (CrmCertificationPage *self)
{
  CrmCertification *c = self->saved;

  gtk_editable_set_text (self->company_entry, c ? c->company_name : "");
  gtk_editable_set_text (self->uscc_entry, c ? c->uscc : "");
  gtk_editable_set_text (self->legal_entry, c ? c->legal_representative : "");
  gtk_editable_set_text (self->address_entry, c ? c->address : "");
}

static void
reload (CrmCertificationPage *self)
{
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->saved, crm_certification_free);
  self->saved = crm_store_get_certification (self->store, &error);
  if (error != NULL)
    toast (self, error->message);
  load_form (self);
  update_state (self);
}

static gboolean
save (CrmCertificationPage *self)
{
  g_autoptr (CrmCertification) cert = crm_certification_new ();
  g_autoptr (GError) error = NULL;

  g_free (cert->company_name);
  cert->company_name = g_strstrip (g_strdup (gtk_editable_get_text (self->company_entry)));
  g_free (cert->uscc);
  cert->uscc = g_strdup (gtk_editable_get_text (self->uscc_entry));
  g_free (cert->legal_representative);
  cert->legal_representative = g_strstrip (g_strdup (gtk_editable_get_text (self->legal_entry)));
  g_free (cert->address);
  cert->address = g_strstrip (g_strdup (gtk_editable_get_text (self->address_entry)));

  if (self->pending != NULL)
    {
      if (!crm_store_put_blob (self->store, self->pending, &error))
        {
          toast (self, error->message);
          return FALSE;
        }
      cert->license_sha256 = g_strdup (self->pending->sha256);
      cert->license_mime_type = g_strdup (self->pending->mime_type);
      cert->license_name = g_strdup (self->pending_name);
      cert->license_size = self->pending->size;
    }
  else if (self->saved != NULL && self->saved->license_sha256 != NULL)
    {
      cert->license_sha256 = g_strdup (self->saved->license_sha256);
      cert->license_mime_type = g_strdup (self->saved->license_mime_type);
      cert->license_name = g_strdup (self->saved->license_name);
      cert->license_size = self->saved->license_size;
    }

  if (!crm_store_save_certification (self->store, cert, &error))
    {
      toast (self, error->message);
      return FALSE;
    }
  g_clear_pointer (&self->pending, crm_license_file_free);
  g_clear_pointer (&self->pending_name, g_free);
  reload (self);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmCertificationPage *self = CRM_CERTIFICATION_PAGE (widget);

  if (save (self))
    toast (self, _("Draft saved"));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmCertificationPage *self = CRM_CERTIFICATION_PAGE (widget);
  g_autoptr (GError) error = NULL;

  if (!save (self))
    return;
  if (!crm_store_submit_certification (self->store, &error))
    {
      toast (self, error->message);
      return;
    }
  reload (self);
  toast (self, _("Submitted for review"));
}

static void
remove_license_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CrmCertificationPage *self = CRM_CERTIFICATION_PAGE (widget);

  g_clear_pointer (&self->pending, crm_license_file_free);
  g_clear_pointer (&self->pending_name, g_free);
  if (self->saved != NULL)
    g_clear_pointer (&self->saved->license_sha256, g_free);
  update_state (self);
}

/**
 * crm_certification_page_take_license:
 * @file: (transfer full): a judged license file
 *
 * Returns: whether the license could be taken (the form is editable).
 */
gboolean
crm_certification_page_take_license (CrmCertificationPage *self,
                                     CrmLicenseFile       *file,
                                     const char           *name)
{
  g_return_val_if_fail (CRM_IS_CERTIFICATION_PAGE (self), FALSE);

  if (!is_editable (self))
    {
      crm_license_file_free (file);
      toast (self, _("The license cannot be changed now"));
      return FALSE;
    }
  g_clear_pointer (&self->pending, crm_license_file_free);
  self->pending = file;
  g_free (self->pending_name);
  self->pending_name = g_strdup (name);
  update_state (self);
  return TRUE;
}

static void
on_license_chosen (CrmCertificationPage *self,
                   CrmLicenseFile       *file,
                   const char           *name)
{
  crm_certification_page_take_license (self, crm_license_file_copy (file), name);
}

static void
on_license_removed (CrmCertificationPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "certification.remove-license", NULL);
}

static CrmLicenseDialog *
open_license_dialog (CrmCertificationPage *self)
{
  GtkWidget *dialog = crm_license_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));

  g_signal_connect_object (dialog, "chosen", G_CALLBACK (on_license_chosen), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "removed", G_CALLBACK (on_license_removed), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return CRM_LICENSE_DIALOG (dialog);
}

static void
upload_license_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  open_license_dialog (CRM_CERTIFICATION_PAGE (widget));
}

/* a file dropped on the page opens the dialog with it */
static gboolean
on_drop (GtkDropTarget        *target,
         const GValue         *value,
         double                x,
         double                y,
         CrmCertificationPage *self)
{
  GFile *file = g_value_get_object (value);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path == NULL || !is_editable (self))
    return FALSE;
  crm_license_dialog_load_path (open_license_dialog (self), path);
  return TRUE;
}

void
crm_certification_page_set_store (CrmCertificationPage *self,
                                  CrmStore             *store)
{
  g_return_if_fail (CRM_IS_CERTIFICATION_PAGE (self));
  g_return_if_fail (CRM_IS_STORE (store));

  g_set_object (&self->store, store);
  reload (self);
}

static void
crm_certification_page_dispose (GObject *object)
{
  CrmCertificationPage *self = (CrmCertificationPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CERTIFICATION_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->saved, crm_certification_free);
  g_clear_pointer (&self->pending, crm_license_file_free);
  g_clear_pointer (&self->pending_name, g_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_certification_page_parent_class)->dispose (object);
}

static void
crm_certification_page_class_init (CrmCertificationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_certification_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-certification-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, title);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, status_detail);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, form);
  gtk_widget_class_bind_template_child_full (widget_class, "company_entry", FALSE,
                                             G_STRUCT_OFFSET (CrmCertificationPage, company_entry));
  gtk_widget_class_bind_template_child_full (widget_class, "uscc_entry", FALSE,
                                             G_STRUCT_OFFSET (CrmCertificationPage, uscc_entry));
  gtk_widget_class_bind_template_child_full (widget_class, "legal_entry", FALSE,
                                             G_STRUCT_OFFSET (CrmCertificationPage, legal_entry));
  gtk_widget_class_bind_template_child_full (widget_class, "address_entry", FALSE,
                                             G_STRUCT_OFFSET (CrmCertificationPage, address_entry));
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, uscc_message);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, license_preview);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, license_label);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);

  gtk_widget_class_install_action (widget_class, "certification.upload-license", NULL,
                                   upload_license_action);
  gtk_widget_class_install_action (widget_class, "certification.remove-license", NULL,
                                   remove_license_action);
  gtk_widget_class_install_action (widget_class, "certification.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "certification.submit", NULL, submit_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "certification.upload-license", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "certification.save", NULL);
}

static void
crm_certification_page_init (CrmCertificationPage *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
