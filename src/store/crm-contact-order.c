/* crm-contact-order.c — the list order of all live contacts, in memory
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search results are shown in list order (name, then id). Asking SQLite to
 * sort them means reading every matching row: about 2 µs a match, so a
 * search that matches a tenth of a million contacts would spend 200 ms
 * there. Instead a search thread keeps the order of all live contacts as two
 * arrays of 32-bit numbers (8 bytes a contact, read from the sort index
 * without touching a row) and sorts the matches by marking their positions
 * in a bitmap and reading it back: linear, and about a millisecond at 1M.
 * The order is rebuilt after the store changes.
 *
 * The same arrays hold the "last followed up" order (never followed up
 * first, then the oldest contacts.last_followup_at, then id: the contacts
 * that most need a call on top), walked along the index
 * contacts_by_last_followup. The contact list shows that order, and the filter
 * "not followed up for N days", as an array of local ids
 * (_crm_contact_order_arrange()) rather than by keyset over the index as in
 * the name order: a NULL key (never followed up, at first every contact)
 * cannot be compared as a row value, so every keyset read would split in
 * two statements, and counting positions would walk the NULLs; the array
 * costs 8 bytes a contact and is walked in one pass on a worker thread.
 * The stale filter is a bitmap by local id from two index range scans
 * (last_followup_at IS NULL, and < the cutoff); the owner filter ("My
 * customers") one more from a range scan of contacts_by_owner, and the two
 * are ANDed word by word.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-contact-order.h"
#include "crm-store-private.h"

struct _CrmContactOrder
{
  CrmContactListOrder kind;
  guint32 *by_position;  /* local ids in list order */
  guint    n;
  guint32 *position_of;  /* position + 1 by local id; 0 for none */
  guint32  max_rowid;
};

void
_crm_contact_order_free (CrmContactOrder *order)
{
  g_free (order->by_position);
  g_free (order->position_of);
  g_free (order);
}

CrmContactOrder *
_crm_contact_order_build (sqlite3       *db,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return _crm_contact_order_build_for (db, CRM_CONTACT_ORDER_NAME, cancellable, error);
}

/**
 * _crm_contact_order_build_for:
 * @kind: the order to hold
 *
 * Walks the index of @kind once. (SQLite 3.40 still reads each row for
 * "deleted = 0": it does not take a partial index as covering.)
 */
CrmContactOrder *
_crm_contact_order_build_for (sqlite3              *db,
                              CrmContactListOrder   kind,
                              GCancellable         *cancellable,
                              GError              **error)
{
  g_autoptr (CrmContactOrder) order = g_new0 (CrmContactOrder, 1);
  sqlite3_stmt *stmt = NULL;
  guint allocated = 1024;
  int rc;

  order->kind = kind;
  rc = sqlite3_prepare_v2 (db,
                           kind == CRM_CONTACT_ORDER_LAST_FOLLOWUP
                           ? "SELECT local_id FROM contacts WHERE deleted = 0"
                             " ORDER BY last_followup_at, id"
                           : "SELECT local_id FROM contacts WHERE deleted = 0"
                             " ORDER BY sort_key, id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, db, rc, _("Cannot search"));
      return NULL;
    }
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, cancellable);

  order->by_position = g_new (guint32, allocated);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      if (rowid <= 0 || rowid > G_MAXUINT32 - 1)
        {
          rc = SQLITE_RANGE;
          break;
        }
      if (order->n == allocated)
        {
          allocated *= 2;
          order->by_position = g_renew (guint32, order->by_position, allocated);
        }
      order->by_position[order->n++] = rowid;
      order->max_rowid = MAX (order->max_rowid, (guint32)rowid);
    }
  sqlite3_finalize (stmt);
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, NULL);

  if (!_crm_store_scan_done (db, rc, _("Cannot search"), error))
    return NULL;

  order->position_of = g_new0 (guint32, (gsize)order->max_rowid + 1);
  for (guint i = 0; i < order->n; i++)
    order->position_of[order->by_position[i]] = i + 1;
  return g_steal_pointer (&order);
}

/**
 * _crm_contact_order_sort:
 * @rowids: (element-type gint64): distinct local ids of live contacts
 *
 * Puts @rowids in list order.
 *
 * Returns: %FALSE, leaving @rowids as they were, when one of them is not in
 *   @order (it was built before that contact was added).
 */
gboolean
_crm_contact_order_sort (CrmContactOrder *order,
                         GArray          *rowids)
{
  g_autofree guint64 *bits = NULL;
  guint n_words = (order->n + 63) / 64;
  guint out = 0;

  bits = g_new0 (guint64, MAX (n_words, 1));
  for (guint i = 0; i < rowids->len; i++)
    {
      gint64 rowid = g_array_index (rowids, gint64, i);
      guint32 position;

      if (rowid <= 0 || rowid > order->max_rowid || order->position_of[rowid] == 0)
        return FALSE;
      position = order->position_of[rowid] - 1;
      bits[position / 64] |= G_GUINT64_CONSTANT (1) << (position % 64);
    }

  for (guint w = 0; w < n_words; w++)
    for (guint64 word = bits[w]; word != 0; word &= word - 1)
      {
        guint position = w * 64 + __builtin_ctzll (word);
        g_array_index (rowids, gint64, out++) = order->by_position[position];
      }
  g_assert (out == rowids->len);
  return TRUE;
}

CrmContactListOrder
_crm_contact_order_get_kind (CrmContactOrder *order)
{
  return order->kind;
}

guint
_crm_contact_order_get_n (CrmContactOrder *order)
{
  return order->n;
}

/* the local id at @position of the list */
gint64
_crm_contact_order_get (CrmContactOrder *order,
                        guint            position)
{
  g_assert (position < order->n);
  return order->by_position[position];
}

/* the position of @rowid in the list, or G_MAXUINT when it is not there */
guint
_crm_contact_order_position (CrmContactOrder *order,
                             gint64           rowid)
{
  if (rowid <= 0 || rowid > order->max_rowid || order->position_of[rowid] == 0)
    return G_MAXUINT;
  return order->position_of[rowid] - 1;
}

/* The local ids that @sql (a scan of local ids, its ?1 bound to @value)
 * gives, as bits by local id up to @max_rowid; NULL with @error on
 * failure. */
static guint64 *
scan_bits (sqlite3       *db,
           guint32        max_rowid,
           const char    *sql,
           const char    *value,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree guint64 *bits = g_new0 (guint64, (gsize)max_rowid / 64 + 1);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, db, rc, _("Cannot read the contacts"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      /* a contact newer than the order is not listed by it either */
      if (rowid > 0 && rowid <= max_rowid)
        bits[rowid / 64] |= G_GUINT64_CONSTANT (1) << (rowid % 64);
    }
  sqlite3_finalize (stmt);
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, NULL);
  if (!_crm_store_scan_done (db, rc, _("Cannot read the contacts"), error))
    return NULL;
  return g_steal_pointer (&bits);
}

/* The live contacts not followed up since @stale_before: two range scans
 * of contacts_by_last_followup, the NULLs, then the old */
#define STALE_SQL \
  "SELECT local_id FROM contacts WHERE deleted = 0 AND last_followup_at IS NULL" \
  " UNION ALL SELECT local_id FROM contacts WHERE deleted = 0 AND last_followup_at < ?1"
/* The live contacts of one owner: one range scan of contacts_by_owner
 * (0012-team.sql, partial: its WHERE is repeated so that it applies) */
#define OWNER_SQL \
  "SELECT local_id FROM contacts WHERE deleted = 0 AND owner <> '' AND owner = ?1"

/**
 * _crm_contact_order_arrange:
 * @candidates: (nullable) (element-type gint64): distinct local ids (a
 *   search's matches, in any order), or %NULL for every live contact
 * @stale_before: (nullable): a UTC ISO 8601 time: keep only the contacts
 *   never followed up or last followed up before it
 * @owner: (nullable): keep only the contacts of this owner (负责人)
 *
 * Runs on a worker thread, with @db the list's reader.
 *
 * Returns: (transfer full): the local ids of @candidates that pass the
 *   filter, in the order of @order (ids @order does not know are left
 *   out: a contact added since, which the list places itself), or %NULL
 *   with @error set.
 */
GArray *
_crm_contact_order_arrange (CrmContactOrder  *order,
                            sqlite3          *db,
                            GArray           *candidates,
                            const char       *stale_before,
                            const char       *owner,
                            GCancellable     *cancellable,
                            GError          **error)
{
  g_autofree guint64 *keep = NULL;
  g_autoptr (GArray) rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                 candidates ? candidates->len : order->n);

  if (stale_before != NULL)
    {
      keep = scan_bits (db, order->max_rowid, STALE_SQL, stale_before, cancellable, error);
      if (keep == NULL)
        return NULL;
    }
  if (owner != NULL)
    {
      g_autofree guint64 *mine = scan_bits (db, order->max_rowid, OWNER_SQL, owner,
                                            cancellable, error);

      if (mine == NULL)
        return NULL;
      if (keep == NULL)
        keep = g_steal_pointer (&mine);
      else
        for (gsize w = 0; w <= (gsize)order->max_rowid / 64; w++)
          keep[w] &= mine[w];
    }
#define KEPT(rowid) (keep == NULL || (keep[(rowid) / 64] >> ((rowid) % 64) & 1))
  if (candidates == NULL)
    {
      for (guint i = 0; i < order->n; i++)
        {
          gint64 rowid = order->by_position[i];

          if (KEPT (rowid))
            g_array_append_val (rowids, rowid);
        }
      return g_steal_pointer (&rowids);
    }
  for (guint i = 0; i < candidates->len; i++)
    {
      gint64 rowid = g_array_index (candidates, gint64, i);

      if (_crm_contact_order_position (order, rowid) != G_MAXUINT && KEPT (rowid))
        g_array_append_val (rowids, rowid);
    }
#undef KEPT
  if (!_crm_contact_order_sort (order, rowids))
    g_assert_not_reached (); /* every id left is in the order */
  return g_steal_pointer (&rowids);
}

/* The key of the contact @rowid in @kind, NULL for one never followed up;
 * FALSE when it cannot be read. */
static gboolean
read_key (sqlite3_stmt  *stmt,
          gint64         rowid,
          char         **key,
          char         **id)
{
  gboolean found;

  sqlite3_bind_int64 (stmt, 1, rowid);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    {
      *key = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      *id = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return found;
}

/* SQLite's order: NULL first, then text byte by byte */
static int
compare_keys (const char *key_a,
              const char *id_a,
              const char *key_b,
              const char *id_b)
{
  int cmp;

  if (key_a == NULL || key_b == NULL)
    cmp = (key_a != NULL) - (key_b != NULL);
  else
    cmp = strcmp (key_a, key_b);
  return cmp != 0 ? cmp : g_strcmp0 (id_a, id_b);
}

/**
 * _crm_contact_order_find_place:
 * @rowids: local ids in the order @kind, without @rowid
 *
 * On the main thread: where the contact @rowid, as stored now, goes in
 * @rowids: a binary search, one point read a step.
 */
guint
_crm_contact_order_find_place (sqlite3             *db,
                               CrmContactListOrder  kind,
                               GArray              *rowids,
                               gint64               rowid)
{
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt = NULL;
  guint lo = 0, hi = rowids->len;

  if (sqlite3_prepare_v3 (db,
                          kind == CRM_CONTACT_ORDER_LAST_FOLLOWUP
                          ? "SELECT last_followup_at, id FROM contacts WHERE local_id = ?1"
                          : "SELECT sort_key, id FROM contacts WHERE local_id = ?1",
                          -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    return rowids->len;
  if (!read_key (stmt, rowid, &key, &id))
    lo = rowids->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autofree char *mid_key = NULL;
      g_autofree char *mid_id = NULL;
      int cmp = 1;

      if (read_key (stmt, g_array_index (rowids, gint64, mid), &mid_key, &mid_id))
        cmp = compare_keys (mid_key, mid_id, key, id);
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  sqlite3_finalize (stmt);
  return lo;
}

/* On the main thread: whether @sql (its ?1 the local id, ?2 @text) finds
 * the contact @rowid */
static gboolean
point_check (sqlite3    *db,
             const char *sql,
             gint64      rowid,
             const char *text)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* On the main thread: whether the contact @rowid, as stored now, was never
 * followed up or last before @stale_before. */
gboolean
_crm_contact_is_stale (sqlite3    *db,
                       gint64      rowid,
                       const char *stale_before)
{
  return point_check (db,
                      "SELECT 1 FROM contacts WHERE local_id = ?1 AND deleted = 0"
                      " AND (last_followup_at IS NULL OR last_followup_at < ?2)",
                      rowid, stale_before);
}

/* On the main thread: whether the live contact @rowid, as stored now, has
 * @owner as its owner. */
gboolean
_crm_contact_has_owner (sqlite3    *db,
                        gint64      rowid,
                        const char *owner)
{
  return point_check (db,
                      "SELECT 1 FROM contacts WHERE local_id = ?1 AND deleted = 0"
                      " AND owner = ?2",
                      rowid, owner);
}

/**
 * _crm_contact_stale_cutoff:
 * @now: the time to count from
 * @days: how many days without a follow-up make a contact stale
 *
 * Returns: (transfer full): @days days before @now, in UTC ISO 8601 with
 *   seconds, as follow-ups store their times
 */
char *
_crm_contact_stale_cutoff (GDateTime *now,
                           guint      days)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (now);
  g_autoptr (GDateTime) cutoff = g_date_time_add_days (utc, -(int)MIN (days, 100000));

  return g_date_time_format (cutoff, "%Y-%m-%dT%H:%M:%SZ");
}
