//! Interchange formats, in and out: Dossier's native statement JSON lines
//! (lossless) and FollowTheMoney entity JSON lines.
//!
//! Architecture invariant: wire types live here and nowhere else; the model
//! never derives serde. No storage: readers return model values, writers take
//! them.

pub mod annotation;
pub mod ftm;
pub mod graphs;
pub mod native;
pub mod popolo;
pub mod statements;
pub mod warc;

use std::fmt;

/// Which interchange format a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Dossier statements, one JSON object per line.
    Native,
    /// FtM entities, one JSON object per line.
    Ftm,
    /// FtM statements CSV (nomenklatura's columns).
    Statements,
    /// Popolo JSON.
    Popolo,
}

/// Where in a file something is wrong: 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// What can be wrong with an interchange file.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// A line is not valid JSON, or not the shape the format needs.
    #[error("{at}: {message}")]
    Syntax { at: Location, message: String },
    /// A line is JSON of the right shape with values the model rejects.
    #[error("{at}: {message}")]
    Invalid { at: Location, message: String },
    /// The file is not UTF-8.
    #[error("{at}: not UTF-8 text")]
    Encoding { at: Location },
    /// The file holds no records.
    #[error("the file holds no records")]
    Empty,
    /// Writing failed.
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Decodes bytes as UTF-8 or says where they stop being it.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, FormatError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let head = &bytes[..e.valid_up_to()];
        let line = head.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        FormatError::Encoding {
            at: Location {
                line,
                column: String::from_utf8_lossy(&head[start..]).chars().count() + 1,
            },
        }
    })
}

/// Tells the format of JSON lines by the keys of the first record: `prop`
/// and `entity_id` mean native statements, `schema` and `properties` mean
/// FtM entities. `None` when it is neither.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if statements::looks_like(bytes) {
        return Some(Format::Statements);
    }
    if popolo::looks_like(bytes) {
        return Some(Format::Popolo);
    }
    let text = std::str::from_utf8(bytes.get(..bytes.len().min(1 << 20))?)
        .ok()
        .or_else(|| {
            // The cut may fall inside a character: decode what is whole.
            let cut = &bytes[..bytes.len().min(1 << 20)];
            let valid = std::str::from_utf8(cut).err()?.valid_up_to();
            std::str::from_utf8(&cut[..valid]).ok()
        })?;
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    // A JSON array of entities: told by its first element.
    let first = match first.strip_prefix('[') {
        Some(rest) if rest.trim().is_empty() => text.trim_start().strip_prefix('[')?.trim_start(),
        Some(rest) => rest.trim_start(),
        None => first,
    };
    let keys = first_keys(first)?;
    let has = |k: &str| keys.iter().any(|x| x == k);
    // A delta file: operations on entities.
    if has("op") && has("entity") {
        return Some(Format::Ftm);
    }
    if has("entity_id") && has("prop") {
        Some(Format::Native)
    } else if has("schema") && (has("properties") || !has("entity_id")) {
        Some(Format::Ftm)
    } else {
        None
    }
}

/// The keys of a JSON object, in order, as far as the text goes: a record
/// longer than what detection reads (an entity with a long text) is still
/// told by the keys before the cut. `None` when the text is not the start
/// of an object.
fn first_keys(text: &str) -> Option<Vec<String>> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
    struct Keys<'k>(&'k mut Vec<String>);
    impl<'de> Visitor<'de> for Keys<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                self.0.push(key);
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
    }
    if !text.starts_with('{') {
        return None;
    }
    let mut keys = Vec::new();
    // An error past the first key is the cut (or a fault the import
    // itself reports, with its place): the keys read so far tell.
    let _ = serde_json::Deserializer::from_str(text).deserialize_map(Keys(&mut keys));
    (!keys.is_empty()).then_some(keys)
}

/// The non-blank lines of a text with their 1-based numbers.
pub(crate) fn records(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
}

pub(crate) fn syntax(line: usize, e: &serde_json::Error) -> FormatError {
    FormatError::Syntax {
        at: Location {
            line,
            column: e.column(),
        },
        message: e.to_string(),
    }
}
