//! Editing and creating organizations, public bodies and people.

use std::collections::HashMap;

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use dossier_model::ids::stable_id;
use dossier_model::names::name_key;
use dossier_model::{Entity, Schema};
use dossier_store::Read;
use maud::{html, Markup};

use super::form::{back_to_form, field, refused, source_and_reason, Given, Kind};
use super::*;
use crate::auth::Visitor;
use crate::{AppState, Failure, Want, WebError};

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
}

fn form_page(f: &FormPage<'_>, given: &Given<'_>) -> Markup {
    let crumbs = match f.entity {
        Some(e) => crate::views::crumbs(&[(e.caption(), &format!("/entities/{}", e.id))], "Edit"),
        None => crate::views::crumbs(&[], &f.title),
    };
    crate::views::layout(
        &f.title,
        "",
        html! {
            (crumbs)
            h1 { (f.title) }
            (given.banner())
            form.edit method="post" action=(f.action) novalidate {
                input type="hidden" name="csrf" value=(f.csrf);
                input type="hidden" name="schema" value=(f.schema.name);
                @for (prop, label, kind, hint) in EDITABLE {
                    @if f.schema.property(prop).is_some() {
                        @let now = field_values(f.entity, prop);
                        // A single-line field with several values takes them a line each.
                        @let kind = if now.contains('\n') { Kind::Lines } else { *kind };
                        (field(given, prop, label, kind, &now, *hint))
                    }
                }
                p.hint { "A value taken away is kept in the history." }
                (source_and_reason(given, &f.sources, &f.collections, "edit"))
            }
        },
        None,
    )
}

/// The edit form of an entity, fresh or with what was typed.
async fn edit_page(state: &AppState, visitor: &Visitor, id: String, given: Given<'_>) -> Response {
    let csrf = visitor.form_token();
    let collections = editable_collections(state, visitor).await;
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
        Ok((e, sources, collections)) => {
            let page = form_page(
                &FormPage {
                    title: format!("Edit {}", e.caption()),
                    action: format!("/entities/{}/edit", e.id),
                    schema: e.schema,
                    entity: Some(&e),
                    sources,
                    collections,
                    csrf,
                },
                &given,
            );
            match given.error {
                Some(err) => refused(err, page),
                None => page.into_response(),
            }
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = editor_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    edit_page(&state, &visitor, id, Given::fresh()).await
}

/// The form of a new entity of a kind, fresh or with what was typed.
async fn new_page(state: &AppState, visitor: &Visitor, kind: &str, given: Given<'_>) -> Response {
    let Some(schema) = schema_of_kind(kind) else {
        return Failure(
            WebError::NotFound(format!("Nothing of kind {kind} is made here.")),
            Want::Html,
        )
        .into_response();
    };
    let csrf = visitor.form_token();
    match editable_collections(state, visitor).await {
        Ok(collections) => {
            let page = form_page(
                &FormPage {
                    title: format!("New {}", kind.replace('-', " ")),
                    action: format!("/new/{kind}"),
                    schema,
                    entity: None,
                    sources: Vec::new(),
                    collections,
                    csrf,
                },
                &given,
            );
            match given.error {
                Some(err) => refused(err, page),
                None => page.into_response(),
            }
        }
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
    new_page(&state, &visitor, &kind, Given::fresh()).await
}

fn schema_of_kind(kind: &str) -> Option<&'static Schema> {
    match kind {
        "organization" => Schema::get("Organization"),
        "public-body" => Schema::get("PublicBody"),
        "person" => Schema::get("Person"),
        _ => None,
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
    let kept = form.clone();
    let r = async {
        // A new source's address, fetched for the archive before the store
        // is locked (a slow site holds up nobody).
        let archived = archive_first(&state, &visitor, &form, &user).await?;
        let (v, target) = (visitor.clone(), id.clone());
        write(&state, move |store| {
            let current = store
                .read()
                .entity(&target)?
                .filter(|e| editable(e.schema))
                .ok_or_else(|| {
                    WebError::NotFound(format!("There is nothing to edit at {target}."))
                })?;
            let sub = read_form(&form, current.schema, &v)?;
            record(
                store,
                &v,
                &user,
                &target,
                current.schema,
                Some(&current),
                sub,
            )?;
            archive_into(store, archived, &user)?;
            Ok(())
        })
        .await
    }
    .await;
    match r {
        Ok(()) => Redirect::to(&format!("/entities/{id}")).into_response(),
        Err(e) if back_to_form(&e) => {
            edit_page(&state, &visitor, id, Given::again(&kept, &e)).await
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
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
    let Some(schema) = schema_of_kind(&kind) else {
        return Failure(
            WebError::NotFound(format!("Nothing of kind {kind} is made here.")),
            Want::Html,
        )
        .into_response();
    };
    let kept = form.clone();
    let r = async {
        let archived = archive_first(&state, &visitor, &form, &user).await?;
        let v = visitor.clone();
        write(&state, move |store| {
            let sub = read_form(&form, schema, &v)?;
            let name = sub
                .values
                .iter()
                .find(|(p, _)| *p == "name")
                .and_then(|(_, v)| v.first().cloned())
                .ok_or_else(|| WebError::invalid("name", "A new entry needs a name."))?;
            let prefix = if schema.name == "Person" {
                "per"
            } else {
                "org"
            };
            let id = stable_id(prefix, &[&name_key(&name)]);
            if let Some(known) = store.read().entity(&id)? {
                return Err(WebError::Conflict(format!(
                    "{} is known already: /entities/{id}; edit it there.",
                    known.caption()
                )));
            }
            record(store, &v, &user, &id, schema, None, sub)?;
            archive_into(store, archived, &user)?;
            Ok(id)
        })
        .await
    }
    .await;
    match r {
        Ok(id) => Redirect::to(&format!("/entities/{id}")).into_response(),
        Err(e) if back_to_form(&e) => {
            new_page(&state, &visitor, &kind, Given::again(&kept, &e)).await
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}
