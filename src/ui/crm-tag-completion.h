/* crm-tag-completion.h — the tags field completes the tag being typed
 * from the tags the contacts already have
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_TAG_COMPLETION (crm_tag_completion_get_type ())

G_DECLARE_FINAL_TYPE (CrmTagCompletion, crm_tag_completion, CRM, TAG_COMPLETION, GObject)

/* The completion of @entry; it lives as long as the returned object, which
 * takes its popover off the entry when disposed. */
CrmTagCompletion *crm_tag_completion_new        (GtkEntry         *entry);
void              crm_tag_completion_set_store  (CrmTagCompletion *self,
                                                 CrmStore         *store);
/* closes the list (a contact loaded into the form) */
void              crm_tag_completion_hide       (CrmTagCompletion *self);

G_END_DECLS
