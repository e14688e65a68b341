-- 0007-deal-totals.sql: schema version 7
--
-- the deals header's figures kept by triggers (a GROUP BY over 100k
-- deals reads every row), won_at indexed for "won this month", and the
-- list's sort orders indexed; no expected close is NULL, never ''

UPDATE deals SET expected_close = NULL WHERE expected_close = '';
CREATE TABLE deal_totals (
  stage TEXT PRIMARY KEY,
  n INTEGER NOT NULL DEFAULT 0,
  amount INTEGER NOT NULL DEFAULT 0,
  weighted_x100 INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO deal_totals (stage) VALUES ('lead'), ('qualified'), ('proposal'),
  ('negotiation'), ('won'), ('lost');
UPDATE deal_totals SET
  n = (SELECT count(*) FROM deals WHERE deleted = 0 AND stage = deal_totals.stage),
  amount = (SELECT coalesce (sum (amount_fen), 0) FROM deals
            WHERE deleted = 0 AND stage = deal_totals.stage),
  weighted_x100 = (SELECT coalesce (sum (amount_fen * probability), 0) FROM deals
                   WHERE deleted = 0 AND stage = deal_totals.stage);
CREATE TRIGGER deal_totals_insert AFTER INSERT ON deals WHEN new.deleted = 0 BEGIN
  UPDATE deal_totals SET n = n + 1, amount = amount + new.amount_fen,
    weighted_x100 = weighted_x100 + new.amount_fen * new.probability
  WHERE stage = new.stage;
END;
CREATE TRIGGER deal_totals_delete AFTER DELETE ON deals WHEN old.deleted = 0 BEGIN
  UPDATE deal_totals SET n = n - 1, amount = amount - old.amount_fen,
    weighted_x100 = weighted_x100 - old.amount_fen * old.probability
  WHERE stage = old.stage;
END;
CREATE TRIGGER deal_totals_update
  AFTER UPDATE OF stage, amount_fen, probability, deleted ON deals BEGIN
  UPDATE deal_totals SET n = n - 1, amount = amount - old.amount_fen,
    weighted_x100 = weighted_x100 - old.amount_fen * old.probability
  WHERE stage = old.stage AND old.deleted = 0;
  UPDATE deal_totals SET n = n + 1, amount = amount + new.amount_fen,
    weighted_x100 = weighted_x100 + new.amount_fen * new.probability
  WHERE stage = new.stage AND new.deleted = 0;
END;
CREATE INDEX deals_won ON deals (won_at, amount_fen) WHERE deleted = 0 AND stage = 'won';
CREATE INDEX deals_by_amount ON deals (amount_fen) WHERE deleted = 0;
CREATE INDEX deals_by_updated ON deals (updated_at) WHERE deleted = 0;
