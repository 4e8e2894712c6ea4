//! Editing in the browser, one file per kind of form: `entity` (edit and
//! create organizations, bodies and people), `relationship`, `claim`
//! (and replies), `history` (each change with who, when, which sources,
//! why, what was added and taken away; revert, delete, redact). What they
//! share is here: the fields, reading a submitted form, recording it,
//! archiving a new source first. Every edit names a source (one the entity
//! already cites, or a new address) and a reason; only editors and admins
//! edit, in the collections they may edit, with their session's CSRF token.

use std::collections::HashMap;

use axum::response::{IntoResponse, Redirect, Response};
use dossier_model::ids::stable_id;
use dossier_model::{Batch, Entity, Provenance, Schema, Value};
use dossier_store::{Edit, Read, Writer};

use crate::auth::Visitor;
use crate::{AppState, Failure, Want, WebError};

mod claim;
mod entity;
mod form;
mod history;
mod relationship;

pub(crate) use claim::{claim_form, save_claim};
pub(crate) use entity::{edit_form, new_form, save_edit, save_new};
pub(crate) use history::{delete, history, history_json, redact, revert};
pub use history::{ChangeWire, HistoryWire};
pub(crate) use relationship::{relationship_form, save_relationship};

/// The properties the forms edit, those the schema has, in this order:
/// for people and bodies, relationships, claims, quotations and sources.
const EDITABLE: &[(&str, &str, form::Kind, Option<&str>)] = &[
    ("title", "Title", form::Kind::Line, None),
    (
        "name",
        "Name",
        form::Kind::Lines,
        Some("the first line is its name; other names one a line"),
    ),
    (
        "alias",
        "Also known as",
        form::Kind::Lines,
        Some("one a line"),
    ),
    ("abbreviation", "Acronym", form::Kind::Line, None),
    (
        "country",
        "Countries",
        form::Kind::Lines,
        Some("ISO codes, e.g. il or ps, one a line"),
    ),
    ("website", "Website", form::Kind::Url, None),
    ("email", "Email", form::Kind::Email, None),
    ("address", "Postal address", form::Kind::Text, None),
    (
        "incorporationDate",
        "Founded",
        form::Kind::Date,
        Some("YYYY, YYYY-MM or YYYY-MM-DD"),
    ),
    ("position", "Position", form::Kind::Line, None),
    (
        "nationality",
        "Nationality",
        form::Kind::Line,
        Some("ISO code"),
    ),
    ("summary", "Summary", form::Kind::Text, None),
    (
        "kind",
        "Kind",
        form::Kind::Line,
        Some("fact, assessment or quote"),
    ),
    ("text", "Text", form::Kind::Text, None),
    ("topic", "Topic", form::Kind::Line, None),
    (
        "eventDate",
        "When it happened",
        form::Kind::Date,
        Some("YYYY, YYYY-MM or YYYY-MM-DD"),
    ),
    ("role", "Role", form::Kind::Line, None),
    (
        "startDate",
        "From",
        form::Kind::Date,
        Some("YYYY, YYYY-MM or YYYY-MM-DD"),
    ),
    (
        "endDate",
        "Until",
        form::Kind::Date,
        Some("YYYY, YYYY-MM or YYYY-MM-DD"),
    ),
    (
        "date",
        "Date",
        form::Kind::Date,
        Some("YYYY, YYYY-MM or YYYY-MM-DD"),
    ),
    ("amount", "Amount", form::Kind::Number, None),
    ("currency", "Currency", form::Kind::Line, Some("e.g. EUR")),
    ("purpose", "Purpose", form::Kind::Line, None),
    ("sourceUrl", "Web address", form::Kind::Url, None),
    ("publisher", "Publisher", form::Kind::Line, None),
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

pub(crate) fn editor_only(visitor: &Visitor) -> Result<String, WebError> {
    match (visitor.access.can_judge(), visitor.name()) {
        (true, Some(n)) if visitor.session.is_some() => Ok(n.to_string()),
        _ => Err(WebError::Forbidden(
            "Only a signed-in editor or admin edits.".into(),
        )),
    }
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
        return Err(WebError::invalid("reason", "Every edit needs a reason."));
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
                return Err(WebError::invalid(
                    "source_url",
                    format!("The source's address {url:?} is not an http or https address."),
                ));
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
            return Err(WebError::invalid(
                "source_url",
                "Every edit needs a source: pick one it cites, or give a new web address.",
            ))
        }
    };
    // Only the fields the form sends are edited; others stay as they are.
    let values = EDITABLE
        .iter()
        .filter(|(p, ..)| schema.property(p).is_some() && form.contains_key(*p))
        .map(|(p, ..)| {
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
                .ok_or_else(|| WebError::invalid("source", format!("There is no source {id}.")))?;
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
                    .map_err(|e| WebError::invalid(prop, format!("{e}")))?;
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
        return Err(WebError::invalid("name", "A new entry needs a name."));
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

/// Runs a write on the store, then lets the index and graph follow.
async fn write<T: Send + 'static>(
    state: &AppState,
    write: impl FnOnce(&mut Writer<'_>) -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    let done = state.with_mut(move |store, _| write(store)).await?;
    follow_up(state).await;
    Ok(done)
}

/// One person or body a form's field names, by id or name.
fn one_named(store: &dyn Read, field: &str, what: &str, name: &str) -> Result<Entity, WebError> {
    let found = dossier_views::find(store, name)?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(WebError::invalid(
            field,
            format!("{what}: nothing is named {name:?}; add it first, or check the spelling"),
        )),
        many => Err(WebError::invalid(
            field,
            format!(
                "{what}: {name:?} names {} entries ({}); give one's id",
                many.len(),
                many.iter()
                    .take(4)
                    .map(|e| format!("{} = {}", e.caption(), e.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
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
        let page =
            crate::fetch::fetch(&url, allow).map_err(|e| WebError::invalid("source_url", e))?;
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
            .map_err(|e| {
                WebError::invalid("source_url", format!("{url} could not be archived: {e}"))
            })
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
