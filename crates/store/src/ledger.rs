//! What an answer was made of: the entities a page read, so a kept page
//! can be dropped when one of them changes, and kept when none did.
//!
//! A [`crate::Reader`] given a [`Ledger`] ([`crate::Reader::noting`])
//! writes into it as it reads. It is safe by construction: only the reads
//! that name what they read (an entity, labels, what refers to an entity,
//! a history, a document's copies) add ids; every other read (a list of
//! every entity, the log, counts, names, merges) marks the answer as made
//! of [`Deps::Everything`], and so does anything that reads outside the
//! store and says so ([`Ledger::everything`]). Paired with
//! [`crate::Changes`], which lists the entities whose statements changed
//! and those such statements point at (before and after), a page whose
//! ids meet none of them reads the same as before.

use std::collections::HashSet;
use std::sync::Mutex;

/// The entities one answer read (see the module's notes).
#[derive(Debug, Default)]
pub struct Ledger {
    inner: Mutex<Noted>,
}

#[derive(Debug, Default)]
struct Noted {
    ids: HashSet<String>,
    everything: bool,
}

/// What an answer depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deps {
    /// These entities (sorted, each once): the answer changes only when
    /// one of them does.
    Entities(Vec<String>),
    /// Anything in the store (a list, a search, a count).
    Everything,
}

impl Ledger {
    pub fn new() -> Self {
        Self::default()
    }

    fn with(&self, f: impl FnOnce(&mut Noted)) {
        f(&mut self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner));
    }

    /// The answer read these entities.
    pub fn touch<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        self.with(|n| {
            if !n.everything {
                n.ids.extend(ids.into_iter().map(str::to_string));
            }
        });
    }

    /// The answer read something no list of entities describes.
    pub fn everything(&self) {
        self.with(|n| {
            n.everything = true;
            n.ids = HashSet::new();
        });
    }

    /// What the answer read so far.
    pub fn deps(&self) -> Deps {
        let n = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if n.everything {
            return Deps::Everything;
        }
        let mut ids: Vec<String> = n.ids.iter().cloned().collect();
        ids.sort_unstable();
        Deps::Entities(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_wins_over_ids_before_and_after() {
        let l = Ledger::new();
        l.touch(["b", "a", "b"]);
        assert_eq!(l.deps(), Deps::Entities(vec!["a".into(), "b".into()]));
        l.everything();
        l.touch(["c"]);
        assert_eq!(l.deps(), Deps::Everything);
    }
}
