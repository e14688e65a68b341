/* test-certification.c — the certification in the store, and its lock
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "crm-store-private.h"
#include "crm-test-util.h"

static CrmCertification *
filled (CrmLicenseFile *license)
{
  CrmCertification *cert = crm_certification_new ();

  g_free (cert->company_name);
  cert->company_name = g_strdup ("郑州小禾信息科技有限公司");
  g_free (cert->uscc);
  cert->uscc = g_strdup ("91110000 60003 7341l");
  g_free (cert->legal_representative);
  cert->legal_representative = g_strdup ("张三");
  g_free (cert->address);
  cert->address = g_strdup ("河南省郑州市金水区");
  if (license != NULL)
    {
      cert->license_sha256 = g_strdup (license->sha256);
      cert->license_mime_type = g_strdup (license->mime_type);
      cert->license_name = g_strdup ("营业执照.png");
      cert->license_size = license->size;
    }
  return cert;
}

static int
raw (CrmStore   *store,
     const char *sql)
{
  /* the primary result code: the store turns extended codes on */
  return sqlite3_exec (_crm_store_get_db (store), sql, NULL, NULL, NULL) & 0xff;
}

static void
test_certification_draft_submit (void)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmLicenseFile) license = crm_test_license_png (400, 300, 0xc01c28ff);
  g_autoptr (CrmCertification) cert = NULL;
  g_autoptr (CrmCertification) read = NULL;
  g_autoptr (GBytes) blob = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sha = NULL;

  g_assert_null (crm_store_get_certification (ts->store, &error));
  g_assert_no_error (error);

  /* a wrong format is refused; a failed check character is kept */
  cert = filled (NULL);
  g_free (cert->uscc);
  cert->uscc = g_strdup ("9111000060003734IL");
  g_assert_false (crm_store_save_certification (ts->store, cert, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_free (cert->uscc);
  cert->uscc = g_strdup ("91350100M0001TGQXM");
  g_assert_true (crm_store_save_certification (ts->store, cert, &error));
  g_assert_no_error (error);
  g_clear_pointer (&cert, crm_certification_free);

  /* no license yet: cannot submit */
  g_assert_false (crm_store_submit_certification (ts->store, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* the license as a content-addressed blob */
  g_assert_true (crm_store_put_blob (ts->store, license, &error));
  g_assert_true (crm_store_put_blob (ts->store, license, &error)); /* again: a no-op */
  g_assert_no_error (error);
  blob = crm_store_get_blob (ts->store, license->sha256, &error);
  g_assert_no_error (error);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
  g_assert_cmpstr (sha, ==, license->sha256);

  cert = filled (license);
  g_assert_true (crm_store_save_certification (ts->store, cert, &error));
  g_assert_true (crm_store_submit_certification (ts->store, &error));
  g_assert_no_error (error);
  read = crm_store_get_certification (ts->store, &error);
  g_assert_cmpint (read->status, ==, CRM_CERTIFICATION_SUBMITTED);
  g_assert_cmpstr (read->uscc, ==, "91110000600037341L");   /* normalised */
  g_assert_cmpstr (read->license_sha256, ==, license->sha256);
  g_assert_cmpstr (read->company_name, ==, "郑州小禾信息科技有限公司");

  /* submitted twice: refused */
  g_assert_false (crm_store_submit_certification (ts->store, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);

  crm_test_store_free (ts);
}

/* a new store with a filled certification, its license stored, submitted
 * (the first error, if any, in @error) */
static CrmTestStore *
submitted (CrmCertification **cert,
           GError           **error)
{
  CrmTestStore *ts = crm_test_store_new ();
  g_autoptr (CrmLicenseFile) license = crm_test_license_png (400, 300, 0xc01c28ff);

  *cert = filled (license);
  crm_store_put_blob (ts->store, license, error);
  crm_store_save_certification (ts->store, *cert, error);
  crm_store_submit_certification (ts->store, error);
  return ts;
}

static void
test_certification_locked (void)
{
  g_autoptr (CrmCertification) cert = NULL;
  g_autoptr (CrmCertification) read = NULL;
  g_autoptr (GError) error = NULL;
  CrmTestStore *ts = submitted (&cert, &error);

  g_assert_no_error (error);

  /* the server's verdict, as sync will apply it */
  g_assert_cmpint (raw (ts->store, "UPDATE certification SET status = 'certified'"), ==,
                   SQLITE_OK);

  /* raw SQL cannot change the identity, the license, the status, or delete */
  g_assert_cmpint (raw (ts->store, "UPDATE certification SET uscc = '913301087458306077'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw (ts->store, "UPDATE certification SET company_name = 'x'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw (ts->store, "UPDATE certification SET license_sha256 = NULL"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw (ts->store, "UPDATE certification SET status = 'draft'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw (ts->store, "DELETE FROM certification"), ==, SQLITE_CONSTRAINT);

  /* nor can the store's own call */
  g_free (cert->legal_representative);
  cert->legal_representative = g_strdup ("李四");
  g_assert_false (crm_store_save_certification (ts->store, cert, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED);

  read = crm_store_get_certification (ts->store, NULL);
  g_assert_true (crm_certification_is_locked (read));
  g_assert_cmpstr (read->legal_representative, ==, "张三");
  crm_test_store_free (ts);
}

static void
test_certification_rejected_can_be_corrected (void)
{
  g_autoptr (CrmCertification) cert = NULL;
  g_autoptr (CrmCertification) read = NULL;
  g_autoptr (GError) error = NULL;
  CrmTestStore *ts = submitted (&cert, &error);

  g_assert_cmpint (raw (ts->store, "UPDATE certification SET status = 'rejected',"
                                   " reject_reason = '营业执照不清晰'"), ==, SQLITE_OK);

  /* raw SQL may edit a rejected one; so may the store */
  g_assert_cmpint (raw (ts->store, "UPDATE certification SET address = '郑州市'"), ==, SQLITE_OK);
  g_free (cert->address);
  cert->address = g_strdup ("河南省郑州市高新区");
  g_assert_true (crm_store_save_certification (ts->store, cert, &error));
  g_assert_no_error (error);
  read = crm_store_get_certification (ts->store, NULL);
  g_assert_cmpint (read->status, ==, CRM_CERTIFICATION_REJECTED);
  g_assert_cmpstr (read->reject_reason, ==, "营业执照不清晰");
  g_assert_cmpstr (read->address, ==, "河南省郑州市高新区");

  g_assert_true (crm_store_submit_certification (ts->store, &error));
  g_clear_pointer (&read, crm_certification_free);
  read = crm_store_get_certification (ts->store, NULL);
  g_assert_cmpint (read->status, ==, CRM_CERTIFICATION_SUBMITTED);
  g_assert_cmpstr (read->reject_reason, ==, "");
  crm_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/certification/draft-submit", test_certification_draft_submit);
  g_test_add_func ("/certification/locked", test_certification_locked);
  g_test_add_func ("/certification/rejected-can-be-corrected",
                   test_certification_rejected_can_be_corrected);
  return g_test_run ();
}
