//! What a sentence of a profile says beyond its words: the quotations in it
//! and who spoke them, the dates it names, and the people and organizations
//! it mentions. Works on the raw text (curly quotes tell quotation marks from
//! apostrophes); offsets are byte offsets into that text.

use dossier_model::date::{find_dates, month_number, PartialDate, Precision};
use dossier_model::names::{acronym_fits, looks_like_acronym};
use std::collections::HashMap;

mod speakers;
use speakers::{speaker_after, speaker_before};

/// A quoted span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The quoted text without its marks (nested quotes kept inside).
    pub text: String,
    /// Byte range of the quoted text, marks included.
    pub start: usize,
    pub end: usize,
    /// False when the closing mark is missing and the quote runs to the end.
    pub closed: bool,
    /// The speaker the text names, if it names one.
    pub speaker: Option<NamedPerson>,
}

/// A name as written, with the role the text gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPerson {
    pub name: String,
    pub role: Option<String>,
}

/// What kind of body a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    Organization,
    PublicBody,
    Person,
}

/// A person or organization named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub kind: MentionKind,
    pub name: String,
    pub acronym: Option<String>,
    pub role: Option<String>,
    /// The role is the subject's: `its director, Tomas Brel`.
    pub theirs: bool,
    pub start: usize,
    pub end: usize,
}

// ---------------------------------------------------------------- quotations

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mark {
    CurlyDouble,
    StraightDouble,
    CurlySingle,
}

/// Finds the top-level quoted spans: `“…”`, `"…"` and `‘…’`; a `’` between
/// two letters is an apostrophe; marks nested inside a quotation stay in its
/// text; an unclosed quotation runs to the end of the text.
pub fn find_quotes(text: &str) -> Vec<Quote> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut stack: Vec<Mark> = Vec::new();
    let mut open_at = 0usize;
    let letter = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|(_, c)| c.is_alphanumeric())
    };
    let mut push_span = |start: usize, end_mark: usize, end: usize, closed: bool| {
        let inner_start = start + text[start..].chars().next().map_or(0, char::len_utf8);
        let inner = text.get(inner_start..end_mark).unwrap_or("").trim();
        let inner = inner.strip_suffix(',').unwrap_or(inner).trim_end();
        if !inner.is_empty() {
            out.push(Quote {
                text: inner.to_string(),
                start,
                end,
                closed,
                speaker: None,
            });
        }
    };
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1);
        let end = i + c.len_utf8();
        match c {
            '\u{201C}' | '\u{201E}' => {
                if stack.is_empty() {
                    open_at = i;
                }
                stack.push(Mark::CurlyDouble);
            }
            '\u{201D}' => {
                if let Some(pos) = stack.iter().rposition(|m| *m == Mark::CurlyDouble) {
                    stack.truncate(pos);
                    if stack.is_empty() {
                        push_span(open_at, i, end, true);
                    }
                }
            }
            '"' => {
                if stack.last() == Some(&Mark::StraightDouble) {
                    stack.pop();
                    if stack.is_empty() {
                        push_span(open_at, i, end, true);
                    }
                } else {
                    if stack.is_empty() {
                        open_at = i;
                    }
                    stack.push(Mark::StraightDouble);
                }
            }
            '\u{2018}' if !letter(prev) => {
                if stack.is_empty() {
                    open_at = i;
                }
                stack.push(Mark::CurlySingle);
            }
            '\u{2019}'
                if !(letter(prev) && letter(Some(k + 1)))
                    && stack.last() == Some(&Mark::CurlySingle) =>
            {
                stack.pop();
                if stack.is_empty() {
                    push_span(open_at, i, end, true);
                }
            }
            _ => {}
        }
    }
    if !stack.is_empty() {
        push_span(open_at, text.len(), text.len(), false);
    }
    for i in 0..out.len() {
        let boundary = if i == 0 { 0 } else { out[i - 1].end };
        let next = out.get(i + 1).map_or(text.len(), |q| q.start);
        out[i].speaker = speaker_before(&text[boundary..out[i].start])
            .or_else(|| speaker_after(&text[out[i].end..next]));
    }
    out
}

// ------------------------------------------------------------------ tokens

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    word: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Words (letters and digits, with inner apostrophes and hyphens) and single
/// punctuation characters, each with its byte range.
fn tokens(text: &str) -> Vec<Tok<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        if is_word_char(c) {
            let mut j = k + 1;
            while j < chars.len() {
                let ch = chars[j].1;
                let inner = matches!(ch, '\'' | '\u{2019}' | '-' | '\u{2011}')
                    && chars.get(j + 1).is_some_and(|(_, n)| is_word_char(*n));
                if is_word_char(ch) || inner {
                    j += 1;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
            out.push(Tok {
                text: &text[i..end],
                start: i,
                end,
                word: true,
            });
            k = j;
        } else {
            out.push(Tok {
                text: &text[i..i + c.len_utf8()],
                start: i,
                end: i + c.len_utf8(),
                word: false,
            });
            k += 1;
        }
    }
    out
}

/// Lower-case words allowed inside a name (`Physicians for Human Rights`,
/// `Ecumenical Accompaniment Programme in Palestine and Israel`).
const NAME_CONNECTORS: &[&str] = &[
    "for", "of", "the", "and", "in", "on", "de", "du", "des", "la", "le", "al", "el", "van", "von",
    "der", "&",
];

/// Capitalized words that open sentences rather than names.
const STOP_WORDS: &[&str] = &[
    "In",
    "On",
    "At",
    "As",
    "While",
    "Under",
    "Following",
    "The",
    "A",
    "An",
    "Its",
    "Their",
    "His",
    "Her",
    "This",
    "That",
    "These",
    "Those",
    "During",
    "After",
    "Before",
    "Through",
    "Upon",
    "According",
    "Many",
    "Some",
    "When",
    "Since",
    "Although",
    "Though",
    "If",
    "For",
    "By",
    "From",
    "With",
    "Despite",
    "Also",
    "It",
    "They",
    "He",
    "She",
    "We",
    "Our",
    "Its",
    "Both",
    "Each",
    "Other",
    "Such",
    "Several",
    "Most",
    "And",
    "But",
    "Yet",
    "Why",
];

/// Words that make a capitalized run an organization's name.
const ORG_HEADS: &[&str] = &[
    "Forum",
    "Trust",
    "Foundation",
    "Fund",
    "Institute",
    "Association",
    "Alliance",
    "Coalition",
    "Network",
    "Union",
    "Committee",
    "Commission",
    "Center",
    "Centre",
    "Organization",
    "Organisation",
    "Party",
    "Church",
    "Churches",
    "Society",
    "League",
    "Movement",
    "Initiative",
    "Program",
    "Programme",
    "Project",
    "Campaign",
    "Agency",
    "Bank",
    "University",
    "College",
    "Academy",
    "Company",
    "Corporation",
    "Inc",
    "Ltd",
    "LLC",
    "Federation",
    "Bureau",
    "Council",
    "Consortium",
    "Collective",
    "Cooperative",
    "Partnership",
    "Endowment",
    "Charity",
    "Charities",
    "Watch",
    "International",
    "Institution",
    "Mission",
    "Secretariat",
    "Board",
    "Office",
    "Department",
    "Authority",
    "Ministry",
    "Court",
    "Parliament",
    "Knesset",
    "Government",
    "Municipality",
    "Police",
    "Senate",
    "Congress",
    "Tribunal",
    "Assembly",
];

/// Place names whose last word is also an organization word.
fn is_place(before: &str, head: &str) -> bool {
    matches!((before, head), ("West" | "East" | "Left" | "South", "Bank"))
}

/// Heads that make it a public body.
const PUBLIC_HEADS: &[&str] = &[
    "Ministry",
    "Court",
    "Parliament",
    "Knesset",
    "Government",
    "Municipality",
    "Police",
    "Senate",
    "Congress",
    "Tribunal",
    "Authority",
    "Department",
];

/// Role words that precede a person's name, as token sequences in lower case.
/// Lower-case ASCII words (`role_at` compares them so).
const ROLES: &[&[&str]] = &[
    &["prime", "minister"],
    &["executive", "director"],
    &["general", "director"],
    &["director", "general"],
    &["deputy", "director"],
    &["founding", "director"],
    &["managing", "director"],
    &["program", "director"],
    &["programme", "director"],
    &["legal", "advisor"],
    &["legal", "adviser"],
    &["board", "member"],
    &["vice", "president"],
    &["foreign", "minister"],
    &["defense", "minister"],
    &["attorney", "general"],
    &["chief", "executive"],
    &["attorney"],
    &["lawyer"],
    &["adv"],
    &["director"],
    &["founder"],
    &["founders"],
    &["co-founder"],
    &["co-founders"],
    &["cofounder"],
    &["president"],
    &["chairman"],
    &["chairwoman"],
    &["chairperson"],
    &["chair"],
    &["ceo"],
    &["spokesperson"],
    &["spokesman"],
    &["spokeswoman"],
    &["minister"],
    &["rabbi"],
    &["reverend"],
    &["rev"],
    &["dr"],
    &["prof"],
    &["professor"],
    &["senator"],
    &["mk"],
    &["ambassador"],
    &["mayor"],
    &["judge"],
    &["bishop"],
    &["sheikh"],
    &["journalist"],
    &["activist"],
    &["researcher"],
    &["coordinator"],
    &["manager"],
    &["treasurer"],
    &["editor"],
    &["mr"],
    &["ms"],
    &["mrs"],
];

fn is_capitalized(t: &Tok<'_>) -> bool {
    t.word && t.text.chars().next().is_some_and(char::is_uppercase)
}

fn is_possessive(t: &Tok<'_>) -> bool {
    t.text.ends_with("\u{2019}s") || t.text.ends_with("'s")
}

fn is_digits(t: &Tok<'_>) -> bool {
    t.word && t.text.chars().all(|c| c.is_ascii_digit())
}

/// The role that starts at token `i`: its length in tokens.
fn role_at(words: &[Tok<'_>], i: usize) -> Option<usize> {
    // Roles are lower-case ASCII words, found by their first word: the word
    // is lower-cased into a small buffer (no copy on the heap) and looked
    // up. This runs for every word of every text; comparing each word with
    // every role made a 60 MB line take 22 s.
    let first = words.get(i).filter(|t| t.word)?;
    let mut buf = [0u8; 24];
    let key = ascii_lower(first.text, &mut buf)?;
    let candidates = roles_by_first().get(key)?;
    let is = |t: &Tok<'_>, r: &str| {
        let w = t.text.trim_end_matches('.');
        t.word && w.len() == r.len() && w.eq_ignore_ascii_case(r)
    };
    candidates
        .iter()
        .find(|role| {
            role.iter()
                .enumerate()
                .all(|(k, r)| words.get(i + k).is_some_and(|t| is(t, r)))
        })
        .map(|role| role.len())
}

/// A word without its trailing full stops, lower-cased into `buf`, if it
/// is ASCII and fits.
fn ascii_lower<'b>(word: &str, buf: &'b mut [u8; 24]) -> Option<&'b str> {
    let w = word.trim_end_matches('.').as_bytes();
    if w.len() > buf.len() || !w.is_ascii() {
        return None;
    }
    for (o, b) in buf.iter_mut().zip(w) {
        *o = b.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..w.len()]).ok()
}

/// The roles by their first word, in `ROLES`' order.
fn roles_by_first() -> &'static HashMap<&'static str, Vec<&'static [&'static str]>> {
    static BY_FIRST: std::sync::OnceLock<HashMap<&'static str, Vec<&'static [&'static str]>>> =
        std::sync::OnceLock::new();
    BY_FIRST.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<&'static [&'static str]>> = HashMap::new();
        for role in ROLES {
            if let Some(first) = role.first() {
                m.entry(*first).or_default().push(role);
            }
        }
        m
    })
}

/// A maximal capitalized run starting at `i`: capitalized words, digits after
/// the first word, and connectors between capitalized words. Ends before a
/// possessive. Returns token range `[start, end)`.
fn run_from(words: &[Tok<'_>], i: usize) -> Option<(usize, usize)> {
    let first = words.get(i)?;
    if !is_capitalized(first) {
        return None;
    }
    if is_possessive(first) {
        return None;
    }
    let mut end = i + 1;
    let mut j = i + 1;
    while let Some(t) = words.get(j) {
        // A run does not cross punctuation, except `&`.
        if !t.word && t.text != "&" {
            break;
        }
        if is_possessive(t) {
            break;
        }
        if is_capitalized(t) || is_digits(t) {
            j += 1;
            end = j;
            continue;
        }
        if t.text == "and" && ends_two_names(words, end, j) {
            break;
        }
        if NAME_CONNECTORS.contains(&t.text) {
            j += 1;
            continue;
        }
        break;
    }
    Some((i, end))
}

/// The short name a page may use for an organization after naming it in
/// full: its first word when that word is its own (`Kestrel` for the
/// Kestrel Policy Forum), not a kind of body or a common word (`Alliance`,
/// `National`, `The`).
pub fn short_name(name: &str) -> Option<&str> {
    const COMMON: &[&str] = &[
        "National",
        "International",
        "European",
        "American",
        "British",
        "Global",
        "World",
        "United",
        "Centre",
        "Center",
        "Friends",
        "New",
        "Open",
        "Public",
        "Human",
        "Civil",
        "Social",
        "Peace",
        "Middle",
        "East",
        "West",
        "North",
        "South",
        "Royal",
        "General",
    ];
    let mut words = name.split_whitespace();
    let first = words.next()?;
    words.next()?;
    let own = first.chars().count() >= 4
        && first.chars().next().is_some_and(char::is_uppercase)
        && first.chars().all(char::is_alphabetic)
        && !looks_like_acronym(first)
        && !ORG_HEADS.contains(&first)
        && !STOP_WORDS.contains(&first)
        && !COMMON.contains(&first);
    own.then_some(first)
}

/// Whether `and` at `and` joins two names rather than standing inside one:
/// `… Foundation and the Corvo Trust` (`and the`), `… Foundation and Corvo
/// Trust` (a body's head word on both sides); `Institute for War and Peace
/// Reporting` stays one.
fn ends_two_names(words: &[Tok<'_>], end: usize, and: usize) -> bool {
    let before_is_head = end
        .checked_sub(1)
        .and_then(|k| words.get(k))
        .is_some_and(|t| ORG_HEADS.contains(&t.text));
    let next = words.get(and + 1);
    if next.is_some_and(|t| t.text == "the") {
        return true;
    }
    let after_has_head = words[and + 1..]
        .iter()
        .take_while(|t| t.word && (is_capitalized(t) || NAME_CONNECTORS.contains(&t.text)))
        .take(6)
        .any(|t| ORG_HEADS.contains(&t.text));
    before_is_head && after_has_head
}

/// Every maximal capitalized run, as byte ranges, outside `masked`.
pub fn capitalized_runs(text: &str, masked: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let words = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if let Some((s, e)) = run_from(&words, i) {
            let range = (words[s].start, words[e - 1].end);
            if !overlaps(range, masked) {
                out.push(range);
            }
            i = e;
        } else {
            i += 1;
        }
    }
    out
}

fn overlaps(r: (usize, usize), ranges: &[(usize, usize)]) -> bool {
    ranges.iter().any(|&(s, e)| r.0 < e && s < r.1)
}

fn is_name_token(t: &Tok<'_>) -> bool {
    is_capitalized(t)
        && !ORG_HEADS.contains(&t.text)
        && !STOP_WORDS.contains(&t.text)
        && month_number(t.text).is_none()
        && role_at(std::slice::from_ref(t), 0).is_none()
        && !looks_like_acronym(t.text)
}

/// A person's name from tokens: 2–4 name tokens, with `al`, `bin`, `van`,
/// `de` allowed between them.
fn person_tokens(words: &[Tok<'_>], i: usize) -> Option<usize> {
    let mut j = i;
    let mut names = 0;
    while let Some(t) = words.get(j) {
        if is_name_token(t) {
            names += 1;
            j += 1;
        } else if names > 0
            && ["al", "bin", "ibn", "van", "de", "der", "von", "da"].contains(&t.text)
            && words.get(j + 1).is_some_and(is_name_token)
        {
            j += 1;
        } else {
            break;
        }
        if names == 4 {
            break;
        }
    }
    (names >= 2
        && !words
            .get(j)
            .is_some_and(|t| is_capitalized(t) && !is_possessive(t)))
    .then_some(j)
}

fn named(words: &[Tok<'_>], text: &str) -> Option<NamedPerson> {
    // Leading role words are the role, the rest the name.
    let mut i = 0;
    let mut role = None;
    while let Some(n) = role_at(words, i) {
        role = Some(text[words[i].start..words[i + n - 1].end].to_string());
        i += n;
    }
    while words.get(i).is_some_and(|t| STOP_WORDS.contains(&t.text)) {
        i += 1;
    }
    let rest = &words[i.min(words.len())..];
    let first = rest.first()?;
    let last = rest.last()?;
    Some(NamedPerson {
        name: text[first.start..last.end].to_string(),
        role,
    })
}

/// The start of the capitalized run that ends just before token `end`
/// (connectors join it only between capitalized words).
fn run_back(words: &[Tok<'_>], end: usize) -> usize {
    let mut start = end;
    while start > 0 {
        let t = &words[start - 1];
        let joins = (is_capitalized(t) && !is_possessive(t))
            || is_digits(t)
            || (NAME_CONNECTORS.contains(&t.text)
                && start >= 2
                && is_capitalized(&words[start - 2]));
        if !joins {
            break;
        }
        start -= 1;
    }
    start
}

// ----------------------------------------------------------------- mentions

/// The people and organizations the text names, outside `masked` ranges:
/// a title-case name followed by its acronym in parentheses; a role followed
/// by a person's name (`Attorney Hila Cohen`, `founders, Ye’ela Ra’anan`); a
/// title-case name with an organization word (`Legal Forum for the Land of
/// Israel`, `Israeli Ministry of Education`).
pub fn find_mentions(text: &str, masked: &[(usize, usize)]) -> Vec<Mention> {
    let words = tokens(text);
    let mut out: Vec<Mention> = Vec::new();
    let taken = |out: &Vec<Mention>, r: (usize, usize)| {
        overlaps(r, masked) || out.iter().any(|m| r.0 < m.end && m.start < r.1)
    };
    // Name (ACRONYM)
    for k in 0..words.len() {
        let is_acr = words[k].text == "("
            && words
                .get(k + 1)
                .is_some_and(|t| t.word && looks_like_acronym(t.text))
            && words.get(k + 2).is_some_and(|t| t.text == ")");
        if !is_acr || k == 0 {
            continue;
        }
        let acr = words[k + 1].text;
        // Walk back over the run that ends before the parenthesis.
        let start = run_back(&words, k);
        // The earliest start at which the acronym fits the name.
        let fit = (start..k).find(|&s| {
            is_capitalized(&words[s]) && !STOP_WORDS.contains(&words[s].text) && {
                let name = &text[words[s].start..words[k - 1].end];
                acronym_fits(acr, name)
            }
        });
        if let Some(s) = fit {
            let range = (words[s].start, words[k + 2].end);
            if taken(&out, range) {
                continue;
            }
            let name = text[words[s].start..words[k - 1].end].to_string();
            let kind = org_kind(&words[s..k]);
            out.push(Mention {
                kind,
                name,
                acronym: Some(acr.to_string()),
                role: None,
                theirs: false,
                start: range.0,
                end: range.1,
            });
        }
    }
    // Role Name
    let mut k = 0;
    while k < words.len() {
        let Some(n) = role_at(&words, k) else {
            k += 1;
            continue;
        };
        let mut j = k + n;
        // Longer roles first: "Executive Director" not "Director".
        while let Some(m) = role_at(&words, j) {
            j += m;
        }
        if words.get(j).is_some_and(|t| t.text == "." || t.text == ",") {
            j += 1;
        }
        if let Some(end) = person_tokens(&words, j) {
            let range = (words[j].start, words[end - 1].end);
            if !taken(&out, range) {
                out.push(Mention {
                    kind: MentionKind::Person,
                    name: text[range.0..range.1].to_string(),
                    acronym: None,
                    role: Some(singular_role(&text[words[k].start..words[k + n - 1].end])),
                    theirs: k
                        .checked_sub(1)
                        .and_then(|b| words.get(b))
                        .is_some_and(|t| t.text.eq_ignore_ascii_case("its")),
                    start: range.0,
                    end: range.1,
                });
            }
            k = end;
        } else {
            k = j.max(k + 1);
        }
    }
    // Title-case runs with an organization word.
    let mut i = 0;
    while i < words.len() {
        let Some((mut s, e)) = run_from(&words, i) else {
            i += 1;
            continue;
        };
        while s < e && (STOP_WORDS.contains(&words[s].text) || !is_capitalized(&words[s])) {
            s += 1;
        }
        // Trailing connectors are not part of the name, nor a date after
        // a preposition (`the Northern Seas Foundation in 2023`).
        let mut e2 = e;
        loop {
            let before = e2;
            while e2 > s && !is_capitalized(&words[e2 - 1]) && !is_digits(&words[e2 - 1]) {
                e2 -= 1;
            }
            if e2 >= s + 2
                && is_digits(&words[e2 - 1])
                && ["in", "on", "since", "from", "during", "until", "by", "of"]
                    .contains(&words[e2 - 2].text)
            {
                e2 -= 2;
            }
            if e2 == before {
                break;
            }
        }
        let has_head = (s..e2).any(|k| {
            ORG_HEADS.contains(&words[k].text)
                && !(k > s && is_place(words[k - 1].text, words[k].text))
        });
        if s < e2 && has_head {
            let range = (words[s].start, words[e2 - 1].end);
            if !taken(&out, range) {
                out.push(Mention {
                    kind: org_kind(&words[s..e2]),
                    name: text[range.0..range.1].to_string(),
                    acronym: None,
                    role: None,
                    theirs: false,
                    start: range.0,
                    end: range.1,
                });
            }
        }
        i = e;
    }
    out.sort_by_key(|m| m.start);
    out
}

/// `founders` → `founder`: a person holds one role.
fn singular_role(role: &str) -> String {
    let lower = role.to_lowercase();
    if ["founders", "co-founders", "cofounders"].contains(&lower.as_str()) {
        role[..role.len() - 1].to_string()
    } else {
        role.to_string()
    }
}

/// A body's kind from its name: a public body when a word of its name
/// says so (`Ministry`, `Department`, `Agency`, …).
pub fn kind_of_name(name: &str) -> MentionKind {
    org_kind(&tokens(name))
}

fn org_kind(words: &[Tok<'_>]) -> MentionKind {
    if words.iter().any(|t| PUBLIC_HEADS.contains(&t.text)) {
        MentionKind::PublicBody
    } else {
        MentionKind::Organization
    }
}

// -------------------------------------------------------------------- dates

/// The date a text is about: the most precise date written outside `masked`
/// ranges, the first of equals. `In May 2021, in the 2021 Gaza conflict` → 2021-05.
pub fn event_date(text: &str, masked: &[(usize, usize)]) -> Option<PartialDate> {
    let mut best: Option<(Precision, PartialDate)> = None;
    for m in find_dates(text) {
        if overlaps((m.start, m.end), masked) {
            continue;
        }
        let p = m.date.precision();
        if best.is_none_or(|(bp, _)| p > bp) {
            best = Some((p, m.date));
        }
    }
    best.map(|(_, d)| d)
}

/// True when the whole of `s` reads as a person's name: 2–4 capitalized name
/// words (`Hila Cohen`, `Ye’ela Ra’anan`, `Ahmad al Tibi`), no role or
/// organization words.
/// Whether a label is a role and nothing else: `Director`, `Executive
/// Director`, `Chair`.
pub fn is_role(text: &str) -> bool {
    let words = tokens(text.trim());
    let mut i = 0;
    while let Some(n) = role_at(&words, i) {
        i += n;
    }
    i > 0 && i == words.len()
}

pub fn looks_like_person_name(s: &str) -> bool {
    let words = tokens(s.trim());
    !words.is_empty() && person_tokens(&words, 0) == Some(words.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_nest_and_apostrophes_do_not_quote() {
        let t = "Israel\u{2019}s call \u{201C}a \u{2018}go wild\u{2019} plan\u{201D} and \u{201C}x,\u{201D} end";
        let q = find_quotes(t);
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].text, "a \u{2018}go wild\u{2019} plan");
        assert_eq!(q[1].text, "x");
        let t = "the Catastrophe\u{2019} of 1948 \u{201C}unclosed to the end.";
        let q = find_quotes(t);
        assert_eq!(q.len(), 1);
        assert!(!q[0].closed);
        assert_eq!(q[0].text, "unclosed to the end.");
    }

    #[test]
    fn speakers() {
        let t = "OneVoice Israel\u{2019}s Executive Director Polly Bronstein said: \u{201C}We believe.\u{201D}";
        let q = find_quotes(t);
        let s = q[0].speaker.clone().unwrap();
        assert_eq!(s.name, "Polly Bronstein");
        assert_eq!(s.role.as_deref(), Some("Executive Director"));
        let t = "Legal advisor of the Forum, Attorney Hila Cohen, noted: \u{201C}Drawing.\u{201D}";
        assert_eq!(
            find_quotes(t)[0].speaker.clone().unwrap().name,
            "Hila Cohen"
        );
        let t = "In a post, Jahalin Solidarity wrote, \u{201C}During.\u{201D}";
        assert_eq!(
            find_quotes(t)[0].speaker.clone().unwrap().name,
            "Jahalin Solidarity"
        );
        let t = "\u{201C}It is over,\u{201D} according to Jane Roe.";
        assert_eq!(find_quotes(t)[0].speaker.clone().unwrap().name, "Jane Roe");
        let t = "According to the Maritime Watch Institute, HPC \u{201C}overstates\u{201D}.";
        assert_eq!(
            find_quotes(t)[0].speaker.clone().unwrap().name,
            "Maritime Watch Institute"
        );
        let t = "Holy Land Trust called on governments to \u{201C}condemn.\u{201D}";
        assert!(find_quotes(t)[0].speaker.is_none());
        // A verb with its object between the speaker and the words.
        let who = |t: &str| find_quotes(t)[0].speaker.clone().map(|p| p.name);
        let t = "Former minister Aidan Roche described the forum as \"a lobby\".";
        assert_eq!(who(t).as_deref(), Some("Aidan Roche"));
        let t = "The chair, Niamh Doyle, told the Ledger: \"We publish.\"";
        assert_eq!(who(t).as_deref(), Some("Niamh Doyle"));
        let t =
            "The Blue Reef Institute, which is funded by the Corvo Trust, called it \"a gift\".";
        assert_eq!(who(t).as_deref(), Some("Blue Reef Institute"));
        let t = "In 2020 the columnist Joris Bakker described it as \"a club\".";
        let bakker = find_quotes(t)[0].speaker.clone().unwrap();
        assert_eq!(
            (bakker.name.as_str(), bakker.role.as_deref()),
            ("Joris Bakker", Some("columnist"))
        );
        let t = "It called the report \"misleading\".";
        assert_eq!(who(t), None);
        let t = "\"Fair,\" according to the economist Paul Keane.";
        let keane = find_quotes(t)[0].speaker.clone().unwrap();
        assert_eq!(
            (keane.name.as_str(), keane.role.as_deref()),
            ("Paul Keane", Some("economist"))
        );
    }

    #[test]
    fn short_names() {
        assert_eq!(short_name("Kestrel Policy Forum"), Some("Kestrel"));
        assert_eq!(short_name("Alliance for Middle East Peace"), None);
        assert_eq!(short_name("National Endowment"), None);
        assert_eq!(short_name("Kestrel"), None);
        assert_eq!(short_name("PCFF Forum"), None);
    }

    #[test]
    fn mentions() {
        let t = "RHR is listed as a partner by the Ecumenical Accompaniment Programme in Palestine and Israel (EAPPI). \
                 It is the channel for Victory 2015 (V15), against Prime Minister Benjamin Netanyahu. \
                 Legal advisor of the Legal Forum for the Land of Israel, Attorney Hila Cohen, noted it; \
                 the Israeli Ministry of Education agreed; one of the group\u{2019}s founders, Ye\u{2019}ela Ra\u{2019}anan, spoke.";
        let m = find_mentions(t, &[]);
        let names: Vec<(&str, MentionKind)> = m.iter().map(|m| (m.name.as_str(), m.kind)).collect();
        for expected in [
            (
                "Ecumenical Accompaniment Programme in Palestine and Israel",
                MentionKind::Organization,
            ),
            ("Victory 2015", MentionKind::Organization),
            ("Benjamin Netanyahu", MentionKind::Person),
            ("Hila Cohen", MentionKind::Person),
            ("Ye\u{2019}ela Ra\u{2019}anan", MentionKind::Person),
            (
                "Legal Forum for the Land of Israel",
                MentionKind::Organization,
            ),
            ("Israeli Ministry of Education", MentionKind::PublicBody),
        ] {
            assert!(names.contains(&expected), "{expected:?} in {names:?}");
        }
        let field = |name: &str, f: fn(&Mention) -> Option<&str>| {
            m.iter()
                .find(|m| m.name == name)
                .and_then(f)
                .map(str::to_string)
        };
        assert_eq!(
            field("Ye\u{2019}ela Ra\u{2019}anan", |m| m.role.as_deref()).as_deref(),
            Some("founder")
        );
        assert_eq!(
            field("Victory 2015", |m| m.acronym.as_deref()).as_deref(),
            Some("V15")
        );
        assert!(find_mentions("tours of Israel and the West Bank promoting", &[]).is_empty());
    }

    #[test]
    fn dates_in_quotes_and_names_do_not_count() {
        let t = "In an October 2, 2018 article, X wrote \u{201C}since 1948\u{201D}";
        let q = find_quotes(t);
        let masked: Vec<_> = q.iter().map(|q| (q.start, q.end)).collect();
        assert_eq!(event_date(t, &masked).unwrap().to_string(), "2018-10-02");
        let t = "the channel for Victory 2015 (V15)";
        let m = find_mentions(t, &[]);
        let masked: Vec<_> = m.iter().map(|m| (m.start, m.end)).collect();
        assert!(event_date(t, &masked).is_none());
    }

    proptest::proptest! {
        #[test]
        fn prose_never_panics(s in "\\PC{0,200}") {
            let q = find_quotes(&s);
            let masked: Vec<_> = q.iter().map(|q| (q.start, q.end)).collect();
            let _ = find_mentions(&s, &masked);
            let _ = capitalized_runs(&s, &masked);
            let _ = event_date(&s, &masked);
        }
    }
}

#[cfg(test)]
mod role_words {
    #[test]
    fn roles_are_lower_case_ascii_words() {
        for role in super::ROLES {
            for w in *role {
                assert!(
                    w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                    "{w}"
                );
            }
        }
    }
}
