//! Links, names and dates as pages show them.

use dossier_model::Entity;
use maud::{html, Markup};

pub(crate) fn link(e: &Entity) -> Markup {
    html! { a href={ "/entities/" (e.id) } { (e.caption()) } }
}

/// [`link`] from an entity's label.
pub(crate) fn label_link(l: &dossier_store::Label) -> Markup {
    html! { a href={ "/entities/" (l.id) } { (l.caption) } }
}

pub(crate) fn name_with_acronym(e: &Entity) -> String {
    match e.first("abbreviation") {
        Some(a) if a != e.caption() => format!("{} ({a})", e.caption()),
        _ => e.caption().to_string(),
    }
}

/// A web address that may be a link: http(s) only, never `javascript:`
/// or `data:`.
pub(crate) fn safe_url(u: &str) -> Option<&str> {
    let lower = u.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(u)
}

/// A link to an outside address, or the address as plain text when it is
/// not one Dossier will link to.
pub(crate) fn outside(u: &str) -> Markup {
    match safe_url(u) {
        Some(href) => html! { a href=(href) rel="nofollow noopener" { (u) } },
        None => html! { (u) },
    }
}

pub(crate) fn span(e: &Entity) -> String {
    match (e.first("date"), e.first("startDate"), e.first("endDate")) {
        (Some(d), _, _) => d.to_string(),
        (None, Some(s), Some(t)) => format!("{s}–{t}"),
        (None, Some(s), None) => format!("since {s}"),
        (None, None, Some(t)) => format!("until {t}"),
        _ => String::new(),
    }
}

/// What a schema is called on a page: "Organization", "Public body".
pub(crate) fn kind_label(schema: &str) -> &'static str {
    match schema {
        "Organization" => "Organization",
        "PublicBody" => "Public body",
        "Company" => "Company",
        "Person" => "Person",
        "Claim" => "Claim",
        s if s.contains("Document") || s == "Article" || s == "Page" => "Source",
        _ => "Entity",
    }
}

/// Where the entities of a schema's kind are browsed.
pub(crate) fn kind_path(schema: &str) -> String {
    let kind = dossier_model::Schema::get(schema)
        .and_then(dossier_search::kind_of)
        .unwrap_or("other");
    format!("/browse?kind={}", kind.replace(' ', "+"))
}

/// What the entities of a schema's kind are called together: "Organizations".
pub(crate) fn kind_plural(schema: &str) -> &'static str {
    match kind_label(schema) {
        "Organization" => "Organizations",
        "Public body" => "Public bodies",
        "Company" => "Companies",
        "Person" => "People",
        "Claim" => "Claims",
        "Source" => "Sources",
        _ => "Other entities",
    }
}
