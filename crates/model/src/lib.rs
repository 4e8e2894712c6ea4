//! Dossier's domain model: schemata (FollowTheMoney's names plus Dossier's
//! `Claim` and `Quotation`), entities, statements, partial dates, countries,
//! name keys and stable ids.
//!
//! Architecture invariant: this crate does no IO and knows no storage, file
//! format or protocol. Everything above depends on it; it depends on nothing
//! of Dossier's.

pub mod batch;
pub mod blanking;
pub mod claim;
pub mod country;
pub mod date;
pub mod entity;
mod ftm_model;
pub mod ids;
pub mod names;
pub mod schema;
pub mod source;
pub mod statement;
pub mod text;

pub use batch::Batch;
pub use claim::ClaimKind;
pub use date::PartialDate;
pub use entity::{Entity, Value};
pub use schema::{PropType, Property, Schema};
pub use source::SourceDoc;
pub use statement::{Provenance, Statement};

/// What can be wrong with model values.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    /// A schema name that is not in the registry.
    #[error("unknown schema {0:?}")]
    UnknownSchema(String),
    /// An entity was to be made of an abstract schema (Thing, Interval, …).
    #[error("schema {0:?} is abstract")]
    AbstractSchema(String),
    /// A property that the entity's schema does not have.
    #[error("schema {schema} has no property {prop:?}")]
    UnknownProperty { schema: String, prop: String },
    /// A date that is not ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or does not exist.
    #[error("invalid date {0:?}")]
    InvalidDate(String),
    /// A value that does not fit its property's type.
    #[error("invalid value {value:?} for {prop}: {reason}")]
    InvalidValue {
        prop: String,
        value: String,
        reason: String,
    },
    /// Two records of one id name schemata on different lines of descent.
    #[error("entity {id} is both {a} and {b}")]
    SchemaConflict { id: String, a: String, b: String },
}
