-- The statement log's repeated words (schemata, properties, property types,
-- datasets) as integer keys into `term`, in place of their text in every
-- row: a store had ten schemata, thirty-odd properties and one dataset over
-- a million rows, each written out in full in the row and again in the
-- indexes that hold them (the entity index holds three of them). The rows
-- are a fifth smaller, and a bulk load's indexes a third quicker to make
-- (BENCHMARKS.md, issue 29, part 1). Reads turn keys back into words
-- (`sqlite/terms.rs`); PostgreSQL keeps its words in its rows.
CREATE TABLE term (
    key   INTEGER PRIMARY KEY,
    text  TEXT NOT NULL UNIQUE
);

-- The words the indexes' conditions name, at keys the code states as
-- numbers (`sqlite/terms.rs`, `RESERVED`): an index's condition must be
-- the same words as its reads' for SQLite to use it.
INSERT INTO term (key, text) VALUES
    (1, 'id'), (2, 'name'), (3, 'title'), (4, 'text'), (5, 'fileName'),
    (6, 'description'), (7, 'entity');
INSERT OR IGNORE INTO term (text)
    SELECT schema FROM statement UNION SELECT prop FROM statement
    UNION SELECT prop_type FROM statement UNION SELECT dataset FROM statement;

CREATE TABLE statement_keyed (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL,
    entity_id       TEXT NOT NULL REFERENCES entity(id),
    canonical_id    TEXT NOT NULL REFERENCES entity(id),
    schema          INTEGER NOT NULL,
    prop            INTEGER NOT NULL,
    prop_type       INTEGER NOT NULL,
    value           TEXT NOT NULL,
    original_value  TEXT,
    lang            TEXT,
    dataset         INTEGER NOT NULL,
    origin          TEXT,
    external        INTEGER NOT NULL DEFAULT 0 CHECK (external IN (0, 1)),
    source          TEXT NOT NULL REFERENCES entity(id),
    user            TEXT NOT NULL,
    first_seen      TEXT NOT NULL,
    last_seen       TEXT NOT NULL,
    retracted_at    TEXT,
    retraction      TEXT,
    retracted_seq   INTEGER,
    CHECK ((retracted_at IS NULL) = (retraction IS NULL))
);

INSERT INTO statement_keyed
SELECT s.seq, s.id, s.entity_id, s.canonical_id,
    (SELECT key FROM term WHERE text = s.schema), (SELECT key FROM term WHERE text = s.prop),
    (SELECT key FROM term WHERE text = s.prop_type), s.value, s.original_value, s.lang,
    (SELECT key FROM term WHERE text = s.dataset), s.origin, s.external, s.source, s.user,
    s.first_seen, s.last_seen, s.retracted_at, s.retraction, s.retracted_seq
FROM statement s ORDER BY s.seq;

-- The log's numbering goes on where it was.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'statement_keyed', 0 WHERE NOT EXISTS
    (SELECT 1 FROM sqlite_sequence WHERE name = 'statement_keyed');
UPDATE sqlite_sequence
SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'statement'), 0))
WHERE name = 'statement_keyed';

DROP TRIGGER tally_statement_insert;
DROP TRIGGER tally_statement_update;
DROP TRIGGER tally_retracted_insert;
DROP TRIGGER tally_retracted_update;
DROP TRIGGER tally_retracted_delete;
DROP TABLE statement;
DELETE FROM sqlite_sequence WHERE name = 'statement';
ALTER TABLE statement_keyed RENAME TO statement;

-- The indexes of migrations 1, 9, 10, 15 and 16, on the keyed columns.
CREATE UNIQUE INDEX statement_current ON statement (id, source) WHERE retracted_at IS NULL;
CREATE INDEX statement_by_source ON statement (source, dataset) WHERE retracted_at IS NULL;
CREATE INDEX statement_refs ON statement (value) WHERE retracted_at IS NULL AND prop_type = 7;
CREATE INDEX statement_names ON statement (prop) WHERE retracted_at IS NULL AND prop_type = 2;
CREATE INDEX statement_retracted ON statement (retracted_at) WHERE retracted_at IS NOT NULL;
CREATE INDEX statement_retracted_seq ON statement (retracted_seq) WHERE retracted_seq IS NOT NULL;
CREATE INDEX statement_entity ON statement (
    canonical_id, seq, retracted_at, entity_id, dataset, schema, prop, value, original_value
);
CREATE INDEX statement_merged ON statement (entity_id, seq) WHERE canonical_id <> entity_id;
CREATE INDEX statement_label ON statement (canonical_id, prop, schema, value, seq)
WHERE retracted_at IS NULL
  AND (prop = 1 OR prop = 2 OR prop = 3 OR prop = 4 OR prop = 5 OR prop = 6);

-- The triggers of migrations 14 and 17; the counts by source keep the
-- dataset's word.
CREATE TRIGGER tally_statement_insert AFTER INSERT ON statement BEGIN
    INSERT INTO tally_source (dataset, source, statements, current)
    VALUES ((SELECT text FROM term WHERE key = NEW.dataset), NEW.source, 1,
            NEW.retracted_at IS NULL)
    ON CONFLICT (dataset, source) DO UPDATE
    SET statements = statements + 1, current = current + excluded.current;
    UPDATE entity SET current = current + 1
    WHERE id = NEW.canonical_id AND NEW.retracted_at IS NULL;
END;

CREATE TRIGGER tally_statement_update
AFTER UPDATE OF retracted_at, canonical_id, dataset, source ON statement BEGIN
    UPDATE tally_source
    SET statements = statements - 1, current = current - (OLD.retracted_at IS NULL)
    WHERE dataset = (SELECT text FROM term WHERE key = OLD.dataset) AND source = OLD.source;
    INSERT INTO tally_source (dataset, source, statements, current)
    VALUES ((SELECT text FROM term WHERE key = NEW.dataset), NEW.source, 1,
            NEW.retracted_at IS NULL)
    ON CONFLICT (dataset, source) DO UPDATE
    SET statements = statements + 1, current = current + excluded.current;
    UPDATE entity SET current = current - 1
    WHERE id = OLD.canonical_id AND OLD.retracted_at IS NULL;
    UPDATE entity SET current = current + 1
    WHERE id = NEW.canonical_id AND NEW.retracted_at IS NULL;
END;

CREATE TRIGGER tally_retracted_insert AFTER INSERT ON statement
WHEN NEW.retracted_at IS NOT NULL BEGIN
    UPDATE counter SET value = value + 1 WHERE name = 'retracted';
END;

CREATE TRIGGER tally_retracted_update AFTER UPDATE OF retracted_at ON statement
WHEN (OLD.retracted_at IS NULL) <> (NEW.retracted_at IS NULL) BEGIN
    UPDATE counter SET value = value + CASE WHEN NEW.retracted_at IS NULL THEN -1 ELSE 1 END
    WHERE name = 'retracted';
END;

CREATE TRIGGER tally_retracted_delete AFTER DELETE ON statement
WHEN OLD.retracted_at IS NOT NULL BEGIN
    UPDATE counter SET value = value - 1 WHERE name = 'retracted';
END;
