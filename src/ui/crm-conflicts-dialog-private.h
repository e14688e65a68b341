/* crm-conflicts-dialog-private.h — what the conflicts dialog
 * (crm-conflicts-dialog.c) takes from crm-conflict-values.c: a synced
 * field's value as a person reads it, who changed it, why a change was
 * refused, and the other value put back as a normal edit
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store-sync.h"

G_BEGIN_DECLS

/* "张三 · Mobile": the record (its name, title, contact; "A deleted deal"
 * when it is gone here) and, when @field is not NULL, the field's label */
char     *_crm_conflict_title        (CrmStore           *store,
                                      CrmWireKind         kind,
                                      const char         *record_id,
                                      const char         *field);
/* a stored JSON value of @kind's @field as a person reads it: money as
 * money, a stage by its label, times in local time, a contact by name */
char     *_crm_conflict_readable     (CrmStore           *store,
                                      CrmWireKind         kind,
                                      const char         *field,
                                      const char         *json);
/* "Changed by wang · Nov 29, 2026, 17:03", or less when the server said less */
char     *_crm_conflict_who          (const char         *user,
                                      const char         *at);
/* Whether "Use the Other Value" can put @conflict's other value back:
 * FALSE with *@why NULL for a field that is not edited by hand (or a
 * record gone here), or with a sentence in *@why (the certification
 * locked or under review) */
gboolean  _crm_conflict_can_use_other (CrmStore          *store,
                                       const CrmConflict *conflict,
                                       char             **why);
/* The other value written back through the entity's save function (its
 * outbox row in the same transaction), then the conflict closed */
gboolean  _crm_conflict_use_other    (CrmStore           *store,
                                      const CrmConflict  *conflict,
                                      GError            **error);
/* Why the server refused a change, in the person's language where the
 * code of @last_error ("code: message") is known */
char     *_crm_rejection_reason      (const char         *last_error);
/* "Mobile: 139…; Notes: …": what a refused change held, shortly */
char     *_crm_rejection_values      (CrmStore           *store,
                                      CrmWireKind         kind,
                                      const char         *fields_json);

G_END_DECLS
