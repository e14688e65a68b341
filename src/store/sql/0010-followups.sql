-- 0010-followups.sql: schema version 10
--
-- Follow-ups (跟进记录): a contact (and optionally one of its deals), when,
-- how, what was said, and the next step with its due time. Times are UTC
-- ISO 8601 ("2026-11-29T08:30:00Z"), so they sort as text. done_at is set
-- when the next step was done; snoozed_until postpones only this device's
-- reminder and is not synced. Tombstones as every entity; the outbox
-- triggers follow 0008-sync.sql. contact_id and deal_id have no foreign
-- keys: a pulled follow-up may arrive before its contact, and every read
-- joins the live contact (crm-store-followups.c checks it on a local save).
-- contacts.last_followup_at is derived (the newest live follow-up's
-- happened_at), kept by triggers for the list's "last followed up" order
-- and the "not followed up for N days" filter; it is not synced (the
-- contact triggers of 0008 name their fields) and changes no updated_at.

CREATE TABLE followups (
  local_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  contact_id TEXT NOT NULL,
  deal_id TEXT,
  happened_at TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('call', 'visit', 'wechat', 'email',
    'meeting', 'other')),
  notes TEXT NOT NULL DEFAULT '',
  next_step TEXT NOT NULL DEFAULT '',
  next_at TEXT,
  done_at TEXT,
  snoozed_until TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX followups_by_contact ON followups (contact_id, happened_at) WHERE deleted = 0;
CREATE INDEX followups_by_deal ON followups (deal_id, happened_at)
  WHERE deleted = 0 AND deal_id IS NOT NULL;
CREATE INDEX followups_due ON followups (next_at)
  WHERE deleted = 0 AND done_at IS NULL AND next_at IS NOT NULL;

ALTER TABLE contacts ADD COLUMN last_followup_at TEXT;
CREATE INDEX contacts_by_last_followup ON contacts (last_followup_at, id) WHERE deleted = 0;

CREATE TRIGGER followups_last_insert AFTER INSERT ON followups WHEN new.deleted = 0 BEGIN
  UPDATE contacts SET last_followup_at = new.happened_at
  WHERE id = new.contact_id
    AND (last_followup_at IS NULL OR last_followup_at < new.happened_at);
END;
CREATE TRIGGER followups_last_update
  AFTER UPDATE OF contact_id, happened_at, deleted ON followups BEGIN
  UPDATE contacts SET last_followup_at = (SELECT max (happened_at) FROM followups
                                          WHERE contact_id = contacts.id AND deleted = 0)
  WHERE id IN (old.contact_id, new.contact_id);
END;
CREATE TRIGGER followups_last_delete AFTER DELETE ON followups WHEN old.deleted = 0 BEGIN
  UPDATE contacts SET last_followup_at = (SELECT max (happened_at) FROM followups
                                          WHERE contact_id = contacts.id AND deleted = 0)
  WHERE id = old.contact_id;
END;

CREATE TRIGGER followups_outbox_insert AFTER INSERT ON followups
  WHEN new.deleted = 0 AND (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'followup', new.id, 'upsert', 0,
    json_object ('contact_id', new.contact_id, 'deal_id', new.deal_id,
                 'happened_at', new.happened_at, 'kind', new.kind, 'notes', new.notes,
                 'next_step', new.next_step, 'next_at', new.next_at,
                 'done_at', new.done_at)
  FROM sync_new_uuid;
END;

CREATE TRIGGER followups_outbox_update AFTER UPDATE ON followups
  WHEN (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'followup', new.id, 'delete', old.server_version, '{}' FROM sync_new_uuid
  WHERE old.deleted = 0 AND new.deleted = 1;
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'followup', new.id, 'upsert', old.server_version,
    json_object ('contact_id', new.contact_id, 'deal_id', new.deal_id,
                 'happened_at', new.happened_at, 'kind', new.kind, 'notes', new.notes,
                 'next_step', new.next_step, 'next_at', new.next_at,
                 'done_at', new.done_at)
  FROM sync_new_uuid WHERE old.deleted = 1 AND new.deleted = 0;
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT (SELECT uuid FROM sync_new_uuid), 'followup', new.id, 'upsert', old.server_version, f
  FROM (SELECT json_group_object (k, v) AS f, count (*) AS n FROM (
          SELECT 'contact_id' AS k, new.contact_id AS v
            WHERE new.contact_id IS NOT old.contact_id
          UNION ALL SELECT 'deal_id', new.deal_id WHERE new.deal_id IS NOT old.deal_id
          UNION ALL SELECT 'happened_at', new.happened_at
            WHERE new.happened_at IS NOT old.happened_at
          UNION ALL SELECT 'kind', new.kind WHERE new.kind IS NOT old.kind
          UNION ALL SELECT 'notes', new.notes WHERE new.notes IS NOT old.notes
          UNION ALL SELECT 'next_step', new.next_step WHERE new.next_step IS NOT old.next_step
          UNION ALL SELECT 'next_at', new.next_at WHERE new.next_at IS NOT old.next_at
          UNION ALL SELECT 'done_at', new.done_at WHERE new.done_at IS NOT old.done_at))
  WHERE n > 0 AND old.deleted = 0 AND new.deleted = 0;
END;
