/* crm-archive.h — "Export everything": all the data in one .zip, and back
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "crm-export.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* limits an archive being imported must keep (CRM_IO_ERROR_TOO_LARGE past them) */
#define CRM_ARCHIVE_MAX_MEMBER   (G_GINT64_CONSTANT (1) << 30)   /* 1 GiB unpacked */
#define CRM_ARCHIVE_MAX_TOTAL    (G_GINT64_CONSTANT (4) << 30)
#define CRM_ARCHIVE_MAX_MEMBERS  1000

gboolean crm_archive_export (CrmStore           *store,
                             GFile              *file,
                             CrmExportProgress   progress,
                             gpointer            progress_data,
                             GCancellable       *cancellable,
                             GError            **error);
gboolean crm_archive_import (CrmStore           *store,
                             GFile              *file,
                             GCancellable       *cancellable,
                             GError            **error);

G_END_DECLS
