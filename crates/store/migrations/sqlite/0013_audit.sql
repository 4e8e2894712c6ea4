-- The audit log: what was done to accounts, access and records outside
-- the statement log (sign-ins, roles, collections, unlocks, redactions,
-- deletions), by whom and when. Only ever added to.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
