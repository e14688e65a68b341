/* crm-test-mirror.h — a copy of a list model kept by its items-changed signals
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* the id of @item, a row of the model */
typedef const char *(*CrmTestIdFunc) (gpointer item);

/* Mirrors a model by applying its items-changed signals, so a wrong
 * position or count shows up as a difference from the model's contents. */
typedef struct
{
  GListModel     *model;     /* not owned: outlives the mirror */
  CrmTestIdFunc   id;
  gboolean        reread;
  GPtrArray      *ids;       /* what each row read as, in order */
  guint           position;  /* the last signal's */
  guint           removed;
  guint           added;
  guint           n_signals;
} CrmTestMirror;

char          *crm_test_row_id               (GListModel     *model,
                                              guint           position,
                                              CrmTestIdFunc   id);
CrmTestMirror *crm_test_mirror_new           (GListModel     *model,
                                              CrmTestIdFunc   id,
                                              gboolean        reread);
void           crm_test_mirror_free          (CrmTestMirror  *mirror);
void           crm_test_mirror_assert_signal (CrmTestMirror  *mirror,
                                              guint           n_signals,
                                              guint           position,
                                              guint           removed,
                                              guint           added);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTestMirror, crm_test_mirror_free)

G_END_DECLS
