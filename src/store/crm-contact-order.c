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
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-contact-order.h"
#include "crm-store-private.h"

struct _CrmContactOrder
{
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
  g_autoptr (CrmContactOrder) order = g_new0 (CrmContactOrder, 1);
  sqlite3_stmt *stmt = NULL;
  guint allocated = 1024;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT local_id FROM contacts WHERE deleted = 0"
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
