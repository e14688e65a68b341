/* crm-archive.c — "Export everything": all the data in one .zip, and back
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A .zip rather than a .tar.gz: the people this is for open it by
 * double-click on Windows and macOS (and WPS opens its CSV files) with no
 * extra tool, each member can be read alone, and libarchive writes and
 * reads it. The members:
 *
 *   manifest.json             format, version, counts, every member's size and SHA-256
 *   contacts.csv, deals.csv,  for people (crm-export.c's CSV, UTF-8 with a BOM)
 *   followups.csv
 *   data/TABLE.jsonl          the rows as stored, one JSON object a line
 *                             (contacts, deals, followups, blobs,
 *                             certification, terms_acceptance: crm_store_dump())
 *   license/SHA256.EXT        each blob (the certification's license file)
 *
 * An archive made before follow-ups existed has no data/followups.jsonl
 * and no count of them: it loads with none. The data/ files are
 * what an import reads: they carry every column, so importing into an empty
 * store gives back the same records, ids, timestamps and server versions
 * included (crm_store_load_into_empty()).
 *
 * An archive being imported is not trusted: only the member names above
 * are accepted (no absolute path, no "..", no link, no name twice), each
 * member is unpacked under a name of our own with its size counted as it
 * is read (1 GiB a member, 4 GiB in all), and the manifest must list
 * exactly the members there are, with their sums, and the counts of the
 * rows loaded; anything else refuses the whole import and the store is
 * left as it was.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "crm-archive.h"
#include "crm-export-private.h"
#include "crm-io.h"
#include "crm-wire.h"

#define ARCHIVE_FORMAT "xiaohe-crm-archive"
#define ARCHIVE_VERSION 1
#define MANIFEST "manifest.json"
#define MAX_MANIFEST (1 << 20)
#define CHUNK 65536

/* shared */

static char *
table_member (CrmStoreTable table)
{
  return g_strdup_printf ("data/%s.jsonl", crm_store_table_get_name (table));
}

static char *
blob_member (const char *sha256,
             const char *mime_type)
{
  const char *ext = g_strcmp0 (mime_type, "image/png") == 0 ? "png"
                    : g_strcmp0 (mime_type, "image/jpeg") == 0 ? "jpg"
                    : g_strcmp0 (mime_type, "application/pdf") == 0 ? "pdf" : "bin";

  return g_strdup_printf ("license/%s.%s", sha256, ext);
}

static gboolean
cancelled (GCancellable  *cancellable,
           GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_CANCELLED, _("Cancelled"));
  return TRUE;
}

/* export */

typedef struct
{
  char              *dir;           /* the members, before they are packed */
  FILE              *fp[CRM_STORE_N_TABLES];
  guint              count[CRM_STORE_N_TABLES];
  GPtrArray         *members;       /* names, in the order packed */
  CrmExportProgress  progress;
  gpointer           progress_data;
  guint              done;
} Export;

static void
export_clear (Export *ex)
{
  for (guint t = 0; t < CRM_STORE_N_TABLES; t++)
    if (ex->fp[t] != NULL)
      fclose (ex->fp[t]);
  if (ex->dir != NULL)
    {
      g_autofree char *data = g_build_filename (ex->dir, "data", NULL);
      g_autofree char *license = g_build_filename (ex->dir, "license", NULL);

      for (guint i = 0; i < ex->members->len; i++)
        {
          g_autofree char *path = g_build_filename (ex->dir, ex->members->pdata[i], NULL);
          g_unlink (path);
        }
      g_rmdir (data);
      g_rmdir (license);
      g_rmdir (ex->dir);
      g_free (ex->dir);
    }
  g_ptr_array_unref (ex->members);
}

static gboolean
dump_row (CrmStoreTable   table,
          JsonObject     *row,
          GBytes         *data,
          guint           index,
          guint           total,
          gpointer        user_data,
          GError        **error)
{
  Export *ex = user_data;
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), row);
  g_autofree char *line = json_to_string (node, FALSE);

  if (ex->fp[table] == NULL)
    return FALSE;
  if (fputs (line, ex->fp[table]) < 0 || fputc ('\n', ex->fp[table]) < 0)
    {
      g_autofree char *name = table_member (table);
      return _crm_export_write_error (error, name);
    }
  ex->count[table]++;
  if (data != NULL)
    {
      g_autofree char *name = blob_member (json_object_get_string_member (row, "sha256"),
                                           json_object_get_string_member (row, "mime_type"));
      g_autofree char *path = g_build_filename (ex->dir, name, NULL);

      if (!g_file_set_contents (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                error))
        return FALSE;
      g_ptr_array_add (ex->members, g_steal_pointer (&name));
    }
  if (ex->progress != NULL && index % 256 == 0)
    ex->progress (ex->done + index, ex->done + total, ex->progress_data);
  if (index + 1 == total)
    ex->done += total;
  return TRUE;
}

static gboolean
export_tables (Export        *ex,
               CrmStore      *store,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *data = g_build_filename (ex->dir, "data", NULL);
  g_autofree char *license = g_build_filename (ex->dir, "license", NULL);

  if (g_mkdir (data, 0700) != 0 || g_mkdir (license, 0700) != 0)
    return _crm_export_write_error (error, ex->dir);
  for (CrmStoreTable t = 0; t < CRM_STORE_N_TABLES; t++)
    {
      g_autofree char *name = table_member (t);
      g_autofree char *path = g_build_filename (ex->dir, name, NULL);

      ex->fp[t] = g_fopen (path, "wb");
      if (ex->fp[t] == NULL)
        return _crm_export_write_error (error, path);
      g_ptr_array_add (ex->members, g_steal_pointer (&name));
    }
  if (!crm_store_dump (store, dump_row, ex, cancellable, error))
    return FALSE;
  for (CrmStoreTable t = 0; t < CRM_STORE_N_TABLES; t++)
    {
      int rc = fclose (ex->fp[t]);

      ex->fp[t] = NULL;
      if (rc != 0)
        return _crm_export_write_error (error, ex->dir);
    }
  return TRUE;
}

/* the CSV copies for people */
static gboolean
export_csv (Export        *ex,
            CrmStore      *store,
            GCancellable  *cancellable,
            GError       **error)
{
  static const struct { const char *name; CrmExportWhat what; } parts[] = {
    { "contacts.csv", CRM_EXPORT_CONTACTS }, { "deals.csv", CRM_EXPORT_DEALS },
    { "followups.csv", CRM_EXPORT_FOLLOWUPS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *path = g_build_filename (ex->dir, parts[i].name, NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);

      if (!crm_export (store, file, CRM_EXPORT_FORMAT_CSV, parts[i].what,
                       CRM_EXPORT_FLAGS_NONE, NULL, NULL, cancellable, error))
        return FALSE;
      g_ptr_array_add (ex->members, g_strdup (parts[i].name));
    }
  return TRUE;
}

static gboolean
hash_file (const char  *path,
           char       **sha256,
           gint64      *size,
           GError     **error)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *buf = g_malloc (CHUNK);
  FILE *fp = g_fopen (path, "rb");
  size_t n;

  if (fp == NULL)
    return _crm_export_write_error (error, path);
  *size = 0;
  while ((n = fread (buf, 1, CHUNK, fp)) > 0)
    {
      g_checksum_update (sum, (const guchar *)buf, n);
      *size += n;
    }
  if (ferror (fp))
    {
      fclose (fp);
      return _crm_export_write_error (error, path);
    }
  fclose (fp);
  *sha256 = g_strdup (g_checksum_get_string (sum));
  return TRUE;
}

static char *
manifest_text (Export        *ex,
               GError       **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, ARCHIVE_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, ARCHIVE_VERSION);
  json_builder_set_member_name (b, "app_version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  for (CrmStoreTable t = 0; t < CRM_STORE_N_TABLES; t++)
    {
      json_builder_set_member_name (b, crm_store_table_get_name (t));
      json_builder_add_int_value (b, ex->count[t]);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "files");
  json_builder_begin_object (b);
  for (guint i = 0; i < ex->members->len; i++)
    {
      g_autofree char *path = g_build_filename (ex->dir, ex->members->pdata[i], NULL);
      g_autofree char *sha256 = NULL;
      gint64 size = 0;

      if (!hash_file (path, &sha256, &size, error))
        return NULL;
      json_builder_set_member_name (b, ex->members->pdata[i]);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, size);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, sha256);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}

static gboolean
zip_failed (struct archive  *a,
            const char      *path,
            GError         **error)
{
  g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN, _("Cannot write “%s”: %s"), path,
               archive_error_string (a) ? archive_error_string (a) : g_strerror (EIO));
  return FALSE;
}

static gboolean
zip_add (struct archive  *a,
         const char      *name,
         const char      *path,
         const char      *zip_path,
         GError         **error)
{
  struct archive_entry *entry;
  g_autofree char *buf = g_malloc (CHUNK);
  GStatBuf st;
  FILE *fp;
  size_t n;
  gboolean ok = TRUE;

  if (g_stat (path, &st) != 0 || (fp = g_fopen (path, "rb")) == NULL)
    return _crm_export_write_error (error, path);
  entry = archive_entry_new ();
  archive_entry_set_pathname_utf8 (entry, name);
  archive_entry_set_size (entry, st.st_size);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_mtime (entry, g_get_real_time () / G_USEC_PER_SEC, 0);
  if (archive_write_header (a, entry) != ARCHIVE_OK)
    ok = zip_failed (a, zip_path, error);
  while (ok && (n = fread (buf, 1, CHUNK, fp)) > 0)
    if (archive_write_data (a, buf, n) != (la_ssize_t)n)
      ok = zip_failed (a, zip_path, error);
  if (ok && ferror (fp))
    ok = _crm_export_write_error (error, path);
  fclose (fp);
  archive_entry_free (entry);
  return ok && (archive_write_finish_entry (a) == ARCHIVE_OK
                || zip_failed (a, zip_path, error));
}

static gboolean
write_zip (Export      *ex,
           const char  *zip_path,
           GError     **error)
{
  g_autofree char *manifest_path = g_build_filename (ex->dir, MANIFEST, NULL);
  g_autofree char *manifest = manifest_text (ex, error);
  struct archive *a;
  gboolean ok;

  if (manifest == NULL || !g_file_set_contents (manifest_path, manifest, -1, error))
    return FALSE;
  g_ptr_array_insert (ex->members, 0, g_strdup (MANIFEST));

  a = archive_write_new ();
  ok = archive_write_set_format_zip (a) == ARCHIVE_OK
       && archive_write_zip_set_compression_deflate (a) == ARCHIVE_OK
       && archive_write_set_options (a, "zip:zip64") >= ARCHIVE_WARN
       && archive_write_open_filename (a, zip_path) == ARCHIVE_OK;
  if (!ok)
    zip_failed (a, zip_path, error);
  for (guint i = 0; ok && i < ex->members->len; i++)
    {
      g_autofree char *path = g_build_filename (ex->dir, ex->members->pdata[i], NULL);

      ok = zip_add (a, ex->members->pdata[i], path, zip_path, error);
    }
  if (archive_write_close (a) != ARCHIVE_OK && ok)
    ok = zip_failed (a, zip_path, error);
  archive_write_free (a);
  return ok;
}

/**
 * crm_archive_export:
 * @file: the .zip to write (a local path)
 * @progress: (nullable): records written so far, every 256
 * @cancellable: (nullable): cancelling leaves no file written
 *
 * Writes everything (see the top of this file). Reads on connections of its
 * own: may run on a worker thread.
 */
gboolean
crm_archive_export (CrmStore           *store,
                    GFile              *file,
                    CrmExportProgress   progress,
                    gpointer            progress_data,
                    GCancellable       *cancellable,
                    GError            **error)
{
  Export ex = { NULL };
  g_autoptr (GError) local_error = NULL;
  g_autofree char *temp = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  ex.members = g_ptr_array_new_with_free_func (g_free);
  ex.progress = progress;
  ex.progress_data = progress_data;
  temp = _crm_export_temp_path (file, error);
  if (temp == NULL)
    {
      export_clear (&ex);
      return FALSE;
    }
  ex.dir = g_dir_make_tmp ("xiaohe-crm-archive-XXXXXX", &local_error);
  ok = ex.dir != NULL
       && export_tables (&ex, store, cancellable, &local_error)
       && export_csv (&ex, store, cancellable, &local_error)
       && !cancelled (cancellable, &local_error)
       && write_zip (&ex, temp, &local_error);
  if (!ok && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&local_error);
      cancelled (cancellable, &local_error);
    }
  export_clear (&ex);
  if (ok && progress != NULL)
    progress (ex.done, ex.done, progress_data);
  if (!ok)
    {
      _crm_export_commit (temp, file, FALSE, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return _crm_export_commit (temp, file, TRUE, error);
}

/* import */

typedef struct
{
  char   *path;     /* where it was unpacked */
  gint64  size;
  char   *sha256;
} Member;

static void
member_free (Member *m)
{
  g_unlink (m->path);
  g_free (m->path);
  g_free (m->sha256);
  g_free (m);
}

typedef struct
{
  char         *dir;
  GHashTable   *members;     /* name → Member */
  JsonObject   *manifest;
  GCancellable *cancellable;
} Import;

static gboolean format_error (GError     **error,
                              const char  *format,
                              ...) G_GNUC_PRINTF (2, 3);

/* a CRM_IO_ERROR_FORMAT whose text is valid UTF-8 whatever a name held */
static gboolean
format_error (GError     **error,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  g_autofree char *safe = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  safe = g_utf8_make_valid (message, -1);
  g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT, safe);
  return FALSE;
}

/* the member names an archive of ours has, and only those */
static gboolean
name_allowed (const char *name)
{
  static const char *const fixed[] = { MANIFEST, "contacts.csv", "deals.csv",
                                       "followups.csv" };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    if (g_str_equal (name, fixed[i]))
      return TRUE;
  for (CrmStoreTable t = 0; t < CRM_STORE_N_TABLES; t++)
    {
      g_autofree char *table = table_member (t);

      if (g_str_equal (name, table))
        return TRUE;
    }
  return g_regex_match_simple ("^license/[0-9a-f]{64}\\.(png|jpg|pdf|bin)$", name, 0, 0);
}

static gboolean
check_entry (Import                *im,
             struct archive_entry  *entry,
             const char            *name,
             gboolean              *skip,
             GError               **error)
{
  *skip = FALSE;
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return format_error (error, _("The archive names a member in a way that cannot be "
                                  "read: refused"));
  if (g_path_is_absolute (name) || name[0] == '/' || name[0] == '\\'
      || strstr (name, "..") != NULL || strchr (name, '\\') != NULL)
    return format_error (error, _("The archive names a file outside itself (“%s”): "
                                  "refused"), name);
  if (archive_entry_filetype (entry) == AE_IFDIR
      && (g_str_equal (name, "data/") || g_str_equal (name, "license/")))
    {
      *skip = TRUE;
      return TRUE;
    }
  if (archive_entry_filetype (entry) != AE_IFREG || archive_entry_hardlink (entry) != NULL)
    return format_error (error, _("The archive holds “%s”, which is not a plain file: "
                                  "refused"), name);
  if (!name_allowed (name))
    return format_error (error, _("The archive holds “%s”, which an archive of Xiaohe CRM "
                                  "does not have: refused"), name);
  if (g_hash_table_contains (im->members, name))
    return format_error (error, _("The archive holds “%s” twice: refused"), name);
  if (archive_entry_size_is_set (entry) && archive_entry_size (entry) > CRM_ARCHIVE_MAX_MEMBER)
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                   _("“%s” in the archive is larger than an archive of Xiaohe CRM holds: "
                     "refused"), name);
      return FALSE;
    }
  return TRUE;
}

/* unpacks the current member to a file of our own, its size counted as read */
static Member *
unpack (Import          *im,
        struct archive  *a,
        const char      *name,
        gint64          *total,
        GError         **error)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *buf = g_malloc (CHUNK);
  g_autoptr (GError) local_error = NULL;
  Member *m = g_new0 (Member, 1);
  FILE *fp;
  la_ssize_t n;

  m->path = g_strdup_printf ("%s/%u", im->dir, g_hash_table_size (im->members));
  fp = g_fopen (m->path, "wb");
  if (fp == NULL)
    {
      _crm_export_write_error (error, m->path);
      member_free (m);
      return NULL;
    }
  while ((n = archive_read_data (a, buf, CHUNK)) > 0)
    {
      m->size += n;
      *total += n;
      if (m->size > CRM_ARCHIVE_MAX_MEMBER || *total > CRM_ARCHIVE_MAX_TOTAL)
        {
          g_set_error (&local_error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                       _("“%s” in the archive unpacks to more than an archive of Xiaohe CRM "
                         "holds: refused"), name);
          break;
        }
      g_checksum_update (sum, (const guchar *)buf, n);
      if (fwrite (buf, 1, n, fp) != (size_t)n)
        {
          _crm_export_write_error (&local_error, m->path);
          break;
        }
      if (cancelled (im->cancellable, &local_error))
        break;
    }
  if (fclose (fp) != 0 && local_error == NULL)
    _crm_export_write_error (&local_error, m->path);
  if (local_error == NULL && n < 0)
    format_error (&local_error, _("The archive is damaged: “%s” cannot be unpacked"), name);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      member_free (m);
      return NULL;
    }
  m->sha256 = g_strdup (g_checksum_get_string (sum));
  return m;
}

static gboolean
unpack_all (Import       *im,
            const char   *path,
            GError      **error)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  gint64 total = 0;
  guint n_entries = 0;
  gboolean ok = TRUE;
  int rc;

  archive_read_support_format_zip (a);
  if (archive_read_open_filename (a, path, CHUNK) != ARCHIVE_OK)
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                   _("“%s” is not an archive of Xiaohe CRM (a .zip): %s"), path,
                   archive_error_string (a));
      archive_read_free (a);
      return FALSE;
    }
  while (ok && (rc = archive_read_next_header (a, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname_utf8 (entry);
      gboolean skip;
      Member *m;

      if (++n_entries > CRM_ARCHIVE_MAX_MEMBERS)
        {
          g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                               _("The archive holds more files than an archive of Xiaohe "
                                 "CRM does: refused"));
          ok = FALSE;
        }
      else if (!check_entry (im, entry, name, &skip, error))
        ok = FALSE;
      else if (!skip && (m = unpack (im, a, name, &total, error)) != NULL)
        g_hash_table_insert (im->members, g_strdup (name), m);
      else if (!skip)
        ok = FALSE;
    }
  if (ok && rc != ARCHIVE_EOF)
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                   _("The archive is damaged: %s"), archive_error_string (a));
      ok = FALSE;
    }
  archive_read_free (a);
  return ok;
}

static gboolean
read_manifest (Import  *im,
               GError **error)
{
  Member *m = g_hash_table_lookup (im->members, MANIFEST);
  g_autofree char *text = NULL;
  gsize length = 0;
  JsonObject *files;
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr (GList) names = NULL;

  if (m == NULL)
    {
      g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                           _("The archive has no manifest.json: not an archive of "
                             "Xiaohe CRM"));
      return FALSE;
    }
  if (m->size > MAX_MANIFEST || !g_file_get_contents (m->path, &text, &length, NULL))
    return format_error (error, _("The archive’s %s cannot be read"), MANIFEST);
  im->manifest = crm_wire_parse_object (text, length, NULL);
  if (im->manifest == NULL
      || g_strcmp0 (json_object_get_string_member_with_default (im->manifest, "format", ""),
                    ARCHIVE_FORMAT) != 0
      || !json_object_has_member (im->manifest, "files")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (im->manifest, "files"))
      || !json_object_has_member (im->manifest, "counts")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (im->manifest, "counts")))
    return format_error (error, _("The archive’s %s is not one of Xiaohe CRM"), MANIFEST);
  if (json_object_get_int_member_with_default (im->manifest, "version", 0) != ARCHIVE_VERSION)
    return format_error (error, _("The archive was made by another version of Xiaohe CRM "
                                  "(%s) that this one cannot read"),
                         json_object_get_string_member_with_default (im->manifest,
                                                                     "app_version", "?"));

  /* every member listed with its sum, and nothing else there */
  files = json_object_get_object_member (im->manifest, "files");
  names = json_object_get_members (files);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_hash_table_contains (im->members, l->data))
      return format_error (error, _("The archive is damaged: “%s” is missing"),
                           (const char *)l->data);
  g_hash_table_iter_init (&iter, im->members);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Member *member = value;
      JsonNode *node;
      JsonObject *entry;

      if (g_str_equal (key, MANIFEST))
        continue;
      node = json_object_get_member (files, key);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return format_error (error, _("The archive holds “%s”, which its manifest does not "
                                      "list: refused"), (const char *)key);
      entry = json_node_get_object (node);
      if (json_object_get_int_member_with_default (entry, "size", -1) != member->size
          || g_strcmp0 (json_object_get_string_member_with_default (entry, "sha256", ""),
                        member->sha256) != 0)
        return format_error (error, _("The archive is damaged: “%s” does not match its "
                                      "SHA-256 sum in the manifest"), (const char *)key);
    }
  return TRUE;
}

static gint64
manifest_count (Import        *im,
                CrmStoreTable  table)
{
  JsonObject *counts = json_object_get_object_member (im->manifest, "counts");

  return json_object_get_int_member_with_default (counts, crm_store_table_get_name (table),
                                                  -1);
}

static GBytes *
blob_data (Import      *im,
           JsonObject  *row,
           GError     **error)
{
  const char *sha256 = json_object_get_string_member_with_default (row, "sha256", "");
  const char *mime = json_object_get_string_member_with_default (row, "mime_type", "");
  g_autofree char *name = blob_member (sha256, mime);
  Member *m = g_hash_table_lookup (im->members, name);
  char *data = NULL;
  gsize length = 0;

  if (m == NULL)
    {
      format_error (error, _("The archive is damaged: “%s” is missing"), name);
      return NULL;
    }
  if (m->size > CRM_LICENSE_MAX_SIZE)
    {
      g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_TOO_LARGE,
                   _("“%s” in the archive is larger than a license file can be"), name);
      return NULL;
    }
  if (!g_file_get_contents (m->path, &data, &length, error))
    return NULL;
  return g_bytes_new_take (data, length);
}

static gboolean
load_table (Import          *im,
            CrmStoreLoader  *loader,
            CrmStoreTable    table,
            GError         **error)
{
  g_autofree char *name = table_member (table);
  Member *m = g_hash_table_lookup (im->members, name);
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  guint line_no = 0;

  if (m == NULL && table == CRM_STORE_TABLE_FOLLOWUPS && manifest_count (im, table) == -1)
    return TRUE;   /* an archive from before follow-ups */
  if (m == NULL)
    return format_error (error, _("The archive is damaged: “%s” is missing"), name);
  file = g_file_new_for_path (m->path);
  in = g_file_read (file, NULL, error);
  if (in == NULL)
    return FALSE;
  lines = g_data_input_stream_new (G_INPUT_STREAM (in));
  g_data_input_stream_set_newline_type (lines, G_DATA_STREAM_NEWLINE_TYPE_LF);
  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (JsonObject) row = NULL;
      g_autoptr (GBytes) data = NULL;
      g_autofree char *line = NULL;
      gsize length = 0;

      line = g_data_input_stream_read_line (lines, &length, im->cancellable, &local_error);
      if (line == NULL && local_error == NULL)
        break;
      if (line == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      line_no++;
      row = crm_wire_parse_object (line, length, &local_error);
      if (row == NULL)
        {
          g_set_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT,
                       _("The archive is damaged: line %u of “%s”: %s"), line_no, name,
                       local_error->message);
          return FALSE;
        }
      if (table == CRM_STORE_TABLE_BLOBS && (data = blob_data (im, row, error)) == NULL)
        return FALSE;
      if (!crm_store_loader_add_row (loader, table, row, data, error))
        return FALSE;
    }
  if (crm_store_loader_get_count (loader, table) != manifest_count (im, table))
    return format_error (error, _("The archive is damaged: “%s” does not hold as many rows "
                                  "as its manifest says"), name);
  return TRUE;
}

static gboolean
load_all (CrmStoreLoader  *loader,
          gpointer         user_data,
          GError         **error)
{
  Import *im = user_data;

  for (CrmStoreTable t = 0; t < CRM_STORE_N_TABLES; t++)
    if (!load_table (im, loader, t, error))
      return FALSE;
  return !cancelled (im->cancellable, error);
}

/**
 * crm_archive_import:
 * @file: an archive written by crm_archive_export()
 * @cancellable: (nullable): cancelling leaves the store as it was
 *
 * Loads everything of the archive into @store, which must hold no data
 * (%CRM_STORE_ERROR_NOT_EMPTY otherwise); the records come back as they
 * were exported, ids and timestamps included. A damaged or hostile archive
 * is refused with a %CRM_IO_ERROR saying why, and nothing is loaded.
 */
gboolean
crm_archive_import (CrmStore      *store,
                    GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *path = g_file_get_path (file);
  Import im = { NULL };
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (path == NULL)
    {
      g_set_error_literal (error, CRM_IO_ERROR, CRM_IO_ERROR_OPEN,
                           _("Import can only read a local file"));
      return FALSE;
    }
  im.members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify)member_free);
  im.cancellable = cancellable;
  im.dir = g_dir_make_tmp ("xiaohe-crm-import-XXXXXX", error);
  ok = im.dir != NULL
       && unpack_all (&im, path, error)
       && read_manifest (&im, error)
       && crm_store_load_into_empty (store, load_all, &im, error);
  g_hash_table_unref (im.members);
  if (im.dir != NULL)
    g_rmdir (im.dir);
  g_free (im.dir);
  g_clear_pointer (&im.manifest, json_object_unref);
  return ok;
}
