/* crm-vcard-reader.c — a file of vCards (2.1, 3.0, 4.0) as a table of contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phones, Outlook, Apple Contacts and Evolution export vCards; libebook-
 * contacts' EVCard parses each card (quoted-printable, CHARSET=, folded
 * lines, 2.1's bare "TEL;CELL:"). Around it:
 *  - the file is split here, a card per BEGIN:VCARD … END:VCARD line pair
 *    (counting nested ones, as 2.1's AGENT), so text between cards or a
 *    card EVCard cannot make sense of costs that card only;
 *  - photos, logos, sounds and keys are dropped while splitting (with their
 *    folded or base64 continuation lines): they are most of the bytes and
 *    the CRM keeps none of them;
 *  - each card is decoded on its own: UTF-8, else GB18030 (old Chinese
 *    phones write GBK without a CHARSET), as the whole file is first if it
 *    is UTF-16;
 *  - each card becomes a row of the columns crm-table.h names, the header
 *    made of the columns any card fills. A Han name without FN is family
 *    name then given name with no space (张三), as people write it. The
 *    numbers and addresses a contact has no column for go to its notes, so
 *    nothing the card held is lost.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* libedataserver's headers still name GTimeVal */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook-contacts/libebook-contacts.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "crm-csv-reader.h"
#include "crm-table-private.h"
#include "crm-vcard-reader.h"

/* a card larger than this (once its photo is dropped) is refused */
#define MAX_CARD_BYTES (4 * 1024 * 1024)

enum
{
  COLUMN_NAME,
  COLUMN_COMPANY,
  COLUMN_TITLE,
  COLUMN_MOBILE,
  COLUMN_PHONE,
  COLUMN_EMAIL,
  COLUMN_WECHAT,
  COLUMN_ADDRESS,
  COLUMN_TAGS,
  COLUMN_NOTES,
  COLUMN_UID,
  N_COLUMNS
};

/* the English column names of the import mapping (crm-table.h), not translated */
static const char *const column_names[N_COLUMNS] = {
  "Name", "Company", "Title", "Mobile", "Phone", "E-mail", "WeChat", "Address", "Tags",
  "Notes", "UID",
};

typedef struct
{
  char *text;
  guint number;  /* 1-based, in the file */
} Card;

static void
card_free (gpointer data)
{
  Card *card = data;

  g_free (card->text);
  g_free (card);
}

/* A property name at the start of @line: "item1.PHOTO;…" → "PHOTO" */
static gboolean
line_is_property (const char *line,
                  gsize       length,
                  const char *name)
{
  gsize n = strlen (name);
  const char *colon = memchr (line, ':', length);
  const char *start = line;

  if (colon == NULL)
    return FALSE;
  for (const char *p = line; p < colon && *p != ';'; p++)
    if (*p == '.')
      start = p + 1;
  return (gsize) (colon - start) >= n && g_ascii_strncasecmp (start, name, n) == 0
         && (start[n] == ':' || start[n] == ';');
}

static gboolean
is_binary_property (const char *line,
                    gsize       length)
{
  return line_is_property (line, length, "PHOTO") || line_is_property (line, length, "LOGO")
         || line_is_property (line, length, "SOUND") || line_is_property (line, length, "KEY");
}

static gboolean
line_equals (const char *line,
             gsize       length,
             const char *word)
{
  while (length > 0 && g_ascii_isspace (line[length - 1]))
    length--;
  return length == strlen (word) && g_ascii_strncasecmp (line, word, length) == 0;
}

static gboolean
add_card (GPtrArray *cards,
          GString   *text,
          GError   **error)
{
  Card *card;

  if (memchr (text->str, '\0', text->len) != NULL)
    {
      g_autofree char *where = _crm_table_where (CRM_TABLE_FORMAT_VCARD, cards->len + 1);

      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_ENCODING,
                   _("%s: a field contains a NUL character"), where);
      return FALSE;
    }
  card = g_new0 (Card, 1);
  card->number = cards->len + 1;
  card->text = g_strndup (text->str, text->len);
  g_ptr_array_add (cards, card);
  return TRUE;
}

/* The cards of @text, each with its number; photos and the like left out */
static GPtrArray *
split_cards (const char *text,
             gsize       length,
             GError    **error)
{
  g_autoptr (GPtrArray) cards = g_ptr_array_new_with_free_func (card_free);
  g_autoptr (GString) card = g_string_new (NULL);
  const char *p = text;
  const char *end = text + length;
  guint depth = 0;
  gboolean skipping = FALSE;
  gboolean soft_break = FALSE;  /* the last line kept ends with QP's '=' */

  while (p < end)
    {
      gboolean begin, ending;
      const char *eol = memchr (p, '\n', end - p);
      gsize line_length = (eol != NULL ? eol : end) - p;
      const char *next = eol != NULL ? eol + 1 : end;

      if (line_length > 0 && p[line_length - 1] == '\r')
        line_length--;

      if (skipping && line_length > 0
          && (p[0] == ' ' || p[0] == '\t' || memchr (p, ':', line_length) == NULL))
        {
          p = next;  /* a continuation of a photo: folded, or 2.1's base64 lines */
          continue;
        }
      skipping = FALSE;

      begin = line_equals (p, line_length, "BEGIN:VCARD");
      ending = depth > 0 && line_equals (p, line_length, "END:VCARD");
      if (begin)
        depth++;
      /* the card's own lines: not those of a card inside it (2.1's AGENT) */
      if (depth == 1 && !ending && is_binary_property (p, line_length))
        skipping = TRUE;
      else if (depth == 1 && !begin && line_length > 0 && p[0] != ' ' && p[0] != '\t'
               && memchr (p, ':', line_length) == NULL && !soft_break)
        ;  /* not a property, a fold or quoted-printable's next line: EVCard
            * 3.46 would lose memory on it ("a.b" read as a group) */
      else if (depth == 1)
        {
          g_string_append_len (card, p, line_length);
          g_string_append (card, "\r\n");
          soft_break = line_length > 0 && p[line_length - 1] == '=';
          if (card->len > MAX_CARD_BYTES)
            {
              g_autofree char *where = _crm_table_where (CRM_TABLE_FORMAT_VCARD,
                                                         cards->len + 1);

              g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                           _("%s: the card is larger than %u MB"), where,
                           MAX_CARD_BYTES / (1024 * 1024));
              return NULL;
            }
        }
      if (ending && --depth == 0)
        {
          if (!add_card (cards, card, error))
            return NULL;
          g_string_truncate (card, 0);
          if (cards->len > CRM_TABLE_MAX_ROWS)
            {
              g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                           _("The file holds more than %u cards"), CRM_TABLE_MAX_ROWS);
              return NULL;
            }
        }
      p = next;
    }
  if (depth > 0 && card->len > 0)
    {
      /* the last card without its END:VCARD: kept, and ended */
      g_string_append (card, "END:VCARD\r\n");
      if (!add_card (cards, card, error))
        return NULL;
    }
  return g_steal_pointer (&cards);
}

/* Whether @text has a Han character before its end or its first invalid
 * byte (a quoted-printable value without CHARSET may be any bytes) */
static gboolean
has_han (const char *text)
{
  const char *end = text + strlen (text);

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        return FALSE;
      if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
        return TRUE;
    }
  return FALSE;
}

static const char *
value_at (EVCardAttribute *attr,
          guint            index)
{
  const char *value = g_list_nth_data (e_vcard_attribute_get_values (attr), index);

  return value != NULL ? value : "";
}

/* The non-empty values of @attr from @first on, joined by @separator */
static char *
join_values (EVCardAttribute *attr,
             guint            first,
             const char      *separator)
{
  GString *joined = g_string_new (NULL);
  GList *values = e_vcard_attribute_get_values (attr);

  for (GList *l = g_list_nth (values, first); l != NULL; l = l->next)
    {
      g_autofree char *value = g_strstrip (g_strdup (l->data != NULL ? l->data : ""));

      if (*value == '\0')
        continue;
      if (joined->len > 0)
        g_string_append (joined, separator);
      g_string_append (joined, value);
    }
  return g_string_free (joined, FALSE);
}

/* N as a person writes it: 张三 (family name first, no space) for a Han name,
 * "Given Additional Family" otherwise, with prefixes and suffixes */
static char *
name_from_n (EVCardAttribute *n)
{
  const char *family = value_at (n, 0);
  const char *given = value_at (n, 1);
  const char *order[] = { value_at (n, 3), given, value_at (n, 2), family, value_at (n, 4) };
  GString *name = g_string_new (NULL);

  if (has_han (family) || has_han (given))
    {
      g_string_append (name, family);
      g_string_append (name, given);
      return g_strstrip (g_string_free (name, FALSE));
    }
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (*order[i] != '\0')
      {
        if (name->len > 0)
          g_string_append_c (name, ' ');
        g_string_append (name, order[i]);
      }
  return g_strstrip (g_string_free (name, FALSE));
}

/* ADR as it is written: 中国北京市海淀区中关村大街1号 100080 for a Han
 * address (largest first), "Street, City, Region Code, Country" otherwise */
static char *
address_from_adr (EVCardAttribute *adr)
{
  const char *pobox = value_at (adr, 0), *extended = value_at (adr, 1);
  const char *street = value_at (adr, 2), *locality = value_at (adr, 3);
  const char *region = value_at (adr, 4), *code = value_at (adr, 5);
  const char *country = value_at (adr, 6);
  GString *text = g_string_new (NULL);

  if (has_han (street) || has_han (locality) || has_han (region) || has_han (country))
    {
      const char *parts[] = { country, region, locality, street, extended, pobox };

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        g_string_append (text, parts[i]);
      if (*code != '\0')
        g_string_append_printf (text, " %s", code);
    }
  else
    {
      g_autofree char *region_code = g_strstrip (g_strdup_printf ("%s %s", region, code));
      const char *parts[] = { pobox, street, extended, locality, region_code, country };

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        if (*parts[i] != '\0')
          g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "", parts[i]);
    }
  return g_strstrip (g_string_free (text, FALSE));
}

static gboolean
has_param_value (EVCardAttribute *attr,
                 const char      *param,
                 const char      *value)
{
  for (GList *l = e_vcard_attribute_get_param (attr, param); l != NULL; l = l->next)
    {
      g_auto (GStrv) parts = g_strsplit (l->data, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (g_ascii_strcasecmp (g_strstrip (parts[i]), value) == 0)
          return TRUE;
    }
  return FALSE;
}

static const char *
skip_scheme (const char *value,
             const char *scheme)
{
  gsize n = strlen (scheme);

  return g_ascii_strncasecmp (value, scheme, n) == 0 ? value + n : value;
}

/* A WeChat id: X-WECHAT or X-WEIXIN, IMPP:wechat:…, or Apple's
 * IMPP;X-SERVICE-TYPE=WeChat:x-apple:… ; NULL if @attr is none */
static const char *
wechat_of (EVCardAttribute *attr,
           const char      *name)
{
  const char *value = value_at (attr, 0);

  if (g_ascii_strcasecmp (name, "X-WECHAT") == 0 || g_ascii_strcasecmp (name, "X-WEIXIN") == 0)
    return value;
  if (g_ascii_strcasecmp (name, "IMPP") != 0 && g_ascii_strcasecmp (name, "X-SOCIALPROFILE") != 0)
    return NULL;
  if (g_ascii_strncasecmp (value, "wechat:", 7) == 0)
    return value + 7;
  if (g_ascii_strncasecmp (value, "weixin:", 7) == 0)
    return value + 7;
  if (has_param_value (attr, "X-SERVICE-TYPE", "WeChat")
      || has_param_value (attr, "X-SERVICE-TYPE", "微信")
      || has_param_value (attr, "TYPE", "wechat"))
    return skip_scheme (skip_scheme (value, "x-apple:"), "wechat:");
  return NULL;
}

static void
append_line (GString    *notes,
             const char *label,
             const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  if (notes->len > 0)
    g_string_append_c (notes, '\n');
  if (label != NULL)
    g_string_append_printf (notes, "%s: ", label);
  g_string_append (notes, value);
}

static void
set_first (char      **cells,
           guint       column,
           const char *value,
           GString    *extra,
           const char *label)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value));

  if (*stripped == '\0')
    return;
  if (cells[column] == NULL)
    cells[column] = g_steal_pointer (&stripped);
  else
    append_line (extra, label, stripped);
}

/* The cells of one card, by column (NULL where it has nothing) */
static void
card_cells (EVCard *vcard,
            char  **cells)
{
  g_autoptr (GString) notes = g_string_new (NULL);
  g_autoptr (GString) extra = g_string_new (NULL);
  g_autofree char *n_name = NULL;
  g_autoptr (GPtrArray) phones = g_ptr_array_new ();

  for (GList *l = e_vcard_get_attributes (vcard); l != NULL; l = l->next)
    {
      EVCardAttribute *attr = l->data;
      const char *name = e_vcard_attribute_get_name (attr);
      const char *wechat;

      if (name == NULL)
        continue;
      if (g_ascii_strcasecmp (name, "FN") == 0)
        set_first (cells, COLUMN_NAME, value_at (attr, 0), extra, NULL);
      else if (g_ascii_strcasecmp (name, "N") == 0 && n_name == NULL)
        n_name = name_from_n (attr);
      else if (g_ascii_strcasecmp (name, "ORG") == 0)
        {
          g_autofree char *org = join_values (attr, 0, " ");

          set_first (cells, COLUMN_COMPANY, org, extra, "ORG");
        }
      else if (g_ascii_strcasecmp (name, "TITLE") == 0)
        set_first (cells, COLUMN_TITLE, value_at (attr, 0), extra, "TITLE");
      else if (g_ascii_strcasecmp (name, "TEL") == 0)
        g_ptr_array_add (phones, attr);
      else if (g_ascii_strcasecmp (name, "EMAIL") == 0)
        set_first (cells, COLUMN_EMAIL, value_at (attr, 0), extra, "EMAIL");
      else if (g_ascii_strcasecmp (name, "ADR") == 0)
        {
          g_autofree char *address = address_from_adr (attr);

          set_first (cells, COLUMN_ADDRESS, address, extra, "ADR");
        }
      else if (g_ascii_strcasecmp (name, "NOTE") == 0)
        append_line (notes, NULL, value_at (attr, 0));
      else if (g_ascii_strcasecmp (name, "UID") == 0)
        set_first (cells, COLUMN_UID, value_at (attr, 0), extra, "UID");
      else if (g_ascii_strcasecmp (name, "CATEGORIES") == 0)
        {
          g_autofree char *tags = join_values (attr, 0, ", ");

          if (*tags != '\0')
            {
              char *joined = cells[COLUMN_TAGS] == NULL ? g_steal_pointer (&tags)
                             : g_strconcat (cells[COLUMN_TAGS], ", ", tags, NULL);

              g_free (cells[COLUMN_TAGS]);
              cells[COLUMN_TAGS] = joined;
            }
        }
      else if ((wechat = wechat_of (attr, name)) != NULL)
        set_first (cells, COLUMN_WECHAT, wechat, extra, "WeChat");
    }

  /* a mobile first (TYPE=CELL), then the first other number; the rest to the notes */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < phones->len; i++)
      {
        EVCardAttribute *attr = g_ptr_array_index (phones, i);
        gboolean cell = has_param_value (attr, "TYPE", "CELL");
        const char *number = skip_scheme (value_at (attr, 0), "tel:");

        if (pass == 0 && cell)
          set_first (cells, COLUMN_MOBILE, number, extra, "TEL");
        else if (pass == 1 && !(cell && g_strcmp0 (cells[COLUMN_MOBILE], number) == 0))
          set_first (cells, COLUMN_PHONE, number, extra, "TEL");
      }

  if (cells[COLUMN_NAME] == NULL && n_name != NULL && *n_name != '\0')
    cells[COLUMN_NAME] = g_steal_pointer (&n_name);
  if (extra->len > 0)
    append_line (notes, NULL, extra->str);
  if (notes->len > 0)
    cells[COLUMN_NOTES] = g_strdup (notes->str);
}

/* A card's text as UTF-8: as it is, else from @fallback (GB18030, Big5) */
static char *
card_to_utf8 (const char *text,
              const char *fallback,
              gboolean   *converted)
{
  *converted = FALSE;
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  *converted = TRUE;
  return g_convert (text, -1, "UTF-8", fallback, NULL, NULL, NULL);
}

/* A value EVCard decoded from quoted-printable without a CHARSET: bytes
 * in the phone's own encoding, usually GBK */
static char *
cell_to_utf8 (char       *cell,
              const char *fallback)
{
  char *converted;

  if (cell == NULL || g_utf8_validate (cell, -1, NULL))
    return cell;
  converted = g_convert (cell, -1, "UTF-8", fallback, NULL, NULL, NULL);
  if (converted == NULL)
    return cell;
  g_free (cell);
  return converted;
}

static void
cells_free (gpointer data)
{
  char **cells = data;

  for (guint c = 0; c < N_COLUMNS; c++)
    g_free (cells[c]);
  g_free (cells);
}

static gboolean
read_cards (GPtrArray    *cards,
            const char   *fallback,
            CrmTable     *table,
            GCancellable *cancellable,
            GError      **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (cells_free);
  gboolean used[N_COLUMNS] = { FALSE };
  gboolean any_converted = FALSE;
  g_autoptr (GStrvBuilder) header = g_strv_builder_new ();

  for (guint i = 0; i < cards->len; i++)
    {
      Card *card = g_ptr_array_index (cards, i);
      char **cells = g_new0 (char *, N_COLUMNS);
      gboolean converted = FALSE;
      g_autofree char *text = card_to_utf8 (card->text, fallback, &converted);

      g_ptr_array_add (rows, cells);
      if (i % 256 == 255 && !_crm_table_check_cancel (cancellable, error))
        return FALSE;
      any_converted |= converted;
      if (text == NULL)
        {
          /* neither UTF-8 nor the file's other encoding */
          return _crm_table_check_cell (CRM_TABLE_FORMAT_VCARD, card->text,
                                        strlen (card->text), card->number, error);
        }
      else
        {
          EVCard *vcard = e_vcard_new_from_string (text);

          card_cells (vcard, cells);
          g_object_unref (vcard);
        }
      for (guint c = 0; c < N_COLUMNS; c++)
        {
          cells[c] = cell_to_utf8 (cells[c], fallback);
          if (cells[c] == NULL)
            continue;
          if (!_crm_table_check_cell (CRM_TABLE_FORMAT_VCARD, cells[c], strlen (cells[c]),
                                      card->number, error))
            return FALSE;
          used[c] = TRUE;
        }
    }

  for (guint c = 0; c < N_COLUMNS; c++)
    if (used[c])
      g_strv_builder_add (header, column_names[c]);
  if (!_crm_table_add_row (table, g_strv_builder_end (header), 0, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      char **cells = g_ptr_array_index (rows, i);
      g_autoptr (GStrvBuilder) row = g_strv_builder_new ();
      Card *card = g_ptr_array_index (cards, i);

      for (guint c = 0; c < N_COLUMNS; c++)
        if (used[c])
          g_strv_builder_add (row, cells[c] != NULL ? cells[c] : "");
      if (!_crm_table_add_row (table, g_strv_builder_end (row), card->number, error))
        return FALSE;
    }
  if (any_converted)
    {
      g_free (table->encoding);
      table->encoding = g_strdup (fallback);
    }
  return TRUE;
}

/**
 * crm_vcard_reader_read:
 * @bytes: a file of vCards
 * @cancellable: (nullable): cancels the read
 * @error: a %CRM_IO_ERROR with the card at fault
 *
 * Returns: (transfer full): a header made of the columns the cards fill,
 *   then a row per card, or %NULL with @error set
 */
CrmTable *
crm_vcard_reader_read (GBytes        *bytes,
                       GCancellable  *cancellable,
                       GError       **error)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  g_autofree char *encoding = NULL;
  g_autofree char *converted = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  g_autoptr (CrmTable) table = NULL;
  const char *text;
  const char *fallback;
  gsize text_length = 0;

  text = crm_csv_reader_text (data, length, &encoding, &converted, &text_length, error);
  if (text == NULL)
    return NULL;
  /* cards are decoded one by one: UTF-8, else the file's other encoding */
  fallback = g_str_equal (encoding, "BIG5") ? "BIG5" : "GB18030";
  cards = split_cards (text, text_length, error);
  if (cards == NULL)
    return NULL;
  if (cards->len == 0)
    {
      g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                           _("The file holds no vCard (no BEGIN:VCARD line)"));
      return NULL;
    }

  table = _crm_table_new (CRM_TABLE_FORMAT_VCARD,
                          converted != NULL ? encoding : "UTF-8");
  if (!read_cards (cards, fallback, table, cancellable, error))
    return NULL;
  return g_steal_pointer (&table);
}
