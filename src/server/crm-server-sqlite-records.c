/* crm-server-sqlite-records.c — the SQLite backend's writes and its change
 * feed: begin/end, the results of mutations, records, pull, blobs, notices
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The other half of crm-server-sqlite.c (split to keep each file short).
 * Every statement has the company id in its WHERE or its primary key.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-server-sqlite-private.h"

static CrmServerRecord *
record_from_row (sqlite3_stmt *stmt)
{
  CrmServerRecord *record = g_new0 (CrmServerRecord, 1);

  record->kind = column_dup (stmt, 0);
  record->id = column_dup (stmt, 1);
  record->version = sqlite3_column_int64 (stmt, 2);
  record->deleted = sqlite3_column_int (stmt, 3) != 0;
  record->fields_json = column_dup (stmt, 4);
  record->field_versions_json = column_dup (stmt, 5);
  record->updated_by = column_dup (stmt, 6);
  record->updated_at = column_dup (stmt, 7);
  return record;
}

#define RECORD_COLUMNS \
  "kind, id, version, deleted, fields_json, field_versions_json, updated_by, updated_at"

static GPtrArray *
records_from_stmt (sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_server_record_free);
  GError *local = NULL;

  while (step_row (stmt, &local))
    g_ptr_array_add (records, record_from_row (stmt));
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&records);
}

static gboolean
sqlite_begin (CrmServerStorage  *storage,
              const char        *company_id,
              gint64            *seq,
              GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = NULL;
  GError *local = NULL;

  if (self->in_transaction)
    {
      g_set_error_literal (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                           "a write is open already");
      return FALSE;
    }
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = cached (self, "SELECT seq FROM companies WHERE id = ?1", error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, company_id);
      if (step_row (stmt, &local))
        {
          if (seq != NULL)
            *seq = sqlite3_column_int64 (stmt, 0);
          self->in_transaction = TRUE;
          return TRUE;
        }
      if (local != NULL)
        g_propagate_error (error, local);
      else
        set_not_found (error, _("No such company"));
    }
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
sqlite_end (CrmServerStorage  *storage,
            gboolean           commit,
            GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);

  if (!self->in_transaction)
    {
      g_set_error_literal (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                           "no write is open");
      return FALSE;
    }
  self->in_transaction = FALSE;
  if (!commit)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return TRUE;
    }
  return write_end (self, TRUE, error);
}

static char *
sqlite_find_result (CrmServerStorage  *storage,
                    const char        *company_id,
                    const char        *client_id,
                    const char        *mutation_id,
                    GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = cached (self, "SELECT result_json FROM mutations "
                                                 "WHERE company_id = ?1 AND client_id = ?2 "
                                                 "  AND mutation_id = ?3", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, company_id);
  bind_text (stmt, 2, client_id);
  bind_text (stmt, 3, mutation_id);
  if (step_row (stmt, error))
    return column_dup (stmt, 0);
  return NULL;
}

static gboolean
sqlite_put_result (CrmServerStorage  *storage,
                   const char        *company_id,
                   const char        *client_id,
                   const char        *mutation_id,
                   const char        *result_json,
                   GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = cached (self, "INSERT INTO mutations (company_id, client_id, "
                                                 "  mutation_id, result_json) "
                                                 "VALUES (?1, ?2, ?3, ?4)", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, company_id);
  bind_text (stmt, 2, client_id);
  bind_text (stmt, 3, mutation_id);
  bind_text (stmt, 4, result_json);
  return step_done (stmt, error);
}

static CrmServerRecord *
sqlite_get_record (CrmServerStorage  *storage,
                   const char        *company_id,
                   const char        *kind,
                   const char        *id,
                   GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = cached (self, "SELECT " RECORD_COLUMNS " FROM records "
                                                 "WHERE company_id = ?1 AND kind = ?2 "
                                                 "  AND id = ?3", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, company_id);
  bind_text (stmt, 2, kind);
  bind_text (stmt, 3, id);
  if (step_row (stmt, error))
    return record_from_row (stmt);
  return NULL;
}

static gboolean
sqlite_put_record (CrmServerStorage       *storage,
                   const char             *company_id,
                   const CrmServerRecord  *record,
                   GError                **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = NULL;
  g_autoptr (CrmCachedStmt) seq = NULL;
  g_autofree char *now = NULL;
  gboolean ok;

  stmt = cached (self, "INSERT INTO records (company_id, kind, id, version, deleted, "
                       "  fields_json, field_versions_json, updated_by, updated_at) "
                       "SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM companies "
                       "WHERE id = ?1 "
                       "ON CONFLICT (company_id, kind, id) DO UPDATE SET "
                       "  version = excluded.version, deleted = excluded.deleted, "
                       "  fields_json = excluded.fields_json, "
                       "  field_versions_json = excluded.field_versions_json, "
                       "  updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                  error);
  seq = cached (self, "UPDATE companies SET seq = MAX (seq, ?2) WHERE id = ?1", error);
  if (stmt == NULL || seq == NULL)
    return FALSE;
  if (record->updated_at == NULL)
    now = now_iso ();
  if (!write_begin (self, error))
    return FALSE;
  bind_text (stmt, 1, company_id);
  bind_text (stmt, 2, record->kind);
  bind_text (stmt, 3, record->id);
  sqlite3_bind_int64 (stmt, 4, record->version);
  sqlite3_bind_int (stmt, 5, record->deleted ? 1 : 0);
  bind_text (stmt, 6, record->fields_json ? record->fields_json : "{}");
  bind_text (stmt, 7, record->field_versions_json ? record->field_versions_json : "{}");
  bind_text (stmt, 8, record->updated_by);
  bind_text (stmt, 9, record->updated_at ? record->updated_at : now);
  ok = step_done (stmt, error);
  if (ok && sqlite3_changes (self->db) == 0)
    {
      set_not_found (error, _("No such company"));
      ok = FALSE;
    }
  if (ok)
    {
      bind_text (seq, 1, company_id);
      sqlite3_bind_int64 (seq, 2, record->version);
      ok = step_done (seq, error);
    }
  return write_end (self, ok, error);
}

static GPtrArray *
sqlite_pull (CrmServerStorage  *storage,
             const char        *company_id,
             gint64             cursor,
             guint              limit,
             GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = cached (self, "SELECT " RECORD_COLUMNS " FROM records "
                                                 "WHERE company_id = ?1 AND version > ?2 "
                                                 "ORDER BY version LIMIT ?3", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, company_id);
  sqlite3_bind_int64 (stmt, 2, cursor);
  sqlite3_bind_int64 (stmt, 3, limit);
  return records_from_stmt (stmt, error);
}

static GPtrArray *
sqlite_find_records (CrmServerStorage  *storage,
                     const char        *company_id,
                     const char        *kind,
                     const char        *field,
                     const char        *value,
                     GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;

  /* the path is literal so that records_by_contact serves contact_id */
  sql = g_strdup_printf ("SELECT " RECORD_COLUMNS " FROM records "
                         "WHERE company_id = ?1 AND kind = ?2 "
                         "  AND json_extract (fields_json, '$.%s') = ?3 "
                         "ORDER BY version", field);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, company_id);
  bind_text (stmt, 2, kind);
  bind_text (stmt, 3, value);
  return records_from_stmt (stmt, error);
}

static gboolean
sqlite_has_blob (CrmServerStorage  *storage,
                 const char        *company_id,
                 const char        *sha256,
                 gint64            *size,
                 GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (CrmCachedStmt) stmt = cached (self, "SELECT size FROM blobs "
                                                 "WHERE company_id = ?1 AND sha256 = ?2", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, company_id);
  bind_text (stmt, 2, sha256);
  if (!step_row (stmt, error))
    return FALSE;
  if (size != NULL)
    *size = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
sqlite_put_blob (CrmServerStorage  *storage,
                 const char        *company_id,
                 const char        *sha256,
                 GBytes            *data,
                 GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *now = now_iso ();
  gsize size = 0;
  const void *bytes = g_bytes_get_data (data, &size);

  stmt = prepare (self, "INSERT INTO blobs (company_id, sha256, data, size, created_at) "
                        "SELECT id, ?2, ?3, ?4, ?5 FROM companies WHERE id = ?1 "
                        "ON CONFLICT (company_id, sha256) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, company_id);
  bind_text (stmt, 2, sha256);
  sqlite3_bind_blob64 (stmt, 3, size ? bytes : "", size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, size);
  bind_text (stmt, 5, now);
  return step_done (stmt, error);
}

static GBytes *
sqlite_get_blob (CrmServerStorage  *storage,
                 const char        *company_id,
                 const char        *sha256,
                 GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "SELECT data FROM blobs "
                                                 "WHERE company_id = ?1 AND sha256 = ?2", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, company_id);
  bind_text (stmt, 2, sha256);
  if (!step_found (stmt, "No such blob", error))
    return NULL;
  return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
}

static GPtrArray *
sqlite_list_blobs (CrmServerStorage  *storage,
                   const char        *company_id,
                   GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "SELECT sha256 FROM blobs "
                                                 "WHERE company_id = ?1 ORDER BY sha256", error);
  g_autoptr (GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  GError *local = NULL;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, company_id);
  while (step_row (stmt, &local))
    g_ptr_array_add (hashes, column_dup (stmt, 0));
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&hashes);
}

static gboolean
sqlite_add_notice (CrmServerStorage       *storage,
                   const CrmServerNotice  *notice,
                   GError                **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *id = notice->id ? NULL : g_uuid_string_random ();
  g_autofree char *now = notice->published_at ? NULL : now_iso ();

  stmt = prepare (self, "INSERT INTO notices (id, kind, title, body, published_at, "
                        "  effective_at, terms_version) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, notice->id ? notice->id : id);
  bind_text (stmt, 2, notice->kind);
  bind_text (stmt, 3, notice->title);
  bind_text (stmt, 4, notice->body);
  bind_text (stmt, 5, notice->published_at ? notice->published_at : now);
  bind_text (stmt, 6, notice->effective_at);
  bind_text (stmt, 7, notice->terms_version);
  return step_done (stmt, error);
}

static GPtrArray *
sqlite_list_notices (CrmServerStorage  *storage,
                     GError           **error)
{
  CrmServerSqlite *self = CRM_SERVER_SQLITE (storage);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) notices = NULL;
  GError *local = NULL;

  stmt = prepare (self, "SELECT id, kind, title, body, published_at, effective_at, "
                        "  terms_version FROM notices "
                        "ORDER BY published_at DESC, rowid DESC", error);
  if (stmt == NULL)
    return NULL;
  notices = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_server_notice_free);
  while (step_row (stmt, &local))
    {
      CrmServerNotice *notice = g_new0 (CrmServerNotice, 1);

      notice->id = column_dup (stmt, 0);
      notice->kind = column_dup (stmt, 1);
      notice->title = column_dup (stmt, 2);
      notice->body = column_dup (stmt, 3);
      notice->published_at = column_dup (stmt, 4);
      notice->effective_at = column_dup (stmt, 5);
      notice->terms_version = column_dup (stmt, 6);
      g_ptr_array_add (notices, notice);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&notices);
}

void
_crm_server_sqlite_records_init (CrmServerStorageInterface *iface)
{
  iface->begin = sqlite_begin;
  iface->end = sqlite_end;
  iface->find_result = sqlite_find_result;
  iface->put_result = sqlite_put_result;
  iface->get_record = sqlite_get_record;
  iface->put_record = sqlite_put_record;
  iface->pull = sqlite_pull;
  iface->find_records = sqlite_find_records;
  iface->has_blob = sqlite_has_blob;
  iface->put_blob = sqlite_put_blob;
  iface->get_blob = sqlite_get_blob;
  iface->list_blobs = sqlite_list_blobs;
  iface->add_notice = sqlite_add_notice;
  iface->list_notices = sqlite_list_notices;
}
