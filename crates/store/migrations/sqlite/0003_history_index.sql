-- An entity's history by its canonical id, retracted rows included (the
-- partial index statement_entity covers current rows only). Without it,
-- `history` scanned the whole log.
CREATE INDEX statement_canonical_history ON statement (canonical_id, seq);
