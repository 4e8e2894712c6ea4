//! Native JSON lines: every statement, current and retracted, with every
//! column, in log order. Export then import into an empty store gives an
//! identical store.

use std::io::Write;

use dossier_model::{Schema, Statement};
use serde::{Deserialize, Serialize};

use crate::{syntax, FormatError, Location};

/// One line of the native format.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireStatement {
    seq: i64,
    id: String,
    entity_id: String,
    canonical_id: String,
    schema: String,
    prop: String,
    value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    original_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    dataset: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
    #[serde(default)]
    external: bool,
    source: String,
    user: String,
    first_seen: String,
    last_seen: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retracted_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retraction: Option<String>,
}

impl From<&Statement> for WireStatement {
    fn from(s: &Statement) -> Self {
        WireStatement {
            seq: s.seq,
            id: s.id.clone(),
            entity_id: s.entity_id.clone(),
            canonical_id: s.canonical_id.clone(),
            schema: s.schema.clone(),
            prop: s.prop.clone(),
            value: s.value.clone(),
            original_value: s.original_value.clone(),
            lang: s.lang.clone(),
            dataset: s.dataset.clone(),
            origin: s.origin.clone(),
            external: s.external,
            source: s.source.clone(),
            user: s.user.clone(),
            first_seen: s.first_seen.clone(),
            last_seen: s.last_seen.clone(),
            retracted_at: s.retracted_at.clone(),
            retraction: s.retraction.clone(),
        }
    }
}

impl From<WireStatement> for Statement {
    fn from(w: WireStatement) -> Self {
        Statement {
            seq: w.seq,
            id: w.id,
            entity_id: w.entity_id,
            canonical_id: w.canonical_id,
            schema: w.schema,
            prop: w.prop,
            value: w.value,
            original_value: w.original_value,
            lang: w.lang,
            dataset: w.dataset,
            origin: w.origin,
            external: w.external,
            source: w.source,
            user: w.user,
            first_seen: w.first_seen,
            last_seen: w.last_seen,
            retracted_at: w.retracted_at,
            retraction: w.retraction,
        }
    }
}

/// Writes one statement as one line.
pub fn write_statement(out: &mut dyn Write, st: &Statement) -> Result<(), FormatError> {
    serde_json::to_writer(&mut *out, &WireStatement::from(st)).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Reads native JSON lines. Every line must be a statement of a known
/// schema with a positive, increasing sequence number.
pub fn read(bytes: &[u8]) -> Result<Vec<Statement>, FormatError> {
    let out = Reader::new(bytes).collect::<Result<Vec<_>, _>>()?;
    if out.is_empty() {
        return Err(FormatError::Empty);
    }
    Ok(out)
}

/// Native JSON lines read a line at a time, for a log too large to hold
/// whole: the statements in order, each checked as [`read`] checks them.
/// The first error ends the reading. No line at all is no error here: the
/// caller, who counts what it took, tells an empty log.
pub struct Reader<R> {
    input: R,
    line: usize,
    last_seq: i64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: std::io::BufRead> Reader<R> {
    pub fn new(input: R) -> Self {
        Reader {
            input,
            line: 0,
            last_seq: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// The number of the last line read.
    pub fn line(&self) -> usize {
        self.line
    }

    fn fail(&mut self, e: FormatError) -> Option<Result<Statement, FormatError>> {
        self.done = true;
        Some(Err(e))
    }
}

impl<R: std::io::BufRead> Iterator for Reader<R> {
    type Item = Result<Statement, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => return self.fail(e.into()),
            }
            self.line += 1;
            let mut bytes = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    let column = String::from_utf8_lossy(&bytes[..e.valid_up_to()])
                        .chars()
                        .count()
                        + 1;
                    let line = self.line;
                    return self.fail(FormatError::Encoding {
                        at: Location { line, column },
                    });
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            return match statement(self.line, text, self.last_seq) {
                Ok(st) => {
                    self.last_seq = st.seq;
                    Some(Ok(st))
                }
                Err(e) => self.fail(e),
            };
        }
        None
    }
}

/// One line's statement; `last_seq` is the number of the one before (0 for
/// none).
fn statement(line: usize, record: &str, last_seq: i64) -> Result<Statement, FormatError> {
    let wire: WireStatement = serde_json::from_str(record).map_err(|e| syntax(line, &e))?;
    let at = Location { line, column: 1 };
    let invalid = |message: String| FormatError::Invalid {
        at: at.clone(),
        message,
    };
    if Schema::get(&wire.schema).is_none() {
        return Err(invalid(format!("unknown schema {:?}", wire.schema)));
    }
    if wire.seq <= 0 || wire.seq <= last_seq {
        return Err(invalid(format!(
            "sequence number {} is not greater than the one before",
            wire.seq
        )));
    }
    if wire.retracted_at.is_some() != wire.retraction.is_some() {
        return Err(invalid("retracted_at and retraction go together".into()));
    }
    for (name, v) in [
        ("entity_id", &wire.entity_id),
        ("prop", &wire.prop),
        ("source", &wire.source),
        ("dataset", &wire.dataset),
    ] {
        if v.is_empty() {
            return Err(invalid(format!("{name} is empty")));
        }
    }
    Ok(wire.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(seq: i64) -> Statement {
        Statement {
            seq,
            id: "x".into(),
            entity_id: "org-1".into(),
            canonical_id: "org-1".into(),
            schema: "Organization".into(),
            prop: "name".into(),
            value: "A \u{201C}q\u{201D}".into(),
            original_value: Some("A\u{00A0}q".into()),
            lang: None,
            dataset: "d".into(),
            origin: None,
            external: false,
            source: "doc-1".into(),
            user: "u".into(),
            first_seen: "2026-01-01T00:00:00".into(),
            last_seen: "2026-01-02T00:00:00".into(),
            retracted_at: Some("2026-01-03T00:00:00".into()),
            retraction: Some("gone".into()),
        }
    }

    #[test]
    fn round_trip() {
        let mut buf = Vec::new();
        write_statement(&mut buf, &st(1)).unwrap();
        write_statement(&mut buf, &st(2)).unwrap();
        let back = read(&buf).unwrap();
        assert_eq!(back, vec![st(1), st(2)]);
    }

    #[test]
    fn errors_say_where() {
        let mut buf = Vec::new();
        write_statement(&mut buf, &st(2)).unwrap();
        write_statement(&mut buf, &st(1)).unwrap();
        let err = read(&buf).unwrap_err().to_string();
        assert!(err.starts_with("2:1:"), "{err}");
        let err = read(b"\n{\"seq\": 1,\n").unwrap_err().to_string();
        assert!(err.starts_with("2:"), "{err}");
        assert!(matches!(read(b"\n\n"), Err(FormatError::Empty)));
        assert!(matches!(
            read(b"\xff\xfe"),
            Err(FormatError::Encoding { .. })
        ));
    }

    #[test]
    fn the_reader_takes_lines_as_they_come() {
        let mut buf = Vec::new();
        write_statement(&mut buf, &st(1)).unwrap();
        buf.extend_from_slice(b"\r\n  \n");
        write_statement(&mut buf, &st(3)).unwrap();
        let text = String::from_utf8(buf).unwrap().replace("}\n", "}\r\n");
        let mut reader = Reader::new(text.as_bytes());
        assert_eq!(reader.next().unwrap().unwrap(), st(1));
        assert_eq!(reader.next().unwrap().unwrap(), st(3));
        assert_eq!(reader.line(), 4);
        assert!(reader.next().is_none());
        // Bytes that are not UTF-8 on line 2, after the first statement.
        let mut bad = text.into_bytes();
        bad.splice(bad.len() - 3..bad.len() - 3, [0xff]);
        let got: Vec<_> = Reader::new(&bad[..]).collect();
        assert!(got[0].is_ok());
        let err = got[got.len() - 1].as_ref().unwrap_err().to_string();
        assert!(err.starts_with("4:"), "{err}");
        assert!(Reader::new(&b""[..]).next().is_none());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = read(&bytes);
            let _ = Reader::new(&bytes[..]).count();
            let _ = crate::detect(&bytes);
        }
    }
}
