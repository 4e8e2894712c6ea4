//! Text prepared for finding quotations: its code points, and a normalized
//! form (HTML entities decoded, curly quotes straight, dashes one hyphen,
//! spaces collapsed, case folded) that remembers, for every character, the
//! span of the original it came from. Matches found in the normalized form
//! are reported in the original's code-point positions.

use dossier_model::text::plain_char;

/// A text ready for searching.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub chars: Vec<char>,
    /// The normalized characters.
    pub norm: Vec<char>,
    /// For each normalized character, the original span `[start, end)`.
    pub spans: Vec<(u32, u32)>,
}

/// The longest entity name Dossier looks for (`&CounterClockwiseContourIntegral;` is 33).
const MAX_ENTITY: usize = 34;

/// Decodes the entity starting at `chars[i]` (`&`), if there is one: the
/// decoded text and how many characters it spans.
fn entity_at(chars: &[char], i: usize) -> Option<(String, usize)> {
    let end = chars
        .iter()
        .skip(i + 1)
        .take(MAX_ENTITY)
        .position(|&c| c == ';')?;
    let raw: String = chars[i..=i + 1 + end].iter().collect();
    if raw.len() < 3
        || raw[1..raw.len() - 1].contains(|c: char| !c.is_ascii_alphanumeric() && c != '#')
    {
        return None;
    }
    let decoded = html_escape::decode_html_entities(&raw);
    (decoded != raw).then(|| (decoded.into_owned(), end + 2))
}

/// Appends the normalized form of `c` (from original span `span`).
fn push_norm(c: char, span: (u32, u32), norm: &mut Vec<char>, spans: &mut Vec<(u32, u32)>) {
    let expanded: &[char] = match c {
        '\u{2026}' => &['.', '.', '.'],
        '\u{FB01}' => &['f', 'i'],
        '\u{FB02}' => &['f', 'l'],
        _ => &[],
    };
    if !expanded.is_empty() {
        for &e in expanded {
            norm.push(e);
            spans.push(span);
        }
        return;
    }
    let Some(p) = plain_char(c) else {
        return;
    };
    if p == ' ' {
        // Spaces collapse: one for a run, extending its span.
        if norm.last() == Some(&' ') {
            if let Some(last) = spans.last_mut() {
                last.1 = span.1;
            }
            return;
        }
        norm.push(' ');
        spans.push(span);
        return;
    }
    for l in p.to_lowercase() {
        norm.push(l);
        spans.push(span);
    }
}

/// Normalizes characters, remembering where each came from.
fn normalize_chars(chars: &[char]) -> (Vec<char>, Vec<(u32, u32)>) {
    let mut norm = Vec::with_capacity(chars.len());
    let mut spans = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '&' {
            if let Some((decoded, len)) = entity_at(chars, i) {
                let span = (i as u32, (i + len) as u32);
                for d in decoded.chars() {
                    push_norm(d, span, &mut norm, &mut spans);
                }
                i += len;
                continue;
            }
        }
        push_norm(c, (i as u32, i as u32 + 1), &mut norm, &mut spans);
        i += 1;
    }
    // Leading and trailing spaces carry nothing.
    while norm.last() == Some(&' ') {
        norm.pop();
        spans.pop();
    }
    let lead = norm.iter().take_while(|&&c| c == ' ').count();
    norm.drain(..lead);
    spans.drain(..lead);
    (norm, spans)
}

/// The normalized form of a short text (a quotation, a prefix).
pub fn normalized(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    normalize_chars(&chars).0
}

impl Prepared {
    pub fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let (norm, spans) = normalize_chars(&chars);
        Prepared { chars, norm, spans }
    }

    /// The original text of code points `[start, end)`.
    pub fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.chars.len());
        let start = start.min(end);
        self.chars[start..end].iter().collect()
    }

    /// The original span of normalized characters `[start, end)`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || end > self.spans.len() {
            return (0, 0);
        }
        (self.spans[start].0 as usize, self.spans[end - 1].1 as usize)
    }

    /// The normalized index of the first character at or after original index `orig`.
    pub fn norm_index(&self, orig: usize) -> usize {
        self.spans.partition_point(|s| (s.0 as usize) < orig)
    }
}

/// Every start index where `needle` occurs in `hay`.
pub fn find_all(hay: &[char], needle: &[char]) -> Vec<usize> {
    let mut out = Vec::new();
    let Some(&first) = needle.first() else {
        return out;
    };
    if needle.len() > hay.len() {
        return out;
    }
    for i in 0..=hay.len() - needle.len() {
        if hay[i] == first && hay[i..i + needle.len()] == *needle {
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_lead_back_to_the_original() {
        let p = Prepared::new("Said: \u{201C}We  will&nbsp;not&mdash;ever\u{201D}.");
        let norm: String = p.norm.iter().collect();
        assert_eq!(norm, "said: \"we will not-ever\".");
        let q = normalized("\"We will not-ever\"");
        let at = find_all(&p.norm, &q)[0];
        let (s, e) = p.original_span(at, at + q.len());
        assert_eq!(
            p.slice(s, e),
            "\u{201C}We  will&nbsp;not&mdash;ever\u{201D}"
        );
    }
}
