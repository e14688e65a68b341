/* crm-store-followups.c — follow-ups (跟进记录) in the store: save, read, due, remind
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every write goes through _crm_store_begin()/_crm_store_end(), so the
 * follow-up, the contact's last_followup_at (kept by the triggers of
 * migration 10) and the sync outbox row commit together; logging a
 * follow-up that moves its deal's stage is one transaction too, the move
 * made by crm_store_move_deal() itself so its rules are the board's.
 * Every read joins the live contact: a tombstoned contact's follow-ups
 * show nowhere (not in Today, not as reminders) and come back with it.
 * Times are compared as text, which is why each time handed in is
 * brought to the stored form first ("…T08:30:00Z", whole seconds, UTC).
 * Snoozing is this computer's alone: it writes only snoozed_until, which
 * the outbox trigger does not name, so it queues nothing for sync.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-deal-private.h"
#include "crm-followup-private.h"
#include "crm-store-private.h"
#include "crm-validate.h"

/* the columns every follow-up query selects, in the order followup_from_row() reads */
#define FOLLOWUP_COLUMNS \
  "f.local_id, f.id, f.contact_id, f.deal_id, f.happened_at, f.kind, f.notes, f.next_step," \
  " f.next_at, f.done_at, f.snoozed_until, f.created_at, f.updated_at, f.deleted, c.name," \
  " d.title"
#define FOLLOWUP_DEAL_JOIN " LEFT JOIN deals d ON d.id = f.deal_id AND d.deleted = 0"
/* any follow-up, its contact's name when there is one */
#define FOLLOWUP_FROM_ANY \
  "followups f LEFT JOIN contacts c ON c.id = f.contact_id" FOLLOWUP_DEAL_JOIN
/* the follow-ups of live contacts: every list */
#define FOLLOWUP_FROM_LIVE \
  "followups f JOIN contacts c ON c.id = f.contact_id AND c.deleted = 0" FOLLOWUP_DEAL_JOIN

/* the time a reminder fires: the snooze when it is later than the step */
#define REMINDER_TIME "max (f.next_at, coalesce (f.snoozed_until, ''))"

static CrmFollowup *
followup_from_row (sqlite3_stmt *stmt)
{
  /* not crm_followup_new(): no fresh UUID and clock read for each row */
  CrmFollowup *followup = g_object_new (CRM_TYPE_FOLLOWUP, NULL);

  _crm_followup_set_stored (followup, sqlite3_column_int64 (stmt, 0),
                            (const char *)sqlite3_column_text (stmt, 1));
  crm_followup_set_contact_id (followup, (const char *)sqlite3_column_text (stmt, 2));
  crm_followup_set_deal_id (followup, (const char *)sqlite3_column_text (stmt, 3));
  crm_followup_set_happened_at (followup, (const char *)sqlite3_column_text (stmt, 4));
  crm_followup_set_kind (followup, crm_followup_kind_from_string ((const char *)
                                                                  sqlite3_column_text (stmt, 5)));
  crm_followup_set_notes (followup, (const char *)sqlite3_column_text (stmt, 6));
  crm_followup_set_next_step (followup, (const char *)sqlite3_column_text (stmt, 7));
  crm_followup_set_next_at (followup, (const char *)sqlite3_column_text (stmt, 8));
  _crm_followup_set_row (followup,
                         (const char *)sqlite3_column_text (stmt, 14),
                         (const char *)sqlite3_column_text (stmt, 15),
                         (const char *)sqlite3_column_text (stmt, 9),
                         (const char *)sqlite3_column_text (stmt, 10),
                         (const char *)sqlite3_column_text (stmt, 11),
                         (const char *)sqlite3_column_text (stmt, 12));
  return followup;
}

/* The follow-up with @rowid (or, if @id is not %NULL, that id), tombstone
 * or not; *deleted says which. */
static CrmFollowup *
read_followup (CrmStore    *self,
               gint64       rowid,
               const char  *id,
               gboolean    *deleted,
               GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  CrmFollowup *followup = NULL;
  int rc;

  stmt = _crm_store_prepare (self->db,
                             id != NULL
                             ? "SELECT " FOLLOWUP_COLUMNS " FROM " FOLLOWUP_FROM_ANY
                               " WHERE f.id = ?1"
                             : "SELECT " FOLLOWUP_COLUMNS " FROM " FOLLOWUP_FROM_ANY
                               " WHERE f.local_id = ?1",
                             SQLITE_PREPARE_PERSISTENT, _("Cannot read the follow-up"), error);
  if (stmt == NULL)
    return NULL;
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, rowid);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      followup = followup_from_row (stmt);
      *deleted = sqlite3_column_int (stmt, 13) != 0;
    }
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                         _("The follow-up no longer exists"));
  else
    _crm_store_set_error (error, self->db, rc, _("Cannot read the follow-up"));
  return followup;
}

/* Copies what the store keeps (identity, names, done, snooze, times)
 * from @row to @followup. */
static void
take_row (CrmFollowup *followup,
          CrmFollowup *row)
{
  _crm_followup_set_stored (followup, _crm_followup_get_rowid (row), crm_followup_get_id (row));
  _crm_followup_set_row (followup, crm_followup_get_contact_name (row),
                         crm_followup_get_deal_title (row), crm_followup_get_done_at (row),
                         crm_followup_get_snoozed_until (row),
                         crm_followup_get_created_at (row), crm_followup_get_updated_at (row));
}

/* @time_utc in the stored form, or %NULL with CRM_STORE_ERROR_INVALID. */
static char *
stored_time (const char  *time_utc,
             GError     **error)
{
  g_autoptr (GDateTime) time = NULL;
  g_autoptr (GDateTime) utc = NULL;

  if (time_utc != NULL && strnlen (time_utc, 65) <= 64 && g_utf8_validate (time_utc, -1, NULL))
    time = g_date_time_new_from_iso8601 (time_utc, NULL);
  if (time == NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Not a valid date and time"));
      return NULL;
    }
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Whether the contact @id is there and not deleted; NOT_FOUND if not. */
static gboolean
check_contact (CrmStore    *self,
               const char  *id,
               GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _crm_store_prepare (self->db, "SELECT deleted FROM contacts WHERE id = ?1",
                             SQLITE_PREPARE_PERSISTENT, _("Cannot read the contact"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 0)
    return TRUE;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("The contact no longer exists"));
      return FALSE;
    }
  return _crm_store_set_error (error, self->db, rc, _("Cannot read the contact"));
}

/* The live deal of @followup, checked to be its contact's; %NULL with
 * NOT_FOUND or INVALID when it is not. */
static CrmDeal *
check_deal (CrmStore     *self,
            CrmFollowup  *followup,
            GError      **error)
{
  g_autoptr (CrmDeal) deal = crm_store_get_deal (self, crm_followup_get_deal_id (followup),
                                                 error);

  if (deal == NULL)
    return NULL;
  if (g_strcmp0 (crm_deal_get_contact_id (deal), crm_followup_get_contact_id (followup)) != 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The deal belongs to another contact"));
      return NULL;
    }
  return g_steal_pointer (&deal);
}

#define FOLLOWUP_INSERT_SQL \
  "INSERT INTO followups (id, contact_id, deal_id, happened_at, kind, notes, next_step," \
  " next_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"

/* a new time for the step forgets its snooze */
#define FOLLOWUP_UPDATE_SQL \
  "UPDATE followups SET contact_id = ?2, deal_id = ?3, happened_at = ?4, kind = ?5," \
  " notes = ?6, next_step = ?7," \
  " snoozed_until = CASE WHEN next_at IS ?8 THEN snoozed_until END, next_at = ?8," \
  " updated_at = ?9 WHERE local_id = ?1 AND deleted = 0"

/* Inserts or updates @followup (validated) and fills its stored columns
 * from the row; inside a transaction. */
static int
write_followup (CrmStore    *self,
                CrmFollowup *followup,
                const char  *now)
{
  gboolean is_new = !crm_followup_is_saved (followup);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (CrmFollowup) row = NULL;
  gboolean deleted = FALSE;
  gint64 rowid;
  int rc;

  rc = sqlite3_prepare_v3 (self->db, is_new ? FOLLOWUP_INSERT_SQL : FOLLOWUP_UPDATE_SQL, -1,
                           SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  if (is_new)
    sqlite3_bind_text (stmt, 1, crm_followup_get_id (followup), -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, _crm_followup_get_rowid (followup));
  sqlite3_bind_text (stmt, 2, crm_followup_get_contact_id (followup), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, crm_followup_get_deal_id (followup), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, crm_followup_get_happened_at (followup), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, crm_followup_kind_to_string (crm_followup_get_kind (followup)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, crm_followup_get_notes (followup), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, crm_followup_get_next_step (followup), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, crm_followup_get_next_at (followup), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return rc;
  if (!is_new && sqlite3_changes (self->db) == 0)
    return SQLITE_NOTFOUND;

  rowid = is_new ? sqlite3_last_insert_rowid (self->db) : _crm_followup_get_rowid (followup);
  row = read_followup (self, rowid, NULL, &deleted, NULL);
  if (row == NULL)
    return SQLITE_ERROR;
  take_row (followup, row);
  return SQLITE_DONE;
}

/* Ends a write of follow-ups that failed with @rc (or, SQLITE_DONE, did
 * not) after crm_store_move_deal() may have moved a deal inside it. */
static gboolean
end_write (CrmStore   *self,
           int         rc,
           gboolean    deal_moved,
           const char *what,
           GError    **error)
{
  if (rc == SQLITE_NOTFOUND)
    g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                         _("The follow-up was deleted meanwhile"));
  else if (rc != SQLITE_DONE)
    _crm_store_set_error (error, self->db, rc, what);
  if (_crm_store_end (self, rc == SQLITE_DONE, error))
    return TRUE;
  /* the move's signal was sent as its savepoint ended: take it back */
  if (deal_moved)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_DEALS_RESET], 0);
  return FALSE;
}

/* The checks of a save that need the store, before any write: the
 * contact is live, the deal is its own and may go to @move_deal_to.
 * Hands back the deal to move, if it moves. */
static gboolean
check_save (CrmStore      *self,
            CrmFollowup   *followup,
            CrmDealStage   move_deal_to,
            CrmDeal      **deal_to_move,
            GError       **error)
{
  g_autoptr (CrmDeal) deal = NULL;

  *deal_to_move = NULL;
  if (!check_contact (self, crm_followup_get_contact_id (followup), error))
    return FALSE;
  if (crm_followup_get_deal_id (followup) == NULL)
    return TRUE;
  if ((deal = check_deal (self, followup, error)) == NULL)
    return FALSE;
  if (move_deal_to >= CRM_DEAL_N_STAGES || crm_deal_get_stage (deal) == move_deal_to)
    return TRUE;
  if (move_deal_to == CRM_DEAL_LOST && *crm_deal_get_lost_reason (deal) == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A lost deal needs its reason: mark it lost in its editor "
                             "or on the board"));
      return FALSE;
    }
  *deal_to_move = g_steal_pointer (&deal);
  return TRUE;
}

/* The contact @id as it is now, to tell whether a write moved its
 * last_followup_at (tell_contact()); %NULL when it is not there. */
static CrmContact *
contact_before (CrmStore   *self,
                const char *id)
{
  return id != NULL ? crm_store_get_contact (self, id, NULL) : NULL;
}

/* After a committed write: #CrmStore::contact-changed for @before's
 * contact when its last_followup_at moved (the list sorted by it). */
static void
tell_contact (CrmStore   *self,
              CrmContact *before)
{
  g_autoptr (CrmContact) after = NULL;

  if (before == NULL)
    return;
  after = crm_store_get_contact (self, crm_contact_get_id (before), NULL);
  if (after != NULL && g_strcmp0 (crm_contact_get_last_followup_at (before),
                                  crm_contact_get_last_followup_at (after)) != 0)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACT_CHANGED], 0, before, after);
}

/**
 * crm_store_save_followup:
 * @followup: a new follow-up, or one read from this store
 * @move_deal_to: the stage its deal goes to, or %CRM_DEAL_N_STAGES to
 *   leave the deal where it is
 *
 * Validates @followup with crm_followup_validate() (its %CRM_VALIDATE_ERROR
 * passed on as it is), checks that its contact is there
 * (%CRM_STORE_ERROR_NOT_FOUND) and that its deal, if any, is that
 * contact's (%CRM_STORE_ERROR_INVALID), and writes it. When the deal's
 * stage differs from @move_deal_to, the deal moves as on the board, in
 * the same transaction: a move that cannot be made saves nothing. A deal
 * moves to "lost" only with its reason already given
 * (%CRM_STORE_ERROR_INVALID): the UI asks for it first. Changing the time
 * of the next step forgets its snooze. The stored columns of @followup
 * (contact name, deal title, timestamps) are filled in.
 */
gboolean
crm_store_save_followup (CrmStore      *self,
                         CrmFollowup   *followup,
                         CrmDealStage   move_deal_to,
                         GError       **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (CrmDeal) deal = NULL;
  g_autoptr (CrmFollowup) before = NULL;
  g_autoptr (CrmContact) old_contact = NULL;
  g_autoptr (CrmContact) new_contact = NULL;
  gboolean is_new = !crm_followup_is_saved (followup);
  gboolean deal_moved = FALSE;
  gboolean deleted = FALSE;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_FOLLOWUP (followup), FALSE);
  g_return_val_if_fail ((guint)move_deal_to <= CRM_DEAL_N_STAGES, FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  if (!crm_followup_validate (followup, NULL, error))
    return FALSE;
  if (!_crm_store_begin (self, error))
    return FALSE;
  /* the checks inside the transaction: nothing changes between them and
   * the write */
  if (!check_save (self, followup, move_deal_to, &deal, error))
    {
      _crm_store_end (self, FALSE, NULL);
      return FALSE;
    }
  if (deal != NULL)
    {
      if (!crm_store_move_deal (self, deal, move_deal_to, NULL, error))
        {
          _crm_store_end (self, FALSE, NULL);
          return FALSE;
        }
      deal_moved = TRUE;
    }
  /* for the signals: the row as it was (a tombstone is refused by the
   * write), its contact and the one it goes to */
  if (!is_new)
    before = read_followup (self, _crm_followup_get_rowid (followup), NULL, &deleted, NULL);
  new_contact = contact_before (self, crm_followup_get_contact_id (followup));
  if (before != NULL && !g_str_equal (crm_followup_get_contact_id (before),
                                      crm_followup_get_contact_id (followup)))
    old_contact = contact_before (self, crm_followup_get_contact_id (before));
  rc = write_followup (self, followup, now);
  if (!end_write (self, rc, deal_moved, _("Cannot save the follow-up"), error))
    {
      if (is_new)
        _crm_followup_set_stored (followup, 0, NULL);
      return FALSE;
    }

  g_signal_emit (self, _crm_store_signals[CRM_STORE_FOLLOWUP_CHANGED], 0, before, followup);
  tell_contact (self, new_contact);
  tell_contact (self, old_contact);
  return TRUE;
}

/**
 * crm_store_get_followup:
 * @id: the follow-up's UUID
 *
 * Returns: (transfer full): the live follow-up (its contact may be
 *   deleted), or %NULL with %CRM_STORE_ERROR_NOT_FOUND.
 */
CrmFollowup *
crm_store_get_followup (CrmStore    *self,
                        const char  *id,
                        GError     **error)
{
  g_autoptr (CrmFollowup) followup = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  followup = read_followup (self, 0, id, &deleted, error);
  if (followup != NULL && deleted)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("The follow-up no longer exists"));
      return NULL;
    }
  return g_steal_pointer (&followup);
}

/* What update_followup() does to the row, for its signal */
typedef enum
{
  UPDATE_EDIT,      /* a live one stays live */
  UPDATE_DELETE,
  UPDATE_RESTORE,
} UpdateKind;

/* Runs @sql (?1 the follow-up's local_id, ?2 the time, ?3 a value) on a
 * saved follow-up that is live (or, to restore, deleted), then reads the
 * row back into @followup and tells the change. */
static gboolean
update_followup (CrmStore     *self,
                 CrmFollowup  *followup,
                 UpdateKind    kind,
                 const char   *sql,
                 const char   *value,
                 const char   *what,
                 GError      **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autoptr (CrmFollowup) row = NULL;
  g_autoptr (CrmFollowup) before = NULL;
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean live = kind != UPDATE_RESTORE;
  gboolean deleted = FALSE;
  gboolean ok;

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  if (!_crm_store_begin (self, error))
    return FALSE;
  row = read_followup (self, _crm_followup_get_rowid (followup), NULL, &deleted, error);
  if (row != NULL && deleted == live)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           live ? _("The follow-up was deleted meanwhile")
                                : _("The follow-up is not deleted"));
      g_clear_object (&row);
    }
  if (row != NULL)
    {
      stmt = _crm_store_prepare (self->db, sql, 0, what, error);
      if (kind != UPDATE_EDIT)   /* its contact's last_followup_at may move */
        contact = contact_before (self, crm_followup_get_contact_id (row));
    }
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, _crm_followup_get_rowid (followup));
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
    }
  ok = stmt != NULL && _crm_store_step_done (stmt, what, error);
  before = g_steal_pointer (&row);
  if (ok)
    ok = (row = read_followup (self, _crm_followup_get_rowid (followup), NULL, &deleted,
                               error)) != NULL;
  if (!_crm_store_end (self, ok, error))
    return FALSE;
  take_row (followup, row);

  g_signal_emit (self, _crm_store_signals[CRM_STORE_FOLLOWUP_CHANGED], 0,
                 kind == UPDATE_RESTORE ? NULL : before,
                 kind == UPDATE_DELETE ? NULL : followup);
  tell_contact (self, contact);
  return TRUE;
}

/**
 * crm_store_delete_followup:
 * @followup: a saved follow-up
 *
 * Marks @followup deleted (a tombstone, kept for sync and for undo).
 */
gboolean
crm_store_delete_followup (CrmStore     *self,
                           CrmFollowup  *followup,
                           GError      **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_FOLLOWUP (followup), FALSE);
  g_return_val_if_fail (crm_followup_is_saved (followup), FALSE);

  return update_followup (self, followup, UPDATE_DELETE,
                          "UPDATE followups SET deleted = 1, updated_at = ?2"
                          " WHERE local_id = ?1",
                          NULL, _("Cannot delete the follow-up"), error);
}

/**
 * crm_store_restore_followup:
 * @followup: a deleted follow-up
 *
 * Brings it back as it was (Undo).
 */
gboolean
crm_store_restore_followup (CrmStore     *self,
                            CrmFollowup  *followup,
                            GError      **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_FOLLOWUP (followup), FALSE);
  g_return_val_if_fail (crm_followup_is_saved (followup), FALSE);

  return update_followup (self, followup, UPDATE_RESTORE,
                          "UPDATE followups SET deleted = 0, updated_at = ?2"
                          " WHERE local_id = ?1",
                          NULL, _("Cannot restore the follow-up"), error);
}

/**
 * crm_store_snooze_followup:
 * @until_utc: when to remind again
 *
 * Postpones the reminder of @followup's next step on this computer (not
 * its due time, and nothing for sync).
 */
gboolean
crm_store_snooze_followup (CrmStore     *self,
                           CrmFollowup  *followup,
                           const char   *until_utc,
                           GError      **error)
{
  g_autofree char *until = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_FOLLOWUP (followup), FALSE);
  g_return_val_if_fail (crm_followup_is_saved (followup), FALSE);

  if ((until = stored_time (until_utc, error)) == NULL)
    return FALSE;
  /* updated_at stays: the record did not change for anyone else */
  return update_followup (self, followup, UPDATE_EDIT,
                          "UPDATE followups SET snoozed_until = ?3 WHERE local_id = ?1",
                          until, _("Cannot snooze the reminder"), error);
}

/**
 * crm_store_complete_followup:
 * @followup: a saved follow-up with an open next step
 * @next: (nullable): the next follow-up (its contact is @followup's when
 *   it has none), or %NULL
 *
 * Marks the next step of @followup done now and saves @next, together:
 * when @next cannot be saved, the step is not marked done either.
 */
gboolean
crm_store_complete_followup (CrmStore     *self,
                             CrmFollowup  *followup,
                             CrmFollowup  *next,
                             GError      **error)
{
  g_autofree char *done_at = _crm_followup_now_utc ();
  g_autoptr (CrmFollowup) before = NULL;
  gboolean ok, told;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (CRM_IS_FOLLOWUP (followup), FALSE);
  g_return_val_if_fail (crm_followup_is_saved (followup), FALSE);
  g_return_val_if_fail (next == NULL || CRM_IS_FOLLOWUP (next), FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  if (next != NULL && *crm_followup_get_contact_id (next) == '\0')
    crm_followup_set_contact_id (next, crm_followup_get_contact_id (followup));
  if (next != NULL && !crm_followup_validate (next, NULL, error))
    return FALSE;

  before = crm_followup_copy (followup);
  if (!_crm_store_begin (self, error))
    return FALSE;
  ok = update_followup (self, followup, UPDATE_EDIT,
                        "UPDATE followups SET done_at = ?3, updated_at = ?2"
                        " WHERE local_id = ?1",
                        done_at, _("Cannot mark the next step done"), error);
  told = ok;
  if (ok && next != NULL)
    ok = crm_store_save_followup (self, next, CRM_DEAL_N_STAGES, error);
  if (!_crm_store_end (self, ok, ok ? error : NULL))
    {
      /* as they were: not done, and no next one */
      take_row (followup, before);
      if (next != NULL)
        _crm_followup_set_stored (next, 0, NULL);
      /* the changes told as their savepoints ended are taken back */
      if (told)
        g_signal_emit (self, _crm_store_signals[CRM_STORE_FOLLOWUPS_RESET], 0);
      if (ok && next != NULL)
        g_signal_emit (self, _crm_store_signals[CRM_STORE_CONTACTS_RESET], 0);
      return FALSE;
    }
  return TRUE;
}

/* Runs @stmt, its parameters bound, and collects its follow-ups. */
static GPtrArray *
collect (CrmStore      *self,
         sqlite3_stmt  *stmt,
         GError       **error)
{
  g_autoptr (GPtrArray) followups = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (followups, followup_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot read the follow-ups"));
      return NULL;
    }
  return g_steal_pointer (&followups);
}

/* A page of the follow-ups where @column is @id, newest first. */
static GPtrArray *
list_page (CrmStore     *self,
           const char   *sql,
           const char   *id,
           guint         offset,
           guint         limit,
           GError      **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  stmt = _crm_store_prepare (self->db, sql, SQLITE_PREPARE_PERSISTENT,
                             _("Cannot read the follow-ups"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, offset);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64)limit : -1);
  return collect (self, stmt, error);
}

/**
 * crm_store_list_contact_followups:
 * @offset: how many to skip
 * @limit: how many at most; 0 for all
 *
 * Returns: (transfer full) (element-type CrmFollowup): a page of the
 *   contact's live follow-ups, newest first (nothing when the contact is
 *   deleted), or %NULL with @error set.
 */
GPtrArray *
crm_store_list_contact_followups (CrmStore    *self,
                                  const char  *contact_id,
                                  guint        offset,
                                  guint        limit,
                                  GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  return list_page (self,
                    "SELECT " FOLLOWUP_COLUMNS " FROM " FOLLOWUP_FROM_LIVE
                    " WHERE f.contact_id = ?1 AND f.deleted = 0"
                    " ORDER BY f.happened_at DESC, f.local_id DESC LIMIT ?3 OFFSET ?2",
                    contact_id, offset, limit, error);
}

/**
 * crm_store_list_deal_followups:
 * @offset: how many to skip
 * @limit: how many at most; 0 for all
 *
 * Returns: (transfer full) (element-type CrmFollowup): a page of the
 *   deal's live follow-ups, newest first, or %NULL with @error set.
 */
GPtrArray *
crm_store_list_deal_followups (CrmStore    *self,
                               const char  *deal_id,
                               guint        offset,
                               guint        limit,
                               GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (deal_id != NULL, NULL);

  return list_page (self,
                    "SELECT " FOLLOWUP_COLUMNS " FROM " FOLLOWUP_FROM_LIVE
                    " WHERE f.deal_id = ?1 AND f.deleted = 0"
                    " ORDER BY f.happened_at DESC, f.local_id DESC LIMIT ?3 OFFSET ?2",
                    deal_id, offset, limit, error);
}

/**
 * crm_store_count_contact_followups:
 *
 * Returns: how many live follow-ups the contact has; 0 when the store
 *   cannot be read.
 */
guint
crm_store_count_contact_followups (CrmStore   *self,
                                   const char *contact_id)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint n = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);
  g_return_val_if_fail (contact_id != NULL, 0);

  stmt = _crm_store_prepare (self->db,
                             "SELECT count (*) FROM followups"
                             " WHERE contact_id = ?1 AND deleted = 0",
                             SQLITE_PREPARE_PERSISTENT, _("Cannot read the follow-ups"), NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  else
    _crm_store_note_failure (self->db, rc);
  return n;
}

/**
 * crm_store_list_due_followups:
 * @before_utc: (nullable): the end (excluded) of the time looked at, or
 *   %NULL for every open next step
 * @limit: how many at most; 0 for all
 *
 * Returns: (transfer full) (element-type CrmFollowup): the open next steps
 *   (not done, with a time, of a live contact) due before @before_utc,
 *   the earliest first, or %NULL with @error set.
 */
GPtrArray *
crm_store_list_due_followups (CrmStore    *self,
                              const char  *before_utc,
                              guint        limit,
                              GError     **error)
{
  g_autofree char *before = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  if (before_utc != NULL && (before = stored_time (before_utc, error)) == NULL)
    return NULL;
  /* the partial index followups_due, walked in order: the terms repeat its WHERE */
  stmt = _crm_store_prepare (self->db,
                             "SELECT " FOLLOWUP_COLUMNS " FROM " FOLLOWUP_FROM_LIVE
                             " WHERE f.deleted = 0 AND f.done_at IS NULL"
                             " AND f.next_at IS NOT NULL AND f.next_at < ?1"
                             " ORDER BY f.next_at, f.local_id LIMIT ?2",
                             SQLITE_PREPARE_PERSISTENT, _("Cannot read the follow-ups"), error);
  if (stmt == NULL)
    return NULL;
  /* after every time written as stored */
  sqlite3_bind_text (stmt, 1, before != NULL ? before : "\xef\xbf\xbf", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64)limit : -1);
  return collect (self, stmt, error);
}

/**
 * crm_store_list_reminders:
 * @after_utc: (nullable): reminders up to this time were given already;
 *   %NULL for none
 * @until_utc: now, usually
 *
 * Returns: (transfer full) (element-type CrmFollowup): the open next steps
 *   of live contacts whose reminder time (the step's, or its snooze when
 *   later) lies after @after_utc and at or before @until_utc, the
 *   earliest first, or %NULL with @error set.
 */
GPtrArray *
crm_store_list_reminders (CrmStore    *self,
                          const char  *after_utc,
                          const char  *until_utc,
                          GError     **error)
{
  g_autofree char *after = NULL;
  g_autofree char *until = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  if ((after_utc != NULL && (after = stored_time (after_utc, error)) == NULL)
      || (until = stored_time (until_utc, error)) == NULL)
    return NULL;
  /* a reminder is never before its step: the index bounds the walk */
  stmt = _crm_store_prepare (self->db,
                             "SELECT " FOLLOWUP_COLUMNS " FROM " FOLLOWUP_FROM_LIVE
                             " WHERE f.deleted = 0 AND f.done_at IS NULL"
                             " AND f.next_at IS NOT NULL AND f.next_at <= ?2"
                             " AND " REMINDER_TIME " <= ?2 AND " REMINDER_TIME " > ?1"
                             " ORDER BY " REMINDER_TIME ", f.local_id",
                             SQLITE_PREPARE_PERSISTENT, _("Cannot read the reminders"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, after != NULL ? after : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, until, -1, SQLITE_STATIC);
  return collect (self, stmt, error);
}

/**
 * crm_store_get_last_followup_at:
 *
 * Returns: (transfer full) (nullable): when the contact was last followed
 *   up (its newest live follow-up's happened_at), %NULL when never.
 */
char *
crm_store_get_last_followup_at (CrmStore   *self,
                                const char *contact_id)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  stmt = _crm_store_prepare (self->db, "SELECT last_followup_at FROM contacts WHERE id = ?1",
                             SQLITE_PREPARE_PERSISTENT, _("Cannot read the contact"), NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _crm_store_column_dup (stmt, 0);
  _crm_store_note_failure (self->db, rc);
  return NULL;
}
