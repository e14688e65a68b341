-- 0006-deals.sql: schema version 6
--
-- deals, amounts in fen; a contact with live deals cannot be deleted
-- (tombstoned) until its deals are dealt with: never orphaned silently

CREATE TABLE deals (
  local_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL CHECK (title <> ''),
  contact_id TEXT REFERENCES contacts (id) ON DELETE RESTRICT,
  amount_fen INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
  currency TEXT NOT NULL DEFAULT 'CNY',
  stage TEXT NOT NULL DEFAULT 'lead' CHECK (stage IN ('lead', 'qualified', 'proposal',
    'negotiation', 'won', 'lost')),
  probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
  expected_close TEXT,
  lost_reason TEXT NOT NULL DEFAULT '' CHECK (stage <> 'lost' OR lost_reason <> ''),
  notes TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  won_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deals_by_stage ON deals (stage, position, local_id) WHERE deleted = 0;
CREATE INDEX deals_by_contact ON deals (contact_id) WHERE deleted = 0;
CREATE TRIGGER contacts_keep_deals BEFORE UPDATE OF deleted ON contacts
  WHEN new.deleted = 1 AND old.deleted = 0
  AND EXISTS (SELECT 1 FROM deals WHERE contact_id = old.id AND deleted = 0) BEGIN
  SELECT RAISE (ABORT, 'crm: the contact has deals');
END;
