//! A statement's id as SQLite keeps it (migration 19): the 20 bytes of the
//! SHA-1 its 40 hexadecimal digits spell, where it is one, in place of the
//! text. Every id Dossier makes is one; a log loaded verbatim may carry
//! others, which stay text. The two forms never meet (a blob is never
//! equal to a text in SQLite) and each id has exactly one of them, so the
//! unique index of current rows holds as it did over the text.
//!
//! Hand-written: two conversions, each a few lines; `hex` would add a
//! dependency for one of them and still leave the check of the form here.

use rusqlite::types::{FromSqlError, ToSqlOutput, ValueRef};
use rusqlite::ToSql;

/// An id bound as SQLite keeps it.
pub(super) enum StoredId<'a> {
    Sha1([u8; 20]),
    Text(&'a str),
}

/// `id` as it is kept: 20 bytes when it is 40 lowercase hexadecimal
/// digits, else the text itself.
pub(super) fn stored(id: &str) -> StoredId<'_> {
    fn digit(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        }
    }
    let text = id.as_bytes();
    if text.len() != 40 {
        return StoredId::Text(id);
    }
    let mut bytes = [0u8; 20];
    for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
        match (digit(pair[0]), digit(pair[1])) {
            (Some(high), Some(low)) => *byte = high << 4 | low,
            _ => return StoredId::Text(id),
        }
    }
    StoredId::Sha1(bytes)
}

impl ToSql for StoredId<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            StoredId::Sha1(bytes) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
            StoredId::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        })
    }
}

/// The id kept in a row's column, as the text it was given as.
pub(super) fn read(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<String> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match value {
        ValueRef::Blob(bytes) if bytes.len() == 20 => {
            let mut text = String::with_capacity(40);
            for b in bytes {
                text.push(HEX[usize::from(b >> 4)] as char);
                text.push(HEX[usize::from(b & 15)] as char);
            }
            Ok(text)
        }
        ValueRef::Text(text) => std::str::from_utf8(text)
            .map(str::to_string)
            .map_err(|e| FromSqlError::Other(Box::new(e))),
        _ => Err(FromSqlError::InvalidType),
    }
}

/// Column `i` of `row`, a statement id.
pub(super) fn get(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<String> {
    let value = row.get_ref(i)?;
    read(value)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text of a bound id, as a row would give it back.
    fn round_trip(id: &str) -> (bool, String) {
        let out = stored(id);
        let value = out.to_sql().unwrap();
        let ToSqlOutput::Borrowed(v) = value else {
            panic!("borrowed")
        };
        (matches!(out, StoredId::Sha1(_)), read(v).unwrap())
    }

    #[test]
    fn a_sha1_is_kept_as_its_bytes_and_anything_else_as_text() {
        let sha = dossier_model::ids::sha1_hex("abc");
        assert_eq!(round_trip(&sha), (true, sha.clone()));
        for other in [
            "",
            "x",
            &sha.to_uppercase(),
            &sha[..39],
            &format!("{sha}0"),
            "g9993e364706816aba3e25717850c26c9cd0d89d",
            &format!("{}é", &sha[..38]),
        ] {
            assert_eq!(round_trip(other), (false, other.to_string()), "{other:?}");
        }
    }

    #[test]
    fn a_column_of_another_kind_is_an_error() {
        assert!(read(ValueRef::Integer(5)).is_err());
        assert!(read(ValueRef::Blob(&[1, 2, 3])).is_err());
        assert!(read(ValueRef::Null).is_err());
    }
}
