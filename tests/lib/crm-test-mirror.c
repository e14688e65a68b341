/* crm-test-mirror.c — a copy of a list model kept by its items-changed signals
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-test-mirror.h"

/* the id of the row at @position of @model, newly allocated; asserts that
 * there is a row */
char *
crm_test_row_id (GListModel    *model,
                 guint          position,
                 CrmTestIdFunc  id)
{
  g_autoptr (GObject) item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  return g_strdup (id (item));
}

static void
on_items_changed (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  CrmTestMirror *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->ids->len);
  if (mirror->reread)
    g_assert_cmpuint (mirror->ids->len - removed + added, ==, g_list_model_get_n_items (model));
  g_ptr_array_remove_range (mirror->ids, position, removed);
  for (guint i = 0; i < added; i++)
    {
      char *id = crm_test_row_id (model, position + i, mirror->id);
      g_ptr_array_insert (mirror->ids, position + i, id);
    }
  mirror->position = position;
  mirror->removed = removed;
  mirror->added = added;
  mirror->n_signals++;

  /* a list widget reads the rows in the handler: they must already be
   * the new ones, all of them (a cache filled in the middle of a change
   * served the old order, one off, and read past a page's end) */
  for (guint i = 0; mirror->reread && i < mirror->ids->len; i++)
    {
      g_autofree char *id = crm_test_row_id (model, i, mirror->id);
      g_assert_cmpstr (id, ==, g_ptr_array_index (mirror->ids, i));
    }
}

/* A mirror of @model's rows by their @id, from now on. With @reread,
 * each signal also checks that the model's count already agrees and that
 * every row reads, inside the handler, as the mirror says. */
CrmTestMirror *
crm_test_mirror_new (GListModel    *model,
                     CrmTestIdFunc  id,
                     gboolean       reread)
{
  CrmTestMirror *mirror = g_new0 (CrmTestMirror, 1);

  mirror->model = model;
  mirror->id = id;
  mirror->reread = reread;
  mirror->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (mirror->ids, crm_test_row_id (model, i, id));
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), mirror);
  return mirror;
}

void
crm_test_mirror_free (CrmTestMirror *mirror)
{
  g_signal_handlers_disconnect_by_data (mirror->model, mirror);
  g_ptr_array_unref (mirror->ids);
  g_free (mirror);
}

/* the mirror saw @n_signals signals, the last one (@position, @removed, @added) */
void
crm_test_mirror_assert_signal (CrmTestMirror *mirror,
                               guint          n_signals,
                               guint          position,
                               guint          removed,
                               guint          added)
{
  g_assert_cmpuint (mirror->n_signals, ==, n_signals);
  g_assert_cmpuint (mirror->position, ==, position);
  g_assert_cmpuint (mirror->removed, ==, removed);
  g_assert_cmpuint (mirror->added, ==, added);
}
