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

/// The longest run of characters without a space a message keeps whole.
const LONGEST_RUN: usize = 120;

/// The most characters a message keeps.
const LONGEST_MESSAGE: usize = 2_000;

/// A message (an error, a warning) fit to print: a run of characters
/// without a space longer than 120 (a value quoted from the input, a
/// 60 MB line) keeps its first 60 and last 8 and says how long it was; the whole is
/// cut at 2,000 characters. What and where stay readable, and nothing the
/// input holds is echoed back at its own size.
pub fn bounded_message(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let run_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (run, after) = rest.split_at(run_end);
        let n = run.chars().count();
        if n > LONGEST_RUN {
            // Its start, its length, and its last few characters (a
            // closing quote, a colon).
            out.extend(run.chars().take(LONGEST_RUN / 2));
            out.push_str(&format!(
                "…[{}]…",
                counted(n as u64, "character", "characters")
            ));
            out.extend(run.chars().skip(n - 8));
        } else {
            out.push_str(run);
        }
        let space_end = after
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(after.len());
        out.push_str(&after[..space_end]);
        rest = &after[space_end..];
        if out.len() > LONGEST_MESSAGE * 4 {
            break;
        }
    }
    shortened(&out, LONGEST_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::{bounded_message, counted, shortened};

    #[test]
    fn a_message_never_echoes_its_input_at_its_size() {
        let value = "q".repeat(60_000_000);
        let m = bounded_message(&format!("data.csv:2: Organization.{value}: not a property"));
        assert!(m.len() < 200, "{} bytes", m.len());
        assert!(m.starts_with("data.csv:2: Organization.qqq"), "{m}");
        assert!(m.contains("…[60,000,014 characters]…qqqqqqq:"), "{m}");
        assert!(m.ends_with(": not a property"), "{m}");
        let words = "word ".repeat(10_000);
        assert!(bounded_message(&words).chars().count() <= 2_000);
        let short = "file.txt:3:1: a plain message";
        assert_eq!(bounded_message(short), short);
    }

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
