/* crm-contacts-sort.c — the contact list's order, its "not followed up" filter and
 * "My Customers"
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sort menu of the contacts page (its button in the list's header bar):
 * "By Name" or "By Last Follow-up" (the contacts longest without one
 * first), kept in GSettings (contacts-order), and the toggle "Not Followed
 * Up for N Days" (N is the Preferences' stale-days), as the actions
 * sort.order (a string) and sort.stale (a boolean) on the page, so the
 * menu shows them as radio and check items with their mnemonics.
 * Shift+Ctrl+O opens the menu from anywhere in the view.
 *
 * It follows the team account (crm_contacts_sort_set_sync_controller()):
 * while signed in the menu has a "Show" section, "All Customers" or "My
 * Customers" (the contacts whose owner, 负责人, is the signed-in user), the
 * action sort.owner ('all' or 'mine'), kept in GSettings
 * (contacts-owner-filter). Signed out, the section is gone and every
 * contact shows, whatever is kept.
 *
 * The A–Z index (Ctrl+J) only means something in the name order: it is
 * hidden, and its action disabled, in the other. The rows say how long ago
 * each contact was followed up ("3 days ago") when the order or the filter
 * is about it: a second factory of the same row template whose scope
 * formats it, where the page's own leaves it empty. Swapping factories
 * rebinds the visible rows once; a row's text comes from the contact the
 * list's page cache holds (its last_followup_at), never from a query.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-contacts-sort.h"
#include "crm-format.h"
#include "crm-sync-controller.h"

struct _CrmContactsSort
{
  GObject             parent_instance;

  GtkWidget          *page;          /* owns this: not referenced */
  CrmContactList     *list;
  GtkListView        *list_view;
  GtkWidget          *letter_index;
  GtkMenuButton      *button;
  GSettings          *settings;      /* NULL without the schema (some tests) */
  GSimpleActionGroup *actions;
  GMenu              *menu;
  GtkListItemFactory *plain_factory;
  GtkListItemFactory *followup_factory;
  GtkEventController *shortcuts;     /* on the page: Shift+Ctrl+O */
  CrmSyncController  *sync;          /* the team account, or NULL */
  char               *user;          /* the signed-in user; NULL signed out */
};

G_DEFINE_FINAL_TYPE (CrmContactsSort, crm_contacts_sort, G_TYPE_OBJECT)

#define DEFAULT_STALE_DAYS 30

/* The schema is installed with the app; without it the order is not kept. */
static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "contacts-order"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static guint
get_stale_days (CrmContactsSort *self)
{
  g_autoptr (GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return DEFAULT_STALE_DAYS;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, "stale-days"))
    return DEFAULT_STALE_DAYS;
  return MAX (g_settings_get_uint (self->settings, "stale-days"), 1);
}

static CrmContactListOrder
order_from_string (const char *order)
{
  return g_strcmp0 (order, "last-followup") == 0 ? CRM_CONTACT_ORDER_LAST_FOLLOWUP
                                                 : CRM_CONTACT_ORDER_NAME;
}

static gboolean
stale_on (CrmContactsSort *self)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self->actions),
                                                                "stale");
  return g_variant_get_boolean (state);
}

/* whether "My Customers" is chosen (whether or not signed in) */
static gboolean
mine_chosen (CrmContactsSort *self)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self->actions),
                                                                "owner");
  return g_strcmp0 (g_variant_get_string (state, NULL), "mine") == 0;
}

static gboolean
has_key (GSettings  *settings,
         const char *key)
{
  g_autoptr (GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;
  g_object_get (settings, "settings-schema", &schema, NULL);
  return g_settings_schema_has_key (schema, key);
}

static CrmContactListOrder
current_order (CrmContactsSort *self)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self->actions),
                                                                "order");
  return order_from_string (g_variant_get_string (state, NULL));
}

/* the list, the index and the rows as the actions say */
static void
apply (CrmContactsSort *self)
{
  CrmContactListOrder order = current_order (self);
  guint days = stale_on (self) ? get_stale_days (self) : 0;
  GtkListItemFactory *factory;

  /* each change arranges the list again: one at a time */
  if (days != crm_contact_list_get_stale_days (self->list))
    crm_contact_list_set_stale_days (self->list, days);
  crm_contact_list_set_owner (self->list, self->user != NULL && mine_chosen (self)
                                          ? self->user : NULL);
  crm_contact_list_set_order (self->list, order);
  gtk_widget_set_visible (self->letter_index, order == CRM_CONTACT_ORDER_NAME);
  gtk_widget_action_set_enabled (self->page, "contacts.jump-letter",
                                 order == CRM_CONTACT_ORDER_NAME);
  factory = crm_contacts_sort_shows_followup (self) ? self->followup_factory
                                                    : self->plain_factory;
  if (gtk_list_view_get_factory (self->list_view) != factory)
    gtk_list_view_set_factory (self->list_view, factory);
}

static void
build_menu (CrmContactsSort *self)
{
  guint days = get_stale_days (self);
  g_autoptr (GMenu) order = g_menu_new ();
  g_autoptr (GMenu) filter = g_menu_new ();
  g_autofree char *stale_label = NULL;

  g_menu_append (order, _("By _Name"), "sort.order::name");
  g_menu_append (order, _("By _Last Follow-up"), "sort.order::last-followup");
  stale_label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Not _Followed Up for %u Day",
                                              "Not _Followed Up for %u Days", days),
                                 days);
  g_menu_append (filter, stale_label, "sort.stale");

  g_menu_remove_all (self->menu);
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (order));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (filter));
  if (self->user != NULL)
    {
      g_autoptr (GMenu) owner = g_menu_new ();

      g_menu_append (owner, _("_All Customers"), "sort.owner::all");
      g_menu_append (owner, _("_My Customers"), "sort.owner::mine");
      /* TRANSLATORS: a section of the contact list's sort menu: whose contacts */
      g_menu_append_section (self->menu, C_("contacts filter", "Show"), G_MENU_MODEL (owner));
    }
}

/* A choice of the menu (@value, one of @first and @second) into its action
 * and, when the schema has it, the settings' @key; FALSE for anything else */
static gboolean
choose (CrmContactsSort *self,
        GSimpleAction   *action,
        GVariant        *value,
        const char      *key,
        const char      *first,
        const char      *second)
{
  const char *choice = g_variant_get_string (value, NULL);

  if (g_strcmp0 (choice, first) != 0 && g_strcmp0 (choice, second) != 0)
    return FALSE;
  g_simple_action_set_state (action, value);
  if (has_key (self->settings, key))
    {
      g_autofree char *saved = g_settings_get_string (self->settings, key);

      if (g_strcmp0 (saved, choice) != 0)
        g_settings_set_string (self->settings, key, choice);
    }
  return TRUE;
}

static void
on_order_change_state (GSimpleAction *action,
                       GVariant      *value,
                       gpointer       user_data)
{
  if (choose (user_data, action, value, "contacts-order", "name", "last-followup"))
    apply (user_data);
}

static void
on_owner_change_state (GSimpleAction *action,
                       GVariant      *value,
                       gpointer       user_data)
{
  if (choose (user_data, action, value, "contacts-owner-filter", "all", "mine"))
    apply (user_data);
}

static void
on_stale_change_state (GSimpleAction *action,
                       GVariant      *value,
                       gpointer       user_data)
{
  g_simple_action_set_state (action, value);
  apply (user_data);
}

/* another window, or the settings edited outside */
static void
on_settings_changed (CrmContactsSort *self,
                     const char      *key,
                     GSettings       *settings)
{
  if (g_strcmp0 (key, "contacts-order") == 0)
    {
      g_autofree char *order = g_settings_get_string (settings, "contacts-order");

      if (order_from_string (order) != current_order (self))
        g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "order",
                                            g_variant_new_string (order));
    }
  else if (g_strcmp0 (key, "contacts-owner-filter") == 0)
    {
      g_autofree char *owner = g_settings_get_string (settings, "contacts-owner-filter");

      if ((g_strcmp0 (owner, "mine") == 0) != mine_chosen (self))
        g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "owner",
                                            g_variant_new_string (owner));
    }
  else if (g_strcmp0 (key, "stale-days") == 0)
    {
      build_menu (self);
      if (stale_on (self))
        apply (self);
    }
}

/* Shift+Ctrl+O: the menu, when the list is shown */
static gboolean
open_menu (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  CrmContactsSort *self = user_data;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self->button)))
    return FALSE;
  gtk_menu_button_popup (self->button);
  return TRUE;
}

/* the page's row template, binding "format_phone" as the page does */
static char *
format_phone (GtkListItem *list_item,
              const char  *canonical)
{
  return crm_format_phone (canonical);
}

static char *
format_last_followup (GtkListItem *list_item,
                      GObject     *item)
{
  g_autoptr (GDateTime) now = NULL;

  /* a placeholder of a row that could not be read is a contact too */
  if (!CRM_IS_CONTACT (item))
    return NULL;
  now = g_date_time_new_now_local ();
  return crm_format_last_followup (crm_contact_get_last_followup_at (CRM_CONTACT (item)), now);
}

/**
 * crm_contacts_sort_format_hidden:
 *
 * The page's own binding of the row's "format_last_followup": nothing.
 */
char *
crm_contacts_sort_format_hidden (GtkListItem *list_item,
                                 GObject     *item)
{
  return NULL;
}

static void
crm_contacts_sort_dispose (GObject *object)
{
  CrmContactsSort *self = (CrmContactsSort *)object;

  if (self->shortcuts != NULL)
    gtk_widget_remove_controller (self->page, self->shortcuts);
  self->shortcuts = NULL;
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
  g_clear_object (&self->menu);
  g_clear_object (&self->plain_factory);
  g_clear_object (&self->followup_factory);
  g_clear_object (&self->list);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->user, g_free);

  G_OBJECT_CLASS (crm_contacts_sort_parent_class)->dispose (object);
}

static void
crm_contacts_sort_class_init (CrmContactsSortClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = crm_contacts_sort_dispose;
}

static void
crm_contacts_sort_init (CrmContactsSort *self)
{
}

/**
 * crm_contacts_sort_new:
 * @page: the contacts page: gets the actions sort.order, sort.stale and
 *   sort.owner
 * @list_view: shows @list; its factory is the plain row
 * @button: gets the menu
 *
 * Sets @list to the order kept in GSettings.
 */
CrmContactsSort *
crm_contacts_sort_new (GtkWidget      *page,
                       CrmContactList *list,
                       GtkListView    *list_view,
                       GtkWidget      *letter_index,
                       GtkMenuButton  *button)
{
  CrmContactsSort *self = g_object_new (CRM_TYPE_CONTACTS_SORT, NULL);
  g_autoptr (GSimpleAction) order = NULL;
  g_autoptr (GSimpleAction) stale = NULL;
  g_autoptr (GSimpleAction) owner = NULL;
  g_autoptr (GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autofree char *saved = NULL;
  g_autofree char *saved_owner = NULL;
  GtkShortcutTrigger *trigger;

  self->page = page;
  self->list = g_object_ref (list);
  self->list_view = list_view;
  self->letter_index = letter_index;
  self->button = button;
  self->settings = lookup_settings ();
  saved = self->settings ? g_settings_get_string (self->settings, "contacts-order")
                         : g_strdup ("name");
  saved_owner = has_key (self->settings, "contacts-owner-filter")
                ? g_settings_get_string (self->settings, "contacts-owner-filter")
                : g_strdup ("all");

  order = g_simple_action_new_stateful ("order", G_VARIANT_TYPE_STRING,
                                        g_variant_new_string (saved));
  g_signal_connect (order, "change-state", G_CALLBACK (on_order_change_state), self);
  stale = g_simple_action_new_stateful ("stale", NULL, g_variant_new_boolean (FALSE));
  g_signal_connect (stale, "change-state", G_CALLBACK (on_stale_change_state), self);
  owner = g_simple_action_new_stateful ("owner", G_VARIANT_TYPE_STRING,
                                        g_variant_new_string (saved_owner));
  g_signal_connect (owner, "change-state", G_CALLBACK (on_owner_change_state), self);
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (order));
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (stale));
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (owner));
  gtk_widget_insert_action_group (page, "sort", G_ACTION_GROUP (self->actions));

  self->menu = g_menu_new ();
  build_menu (self);
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (self->menu));
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed),
                             self, G_CONNECT_SWAPPED);

  trigger = gtk_keyval_trigger_new (GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  self->shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (self->shortcuts),
                                        gtk_shortcut_new (trigger,
                                                          gtk_callback_action_new (open_menu, self,
                                                                                   NULL)));
  gtk_widget_add_controller (page, self->shortcuts);

  self->plain_factory = g_object_ref (gtk_list_view_get_factory (list_view));
  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope),
                                           "format_phone", G_CALLBACK (format_phone),
                                           "format_last_followup",
                                           G_CALLBACK (format_last_followup),
                                           NULL);
  self->followup_factory =
    gtk_builder_list_item_factory_new_from_resource (scope, RESOURCE_PATH "/crm-contact-row.ui");

  apply (self);
  return self;
}

/* whether the rows say when each contact was last followed up */
gboolean
crm_contacts_sort_shows_followup (CrmContactsSort *self)
{
  g_return_val_if_fail (CRM_IS_CONTACTS_SORT (self), FALSE);
  return current_order (self) != CRM_CONTACT_ORDER_NAME || stale_on (self);
}

/* signed in or out: the user whose customers "My Customers" are */
static void
on_signed_in_changed (CrmContactsSort *self)
{
  const char *user = NULL;

  if (crm_sync_controller_get_signed_in (self->sync))
    user = crm_sync_controller_get_user (self->sync);
  if (user != NULL && *user == '\0')
    user = NULL;
  if (g_strcmp0 (user, self->user) == 0)
    return;
  g_free (self->user);
  self->user = g_strdup (user);
  build_menu (self);
  apply (self);
}

/**
 * crm_contacts_sort_set_sync_controller:
 * @controller: the app's team account
 *
 * Signed in, the menu offers "All Customers" and "My Customers" (the
 * contacts whose owner is the signed-in user, when chosen); signed out,
 * every contact shows and the menu does not offer the choice.
 */
void
crm_contacts_sort_set_sync_controller (CrmContactsSort   *self,
                                       CrmSyncController *controller)
{
  g_return_if_fail (CRM_IS_CONTACTS_SORT (self));
  g_return_if_fail (CRM_IS_SYNC_CONTROLLER (controller));

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_set_object (&self->sync, controller);
  g_signal_connect_swapped (controller, "notify::signed-in",
                            G_CALLBACK (on_signed_in_changed), self);
  on_signed_in_changed (self);
}

/* the signed-in user's name (a new contact's owner), or NULL signed out */
const char *
crm_contacts_sort_get_user (CrmContactsSort *self)
{
  g_return_val_if_fail (CRM_IS_CONTACTS_SORT (self), NULL);
  return self->user;
}
