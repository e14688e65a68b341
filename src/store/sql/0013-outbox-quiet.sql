-- 0013-outbox-quiet.sql: schema version 13
--
-- The outbox triggers (0008-sync.sql, 0010-followups.sql) queue nothing
-- until a company is set (sync_state.company_id, the first sign-in). A
-- store that has never signed in has nobody to send its rows to, and the
-- first sign-in replaces its pending queue anyway with one whole upsert per
-- live record (queue_everything() in crm-store-sync.c): the rows written
-- before it were thrown away unread, yet they were about a third of an
-- import's work per row and doubled the file (issue 19's profile). So a
-- store before sign-in queues nothing, the first sign-in queues exactly
-- what it queued before, and a store signed in queues every edit as
-- before. Delete All clears the company, and the triggers are quiet again
-- until the next sign-in (which queues everything, as it always did).
--
-- The triggers are the same but for that condition, added to their WHEN
-- beside sync_state.applying. The import's own outbox statement
-- (crm-store-import.c, OUTBOX_ADDED_SQL) has the same condition.
--
-- The pending rows of a store with no company are dropped here: dead
-- weight, nothing reads them before a sign-in (the sync engine signs in
-- before it pushes), and the sign-in would replace them. The VACUUM of
-- their pages is left to SQLite's free list (a migration runs in a
-- transaction; the pages are reused by the next writes).

DELETE FROM outbox WHERE state = 'pending' AND (SELECT company_id FROM sync_state) IS NULL;

DROP TRIGGER contacts_outbox_insert;
CREATE TRIGGER contacts_outbox_insert AFTER INSERT ON contacts
  WHEN new.deleted = 0 AND (SELECT applying FROM sync_state) = 0
    AND (SELECT company_id FROM sync_state) IS NOT NULL BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'contact', new.id, 'upsert', 0,
    json_object ('name', new.name, 'company', new.company, 'title', new.title,
                 'mobile', new.mobile, 'phone', new.phone, 'email', new.email,
                 'wechat', new.wechat, 'address', new.address, 'tags', new.tags,
                 'notes', new.notes, 'owner', new.owner)
  FROM sync_new_uuid;
END;

DROP TRIGGER contacts_outbox_update;
CREATE TRIGGER contacts_outbox_update AFTER UPDATE ON contacts
  WHEN (SELECT applying FROM sync_state) = 0
    AND (SELECT company_id FROM sync_state) IS NOT NULL BEGIN
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

DROP TRIGGER deals_outbox_insert;
CREATE TRIGGER deals_outbox_insert AFTER INSERT ON deals
  WHEN new.deleted = 0 AND (SELECT applying FROM sync_state) = 0
    AND (SELECT company_id FROM sync_state) IS NOT NULL BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'deal', new.id, 'upsert', 0,
    json_object ('title', new.title, 'contact_id', new.contact_id,
                 'amount_fen', new.amount_fen, 'currency', new.currency,
                 'stage', new.stage, 'probability', new.probability,
                 'expected_close', new.expected_close, 'lost_reason', new.lost_reason,
                 'notes', new.notes, 'position', new.position, 'won_at', new.won_at)
  FROM sync_new_uuid;
END;

DROP TRIGGER deals_outbox_update;
CREATE TRIGGER deals_outbox_update AFTER UPDATE ON deals
  WHEN (SELECT applying FROM sync_state) = 0
    AND (SELECT company_id FROM sync_state) IS NOT NULL BEGIN
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

DROP TRIGGER certification_outbox_insert;
CREATE TRIGGER certification_outbox_insert AFTER INSERT ON certification
  WHEN (SELECT applying FROM sync_state) = 0
    AND (SELECT company_id FROM sync_state) IS NOT NULL BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'certification', '', 'upsert', 0,
    json_object ('company_name', new.company_name, 'uscc', new.uscc,
                 'legal_representative', new.legal_representative, 'address', new.address,
                 'status', new.status, 'license_sha256', new.license_sha256,
                 'license_mime_type', new.license_mime_type,
                 'license_name', new.license_name, 'license_size', new.license_size)
  FROM sync_new_uuid;
END;

DROP TRIGGER certification_outbox_update;
CREATE TRIGGER certification_outbox_update AFTER UPDATE ON certification
  WHEN (SELECT applying FROM sync_state) = 0
    AND (SELECT company_id FROM sync_state) IS NOT NULL BEGIN
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

DROP TRIGGER followups_outbox_insert;
CREATE TRIGGER followups_outbox_insert AFTER INSERT ON followups
  WHEN new.deleted = 0 AND (SELECT applying FROM sync_state) = 0
    AND (SELECT company_id FROM sync_state) IS NOT NULL BEGIN
  INSERT INTO outbox (mutation_id, kind, record_id, op, base_version, fields_json)
  SELECT uuid, 'followup', new.id, 'upsert', 0,
    json_object ('contact_id', new.contact_id, 'deal_id', new.deal_id,
                 'happened_at', new.happened_at, 'kind', new.kind, 'notes', new.notes,
                 'next_step', new.next_step, 'next_at', new.next_at,
                 'done_at', new.done_at)
  FROM sync_new_uuid;
END;

DROP TRIGGER followups_outbox_update;
CREATE TRIGGER followups_outbox_update AFTER UPDATE ON followups
  WHEN (SELECT applying FROM sync_state) = 0
    AND (SELECT company_id FROM sync_state) IS NOT NULL BEGIN
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
