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
    /// The entity changed, when it is not the one whose history this is:
    /// a relationship of it or a claim about it.
    pub about: Option<crate::api::EntityRef>,
    pub users: Vec<String>,
    pub reasons: Vec<String>,
    pub sources: Vec<crate::api::EntityRef>,
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

/// What a history page shows: the entity (none once deleted), its changes
/// and its relationships' and claims', and a name for every id they hold.
struct Told {
    id: String,
    entity: Option<Entity>,
    changes: Vec<dossier_views::Change>,
    /// Id → name and kind: sources, the entities changed, values that are
    /// entities.
    names: HashMap<String, crate::api::EntityRef>,
    /// The related entities changed, for what they are ("member of X").
    related: HashMap<String, Entity>,
}

impl Told {
    fn read(store: &dyn Read, id: &str) -> Result<Told, WebError> {
        let changes = dossier_views::history_with_related(store, id)?;
        // A deleted entity keeps its history; it is named by its id.
        let entity = match store.entity(id)? {
            Some(e) => Some(e),
            None if !changes.is_empty() => None,
            None => return Err(WebError::NotFound(format!("There is no entity {id}."))),
        };
        let mut about: Vec<String> = changes
            .iter()
            .map(|c| c.about.clone())
            .filter(|a| !a.is_empty())
            .collect();
        about.sort();
        about.dedup();
        let related: HashMap<String, Entity> = store
            .entities_of(&about)?
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        let mut ids: Vec<String> = Vec::new();
        for c in &changes {
            ids.extend(c.sources.iter().cloned());
            let schema = if c.about.is_empty() {
                entity.as_ref().map(|e| e.schema)
            } else {
                related.get(&c.about).map(|e| e.schema)
            };
            for (prop, value) in c.added.iter().chain(&c.removed) {
                let is_ref = schema
                    .and_then(|s| s.property(prop))
                    .is_some_and(|p| p.kind == dossier_model::PropType::Entity);
                if is_ref {
                    ids.push(value.clone());
                }
            }
        }
        ids.extend(about);
        ids.sort();
        ids.dedup();
        let names = store
            .labels(&ids)?
            .iter()
            .map(|l| (l.id.clone(), crate::api::label_ref(l)))
            .collect();
        Ok(Told {
            id: id.to_string(),
            entity,
            changes,
            names,
            related,
        })
    }

    fn name(&self, id: &str) -> String {
        self.names
            .get(id)
            .map_or_else(|| id.to_string(), |n| n.name.clone())
    }

    /// What a related entity is, from this entity's side: "Membership:
    /// Sikkuy", "Claim: It lobbies …".
    fn what(&self, about: &str) -> String {
        match self.related.get(about) {
            Some(e) if e.schema.name == "Claim" => format!(
                "Claim: {}",
                dossier_views::shortened(e.first("text").unwrap_or(""), 90)
            ),
            Some(e) => {
                let others: Vec<String> = e
                    .schema
                    .edge
                    .map(|(a, b)| [a, b])
                    .into_iter()
                    .flatten()
                    .flat_map(|p| e.values(p).map(str::to_string).collect::<Vec<_>>())
                    .filter(|v| *v != self.id)
                    .map(|v| self.name(&v))
                    .collect();
                format!(
                    "{}: {}",
                    crate::views::kind_label(e.schema.name).replace("Entity", e.schema.name),
                    others.join(", ")
                )
            }
            None => self.name(about),
        }
    }
}

async fn history_of(state: AppState, visitor: Visitor, id: String, want: Want) -> Response {
    let r = state.with(move |store, _| Told::read(store, &id)).await;
    match (r, want) {
        (Ok(t), Want::Json) => {
            let named = |id: &str| {
                t.names.get(id).cloned().unwrap_or(crate::api::EntityRef {
                    id: id.to_string(),
                    name: id.to_string(),
                    schema: "Thing".into(),
                })
            };
            JsonBody(HistoryWire {
                name: t
                    .entity
                    .as_ref()
                    .map_or_else(|| t.id.clone(), |e| e.caption().to_string()),
                deleted: t.entity.is_none(),
                id: t.id.clone(),
                changes: t
                    .changes
                    .iter()
                    .map(|c| ChangeWire {
                        at: c.at.clone(),
                        about: (!c.about.is_empty()).then(|| named(&c.about)),
                        users: c.users.clone(),
                        reasons: c.reasons.clone(),
                        sources: c.sources.iter().map(|s| named(s)).collect(),
                        added: c.added.clone(),
                        removed: c.removed.clone(),
                    })
                    .collect(),
            })
            .into_response()
        }
        (Ok(t), Want::Html) => history_page(&t, &visitor).into_response(),
        (Err(err), want) => Failure(err, want).into_response(),
    }
}

/// A value as the history shows it: an entity by its name (a link), else
/// the value.
fn shown(t: &Told, value: &str) -> Markup {
    match t.names.get(value) {
        Some(n) => html! { a href={ "/entities/" (n.id) } { (n.name) } },
        None => html! { (value) },
    }
}

/// A change's values by property: what was taken away beside what was
/// stated instead.
fn diff(t: &Told, c: &dossier_views::Change) -> Markup {
    let mut props: Vec<&str> = Vec::new();
    for (p, _) in c.removed.iter().chain(&c.added) {
        if !props.contains(&p.as_str()) {
            props.push(p);
        }
    }
    html! {
        table.diff {
            thead { tr { th scope="col" { "Property" } th scope="col" { "Taken away" } th scope="col" { "Stated" } } }
            tbody {
                @for p in &props {
                    tr {
                        th scope="row" { (p) }
                        td { @for (i, (_, v)) in c.removed.iter().filter(|(q, _)| q == p).enumerate() { @if i > 0 { br; } del { (shown(t, v)) } } }
                        td { @for (i, (_, v)) in c.added.iter().filter(|(q, _)| q == p).enumerate() { @if i > 0 { br; } ins { (shown(t, v)) } } }
                    }
                }
            }
        }
    }
}

fn history_page(t: &Told, visitor: &Visitor) -> Markup {
    let csrf = visitor.session.as_ref().map(|s| s.csrf.as_str());
    let may_edit = visitor.access.can_judge() && csrf.is_some();
    let id = t.id.as_str();
    let e = t.entity.as_ref();
    let name = e.map_or(id, |e| e.caption());
    let own = t.changes.iter().filter(|c| c.about.is_empty()).count();
    crate::views::layout(
        &format!("History of {name}"),
        "",
        html! {
            (crate::views::crumbs(&[(name, &format!("/entities/{id}"))], "History"))
            h1 { "History of " @if e.is_some() { a href={ "/entities/" (id) } { (name) } } @else { (id) " (deleted)" } }
            p { (own) " changes to its record and " (t.changes.len() - own) " to its relationships and the claims about it, newest first. Nothing is ever overwritten: a value taken away stays here with when and why." }
            @if may_edit && e.is_some() { p.actions { a href={ "/entities/" (id) "/edit" } { "Edit" } } }
            @for c in &t.changes {
                article.change {
                    h2 {
                        time datetime=(c.at) { (c.at.replace('T', " ")) " UTC" }
                        @if !c.about.is_empty() { " · " a href={ "/entities/" (c.about) } { (t.what(&c.about)) } }
                    }
                    p.meta {
                        @if !c.users.is_empty() { "by " strong { (c.users.join(", ")) } " · " }
                        @if c.sources.len() == 1 { "source: " } @else { "sources: " }
                        @for (i, s) in c.sources.iter().enumerate() { @if i > 0 { "; " } (shown(t, s)) }
                    }
                    @if !c.reasons.is_empty() { p.reason { "Why: " (c.reasons.join("; ")) } }
                    (diff(t, c))
                    @if let (true, Some(token)) = (may_edit, csrf) {
                        @let target = if c.about.is_empty() { id } else { c.about.as_str() };
                        form.revert method="post" action={ "/entities/" (target) "/revert" } {
                            input type="hidden" name="csrf" value=(token);
                            input type="hidden" name="at" value=(c.at);
                            @let field = format!("reason-{}-{}", c.at, c.about);
                            label for=(field) { "Why undo it" } " "
                            input id=(field) type="text" name="reason" required;
                            " "
                            button.secondary type="submit" { "Undo this change" }
                        }
                    }
                }
            }
            @if let (true, Some(token), true) = (may_edit, csrf, e.is_some()) {
                section.danger {
                    h2 { "Delete this record" }
                    p { "Nothing current is said of it once deleted; its history stays, and undoing the deletion here brings it back." }
                    form.delete method="post" action={ "/entities/" (id) "/delete" } {
                        input type="hidden" name="csrf" value=(token);
                        label for="delete-reason" { "Why delete it" } " "
                        input #delete-reason type="text" name="reason" required;
                        " "
                        button.danger type="submit" { "Delete " (name) }
                    }
                }
            }
            @if let (true, Some(token), Some("Person")) = (visitor.access.is_admin(), csrf, e.map(|e| e.schema.name)) {
                section.danger {
                    h2 { "Redact this person" }
                    p { "Left out of every page, search result and export; their names blanked wherever they appear." }
                    form.redact method="post" action={ "/entities/" (id) "/redact" } {
                        input type="hidden" name="csrf" value=(token);
                        label for="redact-reason" { "Why redact" } " "
                        input #redact-reason type="text" name="reason" required;
                        " "
                        button.danger type="submit" { "Redact " (name) }
                    }
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
            dossier_auth::audit(
                store.accounts_mut(),
                &prov.user,
                "undo",
                &id,
                &format!("the change of {at}: {reason}"),
            )
            .map_err(|e| WebError::Internal(e.to_string()))?;
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
            dossier_auth::audit(store.accounts_mut(), &prov.user, "deleted", &id, &reason)
                .map_err(|e| WebError::Internal(e.to_string()))?;
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
                dossier_auth::audit(store.accounts_mut(), &admin, "redaction lifted", &id, "")
                    .map_err(|e| WebError::Internal(e.to_string()))?;
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
            dossier_auth::audit(store.accounts_mut(), &prov.user, "redacted", &id, &reason)
                .map_err(|e| WebError::Internal(e.to_string()))?;
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
