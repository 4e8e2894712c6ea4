//! What every edit form shares: the values typed so far (kept when a save
//! is refused), the refused field marked with why, labelled fields of the
//! right type, and the source, collection and reason every edit names.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dossier_model::Entity;
use maud::{html, Markup};

use crate::WebError;

/// A form as sent back after a refused save: what was typed, and why it
/// was refused. `Given::fresh()` for a form shown the first time.
#[derive(Clone, Copy, Default)]
pub(crate) struct Given<'a> {
    pub form: Option<&'a HashMap<String, String>>,
    pub error: Option<&'a WebError>,
}

impl<'a> Given<'a> {
    pub(crate) fn fresh() -> Given<'a> {
        Given::default()
    }

    pub(crate) fn again(form: &'a HashMap<String, String>, error: &'a WebError) -> Given<'a> {
        Given {
            form: Some(form),
            error: Some(error),
        }
    }

    /// What the field holds: what was typed, else `initial`.
    pub(crate) fn value(&self, name: &str, initial: &str) -> String {
        match self.form {
            Some(f) => f.get(name).cloned().unwrap_or_default(),
            None => initial.to_string(),
        }
    }

    /// Whether a choice was made (a select's option, a checkbox), else
    /// whether it is the initial one.
    pub(crate) fn chose(&self, name: &str, value: &str, initially: bool) -> bool {
        match self.form {
            Some(f) => f.get(name).is_some_and(|v| v == value),
            None => initially,
        }
    }

    /// Why this field was refused, when it was.
    pub(crate) fn error_for(&self, field: &str) -> Option<&'a str> {
        match self.error {
            Some(WebError::Invalid { field: f, message }) if f == field => Some(message),
            _ => None,
        }
    }

    /// The refusal at the top of the form, read out when it appears.
    pub(crate) fn banner(&self) -> Markup {
        html! {
            @if let Some(e) = self.error {
                div.form-error role="alert" {
                    p { strong { "Not saved: " } (e.to_string()) }
                    @if let WebError::Invalid { field, .. } = e {
                        p { a href={ "#" (field) } { "Go to the field" } " — what you typed is kept." }
                    } @else {
                        p { "What you typed is kept below." }
                    }
                }
            }
        }
    }
}

/// Whether a refused save goes back to its form with what was typed: a
/// mistake in the form, a clash or a stale token, not a missing page or a
/// store that failed.
pub(crate) fn back_to_form(e: &WebError) -> bool {
    matches!(
        e,
        WebError::BadRequest(_)
            | WebError::Invalid { .. }
            | WebError::Conflict(_)
            | WebError::Forbidden(_)
    )
}

/// The form page again, with the refusal's status.
pub(crate) fn refused(e: &WebError, page: Markup) -> Response {
    let status = match e {
        WebError::Conflict(_) => StatusCode::CONFLICT,
        WebError::Forbidden(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, page).into_response()
}

/// How a field is typed in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One line of text.
    Line,
    /// Several values, one a line.
    Lines,
    /// A paragraph.
    Text,
    Url,
    Email,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// A number (an amount).
    Number,
}

/// A labelled field: its input of the right type, its hint, and when the
/// last save was refused for it, why (read with the field).
pub(crate) fn field(
    given: &Given<'_>,
    name: &str,
    label: &str,
    kind: Kind,
    initial: &str,
    hint: Option<&str>,
) -> Markup {
    let value = given.value(name, initial);
    let error = given.error_for(name);
    let described = match (error.is_some(), hint.is_some()) {
        (true, _) => Some(format!("{name}-error")),
        (false, true) => Some(format!("{name}-hint")),
        _ => None,
    };
    let invalid = error.map(|_| "true");
    html! {
        p.field.invalid[error.is_some()] {
            label for=(name) { (label) }
            @if let Some(h) = hint { " " span.hint id={ (name) "-hint" } { (h) } }
            br;
            @match kind {
                Kind::Lines | Kind::Text => {
                    textarea id=(name) name=(name) rows=(if kind == Kind::Text { "4" } else { "2" }) aria-invalid=[invalid] aria-describedby=[described.as_deref()] { (value) }
                }
                _ => {
                    @let (ty, pattern, mode) = match kind {
                        Kind::Url => ("url", None, None),
                        Kind::Email => ("email", None, None),
                        Kind::Date => ("text", Some(r"\d{4}(-\d{2}(-\d{2})?)?"), Some("numeric")),
                        Kind::Number => ("text", Some(r"[0-9]+([.,][0-9]+)?"), Some("decimal")),
                        _ => ("text", None, None),
                    };
                    input id=(name) name=(name) type=(ty) value=(value) pattern=[pattern] inputmode=[mode] aria-invalid=[invalid] aria-describedby=[described.as_deref()];
                }
            }
            @if let Some(e) = error { br; span.field-error id={ (name) "-error" } { (e) } }
        }
    }
}

/// The source every edit names, the collection it goes in, and why: the
/// end of every edit form.
pub(crate) fn source_and_reason(
    given: &Given<'_>,
    sources: &[Entity],
    collections: &[String],
    what: &str,
) -> Markup {
    html! {
        fieldset {
            legend { "Source (every " (what) " names one)" }
            @if !sources.is_empty() {
                p.field {
                    label for="source" { "A source it already cites" } br;
                    select #source name="source" {
                        option value="" selected[given.chose("source", "", true)] { "— or give a new web address below —" }
                        @for s in sources { option value=(s.id) selected[given.chose("source", &s.id, false)] { (s.caption()) } }
                    }
                }
            }
            (field(given, "source_url", "A new source's web address", Kind::Url, "", Some("http or https")))
            (field(given, "source_title", "The new source's title", Kind::Line, "", None))
            p { label { input type="checkbox" name="archive" value="on" checked[given.chose("archive", "on", false)]; " Archive a copy of the page now" } }
            @if let Some(e) = given.error_for("source") { p.field-error id="source-error" { (e) } }
        }
        p.field {
            label for="collection" { "Collection" } br;
            select #collection name="collection" {
                @for c in collections { option value=(c) selected[given.chose("collection", c, false)] { (c) } }
            }
        }
        (field(given, "reason", "Reason", Kind::Line, "", Some("required: why this change, for the history")))
        p { button type="submit" { "Save" } }
    }
}
