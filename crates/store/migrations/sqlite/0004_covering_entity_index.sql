-- An entity's current statements read from one run of index pages instead
-- of one table page per statement: the index holds every column `entity`
-- reads (retraction columns are NULL by its condition). Profile pages read
-- hundreds of entities; this made them several times faster on large stores.
DROP INDEX statement_entity;
CREATE INDEX statement_entity ON statement (
    canonical_id, seq, id, entity_id, schema, prop, value, original_value, lang,
    dataset, origin, external, source, user, first_seen, last_seen
) WHERE retracted_at IS NULL;
