/* server-sync-fixture.c — the shared set-up and helpers of the server's
 * sync tests (test-server-sync.c, test-server-followups.c), on SQLite or,
 * in the suite's second run, on PostgreSQL
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-test-pg.h"
#include "crm-test-util.h"
#include "server-sync-fixture.h"

void
fixture_open (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  f->storage = crm_server_storage_open (f->dir, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->storage);
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->dir = crm_test_make_tmp_dir ();
  /* the second run of the suite (XIAOHE_CRM_TEST_BACKEND=postgresql): a
   * new database, named in DIR/config as `init --database` does, so that
   * fixture_open () finds it again */
  if (crm_test_pg_wanted ())
    {
      g_autofree char *database = crm_test_pg_new_database (crm_test_pg_get ());

      g_assert_true (crm_server_storage_write_config (f->dir, database, &error));
      g_assert_no_error (error);
    }
  f->storage = crm_server_storage_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_server_sync_check_epoch (f->storage, f->dir, &error));
  g_assert_no_error (error);
  f->a = crm_server_storage_add_company (f->storage, "alpha", "阿尔法", &error);
  g_assert_no_error (error);
  f->b = crm_server_storage_add_company (f->storage, "beta", "Beta", &error);
  g_assert_no_error (error);
  f->actor_a = (CrmServerActor) { f->a->id, "user-a", "wang" };
  f->actor_b = (CrmServerActor) { f->b->id, "user-b", "li" };
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->storage);
  crm_server_company_free (f->a);
  crm_server_company_free (f->b);
  crm_test_rm_rf (f->dir);
  g_free (f->dir);
}

CrmWireMutation *
mutation (const char *kind,
          const char *id,
          const char *op,
          gint64      base_version,
          const char *fields_json)
{
  CrmWireMutation *m = crm_wire_mutation_new ();

  m->mutation_id = g_uuid_string_random ();
  g_assert_true (crm_wire_kind_from_string (kind, &m->kind));
  m->id = g_strdup (id);
  g_assert_true (crm_wire_op_from_string (op, &m->op));
  m->base_version = base_version;
  if (fields_json != NULL)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;

      json_parser_load_from_data (parser, fields_json, -1, &error);
      g_assert_no_error (error);
      json_object_unref (m->fields);
      m->fields = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return m;
}

/* pushes @m alone (taking it) and returns its result */
CrmWireResult *
push_one (Fixture              *f,
          const CrmServerActor *actor,
          const char           *client_id,
          CrmWireMutation      *m)
{
  g_autoptr (GPtrArray) mutations = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_mutation_free);
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (mutations, m);
  results = crm_server_push (f->storage, f->dir, actor, client_id, mutations, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (((CrmWireResult *) results->pdata[0])->mutation_id, ==, m->mutation_id);
  return g_ptr_array_steal_index (results, 0);
}

gint64
push_applied (Fixture              *f,
              const CrmServerActor *actor,
              const char           *client_id,
              CrmWireMutation      *m)
{
  g_autoptr (CrmWireResult) result = push_one (f, actor, client_id, m);

  g_assert_cmpint (result->status, ==, CRM_WIRE_STATUS_APPLIED);
  g_assert_null (result->error);
  g_assert_cmpint (result->version, >, 0);
  return result->version;
}

void
assert_rejected (CrmWireResult *result,
                 const char    *code)
{
  g_assert_cmpint (result->status, ==, CRM_WIRE_STATUS_REJECTED);
  g_assert_cmpstr (result->error, ==, code);
  g_assert_cmpint (result->version, ==, 0);
  g_assert_nonnull (result->message);
}

CrmServerRecord *
get_record (Fixture    *f,
            const char *company_id,
            const char *kind,
            const char *id)
{
  g_autoptr (GError) error = NULL;
  CrmServerRecord *record = crm_server_storage_get_record (f->storage, company_id, kind, id,
                                                           &error);
  g_assert_no_error (error);
  return record;
}

JsonObject *
record_fields (const CrmServerRecord *record)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, record->fields_json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

void
assert_field (Fixture    *f,
              const char *company_id,
              const char *kind,
              const char *id,
              const char *field,
              const char *want)
{
  g_autoptr (CrmServerRecord) record = get_record (f, company_id, kind, id);
  g_autoptr (JsonObject) fields = NULL;

  g_assert_nonnull (record);
  fields = record_fields (record);
  g_assert_cmpstr (json_object_get_string_member (fields, field), ==, want);
}

CrmWirePull *
pull (Fixture    *f,
      const char *company_id,
      gint64      cursor,
      guint       limit)
{
  g_autoptr (GError) error = NULL;
  gint64 base = -1;
  CrmWirePull *page = crm_server_pull (f->storage, company_id, cursor, limit, &base, &error);

  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page;
}

CrmWireChange *
find_change (CrmWirePull *page,
             const char  *id)
{
  for (guint i = 0; i < page->changes->len; i++)
    {
      CrmWireChange *change = page->changes->pdata[i];

      if (g_strcmp0 (change->id, id) == 0)
        return change;
    }
  return NULL;
}

gint64
company_seq (Fixture    *f,
             const char *company_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerCompany) company = crm_server_storage_find_company (f->storage,
                                                                           company_id, &error);
  g_assert_no_error (error);
  return company->seq;
}
