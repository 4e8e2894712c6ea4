//! Normalization of text on the way in: odd spaces, curly quotes, dashes.
//! The original is kept beside the normalized value (a statement's
//! `original_value`), so nothing typographic is lost.

use unicode_normalization::UnicodeNormalization;

/// A normalized value and, when it differs, the text it was made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Normalized {
    pub value: String,
    pub original: Option<String>,
}

impl Normalized {
    /// A value that needed no normalization.
    pub fn plain(value: impl Into<String>) -> Self {
        Normalized {
            value: value.into(),
            original: None,
        }
    }
}

/// Maps one character to its plain form, or `None` to drop it.
pub fn plain_char(c: char) -> Option<char> {
    Some(match c {
        // Spaces of every width, including the non-breaking ones.
        '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}'
        | '\t'
        | '\n'
        | '\r'
        | '\u{000B}'
        | '\u{000C}' => ' ',
        // Zero-width characters and the soft hyphen carry nothing.
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => return None,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        c if c.is_control() => return None,
        c => c,
    })
}

/// Normalizes text: Unicode NFC, every kind of space to one ASCII space, runs
/// of spaces collapsed, curly quotes to straight ones, dashes to a hyphen,
/// control and zero-width characters dropped, ends trimmed.
pub fn normalize(text: &str) -> Normalized {
    let mut value = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfc().filter_map(plain_char) {
        if c == ' ' {
            pending_space = !value.is_empty();
            continue;
        }
        if pending_space {
            value.push(' ');
            pending_space = false;
        }
        value.push(c);
    }
    let original = (value != text).then(|| text.to_string());
    Normalized { value, original }
}

/// Like [`normalize`] but only the value.
pub fn clean(text: &str) -> String {
    normalize(text).value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typography_is_normalized_and_kept() {
        let n = normalize("  Physicians for Human Rights \u{2013} Israel\u{00A0} ");
        assert_eq!(n.value, "Physicians for Human Rights - Israel");
        assert_eq!(
            n.original.as_deref(),
            Some("  Physicians for Human Rights \u{2013} Israel\u{00A0} ")
        );
        let n = normalize("Ye\u{2019}ela Ra\u{2019}anan");
        assert_eq!(n.value, "Ye'ela Ra'anan");
        assert!(normalize("plain").original.is_none());
        assert_eq!(clean("\u{201C}x\u{201D}\u{200B}"), "\"x\"");
    }
}
