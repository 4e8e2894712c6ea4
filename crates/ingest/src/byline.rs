//! What a page says of itself: who wrote it, when it was published, who
//! published it — from a byline under the title (`By Lena Marsh · 18 March
//! 2024`) or the page's metadata (`<meta name="author">`,
//! `article:published_time`, `og:site_name`). These describe the source
//! Document, never its subject, and are never claims.

use dossier_model::date::find_dates;

use crate::document::{Field, Pos, ProfileDoc};
use crate::labels::{field_kind, FieldKind};

/// The longest line read as a byline.
const MAX_BYLINE: usize = 160;

/// Reads a byline: `By A and B · 18 March 2024`, `By A, Staff Reporter`,
/// `Published 18 March 2024 by A`, `May 2, 2024 | A`, `A, 2 May 2024`.
/// Returns the authors and the date's text; `None` when the line is
/// something else (a sentence that happens to hold a date or "by").
pub fn byline(line: &str) -> Option<(Vec<String>, Option<String>)> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > MAX_BYLINE {
        return None;
    }
    // The date first, wherever it stands (its own commas included).
    let found = find_dates(line);
    let date = found
        .first()
        .and_then(|d| line.get(d.start..d.end))
        .map(str::to_string);
    let mut rest = line.to_string();
    for d in found.iter().rev() {
        if rest.is_char_boundary(d.start) && rest.is_char_boundary(d.end) {
            rest.replace_range(d.start..d.end, " ");
        }
    }
    let mut authors = Vec::new();
    let mut after_by = false;
    for part in rest
        .split(['·', '|', '•', '—', '–', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let mut part = part;
        let mut lower = part.to_lowercase();
        // `Published`, `Updated on`, `Posted`: words about the date.
        for p in ["last updated", "published", "updated", "posted", "on", "at"] {
            if lower == p
                || lower.starts_with(&format!("{p} "))
                || lower.starts_with(&format!("{p}:"))
            {
                part = part[p.len()..].trim_start_matches([' ', ':']).trim();
                lower = part.to_lowercase();
            }
        }
        // A time after the date: `09:30`, `9.30 am`, `14:05 UTC`.
        let time = part
            .trim_end_matches(|c: char| c.is_alphabetic() || c == ' ')
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
            && part.chars().any(|c| c.is_ascii_digit())
            && part.chars().filter(|c| c.is_alphabetic()).count() <= 3;
        if part.is_empty() || time {
            continue;
        }
        let by = ["by ", "written by ", "words by ", "words: ", "text: "]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| part[p.len()..].trim());
        match by {
            Some(names) => {
                for n in names
                    .split(" and ")
                    .flat_map(|n| n.split(" & "))
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                {
                    if !is_name(n) {
                        return None;
                    }
                    authors.push(n.to_string());
                }
                after_by = true;
            }
            // `By A, Staff Reporter`: what follows the names is their role.
            None if after_by && part.split_whitespace().count() <= 4 => {}
            // A name beside a date, without `By`: `May 2, 2024 | A`.
            None if date.is_some() && is_bare_name(part) => {
                authors.push(part.to_string());
            }
            None => return None,
        }
    }
    (!authors.is_empty() || date.is_some()).then_some((authors, date))
}

/// A person's name standing without `By`: a person's name that is not a
/// document's or a body's (`Annual Report`, `Press Office`).
fn is_bare_name(part: &str) -> bool {
    const NOT_NAMES: &[&str] = &[
        "Report",
        "Annual",
        "Review",
        "Update",
        "Updates",
        "News",
        "Press",
        "Release",
        "Statement",
        "Edition",
        "Issue",
        "Volume",
        "Summary",
        "Staff",
        "Editorial",
        "Desk",
        "Team",
        "Office",
        "Newsletter",
        "Bulletin",
        "Brief",
        "Briefing",
    ];
    crate::prose::looks_like_person_name(part)
        && !part.split_whitespace().any(|w| NOT_NAMES.contains(&w))
}

/// A person's name as a byline gives it: two to five words, each
/// capitalized (particles allowed), no digits.
fn is_name(n: &str) -> bool {
    let words: Vec<&str> = n.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && !n.chars().any(|c| c.is_ascii_digit())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || [
                    "de", "van", "von", "der", "da", "di", "la", "le", "bin", "al",
                ]
                .contains(w)
        })
}

/// The label a `<meta>` name or property gives, when it describes the page.
pub fn meta_label(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_lowercase().as_str() {
        "author" | "article:author" | "citation_author" | "dc.creator" | "dcterms.creator"
        | "parsely-author" | "sailthru.author" => "Author",
        "article:published_time"
        | "citation_publication_date"
        | "citation_date"
        | "dc.date"
        | "dcterms.date"
        | "dcterms.issued"
        | "date"
        | "pubdate"
        | "publish-date"
        | "parsely-pub-date"
        | "sailthru.date" => "Published",
        "og:site_name" | "citation_publisher" | "dc.publisher" | "dcterms.publisher" => "Publisher",
        _ => return None,
    })
}

/// Takes a byline from the first lines under the title into fields.
pub fn take_byline(doc: &mut ProfileDoc) {
    let Some(first) = doc.sections.first_mut() else {
        return;
    };
    let mut fields = Vec::new();
    // A byline set apart by blank lines reads as the first heading; a
    // heading that is only a date (`2023`, a timeline's) is not one.
    if !first.title.is_empty() {
        let Some((authors, date)) = byline(&first.title) else {
            return;
        };
        let lower = first.title.to_lowercase();
        let said = ["published", "updated", "last updated", "posted"]
            .iter()
            .any(|p| lower.starts_with(p));
        // Under a headline, a date on its own line is the article's.
        let headline = crate::article::is_headline(&doc.title);
        if authors.is_empty() && !said && !headline {
            return;
        }
        for a in authors {
            fields.push(field("Author", a, first.pos));
        }
        if let Some(d) = date {
            fields.push(field("Published", d, first.pos));
        }
        first.title.clear();
    }
    // The byline stands in the first two lines, or not at all.
    let mut i = 0;
    while i < first.items.len().min(2) {
        let item = &first.items[i];
        let read = (!item.bullet && item.children.is_empty())
            .then(|| byline(&item.text))
            .flatten();
        match read {
            Some((authors, date)) => {
                let pos = item.pos;
                for a in authors {
                    fields.push(field("Author", a, pos));
                }
                if let Some(d) = date {
                    fields.push(field("Published", d, pos));
                }
                first.items.remove(i);
            }
            None => i += 1,
        }
    }
    add_missing(doc, fields);
}

/// Adds fields of the page a byline or metadata gives, unless the page
/// already has a field of that kind.
pub fn add_missing(doc: &mut ProfileDoc, fields: Vec<Field>) {
    for f in fields {
        let kind = field_kind(&f.label);
        let had = doc.fields.iter().any(|g| {
            field_kind(&g.label) == kind && (kind != Some(FieldKind::Author) || g.value == f.value)
        });
        if !had {
            doc.fields.push(f);
        }
    }
}

fn field(label: &str, value: String, pos: Pos) -> Field {
    Field {
        label: label.into(),
        value,
        pos,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_and_what_is_not_one() {
        let (a, d) = byline("By Lena Marsh · 18 March 2024").unwrap();
        assert_eq!(
            (a, d.as_deref()),
            (vec!["Lena Marsh".to_string()], Some("18 March 2024"))
        );
        let (a, _) = byline("By Ana Ruiz and Tom Bell, Staff Reporters").unwrap();
        assert_eq!(a, ["Ana Ruiz", "Tom Bell"]);
        let (a, d) = byline("Published: 2024-03-18 09:30 | By Ines de la Cruz").unwrap();
        assert_eq!((a.len(), d.as_deref()), (1, Some("2024-03-18")));
        assert_eq!(
            byline("18 March 2024").unwrap().1.as_deref(),
            Some("18 March 2024")
        );
        assert!(byline("By the end of 2023 the fund had doubled its grants.").is_none());
        assert!(byline("The group was founded on 3 May 2011 by two lawyers.").is_none());
        assert!(byline("Founded in 2011").is_none());
        let (a, d) = byline("Published 2 May 2024 by Ana Ruiz").unwrap();
        assert_eq!(
            (a, d.as_deref()),
            (vec!["Ana Ruiz".to_string()], Some("2 May 2024"))
        );
        let (a, d) = byline("May 2, 2024 | Ana Ruiz").unwrap();
        assert_eq!(
            (a, d.as_deref()),
            (vec!["Ana Ruiz".to_string()], Some("May 2, 2024"))
        );
        let (a, _) = byline("Ana Ruiz, 2 May 2024").unwrap();
        assert_eq!(a, ["Ana Ruiz"]);
        assert!(byline("2019 Annual Report").is_none());
        assert!(byline("Related Stories").is_none());
    }
}
