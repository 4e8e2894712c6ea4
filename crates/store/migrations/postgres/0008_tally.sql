-- Counts `stats` reads instead of going over every statement (SQLite's
-- migration 14 keeps the same counts). Triggers note every change of a
-- statement's counted columns, whatever path the write takes, as rows of
-- `tally_pending`; the write folds them into the counts before it commits
-- (`PgStore::write`, the `FOLD` there). Counting straight into the counts
-- row by row was tried: PostgreSQL keeps every version of a row updated
-- in one transaction until it ends, so an import updating one source's
-- count a hundred thousand times walked ever longer chains (seven times
-- slower imports).

-- Statements by dataset and source: all of them, and the current ones.
CREATE TABLE tally_source (
    dataset     TEXT NOT NULL,
    source      TEXT NOT NULL,
    statements  BIGINT NOT NULL,
    current     BIGINT NOT NULL,
    PRIMARY KEY (dataset, source)
);

-- How many current statements are read as each entity's (their
-- `canonical_id`): an entity is counted in `stats` while it has one. One
-- merged into another has none: its statements are read as the other's.
ALTER TABLE entity ADD COLUMN current BIGINT NOT NULL DEFAULT 0;

-- Entities with a current statement, by schema.
CREATE TABLE tally_schema (
    schema    TEXT PRIMARY KEY,
    entities  BIGINT NOT NULL
);

-- Changes not yet folded into the counts: empty between writes.
CREATE TABLE tally_pending (
    dataset     TEXT NOT NULL,
    source      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    statements  INTEGER NOT NULL,
    current     INTEGER NOT NULL
);

CREATE FUNCTION tally_statement_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tally_pending VALUES
        (NEW.dataset, NEW.source, NEW.canonical_id, 1, (NEW.retracted_at IS NULL)::int);
    RETURN NULL;
END $$;
CREATE TRIGGER tally_statement_insert AFTER INSERT ON statement
FOR EACH ROW EXECUTE FUNCTION tally_statement_added();

-- A retraction, a merge or a split (which move `canonical_id`), or any
-- other change of what is counted: the old row taken out, the new put in.
-- Only rows whose counted columns changed (a source saying a statement
-- again touches its `last_seen` only).
CREATE FUNCTION tally_statement_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tally_pending VALUES
        (OLD.dataset, OLD.source, OLD.canonical_id, -1, -(OLD.retracted_at IS NULL)::int),
        (NEW.dataset, NEW.source, NEW.canonical_id, 1, (NEW.retracted_at IS NULL)::int);
    RETURN NULL;
END $$;
CREATE TRIGGER tally_statement_update
AFTER UPDATE OF retracted_at, canonical_id, dataset, source ON statement
FOR EACH ROW WHEN (
    (OLD.retracted_at IS NULL) <> (NEW.retracted_at IS NULL)
    OR OLD.canonical_id <> NEW.canonical_id
    OR OLD.dataset <> NEW.dataset OR OLD.source <> NEW.source)
EXECUTE FUNCTION tally_statement_changed();

-- An entity counted under one schema comes to have another (rare: a more
-- specific schema, a merge). Counted at once, by the `current` the last
-- fold left; the fold then counts what this write's statements changed
-- under the schema the entity has by then, which comes to the same.
CREATE FUNCTION tally_schema_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tally_schema SET entities = entities - 1 WHERE schema = OLD.schema;
    INSERT INTO tally_schema AS t (schema, entities) VALUES (NEW.schema, 1)
    ON CONFLICT (schema) DO UPDATE SET entities = t.entities + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_schema_update AFTER UPDATE OF schema ON entity
FOR EACH ROW WHEN (OLD.schema <> NEW.schema AND OLD.current > 0)
EXECUTE FUNCTION tally_schema_changed();

-- The counts of the statements already recorded.
INSERT INTO tally_source (dataset, source, statements, current)
SELECT dataset, source, count(*), count(*) FILTER (WHERE retracted_at IS NULL)
FROM statement GROUP BY dataset, source;
UPDATE entity e SET current = c.n
FROM (SELECT canonical_id, count(*) AS n FROM statement WHERE retracted_at IS NULL
      GROUP BY canonical_id) c
WHERE e.id = c.canonical_id;
INSERT INTO tally_schema (schema, entities)
SELECT schema, count(*) FROM entity WHERE current > 0 GROUP BY schema;
