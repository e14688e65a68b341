/* crm-store-export.c — the store's side of "your data out": reading every
 * record in a stream, loading an archive into an empty store, deleting all
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The exporters (src/io) read records one at a time on a read-only
 * connection of their own inside one read transaction: a consistent
 * snapshot, safe on a worker thread while the app keeps writing, and no
 * 100k objects alive at once (crm_store_foreach_contact/deal).
 *
 * The archive (crm-archive.c) carries rows as they are stored, column by
 * column, so that loading it gives back the same records, ids, timestamps
 * and server versions included: crm_store_dump() and the loader name
 * the same columns (the tables below), and the loader refuses any other.
 * The dump is one snapshot of every table, so its deals' contacts are in it.
 * Only live records are carried (tombstones are the sync's business); the
 * sort key is made again from the name, as every write does. Rows the
 * server already has (server_version > 0) are not queued for sync again;
 * the others are, as any new record is.
 *
 * Follow-ups are carried whatever their contact (a pulled one may have come
 * before its contact; every read joins the live contact anyway).
 *
 * Deleting all the data removes every record, the search index, the sync
 * outbox, its cursor and the company signed in to, the conflicts, the
 * certification and the blobs, then VACUUMs (with secure_delete on and the
 * WAL truncated) so the deleted text is not left in free pages. The terms
 * acceptance stays: it records what the person agreed to, not their data,
 * and deleting data does not revoke it (the app would otherwise ask again
 * at once, with nothing to protect).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-contact-private.h"
#include "crm-store-private.h"
#include "crm-validate.h"

/* Each table's carried columns, in order: 's' text, 'S' text or null,
 * 'i' integer, 'I' integer or null. */
typedef struct
{
  const char *name;
  const char *type;
} CrmColumn;

static const CrmColumn contact_columns[] = {
  { "id", "s" }, { "name", "s" }, { "company", "s" }, { "title", "s" },
  { "mobile", "s" }, { "phone", "s" }, { "email", "s" }, { "wechat", "s" },
  { "address", "s" }, { "tags", "s" }, { "notes", "s" }, { "owner", "s" },
  { "created_at", "s" }, { "updated_at", "s" }, { "server_version", "i" },
  { NULL, NULL }
};

static const CrmColumn deal_columns[] = {
  { "id", "s" }, { "title", "s" }, { "contact_id", "S" }, { "amount_fen", "i" },
  { "currency", "s" }, { "stage", "s" }, { "probability", "i" },
  { "expected_close", "S" }, { "lost_reason", "s" }, { "notes", "s" },
  { "position", "i" }, { "won_at", "S" }, { "created_at", "s" }, { "updated_at", "s" },
  { "server_version", "i" },
  { NULL, NULL }
};

/* snoozed_until too: a restore on this computer keeps its reminders */
static const CrmColumn followup_columns[] = {
  { "id", "s" }, { "contact_id", "s" }, { "deal_id", "S" }, { "happened_at", "s" },
  { "kind", "s" }, { "notes", "s" }, { "next_step", "s" }, { "next_at", "S" },
  { "done_at", "S" }, { "snoozed_until", "S" }, { "created_at", "s" }, { "updated_at", "s" },
  { "server_version", "i" },
  { NULL, NULL }
};

static const CrmColumn certification_columns[] = {
  { "company_name", "s" }, { "uscc", "s" }, { "legal_representative", "s" },
  { "address", "s" }, { "license_sha256", "S" }, { "license_mime_type", "S" },
  { "license_name", "S" }, { "license_size", "I" }, { "status", "s" },
  { "reject_reason", "s" }, { "updated_at", "s" }, { "server_version", "i" },
  { NULL, NULL }
};

static const CrmColumn blob_columns[] = {
  { "sha256", "s" }, { "mime_type", "s" }, { "size", "i" }, { "created_at", "s" },
  { NULL, NULL }
};

static const CrmColumn terms_columns[] = {
  { "version", "s" }, { "language", "s" }, { "accepted_at", "s" },
  { NULL, NULL }
};

typedef struct
{
  const char      *table;
  const char      *where;     /* which rows are carried */
  const char      *order;
  const CrmColumn *columns;
} CrmTableSpec;

static const CrmTableSpec table_specs[CRM_STORE_N_TABLES] = {
  [CRM_STORE_TABLE_CONTACTS] = { "contacts", "deleted = 0", "local_id", contact_columns },
  [CRM_STORE_TABLE_DEALS] = { "deals", "deleted = 0", "local_id", deal_columns },
  [CRM_STORE_TABLE_FOLLOWUPS] = { "followups", "deleted = 0", "local_id", followup_columns },
  [CRM_STORE_TABLE_CERTIFICATION] = { "certification", "1", "id", certification_columns },
  [CRM_STORE_TABLE_BLOBS] = { "blobs", "1", "sha256", blob_columns },
  [CRM_STORE_TABLE_TERMS] = { "terms_acceptance", "1", "rowid", terms_columns },
};

struct _CrmStoreLoader
{
  CrmStore     *store;
  sqlite3_stmt *insert[CRM_STORE_N_TABLES];
  guint         n[CRM_STORE_N_TABLES];
};

/* a read-only connection in a read transaction: one snapshot */
static sqlite3 *
open_snapshot (CrmStore  *self,
               GError   **error)
{
  sqlite3 *db = _crm_store_open_reader (self, error);

  if (db != NULL && !_crm_store_exec (db, "BEGIN", error))
    {
      sqlite3_close_v2 (db);
      return NULL;
    }
  return db;
}

static void
close_snapshot (sqlite3 *db)
{
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close_v2 (db);
}

static gboolean
count_rows (sqlite3     *db,
            const char  *sql,
            guint       *n,
            GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = _crm_store_prepare (db, sql, 0, _("Cannot read the data"),
                                                      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _crm_store_set_error (error, db, rc, _("Cannot read the data"));
  *n = (guint)sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
check_cancelled (GCancellable  *cancellable,
                 GError       **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      return TRUE;
    }
  return FALSE;
}

/* steps @stmt, handing each row to @row_func; the snapshot's own loop */
typedef gboolean (*RowFunc) (sqlite3_stmt *stmt,
                             guint         index,
                             guint         total,
                             gpointer      data,
                             GError      **error);

static gboolean
step_all (sqlite3       *db,
          const char    *count_sql,
          const char    *sql,
          RowFunc        row_func,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint total = 0, index = 0;
  int rc;

  if (!count_rows (db, count_sql, &total, error))
    return FALSE;
  stmt = _crm_store_prepare (db, sql, 0, _("Cannot read the data"), error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if ((index & 255) == 0 && check_cancelled (cancellable, error))
        return FALSE;
      if (!row_func (stmt, index, total, data, error))
        return FALSE;
      index++;
    }
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, db, rc, _("Cannot read the data"));
  return TRUE;
}

/* step_all() in a snapshot of its own */
static gboolean
step_snapshot (CrmStore      *self,
               const char    *count_sql,
               const char    *sql,
               RowFunc        row_func,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  sqlite3 *db = open_snapshot (self, error);
  gboolean ok;

  if (db == NULL)
    return FALSE;
  ok = step_all (db, count_sql, sql, row_func, data, cancellable, error);
  close_snapshot (db);
  return ok;
}

typedef struct
{
  CrmStoreContactFunc contact_func;
  CrmStoreDealFunc    deal_func;
  gpointer            user_data;
} ForeachData;

static gboolean
contact_row (sqlite3_stmt  *stmt,
             guint          index,
             guint          total,
             gpointer       data,
             GError       **error)
{
  ForeachData *fd = data;
  g_autoptr (CrmContact) contact = _crm_store_contact_from_row (stmt);

  return fd->contact_func (contact, index, total, fd->user_data, error);
}

static gboolean
deal_row (sqlite3_stmt  *stmt,
          guint          index,
          guint          total,
          gpointer       data,
          GError       **error)
{
  ForeachData *fd = data;
  g_autoptr (CrmDeal) deal = _crm_store_deal_from_row (stmt);

  return fd->deal_func (deal, index, total, fd->user_data, error);
}

/**
 * crm_store_foreach_contact:
 * @func: called with each live contact in the list's order, one at a time
 *   (the object is released after the call); returns %FALSE with an error to stop
 * @cancellable: (nullable): checked every 256 rows
 *
 * Reads on a connection of its own, in one snapshot: callable from any thread.
 */
gboolean
crm_store_foreach_contact (CrmStore             *self,
                           CrmStoreContactFunc   func,
                           gpointer              user_data,
                           GCancellable         *cancellable,
                           GError              **error)
{
  ForeachData fd = { func, NULL, user_data };

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return step_snapshot (self, "SELECT count(*) FROM contacts WHERE deleted = 0",
                        "SELECT " CRM_CONTACT_COLUMNS " FROM contacts WHERE deleted = 0"
                        " ORDER BY sort_key, id",
                        contact_row, &fd, cancellable, error);
}

/**
 * crm_store_foreach_deal:
 *
 * As crm_store_foreach_contact(), for the live deals in the order they were
 * made (each with its contact's name).
 */
gboolean
crm_store_foreach_deal (CrmStore          *self,
                        CrmStoreDealFunc   func,
                        gpointer           user_data,
                        GCancellable      *cancellable,
                        GError           **error)
{
  ForeachData fd = { NULL, func, user_data };

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return step_snapshot (self, "SELECT count(*) FROM deals WHERE deleted = 0",
                        "SELECT " CRM_DEAL_COLUMNS " FROM " CRM_DEAL_FROM
                        " WHERE d.deleted = 0 ORDER BY d.local_id",
                        deal_row, &fd, cancellable, error);
}

static char *
columns_sql (const CrmColumn *columns)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; columns[i].name != NULL; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", columns[i].name);
  return g_string_free (s, FALSE);
}

typedef struct
{
  CrmStoreTable    table;
  const CrmColumn *columns;
  CrmStoreRowFunc  func;
  gpointer         user_data;
} DumpData;

static gboolean
dump_row (sqlite3_stmt  *stmt,
          guint          index,
          guint          total,
          gpointer       data,
          GError       **error)
{
  DumpData *dd = data;
  g_autoptr (JsonObject) row = json_object_new ();
  g_autoptr (GBytes) content = NULL;
  int n = 0;

  for (int i = 0; dd->columns[i].name != NULL; i++)
    {
      const char *name = dd->columns[i].name;

      if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
        json_object_set_null_member (row, name);
      else if (g_ascii_tolower (dd->columns[i].type[0]) == 'i')
        json_object_set_int_member (row, name, sqlite3_column_int64 (stmt, i));
      else
        json_object_set_string_member (row, name, (const char *)sqlite3_column_text (stmt, i));
      n++;
    }
  if (dd->table == CRM_STORE_TABLE_BLOBS)   /* the content, after the columns */
    content = g_bytes_new (sqlite3_column_blob (stmt, n), sqlite3_column_bytes (stmt, n));
  return dd->func (dd->table, row, content, index, total, dd->user_data, error);
}

/**
 * crm_store_dump:
 * @func: called with each carried row of each table, as a JSON object of
 *   its columns (and a blob's content), the tables in the order a load
 *   needs them (CrmStoreTable)
 *
 * The rows an archive carries, as stored (live records only), all in one
 * snapshot on a connection of its own: callable from any thread.
 */
gboolean
crm_store_dump (CrmStore          *self,
                CrmStoreRowFunc    func,
                gpointer           user_data,
                GCancellable      *cancellable,
                GError           **error)
{
  gboolean ok = TRUE;
  sqlite3 *db;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  db = open_snapshot (self, error);
  if (db == NULL)
    return FALSE;
  for (CrmStoreTable table = 0; ok && table < CRM_STORE_N_TABLES; table++)
    {
      const CrmTableSpec *spec = &table_specs[table];
      DumpData dd = { table, spec->columns, func, user_data };
      g_autofree char *columns = columns_sql (spec->columns);
      g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s",
                                                    spec->table, spec->where);
      g_autofree char *sql = g_strdup_printf ("SELECT %s%s FROM %s WHERE %s ORDER BY %s",
                                              columns,
                                              table == CRM_STORE_TABLE_BLOBS ? ", data" : "",
                                              spec->table, spec->where, spec->order);

      ok = step_all (db, count_sql, sql, dump_row, &dd, cancellable, error);
    }
  close_snapshot (db);
  return ok;
}

/* the columns of a follow-up for people (crm_store_foreach_followup_row()) */
static const CrmColumn followup_row_columns[] = {
  { "id", "s" }, { "contact_id", "s" }, { "contact_name", "s" }, { "deal_id", "S" },
  { "deal_title", "S" }, { "happened_at", "s" }, { "kind", "s" }, { "notes", "s" },
  { "next_step", "s" }, { "next_at", "S" }, { "done_at", "S" }, { "created_at", "s" },
  { "updated_at", "s" },
  { NULL, NULL }
};

#define FOLLOWUP_ROWS_FROM \
  " FROM followups f JOIN contacts c ON c.id = f.contact_id AND c.deleted = 0" \
  " LEFT JOIN deals d ON d.id = f.deal_id AND d.deleted = 0 WHERE f.deleted = 0"

/**
 * crm_store_foreach_followup_row:
 * @func: called with each row (see crm-store.h) in one snapshot
 *
 * What an export of follow-ups shows: each with its contact's name and its
 * deal's title, as the timeline does, on a connection of its own (any
 * thread). Rows rather than objects: the exporter reads them as cells.
 */
gboolean
crm_store_foreach_followup_row (CrmStore         *self,
                                CrmStoreRowFunc   func,
                                gpointer          user_data,
                                GCancellable     *cancellable,
                                GError          **error)
{
  DumpData dd = { CRM_STORE_TABLE_FOLLOWUPS, followup_row_columns, func, user_data };

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return step_snapshot (self, "SELECT count(*)" FOLLOWUP_ROWS_FROM,
                        "SELECT f.id, f.contact_id, c.name, f.deal_id, d.title, f.happened_at,"
                        " f.kind, f.notes, f.next_step, f.next_at, f.done_at, f.created_at,"
                        " f.updated_at" FOLLOWUP_ROWS_FROM
                        " ORDER BY f.happened_at DESC, f.local_id",
                        dump_row, &dd, cancellable, error);
}

/**
 * crm_store_table_get_name:
 *
 * Returns: the table's name, as the archive's members are named
 */
const char *
crm_store_table_get_name (CrmStoreTable table)
{
  g_return_val_if_fail (table < CRM_STORE_N_TABLES, NULL);
  return table_specs[table].table;
}

static gboolean
store_is_empty (CrmStore  *self,
                GError   **error)
{
  static const char *const queries[] = {
    "SELECT count(*) FROM contacts",
    "SELECT count(*) FROM deals",
    "SELECT count(*) FROM followups",
    "SELECT count(*) FROM certification",
    "SELECT count(*) FROM blobs",
    "SELECT count(*) FROM outbox",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      guint n = 0;

      if (!count_rows (self->db, queries[i], &n, error))
        return FALSE;
      if (n > 0)
        {
          g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_EMPTY,
                               _("The data folder already holds data: an archive is "
                                 "imported only into an empty one (delete all the data "
                                 "first, or use another folder)"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
prepare_inserts (CrmStoreLoader  *loader,
                 GError         **error)
{
  for (guint t = 0; t < CRM_STORE_N_TABLES; t++)
    {
      const CrmTableSpec *spec = &table_specs[t];
      g_autofree char *columns = columns_sql (spec->columns);
      g_autoptr (GString) params = g_string_new (NULL);
      g_autofree char *sql = NULL;
      guint n = 0;

      for (; spec->columns[n].name != NULL; n++)
        g_string_append_printf (params, "%s?%u", n ? ", " : "", n + 1);
      if (t == CRM_STORE_TABLE_CONTACTS)
        sql = g_strdup_printf ("INSERT INTO contacts (%s, sort_key) VALUES (%s, ?%u)",
                               columns, params->str, n + 1);
      else if (t == CRM_STORE_TABLE_BLOBS)
        sql = g_strdup_printf ("INSERT INTO blobs (%s, data) VALUES (%s, ?%u)",
                               columns, params->str, n + 1);
      else if (t == CRM_STORE_TABLE_CERTIFICATION)
        sql = g_strdup_printf ("INSERT INTO certification (id, %s) VALUES (1, %s)",
                               columns, params->str);
      else
        sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)", spec->table, columns,
                               params->str);
      loader->insert[t] = _crm_store_prepare (loader->store->db, sql, 0,
                                              _("Cannot import the data"), error);
      if (loader->insert[t] == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
bad_row (GError     **error,
         const char  *table,
         guint        index,
         const char  *why)
{
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
               /* Translators: “contacts” record 12: the column “name” is missing */
               _("“%s” record %u: %s"), table, index + 1, why);
  return FALSE;
}

static gboolean
bind_row (CrmStoreLoader  *loader,
          CrmStoreTable    table,
          JsonObject      *row,
          GError         **error)
{
  const CrmTableSpec *spec = &table_specs[table];
  sqlite3_stmt *stmt = loader->insert[table];
  guint index = loader->n[table];
  guint n = 0;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  for (; spec->columns[n].name != NULL; n++)
    {
      const CrmColumn *c = &spec->columns[n];
      JsonNode *node = json_object_get_member (row, c->name);
      g_autofree char *why = NULL;

      if (node == NULL)
        why = g_strdup_printf (_("the column “%s” is missing"), c->name);
      else if (JSON_NODE_HOLDS_NULL (node) && g_ascii_isupper (c->type[0]))
        continue;   /* left NULL */
      else if (c->type[0] == 'i' || c->type[0] == 'I')
        {
          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
            sqlite3_bind_int64 (stmt, n + 1, json_node_get_int (node));
          else
            why = g_strdup_printf (_("the column “%s” is not a whole number"), c->name);
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        sqlite3_bind_text (stmt, n + 1, json_node_get_string (node), -1, SQLITE_TRANSIENT);
      else
        why = g_strdup_printf (_("the column “%s” is not text"), c->name);
      if (why != NULL)
        return bad_row (error, spec->table, index, why);
    }
  if (json_object_get_size (row) != n)
    return bad_row (error, spec->table, index, _("it has columns this version does not know"));
  return TRUE;
}

static gboolean
step_insert (CrmStoreLoader  *loader,
             CrmStoreTable    table,
             GError         **error)
{
  int rc = sqlite3_step (loader->insert[table]);

  if (rc != SQLITE_DONE)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” record %u cannot be imported"),
                                               table_specs[table].table,
                                               loader->n[table] + 1);
      sqlite3_reset (loader->insert[table]);
      return _crm_store_set_error (error, loader->store->db, rc, what);
    }
  sqlite3_reset (loader->insert[table]);
  loader->n[table]++;
  return TRUE;
}

/* the contact of @row through the editor's rules */
static gboolean
check_contact (CrmStoreLoader  *loader,
               JsonObject      *row,
               char           **sort_key,
               GError         **error)
{
  g_autoptr (CrmContact) contact = crm_contact_new ();
  g_autoptr (GError) local_error = NULL;

  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    crm_contact_set_field (contact, i, json_object_get_string_member (row,
                           crm_contact_field_get_column (i)));
  if (!crm_validate_contact (contact, NULL, &local_error))
    return bad_row (error, "contacts", loader->n[CRM_STORE_TABLE_CONTACTS],
                    local_error->message);
  *sort_key = _crm_contact_make_sort_key (crm_contact_get_name (contact));
  return TRUE;
}

/* the follow-up of @row through the form's rules (the kind, the times, the
 * lengths); done_at and snoozed_until are the store's own: ISO 8601 times */
static gboolean
check_followup (CrmStoreLoader  *loader,
                JsonObject      *row,
                GError         **error)
{
  g_autoptr (CrmFollowup) followup = crm_followup_new ();
  g_autoptr (GError) local_error = NULL;
  const char *kind = json_object_get_string_member (row, "kind");
  const char *const times[] = { "done_at", "snoozed_until" };

  crm_followup_set_contact_id (followup, json_object_get_string_member (row, "contact_id"));
  crm_followup_set_deal_id (followup,
                            json_object_get_string_member_with_default (row, "deal_id", NULL));
  crm_followup_set_happened_at (followup, json_object_get_string_member (row, "happened_at"));
  crm_followup_set_kind (followup, crm_followup_kind_from_string (kind));
  /* an unknown kind reads as "other": refused here, not changed */
  if (g_strcmp0 (crm_followup_kind_to_string (crm_followup_get_kind (followup)), kind) != 0)
    return bad_row (error, "followups", loader->n[CRM_STORE_TABLE_FOLLOWUPS],
                    _("Choose how you followed up"));
  crm_followup_set_notes (followup, json_object_get_string_member (row, "notes"));
  crm_followup_set_next_step (followup, json_object_get_string_member (row, "next_step"));
  crm_followup_set_next_at (followup,
                            json_object_get_string_member_with_default (row, "next_at", NULL));
  if (!crm_followup_validate (followup, NULL, &local_error))
    return bad_row (error, "followups", loader->n[CRM_STORE_TABLE_FOLLOWUPS],
                    local_error->message);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      const char *time = json_object_get_string_member_with_default (row, times[i], NULL);
      g_autoptr (GDateTime) parsed = NULL;

      if (time == NULL)
        continue;
      if (strlen (time) <= 40)
        parsed = g_date_time_new_from_iso8601 (time, NULL);
      if (parsed == NULL)
        return bad_row (error, "followups", loader->n[CRM_STORE_TABLE_FOLLOWUPS],
                        _("Not a valid date and time"));
    }
  return TRUE;
}

/**
 * crm_store_loader_add_row:
 * @table: which table @row is of
 * @row: the row as crm_store_dump() gave it
 * @data: (nullable): a blob's content (%CRM_STORE_TABLE_BLOBS only), whose
 *   SHA-256 and size must be the row's
 *
 * Inserts one row as it was, in the load's transaction. Contacts must come
 * before their deals, a blob before the certification naming it.
 */
gboolean
crm_store_loader_add_row (CrmStoreLoader  *loader,
                          CrmStoreTable    table,
                          JsonObject      *row,
                          GBytes          *data,
                          GError         **error)
{
  const CrmTableSpec *spec;
  g_autofree char *sort_key = NULL;
  guint n = 0;

  g_return_val_if_fail (loader != NULL, FALSE);
  g_return_val_if_fail (table < CRM_STORE_N_TABLES, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  spec = &table_specs[table];
  while (spec->columns[n].name != NULL)
    n++;
  if (!bind_row (loader, table, row, error))
    return FALSE;
  if (table == CRM_STORE_TABLE_CONTACTS)
    {
      if (!check_contact (loader, row, &sort_key, error))
        return FALSE;
      sqlite3_bind_text (loader->insert[table], n + 1, sort_key, -1, SQLITE_TRANSIENT);
    }
  else if (table == CRM_STORE_TABLE_FOLLOWUPS && !check_followup (loader, row, error))
    return FALSE;
  else if (table == CRM_STORE_TABLE_BLOBS)
    {
      g_autofree char *sum = NULL;

      if (data == NULL)
        return bad_row (error, spec->table, loader->n[table], _("its content is missing"));
      sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
      if (g_strcmp0 (sum, json_object_get_string_member (row, "sha256")) != 0
          || (gint64)g_bytes_get_size (data) != json_object_get_int_member (row, "size"))
        return bad_row (error, spec->table, loader->n[table],
                        _("its content does not match its SHA-256 sum"));
      sqlite3_bind_blob64 (loader->insert[table], n + 1, g_bytes_get_data (data, NULL),
                           g_bytes_get_size (data), SQLITE_TRANSIENT);
    }
  return step_insert (loader, table, error);
}

/**
 * crm_store_loader_get_count:
 *
 * Returns: how many rows of @table were added so far
 */
guint
crm_store_loader_get_count (CrmStoreLoader *loader,
                            CrmStoreTable   table)
{
  g_return_val_if_fail (loader != NULL && table < CRM_STORE_N_TABLES, 0);
  return loader->n[table];
}

/**
 * crm_store_load_into_empty:
 * @func: adds the rows through crm_store_loader_add_row()
 *
 * Loads rows into the store if it holds no record, certification, blob or
 * pending change (%CRM_STORE_ERROR_NOT_EMPTY otherwise), all in one
 * transaction: when @func or any row fails nothing is kept.
 */
gboolean
crm_store_load_into_empty (CrmStore          *self,
                           CrmStoreLoadFunc   func,
                           gpointer           user_data,
                           GError           **error)
{
  CrmStoreLoader loader = { self };
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  ok = store_is_empty (self, error)
       && _crm_search_build_begin_bulk (self->db, FALSE, error)
       && prepare_inserts (&loader, error)
       && func (&loader, user_data, error);
  for (guint t = 0; t < CRM_STORE_N_TABLES; t++)
    g_clear_pointer (&loader.insert[t], sqlite3_finalize);
  /* what the server already has is not pushed back to it */
  ok = ok && _crm_store_exec (self->db,
                              "DELETE FROM outbox WHERE (kind = 'contact' AND record_id IN "
                              " (SELECT id FROM contacts WHERE server_version > 0))"
                              " OR (kind = 'deal' AND record_id IN"
                              " (SELECT id FROM deals WHERE server_version > 0))"
                              " OR (kind = 'followup' AND record_id IN"
                              " (SELECT id FROM followups WHERE server_version > 0))"
                              " OR (kind = 'certification' AND"
                              " (SELECT server_version FROM certification) > 0)",
                              error);
  if (!_crm_store_end (self, ok, ok ? error : NULL))
    ok = FALSE;
  if (ok)
    {
      g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACTS_RESET], 0);
      g_signal_emit (self, _crm_store_signals[CRM_STORE_DEALS_RESET], 0);
      g_signal_emit (self, _crm_store_signals[CRM_STORE_FOLLOWUPS_RESET], 0);
      /* the rows came without the search index: built in bulk now */
      if (self->depth == 0)
        _crm_search_build_after_bulk (self, FALSE);
    }
  return ok;
}

/* Deletes the certification even when certified: its lock is for edits, and
 * the trigger that enforces it is put back as it was, in the same
 * transaction. */
static gboolean
delete_certification (sqlite3  *db,
                      GError  **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *trigger = NULL;
  int rc;

  stmt = _crm_store_prepare (db, "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                             " AND name = 'certification_locked_delete'", 0,
                             _("Cannot delete the data"), error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    trigger = _crm_store_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, db, rc, _("Cannot delete the data"));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (trigger != NULL
      && !_crm_store_exec (db, "DROP TRIGGER certification_locked_delete", error))
    return FALSE;
  if (!_crm_store_exec (db, "DELETE FROM certification", error))
    return FALSE;
  return trigger == NULL || _crm_store_exec (db, trigger, error);
}

/* every row Delete All deletes (the top of the file), in @db's transaction */
static gboolean
delete_rows (sqlite3  *db,
             GError  **error)
{
  return _crm_store_exec (db,
                          "UPDATE sync_state SET applying = 1;"
                          "DELETE FROM deals;"
                          "DELETE FROM contacts;"
                          "DELETE FROM followups;"
                          "INSERT INTO contacts_fts (contacts_fts) VALUES ('delete-all');"
                          "UPDATE search_index_state SET indexed_upto = 9223372036854775807;"
                          "UPDATE sync_state SET applying = 0, cursor = 0,"
                          " server_epoch = NULL, company_id = NULL;"
                          "DELETE FROM outbox;"
                          "DELETE FROM conflicts;"
                          "DELETE FROM sync_parked;"
                          "DELETE FROM notices;"
                          "DELETE FROM team_users;"
                          "UPDATE counters SET n = 0;"
                          "UPDATE deal_totals SET n = 0, amount = 0, weighted_x100 = 0;",
                          error)
         && delete_certification (db, error)
         && _crm_store_exec (db, "DELETE FROM blobs", error);
}

/* nothing of the deleted text in free pages, the WAL or its old frames */
static gboolean
wipe_free_pages (sqlite3  *db,
                 GError  **error)
{
  return _crm_store_exec (db, "VACUUM", error)
         && _crm_store_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", error);
}

static void
emit_resets (CrmStore *self)
{
  g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACTS_RESET], 0);
  g_signal_emit (self, _crm_store_signals[CRM_STORE_DEALS_RESET], 0);
  g_signal_emit (self, _crm_store_signals[CRM_STORE_FOLLOWUPS_RESET], 0);
  g_signal_emit (self, _crm_store_signals[CRM_STORE_CERTIFICATION_CHANGED], 0);
  g_signal_emit (self, _crm_store_signals[CRM_STORE_NOTICES_CHANGED], 0);
  g_signal_emit (self, _crm_store_signals[CRM_STORE_TEAM_USERS_CHANGED], 0);
}

/**
 * crm_store_delete_all:
 *
 * Deletes every record (tombstones too), the search index, the sync outbox,
 * cursor, company and conflicts, the server's notices and users, the certification
 * and the blobs, then
 * vacuums the file so nothing of it is left in free pages. The terms
 * acceptance is kept (see the top of this file). Blocks for as long as
 * the file is large: the app calls crm_store_delete_all_async().
 */
gboolean
crm_store_delete_all (CrmStore  *self,
                      GError   **error)
{
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  /* deleted rows' bytes zeroed as they go (and VACUUM below makes the file anew) */
  if (!_crm_store_exec (self->db, "PRAGMA secure_delete = ON", error)
      || !_crm_store_begin (self, error))
    return FALSE;
  ok = delete_rows (self->db, error);
  if (!_crm_store_end (self, ok, ok ? error : NULL))
    ok = FALSE;
  if (!ok)
    return FALSE;
  emit_resets (self);
  return wipe_free_pages (self->db, error);
}

/* the deletion, on a worker: a connection of its own */
static void
delete_all_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  gboolean *committed = task_data;
  GError *error = NULL;
  sqlite3 *db = _crm_store_open_writer (source, &error);
  gboolean ok = db != NULL
                && _crm_store_exec (db, "PRAGMA secure_delete = ON", &error)
                && _crm_store_exec (db, "BEGIN IMMEDIATE", &error);

  if (ok)
    {
      ok = delete_rows (db, &error) && _crm_store_exec (db, "COMMIT", &error);
      if (!ok)
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      *committed = ok;
    }
  ok = ok && wipe_free_pages (db, &error);
  sqlite3_close_v2 (db);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* back on the caller's thread: the lists hear of it, then the caller */
static void
on_deleted_all (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GTask) caller = user_data;
  gboolean *committed = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (*committed)
    emit_resets (CRM_STORE (source));
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (caller, TRUE);
  else
    g_task_return_error (caller, error);
}

/**
 * crm_store_delete_all_async:
 * @callback: called on this thread once all is deleted and vacuumed; the
 *   store's *-reset signals were emitted before it
 *
 * crm_store_delete_all() on a worker thread with a connection of its own,
 * so the window goes on drawing (its progress) meanwhile: at 1,000,000
 * contacts the deletion with secure_delete and the VACUUM take minutes.
 * Nothing else should write meanwhile (the app shows a modal dialog): a
 * write waits for the deletion's transaction, the busy timeout at most.
 */
void
crm_store_delete_all_async (CrmStore            *self,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *caller;
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (CRM_IS_STORE (self));
  g_return_if_fail (self->depth == 0);

  caller = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (caller, crm_store_delete_all_async);
  if (!_crm_store_health_writable (self->health, &error))
    {
      g_task_return_error (caller, error);
      g_object_unref (caller);
      return;
    }
  task = g_task_new (self, NULL, on_deleted_all, caller);
  g_task_set_name (task, "[crm] delete all");
  g_task_set_task_data (task, g_new0 (gboolean, 1), g_free);
  g_task_run_in_thread (task, delete_all_thread);
}

/**
 * crm_store_delete_all_finish:
 *
 * Returns: whether all was deleted and vacuumed; else @error is set
 */
gboolean
crm_store_delete_all_finish (CrmStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
