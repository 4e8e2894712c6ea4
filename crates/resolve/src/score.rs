//! Rating a pair of records.
//!
//! A name pair's similarity is the best of three readings:
//! - **words**: a weighted Dice coefficient over the folded words, each
//!   word weighted by how rare it is among all the names (inverse document
//!   frequency), type words (`Foundation`, `International`) at a fifth and
//!   places (`Israel`) at a third; words match when equal or, from five
//!   letters on, within a typo (Jaro–Winkler ≥ 0.92);
//! - **compact**: the words other than type words run together (`One
//!   Voice` = `OneVoice`), compared by normalized Levenshtein, discounted
//!   to 0.95 at most;
//! - **acronym**: one name is an acronym that is the other's initials
//!   (0.92) or fits its words in order (0.85, three letters or more).
//!
//! Two names that each say what kind of body they are, and say different
//! things (`Trust`, `Foundation`), lose a fifth; so do two that each name a
//! place, and different ones. A word written as two (`OneVoice`, `One
//! Voice`) matches both.
//!
//! The pair's score is the best over their names, then moved by what else
//! is known: countries that differ (×0.8) or agree (+0.03), and ties in
//! common (+0.04 each, at most +0.12). Hand-written: the scoring is ours;
//! strsim gives the string distances.

use std::collections::HashMap;

use crate::names::{spells_out, Kind, Name};
use crate::{comparable, Record};

/// Word weights learned from a set of names.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    /// How many names each folded word appears in.
    df: HashMap<String, u32>,
    names: u32,
}

/// A score and what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    pub score: f64,
    /// The two names that matched best.
    pub names: (String, String),
    /// `words`, `compact`, `acronym`, then adjustments (`country+`,
    /// `country-`, `ties+N`).
    pub reasons: Vec<String>,
}

impl Scorer {
    /// Weights from every name of these records.
    pub fn new<'a>(records: impl IntoIterator<Item = &'a Record>) -> Scorer {
        let mut s = Scorer::default();
        for r in records {
            for n in &r.names {
                s.learn(&Name::new(n));
            }
        }
        s
    }

    /// Counts a name's words.
    pub fn learn(&mut self, name: &Name) {
        self.names += 1;
        let mut seen: Vec<&str> = Vec::new();
        for (w, _) in &name.tokens {
            if !seen.contains(&w.as_str()) {
                seen.push(w);
                *self.df.entry(w.clone()).or_default() += 1;
            }
        }
    }

    /// How much a word says: rare words much, common words little.
    pub fn weight(&self, word: &str, kind: Kind) -> f64 {
        let df = f64::from(self.df.get(word).copied().unwrap_or(0));
        let idf = ((f64::from(self.names) + 1.0) / (df + 0.5)).ln().max(0.3);
        idf * match kind {
            Kind::Core => 1.0,
            Kind::Type => 0.2,
            Kind::Place => 0.35,
        }
    }

    /// How many names hold this word.
    pub fn frequency(&self, word: &str) -> u32 {
        self.df.get(word).copied().unwrap_or(0)
    }

    /// Weighted Dice over the words: the weight of the words both names
    /// share (equal, or one typo apart) over the weight of all.
    fn words(&self, a: &Name, b: &Name) -> f64 {
        let wa: Vec<f64> = a.tokens.iter().map(|(w, k)| self.weight(w, *k)).collect();
        let wb: Vec<f64> = b.tokens.iter().map(|(w, k)| self.weight(w, *k)).collect();
        let total: f64 = wa.iter().sum::<f64>() + wb.iter().sum::<f64>();
        if total == 0.0 {
            return 0.0;
        }
        let mut used = vec![false; b.tokens.len()];
        let mut used_a = vec![false; a.tokens.len()];
        let mut shared = 0.0;
        // A word written as two (`OneVoice`, `One Voice`), either way.
        shared += compounds(a, b, &wa, &wb, &mut used_a, &mut used);
        shared += compounds(b, a, &wb, &wa, &mut used, &mut used_a);
        for (i, (w, _)) in a.tokens.iter().enumerate() {
            if used_a[i] {
                continue;
            }
            let best = b
                .tokens
                .iter()
                .enumerate()
                .filter(|(j, _)| !used[*j])
                .map(|(j, (v, _))| (j, word_similarity(w, v)))
                .filter(|(_, s)| *s > 0.0)
                .max_by(|x, y| x.1.total_cmp(&y.1));
            if let Some((j, s)) = best {
                used[j] = true;
                shared += s * (wa[i] + wb[j]);
            }
        }
        shared / total
    }

    /// The similarity of two names of bodies, and which reading gave it.
    pub fn names(&self, a: &Name, b: &Name) -> (f64, &'static str) {
        self.names_of_kind(a, b, false)
    }

    /// The similarity of two names, of people or of bodies. People's
    /// names run together are compared for one slip only: `Omar Hamdan`
    /// is two letters from `Omar Haddad` and another man.
    pub fn names_of_kind(&self, a: &Name, b: &Name, people: bool) -> (f64, &'static str) {
        let mut best = (self.words(a, b), "words");
        if a.compact.len() >= 4 && b.compact.len() >= 4 {
            let c = if people {
                if strsim::levenshtein(&a.compact, &b.compact) <= 1 {
                    strsim::normalized_levenshtein(&a.compact, &b.compact) * 0.95
                } else {
                    0.0
                }
            } else {
                strsim::normalized_levenshtein(&a.compact, &b.compact) * 0.95
            };
            if c > best.0 {
                best = (c, "compact");
            }
        }
        let acronym = |x: &Name, y: &Name| -> f64 {
            match &x.acronym {
                Some(k) if *k == y.initials && spells_out(y, k) => 0.92,
                Some(k) if spells_out(y, k) => 0.85,
                _ => 0.0,
            }
        };
        let acr = acronym(a, b).max(acronym(b, a));
        if acr > best.0 {
            best = (acr, "acronym");
        }
        // `Holy Land Trust` and `Holy Land Foundation`: both say what kind
        // of body they are, and say different things. So do `Global Desert
        // Initiative` and `Global Desert Center`, though both are global:
        // each has a type word the other lacks.
        fn words_of(n: &Name, kind: Kind) -> Vec<&str> {
            n.tokens
                .iter()
                .filter(|(_, k)| *k == kind)
                .map(|(w, _)| w.as_str())
                .collect()
        }
        // The same for places: `Israel Policy Forum`, `Jerusalem Policy Forum`.
        for kind in [Kind::Type, Kind::Place] {
            let (ta, tb) = (words_of(a, kind), words_of(b, kind));
            if best.1 != "acronym"
                && ta.iter().any(|t| !tb.contains(t))
                && tb.iter().any(|t| !ta.contains(t))
            {
                best.0 *= 0.7;
            }
        }
        best
    }

    /// Rates two records; `None` when they cannot be the same (a person
    /// and a body, or no names).
    pub fn score(&self, a: &Record, b: &Record) -> Option<Explained> {
        self.score_prepared(a, &names_of(a), b, &names_of(b))
    }

    /// [`Scorer::score`] with each record's names already taken apart
    /// ([`names_of`]), as `xref` does once per record.
    pub fn score_prepared(
        &self,
        a: &Record,
        na: &[Name],
        b: &Record,
        nb: &[Name],
    ) -> Option<Explained> {
        if !comparable(&a.schema, &b.schema) {
            return None;
        }
        let mut best: Option<(f64, &'static str, usize, usize)> = None;
        for (i, x) in na.iter().enumerate() {
            for (j, y) in nb.iter().enumerate() {
                // An acronym its own record spells out adds nothing once the
                // other record has a name of its own to set beside that one:
                // `United Road Trust (URT)` is not `Urban Roots Trust
                // (URT)`, nor `Urban Roots Foundation`. It still meets a
                // record known only by an acronym.
                if (x.spelled_out && (y.acronym.is_none() || y.spelled_out))
                    || (y.spelled_out && x.acronym.is_none())
                {
                    continue;
                }
                let (s, why) = self.names_of_kind(x, y, a.schema == "Person");
                if best.is_none_or(|b| s > b.0) {
                    best = Some((s, why, i, j));
                }
            }
        }
        let (mut score, why, i, j) = best?;
        let mut reasons = vec![why.to_string()];
        if !a.countries.is_empty() && !b.countries.is_empty() {
            if a.countries.iter().any(|c| b.countries.contains(c)) {
                score = (score + 0.03).min(1.0);
                reasons.push("country+".into());
            } else {
                score *= 0.8;
                reasons.push("country-".into());
            }
        }
        let common = a.ties.iter().filter(|t| b.ties.contains(t)).count();
        if common > 0 {
            score = (score + (0.04 * common as f64).min(0.12)).min(1.0);
            reasons.push(format!("ties+{common}"));
        }
        Some(Explained {
            score,
            names: (na[i].original.clone(), nb[j].original.clone()),
            reasons,
        })
    }
}

/// A record's names and acronyms, taken apart.
pub fn names_of(r: &Record) -> Vec<Name> {
    let mut names: Vec<Name> = r
        .names
        .iter()
        .chain(&r.acronyms)
        .map(|n| Name::new(n))
        .collect();
    for i in 0..names.len() {
        if let Some(k) = names[i].acronym.as_deref() {
            names[i].spelled_out = names.iter().any(|n| spells_out(n, k));
        }
    }
    names
}

/// The weight of the words of `x` that `y` writes as two, marking them used.
fn compounds(x: &Name, y: &Name, wx: &[f64], wy: &[f64], ux: &mut [bool], uy: &mut [bool]) -> f64 {
    let mut shared = 0.0;
    for (i, (w, _)) in x.tokens.iter().enumerate() {
        if ux[i] {
            continue;
        }
        for j in 0..y.tokens.len().saturating_sub(1) {
            let (p, q) = (&y.tokens[j].0, &y.tokens[j + 1].0);
            if !uy[j]
                && !uy[j + 1]
                && w.len() == p.len() + q.len()
                && w.starts_with(p.as_str())
                && w.ends_with(q.as_str())
            {
                ux[i] = true;
                uy[j] = true;
                uy[j + 1] = true;
                shared += wx[i] + wy[j] + wy[j + 1];
                break;
            }
        }
    }
    shared
}

/// 1 for equal words, Jaro–Winkler for a likely typo in a longer word, else 0.
fn word_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() >= 5 && b.len() >= 5 && !a.bytes().all(|c| c.is_ascii_digit()) {
        let jw = strsim::jaro_winkler(a, b);
        if jw >= 0.92 {
            return jw;
        }
    }
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, name: &str) -> Record {
        Record {
            id: id.into(),
            schema: "Person".into(),
            names: vec![name.into()],
            ..Record::default()
        }
    }

    #[test]
    fn people_match_people_whatever_the_order_and_apostrophes() {
        let people = [
            person("1", "Hila Cohen"),
            person("2", "Cohen, Hila"),
            person("3", "Ye\u{2019}ela Ra\u{2019}anan"),
            person("4", "Yeela Raanan"),
            person("5", "Hila Levi"),
            person("6", "Dana Cohen"),
        ];
        let s = Scorer::new(&people);
        let score = |a: usize, b: usize| s.score(&people[a], &people[b]).unwrap().score;
        assert!(score(0, 1) >= 0.75, "word order");
        assert!(score(2, 3) >= 0.75, "apostrophes");
        assert!(score(0, 4) < 0.75, "a shared first name is not enough");
        assert!(score(0, 5) < 0.75, "nor a shared family name");
        let body = Record {
            schema: "Organization".into(),
            ..person("7", "Hila Cohen")
        };
        assert!(
            s.score(&people[0], &body).is_none(),
            "a person is never a body"
        );
    }

    fn body(id: &str, names: &[&str], acronyms: &[&str]) -> Record {
        Record {
            id: id.into(),
            schema: "Organization".into(),
            names: names.iter().map(|n| n.to_string()).collect(),
            acronyms: acronyms.iter().map(|n| n.to_string()).collect(),
            ..Record::default()
        }
    }

    #[test]
    fn an_acronym_its_record_spells_out_does_not_outweigh_the_names() {
        let bodies = [
            body("1", &["United Road Trust"], &["URT"]),
            body("2", &["Urban Roots Foundation"], &[]),
            body("3", &["Urban Rights Trust"], &["URT"]),
            body("4", &["URT"], &[]),
            body("5", &["Alliance for Middle East Peace"], &["ALLMEP"]),
            body("6", &["ALLMEP"], &[]),
            body("7", &["Alliance for Middle East Peace"], &[]),
            body("8", &["Rofim Lezchuyot Adam"], &["PHRI"]),
            body("9", &["Physicians for Human Rights Israel"], &[]),
        ];
        let s = Scorer::new(&bodies);
        let score = |a: usize, b: usize| s.score(&bodies[a], &bodies[b]).unwrap().score;
        assert!(score(0, 1) < 0.75, "URT is United Road Trust's own");
        assert!(score(0, 2) < 0.75, "the same acronym, other names");
        assert!(score(2, 0) < 0.75, "either way round");
        assert!(score(0, 3) >= 0.75, "a record known by the acronym alone");
        assert!(
            score(4, 5) >= 0.75,
            "ALLMEP alone meets its spelled-out name"
        );
        assert!(score(5, 6) >= 0.75, "and the name alone");
        assert!(score(4, 6) >= 0.75, "the same name");
        assert!(
            score(7, 8) >= 0.75,
            "an acronym its own (Hebrew) name does not spell out still counts"
        );
    }

    #[test]
    fn different_kinds_of_body_stay_apart_when_they_share_a_qualifier() {
        let bodies = [
            body("1", &["Global Desert Initiative"], &[]),
            body("2", &["Global Desert Center"], &[]),
            body("3", &["Desert Center"], &[]),
            body("4", &["Global Desert Center International"], &[]),
        ];
        let s = Scorer::new(&bodies);
        let score = |a: usize, b: usize| s.score(&bodies[a], &bodies[b]).unwrap().score;
        assert!(
            score(0, 1) < score(1, 2),
            "an initiative is not a center: {} vs {}",
            score(0, 1),
            score(1, 2)
        );
        assert!(score(0, 1) < 0.8, "{}", score(0, 1));
        assert!(score(1, 3) >= 0.75, "a word more is not another kind");
    }
}
