/* crm-undo.c — the deleted items a page can bring back, and their toast
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contacts and deals pages delete at once and offer Undo: a toast with
 * an Undo button bound to the page's undo action (Ctrl+Z too), which
 * restores the most recently deleted item first. The last MAX_UNDO
 * deletions are kept; only the newest has a toast.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-undo.h"

#define MAX_UNDO 20

/**
 * crm_undo_queue_init:
 * @overlay: where the toast shows
 * @action_name: (not nullable): a static string, e.g. "deals.undo"
 */
void
crm_undo_queue_init (CrmUndoQueue    *self,
                     AdwToastOverlay *overlay,
                     const char      *action_name)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->toast = NULL;
  self->overlay = overlay;
  self->action_name = action_name;
}

static void
dismiss_toast (CrmUndoQueue *self)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
}

/**
 * crm_undo_queue_push:
 * @item: (type GObject): what was deleted (a reference is taken)
 * @name: how the toast names it
 *
 * Keeps @item for undo and says “@name” deleted, with an Undo button.
 */
void
crm_undo_queue_push (CrmUndoQueue *self,
                     gpointer      item,
                     const char   *name)
{
  g_autofree char *title = NULL;

  g_ptr_array_add (self->items, g_object_ref (item));
  if (self->items->len > MAX_UNDO)
    g_ptr_array_remove_index (self->items, 0);

  dismiss_toast (self);
  title = g_strdup_printf (_("“%s” deleted"), name);
  self->toast = adw_toast_new (title);
  g_object_add_weak_pointer (G_OBJECT (self->toast), (gpointer *)&self->toast);
  adw_toast_set_button_label (self->toast, _("_Undo"));
  adw_toast_set_action_name (self->toast, self->action_name);
  adw_toast_set_priority (self->toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (self->toast, 10);
  adw_toast_overlay_add_toast (self->overlay, self->toast);
}

/**
 * crm_undo_queue_pop:
 *
 * Takes the most recently deleted item, and dismisses the toast.
 *
 * Returns: (transfer full) (nullable): the item, %NULL when none is left
 */
gpointer
crm_undo_queue_pop (CrmUndoQueue *self)
{
  if (self->items->len == 0)
    return NULL;
  dismiss_toast (self);
  return g_ptr_array_steal_index (self->items, self->items->len - 1);
}

gboolean
crm_undo_queue_is_empty (CrmUndoQueue *self)
{
  return self->items == NULL || self->items->len == 0;
}

/* Forgets everything; the toast, if still shown, stays to time out. */
void
crm_undo_queue_clear (CrmUndoQueue *self)
{
  if (self->toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->toast), (gpointer *)&self->toast);
  self->toast = NULL;
  g_clear_pointer (&self->items, g_ptr_array_unref);
}
