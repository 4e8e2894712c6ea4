-- How an entity is named and what it is, without going over everything said
-- about it: a network named by a thousand sources has tens of thousands of
-- statements, of which a label needs the `id` ones (for the schema) and the
-- caption properties. `Store::labels` reads this index only.
CREATE INDEX statement_label ON statement (canonical_id, prop, schema, value, seq)
WHERE retracted_at IS NULL
  AND prop IN ('id', 'name', 'title', 'text', 'fileName', 'description');
