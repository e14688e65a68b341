/* crm-server-storage.c — the storage interface of xiaohe-crm-server: its
 * GType, the dispatch wrappers, opening a data directory, the _free functions
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wrappers only check their arguments and call the backend, so that the
 * logic above (crm-server-sync.c, the commands, the HTTP handlers) never
 * knows which backend it talks to: SQLite (DIR/server.sqlite3), the embedded
 * default, or PostgreSQL, which `--database URL` chooses and DIR/config
 * remembers (a key file: [storage] database=URL), so that the commands run
 * later on DIR find the same database without the option.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "crm-server-pg.h"
#include "crm-server-sqlite.h"
#include "crm-server-storage.h"

G_DEFINE_INTERFACE (CrmServerStorage, crm_server_storage, G_TYPE_OBJECT)

G_DEFINE_QUARK (crm-server-storage-error-quark, crm_server_storage_error)

static void
crm_server_storage_default_init (CrmServerStorageInterface *iface)
{
}

#define IFACE(self) CRM_SERVER_STORAGE_GET_IFACE (self)

#define CONFIG_FILE "config"
#define CONFIG_GROUP "storage"
#define CONFIG_KEY "database"
/* a config is one short line: one far bigger is not ours */
#define CONFIG_MAX_SIZE 65536

gboolean
crm_server_storage_is_postgresql (const char *database)
{
  return database != NULL
         && (g_str_has_prefix (database, "postgresql://")
             || g_str_has_prefix (database, "postgres://"));
}

/**
 * crm_server_storage_read_config:
 * @dir: the server's data directory
 *
 * Returns: (transfer full) (nullable): the URL DIR/config names, or %NULL
 * with no error when there is no DIR/config (SQLite)
 */
char *
crm_server_storage_read_config (const char  *dir,
                                GError     **error)
{
  g_autofree char *path = g_build_filename (dir, CONFIG_FILE, NULL);
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_autofree char *database = NULL;
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        return NULL;
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   _("Cannot read %s: %s"), path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || st.st_size > CONFIG_MAX_SIZE
      || !g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, &local_error)
      || (database = g_key_file_get_string (keys, CONFIG_GROUP, CONFIG_KEY, NULL)) == NULL
      || !crm_server_storage_is_postgresql (database))
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   _("%s does not name a PostgreSQL database (postgresql://…): "
                     "nothing was opened"), path);
      return NULL;
    }
  return g_steal_pointer (&database);
}

gboolean
crm_server_storage_write_config (const char  *dir,
                                 const char  *database,
                                 GError     **error)
{
  g_autofree char *path = g_build_filename (dir, CONFIG_FILE, NULL);
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_autofree char *text = NULL;

  g_return_val_if_fail (crm_server_storage_is_postgresql (database), FALSE);

  g_key_file_set_string (keys, CONFIG_GROUP, CONFIG_KEY, database);
  text = g_key_file_to_data (keys, NULL, NULL);
  /* 0600: the URL may hold the database's password */
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 error))
    return FALSE;
  return TRUE;
}

/**
 * crm_server_storage_open_database:
 * @dir: the server's data directory
 * @database: (nullable): a postgresql:// URL; %NULL: what DIR/config names,
 *   else DIR/server.sqlite3
 * @create: make the schema (and the SQLite file) when missing
 *
 * Returns: (transfer full): the storage, or %NULL with @error set
 */
CrmServerStorage *
crm_server_storage_open_database (const char  *dir,
                                  const char  *database,
                                  gboolean     create,
                                  GError     **error)
{
  g_autofree char *configured = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (database == NULL)
    {
      g_autoptr (GError) local_error = NULL;

      configured = crm_server_storage_read_config (dir, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      database = configured;
    }
  if (database == NULL)
    return CRM_SERVER_STORAGE (crm_server_sqlite_open (dir, create, error));
  if (!crm_server_storage_is_postgresql (database))
    {
      g_set_error_literal (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                           _("The database must be a PostgreSQL URL: postgresql://…"));
      return NULL;
    }
  return CRM_SERVER_STORAGE (crm_server_pg_open (database, create, error));
}

/**
 * crm_server_storage_open:
 * @dir: the server's data directory
 * @create: make the schema (and the file) when missing
 *
 * Returns: (transfer full): the storage DIR/config names (else SQLite), or
 * %NULL with @error set
 */
CrmServerStorage *
crm_server_storage_open (const char  *dir,
                         gboolean     create,
                         GError     **error)
{
  return crm_server_storage_open_database (dir, NULL, create, error);
}

char *
crm_server_storage_get_epoch (CrmServerStorage  *self,
                              GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  return IFACE (self)->get_epoch (self, error);
}

gboolean
crm_server_storage_set_epoch (CrmServerStorage  *self,
                              const char        *epoch,
                              GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (epoch != NULL, FALSE);
  return IFACE (self)->set_epoch (self, epoch, error);
}

gint64
crm_server_storage_max_seq (CrmServerStorage  *self,
                            GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), -1);
  return IFACE (self)->max_seq (self, error);
}

CrmServerCompany *
crm_server_storage_add_company (CrmServerStorage  *self,
                                const char        *slug,
                                const char        *name,
                                GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (slug != NULL && name != NULL, NULL);
  return IFACE (self)->add_company (self, slug, name, error);
}

CrmServerCompany *
crm_server_storage_find_company (CrmServerStorage  *self,
                                 const char        *slug_or_id,
                                 GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (slug_or_id != NULL, NULL);
  return IFACE (self)->find_company (self, slug_or_id, error);
}

GPtrArray *
crm_server_storage_list_companies (CrmServerStorage  *self,
                                   GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  return IFACE (self)->list_companies (self, error);
}

gboolean
crm_server_storage_set_expiry (CrmServerStorage  *self,
                               const char        *company_id,
                               const char        *expires_on,
                               GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (company_id != NULL, FALSE);
  return IFACE (self)->set_expiry (self, company_id, expires_on, error);
}

gboolean
crm_server_storage_purge_company (CrmServerStorage  *self,
                                  const char        *company_id,
                                  GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (company_id != NULL, FALSE);
  return IFACE (self)->purge_company (self, company_id, error);
}

CrmServerUser *
crm_server_storage_add_user (CrmServerStorage  *self,
                             const char        *company_id,
                             const char        *name,
                             const char        *password_hash,
                             GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (company_id != NULL && name != NULL && password_hash != NULL, NULL);
  return IFACE (self)->add_user (self, company_id, name, password_hash, error);
}

CrmServerUser *
crm_server_storage_find_user (CrmServerStorage  *self,
                              const char        *company_id,
                              const char        *name,
                              GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (company_id != NULL && name != NULL, NULL);
  return IFACE (self)->find_user (self, company_id, name, error);
}

gboolean
crm_server_storage_add_token (CrmServerStorage     *self,
                              const char           *token_hash,
                              const CrmServerUser  *user,
                              const char           *device,
                              GError              **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL && user != NULL, FALSE);
  return IFACE (self)->add_token (self, token_hash, user, device ? device : "", error);
}

CrmServerTokenOwner *
crm_server_storage_find_token (CrmServerStorage  *self,
                               const char        *token_hash,
                               GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (token_hash != NULL, NULL);
  return IFACE (self)->find_token (self, token_hash, error);
}

gboolean
crm_server_storage_delete_token (CrmServerStorage  *self,
                                 const char        *token_hash,
                                 GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  return IFACE (self)->delete_token (self, token_hash, error);
}

gboolean
crm_server_storage_begin (CrmServerStorage  *self,
                          const char        *company_id,
                          gint64            *seq,
                          GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (company_id != NULL, FALSE);
  return IFACE (self)->begin (self, company_id, seq, error);
}

gboolean
crm_server_storage_end (CrmServerStorage  *self,
                        gboolean           commit,
                        GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  return IFACE (self)->end (self, commit, error);
}

char *
crm_server_storage_find_result (CrmServerStorage  *self,
                                const char        *company_id,
                                const char        *client_id,
                                const char        *mutation_id,
                                GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (company_id != NULL && client_id != NULL && mutation_id != NULL, NULL);
  return IFACE (self)->find_result (self, company_id, client_id, mutation_id, error);
}

gboolean
crm_server_storage_put_result (CrmServerStorage  *self,
                               const char        *company_id,
                               const char        *client_id,
                               const char        *mutation_id,
                               const char        *result_json,
                               GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (company_id != NULL && client_id != NULL && mutation_id != NULL, FALSE);
  g_return_val_if_fail (result_json != NULL, FALSE);
  return IFACE (self)->put_result (self, company_id, client_id, mutation_id, result_json,
                                   error);
}

CrmServerRecord *
crm_server_storage_get_record (CrmServerStorage  *self,
                               const char        *company_id,
                               const char        *kind,
                               const char        *id,
                               GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (company_id != NULL && kind != NULL && id != NULL, NULL);
  return IFACE (self)->get_record (self, company_id, kind, id, error);
}

gboolean
crm_server_storage_put_record (CrmServerStorage       *self,
                               const char             *company_id,
                               const CrmServerRecord  *record,
                               GError                **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (company_id != NULL && record != NULL, FALSE);
  return IFACE (self)->put_record (self, company_id, record, error);
}

GPtrArray *
crm_server_storage_pull (CrmServerStorage  *self,
                         const char        *company_id,
                         gint64             cursor,
                         guint              limit,
                         GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (company_id != NULL, NULL);
  return IFACE (self)->pull (self, company_id, cursor, limit, error);
}

/* a wire field name: 1 to 40 of a-z, 0-9 and _ */
static gboolean
is_field_name (const char *field)
{
  gsize n = strlen (field);

  if (n == 0 || n > 40)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_islower (field[i]) && !g_ascii_isdigit (field[i]) && field[i] != '_')
      return FALSE;
  return TRUE;
}

GPtrArray *
crm_server_storage_find_records (CrmServerStorage  *self,
                                 const char        *company_id,
                                 const char        *kind,
                                 const char        *field,
                                 const char        *value,
                                 GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (company_id != NULL && kind != NULL, NULL);
  g_return_val_if_fail (field != NULL && value != NULL, NULL);

  /* the backends write the field's name into their SQL (literal, so that
   * their index on contact_id serves it): only a wire field name passes */
  if (!is_field_name (field))
    {
      g_set_error (error, CRM_SERVER_STORAGE_ERROR, CRM_SERVER_STORAGE_ERROR_FAILED,
                   "not a field name: %s", field);
      return NULL;
    }
  return IFACE (self)->find_records (self, company_id, kind, field, value, error);
}

gboolean
crm_server_storage_has_blob (CrmServerStorage  *self,
                             const char        *company_id,
                             const char        *sha256,
                             gint64            *size,
                             GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (company_id != NULL && sha256 != NULL, FALSE);
  return IFACE (self)->has_blob (self, company_id, sha256, size, error);
}

gboolean
crm_server_storage_put_blob (CrmServerStorage  *self,
                             const char        *company_id,
                             const char        *sha256,
                             GBytes            *data,
                             GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (company_id != NULL && sha256 != NULL && data != NULL, FALSE);
  return IFACE (self)->put_blob (self, company_id, sha256, data, error);
}

GBytes *
crm_server_storage_get_blob (CrmServerStorage  *self,
                             const char        *company_id,
                             const char        *sha256,
                             GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (company_id != NULL && sha256 != NULL, NULL);
  return IFACE (self)->get_blob (self, company_id, sha256, error);
}

GPtrArray *
crm_server_storage_list_blobs (CrmServerStorage  *self,
                               const char        *company_id,
                               GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (company_id != NULL, NULL);
  return IFACE (self)->list_blobs (self, company_id, error);
}

gboolean
crm_server_storage_add_notice (CrmServerStorage       *self,
                               const CrmServerNotice  *notice,
                               GError                **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (notice != NULL, FALSE);
  return IFACE (self)->add_notice (self, notice, error);
}

GPtrArray *
crm_server_storage_list_notices (CrmServerStorage  *self,
                                 GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  return IFACE (self)->list_notices (self, error);
}

GPtrArray *
crm_server_storage_list_users (CrmServerStorage  *self,
                               const char        *company_id,
                               GError           **error)
{
  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (company_id != NULL, NULL);
  return IFACE (self)->list_users (self, company_id, error);
}

void
crm_server_company_free (CrmServerCompany *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->slug);
  g_free (self->name);
  g_free (self->expires_on);
  g_free (self);
}

void
crm_server_user_free (CrmServerUser *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->company_id);
  g_free (self->name);
  g_free (self->password_hash);
  g_free (self);
}

void
crm_server_token_owner_free (CrmServerTokenOwner *self)
{
  if (self == NULL)
    return;
  g_free (self->user_id);
  g_free (self->company_id);
  g_free (self->user_name);
  g_free (self->device);
  g_free (self);
}

void
crm_server_record_free (CrmServerRecord *self)
{
  if (self == NULL)
    return;
  g_free (self->kind);
  g_free (self->id);
  g_free (self->fields_json);
  g_free (self->field_versions_json);
  g_free (self->updated_by);
  g_free (self->updated_at);
  g_free (self);
}

void
crm_server_notice_free (CrmServerNotice *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->kind);
  g_free (self->title);
  g_free (self->body);
  g_free (self->published_at);
  g_free (self->effective_at);
  g_free (self->terms_version);
  g_free (self);
}
