/* crm-search-build.c — the search index built in bulk, after a bulk write
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import, a restore, a first pull or an insert of many contacts writes
 * them at once. Fed a row at a time, FTS5 flushes and merges its segments
 * over and over: 100,000 contacts inserted in batches took 25.9 s, 9.0 s
 * with the index built after each batch (issue 19, bench-contacts). So a
 * bulk write lowers the index's watermark
 * (search_index_state.indexed_upto, 0011-search-layout.sql) to the last
 * contact before its rows, whose triggers then leave the index alone, and
 * commits; the index is built after, here, in transactions of its own:
 * one 'rebuild' when it holds nothing yet and no other writer waits (an
 * import, a restore), else BUILD_CHUNK rows at a time past the watermark,
 * each step raising it in the same transaction (on a worker, so that an
 * edit on the main thread waits one step at most, never a whole 'rebuild'
 * beyond the busy timeout). A
 * process killed in the middle leaves the watermark where the last step
 * committed it; the next crm_store_open() goes on from there on a worker
 * thread (crm_store_build_search_index_async()). Meanwhile a search matches
 * the contacts past the watermark by the rule (crm-store-search.c), so it
 * gives the same answers during the build as after it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-search-build.h"
#include "crm-store-private.h"

/* rows indexed by one step past the watermark: some 0.2 s of work (a
 * 'rebuild' of 100,000 contacts takes 0.7 to 1.1 s), so that an edit
 * waiting for the write lock is not kept long */
#define BUILD_CHUNK 20000

/* the tests make it small, to kill a build between two steps */
guint crm_search_build_chunk = BUILD_CHUNK;

#define COMPLETE G_MAXINT64

static gint64
query_int64 (sqlite3    *db,
             const char *sql,
             gint64      fallback)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = fallback;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return fallback;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/**
 * _crm_search_build_begin_bulk:
 * @if_empty: only when the store holds no contact (a first sync)
 *
 * In the transaction of a bulk write, before its rows: lowers the
 * watermark to the last contact there is, unless a build is pending
 * already, so that the rows written next are left to the build.
 */
gboolean
_crm_search_build_begin_bulk (sqlite3   *db,
                              gboolean   if_empty,
                              GError   **error)
{
  return _crm_store_exec (db, if_empty
                          ? "UPDATE search_index_state SET indexed_upto = 0"
                            " WHERE indexed_upto = 9223372036854775807"
                            " AND NOT EXISTS (SELECT 1 FROM contacts)"
                          : "UPDATE search_index_state SET indexed_upto ="
                            " (SELECT coalesce (max (local_id), 0) FROM contacts)"
                            " WHERE indexed_upto = 9223372036854775807", error);
}

/* One step of the build in a transaction of its own: the index gets the
 * rows past the watermark (all of them by 'rebuild' when it holds none and
 * @one_go, else up to crm_search_build_chunk) and the watermark moves past
 * them. *@upto: the watermark after, COMPLETE when done. */
static gboolean
build_step (sqlite3   *db,
            gboolean   one_go,
            gint64    *upto,
            GError   **error)
{
  const char *what = _("Cannot build the search index");
  g_autoptr (sqlite3_stmt) insert = NULL;
  gint64 from, to;
  gboolean ok;

  if (!_crm_store_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  from = query_int64 (db, "SELECT indexed_upto FROM search_index_state", COMPLETE);
  if (from == COMPLETE)
    {
      *upto = COMPLETE;
      return _crm_store_exec (db, "COMMIT", error);
    }
  if (from <= 0 && one_go)
    {
      to = COMPLETE;
      ok = _crm_store_exec (db, "INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild')",
                            error);
    }
  else
    {
      g_autofree char *last = g_strdup_printf ("SELECT local_id FROM contacts"
                                               " WHERE local_id > %" G_GINT64_FORMAT
                                               " ORDER BY local_id LIMIT 1 OFFSET %u",
                                               from, crm_search_build_chunk - 1);

      /* the last chunk: everything past the watermark */
      to = query_int64 (db, last, COMPLETE);
      insert = _crm_store_prepare (db, "INSERT INTO contacts_fts (rowid, name, company,"
                                   " mobile, phone, email, wechat)"
                                   " SELECT local_id, name, company, mobile, phone, email,"
                                   " wechat FROM contacts NOT INDEXED WHERE local_id > ?1"
                                   " AND local_id <= ?2 AND deleted = 0 ORDER BY local_id",
                                   0, what, error);
      ok = insert != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (insert, 1, from);
          sqlite3_bind_int64 (insert, 2, to);
          ok = _crm_store_step_done (insert, what, error);
        }
    }
  if (ok)
    {
      g_autofree char *set = g_strdup_printf ("UPDATE search_index_state"
                                              " SET indexed_upto = %" G_GINT64_FORMAT, to);
      ok = _crm_store_exec (db, set, error) && _crm_store_exec (db, "COMMIT", error);
    }
  if (!ok)
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  *upto = to;
  return TRUE;
}

/**
 * _crm_search_build_run:
 * @db: a read-write connection outside any transaction
 * @one_go: may hold the write lock for the whole build (no other writer
 *   waits: an import, a restore); else a step at a time
 * @progress: (nullable): called after each step with the contacts indexed
 *   of those that were not, on this thread
 * @cancellable: (nullable): stops between two steps (what is built stays)
 *
 * Builds the index up to the last contact, step by step.
 *
 * Returns: %TRUE when the index is complete.
 */
gboolean
_crm_search_build_run (sqlite3                *db,
                       gboolean                one_go,
                       CrmSearchBuildProgress  progress,
                       gpointer                progress_data,
                       GCancellable           *cancellable,
                       GError                **error)
{
  gint64 first = query_int64 (db, "SELECT indexed_upto FROM search_index_state", COMPLETE);
  gint64 last = query_int64 (db, "SELECT max (local_id) FROM contacts", 0);
  gint64 upto = first;
  gint64 start = g_get_monotonic_time ();

  while (upto != COMPLETE)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!build_step (db, one_go, &upto, error))
        return FALSE;
      if (progress != NULL && last > first)
        progress (MIN (upto, last) - first, last - first, progress_data);
    }
  if (first != COMPLETE)
    g_debug ("search index built past %" G_GINT64_FORMAT " in %.2f s", first,
             (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);
  return TRUE;
}

/**
 * crm_store_search_index_is_complete:
 *
 * Returns: whether the search index holds every contact; while it does
 *   not, searches are as right, and slower.
 */
gboolean
crm_store_search_index_is_complete (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), TRUE);
  return _crm_store_search_indexed_upto (_crm_store_get_db (self)) == COMPLETE;
}

/**
 * crm_store_build_search_index:
 * @progress: (nullable): called after each step, on this thread
 * @cancellable: (nullable): stops between two steps; the next build goes on
 *
 * Builds what the search index lacks after a bulk write, on @self's own
 * connection (the thread of the bulk write).
 *
 * Returns: %TRUE when the index is complete.
 */
gboolean
crm_store_build_search_index (CrmStore                *self,
                              CrmSearchBuildProgress   progress,
                              gpointer                 progress_data,
                              GCancellable            *cancellable,
                              GError                 **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  return _crm_search_build_run (_crm_store_get_db (self), TRUE, progress, progress_data,
                                cancellable, error);
}

static void
on_build_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  if (!crm_store_build_search_index_finish (CRM_STORE (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The search index is not complete: %s", error->message);
}

/**
 * _crm_search_build_after_bulk:
 * @background: on a worker thread when more than one step's rows wait (a
 *   first sync, on the main thread; an open); else at once on this thread
 *   (an import, a restore: a worker's in the app; and the command line's
 *   index is complete when it exits)
 *
 * After a bulk write's commit: builds what the index lacks. A failure is
 * only logged: the rows are committed, searches find them by the rule,
 * and the next crm_store_open() builds again.
 */
void
_crm_search_build_after_bulk (CrmStore *self,
                              gboolean  background)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = _crm_store_get_db (self);
  gint64 upto = _crm_store_search_indexed_upto (db);

  if (upto == COMPLETE)
    return;
  /* a few rows cost no more than a thread: at once, as an edit's would */
  if (background
      && query_int64 (db, "SELECT max (local_id) FROM contacts", 0) - upto
         > crm_search_build_chunk)
    crm_store_build_search_index_async (self, NULL, on_build_done, NULL);
  else if (!crm_store_build_search_index (self, NULL, NULL, NULL, &error))
    g_warning ("The search index is not complete: %s", error->message);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CrmStore *self = source_object;
  GError *error = NULL;
  sqlite3 *db = _crm_store_open_writer (self, &error);
  gboolean ok = db != NULL
                && _crm_search_build_run (db, FALSE, NULL, NULL, cancellable, &error);

  g_clear_pointer (&db, sqlite3_close_v2);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * crm_store_build_search_index_async:
 *
 * Builds what the search index lacks on a worker thread, with a connection
 * of its own: the store stays usable (an edit waits at most one step for
 * the write lock). crm_store_open() starts it when a build was left
 * unfinished.
 */
void
crm_store_build_search_index_async (CrmStore            *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CRM_IS_STORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_store_build_search_index_async);
  g_task_run_in_thread (task, build_thread);
}

gboolean
crm_store_build_search_index_finish (CrmStore      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
