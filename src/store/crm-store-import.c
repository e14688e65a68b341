/* crm-store-import.c — many contacts in one transaction, with 查重, and its undo
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The importer (src/io/crm-import.c) hands every row of a file here at once.
 * Everything happens inside ONE transaction (_crm_store_begin/_end): a
 * process killed in the middle leaves all of the import or none of it, and a
 * cancelled import is rolled back, so the store is exactly as it was.
 *
 * The duplicates are looked up inside that same transaction, by the store's
 * own indexes (contacts_by_mobile, contacts_by_email) and the contact's id for
 * a vCard UID: a row inserted earlier in the same import is seen by the
 * lookups of the rows after it, so duplicates inside the file itself are
 * found the same way as those already in the store, with no second pass. A
 * row with neither mobile, e-mail nor UID is a duplicate of a live contact
 * with the same name and company and no mobile or e-mail either: without
 * that, importing the same file twice would double those rows.
 *
 * The sync outbox is written once for all the new rows, at the end of the
 * transaction, in one statement, as a pulled page is (crm-store-apply.c):
 * its triggers are quiet while sync_state.applying is set. The search index
 * is not written in the transaction at all: its watermark is lowered to the
 * last contact before the import (_crm_search_build_begin_bulk()), and it is
 * built in bulk after the commit (crm-search-build.c, issue 19: FTS5 fed row
 * by row flushes and merges its segments over and over); searches find the
 * new rows by the rule meanwhile. A contact that was there before is updated
 * with the triggers on, as any edit.
 *
 * What the import did is kept (CrmStoreImportUndo: the ids it added, the
 * contacts it changed as they were before), so that crm_store_import_undo()
 * takes back exactly that, again in one transaction.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-contact-private.h"
#include "crm-store-private.h"
#include "crm-store-sync-private.h"
#include "crm-validate.h"

/* how many rows between two looks at the cancellable and the progress */
#define CHECK_EVERY 256

enum
{
  LOOKUP_UID,
  LOOKUP_MOBILE,
  LOOKUP_EMAIL,
  LOOKUP_NAME,
  N_LOOKUPS
};

static const char * const lookup_sql[N_LOOKUPS] = {
  "SELECT " CRM_CONTACT_COLUMNS " FROM contacts WHERE id = ?1",
  "SELECT " CRM_CONTACT_COLUMNS " FROM contacts WHERE mobile = ?1 AND deleted = 0"
  " ORDER BY local_id LIMIT 1",
  "SELECT " CRM_CONTACT_COLUMNS " FROM contacts WHERE email = ?1 COLLATE NOCASE"
  " AND deleted = 0 ORDER BY local_id LIMIT 1",
  "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
  " WHERE sort_key = ?2 AND name = ?1 AND company = ?3 AND +mobile = '' AND +email = ''"
  " AND deleted = 0 ORDER BY local_id LIMIT 1",
};

/* the rows this import added (local_id past ?1), into the outbox as the
 * triggers of 0008-sync.sql would have put them: nothing before a company
 * is set (0013-outbox-quiet.sql); the subquery refers to the row so that
 * each gets its own mutation id (an uncorrelated one is computed once) */
#define OUTBOX_ADDED_SQL \
  "INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)" \
  " SELECT (SELECT uuid FROM sync_new_uuid WHERE c.local_id > 0)," \
  "  'contact', c.id, 'upsert', 0," \
  "  json_object ('name', c.name, 'company', c.company, 'title', c.title," \
  "               'mobile', c.mobile, 'phone', c.phone, 'email', c.email," \
  "               'wechat', c.wechat, 'address', c.address, 'tags', c.tags," \
  "               'notes', c.notes, 'owner', c.owner)" \
  " FROM contacts c WHERE c.local_id > ?1 AND c.deleted = 0" \
  " AND (SELECT company_id FROM sync_state) IS NOT NULL" \
  " ORDER BY c.local_id"

typedef struct
{
  CrmStore     *store;
  gint64        max_before;   /* the last local_id before the import */
  sqlite3_stmt *insert;
  sqlite3_stmt *update;
  sqlite3_stmt *lookup[N_LOOKUPS];
  char         *now;
} ImportRun;

static void
import_run_clear (ImportRun *run)
{
  g_clear_pointer (&run->insert, sqlite3_finalize);
  g_clear_pointer (&run->update, sqlite3_finalize);
  for (guint i = 0; i < N_LOOKUPS; i++)
    g_clear_pointer (&run->lookup[i], sqlite3_finalize);
  g_clear_pointer (&run->now, g_free);
}

/* Runs lookup @which with @text (and @sort_key, @company for LOOKUP_NAME):
 * %TRUE with *@found set to the contact or %NULL; %FALSE on an error. */
static gboolean
lookup (ImportRun   *run,
        guint        which,
        const char  *text,
        const char  *sort_key,
        const char  *company,
        CrmContact **found,
        GError     **error)
{
  sqlite3_stmt *stmt = run->lookup[which];
  int rc;

  *found = NULL;
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  if (which == LOOKUP_NAME)
    {
      sqlite3_bind_text (stmt, 2, sort_key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, company, -1, SQLITE_STATIC);
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *found = _crm_store_contact_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _crm_store_set_error (error, run->store->db, rc, _("Cannot look for duplicates"));
  return TRUE;
}

/* The live contact @row duplicates, or %NULL; *@uid_taken when its UID is
 * the id of a contact, even a deleted one (so it cannot be used again). */
static gboolean
find_duplicate (ImportRun         *run,
                CrmStoreImportRow *row,
                const char        *sort_key,
                CrmContact       **found,
                gboolean          *uid_taken,
                GError           **error)
{
  const char *mobile = crm_contact_get_field (row->contact, CRM_CONTACT_FIELD_MOBILE);
  const char *email = crm_contact_get_field (row->contact, CRM_CONTACT_FIELD_EMAIL);

  *uid_taken = FALSE;
  if (row->uid != NULL && *row->uid != '\0')
    {
      if (!lookup (run, LOOKUP_UID, row->uid, NULL, NULL, found, error))
        return FALSE;
      if (*found != NULL)
        {
          *uid_taken = TRUE;
          if (!crm_contact_get_deleted (*found))
            return TRUE;
          g_clear_object (found);
        }
    }
  if (*mobile != '\0' && !lookup (run, LOOKUP_MOBILE, mobile, NULL, NULL, found, error))
    return FALSE;
  if (*found == NULL && *email != '\0'
      && !lookup (run, LOOKUP_EMAIL, email, NULL, NULL, found, error))
    return FALSE;
  if (*found == NULL && *mobile == '\0' && *email == '\0'
      && !lookup (run, LOOKUP_NAME, crm_contact_get_name (row->contact), sort_key,
                  crm_contact_get_field (row->contact, CRM_CONTACT_FIELD_COMPANY), found,
                  error))
    return FALSE;
  return TRUE;
}

static gboolean
insert_row (ImportRun         *run,
            CrmStoreImportRow *row,
            const char        *sort_key,
            gboolean           uid_taken,
            GError           **error)
{
  g_autofree char *random_id = NULL;
  const char *id;

  if (row->uid != NULL && !uid_taken && g_uuid_string_is_valid (row->uid))
    id = row->uid;
  else
    id = random_id = g_uuid_string_random ();

  sqlite3_reset (run->insert);
  _crm_store_bind_contact_fields (run->insert, row->contact, 1);
  sqlite3_bind_text (run->insert, 12, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (run->insert, 13, sort_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (run->insert, 14, run->now, -1, SQLITE_STATIC);
  if (!_crm_store_step_done (run->insert, _("Cannot save the contacts"), error))
    return FALSE;
  g_free (row->id);
  row->id = g_strdup (id);
  return TRUE;
}

static gboolean
write_update (ImportRun   *run,
              CrmContact  *contact,
              const char  *updated_at,
              GError     **error)
{
  g_autofree char *sort_key = _crm_contact_make_sort_key (crm_contact_get_name (contact));

  sqlite3_reset (run->update);
  _crm_store_bind_contact_fields (run->update, contact, 1);
  sqlite3_bind_text (run->update, 12, crm_contact_get_id (contact), -1, SQLITE_STATIC);
  sqlite3_bind_text (run->update, 13, sort_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (run->update, 14, updated_at, -1, SQLITE_STATIC);
  return _crm_store_step_done (run->update, _("Cannot save the contacts"), error);
}

/* @existing with the non-empty fields of @row written over it, unless that
 * changes nothing; the undo keeps @existing as it was, once per contact, and
 * not at all for one this import added. */
static gboolean
update_row (ImportRun          *run,
            CrmStoreImportRow  *row,
            CrmContact         *existing,
            GHashTable         *touched,
            CrmStoreImportUndo *undo,
            GError            **error)
{
  g_autoptr (CrmContact) merged = crm_contact_copy (existing);
  gboolean changed = FALSE;

  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    {
      const char *value = crm_contact_get_field (row->contact, i);

      if (*value != '\0' && g_strcmp0 (value, crm_contact_get_field (existing, i)) != 0)
        {
          crm_contact_set_field (merged, i, value);
          changed = TRUE;
        }
    }
  g_free (row->id);
  row->id = g_strdup (crm_contact_get_id (existing));
  if (!changed)
    {
      row->outcome = CRM_STORE_IMPORT_UNCHANGED;
      return TRUE;
    }
  /* each field passed alone; together they still must */
  if (!crm_validate_contact (merged, &row->failed_field, &row->error))
    {
      row->outcome = CRM_STORE_IMPORT_INVALID;
      return TRUE;
    }
  if (_crm_contact_get_rowid (existing) <= run->max_before)
    {
      /* an edit of a contact that was there: its triggers, as any edit */
      if (!_crm_store_sync_set_applying (run->store, FALSE, error)
          || !write_update (run, merged, run->now, error)
          || !_crm_store_sync_set_applying (run->store, TRUE, error))
        return FALSE;
    }
  else if (!write_update (run, merged, run->now, error))
    return FALSE;
  if (g_hash_table_add (touched, g_strdup (row->id)) && undo != NULL)
    g_ptr_array_add (undo->previous, g_object_ref (existing));
  row->outcome = CRM_STORE_IMPORT_UPDATED;
  return TRUE;
}

static gboolean
import_one (ImportRun          *run,
            CrmStoreImportRow  *row,
            CrmStoreDuplicates  policy,
            GHashTable         *touched,
            CrmStoreImportUndo *undo,
            GError            **error)
{
  g_autoptr (CrmContact) found = NULL;
  g_autofree char *sort_key = NULL;
  gboolean uid_taken = FALSE;

  g_clear_error (&row->error);
  if (!crm_validate_contact (row->contact, &row->failed_field, &row->error))
    {
      row->outcome = CRM_STORE_IMPORT_INVALID;
      return TRUE;
    }
  sort_key = _crm_contact_make_sort_key (crm_contact_get_name (row->contact));
  if (!find_duplicate (run, row, sort_key, &found, &uid_taken, error))
    return FALSE;

  if (found != NULL && policy == CRM_STORE_DUPLICATES_SKIP)
    {
      g_free (row->id);
      row->id = g_strdup (crm_contact_get_id (found));
      row->outcome = CRM_STORE_IMPORT_SKIPPED;
      return TRUE;
    }
  if (found != NULL && policy == CRM_STORE_DUPLICATES_UPDATE)
    return update_row (run, row, found, touched, undo, error);

  if (!insert_row (run, row, sort_key, uid_taken, error))
    return FALSE;
  g_hash_table_add (touched, g_strdup (row->id));
  if (undo != NULL)
    g_ptr_array_add (undo->added, g_strdup (row->id));
  row->outcome = CRM_STORE_IMPORT_ADDED;
  return TRUE;
}

static gboolean
prepare_run (ImportRun  *run,
             GError    **error)
{
  const char *what = _("Cannot save the contacts");
  sqlite3 *db = run->store->db;
  g_autoptr (sqlite3_stmt) max = NULL;
  int rc;

  max = _crm_store_prepare (db, "SELECT coalesce (max (local_id), 0) FROM contacts", 0, what,
                            error);
  if (max == NULL)
    return FALSE;
  rc = sqlite3_step (max);
  if (rc != SQLITE_ROW)
    return _crm_store_set_error (error, db, rc, what);
  run->max_before = sqlite3_column_int64 (max, 0);
  if (!_crm_search_build_begin_bulk (db, FALSE, error)
      || !_crm_store_sync_set_applying (run->store, TRUE, error))
    return FALSE;

  run->insert = _crm_store_prepare (db, CRM_CONTACT_INSERT_SQL, SQLITE_PREPARE_PERSISTENT,
                                    what, error);
  if (run->insert == NULL)
    return FALSE;
  run->update = _crm_store_prepare (db, CRM_CONTACT_UPDATE_SQL, SQLITE_PREPARE_PERSISTENT,
                                    what, error);
  if (run->update == NULL)
    return FALSE;
  for (guint i = 0; i < N_LOOKUPS; i++)
    {
      run->lookup[i] = _crm_store_prepare (db, lookup_sql[i], SQLITE_PREPARE_PERSISTENT,
                                           what, error);
      if (run->lookup[i] == NULL)
        return FALSE;
    }
  return TRUE;
}

/* the outbox rows of the added contacts, then the triggers on */
static gboolean
finish_run (ImportRun  *run,
            GError    **error)
{
  static const char * const sql[] = { OUTBOX_ADDED_SQL };
  const char *what = _("Cannot save the contacts");

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      g_autoptr (sqlite3_stmt) stmt = _crm_store_prepare (run->store->db, sql[i], 0, what,
                                                          error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, run->max_before);
      if (!_crm_store_step_done (stmt, what, error))
        return FALSE;
    }
  return _crm_store_sync_set_applying (run->store, FALSE, error);
}

/**
 * crm_store_import_undo_init:
 *
 * Makes @undo empty, ready for crm_store_import_contacts().
 */
void
crm_store_import_undo_init (CrmStoreImportUndo *undo)
{
  g_return_if_fail (undo != NULL);
  undo->added = g_ptr_array_new_with_free_func (g_free);
  undo->previous = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * crm_store_import_undo_clear:
 *
 * Frees what @undo holds.
 */
void
crm_store_import_undo_clear (CrmStoreImportUndo *undo)
{
  g_return_if_fail (undo != NULL);
  g_clear_pointer (&undo->added, g_ptr_array_unref);
  g_clear_pointer (&undo->previous, g_ptr_array_unref);
}

/**
 * crm_store_import_row_clear:
 *
 * Frees what crm_store_import_contacts() put in @row (not its contact or uid).
 */
void
crm_store_import_row_clear (CrmStoreImportRow *row)
{
  g_return_if_fail (row != NULL);
  g_clear_error (&row->error);
  g_clear_pointer (&row->id, g_free);
}

/**
 * crm_store_import_contacts:
 * @rows: (array length=n_rows): the rows: each with a new contact whose
 *   empty fields are the cells the file left empty, and an optional UID
 * @policy: what becomes of a row that duplicates a live contact (same
 *   normalised mobile or e-mail, same id as its UID, or — with neither —
 *   same name and company) or an earlier row of @rows
 * @progress: (nullable): called every few hundred rows with how many are done
 * @cancellable: (nullable): cancelling rolls everything back
 * @undo: (nullable): initialised with crm_store_import_undo_init(): receives
 *   what the import did, for crm_store_import_undo()
 *
 * Validates each row with crm_validate_contact() (normalising its contact in
 * place; one that does not pass is %CRM_STORE_IMPORT_INVALID, with its field
 * and reason in the row, and the others go on) and writes all of them in ONE
 * transaction. Emits #CrmStore::contacts-reset once when anything changed.
 *
 * Returns: %TRUE when committed; on an error or a cancel (%G_IO_ERROR_CANCELLED)
 *   nothing was changed and @undo is left empty.
 */
gboolean
crm_store_import_contacts (CrmStore                *self,
                           CrmStoreImportRow       *rows,
                           guint                    n_rows,
                           CrmStoreDuplicates       policy,
                           CrmStoreImportProgress   progress,
                           gpointer                 progress_data,
                           GCancellable            *cancellable,
                           CrmStoreImportUndo      *undo,
                           GError                 **error)
{
  g_autoptr (GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ImportRun run = { self, };
  gboolean changed = FALSE;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);
  g_return_val_if_fail (undo == NULL || (undo->added != NULL && undo->previous != NULL), FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* Each INSERT, with its triggers, keeps a statement journal of the
   * pages it touches; past 64 KiB SQLite spills it to a temporary file,
   * rewritten for every row: 195 MB of writes for 4,000 rows (strace). In
   * memory, it is truncated after each statement. Only outside a
   * transaction can the setting change; it stays for the connection. */
  if (self->depth == 0 && !_crm_store_exec (self->db, "PRAGMA temp_store = MEMORY", error))
    return FALSE;
  run.now = _crm_store_now ();
  if (!_crm_store_begin (self, error))
    {
      import_run_clear (&run);
      return FALSE;
    }
  ok = prepare_run (&run, error);
  for (guint i = 0; ok && i < n_rows; i++)
    {
      if (i % CHECK_EVERY == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              ok = FALSE;
              break;
            }
          if (progress != NULL)
            progress (i, n_rows, progress_data);
        }
      ok = import_one (&run, &rows[i], policy, touched, undo, error);
      changed |= rows[i].outcome == CRM_STORE_IMPORT_ADDED
                 || rows[i].outcome == CRM_STORE_IMPORT_UPDATED;
    }
  ok = ok && finish_run (&run, error);
  /* the last look: a cancel while the last rows were written still counts */
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  import_run_clear (&run);
  if (!_crm_store_end (self, ok, error))
    {
      if (undo != NULL)
        {
          g_ptr_array_set_size (undo->added, 0);
          g_ptr_array_set_size (undo->previous, 0);
        }
      return FALSE;
    }
  if (changed)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACTS_RESET], 0);
  /* the rows are there and found; the index catches up with them */
  if (self->depth == 0)
    _crm_search_build_after_bulk (self, FALSE);
  if (progress != NULL)
    progress (n_rows, n_rows, progress_data);
  return TRUE;
}

/**
 * crm_store_import_undo:
 * @undo: what crm_store_import_contacts() did
 *
 * Takes an import back in one transaction: the contacts it added are deleted
 * (tombstones, as any delete, so sync tells the team), those it changed get
 * their fields and update time back. A contact deleted since is left deleted.
 */
gboolean
crm_store_import_undo (CrmStore            *self,
                       CrmStoreImportUndo  *undo,
                       GError             **error)
{
  g_autoptr (sqlite3_stmt) delete = NULL;
  g_autofree char *now = _crm_store_now ();
  const char *what = _("Cannot undo the import");
  ImportRun run = { self, };
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (undo != NULL && undo->added != NULL, FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  delete = _crm_store_prepare (self->db, "UPDATE contacts SET deleted = 1, updated_at = ?2"
                               " WHERE id = ?1 AND deleted = 0", 0, what, error);
  run.update = _crm_store_prepare (self->db, CRM_CONTACT_UPDATE_SQL, 0, what, error);
  ok = delete != NULL && run.update != NULL;
  for (guint i = 0; ok && i < undo->added->len; i++)
    {
      sqlite3_reset (delete);
      sqlite3_bind_text (delete, 1, g_ptr_array_index (undo->added, i), -1, SQLITE_STATIC);
      sqlite3_bind_text (delete, 2, now, -1, SQLITE_STATIC);
      ok = _crm_store_step_done (delete, what, error);
    }
  for (guint i = 0; ok && i < undo->previous->len; i++)
    {
      CrmContact *before = g_ptr_array_index (undo->previous, i);
      ok = write_update (&run, before, crm_contact_get_updated_at (before), error);
    }
  import_run_clear (&run);
  if (!_crm_store_end (self, ok, error))
    return FALSE;
  g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACTS_RESET], 0);
  return TRUE;
}
