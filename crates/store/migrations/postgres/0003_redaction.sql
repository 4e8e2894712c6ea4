-- Redacted people (as SQLite's migration 8). `names` holds one name a line.
CREATE TABLE redaction (
    entity_id  TEXT PRIMARY KEY REFERENCES entity(id),
    names      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    "user"     TEXT NOT NULL,
    at         TEXT NOT NULL
);
