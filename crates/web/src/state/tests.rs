//! The graph follower: a change that leaves every tie as it was keeps the
//! graph made (and the rankings kept for it); one that moves a tie makes
//! it again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use dossier_model::{Batch, Entity, Provenance};
use dossier_store::prelude::*;
use dossier_store::SqliteStore;

use super::*;

fn entity(id: &str, schema: &str, props: &[(&str, &str)]) -> Entity {
    let mut e = Entity::new(id, schema).unwrap();
    for (p, v) in props {
        e.add(p, *v).unwrap();
    }
    e
}

fn prov(now: &str) -> Provenance {
    Provenance {
        dataset: "test".into(),
        source: String::new(),
        user: "tester".into(),
        origin: Some("test".into()),
        now: now.into(),
    }
}

/// A source `doc` saying what it names: `entities` beside its document.
fn source(doc: &str, entities: Vec<Entity>) -> Batch {
    let mut b = Batch::new(doc, doc);
    b.put(entity(doc, "Document", &[("fileName", "page.txt")]))
        .unwrap();
    for e in entities {
        b.put(e).unwrap();
    }
    b
}

/// Writes `batch` through a connection of its own, as another server would.
fn write(writer: &mut SqliteStore, batch: Batch, now: &str) {
    writer.apply(&[batch], &prov(now)).unwrap();
}

/// The graph the server holds now, with its version.
fn held(state: &AppState) -> (i64, Arc<dossier_graph::analysis::Graph>) {
    crate::held::read(&state.inner.derived.graph)
        .clone()
        .expect("a graph made")
}

#[test]
fn the_graph_is_made_again_only_when_a_tie_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut writer, state) = one_network(&dir);
    assert!(state.refresh_graph().unwrap());
    let (version, first) = held(&state);
    assert_eq!(first.edge_count(), 1);

    // A new name for org-a: no tie moves.
    alpha_renamed(&mut writer);
    assert!(state.refresh_graph().unwrap(), "the store moved");
    let (kept_version, kept) = held(&state);
    assert!(Arc::ptr_eq(&first, &kept), "the same graph kept");
    assert_eq!(kept_version, version);
    assert!(!state.refresh_graph().unwrap(), "nothing new");

    // A second membership: a tie more, a graph made again.
    let beta = || entity("org-b", "Organization", &[("name", "Beta")]);
    write(&mut writer, beta_joins("doc-3"), "2026-01-03T00:00:00");
    assert!(state.refresh_graph().unwrap());
    let (new_version, new) = held(&state);
    assert!(!Arc::ptr_eq(&first, &new));
    assert!(new_version > version);
    assert_eq!(new.edge_count(), 2);
    assert!(new.node("org-b").is_some());

    // The membership withdrawn (its source's next version no longer
    // names it): the tie goes, the graph is made again without it.
    let mut next = source("doc-3", vec![beta()]);
    next.content_hash = "doc-3, second version".into();
    write(&mut writer, next, "2026-01-04T00:00:00");
    assert!(state.refresh_graph().unwrap());
    let (_, after) = held(&state);
    assert!(!Arc::ptr_eq(&new, &after));
    assert_eq!(after.edge_count(), 1);
}

/// A store of one network with one member (org-a in org-n, by mem-1),
/// a connection that writes to it as another server would, and a server's
/// state over it with nothing made yet.
fn one_network(dir: &tempfile::TempDir) -> (std::path::PathBuf, SqliteStore, AppState) {
    let path = dir.path().join("n.db");
    let mut writer = SqliteStore::open(&path).unwrap();
    write(&mut writer, first_source("Network"), "2026-01-01T00:00:00");
    let opened = path.clone();
    let open: crate::Opener =
        Arc::new(move || Ok(Box::new(SqliteStore::open(&opened)?) as crate::SharedStore));
    let state = AppState::new(
        Box::new(SqliteStore::open(&path).unwrap()),
        dossier_search::SearchIndex::in_memory().unwrap(),
    )
    .with_opener(open);
    (path, writer, state)
}

/// doc-1: org-a, a member of the network org-n, named `network`.
fn first_source(network: &str) -> Batch {
    source(
        "doc-1",
        vec![
            entity("org-a", "Organization", &[("name", "Alpha")]),
            entity("org-n", "Organization", &[("name", network)]),
            entity(
                "mem-1",
                "Membership",
                &[("member", "org-a"), ("organization", "org-n")],
            ),
        ],
    )
}

/// A second source naming org-a anew: a write that moves no tie.
fn alpha_renamed(writer: &mut SqliteStore) {
    let renamed = entity("org-a", "Organization", &[("name", "Alpha Renamed")]);
    write(
        writer,
        source("doc-2", vec![renamed]),
        "2026-01-02T00:00:00",
    );
}

/// A source `doc` saying org-b joins org-n (by mem-2).
fn beta_joins(doc: &str) -> Batch {
    source(
        doc,
        vec![
            entity("org-b", "Organization", &[("name", "Beta")]),
            entity(
                "mem-2",
                "Membership",
                &[("member", "org-b"), ("organization", "org-n")],
            ),
        ],
    )
}

/// The networks and their sizes as a reader who sees everything gets them
/// now, from what the server keeps for that reader, read from the store;
/// checked against the same from the graph's ties (`AppState::networks`,
/// what the public gets: nothing here is private).
fn networks_now(state: &AppState, path: &std::path::Path) -> dossier_views::cache::NetworkList {
    let store = SqliteStore::open(path).unwrap();
    let reader = store.reader(&dossier_store::Scope::everything());
    let read = state.kept(&reader).networks(&reader).unwrap();
    assert_eq!(
        sizes(&state.networks(&reader).unwrap()),
        sizes(&read),
        "from the graph as from the store"
    );
    read
}

fn sizes(list: &dossier_views::cache::NetworkList) -> Vec<(String, String, usize)> {
    list.iter()
        .map(|(l, n)| (l.id.clone(), l.caption.clone(), *n))
        .collect()
}

/// The networks (read from every membership) are kept through writes that
/// move no membership and name no network listed, and read again after
/// one that does: a network renamed, a membership more, a membership
/// naming no member (no tie moves, the count does).
#[test]
fn networks_are_kept_until_a_membership_or_a_network_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut writer, state) = one_network(&dir);
    assert!(state.refresh_graph().unwrap());
    let first = networks_now(&state, &path);
    assert_eq!(sizes(&first), [("org-n".into(), "Network".into(), 1)]);

    // A member renamed: no membership moves, no listed network changes.
    alpha_renamed(&mut writer);
    assert!(state.refresh_graph().unwrap());
    let kept = networks_now(&state, &path);
    assert!(Arc::ptr_eq(&first, &kept), "the same list kept");

    // The network named anew by its source's next version: read again,
    // with the new name.
    write(
        &mut writer,
        first_source("Network Renamed"),
        "2026-01-03T00:00:00",
    );
    assert!(state.refresh_graph().unwrap());
    let renamed = networks_now(&state, &path);
    assert!(!Arc::ptr_eq(&first, &renamed));
    assert_eq!(renamed[0].0.caption, "Network Renamed");

    // A membership more.
    write(&mut writer, beta_joins("doc-4"), "2026-01-04T00:00:00");
    assert!(state.refresh_graph().unwrap());
    assert_eq!(sizes(&networks_now(&state, &path))[0].2, 2);

    // A second membership of the same member: still two members.
    let again = source(
        "doc-5",
        vec![entity(
            "mem-2b",
            "Membership",
            &[("member", "org-b"), ("organization", "org-n")],
        )],
    );
    write(&mut writer, again, "2026-01-05T00:00:00");
    assert!(state.refresh_graph().unwrap());
    assert_eq!(sizes(&networks_now(&state, &path))[0].2, 2);

    // A membership of a network not listed yet, naming no member: no
    // member, no network more; then its member is named.
    let lone = |doc: &str, member: &[(&str, &str)]| {
        let mut props = vec![("organization", "org-m")];
        props.extend_from_slice(member);
        source(
            doc,
            vec![
                entity("org-m", "Organization", &[("name", "Movement")]),
                entity("mem-3", "Membership", &props),
            ],
        )
    };
    write(&mut writer, lone("doc-6", &[]), "2026-01-06T00:00:00");
    assert!(state.refresh_graph().unwrap());
    assert_eq!(sizes(&networks_now(&state, &path)).len(), 1);
    write(
        &mut writer,
        lone("doc-7", &[("member", "org-a")]),
        "2026-01-07T00:00:00",
    );
    assert!(state.refresh_graph().unwrap());
    let after = networks_now(&state, &path);
    assert_eq!(
        sizes(&after),
        [
            ("org-n".into(), "Network Renamed".into(), 2),
            ("org-m".into(), "Movement".into(), 1)
        ]
    );
}

/// For the public, the networks are counted from the graph and kept until
/// its follower meets a membership: the same list through a rename of a
/// member, a new one after a membership more.
#[test]
fn the_publics_networks_are_counted_from_the_graph_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut writer, state) = one_network(&dir);
    state.refresh_index().unwrap();
    assert!(state.refresh_graph().unwrap());
    let public = |state: &AppState| {
        let store = SqliteStore::open(&path).unwrap();
        let reader = store.reader(&state.public_scope().unwrap());
        state.networks(&reader).unwrap()
    };
    let first = public(&state);
    assert_eq!(sizes(&first), [("org-n".into(), "Network".into(), 1)]);
    alpha_renamed(&mut writer);
    assert!(state.refresh_graph().unwrap());
    assert!(Arc::ptr_eq(&first, &public(&state)), "the same list kept");
    write(&mut writer, beta_joins("doc-4"), "2026-01-04T00:00:00");
    assert!(state.refresh_graph().unwrap());
    assert_eq!(sizes(&public(&state))[0].2, 2);
}

/// A reader who sees a private collection counts the networks from the
/// memberships it read, kept: after a write into the collection, or one
/// the public sees, only what changed is read again, and the list is the
/// one every membership read again gives; the public's list leaves the
/// private membership out.
#[test]
fn an_editors_networks_follow_private_memberships_without_reading_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut writer, state) = one_network(&dir);
    writer.set_collection("notes", true).unwrap();
    state.refresh_index().unwrap();
    assert!(state.refresh_graph().unwrap());
    let lists = |state: &AppState| {
        let store = SqliteStore::open(&path).unwrap();
        let editor = store.reader(&dossier_store::Scope::everything());
        let kept = sizes(&state.networks(&editor).unwrap());
        let read_at = state.kept(&editor).memberships_read_at();
        assert_eq!(
            kept,
            sizes(&Arc::new(dossier_views::networks(&editor).unwrap())),
            "as every membership read again"
        );
        let public = store.reader(&state.public_scope().unwrap());
        (kept, sizes(&state.networks(&public).unwrap()), read_at)
    };
    let (editor, public, read_at) = lists(&state);
    assert_eq!(editor, [("org-n".into(), "Network".into(), 1)]);
    assert_eq!(public, editor);
    assert!(read_at.is_some());

    // A membership in the private collection.
    let note = source(
        "note-1",
        vec![
            entity("org-p", "Organization", &[("name", "Private")]),
            entity(
                "mem-p",
                "Membership",
                &[("member", "org-p"), ("organization", "org-n")],
            ),
        ],
    );
    let in_notes = Provenance {
        dataset: "notes".into(),
        ..prov("2026-01-02T00:00:00")
    };
    writer.apply(&[note], &in_notes).unwrap();
    assert!(state.refresh_graph().unwrap());
    let (editor, public, now) = lists(&state);
    assert_eq!(editor, [("org-n".into(), "Network".into(), 2)]);
    assert_eq!(public, [("org-n".into(), "Network".into(), 1)]);
    assert_eq!(now, read_at, "not read whole again");

    // A membership the public sees too.
    write(&mut writer, beta_joins("doc-3"), "2026-01-03T00:00:00");
    assert!(state.refresh_graph().unwrap());
    let (editor, public, now) = lists(&state);
    assert_eq!(editor, [("org-n".into(), "Network".into(), 3)]);
    assert_eq!(public, [("org-n".into(), "Network".into(), 2)]);
    assert_eq!(now, read_at);
}

/// When the graph's follower has forgotten everything (its first round,
/// a merge), it makes what the public's home page reads before anyone
/// asks: the networks, and the part of the counts a private collection
/// hides.
#[test]
fn the_publics_home_is_made_ready_after_everything_was_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut writer, state) = one_network(&dir);
    writer.set_collection("notes", true).unwrap();
    let note = source(
        "note-1",
        vec![entity("org-p", "Organization", &[("name", "Private")])],
    );
    let in_notes = Provenance {
        dataset: "notes".into(),
        ..prov("2026-01-02T00:00:00")
    };
    writer.apply(&[note], &in_notes).unwrap();
    state.refresh_index().unwrap();
    let ready = |state: &AppState| {
        let store = SqliteStore::open(&path).unwrap();
        let public = store.reader(&state.public_scope().unwrap());
        let kept = state.kept(&public);
        (
            kept.kept_networks(&public).map(|l| sizes(&l)),
            kept.hidden_part_made_at(),
        )
    };
    assert_eq!(ready(&state), (None, None), "nothing asked for yet");
    assert!(state.refresh_graph().unwrap());
    let (networks, part) = ready(&state);
    assert_eq!(networks, Some(vec![("org-n".into(), "Network".into(), 1)]));
    assert!(part.is_some(), "the hidden part made");

    // A merge: everything forgotten, made again.
    writer
        .resolve(
            &dossier_store::Scope::everything(),
            &[("org-p".into(), "org-a".into())],
            &prov("2026-01-03T00:00:00"),
        )
        .unwrap();
    assert!(state.refresh_graph().unwrap());
    let (networks, again) = ready(&state);
    assert!(networks.is_some());
    assert!(
        again.is_some() && again != part,
        "made again after the merge"
    );
}
