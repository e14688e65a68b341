/* fuzz-wire.c — the sync protocol's parsers on any bytes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the parser (push request, push response, pull
 * response, login, session, notices, error, users), the rest is the body. Every
 * parser either accepts or refuses with a CRM_WIRE_ERROR; nothing crashes.
 * Properties:
 *  - push request: parse → build → parse gives the same client and
 *    mutations, and build again gives the same text (a fixed point);
 *  - push and pull responses: parse → build → parse is accepted again;
 *  - a pull page built from each change's fields as text (fields_json,
 *    crm_wire_object_to_text(), what the server stores) is the same page;
 *  - every field set a push accepts passes crm_wire_validate_record() or
 *    is refused with CRM_WIRE_ERROR_INVALID; what it hands back passes
 *    again unchanged (the rules are a fixed point, as the editors');
 *  - users: parse → build → parse gives the same ids and names.
 */
#include "config.h"

#include <string.h>

#include "crm-wire.h"
#include "fuzz-common.h"

static gboolean
objects_equal (JsonObject *a,
               JsonObject *b)
{
  g_autoptr (JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr (JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

static void
check_error (gboolean    ok,
             GError     *error,
             const char *what)
{
  if (!ok && (error == NULL || error->domain != CRM_WIRE_ERROR))
    fuzz_fail ("%s refused without a CRM_WIRE_ERROR", what);
  if (ok && error != NULL)
    fuzz_fail ("%s accepted with an error: %s", what, error->message);
}

/* A copy of @object that shares nothing with it: through its text */
static JsonNode *
deep_copy (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);
  JsonNode *copy = json_from_string (text, NULL);

  if (copy == NULL || !JSON_NODE_HOLDS_OBJECT (copy))
    fuzz_fail ("fields do not read back: %s", text);
  return copy;
}

static void
check_rules (CrmWireMutation *m)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *failed = NULL;
  g_autoptr (JsonNode) record = deep_copy (m->fields);
  g_autoptr (JsonNode) again = NULL;

  if (!crm_wire_validate_record (m->kind, json_node_get_object (record), &failed, &error))
    {
      if (!g_error_matches (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID) || failed == NULL)
        fuzz_fail ("validate_record refused fields the push accepted: %s",
                   error ? error->message : "no error");
      return;
    }
  again = deep_copy (json_node_get_object (record));
  if (!crm_wire_validate_record (m->kind, json_node_get_object (again), NULL, &error))
    fuzz_fail ("a normalised record is refused: %s", error->message);
  if (!json_node_equal (again, record))
    {
      g_autofree char *a = json_to_string (record, FALSE);
      g_autofree char *b = json_to_string (again, FALSE);

      fuzz_fail ("normalising is not a fixed point: %s -> %s", a, b);
    }
}

static void
fuzz_push_request (const char *body,
                   gsize       length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) mutations = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *client_again = NULL;
  g_autofree char *built = NULL;
  g_autofree char *rebuilt = NULL;
  gsize built_length = 0;
  gboolean ok;

  ok = crm_wire_parse_push_request (body, length, &client_id, &mutations, &error);
  check_error (ok, error, "push request");
  if (!ok)
    return;

  built = crm_wire_build_push_request (client_id, mutations, &built_length);
  if (!crm_wire_parse_push_request (built, built_length, &client_again, &again, &error))
    fuzz_fail ("a built push request is refused: %s: %s", error->message, built);
  if (g_strcmp0 (client_id, client_again) != 0 || again->len != mutations->len)
    fuzz_fail ("push request: not the same after build → parse");
  for (guint i = 0; i < mutations->len; i++)
    {
      CrmWireMutation *a = g_ptr_array_index (mutations, i);
      CrmWireMutation *b = g_ptr_array_index (again, i);

      if (g_strcmp0 (a->mutation_id, b->mutation_id) != 0 || g_strcmp0 (a->id, b->id) != 0
          || a->kind != b->kind || a->op != b->op || a->base_version != b->base_version
          || !objects_equal (a->fields, b->fields))
        fuzz_fail ("mutations[%u]: not the same after build → parse", i);
      if (a->op == CRM_WIRE_OP_UPSERT)
        check_rules (a);
    }
  rebuilt = crm_wire_build_push_request (client_again, again, NULL);
  if (strcmp (built, rebuilt) != 0)
    fuzz_fail ("push request: build is not a fixed point");
}

static void
fuzz_push_response (const char *body,
                    gsize       length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autofree char *built = NULL;
  gsize built_length = 0;
  gboolean ok;

  ok = crm_wire_parse_push_response (body, length, &results, &error);
  check_error (ok, error, "push response");
  if (!ok)
    return;
  built = crm_wire_build_push_response (results, &built_length);
  if (!crm_wire_parse_push_response (built, built_length, &again, &error)
      || again->len != results->len)
    fuzz_fail ("a built push response is refused: %s", error ? error->message : built);
}

static void
fuzz_pull (const char *body,
           gsize       length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmWirePull) pull = crm_wire_parse_pull_response (body, length, &error);
  g_autoptr (CrmWirePull) again = NULL;
  g_autofree char *built = NULL;
  g_autofree char *rebuilt = NULL;
  gsize built_length = 0;

  check_error (pull != NULL, error, "pull response");
  if (pull == NULL)
    return;
  built = crm_wire_build_pull_response (pull, &built_length);
  again = crm_wire_parse_pull_response (built, built_length, &error);
  if (again == NULL)
    fuzz_fail ("a built pull response is refused: %s: %s", error->message, built);
  rebuilt = crm_wire_build_pull_response (again, NULL);
  if (strcmp (built, rebuilt) != 0)
    fuzz_fail ("pull response: build is not a fixed point");

  /* the server's way: each change's fields as stored text, written as they
   * are, make the same page; the text is json-glib's and passes the
   * stored-text check */
  for (guint i = 0; i < pull->changes->len; i++)
    {
      CrmWireChange *c = g_ptr_array_index (pull->changes, i);
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), c->fields);
      g_autofree char *expected = json_to_string (node, FALSE);
      gsize text_length = 0;
      char *text = crm_wire_object_to_text (c->fields, &text_length);

      if (strcmp (text, expected) != 0 || text_length != strlen (expected))
        fuzz_fail ("object_to_text is not json_to_string: %s / %s", text, expected);
      if (!crm_wire_check_object_text (text, text_length, &error))
        fuzz_fail ("a written object fails the stored-text check: %s", error->message);
      c->fields_json = text;
    }
  g_clear_pointer (&rebuilt, g_free);
  rebuilt = crm_wire_build_pull_response (pull, NULL);
  if (strcmp (built, rebuilt) != 0)
    fuzz_fail ("pull response: the stored fields' text makes another page");
}

/* users: parse → build → parse gives the same list (names and ids) */
static void
fuzz_users (const char *body,
            gsize       length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) users = crm_wire_parse_users (body, length, &error);
  g_autoptr (GPtrArray) again = NULL;
  g_autofree char *text = NULL;
  gsize n = 0;

  check_error (users != NULL, error, "users");
  if (users == NULL)
    return;
  text = crm_wire_build_users (users, &n);
  again = crm_wire_parse_users (text, n, &error);
  if (again == NULL || again->len != users->len)
    fuzz_fail ("built users do not parse back: %s", error ? error->message : text);
  for (guint i = 0; i < users->len; i++)
    {
      const CrmWireUser *a = users->pdata[i];
      const CrmWireUser *b = again->pdata[i];

      if (strcmp (a->id, b->id) != 0 || strcmp (a->name, b->name) != 0)
        fuzz_fail ("user %u changed on the way: %s", i, text);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *body;
  gsize length;
  g_autoptr (GError) error = NULL;

  fuzz_init ();
  if (size == 0)
    return 0;
  body = (const char *)data + 1;
  length = size - 1;

  switch (data[0] % 8)
    {
    case 0:
      fuzz_push_request (body, length);
      break;
    case 1:
      fuzz_push_response (body, length);
      break;
    case 2:
      fuzz_pull (body, length);
      break;
    case 3:
      {
        g_autoptr (CrmWireLogin) login = crm_wire_parse_login_request (body, length, &error);

        check_error (login != NULL, error, "login");
      }
      break;
    case 4:
      {
        g_autoptr (CrmWireSession) session = crm_wire_parse_session (body, length, &error);

        check_error (session != NULL, error, "session");
      }
      break;
    case 5:
      {
        g_autoptr (GPtrArray) notices = crm_wire_parse_notices (body, length, &error);

        check_error (notices != NULL, error, "notices");
      }
      break;
    case 7:
      fuzz_users (body, length);
      break;
    default:
      {
        g_autofree char *code = NULL;
        g_autofree char *message = NULL;
        g_autoptr (JsonObject) extra = NULL;

        if (crm_wire_parse_error (body, length, &code, &message, &extra)
            && (code == NULL || message == NULL || extra == NULL))
          fuzz_fail ("an error body without its code, message or rest");
      }
      break;
    }
  return 0;
}
