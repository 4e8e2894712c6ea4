//! Claims, quotations and what verification says of them.

use dossier_evidence::{Change, Check, Mark};
use dossier_views::{ClaimView, QuotationView};
use maud::{html, Markup};

use super::{link, outside};

/// What verification says of a quotation, as `dossier verify` recorded
/// it: the mark (stale when a newer copy of the origin has not been
/// checked yet), linking to the quotation highlighted in its archived
/// origin, and where and when: the origin's title and address, the copy's
/// retrieval date and hash, how it was found, when it was checked, and for
/// an altered quotation what the origin says instead.
pub(crate) fn evidence_mark(c: &Check) -> Markup {
    let stale = c.recorded.as_ref().is_some_and(|r| r.stale);
    let shown = if stale { "stale" } else { c.mark.as_str() };
    let class = format!("mark mark-{}", shown.replace(' ', "-"));
    let when = c
        .copy
        .as_ref()
        .map(|k| k.retrieved.get(..10).unwrap_or(&k.retrieved).to_string())
        .unwrap_or_default();
    let title = match (c.mark, stale) {
        (_, true) => format!(
            "Checked against an older copy (retrieved {when}); the newest copy of its origin has not been checked yet"
        ),
        (Mark::Verified, _) => format!("Found in the archived copy of its origin (retrieved {when})"),
        (Mark::Altered, _) => {
            format!("The archived copy of its origin (retrieved {when}) says something different")
        }
        (Mark::NotFound, _) => format!("Not in the archived copy of its origin (retrieved {when})"),
        (Mark::NotOrigin, _) => c
            .recorded
            .as_ref()
            .and_then(|r| r.refusal.clone())
            .unwrap_or_else(|| "The document it was linked to is not its origin".to_string()),
        (Mark::Unchecked, _) => "Anchored in an archived origin, not yet checked".to_string(),
        (Mark::NoArchive, _) => "No archived origin to check it against".to_string(),
    };
    let difference = c
        .recorded
        .as_ref()
        .filter(|_| c.mark == Mark::Altered)
        .and_then(|r| r.difference.as_deref())
        .map(dossier_evidence::locate::parse_diff_line);
    html! {
        " "
        @if let Some(o) = c.origin.as_ref().filter(|_| c.mark != Mark::NotOrigin) {
            a class=(class) href={ "/entities/" (o) "#q-" (c.quotation) } title=(title) { (shown) }
        } @else {
            span class=(class) title=(title) { (shown) }
        }
        @if let (Some(r), Some(copy)) = (&c.recorded, &c.copy) {
            @if c.mark != Mark::NotOrigin {
                span.where {
                    " in "
                    @if let Some(o) = &c.origin {
                        a href={ "/entities/" (o) } { (r.origin_title.as_deref().unwrap_or(o)) }
                    }
                    @if let Some(u) = &r.origin_url { " (" (outside(u)) ")" }
                    ", copy of " (when)
                    " " abbr title={ "SHA-256 " (copy.sha256) } { (copy.sha256.get(..12).unwrap_or(&copy.sha256)) }
                    @if let Some(m) = r.method { ", " (m.as_str()) " match" }
                    ", checked " (r.checked_at.get(..10).unwrap_or(&r.checked_at))
                }
            } @else if let Some(reason) = &r.refusal {
                span.where { " " (reason) }
            }
        }
        @if let Some(diff) = difference {
            span.diff {
                " The origin says: "
                @for ch in &diff {
                    @match ch {
                        Change::Same(t) => { (t) },
                        Change::Removed(t) => { del { (t) } },
                        Change::Added(t) => { ins { (t) } },
                    }
                }
            }
        }
    }
}

pub(crate) fn quotation(q: &QuotationView) -> Markup {
    // With no origin checked to hold it, a way forward: give its origin.
    let wanting = matches!(
        q.check.mark,
        Mark::NoArchive | Mark::NotOrigin | Mark::NotFound
    );
    html! {
        q { (q.quotation.first("text").unwrap_or("")) }
        @if let Some(s) = &q.speaker { span.speaker { " — " (link(s)) } }
        (evidence_mark(&q.check))
        @if wanting {
            " " a.give-origin href={ "/quotations/" (q.quotation.id) "/origin" } { "give its origin" }
        }
    }
}

/// Who published a claim's sources, when every source names its
/// publisher: each such assessment is theirs.
fn publisher(c: &ClaimView) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    for s in &c.sources {
        let p = s.first("publisher")?;
        if !names.contains(&p) {
            names.push(p);
        }
    }
    (!names.is_empty()).then(|| names.join(" and "))
}

/// One claim: its kind (an assessment is marked as whose: its asserter,
/// else the source's publisher by name when the source gives one), text,
/// quotations with speakers, date, every source that reports it, and
/// replies. Editors get a way to reply.
pub(crate) fn claim(c: &ClaimView, show_subjects: bool) -> Markup {
    let kind = c.claim.first("kind").unwrap_or("claim");
    let who = c.asserted_by.as_ref();
    let edits = crate::auth::Who::now().edits();
    html! {
        article.claim.(format!("claim-{kind}")) id=(c.claim.id) {
            p.badge {
                @match kind {
                    "assessment" => { "Assessment by " @if let Some(w) = who { (link(w)) } @else if let Some(p) = publisher(c) { (p) @if c.sources.len() > 1 { " (publishers of the sources)" } @else { " (publisher of the source)" } } @else if c.sources.len() > 1 { "the sources' publishers" } @else { "the source's publisher" } },
                    "quote" => { "In their own words" @if let Some(w) = who { " — " (link(w)) } },
                    "fact" => { "Reported fact" @if let Some(w) = who { ", per " (link(w)) } },
                    other => { (other) },
                }
            }
            @if show_subjects && !c.subjects.is_empty() {
                p.about { "About " @for (i, s) in c.subjects.iter().enumerate() { @if i > 0 { ", " } (link(s)) } }
            }
            p.text { (c.claim.first("text").unwrap_or("")) }
            @if !c.quotations.is_empty() {
                ul.quotations {
                    @for q in &c.quotations {
                        li { (quotation(q)) }
                    }
                }
            }
            p.meta {
                @if let Some(d) = c.claim.first("eventDate") { time datetime=(d) { (d) } " · " }
                @if !c.sources.is_empty() {
                    @if c.sources.len() == 1 { "Source: " } @else { (c.sources.len()) " sources: " }
                    @for (i, s) in c.sources.iter().enumerate() {
                        @if i > 0 { "; " }
                        a href={ "/entities/" (s.id) } { (s.caption()) }
                        @if let Some(d) = s.first("publishedAt") { " (" (d) ")" }
                    }
                    " · "
                }
                a href={ "/entities/" (c.claim.id) } { "claim" }
                @if !c.mentions.is_empty() {
                    " · Mentions " @for (i, m) in c.mentions.iter().enumerate() { @if i > 0 { ", " } (link(m)) }
                }
                @if edits {
                    @if let Some(s) = c.subjects.first() {
                        " · " a href={ "/entities/" (s.id) "/claims/new?replyTo=" (c.claim.id) } { "Reply" }
                    }
                }
            }
            @for r in &c.replies {
                div.reply {
                    p.badge { "Reply" }
                    (claim(r, false))
                }
            }
        }
    }
}
