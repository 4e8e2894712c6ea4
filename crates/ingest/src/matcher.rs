//! Matching names to entities already known, before new ones are made: by
//! name key (`Programme` = `Program`, dashes and quotes ignored) and by
//! acronym when only one body bears it.

use std::collections::HashMap;

use dossier_model::names::{acronym_key, looks_like_acronym, name_key};

/// Which kind of entity a name may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Organization,
    Person,
}

impl Party {
    fn of_schema(schema: &str) -> Party {
        if schema == "Person" {
            Party::Person
        } else {
            Party::Organization
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Known {
    id: String,
    party: Party,
}

/// Known names, keyed for matching. Seeded from the store, grown as an import
/// makes entities, so a body named twice in one page is one entity.
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    by_name: HashMap<String, Vec<Known>>,
    by_acronym: HashMap<String, Vec<Known>>,
}

fn push(map: &mut HashMap<String, Vec<Known>>, key: String, known: Known) {
    if key.is_empty() {
        return;
    }
    let list = map.entry(key).or_default();
    if !list.contains(&known) {
        list.push(known);
    }
}

impl Matcher {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a name (or alias) of an entity of `schema`.
    pub fn add_name(&mut self, id: &str, schema: &str, name: &str) {
        let known = Known {
            id: id.to_string(),
            party: Party::of_schema(schema),
        };
        push(&mut self.by_name, name_key(name), known.clone());
        if looks_like_acronym(name.trim()) {
            push(&mut self.by_acronym, acronym_key(name), known);
        }
    }

    /// Records an acronym (abbreviation) of an entity.
    pub fn add_acronym(&mut self, id: &str, schema: &str, acronym: &str) {
        let known = Known {
            id: id.to_string(),
            party: Party::of_schema(schema),
        };
        push(&mut self.by_acronym, acronym_key(acronym), known);
    }

    /// The entity of that kind with this name, when exactly one has it.
    pub fn find_name(&self, name: &str, party: Party) -> Option<&str> {
        unique(self.by_name.get(&name_key(name))?, party)
    }

    /// The entity of that kind with this acronym, when exactly one has it.
    pub fn find_acronym(&self, acronym: &str, party: Party) -> Option<&str> {
        unique(self.by_acronym.get(&acronym_key(acronym))?, party)
    }

    /// By name first, then by acronym.
    pub fn find(&self, name: &str, acronym: Option<&str>, party: Party) -> Option<&str> {
        self.find_name(name, party)
            .or_else(|| acronym.and_then(|a| self.find_acronym(a, party)))
            .or_else(|| {
                looks_like_acronym(name.trim())
                    .then(|| self.find_acronym(name, party))
                    .flatten()
            })
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

fn unique(list: &[Known], party: Party) -> Option<&str> {
    let mut it = list.iter().filter(|k| k.party == party);
    let first = it.next()?;
    it.next().is_none().then_some(first.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_variants_and_unique_acronyms() {
        let mut m = Matcher::new();
        m.add_name(
            "org-1",
            "Organization",
            "Ecumenical Accompaniment Programme in Palestine and Israel",
        );
        m.add_acronym("org-1", "Organization", "EAPPI");
        m.add_name(
            "org-2",
            "Organization",
            "Physicians for Human Rights \u{2013} Israel",
        );
        m.add_acronym("org-2", "Organization", "PHR-I");
        m.add_acronym("org-3", "Organization", "XY");
        m.add_acronym("org-4", "Organization", "XY");
        assert_eq!(
            m.find_name(
                "Ecumenical Accompaniment Program in Palestine and Israel",
                Party::Organization
            ),
            Some("org-1")
        );
        assert_eq!(m.find("PHR-I", None, Party::Organization), Some("org-2"));
        assert_eq!(
            m.find(
                "Physicians for Human Rights - Israel",
                None,
                Party::Organization
            ),
            Some("org-2")
        );
        assert_eq!(
            m.find_acronym("XY", Party::Organization),
            None,
            "ambiguous acronyms match nothing"
        );
        assert_eq!(
            m.find_name("Physicians for Human Rights - Israel", Party::Person),
            None
        );
    }
}
