-- 0011-search-layout.sql: schema version 11
--
-- The search index built in bulk (issue 19), compacted by one 'rebuild'.
--
-- Its layout stays detail=full, by measurement (crm-search-private.h,
-- CrmSearchLayout): without positions it is 4.3 times smaller, but a word
-- of three characters and more becomes the AND of its pairs, whose
-- candidates the rule must check one by one: search p95 27 ms instead of
-- 4.7 ms at 100,000 contacts. Its content is the live contacts
-- (contacts_live), so that one 'rebuild' leaves the tombstones out, as the
-- triggers always did.
--
-- search_index_state.indexed_upto, the watermark: the index holds every
-- live contact whose local_id is at most this, and none past it. A bulk
-- write (an import, a restore, a first pull) lowers it to the last local_id
-- before its rows, commits them without touching the index, and the
-- index is built afterwards (crm-search-build.c), raising it; a search
-- matches the rows past it by the rule (crm-store-search.c). Complete is
-- the largest integer. The triggers below leave the rows past it alone:
-- the build will read them as they are then.

DROP TRIGGER contacts_fts_insert;
DROP TRIGGER contacts_fts_delete;
DROP TRIGGER contacts_fts_update;
DROP TABLE contacts_fts;

CREATE TABLE search_index_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_upto INTEGER NOT NULL
);
INSERT INTO search_index_state (id, indexed_upto) VALUES (1, 9223372036854775807);

-- NOT INDEXED: in local_id order, which FTS5 needs to write its terms in
-- one go (the partial indexes on deleted = 0 gave another order, and a
-- 'rebuild' of 100,000 contacts took 3.7 s instead of 0.7 s)
CREATE VIEW contacts_live AS
  SELECT local_id, name, company, mobile, phone, email, wechat FROM contacts NOT INDEXED
  WHERE deleted = 0;

CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  name, company, mobile, phone, email, wechat,
  content = 'contacts_live', content_rowid = 'local_id',
  tokenize = 'crm_bigram', detail = full, columnsize = 0
);

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts
  WHEN new.deleted = 0 AND (SELECT applying FROM sync_state) = 0
    AND new.local_id <= (SELECT indexed_upto FROM search_index_state) BEGIN
  INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)
  VALUES (new.local_id, new.name, new.company, new.mobile, new.phone, new.email, new.wechat);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts
  WHEN old.deleted = 0 AND (SELECT applying FROM sync_state) = 0
    AND old.local_id <= (SELECT indexed_upto FROM search_index_state) BEGIN
  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, mobile, phone, email, wechat)
  VALUES ('delete', old.local_id, old.name, old.company, old.mobile, old.phone, old.email,
          old.wechat);
END;
CREATE TRIGGER contacts_fts_update
  AFTER UPDATE OF name, company, mobile, phone, email, wechat, deleted ON contacts
  WHEN (SELECT applying FROM sync_state) = 0
    AND old.local_id <= (SELECT indexed_upto FROM search_index_state) BEGIN
  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, mobile, phone, email, wechat)
  SELECT 'delete', old.local_id, old.name, old.company, old.mobile, old.phone, old.email,
         old.wechat WHERE old.deleted = 0;
  INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)
  SELECT new.local_id, new.name, new.company, new.mobile, new.phone, new.email, new.wechat
  WHERE new.deleted = 0;
END;

INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');
