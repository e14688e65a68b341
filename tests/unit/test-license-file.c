/* test-license-file.c — license files judged by content, with files made here
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <png.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>

#include "crm-license-file.h"
#include "crm-test-util.h"

static char *dir;

static char *
write_file (const char   *name,
            const void   *data,
            gsize         length)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}

static GBytes *
make_image (const char *type,
            int         width,
            int         height)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr (GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, 0x2e8b57ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, type, &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, length);
}

/* a small but real one-page PDF */
static const char pdf[] =
  "%PDF-1.4\n"
  "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
  "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
  "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
  "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
  "0000000115 00000 n \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n";

static void
expect_error (const char *path,
              int         code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmLicenseFile) file = crm_license_file_load (path, &error);

  g_assert_null (file);
  g_assert_error (error, CRM_LICENSE_ERROR, code);
  g_test_message ("%s: %s", path, error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static void
test_license_accepts_real_files (void)
{
  g_autoptr (GBytes) png = make_image ("png", 1200, 800);
  g_autoptr (GBytes) jpeg = make_image ("jpeg", 640, 480);
  g_autofree char *png_path = write_file ("scan.png", g_bytes_get_data (png, NULL),
                                          g_bytes_get_size (png));
  /* named wrongly on purpose: the content decides */
  g_autofree char *jpeg_path = write_file ("photo.pdf", g_bytes_get_data (jpeg, NULL),
                                           g_bytes_get_size (jpeg));
  g_autofree char *pdf_path = write_file ("license.pdf", pdf, strlen (pdf));
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmLicenseFile) a = crm_license_file_load (png_path, &error);
  g_autoptr (CrmLicenseFile) b = NULL;
  g_autoptr (CrmLicenseFile) c = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (a->mime_type, ==, "image/png");
  g_assert_cmpuint (a->width, ==, 1200);
  g_assert_cmpuint (a->height, ==, 800);
  g_assert_cmpuint (a->size, ==, g_bytes_get_size (png));
  g_assert_cmpstr (a->sha256, ==, sha);
  g_assert_cmpuint (strlen (a->sha256), ==, 64);

  b = crm_license_file_load (jpeg_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->mime_type, ==, "image/jpeg");
  g_assert_cmpuint (b->width, ==, 640);
  g_assert_cmpuint (b->height, ==, 480);

  c = crm_license_file_load (pdf_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->mime_type, ==, "application/pdf");
  g_assert_cmpuint (c->n_pages, ==, 1);
}

static void
png_write_bytes (png_structp png,
                 png_bytep   data,
                 png_size_t  length)
{
  g_byte_array_append (png_get_io_ptr (png), data, length);
}

static void
png_flush_nothing (png_structp png)
{
}

/* A PNG made a row at a time by libpng (gdk-pixbuf cannot save 1-bit or
 * interlaced ones, and a whole 20000 × 5000 pixbuf is what is avoided):
 * @color_type and @depth as libpng has them; the left half of each row is
 * @left (a byte repeated), the right half @right. */
static GBytes *
make_png (guint    width,
          guint    height,
          int      color_type,
          int      depth,
          gboolean interlaced,
          guchar   left,
          guchar   right)
{
  GByteArray *out = g_byte_array_new ();
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct (png);
  int channels = color_type == PNG_COLOR_TYPE_RGB_ALPHA ? 4 : color_type == PNG_COLOR_TYPE_RGB
                 ? 3 : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
  gsize row_bytes = ((gsize)width * channels * depth + 7) / 8;
  g_autofree png_byte *row = g_malloc (row_bytes);
  int passes;

  g_assert_nonnull (info);
  for (gsize i = 0; i < row_bytes; i++)
    row[i] = i < row_bytes / 2 ? left : right;
  png_set_write_fn (png, out, png_write_bytes, png_flush_nothing);
  png_set_IHDR (png, info, width, height, depth, color_type,
                interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (color_type == PNG_COLOR_TYPE_PALETTE)
    {
      /* index 0: 0x112233 opaque; 1: 0xaabbcc half transparent */
      png_color colors[2] = { { 0x11, 0x22, 0x33 }, { 0xAA, 0xBB, 0xCC } };
      png_byte alpha[2] = { 255, 128 };

      png_set_PLTE (png, info, colors, 2);
      png_set_tRNS (png, info, alpha, 2, NULL);
    }
  png_set_compression_level (png, 9);
  png_write_info (png, info);
  passes = png_set_interlace_handling (png);
  for (int pass = 0; pass < passes; pass++)
    for (guint y = 0; y < height; y++)
      png_write_row (png, row);
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  return g_byte_array_free_to_bytes (out);
}

/* a progressive JPEG of @width × @height, one colour */
static GBytes *
make_progressive_jpeg (guint width,
                       guint height)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  g_autofree JSAMPLE *row = g_malloc0 ((gsize)width * 3);
  unsigned char *buffer = NULL;
  unsigned long length = 0;

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &buffer, &length);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_simple_progression (&cinfo);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < height)
    jpeg_write_scanlines (&cinfo, &row, 1);
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  return g_bytes_new_with_free_func (buffer, length, free, buffer);
}

static void
assert_pixel (GdkPixbuf *pixbuf,
              int        x,
              int        y,
              guint      rgb,
              guint      tolerance)
{
  const guchar *p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf)
                    + x * gdk_pixbuf_get_n_channels (pixbuf);

  g_assert_cmpuint (ABS ((int)p[0] - (int)(rgb >> 16 & 0xFF)), <=, tolerance);
  g_assert_cmpuint (ABS ((int)p[1] - (int)(rgb >> 8 & 0xFF)), <=, tolerance);
  g_assert_cmpuint (ABS ((int)p[2] - (int)(rgb & 0xFF)), <=, tolerance);
}

/* a normal license keeps its preview, decoded at most 1024 pixels a side */
static void
test_license_preview (void)
{
  g_autoptr (GBytes) png = make_image ("png", 1200, 800);
  g_autoptr (GBytes) jpeg = make_image ("jpeg", 640, 480);
  g_autoptr (GBytes) pdf_bytes = g_bytes_new_static (pdf, strlen (pdf));
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmLicenseFile) a = crm_license_file_new_from_bytes (png, &error);
  g_autoptr (CrmLicenseFile) b = NULL;
  g_autoptr (CrmLicenseFile) c = NULL;
  g_autoptr (CrmLicenseFile) copy = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (a->preview);
  g_assert_cmpint (gdk_pixbuf_get_width (a->preview), ==, 1024);
  g_assert_cmpint (gdk_pixbuf_get_height (a->preview), ==, 683);
  assert_pixel (a->preview, 0, 0, 0x2e8b57, 0);
  assert_pixel (a->preview, 1023, 682, 0x2e8b57, 0);
  copy = crm_license_file_copy (a);
  g_assert_true (copy->preview == a->preview);

  b = crm_license_file_new_from_bytes (jpeg, &error);
  g_assert_no_error (error);
  g_assert_nonnull (b->preview);
  g_assert_cmpint (gdk_pixbuf_get_width (b->preview), ==, 640);
  g_assert_cmpint (gdk_pixbuf_get_height (b->preview), ==, 480);
  assert_pixel (b->preview, 320, 240, 0x2e8b57, 6);

  /* a PDF's first page, an A4 page 1024 pixels high, blank */
  c = crm_license_file_new_from_bytes (pdf_bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c->preview);
  g_assert_cmpint (gdk_pixbuf_get_width (c->preview), ==, 724);
  g_assert_cmpint (gdk_pixbuf_get_height (c->preview), ==, 1024);
  assert_pixel (c->preview, 362, 512, 0xffffff, 0);
}

/* The 12 KB PNG of 20000 × 5000 (1-bit grey) is judged, all of it,
 * into a small preview; an interlaced one too. */
static void
test_license_huge_image_small_decode (void)
{
  g_autoptr (GBytes) wide = make_png (20000, 5000, PNG_COLOR_TYPE_GRAY, 1, FALSE, 0xFF, 0x00);
  g_autoptr (GBytes) interlaced = make_png (3001, 2001, PNG_COLOR_TYPE_RGB, 8, TRUE, 0x20,
                                            0xE0);
  g_autoptr (GBytes) one_row = make_png (3000, 1, PNG_COLOR_TYPE_RGB_ALPHA, 8, TRUE, 0x40,
                                         0x80);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmLicenseFile) a = NULL;
  g_autoptr (CrmLicenseFile) b = NULL;
  g_autoptr (CrmLicenseFile) c = NULL;

  g_test_message ("20000 × 5000 1-bit PNG: %zu bytes", g_bytes_get_size (wide));
  g_assert_cmpuint (g_bytes_get_size (wide), <, 64 * 1024);
  a = crm_license_file_new_from_bytes (wide, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->width, ==, 20000);
  g_assert_cmpuint (a->height, ==, 5000);
  g_assert_cmpint (gdk_pixbuf_get_width (a->preview), ==, 1024);
  g_assert_cmpint (gdk_pixbuf_get_height (a->preview), ==, 256);
  assert_pixel (a->preview, 10, 128, 0xFFFFFF, 0);      /* white on the left */
  assert_pixel (a->preview, 1013, 128, 0x000000, 0);    /* black on the right */

  b = crm_license_file_new_from_bytes (interlaced, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (b->preview), ==, 1024);
  g_assert_cmpint (gdk_pixbuf_get_height (b->preview), ==, 683);
  for (int y = 0; y < 683; y++)
    {
      assert_pixel (b->preview, 0, y, 0x202020, 0);
      assert_pixel (b->preview, 1023, y, 0xE0E0E0, 0);
    }

  c = crm_license_file_new_from_bytes (one_row, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (c->preview), ==, 1024);
  g_assert_cmpint (gdk_pixbuf_get_height (c->preview), ==, 1);
  for (int x = 0; x < 1024; x++)
    assert_pixel (c->preview, x, 0, x < 500 ? 0x404040 : x > 524 ? 0x808080 : 0x404040,
                  x < 500 || x > 524 ? 0 : 0x40);
}

/* every colour type and depth the preview converts itself */
static void
test_license_pixel_formats (void)
{
  static const struct {
    int color_type, depth;
    guchar left, right;
    guint left_rgb, right_rgb, n_channels;
  } cases[] = {
    { PNG_COLOR_TYPE_GRAY, 1, 0x00, 0xFF, 0x000000, 0xFFFFFF, 3 },
    { PNG_COLOR_TYPE_GRAY, 2, 0x55, 0xFF, 0x555555, 0xFFFFFF, 3 },
    { PNG_COLOR_TYPE_GRAY, 4, 0x11, 0xEE, 0x111111, 0xEEEEEE, 3 },
    { PNG_COLOR_TYPE_GRAY, 16, 0x80, 0x10, 0x808080, 0x101010, 3 },
    { PNG_COLOR_TYPE_GRAY_ALPHA, 8, 0x40, 0xC0, 0x404040, 0xC0C0C0, 4 },
    { PNG_COLOR_TYPE_RGB, 16, 0x20, 0xD0, 0x202020, 0xD0D0D0, 3 },
    { PNG_COLOR_TYPE_RGB_ALPHA, 16, 0x30, 0x90, 0x303030, 0x909090, 4 },
    { PNG_COLOR_TYPE_PALETTE, 8, 0x00, 0x01, 0x112233, 0xAABBCC, 4 },
    { PNG_COLOR_TYPE_PALETTE, 1, 0x00, 0xFF, 0x112233, 0xAABBCC, 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int interlaced = 0; interlaced < 2; interlaced++)
      {
        g_autoptr (GBytes) png = make_png (2048, 20, cases[i].color_type, cases[i].depth,
                                           interlaced, cases[i].left, cases[i].right);
        g_autoptr (GError) error = NULL;
        g_autoptr (CrmLicenseFile) file = crm_license_file_new_from_bytes (png, &error);

        g_test_message ("colour type %d, %d bits%s", cases[i].color_type, cases[i].depth,
                        interlaced ? ", interlaced" : "");
        g_assert_no_error (error);
        g_assert_cmpint (gdk_pixbuf_get_width (file->preview), ==, 1024);
        g_assert_cmpint (gdk_pixbuf_get_height (file->preview), ==, 10);
        g_assert_cmpint (gdk_pixbuf_get_n_channels (file->preview), ==, cases[i].n_channels);
        for (int y = 0; y < 10; y++)
          {
            assert_pixel (file->preview, 0, y, cases[i].left_rgb, 1);
            assert_pixel (file->preview, 500, y, cases[i].left_rgb, 1);
            assert_pixel (file->preview, 524, y, cases[i].right_rgb, 1);
            assert_pixel (file->preview, 1023, y, cases[i].right_rgb, 1);
          }
      }
}

/* What cannot be judged within the memory and time allowed is refused from
 * its headers, with a message that says what to do. */
static void
test_license_refuses_what_cannot_be_judged (void)
{
  g_autoptr (GBytes) small = make_png (64, 64, PNG_COLOR_TYPE_RGB_ALPHA, 8, FALSE, 0x10, 0x10);
  g_autoptr (GBytes) jpeg = make_progressive_jpeg (64, 64);
  g_autoptr (GBytes) big_png = NULL;
  g_autoptr (GBytes) big_jpeg = NULL;
  g_autoptr (GBytes) cut = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmLicenseFile) file = NULL;
  gsize n;
  guchar *d;

  /* a PNG whose header says 10000 × 10000 RGBA: 400 MB of pixels */
  d = g_bytes_unref_to_data (g_bytes_ref (small), &n);
  d[16] = 0, d[17] = 0, d[18] = 0x27, d[19] = 0x10;
  d[20] = 0, d[21] = 0, d[22] = 0x27, d[23] = 0x10;
  big_png = g_bytes_new_take (d, n);
  file = crm_license_file_new_from_bytes (big_png, &error);
  g_assert_null (file);
  g_assert_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DIMENSIONS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "10000 × 10000"));
  g_assert_nonnull (strstr (error->message, "67"));
  g_clear_error (&error);

  /* a progressive JPEG whose frame says 10000 × 10000 */
  d = g_bytes_unref_to_data (g_bytes_ref (jpeg), &n);
  for (gsize i = 2; i + 9 < n; i++)
    if (d[i] == 0xFF && d[i + 1] == 0xC2)
      {
        d[i + 5] = 0x27, d[i + 6] = 0x10, d[i + 7] = 0x27, d[i + 8] = 0x10;
        break;
      }
  big_jpeg = g_bytes_new_take (d, n);
  file = crm_license_file_new_from_bytes (big_jpeg, &error);
  g_assert_null (file);
  g_assert_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DIMENSIONS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "progressive"));
  g_clear_error (&error);

  /* the same small progressive JPEG is fine */
  file = crm_license_file_new_from_bytes (jpeg, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (file->preview), ==, 64);
  g_clear_pointer (&file, crm_license_file_free);

  /* a PNG cut inside its pixel data, its end marker put back */
  {
    g_autoptr (GBytes) whole = make_png (400, 300, PNG_COLOR_TYPE_RGB, 8, FALSE, 0x00, 0xFF);
    const guchar *w = g_bytes_get_data (whole, &n);
    g_autoptr (GByteArray) a = g_byte_array_new ();

    g_byte_array_append (a, w, n / 2);
    g_byte_array_append (a, w + n - 12, 12); /* IEND */
    cut = g_byte_array_free_to_bytes (g_steal_pointer (&a));
    file = crm_license_file_new_from_bytes (cut, &error);
    g_assert_null (file);
    g_assert_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED);
    g_test_message ("%s", error->message);
  }
}

static void
test_license_refuses_bad_files (void)
{
  g_autoptr (GBytes) png = make_image ("png", 300, 200);
  gsize png_size = g_bytes_get_size (png);
  g_autofree char *truncated = write_file ("truncated.png", g_bytes_get_data (png, NULL),
                                           png_size / 2);
  static const char zip[] = "PK\x03\x04\x14\x00\x00\x00\x08\x00 just a zip archive, renamed";
  g_autofree char *zip_path = write_file ("zip.png", zip, sizeof zip);
  static const char elf[] = "\x7f" "ELF\x02\x01\x01\x00 a program";
  g_autofree char *elf_path = write_file ("program.png", elf, sizeof elf);
  g_autofree char *text_path = write_file ("notes.jpg", "hello", 5);
  g_autofree char *pdf_cut = write_file ("cut.pdf", pdf, strlen (pdf) - 20);
  g_autofree char *big_path = g_build_filename (dir, "big.png", NULL);
  g_autofree char *bomb_path = NULL;
  guchar bomb[64];
  FILE *f;

  expect_error (truncated, CRM_LICENSE_ERROR_DAMAGED);
  {
    g_autoptr (GBytes) jpeg = make_image ("jpeg", 300, 200);
    g_autofree char *cut_jpeg = write_file ("cut.jpg", g_bytes_get_data (jpeg, NULL),
                                            g_bytes_get_size (jpeg) * 2 / 3);
    expect_error (cut_jpeg, CRM_LICENSE_ERROR_DAMAGED);
  }
  expect_error (zip_path, CRM_LICENSE_ERROR_NOT_SUPPORTED);
  expect_error (elf_path, CRM_LICENSE_ERROR_NOT_SUPPORTED);
  expect_error (text_path, CRM_LICENSE_ERROR_NOT_SUPPORTED);
  expect_error (pdf_cut, CRM_LICENSE_ERROR_DAMAGED);

  /* 11 MB: refused from its size, before it is read */
  f = g_fopen (big_path, "wb");
  fwrite ("\x89PNG\r\n\x1a\n", 1, 8, f);
  fseek (f, 11 * 1024 * 1024, SEEK_SET);
  fputc (0, f);
  fclose (f);
  expect_error (big_path, CRM_LICENSE_ERROR_TOO_BIG);

  /* a PNG header claiming 100000 × 100000 pixels */
  memcpy (bomb, g_bytes_get_data (png, NULL), sizeof bomb);
  bomb[16] = 0x00, bomb[17] = 0x01, bomb[18] = 0x86, bomb[19] = 0xA0; /* width 100000 */
  bomb[20] = 0x00, bomb[21] = 0x01, bomb[22] = 0x86, bomb[23] = 0xA0; /* height */
  bomb_path = write_file ("bomb.png", bomb, sizeof bomb);
  expect_error (bomb_path, CRM_LICENSE_ERROR_DIMENSIONS);

  expect_error ("/nonexistent/license.png", CRM_LICENSE_ERROR_READ);
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* a PDF as cairo writes one: its pages filled with @rgb, the first
 * @width × @height points, the second square */
static GBytes *
make_pdf (double  width,
          double  height,
          guint32 rgb)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, out,
                                                                  width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, (rgb >> 16) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                        (rgb & 0xFF) / 255.0);
  cairo_paint (cr);
  cairo_show_page (cr);
  cairo_pdf_surface_set_size (surface, 300, 300);
  cairo_paint (cr);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

/* A PDF shows its first page, rendered to fit 1024 pixels (a huge page
 * too, scaled before it is rendered); one poppler cannot render is still
 * taken, and shown as a document. */
static void
test_license_pdf_first_page (void)
{
  static const char unreadable[] = "%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n";
  g_autoptr (GBytes) wide = make_pdf (400, 200, 0x2e8b57);
  g_autoptr (GBytes) huge = make_pdf (14400, 720, 0x2e8b57);
  g_autoptr (GBytes) broken = g_bytes_new_static (unreadable, strlen (unreadable));
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmLicenseFile) a = crm_license_file_new_from_bytes (wide, &error);
  g_autoptr (CrmLicenseFile) b = NULL;
  g_autoptr (CrmLicenseFile) c = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (a->mime_type, ==, "application/pdf");
  g_assert_cmpuint (a->n_pages, ==, 2);
  g_assert_nonnull (a->preview);
  g_assert_cmpint (gdk_pixbuf_get_width (a->preview), ==, 1024);
  g_assert_cmpint (gdk_pixbuf_get_height (a->preview), ==, 512);
  assert_pixel (a->preview, 512, 256, 0x2e8b57, 2);
  assert_pixel (a->preview, 0, 0, 0x2e8b57, 2);
  assert_pixel (a->preview, 1023, 511, 0x2e8b57, 2);

  b = crm_license_file_new_from_bytes (huge, &error);
  g_assert_no_error (error);
  g_assert_nonnull (b->preview);
  g_assert_cmpint (gdk_pixbuf_get_width (b->preview), ==, 1024);
  g_assert_cmpint (gdk_pixbuf_get_height (b->preview), ==, 51);
  assert_pixel (b->preview, 700, 25, 0x2e8b57, 2);

  c = crm_license_file_new_from_bytes (broken, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->mime_type, ==, "application/pdf");
  g_assert_null (c->preview);
}

/* A PDF whose images poppler would decode whole beyond the budget (or
 * whose sizes are not written out) is taken, and not rendered. */
static void
test_license_pdf_huge_image_not_rendered (void)
{
  static const char *const sizes[] = { "/Width 10000 /Height 10000", "/Width 5 0 R /Height 900",
                                       NULL };

  for (const char *const *size = sizes; *size; size++)
    {
      g_autofree char *text = g_strdup_printf (
        "%%PDF-1.4\n"
        "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        " /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >> endobj\n"
        "4 0 obj << /Type /XObject /Subtype /Image %s /ColorSpace /DeviceGray"
        " /BitsPerComponent 8 /Length 4 >>\nstream\nabcd\nendstream endobj\n"
        "5 0 obj << /Length 30 >>\nstream\nq 595 0 0 842 0 0 cm /Im0 Do Q\nendstream endobj\n"
        "trailer << /Root 1 0 R >>\n%%%%EOF\n", *size);
      g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmLicenseFile) file = crm_license_file_new_from_bytes (bytes, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (file->n_pages, ==, 1);
      g_assert_null (file->preview);
    }
}

/* An empty file (a failed download, a copy cut short) is said to be empty,
 * not "not an image", by the path and from bytes alike. */
static void
test_license_refuses_empty (void)
{
  g_autofree char *path = write_file ("empty.png", "", 0);
  g_autoptr (GBytes) none = g_bytes_new_static ("", 0);
  g_autoptr (GError) error = NULL;
  CrmLicenseFile *file;

  file = crm_license_file_load (path, &error);
  g_assert_null (file);
  g_assert_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_EMPTY);
  g_assert_cmpstr (error->message, ==, "The file is empty");
  g_clear_error (&error);

  file = crm_license_file_new_from_bytes (none, &error);
  g_assert_null (file);
  g_assert_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_EMPTY);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("crm-license-XXXXXX", NULL);
  g_test_add_func ("/license-file/accepts-real-files", test_license_accepts_real_files);
  g_test_add_func ("/license-file/refuses-bad-files", test_license_refuses_bad_files);
  g_test_add_func ("/license-file/preview", test_license_preview);
  g_test_add_func ("/license-file/huge-image-small-decode", test_license_huge_image_small_decode);
  g_test_add_func ("/license-file/pixel-formats", test_license_pixel_formats);
  g_test_add_func ("/license-file/refuses-what-cannot-be-judged",
                   test_license_refuses_what_cannot_be_judged);
  g_test_add_func ("/license-file/refuses-empty", test_license_refuses_empty);
  g_test_add_func ("/license-file/pdf-first-page", test_license_pdf_first_page);
  g_test_add_func ("/license-file/pdf-huge-image-not-rendered",
                   test_license_pdf_huge_image_not_rendered);
  status = g_test_run ();

  crm_test_rm_rf (dir);
  return status;
}
