/* crm-server-commands.c — the command line of xiaohe-crm-server (a
 * contract: DESIGN.md, "Sync protocol (v1)"; docs/server.md) and the
 * retention job `serve` runs
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `xiaohe-crm-server COMMAND DIR …`. Exit status 0; 1 with a translated
 * message on standard error; 2 for a usage error, with the usage. A
 * password is read by crm_server_auth_read_password () (standard input or a
 * prompt), never taken from argv, where `ps` would show it. The HTTP part
 * of `serve` is crm-server-http.c. `--database URL`, taken by every command,
 * keeps the data in that PostgreSQL database instead of DIR/server.sqlite3;
 * `init` writes it to DIR/config, so later commands on DIR find it alone.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "crm-server-auth.h"
#include "crm-server-commands.h"
#include "crm-server-http.h"
#include "crm-server-pg.h"
#include "crm-server-sqlite.h"
#include "crm-server-sync.h"

#define EXIT_USAGE        2
#define MAX_SLUG          40
#define MAX_NAME          200       /* characters of a company, user or notice title */
#define MAX_NOTICE_BODY   (64 * 1024)
#define MIN_PASSWORD      8
#define PURGE_AFTER_MONTHS 3
#define PURGE_INTERVAL    (6 * 60 * 60)  /* seconds between two runs while serving */
#define EXPORT_PAGE       1000
#define MAX_IDLE_TIMEOUT  (24 * 60 * 60)  /* serve --idle-timeout, in seconds */

typedef int (*CommandFunc) (int argc, char **argv);

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n", _("Usage:"));
  fprintf (stream, "  xiaohe-crm-server init DIR\n"
                   "  xiaohe-crm-server add-company DIR SLUG NAME\n"
                   "  xiaohe-crm-server add-user DIR SLUG USER\n"
                   "  xiaohe-crm-server serve DIR [--listen HOST:PORT] "
                   "[--tls-cert FILE --tls-key FILE] [--idle-timeout SECONDS]\n"
                   "  xiaohe-crm-server certify DIR SLUG (--approve | --reject REASON)\n"
                   "  xiaohe-crm-server notice DIR --kind pricing|terms --title T "
                   "--body-file F --effective YYYY-MM-DD [--terms-version V]\n"
                   "  xiaohe-crm-server expire DIR SLUG YYYY-MM-DD\n"
                   "  xiaohe-crm-server export-company DIR SLUG OUT\n\n");
  fprintf (stream, "%s\n", _("Every command also takes --database postgresql://…: the data "
                             "is then in that PostgreSQL database, not in DIR "
                             "(init remembers it in DIR/config)."));
  fprintf (stream, "\n%s\n", _("Commands:"));
  fprintf (stream, "  init            %s\n", _("Make a new server directory"));
  fprintf (stream, "  add-company     %s\n", _("Add a company (SLUG: a-z, 0-9 and -)"));
  fprintf (stream, "  add-user        %s\n",
           _("Add a user; the password is read from standard input or a prompt"));
  fprintf (stream, "  serve           %s\n",
           _("Serve the sync protocol (plain HTTP on a loopback address only)"));
  fprintf (stream, "  certify         %s\n", _("Approve or reject a submitted certification"));
  fprintf (stream, "  notice          %s\n", _("Publish a pricing or terms notice"));
  fprintf (stream, "  expire          %s\n",
           _("Set the end of a paid account (its data is purged three months later)"));
  fprintf (stream, "  export-company  %s\n", _("Write a company's data to one JSON file"));
}

static int
usage_error (const char *message)
{
  if (message != NULL)
    g_printerr ("xiaohe-crm-server: %s\n", message);
  print_usage (stderr);
  return EXIT_USAGE;
}

static int
fail (const GError *error)
{
  /* a storage that fails without saying why still gets a message */
  g_printerr ("xiaohe-crm-server: %s\n",
              error != NULL ? error->message : _("The server's storage failed"));
  return 1;
}

static int
fail_message (const char *message)
{
  g_printerr ("xiaohe-crm-server: %s\n", message);
  return 1;
}

/* the positional arguments after the command: exactly @n, and no option */
static gboolean
check_args (int    argc,
            char **argv,
            int    n)
{
  if (argc != n + 2)
    return FALSE;
  for (int i = 2; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1] == '-')
      return FALSE;
  return TRUE;
}

static gboolean
is_slug (const char *slug)
{
  gsize n = strlen (slug);

  if (n == 0 || n > MAX_SLUG)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_islower (slug[i]) && !g_ascii_isdigit (slug[i]) && slug[i] != '-')
      return FALSE;
  return TRUE;
}

/* printable UTF-8 text of 1 to @max characters, not only spaces */
static gboolean
is_name (const char *text,
         glong       max)
{
  g_autofree char *trimmed = NULL;

  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > max)
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  trimmed = g_strstrip (g_strdup (text));
  return *trimmed != '\0';
}

/* a date as YYYY-MM-DD, strictly; its GDate in @date when wanted */
static gboolean
parse_date (const char *text,
            GDate      *date)
{
  int y, m, d;
  char end;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-'
      || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3)
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  if (y < 1 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  if (date != NULL)
    {
      g_date_clear (date, 1);
      g_date_set_dmy (date, d, m, y);
    }
  return TRUE;
}

static gboolean
is_date (const char *text)
{
  return parse_date (text, NULL);
}

/* the same day @months after @date (YYYY-MM-DD; the month's last day when
 * it has no such day), or NULL when @date is not a date */
static char *
months_after (const char *date,
              guint       months)
{
  GDate when;

  if (!parse_date (date, &when))
    return NULL;
  g_date_add_months (&when, months);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&when), g_date_get_month (&when),
                          g_date_get_day (&when));
}

/* the date set by the hidden --today option (tests), or NULL */
static char *fixed_today;

/**
 * crm_server_today:
 *
 * See crm-server-commands.h.
 */
char *
crm_server_today (void)
{
  g_autoptr (GDateTime) now = NULL;

  if (fixed_today != NULL)
    return g_strdup (fixed_today);
  now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%d");
}

/* --today YYYY-MM-DD: the server's clock for a test; never for real use */
static gboolean
set_today (const char  *text,
           GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (!is_date (text))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--today is a date, YYYY-MM-DD"));
      return FALSE;
    }
  g_free (fixed_today);
  fixed_today = g_strdup (text);
  return TRUE;
}

/* `--database URL` (every command takes it), or NULL */
static char *database_option;

/* The storage of a server directory made by `init`. An empty
 * server.sqlite3 (truncated, or zeroed by a failing disk) would otherwise
 * be opened as a new, empty storage: the server would run, having silently
 * lost every company. With --database, DIR only keeps the epoch guard: it
 * is made when missing. */
static CrmServerStorage *
open_storage (const char  *dir,
              GError     **error)
{
  g_autofree char *db = g_build_filename (dir, CRM_SERVER_SQLITE_FILE, NULL);
  GStatBuf st;

  if (database_option != NULL)
    {
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                       _("Cannot make %s: %s"), dir, g_strerror (saved));
          return NULL;
        }
      return crm_server_storage_open_database (dir, database_option, FALSE, error);
    }
  if (g_stat (db, &st) == 0 && S_ISREG (st.st_mode) && st.st_size == 0)
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   _("%s is empty: its data is lost; restore it from a backup "
                     "(docs/server.md, “Backups and restores”)"), db);
      return NULL;
    }
  return crm_server_storage_open (dir, FALSE, error);
}

/* the company named by @slug, or NULL with a message printed */
static CrmServerCompany *
find_company (CrmServerStorage *storage,
              const char       *slug)
{
  g_autoptr (GError) error = NULL;
  CrmServerCompany *company = NULL;

  if (is_slug (slug))
    company = crm_server_storage_find_company (storage, slug, &error);
  if (company != NULL && g_strcmp0 (company->slug, slug) == 0)
    return company;
  crm_server_company_free (company);
  if (error != NULL
      && !g_error_matches (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_NOT_FOUND))
    fail (error);
  else
    {
      g_autofree char *message = g_strdup_printf (_("No company “%s”"), slug);
      fail_message (message);
    }
  return NULL;
}

/* init DIR [--database URL] */
static int
command_init (int    argc,
              char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autofree char *db = NULL;
  g_autofree char *config = NULL;
  g_autofree char *configured = NULL;
  const char *dir;

  if (!check_args (argc, argv, 1))
    return usage_error (NULL);
  dir = argv[2];
  db = g_build_filename (dir, CRM_SERVER_SQLITE_FILE, NULL);
  config = g_build_filename (dir, "config", NULL);
  if (g_file_test (dir, G_FILE_TEST_EXISTS) && !g_file_test (db, G_FILE_TEST_EXISTS)
      && !g_file_test (config, G_FILE_TEST_EXISTS))
    {
      g_autoptr (GDir) listing = g_dir_open (dir, 0, &error);

      if (listing == NULL)
        return fail (error);
      if (g_dir_read_name (listing) != NULL)
        {
          g_autofree char *message = g_strdup_printf (
            _("%s is not empty and is not a server directory: nothing was changed"), dir);
          return fail_message (message);
        }
    }
  /* one directory, one storage: never the SQLite file beside a database */
  if (database_option != NULL && g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (
        _("%s already keeps its data in SQLite: nothing was changed"), dir);
      return fail_message (message);
    }
  configured = crm_server_storage_read_config (dir, &error);
  if (error != NULL)
    return fail (error);
  if (configured != NULL && g_strcmp0 (configured, database_option) != 0)
    {
      g_autofree char *message = g_strdup_printf (
        _("%s already names another database (in %s): nothing was changed"), dir, config);
      return fail_message (message);
    }
  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved = errno;
      g_autofree char *message = g_strdup_printf (_("Cannot make %s: %s"), dir,
                                                  g_strerror (saved));
      return fail_message (message);
    }
  storage = crm_server_storage_open_database (dir, database_option, TRUE, &error);
  if (storage == NULL
      || (database_option != NULL
          && !crm_server_storage_write_config (dir, database_option, &error))
      || !crm_server_sync_check_epoch (storage, dir, &error))
    return fail (error);
  g_print (_("The server directory %s is ready\n"), dir);
  return 0;
}

/* add-company DIR SLUG NAME */
static int
command_add_company (int    argc,
                     char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autoptr (CrmServerCompany) company = NULL;

  if (!check_args (argc, argv, 3))
    return usage_error (NULL);
  if (!is_slug (argv[3]))
    return usage_error (_("A company's SLUG is 1 to 40 of a-z, 0-9 and -"));
  /* a company is found by its slug or its id: never one for the other */
  if (crm_wire_is_uuid (argv[3]))
    return usage_error (_("A company's SLUG cannot have the form of an id"));
  if (!is_name (argv[4], MAX_NAME))
    return usage_error (_("A company's NAME is text of 1 to 200 characters"));
  storage = open_storage (argv[2], &error);
  if (storage == NULL)
    return fail (error);
  company = crm_server_storage_add_company (storage, argv[3], argv[4], &error);
  if (company == NULL)
    return fail (error);
  g_print (_("Added the company %s (%s)\n"), company->slug, company->id);
  return 0;
}

/* add-user DIR SLUG USER */
static int
command_add_user (int    argc,
                  char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autoptr (CrmServerCompany) company = NULL;
  g_autoptr (CrmServerUser) existing = NULL;
  g_autoptr (CrmServerUser) user = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *hash = NULL;
  char *password;

  if (!check_args (argc, argv, 3))
    return usage_error (NULL);
  if (!is_name (argv[4], MAX_NAME))
    return usage_error (_("A USER name is text of 1 to 200 characters"));
  storage = open_storage (argv[2], &error);
  if (storage == NULL)
    return fail (error);
  company = find_company (storage, argv[3]);
  if (company == NULL)
    return 1;
  existing = crm_server_storage_find_user (storage, company->id, argv[4], NULL);
  if (existing != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("A user named “%s” exists already"),
                                                  argv[4]);
      return fail_message (message);
    }
  if (!crm_server_auth_init ())
    return fail_message (_("Cannot start the cryptography library"));

  prompt = g_strdup_printf (_("Password for %s: "), argv[4]);
  password = crm_server_auth_read_password (prompt, &error);
  if (password == NULL)
    return fail (error);
  if (*password == '\0' || g_utf8_strlen (password, -1) < MIN_PASSWORD)
    {
      crm_server_auth_free_password (password);
      return fail_message (_("The password must have at least 8 characters: "
                             "nothing was changed"));
    }
  hash = crm_server_auth_hash_password (password, &error);
  crm_server_auth_free_password (password);
  if (hash == NULL)
    return fail (error);
  user = crm_server_storage_add_user (storage, company->id, argv[4], hash, &error);
  if (user == NULL)
    return fail (error);
  g_print (_("Added the user %s to %s\n"), user->name, company->slug);
  return 0;
}

static gboolean
purge_source (gpointer data)
{
  CrmServerStorage *storage = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *today = crm_server_today ();

  if (crm_server_purge_expired (storage, today, &error) < 0)
    g_warning ("The purge of expired accounts failed: %s", error->message);
  return G_SOURCE_CONTINUE;
}

/* serve DIR [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE]
 * [--idle-timeout SECONDS] */
static int
command_serve (int    argc,
               char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *today = NULL;
  int idle_timeout = -1;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, NULL, "HOST:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, NULL, "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, NULL, "FILE" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout, NULL, "SECONDS" },
    { "today", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &today, NULL, "YYYY-MM-DD" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerStorage) storage = NULL;
  CrmServerHttpOptions options = { 0 };
  guint purge_id;
  int status;

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (!check_args (argc, argv, 1))
    return usage_error (NULL);
  if ((tls_cert == NULL) != (tls_key == NULL))
    return usage_error (_("--tls-cert and --tls-key go together"));
  if (idle_timeout != -1 && (idle_timeout < 1 || idle_timeout > MAX_IDLE_TIMEOUT))
    return usage_error (_("--idle-timeout is a number of seconds from 1 to 86400"));
  if (!set_today (today, &error))
    return usage_error (error->message);

  storage = open_storage (argv[2], &error);
  if (storage == NULL || !crm_server_sync_check_epoch (storage, argv[2], &error))
    return fail (error);
  if (CRM_IS_SERVER_PG (storage))
    {
      /* where the data is, never the URL (it may hold a password) */
      g_autofree char *where = crm_server_pg_describe (CRM_SERVER_PG (storage));

      g_printerr (_("The data is in PostgreSQL: %s\n"), where);
    }
  purge_source (storage);
  purge_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, PURGE_INTERVAL, purge_source,
                                         g_object_ref (storage), g_object_unref);

  options.dir = argv[2];
  options.listen = listen;
  options.tls_cert = tls_cert;
  options.tls_key = tls_key;
  options.idle_timeout = idle_timeout > 0 ? (guint) idle_timeout : 0;
  /* the HTTP front takes the storage's reference (it closes it at the end) */
  status = crm_server_http_serve (g_steal_pointer (&storage), &options);
  g_source_remove (purge_id);
  return status;
}

/* certify DIR SLUG (--approve | --reject REASON) */
static int
command_certify (int    argc,
                 char **argv)
{
  gboolean approve = FALSE;
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "approve", 0, 0, G_OPTION_ARG_NONE, &approve, NULL, NULL },
    { "reject", 0, 0, G_OPTION_ARG_STRING, &reason, NULL, "REASON" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autoptr (CrmServerCompany) company = NULL;

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (!check_args (argc, argv, 2) || approve == (reason != NULL))
    return usage_error (NULL);

  storage = open_storage (argv[2], &error);
  if (storage == NULL)
    return fail (error);
  company = find_company (storage, argv[3]);
  if (company == NULL)
    return 1;
  if (!crm_server_certify (storage, argv[2], company->id, approve, reason, &error))
    return fail (error);
  if (approve)
    g_print (_("The certification of %s is approved\n"), company->slug);
  else
    g_print (_("The certification of %s is rejected\n"), company->slug);
  return 0;
}

/* the text of a notice's body file: UTF-8, at most MAX_NOTICE_BODY bytes */
static char *
read_body (const char  *path,
           GError     **error)
{
  g_autofree char *text = NULL;
  GStatBuf st;
  gsize length = 0;

  if (g_stat (path, &st) == 0 && st.st_size > MAX_NOTICE_BODY)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("%s is over %d KiB"), path, MAX_NOTICE_BODY / 1024);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  if (length > MAX_NOTICE_BODY)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("%s is over %d KiB"), path, MAX_NOTICE_BODY / 1024);
      return NULL;
    }
  if (!g_utf8_validate_len (text, length, NULL) || length == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s is not UTF-8 text"), path);
      return NULL;
    }
  return g_steal_pointer (&text);
}

/* notice DIR --kind pricing|terms --title T --body-file F --effective
 * YYYY-MM-DD [--terms-version V] */
static int
command_notice (int    argc,
                char **argv)
{
  g_autofree char *kind = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *effective = NULL;
  g_autofree char *terms_version = NULL;
  g_autofree char *today = NULL;
  g_autofree char *published = NULL;
  g_autofree char *earliest = NULL;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, NULL, "pricing|terms" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, NULL, "T" },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &body_file, NULL, "F" },
    { "effective", 0, 0, G_OPTION_ARG_STRING, &effective, NULL, "YYYY-MM-DD" },
    { "terms-version", 0, 0, G_OPTION_ARG_STRING, &terms_version, NULL, "V" },
    { "today", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &today, NULL, "YYYY-MM-DD" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerStorage) storage = NULL;
  CrmServerNotice notice = { 0 };
  g_autofree char *body = NULL;

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (!check_args (argc, argv, 1) || kind == NULL || title == NULL || body_file == NULL
      || effective == NULL)
    return usage_error (NULL);
  if (g_strcmp0 (kind, "pricing") != 0 && g_strcmp0 (kind, "terms") != 0)
    return usage_error (_("--kind is pricing or terms"));
  if (!is_name (title, MAX_NAME))
    return usage_error (_("--title is text of 1 to 200 characters"));
  if (!is_date (effective))
    return usage_error (_("--effective is a date, YYYY-MM-DD"));
  if (terms_version != NULL && !is_name (terms_version, MAX_SLUG))
    return usage_error (_("--terms-version is text of 1 to 40 characters"));
  if (!set_today (today, &error))
    return usage_error (error->message);
  /* terms §6.2: a pricing change is announced one month before it applies */
  published = crm_server_today ();
  earliest = months_after (published, 1);
  if (g_strcmp0 (kind, "pricing") == 0 && strcmp (effective, earliest) < 0)
    {
      g_autofree char *message = g_strdup_printf (
        _("A pricing change takes effect one month after it is announced at the earliest: "
          "published today, on %s or later"), earliest);
      return fail_message (message);
    }

  body = read_body (body_file, &error);
  if (body == NULL)
    return fail (error);
  storage = open_storage (argv[2], &error);
  if (storage == NULL)
    return fail (error);
  notice.kind = kind;
  notice.title = title;
  notice.body = body;
  notice.effective_at = effective;
  notice.terms_version = terms_version;
  if (!crm_server_storage_add_notice (storage, &notice, &error))
    return fail (error);
  g_print (_("Published the notice “%s”\n"), title);
  return 0;
}

/* expire DIR SLUG YYYY-MM-DD */
static int
command_expire (int    argc,
                char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autoptr (CrmServerCompany) company = NULL;

  if (!check_args (argc, argv, 3))
    return usage_error (NULL);
  if (!is_date (argv[4]))
    return usage_error (_("The end of the account is a date, YYYY-MM-DD"));
  storage = open_storage (argv[2], &error);
  if (storage == NULL)
    return fail (error);
  company = find_company (storage, argv[3]);
  if (company == NULL)
    return 1;
  if (!crm_server_storage_set_expiry (storage, company->id, argv[4], &error))
    return fail (error);
  g_print (_("The paid account of %s ends on %s\n"), company->slug, argv[4]);
  return 0;
}

static JsonNode *
parse_json (const char  *text,
            GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  return json_parser_steal_root (parser);
}

/* the export's JSON: company, user names, every record, the blobs */
static JsonNode *
build_export (CrmServerStorage        *storage,
              const CrmServerCompany  *company,
              GError                 **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GPtrArray) blobs = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *exported_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  gint64 cursor = 0;

  users = crm_server_storage_list_users (storage, company->id, error);
  if (users == NULL)
    return NULL;
  blobs = crm_server_storage_list_blobs (storage, company->id, error);
  if (blobs == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "xiaohe-crm-server-export");
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "exported_at");
  json_builder_add_string_value (builder, exported_at);

  json_builder_set_member_name (builder, "company");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, company->id);
  json_builder_set_member_name (builder, "slug");
  json_builder_add_string_value (builder, company->slug);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, company->name);
  json_builder_set_member_name (builder, "expires_on");
  if (company->expires_on != NULL)
    json_builder_add_string_value (builder, company->expires_on);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, company->seq);
  json_builder_end_object (builder);

  /* names only: never a password hash */
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len; i++)
    json_builder_add_string_value (builder, ((CrmServerUser *) users->pdata[i])->name);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (;;)
    {
      g_autoptr (GPtrArray) page = crm_server_storage_pull (storage, company->id, cursor,
                                                            EXPORT_PAGE, error);
      if (page == NULL)
        return NULL;
      for (guint i = 0; i < page->len; i++)
        {
          const CrmServerRecord *record = page->pdata[i];
          JsonNode *fields = parse_json (record->fields_json, error);

          if (fields == NULL)
            return NULL;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, record->kind);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, record->id);
          json_builder_set_member_name (builder, "version");
          json_builder_add_int_value (builder, record->version);
          json_builder_set_member_name (builder, "deleted");
          json_builder_add_boolean_value (builder, record->deleted);
          json_builder_set_member_name (builder, "fields");
          json_builder_add_value (builder, fields);
          json_builder_set_member_name (builder, "updated_by");
          json_builder_add_string_value (builder, record->updated_by ? record->updated_by : "");
          json_builder_set_member_name (builder, "updated_at");
          json_builder_add_string_value (builder, record->updated_at);
          json_builder_end_object (builder);
          cursor = record->version;
        }
      if (page->len < EXPORT_PAGE)
        break;
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "blobs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < blobs->len; i++)
    {
      g_autoptr (GBytes) data = crm_server_storage_get_blob (storage, company->id,
                                                             blobs->pdata[i], error);
      g_autofree char *base64 = NULL;
      gsize size;
      const guchar *bytes;

      if (data == NULL)
        return NULL;
      bytes = g_bytes_get_data (data, &size);
      base64 = g_base64_encode (bytes, size);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, blobs->pdata[i]);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, size);
      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, base64);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* export-company DIR SLUG OUT */
static int
command_export_company (int    argc,
                        char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmServerStorage) storage = NULL;
  g_autoptr (CrmServerCompany) company = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GFile) out = NULL;
  g_autoptr (GFileOutputStream) stream = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!check_args (argc, argv, 3))
    return usage_error (NULL);
  storage = open_storage (argv[2], &error);
  if (storage == NULL)
    return fail (error);
  company = find_company (storage, argv[3]);
  if (company == NULL)
    return 1;
  root = build_export (storage, company, &error);
  if (root == NULL)
    return fail (error);
  text = json_to_string (root, TRUE);
  length = strlen (text);

  out = g_file_new_for_path (argv[4]);
  /* never over an existing file */
  stream = g_file_create (out, G_FILE_CREATE_PRIVATE, NULL, &error);
  if (stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_autofree char *message = g_strdup_printf (
            _("%s exists already: nothing was written"), argv[4]);
          return fail_message (message);
        }
      return fail (error);
    }
  if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), text, length, NULL, NULL, &error)
      || !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
    {
      g_file_delete (out, NULL, NULL);
      return fail (error);
    }
  g_print (_("Exported %s to %s\n"), company->slug, argv[4]);
  return 0;
}

static const struct
{
  const char  *name;
  CommandFunc  run;
} commands[] = {
  { "init", command_init },
  { "add-company", command_add_company },
  { "add-user", command_add_user },
  { "serve", command_serve },
  { "certify", command_certify },
  { "notice", command_notice },
  { "expire", command_expire },
  { "export-company", command_export_company },
};

/**
 * crm_server_main:
 *
 * See crm-server-commands.h.
 */
int
crm_server_main (int    argc,
                 char **argv)
{
  int kept = 1;

  /* --database URL / --database=URL, wherever it is, for every command */
  for (int i = 1; i < argc; i++)
    {
      const char *value = NULL;

      if (g_strcmp0 (argv[i], "--database") == 0)
        {
          if (i + 1 >= argc)
            return usage_error (_("--database needs a URL: postgresql://…"));
          value = argv[++i];
        }
      else if (g_str_has_prefix (argv[i], "--database="))
        value = argv[i] + strlen ("--database=");
      else
        {
          argv[kept++] = argv[i];
          continue;
        }
      if (!crm_server_storage_is_postgresql (value))
        return usage_error (_("The database must be a PostgreSQL URL: postgresql://…"));
      g_free (database_option);
      database_option = g_strdup (value);
    }
  argc = kept;
  argv[argc] = NULL;

  if (argc < 2)
    return usage_error (NULL);
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--help") == 0 || g_strcmp0 (argv[i], "-h") == 0)
      {
        print_usage (stdout);
        return 0;
      }
  if (g_strcmp0 (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[1], commands[i].name) == 0)
      return commands[i].run (argc, argv);
  {
    g_autofree char *message = g_strdup_printf (_("Unknown command “%s”"), argv[1]);
    return usage_error (message);
  }
}

/* whether the last day of data kept for an account that ended on
 * @expires_on has passed */
static gboolean
purge_due (const char *expires_on,
           const char *today)
{
  g_autofree char *due = months_after (expires_on, PURGE_AFTER_MONTHS);

  return due != NULL && strcmp (today, due) > 0;
}

/**
 * crm_server_purge_expired:
 *
 * See crm-server-commands.h. The data of a company is kept for three
 * months after its paid account ended (export-company still works), and
 * goes, company and users included, the day after.
 */
int
crm_server_purge_expired (CrmServerStorage  *storage,
                          const char        *today,
                          GError           **error)
{
  g_autoptr (GPtrArray) companies = NULL;
  int purged = 0;

  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (storage), -1);
  g_return_val_if_fail (today != NULL, -1);

  companies = crm_server_storage_list_companies (storage, error);
  if (companies == NULL)
    return -1;
  for (guint i = 0; i < companies->len; i++)
    {
      const CrmServerCompany *company = companies->pdata[i];

      if (!purge_due (company->expires_on, today))
        continue;
      if (!crm_server_storage_purge_company (storage, company->id, error))
        return -1;
      g_message ("Purged the data of %s: its account ended on %s", company->slug,
                 company->expires_on);
      purged++;
    }
  return purged;
}

/**
 * crm_server_company_expired:
 *
 * See crm-server-commands.h. expires_on is the first day without the paid
 * service: on that day the account has ended.
 */
gboolean
crm_server_company_expired (const CrmServerCompany *company,
                            const char             *today)
{
  g_return_val_if_fail (company != NULL && today != NULL, FALSE);

  return company->expires_on != NULL && strcmp (today, company->expires_on) >= 0;
}
