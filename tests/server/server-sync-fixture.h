/* server-sync-fixture.h — what the tests of the server's sync logic share:
 * a real SQLite storage in a temporary folder with two companies, and
 * mutations pushed and records read straight through crm-server-sync.c
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-server-sqlite.h"
#include "crm-server-sync.h"

G_BEGIN_DECLS

#define CLIENT_X "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
#define CLIENT_Y "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
#define CONTACT  "c0000000-0000-4000-8000-000000000001"
#define CONTACT2 "c0000000-0000-4000-8000-000000000002"
#define DEAL     "d0000000-0000-4000-8000-000000000001"
#define DEAL2    "d0000000-0000-4000-8000-000000000002"
#define FOLLOWUP "f0000000-0000-4000-8000-000000000001"
#define WHEN     "\"happened_at\": \"2026-11-29T08:00:00Z\", "
#define SHA      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define DEAL_FIELDS(contact) \
  "{\"title\": \"Pumps\", \"stage\": \"lead\", \"currency\": \"CNY\", \"amount_fen\": 100," \
  " \"contact_id\": " contact "}"

typedef struct
{
  char             *dir;
  CrmServerStorage *storage;
  CrmServerCompany *a;
  CrmServerCompany *b;
  CrmServerActor    actor_a;
  CrmServerActor    actor_b;
} Fixture;

/* fixture_set_up(): a new storage with the companies a ("alpha") and b
 * ("beta") and an actor of each; fixture_open(): the same folder again */
void             fixture_set_up    (Fixture               *f,
                                    gconstpointer          data);
void             fixture_tear_down (Fixture               *f,
                                    gconstpointer          data);
void             fixture_open      (Fixture               *f);
/* a mutation with a new mutation id; @fields_json NULL for none */
CrmWireMutation *mutation          (const char            *kind,
                                    const char            *id,
                                    const char            *op,
                                    gint64                 base_version,
                                    const char            *fields_json);
/* pushes @m alone (taking it): its result; push_applied() asserts it applied */
CrmWireResult   *push_one          (Fixture               *f,
                                    const CrmServerActor  *actor,
                                    const char            *client_id,
                                    CrmWireMutation       *m);
gint64           push_applied      (Fixture               *f,
                                    const CrmServerActor  *actor,
                                    const char            *client_id,
                                    CrmWireMutation       *m);
void             assert_rejected   (CrmWireResult         *result,
                                    const char            *code);
CrmServerRecord *get_record        (Fixture               *f,
                                    const char            *company_id,
                                    const char            *kind,
                                    const char            *id);
JsonObject      *record_fields     (const CrmServerRecord *record);
void             assert_field      (Fixture               *f,
                                    const char            *company_id,
                                    const char            *kind,
                                    const char            *id,
                                    const char            *field,
                                    const char            *want);
CrmWirePull     *pull              (Fixture               *f,
                                    const char            *company_id,
                                    gint64                 cursor,
                                    guint                  limit);
CrmWireChange   *find_change       (CrmWirePull           *page,
                                    const char            *id);
gint64           company_seq       (Fixture               *f,
                                    const char            *company_id);

G_END_DECLS
