/* crm-vcard-reader.h — a file of vCards (2.1, 3.0, 4.0) as a CrmTable
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-table.h"

G_BEGIN_DECLS

CrmTable *crm_vcard_reader_read (GBytes        *bytes,
                                 GCancellable  *cancellable,
                                 GError       **error);

G_END_DECLS
