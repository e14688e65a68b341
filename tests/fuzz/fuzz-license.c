/* fuzz-license.c — the business license judge on any bytes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Properties: a refusal is a CRM_LICENSE_ERROR; what is accepted is a PNG,
 * JPEG or PDF within the limits, with its size and SHA-256 right. make fuzz
 * runs it with -malloc_limit_mb and -timeout for the limits on judging.
 */
#include "config.h"

#include <string.h>

#include "crm-license-file.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (CrmLicenseFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sha256 = NULL;
  gboolean image;

  fuzz_init ();
  file = crm_license_file_new_from_bytes (bytes, &error);
  if (file == NULL)
    {
      if (error == NULL || error->domain != CRM_LICENSE_ERROR)
        fuzz_fail ("crm_license_file_new_from_bytes refused without a CRM_LICENSE_ERROR");
      return 0;
    }

  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  if (file->size != size || g_strcmp0 (file->sha256, sha256) != 0 || file->data == NULL
      || !g_bytes_equal (file->data, bytes))
    fuzz_fail ("an accepted file of %zu bytes is described as %zu bytes, SHA-256 %s",
               size, file->size, file->sha256);

  image = g_strcmp0 (file->mime_type, "image/png") == 0
          || g_strcmp0 (file->mime_type, "image/jpeg") == 0;
  if (image)
    {
      if (file->width == 0 || file->height == 0 || file->width > CRM_LICENSE_MAX_SIDE
          || file->height > CRM_LICENSE_MAX_SIDE
          || (guint64)file->width * file->height > CRM_LICENSE_MAX_PIXELS)
        fuzz_fail ("an accepted %s of %u×%u", file->mime_type, file->width, file->height);
    }
  else if (g_strcmp0 (file->mime_type, "application/pdf") == 0)
    {
      if (file->n_pages == 0)
        fuzz_fail ("an accepted PDF of no pages");
    }
  else
    fuzz_fail ("accepted as %s", file->mime_type ? file->mime_type : "(null)");
  return 0;
}
