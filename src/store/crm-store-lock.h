/* crm-store-lock.h — one writer per data folder: the app or xiaohe-crm-cli
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* the lock file next to the database */
#define CRM_STORE_LOCK_NAME "xiaohe-crm.lock"

typedef struct _CrmStoreLock CrmStoreLock;

CrmStoreLock *crm_store_lock_acquire (const char    *data_dir,
                                      GError       **error);
void          crm_store_lock_release (CrmStoreLock  *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmStoreLock, crm_store_lock_release)

G_END_DECLS
