//! Name keys for matching: the same body spelled differently gets one key.
//! Issue-level entity resolution (scoring, judgements) builds on these.

use deunicode::deunicode;

/// British and American spellings, and other variants, folded to one form.
const SPELLING: &[(&str, &str)] = &[
    ("programme", "program"),
    ("programmes", "programs"),
    ("centre", "center"),
    ("centres", "centers"),
    ("organisation", "organization"),
    ("organisations", "organizations"),
    ("defence", "defense"),
    ("labour", "labor"),
    ("counselling", "counseling"),
    ("judgement", "judgment"),
];

/// A word's spelling variant folded to one form (`programme` → `program`);
/// other words as they are.
pub fn fold_spelling(word: &str) -> &str {
    SPELLING
        .iter()
        .find(|(from, _)| *from == word)
        .map_or(word, |(_, to)| *to)
}

/// Words that say what kind of body something is, ignored when matching
/// acronyms (`Alliance for Middle East Peace` → `AMEP`, also `ALLMEP`).
pub const CONNECTORS: &[&str] = &[
    "for", "of", "the", "and", "in", "on", "at", "to", "de", "du", "des", "la", "le", "el", "al",
    "a", "an", "&", "und", "fur", "van", "von", "der",
];

/// The matching key of a name: transliterated to ASCII, lower case, `&` as
/// `and`, punctuation and dashes as spaces, spelling variants folded, a
/// leading `the` dropped, single spaces.
pub fn name_key(name: &str) -> String {
    let ascii = deunicode(name).to_lowercase().replace('&', " and ");
    let mut words: Vec<&str> = Vec::new();
    for raw in ascii.split(|c: char| !c.is_ascii_alphanumeric() && c != '\'') {
        let w = raw.trim_matches('\'');
        // Possessive and apostrophes inside words vanish: "people's" = "peoples".
        if w.is_empty() {
            continue;
        }
        words.push(w);
    }
    if words.first() == Some(&"the") && words.len() > 1 {
        words.remove(0);
    }
    let mut out = String::with_capacity(ascii.len());
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        let w = fold_spelling(w);
        for c in w.chars().filter(|c| *c != '\'') {
            out.push(c);
        }
    }
    out
}

/// The key of an acronym: letters and digits only, upper case (`PHR-I` → `PHRI`).
pub fn acronym_key(acronym: &str) -> String {
    deunicode(acronym)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// True when a token reads as an acronym: 2–12 characters, starting with an
/// upper-case letter, at least two upper-case letters (or one and digits),
/// no lower-case letters (`PCFF`, `PHR-I`, `V15`, `ALLMEP`, `EAPPI`; not `NGOs`).
pub fn looks_like_acronym(token: &str) -> bool {
    let n = token.chars().count();
    if !(2..=12).contains(&n) || !token.chars().next().is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    let uppers = token.chars().filter(|c| c.is_uppercase()).count();
    let lowers = token.chars().filter(|c| c.is_lowercase()).count();
    let ok_chars = token
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '&' | '.'));
    ok_chars && uppers >= 2 && lowers == 0 && !token.ends_with('-')
        || (ok_chars && uppers == 1 && n >= 2 && token.chars().skip(1).all(|c| c.is_ascii_digit()))
}

/// The initials of a name's significant words (`Parents Circle Families Forum`
/// → `PCFF`; digits are kept whole: `Victory 2015` → `V2015`).
pub fn initials(name: &str) -> String {
    let ascii = deunicode(name);
    let mut out = String::new();
    for w in ascii.split(|c: char| c.is_whitespace() || c == '-' || c == '/') {
        let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if w.is_empty() || CONNECTORS.contains(&w.to_lowercase().as_str()) {
            continue;
        }
        if w.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(w);
        } else if let Some(c) = w.chars().next() {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

/// True when `acronym` plausibly abbreviates `name`: its letters appear in
/// order among the letters of the name's words, the first one being the
/// initial of the first significant word (`EAPPI`, `PHR-I`, `V15`, `ALLMEP`).
pub fn acronym_fits(acronym: &str, name: &str) -> bool {
    let acr: Vec<char> = acronym_key(acronym).chars().collect();
    let init = initials(name);
    if acr.is_empty() || init.is_empty() {
        return false;
    }
    if acr.first().map(|c| c.to_ascii_uppercase()) != init.chars().next() {
        return false;
    }
    // Letters of the name in order, upper-cased; the acronym must be a subsequence.
    let letters: Vec<char> = deunicode(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut it = letters.iter();
    acr.iter().all(|a| it.any(|l| l == a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_share_a_key() {
        assert_eq!(
            name_key("Ecumenical Accompaniment Programme in Palestine and Israel"),
            name_key("Ecumenical Accompaniment Program in Palestine and Israel")
        );
        assert_eq!(
            name_key("Physicians for Human Rights \u{2013} Israel"),
            name_key("Physicians for Human Rights - Israel")
        );
        assert_eq!(name_key("The Parents Circle"), "parents circle");
        assert_eq!(
            name_key("Ye\u{2019}ela Ra\u{2019}anan"),
            name_key("Ye'ela Ra'anan")
        );
        assert_ne!(
            name_key("Rabbis for Human Rights"),
            name_key("Physicians for Human Rights")
        );
    }

    #[test]
    fn acronyms() {
        assert!(looks_like_acronym("PCFF"));
        assert!(looks_like_acronym("PHR-I"));
        assert!(looks_like_acronym("V15"));
        assert!(!looks_like_acronym("Israel"));
        assert!(!looks_like_acronym("NGOs!"));
        assert!(
            !looks_like_acronym("NGOs"),
            "a plural is a word, not an acronym"
        );
        assert_eq!(acronym_key("PHR-I"), "PHRI");
        assert_eq!(initials("Parents Circle Families Forum"), "PCFF");
        assert!(acronym_fits(
            "EAPPI",
            "Ecumenical Accompaniment Programme in Palestine and Israel"
        ));
        assert!(acronym_fits(
            "PHR-I",
            "Physicians for Human Rights - Israel"
        ));
        assert!(acronym_fits("V15", "Victory 2015"));
        assert!(acronym_fits("ALLMEP", "Alliance for Middle East Peace"));
        assert!(!acronym_fits("RHR", "Physicians for Human Rights"));
    }
}
