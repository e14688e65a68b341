/* crm-store-team.c — the company's users, kept in the store
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app asks the server for the company's users after each sync round
 * that succeeded (crm-sync-controller-users.c) and keeps the answer here,
 * in team_users (migration 0012-team.sql), so that the owner chooser and
 * the "My customers" filter work offline and after signing out. The table
 * is small (a company's people) and always replaced whole: the new list is
 * compared with the kept one first, so a round that brings no change
 * writes nothing and emits no signal (the contact editor rebuilds its
 * chooser on the signal). None of it is a record: nothing goes to the
 * outbox, and Delete All clears it (crm-store-export.c).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-pinyin.h"
#include "crm-store-private.h"
#include "crm-store-team.h"

/* the kept rows in the table's order (by name, bytes): for comparing */
static GPtrArray *
select_users (CrmStore  *self,
              GError   **error)
{
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                crm_wire_user_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _crm_store_prepare (self->db, "SELECT name, user_id FROM team_users ORDER BY name",
                             0, _("Cannot read the team’s users"), error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmWireUser *u = g_new0 (CrmWireUser, 1);

      u->name = _crm_store_column_dup (stmt, 0);
      u->id = _crm_store_column_dup (stmt, 1);
      g_ptr_array_add (users, u);
    }
  if (rc != SQLITE_DONE)
    {
      _crm_store_set_error (error, self->db, rc, _("Cannot read the team’s users"));
      return NULL;
    }
  return g_steal_pointer (&users);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  const CrmWireUser *x = *(CrmWireUser * const *) a;
  const CrmWireUser *y = *(CrmWireUser * const *) b;

  return strcmp (x->name, y->name);
}

/* whether @kept (by name) holds exactly @users, in any order */
static gboolean
same_users (GPtrArray *kept,
            GPtrArray *users)
{
  g_autoptr (GPtrArray) sorted = NULL;

  if (kept->len != users->len)
    return FALSE;
  /* not g_ptr_array_copy (): that takes @users' free function along */
  sorted = g_ptr_array_sized_new (users->len);
  for (guint i = 0; i < users->len; i++)
    g_ptr_array_add (sorted, users->pdata[i]);
  g_ptr_array_sort (sorted, compare_names);
  for (guint i = 0; i < kept->len; i++)
    {
      const CrmWireUser *k = kept->pdata[i];
      const CrmWireUser *u = sorted->pdata[i];

      if (strcmp (k->name, u->name) != 0 || g_strcmp0 (k->id, u->id) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
replace_users (CrmStore   *self,
               GPtrArray  *users,
               GError    **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (!_crm_store_exec (self->db, "DELETE FROM team_users", error))
    return FALSE;
  stmt = _crm_store_prepare (self->db, "INSERT INTO team_users (name, user_id) VALUES (?1, ?2)",
                             0, _("Cannot keep the team’s users"), error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    {
      const CrmWireUser *u = users->pdata[i];

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, u->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, u->id, -1, SQLITE_STATIC);
      if (!_crm_store_step_done (stmt, _("Cannot keep the team’s users"), error))
        return FALSE;
    }
  return TRUE;
}

/**
 * crm_store_set_team_users:
 * @users: (element-type CrmWireUser): the company's users, as the server
 *   listed them
 *
 * Replaces the kept list in one transaction, or does nothing when it is
 * the same list. A name given twice fails the whole and keeps the old list.
 *
 * Returns: %FALSE with @error set when the list could not be kept.
 */
gboolean
crm_store_set_team_users (CrmStore   *self,
                          GPtrArray  *users,
                          GError    **error)
{
  g_autoptr (GPtrArray) kept = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (users != NULL, FALSE);

  for (guint i = 0; i < users->len; i++)
    {
      const CrmWireUser *u = users->pdata[i];

      g_return_val_if_fail (u != NULL && u->name != NULL && u->id != NULL, FALSE);
    }
  if (!_crm_store_begin (self, error))
    return FALSE;
  kept = select_users (self, error);
  if (kept != NULL && same_users (kept, users))
    return _crm_store_end (self, TRUE, error);
  ok = kept != NULL && replace_users (self, users, error);
  if (!_crm_store_end (self, ok, ok ? error : NULL))
    ok = FALSE;
  if (ok)
    g_signal_emit (self, _crm_store_signals[CRM_STORE_TEAM_USERS_CHANGED], 0);
  return ok;
}

typedef struct
{
  char        *key;
  CrmWireUser *user;
} Keyed;

static int
compare_keyed (gconstpointer a,
               gconstpointer b)
{
  const Keyed *x = a;
  const Keyed *y = b;
  int c = strcmp (x->key, y->key);

  return c != 0 ? c : strcmp (x->user->name, y->user->name);
}

/**
 * crm_store_list_team_users:
 *
 * Returns: (transfer container) (element-type CrmWireUser): the kept
 *   users in the order of their names (the contact list's: pinyin for
 *   Chinese), or %NULL with @error set
 */
GPtrArray *
crm_store_list_team_users (CrmStore  *self,
                           GError   **error)
{
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GArray) keyed = NULL;
  GPtrArray *sorted;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  users = select_users (self, error);
  if (users == NULL)
    return NULL;
  keyed = g_array_sized_new (FALSE, FALSE, sizeof (Keyed), users->len);
  for (guint i = 0; i < users->len; i++)
    {
      Keyed k = { crm_pinyin_sort_key (((CrmWireUser *) users->pdata[i])->name),
                  users->pdata[i] };

      g_array_append_val (keyed, k);
    }
  g_array_sort (keyed, compare_keyed);
  sorted = g_ptr_array_new_full (users->len, (GDestroyNotify) crm_wire_user_free);
  for (guint i = 0; i < keyed->len; i++)
    {
      Keyed *k = &g_array_index (keyed, Keyed, i);

      g_ptr_array_add (sorted, k->user);
      g_free (k->key);
    }
  /* the users moved to @sorted */
  g_ptr_array_set_free_func (users, NULL);
  return sorted;
}
