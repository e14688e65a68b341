/* crm-search.h — substring search over contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *crm_search_build_match (const char *query);

G_END_DECLS
