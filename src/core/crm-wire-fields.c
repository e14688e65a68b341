/* crm-wire-fields.c — the sync protocol's names and fields: kinds, ops and
 * statuses as text, UUIDs, the fields of each kind, their shape
 * (crm_wire_check_fields) and their rules (crm_wire_validate_record)
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tables follow the "Fields" table of docs/sync-protocol.md, under the
 * store's column names and in the store's order.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-certification.h"
#include "crm-contact.h"
#include "crm-deal-private.h"
#include "crm-followup.h"
#include "crm-uscc.h"
#include "crm-validate.h"
#include "crm-wire-private.h"

static const char *const kind_names[CRM_WIRE_N_KINDS] = {
  [CRM_WIRE_KIND_CONTACT] = "contact",
  [CRM_WIRE_KIND_DEAL] = "deal",
  [CRM_WIRE_KIND_FOLLOWUP] = "followup",
  [CRM_WIRE_KIND_CERTIFICATION] = "certification",
};

static const char *const op_names[] = {
  [CRM_WIRE_OP_UPSERT] = "upsert",
  [CRM_WIRE_OP_DELETE] = "delete",
};

static const char *const status_names[] = {
  [CRM_WIRE_STATUS_APPLIED] = "applied",
  [CRM_WIRE_STATUS_DUPLICATE] = "duplicate",
  [CRM_WIRE_STATUS_REJECTED] = "rejected",
};

static gboolean
lookup (const char        *text,
        const char *const *names,
        guint              n_names,
        guint             *index)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    if (strcmp (text, names[i]) == 0)
      {
        if (index != NULL)
          *index = i;
        return TRUE;
      }
  return FALSE;
}

const char *
crm_wire_kind_to_string (CrmWireKind kind)
{
  g_return_val_if_fail ((guint)kind < CRM_WIRE_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
crm_wire_kind_from_string (const char  *text,
                           CrmWireKind *kind)
{
  guint i;

  if (!lookup (text, kind_names, G_N_ELEMENTS (kind_names), &i))
    return FALSE;
  if (kind != NULL)
    *kind = i;
  return TRUE;
}

const char *
crm_wire_op_to_string (CrmWireOp op)
{
  g_return_val_if_fail ((guint)op < G_N_ELEMENTS (op_names), NULL);
  return op_names[op];
}

gboolean
crm_wire_op_from_string (const char *text,
                         CrmWireOp  *op)
{
  guint i;

  if (!lookup (text, op_names, G_N_ELEMENTS (op_names), &i))
    return FALSE;
  if (op != NULL)
    *op = i;
  return TRUE;
}

const char *
crm_wire_status_to_string (CrmWireStatus status)
{
  g_return_val_if_fail ((guint)status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
crm_wire_status_from_string (const char    *text,
                             CrmWireStatus *status)
{
  guint i;

  if (!lookup (text, status_names, G_N_ELEMENTS (status_names), &i))
    return FALSE;
  if (status != NULL)
    *status = i;
  return TRUE;
}

/**
 * crm_wire_is_uuid:
 *
 * Returns: whether @text is a UUID as the protocol writes it: 36
 *   characters, lowercase hex digits in groups of 8-4-4-4-12.
 */
gboolean
crm_wire_is_uuid (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
        return FALSE;
    }
  return text[36] == '\0';
}

/**
 * crm_wire_new_uuid:
 *
 * Returns: (transfer full): a new random (version 4) UUID, lowercase.
 */
char *
crm_wire_new_uuid (void)
{
  return g_uuid_string_random ();
}

/* What a field may hold */
enum
{
  ALLOW_STRING = 1 << 0,
  ALLOW_INT = 1 << 1,
  ALLOW_NULL = 1 << 2,
};

/* What a field's value must be, beyond its JSON type */
typedef enum
{
  CHECK_NONE,
  CHECK_AMOUNT,       /* 0 to G_MAXINT64 fen: crm_money_parse()'s range */
  CHECK_PROBABILITY,  /* 0 to 100 */
  CHECK_STAGE,        /* a CrmDealStage nick */
  CHECK_CURRENCY,     /* "CNY" */
  CHECK_STATUS,       /* a CrmCertificationStatus name */
  CHECK_DATE,         /* YYYY-MM-DD, a day of the calendar */
  CHECK_DATE_TIME,    /* UTC ISO 8601 */
  CHECK_SHA256,       /* 64 lowercase hex digits */
  CHECK_UUID,
  CHECK_SIZE,         /* ≥ 0 */
  CHECK_FOLLOWUP_KIND, /* a CrmFollowupKind nick */
} FieldCheck;

typedef struct
{
  const char *name;
  guint       allow;
  FieldCheck  check;
} FieldInfo;

static const FieldInfo contact_fields[] = {
  { "name", ALLOW_STRING, CHECK_NONE },
  { "company", ALLOW_STRING, CHECK_NONE },
  { "title", ALLOW_STRING, CHECK_NONE },
  { "mobile", ALLOW_STRING, CHECK_NONE },
  { "phone", ALLOW_STRING, CHECK_NONE },
  { "email", ALLOW_STRING, CHECK_NONE },
  { "wechat", ALLOW_STRING, CHECK_NONE },
  { "address", ALLOW_STRING, CHECK_NONE },
  { "tags", ALLOW_STRING, CHECK_NONE },
  { "notes", ALLOW_STRING, CHECK_NONE },
  { "owner", ALLOW_STRING, CHECK_NONE },
};

static const FieldInfo deal_fields[] = {
  { "title", ALLOW_STRING, CHECK_NONE },
  { "contact_id", ALLOW_STRING | ALLOW_NULL, CHECK_UUID },
  { "amount_fen", ALLOW_INT, CHECK_AMOUNT },
  { "currency", ALLOW_STRING, CHECK_CURRENCY },
  { "stage", ALLOW_STRING, CHECK_STAGE },
  { "probability", ALLOW_INT, CHECK_PROBABILITY },
  { "expected_close", ALLOW_STRING | ALLOW_NULL, CHECK_DATE },
  { "lost_reason", ALLOW_STRING, CHECK_NONE },
  { "notes", ALLOW_STRING, CHECK_NONE },
  { "position", ALLOW_INT, CHECK_NONE },
  { "won_at", ALLOW_STRING | ALLOW_NULL, CHECK_DATE_TIME },
};

static const FieldInfo followup_fields[] = {
  { "contact_id", ALLOW_STRING, CHECK_UUID },
  { "deal_id", ALLOW_STRING | ALLOW_NULL, CHECK_UUID },
  { "happened_at", ALLOW_STRING, CHECK_DATE_TIME },
  { "kind", ALLOW_STRING, CHECK_FOLLOWUP_KIND },
  { "notes", ALLOW_STRING, CHECK_NONE },
  { "next_step", ALLOW_STRING, CHECK_NONE },
  { "next_at", ALLOW_STRING | ALLOW_NULL, CHECK_DATE_TIME },
  { "done_at", ALLOW_STRING | ALLOW_NULL, CHECK_DATE_TIME },
};

static const FieldInfo certification_fields[] = {
  { "company_name", ALLOW_STRING, CHECK_NONE },
  { "uscc", ALLOW_STRING, CHECK_NONE },
  { "legal_representative", ALLOW_STRING, CHECK_NONE },
  { "address", ALLOW_STRING, CHECK_NONE },
  { "license_sha256", ALLOW_STRING | ALLOW_NULL, CHECK_SHA256 },
  { "license_mime_type", ALLOW_STRING | ALLOW_NULL, CHECK_NONE },
  { "license_name", ALLOW_STRING | ALLOW_NULL, CHECK_NONE },
  { "license_size", ALLOW_INT | ALLOW_NULL, CHECK_SIZE },
  { "status", ALLOW_STRING, CHECK_STATUS },
  { "reject_reason", ALLOW_STRING, CHECK_NONE },
};

static const struct
{
  const FieldInfo *fields;
  guint            n_fields;
} kind_info[CRM_WIRE_N_KINDS] = {
  [CRM_WIRE_KIND_CONTACT] = { contact_fields, G_N_ELEMENTS (contact_fields) },
  [CRM_WIRE_KIND_DEAL] = { deal_fields, G_N_ELEMENTS (deal_fields) },
  [CRM_WIRE_KIND_FOLLOWUP] = { followup_fields, G_N_ELEMENTS (followup_fields) },
  [CRM_WIRE_KIND_CERTIFICATION] = { certification_fields,
                                    G_N_ELEMENTS (certification_fields) },
};

static const char *const contact_names[] = {
  "name", "company", "title", "mobile", "phone", "email", "wechat", "address", "tags",
  "notes", "owner", NULL
};
static const char *const deal_names[] = {
  "title", "contact_id", "amount_fen", "currency", "stage", "probability",
  "expected_close", "lost_reason", "notes", "position", "won_at", NULL
};
/* snoozed_until is this computer's own and never synced */
static const char *const followup_names[] = {
  "contact_id", "deal_id", "happened_at", "kind", "notes", "next_step", "next_at", "done_at",
  NULL
};
static const char *const certification_names[] = {
  "company_name", "uscc", "legal_representative", "address", "license_sha256",
  "license_mime_type", "license_name", "license_size", "status", "reject_reason", NULL
};

/**
 * crm_wire_kind_fields:
 *
 * Returns: (transfer none): the field names of @kind, NULL-terminated, in
 *   the order the store has them.
 */
const char *const *
crm_wire_kind_fields (CrmWireKind kind)
{
  static const char *const *const names[CRM_WIRE_N_KINDS] = {
    [CRM_WIRE_KIND_CONTACT] = contact_names,
    [CRM_WIRE_KIND_DEAL] = deal_names,
    [CRM_WIRE_KIND_FOLLOWUP] = followup_names,
    [CRM_WIRE_KIND_CERTIFICATION] = certification_names,
  };

  g_return_val_if_fail ((guint)kind < CRM_WIRE_N_KINDS, followup_names);
  return names[kind];
}

static const FieldInfo *
find_field (CrmWireKind  kind,
            const char  *name)
{
  for (guint i = 0; i < kind_info[kind].n_fields; i++)
    if (strcmp (kind_info[kind].fields[i].name, name) == 0)
      return &kind_info[kind].fields[i];
  return NULL;
}

/* Whether @text starts with a day of the calendar, YYYY-MM-DD */
static gboolean
starts_with_day (const char *text)
{
  guint year, month, day;

  if (strnlen (text, 10) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + text[3] - '0';
  month = (text[5] - '0') * 10 + text[6] - '0';
  day = (text[8] - '0') * 10 + text[9] - '0';
  return g_date_valid_dmy (day, month, year);
}

static gboolean
is_day (const char *text)
{
  return strlen (text) == 10 && starts_with_day (text);
}

/* UTC ISO 8601 with its time zone written Z or +00:00, as GDateTime reads it */
static gboolean
is_utc_date_time (const char *text)
{
  g_autoptr (GDateTime) time = NULL;
  gsize len = strlen (text);

  if (len < 20 || len > 40 || !starts_with_day (text) || text[10] != 'T')
    return FALSE;
  if (text[len - 1] != 'Z' && !g_str_has_suffix (text, "+00:00"))
    return FALSE;
  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL;
}

static gboolean
is_sha256 (const char *text)
{
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return text[64] == '\0';
}

static gboolean
is_stage (const char *text)
{
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (strcmp (text, crm_deal_stage_to_string (i)) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_followup_kind (const char *text)
{
  for (guint i = 0; i < CRM_FOLLOWUP_N_KINDS; i++)
    if (strcmp (text, crm_followup_kind_to_string (i)) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_certification_status (const char *text)
{
  /* crm_certification_status_from_string() says draft for anything else */
  return crm_certification_status_from_string (text) != CRM_CERTIFICATION_DRAFT
         || strcmp (text, "draft") == 0;
}

/* The shape of one field's value; the message names what is wrong */
static gboolean
check_value (const FieldInfo  *info,
             JsonNode         *node,
             GError          **error)
{
  const char *text;
  gint64 number;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (info->allow & ALLOW_NULL)
        return TRUE;
      _crm_wire_set_malformed (error, info->name, "may not be null");
      return FALSE;
    }
  if (_crm_wire_node_is_string (node) && (info->allow & ALLOW_STRING))
    {
      gsize len;

      text = json_node_get_string (node);
      len = strlen (text);
      if (len > CRM_WIRE_MAX_STRING)
        {
          _crm_wire_set_malformed (error, info->name, "longer than %u bytes",
                                   CRM_WIRE_MAX_STRING);
          return FALSE;
        }
      if (!g_utf8_validate_len (text, len, NULL))
        {
          _crm_wire_set_malformed (error, info->name, "not valid UTF-8");
          return FALSE;
        }
      switch (info->check)
        {
        case CHECK_STAGE:
          if (is_stage (text))
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not a stage");
          return FALSE;
        case CHECK_CURRENCY:
          if (strcmp (text, "CNY") == 0)
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not a currency (CNY)");
          return FALSE;
        case CHECK_STATUS:
          if (is_certification_status (text))
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not a certification status");
          return FALSE;
        case CHECK_FOLLOWUP_KIND:
          if (is_followup_kind (text))
            return TRUE;
          _crm_wire_set_malformed (error, info->name,
                                   "not a kind of follow-up (call, visit, wechat, email, "
                                   "meeting, other)");
          return FALSE;
        case CHECK_DATE:
          if (is_day (text))
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not a day (YYYY-MM-DD)");
          return FALSE;
        case CHECK_DATE_TIME:
          if (is_utc_date_time (text))
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not a UTC ISO 8601 time");
          return FALSE;
        case CHECK_SHA256:
          if (is_sha256 (text))
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not a SHA-256 (64 lowercase hex digits)");
          return FALSE;
        case CHECK_UUID:
          if (crm_wire_is_uuid (text))
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not a UUID");
          return FALSE;
        case CHECK_NONE:
        case CHECK_AMOUNT:
        case CHECK_PROBABILITY:
        case CHECK_SIZE:
        default:
          return TRUE;
        }
    }
  if (_crm_wire_node_is_int (node) && (info->allow & ALLOW_INT))
    {
      number = json_node_get_int (node);
      switch (info->check)
        {
        case CHECK_AMOUNT:
          if (number >= 0)
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not an amount (0 or more fen)");
          return FALSE;
        case CHECK_PROBABILITY:
          if (number >= 0 && number <= 100)
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not a probability (0 to 100)");
          return FALSE;
        case CHECK_SIZE:
          if (number >= 0)
            return TRUE;
          _crm_wire_set_malformed (error, info->name, "not a size (0 or more)");
          return FALSE;
        case CHECK_NONE:
        case CHECK_STAGE:
        case CHECK_CURRENCY:
        case CHECK_STATUS:
        case CHECK_DATE:
        case CHECK_DATE_TIME:
        case CHECK_SHA256:
        case CHECK_UUID:
        case CHECK_FOLLOWUP_KIND:
        default:
          return TRUE;
        }
    }
  if (info->allow & ALLOW_INT)
    _crm_wire_set_malformed (error, info->name, "not an integer%s (%s)",
                             info->allow & ALLOW_NULL ? " or null" : "",
                             _crm_wire_node_type_name (node));
  else
    _crm_wire_set_malformed (error, info->name, "not a string%s (%s)",
                             info->allow & ALLOW_NULL ? " or null" : "",
                             _crm_wire_node_type_name (node));
  return FALSE;
}

/**
 * crm_wire_check_fields:
 * @kind: the kind of record
 * @fields: (nullable): some fields of a record of @kind
 *
 * The shape of each member of @fields per docs/sync-protocol.md: a field
 * of @kind, of its JSON type, in its range or list, every string valid
 * UTF-8 and at most CRM_WIRE_MAX_STRING bytes.
 *
 * Returns: whether all are well formed; else CRM_WIRE_ERROR_MALFORMED
 *   with a message "field: what is wrong".
 */
gboolean
crm_wire_check_fields (CrmWireKind   kind,
                       JsonObject   *fields,
                       GError      **error)
{
  g_autoptr (GList) members = NULL;

  g_return_val_if_fail ((guint)kind < CRM_WIRE_N_KINDS, FALSE);

  if (fields == NULL)
    return TRUE;
  members = json_object_get_members (fields);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const FieldInfo *info = find_field (kind, name);

      if (info == NULL)
        {
          g_autofree char *shown = g_utf8_make_valid (name, MIN (strlen (name), 64));

          _crm_wire_set_malformed (error, shown, "unknown field of a %s",
                                   kind_names[kind]);
          return FALSE;
        }
      if (!check_value (info, json_object_get_member (fields, name), error))
        return FALSE;
    }
  return TRUE;
}

/* Field @name of @record as text: "" when absent or null */
static const char *
get_text (JsonObject *record,
          const char *name)
{
  JsonNode *node = json_object_get_member (record, name);

  if (node == NULL || !_crm_wire_node_is_string (node))
    return "";
  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *record,
         const char *name,
         gint64      fallback)
{
  JsonNode *node = json_object_get_member (record, name);

  if (node == NULL || !_crm_wire_node_is_int (node))
    return fallback;
  return json_node_get_int (node);
}

/* @name of @record as the text @value, or null when @value is NULL */
static void
set_text_or_null (JsonObject *record,
                  const char *name,
                  const char *value)
{
  if (value != NULL)
    json_object_set_string_member (record, name, value);
  else
    json_object_set_null_member (record, name);
}

/* Keeps @name's member, null when absent */
static void
keep_or_null (JsonObject *record,
              const char *name)
{
  if (!json_object_has_member (record, name))
    json_object_set_null_member (record, name);
}

static gboolean
validate_contact (JsonObject  *record,
                  char       **failed_field,
                  GError     **error)
{
  g_autoptr (CrmContact) contact = crm_contact_new ();
  CrmContactField failed = 0;

  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    crm_contact_set_field (contact, i, get_text (record, crm_contact_field_get_column (i)));
  if (!crm_validate_contact (contact, &failed, error))
    {
      if (failed_field != NULL)
        *failed_field = g_strdup (crm_contact_field_get_column (failed));
      return FALSE;
    }
  for (guint i = 0; i < CRM_CONTACT_N_FIELDS; i++)
    json_object_set_string_member (record, crm_contact_field_get_column (i),
                                   crm_contact_get_field (contact, i));
  return TRUE;
}

static const char *
deal_field_column (CrmDealField field)
{
  static const char *const columns[CRM_DEAL_N_FIELDS] = {
    [CRM_DEAL_FIELD_TITLE] = "title",
    [CRM_DEAL_FIELD_CONTACT] = "contact_id",
    [CRM_DEAL_FIELD_AMOUNT] = "amount_fen",
    [CRM_DEAL_FIELD_STAGE] = "stage",
    [CRM_DEAL_FIELD_PROBABILITY] = "probability",
    [CRM_DEAL_FIELD_EXPECTED_CLOSE] = "expected_close",
    [CRM_DEAL_FIELD_LOST_REASON] = "lost_reason",
    [CRM_DEAL_FIELD_NOTES] = "notes",
  };

  return (guint)field < CRM_DEAL_N_FIELDS ? columns[field] : "title";
}

static gboolean
validate_deal (JsonObject  *record,
               char       **failed_field,
               GError     **error)
{
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  CrmDealField failed = 0;
  CrmDealStage stage = CRM_DEAL_LEAD;
  const char *text;

  text = get_text (record, "stage");
  for (guint i = 0; i < CRM_DEAL_N_STAGES; i++)
    if (strcmp (text, crm_deal_stage_to_string (i)) == 0)
      stage = i;
  /* as the store reads a row: the stage and probability as they are */
  _crm_deal_set_unchecked (deal, stage,
                           (int)CLAMP (get_int (record, "probability",
                                                crm_deal_stage_default_probability (stage)),
                                       -1, 101));
  crm_deal_set_title (deal, get_text (record, "title"));
  crm_deal_set_contact_id (deal, get_text (record, "contact_id"));
  crm_deal_set_amount (deal, get_int (record, "amount_fen", 0));
  crm_deal_set_expected_close (deal, get_text (record, "expected_close"));
  crm_deal_set_lost_reason (deal, get_text (record, "lost_reason"));
  crm_deal_set_notes (deal, get_text (record, "notes"));

  if (!crm_validate_deal (deal, &failed, error))
    {
      if (failed_field != NULL)
        *failed_field = g_strdup (deal_field_column (failed));
      return FALSE;
    }
  json_object_set_string_member (record, "title", crm_deal_get_title (deal));
  set_text_or_null (record, "contact_id", crm_deal_get_contact_id (deal));
  json_object_set_int_member (record, "amount_fen", crm_deal_get_amount (deal));
  json_object_set_string_member (record, "currency", "CNY");
  json_object_set_string_member (record, "stage", crm_deal_stage_to_string (stage));
  json_object_set_int_member (record, "probability", crm_deal_get_probability (deal));
  text = crm_deal_get_expected_close (deal);
  set_text_or_null (record, "expected_close", *text != '\0' ? text : NULL);
  json_object_set_string_member (record, "lost_reason", crm_deal_get_lost_reason (deal));
  json_object_set_string_member (record, "notes", crm_deal_get_notes (deal));
  json_object_set_int_member (record, "position", get_int (record, "position", 0));
  keep_or_null (record, "won_at");
  return TRUE;
}

static const char *
followup_field_column (CrmFollowupField field)
{
  static const char *const columns[CRM_FOLLOWUP_N_FIELDS] = {
    [CRM_FOLLOWUP_FIELD_CONTACT] = "contact_id",
    [CRM_FOLLOWUP_FIELD_DEAL] = "deal_id",
    [CRM_FOLLOWUP_FIELD_HAPPENED_AT] = "happened_at",
    [CRM_FOLLOWUP_FIELD_KIND] = "kind",
    [CRM_FOLLOWUP_FIELD_NOTES] = "notes",
    [CRM_FOLLOWUP_FIELD_NEXT_STEP] = "next_step",
    [CRM_FOLLOWUP_FIELD_NEXT_AT] = "next_at",
  };

  return (guint)field < CRM_FOLLOWUP_N_FIELDS ? columns[field] : "notes";
}

/* @text, NULL when it is NULL or empty */
static const char *
or_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

/* a follow-up through crm_followup_validate(), as the form and the store
 * judge it; done_at (set by the store when the next step is done) is kept
 * as it is, its shape checked already */
static gboolean
validate_followup (JsonObject  *record,
                   char       **failed_field,
                   GError     **error)
{
  g_autoptr (CrmFollowup) followup = crm_followup_new ();
  CrmFollowupField failed = CRM_FOLLOWUP_FIELD_NOTES;

  crm_followup_set_contact_id (followup, get_text (record, "contact_id"));
  crm_followup_set_deal_id (followup, or_null (get_text (record, "deal_id")));
  crm_followup_set_happened_at (followup, get_text (record, "happened_at"));
  crm_followup_set_kind (followup, crm_followup_kind_from_string (get_text (record, "kind")));
  crm_followup_set_notes (followup, get_text (record, "notes"));
  crm_followup_set_next_step (followup, get_text (record, "next_step"));
  crm_followup_set_next_at (followup, or_null (get_text (record, "next_at")));

  if (!crm_followup_validate (followup, &failed, error))
    {
      if (failed_field != NULL)
        *failed_field = g_strdup (followup_field_column (failed));
      return FALSE;
    }
  json_object_set_string_member (record, "contact_id", crm_followup_get_contact_id (followup));
  set_text_or_null (record, "deal_id", or_null (crm_followup_get_deal_id (followup)));
  json_object_set_string_member (record, "happened_at",
                                 crm_followup_get_happened_at (followup));
  json_object_set_string_member (record, "kind",
                                 crm_followup_kind_to_string (crm_followup_get_kind (followup)));
  json_object_set_string_member (record, "notes", crm_followup_get_notes (followup));
  json_object_set_string_member (record, "next_step", crm_followup_get_next_step (followup));
  set_text_or_null (record, "next_at", or_null (crm_followup_get_next_at (followup)));
  keep_or_null (record, "done_at");
  return TRUE;
}

/* The text fields of a certification, judged as the contact field with
 * the same rules (length, one line or several, no control characters) */
static const struct
{
  const char      *name;
  CrmContactField  rule;
  gboolean         nullable;
} certification_text[] = {
  { "company_name", CRM_CONTACT_FIELD_COMPANY, FALSE },         /* 200, one line */
  { "legal_representative", CRM_CONTACT_FIELD_OWNER, FALSE },   /* 100, one line */
  { "address", CRM_CONTACT_FIELD_ADDRESS, FALSE },              /* 500 */
  { "license_mime_type", CRM_CONTACT_FIELD_OWNER, TRUE },       /* 100, one line */
  { "license_name", CRM_CONTACT_FIELD_TAGS, TRUE },             /* 500, one line */
  { "reject_reason", CRM_CONTACT_FIELD_NOTES, FALSE },          /* 20,000 */
};

static gboolean
validate_certification (JsonObject  *record,
                        char       **failed_field,
                        GError     **error)
{
  char *normalized[G_N_ELEMENTS (certification_text)] = { NULL, };
  g_autofree char *uscc = NULL;
  JsonNode *sha256 = json_object_get_member (record, "license_sha256");
  JsonNode *size = json_object_get_member (record, "license_size");
  gboolean has_license = sha256 != NULL && !JSON_NODE_HOLDS_NULL (sha256);
  gboolean has_mime, has_name, has_size;
  const char *text;

  for (guint i = 0; i < G_N_ELEMENTS (certification_text); i++)
    {
      JsonNode *node = json_object_get_member (record, certification_text[i].name);

      if (certification_text[i].nullable && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
        continue;
      if (!crm_validate_field (certification_text[i].rule,
                               get_text (record, certification_text[i].name),
                               &normalized[i], error))
        {
          if (failed_field != NULL)
            *failed_field = g_strdup (certification_text[i].name);
          for (guint j = 0; j <= i; j++)
            g_clear_pointer (&normalized[j], g_free);
          return FALSE;
        }
    }

  text = get_text (record, "uscc");
  if (*text != '\0' && !crm_uscc_validate (text, &uscc, NULL, error))
    {
      if (failed_field != NULL)
        *failed_field = g_strdup ("uscc");
      goto failed;
    }

  /* a license is named whole (hash, type and size) or not at all */
  has_mime = normalized[3] != NULL && *normalized[3] != '\0';
  has_name = normalized[4] != NULL && *normalized[4] != '\0';
  has_size = size != NULL && !JSON_NODE_HOLDS_NULL (size);
  if (has_license ? !has_mime || !has_size : has_mime || has_name || has_size)
    {
      g_set_error_literal (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID,
                           _("The business license needs its file, type and size, "
                             "or none of them"));
      if (failed_field != NULL)
        *failed_field = g_strdup ("license_sha256");
      goto failed;
    }

  if (!has_license)
    {
      g_clear_pointer (&normalized[3], g_free);
      g_clear_pointer (&normalized[4], g_free);
    }
  for (guint i = 0; i < G_N_ELEMENTS (certification_text); i++)
    {
      set_text_or_null (record, certification_text[i].name, normalized[i]);
      g_clear_pointer (&normalized[i], g_free);
    }
  json_object_set_string_member (record, "uscc", uscc != NULL ? uscc : "");
  keep_or_null (record, "license_sha256");
  keep_or_null (record, "license_size");
  if (!json_object_has_member (record, "status"))
    json_object_set_string_member (record, "status", "draft");
  return TRUE;

failed:
  for (guint i = 0; i < G_N_ELEMENTS (certification_text); i++)
    g_clear_pointer (&normalized[i], g_free);
  return FALSE;
}

/**
 * crm_wire_validate_record:
 * @kind: the kind of record
 * @record: a whole record of @kind, whose shape crm_wire_check_fields()
 *   accepted; missing fields count as their empty default
 * @failed_field: (out) (optional) (transfer full): the field a rule refused
 * @error: CRM_WIRE_ERROR_INVALID with the core's message, for the person
 *
 * Judges @record by the core's rules, exactly as the app's editors and
 * store do (crm_validate_contact(), crm_validate_deal(),
 * crm_followup_validate(), the USCC of crm-uscc.c), and when it passes,
 * writes every field of @kind back into @record in the form to store:
 * trimmed, phone numbers in their canonical form, times in UTC with a Z,
 * the USCC normalised, missing fields with their default (null for the
 * nullable ones), so that every copy holds the same record.
 *
 * Returns: whether @record may be stored.
 */
gboolean
crm_wire_validate_record (CrmWireKind   kind,
                          JsonObject   *record,
                          char        **failed_field,
                          GError      **error)
{
  g_autoptr (GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail ((guint)kind < CRM_WIRE_N_KINDS, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (failed_field != NULL)
    *failed_field = NULL;
  /* the rules read text as C strings: the shape first */
  if (!crm_wire_check_fields (kind, record, &local_error))
    {
      g_set_error_literal (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_MALFORMED,
                           local_error->message);
      return FALSE;
    }

  switch (kind)
    {
    case CRM_WIRE_KIND_CONTACT:
      ok = validate_contact (record, failed_field, &local_error);
      break;
    case CRM_WIRE_KIND_DEAL:
      ok = validate_deal (record, failed_field, &local_error);
      break;
    case CRM_WIRE_KIND_CERTIFICATION:
      ok = validate_certification (record, failed_field, &local_error);
      break;
    case CRM_WIRE_KIND_FOLLOWUP:
      ok = validate_followup (record, failed_field, &local_error);
      break;
    case CRM_WIRE_N_KINDS:
    default:
      ok = TRUE;
      break;
    }
  if (!ok)
    g_set_error_literal (error, CRM_WIRE_ERROR, CRM_WIRE_ERROR_INVALID,
                         local_error != NULL ? local_error->message : "");
  return ok;
}

/* for crm-wire-conflicts.c: the times a push result's conflict_at holds */
gboolean
_crm_wire_is_utc_date_time (const char *text)
{
  return is_utc_date_time (text);
}
