/* crm-contact-picker.h — choose a contact by typing part of it
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACT_PICKER (crm_contact_picker_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactPicker, crm_contact_picker, CRM, CONTACT_PICKER, GtkWidget)

void        crm_contact_picker_set_store      (CrmContactPicker *self,
                                               CrmStore         *store);
void        crm_contact_picker_set_contact    (CrmContactPicker *self,
                                               const char       *id,
                                               const char       *name);
const char *crm_contact_picker_get_contact_id (CrmContactPicker *self);
void        crm_contact_picker_take_highlighted (CrmContactPicker *self);
gboolean    crm_contact_picker_is_pending     (CrmContactPicker *self);
GtkWidget  *crm_contact_picker_get_entry      (CrmContactPicker *self);

G_END_DECLS
