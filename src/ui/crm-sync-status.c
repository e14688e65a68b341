/* crm-sync-status.c — the team status in a header bar (synced · syncing n/m ·
 * offline · error), the Team section of the main menu, the sign-in offer
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The status is a button (pressing it syncs now) showing the controller's
 * short text, with the reason or the time in its tooltip and accessible
 * description; it is hidden while signed out.
 *
 * Each view (contacts, deals, certification) has its own header bar and
 * main menu, defined in the view's template. Rather than repeat the team's
 * widgets in each template, crm_sync_status_attach() gives the first header
 * bar of each view a status button and adds one shared Team section to each
 * main menu (a GMenu from the templates), its items hidden while their
 * action is disabled: Sign In when signed out, Sync Now and Sign Out when
 * signed in.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-sync-status.h"

struct _CrmSyncStatusButton
{
  GtkWidget          parent_instance;

  CrmSyncController *controller;
  GtkWidget         *button;
  GtkImage          *icon;
  GtkLabel          *label;
  GtkWidget         *badge;   /* "2 conflicts", opens their list */
};

G_DEFINE_FINAL_TYPE (CrmSyncStatusButton, crm_sync_status_button, GTK_TYPE_WIDGET)

static const char *
state_icon (CrmSyncController *controller)
{
  if (!crm_sync_controller_get_signed_in (controller))
    return "dialog-warning-symbolic";
  switch (crm_sync_controller_get_state (controller))
    {
    case CRM_SYNC_STATUS_SYNCING:
      return "emblem-synchronizing-symbolic";
    case CRM_SYNC_STATUS_OFFLINE:
      return "network-offline-symbolic";
    case CRM_SYNC_STATUS_ERROR:
      return "dialog-warning-symbolic";
    case CRM_SYNC_STATUS_IDLE:
    default:
      return "emblem-ok-symbolic";
    }
}

static void
update (CrmSyncStatusButton *self)
{
  const char *text = crm_sync_controller_get_status_text (self->controller);
  const char *detail = crm_sync_controller_get_status_detail (self->controller);

  guint n = crm_sync_controller_get_n_conflicts (self->controller);

  gtk_widget_set_visible (GTK_WIDGET (self), text != NULL || n > 0);
  gtk_widget_set_visible (self->badge, n > 0);
  if (n > 0)
    {
      g_autofree char *count = g_strdup_printf (g_dngettext (NULL, "%u Conflict", "%u Conflicts",
                                                             n), n);

      gtk_button_set_label (GTK_BUTTON (self->badge), count);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->badge),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, count, -1);
    }
  gtk_widget_set_visible (self->button, text != NULL);
  if (text == NULL)
    return;
  gtk_label_set_text (self->label, text);
  gtk_image_set_from_icon_name (self->icon, state_icon (self->controller));
  gtk_widget_set_tooltip_text (self->button, detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail ? detail : "",
                                  -1);
}

static void
crm_sync_status_button_dispose (GObject *object)
{
  CrmSyncStatusButton *self = (CrmSyncStatusButton *)object;

  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_clear_object (&self->controller);
  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_pointer (&self->badge, gtk_widget_unparent);

  G_OBJECT_CLASS (crm_sync_status_button_parent_class)->dispose (object);
}

static void
crm_sync_status_button_class_init (CrmSyncStatusButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_sync_status_button_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
crm_sync_status_button_init (CrmSyncStatusButton *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->icon = GTK_IMAGE (gtk_image_new ());
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->label, 28);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->icon));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  self->button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->button), box);
  gtk_button_set_has_frame (GTK_BUTTON (self->button), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), "app.sync-now");
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  self->badge = gtk_button_new ();
  gtk_widget_add_css_class (self->badge, "warning");
  gtk_widget_set_valign (self->badge, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->badge), "app.conflicts");
  gtk_widget_set_tooltip_text (self->badge, _("Fields changed on two computers: choose which "
                                              "value to keep"));
  gtk_widget_set_parent (self->badge, GTK_WIDGET (self));
}

/**
 * crm_sync_status_button_new:
 *
 * The controller's status; pressing it syncs now. Hidden while signed out.
 */
GtkWidget *
crm_sync_status_button_new (CrmSyncController *controller)
{
  CrmSyncStatusButton *self;

  g_return_val_if_fail (CRM_IS_SYNC_CONTROLLER (controller), NULL);

  self = g_object_new (CRM_TYPE_SYNC_STATUS_BUTTON, NULL);
  self->controller = g_object_ref (controller);
  g_signal_connect_object (controller, "notify::status-text", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "notify::status-detail", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "notify::n-conflicts", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
  return GTK_WIDGET (self);
}

/* The window's parts */

static GMenu *
team_section (void)
{
  GMenu *section = g_menu_new ();
  g_autoptr (GMenuItem) sign_in = g_menu_item_new (_("Sign _In to Team Server…"),
                                                   "app.sign-in");
  g_autoptr (GMenuItem) sync = g_menu_item_new (_("S_ync Now"), "app.sync-now");
  g_autoptr (GMenuItem) sign_out = g_menu_item_new (_("Sign _Out of Team Server"),
                                                    "app.sign-out");
  g_autoptr (GMenuItem) conflicts = g_menu_item_new (_("Sync _Conflicts…"), "app.conflicts");

  g_menu_item_set_attribute (sign_in, "hidden-when", "s", "action-disabled");
  g_menu_item_set_attribute (sync, "hidden-when", "s", "action-disabled");
  g_menu_item_set_attribute (sign_out, "hidden-when", "s", "action-disabled");
  g_menu_item_set_attribute (conflicts, "hidden-when", "s", "action-disabled");
  g_menu_append_item (section, sign_in);
  g_menu_append_item (section, sync);
  g_menu_append_item (section, conflicts);
  g_menu_append_item (section, sign_out);
  return section;
}

/* the first header bar under @widget gets a status; every main menu the
 * Team section (a menu shared by two buttons gets it once) */
static gboolean
attach_to (GtkWidget         *widget,
           CrmSyncController *controller,
           GMenu             *section,
           gboolean           want_header)
{
  if (want_header && ADW_IS_HEADER_BAR (widget))
    {
      adw_header_bar_pack_end (ADW_HEADER_BAR (widget), crm_sync_status_button_new (controller));
      want_header = FALSE;
    }
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    {
      GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));

      if (G_IS_MENU (menu) && g_object_get_data (G_OBJECT (menu), "crm-team-section") == NULL)
        {
          g_menu_prepend_section (G_MENU (menu), NULL, G_MENU_MODEL (section));
          g_object_set_data (G_OBJECT (menu), "crm-team-section", section);
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    want_header = attach_to (child, controller, section, want_header);
  return want_header;
}

static AdwViewStack *
find_view_stack (GtkWidget *widget)
{
  if (ADW_IS_VIEW_STACK (widget))
    return ADW_VIEW_STACK (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwViewStack *stack = find_view_stack (child);

      if (stack != NULL)
        return stack;
    }
  return NULL;
}

static void
on_offer_signed_in (GtkWidget         *bar,
                    GParamSpec        *pspec,
                    CrmSyncController *controller)
{
  if (crm_sync_controller_get_signed_in (controller))
    gtk_revealer_set_reveal_child (GTK_REVEALER (bar), FALSE);
}

static void
on_offer_closed (GtkRevealer *bar)
{
  gtk_revealer_set_reveal_child (bar, FALSE);
}

static GtkWidget *
offer_bar_new (CrmSyncController *controller)
{
  GtkWidget *bar = gtk_revealer_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_("Working with a team? Sign in to your team server to "
                                      "share customers and deals."));
  GtkWidget *sign_in = gtk_button_new_with_label (_("Sign In…"));
  GtkWidget *later = gtk_button_new_with_label (_("Not Now"));

  gtk_widget_add_css_class (box, "toolbar");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_margin_start (label, 6);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (sign_in), "app.sign-in");
  gtk_widget_add_css_class (sign_in, "suggested-action");
  gtk_widget_set_valign (sign_in, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (later, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), sign_in);
  gtk_box_append (GTK_BOX (box), later);
  gtk_revealer_set_child (GTK_REVEALER (bar), box);
  gtk_revealer_set_reveal_child (GTK_REVEALER (bar), TRUE);
  g_signal_connect_swapped (later, "clicked", G_CALLBACK (on_offer_closed), bar);
  g_signal_connect_object (controller, "notify::signed-in", G_CALLBACK (on_offer_signed_in),
                           bar, G_CONNECT_SWAPPED);
  return bar;
}

/**
 * crm_sync_status_attach:
 * @window: the main window
 * @controller: the app's team account
 * @offer_sign_in: whether to offer signing in at the top (first start)
 */
void
crm_sync_status_attach (GtkWindow         *window,
                        CrmSyncController *controller,
                        gboolean           offer_sign_in)
{
  g_autoptr (GMenu) section = NULL;
  g_autoptr (GtkSelectionModel) pages = NULL;
  AdwViewStack *stack;
  GtkWidget *content;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (CRM_IS_SYNC_CONTROLLER (controller));

  section = team_section ();
  stack = find_view_stack (GTK_WIDGET (window));
  if (stack != NULL)
    {
      pages = adw_view_stack_get_pages (stack);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
        {
          g_autoptr (AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

          attach_to (adw_view_stack_page_get_child (page), controller, section, TRUE);
        }
    }
  content = ADW_IS_APPLICATION_WINDOW (window)
    ? adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)) : NULL;
  /* at the bottom: the window's first focus stays in the view */
  if (offer_sign_in && GTK_IS_BOX (content) && !crm_sync_controller_get_signed_in (controller))
    gtk_box_append (GTK_BOX (content), offer_bar_new (controller));
}
