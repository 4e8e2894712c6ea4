-- Redacted people: every statement made about them is left out of every
-- read, references to them are dropped, and the names recorded here are
-- blanked wherever they appear in text. The statements themselves stay
-- (a redaction can be lifted).
CREATE TABLE redaction (
    entity_id  TEXT PRIMARY KEY NOT NULL REFERENCES entity(id),
    names      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    user       TEXT NOT NULL,
    at         TEXT NOT NULL
) WITHOUT ROWID;
