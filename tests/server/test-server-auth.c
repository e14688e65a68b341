/* test-server-auth.c — the server's passwords, tokens, password input and
 * login throttle (crm-server-auth.c), called directly
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The throttle takes the time as an argument, so its window is tested to
 * the second without waiting. The password input is fed through a pipe in
 * place of standard input.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "crm-server-auth.h"

static void
test_password_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = crm_server_auth_hash_password ("correct horse 9", &error);
  g_autofree char *other = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "correct horse"));
  g_assert_true (crm_server_auth_verify_password (hash, "correct horse 9"));
  g_assert_false (crm_server_auth_verify_password (hash, "correct horse 8"));
  g_assert_false (crm_server_auth_verify_password (hash, ""));
  g_assert_false (crm_server_auth_verify_password ("not a hash", "correct horse 9"));
  g_assert_false (crm_server_auth_verify_password (NULL, "correct horse 9"));

  /* salted: the same password twice gives two hashes */
  other = crm_server_auth_hash_password ("correct horse 9", &error);
  g_assert_cmpstr (hash, !=, other);
}

static void
test_tokens (void)
{
  g_autofree char *hash = NULL;
  g_autofree char *token = crm_server_auth_new_token (&hash);
  g_autofree char *again = NULL;
  g_autofree char *other = NULL;

  /* 32 bytes, base64url without padding: 43 characters */
  g_assert_cmpuint (strlen (token), ==, 43);
  for (const char *p = token; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');

  /* the stored hash is the SHA-256 of the token, and only it matches */
  again = crm_server_auth_hash_token (token);
  g_assert_cmpstr (hash, ==, again);
  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_null (strstr (hash, token));

  other = crm_server_auth_new_token (NULL);
  g_assert_cmpstr (token, !=, other);
}

/* crm_server_auth_read_password () with @input on standard input */
static char *
read_password_from (const char  *input,
                    gsize        length,
                    GError     **error)
{
  int fds[2];
  int saved = dup (STDIN_FILENO);
  char *password;

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], input, length), ==, (gssize) length);
  close (fds[1]);
  g_assert_cmpint (dup2 (fds[0], STDIN_FILENO), ==, STDIN_FILENO);
  close (fds[0]);

  password = crm_server_auth_read_password ("Password: ", error);

  g_assert_cmpint (dup2 (saved, STDIN_FILENO), ==, STDIN_FILENO);
  close (saved);
  return password;
}

static void
test_read_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_line = NULL;
  char *password;

  password = read_password_from ("s3cret pass\nnext line\n", 22, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "s3cret pass");
  crm_server_auth_free_password (password);

  password = read_password_from ("密码 with CRLF\r\n", strlen ("密码 with CRLF\r\n"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "密码 with CRLF");
  crm_server_auth_free_password (password);

  /* no newline at the end of the input: the line is what there is */
  password = read_password_from ("no newline", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "no newline");
  crm_server_auth_free_password (password);

  /* nothing at all */
  password = read_password_from ("", 0, &error);
  g_assert_null (password);
  g_assert_error (error, CRM_SERVER_AUTH_ERROR, CRM_SERVER_AUTH_ERROR_PASSWORD);
  g_clear_error (&error);

  /* a NUL byte */
  password = read_password_from ("abc\0def\n", 8, &error);
  g_assert_null (password);
  g_assert_error (error, CRM_SERVER_AUTH_ERROR, CRM_SERVER_AUTH_ERROR_PASSWORD);
  g_clear_error (&error);

  /* 1 KiB is the most; one byte more is refused */
  long_line = g_strnfill (1024, 'x');
  password = read_password_from (long_line, 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (password), ==, 1024);
  crm_server_auth_free_password (password);
  g_free (long_line);
  long_line = g_strnfill (1025, 'x');
  password = read_password_from (long_line, 1025, &error);
  g_assert_null (password);
  g_assert_error (error, CRM_SERVER_AUTH_ERROR, CRM_SERVER_AUTH_ERROR_PASSWORD);
}

static void
test_throttle_user (void)
{
  g_autoptr(CrmServerThrottle) t = crm_server_throttle_new ();
  const gint64 t0 = 1000000;
  const gint64 t1 = t0 + 2 * CRM_SERVER_THROTTLE_WINDOW;

  /* 5 failures for one user within the window: the 6th try waits until
   * the first failure leaves the window, the right password included */
  for (int i = 0; i < CRM_SERVER_THROTTLE_PER_USER; i++)
    {
      g_assert_cmpuint (crm_server_throttle_check (t, "acme/wang", "10.0.0.1", t0 + i), ==, 0);
      crm_server_throttle_failed (t, "acme/wang", "10.0.0.1", t0 + i);
    }
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/wang", "10.0.0.1", t0 + 10), ==,
                    CRM_SERVER_THROTTLE_WINDOW - 10);
  /* from another address too: the count is the user's */
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/wang", "10.0.0.2", t0 + 10), >, 0);
  /* another user from the same address is not throttled */
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/li", "10.0.0.1", t0 + 10), ==, 0);

  /* one second before the first failure leaves: still 1 s; then free */
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/wang", "10.0.0.1",
                                               t0 + CRM_SERVER_THROTTLE_WINDOW - 1), ==, 1);
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/wang", "10.0.0.1",
                                               t0 + CRM_SERVER_THROTTLE_WINDOW), ==, 0);

  /* a success clears the user's count */
  for (int i = 0; i < CRM_SERVER_THROTTLE_PER_USER; i++)
    crm_server_throttle_failed (t, "acme/wang", "10.0.0.1", t1);
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/wang", "10.0.0.1", t1 + 1), >, 0);
  crm_server_throttle_succeeded (t, "acme/wang");
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/wang", "10.0.0.1", t1 + 1), ==, 0);
}

static void
test_throttle_address (void)
{
  g_autoptr(CrmServerThrottle) t = crm_server_throttle_new ();
  const gint64 t0 = 5000;

  /* 20 failures from one address, each for another user */
  for (int i = 0; i < CRM_SERVER_THROTTLE_PER_ADDRESS; i++)
    {
      g_autofree char *user = g_strdup_printf ("acme/user%d", i);

      g_assert_cmpuint (crm_server_throttle_check (t, user, "10.0.0.9", t0), ==, 0);
      crm_server_throttle_failed (t, user, "10.0.0.9", t0);
    }
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/fresh", "10.0.0.9", t0 + 60), ==,
                    CRM_SERVER_THROTTLE_WINDOW - 60);
  g_assert_cmpuint (crm_server_throttle_check (t, NULL, "10.0.0.9", t0 + 60), >, 0);
  /* another address is not concerned; a success does not clear an address */
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/fresh", "10.0.0.10", t0 + 60), ==, 0);
  crm_server_throttle_succeeded (t, "acme/fresh");
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/fresh", "10.0.0.9", t0 + 60), >, 0);
  g_assert_cmpuint (crm_server_throttle_check (t, "acme/fresh", "10.0.0.9",
                                               t0 + CRM_SERVER_THROTTLE_WINDOW), ==, 0);
}

static void
test_throttle_long_key (void)
{
  g_autoptr(CrmServerThrottle) t = crm_server_throttle_new ();
  g_autofree char *huge = g_strnfill (100000, 'u');

  /* a huge made-up user name is counted like any other */
  for (int i = 0; i < CRM_SERVER_THROTTLE_PER_USER; i++)
    crm_server_throttle_failed (t, huge, "10.0.0.1", 100);
  g_assert_cmpuint (crm_server_throttle_check (t, huge, "10.0.0.2", 101), >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (crm_server_auth_init ());

  g_test_add_func ("/server-auth/password-hash", test_password_hash);
  g_test_add_func ("/server-auth/tokens", test_tokens);
  g_test_add_func ("/server-auth/read-password", test_read_password);
  g_test_add_func ("/server-auth/throttle-user", test_throttle_user);
  g_test_add_func ("/server-auth/throttle-address", test_throttle_address);
  g_test_add_func ("/server-auth/throttle-long-key", test_throttle_long_key);

  return g_test_run ();
}
