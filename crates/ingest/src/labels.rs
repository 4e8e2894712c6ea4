//! The labels a profile page uses for its head fields, in the spellings seen
//! on such pages. Plain-text pages glue the label to its value
//! (`Country/TerritoryUnited States`), so the labels must be known to be split.

/// What a head field means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Country,
    OwnWords,
    Website,
    Founded,
    RegistrationNumber,
    Alias,
    PreviousName,
    Abbreviation,
    Address,
    Email,
    Phone,
    LegalForm,
    Status,
    Sector,
    Summary,
    Description,
    /// `Type`: an organization's kind; government kinds make it a PublicBody.
    Kind,
    /// A fax number: FtM's model has no place for one.
    Fax,
    /// Who founded it: people, each a founder.
    Founder,
    /// People with their roles (`A (President); B, Managing Director`).
    KeyPeople,
    /// Of the page itself, not its subject: who wrote it, when it was
    /// published, who published it (a byline, a page's metadata).
    Author,
    Published,
    Publisher,
}

/// What a section holds, told by its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionRole {
    Members,
    Networks,
    Partners,
    Funding,
    People {
        board: bool,
    },
    /// An address block with contact lines (`Contact Information`).
    Contact,
    /// The organization's own statement of purpose (`Objectives`).
    OwnWords,
    /// A page's own apparatus: a table of contents, references, links.
    Apparatus,
    Claims,
}

/// The role of a section, from its heading (case, a trailing colon and
/// `our` ignored).
pub fn section_role(title: &str) -> SectionRole {
    let t = dossier_model::text::clean(title).to_lowercase();
    let t = t.trim_end_matches(':').trim();
    let t = t.strip_prefix("our ").unwrap_or(t);
    match t {
        "key members"
        | "members"
        | "member organizations"
        | "member organisations"
        | "membership"
        | "notable members"
        | "selected members" => SectionRole::Members,
        "member of" | "networks" | "affiliations" | "memberships" | "networks and coalitions" => {
            SectionRole::Networks
        }
        "partners"
        | "key partners"
        | "partner organizations"
        | "partner organisations"
        | "partnerships" => SectionRole::Partners,
        "funding" | "funders" | "donors" | "key donors" | "financial support"
        | "sources of funding" | "funding sources" | "government funding" | "grants" => {
            SectionRole::Funding
        }
        "contact"
        | "contact information"
        | "contact info"
        | "contact details"
        | "contacts"
        | "address"
        | "postal address"
        | "headquarters"
        | "office"
        | "offices" => SectionRole::Contact,
        "objectives"
        | "aims"
        | "goals"
        | "mission"
        | "vision"
        | "purpose"
        | "mission statement"
        | "aims and objectives"
        | "stated objectives"
        | "stated aims"
        | "mission and vision"
        | "vision and mission"
        // A register's page quotes what the body says it does.
        | "what the charity does"
        | "what the organisation does"
        | "what the organization does"
        | "charitable objects"
        | "objects"
        | "about us"
        | "who we are" => SectionRole::OwnWords,
        "contents"
        | "table of contents"
        | "references"
        | "notes"
        | "citations"
        | "external links"
        | "see also"
        | "further reading"
        | "notes and references"
        | "bibliography"
        | "footnotes"
        // A news site's chrome around an article.
        | "related"
        | "related stories"
        | "related articles"
        | "related content"
        | "related links"
        | "read more"
        | "more stories"
        | "more from this section"
        | "most read"
        | "most popular"
        | "you may also like"
        | "recommended"
        | "recommended for you"
        | "share"
        | "share this"
        | "share this article"
        | "newsletter"
        | "sign up"
        | "comments"
        | "advertisement" => SectionRole::Apparatus,
        _ if is_board_heading(t) => SectionRole::People { board: true },
        "key people" | "key staff" | "staff" | "leadership" | "founders" | "management"
        | "people" | "key persons" | "officers" | "team" | "executive team" | "secretariat"
        | "leadership team" | "senior staff" => SectionRole::People { board: false },
        _ => SectionRole::Claims,
    }
}

/// A heading naming a body of people who govern or advise: `Board`,
/// `International Advisory Board`, `Board of Trustees`, `Steering Committee`.
fn is_board_heading(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    words == ["directors"]
        || (words.len() <= 5
            && words.iter().any(|w| {
                matches!(
                    *w,
                    "board" | "trustees" | "council" | "committee" | "advisors" | "advisers"
                )
            }))
}

/// Label spellings, longest first within a prefix family so that
/// `Country/Territory` wins over `Country`.
pub const LABELS: &[(&str, FieldKind)] = &[
    ("Country/Territory", FieldKind::Country),
    ("Countries/Territories", FieldKind::Country),
    ("Country of Registration", FieldKind::Country),
    ("Countries", FieldKind::Country),
    ("Country", FieldKind::Country),
    ("Territory", FieldKind::Country),
    ("In their own words", FieldKind::OwnWords),
    ("In its own words", FieldKind::OwnWords),
    ("Mission Statement", FieldKind::OwnWords),
    ("Mission", FieldKind::OwnWords),
    ("Website", FieldKind::Website),
    ("Web site", FieldKind::Website),
    ("Homepage", FieldKind::Website),
    ("Year Founded", FieldKind::Founded),
    ("Founded in", FieldKind::Founded),
    ("Founded", FieldKind::Founded),
    ("Established", FieldKind::Founded),
    ("Date of Incorporation", FieldKind::Founded),
    ("Incorporated", FieldKind::Founded),
    ("Date registered", FieldKind::Founded),
    ("Registration date", FieldKind::Founded),
    ("Date of registration", FieldKind::Founded),
    ("Registration Number", FieldKind::RegistrationNumber),
    ("Registration No.", FieldKind::RegistrationNumber),
    ("Registered Charity Number", FieldKind::RegistrationNumber),
    ("Charity Number", FieldKind::RegistrationNumber),
    ("Company Number", FieldKind::RegistrationNumber),
    ("EIN", FieldKind::RegistrationNumber),
    ("Tax ID (EIN)", FieldKind::RegistrationNumber),
    ("Tax ID", FieldKind::RegistrationNumber),
    (
        "Employer Identification Number",
        FieldKind::RegistrationNumber,
    ),
    ("Also known as", FieldKind::Alias),
    ("Other names", FieldKind::Alias),
    ("Alias", FieldKind::Alias),
    ("AKA", FieldKind::Alias),
    ("Formerly", FieldKind::PreviousName),
    ("Previous name", FieldKind::PreviousName),
    ("Acronym", FieldKind::Abbreviation),
    ("Abbreviation", FieldKind::Abbreviation),
    ("Headquarters", FieldKind::Address),
    ("Location", FieldKind::Address),
    ("Founded by", FieldKind::Founder),
    ("Founders", FieldKind::Founder),
    ("Founder", FieldKind::Founder),
    ("Key people", FieldKind::KeyPeople),
    ("Key persons", FieldKind::KeyPeople),
    ("Leadership", FieldKind::KeyPeople),
    ("Address", FieldKind::Address),
    ("Registered address", FieldKind::Address),
    ("Registered office", FieldKind::Address),
    ("Registered office address", FieldKind::Address),
    ("Head office", FieldKind::Address),
    ("Postal address", FieldKind::Address),
    ("E-mail", FieldKind::Email),
    ("Email", FieldKind::Email),
    ("Telephone", FieldKind::Phone),
    ("Phone", FieldKind::Phone),
    ("Tel.", FieldKind::Phone),
    ("Tel", FieldKind::Phone),
    ("Fax", FieldKind::Fax),
    ("Legal Form", FieldKind::LegalForm),
    ("Legal Status", FieldKind::LegalForm),
    ("Type", FieldKind::Kind),
    ("Status", FieldKind::Status),
    ("Sector", FieldKind::Sector),
    ("Summary", FieldKind::Summary),
    ("Description", FieldKind::Description),
    ("Author", FieldKind::Author),
    ("Authors", FieldKind::Author),
    ("Written by", FieldKind::Author),
    ("Published", FieldKind::Published),
    ("Publication date", FieldKind::Published),
    ("Date published", FieldKind::Published),
    ("Publisher", FieldKind::Publisher),
];

/// The kind of a label given on its own (HTML `th`, `dt`, `label`), ignoring
/// case and a trailing colon.
pub fn field_kind(label: &str) -> Option<FieldKind> {
    let label = label.trim().trim_end_matches(':').trim();
    LABELS
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(label))
        .map(|(_, k)| *k)
}

/// Splits a plain-text head line into a known label and its value:
/// `Country/TerritoryUnited States`, `Website: https://…`, `Founded 1996`.
/// The value must be separated from the label by a colon, space, quote or
/// a change of case; `Countryside` is not `Country` + `side`.
pub fn split_label(line: &str) -> Option<(&'static str, &str)> {
    let trimmed = line.trim_start();
    let mut best: Option<(&'static str, &str)> = None;
    for (label, _) in LABELS {
        let Some(head) = trimmed.get(..label.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(label) {
            continue;
        }
        let rest = &trimmed[label.len()..];
        let next = rest.chars().next();
        let separated = match next {
            None => false,
            Some(c) if c == ':' || c.is_whitespace() || !c.is_alphanumeric() => true,
            // Glued: the value starts with a capital after the label's last letter.
            Some(c) => c.is_uppercase() || c.is_ascii_digit(),
        };
        if separated && best.is_none_or(|(b, _)| label.len() > b.len()) {
            let value = rest.trim_start_matches(|c: char| c == ':' || c.is_whitespace());
            best = Some((label, value));
        }
    }
    best.filter(|(_, v)| !v.trim().is_empty())
}

/// Splits `Label: value` when the label is not a known one: a short,
/// capitalized phrase (1–4 words) before a colon or a tab (`Annual Budget:
/// €2.4 million`).
pub fn split_any_label(line: &str) -> Option<(&str, &str)> {
    // A colon, or a tab (an infobox copied as text: `Revenue<TAB>€ 2m`).
    let line = line.trim();
    let (label, value) = line.split_once(':').or_else(|| line.split_once('\t'))?;
    let words = label.split_whitespace().count();
    let value = value.trim();
    let ok = (1..=4).contains(&words)
        && label.chars().count() <= 40
        && label.chars().next().is_some_and(char::is_uppercase)
        && !label.contains(['.', ',', ';', '"', '\u{201C}'])
        // A parenthesis only as the label's last words: `Budget (2022)`.
        && (!label.contains('(') || (label.trim_end().ends_with(')') && label.matches('(').count() == 1))
        && !value.is_empty()
        && !value.starts_with("//");
    ok.then_some((label.trim(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_and_separated_labels() {
        assert_eq!(
            split_label("Country/TerritoryUnited States"),
            Some(("Country/Territory", "United States"))
        );
        assert_eq!(
            split_label("In their own words\u{201C}a network\u{201D}"),
            Some(("In their own words", "\u{201C}a network\u{201D}"))
        );
        assert_eq!(
            split_label("Website: https://example.org"),
            Some(("Website", "https://example.org"))
        );
        assert_eq!(split_label("Founded1996"), Some(("Founded", "1996")));
        assert_eq!(split_label("Countryside matters"), None);
        assert_eq!(split_label("Political Advocacy"), None);
        assert_eq!(split_label("Country"), None);
        assert_eq!(field_kind("country:"), Some(FieldKind::Country));
        assert_eq!(
            split_any_label("Annual Budget: \u{20AC}2.4 million"),
            Some(("Annual Budget", "\u{20AC}2.4 million"))
        );
        assert_eq!(split_any_label("In May 2021, they said: this"), None);
        assert_eq!(split_any_label("https://example.org"), None);
    }
}
