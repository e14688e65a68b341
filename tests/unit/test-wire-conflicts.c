/* test-wire-conflicts.c — a push result's conflict_by and conflict_at
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Written and read back; an older server's answer without them still
 * parses; a value of the wrong type, a member that is not one of the
 * result's conflicts, or a time that is not UTC is refused (it would end
 * up in front of a person).
 */
#include "config.h"

#include <string.h>

#include "crm-wire.h"

#define UUID_A "0b6c1f6e-2d44-4c1a-9a43-5f3e1c2b7d10"
#define RESULT(extra) \
  "{\"results\":[{\"mutation_id\":\"" UUID_A "\",\"status\":\"applied\",\"version\":3," \
  "\"conflicts\":[\"mobile\"],\"conflict_values\":{\"mobile\":\"139\"}" extra "}]}"

static GPtrArray *
parse (const char  *body,
       GError     **error)
{
  GPtrArray *results = NULL;

  if (!crm_wire_parse_push_response (body, strlen (body), &results, error))
    return NULL;
  return results;
}

static void
test_round_trip (void)
{
  g_autoptr (GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_result_free);
  g_autoptr (GPtrArray) parsed = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  CrmWireResult *r = crm_wire_result_new ();

  r->mutation_id = g_strdup (UUID_A);
  r->status = CRM_WIRE_STATUS_APPLIED;
  r->version = 9;
  r->conflicts = g_strsplit ("mobile,title", ",", -1);
  r->conflict_values = json_object_new ();
  json_object_set_string_member (r->conflict_values, "mobile", "13900139000");
  r->conflict_by = json_object_new ();
  json_object_set_string_member (r->conflict_by, "mobile", "王五");
  r->conflict_at = json_object_new ();
  json_object_set_string_member (r->conflict_at, "mobile", "2026-11-29T09:03:00Z");
  g_ptr_array_add (results, r);

  body = crm_wire_build_push_response (results, NULL);
  g_assert_nonnull (strstr (body, "\"conflict_by\":{\"mobile\":\"王五\"}"));
  parsed = parse (body, &error);
  g_assert_no_error (error);
  r = parsed->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (r->conflict_by, "mobile"), ==, "王五");
  g_assert_cmpstr (json_object_get_string_member (r->conflict_at, "mobile"), ==,
                   "2026-11-29T09:03:00Z");
  g_assert_false (json_object_has_member (r->conflict_by, "title"));
}

static void
test_older_server (void)
{
  g_autoptr (GPtrArray) parsed = NULL;
  g_autoptr (GError) error = NULL;
  CrmWireResult *r;

  parsed = parse (RESULT (""), &error);
  g_assert_no_error (error);
  r = parsed->pdata[0];
  g_assert_cmpstr (r->conflicts[0], ==, "mobile");
  g_assert_null (r->conflict_by);
  g_assert_null (r->conflict_at);
  g_clear_pointer (&parsed, g_ptr_array_unref);

  parsed = parse (RESULT (",\"conflict_by\":null,\"conflict_at\":null"), &error);
  g_assert_no_error (error);
  g_assert_null (((CrmWireResult *) parsed->pdata[0])->conflict_by);
}

static void
test_strict (void)
{
  static const char *const bad[] = {
    RESULT (",\"conflict_by\":\"wang\""),
    RESULT (",\"conflict_by\":{\"mobile\":7}"),
    RESULT (",\"conflict_by\":{\"mobile\":\"\"}"),
    RESULT (",\"conflict_by\":{\"email\":\"wang\"}"),
    RESULT (",\"conflict_by\":{\"<b>x</b>\":\"wang\"}"),
    RESULT (",\"conflict_at\":{\"mobile\":\"yesterday\"}"),
    RESULT (",\"conflict_at\":{\"mobile\":\"2026-11-29T17:03:00+08:00\"}"),
    RESULT (",\"conflict_at\":[\"2026-11-29T09:03:00Z\"]"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) parsed = parse (bad[i], &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (parsed);
      g_assert_error (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "results[0].conflict_"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wire-conflicts/round-trip", test_round_trip);
  g_test_add_func ("/wire-conflicts/older-server", test_older_server);
  g_test_add_func ("/wire-conflicts/strict", test_strict);
  return g_test_run ();
}
