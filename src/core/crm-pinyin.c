/* crm-pinyin.c — pinyin of Chinese text, and the list order of names
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reading of a Han character comes from ICU's "Han-Latin; Latin-ASCII;
 * Lower" transliterator, never from a table of our own. That transliterator
 * is slow (about 20 µs a character, and 200 ms to open), so each character of
 * U+3400..U+9FFF (CJK Extension A and the unified block: every name and
 * company in practice) is transliterated once, on first use, and its
 * syllable kept in a process-wide cache that readers consult without a lock:
 * a slot is published with an atomic store once its syllable is written. The
 * search indexes a million contacts through this cache, on any thread.
 *
 * The list order. ICU's collator for "zh" sorts Han by pinyin but puts every
 * Han name before every Latin one (CLDR reorders the scripts), while a
 * phone's address book mixes them by letter: Anna, 陈静, David, 李娜. So the
 * key is, in this order:
 *   - the index letter, 'A'..'Z', or '~' (shown as '#', sorted last) for a
 *     name that does not start with a letter once in pinyin;
 *   - the name spelt in lowercase ASCII letters and digits: Han characters by
 *     their pinyin, a polyphonic surname by its surname reading (单 shan, not
 *     dan), accented Latin letters without their accents;
 *   - a space, lower than any of those, so that "li" sorts before "lina";
 *   - the "zh" collator's sort key of the whole name, in hex (which keeps the
 *     byte order), for names of the same spelling: 李娜 and Li Na, 张 and 章.
 * The key is plain ASCII, compared byte by byte (SQLite's BINARY, strcmp),
 * so the order never depends on the locale the app runs in. A collator is
 * kept per thread.
 */
#include "config.h"

#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "crm-pinyin.h"

#define CACHE_FIRST 0x3400
#define CACHE_LAST  0x9FFF
#define MAX_SYLLABLES 2048

/* 0 unknown, -1 no reading, n > 0 syllables[n - 1]; written once under lock */
static gint syllable_of[CACHE_LAST - CACHE_FIRST + 1];
static char syllables[MAX_SYLLABLES][CRM_PINYIN_MAX_SYLLABLE + 1];
static guint n_syllables;
static GMutex transliterate_lock;
static UTransliterator *transliterator;
static gboolean transliterator_failed;

/* Polyphonic surnames: the reading as a surname, where ICU gives the common
 * one. Two-character surnames first. */
static const struct
{
  const char *surname;
  const char *reading;
} surnames[] = {
  { "尉迟", "yuchi" }, { "万俟", "moqi" },  { "单于", "chanyu" },
  { "长孙", "zhangsun" }, { "澹台", "tantai" },
  { "单", "shan" },  { "曾", "zeng" },  { "区", "ou" },    { "仇", "qiu" },
  { "解", "xie" },   { "朴", "piao" },  { "查", "zha" },   { "盖", "ge" },
  { "乐", "yue" },   { "缪", "miao" },  { "翟", "zhai" },  { "召", "shao" },
  { "秘", "bi" },    { "覃", "qin" },   { "繁", "po" },    { "句", "gou" },
  { "种", "chong" }, { "员", "yun" },   { "黑", "he" },    { "折", "she" },
  { "隗", "wei" },   { "洗", "xian" },  { "能", "nai" },   { "祭", "zhai" },
  { "宓", "mi" },    { "逄", "pang" },  { "粘", "nian" },  { "藏", "zang" },
};

/* under transliterate_lock: the syllable of @c, or -1 */
static gint
transliterate_char (gunichar c)
{
  UErrorCode status = U_ZERO_ERROR;
  UChar text[16] = { (UChar)c, 0 };
  int32_t length = 1;
  int32_t limit = 1;
  char ascii[CRM_PINYIN_MAX_SYLLABLE + 1];
  guint n = 0;

  if (transliterator == NULL && !transliterator_failed)
    {
      UChar id[64];

      u_uastrcpy (id, "Han-Latin; Latin-ASCII; Lower");
      transliterator = utrans_openU (id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
      if (U_FAILURE (status))
        {
          g_warning ("Cannot open the Han-Latin transliterator: %s", u_errorName (status));
          transliterator = NULL;
          transliterator_failed = TRUE;
        }
    }
  if (transliterator == NULL)
    return -1;

  status = U_ZERO_ERROR;
  utrans_transUChars (transliterator, text, &length, G_N_ELEMENTS (text) - 1, 0, &limit,
                      &status);
  if (U_FAILURE (status))
    return -1;
  for (int32_t i = 0; i < length; i++)
    {
      if (text[i] >= 'a' && text[i] <= 'z' && n < CRM_PINYIN_MAX_SYLLABLE)
        ascii[n++] = text[i];
      else if (text[i] != ' ')
        return -1; /* not transliterated, or more than one syllable */
    }
  if (n == 0)
    return -1;
  ascii[n] = '\0';

  for (guint i = 0; i < n_syllables; i++)
    if (strcmp (syllables[i], ascii) == 0)
      return i + 1;
  if (n_syllables == MAX_SYLLABLES)
    return -1;
  memcpy (syllables[n_syllables], ascii, n + 1);
  return ++n_syllables;
}

/**
 * crm_pinyin_syllable:
 *
 * Returns: (nullable): the pinyin of the Han character @c, in lowercase ASCII
 *   without tones (ü as u: 女 "nu"), at most %CRM_PINYIN_MAX_SYLLABLE bytes;
 *   %NULL for anything else. Thread-safe.
 */
const char *
crm_pinyin_syllable (gunichar c)
{
  gint slot;

  if (c < CACHE_FIRST || c > CACHE_LAST)
    return NULL;
  slot = g_atomic_int_get (&syllable_of[c - CACHE_FIRST]);
  if (slot == 0)
    {
      g_mutex_lock (&transliterate_lock);
      slot = syllable_of[c - CACHE_FIRST];
      if (slot == 0)
        {
          slot = transliterate_char (c);
          g_atomic_int_set (&syllable_of[c - CACHE_FIRST], slot);
        }
      g_mutex_unlock (&transliterate_lock);
    }
  return slot > 0 ? syllables[slot - 1] : NULL;
}

/**
 * crm_pinyin_surname:
 * @name: a name, from its first character
 * @n_bytes: (out): the length of the surname in @name
 *
 * Returns: (nullable): the reading of the polyphonic surname @name starts
 *   with (单 "shan", 尉迟 "yuchi"), or %NULL when it starts with none.
 */
const char *
crm_pinyin_surname (const char *name,
                    gsize      *n_bytes)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
    {
      gsize len = strlen (surnames[i].surname);

      if (strncmp (name, surnames[i].surname, len) == 0)
        {
          *n_bytes = len;
          return surnames[i].reading;
        }
    }
  return NULL;
}

/* the ASCII letter or digit @c stands for once its accents are left off
 * (é, Ａ), lowercase; 0 for none */
static char
ascii_alnum (gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

  if (c >= 0x80)
    {
      if (g_unichar_fully_decompose (c, TRUE, decomposed, G_N_ELEMENTS (decomposed)) == 0)
        return 0;
      c = decomposed[0];
    }
  if (c < 0x80 && g_ascii_isalnum (c))
    return g_ascii_tolower (c);
  return 0;
}

/* Appends the pinyin of @text to @out: syllables and runs of ASCII letters
 * and digits as words, separated by @separator when it is not 0. With
 * @surname, a polyphonic surname at the start is read as a surname. With
 * @initials, only the first letter of each word. Stops after @max_chars
 * characters. */
static void
append_spelling (GString    *out,
                 const char *text,
                 gboolean    surname,
                 char        separator,
                 gboolean    initials,
                 guint       max_chars)
{
  const char *p = text;
  gboolean in_word = FALSE;
  guint n = 0;

  if (text == NULL)
    return;
  if (surname)
    {
      gsize len = 0;
      const char *reading = crm_pinyin_surname (text, &len);

      if (reading != NULL)
        {
          g_string_append_len (out, reading, initials ? 1 : -1);
          p += len;
          n += g_utf8_strlen (text, len);
        }
    }

  for (; *p && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      const char *syllable;
      char letter;

      if (c == (gunichar)-1 || c == (gunichar)-2)
        break;
      syllable = crm_pinyin_syllable (c);
      letter = syllable == NULL ? ascii_alnum (c) : 0;
      if (syllable != NULL || (letter != 0 && !in_word))
        {
          if (separator != 0 && out->len > 0 && out->str[out->len - 1] != separator)
            g_string_append_c (out, separator);
        }
      if (syllable != NULL)
        {
          g_string_append_len (out, syllable, initials ? 1 : -1);
          in_word = FALSE;
        }
      else if (letter != 0)
        {
          if (!in_word || !initials)
            g_string_append_c (out, letter);
          in_word = TRUE;
        }
      else
        in_word = FALSE;
    }
}

/**
 * crm_pinyin_transliterate:
 *
 * Returns: @text in lowercase ASCII pinyin: 张伟 "zhang wei", "Anna 李"
 *   "anna li" (syllables and runs of letters and digits, one space apart).
 */
char *
crm_pinyin_transliterate (const char *text)
{
  GString *out = g_string_new (NULL);

  append_spelling (out, text, FALSE, ' ', FALSE, G_MAXUINT);
  return g_string_free (out, FALSE);
}

/**
 * crm_pinyin_initials:
 *
 * Returns: the first letter of each word of crm_pinyin_transliterate(): 张伟
 *   "zw".
 */
char *
crm_pinyin_initials (const char *text)
{
  GString *out = g_string_new (NULL);

  append_spelling (out, text, FALSE, 0, TRUE, G_MAXUINT);
  return g_string_free (out, FALSE);
}

static void
close_collator (gpointer collator)
{
  ucol_close (collator);
}

static GPrivate collator_key = G_PRIVATE_INIT (close_collator);

/* this thread's "zh" collator, or NULL when ICU has none */
static UCollator *
get_collator (void)
{
  UCollator *collator = g_private_get (&collator_key);

  if (collator == NULL)
    {
      UErrorCode status = U_ZERO_ERROR;

      collator = ucol_open ("zh", &status);
      if (U_FAILURE (status))
        return NULL;
      g_private_set (&collator_key, collator);
    }
  return collator;
}

/* names longer than this are ordered by their first this many characters */
#define KEY_MAX_CHARS 64

/**
 * crm_pinyin_sort_key:
 * @name: (nullable): a contact's name
 *
 * Returns: the key that puts names in a phone's order (pinyin, Latin and
 *   Chinese mixed by letter; see the top of this file), plain ASCII; its
 *   first byte is the index letter (crm_pinyin_key_letter()).
 */
char *
crm_pinyin_sort_key (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name ? name : "", -1);
  g_autofree char *normalized = g_utf8_normalize (g_strstrip (valid), -1,
                                                  G_NORMALIZE_ALL_COMPOSE);
  g_autofree char *truncated = NULL;
  GString *key = g_string_new ("~");
  UCollator *collator = get_collator ();

  if (normalized == NULL)
    normalized = g_strdup ("");
  if (g_utf8_strlen (normalized, -1) > KEY_MAX_CHARS)
    truncated = g_utf8_substring (normalized, 0, KEY_MAX_CHARS);
  else
    truncated = g_strdup (normalized);

  append_spelling (key, truncated, TRUE, 0, FALSE, G_MAXUINT);
  if (key->len > 1 && g_ascii_isalpha (key->str[1]))
    key->str[0] = g_ascii_toupper (key->str[1]);
  g_string_append_c (key, ' ');

  if (collator != NULL)
    {
      UErrorCode status = U_ZERO_ERROR;
      UChar text[KEY_MAX_CHARS * 2 + 1];
      int32_t n_text = 0;
      uint8_t bytes[512];
      int32_t n_bytes;

      u_strFromUTF8 (text, G_N_ELEMENTS (text), &n_text, truncated, -1, &status);
      if (U_SUCCESS (status))
        {
          n_bytes = ucol_getSortKey (collator, text, n_text, bytes, sizeof bytes);
          /* the last byte is a 0 */
          for (int32_t i = 0; i + 1 < n_bytes && n_bytes <= (int32_t)sizeof bytes; i++)
            g_string_append_printf (key, "%02x", bytes[i]);
        }
    }
  return g_string_free (key, FALSE);
}

/**
 * crm_pinyin_key_letter:
 *
 * Returns: the letter of the A–Z index under which the name of @sort_key
 *   (from crm_pinyin_sort_key()) is listed: 'A'..'Z', or '#'.
 */
char
crm_pinyin_key_letter (const char *sort_key)
{
  if (sort_key != NULL && sort_key[0] >= 'A' && sort_key[0] <= 'Z')
    return sort_key[0];
  return '#';
}
