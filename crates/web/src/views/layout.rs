//! The page every HTML answer is laid in: header, search, footer.

use axum::http::StatusCode;
use maud::{html, Markup, DOCTYPE};

pub(crate) fn layout(title: &str, query: &str, body: Markup, head: Option<Markup>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // The home page is "Dossier" alone, not "Dossier · Dossier".
                title { @if title == "Dossier" { "Dossier" } @else { (title) " · Dossier" } }
                link rel="stylesheet" href="/static/style.css";
                @if let Some(h) = head { (h) }
            }
            body {
                header.site {
                    a.brand href="/" { "Dossier" }
                    form.search action="/search" method="get" role="search" {
                        label.visually-hidden for="site-q" { "Search" }
                        input #site-q type="search" name="q" value=(query) placeholder="Organizations, people, claims, quotations" autocomplete="off";
                        button type="submit" { "Search" }
                    }
                    nav.site { a href="/review" { "Review pairs" } }
                }
                main { (body) }
                footer.site {
                    p { "Every statement here is attributed to a source. Dossier takes no side: assessments are shown as their authors' and organizations' own words and replies beside them." }
                }
                script src="/static/app.js" defer {}
            }
        }
    }
}

/// An error page (404, 400, 500) with its message.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Markup {
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::BAD_REQUEST => "Bad request",
        _ => "Something went wrong",
    };
    layout(
        title,
        "",
        html! {
            h1 { (title) }
            p.error { (message) }
            p { a href="/" { "Back to the start" } }
        },
        None,
    )
}
