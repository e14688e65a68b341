/* crm-server-epoch.c — the epoch guard of xiaohe-crm-server: a storage
 * restored from an older copy is noticed, and gets a new epoch
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DIR/epoch-guard is a small JSON file {"epoch", "seqs": {company_id: seq}}
 * rewritten (temporary file + rename) after each commit. It may lag behind
 * the storage (harmless: it is only compared one way); a guard ahead of the
 * storage means that the storage was restored from an older copy, and
 * `serve` then starts a new epoch (docs/sync-protocol.md, "Epochs and 410"):
 * clients resync and send again what the storage lost.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm-server-sync-private.h"

#define GUARD_FILE "epoch-guard"
/* a guard is a few dozen bytes a company: one over this is not ours */
#define GUARD_MAX_SIZE (4 * 1024 * 1024)
/* {"epoch", "seqs": {…}}: deeper is not ours either (and json-glib would
 * recurse as deep as the file goes) */
#define GUARD_MAX_DEPTH 2

typedef struct
{
  char       *epoch;
  GHashTable *seqs;   /* company id → gint64 * */
} Guard;

static void
guard_free (Guard *guard)
{
  g_free (guard->epoch);
  g_clear_pointer (&guard->seqs, g_hash_table_unref);
  g_free (guard);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Guard, guard_free)

/* @text nests no deeper than GUARD_MAX_DEPTH (brackets in strings aside) */
static gboolean
shallow_enough (const char *text,
                gsize       length)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\' && i + 1 < length)
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '{' || c == '[') && ++depth > GUARD_MAX_DEPTH)
        return FALSE;
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}

/* NULL when there is no guard, or one that cannot be read (it is only a
 * check: a lost guard is made again). A damaged guard — empty, garbage,
 * huge, deep, a directory — is one that cannot be read, never a crash. */
static Guard *
read_guard (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, GUARD_FILE, NULL);
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (Guard) guard = NULL;
  JsonObject *root = NULL;
  JsonNode *epoch = NULL;
  JsonNode *seqs;
  GStatBuf st;
  gsize length = 0;

  if (g_stat (path, &st) != 0)
    return NULL;
  if (!S_ISREG (st.st_mode) || st.st_size > GUARD_MAX_SIZE)
    text = NULL;
  else if (!g_file_get_contents (path, &text, &length, NULL))
    return NULL;
  if (text != NULL && length <= GUARD_MAX_SIZE && shallow_enough (text, length)
      && g_utf8_validate (text, length, NULL)
      && json_parser_load_from_data (parser, text, length, NULL)
      && json_parser_get_root (parser) != NULL
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      root = json_node_get_object (json_parser_get_root (parser));
      epoch = json_object_get_member (root, "epoch");
    }
  if (epoch == NULL || !JSON_NODE_HOLDS_VALUE (epoch)
      || json_node_get_value_type (epoch) != G_TYPE_STRING)
    {
      /* a message, not a warning: a damaged file is what this code is for */
      g_message ("%s cannot be read (damaged or not a guard): it is made again; a restore "
                 "of server.sqlite3 made before now goes unnoticed", path);
      return NULL;
    }
  guard = g_new0 (Guard, 1);
  guard->epoch = g_strdup (json_node_get_string (epoch));
  guard->seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  seqs = json_object_get_member (root, "seqs");
  if (seqs != NULL && JSON_NODE_HOLDS_OBJECT (seqs))
    {
      JsonObject *object = json_node_get_object (seqs);
      g_autoptr (GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (object, l->data);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
            g_hash_table_insert (guard->seqs, g_strdup (l->data),
                                 g_memdup2 (&(gint64) { json_node_get_int (node) },
                                            sizeof (gint64)));
        }
    }
  return g_steal_pointer (&guard);
}

/* a company of the storage whose seq is below the guard's: the storage went
 * back in time (a company missing from the storage was purged) */
static const CrmServerCompany *
went_back (Guard     *guard,
           GPtrArray *companies)
{
  if (guard == NULL)
    return NULL;
  for (guint i = 0; i < companies->len; i++)
    {
      const CrmServerCompany *company = companies->pdata[i];
      gint64 *seq = g_hash_table_lookup (guard->seqs, company->id);

      if (seq != NULL && *seq > company->seq)
        return company;
    }
  return NULL;
}

static gboolean
write_guard (const char  *dir,
             const char  *epoch,
             GPtrArray   *companies,
             GError     **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *path = g_build_filename (dir, GUARD_FILE, NULL);
  g_autofree char *tmp = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, epoch);
  json_builder_set_member_name (builder, "seqs");
  json_builder_begin_object (builder);
  for (guint i = 0; i < companies->len; i++)
    {
      const CrmServerCompany *company = companies->pdata[i];

      json_builder_set_member_name (builder, company->id);
      json_builder_add_int_value (builder, company->seq);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  /* a temporary file renamed over the guard: never half written. No fsync:
   * a guard that lags after a power cut only misses a restore of the very
   * last pushes, and a push must not wait for a second disk flush. The
   * temporary file is the process's own: `serve` processes on one
   * PostgreSQL database may share DIR */
  tmp = g_strdup_printf ("%s.%d.tmp", path, (int) getpid ());
  if (!g_file_set_contents_full (tmp, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, error))
    return FALSE;
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot rename %s: %s", tmp, g_strerror (saved));
      g_remove (tmp);
      return FALSE;
    }
  return TRUE;
}

/* after a commit: the guard moves forward, unless it shows that the storage
 * went back (then it stays, for `serve` to see at its next start) */
void
_crm_server_sync_advance_guard (CrmServerStorage *storage,
                                const char       *dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr (GPtrArray) companies = NULL;
  g_autoptr (Guard) guard = NULL;

  if (dir == NULL)
    return;
  epoch = crm_server_storage_get_epoch (storage, &error);
  if (epoch != NULL)
    companies = crm_server_storage_list_companies (storage, &error);
  if (companies == NULL)
    {
      g_warning ("Cannot move the epoch guard forward: %s",
                 error ? error->message : "no epoch");
      return;
    }
  guard = read_guard (dir);
  if (went_back (guard, companies) != NULL)
    return;
  if (!write_guard (dir, epoch, companies, &error))
    g_warning ("Cannot move the epoch guard forward: %s", error->message);
}

/**
 * crm_server_sync_check_epoch:
 *
 * See crm-server-sync.h. A storage without an epoch gets its first; a
 * storage whose seq for some company is below the guard's gets a new one
 * (each company's epoch_base is then its seq, kept by the storage); the
 * guard is then written from the storage.
 */
gboolean
crm_server_sync_check_epoch (CrmServerStorage  *storage,
                             const char        *dir,
                             GError           **error)
{
  g_autofree char *epoch = NULL;
  g_autoptr (GPtrArray) companies = NULL;
  g_autoptr (Guard) guard = NULL;
  const CrmServerCompany *behind;
  GError *local = NULL;

  g_return_val_if_fail (CRM_IS_SERVER_STORAGE (storage), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  epoch = crm_server_storage_get_epoch (storage, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  companies = crm_server_storage_list_companies (storage, error);
  if (companies == NULL)
    return FALSE;
  guard = read_guard (dir);
  behind = went_back (guard, companies);
  if (epoch == NULL || behind != NULL)
    {
      if (behind != NULL)
        g_message ("The storage is behind the epoch guard (company %s: seq %" G_GINT64_FORMAT
                   ", the guard says %" G_GINT64_FORMAT "): it was restored; a new epoch "
                   "begins and clients resync",
                   behind->slug, behind->seq,
                   *(gint64 *) g_hash_table_lookup (guard->seqs, behind->id));
      g_free (epoch);
      epoch = g_uuid_string_random ();
      if (!crm_server_storage_set_epoch (storage, epoch, error))
        return FALSE;
      if (behind != NULL)
        g_message ("New epoch %s", epoch);
    }
  return write_guard (dir, epoch, companies, error);
}

