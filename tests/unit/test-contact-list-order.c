/* test-contact-list-order.c — the contact list by "last followed up", and
 * the filter "not followed up for N days"
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real SQLite store: follow-ups are written through the followups table
 * (its triggers keep contacts.last_followup_at) or crm_store_save_followup().
 * The expected order is computed here, in C, from the contacts as stored,
 * not by the list's own SQL.
 */
#include "config.h"

#include "crm-contact-list.h"
#include "crm-test-mirror.h"
#include "crm-test-util.h"

#define CONTACT_ID ((CrmTestIdFunc) crm_contact_get_id)
#define id_at(model, position) crm_test_row_id ((model), (position), CONTACT_ID)

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

static gboolean
settled (gpointer list)
{
  return !crm_contact_list_get_searching (list);
}

/* @days (fractions too) before now, as the store writes times */
static char *
days_ago (double days)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) then = g_date_time_add_seconds (now, -days * 86400);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

/* a follow-up of @contact at @happened_at, straight into the table */
static void
add_followup (CrmStore   *store,
              CrmContact *contact,
              const char *happened_at)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *sql = g_strdup_printf ("INSERT INTO followups (id, contact_id, happened_at,"
                                          " notes, created_at, updated_at)"
                                          " VALUES ('%s', '%s', '%s', 'x', '%s', '%s')",
                                          id, crm_contact_get_id (contact), happened_at,
                                          happened_at, happened_at);
  crm_test_exec (store, sql);
}

/* NULL (never) first, then the oldest, then by id */
static int
compare_followup (gconstpointer a,
                  gconstpointer b)
{
  CrmContact *ca = *(CrmContact **)a;
  CrmContact *cb = *(CrmContact **)b;
  const char *ta = crm_contact_get_last_followup_at (ca);
  const char *tb = crm_contact_get_last_followup_at (cb);
  int cmp;

  if (ta == NULL || tb == NULL)
    cmp = (ta != NULL) - (tb != NULL);
  else
    cmp = strcmp (ta, tb);
  return cmp != 0 ? cmp : strcmp (crm_contact_get_id (ca), crm_contact_get_id (cb));
}

/* The live contacts as stored, in @order, keeping those never followed up
 * or last before @stale_before (NULL: all) whose mobile holds @digits
 * (NULL: all). */
static GPtrArray *
expected_rows (CrmStore            *store,
               CrmContactListOrder  order,
               const char          *stale_before,
               const char          *digits)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = crm_store_search_contacts (store, NULL, G_MAXINT, &error);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      CrmContact *c = g_ptr_array_index (all, i);
      const char *last = crm_contact_get_last_followup_at (c);

      if (stale_before != NULL && last != NULL && strcmp (last, stale_before) >= 0)
        continue;
      if (digits != NULL
          && strstr (crm_contact_get_field (c, CRM_CONTACT_FIELD_MOBILE), digits) == NULL)
        continue;
      g_ptr_array_add (rows, g_object_ref (c));
    }
  if (order == CRM_CONTACT_ORDER_LAST_FOLLOWUP)
    g_ptr_array_sort (rows, compare_followup);
  return rows;
}

/* the list, read forwards, then backwards with every page a far jump, and
 * the mirror of its signals hold @expected */
static void
assert_rows (Fixture   *f,
             GPtrArray *expected)
{
  GListModel *model = G_LIST_MODEL (f->list);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr (CrmContact) item = g_list_model_get_item (model, i);
      CrmContact *want = g_ptr_array_index (expected, i);

      g_assert_cmpstr (crm_contact_get_id (item), ==, crm_contact_get_id (want));
      /* the row carries its last follow-up: the list shows it without a query */
      g_assert_cmpstr (crm_contact_get_last_followup_at (item), ==,
                       crm_contact_get_last_followup_at (want));
    }
  g_assert_null (g_list_model_get_item (model, expected->len));
  for (guint i = expected->len; i-- > 0;)
    {
      g_autofree char *id = NULL;

      crm_contact_list_drop_pages (f->list);
      id = id_at (model, i);
      g_assert_cmpstr (id, ==, crm_contact_get_id (g_ptr_array_index (expected, i)));
    }
  if (f->mirror != NULL)
    {
      g_assert_cmpuint (f->mirror->ids->len, ==, expected->len);
      for (guint i = 0; i < expected->len; i++)
        g_assert_cmpstr (g_ptr_array_index (f->mirror->ids, i), ==,
                         crm_contact_get_id (g_ptr_array_index (expected, i)));
    }
}

/* @n contacts "客户NNNNN" with random numbers, the mobile of every third
 * ending in 5678; a third never followed up, a third at one same time, the
 * rest at random times in the last 100 days (some several times) */
static GPtrArray *
fill (CrmStore *store,
      guint     n)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (16);
  g_autofree char *same = days_ago (20);
  GPtrArray *contacts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户%05d", g_rand_int_range (rand, 0, 100000));
      g_autofree char *mobile = g_strdup_printf ("139%04u%s", i, i % 3 == 0 ? "5678" : "0000");

      g_ptr_array_add (contacts, crm_test_add (store, name, mobile, ""));
    }
  for (guint i = 0; i < n; i++)
    {
      CrmContact *c = g_ptr_array_index (contacts, i);

      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
          break;
        case 1:
          add_followup (store, c, same);
          break;
        default:
          for (int k = g_rand_int_range (rand, 1, 4); k > 0; k--)
            {
              g_autofree char *when = days_ago (g_rand_double_range (rand, 0, 100));
              add_followup (store, c, when);
            }
        }
    }
  return contacts;
}

static void
test_order_last_followup (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (GPtrArray) contacts = fill (f->ts->store, 300);
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GPtrArray) by_name = NULL;
  guint n_never = 0, n_same = 0;

  f->list = crm_contact_list_new (f->ts->store);
  f->mirror = crm_test_mirror_new (G_LIST_MODEL (f->list), CONTACT_ID, FALSE);
  g_assert_cmpint (crm_contact_list_get_order (f->list), ==, CRM_CONTACT_ORDER_NAME);

  crm_contact_list_set_order (f->list, CRM_CONTACT_ORDER_LAST_FOLLOWUP);
  g_assert_cmpint (crm_contact_list_get_order (f->list), ==, CRM_CONTACT_ORDER_LAST_FOLLOWUP);
  g_assert_true (crm_contact_list_get_searching (f->list));
  crm_test_wait_until (settled, f->list, 10);
  /* one change of the whole list */
  crm_test_mirror_assert_signal (f->mirror, 1, 0, 300, 300);

  expected = expected_rows (f->ts->store, CRM_CONTACT_ORDER_LAST_FOLLOWUP, NULL, NULL);
  g_assert_cmpuint (expected->len, ==, 300);
  /* the data has what the order must handle: never, and equal times */
  for (guint i = 0; i < expected->len; i++)
    if (crm_contact_get_last_followup_at (g_ptr_array_index (expected, i)) == NULL)
      n_never++;
  g_assert_cmpuint (n_never, >, 64); /* the NULLs span a page boundary */
  for (guint i = n_never; i + 1 < expected->len; i++)
    if (g_strcmp0 (crm_contact_get_last_followup_at (g_ptr_array_index (expected, i)),
                   crm_contact_get_last_followup_at (g_ptr_array_index (expected, i + 1))) == 0)
      n_same++;
  g_assert_cmpuint (n_same, >, 64); /* one time shared, ordered by id, across pages */
  assert_rows (f, expected);
  /* find() answers from the array */
  for (guint i = 0; i < expected->len; i += 37)
    g_assert_cmpuint (crm_contact_list_find (f->list, g_ptr_array_index (expected, i)), ==, i);

  /* back to names: at once, in the store's name order */
  crm_contact_list_set_order (f->list, CRM_CONTACT_ORDER_NAME);
  g_assert_false (crm_contact_list_get_searching (f->list));
  by_name = expected_rows (f->ts->store, CRM_CONTACT_ORDER_NAME, NULL, NULL);
  assert_rows (f, by_name);
}

static gboolean
has_n_items (gpointer data)
{
  Fixture *f = data;

  return !crm_contact_list_get_searching (f->list)
         && f->mirror->ids->len == g_list_model_get_n_items (G_LIST_MODEL (f->list));
}

static void
test_stale_filter (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (GPtrArray) contacts = fill (f->ts->store, 200);
  g_autofree char *cutoff = NULL;
  g_autofree char *old = days_ago (45);
  g_autofree char *recent = days_ago (1);
  guint n_all;

  f->list = crm_contact_list_new (f->ts->store);
  f->mirror = crm_test_mirror_new (G_LIST_MODEL (f->list), CONTACT_ID, FALSE);
  n_all = g_list_model_get_n_items (G_LIST_MODEL (f->list));
  g_assert_cmpuint (n_all, ==, 200);

  for (guint k = 0; k < 2; k++)
    {
      CrmContactListOrder order = k == 0 ? CRM_CONTACT_ORDER_NAME
                                         : CRM_CONTACT_ORDER_LAST_FOLLOWUP;
      g_autoptr (GPtrArray) expected = NULL;
      g_autoptr (GPtrArray) searched = NULL;
      g_autoptr (GPtrArray) all = NULL;

      crm_contact_list_set_order (f->list, order);
      crm_contact_list_set_stale_days (f->list, 30);
      g_assert_cmpuint (crm_contact_list_get_stale_days (f->list), ==, 30);
      crm_test_wait_until (settled, f->list, 10);
      g_clear_pointer (&cutoff, g_free);
      cutoff = days_ago (30);
      expected = expected_rows (f->ts->store, order, cutoff, NULL);
      /* some are out, some in: the filter filters */
      g_assert_cmpuint (expected->len, >, 64);
      g_assert_cmpuint (expected->len, <, n_all);
      assert_rows (f, expected);

      /* with a query: both must hold (the search's rows are checked too) */
      crm_contact_list_set_query (f->list, "5678");
      crm_test_wait_until (settled, f->list, 10);
      searched = expected_rows (f->ts->store, order, cutoff, "5678");
      g_assert_cmpuint (searched->len, >, 0);
      g_assert_cmpuint (searched->len, <, expected->len);
      assert_rows (f, searched);

      /* a contact of the results followed up now leaves them, and one
       * whose only follow-up is deleted comes back */
      {
        CrmContact *first = g_ptr_array_index (searched, 0);
        guint signals = f->mirror->n_signals;

        add_followup (f->ts->store, first, recent);
        /* SQL alone tells the list nothing: a saved contact does */
        crm_store_save_contact (f->ts->store, first, NULL);
        crm_test_mirror_assert_signal (f->mirror, signals + 1, 0, 1, 0);
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==,
                          searched->len - 1);
      }

      /* the query off: the filter stays */
      crm_contact_list_set_query (f->list, NULL);
      crm_test_wait_until (has_n_items, f, 10);
      g_clear_pointer (&expected, g_ptr_array_unref);
      expected = expected_rows (f->ts->store, order, cutoff, NULL);
      assert_rows (f, expected);

      /* the filter off: everyone */
      crm_contact_list_set_stale_days (f->list, 0);
      crm_test_wait_until (settled, f->list, 10);
      all = expected_rows (f->ts->store, order, NULL, NULL);
      g_assert_cmpuint (all->len, ==, n_all);
      assert_rows (f, all);
    }

  /* a follow-up 45 days ago is stale for 30 days, not for 60 */
  {
    g_autoptr (CrmContact) fresh = crm_test_add (f->ts->store, "新客户", "", "");

    add_followup (f->ts->store, fresh, old);
    crm_store_save_contact (f->ts->store, fresh, NULL);
    crm_contact_list_set_stale_days (f->list, 30);
    crm_test_wait_until (settled, f->list, 10);
    g_assert_cmpuint (crm_contact_list_find (f->list, fresh), !=, G_MAXUINT);
    crm_contact_list_set_stale_days (f->list, 60);
    crm_test_wait_until (settled, f->list, 10);
    g_assert_cmpuint (crm_contact_list_find (f->list, fresh), ==, G_MAXUINT);
  }
}

/* Logging a follow-up through the store moves the contact in the list by
 * one items-changed, as an edit of the contact does. */
static void
test_followup_saved (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (GPtrArray) contacts = fill (f->ts->store, 150);
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (CrmFollowup) followup = crm_followup_new ();
  g_autoptr (CrmContact) first = NULL;
  g_autoptr (GError) error = NULL;
  guint n;

  f->list = crm_contact_list_new (f->ts->store);
  crm_contact_list_set_order (f->list, CRM_CONTACT_ORDER_LAST_FOLLOWUP);
  crm_test_wait_until (settled, f->list, 10);
  f->mirror = crm_test_mirror_new (G_LIST_MODEL (f->list), CONTACT_ID, FALSE);
  n = g_list_model_get_n_items (G_LIST_MODEL (f->list));

  /* the first never was followed up: logged now, it goes last */
  first = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
  g_assert_null (crm_contact_get_last_followup_at (first));
  crm_followup_set_contact_id (followup, crm_contact_get_id (first));
  crm_followup_set_notes (followup, "电话沟通报价");
  crm_store_save_followup (f->ts->store, followup, CRM_DEAL_N_STAGES, &error);
  g_assert_no_error (error);
  crm_test_mirror_assert_signal (f->mirror, 1, 0, n, n);
  g_assert_cmpuint (crm_contact_list_find (f->list, first), ==, n - 1);
  expected = expected_rows (f->ts->store, CRM_CONTACT_ORDER_LAST_FOLLOWUP, NULL, NULL);
  assert_rows (f, expected);

  /* deleted, the follow-up takes the contact back to the front */
  crm_store_delete_followup (f->ts->store, followup, &error);
  g_assert_no_error (error);
  crm_test_mirror_assert_signal (f->mirror, 2, 0, n, n);
  g_clear_pointer (&expected, g_ptr_array_unref);
  expected = expected_rows (f->ts->store, CRM_CONTACT_ORDER_LAST_FOLLOWUP, NULL, NULL);
  assert_rows (f, expected);
  g_assert_cmpuint (crm_contact_list_find (f->list, first), <, 64);
}

/* contacts added, renamed and deleted while the list is in the follow-up
 * order: each lands where the order puts it */
static void
test_edits_in_order (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (GPtrArray) contacts = fill (f->ts->store, 100);
  g_autoptr (GRand) rand = g_rand_new_with_seed (99);
  g_autoptr (GError) error = NULL;

  f->list = crm_contact_list_new (f->ts->store);
  crm_contact_list_set_order (f->list, CRM_CONTACT_ORDER_LAST_FOLLOWUP);
  crm_test_wait_until (settled, f->list, 10);
  f->mirror = crm_test_mirror_new (G_LIST_MODEL (f->list), CONTACT_ID, FALSE);

  for (guint k = 0; k < 40; k++)
    {
      g_autoptr (GPtrArray) expected = NULL;
      CrmContact *c = g_ptr_array_index (contacts, g_rand_int_range (rand, 0, contacts->len));

      /* an edit or a follow-up is of a live contact */
      while (k % 4 != 3 && crm_contact_get_deleted (c))
        c = g_ptr_array_index (contacts, g_rand_int_range (rand, 0, contacts->len));
      switch (k % 4)
        {
        case 0:
          g_ptr_array_add (contacts, crm_test_add (f->ts->store, "新来的", "", ""));
          break;
        case 1:
          crm_contact_set_field (c, CRM_CONTACT_FIELD_NAME, k % 8 ? "Aaron" : "曾");
          crm_store_save_contact (f->ts->store, c, &error);
          break;
        case 2:
          {
            g_autofree char *when = days_ago (g_rand_double_range (rand, 0, 50));
            add_followup (f->ts->store, c, when);
            crm_store_save_contact (f->ts->store, c, &error);
          }
          break;
        default:
          if (!crm_contact_get_deleted (c))
            crm_store_delete_contact (f->ts->store, c, &error);
          else
            crm_store_restore_contact (f->ts->store, c, &error);
        }
      g_assert_no_error (error);
      expected = expected_rows (f->ts->store, CRM_CONTACT_ORDER_LAST_FOLLOWUP, NULL, NULL);
      assert_rows (f, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/contact-list-order/last-followup", Fixture, NULL, fixture_setup,
              test_order_last_followup, fixture_teardown);
  g_test_add ("/contact-list-order/stale-filter", Fixture, NULL, fixture_setup,
              test_stale_filter, fixture_teardown);
  g_test_add ("/contact-list-order/followup-saved", Fixture, NULL, fixture_setup,
              test_followup_saved, fixture_teardown);
  g_test_add ("/contact-list-order/edits-in-order", Fixture, NULL, fixture_setup,
              test_edits_in_order, fixture_teardown);

  return g_test_run ();
}
