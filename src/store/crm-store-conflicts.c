/* crm-store-conflicts.c — what sync leaves for a person to look at: the
 * conflicts kept from the server's answers, and the changes it refused
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * crm-store-sync.c keeps both (keep_conflicts(), the rejected outbox rows);
 * here they are read, and closed once looked at: a conflict is marked
 * resolved (kept, so a later look at the table still shows it happened), a
 * rejected outbox row is dropped (what it held was refused by the server,
 * which sent its own copy of the record back). Putting the other value
 * back is a normal edit through the entity's save function, so it reaches
 * the outbox like any other (crm-conflicts-dialog.c).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-sync-private.h"

void
crm_conflict_free (CrmConflict *self)
{
  if (self == NULL)
    return;
  g_free (self->record_id);
  g_free (self->field);
  g_free (self->lost_value);
  g_free (self->kept_value);
  g_free (self->created_at);
  g_free (self->other_user);
  g_free (self->other_at);
  g_free (self);
}

/**
 * crm_store_list_conflicts:
 *
 * Returns: (transfer full) (element-type CrmConflict): the conflicts not
 *   resolved yet, oldest first.
 */
GPtrArray *
crm_store_list_conflicts (CrmStore  *self,
                          GError   **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)crm_conflict_free);
  stmt = _crm_store_prepare (self->db,
                             "SELECT id, kind, record_id, field, lost_value, kept_value,"
                             " created_at, other_user, other_at"
                             " FROM conflicts WHERE resolved = 0 ORDER BY id",
                             0, _("Cannot read the conflicts"), error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmConflict *row = g_new0 (CrmConflict, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      crm_wire_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &row->kind);
      row->record_id = _crm_store_column_dup (stmt, 2);
      row->field = _crm_store_column_dup (stmt, 3);
      row->lost_value = _crm_store_column_dup (stmt, 4);
      row->kept_value = _crm_store_column_dup (stmt, 5);
      row->created_at = _crm_store_column_dup (stmt, 6);
      row->other_user = _crm_store_column_dup (stmt, 7);
      row->other_at = _crm_store_column_dup (stmt, 8);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot read the conflicts"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* one write of @sql with ?1 = @id that must change a row; @gone when none */
static gboolean
close_row (CrmStore    *self,
           const char  *sql,
           gint64       id,
           const char  *what,
           const char  *gone,
           GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db, sql, 0, what, error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, id);
  ok = _crm_store_step_done (stmt, what, error);
  if (ok && sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND, gone);
      ok = FALSE;
    }
  return _crm_store_end (self, ok, error);
}

/**
 * crm_store_resolve_conflict:
 * @id: a conflict's id
 *
 * Marks it seen; %CRM_STORE_ERROR_NOT_FOUND if there is no such open one.
 */
gboolean
crm_store_resolve_conflict (CrmStore  *self,
                            gint64     id,
                            GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  return close_row (self, "UPDATE conflicts SET resolved = 1 WHERE id = ?1 AND resolved = 0",
                    id, _("Cannot save the conflict"), _("The conflict no longer exists"),
                    error);
}

/**
 * crm_store_outbox_dismiss_rejection:
 * @local_seq: a rejected row's (CrmOutboxRejection.local_seq)
 *
 * Drops the rejected outbox row; %CRM_STORE_ERROR_NOT_FOUND if there is no
 * such rejected row (a pending row is never dropped here).
 */
gboolean
crm_store_outbox_dismiss_rejection (CrmStore  *self,
                                    gint64     local_seq,
                                    GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  return close_row (self, "DELETE FROM outbox WHERE local_seq = ?1 AND state = 'rejected'",
                    local_seq, _("Cannot dismiss the refused change"),
                    _("The refused change no longer exists"), error);
}
