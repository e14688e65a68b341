-- 0002-search-index.sql: schema version 2
--
-- the substring search index (see crm-search.c); tombstones are left out
-- crm_bigram is CRM_SEARCH_TOKENIZER (crm-search-private.h)

CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  name, company, mobile, phone, email, wechat,
  content = 'contacts', content_rowid = 'local_id',
  tokenize = 'crm_bigram', detail = full, columnsize = 0
);
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts WHEN new.deleted = 0 BEGIN
  INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)
  VALUES (new.local_id, new.name, new.company, new.mobile, new.phone, new.email, new.wechat);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts WHEN old.deleted = 0 BEGIN
  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, mobile, phone, email, wechat)
  VALUES ('delete', old.local_id, old.name, old.company, old.mobile, old.phone, old.email,
          old.wechat);
END;
CREATE TRIGGER contacts_fts_update
  AFTER UPDATE OF name, company, mobile, phone, email, wechat, deleted ON contacts BEGIN
  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, mobile, phone, email, wechat)
  SELECT 'delete', old.local_id, old.name, old.company, old.mobile, old.phone, old.email,
         old.wechat WHERE old.deleted = 0;
  INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)
  SELECT new.local_id, new.name, new.company, new.mobile, new.phone, new.email, new.wechat
  WHERE new.deleted = 0;
END;
INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)
  SELECT local_id, name, company, mobile, phone, email, wechat FROM contacts
  WHERE deleted = 0;
