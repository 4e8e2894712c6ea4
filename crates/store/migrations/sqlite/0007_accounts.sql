-- People who sign in, and what they may do. Passwords are argon2id hashes
-- (PHC strings); sessions and API tokens are kept as SHA-256 hashes of
-- the secrets handed out, so a copy of the database opens no session.
CREATE TABLE account (
    name        TEXT PRIMARY KEY NOT NULL,
    password    TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE session (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    account     TEXT NOT NULL REFERENCES account(name),
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_account ON session (account);

CREATE TABLE api_token (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    account     TEXT NOT NULL REFERENCES account(name),
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Collections are datasets: public (anyone reads) or private (only their
-- members and admins). Members may edit when `can_edit`.
CREATE TABLE collection (
    name     TEXT PRIMARY KEY NOT NULL,
    private  INTEGER NOT NULL CHECK (private IN (0, 1))
) WITHOUT ROWID;

CREATE TABLE collection_member (
    collection  TEXT NOT NULL REFERENCES collection(name),
    account     TEXT NOT NULL REFERENCES account(name),
    can_edit    INTEGER NOT NULL CHECK (can_edit IN (0, 1)),
    PRIMARY KEY (collection, account)
) WITHOUT ROWID;

-- Counters: `access` moves on whenever who may read what changes, and
-- counts in the store's version.
CREATE TABLE counter (
    name   TEXT PRIMARY KEY NOT NULL,
    value  INTEGER NOT NULL
) WITHOUT ROWID;
