/* crm-test-util.h — the store fixture and small helpers for the tests and benchmarks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real xiaohe-crm-server on a free port is crm-test-server.h's
 * (crm_test_server_dep), so that only what needs it links libsoup.
 */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "crm-certification.h"
#include "crm-contact.h"
#include "crm-license-file.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* A store in a new temporary folder; the folder is removed by
 * crm_test_store_free(). */
typedef struct
{
  char     *dir;
  CrmStore *store;
} CrmTestStore;

/* an async call's result, for crm_test_waiter_done() as its callback and
 * crm_test_wait_flag (&waiter.done, seconds) */
typedef struct
{
  gboolean      done;
  GAsyncResult *result;   /* the caller unrefs it */
} CrmTestWaiter;

/* whether a wait is over; see crm_test_wait_until() */
typedef gboolean (*CrmTestCondition) (gpointer data);

void            crm_test_rm_rf         (const char       *path);
guint           crm_test_count_files   (const char       *folder,
                                        const char       *suffix);
char           *crm_test_make_tmp_dir  (void);

void            crm_test_wait_until    (CrmTestCondition  done,
                                        gpointer          data,
                                        guint             seconds);
void            crm_test_wait_flag     (gboolean         *flag,
                                        guint             seconds);
void            crm_test_wait_finalize (gpointer          object);
void            crm_test_waiter_done   (GObject          *source,
                                        GAsyncResult     *result,
                                        gpointer          waiter);

CrmTestStore   *crm_test_store_new     (void);
void            crm_test_store_free    (CrmTestStore     *ts);

/* The company crm_test_sign_in() sets. A store queues its edits in the
 * outbox only once it has a company (0013-outbox-quiet.sql): a test of
 * what is queued signs in first, as the app does before it syncs. */
#define CRM_TEST_COMPANY_ID "5b0f3c1e-7a2d-4c8e-9f10-2a3b4c5d6e7f"
void            crm_test_sign_in       (CrmStore         *store);
CrmTestStore   *crm_test_store_new_signed_in (void);

CrmContact     *crm_test_contact       (const char       *name,
                                        const char       *mobile,
                                        const char       *email);
CrmContact     *crm_test_add           (CrmStore         *store,
                                        const char       *name,
                                        const char       *mobile,
                                        const char       *email);

/* a whole certification (name, USCC, representative, address) naming
 * @license, ready to save and submit */
CrmCertification *crm_test_certification (CrmLicenseFile *license);
CrmLicenseFile *crm_test_license_png   (int               width,
                                        int               height,
                                        guint32           rgba);

/* SQL straight on the store's database (the test fails on an error) */
void            crm_test_exec          (CrmStore         *store,
                                        const char       *sql);
gint64          crm_test_query_int     (CrmStore         *store,
                                        const char       *sql);
char           *crm_test_query_text    (CrmStore         *store,
                                        const char       *sql);

G_END_DECLS
