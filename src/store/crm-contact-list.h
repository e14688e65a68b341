/* crm-contact-list.h — the contacts as a lazily paged list model
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* The orders the list can show (crm_contact_list_set_order()). */
typedef enum
{
  CRM_CONTACT_ORDER_NAME,           /* by name (pinyin), then id: the A–Z index applies */
  CRM_CONTACT_ORDER_LAST_FOLLOWUP,  /* longest without a follow-up first: never, then the
                                     * oldest last follow-up, then id */
} CrmContactListOrder;

#define CRM_TYPE_CONTACT_LIST (crm_contact_list_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactList, crm_contact_list, CRM, CONTACT_LIST, GObject)

CrmContactList *crm_contact_list_new          (CrmStore       *store);
CrmStore       *crm_contact_list_get_store    (CrmContactList *self);
const char     *crm_contact_list_get_query    (CrmContactList *self);
void            crm_contact_list_set_query    (CrmContactList *self,
                                               const char     *query);
gboolean        crm_contact_list_get_searching (CrmContactList *self);
CrmContactListOrder crm_contact_list_get_order (CrmContactList *self);
void            crm_contact_list_set_order    (CrmContactList *self,
                                               CrmContactListOrder order);
guint           crm_contact_list_get_stale_days (CrmContactList *self);
void            crm_contact_list_set_stale_days (CrmContactList *self,
                                                 guint           days);
const char     *crm_contact_list_get_owner    (CrmContactList *self);
void            crm_contact_list_set_owner    (CrmContactList *self,
                                               const char     *owner);
guint           crm_contact_list_find         (CrmContactList *self,
                                               CrmContact     *contact);
guint           crm_contact_list_get_n_cached_pages (CrmContactList *self);
gboolean        crm_contact_list_has_anchors  (CrmContactList *self);
void            crm_contact_list_drop_pages   (CrmContactList *self);
gboolean        crm_contact_list_is_placeholder (CrmContact   *contact);

extern guint    crm_contact_list_anchor_step;
extern guint    crm_contact_list_walk_min_matches;

G_END_DECLS
