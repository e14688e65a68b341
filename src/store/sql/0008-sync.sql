-- 0008-sync.sql: schema version 8
--
-- team sync (docs/sync-protocol.md): the outbox, written by triggers in the
-- same transaction as every edit of a contact, a deal or the certification
-- (so no write path can forget it); the sync state; the conflicts kept for
-- the person; pulled deals waiting for their contact. While
-- sync_state.applying is 1 (crm-store-apply.c, inside its transaction) the
-- triggers queue nothing: what comes from the server is not sent back.
-- Rows that exist before this migration queue nothing here: the first
-- sign-in to a company queues them (crm_store_set_sync_company()).

CREATE TABLE outbox (
  local_seq INTEGER PRIMARY KEY AUTOINCREMENT,
  mutation_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('contact', 'deal', 'followup', 'certification')),
  record_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  base_version INTEGER NOT NULL DEFAULT 0,
  fields_json TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX outbox_by_record ON outbox (kind, record_id) WHERE state = 'pending';

CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cursor INTEGER NOT NULL DEFAULT 0,
  server_epoch TEXT,
  client_id TEXT NOT NULL,
  company_id TEXT,
  applying INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1))
);

-- a random UUID v4, lowercase 8-4-4-4-12, its variant 8, 9, a or b
CREATE VIEW sync_new_uuid AS SELECT
  lower (hex (randomblob (4))) || '-' || lower (hex (randomblob (2))) || '-4'
  || substr (lower (hex (randomblob (2))), 2) || '-'
  || substr ('89ab', 1 + (random () & 3), 1) || substr (lower (hex (randomblob (2))), 2)
  || '-' || lower (hex (randomblob (6))) AS uuid;

INSERT INTO sync_state (id, client_id) SELECT 1, uuid FROM sync_new_uuid;

CREATE TABLE conflicts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  lost_value TEXT,
  kept_value TEXT,
  created_at TEXT NOT NULL,
  resolved INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
);
CREATE INDEX conflicts_open ON conflicts (id) WHERE resolved = 0;

-- a pulled deal whose contact has not arrived yet: the newest change of it
CREATE TABLE sync_parked (
  deal_id TEXT PRIMARY KEY,
  contact_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  version INTEGER NOT NULL,
  fields_json TEXT NOT NULL,
  updated_by TEXT,
  updated_at TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX sync_parked_by_contact ON sync_parked (contact_id);

-- the certification's lock is for the person's edits: the server's review
-- (certified, or taken back) still arrives
DROP TRIGGER certification_locked;
CREATE TRIGGER certification_locked BEFORE UPDATE ON certification
  WHEN old.status = 'certified' AND (SELECT applying FROM sync_state) = 0 AND (
    new.company_name IS NOT old.company_name OR new.uscc IS NOT old.uscc
    OR new.legal_representative IS NOT old.legal_representative
    OR new.address IS NOT old.address OR new.license_sha256 IS NOT old.license_sha256
    OR new.license_mime_type IS NOT old.license_mime_type
    OR new.license_size IS NOT old.license_size OR new.status <> 'certified') BEGIN
  SELECT RAISE (ABORT, 'crm: certified information cannot be changed');
END;

-- contacts

CREATE TRIGGER contacts_outbox_insert AFTER INSERT ON contacts
  WHEN new.deleted = 0 AND (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'contact', new.id, 'upsert', 0,
    json_object ('name', new.name, 'company', new.company, 'title', new.title,
                 'mobile', new.mobile, 'phone', new.phone, 'email', new.email,
                 'wechat', new.wechat, 'address', new.address, 'tags', new.tags,
                 'notes', new.notes, 'owner', new.owner)
  FROM sync_new_uuid;
END;

CREATE TRIGGER contacts_outbox_update AFTER UPDATE ON contacts
  WHEN (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'contact', new.id, 'delete', old.server_version, '{}' FROM sync_new_uuid
  WHERE old.deleted = 0 AND new.deleted = 1;
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'contact', new.id, 'upsert', old.server_version,
    json_object ('name', new.name, 'company', new.company, 'title', new.title,
                 'mobile', new.mobile, 'phone', new.phone, 'email', new.email,
                 'wechat', new.wechat, 'address', new.address, 'tags', new.tags,
                 'notes', new.notes, 'owner', new.owner)
  FROM sync_new_uuid WHERE old.deleted = 1 AND new.deleted = 0;
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT (SELECT uuid FROM sync_new_uuid), 'contact', new.id, 'upsert', old.server_version, f
  FROM (SELECT json_group_object (k, v) AS f, count (*) AS n FROM (
          SELECT 'name' AS k, new.name AS v WHERE new.name IS NOT old.name
          UNION ALL SELECT 'company', new.company WHERE new.company IS NOT old.company
          UNION ALL SELECT 'title', new.title WHERE new.title IS NOT old.title
          UNION ALL SELECT 'mobile', new.mobile WHERE new.mobile IS NOT old.mobile
          UNION ALL SELECT 'phone', new.phone WHERE new.phone IS NOT old.phone
          UNION ALL SELECT 'email', new.email WHERE new.email IS NOT old.email
          UNION ALL SELECT 'wechat', new.wechat WHERE new.wechat IS NOT old.wechat
          UNION ALL SELECT 'address', new.address WHERE new.address IS NOT old.address
          UNION ALL SELECT 'tags', new.tags WHERE new.tags IS NOT old.tags
          UNION ALL SELECT 'notes', new.notes WHERE new.notes IS NOT old.notes
          UNION ALL SELECT 'owner', new.owner WHERE new.owner IS NOT old.owner))
  WHERE n > 0 AND old.deleted = 0 AND new.deleted = 0;
END;

-- deals

CREATE TRIGGER deals_outbox_insert AFTER INSERT ON deals
  WHEN new.deleted = 0 AND (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'deal', new.id, 'upsert', 0,
    json_object ('title', new.title, 'contact_id', new.contact_id,
                 'amount_fen', new.amount_fen, 'currency', new.currency,
                 'stage', new.stage, 'probability', new.probability,
                 'expected_close', new.expected_close, 'lost_reason', new.lost_reason,
                 'notes', new.notes, 'position', new.position, 'won_at', new.won_at)
  FROM sync_new_uuid;
END;

CREATE TRIGGER deals_outbox_update AFTER UPDATE ON deals
  WHEN (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'deal', new.id, 'delete', old.server_version, '{}' FROM sync_new_uuid
  WHERE old.deleted = 0 AND new.deleted = 1;
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'deal', new.id, 'upsert', old.server_version,
    json_object ('title', new.title, 'contact_id', new.contact_id,
                 'amount_fen', new.amount_fen, 'currency', new.currency,
                 'stage', new.stage, 'probability', new.probability,
                 'expected_close', new.expected_close, 'lost_reason', new.lost_reason,
                 'notes', new.notes, 'position', new.position, 'won_at', new.won_at)
  FROM sync_new_uuid WHERE old.deleted = 1 AND new.deleted = 0;
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT (SELECT uuid FROM sync_new_uuid), 'deal', new.id, 'upsert', old.server_version, f
  FROM (SELECT json_group_object (k, v) AS f, count (*) AS n FROM (
          SELECT 'title' AS k, new.title AS v WHERE new.title IS NOT old.title
          UNION ALL SELECT 'contact_id', new.contact_id
            WHERE new.contact_id IS NOT old.contact_id
          UNION ALL SELECT 'amount_fen', new.amount_fen
            WHERE new.amount_fen IS NOT old.amount_fen
          UNION ALL SELECT 'currency', new.currency WHERE new.currency IS NOT old.currency
          UNION ALL SELECT 'stage', new.stage WHERE new.stage IS NOT old.stage
          UNION ALL SELECT 'probability', new.probability
            WHERE new.probability IS NOT old.probability
          UNION ALL SELECT 'expected_close', new.expected_close
            WHERE new.expected_close IS NOT old.expected_close
          UNION ALL SELECT 'lost_reason', new.lost_reason
            WHERE new.lost_reason IS NOT old.lost_reason
          UNION ALL SELECT 'notes', new.notes WHERE new.notes IS NOT old.notes
          UNION ALL SELECT 'position', new.position WHERE new.position IS NOT old.position
          UNION ALL SELECT 'won_at', new.won_at WHERE new.won_at IS NOT old.won_at))
  WHERE n > 0 AND old.deleted = 0 AND new.deleted = 0;
END;

-- the certification: its record id is the company's, filled in by
-- crm_store_outbox_batch(); reject_reason is the server's alone

CREATE TRIGGER certification_outbox_insert AFTER INSERT ON certification
  WHEN (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'certification', '', 'upsert', 0,
    json_object ('company_name', new.company_name, 'uscc', new.uscc,
                 'legal_representative', new.legal_representative, 'address', new.address,
                 'status', new.status, 'license_sha256', new.license_sha256,
                 'license_mime_type', new.license_mime_type,
                 'license_name', new.license_name, 'license_size', new.license_size)
  FROM sync_new_uuid;
END;

CREATE TRIGGER certification_outbox_update AFTER UPDATE ON certification
  WHEN (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT (SELECT uuid FROM sync_new_uuid), 'certification', '', 'upsert',
    old.server_version, f
  FROM (SELECT json_group_object (k, v) AS f, count (*) AS n FROM (
          SELECT 'company_name' AS k, new.company_name AS v
            WHERE new.company_name IS NOT old.company_name
          UNION ALL SELECT 'uscc', new.uscc WHERE new.uscc IS NOT old.uscc
          UNION ALL SELECT 'legal_representative', new.legal_representative
            WHERE new.legal_representative IS NOT old.legal_representative
          UNION ALL SELECT 'address', new.address WHERE new.address IS NOT old.address
          UNION ALL SELECT 'status', new.status WHERE new.status IS NOT old.status
          UNION ALL SELECT 'license_sha256', new.license_sha256
            WHERE new.license_sha256 IS NOT old.license_sha256
          UNION ALL SELECT 'license_mime_type', new.license_mime_type
            WHERE new.license_mime_type IS NOT old.license_mime_type
          UNION ALL SELECT 'license_name', new.license_name
            WHERE new.license_name IS NOT old.license_name
          UNION ALL SELECT 'license_size', new.license_size
            WHERE new.license_size IS NOT old.license_size))
  WHERE n > 0;
END;

-- The search index of contacts is written per pulled page, in two
-- statements (crm-store-apply.c), not per row: FTS5 flushes its pending
-- terms at the savepoint of every statement that reaches it, and a pull
-- spent most of its time writing one-row index segments. The triggers
-- of 0002 are the same but for sync_state.applying.
DROP TRIGGER contacts_fts_insert;
DROP TRIGGER contacts_fts_delete;
DROP TRIGGER contacts_fts_update;
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts
  WHEN new.deleted = 0 AND (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)
  VALUES (new.local_id, new.name, new.company, new.mobile, new.phone, new.email, new.wechat);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts
  WHEN old.deleted = 0 AND (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, mobile, phone, email, wechat)
  VALUES ('delete', old.local_id, old.name, old.company, old.mobile, old.phone, old.email,
          old.wechat);
END;
CREATE TRIGGER contacts_fts_update
  AFTER UPDATE OF name, company, mobile, phone, email, wechat, deleted ON contacts
  WHEN (SELECT applying FROM sync_state) = 0 BEGIN
  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, mobile, phone, email, wechat)
  SELECT 'delete', old.local_id, old.name, old.company, old.mobile, old.phone, old.email,
         old.wechat WHERE old.deleted = 0;
  INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)
  SELECT new.local_id, new.name, new.company, new.mobile, new.phone, new.email, new.wechat
  WHERE new.deleted = 0;
END;
