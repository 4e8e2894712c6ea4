-- Archived copies of source documents, content-addressed by the SHA-256 of
-- their bytes. A blob is stored once however many documents or retrievals
-- share it; its extracted text is what quotations are anchored in.
CREATE TABLE blob (
    sha256      TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL,
    media_type  TEXT NOT NULL,
    content     BLOB NOT NULL,
    text        TEXT NOT NULL
);

-- One row per document and copy: which document the bytes are a copy of,
-- from which address, retrieved when, and who archived it. The same bytes
-- archived again for the same document change nothing.
CREATE TABLE archived_copy (
    document     TEXT NOT NULL REFERENCES entity(id),
    sha256       TEXT NOT NULL REFERENCES blob(sha256),
    url          TEXT,
    retrieved    TEXT NOT NULL,
    title        TEXT NOT NULL,
    record_id    TEXT,
    archived_at  TEXT NOT NULL,
    user         TEXT NOT NULL,
    PRIMARY KEY (document, sha256)
) WITHOUT ROWID;
CREATE INDEX archived_copy_sha ON archived_copy (sha256);
