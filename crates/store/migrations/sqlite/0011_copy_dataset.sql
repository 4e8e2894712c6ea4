-- An archived copy belongs to a dataset, as statements do: the dataset of
-- the source it archives, so that a copy of a private source is read only
-- by those who may read that source. Copies archived before this migration
-- take the dataset of their document's other statements, where it has any.
-- (Statements keep theirs: a statement's id is made with its dataset.)
ALTER TABLE archived_copy ADD COLUMN dataset TEXT NOT NULL DEFAULT 'archive';
UPDATE archived_copy SET dataset = COALESCE(
    (SELECT s.dataset FROM statement s
     WHERE s.entity_id = archived_copy.document AND s.dataset <> 'archive'
     ORDER BY s.seq LIMIT 1),
    'archive');
CREATE INDEX archived_copy_dataset ON archived_copy (sha256, dataset);
