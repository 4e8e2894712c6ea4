//! Name fingerprints.

use deunicode::deunicode;
use dossier_model::names::{acronym_key, fold_spelling, looks_like_acronym, CONNECTORS};
use unicode_normalization::UnicodeNormalization;

/// Words that say what kind of body something is rather than which: they
/// count little (`OneVoice` = `OneVoice International`). Legal forms too.
const TYPE_WORDS: &[&str] = &[
    "association",
    "associations",
    "organization",
    "organizations",
    "foundation",
    "fund",
    "trust",
    "society",
    "institute",
    "institution",
    "center",
    "council",
    "committee",
    "network",
    "forum",
    "group",
    "movement",
    "coalition",
    "union",
    "federation",
    "league",
    "project",
    "initiative",
    "campaign",
    "program",
    "international",
    "global",
    "ngo",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "gmbh",
    "ev",
    "ag",
    "sa",
    "co",
    "corp",
    "corporation",
    "company",
    "plc",
    "cic",
    "ra",
    "vzw",
    "asbl",
    "eg",
    "ry",
    "amuta",
];

/// Places, which often qualify a name (`– Israel`): they count for less.
const PLACE_WORDS: &[&str] = &[
    "israel",
    "israeli",
    "palestine",
    "palestinian",
    "usa",
    "us",
    "america",
    "american",
    "uk",
    "britain",
    "british",
    "europe",
    "european",
    "germany",
    "deutschland",
    "france",
    "canada",
    "australia",
    "middle",
    "east",
    "west",
    "north",
    "south",
    "africa",
    "asia",
    "jerusalem",
    "gaza",
    "west",
    "bank",
    "new",
    "york",
];

/// What a word is to a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Says which body: counts fully.
    Core,
    /// Says what kind of body.
    Type,
    /// A place qualifying the name.
    Place,
}

/// A name taken apart for matching.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub original: String,
    /// Folded words other than stop words, each with its kind, in order.
    pub tokens: Vec<(String, Kind)>,
    /// The words other than type words run together (`onevoice` for `One
    /// Voice` and for `OneVoice International`).
    pub compact: String,
    /// The key of the name when the name itself is an acronym (`PHRI`).
    pub acronym: Option<String>,
    /// Initials of the words other than stop words (`EAPPI`, `V2015`).
    pub initials: String,
    /// An acronym that another name of the same record spells out
    /// (`URT` beside `United Road Trust`); set by [`crate::score::names_of`].
    pub spelled_out: bool,
}

/// Titles and honorifics written before people's names.
const TITLES: &[&str] = &[
    "dr",
    "doctor",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "sir",
    "dame",
    "rev",
    "reverend",
    "hon",
    "sheikh",
    "rabbi",
    "imam",
];

/// The folded words of a text: NFKC, transliterated to ASCII, lower case,
/// `&` as `and`, split at anything not a letter or digit (dashes of every
/// kind, non-breaking spaces, punctuation); apostrophes inside words vanish.
pub fn words(text: &str) -> Vec<String> {
    let nfkc: String = text.nfkc().collect();
    let ascii = deunicode(&nfkc).to_lowercase().replace('&', " and ");
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .map(|w| w.replace('\'', ""))
        .filter(|w| !w.is_empty())
        .map(|w| fold_spelling(&w).to_string())
        .collect()
}

/// The kind of a folded word.
pub fn kind(word: &str) -> Kind {
    if TYPE_WORDS.contains(&word) {
        Kind::Type
    } else if PLACE_WORDS.contains(&word) {
        Kind::Place
    } else {
        Kind::Core
    }
}

impl Name {
    pub fn new(original: &str) -> Name {
        let trimmed = original.trim();
        let mut folded: Vec<String> = words(trimmed)
            .into_iter()
            .filter(|w| !CONNECTORS.contains(&w.as_str()))
            .collect();
        // A title before a name (`Dr. Ruth Amsel`) says nothing of who.
        while folded.len() >= 3 && TITLES.contains(&folded[0].as_str()) {
            folded.remove(0);
        }
        let tokens: Vec<(String, Kind)> = folded
            .into_iter()
            .map(|w| {
                let k = kind(&w);
                (w, k)
            })
            .collect();
        let mut compact: String = tokens
            .iter()
            .filter(|(_, k)| *k != Kind::Type)
            .map(|(w, _)| w.as_str())
            .collect();
        if compact.is_empty() {
            // A name of type words only (`Center for Development`) is its own core.
            compact = tokens.iter().map(|(w, _)| w.as_str()).collect();
        }
        let acronym = trimmed
            .split_whitespace()
            .count()
            .eq(&1)
            .then_some(trimmed)
            .filter(|t| looks_like_acronym(t))
            .map(acronym_key);
        let initials = tokens
            .iter()
            .map(|(w, _)| {
                if w.chars().all(|c| c.is_ascii_digit()) {
                    w.clone()
                } else {
                    w.chars().take(1).collect::<String>().to_ascii_uppercase()
                }
            })
            .collect();
        Name {
            original: original.to_string(),
            tokens,
            compact,
            acronym,
            initials,
            spelled_out: false,
        }
    }
}

/// True when `acronym` (a key, `PHRI`) abbreviates `name`: it is the name's
/// initials, or its letters come in order from the name's words, starting
/// with the first word's initial and taking at least one letter from every
/// word it reaches (`ALLMEP` from `Alliance for Middle East Peace`); digits
/// may shorten a year (`V15` for `Victory 2015`).
pub fn abbreviates(acronym: &str, name: &Name) -> bool {
    if acronym.len() < 2 || name.tokens.len() < 2 {
        return false;
    }
    if acronym == name.initials {
        return true;
    }
    let words: Vec<Vec<u8>> = name
        .tokens
        .iter()
        .map(|(w, _)| w.to_ascii_uppercase().into_bytes())
        .collect();
    fits(acronym.as_bytes(), &words)
}

/// True when `name`, not itself an acronym, spells out `acronym` (a key):
/// as its initials, or, from three letters, by [`abbreviates`].
pub fn spells_out(name: &Name, acronym: &str) -> bool {
    name.acronym.is_none()
        && (acronym == name.initials || (acronym.len() >= 3 && abbreviates(acronym, name)))
}

/// The acronym's letters, in order, as prefixes-with-skips of consecutive
/// words: each word gives its first letter and then any of its later
/// letters; a word may be passed over only if it is a type or place word
/// (checked by the caller's tokens) — here: any word may be skipped except
/// the first. A year may be shortened to its last digits.
fn fits(acr: &[u8], words: &[Vec<u8>]) -> bool {
    fn go(acr: &[u8], words: &[Vec<u8>], first: bool) -> bool {
        if acr.is_empty() {
            return true;
        }
        let Some((w, rest)) = words.split_first() else {
            return false;
        };
        // A year: `15` for `2015`.
        if w.iter().all(u8::is_ascii_digit) {
            for take in (1..=w.len()).rev() {
                if acr.starts_with(&w[w.len() - take..]) && go(&acr[take..], rest, false) {
                    return true;
                }
            }
        } else if acr[0] == w[0] {
            // The initial, then some more letters of the same word in order.
            let mut used = 1;
            let mut i = 1;
            loop {
                if go(&acr[used..], rest, false) {
                    return true;
                }
                // Take the next acronym letter from later in this word.
                match (
                    acr.get(used),
                    w[i..].iter().position(|c| Some(c) == acr.get(used)),
                ) {
                    (Some(_), Some(p)) => {
                        i += p + 1;
                        used += 1;
                    }
                    _ => break,
                }
            }
        }
        // Pass over this word (never the first).
        !first && go(acr, rest, false)
    }
    go(acr, words, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_fold_what_does_not_tell_names_apart() {
        let a = Name::new("Ecumenical Accompaniment Programme in Palestine and Israel");
        let b = Name::new("ECUMENICAL ACCOMPANIMENT PROGRAM IN PALESTINE & ISRAEL");
        assert_eq!(a.tokens, b.tokens);
        assert_eq!(Name::new("One Voice").compact, "onevoice");
        assert_eq!(Name::new("OneVoice International").compact, "onevoice");
        assert_eq!(
            Name::new("Physicians for Human Rights \u{2013} Israel").tokens,
            Name::new("Physicians\u{a0}for Human Rights - Israel").tokens
        );
        assert_eq!(
            words("Ｂ’Tselem"),
            ["btselem"],
            "full width, curly apostrophe"
        );
        assert_eq!(words("Мемориал"), ["memorial"], "transliterated");
        assert_eq!(words("Société Générale"), ["societe", "generale"]);
        assert_eq!(Name::new("PHR-I").acronym.as_deref(), Some("PHRI"));
        assert_eq!(Name::new("Victory 2015").initials, "V2015");
    }

    #[test]
    fn acronyms_abbreviate_their_names() {
        let fits = |a: &str, n: &str| abbreviates(a, &Name::new(n));
        assert!(fits(
            "EAPPI",
            "Ecumenical Accompaniment Programme in Palestine and Israel"
        ));
        assert!(fits("PHRI", "Physicians for Human Rights – Israel"));
        assert!(fits("V15", "Victory 2015"));
        assert!(fits("ALLMEP", "Alliance for Middle East Peace"));
        assert!(fits("PCFF", "Parents Circle Families Forum"));
        assert!(!fits("RHR", "Physicians for Human Rights – Israel"));
        assert!(!fits("PHRI", "Rabbis for Human Rights"));
        assert!(!fits("V15", "Victory 2016"));
        assert!(!fits("A", "Alliance for Peace"), "one letter is no acronym");
    }
}
