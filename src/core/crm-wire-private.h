/* crm-wire-private.h — what the files of the sync protocol's codec share
 * (crm-wire.c, crm-wire-fields.c, crm-wire-json.c)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-wire.h"

G_BEGIN_DECLS

/* The longest string any field or member may hold, in bytes: above the
 * longest text the editors keep (notes: 20,000 characters of up to 4
 * bytes each) */
#define CRM_WIRE_MAX_STRING (128 * 1024)
/* JSON values in one body: a full push or pull page has some 30,000. Each
 * costs json-glib a hundred bytes or more, so that 16 MiB of "[1,1,1…" would
 * otherwise take gigabytes and a minute of the server's main loop. */
#define CRM_WIRE_MAX_VALUES (200 * 1000)

typedef enum
{
  CRM_WIRE_OPTIONAL = 0,
  CRM_WIRE_REQUIRED = 1 << 0,
  CRM_WIRE_NULLABLE = 1 << 1,    /* null reads as NULL */
  CRM_WIRE_UUID = 1 << 2,
} CrmWireMemberFlags;

/* A CRM_WIRE_ERROR_MALFORMED that names the place: "@where: message".
 * @where may be NULL or "" for the body itself. */
void         _crm_wire_set_malformed  (GError            **error,
                                       const char         *where,
                                       const char         *format,
                                       ...) G_GNUC_PRINTF (3, 4);
/* The JSON type of @node in words, for messages */
const char  *_crm_wire_node_type_name (JsonNode           *node);
/* Whether @node is a JSON integer (not 1.0, 1e3 nor "1") */
gboolean     _crm_wire_node_is_int    (JsonNode           *node);
gboolean     _crm_wire_node_is_string (JsonNode           *node);
gboolean     _crm_wire_node_is_bool   (JsonNode           *node);
/* "@where.@name", or "@name" at the top */
char        *_crm_wire_path_of        (const char         *where,
                                       const char         *name);

/* The body's top-level object (a new reference, mutable), after the
 * checks every body passes first: its size, UTF-8, its depth, strict JSON
 * syntax, no member named twice in one object */
JsonObject  *_crm_wire_load_object    (const char         *data,
                                       gsize               length,
                                       GError            **error);
/* The checks of _crm_wire_load_object() made before json-glib reads
 * anything, and that the text is one object ({ first, its } last) */
gboolean     _crm_wire_check_object_text (const char      *data,
                                          gsize            length,
                                          GError         **error);
/* Strict: every member of @object is one of @known */
gboolean     _crm_wire_check_known    (JsonObject         *object,
                                       const char         *where,
                                       const char *const  *known,
                                       GError            **error);
/* Member @name of @object at the place @where. A string: NULL in *@value
 * when optional (or nullable) and absent (or null). */
gboolean     _crm_wire_get_string     (JsonObject         *object,
                                       const char         *where,
                                       const char         *name,
                                       CrmWireMemberFlags  flags,
                                       char              **value,
                                       GError            **error);
/* An integer of at least @min; @value unchanged when optional and absent */
gboolean     _crm_wire_get_int        (JsonObject         *object,
                                       const char         *where,
                                       const char         *name,
                                       CrmWireMemberFlags  flags,
                                       gint64              min,
                                       gint64             *value,
                                       GError            **error);
gboolean     _crm_wire_get_bool       (JsonObject         *object,
                                       const char         *where,
                                       const char         *name,
                                       CrmWireMemberFlags  flags,
                                       gboolean           *value,
                                       GError            **error);
/* An array of at most @max elements (else CRM_WIRE_ERROR_TOO_LARGE);
 * NULL when absent (an error only if required) or on error */
JsonArray   *_crm_wire_get_array      (JsonObject         *object,
                                       const char         *where,
                                       const char         *name,
                                       CrmWireMemberFlags  flags,
                                       guint               max,
                                       GError            **error);
/* An object; NULL when absent or null-and-nullable (an error only if
 * required) or on error */
JsonObject  *_crm_wire_get_object     (JsonObject         *object,
                                       const char         *where,
                                       const char         *name,
                                       CrmWireMemberFlags  flags,
                                       GError            **error);
/* Element @index of @array, an object; @where names it */
JsonObject  *_crm_wire_get_element    (JsonArray          *array,
                                       guint               index,
                                       const char         *where,
                                       GError            **error);

/* The text @builder holds, and its length in @length */
char        *_crm_wire_generate       (JsonBuilder        *builder,
                                       gsize              *length);
/* Member @name: @object (a new reference), or {} when NULL */
void         _crm_wire_add_object     (JsonBuilder        *builder,
                                       const char         *name,
                                       JsonObject         *object);
/* Member @name: @value, or null when NULL */
void         _crm_wire_add_string     (JsonBuilder        *builder,
                                       const char         *name,
                                       const char         *value);
void         _crm_wire_add_int        (JsonBuilder        *builder,
                                       const char         *name,
                                       gint64              value);
/* For bodies written by hand: @value as a JSON string (null when NULL),
 * escaped as json-glib's generator escapes it; @object as compact JSON
 * ({} when NULL) */
void         _crm_wire_append_string  (GString            *out,
                                       const char         *value);
void         _crm_wire_append_object  (GString            *out,
                                       JsonObject         *object);

/* A push result's conflict_by and conflict_at (crm-wire-conflicts.c): read
 * from the result @object into @r, whose conflicts are read already;
 * written after its conflict_values */
gboolean     _crm_wire_parse_conflict_meta  (JsonObject          *object,
                                             const char          *where,
                                             CrmWireResult       *r,
                                             GError             **error);
void         _crm_wire_append_conflict_meta (GString             *out,
                                             const CrmWireResult *r);
/* UTC ISO 8601, its zone written Z or +00:00 (crm-wire-fields.c) */
gboolean     _crm_wire_is_utc_date_time     (const char          *text);

G_END_DECLS
