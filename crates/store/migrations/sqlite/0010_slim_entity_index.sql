-- A narrower index for reading entities, about half the bytes of the
-- covering copy it replaces (migration 4 put every column in it, so the
-- index was larger than the table). It holds what `entity` and the scope
-- and redaction conditions read; reads of whole statements (`each_entity`)
-- take the rest from the table. Retracted rows are in it too, with
-- `retracted_at`, so it also serves an entity's history by canonical id
-- and migration 3's `statement_canonical_history` goes.
DROP INDEX statement_entity;
DROP INDEX statement_canonical_history;
CREATE INDEX statement_entity ON statement (
    canonical_id, seq, retracted_at, entity_id, dataset, schema, prop, value, original_value
);
