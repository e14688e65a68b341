/* replay.c — runs saved fuzz inputs through a target, without libFuzzer
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fuzz-replay-TARGET [--fork] FILE-OR-DIRECTORY...
 *
 * Linked with one target's LLVMFuzzerTestOneInput (), it feeds it every file
 * given and every file in the directories given (sorted by name, hidden
 * files left out), each in a buffer of exactly its size, and reports TAP. A
 * broken property or a crash ends the run, the file named just before; with
 * --fork each file runs in a child process of its own, a failure is "not ok"
 * for that file and the others still run (slower: meson test runs without).
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz-common.h"

static gboolean use_fork;
static guint n_run;
static guint n_failed;

static void
replay_in_child (const guint8 *data,
                 gsize         length,
                 const char   *path)
{
  pid_t pid;
  int status;

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      exit (1);
    }
  if (pid == 0)
    {
      /* exit (), not _exit (): a sanitized build checks for leaks there */
      LLVMFuzzerTestOneInput (data, length);
      exit (0);
    }
  if (waitpid (pid, &status, 0) != pid)
    {
      perror ("waitpid");
      exit (1);
    }
  n_run++;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    printf ("ok %u - %s\n", n_run, path);
  else
    {
      n_failed++;
      if (WIFSIGNALED (status))
        printf ("not ok %u - %s: killed by signal %d\n", n_run, path, WTERMSIG (status));
      else
        printf ("not ok %u - %s: exit status %d\n", n_run, path, WEXITSTATUS (status));
    }
  fflush (stdout);
}

static void
replay_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      printf ("not ok %u - %s: %s\n", ++n_run, path, error->message);
      exit (1);
    }
  /* a buffer of the input's own size, as libFuzzer gives, so that a read
   * past its end is one in a sanitized build */
  exact = g_malloc (MAX (length, 1));
  memcpy (exact, contents, length);
  if (use_fork)
    {
      replay_in_child (exact, length, path);
      return;
    }
  printf ("# %s\n", path);
  fflush (stdout);
  LLVMFuzzerTestOneInput (exact, length);
  printf ("ok %u - %s\n", ++n_run, path);
  fflush (stdout);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static void
replay_dir (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const char *name;

  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    {
      printf ("not ok %u - %s: %s\n", ++n_run, path, error->message);
      exit (1);
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);

      if (g_file_test (file, G_FILE_TEST_IS_DIR))
        replay_dir (file);
      else
        replay_file (file);
    }
}

int
main (int   argc,
      char *argv[])
{
  int first = 1;

  if (argc > 1 && strcmp (argv[1], "--fork") == 0)
    {
      use_fork = TRUE;
      first = 2;
    }
  if (argc <= first)
    {
      fprintf (stderr, "usage: %s [--fork] FILE-OR-DIRECTORY...\n", argv[0]);
      return 2;
    }
  for (int i = first; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        replay_dir (argv[i]);
      else
        replay_file (argv[i]);
    }
  printf ("1..%u\n", n_run);
  if (n_failed > 0)
    fprintf (stderr, "%u of %u inputs failed\n", n_failed, n_run);
  return n_failed > 0 ? 1 : 0;
}
