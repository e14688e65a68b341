/* test-wire-followup.c — a follow-up on the wire: the shape of its fields
 * (crm_wire_check_fields) and its rules (crm_wire_validate_record, which
 * is crm_followup_validate()), with the normalised record as a fixed point
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server judges every pushed follow-up this way and the client every
 * pulled one, so what passes here is what both store.
 */
#include "config.h"

#include "crm-wire.h"

#define CONTACT "0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c01"
#define DEAL    "0b0c6c54-7c61-4a53-9f3e-8a8f3e2d1c02"

static JsonObject *
record (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
test_normalised (void)
{
  g_autoptr (JsonObject) fields = record ("{\"contact_id\": \"" CONTACT "\","
                                          " \"deal_id\": \"" DEAL "\","
                                          " \"happened_at\": \"2026-11-29T08:00:00+00:00\","
                                          " \"kind\": \"wechat\", \"notes\": \"  说要报价 \","
                                          " \"next_step\": \" 寄样品\","
                                          " \"next_at\": \"2026-12-01T02:00:00.5Z\"}");
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *text = NULL;

  g_assert_true (crm_wire_validate_record (CRM_WIRE_KIND_FOLLOWUP, fields, &failed, &error));
  g_assert_no_error (error);
  g_assert_null (failed);
  g_assert_cmpuint (json_object_get_size (fields), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (fields, "happened_at"), ==,
                   "2026-11-29T08:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (fields, "notes"), ==, "说要报价");
  g_assert_cmpstr (json_object_get_string_member (fields, "next_step"), ==, "寄样品");
  g_assert_cmpstr (json_object_get_string_member (fields, "next_at"), ==,
                   "2026-12-01T02:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (fields, "kind"), ==, "wechat");
  g_assert_cmpstr (json_object_get_string_member (fields, "deal_id"), ==, DEAL);
  g_assert_true (json_object_get_null_member (fields, "done_at"));

  /* what it stores passes again unchanged */
  a = json_node_init_object (json_node_alloc (), fields);
  text = json_to_string (a, FALSE);
  again = record (text);
  g_assert_true (crm_wire_validate_record (CRM_WIRE_KIND_FOLLOWUP, again, NULL, &error));
  g_assert_no_error (error);
  b = json_node_init_object (json_node_alloc (), again);
  g_assert_true (json_node_equal (a, b));
}

static void
test_defaults (void)
{
  g_autoptr (JsonObject) fields = record ("{\"contact_id\": \"" CONTACT "\","
                                          " \"happened_at\": \"2026-11-29T08:00:00Z\","
                                          " \"notes\": \"电话\"}");
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_wire_validate_record (CRM_WIRE_KIND_FOLLOWUP, fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (fields, "kind"), ==, "other");
  g_assert_cmpstr (json_object_get_string_member (fields, "next_step"), ==, "");
  g_assert_true (json_object_get_null_member (fields, "deal_id"));
  g_assert_true (json_object_get_null_member (fields, "next_at"));
  g_assert_true (json_object_get_null_member (fields, "done_at"));
}

/* each refused with the field the rules name, or as malformed */
static void
test_refused (void)
{
  static const struct
  {
    const char *json;
    int         code;
    const char *field;   /* NULL: malformed, no field */
  } cases[] = {
    { "{\"happened_at\": \"2026-11-29T08:00:00Z\", \"notes\": \"x\"}",
      CRM_WIRE_ERROR_INVALID, "contact_id" },
    { "{\"contact_id\": \"" CONTACT "\", \"notes\": \"x\"}", CRM_WIRE_ERROR_INVALID,
      "happened_at" },
    { "{\"contact_id\": \"" CONTACT "\", \"happened_at\": \"2026-11-29T08:00:00Z\"}",
      CRM_WIRE_ERROR_INVALID, "notes" },
    { "{\"contact_id\": \"" CONTACT "\", \"happened_at\": \"2026-11-29T08:00:00Z\","
      " \"next_step\": \"寄样品\"}", CRM_WIRE_ERROR_INVALID, "next_at" },
    { "{\"contact_id\": \"" CONTACT "\", \"happened_at\": \"2026-11-29T08:00:00Z\","
      " \"notes\": \"x\", \"next_at\": \"2026-12-01T02:00:00Z\"}", CRM_WIRE_ERROR_INVALID,
      "next_step" },
    { "{\"contact_id\": \"" CONTACT "\", \"happened_at\": \"2026-11-29T08:00:00Z\","
      " \"notes\": \"x\", \"kind\": \"phone\"}", CRM_WIRE_ERROR_MALFORMED, NULL },
    { "{\"contact_id\": \"" CONTACT "\", \"happened_at\": \"2026-11-29 08:00\","
      " \"notes\": \"x\"}", CRM_WIRE_ERROR_MALFORMED, NULL },
    { "{\"contact_id\": \"" CONTACT "\", \"happened_at\": \"2026-11-29T16:00:00+08:00\","
      " \"notes\": \"x\"}", CRM_WIRE_ERROR_MALFORMED, NULL },
    { "{\"contact_id\": null, \"happened_at\": \"2026-11-29T08:00:00Z\", \"notes\": \"x\"}",
      CRM_WIRE_ERROR_MALFORMED, NULL },
    { "{\"contact_id\": \"" CONTACT "\", \"happened_at\": \"2026-11-29T08:00:00Z\","
      " \"notes\": \"x\", \"done_at\": 5}", CRM_WIRE_ERROR_MALFORMED, NULL },
  };
  g_autofree char *long_notes = g_strnfill (20001, 'x');

  for (guint i = 0; i <= G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonObject) fields = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *failed = NULL;

      if (i < G_N_ELEMENTS (cases))
        fields = record (cases[i].json);
      else
        {
          fields = record ("{\"contact_id\": \"" CONTACT "\","
                           " \"happened_at\": \"2026-11-29T08:00:00Z\"}");
          json_object_set_string_member (fields, "notes", long_notes);
        }
      g_assert_false (crm_wire_validate_record (CRM_WIRE_KIND_FOLLOWUP, fields, &failed,
                                                &error));
      if (i < G_N_ELEMENTS (cases))
        {
          g_assert_error (error, CRM_WIRE_ERROR, cases[i].code);
          g_assert_cmpstr (failed, ==, cases[i].field);
        }
      else
        {
          g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID);
          g_assert_cmpstr (failed, ==, "notes");
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire-followup/normalised", test_normalised);
  g_test_add_func ("/wire-followup/defaults", test_defaults);
  g_test_add_func ("/wire-followup/refused", test_refused);

  return g_test_run ();
}
