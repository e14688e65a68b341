/* crm-lost-dialog.c — "Mark the Deal as Lost?", asking why
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A lost deal keeps its reason: the dialog has an entry for it, and Mark
 * as Lost is enabled once something is typed (Enter in the entry answers
 * too). Cancel is what closing it means.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-lost-dialog.h"

typedef struct
{
  GtkEditable    *entry;
  CrmLostFunc     callback;
  gpointer        user_data;
  GDestroyNotify  notify;
} LostRequest;

static void
lost_request_free (gpointer data)
{
  LostRequest *request = data;

  if (request->notify != NULL)
    request->notify (request->user_data);
  g_free (request);
}

static char *
stripped_text (GtkEditable *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (entry)));
}

static void
on_reason_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = stripped_text (entry);

  adw_message_dialog_set_response_enabled (dialog, "lost", *text != '\0');
}

static void
on_entry_activate (GtkEntry         *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = stripped_text (GTK_EDITABLE (entry));

  /* a response made by code does not close the dialog (libadwaita 1.2) */
  if (*text != '\0')
    {
      adw_message_dialog_response (dialog, "lost");
      gtk_window_close (GTK_WINDOW (dialog));
    }
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             LostRequest      *request)
{
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "lost") != 0)
    return;
  reason = stripped_text (request->entry);
  request->callback (reason, request->user_data);
}

/**
 * crm_lost_dialog_ask:
 * @owner: the dialog is over its window
 * @deal: the deal to mark lost (its title is shown)
 * @callback: called with the reason when the person marks it lost
 * @user_data: for @callback
 * @notify: (nullable): frees @user_data once the dialog is gone
 */
void
crm_lost_dialog_ask (GtkWidget      *owner,
                     CrmDeal        *deal,
                     CrmLostFunc     callback,
                     gpointer        user_data,
                     GDestroyNotify  notify)
{
  GtkRoot *root = gtk_widget_get_root (owner);
  LostRequest *request = g_new0 (LostRequest, 1);
  GtkWidget *dialog;
  GtkWidget *entry;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Mark the Deal as Lost?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Why was “%s” lost? The reason is kept with the deal."),
                                  crm_deal_get_title (deal));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("For example: the price, a competitor"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Lost reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "lost", _("_Mark as Lost"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "lost",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "lost", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "lost");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  request->entry = GTK_EDITABLE (entry);
  request->callback = callback;
  request->user_data = user_data;
  request->notify = notify;
  g_signal_connect (entry, "changed", G_CALLBACK (on_reason_changed), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), request,
                         (GClosureNotify)(void (*) (void))lost_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}
