/* crm-server-storage.h — where xiaohe-crm-server keeps its data, behind one
 * interface
 *
 * The server's logic (crm-server-sync.c: push, merge, pull; the commands;
 * the HTTP handlers) talks only to this interface. SQLite is the embedded
 * default (crm-server-sqlite.c); PostgreSQL comes as a second
 * implementation, so nothing outside a backend writes SQL of its own.
 *
 * Every call is scoped by a company id where data belongs to a company: a
 * backend never returns a row of another company, whatever ids it is given.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRM_SERVER_STORAGE_ERROR (crm_server_storage_error_quark ())

typedef enum
{
  CRM_SERVER_STORAGE_ERROR_FAILED,     /* the backend failed: 500 */
  CRM_SERVER_STORAGE_ERROR_NOT_FOUND,  /* no such company, user, record, blob */
  CRM_SERVER_STORAGE_ERROR_EXISTS,     /* the slug or user name is taken */
  CRM_SERVER_STORAGE_ERROR_BUSY,       /* try again (SQLITE_BUSY, serialization failure) */
  CRM_SERVER_STORAGE_ERROR_UNAVAILABLE,/* the database cannot be reached (PostgreSQL
                                          down or restarting): 503, try again */
} CrmServerStorageError;

typedef struct
{
  char   *id;            /* UUID */
  char   *slug;
  char   *name;
  char   *expires_on;    /* YYYY-MM-DD or NULL: the paid account's end */
  gint64  seq;           /* the last change's sequence number */
  gint64  epoch_base;    /* its seq when the current epoch began (0 for the first) */
} CrmServerCompany;

typedef struct
{
  char *id;              /* UUID */
  char *company_id;
  char *name;
  char *password_hash;   /* crypto_pwhash_str() (Argon2id) */
} CrmServerUser;

typedef struct
{
  char *user_id;
  char *company_id;
  char *user_name;
  char *device;
} CrmServerTokenOwner;

/* A record as stored: all its fields, and for each field the version that
 * last changed it and the client that changed it (the merge needs both),
 * then the user and the time (a push result's conflict_by and conflict_at). */
typedef struct
{
  char     *kind;           /* crm_wire_kind_to_string () */
  char     *id;
  gint64    version;        /* the seq of its last change */
  gboolean  deleted;
  char     *fields_json;    /* a JSON object: field → value */
  char     *field_versions_json;  /* a JSON object: field → [version, "client_id",
                                     "user name", "UTC time"] (older: the first two) */
  char     *updated_by;     /* user name */
  char     *updated_at;     /* UTC ISO 8601 */
} CrmServerRecord;

typedef struct
{
  char *id;
  char *kind;
  char *title;
  char *body;
  char *published_at;
  char *effective_at;
  char *terms_version;   /* may be NULL */
} CrmServerNotice;

#define CRM_TYPE_SERVER_STORAGE (crm_server_storage_get_type ())

G_DECLARE_INTERFACE (CrmServerStorage, crm_server_storage, CRM, SERVER_STORAGE, GObject)

struct _CrmServerStorageInterface
{
  GTypeInterface parent_iface;

  /* the server as a whole; set_epoch also sets every company's epoch_base
   * to its seq, in the same transaction (a new epoch begins there) */
  char *             (*get_epoch)          (CrmServerStorage  *self,
                                            GError           **error);
  gboolean           (*set_epoch)          (CrmServerStorage  *self,
                                            const char        *epoch,
                                            GError           **error);
  gint64             (*max_seq)            (CrmServerStorage  *self,
                                            GError           **error);

  /* companies, users, tokens */
  CrmServerCompany * (*add_company)        (CrmServerStorage  *self,
                                            const char        *slug,
                                            const char        *name,
                                            GError           **error);
  CrmServerCompany * (*find_company)       (CrmServerStorage  *self,
                                            const char        *slug_or_id,
                                            GError           **error);
  GPtrArray *        (*list_companies)     (CrmServerStorage  *self,
                                            GError           **error);
  gboolean           (*set_expiry)         (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *expires_on,
                                            GError           **error);
  gboolean           (*purge_company)      (CrmServerStorage  *self,
                                            const char        *company_id,
                                            GError           **error);
  CrmServerUser *    (*add_user)           (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *name,
                                            const char        *password_hash,
                                            GError           **error);
  CrmServerUser *    (*find_user)          (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *name,
                                            GError           **error);
  gboolean           (*add_token)          (CrmServerStorage  *self,
                                            const char        *token_hash,
                                            const CrmServerUser *user,
                                            const char        *device,
                                            GError           **error);
  CrmServerTokenOwner * (*find_token)      (CrmServerStorage  *self,
                                            const char        *token_hash,
                                            GError           **error);
  gboolean           (*delete_token)       (CrmServerStorage  *self,
                                            const char        *token_hash,
                                            GError           **error);

  /* a write: everything between begin and end commits together or not at
   * all; begin serialises the writers of one company and returns its
   * last seq in @seq */
  gboolean           (*begin)              (CrmServerStorage  *self,
                                            const char        *company_id,
                                            gint64            *seq,
                                            GError           **error);
  gboolean           (*end)                (CrmServerStorage  *self,
                                            gboolean           commit,
                                            GError           **error);
  /* inside begin/end: the stored answer to a mutation already applied
   * (NULL and no error when there is none) */
  char *             (*find_result)        (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *client_id,
                                            const char        *mutation_id,
                                            GError           **error);
  gboolean           (*put_result)         (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *client_id,
                                            const char        *mutation_id,
                                            const char        *result_json,
                                            GError           **error);
  /* NULL and no error when there is no such record (find_company,
   * find_user, find_token and get_blob say CRM_SERVER_STORAGE_ERROR_NOT_FOUND) */
  CrmServerRecord *  (*get_record)         (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *kind,
                                            const char        *id,
                                            GError           **error);
  /* stores @record (its version is the new seq) and the company's seq */
  gboolean           (*put_record)         (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const CrmServerRecord *record,
                                            GError           **error);

  /* the change feed: records with cursor < version, by version, at most
   * @limit (element-type CrmServerRecord) */
  GPtrArray *        (*pull)               (CrmServerStorage  *self,
                                            const char        *company_id,
                                            gint64             cursor,
                                            guint              limit,
                                            GError           **error);
  /* (element-type CrmServerRecord) the live and deleted records of
   * a kind that name @field = @value (a deal's contact_id) */
  GPtrArray *        (*find_records)       (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *kind,
                                            const char        *field,
                                            const char        *value,
                                            GError           **error);

  /* blobs, content-addressed per company */
  gboolean           (*has_blob)           (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *sha256,
                                            gint64            *size,
                                            GError           **error);
  gboolean           (*put_blob)           (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *sha256,
                                            GBytes            *data,
                                            GError           **error);
  GBytes *           (*get_blob)           (CrmServerStorage  *self,
                                            const char        *company_id,
                                            const char        *sha256,
                                            GError           **error);
  /* (element-type utf8) the hashes of the company's blobs, sorted */
  GPtrArray *        (*list_blobs)         (CrmServerStorage  *self,
                                            const char        *company_id,
                                            GError           **error);

  /* notices (element-type CrmServerNotice) */
  gboolean           (*add_notice)         (CrmServerStorage  *self,
                                            const CrmServerNotice *notice,
                                            GError           **error);
  GPtrArray *        (*list_notices)       (CrmServerStorage  *self,
                                            GError           **error);

  /* (element-type CrmServerUser) the company's users, by name (export) */
  GPtrArray *        (*list_users)         (CrmServerStorage  *self,
                                            const char        *company_id,
                                            GError           **error);
};

GQuark              crm_server_storage_error_quark (void);

/* Opens DIR's storage: the PostgreSQL database DIR/config names (written
 * by `init DIR --database URL`), else the SQLite file DIR/server.sqlite3.
 * @create: make the schema. */
CrmServerStorage   *crm_server_storage_open        (const char        *dir,
                                                    gboolean           create,
                                                    GError           **error);
/* The same with @database (a postgresql:// URL; NULL: what DIR/config
 * says, else SQLite) chosen by the caller (`--database`). */
CrmServerStorage   *crm_server_storage_open_database (const char      *dir,
                                                    const char        *database,
                                                    gboolean           create,
                                                    GError           **error);
/* The database DIR/config names (a URL), or NULL for SQLite; NULL with
 * @error when the file cannot be read or names something else. */
char               *crm_server_storage_read_config (const char        *dir,
                                                    GError           **error);
/* Writes DIR/config (mode 0600: the URL may hold a password) naming
 * @database. */
gboolean            crm_server_storage_write_config (const char       *dir,
                                                    const char        *database,
                                                    GError           **error);
/* TRUE when @database names PostgreSQL: postgresql:// or postgres:// */
gboolean            crm_server_storage_is_postgresql (const char      *database);

char               *crm_server_storage_get_epoch   (CrmServerStorage  *self,
                                                    GError           **error);
gboolean            crm_server_storage_set_epoch   (CrmServerStorage  *self,
                                                    const char        *epoch,
                                                    GError           **error);
gint64              crm_server_storage_max_seq     (CrmServerStorage  *self,
                                                    GError           **error);
CrmServerCompany   *crm_server_storage_add_company (CrmServerStorage  *self,
                                                    const char        *slug,
                                                    const char        *name,
                                                    GError           **error);
CrmServerCompany   *crm_server_storage_find_company (CrmServerStorage *self,
                                                    const char        *slug_or_id,
                                                    GError           **error);
GPtrArray          *crm_server_storage_list_companies (CrmServerStorage *self,
                                                    GError           **error);
gboolean            crm_server_storage_set_expiry  (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const char        *expires_on,
                                                    GError           **error);
gboolean            crm_server_storage_purge_company (CrmServerStorage *self,
                                                    const char        *company_id,
                                                    GError           **error);
CrmServerUser      *crm_server_storage_add_user    (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const char        *name,
                                                    const char        *password_hash,
                                                    GError           **error);
CrmServerUser      *crm_server_storage_find_user   (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const char        *name,
                                                    GError           **error);
gboolean            crm_server_storage_add_token   (CrmServerStorage  *self,
                                                    const char        *token_hash,
                                                    const CrmServerUser *user,
                                                    const char        *device,
                                                    GError           **error);
CrmServerTokenOwner *crm_server_storage_find_token (CrmServerStorage  *self,
                                                    const char        *token_hash,
                                                    GError           **error);
gboolean            crm_server_storage_delete_token (CrmServerStorage *self,
                                                    const char        *token_hash,
                                                    GError           **error);
gboolean            crm_server_storage_begin       (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    gint64            *seq,
                                                    GError           **error);
gboolean            crm_server_storage_end         (CrmServerStorage  *self,
                                                    gboolean           commit,
                                                    GError           **error);
char               *crm_server_storage_find_result (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const char        *client_id,
                                                    const char        *mutation_id,
                                                    GError           **error);
gboolean            crm_server_storage_put_result  (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const char        *client_id,
                                                    const char        *mutation_id,
                                                    const char        *result_json,
                                                    GError           **error);
CrmServerRecord    *crm_server_storage_get_record  (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const char        *kind,
                                                    const char        *id,
                                                    GError           **error);
gboolean            crm_server_storage_put_record  (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const CrmServerRecord *record,
                                                    GError           **error);
GPtrArray          *crm_server_storage_pull        (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    gint64             cursor,
                                                    guint              limit,
                                                    GError           **error);
GPtrArray          *crm_server_storage_find_records (CrmServerStorage *self,
                                                    const char        *company_id,
                                                    const char        *kind,
                                                    const char        *field,
                                                    const char        *value,
                                                    GError           **error);
gboolean            crm_server_storage_has_blob    (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const char        *sha256,
                                                    gint64            *size,
                                                    GError           **error);
gboolean            crm_server_storage_put_blob    (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const char        *sha256,
                                                    GBytes            *data,
                                                    GError           **error);
GBytes             *crm_server_storage_get_blob    (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    const char        *sha256,
                                                    GError           **error);
GPtrArray          *crm_server_storage_list_blobs  (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    GError           **error);
gboolean            crm_server_storage_add_notice  (CrmServerStorage  *self,
                                                    const CrmServerNotice *notice,
                                                    GError           **error);
GPtrArray          *crm_server_storage_list_notices (CrmServerStorage *self,
                                                    GError           **error);
GPtrArray          *crm_server_storage_list_users  (CrmServerStorage  *self,
                                                    const char        *company_id,
                                                    GError           **error);

void crm_server_company_free     (CrmServerCompany    *self);
void crm_server_user_free        (CrmServerUser       *self);
void crm_server_token_owner_free (CrmServerTokenOwner *self);
void crm_server_record_free      (CrmServerRecord     *self);
void crm_server_notice_free      (CrmServerNotice     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmServerCompany, crm_server_company_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmServerUser, crm_server_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmServerTokenOwner, crm_server_token_owner_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmServerRecord, crm_server_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmServerNotice, crm_server_notice_free)

G_END_DECLS
