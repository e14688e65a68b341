/* crm-bench.h — timing shared by the benchmarks
 * (a benchmark's folder is removed with crm_test_rm_rf() from tests/lib)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double crm_bench_ms_since   (gint64      start);
void   crm_bench_sort       (GArray     *times);
double crm_bench_percentile (GArray     *sorted,
                             double      p);

G_END_DECLS
