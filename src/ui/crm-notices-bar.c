/* crm-notices-bar.c — the team server's notices in the main window: the bar of
 * a new pricing notice, Notices… in the main menu, a terms revision asked for
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the server announces (GET /v1/notices, kept by the sync controller,
 * crm-sync-controller-notices.c) reaches the window through
 * CrmStore::notices-changed, and is read once more when the window is made,
 * so a notice kept by an earlier run shows offline.
 *
 * A pricing notice not yet seen: a bar at the bottom of the window (the
 * place of the sign-in offer, so that the window's first focus stays in the
 * view; AdwBanner is libadwaita 1.3) with its title and the day it takes
 * effect, a button that opens the Notices dialog (which marks it seen) and
 * a close button (seen too: it was read). A terms revision not accepted:
 * the terms window with its text, modal over the window, before anything
 * else is done; Agree records that version (crm_store_accept_terms()),
 * Decline quits the app the way app.quit does, leaving the data as it is.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-form.h"
#include "crm-notices-bar.h"
#include "crm-notices-dialog.h"
#include "crm-store-notices.h"
#include "crm-terms-window.h"

typedef struct
{
  GtkWindow   *window;      /* unowned: the state lives on it */
  CrmStore    *store;
  GtkRevealer *bar;
  GtkLabel    *bar_label;
  GtkWidget   *terms;       /* the terms window asking, or NULL */
  gboolean     own_bar;     /* no box to put it in: ours to free */
} Notices;

static void
notices_free (Notices *n)
{
  /* the window goes (the app quits): the question goes with it, unanswered */
  if (n->terms != NULL)
    {
      g_signal_handlers_disconnect_by_data (n->terms, n);
      gtk_window_destroy (GTK_WINDOW (n->terms));
    }
  if (n->own_bar)
    g_object_unref (n->bar);
  g_clear_object (&n->store);
  g_free (n);
}

static void
notices_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  Notices *n = user_data;

  gtk_window_present (GTK_WINDOW (crm_notices_dialog_new (n->store, n->window)));
}

static void
on_dismiss (Notices *n)
{
  g_autoptr (GError) error = NULL;

  gtk_revealer_set_reveal_child (n->bar, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (n->bar), FALSE);
  if (!crm_store_mark_notices_seen (n->store, &error))
    g_message ("Notices: %s", error->message);
}

static GtkRevealer *
bar_new (Notices *n)
{
  GtkWidget *revealer = gtk_revealer_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *read = crm_form_button_new_with_mnemonic (_("_Read Notice"), NULL);
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_widget_add_css_class (box, "toolbar");
  gtk_widget_set_margin_start (icon, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Pricing notice"), -1);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (read, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (read), "win.notices");
  gtk_widget_set_valign (close, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_set_tooltip_text (close, _("Dismiss"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Dismiss"), -1);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (on_dismiss), n);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), read);
  gtk_box_append (GTK_BOX (box), close);
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  gtk_widget_set_visible (revealer, FALSE);
  n->bar_label = GTK_LABEL (label);
  return GTK_REVEALER (revealer);
}

static void
show_pricing (Notices *n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmWireNotice) notice = crm_store_get_unseen_pricing_notice (n->store, &error);
  g_autofree char *day = NULL;
  g_autofree char *text = NULL;
  GtkWidget *box;

  if (error != NULL)
    g_message ("Notices: %s", error->message);
  if (notice == NULL)
    {
      gtk_revealer_set_reveal_child (n->bar, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (n->bar), FALSE);
      return;
    }
  day = crm_notices_format_day (notice->effective_at);
  /* Translators: a pricing notice's title, and the day the change applies */
  text = g_strdup_printf (_("%s — takes effect on %s"), notice->title,
                          day ? day : notice->effective_at);
  gtk_label_set_text (n->bar_label, text);
  box = gtk_revealer_get_child (n->bar);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pricing notice"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  gtk_widget_set_visible (GTK_WIDGET (n->bar), TRUE);
  gtk_revealer_set_reveal_child (n->bar, TRUE);
}

static void ask_terms (Notices *n);

/* app.quit from an idle: the terms window may be answering because the app
 * is quitting already (Ctrl+Q closes every window), and app.quit must not
 * run inside its own loop over the windows */
static gboolean
quit_app (gpointer app)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
on_error_response (AdwMessageDialog *dialog,
                   const char       *response,
                   GApplication     *app)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, quit_app, g_object_ref (app), g_object_unref);
}

/* The acceptance could not be kept (a damaged file): no use without it, so
 * the app says why and quits, as after Decline */
static void
refuse_entry (Notices      *n,
              GApplication *app,
              const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (n->window, _("Cannot Record Your Answer"),
                                              error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Quit"));
  if (app != NULL)
    g_signal_connect_object (dialog, "response", G_CALLBACK (on_error_response), app, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_terms_response (Notices        *n,
                   gboolean        agreed,
                   CrmTermsWindow *terms)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *version = crm_terms_window_get_version (terms);
  GApplication *app = G_APPLICATION (gtk_window_get_application (n->window));

  n->terms = NULL;
  if (!agreed)
    {
      /* no use without the terms: the app quits, the data stays */
      gtk_window_destroy (GTK_WINDOW (terms));
      if (app != NULL)
        g_idle_add_full (G_PRIORITY_DEFAULT, quit_app, g_object_ref (app), g_object_unref);
      return;
    }
  if (!crm_store_accept_terms (n->store, version, crm_terms_window_get_language (terms), &error))
    {
      gtk_window_destroy (GTK_WINDOW (terms));
      refuse_entry (n, app, error);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (terms));
  /* a further revision, if the server has one */
  ask_terms (n);
}

static void
ask_terms (Notices *n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmWireNotice) notice = NULL;

  if (n->terms != NULL)
    return;
  notice = crm_store_get_unaccepted_terms_notice (n->store, &error);
  if (error != NULL)
    g_message ("Notices: %s", error->message);
  if (notice == NULL)
    return;
  n->terms = crm_terms_window_new (FALSE);
  crm_terms_window_set_revision (CRM_TERMS_WINDOW (n->terms), notice->terms_version,
                                 notice->title, notice->body);
  gtk_window_set_transient_for (GTK_WINDOW (n->terms), n->window);
  gtk_window_set_modal (GTK_WINDOW (n->terms), TRUE);
  g_signal_connect_swapped (n->terms, "response", G_CALLBACK (on_terms_response), n);
  gtk_window_present (GTK_WINDOW (n->terms));
}

static void
on_notices_changed (Notices *n)
{
  ask_terms (n);
  show_pricing (n);
}

/* the store's signal, as long as the window lives */
static void
on_window_notices_changed (GtkWindow *window)
{
  Notices *n = g_object_get_data (G_OBJECT (window), "crm-notices");

  if (n != NULL)
    on_notices_changed (n);
}

/* "Notices…" beside the terms in the last section of each main menu */
static void
add_menu_item (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    {
      GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));
      int n = menu ? g_menu_model_get_n_items (menu) : 0;
      g_autoptr (GMenuModel) last = NULL;

      if (n > 0)
        last = g_menu_model_get_item_link (menu, n - 1, G_MENU_LINK_SECTION);
      if (G_IS_MENU (last) && g_object_get_data (G_OBJECT (last), "crm-notices-item") == NULL)
        {
          g_menu_insert (G_MENU (last), MIN (1, g_menu_model_get_n_items (last)),
                         _("_Notices…"), "win.notices");
          g_object_set_data (G_OBJECT (last), "crm-notices-item", GINT_TO_POINTER (1));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_menu_item (child);
}

/**
 * crm_notices_attach:
 * @window: the main window (an AdwApplicationWindow whose content is a box)
 * @store: the store the notices are kept in
 */
void
crm_notices_attach (GtkWindow *window,
                    CrmStore  *store)
{
  g_autoptr (GSimpleAction) action = NULL;
  GtkWidget *content;
  Notices *n;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (CRM_IS_STORE (store));

  n = g_new0 (Notices, 1);
  n->window = window;
  n->store = g_object_ref (store);
  g_object_set_data_full (G_OBJECT (window), "crm-notices", n, (GDestroyNotify) notices_free);

  if (G_IS_ACTION_MAP (window))
    {
      action = g_simple_action_new ("notices", NULL);
      g_signal_connect (action, "activate", G_CALLBACK (notices_action), n);
      g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
    }
  add_menu_item (GTK_WIDGET (window));

  n->bar = bar_new (n);
  content = ADW_IS_APPLICATION_WINDOW (window)
    ? adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)) : NULL;
  if (GTK_IS_BOX (content))
    gtk_box_append (GTK_BOX (content), GTK_WIDGET (n->bar));
  else
    n->own_bar = g_object_ref_sink (n->bar) != NULL;   /* no place for it: never shown */

  g_signal_connect_object (store, "notices-changed", G_CALLBACK (on_window_notices_changed),
                           window, G_CONNECT_SWAPPED);
  on_notices_changed (n);
}
