//! What a page's layout says, wherever on the page it stands: an address
//! block under `Contact Information`, `Email:` and `Phone:` lines inside a
//! section, an organization's objectives under their own heading. Both
//! readers (text and HTML) give a [`ProfileDoc`]; this turns such blocks
//! into the head fields the extractor reads, so no layout loses them.

use dossier_model::country::country_code;

use crate::document::{Field, Item, ProfileDoc};
use crate::labels::{field_kind, section_role, split_label, FieldKind, SectionRole};

/// Labels that name a contact detail, read as fields in any section.
fn is_contact_label(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::Email
            | FieldKind::Phone
            | FieldKind::Fax
            | FieldKind::Website
            | FieldKind::Address
    )
}

/// `Label: value` with a contact label, from an item's text.
fn contact_line(text: &str) -> Option<(&'static str, &str)> {
    let (label, value) = split_label(text)?;
    let kind = field_kind(label)?;
    (is_contact_label(kind) && value.chars().count() <= 200).then_some((label, value))
}

/// Removes reference marks and editorial notes copied with a page's text:
/// `[1]`, `[ 12 ]`, `[a]`, `[citation needed]`, `[ clarification needed ]`.
pub fn strip_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let inner = rest[open + 1..close].trim().to_lowercase();
        // A footnote number, a footnote letter, an editor's query.
        let mark =
            (!inner.is_empty() && inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_digit()))
                || (inner.len() == 1 && inner.chars().all(|c| c.is_ascii_lowercase()))
                || inner.ends_with("needed")
                || inner.starts_with("note ")
                || ["dubious", "disputed", "who?", "when?", "according to whom?"]
                    .contains(&inner.as_str());
        out.push_str(&rest[..open]);
        if !mark {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    let tidy = out.split_whitespace().collect::<Vec<_>>().join(" ");
    tidy.replace(" .", ".")
        .replace(" ,", ",")
        .replace(" ;", ";")
}

/// A field's value without what a layout puts before it (`• Lagos`).
fn bare(value: &str) -> String {
    value
        .trim()
        .trim_start_matches(['•', '·', '-', '–', '|', ':'])
        .trim()
        .to_string()
}

/// Takes address blocks, contact lines and statements of purpose out of
/// the sections and into the fields, founders and key people into a
/// people section; removes reference marks and a page's apparatus (its
/// contents, references, links). Sections left empty are dropped.
pub fn regroup(doc: &mut ProfileDoc) {
    crate::byline::take_byline(doc);
    for f in &mut doc.fields {
        f.value = bare(&strip_marks(&f.value));
    }
    for s in &mut doc.sections {
        s.title = strip_marks(&s.title);
        strip_items(&mut s.items);
    }
    doc.sections
        .retain(|s| section_role(&s.title) != SectionRole::Apparatus);
    let mut fields = Vec::new();
    for section in &mut doc.sections {
        match section_role(&section.title) {
            SectionRole::Contact => {
                let items = std::mem::take(&mut section.items);
                contact_block(&flatten(items), &mut fields);
            }
            SectionRole::OwnWords => {
                for item in flatten(std::mem::take(&mut section.items)) {
                    fields.push(Field {
                        label: "In their own words".into(),
                        value: item.text,
                        pos: item.pos,
                    });
                }
            }
            _ => {
                section.items.retain(|item| {
                    if item.children.is_empty() {
                        if let Some((label, value)) = contact_line(&item.text) {
                            fields.push(Field {
                                label: label.to_string(),
                                value: value.to_string(),
                                pos: item.pos,
                            });
                            return false;
                        }
                    }
                    true
                });
            }
        }
    }
    doc.sections
        .retain(|s| !s.items.is_empty() || matches!(section_role(&s.title), SectionRole::Claims));
    doc.fields.extend(fields);
    people_from_fields(doc);
    country_from_address(doc);
}

fn strip_items(items: &mut [Item]) {
    for item in items {
        item.text = strip_marks(&item.text);
        strip_items(&mut item.children);
    }
}

/// `Founder` and `Key people` fields become entries of a people section:
/// `A (President); B, Managing Director` one entry a person.
fn people_from_fields(doc: &mut ProfileDoc) {
    let mut items = Vec::new();
    for f in &doc.fields {
        let founder = match field_kind(&f.label) {
            Some(FieldKind::Founder) => true,
            Some(FieldKind::KeyPeople) => false,
            _ => continue,
        };
        // Founders are listed with commas and "and"; key people's commas
        // hold their roles.
        let parts: Vec<&str> = f
            .value
            .split(';')
            .flat_map(|p| match founder {
                true => p.split(", ").flat_map(|q| q.split(" and ")).collect(),
                false => vec![p],
            })
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        for part in parts {
            items.push(Item {
                text: match founder {
                    true => format!("{part}, Founder"),
                    false => part.to_string(),
                },
                pos: f.pos,
                bullet: true,
                children: Vec::new(),
            });
        }
    }
    if let Some(first) = items.first() {
        let pos = first.pos;
        doc.sections.push(crate::document::Section {
            title: "Key people".into(),
            level: 2,
            pos,
            items,
        });
    }
}

/// A country read from the end of an address (`Lagos, Nigeria`), when the
/// page names none.
fn country_from_address(doc: &mut ProfileDoc) {
    let has_country = doc
        .fields
        .iter()
        .any(|f| field_kind(&f.label) == Some(FieldKind::Country));
    if has_country {
        return;
    }
    let found = doc.fields.iter().find_map(|f| {
        if field_kind(&f.label) != Some(FieldKind::Address) {
            return None;
        }
        let tail = f.value.rsplit(',').next()?.trim();
        // A country's name, not a two-letter code: `Omaha, NE` is in
        // Nebraska, not Niger.
        let named = tail.chars().count() > 3 || ["UK", "USA", "U.S.", "U.K."].contains(&tail);
        named
            .then(|| country_code(tail))
            .flatten()
            .map(|_| (tail.to_string(), f.pos))
    });
    if let Some((country, pos)) = found {
        doc.fields.push(Field {
            label: "Country".into(),
            value: country,
            pos,
        });
    }
}

fn flatten(items: Vec<Item>) -> Vec<Item> {
    let mut out = Vec::new();
    for mut item in items {
        let children = std::mem::take(&mut item.children);
        out.push(item);
        out.extend(flatten(children));
    }
    out
}

/// An address block: labelled lines are their fields, a line naming a
/// country gives the country, the other lines are the address.
fn contact_block(items: &[Item], fields: &mut Vec<Field>) {
    let mut address: Vec<&str> = Vec::new();
    let mut at = None;
    for item in items {
        let text = item.text.trim();
        if let Some((label, value)) = split_label(text) {
            fields.push(Field {
                label: label.to_string(),
                value: value.to_string(),
                pos: item.pos,
            });
            continue;
        }
        if country_code(text).is_some() {
            fields.push(Field {
                label: "Country".into(),
                value: text.to_string(),
                pos: item.pos,
            });
        }
        at.get_or_insert(item.pos);
        address.push(text);
    }
    if let Some(pos) = at {
        fields.push(Field {
            label: "Address".into(),
            value: address.join(", "),
            pos,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Pos, Section};

    fn item(text: &str) -> Item {
        Item {
            text: text.into(),
            pos: Pos::new(1, 1),
            bullet: true,
            children: Vec::new(),
        }
    }

    #[test]
    fn reference_marks_and_notes_are_removed() {
        assert_eq!(
            strip_marks("Legal Advisor [1]; founded [ citation needed ] in 2009 [a]."),
            "Legal Advisor; founded in 2009."
        );
        assert_eq!(strip_marks("a [sic] quote [Ed.]"), "a [sic] quote [Ed.]");
        assert_eq!(strip_marks("unclosed [ bracket"), "unclosed [ bracket");
    }

    #[test]
    fn an_address_block_becomes_fields() {
        let mut doc = ProfileDoc {
            title: "X".into(),
            sections: vec![
                Section {
                    title: "Contact Information".into(),
                    level: 2,
                    pos: Pos::new(2, 1),
                    items: vec![
                        item("12 Quay Road"),
                        item("Port Ellen"),
                        item("United Kingdom"),
                        item("Email: a@b.example"),
                        item("Fax: 123"),
                    ],
                },
                Section {
                    title: "Objectives".into(),
                    level: 2,
                    pos: Pos::new(9, 1),
                    items: vec![item("\"To keep the harbours open.\"")],
                },
                Section {
                    title: "History".into(),
                    level: 2,
                    pos: Pos::new(12, 1),
                    items: vec![item("Phone: +44 1"), item("It began in a shed.")],
                },
            ],
            ..Default::default()
        };
        regroup(&mut doc);
        let got: Vec<(&str, &str)> = doc
            .fields
            .iter()
            .map(|f| (f.label.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Country", "United Kingdom"),
                ("Email", "a@b.example"),
                ("Fax", "123"),
                ("Address", "12 Quay Road, Port Ellen, United Kingdom"),
                ("In their own words", "\"To keep the harbours open.\""),
                ("Phone", "+44 1"),
            ]
        );
        assert_eq!(doc.sections.len(), 1);
        assert_eq!(doc.sections[0].items.len(), 1);
    }
}
