-- 0009-pinyin.sql: schema version 9
--
-- Names in pinyin order, Latin and Chinese mixed by letter, a search
-- index that also holds the pinyin of Han text (crm-pinyin.c, crm-search.c),
-- and the tags one by one for "#tag" searches.
-- crm_sort_key() is a C function of every connection
-- (_crm_search_register_tokenizer()), the one _crm_contact_make_sort_key()
-- every write path uses. While the keys are rewritten, sync_state.applying
-- keeps the outbox triggers quiet (a sort key is not synced, they would
-- queue nothing yet test every row), and the sort index is built once
-- afterwards rather than moved a row at a time.

UPDATE sync_state SET applying = 1;
DROP INDEX contacts_by_sort_key;
UPDATE contacts SET sort_key = crm_sort_key (name);
CREATE INDEX contacts_by_sort_key ON contacts (sort_key, id) WHERE deleted = 0;
UPDATE sync_state SET applying = 0;

-- the index again, through the tokenizer that now adds the pinyin
INSERT INTO contacts_fts (contacts_fts) VALUES ('delete-all');
INSERT INTO contacts_fts (rowid, name, company, mobile, phone, email, wechat)
  SELECT local_id, name, company, mobile, phone, email, wechat FROM contacts
  WHERE deleted = 0;

-- Tags, one row a tag of a live contact, folded and split as the search
-- does (crm_tags() gives them as a JSON array): a "#tag" word of a search
-- reads a range of this index. Kept by triggers, so every write path,
-- the sync's pulls included, keeps them.
CREATE TABLE contact_tags (
  tag TEXT NOT NULL,
  local_id INTEGER NOT NULL,
  PRIMARY KEY (tag, local_id)
) WITHOUT ROWID;
CREATE TRIGGER contact_tags_insert AFTER INSERT ON contacts
  WHEN new.deleted = 0 AND new.tags <> '' BEGIN
  INSERT OR IGNORE INTO contact_tags (tag, local_id)
    SELECT value, new.local_id FROM json_each (crm_tags (new.tags));
END;
CREATE TRIGGER contact_tags_delete AFTER DELETE ON contacts
  WHEN old.deleted = 0 AND old.tags <> '' BEGIN
  DELETE FROM contact_tags WHERE local_id = old.local_id
    AND tag IN (SELECT value FROM json_each (crm_tags (old.tags)));
END;
CREATE TRIGGER contact_tags_update AFTER UPDATE OF tags, deleted ON contacts BEGIN
  DELETE FROM contact_tags WHERE old.deleted = 0 AND local_id = old.local_id
    AND tag IN (SELECT value FROM json_each (crm_tags (old.tags)));
  INSERT OR IGNORE INTO contact_tags (tag, local_id)
    SELECT value, new.local_id FROM json_each (crm_tags (new.tags))
    WHERE new.deleted = 0 AND new.tags <> '';
END;
INSERT OR IGNORE INTO contact_tags (tag, local_id)
  SELECT j.value, c.local_id FROM contacts c, json_each (crm_tags (c.tags)) j
  WHERE c.deleted = 0 AND c.tags <> '';
