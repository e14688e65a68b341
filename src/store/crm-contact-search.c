/* crm-contact-search.c — the contact list's search worker
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contact list (crm-contact-list.c) finds the local ids that match a
 * search on a worker thread, with a read-only connection of its own, and
 * puts them in list order through an in-memory order of the whole list
 * (crm-contact-order.c). One search runs at a time: starting one cancels
 * the one before, whose first page and results are then never shown.
 *
 * A search with very many matches takes a while to list in full (FTS5
 * yields some 3 matches a microsecond: 40 ms for a tenth of a million).
 * When the first PROBE_LIMIT matches predict at least
 * crm_contact_list_walk_min_matches (3 ms and more of listing), and the
 * first page to lie within WALK_LIMIT contacts of the list, the first page
 * is found first, by walking the list order and testing each contact, and
 * handed to the main thread before the rest.
 *
 * The list's anchors (crm-contact-anchors.c) are walked on the same
 * connection: _crm_contact_search_lock_reader().
 *
 * When one contact changes, the results shown change by that contact
 * alone: _crm_contact_search_matches() and _crm_contact_search_find_place()
 * say, on the main thread, whether it still matches and where it goes.
 */
#include "config.h"

#include <string.h>

#include "crm-contact-order.h"
#include "crm-contact-private.h"
#include "crm-contact-search.h"
#include "crm-page-cache.h"
#include "crm-search-private.h"
#include "crm-store-private.h"

#define PROBE_LIMIT 1024
#define WALK_LIMIT 4096
#define TLD_CANDIDATES 4096 /* tested one by one in some 6 ms */

/* how many matches make a search list its first page first; the tests make
 * it small */
guint crm_contact_list_walk_min_matches = 8000;

struct _CrmContactSearch
{
  CrmStore        *store;
  sqlite3         *reader;        /* used by one worker thread at a time */
  GMutex           reader_lock;   /* holds reader, order and order_serial */
  CrmContactOrder *order;         /* list order for sorting matches */
  guint            order_serial;  /* the change serial order was built at */
  GCancellable    *cancellable;   /* of the search running */
  guint            generation;    /* counts searches started and cancelled */
};

typedef struct
{
  CrmContactSearch              *search;
  char                          *query;
  guint                          serial;
  guint                          generation;
  CrmContactSearchFirstPageFunc  first_page;
} SearchData;

CrmContactSearch *
_crm_contact_search_new (CrmStore *store)
{
  CrmContactSearch *search = g_new0 (CrmContactSearch, 1);

  search->store = g_object_ref (store);
  g_mutex_init (&search->reader_lock);
  return search;
}

void
_crm_contact_search_free (CrmContactSearch *search)
{
  if (search == NULL)
    return;
  _crm_contact_search_cancel (search);
  g_mutex_lock (&search->reader_lock);
  g_clear_pointer (&search->reader, sqlite3_close_v2);
  g_clear_pointer (&search->order, _crm_contact_order_free);
  g_mutex_unlock (&search->reader_lock);
  g_mutex_clear (&search->reader_lock);
  g_clear_object (&search->store);
  g_free (search);
}

/**
 * _crm_contact_search_lock_reader:
 *
 * In a worker thread: the read-only connection, opened on first use, for
 * this thread alone until _crm_contact_search_unlock_reader(), which must
 * be called even when this returns %NULL.
 */
sqlite3 *
_crm_contact_search_lock_reader (CrmContactSearch  *search,
                                 GError           **error)
{
  g_mutex_lock (&search->reader_lock);
  if (search->reader == NULL)
    search->reader = _crm_store_open_reader (search->store, error);
  return search->reader;
}

void
_crm_contact_search_unlock_reader (CrmContactSearch *search)
{
  g_mutex_unlock (&search->reader_lock);
}

static void
search_data_free (SearchData *data)
{
  g_free (data->query);
  g_free (data);
}

/* In the search thread, with reader_lock held: the in-memory list order,
 * built again when the store has changed since. */
static CrmContactOrder *
ensure_order (CrmContactSearch *search,
              guint             serial,
              GCancellable     *cancellable)
{
  if (search->order == NULL || search->order_serial != serial)
    {
      g_clear_pointer (&search->order, _crm_contact_order_free);
      search->order = _crm_contact_order_build (search->reader, cancellable, NULL);
      search->order_serial = serial;
    }
  return search->order;
}

typedef struct
{
  GObject                       *owner;
  CrmContactSearch              *search;
  GArray                        *rowids;
  char                          *query;
  guint                          generation;
  CrmContactSearchFirstPageFunc  first_page;
} Partial;

static void
partial_free (Partial *partial)
{
  g_object_unref (partial->owner);
  g_array_unref (partial->rowids);
  g_free (partial->query);
  g_free (partial);
}

/* On the main thread: show the first page while the rest is found, unless
 * another search started since. */
static gboolean
apply_partial (gpointer user_data)
{
  Partial *partial = user_data;

  if (partial->generation == partial->search->generation)
    partial->first_page (partial->owner, partial->rowids, partial->query);
  return G_SOURCE_REMOVE;
}

/* In the search thread: the first CRM_PAGE_SIZE matches in list order,
 * found by testing contacts in that order; NULL when WALK_LIMIT contacts
 * hold fewer. */
static GArray *
walk_first_page (CrmContactSearch *search,
                 CrmContactOrder  *order,
                 const char       *query)
{
  g_autoptr (CrmSearchPattern) pattern = _crm_search_pattern_new (query);
  g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = MIN (_crm_contact_order_get_n (order), WALK_LIMIT);
  g_autofree gint64 *ids = g_new (gint64, MAX (n, 1));

  if (pattern == NULL)
    return NULL;
  for (guint i = 0; i < n; i++)
    ids[i] = _crm_contact_order_get (order, i);
  if (!_crm_store_filter_rowids (search->reader, pattern, ids, n, hits, CRM_PAGE_SIZE, NULL)
      || hits->len < CRM_PAGE_SIZE)
    return NULL;
  return g_steal_pointer (&hits);
}

/* In the search thread: an e-mail domain in the query ("ruifengsu.com")
 * costs FTS5 a walk of the lists of ".c", "co" and "om", which nearly every
 * address holds (30 ms at a million contacts). Without its top-level part
 * the query is cheap; when that finds few contacts, they are tested for the
 * whole query one by one. NULL when this does not apply. */
static GArray *
search_without_tld (CrmContactSearch *search,
                    const char       *query,
                    GCancellable     *cancellable)
{
  g_autofree char *trimmed = _crm_search_trim_domains (query);
  g_autoptr (CrmSearchPattern) pattern = NULL;
  g_autoptr (GArray) candidates = NULL;
  g_autoptr (GArray) rowids = NULL;

  if (trimmed == NULL)
    return NULL;
  candidates = _crm_store_search_rowids (search->reader, trimmed, FALSE, TLD_CANDIDATES,
                                         cancellable, NULL);
  if (candidates == NULL || candidates->len == TLD_CANDIDATES)
    return NULL;
  pattern = _crm_search_pattern_new (query);
  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!_crm_store_filter_rowids (search->reader, pattern,
                                 (const gint64 *)(gpointer)candidates->data,
                                 candidates->len, rowids, G_MAXUINT, NULL))
    return NULL;
  return g_steal_pointer (&rowids);
}

typedef struct
{
  GTask           *task;
  SearchData      *data;
  CrmContactOrder *order;
} ProbeData;

/* In the search thread, when the search has found PROBE_LIMIT matches and
 * goes on: if so many that listing them all takes a while, and dense enough
 * to find the first page soon, the first page is shown before the rest. */
static void
on_probe (GArray   *first_rowids,
          gpointer  user_data)
{
  ProbeData *probe = user_data;
  gint64 last = g_array_index (first_rowids, gint64, PROBE_LIMIT - 1);
  double scale = (double)_crm_contact_order_get_n (probe->order) / last;
  guint in_window = 0;
  Partial *partial;
  GSource *source;
  GArray *first;

  if (PROBE_LIMIT * scale < crm_contact_list_walk_min_matches
      || g_cancellable_is_cancelled (g_task_get_cancellable (probe->task)))
    return;

  /* The probe holds every match up to local id @last, a fair sample of
   * them all: where they stand in the list tells whether the first page
   * lies within the first WALK_LIMIT contacts. Matches that cluster further
   * down (the 张 of "zhang") are not walked for. */
  for (guint i = 0; i < PROBE_LIMIT; i++)
    if (_crm_contact_order_position (probe->order, g_array_index (first_rowids, gint64, i))
        < WALK_LIMIT)
      in_window++;
  if (in_window * scale < 2 * CRM_PAGE_SIZE)
    return;
  first = walk_first_page (probe->data->search, probe->order, probe->data->query);
  if (first == NULL)
    return;

  /* not g_main_context_invoke(), which may run it right here, on this
   * thread, when the main thread is between iterations */
  partial = g_new0 (Partial, 1);
  partial->owner = g_object_ref (g_task_get_source_object (probe->task));
  partial->search = probe->data->search;
  partial->rowids = first;
  partial->query = g_strdup (probe->data->query);
  partial->generation = probe->data->generation;
  partial->first_page = probe->data->first_page;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, apply_partial, partial, (GDestroyNotify)partial_free);
  g_source_attach (source, g_task_get_context (probe->task));
  g_source_unref (source);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  CrmContactSearch *search = data->search;
  GError *error = NULL;
  GArray *rowids = NULL;
  CrmContactOrder *order;

  order = _crm_contact_search_lock_reader (search, &error)
          ? ensure_order (search, data->serial, cancellable) : NULL;
  if (order != NULL)
    rowids = search_without_tld (search, data->query, cancellable);
  if (order != NULL && rowids == NULL)
    {
      ProbeData probe = { task, data, order };

      rowids = _crm_store_search_rowids_probed (search->reader, data->query, PROBE_LIMIT,
                                                on_probe, &probe, cancellable, &error);
    }
  if (rowids != NULL && !_crm_contact_order_sort (order, rowids))
    g_clear_pointer (&rowids, g_array_unref); /* the order is stale: SQLite sorts */
  if (rowids == NULL && error == NULL && search->reader != NULL)
    rowids = _crm_store_search_rowids (search->reader, data->query, TRUE, -1, cancellable,
                                       &error);
  _crm_contact_search_unlock_reader (search);

  if (rowids != NULL)
    g_task_return_pointer (task, rowids, (GDestroyNotify)g_array_unref);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_array_new (FALSE, FALSE, sizeof (gint64)),
                           (GDestroyNotify)g_array_unref);
}

/* Stops the search running, if any: neither its first page nor its results
 * will be given. */
void
_crm_contact_search_cancel (CrmContactSearch *search)
{
  g_cancellable_cancel (search->cancellable);
  g_clear_object (&search->cancellable);
  search->generation++;
}

/**
 * _crm_contact_search_start:
 * @owner: the object the search is for; @callback gets it as source object
 * @serial: the owner's count of changes to the store, for the list order
 * @first_page: gets the first page when it is found first
 *
 * Cancels the search running and starts one for @query on a worker thread;
 * @callback calls _crm_contact_search_finish().
 */
void
_crm_contact_search_start (CrmContactSearch              *search,
                           GObject                       *owner,
                           const char                    *query,
                           guint                          serial,
                           CrmContactSearchFirstPageFunc  first_page,
                           GAsyncReadyCallback            callback)
{
  g_autoptr (GTask) task = NULL;
  SearchData *data;

  _crm_contact_search_cancel (search);
  search->cancellable = g_cancellable_new ();
  data = g_new0 (SearchData, 1);
  data->search = search;
  data->query = g_strdup (query);
  data->serial = serial;
  data->generation = search->generation;
  data->first_page = first_page;

  task = g_task_new (owner, search->cancellable, callback, NULL);
  g_task_set_source_tag (task, _crm_contact_search_start);
  g_task_set_task_data (task, data, (GDestroyNotify)search_data_free);
  g_task_run_in_thread (task, search_thread);
}

/**
 * _crm_contact_search_finish:
 * @query: (out): the query searched for, valid as long as @result
 * @serial: (out): the serial the search was started with
 *
 * Returns: (transfer full): the local ids that match, in list order, or
 *   %NULL with @error set (%G_IO_ERROR_CANCELLED for a cancelled search)
 */
GArray *
_crm_contact_search_finish (CrmContactSearch  *search,
                            GAsyncResult      *result,
                            const char       **query,
                            guint             *serial,
                            GError           **error)
{
  GTask *task = G_TASK (result);
  SearchData *data = g_task_get_task_data (task);

  *query = data->query;
  *serial = data->serial;
  /* the search running is done */
  if (data->generation == search->generation)
    g_clear_object (&search->cancellable);
  return g_task_propagate_pointer (task, error);
}

/* On the main thread: whether the contact with @rowid, as stored now,
 * matches @query, the query of the results shown. */
gboolean
_crm_contact_search_matches (sqlite3    *db,
                             const char *query,
                             gint64      rowid)
{
  g_autoptr (CrmSearchPattern) pattern = _crm_search_pattern_new (query);
  g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (pattern == NULL)
    return FALSE;
  if (!_crm_store_filter_rowids (db, pattern, &rowid, 1, hits, 1, NULL))
    return FALSE;
  return hits->len == 1;
}

/* On the main thread: where @contact goes among the results @filter (in
 * list order, without it): the first whose (sort key, id) is greater. */
guint
_crm_contact_search_find_place (sqlite3    *db,
                                GArray     *filter,
                                CrmContact *contact)
{
  const char *key = _crm_contact_get_sort_key (contact);
  const char *id = crm_contact_get_id (contact);
  sqlite3_stmt *stmt = NULL;
  guint lo = 0, hi = filter->len;

  if (sqlite3_prepare_v3 (db, "SELECT sort_key, id FROM contacts WHERE local_id = ?1", -1,
                          SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    return filter->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int cmp = 1;

      sqlite3_bind_int64 (stmt, 1, g_array_index (filter, gint64, mid));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          cmp = strcmp ((const char *)sqlite3_column_text (stmt, 0), key);
          if (cmp == 0)
            cmp = strcmp ((const char *)sqlite3_column_text (stmt, 1), id);
        }
      sqlite3_reset (stmt);
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  sqlite3_finalize (stmt);
  return lo;
}
