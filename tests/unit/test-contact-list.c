/* test-contact-list.c — the lazily paged list model: order, paging, signals
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-contact-letters.h"
#include "crm-contact-list.h"
#include "crm-test-mirror.h"
#include "crm-test-util.h"

#define CONTACT_ID ((CrmTestIdFunc) crm_contact_get_id)
#define id_at(model, position) crm_test_row_id ((model), (position), CONTACT_ID)

/* the model, the mirror and the store's own order agree */
static void
assert_consistent (GListModel    *model,
                   CrmTestMirror *mirror,
                   CrmStore      *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) expected = crm_store_search_contacts (store, NULL, G_MAXINT, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  g_assert_cmpuint (mirror->ids->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autofree char *id = id_at (model, i);
      const char *want = crm_contact_get_id (g_ptr_array_index (expected, i));
      g_assert_cmpstr (id, ==, want);
      g_assert_cmpstr (g_ptr_array_index (mirror->ids, i), ==, want);
    }
  g_assert_null (g_list_model_get_item (model, expected->len));

  /* again from the end, every read a far jump (by anchor once there are some) */
  for (guint i = expected->len; i-- > 0;)
    {
      g_autofree char *id = NULL;

      crm_contact_list_drop_pages (CRM_CONTACT_LIST (model));
      id = id_at (model, i);
      g_assert_cmpstr (id, ==, crm_contact_get_id (g_ptr_array_index (expected, i)));
    }
}

static gboolean
has_anchors (gpointer list)
{
  return crm_contact_list_has_anchors (list);
}

static void
fill (CrmStore *store,
      guint     n)
{
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < n; i++)
    {
      /* random order of insertion, names that sort in a known way */
      g_autofree char *name = g_strdup_printf ("客户%05d", g_rand_int_range (rand, 0, 100000));
      g_ptr_array_add (batch, crm_test_contact (name, "", ""));
    }
  g_rand_free (rand);
  crm_store_insert_contacts (store, batch, &error);
  g_assert_no_error (error);
}

typedef struct
{
  CrmTestStore   *ts;
  CrmContactList *list;
  CrmTestMirror  *mirror;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = crm_test_store_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->mirror, crm_test_mirror_free);
  g_clear_object (&f->list);
  crm_test_store_free (f->ts);
}

static void
test_list_order_and_paging (Fixture       *f,
                            gconstpointer  data)
{
  GListModel *model;
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  const guint n = 3000;

  fill (f->ts->store, n);
  expected = crm_store_search_contacts (f->ts->store, NULL, G_MAXINT, &error);
  g_assert_cmpuint (expected->len, ==, n);
  f->list = crm_contact_list_new (f->ts->store);
  model = G_LIST_MODEL (f->list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  /* nothing read until asked */
  g_assert_cmpuint (crm_contact_list_get_n_cached_pages (f->list), ==, 0);
  /* first without anchors (OFFSET), then with them */
  for (guint k = 0; k < 200; k++)
    {
      guint i = g_rand_int_range (rand, 0, n);
      g_autofree char *id = NULL;

      if (crm_contact_list_has_anchors (f->list))
        break;
      id = id_at (model, i);
      g_assert_cmpstr (id, ==, crm_contact_get_id (g_ptr_array_index (expected, i)));
    }
  crm_test_wait_until (has_anchors, f->list, 10);
  g_assert_true (g_list_model_get_item_type (model) == CRM_TYPE_CONTACT);
  /* nothing read until asked */

  /* forwards, backwards from the end, and at random: always the SQL order */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = id_at (model, i);
      g_assert_cmpstr (id, ==, crm_contact_get_id (g_ptr_array_index (expected, i)));
      g_assert_cmpuint (crm_contact_list_get_n_cached_pages (f->list), <=, 32);
    }
  for (guint i = n; i-- > 0;)
    {
      g_autofree char *id = id_at (model, i);
      g_assert_cmpstr (id, ==, crm_contact_get_id (g_ptr_array_index (expected, i)));
    }
  for (guint k = 0; k < 2000; k++)
    {
      guint i = g_rand_int_range (rand, 0, n);
      g_autofree char *id = id_at (model, i);
      g_assert_cmpstr (id, ==, crm_contact_get_id (g_ptr_array_index (expected, i)));
    }
  g_assert_cmpuint (crm_contact_list_get_n_cached_pages (f->list), <=, 32);
  g_assert_null (g_list_model_get_item (model, n));

  g_rand_free (rand);
}

static void
test_list_signals (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (CrmContact) added = NULL;
  g_autoptr (CrmContact) first = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *model;
  guint pos;

  fill (f->ts->store, 200);
  f->list = crm_contact_list_new (f->ts->store);
  model = G_LIST_MODEL (f->list);
  crm_test_wait_until (has_anchors, f->list, 10);
  f->mirror = crm_test_mirror_new (model, CONTACT_ID, FALSE);

  /* insert: one signal at its sorted place */
  added = crm_test_add (f->ts->store, "客户05000x", "", "");
  pos = crm_contact_list_find (f->list, added);
  crm_test_mirror_assert_signal (f->mirror, 1, pos, 0, 1);
  assert_consistent (model, f->mirror, f->ts->store);

  /* an edit that keeps the place: one row replaced */
  crm_contact_set_field (added, CRM_CONTACT_FIELD_TITLE, "经理");
  crm_store_save_contact (f->ts->store, added, &error);
  g_assert_no_error (error);
  crm_test_mirror_assert_signal (f->mirror, 2, pos, 1, 1);
  assert_consistent (model, f->mirror, f->ts->store);

  /* a rename that moves it to the front: the range between changes */
  crm_contact_set_field (added, CRM_CONTACT_FIELD_NAME, "阿");
  crm_contact_set_field (added, CRM_CONTACT_FIELD_NAME, "Aaa");
  crm_store_save_contact (f->ts->store, added, &error);
  g_assert_no_error (error);
  crm_test_mirror_assert_signal (f->mirror, 3, 0, pos + 1, pos + 1);
  assert_consistent (model, f->mirror, f->ts->store);
  g_assert_cmpuint (crm_contact_list_find (f->list, added), ==, 0);

  /* delete: one row removed */
  first = g_list_model_get_item (model, 0);
  crm_store_delete_contact (f->ts->store, first, &error);
  g_assert_no_error (error);
  crm_test_mirror_assert_signal (f->mirror, 4, 0, 1, 0);
  assert_consistent (model, f->mirror, f->ts->store);

  /* undo: back in its place */
  crm_store_restore_contact (f->ts->store, first, &error);
  g_assert_no_error (error);
  crm_test_mirror_assert_signal (f->mirror, 5, 0, 0, 1);
  assert_consistent (model, f->mirror, f->ts->store);

  /* a bulk insert: one reset of the whole f->list, anchors walked again */
  fill (f->ts->store, 10);
  crm_test_mirror_assert_signal (f->mirror, 6, 0, 201, 211);
  crm_test_wait_until (has_anchors, f->list, 10);
  assert_consistent (model, f->mirror, f->ts->store);

}

/* Renames that cross anchors both ways, onto an anchor's own name, deletes
 * and restores, at random (a fixed seed): after each, the list agrees with
 * the database and find() with the list. Positions are counted from the
 * nearest anchor below, corrected for the changed contact itself. */
static void
test_list_random_edits (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (GPtrArray) deleted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261124);
  GListModel *model;

  fill (f->ts->store, 120);
  f->list = crm_contact_list_new (f->ts->store);
  model = G_LIST_MODEL (f->list);
  crm_test_wait_until (has_anchors, f->list, 10);
  g_assert_true (crm_contact_list_has_anchors (f->list));
  f->mirror = crm_test_mirror_new (model, CONTACT_ID, FALSE);

  for (guint step = 0; step < 200; step++)
    {
      guint n = g_list_model_get_n_items (model);
      g_autoptr (CrmContact) contact = g_list_model_get_item (model, g_rand_int_range (rand, 0, n));
      g_autoptr (GError) error = NULL;
      int what = g_rand_int_range (rand, 0, 10);

      if (what < 6)
        {
          /* a new name: another contact's (so equal keys, ordered by id), or
           * that name with a suffix, or a name before or after all */
          g_autoptr (CrmContact) other = g_list_model_get_item (model, g_rand_int_range (rand, 0, n));
          g_autofree char *name = NULL;

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0: name = g_strdup (crm_contact_get_name (other)); break;
            case 1: name = g_strconcat (crm_contact_get_name (other), "x", NULL); break;
            case 2: name = g_strdup_printf ("A%03u", step); break;
            default: name = g_strdup_printf ("龥%03u", step); break;
            }
          crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, name);
          g_assert_true (crm_store_save_contact (f->ts->store, contact, &error));
        }
      else if (what < 8 || deleted->len == 0)
        {
          g_assert_true (crm_store_delete_contact (f->ts->store, contact, &error));
          g_ptr_array_add (deleted, g_object_ref (contact));
        }
      else
        {
          g_autoptr (CrmContact) back = g_ptr_array_steal_index (deleted, deleted->len - 1);
          g_assert_true (crm_store_restore_contact (f->ts->store, back, &error));
          g_assert_cmpuint (crm_contact_list_find (f->list, back), <,
                            g_list_model_get_n_items (model));
        }
      g_assert_no_error (error);
      assert_consistent (model, f->mirror, f->ts->store);
      if (what < 6)
        {
          g_autoptr (CrmContact) at = NULL;
          guint pos = crm_contact_list_find (f->list, contact);

          at = g_list_model_get_item (model, pos);
          g_assert_cmpstr (crm_contact_get_id (at), ==, crm_contact_get_id (contact));
        }
    }

}

static gboolean
searched (gpointer list)
{
  return !crm_contact_list_get_searching (list);
}

/* The same with a search shown: a change to one contact moves it in, out or
 * within the results by itself (the C rule and a binary search), and the
 * results stay those of the query, in list order. */
static void
test_list_random_edits_searched (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1124);
  GListModel *model;

  fill (f->ts->store, 150);
  f->list = crm_contact_list_new (f->ts->store);
  model = G_LIST_MODEL (f->list);
  crm_contact_list_set_query (f->list, "3");
  crm_test_wait_until (searched, f->list, 10);
  f->mirror = crm_test_mirror_new (model, CONTACT_ID, FALSE);

  for (guint step = 0; step < 150; step++)
    {
      g_autoptr (GPtrArray) all = crm_store_search_contacts (f->ts->store, NULL, G_MAXINT, NULL);
      CrmContact *contact = g_ptr_array_index (all, g_rand_int_range (rand, 0, all->len));
      g_autoptr (GPtrArray) expected = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *name = NULL;

      if (g_rand_boolean (rand))
        name = g_strdup_printf ("客户%05d", g_rand_int_range (rand, 0, 100000));
      else
        name = g_strdup (crm_contact_get_name (g_ptr_array_index (all, g_rand_int_range (rand, 0, all->len))));
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, name);
      g_assert_true (crm_store_save_contact (f->ts->store, contact, &error));
      g_assert_no_error (error);
      g_assert_false (crm_contact_list_get_searching (f->list));

      expected = crm_store_search_contacts (f->ts->store, "3", G_MAXINT, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
      g_assert_cmpuint (f->mirror->ids->len, ==, expected->len);
      for (guint i = 0; i < expected->len; i++)
        {
          g_autofree char *id = id_at (model, i);
          const char *want = crm_contact_get_id (g_ptr_array_index (expected, i));
          g_assert_cmpstr (id, ==, want);
          g_assert_cmpstr (g_ptr_array_index (f->mirror->ids, i), ==, want);
        }
    }

}

static void
test_list_search (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (CrmContact) zhang = NULL;
  g_autoptr (CrmContact) li = NULL;
  g_autoptr (CrmContact) item = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *model;

  fill (f->ts->store, 100);
  zhang = crm_test_add (f->ts->store, "张三丰", "13812345678", "");
  li = crm_test_add (f->ts->store, "李四", "13912345678", "");
  f->list = crm_contact_list_new (f->ts->store);
  model = G_LIST_MODEL (f->list);
  f->mirror = crm_test_mirror_new (model, CONTACT_ID, FALSE);

  crm_contact_list_set_query (f->list, "5678");
  g_assert_true (crm_contact_list_get_searching (f->list));
  crm_test_wait_until (searched, f->list, 10);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  crm_test_mirror_assert_signal (f->mirror, 1, 0, 102, 2);
  /* in pinyin order: 李四 li si, 张三丰 zhang san feng */
  item = g_list_model_get_item (model, 1);
  g_assert_cmpstr (crm_contact_get_name (item), ==, "张三丰");
  g_clear_object (&item);
  g_assert_cmpuint (f->mirror->ids->len, ==, 2);

  /* an edit that stops matching leaves the results; one that starts, joins */
  crm_contact_set_field (zhang, CRM_CONTACT_FIELD_MOBILE, "13800000000");
  crm_store_save_contact (f->ts->store, zhang, &error);
  g_assert_no_error (error);
  crm_test_mirror_assert_signal (f->mirror, 2, 1, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  crm_contact_set_field (zhang, CRM_CONTACT_FIELD_PHONE, "010-55678000");
  crm_store_save_contact (f->ts->store, zhang, &error);
  crm_test_mirror_assert_signal (f->mirror, 3, 1, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (f->mirror->ids->len, ==, 2);

  /* a new contact that matches appears */
  g_clear_object (&item);
  item = crm_test_add (f->ts->store, "王五", "15055678000", "");
  crm_test_mirror_assert_signal (f->mirror, 4, 1, 0, 1);  /* wang: between */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* clearing the query shows everyone at once */
  crm_contact_list_set_query (f->list, "  ");
  g_assert_false (crm_contact_list_get_searching (f->list));
  g_assert_null (crm_contact_list_get_query (f->list));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 103);
  assert_consistent (model, f->mirror, f->ts->store);

  /* nothing found */
  crm_contact_list_set_query (f->list, "不存在的人");
  crm_test_wait_until (searched, f->list, 10);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (f->mirror->ids->len, ==, 0);

}

static void
test_list_search_first_page (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *model;
  const guint n = 5000;

  /* every contact matches: the first page comes first, then the rest */
  fill (f->ts->store, n);
  f->list = crm_contact_list_new (f->ts->store);
  model = G_LIST_MODEL (f->list);
  f->mirror = crm_test_mirror_new (model, CONTACT_ID, FALSE);

  crm_contact_list_set_query (f->list, "客户");
  crm_test_wait_until (searched, f->list, 10);
  g_assert_cmpuint (f->mirror->n_signals, ==, 2);
  crm_test_mirror_assert_signal (f->mirror, 2, 64, 0, n - 64);
  expected = crm_store_search_contacts (f->ts->store, NULL, G_MAXINT, &error);
  g_assert_cmpuint (f->mirror->ids->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (f->mirror->ids, i), ==,
                     crm_contact_get_id (g_ptr_array_index (expected, i)));

  /* a sparse query lists everything at once */
  f->mirror->n_signals = 0;
  crm_contact_list_set_query (f->list, "客户0001");
  crm_test_wait_until (searched, f->list, 10);
  g_assert_cmpuint (f->mirror->n_signals, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, f->mirror->ids->len);

}

/* where @contact's letter is in the index: '#' last */
static int
letter_rank (CrmContact *contact)
{
  char letter = crm_contact_get_letter (contact);

  return letter == '#' ? 'Z' + 1 : letter;
}

/* The A–Z index: each letter finds the first contact listed under it, or
 * under the next letter that has one; in the whole list and in results. */
static void
test_list_letters (Fixture       *f,
                   gconstpointer  data)
{
  static const char *names[] = {
    /* in list order */
    "安娜", "Anna", "白雪", "陈静", "David", "李娜", "Li Ning", "单田芳", "孙悟空", "王芳",
    "张伟", "Zoe", "😀", "123",
  };
  static const struct { char letter; const char *first; } table[] = {
    { 'A', "安娜" }, { 'B', "白雪" }, { 'C', "陈静" }, { 'D', "David" },
    { 'L', "李娜" }, { 'S', "单田芳" }, { 'T', "王芳" }, { 'W', "王芳" }, { 'Z', "张伟" },
    { 'z', "张伟" }, { '#', "😀" },
  };
  GListModel *model;

  /* added in reverse, so that the ids do not give the order away */
  for (guint i = G_N_ELEMENTS (names); i > 0; i--)
    g_object_unref (crm_test_add (f->ts->store, names[i - 1], "", ""));
  /* more than a page of one letter, for the binary search */
  fill (f->ts->store, 150);
  f->list = crm_contact_list_new (f->ts->store);
  model = G_LIST_MODEL (f->list);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      guint pos = crm_contact_list_find_letter (f->list, table[i].letter);
      g_autoptr (CrmContact) item = g_list_model_get_item (model, pos);
      g_autoptr (CrmContact) before = pos > 0 ? g_list_model_get_item (model, pos - 1) : NULL;

      g_assert_cmpstr (crm_contact_get_name (item), ==, table[i].first);
      /* the one before is under an earlier letter */
      if (before != NULL)
        g_assert_cmpint (letter_rank (before), <, letter_rank (item));
    }
  {
    /* the 150 客户 (ke hu) under K; none under E..J: K too */
    guint pos = crm_contact_list_find_letter (f->list, 'K');
    g_autoptr (CrmContact) item = g_list_model_get_item (model, pos);

    g_assert_cmpuint (pos, ==, 5);
    g_assert_cmpint (crm_contact_get_letter (item), ==, 'K');
    g_assert_cmpuint (crm_contact_list_find_letter (f->list, 'E'), ==, pos);
    g_assert_cmpuint (crm_contact_list_find_letter (f->list, 'L'), ==, pos + 150);
  }

  /* in search results */
  crm_contact_list_set_query (f->list, "n");
  crm_test_wait_until (searched, f->list, 10);
  {
    guint pos = crm_contact_list_find_letter (f->list, 'L');
    g_autoptr (CrmContact) item = g_list_model_get_item (model, pos);

    g_assert_cmpstr (crm_contact_get_name (item), ==, "李娜");
  }
  crm_contact_list_set_query (f->list, "不存在的人");
  crm_test_wait_until (searched, f->list, 10);
  g_assert_cmpuint (crm_contact_list_find_letter (f->list, 'A'), ==, G_MAXUINT);
}

static void
add (const char *path,
     void      (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* anchors every 16 contacts, so that small lists have many */
  crm_contact_list_anchor_step = 16;
  /* and the first page of a search of a few thousand listed first */
  crm_contact_list_walk_min_matches = 4096;

  add ("/contact-list/order-and-paging", test_list_order_and_paging);
  add ("/contact-list/signals", test_list_signals);
  add ("/contact-list/random-edits", test_list_random_edits);
  add ("/contact-list/search", test_list_search);
  add ("/contact-list/random-edits-searched", test_list_random_edits_searched);
  add ("/contact-list/search-first-page", test_list_search_first_page);
  add ("/contact-list/letters", test_list_letters);

  return g_test_run ();
}
