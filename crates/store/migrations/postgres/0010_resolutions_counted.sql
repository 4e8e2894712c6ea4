-- What is merged into what (`resolution`) is read whole within a read
-- snapshot and kept for the next. It was kept while the store's version
-- held, so any write made every server read every merge again at its
-- next page. This number moves whenever `resolution` changes, on every
-- path (a merge, a split, a load), once a writing statement; a snapshot
-- learns it with its version and reads the merges again only when it
-- moved. Writers hold this row already (`PgStore::write`).
ALTER TABLE store_version ADD COLUMN resolutions BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION resolution_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_version SET resolutions = resolutions + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER resolution_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON resolution
FOR EACH STATEMENT EXECUTE FUNCTION resolution_changed();
