/* test-license-file.c — license files judged by content, with files made here
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "crm-license-file.h"

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

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("crm-license-XXXXXX", NULL);
  g_test_add_func ("/license-file/accepts-real-files", test_license_accepts_real_files);
  g_test_add_func ("/license-file/refuses-bad-files", test_license_refuses_bad_files);
  status = g_test_run ();

  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return status;
}
