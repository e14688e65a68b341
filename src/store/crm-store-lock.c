/* crm-store-lock.c — one writer per data folder: the app or xiaohe-crm-cli
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite serialises single writes, but an import, a restore or a "delete all"
 * from a terminal must not run under a window that shows (and edits) the same
 * data, and a restore replaces the file itself. So the app and the command
 * line each take an advisory flock() on CRM_STORE_LOCK_NAME in the data
 * folder before they open the store for writing, and the second one is
 * refused with CRM_STORE_ERROR_BUSY and a message saying who to close.
 *
 * flock() rather than a PID file: the kernel drops the lock when the process
 * ends, however it ends (a SIGKILL, a crash), so a stale lock cannot lock the
 * user out of their data. The lock file itself stays; it holds nothing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "crm-store-lock.h"
#include "crm-store.h"

struct _CrmStoreLock
{
  int fd;
};

/**
 * crm_store_lock_acquire:
 * @data_dir: (nullable): the data folder, or %NULL for the default one
 *
 * Takes the folder's writer lock without waiting, creating the folder when
 * needed.
 *
 * Returns: (transfer full) (nullable): the lock, or %NULL with
 *   %CRM_STORE_ERROR_BUSY when another process holds it, or
 *   %CRM_STORE_ERROR_OPEN when the folder or the file cannot be made
 */
CrmStoreLock *
crm_store_lock_acquire (const char  *data_dir,
                        GError     **error)
{
  g_autofree char *dir = data_dir ? g_strdup (data_dir) : crm_store_default_data_dir ();
  g_autofree char *path = g_build_filename (dir, CRM_STORE_LOCK_NAME, NULL);
  CrmStoreLock *lock;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_OPEN,
                   _("Cannot create the data folder “%s”: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_OPEN,
                   _("Cannot open “%s”: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_BUSY,
                     _("The data in “%s” is open in Xiaohe CRM or another "
                       "xiaohe-crm-cli; close it and try again"), dir);
      else
        g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_OPEN,
                     _("Cannot lock “%s”: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  lock = g_new0 (CrmStoreLock, 1);
  lock->fd = fd;
  return lock;
}

/**
 * crm_store_lock_release:
 * @lock: (nullable) (transfer full): a lock from crm_store_lock_acquire()
 *
 * Lets another process write to the folder.
 */
void
crm_store_lock_release (CrmStoreLock *lock)
{
  if (lock == NULL)
    return;
  flock (lock->fd, LOCK_UN);
  close (lock->fd);
  g_free (lock);
}
