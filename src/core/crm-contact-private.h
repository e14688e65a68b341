/* crm-contact-private.h — store-side access to a contact
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-contact.h"

G_BEGIN_DECLS

gint64       _crm_contact_get_rowid    (CrmContact *self);
const char  *_crm_contact_get_sort_key (CrmContact *self);
void         _crm_contact_set_stored   (CrmContact *self,
                                        gint64      rowid,
                                        const char *id,
                                        const char *sort_key,
                                        const char *created_at,
                                        const char *updated_at,
                                        gboolean    deleted,
                                        gint64      server_version);
char        *_crm_contact_make_sort_key (const char *name);
void         _crm_contact_set_last_followup_at (CrmContact *self,
                                                const char *utc_iso);

G_END_DECLS
