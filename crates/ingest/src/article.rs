//! Pages about several organizations (a weekly roundup, a news article):
//! a headline rather than a name on top, a byline, then one entry an
//! organization. What tells such a page apart, and what each entry names.

use crate::extract::is_org_name;

/// Words that open a sentence without naming anyone (`Every week…`).
const OPENERS: &[&str] = &[
    "a",
    "according",
    "after",
    "all",
    "an",
    "as",
    "at",
    "before",
    "both",
    "by",
    "critics",
    "each",
    "every",
    "for",
    "here",
    "in",
    "it",
    "its",
    "many",
    "most",
    "on",
    "one",
    "our",
    "since",
    "some",
    "that",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "today",
    "two",
    "we",
    "when",
    "while",
    "with",
];

/// Whether a page's first line is a headline, not a name: four words or
/// more that are not a name's (`Five river groups to watch this spring`).
pub fn is_headline(title: &str) -> bool {
    title.split_whitespace().count() >= 4 && !is_org_name(title)
}

/// The organization an entry opens with: its leading run of capitalized
/// words (`Blue Delta Collective is …`, `The Riverside Legal Clinic
/// received …`, `Upstream Farmers Union, set up in 2015, …`), a leading
/// "The" left out. `None` when the entry opens otherwise.
pub fn lead_org(text: &str) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    for w in text.split_whitespace() {
        let bare = w.trim_end_matches([',', ';', ':']);
        let first = bare.chars().next()?;
        let connector = !words.is_empty()
            && dossier_model::names::CONNECTORS.contains(&bare.to_lowercase().as_str());
        if first.is_uppercase() || connector {
            words.push(bare);
            if bare.len() != w.len() {
                break;
            }
        } else {
            break;
        }
    }
    // A connector is never last (`Friends of`).
    while words
        .last()
        .is_some_and(|w| dossier_model::names::CONNECTORS.contains(&w.to_lowercase().as_str()))
    {
        words.pop();
    }
    if words.first().is_some_and(|w| *w == "The") {
        words.remove(0);
    }
    let first = words.first()?;
    if words.len() == 1 && OPENERS.contains(&first.to_lowercase().as_str()) {
        return None;
    }
    let name = words.join(" ");
    is_org_name(&name).then_some(name)
}

/// A line of site chrome: links in a row (`Subscribe · About us · Contact`).
pub fn is_nav_line(text: &str) -> bool {
    let parts: Vec<&str> = text.split(['·', '|', '•']).map(str::trim).collect();
    parts.len() >= 3 && parts.iter().all(|p| p.split_whitespace().count() <= 4)
}

/// The year an entry says its organization was founded, and by whom:
/// `founded in 2022 by Tomas Reyes`, `set up in 2015`, `established in
/// 2009 by A and B`.
pub fn founding(text: &str) -> Option<(Option<u16>, Vec<String>)> {
    let lower = text.to_ascii_lowercase(); // byte for byte: offsets hold in `text`
    let at = ["founded", "set up", "established", "created", "launched"]
        .iter()
        .filter_map(|v| lower.find(v).map(|i| i + v.len()))
        .min()?;
    let rest = &text[at..];
    let clause_end = rest.find(['.', ';']).unwrap_or(rest.len());
    let clause = &rest[..clause_end];
    let year = clause
        .split(|c: char| !c.is_ascii_digit())
        .find(|d| d.len() == 4)
        .and_then(|d| d.parse::<u16>().ok())
        .filter(|y| (1800..=2100).contains(y));
    let mut founders = Vec::new();
    if let Some(by) = clause.find(" by ") {
        let names = &clause[by + 4..];
        for part in names.split(", ").flat_map(|p| p.split(" and ")) {
            let name: Vec<&str> = part
                .split_whitespace()
                .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
                .collect();
            // "the lawyer Ada Okafor": the name is the capitalized tail.
            let tail: Vec<&str> = part
                .split_whitespace()
                .skip_while(|w| !w.chars().next().is_some_and(char::is_uppercase))
                .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
                .collect();
            let name = if name.is_empty() { tail } else { name };
            if (2..=4).contains(&name.len()) {
                founders.push(name.join(" "));
            }
        }
    }
    (year.is_some() || !founders.is_empty()).then_some((year, founders))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_and_leads() {
        assert!(is_headline("Five river groups to watch this spring"));
        assert!(!is_headline("Blue Delta Collective"));
        assert_eq!(
            lead_org("Blue Delta Collective is a network").as_deref(),
            Some("Blue Delta Collective")
        );
        assert_eq!(
            lead_org("Upstream Farmers Union, set up in 2015, speaks").as_deref(),
            Some("Upstream Farmers Union")
        );
        assert_eq!(
            lead_org("The Riverside Legal Clinic received money").as_deref(),
            Some("Riverside Legal Clinic")
        );
        assert_eq!(lead_org("Every week we look"), None);
        assert_eq!(lead_org("critics say"), None);
        assert!(is_nav_line(
            "Subscribe to our newsletter · About us · Contact"
        ));
        assert!(!is_nav_line("A sentence · with one dot."));
    }

    #[test]
    fn founders_and_years() {
        assert_eq!(
            founding("a network founded in 2022 by Tomas Reyes. It has"),
            Some((Some(2022), vec!["Tomas Reyes".to_string()]))
        );
        assert_eq!(
            founding("Union, set up in 2015, speaks"),
            Some((Some(2015), vec![]))
        );
        assert_eq!(
            founding("founded in 2009 by the lawyer Ada Okafor to support"),
            Some((Some(2009), vec!["Ada Okafor".to_string()]))
        );
        assert_eq!(founding("It speaks for farms"), None);
    }
}
