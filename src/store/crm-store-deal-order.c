/* crm-store-deal-order.c — where a deal goes in its stage's column
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A column is ordered by (position, local_id). Positions are spaced
 * CRM_DEAL_POSITION_SPACING apart when numbered; a deal dropped between two
 * takes the middle, and a column with no room left is numbered afresh. Each
 * function returns an SQLite code and runs inside the caller's transaction.
 */
#include "config.h"

#include "crm-store-private.h"

/* The first (@top) or last position of the live deals of @stage other than
 * @except, or %FALSE with *position untouched for an empty column. */
int
_crm_store_deal_stage_edge (CrmStore     *self,
                            CrmDealStage  stage,
                            gboolean      top,
                            gint64        except,
                            gint64       *position)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v3 (self->db,
                           top
                           ? "SELECT min (position) FROM deals"
                             " WHERE stage = ?1 AND deleted = 0 AND local_id <> ?2"
                           : "SELECT max (position) FROM deals"
                             " WHERE stage = ?1 AND deleted = 0 AND local_id <> ?2",
                           -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text (stmt, 1, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, except);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        *position = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  return rc;
}

/* a new deal, or one moved into a column, goes to its top */
int
_crm_store_deal_top_position (CrmStore     *self,
                              CrmDealStage  stage,
                              gint64        except,
                              gint64       *position)
{
  gint64 first = 1;
  int rc = _crm_store_deal_stage_edge (self, stage, TRUE, except, &first);

  *position = first - 1;
  return rc;
}

/* Numbers the live deals of @stage other than @except afresh, 1024 apart,
 * in their order. */
static int
renumber_stage (CrmStore     *self,
                CrmDealStage  stage,
                gint64        except)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "WITH r AS (SELECT local_id,"
                           "  row_number () OVER (ORDER BY position, local_id) AS n"
                           "  FROM deals WHERE stage = ?1 AND deleted = 0 AND local_id <> ?2)"
                           " UPDATE deals SET position = r.n * ?3 FROM r"
                           " WHERE deals.local_id = r.local_id",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, except);
      sqlite3_bind_int64 (stmt, 3, CRM_DEAL_POSITION_SPACING);
      rc = sqlite3_step (stmt);
    }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The position of @anchor, a live deal of @stage, and of the deal before it
 * in that column other than @except (*has_prev %FALSE if it is the first). */
static int
anchor_positions (CrmStore     *self,
                  CrmDealStage  stage,
                  gint64        anchor,
                  gint64        except,
                  gint64       *anchor_position,
                  gboolean     *found,
                  gint64       *prev_position,
                  gboolean     *has_prev)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  *found = *has_prev = FALSE;
  rc = sqlite3_prepare_v3 (self->db,
                           "SELECT position FROM deals"
                           " WHERE local_id = ?1 AND stage = ?2 AND deleted = 0",
                           -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_int64 (stmt, 1, anchor);
  sqlite3_bind_text (stmt, 2, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *anchor_position = sqlite3_column_int64 (stmt, 0);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE ? SQLITE_OK : rc;

  rc = sqlite3_prepare_v3 (self->db,
                           "SELECT position FROM deals"
                           " WHERE stage = ?1 AND deleted = 0 AND local_id <> ?4"
                           " AND (position, local_id) < (?2, ?3)"
                           " ORDER BY position DESC, local_id DESC LIMIT 1",
                           -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text (stmt, 1, crm_deal_stage_to_string (stage), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, *anchor_position);
  sqlite3_bind_int64 (stmt, 3, anchor);
  sqlite3_bind_int64 (stmt, 4, except);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *has_prev = TRUE;
      *prev_position = sqlite3_column_int64 (stmt, 0);
    }
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Where @rowid goes in @stage: just before @anchor, or at the end for 0. */
int
_crm_store_deal_place_position (CrmStore     *self,
                                CrmDealStage  stage,
                                gint64        rowid,
                                gint64        anchor,
                                gint64       *position,
                                gboolean     *anchor_found)
{
  gint64 anchor_position = 0, prev_position = 0;
  gboolean has_prev = FALSE;
  int rc;

  *anchor_found = TRUE;
  if (anchor == 0)
    {
      gint64 last = -CRM_DEAL_POSITION_SPACING;

      rc = _crm_store_deal_stage_edge (self, stage, FALSE, rowid, &last);
      *position = last + CRM_DEAL_POSITION_SPACING;
      return rc;
    }

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      rc = anchor_positions (self, stage, anchor, rowid, &anchor_position, anchor_found,
                             &prev_position, &has_prev);
      if (rc != SQLITE_OK || !*anchor_found)
        return rc;
      if (!has_prev)
        {
          *position = anchor_position - CRM_DEAL_POSITION_SPACING;
          return SQLITE_OK;
        }
      if (anchor_position - prev_position >= 2)
        {
          *position = prev_position + (anchor_position - prev_position) / 2;
          return SQLITE_OK;
        }
      /* no room between the two: number the column afresh and look again */
      rc = renumber_stage (self, stage, rowid);
      if (rc != SQLITE_OK)
        return rc;
    }
  g_assert_not_reached ();
}

