/* crm-contact-list.c — the contacts as a lazily paged list model
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of CrmContact in list order (sort_key, id) that never loads
 * every row. Items are read from SQLite a page at a time and kept in a small
 * least-recently-used cache of pages (crm-page-cache.c). A page next to a cached one is read by
 * key ("the 64 rows after this one", an index seek); any other page from
 * the nearest anchor (crm-contact-anchors.c) or, before the anchors are
 * walked, by OFFSET.
 *
 * With a search query, the matching local ids are found on a worker thread
 * (crm-contact-search.c) and kept as an array (8 bytes a match) that maps
 * positions to rows. A search with very many matches shows its first page
 * before the rest.
 *
 * Each change the store reports becomes one precise items-changed: the old
 * and new positions are counted in the index.
 *
 * The "last followed up" order and the filter "not followed up for N days"
 * (crm_contact_list_set_order(), crm_contact_list_set_stale_days()) are
 * shown through the same array of local ids as a search: all live contacts
 * (or the search's matches) are filtered and arranged in that order on a
 * worker thread (crm-contact-list-order.c), and a changed contact moves in
 * the array alone, as in a search.
 *
 * A page that cannot be read (a damaged file) still gives an item for each
 * of its positions: the rows that could be read, then empty placeholder
 * contacts (crm_contact_list_is_placeholder()), so n_items stays true to
 * what the list announced.
 */
#include "config.h"

#include <string.h>

#include "crm-contact-anchors.h"
#include "crm-contact-list-private.h"
#include "crm-contact-order.h"
#include "crm-contact-private.h"
#include "crm-contact-search.h"
#include "crm-page-cache.h"
#include "crm-search.h"
#include "crm-store-private.h"

#define PAGE_SIZE CRM_PAGE_SIZE

G_STATIC_ASSERT (PAGE_SIZE == 64); /* the IN list of load_page() */

/* the distance between anchors; the tests make it small */
guint crm_contact_list_anchor_step = 1024;

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmContactList, crm_contact_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_QUERY,
  PROP_SEARCHING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void anchors_start (CrmContactList *self);

static void
clear_pages (CrmContactList *self)
{
  _crm_page_cache_clear (self->pages);
}

void
_crm_contact_list_set_contents (CrmContactList *self,
                                GArray         *filter,
                                guint           n_items,
                                guint           position,
                                guint           removed,
                                guint           added)
{
  if (filter != self->filter)
    {
      g_clear_pointer (&self->filter, g_array_unref);
      self->filter = filter;
    }
  if (filter == NULL)
    {
      g_clear_pointer (&self->filter_query, g_free);
      g_clear_pointer (&self->stale_before, g_free);
      g_clear_pointer (&self->filter_owner, g_free);
    }
  self->n_items = n_items;
  clear_pages (self);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * crm_contact_list_is_placeholder:
 *
 * Returns: whether @contact stands for a row that could not be read
 */
gboolean
crm_contact_list_is_placeholder (CrmContact *contact)
{
  return _crm_page_cache_is_placeholder (contact);
}

static void
read_failed (CrmContactList *self,
             sqlite3        *db,
             int             rc)
{
  _crm_page_cache_read_failed (self->pages, db, rc, "Cannot read contacts");
}

static GPtrArray *
query_page (CrmContactList *self,
            sqlite3        *db,
            const char     *sql,
            void          (*bind) (sqlite3_stmt *, gconstpointer),
            gconstpointer   data)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_full (PAGE_SIZE, g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      read_failed (self, db, rc);
      return g_steal_pointer (&rows);
    }
  bind (stmt, data);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, _crm_store_contact_from_row (stmt));
  if (rc != SQLITE_DONE)
    read_failed (self, db, rc);
  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}

typedef struct { const char *key; const char *id; gint64 n; } PageArgs;

static void
bind_key (sqlite3_stmt  *stmt,
          gconstpointer  data)
{
  const PageArgs *args = data;
  sqlite3_bind_text (stmt, 1, args->key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, args->id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, PAGE_SIZE);
  sqlite3_bind_int64 (stmt, 4, args->n); /* the offset, where used */
}

static void
bind_offset (sqlite3_stmt  *stmt,
             gconstpointer  data)
{
  const PageArgs *args = data;
  sqlite3_bind_int (stmt, 1, PAGE_SIZE);
  sqlite3_bind_int64 (stmt, 2, args->n);
}

static void
bind_rowids (sqlite3_stmt  *stmt,
             gconstpointer  data)
{
  const gint64 *rowids = data;
  for (guint i = 0; i < PAGE_SIZE; i++)
    sqlite3_bind_int64 (stmt, i + 1, rowids[i]);
}

/* the page read from the key (sort key, id) of @from by @sql */
static GPtrArray *
query_by_key (CrmContactList *self,
              sqlite3        *db,
              CrmContact     *from,
              const char     *sql)
{
  PageArgs args = { _crm_contact_get_sort_key (from), crm_contact_get_id (from), 0 };

  return query_page (self, db, sql, bind_key, &args);
}

/* the contacts of @page; the page cache gives a placeholder for each
 * missing at the end */
static GPtrArray *
load_page (gpointer owner,
           guint    page)
{
  CrmContactList *self = owner;
  sqlite3 *db = _crm_store_get_db (self->store);
  GPtrArray *prev = _crm_page_cache_peek_page (self->pages, page - 1);
  GPtrArray *next = _crm_page_cache_peek_page (self->pages, page + 1);
  const CrmAnchor *anchor;
  GPtrArray *rows;

  if (self->filter != NULL)
    {
      /* the matching ids of this page, padded with 0 (no such row) */
      gint64 ids[PAGE_SIZE] = { 0, };
      guint first = page * PAGE_SIZE;
      g_autoptr (GPtrArray) unordered = NULL;

      for (guint i = 0; i < PAGE_SIZE && first + i < self->filter->len; i++)
        ids[i] = g_array_index (self->filter, gint64, first + i);
      unordered = query_page (self, db,
                              "SELECT " CRM_CONTACT_COLUMNS " FROM contacts WHERE local_id IN ("
                              CRM_SQL_64_PARAMS ")",
                              bind_rowids, ids);
      /* put them in the order of the search results */
      rows = g_ptr_array_new_full (PAGE_SIZE, g_object_unref);
      for (guint i = 0; i < PAGE_SIZE && ids[i] != 0; i++)
        for (guint j = 0; j < unordered->len; j++)
          {
            CrmContact *c = g_ptr_array_index (unordered, j);
            if (_crm_contact_get_rowid (c) == ids[i])
              {
                g_ptr_array_add (rows, g_object_ref (c));
                break;
              }
          }
    }
  else if (page > 0 && prev != NULL && prev->len == PAGE_SIZE
           && !crm_contact_list_is_placeholder (g_ptr_array_index (prev, PAGE_SIZE - 1)))
    rows = query_by_key (self, db, g_ptr_array_index (prev, PAGE_SIZE - 1),
                         "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
                         " WHERE deleted = 0 AND (sort_key, id) > (?1, ?2)"
                         " ORDER BY sort_key, id LIMIT ?3");
  else if (next != NULL && next->len > 0
           && !crm_contact_list_is_placeholder (g_ptr_array_index (next, 0)))
    {
      rows = query_by_key (self, db, g_ptr_array_index (next, 0),
                           "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
                           " WHERE deleted = 0 AND (sort_key, id) < (?1, ?2)"
                           " ORDER BY sort_key DESC, id DESC LIMIT ?3");
      /* read backwards: put them in list order */
      for (guint i = 0, j = rows->len ? rows->len - 1 : 0; i < j; i++, j--)
        {
          gpointer tmp = rows->pdata[i];
          rows->pdata[i] = rows->pdata[j];
          rows->pdata[j] = tmp;
        }
      /* the rows next to the following page were read: what is missing is first */
      while (rows->len < PAGE_SIZE)
        g_ptr_array_insert (rows, 0, _crm_page_cache_new_placeholder (self->pages));
    }
  else if (self->anchors != NULL
           && (anchor = _crm_contact_anchors_lookup (self->anchors, page * PAGE_SIZE)) != NULL)
    {
      PageArgs args = { anchor->sort_key, anchor->id,
                        (gint64)page * PAGE_SIZE - anchor->position };

      rows = query_page (self, db,
                         "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
                         " WHERE deleted = 0 AND (sort_key, id) >= (?1, ?2)"
                         " ORDER BY sort_key, id LIMIT ?3 OFFSET ?4",
                         bind_key, &args);
    }
  else
    {
      PageArgs args = { NULL, NULL, (gint64)page * PAGE_SIZE };

      rows = query_page (self, db,
                         "SELECT " CRM_CONTACT_COLUMNS " FROM contacts"
                         " WHERE deleted = 0 ORDER BY sort_key, id LIMIT ?1 OFFSET ?2",
                         bind_offset, &args);
    }
  return rows;
}

static GType
crm_contact_list_get_item_type (GListModel *model)
{
  return CRM_TYPE_CONTACT;
}

static guint
crm_contact_list_get_n_items (GListModel *model)
{
  return CRM_CONTACT_LIST (model)->n_items;
}

static gpointer
crm_contact_list_get_item (GListModel *model,
                           guint       position)
{
  CrmContactList *self = CRM_CONTACT_LIST (model);

  return _crm_page_cache_get_item (self->pages, position, self->n_items);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = crm_contact_list_get_item_type;
  iface->get_n_items = crm_contact_list_get_n_items;
  iface->get_item = crm_contact_list_get_item;
}

/* The position @contact has (or would have) among the live contacts other
 * than itself; @current is its row as stored now (NULL when it is not
 * live). From the nearest anchor below its key when the anchors are there:
 * at most a step of index entries (0.1 ms) where count(*) from the start
 * walked half the index on average (57 ms in the middle of 1M contacts). */
static guint
count_before (CrmContactList *self,
              CrmContact     *contact,
              CrmContact     *current)
{
  sqlite3 *db = _crm_store_get_db (self->store);
  const char *key = _crm_contact_get_sort_key (contact);
  const char *id = crm_contact_get_id (contact);
  const CrmAnchor *anchor = self->anchors ? _crm_contact_anchors_find (self->anchors, key, id)
                                          : NULL;
  sqlite3_stmt *stmt = NULL;
  guint count = 0;
  int rc;

  if (anchor == NULL)
    rc = sqlite3_prepare_v3 (db,
                             "SELECT count(*) FROM contacts WHERE deleted = 0"
                             " AND (sort_key, id) < (?1, ?2) AND local_id <> ?3",
                             -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  else
    rc = sqlite3_prepare_v3 (db,
                             "SELECT count(*) FROM contacts WHERE deleted = 0"
                             " AND (sort_key, id) >= (?4, ?5)"
                             " AND (sort_key, id) < (?1, ?2) AND local_id <> ?3",
                             -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, _crm_contact_get_rowid (contact));
      if (anchor != NULL)
        {
          sqlite3_bind_text (stmt, 4, anchor->sort_key, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 5, anchor->id, -1, SQLITE_STATIC);
        }
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);

  if (anchor != NULL)
    {
      const char *now_key = current ? _crm_contact_get_sort_key (current) : NULL;
      int cmp = now_key ? strcmp (now_key, anchor->sort_key) : 0;

      count += anchor->position;
      /* the anchor counts the contact itself when it now sorts before it */
      if (current != NULL
          && (cmp < 0 || (cmp == 0 && strcmp (crm_contact_get_id (current), anchor->id) < 0)))
        count--;
    }
  return count;
}

static int
index_of_rowid (GArray *rowids,
                gint64  rowid)
{
  for (guint i = 0; rowids != NULL && i < rowids->len; i++)
    if (g_array_index (rowids, gint64, i) == rowid)
      return i;
  return -1;
}

static void
emit_move (CrmContactList *self,
           GArray         *filter,
           guint           n_items,
           int             old_pos,
           int             new_pos)
{
  if (old_pos >= 0 && old_pos == new_pos)
    {
      _crm_contact_list_set_contents (self, filter, n_items, old_pos, 1, 1);
      return;
    }

  if (old_pos >= 0 && new_pos >= 0)
    {
      /* a move: the rows between the two places shift by one, so that whole
       * range changes, and nothing outside it */
      guint lo = MIN (old_pos, new_pos);
      guint hi = MAX (old_pos, new_pos);

      _crm_contact_list_set_contents (self, filter, n_items, lo, hi - lo + 1, hi - lo + 1);
      return;
    }
  if (old_pos >= 0)
    _crm_contact_list_set_contents (self, filter, n_items, old_pos, 1, 0);
  else if (new_pos >= 0)
    _crm_contact_list_set_contents (self, filter, n_items, new_pos, 0, 1);
  else if (filter != self->filter)
    {
      g_clear_pointer (&self->filter, g_array_unref);
      self->filter = filter;
    }
}

static void
on_contact_changed (CrmContactList *self,
                    CrmContact     *before,
                    CrmContact     *after,
                    CrmStore       *store)
{
  int old_pos = -1;
  int new_pos = -1;

  self->change_serial++;

  if (self->anchors != NULL)
    {
      if (before != NULL)
        _crm_contact_anchors_shift (self->anchors, _crm_contact_get_sort_key (before),
                                    crm_contact_get_id (before), -1);
      if (after != NULL)
        _crm_contact_anchors_shift (self->anchors, _crm_contact_get_sort_key (after),
                                    crm_contact_get_id (after), +1);
    }

  if (self->filter == NULL)
    {
      guint n_items = self->n_items;

      if (before != NULL)
        {
          old_pos = count_before (self, before, after);
          n_items--;
        }
      if (after != NULL)
        {
          new_pos = count_before (self, after, after);
          n_items++;
        }
      emit_move (self, NULL, n_items, old_pos, new_pos);
    }
  else
    {
      CrmContact *which = after ? after : before;
      gint64 rowid = _crm_contact_get_rowid (which);
      sqlite3 *db = _crm_store_get_db (self->store);
      GArray *filter;

      if (self->partial_len > 0)
        {
          /* only the first page was shown, the rest still coming: search
           * again, in the worker, rather than list it all here */
          _crm_contact_list_run_query (self, self->query);
          return;
        }

      /* the results change by this one contact: out of its old place, and
       * into its new one if it still matches (the C rule the search's index
       * agrees with, the stale filter's and the owner's), found by a binary search on
       * the key of the order shown: a few point reads, where searching
       * again took up to 1.4 s (qq.com at 1M) */
      filter = g_array_copy (self->filter);
      old_pos = index_of_rowid (filter, rowid);
      if (old_pos >= 0)
        g_array_remove_index (filter, old_pos);
      if (after != NULL && _crm_contact_list_still_listed (self, db, rowid))
        {
          new_pos = _crm_contact_order_find_place (db, self->filter_order, filter, rowid);
          g_array_insert_val (filter, new_pos, rowid);
        }
      emit_move (self, filter, filter->len, old_pos, new_pos);
    }
  /* a search running meanwhile restarts when it sees the new serial */
}

static void
on_contacts_reset (CrmContactList *self,
                   CrmStore       *store)
{
  self->change_serial++;
  g_clear_pointer (&self->anchors, _crm_contact_anchors_free);
  _crm_contact_list_run_query (self, self->query);
  anchors_start (self);
}

typedef struct
{
  CrmContactAnchors *anchors;
  guint              serial;
} AnchorsData;

static void
anchors_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CrmContactList *self = source_object;
  AnchorsData *data = task_data;
  GError *error = NULL;
  sqlite3 *reader = _crm_contact_search_lock_reader (self->search, &error);

  if (reader != NULL)
    data->anchors = _crm_contact_anchors_build (reader, crm_contact_list_anchor_step,
                                                cancellable, &error);
  _crm_contact_search_unlock_reader (self->search);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
anchors_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CrmContactList *self = CRM_CONTACT_LIST (object);
  AnchorsData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* a damaged file made the store damaged already: the user is told there */
      if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT))
        g_message ("Cannot index the list: %s", error->message);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot index the list: %s", error->message);
      return;
    }
  g_clear_object (&self->anchors_cancellable);
  if (data->serial != self->change_serial)
    {
      /* the list changed while we walked it */
      anchors_start (self);
      return;
    }
  g_clear_pointer (&self->anchors, _crm_contact_anchors_free);
  self->anchors = g_steal_pointer (&data->anchors);
}

static void
anchors_data_free (AnchorsData *data)
{
  g_clear_pointer (&data->anchors, _crm_contact_anchors_free);
  g_free (data);
}

/* Walks the sort index on a worker thread for anchors; small lists need
 * none, OFFSET is quick there. */
static void
anchors_start (CrmContactList *self)
{
  g_autoptr (GTask) task = NULL;
  AnchorsData *data;

  g_cancellable_cancel (self->anchors_cancellable);
  g_clear_object (&self->anchors_cancellable);
  if (self->n_items < 4 * crm_contact_list_anchor_step)
    return;

  self->anchors_cancellable = g_cancellable_new ();
  data = g_new0 (AnchorsData, 1);
  data->serial = self->change_serial;
  task = g_task_new (self, self->anchors_cancellable, anchors_done, NULL);
  g_task_set_source_tag (task, anchors_start);
  g_task_set_task_data (task, data, (GDestroyNotify)anchors_data_free);
  g_task_run_in_thread (task, anchors_thread);
}

static void
crm_contact_list_constructed (GObject *object)
{
  CrmContactList *self = (CrmContactList *)object;

  G_OBJECT_CLASS (crm_contact_list_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  self->search = _crm_contact_search_new (self->store);
  self->n_items = crm_store_count_contacts (self->store);
  g_signal_connect_object (self->store, "contact-changed",
                           G_CALLBACK (on_contact_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "contacts-reset",
                           G_CALLBACK (on_contacts_reset), self, G_CONNECT_SWAPPED);
  anchors_start (self);
}

static void
crm_contact_list_dispose (GObject *object)
{
  CrmContactList *self = (CrmContactList *)object;

  _crm_contact_search_cancel (self->search);
  g_cancellable_cancel (self->anchors_cancellable);
  g_clear_object (&self->anchors_cancellable);
  g_cancellable_cancel (self->arrange_cancellable);
  g_clear_object (&self->arrange_cancellable);

  G_OBJECT_CLASS (crm_contact_list_parent_class)->dispose (object);
}

static void
crm_contact_list_finalize (GObject *object)
{
  CrmContactList *self = (CrmContactList *)object;

  _crm_page_cache_free (self->pages);
  g_clear_pointer (&self->anchors, _crm_contact_anchors_free);
  g_clear_pointer (&self->filter, g_array_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->filter_query, g_free);
  g_clear_pointer (&self->stale_before, g_free);
  g_clear_pointer (&self->owner, g_free);
  g_clear_pointer (&self->filter_owner, g_free);
  g_clear_pointer (&self->arranged_by, _crm_contact_order_free);
  g_clear_pointer (&self->search, _crm_contact_search_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_contact_list_parent_class)->finalize (object);
}

static void
crm_contact_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CrmContactList *self = CRM_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_SEARCHING:
      g_value_set_boolean (value, self->searching);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CrmContactList *self = CRM_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_QUERY:
      crm_contact_list_set_query (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_list_class_init (CrmContactListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = crm_contact_list_constructed;
  object_class->dispose = crm_contact_list_dispose;
  object_class->finalize = crm_contact_list_finalize;
  object_class->get_property = crm_contact_list_get_property;
  object_class->set_property = crm_contact_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCHING] =
    g_param_spec_boolean ("searching", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_contact_list_init (CrmContactList *self)
{
  self->pages = _crm_page_cache_new (CRM_TYPE_CONTACT, PAGE_SIZE, CRM_PAGE_CACHE_MAX_PAGES,
                                     load_page, self);
}

CrmContactList *
crm_contact_list_new (CrmStore *store)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  return g_object_new (CRM_TYPE_CONTACT_LIST, "store", store, NULL);
}

CrmStore *
crm_contact_list_get_store (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), NULL);
  return self->store;
}

const char *
crm_contact_list_get_query (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), NULL);
  return self->query;
}

gboolean
crm_contact_list_get_searching (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), FALSE);
  return self->searching;
}

/* On the main thread: show the first page of the search running while the
 * rest is found. */
static void
show_first_page (GObject    *owner,
                 GArray     *rowids,
                 const char *query)
{
  CrmContactList *self = CRM_CONTACT_LIST (owner);

  /* the first page by name: not the first in another order or filtered */
  if (!self->searching || _crm_contact_list_needs_arrange (self))
    return;
  g_free (self->filter_query);
  self->filter_query = g_strdup (query);
  self->partial_len = rowids->len;
  _crm_contact_list_set_contents (self, g_array_ref (rowids), rowids->len, 0, self->n_items,
                                  rowids->len);
}

/* the first @n ids of @a and @b are the same */
static gboolean
same_start (GArray *a,
            GArray *b,
            guint   n)
{
  return a != NULL && b != NULL && a->len >= n && b->len >= n
         && memcmp (a->data, b->data, n * sizeof (gint64)) == 0;
}

static void
search_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrmContactList *self = CRM_CONTACT_LIST (object);
  g_autoptr (GError) error = NULL;
  const char *query;
  guint serial;
  GArray *rowids;

  rowids = _crm_contact_search_finish (self->search, result, &query, &serial, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer search is running */

  if (serial != self->change_serial && g_strcmp0 (query, self->query) == 0)
    {
      /* the store changed while we searched: search again */
      g_clear_pointer (&rowids, g_array_unref);
      _crm_contact_list_run_query (self, self->query);
      return;
    }

  if (rowids == NULL)
    {
      if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT))
        g_message ("Search failed: %s", error->message);
      else
        g_warning ("Search failed: %s", error->message);
      rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  if (_crm_contact_list_needs_arrange (self))
    {
      /* still searching: the matches are filtered and put in order first */
      _crm_contact_list_arrange (self, rowids, query);
      g_array_unref (rowids);
      return;
    }
  self->searching = FALSE;
  self->filter_order = CRM_CONTACT_ORDER_NAME;
  g_clear_pointer (&self->stale_before, g_free);
  g_clear_pointer (&self->filter_owner, g_free);
  g_free (self->filter_query);
  self->filter_query = g_strdup (query);
  if (self->partial_len > 0 && same_start (self->filter, rowids, self->partial_len))
    {
      /* the first page is shown already: the rest follows it */
      guint shown = self->partial_len;

      self->partial_len = 0;
      _crm_contact_list_set_contents (self, rowids, rowids->len, shown, 0, rowids->len - shown);
    }
  else
    {
      self->partial_len = 0;
      _crm_contact_list_set_contents (self, rowids, rowids->len, 0, self->n_items, rowids->len);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCHING]);
}

/**
 * crm_contact_list_set_query:
 * @query: (nullable): words that must occur in a contact, or %NULL for all
 *
 * Filters the list. The search runs on a worker thread; the list changes,
 * in one items-changed, when it is done (#CrmContactList:searching is
 * %TRUE meanwhile). An empty query shows every contact at once.
 */
void
crm_contact_list_set_query (CrmContactList *self,
                            const char     *query)
{
  g_autoptr (CrmSearchPattern) pattern = NULL;

  g_return_if_fail (CRM_IS_CONTACT_LIST (self));

  /* words, or tags ("#重点客户") */
  pattern = _crm_search_pattern_new (query);
  if (pattern == NULL)
    query = NULL;

  /* the same search again (a search entry's delayed signal after Enter
   * started it): keep what is shown, and the selection on it */
  if (g_strcmp0 (query, self->query) == 0
      && (self->searching || g_strcmp0 (query, self->filter_query) == 0
          || (query == NULL && self->filter == NULL)))
    return;

  _crm_contact_list_run_query (self, query);
}

/* Starts the search for @query (already known to hold words, or NULL),
 * even when it is the one shown. */
void
_crm_contact_list_run_query (CrmContactList *self,
                             const char     *query)
{
  if (g_strcmp0 (query, self->query) != 0)
    {
      g_free (self->query);
      self->query = g_strdup (query);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
    }

  _crm_contact_search_cancel (self->search);
  g_cancellable_cancel (self->arrange_cancellable);
  g_clear_object (&self->arrange_cancellable);
  self->partial_len = 0;

  if (query == NULL && _crm_contact_list_needs_arrange (self))
    {
      _crm_contact_list_arrange (self, NULL, NULL);
      return;
    }
  if (query == NULL)
    {
      guint n = crm_store_count_contacts (self->store);
      gboolean was_searching = self->searching;

      self->searching = FALSE;
      _crm_contact_list_set_contents (self, NULL, n, 0, self->n_items, n);
      if (was_searching)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCHING]);
      return;
    }

  _crm_contact_search_start (self->search, G_OBJECT (self), query, self->change_serial,
                             show_first_page, search_done);

  if (!self->searching)
    {
      self->searching = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCHING]);
    }
}

/**
 * crm_contact_list_find:
 *
 * Returns: the position of @contact, or %G_MAXUINT when it is not listed.
 */
guint
crm_contact_list_find (CrmContactList *self,
                       CrmContact     *contact)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), G_MAXUINT);
  g_return_val_if_fail (CRM_IS_CONTACT (contact), G_MAXUINT);

  if (!crm_contact_is_saved (contact) || crm_contact_get_deleted (contact))
    return G_MAXUINT;
  if (self->filter != NULL)
    {
      int pos = index_of_rowid (self->filter, _crm_contact_get_rowid (contact));
      return pos < 0 ? G_MAXUINT : (guint)pos;
    }
  if (self->query != NULL)
    return G_MAXUINT;
  return count_before (self, contact, contact);
}

/* for the tests: whether far pages are read from anchors */
gboolean
crm_contact_list_has_anchors (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), FALSE);
  return self->anchors != NULL;
}

/* for the tests: forget the pages read, so the next read is a far jump */
void
crm_contact_list_drop_pages (CrmContactList *self)
{
  g_return_if_fail (CRM_IS_CONTACT_LIST (self));
  clear_pages (self);
}

/* for the tests: how many pages are held in memory */
guint
crm_contact_list_get_n_cached_pages (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), 0);
  return _crm_page_cache_get_n_pages (self->pages);
}
