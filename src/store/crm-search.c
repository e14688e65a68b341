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
 * A query of two or more characters becomes a phrase of its pairs
 * (crm-search-match.c builds the MATCH expression), which
 * matches exactly the values that hold it as a substring (the positions must
 * follow each other); a single character becomes a prefix query, which
 * matches every pair starting with it and the final character. An index
 * without positions (CRM_SEARCH_LAYOUT_PAIRS, measured and not taken: see
 * crm-search-private.h) takes the AND of the pairs instead, which also finds
 * values that hold every pair but not the word ("abxbc" for "abc"), for the
 * rule below (_crm_search_pattern_match(), in SQL crm_search_matches()) to
 * take out. Letters are case-folded
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
 *
 * Pinyin. A word of Latin letters only also finds Han text by its pinyin
 * (crm-pinyin.c): 张伟 by "zhangwei", "zhang" and "wei" (two words), "zw"
 * and "zhangw". The rule: for each Han character of a value (once folded and
 * skipped characters left out) that starts a run of them, take the spelling
 * of it and at most PINYIN_SPAN - 1 Han characters after it, in full
 * ("zhangwei") and by initials ("zw"); the word matches when it starts one
 * of these. A value that starts with a polyphonic surname also has the
 * spellings by its surname reading (单田芳 "shantianfang", "stf"). The index
 * holds each spelling as one token behind PINYIN_MARK (a control character,
 * so never a bigram), at the position of the value's last bigram, and a
 * pinyin word becomes ("word" OR "<mark>word" *). A spelling covers at most
 * PINYIN_SPAN characters, so that a company's long name costs two short
 * tokens a character, not a quadratic number of bytes.
 *
 * Tags. A word that starts with '#' ("#重点客户", also "＃") is a tag: the
 * contact must have a tag that starts with the rest of the word, once both
 * are folded like the rest. A contact's tags are one text, split on ",",
 * "，", "、", ";" and "；" (_crm_search_split_tags()); the store keeps them one
 * row a tag in contact_tags (0009-pinyin.sql, through the SQL function
 * crm_tags()), which a tag word reads by a range of its index, next to the
 * FTS5 index that the other words use. Only tag words look at the tags.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "crm-pinyin.h"
#include "crm-search-private.h"

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
guint
_crm_search_fold_text (const char *text,
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

char *
_crm_search_fold_to_string (const char *text)
{
  return fold_into (text, g_malloc (2 * strlen (text) + 1));
}

#define PINYIN_SPAN 4
/* the longest spelling, in bytes, with its NUL */
#define SPELLING_MAX (PINYIN_SPAN * CRM_PINYIN_MAX_SYLLABLE + 1)

/* called with each spelling; returns TRUE to stop */
typedef gboolean (*SpellingFunc) (const char *spelling,
                                  gpointer    data);

/* spells the Han run at @syllables[@from] up to PINYIN_SPAN characters, with
 * @first instead of the first syllable; calls @func with the full spelling
 * and the initials */
static gboolean
spell_from (const char *const *syllables,
            guint              n,
            guint              from,
            const char        *first,
            guint              first_span,
            SpellingFunc       func,
            gpointer           data)
{
  char full[SPELLING_MAX];
  char initials[PINYIN_SPAN + 1];
  gsize n_full = 0;
  guint n_initials = 0;

  for (guint j = from; j < n && j < from + PINYIN_SPAN && syllables[j] != NULL; j++)
    {
      const char *syllable = j == from ? first : syllables[j];
      gsize len = strlen (syllable);

      if (j > from && j < from + first_span)
        continue; /* the rest of a two-character surname */
      memcpy (full + n_full, syllable, len);
      n_full += len;
      initials[n_initials++] = syllable[0];
    }
  full[n_full] = '\0';
  initials[n_initials] = '\0';
  return func (full, data) || func (initials, data);
}

/* Calls @func with every pinyin spelling of the folded characters @chars
 * (see the top of this file), stopping when it returns TRUE. */
static gboolean
for_each_spelling (const gunichar *chars,
                   guint           n,
                   SpellingFunc    func,
                   gpointer        data)
{
  const char *stack[64];
  g_autofree const char **heap = NULL;
  const char **syllables = stack;
  gboolean any = FALSE;

  if (n > G_N_ELEMENTS (stack))
    syllables = heap = g_new (const char *, n);
  for (guint i = 0; i < n; i++)
    {
      syllables[i] = crm_pinyin_syllable (chars[i]);
      any |= syllables[i] != NULL;
    }
  if (!any)
    return FALSE;

  if (syllables[0] != NULL)
    {
      char head[16];
      gsize len = g_unichar_to_utf8 (chars[0], head);
      const char *reading;
      gsize surname_len = 0;

      if (n > 1)
        len += g_unichar_to_utf8 (chars[1], head + len);
      head[len] = '\0';
      reading = crm_pinyin_surname (head, &surname_len);
      if (reading != NULL
          && spell_from (syllables, n, 0, reading, g_utf8_strlen (head, surname_len),
                         func, data))
        return TRUE;
    }
  for (guint i = 0; i < n; i++)
    if (syllables[i] != NULL && spell_from (syllables, n, i, syllables[i], 1, func, data))
      return TRUE;
  return FALSE;
}

/* whether the folded word @word is spelt in Latin letters only */
gboolean
_crm_search_is_pinyin_word (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (const char *p = word; *p; p++)
    if (*p < 'a' || *p > 'z')
      return FALSE;
  return TRUE;
}

/* Whether @word starts a spelling of the Han run at @syllables[@from] (as
 * spell_from() makes them, with @first and @first_span), in full or by
 * initials: the same test as building them, without building them. */
static gboolean
starts_spelling (const char *const *syllables,
                 guint              n,
                 guint              from,
                 const char        *first,
                 guint              first_span,
                 const char        *word)
{
  const char *w = word;
  gboolean full = TRUE;

  for (guint j = from; j < n && j < from + PINYIN_SPAN && syllables[j] != NULL && full; j++)
    {
      if (j > from && j < from + first_span)
        continue;
      for (const char *s = j == from ? first : syllables[j]; *s != '\0' && *w != '\0'; s++, w++)
        if (*s != *w)
          {
            full = FALSE;
            break;
          }
      if (*w == '\0')
        return full;
    }

  w = word;
  for (guint j = from; j < n && j < from + PINYIN_SPAN && syllables[j] != NULL; j++)
    {
      if (j > from && j < from + first_span)
        continue;
      if (*w == '\0')
        return TRUE;
      if ((j == from ? first : syllables[j])[0] != *w++)
        return FALSE;
    }
  return *w == '\0';
}

/* whether the folded value @folded has a spelling that starts with the
 * pinyin word @word; the rule of for_each_spelling(), character by
 * character and without allocating for the values of everyday length */
static gboolean
pinyin_match (const char *folded,
              const char *word)
{
  const char *stack[128];
  g_autofree const char **heap = NULL;
  const char **syllables = stack;
  gsize len = 0;
  gboolean han = FALSE;
  guint n = 0;

  for (const guchar *p = (const guchar *)folded; *p; p++, len++)
    han |= *p >= 0xE3;
  if (!han)
    return FALSE;
  if (len > G_N_ELEMENTS (stack))
    syllables = heap = g_new (const char *, len);
  han = FALSE;
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      syllables[n] = crm_pinyin_syllable (g_utf8_get_char (p));
      han |= syllables[n++] != NULL;
    }
  if (!han)
    return FALSE;

  if (syllables[0] != NULL)
    {
      const char *second = g_utf8_next_char (folded);
      char head[16];
      gsize head_len = (n > 1 ? g_utf8_next_char (second) : second) - folded;
      gsize surname_len = 0;
      const char *reading;

      memcpy (head, folded, head_len);
      head[head_len] = '\0';
      reading = crm_pinyin_surname (head, &surname_len);
      if (reading != NULL
          && starts_spelling (syllables, n, 0, reading, g_utf8_strlen (head, surname_len), word))
        return TRUE;
    }
  for (guint i = 0; i < n; i++)
    if (syllables[i] != NULL && syllables[i][0] == word[0]
        && starts_spelling (syllables, n, i, syllables[i], 1, word))
      return TRUE;
  return FALSE;
}

/* The words of @query, as both the index and the value test take them: cut
 * at white space of every kind, invalid UTF-8 bytes dropped, and only those
 * left with a character once skipped ones are left out. With @n_chars, the
 * number of such characters in each word. */
GPtrArray *
_crm_search_split_words (const char  *query,
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
  GArray    *pinyin;  /* gboolean by word: also by pinyin */
  GPtrArray *tags;    /* folded, without their '#' */
};

#define TAG_MARK '#'

/* whether the folded word @folded is a tag word: '#' and something more */
gboolean
_crm_search_is_tag_word (const char *folded)
{
  return folded[0] == TAG_MARK && folded[1] != '\0';
}

/**
 * _crm_search_split_tags_as_typed:
 * @tags: (nullable): a contact's tags, as typed
 *
 * Returns: (transfer full): the pieces of @tags between the separators
 *   (",", "，", "、", ";", "；"), as typed: neither folded nor trimmed, the
 *   empty ones kept.
 */
char **
_crm_search_split_tags_as_typed (const char *tags)
{
  static const char *const separators[] = { "，", "、", "；" };
  g_autofree char *ascii = g_strdup (tags != NULL ? tags : "");

  /* the wide separators as ',' */
  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    if (strstr (ascii, separators[i]) != NULL)
      {
        g_auto (GStrv) pieces = g_strsplit (ascii, separators[i], -1);
        g_free (ascii);
        ascii = g_strjoinv (",", pieces);
      }
  return g_strsplit_set (ascii, ",;", -1);
}

/**
 * _crm_search_split_tags:
 * @tags: (nullable): a contact's tags, as typed
 *
 * Returns: (transfer container) (element-type utf8): the tags, each folded
 *   as the search folds text, without the empty ones and repeats, in order.
 */
GPtrArray *
_crm_search_split_tags (const char *tags)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) parts = NULL;

  if (tags == NULL || *tags == '\0')
    return out;
  parts = _crm_search_split_tags_as_typed (tags);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *tag = _crm_search_fold_to_string (parts[i]);
      gboolean seen = *tag == '\0';

      for (guint k = 0; k < out->len && !seen; k++)
        seen = strcmp (g_ptr_array_index (out, k), tag) == 0;
      if (seen)
        g_free (tag);
      else
        g_ptr_array_add (out, tag);
    }
  return out;
}

/**
 * _crm_search_query_tags:
 *
 * Returns: (transfer container) (element-type utf8): the tag words of
 *   @query, folded, without their '#'; empty when it has none.
 */
GPtrArray *
_crm_search_query_tags (const char *query)
{
  g_autoptr (GPtrArray) words = _crm_search_split_words (query, NULL);
  GPtrArray *tags = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < words->len; i++)
    {
      g_autofree char *folded = _crm_search_fold_to_string (g_ptr_array_index (words, i));

      if (_crm_search_is_tag_word (folded))
        g_ptr_array_add (tags, g_strdup (folded + 1));
    }
  return tags;
}

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
  g_autoptr (GPtrArray) words = _crm_search_split_words (query, NULL);
  CrmSearchPattern *pattern;

  if (words->len == 0)
    return NULL;

  pattern = g_new0 (CrmSearchPattern, 1);
  pattern->words = g_ptr_array_new_with_free_func (g_free);
  pattern->pinyin = g_array_new (FALSE, FALSE, sizeof (gboolean));
  pattern->tags = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < words->len; i++)
    {
      char *word = _crm_search_fold_to_string (g_ptr_array_index (words, i));
      gboolean pinyin = _crm_search_is_pinyin_word (word);

      if (_crm_search_is_tag_word (word))
        {
          g_ptr_array_add (pattern->tags, g_strdup (word + 1));
          g_free (word);
          continue;
        }
      g_ptr_array_add (pattern->words, word);
      g_array_append_val (pattern->pinyin, pinyin);
    }
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
  g_array_unref (pattern->pinyin);
  g_ptr_array_unref (pattern->tags);
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

  guint n_searched = MIN (n_fields, CRM_SEARCH_N_FIELDS);

  g_return_val_if_fail (n_fields <= G_N_ELEMENTS (folded), FALSE);

  if (pattern->tags->len > 0)
    {
      g_autoptr (GPtrArray) tags = NULL;

      if (n_fields <= CRM_SEARCH_N_FIELDS)
        return FALSE;
      tags = _crm_search_split_tags (fields[CRM_SEARCH_N_FIELDS]);
      for (guint t = 0; t < pattern->tags->len && match; t++)
        {
          match = FALSE;
          for (guint k = 0; k < tags->len && !match; k++)
            match = g_str_has_prefix (g_ptr_array_index (tags, k),
                                      g_ptr_array_index (pattern->tags, t));
        }
    }

  for (guint w = 0; w < pattern->words->len && match; w++)
    {
      const char *word = g_ptr_array_index (pattern->words, w);

      match = FALSE;
      for (guint f = 0; f < n_searched && !match; f++)
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
      for (guint f = 0; f < n_searched && !match && g_array_index (pattern->pinyin, gboolean, w);
           f++)
        match = pinyin_match (folded[f], word);
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

typedef struct
{
  void *ctx;
  int (*x_token) (void *, int, const char *, int, int, int);
  int start;
  int end;
  int rc;
} SpellingSink;

/* a spelling as an index token, at the position of the last one */
static gboolean
emit_spelling (const char *spelling,
               gpointer    data)
{
  SpellingSink *sink = data;
  char token[SPELLING_MAX + 1] = PINYIN_MARK;
  gsize len = strlen (spelling);

  memcpy (token + 1, spelling, len);
  sink->rc = sink->x_token (sink->ctx, FTS5_TOKEN_COLOCATED, token, len + 1,
                            sink->start, sink->end);
  return sink->rc != SQLITE_OK;
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
  gboolean han = FALSE;
  int rc = SQLITE_OK;
  guint n;

  if (text == NULL || n_text <= 0)
    return SQLITE_OK;

  /* a pinyin spelling, from crm_search_build_match() */
  if (query && text[0] == PINYIN_MARK[0])
    return x_token (ctx, 0, text, n_text, 0, n_text);

  if ((gsize)n_text > G_N_ELEMENTS (stack_chars))
    chars = heap_chars = g_new (FoldedChar, n_text);
  n = _crm_search_fold_text (text, n_text, chars);

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

  for (guint i = 0; i < n && !han; i++)
    han = (guchar)chars[i].utf8[0] >= 0xE3;
  if (!query && han && rc == SQLITE_OK)
    {
      g_autofree gunichar *ucs = g_new (gunichar, n);
      SpellingSink sink = { ctx, x_token, chars[n - 1].start, chars[n - 1].end, SQLITE_OK };

      for (guint i = 0; i < n; i++)
        ucs[i] = g_utf8_get_char (chars[i].utf8);
      for_each_spelling (ucs, n, emit_spelling, &sink);
      rc = sink.rc;
    }
  return rc;
}

/* crm_sort_key(name): the list order's key of a name, for the migration
 * that rewrites them (0009-pinyin.sql) */
static void
sort_key_function (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  char *key = crm_pinyin_sort_key ((const char *)sqlite3_value_text (argv[0]));

  sqlite3_result_text (context, key, -1, g_free);
}

/* crm_tags(tags): a contact's tags as a JSON array of folded tags, for the
 * triggers that keep contact_tags (0009-pinyin.sql) */
static void
tags_function (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  g_autoptr (GPtrArray) tags = _crm_search_split_tags ((const char *)
                                                       sqlite3_value_text (argv[0]));
  GString *json = g_string_new ("[");

  for (guint i = 0; i < tags->len; i++)
    {
      const char *tag = g_ptr_array_index (tags, i);

      g_string_append (json, i > 0 ? ",\"" : "\"");
      /* folded: no control character is left */
      for (const char *p = tag; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (json, '\\');
          g_string_append_c (json, *p);
        }
      g_string_append_c (json, '"');
    }
  g_string_append_c (json, ']');
  sqlite3_result_text (context, g_string_free (json, FALSE), -1, g_free);
}

/* crm_search_matches(query, value...): whether the values match @query by
 * the contact search's rule (_crm_search_pattern_match()), for the deals'
 * search (crm-deal-list.c) and to check what the index finds
 * (crm-store-search.c); a seventh value is the tags, for "#tag" words. The
 * pattern is made once a statement, kept as
 * the query's auxiliary data */
static void
matches_function (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  CrmSearchPattern *pattern = sqlite3_get_auxdata (context, 0);
  const char *fields[CRM_SEARCH_N_FIELDS + 1] = { NULL, };
  guint n_fields = MIN (argc - 1, CRM_SEARCH_N_FIELDS + 1);

  if (pattern == NULL)
    {
      pattern = _crm_search_pattern_new ((const char *)sqlite3_value_text (argv[0]));
      if (pattern == NULL)
        {
          sqlite3_result_int (context, 1); /* no words: everything */
          return;
        }
      sqlite3_set_auxdata (context, 0, pattern, (void (*) (void *))_crm_search_pattern_free);
      pattern = sqlite3_get_auxdata (context, 0);
      if (pattern == NULL)
        {
          sqlite3_result_error_nomem (context);
          return;
        }
    }
  for (guint i = 0; i < n_fields; i++)
    fields[i] = (const char *)sqlite3_value_text (argv[i + 1]);
  sqlite3_result_int (context, _crm_search_pattern_match (pattern, fields,
                                                          MAX (n_fields, CRM_SEARCH_N_FIELDS)));
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
 * Makes the "crm_bigram" tokenizer and the crm_sort_key(), crm_tags() and
 * crm_search_matches() SQL functions known to @db; every connection that
 * touches the contacts table needs them, since its triggers feed the index
 * and the tags.
 *
 * Returns: an SQLite result code.
 */
int
_crm_search_register_tokenizer (sqlite3 *db)
{
  static fts5_tokenizer tokenizer = { bigram_create, bigram_delete, bigram_tokenize };
  static int dummy;
  fts5_api *api = get_fts5_api (db);
  int rc;

  if (api == NULL)
    return SQLITE_ERROR;
  rc = api->xCreateTokenizer (api, CRM_SEARCH_TOKENIZER, &dummy, &tokenizer, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_create_function (db, "crm_sort_key", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                NULL, sort_key_function, NULL, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_create_function (db, "crm_tags", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                NULL, tags_function, NULL, NULL);
  if (rc != SQLITE_OK)
    return rc;
  return sqlite3_create_function (db, "crm_search_matches", -1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  NULL, matches_function, NULL, NULL);
}
