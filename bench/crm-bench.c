/* crm-bench.c — timing and clean-up shared by the benchmarks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "crm-bench.h"

/* milliseconds since @start, a g_get_monotonic_time() */
double
crm_bench_ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* removes a benchmark's folder and the files in it */
void
crm_bench_rm_rf (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* sorts @times (doubles) for crm_bench_percentile() */
void
crm_bench_sort (GArray *times)
{
  g_array_sort (times, cmp_double);
}

/* the @p-th percentile (nearest rank) of @sorted, doubles in order */
double
crm_bench_percentile (GArray *sorted,
                      double  p)
{
  guint i = (guint)(p / 100.0 * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}
