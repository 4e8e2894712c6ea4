-- Following the log (as SQLite's migration 9): a retraction is dated by the
-- newest statement row when it was made, and `shape` moves on when every
-- read changes (who may read which collection, a redaction, a native load),
-- so followers start again from nothing.
ALTER TABLE statement ADD COLUMN retracted_seq BIGINT;
CREATE INDEX statement_retracted_seq ON statement (retracted_seq) WHERE retracted_seq IS NOT NULL;
ALTER TABLE store_version ADD COLUMN shape BIGINT NOT NULL DEFAULT 0;
