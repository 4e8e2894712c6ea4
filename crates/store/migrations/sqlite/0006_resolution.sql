-- Merges: which entity each merged entity is now part of. Only entities
-- merged into another have a row; the canonical one never has one (no
-- chains). Statements keep the `entity_id` they were made about, so a merge
-- is undone by deleting the row and giving the entity's statements their
-- own `canonical_id` back.
CREATE TABLE resolution (
    entity_id     TEXT PRIMARY KEY NOT NULL REFERENCES entity(id),
    canonical_id  TEXT NOT NULL REFERENCES entity(id),
    CHECK (entity_id <> canonical_id)
) WITHOUT ROWID;
CREATE INDEX resolution_canonical ON resolution (canonical_id);

-- Every merge and split, in order: who, when, from which canonical id to
-- which (an entity's own id when it stands alone). Counted in the store's
-- version, so derived indexes notice a merge.
CREATE TABLE resolution_log (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_id     TEXT NOT NULL REFERENCES entity(id),
    previous      TEXT NOT NULL,
    canonical_id  TEXT NOT NULL,
    user          TEXT NOT NULL,
    at            TEXT NOT NULL
);
