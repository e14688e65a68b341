-- 0012-team.sql: schema version 12
--
-- What the team's server tells this computer besides the records (issue 12,
-- "Team sync, part 2"). None of it is a record: nothing here is queued in
-- the outbox, and a delete of all data clears it with the sync state.
--
-- team_users: the company's users, as GET /v1/users (docs/sync-protocol.md)
-- last answered; the owner (负责人) of a contact is chosen from them. The
-- name is what contacts.owner holds. Replaced whole by each answer.
--
-- notices: pricing and terms notices (GET /v1/notices), kept so they show
-- offline and each is announced once: seen_at is when this computer's user
-- read it (NULL: not yet). A terms notice's terms_version is asked for
-- again before anything else (terms_acceptance, 0004-terms.sql).
--
-- conflicts.other_user and other_at: who made the value that lost, and
-- when, as the server said (push results' conflict_by and conflict_at);
-- NULL when the server did not say (older rows, older servers).
--
-- contacts_by_owner: the "My customers" filter reads the contacts of one
-- owner. Partial, so contacts with no owner (every contact before sync)
-- cost an insert nothing.

CREATE TABLE team_users (
  name TEXT PRIMARY KEY,
  user_id TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE notices (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('pricing', 'terms')),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  published_at TEXT NOT NULL,
  effective_at TEXT NOT NULL,
  terms_version TEXT,
  seen_at TEXT
);

ALTER TABLE conflicts ADD COLUMN other_user TEXT;
ALTER TABLE conflicts ADD COLUMN other_at TEXT;

CREATE INDEX contacts_by_owner ON contacts (owner) WHERE deleted = 0 AND owner <> '';
