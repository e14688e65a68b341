/* crm-server-pg-connection.c — the PostgreSQL backend's one connection:
 * connecting, noticing it lost, reconnecting with backoff, running a
 * statement (prepared once per connection), errors by SQLSTATE, and the
 * transaction's BEGIN and COMMIT
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server is single-threaded (its main loop), so one PGconn serves a
 * storage and every call is synchronous. A lost connection fails the call
 * that finds it with CRM_SERVER_STORAGE_ERROR_UNAVAILABLE (503 with
 * Retry-After) and is forgotten; the next call connects again, not sooner
 * than a backoff doubling from 100 ms to 5 s (reset on success), so an
 * outage costs fast 503s, never a blocked or crashed server. Nothing is
 * redone here: a write whose connection was lost fails up to end (), and
 * its client pushes again. A write's statements and its COMMIT only ever go
 * to the connection that began it (open_sql): on a new one they would run
 * outside the transaction, and a COMMIT there commits nothing, silently.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>
#include <poll.h>
#include <string.h>

#include "crm-server-pg-private.h"

void
_crm_server_pg_set_unavailable (GError     **error,
                                const char  *detail)
{
  g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_UNAVAILABLE,
               _("The database cannot be reached: try again (%s)"),
               detail != NULL && *detail != '\0' ? detail : "connection lost");
}

/* libpq's messages end with a newline, some span lines (indented with a
 * tab): one line for the log */
char *
_crm_server_pg_clean_message (const char *message)
{
  GString *clean = g_string_new (NULL);

  for (const char *p = message != NULL ? message : ""; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          if (clean->len > 0 && clean->str[clean->len - 1] != ' ')
            g_string_append_c (clean, ' ');
        }
      else
        g_string_append_c (clean, *p);
    }
  if (clean->len > 0 && clean->str[clean->len - 1] == ' ')
    g_string_truncate (clean, clean->len - 1);
  return g_string_free (clean, FALSE);
}

/* drops the connection; the next call connects again after the backoff.
 * An open write is gone with it: end () says so. */
static void
forget_connection (CrmServerPg *self,
                   const char  *why)
{
  g_free (self->last_error);
  self->last_error = g_strdup (why);
  if (self->conn != NULL)
    {
      g_message ("Lost the connection to the %s: %s", self->description, why);
      PQfinish (self->conn);
      self->conn = NULL;
    }
  g_hash_table_remove_all (self->statements);
  self->retry_at = g_get_monotonic_time () + (gint64) self->backoff_ms * 1000;
}

static void
ignore_notice (void       *data,
               const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* Connects; FALSE with the reason in @why. Defaults come before the URL,
 * which may override them: connect_timeout, keepalives that notice a
 * database host gone without a word within about a minute (not the
 * system's two hours), the application name; the encoding comes after
 * it: the server's strings are UTF-8. */
gboolean
_crm_server_pg_connect (CrmServerPg  *self,
             char        **why)
{
  static const char *const keywords[] = {
    "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "fallback_application_name", "dbname", "client_encoding", NULL,
  };
  const char *values[] = {
    "5", "1", "30", "10", "3", "xiaohe-crm-server", self->conninfo, "UTF8", NULL,
  };
  PGconn *conn = PQconnectdbParams (keywords, values, 1);
  PGresult *result;

  if (conn == NULL)
    {
      *why = g_strdup ("out of memory");
      return FALSE;
    }
  if (self->description == NULL && PQstatus (conn) == CONNECTION_OK)
    {
      self->db_name = g_strdup (PQdb (conn));
      self->host = g_strdup (PQhost (conn));
      self->port = g_strdup (PQport (conn));
      self->description = g_strdup_printf ("database %s on %s:%s", self->db_name,
                                           self->host, self->port);
    }
  if (PQstatus (conn) != CONNECTION_OK)
    {
      *why = _crm_server_pg_clean_message (PQerrorMessage (conn));
      PQfinish (conn);
      return FALSE;
    }
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  /* a lock held elsewhere (an operator's session) must not stop the main
   * loop for good: the call fails as busy and the client tries again */
  result = PQexec (conn, "SET lock_timeout = '10s'");
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      *why = _crm_server_pg_clean_message (PQerrorMessage (conn));
      PQclear (result);
      PQfinish (conn);
      return FALSE;
    }
  PQclear (result);
  self->conn = conn;
  g_hash_table_remove_all (self->statements);
  return TRUE;
}

/* Whether an idle connection is still open, without a round trip: an idle
 * session is sent nothing but the server's goodbye when it shuts down or
 * the session is ended (a FATAL, then the end of the stream). Reading what
 * waits (PQconsumeInput never blocks; PQisBusy parses it) shows it. */
static gboolean
still_open (PGconn *conn)
{
  for (int i = 0; i < 4 && PQstatus (conn) == CONNECTION_OK; i++)
    {
      struct pollfd waiting = { PQsocket (conn), POLLIN, 0 };

      if (poll (&waiting, 1, 0) <= 0 || !PQconsumeInput (conn))
        break;
      PQisBusy (conn);
    }
  return PQstatus (conn) == CONNECTION_OK;
}

/* the connection, made again when it was lost and the backoff is over */
static gboolean
ensure_connection (CrmServerPg  *self,
                   GError      **error)
{
  g_autofree char *why = NULL;

  if (self->conn != NULL)
    {
      /* nothing was sent on it yet: a connection found closed now is
       * replaced at once, not after a failed call */
      if (self->open_sql || still_open (self->conn))
        return TRUE;
      why = _crm_server_pg_clean_message (PQerrorMessage (self->conn));
      forget_connection (self, why);
      g_clear_pointer (&why, g_free);
      self->retry_at = 0;
    }
  if (self->open_sql)
    {
      /* a new connection would run the rest outside the write */
      _crm_server_pg_set_unavailable (error, self->last_error);
      return FALSE;
    }
  if (g_get_monotonic_time () < self->retry_at)
    {
      _crm_server_pg_set_unavailable (error, self->last_error);
      return FALSE;
    }
  if (!_crm_server_pg_connect (self, &why))
    {
      self->backoff_ms = MIN (self->backoff_ms * 2, CRM_SERVER_PG_BACKOFF_MAX_MS);
      forget_connection (self, why);
      _crm_server_pg_set_unavailable (error, why);
      return FALSE;
    }
  g_message ("Connected again to the %s", self->description);
  self->backoff_ms = CRM_SERVER_PG_BACKOFF_FIRST_MS;
  return TRUE;
}

/* SQLSTATEs of a connection that is gone or going: class 08, the server
 * shutting down (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now) */
static gboolean
is_connection_state (const char *state)
{
  return state != NULL
         && (g_str_has_prefix (state, "08") || strcmp (state, "57P01") == 0
             || strcmp (state, "57P02") == 0 || strcmp (state, "57P03") == 0);
}

/* @result failed (or is NULL): sets @error by its SQLSTATE */
static void
set_result_error (CrmServerPg  *self,
                  PGresult     *result,
                  const char   *what,
                  GError      **error)
{
  const char *state = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *message = result ? PQresultErrorMessage (result) : NULL;
  g_autofree char *detail = NULL;

  if (message == NULL || *message == '\0')
    message = PQerrorMessage (self->conn);
  detail = _crm_server_pg_clean_message (message);

  if (is_connection_state (state) || PQstatus (self->conn) != CONNECTION_OK)
    {
      forget_connection (self, detail);
      _crm_server_pg_set_unavailable (error, detail);
    }
  else if (g_strcmp0 (state, "40001") == 0 || g_strcmp0 (state, "40P01") == 0
           || g_strcmp0 (state, "55P03") == 0)
    g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_BUSY,
                 _("The server's storage is busy: try again (%s)"), detail);
  else if (g_strcmp0 (state, "23505") == 0)
    g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_EXISTS,
                 "%s: %s", what, detail);
  else
    g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                 "%s: %s", what, detail);
}

static gboolean
result_ok (PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

/* the name of @sql's prepared statement on this connection */
static const char *
prepared (CrmServerPg  *self,
          const char   *sql,
          int           n_params,
          GError      **error)
{
  const char *name = g_hash_table_lookup (self->statements, sql);
  g_autoptr (PGresult) result = NULL;
  g_autofree char *new_name = NULL;

  if (name != NULL)
    return name;
  new_name = g_strdup_printf ("crm_%u", ++self->n_prepared);
  result = PQprepare (self->conn, new_name, sql, n_params, NULL);
  if (result == NULL || PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      set_result_error (self, result, "prepare", error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), new_name);
  return g_steal_pointer (&new_name);
}

PGresult *
_crm_server_pg_run (CrmServerPg         *self,
                    const char          *sql,
                    int                  n_params,
                    const char * const  *values,
                    const int           *lengths,
                    const int           *formats,
                    int                  result_format,
                    GError             **error)
{
  g_autoptr (PGresult) result = NULL;
  const char *name;

  if (!ensure_connection (self, error))
    return NULL;
  name = prepared (self, sql, n_params, error);
  if (name == NULL)
    return NULL;
  result = PQexecPrepared (self->conn, name, n_params, values, lengths, formats,
                           result_format);
  if (result == NULL || !result_ok (result))
    {
      set_result_error (self, result, "query", error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

gboolean
_crm_server_pg_exec (CrmServerPg  *self,
                     const char   *sql,
                     GError      **error)
{
  g_autoptr (PGresult) result = NULL;

  if (!ensure_connection (self, error))
    return FALSE;
  result = PQexec (self->conn, sql);
  if (result == NULL || !result_ok (result))
    {
      set_result_error (self, result, "exec", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_crm_server_pg_begin_sql (CrmServerPg  *self,
                          GError      **error)
{
  g_return_val_if_fail (!self->open_sql, FALSE);

  if (!_crm_server_pg_exec (self, "BEGIN ISOLATION LEVEL READ COMMITTED", error))
    return FALSE;
  self->open_sql = TRUE;
  return TRUE;
}

gboolean
_crm_server_pg_commit (CrmServerPg  *self,
                       GError      **error)
{
  g_autoptr (PGresult) result = NULL;

  self->open_sql = FALSE;
  if (self->conn == NULL)
    {
      _crm_server_pg_set_unavailable (error, self->last_error);
      return FALSE;
    }
  /* never through ensure_connection (): on another connection COMMIT
   * would commit nothing, and only warn */
  result = PQexec (self->conn, "COMMIT");
  if (result == NULL || !result_ok (result))
    {
      set_result_error (self, result, "commit", error);
      return FALSE;
    }
  /* COMMIT of a transaction that failed half-way rolls it back, without
   * an error */
  if (!g_str_equal (PQcmdStatus (result), "COMMIT"))
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   "commit: the transaction was rolled back (%s)", PQcmdStatus (result));
      return FALSE;
    }
  return TRUE;
}

void
_crm_server_pg_rollback (CrmServerPg *self)
{
  g_autoptr (PGresult) result = NULL;

  self->open_sql = FALSE;
  if (self->conn == NULL)
    return;
  result = PQexec (self->conn, "ROLLBACK");
  if (result == NULL || !result_ok (result))
    set_result_error (self, result, "rollback", NULL);
}

gboolean
_crm_server_pg_write_begin (CrmServerPg  *self,
                            GError      **error)
{
  return self->in_transaction || _crm_server_pg_begin_sql (self, error);
}

gboolean
_crm_server_pg_write_end (CrmServerPg  *self,
                          gboolean      ok,
                          GError      **error)
{
  if (self->in_transaction)
    return ok;
  if (ok)
    return _crm_server_pg_commit (self, error);
  _crm_server_pg_rollback (self);
  return FALSE;
}
