-- The retracted rows by dataset and source, where they were by the time of
-- their retraction (which no read asked for). `stats` for a reader with
-- hidden collections takes off what those collections hide (`tally.rs`):
-- the retracted rows of the old archive dataset among them, found here
-- without going over every retracted row. Bulk writes keep this index row
-- by row (a load retracts few rows or none), and the recount at their end
-- reads it in the order it groups by.
DROP INDEX statement_retracted;
CREATE INDEX statement_retracted ON statement (dataset, source) WHERE retracted_at IS NOT NULL;
