//! Ties a sentence states between its subject and the bodies it names:
//! `is a member of X`, `its members include A, B and C`, `fiscally
//! sponsored by X`, `led by Jane Doe`. Each is read only from a sentence
//! about the subject (see [`crate::sections::about_subject`]), and
//! the sentence stays a claim a reader can check the tie against.

use crate::sections::about_subject;

/// What a sentence ties its subject to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tie {
    /// The subject belongs to these networks.
    MemberOf(Vec<String>),
    /// These bodies belong to the subject.
    Members(Vec<String>),
    /// These bodies sponsor the subject fiscally.
    SponsoredBy(Vec<String>),
    /// These people lead the subject.
    LedBy(Vec<String>),
}

/// Makes a tie of the names a phrase introduces.
type MakeTie = fn(Vec<String>) -> Tie;

/// The phrases, and the tie each states.
const PHRASES: &[(&str, MakeTie)] = &[
    ("is a member of ", Tie::MemberOf),
    ("are members of ", Tie::MemberOf),
    ("is part of the ", Tie::MemberOf),
    ("belongs to ", Tie::MemberOf),
    ("joined ", Tie::MemberOf),
    ("its members include ", Tie::Members),
    ("members include ", Tie::Members),
    ("whose members are ", Tie::Members),
    ("brings together ", Tie::Members),
    ("fiscally sponsored by ", Tie::SponsoredBy),
    ("fiscal sponsor is ", Tie::SponsoredBy),
    ("a project of ", Tie::SponsoredBy),
    ("is led by ", Tie::LedBy),
    ("led by ", Tie::LedBy),
    ("headed by ", Tie::LedBy),
    ("chaired by ", Tie::LedBy),
];

/// The ties a sentence about the subject (`names`) states. A list is split
/// on commas and "and"; a name ends before a date, a relative clause or a
/// preposition phrase; only capitalized names are kept.
pub fn ties(sentence: &str, names: &[&str]) -> Vec<Tie> {
    // Byte for byte (ASCII case folding), so offsets hold in `sentence`.
    let lower = sentence.to_ascii_lowercase();
    let mut out = Vec::new();
    for (phrase, tie) in PHRASES {
        let Some(at) = lower.find(phrase) else {
            continue;
        };
        if !about_subject(&sentence[..at], names) {
            continue;
        }
        let rest = &sentence[at + phrase.len()..];
        let list = names_list(rest);
        if !list.is_empty() {
            out.push(tie(list));
        }
        // One tie a sentence: `is led by` is not also `led by`.
        break;
    }
    out
}

/// The names at the start of `text`, up to the end of the clause.
fn names_list(text: &str) -> Vec<String> {
    let stops = [
        ". ", "; ", " since ", " in 19", " in 20", " which ", " who ", " that ", " to ", " for ",
        " until ", " (",
    ];
    let end = stops
        .iter()
        .filter_map(|s| text.find(s))
        .min()
        .unwrap_or(text.len());
    text[..end]
        .trim_end_matches(['.', ',', ';', ' '])
        .split(", ")
        .flat_map(|p| p.split(" and "))
        .map(|p| {
            let p = p
                .trim()
                .trim_start_matches("and ")
                .trim_start_matches("the ");
            p.trim_start_matches("The ").to_string()
        })
        .filter(|p| {
            let words = p.split_whitespace().count();
            (1..=8).contains(&words)
                && p.chars().next().is_some_and(char::is_uppercase)
                && crate::extract::is_org_name(p)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_of_a_sentence_about_the_subject() {
        let names = ["Tide Centre"];
        assert_eq!(
            ties(
                "Tide Centre is a member of the Coastal Alliance and Rivers Network.",
                &names
            ),
            [Tie::MemberOf(vec![
                "Coastal Alliance".into(),
                "Rivers Network".into()
            ])]
        );
        assert_eq!(
            ties(
                "Its members include Blue Group, Green Circle and the Youth Forum.",
                &names
            ),
            [Tie::Members(vec![
                "Blue Group".into(),
                "Green Circle".into(),
                "Youth Forum".into()
            ])]
        );
        assert_eq!(
            ties(
                "The centre is fiscally sponsored by Open Seas Foundation since 2019.",
                &names
            ),
            [Tie::SponsoredBy(vec!["Open Seas Foundation".into()])]
        );
        assert_eq!(
            ties("It is led by Ada Okafor.", &names),
            [Tie::LedBy(vec!["Ada Okafor".into()])]
        );
        // About someone else: no tie for the subject.
        assert!(ties("Blue Group is a member of the Coastal Alliance.", &names).is_empty());
        assert!(ties("It is a member of the public.", &names).is_empty());
    }
}
