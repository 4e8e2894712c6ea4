-- New statements are noted for the counts once a statement that writes
-- them (an `INSERT`, a load's or an apply's `COPY`), grouped by what is
-- counted, where migration 8 noted each row with a row of its own: a
-- trigger call and a row of `tally_pending` a statement written. What is
-- folded (`PgStore::write`, the `FOLD` there) sums the same.
CREATE FUNCTION tally_statements_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tally_pending (dataset, source, entity, statements, current)
    SELECT dataset, source, canonical_id, count(*)::int,
           (count(*) FILTER (WHERE retracted_at IS NULL))::int
    FROM added GROUP BY dataset, source, canonical_id;
    RETURN NULL;
END $$;
DROP TRIGGER tally_statement_insert ON statement;
DROP FUNCTION tally_statement_added();
CREATE TRIGGER tally_statement_insert AFTER INSERT ON statement
REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION tally_statements_added();
