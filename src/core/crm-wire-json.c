/* crm-wire-json.c — the sync protocol codec's JSON helpers: the gate every
 * body passes before json-glib reads it, members read with their place
 * named in the message, and builders' members
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
            GError     **error)
{
  const char *end = NULL;
  guint depth = 0;
  guint values = 1;
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

/* The body's top-level object, after check_body(); a member named twice
 * in one object is refused */
JsonObject *
_crm_wire_load_object (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *repeated = NULL;
  MemberCount count = { counts, NULL };
  JsonNode *root;
  gboolean ok;

  if (!check_body (data, length, error))
    return NULL;
  parser = json_parser_new ();
  g_signal_connect (parser, "object-start", G_CALLBACK (on_object_start), &count);
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &count);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), &count);
  ok = json_parser_load_from_data (parser, data, (gssize)length, &local_error);
  repeated = g_steal_pointer (&count.repeated);
  if (!ok)
    {
      _crm_wire_set_malformed (error, NULL, "not JSON: %s", local_error->message);
      return NULL;
    }
  if (repeated != NULL)
    {
      _crm_wire_set_malformed (error, repeated, "a member named twice in one object");
      return NULL;
    }
  root = json_parser_get_root (parser);
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

