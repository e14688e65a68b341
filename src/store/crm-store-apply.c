/* crm-store-apply.c — applying a pulled page of the server's changes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One page, its cursor and its epoch are one transaction, with
 * sync_state.applying set so that the outbox triggers (0008-sync.sql)
 * queue nothing. The rules are docs/sync-protocol.md's: a field with a
 * pending local edit keeps the local value (the push decides); a pulled
 * delete keeps a record with pending local upserts, or a contact that still
 * has live local deals; otherwise it is a tombstone holding the server's
 * fields (a record never seen here comes in as one, so that every copy is
 * the same); a deal whose contact has not arrived waits in sync_parked,
 * and if the feed ends without it, comes in without a contact. A
 * follow-up is stored whether its contact is here or not (every read of
 * follow-ups joins the live contact, 0010-followups.sql).
 * A change that the protocol's checks or the table's constraints refuse is
 * skipped with a warning, and the cursor moves on: a hostile or broken
 * server cannot wedge the client.
 * Speed: a contact pulled back exactly as it is here (the pull of one's own
 * pushed changes) gets its version and nothing else (apply_echo()), and the
 * search index is written again only for the contacts whose indexed text
 * may change (crm-store-apply-index.c).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-contact-private.h"
#include "crm-store-apply-private.h"

typedef enum
{
  APPLY_DONE,
  APPLY_PARKED,
} ApplyOutcome;

/* @sql prepared once for the page, reset and unbound; NULL with *@rc set
 * on failure */
sqlite3_stmt *
_crm_apply_prepare (ApplyRun    *run,
                    const char  *sql,
                    int         *rc)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (run->statements, sql);

  *rc = SQLITE_OK;
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  *rc = sqlite3_prepare_v3 (run->store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (*rc != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (run->statements, g_strdup (sql), stmt);
  return stmt;
}

/* runs @stmt to its end and resets it: SQLITE_OK or its failure */
int
_crm_apply_step (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* @sql with ?1 = @id stepped to its first row: the statement on that row,
 * which the caller resets; NULL with *@rc SQLITE_DONE when there is no
 * row, or with the failure */
sqlite3_stmt *
_crm_apply_row (ApplyRun    *run,
                const char  *sql,
                const char  *id,
                int         *rc)
{
  sqlite3_stmt *row = _crm_apply_prepare (run, sql, rc);

  if (row == NULL)
    return NULL;
  sqlite3_bind_text (row, 1, id, -1, SQLITE_STATIC);
  *rc = sqlite3_step (row);
  if (*rc == SQLITE_ROW)
    return row;
  sqlite3_reset (row);
  return NULL;
}

/* the table of each kind the client stores; NULL: not stored yet */
static const char *
kind_table (CrmWireKind kind)
{
  switch (kind)
    {
    case CRM_WIRE_KIND_CONTACT:
      return "contacts";
    case CRM_WIRE_KIND_DEAL:
      return "deals";
    case CRM_WIRE_KIND_CERTIFICATION:
      return "certification";
    case CRM_WIRE_KIND_FOLLOWUP:
      return "followups";
    case CRM_WIRE_N_KINDS:
    default:
      return NULL;
    }
}

static void
bind_node (sqlite3_stmt *stmt,
           int           index,
           JsonNode     *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    sqlite3_bind_null (stmt, index);
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* The fields of @kind's record @record_id with a pending local edit (in
 * @fields) and whether a pending upsert or delete waits for it. */
static int
read_pending (ApplyRun    *run,
              CrmWireKind  kind,
              const char  *record_id,
              GHashTable  *fields,
              gboolean    *upsert,
              gboolean    *delete)
{
  sqlite3_stmt *stmt;
  int rc;

  *upsert = *delete = FALSE;
  if (!run->any_pending)
    return SQLITE_OK;
  stmt = _crm_apply_prepare (run, "SELECT op, fields_json FROM outbox WHERE state = 'pending'"
                             " AND kind = ?1 AND record_id = ?2", &rc);
  if (stmt == NULL)
    return rc;
  sqlite3_bind_text (stmt, 1, crm_wire_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) object = NULL;

      if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "delete") == 0)
        {
          *delete = TRUE;
          continue;
        }
      *upsert = TRUE;
      /* a damaged row (the next batch marks it rejected) holds no field */
      object = crm_wire_parse_object ((const char *)sqlite3_column_blob (stmt, 1),
                                      sqlite3_column_bytes (stmt, 1), NULL);
      if (object != NULL)
        {
          g_autoptr (GList) names = json_object_get_members (object);

          for (GList *l = names; l != NULL; l = l->next)
            g_hash_table_add (fields, g_strdup (l->data));
        }
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* whether a query with ?1 = @text has a row: 1, 0, or -rc */
static int
exists (ApplyRun    *run,
        const char  *sql,
        const char  *text)
{
  int rc;
  sqlite3_stmt *row = _crm_apply_row (run, sql, text, &rc);

  if (row == NULL)
    return rc == SQLITE_DONE ? 0 : -rc;
  sqlite3_reset (row);
  return 1;
}

static int
step_sql (ApplyRun    *run,
          const char  *sql,
          const char  *text,
          gint64       number)
{
  int rc;
  sqlite3_stmt *stmt = _crm_apply_prepare (run, sql, &rc);

  if (stmt == NULL)
    return rc;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, number);
  return _crm_apply_step (stmt);
}

static void
note_changed (ApplyRun    *run,
              CrmWireKind  kind)
{
  /* a follow-up changes its contact's last_followup_at too */
  if (kind == CRM_WIRE_KIND_CONTACT || kind == CRM_WIRE_KIND_FOLLOWUP)
    run->contacts_changed = TRUE;
  if (kind == CRM_WIRE_KIND_FOLLOWUP)
    run->followups_changed = TRUE;
  else if (kind == CRM_WIRE_KIND_DEAL)
    run->deals_changed = TRUE;
  else if (kind == CRM_WIRE_KIND_CERTIFICATION)
    run->certification_changed = TRUE;
}

static int apply_upsert (ApplyRun       *run,
                         CrmWireChange  *change,
                         const char     *table,
                         gboolean        unlink,
                         gboolean        tombstone,
                         ApplyOutcome   *outcome);

/* A pulled delete: a tombstone, unless the record is to be kept. With
 * @whole fields, the tombstone holds them as every other copy does (and
 * a record never seen here comes in as one). */
static int
apply_delete (ApplyRun       *run,
              CrmWireChange  *change,
              const char     *table,
              gboolean        whole,
              gboolean        unlink,
              ApplyOutcome   *outcome)
{
  g_autoptr (GHashTable) pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *keep_sql = NULL;
  g_autofree char *delete_sql = NULL;
  gboolean upsert = FALSE, delete = FALSE, keep;
  int rc, live;

  if (change->kind == CRM_WIRE_KIND_DEAL
      && (rc = step_sql (run, "DELETE FROM sync_parked WHERE deal_id = ?1 AND version <= ?2",
                         change->id, change->version)) != SQLITE_OK)
    return rc;
  if (change->kind == CRM_WIRE_KIND_CERTIFICATION)
    return SQLITE_OK;   /* never deleted */

  keep_sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?1 AND deleted = 0", table);
  live = exists (run, keep_sql, change->id);
  if (live < 0)
    return -live;
  if ((rc = read_pending (run, change->kind, change->id, pending, &upsert, &delete)) != SQLITE_OK)
    return rc;
  keep = live == 1 && upsert;
  if (live == 1 && !keep && change->kind == CRM_WIRE_KIND_CONTACT)
    {
      int deals = exists (run, "SELECT 1 FROM deals WHERE contact_id = ?1 AND deleted = 0",
                          change->id);
      if (deals < 0)
        return -deals;
      keep = deals == 1;
    }
  if (keep)
    g_debug ("Keeping %s %s deleted on the server: it has local changes",
             crm_wire_kind_to_string (change->kind), change->id);
  else if (whole)
    return apply_upsert (run, change, table, unlink, TRUE, outcome);

  delete_sql = g_strdup_printf ("UPDATE %s SET server_version = ?2%s WHERE id = ?1", table,
                                keep ? "" : ", deleted = 1");
  rc = step_sql (run, delete_sql, change->id, change->version);
  if (rc == SQLITE_OK && live == 1 && !keep)
    note_changed (run, change->kind);
  return rc;
}

/* The columns of @kind to write from @fields: those present, less the ones
 * with pending local edits (when the record is here already). The
 * certification's license fields wait while its file is not here. */
static GPtrArray *
columns_to_write (ApplyRun       *run,
                  CrmWireChange  *change,
                  GHashTable     *pending)
{
  const char *const *names = crm_wire_kind_fields (change->kind);
  GPtrArray *columns = g_ptr_array_new ();
  gboolean skip_license = FALSE;

  if (change->kind == CRM_WIRE_KIND_CERTIFICATION)
    {
      const char *sha256 = json_object_get_string_member_with_default (change->fields,
                                                                        "license_sha256", NULL);

      if (sha256 != NULL
          && exists (run, "SELECT 1 FROM blobs WHERE sha256 = ?1", sha256) != 1)
        {
          g_message ("The certification's license %s is not here yet: kept as it was", sha256);
          skip_license = TRUE;
        }
    }
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!json_object_has_member (change->fields, names[i])
          || g_hash_table_contains (pending, names[i]))
        continue;
      if (skip_license && g_str_has_prefix (names[i], "license_"))
        continue;
      g_ptr_array_add (columns, (gpointer)names[i]);
    }
  return columns;
}

/* the value of @column to write: NULL for none */
static JsonNode *
column_node (CrmWireChange *change,
             const char    *column)
{
  JsonNode *node = json_object_get_member (change->fields, column);

  /* no expected close and no won date are NULL, never '' (migration 7) */
  if ((g_strcmp0 (column, "expected_close") == 0 || g_strcmp0 (column, "won_at") == 0)
      && node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING
      && *json_node_get_string (node) == '\0')
    node = NULL;
  return node;
}

static void
bind_column (sqlite3_stmt  *stmt,
             int            index,
             CrmWireChange *change,
             const char    *column)
{
  bind_node (stmt, index, column_node (change, column));
}

/* whether column @index of @row holds what bind_column() would bind: the
 * same type and value, else it is written (a stored form that may differ
 * is written as before) */
static gboolean
same_value (sqlite3_stmt  *row,
            int            index,
            CrmWireChange *change,
            const char    *column)
{
  JsonNode *node = column_node (change, column);
  int type = sqlite3_column_type (row, index);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return type == SQLITE_NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return type == SQLITE_INTEGER && sqlite3_column_int64 (row, index) == json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return type == SQLITE_TEXT
           && g_strcmp0 ((const char *)sqlite3_column_text (row, index),
                         json_node_get_string (node)) == 0;
  return type == SQLITE_NULL;
}

/* A contact or deal that is here: drops from @columns those whose local
 * value is the one pulled, and sets *@deleted to the local deleted flag.
 * Writing a column with its own value changes nothing but costs its
 * triggers (the search index, sort key): the pull of a computer's own
 * pushed changes mostly writes nothing but the version. */
static int
drop_unchanged (ApplyRun       *run,
                CrmWireChange  *change,
                const char     *table,
                GPtrArray      *columns,
                int            *deleted)
{
  const char *const *names = crm_wire_kind_fields (change->kind);
  g_autofree char *list = g_strjoinv (", ", (char **)names);
  g_autofree char *sql = g_strdup_printf ("SELECT deleted, %s FROM %s WHERE id = ?1", list, table);
  sqlite3_stmt *row;
  int rc;

  row = _crm_apply_row (run, sql, change->id, &rc);
  if (row == NULL)
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  *deleted = sqlite3_column_int (row, 0);
  for (guint i = 0; names[i] != NULL; i++)
    {
      guint at;

      if (g_ptr_array_find_with_equal_func (columns, names[i], g_str_equal, &at)
          && same_value (row, i + 1, change, names[i]))
        g_ptr_array_remove_index (columns, at);
    }
  sqlite3_reset (row);
  return SQLITE_OK;
}

/* A pulled upsert: the record written, field by field (@tombstone: and
 * deleted). */
static int
apply_upsert (ApplyRun       *run,
              CrmWireChange  *change,
              const char     *table,
              gboolean        unlink,
              gboolean        tombstone,
              ApplyOutcome   *outcome)
{
  g_autoptr (GHashTable) pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) columns = NULL;
  g_autoptr (GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  g_autofree char *sort_key = NULL;
  gboolean is_cert = change->kind == CRM_WIRE_KIND_CERTIFICATION;
  const char *row_id = is_cert ? "" : change->id;
  const char *updated_at = change->updated_at ? change->updated_at : run->now;
  gboolean upsert = FALSE, delete = FALSE;
  int here, rc, local_deleted = -1;

  here = exists (run, is_cert ? "SELECT 1 FROM certification WHERE ?1 = ''"
                              : change->kind == CRM_WIRE_KIND_CONTACT
                              ? "SELECT 1 FROM contacts WHERE id = ?1"
                              : change->kind == CRM_WIRE_KIND_FOLLOWUP
                              ? "SELECT 1 FROM followups WHERE id = ?1"
                              : "SELECT 1 FROM deals WHERE id = ?1", row_id);
  if (here < 0)
    return -here;
  if (here == 1
      && (rc = read_pending (run, change->kind, row_id, pending, &upsert, &delete)) != SQLITE_OK)
    return rc;

  if (unlink)
    json_object_set_null_member (change->fields, "contact_id");
  /* a deal waits for its contact, unless its own contact is local */
  if (change->kind == CRM_WIRE_KIND_DEAL && !g_hash_table_contains (pending, "contact_id"))
    {
      const char *contact_id = json_object_get_string_member_with_default (change->fields,
                                                                           "contact_id", NULL);
      int known = 1;

      if (contact_id != NULL)
        known = exists (run, "SELECT 1 FROM contacts WHERE id = ?1", contact_id);
      if (known < 0)
        return -known;
      if (known == 0)
        {
          g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), change->fields);
          g_autofree char *fields = json_to_string (node, FALSE);
          sqlite3_stmt *park;

          park = _crm_apply_prepare (run, "INSERT INTO sync_parked (deal_id, seq, version,"
                                     " fields_json, updated_by, updated_at, contact_id, deleted)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                                     " ON CONFLICT (deal_id) DO UPDATE SET seq = ?2, version = ?3,"
                                     " fields_json = ?4, updated_by = ?5, updated_at = ?6,"
                                     " contact_id = ?7, deleted = ?8 WHERE ?3 >= version", &rc);
          if (park == NULL)
            return rc;
          sqlite3_bind_text (park, 1, change->id, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (park, 2, change->seq);
          sqlite3_bind_int64 (park, 3, change->version);
          sqlite3_bind_text (park, 4, fields, -1, SQLITE_STATIC);
          sqlite3_bind_text (park, 5, change->updated_by, -1, SQLITE_STATIC);
          sqlite3_bind_text (park, 6, change->updated_at, -1, SQLITE_STATIC);
          sqlite3_bind_text (park, 7, contact_id, -1, SQLITE_STATIC);
          sqlite3_bind_int (park, 8, tombstone);
          *outcome = APPLY_PARKED;
          return _crm_apply_step (park);
        }
    }

  columns = columns_to_write (run, change, pending);
  if (here == 1 && !is_cert
      && (rc = drop_unchanged (run, change, table, columns, &local_deleted)) != SQLITE_OK)
    return rc;
  if (here == 1 && change->kind == CRM_WIRE_KIND_CONTACT
      && (rc = _crm_apply_unindex_if_written (run, change->id, columns,
                                              tombstone
                                              ? local_deleted != 1
                                              : !delete && local_deleted != 0)) != SQLITE_OK)
    return rc;
  if (change->kind == CRM_WIRE_KIND_CONTACT
      && g_ptr_array_find_with_equal_func (columns, "name", g_str_equal, NULL))
    sort_key = _crm_contact_make_sort_key (json_object_get_string_member (change->fields,
                                                                          "name"));

  /* ?1 id, ?2 updated_at, ?3 server_version, ?4 sort_key, then the columns */
  if (here == 1)
    {
      g_string_printf (sql, "UPDATE %s SET updated_at = ?2, server_version = ?3", table);
      if (sort_key != NULL)
        g_string_append (sql, ", sort_key = ?4");
      if (!is_cert && tombstone && local_deleted != 1)
        g_string_append (sql, ", deleted = 1");
      else if (!is_cert && !tombstone && !delete && local_deleted != 0)
        g_string_append (sql, ", deleted = 0");
      for (guint i = 0; i < columns->len; i++)
        g_string_append_printf (sql, ", %s = ?%u", (char *)columns->pdata[i], i + 5);
      g_string_append (sql, is_cert ? " WHERE ?1 = ''" : " WHERE id = ?1");
    }
  else
    {
      g_autoptr (GString) values = g_string_new (NULL);

      g_string_printf (sql, "INSERT INTO %s (%s, updated_at, server_version", table,
                       is_cert ? "id" : "id, created_at");
      g_string_assign (values, is_cert ? "1, ?2, ?3" : "?1, ?2, ?2, ?3");
      if (sort_key != NULL)
        {
          g_string_append (sql, ", sort_key");
          g_string_append (values, ", ?4");
        }
      if (tombstone)
        {
          g_string_append (sql, ", deleted");
          g_string_append (values, ", 1");
        }
      for (guint i = 0; i < columns->len; i++)
        {
          g_string_append_printf (sql, ", %s", (char *)columns->pdata[i]);
          g_string_append_printf (values, ", ?%u", i + 5);
        }
      g_string_append_printf (sql, ") VALUES (%s)", values->str);
    }

  stmt = _crm_apply_prepare (run, sql->str, &rc);
  if (stmt == NULL)
    return rc;
  sqlite3_bind_text (stmt, 1, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, updated_at, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, change->version);
  if (sort_key != NULL)
    sqlite3_bind_text (stmt, 4, sort_key, -1, SQLITE_STATIC);
  for (guint i = 0; i < columns->len; i++)
    bind_column (stmt, i + 5, change, columns->pdata[i]);
  if ((rc = _crm_apply_step (stmt)) != SQLITE_OK)
    return rc;

  if (change->kind == CRM_WIRE_KIND_DEAL
      && (rc = step_sql (run, "DELETE FROM sync_parked WHERE deal_id = ?1 AND version <= ?2",
                         change->id, change->version)) != SQLITE_OK)
    return rc;
  if (change->kind == CRM_WIRE_KIND_CONTACT && here == 0)
    {
      /* its follow-ups may have come first: their triggers found no contact */
      stmt = _crm_apply_prepare (run, "UPDATE contacts SET last_followup_at ="
                                 " (SELECT max (happened_at) FROM followups"
                                 "  WHERE contact_id = ?1 AND deleted = 0) WHERE id = ?1", &rc);
      if (stmt == NULL)
        return rc;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_STATIC);
      if ((rc = _crm_apply_step (stmt)) != SQLITE_OK)
        return rc;
      g_ptr_array_add (run->arrived, g_strdup (change->id));
    }
  note_changed (run, change->kind);
  *outcome = APPLY_DONE;
  return SQLITE_OK;
}

/* A pulled contact that is here, live, with no pending edit, and whose
 * every field holds the pulled value already: the usual change of a pull
 * of one's own pushed changes. What apply_upsert() would write for it is
 * its version and the server's updated_at, nothing else; done here
 * without judging the values again (they are the local ones, which the
 * rules judged when they were saved). 1 when done, 0 when the change
 * takes the whole way, or -rc. */
static int
apply_echo (ApplyRun       *run,
            CrmWireChange  *change)
{
  const char *const *names = crm_wire_kind_fields (CRM_WIRE_KIND_CONTACT);
  sqlite3_stmt *row;
  guint n_names = g_strv_length ((char **)names);
  int rc, same = 1;

  if (change->kind != CRM_WIRE_KIND_CONTACT || change->deleted || run->any_pending
      || change->id == NULL || change->fields == NULL
      || json_object_get_size (change->fields) != n_names)
    return 0;
  if (run->echo_sql == NULL)
    {
      g_autofree char *list = g_strjoinv (", ", (char **)names);

      run->echo_sql = g_strdup_printf ("SELECT deleted, %s FROM contacts WHERE id = ?1", list);
    }
  row = _crm_apply_row (run, run->echo_sql, change->id, &rc);
  if (row == NULL)
    return rc == SQLITE_DONE ? 0 : -rc;
  if (sqlite3_column_int (row, 0) != 0)
    same = 0;
  for (guint i = 0; same && i < n_names; i++)
    same = json_object_has_member (change->fields, names[i])
           && same_value (row, i + 1, change, names[i]);
  sqlite3_reset (row);
  if (!same)
    return 0;
  row = _crm_apply_prepare (run, "UPDATE contacts SET updated_at = ?2, server_version = ?3"
                            " WHERE id = ?1", &rc);
  if (row == NULL)
    return -rc;
  sqlite3_bind_text (row, 1, change->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (row, 2, change->updated_at ? change->updated_at : run->now, -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (row, 3, change->version);
  if ((rc = _crm_apply_step (row)) != SQLITE_OK)
    return -rc;
  note_changed (run, CRM_WIRE_KIND_CONTACT);
  return 1;
}

/* Whether @change passes the protocol's checks; if not, it is skipped. */
static gboolean
change_is_sound (CrmWireChange *change,
                 gboolean      *whole)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *failed = NULL;

  *whole = FALSE;

  if (change->id == NULL
      || (change->kind != CRM_WIRE_KIND_CERTIFICATION && !crm_wire_is_uuid (change->id)))
    {
      g_warning ("Skipping a pulled %s change with a bad id",
                 crm_wire_kind_to_string (change->kind));
      return FALSE;
    }
  /* crm_wire_validate_record() checks the shape first */
  if (change->fields == NULL
      || (change->deleted
          ? !crm_wire_check_fields (change->kind, change->fields, &error)
          : !crm_wire_validate_record (change->kind, change->fields, &failed, &error)))
    {
      g_warning ("Skipping the pulled %s %s: %s", crm_wire_kind_to_string (change->kind),
                 change->id, error ? error->message : "no fields");
      return FALSE;
    }
  /* a tombstone's fields are written too when they are a whole record
   * that passes the rules; else it only marks the record deleted */
  *whole = !change->deleted
           || crm_wire_validate_record (change->kind, change->fields, &failed, NULL);
  return TRUE;
}

/* One change: a change the table refuses is skipped; any other failure
 * fails the page. Each change writes with one statement (and a parked
 * deal's cleanup after it), which SQLite undoes alone when it fails: no
 * savepoint needed. */
static gboolean
apply_change (ApplyRun       *run,
              CrmWireChange  *change,
              gboolean        unlink,
              ApplyOutcome   *outcome,
              GError        **error)
{
  const char *table = kind_table (change->kind);
  gboolean whole;
  int rc;

  *outcome = APPLY_DONE;
  if (table == NULL)
    {
      g_debug ("Skipping a pulled %s: not stored yet", crm_wire_kind_to_string (change->kind));
      return TRUE;
    }
  rc = apply_echo (run, change);
  if (rc == 1)
    return TRUE;
  if (rc < 0)
    return _crm_store_set_error (error, run->store->db, -rc,
                                 _("Cannot apply the server’s changes"));
  if (!change_is_sound (change, &whole))
    return TRUE;

  if (change->deleted)
    rc = apply_delete (run, change, table, whole, unlink, outcome);
  else
    rc = apply_upsert (run, change, table, unlink, FALSE, outcome);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_warning ("Skipping the pulled %s %s: %s", crm_wire_kind_to_string (change->kind),
                 change->id, sqlite3_errmsg (run->store->db));
      *outcome = APPLY_DONE;
      return TRUE;
    }
  if (rc != SQLITE_OK)
    return _crm_store_set_error (error, run->store->db, rc,
                                 _("Cannot apply the server’s changes"));
  return TRUE;
}

/* Reads the parked deals of @contact_id (NULL: all of them) into @out. */
static gboolean
collect_parked (ApplyRun    *run,
                const char  *contact_id,
                GPtrArray   *out,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _crm_apply_prepare (run, contact_id != NULL
                                  ? "SELECT deal_id, seq, version, fields_json, updated_by,"
                                    " updated_at, deleted FROM sync_parked WHERE contact_id = ?1"
                                    " ORDER BY seq"
                                  : "SELECT deal_id, seq, version, fields_json, updated_by,"
                                    " updated_at, deleted FROM sync_parked ORDER BY seq", &rc);
  if (stmt == NULL)
    return _crm_store_set_error (error, run->store->db, rc,
                                 _("Cannot apply the server’s changes"));
  if (contact_id != NULL)
    sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (CrmWireChange) change = crm_wire_change_new ();
      g_autoptr (GError) bad = NULL;
      JsonObject *fields;

      change->kind = CRM_WIRE_KIND_DEAL;
      change->id = _crm_store_column_dup (stmt, 0);
      change->seq = sqlite3_column_int64 (stmt, 1);
      change->version = sqlite3_column_int64 (stmt, 2);
      change->updated_by = _crm_store_column_dup (stmt, 4);
      change->updated_at = _crm_store_column_dup (stmt, 5);
      change->deleted = sqlite3_column_int (stmt, 6) != 0;
      fields = crm_wire_parse_object ((const char *)sqlite3_column_blob (stmt, 3),
                                      sqlite3_column_bytes (stmt, 3), &bad);
      if (fields == NULL)
        {
          /* a damaged file: applied without its fields, the deal would be
           * made empty; left out, and dropped with the others at the end of
           * the feed (a resync brings it again) */
          g_message ("The parked deal %s cannot be read: %s", change->id, bad->message);
          continue;
        }
      json_object_unref (change->fields);
      change->fields = fields;
      g_ptr_array_add (out, g_steal_pointer (&change));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, run->store->db, rc,
                                 _("Cannot apply the server’s changes"));
  return TRUE;
}

/* The parked deals, again: those whose contact came in this page are
 * applied; at the end of the feed (@last) the others come without their
 * contact. */
static gboolean
retry_parked (ApplyRun  *run,
              gboolean   last,
              GError   **error)
{
  g_autoptr (GPtrArray) parked = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 crm_wire_change_free);

  for (guint i = 0; i < run->arrived->len; i++)
    if (!collect_parked (run, run->arrived->pdata[i], parked, error))
      return FALSE;
  for (guint i = 0; i < parked->len; i++)
    {
      ApplyOutcome outcome;

      if (!apply_change (run, parked->pdata[i], FALSE, &outcome, error))
        return FALSE;
    }
  if (!last)
    return TRUE;

  g_ptr_array_set_size (parked, 0);
  if (!collect_parked (run, NULL, parked, error))
    return FALSE;
  for (guint i = 0; i < parked->len; i++)
    {
      CrmWireChange *change = g_ptr_array_index (parked, i);
      ApplyOutcome outcome;

      g_message ("The contact of deal %s never came: the deal comes without one", change->id);
      if (!apply_change (run, change, TRUE, &outcome, error))
        return FALSE;
    }
  /* what could not be applied at all is not kept waiting for ever */
  return _crm_store_exec (run->store->db, "DELETE FROM sync_parked", error);
}

/**
 * crm_store_apply_pull:
 * @pull: one page of the change feed
 *
 * Applies @pull's changes, its cursor and its epoch in one transaction
 * (see the top of this file for the rules), writing no outbox row. Emits
 * #CrmStore::contacts-reset and #CrmStore::deals-reset when anything
 * changed.
 */
gboolean
crm_store_apply_pull (CrmStore           *self,
                      const CrmWirePull  *pull,
                      GError            **error)
{
  ApplyRun run = { self, NULL, NULL, NULL, NULL, NULL, TRUE, FALSE, FALSE };
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *contact_ids = NULL;
  g_autofree char *indexed = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (pull != NULL && pull->changes != NULL, FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  run.now = _crm_store_now ();
  run.statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)sqlite3_finalize);
  run.arrived = g_ptr_array_new_with_free_func (g_free);
  run.indexed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ok = _crm_store_sync_set_applying (self, TRUE, error)
       /* a first sync into an empty store: its contacts to the index's build */
       && _crm_search_build_begin_bulk (self->db, TRUE, error);
  if (ok)
    {
      /* a first sync has nothing pending: no need to look per record */
      run.any_pending = exists (&run, "SELECT 1 FROM outbox WHERE state = 'pending'"
                                " AND ?1 IS NULL LIMIT 1", NULL) != 0;
    }
  if (ok)
    {
      int rc;

      rc = _crm_apply_collect_indexed (&run, pull);
      contact_ids = _crm_apply_indexed_ids (&run);
      if (rc != SQLITE_OK)
        ok = _crm_store_set_error (error, self->db, rc, _("Cannot apply the server’s changes"));
      /* the page's contacts leave the search index (their old text) ... */
      else if (contact_ids != NULL)
        ok = _crm_apply_index_contacts (self, contact_ids, TRUE, error);
    }
  for (guint i = 0; ok && i < pull->changes->len; i++)
    {
      ApplyOutcome outcome;

      ok = apply_change (&run, g_ptr_array_index (pull->changes, i), FALSE, &outcome, error);
    }
  if (ok)
    ok = retry_parked (&run, !pull->has_more, error);
  /* ... and come back with their new text, the live ones */
  /* (with any that _crm_apply_unindex_if_written() took out one by one) */
  if (ok)
    indexed = _crm_apply_indexed_ids (&run);
  if (ok && indexed != NULL)
    ok = _crm_apply_index_contacts (self, indexed, FALSE, error);
  if (ok)
    {
      stmt = _crm_store_prepare (self->db,
                                 "UPDATE sync_state SET cursor = ?1,"
                                 " server_epoch = coalesce (?2, server_epoch), applying = 0",
                                 0, _("Cannot apply the server’s changes"), error);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, pull->next_cursor);
          sqlite3_bind_text (stmt, 2, pull->server_epoch, -1, SQLITE_STATIC);
        }
      ok = _crm_store_step_done (stmt, _("Cannot apply the server’s changes"), error);
    }
  g_free (run.now);
  g_free (run.echo_sql);
  g_hash_table_destroy (run.indexed);
  g_hash_table_destroy (run.statements);
  g_ptr_array_unref (run.arrived);
  if (!_crm_store_end (self, ok, error))
    return FALSE;

  if (run.contacts_changed)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACTS_RESET], 0);
  /* the deals show their contacts' names */
  if (run.deals_changed || run.contacts_changed)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_DEALS_RESET], 0);
  /* so do the follow-ups */
  if (run.followups_changed || run.contacts_changed)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_FOLLOWUPS_RESET], 0);
  /* a review (certified, rejected) or a colleague's edit */
  if (run.certification_changed)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_CERTIFICATION_CHANGED], 0);
  /* the last page of a first sync: the search index built on a worker */
  if (!pull->has_more && self->depth == 0)
    _crm_search_build_after_bulk (self, TRUE);
  return TRUE;
}
