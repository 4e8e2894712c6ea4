//! Search queries as typed (words, acronyms, typos, punctuation, any
//! script), against a small index: the input's first line is the text;
//! further lines, when given, are the kind, country and topic filters.
#![no_main]

use std::sync::OnceLock;

use dossier_model::{Batch, Provenance};
use dossier_search::{SearchIndex, SearchQuery};
use dossier_store::prelude::*;
use dossier_store::SqliteStore;
use libfuzzer_sys::fuzz_target;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut store = SqliteStore::in_memory().expect("store");
        let mut b = Batch::new("doc-fuzz", "h");
        let mut put = |id: &str, schema: &str, props: &[(&str, &str)]| {
            let mut e = dossier_model::Entity::new(id, schema).expect("schema");
            for (p, v) in props {
                e.add(p, *v).expect("property");
            }
            b.put(e).expect("entity");
        };
        put(
            "doc-fuzz",
            "Document",
            &[("fileName", "f.txt"), ("contentHash", "h")],
        );
        put(
            "org-a",
            "Organization",
            &[
                ("name", "Harbor Peace Coalition"),
                ("abbreviation", "HPC"),
                ("country", "fr"),
            ],
        );
        put(
            "org-b",
            "Organization",
            &[("name", "Olive Grove Trust"), ("topics", "role.ngo")],
        );
        put("per-a", "Person", &[("name", "Ana Müller-Łukasz")]);
        store
            .apply(
                &[b],
                &Provenance {
                    dataset: "fuzz".into(),
                    source: String::new(),
                    user: "fuzz".into(),
                    origin: None,
                    now: "2026-01-01T00:00:00".into(),
                },
            )
            .expect("apply");
        let index = SearchIndex::in_memory().expect("index");
        index.rebuild(&store).expect("rebuild");
        index
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let mut next = || lines.next().map(str::to_string).filter(|s| !s.is_empty());
    let q = SearchQuery {
        text: next().unwrap_or_default(),
        kind: next(),
        country: next(),
        topic: next(),
        year: None,
        letter: next().and_then(|l| l.chars().next()),
        limit: 20,
        offset: 0,
    };
    let _ = index().search(&q);
    // "Did you mean" walks the names' dictionary with any words.
    let _ = index().did_you_mean(&q.text);
});
