/* crm-store-health.h — a damaged store: detection, write refusal, the empty file
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* the file written next to the database when the store is first opened in a
 * folder: a 0-byte database with it there was emptied, not new */
#define CRM_STORE_MARKER_NAME "xiaohe-crm.in-use"

typedef struct _CrmStoreHealth CrmStoreHealth;

CrmStoreHealth *_crm_store_health_new        (CrmStore        *store,
                                              sqlite3         *db);
void            _crm_store_health_free       (CrmStoreHealth  *health);
gboolean        _crm_store_health_is_damaged (CrmStoreHealth  *health);
const char     *_crm_store_health_get_reason (CrmStoreHealth  *health);
gboolean        _crm_store_health_writable   (CrmStoreHealth  *health,
                                              GError         **error);
void            _crm_store_health_report     (sqlite3         *db,
                                              const char      *detail);

gboolean        _crm_store_check_not_emptied (const char      *data_dir,
                                              const char      *path,
                                              GError         **error);
void            _crm_store_write_marker      (const char      *data_dir);

G_END_DECLS
