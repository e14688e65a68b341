-- 0005-certification.sql: schema version 5
--
-- content-addressed blobs (license scans) and the company's
-- certification, locked by triggers once certified

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY CHECK (length (sha256) = 64),
  mime_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data BLOB NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE certification (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  company_name TEXT NOT NULL DEFAULT '',
  uscc TEXT NOT NULL DEFAULT '',
  legal_representative TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  license_sha256 TEXT REFERENCES blobs (sha256),
  license_mime_type TEXT,
  license_name TEXT,
  license_size INTEGER,
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'submitted', 'certified', 'rejected')),
  reject_reason TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  server_version INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER certification_locked BEFORE UPDATE ON certification
  WHEN old.status = 'certified' AND (
    new.company_name IS NOT old.company_name OR new.uscc IS NOT old.uscc
    OR new.legal_representative IS NOT old.legal_representative
    OR new.address IS NOT old.address OR new.license_sha256 IS NOT old.license_sha256
    OR new.license_mime_type IS NOT old.license_mime_type
    OR new.license_size IS NOT old.license_size OR new.status <> 'certified') BEGIN
  SELECT RAISE (ABORT, 'crm: certified information cannot be changed');
END;
CREATE TRIGGER certification_locked_delete BEFORE DELETE ON certification
  WHEN old.status = 'certified' BEGIN
  SELECT RAISE (ABORT, 'crm: certified information cannot be changed');
END;
