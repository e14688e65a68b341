/* crm-store-certification.c — the company's certification and the blobs it keeps
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Once certified, the triggers of migration 5 refuse any change, whoever
 * asks (%CRM_STORE_ERROR_LOCKED through _crm_store_set_error()). Each
 * committed change emits CrmStore::certification-changed (a pulled one
 * too, from crm-store-apply.c), which the certification page follows.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-private.h"
#include "crm-uscc.h"

/**
 * crm_store_put_blob:
 *
 * Keeps @file's content under its SHA-256 (once: the same content again
 * is a no-op).
 */
gboolean
crm_store_put_blob (CrmStore        *self,
                    CrmLicenseFile  *file,
                    GError         **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autofree char *check = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (file != NULL && file->data != NULL, FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  /* the name is the content's hash: verify it rather than trust it */
  check = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file->data);
  if (g_strcmp0 (check, file->sha256) != 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The file changed while it was read"));
      return FALSE;
    }

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db,
                             "INSERT OR IGNORE INTO blobs (sha256, mime_type, size, data,"
                             " created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                             0, _("Cannot keep the file"), error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, file->sha256, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, file->mime_type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, file->size);
      sqlite3_bind_blob64 (stmt, 4, g_bytes_get_data (file->data, NULL),
                           g_bytes_get_size (file->data), SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
    }
  ok = _crm_store_step_done (stmt, _("Cannot keep the file"), error);
  return _crm_store_end (self, ok, error);
}

/**
 * crm_store_get_blob:
 *
 * Returns: (transfer full) (nullable): the content kept under @sha256.
 */
GBytes *
crm_store_get_blob (CrmStore    *self,
                    const char  *sha256,
                    GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  rc = sqlite3_prepare_v2 (self->db, "SELECT data FROM blobs WHERE sha256 = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
    }
  if (bytes == NULL)
    {
      if (rc == SQLITE_DONE)
        g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                             _("The file is not in the store"));
      else
        _crm_store_set_error (error, self->db, rc, _("Cannot read the file"));
    }
  return bytes;
}

/**
 * crm_store_get_certification:
 *
 * Returns: (transfer full) (nullable): the company's certification, or
 *   %NULL without an error when there is none yet.
 */
CrmCertification *
crm_store_get_certification (CrmStore  *self,
                             GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  CrmCertification *cert = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT company_name, uscc, legal_representative, address,"
                           " license_sha256, license_mime_type, license_name, license_size,"
                           " status, reject_reason, updated_at FROM certification WHERE id = 1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      cert = g_new0 (CrmCertification, 1);
      cert->company_name = _crm_store_column_dup (stmt, 0);
      cert->uscc = _crm_store_column_dup (stmt, 1);
      cert->legal_representative = _crm_store_column_dup (stmt, 2);
      cert->address = _crm_store_column_dup (stmt, 3);
      cert->license_sha256 = _crm_store_column_dup (stmt, 4);
      cert->license_mime_type = _crm_store_column_dup (stmt, 5);
      cert->license_name = _crm_store_column_dup (stmt, 6);
      cert->license_size = sqlite3_column_int64 (stmt, 7);
      cert->status = crm_certification_status_from_string ((const char *)
                                                           sqlite3_column_text (stmt, 8));
      cert->reject_reason = _crm_store_column_dup (stmt, 9);
      cert->updated_at = _crm_store_column_dup (stmt, 10);
    }
  if (cert == NULL && rc != SQLITE_DONE)
    _crm_store_set_error (error, self->db, rc, _("Cannot read the certification"));
  return cert;
}

/**
 * crm_store_save_certification:
 * @cert: the form as the person filled it; its status is not taken
 *
 * Saves the company's certification as a draft, or keeps a submitted or
 * rejected one in its state with the new values. A certified one is
 * refused with %CRM_STORE_ERROR_LOCKED (by the triggers, whoever asks).
 * A USCC of a wrong format is refused; one whose check character fails is
 * kept (some real codes do).
 */
gboolean
crm_store_save_certification (CrmStore                *self,
                              const CrmCertification  *cert,
                              GError                 **error)
{
  g_autofree char *now = _crm_store_now ();
  g_autofree char *uscc = NULL;
  g_autoptr (GError) invalid = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (cert != NULL, FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  if (cert->uscc != NULL && *cert->uscc != '\0'
      && !crm_uscc_validate (cert->uscc, &uscc, NULL, &invalid))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, invalid->message);
      return FALSE;
    }

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db,
                             "INSERT INTO certification (id, company_name, uscc,"
                             " legal_representative, address, license_sha256, license_mime_type,"
                             " license_name, license_size, updated_at)"
                             " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                             " ON CONFLICT (id) DO UPDATE SET company_name = ?1, uscc = ?2,"
                             " legal_representative = ?3, address = ?4, license_sha256 = ?5,"
                             " license_mime_type = ?6, license_name = ?7, license_size = ?8,"
                             " updated_at = ?9",
                             0, _("Cannot save the certification"), error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, cert->company_name ? cert->company_name : "", -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, uscc ? uscc : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, cert->legal_representative ? cert->legal_representative : "",
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, cert->address ? cert->address : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, cert->license_sha256, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, cert->license_mime_type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, cert->license_name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 8, cert->license_size);
      sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);
    }
  ok = _crm_store_step_done (stmt, _("Cannot save the certification"), error);
  if (!_crm_store_end (self, ok, error))
    return FALSE;
  g_signal_emit (self, _crm_store_signals[CRM_STORE_CERTIFICATION_CHANGED], 0);
  return TRUE;
}

/**
 * crm_store_submit_certification:
 *
 * Moves a complete draft (or a corrected rejected one) to submitted, for
 * the server to review. It certifies nothing.
 */
gboolean
crm_store_submit_certification (CrmStore  *self,
                                GError   **error)
{
  g_autoptr (CrmCertification) cert = NULL;
  g_autofree char *now = _crm_store_now ();
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  CRM_STORE_RETURN_IF_DAMAGED (self, error);

  cert = crm_store_get_certification (self, error);
  if (cert == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                             _("Fill in the certification first"));
      return FALSE;
    }
  if (cert->status != CRM_CERTIFICATION_DRAFT && cert->status != CRM_CERTIFICATION_REJECTED)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The certification was submitted already"));
      return FALSE;
    }
  if (*cert->company_name == '\0' || *cert->uscc == '\0' || *cert->legal_representative == '\0'
      || *cert->address == '\0' || cert->license_sha256 == NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Fill in every field and add the business license before "
                             "submitting"));
      return FALSE;
    }

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self->db,
                             "UPDATE certification SET status = 'submitted', reject_reason = '',"
                             " updated_at = ?1 WHERE id = 1",
                             0, _("Cannot submit the certification"), error);
  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  ok = _crm_store_step_done (stmt, _("Cannot submit the certification"), error);
  if (!_crm_store_end (self, ok, error))
    return FALSE;
  g_signal_emit (self, _crm_store_signals[CRM_STORE_CERTIFICATION_CHANGED], 0);
  return TRUE;
}

