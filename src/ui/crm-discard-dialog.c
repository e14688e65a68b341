/* crm-discard-dialog.c — "Discard the Changes?", asked the same everywhere
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contacts page, the certification page and the deal editor never drop
 * what was typed without asking: Keep Editing is the default and what
 * closing the dialog means, Discard is destructive. After a discard the
 * owner may go on with an action (closing the window, say), activated from
 * an idle: closing the window from inside the dialog's own signal would
 * take the dialog with it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-discard-dialog.h"

typedef struct
{
  GtkWidget      *owner;
  CrmDiscardFunc  callback;
  char           *then_action;
  GVariant       *then_param;
} DiscardRequest;

static void
discard_request_free (gpointer data)
{
  DiscardRequest *request = data;

  g_object_unref (request->owner);
  g_free (request->then_action);
  g_clear_pointer (&request->then_param, g_variant_unref);
  g_free (request);
}

static gboolean
then_idle (gpointer data)
{
  DiscardRequest *request = data;

  if (gtk_widget_get_root (request->owner) != NULL)
    gtk_widget_activate_action_variant (request->owner, request->then_action,
                                        request->then_param);
  return G_SOURCE_REMOVE;
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             DiscardRequest   *request)
{
  gboolean discard = g_strcmp0 (response, "discard") == 0;

  request->callback (request->owner, discard);
  if (discard && request->then_action != NULL)
    {
      DiscardRequest *then = g_new0 (DiscardRequest, 1);

      then->owner = g_object_ref (request->owner);
      then->then_action = g_strdup (request->then_action);
      then->then_param = request->then_param ? g_variant_ref (request->then_param) : NULL;
      g_idle_add_full (G_PRIORITY_DEFAULT, then_idle, then, discard_request_free);
    }
}

/**
 * crm_discard_dialog_ask:
 * @owner: the page or editor window asking; the dialog is over its window
 * @body: (nullable): what would be lost, translated
 * @callback: told the answer
 * @then_action: (nullable): an action to activate on @owner after a discard
 * @then_param: (nullable): its parameter (a floating one is sunk)
 *
 * Presents the question.
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
crm_discard_dialog_ask (GtkWidget      *owner,
                        const char     *body,
                        CrmDiscardFunc  callback,
                        const char     *then_action,
                        GVariant       *then_param)
{
  GtkRoot *root = gtk_widget_get_root (owner);
  DiscardRequest *request = g_new0 (DiscardRequest, 1);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Discard the Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");

  request->owner = g_object_ref (owner);
  request->callback = callback;
  request->then_action = g_strdup (then_action);
  request->then_param = then_param ? g_variant_ref_sink (then_param) : NULL;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), request,
                         (GClosureNotify)(void (*) (void))discard_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
