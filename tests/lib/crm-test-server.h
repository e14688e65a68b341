/* crm-test-server.h — a real xiaohe-crm-server for the tests and benchmarks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture runs the built binary (its path in XIAOHE_CRM_SERVER, set by
 * tests/meson.build) on a new temporary data folder: `init DIR` at once,
 * `add-company`/`add-user` through the command line, `serve` on a loopback
 * port the system picks (the same port again after a stop), over HTTP or
 * HTTPS with a self-signed certificate made by openssl. Every wait has a
 * deadline; a failure fails the test, with the server's log printed.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _CrmTestServer CrmTestServer;

/* a new temporary DIR and `init DIR`; when crm_test_pg_wanted (), on a
 * new database of the test's PostgreSQL cluster (`init DIR --database URL`) */
CrmTestServer *crm_test_server_new             (void);
/* a new temporary DIR and `init DIR --database @database`: a second `serve`
 * process on the database of another fixture */
CrmTestServer *crm_test_server_new_on          (const char    *database);
/* the PostgreSQL URL the fixture's server uses, or NULL for SQLite */
const char    *crm_test_server_get_database    (CrmTestServer *s);
void           crm_test_server_add_company     (CrmTestServer *s,
                                                const char    *slug,
                                                const char    *name);
/* the password goes on standard input, never on the command line */
void           crm_test_server_add_user        (CrmTestServer *s,
                                                const char    *slug,
                                                const char    *user,
                                                const char    *password);
/* an environment variable for the `serve` processes started from now on
 * (LD_PRELOAD of libfaketime, say); @value NULL unsets it */
void           crm_test_server_setenv          (CrmTestServer *s,
                                                const char    *name,
                                                const char    *value);
/* `serve --listen 127.0.0.1:PORT` (0 the first time, then the same port);
 * returns once GET /v1/health answers 200, or fails the test */
/* the date the server takes for today (its hidden --today option), from
 * the next start on; NULL: the real one */
void           crm_test_server_set_today       (CrmTestServer *s,
                                                const char    *date);
void           crm_test_server_start           (CrmTestServer *s);
/* the same over HTTPS, with a self-signed certificate (CN localhost,
 * SAN IP:127.0.0.1 and DNS:localhost) made once per fixture */
void           crm_test_server_start_tls       (CrmTestServer *s);
/* SIGTERM, waits with a deadline, asserts exit status 0 */
void           crm_test_server_stop            (CrmTestServer *s);
/* SIGKILL, reaped */
void           crm_test_server_kill            (CrmTestServer *s);
/* whether the server process runs (started and not yet exited) */
gboolean       crm_test_server_is_running      (CrmTestServer *s);
/* the running server's process id (for /proc/PID: memory, files) */
int            crm_test_server_get_pid         (CrmTestServer *s);

/* "http(s)://127.0.0.1:PORT" as `serve` printed it; NULL before a start */
const char    *crm_test_server_get_url         (CrmTestServer *s);
const char    *crm_test_server_get_dir         (CrmTestServer *s);
/* the self-signed certificate (PEM), made on the first call or TLS start */
const char    *crm_test_server_get_ca_file     (CrmTestServer *s);
/* SHA-256 of the certificate's DER, lowercase hex */
char          *crm_test_server_get_cert_sha256 (CrmTestServer *s);
/* everything the server wrote on standard error so far, over all starts */
char          *crm_test_server_get_log         (CrmTestServer *s);

/* Runs `xiaohe-crm-server COMMAND DIR ARGS…` (a NULL-terminated list after
 * @command) with @stdin_text (NULL: an empty one) on standard input; returns its
 * standard output followed by its standard error and puts its exit status
 * (0–255, or -1 when killed by a signal) in @status. */
char          *crm_test_server_run             (CrmTestServer *s,
                                                int           *status,
                                                const char    *stdin_text,
                                                const char    *command,
                                                ...) G_GNUC_NULL_TERMINATED;

/* Raw HTTP, for the tests that must send what a client never would.
 * @path is appended to the URL as it is (with its query); @token adds
 * "Authorization: Bearer TOKEN"; @content_type and @body may be NULL.
 * Returns the status (a SoupStatus; 0 for a transport or TLS error), the
 * body in @response and the response headers (lowercase names) in
 * @headers, both optional. Times out after 30 s. */
guint          crm_test_http                   (CrmTestServer *s,
                                                const char    *method,
                                                const char    *path,
                                                const char    *token,
                                                const char    *content_type,
                                                GBytes        *body,
                                                GBytes       **response,
                                                GHashTable   **headers);
/* crm_test_http with a JSON text body (@json_body may be NULL: no body);
 * the answer's body as text (NUL-terminated) in @response_text, optional */
guint          crm_test_http_json              (CrmTestServer *s,
                                                const char    *method,
                                                const char    *path,
                                                const char    *token,
                                                const char    *json_body,
                                                char         **response_text);
/* POST /v1/auth/login, asserting 200; returns the token */
char          *crm_test_server_login           (CrmTestServer *s,
                                                const char    *slug,
                                                const char    *user,
                                                const char    *password);

/* JSON, for the answers. A new reference, or NULL when @text is not a
 * JSON object. */
JsonObject    *crm_test_json_object            (const char    *text);
/* asserts @status is @want_status and @text is {"error": @want_code,
 * "message": a non-empty string, …} */
void           crm_test_assert_error           (guint          status,
                                                const char    *text,
                                                guint          want_status,
                                                const char    *want_code);
/* one mutation's JSON text for a push; @fields_json NULL: {} */
char          *crm_test_mutation_json          (const char    *kind,
                                                const char    *id,
                                                const char    *op,
                                                gint64         base_version,
                                                const char    *fields_json);
/* POST /v1/sync/push of the mutations (JSON texts, NULL-terminated),
 * asserting 200 and one result per mutation; returns the answer */
JsonObject    *crm_test_server_push            (CrmTestServer *s,
                                                const char    *token,
                                                const char    *client_id,
                                                ...) G_GNUC_NULL_TERMINATED;
/* GET /v1/sync/pull?cursor=@cursor&limit=1000, asserting 200 */
JsonObject    *crm_test_server_pull            (CrmTestServer *s,
                                                const char    *token,
                                                gint64         cursor);
/* the change of record @id in a pull's answer, or NULL (borrowed) */
JsonObject    *crm_test_pull_find              (JsonObject    *pull,
                                                const char    *id);
/* the result @index of a push's answer (borrowed) */
JsonObject    *crm_test_push_result            (JsonObject    *push,
                                                guint          index);

/* With the server stopped: a copy of its whole storage (DIR/server.sqlite3,
 * or the PostgreSQL database), as an operator's backup; restore puts the
 * storage back as the copy was (a restore from that backup). */
void           crm_test_server_save_copy       (CrmTestServer *s);
void           crm_test_server_restore_copy    (CrmTestServer *s);
/* the company's sequence as stored: every change it committed */
gint64         crm_test_server_company_seq     (CrmTestServer *s,
                                                const char    *slug);

/* stops (SIGKILL if it must), removes DIR */
void           crm_test_server_free            (CrmTestServer *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTestServer, crm_test_server_free)

G_END_DECLS
