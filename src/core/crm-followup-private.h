/* crm-followup-private.h — store-side access to a follow-up
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-followup.h"

G_BEGIN_DECLS

gint64  _crm_followup_get_rowid  (CrmFollowup *self);
void    _crm_followup_set_stored (CrmFollowup *self,
                                  gint64       rowid,
                                  const char  *id);
void    _crm_followup_set_row    (CrmFollowup *self,
                                  const char  *contact_name,
                                  const char  *deal_title,
                                  const char  *done_at,
                                  const char  *snoozed_until,
                                  const char  *created_at,
                                  const char  *updated_at);
char   *_crm_followup_now_utc    (void);

G_END_DECLS
