//! A way forward from "no archive": an editor gives a quotation's origin
//! (an address, fetched under the same rules as every archiving, or a
//! file), and it is archived, the quotation anchored in it, checked by
//! the same rules as `dossier verify` (the reporting page is never an
//! origin) and the result recorded, all at once; the quotation's claim is
//! shown with its new mark.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use dossier_evidence::check::{check_in, hand_anchor, quote_text, result_edits};
use dossier_evidence::intake::{intake, FileMeta, Intake, DATASET};
use dossier_model::Provenance;
use dossier_store::Read;
use maud::html;

use crate::auth::Visitor;
use crate::edit::{editor_only, follow_up, now};
use crate::{AppState, Failure, Want, WebError};

/// The largest file an editor may give as an origin.
const LARGEST_FILE: usize = 16 << 20;

/// `/quotations/{id}/origin`: the form.
pub(crate) async fn form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = editor_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    let csrf = visitor.form_token();
    let found = state
        .with(move |store, _| {
            store
                .entity(&id)?
                .filter(|q| q.schema.name == "Quotation")
                .ok_or_else(|| WebError::NotFound(format!("There is no quotation {id}.")))
        })
        .await;
    let q = match found {
        Ok(q) => q,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    crate::views::layout(
        "The origin of a quotation",
        "",
        html! {
            h1 { "Where was this said?" }
            blockquote { (quote_text(&q)) }
            p { "Give the address of the page where the speaker said it, or the file itself (an HTML page, plain text or a WARC file). It is archived, the quotation is looked for in it, and the claim shows what was found. The page that reports the quotation is never taken as its origin." }
            form method="post" action={ "/quotations/" (q.id) "/origin" } enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                p {
                    label for="origin-url" { "Address of the origin" }
                    input id="origin-url" type="url" name="url" placeholder="https://…";
                }
                p {
                    label for="origin-file" { "or the file" }
                    input id="origin-file" type="file" name="file";
                }
                p { button type="submit" { "Archive and check" } }
            }
        },
        None,
    )
    .into_response()
}

/// What the form sent.
struct Given {
    fields: HashMap<String, String>,
    file: Option<(String, Vec<u8>)>,
}

async fn read_form(mut form: Multipart) -> Result<Given, WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest(e.body_text());
    let mut given = Given {
        fields: HashMap::new(),
        file: None,
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("origin").to_string();
            let bytes = field.bytes().await.map_err(bad)?;
            if bytes.len() > LARGEST_FILE {
                return Err(WebError::BadRequest(
                    "The file is larger than 16 MiB.".into(),
                ));
            }
            if !bytes.is_empty() {
                given.file = Some((file_name, bytes.to_vec()));
            }
        } else {
            let text = field.text().await.map_err(bad)?;
            given.fields.insert(name, text);
        }
    }
    Ok(given)
}

/// Takes in what was given: the file, or the page at the address.
async fn take_in(state: &AppState, given: Given, user: String) -> Result<Intake, WebError> {
    let url = given
        .fields
        .get("url")
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    let allow = state.archive_private();
    tokio::task::spawn_blocking(move || {
        let (bytes, name, url) = match (given.file, url) {
            (Some((name, bytes)), url) => (bytes, name, url),
            (None, Some(url)) => {
                let page = crate::fetch::fetch(&url, allow).map_err(WebError::BadRequest)?;
                let name = page
                    .url
                    .rsplit('/')
                    .find(|s| !s.is_empty())
                    .unwrap_or("page")
                    .to_string();
                (page.bytes, name, Some(url))
            }
            (None, None) => {
                return Err(WebError::BadRequest(
                    "Give the origin's address or its file.".into(),
                ))
            }
        };
        let meta = FileMeta {
            name: name.clone(),
            url,
            retrieved: None,
            user,
            now: format!("{}Z", now().split('.').next().unwrap_or_default()),
        };
        intake(&bytes, &meta)
            .map_err(|e| WebError::BadRequest(format!("{name} could not be archived: {e}")))
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
}

/// `POST /quotations/{id}/origin`: archives the origin, anchors the
/// quotation in it, checks and records, and shows the claim.
pub(crate) async fn give(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let user = match editor_only(&visitor) {
        Ok(u) => u,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    let given = match read_form(form).await {
        Ok(g) => g,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    // Nothing is fetched or archived for a form that is not this session's.
    if let Err(e) = visitor.require_csrf(&given.fields, "csrf") {
        return Failure(e, Want::Html).into_response();
    }
    let got = match take_in(&state, given, user.clone()).await {
        Ok(g) => g,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    let done = state
        .with_mut(move |w, _| {
            let collections = w.accounts().collections()?;
            if !visitor.access.can_edit(DATASET, &collections) {
                return Err(WebError::Forbidden(format!(
                    "You may not edit the collection {DATASET}."
                )));
            }
            let q = w
                .read()
                .entity(&id)?
                .filter(|q| q.schema.name == "Quotation")
                .ok_or_else(|| WebError::NotFound(format!("There is no quotation {id}.")))?;
            let document = got
                .copies
                .first()
                .map(|c| c.info.document.clone())
                .ok_or_else(|| WebError::BadRequest("Nothing in it could be archived.".into()))?;
            let prov = Provenance {
                dataset: DATASET.to_string(),
                source: String::new(),
                user,
                origin: Some("origin given on the quotation's page".to_string()),
                now: now(),
            };
            w.archive(&got.copies, &got.documents, &prov)?;
            let anchored = hand_anchor(&w.read(), &q.id, &document, true, &prov)
                .map_err(|e| WebError::BadRequest(format!("Archived, but not anchored: {e}")))?;
            let (_, batch, anchor_prov, _) = anchored;
            w.amend(&[batch], &anchor_prov)?;
            let check = check_in(&w.read(), &q, &document).map_err(evidence)?;
            let (_, edits, result_prov) =
                result_edits(&w.read(), &[check], &prov).map_err(evidence)?;
            for e in &edits {
                w.edit(e, &result_prov)?;
            }
            Ok(q.first("claim").unwrap_or(&q.id).to_string())
        })
        .await;
    match done {
        Ok(claim) => {
            follow_up(&state).await;
            Redirect::to(&format!("/entities/{claim}")).into_response()
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

fn evidence(e: dossier_evidence::EvidenceError) -> WebError {
    match e {
        dossier_evidence::EvidenceError::Store(s) => s.into(),
        other => WebError::BadRequest(other.to_string()),
    }
}
