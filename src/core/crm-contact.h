/* crm-contact.h — one customer contact
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The editable text fields of a contact, in the order the editor shows them. */
typedef enum
{
  CRM_CONTACT_FIELD_NAME,
  CRM_CONTACT_FIELD_COMPANY,
  CRM_CONTACT_FIELD_TITLE,
  CRM_CONTACT_FIELD_MOBILE,
  CRM_CONTACT_FIELD_PHONE,
  CRM_CONTACT_FIELD_EMAIL,
  CRM_CONTACT_FIELD_WECHAT,
  CRM_CONTACT_FIELD_ADDRESS,
  CRM_CONTACT_FIELD_TAGS,
  CRM_CONTACT_FIELD_NOTES,
  CRM_CONTACT_FIELD_OWNER,
  CRM_CONTACT_N_FIELDS /*< skip >*/
} CrmContactField;

#define CRM_TYPE_CONTACT (crm_contact_get_type ())

G_DECLARE_FINAL_TYPE (CrmContact, crm_contact, CRM, CONTACT, GObject)

CrmContact  *crm_contact_new                (void);
CrmContact  *crm_contact_copy               (CrmContact      *self);

const char  *crm_contact_get_id             (CrmContact      *self);
const char  *crm_contact_get_field          (CrmContact      *self,
                                             CrmContactField  field);
void         crm_contact_set_field          (CrmContact      *self,
                                             CrmContactField  field,
                                             const char      *value);
const char  *crm_contact_get_name           (CrmContact      *self);
const char  *crm_contact_get_created_at     (CrmContact      *self);
const char  *crm_contact_get_updated_at     (CrmContact      *self);
gboolean     crm_contact_get_deleted        (CrmContact      *self);
gint64       crm_contact_get_server_version (CrmContact      *self);
const char  *crm_contact_get_last_followup_at (CrmContact    *self);
gboolean     crm_contact_is_saved           (CrmContact      *self);

const char  *crm_contact_field_get_column   (CrmContactField  field);
guint        crm_contact_field_get_max_length (CrmContactField field);

G_END_DECLS
