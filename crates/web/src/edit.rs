//! Editing in the browser: an entity's history (each change with who,
//! when, which sources, why, what was added and taken away), edit and
//! create forms for organizations and people, and reverting a change.
//! Every edit names a source (one the entity already cites, or a new
//! address) and a reason; only editors and admins edit, in the collections
//! they may edit, with their session's CSRF token.

use std::collections::HashMap;

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use dossier_model::ids::stable_id;
use dossier_model::names::name_key;
use dossier_model::{Batch, Entity, Provenance, Schema, Value};
use dossier_store::{Edit, Read, Writer};
use maud::{html, Markup};
use serde::Serialize;

use crate::auth::Visitor;
use crate::{AppState, Failure, JsonBody, Want, WebError};

/// The properties the forms edit, those the schema has, in this order:
/// for people and bodies, relationships, claims, quotations and sources.
const EDITABLE: &[(&str, &str)] = &[
    ("title", "Title"),
    ("name", "Name"),
    ("alias", "Also known as"),
    ("abbreviation", "Abbreviation"),
    ("country", "Country codes (ISO, e.g. il)"),
    ("website", "Website"),
    ("email", "Email"),
    ("address", "Address"),
    ("incorporationDate", "Founded (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("position", "Position"),
    ("nationality", "Nationality (ISO code)"),
    ("summary", "Summary"),
    ("kind", "Kind (fact, assessment, quote)"),
    ("text", "Text"),
    ("topic", "Topic"),
    ("eventDate", "When it happened"),
    ("role", "Role"),
    ("startDate", "From"),
    ("endDate", "Until"),
    ("date", "Date"),
    ("amount", "Amount"),
    ("currency", "Currency"),
    ("purpose", "Purpose"),
    ("sourceUrl", "Address"),
    ("publisher", "Publisher"),
];

/// Kinds of entity the edit form takes: not Dossier's bookkeeping
/// (judgements, anchors: they have their own tools).
fn editable(schema: &Schema) -> bool {
    !matches!(schema.name, "Judgement" | "Anchor")
}

/// Where edits go when no collection is chosen.
pub const DEFAULT_DATASET: &str = "edits";

/// Now, to the microsecond: each edit is its own moment in the history,
/// so two edits in one second can be reverted one at a time.
pub(crate) fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string()
}

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

pub(crate) fn editor_only(visitor: &Visitor) -> Result<String, WebError> {
    match (visitor.access.can_judge(), visitor.name()) {
        (true, Some(n)) if visitor.session.is_some() => Ok(n.to_string()),
        _ => Err(WebError::Forbidden(
            "Only a signed-in editor or admin edits.".into(),
        )),
    }
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

/// The values of each editable property, one per line.
fn field_values(e: Option<&Entity>, prop: &str) -> String {
    e.map(|e| e.values(prop).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default()
}

struct FormPage<'a> {
    title: String,
    action: String,
    schema: &'static Schema,
    entity: Option<&'a Entity>,
    sources: Vec<Entity>,
    collections: Vec<String>,
    csrf: String,
    error: Option<String>,
}

fn form_page(f: &FormPage<'_>) -> Markup {
    crate::views::layout(
        &f.title,
        "",
        html! {
            h1 { (f.title) }
            @if let Some(e) = &f.error { p.error { (e) } }
            form.edit method="post" action=(f.action) {
                input type="hidden" name="csrf" value=(f.csrf);
                input type="hidden" name="schema" value=(f.schema.name);
                @for (prop, label) in EDITABLE {
                    @if f.schema.property(prop).is_some() {
                        p {
                            label for=(prop) { (label) }
                            br;
                            textarea id=(prop) name=(prop) rows="2" cols="60" { (field_values(f.entity, prop)) }
                        }
                    }
                }
                p.hint { "One value per line. A value taken away is kept in the history." }
                fieldset {
                    legend { "Source (every edit names one)" }
                    @if !f.sources.is_empty() {
                        p { label for="source" { "A source it already cites" } br;
                            select #source name="source" {
                                option value="" { "— or give a new address below —" }
                                @for s in &f.sources { option value=(s.id) { (s.caption()) } }
                            }
                        }
                    }
                    p { label for="source_url" { "A new source's address (http or https)" } br; input #source_url type="url" name="source_url" size="60"; }
                    p { label for="source_title" { "Its title" } br; input #source_title type="text" name="source_title" size="60"; }
                    p { label { input type="checkbox" name="archive" value="on"; " Archive a copy of the page now" } }
                }
                p { label for="collection" { "Collection" } br;
                    select #collection name="collection" {
                        @for c in &f.collections { option value=(c) { (c) } }
                    }
                }
                p { label for="reason" { "Reason (required)" } br; input #reason type="text" name="reason" size="60" required; }
                p { button type="submit" { "Save" } }
            }
        },
        None,
    )
}

/// The collections a visitor may record edits in.
async fn editable_collections(
    state: &AppState,
    visitor: &Visitor,
) -> Result<Vec<String>, WebError> {
    let all = state
        .with_accounts(|store| Ok(store.collections()?))
        .await?;
    let mut out = vec![DEFAULT_DATASET.to_string()];
    out.extend(
        all.iter()
            .filter(|c| c.name != DEFAULT_DATASET && visitor.access.can_edit(&c.name, &all))
            .map(|c| c.name.clone()),
    );
    out.retain(|c| visitor.access.can_edit(c, &all));
    Ok(out)
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = editor_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    let csrf = visitor.form_token();
    let collections = editable_collections(&state, &visitor).await;
    let r = state
        .with(move |store, _| {
            let e = store
                .entity(&id)?
                .filter(|e| editable(e.schema))
                .ok_or_else(|| WebError::NotFound(format!("There is nothing to edit at {id}.")))?;
            let sources = dossier_views::sources_of(store, &id)?;
            Ok((e, sources, collections?))
        })
        .await;
    match r {
        Ok((e, sources, collections)) => form_page(&FormPage {
            title: format!("Edit {}", e.caption()),
            action: format!("/entities/{}/edit", e.id),
            schema: e.schema,
            entity: Some(&e),
            sources,
            collections,
            csrf,
            error: None,
        })
        .into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn new_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(kind): Path<String>,
) -> Response {
    if let Err(e) = editor_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    let Some(schema) = schema_of_kind(&kind) else {
        return Failure(
            WebError::NotFound(format!("Nothing of kind {kind} is made here.")),
            Want::Html,
        )
        .into_response();
    };
    let csrf = visitor.form_token();
    match editable_collections(&state, &visitor).await {
        Ok(collections) => form_page(&FormPage {
            title: format!("New {}", kind.replace('-', " ")),
            action: format!("/new/{kind}"),
            schema,
            entity: None,
            sources: Vec::new(),
            collections,
            csrf,
            error: None,
        })
        .into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

fn schema_of_kind(kind: &str) -> Option<&'static Schema> {
    match kind {
        "organization" => Schema::get("Organization"),
        "public-body" => Schema::get("PublicBody"),
        "person" => Schema::get("Person"),
        _ => None,
    }
}

/// What a submitted form asks for, checked.
struct Submitted {
    reason: String,
    dataset: String,
    /// An existing source, or a new document for a new address.
    source: Result<String, Entity>,
    /// Property → the values the form gives.
    values: Vec<(&'static str, Vec<String>)>,
}

fn read_form(
    form: &HashMap<String, String>,
    schema: &'static Schema,
    visitor: &Visitor,
) -> Result<Submitted, WebError> {
    visitor.require_csrf(form, "csrf")?;
    let reason = form
        .get("reason")
        .map(|r| r.trim().to_string())
        .unwrap_or_default();
    if reason.is_empty() {
        return Err(WebError::BadRequest("Every edit needs a reason.".into()));
    }
    let dataset = form
        .get("collection")
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| DEFAULT_DATASET.to_string());
    let chosen = form
        .get("source")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty());
    let url = form
        .get("source_url")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty());
    let source = match (chosen, url) {
        (Some(id), _) => Ok(id.to_string()),
        (None, Some(url)) => {
            let lower = url.to_ascii_lowercase();
            if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                return Err(WebError::BadRequest(format!(
                    "source address {url:?} is not an http(s) address"
                )));
            }
            let mut doc = Entity::new(stable_id("doc", &[url]), "Document")
                .map_err(|e| WebError::BadRequest(e.to_string()))?;
            doc.add("sourceUrl", Value::from(url))
                .map_err(|e| WebError::BadRequest(e.to_string()))?;
            let title = form
                .get("source_title")
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .unwrap_or(url);
            doc.add("title", Value::from(title))
                .map_err(|e| WebError::BadRequest(e.to_string()))?;
            Err(doc)
        }
        (None, None) => {
            return Err(WebError::BadRequest(
                "Every edit needs a source: pick one, or give a new address.".into(),
            ))
        }
    };
    // Only the fields the form sends are edited; others stay as they are.
    let values = EDITABLE
        .iter()
        .filter(|(p, _)| schema.property(p).is_some() && form.contains_key(*p))
        .map(|(p, _)| {
            let mut vals: Vec<String> = Vec::new();
            for line in form.get(*p).map(String::as_str).unwrap_or("").lines() {
                let v = line.trim();
                if !v.is_empty() && !vals.iter().any(|x| x == v) {
                    vals.push(v.to_string());
                }
            }
            (*p, vals)
        })
        .collect();
    Ok(Submitted {
        reason,
        dataset,
        source,
        values,
    })
}

/// Records what a form asks for against what the entity has now.
fn record(
    store: &mut Writer<'_>,
    visitor: &Visitor,
    user: &str,
    id: &str,
    schema: &'static Schema,
    current: Option<&Entity>,
    sub: Submitted,
) -> Result<(), WebError> {
    let collections = store.accounts().collections()?;
    if !visitor.access.can_edit(&sub.dataset, &collections) {
        return Err(WebError::Forbidden(format!(
            "You may not edit the collection {}.",
            sub.dataset
        )));
    }
    let source_id = match &sub.source {
        Ok(id) => {
            let doc = store
                .read()
                .entity(id)?
                .filter(|d| d.schema.is_a("Document"))
                .ok_or_else(|| WebError::BadRequest(format!("There is no source {id}.")))?;
            doc.id
        }
        Err(doc) => doc.id.clone(),
    };
    let mut entity =
        Entity::new(id, schema.name).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let mut remove = Vec::new();
    // The ids statements about it are made under (merged records too).
    let mut ids = vec![id.to_string()];
    ids.extend(store.read().merged_into(id)?);
    for (prop, wanted) in &sub.values {
        let have: Vec<&str> = current
            .map(|e| e.values(prop).collect())
            .unwrap_or_default();
        for v in wanted {
            if !have.contains(&v.as_str()) {
                entity
                    .add(prop, Value::from(v.as_str()))
                    .map_err(|e| WebError::BadRequest(format!("{prop}: {e}")))?;
            }
        }
        for v in have {
            if !wanted.iter().any(|w| w == v) {
                for i in &ids {
                    remove.push((i.clone(), prop.to_string(), v.to_string()));
                }
            }
        }
    }
    if entity.value_count() == 0 && remove.is_empty() && current.is_some() {
        return Err(WebError::BadRequest("Nothing changed.".into()));
    }
    if current.is_none() && entity.first("name").is_none() {
        return Err(WebError::BadRequest("A new entry needs a name.".into()));
    }
    let mut batch = Batch::new(source_id, String::new());
    if let Err(doc) = sub.source {
        batch
            .put(doc)
            .map_err(|e| WebError::BadRequest(e.to_string()))?;
    }
    batch
        .put(entity)
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let prov = Provenance {
        dataset: sub.dataset,
        source: String::new(),
        user: user.to_string(),
        origin: Some(format!("edit: {}", sub.reason)),
        now: now(),
    };
    store.edit(
        &Edit {
            batch,
            remove,
            reason: sub.reason,
        },
        &prov,
    )?;
    Ok(())
}

/// After a write: the search index (public data) and the graph follow
/// the store (only what changed is indexed again).
pub(crate) async fn follow_up(state: &AppState) {
    let s = state.clone();
    let _ = tokio::task::spawn_blocking(move || {
        if let Err(e) = s.refresh_index() {
            eprintln!("search index: {e}");
        }
        if let Err(e) = s.refresh_graph() {
            eprintln!("network graph: {e}");
        }
    })
    .await;
}

/// Runs a write on the store, then lets the index and graph follow and
/// sends the browser to the page `to` names; a failure as an error page.
async fn write_then<T: Send + 'static>(
    state: &AppState,
    write: impl FnOnce(&mut Writer<'_>) -> Result<T, WebError> + Send + 'static,
    to: impl FnOnce(T) -> String,
) -> Response {
    match state.with_mut(move |store, _| write(store)).await {
        Ok(done) => {
            follow_up(state).await;
            Redirect::to(&to(done)).into_response()
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn save_edit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let user = match editor_only(&visitor) {
        Ok(u) => u,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    // A new source's address, fetched for the archive before the store is
    // locked (a slow site holds up nobody).
    let archived = match archive_first(&state, &visitor, &form, &user).await {
        Ok(a) => a,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    let archiver = user.clone();
    let target = id.clone();
    write_then(
        &state,
        move |store| {
            let current = store
                .read()
                .entity(&id)?
                .filter(|e| editable(e.schema))
                .ok_or_else(|| WebError::NotFound(format!("There is nothing to edit at {id}.")))?;
            let sub = read_form(&form, current.schema, &visitor)?;
            record(
                store,
                &visitor,
                &user,
                &id,
                current.schema,
                Some(&current),
                sub,
            )?;
            archive_into(store, archived, &archiver)?;
            Ok(())
        },
        |()| format!("/entities/{target}"),
    )
    .await
}

pub(crate) async fn save_new(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(kind): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let user = match editor_only(&visitor) {
        Ok(u) => u,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    // A new source's address, fetched for the archive before the store is
    // locked (a slow site holds up nobody).
    let archived = match archive_first(&state, &visitor, &form, &user).await {
        Ok(a) => a,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    let archiver = user.clone();
    let Some(schema) = schema_of_kind(&kind) else {
        return Failure(
            WebError::NotFound(format!("Nothing of kind {kind} is made here.")),
            Want::Html,
        )
        .into_response();
    };
    write_then(
        &state,
        move |store| {
            let sub = read_form(&form, schema, &visitor)?;
            let name = sub
                .values
                .iter()
                .find(|(p, _)| *p == "name")
                .and_then(|(_, v)| v.first().cloned())
                .ok_or_else(|| WebError::BadRequest("A new entry needs a name.".into()))?;
            let prefix = if schema.name == "Person" {
                "per"
            } else {
                "org"
            };
            let id = stable_id(prefix, &[&name_key(&name)]);
            if store.read().entity(&id)?.is_some() {
                return Err(WebError::Conflict(format!(
                    "{name} is known already: /entities/{id}"
                )));
            }
            record(store, &visitor, &user, &id, schema, None, sub)?;
            archive_into(store, archived, &archiver)?;
            Ok(id)
        },
        |id| format!("/entities/{id}"),
    )
    .await
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

/// The relationships the form makes: kind, schema, and what each end is called.
const RELATIONSHIPS: &[(&str, &str, &str, &str)] = &[
    (
        "membership",
        "Membership",
        "is a member of",
        "has as a member",
    ),
    ("funding", "Payment", "funds", "is funded by"),
    ("employment", "Employment", "works for", "employs"),
    (
        "board",
        "Directorship",
        "sits on the board of",
        "has on its board",
    ),
    (
        "partnership",
        "UnknownLink",
        "is a partner of",
        "is a partner of",
    ),
];

fn relationship(kind: &str) -> Option<(&'static str, &'static str, &'static str, &'static str)> {
    RELATIONSHIPS.iter().copied().find(|r| r.0 == kind)
}

/// `GET /entities/{id}/relationships/new`: the form.
pub(crate) async fn relationship_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = editor_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    let csrf = visitor.form_token();
    let collections = editable_collections(&state, &visitor).await;
    let r = state
        .with(move |store, _| {
            let e = store
                .entity(&id)?
                .filter(|e| e.schema.is_a("LegalEntity"))
                .ok_or_else(|| {
                    WebError::NotFound(format!("There is no organization or person {id}."))
                })?;
            let sources = dossier_views::sources_of(store, &id)?;
            Ok((e, sources, collections?))
        })
        .await;
    let (e, sources, collections) = match r {
        Ok(x) => x,
        Err(err) => return Failure(err, Want::Html).into_response(),
    };
    crate::views::layout(
        &format!("New relationship of {}", e.caption()),
        "",
        html! {
            h1 { "New relationship of " a href={ "/entities/" (e.id) } { (e.caption()) } }
            form.edit method="post" action={ "/entities/" (e.id) "/relationships" } {
                input type="hidden" name="csrf" value=(csrf);
                p { label for="relation" { (e.caption()) } br;
                    select #relation name="relation" {
                        @for (kind, _, from, to) in RELATIONSHIPS {
                            option value={ (kind) ":from" } { (from) " …" }
                            @if from != to { option value={ (kind) ":to" } { (to) " …" } }
                        }
                    }
                }
                p { label for="other" { "… whom (a name or an id)" } br; input #other type="text" name="other" size="60" required; }
                p { label for="role" { "Role" } br; input #role type="text" name="role" size="40"; }
                p { label for="startDate" { "From (YYYY, YYYY-MM or YYYY-MM-DD)" } br; input #startDate type="text" name="startDate"; }
                p { label for="endDate" { "Until" } br; input #endDate type="text" name="endDate"; }
                p { label for="amount" { "Amount (funding)" } br; input #amount type="text" name="amount"; " " input type="text" name="currency" placeholder="currency, e.g. EUR" size="8"; }
                p { label for="date" { "Date (funding)" } br; input #date type="text" name="date"; }
                fieldset {
                    legend { "Source (every relationship names one)" }
                    @if !sources.is_empty() {
                        p { select name="source" {
                            option value="" { "— or give a new address below —" }
                            @for s in &sources { option value=(s.id) { (s.caption()) } }
                        } }
                    }
                    p { label for="source_url" { "A new source's address" } br; input #source_url type="url" name="source_url" size="60"; }
                    p { label for="source_title" { "Its title" } br; input #source_title type="text" name="source_title" size="60"; }
                    p { label { input type="checkbox" name="archive" value="on"; " Archive a copy of the page now" } }
                }
                p { label for="collection" { "Collection" } br;
                    select #collection name="collection" { @for c in &collections { option value=(c) { (c) } } }
                }
                p { label for="reason" { "Reason (required)" } br; input #reason type="text" name="reason" size="60" required; }
                p { button type="submit" { "Save" } }
            }
        },
        None,
    )
    .into_response()
}

/// `POST /entities/{id}/relationships`: records a relationship.
pub(crate) async fn save_relationship(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let user = match editor_only(&visitor) {
        Ok(u) => u,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    // A new source's address, fetched for the archive before the store is
    // locked (a slow site holds up nobody).
    let archived = match archive_first(&state, &visitor, &form, &user).await {
        Ok(a) => a,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    let archiver = user.clone();
    let target = id.clone();
    write_then(
        &state,
        move |store| {
            let this = store
                .read()
                .entity(&id)?
                .filter(|e| e.schema.is_a("LegalEntity"))
                .ok_or_else(|| {
                    WebError::NotFound(format!("There is no organization or person {id}."))
                })?;
            let relation = form.get("relation").map(String::as_str).unwrap_or("");
            let (kind, forward) = match relation.split_once(':') {
                Some((k, "from")) => (k, true),
                Some((k, "to")) => (k, false),
                _ => {
                    return Err(WebError::BadRequest(format!(
                        "relation {relation:?} is not one the form offers"
                    )))
                }
            };
            let (_, schema_name, _, _) = relationship(kind).ok_or_else(|| {
                WebError::BadRequest(format!("relationship {kind:?} is not one the form offers"))
            })?;
            let schema = Schema::get(schema_name)
                .ok_or_else(|| WebError::Internal(format!("no schema {schema_name}")))?;
            let other_name = form.get("other").map(|o| o.trim()).unwrap_or("");
            if other_name.is_empty() {
                return Err(WebError::BadRequest(
                    "Whom? The other end is missing.".into(),
                ));
            }
            let found = dossier_views::find(&store.read(), other_name)?;
            let other = match found.as_slice() {
                [one] => one.clone(),
                [] => {
                    return Err(WebError::BadRequest(format!(
                        "Nothing is named {other_name:?}: add it first."
                    )))
                }
                many => {
                    return Err(WebError::BadRequest(format!(
                        "{other_name:?} names {} entries; give an id.",
                        many.len()
                    )))
                }
            };
            let Some((first_prop, second_prop)) = schema.edge else {
                return Err(WebError::Internal(format!("{schema_name} has no ends")));
            };
            let (first, second) = if forward {
                (&this, &other)
            } else {
                (&other, &this)
            };
            // Each end must be what the schema takes there.
            for (end, prop) in [(first, first_prop), (second, second_prop)] {
                let range = schema
                    .property(prop)
                    .and_then(|p| p.range)
                    .unwrap_or("Thing");
                if !end.schema.is_a(range) {
                    return Err(WebError::BadRequest(format!(
                        "{} is a {}, and the {prop} of a {} must be a {range}",
                        end.caption(),
                        end.schema.name,
                        kind
                    )));
                }
            }
            let mut sub = read_form(&form, schema, &visitor)?;
            sub.values.clear();
            let get = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
            let mut parts = vec![first.id.as_str(), second.id.as_str()];
            if schema_name == "Payment" {
                parts.extend(get("date").into_iter().chain(get("amount")));
            }
            let rel_id = stable_id(dossier_model::ids::prefix_for(schema_name), &parts);
            let mut rel = Entity::new(rel_id.clone(), schema_name)
                .map_err(|e| WebError::Internal(e.to_string()))?;
            let bad =
                |p: &str, e: dossier_model::ModelError| WebError::BadRequest(format!("{p}: {e}"));
            rel.add(first_prop, Value::from(first.id.as_str()))
                .map_err(|e| bad(first_prop, e))?;
            rel.add(second_prop, Value::from(second.id.as_str()))
                .map_err(|e| bad(second_prop, e))?;
            for p in ["role", "startDate", "endDate", "amount", "currency", "date"] {
                if let (Some(v), Some(_)) = (get(p), schema.property(p)) {
                    rel.add(p, Value::from(v)).map_err(|e| bad(p, e))?;
                }
            }
            record_relationship(store, &visitor, &user, rel, sub)?;
            archive_into(store, archived, &archiver)?;
            Ok(())
        },
        |()| format!("/entities/{target}"),
    )
    .await
}

/// Records a new relationship from the form's source, with its reason.
fn record_relationship(
    store: &mut Writer<'_>,
    visitor: &Visitor,
    user: &str,
    mut rel: Entity,
    sub: Submitted,
) -> Result<(), WebError> {
    let collections = store.accounts().collections()?;
    if !visitor.access.can_edit(&sub.dataset, &collections) {
        return Err(WebError::Forbidden(format!(
            "You may not edit the collection {}.",
            sub.dataset
        )));
    }
    let source_id = match &sub.source {
        Ok(id) => {
            store
                .read()
                .entity(id)?
                .filter(|d| d.schema.is_a("Document"))
                .ok_or_else(|| WebError::BadRequest(format!("There is no source {id}.")))?
                .id
        }
        Err(doc) => doc.id.clone(),
    };
    if rel.schema.property("proof").is_some() {
        rel.add("proof", Value::from(source_id.as_str()))
            .map_err(|e| WebError::Internal(e.to_string()))?;
    }
    let mut batch = Batch::new(source_id, String::new());
    if let Err(doc) = sub.source {
        batch
            .put(doc)
            .map_err(|e| WebError::BadRequest(e.to_string()))?;
    }
    batch
        .put(rel)
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let prov = Provenance {
        dataset: sub.dataset,
        source: String::new(),
        user: user.to_string(),
        origin: Some(format!("edit: {}", sub.reason)),
        now: now(),
    };
    store.edit(
        &Edit {
            batch,
            remove: Vec::new(),
            reason: sub.reason,
        },
        &prov,
    )?;
    Ok(())
}

/// How many quotations the claim form takes at once.
const QUOTES: usize = 3;

/// `GET /entities/{id}/claims/new`: a claim about this entity.
pub(crate) async fn claim_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = editor_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    let csrf = visitor.form_token();
    let collections = editable_collections(&state, &visitor).await;
    let r = state
        .with(move |store, _| {
            let e = store
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("There is no entity {id}.")))?;
            let sources = dossier_views::sources_of(store, &id)?;
            Ok((e, sources, collections?))
        })
        .await;
    let (e, sources, collections) = match r {
        Ok(x) => x,
        Err(err) => return Failure(err, Want::Html).into_response(),
    };
    crate::views::layout(
        &format!("New claim about {}", e.caption()),
        "",
        html! {
            h1 { "New claim about " a href={ "/entities/" (e.id) } { (e.caption()) } }
            p.hint { "Say in your own words what the source says; quote exactly what was said, with who said it. Who makes the claim is recorded beside it." }
            form.edit method="post" action={ "/entities/" (e.id) "/claims" } {
                input type="hidden" name="csrf" value=(csrf);
                p { label for="kind" { "Kind" } br;
                    select #kind name="kind" {
                        option value="fact" { "fact (something that happened)" }
                        option value="assessment" { "assessment (someone's judgement)" }
                        option value="quote" { "its own words" }
                    }
                }
                p { label for="text" { "What the source says, in your words (required)" } br; textarea #text name="text" rows="3" cols="70" required {} }
                p { label for="topic" { "Topic" } br; input #topic type="text" name="topic" size="40"; }
                p { label for="eventDate" { "When it happened (YYYY, YYYY-MM or YYYY-MM-DD)" } br; input #eventDate type="text" name="eventDate"; }
                p { label for="assertedBy" { "Who makes the claim (a name or an id; empty: the source's publisher)" } br; input #assertedBy type="text" name="assertedBy" size="60"; }
                p { label for="replyTo" { "A reply to the claim (its id)" } br; input #replyTo type="text" name="replyTo" size="30"; }
                p { label for="mentions" { "Who else it mentions (names or ids, one a line)" } br; textarea #mentions name="mentions" rows="2" cols="60" {} }
                @for i in 1..=QUOTES {
                    fieldset {
                        legend { "Quotation " (i) }
                        p { label { "Exact words " br; textarea name={ "quote" (i) } rows="2" cols="70" {} } }
                        p { label { "Speaker (a name or an id)" br; input type="text" name={ "speaker" (i) } size="60"; } }
                    }
                }
                fieldset {
                    legend { "Source (every claim names one)" }
                    @if !sources.is_empty() {
                        p { select name="source" {
                            option value="" { "— or give a new address below —" }
                            @for s in &sources { option value=(s.id) { (s.caption()) } }
                        } }
                    }
                    p { label for="source_url" { "A new source's address" } br; input #source_url type="url" name="source_url" size="60"; }
                    p { label for="source_title" { "Its title" } br; input #source_title type="text" name="source_title" size="60"; }
                    p { label { input type="checkbox" name="archive" value="on"; " Archive a copy of the page now" } }
                }
                p { label for="collection" { "Collection" } br;
                    select #collection name="collection" { @for c in &collections { option value=(c) { (c) } } }
                }
                p { label for="reason" { "Reason (required)" } br; input #reason type="text" name="reason" size="60" required; }
                p { button type="submit" { "Save" } }
            }
        },
        None,
    )
    .into_response()
}

/// One person or body a form names, by id or name.
fn one_named(store: &dyn Read, what: &str, name: &str) -> Result<Entity, WebError> {
    let found = dossier_views::find(store, name)?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(WebError::BadRequest(format!(
            "{what}: nothing is named {name:?}; add it first"
        ))),
        many => Err(WebError::BadRequest(format!(
            "{what}: {name:?} names {} entries; give an id",
            many.len()
        ))),
    }
}

/// `POST /entities/{id}/claims`: records a claim and its quotations.
pub(crate) async fn save_claim(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let user = match editor_only(&visitor) {
        Ok(u) => u,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    // A new source's address, fetched for the archive before the store is
    // locked (a slow site holds up nobody).
    let archived = match archive_first(&state, &visitor, &form, &user).await {
        Ok(a) => a,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    let archiver = user.clone();
    let target = id.clone();
    write_then(
        &state,
        move |store| {
            let subject = store
                .read()
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("There is no entity {id}.")))?;
            let claim_schema =
                Schema::get("Claim").ok_or_else(|| WebError::Internal("no Claim schema".into()))?;
            let mut sub = read_form(&form, claim_schema, &visitor)?;
            sub.values.clear();
            let get = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
            let kind = get("kind").unwrap_or("fact");
            if !["fact", "assessment", "quote"].contains(&kind) {
                return Err(WebError::BadRequest(format!(
                    "kind {kind:?} is not fact, assessment or quote"
                )));
            }
            let text = get("text")
                .ok_or_else(|| WebError::BadRequest("A claim needs its text.".into()))?;
            let source_id = match &sub.source {
                Ok(s) => s.clone(),
                Err(doc) => doc.id.clone(),
            };
            let claim_id = stable_id("clm", &[&source_id, &subject.id, text]);
            let bad =
                |p: &str, e: dossier_model::ModelError| WebError::BadRequest(format!("{p}: {e}"));
            let mut c = Entity::new(claim_id.clone(), "Claim").map_err(|e| bad("claim", e))?;
            c.add("kind", Value::from(kind))
                .map_err(|e| bad("kind", e))?;
            c.add("text", Value::from(text))
                .map_err(|e| bad("text", e))?;
            c.add("subject", Value::from(subject.id.as_str()))
                .map_err(|e| bad("subject", e))?;
            c.add("source", Value::from(source_id.as_str()))
                .map_err(|e| bad("source", e))?;
            for p in ["topic", "eventDate"] {
                if let Some(v) = get(p) {
                    c.add(p, Value::from(v)).map_err(|e| bad(p, e))?;
                }
            }
            let asserter = match get("assertedBy") {
                Some(a) => Some(one_named(&store.read(), "who makes the claim", a)?.id),
                None if kind == "quote" => Some(subject.id.clone()),
                None => None,
            };
            if let Some(a) = asserter {
                c.add("assertedBy", Value::from(a.as_str()))
                    .map_err(|e| bad("assertedBy", e))?;
            }
            if let Some(r) = get("replyTo") {
                let replied = store
                    .read()
                    .entity(r)?
                    .filter(|e| e.schema.name == "Claim")
                    .ok_or_else(|| {
                        WebError::BadRequest(format!("There is no claim {r} to reply to."))
                    })?;
                c.add("replyTo", Value::from(replied.id.as_str()))
                    .map_err(|e| bad("replyTo", e))?;
            }
            for line in get("mentions")
                .unwrap_or("")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                let m = one_named(&store.read(), "mentions", line)?;
                c.add("mentions", Value::from(m.id.as_str()))
                    .map_err(|e| bad("mentions", e))?;
            }
            let mut quotes = Vec::new();
            for i in 1..=QUOTES {
                let Some(words) = get(&format!("quote{i}")) else {
                    continue;
                };
                let mut q = Entity::new(
                    stable_id("quo", &[&claim_id, words, &i.to_string()]),
                    "Quotation",
                )
                .map_err(|e| bad("quotation", e))?;
                q.add("claim", Value::from(claim_id.as_str()))
                    .map_err(|e| bad("claim", e))?;
                q.add("text", Value::from(words))
                    .map_err(|e| bad("quotation", e))?;
                if let Some(sp) = get(&format!("speaker{i}")) {
                    let speaker = one_named(&store.read(), &format!("speaker {i}"), sp)?;
                    q.add("speaker", Value::from(speaker.id.as_str()))
                        .map_err(|e| bad("speaker", e))?;
                }
                quotes.push(q);
            }
            let collections = store.accounts().collections()?;
            if !visitor.access.can_edit(&sub.dataset, &collections) {
                return Err(WebError::Forbidden(format!(
                    "You may not edit the collection {}.",
                    sub.dataset
                )));
            }
            if let Ok(s) = &sub.source {
                store
                    .read()
                    .entity(s)?
                    .filter(|d| d.schema.is_a("Document"))
                    .ok_or_else(|| WebError::BadRequest(format!("There is no source {s}.")))?;
            }
            let mut batch = Batch::new(source_id, String::new());
            if let Err(doc) = sub.source {
                batch
                    .put(doc)
                    .map_err(|e| WebError::BadRequest(e.to_string()))?;
            }
            batch
                .put(c)
                .map_err(|e| WebError::BadRequest(e.to_string()))?;
            for q in quotes {
                batch
                    .put(q)
                    .map_err(|e| WebError::BadRequest(e.to_string()))?;
            }
            let prov = Provenance {
                dataset: sub.dataset,
                source: String::new(),
                user,
                origin: Some(format!("edit: {}", sub.reason)),
                now: now(),
            };
            store.edit(
                &Edit {
                    batch,
                    remove: Vec::new(),
                    reason: sub.reason,
                },
                &prov,
            )?;
            archive_into(store, archived, &archiver)?;
            Ok(())
        },
        |()| format!("/entities/{target}"),
    )
    .await
}

/// When the form asks (`archive=on`) and names a new source's address:
/// the page fetched and taken in for the archive (nothing stored yet).
async fn archive_first(
    state: &AppState,
    visitor: &Visitor,
    form: &HashMap<String, String>,
    user: &str,
) -> Result<Option<dossier_evidence::intake::Intake>, WebError> {
    let wanted = form
        .get("archive")
        .is_some_and(|a| a == "on" || a == "true");
    let url = form
        .get("source_url")
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    let existing = form.get("source").is_some_and(|s| !s.trim().is_empty());
    let (true, Some(url), false) = (wanted, url, existing) else {
        return Ok(None);
    };
    // Nothing is fetched for a form that is not this session's.
    visitor.require_csrf(form, "csrf")?;
    let allow = state.archive_private();
    let user = user.to_string();
    tokio::task::spawn_blocking(move || {
        let page = crate::fetch::fetch(&url, allow).map_err(WebError::BadRequest)?;
        let name = page
            .url
            .rsplit('/')
            .find(|s| !s.is_empty())
            .unwrap_or("page")
            .to_string();
        let meta = dossier_evidence::intake::FileMeta {
            name,
            url: Some(url.clone()),
            retrieved: None,
            user,
            now: format!("{}Z", now().split('.').next().unwrap_or_default()),
        };
        dossier_evidence::intake::intake(&page.bytes, &meta)
            .map(Some)
            .map_err(|e| WebError::BadRequest(format!("{url} could not be archived: {e}")))
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
}

/// Archives what `archive_first` took in, in the archive's dataset.
fn archive_into(
    store: &mut Writer<'_>,
    got: Option<dossier_evidence::intake::Intake>,
    user: &str,
) -> Result<(), WebError> {
    let Some(got) = got else { return Ok(()) };
    let prov = Provenance {
        dataset: dossier_evidence::intake::DATASET.to_string(),
        source: String::new(),
        user: user.to_string(),
        origin: Some("archive".to_string()),
        now: now(),
    };
    store.archive(&got.copies, &got.documents, &prov)?;
    Ok(())
}
