/* crm-contact-search.h — the contact list's search worker
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "crm-store.h"

G_BEGIN_DECLS

typedef struct _CrmContactSearch CrmContactSearch;

/* On the main thread: the first page of the results of @query, found
 * before the rest, for the search started last. */
typedef void (*CrmContactSearchFirstPageFunc) (GObject    *owner,
                                               GArray     *rowids,
                                               const char *query);

CrmContactSearch *_crm_contact_search_new          (CrmStore                      *store);
void              _crm_contact_search_free         (CrmContactSearch              *search);
sqlite3          *_crm_contact_search_lock_reader  (CrmContactSearch              *search,
                                                    GError                       **error);
void              _crm_contact_search_unlock_reader (CrmContactSearch             *search);
void              _crm_contact_search_start        (CrmContactSearch              *search,
                                                    GObject                       *owner,
                                                    const char                    *query,
                                                    guint                          serial,
                                                    CrmContactSearchFirstPageFunc  first_page,
                                                    GAsyncReadyCallback            callback);
void              _crm_contact_search_cancel       (CrmContactSearch              *search);
GArray           *_crm_contact_search_finish       (CrmContactSearch              *search,
                                                    GAsyncResult                  *result,
                                                    const char                   **query,
                                                    guint                         *serial,
                                                    GError                       **error);
gboolean          _crm_contact_search_matches      (sqlite3                       *db,
                                                    const char                    *query,
                                                    gint64                         rowid);
guint             _crm_contact_search_find_place   (sqlite3                       *db,
                                                    GArray                        *filter,
                                                    CrmContact                    *contact);

G_END_DECLS
