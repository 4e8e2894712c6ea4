//! The admin's pages: accounts, collections (made public or private), and
//! unlocking an account locked out by failed sign-ins.

use std::collections::HashMap;

use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use crate::auth::Visitor;
use crate::{AppState, Failure, Want, WebError};

/// What the admin page shows.
#[derive(Debug, serde::Serialize)]
pub struct AdminWire {
    pub accounts: Vec<AccountWire>,
    pub collections: Vec<CollectionWire>,
}

#[derive(Debug, serde::Serialize)]
pub struct AccountWire {
    pub name: String,
    pub role: String,
    pub created_at: String,
}

#[derive(Debug, serde::Serialize)]
pub struct CollectionWire {
    pub name: String,
    pub private: bool,
    /// Account name and whether they may edit.
    pub members: Vec<(String, bool)>,
}

fn admin_only(visitor: &Visitor) -> Result<(), WebError> {
    if visitor.access.is_admin() {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "Only an admin may see or change this.".into(),
        ))
    }
}

async fn admin_wire(state: &AppState) -> Result<AdminWire, WebError> {
    state
        .with_accounts(|store| {
            Ok(AdminWire {
                accounts: store
                    .accounts()?
                    .into_iter()
                    .map(|a| AccountWire {
                        name: a.name,
                        role: a.role.as_str().to_string(),
                        created_at: a.created_at,
                    })
                    .collect(),
                collections: store
                    .collections()?
                    .into_iter()
                    .map(|c| CollectionWire {
                        name: c.name,
                        private: c.private,
                        members: c.members,
                    })
                    .collect(),
            })
        })
        .await
}

/// `/admin`: accounts and collections (admins only).
pub(crate) async fn admin(
    State(state): State<AppState>,
    axum::Extension(visitor): axum::Extension<Visitor>,
) -> Response {
    if let Err(e) = admin_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    let csrf = visitor.form_token();
    match admin_wire(&state).await {
        Ok(w) => crate::views::layout(
            "Admin",
            "",
            html! {
                h1 { "Accounts and collections" }
                p { "Accounts are added, disabled and deleted on the command line (" code { "dossier user add NAME --role editor" } ", " code { "dossier user disable NAME" } ")." }
                h2 { "Locked out" }
                p { "After too many wrong passwords an account is refused for a quarter of an hour, from the addresses they came from or, after many, from everywhere. An unlock forgets every failure against the account now." }
                form.inline method="post" action="/admin/unlock" {
                    input type="hidden" name="csrf" value=(csrf);
                    label { "Account " input type="text" name="name" required autocomplete="off"; }
                    " "
                    button type="submit" { "Unlock" }
                }
                table {
                    thead { tr { th { "Account" } th { "Role" } th { "Since" } } }
                    tbody { @for a in &w.accounts { tr { td { (a.name) } td { (a.role) } td { (a.created_at) } } } }
                }
                h2 { "Collections" }
                table {
                    thead { tr { th { "Collection" } th { "Readers" } th { "Members" } th {} } }
                    tbody {
                        @for c in &w.collections {
                            tr {
                                td { (c.name) }
                                td { @if c.private { "members and admins" } @else { "anyone" } }
                                td { @for (i, (m, edit)) in c.members.iter().enumerate() { @if i > 0 { ", " } (m) @if *edit { " (edits)" } } }
                                td {
                                    form method="post" action="/admin/collections" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        input type="hidden" name="name" value=(c.name);
                                        input type="hidden" name="private" value=(if c.private { "false" } else { "true" });
                                        button type="submit" { @if c.private { "Make public" } @else { "Make private" } }
                                    }
                                }
                            }
                        }
                    }
                }
            },
            None,
        )
        .into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// `/admin.json`.
pub(crate) async fn admin_json(
    State(state): State<AppState>,
    axum::Extension(visitor): axum::Extension<Visitor>,
) -> Response {
    if let Err(e) = admin_only(&visitor) {
        return Failure(e, Want::Json).into_response();
    }
    match admin_wire(&state).await {
        Ok(w) => axum::Json(w).into_response(),
        Err(e) => Failure(e, Want::Json).into_response(),
    }
}

/// `POST /admin/collections`: makes a collection public or private.
pub(crate) async fn set_collection(
    State(state): State<AppState>,
    axum::Extension(visitor): axum::Extension<Visitor>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(e) = admin_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    if let Err(e) = visitor.require_csrf(&form, "csrf") {
        return Failure(e, Want::Html).into_response();
    }
    let (Some(name), Some(private)) = (form.get("name").cloned(), form.get("private")) else {
        return Failure(
            WebError::BadRequest("name and private are required".into()),
            Want::Html,
        )
        .into_response();
    };
    let private = private == "true";
    match state
        .with_mut(move |store, _| Ok(store.accounts_mut().set_collection(&name, private)?))
        .await
    {
        Ok(()) => {
            // What anyone may see changed: the shared graph and index follow now.
            let s = state.clone();
            let _ = tokio::task::spawn_blocking(move || {
                let _ = s.refresh_graph();
                let _ = s.refresh_index();
            })
            .await;
            Redirect::to("/admin").into_response()
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// `POST /admin/unlock`: forgets the failed sign-ins against an account
/// (an admin's answer to someone locking another out with wrong passwords).
pub(crate) async fn unlock(
    State(state): State<AppState>,
    axum::Extension(visitor): axum::Extension<Visitor>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(e) = admin_only(&visitor) {
        return Failure(e, Want::Html).into_response();
    }
    if let Err(e) = visitor.require_csrf(&form, "csrf") {
        return Failure(e, Want::Html).into_response();
    }
    let Some(name) = form.get("name").filter(|n| !n.is_empty()) else {
        return Failure(WebError::BadRequest("name is required".into()), Want::Html)
            .into_response();
    };
    let forgotten = state.inner.failures.unlock(name);
    crate::views::layout(
        "Unlocked",
        "",
        html! {
            h1 { "Unlocked" }
            p { (name) ": " (dossier_views::counted(forgotten as u64, "lock", "locks")) " lifted. They can sign in again now." }
            p { a href="/admin" { "Back to accounts" } }
        },
        None,
    )
    .into_response()
}
