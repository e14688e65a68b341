/* crm-row-focus.c — give the focus to a list row by its position
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 cannot focus a row of a GtkListView or GtkGridView by position
 * (gtk_list_view_scroll_to() came in 4.12). The list scrolls to it; on the
 * next frames, once its row widget is laid out, that row takes the focus,
 * and the list tracks it as its focused row (arrows and Enter go on from
 * there). The factories mark each row with its list item when they bind.
 */
#include "config.h"

#include "crm-row-focus.h"

#define MAX_TRIES 30
#define ITEM_KEY "crm-row-focus-item"

/**
 * crm_row_focus_mark_row:
 * @row: the list's row widget (the parent of a list item's child)
 * @item: the list item it shows
 */
void
crm_row_focus_mark_row (GtkWidget   *row,
                        GtkListItem *item)
{
  g_object_set_data (G_OBJECT (row), ITEM_KEY, item);
}

static gboolean
focus_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  CrmRowFocus *self = user_data;

  for (GtkWidget *row = gtk_widget_get_first_child (self->list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkListItem *item = g_object_get_data (G_OBJECT (row), ITEM_KEY);

      if (item != NULL && gtk_widget_get_mapped (row)
          && gtk_list_item_get_position (item) == self->position)
        {
          gtk_widget_grab_focus (row);
          self->tick = 0;
          return G_SOURCE_REMOVE;
        }
    }
  if (++self->tries > MAX_TRIES)
    {
      gtk_widget_grab_focus (self->list);
      self->tick = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Scrolls @list to @position and focuses its row once laid out; a focus
 * still on its way is forgotten. */
void
crm_row_focus_start (CrmRowFocus *self,
                     GtkWidget   *list,
                     guint        position)
{
  crm_row_focus_cancel (self);
  self->list = list;
  self->position = position;
  self->tries = 0;
  gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
  self->tick = gtk_widget_add_tick_callback (list, focus_tick, self, NULL);
}

/* Forgets a focus still on its way: another row or list is to have it. */
void
crm_row_focus_cancel (CrmRowFocus *self)
{
  if (self->tick != 0 && self->list != NULL)
    gtk_widget_remove_tick_callback (self->list, self->tick);
  self->tick = 0;
}
