/* test-store-team.c — the company's users kept in the store (team_users:
 * replaced whole, signalled only on a change, cleared by Delete All) and
 * the contact list's owner filter ("My customers")
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real SQLite store. The owner filter's expected rows are computed here,
 * in C, from the contacts as stored (crm_store_search_contacts), not by
 * the list's own SQL, and the list is checked through the mirror of its
 * items-changed signals, as tests/unit/test-contact-list-order.c does.
 */
#include "config.h"

#include <string.h>

#include "crm-contact-list.h"
#include "crm-store-team.h"
#include "crm-test-mirror.h"
#include "crm-test-util.h"

#define CONTACT_ID ((CrmTestIdFunc) crm_contact_get_id)

typedef struct
{
  CrmTestStore   *ts;
  CrmContactList *list;
  CrmTestMirror  *mirror;
  guint           n_changed;   /* team-users-changed */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = crm_test_store_new_signed_in ();  /* the outbox would queue an edit */
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
on_team_users_changed (CrmStore *store,
                       Fixture  *f)
{
  f->n_changed++;
}

/* a list of users from "name=uuid" texts, NULL-terminated */
static GPtrArray *
users_of (const char *first,
          ...)
{
  GPtrArray *users = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_user_free);
  va_list args;

  va_start (args, first);
  for (const char *text = first; text != NULL; text = va_arg (args, const char *))
    {
      CrmWireUser *u = g_new0 (CrmWireUser, 1);
      const char *eq = strchr (text, '=');

      u->name = g_strndup (text, eq - text);
      u->id = g_strdup (eq + 1);
      g_ptr_array_add (users, u);
    }
  va_end (args);
  return users;
}

/* the kept names, as one "a,b" text */
static char *
kept_names (CrmStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) users = crm_store_list_team_users (store, &error);
  g_autoptr (GString) names = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < users->len; i++)
    g_string_append_printf (names, "%s%s", i ? "," : "",
                            ((CrmWireUser *) users->pdata[i])->name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

#define U_WANG "wang=0b9c6a58-3f1e-4c55-9a51-2f1d8c0e7a10"
#define U_LI   "li=5e0f7c1a-8d2b-4a3e-b6c9-1e2f3a4b5c6d"
#define U_ZHAO "赵敏=7d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a"
#define U_AN   "安琪=1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"

static void
test_team_users (Fixture       *f,
                 gconstpointer  data)
{
  CrmStore *store = f->ts->store;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) first = users_of (U_WANG, U_LI, U_ZHAO, U_AN, NULL);
  g_autoptr (GPtrArray) reordered = users_of (U_AN, U_ZHAO, U_LI, U_WANG, NULL);
  g_autoptr (GPtrArray) fewer = users_of (U_LI, NULL);
  g_autoptr (GPtrArray) twice = users_of (U_WANG, "wang=7d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1b",
                                          NULL);
  g_autoptr (GPtrArray) moved = users_of ("li=7d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1c", NULL);
  g_autoptr (GPtrArray) none = users_of (NULL, NULL);
  g_autofree char *names = NULL;

  g_signal_connect (store, "team-users-changed", G_CALLBACK (on_team_users_changed), f);

  /* before the first sign-in: nobody */
  names = kept_names (store);
  g_assert_cmpstr (names, ==, "");

  /* kept, listed by name: Latin and Chinese by pinyin (安 an, li, wang, 赵 zhao) */
  g_assert_true (crm_store_set_team_users (store, first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 1);
  g_clear_pointer (&names, g_free);
  names = kept_names (store);
  g_assert_cmpstr (names, ==, "安琪,li,wang,赵敏");

  /* the same list again, in another order: nothing written, no signal */
  g_assert_true (crm_store_set_team_users (store, reordered, &error));
  g_assert_cmpuint (f->n_changed, ==, 1);

  /* replaced whole */
  g_assert_true (crm_store_set_team_users (store, fewer, &error));
  g_assert_cmpuint (f->n_changed, ==, 2);
  g_clear_pointer (&names, g_free);
  names = kept_names (store);
  g_assert_cmpstr (names, ==, "li");
  /* the same name with another id is a change */
  g_assert_true (crm_store_set_team_users (store, moved, &error));
  g_assert_cmpuint (f->n_changed, ==, 3);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM team_users"
                                              " WHERE user_id LIKE '%2b1c'"), ==, 1);

  /* a name twice: refused whole, the old list kept, no signal */
  g_assert_false (crm_store_set_team_users (store, twice, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (f->n_changed, ==, 3);
  g_clear_pointer (&names, g_free);
  names = kept_names (store);
  g_assert_cmpstr (names, ==, "li");

  /* an empty answer clears */
  g_assert_true (crm_store_set_team_users (store, none, &error));
  g_assert_cmpuint (f->n_changed, ==, 4);
  g_clear_pointer (&names, g_free);
  names = kept_names (store);
  g_assert_cmpstr (names, ==, "");

  /* Delete All clears them too, and says so; nothing went to the outbox */
  g_assert_true (crm_store_set_team_users (store, first, &error));
  g_assert_cmpuint (f->n_changed, ==, 5);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_true (crm_store_delete_all (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 6);
  g_assert_cmpint (crm_test_query_int (store, "SELECT count(*) FROM team_users"), ==, 0);
}

static gboolean
settled (gpointer list)
{
  return !crm_contact_list_get_searching (list);
}

/* @c with @owner, saved */
static void
set_owner (CrmStore   *store,
           CrmContact *c,
           const char *owner)
{
  g_autoptr (GError) error = NULL;

  crm_contact_set_field (c, CRM_CONTACT_FIELD_OWNER, owner);
  g_assert_true (crm_store_save_contact (store, c, &error));
  g_assert_no_error (error);
}

/* the live contacts as stored, by name, of @owner (NULL: any) whose mobile
 * holds @digits (NULL: all) */
static GPtrArray *
expected_rows (CrmStore   *store,
               const char *owner,
               const char *digits)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = crm_store_search_contacts (store, NULL, G_MAXINT, &error);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      CrmContact *c = g_ptr_array_index (all, i);

      if (owner != NULL && strcmp (crm_contact_get_field (c, CRM_CONTACT_FIELD_OWNER), owner))
        continue;
      if (digits != NULL
          && strstr (crm_contact_get_field (c, CRM_CONTACT_FIELD_MOBILE), digits) == NULL)
        continue;
      g_ptr_array_add (rows, g_object_ref (c));
    }
  return rows;
}

/* the list, read after its pages are dropped, and the mirror of its
 * signals hold @expected */
static void
assert_rows (Fixture   *f,
             GPtrArray *expected)
{
  GListModel *model = G_LIST_MODEL (f->list);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  crm_contact_list_drop_pages (f->list);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr (CrmContact) item = g_list_model_get_item (model, i);

      g_assert_cmpstr (crm_contact_get_id (item), ==,
                       crm_contact_get_id (g_ptr_array_index (expected, i)));
    }
  g_assert_cmpuint (f->mirror->ids->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (g_ptr_array_index (f->mirror->ids, i), ==,
                     crm_contact_get_id (g_ptr_array_index (expected, i)));
}

/* the follow-up order of contacts never followed up */
static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (crm_contact_get_id (*(CrmContact **) a), crm_contact_get_id (*(CrmContact **) b));
}

static gboolean
has_n_items (gpointer data)
{
  Fixture *f = data;

  return !crm_contact_list_get_searching (f->list)
         && f->mirror->ids->len == g_list_model_get_n_items (G_LIST_MODEL (f->list));
}

static void
test_owner_filter (Fixture       *f,
                   gconstpointer  data)
{
  CrmStore *store = f->ts->store;
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GRand) rand = g_rand_new_with_seed (12);
  const char *owners[] = { "wang", "li", "", "wangwu" };
  guint n_all = 240;

  /* a quarter each: wang, li, nobody, and a name that starts like wang's */
  for (guint i = 0; i < n_all; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户%05d", g_rand_int_range (rand, 0, 100000));
      g_autofree char *mobile = g_strdup_printf ("139%04u%s", i, i % 3 == 0 ? "5678" : "0000");
      CrmContact *c = crm_test_add (store, name, mobile, "");

      if (*owners[i % 4] != '\0')
        set_owner (store, c, owners[i % 4]);
      g_ptr_array_add (contacts, c);
    }

  f->list = crm_contact_list_new (store);
  f->mirror = crm_test_mirror_new (G_LIST_MODEL (f->list), CONTACT_ID, FALSE);
  g_assert_null (crm_contact_list_get_owner (f->list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, n_all);

  for (guint k = 0; k < 2; k++)
    {
      CrmContactListOrder order = k == 0 ? CRM_CONTACT_ORDER_NAME
                                         : CRM_CONTACT_ORDER_LAST_FOLLOWUP;
      g_autoptr (GPtrArray) expected = NULL;
      g_autoptr (GPtrArray) searched = NULL;
      g_autoptr (GPtrArray) all = NULL;
      CrmContact *outsider;
      CrmContact *mine;
      guint signals;

      crm_contact_list_set_order (f->list, order);
      crm_contact_list_set_owner (f->list, "wang");
      g_assert_cmpstr (crm_contact_list_get_owner (f->list), ==, "wang");
      crm_test_wait_until (settled, f->list, 10);
      /* no contact was ever followed up: the follow-up order is by id */
      expected = expected_rows (store, "wang", NULL);
      if (order == CRM_CONTACT_ORDER_LAST_FOLLOWUP)
        g_ptr_array_sort (expected, compare_ids);
      g_assert_cmpuint (expected->len, ==, n_all / 4);
      assert_rows (f, expected);

      /* a contact edited to be wang's enters by itself, at its place */
      outsider = NULL;
      for (guint i = 0; outsider == NULL; i++)
        if (strcmp (crm_contact_get_field (g_ptr_array_index (contacts, i),
                                           CRM_CONTACT_FIELD_OWNER), "li") == 0)
          outsider = g_ptr_array_index (contacts, i);
      signals = f->mirror->n_signals;
      set_owner (store, outsider, "wang");
      g_assert_cmpuint (f->mirror->n_signals, ==, signals + 1);
      g_assert_cmpuint (f->mirror->added, ==, 1);
      g_assert_cmpuint (crm_contact_list_find (f->list, outsider), !=, G_MAXUINT);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==,
                        n_all / 4 + 1);

      /* and leaves when given to li again; a wang contact given away too */
      mine = g_ptr_array_index (contacts, 0);
      g_assert_cmpstr (crm_contact_get_field (mine, CRM_CONTACT_FIELD_OWNER), ==, "wang");
      set_owner (store, outsider, "li");
      g_assert_cmpuint (f->mirror->n_signals, ==, signals + 2);
      g_assert_cmpuint (f->mirror->removed, ==, 1);
      g_assert_cmpuint (crm_contact_list_find (f->list, outsider), ==, G_MAXUINT);
      set_owner (store, mine, "");
      g_assert_cmpuint (f->mirror->n_signals, ==, signals + 3);
      g_assert_cmpuint (crm_contact_list_find (f->list, mine), ==, G_MAXUINT);
      set_owner (store, mine, "wang");
      g_assert_cmpuint (crm_contact_list_find (f->list, mine), !=, G_MAXUINT);
      assert_rows (f, expected);

      /* with a query: both must hold */
      crm_contact_list_set_query (f->list, "5678");
      crm_test_wait_until (settled, f->list, 10);
      searched = expected_rows (store, "wang", "5678");
      if (order == CRM_CONTACT_ORDER_LAST_FOLLOWUP)
        g_ptr_array_sort (searched, compare_ids);
      g_assert_cmpuint (searched->len, >, 0);
      g_assert_cmpuint (searched->len, <, expected->len);
      assert_rows (f, searched);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->list)); i++)
        {
          g_autoptr (CrmContact) item = g_list_model_get_item (G_LIST_MODEL (f->list), i);

          g_assert_cmpstr (crm_contact_get_field (item, CRM_CONTACT_FIELD_OWNER), ==, "wang");
        }

      /* the query off: the filter stays */
      crm_contact_list_set_query (f->list, NULL);
      crm_test_wait_until (has_n_items, f, 10);
      assert_rows (f, expected);

      /* the filter off: everyone */
      crm_contact_list_set_owner (f->list, NULL);
      crm_test_wait_until (settled, f->list, 10);
      g_assert_null (crm_contact_list_get_owner (f->list));
      all = expected_rows (store, NULL, NULL);
      if (order == CRM_CONTACT_ORDER_LAST_FOLLOWUP)
        g_ptr_array_sort (all, compare_ids);
      g_assert_cmpuint (all->len, ==, n_all);
      assert_rows (f, all);
    }

  /* an owner nobody is: nothing listed; "" is no filter at all */
  crm_contact_list_set_order (f->list, CRM_CONTACT_ORDER_NAME);
  crm_contact_list_set_owner (f->list, "zhao");
  crm_test_wait_until (settled, f->list, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);
  crm_contact_list_set_owner (f->list, "");
  crm_test_wait_until (settled, f->list, 10);
  g_assert_null (crm_contact_list_get_owner (f->list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, n_all);

  /* a new contact of wang's, made while the filter is on, shows */
  crm_contact_list_set_owner (f->list, "wang");
  crm_test_wait_until (settled, f->list, 10);
  /* with the stale filter too (nobody was followed up: every one is
   * stale), both hold: still wang's only */
  crm_contact_list_set_stale_days (f->list, 30);
  crm_test_wait_until (settled, f->list, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, n_all / 4);
  {
    g_autoptr (CrmContact) fresh = crm_test_contact ("新客户", "", "");
    g_autoptr (GError) error = NULL;

    crm_contact_set_field (fresh, CRM_CONTACT_FIELD_OWNER, "wang");
    g_assert_true (crm_store_save_contact (store, fresh, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (crm_contact_list_find (f->list, fresh), !=, G_MAXUINT);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/team/users", Fixture, NULL, fixture_setup, test_team_users,
              fixture_teardown);
  g_test_add ("/store/team/owner-filter", Fixture, NULL, fixture_setup, test_owner_filter,
              fixture_teardown);
  return g_test_run ();
}
