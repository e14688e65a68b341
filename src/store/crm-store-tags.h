/* crm-store-tags.h — the tags the store's contacts already have, for
 * completing the one being typed
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* (element-type utf8) the distinct tags of live contacts that start with
 * @prefix once both are folded as the search folds them (case, full-width
 * forms, spaces and hyphens), each as one of its contacts spells it; the
 * most used first, then in the list's order of names; at most @limit (0:
 * all). An empty @prefix gives the most used tags. */
GPtrArray  *crm_store_list_tags  (CrmStore    *self,
                                  const char  *prefix,
                                  guint        limit,
                                  GError     **error);
/* the pieces of @tags between its separators ("," "，" "、" ";" "；") as
 * typed: neither folded nor trimmed, the empty ones kept */
char      **crm_store_split_tags (const char  *tags);
/* @tag folded as crm_store_list_tags() compares tags: two spellings of one
 * tag ("VIP", "vip ") fold to the same text; "" for no tag */
char       *crm_store_fold_tag   (const char  *tag);

G_END_DECLS
