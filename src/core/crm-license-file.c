/* crm-license-file.c — a business license image or PDF, judged by content
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The name of a file says nothing: a ZIP or a program named license.png is
 * refused. A file is a PNG, JPEG or PDF by its signature, and then only if
 * it decodes (images, all of it, into a preview of at most 1024 pixels a
 * side: see crm-license-image.c) or parses (PDF: header, pages, end
 * marker). The size is checked before the file is read, and an image's
 * dimensions are read from its header and bounded before any pixel is
 * decoded; decoding keeps within 64 MB and a second, or the image is
 * refused.
 */
#define _GNU_SOURCE /* memmem() */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "crm-license-file.h"
#include "crm-license-image.h"

G_DEFINE_QUARK (crm-license-error-quark, crm_license_error)

void
crm_license_file_free (CrmLicenseFile *file)
{
  g_free (file->mime_type);
  g_free (file->sha256);
  g_clear_pointer (&file->data, g_bytes_unref);
  g_clear_object (&file->preview);
  g_free (file);
}

CrmLicenseFile *
crm_license_file_copy (const CrmLicenseFile *file)
{
  CrmLicenseFile *copy = g_new0 (CrmLicenseFile, 1);

  g_return_val_if_fail (file != NULL, NULL);
  *copy = *file;
  copy->mime_type = g_strdup (file->mime_type);
  copy->sha256 = g_strdup (file->sha256);
  copy->data = file->data ? g_bytes_ref (file->data) : NULL;
  copy->preview = file->preview ? g_object_ref (file->preview) : NULL;
  return copy;
}

static guint32
be32 (const guchar *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static guint16
be16 (const guchar *p)
{
  return (guint16)(p[0] << 8 | p[1]);
}

/* the dimensions a JPEG declares in its first start-of-frame segment */
static gboolean
jpeg_dimensions (const guchar *d,
                 gsize         n,
                 guint        *width,
                 guint        *height)
{
  gsize i = 2;
  guchar marker;
  guint16 length;

  while (_crm_jpeg_next_segment (d, n, &i, &marker, &length))
    {
      if (_crm_jpeg_is_frame (marker))
        {
          if (i + 9 > n)
            return FALSE;
          *height = be16 (d + i + 5);
          *width = be16 (d + i + 7);
          return TRUE;
        }
      i += 2 + length;
    }
  return FALSE;
}

static guint
count_pdf_pages (const char *d,
                 gsize       n)
{
  guint pages = 0;

  for (const char *p = d; (p = memmem (p, n - (p - d), "/Type", 5)) != NULL; p += 5)
    {
      const char *q = p + 5;

      while (q < d + n && (*q == ' ' || *q == '\r' || *q == '\n'))
        q++;
      if (q + 5 <= d + n && memcmp (q, "/Page", 5) == 0
          && (q + 5 == d + n || !g_ascii_isalnum (q[5])))
        pages++;
    }
  return pages;
}

static gboolean
check_dimensions (guint    width,
                  guint    height,
                  GError **error)
{
  if (width == 0 || height == 0)
    {
      g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED,
                           _("The image declares no size: it is damaged"));
      return FALSE;
    }
  if (width > CRM_LICENSE_MAX_SIDE || height > CRM_LICENSE_MAX_SIDE
      || (guint64)width * height > CRM_LICENSE_MAX_PIXELS)
    {
      g_set_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DIMENSIONS,
                   _("The image is %u × %u pixels, more than a scan of a license can be: "
                     "at most %u pixels a side"),
                   width, height, CRM_LICENSE_MAX_SIDE);
      return FALSE;
    }
  return TRUE;
}

/**
 * crm_license_file_new_from_bytes:
 *
 * Judges @bytes (a file's content, or an image pasted from the clipboard).
 *
 * Returns: (transfer full) (nullable): what it is, or %NULL with a
 *   %CRM_LICENSE_ERROR meant for the person.
 */
CrmLicenseFile *
crm_license_file_new_from_bytes (GBytes  *bytes,
                                 GError **error)
{
  g_autoptr (CrmLicenseFile) file = g_new0 (CrmLicenseFile, 1);
  gsize n;
  const guchar *d = g_bytes_get_data (bytes, &n);

  g_return_val_if_fail (bytes != NULL, NULL);

  if (n > CRM_LICENSE_MAX_SIZE)
    {
      g_set_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_TOO_BIG,
                   _("The file is %.1f MB; a license may be 10 MB at most"), n / 1048576.0);
      return NULL;
    }
  if (n == 0)
    {
      g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_EMPTY,
                           _("The file is empty"));
      return NULL;
    }

  if (n >= 24 && memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0)
    {
      if (memcmp (d + 12, "IHDR", 4) != 0)
        {
          g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED,
                               _("The PNG image is damaged: it has no header"));
          return NULL;
        }
      file->mime_type = g_strdup ("image/png");
      file->width = be32 (d + 16);
      file->height = be32 (d + 20);
      if (!check_dimensions (file->width, file->height, error))
        return NULL;
      /* a whole PNG ends with its IEND chunk (gdk-pixbuf shows a cut one) */
      if (memmem (d + n - MIN (n, 64), MIN (n, 64), "IEND", 4) == NULL)
        {
          g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED,
                               _("The PNG image is incomplete: its end is missing"));
          return NULL;
        }
    }
  else if (n >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
    {
      file->mime_type = g_strdup ("image/jpeg");
      if (!jpeg_dimensions (d, n, &file->width, &file->height))
        {
          g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED,
                               _("The JPEG image is damaged: its size cannot be read"));
          return NULL;
        }
      if (!check_dimensions (file->width, file->height, error))
        return NULL;
      /* a whole JPEG ends with its end-of-image marker */
      if (memmem (d + n - MIN (n, 1024), MIN (n, 1024), "\xff\xd9", 2) == NULL)
        {
          g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED,
                               _("The JPEG image is incomplete: its end is missing"));
          return NULL;
        }
    }
  else if (n >= 8 && memcmp (d, "%PDF-", 5) == 0)
    {
      gsize tail = MIN (n, 2048);

      file->mime_type = g_strdup ("application/pdf");
      file->n_pages = count_pdf_pages ((const char *)d, n);
      if (memmem (d + n - tail, tail, "%%EOF", 5) == NULL || file->n_pages == 0)
        {
          g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED,
                               _("The PDF document is damaged or incomplete"));
          return NULL;
        }
    }
  else
    {
      const char *what;

      if (n >= 4 && memcmp (d, "PK\x03\x04", 4) == 0)
        what = _("This is a ZIP archive (or an Office document), not an image or a PDF");
      else if ((n >= 4 && memcmp (d, "\x7f" "ELF", 4) == 0) || (n >= 2 && memcmp (d, "MZ", 2) == 0))
        what = _("This is a program, not an image or a PDF");
      else
        what = _("This is not a PNG or JPEG image or a PDF document");
      g_set_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_NOT_SUPPORTED,
                   "%s", what);
      return NULL;
    }

  if (g_strcmp0 (file->mime_type, "image/png") == 0)
    file->preview = _crm_license_png_preview (d, n, file->width, file->height, error);
  else if (g_strcmp0 (file->mime_type, "image/jpeg") == 0)
    file->preview = _crm_license_jpeg_preview (bytes, error);
  else
    file->preview = _crm_license_pdf_preview (bytes); /* none: shown as a document */
  if (file->n_pages == 0 && file->preview == NULL)
    return NULL;

  file->size = n;
  file->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  file->data = g_bytes_ref (bytes);
  return g_steal_pointer (&file);
}

/**
 * crm_license_file_load:
 *
 * Reads and judges the file at @path; one larger than 10 MB is refused
 * before it is read.
 */
CrmLicenseFile *
crm_license_file_load (const char  *path,
                       GError     **error)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_READ,
                   _("Cannot read “%s”"), path);
      return NULL;
    }
  if (st.st_size > CRM_LICENSE_MAX_SIZE)
    {
      g_set_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_TOO_BIG,
                   _("The file is %.1f MB; a license may be 10 MB at most"),
                   st.st_size / 1048576.0);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, NULL))
    {
      g_set_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_READ,
                   _("Cannot read “%s”"), path);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return crm_license_file_new_from_bytes (bytes, error);
}

/**
 * crm_license_file_describe:
 * @n_pages: the pages of a PDF, 0 for an image
 *
 * What a person reads of a license file; its SHA-256 is no part of it
 * (a tooltip may give it).
 *
 * Returns: (transfer full): "营业执照.png · PNG · 1.6 kB"
 */
char *
crm_license_file_describe (const char *name,
                           const char *mime_type,
                           gint64      size,
                           guint       n_pages)
{
  g_autofree char *formatted_size = g_format_size (size);

  if (name == NULL)
    name = "";
  if (n_pages > 0 || g_strcmp0 (mime_type, "application/pdf") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s · PDF, %u page · %s",
                                         "%s · PDF, %u pages · %s",
                                         n_pages),
                            name, n_pages, formatted_size);
  return g_strdup_printf (_("%s · %s · %s"), name,
                          g_strcmp0 (mime_type, "image/png") == 0 ? "PNG" : "JPEG",
                          formatted_size);
}
