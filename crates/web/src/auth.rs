//! Who is asking: a session cookie (`dossier_session`: HttpOnly,
//! SameSite=Strict), an API token (`Authorization: Bearer …`), or nobody.
//! Every request gets a [`Visitor`]; forms of a session carry its CSRF
//! token back; sign-in attempts are limited per account name and per
//! address.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Form, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use dossier_auth::Access;
use dossier_store::Session;
use maud::html;

use crate::{AppState, Failure, Want, WebError};

tokio::task_local! {
    /// What this request's reader may see: every store read and write the
    /// request makes is under it.
    pub static SCOPE: dossier_store::Scope;
    /// Who this request's reader is, as the page header names them.
    pub static WHO: Who;
}

/// Who is reading, as pages show it: the account's name and role, none
/// for a visitor who is not signed in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Who {
    pub name: Option<String>,
    pub role: Option<dossier_store::Role>,
}

impl Who {
    fn of(visitor: &Visitor) -> Who {
        Who {
            name: visitor.name().map(str::to_string),
            role: visitor.access.role(),
        }
    }

    /// The reader of the request being answered (nobody outside one).
    pub fn now() -> Who {
        WHO.try_with(Clone::clone).unwrap_or_default()
    }

    /// Whether pages offer this reader ways to edit: editors and admins.
    /// (What they may edit is checked again when they do.)
    pub fn edits(&self) -> bool {
        self.role >= Some(dossier_store::Role::Editor)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Some(dossier_store::Role::Admin)
    }
}

/// The session cookie's name.
pub const COOKIE: &str = "dossier_session";

/// Failed sign-ins allowed per account name, and per address, in [`WINDOW`].
pub const MAX_FAILURES: usize = 5;

/// Failed sign-ins from one address, to any accounts, before it is
/// refused for the window.
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;

/// Failed sign-ins to one account, from any addresses, before it is
/// refused for the window: high, so that nobody locks an account out from
/// their own address (five from one address lock only that pair), yet a
/// guesser spread over many addresses is stopped.
pub const MAX_FAILURES_PER_ACCOUNT: usize = 50;

/// Who is asking, and what they may see and do.
#[derive(Debug, Clone, Default)]
pub struct Visitor {
    pub access: Access,
    /// The session, when signed in by cookie (API tokens have none).
    pub session: Option<Session>,
}

impl Visitor {
    /// Whether a form's token is this session's.
    pub fn csrf_ok(&self, form_token: Option<&str>) -> bool {
        match (&self.session, form_token) {
            (Some(s), Some(t)) => dossier_auth::same_secret(&s.csrf, t),
            _ => false,
        }
    }

    /// The refusal of a form that does not carry this session's token in
    /// its field `field`.
    pub fn require_csrf(
        &self,
        form: &HashMap<String, String>,
        field: &str,
    ) -> Result<(), WebError> {
        if self.csrf_ok(form.get(field).map(String::as_str)) {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "Not signed in, or the form's token is missing or wrong: load the page again."
                    .into(),
            ))
        }
    }

    /// The token this session's forms carry back (empty when not signed in).
    pub fn form_token(&self) -> String {
        self.session
            .as_ref()
            .map(|s| s.csrf.clone())
            .unwrap_or_default()
    }

    pub fn name(&self) -> Option<&str> {
        self.access.account.as_ref().map(|a| a.name.as_str())
    }
}

fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

fn later(hours: i64) -> String {
    (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(hours))
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// A cookie's value from the request's `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The API token an `Authorization` header presents: `Ok(None)` with no
/// header, `Err` with what is wrong for any header that is not `Bearer`
/// (the scheme in any case, as HTTP has it) and a token. A malformed
/// header is refused, never taken as nobody: a script that sent one
/// should hear so, not read as a visitor.
fn bearer(headers: &HeaderMap) -> Result<Option<String>, &'static str> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| "the Authorization header is not ASCII")?;
    let (scheme, token) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err("only Authorization: Bearer TOKEN is understood");
    }
    let token = token.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err("Authorization: Bearer needs one token");
    }
    Ok(Some(token.to_string()))
}

/// How long a signed-in reader, once worked out, is taken as worked out
/// for reading requests with the same secret: about as long as this
/// server takes to see another process's change (`FOLLOW_EVERY`).
const KNOWN_FOR: Duration = Duration::from_secs(1);

/// How many signed-in readers are kept worked out.
const KNOWN_READERS: usize = 10_000;

/// The key under which a visitor with neither a token nor a session is kept.
const NOBODY: &str = "-";

/// Signed-in readers worked out recently, by the SHA-256 of their secret
/// (a session's, or an API token's), each with when and at which store
/// version. A reading request (GET, HEAD) whose secret was worked out
/// less than [`KNOWN_FOR`] ago, at the version this server still sees,
/// takes that reader without asking the store, so a page kept for the
/// reader's scope costs no round trip to the store. Any write through
/// this server since (a sign-out among them) and any change of who may
/// read what (it moves the version) make every reader be worked out
/// again; a session past its end is never taken. Writes always ask the
/// store. A visitor with neither a token nor a session (nobody) is kept
/// the same way, under [`NOBODY`].
pub(crate) struct Identities(quick_cache::sync::Cache<String, Arc<Known>>);

pub(crate) struct Known {
    visitor: Visitor,
    /// The store's version and this server's writes when the store was
    /// asked.
    version: i64,
    writes: u64,
    at: Instant,
}

impl Identities {
    pub(crate) fn new() -> Self {
        Identities(quick_cache::sync::Cache::new(KNOWN_READERS))
    }

    /// Keeps `visitor`, worked out at `version` after `writes`.
    fn keep(&self, key: String, visitor: &Visitor, version: i64, writes: u64) {
        let known = Known {
            visitor: visitor.clone(),
            version,
            writes,
            at: Instant::now(),
        };
        self.0.insert(key, Arc::new(known));
    }

    /// The reader worked out for `key` if it still holds at `version`
    /// after `writes`.
    fn get(&self, key: &str, version: i64, writes: u64) -> Option<Visitor> {
        let known = self.0.get(key)?;
        let live = known.version == version
            && known.writes == writes
            && known.at.elapsed() < KNOWN_FOR
            && known
                .visitor
                .session
                .as_ref()
                .is_none_or(|s| s.expires_at > now());
        live.then(|| known.visitor.clone())
    }
}

/// Works out the visitor of every request and hands it on. A session
/// that is unknown or has expired counts as nobody; a bad API token is
/// refused outright (401), so a script does not read as nobody unawares.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let session_token = cookie(request.headers(), COOKIE);
    let api_token = match bearer(request.headers()) {
        Ok(t) => t,
        Err(why) => {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                axum::Json(crate::api::ErrorWire { error: why.into() }),
            )
                .into_response()
        }
    };
    let bad_token = api_token.is_some();
    let reading = matches!(*request.method(), Method::GET | Method::HEAD);
    // Read before the store is asked: a reader is never stamped newer
    // than what it was worked out from.
    let version = state.inner.derived.pages.version();
    let writes = state.writes();
    // Nobody, too, is worked out once a version: what a visitor who is
    // not signed in may read is the same for all of them.
    let nobody = api_token.is_none() && session_token.is_none();
    let key = match (&api_token, &session_token) {
        (Some(t), _) => format!("t:{}", dossier_auth::secret_hash(t)),
        (None, Some(t)) => format!("s:{}", dossier_auth::secret_hash(t)),
        (None, None) => NOBODY.to_string(),
    };
    let key = Some(key).filter(|_| reading && version >= 0);
    if let Some(v) = key
        .as_deref()
        .and_then(|k| state.inner.guard.identities.get(k, version, writes))
    {
        let hidden = v.access.scope();
        let who = Who::of(&v);
        request.extensions_mut().insert(v);
        return SCOPE.scope(hidden, WHO.scope(who, next.run(request))).await;
    }
    let visitor = state
        .with_accounts(move |store| {
            let collections = store.collections()?;
            if let Some(t) = api_token {
                let account = dossier_auth::token_account(store, &t, &now()).map_err(internal)?;
                return Ok(account.map(|a| Visitor {
                    access: Access::of(Some(a), &collections),
                    session: None,
                }));
            }
            let session = match session_token {
                Some(t) => dossier_auth::session(store, &t, &now()).map_err(internal)?,
                None => None,
            };
            Ok(Some(Visitor {
                access: Access::of(session.as_ref().map(|s| s.account.clone()), &collections),
                session,
            }))
        })
        .await;
    match visitor {
        Ok(Some(v)) => {
            let hidden = v.access.scope();
            // A token or session that names no one is not kept: anyone
            // could fill the cache with made-up ones.
            if let Some(key) = key.filter(|_| nobody || v.access.account.is_some()) {
                state.inner.guard.identities.keep(key, &v, version, writes);
            }
            let who = Who::of(&v);
            request.extensions_mut().insert(v);
            SCOPE.scope(hidden, WHO.scope(who, next.run(request))).await
        }
        Ok(None) if bad_token => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            axum::Json(crate::api::ErrorWire {
                error: "this API token is not known".into(),
            }),
        )
            .into_response(),
        Ok(None) => next.run(request).await,
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

fn internal(e: dossier_auth::AuthError) -> WebError {
    WebError::Internal(e.to_string())
}

/// Where to go after signing in: a path on this site only. Browsers drop
/// tabs and line breaks from an address and read `\\` as `/`, so
/// `/\t/evil.example` would lead off-site as `//evil.example`: only
/// visible ASCII is taken, without a backslash, and never `//` at the start.
fn safe_next(next: Option<&String>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.chars().all(|c| c.is_ascii_graphic() && c != '\\') =>
        {
            n.clone()
        }
        _ => "/".to_string(),
    }
}

/// The cookie that binds a sign-in form to the browser it was given to.
const SIGNIN_COOKIE: &str = "dossier_signin";

/// The sign-in form's token for one browser: the server's form secret
/// joined with the browser's own `dossier_signin` value, hashed. Another
/// site can neither read that cookie nor set it (HttpOnly, SameSite), so
/// it cannot make a form this server takes: no one is signed in to an
/// account of someone else's choosing.
fn signin_token(state: &AppState, nonce: &str) -> Option<String> {
    let secret = state.inner.guard.form_token.as_deref()?;
    Some(dossier_auth::secret_hash(&format!("{secret}\n{nonce}")))
}

pub(crate) async fn login_page(
    State(state): State<AppState>,
    visitor: Option<axum::Extension<Visitor>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let visitor = visitor.map(|v| v.0).unwrap_or_default();
    let next = safe_next(params.get("next"));
    // The browser's own value, kept while it lasts (several tabs sign in
    // alike), else a new one.
    let nonce = cookie(&headers, SIGNIN_COOKIE)
        .filter(|n| n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit()))
        .or_else(|| dossier_auth::new_secret().ok())
        .unwrap_or_default();
    let token = signin_token(&state, &nonce).unwrap_or_default();
    let set = format!(
        "{SIGNIN_COOKIE}={nonce}; HttpOnly; SameSite=Strict; Path=/login; Max-Age=3600{}",
        state.secure_flag()
    );
    (
        [(header::SET_COOKIE, set)],
        login_markup(&visitor, &next, &token, None),
    )
        .into_response()
}

fn login_markup(visitor: &Visitor, next: &str, token: &str, error: Option<&str>) -> maud::Markup {
    crate::views::layout(
        "Sign in",
        "",
        html! {
            h1 { "Account" }
            @if let (Some(s), Some(name)) = (&visitor.session, visitor.name()) {
                p { "Signed in as " strong { (name) } " (" (s.account.role.as_str()) "), until " (s.expires_at) " UTC." }
                @if visitor.access.can_judge() {
                    p.actions {
                        a href="/new/organization" { "New organization" } " · "
                        a href="/new/public-body" { "New public body" } " · "
                        a href="/new/person" { "New person" } " · "
                        a href="/review" { "Review pairs" }
                        @if visitor.access.is_admin() { " · " a href="/admin" { "Admin" } }
                    }
                }
                form #sign-out method="post" action="/logout" {
                    input type="hidden" name="csrf" value=(s.csrf);
                    button type="submit" { "Sign out" }
                }
            } @else {
                @if let Some(e) = error { p.error { (e) } }
                form.login method="post" action="/login" {
                    input type="hidden" name="token" value=(token);
                    input type="hidden" name="next" value=(next);
                    p { label for="name" { "Account" } br; input #name type="text" name="name" autocomplete="username" required; }
                    p { label for="password" { "Password" } br; input #password type="password" name="password" autocomplete="current-password" required; }
                    p { button type="submit" { "Sign in" } }
                }
            }
        },
        None,
    )
}

pub(crate) async fn login(
    State(state): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let next = safe_next(form.get("next"));
    // A session the browser already carries (planted by someone else,
    // perhaps) is never kept: signing in ends it and opens a new one.
    let presented = cookie(&headers, COOKIE);
    // The sign-in form carries this browser's token, so another site
    // cannot sign a visitor in to an account of its choosing.
    let nonce = cookie(&headers, SIGNIN_COOKIE).unwrap_or_default();
    let ours = signin_token(&state, &nonce).filter(|_| !nonce.is_empty());
    let token_ok = match (&ours, form.get("token")) {
        (Some(ours), Some(theirs)) => dossier_auth::same_secret(ours, theirs),
        _ => false,
    };
    if !token_ok {
        return Failure(
            WebError::Forbidden(
                "The form's token is missing or wrong: load the sign-in page again.".into(),
            ),
            Want::Html,
        )
        .into_response();
    }
    let name = form.get("name").cloned().unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    // Locked by account and address together: five wrong passwords from
    // one place lock that place out of that account, not its owner
    // elsewhere; an address trying many accounts, and an account tried
    // from many addresses, meet higher bounds.
    let addr = peer.map_or_else(|| "-".to_string(), |p| p.0 .0.ip().to_string());
    let limits: Vec<(String, usize)> = vec![
        (format!("pair:{name}\n{addr}"), MAX_FAILURES),
        (format!("addr:{addr}"), MAX_FAILURES_PER_ADDRESS),
        (format!("name:{name}"), MAX_FAILURES_PER_ACCOUNT),
    ];
    let keys: Vec<String> = limits.iter().map(|(k, _)| k.clone()).collect();
    let failures = &state.inner.guard.failures;
    if limits.iter().any(|(k, max)| failures.recent(k) >= *max) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, HeaderValue::from_static("900"))],
            crate::views::error_page(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many failed sign-ins: wait a quarter of an hour and try again.",
            ),
        )
            .into_response();
    }
    let opened = state
        .with_mut(move |store, _| {
            let store = store.accounts_mut();
            match dossier_auth::sign_in(
                store,
                &name,
                &password,
                &now(),
                &later(dossier_auth::SESSION_HOURS),
            ) {
                Ok(o) => {
                    if let Some(old) = presented {
                        dossier_auth::sign_out(store, &old).map_err(internal)?;
                    }
                    dossier_auth::audit(
                        store,
                        &o.session.account.name,
                        "sign-in",
                        &o.session.account.name,
                        "",
                    )
                    .map_err(internal)?;
                    Ok(Some(o))
                }
                Err(dossier_auth::AuthError::WrongCredentials) => Ok(None),
                Err(e) => Err(internal(e)),
            }
        })
        .await;
    match opened {
        Ok(Some(o)) => {
            // The account and this place are cleared; the address's count
            // over other accounts stays (one's own sign-in does not wipe
            // guesses at others').
            for k in keys.iter().filter(|k| !k.starts_with("addr:")) {
                failures.clear(k);
            }
            let cookie = format!(
                "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
                o.token,
                dossier_auth::SESSION_HOURS * 3600,
                state.secure_flag()
            );
            (
                StatusCode::SEE_OTHER,
                [(header::SET_COOKIE, cookie), (header::LOCATION, next)],
            )
                .into_response()
        }
        Ok(None) => {
            for k in &keys {
                failures.note(k);
            }
            let token = ours.clone().unwrap_or_default();
            (
                StatusCode::UNAUTHORIZED,
                login_markup(
                    &Visitor::default(),
                    &next,
                    &token,
                    Some("Wrong account name or password."),
                ),
            )
                .into_response()
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    visitor: Option<axum::Extension<Visitor>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let visitor = visitor.map(|v| v.0).unwrap_or_default();
    if let Err(e) = visitor.require_csrf(&form, "csrf") {
        return Failure(e, Want::Html).into_response();
    }
    if let Some(token) = cookie(&headers, COOKIE) {
        let who = visitor.name().unwrap_or_default().to_string();
        let r = state
            .with_mut(move |store, _| {
                let store = store.accounts_mut();
                dossier_auth::sign_out(store, &token).map_err(internal)?;
                dossier_auth::audit(store, &who, "sign-out", &who, "").map_err(internal)
            })
            .await;
        if let Err(e) = r {
            return Failure(e, Want::Html).into_response();
        }
    }
    (
        [(
            header::SET_COOKIE,
            format!(
                "{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
                state.secure_flag()
            ),
        )],
        Redirect::to("/"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::{bearer, safe_next};
    use axum::http::{header, HeaderMap, HeaderValue};

    #[test]
    fn a_malformed_authorization_header_is_refused_not_anonymous() {
        let presented = |v: &[u8]| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, HeaderValue::from_bytes(v).unwrap());
            bearer(&h)
        };
        assert_eq!(bearer(&HeaderMap::new()), Ok(None));
        assert_eq!(presented(b"Bearer abc"), Ok(Some("abc".into())));
        assert_eq!(presented(b"bearer abc"), Ok(Some("abc".into())));
        assert_eq!(presented(b"BEARER  abc "), Ok(Some("abc".into())));
        for bad in [
            &b"Bearer"[..],
            b"Bearer ",
            b"bearer",
            b"Basic YTpi",
            b"Token abc",
            b"Bearer a b",
            b"",
            b"Bearer \xff",
        ] {
            assert!(
                presented(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn after_sign_in_only_a_path_on_this_site() {
        let next = |n: &str| safe_next(Some(&n.to_string()));
        assert_eq!(next("/entities/org-1?x=1"), "/entities/org-1?x=1");
        for off_site in [
            "//evil.example/x",
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example/",
            "/ /evil.example",
            "/\u{3000}/evil.example",
            "",
        ] {
            assert_eq!(next(off_site), "/", "{off_site:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
