/* crm-search-private.h — the search tokenizer, rule and MATCH builder, for the store
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

/* crm-search.c's folding and word splitting, shared with crm-search-match.c */
typedef struct
{
  char utf8[6];
  guint8 len;
  int start;
  int end;
} FoldedChar;

/* the mark before a pinyin spelling's token: a control character, never a bigram */
#define PINYIN_MARK "\x01"

guint             _crm_search_fold_text      (const char        *text,
                                              gsize              n_text,
                                              FoldedChar        *out);
char             *_crm_search_fold_to_string (const char        *text);
gboolean          _crm_search_is_pinyin_word (const char        *word);
gboolean          _crm_search_is_tag_word    (const char        *folded);
GPtrArray        *_crm_search_split_words    (const char        *query,
                                              GArray           **n_chars);

typedef struct _CrmSearchPattern CrmSearchPattern;

GPtrArray        *_crm_search_split_tags    (const char        *tags);
char            **_crm_search_split_tags_as_typed (const char  *tags);
GPtrArray        *_crm_search_query_tags    (const char        *query);

CrmSearchPattern *_crm_search_pattern_new   (const char        *query);
void              _crm_search_pattern_free  (CrmSearchPattern  *pattern);
char             *_crm_search_trim_domains  (const char        *query);
/* How the index is laid out: with positions (detail=full), a word is the
 * phrase of its pairs, exact; without (detail=none, 4.3 times smaller), a
 * word of three characters or more is the AND of its pairs, and what the
 * index finds is checked by the rule. Measured at 100,000 contacts (issue
 * 19): index 38.4 MB and 9.0 MB; search p95 4.7 ms and 27 ms, digit pairs
 * being common ("8888": 12,304 candidates for 93 matches). */
typedef enum
{
  CRM_SEARCH_LAYOUT_POSITIONS,
  CRM_SEARCH_LAYOUT_PAIRS,
} CrmSearchLayout;

/* the layout of contacts_fts (0011-search-layout.sql) */
#define CRM_SEARCH_STORE_LAYOUT CRM_SEARCH_LAYOUT_POSITIONS

char             *_crm_search_build_match_for (const char      *query,
                                               CrmSearchLayout  layout,
                                               gboolean        *exact);
gboolean          _crm_search_pattern_match (CrmSearchPattern  *pattern,
                                             const char *const *fields,
                                             guint              n_fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSearchPattern, _crm_search_pattern_free)

/* crm-search-build.c */
#include "crm-search-build.h"

/* a write of at least so many contacts leaves the index to the build */
#define CRM_SEARCH_BULK_ROWS 1000

extern guint crm_search_build_chunk;

gboolean _crm_search_build_begin_bulk (sqlite3                *db,
                                       gboolean                if_empty,
                                       GError                **error);
void     _crm_search_build_after_bulk (CrmStore               *self,
                                       gboolean                background);
gboolean _crm_search_build_run        (sqlite3                *db,
                                       gboolean                one_go,
                                       CrmSearchBuildProgress  progress,
                                       gpointer                progress_data,
                                       GCancellable           *cancellable,
                                       GError                **error);

G_END_DECLS
