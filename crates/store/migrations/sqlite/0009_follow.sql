-- Following the log: a retraction is dated in log order too, by the newest
-- statement row when it was made, so a follower that read up to row N
-- finds every later retraction among `retracted_seq >= N` (statement rows
-- and merges have their own numbers already).
ALTER TABLE statement ADD COLUMN retracted_seq INTEGER;
CREATE INDEX statement_retracted_seq ON statement (retracted_seq) WHERE retracted_seq IS NOT NULL;
