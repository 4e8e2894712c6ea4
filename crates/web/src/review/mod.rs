//! Review in the browser: pairs that may be one entity, each side by side
//! with its names, ties and sources, and decided (same, not the same,
//! unsure, or taken back) by a signed-in editor or admin, whose form
//! carries the session's CSRF token.
//! Decisions go through `dossier_resolve::stored`, as `dossier judge` and
//! `dossier xref review` do, so a "same" merges at once and every decision
//! keeps who made it and when.

use std::collections::{BTreeSet, HashMap};

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use dossier_resolve::stored::{self, JudgeError};
use dossier_resolve::{Judgement, Match, Record};
use dossier_store::{Follow, Read, Reader};
use maud::{html, Markup};
use serde::Serialize;

mod candidates;

pub(crate) use candidates::{Kept, Working};

use crate::auth::Visitor;
use crate::{twin, AppState, Failure, JsonBody, Want, WebError};

/// Pairs scored below this are not worked out at all; the list's own
/// threshold (0.75 unless asked) filters above it.
const FLOOR: f64 = 0.5;
const DEFAULT_THRESHOLD: f64 = 0.75;
const PAGE: usize = 50;
/// Ties and sources shown per side.
const SHOWN: usize = 12;

/// One side of a pair in a list.
#[derive(Debug, Serialize)]
pub struct SideRef {
    pub id: String,
    pub name: String,
    pub schema: String,
}

/// A pair to decide.
#[derive(Debug, Serialize)]
pub struct PairRef {
    pub score: f64,
    pub a: SideRef,
    pub b: SideRef,
    /// The names that matched best, one from each side.
    pub names: (String, String),
    pub reasons: Vec<String>,
    /// The review page of the pair.
    pub review: String,
}

/// The pairs still to decide.
#[derive(Debug, Serialize)]
pub struct ListWire {
    pub threshold: f64,
    /// Pairs scored `threshold` or more that no decision settles yet.
    pub total: usize,
    /// Undecided pairs by score band (from, count), from the floor up in
    /// steps of 0.05: how many a lower threshold would show.
    pub bands: Vec<(f64, usize)>,
    pub offset: usize,
    pub pairs: Vec<PairRef>,
    /// People and bodies compared.
    pub records: usize,
    /// Who decisions made here are recorded as: the signed-in editor or
    /// admin; none for others.
    pub reviewer: Option<String>,
    /// The pairs were worked out before the store's latest change; newer
    /// ones are being worked out (pairs decided since are left out all
    /// the same).
    pub stale: bool,
}

fn review_path(a: &str, b: &str) -> String {
    format!("/review/{a}/{b}")
}

fn list_wire(
    state: &AppState,
    store: &Reader<'_>,
    params: &HashMap<String, String>,
    reviewer: Option<String>,
) -> Result<ListWire, WebError> {
    let threshold = match params.get("threshold").map(|t| t.parse::<f64>()) {
        None => DEFAULT_THRESHOLD,
        Some(Ok(t)) if (FLOOR..=1.0).contains(&t) => t,
        Some(_) => {
            return Err(WebError::BadRequest(format!(
                "threshold must be a number from {FLOOR} to 1"
            )))
        }
    };
    let offset = match params.get("offset").map(|o| o.parse::<usize>()) {
        None => 0,
        Some(Ok(o)) => o,
        Some(Err(_)) => return Err(WebError::BadRequest("offset must be a whole number".into())),
    };
    let c = state.candidates(store)?;
    let resolver = stored::load(store).map_err(judge_error)?;
    let undecided: Vec<&Match> = c
        .found
        .iter()
        .filter(|m| resolver.needs_judgement(&c.records[m.a].id, &c.records[m.b].id))
        .collect();
    let mut bands: Vec<(f64, usize)> = (0..10)
        .map(|i| ((FLOOR + 0.05 * f64::from(i)) * 100.0).round() / 100.0)
        .map(|from| (from, 0))
        .collect();
    for m in &undecided {
        let band = ((m.explained.score - FLOOR) / 0.05).floor().clamp(0.0, 9.0) as usize;
        bands[band].1 += 1;
    }
    let open: Vec<&Match> = undecided
        .into_iter()
        .filter(|m| m.explained.score >= threshold)
        .collect();
    let side = |r: &Record| SideRef {
        id: r.id.clone(),
        name: r.names.first().cloned().unwrap_or_else(|| r.id.clone()),
        schema: r.schema.clone(),
    };
    let pairs = open
        .iter()
        .skip(offset)
        .take(PAGE)
        .map(|m| {
            let (a, b) = (&c.records[m.a], &c.records[m.b]);
            PairRef {
                score: (m.explained.score * 1000.0).round() / 1000.0,
                a: side(a),
                b: side(b),
                names: m.explained.names.clone(),
                reasons: m.explained.reasons.clone(),
                review: review_path(&a.id, &b.id),
            }
        })
        .collect();
    Ok(ListWire {
        threshold,
        total: open.len(),
        bands,
        offset,
        pairs,
        records: c.records.len(),
        reviewer,
        stale: c.stale,
    })
}

/// Who decides for this visitor: an editor's or admin's name.
fn reviewer_of(visitor: &Visitor) -> Option<String> {
    visitor
        .access
        .can_judge()
        .then(|| visitor.name().map(str::to_string))
        .flatten()
}

fn judge_error(e: JudgeError) -> WebError {
    match e {
        JudgeError::Unknown(_) => WebError::NotFound(e.to_string()),
        JudgeError::Store(s) => WebError::Internal(s.to_string()),
        other => WebError::Conflict(other.to_string()),
    }
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let st = state.clone();
    let reviewer = reviewer_of(&visitor);
    match state
        .with(move |store, _| list_wire(&st, store, &params, reviewer))
        .await
    {
        Ok(w) => list_page(&w).into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn list_json(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let st = state.clone();
    let reviewer = reviewer_of(&visitor);
    match state
        .with(move |store, _| list_wire(&st, store, &params, reviewer))
        .await
    {
        Ok(w) => JsonBody(w).into_response(),
        Err(e) => Failure(e, Want::Json).into_response(),
    }
}

fn who_decides(reviewer: Option<&str>) -> Markup {
    html! {
        @match reviewer {
            Some(r) => p.note { "Decisions made here are recorded as " strong { (r) } ", with the time." },
            None => p.note { "Editors decide here once " a href="/login?next=/review" { "signed in" } "; on the terminal with " code { "dossier xref review" } " or " code { "dossier judge" } "." },
        }
    }
}

fn list_page(w: &ListWire) -> Markup {
    let more = w.offset + w.pairs.len() < w.total;
    crate::views::layout(
        "Review",
        "",
        html! {
            (crate::views::crumbs(&[], "Review"))
            h1 { "Pairs that may be one entity" }
            p { (w.total) " pairs scored " (w.threshold) " or more among " (w.records) " people and bodies are still to decide. A decision made about one pair is applied through its clusters: a pair already settled by others is not asked." }
            (who_decides(w.reviewer.as_deref()))
            @if w.stale {
                p.note role="status" { "These pairs were worked out before the store's latest change; the list is being brought up to date. Pairs decided since are left out." }
            }
            form.threshold method="get" action="/review" {
                label for="threshold" { "Show pairs scored at least " }
                select #threshold name="threshold" {
                    @for (from, _) in w.bands.iter().rev() {
                        @let below: usize = w.bands.iter().filter(|(f, _)| f >= from).map(|(_, n)| n).sum();
                        option value=(format!("{from:.2}")) selected[(from - w.threshold).abs() < 0.001] { (format!("{from:.2}")) " (" (below) " pairs)" }
                    }
                }
                " " button type="submit" { "Show" }
            }
            @if w.pairs.is_empty() {
                @let lower: usize = w.bands.iter().filter(|(f, _)| *f < w.threshold).map(|(_, n)| n).sum();
                p { "Nothing left to decide at this threshold."
                    @if lower > 0 { " " (lower) " pairs score lower, from " (FLOOR) ": " a href={ "/review?threshold=" (FLOOR) } { "show them" } "." } }
            } @else {
                table.review {
                    thead { tr { th { "Score" } th { "One" } th { "The other" } th { "Why" } th {} } }
                    tbody {
                        @for p in &w.pairs {
                            tr {
                                td { (format!("{:.2}", p.score)) }
                                td { a href={ "/entities/" (p.a.id) } { (p.a.name) } " " span.code { (p.a.schema) } }
                                td { a href={ "/entities/" (p.b.id) } { (p.b.name) } " " span.code { (p.b.schema) } }
                                td { (p.reasons.join(", ")) }
                                td { a href=(p.review) { "Review" } }
                            }
                        }
                    }
                }
            }
            p.actions {
                @if more {
                    a href={ "/review?threshold=" (w.threshold) "&offset=" (w.offset + w.pairs.len()) } { "Next pairs" } " · "
                }
                a href={ "/review.json?threshold=" (w.threshold) "&offset=" (w.offset) } { "JSON" }
            }
        },
        None,
    )
}

/// An entity a side is tied to, or one of its sources.
#[derive(Debug, Serialize)]
pub struct Linked {
    pub id: String,
    pub name: String,
}

/// One side of a pair under review.
#[derive(Debug, Serialize)]
pub struct SideWire {
    /// The id under review.
    pub id: String,
    /// The entity it is read as (itself, or the one it is merged into).
    pub entity: String,
    pub schema: String,
    pub names: Vec<String>,
    pub abbreviations: Vec<String>,
    pub countries: Vec<String>,
    pub websites: Vec<String>,
    /// Records merged into it.
    pub merged_from: Vec<String>,
    /// At most 12 of its ties (of the entity it is read as); `ties_total`
    /// says how many.
    pub ties: Vec<Linked>,
    pub ties_total: usize,
    /// At most 12 of the documents its statements come from.
    pub sources: Vec<Linked>,
    pub sources_total: usize,
}

/// A decision as recorded: who, when, what.
#[derive(Debug, Serialize)]
pub struct DecisionWire {
    pub verdict: String,
    pub user: String,
    pub at: String,
    /// Still in force (a later decision by the same reviewer replaces it).
    pub current: bool,
    pub note: Option<String>,
}

/// A pair under review.
#[derive(Debug, Serialize)]
pub struct PairWire {
    pub a: SideWire,
    pub b: SideWire,
    /// How they score, and why.
    pub score: Option<f64>,
    pub reasons: Vec<String>,
    /// Entities both are tied to.
    pub shared_ties: Vec<Linked>,
    /// What the decisions so far make of the pair, directly or through
    /// clusters: `same`, `not_same`, `unsure`, or none.
    pub judgement: Option<String>,
    /// The decisions on this very pair, oldest first.
    pub decisions: Vec<DecisionWire>,
    pub reviewer: Option<String>,
    /// The next pair still to decide.
    pub next: Option<String>,
}

fn side(
    state: &AppState,
    store: &Reader<'_>,
    graph: &dossier_graph::analysis::Graph,
    id: &str,
) -> Result<(SideWire, BTreeSet<String>), WebError> {
    // A record merged into another is shown as its own sources gave it,
    // so a merge can be reviewed record by record.
    let merged_into = store.canonical_of(id)?;
    let e = match &merged_into {
        Some(_) => {
            let own: Vec<dossier_model::Statement> = store
                .history(id)?
                .into_iter()
                .filter(|st| st.entity_id == id && st.is_current())
                .collect();
            dossier_model::statement::aggregate(own.iter())
                .map_err(|e| WebError::Internal(e.to_string()))?
                .into_iter()
                .next()
        }
        None => store.entity(id)?,
    }
    .filter(|e| e.schema.is_a("LegalEntity"))
    .ok_or_else(|| WebError::NotFound(format!("There is no person or body {id}.")))?;
    let entity_id = merged_into.unwrap_or_else(|| id.to_string());
    let values = |props: &[&str]| -> Vec<String> {
        props
            .iter()
            .flat_map(|p| e.values(p))
            .map(str::to_string)
            .collect()
    };
    let tied: BTreeSet<String> = graph.tied_to(&entity_id).into_iter().collect();
    let shown: Vec<String> = tied.iter().take(SHOWN).cloned().collect();
    let labels = state.kept(store).get(store, &shown)?;
    let ties = shown
        .iter()
        .map(|t| Linked {
            name: labels
                .get(t)
                .map_or_else(|| t.clone(), |l| l.caption.clone()),
            id: t.clone(),
        })
        .collect();
    let sources = dossier_views::sources_of(store, id)?;
    Ok((
        SideWire {
            id: id.to_string(),
            entity: entity_id.clone(),
            schema: e.schema.name.to_string(),
            names: values(&["name", "alias", "previousName", "weakAlias"]),
            abbreviations: values(&["abbreviation"]),
            countries: values(&["country", "jurisdiction", "nationality"]),
            websites: values(&["website"]),
            merged_from: store.merged_into(id)?,
            ties,
            ties_total: tied.len(),
            sources: sources
                .iter()
                .take(SHOWN)
                .map(|d| Linked {
                    id: d.id.clone(),
                    name: d.caption().to_string(),
                })
                .collect(),
            sources_total: sources.len(),
        },
        tied,
    ))
}

fn pair_wire(
    state: &AppState,
    store: &Reader<'_>,
    a: &str,
    b: &str,
    reviewer: Option<String>,
) -> Result<PairWire, WebError> {
    if a == b {
        return Err(WebError::BadRequest(
            "an entity is not reviewed against itself".into(),
        ));
    }
    let graph = state.graph(store)?;
    let ((sa, ta), (sb, tb)) = (
        side(state, store, &graph, a)?,
        side(state, store, &graph, b)?,
    );
    let c = state.candidates(store)?;
    let resolver = stored::load(store).map_err(judge_error)?;
    let record = |s: &SideWire| {
        c.records
            .iter()
            .find(|r| r.id == s.entity)
            .or_else(|| c.records.iter().find(|r| r.id == s.id))
    };
    let explained = match (record(&sa), record(&sb)) {
        (Some(x), Some(y)) if x.id != y.id => c.scorer.score(x, y),
        _ => None,
    };
    let shared: Vec<String> = ta.intersection(&tb).take(SHOWN).cloned().collect();
    let labels = state.kept(store).get(store, &shared)?;
    let shared_ties = shared
        .iter()
        .map(|t| Linked {
            name: labels
                .get(t)
                .map_or_else(|| t.clone(), |l| l.caption.clone()),
            id: t.clone(),
        })
        .collect();
    // The decisions on this pair: a verdict statement each, with the note
    // the same reviewer gave at the same time.
    let log = store.history(&stored::judgement_id(a, b))?;
    let decisions = log
        .iter()
        .filter(|st| st.prop == "verdict")
        .map(|st| DecisionWire {
            verdict: st.value.clone(),
            user: st.user.clone(),
            at: st.first_seen.clone(),
            current: st.is_current(),
            note: log
                .iter()
                .find(|n| n.prop == "note" && n.user == st.user && n.first_seen == st.first_seen)
                .map(|n| n.value.clone()),
        })
        .collect();
    let next = c
        .found
        .iter()
        .filter(|m| m.explained.score >= DEFAULT_THRESHOLD)
        .map(|m| (&c.records[m.a].id, &c.records[m.b].id))
        .find(|(x, y)| {
            !((*x == a && *y == b) || (*x == b && *y == a)) && resolver.needs_judgement(x, y)
        })
        .map(|(x, y)| review_path(x, y));
    Ok(PairWire {
        score: explained
            .as_ref()
            .map(|e| (e.score * 1000.0).round() / 1000.0),
        reasons: explained.map(|e| e.reasons).unwrap_or_default(),
        shared_ties,
        judgement: resolver.judgement(a, b).map(|j| j.as_str().to_string()),
        decisions,
        reviewer,
        next,
        a: sa,
        b: sb,
    })
}

pub(crate) async fn pair(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((a, raw_b)): Path<(String, String)>,
) -> Response {
    let (b, want) = twin(&raw_b);
    let b = b.to_string();
    let st = state.clone();
    let reviewer = reviewer_of(&visitor);
    let r = state
        .with(move |store, _| pair_wire(&st, store, &a, &b, reviewer))
        .await;
    match (r, want) {
        (Ok(p), Want::Json) => JsonBody(p).into_response(),
        (Ok(p), Want::Html) => {
            let token = visitor.session.as_ref().map(|s| s.csrf.clone());
            pair_page(&p, token.as_deref()).into_response()
        }
        (Err(e), want) => Failure(e, want).into_response(),
    }
}

fn side_column(s: &SideWire) -> Markup {
    let list = |v: &[String]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.join("; ")
        }
    };
    html! {
        section.side {
            h2 { a href={ "/entities/" (s.entity) } { (s.names.first().map_or(s.entity.as_str(), String::as_str)) } }
            dl.fields {
                dt { "Kind" } dd { (s.schema) " " span.code { (s.id) } }
                @if s.entity != s.id { dt { "Merged into" } dd { a href={ "/entities/" (s.entity) } { (s.entity) } } }
                dt { "Names" } dd { (list(&s.names)) }
                dt { "Abbreviations" } dd { (list(&s.abbreviations)) }
                dt { "Countries" } dd { (list(&s.countries)) }
                dt { "Websites" } dd { @if s.websites.is_empty() { "—" } @for w in &s.websites { (crate::views::outside(w)) " " } }
                @if !s.merged_from.is_empty() { dt { "Merged from" } dd { (s.merged_from.join(", ")) } }
            }
            h3 { "Ties (" (s.ties_total) ")" }
            @if s.ties.is_empty() { p { "None recorded." } }
            ul { @for t in &s.ties { li { a href={ "/entities/" (t.id) } { (t.name) } } } }
            h3 { "Sources (" (s.sources_total) ")" }
            @if s.sources.is_empty() { p { "None." } }
            ul { @for d in &s.sources { li { a href={ "/entities/" (d.id) } { (d.name) } } } }
        }
    }
}

fn pair_page(p: &PairWire, token: Option<&str>) -> Markup {
    let title = format!(
        "{} or {}?",
        p.a.names.first().map_or(p.a.id.as_str(), String::as_str),
        p.b.names.first().map_or(p.b.id.as_str(), String::as_str)
    );
    let action = review_path(&p.a.id, &p.b.id);
    crate::views::layout(
        &title,
        "",
        html! {
            h1 { "Are these one entity?" }
            p {
                @match p.score { Some(s) => { "Scored " strong { (format!("{s:.2}")) } " (" (p.reasons.join(", ")) "). " }, None => { "No score: the names have nothing in common. " } }
                @match p.judgement.as_deref() {
                    Some("same") => { "Decided: the same (merged)." },
                    Some("not_same") => { "Decided: not the same." },
                    Some("unsure") => { "Marked unsure." },
                    _ => { "Not decided yet." },
                }
            }
            div.pair { (side_column(&p.a)) (side_column(&p.b)) }
            @if !p.shared_ties.is_empty() {
                p { "Both are tied to: "
                    @for (i, t) in p.shared_ties.iter().enumerate() { @if i > 0 { ", " } a href={ "/entities/" (t.id) } { (t.name) } } }
            }
            @if !p.decisions.is_empty() {
                h2 { "Decisions on this pair" }
                ul.decisions {
                    @for d in &p.decisions {
                        li.(if d.current { "current" } else { "superseded" }) {
                            strong { (d.verdict) } " by " (d.user) " at " (d.at)
                            @if let Some(n) = &d.note { ": " (n) }
                            @if !d.current { " (replaced since)" }
                        }
                    }
                }
            }
            (who_decides(p.reviewer.as_deref()))
            @if let (Some(_), Some(token)) = (&p.reviewer, token) {
                form.decide method="post" action=(action) {
                    input type="hidden" name="token" value=(token);
                    label for="note" { "Note (why)" }
                    textarea #note name="note" rows="2" {}
                    p.buttons {
                        button type="submit" name="verdict" value="same" { "Same" } " "
                        button type="submit" name="verdict" value="not_same" { "Not the same" } " "
                        button type="submit" name="verdict" value="unsure" { "Unsure" }
                        @if p.decisions.iter().any(|d| d.current && d.verdict != "none") { " " button type="submit" name="verdict" value="none" { "Take my decision back" } }
                    }
                }
            }
            p.actions {
                @if let Some(n) = &p.next { a href=(n) { "Next pair" } " · " }
                a href="/review" { "All pairs" } " · "
                a href={ (action) ".json" } { "JSON" }
            }
        },
        None,
    )
}

pub(crate) async fn decide(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((a, b)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    match decide_inner(&state, &visitor, a, b, form).await {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

async fn decide_inner(
    state: &AppState,
    visitor: &Visitor,
    a: String,
    b: String,
    form: HashMap<String, String>,
) -> Result<String, WebError> {
    let Some(reviewer) = reviewer_of(visitor) else {
        return Err(WebError::Forbidden(
            "Only a signed-in editor or admin decides here (or on the terminal: dossier judge)."
                .into(),
        ));
    };
    visitor.require_csrf(&form, "token")?;
    let verdict = match form.get("verdict").map(String::as_str) {
        Some("none") => None,
        Some(v) => Some(Judgement::parse(v).ok_or_else(|| {
            WebError::BadRequest(format!(
                "verdict {v:?} is not one of same, not_same, unsure, none"
            ))
        })?),
        None => return Err(WebError::BadRequest("the form names no verdict".into())),
    };
    let note = form.get("note").cloned();
    let st = state.clone();
    let (before, after) = state
        .with_mut(move |store, _| {
            let mut resolver = stored::load(&store.read()).map_err(judge_error)?;
            let before = store.read().version()?;
            let prov = dossier_model::Provenance {
                dataset: stored::DATASET.to_string(),
                source: String::new(),
                user: reviewer,
                origin: Some("review".to_string()),
                now: jiff::Timestamp::now()
                    .strftime("%Y-%m-%dT%H:%M:%S")
                    .to_string(),
            };
            stored::record(
                store,
                &mut resolver,
                &a,
                &b,
                verdict,
                note.as_deref(),
                &prov,
            )
            .map_err(judge_error)?;
            Ok((before, store.read().version()?))
        })
        .await?;
    state.candidates_moved(before, after);
    // What is kept from request to request goes at once: a record merged
    // a moment ago must not be read as standing alone (its page answered
    // rather than sent on to the entity it is part of) while the graph,
    // which forgets it too, is made again below.
    state.forget_kept(None, true, after);
    // The index follows (the clusters' documents and the claims about
    // them), and pages kept for visitors are made again.
    let s = st.clone();
    let _ = tokio::task::spawn_blocking(move || s.refresh_index()).await;
    // The graph and labels follow the merge; pages may be served from the
    // old ones for the moment it takes.
    let s = st.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = s.refresh_graph() {
            eprintln!("network graph: {e}");
        }
    });
    let next = state
        .with(move |store, _| {
            let c = st.candidates(store)?;
            let resolver = stored::load(store).map_err(judge_error)?;
            Ok(c.found
                .iter()
                .filter(|m| m.explained.score >= DEFAULT_THRESHOLD)
                .map(|m| (&c.records[m.a].id, &c.records[m.b].id))
                .find(|(x, y)| resolver.needs_judgement(x, y))
                .map(|(x, y)| review_path(x, y)))
        })
        .await?;
    Ok(next.unwrap_or_else(|| "/review".to_string()))
}
