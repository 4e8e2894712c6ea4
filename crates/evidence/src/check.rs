//! Verification over the store: every quotation checked against the newest
//! archived copy of its origin, origins discovered for quotations without
//! one, and anchors recorded.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use dossier_model::ids::stable_id;
use dossier_model::{Batch, Entity, Provenance, Value};
use dossier_store::{ArchivedCopy, Read, Store};

use crate::discover::ArchiveIndex;
use crate::locate::{locate, Found, Mark, Method, Selector};
use crate::normal::Prepared;
use crate::origin::{Origins, Refusal};
use crate::EvidenceError;

/// The words of a quotation as reported (original typography when kept).
pub fn quote_text(q: &Entity) -> String {
    q.properties
        .get("text")
        .and_then(|v| v.first())
        .map(|v| v.original.clone().unwrap_or_else(|| v.value.clone()))
        .unwrap_or_default()
}

/// The selectors an `Anchor` entity holds.
pub fn selector_of(anchor: &Entity) -> Option<Selector> {
    let exact = anchor.first("exact")?.to_string();
    let num = |p: &str| {
        anchor
            .first(p)
            .and_then(|v| v.parse::<f64>().ok())
            .map(|f| f as usize)
    };
    Some(Selector {
        exact,
        prefix: anchor.first("prefix").unwrap_or("").to_string(),
        suffix: anchor.first("suffix").unwrap_or("").to_string(),
        start: num("start").unwrap_or(0),
        end: num("end").unwrap_or(0),
    })
}

/// One quotation checked against one origin (or against none).
#[derive(Debug, Clone)]
pub struct Check {
    pub quotation: String,
    /// The quotation's words.
    pub quote: String,
    pub anchor: Option<String>,
    /// The origin document.
    pub origin: Option<String>,
    /// The archived copy checked against (the origin's newest).
    pub copy: Option<ArchivedCopy>,
    pub selector: Option<Selector>,
    pub mark: Mark,
    pub found: Option<Found>,
    /// Why the linked document is not the quotation's origin
    /// ([`Mark::NotOrigin`]).
    pub refusal: Option<Refusal>,
    /// Read from what `verify` recorded ([`stored_check`]): when it was
    /// checked, whether a newer copy of the origin has come since (the
    /// mark is then stale: it says nothing of the newest copy), the word
    /// difference and the refusal as recorded.
    pub recorded: Option<Recorded>,
}

impl Check {
    /// A quotation with no origin to check it against.
    pub fn none(q: &Entity) -> Check {
        Check {
            quotation: q.id.clone(),
            quote: quote_text(q),
            anchor: None,
            origin: None,
            copy: None,
            selector: None,
            mark: Mark::NoArchive,
            found: None,
            refusal: None,
            recorded: None,
        }
    }
}

/// What a check concludes: no text to check, a document that is not the
/// origin, the quotation not there, or how it was found.
fn concluded(has_text: bool, found: Option<&Found>, refusal: Option<&Refusal>) -> Mark {
    match (has_text, found, refusal) {
        (false, _, _) => Mark::NoArchive,
        (true, _, Some(_)) => Mark::NotOrigin,
        (true, None, None) => Mark::NotFound,
        (true, Some(f), None) => f.mark,
    }
}

/// A check as `verify` recorded it on the anchor.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub checked_at: String,
    /// The copy checked against.
    pub copy: String,
    /// A newer copy of the origin was archived since.
    pub stale: bool,
    pub method: Option<Method>,
    pub difference: Option<String>,
    pub refusal: Option<String>,
    /// The origin document's title and address.
    pub origin_title: Option<String>,
    pub origin_url: Option<String>,
}

/// Checks quotations, keeping the texts it has prepared.
pub struct Checker<'s, S: Read + ?Sized> {
    store: &'s S,
    texts: HashMap<String, Rc<Prepared>>,
    newest: HashMap<String, Option<ArchivedCopy>>,
}

impl<'s, S: Read + ?Sized> Checker<'s, S> {
    pub fn new(store: &'s S) -> Self {
        Checker {
            store,
            texts: HashMap::new(),
            newest: HashMap::new(),
        }
    }

    /// The prepared text of an archived copy.
    pub fn text(&mut self, sha256: &str) -> Result<Option<Rc<Prepared>>, EvidenceError> {
        if let Some(t) = self.texts.get(sha256) {
            return Ok(Some(t.clone()));
        }
        let Some(raw) = self.store.copy_text(sha256)? else {
            return Ok(None);
        };
        let p = Rc::new(Prepared::new(&raw));
        self.texts.insert(sha256.to_string(), p.clone());
        Ok(Some(p))
    }

    /// The newest archived copy of a document.
    pub fn newest_copy(&mut self, document: &str) -> Result<Option<ArchivedCopy>, EvidenceError> {
        if let Some(c) = self.newest.get(document) {
            return Ok(c.clone());
        }
        let c = self.store.copies(Some(document))?.into_iter().next();
        self.newest.insert(document.to_string(), c.clone());
        Ok(c)
    }

    /// The anchors of a quotation.
    pub fn anchors(&self, quotation: &str) -> Result<Vec<Entity>, EvidenceError> {
        Ok(self
            .store
            .referencing(quotation)?
            .into_iter()
            .filter(|e| e.schema.name == "Anchor" && e.first("quotation") == Some(quotation))
            .collect())
    }

    /// The quotation against each of its origins; one `no archive` check
    /// when it has none.
    pub fn check(&mut self, q: &Entity) -> Result<Vec<Check>, EvidenceError> {
        let quote = quote_text(q);
        let anchors = self.anchors(&q.id)?;
        let blank = Check {
            quotation: q.id.clone(),
            quote: quote.clone(),
            anchor: None,
            origin: None,
            copy: None,
            selector: None,
            mark: Mark::NoArchive,
            found: None,
            refusal: None,
            recorded: None,
        };
        if anchors.is_empty() {
            return Ok(vec![blank]);
        }
        let mut out = Vec::new();
        for a in anchors {
            let origin = a.first("document").map(str::to_string);
            let selector = selector_of(&a);
            let mut c = Check {
                anchor: Some(a.id.clone()),
                origin: origin.clone(),
                selector: selector.clone(),
                ..blank.clone()
            };
            let copy = match &origin {
                Some(d) => self.newest_copy(d)?,
                None => None,
            };
            if let Some(copy) = copy {
                if let Some(text) = self.text(&copy.sha256)? {
                    let found = locate(&quote, selector.as_ref(), &text);
                    c.mark = found.as_ref().map_or(Mark::NotFound, |f| f.mark);
                    c.found = found;
                }
                c.copy = Some(copy);
            }
            out.push(c);
        }
        out.sort_by_key(|c| c.mark);
        Ok(out)
    }

    /// The best of a quotation's checks (verified before altered before not found).
    pub fn best(&mut self, q: &Entity) -> Result<Check, EvidenceError> {
        let mut all = self.check(q)?;
        Ok(all.remove(0))
    }
}

/// What `verify` last recorded of a quotation, read against the newest copy
/// of each anchored document, best first (current before stale; verified
/// before altered before not found before not an origin): nothing is
/// searched, so a page shows what `verify` found, and when. A quotation
/// with no anchor is [`Mark::NoArchive`]; an anchor never checked is
/// [`Mark::Unchecked`].
pub fn stored_checks<S: Read + ?Sized>(store: &S, q: &Entity) -> Result<Vec<Check>, EvidenceError> {
    let blank = Check::none(q);
    let anchors: Vec<Entity> = store
        .referencing(&q.id)?
        .into_iter()
        .filter(|e| e.schema.name == "Anchor" && e.first("quotation") == Some(q.id.as_str()))
        .collect();
    if anchors.is_empty() {
        return Ok(vec![blank]);
    }
    let mut out = Vec::new();
    for a in anchors {
        let origin = a.first("document").map(str::to_string);
        let newest = match &origin {
            Some(d) => store.copies(Some(d))?.into_iter().next(),
            None => None,
        };
        let doc = match &origin {
            Some(d) => store.entity(d)?,
            None => None,
        };
        let mark = a
            .first("verdict")
            .and_then(Mark::parse)
            .unwrap_or(Mark::Unchecked);
        let recorded = a.first("checkedAt").map(|at| {
            let copy = a.first("checkedCopy").unwrap_or("").to_string();
            Recorded {
                checked_at: at.to_string(),
                stale: newest.as_ref().is_some_and(|n| n.sha256 != copy),
                copy,
                method: a.first("foundBy").and_then(Method::parse),
                difference: a.first("difference").map(str::to_string),
                refusal: a.first("refusal").map(str::to_string),
                origin_title: doc.as_ref().map(|d| d.caption().to_string()),
                origin_url: doc
                    .as_ref()
                    .and_then(|d| d.first("sourceUrl").map(str::to_string))
                    .or_else(|| newest.as_ref().and_then(|c| c.url.clone())),
            }
        });
        // The copy the recorded check was made against, when it is still the newest.
        let copy = match (&recorded, &newest) {
            (Some(r), Some(n)) if r.copy != n.sha256 => store
                .copies(origin.as_deref())?
                .into_iter()
                .find(|c| c.sha256 == r.copy)
                .or(Some(n.clone())),
            _ => newest.clone(),
        };
        out.push(Check {
            anchor: Some(a.id.clone()),
            origin,
            selector: selector_of(&a),
            mark: if recorded.is_some() {
                mark
            } else {
                Mark::Unchecked
            },
            copy,
            recorded,
            ..blank.clone()
        });
    }
    out.sort_by_key(|c| (c.recorded.as_ref().is_none_or(|r| r.stale), c.mark));
    Ok(out)
}

/// One quotation checked against its anchor in `document`, judged by the
/// origin rules worked out for what its reporting sources report (not for
/// the whole store): what a page that has just anchored a quotation shows
/// at once, and records as `verify` would.
pub fn check_in<S: Read + ?Sized>(
    store: &S,
    q: &Entity,
    document: &str,
) -> Result<Check, EvidenceError> {
    let anchor = store.referencing(&q.id)?.into_iter().find(|e| {
        e.schema.name == "Anchor"
            && e.first("quotation") == Some(q.id.as_str())
            && e.first("document") == Some(document)
    });
    let copy = store.copies(Some(document))?.into_iter().next();
    let raw = match &copy {
        Some(c) => store.copy_text(&c.sha256)?,
        None => None,
    };
    // The quotations its reporting sources report, for the rules.
    let mut reporting: Vec<String> = Vec::new();
    if let Some(c) = q
        .first("claim")
        .map(|c| store.entity(c))
        .transpose()?
        .flatten()
    {
        reporting.extend(c.values("source").map(str::to_string));
    }
    for st in store.history(&q.id)? {
        if !reporting.contains(&st.source) {
            reporting.push(st.source);
        }
    }
    let mut quotations = vec![q.clone()];
    for r in &reporting {
        for c in store.referencing(r)? {
            if c.schema.name != "Claim" || !c.values("source").any(|s| s == r) {
                continue;
            }
            for x in store.referencing(&c.id)? {
                let theirs = x.schema.name == "Quotation" && x.values("claim").any(|v| v == c.id);
                if theirs && !quotations.iter().any(|y| y.id == x.id) {
                    quotations.push(x);
                }
            }
        }
    }
    let mut index = ArchiveIndex::new();
    if let (Some(c), Some(raw)) = (&copy, &raw) {
        index.add(&c.sha256, raw);
    }
    let mut rules = Origins::new(store, &quotations, &index)?;
    let quote = quote_text(q);
    let selector = anchor.as_ref().and_then(selector_of);
    let refusal = match (&copy, &raw) {
        (Some(c), Some(raw)) => rules.judge(store, &q.id, document, &c.sha256, raw)?,
        _ => None,
    };
    let text = raw.as_deref().map(Prepared::new);
    let found = text
        .as_ref()
        .and_then(|t| locate(&quote, selector.as_ref(), t));
    let mark = concluded(text.is_some(), found.as_ref(), refusal.as_ref());
    Ok(Check {
        quotation: q.id.clone(),
        quote,
        anchor: anchor.map(|a| a.id),
        origin: Some(document.to_string()),
        copy,
        selector,
        mark,
        found,
        refusal,
        recorded: None,
    })
}

/// [`stored_checks`]' best.
pub fn stored_check<S: Read + ?Sized>(store: &S, q: &Entity) -> Result<Check, EvidenceError> {
    Ok(stored_checks(store, q)?.remove(0))
}

/// Records each check's result on its anchor (verdict, when, the copy
/// checked, how it was found, the difference, why not an origin), where
/// it changed since the last run: profile pages show these, never a check
/// of their own. Returns how many anchors changed.
pub fn record_results<S: Store + ?Sized>(
    store: &mut S,
    checks: &[Check],
    prov: &Provenance,
) -> Result<usize, EvidenceError> {
    let (changed, edits, prov) = result_edits(&*store, checks, prov)?;
    for edit in edits {
        store.edit(&dossier_store::Scope::everything(), &edit, &prov)?;
    }
    Ok(changed)
}

/// What [`record_results`] writes, read from `store` and not yet written:
/// how many anchors change, the edits (one an origin document), and the
/// provenance to record them with.
pub fn result_edits<S: Read + ?Sized>(
    store: &S,
    checks: &[Check],
    prov: &Provenance,
) -> Result<(usize, Vec<dossier_store::Edit>, Provenance), EvidenceError> {
    // By origin document: one edit for each, its anchors together.
    let mut edits: std::collections::BTreeMap<String, dossier_store::Edit> = Default::default();
    let mut changed = 0;
    for c in checks {
        let (Some(anchor), Some(copy)) = (&c.anchor, &c.copy) else {
            continue;
        };
        let Some(a) = store.entity(anchor)? else {
            continue;
        };
        let difference = c
            .found
            .as_ref()
            .filter(|f| f.mark == Mark::Altered && c.refusal.is_none())
            .map(|f| crate::locate::diff_line(&f.diff));
        let wanted: [(&str, Option<String>); 5] = [
            ("verdict", Some(c.mark.as_str().to_string())),
            ("checkedCopy", Some(copy.sha256.clone())),
            (
                "foundBy",
                c.found.as_ref().map(|f| f.method.as_str().to_string()),
            ),
            ("difference", difference),
            ("refusal", c.refusal.as_ref().map(ToString::to_string)),
        ];
        if wanted.iter().all(|(p, v)| a.values(p).eq(v.as_deref())) {
            continue;
        }
        changed += 1;
        let model = |e: dossier_model::ModelError| EvidenceError::Model {
            what: format!("the check of {anchor}"),
            message: e.to_string(),
        };
        let edit = edits
            .entry(copy.document.clone())
            .or_insert_with(|| dossier_store::Edit {
                batch: Batch::new(copy.document.clone(), String::new()),
                remove: Vec::new(),
                reason: "checked again".to_string(),
            });
        let mut e = Entity::new(anchor.clone(), "Anchor").map_err(model)?;
        let checked = [("checkedAt", Some(prov.now.clone()))];
        for (p, v) in wanted.iter().chain(checked.iter()) {
            for old in a.values(p).filter(|old| Some(*old) != v.as_deref()) {
                edit.remove
                    .push((anchor.clone(), p.to_string(), old.to_string()));
            }
            if let Some(v) = v {
                e.add(p, Value::from(v.as_str())).map_err(model)?;
            }
        }
        edit.batch.put(e).map_err(model)?;
    }
    let prov = Provenance {
        dataset: crate::intake::DATASET.to_string(),
        origin: Some("dossier verify".to_string()),
        ..prov.clone()
    };
    Ok((changed, edits.into_values().collect(), prov))
}

/// The shingle index of every archived text, by copy: what discovery
/// searches and the origin rules compare with.
pub fn archive_index<S: Read + ?Sized>(store: &S) -> Result<ArchiveIndex, EvidenceError> {
    let mut index = ArchiveIndex::new();
    follow_index(store, &mut index)?;
    Ok(index)
}

/// Brings a kept index up to the archive: the texts archived since it was
/// made are added; when a text it holds is no longer in the archive
/// (hidden, or a store restored from an older backup) it starts again.
/// Returns how many texts were added.
pub fn follow_index<S: Read + ?Sized>(
    store: &S,
    index: &mut ArchiveIndex,
) -> Result<usize, EvidenceError> {
    let mut now: Vec<String> = store.copies(None)?.into_iter().map(|c| c.sha256).collect();
    now.sort_unstable();
    now.dedup();
    let present: HashSet<&str> = now.iter().map(String::as_str).collect();
    if index.keys().iter().any(|k| !present.contains(k.as_str())) {
        *index = ArchiveIndex::new();
    }
    let held: HashSet<String> = index.keys().iter().cloned().collect();
    let mut added = 0;
    for sha in now.iter().filter(|s| !held.contains(*s)) {
        if let Some(text) = store.copy_text(sha)? {
            index.add(sha, &text);
            added += 1;
        }
    }
    Ok(added)
}

/// Every quotation in the store, checked: anchors grouped by origin, so
/// each origin's newest copy is read and prepared once, then let go. An
/// anchor in a document that is not the quotation's origin (the page
/// reporting it, under whatever address: see [`crate::origin`]) is
/// [`Mark::NotOrigin`], never verified.
pub fn verify_all<S: Read + ?Sized>(store: &S) -> Result<Vec<Check>, EvidenceError> {
    let index = archive_index(store)?;
    verify_all_with(store, &index)
}

/// [`verify_all`] with the archive's index made already.
pub fn verify_all_with<S: Read + ?Sized>(
    store: &S,
    index: &ArchiveIndex,
) -> Result<Vec<Check>, EvidenceError> {
    let all = store.entities(&["Quotation"])?;
    let mut rules = Origins::new(store, &all, index)?;
    let quotations: HashMap<String, Entity> = all.into_iter().map(|q| (q.id.clone(), q)).collect();
    let mut by_origin: std::collections::BTreeMap<String, Vec<Entity>> = Default::default();
    for a in store.entities(&["Anchor"])? {
        if let Some(d) = a.first("document") {
            by_origin.entry(d.to_string()).or_default().push(a);
        }
    }
    let mut out: Vec<Check> = Vec::new();
    let mut anchored: HashSet<String> = HashSet::new();
    for (origin, anchors) in by_origin {
        let copy = store.copies(Some(&origin))?.into_iter().next();
        let raw = match &copy {
            Some(c) => store.copy_text(&c.sha256)?,
            None => None,
        };
        let text = raw.as_deref().map(Prepared::new);
        for a in anchors {
            let Some(q) = a.first("quotation").and_then(|id| quotations.get(id)) else {
                continue;
            };
            anchored.insert(q.id.clone());
            let quote = quote_text(q);
            let selector = selector_of(&a);
            let refusal = match (&copy, &raw) {
                (Some(c), Some(raw)) => rules.judge(store, &q.id, &origin, &c.sha256, raw)?,
                _ => None,
            };
            let found = text
                .as_ref()
                .and_then(|t| locate(&quote, selector.as_ref(), t));
            let mark = concluded(text.is_some(), found.as_ref(), refusal.as_ref());
            out.push(Check {
                quotation: q.id.clone(),
                quote,
                anchor: Some(a.id.clone()),
                origin: Some(origin.clone()),
                copy: copy.clone(),
                selector,
                mark,
                found,
                refusal,
                recorded: None,
            });
        }
    }
    for q in quotations.values() {
        if !anchored.contains(&q.id) {
            out.push(Check::none(q));
        }
    }
    out.sort_by(|a, b| a.quotation.cmp(&b.quotation).then(a.mark.cmp(&b.mark)));
    Ok(out)
}

/// A document found to contain a quotation that has no origin yet.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub quotation: String,
    pub quote: String,
    pub document: String,
    pub copy: ArchivedCopy,
    /// `Exact` or `Normalized`.
    pub method: Method,
    pub start: usize,
    pub end: usize,
    /// How many documents hold the quotation (1: unambiguous).
    pub holders: usize,
    /// Why it is proposed: how many documents hold it, and whether this
    /// one is on the speaker's own site.
    pub reason: String,
}

/// Whether a quotation is long enough for a find to identify its origin: at
/// least three words and fifteen characters. A one-word quotation is in
/// countless documents; finding it proves nothing about where it was said.
pub fn linkable(quote: &str) -> bool {
    let clean = dossier_model::text::clean(quote);
    clean.chars().count() >= 15
        && clean
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count()
            >= 3
}

/// A document that holds a quotation but is not its origin, and why.
#[derive(Debug, Clone)]
pub struct Refused {
    pub quotation: String,
    pub document: String,
    pub copy: ArchivedCopy,
    pub refusal: Refusal,
}

/// What discovery found: origins proposed, and documents refused.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub proposals: Vec<Proposal>,
    pub refused: Vec<Refused>,
}

/// Searches the archive for documents holding the given quotations (exactly,
/// or after normalization); documents that are not a quotation's origin
/// (see [`crate::origin`]) are left out.
pub fn discover<S: Read + ?Sized>(
    store: &S,
    quotations: &[Entity],
) -> Result<Vec<Proposal>, EvidenceError> {
    let index = archive_index(store)?;
    Ok(discover_with(store, quotations, &index)?.proposals)
}

/// [`discover`] with the archive's index made already, and with the
/// documents refused and why.
pub fn discover_with<S: Read + ?Sized>(
    store: &S,
    quotations: &[Entity],
    index: &ArchiveIndex,
) -> Result<Discovery, EvidenceError> {
    let mut by_sha: HashMap<String, Vec<ArchivedCopy>> = HashMap::new();
    for c in store.copies(None)? {
        by_sha.entry(c.sha256.clone()).or_default().push(c);
    }
    // The rules know every quotation the sources report, not only these.
    let everything = store.entities(&["Quotation"])?;
    let mut rules = Origins::new(store, &everything, index)?;
    // Candidates per copy, so each text is prepared once.
    let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, q) in quotations.iter().enumerate() {
        for sha in index.candidates(&quote_text(q)) {
            wanted.entry(sha.to_string()).or_default().push(i);
        }
    }
    let mut found: Vec<Vec<Proposal>> = vec![Vec::new(); quotations.len()];
    let mut refused = Vec::new();
    let mut shas: Vec<&String> = wanted.keys().collect();
    shas.sort();
    for sha in shas {
        let Some(raw) = store.copy_text(sha)? else {
            continue;
        };
        let text = Prepared::new(&raw);
        for &i in &wanted[sha] {
            let q = &quotations[i];
            let quote = quote_text(q);
            let Some(f) = locate(&quote, None, &text) else {
                continue;
            };
            if !matches!(f.method, Method::Exact | Method::Normalized) {
                continue;
            }
            for copy in by_sha.get(sha).into_iter().flatten() {
                if found[i].iter().any(|p| p.document == copy.document)
                    || refused
                        .iter()
                        .any(|r: &Refused| r.quotation == q.id && r.document == copy.document)
                {
                    continue;
                }
                if let Some(refusal) = rules.judge(store, &q.id, &copy.document, sha, &raw)? {
                    refused.push(Refused {
                        quotation: q.id.clone(),
                        document: copy.document.clone(),
                        copy: copy.clone(),
                        refusal,
                    });
                    continue;
                }
                found[i].push(Proposal {
                    quotation: q.id.clone(),
                    quote: quote.clone(),
                    document: copy.document.clone(),
                    copy: copy.clone(),
                    method: f.method,
                    start: f.start,
                    end: f.end,
                    holders: 0,
                    reason: rules
                        .speakers_site(store, &q.id, &copy.document)?
                        .map(|h| format!("on the speaker's own site ({h})"))
                        .unwrap_or_default(),
                });
            }
        }
    }
    let mut proposals = Vec::new();
    for mut list in found {
        let n = list.len();
        list.sort_by(|a, b| {
            a.copy
                .retrieved
                .cmp(&b.copy.retrieved)
                .then(a.document.cmp(&b.document))
        });
        for p in &mut list {
            p.holders = n;
            let held = match n {
                1 => "the only archived document holding it".to_string(),
                n => format!("one of {n} archived documents holding it"),
            };
            p.reason = match p.reason.is_empty() {
                true => format!("{held}, by {} search", p.method.as_str()),
                false => format!("{held}, by {} search, {}", p.method.as_str(), p.reason),
            };
        }
        proposals.extend(list);
    }
    Ok(Discovery { proposals, refused })
}

/// An anchor to record: the quotation at `[start, end)` of an archived copy.
#[derive(Clone, Copy)]
pub struct NewAnchor<'a> {
    pub quotation: &'a str,
    pub copy: &'a ArchivedCopy,
    pub text: &'a Prepared,
    pub start: usize,
    pub end: usize,
    pub method: Method,
    /// How it was found: becomes the statements' origin.
    pub how: &'a str,
}

/// Records an anchor: the quotation at `[start, end)` of an archived copy of
/// its origin. `how` says how it was found; it becomes the statements'
/// origin. Re-anchoring the same quotation in the same document replaces
/// the selectors.
pub fn record_anchor<S: Store + ?Sized>(
    store: &mut S,
    new: &NewAnchor<'_>,
    prov: &Provenance,
) -> Result<String, EvidenceError> {
    let (id, batch, prov) = anchor_batch(new, prov)?;
    store.amend(&[batch], &prov)?;
    Ok(id)
}

/// What [`record_anchor`] writes: the anchor's id, its batch (amended into
/// the store) and the provenance to amend it with. For a caller that
/// writes through a scoped writer.
pub fn anchor_batch(
    new: &NewAnchor<'_>,
    prov: &Provenance,
) -> Result<(String, Batch, Provenance), EvidenceError> {
    let NewAnchor {
        quotation,
        copy,
        text,
        start,
        end,
        method,
        how,
    } = *new;
    let sel = Selector::at(text, start, end);
    let id = stable_id("anc", &[quotation, &copy.document]);
    let model = |e: dossier_model::ModelError| EvidenceError::Model {
        what: format!("anchor of {quotation}"),
        message: e.to_string(),
    };
    let mut a = Entity::new(id.clone(), "Anchor").map_err(model)?;
    a.add("quotation", Value::from(quotation)).map_err(model)?;
    a.add("document", Value::from(copy.document.as_str()))
        .map_err(model)?;
    a.add("exact", Value::from(sel.exact.clone()))
        .map_err(model)?;
    if !sel.prefix.is_empty() {
        a.add("prefix", Value::from(sel.prefix.clone()))
            .map_err(model)?;
    }
    if !sel.suffix.is_empty() {
        a.add("suffix", Value::from(sel.suffix.clone()))
            .map_err(model)?;
    }
    a.add("start", Value::from(sel.start.to_string()))
        .map_err(model)?;
    a.add("end", Value::from(sel.end.to_string()))
        .map_err(model)?;
    a.add("archivedCopy", Value::from(copy.sha256.as_str()))
        .map_err(model)?;
    a.add("method", Value::from(method.as_str()))
        .map_err(model)?;
    let mut batch = Batch::new(copy.document.clone(), String::new());
    batch.put(a).map_err(model)?;
    let prov = Provenance {
        dataset: crate::intake::DATASET.to_string(),
        origin: Some(how.to_string()),
        ..prov.clone()
    };
    Ok((id, batch, prov))
}

/// Anchors a quotation in a document by hand: finds it in the newest copy.
/// An approximate find (the copy says something else) is refused unless
/// `allow_altered`, so that an anchor never claims more than the copy holds.
pub fn anchor_by_hand<S: Store + ?Sized>(
    store: &mut S,
    quotation: &str,
    document: &str,
    allow_altered: bool,
    prov: &Provenance,
) -> Result<(String, Found), EvidenceError> {
    let (id, batch, prov, found) = hand_anchor(&*store, quotation, document, allow_altered, prov)?;
    store.amend(&[batch], &prov)?;
    Ok((id, found))
}

/// What [`anchor_by_hand`] writes, read from `store` and not yet written:
/// the anchor's id, its batch, its provenance, and where it was found.
pub fn hand_anchor<S: Read + ?Sized>(
    store: &S,
    quotation: &str,
    document: &str,
    allow_altered: bool,
    prov: &Provenance,
) -> Result<(String, Batch, Provenance, Found), EvidenceError> {
    let q = store
        .entity(quotation)?
        .filter(|e| e.schema.name == "Quotation")
        .ok_or_else(|| EvidenceError::NotFound(format!("no quotation {quotation}")))?;
    let (copy, text) = {
        let mut checker = Checker::new(store);
        let copy = checker.newest_copy(document)?.ok_or_else(|| {
            EvidenceError::NotFound(format!(
                "document {document} has no archived copy: archive it first"
            ))
        })?;
        let text = checker.text(&copy.sha256)?.ok_or_else(|| {
            EvidenceError::NotFound(format!("archived copy {} is missing", copy.sha256))
        })?;
        (copy, text)
    };
    let quote = quote_text(&q);
    let found = locate(&quote, None, &text).ok_or_else(|| {
        EvidenceError::NotFound(format!(
            "the archived copy of {document} ({}) does not hold the quotation, even approximately",
            copy.retrieved
        ))
    })?;
    if found.mark == Mark::Altered && !allow_altered {
        return Err(EvidenceError::NotFound(format!(
            "the archived copy holds only an altered form: {} (use --altered to anchor it anyway)",
            crate::locate::diff_line(&found.diff)
        )));
    }
    let how = format!(
        "anchored by hand: found by {} search",
        found.method.as_str()
    );
    let new = NewAnchor {
        quotation,
        copy: &copy,
        text: &text,
        start: found.start,
        end: found.end,
        method: found.method,
        how: &how,
    };
    let (id, batch, prov) = anchor_batch(&new, prov)?;
    Ok((id, batch, prov, found))
}
