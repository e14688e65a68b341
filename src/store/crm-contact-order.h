/* crm-contact-order.h — the list orders of all live contacts, in memory; the stale and
 * owner filters
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "crm-contact-list.h"

G_BEGIN_DECLS

typedef struct _CrmContactOrder CrmContactOrder;

CrmContactOrder *_crm_contact_order_build (sqlite3          *db,
                                           GCancellable     *cancellable,
                                           GError          **error);
CrmContactOrder *_crm_contact_order_build_for (sqlite3              *db,
                                               CrmContactListOrder   kind,
                                               GCancellable         *cancellable,
                                               GError              **error);
CrmContactListOrder _crm_contact_order_get_kind (CrmContactOrder   *order);
void             _crm_contact_order_free  (CrmContactOrder  *order);
gboolean         _crm_contact_order_sort  (CrmContactOrder  *order,
                                           GArray           *rowids);
guint            _crm_contact_order_get_n (CrmContactOrder  *order);
gint64           _crm_contact_order_get   (CrmContactOrder  *order,
                                           guint             position);
guint            _crm_contact_order_position (CrmContactOrder *order,
                                              gint64           rowid);

GArray          *_crm_contact_order_arrange (CrmContactOrder *order,
                                             sqlite3         *db,
                                             GArray          *candidates,
                                             const char      *stale_before,
                                             const char      *owner,
                                             GCancellable    *cancellable,
                                             GError         **error);
guint            _crm_contact_order_find_place (sqlite3             *db,
                                                CrmContactListOrder  kind,
                                                GArray              *rowids,
                                                gint64               rowid);
gboolean         _crm_contact_is_stale    (sqlite3          *db,
                                           gint64            rowid,
                                           const char       *stale_before);
gboolean         _crm_contact_has_owner   (sqlite3          *db,
                                           gint64            rowid,
                                           const char       *owner);
char            *_crm_contact_stale_cutoff (GDateTime       *now,
                                            guint            days);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmContactOrder, _crm_contact_order_free)

G_END_DECLS
