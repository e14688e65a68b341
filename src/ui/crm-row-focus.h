/* crm-row-focus.h — give the focus to a list row by its position
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  GtkWidget *list;       /* a GtkListView or GtkGridView: its children are rows */
  guint      tick;
  guint      position;
  guint      tries;
} CrmRowFocus;

void crm_row_focus_mark_row (GtkWidget   *row,
                             GtkListItem *item);
void crm_row_focus_start    (CrmRowFocus *self,
                             GtkWidget   *list,
                             guint        position);
void crm_row_focus_cancel   (CrmRowFocus *self);

G_END_DECLS
