-- A statement's id as the 20 bytes of the SHA-1 its 40 hexadecimal digits
-- spell, in place of the text (`sqlite/ids.rs`): every id Dossier makes is
-- one, and it is in the row and again in the unique index of current rows,
-- the costliest index a bulk load makes. The row is a tenth smaller, that
-- index a third (BENCHMARKS.md, issue 29, part 1). An id of any other form
-- (a log loaded verbatim may carry one) stays text; the two forms never
-- compare equal and each id has one, so the index's uniqueness is the
-- same. PostgreSQL keeps the text.
DROP INDEX statement_current;
UPDATE statement SET id = unhex(id)
WHERE typeof(id) = 'text' AND length(id) = 40 AND id NOT GLOB '*[^0-9a-f]*';
CREATE UNIQUE INDEX statement_current ON statement (id, source) WHERE retracted_at IS NULL;
