/* crm-page-cache.h — the pages of rows a lazy list model keeps in memory
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* the rows of the lists are read 64 at a time (the IN lists of the loaders)
 * and 32 pages are kept */
#define CRM_PAGE_SIZE 64
#define CRM_PAGE_CACHE_MAX_PAGES 32

typedef struct _CrmPageCache CrmPageCache;

/* Reads page @page: a GPtrArray (owning its items) of at most @page_size
 * rows in list order; a NULL element or missing rows at the end are rows
 * that could not be read. */
typedef GPtrArray *(*CrmPageLoadFunc) (gpointer owner,
                                       guint    page);

CrmPageCache *_crm_page_cache_new              (GType            item_type,
                                                guint            page_size,
                                                guint            max_pages,
                                                CrmPageLoadFunc  load,
                                                gpointer         owner);
void          _crm_page_cache_free             (CrmPageCache    *cache);
void          _crm_page_cache_clear            (CrmPageCache    *cache);
gpointer      _crm_page_cache_get_item         (CrmPageCache    *cache,
                                                guint            position,
                                                guint            n_items);
GPtrArray    *_crm_page_cache_peek_page        (CrmPageCache    *cache,
                                                guint            page);
guint         _crm_page_cache_get_n_pages      (CrmPageCache    *cache);
gpointer      _crm_page_cache_new_placeholder  (CrmPageCache    *cache);
gboolean      _crm_page_cache_is_placeholder   (gpointer         item);
void          _crm_page_cache_read_failed      (CrmPageCache    *cache,
                                                sqlite3         *db,
                                                int              rc,
                                                const char      *what);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmPageCache, _crm_page_cache_free)

G_END_DECLS
