/* crm-test-pg.h — a throw-away PostgreSQL 15 cluster for the server's tests
 * and benchmarks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `initdb` in a new temporary folder (run as the postgres user when the
 * test runs as root, which initdb refuses), `pg_ctl start` on a free
 * loopback port with its socket in that folder, trust authentication for
 * loopback only. Each database handed out is new (CREATE DATABASE), so
 * fixtures in one test process never see each other's data. Every wait has
 * a deadline; a failure fails the test with the cluster's log printed. The
 * programs come from PG_BINDIR, else /usr/lib/postgresql/15/bin
 * (build-aux/install-deps test installs them).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _CrmTestPg CrmTestPg;

/* The process's one cluster: made and started on the first call, stopped
 * and removed when the process exits. */
CrmTestPg  *crm_test_pg_get            (void);
/* a new, empty database; returns its URL,
 * postgresql://postgres@127.0.0.1:PORT/NAME */
char       *crm_test_pg_new_database   (CrmTestPg  *pg);
/* `pg_ctl stop -m fast` (connections are cut), waits for it */
void        crm_test_pg_stop           (CrmTestPg  *pg);
/* `pg_ctl start` again on the same port; returns once it accepts
 * connections */
void        crm_test_pg_start          (CrmTestPg  *pg);
gboolean    crm_test_pg_is_running     (CrmTestPg  *pg);
int         crm_test_pg_get_port       (CrmTestPg  *pg);
/* Runs @sql (one statement) on the database of @url; returns the first
 * column of the first row as text (NULL for no row or SQL NULL). Fails
 * the test when the statement fails. */
char       *crm_test_pg_query          (const char *url,
                                        const char *sql);

/* A backup of @url's database and its restore: the database copied to
 * NAME_copy (CREATE DATABASE … TEMPLATE, which needs no connection open to
 * it), or (@restore) dropped and made again from that copy. */
void        crm_test_pg_copy_database  (const char *url,
                                        gboolean    restore);
/* every row of every table of @url's database, as text (the XML of
 * query_to_xml, table by table in name order): for tests that look for
 * what must never be stored */
char       *crm_test_pg_dump           (const char *url);
/* "TABLE ROWS; …" for every table of @url's database, by name: for tests
 * that check that a refused request left no row anywhere */
char       *crm_test_pg_counts         (const char *url);

/* TRUE when XIAOHE_CRM_TEST_BACKEND is "postgresql": the server's tests
 * (tests/meson.build runs them a second time so) put their servers on a
 * database of crm_test_pg_get () */
gboolean    crm_test_pg_wanted         (void);

G_END_DECLS
