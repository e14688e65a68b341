/* test-wire.c — the sync protocol's JSON codec: malformed bodies, limits,
 * round trips (a property over generated mutations), field shapes and the
 * core's rules with their normalisation
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crm-deal.h"
#include "crm-wire.h"

#define UUID_A "0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c01"
#define UUID_B "0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c02"
#define UUID_C "0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c03"
#define SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* A push request whose one mutation is @mutation (a JSON object's inside) */
#define PUSH(mutation) \
  "{\"client_id\":\"" UUID_A "\",\"mutations\":[{" mutation "}]}"
#define UPSERT(kind, fields) \
  PUSH ("\"mutation_id\":\"" UUID_B "\",\"kind\":\"" kind "\",\"id\":\"" UUID_C "\"," \
        "\"op\":\"upsert\",\"base_version\":0,\"fields\":" fields)

typedef struct
{
  const char *body;
  int         code;     /* -1: accepted */
  const char *message;  /* a part of the message */
} BodyCase;

static void
test_wire_names (void)
{
  CrmWireKind kind;
  CrmWireOp op;
  CrmWireStatus status;
  g_autofree char *a = crm_wire_new_uuid ();
  g_autofree char *b = crm_wire_new_uuid ();

  for (guint i = 0; i < CRM_WIRE_N_KINDS; i++)
    {
      g_assert_true (crm_wire_kind_from_string (crm_wire_kind_to_string (i), &kind));
      g_assert_cmpint (kind, ==, i);
    }
  g_assert_cmpstr (crm_wire_kind_to_string (CRM_WIRE_KIND_CERTIFICATION), ==, "certification");
  g_assert_false (crm_wire_kind_from_string ("Contact", &kind));
  g_assert_false (crm_wire_kind_from_string ("", &kind));
  g_assert_false (crm_wire_kind_from_string (NULL, &kind));
  g_assert_true (crm_wire_op_from_string ("delete", &op));
  g_assert_cmpint (op, ==, CRM_WIRE_OP_DELETE);
  g_assert_cmpstr (crm_wire_op_to_string (CRM_WIRE_OP_UPSERT), ==, "upsert");
  g_assert_false (crm_wire_op_from_string ("insert", &op));
  g_assert_true (crm_wire_status_from_string ("duplicate", &status));
  g_assert_cmpint (status, ==, CRM_WIRE_STATUS_DUPLICATE);
  g_assert_cmpstr (crm_wire_status_to_string (CRM_WIRE_STATUS_REJECTED), ==, "rejected");
  g_assert_false (crm_wire_status_from_string ("applied ", &status));

  g_assert_true (crm_wire_is_uuid (UUID_A));
  g_assert_true (crm_wire_is_uuid (a));
  g_assert_cmpstr (a, !=, b);
  g_assert_false (crm_wire_is_uuid (NULL));
  g_assert_false (crm_wire_is_uuid (""));
  g_assert_false (crm_wire_is_uuid ("0B0C6C54-7C61-4A53-9F3E-8A8F3E2D1C01"));
  g_assert_false (crm_wire_is_uuid (UUID_A "0"));
  g_assert_false (crm_wire_is_uuid ("0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c0"));
  g_assert_false (crm_wire_is_uuid ("0b0c6c547c61-4a53-9f3e-8a8f3e2d1c01-"));
  g_assert_false (crm_wire_is_uuid ("0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c0g"));
}

static void
test_wire_kind_fields (void)
{
  const char *const *contact = crm_wire_kind_fields (CRM_WIRE_KIND_CONTACT);
  const char *const *deal = crm_wire_kind_fields (CRM_WIRE_KIND_DEAL);
  const char *const *cert = crm_wire_kind_fields (CRM_WIRE_KIND_CERTIFICATION);

  g_assert_cmpuint (g_strv_length ((GStrv)contact), ==, 11);
  g_assert_cmpstr (contact[0], ==, "name");
  g_assert_cmpstr (contact[10], ==, "owner");
  g_assert_cmpuint (g_strv_length ((GStrv)deal), ==, 11);
  g_assert_cmpstr (deal[2], ==, "amount_fen");
  g_assert_cmpuint (g_strv_length ((GStrv)cert), ==, 10);
  g_assert_cmpstr (cert[9], ==, "reject_reason");
  g_assert_cmpuint (g_strv_length ((GStrv)crm_wire_kind_fields (CRM_WIRE_KIND_FOLLOWUP)), ==, 8);

  /* every name of the list is a field crm_wire_check_fields() knows */
  for (guint k = 0; k < CRM_WIRE_N_KINDS; k++)
    for (const char *const *name = crm_wire_kind_fields (k); *name; name++)
      {
        g_autoptr (JsonObject) fields = json_object_new ();
        g_autoptr (GError) error = NULL;

        json_object_set_string_member (fields, *name, "x");
        crm_wire_check_fields (k, fields, &error);
        g_assert_true (error == NULL || strstr (error->message, "unknown") == NULL);
      }
}

static void
check_push_cases (const BodyCase *cases,
                  gsize           n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) mutations = NULL;
      g_autofree char *client_id = NULL;
      gboolean ok;

      ok = crm_wire_parse_push_request (cases[i].body, strlen (cases[i].body), &client_id,
                                        &mutations, &error);
      g_test_message ("%s -> %s", cases[i].body, ok ? "accepted" : error->message);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (client_id, ==, UUID_A);
          g_assert_nonnull (mutations);
          continue;
        }
      g_assert_error (error, CRM_WIRE_ERROR, cases[i].code);
      g_assert_false (ok);
      g_assert_null (client_id);
      g_assert_null (mutations);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

#define MUT(rest) "\"mutation_id\":\"" UUID_B "\",\"id\":\"" UUID_C "\"," rest

static void
test_wire_malformed_push (void)
{
  static const BodyCase cases[] = {
    { UPSERT ("contact", "{\"name\":\"张三\"}"), -1, NULL },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"delete\",\"base_version\":3")), -1, NULL },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"delete\",\"base_version\":3,\"fields\":{}")),
      -1, NULL },
    { "{\"client_id\":\"" UUID_A "\",\"mutations\":[]}", -1, NULL },
    { "", CRM_WIRE_ERROR_MALFORMED, "empty" },
    { "   ", CRM_WIRE_ERROR_MALFORMED, "not" },
    { "not json", CRM_WIRE_ERROR_MALFORMED, "not JSON" },
    { "[]", CRM_WIRE_ERROR_MALFORMED, "not a JSON object (an array)" },
    { "42", CRM_WIRE_ERROR_MALFORMED, "not a JSON object" },
    { "\"text\"", CRM_WIRE_ERROR_MALFORMED, "not a JSON object" },
    { "null", CRM_WIRE_ERROR_MALFORMED, "not a JSON object" },
    { "{\"client_id\":\"" UUID_A "\"", CRM_WIRE_ERROR_MALFORMED, "not JSON" },
    { "{\"client_id\":\"" UUID_A "\",\"mutations\":[]} {}", CRM_WIRE_ERROR_MALFORMED,
      "more after the body at byte 68" },
    { "{\"client_id\":\"" UUID_A "\",\"mutations\":[]} \n", -1, NULL },
    { "{\"mutations\":[]}", CRM_WIRE_ERROR_MALFORMED, "client_id: missing" },
    { "{\"client_id\":\"" UUID_A "\"}", CRM_WIRE_ERROR_MALFORMED, "mutations: missing" },
    { "{\"client_id\":\"nope\",\"mutations\":[]}", CRM_WIRE_ERROR_MALFORMED,
      "client_id: not a UUID" },
    { "{\"client_id\":\"" UUID_A "\",\"client_id\":\"" UUID_B "\",\"mutations\":[]}",
      CRM_WIRE_ERROR_MALFORMED, "client_id: a member named twice in one object" },
    { UPSERT ("contact", "{\"name\":\"a\",\"name\":\"b\"}"), CRM_WIRE_ERROR_MALFORMED,
      "name: a member named twice" },
    { UPSERT ("contact", "{\"name\":\"a\",\"notes\":\"b\"}"), -1, NULL },
    { "{\"client_id\":7,\"mutations\":[]}", CRM_WIRE_ERROR_MALFORMED,
      "client_id: not a string (an integer)" },
    { "{\"client_id\":\"" UUID_A "\",\"mutations\":{}}", CRM_WIRE_ERROR_MALFORMED,
      "mutations: not an array (an object)" },
    { "{\"client_id\":\"" UUID_A "\",\"mutations\":[],\"extra\":1}", CRM_WIRE_ERROR_MALFORMED,
      "extra: unknown member" },
    { "{\"client_id\":\"" UUID_A "\",\"mutations\":[7]}", CRM_WIRE_ERROR_MALFORMED,
      "mutations[0]: not an object (an integer)" },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"upsert\",\"base_version\":0")),
      CRM_WIRE_ERROR_MALFORMED, "mutations[0].fields: missing" },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"upsert\",\"base_version\":0,\"fields\":null")),
      CRM_WIRE_ERROR_MALFORMED, "mutations[0].fields: not an object (null)" },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"upsert\",\"base_version\":0,\"fields\":{},"
                 "\"when\":1")), CRM_WIRE_ERROR_MALFORMED, "mutations[0].when: unknown member" },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"delete\",\"base_version\":1,"
                 "\"fields\":{\"name\":\"x\"}")), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields: a delete carries no fields" },
    { PUSH (MUT ("\"kind\":\"person\",\"op\":\"upsert\",\"base_version\":0,\"fields\":{}")),
      CRM_WIRE_ERROR_MALFORMED, "mutations[0].kind: not a kind" },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"insert\",\"base_version\":0,\"fields\":{}")),
      CRM_WIRE_ERROR_MALFORMED, "mutations[0].op: not an op" },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"upsert\",\"base_version\":-1,\"fields\":{}")),
      CRM_WIRE_ERROR_MALFORMED, "mutations[0].base_version: less than 0" },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"upsert\",\"base_version\":1.0,\"fields\":{}")),
      CRM_WIRE_ERROR_MALFORMED, "mutations[0].base_version: not an integer" },
    { PUSH (MUT ("\"kind\":\"contact\",\"op\":\"upsert\",\"base_version\":\"1\",\"fields\":{}")),
      CRM_WIRE_ERROR_MALFORMED, "mutations[0].base_version: not an integer (a string)" },
    { PUSH ("\"mutation_id\":\"" UUID_B "\",\"id\":\"x\",\"kind\":\"contact\",\"op\":\"upsert\","
            "\"base_version\":0,\"fields\":{}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].id: not a UUID" },
    { PUSH ("\"id\":\"" UUID_C "\",\"kind\":\"contact\",\"op\":\"upsert\","
            "\"base_version\":0,\"fields\":{}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].mutation_id: missing" },
    { "{\"client_id\":\"" UUID_A "\",\"mutations\":[{"
      MUT ("\"kind\":\"contact\",\"op\":\"delete\",\"base_version\":1") "},{"
      MUT ("\"kind\":\"deal\",\"op\":\"delete\",\"base_version\":1") "}]}",
      CRM_WIRE_ERROR_MALFORMED, "mutations[1]: mutation_id repeated (mutations[0])" },
    { UPSERT ("contact", "{\"nmae\":\"x\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.nmae: unknown field of a contact" },
    { UPSERT ("deal", "{\"amount_fen\":\"100\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.amount_fen: not an integer (a string)" },
    { UPSERT ("deal", "{\"amount_fen\":1.5}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.amount_fen: not an integer" },
    { UPSERT ("deal", "{\"amount_fen\":1e3}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.amount_fen: not an integer" },
    { UPSERT ("deal", "{\"amount_fen\":-1}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.amount_fen: not an amount" },
    { UPSERT ("deal", "{\"amount_fen\":99999999999999999999}"), CRM_WIRE_ERROR_MALFORMED,
      "an integer out of range" },
    { UPSERT ("deal", "{\"amount_fen\":9223372036854775808}"), CRM_WIRE_ERROR_MALFORMED,
      "an integer out of range" },
    { UPSERT ("deal", "{\"position\":-9223372036854775809}"), CRM_WIRE_ERROR_MALFORMED,
      "an integer out of range" },
    { UPSERT ("deal", "{\"position\":-9223372036854775808,\"amount_fen\":9223372036854775807}"),
      -1, NULL },
    { UPSERT ("deal", "{\"amount_fen\":1e400}"), CRM_WIRE_ERROR_MALFORMED, "out of range" },
    { UPSERT ("deal", "{\"amount_fen\":0x10}"), CRM_WIRE_ERROR_MALFORMED, "not JSON at byte" },
    { UPSERT ("deal", "{\"amount_fen\":010}"), CRM_WIRE_ERROR_MALFORMED, "leading zero" },
    { UPSERT ("deal", "{\"title\":'x'}"), CRM_WIRE_ERROR_MALFORMED, "not JSON at byte" },
    { UPSERT ("deal", "{'title':\"x\"}"), CRM_WIRE_ERROR_MALFORMED, "not JSON at byte" },
    { UPSERT ("deal", "{\"title\":\"\\x41\"}"), CRM_WIRE_ERROR_MALFORMED, "a bad escape" },
    { UPSERT ("deal", "{\"title\":\"\\u12\"}"), CRM_WIRE_ERROR_MALFORMED, "a bad \\u escape" },
    { UPSERT ("deal", "{\"title\":\"a\tb\"}"), CRM_WIRE_ERROR_MALFORMED, "a control character" },
    { UPSERT ("deal", "{\"title\":\"\\ud83d\\ude00 \\\" \\/\"}"), -1, NULL },
    { UPSERT ("deal", "{\"stage\":\"closed\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.stage: not a stage" },
    { UPSERT ("deal", "{\"currency\":\"USD\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.currency: not a currency" },
    { UPSERT ("deal", "{\"probability\":101}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.probability: not a probability" },
    { UPSERT ("deal", "{\"title\":null}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.title: may not be null" },
    { UPSERT ("deal", "{\"contact_id\":\"\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.contact_id: not a UUID" },
    { UPSERT ("deal", "{\"expected_close\":\"2026-02-30\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.expected_close: not a day" },
    { UPSERT ("deal", "{\"expected_close\":\"2026/12/31\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.expected_close: not a day" },
    { UPSERT ("deal", "{\"won_at\":\"2026-11-29T08:00:00+08:00\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.won_at: not a UTC ISO 8601 time" },
    { UPSERT ("deal", "{\"won_at\":\"2026-11-29T25:00:00Z\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.won_at: not a UTC" },
    { UPSERT ("deal", "{\"won_at\":\"2026-11-29T08:00:00.123456Z\",\"expected_close\":null}"),
      -1, NULL },
    { UPSERT ("deal", "{\"position\":true}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.position: not an integer (a boolean)" },
    { UPSERT ("deal", "{\"notes\":[]}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.notes: not a string (an array)" },
    { UPSERT ("certification", "{\"status\":\"approved\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.status: not a certification status" },
    { UPSERT ("certification", "{\"license_sha256\":\"ABC\"}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.license_sha256: not a SHA-256" },
    { UPSERT ("certification", "{\"license_size\":-5}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.license_size: not a size" },
    { UPSERT ("followup", "{\"snoozed_until\":null}"), CRM_WIRE_ERROR_MALFORMED,
      "mutations[0].fields.snoozed_until: unknown field of a followup" },
    { UPSERT ("contact", "{\"name\":\"a\\u0000b\"}"), CRM_WIRE_ERROR_MALFORMED, "\\u0000" },
    { UPSERT ("contact", "{\"name\":\"\\ud800\"}"), CRM_WIRE_ERROR_MALFORMED, "" },
    { UPSERT ("contact", "/* comment */ {}"), CRM_WIRE_ERROR_MALFORMED, "" },
  };

  check_push_cases (cases, G_N_ELEMENTS (cases));
}

/* A push body of @n upserts of contacts */
static GString *
push_of (guint n)
{
  GString *body = g_string_new ("{\"client_id\":\"" UUID_A "\",\"mutations\":[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (body, "%s{\"mutation_id\":\"00000000-0000-4000-8000-%012x\","
                            "\"kind\":\"contact\",\"id\":\"" UUID_C "\",\"op\":\"upsert\","
                            "\"base_version\":%u,\"fields\":{\"name\":\"客户 %u\"}}",
                            i ? "," : "", i, i, i);
  g_string_append (body, "]}");
  return body;
}

static void
test_wire_limits (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) mutations = NULL;
  g_autofree char *client_id = NULL;
  g_autoptr (GString) body = push_of (CRM_WIRE_MAX_MUTATIONS);
  g_autoptr (GString) over = push_of (CRM_WIRE_MAX_MUTATIONS + 1);
  gsize huge_len = 17 * 1024 * 1024;
  g_autofree char *huge = g_malloc (huge_len);
  gsize deep_len = 100000;
  g_autofree char *deep = g_malloc (deep_len);
  static const char bad_utf8[] = UPSERT ("contact", "{\"name\":\"\xe5\xbc\"}");
  static const char nul_inside[] = UPSERT ("contact", "{\"name\":\"a\0b\"}");
  static const char deep_enough[] = "{\"client_id\":\"" UUID_A "\",\"mutations\":[],"
                                    "\"x\":[[[[[[[1]]]]]]]}";

  /* 1000 mutations: fine */
  g_assert_true (crm_wire_parse_push_request (body->str, body->len, &client_id, &mutations,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mutations->len, ==, CRM_WIRE_MAX_MUTATIONS);
  g_clear_pointer (&mutations, g_ptr_array_unref);
  g_clear_pointer (&client_id, g_free);

  /* 1001: too large */
  g_assert_false (crm_wire_parse_push_request (over->str, over->len, &client_id, &mutations,
                                               &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "mutations"));
  g_clear_error (&error);

  /* 17 MiB: too large, whatever it holds */
  memset (huge, ' ', huge_len);
  huge[0] = '{';
  huge[huge_len - 1] = '}';
  g_assert_false (crm_wire_parse_push_request (huge, huge_len, &client_id, &mutations,
                                               &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_null (crm_wire_parse_pull_response (huge, huge_len, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* 100,000 [: refused before json-glib recurses into it */
  memset (deep, '[', deep_len);
  g_assert_false (crm_wire_parse_push_request (deep, deep_len, &client_id, &mutations,
                                               &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "nested deeper than 8"));
  g_clear_error (&error);
  g_assert_null (crm_wire_parse_notices (deep, deep_len, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);
  /* depth 8 is fine ("x" is then an unknown member) */
  g_assert_false (crm_wire_parse_push_request (deep_enough, strlen (deep_enough), &client_id,
                                               &mutations, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "x: unknown member"));
  g_clear_error (&error);

  /* invalid UTF-8 inside a string, and a NUL byte */
  g_assert_false (crm_wire_parse_push_request (bad_utf8, strlen (bad_utf8), &client_id,
                                               &mutations, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "not UTF-8 at byte"));
  g_clear_error (&error);
  g_assert_false (crm_wire_parse_push_request (nul_inside, sizeof nul_inside - 1, &client_id,
                                               &mutations, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* a string over 128 KiB; 20,000 emoji (80,000 bytes) in the notes pass */
  {
    g_autoptr (GString) long_name =
      g_string_new ("{\"client_id\":\"" UUID_A "\",\"mutations\":[{"
                    MUT ("\"kind\":\"contact\",\"op\":\"upsert\",\"base_version\":0,")
                    "\"fields\":{\"name\":\"");

    for (guint i = 0; i < 140000; i++)
      g_string_append_c (long_name, 'a');
    g_string_append (long_name, "\"}}]}");
    g_assert_false (crm_wire_parse_push_request (long_name->str, long_name->len, &client_id,
                                                 &mutations, &error));
    g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
    g_assert_nonnull (strstr (error->message, "mutations[0].fields.name: longer than"));
    g_clear_error (&error);
  }
  {
    g_autoptr (GString) notes =
      g_string_new ("{\"client_id\":\"" UUID_A "\",\"mutations\":[{"
                    MUT ("\"kind\":\"contact\",\"op\":\"upsert\",\"base_version\":0,")
                    "\"fields\":{\"name\":\"x\",\"notes\":\"");
    CrmWireMutation *m;

    for (guint i = 0; i < 20000; i++)
      g_string_append (notes, "😀");
    g_string_append (notes, "\"}}]}");
    g_assert_true (crm_wire_parse_push_request (notes->str, notes->len, &client_id, &mutations,
                                                &error));
    g_assert_no_error (error);
    m = g_ptr_array_index (mutations, 0);
    g_assert_true (crm_wire_validate_record (CRM_WIRE_KIND_CONTACT, m->fields, NULL, &error));
    g_assert_no_error (error);
    g_clear_pointer (&mutations, g_ptr_array_unref);
    g_clear_pointer (&client_id, g_free);
  }
}

/* A random string: Chinese, ASCII, quotes and backslashes, controls, or "" */
static char *
random_text (void)
{
  static const char *const pieces[] = {
    "张三", "北京市海淀区", "a", "\"", "\\", "\n", "\t", "\x01", "/", "<>&", "😀", " ", "0",
    "é", "\xc2\x85", "}", "[",
  };
  GString *text = g_string_new (NULL);
  guint n = g_test_rand_int_range (0, 8);

  for (guint i = 0; i < n; i++)
    g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
  return g_string_free (text, FALSE);
}

static gint64
random_int (gint64 min,
            gint64 max)
{
  switch (g_test_rand_int_range (0, 4))
    {
    case 0:
      return min;
    case 1:
      return max;
    default:
      return min + (gint64)(g_test_rand_double () * (double)(max - min) / 2);
    }
}

/* A random mutation whose fields crm_wire_check_fields() accepts */
static CrmWireMutation *
random_mutation (void)
{
  CrmWireMutation *m = crm_wire_mutation_new ();
  static const char *const stages[] = { "lead", "won", "lost", "negotiation" };
  static const char *const statuses[] = { "draft", "submitted", "certified", "rejected" };

  m->mutation_id = crm_wire_new_uuid ();
  m->id = crm_wire_new_uuid ();
  m->kind = g_test_rand_int_range (0, CRM_WIRE_N_KINDS);
  m->op = g_test_rand_int_range (0, 4) == 0 ? CRM_WIRE_OP_DELETE : CRM_WIRE_OP_UPSERT;
  m->base_version = random_int (0, G_MAXINT64);
  if (m->op == CRM_WIRE_OP_DELETE)
    return m;

  for (const char *const *name = crm_wire_kind_fields (m->kind); *name; name++)
    {
      g_autofree char *text = NULL;

      if (g_test_rand_int_range (0, 3) == 0)
        continue;
      if (g_str_equal (*name, "amount_fen"))
        json_object_set_int_member (m->fields, *name, random_int (0, G_MAXINT64));
      else if (g_str_equal (*name, "probability"))
        json_object_set_int_member (m->fields, *name, random_int (0, 100));
      else if (g_str_equal (*name, "position"))
        json_object_set_int_member (m->fields, *name, random_int (G_MININT64, G_MAXINT64));
      else if (g_str_equal (*name, "license_size"))
        json_object_set_int_member (m->fields, *name, random_int (0, 10 * 1024 * 1024));
      else if (g_str_equal (*name, "stage"))
        json_object_set_string_member (m->fields, *name,
                                       stages[g_test_rand_int_range (0, G_N_ELEMENTS (stages))]);
      else if (g_str_equal (*name, "status"))
        json_object_set_string_member (m->fields, *name,
                                       statuses[g_test_rand_int_range (0, 4)]);
      else if (g_str_equal (*name, "currency"))
        json_object_set_string_member (m->fields, *name, "CNY");
      else if (g_str_equal (*name, "contact_id") || g_str_equal (*name, "deal_id"))
        {
          /* a follow-up's contact_id is never null */
          text = g_test_rand_bit () || (m->kind == CRM_WIRE_KIND_FOLLOWUP && **name == 'c')
                 ? crm_wire_new_uuid () : NULL;
          if (text != NULL)
            json_object_set_string_member (m->fields, *name, text);
          else
            json_object_set_null_member (m->fields, *name);
        }
      else if (g_str_equal (*name, "expected_close"))
        json_object_set_string_member (m->fields, *name, "2026-02-28");
      else if (g_str_has_suffix (*name, "_at"))   /* won_at, a follow-up's times */
        json_object_set_string_member (m->fields, *name, "2026-11-29T08:00:00Z");
      else if (g_str_equal (*name, "kind"))
        json_object_set_string_member (m->fields, *name, "visit");
      else if (g_str_equal (*name, "license_sha256"))
        json_object_set_string_member (m->fields, *name, SHA);
      else if (g_str_has_prefix (*name, "license_") && g_test_rand_bit ())
        json_object_set_null_member (m->fields, *name);
      else
        {
          text = random_text ();
          json_object_set_string_member (m->fields, *name, text);
        }
    }
  return m;
}

static gboolean
objects_equal (JsonObject *a,
               JsonObject *b)
{
  g_autoptr (JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr (JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

static void
test_wire_push_round_trip (void)
{
  for (guint round = 0; round < 200; round++)
    {
      g_autoptr (GPtrArray) mutations =
        g_ptr_array_new_with_free_func ((GDestroyNotify)crm_wire_mutation_free);
      g_autoptr (GPtrArray) parsed = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *client_id = crm_wire_new_uuid ();
      g_autofree char *parsed_id = NULL;
      g_autofree char *body = NULL;
      g_autofree char *again = NULL;
      gsize length = 0;
      gsize again_length = 0;
      guint n = g_test_rand_int_range (0, 12);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (mutations, random_mutation ());
      body = crm_wire_build_push_request (client_id, mutations, &length);
      g_assert_cmpuint (strlen (body), ==, length);
      if (!crm_wire_parse_push_request (body, length, &parsed_id, &parsed, &error))
        g_error ("%s: %s", body, error->message);
      g_assert_cmpstr (parsed_id, ==, client_id);
      g_assert_cmpuint (parsed->len, ==, n);
      for (guint i = 0; i < n; i++)
        {
          CrmWireMutation *a = g_ptr_array_index (mutations, i);
          CrmWireMutation *b = g_ptr_array_index (parsed, i);

          g_assert_cmpstr (a->mutation_id, ==, b->mutation_id);
          g_assert_cmpstr (a->id, ==, b->id);
          g_assert_cmpint (a->kind, ==, b->kind);
          g_assert_cmpint (a->op, ==, b->op);
          g_assert_cmpint (a->base_version, ==, b->base_version);
          g_assert_true (objects_equal (a->fields, b->fields));
        }
      /* a fixed point: the same text again */
      again = crm_wire_build_push_request (parsed_id, parsed, &again_length);
      g_assert_cmpstr (again, ==, body);
    }
}

static void
test_wire_push_response (void)
{
  g_autoptr (GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify)crm_wire_result_free);
  g_autoptr (GPtrArray) parsed = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  CrmWireResult *r;
  gsize length;
  static const char future[] = "{\"results\":[{\"mutation_id\":\"" UUID_A "\","
                               "\"status\":\"applied\",\"version\":3,\"merged_by\":\"x\"}],"
                               "\"server_time\":{\"a\":1}}";
  static const char wrong[] = "{\"results\":[{\"mutation_id\":\"" UUID_A "\","
                              "\"status\":\"applied\",\"version\":\"3\"}]}";
  static const char bogus[] = "{\"results\":[{\"mutation_id\":\"" UUID_A "\","
                              "\"status\":\"applied\",\"version\":3,"
                              "\"conflicts\":[\"mobile\",\"<b>no</b>\"]}]}";

  r = crm_wire_result_new ();
  r->mutation_id = g_strdup (UUID_A);
  r->status = CRM_WIRE_STATUS_APPLIED;
  r->version = G_MAXINT64;
  r->conflicts = g_strsplit ("mobile,deleted", ",", -1);
  r->conflict_values = json_object_new ();
  json_object_set_string_member (r->conflict_values, "mobile", "13900139000");
  g_ptr_array_add (results, r);
  r = crm_wire_result_new ();
  r->mutation_id = g_strdup (UUID_B);
  r->status = CRM_WIRE_STATUS_REJECTED;
  r->error = g_strdup ("invalid");
  r->message = g_strdup ("联系人需要姓名");
  g_ptr_array_add (results, r);

  body = crm_wire_build_push_response (results, &length);
  g_assert_true (crm_wire_parse_push_response (body, length, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, ==, 2);
  r = g_ptr_array_index (parsed, 0);
  g_assert_cmpstr (r->mutation_id, ==, UUID_A);
  g_assert_cmpint (r->version, ==, G_MAXINT64);
  g_assert_cmpstrv (r->conflicts, ((const char *[]) { "mobile", "deleted", NULL }));
  g_assert_cmpstr (json_object_get_string_member (r->conflict_values, "mobile"), ==,
                   "13900139000");
  g_assert_null (r->error);
  r = g_ptr_array_index (parsed, 1);
  g_assert_cmpint (r->status, ==, CRM_WIRE_STATUS_REJECTED);
  g_assert_cmpint (r->version, ==, 0);
  g_assert_null (r->conflicts);
  g_assert_null (r->conflict_values);
  g_assert_cmpstr (r->error, ==, "invalid");
  g_assert_cmpstr (r->message, ==, "联系人需要姓名");
  g_clear_pointer (&parsed, g_ptr_array_unref);

  /* a newer server's members are ignored; a known one of the wrong type is not */
  g_assert_true (crm_wire_parse_push_response (future, strlen (future), &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, ==, 1);
  g_clear_pointer (&parsed, g_ptr_array_unref);
  g_assert_false (crm_wire_parse_push_response (wrong, strlen (wrong), &parsed, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "results[0].version: not an integer"));
  g_assert_null (parsed);
  g_clear_error (&error);

  /* a conflict names a field (or "deleted"): it ends up in the conflicts table */
  g_assert_false (crm_wire_parse_push_response (bogus, strlen (bogus), &parsed, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "results[0].conflicts[1]: not a field name"));
  g_assert_null (parsed);
}

static void
test_wire_pull (void)
{
  g_autoptr (CrmWirePull) pull = crm_wire_pull_new ();
  g_autoptr (CrmWirePull) parsed = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *again = NULL;
  CrmWireChange *c = crm_wire_change_new ();
  gsize length;
  static const char old_server[] = "{\"server_epoch\":\"" UUID_A "\",\"changes\":[],"
                                   "\"next_cursor\":0,\"has_more\":false,\"later\":[1]}";
  static const BodyCase bad[] = {
    { "{\"server_epoch\":\"" UUID_A "\",\"changes\":[],\"next_cursor\":0,\"has_more\":0}",
      CRM_WIRE_ERROR_MALFORMED, "has_more: not a boolean (an integer)" },
    { "{\"server_epoch\":\"" UUID_A "\",\"changes\":[],\"has_more\":false}",
      CRM_WIRE_ERROR_MALFORMED, "next_cursor: missing" },
    { "{\"server_epoch\":\"" UUID_A "\",\"epoch_base\":-1,\"changes\":[],\"next_cursor\":0,"
      "\"has_more\":false}", CRM_WIRE_ERROR_MALFORMED, "epoch_base: less than 0" },
    { "{\"server_epoch\":\"" UUID_A "\",\"changes\":[{\"seq\":1,\"kind\":\"deal\",\"id\":\""
      UUID_B "\",\"version\":1,\"deleted\":false,\"fields\":{\"amount_fen\":\"1\"},"
      "\"updated_by\":\"wang\"}],\"next_cursor\":1,\"has_more\":false}",
      CRM_WIRE_ERROR_MALFORMED, "changes[0].fields.amount_fen: not an integer" },
    /* a next_cursor past the page would make the client skip changes */
    { "{\"server_epoch\":\"" UUID_A "\",\"changes\":[{\"seq\":7,\"kind\":\"contact\",\"id\":\""
      UUID_B "\",\"version\":7,\"deleted\":false,\"fields\":{\"name\":\"x\"},"
      "\"updated_by\":\"wang\"}],\"next_cursor\":100,\"has_more\":false}",
      CRM_WIRE_ERROR_MALFORMED, "next_cursor: not the last change's seq" },
    { "{\"server_epoch\":\"" UUID_A "\",\"changes\":[{\"seq\":7,\"kind\":\"contact\",\"id\":\""
      UUID_B "\",\"version\":7,\"deleted\":false,\"fields\":{\"name\":\"x\"},"
      "\"updated_by\":\"wang\"},{\"seq\":7,\"kind\":\"contact\",\"id\":\"" UUID_A "\","
      "\"version\":7,\"deleted\":false,\"fields\":{\"name\":\"y\"},\"updated_by\":\"wang\"}],"
      "\"next_cursor\":7,\"has_more\":false}",
      CRM_WIRE_ERROR_MALFORMED, "changes[1].seq: not after the change before it" },
  };

  pull->server_epoch = g_strdup (UUID_A);
  pull->epoch_base = 41;
  pull->next_cursor = 57;
  pull->has_more = TRUE;
  c->seq = 57;
  c->kind = CRM_WIRE_KIND_CONTACT;
  c->id = g_strdup (UUID_B);
  c->version = 57;
  c->deleted = TRUE;
  json_object_set_string_member (c->fields, "name", "张三");
  c->updated_by = g_strdup ("wang");
  c->updated_at = g_strdup ("2026-11-29T08:00:00Z");
  g_ptr_array_add (pull->changes, c);

  body = crm_wire_build_pull_response (pull, &length);
  parsed = crm_wire_parse_pull_response (body, length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->server_epoch, ==, UUID_A);
  g_assert_cmpint (parsed->epoch_base, ==, 41);
  g_assert_cmpint (parsed->next_cursor, ==, 57);
  g_assert_true (parsed->has_more);
  g_assert_cmpuint (parsed->changes->len, ==, 1);
  c = g_ptr_array_index (parsed->changes, 0);
  g_assert_cmpint (c->seq, ==, 57);
  g_assert_true (c->deleted);
  g_assert_cmpstr (json_object_get_string_member (c->fields, "name"), ==, "张三");
  g_assert_cmpstr (c->updated_by, ==, "wang");
  g_assert_cmpstr (c->updated_at, ==, "2026-11-29T08:00:00Z");
  again = crm_wire_build_pull_response (parsed, NULL);
  g_assert_cmpstr (again, ==, body);
  g_clear_pointer (&parsed, crm_wire_pull_free);

  /* epoch_base is an extension: 0 when absent */
  parsed = crm_wire_parse_pull_response (old_server, strlen (old_server), &error);
  g_assert_no_error (error);
  g_assert_cmpint (parsed->epoch_base, ==, 0);
  g_assert_false (parsed->has_more);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (CrmWirePull) none = crm_wire_parse_pull_response (bad[i].body,
                                                                   strlen (bad[i].body),
                                                                   &error);

      g_test_message ("%s -> %s", bad[i].body, error ? error->message : "accepted");
      g_assert_null (none);
      g_assert_error (error, CRM_WIRE_ERROR, bad[i].code);
      g_assert_nonnull (strstr (error->message, bad[i].message));
      g_clear_error (&error);
    }
}

static void
test_wire_login_session (void)
{
  CrmWireLogin login = { "xiaohe", "王五", "secret \"pw\"", "笔记本" };
  CrmWireSession session = { "tok-en_", "u1", UUID_A, "王五" };
  g_autoptr (CrmWireLogin) parsed = NULL;
  g_autoptr (CrmWireSession) got = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  gsize length;
  static const char extra[] = "{\"company\":\"a\",\"user\":\"b\",\"password\":\"c\","
                              "\"device\":\"d\",\"remember\":true}";
  static const char missing[] = "{\"company\":\"a\",\"user\":\"b\",\"device\":\"d\"}";
  static const char number[] = "{\"company\":\"a\",\"user\":\"b\",\"password\":1,"
                               "\"device\":\"d\"}";
  static const char bad_company[] = "{\"token\":\"t\",\"user_id\":\"u\",\"company_id\":\"c\","
                                    "\"user_name\":\"n\"}";

  body = crm_wire_build_login_request (&login, &length);
  parsed = crm_wire_parse_login_request (body, length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->company, ==, "xiaohe");
  g_assert_cmpstr (parsed->user, ==, "王五");
  g_assert_cmpstr (parsed->password, ==, "secret \"pw\"");
  g_assert_cmpstr (parsed->device, ==, "笔记本");
  g_clear_pointer (&body, g_free);

  g_assert_null (crm_wire_parse_login_request (extra, strlen (extra), &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "remember: unknown member"));
  g_clear_error (&error);
  g_assert_null (crm_wire_parse_login_request (missing, strlen (missing), &error));
  g_assert_nonnull (strstr (error->message, "password: missing"));
  g_clear_error (&error);
  g_assert_null (crm_wire_parse_login_request (number, strlen (number), &error));
  g_assert_nonnull (strstr (error->message, "password: not a string (an integer)"));
  g_clear_error (&error);

  body = crm_wire_build_session (&session, &length);
  got = crm_wire_parse_session (body, length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->token, ==, "tok-en_");
  g_assert_cmpstr (got->user_id, ==, "u1");
  g_assert_cmpstr (got->company_id, ==, UUID_A);
  g_assert_cmpstr (got->user_name, ==, "王五");
  g_assert_null (crm_wire_parse_session (bad_company, strlen (bad_company), &error));
  g_assert_nonnull (strstr (error->message, "company_id: not a UUID"));
  g_clear_error (&error);
  g_assert_null (crm_wire_parse_session ("[", 1, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
}

static void
test_wire_notices_errors (void)
{
  g_autoptr (GPtrArray) notices =
    g_ptr_array_new_with_free_func ((GDestroyNotify)crm_wire_notice_free);
  g_autoptr (GPtrArray) parsed = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) extra = json_object_new ();
  g_autoptr (JsonObject) got_extra = NULL;
  g_autofree char *body = NULL;
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  CrmWireNotice *n = g_new0 (CrmWireNotice, 1);
  gsize length;

  n->id = g_strdup ("n1");
  n->kind = g_strdup ("terms");
  n->title = g_strdup ("服务条款更新");
  n->body = g_strdup ("第一条\n第二条");
  n->published_at = g_strdup ("2026-11-29T08:00:00Z");
  n->effective_at = g_strdup ("2026-12-01");
  n->terms_version = g_strdup ("2026.2");
  g_ptr_array_add (notices, n);
  body = crm_wire_build_notices (notices, &length);
  parsed = crm_wire_parse_notices (body, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, ==, 1);
  n = g_ptr_array_index (parsed, 0);
  g_assert_cmpstr (n->body, ==, "第一条\n第二条");
  g_assert_cmpstr (n->terms_version, ==, "2026.2");
  g_clear_pointer (&body, g_free);

  json_object_set_string_member (extra, "server_epoch", UUID_A);
  json_object_set_int_member (extra, "epoch_base", 12);
  body = crm_wire_build_error ("cursor_expired", "The cursor is ahead of the server", extra,
                               &length);
  g_assert_true (crm_wire_parse_error (body, length, &code, &message, &got_extra));
  g_assert_cmpstr (code, ==, "cursor_expired");
  g_assert_cmpstr (message, ==, "The cursor is ahead of the server");
  g_assert_cmpstr (json_object_get_string_member (got_extra, "server_epoch"), ==, UUID_A);
  g_assert_cmpint (json_object_get_int_member (got_extra, "epoch_base"), ==, 12);
  g_assert_false (json_object_has_member (got_extra, "error"));
  g_clear_pointer (&code, g_free);
  g_assert_false (crm_wire_parse_error ("<html>", 6, &code, NULL, NULL));
  g_assert_null (code);
  g_assert_false (crm_wire_parse_error ("{\"error\":5}", 11, &code, NULL, NULL));
  g_assert_null (code);
}

static void
test_wire_validate_contact (void)
{
  g_autoptr (JsonObject) record = json_object_new ();
  g_autoptr (JsonObject) nameless = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *failed = NULL;

  json_object_set_string_member (record, "name", "  张三 ");
  json_object_set_string_member (record, "mobile", "138 0013 8000");
  json_object_set_string_member (record, "email", "Zhang@Example.COM");
  g_assert_true (crm_wire_validate_record (CRM_WIRE_KIND_CONTACT, record, &failed, &error));
  g_assert_no_error (error);
  g_assert_null (failed);
  g_assert_cmpstr (json_object_get_string_member (record, "name"), ==, "张三");
  g_assert_cmpstr (json_object_get_string_member (record, "mobile"), ==, "13800138000");
  g_assert_cmpstr (json_object_get_string_member (record, "email"), ==, "Zhang@example.com");
  /* the whole record, missing fields empty */
  g_assert_cmpstr (json_object_get_string_member (record, "owner"), ==, "");
  g_assert_cmpuint (json_object_get_size (record), ==, 11);
  /* normalised again: the same (a fixed point) */
  g_assert_true (crm_wire_validate_record (CRM_WIRE_KIND_CONTACT, record, NULL, &error));
  g_assert_cmpstr (json_object_get_string_member (record, "mobile"), ==, "13800138000");

  json_object_set_string_member (record, "mobile", "12345");
  g_assert_false (crm_wire_validate_record (CRM_WIRE_KIND_CONTACT, record, &failed, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID);
  g_assert_cmpstr (failed, ==, "mobile");
  g_clear_error (&error);
  g_clear_pointer (&failed, g_free);

  json_object_set_string_member (nameless, "name", "   ");
  g_assert_false (crm_wire_validate_record (CRM_WIRE_KIND_CONTACT, nameless, &failed, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID);
  g_assert_cmpstr (failed, ==, "name");
  /* a refused record is left as it was */
  g_assert_cmpstr (json_object_get_string_member (nameless, "name"), ==, "   ");
  g_clear_error (&error);
  g_clear_pointer (&failed, g_free);

  /* shape first: a wrong type is malformed, not invalid */
  json_object_set_int_member (nameless, "name", 5);
  g_assert_false (crm_wire_validate_record (CRM_WIRE_KIND_CONTACT, nameless, &failed, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
}

static void
test_wire_validate_deal (void)
{
  g_autoptr (JsonObject) record = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *failed = NULL;

  json_object_set_string_member (record, "title", " 年度采购 ");
  json_object_set_string_member (record, "stage", "proposal");
  json_object_set_int_member (record, "amount_fen", 12345600);
  g_assert_true (crm_wire_validate_record (CRM_WIRE_KIND_DEAL, record, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "title"), ==, "年度采购");
  g_assert_cmpstr (json_object_get_string_member (record, "currency"), ==, "CNY");
  g_assert_cmpint (json_object_get_int_member (record, "probability"), ==,
                   crm_deal_stage_default_probability (CRM_DEAL_PROPOSAL));
  g_assert_true (json_object_get_null_member (record, "contact_id"));
  g_assert_true (json_object_get_null_member (record, "expected_close"));
  g_assert_cmpuint (json_object_get_size (record), ==, 11);

  json_object_set_string_member (record, "stage", "lost");
  g_assert_false (crm_wire_validate_record (CRM_WIRE_KIND_DEAL, record, &failed, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID);
  g_assert_cmpstr (failed, ==, "lost_reason");
  g_clear_error (&error);
  g_clear_pointer (&failed, g_free);

  json_object_set_string_member (record, "lost_reason", "价格");
  json_object_set_string_member (record, "title", "");
  g_assert_false (crm_wire_validate_record (CRM_WIRE_KIND_DEAL, record, &failed, &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID);
  g_assert_cmpstr (failed, ==, "title");
}

static void
test_wire_validate_certification (void)
{
  g_autoptr (JsonObject) record = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *failed = NULL;

  json_object_set_string_member (record, "company_name", " 小禾科技有限公司 ");
  json_object_set_string_member (record, "uscc", "9111 0000 6000 3734 1l");
  json_object_set_string_member (record, "status", "submitted");
  g_assert_true (crm_wire_validate_record (CRM_WIRE_KIND_CERTIFICATION, record, &failed,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "uscc"), ==, "91110000600037341L");
  g_assert_cmpstr (json_object_get_string_member (record, "company_name"), ==,
                   "小禾科技有限公司");
  g_assert_true (json_object_get_null_member (record, "license_sha256"));
  g_assert_cmpuint (json_object_get_size (record), ==, 10);

  /* a license named in part */
  json_object_set_string_member (record, "license_sha256", SHA);
  g_assert_false (crm_wire_validate_record (CRM_WIRE_KIND_CERTIFICATION, record, &failed,
                                            &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID);
  g_assert_cmpstr (failed, ==, "license_sha256");
  g_clear_error (&error);
  g_clear_pointer (&failed, g_free);
  json_object_set_string_member (record, "license_mime_type", "image/png");
  json_object_set_int_member (record, "license_size", 2048);
  json_object_set_null_member (record, "license_sha256");
  g_assert_false (crm_wire_validate_record (CRM_WIRE_KIND_CERTIFICATION, record, &failed,
                                            &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID);
  g_assert_cmpstr (failed, ==, "license_sha256");
  g_clear_error (&error);
  g_clear_pointer (&failed, g_free);
  json_object_set_string_member (record, "license_sha256", SHA);
  g_assert_true (crm_wire_validate_record (CRM_WIRE_KIND_CERTIFICATION, record, &failed,
                                           &error));
  g_assert_no_error (error);

  json_object_set_string_member (record, "uscc", "91110000600037341");
  g_assert_false (crm_wire_validate_record (CRM_WIRE_KIND_CERTIFICATION, record, &failed,
                                            &error));
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID);
  g_assert_cmpstr (failed, ==, "uscc");
}

/* crm_wire_parse_object(): stored JSON through the same checks as a body */
static void
test_wire_parse_object (void)
{
  g_autoptr (GString) deep = g_string_new (NULL);
  g_autoptr (GString) many = g_string_new ("{\"a\": [");
  static const char * const bad[] = {
    "", "{not json", "[1, 2]", "\"text\"", "{\"a\": 1} {}", "{\"a\": 1, \"a\": 2}",
    "{\"a\": \"\\u0000\"}", "{\"a\": 01}", "{\"a\": 9223372036854775808}",
    "{\"a\": \"\xff\"}", "{'a': 1}",
  };
  g_autoptr (JsonObject) object = NULL;
  g_autoptr (GError) error = NULL;

  object = crm_wire_parse_object ("{\"name\": \"张三\", \"amount_fen\": 100, \"x\": null}",
                                  strlen ("{\"name\": \"张三\", \"amount_fen\": 100, "
                                          "\"x\": null}"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "张三");
  g_assert_cmpint (json_object_get_int_member (object, "amount_fen"), ==, 100);
  g_assert_true (json_object_get_null_member (object, "x"));
  g_clear_pointer (&object, json_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      object = crm_wire_parse_object (bad[i], strlen (bad[i]), &error);
      g_assert_null (object);
      g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
      g_clear_error (&error);
    }
  object = crm_wire_parse_object (NULL, 0, &error);
  g_assert_null (object);
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* nested 100,000 deep: json-glib alone would recurse until the stack ends */
  g_string_append_c (deep, '{');
  g_string_append (deep, "\"a\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  object = crm_wire_parse_object (deep->str, deep->len, &error);
  g_assert_null (object);
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "nested deeper"));
  g_clear_error (&error);

  /* too many values */
  for (guint i = 0; i < 300000; i++)
    g_string_append (many, "0,");
  g_string_append (many, "0]}");
  object = crm_wire_parse_object (many->str, many->len, &error);
  g_assert_null (object);
  g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_TOO_LARGE);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire/names", test_wire_names);
  g_test_add_func ("/wire/kind-fields", test_wire_kind_fields);
  g_test_add_func ("/wire/malformed-push", test_wire_malformed_push);
  g_test_add_func ("/wire/limits", test_wire_limits);
  g_test_add_func ("/wire/push-round-trip", test_wire_push_round_trip);
  g_test_add_func ("/wire/push-response", test_wire_push_response);
  g_test_add_func ("/wire/pull", test_wire_pull);
  g_test_add_func ("/wire/login-session", test_wire_login_session);
  g_test_add_func ("/wire/notices-errors", test_wire_notices_errors);
  g_test_add_func ("/wire/validate-contact", test_wire_validate_contact);
  g_test_add_func ("/wire/validate-deal", test_wire_validate_deal);
  g_test_add_func ("/wire/validate-certification", test_wire_validate_certification);
  g_test_add_func ("/wire/parse-object", test_wire_parse_object);

  return g_test_run ();
}
