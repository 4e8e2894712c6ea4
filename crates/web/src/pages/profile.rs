//! The profile page of an organization or person.

use dossier_views::{ClaimView, Profile};
use maud::{html, Markup, PreEscaped};

use crate::api;
use crate::views::{claim, evidence_mark, layout, link, name_with_acronym, outside, span};

pub(crate) fn funding_table(rows: &[dossier_views::FundingView], payer_side: bool) -> Markup {
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

pub(crate) fn jsonld_script(value: &serde_json::Value) -> Markup {
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
pub(crate) const PROFILE_CONNECTIONS: usize = 5;

/// The entities sharing the most with one, with what they share.
pub(crate) fn connections_section(c: &api::ConnectionsWire) -> Markup {
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
pub(crate) fn profile_page(p: &Profile, conns: &api::ConnectionsWire) -> Markup {
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
