/* crm-license-file.h — a business license image or PDF, judged by content
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define CRM_LICENSE_ERROR (crm_license_error_quark ())
#define CRM_LICENSE_MAX_SIZE (10 * 1024 * 1024)
#define CRM_LICENSE_MAX_SIDE 20000
#define CRM_LICENSE_MAX_PIXELS (100 * 1000 * 1000)

typedef enum
{
  CRM_LICENSE_ERROR_READ,          /* the file cannot be read */
  CRM_LICENSE_ERROR_TOO_BIG,       /* over CRM_LICENSE_MAX_SIZE */
  CRM_LICENSE_ERROR_NOT_SUPPORTED, /* not a PNG, JPEG or PDF, whatever its name */
  CRM_LICENSE_ERROR_DAMAGED,       /* the right kind, but it does not decode */
  CRM_LICENSE_ERROR_DIMENSIONS,    /* an image too large to be a scan, or to check
                                    * within 64 MB and a second */
  CRM_LICENSE_ERROR_EMPTY,         /* the file holds no byte */
} CrmLicenseError;

typedef struct
{
  char   *mime_type;  /* image/png, image/jpeg or application/pdf */
  char   *sha256;     /* of the content, lower-case hex */
  gsize   size;
  guint   width;      /* images */
  guint   height;
  guint   n_pages;    /* PDF */
  GBytes *data;
  GdkPixbuf *preview; /* decoded at most 1024 pixels a side; a PDF's first
                       * page, or NULL when poppler cannot render it */
} CrmLicenseFile;

GQuark          crm_license_error_quark      (void);
CrmLicenseFile *crm_license_file_load        (const char      *path,
                                              GError         **error);
CrmLicenseFile *crm_license_file_new_from_bytes (GBytes       *bytes,
                                              GError         **error);
CrmLicenseFile *crm_license_file_copy        (const CrmLicenseFile *file);
void            crm_license_file_free        (CrmLicenseFile  *file);
char           *crm_license_file_describe    (const char      *name,
                                              const char      *mime_type,
                                              gint64           size,
                                              guint            n_pages);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmLicenseFile, crm_license_file_free)

G_END_DECLS
