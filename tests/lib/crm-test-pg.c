/* crm-test-pg.c — a throw-away PostgreSQL 15 cluster for the server's tests
 * and benchmarks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why initdb + pg_ctl and not pg_virtualenv: as root, pg_virtualenv makes a
 * system cluster with a fixed name, and two test processes at once collide.
 * Here each test process gets its own folder (g_dir_make_tmp), its own free
 * loopback port and its socket in that folder; as root the folder is given
 * to the `postgres` user and the programs run through `runuser`, since
 * initdb and postgres refuse to run as root. The programs come from
 * PG_BINDIR, else /usr/lib/postgresql/15/bin — never from PATH (a machine
 * may have wrappers of its own there).
 *
 * Durability is off for speed (fsync, synchronous_commit, full_page_writes)
 * unless XIAOHE_CRM_TEST_PG_FAST=0 (the benchmark's setting: figures with
 * the durability a real server has).
 *
 * Clean-up: at exit (atexit) the cluster is stopped (`-m immediate`) and
 * its folder removed. A failed assertion aborts the process, and atexit
 * handlers do not run then: a SIGABRT/SIGTERM handler sends the postmaster
 * SIGQUIT (what `pg_ctl stop -m immediate` sends; kill() is
 * async-signal-safe), so no server keeps running; the folder itself is
 * left, and removed by the next test process: the owner holds an flock on
 * folder/owner while it lives, and crm_test_pg_get removes the folders
 * whose lock it can take. A SIGKILLed test leaks its running cluster until
 * then too (the next one stops it first).
 */
#include "config.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crm-test-pg.h"
#include "crm-test-util.h"

#define DEFAULT_BINDIR "/usr/lib/postgresql/15/bin"
#define FOLDER_PREFIX "crm-test-pg-"
#define START_TRIES 5       /* ports taken meanwhile by someone else */
#define PG_CTL_SECONDS "60"

struct _CrmTestPg
{
  char     *folder;    /* ours: the owner file, the log, the socket */
  char     *data;      /* folder/data: the cluster */
  char     *log;       /* folder/log */
  char     *bindir;
  gboolean  as_postgres;  /* we are root: the programs run as postgres */
  gboolean  fast;
  int       port;
  gboolean  running;
  guint     next_database;
  GMutex    lock;
};

static CrmTestPg *the_pg;
/* the postmaster, for the signal handler: 0 when none runs */
static volatile sig_atomic_t postmaster_pid;

/* ---- running the programs ---- */

static void
print_log (CrmTestPg *pg)
{
  g_autofree char *text = NULL;

  if (pg->log != NULL && g_file_get_contents (pg->log, &text, NULL, NULL))
    g_printerr ("# PostgreSQL's log (%s):\n%s\n", pg->log, text);
}

/* Runs BINDIR/@program ARGS… (as postgres when we are root) and returns
 * TRUE when it exited 0; else its output goes to standard error. */
static gboolean
run_pg (CrmTestPg  *pg,
        const char *program,
        ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  int status = -1;
  va_list args;

  if (pg->as_postgres)
    {
      g_ptr_array_add (argv, g_strdup (g_file_test ("/usr/sbin/runuser", G_FILE_TEST_EXISTS)
                                       ? "/usr/sbin/runuser" : "/sbin/runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (pg->bindir, program, NULL));
  va_start (args, program);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* the folder as working directory: root's may be closed to postgres;
   * the postmaster pg_ctl starts writes to the log, not to our pipes */
  if (!g_spawn_sync (pg->folder, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("cannot run %s: %s", program, error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("# %s failed:\n%s%s\n", program, out ? out : "", err ? err : "");
      return FALSE;
    }
  return TRUE;
}

/* ---- stale clusters of test processes that died ---- */

/* Whether a process owns @folder: it holds an flock on folder/owner for as
 * long as it lives, and the kernel drops it however the process ends
 * (abort and SIGKILL included) — unlike a pid, which may be reused. A
 * folder without the file is being made right now: owned. */
static gboolean
folder_is_owned (const char *folder,
                 int        *fd)
{
  g_autofree char *owner_file = g_build_filename (folder, "owner", NULL);

  *fd = open (owner_file, O_RDONLY | O_CLOEXEC);
  if (*fd < 0)
    return TRUE;
  if (flock (*fd, LOCK_EX | LOCK_NB) == 0)
    return FALSE;
  close (*fd);
  *fd = -1;
  return TRUE;
}

/* the postmaster of the cluster in @folder, if it still runs (its command
 * line names the folder): SIGQUIT, as `pg_ctl stop -m immediate` */
static void
quit_postmaster (const char *folder)
{
  g_autofree char *pid_file = g_build_filename (folder, "data", "postmaster.pid", NULL);
  g_autofree char *pid_text = NULL;
  g_autofree char *cmdline_file = NULL;
  g_autofree char *cmdline = NULL;
  gsize length = 0;
  gint64 pid;

  if (!g_file_get_contents (pid_file, &pid_text, NULL, NULL))
    return;
  pid = g_ascii_strtoll (pid_text, NULL, 10);
  if (pid <= 1)
    return;
  cmdline_file = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
  if (!g_file_get_contents (cmdline_file, &cmdline, &length, NULL))
    return;
  for (gsize i = 0; i + 1 < length; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  if (strstr (cmdline, folder) != NULL)
    kill ((pid_t) pid, SIGQUIT);
}

/* Stops and removes the clusters whose test process is gone. */
static void
remove_stale (void)
{
  g_autoptr (GDir) tmp = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;

  while (tmp != NULL && (name = g_dir_read_name (tmp)) != NULL)
    {
      g_autofree char *folder = NULL;
      int fd = -1;

      if (!g_str_has_prefix (name, FOLDER_PREFIX))
        continue;
      folder = g_build_filename (g_get_tmp_dir (), name, NULL);
      if (folder_is_owned (folder, &fd))
        continue;
      g_test_message ("removing a stale PostgreSQL test cluster: %s", folder);
      quit_postmaster (folder);
      crm_test_rm_rf (folder);
      close (fd);
    }
}

/* folder/owner, locked for the rest of the process's life (never closed):
 * made under another name and renamed, so that no one sees it unlocked */
static void
own_folder (const char *folder)
{
  g_autofree char *making = g_build_filename (folder, "owner.new", NULL);
  g_autofree char *owner_file = g_build_filename (folder, "owner", NULL);
  g_autofree char *text = g_strdup_printf ("%d\n", (int) getpid ());
  int fd = open (making, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  g_assert_cmpint (write (fd, text, strlen (text)), ==, (gssize) strlen (text));
  g_assert_cmpint (g_rename (making, owner_file), ==, 0);
}

/* ---- the cluster ---- */

static int
free_port (void)
{
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int port;

  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &length), ==, 0);
  port = ntohs (address.sin_port);
  close (fd);
  return port;
}

static void
read_postmaster_pid (CrmTestPg *pg)
{
  g_autofree char *path = g_build_filename (pg->data, "postmaster.pid", NULL);
  g_autofree char *text = NULL;

  if (g_file_get_contents (path, &text, NULL, NULL))
    postmaster_pid = (sig_atomic_t) g_ascii_strtoll (text, NULL, 10);
}

/* pg_ctl start on pg->port; FALSE when it did not start */
static gboolean
pg_ctl_start (CrmTestPg *pg)
{
  g_autofree char *options = NULL;

  options = g_strdup_printf ("-p %d -k %s -c listen_addresses=127.0.0.1 "
                             "-c max_connections=200%s",
                             pg->port, pg->folder,
                             pg->fast ? " -c fsync=off -c synchronous_commit=off "
                                        "-c full_page_writes=off" : "");
  if (!run_pg (pg, "pg_ctl", "start", "-w", "-t", PG_CTL_SECONDS, "-D", pg->data,
               "-l", pg->log, "-o", options, NULL))
    return FALSE;
  pg->running = TRUE;
  read_postmaster_pid (pg);
  return TRUE;
}

static gboolean
log_says_port_taken (CrmTestPg *pg)
{
  g_autofree char *text = NULL;

  return g_file_get_contents (pg->log, &text, NULL, NULL)
         && strstr (text, "Address already in use") != NULL;
}

static void
stop_immediately (CrmTestPg *pg)
{
  /* (a folder someone removed meanwhile: its postmaster has gone too) */
  if (pg->running && g_file_test (pg->data, G_FILE_TEST_IS_DIR))
    run_pg (pg, "pg_ctl", "stop", "-m", "immediate", "-w", "-t", PG_CTL_SECONDS,
            "-D", pg->data, NULL);
  pg->running = FALSE;
  postmaster_pid = 0;
}

static void
at_exit (void)
{
  if (the_pg == NULL)
    return;
  stop_immediately (the_pg);
  crm_test_rm_rf (the_pg->folder);
}

/* a failed assertion (abort) or meson's timeout (SIGTERM): no atexit, but
 * the postmaster must not outlive the test; then the default action */
static void
on_fatal_signal (int sig)
{
  if (postmaster_pid > 0)
    kill ((pid_t) postmaster_pid, SIGQUIT);
  postmaster_pid = 0;
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
make_cluster (CrmTestPg *pg)
{
  g_autoptr (GError) error = NULL;
  const char *fast = g_getenv ("XIAOHE_CRM_TEST_PG_FAST");
  const char *bindir = g_getenv ("PG_BINDIR");

  pg->bindir = g_strdup (bindir != NULL && *bindir != '\0' ? bindir : DEFAULT_BINDIR);
  pg->fast = g_strcmp0 (fast, "0") != 0;
  g_mutex_init (&pg->lock);
  remove_stale ();

  pg->folder = g_dir_make_tmp (FOLDER_PREFIX "XXXXXX", &error);
  g_assert_no_error (error);
  own_folder (pg->folder);
  pg->data = g_build_filename (pg->folder, "data", NULL);
  pg->log = g_build_filename (pg->folder, "log", NULL);

  if (geteuid () == 0)
    {
      struct passwd *postgres = getpwnam ("postgres");

      if (postgres == NULL)
        g_error ("running as root, and there is no postgres user to run PostgreSQL as "
                 "(build-aux/install-deps test installs postgresql-15)");
      pg->as_postgres = TRUE;
      g_assert_cmpint (chown (pg->folder, postgres->pw_uid, postgres->pw_gid), ==, 0);
    }

  if (!run_pg (pg, "initdb", "-A", "trust", "-U", "postgres", "-E", "UTF8",
               "--locale=C.UTF-8", "--no-sync", "-D", pg->data, NULL))
    g_error ("initdb failed (PG_BINDIR: %s)", pg->bindir);

  atexit (at_exit);
  signal (SIGABRT, on_fatal_signal);
  signal (SIGTERM, on_fatal_signal);

  /* the port is free when we look, and may be taken before the postmaster
   * binds it: then another one */
  for (guint tries = 0; ; tries++)
    {
      pg->port = free_port ();
      if (pg_ctl_start (pg))
        break;
      if (tries + 1 >= START_TRIES || !log_says_port_taken (pg))
        {
          print_log (pg);
          g_error ("pg_ctl start failed");
        }
    }
}

/**
 * crm_test_pg_get:
 *
 * The process's one cluster, made and started on the first call.
 */
CrmTestPg *
crm_test_pg_get (void)
{
  static GMutex lock;

  g_mutex_lock (&lock);
  if (the_pg == NULL)
    {
      CrmTestPg *pg = g_new0 (CrmTestPg, 1);

      make_cluster (pg);
      the_pg = pg;
    }
  g_mutex_unlock (&lock);
  return the_pg;
}

static PGconn *
connect_or_fail (const char *conninfo)
{
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_printerr ("# cannot connect to %s: %s", conninfo, PQerrorMessage (conn));
      if (the_pg != NULL)
        print_log (the_pg);
      PQfinish (conn);
      g_error ("cannot connect to the test's PostgreSQL");
    }
  return conn;
}

/**
 * crm_test_pg_new_database:
 *
 * A new, empty database (CREATE DATABASE xcrm_N); returns its URL.
 */
char *
crm_test_pg_new_database (CrmTestPg *pg)
{
  g_autofree char *conninfo = NULL;
  g_autofree char *sql = NULL;
  PGconn *conn;
  PGresult *result;
  guint n;

  g_return_val_if_fail (pg != NULL, NULL);
  g_assert_true (pg->running);
  g_mutex_lock (&pg->lock);
  n = ++pg->next_database;
  g_mutex_unlock (&pg->lock);

  conninfo = g_strdup_printf ("postgresql://postgres@127.0.0.1:%d/postgres", pg->port);
  conn = connect_or_fail (conninfo);
  sql = g_strdup_printf ("CREATE DATABASE xcrm_%u", n);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
  return g_strdup_printf ("postgresql://postgres@127.0.0.1:%d/xcrm_%u", pg->port, n);
}

/**
 * crm_test_pg_stop:
 *
 * `pg_ctl stop -m fast`: the server's connections are cut.
 */
void
crm_test_pg_stop (CrmTestPg *pg)
{
  g_return_if_fail (pg != NULL);
  g_assert_true (pg->running);
  if (!run_pg (pg, "pg_ctl", "stop", "-m", "fast", "-w", "-t", PG_CTL_SECONDS,
               "-D", pg->data, NULL))
    {
      print_log (pg);
      g_error ("pg_ctl stop failed");
    }
  pg->running = FALSE;
  postmaster_pid = 0;
}

/**
 * crm_test_pg_start:
 *
 * Starts the stopped cluster again on the same port (the servers' URLs name
 * it); returns once it accepts connections.
 */
void
crm_test_pg_start (CrmTestPg *pg)
{
  g_return_if_fail (pg != NULL);
  g_assert_false (pg->running);
  if (!pg_ctl_start (pg))
    {
      print_log (pg);
      g_error ("pg_ctl start (again, port %d) failed", pg->port);
    }
}

gboolean
crm_test_pg_is_running (CrmTestPg *pg)
{
  g_return_val_if_fail (pg != NULL, FALSE);
  return pg->running;
}

int
crm_test_pg_get_port (CrmTestPg *pg)
{
  g_return_val_if_fail (pg != NULL, 0);
  return pg->port;
}

/**
 * crm_test_pg_query:
 *
 * Runs one statement on the database of @url; the first column of the
 * first row as text, or NULL. A failing statement fails the test.
 */
char *
crm_test_pg_query (const char *url,
                   const char *sql)
{
  PGconn *conn;
  PGresult *result;
  ExecStatusType status;
  char *value = NULL;

  g_return_val_if_fail (url != NULL && sql != NULL, NULL);
  conn = connect_or_fail (url);
  result = PQexec (conn, sql);
  status = PQresultStatus (result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  if (status == PGRES_TUPLES_OK && PQntuples (result) > 0 && PQnfields (result) > 0
      && !PQgetisnull (result, 0, 0))
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return value;
}

void
crm_test_pg_copy_database (const char *url,
                           gboolean    restore)
{
  const char *name = strrchr (url, '/') + 1;
  g_autofree char *admin = g_strdup_printf ("%.*spostgres", (int) (name - url), url);
  g_autofree char *drop = NULL;
  g_autofree char *make = NULL;

  if (restore)
    {
      drop = g_strdup_printf ("DROP DATABASE \"%s\" WITH (FORCE)", name);
      make = g_strdup_printf ("CREATE DATABASE \"%s\" TEMPLATE \"%s_copy\"", name, name);
    }
  else
    {
      drop = g_strdup_printf ("DROP DATABASE IF EXISTS \"%s_copy\"", name);
      make = g_strdup_printf ("CREATE DATABASE \"%s_copy\" TEMPLATE \"%s\"", name, name);
    }
  g_free (crm_test_pg_query (admin, drop));
  g_free (crm_test_pg_query (admin, make));
}

char *
crm_test_pg_dump (const char *url)
{
  return crm_test_pg_query (url,
    "SELECT coalesce (string_agg (query_to_xml (format ('SELECT * FROM %I', table_name),"
    " TRUE, FALSE, '')::text, E'\\n' ORDER BY table_name), '')"
    " FROM information_schema.tables"
    " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
}

char *
crm_test_pg_counts (const char *url)
{
  return crm_test_pg_query (url,
    "SELECT coalesce (string_agg (format ('%s %s', table_name,"
    " (xpath ('/row/c/text()', query_to_xml (format ('SELECT count(*) AS c FROM %I',"
    " table_name), FALSE, TRUE, '')))[1]), '; ' ORDER BY table_name), '')"
    " FROM information_schema.tables"
    " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
}

gboolean
crm_test_pg_wanted (void)
{
  return g_strcmp0 (g_getenv ("XIAOHE_CRM_TEST_BACKEND"), "postgresql") == 0;
}
