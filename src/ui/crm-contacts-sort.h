/* crm-contacts-sort.h — the contact list's order, its "not followed up" filter and
 * "My Customers"
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-contact-list.h"
#include "crm-sync-controller.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACTS_SORT (crm_contacts_sort_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactsSort, crm_contacts_sort, CRM, CONTACTS_SORT, GObject)

CrmContactsSort *crm_contacts_sort_new           (GtkWidget      *page,
                                                  CrmContactList *list,
                                                  GtkListView    *list_view,
                                                  GtkWidget      *letter_index,
                                                  GtkMenuButton  *button);
gboolean         crm_contacts_sort_shows_followup (CrmContactsSort *self);
void             crm_contacts_sort_set_sync_controller (CrmContactsSort   *self,
                                                        CrmSyncController *controller);
const char      *crm_contacts_sort_get_user      (CrmContactsSort *self);
char            *crm_contacts_sort_format_hidden (GtkListItem    *list_item,
                                                  GObject        *item);

G_END_DECLS
