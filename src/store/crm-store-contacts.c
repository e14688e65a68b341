/* crm-store-contacts.c — contacts in the store: read, save, delete, restore
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-contact-private.h"
#include "crm-store-private.h"
#include "crm-validate.h"

CrmContact *
_crm_store_contact_from_row (sqlite3_stmt *stmt)
{
  CrmContact *contact = crm_contact_new ();

  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    crm_contact_set_field (contact, i, (const char *)sqlite3_column_text (stmt, 7 + i));
  _crm_contact_set_stored (contact,
                           sqlite3_column_int64 (stmt, 0),
                           (const char *)sqlite3_column_text (stmt, 1),
                           (const char *)sqlite3_column_text (stmt, 2),
                           (const char *)sqlite3_column_text (stmt, 3),
                           (const char *)sqlite3_column_text (stmt, 4),
                           sqlite3_column_int (stmt, 5),
                           sqlite3_column_int64 (stmt, 6));
  _crm_contact_set_last_followup_at (contact, (const char *)sqlite3_column_text (stmt, 18));
  return contact;
}

static CrmContact *
get_contact_where (CrmStore    *self,
                   const char  *column,
                   const char  *text,
                   gint64       number,
                   GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT " CRM_CONTACT_COLUMNS
                                          " FROM contacts WHERE %s = ?1", column);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  CrmContact *contact = NULL;
  int rc;

  stmt = _crm_store_prepare (self->db, sql, 0, _("Cannot read the contact"), error);
  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, number);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    contact = _crm_store_contact_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                 _("The contact no longer exists"));
  else
    _crm_store_set_error (error, self->db, rc, _("Cannot read the contact"));
  return contact;
}

/**
 * crm_store_get_contact:
 * @id: the contact's UUID
 *
 * Returns: (transfer full): the contact, tombstone or not, or %NULL with
 *   %CRM_STORE_ERROR_NOT_FOUND.
 */
CrmContact *
crm_store_get_contact (CrmStore    *self,
                       const char  *id,
                       GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return get_contact_where (self, "id", id, 0, error);
}

/* the contact's fields as parameters @first to @first + 10 (also the
 * importer's, crm-store-import.c) */
void
_crm_store_bind_contact_fields (sqlite3_stmt *stmt,
                                CrmContact   *contact,
                                int           first)
{
  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    sqlite3_bind_text (stmt, first + i, crm_contact_get_field (contact, i), -1, SQLITE_STATIC);
}

/* Inserts one validated contact with the prepared CRM_CONTACT_INSERT_SQL and
 * records its new identity in it (the caller clears it if it rolls back). */
static gboolean
insert_one (CrmStore      *self,
            sqlite3_stmt  *stmt,
            CrmContact    *contact,
            const char    *now,
            const char    *what,
            GError       **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *sort_key = _crm_contact_make_sort_key (crm_contact_get_name (contact));

  sqlite3_reset (stmt);
  _crm_store_bind_contact_fields (stmt, contact, 1);
  sqlite3_bind_text (stmt, 12, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, sort_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, now, -1, SQLITE_STATIC);
  if (!_crm_store_step_done (stmt, what, error))
    return FALSE;
  _crm_contact_set_stored (contact, sqlite3_last_insert_rowid (self->db), id, sort_key,
                           now, now, FALSE, 0);
  return TRUE;
}

/**
 * crm_store_save_contact:
 * @contact: a new contact, or one read from this store
 *
 * Validates @contact (normalising its fields in place) and writes it: a new
 * contact gets its id and timestamps, an existing one a new updated_at.
 *
 * Returns: %TRUE on success; a contact that does not pass is refused with
 *   crm_validate_contact()'s %CRM_VALIDATE_ERROR, whose message is meant for
 *   the person.
 */
gboolean
crm_store_save_contact (CrmStore    *self,
                        CrmContact  *contact,
                        GError     **error)
{
  g_autoptr (CrmContact) before = NULL;
  g_autofree char *now = _crm_store_now ();
  g_autofree char *sort_key = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  if (!crm_validate_contact (contact, NULL, error))
    return FALSE;

  if (!crm_contact_is_saved (contact))
    {
      if (!_crm_store_begin (self, error))
        return FALSE;
      stmt = _crm_store_prepare (self->db, CRM_CONTACT_INSERT_SQL, 0, _("Cannot save the contact"),
                                 error);
      ok = stmt != NULL && insert_one (self, stmt, contact, now, _("Cannot save the contact"),
                                       error);
      if (!_crm_store_end (self, ok, error))
        {
          _crm_contact_set_stored (contact, 0, NULL, NULL, NULL, NULL, FALSE, 0);
          return FALSE;
        }
      g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACT_CHANGED], 0, NULL, contact);
      return TRUE;
    }

  before = get_contact_where (self, "local_id", NULL, _crm_contact_get_rowid (contact), error);
  if (before == NULL)
    return FALSE;
  if (crm_contact_get_deleted (before))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("The contact was deleted meanwhile"));
      return FALSE;
    }

  sort_key = _crm_contact_make_sort_key (crm_contact_get_name (contact));
  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db, CRM_CONTACT_UPDATE_SQL, 0, _("Cannot save the contact"),
                             error);
  if (stmt != NULL)
    {
      _crm_store_bind_contact_fields (stmt, contact, 1);
      sqlite3_bind_text (stmt, 12, crm_contact_get_id (contact), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 13, sort_key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 14, now, -1, SQLITE_STATIC);
    }
  ok = _crm_store_step_done (stmt, _("Cannot save the contact"), error);
  if (!_crm_store_end (self, ok, error))
    return FALSE;

  _crm_contact_set_stored (contact, _crm_contact_get_rowid (before),
                           crm_contact_get_id (before), sort_key,
                           crm_contact_get_created_at (before), now, FALSE,
                           crm_contact_get_server_version (before));
  /* derived from the follow-ups, not edited: as stored */
  _crm_contact_set_last_followup_at (contact, crm_contact_get_last_followup_at (before));
  g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACT_CHANGED], 0, before, contact);
  /* the deals that show the name */
  if (g_strcmp0 (crm_contact_get_name (before), crm_contact_get_name (contact)) != 0
      && crm_store_count_contact_deals (self, contact) > 0)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_DEALS_RESET], 0);
  return TRUE;
}

/**
 * crm_store_insert_contacts:
 * @contacts: (element-type CrmContact): new contacts
 *
 * crm_store_insert_contacts_full() without asking which contact failed.
 */
gboolean
crm_store_insert_contacts (CrmStore   *self,
                           GPtrArray  *contacts,
                           GError    **error)
{
  return crm_store_insert_contacts_full (self, contacts, NULL, NULL, error);
}

/**
 * crm_store_insert_contacts_full:
 * @contacts: (element-type CrmContact): new contacts
 * @failed_index: (out) (optional): the index in @contacts of the first one
 *   that does not pass validation
 * @failed_field: (out) (optional): its first field that does not pass
 *
 * Validates and inserts many contacts in one transaction: all of them or,
 * on any error, none. A contact that does not pass is refused with its
 * %CRM_VALIDATE_ERROR, the message saying which contact ("Contact 2: ...").
 * Emits #CrmStore::contacts-reset once.
 */
gboolean
crm_store_insert_contacts_full (CrmStore         *self,
                                GPtrArray        *contacts,
                                guint            *failed_index,
                                CrmContactField  *failed_field,
                                GError          **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (contacts != NULL, FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  for (guint i = 0; i < contacts->len; i++)
    {
      g_autoptr (GError) invalid = NULL;

      if (!crm_validate_contact (g_ptr_array_index (contacts, i), failed_field, &invalid))
        {
          if (failed_index)
            *failed_index = i;
          g_set_error (error, invalid->domain, invalid->code,
                       _("Contact %u: %s"), i + 1, invalid->message);
          return FALSE;
        }
    }

  /* the statement journal of each row's INSERT in memory, as an import
   * keeps it (crm-store-import.c): on disk, its pages are written again
   * for every row, a third of the time of a bulk insert (perf) */
  if (self->depth == 0 && contacts->len >= CRM_SEARCH_BULK_ROWS
      && !_crm_store_exec (self->db, "PRAGMA temp_store = MEMORY", error))
    return FALSE;
  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db, CRM_CONTACT_INSERT_SQL, 0,
                             _("Cannot save the contacts"), error);
  /* many rows: the search index built after them, in bulk (crm-search-build.c) */
  ok = stmt != NULL
       && (contacts->len < CRM_SEARCH_BULK_ROWS
           || _crm_search_build_begin_bulk (self->db, FALSE, error));
  for (guint i = 0; ok && i < contacts->len; i++)
    ok = insert_one (self, stmt, g_ptr_array_index (contacts, i), now,
                     _("Cannot save the contacts"), error);
  if (!_crm_store_end (self, ok, error))
    {
      for (guint i = 0; i < contacts->len; i++)
        _crm_contact_set_stored (g_ptr_array_index (contacts, i), 0, NULL, NULL, NULL, NULL,
                                 FALSE, 0);
      return FALSE;
    }

  g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACTS_RESET], 0);
  if (self->depth == 0 && contacts->len >= CRM_SEARCH_BULK_ROWS)
    _crm_search_build_after_bulk (self, FALSE);
  return TRUE;
}

static gboolean
set_deleted (CrmStore    *self,
             CrmContact  *contact,
             gboolean     deleted,
             GError     **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (CrmContact) before = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *what = deleted ? _("Cannot delete the contact") : _("Cannot restore the contact");
  gboolean ok;

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  before = get_contact_where (self, "id", crm_contact_get_id (contact), 0, error);
  if (before == NULL)
    return FALSE;
  if (crm_contact_get_deleted (before) == deleted)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   deleted ? _("The contact was already deleted")
                           : _("The contact is not deleted"));
      return FALSE;
    }

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db,
                             "UPDATE contacts SET deleted = ?1, updated_at = ?2 WHERE id = ?3",
                             0, what, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, deleted);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, crm_contact_get_id (contact), -1, SQLITE_STATIC);
    }
  ok = _crm_store_step_done (stmt, what, error);
  if (!_crm_store_end (self, ok, error))
    return FALSE;

  _crm_contact_set_stored (contact, _crm_contact_get_rowid (before), crm_contact_get_id (before),
                           _crm_contact_get_sort_key (before),
                           crm_contact_get_created_at (before), now, deleted,
                           crm_contact_get_server_version (before));
  if (deleted)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACT_CHANGED], 0, before, NULL);
  else
    g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACT_CHANGED], 0, NULL, contact);
  return TRUE;
}

/**
 * crm_store_delete_contact:
 *
 * Marks @contact deleted (a tombstone, kept for sync and for undo).
 */
gboolean
crm_store_delete_contact (CrmStore    *self,
                          CrmContact  *contact,
                          GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), FALSE);
  return set_deleted (self, contact, TRUE, error);
}

/**
 * crm_store_restore_contact:
 *
 * Brings a deleted contact back, as it was.
 */
gboolean
crm_store_restore_contact (CrmStore    *self,
                           CrmContact  *contact,
                           GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), FALSE);
  return set_deleted (self, contact, FALSE, error);
}

guint
crm_store_count_contacts (CrmStore *self)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint count = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  rc = sqlite3_prepare_v2 (self->db, "SELECT n FROM counters WHERE name = 'contacts'",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  _crm_store_note_failure (self->db, rc);
  return count;
}

gboolean
_crm_store_collect_contacts (sqlite3      *db,
                  sqlite3_stmt *stmt,
                  GPtrArray    *out,
                  GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, _crm_store_contact_from_row (stmt));
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, db, rc, _("Cannot read the contacts"));
  return TRUE;
}

/**
 * crm_store_find_duplicates:
 * @contact: a contact being edited (saved or not)
 *
 * Returns: (transfer container) (element-type CrmContact): the other live
 *   contacts with the same mobile number or e-mail address, at most five.
 */
GPtrArray *
crm_store_find_duplicates (CrmStore    *self,
                           CrmContact  *contact,
                           GError     **error)
{
  static const struct { CrmContactField field; const char *sql; } checks[] = {
    { CRM_CONTACT_FIELD_MOBILE,
      "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
      " WHERE mobile = ?1 AND deleted = 0 AND id IS NOT ?2 LIMIT 5" },
    { CRM_CONTACT_FIELD_EMAIL,
      "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
      " WHERE email = ?1 COLLATE NOCASE AND deleted = 0 AND id IS NOT ?2 LIMIT 5" },
  };
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *value = NULL;
      g_autoptr (sqlite3_stmt) stmt = NULL;

      if (!crm_validate_field (checks[i].field, crm_contact_get_field (contact, checks[i].field),
                               &value, NULL) || *value == '\0')
        continue;

      stmt = _crm_store_prepare (self->db, checks[i].sql, 0, _("Cannot look for duplicates"),
                                 error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, crm_contact_get_id (contact), -1, SQLITE_STATIC);
      if (!_crm_store_collect_contacts (self->db, stmt, found, error))
        return NULL;
    }

  for (guint i = 0; i < found->len && result->len < 5; i++)
    {
      CrmContact *c = g_ptr_array_index (found, i);
      if (g_hash_table_add (seen, (gpointer)crm_contact_get_id (c)))
        g_ptr_array_add (result, g_object_ref (c));
    }
  return g_steal_pointer (&result);
}

/**
 * crm_store_count_contact_deals:
 *
 * Returns: how many live deals name @contact.
 */
guint
crm_store_count_contact_deals (CrmStore   *self,
                               CrmContact *contact)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint n = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  rc = sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM deals WHERE contact_id = ?1"
                           " AND deleted = 0", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, crm_contact_get_id (contact), -1, SQLITE_STATIC);
      if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        n = sqlite3_column_int (stmt, 0);
    }
  _crm_store_note_failure (self->db, rc);
  return n;
}

/**
 * crm_store_delete_contact_with_deals:
 * @policy: what becomes of the contact's deals
 *
 * Deletes @contact and, in the same transaction, unlinks its live deals
 * (they stay, with no contact) or deletes them too: the answer to "this
 * contact has deals: what now?".
 */
gboolean
crm_store_delete_contact_with_deals (CrmStore              *self,
                                     CrmContact            *contact,
                                     CrmContactDealsPolicy  policy,
                                     GError               **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int changed = 0;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db,
                             policy == CRM_CONTACT_DEALS_DELETE
                             ? "UPDATE deals SET deleted = 1, updated_at = ?2"
                               " WHERE contact_id = ?1 AND deleted = 0"
                             : "UPDATE deals SET contact_id = NULL, updated_at = ?2"
                               " WHERE contact_id = ?1 AND deleted = 0",
                             0, _("Cannot delete the contact"), error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, crm_contact_get_id (contact), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
    }
  ok = _crm_store_step_done (stmt, _("Cannot delete the contact"), error);
  if (ok)
    {
      changed = sqlite3_changes (self->db);
      /* the contact itself, in the same transaction */
      ok = crm_store_delete_contact (self, contact, error);
    }
  if (!_crm_store_end (self, ok, error))
    return FALSE;
  if (changed > 0)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_DEALS_RESET], 0);
  return TRUE;
}
