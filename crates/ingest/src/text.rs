//! Reads the plain-text form of a profile page: a name line, glued
//! label/value lines, then headings with bullet lists nested by indentation,
//! up to `All Articles about …`.

use crate::document::{Field, Item, Pos, ProfileDoc, Section};
use crate::labels::{section_role, split_any_label, split_label, SectionRole};
use crate::Diagnostic;

/// The longest name line accepted; a longer one is not a name.
pub const MAX_TITLE_CHARS: usize = 300;

/// The longest line a profile page may have, in bytes: a paragraph of a
/// few hundred words is some thousands; a 60 MB line is not a profile's,
/// and reading it as prose took gigabytes and seconds.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Bullet markers: the common typographic ones plus `-`, `*` and `–`.
const BULLETS: &[char] = &[
    '•', '◦', '▪', '▫', '●', '○', '■', '□', '‣', '⁃', '∙', '·', '-', '*', '–', '—', '►', '▸',
];

/// A line split into indentation, marker and content.
struct Line<'a> {
    number: u32,
    indent: usize,
    bullet: bool,
    /// Column (1-based, in characters) where `content` starts.
    column: u32,
    content: &'a str,
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn split_line(number: u32, raw: &str) -> Line<'_> {
    let mut indent = 0;
    let mut chars = 0u32;
    let mut rest = raw;
    for c in raw.chars() {
        if !is_space(c) {
            break;
        }
        indent += if c == '\t' { 4 } else { 1 };
        chars += 1;
        rest = &rest[c.len_utf8()..];
    }
    let mut bullet = false;
    if let Some(first) = rest.chars().next() {
        let after = &rest[first.len_utf8()..];
        let spaced = after.chars().next().is_some_and(is_space);
        if BULLETS.contains(&first) && spaced {
            bullet = true;
            chars += 1;
            rest = after;
        } else if let Some(n) = numbered_marker(rest) {
            bullet = true;
            chars += rest[..n].chars().count() as u32;
            rest = &rest[n..];
        }
        if bullet {
            for c in rest.chars() {
                if !is_space(c) {
                    break;
                }
                chars += 1;
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    Line {
        number,
        indent,
        bullet,
        column: chars + 1,
        content: rest.trim_end_matches(is_space),
    }
}

/// `1. `, `12) `, `a) `: the byte length of a list number and its punctuation.
fn numbered_marker(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let head = if digits > 0 && digits <= 3 {
        digits
    } else if s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.as_bytes().get(1) == Some(&b')')
    {
        1
    } else {
        return None;
    };
    // The punctuation is ASCII, so the byte after it starts a character.
    let punct = *s.as_bytes().get(head)?;
    if punct != b'.' && punct != b')' {
        return None;
    }
    let space = s[head + 1..].chars().next()?;
    is_space(space).then_some(head + 1)
}

/// True for a line that reads as a heading: short, no sentence punctuation at
/// its end, starting with a capital or digit.
pub fn looks_like_heading(s: &str) -> bool {
    let words = s.split_whitespace().count();
    let first = s.chars().next();
    let last = s.chars().last();
    (1..=10).contains(&words)
        && s.chars().count() <= 90
        && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && !last.is_some_and(|c| ".,;:!?\"”’)".contains(c))
}

/// True for the line that closes a profile.
pub fn is_articles_line(s: &str) -> bool {
    let lower = s.trim().to_lowercase();
    lower.starts_with("all articles about") || lower.starts_with("all articles on ")
}

/// Splits a name line into name and acronym: `Alliance for Middle East Peace (ALLMEP)`.
pub fn split_acronym(title: &str) -> (&str, Option<&str>) {
    let t = title.trim();
    if let Some(stripped) = t.strip_suffix(')') {
        if let Some(open) = stripped.rfind('(') {
            let inner = stripped[open + 1..].trim();
            let name = stripped[..open].trim();
            if !name.is_empty() && dossier_model::names::looks_like_acronym(inner) {
                return (name, Some(inner));
            }
        }
    }
    (t, None)
}

struct Flat {
    depth: usize,
    item: Item,
}

/// Builds the item tree of a section from items with depths.
fn nest(flat: Vec<Flat>) -> Vec<Item> {
    fn take(flat: &mut std::iter::Peekable<std::vec::IntoIter<Flat>>, depth: usize) -> Vec<Item> {
        let mut out: Vec<Item> = Vec::new();
        while let Some(next) = flat.peek() {
            if next.depth < depth {
                break;
            }
            if next.depth > depth {
                // Deeper than expected with no parent at this level: attach to
                // the last item, or lift to this level when there is none.
                let children = take(flat, depth + 1);
                match out.last_mut() {
                    Some(last) => last.children.extend(children),
                    None => out.extend(children),
                }
                continue;
            }
            if let Some(f) = flat.next() {
                out.push(f.item);
            }
        }
        out
    }
    let mut it = flat.into_iter().peekable();
    take(&mut it, 0)
}

/// Reads a plain-text profile. Fails only when there is no name line; odd
/// lines become warnings.
pub fn parse(text: &str, file: &str) -> Result<(ProfileDoc, Vec<Diagnostic>), Diagnostic> {
    // Every line after the first with text is held to MAX_LINE_BYTES (the
    // first has its own, stricter rule below).
    let mut titled = false;
    for (i, line) in text.split('\n').enumerate() {
        if !titled {
            titled = !line.trim().is_empty();
            continue;
        }
        if line.len() > MAX_LINE_BYTES {
            return Err(Diagnostic::error(
                file,
                Pos::new(i as u32 + 1, 1),
                format!(
                    "line {} is {} bytes long; a profile's line is at most {MAX_LINE_BYTES} bytes (1 MiB)",
                    i + 1,
                    line.len()
                ),
            ));
        }
    }
    let mut warnings = Vec::new();
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| split_line(i as u32 + 1, l.strip_suffix('\r').unwrap_or(l)));
    let title = loop {
        match lines.next() {
            Some(l) if l.content.is_empty() && !l.bullet => continue,
            Some(l) => break l,
            None => {
                return Err(Diagnostic::error(
                    file,
                    Pos::new(1, 1),
                    "the file has no text: a profile starts with the name of its subject",
                ))
            }
        }
    };
    let title_pos = Pos::new(title.number, title.column);
    let title_chars = title.content.chars().count();
    if title_chars > MAX_TITLE_CHARS {
        return Err(Diagnostic::error(
            file,
            title_pos,
            format!("the first line is {title_chars} characters long; a profile's first line is its subject's name (at most {MAX_TITLE_CHARS} characters)"),
        ));
    }
    if title.content.starts_with(['{', '[']) {
        return Err(Diagnostic::error(
            file,
            title_pos,
            "this looks like JSON, not a profile page, and not a format Dossier reads: it reads Dossier statements (JSON lines with entity_id and prop), FtM entities (JSON lines, a JSON array or a delta file with op; each with schema and properties) and Popolo (an object with persons, organizations or memberships)",
        ));
    }
    if title.bullet || !title.content.chars().any(char::is_alphabetic) {
        return Err(Diagnostic::error(
            file,
            title_pos,
            "the first line must be the subject's name, not a bullet or punctuation",
        ));
    }
    let mut doc = ProfileDoc {
        title: title.content.to_string(),
        title_pos,
        ..Default::default()
    };
    let mut in_head = true;
    let mut section: Option<Section> = None;
    let mut flat: Vec<Flat> = Vec::new();
    // Indentation of open bullets, outermost first.
    let mut stack: Vec<usize> = Vec::new();
    let mut last_was_blank = true;
    let mut listing = false;
    let mut list_ended = false;
    // A table copied from a browser: its header row, once read.
    let mut grid_header: Option<Vec<String>> = None;
    let mut grid_rows = 0;
    let close = |section: &mut Option<Section>, flat: &mut Vec<Flat>, doc: &mut ProfileDoc| {
        if let Some(mut s) = section.take() {
            s.items = nest(std::mem::take(flat));
            doc.sections.push(s);
        }
    };
    for line in lines {
        let pos = Pos::new(line.number, line.column);
        if line.content.is_empty() {
            last_was_blank = true;
            list_ended |= listing;
            listing = false;
            grid_header = None;
            grid_rows = 0;
            continue;
        }
        let cells = (!in_head && !line.bullet)
            .then(|| crate::grid::tab_cells(line.content))
            .flatten();
        match cells {
            Some(cells) => {
                if grid_rows == 0 && crate::grid::is_header(&cells) {
                    grid_header = Some(cells);
                } else {
                    let text = crate::grid::row_text(grid_header.as_deref(), &cells);
                    section.get_or_insert_with(|| Section {
                        title: String::new(),
                        level: 2,
                        pos,
                        items: Vec::new(),
                    });
                    stack.clear();
                    flat.push(Flat {
                        depth: 0,
                        item: Item {
                            text,
                            pos,
                            bullet: true,
                            children: Vec::new(),
                        },
                    });
                }
                grid_rows += 1;
                last_was_blank = false;
                continue;
            }
            None => {
                grid_header = None;
                grid_rows = 0;
            }
        }
        if is_articles_line(line.content) && !line.bullet {
            break;
        }
        // The name again at the top of a box of facts (an infobox).
        if in_head && !line.bullet && line.content.trim().eq_ignore_ascii_case(doc.title.trim()) {
            continue;
        }
        if in_head && !line.bullet {
            let known = split_label(line.content);
            if let Some((label, value)) = known.or_else(|| split_any_label(line.content)) {
                doc.fields.push(Field {
                    label: label.to_string(),
                    value: value.to_string(),
                    pos,
                });
                last_was_blank = false;
                continue;
            }
        }
        if line.bullet {
            in_head = false;
            if section.is_none() {
                section = Some(Section {
                    title: String::new(),
                    level: 2,
                    pos,
                    items: Vec::new(),
                });
            }
            while stack.last().is_some_and(|&i| i >= line.indent) {
                stack.pop();
            }
            let depth = stack.len();
            stack.push(line.indent);
            flat.push(Flat {
                depth,
                item: Item {
                    text: line.content.to_string(),
                    pos,
                    bullet: true,
                    children: Vec::new(),
                },
            });
            last_was_blank = false;
            continue;
        }
        // A line indented under the previous bullet, with no blank between,
        // continues that bullet.
        if !last_was_blank && !stack.is_empty() && line.indent > *stack.last().unwrap_or(&0) {
            if let Some(f) = flat.last_mut() {
                f.item.text.push(' ');
                f.item.text.push_str(line.content);
                continue;
            }
        }
        stack.clear();
        last_was_blank = false;
        // Under a heading that names a list (a board, an address block),
        // each line up to the next blank one is an entry, however short.
        if listing {
            flat.push(Flat {
                depth: 0,
                item: Item {
                    text: line.content.to_string(),
                    pos,
                    bullet: true,
                    children: Vec::new(),
                },
            });
            continue;
        }
        if looks_like_heading(line.content) {
            list_ended = false;
            listing = section_role(line.content) != SectionRole::Claims;
            in_head = false;
            close(&mut section, &mut flat, &mut doc);
            section = Some(Section {
                title: line.content.to_string(),
                level: 2,
                pos,
                items: Vec::new(),
            });
            continue;
        }
        if in_head && doc.fields.is_empty() && section.is_none() {
            warnings.push(Diagnostic::warning(
                file,
                pos,
                "text before any label or heading is read as a paragraph about the subject",
            ));
        }
        in_head = false;
        // A paragraph after a list and a blank line is not one of its
        // entries: it stands on its own, about the subject.
        if list_ended {
            list_ended = false;
            close(&mut section, &mut flat, &mut doc);
        }
        if section.is_none() {
            section = Some(Section {
                title: String::new(),
                level: 2,
                pos,
                items: Vec::new(),
            });
        }
        flat.push(Flat {
            depth: 0,
            item: Item {
                text: line.content.to_string(),
                pos,
                bullet: false,
                children: Vec::new(),
            },
        });
    }
    close(&mut section, &mut flat, &mut doc);
    // A heading with nothing under it, followed by another heading, groups
    // the sections after it (`Political Advocacy` over `Key Members`).
    let n = doc.sections.len();
    for i in 0..n {
        if doc.sections[i].items.is_empty() && i + 1 < n {
            doc.sections[i].level = 1;
        }
    }
    Ok((doc, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_nest_by_indentation() {
        let src = "Org (ORG)\nCountryIsrael\n\nTopic\n\nKey Members\n  • A\n    • a1\n    • a2\n  • B\n\t- b1\n       continued\n  • C\nAll Articles about Org\n  • ignored\n";
        let (doc, warnings) = parse(src, "t.txt").unwrap();
        assert!(warnings.is_empty());
        assert_eq!(doc.title, "Org (ORG)");
        assert_eq!(doc.fields[0].label, "Country");
        assert_eq!(doc.fields[0].value, "Israel");
        assert_eq!(doc.sections.len(), 2);
        assert_eq!(doc.sections[0].level, 1);
        let items = &doc.sections[1].items;
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].children.len(), 2);
        assert_eq!(items[1].children[0].text, "b1 continued");
        assert_eq!(items[0].children[1].pos, Pos::new(9, 7));
    }

    #[test]
    fn acronym_split() {
        assert_eq!(
            split_acronym("Alliance for Middle East Peace (ALLMEP)"),
            ("Alliance for Middle East Peace", Some("ALLMEP"))
        );
        assert_eq!(
            split_acronym("Victory (for all)"),
            ("Victory (for all)", None)
        );
    }

    #[test]
    fn numbered_lists_are_bullets() {
        let (doc, _) = parse("X\nFunding\n1. A: $5 (2020)\n2) B\n", "t").unwrap();
        assert_eq!(doc.sections[0].items.len(), 2);
        assert_eq!(doc.sections[0].items[1].text, "B");
    }

    #[test]
    fn long_title_is_rejected() {
        let long = "a".repeat(MAX_TITLE_CHARS + 1);
        let err = parse(&long, "big.txt").unwrap_err();
        assert_eq!(err.pos, Pos::new(1, 1));
    }
}
