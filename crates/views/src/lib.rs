//! Read models: what a page or a `show` prints, assembled from the store.
//!
//! Architecture invariant: views read through the `Read` trait only and
//! know no output format; the CLI and the web application render them.

pub mod cache;
mod claims;
mod countries;
mod history;
mod profile;
mod thing;
mod words;
pub use claims::{claim_view, distinct, ClaimView, QuotationView};
pub use countries::{countries, CountryLabel};
pub use history::{history, history_with_related, Change, RELATED_LIMIT};
pub use profile::{
    profile, profile_with_kept, stated_members, FundingView, MemberView, NetworkView, PersonView,
    Profile, SourcedValue, StatedCount, MEMBER_LIMIT,
};
pub use thing::{thing_view, LinkGroup, LinkItem, Named, PropGroup, PropRow, ThingView, ValueRow};
pub use words::{bounded_message, counted, shortened};

use dossier_evidence::check::{quote_text, selector_of};
use dossier_evidence::{locate, Mark};
use dossier_model::{Entity, Schema};
use dossier_store::{ArchivedCopy, Label, Read, Result, StoreError};

/// Evidence errors as store errors: views report one kind.
fn evidence_err(e: dossier_evidence::EvidenceError) -> StoreError {
    match e {
        dossier_evidence::EvidenceError::Store(s) => s,
        other => StoreError::Io(other.to_string()),
    }
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

/// The networks of the store with their sizes, most members first: each
/// network's label (a list shows its name, and a label is one read of one
/// index where an entity is all its rows). A member is counted once
/// however many memberships say so, and only a membership naming both ends
/// counts: as the analysis graph's ties count them
/// ([`dossier_graph::analysis::Graph::networks`]), which the web
/// application lists them from for the public.
pub fn networks(store: &dyn Read) -> Result<Vec<(Label, usize)>> {
    named_networks(store, network_sizes(store)?)
}

/// The networks' sizes as [`networks`] counts them, by network id.
pub fn network_sizes(store: &dyn Read) -> Result<Vec<(String, usize)>> {
    let mut members: std::collections::HashMap<String, std::collections::HashSet<String>> =
        std::collections::HashMap::new();
    for m in store.entities(&["Membership"])? {
        if let Some((network, member)) = membership_of(&m) {
            members.entry(network).or_default().insert(member);
        }
    }
    Ok(members.into_iter().map(|(id, m)| (id, m.len())).collect())
}

/// The network and the member a membership names (each its first), as
/// the networks' sizes count them; `None` for any other entity, or a
/// membership that does not name both.
pub fn membership_of(e: &Entity) -> Option<(String, String)> {
    if !e.schema.is_a("Membership") {
        return None;
    }
    Some((
        e.first("organization")?.to_string(),
        e.first("member")?.to_string(),
    ))
}

/// The networks with these sizes, each with its label (those `store`
/// cannot read left out), most members first.
pub fn named_networks(
    store: &dyn Read,
    sizes: Vec<(String, usize)>,
) -> Result<Vec<(Label, usize)>> {
    let ids: Vec<String> = sizes.iter().map(|(id, _)| id.clone()).collect();
    let mut labels: std::collections::HashMap<String, Label> = store
        .labels(&ids)?
        .into_iter()
        .map(|l| (l.id.clone(), l))
        .collect();
    let mut out: Vec<(Label, usize)> = sizes
        .into_iter()
        .filter_map(|(id, n)| Some((labels.remove(&id)?, n)))
        .collect();
    sort_networks(&mut out);
    Ok(out)
}

/// Most members first, then by name (and id, so that the order is one).
pub fn sort_networks(list: &mut [(Label, usize)]) {
    list.sort_by(|a, b| {
        (b.1.cmp(&a.1))
            .then(a.0.caption.cmp(&b.0.caption))
            .then(a.0.id.cmp(&b.0.id))
    });
}

/// The most nodes whose ties a kept page may name as what it depends on;
/// past that it depends on everything (a page is not worth keeping with
/// that many, nor a change worth checking against them).
pub const DEPENDS_LIMIT: usize = 5_000;

/// Says that what is being made from the analysis graph depends on the
/// ties of these nodes (see [`Read::depends_on`]), or, past
/// [`DEPENDS_LIMIT`] of them, on everything.
pub fn depends_on_nodes(
    store: &dyn Read,
    graph: &dossier_graph::analysis::Graph,
    nodes: impl IntoIterator<Item = usize>,
) {
    let ids: Vec<String> = nodes
        .into_iter()
        .take(DEPENDS_LIMIT + 1)
        .map(|n| graph.id(n))
        .collect();
    if ids.len() > DEPENDS_LIMIT {
        store.depends_on_everything();
    } else {
        store.depends_on(&ids);
    }
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
    // The drawing (who is two ties away, which of the first ring have the
    // most ties, who is tied to them) changes only with the ties of the
    // center or of its first ring: a change to either lists them.
    depends_on_nodes(
        store,
        graph,
        std::iter::once(x).chain(near.iter().filter(|&&(_, d)| d == 1).map(|&(n, _)| n)),
    );
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
/// (common networks, funders, people, partners), most shared first; and
/// how many there are in all. A mention in a claim is not a tie: being
/// named in the same claim connects nobody.
/// What [`connections`] works out from the graph alone (the entities
/// ranked, the count), kept for one graph: `version` names the graph it
/// was made from, and a result from another is never kept or given.
#[derive(Debug, Default)]
pub struct Interlocks(std::sync::Mutex<KeptInterlocks>);

type Ranked = std::sync::Arc<(Vec<dossier_graph::analysis::Interlock>, usize)>;

#[derive(Debug, Default)]
struct KeptInterlocks {
    version: i64,
    kept: std::collections::HashMap<(usize, usize), Ranked>,
}

/// How many subjects' rankings are kept for a graph.
const INTERLOCKS_KEPT: usize = 20_000;

impl Interlocks {
    /// The ranking for (`node`, `limit`) on the graph of `version`, kept
    /// or made by `rank`.
    fn get(&self, version: i64, key: (usize, usize), rank: impl FnOnce() -> Ranked) -> Ranked {
        fn lock(m: &std::sync::Mutex<KeptInterlocks>) -> std::sync::MutexGuard<'_, KeptInterlocks> {
            m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
        }
        {
            let kept = lock(&self.0);
            if kept.version == version {
                if let Some(r) = kept.kept.get(&key) {
                    return r.clone();
                }
            }
        }
        let ranked = rank();
        let mut kept = lock(&self.0);
        if version > kept.version {
            *kept = KeptInterlocks {
                version,
                kept: std::collections::HashMap::new(),
            };
        }
        if version == kept.version {
            if kept.kept.len() >= INTERLOCKS_KEPT {
                kept.kept.clear();
            }
            kept.kept.insert(key, ranked.clone());
        }
        ranked
    }
}

pub fn connections(
    store: &dyn Read,
    graph: (&dossier_graph::analysis::Graph, i64),
    kept: &Interlocks,
    labels: &cache::Kept,
    id: &str,
    limit: usize,
) -> Result<(Vec<Connection>, usize)> {
    let (graph, version) = graph;
    let Some(x) = graph.node(id) else {
        return Ok((Vec::new(), 0));
    };
    use dossier_graph::EdgeKind;
    let filter = dossier_graph::analysis::Filter {
        kinds: vec![
            EdgeKind::Membership,
            EdgeKind::Payment,
            EdgeKind::Employment,
            EdgeKind::Directorship,
            EdgeKind::Link,
        ],
        at: None,
    };
    let near: Vec<usize> = graph
        .neighbours(x, 1, &filter)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    // Who shares what with the subject changes only with the ties of the
    // subject or of its neighbours: a change to either lists them.
    depends_on_nodes(store, graph, std::iter::once(x).chain(near.iter().copied()));
    let ranked = kept.get(version, (x, limit), || {
        std::sync::Arc::new(graph.top_interlocks(&near, &[x], 1, limit, &filter))
    });
    let (locks, total) = (&ranked.0, ranked.1);
    // Every name on the list at once; the shared neighbours (the subject's
    // networks, funders) recur from line to line and page to page.
    let mut ids: Vec<String> = Vec::new();
    for l in locks {
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

    /// A ranking is kept for the graph it was made from: asked again on
    /// that graph it is not made again; on a newer graph it is; one made
    /// from an older graph is given but never kept.
    #[test]
    fn rankings_are_kept_for_one_graph() {
        let kept = Interlocks::default();
        let made = std::cell::Cell::new(0);
        let rank = |n: usize| {
            made.set(made.get() + 1);
            std::sync::Arc::new((Vec::new(), n))
        };
        assert_eq!(kept.get(5, (1, 10), || rank(1)).1, 1);
        assert_eq!(kept.get(5, (1, 10), || rank(2)).1, 1, "kept");
        assert_eq!(made.get(), 1);
        assert_eq!(
            kept.get(4, (1, 10), || rank(3)).1,
            3,
            "an older graph's own"
        );
        assert_eq!(kept.get(5, (1, 10), || rank(4)).1, 1, "not replaced by it");
        assert_eq!(kept.get(6, (1, 10), || rank(5)).1, 5, "a newer graph");
        assert_eq!(kept.get(6, (1, 10), || rank(6)).1, 5);
        assert_eq!(kept.get(6, (1, 20), || rank(7)).1, 7, "another limit");
    }
    use dossier_model::Provenance;
    use dossier_store::prelude::*;
    use dossier_store::SqliteStore;

    /// The demo's statements in a new store.
    fn demo_store() -> SqliteStore {
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
        store
    }

    /// A profile read through a noting reader is made of the entities it
    /// names (its members, their memberships, their claims' sources), and
    /// a list read makes any answer depend on everything.
    #[test]
    fn a_profile_notes_what_it_read_and_a_list_notes_everything() {
        use dossier_store::{Deps, Ledger, Scope};
        let store = demo_store();
        let allmep = find(&store, "ALLMEP").unwrap()[0].id.clone();
        let ledger = std::sync::Arc::new(Ledger::new());
        let reader = store.reader(&Scope::everything()).noting(ledger.clone());
        let p = profile(&reader, &allmep).unwrap().unwrap();
        let Deps::Entities(ids) = ledger.deps() else {
            panic!("a profile reads no list");
        };
        assert!(ids.contains(&allmep));
        for m in &p.members {
            assert!(ids.contains(&m.member.id), "{}", m.member.id);
            assert!(ids.contains(&m.membership.id), "{}", m.membership.id);
        }
        for s in &p.sources {
            assert!(ids.contains(&s.id));
        }
        reader.stats().unwrap();
        assert_eq!(ledger.deps(), Deps::Everything);
    }

    /// A network's drawing depends on the ties of its center and of every
    /// entity one tie away, drawn or not: which are drawn, and how many
    /// are two ties away, are decided by them.
    #[test]
    fn a_drawing_depends_on_its_first_ring_drawn_or_not() {
        use dossier_store::{Deps, Ledger, Scope};
        let store = demo_store();
        let allmep = find(&store, "ALLMEP").unwrap()[0].id.clone();
        let graph = tie_set(&store).unwrap().graph();
        let ledger = std::sync::Arc::new(Ledger::new());
        let reader = store.reader(&Scope::everything()).noting(ledger.clone());
        let (net, _) = network(&reader, &graph, &allmep, 3).unwrap().unwrap();
        let Deps::Entities(ids) = ledger.deps() else {
            panic!("a drawing reads no list");
        };
        let x = graph.node(&allmep).unwrap();
        let filter = dossier_graph::analysis::Filter {
            kinds: vec![dossier_graph::EdgeKind::Membership],
            at: None,
        };
        let ring: Vec<String> = graph
            .neighbours(x, 1, &filter)
            .into_iter()
            .map(|(n, _)| graph.id(n))
            .collect();
        assert!(ring.len() > 3, "more members than are drawn");
        assert!(net.nodes.len() <= 3);
        assert!(ids.contains(&allmep));
        for m in &ring {
            assert!(ids.contains(m), "{m}, one tie away, not drawn");
        }
        // Through the cache the pages read by, as through the reader: what
        // is named, then more than is worth naming.
        let kept = cache::Kept::from(0);
        let cached = cache::with_kept(&reader, &kept);
        cached.depends_on(&["unseen".to_string()]);
        let Deps::Entities(ids) = ledger.deps() else {
            panic!("nothing said everything yet");
        };
        assert!(ids.contains(&"unseen".to_string()));
        cached.depends_on_everything();
        assert_eq!(ledger.deps(), Deps::Everything);
    }

    /// Past [`DEPENDS_LIMIT`] nodes, a page made from the graph depends
    /// on everything rather than on each of them.
    #[test]
    fn too_many_nodes_to_name_are_everything() {
        use dossier_graph::analysis::{Graph, Tie};
        use dossier_store::{Deps, Ledger, Scope};
        let store = SqliteStore::in_memory().unwrap();
        let graph = Graph::build((0..=DEPENDS_LIMIT).map(|i| Tie {
            id: format!("m{i}"),
            kind: dossier_graph::EdgeKind::Membership,
            source: format!("org{i}"),
            target: "net".into(),
            start: None,
            end: None,
            amount: None,
        }));
        let noted = |nodes: std::ops::Range<usize>| {
            let ledger = std::sync::Arc::new(Ledger::new());
            let reader = store.reader(&Scope::everything()).noting(ledger.clone());
            depends_on_nodes(&reader, &graph, nodes);
            ledger.deps()
        };
        let Deps::Entities(ids) = noted(0..DEPENDS_LIMIT) else {
            panic!("as many as may be named");
        };
        assert_eq!(ids.len(), DEPENDS_LIMIT);
        assert_eq!(noted(0..DEPENDS_LIMIT + 1), Deps::Everything);
    }

    #[test]
    fn demo_profile_has_members_claims_and_sources() {
        let store = demo_store();
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
        let again = profile::profile_in(&cached, &found[0].id, 0)
            .unwrap()
            .unwrap();
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
