//! Words for readers, on pages and the command line alike: counts
//! ("1 source", "2 sources") and texts shortened at a word.

/// `n` followed by the singular or plural form, thousands separated.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped} {}", if n == 1 { one } else { many })
}

/// `text` if it has at most `max` characters; else its longest run of
/// whole words that fits in `max - 1`, with `…` after it. A single word
/// longer than that is cut inside, as nothing shorter would say more.
pub fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let keep = max.saturating_sub(1);
    let cut = text
        .char_indices()
        .nth(keep)
        .map_or(text.len(), |(at, _)| at);
    let head = &text[..cut];
    // At a word's end when the cut falls inside one.
    let next_is_space = text[cut..].starts_with(char::is_whitespace);
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if !next_is_space && space > 0 => &head[..space],
        _ => head,
    };
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c));
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::{counted, shortened};

    #[test]
    fn shortened_at_a_word() {
        assert_eq!(shortened("short", 10), "short");
        assert_eq!(shortened("during the spring floods", 12), "during the…");
        assert_eq!(shortened("during the spring floods", 11), "during the…");
        assert_eq!(shortened("during, the spring", 9), "during…");
        assert_eq!(shortened("Supercalifragilistic", 6), "Super…");
        assert!(shortened("ελληνικά κείμενα εδώ", 10).ends_with('…'));
        for max in 0..30 {
            let s = shortened("a few words that go on and on", max);
            assert!(s.chars().count() <= max.max(1), "{max}: {s}");
        }
    }

    #[test]
    fn one_is_singular_and_thousands_are_grouped() {
        assert_eq!(counted(1, "source", "sources"), "1 source");
        assert_eq!(counted(0, "source", "sources"), "0 sources");
        assert_eq!(counted(2, "new copy", "new copies"), "2 new copies");
        assert_eq!(counted(1234567, "row", "rows"), "1,234,567 rows");
        assert_eq!(counted(100, "row", "rows"), "100 rows");
    }
}
