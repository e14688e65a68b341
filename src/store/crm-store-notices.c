/* crm-store-notices.c — the server's pricing and terms notices, kept in the store
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /v1/notices answers the company's whole list each time; it is kept in
 * the table notices (migration 0012-team.sql) so that a notice shows offline
 * and is announced once: seen_at is when this computer's user opened the
 * list. Saving the list adds the new notices and updates the changed ones
 * (the server may correct a title), never touching seen_at, and writes
 * nothing when nothing changed, so a sync round that brings no news emits
 * no signal. A notice the server no longer lists is kept: what the user was
 * told stays readable.
 *
 * A terms notice asks for its terms_version to be accepted; one published
 * without a version stands for itself (its id is the version), so that a
 * revision is never shown as accepted by mistake.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-notices.h"
#include "crm-store-private.h"

#define NOTICE_COLUMNS \
  "id, kind, title, body, published_at, effective_at," \
  " CASE WHEN kind = 'terms' THEN coalesce (terms_version, id) ELSE terms_version END"

static CrmWireNotice *
notice_from_row (sqlite3_stmt *stmt)
{
  CrmWireNotice *notice = g_new0 (CrmWireNotice, 1);

  notice->id = _crm_store_column_dup (stmt, 0);
  notice->kind = _crm_store_column_dup (stmt, 1);
  notice->title = _crm_store_column_dup (stmt, 2);
  notice->body = _crm_store_column_dup (stmt, 3);
  notice->published_at = _crm_store_column_dup (stmt, 4);
  notice->effective_at = _crm_store_column_dup (stmt, 5);
  notice->terms_version = _crm_store_column_dup (stmt, 6);
  return notice;
}

/* the rows of @sql (no parameters), as CrmWireNotice, at most @limit (0: all) */
static GPtrArray *
select_notices (CrmStore    *self,
                const char  *sql,
                guint        limit,
                GError     **error)
{
  g_autoptr (GPtrArray) notices = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  notices = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_wire_notice_free);
  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  while (rc == SQLITE_OK || rc == SQLITE_ROW)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_ptr_array_add (notices, notice_from_row (stmt));
          if (limit != 0 && notices->len >= limit)
            return g_steal_pointer (&notices);
        }
    }
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot read the notices"));
      return NULL;
    }
  return g_steal_pointer (&notices);
}

/* the first row of @sql, or NULL (an error set when reading failed) */
static CrmWireNotice *
select_one (CrmStore    *self,
            const char  *sql,
            GError     **error)
{
  g_autoptr (GPtrArray) notices = select_notices (self, sql, 1, error);

  if (notices == NULL || notices->len == 0)
    return NULL;
  return g_ptr_array_steal_index (notices, 0);
}

/**
 * crm_store_save_notices:
 * @notices: (element-type CrmWireNotice): the server's list
 * @n_changed: (out) (optional): how many were added or changed
 *
 * Keeps the server's notices: new ones added, changed ones updated, when
 * each was seen kept. Emits CrmStore::notices-changed when anything changed.
 */
gboolean
crm_store_save_notices (CrmStore   *self,
                        GPtrArray  *notices,
                        guint      *n_changed,
                        GError    **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok = TRUE;
  guint changed = 0;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (notices != NULL, FALSE);

  if (n_changed != NULL)
    *n_changed = 0;
  if (!_crm_store_begin (self, error))
    return FALSE;
  /* the WHERE leaves an unchanged row unwritten: changes() counts the news */
  stmt = _crm_store_prepare (self->db,
                             "INSERT INTO notices (id, kind, title, body, published_at,"
                             " effective_at, terms_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                             " ON CONFLICT (id) DO UPDATE SET kind = ?2, title = ?3, body = ?4,"
                             " published_at = ?5, effective_at = ?6, terms_version = ?7"
                             " WHERE kind IS NOT ?2 OR title IS NOT ?3 OR body IS NOT ?4"
                             " OR published_at IS NOT ?5 OR effective_at IS NOT ?6"
                             " OR terms_version IS NOT ?7",
                             SQLITE_PREPARE_PERSISTENT, _("Cannot keep the notices"), error);
  if (stmt == NULL)
    ok = FALSE;
  for (guint i = 0; ok && i < notices->len; i++)
    {
      CrmWireNotice *notice = g_ptr_array_index (notices, i);

      /* the codec checked the shape; a kind the table refuses would fail the whole list */
      if (notice->id == NULL || notice->title == NULL || notice->body == NULL
          || notice->published_at == NULL || notice->effective_at == NULL
          || (g_strcmp0 (notice->kind, "pricing") != 0 && g_strcmp0 (notice->kind, "terms") != 0))
        {
          g_message ("A notice the app cannot show was left out: %s",
                     notice->id ? notice->id : "(no id)");
          continue;
        }
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, notice->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, notice->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, notice->title, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, notice->body, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, notice->published_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, notice->effective_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, notice->terms_version, -1, SQLITE_STATIC);
      ok = _crm_store_step_done (stmt, _("Cannot keep the notices"), error);
      if (ok)
        changed += sqlite3_changes (self->db);
    }
  if (!_crm_store_end (self, ok, error))
    return FALSE;
  if (n_changed != NULL)
    *n_changed = changed;
  if (changed > 0)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_NOTICES_CHANGED], 0);
  return TRUE;
}

/**
 * crm_store_list_notices:
 *
 * Returns: (transfer container) (element-type CrmWireNotice): every notice,
 *   newest first, or %NULL with @error set
 */
GPtrArray *
crm_store_list_notices (CrmStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return select_notices (self, "SELECT " NOTICE_COLUMNS " FROM notices"
                         " ORDER BY published_at DESC, id DESC", 0, error);
}

/**
 * crm_store_get_unseen_pricing_notice:
 *
 * Returns: (transfer full) (nullable): the newest pricing notice not yet
 *   seen on this computer
 */
CrmWireNotice *
crm_store_get_unseen_pricing_notice (CrmStore  *self,
                                     GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return select_one (self, "SELECT " NOTICE_COLUMNS " FROM notices"
                     " WHERE kind = 'pricing' AND seen_at IS NULL"
                     " ORDER BY published_at DESC, id DESC", error);
}

/**
 * crm_store_get_unaccepted_terms_notice:
 *
 * Returns: (transfer full) (nullable): the newest terms notice whose
 *   version was never accepted in this store; its text is the new terms
 */
CrmWireNotice *
crm_store_get_unaccepted_terms_notice (CrmStore  *self,
                                       GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return select_one (self, "SELECT " NOTICE_COLUMNS " FROM notices n"
                     " WHERE kind = 'terms' AND NOT EXISTS (SELECT 1 FROM terms_acceptance a"
                     "  WHERE a.version = coalesce (n.terms_version, n.id))"
                     " ORDER BY published_at DESC, id DESC", error);
}

/**
 * crm_store_mark_notices_seen:
 *
 * Marks every notice not yet seen as seen now.
 */
gboolean
crm_store_mark_notices_seen (CrmStore  *self,
                             GError   **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;
  int changed = 0;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db, "UPDATE notices SET seen_at = ?1 WHERE seen_at IS NULL",
                             0, _("Cannot keep the notices"), error);
  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  ok = _crm_store_step_done (stmt, _("Cannot keep the notices"), error);
  if (ok)
    changed = sqlite3_changes (self->db);
  if (!_crm_store_end (self, ok, error))
    return FALSE;
  if (changed > 0)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_NOTICES_CHANGED], 0);
  return TRUE;
}
