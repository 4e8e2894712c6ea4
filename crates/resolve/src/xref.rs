//! Candidate pairs by blocking, rated and ranked.

use std::collections::{HashMap, HashSet};

use crate::names::{Kind, Name};
use crate::score::{Explained, Scorer};
use crate::{is_person, Record};

/// How `xref` runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Pairs below this score are left out.
    pub threshold: f64,
    /// A word in more names than this is too common to pair records by.
    pub max_block: usize,
    /// Compare only records of different datasets (`xref --against`).
    pub across_datasets: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threshold: 0.75,
            max_block: 100,
            across_datasets: false,
        }
    }
}

/// A candidate pair, `a` and `b` indexes into the records.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub a: usize,
    pub b: usize,
    pub explained: Explained,
}

/// The keys a record is blocked under: its rarer core words, its names run
/// together, its acronyms and its names' initials.
fn keys(names: &[Name], scorer: &Scorer, max_block: usize) -> Vec<String> {
    let mut out = Vec::new();
    for name in names {
        for (w, k) in &name.tokens {
            if *k != Kind::Type && w.len() >= 3 && (scorer.frequency(w) as usize) <= max_block {
                out.push(format!("w:{w}"));
            }
        }
        if !name.compact.is_empty() {
            out.push(format!("c:{}", name.compact));
        }
        // Loose acronyms (`ALLMEP`) meet their names by their first two
        // letters (the first word's) and their last letter: a name's last
        // word's initial, or the word's before it (`PHR` for Physicians for
        // Human Rights – Israel). The last letter keeps these blocks small
        // where many names share a first word. An acronym its record spells
        // out is never scored against a name (`Scorer::score_prepared`), so
        // it keeps only its own key.
        match &name.acronym {
            Some(a) => {
                out.push(format!("a:{a}"));
                let first = a.get(..2).unwrap_or(a);
                match a.chars().last() {
                    Some(last) if !name.spelled_out => out.push(format!("p:{first}{last}")),
                    _ => {}
                }
            }
            None if name.tokens.len() >= 2 => {
                out.push(format!("a:{}", name.initials));
                let first = &name.tokens[0].0;
                let first = first.get(..2).unwrap_or(first).to_uppercase();
                for (word, _) in name.tokens.iter().skip(1).rev().take(2) {
                    if let Some(initial) = word.chars().next() {
                        out.push(format!("p:{first}{}", initial.to_uppercase()));
                    }
                }
            }
            None => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Pairs of records that may be the same, best first, scored at least
/// `threshold`. Each pair once; a record is never paired with itself.
pub fn xref(records: &[Record], options: &Options) -> Vec<Match> {
    xref_counted(records, options).0
}

/// [`xref`], and how many pairs were scored.
pub fn xref_counted(records: &[Record], options: &Options) -> (Vec<Match>, usize) {
    let scorer = Scorer::new(records);
    let names: Vec<Vec<Name>> = records.iter().map(crate::score::names_of).collect();
    // Who meets whom in a prefix block: acronyms no other name of their
    // record spells out, and full names.
    let loose_acronym: Vec<bool> = names
        .iter()
        .map(|ns| ns.iter().any(|n| n.acronym.is_some() && !n.spelled_out))
        .collect();
    let full_name: Vec<bool> = names
        .iter()
        .map(|ns| ns.iter().any(|n| n.acronym.is_none()))
        .collect();
    let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, ns) in names.iter().enumerate() {
        for k in keys(ns, &scorer, options.max_block) {
            blocks.entry(k).or_default().push(i);
        }
    }
    // A person is only compared with a person (`crate::comparable`), so
    // blocks are paired within each side: the many people whose first
    // names share two first letters never meet the acronyms of bodies (at
    // 100,000 generated organizations those pairs were most of the work,
    // and none could score).
    let person: Vec<bool> = records.iter().map(|r| is_person(&r.schema)).collect();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut out = Vec::new();
    for (key, members) in &blocks {
        let (people, bodies): (Vec<usize>, Vec<usize>) = members.iter().partition(|&&i| person[i]);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for side in [&people, &bodies] {
            // Prefix blocks pair acronyms with names only: few acronyms
            // against many names. Other blocks pair all their members, when
            // not too common.
            if key.starts_with("p:") {
                let acr: Vec<usize> = side.iter().copied().filter(|&i| loose_acronym[i]).collect();
                let full: Vec<usize> = side.iter().copied().filter(|&i| full_name[i]).collect();
                pairs.extend(
                    acr.iter()
                        .flat_map(|&i| full.iter().map(move |&j| (i.min(j), i.max(j)))),
                );
            } else if members.len() <= options.max_block {
                pairs.extend(
                    side.iter().enumerate().flat_map(|(x, &i)| {
                        side[x + 1..].iter().map(move |&j| (i.min(j), i.max(j)))
                    }),
                );
            }
        }
        for (a, b) in pairs {
            if a == b
                || (options.across_datasets && records[a].dataset == records[b].dataset)
                || !seen.insert((a, b))
            {
                continue;
            }
            if let Some(e) = scorer.score_prepared(&records[a], &names[a], &records[b], &names[b]) {
                if e.score >= options.threshold {
                    out.push(Match { a, b, explained: e });
                }
            }
        }
    }
    out.sort_by(|x, y| {
        y.explained
            .score
            .total_cmp(&x.explained.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    (out, seen.len())
}
