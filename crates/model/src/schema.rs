//! The schemata Dossier speaks: the whole FollowTheMoney model, with FtM's
//! names, labels and types, plus Dossier's own `Claim`, `Quotation`,
//! `Anchor` and `Judgement`.
//!
//! FtM's part is a table generated from the pinned `followthemoney` package
//! (`scripts/gen-ftm-model`, in `ftm_model.rs`) rather than FtM's YAML read
//! at run time: the model crate does no IO, and `scripts/test` checks the
//! table against the package, so it cannot drift.

use crate::ftm_model::FTM;
pub use crate::ftm_model::FTM_VERSION;

/// What kind of value a property holds. Mirrors FtM's property types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropType {
    /// A name of a person or organization (matched, normalized).
    Name,
    /// A short string.
    String,
    /// Long text.
    Text,
    /// A partial ISO date: `2021`, `2021-05` or `2021-05-28`.
    Date,
    /// A lower-case ISO 3166-1 alpha-2 code.
    Country,
    /// The id of another entity.
    Entity,
    /// A web address.
    Url,
    /// A decimal number.
    Number,
    /// An identifier such as a registration number.
    Identifier,
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// A hex digest.
    Checksum,
    /// An FtM topic code from its fixed vocabulary.
    Topic,
    /// A postal address.
    Address,
    /// A MIME type.
    MimeType,
    /// A language code.
    Language,
    /// `male`, `female` or `other`.
    Gender,
    /// An IP address.
    Ip,
    /// HTML text.
    Html,
    /// A JSON document.
    Json,
}

impl PropType {
    /// FtM's name of the type, as used in the statements CSV `prop_type` column.
    pub fn ftm_name(self) -> &'static str {
        match self {
            PropType::Name => "name",
            PropType::String => "string",
            PropType::Text => "text",
            PropType::Date => "date",
            PropType::Country => "country",
            PropType::Entity => "entity",
            PropType::Url => "url",
            PropType::Number => "number",
            PropType::Identifier => "identifier",
            PropType::Email => "email",
            PropType::Phone => "phone",
            PropType::Checksum => "checksum",
            PropType::Topic => "topic",
            PropType::Address => "address",
            PropType::MimeType => "mimetype",
            PropType::Language => "language",
            PropType::Gender => "gender",
            PropType::Ip => "ip",
            PropType::Html => "html",
            PropType::Json => "json",
        }
    }
}

/// One property of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Property {
    pub name: &'static str,
    /// FtM's English label (empty for Dossier's own: see [`Property::label`]).
    pub label: &'static str,
    pub kind: PropType,
    /// For entity properties: the schema the referenced entity must be (or descend from).
    pub range: Option<&'static str>,
    /// For entity properties: the name and label the link has seen from
    /// the entity it points to (`payer` → `paymentPayer`, "Payments made").
    pub reverse: Option<(&'static str, &'static str)>,
}

impl Property {
    /// A label to show: FtM's, or the name spelled out (`eventDate` →
    /// "Event date").
    pub fn label(&self) -> String {
        if !self.label.is_empty() {
            return self.label.to_string();
        }
        spelled(self.name)
    }
}

/// `eventDate` → "Event date".
fn spelled(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// One schema: a kind of entity.
#[derive(Debug, PartialEq, Eq)]
pub struct Schema {
    pub name: &'static str,
    /// FtM's English label and plural ("Company", "Companies").
    pub label: &'static str,
    pub plural: &'static str,
    /// Direct parents, as in FtM's `extends`.
    pub extends: &'static [&'static str],
    /// Abstract schemata cannot be instantiated.
    pub is_abstract: bool,
    /// Properties required on an entity of exactly this schema (FtM does not inherit these).
    pub required: &'static [&'static str],
    /// The properties FtM shows first.
    pub featured: &'static [&'static str],
    /// The properties an entity's caption is taken from, the first with a value.
    pub caption: &'static [&'static str],
    /// Properties defined on this schema itself (inherited ones live on the parents).
    pub own: &'static [Property],
    /// True for FtM schemata; false for Dossier's own.
    pub ftm: bool,
    /// True for relationship kinds (edges between two entities).
    pub edge: Option<(&'static str, &'static str)>,
}

const fn p(name: &'static str, kind: PropType) -> Property {
    Property {
        name,
        label: "",
        kind,
        range: None,
        reverse: None,
    }
}

const fn e(name: &'static str, range: &'static str) -> Property {
    Property {
        name,
        label: "",
        kind: PropType::Entity,
        range: Some(range),
        reverse: None,
    }
}

use PropType as T;

static DOSSIER: &[Schema] = &[
    // Dossier's own schemata. They have no FtM equivalent; the FtM export maps
    // them onto Note and Event (see dossier-formats).
    Schema {
        name: "Claim",
        label: "Claim",
        plural: "Claims",
        featured: &["kind", "text", "subject", "source"],
        caption: &["text"],
        extends: &[],
        is_abstract: false,
        required: &["kind", "text", "source"],
        own: &[
            // `quote`, `assessment` or `fact`.
            p("kind", T::String),
            p("text", T::Text),
            e("subject", "Thing"),
            e("mentions", "Thing"),
            p("eventDate", T::Date),
            p("topic", T::String),
            p("section", T::String),
            e("source", "Document"),
            e("assertedBy", "LegalEntity"),
            e("replyTo", "Claim"),
        ],
        ftm: false,
        edge: None,
    },
    Schema {
        name: "Quotation",
        label: "Quotation",
        plural: "Quotations",
        featured: &["text", "speaker", "claim"],
        caption: &["text"],
        extends: &[],
        is_abstract: false,
        required: &["claim", "text"],
        own: &[
            e("claim", "Claim"),
            // The exact quoted string (normalized; the original typography is
            // kept in the statement's original_value).
            p("text", T::Text),
            e("speaker", "LegalEntity"),
        ],
        ftm: false,
        edge: None,
    },
    // Where a quotation stands in its origin: the W3C Web Annotation
    // selectors (TextQuoteSelector, TextPositionSelector in code points) and
    // the archived copy (SHA-256) they were made against. Its statements cite
    // the origin document; their `origin` column says how it was found.
    Schema {
        name: "Anchor",
        label: "Anchor",
        plural: "Anchors",
        featured: &["quotation", "document", "exact", "verdict"],
        caption: &["exact"],
        extends: &[],
        is_abstract: false,
        required: &["quotation", "document", "exact"],
        own: &[
            e("quotation", "Quotation"),
            e("document", "Document"),
            p("exact", T::Text),
            p("prefix", T::Text),
            p("suffix", T::Text),
            p("start", T::Number),
            p("end", T::Number),
            p("archivedCopy", T::Checksum),
            p("method", T::String),
            // What the last check found (`dossier verify`): the verdict
            // (verified, altered, not found, not an origin), when (UTC
            // timestamp), against which archived copy (SHA-256), by which
            // search, the word difference of an altered quotation, and why
            // a document is not the quotation's origin.
            p("verdict", T::String),
            p("checkedAt", T::String),
            p("checkedCopy", T::Checksum),
            p("foundBy", T::String),
            p("difference", T::Text),
            p("refusal", T::Text),
        ],
        ftm: false,
        edge: None,
    },
    // A reviewer's decision on whether two entities are the same (entity
    // resolution): `same`, `not_same`, `unsure`, or `none` once taken back.
    // Its statements come from the reviewer's review document, so the log
    // keeps who decided what and when. Not exported to FtM.
    Schema {
        name: "Judgement",
        label: "Judgement",
        plural: "Judgements",
        featured: &["left", "right", "verdict"],
        caption: &["verdict"],
        extends: &[],
        is_abstract: false,
        required: &["left", "right", "verdict"],
        own: &[
            // The two ids as judged, not references: a merge the judgement
            // led to must not rewrite the judgement itself.
            p("left", T::Identifier),
            p("right", T::Identifier),
            p("verdict", T::String),
            p("note", T::Text),
        ],
        ftm: false,
        edge: None,
    },
];

impl Schema {
    /// Looks a schema up by name.
    pub fn get(name: &str) -> Option<&'static Schema> {
        match FTM.binary_search_by(|s| s.name.cmp(name)) {
            Ok(i) => Some(&FTM[i]),
            Err(_) => DOSSIER.iter().find(|s| s.name == name),
        }
    }

    /// Every schema in the registry: FtM's, then Dossier's own.
    pub fn all() -> impl Iterator<Item = &'static Schema> {
        FTM.iter().chain(DOSSIER)
    }

    /// This schema and all its ancestors, nearest first, each once.
    pub fn lineage(&'static self) -> Vec<&'static Schema> {
        let mut out: Vec<&'static Schema> = vec![self];
        let mut i = 0;
        while i < out.len() {
            for parent in out[i].extends {
                if let Some(s) = Schema::get(parent) {
                    if !out.iter().any(|o| o.name == s.name) {
                        out.push(s);
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// True when this schema is `other` or descends from it.
    pub fn is_a(&'static self, other: &str) -> bool {
        // Walked without collecting the lineage: this runs for every value.
        self.name == other
            || self
                .extends
                .iter()
                .any(|n| Schema::get(n).is_some_and(|s| s.is_a(other)))
    }

    /// A property of this schema, own or inherited (the same name on two
    /// ancestors has the same type in FtM's model).
    pub fn property(&'static self, name: &str) -> Option<&'static Property> {
        self.own.iter().find(|p| p.name == name).or_else(|| {
            self.extends
                .iter()
                .filter_map(|n| Schema::get(n))
                .find_map(|s| s.property(name))
        })
    }

    /// All properties, own and inherited, each name once.
    pub fn properties(&'static self) -> Vec<&'static Property> {
        let mut out: Vec<&'static Property> = Vec::new();
        for s in self.lineage() {
            for prop in s.own {
                if !out.iter().any(|o| o.name == prop.name) {
                    out.push(prop);
                }
            }
        }
        out
    }

    /// Of two schemata an entity was given, the more specific one, if they are
    /// on one line of descent (`Organization` + `PublicBody` gives `PublicBody`).
    pub fn more_specific(a: &'static Schema, b: &'static Schema) -> Option<&'static Schema> {
        if a.is_a(b.name) {
            Some(a)
        } else if b.is_a(a.name) {
            Some(b)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inheritance_reaches_thing() {
        let s = Schema::get("PublicBody").unwrap();
        assert!(s.is_a("Organization"));
        assert!(s.is_a("Thing"));
        assert!(!s.is_a("Person"));
        assert_eq!(s.property("country").unwrap().kind, PropType::Country);
        assert_eq!(s.property("abbreviation").unwrap().kind, PropType::Name);
    }

    #[test]
    fn entity_ranges_name_known_schemata() {
        for schema in Schema::all() {
            for prop in schema.own {
                if let Some(range) = prop.range {
                    assert!(
                        Schema::get(range).is_some(),
                        "{}.{}",
                        schema.name,
                        prop.name
                    );
                }
            }
            for req in schema.required {
                assert!(schema.property(req).is_some(), "{}.{req}", schema.name);
            }
        }
    }

    #[test]
    fn every_ftm_schema_is_found_and_names_reach_one_type() {
        let ftm: Vec<&Schema> = Schema::all().filter(|s| s.ftm).collect();
        assert_eq!(ftm.iter().filter(|s| !s.is_abstract).count(), 66);
        for s in &ftm {
            assert_eq!(Schema::get(s.name).map(|g| g.name), Some(s.name));
            // A property named on two ancestors has one type, so the
            // first found is the property.
            for a in s.lineage() {
                for p in a.own {
                    assert_eq!(
                        s.property(p.name).map(|q| q.kind),
                        Some(p.kind),
                        "{}.{}",
                        s.name,
                        p.name
                    );
                }
            }
        }
    }

    #[test]
    fn more_specific_picks_descendant() {
        let org = Schema::get("Organization").unwrap();
        let pb = Schema::get("PublicBody").unwrap();
        let person = Schema::get("Person").unwrap();
        assert_eq!(Schema::more_specific(org, pb).unwrap().name, "PublicBody");
        assert!(Schema::more_specific(org, person).is_none());
    }
}
