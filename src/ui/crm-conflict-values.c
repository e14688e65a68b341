/* crm-conflict-values.c — a synced field's value as a person reads it, who
 * changed it, why the server refused a change, and the other value of a
 * conflict put back
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The conflicts table keeps values as the protocol sends them (JSON texts
 * of the store's columns, docs/sync-protocol.md "Fields"): fen, stage
 * nicks, UTC times, ids. One table below says, per kind and field, its
 * label (the export's column names, so each field has one name across the
 * app), how to show its value, and whether "Use the Other Value" may put it
 * back. Putting it back is the edit a person would make in the record's
 * editor, through the same save function (crm_store_save_contact,
 * _deal, _followup, _certification), so its outbox row is written by the
 * same transaction and the next round sends it; fields nobody edits by
 * hand (a deal's place on the board, when it was won, a follow-up done,
 * the review's status, the license file, which needs its blob) are shown
 * and only kept. The certification takes the other value only while it is
 * a draft or rejected: certified it is locked, submitted it waits for the
 * review, and the row says so.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-conflicts-dialog-private.h"
#include "crm-format.h"

typedef enum
{
  SHOW_TEXT,
  SHOW_MONEY,
  SHOW_STAGE,
  SHOW_PERCENT,
  SHOW_DAY,
  SHOW_TIME,
  SHOW_CONTACT,
  SHOW_DEAL,
  SHOW_KIND,
  SHOW_STATUS,
  SHOW_SIZE,
  SHOW_NUMBER,
} Show;

typedef struct
{
  CrmWireKind  kind;
  const char  *name;
  const char  *context;   /* the label's msgctxt, or NULL */
  const char  *label;
  Show         show;
  gboolean     settable;  /* "Use the Other Value" may put it back */
} FieldInfo;

static const FieldInfo fields[] = {
  { CRM_WIRE_KIND_CONTACT, "name", "column", NC_("column", "Name"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "company", "column", NC_("column", "Company"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "title", "column", NC_("column", "Title"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "mobile", "column", NC_("column", "Mobile"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "phone", "column", NC_("column", "Phone"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "email", "column", NC_("column", "E-mail"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "wechat", "column", NC_("column", "WeChat"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "address", "column", NC_("column", "Address"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "tags", "column", NC_("column", "Tags"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "notes", "column", NC_("column", "Notes"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CONTACT, "owner", "column", NC_("column", "Owner"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_DEAL, "title", "deal column", NC_("deal column", "Title"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_DEAL, "contact_id", "column", NC_("column", "Contact"), SHOW_CONTACT, TRUE },
  { CRM_WIRE_KIND_DEAL, "amount_fen", NULL, N_("Amount"), SHOW_MONEY, TRUE },
  { CRM_WIRE_KIND_DEAL, "currency", NULL, N_("Currency"), SHOW_TEXT, FALSE },
  { CRM_WIRE_KIND_DEAL, "stage", "column", NC_("column", "Stage"), SHOW_STAGE, TRUE },
  { CRM_WIRE_KIND_DEAL, "probability", "column", NC_("column", "Probability (%)"),
    SHOW_PERCENT, TRUE },
  { CRM_WIRE_KIND_DEAL, "expected_close", "column", NC_("column", "Expected close"),
    SHOW_DAY, TRUE },
  { CRM_WIRE_KIND_DEAL, "lost_reason", "column", NC_("column", "Lost reason"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_DEAL, "notes", "column", NC_("column", "Notes"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_DEAL, "position", NULL, N_("Place on the board"), SHOW_NUMBER, FALSE },
  { CRM_WIRE_KIND_DEAL, "won_at", "column", NC_("column", "Won"), SHOW_TIME, FALSE },
  { CRM_WIRE_KIND_FOLLOWUP, "contact_id", "column", NC_("column", "Contact"), SHOW_CONTACT,
    TRUE },
  { CRM_WIRE_KIND_FOLLOWUP, "deal_id", "column", NC_("column", "Deal"), SHOW_DEAL, TRUE },
  { CRM_WIRE_KIND_FOLLOWUP, "happened_at", "column", NC_("column", "Followed up"), SHOW_TIME,
    TRUE },
  { CRM_WIRE_KIND_FOLLOWUP, "kind", "column", NC_("column", "How"), SHOW_KIND, TRUE },
  { CRM_WIRE_KIND_FOLLOWUP, "notes", "column", NC_("column", "Notes"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_FOLLOWUP, "next_step", "column", NC_("column", "Next step"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_FOLLOWUP, "next_at", "column", NC_("column", "Next step due"), SHOW_TIME,
    TRUE },
  { CRM_WIRE_KIND_FOLLOWUP, "done_at", "column", NC_("column", "Done"), SHOW_TIME, FALSE },
  { CRM_WIRE_KIND_CERTIFICATION, "company_name", NULL, N_("Company name"), SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CERTIFICATION, "uscc", NULL, N_("Unified social credit code"), SHOW_TEXT,
    TRUE },
  { CRM_WIRE_KIND_CERTIFICATION, "legal_representative", NULL, N_("Legal representative"),
    SHOW_TEXT, TRUE },
  { CRM_WIRE_KIND_CERTIFICATION, "address", "column", NC_("column", "Address"), SHOW_TEXT,
    TRUE },
  { CRM_WIRE_KIND_CERTIFICATION, "status", NULL, N_("Review status"), SHOW_STATUS, FALSE },
  { CRM_WIRE_KIND_CERTIFICATION, "license_sha256", NULL, N_("License file"), SHOW_TEXT, FALSE },
  { CRM_WIRE_KIND_CERTIFICATION, "license_mime_type", NULL, N_("License file type"), SHOW_TEXT,
    FALSE },
  { CRM_WIRE_KIND_CERTIFICATION, "license_name", NULL, N_("License file name"), SHOW_TEXT,
    FALSE },
  { CRM_WIRE_KIND_CERTIFICATION, "license_size", NULL, N_("License file size"), SHOW_SIZE,
    FALSE },
  { CRM_WIRE_KIND_CERTIFICATION, "reject_reason", NULL, N_("Reason for rejection"), SHOW_TEXT,
    FALSE },
};

/* the certification's states as its page names them */
static const char *const status_labels[] = {
  [CRM_CERTIFICATION_DRAFT] = N_("Draft"),
  [CRM_CERTIFICATION_SUBMITTED] = N_("Submitted for review"),
  [CRM_CERTIFICATION_CERTIFIED] = N_("Certified"),
  [CRM_CERTIFICATION_REJECTED] = N_("Rejected"),
};

static const FieldInfo *
find_field (CrmWireKind  kind,
            const char  *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (fields); i++)
    if (fields[i].kind == kind && g_str_equal (fields[i].name, name))
      return &fields[i];
  return NULL;
}

static const char *
field_label (const FieldInfo *info)
{
  return info->context ? g_dpgettext2 (NULL, info->context, info->label) : _(info->label);
}

/* a stored JSON text as a node; NULL when it cannot be read */
static JsonNode *
parse_value (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
node_is_type (JsonNode *node,
              GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* the text of a string node, NULL for null; FALSE for anything else */
static gboolean
node_text (JsonNode    *node,
           const char **text)
{
  *text = NULL;
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!node_is_type (node, G_TYPE_STRING))
    return FALSE;
  *text = json_node_get_string (node);
  return TRUE;
}

static char *
contact_name (CrmStore   *store,
              const char *id)
{
  g_autoptr (CrmContact) contact = crm_store_get_contact (store, id, NULL);

  return g_strdup (contact ? crm_contact_get_name (contact) : _("A deleted contact"));
}

static char *
deal_title (CrmStore   *store,
            const char *id)
{
  g_autoptr (CrmDeal) deal = crm_store_get_deal (store, id, NULL);

  return g_strdup (deal ? crm_deal_get_title (deal) : _("A deleted deal"));
}

/* a follow-up kind's label without its mnemonic: "_Call" → "Call",
 * "电话(_C)" → "电话" */
static char *
kind_label (const char *nick)
{
  const char *label = crm_followup_kind_get_label (crm_followup_kind_from_string (nick));
  GString *out = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (p[0] == '(' && p[1] == '_' && p[2] != '\0' && p[3] == ')')
        p += 3;
      else if (*p != '_')
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_stage (const char *nick)
{
  return g_strcmp0 (crm_deal_stage_to_string (crm_deal_stage_from_string (nick)), nick) == 0;
}

/* a string value of @show as a person reads it; NULL to show it as it is */
static char *
show_string (CrmStore   *store,
             Show        show,
             const char *text)
{
  switch (show)
    {
    case SHOW_STAGE:
      return is_stage (text) ? g_strdup (crm_deal_stage_get_label (
                                           crm_deal_stage_from_string (text)))
                             : NULL;
    case SHOW_DAY:
      return crm_format_date_short (text, NULL);
    case SHOW_TIME:
      return crm_format_timestamp (text, NULL);
    case SHOW_CONTACT:
      return contact_name (store, text);
    case SHOW_DEAL:
      return deal_title (store, text);
    case SHOW_KIND:
      return kind_label (text);
    case SHOW_STATUS:
      {
        CrmCertificationStatus status = crm_certification_status_from_string (text);

        return (guint) status < G_N_ELEMENTS (status_labels)
               && g_strcmp0 (crm_certification_status_to_string (status), text) == 0
               ? g_strdup (_(status_labels[status])) : NULL;
      }
    case SHOW_TEXT:
    case SHOW_MONEY:
    case SHOW_PERCENT:
    case SHOW_SIZE:
    case SHOW_NUMBER:
    default:
      return NULL;
    }
}

/* an integer value of @show as a person reads it */
static char *
show_int (Show   show,
          gint64 value)
{
  switch (show)
    {
    case SHOW_MONEY:
      return crm_format_money (value, "CNY");
    case SHOW_PERCENT:
      return g_strdup_printf ("%" G_GINT64_FORMAT "%%", value);
    case SHOW_SIZE:
      return g_format_size ((guint64) MAX (value, 0));
    default:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value);
    }
}

/**
 * _crm_conflict_readable:
 *
 * See crm-conflicts-dialog-private.h. A value of an unexpected type is
 * shown as its JSON text, never dropped.
 */
char *
_crm_conflict_readable (CrmStore    *store,
                        CrmWireKind  kind,
                        const char  *field,
                        const char  *json)
{
  g_autoptr (JsonNode) node = parse_value (json);
  const FieldInfo *info = find_field (kind, field);
  Show show = info ? info->show : SHOW_TEXT;

  if (g_strcmp0 (field, "deleted") == 0)
    /* the other side deleted the record; this one edited it, so it is back */
    return g_strdup (g_strcmp0 (json, "true") == 0 ? _("Deleted")
                                                   : _("Edited here, so kept"));
  if (node == NULL)
    return g_strdup (json ? json : "");
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("(empty)"));
  if (node_is_type (node, G_TYPE_STRING))
    {
      const char *text = json_node_get_string (node);
      char *shown;

      if (*text == '\0')
        return g_strdup (_("(empty)"));
      shown = show_string (store, show, text);
      return shown ? shown : g_strdup (text);
    }
  if (node_is_type (node, G_TYPE_INT64))
    return show_int (show, json_node_get_int (node));
  return json_to_string (node, FALSE);
}

/**
 * _crm_conflict_title:
 *
 * See crm-conflicts-dialog-private.h.
 */
char *
_crm_conflict_title (CrmStore    *store,
                     CrmWireKind  kind,
                     const char  *record_id,
                     const char  *field)
{
  const FieldInfo *info = find_field (kind, field);
  g_autofree char *what = NULL;

  switch (kind)
    {
    case CRM_WIRE_KIND_CONTACT:
      what = contact_name (store, record_id);
      break;
    case CRM_WIRE_KIND_DEAL:
      what = deal_title (store, record_id);
      break;
    case CRM_WIRE_KIND_FOLLOWUP:
      {
        g_autoptr (CrmFollowup) followup = crm_store_get_followup (store, record_id, NULL);
        const char *name = followup ? crm_followup_get_contact_name (followup) : NULL;

        /* Translators: a follow-up's conflict: "Follow-up of 张三 · Notes" */
        what = name && *name ? g_strdup_printf (_("Follow-up of %s"), name)
                             : g_strdup (_("A deleted follow-up"));
        break;
      }
    case CRM_WIRE_KIND_CERTIFICATION:
    case CRM_WIRE_N_KINDS:
    default:
      what = g_strdup (_("Certification"));
      break;
    }
  if (field == NULL)
    return g_steal_pointer (&what);
  if (g_strcmp0 (field, "deleted") == 0)
    return g_strdup_printf (_("%s · %s"), what, _("Deleted on the other computer"));
  return g_strdup_printf (_("%s · %s"), what, info ? field_label (info) : field);
}

/**
 * _crm_conflict_who:
 *
 * See crm-conflicts-dialog-private.h.
 */
char *
_crm_conflict_who (const char *user,
                   const char *at)
{
  g_autofree char *when = crm_format_timestamp (at, NULL);

  if (user != NULL && when != NULL)
    /* Translators: who made the other value of a conflict, and when:
     * "Changed by wang · Nov 29, 2026, 17:03" */
    return g_strdup_printf (_("Changed by %s · %s"), user, when);
  if (user != NULL)
    return g_strdup_printf (_("Changed by %s"), user);
  if (when != NULL)
    return g_strdup_printf (_("Changed on another computer · %s"), when);
  return g_strdup (_("Changed on another computer"));
}

/* the certification takes a value while it can be edited; else why not */
static gboolean
certification_open (CrmStore  *store,
                    char     **why)
{
  g_autoptr (CrmCertification) cert = crm_store_get_certification (store, NULL);

  if (cert == NULL)
    return FALSE;
  if (crm_certification_is_locked (cert))
    *why = g_strdup (_("The certification is approved and locked, so only the value kept "
                       "now can stay."));
  else if (cert->status == CRM_CERTIFICATION_SUBMITTED)
    *why = g_strdup (_("The certification is waiting for its review, so only the value kept "
                       "now can stay until the review is back."));
  return *why == NULL;
}

/* whether the record is here, live */
static gboolean
record_here (CrmStore   *store,
             CrmWireKind kind,
             const char *id)
{
  switch (kind)
    {
    case CRM_WIRE_KIND_CONTACT:
      {
        g_autoptr (CrmContact) contact = crm_store_get_contact (store, id, NULL);
        return contact != NULL;
      }
    case CRM_WIRE_KIND_DEAL:
      {
        g_autoptr (CrmDeal) deal = crm_store_get_deal (store, id, NULL);
        return deal != NULL;
      }
    case CRM_WIRE_KIND_FOLLOWUP:
      {
        g_autoptr (CrmFollowup) followup = crm_store_get_followup (store, id, NULL);
        return followup != NULL;
      }
    case CRM_WIRE_KIND_CERTIFICATION:
    case CRM_WIRE_N_KINDS:
    default:
      return TRUE;
    }
}

/**
 * _crm_conflict_can_use_other:
 *
 * See crm-conflicts-dialog-private.h.
 */
gboolean
_crm_conflict_can_use_other (CrmStore          *store,
                             const CrmConflict *conflict,
                             char             **why)
{
  const FieldInfo *info = find_field (conflict->kind, conflict->field);

  *why = NULL;
  if (info == NULL || !info->settable || conflict->lost_value == NULL
      || !record_here (store, conflict->kind, conflict->record_id))
    return FALSE;
  if (conflict->kind == CRM_WIRE_KIND_CERTIFICATION)
    return certification_open (store, why);
  return TRUE;
}

static void
set_unusable (GError **error)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("The other value cannot be put back here: edit the record instead"));
}

static gboolean
use_contact (CrmStore   *store,
             const char *id,
             const char *field,
             JsonNode   *value,
             GError    **error)
{
  const char *const *names = crm_wire_kind_fields (CRM_WIRE_KIND_CONTACT);
  g_autoptr (CrmContact) contact = crm_store_get_contact (store, id, error);
  const char *text;

  if (contact == NULL)
    return FALSE;
  if (!node_text (value, &text))
    {
      set_unusable (error);
      return FALSE;
    }
  for (int i = 0; names[i] != NULL && i < CRM_CONTACT_N_FIELDS; i++)
    if (g_str_equal (names[i], field))
      crm_contact_set_field (contact, i, text ? text : "");
  return crm_store_save_contact (store, contact, error);
}

static gboolean
use_deal (CrmStore   *store,
          const char *id,
          const char *field,
          JsonNode   *value,
          GError    **error)
{
  g_autoptr (CrmDeal) deal = crm_store_get_deal (store, id, error);
  gboolean is_int = node_is_type (value, G_TYPE_INT64);
  const char *text = NULL;

  if (deal == NULL)
    return FALSE;
  if (!is_int && !node_text (value, &text))
    goto unusable;
  if (g_str_equal (field, "amount_fen") && is_int)
    crm_deal_set_amount (deal, json_node_get_int (value));
  else if (g_str_equal (field, "probability") && is_int)
    crm_deal_set_probability (deal, (int) CLAMP (json_node_get_int (value), 0, 100));
  else if (is_int)
    goto unusable;
  else if (g_str_equal (field, "title"))
    crm_deal_set_title (deal, text ? text : "");
  else if (g_str_equal (field, "contact_id"))
    crm_deal_set_contact_id (deal, text);
  else if (g_str_equal (field, "stage") && is_stage (text))
    crm_deal_set_stage (deal, crm_deal_stage_from_string (text));
  else if (g_str_equal (field, "expected_close"))
    crm_deal_set_expected_close (deal, text);
  else if (g_str_equal (field, "lost_reason"))
    crm_deal_set_lost_reason (deal, text ? text : "");
  else if (g_str_equal (field, "notes"))
    crm_deal_set_notes (deal, text ? text : "");
  else
    goto unusable;
  return crm_store_save_deal (store, deal, error);

unusable:
  set_unusable (error);
  return FALSE;
}

static gboolean
use_followup (CrmStore   *store,
              const char *id,
              const char *field,
              JsonNode   *value,
              GError    **error)
{
  g_autoptr (CrmFollowup) followup = crm_store_get_followup (store, id, error);
  const char *text = NULL;

  if (followup == NULL)
    return FALSE;
  if (!node_text (value, &text))
    goto unusable;
  if (g_str_equal (field, "contact_id") && text != NULL)
    crm_followup_set_contact_id (followup, text);
  else if (g_str_equal (field, "deal_id"))
    crm_followup_set_deal_id (followup, text);
  else if (g_str_equal (field, "happened_at") && text != NULL)
    crm_followup_set_happened_at (followup, text);
  else if (g_str_equal (field, "kind") && text != NULL)
    crm_followup_set_kind (followup, crm_followup_kind_from_string (text));
  else if (g_str_equal (field, "notes"))
    crm_followup_set_notes (followup, text ? text : "");
  else if (g_str_equal (field, "next_step"))
    crm_followup_set_next_step (followup, text ? text : "");
  else if (g_str_equal (field, "next_at"))
    crm_followup_set_next_at (followup, text);
  else
    goto unusable;
  return crm_store_save_followup (store, followup, CRM_DEAL_N_STAGES, error);

unusable:
  set_unusable (error);
  return FALSE;
}

static gboolean
use_certification (CrmStore   *store,
                   const char *field,
                   JsonNode   *value,
                   GError    **error)
{
  g_autoptr (CrmCertification) cert = crm_store_get_certification (store, error);
  const char *text = NULL;
  char **slot = NULL;

  if (cert == NULL)
    return FALSE;
  if (g_str_equal (field, "company_name"))
    slot = &cert->company_name;
  else if (g_str_equal (field, "uscc"))
    slot = &cert->uscc;
  else if (g_str_equal (field, "legal_representative"))
    slot = &cert->legal_representative;
  else if (g_str_equal (field, "address"))
    slot = &cert->address;
  if (slot == NULL || !node_text (value, &text))
    {
      set_unusable (error);
      return FALSE;
    }
  g_free (*slot);
  *slot = g_strdup (text ? text : "");
  return crm_store_save_certification (store, cert, error);
}

/**
 * _crm_conflict_use_other:
 *
 * See crm-conflicts-dialog-private.h. Refused, changing nothing, unless
 * _crm_conflict_can_use_other() says it can; the entity's own rules (a
 * lost deal needs its reason…) may refuse the value too.
 */
gboolean
_crm_conflict_use_other (CrmStore           *store,
                         const CrmConflict  *conflict,
                         GError            **error)
{
  g_autoptr (JsonNode) value = parse_value (conflict->lost_value);
  g_autofree char *why = NULL;
  gboolean ok;

  if (!_crm_conflict_can_use_other (store, conflict, &why) || value == NULL)
    {
      if (why != NULL)
        g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_LOCKED, why);
      else
        set_unusable (error);
      return FALSE;
    }
  switch (conflict->kind)
    {
    case CRM_WIRE_KIND_CONTACT:
      ok = use_contact (store, conflict->record_id, conflict->field, value, error);
      break;
    case CRM_WIRE_KIND_DEAL:
      ok = use_deal (store, conflict->record_id, conflict->field, value, error);
      break;
    case CRM_WIRE_KIND_FOLLOWUP:
      ok = use_followup (store, conflict->record_id, conflict->field, value, error);
      break;
    case CRM_WIRE_KIND_CERTIFICATION:
    case CRM_WIRE_N_KINDS:
    default:
      ok = use_certification (store, conflict->field, value, error);
      break;
    }
  return ok && crm_store_resolve_conflict (store, conflict->id, error);
}

/* the codes of docs/sync-protocol.md, in words */
static const struct
{
  const char *code;
  const char *reason;
} reasons[] = {
  { "invalid", N_("The server’s rules refused a value.") },
  { "locked", N_("The certification is approved and locked, so it cannot change.") },
  { "forbidden", N_("This change is not allowed from this computer.") },
  { "blob_missing", N_("The license file had not reached the server.") },
  { "contact_has_deals", N_("The contact still has deals on the server, so it was not "
                            "deleted.") },
  { "unknown_contact", N_("The contact it belongs to is not on the server.") },
  { "unknown_deal", N_("The deal it belongs to is not on the server.") },
  { "damaged", N_("This change was damaged on this computer and could not be sent.") },
};

/**
 * _crm_rejection_reason:
 *
 * See crm-conflicts-dialog-private.h. A known code gives its sentence; an
 * invalid value adds the server's own words (which name the field); an
 * unknown code shows what the server said, as it said it.
 */
char *
_crm_rejection_reason (const char *last_error)
{
  const char *text = last_error ? last_error : "";
  const char *colon = strchr (text, ':');
  g_autofree char *code = g_strndup (text, colon ? (gsize) (colon - text) : strlen (text));
  const char *detail = colon ? colon + 1 : "";

  while (*detail == ' ')
    detail++;
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (code, reasons[i].code))
      {
        if (g_str_equal (code, "invalid") && *detail != '\0')
          /* Translators: a refused change: the reason, then the server's words */
          return g_strdup_printf (_("%s (%s)"), _(reasons[i].reason), detail);
        return g_strdup (_(reasons[i].reason));
      }
  /* Translators: a refusal this version does not know, as the server wrote it */
  return g_strdup_printf (_("The server refused this change: %s"), text);
}

/**
 * _crm_rejection_values:
 *
 * See crm-conflicts-dialog-private.h. At most a few fields, each value cut
 * short: the row says what was refused, the record has the rest.
 */
char *
_crm_rejection_values (CrmStore    *store,
                       CrmWireKind  kind,
                       const char  *fields_json)
{
  g_autoptr (JsonObject) object = NULL;
  g_autoptr (GList) names = NULL;
  GString *out = g_string_new (NULL);
  guint shown = 0;

  if (fields_json != NULL)
    object = crm_wire_parse_object (fields_json, strlen (fields_json), NULL);
  if (object != NULL)
    names = json_object_get_members (object);
  for (GList *l = names; l != NULL && shown < 4; l = l->next)
    {
      const FieldInfo *info = find_field (kind, l->data);
      g_autofree char *json = NULL;
      g_autofree char *value = NULL;

      if (info == NULL)
        continue;
      json = json_to_string (json_object_get_member (object, l->data), FALSE);
      value = _crm_conflict_readable (store, kind, l->data, json);
      if (g_utf8_strlen (value, -1) > 40)
        {
          char *cut = g_utf8_substring (value, 0, 39);

          g_free (value);
          value = g_strconcat (cut, "…", NULL);
          g_free (cut);
        }
      if (shown++ > 0)
        /* Translators: between the fields of a refused change */
        g_string_append (out, _("; "));
      /* Translators: a field of a refused change: "Mobile: 13900139000" */
      g_string_append_printf (out, _("%s: %s"), field_label (info), value);
    }
  if (g_list_length (names) > shown && shown > 0)
    g_string_append (out, _("; …"));
  return g_string_free (out, FALSE);
}
