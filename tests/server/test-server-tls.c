/* test-server-tls.c — xiaohe-crm-server over HTTPS: a self-signed server is
 * refused by default trust, trusted through its CA file or an approved
 * fingerprint; plain HTTP is served on loopback only
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "crm-test-server.h"
#include "crm-test-util.h"

typedef struct
{
  CrmTestServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = crm_test_server_new ();
  crm_test_server_add_company (f->server, "acme", "禾苗科技");
  crm_test_server_add_user (f->server, "acme", "wang", "acme-Pw-1");
  crm_test_server_start_tls (f->server);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  crm_test_server_free (f->server);
}

/* GET /v1/health through @session; the peer's certificate in @peer */
static guint
health (Fixture          *f,
        SoupSession      *session,
        GCallback         accept,
        gpointer          accept_data,
        GError          **error,
        GTlsCertificate **peer)
{
  g_autofree char *url = g_strconcat (crm_test_server_get_url (f->server), "/v1/health", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) body = NULL;

  if (accept != NULL)
    g_signal_connect (msg, "accept-certificate", accept, accept_data);
  body = soup_session_send_and_read (session, msg, NULL, error);
  if (peer != NULL)
    *peer = soup_message_get_tls_peer_certificate (msg)
            ? g_object_ref (soup_message_get_tls_peer_certificate (msg)) : NULL;
  return body ? soup_message_get_status (msg) : 0;
}

static void
test_default_trust_refuses (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_str_has_prefix (crm_test_server_get_url (f->server), "https://"));
  g_assert_cmpuint (health (f, session, NULL, NULL, &error, NULL), ==, 0);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  /* a login would not have gone out either: nothing was logged in */
}

static char *
fingerprint (GTlsCertificate *cert)
{
  g_autoptr (GByteArray) der = NULL;

  g_object_get (cert, "certificate", &der, NULL);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

static void
test_ca_file_works (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr (GTlsDatabase) db = NULL;
  g_autoptr (GTlsCertificate) peer = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = crm_test_server_get_cert_sha256 (f->server);
  g_autofree char *got = NULL;
  g_autofree char *token = NULL;
  g_autoptr (JsonObject) pull = NULL;

  db = g_tls_file_database_new (crm_test_server_get_ca_file (f->server), &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (session, db);
  g_assert_cmpuint (health (f, session, NULL, NULL, &error, &peer), ==, 200);
  g_assert_no_error (error);
  /* the server presents the certificate it was given */
  g_assert_nonnull (peer);
  got = fingerprint (peer);
  g_assert_cmpstr (got, ==, expected);

  /* and the whole protocol works over it */
  token = crm_test_server_login (f->server, "acme", "wang", "acme-Pw-1");
  pull = crm_test_server_pull (f->server, token, 0);
  g_assert_nonnull (json_object_get_string_member (pull, "server_epoch"));
}

static gboolean
accept_fingerprint (SoupMessage          *msg,
                    GTlsCertificate      *cert,
                    GTlsCertificateFlags  errors,
                    gpointer              data)
{
  g_autofree char *got = fingerprint (cert);

  return g_strcmp0 (got, data) == 0;
}

/* the app's third way: a fingerprint the person approved */
static void
test_approved_fingerprint (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr (SoupSession) other = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = crm_test_server_get_cert_sha256 (f->server);
  char wrong[65];

  g_assert_cmpuint (strlen (expected), ==, 64);
  g_assert_cmpuint (health (f, session, G_CALLBACK (accept_fingerprint), expected, &error,
                            NULL), ==, 200);
  g_assert_no_error (error);

  memcpy (wrong, expected, sizeof wrong);
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  g_assert_cmpuint (health (f, other, G_CALLBACK (accept_fingerprint), wrong, &error, NULL),
                    ==, 0);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
}

/* a restart over TLS comes back on the same port, with the same data */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *token = crm_test_server_login (f->server, "acme", "wang", "acme-Pw-1");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *mutation = crm_test_mutation_json ("contact", id, "upsert", 0,
                                                      "{\"name\": \"加密客户\"}");
  g_autoptr (JsonObject) push = crm_test_server_push (f->server, token, client, mutation, NULL);
  g_autoptr (JsonObject) pull = NULL;

  url = g_strdup (crm_test_server_get_url (f->server));
  crm_test_server_stop (f->server);
  crm_test_server_start_tls (f->server);
  g_assert_cmpstr (crm_test_server_get_url (f->server), ==, url);
  pull = crm_test_server_pull (f->server, token, 0);
  g_assert_nonnull (crm_test_pull_find (pull, id));
}

/* plain HTTP only on a loopback address: `serve` refuses anything else */
static void
test_plain_refused (gconstpointer data)
{
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  const char *listen = data;
  g_autofree char *out = NULL;
  int status = -1;

  out = crm_test_server_run (server, &status, NULL, "serve", "--listen", listen, NULL);
  g_test_message ("serve --listen %s: %d %s", listen, status, out);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (g_strstrip (out), !=, "");
  g_assert_null (strstr (out, "Listening on"));
}

/* the certificate and the key go together */
static void
test_cert_without_key (void)
{
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  g_autofree char *out = NULL;
  int status = -1;

  out = crm_test_server_run (server, &status, NULL, "serve", "--listen", "127.0.0.1:0",
                             "--tls-cert", crm_test_server_get_ca_file (server), NULL);
  g_test_message ("serve --tls-cert without --tls-key: %d %s", status, out);
  g_assert_cmpint (status, >=, 1);
  g_assert_cmpint (status, <=, 2);
  g_assert_null (strstr (out, "Listening on"));
}

/* a key that does not belong to the certificate (or no file at all) */
static void
test_bad_cert_file (void)
{
  g_autoptr (CrmTestServer) server = crm_test_server_new ();
  g_autofree char *out = NULL;
  g_autofree char *missing = g_build_filename (crm_test_server_get_dir (server), "none.pem",
                                               NULL);
  int status = -1;

  out = crm_test_server_run (server, &status, NULL, "serve", "--listen", "127.0.0.1:0",
                             "--tls-cert", missing, "--tls-key", missing, NULL);
  g_test_message ("serve with a missing certificate: %d %s", status, out);
  g_assert_cmpint (status, ==, 1);
  g_assert_null (strstr (out, "Listening on"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/tls/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("default-trust-refuses", test_default_trust_refuses);
  ADD ("ca-file-works", test_ca_file_works);
  ADD ("approved-fingerprint", test_approved_fingerprint);
  ADD ("restart", test_restart);
#undef ADD
  g_test_add_data_func ("/server/tls/plain-refused/any-ipv4", "0.0.0.0:0", test_plain_refused);
  g_test_add_data_func ("/server/tls/plain-refused/any-ipv6", "[::]:0", test_plain_refused);
  g_test_add_func ("/server/tls/cert-without-key", test_cert_without_key);
  g_test_add_func ("/server/tls/bad-cert-file", test_bad_cert_file);

  return g_test_run ();
}
