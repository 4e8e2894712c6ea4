//! What the profile tests share: importing a page, finding its entities,
//! and writing a parsed page out again as a website would serve it.

#![allow(dead_code)]

use dossier_ingest::document::{Item, ProfileDoc};
use dossier_ingest::{import_profile, ImportOptions, Imported, Matcher};
use dossier_model::names::name_key;
use dossier_model::Entity;

/// A page imported under a file name, into an empty store.
pub fn import(bytes: &[u8], file_name: &str) -> Imported {
    let opts = ImportOptions {
        file_name: file_name.into(),
        ..Default::default()
    };
    import_profile(bytes, &opts, &mut Matcher::new()).unwrap()
}

/// Every entity of one schema.
pub fn of<'a>(imp: &'a Imported, schema: &str) -> Vec<&'a Entity> {
    imp.batch
        .entities()
        .filter(|e| e.schema.name == schema)
        .collect()
}

/// The one entity with this name or alias (as names compare).
pub fn named<'a>(imp: &'a Imported, name: &str) -> &'a Entity {
    let key = name_key(name);
    let found: Vec<&Entity> = imp
        .batch
        .entities()
        .filter(|e| {
            e.values("name")
                .chain(e.values("alias"))
                .any(|n| name_key(n) == key)
        })
        .collect();
    assert_eq!(found.len(), 1, "exactly one entity named {name:?}");
    found[0]
}

/// The claims whose subject is `id`.
pub fn claims_about<'a>(imp: &'a Imported, id: &str) -> Vec<&'a Entity> {
    of(imp, "Claim")
        .into_iter()
        .filter(|c| c.values("subject").any(|s| s == id))
        .collect()
}

/// The name of a quotation's speaker.
pub fn speaker_of(imp: &Imported, q: &Entity) -> String {
    imp.batch
        .get(q.first("speaker").unwrap())
        .unwrap()
        .caption()
        .to_string()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn items_html(items: &[Item], out: &mut String) {
    out.push_str("<ul>\n");
    for i in items {
        out.push_str("<li>");
        out.push_str(&esc(&i.text));
        if !i.children.is_empty() {
            items_html(&i.children, out);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// The page as a website would serve it: head, navigation, a script, the
/// profile in `main` (fields in a table, topic `h2`, section `h3`, nested
/// lists), its closing "All Articles about" heading, and a footer.
pub fn as_html(doc: &ProfileDoc) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Profile</title>\n\
         <script>document.write('<h1>Not the name</h1>')</script><style>h1{color:red}</style></head>\n\
         <body><header><a href=\"/\">Home</a></header><nav><ul><li>Menu item</li></ul></nav>\n<main>\n",
    );
    out.push_str(&format!("<h1>{}</h1>\n<table>\n", esc(&doc.title)));
    for f in &doc.fields {
        out.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            esc(&f.label),
            esc(&f.value)
        ));
    }
    out.push_str("</table>\n");
    for s in &doc.sections {
        let h = if s.level <= 1 { "h2" } else { "h3" };
        out.push_str(&format!("<{h}>{}</{h}>\n", esc(&s.title)));
        items_html(&s.items, &mut out);
    }
    out.push_str(&format!(
        "<h2>All Articles about {}</h2>\n<ul><li>An article</li></ul>\n",
        esc(&doc.title)
    ));
    out.push_str(
        "</main>\n<footer><p>Contact: Foundation for Footers</p></footer>\n</body></html>\n",
    );
    out
}

/// Each entity's id and property values, in order: what the text and HTML
/// forms of one page must share, whatever the file's own facts.
pub fn same_but_the_document(a: &Imported, b: &Imported) {
    let strip = |i: &Imported| {
        i.batch
            .entities()
            .filter(|e| e.schema.name != "Document")
            .cloned()
            .collect::<Vec<_>>()
    };
    let (a, b) = (strip(a), strip(b));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        let vals = |e: &Entity| {
            e.properties
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.iter().map(|v| v.value.clone()).collect::<Vec<_>>(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!((x.id.as_str(), vals(x)), (y.id.as_str(), vals(y)));
    }
}
