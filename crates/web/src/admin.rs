//! The admin's pages: accounts (role, disabled or not), collections (made
//! public or private), unlocking an account locked out by failed sign-ins,
//! and the audit log of all of it (and of sign-ins, redactions, deletions).

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
    /// The newest entries of the audit log, newest first.
    pub audit: Vec<AuditWire>,
}

#[derive(Debug, serde::Serialize)]
pub struct AccountWire {
    pub name: String,
    pub role: String,
    pub created_at: String,
    /// Cannot sign in; its sessions and tokens have ended.
    pub disabled: bool,
}

/// One entry of the audit log.
#[derive(Debug, serde::Serialize)]
pub struct AuditWire {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// How many audit entries the page shows.
const AUDIT_SHOWN: usize = 200;

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
                    .map(|a| {
                        let disabled = store
                            .account(&a.name)?
                            .is_some_and(|(_, hash)| dossier_auth::is_disabled(&hash));
                        Ok(AccountWire {
                            name: a.name,
                            role: a.role.as_str().to_string(),
                            created_at: a.created_at,
                            disabled,
                        })
                    })
                    .collect::<Result<_, WebError>>()?,
                audit: store
                    .audit_log(AUDIT_SHOWN)?
                    .into_iter()
                    .map(|e| AuditWire {
                        at: e.at,
                        actor: e.actor,
                        action: e.action,
                        target: e.target,
                        detail: e.detail,
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
    let me = visitor.name();
    match admin_wire(&state).await {
        Ok(w) => crate::views::layout(
            "Admin",
            "",
            html! {
                (crate::views::crumbs(&[], "Admin"))
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
                h2 { "Accounts" }
                table.rel {
                    thead { tr { th scope="col" { "Account" } th scope="col" { "Role" } th scope="col" { "Since" } th scope="col" { "Change" } } }
                    tbody {
                        @for a in &w.accounts {
                            tr {
                                td data-label="Account" { (a.name) @if a.disabled { " " span.tag { "disabled" } } }
                                td data-label="Role" { (a.role) }
                                td data-label="Since" { (a.created_at) }
                                td data-label="Change" {
                                    @if Some(a.name.as_str()) == me {
                                        span.hint { "your own account: changed on the command line" }
                                    } @else {
                                        form.inline method="post" action="/admin/accounts" {
                                            input type="hidden" name="csrf" value=(csrf);
                                            input type="hidden" name="name" value=(a.name);
                                            @let field = format!("role-{}", a.name);
                                            label.visually-hidden for=(field) { "Role of " (a.name) }
                                            select id=(field) name="role" {
                                                @for r in ["viewer", "editor", "admin"] { option value=(r) selected[r == a.role] { (r) } }
                                            }
                                            " " button.secondary type="submit" name="action" value="role" { "Set role" }
                                            " "
                                            @if a.disabled {
                                                button.secondary type="submit" name="action" value="enable" { "Enable" }
                                            } @else {
                                                button.danger type="submit" name="action" value="disable" { "Disable" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
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
                h2 #audit { "Audit log" }
                p.note { "Sign-ins and sign-outs, accounts, roles, collections, unlocks, redactions, deletions and undone changes: who, when, what. Edits themselves are in each record's history and in " a href="/changes" { "recent changes" } "." }
                @if w.audit.is_empty() { p { "Nothing recorded yet." } }
                @else {
                    table.rel {
                        thead { tr { th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "To" } th scope="col" { "Detail" } } }
                        tbody {
                            @for e in &w.audit {
                                tr {
                                    td data-label="When" { (e.at.replace('T', " ")) }
                                    td data-label="Who" { (e.actor) }
                                    td data-label="What" { (e.action) }
                                    td data-label="To" { (e.target) }
                                    td data-label="Detail" { (e.detail) }
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
    let admin = visitor.name().unwrap_or_default().to_string();
    match state
        .with_mut(move |store, _| {
            let store = store.accounts_mut();
            store.set_collection(&name, private)?;
            let said = if private { "private" } else { "public" };
            dossier_auth::audit(store, &admin, "collection", &name, said)
                .map_err(|e| WebError::Internal(e.to_string()))
        })
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
    let forgotten = state.inner.guard.failures.unlock(name);
    let (admin, target) = (visitor.name().unwrap_or_default().to_string(), name.clone());
    let recorded = state
        .with_mut(move |store, _| {
            dossier_auth::audit(
                store.accounts_mut(),
                &admin,
                "unlock",
                &target,
                &format!("{forgotten} locks lifted"),
            )
            .map_err(|e| WebError::Internal(e.to_string()))
        })
        .await;
    if let Err(e) = recorded {
        return Failure(e, Want::Html).into_response();
    }
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

/// `POST /admin/accounts`: sets an account's role, or disables or enables
/// it (an admin's own account is changed on the command line, so that no
/// admin locks themselves out by a click).
pub(crate) async fn set_account(
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
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let (name, action, role) = (get("name"), get("action"), get("role"));
    let admin = visitor.name().unwrap_or_default().to_string();
    if name.is_empty() || name == admin {
        return Failure(
            WebError::BadRequest(
                "Name another account: your own is changed on the command line.".into(),
            ),
            Want::Html,
        )
        .into_response();
    }
    let r = state
        .with_mut(move |store, _| {
            let store = store.accounts_mut();
            let fail = |e: dossier_auth::AuthError| WebError::BadRequest(e.to_string());
            let (done, detail) = match action.as_str() {
                "role" => {
                    let r = dossier_store::Role::parse(&role).ok_or_else(|| {
                        WebError::BadRequest(format!("{role:?} is not viewer, editor or admin"))
                    })?;
                    store.set_role(&name, r)?;
                    ("role", r.as_str().to_string())
                }
                "disable" => {
                    dossier_auth::set_disabled(store, &name, true).map_err(fail)?;
                    ("disabled", String::new())
                }
                "enable" => {
                    dossier_auth::set_disabled(store, &name, false).map_err(fail)?;
                    ("enabled", String::new())
                }
                other => {
                    return Err(WebError::BadRequest(format!(
                        "{other:?} is not role, disable or enable"
                    )))
                }
            };
            dossier_auth::audit(store, &admin, done, &name, &detail)
                .map_err(|e| WebError::Internal(e.to_string()))
        })
        .await;
    match r {
        Ok(()) => Redirect::to("/admin").into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}
