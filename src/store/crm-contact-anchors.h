/* crm-contact-anchors.h — landmarks in the list order, for far jumps
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct
{
  char  *sort_key;
  char  *id;
  guint  position;   /* how many live contacts sort before this key */
} CrmAnchor;

typedef struct _CrmContactAnchors CrmContactAnchors;

CrmContactAnchors *_crm_contact_anchors_build  (sqlite3            *db,
                                                guint               step,
                                                GCancellable       *cancellable,
                                                GError            **error);
void               _crm_contact_anchors_free   (CrmContactAnchors  *anchors);
const CrmAnchor   *_crm_contact_anchors_lookup (CrmContactAnchors  *anchors,
                                                guint               position);
const CrmAnchor   *_crm_contact_anchors_find   (CrmContactAnchors  *anchors,
                                                const char         *sort_key,
                                                const char         *id);
void               _crm_contact_anchors_shift  (CrmContactAnchors  *anchors,
                                                const char         *sort_key,
                                                const char         *id,
                                                int                 delta);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmContactAnchors, _crm_contact_anchors_free)

G_END_DECLS
