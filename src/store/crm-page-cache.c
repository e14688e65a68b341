/* crm-page-cache.c — the pages of rows a lazy list model keeps in memory
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contact list and the deal lists never hold every row: they read a
 * page of rows when an item of it is asked for and keep the pages in a
 * small least-recently-used cache. The list says how to read a page; the
 * cache keeps it, forgets the page used least long ago once it holds more
 * than its maximum, and gives an item for every position the list
 * announced: a row that could not be read (a damaged file) is an empty
 * placeholder item of the list's type (_crm_page_cache_is_placeholder()).
 */
#include "config.h"

#include "crm-page-cache.h"
#include "crm-store-private.h"

struct _CrmPageCache
{
  GType            item_type;
  guint            page_size;
  guint            max_pages;
  CrmPageLoadFunc  load;
  gpointer         owner;

  GHashTable      *pages;       /* page number -> GPtrArray of items */
  GQueue           lru;         /* page numbers, most recent first */
  gboolean         read_error_logged;
};

static GQuark
placeholder_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("crm-page-cache-placeholder");
  return quark;
}

/**
 * _crm_page_cache_new:
 * @item_type: the GObject type of the items, and of the placeholders
 * @load: reads a page for @owner
 *
 * Returns: (transfer full): an empty cache of at most @max_pages pages
 */
CrmPageCache *
_crm_page_cache_new (GType           item_type,
                     guint           page_size,
                     guint           max_pages,
                     CrmPageLoadFunc load,
                     gpointer        owner)
{
  CrmPageCache *cache = g_new0 (CrmPageCache, 1);

  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (page_size > 0 && max_pages > 0 && load != NULL, NULL);

  cache->item_type = item_type;
  cache->page_size = page_size;
  cache->max_pages = max_pages;
  cache->load = load;
  cache->owner = owner;
  cache->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
  g_queue_init (&cache->lru);
  return cache;
}

void
_crm_page_cache_free (CrmPageCache *cache)
{
  if (cache == NULL)
    return;
  _crm_page_cache_clear (cache);
  g_hash_table_unref (cache->pages);
  g_free (cache);
}

/* forgets every page: the next read of each item reads its page again */
void
_crm_page_cache_clear (CrmPageCache *cache)
{
  g_hash_table_remove_all (cache->pages);
  g_queue_clear (&cache->lru);
}

/**
 * _crm_page_cache_new_placeholder:
 *
 * Returns: (transfer full): a new empty item that stands for a row that
 *   could not be read
 */
gpointer
_crm_page_cache_new_placeholder (CrmPageCache *cache)
{
  GObject *item = g_object_new (cache->item_type, NULL);

  g_object_set_qdata (item, placeholder_quark (), GINT_TO_POINTER (TRUE));
  return item;
}

gboolean
_crm_page_cache_is_placeholder (gpointer item)
{
  return item != NULL && g_object_get_qdata (G_OBJECT (item), placeholder_quark ()) != NULL;
}

/* Logs a failed read of the list once: scrolling over a damaged part would
 * say it for every page. A damaged file makes the store damaged through
 * _crm_store_set_error(). */
void
_crm_page_cache_read_failed (CrmPageCache *cache,
                             sqlite3      *db,
                             int           rc,
                             const char   *what)
{
  g_autoptr (GError) error = NULL;

  _crm_store_set_error (&error, db, rc, what);
  if (!cache->read_error_logged)
    g_message ("%s: %s", what, error->message);
  cache->read_error_logged = TRUE;
}

/* the page if it is held, without counting it as used */
GPtrArray *
_crm_page_cache_peek_page (CrmPageCache *cache,
                           guint         page)
{
  return g_hash_table_lookup (cache->pages, GUINT_TO_POINTER (page));
}

guint
_crm_page_cache_get_n_pages (CrmPageCache *cache)
{
  return g_hash_table_size (cache->pages);
}

static GPtrArray *
load_page (CrmPageCache *cache,
           guint         page,
           guint         n_items)
{
  GPtrArray *rows = cache->load (cache->owner, page);
  guint first = page * cache->page_size;

  /* a row that could not be read still has its place */
  for (guint i = 0; i < rows->len; i++)
    if (g_ptr_array_index (rows, i) == NULL)
      g_ptr_array_index (rows, i) = _crm_page_cache_new_placeholder (cache);
  while (rows->len < MIN (cache->page_size, n_items - first))
    g_ptr_array_add (rows, _crm_page_cache_new_placeholder (cache));

  g_hash_table_insert (cache->pages, GUINT_TO_POINTER (page), rows);
  g_queue_push_head (&cache->lru, GUINT_TO_POINTER (page));
  while (g_queue_get_length (&cache->lru) > cache->max_pages)
    g_hash_table_remove (cache->pages, g_queue_pop_tail (&cache->lru));
  return rows;
}

/**
 * _crm_page_cache_get_item:
 * @n_items: how many items the list has
 *
 * Returns: (transfer full) (nullable): the item at @position, read with its
 *   page if that is not held; %NULL from @n_items on
 */
gpointer
_crm_page_cache_get_item (CrmPageCache *cache,
                          guint         position,
                          guint         n_items)
{
  guint page = position / cache->page_size;
  guint index = position % cache->page_size;
  GPtrArray *rows;

  if (position >= n_items)
    return NULL;

  rows = g_hash_table_lookup (cache->pages, GUINT_TO_POINTER (page));
  if (rows == NULL)
    rows = load_page (cache, page, n_items);
  else if (g_queue_peek_head (&cache->lru) != GUINT_TO_POINTER (page))
    {
      g_queue_remove (&cache->lru, GUINT_TO_POINTER (page));
      g_queue_push_head (&cache->lru, GUINT_TO_POINTER (page));
    }

  if (index >= rows->len)
    return _crm_page_cache_new_placeholder (cache);
  return g_object_ref (g_ptr_array_index (rows, index));
}
