/* crm-store-search.c — the store's searches: the index, the filter, the scan helpers
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The entry points take a connection, not the store: the contact list's
 * search worker runs them on a reader of its own (_crm_store_open_reader()).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-search-private.h"
#include "crm-store-private.h"

static int
progress_cancelled (void *data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (data));
}

/**
 * _crm_store_watch_cancellable:
 * @cancellable: (nullable): interrupts the statements of @db once cancelled;
 *   %NULL stops watching
 */
void
_crm_store_watch_cancellable (sqlite3      *db,
                              GCancellable *cancellable)
{
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, progress_cancelled, cancellable);
  else
    sqlite3_progress_handler (db, 0, NULL, NULL);
}

/**
 * _crm_store_scan_done:
 * @rc: what the last sqlite3_step() of a scan returned
 *
 * Returns: %TRUE when the scan ran to its end; else %FALSE with @error set:
 *   %G_IO_ERROR_CANCELLED when it was interrupted by a watched cancellable.
 */
gboolean
_crm_store_scan_done (sqlite3     *db,
                      int          rc,
                      const char  *what,
                      GError     **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc == SQLITE_INTERRUPT)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Search cancelled"));
      return FALSE;
    }
  return _crm_store_set_error (error, db, rc, what);
}

/* " AND @column IN (the contacts with a tag starting so)" for each tag
 * word, its bounds bound by bind_tags() from parameter @first on */
static void
append_tag_terms (GString    *sql,
                  GPtrArray  *tags,
                  const char *column,
                  int         first)
{
  for (guint i = 0; i < tags->len; i++)
    g_string_append_printf (sql, " AND %s IN (SELECT local_id FROM contact_tags"
                            " WHERE tag >= ?%d AND tag < ?%d)",
                            column, first + 2 * i, first + 2 * i + 1);
}

/* the range of tags that start with each tag word: from the word to the
 * word and a byte no UTF-8 text holds */
static void
bind_tags (sqlite3_stmt *stmt,
           GPtrArray    *tags,
           int           first)
{
  for (guint i = 0; i < tags->len; i++)
    {
      const char *tag = g_ptr_array_index (tags, i);

      sqlite3_bind_text (stmt, first + 2 * i, tag, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, first + 2 * i + 1, g_strconcat (tag, "\xff", NULL), -1,
                         g_free);
    }
}

/* the parameters of the statements below: ?1 the MATCH expression, ?2 the
 * limit, ?3 the query for the rule, ?4 the watermark, the tags from ?5 */
#define P_QUERY 3
#define P_UPTO 4
#define P_TAGS 5

#define RULE_COLUMNS(c) c "name, " c "company, " c "mobile, " c "phone, " c "email, " \
                        c "wechat, " c "tags"

/**
 * _crm_store_search_indexed_upto:
 *
 * Returns: the search index's watermark (0011-search-layout.sql): it holds
 *   every live contact up to this local_id; %G_MAXINT64 when complete, and
 *   when it cannot be read (the statements then rely on the index alone).
 */
gint64
_crm_store_search_indexed_upto (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 upto = G_MAXINT64;

  if (sqlite3_prepare_v3 (db, "SELECT indexed_upto FROM search_index_state", -1,
                          SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    return G_MAXINT64;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    upto = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return upto;
}

/* The local ids of the live contacts @match finds, in local id order, each
 * checked by the rule unless @exact, and the contacts past the watermark
 * (@upto) checked by the rule alone: the index holds none of them. */
static void
append_candidates (GString  *sql,
                   gboolean  exact,
                   gint64    upto,
                   GPtrArray *tags)
{
  if (exact)
    {
      g_string_append (sql, "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1");
      append_tag_terms (sql, tags, "rowid", P_TAGS);
    }
  else
    {
      g_string_append (sql, "SELECT c.local_id FROM contacts_fts f"
                       " JOIN contacts c ON c.local_id = f.rowid"
                       " WHERE contacts_fts MATCH ?1 AND crm_search_matches (?3, "
                       RULE_COLUMNS ("c.") ")");
      append_tag_terms (sql, tags, "c.local_id", P_TAGS);
    }
  if (upto < G_MAXINT64)
    g_string_append_printf (sql, " UNION ALL SELECT local_id FROM contacts"
                            " WHERE local_id > ?%d AND deleted = 0"
                            " AND crm_search_matches (?%d, " RULE_COLUMNS ("") ")",
                            P_UPTO, P_QUERY);
}

/* the local ids the index (and the rule past its watermark) gives for
 * @query; %NULL without an error when it holds nothing to search for */
static GArray *
rowids_for_query (sqlite3            *db,
                  const char         *query,
                  gboolean            sorted,
                  int                 limit,
                  guint               probe,
                  CrmStoreProbeFunc   probe_func,
                  gpointer            probe_data,
                  GCancellable       *cancellable,
                  GError            **error)
{
  gboolean exact = TRUE;
  g_autofree char *match = _crm_search_build_match_for (query, CRM_SEARCH_STORE_LAYOUT, &exact);
  g_autoptr (GPtrArray) tags = _crm_search_query_tags (query);
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GArray) rowids = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 upto = G_MAXINT64;
  int rc;

  if (match == NULL && tags->len == 0)
    return NULL;

  /* the index holds live contacts only: unsorted and exact, no row is
   * read; the tags too (contact_tags); in local id order both */
  if (match != NULL)
    {
      upto = _crm_store_search_indexed_upto (db);
      if (sorted)
        g_string_append (sql, "SELECT local_id FROM contacts WHERE deleted = 0"
                         " AND local_id IN (");
      append_candidates (sql, exact, upto, tags);
      if (sorted)
        g_string_append (sql, ") ORDER BY sort_key, id");
    }
  else
    {
      g_string_append (sql, "SELECT local_id FROM contacts WHERE deleted = 0");
      append_tag_terms (sql, tags, "local_id", P_TAGS);
      g_string_append (sql, sorted ? " ORDER BY sort_key, id" : " ORDER BY local_id");
    }
  g_string_append (sql, " LIMIT ?2");
  stmt = _crm_store_prepare (db, sql->str, 0, _("Cannot search"), error);
  if (stmt == NULL)
    return NULL;
  if (match != NULL)
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, limit); /* negative: no limit */
  if (!exact || upto < G_MAXINT64)
    sqlite3_bind_text (stmt, P_QUERY, query, -1, SQLITE_STATIC);
  if (upto < G_MAXINT64)
    sqlite3_bind_int64 (stmt, P_UPTO, upto);
  bind_tags (stmt, tags, P_TAGS);
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, cancellable);

  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rowids, rowid);
      if (probe_func != NULL && rowids->len == probe)
        probe_func (rowids, probe_data);
    }
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, NULL);

  if (!_crm_store_scan_done (db, rc, _("Cannot search"), error))
    return NULL;
  return g_steal_pointer (&rowids);
}

/**
 * _crm_store_search_rowids:
 * @db: a connection (the store's own, or a reader)
 *
 * @limit: at most this many, or -1 for all
 *
 * Returns: (transfer full) (nullable): the local ids of the live contacts
 *   matching @query, in list order if @sorted, else in local id order; %NULL
 *   with no error when @query holds nothing to search for.
 */
GArray *
_crm_store_search_rowids (sqlite3       *db,
                          const char    *query,
                          gboolean       sorted,
                          int            limit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return rowids_for_query (db, query, sorted, limit, 0, NULL, NULL, cancellable, error);
}

/**
 * _crm_store_search_rowids_probed:
 * @probe_func: called once, on this thread, when @probe ids have been found
 *   (in local id order) and the search goes on
 *
 * Like _crm_store_search_rowids() unsorted and unlimited, with a look at
 * the first matches on the way.
 */
GArray *
_crm_store_search_rowids_probed (sqlite3            *db,
                                 const char         *query,
                                 guint               probe,
                                 CrmStoreProbeFunc   probe_func,
                                 gpointer            probe_data,
                                 GCancellable       *cancellable,
                                 GError            **error)
{
  return rowids_for_query (db, query, FALSE, -1, probe, probe_func, probe_data, cancellable,
                           error);
}

/**
 * _crm_store_filter_rowids:
 * @ids: local ids, in the order wanted
 * @out: where the matching ones are appended, in that order
 * @max_out: stop when @out holds this many
 *
 * Tests contacts against @pattern on their values, reading them 64 at a
 * time. Deleted contacts never match.
 */
gboolean
_crm_store_filter_rowids (sqlite3          *db,
                          CrmSearchPattern *pattern,
                          const gint64     *ids,
                          guint             n,
                          GArray           *out,
                          guint             max_out,
                          GError          **error)
{
  g_autoptr (GHashTable) matched = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                          g_free, NULL);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _crm_store_prepare (db,
                             "SELECT local_id, name, company, mobile, phone, email, wechat,"
                             " tags FROM contacts WHERE deleted = 0 AND local_id IN ("
                             CRM_SQL_64_PARAMS ")",
                             0, _("Cannot search"), error);
  if (stmt == NULL)
    return FALSE;

  for (guint first = 0; first < n && out->len < max_out; first += 64)
    {
      guint chunk = MIN (64, n - first);

      sqlite3_reset (stmt);
      for (guint i = 0; i < 64; i++)
        sqlite3_bind_int64 (stmt, i + 1, i < chunk ? ids[first + i] : 0);
      g_hash_table_remove_all (matched);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *fields[CRM_SEARCH_N_FIELDS + 1];

          for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
            fields[f] = (const char *)sqlite3_column_text (stmt, f + 1);
          if (_crm_search_pattern_match (pattern, fields, G_N_ELEMENTS (fields)))
            {
              gint64 *rowid = g_new (gint64, 1);
              *rowid = sqlite3_column_int64 (stmt, 0);
              g_hash_table_add (matched, rowid);
            }
        }
      if (rc != SQLITE_DONE)
        return _crm_store_set_error (error, db, rc, _("Cannot search"));
      for (guint i = 0; i < chunk && out->len < max_out; i++)
        if (g_hash_table_contains (matched, &ids[first + i]))
          g_array_append_val (out, ids[first + i]);
    }
  return TRUE;
}

/**
 * crm_store_search_contacts:
 * @query: the search text
 * @limit: how many to return at most
 *
 * Returns: (transfer container) (element-type CrmContact): the first
 *   @limit live contacts, in list order, that hold every word of @query as a
 *   substring of their name, company, mobile, phone, e-mail or WeChat ID (or
 *   in pinyin), and for each "#tag" word a tag that starts with it.
 */
GPtrArray *
crm_store_search_contacts (CrmStore    *self,
                           const char  *query,
                           guint        limit,
                           GError     **error)
{
  g_autofree char *match = NULL;
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GString) sql = g_string_new ("SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
                                          " WHERE deleted = 0");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean exact = TRUE;
  gint64 upto = G_MAXINT64;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  match = _crm_search_build_match_for (query, CRM_SEARCH_STORE_LAYOUT, &exact);
  tags = _crm_search_query_tags (query);
  if (match != NULL)
    {
      upto = _crm_store_search_indexed_upto (self->db);
      g_string_append (sql, " AND local_id IN (");
      append_candidates (sql, exact, upto, tags);
      g_string_append (sql, ")");
    }
  else
    append_tag_terms (sql, tags, "local_id", P_TAGS);
  g_string_append (sql, " ORDER BY sort_key, id LIMIT ?2");
  stmt = _crm_store_prepare (self->db, sql->str, 0, _("Cannot search"), error);
  if (stmt == NULL)
    return NULL;
  if (match != NULL)
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);
  if (!exact || upto < G_MAXINT64)
    sqlite3_bind_text (stmt, P_QUERY, query, -1, SQLITE_STATIC);
  if (upto < G_MAXINT64)
    sqlite3_bind_int64 (stmt, P_UPTO, upto);
  bind_tags (stmt, tags, P_TAGS);
  if (!_crm_store_collect_contacts (self->db, stmt, result, error))
    return NULL;
  return g_steal_pointer (&result);
}

