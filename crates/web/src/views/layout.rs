//! The page every HTML answer is laid in: header, search, footer.

use axum::http::StatusCode;
use maud::{html, Markup, DOCTYPE};

use crate::auth::Who;

/// The header's links: browsing for everyone; making and reviewing for
/// editors; administration for admins; who is signed in, or a way to.
fn site_nav(who: &Who) -> Markup {
    html! {
        nav.site aria-label="Site" {
            a href="/browse" { "Browse" }
            a href="/changes" { "Recent changes" }
            @if who.edits() {
                a href="/new/organization" { "New organization" }
                a href="/review" { "Review" }
            }
            @if who.is_admin() { a href="/admin" { "Admin" } }
            @match &who.name {
                Some(name) => {
                    span.who { "Signed in as " a href="/login" { strong { (name) } } }
                    a href="/login#sign-out" { "Sign out" }
                }
                None => { a.sign-in href="/login" { "Sign in" } }
            }
        }
    }
}

/// A trail of links from the home page to the page shown, the page
/// itself last (not a link).
pub(crate) fn crumbs(trail: &[(&str, &str)], here: &str) -> Markup {
    html! {
        nav.crumbs aria-label="Breadcrumb" {
            ol {
                li { a href="/" { "Home" } }
                @for (label, href) in trail { li { a href=(*href) { (*label) } } }
                li aria-current="page" { (here) }
            }
        }
    }
}

pub(crate) fn layout(title: &str, query: &str, body: Markup, head: Option<Markup>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // The home page is "Dossier" alone, not "Dossier · Dossier".
                title { @if title == "Dossier" { "Dossier" } @else { (title) " · Dossier" } }
                link rel="stylesheet" href=(crate::assets::style_href());
                @if let Some(h) = head { (h) }
            }
            body {
                a.skip href="#main" { "Skip to the content" }
                header.site {
                    a.brand href="/" { "Dossier" }
                    form.search action="/search" method="get" role="search" {
                        label.visually-hidden for="site-q" { "Search" }
                        input #site-q type="search" name="q" value=(query) placeholder="Organizations, people, claims, quotations" autocomplete="off";
                        button type="submit" { "Search" }
                    }
                    (site_nav(&Who::now()))
                }
                main #main tabindex="-1" { (body) }
                footer.site {
                    p { "Every statement here is attributed to a source. Dossier takes no side: assessments are shown as their authors' and organizations' own words and replies beside them." }
                }
                script src=(crate::assets::script_src()) defer {}
            }
        }
    }
}

/// An error page (404, 400, 500) with its message.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Markup {
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::BAD_REQUEST => "Bad request",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::UNAUTHORIZED => "Sign in first",
        StatusCode::CONFLICT => "Changed meanwhile",
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
