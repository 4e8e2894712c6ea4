//! Finding a person's names in any text as a reader would recognize them,
//! to blank them: case aside, compatibility forms folded (full-width
//! letters, ligatures), invisible format characters ignored (a zero-width
//! space inside a name), any run of spaces as one, and "Surname, Given"
//! order too. Redaction blanks every text it lets out with this, so that
//! no spelling of a name slips past one exit and not another.

use unicode_normalization::UnicodeNormalization;

/// Names to blank, folded, longest first.
#[derive(Debug, Clone, Default)]
pub struct NameBlanker {
    names: Vec<String>,
}

/// Names shorter than this (folded) are not blanked: they would blank
/// parts of ordinary words.
const MIN_CHARS: usize = 4;

impl NameBlanker {
    /// A blanker for these names (and "Surname, Given" and "Surname Given"
    /// for names of two or more words).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> NameBlanker {
        let mut folded: Vec<String> = Vec::new();
        let mut add = |n: String| {
            if n.chars().count() >= MIN_CHARS && !folded.contains(&n) {
                folded.push(n);
            }
        };
        for name in names {
            let f = fold(name).0.trim().to_string();
            let words: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
            if let [given @ .., last] = words.as_slice() {
                if !given.is_empty() {
                    add(format!("{last}, {}", given.join(" ")));
                    add(format!("{last} {}", given.join(" ")));
                }
            }
            add(f);
        }
        folded.sort_by_key(|n| std::cmp::Reverse(n.len()));
        NameBlanker { names: folded }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// `text` with every occurrence of a name replaced by `with`.
    pub fn blank(&self, text: &str, with: &str) -> String {
        if self.names.is_empty() || text.is_empty() {
            return text.to_string();
        }
        let (folded, spans) = fold(text);
        // Folded byte ranges found, longest names first, never overlapping.
        let mut found: Vec<(usize, usize)> = Vec::new();
        for name in &self.names {
            let mut from = 0;
            while let Some(i) = folded[from..].find(name.as_str()) {
                let (start, end) = (from + i, from + i + name.len());
                if !found.iter().any(|&(s, e)| start < e && s < end) {
                    found.push((start, end));
                }
                from = end;
            }
        }
        if found.is_empty() {
            return text.to_string();
        }
        // Back to the text's own bytes: from the first folded character's
        // source to the last one's.
        let mut ranges: Vec<(usize, usize)> = found
            .iter()
            .filter_map(|&(s, e)| {
                let first = spans.iter().find(|sp| sp.folded_start >= s)?;
                let last = spans.iter().rev().find(|sp| sp.folded_start < e)?;
                Some((first.source.0, last.source.1))
            })
            .collect();
        ranges.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (s, e) in ranges {
            if s < at {
                continue;
            }
            out.push_str(&text[at..s]);
            out.push_str(with);
            at = e;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// Where one folded character came from.
struct Span {
    folded_start: usize,
    source: (usize, usize),
}

/// Invisible characters that change nothing a reader sees.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{feff}')
}

/// The text folded for matching, with where each folded character came from.
fn fold(text: &str) -> (String, Vec<Span>) {
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::with_capacity(text.len());
    let mut last_space = true;
    for (i, c) in text.char_indices() {
        if is_format(c) {
            continue;
        }
        let source = (i, i + c.len_utf8());
        let mut buf = [0u8; 4];
        for n in c.encode_utf8(&mut buf).nfkc() {
            for l in n.to_lowercase() {
                let l = if l.is_whitespace() { ' ' } else { l };
                if l == ' ' && last_space {
                    continue;
                }
                last_space = l == ' ';
                spans.push(Span {
                    folded_start: out.len(),
                    source,
                });
                out.push(l);
            }
        }
    }
    (out, spans)
}

#[cfg(test)]
mod tests {
    use super::NameBlanker;

    #[test]
    fn every_spelling_a_reader_would_recognize() {
        let b = NameBlanker::new(["Hila Cohen"]);
        let x = "[redacted]";
        for (text, want) in [
            ("Attorney Hila Cohen noted", "Attorney [redacted] noted"),
            ("HILA COHEN said", "[redacted] said"),
            ("Cohen, Hila wrote", "[redacted] wrote"),
            ("by Cohen Hila.", "by [redacted]."),
            ("Hila\u{200b} Cohen", "[redacted]"),
            ("Hi\u{200b}la Cohen", "[redacted]"),
            (
                "\u{ff28}\u{ff49}\u{ff4c}\u{ff41} \u{ff23}\u{ff4f}\u{ff48}\u{ff45}\u{ff4e}!",
                "[redacted]!",
            ),
            ("Hila\u{a0}\u{a0}Cohen", "[redacted]"),
            ("Hila  Cohen and Hila Cohen", "[redacted] and [redacted]"),
            ("Mishila Cohenson", "Mis[redacted]son"),
            ("nothing here", "nothing here"),
            ("", ""),
        ] {
            assert_eq!(b.blank(text, x), want, "{text:?}");
        }
        assert!(NameBlanker::new(["Al"]).is_empty(), "too short to blank");
    }
}
