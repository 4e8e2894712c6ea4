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

/// Refuses a state-changing request (anything but GET, HEAD, OPTIONS) that
/// a browser sent from another site: its `Origin` names another host (or
/// is `null`, as from a sandboxed frame), or, without one, its
/// `Sec-Fetch-Site` says `cross-site`. Scripts that send neither, with an
/// API token, are not browsers and pass. Sign-in is covered too: a page
/// elsewhere cannot sign a visitor in to an account of its choosing.
pub async fn same_origin(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::Method;
    use axum::response::IntoResponse;
    let changes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes && from_elsewhere(request.headers()) {
        return (
            axum::http::StatusCode::FORBIDDEN,
            crate::views::error_page(
                axum::http::StatusCode::FORBIDDEN,
                "This form was sent from another site: open the page here and send it again.",
            ),
        )
            .into_response();
    }
    next.run(request).await
}

/// Whether the request's `Origin` (or `Sec-Fetch-Site`) says another site.
fn from_elsewhere(headers: &axum::http::HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    match headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().unwrap_or("null"))
    {
        Some(origin) => {
            let authority = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            authority.is_none_or(|a| !a.eq_ignore_ascii_case(host))
        }
        None => headers
            .get("sec-fetch-site")
            .is_some_and(|s| s.as_bytes().eq_ignore_ascii_case(b"cross-site")),
    }
}

#[cfg(test)]
mod tests {
    use super::from_elsewhere;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_form_from_another_site_is_told_apart() {
        let here = [("host", "127.0.0.1:8080")];
        assert!(!from_elsewhere(&headers(&here)), "a script without Origin");
        for ok in ["http://127.0.0.1:8080", "https://127.0.0.1:8080"] {
            let h = headers(&[here[0], ("origin", ok)]);
            assert!(!from_elsewhere(&h), "{ok}");
        }
        for bad in [
            "https://evil.example",
            "null",
            "http://127.0.0.1:8081",
            "http://127.0.0.1:8080.evil.example",
            "file://",
        ] {
            let h = headers(&[here[0], ("origin", bad)]);
            assert!(from_elsewhere(&h), "{bad}");
        }
        assert!(from_elsewhere(&headers(&[
            here[0],
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!from_elsewhere(&headers(&[
            here[0],
            ("sec-fetch-site", "same-origin")
        ])));
    }
}
