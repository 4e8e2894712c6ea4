//! The web application and JSON API.
//!
//! Architecture invariant: the only crate that knows HTTP. Handlers read
//! through the `Store` trait and the search index, build views, and render
//! them as HTML (maud, escaped by construction) or as JSON wire types (the
//! ones in `api`, described by the OpenAPI document). Every page has a JSON
//! twin at the same path with `.json`.

mod admin;
pub mod api;
mod assets;
pub mod auth;
pub mod edit;
mod fetch;
mod headers;
mod held;
pub mod jsonld;
mod lockout;
mod origin;
mod pagecache;
mod pages;
mod review;
pub mod server;
mod state;
mod views;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dossier_store::Read;

pub use state::{AppState, Opener, SharedStore};

/// What a request can run into.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page or entity.
    #[error("{0}")]
    NotFound(String),
    /// A parameter is malformed or out of range; the message says which.
    #[error("{0}")]
    BadRequest(String),
    /// The store or index failed.
    #[error("{0}")]
    Internal(String),
    /// The request may not do this (a form without its token, a decision
    /// on a server that records none).
    #[error("{0}")]
    Forbidden(String),
    /// The request clashes with what is recorded (a "same" between
    /// entities judged apart).
    #[error("{0}")]
    Conflict(String),
    /// A form's field is missing or wrong: which field, and why. The form
    /// is shown again with what was typed and the field marked.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// The answer is being worked out; asked again shortly, it will be there.
    #[error("{0}")]
    Unavailable(String),
}

impl WebError {
    /// A form's field is missing or wrong.
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> WebError {
        WebError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl From<dossier_store::StoreError> for WebError {
    fn from(e: dossier_store::StoreError) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<dossier_search::SearchError> for WebError {
    fn from(e: dossier_search::SearchError) -> Self {
        match e {
            dossier_search::SearchError::BadQuery(m) => WebError::BadRequest(m),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl WebError {
    fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Invalid { .. } => StatusCode::BAD_REQUEST,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// How a response is wanted: an HTML page or its JSON twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Html,
    Json,
}

/// An error as HTML or JSON.
pub(crate) struct Failure(pub WebError, pub Want);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = self.0.status();
        // A message may quote the input: never at the input's size.
        let message = dossier_views::bounded_message(&self.0.to_string());
        match self.1 {
            Want::Json => (status, axum::Json(api::ErrorWire { error: message })).into_response(),
            Want::Html => (status, views::error_page(status, &message)).into_response(),
        }
    }
}

/// Splits a `.json` suffix off a path segment.
pub(crate) fn twin(id: &str) -> (&str, Want) {
    match id.strip_suffix(".json") {
        Some(base) => (base, Want::Json),
        None => (id, Want::Html),
    }
}

async fn not_found() -> Response {
    Failure(
        WebError::NotFound("There is no page at this address.".into()),
        Want::Html,
    )
    .into_response()
}

/// How often a server asks whether the store changed: another process (an
/// import) or another server on the same PostgreSQL. A change shows in
/// this server's pages and search within about this long (plus the time
/// to bring the index up to date).
pub(crate) const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

pub use server::serve;

/// The application's routes: pages, their JSON twins, the API, assets.
pub fn router(state: AppState) -> Router {
    // Answers that depend on nothing of the reader's but what they may
    // see: kept for signed-in readers too (`pagecache::serve_scoped`).
    // A route that reads the visitor (forms, history with its buttons,
    // review) does not belong here. Those whose answer is made only of
    // the entities its reads name, and of the ties near an entity it says
    // it depends on (`Read::depends_on`), are kept until one of those
    // changes (`pagecache::Precise`); the others until anything does.
    use pagecache::{checked_route, precise_route};
    let shared = Router::new()
        .route("/", get(pages::home))
        .route("/index.json", get(pages::home_json))
        .route("/search", checked_route(get(pages::search)))
        .route("/search.json", checked_route(get(pages::search_json)))
        .route("/search.csv", get(pages::export::search_csv))
        .route("/browse", get(pages::browse))
        .route("/changes", get(pages::changes))
        .route("/changes.json", get(pages::changes_json))
        .route("/search.ftm.json", get(pages::export::search_ftm))
        .route("/entities/{id}", precise_route(get(pages::entity)))
        .route(
            "/entities/{id}/connections",
            precise_route(get(pages::connections)),
        )
        .route(
            "/entities/{id}/connections.json",
            precise_route(get(pages::connections_json)),
        )
        .route(
            "/entities/{id}/export.csv",
            precise_route(get(pages::export::csv)),
        )
        .route(
            "/entities/{id}/export.ftm.json",
            precise_route(get(pages::export::ftm)),
        )
        .route(
            "/entities/{id}/export.gexf",
            precise_route(get(pages::export::gexf)),
        )
        .route("/networks/{id}", precise_route(get(pages::network)))
        .route(
            "/networks/{id}/interlocks",
            precise_route(get(pages::interlocks)),
        )
        .route(
            "/networks/{id}/interlocks.json",
            precise_route(get(pages::interlocks_json)),
        )
        .route("/path", precise_route(get(pages::path)))
        .route("/archive/{sha256}", get(pages::archived))
        .route("/archive/{sha256}/text", get(pages::archived_text_page))
        .merge(api::routes())
        .route_layer(axum::middleware::map_response(pagecache::shared));
    Router::new()
        .merge(shared)
        .route("/entities/{id}/history", get(edit::history))
        .route("/entities/{id}/history.json", get(edit::history_json))
        .route(
            "/entities/{id}/edit",
            get(edit::edit_form).post(edit::save_edit),
        )
        .route("/entities/{id}/revert", axum::routing::post(edit::revert))
        .route("/entities/{id}/delete", axum::routing::post(edit::delete))
        .route("/entities/{id}/redact", axum::routing::post(edit::redact))
        .route(
            "/entities/{id}/relationships/new",
            get(edit::relationship_form),
        )
        .route(
            "/entities/{id}/relationships",
            axum::routing::post(edit::save_relationship),
        )
        .route("/entities/{id}/claims/new", get(edit::claim_form))
        .route(
            "/entities/{id}/claims",
            axum::routing::post(edit::save_claim),
        )
        .route("/new/{kind}", get(edit::new_form).post(edit::save_new))
        .route("/review", get(review::list))
        .route("/review.json", get(review::list_json))
        .route("/review/{a}/{b}", get(review::pair).post(review::decide))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", axum::routing::post(auth::logout))
        .route("/admin", get(admin::admin))
        .route("/admin.json", get(admin::admin_json))
        .route(
            "/admin/collections",
            axum::routing::post(admin::set_collection),
        )
        .route("/admin/unlock", axum::routing::post(admin::unlock))
        .route("/admin/accounts", axum::routing::post(admin::set_account))
        .route(
            "/quotations/{id}/origin",
            get(origin::form).post(origin::give),
        )
        .route("/static/style.css", get(assets::style))
        .route("/static/app.js", get(assets::script))
        .route("/static/cytoscape.min.js", get(assets::cytoscape))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            follow_merges,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pagecache::serve_scoped,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::identify,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pagecache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            server::bounded_body,
        ))
        // Before anything reads a form: forms sent from another site stop here.
        .layer(axum::middleware::from_fn(headers::same_origin))
        // Outermost: kept pages get them too.
        .layer(axum::middleware::map_response(headers::security_headers))
        .with_state(state)
}

/// Addresses that name an entity in their path, up to the id.
const ENTITY_PATHS: [&str; 4] = [
    "/entities/",
    "/networks/",
    "/api/v1/entities/",
    "/api/v1/networks/",
];

/// Sends a request for an entity merged into another to the same address
/// of the entity it is part of (temporarily: a merge can be undone). Only
/// answers that were "not found" are looked at, so other requests pay
/// nothing.
async fn follow_merges(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let uri = request.uri().clone();
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let path = uri.path();
    let Some((prefix, rest)) = ENTITY_PATHS
        .iter()
        .find_map(|p| path.strip_prefix(p).map(|rest| (*p, rest)))
    else {
        return response;
    };
    let (segment, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (id, json) = twin(segment);
    if id.is_empty() || id.contains('%') {
        return response;
    }
    let lookup = id.to_string();
    match state
        .with(move |store, _| Ok(store.canonical_of(&lookup)?))
        .await
    {
        Ok(Some(canonical)) => {
            let suffix = if json == Want::Json { ".json" } else { "" };
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            axum::response::Redirect::temporary(&format!(
                "{prefix}{canonical}{suffix}{tail}{query}"
            ))
            .into_response()
        }
        _ => response,
    }
}

pub(crate) use axum::Json as JsonBody;
