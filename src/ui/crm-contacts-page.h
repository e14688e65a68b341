/* crm-contacts-page.h — the contact list and the editor beside it
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"
#include "crm-sync-controller.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACTS_PAGE (crm_contacts_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactsPage, crm_contacts_page, CRM, CONTACTS_PAGE, GtkWidget)

void     crm_contacts_page_set_store        (CrmContactsPage *self,
                                             CrmStore        *store);
gboolean crm_contacts_page_finish_editing   (CrmContactsPage *self);
void     crm_contacts_page_open_contact     (CrmContactsPage *self,
                                             CrmContact      *contact);
gboolean crm_contacts_page_finish_editing_or_ask (CrmContactsPage *self,
                                                  const char      *then_action,
                                                  GVariant        *then_param);
void     crm_contacts_page_set_sync_controller (CrmContactsPage   *self,
                                                CrmSyncController *controller);

G_END_DECLS
