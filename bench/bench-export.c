/* bench-export.c — exporting 100k contacts to CSV, XLSX, vCard and the archive
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-export [--dir DIR] [--contacts N]   DIR is filled first if it has
 *                                             no contacts, and kept (else a
 *                                             temporary folder, removed)
 *
 * 100,000 contacts from a fixed seed (crm-gen.c), exported through
 * crm_export() and crm_archive_export() as the app and xiaohe-crm-cli do,
 * into the same folder. Issue 13 sets no target for export: rows/s are
 * reported, with the peak memory (VmHWM) to show the streaming holds.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm-archive.h"
#include "crm-bench.h"
#include "crm-export.h"
#include "crm-gen.h"
#include "crm-test-util.h"

#define SEED 20261129
#define BATCH 5000

static void
fill (CrmStore *store,
      guint     n)
{
  g_autoptr (CrmGen) gen = crm_gen_new (SEED);
  g_autoptr (GError) error = NULL;

  for (guint done = 0; done < n; done += BATCH)
    {
      g_autoptr (GPtrArray) batch = crm_gen_batch (gen, MIN (BATCH, n - done));

      if (!crm_store_insert_contacts (store, batch, &error))
        g_error ("%s", error->message);
    }
}

/* peak resident memory so far, in MiB (Linux) */
static double
peak_mib (void)
{
  g_autofree char *status = NULL;
  const char *hwm;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (hwm = strstr (status, "VmHWM:")) == NULL)
    return 0;
  return g_ascii_strtod (hwm + 6, NULL) / 1024;
}

static void
run (CrmStore        *store,
     const char      *dir,
     const char      *name,
     CrmExportFormat  format,
     gboolean         archive,
     guint            n)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GStatBuf st = { 0 };
  gint64 start = g_get_monotonic_time ();
  clock_t cpu = clock ();
  double ms, cpu_ms;

  if (archive ? !crm_archive_export (store, file, NULL, NULL, NULL, &error)
              : !crm_export (store, file, format, CRM_EXPORT_CONTACTS, CRM_EXPORT_FLAGS_NONE,
                             NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  ms = crm_bench_ms_since (start);
  cpu_ms = (clock () - cpu) * 1000.0 / CLOCKS_PER_SEC;
  g_stat (path, &st);
  /* the CPU time too: the machine may be shared, and export is one thread */
  printf ("export %u contacts to %s: %.0f ms, %.0f rows/s (CPU %.0f ms), %.1f MB, "
          "peak memory %.0f MiB (target: none, reported)\n", n, name, ms, n / (ms / 1000),
          cpu_ms, st.st_size / 1e6, peak_mib ());
  fflush (stdout);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  int n = 100000;
  gboolean keep;
  const GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "The data folder (kept)", "DIR" },
    { "contacts", 0, 0, G_OPTION_ARG_INT, &n, "How many contacts", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  keep = dir != NULL;
  if (dir == NULL)
    dir = crm_test_make_tmp_dir ();
  store = crm_store_open (dir, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  if (crm_store_count_contacts (store) == 0)
    fill (store, n);
  n = crm_store_count_contacts (store);
  out = crm_test_make_tmp_dir ();

  run (store, out, "contacts.csv", CRM_EXPORT_FORMAT_CSV, FALSE, n);
  run (store, out, "contacts.xlsx", CRM_EXPORT_FORMAT_XLSX, FALSE, n);
  run (store, out, "contacts.vcf", CRM_EXPORT_FORMAT_VCARD, FALSE, n);
  run (store, out, "everything.zip", 0, TRUE, n);

  crm_test_rm_rf (out);
  g_clear_object (&store);
  if (!keep)
    crm_test_rm_rf (dir);
  return 0;
}
