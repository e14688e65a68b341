/* crm-contact-letters.h — the A–Z index of the contact list
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-contact-list.h"

G_BEGIN_DECLS

char  crm_contact_get_letter        (CrmContact     *contact);
guint crm_contact_list_find_letter  (CrmContactList *list,
                                     char            letter);

G_END_DECLS
