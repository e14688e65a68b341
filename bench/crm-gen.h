/* crm-gen.h — a deterministic generator of realistic contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-contact.h"

G_BEGIN_DECLS

typedef struct _CrmGen CrmGen;

CrmGen     *crm_gen_new      (guint32  seed);
void        crm_gen_free     (CrmGen  *gen);
CrmContact *crm_gen_contact  (CrmGen  *gen);
GPtrArray  *crm_gen_batch    (CrmGen  *gen,
                              guint    n);
gint32      crm_gen_int      (CrmGen  *gen,
                              gint32   begin,
                              gint32   end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmGen, crm_gen_free)

G_END_DECLS
