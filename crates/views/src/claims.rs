//! Claims as pages show them: quotations with their speakers and what
//! verification says of them, sources, who asserts them, replies; and one
//! view for each distinct claim however many sources report it.

use dossier_model::Entity;
use dossier_store::{Read, Result};

use crate::evidence_err;
use dossier_evidence::Check;

/// A claim with what is needed to show it: its quotations and their
/// speakers, its source, who asserts it, and replies to it.
#[derive(Debug, Clone)]
pub struct ClaimView {
    pub claim: Entity,
    pub quotations: Vec<QuotationView>,
    pub source: Option<Entity>,
    pub asserted_by: Option<Entity>,
    pub subjects: Vec<Entity>,
    pub mentions: Vec<Entity>,
    pub replies: Vec<ClaimView>,
    /// Every source that reports it: its own first, then the sources of
    /// the same claim recorded from other documents ([`distinct`]).
    pub sources: Vec<Entity>,
    /// The records of the same claim from other sources, shown as this one.
    pub same: Vec<String>,
}

/// A quotation, its speaker, and what verification says of it: what
/// `dossier verify` last recorded, read against the newest archived copy
/// of its origin (stale when a newer copy came since).
#[derive(Debug, Clone)]
pub struct QuotationView {
    pub quotation: Entity,
    pub speaker: Option<Entity>,
    pub check: Check,
}

pub(crate) fn ends(e: &Entity, prop: &str) -> Vec<String> {
    e.values(prop).map(str::to_string).collect()
}

/// Sort key for dated things: undated last, then by date, then text.
pub(crate) fn date_key(e: &Entity) -> (bool, String, String) {
    let date = ["eventDate", "date", "startDate"]
        .iter()
        .find_map(|p| e.first(p))
        .unwrap_or("");
    (date.is_empty(), date.to_string(), e.caption().to_string())
}

/// Assembles a claim's view.
pub fn claim_view(store: &dyn Read, claim: Entity) -> Result<ClaimView> {
    let mut quotations = Vec::new();
    let mut replies = Vec::new();
    for r in store.referencing(&claim.id)? {
        match r.schema.name {
            "Quotation" if r.values("claim").any(|c| c == claim.id) => {
                let speaker = match r.first("speaker") {
                    Some(s) => store.entity(s)?,
                    None => None,
                };
                // What `verify` recorded: a page never searches.
                let check =
                    dossier_evidence::check::stored_check(store, &r).map_err(evidence_err)?;
                quotations.push(QuotationView {
                    quotation: r,
                    speaker,
                    check,
                });
            }
            "Claim" if r.values("replyTo").any(|c| c == claim.id) => {
                replies.push(claim_view(store, r)?)
            }
            _ => {}
        }
    }
    // Quotations in the order they stand in the text.
    let text = claim.first("text").unwrap_or("").to_string();
    quotations.sort_by_key(|q| {
        text.find(q.quotation.first("text").unwrap_or(""))
            .unwrap_or(usize::MAX)
    });
    let source = match claim.first("source") {
        Some(s) => store.entity(s)?,
        None => None,
    };
    let asserted_by = match claim.first("assertedBy") {
        Some(s) => store.entity(s)?,
        None => None,
    };
    let mut subjects = Vec::new();
    for s in ends(&claim, "subject") {
        subjects.extend(store.entity(&s)?);
    }
    let mut mentions = Vec::new();
    for s in ends(&claim, "mentions") {
        mentions.extend(store.entity(&s)?);
    }
    Ok(ClaimView {
        claim,
        quotations,
        sources: source.iter().cloned().collect(),
        source,
        asserted_by,
        subjects,
        mentions,
        replies: distinct(replies),
        same: Vec::new(),
    })
}

/// What makes two claim records the same claim: its kind, its words
/// (case, spacing and closing punctuation aside), what it is about and
/// who asserts it. Two documents that report one claim make one record
/// each; a page shows it once, with both sources.
fn sameness(c: &ClaimView) -> (String, String, Vec<String>, Option<String>) {
    let text = c.claim.first("text").unwrap_or("");
    let words: Vec<String> = text.split_whitespace().map(|w| w.to_lowercase()).collect();
    let mut words = words.join(" ");
    while words.ends_with(['.', '!', '?', ';', ':', ',']) {
        words.pop();
    }
    let mut subjects: Vec<String> = c.claim.values("subject").map(str::to_string).collect();
    subjects.sort();
    (
        c.claim.first("kind").unwrap_or("").to_string(),
        words,
        subjects,
        c.claim.first("assertedBy").map(str::to_string),
    )
}

/// Each distinct claim once, in the order first met: the records of the
/// same claim (see `sameness`) are folded into the first, which then
/// lists every source, every quotation (each wording once) and every reply.
pub fn distinct(claims: Vec<ClaimView>) -> Vec<ClaimView> {
    let mut out: Vec<ClaimView> = Vec::new();
    let mut seen: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for c in claims {
        let key = sameness(&c);
        match seen.get(&key) {
            Some(&i) => {
                let first = &mut out[i];
                for s in c.sources {
                    if !first.sources.iter().any(|x| x.id == s.id) {
                        first.sources.push(s);
                    }
                }
                first.same.push(c.claim.id.clone());
                first.same.extend(c.same);
                for q in c.quotations {
                    let text = q.quotation.first("text");
                    if !first
                        .quotations
                        .iter()
                        .any(|x| x.quotation.first("text") == text)
                    {
                        first.quotations.push(q);
                    }
                }
                for m in c.mentions {
                    if !first.mentions.iter().any(|x| x.id == m.id) {
                        first.mentions.push(m);
                    }
                }
                let replies = std::mem::take(&mut first.replies);
                first.replies = distinct(replies.into_iter().chain(c.replies).collect());
            }
            None => {
                seen.insert(key, out.len());
                out.push(c);
            }
        }
    }
    out
}

/// The claims about an entity (not replies), in page order: topic, then date.
pub(crate) fn claims_about(store: &dyn Read, id: &str, refs: &[Entity]) -> Result<Vec<ClaimView>> {
    let mut out = Vec::new();
    for r in refs {
        if r.schema.name == "Claim" && r.values("subject").any(|s| s == id) && !r.has("replyTo") {
            out.push(claim_view(store, r.clone())?);
        }
    }
    let mut out = distinct(out);
    out.sort_by_key(|c| date_key(&c.claim));
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn doc(id: &str) -> Entity {
        let mut d = Entity::new(id, "Document").unwrap();
        d.add("title", id).unwrap();
        d
    }

    fn view(id: &str, text: &str, source: &str) -> ClaimView {
        let mut c = Entity::new(id, "Claim").unwrap();
        c.add("text", text).unwrap();
        c.add("kind", "assessment").unwrap();
        c.add("subject", "org-a").unwrap();
        c.add("source", source).unwrap();
        ClaimView {
            claim: c,
            quotations: Vec::new(),
            source: Some(doc(source)),
            asserted_by: None,
            subjects: Vec::new(),
            mentions: Vec::new(),
            replies: Vec::new(),
            sources: vec![doc(source)],
            same: Vec::new(),
        }
    }

    #[test]
    fn one_claim_from_two_sources_is_shown_once_with_both() {
        let out = distinct(vec![
            view("c1", "It  lobbies for sanctions.", "doc-1"),
            view("c2", "Something else.", "doc-1"),
            view("c3", "it lobbies for sanctions", "doc-2"),
            view("c4", "It lobbies for sanctions.", "doc-2"),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].claim.id, "c1");
        let sources: Vec<&str> = out[0].sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(sources, ["doc-1", "doc-2"]);
        assert_eq!(out[0].same, ["c3", "c4"]);
    }

    #[test]
    fn different_kinds_subjects_or_asserters_stay_apart() {
        let mut fact = view("c2", "It lobbies.", "doc-2");
        fact.claim.properties.remove("kind");
        fact.claim.add("kind", "fact").unwrap();
        let mut other = view("c3", "It lobbies.", "doc-2");
        other.claim.add("subject", "org-b").unwrap();
        let mut asserted = view("c4", "It lobbies.", "doc-2");
        asserted.claim.add("assertedBy", "org-w").unwrap();
        let out = distinct(vec![
            view("c1", "It lobbies.", "doc-1"),
            fact,
            other,
            asserted,
        ]);
        assert_eq!(out.len(), 4);
    }
}
