//! W3C Web Annotation JSON-LD out: one annotation per anchored quotation.
//! Its target's source is the text the selectors count in (the archived
//! copy's extracted text, served as text/plain), so any Web Annotation
//! tool resolves the TextQuoteSelector and the TextPositionSelector (code
//! points) to the quoted words; its scope is the page the text came from,
//! and a TimeState names the archived copy. The speaker and the annotator
//! are agents with a name (and the speaker an IRI), as JSON-LD keeps them.

use std::io::Write;

use serde::Serialize;

use crate::FormatError;

/// What one annotation says; the caller gathers it from the store.
#[derive(Debug, Clone)]
pub struct AnchoredQuote {
    /// The anchor's id (the annotation's id is made from it).
    pub anchor: String,
    pub quotation: String,
    /// The quotation's words, as reported.
    pub quote: String,
    /// Who said it, when known.
    pub speaker: Option<Agent>,
    /// The text the selectors count in (an archived copy's text rendition).
    pub rendition: String,
    /// The page the text came from: its address, when known.
    pub scope: Option<String>,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub start: usize,
    pub end: usize,
    /// When the archived copy was retrieved (UTC).
    pub retrieved: String,
    /// The address of the archived copy.
    pub cached: String,
    /// When the anchor was recorded, and by whom.
    pub created: String,
    pub creator: Agent,
}

/// Someone: an IRI when they have one, what kind of agent, and a name.
#[derive(Debug, Clone, Serialize)]
pub struct Agent {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `Person`, `Organization` or `Software` (the Web Annotation
    /// vocabulary's agent classes).
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
}

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'static str,
    total: usize,
    first: Page<'a>,
}

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    created: &'a str,
    creator: &'a Agent,
    body: Body<'a>,
    target: Target<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
    purpose: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<&'a Agent>,
}

#[derive(Serialize)]
struct Target<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    source: Source<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
    selector: (QuoteSelector<'a>, PositionSelector),
    state: TimeState<'a>,
}

/// The text the selectors apply to.
#[derive(Serialize)]
struct Source<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    format: &'static str,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

#[derive(Serialize)]
struct PositionSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct TimeState<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "sourceDate")]
    source_date: &'a str,
    cached: &'a str,
}

/// Writes an `AnnotationCollection` holding every anchored quotation.
pub fn write(
    out: &mut dyn Write,
    base: &str,
    quotes: &[AnchoredQuote],
) -> Result<usize, FormatError> {
    let items: Vec<Annotation<'_>> = quotes
        .iter()
        .map(|q| Annotation {
            id: format!("{base}anchors/{}", q.anchor),
            kind: "Annotation",
            motivation: "identifying",
            created: &q.created,
            creator: &q.creator,
            body: Body {
                kind: "TextualBody",
                value: &q.quote,
                purpose: "identifying",
                creator: q.speaker.as_ref(),
            },
            target: Target {
                kind: "SpecificResource",
                source: Source {
                    id: &q.rendition,
                    kind: "Text",
                    format: "text/plain",
                },
                scope: q.scope.as_deref(),
                selector: (
                    QuoteSelector {
                        kind: "TextQuoteSelector",
                        exact: &q.exact,
                        prefix: &q.prefix,
                        suffix: &q.suffix,
                    },
                    PositionSelector {
                        kind: "TextPositionSelector",
                        start: q.start,
                        end: q.end,
                    },
                ),
                state: TimeState {
                    kind: "TimeState",
                    source_date: &q.retrieved,
                    cached: &q.cached,
                },
            },
        })
        .collect();
    let n = items.len();
    let doc = Collection {
        context: "http://www.w3.org/ns/anno.jsonld",
        id: format!("{base}anchors"),
        kind: "AnnotationCollection",
        label: "Quotations anchored in their archived origins",
        total: n,
        first: Page {
            id: format!("{base}anchors?page=1"),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(n)
}
