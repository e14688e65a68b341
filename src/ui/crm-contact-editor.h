/* crm-contact-editor.h — the form that edits one contact
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-followup-timeline.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACT_EDITOR (crm_contact_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactEditor, crm_contact_editor, CRM, CONTACT_EDITOR, GtkWidget)

GtkWidget  *crm_contact_editor_new          (void);
void        crm_contact_editor_set_store    (CrmContactEditor *self,
                                             CrmStore         *store);
void        crm_contact_editor_set_contact  (CrmContactEditor *self,
                                             CrmContact       *contact);
CrmContact *crm_contact_editor_get_contact  (CrmContactEditor *self);
gboolean    crm_contact_editor_is_dirty     (CrmContactEditor *self);
CrmContact *crm_contact_editor_apply        (CrmContactEditor *self,
                                             GError          **error);
void        crm_contact_editor_focus_first  (CrmContactEditor *self);
void        crm_contact_editor_show_error   (CrmContactEditor *self,
                                             CrmContactField   field,
                                             const char       *message);
CrmFollowupTimeline *crm_contact_editor_get_timeline (CrmContactEditor *self);

G_END_DECLS
