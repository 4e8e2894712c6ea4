//! Claims: attributed assertions. A claim is an entity of Dossier's `Claim`
//! schema; its quotations are `Quotation` entities pointing at it.

use std::fmt;
use std::str::FromStr;

use crate::ModelError;

/// What a claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClaimKind {
    /// A subject's own words.
    Quote,
    /// Someone's judgement of a subject.
    Assessment,
    /// A checkable event or figure.
    Fact,
}

impl ClaimKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Quote => "quote",
            ClaimKind::Assessment => "assessment",
            ClaimKind::Fact => "fact",
        }
    }
}

impl fmt::Display for ClaimKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ClaimKind {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, ModelError> {
        match s {
            "quote" => Ok(ClaimKind::Quote),
            "assessment" => Ok(ClaimKind::Assessment),
            "fact" => Ok(ClaimKind::Fact),
            other => Err(ModelError::InvalidValue {
                prop: "kind".into(),
                value: other.chars().take(80).collect(),
                reason: "a claim kind is quote, assessment or fact".into(),
            }),
        }
    }
}
