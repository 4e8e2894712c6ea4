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

/// Takes address blocks, contact lines and statements of purpose out of
/// the sections and into the fields. Sections left empty are dropped.
pub fn regroup(doc: &mut ProfileDoc) {
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
