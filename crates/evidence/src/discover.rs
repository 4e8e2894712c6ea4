//! Origin discovery: which archived documents may contain a quotation. An
//! inverted index of word shingles (three consecutive normalized words) over
//! every archived text; a quotation's rarest shingles pick the candidates,
//! which are then confirmed by searching their text.

use std::collections::HashMap;

use crate::normal::normalized;

const SHINGLE: usize = 3;

fn fnv(words: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for w in words {
        for b in w.bytes().chain(std::iter::once(0x1f)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

/// Normalized words of a text.
fn words(text: &str) -> Vec<String> {
    let norm: String = normalized(text).into_iter().collect();
    norm.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn shingles(words: &[String]) -> Vec<u64> {
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    if refs.is_empty() {
        return Vec::new();
    }
    let n = SHINGLE.min(refs.len());
    let mut out: Vec<u64> = refs.windows(n).map(fnv).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Words a shingle spans when two whole texts are compared.
const TEXT_SHINGLE: usize = 5;

/// The five-word shingles of a text (normalized), as a set: what two texts
/// are compared by ([`resemblance`]).
pub fn shingle_set(text: &str) -> std::collections::HashSet<u64> {
    let ws = words(text);
    let refs: Vec<&str> = ws.iter().map(String::as_str).collect();
    if refs.is_empty() {
        return Default::default();
    }
    refs.windows(TEXT_SHINGLE.min(refs.len()))
        .map(fnv)
        .collect()
}

/// How alike two texts' shingle sets are: their resemblance (shared over
/// all, Jaccard's), and how much of `theirs` `mine` holds.
pub fn resemblance(
    mine: &std::collections::HashSet<u64>,
    theirs: &std::collections::HashSet<u64>,
) -> (f64, f64) {
    if mine.is_empty() || theirs.is_empty() {
        return (0.0, 0.0);
    }
    let shared = mine.intersection(theirs).count() as f64;
    let all = (mine.len() + theirs.len()) as f64 - shared;
    (shared / all, shared / theirs.len() as f64)
}

/// The index: shingle → the documents (by number) whose text holds it.
/// Serializable, so that `dossier verify` keeps it from run to run and
/// adds only the texts archived since.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ArchiveIndex {
    keys: Vec<String>,
    postings: HashMap<u64, Vec<u32>>,
    /// Shingles of fewer words, for quotations under three words long.
    short: HashMap<u64, Vec<u32>>,
}

impl ArchiveIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text under a key (an archived copy's SHA-256, say).
    pub fn add(&mut self, key: &str, text: &str) {
        let n = self.keys.len() as u32;
        self.keys.push(key.to_string());
        let ws = words(text);
        for s in shingles(&ws) {
            self.postings.entry(s).or_default().push(n);
        }
        let refs: Vec<&str> = ws.iter().map(String::as_str).collect();
        for k in 1..SHINGLE {
            let mut seen: Vec<u64> = refs.windows(k).map(fnv).collect();
            seen.sort_unstable();
            seen.dedup();
            for s in seen {
                let list = self.short.entry(s).or_default();
                if list.last() != Some(&n) {
                    list.push(n);
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The keys of the texts indexed, in the order they were added.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Keys of the texts that hold every shingle of the quotation (after
    /// normalization): the candidates to confirm.
    pub fn candidates(&self, quote: &str) -> Vec<&str> {
        let ws = words(quote);
        if ws.is_empty() {
            return Vec::new();
        }
        let (keys, table): (Vec<u64>, _) = if ws.len() >= SHINGLE {
            (shingles(&ws), &self.postings)
        } else {
            (shingles(&ws), &self.short)
        };
        let mut lists: Vec<&Vec<u32>> = Vec::with_capacity(keys.len());
        for k in &keys {
            match table.get(k) {
                Some(l) => lists.push(l),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|l| l.len());
        let mut docs: Vec<u32> = lists[0].clone();
        for l in &lists[1..] {
            if docs.is_empty() {
                break;
            }
            docs.retain(|d| l.binary_search(d).is_ok());
        }
        docs.iter()
            .map(|&d| self.keys[d as usize].as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mirror_resembles_its_page_and_an_answer_does_not() {
        let page = "The watchdog reports that the coalition's director said they \
                    would never meet the ministry again, and that its members agree.";
        let mirror = format!("Mirror header. {page} Mirror footer with a link.");
        let answer = "Our director never said we would not meet the ministry; \
                      we met them twice this spring.";
        let (alike, held) = resemblance(&shingle_set(&mirror), &shingle_set(page));
        assert!(alike > 0.5 && held > 0.99, "{alike} {held}");
        let (alike, held) = resemblance(&shingle_set(answer), &shingle_set(page));
        assert!(alike < 0.1 && held < 0.1, "{alike} {held}");
    }

    #[test]
    fn candidates_hold_every_shingle() {
        let mut ix = ArchiveIndex::new();
        ix.add("a", "We will keep working for peace, whatever it takes.");
        ix.add("b", "We will keep walking for peace.");
        ix.add("c", "Peace is what we work for.");
        assert_eq!(ix.candidates("keep working for peace"), vec!["a"]);
        assert_eq!(
            ix.candidates("\u{201C}We will KEEP\u{201D}"),
            vec!["a", "b"]
        );
        assert!(ix.candidates("nothing like this").is_empty());
        assert_eq!(ix.candidates("peace"), vec!["a", "b", "c"]);
    }
}
