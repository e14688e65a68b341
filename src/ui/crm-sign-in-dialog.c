/* crm-sign-in-dialog.c — "Sign In to Team Server": the address, the
 * company, the user and the password, the certificate question
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window of its own (AdwWindow, modal) rather than an AdwMessageDialog:
 * four fields, each with its mnemonic, Enter signing in from any of them,
 * and the answer said inside the dialog with everything typed kept, so a
 * wrong password is corrected in place. The sentence of terms §3.2.d (the
 * password is asked for here only) is always shown.
 *
 * The password stays in the GtkPasswordEntry's buffer (GTK keeps it in
 * non-pageable memory and wipes it); it is read only to hand it to the
 * engine and is cleared from the entry once signed in. A certificate the
 * system does not trust is shown by its SHA-256 fingerprint and trusted
 * only when the person presses "Trust and Sign In"; changing the address
 * forgets it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-sign-in-dialog.h"

struct _CrmSignInDialog
{
  AdwWindow          parent_instance;

  CrmSyncController *controller;
  GCancellable      *cancellable;
  char              *fingerprint;     /* shown, waiting for the person's answer */

  GtkWidget         *sign_in_button;
  GtkLabel          *sign_in_label;
  GtkSpinner        *spinner;
  GtkEditable       *server_entry;
  GtkEditable       *company_entry;
  GtkEditable       *user_entry;
  GtkEditable       *password_entry;
  GtkWidget         *certificate_box;
  GtkLabel          *fingerprint_label;
  GtkLabel          *error_label;
};

G_DEFINE_FINAL_TYPE (CrmSignInDialog, crm_sign_in_dialog, ADW_TYPE_WINDOW)

static void
show_error (CrmSignInDialog *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (CrmSignInDialog *self,
          gboolean         busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in", !busy);
  /* not insensitive: GTK 4.8 loses the focused entry's focus-out then */
  gtk_editable_set_editable (self->server_entry, !busy);
  gtk_editable_set_editable (self->company_entry, !busy);
  gtk_editable_set_editable (self->user_entry, !busy);
  gtk_editable_set_editable (self->password_entry, !busy);
}

static void
forget_certificate (CrmSignInDialog *self)
{
  g_clear_pointer (&self->fingerprint, g_free);
  gtk_widget_set_visible (self->certificate_box, FALSE);
  gtk_label_set_text_with_mnemonic (self->sign_in_label, _("_Sign In"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_in_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sign In"), -1);
}

static void
ask_certificate (CrmSignInDialog *self,
                 char            *fingerprint)
{
  g_free (self->fingerprint);
  self->fingerprint = fingerprint;
  gtk_label_set_text (self->fingerprint_label, fingerprint);
  gtk_widget_set_visible (self->certificate_box, TRUE);
  gtk_label_set_text_with_mnemonic (self->sign_in_label, _("_Trust and Sign In"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_in_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Trust and Sign In"), -1);
}

/* where the person fixes what the error is about */
static GtkWidget *
field_for_error (CrmSignInDialog *self,
                 const GError    *error)
{
  if (error->domain == CRM_SYNC_ERROR
      && (error->code == CRM_SYNC_ERROR_BAD_LOGIN || error->code == CRM_SYNC_ERROR_THROTTLED))
    return GTK_WIDGET (self->password_entry);
  if (error->domain == CRM_SYNC_CONTROLLER_ERROR
      && error->code == CRM_SYNC_CONTROLLER_ERROR_UNKNOWN_CERTIFICATE)
    return self->sign_in_button;
  return GTK_WIDGET (self->server_entry);
}

static void
on_sign_in_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (CrmSignInDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *fingerprint = NULL;

  if (crm_sync_controller_sign_in_finish (CRM_SYNC_CONTROLLER (source), result, &fingerprint,
                                          &error))
    {
      /* the entry's secure buffer is wiped */
      gtk_editable_set_text (self->password_entry, "");
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (g_error_matches (error, CRM_SYNC_CONTROLLER_ERROR,
                       CRM_SYNC_CONTROLLER_ERROR_UNKNOWN_CERTIFICATE) && fingerprint != NULL)
    ask_certificate (self, g_steal_pointer (&fingerprint));
  show_error (self, error->message);
  gtk_widget_grab_focus (field_for_error (self, error));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  CrmSignInDialog *self = CRM_SIGN_IN_DIALOG (widget);

  show_error (self, NULL);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  crm_sync_controller_sign_in_async (self->controller,
                                     gtk_editable_get_text (self->server_entry),
                                     gtk_editable_get_text (self->company_entry),
                                     gtk_editable_get_text (self->user_entry),
                                     gtk_editable_get_text (self->password_entry),
                                     self->fingerprint, self->cancellable,
                                     on_sign_in_done, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
on_server_changed (CrmSignInDialog *self)
{
  /* an approved fingerprint belongs to the address it was shown for */
  if (self->fingerprint != NULL)
    forget_certificate (self);
}

static gboolean
crm_sign_in_dialog_close_request (GtkWindow *window)
{
  CrmSignInDialog *self = CRM_SIGN_IN_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  gtk_editable_set_text (self->password_entry, "");
  return GTK_WINDOW_CLASS (crm_sign_in_dialog_parent_class)->close_request (window);
}

static void
crm_sign_in_dialog_dispose (GObject *object)
{
  CrmSignInDialog *self = (CrmSignInDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_SIGN_IN_DIALOG);
  g_clear_object (&self->controller);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (crm_sign_in_dialog_parent_class)->dispose (object);
}

static void
crm_sign_in_dialog_finalize (GObject *object)
{
  CrmSignInDialog *self = (CrmSignInDialog *)object;

  g_free (self->fingerprint);

  G_OBJECT_CLASS (crm_sign_in_dialog_parent_class)->finalize (object);
}

static void
crm_sign_in_dialog_class_init (CrmSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = crm_sign_in_dialog_dispose;
  object_class->finalize = crm_sign_in_dialog_finalize;
  window_class->close_request = crm_sign_in_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, sign_in_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, server_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, company_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, user_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, certificate_box);
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSignInDialog, error_label);

  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "sign-in.cancel", NULL);
}

static void
crm_sign_in_dialog_init (CrmSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  g_signal_connect_swapped (self->server_entry, "changed", G_CALLBACK (on_server_changed),
                            self);
}

/**
 * crm_sign_in_dialog_new:
 * @controller: the app's team account
 *
 * The fields are filled with the account last used, the cursor in the
 * first empty one.
 */
GtkWidget *
crm_sign_in_dialog_new (CrmSyncController *controller)
{
  CrmSignInDialog *self;
  const char *server, *company, *user;

  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (controller), NULL);

  self = g_object_new (CRM_TYPE_SIGN_IN_DIALOG, NULL);
  self->controller = g_object_ref (controller);
  server = crm_sync_controller_get_server (controller);
  company = crm_sync_controller_get_company (controller);
  user = crm_sync_controller_get_user (controller);
  if (server != NULL)
    gtk_editable_set_text (self->server_entry, server);
  if (company != NULL)
    gtk_editable_set_text (self->company_entry, company);
  if (user != NULL)
    gtk_editable_set_text (self->user_entry, user);
  if (server == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->server_entry));
  else if (company == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->company_entry));
  else if (user == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->user_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
  return GTK_WIDGET (self);
}
