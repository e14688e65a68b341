/* fuzz-search.c — the search index against the list's own value rule
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a contact's searched values, a NUL byte and a query (with
 * no NUL byte, the whole input is both); the values are split at \x1f into
 * the six searched fields (name, company, mobile, phone, e-mail, WeChat).
 * They go into a real in-memory FTS5 table with the store's tokenizer; the
 * query becomes the store's MATCH expression. Property: the index finds the
 * contact exactly when the C rule (_crm_search_pattern_match) says it
 * matches, and the two agree on whether the query has words at all.
 *
 * Both are any bytes, invalid UTF-8 included: the store keeps validated
 * text, but a query may come from anywhere, and both sides must treat a
 * stray byte alike anyway.
 */
#include "config.h"

#include <string.h>

#include "crm-search-private.h"
#include "fuzz-common.h"

#define N_FIELDS 6

static sqlite3 *db;
static sqlite3_stmt *clear_stmt;
static sqlite3_stmt *insert_stmt;
static sqlite3_stmt *match_stmt;

static void
prepare (const char    *sql,
         sqlite3_stmt **stmt)
{
  if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) != SQLITE_OK)
    fuzz_fail ("cannot prepare %s: %s", sql, sqlite3_errmsg (db));
}

static void
open_index (void)
{
  if (sqlite3_open (":memory:", &db) != SQLITE_OK
      || _crm_search_register_tokenizer (db) != SQLITE_OK
      || sqlite3_exec (db,
                       "CREATE VIRTUAL TABLE fts USING fts5 (f1, f2, f3, f4, f5, f6, content = '',"
                       " tokenize = '" CRM_SEARCH_TOKENIZER "', detail = full,"
                       " columnsize = 0)",
                       NULL, NULL, NULL) != SQLITE_OK)
    fuzz_fail ("cannot make the index: %s", sqlite3_errmsg (db));
  /* contentless, as the store's index has its content elsewhere: emptied
   * at once, where DELETE would leave a tombstone a run */
  prepare ("INSERT INTO fts (fts) VALUES ('delete-all')", &clear_stmt);
  prepare ("INSERT INTO fts (rowid, f1, f2, f3, f4, f5, f6) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
           &insert_stmt);
  prepare ("SELECT count(*) FROM fts WHERE fts MATCH ?1", &match_stmt);
}

static void
run (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    fuzz_fail ("%s: %s", sqlite3_sql (stmt), sqlite3_errmsg (db));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  g_autofree char *value = fuzz_string (data, size);
  g_autofree char *query = nul != NULL ? fuzz_string (nul + 1, size - (nul + 1 - data))
                                       : g_strdup (value);
  g_auto (GStrv) split = g_strsplit (value, "\x1f", N_FIELDS);
  const char *fields[N_FIELDS] = { NULL, };
  g_autofree char *match = NULL;
  g_autoptr (CrmSearchPattern) pattern = NULL;
  gboolean by_index;
  gboolean by_rule;

  fuzz_init ();
  if (db == NULL)
    open_index ();

  match = crm_search_build_match (query);
  pattern = _crm_search_pattern_new (query);
  if ((match == NULL) != (pattern == NULL))
    {
      g_autofree char *e_query = fuzz_escape (query);

      fuzz_fail ("query \"%s\": MATCH %s but %s pattern", e_query, match ? match : "(none)",
                 pattern ? "a" : "no");
    }
  if (match == NULL)
    return 0;

  sqlite3_reset (clear_stmt);
  run (clear_stmt);
  sqlite3_reset (insert_stmt);
  for (guint f = 0; f < N_FIELDS; f++)
    {
      fields[f] = f < g_strv_length (split) ? split[f] : "";
      sqlite3_bind_text (insert_stmt, f + 1, fields[f], -1, SQLITE_STATIC);
    }
  run (insert_stmt);
  sqlite3_clear_bindings (insert_stmt);

  sqlite3_reset (match_stmt);
  sqlite3_bind_text (match_stmt, 1, match, -1, SQLITE_STATIC);
  run (match_stmt);
  by_index = sqlite3_column_int (match_stmt, 0) > 0;
  sqlite3_reset (match_stmt);
  sqlite3_clear_bindings (match_stmt);

  by_rule = _crm_search_pattern_match (pattern, fields, N_FIELDS);
  if (by_index != by_rule)
    {
      g_autofree char *e_value = fuzz_escape (value);
      g_autofree char *e_query = fuzz_escape (query);
      g_autofree char *e_match = fuzz_escape (match);

      fuzz_fail ("value \"%s\", query \"%s\" (MATCH %s): the index %s, the value rule %s",
                 e_value, e_query, e_match, by_index ? "finds it" : "does not",
                 by_rule ? "matches" : "does not");
    }
  return 0;
}
