//! Entity resolution: which records name the same body.
//!
//! [`names`] turns a name into its fingerprint (Unicode NFKC, case folded,
//! transliterated to ASCII, punctuation and dashes as spaces, spelling
//! variants folded, stop words and words that only say what kind of body
//! it is set apart) and knows acronyms. [`score`] rates a pair of records
//! from their names, acronyms, countries and shared ties, with weights that
//! favour rare words over common ones. [`xref`] finds the pairs worth
//! rating by blocking (shared rare words, equal fingerprints, acronyms and
//! initials) and ranks them.
//!
//! [`stored`] keeps judgements in the store as statements. No SQL and no
//! files here: callers build [`Record`]s from the store or from an
//! imported file.

pub mod judgements;
pub mod labeled;
pub mod matcher;
pub mod names;
pub mod score;
pub mod stored;
pub mod xref;

pub use judgements::{Conflict, Judgement, Resolver};
pub use score::{Explained, Scorer};
pub use xref::{xref, xref_counted, Match, Options};

/// What resolution knows of an entity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub id: String,
    /// The FtM schema; a person is only compared with a person.
    pub schema: String,
    /// Names and aliases.
    pub names: Vec<String>,
    /// Acronyms and abbreviations given as such.
    pub acronyms: Vec<String>,
    /// ISO country codes.
    pub countries: Vec<String>,
    /// Entities it is tied to (networks, funders, people).
    pub ties: Vec<String>,
    /// Where it comes from: `xref --against` compares only across datasets.
    pub dataset: String,
}

impl Record {
    /// What resolution needs of an entity: names and aliases, acronyms,
    /// countries; `ties` and `dataset` as the caller knows them.
    pub fn of_entity(e: &dossier_model::Entity, dataset: &str, ties: Vec<String>) -> Record {
        let values = |props: &[&str]| -> Vec<String> {
            props
                .iter()
                .flat_map(|p| e.values(p))
                .map(str::to_string)
                .collect()
        };
        Record {
            id: e.id.clone(),
            schema: e.schema.name.to_string(),
            names: values(&["name", "alias", "previousName", "weakAlias"]),
            acronyms: values(&["abbreviation"]),
            countries: values(&["country", "jurisdiction", "nationality"]),
            ties,
            dataset: dataset.to_string(),
        }
    }
}

/// The store's people and bodies (merged ones as one) as records of the
/// dataset `store`, each with the ties `ties` gives it.
pub fn store_records(
    store: &dyn dossier_store::Read,
    ties: &dyn Fn(&str) -> Vec<String>,
) -> Result<Vec<Record>, dossier_store::StoreError> {
    Ok(store
        .entities(&["LegalEntity"])?
        .iter()
        .map(|e| Record::of_entity(e, "store", ties(&e.id)))
        .collect())
}

/// Whether two schemata can name the same thing: people with people,
/// bodies (organizations, companies, public bodies) with bodies.
pub fn comparable(a: &str, b: &str) -> bool {
    is_person(a) == is_person(b)
}

/// Which side of [`comparable`] a schema is on.
pub(crate) fn is_person(schema: &str) -> bool {
    schema == "Person"
}
