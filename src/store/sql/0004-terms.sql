-- 0004-terms.sql: schema version 4
--
-- which terms of service were accepted, when, and in which language:
-- kept with the data, so exports carry it

CREATE TABLE terms_acceptance (
  version TEXT NOT NULL,
  language TEXT NOT NULL,
  accepted_at TEXT NOT NULL
);
