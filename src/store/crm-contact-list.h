/* crm-contact-list.h — the contacts as a lazily paged list model
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACT_LIST (crm_contact_list_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactList, crm_contact_list, CRM, CONTACT_LIST, GObject)

CrmContactList *crm_contact_list_new          (CrmStore       *store);
CrmStore       *crm_contact_list_get_store    (CrmContactList *self);
const char     *crm_contact_list_get_query    (CrmContactList *self);
void            crm_contact_list_set_query    (CrmContactList *self,
                                               const char     *query);
gboolean        crm_contact_list_get_searching (CrmContactList *self);
guint           crm_contact_list_find         (CrmContactList *self,
                                               CrmContact     *contact);
guint           crm_contact_list_get_n_cached_pages (CrmContactList *self);
gboolean        crm_contact_list_has_anchors  (CrmContactList *self);
void            crm_contact_list_drop_pages   (CrmContactList *self);
gboolean        crm_contact_list_is_placeholder (CrmContact   *contact);

extern guint    crm_contact_list_anchor_step;
extern guint    crm_contact_list_walk_min_matches;

G_END_DECLS
