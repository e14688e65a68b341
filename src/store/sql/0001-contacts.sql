-- 0001-contacts.sql: schema version 1
--
-- contacts and a key-value table for the app's own facts

CREATE TABLE contacts (
  local_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  mobile TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  wechat TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  sort_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_by_sort_key ON contacts (sort_key, id) WHERE deleted = 0;
CREATE INDEX contacts_by_mobile ON contacts (mobile);
CREATE INDEX contacts_by_email ON contacts (email COLLATE NOCASE);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
