/* crm-wire.h — the sync protocol's JSON codec (v1), shared by the app's sync
 * engine and xiaohe-crm-server
 *
 * Every body that crosses the network is parsed here, strictly: a member of
 * the wrong type, an unknown member or field, an amount that is not an
 * integer, a stage that does not exist is CRM_WIRE_ERROR_MALFORMED with a
 * message that names it. Nothing in here does I/O. The protocol itself is
 * written down in docs/sync-protocol.md.
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CRM_WIRE_ERROR (crm_wire_error_quark ())

typedef enum
{
  CRM_WIRE_ERROR_MALFORMED,   /* not JSON, or not the shape of the protocol: 400 */
  CRM_WIRE_ERROR_TOO_LARGE,   /* over a limit below: 413 */
  CRM_WIRE_ERROR_INVALID,     /* well formed, but a core rule refuses a value */
} CrmWireError;

/* limits every parser enforces before it reads further */
#define CRM_WIRE_MAX_BODY        (16 * 1024 * 1024)  /* a push or pull body */
#define CRM_WIRE_MAX_MUTATIONS   1000                /* in one push */
#define CRM_WIRE_MAX_CHANGES     1000                /* in one pull page */
#define CRM_WIRE_MAX_DEPTH       8                   /* nesting of a body */

typedef enum
{
  CRM_WIRE_KIND_CONTACT,          /*< nick=contact >*/
  CRM_WIRE_KIND_DEAL,             /*< nick=deal >*/
  CRM_WIRE_KIND_FOLLOWUP,         /*< nick=followup >*/
  CRM_WIRE_KIND_CERTIFICATION,    /*< nick=certification >*/
  CRM_WIRE_N_KINDS                /*< skip >*/
} CrmWireKind;

typedef enum
{
  CRM_WIRE_OP_UPSERT,             /*< nick=upsert >*/
  CRM_WIRE_OP_DELETE,             /*< nick=delete >*/
} CrmWireOp;

typedef enum
{
  CRM_WIRE_STATUS_APPLIED,        /*< nick=applied >*/
  CRM_WIRE_STATUS_DUPLICATE,      /*< nick=duplicate >*/
  CRM_WIRE_STATUS_REJECTED,       /*< nick=rejected >*/
} CrmWireStatus;

/* One change a client made. @fields holds only the fields that changed
 * (all of them for a new record, none for a delete), under the store's
 * column names (docs/sync-protocol.md lists them per kind). */
typedef struct
{
  char        *mutation_id;       /* UUID */
  CrmWireKind  kind;
  char        *id;                /* the record's UUID */
  CrmWireOp    op;
  gint64       base_version;      /* the server version the edit was made on; 0: new */
  JsonObject  *fields;            /* never NULL */
} CrmWireMutation;

/* The server's answer to one mutation. */
typedef struct
{
  char          *mutation_id;
  CrmWireStatus  status;
  gint64         version;         /* the record's version after it; 0 if rejected */
  GStrv          conflicts;       /* fields changed on both sides; NULL or empty: none.
                                     "deleted" when an edit brought a deleted record back */
  JsonObject    *conflict_values; /* extension: field → the value that lost; may be NULL */
  char          *error;           /* a code when rejected (docs/sync-protocol.md), else NULL */
  char          *message;         /* extension: a sentence for the user when rejected */
  JsonObject    *conflict_by;     /* extension: field → the user name who last set the
                                     value that lost; may be NULL, and may name fewer
                                     fields than conflicts */
  JsonObject    *conflict_at;     /* extension: field → when (UTC ISO 8601, the server's
                                     clock) that value was set; may be NULL */
} CrmWireResult;

/* One record as it is now on the server, in a pull page. @fields holds all
 * of the record's fields. */
typedef struct
{
  gint64       seq;
  CrmWireKind  kind;
  char        *id;
  gint64       version;
  gboolean     deleted;
  JsonObject  *fields;            /* never NULL */
  char        *updated_by;        /* the user's name */
  char        *updated_at;        /* extension: UTC ISO 8601, the server's clock */
  char        *fields_json;       /* NULL, or @fields as the text of a JSON object that
                                     crm_wire_build_pull_response() writes verbatim in
                                     place of @fields (the server's stored, already
                                     judged text: not parsed and written again) */
} CrmWireChange;

typedef struct
{
  char      *server_epoch;        /* UUID */
  gint64     epoch_base;          /* extension: the company's last seq when this epoch
                                     began (what a restored server still has); 0 for
                                     the first epoch */
  GPtrArray *changes;             /* (element-type CrmWireChange) */
  gint64     next_cursor;
  gboolean   has_more;
} CrmWirePull;

typedef struct
{
  char *company;                  /* the company's slug */
  char *user;
  char *password;                 /* wiped (memset) by crm_wire_login_free() */
  char *device;
} CrmWireLogin;

typedef struct
{
  char *token;
  char *user_id;
  char *company_id;
  char *user_name;
} CrmWireSession;

typedef struct
{
  char *id;
  char *kind;                     /* "pricing" | "terms" */
  char *title;
  char *body;
  char *published_at;             /* UTC ISO 8601 */
  char *effective_at;             /* YYYY-MM-DD */
  char *terms_version;            /* may be NULL */
} CrmWireNotice;

/* One of the company's users (GET /v1/users, an extension): the name is
 * what a contact's owner (负责人) holds */
typedef struct
{
  char *id;                       /* UUID */
  char *name;
} CrmWireUser;

/* users in one answer: a company has far fewer */
#define CRM_WIRE_MAX_USERS       10000

GQuark            crm_wire_error_quark           (void);

const char       *crm_wire_kind_to_string        (CrmWireKind        kind);
gboolean          crm_wire_kind_from_string      (const char        *text,
                                                  CrmWireKind       *kind);
const char       *crm_wire_op_to_string          (CrmWireOp          op);
gboolean          crm_wire_op_from_string        (const char        *text,
                                                  CrmWireOp         *op);
const char       *crm_wire_status_to_string      (CrmWireStatus      status);
gboolean          crm_wire_status_from_string    (const char        *text,
                                                  CrmWireStatus     *status);
gboolean          crm_wire_is_uuid               (const char        *text);
char             *crm_wire_new_uuid              (void);

/* The field names of @kind, NULL-terminated, in the order the store has them. */
const char *const *crm_wire_kind_fields          (CrmWireKind        kind);

/* Shape: each member of @fields is a field of @kind with the JSON type the
 * protocol gives it (string, integer, null where allowed; amount_fen and
 * probability integers in range; stage, currency and status from their
 * lists; dates and UUIDs well formed). A partial set is fine. */
gboolean          crm_wire_check_fields          (CrmWireKind        kind,
                                                  JsonObject        *fields,
                                                  GError           **error);

/* Rules: @record is a whole record of @kind (missing fields count as their
 * empty default); the core's rules (crm_validate_contact, crm_validate_deal,
 * the USCC) judge it exactly as the app's editors do, and the normalised
 * values replace the typed ones in @record, so that every copy stores the
 * same text. CRM_WIRE_ERROR_INVALID names the field in @failed_field. */
gboolean          crm_wire_validate_record       (CrmWireKind        kind,
                                                  JsonObject        *record,
                                                  char             **failed_field,
                                                  GError           **error);

CrmWireMutation  *crm_wire_mutation_new          (void);
void              crm_wire_mutation_free         (CrmWireMutation   *self);
CrmWireResult    *crm_wire_result_new            (void);
void              crm_wire_result_free           (CrmWireResult     *self);
CrmWireChange    *crm_wire_change_new            (void);
void              crm_wire_change_free           (CrmWireChange     *self);
CrmWirePull      *crm_wire_pull_new              (void);
void              crm_wire_pull_free             (CrmWirePull       *self);
void              crm_wire_login_free            (CrmWireLogin      *self);
void              crm_wire_session_free          (CrmWireSession    *self);
void              crm_wire_notice_free           (CrmWireNotice     *self);

/* Bodies. Each build_ returns a NUL-terminated UTF-8 JSON text (its length
 * in @length); each parse_ takes bytes from the network (not necessarily
 * NUL-terminated nor UTF-8) and refuses what is not exactly the protocol. */
char             *crm_wire_build_push_request    (const char        *client_id,
                                                  GPtrArray         *mutations,
                                                  gsize             *length);
gboolean          crm_wire_parse_push_request    (const char        *data,
                                                  gsize              length,
                                                  char             **client_id,
                                                  GPtrArray        **mutations,
                                                  GError           **error);
char             *crm_wire_build_push_response   (GPtrArray         *results,
                                                  gsize             *length);
gboolean          crm_wire_parse_push_response   (const char        *data,
                                                  gsize              length,
                                                  GPtrArray        **results,
                                                  GError           **error);
char             *crm_wire_build_pull_response   (const CrmWirePull *pull,
                                                  gsize             *length);
CrmWirePull      *crm_wire_parse_pull_response   (const char        *data,
                                                  gsize              length,
                                                  GError           **error);
char             *crm_wire_build_login_request   (const CrmWireLogin *login,
                                                  gsize             *length);
CrmWireLogin     *crm_wire_parse_login_request   (const char        *data,
                                                  gsize              length,
                                                  GError           **error);
char             *crm_wire_build_session         (const CrmWireSession *session,
                                                  gsize             *length);
CrmWireSession   *crm_wire_parse_session         (const char        *data,
                                                  gsize              length,
                                                  GError           **error);
char             *crm_wire_build_notices         (GPtrArray         *notices,
                                                  gsize             *length);
GPtrArray        *crm_wire_parse_notices         (const char        *data,
                                                  gsize              length,
                                                  GError           **error);
/* crm-wire-users.c: {"users": [{"id", "name"}]}, by name; the parser
 * refuses a name that is empty, over 256 bytes or given twice */
void              crm_wire_user_free             (CrmWireUser       *self);
char             *crm_wire_build_users           (GPtrArray         *users,
                                                  gsize             *length);
GPtrArray        *crm_wire_parse_users           (const char        *data,
                                                  gsize              length,
                                                  GError           **error);
/* {"error": code, "message": text} plus, for 410, "server_epoch" and
 * "epoch_base" (docs/sync-protocol.md); @extra may be NULL */
char             *crm_wire_build_error           (const char        *code,
                                                  const char        *message,
                                                  JsonObject        *extra,
                                                  gsize             *length);
gboolean          crm_wire_parse_error           (const char        *data,
                                                  gsize              length,
                                                  char             **code,
                                                  char             **message,
                                                  JsonObject       **extra);
/* Any JSON object kept as text (the fields of a stored mutation or
 * change), through the same checks as a body: size, UTF-8, depth, number
 * of values, a member named twice. Never recurses deeper than
 * CRM_WIRE_MAX_DEPTH, whatever @data holds. */
JsonObject       *crm_wire_parse_object          (const char        *data,
                                                  gsize              length,
                                                  GError           **error);
/* The checks of crm_wire_parse_object() that need no parse (size, UTF-8,
 * strict JSON tokens, depth, number of values) and that @data is one JSON
 * object; for text that this program wrote itself and passes on as it is
 * (a server's stored record). Not a full parse: what passes may still be
 * refused by a parser (a member without its value). */
gboolean          crm_wire_check_object_text     (const char        *data,
                                                  gsize              length,
                                                  GError           **error);
/* @object (NULL: {}) as compact JSON text, what json_to_string() writes,
 * several times faster: for the texts a server stores per record */
char             *crm_wire_object_to_text        (JsonObject        *object,
                                                  gsize             *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWireMutation, crm_wire_mutation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWireResult, crm_wire_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWireChange, crm_wire_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWirePull, crm_wire_pull_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWireLogin, crm_wire_login_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWireSession, crm_wire_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWireNotice, crm_wire_notice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWireUser, crm_wire_user_free)

G_END_DECLS
