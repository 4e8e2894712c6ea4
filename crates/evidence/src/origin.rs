//! Whether a document may be a quotation's origin: the speaker's own words,
//! never the page that reports them, under whatever address or id it was
//! archived. A document is refused, with the reason, when it
//!
//! 1. is a source that reports the quotation;
//! 2. has the same bytes as one (the same content hash);
//! 3. has nearly the same text as an archived copy of one (word shingles);
//! 4. holds the reporter's own words around the quotation (the claim's
//!    text beside the quoted words), or several quotations the same source
//!    reports about different subjects or speakers: a copy of the report,
//!    or another report;
//! 5. is on the reporting source's site, unless that site is the speaker's.
//!
//! The rules are worked out once for a run ([`Origins::new`]) and asked of
//! every candidate (`discover`) and every recorded anchor (`verify_all`),
//! so an anchor recorded before a rule existed is judged by it too.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

use dossier_model::Entity;
use dossier_store::Read;

use crate::check::quote_text;
use crate::discover::{resemblance, shingle_set, ArchiveIndex};
use crate::EvidenceError;

/// Why a document is not a quotation's origin.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// It is a source that reports the quotation.
    Reporting { source: String },
    /// Its bytes are those of a reporting source.
    SameBytes { source: String },
    /// Its text is nearly that of a reporting source's archived copy.
    SameText { source: String, resemblance: f64 },
    /// It holds the reporting source's own words around the quotation.
    ReportersWords { source: String },
    /// It holds several quotations the source reports, about or by
    /// different parties.
    ReportsTheSame {
        source: String,
        quotations: usize,
        parties: usize,
    },
    /// It is on the reporting source's site, which is not the speaker's.
    ReportersSite { source: String, host: String },
    /// It is published by the reporting source's publisher, who is not the
    /// speaker.
    ReportersPublisher { source: String, publisher: String },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Reporting { source } => {
                write!(f, "not an origin: it is the source reporting the quotation ({source})")
            }
            Refusal::SameBytes { source } => write!(
                f,
                "not an origin: the same bytes as the reporting source ({source})"
            ),
            Refusal::SameText {
                source,
                resemblance,
            } => write!(
                f,
                "not an origin: the same text as the reporting source ({source}, {:.0}% alike)",
                resemblance * 100.0
            ),
            Refusal::ReportersWords { source } => write!(
                f,
                "not an origin: it holds the reporting source's own words around the quotation ({source})"
            ),
            Refusal::ReportsTheSame {
                source,
                quotations,
                parties,
            } => write!(
                f,
                "not an origin: it holds {quotations} quotations the reporting source ({source}) reports, of {parties} different parties"
            ),
            Refusal::ReportersPublisher { source, publisher } => write!(
                f,
                "not an origin: published by the reporting source's publisher ({publisher}, {source}), who is not the speaker"
            ),
            Refusal::ReportersSite { source, host } => write!(
                f,
                "not an origin: published on the reporting source's site ({host}, {source}), which is not the speaker's"
            ),
        }
    }
}

/// How much of a reporting source's archived text a document must share
/// to be taken for a copy of it: resemblance of the two texts' shingles,
/// or the share of the report's shingles the document holds.
const SAME_TEXT: f64 = 0.5;
const REPORT_CONTAINED: f64 = 0.8;

/// The fewest of a source's quotations a document must hold, of at least
/// two parties, to be taken for a report of the same.
const REPORTED_TOGETHER: usize = 3;

/// The fewest words of the reporter's own text around a quotation (in
/// stretches of three or more) that, found in a document, mark it as the
/// report.
const REPORTERS_WORDS: usize = 6;

/// What a document is, for the rules: its content hashes, the hosts it
/// was published on, and (for a reporting source) its archived texts.
#[derive(Debug, Default, Clone)]
struct DocInfo {
    hashes: HashSet<String>,
    hosts: HashSet<String>,
    copies: HashSet<String>,
    /// Who published it (`publisher`), folded.
    publishers: HashSet<String>,
}

/// A name folded for comparing: case and spacing aside.
fn folded(name: &str) -> String {
    dossier_model::text::clean(name)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rules, worked out for the quotations of one run.
pub struct Origins {
    /// Each quotation's reporting sources.
    reporting: HashMap<String, Rc<Vec<String>>>,
    /// The hosts of each quotation's speaker's own site.
    speaker_hosts: HashMap<String, Rc<HashSet<String>>>,
    /// Each quotation's speaker's names, folded.
    speaker_names: HashMap<String, Rc<HashSet<String>>>,
    docs: HashMap<String, Rc<DocInfo>>,
    /// Shingles of the reporting sources' archived texts, by copy.
    report_shingles: HashMap<String, HashSet<u64>>,
    /// For each reporting source, the archived texts (by copy) that hold
    /// each of its quotations, with the quotation's party.
    held: HashMap<String, HashMap<String, Vec<(String, String)>>>,
    /// For each quotation, the archived texts holding its reporter's words.
    reporters_words: HashMap<String, HashSet<String>>,
    /// Whether a text (by copy) is nearly a reporting source's text (by
    /// copy), once worked out: the same for every quotation.
    alike: HashMap<(String, String), Option<f64>>,
}

/// The host of an address, lower case, without `www.`.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .rsplit('@')
        .next()?
        .split(':')
        .next()?
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

impl Origins {
    /// Works the rules out for `quotations`, with `index` the shingle
    /// index of every archived text (by copy SHA-256).
    pub fn new<S: Read + ?Sized>(
        store: &S,
        quotations: &[Entity],
        index: &ArchiveIndex,
    ) -> Result<Origins, EvidenceError> {
        let mut o = Origins {
            reporting: HashMap::new(),
            speaker_hosts: HashMap::new(),
            speaker_names: HashMap::new(),
            docs: HashMap::new(),
            report_shingles: HashMap::new(),
            held: HashMap::new(),
            reporters_words: HashMap::new(),
            alike: HashMap::new(),
        };
        // The claims and speakers, each read once, many in one go.
        let mut claim_ids: Vec<String> = quotations
            .iter()
            .filter_map(|q| q.first("claim").map(str::to_string))
            .collect();
        claim_ids.sort_unstable();
        claim_ids.dedup();
        let claims: HashMap<String, Entity> = store
            .entities_of(&claim_ids)?
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect();
        let mut speaker_ids: Vec<String> = quotations
            .iter()
            .filter_map(|q| q.first("speaker").map(str::to_string))
            .collect();
        speaker_ids.sort_unstable();
        speaker_ids.dedup();
        let mut sites: HashMap<String, Rc<HashSet<String>>> = HashMap::new();
        let mut names: HashMap<String, Rc<HashSet<String>>> = HashMap::new();
        for e in store.entities_of(&speaker_ids)? {
            let hosts = e.values("website").filter_map(host_of).collect();
            let called = ["name", "alias", "abbreviation", "previousName"]
                .iter()
                .flat_map(|p| e.values(p))
                .map(folded)
                .collect();
            sites.insert(e.id.clone(), Rc::new(hosts));
            names.insert(e.id, Rc::new(called));
        }
        let mut sources: HashSet<String> = HashSet::new();
        for q in quotations {
            let claim = q.first("claim").and_then(|id| claims.get(id));
            let mut r: Vec<String> = claim
                .map(|c| c.values("source").map(str::to_string).collect())
                .unwrap_or_default();
            if r.is_empty() {
                // A quotation with no claim to say where it was reported:
                // the sources of its own statements.
                for st in store.history(&q.id)? {
                    if !r.contains(&st.source) {
                        r.push(st.source);
                    }
                }
            }
            // The reporter's own words: the claim's text beside the
            // quotation, each stretch looked for on its own.
            if let Some(c) = claim {
                let quote = quote_text(q);
                let mut held: HashMap<String, usize> = HashMap::new();
                for text in c.values("text") {
                    for stretch in around_quote(text, &quote) {
                        let n = stretch.split_whitespace().count();
                        if n < 3 {
                            continue;
                        }
                        for sha in index.candidates(&stretch) {
                            *held.entry(sha.to_string()).or_default() += n;
                        }
                    }
                }
                let holders: HashSet<String> = held
                    .into_iter()
                    .filter(|(_, n)| *n >= REPORTERS_WORDS)
                    .map(|(sha, _)| sha)
                    .collect();
                if !holders.is_empty() {
                    o.reporters_words.insert(q.id.clone(), holders);
                }
            }
            if let Some(hosts) = q.first("speaker").and_then(|sp| sites.get(sp)) {
                o.speaker_hosts.insert(q.id.clone(), hosts.clone());
            }
            if let Some(called) = q.first("speaker").and_then(|sp| names.get(sp)) {
                o.speaker_names.insert(q.id.clone(), called.clone());
            }
            // Which texts hold it, for the sources that report it.
            let party = q
                .first("speaker")
                .or_else(|| claim.and_then(|c| c.first("subject")))
                .unwrap_or("")
                .to_string();
            let holders = index.candidates(&quote_text(q));
            if !holders.is_empty() {
                for s in &r {
                    let by_copy = o.held.entry(s.clone()).or_default();
                    for h in &holders {
                        by_copy
                            .entry(h.to_string())
                            .or_default()
                            .push((q.id.clone(), party.clone()));
                    }
                }
            }
            sources.extend(r.iter().cloned());
            o.reporting.insert(q.id.clone(), Rc::new(r));
        }
        for s in &sources {
            let info = o.doc_info(store, s)?;
            for sha in &info.copies {
                if !o.report_shingles.contains_key(sha) {
                    if let Some(text) = store.copy_text(sha)? {
                        o.report_shingles.insert(sha.clone(), shingle_set(&text));
                    }
                }
            }
        }
        Ok(o)
    }

    fn doc_info<S: Read + ?Sized>(
        &mut self,
        store: &S,
        id: &str,
    ) -> Result<Rc<DocInfo>, EvidenceError> {
        if let Some(d) = self.docs.get(id) {
            return Ok(d.clone());
        }
        let mut d = DocInfo::default();
        if let Some(e) = store.entity(id)? {
            d.hashes
                .extend(e.values("contentHash").map(str::to_ascii_lowercase));
            d.hosts.extend(e.values("sourceUrl").filter_map(host_of));
            d.publishers.extend(e.values("publisher").map(folded));
        }
        for c in store.copies(Some(id))? {
            d.hosts.extend(c.url.as_deref().and_then(host_of));
            d.copies.insert(c.sha256);
        }
        let d = Rc::new(d);
        self.docs.insert(id.to_string(), d.clone());
        Ok(d)
    }

    /// The host of `document`'s that is the speaker's own site, if any: a
    /// proposal's strongest reason.
    pub fn speakers_site<S: Read + ?Sized>(
        &mut self,
        store: &S,
        quotation: &str,
        document: &str,
    ) -> Result<Option<String>, EvidenceError> {
        let doc = self.doc_info(store, document)?;
        let theirs = self.speaker_hosts.get(quotation);
        Ok(doc
            .hosts
            .iter()
            .find(|h| theirs.is_some_and(|t| t.contains(*h)))
            .cloned())
    }

    /// Whether `document`, in its archived copy `sha256` (whose text is
    /// `text`), may be the origin of the quotation `quotation`; the reason
    /// when it may not.
    pub fn judge<S: Read + ?Sized>(
        &mut self,
        store: &S,
        quotation: &str,
        document: &str,
        sha256: &str,
        text: &str,
    ) -> Result<Option<Refusal>, EvidenceError> {
        let Some(reporting) = self.reporting.get(quotation).cloned() else {
            return Ok(None);
        };
        if let Some(s) = reporting.iter().find(|s| *s == document) {
            return Ok(Some(Refusal::Reporting { source: s.clone() }));
        }
        let doc = self.doc_info(store, document)?;
        let speaker_hosts = self.speaker_hosts.get(quotation).cloned();
        let mut mine: Option<HashSet<u64>> = None;
        for s in reporting.iter() {
            let r = self.doc_info(store, s)?;
            if doc.copies.contains(sha256) && r.copies.contains(sha256)
                || !doc.hashes.is_disjoint(&r.hashes)
            {
                return Ok(Some(Refusal::SameBytes { source: s.clone() }));
            }
            for copy in &r.copies {
                let key = (sha256.to_string(), copy.clone());
                let alike = match self.alike.get(&key) {
                    Some(a) => *a,
                    None => {
                        let a = self.report_shingles.get(copy).map(|theirs| {
                            let mine = mine.get_or_insert_with(|| shingle_set(text));
                            let (alike, contained) = resemblance(mine, theirs);
                            match alike >= SAME_TEXT || contained >= REPORT_CONTAINED {
                                true => alike.max(contained),
                                false => -1.0,
                            }
                        });
                        self.alike.insert(key, a);
                        a
                    }
                };
                if let Some(resemblance) = alike.filter(|a| *a >= 0.0) {
                    return Ok(Some(Refusal::SameText {
                        source: s.clone(),
                        resemblance,
                    }));
                }
            }
            if self
                .reporters_words
                .get(quotation)
                .is_some_and(|holders| holders.contains(sha256))
            {
                return Ok(Some(Refusal::ReportersWords { source: s.clone() }));
            }
            if let Some(list) = self.held.get(s).and_then(|m| m.get(sha256)) {
                let quotations: HashSet<&str> = list.iter().map(|(q, _)| q.as_str()).collect();
                let parties: HashSet<&str> = list.iter().map(|(_, p)| p.as_str()).collect();
                if quotations.len() >= REPORTED_TOGETHER && parties.len() >= 2 {
                    return Ok(Some(Refusal::ReportsTheSame {
                        source: s.clone(),
                        quotations: quotations.len(),
                        parties: parties.len(),
                    }));
                }
            }
            let speaker_names = self.speaker_names.get(quotation);
            if let Some(p) = doc.publishers.iter().find(|p| {
                r.publishers.contains(*p) && !speaker_names.is_some_and(|n| n.contains(*p))
            }) {
                return Ok(Some(Refusal::ReportersPublisher {
                    source: s.clone(),
                    publisher: p.clone(),
                }));
            }
            let theirs = |h: &String| speaker_hosts.as_ref().is_some_and(|t| t.contains(h));
            if let Some(host) = doc
                .hosts
                .iter()
                .find(|h| r.hosts.contains(*h) && !theirs(h))
            {
                return Ok(Some(Refusal::ReportersSite {
                    source: s.clone(),
                    host: host.clone(),
                }));
            }
        }
        Ok(None)
    }
}

/// A claim's text beside the quoted words: the stretches the reporter
/// wrote themselves, before, between and after each place the quotation
/// stands, as lower-case words (none when the quotation is not in it).
fn around_quote(claim: &str, quote: &str) -> Vec<String> {
    let folded = |s: &str| dossier_model::text::clean(s).to_lowercase();
    let (c, q) = (folded(claim), folded(quote));
    if q.is_empty() || !c.contains(&q) {
        return Vec::new();
    }
    c.split(q.as_str())
        .map(|part| {
            part.chars()
                .map(|ch| if ch.is_alphanumeric() { ch } else { ' ' })
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|part| !part.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_the_reporters_words() {
        assert_eq!(
            host_of("https://WWW.Watch.example:8443/a?b").as_deref(),
            Some("watch.example")
        );
        assert_eq!(
            host_of("mirror.example/x").as_deref(),
            Some("mirror.example")
        );
        assert_eq!(
            around_quote(
                "The group's director said: \u{201C}We will stay.\u{201D} Critics disagree.",
                "We will stay."
            ),
            ["the group s director said", "critics disagree"]
        );
        assert!(around_quote("No quotation here", "elsewhere").is_empty());
    }
}
