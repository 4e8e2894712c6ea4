-- Migration 5's label index again, with its properties as `prop = … OR …`
-- in place of `prop IN (…)`. The same rows and keys; SQLite evaluates an
-- IN list in an index's condition by building a small table for it again
-- on every row, so making this index after a bulk load took longer than
-- the entity index over every row (3.6 s against 1.5 s for the 1.16M
-- statements of 100,000 organizations, BENCHMARKS.md). `Store::labels`
-- states the condition word for word (`LABEL_CONDITION` in
-- `sqlite/read.rs`), so SQLite sees that the index covers the query.
DROP INDEX statement_label;
CREATE INDEX statement_label ON statement (canonical_id, prop, schema, value, seq)
WHERE retracted_at IS NULL
  AND (prop = 'id' OR prop = 'name' OR prop = 'title' OR prop = 'text' OR prop = 'fileName' OR prop = 'description');
