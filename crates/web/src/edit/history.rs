//! An entity's history (each change with who, when, which sources, why,
//! what was added and taken away), and reverting, deleting and redacting.

use std::collections::HashMap;

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use dossier_model::{Entity, Provenance};
use dossier_store::Read;
use maud::{html, Markup};

use super::*;
use crate::auth::Visitor;
use crate::{AppState, Failure, JsonBody, Want, WebError};
use serde::Serialize;

/// A change, as the history page and its JSON twin give it.
#[derive(Debug, Serialize)]
pub struct ChangeWire {
    pub at: String,
    pub users: Vec<String>,
    pub reasons: Vec<String>,
    pub sources: Vec<String>,
    pub added: Vec<(String, String)>,
    pub removed: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct HistoryWire {
    pub id: String,
    pub name: String,
    /// Soft-deleted: nothing current is said of it.
    pub deleted: bool,
    pub changes: Vec<ChangeWire>,
}
pub(crate) async fn history(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    history_of(state, visitor, id, Want::Html).await
}

pub(crate) async fn history_json(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    history_of(state, visitor, id, Want::Json).await
}

async fn history_of(state: AppState, visitor: Visitor, id: String, want: Want) -> Response {
    let r = state
        .with(move |store, _| {
            let changes = dossier_views::history(store, &id)?;
            // A deleted entity keeps its history; it is named by its id.
            let e = match store.entity(&id)? {
                Some(e) => Some(e),
                None if !changes.is_empty() => None,
                None => return Err(WebError::NotFound(format!("There is no entity {id}."))),
            };
            Ok((id, e, changes))
        })
        .await;
    match (r, want) {
        (Ok((id, e, changes)), Want::Json) => JsonBody(HistoryWire {
            name: e
                .as_ref()
                .map_or_else(|| id.clone(), |e| e.caption().to_string()),
            deleted: e.is_none(),
            id,
            changes: changes
                .into_iter()
                .map(|c| ChangeWire {
                    at: c.at,
                    users: c.users,
                    reasons: c.reasons,
                    sources: c.sources,
                    added: c.added,
                    removed: c.removed,
                })
                .collect(),
        })
        .into_response(),
        (Ok((id, e, changes)), Want::Html) => {
            history_page(&id, e.as_ref(), &changes, &visitor).into_response()
        }
        (Err(err), want) => Failure(err, want).into_response(),
    }
}

fn history_page(
    id: &str,
    e: Option<&Entity>,
    changes: &[dossier_views::Change],
    visitor: &Visitor,
) -> Markup {
    let csrf = visitor.session.as_ref().map(|s| s.csrf.as_str());
    let may_edit = visitor.access.can_judge() && csrf.is_some();
    let name = e.map_or(id, |e| e.caption());
    crate::views::layout(
        &format!("History of {name}"),
        "",
        html! {
            h1 { "History of " @if e.is_some() { a href={ "/entities/" (id) } { (name) } } @else { (id) " (deleted)" } }
            p { (changes.len()) " changes, newest first. Nothing is ever overwritten: a value taken away stays here with when and why." }
            @if may_edit && e.is_some() { p.actions { a href={ "/entities/" (id) "/edit" } { "Edit" } } }
            @for c in changes {
                article.change {
                    h2 { (c.at) " UTC" }
                    p.meta {
                        @if !c.users.is_empty() { "by " (c.users.join(", ")) " · " }
                        "sources: "
                        @for (i, s) in c.sources.iter().enumerate() { @if i > 0 { ", " } a href={ "/entities/" (s) } { (s) } }
                    }
                    @if !c.reasons.is_empty() { p.reason { "Why: " (c.reasons.join("; ")) } }
                    @if !c.added.is_empty() {
                        ul.added { @for (p, v) in &c.added { li { ins { "+ " (p) ": " (v) } } } }
                    }
                    @if !c.removed.is_empty() {
                        ul.removed { @for (p, v) in &c.removed { li { del { "− " (p) ": " (v) } } } }
                    }
                    @if let (true, Some(token)) = (may_edit, csrf) {
                        form.revert method="post" action={ "/entities/" (id) "/revert" } {
                            input type="hidden" name="csrf" value=(token);
                            input type="hidden" name="at" value=(c.at);
                            label { "Reason " input type="text" name="reason" required; }
                            " "
                            button type="submit" { "Revert this change" }
                        }
                    }
                }
            }
            @if let (true, Some(token), true) = (may_edit, csrf, e.is_some()) {
                form.delete method="post" action={ "/entities/" (id) "/delete" } {
                    input type="hidden" name="csrf" value=(token);
                    label { "Reason " input type="text" name="reason" required; }
                    " "
                    button type="submit" { "Delete (kept in this history; a revert brings it back)" }
                }
            }
            @if let (true, Some(token), Some("Person")) = (visitor.access.is_admin(), csrf, e.map(|e| e.schema.name)) {
                form.redact method="post" action={ "/entities/" (id) "/redact" } {
                    input type="hidden" name="csrf" value=(token);
                    label { "Reason " input type="text" name="reason" required; }
                    " "
                    button type="submit" { "Redact this person (every page, search result and export)" }
                }
            }
            p.actions { a href={ "/entities/" (id) "/history.json" } { "JSON" } }
        },
        None,
    )
}

pub(crate) async fn revert(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let user = match editor_only(&visitor) {
        Ok(u) => u,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    if let Err(e) = visitor.require_csrf(&form, "csrf") {
        return Failure(e, Want::Html).into_response();
    }
    let reason = form
        .get("reason")
        .map(|r| r.trim().to_string())
        .unwrap_or_default();
    let Some(at) = form.get("at").cloned() else {
        return Failure(
            WebError::BadRequest("Which change? (at)".into()),
            Want::Html,
        )
        .into_response();
    };
    if reason.is_empty() {
        return Failure(
            WebError::BadRequest("A revert needs a reason.".into()),
            Want::Html,
        )
        .into_response();
    }
    let target = id.clone();
    write_then(
        &state,
        move |store| {
            let changes = dossier_views::history(&store.read(), &id)?;
            let change = changes
                .iter()
                .find(|c| c.at == at)
                .ok_or_else(|| WebError::NotFound(format!("No change of {id} at {at}.")))?;
            let collections = store.accounts().collections()?;
            if let Some(d) = change
                .datasets
                .iter()
                .find(|d| !visitor.access.can_edit(d, &collections))
            {
                return Err(WebError::Forbidden(format!(
                    "You may not edit the collection {d}."
                )));
            }
            let mut ids = vec![id.clone()];
            ids.extend(store.read().merged_into(&id)?);
            let prov = Provenance {
                dataset: DEFAULT_DATASET.to_string(),
                source: String::new(),
                user,
                origin: Some(format!("revert of {at}: {reason}")),
                now: now(),
            };
            for i in &ids {
                store.revert(i, &at, &format!("reverted: {reason}"), &prov)?;
            }
            Ok(())
        },
        |()| format!("/entities/{target}/history"),
    )
    .await
}

/// `POST /entities/{id}/delete`: a soft delete, with a reason.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let user = match editor_only(&visitor) {
        Ok(u) => u,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    if let Err(e) = visitor.require_csrf(&form, "csrf") {
        return Failure(e, Want::Html).into_response();
    }
    let reason = form
        .get("reason")
        .map(|r| r.trim().to_string())
        .unwrap_or_default();
    if reason.is_empty() {
        return Failure(
            WebError::BadRequest("A delete needs a reason.".into()),
            Want::Html,
        )
        .into_response();
    }
    let target = id.clone();
    write_then(
        &state,
        move |store| {
            if store.read().entity(&id)?.is_none() {
                return Err(WebError::NotFound(format!("There is no entity {id}.")));
            }
            let collections = store.accounts().collections()?;
            let mut ids = vec![id.clone()];
            ids.extend(store.read().merged_into(&id)?);
            for i in &ids {
                if let Some(st) = store.read().history(i)?.iter().find(|st| {
                    st.is_current() && !visitor.access.can_edit(&st.dataset, &collections)
                }) {
                    return Err(WebError::Forbidden(format!(
                        "You may not edit the collection {}.",
                        st.dataset
                    )));
                }
            }
            let prov = Provenance {
                dataset: DEFAULT_DATASET.to_string(),
                source: String::new(),
                user,
                origin: Some(format!("delete: {reason}")),
                now: now(),
            };
            for i in &ids {
                store.delete(i, &format!("deleted: {reason}"), &prov)?;
            }
            Ok(())
        },
        |()| format!("/entities/{target}/history"),
    )
    .await
}

/// `POST /entities/{id}/redact`: an admin redacts a person, with a reason
/// (`undo=true` lifts it).
pub(crate) async fn redact(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let admin = match (visitor.access.is_admin(), visitor.name()) {
        (true, Some(n)) if visitor.session.is_some() => n.to_string(),
        _ => {
            return Failure(
                WebError::Forbidden("Only a signed-in admin redacts.".into()),
                Want::Html,
            )
            .into_response()
        }
    };
    if let Err(e) = visitor.require_csrf(&form, "csrf") {
        return Failure(e, Want::Html).into_response();
    }
    let undo = form.get("undo").is_some_and(|u| u == "true");
    let reason = form
        .get("reason")
        .map(|r| r.trim().to_string())
        .unwrap_or_default();
    if reason.is_empty() && !undo {
        return Failure(
            WebError::BadRequest("A redaction needs a reason.".into()),
            Want::Html,
        )
        .into_response();
    }
    let target = id.clone();
    let r = state
        .with_mut(move |store, _| {
            if undo {
                store.unredact(&id)?;
                return Ok(());
            }
            let person = store
                .read()
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("There is no entity {id}.")))?;
            if person.schema.name != "Person" {
                return Err(WebError::BadRequest(
                    "Only a person is redacted; a body's statements can be deleted.".into(),
                ));
            }
            let prov = Provenance {
                dataset: DEFAULT_DATASET.to_string(),
                source: String::new(),
                user: admin,
                origin: None,
                now: now(),
            };
            store.redact(&id, &reason, &prov)?;
            Ok(())
        })
        .await;
    match r {
        Ok(()) => {
            // (Names may be anywhere: the whole index is made again.)
            follow_up(&state).await;
            let next = if undo {
                format!("/entities/{target}")
            } else {
                "/".to_string()
            };
            Redirect::to(&next).into_response()
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}
