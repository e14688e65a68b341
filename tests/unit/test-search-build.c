/* test-search-build.c — the search index built in bulk: the same answers
 * before, during and after its build, through a kill, and after migration 11
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every answer is compared with the rule alone (_crm_search_pattern_match()
 * on every live contact's values), which is what a search means: the
 * store's search (the command line's, index and rule), the list's worker
 * (_crm_store_search_rowids(), sorted and not) and the contact list itself
 * must find exactly the same contacts, whatever part of them the index
 * holds. The contacts and queries are drawn from a fixed seed: Chinese
 * names (and their pinyin and initials), companies, mobiles, phones,
 * e-mail addresses, WeChat ids and tags; the queries are pieces of them of
 * one to six characters, e-mail parts, phone fragments, "#tags", pinyin and
 * two words.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "crm-contact-list.h"
#include "crm-pinyin.h"
#include "crm-search-private.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

#define SEED 20261129
#define MAX_VALUE G_MAXINT64

static const char *const surnames[] = {
  "张", "王", "李", "赵", "欧阳", "单", "曾", "陈", "刘", "尉迟",
};
static const char *const given[] = {
  "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "三", "丰", "长", "乐",
};
static const char *const latin[] = { "Anna", "David", "Wang Wei", "Zhang", "Lily Chen" };
static const char *const companies[] = {
  "小禾科技", "瑞丰速", "北京长城有限公司", "Acme Ltd", "", "", "重庆银行",
};
static const char *const domains[] = { "qq.com", "163.com", "xiaohe.cn", "ruifengsu.com" };
static const char *const tag_names[] = { "重点客户", "VIP", "老客户", "北京", "vip2" };

/* a contact drawn from @rand, valid for crm_validate_contact() */
static CrmContact *
draw_contact (GRand *rand)
{
  CrmContact *contact = crm_contact_new ();
  g_autoptr (GString) name = g_string_new (NULL);
  g_autofree char *mobile = NULL;
  g_autofree char *email = NULL;

  if (g_rand_int_range (rand, 0, 5) == 0)
    g_string_append (name, latin[g_rand_int_range (rand, 0, G_N_ELEMENTS (latin))]);
  else
    {
      g_string_append (name, surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))]);
      for (guint k = g_rand_int_range (rand, 1, 3); k > 0; k--)
        g_string_append (name, given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))]);
    }
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, name->str);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_COMPANY,
                         companies[g_rand_int_range (rand, 0, G_N_ELEMENTS (companies))]);
  mobile = g_strdup_printf ("13%d%08d", g_rand_int_range (rand, 0, 10),
                            g_rand_int_range (rand, 0, 100000000));
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_MOBILE, mobile);
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      g_autofree char *phone = g_strdup_printf ("010-6%07d", g_rand_int_range (rand, 0, 10000000));
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_PHONE, phone);
    }
  email = g_strdup_printf ("%c%c%c%d@%s", 'a' + g_rand_int_range (rand, 0, 26),
                           'a' + g_rand_int_range (rand, 0, 26),
                           'a' + g_rand_int_range (rand, 0, 26),
                           g_rand_int_range (rand, 0, 1000),
                           domains[g_rand_int_range (rand, 0, G_N_ELEMENTS (domains))]);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_EMAIL, email);
  if (g_rand_int_range (rand, 0, 4) == 0)
    {
      g_autofree char *wechat = g_strdup_printf ("wx_%c%c%d", 'a' + g_rand_int_range (rand, 0, 26),
                                                 'a' + g_rand_int_range (rand, 0, 26),
                                                 g_rand_int_range (rand, 0, 100));
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_WECHAT, wechat);
    }
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      g_autofree char *tags = g_strdup_printf ("%s，%s",
                                               tag_names[g_rand_int_range (rand, 0, 5)],
                                               tag_names[g_rand_int_range (rand, 0, 5)]);
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_TAGS, tags);
    }
  return contact;
}

static GPtrArray *
draw_contacts (GRand *rand,
               guint  n)
{
  GPtrArray *contacts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (contacts, draw_contact (rand));
  return contacts;
}

/* the values of the live contacts, as the rule reads them */
static GPtrArray *
live_rows (sqlite3 *db)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT local_id, id, name, company, mobile, phone,"
                                       " email, wechat, tags FROM contacts WHERE deleted = 0"
                                       " ORDER BY local_id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 10);

      for (guint c = 0; c < 9; c++)
        row[c] = g_strdup ((const char *)sqlite3_column_text (stmt, c));
      g_ptr_array_add (rows, row);
    }
  sqlite3_finalize (stmt);
  return rows;
}

/* a piece of @text of one to six characters */
static char *
piece_of (GRand      *rand,
          const char *text)
{
  glong len = g_utf8_strlen (text, -1);
  glong from, n;

  if (len == 0)
    return NULL;
  from = g_rand_int_range (rand, 0, len);
  n = MIN (len - from, g_rand_int_range (rand, 1, 7));
  return g_utf8_substring (text, from, from + n);
}

/* queries drawn from the contacts there are: see the top of this file */
static GPtrArray *
draw_queries (GRand     *rand,
              GPtrArray *rows,
              guint      n)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);

  while (queries->len < n)
    {
      char **row = g_ptr_array_index (rows, g_rand_int_range (rand, 0, rows->len));
      const char *name = row[2], *mobile = row[4], *email = row[6];
      g_autoptr (CrmSearchPattern) pattern = NULL;
      char *q = NULL;

      switch (g_rand_int_range (rand, 0, 9))
        {
        case 0: /* a piece of any field searched */
        case 1:
          q = piece_of (rand, row[2 + g_rand_int_range (rand, 0, 6)]);
          break;
        case 2: /* last four or middle four of a mobile */
          q = g_rand_boolean (rand) ? g_strdup (mobile + 7) : g_strndup (mobile + 3, 4);
          break;
        case 3: /* an e-mail's domain or the start of it */
          q = g_rand_boolean (rand) ? g_strdup (strchr (email, '@') + 1) : g_strndup (email, 4);
          break;
        case 4: /* pinyin, in full or by initials */
          {
            g_autofree char *spelt = g_rand_boolean (rand) ? crm_pinyin_transliterate (name)
                                                            : crm_pinyin_initials (name);
            g_auto (GStrv) parts = spelt ? g_strsplit (spelt, " ", -1) : NULL;

            q = parts ? g_strjoinv ("", parts) : NULL;
          }
          break;
        case 5: /* a tag's start */
          q = g_strdup_printf ("#%.*s",
                               g_rand_int_range (rand, 1, 4) * (g_rand_boolean (rand) ? 3 : 1),
                               tag_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (tag_names))]);
          if (!g_utf8_validate (q, -1, NULL))
            g_clear_pointer (&q, g_free);
          break;
        case 6: /* two words */
          {
            g_autofree char *a = piece_of (rand, name);
            g_autofree char *b = piece_of (rand, email);
            q = g_strdup_printf ("%s %s", a ? a : "", b ? b : "");
          }
          break;
        case 7: /* one character */
          q = g_utf8_substring (name, 0, 1);
          break;
        default: /* digits: many values hold their pairs, apart, and not them */
          q = g_strdup_printf ("%0*d", g_rand_int_range (rand, 3, 5),
                               g_rand_int_range (rand, 0, 10000));
          break;
        }
      /* only queries of words: one of none shows everyone */
      if (q != NULL && (pattern = _crm_search_pattern_new (q)) != NULL)
        g_ptr_array_add (queries, q);
      else
        g_free (q);
    }
  return queries;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

/* "id,id,..." of @ids sorted */
static char *
joined (GPtrArray *ids)
{
  g_autoptr (GString) s = g_string_new (NULL);

  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%s", i ? "," : "", (const char *)ids->pdata[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
joined_rowids (GArray *rowids)
{
  g_autoptr (GString) s = g_string_new (NULL);

  g_array_sort (rowids, compare_int64);
  for (guint i = 0; i < rowids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (rowids, gint64, i));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

typedef struct
{
  guint n_queries;
  guint n_found;       /* queries that find something */
  guint n_past;        /* ... of which something past the watermark */
  guint n_before;      /* ... and something before it */
} Agreement;

/* For every query, the store's search, the worker's (unsorted, sorted)
 * and, every @list_every queries, the contact list find exactly what the
 * rule does; whatever the index holds. */
static void
assert_agreement (CrmStore   *store,
                  GPtrArray  *queries,
                  guint       list_every,
                  Agreement  *agreement)
{
  sqlite3 *db = _crm_store_get_db (store);
  g_autoptr (GPtrArray) rows = live_rows (db);
  g_autoptr (CrmContactList) list = crm_contact_list_new (store);
  gint64 upto = _crm_store_search_indexed_upto (db);

  for (guint q = 0; q < queries->len; q++)
    {
      const char *query = g_ptr_array_index (queries, q);
      g_autoptr (CrmSearchPattern) pattern = _crm_search_pattern_new (query);
      g_autoptr (GPtrArray) rule_ids = g_ptr_array_new ();
      g_autoptr (GArray) rule_rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GPtrArray) found = NULL;
      g_autoptr (GPtrArray) found_ids = g_ptr_array_new ();
      g_autoptr (GArray) unsorted = NULL;
      g_autoptr (GArray) sorted = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *expected = NULL, *expected_rowids = NULL;
      g_autofree char *got = NULL, *got_unsorted = NULL, *got_sorted = NULL;
      gboolean past = FALSE, before = FALSE;

      g_assert_nonnull (pattern);
      for (guint r = 0; r < rows->len; r++)
        {
          char **row = g_ptr_array_index (rows, r);

          if (_crm_search_pattern_match (pattern, (const char *const *)row + 2, 7))
            {
              gint64 rowid = g_ascii_strtoll (row[0], NULL, 10);

              g_ptr_array_add (rule_ids, row[1]);
              g_array_append_val (rule_rowids, rowid);
              past |= rowid > upto;
              before |= rowid <= upto;
            }
        }
      expected = joined (rule_ids);
      expected_rowids = joined_rowids (rule_rowids);

      found = crm_store_search_contacts (store, query, G_MAXINT, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < found->len; i++)
        g_ptr_array_add (found_ids, (gpointer)crm_contact_get_id (found->pdata[i]));
      got = joined (found_ids);
      if (g_strcmp0 (got, expected) != 0)
        g_error ("“%s” (watermark %" G_GINT64_FORMAT "): the store finds %u contacts, the"
                 " rule %u: %.200s… / %.200s…", query, upto, found_ids->len, rule_ids->len,
                 got, expected);

      unsorted = _crm_store_search_rowids (db, query, FALSE, -1, NULL, &error);
      g_assert_no_error (error);
      sorted = _crm_store_search_rowids (db, query, TRUE, -1, NULL, &error);
      g_assert_no_error (error);
      got_unsorted = joined_rowids (unsorted);
      got_sorted = joined_rowids (sorted);
      g_assert_cmpstr (got_unsorted, ==, expected_rowids);
      g_assert_cmpstr (got_sorted, ==, expected_rowids);

      if (list_every > 0 && q % list_every == 0)
        {
          crm_contact_list_set_query (list, query);
          while (crm_contact_list_get_searching (list))
            g_main_context_iteration (NULL, TRUE);
          if (g_list_model_get_n_items (G_LIST_MODEL (list)) != rule_ids->len)
            g_error ("“%s” (watermark %" G_GINT64_FORMAT "): the list shows %u, the rule"
                     " finds %u", query, upto, g_list_model_get_n_items (G_LIST_MODEL (list)),
                     rule_ids->len);
        }

      agreement->n_queries++;
      agreement->n_found += rule_ids->len > 0;
      agreement->n_past += past;
      agreement->n_before += past && before;
    }
}

static void
set_watermark (CrmStore *store,
               gint64    upto)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE search_index_state SET indexed_upto = %"
                                          G_GINT64_FORMAT, upto);
  crm_test_exec (store, sql);
}

static void
stop_after_one_step (gint64   done,
                     gint64   total,
                     gpointer data)
{
  g_cancellable_cancel (data);
}

/* Rows on both sides of the watermark, edits and deletes on both sides
 * meanwhile: the same answers as the rule, and after the build too. */
static void
test_agree_during_build (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr (GPtrArray) first = draw_contacts (rand, 300);
  g_autoptr (GPtrArray) second = draw_contacts (rand, 500);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) queries = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  sqlite3 *db = _crm_store_get_db (ts->store);
  Agreement during = { 0, }, after = { 0, };
  gint64 upto;

  g_assert_true (crm_store_insert_contacts (ts->store, first, &error));
  g_assert_no_error (error);
  /* a bulk write's state: its rows committed, the index below them */
  set_watermark (ts->store, crm_test_query_int (ts->store, "SELECT max (local_id) FROM contacts"));
  g_assert_true (crm_store_insert_contacts (ts->store, second, &error));
  g_assert_no_error (error);
  g_assert_false (crm_store_search_index_is_complete (ts->store));

  /* one step of the build, 120 rows past the watermark */
  crm_search_build_chunk = 120;
  g_assert_false (_crm_search_build_run (db, FALSE, stop_after_one_step, cancellable,
                                         cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  upto = _crm_store_search_indexed_upto (db);
  g_assert_cmpint (upto, >, 300);
  g_assert_cmpint (upto, <, 800);

  /* edits and deletes on both sides of the watermark (past it from the
   * 121st of the second) */
  for (guint i = 0; i < 4; i++)
    {
      CrmContact *c = i % 2 ? g_ptr_array_index (second, 300 + i)
                            : g_ptr_array_index (first, 10 + i);
      g_autofree char *name = g_strdup_printf ("曾长乐%u", i);

      crm_contact_set_field (c, CRM_CONTACT_FIELD_NAME, name);
      crm_contact_set_field (c, CRM_CONTACT_FIELD_EMAIL, "changed.person@ruifengsu.com");
      g_assert_true (crm_store_save_contact (ts->store, c, &error));
      g_assert_no_error (error);
      c = i % 2 ? g_ptr_array_index (second, 400 + i) : g_ptr_array_index (first, 40 + i);
      g_assert_true (crm_store_delete_contact (ts->store, c, &error));
      g_assert_no_error (error);
    }

  rows = live_rows (db);
  queries = draw_queries (rand, rows, 400);
  g_ptr_array_add (queries, g_strdup ("曾长乐"));
  g_ptr_array_add (queries, g_strdup ("changed.person"));
  g_ptr_array_add (queries, g_strdup ("zcl"));
  assert_agreement (ts->store, queries, 20, &during);
  g_test_message ("during the build: %u queries, %u find something, %u past the watermark,"
                  " %u on both sides", during.n_queries, during.n_found, during.n_past,
                  during.n_before);
  /* the draw is not degenerate */
  g_assert_cmpuint (during.n_before, >, 50);
  g_assert_cmpuint (during.n_found, <, during.n_queries);

  crm_search_build_chunk = 20000;
  g_assert_true (crm_store_build_search_index (ts->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_search_index_is_complete (ts->store));
  crm_test_exec (ts->store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')");
  assert_agreement (ts->store, queries, 20, &after);
  g_assert_cmpuint (after.n_past, ==, 0);
  crm_test_store_free (ts);
}

/* An import commits its rows with the index below them and builds it
 * after: complete when it returns, and the same answers. */
static void
test_import_builds_after (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED + 1);
  g_autoptr (GPtrArray) contacts = draw_contacts (rand, 400);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) queries = NULL;
  g_autofree CrmStoreImportRow *import = g_new0 (CrmStoreImportRow, contacts->len);
  g_autoptr (GError) error = NULL;
  Agreement agreement = { 0, };
  g_autoptr (CrmContact) before = crm_test_add (ts->store, "曾长乐", "13900000001",
                                                "zcl@xiaohe.cn");

  for (guint i = 0; i < contacts->len; i++)
    import[i].contact = contacts->pdata[i];
  g_assert_true (crm_store_import_contacts (ts->store, import, contacts->len,
                                            CRM_STORE_DUPLICATES_KEEP, NULL, NULL, NULL, NULL,
                                            &error));
  g_assert_no_error (error);
  for (guint i = 0; i < contacts->len; i++)
    crm_store_import_row_clear (&import[i]);
  g_assert_true (crm_store_search_index_is_complete (ts->store));
  /* the index holds them: for two characters its answer alone is exact */
  g_assert_cmpint (crm_test_query_int (ts->store, "SELECT count(*) FROM contacts_fts"
                                       " WHERE contacts_fts MATCH '\"长乐\"'"), ==,
                   crm_test_query_int (ts->store, "SELECT count(*) FROM contacts"
                                       " WHERE deleted = 0 AND (name LIKE '%长乐%'"
                                       " OR company LIKE '%长乐%')"));

  rows = live_rows (_crm_store_get_db (ts->store));
  queries = draw_queries (rand, rows, 200);
  assert_agreement (ts->store, queries, 0, &agreement);
  g_assert_cmpuint (agreement.n_found, >, 100);
  crm_test_store_free (ts);
}

/* ---- a build killed, again and again ---- */

typedef struct
{
  const char *path;
  gint64      above;     /* the watermark to pass */
  gboolean    exited;
} KillWatch;

static gint64
read_watermark (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 upto = -1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "SELECT indexed_upto FROM search_index_state", -1, &stmt,
                             NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    upto = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return upto;
}

/* the build has committed a step past @above, and is not done */
static gboolean
mid_build (gpointer data)
{
  KillWatch *watch = data;
  gint64 upto = read_watermark (watch->path);

  return watch->exited || (upto > watch->above && upto < MAX_VALUE);
}

static void
on_child_exit (GPid     pid,
               int      status,
               gpointer data)
{
  ((KillWatch *)data)->exited = TRUE;
  g_spawn_close_pid (pid);
}

/* runs this program as "--child MODE DIR"; kills it once its build has
 * moved past @above. Returns whether it was killed in the middle. */
static gboolean
run_and_kill (const char *self,
              const char *mode,
              const char *dir,
              const char *path,
              gint64      above)
{
  const char *argv[] = { self, "--child", mode, dir, NULL };
  g_autoptr (GError) error = NULL;
  KillWatch watch = { path, above, FALSE };
  GPid pid;
  gboolean killed;

  g_assert_true (g_spawn_async (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                NULL, &pid, &error));
  g_assert_no_error (error);
  g_child_watch_add (pid, on_child_exit, &watch);
  crm_test_wait_until (mid_build, &watch, 60);
  killed = !watch.exited;
  if (killed)
    kill (pid, SIGKILL);
  crm_test_wait_flag (&watch.exited, 30);
  return killed;
}

static gboolean
keep_ticking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* in the child: an import of many rows, or an open that goes on with the
 * build, with steps of a few rows */
static int
child_main (const char *mode,
            const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  /* never left behind by a test that failed */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  crm_search_build_chunk = 15;
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  if (g_str_equal (mode, "import"))
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed (SEED + 2);
      g_autoptr (GPtrArray) contacts = draw_contacts (rand, 3000);
      g_autofree CrmStoreImportRow *rows = g_new0 (CrmStoreImportRow, contacts->len);

      for (guint i = 0; i < contacts->len; i++)
        rows[i].contact = contacts->pdata[i];
      g_assert_true (crm_store_import_contacts (store, rows, contacts->len,
                                                CRM_STORE_DUPLICATES_KEEP, NULL, NULL, NULL,
                                                NULL, &error));
      g_assert_no_error (error);
    }
  /* crm_store_open() started the rest on a worker */
  g_timeout_add (50, keep_ticking, NULL);
  while (!crm_store_search_index_is_complete (store))
    {
      if (g_get_monotonic_time () > deadline)
        return 1;
      g_main_context_iteration (NULL, TRUE);
    }
  return 0;
}

static char *self_path;

static void
test_kill_during_build (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED + 3);
  g_autoptr (GPtrArray) contacts = draw_contacts (rand, 200);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) queries = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  Agreement agreement = { 0, };
  guint kills = 0;
  gint64 upto;

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (crm_store_insert_contacts (store, contacts, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* the import's rows are committed, its build killed, then each open's */
  kills += run_and_kill (self_path, "import", dir, path, 200);
  for (guint round = 0; round < 4; round++)
    {
      upto = read_watermark (path);
      if (upto == MAX_VALUE)
        break;
      kills += run_and_kill (self_path, "resume", dir, path, upto);
    }
  g_test_message ("%u builds killed in the middle", kills);
  g_assert_cmpuint (kills, >=, 2);
  g_assert_cmpint (read_watermark (path), !=, 200); /* it went on each time */

  /* the next start finishes it */
  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (crm_store_search_index_is_complete (store));
  g_assert_cmpint (crm_store_count_contacts (store), ==, 3200);
  crm_test_exec (store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')");
  rows = live_rows (_crm_store_get_db (store));
  queries = draw_queries (rand, rows, 200);
  assert_agreement (store, queries, 0, &agreement);
  g_assert_cmpuint (agreement.n_found, >, 100);
  g_clear_object (&store);
  crm_test_rm_rf (dir);
}

/* ---- migration 11 keeps every answer ---- */

/* the MATCH expression of schema 10 (phrases, with positions) */
static char *
old_match (const char *query)
{
  g_auto (GStrv) words = g_strsplit (query, " ", -1);
  g_autoptr (GString) match = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];
      gboolean letters = *w != '\0';

      if (*w == '\0' || *w == '#')
        continue;
      for (const char *p = w; *p; p++)
        letters &= g_ascii_isalpha (*p);
      if (match->len > 0)
        g_string_append (match, " AND ");
      g_string_append_printf (match, "%s\"%s\"%s", letters ? "(" : "", w,
                              g_utf8_strlen (w, -1) == 1 ? " *" : "");
      if (letters)
        {
          g_autofree char *lower = g_ascii_strdown (w, -1);
          g_string_append_printf (match, " OR \"\x01%s\" *)", lower);
        }
    }
  return match->len ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

static void
test_migration_keeps_answers (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_FILE_NAME, NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED + 4);
  g_autoptr (GPtrArray) contacts = draw_contacts (rand, 600);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) queries = NULL;
  g_autoptr (GPtrArray) before = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  guint n_found = 0;

  /* a file of schema 10, its contacts indexed by 0002's layout */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (_crm_search_register_tokenizer (db), ==, SQLITE_OK);
  g_assert_true (_crm_store_migrate_to (db, 10, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO contacts (id, name, company, mobile,"
                                       " phone, email, wechat, tags, sort_key, created_at,"
                                       " updated_at, deleted) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                                       " ?7, ?8, crm_sort_key (?2), '2026-01-01T00:00:00Z',"
                                       " '2026-01-01T00:00:00Z', ?9)", -1, &insert, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < contacts->len; i++)
    {
      CrmContact *c = contacts->pdata[i];
      static const CrmContactField fields[] = {
        CRM_CONTACT_FIELD_NAME, CRM_CONTACT_FIELD_COMPANY, CRM_CONTACT_FIELD_MOBILE,
        CRM_CONTACT_FIELD_PHONE, CRM_CONTACT_FIELD_EMAIL, CRM_CONTACT_FIELD_WECHAT,
        CRM_CONTACT_FIELD_TAGS,
      };

      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, g_uuid_string_random (), -1, g_free);
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          const char *value = crm_contact_get_field (c, fields[f]);
          sqlite3_bind_text (insert, f + 2, value ? value : "", -1, SQLITE_STATIC);
        }
      sqlite3_bind_int (insert, 9, i % 10 == 0); /* some tombstones */
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
    }
  sqlite3_finalize (insert);

  /* the answers of schema 10: its index, and the tags' table */
  rows = live_rows (db);
  queries = draw_queries (rand, rows, 300);
  for (guint q = 0; q < queries->len; q++)
    {
      g_autofree char *match = old_match (queries->pdata[q]);
      g_autoptr (GPtrArray) tags = _crm_search_query_tags (queries->pdata[q]);
      g_autoptr (GString) sql = g_string_new ("SELECT id FROM contacts WHERE deleted = 0");
      g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = NULL;

      if (match != NULL)
        g_string_append (sql, " AND local_id IN (SELECT rowid FROM contacts_fts"
                         " WHERE contacts_fts MATCH ?1)");
      for (guint t = 0; t < tags->len; t++)
        g_string_append_printf (sql, " AND local_id IN (SELECT local_id FROM contact_tags"
                                " WHERE tag >= '%s' AND tag < '%s\xff')",
                                (char *)tags->pdata[t], (char *)tags->pdata[t]);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
      n_found += ids->len > 0;
      g_ptr_array_add (before, joined (ids));
    }
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  g_assert_cmpuint (n_found, >, 150);

  store = crm_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_schema_version (store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_true (crm_store_search_index_is_complete (store));
  crm_test_exec (store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')");
  for (guint q = 0; q < queries->len; q++)
    {
      g_autoptr (GPtrArray) found = crm_store_search_contacts (store, queries->pdata[q],
                                                               G_MAXINT, &error);
      g_autoptr (GPtrArray) ids = g_ptr_array_new ();
      g_autofree char *after = NULL;

      g_assert_no_error (error);
      for (guint i = 0; i < found->len; i++)
        g_ptr_array_add (ids, (gpointer)crm_contact_get_id (found->pdata[i]));
      after = joined (ids);
      if (g_strcmp0 (after, before->pdata[q]) != 0)
        g_error ("“%s”: schema 10 found %s, 11 finds %s", (char *)queries->pdata[q],
                 (char *)before->pdata[q], after);
    }
  g_clear_object (&store);
  crm_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return child_main (argv[2], argv[3]);

  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search-build/agree-during-build", test_agree_during_build);
  g_test_add_func ("/search-build/import-builds-after", test_import_builds_after);
  g_test_add_func ("/search-build/kill-during-build", test_kill_during_build);
  g_test_add_func ("/search-build/migration-keeps-answers", test_migration_keeps_answers);

  return g_test_run ();
}
