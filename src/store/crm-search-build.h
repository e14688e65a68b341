/* crm-search-build.h — the search index built in bulk, after a bulk write
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* @done of @total contacts left to index are indexed */
typedef void (*CrmSearchBuildProgress) (gint64   done,
                                        gint64   total,
                                        gpointer data);

gboolean crm_store_search_index_is_complete  (CrmStore                *self);
gboolean crm_store_build_search_index        (CrmStore                *self,
                                              CrmSearchBuildProgress   progress,
                                              gpointer                 progress_data,
                                              GCancellable            *cancellable,
                                              GError                 **error);
void     crm_store_build_search_index_async  (CrmStore                *self,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
gboolean crm_store_build_search_index_finish (CrmStore                *self,
                                              GAsyncResult            *result,
                                              GError                 **error);

G_END_DECLS
