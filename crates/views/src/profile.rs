//! An organization's or person's profile: who it is, its members,
//! networks, funders, people and partners, what it said and what others
//! claim about it, and where all of that came from.

use dossier_model::Entity;
use dossier_store::{Read, Result};

use crate::claims::{claim_view, claims_about, date_key, ends};
use crate::{cache, merged_from, ClaimView, MergedView};

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
    /// How many members, A to Z, come before those listed (a page of
    /// [`MEMBER_LIMIT`] at a time).
    pub members_offset: usize,
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
    /// Each of the subject's own values with the documents it was taken from.
    pub values: Vec<SourcedValue>,
    /// When the subject's own record last changed (UTC).
    pub updated: Option<String>,
    /// The documents that the relationships on the page cite (`proof`),
    /// by id, so that each row can name its source.
    pub documents: std::collections::HashMap<String, Entity>,
    /// How many members the sources say the subject has, in their words
    /// ("more than 150"), beside how many are recorded.
    pub stated_members: Vec<StatedCount>,
}

/// One value of the subject's, with its sources.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedValue {
    pub prop: String,
    pub value: String,
    /// Ids of the documents it was taken from.
    pub sources: Vec<String>,
    /// When it was first recorded (UTC).
    pub since: String,
}

/// A number of members a source states, as a claim about the subject
/// says it: "lists over 150 member organizations".
#[derive(Debug, Clone, PartialEq)]
pub struct StatedCount {
    /// The words as written: "over 150".
    pub words: String,
    pub number: u64,
    /// The claim that says it, and its source.
    pub claim: String,
    pub source: Option<Entity>,
}

/// The member counts the claims state: a number, perhaps after "more
/// than", "over", "some", "about", "nearly" or "at least", followed within
/// two words by "members" ("150 member organizations", "over 150
/// members").
pub fn stated_members(claims: &[ClaimView]) -> Vec<StatedCount> {
    const BEFORE: [&str; 9] = [
        "more than",
        "over",
        "some",
        "about",
        "around",
        "nearly",
        "almost",
        "at least",
        "roughly",
    ];
    let mut out = Vec::new();
    for c in claims {
        let text = c.claim.first("text").unwrap_or("");
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let digits: String = w.chars().filter(|ch| *ch != ',').collect();
            let Ok(number) = digits.parse::<u64>() else {
                continue;
            };
            // "150 members", "150 member organizations", "150 ALLMEP
            // members"; not "2013 with members".
            let plain = |x: &str| {
                x.trim_end_matches(|ch: char| !ch.is_alphanumeric())
                    .to_lowercase()
            };
            let is_member = |x: &str| matches!(plain(x).as_str(), "members" | "member");
            let next = words.get(i + 1).copied().unwrap_or("");
            let after = words.get(i + 2).copied().unwrap_or("");
            const BETWEEN_NOT: [&str; 10] = [
                "with", "of", "in", "from", "and", "by", "for", "to", "new", "former",
            ];
            let counted = is_member(next)
                || (is_member(after)
                    && next.chars().all(char::is_alphanumeric)
                    && !BETWEEN_NOT.contains(&plain(next).as_str()));
            if !counted {
                continue;
            }
            let lead = words[..i].join(" ").to_lowercase();
            let qualifier = BEFORE.iter().find(|b| lead.ends_with(*b));
            let words_as_written = match qualifier {
                Some(q) => {
                    let n = q.split(' ').count();
                    words[i - n..=i].join(" ")
                }
                None => w.to_string(),
            };
            out.push(StatedCount {
                words: words_as_written,
                number,
                claim: c.claim.id.clone(),
                source: c.source.clone(),
            });
            break;
        }
    }
    out
}

/// The most members a profile lists (a coalition can have thousands).
pub const MEMBER_LIMIT: usize = 200;

/// The profile of the entity with this id, or `None` when there is none.
/// A member is listed with the claims about it made in the sources that
/// record its membership, as the profile pages it came from show them.
pub fn profile(store: &dyn Read, id: &str) -> Result<Option<Profile>> {
    profile_in(&cache::Cached::new(store), id, 0)
}

/// The profile with its members listed from the `members_offset`-th, A to
/// Z, [`MEMBER_LIMIT`] of them (a page of a large network's members),
/// named from `kept` (labels kept from request to request) where it can: a
/// network of a thousand members is sorted by their names without
/// reading each.
pub fn profile_with_kept(
    store: &dyn Read,
    id: &str,
    members_offset: usize,
    kept: &cache::Kept,
) -> Result<Option<Profile>> {
    profile_in(&cache::Cached::with_kept(store, kept), id, members_offset)
}

pub(crate) fn profile_in(
    cached: &cache::Cached<'_>,
    id: &str,
    members_offset: usize,
) -> Result<Option<Profile>> {
    let store: &dyn Read = cached;
    let Some(entity) = store.entity(id)? else {
        return Ok(None);
    };
    let shared = cached.referencing_shared(&entity.id)?;
    let refs: &[Entity] = &shared;
    let mut p = Profile {
        entity,
        own_words: Vec::new(),
        members: Vec::new(),
        members_total: 0,
        members_offset,
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
        values: Vec::new(),
        updated: None,
        documents: std::collections::HashMap::new(),
        stated_members: Vec::new(),
    };
    let id = p.entity.id.clone();
    // Everything the page links to, read in one go into the cache the
    // loops below read from.
    let listed = listed_members(store, refs, &id, members_offset)?;
    cached.prefetch(&linked(refs, &id, &listed))?;
    let is_listed: std::collections::HashSet<&str> = listed.iter().map(String::as_str).collect();
    // The claims about the members the page lists, in one go: not all
    // that refers to each member (a member that is a network itself is
    // referred to by each of its own members' memberships).
    let member_claims = if listed.is_empty() {
        Vec::new()
    } else {
        store.entities_of(&store.pointing_at(&listed, &["Claim"])?)?
    };
    prefetch_claims(cached, refs, &member_claims)?;
    p.merged_from = merged_from(store, &id)?;
    // Members counted once, though merged records bring a membership each.
    let mut members_seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for r in refs {
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
                    if !r.values("member").any(|m| is_listed.contains(m)) {
                        continue;
                    }
                    let sources: Vec<&str> = r.values("proof").collect();
                    for m in ends(r, "member") {
                        if let Some(member) = store.entity(&m)? {
                            // A member past those read ahead (one before it
                            // was hidden from this reader) is read alone.
                            let alone;
                            let candidates = if is_listed.contains(m.as_str()) {
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
    // Keys made once an element (a network lists up to a thousand).
    p.members
        .sort_by_cached_key(|m| m.member.caption().to_lowercase());
    p.networks
        .sort_by(|a, b| a.network.caption().cmp(b.network.caption()));
    p.funding
        .sort_by_cached_key(|f| (f.payer.caption().to_lowercase(), date_key(&f.payment)));
    p.grants
        .sort_by_cached_key(|f| (f.beneficiary.caption().to_lowercase(), date_key(&f.payment)));
    p.people
        .sort_by(|a, b| a.person.caption().cmp(b.person.caption()));
    p.links.sort_by(|a, b| a.0.caption().cmp(b.0.caption()));
    // Each distinct claim once, the record met first (the first recorded)
    // standing for the others, before the page's order is set.
    p.own_words = crate::distinct(std::mem::take(&mut p.own_words));
    p.claims = crate::distinct(std::mem::take(&mut p.claims));
    p.mentioned_in = crate::distinct(std::mem::take(&mut p.mentioned_in));
    p.claims.sort_by_key(|c| {
        (
            c.claim.first("topic").map(str::to_string),
            date_key(&c.claim),
        )
    });
    p.mentioned_in.sort_by_key(|c| date_key(&c.claim));
    // Sources: where the subject's own statements came from, and its claims' sources.
    // A network is named by every page that lists a member: thousands of
    // statements, a handful of values, as many sources as pages. Looked
    // up by key, not by walking the lists.
    let history = cached.history_shared(&id)?;
    let mut source_ids: Vec<String> = Vec::new();
    let mut sources_seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut value_at: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::new();
    let mut value_sources: Vec<std::collections::HashSet<&str>> = Vec::new();
    let mut updated: Option<&str> = None;
    for st in history.iter() {
        let changed = st.retracted_at.as_deref().unwrap_or(&st.first_seen);
        if updated.is_none_or(|u| u < changed) {
            updated = Some(changed);
        }
        if !st.is_current() || st.prop == "id" {
            continue;
        }
        match value_at.get(&(st.prop.as_str(), st.value.as_str())) {
            Some(&at) => {
                if value_sources[at].insert(&st.source) {
                    p.values[at].sources.push(st.source.clone());
                }
            }
            None => {
                value_at.insert((&st.prop, &st.value), p.values.len());
                value_sources.push(std::iter::once(st.source.as_str()).collect());
                p.values.push(SourcedValue {
                    prop: st.prop.clone(),
                    value: st.value.clone(),
                    sources: vec![st.source.clone()],
                    since: st.first_seen.clone(),
                });
            }
        }
        if sources_seen.insert(&st.source) {
            source_ids.push(st.source.clone());
        }
    }
    if let Some(u) = updated {
        if p.updated.as_deref().is_none_or(|was| was < u) {
            p.updated = Some(u.to_string());
        }
    }
    for c in p.claims.iter().chain(&p.own_words) {
        for s in c.claim.values("source") {
            if sources_seen.insert(s) {
                source_ids.push(s.to_string());
            }
        }
    }
    for doc in store.entities_of(&source_ids)? {
        if doc.schema.is_a("Document") && doc.id != id {
            p.sources.push(doc);
        }
    }
    // The documents each relationship row names as its source.
    let relations = p
        .members
        .iter()
        .map(|m| &m.membership)
        .chain(p.networks.iter().map(|n| &n.membership))
        .chain(p.funding.iter().chain(&p.grants).map(|f| &f.payment))
        .chain(p.people.iter().map(|x| &x.relation))
        .chain(p.links.iter().chain(&p.roles).map(|(_, r)| r));
    let mut proofs: Vec<String> = Vec::new();
    let mut proofs_seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for r in relations {
        for d in r.values("proof") {
            if proofs_seen.insert(d) {
                proofs.push(d.to_string());
            }
        }
    }
    for doc in store.entities_of(&proofs)? {
        p.documents.insert(doc.id.clone(), doc);
    }
    p.stated_members = stated_members(&p.claims);
    Ok(Some(p))
}

/// The entities a profile shows beside its subject: every entity that the
/// relationships and claims about it point to, but of a network's members
/// only as many as the page lists ([`MEMBER_LIMIT`]), and not the
/// documents that prove a relationship (named, not shown).
fn linked(refs: &[Entity], id: &str, listed: &[String]) -> Vec<String> {
    let listed: std::collections::HashSet<&String> = listed.iter().collect();
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

/// The members a network's page lists: [`MEMBER_LIMIT`] of them from the
/// `offset`-th, A to Z by name (ids of members that are not there, or
/// hidden from the reader, last).
fn listed_members(
    store: &dyn Read,
    refs: &[Entity],
    id: &str,
    offset: usize,
) -> Result<Vec<String>> {
    let mut all: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for r in refs {
        if r.schema.name == "Membership" && r.values("organization").any(|o| o == id) {
            for m in r.values("member") {
                if seen.insert(m) {
                    all.push(m.to_string());
                }
            }
        }
    }
    // A network within one page needs no names to be cut.
    if offset == 0 && all.len() <= MEMBER_LIMIT {
        return Ok(all);
    }
    let mut names: std::collections::HashMap<String, String> = store
        .labels(&all)?
        .into_iter()
        .map(|l| (l.id, l.caption.to_lowercase()))
        .collect();
    // A to Z by name, then by id; those without a name last. Sorted by a
    // key made once a member (not two look-ups a comparison).
    let mut keyed: Vec<(bool, String, String)> = all
        .into_iter()
        .map(|id| match names.remove(&id) {
            Some(name) => (false, name, id),
            None => (true, String::new(), id),
        })
        .collect();
    keyed.sort_unstable();
    Ok(keyed
        .into_iter()
        .skip(offset)
        .take(MEMBER_LIMIT)
        .map(|(_, _, id)| id)
        .collect())
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn said(text: &str) -> ClaimView {
        let mut c = Entity::new("c1", "Claim").unwrap();
        c.add("text", text).unwrap();
        ClaimView {
            claim: c,
            quotations: Vec::new(),
            source: None,
            asserted_by: None,
            subjects: Vec::new(),
            mentions: Vec::new(),
            replies: Vec::new(),
            sources: Vec::new(),
            same: Vec::new(),
        }
    }

    #[test]
    fn member_counts_are_read_in_the_sources_words() {
        let count = |t: &str| {
            stated_members(&[said(t)])
                .first()
                .map(|s| (s.words.clone(), s.number))
        };
        assert_eq!(
            count("ALLMEP lists over 150 member organizations."),
            Some(("over 150".into(), 150))
        );
        assert_eq!(
            count("The profile counts more than 150 ALLMEP members and judges them."),
            Some(("more than 150".into(), 150))
        );
        assert_eq!(count("It has 1,200 members."), Some(("1,200".into(), 1200)));
        assert_eq!(
            count("Founded in 2013 with members from ten countries."),
            None
        );
        assert_eq!(
            count("It received 150 grants from its members' funds."),
            None
        );
    }
}
