//! The profile page of an organization or person.

use std::collections::HashSet;

use dossier_model::Entity;
use dossier_views::{ClaimView, Profile};
use maud::{html, Markup, PreEscaped};

use crate::api;
use crate::auth::Who;
use crate::views::{
    claim, crumbs, evidence_mark, kind_label, kind_path, kind_plural, layout, link,
    name_with_acronym, outside, span,
};

/// The sources a relationship names (`proof`), each by its title.
fn proofs(p: &Profile, relation: &Entity) -> Markup {
    html! {
        @for (i, d) in relation.values("proof").enumerate() {
            @if i > 0 { "; " }
            a href={ "/entities/" (d) } {
                (p.documents.get(d).map_or(d, |doc| doc.caption()))
            }
        }
    }
}

/// A relationship's dates as a sortable cell: the text shown, and the
/// first date as the key.
fn dates_cell(relation: &Entity) -> Markup {
    let key = ["date", "startDate", "endDate"]
        .iter()
        .find_map(|k| relation.first(k))
        .unwrap_or("");
    html! { td data-label="Dates" data-key=(key) { (span(relation)) } }
}

fn funding_table(p: &Profile, rows: &[dossier_views::FundingView], payer_side: bool) -> Markup {
    let who = if payer_side { "Donor" } else { "Recipient" };
    html! {
        table.rel data-sortable {
            thead { tr { th scope="col" { (who) } th.num scope="col" { "Amount" } th scope="col" { "Currency" } th scope="col" { "Years" } th scope="col" { "Source" } } }
            tbody {
                @for f in rows {
                    tr {
                        td data-label=(who) { @if payer_side { (link(&f.payer)) } @else { (link(&f.beneficiary)) } }
                        td.num data-label="Amount" data-key=(f.payment.first("amount").unwrap_or("")) { (f.payment.first("amount").unwrap_or("—")) }
                        td data-label="Currency" { (f.payment.first("currency").unwrap_or("")) }
                        (dates_cell(&f.payment))
                        td data-label="Source" { (proofs(p, &f.payment)) }
                    }
                }
            }
        }
    }
}

pub(crate) fn jsonld_script(value: &impl serde::Serialize) -> Markup {
    // Markup characters are written as JSON escapes, so no stored text can
    // close the script element or read as HTML.
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut text = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => text.push_str("\\u003c"),
            '>' => text.push_str("\\u003e"),
            '&' => text.push_str("\\u0026"),
            c => text.push(c),
        }
    }
    html! { script type="application/ld+json" { (PreEscaped(text)) } }
}

/// How many connections a profile page lists (the connections page lists more).
pub(crate) const PROFILE_CONNECTIONS: usize = 5;

/// The entities sharing the most with one, with what they share.
pub(crate) fn connections_section(c: &api::ConnectionsWire) -> Markup {
    let to = |e: &api::EntityRef| html! { a href={ "/entities/" (e.id) } { (e.name) } };
    html! {
        @if !c.connections.is_empty() {
            section.connections {
                h2 { "Connections" }
                p.note { "Entities that share networks, funders, people or partners with this one, most shared first"
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

/// A section's heading and anchor, for the table of contents.
struct Part {
    id: &'static str,
    label: String,
}

/// The claims of one topic: those about the subject, then those about
/// each member, each distinct claim once on the page.
struct Topic<'a> {
    name: String,
    own: Vec<&'a ClaimView>,
    members: Vec<(&'a Entity, Vec<&'a ClaimView>)>,
}

/// The claims about the subject and its members by topic, in the order
/// first met, each claim shown once: a claim about two members, or about
/// the subject and a member, stands under the first.
fn topics(p: &Profile) -> Vec<Topic<'_>> {
    let mut out: Vec<Topic<'_>> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    fn topic_of<'t, 'a>(out: &'t mut Vec<Topic<'a>>, name: &str) -> &'t mut Topic<'a> {
        let i = match out.iter().position(|t| t.name == name) {
            Some(i) => i,
            None => {
                out.push(Topic {
                    name: name.to_string(),
                    own: Vec::new(),
                    members: Vec::new(),
                });
                out.len() - 1
            }
        };
        &mut out[i]
    }
    for c in &p.claims {
        if seen.insert(&c.claim.id) {
            seen.extend(c.same.iter().map(String::as_str));
            topic_of(&mut out, c.claim.first("topic").unwrap_or(""))
                .own
                .push(c);
        }
    }
    for m in &p.members {
        for c in &m.claims {
            if c.same
                .iter()
                .chain([&c.claim.id])
                .any(|id| seen.contains(id.as_str()))
            {
                continue;
            }
            seen.insert(&c.claim.id);
            seen.extend(c.same.iter().map(String::as_str));
            let t = topic_of(&mut out, c.claim.first("topic").unwrap_or(""));
            match t.members.iter_mut().find(|(e, _)| e.id == m.member.id) {
                Some((_, list)) => list.push(c),
                None => t.members.push((&m.member, vec![c])),
            }
        }
    }
    out
}

/// "12 recorded, of more than 150 listed by SOURCE": how many members are
/// recorded beside how many the sources say there are, in their words.
fn member_count(p: &Profile) -> Markup {
    html! {
        (p.members_total) " recorded"
        @for (i, s) in p.stated_members.iter().enumerate() {
            @if i == 0 { ", of " } @else { "; " }
            a href={ "#" (s.claim) } { (s.words) }
            @if let Some(src) = &s.source { " listed by " a href={ "/entities/" (src.id) } { (src.caption()) } }
        }
    }
}

/// Which members are listed, A to Z, and the way to the others: a page of
/// [`dossier_views::MEMBER_LIMIT`] at a time.
fn members_pager(p: &Profile) -> Markup {
    let limit = dossier_views::MEMBER_LIMIT;
    let page = p.members_offset / limit + 1;
    let pages = p.members_total.div_ceil(limit);
    let at = |n: usize| format!("/entities/{}?members={n}#members", p.entity.id);
    html! {
        nav.pages aria-label="Pages of members" {
            "Members " (p.members_offset + 1) "–" (p.members_offset + p.members.len()) " of " (p.members_total) ", A to Z"
            @if page > 1 { " · " a href=(at(page - 1)) rel="prev" { "← previous " (limit) } }
            @if page < pages { " · " a href=(at(page + 1)) rel="next" { "next " (limit) " →" } }
            " · page " (page) " of " (pages)
        }
    }
}

/// The box at the top of a profile: who it is, in one screen.
fn summary_box(p: &Profile) -> Markup {
    let e = &p.entity;
    let countries = dossier_views::countries(e);
    let other_names: Vec<&str> = e.values("name").skip(1).collect();
    let first = p.own_words.first();
    let first_quote = first.and_then(|c| c.quotations.first());
    let first_words = first_quote
        .and_then(|q| q.quotation.first("text"))
        .or_else(|| first.and_then(|c| c.claim.first("text")));
    html! {
        section.summary-box aria-label="Summary" {
            dl.fields {
                @if let Some(a) = e.first("abbreviation") { dt { "Acronym" } dd { (a) } }
                @if !other_names.is_empty() { dt { "Also named" } dd { (other_names.join("; ")) } }
                @let aliases: Vec<&str> = e.values("alias").collect();
                @if !aliases.is_empty() { dt { "Also known as" } dd { (aliases.join("; ")) } }
                dt { "Kind" }
                dd { (kind_label(e.schema.name)) @for f in e.values("legalForm") { ", " (f) } }
                @if !countries.is_empty() {
                    dt { "Country" }
                    dd { @for (i, c) in countries.iter().enumerate() { @if i > 0 { ", " } span title={ "ISO code " (c.codes.join(", ")) } { (c.label) } } }
                }
                @for (prop, label) in [("position", "Position"), ("incorporationDate", "Founded"), ("birthDate", "Born"), ("website", "Website"), ("address", "Address"), ("email", "Email"), ("registrationNumber", "Registration number")] {
                    @let vals: Vec<&str> = e.values(prop).collect();
                    @if !vals.is_empty() {
                        dt { (label) }
                        dd { @if prop == "website" { @for (i, v) in vals.iter().enumerate() { @if i > 0 { " " } (outside(v)) } } @else { (vals.join("; ")) } }
                    }
                }
                @if !p.members.is_empty() { dt { "Members" } dd { (member_count(p)) " · " a href="#members" { "list" } } }
                dt { "Sources" }
                dd { a href="#sources" { (dossier_views::counted(p.sources.len() as u64, "document", "documents")) } }
                @if let Some(u) = &p.updated {
                    dt { "Last updated" }
                    dd { time datetime=(u) { (u.get(..10).unwrap_or(u)) } }
                }
            }
            @for s in e.values("summary").chain(e.values("description")) {
                p.summary { (s) }
            }
            @if let Some(w) = first_words {
                figure.own {
                    blockquote { (w) }
                    figcaption {
                        "In its own words"
                        @if let Some(q) = first_quote { (evidence_mark(&q.check)) }
                        @if let Some(s) = first.and_then(|c| c.sources.first()) { " · source: " a href={ "/entities/" (s.id) } { (s.caption()) } }
                        @if more_own_words(p) { " · " a href="#own-words" { "more" } }
                    }
                }
            }
        }
    }
}

/// Whether the subject's own words hold more than the summary box shows
/// (its first quotation).
fn more_own_words(p: &Profile) -> bool {
    p.own_words.len() > 1 || p.own_words.first().is_some_and(|c| c.quotations.len() > 1)
}

/// The links under a profile's heading: its network and history, ways to
/// edit for editors, and downloads.
fn actions(e: &Entity) -> Markup {
    let id = &e.id;
    html! {
        nav.actions aria-label="About this profile" {
            a href={ "/networks/" (id) } { "Network" } " · "
            a href={ "/entities/" (id) "/connections" } { "Connections" } " · "
            a href={ "/entities/" (id) "/history" } { "History" }
            @if Who::now().edits() {
                " · " a href={ "/entities/" (id) "/edit" } { "Edit" }
                " · " a href={ "/entities/" (id) "/relationships/new" } { "Add a relationship" }
                " · " a href={ "/entities/" (id) "/claims/new" } { "Add a claim" }
            }
        }
        (downloads(id))
    }
}

/// Downloads of an entity and its neighbourhood, and how to cite it.
pub(crate) fn downloads(id: &str) -> Markup {
    html! {
        p.downloads {
            "Download: "
            a href={ "/entities/" (id) "/export.csv" } download { "CSV" } " · "
            a href={ "/entities/" (id) "/export.ftm.json" } download { "FtM" } " · "
            a href={ "/entities/" (id) "/export.gexf" } download { "GEXF" } " · "
            a href={ "/entities/" (id) ".json" } { "JSON" } " · "
            a href={ "/entities/" (id) "#cite" } { "Cite this" }
        }
    }
}

/// How to cite a page: its stable address and the date of its record.
pub(crate) fn cite(name: &str, id: &str, updated: Option<&str>) -> Markup {
    let path = format!("/entities/{id}");
    let date = updated.map(|u| u.get(..10).unwrap_or(u));
    html! {
        section #cite {
            h2 { "Cite this" }
            p.cite {
                "Dossier, “" (name) "”, "
                span.cite-url data-path=(path) { (path) }
                @if let Some(d) = date { ", record of " (d) }
                "."
            }
            p.note { "The address is stable: a record merged into another leads to it. The JSON, FtM and CSV downloads carry every value's sources." }
        }
    }
}

/// A person tied to the subject: name, role, board or staff, dates, source.
fn people_table(p: &Profile) -> Markup {
    html! {
        table.rel data-sortable {
            thead { tr { th scope="col" { "Person" } th scope="col" { "Role" } th scope="col" { "Seat" } th scope="col" { "Dates" } th scope="col" { "Source" } } }
            tbody {
                @for x in &p.people {
                    tr {
                        td data-label="Person" { (link(&x.person)) }
                        td data-label="Role" { (x.relation.first("role").unwrap_or("")) }
                        td data-label="Seat" { @if x.relation.schema.name == "Directorship" { "board" } @else { "staff" } }
                        (dates_cell(&x.relation))
                        td data-label="Source" { (proofs(p, &x.relation)) }
                    }
                }
            }
        }
    }
}

/// Ties to other entities: the other party, what the tie is, dates, source.
fn ties_table(p: &Profile, heading: &str, rows: &[(&Entity, &Entity)]) -> Markup {
    html! {
        table.rel data-sortable {
            thead { tr { th scope="col" { (heading) } th scope="col" { "Relationship" } th scope="col" { "Dates" } th scope="col" { "Source" } } }
            tbody {
                @for (other, rel) in rows {
                    tr {
                        td data-label=(heading) { (link(other)) }
                        td data-label="Relationship" { (relationship(rel)) }
                        (dates_cell(rel))
                        td data-label="Source" { (proofs(p, rel)) }
                    }
                }
            }
        }
    }
}

/// What a tie is, in the words it was recorded with: its role, else its
/// description or summary, else its kind.
fn relationship(rel: &Entity) -> String {
    let said = ["role", "relationship", "description", "summary"]
        .iter()
        .find_map(|p| rel.first(p));
    match said {
        Some(s) => s.to_string(),
        None => match rel.schema.name {
            "Membership" => "member".into(),
            "Employment" => "employed".into(),
            "Directorship" => "director".into(),
            "UnknownLink" => "tie (unspecified)".into(),
            other => other.to_string(),
        },
    }
}

/// The profile page of an organization or person: a summary box first,
/// then its relationships as tables with their sources, then what is
/// said of it by topic, each distinct claim once with all its sources.
pub(crate) fn profile_page(p: &Profile, conns: &api::ConnectionsWire) -> Markup {
    let e = &p.entity;
    let is_person = e.schema.name == "Person";
    let topics = topics(p);
    let mut timeline: Vec<&ClaimView> = topics
        .iter()
        .flat_map(|t| t.own.iter().chain(t.members.iter().flat_map(|(_, l)| l)))
        .copied()
        .filter(|c| c.claim.has("eventDate"))
        .collect();
    timeline.sort_by(|a, b| a.claim.first("eventDate").cmp(&b.claim.first("eventDate")));
    let title = name_with_acronym(e);
    let head = jsonld_script(&crate::jsonld::profile(p));
    let networks: Vec<(&Entity, &Entity)> = p
        .networks
        .iter()
        .map(|n| (&n.network, &n.membership))
        .collect();
    let links: Vec<(&Entity, &Entity)> = p.links.iter().map(|(o, l)| (o, l)).collect();
    let roles: Vec<(&Entity, &Entity)> = p.roles.iter().map(|(o, r)| (o, r)).collect();
    let mut parts: Vec<Part> = Vec::new();
    let mut part = |id: &'static str, label: String, present: bool| {
        if present {
            parts.push(Part { id, label });
        }
    };
    part("own-words", "In its own words".into(), more_own_words(p));
    part(
        "members",
        format!("Members ({})", p.members_total),
        !p.members.is_empty(),
    );
    part(
        "people",
        format!("People ({})", p.people.len()),
        !p.people.is_empty(),
    );
    part(
        "roles",
        format!("Roles ({})", p.roles.len()),
        !p.roles.is_empty(),
    );
    part(
        "member-of",
        format!("Member of ({})", p.networks.len()),
        !p.networks.is_empty(),
    );
    part(
        "partners",
        format!("Partners and other ties ({})", p.links.len()),
        !p.links.is_empty(),
    );
    part(
        "funding",
        format!("Funding ({})", p.funding.len()),
        !p.funding.is_empty(),
    );
    part(
        "grants",
        format!("Funds given ({})", p.grants.len()),
        !p.grants.is_empty(),
    );
    let said = topics
        .iter()
        .map(|t| t.own.len() + t.members.iter().map(|(_, l)| l.len()).sum::<usize>())
        .sum::<usize>();
    part("claims", format!("What the sources say ({said})"), said > 0);
    part(
        "mentions",
        format!(
            "{} ({})",
            if is_person {
                "Statements and mentions"
            } else {
                "Mentioned in"
            },
            p.mentioned_in.len()
        ),
        !p.mentioned_in.is_empty(),
    );
    part(
        "timeline",
        format!("Timeline ({})", timeline.len()),
        !timeline.is_empty(),
    );
    part("sources", format!("Sources ({})", p.sources.len()), true);
    part("cite", "Cite this".into(), true);
    let (kind_name, kind_href) = (kind_label(e.schema.name), kind_path(e.schema.name));
    let kinds = kind_plural(e.schema.name);
    layout(
        &title,
        "",
        html! {
            (crumbs(&[(kinds, kind_href.as_str())], e.caption()))
            article.profile {
                header.profile-head {
                    p.kind { (kind_name) }
                    h1 { (title) }
                    (summary_box(p))
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
                    (actions(e))
                }
                nav.toc aria-label="On this page" {
                    h2 { "On this page" }
                    ul { @for x in &parts { li { a href={ "#" (x.id) } { (x.label) } } } }
                }
                @if more_own_words(p) {
                    section #own-words {
                        h2 { "In its own words" }
                        @for c in &p.own_words {
                            @for q in &c.quotations { blockquote { (q.quotation.first("text").unwrap_or("")) } p.meta { (evidence_mark(&q.check)) } }
                            @if c.quotations.is_empty() { blockquote { (c.claim.first("text").unwrap_or("")) } }
                            p.meta {
                                @if !c.sources.is_empty() { "Source: " }
                                @for (i, s) in c.sources.iter().enumerate() { @if i > 0 { "; " } a href={ "/entities/" (s.id) } { (s.caption()) } }
                            }
                        }
                    }
                }
                @if !p.members.is_empty() {
                    section #members {
                        h2 { "Members" }
                        p.count { (member_count(p)) "." }
                        @if p.members_total > p.members.len() {
                            (members_pager(p))
                        }
                        table.rel data-sortable data-filter="members" {
                            @let dated = p.members.iter().any(|m| !span(&m.membership).is_empty());
                            thead { tr { th scope="col" { "Member" } th scope="col" { "Role" } @if dated { th scope="col" { "Dates" } } th scope="col" { "Source" } th.num scope="col" { "Claims" } } }
                            tbody {
                                @for m in &p.members {
                                    tr {
                                        td data-label="Member" { a href={ "/entities/" (m.member.id) } { (name_with_acronym(&m.member)) } }
                                        td data-label="Role" { (relationship(&m.membership)) }
                                        @if dated { (dates_cell(&m.membership)) }
                                        td data-label="Source" { (proofs(p, &m.membership)) }
                                        td.num data-label="Claims" data-key=(m.claims.len()) { @if m.claims.is_empty() { "—" } @else { (m.claims.len()) } }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !p.people.is_empty() { section #people { h2 { "People" } (people_table(p)) } }
                @if !roles.is_empty() { section #roles { h2 { "Roles" } (ties_table(p, "Organization", &roles)) } }
                @if !networks.is_empty() { section #member-of { h2 { "Member of" } (ties_table(p, "Network", &networks)) } }
                @if !links.is_empty() { section #partners { h2 { "Partners and other ties" } (ties_table(p, "Partner", &links)) } }
                @if !p.funding.is_empty() { section #funding { h2 { "Funding" } (funding_table(p, &p.funding, true)) } }
                @if !p.grants.is_empty() { section #grants { h2 { "Funds given" } (funding_table(p, &p.grants, false)) } }
                @if said > 0 {
                    section #claims {
                        h2 { "What the sources say" }
                        p.note { "Each claim once, with every source that reports it. Assessments are their authors'; the organization's own words and replies stand beside them." }
                        @for t in &topics {
                            details.topic open {
                                summary { h3 { @if t.name.is_empty() { "Other" } @else { (t.name) } } " " span.n { (t.own.len() + t.members.iter().map(|(_, l)| l.len()).sum::<usize>()) } }
                                @for c in &t.own { (claim(c, false)) }
                                @for (m, list) in &t.members {
                                    h4 { a href={ "/entities/" (m.id) } { (name_with_acronym(m)) } }
                                    @for c in list { (claim(c, false)) }
                                }
                            }
                        }
                    }
                }
                @if !p.mentioned_in.is_empty() {
                    section #mentions {
                        h2 { @if is_person { "Statements and mentions" } @else { "Mentioned in" } }
                        details open[p.mentioned_in.len() <= 10] {
                            summary { (p.mentioned_in.len()) " claims about others that name it" }
                            @for c in &p.mentioned_in { (claim(c, true)) }
                        }
                    }
                }
                @if !timeline.is_empty() {
                    section #timeline {
                        h2 { "Timeline" }
                        details {
                            summary { (timeline.len()) " dated claims, oldest first" }
                            ol.timeline {
                                @for c in &timeline {
                                    li {
                                        time datetime=(c.claim.first("eventDate").unwrap_or("")) { (c.claim.first("eventDate").unwrap_or("")) }
                                        " "
                                        @for s in &c.subjects { (link(s)) " " }
                                        a href={ "#" (c.claim.id) } { (dossier_views::shortened(c.claim.first("text").unwrap_or(""), 90)) }
                                    }
                                }
                            }
                        }
                    }
                }
                (connections_section(conns))
                section #sources {
                    h2 { "Sources" }
                    @if p.sources.is_empty() { p { "No sources." } }
                    ul {
                        @for s in &p.sources {
                            li {
                                (link(s))
                                @if let Some(x) = s.first("publisher") { " · " (x) }
                                @if let Some(d) = s.first("publishedAt") { " · published " (d) }
                                @if let Some(r) = s.first("retrievedAt") { " · retrieved " (r) }
                                @if let Some(u) = s.first("sourceUrl") { " · " (outside(u)) }
                            }
                        }
                    }
                }
                (cite(&name_with_acronym(e), &e.id, p.updated.as_deref()))
            }
        },
        Some(head),
    )
}
