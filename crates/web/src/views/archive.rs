//! Archived copies and their text with quotations highlighted.

use dossier_views::ArchiveView;
use maud::{html, Markup};

use super::outside;

/// The archived text with every anchored quotation highlighted.
pub(crate) fn archived_text(a: &ArchiveView) -> Markup {
    let chars: Vec<char> = a.text.chars().collect();
    let piece = |from: usize, to: usize| -> String {
        chars[from.min(chars.len())..to.min(chars.len())]
            .iter()
            .collect()
    };
    // Plain runs and highlighted quotations, in text order.
    let mut parts: Vec<(String, Option<&dossier_views::Highlight>)> = Vec::new();
    let mut at = 0;
    for h in &a.highlights {
        parts.push((piece(at, h.start), None));
        parts.push((piece(h.start, h.end), Some(h)));
        at = h.end;
    }
    parts.push((piece(at, chars.len()), None));
    // A PDF's pages stand apart by a form feed: each gets its number, and
    // each highlight says its page.
    let paged = a.text.contains('\u{c}');
    let mut page = 1;
    let mut runs: Vec<Run<'_>> = Vec::new();
    if paged {
        runs.push(Run::Page(1));
    }
    for (text, h) in parts {
        match h {
            Some(h) => {
                let title = match paged {
                    true => format!("{}, page {page}", h.mark.as_str()),
                    false => h.mark.as_str().to_string(),
                };
                page += text.matches('\u{c}').count();
                runs.push(Run::Quote(text, h, title));
            }
            None => {
                for (i, piece) in text.split('\u{c}').enumerate() {
                    if i > 0 {
                        page += 1;
                        runs.push(Run::Page(page));
                    }
                    runs.push(Run::Text(piece.to_string()));
                }
            }
        }
    }
    html! {
        div.archived-text {
            @for run in &runs {
                @match run {
                    Run::Page(n) => { span.page-no { "Page " (n) } }
                    Run::Quote(text, h, title) => {
                        mark class={ "q q-" (h.mark.as_str().replace(' ', "-")) } id={ "q-" (h.quotation) } title=(title) { (text) }
                    }
                    Run::Text(text) => { (text) }
                }
            }
        }
    }
}

/// A piece of an archived text as shown: plain text, a highlighted
/// quotation with its title, or the start of a page.
enum Run<'a> {
    Text(String),
    Quote(String, &'a dossier_views::Highlight, String),
    Page(usize),
}

pub(crate) fn archive_section(a: &ArchiveView) -> Markup {
    html! {
        section.archive {
            h2 { "Archived copies (" (a.copies.len()) ")" }
            table.copies {
                thead { tr { th { "Retrieved" } th { "Address" } th { "Type" } th { "Size" } th { "SHA-256" } } }
                tbody {
                    @for c in &a.copies {
                        tr {
                            td { (c.retrieved) }
                            td { @if let Some(u) = &c.url { (outside(u)) } @else { "—" } }
                            td { (c.media_type) }
                            td.num { (c.size) " bytes" }
                            td { a href={ "/archive/" (c.sha256) } title="Download the archived bytes" { code { (c.sha256.get(..16).unwrap_or(&c.sha256)) "…" } } }
                        }
                    }
                }
            }
            @if let Some(newest) = a.copies.first() {
                h3 { "Text of the copy retrieved " (newest.retrieved) }
                p.note { (a.highlights.len()) " anchored quotations found in it, highlighted."
                    @if !a.missing.is_empty() { " " (a.missing.len()) " no longer found in it:" } }
                @if !a.missing.is_empty() {
                    ul.missing { @for m in &a.missing { li id={ "q-" (m.quotation) } { q { (m.quote) } " " span.mark.mark-not-found { "not found" } } } }
                }
                (archived_text(a))
            }
        }
    }
}
