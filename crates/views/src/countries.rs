//! An entity's countries as a reader sees them: the label they were read
//! from, or the country's name, beside the ISO codes.

use dossier_model::country::country_name;
use dossier_model::Entity;

/// One label and the codes read from it: `United States` and `[us]`;
/// `Israel and the West Bank` and `[il, ps]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryLabel {
    pub label: String,
    pub codes: Vec<String>,
}

/// The entity's `country` values, grouped by the label they were read
/// from. A code stored without a label (an import that gave only `us`)
/// reads as the country's name, never as the code twice ("us (us)").
pub fn countries(e: &Entity) -> Vec<CountryLabel> {
    let mut groups: Vec<CountryLabel> = Vec::new();
    for v in e.properties.get("country").into_iter().flatten() {
        let label = v
            .original
            .as_deref()
            .filter(|l| !l.eq_ignore_ascii_case(&v.value))
            .map(str::to_string)
            .or_else(|| country_name(&v.value))
            .unwrap_or_else(|| v.value.clone());
        match groups.iter_mut().find(|g| g.label == label) {
            Some(g) => g.codes.push(v.value.clone()),
            None => groups.push(CountryLabel {
                label,
                codes: vec![v.value.clone()],
            }),
        }
    }
    groups
}

impl std::fmt::Display for CountryLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.label, self.codes.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_model::{Entity, Value};

    fn org(values: &[(&str, Option<&str>)]) -> Entity {
        let mut e = Entity::new("o", "Organization").unwrap();
        for (code, original) in values {
            let v = Value {
                value: code.to_string(),
                original: original.map(str::to_string),
            };
            e.add("country", v).unwrap();
        }
        e
    }

    #[test]
    fn a_bare_code_reads_as_its_name_and_a_label_is_kept() {
        let shown = |e: &Entity| {
            countries(e)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(&org(&[("us", None)])), ["United States (us)"]);
        assert_eq!(shown(&org(&[("us", Some("us"))])), ["United States (us)"]);
        assert_eq!(
            shown(&org(&[
                ("il", Some("Israel and the West Bank")),
                ("ps", Some("Israel and the West Bank"))
            ])),
            ["Israel and the West Bank (il, ps)"]
        );
        assert_eq!(shown(&org(&[("ca", Some("Canada"))])), ["Canada (ca)"]);
    }
}
