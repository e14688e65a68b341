/* crm-export-vcard.c — contacts out as vCard 4.0 or 3.0 (libebook-contacts)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each contact is built as an EVCard (its escaping and line folding are
 * libebook-contacts', which address books read back) and written at once:
 * one card in memory at a time. UID is the contact's id, so importing the
 * file again finds the same contacts (查重 by UID).
 *
 * libebook-contacts 3.46 writes vCard 2.1 and 3.0 only. The properties used
 * here (FN, N, ORG, TITLE, TEL, EMAIL, ADR, CATEGORIES, NOTE, UID, REV and
 * X- names) are written alike in 4.0 but for VERSION, REV's basic format
 * and EMAIL's TYPE=INTERNET (3.0 only): a 4.0 card is the 3.0 text with
 * those three said the 4.0 way. 4.0 text is always UTF-8, as 3.0's is here.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
/* libedataserver's headers still name GTimeVal */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook-contacts/libebook-contacts.h>
G_GNUC_END_IGNORE_DEPRECATIONS
#include <stdio.h>
#include <string.h>

#include "crm-export-private.h"
#include "crm-io.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVCard, g_object_unref)

typedef struct
{
  FILE              *fp;
  const char        *path;
  gboolean           version_4;
  CrmExportProgress  progress;
  gpointer           progress_data;
  guint              total;
} VcardData;

static void
add (EVCard     *card,
     const char *name,
     const char *type,
     const char *value)
{
  EVCardAttribute *attr;

  if (value == NULL || *value == '\0')
    return;
  attr = e_vcard_attribute_new (NULL, name);
  if (type != NULL)
    e_vcard_attribute_add_param_with_value (attr, e_vcard_attribute_param_new (EVC_TYPE),
                                            type);
  e_vcard_append_attribute_with_value (card, attr, value);
}

/* tags as the editor keeps them, split at commas (ASCII or Chinese) */
static void
add_categories (EVCard     *card,
                const char *tags)
{
  g_auto (GStrv) parts = NULL;
  EVCardAttribute *attr = NULL;

  if (tags == NULL || *tags == '\0')
    return;
  parts = g_regex_split_simple ("[,，;；]", tags, 0, 0);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *tag = g_strstrip (g_strdup (parts[i]));

      if (*tag == '\0')
        continue;
      if (attr == NULL)
        attr = e_vcard_attribute_new (NULL, EVC_CATEGORIES);
      e_vcard_attribute_add_value (attr, tag);
    }
  if (attr != NULL)
    e_vcard_append_attribute (card, attr);
}

/* REV: 3.0 takes ISO 8601 extended, 4.0 the basic format (RFC 6350 4.3.5) */
static char *
rev_text (const char *updated_at,
          gboolean    version_4)
{
  g_autoptr (GDateTime) t = _crm_export_parse_utc (updated_at);

  if (t == NULL)
    return NULL;
  return g_date_time_format (t, version_4 ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ");
}

static char *
card_text (CrmContact *contact,
           gboolean    version_4)
{
  g_autoptr (EVCard) card = e_vcard_new ();
  g_autofree char *rev = rev_text (crm_contact_get_updated_at (contact), version_4);
  const char *name = crm_contact_get_name (contact);
  const char *address = crm_contact_get_field (contact, CRM_CONTACT_FIELD_ADDRESS);
  char *text;

  add (card, EVC_UID, NULL, crm_contact_get_id (contact));
  add (card, EVC_FN, NULL, name);
  /* N is required in 3.0; a Chinese name is not split into given and family */
  e_vcard_append_attribute_with_values (card, e_vcard_attribute_new (NULL, EVC_N),
                                        name, "", "", "", "", NULL);
  add (card, EVC_ORG, NULL, crm_contact_get_field (contact, CRM_CONTACT_FIELD_COMPANY));
  add (card, EVC_TITLE, NULL, crm_contact_get_field (contact, CRM_CONTACT_FIELD_TITLE));
  add (card, EVC_TEL, "CELL", crm_contact_get_field (contact, CRM_CONTACT_FIELD_MOBILE));
  add (card, EVC_TEL, "WORK", crm_contact_get_field (contact, CRM_CONTACT_FIELD_PHONE));
  add (card, EVC_EMAIL, version_4 ? NULL : "INTERNET",
       crm_contact_get_field (contact, CRM_CONTACT_FIELD_EMAIL));
  if (address != NULL && *address != '\0')
    {
      /* one line of address: the street part of ADR, as address books show it */
      EVCardAttribute *adr = e_vcard_attribute_new (NULL, EVC_ADR);

      e_vcard_attribute_add_param_with_value (adr, e_vcard_attribute_param_new (EVC_TYPE),
                                              "WORK");
      e_vcard_append_attribute_with_values (card, adr, "", "", address, "", "", "", "",
                                            NULL);
    }
  add (card, "X-WECHAT", NULL, crm_contact_get_field (contact, CRM_CONTACT_FIELD_WECHAT));
  add_categories (card, crm_contact_get_field (contact, CRM_CONTACT_FIELD_TAGS));
  add (card, EVC_NOTE, NULL, crm_contact_get_field (contact, CRM_CONTACT_FIELD_NOTES));
  add (card, "X-XIAOHE-OWNER", NULL, crm_contact_get_field (contact, CRM_CONTACT_FIELD_OWNER));
  add (card, EVC_REV, NULL, rev);

  text = e_vcard_to_string (card, EVC_FORMAT_VCARD_30);
  if (version_4)
    {
      char *version = strstr (text, "VERSION:3.0");

      if (version != NULL)
        version[8] = '4';
    }
  return text;
}

static gboolean
write_card (CrmContact  *contact,
            guint        index,
            guint        total,
            gpointer     user_data,
            GError     **error)
{
  VcardData *vd = user_data;
  g_autofree char *text = card_text (contact, vd->version_4);
  gsize len = strlen (text);

  vd->total = total;
  if (vd->progress != NULL && index % 256 == 0)
    vd->progress (index, total, vd->progress_data);
  if (fwrite (text, 1, len, vd->fp) != len || fwrite ("\r\n", 1, 2, vd->fp) != 2)
    return _crm_export_write_error (error, vd->path);
  return TRUE;
}

gboolean
_crm_export_vcard (CrmStore          *store,
                   const char        *path,
                   gboolean           version_4,
                   CrmExportProgress  progress,
                   gpointer           progress_data,
                   GCancellable      *cancellable,
                   GError           **error)
{
  VcardData vd = { NULL, path, version_4, progress, progress_data, 0 };
  gboolean ok;

  vd.fp = g_fopen (path, "wb");
  if (vd.fp == NULL)
    return _crm_export_write_error (error, path);
  setvbuf (vd.fp, NULL, _IOFBF, 1 << 16);
  ok = crm_store_foreach_contact (store, write_card, &vd, cancellable, error);
  if (fclose (vd.fp) != 0 && ok)
    {
      _crm_export_write_error (error, path);
      ok = FALSE;
    }
  if (ok && progress != NULL)
    progress (vd.total, vd.total, progress_data);
  return ok;
}
