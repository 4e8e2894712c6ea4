//! Profiles for the terminal (text) and for programs (`--json`).

use std::io::{self, Write};

use dossier_model::Entity;
use dossier_views::{ClaimView, Profile};
use serde_json::{json, Value as Json};

fn name_with_acronym(e: &Entity) -> String {
    match e.first("abbreviation") {
        Some(a) if a != e.caption() => format!("{} ({a})", e.caption()),
        _ => e.caption().to_string(),
    }
}

/// The country codes with the label they were read from: `United States (us)`.
fn countries(e: &Entity) -> Vec<String> {
    dossier_views::countries(e)
        .iter()
        .map(ToString::to_string)
        .collect()
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

fn amount(e: &Entity) -> String {
    e.amount_label().unwrap_or_default()
}

fn claim_lines(out: &mut dyn Write, c: &ClaimView, indent: &str) -> io::Result<()> {
    let kind = c.claim.first("kind").unwrap_or("claim");
    let label = match kind {
        "assessment" => "assessment",
        "quote" => "in their own words",
        "fact" => "fact",
        other => other,
    };
    writeln!(
        out,
        "{indent}• [{label}] {}",
        c.claim.first("text").unwrap_or("")
    )?;
    for q in &c.quotations {
        let speaker = q
            .speaker
            .as_ref()
            .map_or("unknown speaker", |s| s.caption());
        writeln!(
            out,
            "{indent}    “{}” — {speaker} [{}]",
            q.quotation.first_exact("text").unwrap_or(""),
            q.check.mark
        )?;
        if let Some(f) = q.check.found.as_ref().filter(|f| !f.diff.is_empty()) {
            writeln!(
                out,
                "{indent}      the origin says: {}",
                dossier_evidence::locate::diff_line(&f.diff)
            )?;
        }
    }
    let mut meta = Vec::new();
    if let Some(d) = c.claim.first("eventDate") {
        meta.push(format!("date {d}"));
    }
    if let Some(s) = &c.source {
        meta.push(format!("source: {}", s.caption()));
    }
    match &c.asserted_by {
        Some(a) => meta.push(format!("asserted by {}", a.caption())),
        None => meta.push("asserted by the source's publisher".to_string()),
    }
    if !c.mentions.is_empty() {
        let names: Vec<&str> = c.mentions.iter().map(|m| m.caption()).collect();
        meta.push(format!("mentions {}", names.join(", ")));
    }
    writeln!(out, "{indent}    ({})", meta.join(" · "))?;
    for r in &c.replies {
        writeln!(out, "{indent}    reply:")?;
        claim_lines(out, r, &format!("{indent}      "))?;
    }
    Ok(())
}

/// Writes a profile laid out like the page it came from.
pub fn profile_text(out: &mut dyn Write, p: &Profile) -> io::Result<()> {
    let e = &p.entity;
    writeln!(out, "{}", name_with_acronym(e))?;
    writeln!(out, "{}", "=".repeat(name_with_acronym(e).chars().count()))?;
    writeln!(out, "{} {}", e.schema.name, e.id)?;
    let c = countries(e);
    if !c.is_empty() {
        writeln!(out, "Country/Territory: {}", c.join(", "))?;
    }
    for prop in [
        "website",
        "position",
        "incorporationDate",
        "registrationNumber",
        "address",
        "alias",
    ] {
        let vals: Vec<&str> = e.values(prop).collect();
        if !vals.is_empty() {
            writeln!(out, "{prop}: {}", vals.join("; "))?;
        }
    }
    if !p.merged_from.is_empty() {
        let parts: Vec<String> = p
            .merged_from
            .iter()
            .map(|m| format!("{} ({})", m.id, m.names.join("; ")))
            .collect();
        writeln!(out, "Merged from: {}", parts.join(", "))?;
    }
    for w in &p.own_words {
        writeln!(out, "In their own words:")?;
        claim_lines(out, w, "  ")?;
    }
    if !p.networks.is_empty() {
        writeln!(out, "\nMember of")?;
        for n in &p.networks {
            writeln!(out, "  • {}", name_with_acronym(&n.network))?;
        }
    }
    if !p.members.is_empty() {
        writeln!(out, "\nMembers ({})", p.members_total)?;
        for m in &p.members {
            writeln!(out, "  • {}", name_with_acronym(&m.member))?;
            for c in &m.claims {
                claim_lines(out, c, "      ")?;
            }
        }
    }
    if !p.claims.is_empty() {
        writeln!(out, "\nClaims")?;
        let mut topic = None;
        for c in &p.claims {
            let t = c.claim.first("topic");
            if t != topic {
                writeln!(out, "  {}", t.unwrap_or("(no topic)"))?;
                topic = t;
            }
            claim_lines(out, c, "  ")?;
        }
    }
    if !p.funding.is_empty() {
        writeln!(out, "\nFunding")?;
        for f in &p.funding {
            writeln!(
                out,
                "  • {:<40} {:>16} {}",
                f.payer.caption(),
                amount(&f.payment),
                span(&f.payment)
            )?;
        }
    }
    if !p.grants.is_empty() {
        writeln!(out, "\nFunds given")?;
        for f in &p.grants {
            writeln!(
                out,
                "  • {:<40} {:>16} {}",
                f.beneficiary.caption(),
                amount(&f.payment),
                span(&f.payment)
            )?;
        }
    }
    if !p.people.is_empty() {
        writeln!(out, "\nKey people")?;
        for person in &p.people {
            let role = person.relation.first("role").unwrap_or("");
            let kind = if person.relation.schema.name == "Directorship" {
                "board"
            } else {
                "staff"
            };
            writeln!(
                out,
                "  • {}, {role} ({kind}) {}",
                person.person.caption(),
                span(&person.relation)
            )?;
        }
    }
    if !p.links.is_empty() {
        writeln!(out, "\nPartners and other ties")?;
        for (other, link) in &p.links {
            writeln!(
                out,
                "  • {} ({})",
                name_with_acronym(other),
                link.first("role").unwrap_or("linked")
            )?;
        }
    }
    if !p.roles.is_empty() {
        writeln!(out, "\nRoles")?;
        for (org, rel) in &p.roles {
            writeln!(
                out,
                "  • {} at {} {}",
                rel.first("role").unwrap_or(rel.schema.name),
                org.caption(),
                span(rel)
            )?;
        }
    }
    if !p.mentioned_in.is_empty() {
        writeln!(out, "\nMentioned in")?;
        for c in &p.mentioned_in {
            let about: Vec<&str> = c.subjects.iter().map(|s| s.caption()).collect();
            writeln!(out, "  about {}:", about.join(", "))?;
            claim_lines(out, c, "  ")?;
        }
    }
    let dated: Vec<&ClaimView> = {
        let mut v: Vec<&ClaimView> = p
            .claims
            .iter()
            .chain(p.members.iter().flat_map(|m| &m.claims))
            .filter(|c| c.claim.has("eventDate"))
            .collect();
        v.sort_by_key(|c| c.claim.first("eventDate").map(str::to_string));
        v
    };
    if !dated.is_empty() {
        writeln!(out, "\nTimeline")?;
        for c in dated {
            let about: Vec<&str> = c.subjects.iter().map(|s| s.caption()).collect();
            let text = dossier_views::shortened(c.claim.first("text").unwrap_or(""), 100);
            writeln!(
                out,
                "  {:<10}  {}: {text}",
                c.claim.first("eventDate").unwrap_or(""),
                about.join(", ")
            )?;
        }
    }
    if !p.sources.is_empty() {
        writeln!(out, "\nAll sources about {}", e.caption())?;
        for s in &p.sources {
            let mut parts = vec![s.caption().to_string()];
            if let Some(f) = s.first("fileName") {
                parts.push(f.to_string());
            }
            if let Some(u) = s.first("sourceUrl") {
                parts.push(u.to_string());
            }
            if let Some(r) = s.first("retrievedAt") {
                parts.push(format!("retrieved {r}"));
            }
            writeln!(out, "  • {}", parts.join(" · "))?;
        }
    }
    Ok(())
}

fn entity_json(e: &Entity) -> Json {
    let props: serde_json::Map<String, Json> = e
        .properties
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                Json::from(v.iter().map(|v| v.value.clone()).collect::<Vec<_>>()),
            )
        })
        .collect();
    json!({"id": e.id, "schema": e.schema.name, "caption": e.caption(), "properties": props})
}

fn claim_json(c: &ClaimView) -> Json {
    json!({
        "id": c.claim.id,
        "kind": c.claim.first("kind"),
        "text": c.claim.first("text"),
        "date": c.claim.first("eventDate"),
        "topic": c.claim.first("topic"),
        "section": c.claim.first("section"),
        "subjects": c.subjects.iter().map(|s| json!({"id": s.id, "name": s.caption()})).collect::<Vec<_>>(),
        "mentions": c.mentions.iter().map(|s| json!({"id": s.id, "name": s.caption()})).collect::<Vec<_>>(),
        "quotations": c.quotations.iter().map(|q| json!({
            "id": q.quotation.id,
            "text": q.quotation.first("text"),
            "exact": q.quotation.first_exact("text"),
            "speaker": q.speaker.as_ref().map(|s| json!({"id": s.id, "name": s.caption()})),
            "mark": q.check.mark.as_str(),
            "origin": q.check.origin,
        })).collect::<Vec<_>>(),
        "source": c.source.as_ref().map(|s| json!({"id": s.id, "title": s.caption()})),
        "asserted_by": c.asserted_by.as_ref().map(|s| json!({"id": s.id, "name": s.caption()})),
        "replies": c.replies.iter().map(claim_json).collect::<Vec<_>>(),
    })
}

/// The profile as JSON.
pub fn profile_json(p: &Profile) -> Json {
    let e = &p.entity;
    json!({
        "entity": entity_json(e),
        "name": e.caption(),
        "abbreviation": e.first("abbreviation"),
        "countries": e.values("country").collect::<Vec<_>>(),
        "own_words": p.own_words.iter().map(claim_json).collect::<Vec<_>>(),
        "members": p.members.iter().map(|m| json!({
            "id": m.member.id, "name": m.member.caption(), "abbreviation": m.member.first("abbreviation"),
            "membership": m.membership.id, "claims": m.claims.iter().map(claim_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "member_of": p.networks.iter().map(|n| json!({"id": n.network.id, "name": n.network.caption(), "membership": n.membership.id})).collect::<Vec<_>>(),
        "funding": p.funding.iter().map(|f| json!({
            "payer": {"id": f.payer.id, "name": f.payer.caption()}, "payment": entity_json(&f.payment),
        })).collect::<Vec<_>>(),
        "grants": p.grants.iter().map(|f| json!({
            "beneficiary": {"id": f.beneficiary.id, "name": f.beneficiary.caption()}, "payment": entity_json(&f.payment),
        })).collect::<Vec<_>>(),
        "people": p.people.iter().map(|x| json!({
            "person": {"id": x.person.id, "name": x.person.caption()}, "relation": entity_json(&x.relation),
        })).collect::<Vec<_>>(),
        "links": p.links.iter().map(|(o, l)| json!({"other": {"id": o.id, "name": o.caption()}, "link": entity_json(l)})).collect::<Vec<_>>(),
        "roles": p.roles.iter().map(|(o, r)| json!({"organization": {"id": o.id, "name": o.caption()}, "relation": entity_json(r)})).collect::<Vec<_>>(),
        "claims": p.claims.iter().map(claim_json).collect::<Vec<_>>(),
        "mentioned_in": p.mentioned_in.iter().map(claim_json).collect::<Vec<_>>(),
        "sources": p.sources.iter().map(entity_json).collect::<Vec<_>>(),
        "merged_from": p.merged_from.iter().map(|m| json!({"id": m.id, "names": m.names})).collect::<Vec<_>>(),
    })
}

fn prop_lines(out: &mut dyn Write, rows: &[dossier_views::PropRow]) -> io::Result<()> {
    for row in rows {
        for v in &row.values {
            let shown = match &v.names {
                Some(n) => format!("{} ({} {})", n.caption, n.kind, n.id),
                None => v.value.clone(),
            };
            let sources: Vec<&str> = v.sources.iter().map(|s| s.caption.as_str()).collect();
            if sources.is_empty() {
                writeln!(out, "  {}: {shown}", row.label)?;
            } else {
                writeln!(out, "  {}: {shown}  [{}]", row.label, sources.join("; "))?;
            }
        }
    }
    Ok(())
}

/// An entity without a profile (an address, a payment, a sanction): its
/// properties by defining schema, each value's sources, and its links.
pub fn thing_text(out: &mut dyn Write, v: &dossier_views::ThingView) -> io::Result<()> {
    writeln!(out, "{}", v.entity.caption)?;
    writeln!(out, "{}", "=".repeat(v.entity.caption.chars().count()))?;
    writeln!(out, "{} {}", v.schema.label, v.entity.id)?;
    prop_lines(out, &v.featured)?;
    for g in &v.groups {
        writeln!(out, "\n{}", g.label)?;
        prop_lines(out, &g.rows)?;
    }
    if !v.unknown.is_empty() {
        writeln!(out, "\nNot in FtM's model (kept as the source gave them)")?;
        prop_lines(out, &v.unknown)?;
    }
    for g in &v.incoming {
        writeln!(out, "\n{} ({})", g.label, g.items.len())?;
        for item in &g.items {
            let others: Vec<String> = item
                .others
                .iter()
                .map(|(label, n)| format!("{label}: {}", n.caption))
                .collect();
            let tail = if others.is_empty() {
                String::new()
            } else {
                format!(" · {}", others.join(" · "))
            };
            writeln!(
                out,
                "  • {} ({} {}){tail}",
                item.entity.caption, item.entity.kind, item.entity.id
            )?;
        }
    }
    Ok(())
}
