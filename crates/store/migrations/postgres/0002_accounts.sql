-- People who sign in, and what they may do (as SQLite's migration 7).
CREATE TABLE account (
    name        TEXT PRIMARY KEY,
    password    TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at  TEXT NOT NULL
);

CREATE TABLE session (
    token_hash  TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES account(name),
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX session_account ON session (account);

CREATE TABLE api_token (
    token_hash  TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES account(name),
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE collection (
    name     TEXT PRIMARY KEY,
    private  BOOLEAN NOT NULL
);

CREATE TABLE collection_member (
    collection  TEXT NOT NULL REFERENCES collection(name),
    account     TEXT NOT NULL REFERENCES account(name),
    can_edit    BOOLEAN NOT NULL,
    PRIMARY KEY (collection, account)
);
