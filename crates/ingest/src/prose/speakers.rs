//! Who said a quotation: the speaker named before it (`X said:`, `X
//! described the forum as`, `according to X,`) or after it (`…," X said`),
//! with the role the sentence gives them.

use super::{is_capitalized, named, role_at, run_back, run_from, tokens, NamedPerson};

/// Verbs that introduce a speaker's words (`X said:`, `X wrote,`).
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "noted",
    "notes",
    "wrote",
    "writes",
    "stated",
    "states",
    "declared",
    "declares",
    "argued",
    "argues",
    "claimed",
    "claims",
    "added",
    "adds",
    "explained",
    "explains",
    "tweeted",
    "posted",
    "told",
    "warned",
    "asserted",
    "insisted",
    "commented",
    "remarked",
    "urged",
    "announced",
    "responded",
    "replied",
    "answered",
    "advocated for",
    "called for",
    "proclaimed",
];

fn strip_trailing_punct(s: &str) -> &str {
    s.trim_end()
        .trim_end_matches([':', ',', '\u{2014}', '-'])
        .trim_end()
}

/// The speaker named right before a quotation: `X said:`, `X, noted:`,
/// `according to X,`.
pub(super) fn speaker_before(prefix: &str) -> Option<NamedPerson> {
    // Only the current sentence counts.
    let cut = [". ", "? ", "! ", "; "]
        .iter()
        .filter_map(|b| prefix.rfind(b).map(|i| i + b.len()))
        .max()
        .unwrap_or(0);
    let sentence = strip_trailing_punct(&prefix[cut..]);
    let lower = sentence.to_lowercase();
    for verb in SPEECH_VERBS {
        if lower.ends_with(verb)
            && lower[..lower.len() - verb.len()].ends_with(|c: char| c.is_whitespace() || c == ',')
        {
            let before = strip_trailing_punct(&sentence[..sentence.len() - verb.len()]);
            return name_at_end(before);
        }
    }
    if let Some(i) = lower.rfind("according to ") {
        let after = &sentence[i + "according to ".len()..];
        return name_at_start(after);
    }
    // `X described the forum as`, `X called its report`, `X told the
    // Ledger:`: a verb with its object between the speaker and the words.
    for verb in DESCRIBING_VERBS {
        let Some(i) = lower.rfind(&format!(" {verb} ")) else {
            continue;
        };
        // `called on governments to`, `called for`: a call, whose words
        // are the caller's, as the default speaker already has it.
        let object = &lower[i + verb.len() + 2..];
        if object.starts_with("on ") || object.starts_with("for ") {
            continue;
        }
        let mut before = strip_trailing_punct(&sentence[..i]);
        // `X, which is funded by Y, called …`: the speaker is before the
        // clause that describes it.
        let clause = [
            ", which ",
            ", who ",
            ", whose ",
            ", a ",
            ", an ",
            ", one of ",
        ]
        .iter()
        .filter_map(|m| before.to_ascii_lowercase().find(m))
        .min();
        if let Some(c) = clause {
            before = strip_trailing_punct(&before[..c]);
        }
        let found = name_at_end(before)
            .filter(|p| !PRONOUNS.contains(&p.name.as_str()) && p.name.chars().count() > 1);
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Verbs whose speaker stands before an object: `described the group as`.
const DESCRIBING_VERBS: &[&str] = &[
    "described",
    "describes",
    "called",
    "calls",
    "dubbed",
    "labelled",
    "labeled",
    "branded",
    "termed",
    "characterized",
    "characterised",
    "told",
    "tells",
    "wrote in",
    "said in",
];

/// Words that stand for a speaker already named: not a speaker's name.
const PRONOUNS: &[&str] = &["It", "They", "He", "She", "We", "I", "You", "This", "That"];

/// The speaker named right after a quotation: `…,” according to X` or `…,” X said.`
pub(super) fn speaker_after(suffix: &str) -> Option<NamedPerson> {
    let s = suffix.trim_start_matches([',', '.', ' ', '\u{00A0}']);
    let lower = s.to_lowercase();
    if let Some(rest) = lower.strip_prefix("according to ") {
        let off = s.len() - rest.len();
        return name_at_start(&s[off..]);
    }
    for verb in ["said", "says", "wrote", "noted", "added", "stated"] {
        if let Some(rest) = lower.strip_prefix(verb) {
            if rest.starts_with(' ') {
                let off = s.len() - rest.len();
                return name_at_start(s[off..].trim_start());
            }
        }
    }
    let words = tokens(s);
    let run = run_from(&words, 0)?;
    let after = words.get(run.1)?;
    let verb = after.text.to_lowercase();
    if ["said", "says", "wrote", "noted", "added"].contains(&verb.as_str()) {
        return named(&words[run.0..run.1], s);
    }
    None
}

/// The capitalized run at the very end of `text` (`…, Attorney Hila Cohen`).
fn name_at_end(text: &str) -> Option<NamedPerson> {
    let words = tokens(text);
    let last = words.len().checked_sub(1)?;
    if !is_capitalized(&words[last]) {
        return None;
    }
    let start = run_back(&words, last + 1);
    let mut person = named(&words[start..], text)?;
    // `the columnist Joris Bakker`: a few plain words after `the` or `a`
    // that describe the person are their role.
    if person.role.is_none() {
        let plain = words[..start]
            .iter()
            .rev()
            .take_while(|w| w.word && !is_capitalized(w) && !["the", "a", "an"].contains(&w.text))
            .take(4)
            .count();
        let det = start
            .checked_sub(plain + 1)
            .map(|k| words[k].text.to_lowercase());
        let said = matches!(det.as_deref(), Some("the" | "a" | "an"));
        if (1..=3).contains(&plain) && said {
            let role = &text[words[start - plain].start..words[start - 1].end];
            person.role = Some(role.to_string());
        }
    }
    Some(person)
}

/// The capitalized run at the start of `text` (`according to Hila Cohen, …`).
fn name_at_start(text: &str) -> Option<NamedPerson> {
    let words = tokens(text);
    // `the`, `its chair, Mira Holt`: a determiner, roles, a comma, the name.
    let start = usize::from(
        words
            .first()
            .is_some_and(|w| ["the", "its", "their", "his", "her", "our"].contains(&w.text)),
    );
    let mut i = start;
    while let Some(n) = role_at(&words, i) {
        i += n;
    }
    // `the economist Paul Keane`: a few plain words that describe the
    // person, then the name.
    if i == start {
        let plain = words[i..]
            .iter()
            .take_while(|w| w.word && !is_capitalized(w))
            .count();
        if (1..=3).contains(&plain) && words.get(i + plain).is_some_and(is_capitalized) {
            let (_, e) = run_from(&words, i + plain)?;
            let mut person = named(&words[i + plain..e], text)?;
            let role = &text[words[i].start..words[i + plain - 1].end];
            person.role.get_or_insert_with(|| role.to_string());
            return Some(person);
        }
    }
    let role_end = i;
    if i > start && words.get(i).is_some_and(|w| w.text == ",") {
        i += 1;
    }
    let (_, e) = run_from(&words, i)?;
    if i > role_end {
        // The role and the name apart by a comma: the name, with its role.
        let mut person = named(&words[i..e], text)?;
        let role = &text[words[start].start..words[role_end - 1].end];
        person.role.get_or_insert_with(|| role.to_string());
        return Some(person);
    }
    named(&words[start..e], text)
}
