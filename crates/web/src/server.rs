//! The HTTP server: connections accepted on a TCP listener and served by
//! hyper with the application's router, with limits on slow and large
//! requests, beside the two followers that keep the search index and the
//! graph up with the store.
//!
//! Hand-written rather than `axum::serve`: that sets no timer on hyper, so
//! a client sending its headers a byte at a time holds a connection open
//! for as long as it likes. Here each connection gets hyper's header-read
//! timeout, and [`bounded_body`] reads every body whole under a deadline
//! and a size limit.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tower::ServiceExt;

use crate::{router, AppState, FOLLOW_EVERY};

/// How long a client may take to send a request's headers, and then its
/// body, unless `AppState::with_client_timeout` says otherwise.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest request body taken (forms are a few kilobytes).
pub const BODY_LIMIT: usize = 1 << 20;

/// Serves the application on `addr` until Ctrl-C, calling `ready` with the
/// bound address (port 0 picks a free one). Every `FOLLOW_EVERY` it checks
/// whether the store changed elsewhere and, if so, brings the search index
/// and (separately, as it takes longer) the analysis graph up to date.
pub fn serve(
    addr: SocketAddr,
    state: AppState,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    // Let go of last, once the runtime is gone. A PostgreSQL connection
    // closes by blocking on a runtime of its own, which cannot start on a
    // thread that drives this one: without this clone the last of the
    // state (and its connections) went with the task or the failed bind
    // that held it, on a worker thread, and the process aborted.
    let held = state.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        // Two followers, so a slow graph holds up no search result.
        follow(state.clone(), "search index", AppState::refresh_index);
        follow(state.clone(), "network graph", AppState::refresh_graph);
        let timeout = state.client_timeout();
        let app = router(state);
        // Connections finish their requests on Ctrl-C: each holds a
        // receiver, and the server waits until all are dropped.
        let (stop, stopping) = tokio::sync::watch::channel(());
        let mut shutdown = std::pin::pin!(async {
            let _ = tokio::signal::ctrl_c().await;
        });
        loop {
            let (stream, remote) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(a) => a,
                    // Out of file descriptors, say: wait, then go on.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let service =
                app.clone()
                    .map_request(move |request: Request<hyper::body::Incoming>| {
                        let mut request = request.map(Body::new);
                        request.extensions_mut().insert(ConnectInfo(remote));
                        request
                    });
            let mut stopping = stopping.clone();
            tokio::spawn(async move {
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(timeout)
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                    .with_upgrades();
                let mut connection = std::pin::pin!(connection);
                tokio::select! {
                    _ = connection.as_mut() => {}
                    _ = stopping.changed() => {
                        connection.as_mut().graceful_shutdown();
                        let _ = connection.await;
                    }
                }
            });
        }
        drop(stopping);
        let _ = stop.send(());
        stop.closed().await;
        Ok(())
    });
    drop(runtime);
    drop(held);
    served
}

/// Runs `refresh` every `FOLLOW_EVERY` on a blocking thread, saying what
/// failed.
fn follow<T: Send + 'static>(
    state: AppState,
    what: &'static str,
    refresh: fn(&AppState) -> Result<T, crate::WebError>,
) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(FOLLOW_EVERY).await;
            let s = state.clone();
            if let Ok(Err(e)) = tokio::task::spawn_blocking(move || refresh(&s)).await {
                eprintln!("{what}: {e}");
            }
        }
    });
}

/// Reads a request's body whole before the handler runs: at most
/// [`BODY_LIMIT`] bytes (413 beyond), within the client timeout (408 when
/// the client sends it too slowly).
pub(crate) async fn bounded_body(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a request body is at most {BODY_LIMIT} bytes"),
        )
            .into_response()
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(
        state.client_timeout(),
        axum::body::to_bytes(body, BODY_LIMIT),
    )
    .await;
    let bytes = match read {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) if is_length_limit(&e) => return too_large(),
        Ok(Err(_)) => {
            return (StatusCode::BAD_REQUEST, "the request body broke off").into_response()
        }
        Err(_) => {
            return (
                StatusCode::REQUEST_TIMEOUT,
                "the request body came too slowly",
            )
                .into_response()
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether reading a body failed on its length limit.
fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}
