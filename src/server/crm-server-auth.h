/* crm-server-auth.h — passwords (Argon2id, libsodium), device tokens
 * (random, kept only as hashes) and the login throttle
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_SERVER_AUTH_ERROR (crm_server_auth_error_quark ())

typedef enum
{
  CRM_SERVER_AUTH_ERROR_FAILED,    /* libsodium failed (out of memory) */
  CRM_SERVER_AUTH_ERROR_PASSWORD,  /* no password, a NUL byte, over 1 KiB */
} CrmServerAuthError;

GQuark    crm_server_auth_error_quark     (void);

#define CRM_SERVER_THROTTLE_WINDOW      (15 * 60)  /* seconds */
#define CRM_SERVER_THROTTLE_PER_USER    5          /* failures in a window */
#define CRM_SERVER_THROTTLE_PER_ADDRESS 20

/* sodium_init () once; FALSE if libsodium cannot start */
gboolean  crm_server_auth_init            (void);
/* crypto_pwhash_str (Argon2id, interactive limits) */
char     *crm_server_auth_hash_password   (const char  *password,
                                           GError     **error);
gboolean  crm_server_auth_verify_password (const char  *hash,
                                           const char  *password);
/* a new token (32 random bytes, base64url) and its hash to store */
char     *crm_server_auth_new_token       (char       **token_hash);
/* the hash under which a presented token is stored (SHA-256, hex) */
char     *crm_server_auth_hash_token      (const char  *token);
/* Reads a password from standard input: one line when it is not a
 * terminal, else a prompt with echo off. Never from argv. */
char     *crm_server_auth_read_password   (const char  *prompt,
                                           GError     **error);
/* wipes and frees what crm_server_auth_read_password () returned */
void      crm_server_auth_free_password   (char        *password);

typedef struct _CrmServerThrottle CrmServerThrottle;

CrmServerThrottle *crm_server_throttle_new     (void);
void               crm_server_throttle_free    (CrmServerThrottle *self);
/* 0 if a login for @user_key from @address may be tried now, else the
 * seconds to wait (Retry-After) */
guint              crm_server_throttle_check   (CrmServerThrottle *self,
                                                const char        *user_key,
                                                const char        *address,
                                                gint64             now_seconds);
void               crm_server_throttle_failed  (CrmServerThrottle *self,
                                                const char        *user_key,
                                                const char        *address,
                                                gint64             now_seconds);
void               crm_server_throttle_succeeded (CrmServerThrottle *self,
                                                const char        *user_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmServerThrottle, crm_server_throttle_free)

G_END_DECLS
