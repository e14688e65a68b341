/* crm-license-image.c — license images decoded at the preview's size
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Judging an image means decoding all of it, and a small file may hold a
 * huge one (a 12 KB PNG of 20000 × 5000). Whatever the dialog accepts is
 * judged within 64 MB of memory and a second:
 *
 * - PNG: gdk-pixbuf's loader decodes the whole image before it scales it
 *   (400 MB for 10000 × 10000 RGBA). So the PNG is decoded here with
 *   libpng's progressive reader, a row at a time, with no transformation:
 *   every row is inflated and checked, and only the pixels the preview
 *   samples are converted (averaged across), so memory is a row and the
 *   preview. An image whose pixel data takes longer to inflate than the time
 *   allowed is refused, from its header, before anything is decoded.
 * - JPEG: libjpeg decodes at the scale (1/8 to 8/8) nearest the preview,
 *   a row at a time, which costs little, except for a progressive or
 *   multi-scan JPEG: libjpeg then keeps every DCT coefficient of the whole
 *   image (6 bytes a pixel in 4:4:4). That size is computed from the frame
 *   and scan headers and such a JPEG is refused above the budget. (Not
 *   gdk-pixbuf's loader: for a progressive JPEG it draws the whole image
 *   again after each scan.)
 * - PDF: poppler renders the first page straight at the preview's size
 *   (4 MB at most), never at the page's own size. But poppler decodes an
 *   image in the PDF whole (4 to 7 bytes a pixel: a 10000 × 10000 JPEG in a
 *   PDF took 3 s and 700 MB), so a PDF whose images add up to more than
 *   PDF_MAX_IMAGE_PIXELS (or whose size is not written out) is not rendered:
 *   it is taken all the same, and shown as a document.
 */
#define _GNU_SOURCE  /* memmem */
#include "config.h"

#include <glib/gi18n.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>
#include <math.h>
#include <poppler.h>

#include "crm-license-file.h"
#include "crm-license-image.h"

/* the longer side of a preview */
#define PREVIEW_SIDE 1024
/* the DCT coefficients libjpeg may keep for a progressive JPEG */
#define JPEG_MAX_COEFFICIENT_BYTES (40 * 1024 * 1024)
/* the pixel data a PNG may inflate to (its rows with their filter bytes):
 * 0.3 s of one core here (libpng inflates about 1 GB/s of a solid image),
 * so a second even with the machine shared. 85 megapixels of RGB, 64 of
 * RGBA, 32 of 16-bit RGBA. */
#define PNG_MAX_DATA_BYTES ((guint64)256 * 1024 * 1024)
/* the pixels of all the images of a PDF rendered: a 200 dpi A4 scan (3.9
 * megapixels) is; a PDF of one 2007 × 2007 progressive JPEG of noise at the
 * size limit took 0.6 s and 50 MB more */
#define PDF_MAX_IMAGE_PIXELS ((guint64)2048 * 2048)

/**
 * _crm_license_preview_size:
 *
 * The size of the preview of an image of @width × @height: the image itself
 * when it is small, else scaled down to PREVIEW_SIDE on its longer side;
 * never larger than the image, never 0.
 */
void
_crm_license_preview_size (guint  width,
                           guint  height,
                           guint *preview_width,
                           guint *preview_height)
{
  guint side = MAX (width, height);

  if (side <= PREVIEW_SIDE)
    {
      *preview_width = MAX (width, 1);
      *preview_height = MAX (height, 1);
      return;
    }
  *preview_width = CLAMP ((guint)(((guint64)width * PREVIEW_SIDE + side / 2) / side), 1, width);
  *preview_height = CLAMP ((guint)(((guint64)height * PREVIEW_SIDE + side / 2) / side), 1,
                           height);
}

/* How the pixels of a row are stored: PNG's colour types and depths as
 * they are in the file (libpng transforms every row; only the pixels the
 * preview samples are converted here), JPEG's as 8-bit RGB. */
typedef struct
{
  int      color_type;   /* PNG_COLOR_TYPE_* */
  guint    depth;        /* bits a sample: 1, 2, 4, 8 or 16 */
  gboolean has_key;      /* tRNS: this grey or RGB value is transparent */
  guint    key[3];
  guchar   palette[256][4];
} PixelFormat;

/* the @i-th sample of @row */
static inline guint
sample_at (const guchar *row,
           gsize         i,
           guint         depth)
{
  gsize bit;

  if (depth == 8)
    return row[i];
  if (depth == 16)
    return (guint)row[2 * i] << 8 | row[2 * i + 1];
  bit = i * depth;
  return (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1u << depth) - 1);
}

/* pixel @x of @row as 8-bit RGBA */
static void
pixel_at (const PixelFormat *format,
          const guchar      *row,
          gsize              x,
          guchar            *out)
{
  guint depth = format->depth;
  guint max = (1u << depth) - 1;
  guint v[4];

  switch (format->color_type)
    {
    case PNG_COLOR_TYPE_PALETTE:
      memcpy (out, format->palette[sample_at (row, x, depth) & 0xFF], 4);
      return;
    case PNG_COLOR_TYPE_GRAY:
      v[0] = sample_at (row, x, depth);
      out[0] = out[1] = out[2] = v[0] * 255 / max;
      out[3] = format->has_key && v[0] == format->key[0] ? 0 : 255;
      return;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
      v[0] = sample_at (row, 2 * x, depth);
      out[0] = out[1] = out[2] = v[0] * 255 / max;
      out[3] = sample_at (row, 2 * x + 1, depth) * 255 / max;
      return;
    case PNG_COLOR_TYPE_RGB_ALPHA:
      for (guint c = 0; c < 4; c++)
        out[c] = sample_at (row, 4 * x + c, depth) * 255 / max;
      return;
    default: /* RGB */
      for (guint c = 0; c < 3; c++)
        {
          v[c] = sample_at (row, 3 * x + c, depth);
          out[c] = v[c] * 255 / max;
        }
      out[3] = format->has_key && v[0] == format->key[0] && v[1] == format->key[1]
               && v[2] == format->key[2] ? 0 : 255;
      return;
    }
}

/* Rows of an image in, a preview out: each preview row shows one image
 * row (the one at its middle), each preview pixel the mean of the pixels
 * of that row it covers. Memory: the preview and a row index. */
typedef struct
{
  guint      width;
  guint      height;
  guint      preview_width;
  guint      preview_height;
  guint      channels;    /* 3 or 4 */
  guint     *sample_row;  /* for each preview row, the image row it shows */
  gint      *first_of;    /* for each image row, the first preview row showing it, or -1 */
  GdkPixbuf *preview;
} Sampler;

/* @odd_rows: sample only odd rows (an interlaced PNG's last pass, which
 * holds every column) */
static gboolean
sampler_init (Sampler  *sampler,
              guint     width,
              guint     height,
              guint     channels,
              gboolean  odd_rows)
{
  sampler->width = width;
  sampler->height = height;
  sampler->channels = channels;
  _crm_license_preview_size (width, height, &sampler->preview_width, &sampler->preview_height);
  sampler->sample_row = g_new (guint, sampler->preview_height);
  sampler->first_of = g_new (gint, height);
  memset (sampler->first_of, 0xff, sizeof (gint) * height);
  for (guint py = 0; py < sampler->preview_height; py++)
    {
      guint y = (guint)(((guint64)2 * py + 1) * height / (2 * sampler->preview_height));

      if (odd_rows && height >= 2)
        {
          y |= 1;
          if (y >= height)
            y -= 2;
        }
      sampler->sample_row[py] = y;
      if (sampler->first_of[y] < 0)
        sampler->first_of[y] = py;
    }
  sampler->preview = gdk_pixbuf_new (GDK_COLORSPACE_RGB, channels == 4, 8,
                                     sampler->preview_width, sampler->preview_height);
  return sampler->preview != NULL;
}

static void
sampler_clear (Sampler *sampler)
{
  g_clear_pointer (&sampler->sample_row, g_free);
  g_clear_pointer (&sampler->first_of, g_free);
  g_clear_object (&sampler->preview);
}

/* Row @y of the image, or of its pixels the @columns from column @x0 every
 * @dx columns (a pass of an interlaced PNG), stored as @format says. */
static void
sampler_put_row (Sampler           *sampler,
                 const PixelFormat *format,
                 guint              y,
                 const guchar      *row,
                 guint              x0,
                 guint              dx,
                 guint              columns)
{
  guint n = sampler->channels;
  int stride;
  guchar *pixels;

  if (y >= sampler->height || sampler->first_of[y] < 0 || columns == 0)
    return;
  stride = gdk_pixbuf_get_rowstride (sampler->preview);
  pixels = gdk_pixbuf_get_pixels (sampler->preview);
  for (guint py = sampler->first_of[y];
       py < sampler->preview_height && sampler->sample_row[py] == y; py++)
    {
      guchar *out = pixels + (gsize)py * stride;

      for (guint px = 0; px < sampler->preview_width; px++, out += n)
        {
          if (dx == 1)
            {
              /* the whole row: the mean of (at most 8 of) the columns the
               * pixel covers */
              guint from = (guint)((guint64)px * sampler->width / sampler->preview_width);
              guint to = (guint)((guint64)(px + 1) * sampler->width / sampler->preview_width);
              guint sum[4] = { 0, }, count = 0, step;
              guchar rgba[4];

              from = MIN (from, columns - 1);
              to = CLAMP (to, from + 1, columns);
              step = MAX ((to - from) / 8, 1);
              for (guint x = from; x < to; x += step, count++)
                {
                  pixel_at (format, row, x, rgba);
                  for (guint c = 0; c < n; c++)
                    sum[c] += rgba[c];
                }
              for (guint c = 0; c < n; c++)
                out[c] = sum[c] / count;
            }
          else
            {
              /* some columns: those the pixel's middle falls on */
              guint x = (guint)(((guint64)2 * px + 1) * sampler->width
                                / (2 * sampler->preview_width));

              guchar rgba[4];

              if (x >= x0 && (x - x0) % dx == 0 && (x - x0) / dx < columns)
                {
                  pixel_at (format, row, (x - x0) / dx, rgba);
                  memcpy (out, rgba, n);
                }
            }
        }
    }
}

/* ---- PNG ---- */

/* Adam7: the first column, column step, first row and row step of a pass */
static const guint adam7[7][4] = {
  { 0, 8, 0, 8 }, { 4, 8, 0, 8 }, { 0, 4, 4, 8 }, { 2, 4, 0, 4 },
  { 0, 2, 2, 4 }, { 1, 2, 0, 2 }, { 0, 1, 1, 2 },
};

typedef struct
{
  guint      width;
  guint      height;
  gboolean   interlaced;
  PixelFormat format;
  Sampler    sampler;
  gboolean   complete;    /* IEND reached */
  char       message[200];
} PngJudge;

static void
png_judge_error (png_structp     png,
                 png_const_charp message)
{
  PngJudge *judge = png_get_error_ptr (png);

  g_strlcpy (judge->message, message, sizeof judge->message);
  png_longjmp (png, 1);
}

static void
png_judge_warning (png_structp     png,
                   png_const_charp message)
{
}

static void
png_judge_info (png_structp png,
                png_infop   info)
{
  PngJudge *judge = png_get_progressive_ptr (png);
  PixelFormat *format = &judge->format;
  png_bytep alpha = NULL;
  png_color_16p key = NULL;
  png_colorp palette = NULL;
  int n_alpha = 0, n_palette = 0;
  gboolean has_alpha;

  /* no transformation: libpng would apply it to every row */
  png_read_update_info (png, info);
  format->color_type = png_get_color_type (png, info);
  format->depth = png_get_bit_depth (png, info);
  judge->interlaced = png_get_interlace_type (png, info) != PNG_INTERLACE_NONE;
  if (png_get_tRNS (png, info, &alpha, &n_alpha, &key) == 0)
    alpha = NULL, key = NULL, n_alpha = 0;
  if (format->color_type == PNG_COLOR_TYPE_PALETTE)
    {
      if (png_get_PLTE (png, info, &palette, &n_palette) == 0)
        png_error (png, "no palette");
      memset (format->palette, 0, sizeof format->palette);
      for (int i = 0; i < 256; i++)
        {
          if (i < n_palette)
            {
              format->palette[i][0] = palette[i].red;
              format->palette[i][1] = palette[i].green;
              format->palette[i][2] = palette[i].blue;
            }
          format->palette[i][3] = alpha != NULL && i < n_alpha ? alpha[i] : 255;
        }
    }
  else if (key != NULL)
    {
      format->has_key = TRUE;
      format->key[0] = format->color_type == PNG_COLOR_TYPE_GRAY ? key->gray : key->red;
      format->key[1] = key->green;
      format->key[2] = key->blue;
    }
  has_alpha = (format->color_type & PNG_COLOR_MASK_ALPHA) != 0 || alpha != NULL
              || format->has_key;
  if (!sampler_init (&judge->sampler, judge->width, judge->height, has_alpha ? 4 : 3,
                     judge->interlaced))
    png_error (png, "no memory for the preview");
}

/* the row @row_num of @pass (of the image when not interlaced) */
static void
png_judge_row (png_structp png,
               png_bytep   row,
               png_uint_32 row_num,
               int         pass)
{
  PngJudge *judge = png_get_progressive_ptr (png);

  if (row == NULL)
    return;
  if (!judge->interlaced)
    sampler_put_row (&judge->sampler, &judge->format, row_num, row, 0, 1, judge->width);
  else if (pass >= 0 && pass <= 6)
    {
      guint x0 = adam7[pass][0], dx = adam7[pass][1];

      sampler_put_row (&judge->sampler, &judge->format, adam7[pass][2] + row_num * adam7[pass][3],
                       row, x0, dx, judge->width > x0 ? (judge->width - x0 + dx - 1) / dx : 0);
    }
}

static void
png_judge_end (png_structp png,
               png_infop   info)
{
  PngJudge *judge = png_get_progressive_ptr (png);

  judge->complete = TRUE;
}

/* the bytes of pixel data a PNG of this header inflates to */
static guint64
png_data_bytes (const guchar *ihdr,
                guint         width,
                guint         height)
{
  static const guint8 channels[7] = { 1, 0, 3, 1, 2, 0, 4 };
  guint depth = ihdr[8], type = ihdr[9];
  guint bits = (type < 7 ? MAX (channels[type], 1) : 4) * MAX (depth, 1);

  /* interlaced, a little more: a filter byte and a part byte a row of a pass */
  return (guint64)height * (1 + ((guint64)width * bits + 7) / 8 + (ihdr[12] ? 4 : 0));
}

/* the decoding, apart for its longjmp() */
static void
png_judge_run (PngJudge     *judge,
               png_structp   png,
               png_infop     info,
               const guchar *data,
               gsize         length)
{
  static const png_byte ignored[] = {
    'i', 'C', 'C', 'P', 0, 'i', 'T', 'X', 't', 0, 't', 'E', 'X', 't', 0,
    'z', 'T', 'X', 't', 0, 's', 'P', 'L', 'T', 0, 'e', 'X', 'I', 'f', 0,
  };

  if (setjmp (png_jmpbuf (png)) != 0)
    return;
  png_set_user_limits (png, CRM_LICENSE_MAX_SIDE, CRM_LICENSE_MAX_SIDE);
  /* text, colour profiles and unknown chunks are not read */
  png_set_keep_unknown_chunks (png, PNG_HANDLE_CHUNK_NEVER, ignored, sizeof ignored / 5);
  png_set_keep_unknown_chunks (png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
  png_set_progressive_read_fn (png, judge, png_judge_info, png_judge_row, png_judge_end);
  png_process_data (png, info, (png_bytep)data, length);
  if (!judge->complete)
    g_strlcpy (judge->message, "the image data ends early", sizeof judge->message);
}

/**
 * _crm_license_png_preview:
 * @data: a whole PNG file, whose IHDR says @width × @height
 *
 * Decodes all of the PNG, a row at a time.
 *
 * Returns: (transfer full) (nullable): a preview of at most PREVIEW_SIDE
 *   pixels a side, or %NULL with a %CRM_LICENSE_ERROR
 */
GdkPixbuf *
_crm_license_png_preview (const guchar  *data,
                          gsize          length,
                          guint          width,
                          guint          height,
                          GError       **error)
{
  g_autofree PngJudge *judge = g_new0 (PngJudge, 1);
  png_structp png;
  png_infop info;
  GdkPixbuf *preview = NULL;
  guint64 data_bytes;

  if (length < 33)
    {
      g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED,
                           _("The PNG image is damaged: it has no header"));
      return NULL;
    }
  data_bytes = png_data_bytes (data + 16, width, height);
  if (data_bytes > PNG_MAX_DATA_BYTES)
    {
      guint64 megapixels = PNG_MAX_DATA_BYTES * width / data_bytes * height / 1000000;

      g_set_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DIMENSIONS,
                   _("The image is %u × %u pixels, too large to check: save it with at most "
                     "%u megapixels, or as a JPEG"),
                   width, height, (guint)megapixels);
      return NULL;
    }

  judge->width = width;
  judge->height = height;

  png = png_create_read_struct (PNG_LIBPNG_VER_STRING, judge, png_judge_error,
                                png_judge_warning);
  info = png ? png_create_info_struct (png) : NULL;
  if (info == NULL)
    {
      png_destroy_read_struct (&png, NULL, NULL);
      g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_READ,
                           _("Not enough memory to check the image"));
      return NULL;
    }

  png_judge_run (judge, png, info, data, length);
  png_destroy_read_struct (&png, &info, NULL);

  if (judge->complete && judge->message[0] == '\0')
    preview = g_steal_pointer (&judge->sampler.preview);
  else
    g_set_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED,
                 _("The image is damaged or incomplete and cannot be shown (%s)"),
                 judge->message[0] ? judge->message : "?");
  sampler_clear (&judge->sampler);
  return preview;
}

/* ---- JPEG ---- */

static guint16
be16 (const guchar *p)
{
  return (guint16)(p[0] << 8 | p[1]);
}

/**
 * _crm_jpeg_next_segment:
 * @pos: (inout): where to look from (2, after the start of image, at first);
 *   on %TRUE, where the segment starts (its 0xFF): add 2 + @segment_length
 *   to go on to the next one
 *
 * The next segment of a JPEG's headers, fill bytes and markers that stand
 * alone skipped. Returns: %FALSE at the end or on bytes that are not a
 * segment.
 */
gboolean
_crm_jpeg_next_segment (const guchar *d,
                        gsize         n,
                        gsize        *pos,
                        guchar       *marker,
                        guint16      *segment_length)
{
  gsize i = *pos;

  while (i + 4 <= n)
    {
      if (d[i] != 0xFF)
        return FALSE;
      *marker = d[i + 1];
      if (*marker == 0xFF)
        {
          i++;
          continue;
        }
      if (*marker == 0xD8 || (*marker >= 0xD0 && *marker <= 0xD7) || *marker == 0x01)
        {
          i += 2;
          continue;
        }
      *segment_length = be16 (d + i + 2);
      *pos = i;
      return *segment_length >= 2;
    }
  return FALSE;
}

/* a start-of-frame segment: the one that gives the image's size */
gboolean
_crm_jpeg_is_frame (guchar marker)
{
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
         && marker != 0xCC;
}

/* What libjpeg keeps of a JPEG before it can show it: for a progressive
 * or multi-scan one, every coefficient of every block of every component
 * (2 bytes each, blocks rounded up to whole MCUs); 0 otherwise or when the
 * headers cannot be read (the decoder then says what is wrong). */
static guint64
jpeg_coefficient_bytes (const guchar *d,
                        gsize         n)
{
  const guchar *frame = NULL;
  gboolean progressive = FALSE;
  gsize i = 2;

  guchar marker;
  guint16 length;

  while (_crm_jpeg_next_segment (d, n, &i, &marker, &length))
    {
      if (i + 2 + length > n)
        return 0;
      if (_crm_jpeg_is_frame (marker) && frame == NULL)
        {
          frame = d + i + 4;
          progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
          if (length < 8 || length < 8 + 3 * frame[5])
            return 0;
        }
      else if (marker == 0xDA) /* the first scan */
        {
          guint height, width, n_components, h_max = 1, v_max = 1;
          guint64 bytes = 0;

          if (frame == NULL || length < 3)
            return 0;
          height = be16 (frame + 1);
          width = be16 (frame + 3);
          n_components = frame[5];
          /* a baseline JPEG whose first scan holds every component: a row of
           * blocks at a time */
          if (!progressive && d[i + 4] >= n_components)
            return 0;
          for (guint c = 0; c < n_components; c++)
            {
              h_max = MAX (h_max, frame[6 + 3 * c + 1] >> 4);
              v_max = MAX (v_max, frame[6 + 3 * c + 1] & 0x0F);
            }
          for (guint c = 0; c < n_components; c++)
            {
              guint h = MAX (frame[6 + 3 * c + 1] >> 4, 1);
              guint v = MAX (frame[6 + 3 * c + 1] & 0x0F, 1);
              guint64 mcus_x = ((guint64)width + 8 * h_max - 1) / (8 * h_max);
              guint64 mcus_y = ((guint64)height + 8 * v_max - 1) / (8 * v_max);

              bytes += mcus_x * h * mcus_y * v * 64 * 2;
            }
          return bytes;
        }
      i += 2 + length;
    }
  return 0;
}

typedef struct
{
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr         manager;
  jmp_buf                       jump;
  gboolean                      cut;     /* the data ended early */
  gboolean                      done;
  char                          message[JMSG_LENGTH_MAX];
  Sampler                       sampler;
  guchar                       *row;
} JpegJudge;

static void
jpeg_judge_error_exit (j_common_ptr cinfo)
{
  JpegJudge *judge = (JpegJudge *)cinfo;

  cinfo->err->format_message (cinfo, judge->message);
  longjmp (judge->jump, 1);
}

static void
jpeg_judge_message (j_common_ptr cinfo,
                    int          level)
{
  JpegJudge *judge = (JpegJudge *)cinfo;

  /* warnings of damage are let pass, as viewers do, but not a cut file */
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF)
    judge->cut = TRUE;
}

/* the decoding, apart for its longjmp() */
static void
jpeg_judge_run (JpegJudge    *judge,
                const guchar *d,
                gsize         n)
{
  static const PixelFormat rgb = { PNG_COLOR_TYPE_RGB, 8, };
  struct jpeg_decompress_struct *cinfo = &judge->cinfo;
  gboolean cmyk;
  guint scale;

  if (setjmp (judge->jump) != 0)
    return;
  jpeg_mem_src (cinfo, d, n);
  jpeg_read_header (cinfo, TRUE);
  cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
  cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  /* the largest scale that fits the preview, else 1/8 (sampled after) */
  for (scale = 8; scale > 1; scale--)
    if (((guint64)cinfo->image_width * scale + 7) / 8 <= PREVIEW_SIDE
        && ((guint64)cinfo->image_height * scale + 7) / 8 <= PREVIEW_SIDE)
      break;
  cinfo->scale_num = scale;
  cinfo->scale_denom = 8;
  cinfo->dct_method = JDCT_ISLOW;
  jpeg_start_decompress (cinfo);
  if (cinfo->output_components != (cmyk ? 4 : 3)
      || !sampler_init (&judge->sampler, cinfo->output_width, cinfo->output_height, 3,
                        FALSE))
    ERREXIT (cinfo, JERR_CONVERSION_NOTIMPL);
  judge->row = g_malloc ((gsize)cinfo->output_width * cinfo->output_components);
  while (cinfo->output_scanline < cinfo->output_height)
    {
      guint y = cinfo->output_scanline;

      jpeg_read_scanlines (cinfo, &judge->row, 1);
      for (guint x = 0; cmyk && x < cinfo->output_width; x++)
        {
          /* Adobe's CMYK is stored inverted */
          guchar *p = judge->row + 4 * x;
          guint k = cinfo->saw_Adobe_marker ? p[3] : 255 - p[3];

          for (guint c = 0; c < 3; c++)
            judge->row[3 * x + c] = (cinfo->saw_Adobe_marker ? p[c] : 255 - p[c]) * k / 255;
        }
      sampler_put_row (&judge->sampler, &rgb, y, judge->row, 0, 1, cinfo->output_width);
    }
  jpeg_finish_decompress (cinfo);
  if (judge->cut)
    g_strlcpy (judge->message, "the image data ends early", sizeof judge->message);
  else
    judge->done = TRUE;
}

/**
 * _crm_license_jpeg_preview:
 * @bytes: a whole JPEG file, whose size has been checked
 *
 * Decodes all of the JPEG, at the scale (1/8 to 8/8) nearest the preview's
 * size, a row at a time.
 *
 * Returns: (transfer full) (nullable): a preview of at most PREVIEW_SIDE
 *   pixels a side, or %NULL with a %CRM_LICENSE_ERROR
 */
GdkPixbuf *
_crm_license_jpeg_preview (GBytes  *bytes,
                           GError **error)
{
  g_autofree JpegJudge *judge = g_new0 (JpegJudge, 1);
  struct jpeg_decompress_struct *cinfo = &judge->cinfo;
  gsize n;
  const guchar *d = g_bytes_get_data (bytes, &n);
  GdkPixbuf *preview = NULL;

  if (jpeg_coefficient_bytes (d, n) > JPEG_MAX_COEFFICIENT_BYTES)
    {
      g_set_error_literal (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DIMENSIONS,
                           _("This progressive JPEG is too large to check: save it as a "
                             "standard (baseline) JPEG or a PNG, or smaller"));
      return NULL;
    }

  cinfo->err = jpeg_std_error (&judge->manager);
  judge->manager.error_exit = jpeg_judge_error_exit;
  judge->manager.emit_message = jpeg_judge_message;
  jpeg_create_decompress (cinfo);
  jpeg_judge_run (judge, d, n);
  jpeg_destroy_decompress (cinfo);
  if (judge->done)
    preview = g_steal_pointer (&judge->sampler.preview);
  sampler_clear (&judge->sampler);
  g_free (judge->row);

  if (preview == NULL)
    g_set_error (error, CRM_LICENSE_ERROR, CRM_LICENSE_ERROR_DAMAGED,
                 _("The image is damaged or incomplete and cannot be shown (%s)"),
                 judge->message[0] ? judge->message : "?");
  return preview;
}

/* the integer after @key in [from, to), 0 when there is none or it is a
 * reference ("/Width 7 0 R") */
static guint64
pdf_dict_integer (const char *from,
                  const char *to,
                  const char *key)
{
  gsize key_length = strlen (key);
  const char *p = from;
  guint64 value = 0;

  while ((p = memmem (p, to - p, key, key_length)) != NULL)
    {
      p += key_length;
      /* /Width, not /WidthX */
      if (p < to && (g_ascii_isalnum (*p) || *p == '_'))
        continue;
      while (p < to && g_ascii_isspace (*p))
        p++;
      while (p < to && g_ascii_isdigit (*p) && value < G_MAXUINT32)
        value = value * 10 + (guint64) (*p++ - '0');
      while (p < to && g_ascii_isspace (*p))
        p++;
      /* "7 0 R": an indirect size, not known from here */
      if (p < to && g_ascii_isdigit (*p))
        return 0;
      return value;
    }
  return 0;
}

/* The pixels of the image XObjects of the PDF, from their dictionaries
 * (never inside an object stream, since they are streams); G_MAXUINT64
 * when one's size is not written out. */
static guint64
pdf_image_pixels (const char *data,
                  gsize       length)
{
  const char *end = data + length;
  const char *p = data;
  guint64 total = 0;

  while ((p = memmem (p, end - p, "/Subtype", 8)) != NULL)
    {
      const char *value = p + 8, *from, *to;
      guint64 width, height;

      while (value < end && g_ascii_isspace (*value))
        value++;
      p = value;
      if (end - value < 6 || memcmp (value, "/Image", 6) != 0
          || (value + 6 < end && g_ascii_isalnum (value[6])))
        continue;
      /* its dictionary: from its object's start to its stream */
      from = g_strrstr_len (data, value - data, "obj");
      from = from ? from : data;
      to = memmem (value, end - value, "stream", 6);
      to = to ? to : end;
      width = pdf_dict_integer (from, to, "/Width");
      height = pdf_dict_integer (from, to, "/Height");
      if (width == 0 || height == 0)
        return G_MAXUINT64;
      total += width * height;
      if (total > PDF_MAX_IMAGE_PIXELS)
        return total;
    }
  return total;
}

/**
 * _crm_license_pdf_preview:
 *
 * Renders the first page of the PDF in @bytes, on white, scaled to fit
 * PREVIEW_SIDE pixels on its longer side before it is rendered.
 *
 * Returns: (transfer full) (nullable): the preview, or %NULL when poppler
 *   cannot open or render the document (it is then shown as a document).
 */
GdkPixbuf *
_crm_license_pdf_preview (GBytes *bytes)
{
  /* poppler-glib 22.12 declares no autoptr */
  g_autoptr (GObject) document = NULL;
  g_autoptr (GObject) page = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double page_width, page_height, scale;
  int width, height, stride, n_channels, rowstride;
  const guchar *src;
  guchar *dst;

  if (pdf_image_pixels (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
      > PDF_MAX_IMAGE_PIXELS)
    return NULL;
  document = G_OBJECT (poppler_document_new_from_bytes (bytes, NULL, NULL));
  if (document == NULL || poppler_document_get_n_pages (POPPLER_DOCUMENT (document)) < 1)
    return NULL;
  page = G_OBJECT (poppler_document_get_page (POPPLER_DOCUMENT (document), 0));
  if (page == NULL)
    return NULL;
  poppler_page_get_size (POPPLER_PAGE (page), &page_width, &page_height);
  if (!isfinite (page_width) || !isfinite (page_height) || page_width <= 0 || page_height <= 0)
    return NULL;

  scale = PREVIEW_SIDE / MAX (page_width, page_height);
  width = CLAMP ((int) (page_width * scale + 0.5), 1, PREVIEW_SIDE);
  height = CLAMP ((int) (page_height * scale + 0.5), 1, PREVIEW_SIDE);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (POPPLER_PAGE (page), cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }

  /* cairo's native-endian xRGB words to gdk-pixbuf's RGB bytes */
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (pixbuf == NULL)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  src = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  dst = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (src + (gsize) y * stride);
      guchar *out = dst + (gsize) y * rowstride;

      for (int x = 0; x < width; x++, out += n_channels)
        {
          out[0] = (row[x] >> 16) & 0xFF;
          out[1] = (row[x] >> 8) & 0xFF;
          out[2] = row[x] & 0xFF;
        }
    }
  cairo_surface_destroy (surface);
  return g_steal_pointer (&pixbuf);
}
