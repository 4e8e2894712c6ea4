//! Entities: an id, a schema and multi-valued properties. An entity read from
//! the store is the aggregation of its current statements.

use std::collections::BTreeMap;

use crate::date::PartialDate;
use crate::schema::{PropType, Schema};
use crate::text::Normalized;
use crate::ModelError;

/// One property value and, when normalization changed it, the original text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Value {
    pub value: String,
    pub original: Option<String>,
}

impl From<Normalized> for Value {
    fn from(n: Normalized) -> Self {
        Value {
            value: n.value,
            original: n.original,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value {
            value: s.to_string(),
            original: None,
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value {
            value: s,
            original: None,
        }
    }
}

/// An entity of a schema with its property values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub id: String,
    pub schema: &'static Schema,
    /// Property name → values, in the order they were added; no duplicates.
    pub properties: BTreeMap<String, Vec<Value>>,
}

/// Checks that `value` is a valid value of a property of type `kind`.
pub fn check_value(kind: PropType, prop: &str, value: &str) -> Result<(), ModelError> {
    let bad = |reason: &str| ModelError::InvalidValue {
        prop: prop.to_string(),
        value: value.chars().take(80).collect(),
        reason: reason.to_string(),
    };
    if value.is_empty() {
        return Err(bad("empty value"));
    }
    match kind {
        PropType::Date => {
            // FtM's dates may carry a time (`2021-05-28T12:34:56Z`); the
            // date before it must be one.
            let (date, time) = value.split_once('T').unwrap_or((value, ""));
            let time_ok = time
                .bytes()
                .all(|b| b.is_ascii_digit() || b":.+-Z".contains(&b))
                && (time.is_empty() || time.as_bytes()[0].is_ascii_digit());
            if date.parse::<PartialDate>().is_err() || !time_ok || value.ends_with('T') {
                return Err(bad(
                    "not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, with a time or not)",
                ));
            }
        }
        PropType::Country => {
            // ISO 3166-1 alpha-2, or one of FtM's longer territory codes
            // (`gb-sct`, `suhh`, `x-so`).
            let b = value.as_bytes();
            let ok = (2..=7).contains(&b.len())
                && b[0].is_ascii_lowercase()
                && b[b.len() - 1].is_ascii_lowercase()
                && b.iter().all(|c| c.is_ascii_lowercase() || *c == b'-');
            if !ok {
                return Err(bad(
                    "not a lower-case ISO 3166-1 alpha-2 code or an FtM territory code",
                ));
            }
        }
        PropType::Number => {
            value.parse::<f64>().map_err(|_| bad("not a number"))?;
        }
        PropType::Entity if value.chars().any(char::is_whitespace) => {
            return Err(bad("an entity id has no spaces"));
        }
        _ => {}
    }
    Ok(())
}

/// The properties an entity's caption is taken from, the first that has a value.
pub const CAPTION_PROPS: [&str; 5] = ["name", "title", "text", "fileName", "description"];

impl Entity {
    /// A new entity without properties. Fails for unknown or abstract schemata.
    pub fn new(id: impl Into<String>, schema: &str) -> Result<Self, ModelError> {
        let schema =
            Schema::get(schema).ok_or_else(|| ModelError::UnknownSchema(schema.to_string()))?;
        if schema.is_abstract {
            return Err(ModelError::AbstractSchema(schema.name.to_string()));
        }
        Ok(Entity {
            id: id.into(),
            schema,
            properties: BTreeMap::new(),
        })
    }

    /// Adds a value, checked against the property's type. A value already
    /// present is not added twice (the first original is kept).
    pub fn add(&mut self, prop: &str, value: impl Into<Value>) -> Result<(), ModelError> {
        let property = self
            .schema
            .property(prop)
            .ok_or_else(|| ModelError::UnknownProperty {
                schema: self.schema.name.to_string(),
                prop: prop.to_string(),
            })?;
        let value = value.into();
        check_value(property.kind, prop, &value.value)?;
        self.put_value(prop, value);
        Ok(())
    }

    /// Adds a checked value of a property, once: the same value again keeps
    /// the first original, or learns one. A property already held makes
    /// no new key (merging the lines of a large FtM file does this millions
    /// of times).
    fn put_value(&mut self, prop: &str, value: Value) {
        let Some(values) = self.properties.get_mut(prop) else {
            self.properties.insert(prop.to_string(), vec![value]);
            return;
        };
        match values.iter_mut().find(|v| v.value == value.value) {
            Some(existing) => {
                if existing.original.is_none() {
                    existing.original = value.original;
                }
            }
            None => values.push(value),
        }
    }

    /// Keeps a value of a property the schema does not have (one from a
    /// newer FtM, or a publisher's own), unchecked, so an import loses
    /// nothing; [`Entity::unknown_properties`] lists them. A name that is
    /// the schema's own property, or not a plain identifier (1–64 ASCII
    /// letters, digits or `_`), is refused.
    pub fn keep_unknown(&mut self, prop: &str, value: impl Into<Value>) -> Result<(), ModelError> {
        let plain = !prop.is_empty()
            && prop.len() <= 64
            && prop.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if self.schema.property(prop).is_some() || !plain {
            return Err(ModelError::UnknownProperty {
                schema: self.schema.name.to_string(),
                prop: prop.chars().take(64).collect(),
            });
        }
        let value = value.into();
        if value.value.is_empty() {
            return Ok(());
        }
        let values = self.properties.entry(prop.to_string()).or_default();
        if !values.iter().any(|v| v.value == value.value) {
            values.push(value);
        }
        Ok(())
    }

    /// The properties held that the schema does not have.
    pub fn unknown_properties(&self) -> impl Iterator<Item = &str> {
        self.properties
            .keys()
            .map(String::as_str)
            .filter(|p| self.schema.property(p).is_none())
    }

    /// Adds every value of `other` (same id) to this entity, choosing the more
    /// specific schema when both are on one line of descent.
    pub fn merge(&mut self, other: &Entity) -> Result<(), ModelError> {
        if let Some(s) = Schema::more_specific(self.schema, other.schema) {
            self.schema = s;
        } else {
            return Err(ModelError::SchemaConflict {
                id: self.id.clone(),
                a: self.schema.name.to_string(),
                b: other.schema.name.to_string(),
            });
        }
        for (prop, values) in &other.properties {
            match self.schema.property(prop) {
                Some(p) => {
                    for v in values {
                        check_value(p.kind, prop, &v.value)?;
                        self.put_value(prop, v.clone());
                    }
                }
                None => {
                    for v in values {
                        self.keep_unknown(prop, v.clone())?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The values of a property.
    pub fn values(&self, prop: &str) -> impl Iterator<Item = &str> {
        self.properties
            .get(prop)
            .into_iter()
            .flatten()
            .map(|v| v.value.as_str())
    }

    /// The first value of a property.
    pub fn first(&self, prop: &str) -> Option<&str> {
        self.values(prop).next()
    }

    /// A payment's (or any value's) amount and its currency: `amount` with
    /// `currency`, else `amountEur`, else `amountUsd` (real donation data
    /// often carries only the converted amounts). `None` without a number.
    pub fn amount(&self) -> Option<(f64, String)> {
        let num = |p: &str| self.first(p).and_then(|a| a.trim().parse::<f64>().ok());
        if let Some(a) = num("amount") {
            return Some((a, self.first("currency").unwrap_or("").to_string()));
        }
        num("amountEur")
            .map(|a| (a, "EUR".to_string()))
            .or_else(|| num("amountUsd").map(|a| (a, "USD".to_string())))
    }

    /// [`Entity::amount`] as a reader reads it: `1200 EUR`.
    pub fn amount_label(&self) -> Option<String> {
        let raw = self
            .first("amount")
            .or_else(|| self.first("amountEur"))
            .or_else(|| self.first("amountUsd"))?;
        let (_, currency) = self.amount()?;
        Some(format!("{raw} {currency}").trim().to_string())
    }

    /// The first value of a property as the source wrote it: its original
    /// form where normalizing changed it (curly quotes, dashes, spaces),
    /// else the value. A quotation is shown this way, as its exact string.
    pub fn first_exact(&self, prop: &str) -> Option<&str> {
        self.properties
            .get(prop)
            .and_then(|v| v.first())
            .map(|v| v.original.as_deref().unwrap_or(&v.value))
    }

    /// True when the entity has a value for `prop`.
    pub fn has(&self, prop: &str) -> bool {
        self.properties.get(prop).is_some_and(|v| !v.is_empty())
    }

    /// A short human label: the name, title, text or file name, else the
    /// first of the schema's caption properties with a value (FtM's: an
    /// address's `full`, a sanction's `program`), else the id.
    pub fn caption(&self) -> &str {
        CAPTION_PROPS
            .iter()
            .chain(self.schema.caption.iter())
            .find_map(|p| self.first(p))
            .unwrap_or(&self.id)
    }

    /// The number of property values.
    pub fn value_count(&self) -> usize {
        self.properties.values().map(Vec::len).sum()
    }

    /// Required properties of the schema that have no value.
    pub fn missing_required(&self) -> Vec<&'static str> {
        self.schema
            .required
            .iter()
            .copied()
            .filter(|p| !self.has(p))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_checks_types_and_dedupes() {
        let mut e = Entity::new("org-1", "Organization").unwrap();
        e.add("name", "A").unwrap();
        e.add("name", "A").unwrap();
        assert_eq!(e.values("name").count(), 1);
        assert!(e.add("country", "United States").is_err());
        e.add("country", "us").unwrap();
        assert!(e.add("incorporationDate", "May 2021").is_err());
        e.add("incorporationDate", "2021-05").unwrap();
        assert!(e.add("nonsense", "x").is_err());
        assert!(Entity::new("x", "Thing").is_err());
        assert!(Entity::new("x", "Spaceship").is_err());
    }

    #[test]
    fn merge_prefers_specific_schema() {
        let mut a = Entity::new("x", "Organization").unwrap();
        a.add("name", "Ministry").unwrap();
        let mut b = Entity::new("x", "PublicBody").unwrap();
        b.add("country", "il").unwrap();
        a.merge(&b).unwrap();
        assert_eq!(a.schema.name, "PublicBody");
        assert_eq!(a.first("country"), Some("il"));
        let p = Entity::new("x", "Person").unwrap();
        assert!(a.merge(&p).is_err());
    }
}

#[cfg(test)]
mod amount_tests {
    use super::Entity;

    #[test]
    fn an_amount_in_euros_or_dollars_only_is_an_amount() {
        let mut p = Entity::new("pay-1", "Payment").unwrap();
        assert_eq!(p.amount(), None);
        p.add("amountEur", "2500").unwrap();
        assert_eq!(p.amount(), Some((2500.0, "EUR".into())));
        assert_eq!(p.amount_label().as_deref(), Some("2500 EUR"));
        p.add("amount", "3000").unwrap();
        p.add("currency", "GBP").unwrap();
        assert_eq!(p.amount(), Some((3000.0, "GBP".into())));
        let mut q = Entity::new("pay-2", "Payment").unwrap();
        q.add("amountUsd", "10").unwrap();
        assert_eq!(q.amount_label().as_deref(), Some("10 USD"));
    }
}
