/* test-wire-text.c — the codec's faster paths against the slow ones they
 * replace: a pull page written by hand (and with a stored fields text)
 * is byte for byte what json-glib's generator writes; the member count
 * that replaced the parser's signals refuses exactly what they refused;
 * the cheap check of a stored object text
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The slow paths are written out here as they were (a JsonBuilder and
 * json_to_string; a parser watched through its "object-member" signal),
 * so that the fast ones are compared with them on awkward text: every
 * control character, quotes, backslashes, Han text, four-byte UTF-8.
 */
#include "config.h"

#include <string.h>

#include "crm-wire.h"

#define UUID_A "0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c01"
#define UUID_B "0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c02"

/* the answer as the JsonBuilder of the codec wrote it before */
static char *
reference_pull (const CrmWirePull *pull)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "server_epoch");
  json_builder_add_string_value (builder, pull->server_epoch);
  json_builder_set_member_name (builder, "epoch_base");
  json_builder_add_int_value (builder, pull->epoch_base);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < pull->changes->len; i++)
    {
      CrmWireChange *c = g_ptr_array_index (pull->changes, i);
      JsonNode *fields = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (fields, c->fields);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, c->seq);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, crm_wire_kind_to_string (c->kind));
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, c->id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, c->version);
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, c->deleted);
      json_builder_set_member_name (builder, "fields");
      json_builder_add_value (builder, fields);
      json_builder_set_member_name (builder, "updated_by");
      if (c->updated_by != NULL)
        json_builder_add_string_value (builder, c->updated_by);
      else
        json_builder_add_null_value (builder);
      if (c->updated_at != NULL)
        {
          json_builder_set_member_name (builder, "updated_at");
          json_builder_add_string_value (builder, c->updated_at);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next_cursor");
  json_builder_add_int_value (builder, pull->next_cursor);
  json_builder_set_member_name (builder, "has_more");
  json_builder_add_boolean_value (builder, pull->has_more);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* every byte from 1 to 127 but 0x1f (below), then Han text and a
 * four-byte character */
static char *
awkward_text (void)
{
  GString *text = g_string_new (NULL);

  for (int c = 1; c < 128; c++)
    if (c != 0x1f)
      g_string_append_c (text, (char)c);
  g_string_append (text, "张三 \"引号\" \\ / 😀 \xe2\x80\xa8");
  return g_string_free (text, FALSE);
}

static void
test_wire_text_pull_as_generator (void)
{
  g_autoptr (CrmWirePull) pull = crm_wire_pull_new ();
  g_autofree char *awkward = awkward_text ();
  g_autofree char *expected = NULL;
  g_autofree char *body = NULL;
  gsize length = 0;

  pull->server_epoch = g_strdup (UUID_A);
  pull->epoch_base = 41;
  pull->next_cursor = G_MAXINT64;
  pull->has_more = TRUE;
  for (guint i = 0; i < 3; i++)
    {
      CrmWireChange *c = crm_wire_change_new ();

      c->seq = i == 2 ? G_MAXINT64 : (gint64)i + 1;
      c->kind = i == 1 ? CRM_WIRE_KIND_DEAL : CRM_WIRE_KIND_CONTACT;
      c->id = g_strdup (UUID_B);
      c->version = c->seq;
      c->deleted = i == 1;
      json_object_set_string_member (c->fields, "name", awkward);
      json_object_set_string_member (c->fields, awkward, "");
      json_object_set_int_member (c->fields, "amount_fen", -9007199254740993);
      json_object_set_null_member (c->fields, "expected_close");
      c->updated_by = i == 0 ? NULL : g_strdup (awkward);
      c->updated_at = i == 2 ? NULL : g_strdup ("2026-11-29T08:00:00Z");
      g_ptr_array_add (pull->changes, c);
    }

  expected = reference_pull (pull);
  body = crm_wire_build_pull_response (pull, &length);
  g_assert_cmpstr (body, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));

  /* json-glib writes 0x1f as it is, which JSON forbids in a string (this
   * codec's parser refuses the page): the hand-written page escapes it */
  g_ptr_array_set_size (pull->changes, 1);
  g_free (((CrmWireChange *)pull->changes->pdata[0])->updated_by);
  ((CrmWireChange *)pull->changes->pdata[0])->updated_by = g_strdup ("a\x1f" "b");
  json_object_unref (((CrmWireChange *)pull->changes->pdata[0])->fields);
  ((CrmWireChange *)pull->changes->pdata[0])->fields = json_object_new ();
  pull->next_cursor = 1;
  g_clear_pointer (&body, g_free);
  body = crm_wire_build_pull_response (pull, &length);
  g_assert_nonnull (strstr (body, "\"updated_by\":\"a\\u001fb\""));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (CrmWirePull) parsed = crm_wire_parse_pull_response (body, length, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (((CrmWireChange *)parsed->changes->pdata[0])->updated_by, ==, "a\x1f" "b");
  }

  /* an empty page too */
  g_ptr_array_set_size (pull->changes, 0);
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&body, g_free);
  expected = reference_pull (pull);
  body = crm_wire_build_pull_response (pull, NULL);
  g_assert_cmpstr (body, ==, expected);
}

/* the push answer as the JsonBuilder of the codec wrote it before */
static char *
reference_push_response (GPtrArray *results)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      CrmWireResult *r = g_ptr_array_index (results, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mutation_id");
      json_builder_add_string_value (builder, r->mutation_id);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, crm_wire_status_to_string (r->status));
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, r->version);
      if (r->conflicts != NULL && r->conflicts[0] != NULL)
        {
          json_builder_set_member_name (builder, "conflicts");
          json_builder_begin_array (builder);
          for (guint j = 0; r->conflicts[j] != NULL; j++)
            json_builder_add_string_value (builder, r->conflicts[j]);
          json_builder_end_array (builder);
        }
      if (r->conflict_values != NULL)
        {
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          json_node_set_object (node, r->conflict_values);
          json_builder_set_member_name (builder, "conflict_values");
          json_builder_add_value (builder, node);
        }
      if (r->error != NULL)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, r->error);
        }
      if (r->message != NULL)
        {
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, r->message);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
test_wire_text_push_response_as_generator (void)
{
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  crm_wire_result_free);
  g_autofree char *awkward = awkward_text ();
  g_autofree char *expected = NULL;
  g_autofree char *body = NULL;
  CrmWireResult *r;
  gsize length = 0;

  body = crm_wire_build_push_response (results, &length);
  expected = reference_push_response (results);
  g_assert_cmpstr (body, ==, expected);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&expected, g_free);

  r = crm_wire_result_new ();
  r->mutation_id = g_strdup (UUID_A);
  r->status = CRM_WIRE_STATUS_APPLIED;
  r->version = G_MAXINT64;
  r->conflicts = g_strsplit ("mobile,deleted", ",", -1);
  r->conflict_values = json_object_new ();
  json_object_set_string_member (r->conflict_values, "mobile", awkward);
  json_object_set_null_member (r->conflict_values, "title");
  g_ptr_array_add (results, r);
  r = crm_wire_result_new ();
  r->mutation_id = g_strdup (UUID_B);
  r->status = CRM_WIRE_STATUS_REJECTED;
  r->error = g_strdup ("invalid");
  r->message = g_strdup (awkward);
  g_ptr_array_add (results, r);
  r = crm_wire_result_new ();
  r->mutation_id = g_strdup (UUID_B);
  r->status = CRM_WIRE_STATUS_DUPLICATE;
  r->version = 3;
  r->conflicts = g_new0 (char *, 1);
  g_ptr_array_add (results, r);

  body = crm_wire_build_push_response (results, &length);
  expected = reference_push_response (results);
  g_assert_cmpstr (body, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
}

/* the push request as the JsonBuilder of the codec wrote it before */
static void
test_wire_text_push_request_as_generator (void)
{
  g_autoptr (GPtrArray) mutations = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    crm_wire_mutation_free);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *awkward = awkward_text ();
  g_autofree char *expected = NULL;
  g_autofree char *body = NULL;
  gsize length = 0;

  for (guint i = 0; i < 3; i++)
    {
      CrmWireMutation *m = crm_wire_mutation_new ();

      m->mutation_id = g_strdup (i == 1 ? UUID_A : UUID_B);
      m->kind = i == 2 ? CRM_WIRE_KIND_DEAL : CRM_WIRE_KIND_CONTACT;
      m->id = g_strdup (UUID_A);
      m->op = i == 1 ? CRM_WIRE_OP_DELETE : CRM_WIRE_OP_UPSERT;
      m->base_version = i == 2 ? G_MAXINT64 : i;
      json_object_set_string_member (m->fields, "name", awkward);
      json_object_set_int_member (m->fields, "amount_fen", -1);
      json_object_set_null_member (m->fields, "won_at");
      g_ptr_array_add (mutations, m);
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, UUID_A);
  json_builder_set_member_name (builder, "mutations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < mutations->len; i++)
    {
      CrmWireMutation *m = g_ptr_array_index (mutations, i);
      JsonNode *fields = json_node_new (JSON_NODE_OBJECT);

      if (m->op == CRM_WIRE_OP_DELETE)
        json_node_take_object (fields, json_object_new ());
      else
        json_node_set_object (fields, m->fields);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mutation_id");
      json_builder_add_string_value (builder, m->mutation_id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, crm_wire_kind_to_string (m->kind));
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, m->id);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, crm_wire_op_to_string (m->op));
      json_builder_set_member_name (builder, "base_version");
      json_builder_add_int_value (builder, m->base_version);
      json_builder_set_member_name (builder, "fields");
      json_builder_add_value (builder, fields);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  expected = json_to_string (root, FALSE);

  body = crm_wire_build_push_request (UUID_A, mutations, &length);
  g_assert_cmpstr (body, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
}

/* crm_wire_object_to_text() against json_to_string() */
static void
test_wire_text_object_as_generator (void)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (JsonObject) inner = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *awkward = awkward_text ();
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  JsonArray *array = json_array_new ();
  JsonArray *pair = json_array_new ();
  gsize length = 0;

  text = crm_wire_object_to_text (object, &length);
  g_assert_cmpstr (text, ==, "{}");
  g_assert_cmpuint (length, ==, 2);
  g_clear_pointer (&text, g_free);
  text = crm_wire_object_to_text (NULL, NULL);
  g_assert_cmpstr (text, ==, "{}");
  g_clear_pointer (&text, g_free);

  json_object_set_string_member (object, "name", awkward);
  json_object_set_int_member (object, "amount_fen", G_MININT64);
  json_object_set_boolean_member (object, "t", TRUE);
  json_object_set_boolean_member (object, "f", FALSE);
  json_object_set_double_member (object, "d", 0.1);
  json_object_set_null_member (object, "n");
  json_array_add_int_element (pair, 57);
  json_array_add_string_element (pair, awkward);
  json_array_add_array_element (array, pair);
  json_array_add_array_element (array, json_array_new ());
  json_array_add_object_element (array, json_object_new ());
  json_array_add_null_element (array);
  json_object_set_array_member (object, "versions", array);
  json_object_set_string_member (inner, awkward, "x");
  json_object_set_object_member (object, "inner", json_object_ref (inner));
  json_object_set_object_member (object, "empty", json_object_new ());
  json_object_set_string_member (object, "last", "");

  node = json_node_init_object (json_node_alloc (), object);
  expected = json_to_string (node, FALSE);
  text = crm_wire_object_to_text (object, &length);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
}

/* a change's stored fields text goes into the page as it is, in place of
 * its (empty) parsed fields, and reads back as those fields */
static void
test_wire_text_stored_fields (void)
{
  g_autoptr (CrmWirePull) pull = crm_wire_pull_new ();
  g_autoptr (CrmWirePull) parsed = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  CrmWireChange *c = crm_wire_change_new ();
  gsize length;
#define STORED "{\"name\":\"张三\",\"mobile\":\"13800138000\",\"title\":\"\"}"

  pull->server_epoch = g_strdup (UUID_A);
  pull->next_cursor = 5;
  c->seq = c->version = 5;
  c->kind = CRM_WIRE_KIND_CONTACT;
  c->id = g_strdup (UUID_B);
  c->updated_by = g_strdup ("wang");
  c->fields_json = g_strdup (STORED);
  g_ptr_array_add (pull->changes, c);

  body = crm_wire_build_pull_response (pull, &length);
  g_assert_nonnull (strstr (body, ",\"fields\":" STORED ",\"updated_by\":\"wang\"}"));
  parsed = crm_wire_parse_pull_response (body, length, &error);
  g_assert_no_error (error);
  c = g_ptr_array_index (parsed->changes, 0);
  g_assert_null (c->fields_json);
  g_assert_cmpuint (json_object_get_size (c->fields), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (c->fields, "name"), ==, "张三");
  g_assert_cmpstr (json_object_get_string_member (c->fields, "mobile"), ==, "13800138000");
}

/* the first name read twice in one object, as the parser's signals saw it
 * before; NULL when none (or not JSON) */
static void
on_member (JsonParser *parser,
           JsonObject *object,
           const char *name,
           gpointer    data)
{
  GHashTable *counts = data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, object)) + 1;

  g_hash_table_insert (counts, object, GUINT_TO_POINTER (n));
  if (json_object_get_size (object) != n && g_hash_table_lookup (counts, "first") == NULL)
    g_hash_table_insert (counts, (gpointer)"first", g_strdup (name));
}

static char *
reference_repeated (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GHashTable) counts = g_hash_table_new (NULL, NULL);
  char *first;

  g_signal_connect (parser, "object-member", G_CALLBACK (on_member), counts);
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  first = g_hash_table_lookup (counts, "first");
  return first;
}

static void
test_wire_text_repeated_members (void)
{
  static const char *const cases[] = {
    "{\"a\":1,\"a\":2}",
    "{\"a\":1,\"b\":{\"c\":1,\"c\":1},\"d\":2}",
    "{\"a\":[{\"x\":1},{\"y\":\"a:b\",\"y\":3}]}",
    "{\"a\":[[],[{}],{\"k\":{\"k\":{\"k\":1}}}],\"b\":{\"a\":1}}",
    "{\"a\":1,\"b\":\"::\\\":\",\"c\":{\"d\":[1,2,{\"e\":null}]}}",
    "{\"张\":1,\"张\":2}",
    "{\"a\":{},\"b\":{},\"a\":{}}",
    "{}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) object = NULL;
      g_autofree char *repeated = reference_repeated (cases[i]);

      object = crm_wire_parse_object (cases[i], strlen (cases[i]), &error);
      g_test_message ("%s -> %s (named twice before: %s)", cases[i],
                      error ? error->message : "accepted", repeated ? repeated : "none");
      if (repeated == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (object);
        }
      else
        {
          g_autofree char *message = g_strdup_printf ("%s: a member named twice in one object",
                                                      repeated);

          g_assert_null (object);
          g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
          g_assert_cmpstr (error->message, ==, message);
        }
    }
}

static void
test_wire_text_check_object (void)
{
  static const struct
  {
    const char *text;
    gboolean    ok;
  } cases[] = {
    { "{\"name\":\"张三\"}", TRUE },
    { " {} \n", TRUE },
    { "", FALSE },
    { "[1]", FALSE },
    { "\"{}\"", FALSE },
    { "{", FALSE },
    { "{\"a\":1} {}", FALSE },
    { "{\"a\":01}", FALSE },
    { "{'a':1}", FALSE },
    { "{\"a\":\"\xff\"}", FALSE },
    { "{\"a\":[[[[[[[[1]]]]]]]]}", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = crm_wire_check_object_text (cases[i].text, strlen (cases[i].text), &error);
      g_autofree char *shown = g_strescape (cases[i].text, NULL);

      g_test_message ("%s -> %s", shown, error ? error->message : "accepted");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        g_assert_nonnull (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire-text/pull-as-generator", test_wire_text_pull_as_generator);
  g_test_add_func ("/wire-text/push-response-as-generator",
                   test_wire_text_push_response_as_generator);
  g_test_add_func ("/wire-text/push-request-as-generator",
                   test_wire_text_push_request_as_generator);
  g_test_add_func ("/wire-text/object-as-generator", test_wire_text_object_as_generator);
  g_test_add_func ("/wire-text/stored-fields", test_wire_text_stored_fields);
  g_test_add_func ("/wire-text/repeated-members", test_wire_text_repeated_members);
  g_test_add_func ("/wire-text/check-object", test_wire_text_check_object);

  return g_test_run ();
}
