/* crm-credentials.c — the device token of a signed-in computer, kept in the
 * desktop's keyring (the Secret Service, through libsecret's async calls)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only libsecret's asynchronous calls: each public call is a GTask whose
 * steps are callbacks on the caller's main context. Storing first looks for
 * what is kept for the server under another company or user, stores the new
 * item (libsecret replaces one with the same attributes) and then removes
 * the others, so a server never has two items. The token is copied only
 * into memory that is wiped before it is freed: the caller's copy in the
 * task (explicit_bzero) and libsecret's non-pageable copy it hands back on
 * lookup (secret_password_free).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "crm-credentials.h"

G_DEFINE_QUARK (crm-credentials-error-quark, crm_credentials_error)

static const SecretSchema *
credentials_schema (void)
{
  static const SecretSchema schema = {
    "co.xiaohe.Crm", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "company", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

void
crm_credentials_free (CrmCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_free (credentials->company);
  g_free (credentials->user);
  /* libsecret's non-pageable memory: wiped, then freed */
  secret_password_free (credentials->token);
  g_free (credentials);
}

static void
wipe_string (char *text)
{
  if (text == NULL)
    return;
  explicit_bzero (text, strlen (text));
  g_free (text);
}

static gboolean
text_is_valid (const char *text)
{
  return text != NULL && *text != '\0' && g_utf8_validate (text, -1, NULL);
}

/* Whether libsecret's @error says the session has no Secret Service: no
 * session bus, or no one owning (or able to start) org.freedesktop.secrets. */
static gboolean
error_is_no_service (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    return error->code == G_DBUS_ERROR_SERVICE_UNKNOWN
      || error->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER
      || error->code == G_DBUS_ERROR_NO_SERVER
      || error->code == G_DBUS_ERROR_DISCONNECTED
      || error->code == G_DBUS_ERROR_FILE_NOT_FOUND
      || (error->code >= G_DBUS_ERROR_SPAWN_EXEC_FAILED
          && error->code <= G_DBUS_ERROR_SPAWN_FAILED);
  /* g_bus_get(): no address and no display to start a bus with (FAILED),
   * nothing listening at the address, or a closed bus; the service's own
   * errors come as SECRET_ERROR or G_DBUS_ERROR */
  if (error->domain == G_IO_ERROR)
    return error->code == G_IO_ERROR_FAILED
      || error->code == G_IO_ERROR_NOT_FOUND
      || error->code == G_IO_ERROR_CONNECTION_REFUSED
      || error->code == G_IO_ERROR_CLOSED
      || error->code == G_IO_ERROR_NOT_SUPPORTED
      || error->code == G_IO_ERROR_PERMISSION_DENIED
      || error->code == G_IO_ERROR_INVALID_ARGUMENT;
  return FALSE;
}

/* Returns libsecret's @error (taken) on @task as a CRM_CREDENTIALS_ERROR a
 * person can act on; a cancellation stays G_IO_ERROR_CANCELLED. */
static void
task_return_keyring_error (GTask  *task,
                           GError *error)
{
  g_autoptr (GError) owned = error;

  g_debug ("keyring: %s (%s, %d)", owned->message, g_quark_to_string (owned->domain),
           owned->code);
  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&owned));
  else if (error_is_no_service (owned))
    g_task_return_new_error (task, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_NO_SERVICE,
                             "%s", _("No keyring is running, so Xiaohe CRM cannot keep you "
                                     "signed in. Start GNOME Keyring (or another Secret "
                                     "Service) and sign in again."));
  else if (g_error_matches (owned, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    g_task_return_new_error (task, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_LOCKED,
                             "%s", _("The keyring is locked. Unlock it (usually with the "
                                     "password you log in to this computer with) and "
                                     "try again."));
  else
    g_task_return_new_error (task, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_FAILED,
                             _("The keyring reported an error: %s"),
                             owned->message);
}

static void
task_return_locked (GTask *task)
{
  task_return_keyring_error (task, g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                                        "the item stayed locked"));
}

static gboolean
retrievable_is_locked (SecretRetrievable *retrievable)
{
  return SECRET_IS_ITEM (retrievable) && secret_item_get_locked (SECRET_ITEM (retrievable));
}

/* the schema's attributes of @retrievable, as a table for the *v calls */
static GHashTable *
schema_attributes_of (SecretRetrievable *retrievable)
{
  g_autoptr (GHashTable) found = secret_retrievable_get_attributes (retrievable);
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *names[] = { "server", "company", "user" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = found != NULL ? g_hash_table_lookup (found, names[i]) : NULL;

      if (value != NULL)
        g_hash_table_insert (attributes, g_strdup (names[i]), g_strdup (value));
    }
  return attributes;
}

/* ---- store ---- */

typedef struct
{
  char  *server;
  char  *company;
  char  *user;
  char  *token;       /* wiped when freed */
  GList *stale;       /* GHashTable*: attributes of the server's other items */
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *sd = data;

  g_free (sd->server);
  g_free (sd->company);
  g_free (sd->user);
  wipe_string (sd->token);
  g_list_free_full (sd->stale, (GDestroyNotify) g_hash_table_unref);
  g_free (sd);
}

static void store_clear_next (GTask *task);

static void
on_stale_cleared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: nothing matched any more */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      task_return_keyring_error (task, error);
      return;
    }
  store_clear_next (g_steal_pointer (&task));
}

static void
store_clear_next (GTask *task)
{
  StoreData *sd = g_task_get_task_data (task);
  g_autoptr (GHashTable) attributes = NULL;

  if (sd->stale == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  attributes = sd->stale->data;
  sd->stale = g_list_delete_link (sd->stale, sd->stale);
  secret_password_clearv (credentials_schema (), attributes, g_task_get_cancellable (task),
                          on_stale_cleared, task);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      task_return_keyring_error (task, error);
      return;
    }
  store_clear_next (g_steal_pointer (&task));
}

static void
on_store_searched (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  StoreData *sd = g_task_get_task_data (task);
  g_autofree char *label = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &error);

  if (error != NULL)
    {
      task_return_keyring_error (task, error);
      return;
    }
  for (GList *l = items; l != NULL; l = l->next)
    {
      GHashTable *attributes = schema_attributes_of (l->data);

      if (g_strcmp0 (g_hash_table_lookup (attributes, "company"), sd->company) == 0
          && g_strcmp0 (g_hash_table_lookup (attributes, "user"), sd->user) == 0)
        g_hash_table_unref (attributes);   /* the store replaces it */
      else
        sd->stale = g_list_prepend (sd->stale, attributes);
    }
  g_list_free_full (items, g_object_unref);

  /* TRANSLATORS: the keyring item's label: the user name, then the server's address */
  label = g_strdup_printf (_("Xiaohe CRM sign-in for %s at %s"), sd->user, sd->server);
  /* the cancellable before the task is stolen: arguments have no order */
  cancellable = g_task_get_cancellable (task);
  secret_password_store (credentials_schema (), SECRET_COLLECTION_DEFAULT, label, sd->token,
                         cancellable, on_stored, g_steal_pointer (&task),
                         "server", sd->server,
                         "company", sd->company,
                         "user", sd->user,
                         NULL);
}

void
crm_credentials_store_async (const char          *server,
                             const char          *company,
                             const char          *user,
                             const char          *token,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  StoreData *sd;

  g_task_set_source_tag (task, crm_credentials_store_async);
  if (!text_is_valid (server) || !text_is_valid (company) || !text_is_valid (user)
      || !text_is_valid (token))
    {
      g_task_return_new_error (task, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_INVALID,
                               "%s", _("The sign-in to keep is incomplete: a server address, "
                                       "a company, a user name and a device token are "
                                       "needed."));
      return;
    }
  sd = g_new0 (StoreData, 1);
  sd->server = g_strdup (server);
  sd->company = g_strdup (company);
  sd->user = g_strdup (user);
  sd->token = g_strdup (token);
  g_task_set_task_data (task, sd, store_data_free);
  /* attributes only: no need to unlock or load anything */
  secret_password_search (credentials_schema (), SECRET_SEARCH_ALL, cancellable,
                          on_store_searched, g_steal_pointer (&task),
                          "server", server,
                          NULL);
}

gboolean
crm_credentials_store_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == crm_credentials_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- lookup ---- */

static void
lookup_return (GTask             *task,
               SecretRetrievable *item,
               SecretValue       *value)
{
  g_autoptr (GHashTable) attributes = schema_attributes_of (item);
  CrmCredentials *credentials;
  gsize length = 0;
  char *token = secret_value_unref_to_password (value, &length);

  /* something else wrote this item: treat it as nothing kept (sign in again) */
  if (token == NULL || length == 0 || strlen (token) != length
      || !g_utf8_validate (token, -1, NULL)
      || !text_is_valid (g_hash_table_lookup (attributes, "company"))
      || !text_is_valid (g_hash_table_lookup (attributes, "user")))
    {
      g_debug ("keyring: an item of the schema that is not a sign-in");
      secret_password_free (token);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  credentials = g_new0 (CrmCredentials, 1);
  credentials->company = g_strdup (g_hash_table_lookup (attributes, "company"));
  credentials->user = g_strdup (g_hash_table_lookup (attributes, "user"));
  credentials->token = token;
  g_task_return_pointer (task, credentials, (GDestroyNotify) crm_credentials_free);
}

static void
on_lookup_retrieved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SecretRetrievable *item = SECRET_RETRIEVABLE (source);
  GError *error = NULL;
  SecretValue *value = secret_retrievable_retrieve_secret_finish (item, result, &error);

  if (value == NULL)
    {
      if (error == NULL)
        task_return_locked (task);
      else
        task_return_keyring_error (task, error);
      return;
    }
  lookup_return (task, item, value);
}

static void
on_lookup_searched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &error);
  SecretRetrievable *item;
  SecretValue *value = NULL;

  if (error != NULL)
    {
      task_return_keyring_error (task, error);
      return;
    }
  if (items == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  item = items->data;
  if (retrievable_is_locked (item))
    task_return_locked (task);
  else if (SECRET_IS_ITEM (item)
           && (value = secret_item_get_secret (SECRET_ITEM (item))) != NULL)
    lookup_return (task, item, value);   /* loaded by the search */
  else
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      secret_retrievable_retrieve_secret (item, cancellable, on_lookup_retrieved,
                                          g_steal_pointer (&task));
    }
  g_list_free_full (items, g_object_unref);
}

void
crm_credentials_lookup_async (const char          *server,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, crm_credentials_lookup_async);
  if (!text_is_valid (server))
    {
      g_task_return_new_error (task, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_INVALID,
                               "%s", _("No valid server address was given."));
      return;
    }
  /* one item: store keeps no more than one per server */
  secret_password_search (credentials_schema (),
                          SECRET_SEARCH_LOAD_SECRETS | SECRET_SEARCH_UNLOCK,
                          cancellable, on_lookup_searched, g_steal_pointer (&task),
                          "server", server,
                          NULL);
}

CrmCredentials *
crm_credentials_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == crm_credentials_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- clear ---- */

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to remove */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      task_return_keyring_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_clear_searched (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  const char *server = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &error);
  gboolean locked = FALSE;

  if (error != NULL)
    {
      task_return_keyring_error (task, error);
      return;
    }
  for (GList *l = items; l != NULL; l = l->next)
    locked = locked || retrievable_is_locked (l->data);
  if (items == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_list_free_full (items, g_object_unref);
  if (locked)
    {
      /* libsecret's clear skips locked items: say so rather than pretend */
      task_return_locked (task);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  secret_password_clear (credentials_schema (), cancellable, on_cleared,
                         g_steal_pointer (&task),
                         "server", server,
                         NULL);
}

void
crm_credentials_clear_async (const char          *server,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, crm_credentials_clear_async);
  if (!text_is_valid (server))
    {
      g_task_return_new_error (task, CRM_CREDENTIALS_ERROR, CRM_CREDENTIALS_ERROR_INVALID,
                               "%s", _("No valid server address was given."));
      return;
    }
  g_task_set_task_data (task, g_strdup (server), g_free);
  /* unlocked first, so that the clear that follows can remove the items */
  secret_password_search (credentials_schema (), SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                          cancellable, on_clear_searched, g_steal_pointer (&task),
                          "server", server,
                          NULL);
}

gboolean
crm_credentials_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == crm_credentials_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
