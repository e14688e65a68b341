/* test-store-lock.c — one writer per data folder (crm-store-lock.c)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lock is what keeps xiaohe-crm-cli from writing under a running app:
 * a second taker is refused with CRM_STORE_ERROR_BUSY, a released lock or a
 * holder killed with SIGKILL frees the folder at once (no stale lock).
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-store-lock.h"
#include "crm-store.h"
#include "crm-test-util.h"

static void
test_lock_second_refused (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autoptr (GError) error = NULL;
  CrmStoreLock *first;
  CrmStoreLock *second;

  first = crm_store_lock_acquire (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);

  second = crm_store_lock_acquire (dir, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_BUSY);
  g_assert_null (second);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  crm_store_lock_release (first);
  second = crm_store_lock_acquire (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  crm_store_lock_release (second);

  crm_test_rm_rf (dir);
}

static void
test_lock_freed_by_sigkill (void)
{
  g_autofree char *dir = crm_test_make_tmp_dir ();
  g_autoptr (GError) error = NULL;
  CrmStoreLock *lock;
  int ready[2];
  char byte = 0;
  int status;
  pid_t pid;

  g_assert_cmpint (pipe (ready), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      CrmStoreLock *held = crm_store_lock_acquire (dir, NULL);

      byte = held != NULL ? 'y' : 'n';
      if (write (ready[1], &byte, 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (ready[1]);
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  close (ready[0]);
  g_assert_cmpint (byte, ==, 'y');

  /* the other process holds it */
  lock = crm_store_lock_acquire (dir, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_BUSY);
  g_assert_null (lock);
  g_clear_error (&error);

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));

  lock = crm_store_lock_acquire (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  crm_store_lock_release (lock);

  crm_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store-lock/second-refused", test_lock_second_refused);
  g_test_add_func ("/store-lock/freed-by-sigkill", test_lock_freed_by_sigkill);
  return g_test_run ();
}
