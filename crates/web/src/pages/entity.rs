//! Entity pages by kind: profiles, claims, source documents, any other FtM entity; archived copies.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use dossier_model::Entity;
use dossier_store::Read;
use dossier_views::{ArchiveView, ClaimView, Profile};
use maud::{html, Markup};

use super::profile::{profile_page, PROFILE_CONNECTIONS};
use crate::api;
use crate::views::{archive_section, claim, crumbs, layout, link, outside};
use crate::{twin, AppState, Failure, JsonBody, Want, WebError};

/// The history and JSON links of an entity's page, the edit link for
/// editors, and its downloads.
pub(crate) fn edit_links(id: &str) -> Markup {
    html! {
        nav.actions aria-label="About this record" {
            a href={ "/entities/" (id) "/history" } { "History" }
            @if crate::auth::Who::now().edits() { " · " a href={ "/entities/" (id) "/edit" } { "Edit" } }
            " · " a href={ "/entities/" (id) ".json" } { "JSON" }
        }
        (super::profile::downloads(id))
    }
}

pub(crate) fn claim_page(c: &ClaimView) -> Markup {
    let title = c
        .claim
        .first("text")
        .unwrap_or("Claim")
        .chars()
        .take(80)
        .collect::<String>();
    layout(
        &title,
        "",
        html! {
            (crumbs(&[("Claims", "/browse?kind=claim")], "Claim"))
            h1 { "Claim" }
            (claim(c, true))
            (edit_links(&c.claim.id))
            (super::profile::cite(&title, &c.claim.id, None))
        },
        None,
    )
}

pub(crate) fn source_page(
    doc: &Entity,
    claims: &[ClaimView],
    entities: &[Entity],
    archive: Option<&ArchiveView>,
) -> Markup {
    layout(
        doc.caption(),
        "",
        html! {
            (crumbs(&[("Sources", "/browse?kind=source")], doc.caption()))
            article.source {
                p.kind { "Source document" }
                h1 { (doc.caption()) }
                dl.fields {
                    @for (prop, label) in [("fileName", "File"), ("sourceUrl", "Address"), ("publisher", "Publisher"), ("author", "Author"), ("publishedAt", "Published"), ("retrievedAt", "Retrieved"), ("mimeType", "Type"), ("contentHash", "SHA-1")] {
                        @if let Some(v) = doc.first(prop) { dt { (label) } dd { @if prop == "sourceUrl" { (outside(v)) } @else { (v) } } }
                    }
                }
                (edit_links(&doc.id))
                @if let Some(a) = archive { (archive_section(a)) }
                section {
                    h2 { "Quotations and claims taken from it (" (claims.len()) ")" }
                    @for c in claims { (claim(c, true)) }
                }
                section {
                    h2 { "Who it speaks of" }
                    ul.compact { @for e in entities { li { (link(e)) } } }
                }
                (super::profile::cite(doc.caption(), &doc.id, None))
            }
        },
        None,
    )
}

/// A link to an entity named on a page.
pub(crate) fn named_link(n: &dossier_views::Named) -> Markup {
    html! { a href={ "/entities/" (n.id) } { (n.caption) } }
}

pub(crate) fn prop_rows(rows: &[dossier_views::PropRow]) -> Markup {
    html! {
        @for row in rows {
            dt title=(row.name) { (row.label) }
            dd {
                @for (i, v) in row.values.iter().enumerate() {
                    @if i > 0 { br; }
                    @match &v.names {
                        Some(n) => { (named_link(n)) " " small.kind { (n.kind) } }
                        None => { (v.value) }
                    }
                    @if !v.sources.is_empty() {
                        " " small.sources {
                            "(source: "
                            @for (j, s) in v.sources.iter().enumerate() {
                                @if j > 0 { ", " }
                                (named_link(s))
                            }
                            ")"
                        }
                    }
                }
            }
        }
    }
}

/// The page of an entity of FtM's model without a page of its own: its
/// properties by the schema that defines them, each value with its
/// sources, and the entities that point at it.
pub(crate) fn generic_page(v: &dossier_views::ThingView) -> Markup {
    layout(
        &v.entity.caption,
        "",
        html! {
            (crumbs(&[("Other entities", "/browse?kind=other")], &v.entity.caption))
            p.kind { (v.schema.label) }
            h1 { (v.entity.caption) }
            @if !v.featured.is_empty() {
                dl.fields { (prop_rows(&v.featured)) }
            }
            @for g in &v.groups {
                section {
                    h2 { (g.label) }
                    dl.fields { (prop_rows(&g.rows)) }
                }
            }
            @if !v.unknown.is_empty() {
                section {
                    h2 { "Not in FtM's model" }
                    p { "Kept as the source gave them." }
                    dl.fields { (prop_rows(&v.unknown)) }
                }
            }
            @for g in &v.incoming {
                section {
                    h2 title=(g.via) { (g.label) " (" (g.items.len()) ")" }
                    ul {
                        @for item in &g.items {
                            li {
                                (named_link(&item.entity)) " " small.kind { (item.entity.kind) }
                                @for (label, other) in &item.others {
                                    " · " (label) ": " (named_link(other))
                                }
                            }
                        }
                    }
                }
            }
            (edit_links(&v.entity.id))
            (super::profile::cite(&v.entity.caption, &v.entity.id, None))
        },
        None,
    )
}

/// What an entity page shows, by schema.
enum EntityPage {
    Profile(Box<Profile>, api::ConnectionsWire),
    Claim(Box<ClaimView>),
    Source(
        Entity,
        Vec<ClaimView>,
        Vec<Entity>,
        Option<Box<ArchiveView>>,
    ),
    Other(Box<dossier_views::ThingView>),
}

pub(crate) async fn entity(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(params): Query<std::collections::HashMap<String, String>>,
) -> Response {
    // A page of a large network's members: `?members=2` lists the second
    // MEMBER_LIMIT of them, A to Z.
    let members_page = match params.get("members").map(|p| p.parse::<usize>()) {
        None => 1,
        Some(Ok(n)) if (1..=100_000).contains(&n) => n,
        Some(_) => {
            return Failure(
                WebError::BadRequest("members must be a page number from 1".into()),
                Want::Html,
            )
            .into_response()
        }
    };
    let offset = (members_page - 1) * dossier_views::MEMBER_LIMIT;
    let (id, want) = twin(&raw);
    let id = id.to_string();
    if want == Want::Json {
        let kind =
            state
                .with_page({
                    let (id, st) = (id.clone(), state.clone());
                    move |store, _| {
                        let kept = st.kept(store);
                        Ok(dossier_views::cache::entity_with_kept(store, &id, &kept)?
                            .map(|e| e.schema))
                    }
                })
                .await;
        let r: Result<Response, WebError> = match kind {
            Ok(Some(s)) if s.is_a("LegalEntity") => api::profile_json(&state, id)
                .await
                .map(|v| JsonBody(v).into_response()),
            Ok(Some(s)) if s.name == "Claim" => api::claim_json(&state, id)
                .await
                .map(|v| JsonBody(v).into_response()),
            Ok(Some(s)) if s.is_a("Document") => api::source_json(&state, id)
                .await
                .map(|v| JsonBody(v).into_response()),
            Ok(Some(_)) => api::entity_json(&state, id)
                .await
                .map(|v| JsonBody(v).into_response()),
            Ok(None) => Err(WebError::NotFound(format!("no entity {id}"))),
            Err(e) => Err(e),
        };
        return r.unwrap_or_else(|e| Failure(e, Want::Json).into_response());
    }
    let st = state.clone();
    let r = state
        .with_page(move |store, _| {
            // What it is, from the entities kept between requests: the
            // profile reads it from there again.
            let kept = st.kept(store);
            let e = dossier_views::cache::entity_with_kept(store, &id, &kept)?
                .ok_or_else(|| WebError::NotFound(format!("There is no entity {id}.")))?;
            Ok(if e.schema.is_a("LegalEntity") {
                let conns = api::connections_wire(store, &st, &e, PROFILE_CONNECTIONS)?;
                EntityPage::Profile(
                    Box::new(
                        dossier_views::profile_with_kept(store, &e.id, offset, &kept)?
                            .ok_or_else(|| WebError::NotFound(id.clone()))?,
                    ),
                    conns,
                )
            } else if e.schema.name == "Claim" {
                EntityPage::Claim(Box::new(dossier_views::claim_view(store, e)?))
            } else if e.schema.is_a("Document") {
                let (claims, entities) = api::source_view(store, &e)?;
                let archive = dossier_views::archive_view(store, &e.id)?.map(Box::new);
                EntityPage::Source(e, claims, entities, archive)
            } else {
                EntityPage::Other(Box::new(dossier_views::thing_view(store, &e)?))
            })
        })
        .await;
    match r {
        Ok(EntityPage::Profile(p, c)) => profile_page(&p, &c).into_response(),
        Ok(EntityPage::Claim(c)) => claim_page(&c).into_response(),
        Ok(EntityPage::Source(d, c, e, a)) => source_page(&d, &c, &e, a.as_deref()).into_response(),
        Ok(EntityPage::Other(v)) => generic_page(&v).into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// The bytes of an archived copy, shown as text (never run as a page: an
/// archived page's scripts stay inert), or downloaded when not text.
pub(crate) async fn archived(State(state): State<AppState>, Path(sha): Path<String>) -> Response {
    if let Err(e) = copy_name(&sha) {
        return Failure(e, Want::Html).into_response();
    }
    let r = state
        .with({
            let sha = sha.clone();
            move |store, _| Ok(store.copy_content(&sha)?)
        })
        .await;
    match r {
        Ok(Some(bytes)) => {
            let text = std::str::from_utf8(&bytes).is_ok();
            let (ctype, ext) = if text {
                ("text/plain; charset=utf-8", "txt")
            } else {
                ("application/octet-stream", "bin")
            };
            (
                [
                    (axum::http::header::CONTENT_TYPE, ctype.to_string()),
                    (
                        axum::http::header::X_CONTENT_TYPE_OPTIONS,
                        "nosniff".to_string(),
                    ),
                    (
                        axum::http::header::CONTENT_SECURITY_POLICY,
                        "sandbox; default-src 'none'".to_string(),
                    ),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        format!(
                            "{}; filename=\"{sha}.{ext}\"",
                            if text { "inline" } else { "attachment" }
                        ),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => Failure(
            WebError::NotFound(format!("There is no archived copy {sha}.")),
            Want::Html,
        )
        .into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// An archived copy's name: its SHA-256, 64 lower-case hex digits.
pub(crate) fn copy_name(sha: &str) -> Result<(), WebError> {
    let valid = sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if valid {
        Ok(())
    } else {
        Err(WebError::BadRequest(
            "an archived copy is named by its SHA-256: 64 lower-case hex digits".into(),
        ))
    }
}

/// `/archive/{sha256}/text`: the text extracted from an archived copy,
/// the representation its quotations' selectors count in (code points):
/// what an exported annotation's target names, so that any Web Annotation
/// tool resolves the selectors to the quoted words.
pub(crate) async fn archived_text_page(
    State(state): State<AppState>,
    Path(sha): Path<String>,
) -> Response {
    if let Err(e) = copy_name(&sha) {
        return Failure(e, Want::Html).into_response();
    }
    let r = state
        .with({
            let sha = sha.clone();
            move |store, _| Ok(store.copy_text(&sha)?)
        })
        .await;
    match r {
        Ok(Some(text)) => (
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "text/plain; charset=utf-8",
                ),
                (axum::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (
                    axum::http::header::CONTENT_SECURITY_POLICY,
                    "sandbox; default-src 'none'",
                ),
            ],
            text,
        )
            .into_response(),
        Ok(None) => Failure(
            WebError::NotFound(format!("There is no archived copy {sha}.")),
            Want::Html,
        )
        .into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}
