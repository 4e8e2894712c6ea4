//! The schemata Dossier speaks: the part of FollowTheMoney it uses, with FtM's
//! names, plus Dossier's own `Claim` and `Quotation`.
//!
//! The registry is a static table rather than FtM's YAML loaded at run time:
//! the model crate does no IO, and the subset is small and changes rarely.
//! Property names and types were taken from `ftm dump-model` (FtM 4.11).

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
        }
    }
}

/// One property of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Property {
    pub name: &'static str,
    pub kind: PropType,
    /// For entity properties: the schema the referenced entity must be (or descend from).
    pub range: Option<&'static str>,
}

/// One schema: a kind of entity.
#[derive(Debug, PartialEq, Eq)]
pub struct Schema {
    pub name: &'static str,
    /// Direct parents, as in FtM's `extends`.
    pub extends: &'static [&'static str],
    /// Abstract schemata cannot be instantiated.
    pub is_abstract: bool,
    /// Properties required on an entity of exactly this schema (FtM does not inherit these).
    pub required: &'static [&'static str],
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
        kind,
        range: None,
    }
}

const fn e(name: &'static str, range: &'static str) -> Property {
    Property {
        name,
        kind: PropType::Entity,
        range: Some(range),
    }
}

use PropType as T;

static SCHEMATA: &[Schema] = &[
    Schema {
        name: "Thing",
        extends: &[],
        is_abstract: true,
        required: &[],
        own: &[
            p("name", T::Name),
            p("alias", T::Name),
            p("previousName", T::Name),
            p("weakAlias", T::Name),
            p("country", T::Country),
            p("summary", T::Text),
            p("notes", T::Text),
            p("description", T::Text),
            p("sourceUrl", T::Url),
            p("publisher", T::String),
            p("publisherUrl", T::Url),
            p("wikipediaUrl", T::Url),
            p("wikidataId", T::Identifier),
            p("keywords", T::String),
            p("topics", T::Topic),
            p("address", T::Address),
            e("proof", "Document"),
            p("createdAt", T::Date),
            p("modifiedAt", T::Date),
            p("retrievedAt", T::Date),
        ],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Analyzable",
        extends: &[],
        is_abstract: true,
        required: &[],
        own: &[
            p("detectedLanguage", T::Language),
            p("detectedCountry", T::Country),
            p("namesMentioned", T::Name),
            p("peopleMentioned", T::Name),
            p("companiesMentioned", T::Name),
        ],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Value",
        extends: &[],
        is_abstract: true,
        required: &[],
        own: &[
            p("amount", T::Number),
            p("currency", T::String),
            p("amountUsd", T::Number),
            p("amountEur", T::Number),
        ],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "LegalEntity",
        extends: &["Thing"],
        is_abstract: false,
        required: &["name"],
        own: &[
            p("abbreviation", T::Name),
            p("email", T::Email),
            p("phone", T::Phone),
            p("website", T::Url),
            p("legalForm", T::String),
            p("incorporationDate", T::Date),
            p("dissolutionDate", T::Date),
            p("status", T::String),
            p("sector", T::String),
            p("classification", T::String),
            p("registrationNumber", T::Identifier),
            p("idNumber", T::Identifier),
            p("taxNumber", T::Identifier),
            p("jurisdiction", T::Country),
            p("mainCountry", T::Country),
            e("parent", "LegalEntity"),
        ],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Organization",
        extends: &["LegalEntity"],
        is_abstract: false,
        required: &["name"],
        own: &[],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "PublicBody",
        extends: &["Organization"],
        is_abstract: false,
        required: &["name"],
        own: &[],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Person",
        extends: &["LegalEntity"],
        is_abstract: false,
        required: &["name"],
        own: &[
            p("title", T::String),
            p("firstName", T::String),
            p("lastName", T::String),
            p("birthDate", T::Date),
            p("position", T::String),
            p("biography", T::Text),
            p("nationality", T::Country),
            p("citizenship", T::Country),
            p("gender", T::String),
            p("political", T::String),
            p("religion", T::String),
            p("profession", T::String),
        ],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Interval",
        extends: &[],
        is_abstract: true,
        required: &[],
        own: &[
            p("startDate", T::Date),
            p("endDate", T::Date),
            p("date", T::Date),
            p("summary", T::Text),
            p("description", T::Text),
            p("recordId", T::String),
            p("sourceUrl", T::Url),
            e("proof", "Document"),
            p("publisher", T::String),
            p("publisherUrl", T::Url),
            p("namesMentioned", T::Name),
            p("modifiedAt", T::Date),
            p("retrievedAt", T::Date),
        ],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Interest",
        extends: &["Interval"],
        is_abstract: true,
        required: &[],
        own: &[p("role", T::String), p("status", T::String)],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Membership",
        extends: &["Interest"],
        is_abstract: false,
        required: &["member", "organization"],
        own: &[
            e("member", "LegalEntity"),
            e("organization", "Organization"),
        ],
        ftm: true,
        edge: Some(("member", "organization")),
    },
    Schema {
        name: "Employment",
        extends: &["Interest"],
        is_abstract: false,
        required: &["employer", "employee"],
        own: &[e("employer", "Organization"), e("employee", "Person")],
        ftm: true,
        edge: Some(("employee", "employer")),
    },
    Schema {
        name: "Directorship",
        extends: &["Interest"],
        is_abstract: false,
        required: &["director", "organization"],
        own: &[
            e("director", "LegalEntity"),
            e("organization", "Organization"),
        ],
        ftm: true,
        edge: Some(("director", "organization")),
    },
    Schema {
        name: "Payment",
        extends: &["Interval", "Value"],
        is_abstract: false,
        required: &["payer", "beneficiary"],
        own: &[
            p("purpose", T::Text),
            p("programme", T::String),
            p("transactionNumber", T::String),
            e("payer", "LegalEntity"),
            e("beneficiary", "LegalEntity"),
        ],
        ftm: true,
        edge: Some(("payer", "beneficiary")),
    },
    Schema {
        name: "UnknownLink",
        extends: &["Interest"],
        is_abstract: false,
        required: &["subject", "object"],
        own: &[e("subject", "Thing"), e("object", "Thing")],
        ftm: true,
        edge: Some(("subject", "object")),
    },
    Schema {
        name: "Documentation",
        extends: &["Interest"],
        is_abstract: false,
        required: &["document", "entity"],
        own: &[e("document", "Document"), e("entity", "Thing")],
        ftm: true,
        edge: Some(("document", "entity")),
    },
    Schema {
        name: "Note",
        extends: &["Analyzable", "Thing"],
        is_abstract: false,
        required: &[],
        own: &[e("entity", "Thing")],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Event",
        extends: &["Analyzable", "Interval", "Thing"],
        is_abstract: false,
        required: &["name"],
        own: &[
            p("location", T::Address),
            p("important", T::String),
            e("organizer", "LegalEntity"),
            e("involved", "LegalEntity"),
        ],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Document",
        extends: &["Analyzable", "Thing"],
        is_abstract: false,
        required: &["fileName"],
        own: &[
            p("contentHash", T::Checksum),
            p("title", T::String),
            p("author", T::String),
            p("fileSize", T::Number),
            p("fileName", T::String),
            p("extension", T::String),
            p("encoding", T::String),
            p("bodyText", T::Text),
            p("mimeType", T::MimeType),
            p("language", T::Language),
            p("date", T::Date),
            p("authoredAt", T::Date),
            p("publishedAt", T::Date),
        ],
        ftm: true,
        edge: None,
    },
    Schema {
        name: "Article",
        extends: &["Document"],
        is_abstract: false,
        required: &[],
        own: &[],
        ftm: true,
        edge: None,
    },
    // Dossier's own schemata. They have no FtM equivalent; the FtM export maps
    // them onto Note and Event (see dossier-formats).
    Schema {
        name: "Claim",
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
        SCHEMATA.iter().find(|s| s.name == name)
    }

    /// Every schema in the registry.
    pub fn all() -> &'static [Schema] {
        SCHEMATA
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
        self.lineage().iter().any(|s| s.name == other)
    }

    /// A property of this schema, own or inherited.
    pub fn property(&'static self, name: &str) -> Option<&'static Property> {
        self.lineage()
            .into_iter()
            .find_map(|s| s.own.iter().find(|p| p.name == name))
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
    fn more_specific_picks_descendant() {
        let org = Schema::get("Organization").unwrap();
        let pb = Schema::get("PublicBody").unwrap();
        let person = Schema::get("Person").unwrap();
        assert_eq!(Schema::more_specific(org, pb).unwrap().name, "PublicBody");
        assert!(Schema::more_specific(org, person).is_none());
    }
}
