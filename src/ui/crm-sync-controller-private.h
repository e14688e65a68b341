/* crm-sync-controller-private.h — what the controller's two files share:
 * crm-sync-controller.c (the status, the schedule, the actions) and
 * crm-sync-controller-account.c (signing in and out)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-sync-controller.h"

G_BEGIN_DECLS

struct _CrmSyncController
{
  GObject        parent_instance;

  CrmStore      *store;
  char          *account_path;
  char          *server;
  char          *company;
  char          *user;
  char          *pinned;

  CrmSyncClient *client;        /* NULL while signed out */
  GCancellable  *cancellable;   /* the keyring lookup and the rounds */
  gboolean       busy;          /* a sign-in or sign-out under way */
  gboolean       syncing;
  gboolean       again;         /* a change came during the round */
  guint          debounce_source;
  guint          period_source;
  GDateTime     *last_synced;
  char          *status_text;
  char          *status_detail;
  char          *start_error;   /* the keyring could not be read */
  guint          n_conflicts;   /* open ones, counted after each round */

  GSimpleAction *sign_in_action;
  GSimpleAction *sync_action;
  GSimpleAction *sign_out_action;
  GSimpleAction *conflicts_action;
};

/* a sign-in or sign-out under way: the actions follow */
void     _crm_sync_controller_set_busy       (CrmSyncController  *self,
                                              gboolean            busy);
/* the account (not the token) beside the data */
gboolean _crm_sync_controller_save_account   (CrmSyncController  *self,
                                              GError            **error);
/* the signed-in client, or NULL when signed out */
void     _crm_sync_controller_set_client     (CrmSyncController  *self,
                                              CrmSyncClient      *client);
/* a round in @seconds (0: at once) */
void     _crm_sync_controller_schedule_round (CrmSyncController  *self,
                                              guint               seconds);

/* After each round that succeeded, what the server says besides the
 * records: the company's users (crm-sync-controller-users.c) and the
 * notices (crm-sync-controller-notices.c), each fetched asynchronously
 * and kept in the store; a failure there leaves the round's status alone. */
void     _crm_sync_controller_fetch_users    (CrmSyncController  *self);
void     _crm_sync_controller_fetch_notices  (CrmSyncController  *self);

G_END_DECLS
