/* crm-contact-anchors.c — landmarks in the list order, for far jumps
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading the page at position p of a million contacts with OFFSET p walks
 * p index entries: some 25 ms near the end of the list, at every jump of the
 * scroll bar. An anchor is the key (sort_key, id) of every 1024th contact
 * with the number of live contacts sorting before it; a far page is then
 * read from the nearest anchor below it, walking at most 1023 entries.
 *
 * The keys stay valid when contacts change; only the counts move. Adding a
 * contact adds one to every anchor whose key sorts after the new one, and
 * deleting takes one away, so the anchors stay exact without a new scan.
 * Keys compare as SQLite's BINARY collation does: byte by byte.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-contact-anchors.h"
#include "crm-store-private.h"

struct _CrmContactAnchors
{
  GArray *anchors;   /* CrmAnchor, in list order */
};

static void
anchor_clear (gpointer data)
{
  CrmAnchor *anchor = data;

  g_free (anchor->sort_key);
  g_free (anchor->id);
}

void
_crm_contact_anchors_free (CrmContactAnchors *anchors)
{
  g_array_unref (anchors->anchors);
  g_free (anchors);
}

/**
 * _crm_contact_anchors_build:
 * @step: the distance between anchors
 *
 * Walks the sort index once (no row is read).
 */
CrmContactAnchors *
_crm_contact_anchors_build (sqlite3       *db,
                            guint          step,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr (CrmContactAnchors) anchors = g_new0 (CrmContactAnchors, 1);
  sqlite3_stmt *stmt = NULL;
  guint position = 0;
  int rc;

  g_return_val_if_fail (step > 0, NULL);

  anchors->anchors = g_array_new (FALSE, FALSE, sizeof (CrmAnchor));
  g_array_set_clear_func (anchors->anchors, anchor_clear);

  rc = sqlite3_prepare_v2 (db,
                           "SELECT sort_key, id FROM contacts WHERE deleted = 0"
                           " ORDER BY sort_key, id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, db, rc, _("Cannot read the contacts"));
      return NULL;
    }
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (position % step == 0)
        {
          CrmAnchor anchor = {
            g_strdup ((const char *)sqlite3_column_text (stmt, 0)),
            g_strdup ((const char *)sqlite3_column_text (stmt, 1)),
            position,
          };
          g_array_append_val (anchors->anchors, anchor);
        }
      position++;
    }
  sqlite3_finalize (stmt);
  if (cancellable != NULL)
    _crm_store_watch_cancellable (db, NULL);

  if (!_crm_store_scan_done (db, rc, _("Cannot read the contacts"), error))
    return NULL;
  return g_steal_pointer (&anchors);
}

/**
 * _crm_contact_anchors_lookup:
 *
 * Returns: (nullable): the anchor with the greatest position not after
 *   @position.
 */
const CrmAnchor *
_crm_contact_anchors_lookup (CrmContactAnchors *anchors,
                             guint              position)
{
  GArray *a = anchors->anchors;
  guint lo = 0, hi = a->len;

  /* positions grow along the array: find the last one <= position */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (a, CrmAnchor, mid).position <= position)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo == 0 ? NULL : &g_array_index (a, CrmAnchor, lo - 1);
}

static int
compare_key (const CrmAnchor *anchor,
             const char      *sort_key,
             const char      *id)
{
  int cmp = strcmp (anchor->sort_key, sort_key);
  return cmp != 0 ? cmp : strcmp (anchor->id, id);
}

/**
 * _crm_contact_anchors_shift:
 * @delta: +1 when a contact with this key was added, -1 when one was removed
 *
 * Moves the anchors that sort after (@sort_key, @id).
 */
void
_crm_contact_anchors_shift (CrmContactAnchors *anchors,
                            const char        *sort_key,
                            const char        *id,
                            int                delta)
{
  GArray *a = anchors->anchors;

  for (guint i = a->len; i-- > 0;)
    {
      CrmAnchor *anchor = &g_array_index (a, CrmAnchor, i);

      if (compare_key (anchor, sort_key, id) <= 0)
        break;
      anchor->position += delta;
    }
}

/* The last anchor strictly before (@sort_key, @id), or NULL. */
const CrmAnchor *
_crm_contact_anchors_find (CrmContactAnchors *anchors,
                           const char        *sort_key,
                           const char        *id)
{
  GArray *a = anchors->anchors;
  guint lo = 0, hi = a->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (compare_key (&g_array_index (a, CrmAnchor, mid), sort_key, id) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo == 0 ? NULL : &g_array_index (a, CrmAnchor, lo - 1);
}
