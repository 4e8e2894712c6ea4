//! Recording a relationship between the entity and another.

use std::collections::HashMap;

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use dossier_model::ids::stable_id;
use dossier_model::{Batch, Entity, Provenance, Schema, Value};
use dossier_store::{Edit, Read, Writer};
use maud::html;

use super::form::{back_to_form, field, refused, source_and_reason, Given, Kind};
use super::*;
use crate::auth::Visitor;
use crate::{AppState, Failure, Want, WebError};

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

/// The kinds of entity the picker may make when the other party is new.
const NEW_KINDS: [(&str, &str); 3] = [
    ("Organization", "an organization"),
    ("PublicBody", "a public body"),
    ("Person", "a person"),
];

/// The relationship form, fresh or with what was typed.
async fn relationship_page(
    state: &AppState,
    visitor: &Visitor,
    id: String,
    given: Given<'_>,
) -> Response {
    let csrf = visitor.form_token();
    let collections = editable_collections(state, visitor).await;
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
    let title = format!("New relationship of {}", e.caption());
    let page = crate::views::layout(
        &title,
        "",
        html! {
            (crate::views::crumbs(&[(e.caption(), &format!("/entities/{}", e.id))], "New relationship"))
            h1 { "New relationship of " a href={ "/entities/" (e.id) } { (e.caption()) } }
            (given.banner())
            form.edit method="post" action={ "/entities/" (e.id) "/relationships" } novalidate {
                input type="hidden" name="csrf" value=(csrf);
                p.field { label for="relation" { (e.caption()) } br;
                    select #relation name="relation" {
                        @for (kind, _, from, to) in RELATIONSHIPS {
                            @let forward = format!("{kind}:from");
                            option value=(forward) selected[given.chose("relation", &forward, false)] { (from) " …" }
                            @if from != to {
                                @let backward = format!("{kind}:to");
                                option value=(backward) selected[given.chose("relation", &backward, false)] { (to) " …" }
                            }
                        }
                    }
                }
                // A picker: suggestions as one types (app.js, from the
                // search API), or a new entry made with the relationship.
                p.field.picker.invalid[given.error_for("other").is_some()] {
                    label for="other" { "… whom" } " " span.hint id="other-hint" { "a name, an acronym or an id" } br;
                    input #other type="text" name="other" value=(given.value("other", "")) autocomplete="off" data-picker="organization,public body,company,person" aria-describedby=(if given.error_for("other").is_some() { "other-error" } else { "other-hint" }) aria-invalid=[given.error_for("other").map(|_| "true")];
                    @if let Some(err) = given.error_for("other") { br; span.field-error id="other-error" { (err) } }
                }
                fieldset.create {
                    legend { "If nothing is called that yet" }
                    p { label { input type="checkbox" name="create" value="on" checked[given.chose("create", "on", false)]; " Add it as " }
                        label.visually-hidden for="create_kind" { "the kind of the new entry" }
                        select #create_kind name="create_kind" {
                            @for (value, label) in NEW_KINDS { option value=(value) selected[given.chose("create_kind", value, value == "Organization")] { (label) } }
                        }
                        ", from the same source"
                    }
                }
                (field(&given, "role", "Role", Kind::Line, "", Some("e.g. member, chair, donor")))
                (field(&given, "startDate", "From", Kind::Date, "", Some("YYYY, YYYY-MM or YYYY-MM-DD")))
                (field(&given, "endDate", "Until", Kind::Date, "", Some("YYYY, YYYY-MM or YYYY-MM-DD")))
                fieldset {
                    legend { "Funding only" }
                    (field(&given, "amount", "Amount", Kind::Number, "", None))
                    (field(&given, "currency", "Currency", Kind::Line, "", Some("e.g. EUR")))
                    (field(&given, "date", "Date of the payment", Kind::Date, "", Some("YYYY, YYYY-MM or YYYY-MM-DD")))
                }
                (source_and_reason(&given, &sources, &collections, "relationship"))
            }
        },
        None,
    );
    match given.error {
        Some(err) => refused(err, page),
        None => page.into_response(),
    }
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
    relationship_page(&state, &visitor, id, Given::fresh()).await
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
    let kept = form.clone();
    let r = async {
    // A new source's address, fetched for the archive before the store is
    // locked (a slow site holds up nobody).
    let archived = archive_first(&state, &visitor, &form, &user).await?;
    let archiver = user.clone();
    let target = id.clone();
    let visitor = visitor.clone();
    write(
        &state,
        move |store| {
            let id = target;
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
                    return Err(WebError::invalid(
                        "relation",
                        format!("The relationship {relation:?} is not one the form offers."),
                    ))
                }
            };
            let (_, schema_name, _, _) = relationship(kind).ok_or_else(|| {
                WebError::BadRequest(format!("relationship {kind:?} is not one the form offers"))
            })?;
            let schema = Schema::get(schema_name)
                .ok_or_else(|| WebError::Internal(format!("no schema {schema_name}")))?;
            let other_name = form.get("other").map(|o| o.trim()).unwrap_or("");
            if other_name.is_empty() {
                return Err(WebError::invalid("other", "Whom? The other party is missing."));
            }
            // The other party: the one entry so called, or a new one when
            // the form asks and nothing is called that.
            let found = dossier_views::find(&store.read(), other_name)?;
            let create = form.get("create").is_some_and(|c| c == "on");
            let mut made: Option<Entity> = None;
            let other = match found.as_slice() {
                [one] => one.clone(),
                [] if create => {
                    let kind = form.get("create_kind").map(String::as_str).unwrap_or("Organization");
                    if !NEW_KINDS.iter().any(|(k, _)| *k == kind) {
                        return Err(WebError::invalid("create_kind", format!("{kind:?} is not a kind the form makes")));
                    }
                    let prefix = if kind == "Person" { "per" } else { "org" };
                    let new_id = stable_id(prefix, &[&dossier_model::names::name_key(other_name)]);
                    let mut e = Entity::new(new_id, kind).map_err(|e| WebError::Internal(e.to_string()))?;
                    e.add("name", Value::from(other_name))
                        .map_err(|e| WebError::invalid("other", e.to_string()))?;
                    made = Some(e.clone());
                    e
                }
                [] => {
                    return Err(WebError::invalid(
                        "other",
                        format!("Nothing is called {other_name:?}: check the spelling, pick a suggestion, or tick \"Add it\" below."),
                    ))
                }
                many => {
                    return Err(WebError::invalid(
                        "other",
                        format!(
                            "{other_name:?} names {} entries ({}); pick one from the suggestions or give its id.",
                            many.len(),
                            many.iter().take(4).map(|e| format!("{} = {}", e.caption(), e.id)).collect::<Vec<_>>().join(", ")
                        ),
                    ))
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
                    return Err(WebError::invalid("other", format!(
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
            let bad = |p: &str, e: dossier_model::ModelError| WebError::invalid(p, e.to_string());
            rel.add(first_prop, Value::from(first.id.as_str()))
                .map_err(|e| bad(first_prop, e))?;
            rel.add(second_prop, Value::from(second.id.as_str()))
                .map_err(|e| bad(second_prop, e))?;
            for p in ["role", "startDate", "endDate", "amount", "currency", "date"] {
                if let (Some(v), Some(_)) = (get(p), schema.property(p)) {
                    rel.add(p, Value::from(v)).map_err(|e| bad(p, e))?;
                }
            }
            record_relationship(store, &visitor, &user, rel, made, sub)?;
            archive_into(store, archived, &archiver)?;
            Ok(())
        },
    )
    .await
    }
    .await;
    match r {
        Ok(()) => Redirect::to(&format!("/entities/{id}")).into_response(),
        Err(e) if back_to_form(&e) => {
            relationship_page(&state, &visitor, id, Given::again(&kept, &e)).await
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// Records a new relationship from the form's source, with its reason.
fn record_relationship(
    store: &mut Writer<'_>,
    visitor: &Visitor,
    user: &str,
    mut rel: Entity,
    made: Option<Entity>,
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
                .ok_or_else(|| WebError::invalid("source", format!("There is no source {id}.")))?
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
    // A party made with it comes from the same source.
    if let Some(e) = made {
        batch
            .put(e)
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
