/* crm-io.h — libcrm-io: files in and out (CSV, XLSX, XLS, vCard, archives)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_IO_ERROR (crm_io_error_quark ())

typedef enum
{
  CRM_IO_ERROR_OPEN,        /* the file cannot be read or written */
  CRM_IO_ERROR_FORMAT,      /* not a file of that format, or damaged */
  CRM_IO_ERROR_ENCODING,    /* the text encoding cannot be told or converted */
  CRM_IO_ERROR_TOO_LARGE,   /* over a size limit (a field, a row, the file) */
  CRM_IO_ERROR_CANCELLED,   /* the user cancelled; nothing was changed */
  CRM_IO_ERROR_FAILED,      /* anything else */
} CrmIoError;

GQuark crm_io_error_quark (void);

G_END_DECLS
