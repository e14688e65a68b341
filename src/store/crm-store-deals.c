/* crm-store-deals.c — deals in the store: read, save, move, delete, totals
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Amounts are integer fen. Where a deal goes in its column is
 * crm-store-deal-order.c.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-deal-private.h"
#include "crm-store-private.h"
#include "crm-validate.h"

CrmDeal *
_crm_store_deal_from_row (sqlite3_stmt *stmt)
{
  CrmDeal *deal = crm_deal_new ();

  crm_deal_set_title (deal, (const char *)sqlite3_column_text (stmt, 2));
  crm_deal_set_contact_id (deal, (const char *)sqlite3_column_text (stmt, 3));
  crm_deal_set_amount (deal, sqlite3_column_int64 (stmt, 4));
  crm_deal_set_stage (deal, crm_deal_stage_from_string ((const char *)
                                                        sqlite3_column_text (stmt, 5)));
  crm_deal_set_probability (deal, sqlite3_column_int (stmt, 6));
  crm_deal_set_expected_close (deal, (const char *)sqlite3_column_text (stmt, 7));
  crm_deal_set_lost_reason (deal, (const char *)sqlite3_column_text (stmt, 8));
  crm_deal_set_notes (deal, (const char *)sqlite3_column_text (stmt, 9));
  _crm_deal_set_stored (deal, sqlite3_column_int64 (stmt, 0),
                        (const char *)sqlite3_column_text (stmt, 1));
  _crm_deal_set_row (deal, sqlite3_column_int64 (stmt, 10),
                     (const char *)sqlite3_column_text (stmt, 15),
                     (const char *)sqlite3_column_text (stmt, 12),
                     (const char *)sqlite3_column_text (stmt, 13),
                     (const char *)sqlite3_column_text (stmt, 11));
  return deal;
}

/* The deal with @rowid (or, if @id is not %NULL, that id), tombstone or
 * not; *deleted says which. */
static CrmDeal *
read_deal (CrmStore    *self,
           gint64       rowid,
           const char  *id,
           gboolean    *deleted,
           GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  CrmDeal *deal = NULL;
  int rc;

  stmt = _crm_store_prepare (self->db,
                             id != NULL
                             ? "SELECT " CRM_DEAL_COLUMNS " FROM " CRM_DEAL_FROM
                               " WHERE d.id = ?1"
                             : "SELECT " CRM_DEAL_COLUMNS " FROM " CRM_DEAL_FROM
                               " WHERE d.local_id = ?1",
                             SQLITE_PREPARE_PERSISTENT, _("Cannot read the deal"), error);
  if (stmt == NULL)
    return NULL;
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, rowid);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      deal = _crm_store_deal_from_row (stmt);
      *deleted = sqlite3_column_int (stmt, 14) != 0;
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                 _("The deal no longer exists"));
  else
    _crm_store_set_error (error, self->db, rc, _("Cannot read the deal"));
  return deal;
}

/* The live deal @deal was read as, or %NULL with NOT_FOUND. */
static CrmDeal *
read_live_deal (CrmStore  *self,
                CrmDeal   *deal,
                GError   **error)
{
  gboolean deleted = FALSE;
  g_autoptr (CrmDeal) row = read_deal (self, _crm_deal_get_rowid (deal), NULL, &deleted, error);

  if (row != NULL && deleted)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("The deal was deleted meanwhile"));
      return NULL;
    }
  return g_steal_pointer (&row);
}

/**
 * crm_store_get_deal:
 * @id: the deal's UUID
 *
 * Returns: (transfer full): the live deal, or %NULL with
 *   %CRM_STORE_ERROR_NOT_FOUND if there is none or it was deleted.
 */
CrmDeal *
crm_store_get_deal (CrmStore    *self,
                    const char  *id,
                    GError     **error)
{
  g_autoptr (CrmDeal) deal = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  deal = read_deal (self, 0, id, &deleted, error);
  if (deal != NULL && deleted)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("The deal no longer exists"));
      return NULL;
    }
  return g_steal_pointer (&deal);
}

#define DEAL_INSERT_SQL \
  "INSERT INTO deals (id, title, contact_id, amount_fen, stage, probability, lost_reason," \
  " expected_close, notes, position, won_at, created_at, updated_at)" \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CASE WHEN ?5 = 'won' THEN ?11 END, ?11, ?11)"

#define DEAL_UPDATE_SQL \
  "UPDATE deals SET title = ?2, contact_id = ?3, amount_fen = ?4, stage = ?5, probability = ?6," \
  " lost_reason = ?7, expected_close = ?8, notes = ?9, position = ?10," \
  " won_at = CASE WHEN ?5 <> 'won' THEN NULL WHEN stage = 'won' THEN won_at ELSE ?11 END," \
  " updated_at = ?11 WHERE id = ?1 AND deleted = 0"

static void
bind_deal (sqlite3_stmt *stmt,
           CrmDeal      *deal,
           const char   *id,
           gint64        position,
           const char   *now)
{
  const char *close = crm_deal_get_expected_close (deal);

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, crm_deal_get_title (deal), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, crm_deal_get_contact_id (deal), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, crm_deal_get_amount (deal));
  sqlite3_bind_text (stmt, 5, crm_deal_stage_to_string (crm_deal_get_stage (deal)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, crm_deal_get_probability (deal));
  sqlite3_bind_text (stmt, 7, crm_deal_get_lost_reason (deal), -1, SQLITE_STATIC);
  if (*close != '\0')
    sqlite3_bind_text (stmt, 8, close, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 8);
  sqlite3_bind_text (stmt, 9, crm_deal_get_notes (deal), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, position);
  sqlite3_bind_text (stmt, 11, now, -1, SQLITE_STATIC);
}

/* Writes @deal at @position (a new row if it is not saved), then fills its
 * identity and stored columns from the row; inside a transaction. */
static int
write_deal (CrmStore   *self,
            CrmDeal    *deal,
            gint64      position,
            const char *now)
{
  g_autofree char *id = NULL;
  g_autoptr (CrmDeal) row = NULL;
  gboolean is_new = !crm_deal_is_saved (deal);
  gboolean deleted = FALSE;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 rowid;
  int rc;

  id = is_new ? g_uuid_string_random () : g_strdup (crm_deal_get_id (deal));
  rc = sqlite3_prepare_v3 (self->db, is_new ? DEAL_INSERT_SQL : DEAL_UPDATE_SQL, -1,
                           SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_deal (stmt, deal, id, position, now);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_DONE)
    return rc;

  rowid = is_new ? sqlite3_last_insert_rowid (self->db) : _crm_deal_get_rowid (deal);
  row = read_deal (self, rowid, NULL, &deleted, NULL);
  if (row == NULL)
    return SQLITE_ERROR;
  _crm_deal_set_stored (deal, rowid, id);
  _crm_deal_set_row (deal, crm_deal_get_position (row), crm_deal_get_contact_name (row),
                     crm_deal_get_created_at (row), crm_deal_get_updated_at (row),
                     crm_deal_get_won_at (row));
  return SQLITE_DONE;
}

/**
 * crm_store_save_deal:
 * @deal: a new deal, or one read from this store
 *
 * Validates @deal with crm_validate_deal() (normalising its title, lost
 * reason and expected close in place; a refusal is its %CRM_VALIDATE_ERROR)
 * and writes it. A new deal goes to the top of its stage's column, and so does
 * one whose stage changed; otherwise it keeps its place. Notes when it was
 * won. The deal's position, timestamps and contact name are filled in.
 */
gboolean
crm_store_save_deal (CrmStore  *self,
                     CrmDeal   *deal,
                     GError   **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (CrmDeal) before = NULL;
  gboolean is_new;
  gint64 position = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  if (!crm_validate_deal (deal, NULL, error))
    return FALSE;

  is_new = !crm_deal_is_saved (deal);
  if (!is_new && (before = read_live_deal (self, deal, error)) == NULL)
    return FALSE;

  if (!_crm_store_begin (self, error))
    return FALSE;
  if (before != NULL && crm_deal_get_stage (before) == crm_deal_get_stage (deal))
    {
      position = crm_deal_get_position (before);
      rc = SQLITE_OK;
    }
  else
    rc = _crm_store_deal_top_position (self, crm_deal_get_stage (deal),
                                       _crm_deal_get_rowid (deal), &position);
  if (rc == SQLITE_OK)
    rc = write_deal (self, deal, position, now);
  if (rc != SQLITE_DONE)
    _crm_store_set_error (error, self->db, rc, _("Cannot save the deal"));
  if (!_crm_store_end (self, rc == SQLITE_DONE, error))
    {
      if (is_new)
        _crm_deal_set_stored (deal, 0, NULL);
      return FALSE;
    }

  g_signal_emit (self, _crm_store_signals[CRM_STORE_DEAL_CHANGED], 0, before, deal);
  return TRUE;
}

/**
 * crm_store_move_deal:
 * @deal: a saved deal
 * @stage: its new stage (or its own, to reorder the column)
 * @before: (nullable): the deal of @stage to put @deal just before, or
 *   %NULL for the end of the column
 *
 * What a drop on the board does: crm_deal_move_to_stage(), then the deal
 * is saved at its new place. Moving to "lost" needs a lost reason set on
 * @deal first (%CRM_VALIDATE_ERROR_REQUIRED, and @deal unchanged, without
 * one).
 */
gboolean
crm_store_move_deal (CrmStore      *self,
                     CrmDeal       *deal,
                     CrmDealStage   stage,
                     CrmDeal       *before,
                     GError       **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (CrmDeal) was = NULL;
  g_autoptr (CrmDeal) moved = NULL;
  gint64 rowid, anchor = 0, position = 0;
  gboolean anchor_found = TRUE;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);
  g_return_val_if_fail (crm_deal_is_saved (deal), FALSE);
  g_return_val_if_fail (stage < CRM_DEAL_N_STAGES, FALSE);
  g_return_val_if_fail (before == NULL || CRM_IS_DEAL (before), FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  rowid = _crm_deal_get_rowid (deal);
  if (before != NULL)
    anchor = _crm_deal_get_rowid (before);

  /* the stage rules on a copy: a refused move leaves @deal as it was */
  moved = crm_deal_copy (deal);
  crm_deal_move_to_stage (moved, stage);
  if (!crm_validate_deal (moved, NULL, error))
    return FALSE;
  if ((was = read_live_deal (self, deal, error)) == NULL)
    return FALSE;

  if (!_crm_store_begin (self, error))
    return FALSE;
  if (anchor == rowid)
    {
      /* before itself: where it is, if it stays in its column */
      if (crm_deal_get_stage (was) == stage)
        {
          position = crm_deal_get_position (was);
          rc = SQLITE_OK;
        }
      else
        rc = _crm_store_deal_place_position (self, stage, rowid, 0, &position, &anchor_found);
    }
  else
    rc = _crm_store_deal_place_position (self, stage, rowid, anchor, &position, &anchor_found);
  if (rc == SQLITE_OK && !anchor_found)
    {
      _crm_store_end (self, FALSE, NULL);
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("The deal to put it before was moved or deleted meanwhile"));
      return FALSE;
    }
  if (rc == SQLITE_OK)
    rc = write_deal (self, moved, position, now);
  if (rc != SQLITE_DONE)
    _crm_store_set_error (error, self->db, rc, _("Cannot move the deal"));
  if (!_crm_store_end (self, rc == SQLITE_DONE, error))
    return FALSE;

  /* now the same on @deal itself */
  crm_deal_move_to_stage (deal, stage);
  crm_validate_deal (deal, NULL, NULL);
  _crm_deal_set_row (deal, crm_deal_get_position (moved), crm_deal_get_contact_name (moved),
                     crm_deal_get_created_at (moved), crm_deal_get_updated_at (moved),
                     crm_deal_get_won_at (moved));
  g_signal_emit (self, _crm_store_signals[CRM_STORE_DEAL_CHANGED], 0, was, deal);
  return TRUE;
}

static gboolean
set_deal_deleted (CrmStore    *self,
                  CrmDeal     *deal,
                  gboolean     deleted,
                  GError     **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (CrmDeal) row = NULL;
  gboolean was_deleted = FALSE;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *what = deleted ? _("Cannot delete the deal") : _("Cannot restore the deal");
  gboolean ok;

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  row = read_deal (self, _crm_deal_get_rowid (deal), NULL, &was_deleted, error);
  if (row == NULL)
    return FALSE;
  if (was_deleted == deleted)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           deleted ? _("The deal was already deleted")
                                   : _("The deal is not deleted"));
      return FALSE;
    }

  /* a deal restored after its contact was deleted comes back without one:
   * never linked to a contact that is gone */
  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db,
                             "UPDATE deals SET deleted = ?1, updated_at = ?2,"
                             " contact_id = CASE WHEN ?1 = 0 AND contact_id IS NOT NULL"
                             "   AND NOT EXISTS (SELECT 1 FROM contacts c"
                             "                   WHERE c.id = deals.contact_id AND c.deleted = 0)"
                             "   THEN NULL ELSE contact_id END"
                             " WHERE local_id = ?3",
                             0, what, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, deleted);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, _crm_deal_get_rowid (deal));
    }
  ok = _crm_store_step_done (stmt, what, error);
  if (!_crm_store_end (self, ok, error))
    return FALSE;

  if (deleted)
    {
      _crm_deal_set_row (deal, crm_deal_get_position (row), crm_deal_get_contact_name (row),
                         crm_deal_get_created_at (row), now, crm_deal_get_won_at (row));
      g_signal_emit (self, _crm_store_signals[CRM_STORE_DEAL_CHANGED], 0, row, NULL);
      return TRUE;
    }
  /* the row as restored (its contact may have been dropped), whatever
   * unsaved edits @deal carries */
  g_clear_object (&row);
  row = read_deal (self, _crm_deal_get_rowid (deal), NULL, &was_deleted, error);
  if (row == NULL)
    return FALSE;
  crm_deal_set_contact_id (deal, crm_deal_get_contact_id (row));
  _crm_deal_set_row (deal, crm_deal_get_position (row), crm_deal_get_contact_name (row),
                     crm_deal_get_created_at (row), crm_deal_get_updated_at (row),
                     crm_deal_get_won_at (row));
  g_signal_emit (self, _crm_store_signals[CRM_STORE_DEAL_CHANGED], 0, NULL, row);
  return TRUE;
}

/**
 * crm_store_delete_deal:
 *
 * Marks @deal deleted (a tombstone, kept for sync and for undo).
 */
gboolean
crm_store_delete_deal (CrmStore  *self,
                       CrmDeal   *deal,
                       GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);
  g_return_val_if_fail (crm_deal_is_saved (deal), FALSE);
  return set_deal_deleted (self, deal, TRUE, error);
}

/**
 * crm_store_restore_deal:
 *
 * Brings a deleted deal back as it was, at its old place in its column.
 */
gboolean
crm_store_restore_deal (CrmStore  *self,
                        CrmDeal   *deal,
                        GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_DEAL (deal), FALSE);
  g_return_val_if_fail (crm_deal_is_saved (deal), FALSE);
  return set_deal_deleted (self, deal, FALSE, error);
}

/**
 * crm_store_list_contact_deals:
 * @contact_id: a contact's UUID
 * @open_total: (out) (optional): the sum of the open deals' amounts, in fen
 *
 * Returns: (transfer full) (element-type CrmDeal): the contact's live
 *   deals, the most recently updated first, or %NULL with @error set.
 */
GPtrArray *
crm_store_list_contact_deals (CrmStore    *self,
                              const char  *contact_id,
                              gint64      *open_total,
                              GError     **error)
{
  g_autoptr (GPtrArray) deals = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 total = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  if (open_total != NULL)
    *open_total = 0;
  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT " CRM_DEAL_COLUMNS " FROM " CRM_DEAL_FROM
                           " WHERE d.contact_id = ?1 AND d.deleted = 0"
                           " ORDER BY d.updated_at DESC, d.local_id DESC",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CrmDeal *deal = _crm_store_deal_from_row (stmt);

          if (crm_deal_stage_is_open (crm_deal_get_stage (deal)))
            total += crm_deal_get_amount (deal);
          g_ptr_array_add (deals, deal);
        }
    }
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot read the deals"));
      return NULL;
    }
  if (open_total != NULL)
    *open_total = total;
  return g_steal_pointer (&deals);
}

/**
 * crm_store_insert_deals:
 * @deals: (element-type CrmDeal): new deals
 *
 * crm_store_insert_deals_full() without asking which deal failed.
 */
gboolean
crm_store_insert_deals (CrmStore   *self,
                        GPtrArray  *deals,
                        GError    **error)
{
  return crm_store_insert_deals_full (self, deals, NULL, NULL, error);
}

/**
 * crm_store_insert_deals_full:
 * @deals: (element-type CrmDeal): new deals
 * @failed_index: (out) (optional): the index in @deals of the first one
 *   that does not pass validation
 * @failed_field: (out) (optional): its first field that does not pass
 *
 * Validates and inserts many deals in one transaction: all of them or, on
 * any error, none. A deal that does not pass is refused with its
 * %CRM_VALIDATE_ERROR, the message saying which deal ("Deal 2: ..."). They
 * go to the top of their columns, in the order given. Emits
 * #CrmStore::deals-reset once.
 */
gboolean
crm_store_insert_deals_full (CrmStore      *self,
                             GPtrArray     *deals,
                             guint         *failed_index,
                             CrmDealField  *failed_field,
                             GError       **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint in_stage[CRM_DEAL_N_STAGES] = { 0 };
  guint placed[CRM_DEAL_N_STAGES] = { 0 };
  gint64 first[CRM_DEAL_N_STAGES];
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (sqlite3_stmt) name_stmt = NULL;
  int rc = SQLITE_OK;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (deals != NULL, FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  for (guint i = 0; i < deals->len; i++)
    {
      g_autoptr (GError) invalid = NULL;
      CrmDeal *deal = g_ptr_array_index (deals, i);

      g_return_val_if_fail (!crm_deal_is_saved (deal), FALSE);
      if (!crm_validate_deal (deal, failed_field, &invalid))
        {
          if (failed_index)
            *failed_index = i;
          g_set_error (error, invalid->domain, invalid->code,
                       _("Deal %u: %s"), i + 1, invalid->message);
          return FALSE;
        }
      in_stage[crm_deal_get_stage (deal)]++;
    }

  if (!_crm_store_begin (self, error))
    return FALSE;
  /* each column's new deals above its old ones, 1024 apart */
  for (guint s = 0; rc == SQLITE_OK && s < CRM_DEAL_N_STAGES; s++)
    {
      gint64 top = G_MININT64;

      rc = _crm_store_deal_stage_edge (self, s, TRUE, 0, &top);
      first[s] = top == G_MININT64 ? 0 : top - (gint64)in_stage[s] * CRM_DEAL_POSITION_SPACING;
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->db, DEAL_INSERT_SQL, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->db, "SELECT name FROM contacts WHERE id = ?1", -1,
                             &name_stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < deals->len; i++)
    {
      CrmDeal *deal = g_ptr_array_index (deals, i);
      CrmDealStage stage = crm_deal_get_stage (deal);
      gint64 position = first[stage] + (gint64)placed[stage]++ * CRM_DEAL_POSITION_SPACING;
      const char *contact_id = crm_deal_get_contact_id (deal);
      const char *name = NULL;
      g_autofree char *id = g_uuid_string_random ();

      sqlite3_reset (stmt);
      bind_deal (stmt, deal, id, position, now);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        break;
      rc = SQLITE_OK;
      _crm_deal_set_stored (deal, sqlite3_last_insert_rowid (self->db), id);

      if (contact_id != NULL && (name = g_hash_table_lookup (names, contact_id)) == NULL)
        {
          sqlite3_reset (name_stmt);
          sqlite3_bind_text (name_stmt, 1, contact_id, -1, SQLITE_STATIC);
          if (sqlite3_step (name_stmt) == SQLITE_ROW)
            {
              name = g_strdup ((const char *)sqlite3_column_text (name_stmt, 0));
              g_hash_table_insert (names, g_strdup (contact_id), (char *)name);
            }
        }
      _crm_deal_set_row (deal, position, name, now, now, stage == CRM_DEAL_WON ? now : "");
    }
  if (rc != SQLITE_OK)
    _crm_store_set_error (error, self->db, rc, _("Cannot save the deals"));
  if (!_crm_store_end (self, rc == SQLITE_OK, error))
    {
      for (guint i = 0; i < deals->len; i++)
        _crm_deal_set_stored (g_ptr_array_index (deals, i), 0, NULL);
      return FALSE;
    }

  g_signal_emit (self, _crm_store_signals[CRM_STORE_DEALS_RESET], 0);
  return TRUE;
}

/**
 * crm_store_get_deal_totals:
 * @month_start_utc: the first instant of the current month, as stored
 *
 * The figures of the deals header: open pipeline, weighted forecast
 * (Σ amount × probability / 100, rounded down once, at the end), won this
 * month, and a count and total for each stage. Integers throughout.
 */
gboolean
crm_store_get_deal_totals (CrmStore       *self,
                           const char     *month_start_utc,
                           CrmDealTotals  *totals,
                           GError        **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (totals != NULL, FALSE);

  /* the per-stage figures are kept by triggers (migration 7); won this
   * month walks the won deals' index from the month's start */
  memset (totals, 0, sizeof *totals);
  rc = sqlite3_prepare_v3 (self->db, "SELECT stage, n, amount, weighted_x100 FROM deal_totals",
                           -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CrmDealStage stage = crm_deal_stage_from_string ((const char *)
                                                           sqlite3_column_text (stmt, 0));
          gint64 sum = sqlite3_column_int64 (stmt, 2);

          totals->count[stage] = sqlite3_column_int (stmt, 1);
          totals->total[stage] = sum;
          if (crm_deal_stage_is_open (stage))
            {
              totals->open_total += sum;
              totals->weighted_x100 += sqlite3_column_int64 (stmt, 3);
            }
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc == SQLITE_DONE)
    rc = sqlite3_prepare_v3 (self->db,
                             "SELECT coalesce (sum (amount_fen), 0) FROM deals"
                             " WHERE deleted = 0 AND stage = 'won' AND won_at >= ?1",
                             -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, month_start_utc, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          totals->won_this_month = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_DONE;
        }
    }
  if (rc != SQLITE_DONE)
    return _crm_store_set_error (error, self->db, rc, _("Cannot add up the deals"));
  totals->weighted = totals->weighted_x100 / 100;
  return TRUE;
}
