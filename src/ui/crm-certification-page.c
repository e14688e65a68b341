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
 * in the store. Locked fields are read-only (no frame, a lock icon, a
 * caption), still readable and copyable.
 *
 * What was typed is a draft: it is saved when the page is left and when the
 * window closes (crm_certification_page_finish_editing()); what cannot be
 * saved (a wrong code) is never dropped without asking. Submitting asks
 * first, since it locks the form.
 *
 * The page follows CrmStore::certification-changed, so the review that
 * sync brings (certified, rejected with the reason) shows at once; what is
 * being typed is kept. The review itself is told once, as it arrives (a
 * submitted certification becoming certified or rejected): a toast in the
 * view shown when the window is active, else a desktop notification, as
 * GNOME apps do for news that comes while the person is elsewhere.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-certification-page.h"
#include "crm-discard-dialog.h"
#include "crm-license-dialog.h"
#include "crm-uscc.h"

struct _CrmCertificationPage
{
  GtkWidget         parent_instance;

  CrmStore         *store;
  CrmCertification *saved;          /* NULL: none yet */
  CrmLicenseFile   *pending;        /* a license chosen, not yet stored */
  char             *pending_name;
  gboolean          license_changed;  /* chosen or removed since loaded */
  GdkTexture       *stored_preview;   /* of the stored license, judged once */
  char             *stored_preview_sha;

  AdwToastOverlay  *toast_overlay;
  AdwViewSwitcherTitle *title;
  GtkImage         *status_icon;
  GtkLabel         *status_label;
  GtkLabel         *status_detail;
  GtkWidget        *form;
  GtkEditable      *company_entry;
  GtkEditable      *uscc_entry;
  GtkEditable      *legal_entry;
  GtkEditable      *address_entry;
  GtkLabel         *uscc_message;
  GtkWidget        *locked_caption;
  GtkPicture       *license_preview;
  GtkLabel         *license_label;
  GtkWidget        *choose_button;
  GtkLabel         *choose_label;

  gboolean          saving;         /* our own write: its signal is ours */
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

/* The preview the judge decoded (at most 1024 pixels a side), never the
 * whole image: a 20000×5000 scan would cost 400 MB as a texture. The stored
 * license is judged once per SHA-256, not at every refresh. */
static GdkTexture *
license_preview (CrmCertificationPage *self,
                 const char           *sha)
{
  if (self->pending != NULL)
    return self->pending->preview ? gdk_texture_new_for_pixbuf (self->pending->preview) : NULL;

  if (g_strcmp0 (sha, self->stored_preview_sha) != 0)
    {
      g_autoptr (GBytes) data = sha ? crm_store_get_blob (self->store, sha, NULL) : NULL;
      g_autoptr (CrmLicenseFile) stored = data ? crm_license_file_new_from_bytes (data, NULL)
                                               : NULL;

      g_clear_object (&self->stored_preview);
      g_free (self->stored_preview_sha);
      self->stored_preview_sha = g_strdup (sha);
      if (stored != NULL && stored->preview != NULL)
        self->stored_preview = gdk_texture_new_for_pixbuf (stored->preview);
    }
  return self->stored_preview ? g_object_ref (self->stored_preview) : NULL;
}

/* Once there is a license, its button replaces it rather than uploads one. */
static void
update_choose_button (CrmCertificationPage *self,
                      gboolean              has_license)
{
  gtk_label_set_label (self->choose_label,
                       has_license ? _("Replace L_icense…") : _("Upload L_icense…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choose_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  has_license ? _("Replace License") : _("Upload License"),
                                  -1);
}

static void
update_license (CrmCertificationPage *self)
{
  g_autofree char *text = NULL;
  g_autofree char *sha_tooltip = NULL;
  g_autoptr (GdkTexture) texture = NULL;
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
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->license_label), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->license_preview), FALSE);
      update_choose_button (self, FALSE);
      return;
    }

  sha = license_sha (self);
  text = crm_license_file_describe (name, mime, bytes, pages);
  gtk_label_set_text (self->license_label, text);
  /* the checksum is for whoever compares files, not for reading */
  if (sha != NULL)
    sha_tooltip = g_strdup_printf (_("SHA-256: %s"), sha);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->license_label), sha_tooltip);
  update_choose_button (self, TRUE);

  /* the preview (an image, or a PDF's first page); else a document icon */
  texture = license_preview (self, sha);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->license_preview, GDK_PAINTABLE (texture));
      gtk_widget_set_visible (GTK_WIDGET (self->license_preview), TRUE);
    }
  else if (mime != NULL && g_str_has_prefix (mime, "image/"))
    {
      gtk_picture_set_paintable (self->license_preview, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->license_preview), FALSE);
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

/* Locked fields look read-only: no frame, a lock at their end, and a
 * caption above the form; the text can still be selected and copied. */
static void
set_fields_locked (CrmCertificationPage *self,
                   gboolean              locked)
{
  GtkEditable *fields[] = { self->company_entry, self->uscc_entry, self->legal_entry,
                            self->address_entry };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      GtkEntry *entry = GTK_ENTRY (fields[i]);

      gtk_editable_set_editable (fields[i], !locked);
      gtk_entry_set_has_frame (entry, !locked);
      gtk_entry_set_icon_from_icon_name (entry, GTK_ENTRY_ICON_SECONDARY,
                                         locked ? "changes-prevent-symbolic" : NULL);
      if (locked)
        {
          gtk_entry_set_icon_tooltip_text (entry, GTK_ENTRY_ICON_SECONDARY, _("Locked"));
          gtk_widget_add_css_class (GTK_WIDGET (entry), "crm-locked");
        }
      else
        gtk_widget_remove_css_class (GTK_WIDGET (entry), "crm-locked");
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_READ_ONLY, locked, -1);
    }
  gtk_widget_set_visible (self->locked_caption, locked);
}

/* what the header says of each status; a rejection says the reason */
static const struct
{
  const char *icon;
  const char *label;
  const char *detail;
} statuses[] = {
  [CRM_CERTIFICATION_DRAFT] = {
    "document-edit-symbolic", N_("Draft"),
    N_("The draft is kept on this computer. Submit it for review when every "
       "field and the license are there. Once the company is certified, this "
       "information is locked and can no longer be changed.") },
  [CRM_CERTIFICATION_SUBMITTED] = {
    "document-send-symbolic", N_("Submitted for Review"),
    N_("Xiaohe is reviewing the certification. The information cannot be "
       "changed meanwhile.") },
  [CRM_CERTIFICATION_CERTIFIED] = {
    "emblem-ok-symbolic", N_("Certified"),
    N_("The company is certified. Its certification information is locked and "
       "cannot be changed.") },
  [CRM_CERTIFICATION_REJECTED] = { "dialog-warning-symbolic", N_("Rejected"), NULL },
};

static void
update_state (CrmCertificationPage *self)
{
  CrmCertificationStatus status = self->saved ? self->saved->status : CRM_CERTIFICATION_DRAFT;
  gboolean editable = is_editable (self);
  const char *icon, *label, *detail;
  g_autofree char *rejected = NULL;

  if (status >= G_N_ELEMENTS (statuses))
    status = CRM_CERTIFICATION_DRAFT;
  icon = statuses[status].icon;
  label = _(statuses[status].label);
  detail = statuses[status].detail ? _(statuses[status].detail) : NULL;
  if (self->saved == NULL)
    {
      icon = "dialog-information-symbolic";
      label = _("Not Certified");
      detail = _("Every user of your company acts under its certification. Enter the "
                 "company’s details as they stand on its business license and add a real, "
                 "valid scan of the license. Once the company is certified, this "
                 "information is locked and can no longer be changed.");
    }
  else if (status == CRM_CERTIFICATION_REJECTED)
    {
      rejected = g_strdup_printf (_("The reviewer gave this reason: %s. Correct the "
                                    "information and submit it again."),
                                  *self->saved->reject_reason ? self->saved->reject_reason
                                                              : _("none given"));
      detail = rejected;
    }

  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_text (self->status_label, label);
  gtk_label_set_text (self->status_detail, detail);
  adw_view_switcher_title_set_subtitle (self->title, label);

  set_fields_locked (self, !editable);
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
  self->license_changed = FALSE;
  self->saved = crm_store_get_certification (self->store, &error);
  if (error != NULL)
    toast (self, error->message);
  load_form (self);
  update_state (self);
}

static gboolean
save_draft (CrmCertificationPage  *self,
            GError               **error)
{
  g_autoptr (CrmCertification) cert = crm_certification_new ();
  gboolean ok;

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
      if (!crm_store_put_blob (self->store, self->pending, error))
        return FALSE;
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

  self->saving = TRUE;
  ok = crm_store_save_certification (self->store, cert, error);
  self->saving = FALSE;
  if (!ok)
    return FALSE;
  g_clear_pointer (&self->pending, crm_license_file_free);
  g_clear_pointer (&self->pending_name, g_free);
  reload (self);
  return TRUE;
}

static gboolean
save (CrmCertificationPage *self)
{
  g_autoptr (GError) error = NULL;

  if (save_draft (self, &error))
    return TRUE;
  toast (self, error->message);
  return FALSE;
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
on_submit_response (AdwMessageDialog     *dialog,
                    const char           *response,
                    CrmCertificationPage *self)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (g_strcmp0 (response, "submit") != 0 || self->store == NULL)
    return;
  self->saving = TRUE;
  ok = crm_store_submit_certification (self->store, &error);
  self->saving = FALSE;
  if (!ok)
    {
      toast (self, error->message);
      return;
    }
  reload (self);
  toast (self, _("Submitted for review"));
}

/* Submitting locks the form: the draft is saved, then the person is asked,
 * Cancel being the default. */
static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmCertificationPage *self = CRM_CERTIFICATION_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (!save (self))
    return;
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Submit for Review?"),
                                   _("Once submitted, the certification is locked: its "
                                     "information cannot be changed while Xiaohe reviews "
                                     "it, nor after the company is certified."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "submit", _("_Submit and Lock"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "submit",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_submit_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* whether @entry holds something else than @saved (NULL: nothing) */
static gboolean
differs (GtkEditable *entry,
         const char  *saved,
         gboolean     strip)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (entry));

  if (strip)
    g_strstrip (text);
  return g_strcmp0 (text, saved ? saved : "") != 0;
}

/**
 * crm_certification_page_is_dirty:
 *
 * Returns: whether the form holds something the store does not: a field
 *   typed or a license chosen or removed, while the form can be edited.
 */
gboolean
crm_certification_page_is_dirty (CrmCertificationPage *self)
{
  CrmCertification *c;

  g_return_val_if_fail (CRM_IS_CERTIFICATION_PAGE (self), FALSE);

  if (self->store == NULL || !is_editable (self))
    return FALSE;
  if (self->pending != NULL || self->license_changed)
    return TRUE;
  /* as save_draft() takes them: the code as typed, the others stripped */
  c = self->saved;
  return differs (self->company_entry, c ? c->company_name : NULL, TRUE)
         || differs (self->uscc_entry, c ? c->uscc : NULL, FALSE)
         || differs (self->legal_entry, c ? c->legal_representative : NULL, TRUE)
         || differs (self->address_entry, c ? c->address : NULL, TRUE);
}

static void
on_leave_answer (GtkWidget *owner,
                 gboolean   discard)
{
  CrmCertificationPage *self = CRM_CERTIFICATION_PAGE (owner);

  if (!discard)
    {
      /* back to the form, on the field that stops the saving */
      if (gtk_widget_get_visible (GTK_WIDGET (self->uscc_message)))
        {
          gtk_entry_grab_focus_without_selecting (GTK_ENTRY (self->uscc_entry));
          gtk_editable_set_position (self->uscc_entry, -1);
        }
      return;
    }
  g_clear_pointer (&self->pending, crm_license_file_free);
  g_clear_pointer (&self->pending_name, g_free);
  reload (self);
}

/**
 * crm_certification_page_finish_editing:
 * @then_action: (nullable): the action to activate (from the page) once the
 *   person has chosen to discard what cannot be saved, e.g. "window.close"
 * @then_param: (nullable): its parameter
 *
 * Saves the draft if the form changed. When it cannot be saved (a wrong
 * code, a store error), asks whether to keep editing or discard it, and
 * returns %FALSE: the caller stops; @then_action follows a discard.
 *
 * Returns: %TRUE when nothing is left unsaved.
 */
gboolean
crm_certification_page_finish_editing (CrmCertificationPage *self,
                                       const char           *then_action,
                                       GVariant             *then_param)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (CRM_IS_CERTIFICATION_PAGE (self), TRUE);

  if (!crm_certification_page_is_dirty (self))
    return TRUE;
  if (save_draft (self, &error))
    return TRUE;

  body = g_strdup_printf (_("The certification draft cannot be saved: %s"), error->message);
  /* the deal editor asks the same */
  crm_discard_dialog_ask (GTK_WIDGET (self), body, on_leave_answer, then_action, then_param);
  return FALSE;
}

static void
remove_license_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CrmCertificationPage *self = CRM_CERTIFICATION_PAGE (widget);

  g_clear_pointer (&self->pending, crm_license_file_free);
  g_clear_pointer (&self->pending_name, g_free);
  if (self->saved != NULL && self->saved->license_sha256 != NULL)
    {
      g_clear_pointer (&self->saved->license_sha256, g_free);
      self->license_changed = TRUE;
    }
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
  self->license_changed = TRUE;
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
  crm_license_dialog_set_removable (CRM_LICENSE_DIALOG (dialog), license_sha (self) != NULL);
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
take_dropped (gpointer    user_data,
              const char *path)
{
  CrmCertificationPage *self = user_data;

  if (!is_editable (self))
    return FALSE;
  crm_license_dialog_load_path (open_license_dialog (self), path);
  return TRUE;
}

/* the first AdwToastOverlay under @widget: each view has one */
static AdwToastOverlay *
find_toast_overlay (GtkWidget *widget)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *found = find_toast_overlay (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The review, told once as it arrives: a toast in the view on screen (with
 * a button to this page when another view is shown) while the window is
 * active, else a desktop notification that brings the app back. */
static void
announce_review (CrmCertificationPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_VIEW_STACK);
  GtkWidget *shown = stack ? adw_view_stack_get_visible_child (ADW_VIEW_STACK (stack)) : NULL;
  gboolean certified = self->saved->status == CRM_CERTIFICATION_CERTIFIED;
  g_autofree char *text = NULL;

  if (certified)
    text = g_strdup (_("Certification approved"));
  else
    text = g_strdup_printf (_("Certification rejected: %s"),
                            *self->saved->reject_reason ? self->saved->reject_reason
                                                        : _("none given"));

  if (GTK_IS_WINDOW (root) && gtk_window_is_active (GTK_WINDOW (root)))
    {
      AdwToastOverlay *overlay = shown ? find_toast_overlay (shown) : NULL;
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_timeout (toast, 0);
      if (overlay != NULL && shown != GTK_WIDGET (self))
        {
          adw_toast_set_button_label (toast, _("_Show"));
          adw_toast_set_action_name (toast, "win.view");
          adw_toast_set_action_target (toast, "s", "certification");
        }
      adw_toast_overlay_add_toast (overlay ? overlay : self->toast_overlay, toast);
    }
  else
    {
      GApplication *app = g_application_get_default ();
      g_autoptr (GNotification) notification = g_notification_new (text);

      g_notification_set_body (notification,
                               certified ? _(statuses[CRM_CERTIFICATION_CERTIFIED].detail)
                                         : _("Correct the information and submit it again."));
      if (app != NULL)
        g_application_send_notification (app, "certification-review", notification);
    }
}

/* A change in the store: ours (already shown), a pulled review, a
 * colleague's edit, all data deleted. What is being typed stays. */
static void
on_certification_changed (CrmCertificationPage *self)
{
  g_autoptr (GError) error = NULL;
  CrmCertification *now;
  gboolean was_submitted;

  if (self->saving)
    return;
  was_submitted = self->saved != NULL && self->saved->status == CRM_CERTIFICATION_SUBMITTED;
  if (!crm_certification_page_is_dirty (self))
    reload (self);
  else
    {
      now = crm_store_get_certification (self->store, &error);
      if (error != NULL)
        toast (self, error->message);
      /* a license removed in the form stays removed */
      if (now != NULL && self->license_changed && self->pending == NULL)
        g_clear_pointer (&now->license_sha256, g_free);
      g_clear_pointer (&self->saved, crm_certification_free);
      self->saved = now;
      update_state (self);
    }
  if (was_submitted && self->saved != NULL
      && (self->saved->status == CRM_CERTIFICATION_CERTIFIED
          || self->saved->status == CRM_CERTIFICATION_REJECTED))
    announce_review (self);
}

void
crm_certification_page_set_store (CrmCertificationPage *self,
                                  CrmStore             *store)
{
  g_return_if_fail (CRM_IS_CERTIFICATION_PAGE (self));
  g_return_if_fail (CRM_IS_STORE (store));

  if (self->store != store)
    {
      if (self->store != NULL)
        g_signal_handlers_disconnect_by_data (self->store, self);
      g_set_object (&self->store, store);
      g_signal_connect_object (store, "certification-changed",
                               G_CALLBACK (on_certification_changed), self, G_CONNECT_SWAPPED);
    }
  reload (self);
}

/* Coming to the page (Ctrl+3) puts the cursor at the end of the company
 * name while it can be edited, nothing selected; the header's buttons
 * stay a Shift+Tab away. */
static gboolean
crm_certification_page_focus (GtkWidget        *widget,
                              GtkDirectionType  direction)
{
  CrmCertificationPage *self = CRM_CERTIFICATION_PAGE (widget);
  GtkWidget *company = GTK_WIDGET (self->company_entry);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  gboolean entering = focus == NULL || !gtk_widget_is_ancestor (focus, widget);

  if (direction == GTK_DIR_TAB_FORWARD && entering
      && is_editable (self) && gtk_widget_is_sensitive (company))
    {
      gtk_entry_grab_focus_without_selecting (GTK_ENTRY (company));
      gtk_editable_set_position (self->company_entry, -1);
      return TRUE;
    }
  return GTK_WIDGET_CLASS (crm_certification_page_parent_class)->focus (widget, direction);
}

/* Left by any way (the view switcher too): what can be saved is; what
 * cannot stays in the form, and closing the window asks. */
static void
crm_certification_page_unmap (GtkWidget *widget)
{
  CrmCertificationPage *self = CRM_CERTIFICATION_PAGE (widget);
  g_autoptr (GError) error = NULL;

  if (crm_certification_page_is_dirty (self) && !save_draft (self, &error))
    g_debug ("The certification draft is kept in the form: %s", error->message);
  GTK_WIDGET_CLASS (crm_certification_page_parent_class)->unmap (widget);
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
  g_clear_object (&self->stored_preview);
  g_clear_pointer (&self->stored_preview_sha, g_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_certification_page_parent_class)->dispose (object);
}

static void
crm_certification_page_class_init (CrmCertificationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_certification_page_dispose;
  widget_class->unmap = crm_certification_page_unmap;
  widget_class->focus = crm_certification_page_focus;

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
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, locked_caption);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, license_preview);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, license_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, choose_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCertificationPage, choose_label);
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
  gtk_widget_init_template (GTK_WIDGET (self));
  crm_license_dialog_add_drop (GTK_WIDGET (self), take_dropped, self);
}
