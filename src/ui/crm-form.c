/* crm-form.c — what every editor form does the same way
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The deal editor and the follow-up form show a field's error the same way
 * (a line under the field, the field marked for the eye and for screen
 * readers), save on Ctrl+Enter from any field, ask before dropping what
 * was typed, and close after "Discard" from an idle: closing the window
 * from inside the question's own signal would take the question with it.
 * One copy here, so they cannot drift.
 */
#include "config.h"

#include "crm-discard-dialog.h"
#include "crm-form.h"

/**
 * crm_form_show_error:
 * @label: the error line under @input
 * @message: (nullable): what is wrong, translated; %NULL clears it
 *
 * Shows @message under @input and marks @input invalid (the "error" style,
 * its accessible description and state), or clears all of it.
 */
void
crm_form_show_error (GtkLabel   *label,
                     GtkWidget  *input,
                     const char *message)
{
  g_return_if_fail (GTK_IS_LABEL (label));
  g_return_if_fail (GTK_IS_WIDGET (input));

  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (input, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (input),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (input),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (input, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/**
 * crm_form_is_save_key:
 *
 * Returns: whether the key is Ctrl+Enter (any Enter key, Shift allowed):
 *   the form saves, caught before a text view takes it as a new line.
 */
gboolean
crm_form_is_save_key (guint           keyval,
                      GdkModifierType state)
{
  return (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
         && (state & GDK_CONTROL_MASK) != 0;
}

static gboolean
destroy_idle (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/**
 * crm_form_close_later:
 *
 * Hides @window now and destroys it from an idle (after "Discard").
 */
void
crm_form_close_later (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_idle, g_object_ref (window), g_object_unref);
}

static void
on_close_answer (GtkWidget *owner,
                 gboolean   discard)
{
  if (discard)
    crm_form_close_later (GTK_WINDOW (owner));
}

/**
 * crm_form_ask_before_closing:
 * @dirty: whether something was typed that is not saved
 * @body: what would be lost, translated
 *
 * Escape or the close button of an editor window: with something typed,
 * asks (crm_discard_dialog_ask()) and closes @window after Discard.
 *
 * Returns: %TRUE when it asked: the caller does not close @window now
 */
gboolean
crm_form_ask_before_closing (GtkWindow  *window,
                             gboolean    dirty,
                             const char *body)
{
  g_return_val_if_fail (GTK_IS_WINDOW (window), FALSE);

  if (!dirty)
    return FALSE;
  crm_discard_dialog_ask (GTK_WIDGET (window), body, on_close_answer, NULL, NULL);
  return TRUE;
}

/**
 * crm_form_button_new_with_mnemonic:
 * @mnemonic: the translated label, its key underlined ("_Keep Mine")
 * @description: (nullable): the accessible description, translated
 *
 * A button with a mnemonic that screen readers (and the tests) name once,
 * by its label without the underline. GTK 4.8 names a button made with a
 * mnemonic both by its label, underline included, and by the label inside
 * it ("Keep Mine Keep Mine"): the relation is reset and the name set.
 *
 * Returns: (transfer floating): the button
 */
GtkWidget *
crm_form_button_new_with_mnemonic (const char *mnemonic,
                                   const char *description)
{
  GtkWidget *button;
  g_autoptr (GString) name = g_string_new (NULL);

  g_return_val_if_fail (mnemonic != NULL, NULL);

  button = gtk_button_new_with_mnemonic (mnemonic);
  for (const char *p = mnemonic; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '\0')
        p++;   /* "_K" reads K, "__" reads _ */
      g_string_append_c (name, *p);
    }
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name->str, -1);
  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  return button;
}
