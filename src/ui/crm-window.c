/* crm-window.c — the main window
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-certification-page.h"
#include "crm-contacts-page.h"
#include "crm-deals-page.h"
#include "crm-export-dialog.h"
#include "crm-import-dialog.h"
#include "crm-preferences-window.h"
#include "crm-store-notice.h"
#include "crm-today-page.h"
#include "crm-window.h"

struct _CrmWindow
{
  AdwApplicationWindow  parent_instance;

  CrmStore             *store;
  GSettings            *settings;

  AdwViewStack         *views;
  AdwViewSwitcherBar   *switcher_bar;
  GPtrArray            *switcher_titles;  /* each view's AdwViewSwitcherTitle */
  AdwToastOverlay      *toast_overlay;
  CrmContactsPage      *contacts_page;
  CrmDealsPage         *deals_page;
  CrmCertificationPage *certification_page;
  CrmTodayPage         *today_page;

  gint64                view_switch_time;
};

G_DEFINE_FINAL_TYPE (CrmWindow, crm_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CrmWindow *
crm_window_new (CrmApplication *application,
                CrmStore       *store)
{
  return g_object_new (CRM_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

/* The schema is installed with the app; a build run without it (or a test
 * without GSETTINGS_SCHEMA_DIR) simply doesn't remember the window size. */
static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("GSettings schema %s not installed: window state is not kept", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* For bench/bench-startup: print when the first frame has been painted,
 * on the monotonic clock the benchmark also reads. */
static void
on_after_paint (GdkFrameClock *clock,
                CrmWindow     *self)
{
  gint64 now = g_get_monotonic_time ();

  CrmDealTotals totals;
  guint deals = 0;

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, self);
  if (crm_store_get_deal_totals (self->store, "", &totals, NULL))
    for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
      deals += totals.count[i];
  g_print ("first-frame %" G_GINT64_FORMAT " contacts %u view %s deals %u\n", now,
           crm_store_count_contacts (self->store),
           adw_view_stack_get_visible_child_name (self->views), deals);
}

/* For bench/bench-startup --deals: from the key that opens a view to the
 * first frame painted with its content. */
static void
on_view_painted (GdkFrameClock *clock,
                 CrmWindow     *self)
{
  gint64 now = g_get_monotonic_time ();

  if (adw_view_stack_get_visible_child (self->views) == GTK_WIDGET (self->deals_page)
      && !crm_deals_page_is_shown (self->deals_page))
    return;
  g_signal_handlers_disconnect_by_func (clock, on_view_painted, self);
  g_print ("view-shown %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
           adw_view_stack_get_visible_child_name (self->views),
           self->view_switch_time, now);
}

static void
crm_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (crm_window_parent_class)->realize (widget);

  if (g_getenv ("XIAOHE_CRM_STARTUP_PROBE") != NULL)
    g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                      G_CALLBACK (on_after_paint), widget);
}

static gboolean
crm_window_close_request (GtkWindow *window)
{
  CrmWindow *self = CRM_WINDOW (window);
  int width, height;

  /* a change being typed is saved if it can be, never dropped silently:
   * what cannot be saved asks, then closes */
  if (!crm_contacts_page_finish_editing_or_ask (self->contacts_page, "window.close", NULL))
    return TRUE;
  /* the certification draft too; what cannot be saved asks, then closes */
  if (!crm_certification_page_finish_editing (self->certification_page, "window.close", NULL))
    return TRUE;

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window))
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_set_string (self->settings, "last-view",
                             adw_view_stack_get_visible_child_name (self->views));
    }

  return GTK_WINDOW_CLASS (crm_window_parent_class)->close_request (window);
}

static void
crm_window_constructed (GObject *object)
{
  CrmWindow *self = (CrmWindow *)object;

  G_OBJECT_CLASS (crm_window_parent_class)->constructed (object);

  crm_contacts_page_set_store (self->contacts_page, self->store);
  crm_deals_page_set_store (self->deals_page, self->store);
  crm_certification_page_set_store (self->certification_page, self->store);
  crm_today_page_set_store (self->today_page, self->store);
  /* a damaged data file is said at the top, whatever the view */
  gtk_box_prepend (GTK_BOX (adw_application_window_get_content (ADW_APPLICATION_WINDOW (self))),
                   crm_store_notice_new (self->store));
  /* Export… and Delete All My Data… in the main menus */
  crm_export_dialog_attach (GTK_WINDOW (self), self->store);
  /* Import… (win.import, Ctrl+I) beside Export… */
  crm_import_add_menu_item (GTK_WIDGET (self));
  /* Preferences… (reminders, the days without a follow-up) in the main menus */
  crm_preferences_add_menu_item (GTK_WIDGET (self));

  self->settings = lookup_settings ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      {
        g_autofree char *view = g_settings_get_string (self->settings, "last-view");
        if (adw_view_stack_get_child_by_name (self->views, view) != NULL)
          adw_view_stack_set_visible_child_name (self->views, view);
      }
    }
}

static void
crm_window_dispose (GObject *object)
{
  CrmWindow *self = (CrmWindow *)object;

  /* each title holds the stack it is inside of: a cycle until unset */
  for (guint i = 0; self->switcher_titles != NULL && i < self->switcher_titles->len; i++)
    adw_view_switcher_title_set_stack (g_ptr_array_index (self->switcher_titles, i), NULL);
  g_clear_pointer (&self->switcher_titles, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_window_parent_class)->dispose (object);
}

static void
crm_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CrmWindow *self = CRM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CrmWindow *self = CRM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);
  const char *name = g_variant_get_string (param, NULL);

  /* leaving the contacts keeps what is being typed there */
  if (!g_str_equal (name, "contacts") && !crm_contacts_page_finish_editing (self->contacts_page))
    return;
  if (!g_str_equal (name, "certification")
      && !crm_certification_page_finish_editing (self->certification_page, "win.view", param))
    return;
  if (g_getenv ("XIAOHE_CRM_STARTUP_PROBE") != NULL)
    {
      self->view_switch_time = g_get_monotonic_time ();
      g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                        G_CALLBACK (on_view_painted), self);
    }
  adw_view_stack_set_visible_child_name (self->views, name);
  if (g_str_equal (name, "deals"))
    crm_deals_page_focus (self->deals_page);
  else if (g_str_equal (name, "today"))
    crm_today_page_focus (self->today_page);
  else
    {
      /* the stack may have moved the focus into the page already: moving it
       * on again would skip the page's first field */
      GtkWidget *page = adw_view_stack_get_visible_child (self->views);
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

      if (focus == NULL || !gtk_widget_is_ancestor (focus, page))
        gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
    }
}

/* win.new-deal: a new deal for the contact with this id ("" for none), in
 * the deal editor over the view it was asked from: Alt+L in Contacts
 * leaves the user in Contacts, on the same contact, when it closes */
static void
new_deal_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);
  const char *id = g_variant_get_string (param, NULL);
  g_autoptr (CrmContact) contact = NULL;

  if (!crm_contacts_page_finish_editing (self->contacts_page))
    return;
  if (*id != '\0')
    contact = crm_store_get_contact (self->store, id, NULL);
  crm_deals_page_new_deal (self->deals_page,
                           contact ? crm_contact_get_id (contact) : NULL,
                           contact ? crm_contact_get_name (contact) : NULL);
}

/* win.open-deal: the deal with this id, on the board and in its editor */
static void
open_deal_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);

  if (!crm_contacts_page_finish_editing (self->contacts_page))
    return;
  adw_view_stack_set_visible_child_name (self->views, "deals");
  crm_deals_page_open_deal (self->deals_page, g_variant_get_string (param, NULL));
}

/* win.import: the import dialog (a file into the contacts, with Undo on the
 * window's toast after) */
static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);

  if (!crm_contacts_page_finish_editing (self->contacts_page))
    return;
  gtk_window_present (GTK_WINDOW (crm_import_dialog_new (GTK_WINDOW (self), self->store,
                                                         self->toast_overlay)));
}

/* win.open-contact: the contact with this id, selected in the contacts view
 * (Today's Return, a reminder's notification) */
static void
open_contact_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);
  g_autoptr (CrmContact) contact = NULL;

  if (!crm_certification_page_finish_editing (self->certification_page, "win.open-contact",
                                              param))
    return;
  contact = crm_store_get_contact (self->store, g_variant_get_string (param, NULL), NULL);
  if (contact == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->views, "contacts");
  crm_contacts_page_open_contact (self->contacts_page, contact);
}

/* The views switch from the header bar of the view shown: each view's
 * title is an AdwViewSwitcherTitle, which shows the switcher when the
 * header bar has room and the view's title otherwise. The bar at the
 * bottom shows only when the view shown has no switcher in sight: a narrow
 * window, or the contacts view folded to its list. */
static void
update_switcher_bar (CrmWindow *self)
{
  GtkWidget *page;
  gboolean in_header = FALSE;

  if (self->switcher_titles == NULL || self->switcher_bar == NULL)
    return;     /* disposed */
  page = adw_view_stack_get_visible_child (self->views);
  for (guint i = 0; i < self->switcher_titles->len; i++)
    {
      GtkWidget *title = g_ptr_array_index (self->switcher_titles, i);

      if (page != NULL && gtk_widget_is_ancestor (title, page) && gtk_widget_get_mapped (title)
          && !adw_view_switcher_title_get_title_visible (ADW_VIEW_SWITCHER_TITLE (title)))
        in_header = TRUE;
    }
  adw_view_switcher_bar_set_reveal (self->switcher_bar, !in_header);
}

static void
find_switcher_titles (CrmWindow *self,
                      GtkWidget *widget)
{
  if (ADW_IS_VIEW_SWITCHER_TITLE (widget))
    {
      adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (widget), self->views);
      g_ptr_array_add (self->switcher_titles, widget);
      g_signal_connect_object (widget, "notify::title-visible",
                               G_CALLBACK (update_switcher_bar), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (widget, "map", G_CALLBACK (update_switcher_bar), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (widget, "unmap", G_CALLBACK (update_switcher_bar), self,
                               G_CONNECT_SWAPPED);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_switcher_titles (self, child);
}

static void
crm_window_class_init (CrmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = crm_window_constructed;
  object_class->dispose = crm_window_dispose;
  object_class->get_property = crm_window_get_property;
  object_class->set_property = crm_window_set_property;
  window_class->close_request = crm_window_close_request;
  widget_class->realize = crm_window_realize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRM_TYPE_CONTACTS_PAGE);
  g_type_ensure (CRM_TYPE_DEALS_PAGE);
  g_type_ensure (CRM_TYPE_CERTIFICATION_PAGE);
  g_type_ensure (CRM_TYPE_TODAY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/crm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, views);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, contacts_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, deals_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, certification_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, today_page);

  gtk_widget_class_install_action (widget_class, "win.view", "s", view_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "win.view", "s", "contacts");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK,
                                       "win.view", "s", "deals");
  gtk_widget_class_install_action (widget_class, "win.new-deal", "s", new_deal_action);
  gtk_widget_class_install_action (widget_class, "win.open-deal", "s", open_deal_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK,
                                       "win.view", "s", "certification");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_CONTROL_MASK,
                                       "win.view", "s", "today");
  gtk_widget_class_install_action (widget_class, "win.open-contact", "s", open_contact_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import", NULL);
}

static void
crm_window_init (CrmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->switcher_titles = g_ptr_array_new ();
  find_switcher_titles (self, GTK_WIDGET (self->views));
  g_signal_connect_object (self->views, "notify::visible-child",
                           G_CALLBACK (update_switcher_bar), self, G_CONNECT_SWAPPED);
  update_switcher_bar (self);
}

/**
 * crm_window_set_sync_controller:
 *
 * Hands the app's team account to the contacts view: a new contact's
 * owner, and "My Customers" while signed in.
 */
void
crm_window_set_sync_controller (CrmWindow         *self,
                                CrmSyncController *controller)
{
  g_return_if_fail (CRM_IS_WINDOW (self));
  crm_contacts_page_set_sync_controller (self->contacts_page, controller);
}
