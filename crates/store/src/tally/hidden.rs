//! What a reader with hidden datasets may not see of the kept counts, and
//! how it is kept from one `stats` to the next ([`HiddenPart`]).
//!
//! The hidden datasets' own counts come off whole, read afresh each time.
//! What else the scope hides takes a read in proportion to the hidden
//! part (seconds at a million organizations): the old archive dataset's
//! rows about a hidden document, and the entities with a current row but
//! none the reader sees. Only an entity with a current row in a hidden or
//! the archive dataset, or about a redacted entity, can be unseen; the
//! part asks about each of those, and keeps which it asked about.
//!
//! A part made at one mark of the store's log is moved on to a later one
//! by the log itself (`Follow::changed_since`), never past a change the
//! log does not show:
//!
//! - a merge, a split, a redaction, a change to who may read what (the log
//!   says "everything" then), or more than [`ASKED_AGAIN`] entities to ask
//!   about: the part is made again;
//! - the entities it asked about that changed are asked about again, one
//!   look-up each. Any other entity has current rows only where the reader
//!   sees them, before and after, so it is seen exactly when the kept
//!   counts count it;
//! - when the hidden and archive datasets' kept counts moved (rows are
//!   never deleted, so any row added to or retracted from them moves
//!   these), or the entities read from rows about a redacted entity did,
//!   every changed entity may now be one to ask about: each is asked
//!   about, and the archive's hidden rows are counted again. A row names
//!   its entity among the changes, so nothing else moved.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::Arc;

use super::{about_redacted, BySource};
use crate::{Changes, Mark};

/// What a reader with hidden datasets may not see, in a backend's SQL: the
/// conditions its reads put on a statement row `s`.
pub(crate) struct Hiding<'a> {
    /// The hidden datasets' names.
    pub hidden: &'a [String],
    /// What a quoted list of dataset names is compared with (their keys
    /// on SQLite, `record::statement_scope_sql`'s `set`).
    pub set: fn(&str) -> String,
    /// The dataset's name from a row's column (`s.dataset`).
    pub dataset_name: &'a str,
    /// The redaction's condition, as every read puts it.
    pub redaction: &'a str,
    /// The hidden datasets' condition (`record::statement_scope_sql`).
    pub scoped: &'a str,
}

/// The most entities a change may name for a kept part to be checked
/// against it; past that the part is made again.
const CHANGES_CHECKED: usize = 10_000;

/// The most entities a kept part asks about again after a change (each
/// one look-up of its rows); past that it is made again.
const ASKED_AGAIN: usize = 1_000;

/// What `stats` took off the kept counts for a reader with hidden
/// datasets beyond those datasets' own counts, kept to be used again
/// while the store's log shows that it still holds (see the module's
/// words). Made by [`crate::Read::stats_keeping`]; only its maker reads it.
#[derive(Debug, Clone)]
pub struct HiddenPart {
    /// The hidden datasets it was made for.
    hidden: Vec<String>,
    /// The store's log when it was last made or mended (read before
    /// anything else).
    made: Mark,
    /// The store's log when it was last found to hold.
    mark: Mark,
    /// The kept counts of the hidden datasets and of the archive dataset:
    /// (dataset, source, statements, current), sorted.
    key: Vec<(String, String, i64, i64)>,
    /// With a redaction in force, the entities (and schemata) read from
    /// current rows about a redacted entity, sorted.
    redacted: Vec<(String, String)>,
    /// The archive dataset's rows the scope hides, as the kept counts
    /// count them.
    archive: Vec<(String, String, i64, i64)>,
    /// The entities with a current row and none the reader sees, each
    /// with its schema.
    unseen: Arc<HashMap<String, String>>,
    /// The same counted by schema.
    by_schema: Vec<(String, i64)>,
    /// The entities asked about, hashed: a change to any of them makes the
    /// part again (two ids with one hash only make it again for nothing).
    asked: Arc<HashSet<u64>>,
}

/// The hash [`HiddenPart::asked`] holds an id by: the same in every run.
fn hashed(id: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(id)
}

impl HiddenPart {
    /// The store's log when this part was last made, or mended after a
    /// change to what it asked about: a part found to hold as it is is
    /// moved on, and keeps it.
    pub fn made_at(&self) -> Mark {
        self.made
    }

    /// The rows of the archive dataset taken off.
    pub(super) fn archive(&self) -> &[(String, String, i64, i64)] {
        &self.archive
    }

    /// The entities no row of which the reader sees, by schema.
    pub(super) fn unseen(&self) -> &[(String, i64)] {
        &self.by_schema
    }

    fn count_unseen(&mut self) {
        let mut by_schema: BTreeMap<String, i64> = BTreeMap::new();
        for schema in self.unseen.values() {
            *by_schema.entry(schema.clone()).or_default() += 1;
        }
        self.by_schema = by_schema.into_iter().collect();
    }

    /// This part moved on to `now`, for a reader hiding `hidden` whose
    /// hidden and archive counts are now `key` and whose redacted
    /// entities are now `redacted`, with what must be asked again before
    /// it holds ([`Mending`]); `None` when it is to be made again.
    /// `changes` says what changed since its mark.
    pub(super) fn still(
        &self,
        now: Mark,
        hidden: &[String],
        key: Vec<(String, String, i64, i64)>,
        redacted: Vec<(String, String)>,
        changes: impl FnOnce(&Mark, usize) -> crate::Result<Changes>,
    ) -> crate::Result<Option<Mending>> {
        if self.hidden != hidden {
            return Ok(None);
        }
        // The hidden or archive datasets' rows, or what a redaction
        // hides, moved: each changed entity may have become one to ask
        // about (every row added or retracted names its entity among the
        // changes), and the archive's hidden rows may be others.
        let counts_moved = self.key != key;
        let moved = counts_moved || self.redacted != redacted;
        let mut again = Vec::new();
        if self.mark != now {
            match changes(&self.mark, CHANGES_CHECKED)? {
                Changes::Entities { changed, merged } if merged.is_empty() => {
                    again.extend(
                        changed
                            .into_iter()
                            .filter(|id| moved || self.asked.contains(&hashed(id))),
                    );
                    if again.len() > ASKED_AGAIN {
                        return Ok(None);
                    }
                }
                _ => return Ok(None),
            }
        } else if moved {
            // Counts that moved with no change in the log: not to be
            // reasoned about.
            return Ok(None);
        }
        let made = if again.is_empty() && !moved {
            self.made
        } else {
            now
        };
        Ok(Some(Mending {
            part: HiddenPart {
                made,
                mark: now,
                key,
                redacted,
                ..self.clone()
            },
            again,
            archive: counts_moved,
        }))
    }
}

/// A kept part moved on, and what to ask again before it holds
/// ([`Hiding::mend`]).
pub(super) struct Mending {
    pub part: HiddenPart,
    /// The entities to ask about again.
    pub again: Vec<String>,
    /// Whether the archive's hidden rows are to be counted again.
    pub archive: bool,
}

/// What a backend answers for [`Hiding::part`].
pub(crate) trait Asks: super::Counts {
    /// The placeholder of a query's first parameter (`?1`, `$1`).
    const PARAM: &'static str;
    /// Rows of (entity id, schema, whether the reader sees a current row
    /// of it) for `sql`.
    fn asked(&self, sql: &str) -> crate::Result<Vec<(String, String, bool)>>;
    /// The row (schema, whether it has a current row, whether the reader
    /// sees one) of the entity `id` for `sql`, if there is such an entity.
    fn asked_of(&self, sql: &str, id: &str) -> crate::Result<Option<(String, bool, bool)>>;
}

impl Hiding<'_> {
    /// The kept counts of the hidden datasets and of the archive dataset,
    /// sorted: what a [`HiddenPart`] holds while they stay.
    pub(super) fn key(&self, by_source: &BySource) -> Vec<(String, String, i64, i64)> {
        let mut key: Vec<_> = by_source
            .iter()
            .filter(|((dataset, _), _)| {
                dataset == crate::ARCHIVE_DATASET || self.hidden.contains(dataset)
            })
            .map(|((d, s), (all, now))| (d.clone(), s.clone(), *all, *now))
            .collect();
        key.sort_unstable();
        key
    }

    /// Makes the part: the archive dataset's rows the scope hides, and the
    /// entities left unseen, asked about one by one.
    pub(super) fn part<C: Asks>(
        &self,
        store: &C,
        mark: Mark,
        key: Vec<(String, String, i64, i64)>,
        redacted: Vec<(String, String)>,
    ) -> crate::Result<HiddenPart> {
        let archive = self.archive_rows(store)?;
        let mut unseen = HashMap::new();
        let mut asked = HashSet::new();
        for (id, schema, seen) in store.asked(&self.asked_sql(!redacted.is_empty()))? {
            asked.insert(hashed(&id));
            if !seen {
                unseen.insert(id, schema);
            }
        }
        let mut part = HiddenPart {
            hidden: self.hidden.to_vec(),
            made: mark,
            mark,
            key,
            redacted,
            archive,
            unseen: Arc::new(unseen),
            by_schema: Vec::new(),
            asked: Arc::new(asked),
        };
        part.count_unseen();
        Ok(part)
    }

    /// The part of `m` with its entities asked about again (each is
    /// unseen when it has a current row and none the reader sees, and is
    /// asked about from then on), and the archive's hidden rows counted
    /// again when the hidden or archive datasets' rows moved.
    pub(super) fn mend<C: Asks>(&self, store: &C, m: Mending) -> crate::Result<HiddenPart> {
        let Mending {
            mut part,
            again,
            archive,
        } = m;
        if archive {
            part.archive = self.archive_rows(store)?;
        }
        if again.is_empty() {
            return Ok(part);
        }
        let sql = self.asked_of_sql(C::PARAM);
        let unseen = Arc::make_mut(&mut part.unseen);
        let asked = Arc::make_mut(&mut part.asked);
        for id in &again {
            unseen.remove(id);
            asked.insert(hashed(id));
            if let Some((schema, true, false)) = store.asked_of(&sql, id)? {
                unseen.insert(id.clone(), schema);
            }
        }
        part.count_unseen();
        Ok(part)
    }

    /// The archive dataset's rows the scope hides, counted by source.
    fn archive_rows<C: Asks>(&self, store: &C) -> crate::Result<Vec<(String, String, i64, i64)>> {
        let mut archive = Vec::new();
        if !self.hidden.iter().any(|d| d == crate::ARCHIVE_DATASET) {
            for sql in self.archive_hidden() {
                archive.extend(store.by_source(&sql)?);
            }
        }
        Ok(archive)
    }

    /// The rows of the old archive dataset the scope hides and redaction
    /// does not, counted as [`super::BY_SOURCE`] counts: the current ones
    /// by the index by source, the sources named by the kept counts, the
    /// retracted ones by the index of retracted rows by dataset.
    pub(super) fn archive_hidden(&self) -> [String; 2] {
        let archive = (self.set)(&crate::record::quoted_list(&[
            crate::ARCHIVE_DATASET.to_string()
        ]));
        let (name, redaction, scoped) = (self.dataset_name, self.redaction, self.scoped);
        let hidden = format!("{redaction} AND NOT (1 = 1 {scoped}) GROUP BY s.dataset, s.source");
        [
            format!(
                "SELECT {name}, s.source, count(*), count(*) FROM statement s \
                 WHERE s.source IN (SELECT t.source FROM tally_source t \
                 WHERE t.dataset = '{ARCHIVE}' AND t.current > 0) \
                 AND s.dataset IN {archive} AND s.retracted_at IS NULL {hidden}",
                ARCHIVE = crate::ARCHIVE_DATASET,
            ),
            format!(
                "SELECT {name}, s.source, count(*), CAST(0 AS BIGINT) FROM statement s \
                 WHERE s.dataset IN {archive} AND s.retracted_at IS NOT NULL {hidden}"
            ),
        ]
    }

    /// The entities that may have a current row and none the reader sees,
    /// each with its schema and whether the reader sees a current row of
    /// it. Only an entity whose current rows are all hidden can be unseen,
    /// so those asked about are the ones with a current row in a hidden
    /// dataset, in the archive dataset, or (when anything is `redacted`)
    /// about a redacted entity; each is asked by the scope's whole
    /// condition (the reads' own) through its rows.
    /// [`Hiding::asked_sql`] for one entity, the id its parameter
    /// (`param`): its schema, whether it has a current row, whether the
    /// reader sees one.
    pub(super) fn asked_of_sql(&self, param: &str) -> String {
        format!(
            "SELECT e.schema, \
             EXISTS (SELECT 1 FROM statement s WHERE s.canonical_id = e.id AND s.retracted_at IS NULL), \
             EXISTS (SELECT 1 FROM statement s WHERE s.canonical_id = e.id \
             AND s.retracted_at IS NULL {} {}) FROM entity e WHERE e.id = {param}",
            self.scoped, self.redaction,
        )
    }

    pub(super) fn asked_sql(&self, redacted: bool) -> String {
        let mut names = self.hidden.to_vec();
        names.push(crate::ARCHIVE_DATASET.to_string());
        let quoted = crate::record::quoted_list(&names);
        let mut candidates = vec![format!(
            "SELECT DISTINCT s.canonical_id AS id FROM statement s \
             WHERE s.source IN (SELECT t.source FROM tally_source t \
             WHERE t.dataset IN ({quoted}) AND t.current > 0) \
             AND s.dataset IN {set} AND s.retracted_at IS NULL",
            set = (self.set)(&quoted)
        )];
        if redacted {
            candidates.push(
                concat!(
                    "SELECT DISTINCT s.canonical_id AS id FROM (",
                    about_redacted!(),
                    ") x CROSS JOIN statement s WHERE s.seq = x.seq AND s.retracted_at IS NULL"
                )
                .to_string(),
            );
        }
        format!(
            "SELECT e.id, e.schema, EXISTS (SELECT 1 FROM statement s WHERE s.canonical_id = e.id \
             AND s.retracted_at IS NULL {} {}) FROM ({}) c CROSS JOIN entity e WHERE e.id = c.id",
            self.scoped,
            self.redaction,
            candidates.join(" UNION "),
        )
    }
}
