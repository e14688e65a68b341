/* test-server-cli.c — xiaohe-crm-server's commands run as a process: each
 * command's exit status and effect, usage errors, a password read from
 * standard input and never from argv
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The binary comes from XIAOHE_CRM_SERVER (tests/meson.build); effects are
 * read back through the storage (libcrm-server) or the files themselves.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "crm-server-commands.h"
#include "crm-server-sqlite.h"
#include "crm-server-sync.h"
#include "crm-test-pg.h"
#include "crm-test-util.h"

#define PASSWORD "correct horse 马 battery"

typedef struct
{
  char *tmp;     /* removed at the end */
  char *dir;     /* the server directory, inside tmp */
} Fixture;

/* the suite's second run (XIAOHE_CRM_TEST_BACKEND=postgresql): the
 * fixture's new database, given to every `init` as `--database URL`; the
 * later commands find it in DIR/config, as an operator's would */
static char *pg_database;

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Communicated;

static void
communicated (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Communicated *c = data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err,
                                        &c->error);
  c->done = TRUE;
}

/* runs the server's command line with @stdin_text (may be NULL) and the
 * NULL-terminated arguments; returns the exit status */
static int
run_full (const char  *language,
          const char  *stdin_text,
          char       **out,
          char       **err,
          const char  *first,
          va_list      ap)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  Communicated c = { 0 };
  const char *exe = g_getenv ("XIAOHE_CRM_SERVER");
  int status;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (gpointer) exe);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  if (pg_database != NULL && g_strcmp0 (first, "init") == 0)
    {
      g_ptr_array_add (argv, (gpointer) "--database");
      g_ptr_array_add (argv, pg_database);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, stdin_text ? stdin_text : "", NULL,
                                       communicated, &c);
  crm_test_wait_flag (&c.done, 60);
  g_assert_no_error (c.error);
  g_assert_true (g_subprocess_get_if_exited (process));
  status = g_subprocess_get_exit_status (process);
  if (out != NULL)
    *out = g_steal_pointer (&c.out);
  if (err != NULL)
    *err = g_steal_pointer (&c.err);
  g_free (c.out);
  g_free (c.err);
  return status;
}

static int
run (const char  *stdin_text,
     char       **out,
     char       **err,
     const char  *first,
     ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = run_full ("en", stdin_text, out, err, first, ap);
  va_end (ap);
  return status;
}

static int
run_zh (char       **err,
        const char  *first,
        ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = run_full ("zh_CN", NULL, NULL, err, first, ap);
  va_end (ap);
  return status;
}

static CrmServerStorage *
open_storage (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  CrmServerStorage *storage = crm_server_storage_open (f->dir, FALSE, &error);

  g_assert_no_error (error);
  return storage;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->tmp = crm_test_make_tmp_dir ();
  f->dir = g_build_filename (f->tmp, "server", NULL);
  g_clear_pointer (&pg_database, g_free);
  if (crm_test_pg_wanted ())
    pg_database = crm_test_pg_new_database (crm_test_pg_get ());
  if (data != NULL)   /* a ready server: init, a company, a user */
    {
      g_assert_cmpint (run (NULL, NULL, NULL, "init", f->dir, NULL), ==, 0);
      g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir, "team", "我的团队", NULL),
                       ==, 0);
      g_assert_cmpint (run (PASSWORD "\n", NULL, NULL, "add-user", f->dir, "team", "admin",
                            NULL), ==, 0);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  crm_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->dir);
}

static char *
read_guard_epoch (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "epoch-guard", NULL);
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  return g_strdup (json_object_get_string_member (
    json_node_get_object (json_parser_get_root (parser)), "epoch"));
}

/* usage errors: status 2 and the usage; --help: 0 and every command */
static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  static const char *const commands[] = {
    "init", "add-company", "add-user", "serve", "certify", "notice", "expire",
    "export-company",
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (NULL, &out, NULL, "--help", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *line = g_strdup_printf ("xiaohe-crm-server %s DIR", commands[i]);
      g_assert_nonnull (strstr (out, line));
    }

  g_assert_cmpint (run (NULL, NULL, &err, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "Usage:"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, NULL, &err, "frobnicate", f->dir, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "frobnicate"));
  g_assert_nonnull (strstr (err, "Usage:"));

  g_assert_cmpint (run (NULL, NULL, NULL, "init", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "init", f->dir, "extra", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir, "team", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "serve", f->dir, "--bogus", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "serve", f->dir, "--tls-cert", "c.pem", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "certify", f->dir, "team", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "certify", f->dir, "team", "--approve", "--reject",
                        "x", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "notice", f->dir, "--kind", "pricing", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "expire", f->dir, "team", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "export-company", f->dir, "team", NULL), ==, 2);
  /* nothing was made by any of them */
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
}

static void
test_init (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->dir, CRM_SERVER_SQLITE_FILE, NULL);
  g_autofree char *other = g_build_filename (f->tmp, "other", NULL);
  g_autofree char *stray = g_build_filename (other, "notes.txt", NULL);
  g_autofree char *other_db = g_build_filename (other, CRM_SERVER_SQLITE_FILE, NULL);
  g_autofree char *epoch = NULL;
  g_autofree char *again = NULL;
  g_autofree char *err = NULL;
  GStatBuf st;

  g_assert_cmpint (run (NULL, NULL, NULL, "init", f->dir, NULL), ==, 0);
  g_assert_cmpint (g_stat (f->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  if (pg_database != NULL)
    {
      g_autofree char *config = g_build_filename (f->dir, "config", NULL);
      g_autofree char *named = crm_server_storage_read_config (f->dir, NULL);

      /* the URL may hold a password: the file is the owner's alone */
      g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
      g_assert_cmpint (g_stat (config, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
      g_assert_cmpstr (named, ==, pg_database);
    }
  else
    g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  epoch = read_guard_epoch (f);
  g_assert_nonnull (epoch);

  /* again on a server directory: kept as it is */
  g_assert_cmpint (run (NULL, NULL, NULL, "init", f->dir, NULL), ==, 0);
  again = read_guard_epoch (f);
  g_assert_cmpstr (again, ==, epoch);

  /* a folder with other things in it: refused, nothing made */
  g_assert_cmpint (g_mkdir (other, 0755), ==, 0);
  g_assert_true (g_file_set_contents (stray, "mine", -1, NULL));
  g_assert_cmpint (run (NULL, NULL, &err, "init", other, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not empty"));
  g_assert_false (g_file_test (other_db, G_FILE_TEST_EXISTS));
}

static void
test_add_company (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autoptr (CrmServerCompany) company = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;

  /* not a server directory yet */
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir, "acme", "Acme", NULL), ==, 1);
  g_assert_cmpint (run (NULL, NULL, NULL, "init", f->dir, NULL), ==, 0);
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir, "acme", "小禾 Acme", NULL), ==, 0);
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir, "acme", "Again", NULL), ==, 1);
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir, "Acme", "Upper", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir, "a_b", "Under", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir,
                        "a-very-long-slug-that-goes-past-forty-chars", "Long", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir, "blank", "   ", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", f->dir,
                        "0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f", "Id", NULL), ==, 2);

  storage = open_storage (f);
  company = crm_server_storage_find_company (storage, "acme", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (company->name, ==, "小禾 Acme");
  g_clear_pointer (&company, crm_server_company_free);
  company = crm_server_storage_find_company (storage, "blank", &error);
  g_assert_null (company);
  g_assert_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND);

  /* the message is translated */
  g_assert_cmpint (run_zh (&err, "add-user", f->dir, "nosuch", "wang", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "没有公司"));
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  gsize n = strlen (needle);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_add_user (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autoptr (CrmServerCompany) company = NULL;
  g_autoptr (CrmServerUser) admin = NULL;
  g_autoptr (CrmServerUser) none = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) listing = NULL;
  g_autofree char *err = NULL;
  const char *name;

  /* the fixture added admin with PASSWORD on standard input */
  storage = open_storage (f);
  company = crm_server_storage_find_company (storage, "team", &error);
  g_assert_no_error (error);
  admin = crm_server_storage_find_user (storage, company->id, "admin", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (admin->password_hash, "$argon2id$"));
  g_assert_null (strstr (admin->password_hash, PASSWORD));
  g_clear_object (&storage);

  /* the password is in no file of the server */
  listing = g_dir_open (f->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_assert_false (file_contains (path, PASSWORD));
    }

  /* never from argv: a fourth argument is a usage error */
  g_assert_cmpint (run (NULL, NULL, NULL, "add-user", f->dir, "team", "wang", PASSWORD, NULL),
                   ==, 2);
  /* empty, short, an unknown company, a name taken */
  g_assert_cmpint (run ("", NULL, &err, "add-user", f->dir, "team", "wang", NULL), ==, 1);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ("\n", NULL, NULL, "add-user", f->dir, "team", "wang", NULL), ==, 1);
  g_assert_cmpint (run ("short\n", NULL, &err, "add-user", f->dir, "team", "wang", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "8"));
  g_assert_cmpint (run (PASSWORD "\n", NULL, NULL, "add-user", f->dir, "nosuch", "wang", NULL),
                   ==, 1);
  g_assert_cmpint (run ("another password\n", NULL, NULL, "add-user", f->dir, "team", "admin",
                        NULL), ==, 1);

  storage = open_storage (f);
  none = crm_server_storage_find_user (storage, company->id, "wang", &error);
  g_assert_null (none);
  g_assert_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&admin, crm_server_user_free);
  admin = crm_server_storage_find_user (storage, company->id, "admin", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (admin->password_hash, "$argon2id$"));

  /* a line from a pipe, \r\n included */
  g_clear_object (&storage);
  g_assert_cmpint (run ("windows-password\r\n", NULL, NULL, "add-user", f->dir, "team",
                        "王五", NULL), ==, 0);
}

/* pushes a submitted certification for @slug, as the app would */
static void
submit_certification (Fixture    *f,
                      const char *slug)
{
  g_autoptr (CrmServerStorage) storage = open_storage (f);
  g_autoptr (CrmServerCompany) company = NULL;
  g_autoptr (GPtrArray) mutations = g_ptr_array_new_with_free_func (
    (GDestroyNotify) crm_wire_mutation_free);
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;
  CrmServerActor actor;
  CrmWireMutation *m = crm_wire_mutation_new ();

  company = crm_server_storage_find_company (storage, slug, &error);
  g_assert_no_error (error);
  actor = (CrmServerActor) { company->id, "u", "admin" };
  m->mutation_id = g_uuid_string_random ();
  m->kind = CRM_WIRE_KIND_CERTIFICATION;
  m->id = g_strdup (company->id);
  m->op = CRM_WIRE_OP_UPSERT;
  json_object_set_string_member (m->fields, "company_name", "我的团队有限公司");
  json_object_set_string_member (m->fields, "status", "submitted");
  g_ptr_array_add (mutations, m);
  results = crm_server_push (storage, f->dir, &actor, "cccccccc-cccc-4ccc-8ccc-cccccccccccc",
                             mutations, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((CrmWireResult *) results->pdata[0])->status, ==, CRM_WIRE_STATUS_APPLIED);
}

static char *
certification_status (Fixture *f)
{
  g_autoptr (CrmServerStorage) storage = open_storage (f);
  g_autoptr (CrmServerCompany) company = NULL;
  g_autoptr (CrmServerRecord) record = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  company = crm_server_storage_find_company (storage, "team", &error);
  record = crm_server_storage_get_record (storage, company->id, "certification", company->id,
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_true (json_parser_load_from_data (parser, record->fields_json, -1, &error));
  return g_strdup (json_object_get_string_member (
    json_node_get_object (json_parser_get_root (parser)), "status"));
}

static void
test_certify (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *status = NULL;

  /* nothing submitted */
  g_assert_cmpint (run (NULL, NULL, NULL, "certify", f->dir, "team", "--approve", NULL), ==, 1);
  submit_certification (f, "team");
  g_assert_cmpint (run (NULL, NULL, NULL, "certify", f->dir, "nosuch", "--approve", NULL), ==, 1);
  g_assert_cmpint (run (NULL, NULL, NULL, "certify", f->dir, "team", "--reject", "  ", NULL),
                   ==, 1);
  g_assert_cmpint (run (NULL, NULL, NULL, "certify", f->dir, "team", "--reject", "执照模糊",
                        NULL), ==, 0);
  status = certification_status (f);
  g_assert_cmpstr (status, ==, "rejected");
  g_clear_pointer (&status, g_free);

  /* reviewed: not again until submitted again */
  g_assert_cmpint (run (NULL, NULL, NULL, "certify", f->dir, "team", "--approve", NULL), ==, 1);
  submit_certification (f, "team");
  g_assert_cmpint (run (NULL, NULL, NULL, "certify", f->dir, "team", "--approve", NULL), ==, 0);
  status = certification_status (f);
  g_assert_cmpstr (status, ==, "certified");
}

static void
test_notice (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *body = g_build_filename (f->tmp, "body.txt", NULL);
  g_autofree char *bad = g_build_filename (f->tmp, "bad.txt", NULL);
  g_autofree char *big = g_build_filename (f->tmp, "big.txt", NULL);
  g_autofree char *large = g_malloc (65 * 1024);
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autoptr (GPtrArray) notices = NULL;
  g_autoptr (GError) error = NULL;
  CrmServerNotice *notice;

  memset (large, 'a', 65 * 1024);
  g_assert_true (g_file_set_contents (body, "自 2027 年起，价格调整为每人每月 30 元。", -1,
                                      NULL));
  g_assert_true (g_file_set_contents (bad, "\xff\xfe not text", -1, NULL));
  g_assert_true (g_file_set_contents (big, large, 65 * 1024, NULL));

  g_assert_cmpint (run (NULL, NULL, NULL, "notice", f->dir, "--kind", "terms", "--title",
                        "条款更新", "--body-file", body, "--effective", "2027-01-01",
                        "--terms-version", "2027-01", NULL), ==, 0);
  g_assert_cmpint (run (NULL, NULL, NULL, "notice", f->dir, "--kind", "pricing", "--title",
                        "价格", "--body-file", bad, "--effective", "2099-01-01", NULL), ==, 1);
  g_assert_cmpint (run (NULL, NULL, NULL, "notice", f->dir, "--kind", "pricing", "--title",
                        "价格", "--body-file", big, "--effective", "2099-01-01", NULL), ==, 1);
  g_assert_cmpint (run (NULL, NULL, NULL, "notice", f->dir, "--kind", "sale", "--title",
                        "价格", "--body-file", body, "--effective", "2027-01-01", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "notice", f->dir, "--kind", "pricing", "--title",
                        "价格", "--body-file", body, "--effective", "2027-02-30", NULL), ==, 2);

  storage = open_storage (f);
  notices = crm_server_storage_list_notices (storage, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notices->len, ==, 1);
  notice = notices->pdata[0];
  g_assert_cmpstr (notice->kind, ==, "terms");
  g_assert_cmpstr (notice->title, ==, "条款更新");
  g_assert_cmpstr (notice->body, ==, "自 2027 年起，价格调整为每人每月 30 元。");
  g_assert_cmpstr (notice->effective_at, ==, "2027-01-01");
  g_assert_cmpstr (notice->terms_version, ==, "2027-01");
  g_assert_nonnull (notice->published_at);
}

static void
test_expire (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autoptr (CrmServerCompany) company = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (run (NULL, NULL, NULL, "expire", f->dir, "team", "2026-13-01", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "expire", f->dir, "team", "tomorrow", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "expire", f->dir, "nosuch", "2027-01-31", NULL), ==, 1);
  g_assert_cmpint (run (NULL, NULL, NULL, "expire", f->dir, "team", "2027-01-31", NULL), ==, 0);
  storage = open_storage (f);
  company = crm_server_storage_find_company (storage, "team", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (company->expires_on, ==, "2027-01-31");
  g_assert_false (crm_server_company_expired (company, "2027-01-30"));
  g_assert_true (crm_server_company_expired (company, "2027-01-31"));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->tmp, "team.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) blob = g_bytes_new_static ("PNG!", 4);
  g_autofree guchar *decoded = NULL;
  JsonObject *root, *record, *blob_json;
  JsonArray *users, *records, *blobs;
  gsize length;

  submit_certification (f, "team");
  {
    g_autoptr (CrmServerStorage) storage = open_storage (f);
    g_autoptr (CrmServerCompany) company = crm_server_storage_find_company (storage, "team",
                                                                             &error);
    g_assert_true (crm_server_storage_put_blob (storage, company->id,
                                                "0123456789abcdef0123456789abcdef"
                                                "0123456789abcdef0123456789abcdef", blob,
                                                &error));
    g_assert_no_error (error);
  }

  g_assert_cmpint (run (NULL, NULL, NULL, "export-company", f->dir, "nosuch", out, NULL), ==, 1);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (run (NULL, NULL, NULL, "export-company", f->dir, "team", out, NULL), ==, 0);
  g_assert_true (g_file_get_contents (out, &text, NULL, &error));
  g_assert_null (strstr (text, "argon2"));
  g_assert_null (strstr (text, PASSWORD));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (
    json_object_get_object_member (root, "company"), "slug"), ==, "team");
  users = json_object_get_array_member (root, "users");
  g_assert_cmpuint (json_array_get_length (users), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (users, 0), ==, "admin");
  records = json_object_get_array_member (root, "records");
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  record = json_array_get_object_element (records, 0);
  g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "certification");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 1);
  g_assert_false (json_object_get_boolean_member (record, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (
    json_object_get_object_member (record, "fields"), "company_name"), ==, "我的团队有限公司");
  blobs = json_object_get_array_member (root, "blobs");
  g_assert_cmpuint (json_array_get_length (blobs), ==, 1);
  blob_json = json_array_get_object_element (blobs, 0);
  decoded = g_base64_decode (json_object_get_string_member (blob_json, "data"), &length);
  g_assert_cmpmem (decoded, length, "PNG!", 4);

  /* never over an existing file */
  g_assert_true (g_file_get_contents (out, &before, NULL, NULL));
  g_assert_cmpint (run (NULL, NULL, NULL, "export-company", f->dir, "team", out, NULL), ==, 1);
  g_assert_true (g_file_get_contents (out, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
}

/* a damaged epoch guard (empty, garbage, nested a million deep, huge, a
 * named pipe) is made again with a message, never a crash or a hang; an
 * empty server.sqlite3 is refused, not taken for a new storage; a storage
 * whose schema number is nonsense is refused with a message */
static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *guard = g_build_filename (f->dir, "epoch-guard", NULL);
  g_autofree char *db = g_build_filename (f->dir, CRM_SERVER_SQLITE_FILE, NULL);
  g_autofree char *epoch = read_guard_epoch (f);
  g_autoptr (GString) deep = g_string_new ("{\"epoch\": ");
  g_autoptr (GString) huge = g_string_new ("{\"epoch\": \"x\", \"pad\": \"");
  const char *guards[4];
  sqlite3 *handle = NULL;
  GStatBuf st;

  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (deep, '[');
  while (huge->len < 5 * 1024 * 1024)
    g_string_append (huge, "0123456789abcdef");
  g_string_append (huge, "\"}");
  guards[0] = "";
  guards[1] = "\xff\xfe{garbage";
  guards[2] = deep->str;
  guards[3] = huge->str;
  for (guint i = 0; i < G_N_ELEMENTS (guards); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *again = NULL;

      g_assert_true (g_file_set_contents (guard, guards[i], -1, NULL));
      g_assert_cmpint (run (NULL, NULL, &err, "init", f->dir, NULL), ==, 0);
      g_assert_null (strstr (err, "CRITICAL"));
      again = read_guard_epoch (f);
      g_assert_cmpstr (again, ==, epoch);
    }

  /* a named pipe in its place: opening it would wait for a writer for ever */
  g_assert_cmpint (g_remove (guard), ==, 0);
  g_assert_cmpint (mkfifo (guard, 0600), ==, 0);
  {
    g_autofree char *again = NULL;

    g_assert_cmpint (run (NULL, NULL, NULL, "init", f->dir, NULL), ==, 0);
    again = read_guard_epoch (f);
    g_assert_cmpstr (again, ==, epoch);
  }
  if (pg_database != NULL)
    return;   /* the rest damages SQLite's file */

  /* the schema number is nonsense: refused with a message */
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "PRAGMA user_version = -1", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (handle);
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run (NULL, NULL, &err, "expire", f->dir, "team", "2030-01-01", NULL),
                     ==, 1);
    g_assert_nonnull (strstr (err, "xiaohe-crm-server: "));
  }

  /* an empty storage: its data is lost, and it stays as it is */
  g_assert_true (g_file_set_contents (db, "", 0, NULL));
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run (NULL, NULL, &err, "expire", f->dir, "team", "2030-01-01", NULL),
                     ==, 1);
    g_assert_nonnull (strstr (err, "is empty"));
    g_assert_cmpint (g_stat (db, &st), ==, 0);
    g_assert_cmpint (st.st_size, ==, 0);
  }
}

/* runs @sql on the SQLite file @path, made if missing */
static void
sqlite_file_exec (const char *path,
                  const char *sql)
{
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

static int
sqlite_file_int (const char *path,
                 const char *sql)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return value;
}

/* the storage and what SQLite keeps beside it */
static void
remove_storage (const char *db)
{
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_assert_cmpint (g_remove (db), ==, 0);
  g_remove (wal);
  g_remove (shm);
}

/* What is not a storage of ours is refused, not given the schema (the
 * server would run as a new, empty one): our storage with its schema
 * number zeroed, a negative one, another program's SQLite file, a file
 * with no table at all. Nothing is changed in any of them. */
static void
test_not_a_storage (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->dir, CRM_SERVER_SQLITE_FILE, NULL);

  if (pg_database != NULL)
    {
      g_test_skip ("SQLite's file only: /server-cli/database covers PostgreSQL");
      return;
    }
  /* the schema number zeroed: its data kept, not taken for a new file */
  sqlite_file_exec (db, "PRAGMA user_version = 0");
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run (NULL, NULL, &err, "expire", f->dir, "team", "2030-01-01", NULL),
                     ==, 1);
    g_assert_nonnull (strstr (err, "not a xiaohe-crm-server storage"));
    g_assert_cmpint (sqlite_file_int (db, "PRAGMA user_version"), ==, 0);
    g_assert_cmpint (sqlite_file_int (db, "SELECT count(*) FROM companies"), ==, 1);
    g_assert_cmpint (sqlite_file_int (db, "SELECT count(*) FROM companies"
                                          " WHERE expires_on = '2030-01-01'"), ==, 0);
  }

  /* a negative one */
  sqlite_file_exec (db, "PRAGMA user_version = -7");
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run (NULL, NULL, &err, "expire", f->dir, "team", "2030-01-01", NULL),
                     ==, 1);
    g_assert_nonnull (strstr (err, "schema number is -7"));
    g_assert_cmpint (sqlite_file_int (db, "PRAGMA user_version"), ==, -7);
  }

  /* another program's file, by any command, init too */
  remove_storage (db);
  sqlite_file_exec (db, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')");
  {
    g_autofree char *err = NULL;
    g_autofree char *err_init = NULL;

    g_assert_cmpint (run (NULL, NULL, &err, "expire", f->dir, "team", "2030-01-01", NULL),
                     ==, 1);
    g_assert_nonnull (strstr (err, "not a xiaohe-crm-server storage"));
    g_assert_cmpint (run (NULL, NULL, &err_init, "init", f->dir, NULL), ==, 1);
    g_assert_nonnull (strstr (err_init, "not a xiaohe-crm-server storage"));
    g_assert_cmpint (sqlite_file_int (db, "SELECT count(*) FROM sqlite_schema"), ==, 1);
    g_assert_cmpint (sqlite_file_int (db, "PRAGMA user_version"), ==, 0);
  }

  /* a file that is not empty but holds no table */
  remove_storage (db);
  sqlite_file_exec (db, "CREATE TABLE t (x); DROP TABLE t");
  {
    g_autofree char *err = NULL;
    GStatBuf st;

    g_assert_cmpint (g_stat (db, &st), ==, 0);
    g_assert_cmpint (st.st_size, >, 0);
    g_assert_cmpint (run (NULL, NULL, &err, "expire", f->dir, "team", "2030-01-01", NULL),
                     ==, 1);
    g_assert_nonnull (strstr (err, "holds no server data"));
    g_assert_cmpint (sqlite_file_int (db, "SELECT count(*) FROM sqlite_schema"), ==, 0);
  }
}

/* a loopback port nobody listens on (bound, read, closed) */
static int
free_port (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* --database: what DIR/config remembers, and the mistakes an operator can
 * make with it (PostgreSQL run only) */
static void
test_database (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *other = g_build_filename (f->tmp, "other", NULL);
  g_autofree char *lite = g_build_filename (f->tmp, "lite", NULL);
  g_autofree char *config = g_build_filename (f->dir, "config", NULL);
  g_autofree char *second = NULL;
  g_autofree char *unreachable = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *slugs = NULL;
  int port;

  if (pg_database == NULL)
    {
      g_test_skip ("PostgreSQL run only");
      return;
    }
  /* a second directory on the same database: the same companies */
  g_assert_cmpint (run (NULL, NULL, NULL, "init", other, NULL), ==, 0);
  g_assert_cmpint (run (NULL, NULL, &err, "add-company", other, "team", "Again", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "team"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, NULL, NULL, "add-company", other, "second", "第二", NULL), ==, 0);
  slugs = crm_test_pg_query (pg_database,
                             "SELECT string_agg (slug, ',' ORDER BY slug) FROM companies");
  g_assert_cmpstr (slugs, ==, "second,team");

  /* init on DIR naming another database: refused, DIR/config unchanged */
  second = crm_test_pg_new_database (crm_test_pg_get ());
  {
    g_autofree char *named = NULL;
    char *mine = g_steal_pointer (&pg_database);   /* `init` gets the other alone */

    g_assert_cmpint (run (NULL, NULL, &err, "init", f->dir, "--database", second, NULL),
                     ==, 1);
    pg_database = mine;
    g_assert_nonnull (strstr (err, "another database"));
    named = crm_server_storage_read_config (f->dir, NULL);
    g_assert_cmpstr (named, ==, pg_database);
  }
  g_clear_pointer (&err, g_free);

  /* a database without the schema: said so, nothing made there */
  g_assert_cmpint (run (NULL, NULL, &err, "expire", f->dir, "team", "2030-01-01",
                        "--database", second, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "init"));
  g_clear_pointer (&err, g_free);

  /* not a PostgreSQL URL: a usage error */
  g_assert_cmpint (run (NULL, NULL, &err, "serve", f->dir, "--database", "mysql://x/y", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err, "postgresql://"));
  g_clear_pointer (&err, g_free);

  /* a SQLite directory is not turned into a PostgreSQL one */
  {
    char *mine = g_steal_pointer (&pg_database);   /* a plain `init`: SQLite */

    g_assert_cmpint (run (NULL, NULL, NULL, "init", lite, NULL), ==, 0);
    pg_database = mine;
  }
  g_assert_cmpint (run (NULL, NULL, &err, "init", lite, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "SQLite"));
  g_clear_pointer (&err, g_free);

  /* a database nobody answers for: a clear message, exit 1, quickly */
  port = free_port ();
  unreachable = g_strdup_printf ("postgresql://postgres@127.0.0.1:%d/none", port);
  g_assert_cmpint (run (NULL, &out, &err, "expire", f->dir, "team", "2030-01-01",
                        "--database", unreachable, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "xiaohe-crm-server: "));
  g_assert_null (strstr (err, "CRITICAL"));
  g_clear_pointer (&err, g_free);

  /* a damaged DIR/config: named, nothing opened */
  g_assert_true (g_file_set_contents (config, "\xff\xfe[[garbage", -1, NULL));
  g_assert_cmpint (run (NULL, NULL, &err, "expire", f->dir, "team", "2030-01-01", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "config"));
}

int
main (int   argc,
      char *argv[])
{
  static const int ready = 1;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server-cli/usage", Fixture, NULL, fixture_set_up, test_usage,
              fixture_tear_down);
  g_test_add ("/server-cli/init", Fixture, NULL, fixture_set_up, test_init, fixture_tear_down);
  g_test_add ("/server-cli/add-company", Fixture, NULL, fixture_set_up, test_add_company,
              fixture_tear_down);
  g_test_add ("/server-cli/add-user", Fixture, &ready, fixture_set_up, test_add_user,
              fixture_tear_down);
  g_test_add ("/server-cli/certify", Fixture, &ready, fixture_set_up, test_certify,
              fixture_tear_down);
  g_test_add ("/server-cli/notice", Fixture, &ready, fixture_set_up, test_notice,
              fixture_tear_down);
  g_test_add ("/server-cli/expire", Fixture, &ready, fixture_set_up, test_expire,
              fixture_tear_down);
  g_test_add ("/server-cli/export", Fixture, &ready, fixture_set_up, test_export,
              fixture_tear_down);
  g_test_add ("/server-cli/damaged", Fixture, &ready, fixture_set_up, test_damaged,
              fixture_tear_down);
  g_test_add ("/server-cli/not-a-storage", Fixture, &ready, fixture_set_up, test_not_a_storage,
              fixture_tear_down);
  g_test_add ("/server-cli/database", Fixture, &ready, fixture_set_up, test_database,
              fixture_tear_down);

  return g_test_run ();
}
