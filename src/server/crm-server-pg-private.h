/* crm-server-pg-private.h — what the two halves of the PostgreSQL backend
 * share (crm-server-pg.c, crm-server-pg-records.c, crm-server-pg-connection.c):
 * the instance, running a statement on the one connection, and small
 * helpers on results
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>

#include "crm-server-pg.h"
#include "crm-server-storage-private.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

struct _CrmServerPg
{
  GObject     parent_instance;

  char       *conninfo;       /* as given: may hold a password, never printed */
  char       *db_name;        /* PQdb, PQhost, PQport: for messages */
  char       *host;
  char       *port;
  char       *description;    /* "database NAME on HOST:PORT", for the log */
  PGconn     *conn;           /* NULL while the connection is lost */
  GHashTable *statements;     /* SQL text → its prepared statement's name on conn */
  guint       n_prepared;     /* for the next statement's name */
  gboolean    in_transaction; /* between begin and end (the connection may be gone) */
  gboolean    open_sql;       /* a BEGIN was sent on conn, or on the connection lost
                                 with it, and no COMMIT or ROLLBACK yet: no reconnect */
  gint64      retry_at;       /* g_get_monotonic_time () before which no reconnect */
  guint       backoff_ms;     /* the wait after the next failed connect */
  char       *last_error;     /* why the connection is gone */
};

#define CRM_SERVER_PG_BACKOFF_FIRST_MS 100
#define CRM_SERVER_PG_BACKOFF_MAX_MS   5000

/* crm-server-pg-connection.c: connects (FALSE with the reason in @why) */
gboolean  _crm_server_pg_connect      (CrmServerPg         *self,
                                       char               **why);
/* UNAVAILABLE: "The database cannot be reached: try again (@detail)" */
void      _crm_server_pg_set_unavailable (GError          **error,
                                       const char          *detail);
/* libpq's message on one line */
char     *_crm_server_pg_clean_message (const char         *message);

/* sets the vfuncs of crm-server-pg-records.c */
void      _crm_server_pg_records_init (CrmServerStorageInterface *iface);

/* Runs @sql (prepared once per connection: its text is the cache key) with
 * @n_params parameters (NULL values are SQL NULL; @lengths and @formats as
 * PQexecPrepared, NULL for text). Returns the result (COMMAND_OK or
 * TUPLES_OK), else NULL with @error: UNAVAILABLE when the connection is gone
 * or lost on the way, BUSY, EXISTS, or FAILED. */
PGresult *_crm_server_pg_run          (CrmServerPg         *self,
                                       const char          *sql,
                                       int                  n_params,
                                       const char * const  *values,
                                       const int           *lengths,
                                       const int           *formats,
                                       int                  result_format,
                                       GError             **error);
/* a statement without parameters, not prepared */
gboolean  _crm_server_pg_exec         (CrmServerPg         *self,
                                       const char          *sql,
                                       GError             **error);
/* BEGIN (READ COMMITTED); COMMIT, on the connection that began (lost: the
 * database rolled it back, UNAVAILABLE) */
gboolean  _crm_server_pg_begin_sql    (CrmServerPg         *self,
                                       GError             **error);
gboolean  _crm_server_pg_commit       (CrmServerPg         *self,
                                       GError             **error);
/* A write outside begin/end is its own transaction: write_begin opens one
 * when none is open, write_end commits it when @ok (else rolls it back);
 * inside begin/end both leave the transaction to end (). */
gboolean  _crm_server_pg_write_begin  (CrmServerPg         *self,
                                       GError             **error);
gboolean  _crm_server_pg_write_end    (CrmServerPg         *self,
                                       gboolean             ok,
                                       GError             **error);
/* ROLLBACK, its errors ignored (the connection is forgotten if it is lost);
 * nothing to do when the connection is gone */
void      _crm_server_pg_rollback     (CrmServerPg         *self);

/* text parameters only */
static inline PGresult *
query (CrmServerPg         *self,
       const char          *sql,
       int                  n_params,
       const char * const  *values,
       GError             **error)
{
  return _crm_server_pg_run (self, sql, n_params, values, NULL, NULL, 0, error);
}

/* the number of rows an INSERT, UPDATE or DELETE changed */
static inline gint64
changes (PGresult *result)
{
  return g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
}

static inline char *
value_dup (PGresult *result,
           int       row,
           int       column)
{
  return PQgetisnull (result, row, column)
         ? NULL : g_strdup (PQgetvalue (result, row, column));
}

static inline gint64
value_int64 (PGresult *result,
             int       row,
             int       column)
{
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

static inline gboolean
value_bool (PGresult *result,
            int       row,
            int       column)
{
  return PQgetvalue (result, row, column)[0] == 't';
}

G_END_DECLS
