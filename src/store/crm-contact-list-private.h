/* crm-contact-list-private.h — the contact list's insides, shared by its files
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * crm-contact-list.c pages, searches and follows the store's changes;
 * crm-contact-list-order.c shows the "last followed up" order, the
 * "not followed up" filter and the owner filter ("My customers") through
 * the same array of local ids.
 */
#pragma once

#include "crm-contact-anchors.h"
#include "crm-contact-list.h"
#include "crm-contact-order.h"
#include "crm-contact-search.h"
#include "crm-page-cache.h"

G_BEGIN_DECLS

struct _CrmContactList
{
  GObject       parent_instance;

  CrmStore     *store;
  char         *query;
  GArray       *filter;         /* local ids in list order, or NULL for all */
  char         *filter_query;   /* the query that gave filter */
  guint         n_items;

  CrmPageCache *pages;          /* of CrmContact */
  CrmContactAnchors *anchors;   /* for far jumps in the whole list, or NULL */
  GCancellable *anchors_cancellable;

  CrmContactSearch *search;     /* the worker, its connection also the anchors' */
  guint         partial_len;    /* filter holds only the first results */
  guint         change_serial;
  guint         searching : 1;

  CrmContactListOrder order;    /* the order asked for */
  guint         stale_days;     /* 0: no filter */
  CrmContactListOrder filter_order; /* the order of filter */
  char         *stale_before;   /* the cutoff filter was made with, or NULL */
  char         *owner;          /* only this owner's contacts ("My customers"), or NULL */
  char         *filter_owner;   /* the owner filter was made with, or NULL */
  GCancellable *arrange_cancellable;
  CrmContactOrder *arranged_by; /* the worker's, under the reader's lock */
  guint         arranged_serial;
};

/* crm-contact-list.c */
void     _crm_contact_list_set_contents  (CrmContactList *self,
                                          GArray         *filter,
                                          guint           n_items,
                                          guint           position,
                                          guint           removed,
                                          guint           added);
void     _crm_contact_list_run_query     (CrmContactList *self,
                                          const char     *query);

/* crm-contact-list-order.c */
gboolean _crm_contact_list_needs_arrange (CrmContactList *self);
void     _crm_contact_list_arrange       (CrmContactList *self,
                                          GArray         *candidates,
                                          const char     *query);
gboolean _crm_contact_list_still_listed  (CrmContactList *self,
                                          sqlite3        *db,
                                          gint64          rowid);

G_END_DECLS
