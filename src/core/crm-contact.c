/* crm-contact.c — one customer contact
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-contact-private.h"
#include "crm-pinyin.h"

struct _CrmContact
{
  GObject  parent_instance;

  gint64   rowid;
  char    *id;
  char    *sort_key;
  char    *created_at;
  char    *updated_at;
  gint64   server_version;
  gboolean deleted;
  char    *last_followup_at;  /* derived by the store: the newest follow-up */
  char    *fields[CRM_CONTACT_N_FIELDS];
};

G_DEFINE_FINAL_TYPE (CrmContact, crm_contact, G_TYPE_OBJECT)

/* g_set_str() arrives in GLib 2.76. */
static gboolean
set_str (char       **dest,
         const char  *value)
{
  if (g_strcmp0 (*dest, value) == 0)
    return FALSE;
  g_free (*dest);
  *dest = g_strdup (value);
  return TRUE;
}

enum {
  PROP_0,
  PROP_ID,
  PROP_DELETED,
  PROP_UPDATED_AT,
  PROP_FIRST_FIELD,
  N_PROPS = PROP_FIRST_FIELD + CRM_CONTACT_N_FIELDS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *column;
  guint       max_length;
} field_info[CRM_CONTACT_N_FIELDS] = {
  [CRM_CONTACT_FIELD_NAME] = { "name", 100 },
  [CRM_CONTACT_FIELD_COMPANY] = { "company", 200 },
  [CRM_CONTACT_FIELD_TITLE] = { "title", 100 },
  [CRM_CONTACT_FIELD_MOBILE] = { "mobile", 40 },
  [CRM_CONTACT_FIELD_PHONE] = { "phone", 40 },
  [CRM_CONTACT_FIELD_EMAIL] = { "email", 254 },
  [CRM_CONTACT_FIELD_WECHAT] = { "wechat", 64 },
  [CRM_CONTACT_FIELD_ADDRESS] = { "address", 500 },
  [CRM_CONTACT_FIELD_TAGS] = { "tags", 500 },
  [CRM_CONTACT_FIELD_NOTES] = { "notes", 20000 },
  [CRM_CONTACT_FIELD_OWNER] = { "owner", 100 },
};

const char *
crm_contact_field_get_column (CrmContactField field)
{
  g_return_val_if_fail (field < CRM_CONTACT_N_FIELDS, NULL);
  return field_info[field].column;
}

/**
 * crm_contact_field_get_max_length:
 *
 * Returns: the longest value, in characters, the store accepts for @field.
 */
guint
crm_contact_field_get_max_length (CrmContactField field)
{
  g_return_val_if_fail (field < CRM_CONTACT_N_FIELDS, 0);
  return field_info[field].max_length;
}

static void
crm_contact_finalize (GObject *object)
{
  CrmContact *self = (CrmContact *)object;

  g_free (self->id);
  g_free (self->sort_key);
  g_free (self->created_at);
  g_free (self->updated_at);
  g_free (self->last_followup_at);
  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    g_free (self->fields[i]);

  G_OBJECT_CLASS (crm_contact_parent_class)->finalize (object);
}

static void
crm_contact_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CrmContact *self = CRM_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;

    case PROP_UPDATED_AT:
      g_value_set_string (value, self->updated_at);
      break;

    default:
      if (prop_id >= PROP_FIRST_FIELD && prop_id < N_PROPS)
        g_value_set_string (value, self->fields[prop_id - PROP_FIRST_FIELD]);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CrmContact *self = CRM_CONTACT (object);

  if (prop_id >= PROP_FIRST_FIELD && prop_id < N_PROPS)
    crm_contact_set_field (self, prop_id - PROP_FIRST_FIELD, g_value_get_string (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
crm_contact_class_init (CrmContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_contact_finalize;
  object_class->get_property = crm_contact_get_property;
  object_class->set_property = crm_contact_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    properties[PROP_FIRST_FIELD + i] =
      g_param_spec_string (field_info[i].column, NULL, NULL, "",
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_contact_init (CrmContact *self)
{
  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    self->fields[i] = g_strdup ("");
}

CrmContact *
crm_contact_new (void)
{
  return g_object_new (CRM_TYPE_CONTACT, NULL);
}

/**
 * crm_contact_copy:
 *
 * Returns: (transfer full): an independent copy, with the same identity.
 */
CrmContact *
crm_contact_copy (CrmContact *self)
{
  CrmContact *copy;

  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);

  copy = crm_contact_new ();
  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    crm_contact_set_field (copy, i, self->fields[i]);
  _crm_contact_set_stored (copy, self->rowid, self->id, self->sort_key, self->created_at,
                           self->updated_at, self->deleted, self->server_version);
  _crm_contact_set_last_followup_at (copy, self->last_followup_at);
  return copy;
}

const char *
crm_contact_get_id (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);
  return self->id;
}

const char *
crm_contact_get_field (CrmContact      *self,
                       CrmContactField  field)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);
  g_return_val_if_fail (field < CRM_CONTACT_N_FIELDS, NULL);
  return self->fields[field];
}

void
crm_contact_set_field (CrmContact      *self,
                       CrmContactField  field,
                       const char      *value)
{
  g_return_if_fail (CRM_IS_CONTACT (self));
  g_return_if_fail (field < CRM_CONTACT_N_FIELDS);

  if (value == NULL)
    value = "";
  if (g_strcmp0 (self->fields[field], value) == 0)
    return;
  g_free (self->fields[field]);
  self->fields[field] = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_FIELD + field]);
}

const char *
crm_contact_get_name (CrmContact *self)
{
  return crm_contact_get_field (self, CRM_CONTACT_FIELD_NAME);
}

const char *
crm_contact_get_created_at (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);
  return self->created_at;
}

const char *
crm_contact_get_updated_at (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);
  return self->updated_at;
}

gboolean
crm_contact_get_deleted (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), FALSE);
  return self->deleted;
}

gint64
crm_contact_get_server_version (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), 0);
  return self->server_version;
}

/**
 * crm_contact_get_last_followup_at:
 *
 * Returns: (nullable): when the newest follow-up of the contact happened
 *   (UTC ISO 8601) as the store last read it, or %NULL when it has none.
 *   The store derives it from the follow-ups; it is never edited.
 */
const char *
crm_contact_get_last_followup_at (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);
  return self->last_followup_at;
}

/**
 * crm_contact_is_saved:
 *
 * Returns: %TRUE once the contact has a row in a store.
 */
gboolean
crm_contact_is_saved (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), FALSE);
  return self->rowid > 0;
}

gint64
_crm_contact_get_rowid (CrmContact *self)
{
  return self->rowid;
}

const char *
_crm_contact_get_sort_key (CrmContact *self)
{
  return self->sort_key;
}

void
_crm_contact_set_stored (CrmContact *self,
                         gint64      rowid,
                         const char *id,
                         const char *sort_key,
                         const char *created_at,
                         const char *updated_at,
                         gboolean    deleted,
                         gint64      server_version)
{
  self->rowid = rowid;
  set_str (&self->id, id);
  set_str (&self->sort_key, sort_key);
  set_str (&self->created_at, created_at);
  if (set_str (&self->updated_at, updated_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
  self->server_version = server_version;
  if (self->deleted != !!deleted)
    {
      self->deleted = !!deleted;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
    }
}

void
_crm_contact_set_last_followup_at (CrmContact *self,
                                   const char *utc_iso)
{
  set_str (&self->last_followup_at, utc_iso);
}

/* The list order: pinyin, Latin and Chinese names mixed by letter, the
 * index letter first (crm-pinyin.c). Stored in the row, so the order does not
 * depend on the locale the app happens to run in. */
char *
_crm_contact_make_sort_key (const char *name)
{
  return crm_pinyin_sort_key (name);
}
