/* crm-bench.c — timing shared by the benchmarks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-bench.h"

/* milliseconds since @start, a g_get_monotonic_time() */
double
crm_bench_ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
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
