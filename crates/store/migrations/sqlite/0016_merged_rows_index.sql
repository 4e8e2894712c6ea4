-- An entity's own rows are found through the entity index, by their
-- canonical id: a row is read as its own entity's unless a merge says
-- otherwise, so `canonical_id = X AND entity_id = X` finds nearly all of
-- them there. The rest, rows read as another entity's (`canonical_id <>
-- entity_id`, a merged record's), are few, and only they are indexed by
-- their entity here. The index over every row by its entity (migration
-- 1's `statement_history`) was a sort of the whole log at every bulk load
-- and a twentieth of the store, for what the entity index already held.
-- Each read by entity asks both (`sqlite/mod.rs`, `by_entity`).
DROP INDEX IF EXISTS statement_history;
CREATE INDEX IF NOT EXISTS statement_merged ON statement (entity_id, seq) WHERE canonical_id <> entity_id;
