//! Read models: what a page or a `show` prints, assembled from the store.
//!
//! Architecture invariant: views read through the `Read` trait only and
//! know no output format; the CLI and the web application render them.

pub mod cache;
mod countries;
mod thing;
mod words;
pub use countries::{countries, CountryLabel};
pub use thing::{thing_view, LinkGroup, LinkItem, Named, PropGroup, PropRow, ThingView, ValueRow};
pub use words::{bounded_message, counted, shortened};

use dossier_evidence::check::{quote_text, selector_of};
use dossier_evidence::{locate, Check, Mark};
use dossier_model::{Entity, Schema};
use dossier_store::{ArchivedCopy, Read, Result, StoreError};

/// Evidence errors as store errors: views report one kind.
fn evidence_err(e: dossier_evidence::EvidenceError) -> StoreError {
    match e {
        dossier_evidence::EvidenceError::Store(s) => s,
        other => StoreError::Io(other.to_string()),
    }
}

/// A claim with what is needed to show it: its quotations and their
/// speakers, its source, who asserts it, and replies to it.
#[derive(Debug, Clone)]
pub struct ClaimView {
    pub claim: Entity,
    pub quotations: Vec<QuotationView>,
    pub source: Option<Entity>,
    pub asserted_by: Option<Entity>,
    pub subjects: Vec<Entity>,
    pub mentions: Vec<Entity>,
    pub replies: Vec<ClaimView>,
}

/// A quotation, its speaker, and what verification says of it: what
/// `dossier verify` last recorded, read against the newest archived copy
/// of its origin (stale when a newer copy came since).
#[derive(Debug, Clone)]
pub struct QuotationView {
    pub quotation: Entity,
    pub speaker: Option<Entity>,
    pub check: Check,
}

/// A member of a network, the membership, and the claims about the member.
#[derive(Debug, Clone)]
pub struct MemberView {
    pub member: Entity,
    pub membership: Entity,
    pub claims: Vec<ClaimView>,
}

/// A network the subject belongs to.
#[derive(Debug, Clone)]
pub struct NetworkView {
    pub network: Entity,
    pub membership: Entity,
}

/// One payment to (or from) the subject.
#[derive(Debug, Clone)]
pub struct FundingView {
    pub payer: Entity,
    pub beneficiary: Entity,
    pub payment: Entity,
}

/// A person tied to the subject by employment or a board seat.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub person: Entity,
    /// The Employment or Directorship.
    pub relation: Entity,
}

/// An organization's (or person's) profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub entity: Entity,
    /// The subject's own words: quote claims it asserts about itself.
    pub own_words: Vec<ClaimView>,
    /// Members, at most [`MEMBER_LIMIT`] of them.
    pub members: Vec<MemberView>,
    /// How many members there are in all.
    pub members_total: usize,
    pub networks: Vec<NetworkView>,
    /// Payments received, by donor then date.
    pub funding: Vec<FundingView>,
    /// Payments made.
    pub grants: Vec<FundingView>,
    pub people: Vec<PersonView>,
    /// Other ties (partnerships): the entity at the other end and the link.
    pub links: Vec<(Entity, Entity)>,
    /// For a person: the organizations they work for or direct.
    pub roles: Vec<(Entity, Entity)>,
    /// Claims about the subject (other than its own words).
    pub claims: Vec<ClaimView>,
    /// Claims about others that mention the subject or quote it.
    pub mentioned_in: Vec<ClaimView>,
    /// Every source document of the subject's statements and claims.
    pub sources: Vec<Entity>,
    /// The records judged to be the same as the subject and merged into it.
    pub merged_from: Vec<MergedView>,
}

/// A record merged into another: its own id, and what it was called.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedView {
    pub id: String,
    /// Its own current names, aliases and abbreviations.
    pub names: Vec<String>,
}

/// The records merged into `id`, each with its own names.
pub fn merged_from(store: &dyn Read, id: &str) -> Result<Vec<MergedView>> {
    let mut out = Vec::new();
    for m in store.merged_into(id)? {
        let mut names: Vec<String> = Vec::new();
        for st in store.history(&m)? {
            let own = st.entity_id == m && st.is_current();
            if own
                && ["name", "alias", "abbreviation"].contains(&st.prop.as_str())
                && !names.contains(&st.value)
            {
                names.push(st.value);
            }
        }
        out.push(MergedView { id: m, names });
    }
    Ok(out)
}

fn ends(e: &Entity, prop: &str) -> Vec<String> {
    e.values(prop).map(str::to_string).collect()
}

/// Sort key for dated things: undated last, then by date, then text.
fn date_key(e: &Entity) -> (bool, String, String) {
    let date = ["eventDate", "date", "startDate"]
        .iter()
        .find_map(|p| e.first(p))
        .unwrap_or("");
    (date.is_empty(), date.to_string(), e.caption().to_string())
}

/// Assembles a claim's view.
pub fn claim_view(store: &dyn Read, claim: Entity) -> Result<ClaimView> {
    let mut quotations = Vec::new();
    let mut replies = Vec::new();
    for r in store.referencing(&claim.id)? {
        match r.schema.name {
            "Quotation" if r.values("claim").any(|c| c == claim.id) => {
                let speaker = match r.first("speaker") {
                    Some(s) => store.entity(s)?,
                    None => None,
                };
                // What `verify` recorded: a page never searches.
                let check =
                    dossier_evidence::check::stored_check(store, &r).map_err(evidence_err)?;
                quotations.push(QuotationView {
                    quotation: r,
                    speaker,
                    check,
                });
            }
            "Claim" if r.values("replyTo").any(|c| c == claim.id) => {
                replies.push(claim_view(store, r)?)
            }
            _ => {}
        }
    }
    // Quotations in the order they stand in the text.
    let text = claim.first("text").unwrap_or("").to_string();
    quotations.sort_by_key(|q| {
        text.find(q.quotation.first("text").unwrap_or(""))
            .unwrap_or(usize::MAX)
    });
    let source = match claim.first("source") {
        Some(s) => store.entity(s)?,
        None => None,
    };
    let asserted_by = match claim.first("assertedBy") {
        Some(s) => store.entity(s)?,
        None => None,
    };
    let mut subjects = Vec::new();
    for s in ends(&claim, "subject") {
        subjects.extend(store.entity(&s)?);
    }
    let mut mentions = Vec::new();
    for s in ends(&claim, "mentions") {
        mentions.extend(store.entity(&s)?);
    }
    Ok(ClaimView {
        claim,
        quotations,
        source,
        asserted_by,
        subjects,
        mentions,
        replies,
    })
}

/// The claims about an entity (not replies), in page order: topic, then date.
fn claims_about(store: &dyn Read, id: &str, refs: &[Entity]) -> Result<Vec<ClaimView>> {
    let mut out = Vec::new();
    for r in refs {
        if r.schema.name == "Claim" && r.values("subject").any(|s| s == id) && !r.has("replyTo") {
            out.push(claim_view(store, r.clone())?);
        }
    }
    out.sort_by_key(|c| date_key(&c.claim));
    Ok(out)
}

/// A quotation found in an archived text, for highlighting.
#[derive(Debug, Clone)]
pub struct Highlight {
    /// Code points in the text.
    pub start: usize,
    pub end: usize,
    pub quotation: String,
    pub quote: String,
    pub mark: Mark,
}

/// A source document's archive: its copies (newest first), the newest
/// copy's text, and every quotation anchored in it, located in that text.
#[derive(Debug, Clone)]
pub struct ArchiveView {
    pub copies: Vec<ArchivedCopy>,
    pub text: String,
    /// In text order, not overlapping.
    pub highlights: Vec<Highlight>,
    /// Anchored quotations the newest copy no longer holds.
    pub missing: Vec<Highlight>,
}

/// The archive of a document, or `None` when it has no archived copy.
pub fn archive_view(store: &dyn Read, document: &str) -> Result<Option<ArchiveView>> {
    let copies = store.copies(Some(document))?;
    let Some(newest) = copies.first() else {
        return Ok(None);
    };
    let text = store.copy_text(&newest.sha256)?.unwrap_or_default();
    let prepared = dossier_evidence::Prepared::new(&text);
    let mut highlights = Vec::new();
    let mut missing = Vec::new();
    for a in store.referencing(document)? {
        if a.schema.name != "Anchor" || a.first("document") != Some(document) {
            continue;
        }
        let Some(qid) = a.first("quotation") else {
            continue;
        };
        let Some(q) = store.entity(qid)? else {
            continue;
        };
        let quote = quote_text(&q);
        let found = locate(&quote, selector_of(&a).as_ref(), &prepared);
        // The mark `verify` recorded against this copy; none recorded yet
        // (or only against an older copy): not yet checked.
        let recorded = a
            .first("verdict")
            .and_then(Mark::parse)
            .filter(|_| a.first("checkedCopy") == Some(newest.sha256.as_str()))
            .unwrap_or(Mark::Unchecked);
        let h = |start, end, mark| Highlight {
            start,
            end,
            quotation: q.id.clone(),
            quote: quote.clone(),
            mark,
        };
        match found {
            Some(f) => highlights.push(h(f.start, f.end, recorded)),
            None => missing.push(h(0, 0, recorded)),
        }
    }
    highlights.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut last_end = 0;
    highlights.retain(|h| {
        let keep = h.start >= last_end;
        if keep {
            last_end = h.end;
        }
        keep
    });
    Ok(Some(ArchiveView {
        copies,
        text,
        highlights,
        missing,
    }))
}

/// The most members a profile lists (a coalition can have thousands).
pub const MEMBER_LIMIT: usize = 200;

/// The profile of the entity with this id, or `None` when there is none.
/// A member is listed with the claims about it made in the sources that
/// record its membership, as the profile pages it came from show them.
pub fn profile(store: &dyn Read, id: &str) -> Result<Option<Profile>> {
    profile_in(&cache::Cached::new(store), id)
}

fn profile_in(cached: &cache::Cached<'_>, id: &str) -> Result<Option<Profile>> {
    let store: &dyn Read = cached;
    let Some(entity) = store.entity(id)? else {
        return Ok(None);
    };
    let refs = store.referencing(&entity.id)?;
    let mut p = Profile {
        entity,
        own_words: Vec::new(),
        members: Vec::new(),
        members_total: 0,
        networks: Vec::new(),
        funding: Vec::new(),
        grants: Vec::new(),
        people: Vec::new(),
        links: Vec::new(),
        roles: Vec::new(),
        claims: Vec::new(),
        mentioned_in: Vec::new(),
        sources: Vec::new(),
        merged_from: Vec::new(),
    };
    let id = p.entity.id.clone();
    // Everything the page links to, read in one go into the cache the
    // loops below read from.
    cached.prefetch(&linked(&refs, &id))?;
    // The claims about the members the page lists, in one go: not all
    // that refers to each member (a member that is a network itself is
    // referred to by each of its own members' memberships).
    let listed = listed_members(&refs, &id);
    let member_claims = if listed.is_empty() {
        Vec::new()
    } else {
        store.entities_of(&store.pointing_at(&listed, &["Claim"])?)?
    };
    prefetch_claims(cached, &refs, &member_claims)?;
    p.merged_from = merged_from(store, &id)?;
    // Members counted once, though merged records bring a membership each.
    let mut members_seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for r in &refs {
        match r.schema.name {
            "Membership" => {
                if r.values("organization").any(|o| o == id) {
                    if !r
                        .values("member")
                        .any(|m| members_seen.insert(m.to_string()))
                    {
                        continue;
                    }
                    p.members_total += 1;
                    if p.members.len() >= MEMBER_LIMIT {
                        continue;
                    }
                    let sources: Vec<&str> = r.values("proof").collect();
                    for m in ends(r, "member") {
                        if let Some(member) = store.entity(&m)? {
                            // A member past those read ahead (one before it
                            // was hidden from this reader) is read alone.
                            let alone;
                            let candidates = if listed.contains(&m) {
                                &member_claims
                            } else {
                                alone = store.entities_of(
                                    &store.pointing_at(std::slice::from_ref(&m), &["Claim"])?,
                                )?;
                                &alone
                            };
                            let about: Vec<Entity> = candidates
                                .iter()
                                .filter(|c| c.values("source").any(|s| sources.contains(&s)))
                                .cloned()
                                .collect();
                            let claims = claims_about(store, &member.id, &about)?;
                            p.members.push(MemberView {
                                member,
                                membership: r.clone(),
                                claims,
                            });
                        }
                    }
                } else {
                    for n in ends(r, "organization") {
                        if p.networks.iter().any(|v| v.network.id == n) {
                            continue;
                        }
                        if let Some(network) = store.entity(&n)? {
                            p.networks.push(NetworkView {
                                network,
                                membership: r.clone(),
                            });
                        }
                    }
                }
            }
            "Payment" => {
                let (Some(payer), Some(beneficiary)) = (r.first("payer"), r.first("beneficiary"))
                else {
                    continue;
                };
                let (Some(payer), Some(beneficiary)) =
                    (store.entity(payer)?, store.entity(beneficiary)?)
                else {
                    continue;
                };
                let view = FundingView {
                    payer,
                    beneficiary,
                    payment: r.clone(),
                };
                if view.beneficiary.id == id {
                    p.funding.push(view);
                } else {
                    p.grants.push(view);
                }
            }
            "Employment" | "Directorship" => {
                let (person_prop, org_prop) = if r.schema.name == "Employment" {
                    ("employee", "employer")
                } else {
                    ("director", "organization")
                };
                if r.values(org_prop).any(|o| o == id) {
                    for per in ends(r, person_prop) {
                        if let Some(person) = store.entity(&per)? {
                            p.people.push(PersonView {
                                person,
                                relation: r.clone(),
                            });
                        }
                    }
                } else {
                    for org in ends(r, org_prop) {
                        if let Some(o) = store.entity(&org)? {
                            p.roles.push((o, r.clone()));
                        }
                    }
                }
            }
            "UnknownLink" => {
                let other = r
                    .values("subject")
                    .chain(r.values("object"))
                    .find(|x| *x != id)
                    .map(str::to_string);
                if let Some(o) = other {
                    if let Some(o) = store.entity(&o)? {
                        p.links.push((o, r.clone()));
                    }
                }
            }
            "Claim" if !r.has("replyTo") => {
                let about = r.values("subject").any(|s| s == id);
                let view = claim_view(store, r.clone())?;
                if about
                    && r.first("kind") == Some("quote")
                    && r.values("assertedBy").any(|a| a == id)
                {
                    p.own_words.push(view);
                } else if about {
                    p.claims.push(view);
                } else {
                    p.mentioned_in.push(view);
                }
            }
            "Quotation" if r.values("speaker").any(|s| s == id) => {
                // Words the subject spoke inside claims about others.
                if let Some(c) = r.first("claim") {
                    let already = p
                        .mentioned_in
                        .iter()
                        .chain(&p.claims)
                        .any(|v| v.claim.id == c);
                    if !already {
                        if let Some(claim) = store.entity(c)? {
                            if !claim.values("subject").any(|s| s == id)
                                && !claim.values("mentions").any(|m| m == id)
                            {
                                p.mentioned_in.push(claim_view(store, claim)?);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    p.members.sort_by(|a, b| {
        a.member
            .caption()
            .to_lowercase()
            .cmp(&b.member.caption().to_lowercase())
    });
    p.networks
        .sort_by(|a, b| a.network.caption().cmp(b.network.caption()));
    p.funding
        .sort_by_key(|f| (f.payer.caption().to_lowercase(), date_key(&f.payment)));
    p.grants
        .sort_by_key(|f| (f.beneficiary.caption().to_lowercase(), date_key(&f.payment)));
    p.people
        .sort_by(|a, b| a.person.caption().cmp(b.person.caption()));
    p.links.sort_by(|a, b| a.0.caption().cmp(b.0.caption()));
    p.claims.sort_by_key(|c| {
        (
            c.claim.first("topic").map(str::to_string),
            date_key(&c.claim),
        )
    });
    p.mentioned_in.sort_by_key(|c| date_key(&c.claim));
    // Sources: where the subject's own statements came from, and its claims' sources.
    let mut source_ids: Vec<String> = Vec::new();
    for st in store.history(&id)? {
        if st.is_current() && !source_ids.contains(&st.source) {
            source_ids.push(st.source);
        }
    }
    for c in p.claims.iter().chain(&p.own_words) {
        for s in c.claim.values("source") {
            if !source_ids.iter().any(|x| x == s) {
                source_ids.push(s.to_string());
            }
        }
    }
    for doc in store.entities_of(&source_ids)? {
        if doc.schema.is_a("Document") && doc.id != id {
            p.sources.push(doc);
        }
    }
    Ok(Some(p))
}

/// The entities a profile shows beside its subject: every entity that the
/// relationships and claims about it point to, but of a network's members
/// only as many as the page lists ([`MEMBER_LIMIT`]), and not the
/// documents that prove a relationship (named, not shown).
fn linked(refs: &[Entity], id: &str) -> Vec<String> {
    let listed: std::collections::HashSet<String> = listed_members(refs, id).into_iter().collect();
    let mut out = Vec::new();
    for r in refs {
        let listing = r.schema.name == "Membership" && r.values("organization").any(|o| o == id);
        for (prop, values) in &r.properties {
            let is_ref = r
                .schema
                .property(prop)
                .is_some_and(|p| p.kind == dossier_model::PropType::Entity);
            if !is_ref || prop == "proof" {
                continue;
            }
            for v in values {
                if v.value == id || (listing && prop == "member" && !listed.contains(&v.value)) {
                    continue;
                }
                out.push(v.value.clone());
            }
        }
    }
    out
}

/// The members a network's page lists: the first [`MEMBER_LIMIT`] named
/// by its memberships.
fn listed_members(refs: &[Entity], id: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in refs {
        if r.schema.name == "Membership" && r.values("organization").any(|o| o == id) {
            for m in r.values("member") {
                if out.len() < MEMBER_LIMIT && !out.iter().any(|x| x == m) {
                    out.push(m.to_string());
                }
            }
        }
    }
    out
}

/// Reads ahead, in one go each, what the profile's claims and its
/// members' claims go on to read one at a time: what refers to the
/// claims (quotations, replies), then what the members' claims and every
/// quotation cite, and the quotations' anchors. Only a cache is filled:
/// if this and `profile_in` part ways, the page is the same, read an
/// entity at a time.
fn prefetch_claims(
    cached: &cache::Cached<'_>,
    refs: &[Entity],
    member_claims: &[Entity],
) -> Result<()> {
    let is_claim = |e: &Entity| e.schema.name == "Claim" && !e.has("replyTo");
    let mut claims: Vec<String> = Vec::new();
    let mut cited: Vec<String> = Vec::new();
    for c in refs.iter().filter(|r| is_claim(r)) {
        claims.push(c.id.clone());
    }
    for c in member_claims.iter().filter(|c| is_claim(c)) {
        claims.push(c.id.clone());
        for prop in ["source", "assertedBy", "subject", "mentions"] {
            cited.extend(c.values(prop).map(str::to_string));
        }
    }
    let mut quotations: Vec<String> = Vec::new();
    for list in cached.referencing_of(&claims)? {
        for q in list.iter().filter(|q| q.schema.name == "Quotation") {
            quotations.push(q.id.clone());
            cited.extend(q.values("speaker").map(str::to_string));
        }
    }
    // A quotation's anchors, which its check reads.
    cached.prefetch_referencing(&quotations)?;
    cached.prefetch(&cited)
}

/// The network around an entity, from the analysis graph: the entity,
/// the entities tied to it by a relationship (the most tied first), and
/// who else those are tied to (networks they share, funders, people),
/// ranked by how many of the first ring they touch; at most `limit` nodes
/// in all, with every relationship among them. Claims' mentions are not
/// drawn. Also returns how many entities the two rings hold in all.
pub fn network(
    store: &dyn Read,
    graph: &dossier_graph::analysis::Graph,
    id: &str,
    limit: usize,
) -> Result<Option<(dossier_graph::Network, usize)>> {
    use dossier_graph::analysis::Filter;
    use dossier_graph::{EdgeKind, Network};
    let Some(center) = store.entity(id)? else {
        return Ok(None);
    };
    let mut net = Network::new();
    net.add_node(&center);
    let Some(x) = graph.node(id) else {
        return Ok(Some((net, 1)));
    };
    let filter = Filter {
        kinds: vec![
            EdgeKind::Membership,
            EdgeKind::Payment,
            EdgeKind::Employment,
            EdgeKind::Directorship,
            EdgeKind::Link,
        ],
        at: None,
    };
    let near = graph.neighbours(x, 2, &filter);
    let total = 1 + near.len();
    let mut ring: Vec<usize> = near
        .into_iter()
        .filter(|&(_, d)| d == 1)
        .map(|(n, _)| n)
        .collect();
    ring.sort_by_key(|&n| (std::cmp::Reverse(graph.degree(n)), n));
    ring.truncate(limit.saturating_sub(1));
    let second = graph.interlocks(&ring, &[x], 1, &filter);
    let mut chosen: Vec<usize> = vec![x];
    chosen.extend(&ring);
    chosen.extend(
        second
            .iter()
            .map(|l| l.node)
            .take(limit.saturating_sub(chosen.len())),
    );
    let ids: Vec<String> = chosen[1..].iter().map(|&n| graph.id(n)).collect();
    for e in store.entities_of(&ids)? {
        net.add_node(&e);
    }
    // Every relationship among the chosen nodes, once.
    let inside: std::collections::HashSet<usize> = chosen.iter().copied().collect();
    let mut seen = std::collections::HashSet::new();
    let mut ties = Vec::new();
    for &n in &chosen {
        for (m, tie) in graph.ties_of(n) {
            if graph.tie_kind(tie) == EdgeKind::Mention || !inside.contains(&m) || !seen.insert(tie)
            {
                continue;
            }
            ties.push(graph.tie_id(tie));
        }
    }
    for rel in store.entities_of(&ties)? {
        net.add_relation(&rel);
    }
    Ok(Some((net, total)))
}

/// Finds entities by id or name: the id itself, else names whose key equals
/// the query's, else names containing it (case-insensitive), people and
/// organizations only. Ordered: exact key matches first.
pub fn find(store: &dyn Read, query: &str) -> Result<Vec<Entity>> {
    if let Some(e) = store.entity(query.trim())? {
        return Ok(vec![e]);
    }
    // An id merged into another finds the one it is part of.
    if let Some(c) = store.canonical_of(query.trim())? {
        return Ok(store.entity(&c)?.into_iter().collect());
    }
    let key = dossier_model::names::name_key(query);
    let acr = dossier_model::names::acronym_key(query);
    let lower = query.trim().to_lowercase();
    let mut exact: Vec<String> = Vec::new();
    let mut partial: Vec<String> = Vec::new();
    for n in store.names()? {
        let hit_exact = dossier_model::names::name_key(&n.value) == key
            || (n.prop == "abbreviation"
                && dossier_model::names::acronym_key(&n.value) == acr
                && !acr.is_empty());
        if hit_exact {
            if !exact.contains(&n.entity_id) {
                exact.push(n.entity_id);
            }
        } else if !lower.is_empty()
            && n.value.to_lowercase().contains(&lower)
            && !partial.contains(&n.entity_id)
        {
            partial.push(n.entity_id);
        }
    }
    let ids = if exact.is_empty() { partial } else { exact };
    let mut out = Vec::new();
    for id in ids {
        if let Some(e) = store.entity(&id)? {
            if Schema::get(e.schema.name).is_some_and(|s| s.is_a("LegalEntity")) {
                out.push(e);
            }
        }
    }
    Ok(out)
}

/// The schemata whose entities make ties: relationships, and claims (a
/// claim about one entity that mentions another ties them).
pub const TIE_SCHEMATA: [&str; 6] = [
    "Membership",
    "Payment",
    "Employment",
    "Directorship",
    "UnknownLink",
    "Claim",
];

/// Every relationship in the store as a tie for network analysis.
pub fn ties(store: &dyn Read) -> Result<Vec<dossier_graph::analysis::Tie>> {
    // One entity at a time: a large store's relationships and claims
    // would not fit in memory at once.
    let mut out = Vec::new();
    store.each_entity(&TIE_SCHEMATA, &mut |e| {
        out.extend(ties_of(&e));
        Ok(())
    })?;
    Ok(out)
}

/// Every relationship and claim in the store as ties, kept compactly by
/// the entity making them (for a graph to be made again after changes).
pub fn tie_set(store: &dyn Read) -> Result<dossier_graph::analysis::TieSet> {
    let mut set = dossier_graph::analysis::TieSet::new();
    store.each_entity(&TIE_SCHEMATA, &mut |e| {
        set.set(&e.id, &ties_of(&e));
        Ok(())
    })?;
    Ok(set)
}

/// The ties one entity makes: a relationship's one, a claim's one for
/// each entity it mentions besides its subject, none for anything else.
pub fn ties_of(e: &Entity) -> Vec<dossier_graph::analysis::Tie> {
    if e.schema.name == "Claim" {
        // Who speaks of whom is part of the network a researcher maps.
        let date = e.first("eventDate").map(str::to_string);
        return e
            .values("subject")
            .flat_map(|s| e.values("mentions").map(move |m| (s, m)))
            .filter(|(s, m)| s != m)
            .map(|(s, m)| dossier_graph::analysis::Tie {
                id: e.id.clone(),
                kind: dossier_graph::EdgeKind::Mention,
                source: s.to_string(),
                target: m.to_string(),
                start: date.clone(),
                end: date.clone(),
                amount: None,
            })
            .collect();
    }
    let Some((kind, from, to)) = dossier_graph::EdgeKind::of_schema(e.schema.name) else {
        return Vec::new();
    };
    let (Some(s), Some(t)) = (e.first(from), e.first(to)) else {
        return Vec::new();
    };
    let start = e
        .first("startDate")
        .or_else(|| e.first("date"))
        .map(str::to_string);
    let end = e.first("endDate").map(str::to_string).or_else(|| {
        (e.schema.name == "Payment")
            .then(|| start.clone())
            .flatten()
    });
    vec![dossier_graph::analysis::Tie {
        id: e.id.clone(),
        kind,
        source: s.to_string(),
        target: t.to_string(),
        start,
        end,
        amount: e.amount().map(|(a, _)| a),
    }]
}

/// The source documents of an entity's current statements.
pub fn sources_of(store: &dyn Read, id: &str) -> Result<Vec<Entity>> {
    let mut ids: Vec<String> = Vec::new();
    for st in store.history(id)? {
        if st.is_current() && !ids.contains(&st.source) && st.source != id {
            ids.push(st.source);
        }
    }
    let mut out = Vec::new();
    for s in ids {
        out.extend(store.entity(&s)?);
    }
    Ok(out)
}

/// One step of a shortest path, explained: the relationship followed,
/// which way, its role, dates and amount, and the sources it rests on.
#[derive(Debug, Clone)]
pub struct PathStep {
    /// Entity ids.
    pub from: String,
    pub to: String,
    /// The relationship (or claim, for a mention).
    pub tie: String,
    pub kind: dossier_graph::EdgeKind,
    /// True when followed from its source (member, payer…) to its target.
    pub forward: bool,
    /// `role …`, `startDate …`, `amount …` as the relationship states them.
    pub detail: Vec<String>,
    pub sources: Vec<Entity>,
}

/// The steps of a path found by the analysis graph, from `from`.
pub fn explain_path(
    store: &dyn Read,
    graph: &dossier_graph::analysis::Graph,
    from: usize,
    path: &[dossier_graph::analysis::Step],
) -> Result<Vec<PathStep>> {
    let mut out = Vec::new();
    let mut at = from;
    for s in path {
        let tie = graph.tie_id(s.tie);
        let rel = store.entity(&tie)?;
        let detail = rel
            .iter()
            .flat_map(|r| {
                ["role", "startDate", "endDate", "date", "amount", "currency"]
                    .iter()
                    .filter_map(|p| r.first(p).map(|v| format!("{p} {v}")))
                    .collect::<Vec<_>>()
            })
            .collect();
        out.push(PathStep {
            from: graph.id(at),
            to: graph.id(s.node),
            sources: sources_of(store, &tie)?,
            tie,
            kind: graph.tie_kind(s.tie),
            forward: s.forward,
            detail,
        });
        at = s.node;
    }
    Ok(out)
}

/// An entity two ties away, and the entities it shares with the subject.
#[derive(Debug, Clone)]
pub struct Connection {
    pub entity: dossier_store::Label,
    /// The shared neighbours (networks, funders, people), at most five.
    pub via: Vec<dossier_store::Label>,
    /// How many neighbours it shares with the subject.
    pub shared: usize,
    /// Payments between it and those neighbours.
    pub funding: f64,
}

/// The entities most connected to `id` through what they share with it
/// (common networks, funders, people, mentions), most shared first; and
/// how many there are in all.
pub fn connections(
    store: &dyn Read,
    graph: &dossier_graph::analysis::Graph,
    labels: &cache::Labels,
    id: &str,
    limit: usize,
) -> Result<(Vec<Connection>, usize)> {
    let Some(x) = graph.node(id) else {
        return Ok((Vec::new(), 0));
    };
    let filter = dossier_graph::analysis::Filter::default();
    let near: Vec<usize> = graph
        .neighbours(x, 1, &filter)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let (locks, total) = graph.top_interlocks(&near, &[x], 1, limit, &filter);
    // Every name on the list at once; the shared neighbours (the subject's
    // networks, funders) recur from line to line and page to page.
    let mut ids: Vec<String> = Vec::new();
    for l in &locks {
        for n in std::iter::once(l.node).chain(l.members.iter().take(5).copied()) {
            let id = graph.id(n);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let labels = labels.get(store, &ids)?;
    let mut out = Vec::new();
    for l in locks {
        let Some(entity) = labels.get(&graph.id(l.node)).cloned() else {
            continue;
        };
        let via = l
            .members
            .iter()
            .take(5)
            .filter_map(|&m| labels.get(&graph.id(m)).cloned())
            .collect();
        out.push(Connection {
            entity,
            via,
            shared: l.members.len(),
            funding: l.funding,
        });
    }
    Ok((out, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_model::Provenance;
    use dossier_store::prelude::*;
    use dossier_store::SqliteStore;

    #[test]
    fn demo_profile_has_members_claims_and_sources() {
        let mut store = SqliteStore::in_memory().unwrap();
        let prov = Provenance {
            dataset: "demo".into(),
            source: dossier_demo::batch().unwrap().source.clone(),
            user: "test".into(),
            origin: None,
            now: "2026-01-01T00:00:00".into(),
        };
        store
            .apply(&[dossier_demo::batch().unwrap()], &prov)
            .unwrap();
        let found = find(&store, "ALLMEP").unwrap();
        assert_eq!(found.len(), 1);
        let p = profile(&store, &found[0].id).unwrap().unwrap();
        assert_eq!(p.members.len(), 12);
        assert_eq!(p.own_words.len(), 1);
        assert_eq!(p.claims.len(), 2);
        assert_eq!(p.sources.len(), 1);
        let jahalin = p
            .members
            .iter()
            .find(|m| m.member.caption() == "Jahalin Solidarity")
            .unwrap();
        assert_eq!(jahalin.claims.len(), 3);
        assert!(jahalin.claims.iter().all(|c| !c.quotations.is_empty()));
        let graph = dossier_graph::analysis::Graph::build(ties(&store).unwrap());
        let (net, total) = network(&store, &graph, &found[0].id, 100).unwrap().unwrap();
        assert_eq!(net.nodes.len(), 13, "ALLMEP and its twelve members");
        assert_eq!(net.edges.len(), 12);
        assert_eq!(total, 13);
        let (small, total) = network(&store, &graph, &found[0].id, 5).unwrap().unwrap();
        assert_eq!(small.nodes.len(), 5, "cut at the limit");
        assert_eq!(small.edges.len(), 4, "the four members' ties to ALLMEP");
        assert_eq!(total, 13);
        // Everything the page links to is read in one go: what is read one
        // entity at a time is the page's own entity and what the members'
        // claims cite (sources, speakers), not the members, memberships or
        // networks (`linked` must follow the loops of `profile`).
        let cached = cache::Cached::new(&store);
        let again = profile_in(&cached, &found[0].id).unwrap().unwrap();
        assert_eq!(again.members.len(), 12);
        assert_eq!(
            (cached.single_reads(), cached.single_lists()),
            (1, 1),
            "the entity and what refers to it"
        );
        // A person is found by name and is mentioned in a claim about an organization.
        let cohen = find(&store, "hila cohen").unwrap();
        let p = profile(&store, &cohen[0].id).unwrap().unwrap();
        assert_eq!(p.mentioned_in.len(), 1);
    }
}

/// One moment in an entity's history: what was stated and what was taken
/// away then, by whom, from which sources, and why.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Change {
    /// When (UTC, as recorded).
    pub at: String,
    /// Who stated the values added then.
    pub users: Vec<String>,
    /// Why: an edit's or revert's reason, a retraction's reason, or how
    /// an import came about.
    pub reasons: Vec<String>,
    /// Sources of the values added or taken away then.
    pub sources: Vec<String>,
    /// Datasets of the statements involved.
    pub datasets: Vec<String>,
    /// Values stated then: (property, value).
    pub added: Vec<(String, String)>,
    /// Values taken away then: (property, value).
    pub removed: Vec<(String, String)>,
}

/// An entity's history as changes, newest first: every statement ever
/// made about it (and the entities merged into it) gives an addition when
/// it was first stated and a removal when it was retracted. Bookkeeping
/// (`id` statements) is left out.
pub fn history(store: &dyn Read, id: &str) -> Result<Vec<Change>> {
    use std::collections::BTreeMap;
    let mut by_time: BTreeMap<String, Change> = BTreeMap::new();
    fn push(v: &mut Vec<String>, s: &str) {
        if !v.iter().any(|x| x == s) {
            v.push(s.to_string());
        }
    }
    for st in store.history(id)? {
        if st.prop == dossier_model::statement::ID_PROP {
            continue;
        }
        let c = by_time.entry(st.first_seen.clone()).or_default();
        c.at.clone_from(&st.first_seen);
        push(&mut c.users, &st.user);
        push(&mut c.sources, &st.source);
        push(&mut c.datasets, &st.dataset);
        if let Some(o) = &st.origin {
            push(&mut c.reasons, o);
        }
        c.added.push((st.prop.clone(), st.value.clone()));
        if let (Some(at), Some(why)) = (&st.retracted_at, &st.retraction) {
            let r = by_time.entry(at.clone()).or_default();
            r.at.clone_from(at);
            push(&mut r.reasons, why);
            push(&mut r.sources, &st.source);
            push(&mut r.datasets, &st.dataset);
            r.removed.push((st.prop.clone(), st.value.clone()));
        }
    }
    Ok(by_time.into_values().rev().collect())
}
