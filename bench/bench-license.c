/* bench-license.c — what judging a license file costs, hostile files included
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-license [--keep DIR [NAME...]]
 *       judges each file below and prints its wall time and peak extra
 *       memory beside the targets (1 s, 64 MB); exit status 1 if any misses
 *       them. With --keep, the files are made in DIR (when missing) and kept;
 *       NAME (wide.png, noise.jpg, ...) judges only those.
 *
 * The files are made here, a row at a time (a PNG written chunk by chunk
 * with zlib, a JPEG through libjpeg), so making them costs little memory:
 * a solid PNG of 20000 × 5000 (1-bit, 19 KB, like the 12 KB one, and RGB), a
 * 10000 × 10000 RGBA PNG (plain and interlaced), a 16-bit one, the largest
 * PNG judged rather than refused, progressive JPEGs of 10000 × 10000, a 10 MB
 * noise PNG and a 10 MB noise JPEG at the size limit, a big valid PDF, and a
 * small normal scan. Each is judged by crm_license_file_load() in a child
 * process of its own; the child's peak resident memory (VmHWM, reset with
 * /proc/self/clear_refs just before) less its resident memory then is the
 * extra memory. The wall time is judged; the CPU time is printed beside it,
 * since the machine may be shared.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <jpeglib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "crm-bench.h"
#include "crm-test-util.h"
#include "crm-license-file.h"

#define TARGET_MS 1000.0
#define TARGET_MB 64.0
#define SEED 20261129

/* ---- PNG, a chunk at a time ---- */

static void
put_be32 (guchar  *p,
          guint32  v)
{
  p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

static void
write_chunk (FILE         *f,
             const char   *type,
             const guchar *data,
             gsize         length)
{
  guchar head[8];
  guchar crc[4];
  uLong c = crc32 (0, (const Bytef *)type, 4);

  put_be32 (head, length);
  memcpy (head + 4, type, 4);
  if (length > 0)
    c = crc32 (c, data, length);
  put_be32 (crc, c);
  fwrite (head, 1, 8, f);
  fwrite (data, 1, length, f);
  fwrite (crc, 1, 4, f);
}

typedef struct
{
  FILE     *f;
  z_stream  z;
  guchar    out[1 << 16];
} PngWriter;

static void
deflate_some (PngWriter    *w,
              const guchar *data,
              gsize         length,
              int           flush)
{
  w->z.next_in = (Bytef *)data;
  w->z.avail_in = length;
  do
    {
      w->z.next_out = w->out;
      w->z.avail_out = sizeof w->out;
      deflate (&w->z, flush);
      if (w->z.avail_out < sizeof w->out)
        write_chunk (w->f, "IDAT", w->out, sizeof w->out - w->z.avail_out);
    }
  while (w->z.avail_out == 0 || (flush == Z_FINISH && w->z.avail_in > 0));
}

/* Adam7: where each pass starts and its step, in columns and rows */
static const int adam7[7][4] = {
  { 0, 8, 0, 8 }, { 4, 8, 0, 8 }, { 0, 4, 4, 8 }, { 2, 4, 0, 4 },
  { 0, 2, 2, 4 }, { 1, 2, 0, 2 }, { 0, 1, 1, 2 },
};

/* A PNG of @width × @height, @channels 1 (grey), 3 (RGB) or 4 (RGBA) of
 * @depth bits: one colour, or noise from @rand when it is not NULL. */
static void
write_png (const char *path,
           guint       width,
           guint       height,
           guint       channels,
           guint       depth,
           gboolean    interlaced,
           GRand      *rand,
           int         level)
{
  PngWriter *w = g_new0 (PngWriter, 1);
  gsize bpp = MAX (channels * depth / 8, 1);
  g_autofree guchar *row = g_malloc (2 + ((gsize)width * channels * depth + 7) / 8);
  guchar ihdr[13];

  w->f = g_fopen (path, "wb");
  g_assert (w->f != NULL);
  fwrite ("\x89PNG\r\n\x1a\n", 1, 8, w->f);
  put_be32 (ihdr, width);
  put_be32 (ihdr + 4, height);
  ihdr[8] = depth;
  ihdr[9] = channels == 4 ? 6 : channels == 3 ? 2 : 0;
  ihdr[10] = 0, ihdr[11] = 0, ihdr[12] = interlaced;
  write_chunk (w->f, "IHDR", ihdr, sizeof ihdr);
  deflateInit (&w->z, level);

  for (int pass = 0; pass < (interlaced ? 7 : 1); pass++)
    {
      guint x0 = interlaced ? adam7[pass][0] : 0, dx = interlaced ? adam7[pass][1] : 1;
      guint y0 = interlaced ? adam7[pass][2] : 0, dy = interlaced ? adam7[pass][3] : 1;
      guint pw = width > x0 ? (width - x0 + dx - 1) / dx : 0;
      guint ph = height > y0 ? (height - y0 + dy - 1) / dy : 0;
      gsize bytes = ((gsize)pw * channels * depth + 7) / 8;

      if (pw == 0 || ph == 0)
        continue;
      row[0] = 0; /* no filter */
      for (gsize i = 0; i < bytes; i++)
        row[1 + i] = depth < 8 ? 0xFF
                     : (i % bpp == bpp - 1 && channels == 4) ? 0xFF : 0x2E + (i % bpp) * 0x2E;
      for (guint y = 0; y < ph; y++)
        {
          if (rand != NULL)
            for (gsize i = 0; i < bytes; i += 4)
              {
                guint32 r = g_rand_int (rand);
                memcpy (row + 1 + i, &r, MIN (4, bytes - i));
              }
          deflate_some (w, row, 1 + bytes, Z_NO_FLUSH);
        }
    }
  deflate_some (w, NULL, 0, Z_FINISH);
  deflateEnd (&w->z);
  write_chunk (w->f, "IEND", NULL, 0);
  fclose (w->f);
  g_free (w);
}

/* ---- JPEG, through libjpeg ---- */

static void
write_jpeg (const char *path,
            guint       width,
            guint       height,
            gboolean    progressive,
            gboolean    subsampled,
            int         quality,
            GRand      *rand)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  g_autofree JSAMPLE *row = g_malloc ((gsize)width * 3);
  FILE *f = g_fopen (path, "wb");

  g_assert (f != NULL);
  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_stdio_dest (&cinfo, f);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, quality, TRUE);
  if (!subsampled)
    for (int c = 0; c < 3; c++)
      cinfo.comp_info[c].h_samp_factor = cinfo.comp_info[c].v_samp_factor = 1;
  if (progressive)
    jpeg_simple_progression (&cinfo);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < height)
    {
      guint y = cinfo.next_scanline;

      for (guint x = 0; x < width; x++)
        {
          if (rand != NULL)
            {
              guint32 r = g_rand_int (rand);
              row[3 * x] = r, row[3 * x + 1] = r >> 8, row[3 * x + 2] = r >> 16;
            }
          else
            {
              /* a smooth picture with some detail: bands and a grid */
              row[3 * x] = (x * 255 / width);
              row[3 * x + 1] = (y * 255 / height);
              row[3 * x + 2] = ((x / 50 + y / 50) % 2) ? 200 : 60;
            }
        }
      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  fclose (f);
}

/* ---- PDF ---- */

/* A valid PDF of about @target bytes: pages, each with a content stream
 * of text operators, and a cross-reference table. */
static void
write_pdf (const char *path,
           gsize       target)
{
  g_autoptr (GString) pdf = g_string_new ("%PDF-1.4\n");
  g_autoptr (GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GString) kids = g_string_new (NULL);
  g_autoptr (GString) stream = g_string_new (NULL);
  guint n_pages = 0;
  gsize xref;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (stream, "BT /F1 10 Tf 40 %u Td (Business license line %u) Tj ET\n",
                            800 - 18 * i, i);
  /* objects: 1 catalog, 2 pages, 3 font, then a page and its content each */
  while (pdf->len + stream->len + 400 < target - 200 * n_pages - 20 * 2 * n_pages)
    {
      guint page = 4 + 2 * n_pages;

      g_array_set_size (offsets, page + 2);
      g_array_index (offsets, gsize, page) = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                              " /Resources << /Font << /F1 3 0 R >> >> /Contents %u 0 R >>"
                              " endobj\n", page, page + 1);
      g_array_index (offsets, gsize, page + 1) = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj << /Length %zu >> stream\n%s\nendstream endobj\n",
                              page + 1, stream->len, stream->str);
      g_string_append_printf (kids, "%u 0 R ", page);
      n_pages++;
    }
  g_array_set_size (offsets, MAX (offsets->len, 4));
  g_array_index (offsets, gsize, 1) = pdf->len;
  g_string_append (pdf, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
  g_array_index (offsets, gsize, 2) = pdf->len;
  g_string_append_printf (pdf, "2 0 obj << /Type /Pages /Kids [%s] /Count %u >> endobj\n",
                          kids->str, n_pages);
  g_array_index (offsets, gsize, 3) = pdf->len;
  g_string_append (pdf, "3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
                   "endobj\n");
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", offsets->len);
  for (guint i = 1; i < offsets->len; i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", g_array_index (offsets, gsize, i));
  g_string_append_printf (pdf, "trailer << /Size %u /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          offsets->len, xref);
  g_file_set_contents (path, pdf->str, pdf->len, NULL);
}

/* ---- measuring ---- */

static gint64
status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (p = strstr (status, key)) == NULL)
    return -1;
  return g_ascii_strtoll (p + strlen (key) + 1, NULL, 10);
}

/* judges @path in a child of its own; TRUE if within the targets */
static gboolean
judge (const char *what,
       const char *path)
{
  int fds[2];
  pid_t pid;
  int status = 0;
  char line[1024] = "";
  ssize_t got;
  GStatBuf st;

  g_stat (path, &st);
  fflush (stdout);
  g_assert (pipe (fds) == 0);
  pid = fork ();
  g_assert (pid >= 0);
  if (pid == 0)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmLicenseFile) file = NULL;
      g_autofree char *result = NULL;
      g_autofree char *out = NULL;
      gint64 rss, hwm, start;
      struct rusage before, after;
      double ms, mb, cpu_ms;

      close (fds[0]);
      /* reset the peak to what is resident now */
      g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
      rss = status_kb ("VmRSS:");
      getrusage (RUSAGE_SELF, &before);
      start = g_get_monotonic_time ();
      file = crm_license_file_load (path, &error);
      ms = crm_bench_ms_since (start);
      getrusage (RUSAGE_SELF, &after);
      cpu_ms = (after.ru_utime.tv_sec - before.ru_utime.tv_sec
                + after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1000.0
               + (after.ru_utime.tv_usec - before.ru_utime.tv_usec
                  + after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1000.0;
      hwm = status_kb ("VmHWM:");
      mb = (hwm - rss) / 1024.0;
      if (file != NULL && file->n_pages > 0)
        result = g_strdup_printf ("accepted, PDF of %u pages", file->n_pages);
      else if (file != NULL)
        result = g_strdup_printf ("accepted, %u × %u", file->width, file->height);
      else
        result = g_strdup_printf ("refused: %s", error->message);
      out = g_strdup_printf ("%s (%.2f MB file): %.0f ms (target <= %.0f ms; CPU %.0f ms), "
                             "%.1f MB extra (target <= %.0f MB) %s\n    %s\n", what,
                             st.st_size / 1048576.0, ms, TARGET_MS, cpu_ms, mb, TARGET_MB,
                             ms <= TARGET_MS && mb <= TARGET_MB ? "PASS" : "FAIL", result);
      if (write (fds[1], out, strlen (out)) < 0)
        _exit (2);
      _exit (ms <= TARGET_MS && mb <= TARGET_MB ? 0 : 1);
    }
  close (fds[1]);
  while ((got = read (fds[0], line, sizeof line - 1)) > 0)
    {
      line[got] = '\0';
      fputs (line, stdout);
    }
  close (fds[0]);
  waitpid (pid, &status, 0);
  if (!WIFEXITED (status) || WEXITSTATUS (status) == 2)
    printf ("%s: the child failed (status %d) FAIL\n", what, status);
  fflush (stdout);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* a noise JPEG as large as allowed: sized by a first try */
static void
write_noise_jpeg (const char *path,
                  GRand      *rand)
{
  guint side = 1400;
  GStatBuf st;

  for (int i = 0; i < 6; i++)
    {
      double ratio;

      write_jpeg (path, side, side, TRUE, FALSE, 98, rand);
      g_stat (path, &st);
      ratio = (double)(CRM_LICENSE_MAX_SIZE - 64 * 1024) / st.st_size;
      if (ratio >= 1.0 && ratio < 1.1)
        return;
      /* the size goes with the area: about half the ratio on a side */
      side = (guint)(side * (1.0 + (ratio - 1.0) / 2.0 - (ratio < 1.0 ? 0.02 : 0.0)));
    }
}

/* how each file is made: a PNG or a JPEG of this size and kind, or by a
 * writer of its own; "noise" pixels come from the seeded GRand */
typedef enum
{
  MAKE_PNG,
  MAKE_JPEG,
  MAKE_NOISE_JPEG,
  MAKE_PDF,
} Make;

typedef struct
{
  const char *what;
  const char *name;
  Make        make;
  guint       width;
  guint       height;
  guint       channels;     /* PNG */
  guint       depth;        /* PNG */
  gboolean    interlaced;   /* PNG; a progressive JPEG */
  gboolean    subsampled;   /* JPEG, 4:2:0 */
  gboolean    noise;
  int         level;        /* PNG: zlib's level; JPEG: the quality */
} BenchFile;

static const BenchFile files[] = {
  { "normal scan, PNG 2480 × 3508 RGB", "scan.png", MAKE_PNG, 2480, 3508,
    .channels = 3, .depth = 8, .level = 6 },
  { "normal photo, JPEG 4000 × 3000", "photo.jpg", MAKE_JPEG, 4000, 3000,
    .subsampled = TRUE, .level = 90 },
  { "solid PNG 20000 × 5000, 1-bit grey (the issue's 12 KB file)", "issue.png", MAKE_PNG,
    20000, 5000, .channels = 1, .depth = 1, .level = 9 },
  { "solid PNG 20000 × 5000 RGB", "wide.png", MAKE_PNG, 20000, 5000,
    .channels = 3, .depth = 8, .level = 9 },
  { "solid PNG 10000 × 10000 RGBA", "square.png", MAKE_PNG, 10000, 10000,
    .channels = 4, .depth = 8, .level = 9 },
  { "solid PNG 10000 × 10000 RGBA, interlaced", "interlaced.png", MAKE_PNG, 10000, 10000,
    .channels = 4, .depth = 8, .interlaced = TRUE, .level = 9 },
  { "solid PNG 10000 × 10000 RGBA, 16 bits", "deep.png", MAKE_PNG, 10000, 10000,
    .channels = 4, .depth = 16, .level = 9 },
  { "solid PNG 9000 × 7000 RGBA (near the most pixel data judged)", "largest.png", MAKE_PNG,
    9000, 7000, .channels = 4, .depth = 8, .level = 9 },
  { "solid PNG 9000 × 7000 RGBA, interlaced", "largest-interlaced.png", MAKE_PNG, 9000, 7000,
    .channels = 4, .depth = 8, .interlaced = TRUE, .level = 9 },
  { "noise PNG at the size limit", "noise.png", MAKE_PNG, 1800, 1930,
    .channels = 3, .depth = 8, .noise = TRUE, .level = 1 },
  { "progressive JPEG 10000 × 10000, 4:2:0", "progressive.jpg", MAKE_JPEG, 10000, 10000,
    .interlaced = TRUE, .subsampled = TRUE, .level = 75 },
  { "progressive JPEG 10000 × 10000, 4:4:4", "progressive444.jpg", MAKE_JPEG, 10000, 10000,
    .interlaced = TRUE, .level = 75 },
  { "baseline JPEG 20000 × 5000, 4:4:4", "baseline.jpg", MAKE_JPEG, 20000, 5000, .level = 75 },
  { "noise progressive JPEG at the size limit", "noise.jpg", MAKE_NOISE_JPEG },
  { "PDF at the size limit", "big.pdf", MAKE_PDF },
};

static void
make_file (const BenchFile *file,
           const char      *path,
           GRand           *rand)
{
  GRand *noise = file->noise ? rand : NULL;

  switch (file->make)
    {
    case MAKE_PNG:
      write_png (path, file->width, file->height, file->channels, file->depth,
                 file->interlaced, noise, file->level);
      break;
    case MAKE_JPEG:
      write_jpeg (path, file->width, file->height, file->interlaced, file->subsampled,
                  file->level, noise);
      break;
    case MAKE_NOISE_JPEG:
      write_noise_jpeg (path, rand);
      break;
    case MAKE_PDF:
      write_pdf (path, CRM_LICENSE_MAX_SIZE - 4096);
      break;
    default:
      g_assert_not_reached ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED);
  gboolean keep = argc >= 3 && strcmp (argv[1], "--keep") == 0;
  gboolean ok = TRUE;

  if (keep)
    {
      dir = g_strdup (argv[2]);
      g_mkdir_with_parents (dir, 0700);
    }
  else
    dir = g_dir_make_tmp ("bench-license-XXXXXX", NULL);

  printf ("making the files in %s\n", dir);
  fflush (stdout);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i].name, NULL);

      if (keep && g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      make_file (&files[i], path, rand);
    }

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i].name, NULL);

      if (keep && argc > 3 && !g_strv_contains ((const char *const *)argv + 3, files[i].name))
        continue;
      ok &= judge (files[i].what, path);
    }

  if (!keep)
    crm_test_rm_rf (dir);
  printf ("%s\n", ok ? "all PASS" : "some FAIL");
  return ok ? 0 : 1;
}
