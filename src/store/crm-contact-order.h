/* crm-contact-order.h — the list order of all live contacts, in memory
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _CrmContactOrder CrmContactOrder;

CrmContactOrder *_crm_contact_order_build (sqlite3          *db,
                                           GCancellable     *cancellable,
                                           GError          **error);
void             _crm_contact_order_free  (CrmContactOrder  *order);
gboolean         _crm_contact_order_sort  (CrmContactOrder  *order,
                                           GArray           *rowids);
guint            _crm_contact_order_get_n (CrmContactOrder  *order);
gint64           _crm_contact_order_get   (CrmContactOrder  *order,
                                           guint             position);
guint            _crm_contact_order_position (CrmContactOrder *order,
                                              gint64           rowid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmContactOrder, _crm_contact_order_free)

G_END_DECLS
