//! Who may read and write what, on both backends: readers read only
//! their scope, whatever else reads the same connection; writers change
//! nothing of a collection hidden from them; archived copies stay in their
//! source's collection; accounts, sessions and tokens.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{all, assert_referencing_of_agrees, copy, doc, entity, prov, version};
use dossier_model::{Batch, Provenance};
use dossier_store::prelude::*;
use dossier_store::{Read, Scope, Store, StoreError};

/// A copy archived of a source in a private collection belongs to that
/// collection: it, its text, its bytes and what archiving said of the
/// document are left out for a reader from whom the collection is hidden,
/// whatever dataset the archiving named. A page new to the store goes
/// where the archiving said.
fn a_private_source_stays_private_when_archived(store: &mut dyn Store) {
    // The source, recorded in the collection `notes`, which is then private.
    let notes = Provenance {
        dataset: "notes".into(),
        ..prov("2026-01-01T00:00:00")
    };
    store.apply(&[doc("doc-notes", "Notes")], &notes).unwrap();
    store.set_collection("notes", true).unwrap();
    // Archived as `dossier archive add` does, into the archive's dataset.
    let archiving = Provenance {
        dataset: "archive".into(),
        ..prov("2026-01-02T00:00:00")
    };
    let mut said = doc("doc-notes", "Notes");
    said.put(entity(
        "doc-notes",
        "Document",
        &[("title", "Archived notes")],
    ))
    .unwrap();
    store
        .archive(
            &Scope::everything(),
            &[copy("d", "doc-notes")],
            &[said],
            &archiving,
        )
        .unwrap();
    // And a page nobody recorded before: public, in the archive's dataset.
    store
        .archive(
            &Scope::everything(),
            &[copy("e", "doc-open")],
            &[doc("doc-open", "Open page")],
            &archiving,
        )
        .unwrap();

    let copies = store.copies(Some("doc-notes")).unwrap();
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0].dataset, "notes");
    assert_eq!(
        store.copies(Some("doc-open")).unwrap()[0].dataset,
        "archive"
    );

    {
        let store = store.reader(&Scope::hiding(["notes".to_string()]));
        assert!(store.copies(Some("doc-notes")).unwrap().is_empty());
        assert_eq!(store.copies(None).unwrap().len(), 1, "only the open page");
        assert!(store.copy_text(&"d".repeat(64)).unwrap().is_none());
        assert!(store.copy_content(&"d".repeat(64)).unwrap().is_none());
        assert!(
            store.entity("doc-notes").unwrap().is_none(),
            "what archiving said of the document is the collection's too"
        );
        assert!(store
            .copy_text(&"e".repeat(64))
            .unwrap()
            .is_some_and(|t| t == "private text"));
    }

    assert_eq!(
        store.copy_text(&"d".repeat(64)).unwrap().as_deref(),
        Some("private text")
    );
    assert!(store
        .entity("doc-notes")
        .unwrap()
        .unwrap()
        .values("title")
        .any(|t| t == "Archived notes"));
}

/// A writer changes only what they may read: an edit's removals, a delete
/// and a revert leave the rows of a collection hidden from them as they
/// are (a non-member editor's delete once retracted a private collection's
/// rows too).
fn writes_leave_hidden_collections_alone(store: &mut dyn Store) {
    let said = |dataset: &str, now: &str, alias: &str| {
        let mut b = Batch::new(format!("doc-{dataset}"), "h");
        b.put(entity(
            &format!("doc-{dataset}"),
            "Document",
            &[("title", dataset)],
        ))
        .unwrap();
        b.put(entity(
            "org-x",
            "Organization",
            &[("name", "Xeno Trust"), ("alias", alias)],
        ))
        .unwrap();
        (
            b,
            Provenance {
                dataset: dataset.into(),
                ..prov(now)
            },
        )
    };
    let (open, p1) = said("open", "2026-01-01T00:00:00", "Shared alias");
    store.apply(&[open], &p1).unwrap();
    let (notes, p2) = said("notes", "2026-01-02T00:00:00", "Shared alias");
    store.apply(&[notes], &p2).unwrap();
    store.set_collection("notes", true).unwrap();
    let notes_rows = |s: &dyn Store| {
        s.history("org-x")
            .unwrap()
            .into_iter()
            .filter(|st| st.dataset == "notes" && st.is_current())
            .count()
    };
    let before = notes_rows(store);
    assert!(before >= 2);

    let notes_hidden = Scope::hiding(["notes".to_string()]);
    // An edit taking the alias away: only the open collection's row goes.
    let mut batch = Batch::new("doc-open", "");
    batch
        .put(entity("org-x", "Organization", &[("name", "Xeno Trust")]))
        .unwrap();
    let edit = dossier_store::Edit {
        batch,
        remove: vec![("org-x".into(), "alias".into(), "Shared alias".into())],
        reason: "wrong".into(),
    };
    let r = store
        .edit(&notes_hidden, &edit, &prov("2026-01-03T00:00:00"))
        .unwrap();
    assert_eq!(r.retracted, 1);
    // Reverting the moment the notes were recorded, and deleting: nothing
    // of the notes is touched.
    let r = store
        .revert(
            &notes_hidden,
            "org-x",
            "2026-01-02T00:00:00",
            "undo",
            &prov("2026-01-04T00:00:00"),
        )
        .unwrap();
    assert_eq!((r.retracted, r.inserted), (0, 0));
    let r = store
        .delete(&notes_hidden, "org-x", "gone", &prov("2026-01-05T00:00:00"))
        .unwrap();
    assert!(r.retracted >= 1);
    assert_eq!(notes_rows(store), before, "the private rows stand");
    assert!(store
        .entity("org-x")
        .unwrap()
        .unwrap()
        .values("alias")
        .any(|a| a == "Shared alias"));
}

/// A private collection's statements, hidden, show nowhere: not in an
/// entity, a list, references, names, labels, histories, the log or counts.
fn hidden_datasets_are_left_out_of_every_read(store: &mut dyn Store) {
    store
        .apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    let mut b = Batch::new("doc-p", "hp");
    b.put(entity("doc-p", "Document", &[("fileName", "notes.txt")]))
        .unwrap();
    b.put(entity(
        "org-a",
        "Organization",
        &[("alias", "Secret Alias")],
    ))
    .unwrap();
    b.put(entity("org-p", "Organization", &[("name", "Private Body")]))
        .unwrap();
    b.put(entity(
        "mem-p",
        "Membership",
        &[("member", "org-p"), ("organization", "org-n")],
    ))
    .unwrap();
    let private = Provenance {
        dataset: "notes".into(),
        ..prov("2026-01-02T00:00:00")
    };
    store.apply(&[b], &private).unwrap();
    let everything = all(store).len();
    let before = store.version().unwrap();
    store.set_collection("notes", true).unwrap();
    assert!(
        store.version().unwrap() > before,
        "access changes move the version"
    );

    let hiding_notes = Scope::hiding(["notes".to_string()]);
    {
        let store = &store.reader(&hiding_notes);
        let a = store.entity("org-a").unwrap().unwrap();
        assert_eq!(a.values("alias").collect::<Vec<_>>(), ["A1"]);
        assert!(store.entity("org-p").unwrap().is_none());
        assert!(store.entity("doc-p").unwrap().is_none());
        assert!(store
            .entities(&[])
            .unwrap()
            .iter()
            .all(|e| e.id != "org-p" && e.id != "mem-p"));
        assert_eq!(
            store
                .referencing("org-n")
                .unwrap()
                .iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>(),
            ["mem-1"]
        );
        assert_referencing_of_agrees(store, &["org-n", "org-a", "org-p", "doc-p"]);
        assert!(store
            .names()
            .unwrap()
            .iter()
            .all(|n| n.value != "Secret Alias" && n.value != "Private Body"));
        assert!(store.labels(&["org-p".to_string()]).unwrap().is_empty());
        assert!(store
            .history("org-a")
            .unwrap()
            .iter()
            .all(|st| st.dataset != "notes"));
        assert!(all(store).iter().all(|st| st.dataset != "notes"));
        // What changed lately: the newest first, none of the hidden ones.
        let recent = store.recent(1000).unwrap();
        assert_eq!(recent.len(), all(store).len());
        assert!(recent.iter().all(|st| st.dataset != "notes"));
        assert!(recent.windows(2).all(|w| w[0].seq > w[1].seq));
        assert_eq!(store.recent(2).unwrap().len(), 2);
        let stats = store.stats().unwrap();
        assert_eq!(stats.datasets, ["test"]);
        assert!(stats
            .entities_by_schema
            .contains(&("Organization".into(), 2)));
        assert_eq!(stats.sources, 1);
    }

    assert!(store.entity("org-p").unwrap().is_some());
    assert_eq!(all(store).len(), everything);
    assert_eq!(store.recent(1000).unwrap().len(), everything);
    assert_eq!(
        store.recent(1).unwrap()[0].seq,
        all(store).iter().map(|st| st.seq).max().unwrap()
    );
    assert_eq!(store.stats().unwrap().datasets, ["notes", "test"]);
}

/// Accounts, sessions (expired ones refused), API tokens, collections.
fn accounts_sessions_tokens_and_collections(store: &mut dyn Store) {
    use dossier_store::{Account, Role};
    let ann = Account {
        name: "ann".into(),
        role: Role::Editor,
        created_at: "2026-01-01T00:00:00".into(),
    };
    store.add_account(&ann, "hash-1").unwrap();
    assert!(matches!(
        store.add_account(&ann, "hash-2"),
        Err(StoreError::AccountExists(_))
    ));
    assert_eq!(
        store.account("ann").unwrap(),
        Some((ann.clone(), "hash-1".into()))
    );
    assert_eq!(store.account("bob").unwrap(), None);
    store.set_password("ann", "hash-3").unwrap();
    let before = store.version().unwrap();
    store.set_role("ann", Role::Admin).unwrap();
    // An admin reads every collection: who may read what changed.
    assert!(
        store.version().unwrap() > before,
        "a role change moves the version"
    );
    let (a, hash) = store.account("ann").unwrap().unwrap();
    assert_eq!((a.role, hash.as_str()), (Role::Admin, "hash-3"));
    assert!(matches!(
        store.set_role("bob", Role::Viewer),
        Err(StoreError::UnknownAccount(_))
    ));
    // Sessions: found until they expire, gone when ended.
    store
        .add_session(
            "s1",
            "ann",
            "csrf-1",
            "2026-01-01T10:00:00",
            "2026-01-01T22:00:00",
        )
        .unwrap();
    store
        .add_session(
            "s2",
            "ann",
            "csrf-2",
            "2026-01-01T10:00:00",
            "2026-01-01T22:00:00",
        )
        .unwrap();
    let s = store.session("s1", "2026-01-01T12:00:00").unwrap().unwrap();
    assert_eq!(
        (s.account.name.as_str(), s.csrf.as_str()),
        ("ann", "csrf-1")
    );
    assert!(
        store
            .session("s1", "2026-01-01T22:00:01")
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(store
        .session("nope", "2026-01-01T12:00:00")
        .unwrap()
        .is_none());
    store.end_session("s1").unwrap();
    assert!(store
        .session("s1", "2026-01-01T12:00:00")
        .unwrap()
        .is_none());
    store.end_sessions_of("ann").unwrap();
    assert!(store
        .session("s2", "2026-01-01T12:00:00")
        .unwrap()
        .is_none());
    // Expired sessions are swept away; live ones stay.
    for (hash, expires) in [("s3", "2026-01-01T11:00:00"), ("s4", "2026-01-02T10:00:00")] {
        store
            .add_session(hash, "ann", "c", "2026-01-01T10:00:00", expires)
            .unwrap();
    }
    assert_eq!(
        store.end_expired_sessions("2026-01-01T12:00:00").unwrap(),
        1
    );
    assert!(store
        .session("s4", "2026-01-01T12:00:00")
        .unwrap()
        .is_some());
    store.end_sessions_of("ann").unwrap();
    // API tokens: each until its expiry, revoked by label or all at once.
    let made = "2026-01-01T10:00:00";
    for (t, label, until) in [
        ("t1", "laptop", "2026-04-01T00:00:00"),
        ("t2", "phone", "2026-02-01T00:00:00"),
        ("t3", "ci", "2026-04-01T00:00:00"),
    ] {
        store.add_token(t, "ann", label, made, until).unwrap();
    }
    let day = "2026-01-02T00:00:00";
    assert_eq!(store.token("t1", day).unwrap().unwrap().name, "ann");
    assert!(store.token("t9", day).unwrap().is_none());
    assert!(
        store.token("t2", "2026-03-01T00:00:00").unwrap().is_none(),
        "expired"
    );
    let shape = store.mark().unwrap().shape;
    assert_eq!(store.end_tokens_of("ann", Some("laptop")).unwrap(), 1);
    assert!(store.token("t1", day).unwrap().is_none(), "revoked");
    assert_eq!(
        store.mark().unwrap().shape,
        shape,
        "a revoked token sends no follower back to the start"
    );
    assert!(store.token("t3", day).unwrap().is_some());
    assert_eq!(store.end_tokens_of("ann", None).unwrap(), 2);
    assert!(store.token("t3", day).unwrap().is_none());
    // Collections and their members.
    store.set_collection("notes", true).unwrap();
    store.set_collection("demo", false).unwrap();
    store.set_member("notes", "ann", Some(true)).unwrap();
    assert!(matches!(
        store.set_member("nothing", "ann", Some(true)),
        Err(StoreError::UnknownCollection(_))
    ));
    assert!(matches!(
        store.set_member("notes", "bob", Some(false)),
        Err(StoreError::UnknownAccount(_))
    ));
    let all = store.collections().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].name.as_str(), all[0].private), ("demo", false));
    assert_eq!(all[1].members, [("ann".to_string(), true)]);
    store.set_collection("notes", false).unwrap();
    store.set_member("notes", "ann", None).unwrap();
    let all = store.collections().unwrap();
    assert!(!all[1].private && all[1].members.is_empty());
    // Deleting an account takes its sessions, tokens and memberships.
    store.set_member("notes", "ann", Some(false)).unwrap();
    store
        .add_token("t4", "ann", "api", made, "2026-04-01T00:00:00")
        .unwrap();
    store
        .add_session("s9", "ann", "c", made, "2026-01-02T10:00:00")
        .unwrap();
    assert!(store.delete_account("ann").unwrap());
    assert!(store.account("ann").unwrap().is_none());
    assert!(store.token("t4", day).unwrap().is_none());
    assert!(store.session("s9", made).unwrap().is_none());
    assert!(store.collections().unwrap()[1].members.is_empty());
    assert!(!store.delete_account("ann").unwrap());
}

/// An open network with a member (`version`), and in the collection
/// `notes`, made private, a body only its members may read.
fn open_and_private(store: &mut dyn Store) {
    store
        .apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    let mut b = doc("doc-p", "Notes");
    b.put(entity("org-p", "Organization", &[("name", "Private Body")]))
        .unwrap();
    let notes = Provenance {
        dataset: "notes".into(),
        ..prov("2026-01-02T00:00:00")
    };
    store.apply(&[b], &notes).unwrap();
    store.set_collection("notes", true).unwrap();
}

/// Two readers of one connection, side by side and one inside the other's
/// read, each read only under its own scope; a read that panics leaves
/// nobody reading under its scope.
fn readers_read_only_their_own_scope(store: &mut dyn Store) {
    open_and_private(store);
    let public = Scope::hiding(["notes".to_string()]);
    let nobody = store.reader(&public);
    let member = store.reader(&Scope::everything());
    assert!(nobody.entity("org-p").unwrap().is_none());
    assert!(member.entity("org-p").unwrap().is_some());
    assert!(
        nobody.entity("org-p").unwrap().is_none(),
        "the other reader's scope stayed behind"
    );
    // One reader walks every entity while the other reads in between.
    let mut seen = Vec::new();
    nobody
        .each_entity(&[], &mut |e| {
            assert!(member.entity("org-p").unwrap().is_some());
            seen.push(e.id);
            Ok(())
        })
        .unwrap();
    assert!(!seen.is_empty() && !seen.iter().any(|id| id == "org-p"));
    let mut seen = Vec::new();
    member
        .each_entity(&[], &mut |e| {
            assert!(nobody.entity("org-p").unwrap().is_none());
            seen.push(e.id);
            Ok(())
        })
        .unwrap();
    assert!(seen.iter().any(|id| id == "org-p"));
    // A read whose caller panics half way (a view's bug).
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        member.each_entity(&[], &mut |_| panic!("a view's bug"))
    }));
    assert!(caught.is_err());
    assert!(nobody.entity("org-p").unwrap().is_none());
    assert!(nobody
        .names()
        .unwrap()
        .iter()
        .all(|n| n.value != "Private Body"));
    // The store itself is the operator's: it reads everything.
    assert!(store.entity("org-p").unwrap().is_some());
}

/// A writer cannot archive into a collection hidden from them, nor merge
/// with an entity they cannot read: refused, and nothing changes.
fn writes_refuse_what_is_out_of_reach(store: &mut dyn Store) {
    open_and_private(store);
    let public = Scope::hiding(["notes".to_string()]);
    let before = store.version().unwrap();
    let archiving = Provenance {
        dataset: "archive".into(),
        ..prov("2026-01-03T00:00:00")
    };
    let err = store
        .archive(
            &public,
            &[copy("f", "doc-p")],
            &[doc("doc-p", "Replaced")],
            &archiving,
        )
        .unwrap_err();
    assert!(
        matches!(err, StoreError::OutOfReach(ref id) if id == "doc-p"),
        "{err}"
    );
    for pair in [("org-a", "org-p"), ("org-p", "org-a")] {
        let err = store
            .resolve(
                &public,
                &[(pair.0.to_string(), pair.1.to_string())],
                &prov("2026-01-03T00:00:00"),
            )
            .unwrap_err();
        assert!(
            matches!(err, StoreError::UnknownEntity(ref id) if id == "org-p"),
            "{err}"
        );
    }
    assert_eq!(store.version().unwrap(), before, "nothing was written");
    assert!(store.merges().unwrap().is_empty());
    assert!(store.copies(None).unwrap().is_empty());
    // Under a scope that reaches them, both go through.
    store
        .archive(&Scope::everything(), &[copy("f", "doc-p")], &[], &archiving)
        .unwrap();
    assert_eq!(store.copies(Some("doc-p")).unwrap()[0].dataset, "notes");
    let merged = store
        .resolve(
            &public,
            &[("org-n".to_string(), "org-a".to_string())],
            &prov("2026-01-04T00:00:00"),
        )
        .unwrap();
    assert_eq!(merged, 1, "entities in reach merge as before");
}

/// A store written before archived copies followed their source holds
/// what archiving said of a private page in the archive's dataset: read
/// as the page's collection, hidden with it (from entities, lists, names,
/// histories and the log), and shown again to whoever may read it.
fn what_old_archiving_said_of_a_private_page_stays_private(store: &mut dyn Store) {
    open_and_private(store);
    // As archiving recorded it before: in the dataset `archive`.
    let old = Provenance {
        dataset: dossier_store::ARCHIVE_DATASET.into(),
        ..prov("2026-01-03T00:00:00")
    };
    let mut said = doc("doc-p", "Minutes of the closed meeting");
    said.put(entity(
        "doc-p",
        "Document",
        &[("sourceUrl", "https://notes.example/minutes")],
    ))
    .unwrap();
    store.apply(&[said], &old).unwrap();
    // And a page nobody keeps privately, archived the same way: public.
    store
        .apply(&[doc("doc-open", "An open page")], &old)
        .unwrap();
    let public = Scope::hiding(["notes".to_string()]);
    let nobody = store.reader(&public);
    assert!(nobody.entity("doc-p").unwrap().is_none());
    assert!(nobody.history("doc-p").unwrap().is_empty());
    assert!(nobody.labels(&["doc-p".to_string()]).unwrap().is_empty());
    assert!(all(&nobody)
        .iter()
        .all(|st| !st.value.contains("closed meeting") && !st.value.contains("minutes")));
    assert!(nobody.entity("doc-open").unwrap().is_some());
    let member = store.reader(&Scope::everything());
    assert!(member
        .entity("doc-p")
        .unwrap()
        .unwrap()
        .values("title")
        .any(|t| t == "Minutes of the closed meeting"));
}

/// A label names an entity by the first name the reader sees: a name said
/// first in a hidden collection, and said again later in the open, is
/// the open saying's, not the hidden one's.
fn a_label_is_made_of_what_the_reader_sees(store: &mut dyn Store) {
    let said = |doc: &str, name: &str, dataset: &str, day: u32| {
        let mut b = doc_batch(doc);
        b.put(entity("org-q", "Organization", &[("name", name)]))
            .unwrap();
        b.dataset = Some(dataset.into());
        (b, prov(&format!("2026-01-{day:02}T00:00:00")))
    };
    for (b, at) in [
        said("doc-h", "Shared Name", "notes", 1),
        said("doc-o1", "Open Name", "open", 2),
        said("doc-o2", "Shared Name", "open", 3),
    ] {
        store.apply(&[b], &at).unwrap();
    }
    let ids = ["org-q".to_string()];
    for (scope, caption) in [
        (Scope::everything(), "Shared Name"),
        (Scope::hiding(["notes".to_string()]), "Open Name"),
    ] {
        let reader = store.reader(&scope);
        let label = reader.labels(&ids).unwrap();
        assert_eq!(label.len(), 1);
        assert_eq!(label[0].caption, caption);
        let whole = reader.entity("org-q").unwrap().unwrap();
        assert_eq!(
            label[0].caption,
            whole.caption(),
            "as the entity read whole"
        );
    }
}

fn doc_batch(id: &str) -> Batch {
    let mut b = Batch::new(id, "h1");
    b.put(entity(id, "Document", &[("title", "A page")]))
        .unwrap();
    b
}

on_both!(a_label_is_made_of_what_the_reader_sees);
on_both!(what_old_archiving_said_of_a_private_page_stays_private);
on_both!(readers_read_only_their_own_scope);
on_both!(writes_refuse_what_is_out_of_reach);
on_both!(a_private_source_stays_private_when_archived);
on_both!(writes_leave_hidden_collections_alone);
on_both!(hidden_datasets_are_left_out_of_every_read);
on_both!(accounts_sessions_tokens_and_collections);
