/* crm-store-apply-index.c — the search index's part of applying a pulled page
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * crm_store_apply_pull() (crm-store-apply.c) writes the search index again
 * only for the contacts of a page whose indexed text may change: this file
 * finds them (_crm_apply_collect_indexed(), _crm_apply_unindex_if_written())
 * and takes their old text out of the index and puts the new one in
 * (_crm_apply_index_contacts()); only of the contacts up to the index's
 * watermark (0011-search-layout.sql): those past it are the build's
 * (crm-search-build.c), which a first sync leaves them to. It lives apart
 * from the rules of applying a change only to keep each file a readable
 * size; it shares that file's
 * ApplyRun and its statement cache (crm-store-apply-private.h).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-apply-private.h"

/* The contacts' columns that the search index holds: those of
 * _crm_apply_index_contacts()'s statements. */
static const char *const indexed_columns[] = {
  "name", "company", "mobile", "phone", "email", "wechat", NULL
};

/* The contact @id is about to be written (@columns, and its deleted flag
 * if @flag_changes) and was not counted among the page's contacts whose
 * indexed text changes (the values normalised by the rules may differ
 * from the pulled ones that were compared): its old text leaves the index
 * now, alone, and the new one comes in with the others at the end. */
int
_crm_apply_unindex_if_written (ApplyRun    *run,
                               const char  *id,
                               GPtrArray   *columns,
                               gboolean     flag_changes)
{
  gboolean written = flag_changes;
  sqlite3_stmt *stmt;
  int rc;

  if (g_hash_table_contains (run->indexed, id))
    return SQLITE_OK;
  for (guint i = 0; !written && indexed_columns[i] != NULL; i++)
    written = g_ptr_array_find_with_equal_func (columns, indexed_columns[i], g_str_equal, NULL);
  if (!written)
    return SQLITE_OK;
  stmt = _crm_apply_prepare (run, "INSERT INTO contacts_fts (contacts_fts, rowid, name, company,"
                             " mobile, phone, email, wechat)"
                             " SELECT 'delete', local_id, name, company, mobile, phone, email,"
                             " wechat FROM contacts WHERE deleted = 0 AND id = ?1"
                             " AND local_id <= (SELECT indexed_upto FROM search_index_state)",
                             &rc);
  if (stmt == NULL)
    return rc;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if ((rc = _crm_apply_step (stmt)) != SQLITE_OK)
    return rc;
  g_hash_table_add (run->indexed, g_strdup (id));
  return SQLITE_OK;
}

/* Whether the pulled contact @change may change the text the search index
 * holds for it: it is not here, its deleted flag differs, or one of its
 * indexed columns differs from the pulled value. Anything unsure counts as
 * a change (the index is then written again, as it is for every contact
 * of a first sync); only a contact whose indexed text is the pulled one,
 * the usual case of a pull of one's own pushed changes, is left alone.
 * 1, 0, or -rc. */
static int
may_change_index (ApplyRun      *run,
                  CrmWireChange *change)
{
  sqlite3_stmt *row;
  int rc;

  if (change->id == NULL || change->fields == NULL)
    return 1;
  row = _crm_apply_row (run, "SELECT deleted, name, company, mobile, phone, email, wechat"
                        " FROM contacts WHERE id = ?1", change->id, &rc);
  if (row == NULL)
    return rc == SQLITE_DONE ? 1 : -rc;
  rc = (sqlite3_column_int (row, 0) != 0) != (change->deleted != FALSE);
  for (guint i = 0; rc == 0 && indexed_columns[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (change->fields, indexed_columns[i]);
      const char *stored = (const char *)sqlite3_column_text (row, i + 1);

      /* absent: not written */
      if (node == NULL)
        continue;
      if (JSON_NODE_HOLDS_NULL (node))
        rc = stored != NULL;
      else if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        rc = 1;
      else
        rc = g_strcmp0 (stored, json_node_get_string (node)) != 0;
    }
  sqlite3_reset (row);
  return rc;
}

/* Adds to run->indexed the page's contacts whose indexed text may change:
 * SQLITE_OK or the failure */
int
_crm_apply_collect_indexed (ApplyRun          *run,
                            const CrmWirePull *pull)
{
  for (guint i = 0; i < pull->changes->len; i++)
    {
      CrmWireChange *change = g_ptr_array_index (pull->changes, i);
      int may;

      if (change->kind != CRM_WIRE_KIND_CONTACT || change->id == NULL)
        continue;
      may = may_change_index (run, change);
      if (may < 0)
        return -may;
      if (may == 1)
        g_hash_table_add (run->indexed, g_strdup (change->id));
    }
  return SQLITE_OK;
}

/* run->indexed as a JSON array for json_each (); NULL when empty */
char *
_crm_apply_indexed_ids (ApplyRun *run)
{
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonGenerator) generator = NULL;
  g_autoptr (JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer id;

  if (g_hash_table_size (run->indexed) == 0)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, run->indexed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    json_builder_add_string_value (builder, id);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* While a page is applied the search index's triggers stand aside
 * (0008-sync.sql): FTS5 flushes at every statement's savepoint, so one
 * statement before the page takes the old text of its contacts out
 * (@remove) and one after puts the live ones' new text in. */
gboolean
_crm_apply_index_contacts (CrmStore    *self,
                           const char  *ids_json,
                           gboolean     remove,
                           GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *what = _("Cannot apply the server’s changes");

  stmt = _crm_store_prepare (self->db,
                             remove
                             ? "INSERT INTO contacts_fts (contacts_fts, rowid, name, company,"
                               " mobile, phone, email, wechat)"
                               " SELECT 'delete', local_id, name, company, mobile, phone,"
                               " email, wechat FROM contacts WHERE deleted = 0"
                               " AND id IN (SELECT value FROM json_each (?1))"
                               " AND local_id <= (SELECT indexed_upto FROM search_index_state)"
                             : "INSERT INTO contacts_fts (rowid, name, company, mobile, phone,"
                               " email, wechat)"
                               " SELECT local_id, name, company, mobile, phone, email, wechat"
                               " FROM contacts WHERE deleted = 0"
                               " AND id IN (SELECT value FROM json_each (?1))"
                               " AND local_id <= (SELECT indexed_upto FROM search_index_state)",
                             0, what, error);
  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, ids_json, -1, SQLITE_STATIC);
  return _crm_store_step_done (stmt, what, error);
}
