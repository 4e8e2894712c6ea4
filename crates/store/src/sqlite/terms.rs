//! The statement log's repeated words as integer keys (migration 18): a
//! row's schema, property, property type and dataset are keys into
//! `term`, which holds each word once.
//!
//! Keys are given out in order and never change or go while a store
//! lives: a key read from a committed row means the same word until the
//! whole store is replaced (a restore, whose keys may differ). So a
//! connection keeps the words it has read ([`Words`]) while no other
//! connection commits, and asks the table again for a key it has not seen
//! (a word its own write added).
//! Writes give out keys inside their own transaction and keep them only
//! there ([`Keys`], one a write): a write that is rolled back takes its new
//! words with it, and no connection has kept them.

use std::cell::RefCell;

use hashbrown::HashMap;
use rusqlite::{Connection, OptionalExtension};

/// The words the indexes' conditions name, at the keys migration 18 gave
/// them: an index's condition must be stated as its reads state it for
/// SQLite to use the index, so these are written as numbers in both.
pub(super) const RESERVED: [(&str, i64); 7] = [
    ("id", 1),
    ("name", 2),
    ("title", 3),
    ("text", 4),
    ("fileName", 5),
    ("description", 6),
    ("entity", 7),
];

/// The key migration 18 gave one of the [`RESERVED`] words; 0, which no
/// word has, for any other.
pub(super) fn reserved(word: &str) -> i64 {
    RESERVED
        .iter()
        .find(|(w, _)| *w == word)
        .map_or(0, |(_, key)| *key)
}

/// The keys of property type `entity` and `name`, as the reference and
/// name indexes' conditions state them.
pub(super) const ENTITY_TYPE: i64 = 7;
pub(super) const NAME_TYPE: i64 = 2;

/// The condition of the label index (migration 18), as its reads must
/// state it for SQLite to see that the partial index covers them: current
/// rows of the `id` property and of the caption properties, by key.
pub(super) fn label_condition() -> String {
    let props = std::iter::once(dossier_model::statement::ID_PROP)
        .chain(dossier_model::entity::CAPTION_PROPS)
        .map(|p| format!("prop = {}", reserved(p)))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!("retracted_at IS NULL AND ({props})")
}

/// `(SELECT key FROM term WHERE text …)`: the keys of the words in a
/// quoted list (`'a', 'b'`), as a set an `IN` reads.
pub(crate) fn keys_of(quoted: &str) -> String {
    format!("(SELECT key FROM term WHERE text IN ({quoted}))")
}

/// The words a connection has read, by key, and the data version
/// (`PRAGMA data_version`) they were read at.
#[derive(Default)]
pub(super) struct Words {
    by_key: RefCell<Vec<Option<String>>>,
    read_at: std::cell::Cell<Option<i64>>,
}

impl Words {
    /// The words to read rows of the data version `now` with: those kept,
    /// unless another connection has committed since they were read (it
    /// may have replaced the whole store), and then none until asked.
    /// `conn` must see only committed words: a read, never a write
    /// transaction.
    pub(super) fn at<'a>(&'a self, conn: &'a Connection, now: i64) -> Vocabulary<'a> {
        if self.read_at.replace(Some(now)) != Some(now) {
            self.by_key.borrow_mut().clear();
        }
        Vocabulary { words: self, conn }
    }

    fn kept(&self, key: i64) -> Option<String> {
        let at = usize::try_from(key).ok()?;
        self.by_key.borrow().get(at).cloned().flatten()
    }
}

/// A connection's words for the rows of one read.
pub(super) struct Vocabulary<'a> {
    words: &'a Words,
    conn: &'a Connection,
}

impl Vocabulary<'_> {
    /// The word of `key`, read from the table (with every word newer than
    /// those kept) when it is not kept yet.
    pub(super) fn word(&self, key: i64) -> rusqlite::Result<String> {
        if let Some(w) = self.words.kept(key) {
            return Ok(w);
        }
        {
            let conn = self.conn;
            let mut kept = self.words.by_key.borrow_mut();
            let mut stmt = conn.prepare_cached("SELECT key, text FROM term WHERE key >= ?1")?;
            let from = i64::try_from(kept.len()).unwrap_or(i64::MAX);
            let rows = stmt.query_map([from], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))?;
            for row in rows {
                let (k, text) = row?;
                let Ok(at) = usize::try_from(k) else { continue };
                if kept.len() <= at {
                    kept.resize(at + 1, None);
                }
                kept[at] = Some(text);
            }
        }
        self.words.kept(key).ok_or_else(|| unknown(key))
    }
}

/// The error of a key no word has: a store damaged, or written by hand.
fn unknown(key: i64) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Integer,
        format!("the store's rows name word {key}, which its `term` table does not hold").into(),
    )
}

/// The word of `key` as a write transaction sees it (its own new words
/// included): one indexed read, nothing kept.
pub(super) fn word_in(conn: &Connection, key: i64) -> rusqlite::Result<String> {
    conn.prepare_cached("SELECT text FROM term WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?
        .ok_or_else(|| unknown(key))
}

/// The keys one write transaction has given out or looked up.
#[derive(Default)]
pub(super) struct Keys(HashMap<Box<str>, i64>);

impl Keys {
    /// The key of `word`, given out now if the store has none.
    pub(super) fn key(&mut self, conn: &Connection, word: &str) -> rusqlite::Result<i64> {
        if let Some(k) = self.0.get(word) {
            return Ok(*k);
        }
        let found: Option<i64> = conn
            .prepare_cached("SELECT key FROM term WHERE text = ?1")?
            .query_row([word], |r| r.get(0))
            .optional()?;
        let key = match found {
            Some(k) => k,
            None => {
                conn.prepare_cached("INSERT INTO term (text) VALUES (?1)")?
                    .execute([word])?;
                conn.last_insert_rowid()
            }
        };
        self.0.insert(word.into(), key);
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Migration 18 gives the reserved words the keys the code states.
    #[test]
    fn the_reserved_words_have_the_keys_migration_18_gave_them() {
        let sql = include_str!("../../migrations/sqlite/0018_terms.sql");
        for (word, key) in RESERVED {
            assert!(sql.contains(&format!("({key}, '{word}')")), "{word}");
            assert_eq!(reserved(word), key);
        }
        assert_eq!(reserved("alias"), 0);
        assert_eq!(
            (ENTITY_TYPE, NAME_TYPE),
            (reserved("entity"), reserved("name"))
        );
    }

    /// The label index is made with the condition its reads state, word
    /// for word (whitespace aside), and names every caption property.
    #[test]
    fn the_label_index_is_made_with_the_condition_its_reads_state() {
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let sql = include_str!("../../migrations/sqlite/0018_terms.sql");
        let index = squeeze(sql.split("CREATE INDEX statement_label").nth(1).unwrap());
        let index = index.split(';').next().unwrap();
        assert!(
            index.ends_with(&format!("WHERE {}", label_condition())),
            "{index}"
        );
        assert!(!label_condition().contains("prop = 0"));
        for (index, prop_type) in [
            ("statement_refs", ENTITY_TYPE),
            ("statement_names", NAME_TYPE),
        ] {
            let made = squeeze(sql.split(&format!("CREATE INDEX {index}")).nth(1).unwrap());
            assert!(
                made.contains(&format!("prop_type = {prop_type};")),
                "{made}"
            );
        }
    }
}
