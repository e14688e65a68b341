-- 0003-contact-count.sql: schema version 3
--
-- the number of live contacts, kept by triggers: count(*) walks a
-- million index entries, and the list needs the number at start-up

CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counters SELECT 'contacts', count(*) FROM contacts WHERE deleted = 0;
CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts WHEN new.deleted = 0 BEGIN
  UPDATE counters SET n = n + 1 WHERE name = 'contacts';
END;
CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts WHEN old.deleted = 0 BEGIN
  UPDATE counters SET n = n - 1 WHERE name = 'contacts';
END;
CREATE TRIGGER contacts_count_update AFTER UPDATE OF deleted ON contacts
  WHEN old.deleted <> new.deleted BEGIN
  UPDATE counters SET n = n + old.deleted - new.deleted WHERE name = 'contacts';
END;
