//! Recording a claim about an entity, with its quotations, or a reply.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use dossier_model::ids::stable_id;
use dossier_model::{Batch, Entity, Provenance, Schema, Value};
use dossier_store::{Edit, Read};
use maud::html;

use super::form::{back_to_form, field, refused, source_and_reason, Given, Kind};
use super::*;
use crate::auth::Visitor;
use crate::{AppState, Failure, Want, WebError};

/// How many quotations the claim form takes at once.
const QUOTES: usize = 3;

/// The claim form about an entity (a reply when `replyTo` names a claim),
/// fresh or with what was typed.
async fn claim_page(
    state: &AppState,
    visitor: &Visitor,
    id: String,
    reply_to: Option<String>,
    given: Given<'_>,
) -> Response {
    let csrf = visitor.form_token();
    let collections = editable_collections(state, visitor).await;
    let again = given.error.is_some();
    let r = state
        .with(move |store, _| {
            let e = store
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("There is no entity {id}.")))?;
            let replied = match reply_to.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => match store.entity(r)?.filter(|c| c.schema.name == "Claim") {
                    Some(c) => Some(c),
                    // Shown again after a refusal: the refusal says so.
                    None if again => None,
                    None => {
                        return Err(WebError::NotFound(format!(
                            "There is no claim {r} to reply to."
                        )))
                    }
                },
                None => None,
            };
            let sources = dossier_views::sources_of(store, &id)?;
            Ok((e, replied, sources, collections?))
        })
        .await;
    let (e, replied, sources, collections) = match r {
        Ok(x) => x,
        Err(err) => return Failure(err, Want::Html).into_response(),
    };
    let title = match &replied {
        Some(_) => format!("A reply about {}", e.caption()),
        None => format!("New claim about {}", e.caption()),
    };
    let page = crate::views::layout(
        &title,
        "",
        html! {
            (crate::views::crumbs(&[(e.caption(), &format!("/entities/{}", e.id))], if replied.is_some() { "Reply" } else { "New claim" }))
            h1 { (title) }
            @if let Some(c) = &replied {
                blockquote.replied {
                    p { "In reply to: " (c.first("text").unwrap_or("")) }
                    p.meta { a href={ "/entities/" (c.id) } { "the claim" } }
                }
            }
            p.hint { "Say in your own words what the source says; quote exactly what was said, with who said it. Who makes the claim is recorded beside it." }
            (given.banner())
            form.edit method="post" action={ "/entities/" (e.id) "/claims" } novalidate {
                input type="hidden" name="csrf" value=(csrf);
                @if let Some(c) = &replied { input type="hidden" name="replyTo" value=(c.id); }
                p.field { label for="kind" { "Kind" } br;
                    select #kind name="kind" {
                        @let initial = if replied.is_some() { "quote" } else { "fact" };
                        @for (value, label) in [("fact", "fact (something that happened)"), ("assessment", "assessment (someone's judgement)"), ("quote", "its own words")] {
                            option value=(value) selected[given.chose("kind", value, value == initial)] { (label) }
                        }
                    }
                }
                (field(&given, "text", "What the source says, in your words", Kind::Text, "", Some("required")))
                (field(&given, "topic", "Topic", Kind::Line, "", None))
                (field(&given, "eventDate", "When it happened", Kind::Date, "", Some("YYYY, YYYY-MM or YYYY-MM-DD")))
                (field(&given, "assertedBy", "Who makes the claim", Kind::Line, "", Some("a name or an id; empty: the source's publisher (or, for its own words, the entity)")))
                (field(&given, "mentions", "Who else it mentions", Kind::Lines, "", Some("names or ids, one a line")))
                @for i in 1..=QUOTES {
                    fieldset {
                        legend { "Quotation " (i) }
                        (field(&given, &format!("quote{i}"), "Exact words", Kind::Text, "", None))
                        (field(&given, &format!("speaker{i}"), "Speaker", Kind::Line, "", Some("a name or an id")))
                    }
                }
                (source_and_reason(&given, &sources, &collections, "claim"))
            }
        },
        None,
    );
    match given.error {
        Some(err) => refused(err, page),
        None => page.into_response(),
    }
}

/// `GET /entities/{id}/claims/new[?replyTo=CLAIM]`: a claim about this
/// entity, or a reply to one of the claims about it.
pub(crate) async fn claim_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if let Err(e) = editor_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    claim_page(
        &state,
        &visitor,
        id,
        params.get("replyTo").cloned(),
        Given::fresh(),
    )
    .await
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
    let kept = form.clone();
    let r = async {
        // A new source's address, fetched for the archive before the store is
        // locked (a slow site holds up nobody).
        let archived = archive_first(&state, &visitor, &form, &user).await?;
        let archiver = user.clone();
        let target = id.clone();
        let visitor = visitor.clone();
        write(&state, move |store| {
            let id = target;
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
                return Err(WebError::invalid(
                    "kind",
                    format!("The kind {kind:?} is not fact, assessment or quote."),
                ));
            }
            let text = get("text").ok_or_else(|| {
                WebError::invalid("text", "A claim needs its text: what the source says.")
            })?;
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
                Some(a) => {
                    Some(one_named(&store.read(), "assertedBy", "who makes the claim", a)?.id)
                }
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
                        WebError::invalid("replyTo", format!("There is no claim {r} to reply to."))
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
                let m = one_named(&store.read(), "mentions", "who else it mentions", line)?;
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
                    let speaker = one_named(
                        &store.read(),
                        &format!("speaker{i}"),
                        &format!("speaker {i}"),
                        sp,
                    )?;
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
                    .ok_or_else(|| {
                        WebError::invalid("source", format!("There is no source {s}."))
                    })?;
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
        })
        .await
    }
    .await;
    match r {
        Ok(()) => Redirect::to(&format!("/entities/{id}")).into_response(),
        Err(e) if back_to_form(&e) => {
            let reply = kept.get("replyTo").cloned();
            claim_page(&state, &visitor, id, reply, Given::again(&kept, &e)).await
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}
