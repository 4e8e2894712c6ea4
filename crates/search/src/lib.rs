//! Full-text search over the store with tantivy.
//!
//! The index is derived data: one document per organization, person,
//! source document and claim (its quotations folded in), rebuilt from the
//! store by [`SearchIndex::rebuild`], and stamped with the store's [`Mark`]
//! so a stale index is noticed and kept current by [`SearchIndex::follow`]
//! (only what changed since the mark is indexed again).
//!
//! Useful for: names, aliases and acronyms (both ways: `PCFF` finds the
//! Parents Circle, a spelled-out name finds a body known only by its
//! acronym), claim text and quotations, typos, facets (kind, country, topic,
//! year), highlighted snippets. Not useful for: provenance or history (ask
//! the store), or anything that must be exact (ids).

mod facets;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use dossier_model::names::{acronym_key, initials, looks_like_acronym};
use dossier_model::{Entity, Schema};
use dossier_store::{Changes, Mark, Read};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema as IndexSchema, TextFieldIndexing,
    TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::facets::{FacetCache, FacetCounter};

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy could not open, read or write the index.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index folder could not be made.
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    /// The store could not be read while indexing.
    #[error(transparent)]
    Store(#[from] dossier_store::StoreError),
    /// A search parameter is out of range (the message says which).
    #[error("{0}")]
    BadQuery(String),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// What a claim's document takes from an entity it is about or mentions:
/// its names and abbreviations, and (for its subjects) its countries.
#[derive(Debug, Clone)]
struct About {
    names: Vec<String>,
    countries: Vec<String>,
}

impl About {
    fn of(e: &Entity) -> About {
        About {
            names: e
                .values("name")
                .chain(e.values("abbreviation"))
                .map(str::to_string)
                .collect(),
            countries: e.values("country").map(str::to_string).collect(),
        }
    }
}

/// How many changed entities [`SearchIndex::follow`] indexes one by one;
/// beyond that, making the whole index again is as quick.
pub const FOLLOW_LIMIT: usize = 20_000;

/// What [`SearchIndex::follow`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Followed {
    /// Nothing had changed.
    Current,
    /// This many entities were indexed again.
    Updated(usize),
    /// The whole index was made again, with this many documents.
    Rebuilt(usize),
}

/// How much of an archived copy's text a source's document holds: enough
/// for an annual report, bounded for a book.
pub const ARCHIVED_TEXT: usize = 4 << 20;

/// The newest archived copy (by retrieval, then archiving) of each source
/// document: document id to the copy's SHA-256.
fn newest_copies(copies: Vec<dossier_store::ArchivedCopy>) -> HashMap<String, String> {
    let mut newest: HashMap<String, dossier_store::ArchivedCopy> = HashMap::new();
    for c in copies {
        let newer = newest
            .get(&c.document)
            .is_none_or(|n| (&c.retrieved, &c.archived_at) > (&n.retrieved, &n.archived_at));
        if newer {
            newest.insert(c.document.clone(), c);
        }
    }
    newest.into_iter().map(|(d, c)| (d, c.sha256)).collect()
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A search: words plus facet filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// The words; empty lists everything that passes the filters.
    pub text: String,
    /// `organization`, `public body`, `person`, `claim` or `source`.
    pub kind: Option<String>,
    /// ISO code, lower case.
    pub country: Option<String>,
    pub topic: Option<String>,
    pub year: Option<u16>,
    /// Names starting with this letter (`A`–`Z`, or `#` for any other).
    pub letter: Option<char>,
    pub limit: usize,
    pub offset: usize,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// A fragment of the matching text, HTML-escaped, matches in `<mark>`.
    pub snippet: String,
    pub score: f32,
}

/// Counts of the matches by facet value, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub kind: Vec<(String, u64)>,
    pub country: Vec<(String, u64)>,
    pub topic: Vec<(String, u64)>,
    pub year: Vec<(String, u64)>,
    pub letter: Vec<(String, u64)>,
}

/// What a search found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    kind: Field,
    title: Field,
    names: Field,
    acronyms: Field,
    text: Field,
    about: Field,
    facets: Field,
    /// The title folded for sorting (lower case, ASCII): browsing A–Z.
    sort: Field,
}

/// The tantivy index and how to search it.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// Made on the first write: readers (`dossier search`) need none, and
    /// tantivy allows one writer per index at a time.
    writer: Mutex<Option<IndexWriter>>,
    f: Fields,
    facet_cache: FacetCache,
    /// Read every new segment's facet arrays when the index is reloaded
    /// ([`SearchIndex::read_facets_ahead`]).
    facets_ahead: std::sync::atomic::AtomicBool,
}

const FACETS: &str = "facets";

/// The field a list without words is ordered by.
const SORT: &str = "sort";

/// A title as it sorts: ASCII, lower case, from its first letter or
/// digit (`“Alliance …”` sorts under a).
fn sort_key(title: &str) -> String {
    let plain = deunicode::deunicode(title).to_lowercase();
    plain
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

/// The letter a title is listed under: `A`–`Z`, else `#`.
pub fn letter_of(title: &str) -> char {
    match sort_key(title).chars().next() {
        Some(c) if c.is_ascii_lowercase() => c.to_ascii_uppercase(),
        _ => '#',
    }
}

const NAMES: &str = "dossier_names";
const PROSE: &str = "dossier_prose";

fn schema() -> (IndexSchema, Fields) {
    let mut b = IndexSchema::builder();
    let text = |tokenizer: &str, stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let f = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        title: b.add_text_field("title", text(NAMES, true)),
        names: b.add_text_field("names", text(NAMES, false)),
        acronyms: b.add_text_field("acronyms", STRING),
        text: b.add_text_field("text", text(PROSE, true)),
        about: b.add_text_field("about", text(NAMES, false)),
        facets: b.add_facet_field(FACETS, FacetOptions::default()),
        sort: b.add_text_field(SORT, STRING | FAST),
    };
    (b.build(), f)
}

fn register(index: &Index) {
    let names = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let prose = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::default())
        .build();
    index.tokenizers().register(NAMES, names);
    index.tokenizers().register(PROSE, prose);
}

/// The layout of the index's documents, stamped before its mark: an index
/// of another layout is made again rather than read wrong. 2: the exact
/// names in `acronyms`.
const LAYOUT: &str = "layout 2 ";

/// The key under which an entity's whole name is found as typed, whatever
/// the case, accents and spacing (`=alliance for middle east peace`): the
/// `=` keeps it apart from the acronym keys in the same field.
fn exact_key(name: &str) -> String {
    let plain = deunicode::deunicode(name).to_lowercase();
    let words: Vec<&str> = plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("={}", words.join(" "))
}

/// The kinds an entity is shown and filtered as.
pub const KINDS: [&str; 7] = [
    "organization",
    "public body",
    "company",
    "person",
    "claim",
    "source",
    "other",
];

/// The kind shown for an entity's schema; `None` for what is not searched
/// on its own (quotations are searched in their claims, links in their ends).
pub fn kind_of(schema: &'static Schema) -> Option<&'static str> {
    Some(match schema.name {
        "PublicBody" => "public body",
        "Company" => "company",
        "Person" => "person",
        "Claim" => "claim",
        _ if schema.is_a("Document") => "source",
        _ if schema.is_a("LegalEntity") => "organization",
        // Any other thing of FtM's model: an address, a vessel, a note.
        _ if schema.ftm && schema.is_a("Thing") => "other",
        _ => return None,
    })
}

impl SearchIndex {
    fn with_index(index: Index, f: Fields) -> Result<Self> {
        register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(None),
            f,
            facet_cache: FacetCache::default(),
            facets_ahead: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Opens the index in `dir`, creating it (empty) when missing.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let (schema, f) = schema();
        let index = match Index::open_in_dir(dir) {
            Ok(i) => i,
            Err(tantivy::TantivyError::OpenDirectoryError(_))
            | Err(tantivy::TantivyError::OpenReadError(_)) => Index::create_in_dir(dir, schema)?,
            Err(e) => return Err(e.into()),
        };
        if index.schema().get_field("acronyms").is_err() {
            return Err(SearchError::BadQuery(format!(
                "the index in {} is not Dossier's; remove it and run dossier reindex",
                dir.display()
            )));
        }
        // An index of an older Dossier, without the fields this one
        // searches, is made anew: it is derived data, and an index with
        // no mark is filled from the store on the next follow.
        if index.schema().get_field(SORT).is_err() {
            drop(index);
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    std::fs::remove_dir_all(&path)?;
                } else {
                    std::fs::remove_file(&path)?;
                }
            }
            let (schema, f) = self::schema();
            return Self::with_index(Index::create_in_dir(dir, schema)?, f);
        }
        Self::with_index(index, f)
    }

    /// An index in memory.
    pub fn in_memory() -> Result<Self> {
        let (schema, f) = schema();
        Self::with_index(Index::create_in_ram(schema), f)
    }

    /// Where in the store's log the index was made up to, if it says (an
    /// index stamped by an older Dossier does not).
    pub fn indexed_mark(&self) -> Option<Mark> {
        let metas = self.index.load_metas().ok()?;
        // An index stamped by another layout of its documents (an older
        // Dossier's) has no mark: it is made again.
        metas
            .payload
            .and_then(|p| p.strip_prefix(LAYOUT).and_then(|m| m.parse().ok()))
    }

    /// The store version the index was built from, if it says.
    pub fn indexed_version(&self) -> Option<i64> {
        self.indexed_mark().map(|m| m.version)
    }

    /// True when the index reflects the store as it is now.
    pub fn is_current(&self, store: &dyn Read) -> Result<bool> {
        Ok(self.indexed_mark() == Some(store.mark()?))
    }

    /// Brings the index up to the store: the entities changed since the
    /// index's mark are indexed again (with the claims about them, whose
    /// documents hold their subjects' names); the whole index is made again
    /// when the store cannot list the changes (more than [`FOLLOW_LIMIT`],
    /// a change to what every read sees, an index without a mark).
    pub fn follow(&self, store: &dyn Read) -> Result<Followed> {
        let Some(mark) = self.indexed_mark() else {
            return Ok(Followed::Rebuilt(self.rebuild(store)?));
        };
        // The mark is read first: whatever lands while the changes are read
        // is read again next time.
        let now = store.mark()?;
        if now == mark {
            return Ok(Followed::Current);
        }
        match store.changed_since(&mark, FOLLOW_LIMIT)? {
            Changes::Everything => Ok(Followed::Rebuilt(self.rebuild(store)?)),
            Changes::Entities {
                changed: mut ids, ..
            } => {
                ids.extend(store.pointing_at(&ids, &["Claim"])?);
                ids.sort_unstable();
                ids.dedup();
                self.reindex(store, &ids, &now)?;
                Ok(Followed::Updated(ids.len()))
            }
        }
    }

    /// Runs `f` with the index writer, making it on first use.
    fn write<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        // A panic while holding the writer leaves it usable: the next commit
        // or rollback settles what it held.
        let mut guard = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.is_none() {
            *guard = Some(self.index.writer(50_000_000)?);
        }
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(SearchError::BadQuery("no index writer".into())),
        }
    }

    /// Re-reads the index from disk (after another process wrote it).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        self.follow_segments()
    }

    /// Drops the facet arrays of segments the index no longer has, and
    /// reads the new ones' when asked to read ahead.
    fn follow_segments(&self) -> Result<()> {
        let searcher = self.reader.searcher();
        let live: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        self.facet_cache.keep_only(&live);
        if self.facets_ahead.load(std::sync::atomic::Ordering::Relaxed) {
            self.facet_cache
                .read_new(searcher.segment_readers(), FACETS)?;
        }
        Ok(())
    }

    /// Reads every segment's facet arrays now, and each new segment's when
    /// the index is reloaded (after a commit, or a merge), instead of in
    /// the first search that meets it: for a server, where that search is
    /// somebody's request (at 100,000 organizations a merged segment of
    /// some 450,000 documents). One-off commands leave it off: an import
    /// searches nothing.
    pub fn read_facets_ahead(&self) -> Result<()> {
        self.facets_ahead
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.follow_segments()
    }

    fn commit(&self, writer: &mut IndexWriter, mark: &Mark) -> Result<()> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&format!("{LAYOUT}{mark}"));
        prepared.commit()?;
        self.reload()
    }

    /// Rebuilds the whole index from the store. Returns the documents
    /// indexed. The store is read one entity at a time (three passes: the
    /// quotations, what claims are about, then every document), so a large
    /// store is indexed in little memory.
    pub fn rebuild(&self, store: &dyn Read) -> Result<usize> {
        let mark = store.mark()?;
        // Quotations by claim, to fold into the claim's text.
        let mut quotes: HashMap<String, Vec<String>> = HashMap::new();
        let mut wanted: std::collections::HashSet<String> = Default::default();
        store.each_entity(&["Quotation", "Claim"], &mut |e| {
            if e.schema.name == "Quotation" {
                if let (Some(c), Some(t)) = (e.first("claim"), e.first("text")) {
                    quotes.entry(c.to_string()).or_default().push(t.to_string());
                }
            } else {
                wanted.extend(
                    e.values("subject")
                        .chain(e.values("mentions"))
                        .map(str::to_string),
                );
            }
            Ok(())
        })?;
        // What claims take from the entities they are about.
        let mut about: HashMap<String, About> = HashMap::new();
        store.each_entity(&["LegalEntity"], &mut |e| {
            if wanted.contains(&e.id) {
                about.insert(e.id.clone(), About::of(&e));
            }
            Ok(())
        })?;
        drop(wanted);
        // The newest archived copy of each source, whose text its document
        // holds (read as the index is written: one copy's text at a time).
        let newest = newest_copies(store.copies(None)?);
        self.write(|writer| {
            writer.delete_all_documents()?;
            let mut n = 0;
            let lookup = |id: &str| about.get(id).cloned();
            store.each_entity(&["Thing", "Claim"], &mut |e| {
                let q: Vec<&str> = quotes
                    .get(&e.id)
                    .map(|q| q.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                let archived = match newest.get(&e.id) {
                    Some(sha) => store.copy_text(sha)?,
                    None => None,
                };
                if let Some(doc) = self.document(&e, &lookup, &q, archived.as_deref()) {
                    writer
                        .add_document(doc)
                        .map_err(|e| dossier_store::StoreError::Io(e.to_string()))?;
                    n += 1;
                }
                Ok(())
            })?;
            self.commit(writer, &mark)?;
            Ok(n)
        })
    }

    /// Indexes the given entities again as the store has them now (an id
    /// the store no longer has leaves the index), stamped with `mark`.
    fn reindex(&self, store: &dyn Read, ids: &[String], mark: &Mark) -> Result<()> {
        self.write(|writer| {
            for id in ids {
                writer.delete_term(Term::from_field_text(self.f.id, id));
                let Some(e) = store.entity(id)? else { continue };
                let lookup = |id: &str| store.entity(id).ok().flatten().map(|e| About::of(&e));
                let quotes: Vec<Entity> = if e.schema.name == "Claim" {
                    store
                        .referencing(id)?
                        .into_iter()
                        .filter(|r| r.schema.name == "Quotation")
                        .collect()
                } else {
                    Vec::new()
                };
                let q: Vec<&str> = quotes.iter().filter_map(|q| q.first("text")).collect();
                let archived = if e.schema.is_a("Document") {
                    match newest_copies(store.copies(Some(id))?).get(id) {
                        Some(sha) => store.copy_text(sha)?,
                        None => None,
                    }
                } else {
                    None
                };
                if let Some(doc) = self.document(&e, &lookup, &q, archived.as_deref()) {
                    writer.add_document(doc)?;
                }
            }
            self.commit(writer, mark)
        })
    }

    fn document(
        &self,
        e: &Entity,
        lookup: &dyn Fn(&str) -> Option<About>,
        quotes: &[&str],
        archived: Option<&str>,
    ) -> Option<TantivyDocument> {
        let f = self.f;
        let kind = kind_of(e.schema)?;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &e.id);
        doc.add_text(f.kind, kind);
        doc.add_facet(f.facets, Facet::from_path(["kind", kind]));
        let title = match e.schema.name {
            "Claim" => e.first("text").unwrap_or(""),
            _ => e.caption(),
        };
        doc.add_text(f.sort, sort_key(title));
        doc.add_facet(
            f.facets,
            Facet::from_path(["letter", letter_of(title).to_string().as_str()]),
        );
        let mut acronyms: Vec<String> = Vec::new();
        let mut countries: Vec<String> = e.values("country").map(str::to_string).collect();
        let year: Option<String> = match kind {
            "claim" => {
                let text = e.first("text").unwrap_or("");
                let title: String = text.chars().take(160).collect();
                doc.add_text(f.title, &title);
                doc.add_text(f.text, text);
                for q in quotes {
                    doc.add_text(f.text, q);
                }
                for s in e.values("subject").chain(e.values("mentions")) {
                    if let Some(subject) = lookup(s) {
                        for n in &subject.names {
                            doc.add_text(f.about, n);
                        }
                        if e.values("subject").any(|x| x == s) {
                            countries.extend(subject.countries);
                        }
                    }
                }
                for t in e.values("topic") {
                    doc.add_facet(f.facets, Facet::from_path(["topic", t]));
                }
                e.first("eventDate")
                    .map(|d| d[..4.min(d.len())].to_string())
            }
            "source" => {
                doc.add_text(f.title, e.caption());
                for p in [
                    "title",
                    "fileName",
                    "sourceUrl",
                    "publisher",
                    "author",
                    "summary",
                ] {
                    for v in e.values(p) {
                        doc.add_text(f.text, v);
                    }
                }
                // The words of its archived copy (a PDF's pages, a page's
                // visible text): a source is found by what it says.
                if let Some(text) = archived {
                    doc.add_text(f.text, cut(text, ARCHIVED_TEXT));
                }
                e.first("publishedAt")
                    .or(e.first("retrievedAt"))
                    .map(|d| d[..4.min(d.len())].to_string())
            }
            _ => {
                doc.add_text(f.title, e.caption());
                for p in ["name", "alias", "abbreviation", "previousName", "weakAlias"] {
                    for v in e.values(p) {
                        doc.add_text(f.names, v);
                        if p != "weakAlias" {
                            acronyms.push(exact_key(v));
                        }
                        if looks_like_acronym(v) || p == "abbreviation" {
                            acronyms.push(acronym_key(v));
                        } else if v.split_whitespace().count() >= 2 {
                            acronyms.push(initials(v));
                        }
                    }
                }
                for p in ["summary", "description", "position", "notes"] {
                    for v in e.values(p) {
                        doc.add_text(f.text, v);
                    }
                }
                // What names a thing without a name (an address's `full`).
                for p in e.schema.caption {
                    if !["name", "alias", "abbreviation", "previousName", "weakAlias"].contains(p) {
                        for v in e.values(p) {
                            doc.add_text(f.text, v);
                        }
                    }
                }
                e.first("incorporationDate")
                    .map(|d| d[..4.min(d.len())].to_string())
            }
        };
        acronyms.sort();
        acronyms.dedup();
        for a in acronyms.iter().filter(|a| a.len() >= 2) {
            doc.add_text(f.acronyms, a);
        }
        countries.sort();
        countries.dedup();
        for c in countries {
            doc.add_facet(f.facets, Facet::from_path(["country", c.as_str()]));
        }
        if let Some(y) = year {
            doc.add_facet(f.facets, Facet::from_path(["year", y.as_str()]));
        }
        Some(doc)
    }

    /// The terms of `text` as the analyzer of `field` makes them.
    fn terms(&self, field: Field, text: &str) -> Vec<String> {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(field) else {
            return Vec::new();
        };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    fn text_query(&self, text: &str) -> Option<Box<dyn Query>> {
        /// A word in this many documents is taken as spelled right.
        const COMMON_TERM: u64 = 100;
        let f = self.f;
        let searcher = self.reader.searcher();
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &words {
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let fields = [
                (f.names, 4.0),
                (f.title, 2.0),
                (f.about, 1.5),
                (f.text, 1.0),
            ];
            let terms: Vec<(Field, f32, Term, usize)> = fields
                .iter()
                .flat_map(|&(field, boost)| {
                    self.terms(field, word).into_iter().map(move |term| {
                        let n = term.chars().count();
                        (field, boost, Term::from_field_text(field, &term), n)
                    })
                })
                .collect();
            // Typos: one edit from four letters on, two from eight — unless
            // the word as typed is common in the index (in any field): then
            // it is spelled right, and expanding it would only make a query
            // that matches much of the index slower (walking each field's
            // dictionary for near words is most of a search's time).
            let found: u64 = terms
                .iter()
                .map(|(_, _, t, _)| searcher.doc_freq(t).unwrap_or(0))
                .sum();
            let common = found >= COMMON_TERM;
            // A word with a digit in it is a number or a code (`PMCB525159`,
            // a registry number, a year): one character changed is another
            // body's code, not a typo, and walking the dictionaries for
            // its neighbours made these the slowest searches there were.
            let code = word.chars().any(|c| c.is_numeric());
            for (_, boost, t, n) in terms {
                alternatives.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs)),
                        boost * 2.0,
                    )),
                ));
                let distance = match n {
                    _ if common || code => 0,
                    8.. => 2,
                    4.. => 1,
                    _ => 0,
                };
                if distance > 0 {
                    alternatives.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new(t, distance, true)),
                            boost,
                        )),
                    ));
                }
            }
            if alternatives.is_empty() {
                continue;
            }
            // Short words (`of`, `fr`) help rank but are not required, when
            // longer ones carry the query.
            let short = word.chars().count() <= 3 && words.iter().any(|w| w.chars().count() > 3);
            let occur = if short { Occur::Should } else { Occur::Must };
            must.push((occur, Box::new(BooleanQuery::new(alternatives))));
        }
        let words_query: Option<Box<dyn Query>> =
            (!must.is_empty()).then(|| Box::new(BooleanQuery::new(must)) as Box<dyn Query>);
        // Acronyms both ways: `PHR-I` as typed, and the initials of a spelled-out name.
        // A word typed in any case is an acronym's key too (`allmep` finds
        // ALLMEP first): the field holds only the keys of names, so a
        // plain word meets one only where a name is that acronym.
        let mut acr: Vec<(String, f32)> = Vec::new();
        let trimmed = text.trim();
        if looks_like_acronym(trimmed)
            || (words.len() == 1 && (2..=12).contains(&trimmed.chars().count()))
        {
            acr.push((acronym_key(trimmed), 20.0));
        }
        if words.len() >= 2 {
            acr.push((initials(trimmed), 20.0));
        }
        // A whole name as typed, whatever the case, before any other hit.
        acr.push((exact_key(trimmed), 40.0));
        let mut any: Vec<(Occur, Box<dyn Query>)> = acr
            .into_iter()
            .filter(|(a, _)| a.len() >= 2 && a != "=")
            .map(|(a, boost)| {
                let q: Box<dyn Query> = Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.acronyms, &a),
                        IndexRecordOption::Basic,
                    )),
                    boost,
                ));
                (Occur::Should, q)
            })
            .collect();
        if let Some(w) = words_query {
            any.push((Occur::Should, w));
        }
        (!any.is_empty()).then(|| Box::new(BooleanQuery::new(any)) as Box<dyn Query>)
    }

    /// A name the words may have meant, when they found little: the
    /// title of the entity whose names come within one or two spelling
    /// edits (by length) of the most words of three letters or more.
    pub fn did_you_mean(&self, text: &str) -> Result<Option<String>> {
        let f = self.f;
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in text.split_whitespace().take(8) {
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for term in self.terms(f.names, word) {
                let n = term.chars().count();
                if n < 3 {
                    continue;
                }
                let distance = if n >= 6 { 2 } else { 1 };
                any.push((
                    Occur::Should,
                    Box::new(FuzzyTermQuery::new(
                        Term::from_field_text(f.names, &term),
                        distance,
                        true,
                    )),
                ));
            }
            // Each word may miss (one of them may be no name at all);
            // the name that meets the most words comes first.
            if !any.is_empty() {
                must.push((Occur::Should, Box::new(BooleanQuery::new(any))));
            }
        }
        if must.is_empty() {
            return Ok(None);
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(&BooleanQuery::new(must), &TopDocs::with_limit(1))?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*addr)?;
        Ok(doc
            .get_first(f.title)
            .and_then(|v| v.as_str())
            .map(str::to_string))
    }

    /// Runs a search.
    pub fn search(&self, q: &SearchQuery) -> Result<Results> {
        if q.limit > 1000 || q.offset > 100_000 {
            return Err(SearchError::BadQuery(
                "limit is at most 1000 and offset at most 100000".into(),
            ));
        }
        if q.text.chars().count() > 500 {
            return Err(SearchError::BadQuery(
                "a search is at most 500 characters".into(),
            ));
        }
        let f = self.f;
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let text_query = self.text_query(&q.text);
        match &text_query {
            Some(tq) => clauses.push((Occur::Must, tq.box_clone())),
            None if q.text.trim().is_empty() => clauses.push((Occur::Must, Box::new(AllQuery))),
            // Words that leave no terms (punctuation only) match nothing.
            None => return Ok(Results::default()),
        }
        let year = q.year.map(|y| y.to_string());
        let letter = q.letter.map(|c| c.to_string());
        for (name, value) in [
            ("kind", q.kind.as_deref()),
            ("country", q.country.as_deref()),
            ("topic", q.topic.as_deref()),
            ("year", year.as_deref()),
            ("letter", letter.as_deref()),
        ] {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                let term = Term::from_facet(f.facets, &Facet::from_path([name, v]));
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
        }
        let query = BooleanQuery::new(clauses);
        let limit = q.limit.max(1);
        let counter = FacetCounter {
            cache: &self.facet_cache,
            field: FACETS,
        };
        // With words, the best first; without, A to Z.
        let (top, total, facet_counts) = if text_query.is_some() {
            searcher.search(
                &query,
                &(
                    TopDocs::with_limit(limit).and_offset(q.offset),
                    Count,
                    counter,
                ),
            )?
        } else {
            let (named, total, counts) = searcher.search(
                &query,
                &(
                    TopDocs::with_limit(limit)
                        .and_offset(q.offset)
                        .order_by_string_fast_field(SORT, tantivy::Order::Asc),
                    Count,
                    counter,
                ),
            )?;
            let top: Vec<(f32, tantivy::DocAddress)> =
                named.into_iter().map(|(_, addr)| (0.0, addr)).collect();
            (top, total, counts)
        };
        let snippets = match &text_query {
            Some(tq) => Some(SnippetGenerator::create(&searcher, &**tq, f.text)?),
            None => None,
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let snippet = match &snippets {
                Some(g) => {
                    let s = g.snippet_from_doc(&doc);
                    let mut s = s;
                    s.set_snippet_prefix_postfix("<mark>", "</mark>");
                    s.to_html()
                }
                None => String::new(),
            };
            hits.push(Hit {
                id: get(f.id),
                kind: get(f.kind),
                title: get(f.title),
                snippet,
                score,
            });
        }
        let counts = |name: &str| -> Vec<(String, u64)> {
            let mut v: Vec<(String, u64)> = facet_counts
                .iter()
                .filter(|((dimension, _), _)| dimension == name)
                .map(|((_, value), n)| (value.clone(), *n))
                .collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        };
        Ok(Results {
            total,
            hits,
            facets: Facets {
                kind: counts("kind"),
                country: counts("country"),
                topic: counts("topic"),
                year: counts("year"),
                letter: counts("letter"),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_model::{Batch, Provenance};
    use dossier_store::prelude::*;
    use dossier_store::SqliteStore;

    fn demo() -> (SqliteStore, SearchIndex) {
        let mut store = SqliteStore::in_memory().unwrap();
        let prov = Provenance {
            dataset: "demo".into(),
            source: String::new(),
            user: "t".into(),
            origin: None,
            now: "2026-01-01T00:00:00".into(),
        };
        store
            .apply(&[dossier_demo::batch().unwrap()], &prov)
            .unwrap();
        let index = SearchIndex::in_memory().unwrap();
        index.rebuild(&store).unwrap();
        (store, index)
    }

    /// The ids a search finds, best first.
    fn hit_ids(index: &SearchIndex, q: SearchQuery) -> Vec<String> {
        index
            .search(&q)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    /// Provenance of a write after the demo's.
    fn later() -> Provenance {
        Provenance {
            dataset: "t".into(),
            source: String::new(),
            user: "t".into(),
            origin: None,
            now: "2026-01-02T00:00:00".into(),
        }
    }

    fn first(index: &SearchIndex, text: &str) -> Hit {
        let r = index
            .search(&SearchQuery {
                text: text.into(),
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        r.hits
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("nothing for {text:?}"))
    }

    #[test]
    fn a_name_or_acronym_typed_in_any_case_comes_first() {
        let (_store, index) = demo();
        for typed in [
            "allmep",
            "ALLMEP",
            "Allmep",
            "alliance for middle east peace",
            "ALLIANCE FOR MIDDLE EAST PEACE",
        ] {
            let hit = first(&index, typed);
            assert_eq!(hit.title, "Alliance for Middle East Peace", "{typed}");
            assert_eq!(hit.kind, "organization", "{typed}");
        }
        for typed in ["pcff", "Pcff", "phr-i"] {
            assert_eq!(first(&index, typed).kind, "organization", "{typed}");
        }
    }

    #[test]
    fn without_words_the_list_is_a_to_z_and_by_letter() {
        let (_store, index) = demo();
        let list = |letter: Option<char>| -> Vec<String> {
            index
                .search(&SearchQuery {
                    kind: Some("organization".into()),
                    letter,
                    limit: 100,
                    ..Default::default()
                })
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.title)
                .collect()
        };
        let all = list(None);
        assert!(all.len() >= 10);
        let mut sorted = all.clone();
        sorted.sort_by_key(|t| sort_key(t));
        assert_eq!(all, sorted);
        let p = list(Some('P'));
        assert!(
            !p.is_empty() && p.iter().all(|t| t.starts_with('P')),
            "{p:?}"
        );
        assert!(p.contains(&"Parents Circle Families Forum".to_string()));
    }

    #[test]
    fn an_index_of_an_older_layout_is_made_anew() {
        let dir = tempfile::tempdir().unwrap();
        // An index with the fields of before (no sort field), stamped the old way.
        {
            let mut b = IndexSchema::builder();
            b.add_text_field("id", STRING | STORED);
            b.add_text_field("acronyms", STRING);
            let index = Index::create_in_dir(dir.path(), b.build()).unwrap();
            let mut w: IndexWriter = index.writer(15_000_000).unwrap();
            let mut prepared = w.prepare_commit().unwrap();
            prepared.set_payload("7:3");
            prepared.commit().unwrap();
        }
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(
            index.indexed_mark(),
            None,
            "no mark: the next follow fills it"
        );
        let (store, _) = demo();
        index.follow(&store).unwrap();
        assert!(index.is_current(&store).unwrap());
        assert_eq!(first(&index, "allmep").kind, "organization");
    }

    #[test]
    fn acronyms_both_ways_and_typos() {
        let (store, index) = demo();
        assert!(index.is_current(&store).unwrap());
        assert_eq!(first(&index, "PCFF").title, "Parents Circle Families Forum");
        assert_eq!(
            first(&index, "PHR-I").title,
            "Physicians for Human Rights - Israel"
        );
        assert_eq!(
            first(&index, "physicians for human rights israel").title,
            "Physicians for Human Rights - Israel"
        );
        assert_eq!(
            first(&index, "Parents Circle Families Forum").title,
            "Parents Circle Families Forum"
        );
        assert_eq!(
            first(&index, "Jahallin Solidarity").title,
            "Jahalin Solidarity",
            "one typo"
        );
        assert_eq!(
            first(&index, "Combatants fr Peace").title,
            "Combatants for Peace"
        );
        let hit = first(&index, "fascist regime");
        assert_eq!(hit.kind, "claim");
        assert!(
            hit.snippet.contains("<mark>fascist</mark>"),
            "{}",
            hit.snippet
        );
    }

    /// tantivy's own facet collector over the same query: what
    /// [`facets::FacetCounter`] must agree with.
    fn reference_facets(index: &SearchIndex, text: &str) -> Facets {
        let query: Box<dyn Query> = match index.text_query(text) {
            Some(q) => q,
            None => Box::new(AllQuery),
        };
        let mut collector = tantivy::collector::FacetCollector::for_field(FACETS);
        for name in ["/kind", "/country", "/topic", "/year", "/letter"] {
            collector.add_facet(name);
        }
        let counts = index.reader.searcher().search(&query, &collector).unwrap();
        let of = |name: &str| {
            let mut v: Vec<(String, u64)> = counts
                .get(name)
                .map(|(f, n)| (f.to_path().last().unwrap().to_string(), n))
                .collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        };
        Facets {
            kind: of("/kind"),
            country: of("/country"),
            topic: of("/topic"),
            year: of("/year"),
            letter: of("/letter"),
        }
    }

    /// Another source gives four organizations another country: their
    /// documents are deleted from the first segment and written again in a
    /// second one.
    fn recountry(store: &mut SqliteStore, index: &SearchIndex) {
        let doc = "doc-facets-test";
        let mut b = Batch::new(doc, "h");
        let mut d = Entity::new(doc, "Document").unwrap();
        d.add("title", "Another list").unwrap();
        b.put(d).unwrap();
        let orgs = store.entities(&["Organization"]).unwrap();
        assert!(orgs.len() >= 4);
        for o in orgs.iter().take(4) {
            let mut e = Entity::new(o.id.as_str(), "Organization").unwrap();
            e.add("country", "fr").unwrap();
            b.put(e).unwrap();
        }
        let prov = Provenance {
            dataset: "demo".into(),
            source: String::new(),
            user: "t".into(),
            origin: None,
            now: "2026-01-02T00:00:00".into(),
        };
        store.apply(&[b], &prov).unwrap();
        assert!(matches!(
            index.follow(&*store).unwrap(),
            Followed::Updated(_)
        ));
    }

    #[test]
    fn facet_counts_agree_with_tantivys_collector_across_segments_and_deletes() {
        let (mut store, index) = demo();
        let queries = [
            "",
            "peace",
            "education",
            "israeli",
            "parents circle",
            "2020",
        ];
        let check = |index: &SearchIndex| {
            for text in queries {
                let ours = index
                    .search(&SearchQuery {
                        text: text.into(),
                        limit: 5,
                        ..Default::default()
                    })
                    .unwrap();
                assert_eq!(ours.facets, reference_facets(index, text), "{text:?}");
                assert!(!ours.facets.kind.is_empty(), "{text:?} counted nothing");
            }
        };
        check(&index);
        // Another source gives some organizations another country: their
        // documents are deleted from the first segment and written again in
        // a second one, whose facets are read apart.
        recountry(&mut store, &index);
        assert!(index.reader.searcher().segment_readers().len() >= 2);
        check(&index);
        let all = index.search(&SearchQuery::default()).unwrap();
        assert!(all.facets.country.iter().any(|(c, n)| c == "fr" && *n >= 4));
    }

    #[test]
    fn a_server_reads_facet_arrays_when_the_index_changes() {
        let (mut store, index) = demo();
        let cached = |index: &SearchIndex| index.facet_cache.len();
        assert_eq!(cached(&index), 0, "nothing read before a search");
        index.read_facets_ahead().unwrap();
        let segments = |index: &SearchIndex| index.reader.searcher().segment_readers().len();
        assert_eq!(cached(&index), segments(&index));
        recountry(&mut store, &index);
        assert!(segments(&index) >= 2);
        assert_eq!(cached(&index), segments(&index), "read at the reload");
    }

    #[test]
    fn facets_filter_and_count() {
        let (_store, index) = demo();
        let all = index
            .search(&SearchQuery {
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert!(all.total > 30);
        assert!(all
            .facets
            .kind
            .iter()
            .any(|(k, n)| k == "claim" && *n == 20));
        let claims_2020 = index
            .search(&SearchQuery {
                kind: Some("claim".into()),
                year: Some(2020),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(claims_2020.total, 2);
        let il = index
            .search(&SearchQuery {
                country: Some("il".into()),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert!(il
            .hits
            .iter()
            .any(|h| h.title == "Israeli Ministry of Education"));
        let topic = index
            .search(&SearchQuery {
                text: "apartheid".into(),
                topic: Some("Political Advocacy".into()),
                limit: 50,
                ..Default::default()
            })
            .unwrap();
        assert!(topic.total >= 3);
        assert!(topic.hits.iter().all(|h| h.kind == "claim"));
    }

    #[test]
    fn codes_and_numbers_are_taken_as_typed() {
        let (mut store, index) = demo();
        let mut b = dossier_model::Batch::new("doc-codes", "h");
        let mut d = Entity::new("doc-codes", "Document").unwrap();
        d.add("fileName", "codes.txt").unwrap();
        b.put(d).unwrap();
        for (id, name, code) in [
            ("org-c1", "Quiet Harbour Trust 525159", "QHT525159"),
            ("org-c2", "Quiet Harbour Trust 525158", "QHT525158"),
        ] {
            let mut o = Entity::new(id, "Organization").unwrap();
            o.add("name", name).unwrap();
            o.add("abbreviation", code).unwrap();
            b.put(o).unwrap();
        }
        store.apply(&[b], &later()).unwrap();
        index.follow(&store).unwrap();
        let ids = |text: &str| {
            hit_ids(
                &index,
                SearchQuery {
                    text: text.into(),
                    limit: 10,
                    ..Default::default()
                },
            )
        };
        // One digit changed is another body's code or number, not a typo.
        assert_eq!(ids("qht525159"), ["org-c1"]);
        assert_eq!(ids("525158"), ["org-c2"]);
        assert!(ids("qht525150").is_empty());
        // A word still forgives a typo beside them.
        assert_eq!(ids("Quiet Harbur 525159"), ["org-c1"]);
    }

    #[test]
    fn update_follows_the_store() {
        let (mut store, index) = demo();
        let mut b = dossier_model::Batch::new("doc-x", "h");
        let mut d = Entity::new("doc-x", "Document").unwrap();
        d.add("fileName", "x.txt").unwrap();
        d.add("contentHash", "h").unwrap();
        b.put(d).unwrap();
        let mut o = Entity::new("org-new", "Organization").unwrap();
        o.add("name", "Zebra Crossing Initiative").unwrap();
        b.put(o).unwrap();
        store.apply(&[b], &later()).unwrap();
        assert!(!index.is_current(&store).unwrap());
        assert_eq!(index.follow(&store).unwrap(), Followed::Updated(2));
        assert_eq!(first(&index, "zebra").id, "org-new");
        assert!(index.is_current(&store).unwrap());
        assert_eq!(index.follow(&store).unwrap(), Followed::Current);

        // A claim's document holds its subject's names: renaming the
        // subject reaches the claim, and deleting the claim removes it.
        let claims = store.entities(&["Claim"]).unwrap();
        let c = claims
            .iter()
            .find(|c| c.first("subject").is_some())
            .expect("the demo has claims about someone");
        let (claim, subject) = (c.id.clone(), c.first("subject").unwrap().to_string());
        let hits = |text: &str| {
            hit_ids(
                &index,
                SearchQuery {
                    text: text.into(),
                    kind: Some("claim".into()),
                    limit: 50,
                    ..Default::default()
                },
            )
        };
        assert!(hits("Zebra").is_empty());
        let mut b = dossier_model::Batch::new("doc-y", "h");
        let mut d = Entity::new("doc-y", "Document").unwrap();
        d.add("fileName", "y.txt").unwrap();
        b.put(d).unwrap();
        let e = store.entity(&subject).unwrap().unwrap();
        let mut renamed = Entity::new(&subject, e.schema.name).unwrap();
        renamed.add("name", "Zebra Alliance").unwrap();
        b.put(renamed).unwrap();
        store.apply(&[b], &later()).unwrap();
        assert!(matches!(index.follow(&store).unwrap(), Followed::Updated(n) if n >= 3));
        assert!(
            hits("Zebra").contains(&claim),
            "the claim follows its subject"
        );
        store
            .delete(
                &dossier_store::Scope::everything(),
                &claim,
                "test",
                &later(),
            )
            .unwrap();
        index.follow(&store).unwrap();
        assert!(!hits("Zebra").contains(&claim));
        assert!(index.is_current(&store).unwrap());
    }

    #[test]
    fn bad_parameters_are_refused() {
        let (_s, index) = demo();
        assert!(index
            .search(&SearchQuery {
                limit: 5000,
                ..Default::default()
            })
            .is_err());
        let none = index
            .search(&SearchQuery {
                text: "!!! ???".into(),
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(none.total, 0);
    }
}
