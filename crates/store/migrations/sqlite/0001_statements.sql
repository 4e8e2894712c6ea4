-- Entities known to the store: one row per id ever recorded. The schema is
-- the most specific one any of its statements gave; statements are the truth.
CREATE TABLE entity (
    id      TEXT PRIMARY KEY NOT NULL,
    schema  TEXT NOT NULL
) WITHOUT ROWID;

-- Every property value ever recorded, current or retracted. `seq` orders the
-- log; a row is never deleted: an edit supersedes it, a retraction dates it.
CREATE TABLE statement (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL,
    entity_id       TEXT NOT NULL REFERENCES entity(id),
    canonical_id    TEXT NOT NULL REFERENCES entity(id),
    schema          TEXT NOT NULL,
    prop            TEXT NOT NULL,
    prop_type       TEXT NOT NULL,
    value           TEXT NOT NULL,
    original_value  TEXT,
    lang            TEXT,
    dataset         TEXT NOT NULL,
    origin          TEXT,
    external        INTEGER NOT NULL DEFAULT 0 CHECK (external IN (0, 1)),
    source          TEXT NOT NULL REFERENCES entity(id),
    user            TEXT NOT NULL,
    first_seen      TEXT NOT NULL,
    last_seen       TEXT NOT NULL,
    retracted_at    TEXT,
    retraction      TEXT,
    CHECK ((retracted_at IS NULL) = (retraction IS NULL))
);

-- One current statement per value per source.
CREATE UNIQUE INDEX statement_current ON statement (id, source) WHERE retracted_at IS NULL;
CREATE INDEX statement_entity ON statement (canonical_id, seq) WHERE retracted_at IS NULL;
CREATE INDEX statement_history ON statement (entity_id, seq);
CREATE INDEX statement_by_source ON statement (source, dataset) WHERE retracted_at IS NULL;
CREATE INDEX statement_refs ON statement (value) WHERE retracted_at IS NULL AND prop_type = 'entity';
CREATE INDEX statement_names ON statement (prop) WHERE retracted_at IS NULL AND prop_type = 'name';
-- Retractions, counted for the store's version number.
CREATE INDEX statement_retracted ON statement (retracted_at) WHERE retracted_at IS NOT NULL;
