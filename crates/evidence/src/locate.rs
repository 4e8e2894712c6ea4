//! Finding a quotation in an archived text, the way annotation tools re-find
//! their anchors: the stored position first, then an exact search, then a
//! search after normalization, then an approximate one (Myers, bounded
//! errors, candidates scored by quote, prefix, suffix and position).

use std::fmt;

use crate::myers::{best_start, Pattern};
use crate::normal::{find_all, normalized, Prepared};

/// Characters of context kept on each side of an anchored quotation.
pub const CONTEXT: usize = 32;

/// A W3C TextQuoteSelector and TextPositionSelector together: the text as
/// the archived copy has it, its context, and its code-point position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    /// Code points, start inclusive.
    pub start: usize,
    /// Code points, end exclusive.
    pub end: usize,
}

impl Selector {
    /// The selector for code points `[start, end)` of a text.
    pub fn at(text: &Prepared, start: usize, end: usize) -> Selector {
        let n = text.chars.len();
        let end = end.min(n);
        let start = start.min(end);
        Selector {
            exact: text.slice(start, end),
            prefix: text.slice(start.saturating_sub(CONTEXT), start),
            suffix: text.slice(end, (end + CONTEXT).min(n)),
            start,
            end,
        }
    }
}

/// What verification concluded about a quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    /// The archived origin holds the quotation (typography aside).
    Verified,
    /// The origin holds something close to it, with differences.
    Altered,
    /// The origin does not hold it.
    NotFound,
    /// The document it was linked to is not its origin (the page reporting
    /// it, a copy of that page, the reporter's site): nothing is verified.
    NotOrigin,
    /// Anchored, but no check has been recorded yet (`dossier verify`).
    Unchecked,
    /// The quotation has no archived origin to check against.
    NoArchive,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Verified => "verified",
            Mark::Altered => "altered",
            Mark::NotFound => "not found",
            Mark::NotOrigin => "not an origin",
            Mark::Unchecked => "not yet checked",
            Mark::NoArchive => "no archive",
        }
    }
}

impl Mark {
    /// The mark `as_str` wrote; `None` for anything else.
    pub fn parse(text: &str) -> Option<Mark> {
        [
            Mark::Verified,
            Mark::Altered,
            Mark::NotFound,
            Mark::NotOrigin,
            Mark::Unchecked,
            Mark::NoArchive,
        ]
        .into_iter()
        .find(|m| m.as_str() == text)
    }
}

impl fmt::Display for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a quotation was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// At the stored position.
    Position,
    /// By exact search.
    Exact,
    /// By search after normalization (quotes, dashes, spaces, case, entities).
    Normalized,
    /// By approximate search.
    Approximate,
}

impl Method {
    /// The method `as_str` wrote; `None` for anything else.
    pub fn parse(text: &str) -> Option<Method> {
        [
            Method::Position,
            Method::Exact,
            Method::Normalized,
            Method::Approximate,
        ]
        .into_iter()
        .find(|m| m.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Position => "position",
            Method::Exact => "exact",
            Method::Normalized => "normalized",
            Method::Approximate => "approximate",
        }
    }
}

/// One piece of a difference between the quotation and the archived text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Same(String),
    /// In the quotation, not in the archive.
    Removed(String),
    /// In the archive, not in the quotation.
    Added(String),
}

/// Where and how a quotation was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub mark: Mark,
    pub method: Method,
    /// Code points in the archived text.
    pub start: usize,
    pub end: usize,
    /// The archived text there.
    pub text: String,
    /// Edits after normalization (0 unless approximate).
    pub errors: usize,
    /// The annotation tools' score, 0 to 1.
    pub score: f64,
    /// Word by word, for altered quotations.
    pub diff: Vec<Change>,
    /// In a text of pages (a PDF's), the 1-based page it starts on.
    pub page: Option<usize>,
}

/// The page a position of a paged text is on; `None` for a text without
/// pages (see `pdf::PAGE_BREAK`).
fn page_of(text: &Prepared, start: usize) -> Option<usize> {
    let before = &text.chars[..start.min(text.chars.len())];
    let breaks = before.iter().filter(|&&c| c == '\u{c}').count();
    (breaks > 0 || text.chars.contains(&'\u{c}')).then_some(breaks + 1)
}

/// Approximate search looks no further than this many errors, and not at all
/// for quotations shorter than `MIN_APPROX` characters.
pub const MAX_ERRORS: usize = 256;
const MIN_APPROX: usize = 8;

/// How many errors an approximate match may have: a fifth of the quotation.
pub fn error_bound(len: usize) -> usize {
    if len < MIN_APPROX {
        0
    } else {
        (len / 5).clamp(1, MAX_ERRORS)
    }
}

fn similarity(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let a: String = a.iter().collect();
    let b: String = b.iter().collect();
    strsim::normalized_levenshtein(&a, &b)
}

/// Finds `quote` in `text`, helped by the selector it was anchored with.
/// `None` when nothing within the error bound is there.
pub fn locate(quote: &str, hint: Option<&Selector>, text: &Prepared) -> Option<Found> {
    let q: Vec<char> = quote.chars().collect();
    if q.is_empty() {
        return None;
    }
    let found = |method, start: usize, end: usize| Found {
        mark: Mark::Verified,
        method,
        start,
        end,
        text: text.slice(start, end),
        errors: 0,
        score: 1.0,
        diff: Vec::new(),
        page: page_of(text, start),
    };
    // 1. The stored position, accepted only if it reproduces the quotation.
    if let Some(h) = hint {
        if h.end <= text.chars.len() && h.start < h.end && text.chars[h.start..h.end] == q[..] {
            return Some(found(Method::Position, h.start, h.end));
        }
    }
    let near = |starts: Vec<usize>| -> Option<usize> {
        let target = hint.map_or(0, |h| h.start);
        starts.into_iter().min_by_key(|&s| s.abs_diff(target))
    };
    // 2. Exact search; the occurrence nearest the stored position.
    if let Some(s) = near(find_all(&text.chars, &q)) {
        return Some(found(Method::Exact, s, s + q.len()));
    }
    // 3. After normalization.
    let nq = normalized(quote);
    if nq.is_empty() {
        return None;
    }
    let hint_norm = hint.map(|h| text.norm_index(h.start));
    let starts = find_all(&text.norm, &nq);
    if !starts.is_empty() {
        let target = hint_norm.unwrap_or(0);
        let s = starts.into_iter().min_by_key(|&s| s.abs_diff(target))?;
        let (a, b) = text.original_span(s, s + nq.len());
        return Some(found(Method::Normalized, a, b));
    }
    // 4. Approximately.
    approximate(quote, &nq, hint, hint_norm, text)
}

fn approximate(
    quote: &str,
    nq: &[char],
    hint: Option<&Selector>,
    hint_norm: Option<usize>,
    text: &Prepared,
) -> Option<Found> {
    let k = error_bound(nq.len());
    if k == 0 {
        return None;
    }
    let pattern = Pattern::new(nq);
    let mut ends = pattern.search(&text.norm, k);
    // The best few by errors; scoring decides among them.
    ends.sort_by_key(|&(e, d)| (d, e));
    ends.truncate(20);
    let prefix = hint.map(|h| normalized(&h.prefix)).unwrap_or_default();
    let suffix = hint.map(|h| normalized(&h.suffix)).unwrap_or_default();
    let n = text.norm.len().max(1) as f64;
    let mut best: Option<(f64, usize, usize, usize)> = None;
    for (end, _) in ends {
        let (start, errors) = best_start(nq, &text.norm, end, k);
        if errors > k {
            continue;
        }
        let quote_score = 1.0 - errors as f64 / nq.len() as f64;
        let before = &text.norm[start.saturating_sub(prefix.len())..start];
        let after = &text.norm[end..(end + suffix.len()).min(text.norm.len())];
        let prefix_score = if prefix.is_empty() {
            1.0
        } else {
            similarity(&prefix, before)
        };
        let suffix_score = if suffix.is_empty() {
            1.0
        } else {
            similarity(&suffix, after)
        };
        let pos_score = hint_norm.map_or(1.0, |h| 1.0 - start.abs_diff(h) as f64 / n);
        let score =
            (50.0 * quote_score + 20.0 * prefix_score + 20.0 * suffix_score + 2.0 * pos_score)
                / 92.0;
        if best.is_none_or(|b| score > b.0) {
            best = Some((score, start, end, errors));
        }
    }
    let (score, s, e, errors) = best?;
    // A quotation is words: a match that cuts a word is widened to hold it
    // whole ("stran" → "strangers"), and its errors counted again.
    let (s, e, errors) = snap_to_words(nq, &text.norm, s, e, errors);
    let (a, b) = text.original_span(s, e);
    let archived = text.slice(a, b);
    let (mark, diff) = if errors == 0 {
        (Mark::Verified, Vec::new())
    } else {
        (Mark::Altered, diff_words(quote, &archived))
    };
    Some(Found {
        mark,
        method: Method::Approximate,
        start: a,
        end: b,
        text: archived,
        errors,
        score,
        diff,
        page: page_of(text, a),
    })
}

fn snap_to_words(
    nq: &[char],
    norm: &[char],
    mut s: usize,
    mut e: usize,
    errors: usize,
) -> (usize, usize, usize) {
    let word = |c: char| c.is_alphanumeric();
    let (s0, e0) = (s, e);
    if nq.first().is_some_and(|&c| word(c)) {
        while s > 0 && word(norm[s - 1]) && norm.get(s).is_some_and(|&c| word(c)) {
            s -= 1;
        }
    }
    if nq.last().is_some_and(|&c| word(c)) {
        while e < norm.len() && word(norm[e]) && e > 0 && word(norm[e - 1]) {
            e += 1;
        }
    }
    if (s, e) == (s0, e0) {
        return (s, e, errors);
    }
    let a: String = nq.iter().collect();
    let b: String = norm[s..e].iter().collect();
    (s, e, strsim::levenshtein(&a, &b))
}

/// The word-by-word difference from the quotation to the archived text,
/// typography (quotes, dashes, spaces) set aside.
pub fn diff_words(quote: &str, archived: &str) -> Vec<Change> {
    // Words compared as verification compares them (case and typography
    // aside), shown as the archive and the quotation write them.
    let a = dossier_model::text::clean(quote);
    let b = dossier_model::text::clean(archived);
    let tokens = |s: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, w) in s.split(' ').enumerate() {
            if i > 0 {
                out.push(" ".into());
            }
            if !w.is_empty() {
                out.push(w.to_string());
            }
        }
        out
    };
    let (ta, tb) = (tokens(&a), tokens(&b));
    let la: Vec<String> = ta.iter().map(|t| t.to_lowercase()).collect();
    let lb: Vec<String> = tb.iter().map(|t| t.to_lowercase()).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &la, &lb);
    let mut out: Vec<Change> = Vec::new();
    let mut pieces: Vec<Change> = Vec::new();
    for op in ops {
        for (tag, old, new) in op
            .iter_changes(&la, &lb)
            .map(|c| (c.tag(), c.old_index(), c.new_index()))
        {
            pieces.push(match tag {
                similar::ChangeTag::Equal => Change::Same(tb[new.unwrap_or(0)].clone()),
                similar::ChangeTag::Delete => Change::Removed(ta[old.unwrap_or(0)].clone()),
                similar::ChangeTag::Insert => Change::Added(tb[new.unwrap_or(0)].clone()),
            });
        }
    }
    for piece in pieces {
        // Neighbours of one kind join.
        match (out.last_mut(), &piece) {
            (Some(Change::Same(p)), Change::Same(v))
            | (Some(Change::Removed(p)), Change::Removed(v))
            | (Some(Change::Added(p)), Change::Added(v)) => p.push_str(v),
            _ => out.push(piece),
        }
    }
    out
}

/// The difference in one line: `[-removed-]{+added+}`, as `git diff --word-diff` writes it.
/// The changes [`diff_line`] wrote, read back.
pub fn parse_diff_line(line: &str) -> Vec<Change> {
    let mut out = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let next = [("[-", "-]"), ("{+", "+}")]
            .iter()
            .filter_map(|(open, close)| rest.find(open).map(|at| (at, *open, *close)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, open, close)) = next else {
            out.push(Change::Same(rest.to_string()));
            break;
        };
        let inner = &rest[at + 2..];
        let Some(end) = inner.find(close) else {
            out.push(Change::Same(rest.to_string()));
            break;
        };
        if at > 0 {
            out.push(Change::Same(rest[..at].to_string()));
        }
        let t = inner[..end].to_string();
        out.push(if open == "[-" {
            Change::Removed(t)
        } else {
            Change::Added(t)
        });
        rest = &inner[end + 2..];
    }
    out
}

pub fn diff_line(diff: &[Change]) -> String {
    let mut s = String::new();
    for c in diff {
        match c {
            Change::Same(t) => s.push_str(t),
            Change::Removed(t) => {
                s.push_str("[-");
                s.push_str(t);
                s.push_str("-]");
            }
            Change::Added(t) => {
                s.push_str("{+");
                s.push_str(t);
                s.push_str("+}");
            }
        }
    }
    s
}
