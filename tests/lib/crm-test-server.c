/* crm-test-server.c — a real xiaohe-crm-server for the tests and benchmarks:
 * a temporary data folder, the command line, `serve` on a loopback port,
 * raw HTTP(S) with libsoup 3
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "crm-test-pg.h"
#include "crm-test-server.h"
#include "crm-test-util.h"

#define START_SECONDS 30   /* from spawn to a healthy server */
#define STOP_SECONDS  15   /* from SIGTERM to exit */
#define RUN_SECONDS   60   /* one command (add-user hashes with Argon2id) */
#define HTTP_SECONDS  30

/* what a reader thread fills: a pipe of the server, read until it closes,
 * so that the pipe never fills whatever the test does meanwhile */
typedef struct
{
  GMutex        *lock;
  GString       *text;
  GInputStream  *stream;
} PipeReader;

struct _CrmTestServer
{
  char        *exe;
  char        *dir;
  char        *cert_file;
  char        *key_file;
  guint16      port;          /* 0 until the first start */
  char        *url;
  gboolean     tls;

  GSubprocess *process;
  gboolean     exited;        /* the process's wait finished */
  GThread     *out_thread;
  GThread     *err_thread;
  GMutex       lock;
  GString     *out;           /* standard output of the current start */
  GString     *log;           /* standard error of every start */

  SoupSession *session;
  GHashTable  *env;           /* name → value (NULL: unset) for `serve` */
  char        *today;         /* serve --today, or NULL */
  char        *database;      /* the PostgreSQL URL, or NULL for SQLite */
};

static const char *
server_exe (void)
{
  const char *exe = g_getenv ("XIAOHE_CRM_SERVER");

  if (exe == NULL || *exe == '\0')
    g_error ("XIAOHE_CRM_SERVER is not set: run the test through meson test");
  return exe;
}

/* the server dies with the test, even when an assertion aborts it */
static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  /* English messages, whatever the test's own language */
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  return launcher;
}

static gpointer
read_pipe (gpointer data)
{
  PipeReader *reader = data;
  char buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (reader->stream, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_mutex_lock (reader->lock);
      g_string_append_len (reader->text, buffer, n);
      g_mutex_unlock (reader->lock);
    }
  g_object_unref (reader->stream);
  g_free (reader);
  return NULL;
}

static GThread *
start_reader (CrmTestServer *s,
              GInputStream  *stream,
              GString       *text,
              const char    *name)
{
  PipeReader *reader = g_new0 (PipeReader, 1);

  reader->lock = &s->lock;
  reader->text = text;
  reader->stream = g_object_ref (stream);
  return g_thread_new (name, read_pipe, reader);
}

static void
dump_log (CrmTestServer *s)
{
  g_autofree char *log = crm_test_server_get_log (s);

  g_test_message ("xiaohe-crm-server's log:\n%s", log);
}

static SoupSession *
new_session (CrmTestServer *s)
{
  SoupSession *session = soup_session_new_with_options ("timeout", HTTP_SECONDS,
                                                         "idle-timeout", HTTP_SECONDS,
                                                         NULL);

  if (s->tls)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GTlsDatabase) db = g_tls_file_database_new (s->cert_file, &error);

      g_assert_no_error (error);
      soup_session_set_tls_database (session, db);
    }
  return session;
}

CrmTestServer *
crm_test_server_new (void)
{
  g_autofree char *database = NULL;

  if (crm_test_pg_wanted ())
    database = crm_test_pg_new_database (crm_test_pg_get ());
  return crm_test_server_new_on (database);
}

/**
 * crm_test_server_new_on:
 * @database: (nullable): a PostgreSQL URL; %NULL: SQLite in DIR
 *
 * See crm-test-server.h. `init DIR --database URL` writes DIR/config, so
 * every later command on DIR (add-company, serve, …) finds the database
 * without the option, as an operator's would.
 */
CrmTestServer *
crm_test_server_new_on (const char *database)
{
  CrmTestServer *s = g_new0 (CrmTestServer, 1);
  g_autofree char *out = NULL;
  int status = -1;

  s->exe = g_strdup (server_exe ());
  s->dir = crm_test_make_tmp_dir ();
  s->database = g_strdup (database);
  g_mutex_init (&s->lock);
  s->log = g_string_new (NULL);
  s->out = g_string_new (NULL);
  s->env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (database != NULL)
    out = crm_test_server_run (s, &status, NULL, "init", "--database", database, NULL);
  else
    out = crm_test_server_run (s, &status, NULL, "init", NULL);
  if (status != 0)
    g_test_message ("init: %s", out);
  g_assert_cmpint (status, ==, 0);
  return s;
}

const char *
crm_test_server_get_database (CrmTestServer *s)
{
  return s->database;
}

void
crm_test_server_add_company (CrmTestServer *s,
                             const char    *slug,
                             const char    *name)
{
  g_autofree char *out = NULL;
  int status = -1;

  out = crm_test_server_run (s, &status, NULL, "add-company", slug, name, NULL);
  if (status != 0)
    g_test_message ("add-company %s: %s", slug, out);
  g_assert_cmpint (status, ==, 0);
}

void
crm_test_server_add_user (CrmTestServer *s,
                          const char    *slug,
                          const char    *user,
                          const char    *password)
{
  g_autofree char *out = NULL;
  g_autofree char *line = g_strconcat (password, "\n", NULL);
  int status = -1;

  out = crm_test_server_run (s, &status, line, "add-user", slug, user, NULL);
  if (status != 0)
    g_test_message ("add-user %s %s: %s", slug, user, out);
  g_assert_cmpint (status, ==, 0);
}

void
crm_test_server_setenv (CrmTestServer *s,
                        const char    *name,
                        const char    *value)
{
  g_hash_table_replace (s->env, g_strdup (name), g_strdup (value));
}

void
crm_test_server_set_today (CrmTestServer *s,
                           const char    *date)
{
  g_free (s->today);
  s->today = g_strdup (date);
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  gboolean *exited = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

/* waiting for "Listening on URL" */
typedef struct
{
  CrmTestServer *s;
  gboolean       line;
} StartWait;

static gboolean
listening_or_exited (gpointer data)
{
  StartWait *w = data;

  g_mutex_lock (&w->s->lock);
  w->line = strchr (w->s->out->str, '\n') != NULL;
  g_mutex_unlock (&w->s->lock);
  return w->line || w->s->exited;
}

static gboolean
healthy_or_exited (gpointer data)
{
  CrmTestServer *s = data;

  if (s->exited)
    return TRUE;
  return crm_test_http (s, "GET", "/v1/health", NULL, NULL, NULL, NULL, NULL) == 200;
}

static void
start (CrmTestServer *s,
       gboolean       tls)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  g_autofree char *listen = NULL;
  g_autoptr (GUri) uri = NULL;
  StartWait w = { s, FALSE };
  const char *prefix = "Listening on ";

  g_assert_null (s->process);
  if (tls)
    crm_test_server_get_ca_file (s);
  s->tls = tls;
  listen = g_strdup_printf ("127.0.0.1:%u", s->port);
  g_ptr_array_add (argv, g_strdup (s->exe));
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup (s->dir));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup (listen));
  if (s->today != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--today"));
      g_ptr_array_add (argv, g_strdup (s->today));
    }
  if (tls)
    {
      g_ptr_array_add (argv, g_strdup ("--tls-cert"));
      g_ptr_array_add (argv, g_strdup (s->cert_file));
      g_ptr_array_add (argv, g_strdup ("--tls-key"));
      g_ptr_array_add (argv, g_strdup (s->key_file));
    }
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  {
    GHashTableIter iter;
    gpointer name, value;

    g_hash_table_iter_init (&iter, s->env);
    while (g_hash_table_iter_next (&iter, &name, &value))
      {
        if (value != NULL)
          g_subprocess_launcher_setenv (launcher, name, value, TRUE);
        else
          g_subprocess_launcher_unsetenv (launcher, name);
      }
  }
  g_string_truncate (s->out, 0);
  s->exited = FALSE;
  s->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata,
                                             &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (s->process, NULL, on_exited, &s->exited);
  s->out_thread = start_reader (s, g_subprocess_get_stdout_pipe (s->process), s->out,
                                "server-stdout");
  s->err_thread = start_reader (s, g_subprocess_get_stderr_pipe (s->process), s->log,
                                "server-stderr");

  crm_test_wait_until (listening_or_exited, &w, START_SECONDS);
  if (!w.line)
    {
      dump_log (s);
      g_error ("xiaohe-crm-server serve exited before it listened");
    }

  g_mutex_lock (&s->lock);
  line = g_strndup (s->out->str, strchr (s->out->str, '\n') - s->out->str);
  g_mutex_unlock (&s->lock);
  if (!g_str_has_prefix (line, prefix))
    {
      dump_log (s);
      g_error ("serve's first line is not \"Listening on URL\": %s", line);
    }
  uri = g_uri_parse (line + strlen (prefix), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, tls ? "https" : "http");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  if (s->port != 0)
    g_assert_cmpint (g_uri_get_port (uri), ==, s->port);
  s->port = g_uri_get_port (uri);
  g_free (s->url);
  s->url = g_strdup (line + strlen (prefix));
  if (g_str_has_suffix (s->url, "/"))
    s->url[strlen (s->url) - 1] = '\0';

  g_clear_object (&s->session);
  s->session = new_session (s);
  crm_test_wait_until (healthy_or_exited, s, START_SECONDS);
  if (s->exited)
    {
      dump_log (s);
      g_error ("xiaohe-crm-server serve exited before /v1/health answered");
    }
}

void
crm_test_server_start (CrmTestServer *s)
{
  start (s, FALSE);
}

void
crm_test_server_start_tls (CrmTestServer *s)
{
  start (s, TRUE);
}

static gboolean
has_exited (gpointer data)
{
  return *(gboolean *)data;
}

typedef struct
{
  gboolean *exited;
  gint64    deadline;   /* monotonic */
} ExitWait;

static gboolean
exited_or_late (gpointer data)
{
  ExitWait *w = data;

  return *w->exited || g_get_monotonic_time () >= w->deadline;
}

/* after the exit: the readers end at the pipes' end of file */
static void
reap (CrmTestServer *s)
{
  g_clear_pointer (&s->out_thread, g_thread_join);
  g_clear_pointer (&s->err_thread, g_thread_join);
  g_clear_object (&s->process);
  g_clear_object (&s->session);
}

void
crm_test_server_stop (CrmTestServer *s)
{
  gint64 asked;
  int status;

  g_assert_nonnull (s->process);
  asked = g_get_monotonic_time ();
  g_subprocess_send_signal (s->process, SIGTERM);
  crm_test_wait_until (has_exited, &s->exited, STOP_SECONDS);
  g_test_message ("the server stopped %.3f s after SIGTERM",
                  (g_get_monotonic_time () - asked) / 1e6);
  if (!g_subprocess_get_if_exited (s->process)
      || g_subprocess_get_exit_status (s->process) != 0)
    dump_log (s);
  g_assert_true (g_subprocess_get_if_exited (s->process));
  status = g_subprocess_get_exit_status (s->process);
  reap (s);
  g_assert_cmpint (status, ==, 0);
}

void
crm_test_server_kill (CrmTestServer *s)
{
  g_assert_nonnull (s->process);
  g_subprocess_force_exit (s->process);
  crm_test_wait_until (has_exited, &s->exited, STOP_SECONDS);
  reap (s);
}

gboolean
crm_test_server_is_running (CrmTestServer *s)
{
  return s->process != NULL && !s->exited;
}

int
crm_test_server_get_pid (CrmTestServer *s)
{
  const char *id;

  g_assert_true (crm_test_server_is_running (s));
  id = g_subprocess_get_identifier (s->process);
  g_assert_nonnull (id);
  return atoi (id);
}

const char *
crm_test_server_get_url (CrmTestServer *s)
{
  return s->url;
}

const char *
crm_test_server_get_dir (CrmTestServer *s)
{
  return s->dir;
}

/* outside DIR, so that DIR holds only what the server wrote */
const char *
crm_test_server_get_ca_file (CrmTestServer *s)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) openssl = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *tls_dir = NULL;

  if (s->cert_file != NULL)
    return s->cert_file;

  tls_dir = g_strconcat (s->dir, "-tls", NULL);
  g_assert_cmpint (g_mkdir (tls_dir, 0700), ==, 0);
  s->cert_file = g_build_filename (tls_dir, "cert.pem", NULL);
  s->key_file = g_build_filename (tls_dir, "key.pem", NULL);
  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                           | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  openssl = g_subprocess_launcher_spawn (launcher, &error,
                                         "openssl", "req", "-x509", "-newkey", "ec",
                                         "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                         "-nodes", "-days", "2", "-subj", "/CN=localhost",
                                         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                         "-keyout", s->key_file, "-out", s->cert_file,
                                         NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (openssl, NULL, &error);
  g_assert_no_error (error);
  return s->cert_file;
}

char *
crm_test_server_get_cert_sha256 (CrmTestServer *s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) cert = NULL;
  g_autoptr (GByteArray) der = NULL;

  cert = g_tls_certificate_new_from_file (crm_test_server_get_ca_file (s), &error);
  g_assert_no_error (error);
  g_object_get (cert, "certificate", &der, NULL);
  g_assert_nonnull (der);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

char *
crm_test_server_get_log (CrmTestServer *s)
{
  char *log;

  g_mutex_lock (&s->lock);
  log = g_strdup (s->log->str);
  g_mutex_unlock (&s->lock);
  return log;
}

typedef struct
{
  gboolean done;
  gint64   deadline;   /* monotonic */
  GBytes  *out;
  GBytes  *err;
  GError  *error;
} Communicated;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Communicated *c = data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &c->out, &c->err,
                                   &c->error);
  c->done = TRUE;
}

static gboolean
communicated_or_late (gpointer data)
{
  Communicated *c = data;

  return c->done || g_get_monotonic_time () >= c->deadline;
}

char *
crm_test_server_run (CrmTestServer *s,
                     int           *status,
                     const char    *stdin_text,
                     const char    *command,
                     ...)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) input = NULL;
  Communicated c = { 0 };
  GString *text;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, s->exe);
  g_ptr_array_add (argv, (gpointer)command);
  g_ptr_array_add (argv, s->dir);
  va_start (args, command);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                           | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata,
                                          &error);
  g_assert_no_error (error);
  /* no text: an empty standard input, at its end at once */
  input = g_bytes_new (stdin_text, stdin_text ? strlen (stdin_text) : 0);
  g_subprocess_communicate_async (process, input, NULL, on_communicated, &c);

  /* a command that hangs (a `serve` that should have refused) is killed
   * after the deadline, and reported as killed */
  c.deadline = g_get_monotonic_time () + RUN_SECONDS * G_USEC_PER_SEC;
  crm_test_wait_until (communicated_or_late, &c, RUN_SECONDS + 5);
  if (!c.done)
    {
      g_test_message ("%s %s did not end in %d s: killed", s->exe, command, RUN_SECONDS);
      g_subprocess_force_exit (process);
      c.deadline = G_MAXINT64;
      crm_test_wait_until (communicated_or_late, &c, STOP_SECONDS);
    }
  g_assert_no_error (c.error);
  g_subprocess_wait (process, NULL, NULL);

  if (g_subprocess_get_if_exited (process))
    *status = g_subprocess_get_exit_status (process);
  else
    *status = -1;

  text = g_string_new (NULL);
  if (c.out != NULL)
    g_string_append_len (text, g_bytes_get_data (c.out, NULL), g_bytes_get_size (c.out));
  if (c.err != NULL)
    g_string_append_len (text, g_bytes_get_data (c.err, NULL), g_bytes_get_size (c.err));
  g_clear_pointer (&c.out, g_bytes_unref);
  g_clear_pointer (&c.err, g_bytes_unref);
  return g_string_free (text, FALSE);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    data)
{
  g_hash_table_insert (data, g_ascii_strdown (name, -1), g_strdup (value));
}

guint
crm_test_http (CrmTestServer *s,
               const char    *method,
               const char    *path,
               const char    *token,
               const char    *content_type,
               GBytes        *body,
               GBytes       **response,
               GHashTable   **headers)
{
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = NULL;
  g_autofree char *url = NULL;

  g_assert_nonnull (s->url);
  if (s->session == NULL)
    s->session = new_session (s);
  url = g_strconcat (s->url, path, NULL);
  msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  else if (content_type != NULL)
    soup_message_headers_set_content_type (soup_message_get_request_headers (msg),
                                           content_type, NULL);

  answer = soup_session_send_and_read (s->session, msg, NULL, &error);
  if (response != NULL)
    *response = NULL;
  if (headers != NULL)
    *headers = NULL;
  if (answer == NULL)
    {
      g_test_message ("%s %s: %s", method, path, error->message);
      /* a server that died tells why in its log */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (s->process != NULL && s->exited)
        dump_log (s);
      return 0;
    }
  if (response != NULL)
    *response = g_steal_pointer (&answer);
  if (headers != NULL)
    {
      *headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      soup_message_headers_foreach (soup_message_get_response_headers (msg), copy_header,
                                    *headers);
    }
  return soup_message_get_status (msg);
}

guint
crm_test_http_json (CrmTestServer *s,
                    const char    *method,
                    const char    *path,
                    const char    *token,
                    const char    *json_body,
                    char         **response_text)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GBytes) answer = NULL;
  guint status;

  if (json_body != NULL)
    body = g_bytes_new (json_body, strlen (json_body));
  status = crm_test_http (s, method, path, token, json_body ? "application/json" : NULL,
                          body, &answer, NULL);
  if (response_text != NULL)
    {
      gsize size = answer ? g_bytes_get_size (answer) : 0;

      *response_text = g_strndup (answer ? g_bytes_get_data (answer, NULL) : "", size);
    }
  return status;
}

char *
crm_test_server_login (CrmTestServer *s,
                       const char    *slug,
                       const char    *user,
                       const char    *password)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  JsonObject *object;
  guint status;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "company");
  json_builder_add_string_value (builder, slug);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "device");
  json_builder_add_string_value (builder, "crm-test");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  status = crm_test_http_json (s, "POST", "/v1/auth/login", NULL, body, &answer);
  if (status != 200)
    g_test_message ("login %s/%s: %u %s", slug, user, status, answer);
  g_assert_cmpuint (status, ==, 200);
  json_parser_load_from_data (parser, answer, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (object, "token"));
  g_assert_nonnull (json_object_get_string_member (object, "token"));
  return g_strdup (json_object_get_string_member (object, "token"));
}

JsonObject *
crm_test_json_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

void
crm_test_assert_error (guint       status,
                       const char *text,
                       guint       want_status,
                       const char *want_code)
{
  g_autoptr (JsonObject) error = crm_test_json_object (text);
  const char *message;

  if (status != want_status || error == NULL)
    g_test_message ("expected %u %s, got %u: %s", want_status, want_code, status, text);
  g_assert_cmpuint (status, ==, want_status);
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member_with_default (error, "error", NULL), ==,
                   want_code);
  message = json_object_get_string_member_with_default (error, "message", NULL);
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
}

char *
crm_test_mutation_json (const char *kind,
                        const char *id,
                        const char *op,
                        gint64      base_version,
                        const char *fields_json)
{
  g_autofree char *mutation_id = g_uuid_string_random ();

  return g_strdup_printf ("{\"mutation_id\": \"%s\", \"kind\": \"%s\", \"id\": \"%s\", "
                          "\"op\": \"%s\", \"base_version\": %" G_GINT64_FORMAT ", "
                          "\"fields\": %s}",
                          mutation_id, kind, id, op, base_version,
                          fields_json ? fields_json : "{}");
}

JsonObject *
crm_test_server_push (CrmTestServer *s,
                      const char    *token,
                      const char    *client_id,
                      ...)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *answer = NULL;
  JsonObject *push;
  const char *mutation;
  guint n = 0;
  guint status;
  va_list args;

  g_string_append_printf (body, "{\"client_id\": \"%s\", \"mutations\": [", client_id);
  va_start (args, client_id);
  while ((mutation = va_arg (args, const char *)) != NULL)
    {
      g_string_append_printf (body, "%s%s", n ? ", " : "", mutation);
      n++;
    }
  va_end (args);
  g_string_append (body, "]}");

  status = crm_test_http_json (s, "POST", "/v1/sync/push", token, body->str, &answer);
  if (status != 200)
    g_test_message ("push: %u %s", status, answer);
  g_assert_cmpuint (status, ==, 200);
  push = crm_test_json_object (answer);
  g_assert_nonnull (push);
  g_assert_true (json_object_has_member (push, "results"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (push, "results")),
                    ==, n);
  return push;
}

JsonObject *
crm_test_server_pull (CrmTestServer *s,
                      const char    *token,
                      gint64         cursor)
{
  g_autofree char *path = NULL;
  g_autofree char *answer = NULL;
  JsonObject *pull;
  guint status;

  path = g_strdup_printf ("/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=1000", cursor);
  status = crm_test_http_json (s, "GET", path, token, NULL, &answer);
  if (status != 200)
    g_test_message ("pull: %u %s", status, answer);
  g_assert_cmpuint (status, ==, 200);
  pull = crm_test_json_object (answer);
  g_assert_nonnull (pull);
  g_assert_true (json_object_has_member (pull, "changes"));
  return pull;
}

JsonObject *
crm_test_pull_find (JsonObject *pull,
                    const char *id)
{
  JsonArray *changes = json_object_get_array_member (pull, "changes");

  for (guint i = 0; changes && i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (change && g_strcmp0 (json_object_get_string_member_with_default (change, "id", NULL),
                               id) == 0)
        return change;
    }
  return NULL;
}

JsonObject *
crm_test_push_result (JsonObject *push,
                      guint       index)
{
  JsonArray *results = json_object_get_array_member (push, "results");

  g_assert_nonnull (results);
  g_assert_cmpuint (index, <, json_array_get_length (results));
  return json_array_get_object_element (results, index);
}

void
crm_test_server_free (CrmTestServer *s)
{
  if (s == NULL)
    return;
  if (s->process != NULL)
    {
      ExitWait w = { &s->exited, g_get_monotonic_time () + STOP_SECONDS * G_USEC_PER_SEC };

      g_subprocess_send_signal (s->process, SIGTERM);
      crm_test_wait_until (exited_or_late, &w, STOP_SECONDS + 5);
      if (!s->exited)
        {
          g_subprocess_force_exit (s->process);
          crm_test_wait_until (has_exited, &s->exited, STOP_SECONDS);
        }
      reap (s);
    }
  g_clear_object (&s->session);
  crm_test_rm_rf (s->dir);
  if (s->cert_file != NULL)
    {
      g_autofree char *tls_dir = g_path_get_dirname (s->cert_file);

      crm_test_rm_rf (tls_dir);
    }
  g_free (s->exe);
  g_free (s->dir);
  g_free (s->cert_file);
  g_free (s->key_file);
  g_free (s->url);
  g_free (s->database);
  g_string_free (s->out, TRUE);
  g_string_free (s->log, TRUE);
  g_hash_table_unref (s->env);
  g_free (s->today);
  g_mutex_clear (&s->lock);
  g_free (s);
}
