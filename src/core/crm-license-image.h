/* crm-license-image.h — license images decoded at the preview's size, for crm-license-file.c
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

GdkPixbuf *_crm_license_png_preview  (const guchar  *data,
                                      gsize          length,
                                      guint          width,
                                      guint          height,
                                      GError       **error);
GdkPixbuf *_crm_license_jpeg_preview (GBytes        *bytes,
                                      GError       **error);
GdkPixbuf *_crm_license_pdf_preview  (GBytes        *bytes);
void       _crm_license_preview_size (guint          width,
                                      guint          height,
                                      guint         *preview_width,
                                      guint         *preview_height);
gboolean   _crm_jpeg_next_segment    (const guchar  *data,
                                      gsize          length,
                                      gsize         *pos,
                                      guchar        *marker,
                                      guint16       *segment_length);
gboolean   _crm_jpeg_is_frame        (guchar         marker);

G_END_DECLS
