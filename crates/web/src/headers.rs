//! Security headers on every answer, kept or rendered: what a browser may
//! load for a page (its own stylesheet and script, nothing inline that
//! runs, nothing from elsewhere), that it is framed nowhere, sniffed never,
//! and how much of its address leaves with a link.

use axum::http::{header, HeaderValue};
use axum::response::Response;

/// The pages' policy. The pages satisfy it: one stylesheet and one script,
/// both from `/static/`; the only inline `<script>` is JSON-LD, which is
/// data and never run; the search box asks `/api/v1/search`; forms post
/// here. An answer that sets its own (an archived copy: `sandbox`) keeps it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// Adds the headers an answer does not set itself.
pub async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}
