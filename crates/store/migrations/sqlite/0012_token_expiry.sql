-- API tokens expire. Tokens made before this migration expire 90 days
-- after they were made (the default for new ones), as if made today.
ALTER TABLE api_token ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
UPDATE api_token SET expires_at = strftime('%Y-%m-%dT%H:%M:%S', created_at, '+90 days');
CREATE INDEX api_token_account ON api_token (account);
