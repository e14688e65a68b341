/* crm-search.c — substring search over contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite's trigram tokenizer cannot match a query shorter than three
 * characters, yet two characters are a whole Chinese given name (张三 in
 * 张三丰). So the FTS5 index is built by this tokenizer, which emits every
 * overlapping pair of characters plus the last character of each value:
 *
 *   "张三丰"  ->  "张三"@0  "三丰"@1  "丰"@2
 *
 * A query of two or more characters becomes a phrase of its pairs, which
 * matches exactly the values that hold it as a substring (the positions must
 * follow each other); a single character becomes a prefix query, which matches
 * every pair starting with it and the final character. Letters are case-folded
 * and full-width forms narrowed; white space and hyphens are skipped, so that
 * "1234 5678" is found by "12345678" and "138-1234" by "1381234".
 *
 * One rule for every character, in the index and in the test run on values
 * (_crm_search_pattern_match()): skipped are white space of every kind
 * (U+3000, NBSP, line separators), hyphens and dashes, control characters
 * (C0, DEL, C1), format characters (U+200B..U+200F, U+2060, U+FEFF, bidi
 * controls) and combining marks; invalid UTF-8 bytes are dropped. A query is
 * cut into words at white space of every kind; a word left with nothing after
 * skipping is no word, and a query of no words shows every contact.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "crm-search-private.h"

typedef struct
{
  char utf8[6];
  guint8 len;
  int start;
  int end;
} FoldedChar;

static gunichar
fold_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_tolower (c);
  if (c >= 0xFF01 && c <= 0xFF5E) /* full-width ASCII */
    return g_ascii_tolower (c - 0xFEE0);
  if (c == 0x3000) /* ideographic space */
    return ' ';
  return g_unichar_tolower (c);
}

/* ASCII: controls, space, '-' and DEL; the same as is_skipped() */
#define ASCII_SKIPPED(c) ((c) <= 0x20 || (c) == '-' || (c) == 0x7F)

/* whether the folded character @c is left out of the text searched */
static gboolean
is_skipped (gunichar c)
{
  if (c < 0x80)
    return ASCII_SKIPPED (c);
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:              /* C1 */
    case G_UNICODE_FORMAT:               /* U+200B..U+200F, U+2060, U+FEFF, bidi */
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_SPACE_SEPARATOR:      /* NBSP, U+2000..U+200A, U+3000 */
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_DASH_PUNCTUATION:     /* U+2010..U+2015, U+FE63 */
      return TRUE;
    default:
      return FALSE;
    }
}

/* whether the character @c (as typed) ends a word of a query */
static gboolean
is_word_break (gunichar c)
{
  if (c < 0x80)
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
  if (c == 0x85) /* next line */
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_SPACE_SEPARATOR:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Splits @text into folded characters, leaving out skipped ones, into @out,
 * which has room for @n_text entries (a character takes at least one byte).
 * Returns the number written. */
static guint
fold_text (const char *text,
           gsize       n_text,
           FoldedChar *out)
{
  const char *p = text;
  const char *end = text + n_text;
  guint n = 0;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      const char *next;

      if (c == (gunichar)-1 || c == (gunichar)-2)
        {
          p++; /* invalid byte: skip it */
          continue;
        }
      next = g_utf8_next_char (p);
      c = fold_char (c);
      if (!is_skipped (c))
        {
          out[n].len = g_unichar_to_utf8 (c, out[n].utf8);
          out[n].start = p - text;
          out[n].end = next - text;
          n++;
        }
      p = next;
    }
  return n;
}

/* The text as the index sees it: folded, skipped characters left out,
 * written into @out (NUL-terminated), which has room for 2 * strlen + 1
 * bytes; returns @out. ASCII and CJK ideographs, nearly all of a contact,
 * take a fast path; the rest goes through fold_char() as in the index. */
static char *
fold_into (const char *text,
           char       *out)
{
  const guchar *p = (const guchar *)text;
  char *o = out;

  while (*p)
    {
      if (*p < 0x80)
        {
          guchar c = *p++;
          if (ASCII_SKIPPED (c))
            continue;
          *o++ = g_ascii_tolower (c);
        }
      else if (*p >= 0xE3 && *p <= 0xE9 && p[1] >= 0x80 && p[1] <= 0xBF
               && p[2] >= 0x80 && p[2] <= 0xBF && (*p != 0xE3 || p[1] >= 0x90))
        {
          /* U+3400..U+9FFF: ideographs, no case, no space */
          *o++ = *p++;
          *o++ = *p++;
          *o++ = *p++;
        }
      else
        {
          gunichar c = g_utf8_get_char_validated ((const char *)p, -1);

          if (c == (gunichar)-1 || c == (gunichar)-2)
            {
              p++;
              continue;
            }
          p = (const guchar *)g_utf8_next_char (p);
          c = fold_char (c);
          if (!is_skipped (c))
            o += g_unichar_to_utf8 (c, o);
        }
    }
  *o = '\0';
  return out;
}

static char *
fold_to_string (const char *text)
{
  return fold_into (text, g_malloc (2 * strlen (text) + 1));
}

/* The words of @query, as both the index and the value test take them: cut
 * at white space of every kind, invalid UTF-8 bytes dropped, and only those
 * left with a character once skipped ones are left out. With @n_chars, the
 * number of such characters in each word. */
static GPtrArray *
split_words (const char  *query,
             GArray     **n_chars)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) word = g_string_new (NULL);
  const char *p = query;
  guint n = 0;

  if (n_chars != NULL)
    *n_chars = g_array_new (FALSE, FALSE, sizeof (guint));
  if (query == NULL)
    return words;

  for (;;)
    {
      gunichar c = *p ? g_utf8_get_char_validated (p, -1) : 0;

      if (c == (gunichar)-1 || c == (gunichar)-2)
        {
          p++; /* invalid byte: dropped */
          continue;
        }
      if (c == 0 || is_word_break (c))
        {
          if (n > 0)
            {
              g_ptr_array_add (words, g_strndup (word->str, word->len));
              if (n_chars != NULL)
                g_array_append_val (*n_chars, n);
            }
          g_string_truncate (word, 0);
          n = 0;
          if (c == 0)
            break;
        }
      else
        {
          g_string_append_len (word, p, g_utf8_next_char (p) - p);
          if (!is_skipped (fold_char (c)))
            n++;
        }
      p = g_utf8_next_char (p);
    }
  return words;
}

struct _CrmSearchPattern
{
  GPtrArray *words;   /* folded */
};

/**
 * _crm_search_pattern_new:
 *
 * The same test as the index's MATCH expression from
 * crm_search_build_match(), to run on the values themselves: every word a
 * substring of some field once both are folded.
 *
 * Returns: (nullable): the pattern, or %NULL when @query has no words.
 */
CrmSearchPattern *
_crm_search_pattern_new (const char *query)
{
  g_autoptr (GPtrArray) words = split_words (query, NULL);
  CrmSearchPattern *pattern;

  if (words->len == 0)
    return NULL;

  pattern = g_new0 (CrmSearchPattern, 1);
  pattern->words = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < words->len; i++)
    g_ptr_array_add (pattern->words, fold_to_string (g_ptr_array_index (words, i)));
  return pattern;
}

/**
 * _crm_search_trim_domains:
 *
 * Returns: (nullable): @query with the top-level part (".com", ".com.cn",
 *   ".cn", ".net", ".org") cut from each word that ends in one and keeps six
 *   characters or more before it (a company's domain, not qq.com or
 *   163.com, whose millions of addresses make the shorter search no
 *   cheaper); %NULL when no word does.
 */
char *
_crm_search_trim_domains (const char *query)
{
  static const char *tlds[] = { ".com.cn", ".net.cn", ".com", ".cn", ".net", ".org" };
  g_auto (GStrv) words = NULL;
  gboolean trimmed = FALSE;

  if (query == NULL)
    return NULL;
  words = g_strsplit_set (query, " \t\n\r", -1);
  for (guint i = 0; words[i] != NULL; i++)
    for (guint t = 0; t < G_N_ELEMENTS (tlds); t++)
      {
        gsize len = strlen (words[i]);
        gsize tld = strlen (tlds[t]);

        if (len >= tld + 6 && g_ascii_strcasecmp (words[i] + len - tld, tlds[t]) == 0)
          {
            words[i][len - tld] = '\0';
            trimmed = TRUE;
            break;
          }
      }
  return trimmed ? g_strjoinv (" ", words) : NULL;
}

void
_crm_search_pattern_free (CrmSearchPattern *pattern)
{
  g_ptr_array_unref (pattern->words);
  g_free (pattern);
}

gboolean
_crm_search_pattern_match (CrmSearchPattern  *pattern,
                           const char *const *fields,
                           guint              n_fields)
{
  char stack[8][256];
  char *folded[8] = { NULL, };
  gboolean match = TRUE;

  g_return_val_if_fail (n_fields <= G_N_ELEMENTS (folded), FALSE);

  for (guint w = 0; w < pattern->words->len && match; w++)
    {
      const char *word = g_ptr_array_index (pattern->words, w);

      match = FALSE;
      for (guint f = 0; f < n_fields && !match; f++)
        {
          if (folded[f] == NULL)
            {
              const char *value = fields[f] ? fields[f] : "";
              gsize len = strlen (value);

              folded[f] = fold_into (value, 2 * len + 1 <= sizeof stack[f]
                                              ? stack[f] : g_malloc (2 * len + 1));
            }
          match = strstr (folded[f], word) != NULL;
        }
    }

  for (guint f = 0; f < n_fields; f++)
    if (folded[f] != stack[f])
      g_free (folded[f]);
  return match;
}

static int
bigram_create (void        *user_data,
               const char **argv,
               int          argc,
               Fts5Tokenizer **out)
{
  *out = (Fts5Tokenizer *)user_data; /* stateless */
  return SQLITE_OK;
}

static void
bigram_delete (Fts5Tokenizer *tokenizer)
{
}

static int
bigram_tokenize (Fts5Tokenizer *tokenizer,
                 void          *ctx,
                 int            flags,
                 const char    *text,
                 int            n_text,
                 int (*x_token) (void *, int, const char *, int, int, int))
{
  FoldedChar stack_chars[128];
  g_autofree FoldedChar *heap_chars = NULL;
  FoldedChar *chars = stack_chars;
  gboolean query = (flags & FTS5_TOKENIZE_QUERY) != 0;
  int rc = SQLITE_OK;
  guint n;

  if (text == NULL || n_text <= 0)
    return SQLITE_OK;

  if ((gsize)n_text > G_N_ELEMENTS (stack_chars))
    chars = heap_chars = g_new (FoldedChar, n_text);
  n = fold_text (text, n_text, chars);

  for (guint i = 0; i < n && rc == SQLITE_OK; i++)
    {
      char token[12];

      if (i + 1 < n)
        {
          memcpy (token, chars[i].utf8, chars[i].len);
          memcpy (token + chars[i].len, chars[i + 1].utf8, chars[i + 1].len);
          rc = x_token (ctx, 0, token, chars[i].len + chars[i + 1].len,
                        chars[i].start, chars[i + 1].end);
        }
      else if (!query || n == 1)
        {
          rc = x_token (ctx, 0, chars[i].utf8, chars[i].len, chars[i].start, chars[i].end);
        }
    }

  return rc;
}

static fts5_api *
get_fts5_api (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_pointer (stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return api;
}

/**
 * _crm_search_register_tokenizer:
 *
 * Makes the "crm_bigram" tokenizer known to @db; every connection that
 * touches the contacts table needs it, since its triggers feed the index.
 *
 * Returns: an SQLite result code.
 */
int
_crm_search_register_tokenizer (sqlite3 *db)
{
  static fts5_tokenizer tokenizer = { bigram_create, bigram_delete, bigram_tokenize };
  static int dummy;
  fts5_api *api = get_fts5_api (db);

  if (api == NULL)
    return SQLITE_ERROR;
  return api->xCreateTokenizer (api, CRM_SEARCH_TOKENIZER, &dummy, &tokenizer, NULL);
}

/**
 * crm_search_build_match:
 * @query: what the person typed
 *
 * Turns a search text into an FTS5 MATCH expression for the contacts index:
 * each white-space separated word must occur as a substring of some field.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL when @query
 *   holds nothing to search for.
 */
char *
crm_search_build_match (const char *query)
{
  g_autoptr (GArray) n_chars = NULL;
  g_autoptr (GPtrArray) words = split_words (query, &n_chars);
  g_autoptr (GString) match = g_string_new (NULL);

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (match->len > 0)
        g_string_append (match, " AND ");
      g_string_append_c (match, '"');
      for (const char *p = word; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *p);
        }
      g_string_append_c (match, '"');
      if (g_array_index (n_chars, guint, i) == 1)
        g_string_append (match, " *");
    }

  if (match->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&match), FALSE);
}
