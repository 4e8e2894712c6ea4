-- The store's version (`Follow::mark`) counts the retracted rows, so that
-- every retraction moves it. Counting them at each read of the version
-- walked every retracted row (4 ms at 290,000 of them, and a page reads
-- the version several times), so their number is kept as they are
-- written, by triggers of the same family as `stats`' counts (migration
-- 14): a bulk write drops them with the others and counts once at the
-- end (`RECOUNT` in `sqlite/mod.rs`). The version is the same number as
-- before; only the way to it changed.
INSERT INTO counter (name, value)
SELECT 'retracted', count(*) FROM statement WHERE retracted_at IS NOT NULL
ON CONFLICT (name) DO UPDATE SET value = excluded.value;

CREATE TRIGGER IF NOT EXISTS tally_retracted_insert AFTER INSERT ON statement
WHEN NEW.retracted_at IS NOT NULL BEGIN
    UPDATE counter SET value = value + 1 WHERE name = 'retracted';
END;

-- Rows are retracted once and never brought back, but the count holds
-- whichever way a row goes.
CREATE TRIGGER IF NOT EXISTS tally_retracted_update AFTER UPDATE OF retracted_at ON statement
WHEN (OLD.retracted_at IS NULL) <> (NEW.retracted_at IS NULL) BEGIN
    UPDATE counter SET value = value + CASE WHEN NEW.retracted_at IS NULL THEN -1 ELSE 1 END
    WHERE name = 'retracted';
END;

CREATE TRIGGER IF NOT EXISTS tally_retracted_delete AFTER DELETE ON statement
WHEN OLD.retracted_at IS NOT NULL BEGIN
    UPDATE counter SET value = value - 1 WHERE name = 'retracted';
END;

-- What is merged into what (`resolution`) is read whole by each reading
-- connection and kept. It was read again whenever another connection
-- wrote anything (SQLite's `data_version` moves with every commit), so
-- every write made every reader read every merge again. This counter
-- moves whenever `resolution` changes, on every path (a merge, a split,
-- a load), and a reader asks it before reading the merges again. Not of
-- the `tally_` family: a bulk write keeps these triggers.
INSERT OR IGNORE INTO counter (name, value) VALUES ('resolution', 0);

CREATE TRIGGER IF NOT EXISTS resolution_changed_insert AFTER INSERT ON resolution BEGIN
    UPDATE counter SET value = value + 1 WHERE name = 'resolution';
END;

CREATE TRIGGER IF NOT EXISTS resolution_changed_update AFTER UPDATE ON resolution BEGIN
    UPDATE counter SET value = value + 1 WHERE name = 'resolution';
END;

CREATE TRIGGER IF NOT EXISTS resolution_changed_delete AFTER DELETE ON resolution BEGIN
    UPDATE counter SET value = value + 1 WHERE name = 'resolution';
END;
