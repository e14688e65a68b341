/* test-archive.c — "Export everything" and back, hostile archives, and
 * deleting all the data
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real stores in temporary folders. The round trip compares every column
 * of every carried row (crm_store_dump() of both stores), the license's
 * bytes, the terms record, and what the records look like through the
 * store's own API. Hostile archives are made here with libarchive. Delete
 * all is checked in the database file's own bytes.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "crm-archive.h"
#include "crm-io.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

#define UNIQUE "ZEBRAQUUX7731"

typedef struct
{
  CrmTestStore *a;       /* the data */
  CrmTestStore *b;       /* empty, to import into */
  char         *out;
  char         *zip;
} Fixture;

static CrmDeal *
add_deal (CrmStore     *store,
          const char   *title,
          CrmContact   *contact,
          gint64        fen,
          CrmDealStage  stage)
{
  CrmDeal *deal = crm_deal_new ();
  g_autoptr (GError) error = NULL;

  crm_deal_set_title (deal, title);
  crm_deal_set_contact_id (deal, contact ? crm_contact_get_id (contact) : NULL);
  crm_deal_set_amount (deal, fen);
  crm_deal_set_stage (deal, stage);
  crm_deal_set_probability (deal, crm_deal_stage_default_probability (stage));
  if (stage == CRM_DEAL_LOST)
    crm_deal_set_lost_reason (deal, "价格太高, \"too high\"");
  crm_deal_set_expected_close (deal, "2027-01-15");
  crm_deal_set_notes (deal, "第一行\n第二行");
  crm_store_save_deal (store, deal, &error);
  g_assert_no_error (error);
  return deal;
}

static CrmFollowup *
add_followup (CrmStore        *store,
              CrmContact      *contact,
              CrmDeal         *deal,
              CrmFollowupKind  kind,
              const char      *notes)
{
  CrmFollowup *followup = crm_followup_new ();
  g_autoptr (GError) error = NULL;

  crm_followup_set_contact_id (followup, crm_contact_get_id (contact));
  crm_followup_set_deal_id (followup, deal ? crm_deal_get_id (deal) : NULL);
  crm_followup_set_happened_at (followup, "2026-11-28T09:30:00Z");
  crm_followup_set_kind (followup, kind);
  crm_followup_set_notes (followup, notes);
  if (deal != NULL)
    {
      crm_followup_set_next_step (followup, "寄合同");
      crm_followup_set_next_at (followup, "2026-12-01T02:00:00Z");
    }
  crm_store_save_followup (store, followup, CRM_DEAL_N_STAGES, &error);
  g_assert_no_error (error);
  return followup;
}

static void
fill (CrmStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) zhang = crm_test_add (store, "张三" UNIQUE, "13812345678",
                                               "zhang@example.com");
  g_autoptr (CrmContact) li = crm_test_add (store, "李四", "13900000001", "");
  g_autoptr (CrmContact) gone = crm_test_add (store, "王五", "13700000002", "");
  g_autoptr (CrmLicenseFile) license = crm_test_license_png (64, 48, 0x336699ff);
  g_autoptr (CrmCertification) cert = crm_test_certification (license);
  g_autoptr (CrmDeal) d1 = NULL, d2 = NULL, d3 = NULL;
  g_autoptr (CrmFollowup) fu1 = NULL, fu2 = NULL, fu3 = NULL, fu4 = NULL;

  crm_contact_set_field (zhang, CRM_CONTACT_FIELD_NOTES, "备注 " UNIQUE " \"quoted\", x");
  crm_contact_set_field (zhang, CRM_CONTACT_FIELD_TAGS, "VIP,重点");
  crm_contact_set_field (zhang, CRM_CONTACT_FIELD_COMPANY, "=1+1 公司");
  crm_store_save_contact (store, zhang, &error);
  g_assert_no_error (error);
  /* a follow-up of a contact then deleted: carried, shown nowhere */
  fu4 = add_followup (store, gone, NULL, CRM_FOLLOWUP_OTHER, "走了");
  /* a tombstone: not carried */
  crm_store_delete_contact (store, gone, &error);
  g_assert_no_error (error);
  d1 = add_deal (store, "大单" UNIQUE, zhang, 123456789, CRM_DEAL_WON);
  d2 = add_deal (store, "丢了", li, 5, CRM_DEAL_LOST);
  d3 = add_deal (store, "无人", NULL, 0, CRM_DEAL_LEAD);
  /* as if synced: the server has 李四 at version 7 */
  crm_test_exec (store, "UPDATE contacts SET server_version = 7 WHERE name = '李四'");
  /* follow-ups: one snoozed, one the server has, one deleted (not carried) */
  fu1 = add_followup (store, zhang, d1, CRM_FOLLOWUP_VISIT, "拜访 " UNIQUE "\n第二行");
  g_assert_true (crm_store_snooze_followup (store, fu1, "2026-12-01T03:00:00Z", &error));
  g_assert_no_error (error);
  fu2 = add_followup (store, li, NULL, CRM_FOLLOWUP_CALL, "电话");
  crm_test_exec (store, "UPDATE followups SET server_version = 9 WHERE notes = '电话'");
  fu3 = add_followup (store, li, NULL, CRM_FOLLOWUP_WECHAT, "删掉的");
  g_assert_true (crm_store_delete_followup (store, fu3, &error));
  g_assert_no_error (error);

  g_assert_true (crm_store_put_blob (store, license, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_save_certification (store, cert, &error));
  g_assert_no_error (error);
  g_assert_true (crm_store_submit_certification (store, &error));
  g_assert_no_error (error);
  /* certified (by the server): locked against edits */
  crm_test_exec (store, "UPDATE certification SET status = 'certified'");
  g_assert_true (crm_store_accept_terms (store, "2026-03", "zh_CN", &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;

  f->a = crm_test_store_new ();
  f->b = crm_test_store_new_signed_in ();  /* what the load queues for sync */
  f->out = crm_test_make_tmp_dir ();
  f->zip = g_build_filename (f->out, "全部.zip", NULL);
  fill (f->a->store);
  file = g_file_new_for_path (f->zip);
  crm_archive_export (f->a->store, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  crm_test_store_free (f->a);
  crm_test_store_free (f->b);
  crm_test_rm_rf (f->out);
  g_free (f->out);
  g_free (f->zip);
}

static gboolean
collect_row (CrmStoreTable   table,
             JsonObject     *row,
             GBytes         *content,
             guint           index,
             guint           total,
             gpointer        user_data,
             GError        **error)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), row);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autofree char *sum = content ? g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content)
                                 : NULL;

  g_ptr_array_add (user_data, g_strdup_printf ("%s %s %s", crm_store_table_get_name (table),
                                               text, sum ? sum : ""));
  return TRUE;
}

static GPtrArray *
dump (CrmStore *store)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  crm_store_dump (store, collect_row, rows, NULL, &error);
  g_assert_no_error (error);
  return rows;
}

/* every column of @table's live rows (all but local_id, which is the file's
 * own), as text: what the archive must give back, whatever it names */
static char *
table_text (CrmStore   *store,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s%s ORDER BY 1", table,
                                          g_str_equal (table, "contacts")
                                          || g_str_equal (table, "deals")
                                          || g_str_equal (table, "followups")
                                          ? " WHERE deleted = 0" : "");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  GString *text = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (_crm_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        if (!g_str_equal (sqlite3_column_name (stmt, i), "local_id"))
          {
            g_autofree char *hex = NULL;

            if (sqlite3_column_type (stmt, i) == SQLITE_BLOB)
              hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                 sqlite3_column_blob (stmt, i),
                                                 sqlite3_column_bytes (stmt, i));
            g_string_append_printf (text, "%s=%s|", sqlite3_column_name (stmt, i),
                                    hex ? hex : sqlite3_column_type (stmt, i) == SQLITE_NULL
                                    ? "NULL" : (const char *)sqlite3_column_text (stmt, i));
          }
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

static void
import_ok (Fixture *f)
{
  g_autoptr (GFile) file = g_file_new_for_path (f->zip);
  g_autoptr (GError) error = NULL;

  crm_archive_import (f->b->store, file, NULL, &error);
  g_assert_no_error (error);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (GPtrArray) before = dump (f->a->store);
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (CrmCertification) cert_a = NULL;
  g_autoptr (CrmCertification) cert_b = NULL;
  g_autoptr (GBytes) blob_a = NULL;
  g_autoptr (GBytes) blob_b = NULL;
  g_autoptr (GPtrArray) followups = NULL;
  CrmFollowup *followup;

  import_ok (f);
  after = dump (f->b->store);

  /* every column of every row: 2 contacts, 3 deals, 3 follow-ups, 1 blob, 1
   * certification, 1 terms */
  g_assert_cmpuint (before->len, ==, 11);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (after->pdata[i], ==, before->pdata[i]);

  /* every column of the tables themselves, those the archive names or not */
  {
    static const char *const tables[] = {
      "contacts", "deals", "followups", "blobs", "certification", "terms_acceptance",
      "deal_totals", "counters",
    };

    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *a = table_text (f->a->store, tables[i]);
        g_autofree char *b = table_text (f->b->store, tables[i]);

        g_assert_cmpstr (b, ==, a);
      }
  }

  /* the columns made again, and through the store's own API */
  g_assert_cmpint (crm_test_query_int (f->b->store, "SELECT count(*) FROM contacts c JOIN "
                                       "(SELECT id, sort_key FROM contacts) x USING (id)"),
                   ==, 2);
  g_assert_cmpuint (crm_store_count_contacts (f->b->store), ==, 2);
  found = crm_store_search_contacts (f->b->store, "张三", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (crm_contact_get_field (found->pdata[0], CRM_CONTACT_FIELD_NOTES), ==,
                   "备注 " UNIQUE " \"quoted\", x");
  cert_a = crm_store_get_certification (f->a->store, &error);
  cert_b = crm_store_get_certification (f->b->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cert_b->status, ==, CRM_CERTIFICATION_CERTIFIED);
  g_assert_cmpstr (cert_b->updated_at, ==, cert_a->updated_at);
  g_assert_cmpstr (cert_b->license_name, ==, "营业执照.png");
  blob_a = crm_store_get_blob (f->a->store, cert_a->license_sha256, &error);
  blob_b = crm_store_get_blob (f->b->store, cert_b->license_sha256, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (blob_a, blob_b));
  g_assert_true (crm_store_has_accepted_terms (f->b->store, "2026-03"));
  {
    CrmDealTotals ta, tb;

    g_assert_true (crm_store_get_deal_totals (f->a->store, "2000-01-01T00:00:00Z", &ta, NULL));
    g_assert_true (crm_store_get_deal_totals (f->b->store, "2000-01-01T00:00:00Z", &tb, NULL));
    g_assert_cmpmem (&ta, sizeof ta, &tb, sizeof tb);
  }
  /* what the server has (李四, version 7) is not queued again; the rest is */
  g_assert_cmpint (crm_test_query_int (f->b->store, "SELECT count(*) FROM outbox o "
                                       "JOIN contacts c ON o.record_id = c.id "
                                       "WHERE c.server_version > 0"), ==, 0);
  g_assert_cmpint (crm_test_query_int (f->b->store,
                                       "SELECT count(*) FROM outbox WHERE kind = 'contact'"),
                   ==, 1);
  g_assert_cmpint (crm_test_query_int (f->b->store,
                                       "SELECT count(*) FROM outbox WHERE kind = 'deal'"),
                   ==, 3);
  g_assert_cmpint (crm_test_query_int (f->b->store,
                                       "SELECT count(*) FROM outbox WHERE kind = 'followup'"),
                   ==, 2);
  /* a contact's follow-ups, its last one and its snooze, through the API */
  followups = crm_store_list_contact_followups (f->b->store,
                                                crm_contact_get_id (found->pdata[0]), 0, 10,
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (followups->len, ==, 1);
  followup = followups->pdata[0];
  g_assert_cmpstr (crm_followup_get_notes (followup), ==, "拜访 " UNIQUE "\n第二行");
  g_assert_cmpstr (crm_followup_get_deal_title (followup), ==, "大单" UNIQUE);
  g_assert_cmpstr (crm_followup_get_snoozed_until (followup), ==, "2026-12-01T03:00:00Z");
  g_assert_cmpint (crm_test_query_int (f->b->store, "SELECT count(*) FROM contacts"
                                       " WHERE last_followup_at = '2026-11-28T09:30:00Z'"),
                   ==, 2);
}

static void
test_not_empty (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GFile) file = g_file_new_for_path (f->zip);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = dump (f->a->store);
  g_autoptr (GPtrArray) after = NULL;

  g_assert_false (crm_archive_import (f->a->store, file, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_EMPTY);
  after = dump (f->a->store);
  g_assert_cmpuint (after->len, ==, before->len);
}

/* the members of a zip, by name, in order */
typedef struct
{
  char   *name;
  GBytes *data;
  int     type;      /* AE_IFREG, AE_IFLNK, AE_IFDIR */
} Entry;

static void
entry_free (Entry *e)
{
  g_free (e->name);
  g_bytes_unref (e->data);
  g_free (e);
}

static GPtrArray *
read_zip (const char *path)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify)entry_free);
  struct archive *a = archive_read_new ();
  struct archive_entry *ae;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_filename (a, path, 16384), ==, ARCHIVE_OK);
  while (archive_read_next_header (a, &ae) == ARCHIVE_OK)
    {
      Entry *e = g_new0 (Entry, 1);
      GByteArray *bytes = g_byte_array_new ();
      guint8 buf[8192];
      la_ssize_t n;

      while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
        g_byte_array_append (bytes, buf, n);
      e->name = g_strdup (archive_entry_pathname (ae));
      e->data = g_byte_array_free_to_bytes (bytes);
      e->type = AE_IFREG;
      g_ptr_array_add (entries, e);
    }
  archive_read_free (a);
  return entries;
}

static void
write_zip (const char *path,
           GPtrArray  *entries)
{
  struct archive *a = archive_write_new ();

  archive_write_set_format_zip (a);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = entries->pdata[i];
      struct archive_entry *ae = archive_entry_new ();
      gsize size = e->data && e->type == AE_IFREG ? g_bytes_get_size (e->data) : 0;

      archive_entry_set_pathname (ae, e->name);
      archive_entry_set_filetype (ae, e->type);
      archive_entry_set_perm (ae, 0644);
      if (e->type == AE_IFLNK)
        archive_entry_set_symlink (ae, "/etc/passwd");
      else
        archive_entry_set_size (ae, size);
      g_assert_cmpint (archive_write_header (a, ae), ==, ARCHIVE_OK);
      if (size > 0)
        g_assert_cmpint (archive_write_data (a, g_bytes_get_data (e->data, NULL), size), ==,
                         (la_ssize_t)size);
      archive_entry_free (ae);
    }
  archive_write_close (a);
  archive_write_free (a);
}

static Entry *
find_entry (GPtrArray  *entries,
            const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (((Entry *)entries->pdata[i])->name, name))
      return entries->pdata[i];
  g_assert_not_reached ();
}

static void
add_entry (GPtrArray  *entries,
           const char *name,
           const char *text,
           int         type)
{
  Entry *e = g_new0 (Entry, 1);

  e->name = g_strdup (name);
  e->data = g_bytes_new (text, strlen (text));
  e->type = type;
  g_ptr_array_add (entries, e);
}

/* member @name of @entries with its first @from changed to @to, as long */
static void
edit_entry (GPtrArray  *entries,
            const char *name,
            const char *from,
            const char *to)
{
  Entry *e = find_entry (entries, name);
  g_autofree char *text = g_strndup (g_bytes_get_data (e->data, NULL),
                                     g_bytes_get_size (e->data));
  char *at = strstr (text, from);

  g_assert_nonnull (at);
  g_assert_cmpuint (strlen (to), ==, strlen (from));
  memcpy (at, to, strlen (to));
  g_bytes_unref (e->data);
  e->data = g_bytes_new (text, strlen (text));
}

/* imports @path into the empty store: refused with @code, and the store
 * still empty */
static void
assert_refused (Fixture    *f,
                const char *path,
                int         code,
                const char *message_part)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;

  g_assert_false (crm_archive_import (f->b->store, file, NULL, &error));
  g_assert_error (error, CRM_IO_ERROR, code);
  g_test_message ("refused: %s", error->message);
  if (message_part != NULL)
    g_assert_nonnull (strstr (error->message, message_part));
  g_assert_cmpint (crm_test_query_int (f->b->store, "SELECT count(*) FROM contacts"), ==, 0);
  g_assert_cmpint (crm_test_query_int (f->b->store, "SELECT count(*) FROM blobs"), ==, 0);
  g_assert_cmpint (crm_test_query_int (f->b->store, "SELECT count(*) FROM terms_acceptance"),
                   ==, 0);
}

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *bad = g_build_filename (f->out, "bad.zip", NULL);
  g_autofree char *escaped = g_build_filename (f->out, "evil", NULL);

  /* a member with "..", an absolute path, a link, an unknown name */
  {
    const struct { const char *name; int type; const char *says; } cases[] = {
      { "../evil", AE_IFREG, "outside" },
      { "data/../../evil", AE_IFREG, "outside" },
      { "/tmp/evil", AE_IFREG, "outside" },
      { "license/x", AE_IFLNK, "not a plain file" },
      { "evil.sh", AE_IFREG, "does not have" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr (GPtrArray) entries = read_zip (f->zip);

        add_entry (entries, cases[i].name, "#!/bin/sh\n", cases[i].type);
        write_zip (bad, entries);
        assert_refused (f, bad, CRM_IO_ERROR_FORMAT, cases[i].says);
        g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));
      }
  }
  /* a member changed after the manifest was written */
  {
    g_autoptr (GPtrArray) entries = read_zip (f->zip);

    edit_entry (entries, "data/contacts.jsonl", "李四", "李五");
    write_zip (bad, entries);
    assert_refused (f, bad, CRM_IO_ERROR_FORMAT, "SHA-256");
  }
  /* a member the manifest lists is missing */
  {
    g_autoptr (GPtrArray) entries = read_zip (f->zip);

    g_ptr_array_remove (entries, find_entry (entries, "data/deals.jsonl"));
    write_zip (bad, entries);
    assert_refused (f, bad, CRM_IO_ERROR_FORMAT, "missing");
  }
  /* a member twice */
  {
    g_autoptr (GPtrArray) entries = read_zip (f->zip);

    add_entry (entries, "contacts.csv", "x", AE_IFREG);
    write_zip (bad, entries);
    assert_refused (f, bad, CRM_IO_ERROR_FORMAT, "twice");
  }
  /* no manifest */
  {
    g_autoptr (GPtrArray) entries = read_zip (f->zip);

    g_ptr_array_remove (entries, find_entry (entries, "manifest.json"));
    write_zip (bad, entries);
    assert_refused (f, bad, CRM_IO_ERROR_FORMAT, "manifest.json");
  }
  /* a manifest whose count of rows is wrong (its sums right) */
  {
    g_autoptr (GPtrArray) entries = read_zip (f->zip);

    edit_entry (entries, "manifest.json", "\"contacts\" : 2", "\"contacts\" : 3");
    write_zip (bad, entries);
    assert_refused (f, bad, CRM_IO_ERROR_FORMAT, "rows");
  }
  /* damaged: cut in half; not a zip at all */
  {
    g_autofree char *bytes = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (f->zip, &bytes, &length, NULL));
    g_assert_true (g_file_set_contents (bad, bytes, length / 2, NULL));
    assert_refused (f, bad, CRM_IO_ERROR_FORMAT, NULL);
    g_assert_true (g_file_set_contents (bad, "name,mobile\n张三,138\n", -1, NULL));
    assert_refused (f, bad, CRM_IO_ERROR_FORMAT, NULL);
  }
  /* and the good one still imports */
  import_ok (f);
}

/* a member larger than an archive holds, told by its header or as read */
static void
test_huge (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *bad = g_build_filename (f->out, "huge.zip", NULL);
  struct archive *a = archive_write_new ();
  struct archive_entry *ae = archive_entry_new ();
  g_autofree char *zeros = g_malloc0 (1 << 20);

  /* 1 GiB + 1 MiB of zeros: a few MB packed, refused while unpacking */
  archive_write_set_format_zip (a);
  archive_write_zip_set_compression_deflate (a);
  archive_write_set_options (a, "zip:zip64");
  g_assert_cmpint (archive_write_open_filename (a, bad), ==, ARCHIVE_OK);
  archive_entry_set_pathname (ae, "data/contacts.jsonl");
  archive_entry_set_filetype (ae, AE_IFREG);
  archive_entry_set_perm (ae, 0644);
  g_assert_cmpint (archive_write_header (a, ae), ==, ARCHIVE_OK);
  for (guint i = 0; i < 1025; i++)
    g_assert_cmpint (archive_write_data (a, zeros, 1 << 20), ==, 1 << 20);
  archive_entry_free (ae);
  archive_write_close (a);
  archive_write_free (a);
  assert_refused (f, bad, CRM_IO_ERROR_TOO_LARGE, NULL);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *bytes = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &bytes, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (bytes + i, needle, strlen (needle)) == 0)
      return TRUE;
  return FALSE;
}

/* an archive made before follow-ups (no data/followups.jsonl, no
 * followups.csv, no count) loads with none */
static void
test_before_followups (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *old = g_build_filename (f->out, "old.zip", NULL);
  g_autoptr (GPtrArray) entries = read_zip (f->zip);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  Entry *manifest = find_entry (entries, "manifest.json");
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object;
  g_autofree char *text = NULL;

  g_ptr_array_remove (entries, find_entry (entries, "data/followups.jsonl"));
  g_ptr_array_remove (entries, find_entry (entries, "followups.csv"));
  json_parser_load_from_data (parser, g_bytes_get_data (manifest->data, NULL),
                              g_bytes_get_size (manifest->data), &error);
  g_assert_no_error (error);
  root = json_node_copy (json_parser_get_root (parser));
  object = json_node_get_object (root);
  json_object_remove_member (json_object_get_object_member (object, "counts"), "followups");
  json_object_remove_member (json_object_get_object_member (object, "files"),
                             "data/followups.jsonl");
  json_object_remove_member (json_object_get_object_member (object, "files"), "followups.csv");
  text = json_to_string (root, TRUE);
  g_bytes_unref (manifest->data);
  manifest->data = g_bytes_new (text, strlen (text));
  write_zip (old, entries);

  g_free (f->zip);
  f->zip = g_steal_pointer (&old);
  import_ok (f);
  g_assert_cmpuint (crm_store_count_contacts (f->b->store), ==, 2);
  g_assert_cmpint (crm_test_query_int (f->b->store, "SELECT count(*) FROM followups"), ==, 0);
}

static gboolean
load_bad_followup (CrmStoreLoader  *loader,
                   gpointer         user_data,
                   GError         **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) row = json_from_string (user_data, &local_error);

  g_assert_no_error (local_error);
  return crm_store_loader_add_row (loader, CRM_STORE_TABLE_FOLLOWUPS,
                                   json_node_get_object (row), NULL, error);
}

/* an archive's follow-up rows pass the form's rules, or nothing loads */
static void
test_followup_rules (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const bad[] = {
    "\"kind\": \"phone\", \"notes\": \"x\", \"next_at\": null, \"done_at\": null",
    "\"kind\": \"call\", \"notes\": \"\", \"next_at\": null, \"done_at\": null",
    "\"kind\": \"call\", \"notes\": \"x\", \"next_at\": \"明天\", \"done_at\": null",
    "\"kind\": \"call\", \"notes\": \"x\", \"next_at\": null, \"done_at\": \"昨天\"",
    "\"kind\": \"call\", \"notes\": \"LONG\", \"next_at\": null, \"done_at\": null",
  };
  g_autofree char *long_notes = g_strnfill (20001, 'x');

  for (guint i = 0; i <= G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GString) row = g_string_new ("{\"id\": \"6f1c6bd0-0000-4000-8000-0000000000f1\","
                                              " \"contact_id\": \"c\", \"deal_id\": null,"
                                              " \"happened_at\": \"2026-11-28T09:30:00Z\","
                                              " \"next_step\": \"\", \"snoozed_until\": null,"
                                              " \"created_at\": \"2026-11-28T09:30:00Z\","
                                              " \"updated_at\": \"2026-11-28T09:30:00Z\","
                                              " \"server_version\": 0, ");
      gboolean ok;

      g_string_append (row, i < G_N_ELEMENTS (bad) ? bad[i]
                            : "\"kind\": \"call\", \"notes\": \"好的\", \"next_at\": null,"
                              " \"done_at\": \"2026-11-29T09:30:00Z\"");
      g_string_append_c (row, '}');
      g_string_replace (row, "LONG", long_notes, 1);
      ok = crm_store_load_into_empty (f->b->store, load_bad_followup, row->str, &error);
      if (i < G_N_ELEMENTS (bad))
        {
          g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
          g_assert_false (ok);
          g_assert_cmpint (crm_test_query_int (f->b->store, "SELECT count(*) FROM followups"),
                           ==, 0);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
    }
}

static void
test_delete_all (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autofree char *path = g_strdup (crm_store_get_path (f->a->store));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  static const char *const tables[] = {
    "contacts", "deals", "followups", "blobs", "certification", "outbox", "conflicts",
    "sync_parked",
  };

  /* the text is there before: the check below could fail */
  crm_test_sign_in (f->a->store);  /* a company and a queue to clear */
  g_assert_cmpint (crm_test_query_int (f->a->store, "SELECT count(*) FROM outbox"), >, 0);
  crm_test_exec (f->a->store, "PRAGMA wal_checkpoint(TRUNCATE)");
  g_assert_true (file_contains (path, UNIQUE));

  g_assert_true (crm_store_delete_all (f->a->store, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      g_assert_cmpint (crm_test_query_int (f->a->store, sql), ==, 0);
    }
  g_assert_cmpint (crm_test_query_int (f->a->store, "SELECT count(*) FROM contacts_fts_data"),
                   <=, 2);
  g_assert_cmpint (crm_test_query_int (f->a->store, "SELECT count(*) FROM sync_state"
                                       " WHERE cursor = 0 AND company_id IS NULL"), ==, 1);
  g_assert_cmpuint (crm_store_count_contacts (f->a->store), ==, 0);
  found = crm_store_search_contacts (f->a->store, "张三", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  /* kept: accepting the terms is not data */
  g_assert_true (crm_store_has_accepted_terms (f->a->store, "2026-03"));

  /* nothing of it in the file's bytes (free pages included) or its WAL */
  g_assert_false (file_contains (path, UNIQUE));
  g_assert_false (file_contains (wal, UNIQUE));
  g_clear_object (&f->a->store);
  g_assert_false (file_contains (path, UNIQUE));

  /* and the store works on, and an archive can be loaded into it again */
  f->a->store = crm_store_open (f->a->dir, &error);
  g_assert_no_error (error);
  {
    g_autoptr (GFile) file = g_file_new_for_path (f->zip);

    crm_archive_import (f->a->store, file, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (crm_store_count_contacts (f->a->store), ==, 2);
  }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("XIAOHE_CRM_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/archive/round-trip", test_round_trip);
  ADD ("/archive/not-empty", test_not_empty);
  ADD ("/archive/hostile", test_hostile);
  ADD ("/archive/huge", test_huge);
  ADD ("/archive/delete-all", test_delete_all);
  ADD ("/archive/before-followups", test_before_followups);
  ADD ("/archive/followup-rules", test_followup_rules);
#undef ADD
  return g_test_run ();
}
