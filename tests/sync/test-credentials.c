/* test-credentials.c — the device token in the desktop's keyring: stored,
 * found again, seen by secret-tool, written to no file of ours, replaced
 * rather than doubled, cleared; bad input, a session without a keyring and
 * a locked keyring
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyring tests need build-aux/test-session's throw-away, unlocked
 * gnome-keyring (with its own XDG folders) and skip without one, so that a
 * run on a desktop never touches a person's keyring. The tests of a session
 * without a keyring run anywhere: each in a subprocess pointed at a session
 * bus that does not exist, or at a private bus with no Secret Service; the
 * locked one, at a private bus with a gnome-keyring of its own that cannot
 * prompt (no prompter on that bus), so that it stays locked.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-credentials.h"
#include "crm-test-util.h"

#define COMPANY "acme"
#define USER    "wang"

/* ---- helpers ---- */

static gboolean
have_test_keyring (void)
{
  g_autoptr (GDBusConnection) bus = NULL;
  g_autoptr (GVariant) reply = NULL;
  gboolean owned = FALSE;

  /* the session's own folders: never a person's keyring and home */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL || g_getenv ("XDG_DATA_HOME") == NULL
      || g_getenv ("XDG_CONFIG_HOME") == NULL || g_getenv ("XDG_CACHE_HOME") == NULL)
    return FALSE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  /* owned now: never started by activation here */
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static gboolean
skip_without_keyring (void)
{
  if (have_test_keyring ())
    return FALSE;
  g_test_skip ("no Secret Service of a test session on the bus "
               "(run inside build-aux/test-session)");
  return TRUE;
}

/* a server address and a token no other test uses */
static char *
new_server (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("https://%s.crm.test:8443", uuid);
}

static char *
new_token (void)
{
  g_autofree char *a = g_uuid_string_random ();
  g_autofree char *b = g_uuid_string_random ();

  return g_strdup_printf ("tok-%s-%s", a, b);
}

static GAsyncResult *
wait_for (CrmTestWaiter *waiter)
{
  crm_test_wait_flag (&waiter->done, 60);
  g_assert_nonnull (waiter->result);
  return waiter->result;
}

static gboolean
store (const char  *server,
       const char  *company,
       const char  *user,
       const char  *token,
       GError     **error)
{
  CrmTestWaiter waiter = { FALSE, NULL };
  g_autoptr (GAsyncResult) result = NULL;

  crm_credentials_store_async (server, company, user, token, NULL, crm_test_waiter_done,
                               &waiter);
  result = wait_for (&waiter);
  return crm_credentials_store_finish (result, error);
}

static CrmCredentials *
lookup (const char    *server,
        GCancellable  *cancellable,
        GError       **error)
{
  CrmTestWaiter waiter = { FALSE, NULL };
  g_autoptr (GAsyncResult) result = NULL;

  crm_credentials_lookup_async (server, cancellable, crm_test_waiter_done, &waiter);
  result = wait_for (&waiter);
  return crm_credentials_lookup_finish (result, error);
}

static gboolean
clear (const char  *server,
       GError     **error)
{
  CrmTestWaiter waiter = { FALSE, NULL };
  g_autoptr (GAsyncResult) result = NULL;

  crm_credentials_clear_async (server, NULL, crm_test_waiter_done, &waiter);
  result = wait_for (&waiter);
  return crm_credentials_clear_finish (result, error);
}

/* What `secret-tool search --all xdg:schema co.xiaohe.Crm server SERVER`
 * finds: the number of items; @out_text gets its output (items, labels and
 * secrets on stdout, attributes on stderr). */
static guint
secret_tool_count (const char  *server,
                   char       **out_text)
{
  const char *argv[] = { "secret-tool", "search", "--all", "xdg:schema", "co.xiaohe.Crm",
                         "server", server, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  int status = 0;
  guint items = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  /* secret-tool exits 1 when it finds nothing */
  g_assert_true (g_spawn_check_wait_status (status, NULL) || (*out == '\0' && *err == '\0'));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == '[')
      items++;
  if (out_text != NULL)
    *out_text = g_strconcat (out, err, NULL);
  return items;
}

static void
assert_contains_line (const char *text,
                      const char *line)
{
  g_autofree char *needle = g_strconcat ("\n", line, "\n", NULL);
  g_autofree char *haystack = g_strconcat ("\n", text, "\n", NULL);

  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not in secret-tool's output:\n%s", line, text);
}

static gboolean
bytes_contain (const char *bytes,
               gsize       length,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= length && i <= length - n; i++)
    if (bytes[i] == needle[0] && memcmp (bytes + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Files under @dir (recursively) whose bytes contain @needle, added to
 * @found; @keyring_files counts the files under a "keyrings" folder. */
static void
scan_dir (const char  *dir,
          const char  *needle,
          gboolean     in_keyrings,
          GPtrArray   *found,
          guint       *keyring_files)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;   /* removed meanwhile by another test of the session */
      if (S_ISDIR (st.st_mode))
        {
          scan_dir (path, needle, in_keyrings || g_str_equal (name, "keyrings"), found,
                    keyring_files);
          continue;
        }
      if (!S_ISREG (st.st_mode))
        continue;
      if (in_keyrings)
        (*keyring_files)++;
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      if (bytes_contain (contents, length, needle))
        g_ptr_array_add (found, g_steal_pointer (&path));
      explicit_bzero (contents, length);
    }
}

/* the files of the session's XDG folders holding @needle's bytes */
static GPtrArray *
files_holding (const char *needle,
               guint      *keyring_files)
{
  const char *vars[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  *keyring_files = 0;
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    scan_dir (g_getenv (vars[i]), needle, FALSE, found, keyring_files);
  return found;
}

/* ---- the keyring of the test session ---- */

static void
test_round_trip (void)
{
  g_autofree char *server = new_server ();
  g_autofree char *token = new_token ();
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;
  g_autofree char *decoy = NULL;
  g_autoptr (CrmCredentials) found = NULL;
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (GError) error = NULL;
  guint keyring_files = 0;

  if (skip_without_keyring ())
    return;

  g_assert_null (lookup (server, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (store (server, COMPANY, USER, token, &error));
  g_assert_no_error (error);

  found = lookup (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->company, ==, COMPANY);
  g_assert_cmpstr (found->user, ==, USER);
  g_assert_cmpstr (found->token, ==, token);

  /* another program finds it by the schema, with its attributes and label */
  g_assert_cmpuint (secret_tool_count (server, &text), ==, 1);
  label = g_strdup_printf ("label = Xiaohe CRM sign-in for %s at %s", USER, server);
  assert_contains_line (text, label);
  assert_contains_line (text, "schema = co.xiaohe.Crm");
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf ("attribute.server = %s", server);
  assert_contains_line (text, label);
  assert_contains_line (text, "attribute.company = " COMPANY);
  assert_contains_line (text, "attribute.user = " USER);
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf ("secret = %s", token);
  assert_contains_line (text, label);

  /* the scan finds the token where it is written: a decoy of ours */
  decoy = g_build_filename (g_getenv ("XDG_CACHE_HOME"), "credentials-decoy", NULL);
  g_assert_true (g_file_set_contents (decoy, token, -1, NULL));
  files = files_holding (token, &keyring_files);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, decoy);
  g_assert_cmpint (g_unlink (decoy), ==, 0);
  g_clear_pointer (&files, g_ptr_array_unref);

  /* ... and in no file of the session's folders, the keyring's own
   * (encrypted) files included, which exist */
  files = files_holding (token, &keyring_files);
  for (guint i = 0; i < files->len; i++)
    g_test_message ("the token is in %s", (char *) g_ptr_array_index (files, i));
  g_assert_cmpuint (files->len, ==, 0);
  g_assert_cmpuint (keyring_files, >, 0);

  g_assert_true (clear (server, &error));
  g_assert_no_error (error);
}

static void
test_replace (void)
{
  g_autofree char *server = new_server ();
  g_autofree char *other_server = new_server ();
  g_autofree char *first = new_token ();
  g_autofree char *second = new_token ();
  g_autofree char *third = new_token ();
  g_autofree char *kept = new_token ();
  g_autofree char *text = NULL;
  g_autoptr (CrmCredentials) found = NULL;
  g_autoptr (GError) error = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (store (other_server, COMPANY, USER, kept, &error));
  g_assert_no_error (error);
  g_assert_true (store (server, COMPANY, USER, first, &error));
  g_assert_no_error (error);

  /* the same company and user again: a new token, one item */
  g_assert_true (store (server, COMPANY, USER, second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secret_tool_count (server, &text), ==, 1);
  g_assert_null (strstr (text, first));
  g_clear_pointer (&text, g_free);
  found = lookup (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->token, ==, second);
  g_clear_pointer (&found, crm_credentials_free);

  /* another company and user on the same server: still one item */
  g_assert_true (store (server, "other-co", "li", third, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secret_tool_count (server, &text), ==, 1);
  g_assert_null (strstr (text, second));
  g_assert_nonnull (strstr (text, "attribute.user = li\n"));
  g_clear_pointer (&text, g_free);
  found = lookup (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->company, ==, "other-co");
  g_assert_cmpstr (found->user, ==, "li");
  g_assert_cmpstr (found->token, ==, third);
  g_clear_pointer (&found, crm_credentials_free);

  /* the other server's item was left alone */
  found = lookup (other_server, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->token, ==, kept);

  g_assert_true (clear (server, &error));
  g_assert_no_error (error);
  g_assert_true (clear (other_server, &error));
  g_assert_no_error (error);
}

static void
test_clear (void)
{
  g_autofree char *server = new_server ();
  g_autofree char *other_server = new_server ();
  g_autofree char *token = new_token ();
  g_autofree char *kept = new_token ();
  g_autoptr (CrmCredentials) found = NULL;
  g_autoptr (GError) error = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (store (server, COMPANY, USER, token, &error));
  g_assert_no_error (error);
  g_assert_true (store (other_server, COMPANY, USER, kept, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secret_tool_count (server, NULL), ==, 1);

  g_assert_true (clear (server, &error));
  g_assert_no_error (error);
  g_assert_null (lookup (server, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secret_tool_count (server, NULL), ==, 0);

  /* nothing left to clear is no error */
  g_assert_true (clear (server, &error));
  g_assert_no_error (error);

  /* only that server's item went */
  found = lookup (other_server, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->token, ==, kept);
  g_assert_true (clear (other_server, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (secret_tool_count (other_server, NULL), ==, 0);
}

static void
test_cancelled (void)
{
  g_autofree char *server = new_server ();
  g_autofree char *token = new_token ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (CrmCredentials) found = NULL;
  g_autoptr (GError) error = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (store (server, COMPANY, USER, token, &error));
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  found = lookup (server, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (found);
  g_clear_error (&error);
  g_assert_true (clear (server, &error));
  g_assert_no_error (error);
}

/* ---- bad input: refused before the keyring is asked ---- */

static void
test_invalid (void)
{
  g_autofree char *server = new_server ();
  const char *bad_utf8 = "tok-\xff\xfe-token";
  const char *cases[][4] = {
    { server, "", USER, "tok-1" },
    { server, COMPANY, "", "tok-1" },
    { server, COMPANY, USER, "" },
    { "", COMPANY, USER, "tok-1" },
    { server, COMPANY, USER, bad_utf8 },
    { server, "acme\xc3", USER, "tok-1" },
    { server, COMPANY, USER, NULL },
  };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_false (store (cases[i][0], cases[i][1], cases[i][2], cases[i][3], &error));
      g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_INVALID);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
    }
  g_assert_null (lookup ("", NULL, &error));
  g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (lookup ("https://\xff", NULL, &error));
  g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (clear (NULL, &error));
  g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);

  if (have_test_keyring ())
    g_assert_cmpuint (secret_tool_count (server, NULL), ==, 0);
}

/* ---- sessions without a keyring ---- */

/* each call fails with NO_SERVICE: run in a subprocess whose session bus is
 * set up by the caller */
static void
assert_no_service (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (store ("https://crm.test", COMPANY, USER, "tok-1", &error));
  g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_NO_SERVICE);
  g_test_message ("store: %s", error->message);
  g_clear_error (&error);
  g_assert_null (lookup ("https://crm.test", NULL, &error));
  g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_NO_SERVICE);
  g_clear_error (&error);
  g_assert_false (clear ("https://crm.test", &error));
  g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_NO_SERVICE);
}

/* @data: whether the session has a bus address (where nothing listens) or
 * none at all (and no display to start a bus with) */
static void
test_no_bus (gconstpointer data)
{
  gboolean has_address = GPOINTER_TO_INT (data);

  if (g_test_subprocess ())
    {
      g_autofree char *dir = crm_test_make_tmp_dir ();
      g_autofree char *address = g_strdup_printf ("unix:path=%s/no-bus", dir);

      if (has_address)
        g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      else
        g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      g_setenv ("XDG_RUNTIME_DIR", dir, TRUE);
      assert_no_service ();
      crm_test_rm_rf (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A private bus that can start no service at all, in its own folder; with
 * @keyring, a gnome-keyring of its own on it, unlocked with a password,
 * whose prompts (to unlock) fail for want of a prompter: a keyring that stays
 * locked once locked. The subprocess finds the folder by its parent's pid,
 * so that each process sets its environment before it starts a thread. */
typedef struct
{
  char            *dir;
  char            *address;
  GPid             bus_pid;
  GPid             keyring_pid;
} PrivateSession;

static const char bus_config[] =
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
  "<busconfig>\n"
  "  <type>session</type>\n"
  "  <listen>unix:path=%s/bus</listen>\n"
  "  <auth>EXTERNAL</auth>\n"
  "  <policy context=\"default\">\n"
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
  "    <allow eavesdrop=\"true\"/>\n"
  "    <allow own=\"*\"/>\n"
  "  </policy>\n"
  "</busconfig>\n";

static char *
private_session_dir (GPid parent)
{
  g_autofree char *name = g_strdup_printf ("crm-credentials-bus-%d", (int) parent);

  return g_build_filename (g_get_tmp_dir (), name, NULL);
}

/* in the subprocess: the parent's private bus becomes the session bus */
static void
use_private_session (void)
{
  g_autofree char *dir = private_session_dir (getppid ());
  g_autofree char *address = g_strdup_printf ("unix:path=%s/bus", dir);

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* whether the keyring on @bus has its default collection (made at start
 * from the password it was given) */
static gboolean
keyring_ready (gpointer bus)
{
  g_autoptr (GVariant) reply = NULL;
  const char *path = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"),
                                       G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, NULL);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(&o)", &path);
  return !g_str_equal (path, "/");
}

/* NULL (the test skipped) without dbus-daemon, or gnome-keyring-daemon for
 * @keyring */
static PrivateSession *
private_session_start (gboolean keyring)
{
  g_autofree char *bus_daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config_arg = NULL;
  g_autofree char *socket = NULL;
  g_autoptr (GError) error = NULL;
  PrivateSession *ps;

  if (bus_daemon == NULL || (keyring && keyring_daemon == NULL))
    {
      g_test_skip ("no dbus-daemon or gnome-keyring-daemon");
      return NULL;
    }
  ps = g_new0 (PrivateSession, 1);
  ps->dir = private_session_dir (getpid ());
  crm_test_rm_rf (ps->dir);
  g_assert_cmpint (g_mkdir (ps->dir, 0700), ==, 0);
  config = g_strdup_printf (bus_config, ps->dir);
  config_path = g_build_filename (ps->dir, "bus.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  config_arg = g_strconcat ("--config-file=", config_path, NULL);
  {
    const char *argv[] = { bus_daemon, "--nofork", "--nopidfile", config_arg, NULL };

    g_spawn_async (NULL, (char **) argv, NULL,
                   G_SPAWN_DO_NOT_REAP_CHILD
                   | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                   NULL, NULL, &ps->bus_pid, &error);
  }
  g_assert_no_error (error);
  socket = g_build_filename (ps->dir, "bus", NULL);
  crm_test_wait_until (file_exists, socket, 30);
  ps->address = g_strconcat ("unix:path=", socket, NULL);

  if (keyring)
    {
      const char *argv[] = { keyring_daemon, "--foreground", "--unlock",
                             "--components=secrets", NULL };
      /* its own folders: XDG_DATA_HOME, XDG_RUNTIME_DIR, HOME */
      const char *folders[][2] = {
        { "XDG_DATA_HOME", "data" }, { "XDG_RUNTIME_DIR", "runtime" }, { "HOME", "home" },
      };
      g_auto (GStrv) envp = g_get_environ ();
      g_autoptr (GDBusConnection) bus = NULL;
      int input = -1;

      for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
        {
          g_autofree char *path = g_build_filename (ps->dir, folders[i][1], NULL);

          g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
          envp = g_environ_setenv (envp, folders[i][0], path, TRUE);
        }
      envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", ps->address, TRUE);
      envp = g_environ_unsetenv (envp, "DISPLAY");
      /* not the tests' G_DEBUG: its warning that it cannot prompt is expected */
      envp = g_environ_unsetenv (envp, "G_DEBUG");
      g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                                G_SPAWN_DO_NOT_REAP_CHILD
                                | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &ps->keyring_pid, &input, NULL, NULL, &error);
      g_assert_no_error (error);
      /* the password on its input, then end of file */
      g_assert_cmpint (write (input, "ci", 2), ==, 2);
      close (input);

      bus = g_dbus_connection_new_for_address_sync (
        ps->address,
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
        | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, &error);
      g_assert_no_error (error);
      crm_test_wait_until (keyring_ready, bus, 30);
      g_dbus_connection_close_sync (bus, NULL, NULL);
    }
  return ps;
}

static void
stop_process (GPid pid)
{
  if (pid == 0)
    return;
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

static void
private_session_stop (PrivateSession *ps)
{
  stop_process (ps->keyring_pid);
  stop_process (ps->bus_pid);
  crm_test_rm_rf (ps->dir);
  g_free (ps->dir);
  g_free (ps->address);
  g_free (ps);
}

static void
test_no_service (void)
{
  PrivateSession *ps;

  if (g_test_subprocess ())
    {
      use_private_session ();
      assert_no_service ();
      return;
    }
  ps = private_session_start (FALSE);
  if (ps == NULL)
    return;
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  private_session_stop (ps);
  g_test_trap_assert_passed ();
}

/* locks the session's default collection, as a screen lock would */
static void
lock_keyring (void)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariant) alias = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  const char *collection = NULL;
  const char *prompt = NULL;

  g_assert_nonnull (bus);
  alias = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"),
                                       G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (alias, "(&o)", &collection);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new_parsed ("([%o],)", collection),
                                       G_VARIANT_TYPE ("(aoo)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(@ao&o)", NULL, &prompt);
  g_assert_cmpstr (prompt, ==, "/");   /* locked at once */
}

static void
test_locked (void)
{
  PrivateSession *ps;

  if (g_test_subprocess ())
    {
      g_autoptr (CrmCredentials) found = NULL;
      g_autoptr (GError) error = NULL;

      use_private_session ();
      g_assert_true (store ("https://crm.test", COMPANY, USER, "tok-1", &error));
      g_assert_no_error (error);
      found = lookup ("https://crm.test", NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (found);
      g_assert_cmpstr (found->token, ==, "tok-1");

      lock_keyring ();
      /* the unlock prompt fails: each call says the keyring is locked */
      g_clear_pointer (&found, crm_credentials_free);
      found = lookup ("https://crm.test", NULL, &error);
      g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_LOCKED);
      g_assert_null (found);
      g_test_message ("lookup: %s", error->message);
      g_clear_error (&error);
      g_assert_false (store ("https://crm.test", COMPANY, USER, "tok-2", &error));
      g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_LOCKED);
      g_clear_error (&error);
      g_assert_false (clear ("https://crm.test", &error));
      g_assert_error (error, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_LOCKED);
      return;
    }
  ps = private_session_start (TRUE);
  if (ps == NULL)
    return;
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  private_session_stop (ps);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credentials/round-trip", test_round_trip);
  g_test_add_func ("/credentials/replace", test_replace);
  g_test_add_func ("/credentials/clear", test_clear);
  g_test_add_func ("/credentials/cancelled", test_cancelled);
  g_test_add_func ("/credentials/invalid", test_invalid);
  g_test_add_data_func ("/credentials/no-bus", GINT_TO_POINTER (TRUE), test_no_bus);
  g_test_add_data_func ("/credentials/no-bus-address", GINT_TO_POINTER (FALSE), test_no_bus);
  g_test_add_func ("/credentials/no-service", test_no_service);
  g_test_add_func ("/credentials/locked", test_locked);

  return g_test_run ();
}
