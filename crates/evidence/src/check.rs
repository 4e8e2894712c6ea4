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

/// Every quotation in the store, checked: anchors grouped by origin, so
/// each origin's newest copy is read and prepared once, then let go.
pub fn verify_all<S: Read + ?Sized>(store: &S) -> Result<Vec<Check>, EvidenceError> {
    let quotations: HashMap<String, Entity> = store
        .entities(&["Quotation"])?
        .into_iter()
        .map(|q| (q.id.clone(), q))
        .collect();
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
        let text = match &copy {
            Some(c) => store.copy_text(&c.sha256)?.map(|t| Prepared::new(&t)),
            None => None,
        };
        for a in anchors {
            let Some(q) = a.first("quotation").and_then(|id| quotations.get(id)) else {
                continue;
            };
            anchored.insert(q.id.clone());
            let quote = quote_text(q);
            let selector = selector_of(&a);
            let found = text
                .as_ref()
                .and_then(|t| locate(&quote, selector.as_ref(), t));
            let mark = match (&text, &found) {
                (None, _) => Mark::NoArchive,
                (Some(_), None) => Mark::NotFound,
                (Some(_), Some(f)) => f.mark,
            };
            out.push(Check {
                quotation: q.id.clone(),
                quote,
                anchor: Some(a.id.clone()),
                origin: Some(origin.clone()),
                copy: copy.clone(),
                selector,
                mark,
                found,
            });
        }
    }
    for q in quotations.values() {
        if !anchored.contains(&q.id) {
            out.push(Check {
                quotation: q.id.clone(),
                quote: quote_text(q),
                anchor: None,
                origin: None,
                copy: None,
                selector: None,
                mark: Mark::NoArchive,
                found: None,
            });
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
}

/// The documents a claim is reported in: never a quotation's origin.
fn reporting_sources<S: Read + ?Sized>(
    store: &S,
    q: &Entity,
) -> Result<HashSet<String>, EvidenceError> {
    let mut out = HashSet::new();
    if let Some(claim) = q.first("claim") {
        if let Some(c) = store.entity(claim)? {
            out.extend(c.values("source").map(str::to_string));
        }
    }
    for st in store.history(&q.id)? {
        out.insert(st.source);
    }
    Ok(out)
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

/// Searches the archive for documents holding the given quotations (exactly,
/// or after normalization); the reporting sources of each are left out.
pub fn discover<S: Read + ?Sized>(
    store: &S,
    quotations: &[Entity],
) -> Result<Vec<Proposal>, EvidenceError> {
    let copies = store.copies(None)?;
    let mut index = ArchiveIndex::new();
    let mut by_sha: HashMap<String, Vec<&ArchivedCopy>> = HashMap::new();
    for c in &copies {
        let first = !by_sha.contains_key(&c.sha256);
        by_sha.entry(c.sha256.clone()).or_default().push(c);
        if first {
            if let Some(text) = store.copy_text(&c.sha256)? {
                index.add(&c.sha256, &text);
            }
        }
    }
    // Candidates per copy, so each text is prepared once.
    let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
    let mut excluded: Vec<HashSet<String>> = Vec::with_capacity(quotations.len());
    for (i, q) in quotations.iter().enumerate() {
        excluded.push(reporting_sources(store, q)?);
        for sha in index.candidates(&quote_text(q)) {
            wanted.entry(sha.to_string()).or_default().push(i);
        }
    }
    let mut found: Vec<Vec<Proposal>> = vec![Vec::new(); quotations.len()];
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
                if excluded[i].contains(&copy.document)
                    || found[i].iter().any(|p| p.document == copy.document)
                {
                    continue;
                }
                found[i].push(Proposal {
                    quotation: q.id.clone(),
                    quote: quote.clone(),
                    document: copy.document.clone(),
                    copy: (*copy).clone(),
                    method: f.method,
                    start: f.start,
                    end: f.end,
                    holders: 0,
                });
            }
        }
    }
    let mut out = Vec::new();
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
        }
        out.extend(list);
    }
    Ok(out)
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
    store.amend(&[batch], &prov)?;
    Ok(id)
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
    let q = store
        .entity(quotation)?
        .filter(|e| e.schema.name == "Quotation")
        .ok_or_else(|| EvidenceError::NotFound(format!("no quotation {quotation}")))?;
    let (copy, text) = {
        let mut checker = Checker::new(&*store);
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
    let id = record_anchor(store, &new, prov)?;
    Ok((id, found))
}
