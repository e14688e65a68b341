/* test-page-cache.c — the pages of rows the list models keep: eviction,
 * placeholders for rows that could not be read, the failed read said once
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-contact.h"
#include "crm-page-cache.h"

#define N_ITEMS (100 * CRM_PAGE_SIZE + 10)
#define STORE_LOG_DOMAIN "crm-store" /* libcrm-store's G_LOG_DOMAIN */

/* A list whose rows are contacts named by their position; pages listed in
 * @unreadable read only their first @readable rows, with a hole at
 * @hole when that is below it. */
typedef struct
{
  CrmPageCache *cache;
  GArray       *loads;          /* the page numbers read, in order */
  guint         unreadable;     /* a page that cannot be read in full, or G_MAXUINT */
  guint         readable;
  guint         hole;
} List;

static GPtrArray *
load (gpointer owner,
      guint    page)
{
  List *list = owner;
  GPtrArray *rows = g_ptr_array_new_full (CRM_PAGE_SIZE, g_object_unref);
  guint n = MIN (CRM_PAGE_SIZE, N_ITEMS - page * CRM_PAGE_SIZE);

  g_array_append_val (list->loads, page);
  if (page == list->unreadable)
    n = list->readable;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u", page * CRM_PAGE_SIZE + i);
      CrmContact *contact;

      if (page == list->unreadable && i == list->hole)
        {
          g_ptr_array_add (rows, NULL);
          continue;
        }
      contact = crm_contact_new ();
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, name);
      g_ptr_array_add (rows, contact);
    }
  return rows;
}

static void
list_init (List *list)
{
  list->cache = _crm_page_cache_new (CRM_TYPE_CONTACT, CRM_PAGE_SIZE, CRM_PAGE_CACHE_MAX_PAGES,
                                     load, list);
  list->loads = g_array_new (FALSE, FALSE, sizeof (guint));
  list->unreadable = G_MAXUINT;
  list->hole = G_MAXUINT;
}

static void
list_clear (List *list)
{
  g_clear_pointer (&list->cache, _crm_page_cache_free);
  g_clear_pointer (&list->loads, g_array_unref);
}

/* reads the item at @position and checks it is the row there */
static void
read_item (List  *list,
           guint  position)
{
  g_autoptr (CrmContact) contact = _crm_page_cache_get_item (list->cache, position, N_ITEMS);
  g_autofree char *name = g_strdup_printf ("%u", position);

  g_assert_nonnull (contact);
  g_assert_false (_crm_page_cache_is_placeholder (contact));
  g_assert_cmpstr (crm_contact_get_name (contact), ==, name);
}

/* whether reading @page now reads it from the loader */
static gboolean
reads_page (List  *list,
            guint  page)
{
  guint before = list->loads->len;

  read_item (list, page * CRM_PAGE_SIZE + 1);
  return list->loads->len > before;
}

static void
test_page_read_once (void)
{
  List list = { 0, };

  list_init (&list);
  for (guint i = 0; i < 3 * CRM_PAGE_SIZE; i++)
    read_item (&list, i);
  /* three pages, each read once, in order */
  g_assert_cmpuint (list.loads->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (g_array_index (list.loads, guint, i), ==, i);
  g_assert_cmpuint (_crm_page_cache_get_n_pages (list.cache), ==, 3);
  g_assert_nonnull (_crm_page_cache_peek_page (list.cache, 2));
  g_assert_null (_crm_page_cache_peek_page (list.cache, 3));
  g_assert_null (_crm_page_cache_get_item (list.cache, N_ITEMS, N_ITEMS));

  _crm_page_cache_clear (list.cache);
  g_assert_cmpuint (_crm_page_cache_get_n_pages (list.cache), ==, 0);
  g_assert_true (reads_page (&list, 0));
  list_clear (&list);
}

static void
test_eviction (void)
{
  List list = { 0, };

  list_init (&list);
  for (guint page = 0; page < CRM_PAGE_CACHE_MAX_PAGES; page++)
    g_assert_true (reads_page (&list, page));
  g_assert_cmpuint (_crm_page_cache_get_n_pages (list.cache), ==, CRM_PAGE_CACHE_MAX_PAGES);

  /* page 0 used again: page 1 is now the one used least long ago */
  g_assert_false (reads_page (&list, 0));
  g_assert_true (reads_page (&list, 50));
  g_assert_cmpuint (_crm_page_cache_get_n_pages (list.cache), ==, CRM_PAGE_CACHE_MAX_PAGES);
  g_assert_null (_crm_page_cache_peek_page (list.cache, 1));
  g_assert_nonnull (_crm_page_cache_peek_page (list.cache, 0));

  /* peeking at a page does not count as using it */
  g_assert_nonnull (_crm_page_cache_peek_page (list.cache, 2));
  g_assert_true (reads_page (&list, 51));
  g_assert_null (_crm_page_cache_peek_page (list.cache, 2));
  g_assert_false (reads_page (&list, 0));
  g_assert_true (reads_page (&list, 1));

  /* a long scroll never holds more than the maximum */
  for (guint page = 0; page < 100; page++)
    reads_page (&list, page);
  g_assert_cmpuint (_crm_page_cache_get_n_pages (list.cache), ==, CRM_PAGE_CACHE_MAX_PAGES);
  list_clear (&list);
}

static void
test_placeholders (void)
{
  List list = { 0, };
  guint last_page = (N_ITEMS - 1) / CRM_PAGE_SIZE;
  guint placeholders = 0;

  list_init (&list);
  /* page 3 reads 40 rows of 64, the tenth of them unreadable */
  list.unreadable = 3;
  list.readable = 40;
  list.hole = 9;
  for (guint i = 3 * CRM_PAGE_SIZE; i < 4 * CRM_PAGE_SIZE; i++)
    {
      g_autoptr (CrmContact) contact = _crm_page_cache_get_item (list.cache, i, N_ITEMS);
      g_autofree char *name = g_strdup_printf ("%u", i);
      guint index = i % CRM_PAGE_SIZE;

      /* every position gives an item of the list's type */
      g_assert_true (CRM_IS_CONTACT (contact));
      if (index == list.hole || index >= list.readable)
        {
          g_assert_true (_crm_page_cache_is_placeholder (contact));
          g_assert_cmpstr (crm_contact_get_name (contact), ==, "");
          placeholders++;
        }
      else
        {
          g_assert_false (_crm_page_cache_is_placeholder (contact));
          g_assert_cmpstr (crm_contact_get_name (contact), ==, name);
        }
    }
  g_assert_cmpuint (placeholders, ==, CRM_PAGE_SIZE - list.readable + 1);
  /* the page was read once, placeholders included */
  g_assert_cmpuint (list.loads->len, ==, 1);

  /* the last page, short: nothing read, an item up to n_items and no further */
  list.unreadable = last_page;
  list.readable = 0;
  for (guint i = last_page * CRM_PAGE_SIZE; i < N_ITEMS; i++)
    {
      g_autoptr (CrmContact) contact = _crm_page_cache_get_item (list.cache, i, N_ITEMS);
      g_assert_true (_crm_page_cache_is_placeholder (contact));
    }
  g_assert_cmpuint (_crm_page_cache_peek_page (list.cache, last_page)->len, ==,
                    N_ITEMS - last_page * CRM_PAGE_SIZE);
  g_assert_null (_crm_page_cache_get_item (list.cache, N_ITEMS, N_ITEMS));

  g_assert_false (_crm_page_cache_is_placeholder (NULL));
  list_clear (&list);
}

/* the messages "Cannot read test rows: …" libcrm-store logged */
static guint n_read_messages;

static GLogWriterOutput
count_messages (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  if (g_strcmp0 (domain, STORE_LOG_DOMAIN) == 0 && message != NULL
      && g_str_has_prefix (message, "Cannot read test rows: "))
    n_read_messages++;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
test_read_failed_once (void)
{
  List list = { 0, };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  list_init (&list);
  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  rc = sqlite3_prepare_v2 (db, "SELECT * FROM no_such_table", -1, &stmt, NULL);
  g_assert_cmpint (rc, !=, SQLITE_OK);

  n_read_messages = 0;
  _crm_page_cache_read_failed (list.cache, db, rc, "Cannot read test rows");
  _crm_page_cache_read_failed (list.cache, db, rc, "Cannot read test rows");
  _crm_page_cache_clear (list.cache);
  _crm_page_cache_read_failed (list.cache, db, rc, "Cannot read test rows");
  /* said once for the list, however often it fails */
  g_assert_cmpuint (n_read_messages, ==, 1);

  sqlite3_close (db);
  list_clear (&list);
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (count_messages, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/page-cache/read-once", test_page_read_once);
  g_test_add_func ("/page-cache/eviction", test_eviction);
  g_test_add_func ("/page-cache/placeholders", test_placeholders);
  g_test_add_func ("/page-cache/read-failed-once", test_read_failed_once);

  return g_test_run ();
}
