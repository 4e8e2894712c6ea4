//! A batch: everything one source says, ready to be recorded as statements.

use indexmap::IndexMap;

use crate::entity::Entity;
use crate::ModelError;

/// The entities taken from one source document, the document among them.
/// Recording a batch replaces what the same source said before (see the
/// store's `apply`).
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// The id of the source document; it must be one of `entities`.
    pub source: String,
    /// The source's content hash: a batch whose source already has this hash
    /// recorded changes nothing.
    pub content_hash: String,
    /// The dataset (collection) its statements belong to, when it is not
    /// the one the batch is applied with (a statements CSV names each
    /// row's). A source's statements in one dataset are apart from its
    /// statements in another.
    pub dataset: Option<String>,
    /// By id, in the order first added (a sorted map with the order kept
    /// beside it cost an FtM import a twenty-fifth of its time in look-ups),
    /// hashed with foldhash (std's SipHash took a tenth of reading a large
    /// FtM file; foldhash is seeded a process, as SipHash is).
    entities: IndexMap<String, Entity, hashbrown::DefaultHashBuilder>,
}

impl Batch {
    pub fn new(source: impl Into<String>, content_hash: impl Into<String>) -> Self {
        Batch {
            source: source.into(),
            content_hash: content_hash.into(),
            ..Default::default()
        }
    }

    /// Adds an entity, merging it into one already there with the same id.
    pub fn put(&mut self, entity: Entity) -> Result<(), ModelError> {
        match self.entities.entry(entity.id.clone()) {
            indexmap::map::Entry::Occupied(existing) => existing.into_mut().merge(&entity),
            indexmap::map::Entry::Vacant(slot) => {
                slot.insert(entity);
                Ok(())
            }
        }
    }

    /// Room for `n` more entities.
    pub fn reserve(&mut self, n: usize) {
        self.entities.reserve(n);
    }

    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.entities.get(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Entity> {
        self.entities.get_mut(id)
    }

    /// The entities in the order they were first added.
    pub fn entities(&self) -> impl Iterator<Item = &Entity> {
        self.entities.values()
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}
