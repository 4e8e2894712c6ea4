//! Server-rendered pages (maud: every interpolated value is HTML-escaped).

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dossier_evidence::{Change, Check, Mark};
use dossier_model::Entity;
use dossier_store::Read;
use dossier_views::{ArchiveView, ClaimView, Profile, QuotationView};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::api::{self, search_query};
use axum::extract::{Path, Query, State};

use crate::{twin, AppState, Failure, JsonBody, Want, WebError};

pub(crate) fn layout(title: &str, query: &str, body: Markup, head: Option<Markup>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // The home page is "Dossier" alone, not "Dossier · Dossier".
                title { @if title == "Dossier" { "Dossier" } @else { (title) " · Dossier" } }
                link rel="stylesheet" href="/static/style.css";
                @if let Some(h) = head { (h) }
            }
            body {
                header.site {
                    a.brand href="/" { "Dossier" }
                    form.search action="/search" method="get" role="search" {
                        label.visually-hidden for="site-q" { "Search" }
                        input #site-q type="search" name="q" value=(query) placeholder="Organizations, people, claims, quotations" autocomplete="off";
                        button type="submit" { "Search" }
                    }
                    nav.site { a href="/review" { "Review pairs" } }
                }
                main { (body) }
                footer.site {
                    p { "Every statement here is attributed to a source. Dossier takes no side: assessments are shown as their authors' and organizations' own words and replies beside them." }
                }
                script src="/static/app.js" defer {}
            }
        }
    }
}

/// An error page (404, 400, 500) with its message.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Markup {
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::BAD_REQUEST => "Bad request",
        _ => "Something went wrong",
    };
    layout(
        title,
        "",
        html! {
            h1 { (title) }
            p.error { (message) }
            p { a href="/" { "Back to the start" } }
        },
        None,
    )
}

fn link(e: &Entity) -> Markup {
    html! { a href={ "/entities/" (e.id) } { (e.caption()) } }
}

fn name_with_acronym(e: &Entity) -> String {
    match e.first("abbreviation") {
        Some(a) if a != e.caption() => format!("{} ({a})", e.caption()),
        _ => e.caption().to_string(),
    }
}

/// A web address that may be a link: http(s) only, never `javascript:`
/// or `data:`.
fn safe_url(u: &str) -> Option<&str> {
    let lower = u.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(u)
}

/// A link to an outside address, or the address as plain text when it is
/// not one Dossier will link to.
pub(crate) fn outside(u: &str) -> Markup {
    match safe_url(u) {
        Some(href) => html! { a href=(href) rel="nofollow noopener" { (u) } },
        None => html! { (u) },
    }
}

fn span(e: &Entity) -> String {
    match (e.first("date"), e.first("startDate"), e.first("endDate")) {
        (Some(d), _, _) => d.to_string(),
        (None, Some(s), Some(t)) => format!("{s}–{t}"),
        (None, Some(s), None) => format!("since {s}"),
        (None, None, Some(t)) => format!("until {t}"),
        _ => String::new(),
    }
}

/// What verification says of a quotation, as `dossier verify` recorded
/// it: the mark (stale when a newer copy of the origin has not been
/// checked yet), linking to the quotation highlighted in its archived
/// origin, and where and when: the origin's title and address, the copy's
/// retrieval date and hash, how it was found, when it was checked, and for
/// an altered quotation what the origin says instead.
fn evidence_mark(c: &Check) -> Markup {
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

fn quotation(q: &QuotationView) -> Markup {
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

/// The archived text with every anchored quotation highlighted.
fn archived_text(a: &ArchiveView) -> Markup {
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

fn archive_section(a: &ArchiveView) -> Markup {
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

/// One claim: its kind (an assessment is marked as whose), text, quotations
/// with speakers, date, source, asserter, and replies.
fn claim(c: &ClaimView, show_subjects: bool) -> Markup {
    let kind = c.claim.first("kind").unwrap_or("claim");
    let who = c.asserted_by.as_ref();
    html! {
        article.claim.(format!("claim-{kind}")) id=(c.claim.id) {
            p.badge {
                @match kind {
                    "assessment" => { "Assessment by " @if let Some(w) = who { (link(w)) } @else { "the source's publisher" } },
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
                @if let Some(s) = &c.source { "Source: " a href={ "/entities/" (s.id) } { (s.caption()) } " · " }
                a href={ "/entities/" (c.claim.id) } { "claim" }
                @if !c.mentions.is_empty() {
                    " · Mentions " @for (i, m) in c.mentions.iter().enumerate() { @if i > 0 { ", " } (link(m)) }
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

fn funding_table(rows: &[dossier_views::FundingView], payer_side: bool) -> Markup {
    html! {
        table.funding {
            thead { tr { th { @if payer_side { "Donor" } @else { "Recipient" } } th.num { "Amount" } th { "Currency" } th { "Years" } th { "Source" } } }
            tbody {
                @for f in rows {
                    tr {
                        td { @if payer_side { (link(&f.payer)) } @else { (link(&f.beneficiary)) } }
                        td.num { (f.payment.first("amount").unwrap_or("—")) }
                        td { (f.payment.first("currency").unwrap_or("")) }
                        td { (span(&f.payment)) }
                        td { @if let Some(p) = f.payment.first("proof") { a href={ "/entities/" (p) } { "source" } } }
                    }
                }
            }
        }
    }
}

fn jsonld_script(value: &serde_json::Value) -> Markup {
    // Markup characters are written as JSON escapes, so no stored text can
    // close the script element or read as HTML.
    let text = value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    html! { script type="application/ld+json" { (PreEscaped(text)) } }
}

/// How many connections a profile page lists (the connections page lists more).
const PROFILE_CONNECTIONS: usize = 5;

/// The entities sharing the most with one, with what they share.
fn connections_section(c: &api::ConnectionsWire) -> Markup {
    let to = |e: &api::EntityRef| html! { a href={ "/entities/" (e.id) } { (e.name) } };
    html! {
        @if !c.connections.is_empty() {
            section.connections {
                h2 { "Connections" }
                p.note { "Entities that share networks, funders, people or mentions with this one, most shared first"
                    @if c.total > c.connections.len() { " (" (c.connections.len()) " of " (c.total) ")" } "." }
                ul {
                    @for x in &c.connections {
                        li {
                            (to(&x.entity)) " — shares " (x.shared) ": "
                            @for (i, v) in x.via.iter().enumerate() { @if i > 0 { ", " } (to(v)) }
                            @if x.shared > x.via.len() { ", …" }
                        }
                    }
                }
            }
        }
    }
}

/// The profile page of an organization or person, laid out like the pages
/// it is imported from.
fn profile_page(p: &Profile, conns: &api::ConnectionsWire) -> Markup {
    let e = &p.entity;
    let is_person = e.schema.name == "Person";
    // Claims about the subject and its members, grouped by topic and section.
    let mut groups: Vec<(String, String)> = Vec::new();
    let mut note = |t: Option<&str>, s: Option<&str>| {
        let key = (t.unwrap_or("").to_string(), s.unwrap_or("").to_string());
        if !groups.contains(&key) {
            groups.push(key);
        }
    };
    for c in &p.claims {
        note(c.claim.first("topic"), c.claim.first("section"));
    }
    for m in &p.members {
        for c in &m.claims {
            note(c.claim.first("topic"), c.claim.first("section"));
        }
    }
    let in_group = |c: &ClaimView, g: &(String, String)| {
        c.claim.first("topic").unwrap_or("") == g.0 && c.claim.first("section").unwrap_or("") == g.1
    };
    // The members are listed once, in the first section that is about them.
    let members_at = groups.iter().position(|g| {
        g.1.to_lowercase().contains("member")
            || p.members
                .iter()
                .any(|m| m.claims.iter().any(|c| in_group(c, g)))
    });
    let mut timeline: Vec<&ClaimView> = p
        .claims
        .iter()
        .chain(p.members.iter().flat_map(|m| &m.claims))
        .filter(|c| c.claim.has("eventDate"))
        .collect();
    timeline.sort_by(|a, b| a.claim.first("eventDate").cmp(&b.claim.first("eventDate")));
    let title = name_with_acronym(e);
    let head = jsonld_script(&crate::jsonld::profile(p));
    layout(
        &title,
        "",
        html! {
            article.profile {
                header.profile-head {
                    p.kind { (e.schema.name) }
                    h1 { (title) }
                    dl.fields {
                        @let countries = dossier_views::countries(e);
                        @if !countries.is_empty() {
                            dt { "Country/Territory" }
                            dd { @for (i, c) in countries.iter().enumerate() { @if i > 0 { ", " } (c.label) " " span.code { "(" (c.codes.join(", ")) ")" } } }
                        }
                        @let other_names: Vec<&str> = e.values("name").skip(1).collect();
                        @if !other_names.is_empty() {
                            dt { "Also named" }
                            dd { (other_names.join("; ")) }
                        }
                        @for (prop, label) in [("position", "Position"), ("website", "Website"), ("incorporationDate", "Founded"), ("registrationNumber", "Registration number"), ("alias", "Also known as"), ("address", "Address"), ("email", "Email"), ("legalForm", "Type")] {
                            @let vals: Vec<&str> = e.values(prop).collect();
                            @if !vals.is_empty() {
                                dt { (label) }
                                dd { @if prop == "website" { @for v in &vals { (outside(v)) " " } } @else { (vals.join("; ")) } }
                            }
                        }
                    }
                    @if !p.merged_from.is_empty() {
                        p.merged {
                            "Joins " (p.merged_from.len() + 1) " records judged to be the same; merged into this one: "
                            @for (i, m) in p.merged_from.iter().enumerate() {
                                @if i > 0 { ", " }
                                (m.names.first().map_or(m.id.as_str(), String::as_str)) " "
                                span.code { "(" (m.id) ")" } " "
                                a href={ "/review/" (e.id) "/" (m.id) } { "review" }
                            }
                        }
                    }
                    p.actions {
                        a href={ "/networks/" (e.id) } { "Network" } " · "
                        a href={ "/entities/" (e.id) "/history" } { "History" } " · "
                        a href={ "/entities/" (e.id) "/edit" } { "Edit" } " · "
                        a href={ "/entities/" (e.id) "/relationships/new" } { "Add a relationship" } " · "
                        a href={ "/entities/" (e.id) "/claims/new" } { "Add a claim" } " · "
                        a href={ "/entities/" (e.id) ".json" } { "JSON" }
                    }
                }
                @if !p.own_words.is_empty() {
                    section.own-words {
                        h2 { "In their own words" }
                        @for c in &p.own_words {
                            @for q in &c.quotations { blockquote { (q.quotation.first("text").unwrap_or("")) } p.meta { (evidence_mark(&q.check)) } }
                            @if c.quotations.is_empty() { blockquote { (c.claim.first("text").unwrap_or("")) } }
                            p.meta { @if let Some(s) = &c.source { "Source: " a href={ "/entities/" (s.id) } { (s.caption()) } } }
                        }
                    }
                }
                @for (gi, g) in groups.iter().enumerate() {
                    section.topic {
                        @if !g.0.is_empty() { h2 { (g.0) } }
                        @if !g.1.is_empty() { h3 { (g.1) } }
                        @for c in p.claims.iter().filter(|c| in_group(c, g)) { (claim(c, false)) }
                        @if members_at == Some(gi) {
                            ul.members {
                                @for m in &p.members {
                                    li {
                                        h4 { a href={ "/entities/" (m.member.id) } { (name_with_acronym(&m.member)) } }
                                        @for c in m.claims.iter().filter(|c| in_group(c, g)) { (claim(c, false)) }
                                    }
                                }
                            }
                        } @else {
                            @for m in &p.members {
                                @let here: Vec<&ClaimView> = m.claims.iter().filter(|c| in_group(c, g)).collect();
                                @if !here.is_empty() {
                                    h4 { a href={ "/entities/" (m.member.id) } { (name_with_acronym(&m.member)) } }
                                    @for c in here { (claim(c, false)) }
                                }
                            }
                        }
                    }
                }
                @if !p.members.is_empty() && members_at.is_none() {
                    section.members {
                        h2 { "Members" }
                        ul.members { @for m in &p.members { li { h4 { a href={ "/entities/" (m.member.id) } { (name_with_acronym(&m.member)) } } @for c in &m.claims { (claim(c, false)) } } } }
                    }
                }
                @if !p.funding.is_empty() {
                    section.funding { h2 { "Funding" } (funding_table(&p.funding, true)) }
                }
                @if !p.grants.is_empty() {
                    section.grants { h2 { "Funds given" } (funding_table(&p.grants, false)) }
                }
                @if !p.people.is_empty() {
                    section.people {
                        h2 { "Key people" }
                        ul { @for x in &p.people { li { (link(&x.person)) ", " (x.relation.first("role").unwrap_or("")) " " span.tag { @if x.relation.schema.name == "Directorship" { "board" } @else { "staff" } } " " (span(&x.relation)) } } }
                    }
                }
                @if !p.roles.is_empty() {
                    section.roles {
                        h2 { "Roles" }
                        ul { @for (o, r) in &p.roles { li { (r.first("role").unwrap_or(r.schema.name)) " at " (link(o)) " " (span(r)) } } }
                    }
                }
                @if !p.networks.is_empty() {
                    section.networks {
                        h2 { "Member of" }
                        ul { @for n in &p.networks { li { (link(&n.network)) } } }
                    }
                }
                @if !p.links.is_empty() {
                    section.links {
                        h2 { "Partners and other ties" }
                        ul { @for (o, l) in &p.links { li { (link(o)) " " span.tag { (l.first("role").unwrap_or("linked")) } } } }
                    }
                }
                @if !p.members.is_empty() {
                    section.member-list {
                        h2 { "Its members (" (p.members_total) ")" }
                        @if p.members_total > p.members.len() { p.note { "The first " (p.members.len()) " of " (p.members_total) " are listed here; all are in the network view and the API." } }
                        ul.compact { @for m in &p.members { li { a href={ "/entities/" (m.member.id) } { (name_with_acronym(&m.member)) } } } }
                    }
                }
                @if !p.mentioned_in.is_empty() {
                    section.mentions {
                        h2 { @if is_person { "Statements and mentions" } @else { "Mentioned in" } }
                        @for c in &p.mentioned_in { (claim(c, true)) }
                    }
                }
                @if !timeline.is_empty() {
                    section.timeline {
                        h2 { "Timeline" }
                        ol.timeline {
                            @for c in &timeline {
                                li {
                                    time datetime=(c.claim.first("eventDate").unwrap_or("")) { (c.claim.first("eventDate").unwrap_or("")) }
                                    " "
                                    @for s in &c.subjects { (link(s)) " " }
                                    a href={ "#" (c.claim.id) } { (dossier_views::shortened(c.claim.first("text").unwrap_or(""), 140)) }
                                }
                            }
                        }
                    }
                }
                (connections_section(conns))
                @if conns.total > conns.connections.len() {
                    p.actions { a href={ "/entities/" (e.id) "/connections" } { "All " (conns.total) " connections of " (e.caption()) } }
                }
                section.sources {
                    h2 { "All articles about " (e.caption()) }
                    @if p.sources.is_empty() { p { "No sources." } }
                    ul { @for s in &p.sources { li { (link(s)) @if let Some(r) = s.first("retrievedAt") { " · retrieved " (r) } @if let Some(u) = s.first("sourceUrl") { " · " (outside(u)) } } } }
                }
            }
        },
        Some(head),
    )
}

/// The history, edit and JSON links of an entity's page.
fn edit_links(id: &str) -> Markup {
    html! {
        p.actions {
            a href={ "/entities/" (id) "/history" } { "History" } " · "
            a href={ "/entities/" (id) "/edit" } { "Edit" } " · "
            a href={ "/entities/" (id) ".json" } { "JSON" }
        }
    }
}

fn claim_page(c: &ClaimView) -> Markup {
    let title = c
        .claim
        .first("text")
        .unwrap_or("Claim")
        .chars()
        .take(80)
        .collect::<String>();
    layout(
        &title,
        "",
        html! {
            h1 { "Claim" }
            (claim(c, true))
            (edit_links(&c.claim.id))
        },
        None,
    )
}

fn source_page(
    doc: &Entity,
    claims: &[ClaimView],
    entities: &[Entity],
    archive: Option<&ArchiveView>,
) -> Markup {
    layout(
        doc.caption(),
        "",
        html! {
            article.source {
                p.kind { "Source document" }
                h1 { (doc.caption()) }
                dl.fields {
                    @for (prop, label) in [("fileName", "File"), ("sourceUrl", "Address"), ("publisher", "Publisher"), ("author", "Author"), ("publishedAt", "Published"), ("retrievedAt", "Retrieved"), ("mimeType", "Type"), ("contentHash", "SHA-1")] {
                        @if let Some(v) = doc.first(prop) { dt { (label) } dd { @if prop == "sourceUrl" { (outside(v)) } @else { (v) } } }
                    }
                }
                (edit_links(&doc.id))
                @if let Some(a) = archive { (archive_section(a)) }
                section {
                    h2 { "Quotations and claims taken from it (" (claims.len()) ")" }
                    @for c in claims { (claim(c, true)) }
                }
                section {
                    h2 { "Who it speaks of" }
                    ul.compact { @for e in entities { li { (link(e)) } } }
                }
            }
        },
        None,
    )
}

/// A link to an entity named on a page.
fn named_link(n: &dossier_views::Named) -> Markup {
    html! { a href={ "/entities/" (n.id) } { (n.caption) } }
}

fn prop_rows(rows: &[dossier_views::PropRow]) -> Markup {
    html! {
        @for row in rows {
            dt title=(row.name) { (row.label) }
            dd {
                @for (i, v) in row.values.iter().enumerate() {
                    @if i > 0 { br; }
                    @match &v.names {
                        Some(n) => { (named_link(n)) " " small.kind { (n.kind) } }
                        None => { (v.value) }
                    }
                    @if !v.sources.is_empty() {
                        " " small.sources {
                            "(source: "
                            @for (j, s) in v.sources.iter().enumerate() {
                                @if j > 0 { ", " }
                                (named_link(s))
                            }
                            ")"
                        }
                    }
                }
            }
        }
    }
}

/// The page of an entity of FtM's model without a page of its own: its
/// properties by the schema that defines them, each value with its
/// sources, and the entities that point at it.
fn generic_page(v: &dossier_views::ThingView) -> Markup {
    layout(
        &v.entity.caption,
        "",
        html! {
            p.kind { (v.schema.label) }
            h1 { (v.entity.caption) }
            @if !v.featured.is_empty() {
                dl.fields { (prop_rows(&v.featured)) }
            }
            @for g in &v.groups {
                section {
                    h2 { (g.label) }
                    dl.fields { (prop_rows(&g.rows)) }
                }
            }
            @if !v.unknown.is_empty() {
                section {
                    h2 { "Not in FtM's model" }
                    p { "Kept as the source gave them." }
                    dl.fields { (prop_rows(&v.unknown)) }
                }
            }
            @for g in &v.incoming {
                section {
                    h2 title=(g.via) { (g.label) " (" (g.items.len()) ")" }
                    ul {
                        @for item in &g.items {
                            li {
                                (named_link(&item.entity)) " " small.kind { (item.entity.kind) }
                                @for (label, other) in &item.others {
                                    " · " (label) ": " (named_link(other))
                                }
                            }
                        }
                    }
                }
            }
            (edit_links(&v.entity.id))
        },
        None,
    )
}

/// The networks of the store: entities with members, most members first.
pub(crate) fn networks(store: &dyn Read) -> Result<Vec<(Entity, usize)>, WebError> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for m in store.entities(&["Membership"])? {
        if let Some(o) = m.first("organization") {
            *counts.entry(o.to_string()).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for (id, n) in counts {
        if let Some(e) = store.entity(&id)? {
            out.push((e, n));
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.caption().cmp(b.0.caption())));
    Ok(out)
}

pub(crate) async fn home(State(state): State<AppState>) -> Response {
    let r = state
        .with(|store, _| {
            let stats = store.stats()?;
            Ok((stats, networks(store)?))
        })
        .await;
    match r {
        Ok((stats, nets)) => layout("Dossier", "", html! {
            section.intro {
                h1 { "Sourced profiles of organizations and their networks" }
                p { "Who an organization is, which networks it belongs to, who funds and runs it, what it said and what others claim about it — every statement with its source." }
                form.big-search action="/search" method="get" role="search" {
                    label for="home-q" { "Search names, acronyms, claims and quotations" }
                    input #home-q type="search" name="q" autofocus placeholder="e.g. PCFF, Physicians for Human Rights, apartheid";
                    button type="submit" { "Search" }
                }
            }
            section {
                h2 { "Networks" }
                @if nets.is_empty() { p { "No networks yet: import a profile page." } }
                ul.networks {
                    @for (e, n) in &nets {
                        li { (link(e)) " — " (n) " members · " a href={ "/networks/" (e.id) } { "network" } }
                    }
                }
            }
            section {
                h2 { "In the store" }
                p { (dossier_views::counted(stats.current_statements, "statement", "statements")) " from " (dossier_views::counted(stats.sources, "source", "sources")) ": "
                    @for (i, (schema, n)) in stats.entities_by_schema.iter().enumerate() { @if i > 0 { ", " } (n) " " (schema) }
                }
                p { a href="/search" { "Browse everything" } " · " a href="/api/v1/openapi.json" { "API (OpenAPI)" } }
            }
        }, None).into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn home_json(State(state): State<AppState>) -> Response {
    match api::home_json(&state).await {
        Ok(v) => JsonBody(v).into_response(),
        Err(e) => Failure(e, Want::Json).into_response(),
    }
}

fn facet_link(params: &HashMap<String, String>, key: &str, value: &str) -> String {
    let mut p: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k.as_str() != "page")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let active = params.get(key).map(String::as_str) == Some(value);
    p.retain(|(k, _)| k != key);
    if !active {
        p.push((key.to_string(), value.to_string()));
    }
    p.sort();
    let qs: Vec<String> = p
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("/search?{}", qs.join("&"))
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let query = params.get("q").cloned().unwrap_or_default();
    match api::search_json(&state, params.clone()).await {
        Ok(r) => {
            let limit = search_query(&params).map(|q| q.limit).unwrap_or(20);
            let page = r.offset / limit + 1;
            let pages = r.total.div_ceil(limit).max(1);
            layout(if query.is_empty() { "Browse" } else { &query }, &query, html! {
                h1 { @if query.is_empty() { "Everything" } @else { "Results for “" (query) "”" } }
                p.count { (r.total) " results" }
                div.search-layout {
                    aside.facets {
                        @for (name, label) in [("kind", "Kind"), ("country", "Country"), ("topic", "Topic"), ("year", "Year")] {
                            @if let Some(values) = r.facets.get(name).filter(|v| !v.is_empty()) {
                                h2 { (label) }
                                ul {
                                    @for f in values.iter().take(15) {
                                        @let active = params.get(name).map(String::as_str) == Some(f.value.as_str());
                                        li.active[active] { a href=(facet_link(&params, name, &f.value)) { (f.value) } " " span.n { (f.count) } }
                                    }
                                }
                            }
                        }
                    }
                    ol.results {
                        @for h in &r.hits {
                            li {
                                a.title href={ "/entities/" (h.id) } { (h.title) }
                                " " span.tag { (h.kind) }
                                // The snippet is tantivy's HTML: escaped text, matches in <mark>.
                                @if !h.snippet.is_empty() { p.snippet { (PreEscaped(&h.snippet)) } }
                            }
                        }
                    }
                }
                @if pages > 1 {
                    nav.pages {
                        @if page > 1 { a href=(facet_link(&params, "page", &(page - 1).to_string())) { "← previous" } " " }
                        "page " (page) " of " (pages)
                        @if page < pages { " " a href=(facet_link(&params, "page", &(page + 1).to_string())) { "next →" } }
                    }
                }
            }, None).into_response()
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn search_json(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    match api::search_json(&state, params).await {
        Ok(v) => JsonBody(v).into_response(),
        Err(e) => Failure(e, Want::Json).into_response(),
    }
}

/// What an entity page shows, by schema.
enum EntityPage {
    Profile(Box<Profile>, api::ConnectionsWire),
    Claim(Box<ClaimView>),
    Source(
        Entity,
        Vec<ClaimView>,
        Vec<Entity>,
        Option<Box<ArchiveView>>,
    ),
    Other(Box<dossier_views::ThingView>),
}

pub(crate) async fn entity(State(state): State<AppState>, Path(raw): Path<String>) -> Response {
    let (id, want) = twin(&raw);
    let id = id.to_string();
    if want == Want::Json {
        let kind = state
            .with({
                let id = id.clone();
                move |store, _| Ok(store.entity(&id)?.map(|e| e.schema))
            })
            .await;
        let r: Result<Response, WebError> = match kind {
            Ok(Some(s)) if s.is_a("LegalEntity") => api::profile_json(&state, id)
                .await
                .map(|v| JsonBody(v).into_response()),
            Ok(Some(s)) if s.name == "Claim" => api::claim_json(&state, id)
                .await
                .map(|v| JsonBody(v).into_response()),
            Ok(Some(s)) if s.is_a("Document") => api::source_json(&state, id)
                .await
                .map(|v| JsonBody(v).into_response()),
            Ok(Some(_)) => api::entity_json(&state, id)
                .await
                .map(|v| JsonBody(v).into_response()),
            Ok(None) => Err(WebError::NotFound(format!("no entity {id}"))),
            Err(e) => Err(e),
        };
        return r.unwrap_or_else(|e| Failure(e, Want::Json).into_response());
    }
    let st = state.clone();
    let r = state
        .with(move |store, _| {
            let e = store
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("There is no entity {id}.")))?;
            Ok(if e.schema.is_a("LegalEntity") {
                let conns = api::connections_wire(store, &st, &e, PROFILE_CONNECTIONS)?;
                EntityPage::Profile(
                    Box::new(
                        dossier_views::profile(store, &e.id)?
                            .ok_or_else(|| WebError::NotFound(id.clone()))?,
                    ),
                    conns,
                )
            } else if e.schema.name == "Claim" {
                EntityPage::Claim(Box::new(dossier_views::claim_view(store, e)?))
            } else if e.schema.is_a("Document") {
                let (claims, entities) = api::source_view(store, &e)?;
                let archive = dossier_views::archive_view(store, &e.id)?.map(Box::new);
                EntityPage::Source(e, claims, entities, archive)
            } else {
                EntityPage::Other(Box::new(dossier_views::thing_view(store, &e)?))
            })
        })
        .await;
    match r {
        Ok(EntityPage::Profile(p, c)) => profile_page(&p, &c).into_response(),
        Ok(EntityPage::Claim(c)) => claim_page(&c).into_response(),
        Ok(EntityPage::Source(d, c, e, a)) => source_page(&d, &c, &e, a.as_deref()).into_response(),
        Ok(EntityPage::Other(v)) => generic_page(&v).into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn network(State(state): State<AppState>, Path(raw): Path<String>) -> Response {
    let (id, want) = twin(&raw);
    let r = api::network_json(&state, id.to_string()).await;
    match (r, want) {
        (Ok(n), Want::Json) => JsonBody(n).into_response(),
        (Ok(n), Want::Html) => {
            let title = format!("Network of {}", n.center.name);
            layout(&title, "", html! {
                h1 { "Network of " a href={ "/entities/" (n.center.id) } { (n.center.name) } }
                p { (n.nodes.len()) " entities"
                    @if n.total > n.nodes.len() { " (the most tied of " (n.total) ")" }
                    ", " (n.edges.len()) " ties: the network's members and their other ties (networks they share, funders, people). Every node links to its profile." }
                (crate::svg::network(&n))
                p.actions { a href={ "/networks/" (n.center.id) ".json" } { "JSON" } }
                details {
                    summary { "Ties as a table" }
                    table {
                        thead { tr { th { "From" } th { "Tie" } th { "To" } th { "Details" } } }
                        tbody {
                            @for e in &n.edges {
                                @let name = |id: &str| n.nodes.iter().find(|x| x.id == id).map(|x| x.label.clone()).unwrap_or_default();
                                tr { td { a href={ "/entities/" (e.source) } { (name(&e.source)) } } td { (e.kind) } td { a href={ "/entities/" (e.target) } { (name(&e.target)) } } td { (e.label) } }
                            }
                        }
                    }
                }
            }, None).into_response()
        }
        (Err(e), w) => Failure(e, w).into_response(),
    }
}

/// The bytes of an archived copy, shown as text (never run as a page: an
/// archived page's scripts stay inert), or downloaded when not text.
pub(crate) async fn archived(State(state): State<AppState>, Path(sha): Path<String>) -> Response {
    if let Err(e) = copy_name(&sha) {
        return Failure(e, Want::Html).into_response();
    }
    let r = state
        .with({
            let sha = sha.clone();
            move |store, _| Ok(store.copy_content(&sha)?)
        })
        .await;
    match r {
        Ok(Some(bytes)) => {
            let text = std::str::from_utf8(&bytes).is_ok();
            let (ctype, ext) = if text {
                ("text/plain; charset=utf-8", "txt")
            } else {
                ("application/octet-stream", "bin")
            };
            (
                [
                    (axum::http::header::CONTENT_TYPE, ctype.to_string()),
                    (
                        axum::http::header::X_CONTENT_TYPE_OPTIONS,
                        "nosniff".to_string(),
                    ),
                    (
                        axum::http::header::CONTENT_SECURITY_POLICY,
                        "sandbox; default-src 'none'".to_string(),
                    ),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        format!(
                            "{}; filename=\"{sha}.{ext}\"",
                            if text { "inline" } else { "attachment" }
                        ),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => Failure(
            WebError::NotFound(format!("There is no archived copy {sha}.")),
            Want::Html,
        )
        .into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// An archived copy's name: its SHA-256, 64 lower-case hex digits.
fn copy_name(sha: &str) -> Result<(), WebError> {
    let valid = sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if valid {
        Ok(())
    } else {
        Err(WebError::BadRequest(
            "an archived copy is named by its SHA-256: 64 lower-case hex digits".into(),
        ))
    }
}

/// `/archive/{sha256}/text`: the text extracted from an archived copy,
/// the representation its quotations' selectors count in (code points):
/// what an exported annotation's target names, so that any Web Annotation
/// tool resolves the selectors to the quoted words.
pub(crate) async fn archived_text_page(
    State(state): State<AppState>,
    Path(sha): Path<String>,
) -> Response {
    if let Err(e) = copy_name(&sha) {
        return Failure(e, Want::Html).into_response();
    }
    let r = state
        .with({
            let sha = sha.clone();
            move |store, _| Ok(store.copy_text(&sha)?)
        })
        .await;
    match r {
        Ok(Some(text)) => (
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "text/plain; charset=utf-8",
                ),
                (axum::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (
                    axum::http::header::CONTENT_SECURITY_POLICY,
                    "sandbox; default-src 'none'",
                ),
            ],
            text,
        )
            .into_response(),
        Ok(None) => Failure(
            WebError::NotFound(format!("There is no archived copy {sha}.")),
            Want::Html,
        )
        .into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// `/entities/{id}/connections`: the entities sharing the most with one,
/// from the analysis graph (kept off the profile page itself, whose render
/// time it would triple on a large store).
pub(crate) async fn connections(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    connections_page(state, id, Want::Html).await
}

/// The JSON twin of the connections page.
pub(crate) async fn connections_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    connections_page(state, id, Want::Json).await
}

async fn connections_page(state: AppState, id: String, want: Want) -> Response {
    let r = api::connections_json(&state, id).await;
    match (r, want) {
        (Ok(c), Want::Json) => JsonBody(c).into_response(),
        (Ok(c), Want::Html) => {
            let title = format!("Connections of {}", c.entity.name);
            layout(
                &title,
                "",
                html! {
                    p.kind { "Connections" }
                    h1 { a href={ "/entities/" (c.entity.id) } { (c.entity.name) } }
                    @if c.connections.is_empty() { p { "Nothing shares a network, funder, person or mention with it." } }
                    (connections_section(&c))
                },
                None,
            )
            .into_response()
        }
        (Err(e), want) => Failure(e, want).into_response(),
    }
}
