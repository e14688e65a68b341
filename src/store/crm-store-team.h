/* crm-store-team.h — the company's users as the team's server last listed
 * them (GET /v1/users): whom a contact's owner (负责人) is chosen from
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"
#include "crm-wire.h"

G_BEGIN_DECLS

/* Replaces the list with @users (element-type CrmWireUser) in one
 * transaction; emits CrmStore::team-users-changed only when the list
 * differs from the one kept. Two users of one name are refused. */
gboolean    crm_store_set_team_users   (CrmStore   *self,
                                        GPtrArray  *users,
                                        GError    **error);
/* (element-type CrmWireUser) the kept list, in the order of the names
 * (pinyin for Chinese, as the contact list); empty before the first
 * sign-in, and after Delete All */
GPtrArray  *crm_store_list_team_users  (CrmStore   *self,
                                        GError    **error);

G_END_DECLS
