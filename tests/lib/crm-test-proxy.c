/* crm-test-proxy.c — a TCP relay that can drop a server's answer
 *
 * A GThreadedSocketService: each connection gets a thread that relays the
 * client's bytes, and a second one for the server's. Blocking reads in
 * threads keep it short; the tests use it on loopback only.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crm-test-proxy.h"

struct _CrmTestProxy
{
  GSocketService *service;
  char           *url;
  char           *target_host;
  guint16         target_port;
  GMutex          lock;
  char           *drop_prefix;
  guint           drop_left;
  guint           dropped;
};

typedef struct
{
  CrmTestProxy      *proxy;
  GSocketConnection *client;
  GSocketConnection *server;
  gint               drop_next;   /* atomic: the server's next bytes are dropped */
} Relay;

/* shuts the sockets down first: the other thread is blocked reading one,
 * and a close alone would leave the connection open under it */
static void
close_both (Relay *relay)
{
  g_socket_shutdown (g_socket_connection_get_socket (relay->client), TRUE, TRUE, NULL);
  g_socket_shutdown (g_socket_connection_get_socket (relay->server), TRUE, TRUE, NULL);
  g_io_stream_close (G_IO_STREAM (relay->client), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (relay->server), NULL, NULL);
}

/* the server's bytes to the client, unless they answer a request to drop */
static gpointer
relay_answers (gpointer data)
{
  Relay *relay = data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (relay->server));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (relay->client));
  char buffer[16384];

  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      if (g_atomic_int_get (&relay->drop_next))
        {
          g_mutex_lock (&relay->proxy->lock);
          relay->proxy->dropped++;
          g_mutex_unlock (&relay->proxy->lock);
          break;
        }
      if (!g_output_stream_write_all (out, buffer, n, NULL, NULL, NULL))
        break;
    }
  close_both (relay);
  return NULL;
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                data)
{
  CrmTestProxy *self = data;
  g_autoptr (GSocketClient) connector = g_socket_client_new ();
  Relay relay = { self, connection, NULL, 0 };
  GInputStream *in;
  GOutputStream *out;
  GThread *answers;
  char buffer[16384];

  relay.server = g_socket_client_connect_to_host (connector, self->target_host,
                                                  self->target_port, NULL, NULL);
  if (relay.server == NULL)
    return TRUE;   /* the server is down: the client sees the connection close */

  answers = g_thread_new ("crm-test-proxy", relay_answers, &relay);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  out = g_io_stream_get_output_stream (G_IO_STREAM (relay.server));
  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      g_mutex_lock (&self->lock);
      if (self->drop_left > 0 && self->drop_prefix != NULL
          && (gsize) n >= strlen (self->drop_prefix)
          && memcmp (buffer, self->drop_prefix, strlen (self->drop_prefix)) == 0)
        {
          self->drop_left--;
          g_atomic_int_set (&relay.drop_next, 1);
        }
      g_mutex_unlock (&self->lock);
      if (!g_output_stream_write_all (out, buffer, n, NULL, NULL, NULL))
        break;
    }
  close_both (&relay);
  g_thread_join (answers);
  g_object_unref (relay.server);
  return TRUE;
}

CrmTestProxy *
crm_test_proxy_new (const char *target_url)
{
  CrmTestProxy *self = g_new0 (CrmTestProxy, 1);
  g_autoptr (GUri) uri = g_uri_parse (target_url, G_URI_FLAGS_NONE, NULL);
  g_autoptr (GError) error = NULL;
  guint16 port;

  g_assert_nonnull (uri);
  g_mutex_init (&self->lock);
  self->target_host = g_strdup (g_uri_get_host (uri));
  self->target_port = g_uri_get_port (uri);
  self->service = g_threaded_socket_service_new (16);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (self->service), NULL, &error);
  g_assert_no_error (error);
  /* any_inet_port listens on every address; the tests only use loopback */
  self->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_signal_connect (self->service, "run", G_CALLBACK (on_run), self);
  g_socket_service_start (self->service);
  return self;
}

const char *
crm_test_proxy_get_url (CrmTestProxy *self)
{
  return self->url;
}

void
crm_test_proxy_drop_answers (CrmTestProxy *self,
                             const char   *request_prefix,
                             guint         n)
{
  g_mutex_lock (&self->lock);
  g_free (self->drop_prefix);
  self->drop_prefix = g_strdup (request_prefix);
  self->drop_left = n;
  g_mutex_unlock (&self->lock);
}

guint
crm_test_proxy_get_dropped (CrmTestProxy *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->dropped;
  g_mutex_unlock (&self->lock);
  return n;
}

void
crm_test_proxy_free (CrmTestProxy *self)
{
  if (self == NULL)
    return;
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_object_unref (self->service);
  g_free (self->url);
  g_free (self->target_host);
  g_free (self->drop_prefix);
  g_mutex_clear (&self->lock);
  g_free (self);
}
