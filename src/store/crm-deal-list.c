/* crm-deal-list.c — deals as a lazily paged list model
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of CrmDeal that never loads every row. It keeps the local
 * ids of its deals in order (8 bytes a deal, read by one index-only query)
 * and reads the rows themselves a page of 64 at a time, by id, with the
 * contact's name joined, into a small least-recently-used cache of pages
 * (crm-page-cache.c).
 *
 * A list of one stage is a column of the board, in the board's order
 * (position, local_id); the list of all stages is the table, in the order
 * crm_deal_list_set_sort() chose, ties broken by local_id, the descending
 * order the exact reverse (except that deals with no contact or no expected
 * close stay last).
 *
 * A change to one deal becomes precise items-changed signals without
 * reading the order again: the deal's old place is looked up in the array,
 * its new place found by a binary search that reads the sort key of
 * about 17 deals by id. Renumbering a column keeps its order, so it needs
 * nothing. A reset reads the whole order again.
 *
 * crm_deal_list_set_query() keeps only the deals whose title or customer
 * (the contact's name) matches a search, by the contact search's rule: the
 * SQL function crm_search_matches() (crm-search.c) tests each deal as the
 * order is read. No index for deals: a scan of 100k deals takes some tens
 * of milliseconds, and an FTS table would need a migration and triggers on
 * both tables to follow contact renames.
 *
 * A deal that cannot be read (a damaged file) still has its place: an empty
 * placeholder deal (crm_deal_list_is_placeholder()) stands for it, so every
 * position below n_items gives an item. The error is logged once; a damaged
 * file makes the store damaged through _crm_store_set_error().
 */
#include "config.h"

#include <string.h>

#include "crm-deal-list.h"
#include "crm-deal-private.h"
#include "crm-page-cache.h"
#include "crm-search-private.h"
#include "crm-store-private.h"

#define PAGE_SIZE CRM_PAGE_SIZE

G_STATIC_ASSERT (PAGE_SIZE == 64); /* the IN list of load_page() */

#define STAGE_RANK \
  "CASE d.stage WHEN 'lead' THEN 0 WHEN 'qualified' THEN 1 WHEN 'proposal' THEN 2" \
  " WHEN 'negotiation' THEN 3 WHEN 'won' THEN 4 ELSE 5 END"

#define MAX_KEYS 2

typedef struct
{
  const char *expr;
  gboolean    fixed;      /* not reversed by the descending flag */
} SortKey;

/* the sort keys of each order, before local_id; POSITION's first key, the
 * stage, is left out in a column */
static const struct
{
  SortKey  keys[MAX_KEYS];
  gboolean join;          /* reads the contact */
} sorts[] = {
  [CRM_DEAL_SORT_POSITION] = { { { STAGE_RANK, FALSE }, { "d.position", FALSE } }, FALSE },
  [CRM_DEAL_SORT_TITLE] = { { { "d.title", FALSE } }, FALSE },
  [CRM_DEAL_SORT_CONTACT] = { { { "c.sort_key IS NULL", TRUE }, { "c.sort_key", FALSE } }, TRUE },
  [CRM_DEAL_SORT_AMOUNT] = { { { "d.amount_fen", FALSE } }, FALSE },
  [CRM_DEAL_SORT_STAGE] = { { { STAGE_RANK, FALSE } }, FALSE },
  [CRM_DEAL_SORT_PROBABILITY] = { { { "d.probability", FALSE } }, FALSE },
  [CRM_DEAL_SORT_EXPECTED_CLOSE] = { { { "d.expected_close IS NULL", TRUE },
                                       { "d.expected_close", FALSE } }, FALSE },
  [CRM_DEAL_SORT_UPDATED] = { { { "d.updated_at", FALSE } }, FALSE },
};

struct _CrmDealList
{
  GObject       parent_instance;

  CrmStore     *store;
  int           stage;          /* a CrmDealStage, or CRM_DEAL_LIST_ALL_STAGES */
  CrmDealSort   sort;
  gboolean      descending;
  char         *query;          /* the search, or NULL for every deal */
  const SortKey *keys[MAX_KEYS];
  guint         n_keys;

  GArray       *ids;            /* gint64 local ids in list order */
  CrmPageCache *pages;          /* of CrmDeal */

  sqlite3_stmt *page_stmt;      /* 64 rows by local id */
  sqlite3_stmt *key_stmt;       /* the sort keys of one deal */
};

/* the sort keys of one deal, for the binary search */
typedef struct
{
  sqlite3_value *values[MAX_KEYS];
  gint64         id;
  gboolean       found;
} Key;

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmDealList, crm_deal_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_STAGE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * crm_deal_list_is_placeholder:
 *
 * Returns: whether @deal stands for a row that could not be read
 */
gboolean
crm_deal_list_is_placeholder (CrmDeal *deal)
{
  return _crm_page_cache_is_placeholder (deal);
}

/* once a list: scrolling over a damaged part would say it for every page */
static void
read_failed (CrmDealList *self,
             sqlite3     *db,
             int          rc,
             const char  *what)
{
  _crm_page_cache_read_failed (self->pages, db, rc, what);
}

static void
clear_pages (CrmDealList *self)
{
  _crm_page_cache_clear (self->pages);
}

static const char *
from_clause (CrmDealList *self)
{
  return sorts[self->sort].join || self->query != NULL ? CRM_DEAL_FROM : "deals d";
}

static void
prepare_key_stmt (CrmDealList *self)
{
  sqlite3 *db = _crm_store_get_db (self->store);
  g_autoptr (GString) sql = g_string_new ("SELECT ");
  int rc;

  g_clear_pointer (&self->key_stmt, sqlite3_finalize);
  for (guint k = 0; k < self->n_keys; k++)
    g_string_append_printf (sql, "%s%s", k ? ", " : "", self->keys[k]->expr);
  g_string_append_printf (sql, " FROM %s WHERE d.local_id = ?1 AND d.deleted = 0",
                          from_clause (self));
  if (self->stage >= 0)
    g_string_append (sql, " AND d.stage = ?2");
  rc = sqlite3_prepare_v3 (db, sql->str, -1, SQLITE_PREPARE_PERSISTENT, &self->key_stmt, NULL);
  if (rc != SQLITE_OK)
    read_failed (self, db, rc, "Cannot read the order of deals");
}

static void
key_clear (Key *key)
{
  for (guint k = 0; k < MAX_KEYS; k++)
    g_clear_pointer (&key->values[k], sqlite3_value_free);
}

static void
key_read (CrmDealList *self,
          gint64       id,
          Key         *key)
{
  sqlite3_stmt *stmt = self->key_stmt;
  int rc;

  memset (key, 0, sizeof *key);
  key->id = id;
  if (stmt == NULL)
    return;
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, id);
  if (self->stage >= 0)
    sqlite3_bind_text (stmt, 2, crm_deal_stage_to_string (self->stage), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      key->found = TRUE;
      for (guint k = 0; k < self->n_keys; k++)
        key->values[k] = sqlite3_value_dup (sqlite3_column_value (stmt, k));
    }
  else if (rc != SQLITE_DONE)
    read_failed (self, _crm_store_get_db (self->store), rc, "Cannot read the order of deals");
  sqlite3_reset (stmt);
}

/* SQLite's order of values with the BINARY collation: NULL, numbers, text */
static int
value_compare (sqlite3_value *a,
               sqlite3_value *b)
{
  int ta = sqlite3_value_type (a), tb = sqlite3_value_type (b);
  int ra = ta == SQLITE_NULL ? 0 : ta == SQLITE_TEXT ? 2 : ta == SQLITE_BLOB ? 3 : 1;
  int rb = tb == SQLITE_NULL ? 0 : tb == SQLITE_TEXT ? 2 : tb == SQLITE_BLOB ? 3 : 1;

  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (ra == 0)
    return 0;
  if (ra == 1)
    {
      if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER)
        {
          sqlite3_int64 x = sqlite3_value_int64 (a), y = sqlite3_value_int64 (b);
          return (x > y) - (x < y);
        }
      else
        {
          double x = sqlite3_value_double (a), y = sqlite3_value_double (b);
          return (x > y) - (x < y);
        }
    }
  else
    {
      const void *x = ra == 2 ? (const void *)sqlite3_value_text (a) : sqlite3_value_blob (a);
      const void *y = rb == 2 ? (const void *)sqlite3_value_text (b) : sqlite3_value_blob (b);
      int nx = sqlite3_value_bytes (a), ny = sqlite3_value_bytes (b);
      int c = memcmp (x, y, MIN (nx, ny));

      if (c != 0)
        return c < 0 ? -1 : 1;
      return (nx > ny) - (nx < ny);
    }
}

/* the list's order, as the ORDER BY of read_order() */
static int
key_compare (CrmDealList *self,
             const Key   *a,
             const Key   *b)
{
  int c;

  for (guint k = 0; k < self->n_keys; k++)
    {
      c = value_compare (a->values[k], b->values[k]);
      if (c != 0)
        return self->descending && !self->keys[k]->fixed ? -c : c;
    }
  c = (a->id > b->id) - (a->id < b->id);
  return self->descending ? -c : c;
}

/* Reads the ids in list order; on an error, those read before it. */
static GArray *
read_order (CrmDealList *self)
{
  sqlite3 *db = _crm_store_get_db (self->store);
  g_autoptr (GString) sql = g_string_new ("SELECT d.local_id FROM ");
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *dir = self->descending ? " DESC" : "";
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_string_append_printf (sql, "%s WHERE d.deleted = 0", from_clause (self));
  if (self->stage >= 0)
    g_string_append (sql, " AND d.stage = ?1");
  if (self->query != NULL)
    g_string_append (sql, " AND crm_search_matches (?2, d.title, c.name)");
  g_string_append (sql, " ORDER BY ");
  for (guint k = 0; k < self->n_keys; k++)
    g_string_append_printf (sql, "%s%s, ", self->keys[k]->expr,
                            self->keys[k]->fixed ? "" : dir);
  g_string_append_printf (sql, "d.local_id%s", dir);

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      if (self->stage >= 0)
        sqlite3_bind_text (stmt, 1, crm_deal_stage_to_string (self->stage), -1, SQLITE_STATIC);
      if (self->query != NULL)
        sqlite3_bind_text (stmt, 2, self->query, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (ids, id);
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      /* the deals before the damage are still shown */
      read_failed (self, db, rc, "Cannot read the order of deals");
    }
  return g_steal_pointer (&ids);
}

/* Reads the whole order again: one items-changed for everything. */
static void
reload (CrmDealList *self)
{
  guint old_n = self->ids->len;
  GArray *ids = read_order (self);

  g_array_unref (self->ids);
  self->ids = ids;
  clear_pages (self);
  if (old_n != 0 || ids->len != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, ids->len);
  if (old_n != ids->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static guint
find_id (CrmDealList *self,
         gint64       id)
{
  const gint64 *ids = (const gint64 *)(gpointer)self->ids->data;

  for (guint i = 0; i < self->ids->len; i++)
    if (ids[i] == id)
      return i;
  return G_MAXUINT;
}

/* Where @id goes among the ids in the array (it is not one of them), or
 * G_MAXUINT if a key cannot be read (the array is out of date). */
static guint
search_place (CrmDealList *self,
              gint64       id)
{
  Key target, probe;
  guint lo = 0, hi = self->ids->len;

  key_read (self, id, &target);
  if (!target.found)
    {
      key_clear (&target);
      return G_MAXUINT;
    }
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int c;

      key_read (self, g_array_index (self->ids, gint64, mid), &probe);
      if (!probe.found)
        {
          key_clear (&probe);
          key_clear (&target);
          return G_MAXUINT;
        }
      c = key_compare (self, &probe, &target);
      key_clear (&probe);
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  key_clear (&target);
  return lo;
}

/* the same rule as crm_search_matches() in read_order() */
static gboolean
matches (CrmDealList *self,
         CrmDeal     *deal)
{
  g_autoptr (CrmSearchPattern) pattern = NULL;
  const char *fields[CRM_SEARCH_N_FIELDS] = { NULL, };

  if (self->query == NULL || (pattern = _crm_search_pattern_new (self->query)) == NULL)
    return TRUE;
  fields[0] = crm_deal_get_title (deal);
  fields[1] = crm_deal_get_contact_name (deal);
  return _crm_search_pattern_match (pattern, fields, CRM_SEARCH_N_FIELDS);
}

static gboolean
belongs (CrmDealList *self,
         CrmDeal     *deal)
{
  return deal != NULL
         && (self->stage < 0 || (int)crm_deal_get_stage (deal) == self->stage)
         && matches (self, deal);
}

static void
on_deal_changed (CrmStore    *store,
                 CrmDeal     *before,
                 CrmDeal     *after,
                 CrmDealList *self)
{
  guint old_index = G_MAXUINT, new_index = G_MAXUINT;
  gint64 id;

  if (!belongs (self, before) && !belongs (self, after))
    return;

  if (belongs (self, before))
    {
      id = _crm_deal_get_rowid (before);
      old_index = find_id (self, id);
      if (old_index == G_MAXUINT)
        {
          reload (self);
          return;
        }
      g_array_remove_index (self->ids, old_index);
    }

  if (belongs (self, after))
    {
      id = _crm_deal_get_rowid (after);
      new_index = search_place (self, id);
      if (new_index == G_MAXUINT)
        {
          /* out of step with the store: start again from the array as the
           * model last showed it */
          if (old_index != G_MAXUINT)
            g_array_insert_val (self->ids, old_index, id);
          reload (self);
          return;
        }
      g_array_insert_val (self->ids, new_index, id);
    }

  /* both edits made and the cache emptied before any signal: a handler
   * reads the rows as they are now (a list widget does) */
  clear_pages (self);
  if (old_index != G_MAXUINT && new_index != G_MAXUINT)
    {
      /* in place, or a move: the rows between the two places shift by one */
      guint lo = MIN (old_index, new_index);
      guint hi = MAX (old_index, new_index);

      g_list_model_items_changed (G_LIST_MODEL (self), lo, hi - lo + 1, hi - lo + 1);
      return;
    }
  if (old_index != G_MAXUINT)
    g_list_model_items_changed (G_LIST_MODEL (self), old_index, 1, 0);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), new_index, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_deals_reset (CrmStore    *store,
                CrmDealList *self)
{
  reload (self);
}

/* the deals of @page; NULL for one that could not be read (or is gone):
 * the page cache puts a placeholder in its place */
static GPtrArray *
load_page (gpointer owner,
           guint    page)
{
  CrmDealList *self = owner;
  sqlite3 *db = _crm_store_get_db (self->store);
  guint first = page * PAGE_SIZE;
  guint n = MIN (PAGE_SIZE, self->ids->len - first);
  const gint64 *ids = &g_array_index (self->ids, gint64, first);
  GPtrArray *rows = g_ptr_array_new_full (n, g_object_unref);
  int rc;

  g_ptr_array_set_size (rows, n);
  if (self->page_stmt == NULL
      && (rc = sqlite3_prepare_v3 (db, "SELECT " CRM_DEAL_COLUMNS " FROM " CRM_DEAL_FROM
                                   " WHERE d.local_id IN (" CRM_SQL_64_PARAMS ")",
                                   -1, SQLITE_PREPARE_PERSISTENT, &self->page_stmt,
                                   NULL)) != SQLITE_OK)
    {
      read_failed (self, db, rc, "Cannot read deals");
      return rows;
    }

  sqlite3_reset (self->page_stmt);
  sqlite3_clear_bindings (self->page_stmt);
  for (guint i = 0; i < n; i++)
    sqlite3_bind_int64 (self->page_stmt, i + 1, ids[i]);
  while ((rc = sqlite3_step (self->page_stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (self->page_stmt, 0);

      for (guint i = 0; i < n; i++)
        if (ids[i] == id)
          {
            if (g_ptr_array_index (rows, i) == NULL)
              g_ptr_array_index (rows, i) = _crm_store_deal_from_row (self->page_stmt);
            break;
          }
    }
  if (rc != SQLITE_DONE)
    read_failed (self, db, rc, "Cannot read deals");
  sqlite3_reset (self->page_stmt);
  return rows;
}

static GType
crm_deal_list_get_item_type (GListModel *model)
{
  return CRM_TYPE_DEAL;
}

static guint
crm_deal_list_get_n_items (GListModel *model)
{
  return CRM_DEAL_LIST (model)->ids->len;
}

static gpointer
crm_deal_list_get_item (GListModel *model,
                        guint       position)
{
  CrmDealList *self = CRM_DEAL_LIST (model);

  return _crm_page_cache_get_item (self->pages, position, self->ids->len);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = crm_deal_list_get_item_type;
  iface->get_n_items = crm_deal_list_get_n_items;
  iface->get_item = crm_deal_list_get_item;
}

/* the keys of self->sort, without the stage in a column */
static void
choose_keys (CrmDealList *self)
{
  self->n_keys = 0;
  for (guint k = 0; k < MAX_KEYS && sorts[self->sort].keys[k].expr != NULL; k++)
    {
      if (self->stage >= 0 && g_str_equal (sorts[self->sort].keys[k].expr, STAGE_RANK))
        continue;
      self->keys[self->n_keys++] = &sorts[self->sort].keys[k];
    }
}

static void
crm_deal_list_constructed (GObject *object)
{
  CrmDealList *self = CRM_DEAL_LIST (object);

  G_OBJECT_CLASS (crm_deal_list_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_assert (self->stage >= CRM_DEAL_LIST_ALL_STAGES && self->stage < CRM_DEAL_N_STAGES);

  choose_keys (self);
  prepare_key_stmt (self);
  g_array_unref (self->ids);
  self->ids = read_order (self);

  g_signal_connect_object (self->store, "deal-changed", G_CALLBACK (on_deal_changed), self, 0);
  g_signal_connect_object (self->store, "deals-reset", G_CALLBACK (on_deals_reset), self, 0);
}

static void
crm_deal_list_dispose (GObject *object)
{
  CrmDealList *self = CRM_DEAL_LIST (object);

  clear_pages (self);
  g_clear_pointer (&self->page_stmt, sqlite3_finalize);
  g_clear_pointer (&self->key_stmt, sqlite3_finalize);
  g_clear_object (&self->store);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (crm_deal_list_parent_class)->dispose (object);
}

static void
crm_deal_list_finalize (GObject *object)
{
  CrmDealList *self = CRM_DEAL_LIST (object);

  _crm_page_cache_free (self->pages);
  g_array_unref (self->ids);

  G_OBJECT_CLASS (crm_deal_list_parent_class)->finalize (object);
}

static void
crm_deal_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CrmDealList *self = CRM_DEAL_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STAGE:
      g_value_set_int (value, self->stage);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_deal_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CrmDealList *self = CRM_DEAL_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_STAGE:
      self->stage = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_deal_list_class_init (CrmDealListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = crm_deal_list_constructed;
  object_class->dispose = crm_deal_list_dispose;
  object_class->finalize = crm_deal_list_finalize;
  object_class->get_property = crm_deal_list_get_property;
  object_class->set_property = crm_deal_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAGE] =
    g_param_spec_int ("stage", NULL, NULL, CRM_DEAL_LIST_ALL_STAGES, CRM_DEAL_N_STAGES - 1,
                      CRM_DEAL_LIST_ALL_STAGES,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_deal_list_init (CrmDealList *self)
{
  self->stage = CRM_DEAL_LIST_ALL_STAGES;
  self->sort = CRM_DEAL_SORT_POSITION;
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = _crm_page_cache_new (CRM_TYPE_DEAL, PAGE_SIZE, CRM_PAGE_CACHE_MAX_PAGES,
                                     load_page, self);
}

/**
 * crm_deal_list_new:
 * @stage: a #CrmDealStage for a column of the board, or
 *   %CRM_DEAL_LIST_ALL_STAGES for every live deal
 *
 * Returns: (transfer full): the list, in the board's order.
 */
CrmDealList *
crm_deal_list_new (CrmStore *store,
                   int       stage)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (stage >= CRM_DEAL_LIST_ALL_STAGES && stage < CRM_DEAL_N_STAGES, NULL);

  return g_object_new (CRM_TYPE_DEAL_LIST, "store", store, "stage", stage, NULL);
}

int
crm_deal_list_get_stage (CrmDealList *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_LIST (self), CRM_DEAL_LIST_ALL_STAGES);
  return self->stage;
}

/**
 * crm_deal_list_set_sort:
 * @descending: the reverse order (deals with no contact or no expected close
 *   still last)
 *
 * Orders the list by @sort, ties by the order the deals were made in; one
 * items-changed for the whole list if anything changes.
 */
void
crm_deal_list_set_sort (CrmDealList *self,
                        CrmDealSort  sort,
                        gboolean     descending)
{
  g_return_if_fail (CRM_IS_DEAL_LIST (self));
  g_return_if_fail (sort <= CRM_DEAL_SORT_UPDATED);

  descending = !!descending;
  if (self->sort == sort && self->descending == descending)
    return;
  self->sort = sort;
  self->descending = descending;
  choose_keys (self);
  prepare_key_stmt (self);
  reload (self);
}

/**
 * crm_deal_list_set_query:
 * @query: (nullable): what the person typed; %NULL or a text of no words
 *   for every deal
 *
 * Keeps only the deals whose title or contact's name matches @query, by the
 * contact search's rule (Chinese as substrings, pinyin and initials); one
 * items-changed for the whole list if the query changes.
 */
void
crm_deal_list_set_query (CrmDealList *self,
                         const char  *query)
{
  g_autoptr (CrmSearchPattern) pattern = NULL;

  g_return_if_fail (CRM_IS_DEAL_LIST (self));

  pattern = _crm_search_pattern_new (query);
  if (pattern == NULL)
    query = NULL;
  if (g_strcmp0 (self->query, query) == 0)
    return;
  g_free (self->query);
  self->query = g_strdup (query);
  prepare_key_stmt (self);
  reload (self);
}

const char *
crm_deal_list_get_query (CrmDealList *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_LIST (self), NULL);
  return self->query;
}

CrmDealSort
crm_deal_list_get_sort (CrmDealList *self,
                        gboolean    *descending)
{
  g_return_val_if_fail (CRM_IS_DEAL_LIST (self), CRM_DEAL_SORT_POSITION);
  if (descending != NULL)
    *descending = self->descending;
  return self->sort;
}

/**
 * crm_deal_list_find:
 *
 * Returns: the position of @deal in the list, or %G_MAXUINT (the value of
 *   %GTK_INVALID_LIST_POSITION) if it is not in it.
 */
guint
crm_deal_list_find (CrmDealList *self,
                    CrmDeal     *deal)
{
  g_return_val_if_fail (CRM_IS_DEAL_LIST (self), G_MAXUINT);
  g_return_val_if_fail (CRM_IS_DEAL (deal), G_MAXUINT);

  if (!crm_deal_is_saved (deal))
    return G_MAXUINT;
  return find_id (self, _crm_deal_get_rowid (deal));
}

/* for the tests and the benchmark: rows are never all loaded */
guint
crm_deal_list_get_n_cached_pages (CrmDealList *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_LIST (self), 0);
  return _crm_page_cache_get_n_pages (self->pages);
}
