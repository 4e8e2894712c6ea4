//! Judgements on pairs and the clusters they make, as nomenklatura's
//! resolver keeps them: "same" joins two clusters, "not same" keeps two
//! clusters apart for good, "unsure" is remembered so the pair is not asked
//! again. Decisions are transitive: once A = B and B ≠ C, A against C is
//! never asked. Each cluster has one canonical id.

use std::collections::{BTreeSet, HashMap};

/// A reviewer's decision on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Judgement {
    Same,
    NotSame,
    Unsure,
}

impl Judgement {
    pub fn as_str(self) -> &'static str {
        match self {
            Judgement::Same => "same",
            Judgement::NotSame => "not_same",
            Judgement::Unsure => "unsure",
        }
    }

    pub fn parse(text: &str) -> Option<Judgement> {
        Some(
            match text
                .trim()
                .to_ascii_lowercase()
                .replace([' ', '-'], "_")
                .as_str()
            {
                "same" | "positive" | "yes" => Judgement::Same,
                "not_same" | "negative" | "no" => Judgement::NotSame,
                "unsure" => Judgement::Unsure,
                _ => return None,
            },
        )
    }
}

/// Why a decision was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    #[error("{0} and {1} are the same entity already")]
    AlreadySame(String, String),
    #[error("{0} and {1} were judged not the same (through their clusters); undo that first")]
    KeptApart(String, String),
    #[error("an entity is not judged against itself: {0}")]
    Itself(String),
}

/// Every judgement made, and the clusters they form.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    /// Decisions, the pair in order.
    edges: HashMap<(String, String), Judgement>,
    /// Union–find over ids joined by "same". A root is the smallest id of
    /// its cluster (the smaller root leads a union).
    parent: HashMap<String, String>,
    /// Each root's cluster.
    members: HashMap<String, BTreeSet<String>>,
    /// The ids each id was judged "not same" or "unsure" against.
    apart: HashMap<String, Vec<String>>,
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

impl Resolver {
    pub fn new() -> Self {
        Self::default()
    }

    fn root<'a>(&'a self, id: &'a str) -> &'a str {
        let mut x = id;
        while let Some(p) = self.parent.get(x) {
            if p == x {
                break;
            }
            x = p;
        }
        x
    }

    /// The ids judged the same as `id`, itself included, sorted.
    pub fn cluster(&self, id: &str) -> Vec<String> {
        match self.members.get(self.root(id)) {
            Some(m) => m.iter().cloned().collect(),
            None => vec![id.to_string()],
        }
    }

    /// The cluster's canonical id: the smallest id in it, so the same
    /// decisions always give the same id whatever their order.
    pub fn canonical(&self, id: &str) -> String {
        self.root(id).to_string()
    }

    /// Every id merged into another, with the id it is merged into, sorted.
    pub fn merged(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .members
            .iter()
            .flat_map(|(root, m)| {
                m.iter()
                    .filter(move |id| *id != root)
                    .map(move |id| (id.clone(), root.clone()))
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// What is known of a pair through the clusters: `Same` within one
    /// cluster; `NotSame` when any member of one was judged not the same as
    /// any member of the other (a "not same" beats a "same" elsewhere);
    /// `Unsure` when only that was said; `None` when nothing was.
    pub fn judgement(&self, a: &str, b: &str) -> Option<Judgement> {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra == rb {
            return Some(Judgement::Same);
        }
        let mut unsure = false;
        for x in self.cluster(a) {
            for y in self.apart.get(&x).into_iter().flatten() {
                if self.root(y) != rb {
                    continue;
                }
                match self.edges.get(&ordered(&x, y)) {
                    Some(Judgement::NotSame) => return Some(Judgement::NotSame),
                    Some(Judgement::Unsure) => unsure = true,
                    _ => {}
                }
            }
        }
        unsure.then_some(Judgement::Unsure)
    }

    /// Whether a reviewer still needs to be asked about the pair.
    pub fn needs_judgement(&self, a: &str, b: &str) -> bool {
        a != b && self.judgement(a, b).is_none()
    }

    /// Records a decision. "Same" between clusters kept apart is refused,
    /// as is any decision on a pair already in one cluster.
    pub fn decide(&mut self, a: &str, b: &str, j: Judgement) -> Result<(), Conflict> {
        if a == b {
            return Err(Conflict::Itself(a.to_string()));
        }
        match (self.judgement(a, b), j) {
            (Some(Judgement::Same), _) => {
                return Err(Conflict::AlreadySame(a.to_string(), b.to_string()))
            }
            (Some(Judgement::NotSame), Judgement::Same) => {
                return Err(Conflict::KeptApart(a.to_string(), b.to_string()))
            }
            _ => {}
        }
        self.edges.insert(ordered(a, b), j);
        if j == Judgement::Same {
            self.join(a, b);
        } else {
            self.apart
                .entry(a.to_string())
                .or_default()
                .push(b.to_string());
            self.apart
                .entry(b.to_string())
                .or_default()
                .push(a.to_string());
        }
        Ok(())
    }

    fn join(&mut self, a: &str, b: &str) {
        let (ra, rb) = (self.root(a).to_string(), self.root(b).to_string());
        // The smaller root leads, so the canonical id is stable.
        let (keep, join) = if ra <= rb { (ra, rb) } else { (rb, ra) };
        if keep == join {
            return;
        }
        let joined = self
            .members
            .remove(&join)
            .unwrap_or_else(|| BTreeSet::from([join]));
        // Every member points at its root directly, so a root is one step away.
        for id in &joined {
            self.parent.insert(id.clone(), keep.clone());
        }
        self.parent.insert(keep.clone(), keep.clone());
        self.members
            .entry(keep.clone())
            .or_insert_with(|| BTreeSet::from([keep]))
            .extend(joined);
    }

    /// Takes a decision back; a "same" taken back splits its cluster again
    /// along the remaining "same" decisions.
    pub fn undo(&mut self, a: &str, b: &str) -> Option<Judgement> {
        let j = self.edges.remove(&ordered(a, b))?;
        if j == Judgement::Same {
            self.parent.clear();
            self.members.clear();
            let mut same: Vec<(String, String)> = self
                .edges
                .iter()
                .filter(|(_, j)| **j == Judgement::Same)
                .map(|(p, _)| p.clone())
                .collect();
            same.sort_unstable();
            for (x, y) in same {
                self.join(&x, &y);
            }
        } else {
            for (x, y) in [(a, b), (b, a)] {
                if let Some(v) = self.apart.get_mut(x) {
                    v.retain(|o| o != y);
                }
            }
        }
        Some(j)
    }

    /// Every decision, the pair in order, sorted.
    pub fn decisions(&self) -> Vec<(String, String, Judgement)> {
        let mut v: Vec<_> = self
            .edges
            .iter()
            .map(|((a, b), j)| (a.clone(), b.clone(), *j))
            .collect();
        v.sort();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Judgement::*;

    #[test]
    fn decisions_are_transitive_and_not_same_is_never_asked_again() {
        let mut r = Resolver::new();
        r.decide("a", "b", Same).unwrap();
        r.decide("b", "c", Same).unwrap();
        assert_eq!(r.cluster("c"), ["a", "b", "c"]);
        assert_eq!(r.canonical("c"), "a");
        assert_eq!(r.judgement("a", "c"), Some(Same), "through b");
        r.decide("c", "x", NotSame).unwrap();
        assert_eq!(r.judgement("a", "x"), Some(NotSame), "through the cluster");
        assert!(!r.needs_judgement("b", "x"));
        assert_eq!(
            r.decide("a", "x", Same),
            Err(Conflict::KeptApart("a".into(), "x".into()))
        );
        // x joins y: the whole of y's side is now apart from a's cluster.
        r.decide("x", "y", Same).unwrap();
        assert_eq!(r.judgement("y", "b"), Some(NotSame));
        assert!(r.decide("a", "c", Unsure).is_err(), "already the same");
        r.decide("a", "z", Unsure).unwrap();
        assert_eq!(r.judgement("c", "z"), Some(Unsure));
        assert!(r.needs_judgement("z", "q"));
        assert!(r.decide("q", "q", Same).is_err());
    }

    #[test]
    fn undoing_a_same_splits_the_cluster() {
        let mut r = Resolver::new();
        r.decide("b", "a", Same).unwrap();
        r.decide("c", "b", Same).unwrap();
        r.decide("d", "e", Same).unwrap();
        assert_eq!(r.undo("b", "c"), Some(Same));
        assert_eq!(r.cluster("a"), ["a", "b"]);
        assert_eq!(r.cluster("c"), ["c"]);
        assert_eq!(r.canonical("e"), "d");
        assert!(r.needs_judgement("a", "c"));
        assert_eq!(r.undo("b", "c"), None);
        assert_eq!(r.decisions().len(), 2);
    }
}
