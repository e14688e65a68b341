/* crm-wire-json.c — the sync protocol codec's JSON helpers: the gate every
 * body passes before json-glib reads it, members read with their place
 * named in the message, builders' members, and the writers of the bodies
 * written by hand (a GString, no JsonBuilder nor JsonGenerator: several
 * times faster, and a stored text can go in as it is)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message names the place of what is wrong as a path from the top of the
 * body: "mutations[3].fields.amount_fen: not an integer (a string)".
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "crm-wire-private.h"

void
_crm_wire_set_malformed (GError     **error,
                         const char  *where,
                         const char  *format,
                         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (where != NULL && *where != '\0')
    g_set_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED, "%s: %s", where, message);
  else
    g_set_error_literal (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED, message);
}

const char *
_crm_wire_node_type_name (JsonNode *node)
{
  if (node == NULL)
    return "missing";
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return "an integer";
    case G_TYPE_DOUBLE:
      return "a number with a fraction or an exponent";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_STRING:
      return "a string";
    default:
      return "a value";
    }
}

gboolean
_crm_wire_node_is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_INT64;
}

gboolean
_crm_wire_node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
_crm_wire_node_is_bool (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/* "where.name", or "name" at the top */
char *
_crm_wire_path_of (const char *where,
                   const char *name)
{
  return where != NULL && *where != '\0' ? g_strdup_printf ("%s.%s", where, name)
                                         : g_strdup (name);
}

static gboolean
is_number_char (char c)
{
  return g_ascii_isdigit (c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
}

/* A number at @data[*i] (outside strings, where a value starts), as JSON
 * writes it: json-glib would read 01, and wrap an integer that does not
 * fit in 64 bits (9223372036854775808 becomes a negative one). Moves *i to
 * the number's last byte. */
static gboolean
check_number (const char  *data,
              gsize        length,
              gsize       *i,
              GError     **error)
{
  gsize j = *i;
  gsize start;
  gsize n_digits;
  gboolean negative = FALSE;

  if (data[j] == '-')
    {
      negative = TRUE;
      j++;
    }
  start = j;
  while (j < length && g_ascii_isdigit (data[j]))
    j++;
  n_digits = j - start;
  if (n_digits == 0)
    {
      _crm_wire_set_malformed (error, NULL, "not a number at byte %" G_GSIZE_FORMAT, *i);
      return FALSE;
    }
  if (n_digits > 1 && data[start] == '0')
    {
      _crm_wire_set_malformed (error, NULL, "a number with a leading zero at byte %"
                               G_GSIZE_FORMAT, *i);
      return FALSE;
    }
  if (j >= length || (data[j] != '.' && data[j] != 'e' && data[j] != 'E'))
    {
      const char *max = negative ? "9223372036854775808" : "9223372036854775807";

      if (n_digits > 19 || (n_digits == 19 && memcmp (data + start, max, 19) > 0))
        {
          _crm_wire_set_malformed (error, NULL, "an integer out of range at byte %"
                                   G_GSIZE_FORMAT, *i);
          return FALSE;
        }
    }
  else
    {
      /* a fraction or an exponent: none in the protocol, but a newer
       * server may send one; not one json-glib would write back as inf */
      char number[65];
      gsize end = j;
      double value;

      while (end < length && is_number_char (data[end]))
        end++;
      if (end - *i >= sizeof number)
        {
          _crm_wire_set_malformed (error, NULL, "a number longer than %u bytes at byte %"
                                   G_GSIZE_FORMAT, (guint)sizeof number - 1, *i);
          return FALSE;
        }
      memcpy (number, data + *i, end - *i);
      number[end - *i] = '\0';
      value = g_ascii_strtod (number, NULL);
      if (!isfinite (value))
        {
          _crm_wire_set_malformed (error, NULL, "a number out of range at byte %"
                                   G_GSIZE_FORMAT, *i);
          return FALSE;
        }
    }
  while (j < length && is_number_char (data[j]))
    j++;
  *i = j - 1;
  return TRUE;
}

/* What json-glib must never see: a body over the limit, bytes that are not
 * UTF-8 (a NUL byte included), brackets nested deeper than the protocol
 * ever does (its parser recurses), and what JSON is not but json-glib
 * accepts: '…' strings, comments, 0x10, 01, an integer over 64 bits (it
 * wraps), escapes such as \x or \' and control characters in a string,
 * anything after the top-level value; and "\u0000" (a C string would end
 * there, silently). One pass, no allocation. */
static gboolean
check_body (const char  *data,
            gsize        length,
            guint       *n_members,
            GError     **error)
{
  const char *end = NULL;
  guint depth = 0;
  guint values = 1;
  guint members = 0;
  gboolean in_string = FALSE;
  gboolean closed = FALSE;

  if (length > CRM_WIRE_MAX_BODY)
    {
      g_set_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_TOO_LARGE,
                   "the body is larger than %u bytes", CRM_WIRE_MAX_BODY);
      return FALSE;
    }
  if (data == NULL || length == 0)
    {
      _crm_wire_set_malformed (error, NULL, "the body is empty");
      return FALSE;
    }
  if (!g_utf8_validate_len (data, length, &end))
    {
      _crm_wire_set_malformed (error, NULL, "not UTF-8 at byte %" G_GSIZE_FORMAT,
                               (gsize)(end - data));
      return FALSE;
    }
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if ((guchar)c < 0x20)
            {
              _crm_wire_set_malformed (error, NULL, "a control character in a string at byte %"
                                       G_GSIZE_FORMAT, i);
              return FALSE;
            }
          else if (c == '\\')
            {
              char next = i + 1 < length ? data[i + 1] : '\0';

              if (next == 'u')
                {
                  for (guint k = 2; k < 6; k++)
                    if (i + k >= length || !g_ascii_isxdigit (data[i + k]))
                      {
                        _crm_wire_set_malformed (error, NULL, "a bad \\u escape at byte %"
                                                 G_GSIZE_FORMAT, i);
                        return FALSE;
                      }
                  if (memcmp (data + i + 2, "0000", 4) == 0)
                    {
                      _crm_wire_set_malformed (error, NULL, "a string holds \\u0000 at byte %"
                                               G_GSIZE_FORMAT, i);
                      return FALSE;
                    }
                }
              else if (next == '\0' || strchr ("\"\\/bfnrt", next) == NULL)
                {
                  _crm_wire_set_malformed (error, NULL, "a bad escape at byte %"
                                           G_GSIZE_FORMAT, i);
                  return FALSE;
                }
              i++;
            }
        }
      else if (g_ascii_isspace (c) && c != '\f' && c != '\v')
        continue;
      else if (closed)
        {
          /* json-glib would ignore what follows the first value */
          _crm_wire_set_malformed (error, NULL, "more after the body at byte %" G_GSIZE_FORMAT,
                                   i);
          return FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == ':')
        members++;
      else if ((c == ',' || c == '[' || c == '{') && ++values > CRM_WIRE_MAX_VALUES)
        {
          /* every value but the first follows a comma or an opening bracket */
          g_set_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_TOO_LARGE,
                       "more than %u values in the body", CRM_WIRE_MAX_VALUES);
          return FALSE;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > CRM_WIRE_MAX_DEPTH)
            {
              _crm_wire_set_malformed (error, NULL, "nested deeper than %u at byte %"
                                       G_GSIZE_FORMAT, CRM_WIRE_MAX_DEPTH, i);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0 && --depth == 0)
            closed = TRUE;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          if (!check_number (data, length, &i, error))
            return FALSE;
        }
      else if (strchr (",:truefalsn", c) == NULL)
        {
          _crm_wire_set_malformed (error, NULL, "not JSON at byte %" G_GSIZE_FORMAT, i);
          return FALSE;
        }
    }
  if (n_members != NULL)
    *n_members = members;
  return TRUE;
}

gboolean
_crm_wire_check_object_text (const char  *data,
                             gsize        length,
                             GError     **error)
{
  gsize first = 0;
  gsize last = length;

  if (!check_body (data, length, NULL, error))
    return FALSE;
  while (first < length && g_ascii_isspace (data[first]))
    first++;
  while (last > first && g_ascii_isspace (data[last - 1]))
    last--;
  if (first == last || data[first] != '{' || data[last - 1] != '}')
    {
      _crm_wire_set_malformed (error, NULL, "not a JSON object");
      return FALSE;
    }
  return TRUE;
}

/* Members counted per object as json-glib reads them: it keeps the last
 * of two members with the same name, silently */
typedef struct
{
  GArray *counts;     /* (element-type guint) one per object being read */
  char   *repeated;   /* the first name read twice in one object */
} MemberCount;

static void
on_object_start (JsonParser  *parser,
                 MemberCount *count)
{
  guint zero = 0;

  g_array_append_val (count->counts, zero);
}

static void
on_object_member (JsonParser  *parser,
                  JsonObject  *object,
                  const char  *name,
                  MemberCount *count)
{
  guint *n;

  if (count->counts->len == 0)
    return;
  n = &g_array_index (count->counts, guint, count->counts->len - 1);
  (*n)++;
  if (count->repeated == NULL && json_object_get_size (object) != *n)
    count->repeated = g_utf8_make_valid (name, MIN (strlen (name), 64));
}

static void
on_object_end (JsonParser  *parser,
               JsonObject  *object,
               MemberCount *count)
{
  if (count->counts->len > 0)
    g_array_set_size (count->counts, count->counts->len - 1);
}

static guint count_node_members (JsonNode *node);

static void
count_member (JsonObject  *object,
              const char  *name,
              JsonNode    *node,
              gpointer     data)
{
  *(guint *)data += count_node_members (node);
}

static void
count_element (JsonArray *array,
               guint      index,
               JsonNode  *node,
               gpointer   data)
{
  *(guint *)data += count_node_members (node);
}

/* the members of the objects in @node, each counted once; recursion no
 * deeper than check_body() allowed */
static guint
count_node_members (JsonNode *node)
{
  guint n = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);

      n = json_object_get_size (object);
      json_object_foreach_member (object, count_member, &n);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    json_array_foreach_element (json_node_get_array (node), count_element, &n);
  return n;
}

/* json-glib's parse of @data (checked), with @root set on success; with
 * @repeated, the first name read twice in one object, watched through the
 * parser's signals (they cost as much again as the parse: only after a
 * count says a name was read twice) */
static JsonParser *
parse_checked (const char  *data,
               gsize        length,
               char       **repeated,
               GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GArray) counts = NULL;
  MemberCount count = { NULL, NULL };
  gboolean ok;

  if (repeated != NULL)
    {
      counts = g_array_new (FALSE, FALSE, sizeof (guint));
      count.counts = counts;
      g_signal_connect (parser, "object-start", G_CALLBACK (on_object_start), &count);
      g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &count);
      g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), &count);
    }
  ok = json_parser_load_from_data (parser, data, (gssize)length, error);
  if (repeated != NULL)
    *repeated = g_steal_pointer (&count.repeated);
  g_free (count.repeated);
  return ok ? g_steal_pointer (&parser) : NULL;
}

/* The body's top-level object, after check_body(); a member named twice
 * in one object is refused. Every ':' outside a string that check_body()
 * counted is one member read; json-glib keeps the last of two with the
 * same name, so the objects hold fewer members than were read exactly
 * when a name came twice in one of them. */
JsonObject *
_crm_wire_load_object (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *repeated = NULL;
  guint n_members = 0;
  JsonNode *root;

  if (!check_body (data, length, &n_members, error))
    return NULL;
  parser = parse_checked (data, length, NULL, &local_error);
  if (parser == NULL)
    {
      _crm_wire_set_malformed (error, NULL, "not JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root != NULL && count_node_members (root) != n_members)
    {
      /* which name: parsed again, watched */
      g_clear_object (&parser);
      parser = parse_checked (data, length, &repeated, NULL);
      if (repeated == NULL)
        repeated = g_strdup ("?");
      _crm_wire_set_malformed (error, repeated, "a member named twice in one object");
      return NULL;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      _crm_wire_set_malformed (error, NULL, "not a JSON object (%s)",
                               _crm_wire_node_type_name (root));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* Strict: every member of @object is one of @known */
gboolean
_crm_wire_check_known (JsonObject         *object,
                       const char         *where,
                       const char *const  *known,
                       GError            **error)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *shown = g_utf8_make_valid (l->data, MIN (strlen (l->data), 64));
        g_autofree char *path = _crm_wire_path_of (where, shown);

        _crm_wire_set_malformed (error, path, "unknown member");
        return FALSE;
      }
  return TRUE;
}

/* Member @name of @object, a string; NULL in *@value when it may be absent
 * or null and is */
gboolean
_crm_wire_get_string (JsonObject          *object,
                      const char          *where,
                      const char          *name,
                      CrmWireMemberFlags   flags,
                      char               **value,
                      GError             **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *path = NULL;
  const char *text;
  gsize len;

  *value = NULL;
  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && (flags & CRM_WIRE_NULLABLE)))
    {
      if (node == NULL && (flags & CRM_WIRE_REQUIRED))
        {
          path = _crm_wire_path_of (where, name);
          _crm_wire_set_malformed (error, path, "missing");
          return FALSE;
        }
      return TRUE;
    }
  path = _crm_wire_path_of (where, name);
  if (!_crm_wire_node_is_string (node))
    {
      _crm_wire_set_malformed (error, path, "not a string (%s)", _crm_wire_node_type_name (node));
      return FALSE;
    }
  text = json_node_get_string (node);
  len = strlen (text);
  if (len > CRM_WIRE_MAX_STRING)
    {
      _crm_wire_set_malformed (error, path, "longer than %u bytes", CRM_WIRE_MAX_STRING);
      return FALSE;
    }
  if (!g_utf8_validate_len (text, len, NULL))
    {
      _crm_wire_set_malformed (error, path, "not valid UTF-8");
      return FALSE;
    }
  if ((flags & CRM_WIRE_UUID) && !crm_wire_is_uuid (text))
    {
      _crm_wire_set_malformed (error, path, "not a UUID");
      return FALSE;
    }
  *value = g_strdup (text);
  return TRUE;
}

/* Member @name of @object, an integer of at least @min; @value unchanged
 * when it is optional and absent */
gboolean
_crm_wire_get_int (JsonObject          *object,
                   const char          *where,
                   const char          *name,
                   CrmWireMemberFlags   flags,
                   gint64               min,
                   gint64              *value,
                   GError             **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *path = _crm_wire_path_of (where, name);

  if (node == NULL)
    {
      if (!(flags & CRM_WIRE_REQUIRED))
        return TRUE;
      _crm_wire_set_malformed (error, path, "missing");
      return FALSE;
    }
  if (!_crm_wire_node_is_int (node))
    {
      _crm_wire_set_malformed (error, path, "not an integer (%s)",
                               _crm_wire_node_type_name (node));
      return FALSE;
    }
  if (json_node_get_int (node) < min)
    {
      _crm_wire_set_malformed (error, path, "less than %" G_GINT64_FORMAT, min);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
_crm_wire_get_bool (JsonObject          *object,
                    const char          *where,
                    const char          *name,
                    CrmWireMemberFlags   flags,
                    gboolean            *value,
                    GError             **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *path = _crm_wire_path_of (where, name);

  if (node == NULL)
    {
      if (!(flags & CRM_WIRE_REQUIRED))
        return TRUE;
      _crm_wire_set_malformed (error, path, "missing");
      return FALSE;
    }
  if (!_crm_wire_node_is_bool (node))
    {
      _crm_wire_set_malformed (error, path, "not a boolean (%s)",
                               _crm_wire_node_type_name (node));
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* Member @name of @object, an array of at most @max elements (TOO_LARGE) */
JsonArray *
_crm_wire_get_array (JsonObject          *object,
                     const char          *where,
                     const char          *name,
                     CrmWireMemberFlags   flags,
                     guint                max,
                     GError             **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *path = _crm_wire_path_of (where, name);
  JsonArray *array;

  if (node == NULL)
    {
      if (flags & CRM_WIRE_REQUIRED)
        _crm_wire_set_malformed (error, path, "missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _crm_wire_set_malformed (error, path, "not an array (%s)", _crm_wire_node_type_name (node));
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > max)
    {
      g_set_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_TOO_LARGE,
                   "%s: more than %u elements", path, max);
      return NULL;
    }
  return array;
}

JsonObject *
_crm_wire_get_object (JsonObject          *object,
                      const char          *where,
                      const char          *name,
                      CrmWireMemberFlags   flags,
                      GError             **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *path = _crm_wire_path_of (where, name);

  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && (flags & CRM_WIRE_NULLABLE)))
    {
      if (node == NULL && (flags & CRM_WIRE_REQUIRED))
        _crm_wire_set_malformed (error, path, "missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _crm_wire_set_malformed (error, path, "not an object (%s)",
                               _crm_wire_node_type_name (node));
      return NULL;
    }
  return json_node_get_object (node);
}

/* Element @index of @array, an object; the place named "@name[@index]" */
JsonObject *
_crm_wire_get_element (JsonArray   *array,
                       guint        index,
                       const char  *where,
                       GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _crm_wire_set_malformed (error, where, "not an object (%s)",
                               _crm_wire_node_type_name (node));
      return NULL;
    }
  return json_node_get_object (node);
}

/* The text @builder holds, and its length in @length */
char *
_crm_wire_generate (JsonBuilder *builder,
                    gsize       *length)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  if (length != NULL)
    *length = len;
  return text;
}

/* Adds member @name: @object (a new reference), or {} when NULL */
void
_crm_wire_add_object (JsonBuilder *builder,
                      const char  *name,
                      JsonObject  *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (object != NULL)
    json_node_set_object (node, object);
  else
    json_node_take_object (node, json_object_new ());
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, node);
}

void
_crm_wire_add_string (JsonBuilder *builder,
                      const char  *name,
                      const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
_crm_wire_add_int (JsonBuilder *builder,
                   const char  *name,
                   gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}


/* @value as a JSON string, escaped as json-glib 1.6's generator escapes:
 * the quote, the backslash, \b \f \n \r \t, the other control
 * characters and DEL as \u00XX; null when NULL. One difference: json-glib
 * leaves 0x1f as it is, which JSON does not allow in a string (a strict
 * parser, this codec's included, refuses it); here it is \u001f. */
void
_crm_wire_append_string (GString    *out,
                         const char *value)
{
  static const char hex[] = "0123456789abcdef";
  const char *run;

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  run = value;
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar)*p;
      char escape[7] = { '\\', 0, };

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': escape[1] = '"'; break;
        case '\\': escape[1] = '\\'; break;
        case '\b': escape[1] = 'b'; break;
        case '\f': escape[1] = 'f'; break;
        case '\n': escape[1] = 'n'; break;
        case '\r': escape[1] = 'r'; break;
        case '\t': escape[1] = 't'; break;
        default:
          escape[1] = 'u';
          escape[2] = '0';
          escape[3] = '0';
          escape[4] = hex[c >> 4];
          escape[5] = hex[c & 0xf];
          break;
        }
      g_string_append (out, escape);
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

static void append_node (GString  *out,
                         JsonNode *node);

static void
append_member (JsonObject  *object,
               const char  *name,
               JsonNode    *node,
               gpointer     data)
{
  GString *out = data;

  if (out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  _crm_wire_append_string (out, name);
  g_string_append_c (out, ':');
  append_node (out, node);
}

static void
append_element (JsonArray *array,
                guint      index,
                JsonNode  *node,
                gpointer   data)
{
  GString *out = data;

  if (index > 0)
    g_string_append_c (out, ',');
  append_node (out, node);
}

/* @node as json-glib's generator writes it (not pretty); a number with a
 * fraction is written by json-glib itself */
static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      g_string_append_c (out, '{');
      json_object_foreach_member (json_node_get_object (node), append_member, out);
      g_string_append_c (out, '}');
      return;
    case JSON_NODE_ARRAY:
      g_string_append_c (out, '[');
      json_array_foreach_element (json_node_get_array (node), append_element, out);
      g_string_append_c (out, ']');
      return;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return;
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      _crm_wire_append_string (out, json_node_get_string (node));
      break;
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_string_append (out, text);
      }
      break;
    }
}

/* @object as compact JSON, {} when NULL: what json_to_string() writes,
 * without a generator object and its string per call */
void
_crm_wire_append_object (GString    *out,
                         JsonObject *object)
{
  if (object == NULL)
    {
      g_string_append (out, "{}");
      return;
    }
  g_string_append_c (out, '{');
  json_object_foreach_member (object, append_member, out);
  g_string_append_c (out, '}');
}

/**
 * crm_wire_check_object_text:
 *
 * See crm-wire.h.
 */
gboolean
crm_wire_check_object_text (const char  *data,
                            gsize        length,
                            GError     **error)
{
  return _crm_wire_check_object_text (data, length, error);
}

/**
 * crm_wire_object_to_text:
 *
 * See crm-wire.h.
 */
char *
crm_wire_object_to_text (JsonObject *object,
                         gsize      *length)
{
  GString *out = g_string_sized_new (256);

  _crm_wire_append_object (out, object);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
