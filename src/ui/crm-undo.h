/* crm-undo.h — the deleted items a page can bring back, and their toast
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct
{
  GPtrArray       *items;        /* GObject, most recent last */
  AdwToast        *toast;        /* the Undo toast while shown */
  AdwToastOverlay *overlay;
  const char      *action_name;  /* static: the page's undo action */
} CrmUndoQueue;

void     crm_undo_queue_init     (CrmUndoQueue    *self,
                                  AdwToastOverlay *overlay,
                                  const char      *action_name);
void     crm_undo_queue_push     (CrmUndoQueue    *self,
                                  gpointer         item,
                                  const char      *name);
gpointer crm_undo_queue_pop      (CrmUndoQueue    *self);
gboolean crm_undo_queue_is_empty (CrmUndoQueue    *self);
void     crm_undo_queue_clear    (CrmUndoQueue    *self);

G_END_DECLS
