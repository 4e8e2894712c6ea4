//! Country names to ISO 3166-1 alpha-2 codes, lower case as FtM writes them.
//!
//! The table is the `celes` crate's (every ISO 3166-1 country with its
//! official name and common aliases). A few names FtM also accepts but ISO
//! does not list as names (territories, common short forms) are added here.

use std::str::FromStr;

use deunicode::deunicode;

/// Names outside ISO's list that FtM resolves, mapped to the code FtM uses.
const EXTRA: &[(&str, &str)] = &[
    ("westbank", "ps"),
    ("gaza", "ps"),
    ("gazastrip", "ps"),
    ("palestinianterritories", "ps"),
    ("occupiedpalestinianterritory", "ps"),
    ("occupiedpalestinianterritories", "ps"),
    ("palestinianauthority", "ps"),
    ("usa", "us"),
    ("uk", "gb"),
    ("britain", "gb"),
    ("kosovo", "xk"),
    ("southkorea", "kr"),
    ("northkorea", "kp"),
    ("russia", "ru"),
    ("iran", "ir"),
    ("syria", "sy"),
    ("vietnam", "vn"),
    ("laos", "la"),
    ("bolivia", "bo"),
    ("tanzania", "tz"),
    ("moldova", "md"),
    ("czechia", "cz"),
];

/// The code of one country name, code or alias (`United States`, `us`, `USA`,
/// `Israel`, `West Bank`), or `None`.
pub fn country_code(name: &str) -> Option<String> {
    let squashed: String = deunicode(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    if squashed.is_empty() {
        return None;
    }
    let bare = squashed
        .strip_prefix("the")
        .filter(|s| s.len() > 2)
        .unwrap_or(&squashed);
    // Numeric codes are not names people write in a profile.
    if bare.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Some((_, code)) = EXTRA.iter().find(|(n, _)| *n == squashed || *n == bare) {
        return Some((*code).to_string());
    }
    celes::Country::from_str(&squashed)
        .or_else(|_| celes::Country::from_str(bare))
        .ok()
        .map(|c| c.alpha2.to_lowercase())
}

/// The short names people use where the standard's long name is formal
/// (celes has "The United States Of America").
const SHORT_NAMES: &[(&str, &str)] = &[
    ("us", "United States"),
    ("gb", "United Kingdom"),
    ("kr", "South Korea"),
    ("kp", "North Korea"),
    ("ru", "Russia"),
    ("ir", "Iran"),
    ("ps", "Palestine"),
    ("sy", "Syria"),
    ("ve", "Venezuela"),
    ("bo", "Bolivia"),
    ("tz", "Tanzania"),
    ("vn", "Vietnam"),
    ("la", "Laos"),
    ("md", "Moldova"),
    ("tw", "Taiwan"),
    ("xk", "Kosovo"),
    ("va", "Vatican City"),
    ("fm", "Micronesia"),
    ("cd", "Democratic Republic of the Congo"),
    ("cg", "Republic of the Congo"),
];

/// A country's name for a reader, from its ISO code (`us` → `United
/// States`); `None` for a code that names no country.
pub fn country_name(code: &str) -> Option<String> {
    let code = code.to_ascii_lowercase();
    if let Some((_, name)) = SHORT_NAMES.iter().find(|(c, _)| *c == code) {
        return Some((*name).to_string());
    }
    let country = celes::Country::from_alpha2(&code).ok()?;
    let long = country
        .long_name
        .strip_prefix("The ")
        .unwrap_or(country.long_name);
    // "Bosnia And Herzegovina" → "Bosnia and Herzegovina".
    let words: Vec<&str> = long
        .split(' ')
        .enumerate()
        .map(|(i, w)| match w {
            "Of" if i > 0 => "of",
            "And" if i > 0 => "and",
            "The" if i > 0 => "the",
            _ => w,
        })
        .collect();
    Some(words.join(" "))
}

/// The codes of a value that may name several countries (`Israel/Palestine`,
/// `Israel and the West Bank`). Empty when any part is not a country.
pub fn country_codes(value: &str) -> Vec<String> {
    if let Some(code) = country_code(value) {
        return vec![code];
    }
    let parts: Vec<&str> = value
        .split([',', '/', ';', '&', '|'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let codes: Vec<String> = parts.iter().filter_map(|p| country_code(p)).collect();
    if codes.len() == parts.len() && parts.len() > 1 {
        let mut uniq = Vec::new();
        for c in codes {
            if !uniq.contains(&c) {
                uniq.push(c);
            }
        }
        uniq
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_as_the_name_people_use() {
        assert_eq!(country_name("us").as_deref(), Some("United States"));
        assert_eq!(country_name("IL").as_deref(), Some("Israel"));
        assert_eq!(country_name("ca").as_deref(), Some("Canada"));
        assert_eq!(
            country_name("ba").as_deref(),
            Some("Bosnia and Herzegovina")
        );
        assert_eq!(country_name("zz"), None);
        // Every name read back gives its code again.
        for code in ["us", "gb", "ps", "de", "fr", "nl", "kr"] {
            let name = country_name(code).unwrap();
            assert_eq!(country_code(&name).as_deref(), Some(code), "{name}");
        }
    }

    #[test]
    fn names_and_codes() {
        assert_eq!(country_code("United States").as_deref(), Some("us"));
        assert_eq!(
            country_code("United States of America").as_deref(),
            Some("us")
        );
        assert_eq!(country_code("Israel").as_deref(), Some("il"));
        assert_eq!(country_code("IL").as_deref(), Some("il"));
        assert_eq!(country_code("United Kingdom").as_deref(), Some("gb"));
        assert_eq!(country_code("Germany").as_deref(), Some("de"));
        assert_eq!(country_code("West Bank").as_deref(), Some("ps"));
        assert_eq!(country_code("Palestine").as_deref(), Some("ps"));
        assert_eq!(country_code("Narnia"), None);
        assert_eq!(country_code(""), None);
        assert_eq!(country_codes("Israel/Palestine"), ["il", "ps"]);
        assert_eq!(country_codes("Israel and the West Bank"), ["il", "ps"]);
        assert!(country_codes("Israel and Narnia").is_empty());
    }
}
