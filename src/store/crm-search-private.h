/* crm-search-private.h — the search tokenizer, for the store
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "crm-search.h"

G_BEGIN_DECLS

#define CRM_SEARCH_TOKENIZER "crm_bigram"

int _crm_search_register_tokenizer (sqlite3 *db);

/* the fields the words of a query look at: name, company, mobile, phone,
 * e-mail, WeChat ID; the tags come after them, for the tag words only */
#define CRM_SEARCH_N_FIELDS 6

typedef struct _CrmSearchPattern CrmSearchPattern;

GPtrArray        *_crm_search_split_tags    (const char        *tags);
GPtrArray        *_crm_search_query_tags    (const char        *query);

CrmSearchPattern *_crm_search_pattern_new   (const char        *query);
void              _crm_search_pattern_free  (CrmSearchPattern  *pattern);
char             *_crm_search_trim_domains  (const char        *query);
gboolean          _crm_search_pattern_match (CrmSearchPattern  *pattern,
                                             const char *const *fields,
                                             guint              n_fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSearchPattern, _crm_search_pattern_free)

G_END_DECLS
