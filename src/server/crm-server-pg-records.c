/* crm-server-pg-records.c — the PostgreSQL backend's writes and its change
 * feed: begin/end, the results of mutations, records, pull, blobs, notices
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The records' part of the backend (crm-server-pg.c has the schema,
 * companies, users and tokens; split to keep each file short). Every
 * statement has the company id in its WHERE or its primary key.
 *
 * The change feed stays gap-free for readers while several processes
 * write: begin () locks the company's row (SELECT … FOR NO KEY UPDATE,
 * READ COMMITTED) until end (), so the writers of one company take their
 * turns across processes, each sees the seq its predecessor committed, and
 * a change numbered n is committed before n + 1 is even assigned — a pull
 * can never see n + 1 without n. (NO KEY UPDATE rather than UPDATE: the
 * foreign keys of tokens and blobs that others insert meanwhile only need
 * KEY SHARE on that row, so a login or an upload does not wait for a push.)
 * The same lock makes a push idempotent across processes: the second one
 * waits, then finds the first one's results.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-server-pg-private.h"

static CrmServerRecord *
record_from_row (PGresult *result,
                 int       row)
{
  CrmServerRecord *record = g_new0 (CrmServerRecord, 1);

  record->kind = value_dup (result, row, 0);
  record->id = value_dup (result, row, 1);
  record->version = value_int64 (result, row, 2);
  record->deleted = value_bool (result, row, 3);
  record->fields_json = value_dup (result, row, 4);
  record->field_versions_json = value_dup (result, row, 5);
  record->updated_by = value_dup (result, row, 6);
  record->updated_at = value_dup (result, row, 7);
  return record;
}

#define RECORD_COLUMNS \
  "kind, id, version, deleted, fields_json, field_versions_json, updated_by, updated_at"

static GPtrArray *
records_from_result (PGresult *result)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_server_record_free);

  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (records, record_from_row (result, i));
  return records;
}

static gboolean
pg_begin (CrmServerStorage  *storage,
          const char        *company_id,
          gint64            *seq,
          GError           **error)
{
  CrmServerPg *self = CRM_SERVER_PG (storage);
  const char *params[] = { company_id };
  g_autoptr (PGresult) result = NULL;

  if (self->in_transaction)
    {
      g_set_error_literal (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                           "a write is open already");
      return FALSE;
    }
  if (!_crm_server_pg_begin_sql (self, error))
    return FALSE;
  result = query (self, "SELECT seq FROM companies WHERE id = $1 FOR NO KEY UPDATE",
                  1, params, error);
  if (result != NULL && PQntuples (result) == 1)
    {
      if (seq != NULL)
        *seq = value_int64 (result, 0, 0);
      self->in_transaction = TRUE;
      return TRUE;
    }
  if (result != NULL)
    set_not_found (error, _("No such company"));
  _crm_server_pg_rollback (self);
  return FALSE;
}

static gboolean
pg_end (CrmServerStorage  *storage,
        gboolean           commit,
        GError           **error)
{
  CrmServerPg *self = CRM_SERVER_PG (storage);

  if (!self->in_transaction)
    {
      g_set_error_literal (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                           "no write is open");
      return FALSE;
    }
  self->in_transaction = FALSE;
  if (!commit)
    {
      _crm_server_pg_rollback (self);
      return TRUE;
    }
  /* a connection lost during the write: UNAVAILABLE (the database rolled
   * it back) */
  return _crm_server_pg_commit (self, error);
}

static char *
pg_find_result (CrmServerStorage  *storage,
                const char        *company_id,
                const char        *client_id,
                const char        *mutation_id,
                GError           **error)
{
  const char *params[] = { company_id, client_id, mutation_id };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT result_json FROM mutations "
                                       "WHERE company_id = $1 AND client_id = $2 "
                                       "  AND mutation_id = $3", 3, params, error);

  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return value_dup (result, 0, 0);
}

static gboolean
pg_put_result (CrmServerStorage  *storage,
               const char        *company_id,
               const char        *client_id,
               const char        *mutation_id,
               const char        *result_json,
               GError           **error)
{
  const char *params[] = { company_id, client_id, mutation_id, result_json };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "INSERT INTO mutations (company_id, client_id, "
                                       "  mutation_id, result_json) "
                                       "VALUES ($1, $2, $3, $4)", 4, params, error);

  return result != NULL;
}

static CrmServerRecord *
pg_get_record (CrmServerStorage  *storage,
               const char        *company_id,
               const char        *kind,
               const char        *id,
               GError           **error)
{
  const char *params[] = { company_id, kind, id };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT " RECORD_COLUMNS " FROM records "
                                       "WHERE company_id = $1 AND kind = $2 AND id = $3",
                                       3, params, error);

  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return record_from_row (result, 0);
}

/* one statement, so atomic outside begin/end too: the company's seq moves
 * forward, and the record goes in only when the company exists */
static gboolean
pg_put_record (CrmServerStorage       *storage,
               const char             *company_id,
               const CrmServerRecord  *record,
               GError                **error)
{
  g_autofree char *now = record->updated_at == NULL ? now_iso () : NULL;
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, record->version);
  const char *params[] = {
    company_id, record->kind, record->id, version, record->deleted ? "t" : "f",
    record->fields_json ? record->fields_json : "{}",
    record->field_versions_json ? record->field_versions_json : "{}",
    record->updated_by, record->updated_at ? record->updated_at : now,
  };
  g_autoptr (PGresult) result = NULL;

  result = query (CRM_SERVER_PG (storage),
                  "WITH company AS ("
                  "  UPDATE companies SET seq = GREATEST (seq, $4::bigint) WHERE id = $1 "
                  "  RETURNING id) "
                  "INSERT INTO records (company_id, kind, id, version, deleted, "
                  "  fields_json, field_versions_json, updated_by, updated_at) "
                  "SELECT id, $2::text, $3::text, $4::bigint, $5::boolean, $6::text, "
                  "  $7::text, $8::text, $9::text FROM company "
                  "ON CONFLICT (company_id, kind, id) DO UPDATE SET "
                  "  version = excluded.version, deleted = excluded.deleted, "
                  "  fields_json = excluded.fields_json, "
                  "  field_versions_json = excluded.field_versions_json, "
                  "  updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                  G_N_ELEMENTS (params), params, error);
  if (result == NULL)
    return FALSE;
  if (changes (result) == 0)
    {
      set_not_found (error, _("No such company"));
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
pg_pull (CrmServerStorage  *storage,
         const char        *company_id,
         gint64             cursor,
         guint              limit,
         GError           **error)
{
  g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);
  g_autofree char *count = g_strdup_printf ("%u", limit);
  const char *params[] = { company_id, after, count };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT " RECORD_COLUMNS " FROM records "
                                       "WHERE company_id = $1 AND version > $2::bigint "
                                       "ORDER BY version LIMIT $3::bigint", 3, params, error);

  return result != NULL ? records_from_result (result) : NULL;
}

static GPtrArray *
pg_find_records (CrmServerStorage  *storage,
                 const char        *company_id,
                 const char        *kind,
                 const char        *field,
                 const char        *value,
                 GError           **error)
{
  const char *params[] = { company_id, kind, value };
  g_autoptr (PGresult) result = NULL;
  g_autofree char *sql = NULL;

  /* the name is literal so that records_by_contact serves contact_id */
  sql = g_strdup_printf ("SELECT " RECORD_COLUMNS " FROM records "
                         "WHERE company_id = $1 AND kind = $2 "
                         "  AND (fields_json::json ->> '%s') = $3 "
                         "ORDER BY version", field);
  result = query (CRM_SERVER_PG (storage), sql, 3, params, error);
  return result != NULL ? records_from_result (result) : NULL;
}

static gboolean
pg_has_blob (CrmServerStorage  *storage,
             const char        *company_id,
             const char        *sha256,
             gint64            *size,
             GError           **error)
{
  const char *params[] = { company_id, sha256 };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT size FROM blobs "
                                       "WHERE company_id = $1 AND sha256 = $2",
                                       2, params, error);

  if (result == NULL || PQntuples (result) == 0)
    return FALSE;
  if (size != NULL)
    *size = value_int64 (result, 0, 0);
  return TRUE;
}

static gboolean
pg_put_blob (CrmServerStorage  *storage,
             const char        *company_id,
             const char        *sha256,
             GBytes            *data,
             GError           **error)
{
  g_autofree char *now = now_iso ();
  gsize size = 0;
  const char *bytes = g_bytes_get_data (data, &size);
  g_autofree char *size_text = g_strdup_printf ("%" G_GSIZE_FORMAT, size);
  const char *params[] = { company_id, sha256, size ? bytes : "", size_text, now };
  const int lengths[] = { 0, 0, (int) size, 0, 0 };
  const int formats[] = { 0, 0, 1, 0, 0 };
  g_autoptr (PGresult) result = NULL;

  if (size > G_MAXINT)
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   "put_blob: %" G_GSIZE_FORMAT " bytes is too large", size);
      return FALSE;
    }
  result = _crm_server_pg_run (CRM_SERVER_PG (storage),
                               "INSERT INTO blobs (company_id, sha256, data, size, created_at) "
                               "SELECT id, $2::text, $3::bytea, $4::bigint, $5::text "
                               "FROM companies WHERE id = $1 "
                               "ON CONFLICT (company_id, sha256) DO NOTHING",
                               G_N_ELEMENTS (params), params, lengths, formats, 0, error);
  return result != NULL;
}

static GBytes *
pg_get_blob (CrmServerStorage  *storage,
             const char        *company_id,
             const char        *sha256,
             GError           **error)
{
  const char *params[] = { company_id, sha256 };
  g_autoptr (PGresult) result = NULL;

  /* binary results: the bytes as they are, no hex to decode */
  result = _crm_server_pg_run (CRM_SERVER_PG (storage),
                               "SELECT data FROM blobs WHERE company_id = $1 AND sha256 = $2",
                               2, params, NULL, NULL, 1, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      set_not_found (error, "No such blob");
      return NULL;
    }
  return g_bytes_new (PQgetvalue (result, 0, 0), PQgetlength (result, 0, 0));
}

static GPtrArray *
pg_list_blobs (CrmServerStorage  *storage,
               const char        *company_id,
               GError           **error)
{
  const char *params[] = { company_id };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT sha256 FROM blobs WHERE company_id = $1 "
                                       "ORDER BY sha256 COLLATE \"C\"", 1, params, error);
  GPtrArray *hashes;

  if (result == NULL)
    return NULL;
  hashes = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (hashes, value_dup (result, i, 0));
  return hashes;
}

static gboolean
pg_add_notice (CrmServerStorage       *storage,
               const CrmServerNotice  *notice,
               GError                **error)
{
  g_autofree char *id = notice->id ? NULL : g_uuid_string_random ();
  g_autofree char *now = notice->published_at ? NULL : now_iso ();
  const char *params[] = {
    notice->id ? notice->id : id, notice->kind, notice->title, notice->body,
    notice->published_at ? notice->published_at : now, notice->effective_at,
    notice->terms_version,
  };
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "INSERT INTO notices (id, kind, title, body, "
                                       "  published_at, effective_at, terms_version) "
                                       "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                       G_N_ELEMENTS (params), params, error);

  return result != NULL;
}

static GPtrArray *
pg_list_notices (CrmServerStorage  *storage,
                 GError           **error)
{
  g_autoptr (PGresult) result = query (CRM_SERVER_PG (storage),
                                       "SELECT id, kind, title, body, published_at, "
                                       "  effective_at, terms_version FROM notices "
                                       "ORDER BY published_at COLLATE \"C\" DESC, n DESC",
                                       0, NULL, error);
  GPtrArray *notices;

  if (result == NULL)
    return NULL;
  notices = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_server_notice_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      CrmServerNotice *notice = g_new0 (CrmServerNotice, 1);

      notice->id = value_dup (result, i, 0);
      notice->kind = value_dup (result, i, 1);
      notice->title = value_dup (result, i, 2);
      notice->body = value_dup (result, i, 3);
      notice->published_at = value_dup (result, i, 4);
      notice->effective_at = value_dup (result, i, 5);
      notice->terms_version = value_dup (result, i, 6);
      g_ptr_array_add (notices, notice);
    }
  return notices;
}

void
_crm_server_pg_records_init (CrmServerStorageInterface *iface)
{
  iface->begin = pg_begin;
  iface->end = pg_end;
  iface->find_result = pg_find_result;
  iface->put_result = pg_put_result;
  iface->get_record = pg_get_record;
  iface->put_record = pg_put_record;
  iface->pull = pg_pull;
  iface->find_records = pg_find_records;
  iface->has_blob = pg_has_blob;
  iface->put_blob = pg_put_blob;
  iface->get_blob = pg_get_blob;
  iface->list_blobs = pg_list_blobs;
  iface->add_notice = pg_add_notice;
  iface->list_notices = pg_list_notices;
}
