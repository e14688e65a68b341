/* crm-contact-list-order.c — the contact list by "last followed up", the
 * filter "not followed up for N days" and the owner filter ("My customers")
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of CrmContactList (crm-contact-list-private.h). In the follow-up
 * order, or with the filter on, the list shows an array of local ids, as
 * for a search: every live contact (or the search's matches, which come
 * in name order) is filtered and put in order on a worker thread by
 * crm-contact-order.c, which also says why not by keyset as the name
 * order is. Meanwhile the list shows what it showed and is "searching";
 * the result comes in one items-changed. Afterwards a changed contact
 * moves in the array by itself (crm-contact-list.c's on_contact_changed()
 * asks _crm_contact_list_still_listed() and _crm_contact_order_find_place()).
 *
 * The filter counts "N days" from the moment it was set or the list was
 * last arranged (a search, a reset): a contact crossing the line later
 * shows at the next of those. The owner filter keeps the contacts whose
 * owner (负责人) is exactly the name given (the signed-in user's, for "My
 * customers"); a contact whose owner is edited in or out moves by itself
 * like any changed contact.
 */
#include "config.h"

#include "crm-contact-list-private.h"
#include "crm-store-private.h"

/* whether the contents go through the array of crm-contact-order.c */
gboolean
_crm_contact_list_needs_arrange (CrmContactList *self)
{
  return self->order != CRM_CONTACT_ORDER_NAME || self->stale_days > 0 || self->owner != NULL;
}

/* Whether the contact @rowid, as stored now, belongs in the filtered
 * contents shown: the search's C rule, the stale filter's, the owner's. */
gboolean
_crm_contact_list_still_listed (CrmContactList *self,
                                sqlite3        *db,
                                gint64          rowid)
{
  if (self->filter_query != NULL && !_crm_contact_search_matches (db, self->filter_query, rowid))
    return FALSE;
  if (self->filter_owner != NULL && !_crm_contact_has_owner (db, rowid, self->filter_owner))
    return FALSE;
  return self->stale_before == NULL || _crm_contact_is_stale (db, rowid, self->stale_before);
}

typedef struct
{
  GArray              *candidates;   /* a search's matches, or NULL for all */
  char                *query;
  char                *stale_before;
  char                *owner;
  CrmContactListOrder  order;
  guint                serial;
  GArray              *rowids;       /* the result */
} ArrangeData;

static void
arrange_data_free (ArrangeData *data)
{
  g_clear_pointer (&data->candidates, g_array_unref);
  g_clear_pointer (&data->rowids, g_array_unref);
  g_free (data->query);
  g_free (data->stale_before);
  g_free (data->owner);
  g_free (data);
}

static void
arrange_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CrmContactList *self = source_object;
  ArrangeData *data = task_data;
  GError *error = NULL;
  sqlite3 *reader = _crm_contact_search_lock_reader (self->search, &error);

  /* the order is kept for the next arrangement until the store changes */
  if (reader != NULL
      && (self->arranged_by == NULL || self->arranged_serial != data->serial
          || _crm_contact_order_get_kind (self->arranged_by) != data->order))
    {
      g_clear_pointer (&self->arranged_by, _crm_contact_order_free);
      self->arranged_by = _crm_contact_order_build_for (reader, data->order, cancellable,
                                                        &error);
      self->arranged_serial = data->serial;
    }
  if (reader != NULL && self->arranged_by != NULL)
    data->rowids = _crm_contact_order_arrange (self->arranged_by, reader, data->candidates,
                                               data->stale_before, data->owner, cancellable,
                                               &error);
  _crm_contact_search_unlock_reader (self->search);

  if (data->rowids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
arrange_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CrmContactList *self = CRM_CONTACT_LIST (object);
  ArrangeData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  GArray *rowids;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return; /* a newer arrangement or search is running */
      if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT))
        g_message ("Cannot list the contacts: %s", error->message);
      else
        g_warning ("Cannot list the contacts: %s", error->message);
    }
  g_clear_object (&self->arrange_cancellable);
  if (data->serial != self->change_serial)
    {
      /* the store changed meanwhile: again */
      _crm_contact_list_run_query (self, self->query);
      return;
    }

  rowids = data->rowids ? g_steal_pointer (&data->rowids)
                        : g_array_new (FALSE, FALSE, sizeof (gint64));
  self->searching = FALSE;
  self->filter_order = data->order;
  g_free (self->filter_query);
  self->filter_query = g_strdup (data->query);
  g_free (self->stale_before);
  self->stale_before = g_strdup (data->stale_before);
  g_free (self->filter_owner);
  self->filter_owner = g_strdup (data->owner);
  _crm_contact_list_set_contents (self, rowids, rowids->len, 0, self->n_items, rowids->len);
  g_object_notify (G_OBJECT (self), "searching");
}

/* Filters @candidates (NULL for every live contact; the matches of @query)
 * and puts them in the order asked for, on a worker thread; the list is
 * searching until then. */
void
_crm_contact_list_arrange (CrmContactList *self,
                           GArray         *candidates,
                           const char     *query)
{
  g_autoptr (GTask) task = NULL;
  ArrangeData *data;

  g_cancellable_cancel (self->arrange_cancellable);
  g_clear_object (&self->arrange_cancellable);
  self->arrange_cancellable = g_cancellable_new ();

  data = g_new0 (ArrangeData, 1);
  data->candidates = candidates ? g_array_ref (candidates) : NULL;
  data->query = g_strdup (query);
  data->order = self->order;
  data->owner = g_strdup (self->owner);
  data->serial = self->change_serial;
  if (self->stale_days > 0)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      data->stale_before = _crm_contact_stale_cutoff (now, self->stale_days);
    }

  task = g_task_new (self, self->arrange_cancellable, arrange_done, NULL);
  g_task_set_source_tag (task, _crm_contact_list_arrange);
  g_task_set_task_data (task, data, (GDestroyNotify)arrange_data_free);
  g_task_run_in_thread (task, arrange_thread);

  if (!self->searching)
    {
      self->searching = TRUE;
      g_object_notify (G_OBJECT (self), "searching");
    }
}

CrmContactListOrder
crm_contact_list_get_order (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), CRM_CONTACT_ORDER_NAME);
  return self->order;
}

/**
 * crm_contact_list_set_order:
 *
 * Lists the contacts (or the search's matches) by name, or longest
 * without a follow-up first (%CRM_CONTACT_ORDER_LAST_FOLLOWUP: the
 * contacts that most need one on top). The new order is found on a worker
 * thread (#CrmContactList:searching meanwhile) and shown in one
 * items-changed.
 */
void
crm_contact_list_set_order (CrmContactList      *self,
                            CrmContactListOrder  order)
{
  g_return_if_fail (CRM_IS_CONTACT_LIST (self));
  g_return_if_fail (order == CRM_CONTACT_ORDER_NAME
                    || order == CRM_CONTACT_ORDER_LAST_FOLLOWUP);

  if (order == self->order)
    return;
  self->order = order;
  _crm_contact_list_run_query (self, self->query);
}

guint
crm_contact_list_get_stale_days (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), 0);
  return self->stale_days;
}

/**
 * crm_contact_list_set_stale_days:
 * @days: 0 to list every contact
 *
 * Lists only the contacts not followed up for @days days (never, or last
 * before now minus @days days), in either order, with the search too.
 * Setting it again counts from now again.
 */
void
crm_contact_list_set_stale_days (CrmContactList *self,
                                 guint           days)
{
  g_return_if_fail (CRM_IS_CONTACT_LIST (self));

  if (days == 0 && self->stale_days == 0)
    return;
  self->stale_days = days;
  _crm_contact_list_run_query (self, self->query);
}


const char *
crm_contact_list_get_owner (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), NULL);
  return self->owner;
}

/**
 * crm_contact_list_set_owner:
 * @owner: (nullable): an owner's name (负责人), or %NULL to list every
 *   owner's contacts
 *
 * Lists only the contacts whose owner is exactly @owner ("My customers"
 * with the signed-in user's name), in either order, with the search and
 * the stale filter too. An empty @owner is %NULL: no contact is nobody's
 * customer by filter. Found on a worker thread like the other filters.
 */
void
crm_contact_list_set_owner (CrmContactList *self,
                            const char     *owner)
{
  g_return_if_fail (CRM_IS_CONTACT_LIST (self));

  if (owner != NULL && *owner == '\0')
    owner = NULL;
  if (g_strcmp0 (owner, self->owner) == 0)
    return;
  g_free (self->owner);
  self->owner = g_strdup (owner);
  _crm_contact_list_run_query (self, self->query);
}
