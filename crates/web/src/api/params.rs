//! Query parameters, checked: a bad one is a 400 that says which.

use std::collections::HashMap;

use dossier_search::SearchQuery;

use crate::WebError;

/// The search parameters of a request, checked.
pub(crate) fn search_query(params: &HashMap<String, String>) -> Result<SearchQuery, WebError> {
    let get = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let number = |k: &str, max: usize, default: usize| -> Result<usize, WebError> {
        match get(k) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| {
                    WebError::BadRequest(format!(
                        "{k} must be a whole number from 0 to {max}, not {v:?}"
                    ))
                }),
        }
    };
    let year = match get("year") {
        None => None,
        Some(y) => Some(
            y.parse::<u16>()
                .ok()
                .filter(|y| (1000..3000).contains(y))
                .ok_or_else(|| {
                    WebError::BadRequest(format!("year must be a four-digit year, not {y:?}"))
                })?,
        ),
    };
    let limit = number("limit", 100, 20)?.max(1);
    let page = number("page", 5000, 1)?.max(1);
    let kind = get("kind");
    if let Some(k) = &kind {
        if !dossier_search::KINDS.contains(&k.as_str()) {
            return Err(WebError::BadRequest(format!(
                "kind must be one of {}, not {k:?}",
                dossier_search::KINDS.join(", ")
            )));
        }
    }
    let text = get("q").unwrap_or_default();
    if text.chars().count() > 500 {
        return Err(WebError::BadRequest("q is at most 500 characters".into()));
    }
    let letter = match get("letter") {
        None => None,
        Some(l) => {
            let mut chars = l.chars();
            match (chars.next().map(|c| c.to_ascii_uppercase()), chars.next()) {
                (Some(c @ ('A'..='Z' | '#')), None) => Some(c),
                _ => {
                    return Err(WebError::BadRequest(format!(
                        "letter must be one letter from A to Z, or #, not {l:?}"
                    )))
                }
            }
        }
    };
    Ok(SearchQuery {
        text,
        kind,
        country: get("country").map(|c| c.to_lowercase()),
        topic: get("topic"),
        year,
        letter,
        limit,
        offset: (page - 1) * limit,
    })
}

/// `kind` (comma-separated kinds) and `at` (a date) of a graph query.
pub(crate) fn graph_filter(
    params: &HashMap<String, String>,
) -> Result<dossier_graph::analysis::Filter, WebError> {
    let mut f = dossier_graph::analysis::Filter::default();
    for k in params
        .get("kind")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
    {
        if k.trim().is_empty() {
            continue;
        }
        f.kinds.push(dossier_graph::EdgeKind::parse(k).ok_or_else(|| {
            WebError::BadRequest(format!(
                "kind {k:?} is not one of membership, payment, employment, directorship, link, mention"
            ))
        })?);
    }
    if let Some(at) = params.get("at").filter(|a| !a.is_empty()) {
        f.at = Some(dossier_graph::analysis::Period::parse(at).ok_or_else(|| {
            WebError::BadRequest(format!(
                "at {at:?} is not a date: YYYY, YYYY-MM or YYYY-MM-DD"
            ))
        })?);
    }
    Ok(f)
}

/// A number parameter within bounds.
pub(crate) fn number(
    params: &HashMap<String, String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, WebError> {
    match params.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                WebError::BadRequest(format!("{name} must be a number from 1 to {max}"))
            }),
    }
}
