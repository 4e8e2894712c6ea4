-- The retracted rows by dataset and source (SQLite's migration 20): `stats`
-- for a reader with hidden collections takes off what those collections
-- hide (`tally.rs`), the retracted rows of the old archive dataset among
-- them, found here without going over every row.
CREATE INDEX statement_retracted ON statement (dataset, source) WHERE retracted_at IS NOT NULL;
