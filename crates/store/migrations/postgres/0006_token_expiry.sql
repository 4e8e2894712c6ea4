-- As SQLite's migration 12: API tokens expire. Tokens made before this
-- migration expire 90 days after they were made.
ALTER TABLE api_token ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
UPDATE api_token SET expires_at =
    to_char(created_at::timestamp + interval '90 days', 'YYYY-MM-DD"T"HH24:MI:SS');
CREATE INDEX api_token_account ON api_token (account);
