-- Counts `stats` reads instead of going over every statement (a store of
-- ten million statements took seconds to count). The triggers below keep
-- them on every write, whatever path it takes; a bulk write into an empty
-- store drops the triggers with the indexes and counts once at the end
-- (`SqliteStore::in_transaction`, the `RECOUNT` there is this file's end).

-- Statements by dataset and source: all of them, and the current ones.
CREATE TABLE tally_source (
    dataset     TEXT NOT NULL,
    source      TEXT NOT NULL,
    statements  INTEGER NOT NULL,
    current     INTEGER NOT NULL,
    PRIMARY KEY (dataset, source)
) WITHOUT ROWID;

-- How many current statements are read as each entity's (their
-- `canonical_id`): an entity is counted in `stats` while it has one. One
-- merged into another has none: its statements are read as the other's.
ALTER TABLE entity ADD COLUMN current INTEGER NOT NULL DEFAULT 0;

-- Entities with a current statement, by schema.
CREATE TABLE tally_schema (
    schema    TEXT PRIMARY KEY NOT NULL,
    entities  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER tally_statement_insert AFTER INSERT ON statement BEGIN
    INSERT INTO tally_source (dataset, source, statements, current)
    VALUES (NEW.dataset, NEW.source, 1, NEW.retracted_at IS NULL)
    ON CONFLICT (dataset, source) DO UPDATE
    SET statements = statements + 1, current = current + excluded.current;
    UPDATE entity SET current = current + 1
    WHERE id = NEW.canonical_id AND NEW.retracted_at IS NULL;
END;

-- A retraction, a merge or a split (which move `canonical_id`), or any
-- other change of what is counted: the old row taken out, the new put in.
CREATE TRIGGER tally_statement_update
AFTER UPDATE OF retracted_at, canonical_id, dataset, source ON statement BEGIN
    UPDATE tally_source
    SET statements = statements - 1, current = current - (OLD.retracted_at IS NULL)
    WHERE dataset = OLD.dataset AND source = OLD.source;
    INSERT INTO tally_source (dataset, source, statements, current)
    VALUES (NEW.dataset, NEW.source, 1, NEW.retracted_at IS NULL)
    ON CONFLICT (dataset, source) DO UPDATE
    SET statements = statements + 1, current = current + excluded.current;
    UPDATE entity SET current = current - 1
    WHERE id = OLD.canonical_id AND OLD.retracted_at IS NULL;
    UPDATE entity SET current = current + 1
    WHERE id = NEW.canonical_id AND NEW.retracted_at IS NULL;
END;

-- An entity comes to have a current statement, has none left, or changes
-- schema.
CREATE TRIGGER tally_entity_update AFTER UPDATE OF current, schema ON entity
WHEN (OLD.current > 0) <> (NEW.current > 0) OR (NEW.current > 0 AND OLD.schema <> NEW.schema)
BEGIN
    UPDATE tally_schema SET entities = entities - 1
    WHERE schema = OLD.schema AND OLD.current > 0;
    INSERT INTO tally_schema (schema, entities)
    SELECT NEW.schema, 1 WHERE NEW.current > 0
    ON CONFLICT (schema) DO UPDATE SET entities = entities + 1;
END;

-- The counts of the statements already recorded.
DELETE FROM tally_source;
INSERT INTO tally_source (dataset, source, statements, current)
SELECT dataset, source, count(*), count(*) FILTER (WHERE retracted_at IS NULL)
FROM statement GROUP BY dataset, source;
UPDATE entity SET current = c.n
FROM (SELECT canonical_id, count(*) AS n FROM statement WHERE retracted_at IS NULL
      GROUP BY canonical_id) AS c
WHERE c.canonical_id = entity.id;
DELETE FROM tally_schema;
INSERT INTO tally_schema (schema, entities)
SELECT schema, count(*) FROM entity WHERE current > 0 GROUP BY schema;
