/* crm-search-match.c — a search text as an FTS5 MATCH expression
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The index side of a search (crm-search.c has the tokenizer and the rule
 * both sides share): each word of the query becomes the terms the
 * crm_bigram tokenizer wrote for the values that hold it, a pinyin word
 * also its spellings behind PINYIN_MARK; tag words are left to
 * contact_tags (_crm_search_query_tags()).
 */
#include "config.h"

#include <string.h>

#include "crm-search-private.h"

/* appends @text to @match as an FTS5 string, its '"' doubled */
static void
append_quoted (GString    *match,
               const char *text,
               gsize       len)
{
  g_string_append_c (match, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, text[i]);
    }
  g_string_append_c (match, '"');
}

/* The terms of one word: a single character, any pair that starts with it
 * or ends a value ("a" *); two characters, their pair. Three or more: with
 * positions, the phrase of their pairs, exact; without (detail=none), the
 * AND of their pairs, which also finds the values that hold every pair but
 * not the word ("abxbc" for "abc"), for the rule to take out. */
static void
append_word_terms (GString         *match,
                   const char      *word,
                   CrmSearchLayout  layout,
                   gboolean        *exact)
{
  gsize len = strlen (word);
  FoldedChar stack_chars[64];
  g_autofree FoldedChar *heap_chars = NULL;
  FoldedChar *chars = len > G_N_ELEMENTS (stack_chars)
                      ? (heap_chars = g_new (FoldedChar, len)) : stack_chars;
  guint n = _crm_search_fold_text (word, len, chars);

  if (n == 1)
    {
      append_quoted (match, chars[0].utf8, chars[0].len);
      g_string_append (match, " *");
      return;
    }
  if (layout == CRM_SEARCH_LAYOUT_POSITIONS || n == 2)
    {
      g_autoptr (GString) folded = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        g_string_append_len (folded, chars[i].utf8, chars[i].len);
      append_quoted (match, folded->str, folded->len);
      return;
    }
  *exact = FALSE;
  g_string_append_c (match, '(');
  for (guint i = 0; i + 1 < n; i++)
    {
      char pair[12];
      gboolean seen = FALSE;

      /* a pair seen before adds nothing */
      for (guint k = 0; k < i && !seen; k++)
        seen = chars[k].len == chars[i].len && chars[k + 1].len == chars[i + 1].len
               && memcmp (chars[k].utf8, chars[i].utf8, chars[i].len) == 0
               && memcmp (chars[k + 1].utf8, chars[i + 1].utf8, chars[i + 1].len) == 0;
      if (seen)
        continue;
      memcpy (pair, chars[i].utf8, chars[i].len);
      memcpy (pair + chars[i].len, chars[i + 1].utf8, chars[i + 1].len);
      if (i > 0)
        g_string_append (match, " AND ");
      append_quoted (match, pair, chars[i].len + chars[i + 1].len);
    }
  g_string_append_c (match, ')');
}

/**
 * _crm_search_build_match_for:
 * @layout: whether the index keeps positions
 * @exact: (out) (optional): %TRUE when the index finds exactly the contacts
 *   that match; %FALSE when what it finds must still pass the rule
 *   (_crm_search_pattern_match(), the SQL function crm_search_matches())
 *
 * Like crm_search_build_match(), for an index of @layout.
 */
char *
_crm_search_build_match_for (const char      *query,
                             CrmSearchLayout  layout,
                             gboolean        *exact)
{
  g_autoptr (GPtrArray) words = _crm_search_split_words (query, NULL);
  g_autoptr (GString) match = g_string_new (NULL);
  gboolean all_exact = TRUE;

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);
      g_autofree char *folded = _crm_search_fold_to_string (word);
      gboolean pinyin = _crm_search_is_pinyin_word (folded);

      if (_crm_search_is_tag_word (folded))
        continue; /* _crm_search_query_tags() */
      if (match->len > 0)
        g_string_append (match, " AND ");
      if (pinyin)
        g_string_append_c (match, '(');
      append_word_terms (match, word, layout, &all_exact);
      /* the folded word: letters only, nothing to quote */
      if (pinyin)
        g_string_append_printf (match, " OR \"" PINYIN_MARK "%s\" *)", folded);
    }

  if (exact != NULL)
    *exact = all_exact;
  if (match->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&match), FALSE);
}

/**
 * crm_search_build_match:
 * @query: what the person typed
 *
 * Turns a search text into an FTS5 MATCH expression for the contacts index
 * (CRM_SEARCH_STORE_LAYOUT): each white-space separated word must occur as
 * a substring of some field.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL when @query
 *   holds nothing to search for.
 */
char *
crm_search_build_match (const char *query)
{
  return _crm_search_build_match_for (query, CRM_SEARCH_STORE_LAYOUT, NULL);
}
