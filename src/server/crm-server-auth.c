/* crm-server-auth.c — passwords (Argon2id, libsodium), device tokens
 * (random, kept only as hashes) and the login throttle
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A password is never stored nor logged: the storage keeps its Argon2id
 * hash (crypto_pwhash_str, interactive limits). A token is 32 random bytes
 * in base64url, handed to the device once; the storage keeps only its
 * SHA-256, so a copy of the storage signs nobody in. The throttle counts
 * failed logins per user ("company/user") and per address within a
 * sliding window, in memory: a restart forgets it, which costs an attacker
 * a restart per 5 tries and nobody else anything.
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "crm-server-auth.h"

#define TOKEN_BYTES        32
#define PASSWORD_MAX_BYTES 1024
/* the throttle forgets the oldest keys beyond this many, so that a flood
 * of made-up user names or addresses cannot grow it without bound */
#define THROTTLE_MAX_KEYS  100000
#define THROTTLE_MAX_KEY   256

G_DEFINE_QUARK (crm-server-auth-error-quark, crm_server_auth_error)

gboolean
crm_server_auth_init (void)
{
  return sodium_init () >= 0;
}

char *
crm_server_auth_hash_password (const char  *password,
                               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, CRM_SERVER_AUTH_ERROR, CRM_SERVER_AUTH_ERROR_FAILED,
                           _("The password could not be hashed (out of memory)"));
      return NULL;
    }

  return g_strdup (hash);
}

gboolean
crm_server_auth_verify_password (const char *hash,
                                 const char *password)
{
  if (hash == NULL || password == NULL)
    return FALSE;
  /* crypto_pwhash_str_verify reads a NUL-terminated string of at most
   * crypto_pwhash_STRBYTES bytes */
  if (strnlen (hash, crypto_pwhash_STRBYTES) >= crypto_pwhash_STRBYTES)
    return FALSE;

  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

char *
crm_server_auth_hash_token (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
crm_server_auth_new_token (char **token_hash)
{
  guchar raw[TOKEN_BYTES];
  char *token;
  gsize len;

  randombytes_buf (raw, sizeof raw);
  token = g_base64_encode (raw, sizeof raw);
  sodium_memzero (raw, sizeof raw);

  /* base64url without padding (RFC 4648 §5) */
  for (char *p = token; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  len = strlen (token);
  while (len > 0 && token[len - 1] == '=')
    token[--len] = '\0';

  if (token_hash != NULL)
    *token_hash = crm_server_auth_hash_token (token);

  return token;
}

void
crm_server_auth_free_password (char *password)
{
  if (password == NULL)
    return;

  sodium_memzero (password, strlen (password));
  g_free (password);
}

/* Reads one line from @fd byte by byte (no stdio buffer keeps a copy),
 * into a buffer that is wiped on every way out. */
static char *
read_line (int      fd,
           GError **error)
{
  char *buffer = g_malloc0 (PASSWORD_MAX_BYTES + 2);
  gsize len = 0;
  gboolean got_any = FALSE;

  for (;;)
    {
      char c;
      ssize_t n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          sodium_memzero (buffer, PASSWORD_MAX_BYTES + 2);
          g_free (buffer);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("The password could not be read: %s"), g_strerror (saved));
          return NULL;
        }
      if (n == 0 || c == '\n')
        {
          if (n == 0 && !got_any)
            {
              g_free (buffer);
              g_set_error_literal (error, CRM_SERVER_AUTH_ERROR,
                                   CRM_SERVER_AUTH_ERROR_PASSWORD,
                                   _("No password was given on standard input"));
              return NULL;
            }
          break;
        }
      got_any = TRUE;
      if (c == '\0')
        {
          sodium_memzero (buffer, PASSWORD_MAX_BYTES + 2);
          g_free (buffer);
          g_set_error_literal (error, CRM_SERVER_AUTH_ERROR, CRM_SERVER_AUTH_ERROR_PASSWORD,
                               _("The password holds a NUL byte"));
          return NULL;
        }
      if (len >= PASSWORD_MAX_BYTES + 1)
        {
          sodium_memzero (buffer, PASSWORD_MAX_BYTES + 2);
          g_free (buffer);
          g_set_error (error, CRM_SERVER_AUTH_ERROR, CRM_SERVER_AUTH_ERROR_PASSWORD,
                       _("The password is longer than %d bytes"), PASSWORD_MAX_BYTES);
          return NULL;
        }
      buffer[len++] = c;
    }

  if (len > 0 && buffer[len - 1] == '\r')
    buffer[--len] = '\0';
  if (len > PASSWORD_MAX_BYTES)
    {
      sodium_memzero (buffer, PASSWORD_MAX_BYTES + 2);
      g_free (buffer);
      g_set_error (error, CRM_SERVER_AUTH_ERROR, CRM_SERVER_AUTH_ERROR_PASSWORD,
                   _("The password is longer than %d bytes"), PASSWORD_MAX_BYTES);
      return NULL;
    }

  return buffer;
}

char *
crm_server_auth_read_password (const char  *prompt,
                               GError     **error)
{
  struct termios saved, quiet;
  gboolean echo_off = FALSE;
  char *password;

  if (isatty (STDIN_FILENO))
    {
      if (prompt != NULL)
        {
          fputs (prompt, stderr);
          fflush (stderr);
        }
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHONL);
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  password = read_line (STDIN_FILENO, error);

  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
      fflush (stderr);
    }

  return password;
}

/* ---- the login throttle ---- */

/* the times of the last failures of one key, oldest first; only the last
 * @limit matter (the wait is counted from the oldest of them) */
typedef struct
{
  gint64 times[CRM_SERVER_THROTTLE_PER_ADDRESS];
  guint  n;
} Failures;

struct _CrmServerThrottle
{
  GHashTable *users;      /* "company/user" → Failures */
  GHashTable *addresses;  /* address → Failures */
};

CrmServerThrottle *
crm_server_throttle_new (void)
{
  CrmServerThrottle *self = g_new0 (CrmServerThrottle, 1);

  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
crm_server_throttle_free (CrmServerThrottle *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->users);
  g_hash_table_unref (self->addresses);
  g_free (self);
}

/* a key bounded in length: a long made-up name costs no memory */
static char *
throttle_key (const char *key)
{
  if (key == NULL)
    return g_strdup ("");
  if (strlen (key) <= THROTTLE_MAX_KEY)
    return g_strdup (key);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
}

/* drops the failures that left the window */
static void
failures_expire (Failures *f,
                 gint64    now)
{
  guint keep = 0;

  for (guint i = 0; i < f->n; i++)
    if (f->times[i] > now - CRM_SERVER_THROTTLE_WINDOW)
      f->times[keep++] = f->times[i];
  f->n = keep;
}

static guint
failures_wait (GHashTable *table,
               const char *key,
               guint       limit,
               gint64      now)
{
  g_autofree char *k = throttle_key (key);
  Failures *f = g_hash_table_lookup (table, k);
  gint64 wait;

  if (f == NULL)
    return 0;
  failures_expire (f, now);
  if (f->n < limit)
    return 0;

  /* allowed again once the oldest of the last @limit failures is out */
  wait = f->times[f->n - limit] + CRM_SERVER_THROTTLE_WINDOW - now;
  return (guint) CLAMP (wait, 1, CRM_SERVER_THROTTLE_WINDOW);
}

static gboolean
failures_is_stale (gpointer key,
                   gpointer value,
                   gpointer user_data)
{
  Failures *f = value;
  gint64 now = *(gint64 *) user_data;

  failures_expire (f, now);
  return f->n == 0;
}

static void
failures_add (GHashTable *table,
              const char *key,
              guint       limit,
              gint64      now)
{
  g_autofree char *k = throttle_key (key);
  Failures *f = g_hash_table_lookup (table, k);

  if (f == NULL)
    {
      if (g_hash_table_size (table) >= THROTTLE_MAX_KEYS)
        g_hash_table_foreach_remove (table, failures_is_stale, &now);
      if (g_hash_table_size (table) >= THROTTLE_MAX_KEYS)
        g_hash_table_remove_all (table);
      f = g_new0 (Failures, 1);
      g_hash_table_insert (table, g_steal_pointer (&k), f);
    }

  failures_expire (f, now);
  if (f->n == limit)
    {
      memmove (f->times, f->times + 1, (limit - 1) * sizeof f->times[0]);
      f->n--;
    }
  f->times[f->n++] = now;
}

guint
crm_server_throttle_check (CrmServerThrottle *self,
                           const char        *user_key,
                           const char        *address,
                           gint64             now_seconds)
{
  guint by_user, by_address;

  g_return_val_if_fail (self != NULL, 0);

  by_user = failures_wait (self->users, user_key, CRM_SERVER_THROTTLE_PER_USER,
                           now_seconds);
  by_address = failures_wait (self->addresses, address, CRM_SERVER_THROTTLE_PER_ADDRESS,
                              now_seconds);
  return MAX (by_user, by_address);
}

void
crm_server_throttle_failed (CrmServerThrottle *self,
                            const char        *user_key,
                            const char        *address,
                            gint64             now_seconds)
{
  g_return_if_fail (self != NULL);

  failures_add (self->users, user_key, CRM_SERVER_THROTTLE_PER_USER, now_seconds);
  failures_add (self->addresses, address, CRM_SERVER_THROTTLE_PER_ADDRESS, now_seconds);
}

void
crm_server_throttle_succeeded (CrmServerThrottle *self,
                               const char        *user_key)
{
  g_autofree char *k = throttle_key (user_key);

  g_return_if_fail (self != NULL);

  g_hash_table_remove (self->users, k);
}
